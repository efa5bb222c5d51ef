/* Time blocks of a series for the block test (../shared/STATS.md "One run against one run"):
 * from raw samples with times (Playwright) or from the stored time-slice histograms (k6
 * points). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/stats.h"

#define MAX_BLOCKS 10

size_t pc_block_min_samples(double q)
{
	/* m for p50 (and the mean), p90, p95, p99, p99.9; another q takes the m of the next listed
	 * quantile above it */
	if (q < 0 || q <= 0.50)
		return 5;
	if (q <= 0.90)
		return 10;
	if (q <= 0.95)
		return 15;
	if (q <= 0.99)
		return 40;
	return 400;
}

static size_t block_count(size_t n, double q)
{
	size_t k = n / pc_block_min_samples(q);

	return k < MAX_BLOCKS ? k : MAX_BLOCKS;
}

static int cmp_sample_t(const void *a, const void *b)
{
	const pc_sample *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static double block_stat(double *v, size_t n, double q)
{
	double sum = 0;
	size_t i;

	if (q >= 0) {
		pc_sort_doubles(v, n);
		return pc_quantile_sorted(v, n, q);
	}
	for (i = 0; i < n; i++)
		sum += v[i];
	return sum / (double)n;
}

static int from_samples(const pc_series *s, double q, double out[MAX_BLOCKS], size_t *k)
{
	size_t n = s->nsamples, K = block_count(n, q), b, i, start = 0;
	pc_sample *sorted;
	double *vals;
	int64_t t0, t1;

	*k = 0;
	if (K == 0)
		return 0;
	sorted = malloc(n * sizeof(*sorted));
	vals = malloc(n * sizeof(*vals));
	if (!sorted || !vals) {
		free(sorted);
		free(vals);
		return pc_error_set(PC_ENOMEM, "out of memory");
	}
	memcpy(sorted, s->samples, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_sample_t);
	t0 = sorted[0].t;
	t1 = sorted[n - 1].t;
	for (b = 0; b < K; b++) {
		/* block b covers [t0 + b·span/K, t0 + (b+1)·span/K); the last one includes t1 */
		double edge = (double)t0 + (double)(t1 - t0) * (double)(b + 1) / (double)K;
		size_t m = 0;
		for (i = start; i < n && (b == K - 1 || (double)sorted[i].t < edge); i++)
			vals[m++] = sorted[i].v;
		start = i;
		if (m)
			out[(*k)++] = block_stat(vals, m, q);
	}
	free(sorted);
	free(vals);
	return 0;
}

static int from_slices(const pc_series *s, double q, double out[MAX_BLOCKS], size_t *k)
{
	size_t S = s->nslices, K = block_count((size_t)s->hist->count, q), b, i;
	pc_hist block;
	int rc = 0;

	*k = 0;
	if (K == 0 || S == 0)
		return 0;
	if (K > S)
		K = S;
	for (b = 0; b < K && !rc; b++) {
		size_t lo = b * S / K, hi = (b + 1) * S / K;
		pc_hist_init(&block);
		for (i = lo; i < hi && !rc; i++)
			rc = pc_hist_merge(&block, &s->slices[i]);
		if (!rc && block.count)
			out[(*k)++] = q >= 0 ? pc_hist_quantile(&block, q) : block.sum / (double)block.count;
		pc_hist_release(&block);
	}
	return rc;
}

int pc_series_blocks(const pc_series *s, const pc_run *run, double q, double out[MAX_BLOCKS],
		     size_t *k, size_t *n)
{
	(void)run;
	*k = 0;
	*n = 0;
	if (s->nsamples) {
		*n = s->nsamples;
		return from_samples(s, q, out, k);
	}
	if (s->hist && s->slices && s->nslices) {
		*n = (size_t)s->hist->count;
		return from_slices(s, q, out, k);
	}
	return PC_ENOTFOUND;
}
