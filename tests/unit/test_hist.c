/* Log-linear histograms: bucket order, quantiles against exact ones within the stated relative
 * error, merging, and the byte encoding. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/hist.h"
#include "perfcmp/stats.h"

/* A deterministic log-normal sample (Box-Muller on a 64-bit LCG). */
static double lognormal(uint64_t *s, double mu, double sigma)
{
	double u1, u2;

	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	u1 = ((double)(*s >> 11) + 1) / 9007199254740993.0;
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	u2 = (double)(*s >> 11) / 9007199254740992.0;
	return exp(mu + sigma * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
}

Test(hist, keys_are_monotonic_and_values_close)
{
	double v = 1e-9;
	int32_t prev = pc_hist_key(0);

	cr_assert_eq(prev, 0);
	cr_assert_eq(pc_hist_value(0), 0);
	for (; v < 1e12; v *= 1.0037) {
		int32_t k = pc_hist_key(v);
		cr_assert_geq(k, prev);
		cr_assert(fabs(pc_hist_value(k) - v) <= PC_HIST_REL_ERR * v, "v %g", v);
		cr_assert_eq(pc_hist_key(-v), -k);
		prev = k;
	}
}

Test(hist, quantiles_within_relative_error)
{
	static const double qs[] = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};
	size_t n = 200000, i, k;
	double *v = malloc(n * sizeof(*v));
	uint64_t seed = 42;
	pc_hist h;

	pc_hist_init(&h);
	for (i = 0; i < n; i++) {
		v[i] = lognormal(&seed, 3, 0.8);
		cr_assert_eq(pc_hist_add(&h, v[i], 1), 0);
	}
	pc_sort_doubles(v, n);
	cr_assert_eq(h.count, n);
	for (k = 0; k < sizeof(qs) / sizeof(*qs); k++) {
		double exact = pc_quantile_sorted(v, n, qs[k]), est = pc_hist_quantile(&h, qs[k]);
		cr_assert(fabs(est - exact) <= PC_HIST_REL_ERR * exact, "q %g: %g vs %g", qs[k], est,
			  exact);
	}
	cr_assert_eq(pc_hist_quantile(&h, 0), v[0]);
	cr_assert_eq(pc_hist_quantile(&h, 1), v[n - 1]);
	pc_hist_release(&h);
	free(v);
}

Test(hist, merge_equals_adding_everything)
{
	pc_hist a, b, all;
	uint64_t seed = 7;
	size_t i;

	pc_hist_init(&a);
	pc_hist_init(&b);
	pc_hist_init(&all);
	for (i = 0; i < 5000; i++) {
		double x = lognormal(&seed, 1, 1.5);
		pc_hist_add(i % 3 ? &a : &b, x, 1);
		pc_hist_add(&all, x, 1);
	}
	cr_assert_eq(pc_hist_merge(&a, &b), 0);
	cr_assert_eq(a.count, all.count);
	cr_assert_eq(a.n, all.n);
	cr_assert(memcmp(a.keys, all.keys, a.n * sizeof(*a.keys)) == 0);
	cr_assert(memcmp(a.counts, all.counts, a.n * sizeof(*a.counts)) == 0);
	cr_assert_eq(a.min, all.min);
	cr_assert_eq(a.max, all.max);
	pc_hist_release(&a);
	pc_hist_release(&b);
	pc_hist_release(&all);
}

Test(hist, encode_decode_round_trip)
{
	pc_buf buf = PC_BUF_INIT;
	pc_hist h, back, empty;
	size_t used, i;

	pc_hist_init(&h);
	pc_hist_init(&empty);
	for (i = 0; i < 1000; i++)
		pc_hist_push_sorted(&h, (double)i * 0.37 - 20);
	cr_assert_eq(pc_hist_encode(&h, &buf), 0);
	cr_assert_eq(pc_hist_encode(&empty, &buf), 0);
	cr_assert_eq(pc_hist_decode(&back, (unsigned char *)buf.ptr, buf.len, &used), 0);
	cr_assert_eq(back.count, h.count);
	cr_assert_eq(back.n, h.n);
	cr_assert_eq(back.min, h.min);
	cr_assert_eq(back.sum, h.sum);
	cr_assert(memcmp(back.keys, h.keys, h.n * sizeof(*h.keys)) == 0);
	pc_hist_release(&back);
	cr_assert_eq(pc_hist_decode(&back, (unsigned char *)buf.ptr + used, buf.len - used, &used), 0);
	cr_assert_eq(back.count, 0);
	cr_assert(isnan(pc_hist_quantile(&back, 0.5)));
	cr_assert_neq(pc_hist_decode(&back, (unsigned char *)buf.ptr, 5, &used), 0);
	pc_hist_release(&h);
	pc_buf_release(&buf);
}
