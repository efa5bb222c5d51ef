/* Exact percentiles (k6's definition) and the trend summary; see perfcmp/stats.h. */
#include <math.h>
#include <stdlib.h>

#include "perfcmp/stats.h"

double pc_quantile_sorted(const double *v, size_t n, double q)
{
	double i, lo, frac;
	size_t a, b;

	if (n == 0)
		return NAN;
	if (n == 1 || q <= 0)
		return v[0];
	if (q >= 1)
		return v[n - 1];
	i = q * (double)(n - 1);
	lo = floor(i);
	a = (size_t)lo;
	b = (size_t)ceil(i);
	frac = i - lo;
	/* k6: v[a] + (v[b] - v[a]) * frac */
	return v[a] + (v[b] - v[a]) * frac;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

void pc_sort_doubles(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_double);
}

void pc_summary_compute(pc_summary *out, double *v, size_t n)
{
	double sum = 0, mean, m2 = 0;
	size_t i;

	out->count = n;
	if (n == 0) {
		out->min = out->max = out->avg = out->stddev = NAN;
		out->p50 = out->p90 = out->p95 = out->p99 = out->p999 = NAN;
		return;
	}
	pc_sort_doubles(v, n);
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / (double)n;
	/* second pass for the variance: stable for the values latency data has */
	for (i = 0; i < n; i++)
		m2 += (v[i] - mean) * (v[i] - mean);
	out->min = v[0];
	out->max = v[n - 1];
	out->avg = mean;
	out->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : NAN;
	out->p50 = pc_quantile_sorted(v, n, 0.50);
	out->p90 = pc_quantile_sorted(v, n, 0.90);
	out->p95 = pc_quantile_sorted(v, n, 0.95);
	out->p99 = pc_quantile_sorted(v, n, 0.99);
	out->p999 = pc_quantile_sorted(v, n, 0.999);
}
