/* Significance tests checked against published values (R's documented outputs, textbook tables)
 * and against second implementations written differently here: brute-force enumeration,
 * direct summation with lgamma or exact integers, Simpson integration of Student's density and
 * closed forms. Nothing here calls GSL, so a wrong GSL call cannot check itself. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "perfcmp/error.h"
#include "perfcmp/sigtest.h"

/* ---- independent reference implementations ---- */

/* Student's t density, from its definition (M_PI is not in strict C11). */
static double ref_t_pdf(double x, double df)
{
	return exp(lgamma((df + 1) / 2) - lgamma(df / 2)) / sqrt(df * 3.14159265358979323846) *
	       pow(1 + x * x / df, -(df + 1) / 2);
}

/* Two-sided p of Student's t: 1 − 2∫₀^|t| f, Simpson's rule on 20000 panels. */
static double ref_t_two_sided(double t, double df)
{
	const int panels = 20000;
	double h = fabs(t) / panels, s = ref_t_pdf(0, df) + ref_t_pdf(fabs(t), df);
	int i;

	for (i = 1; i < panels; i++)
		s += (i % 2 ? 4 : 2) * ref_t_pdf(i * h, df);
	return 1 - 2 * s * h / 3;
}

/* Two-sided normal p from the C library's erfc. */
static double ref_z_two_sided(double z)
{
	return erfc(fabs(z) / sqrt(2));
}

/* C(n, k) exactly, for the small n used here. */
static uint64_t ref_choose(unsigned n, unsigned k)
{
	uint64_t r = 1;
	unsigned i;

	if (k > n)
		return 0;
	for (i = 1; i <= k; i++)
		r = r * (n - k + i) / i; /* exact: r·(n−k+i) is C(n−k+i, i)·i */
	return r;
}

/* P(B = k), B ~ Binomial(n, q), written with lgamma. */
static double ref_binom_pmf(long k, long n, double q)
{
	return exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(q) +
		   (n - k) * log1p(-q));
}

/* Mann-Whitney by enumeration: every way to choose which na of the N sorted distinct
 * positions belong to a; U of b counted pair by pair. Returns the two-sided exact p of u_obs. */
static double ref_mw_enumerate(unsigned na, unsigned nb, double u_obs)
{
	unsigned N = na + nb;
	uint32_t mask;
	double le = 0, ge = 0, all = 0;

	for (mask = 0; mask < (1u << N); mask++) {
		unsigned pos, a_below = 0;
		double u = 0;

		if ((unsigned)__builtin_popcount(mask) != na)
			continue;
		/* walk positions upward: a b at a position beats every a below it */
		for (pos = 0; pos < N; pos++) {
			if (mask & (1u << pos))
				a_below++;
			else
				u += a_below;
		}
		all++;
		le += u <= u_obs;
		ge += u >= u_obs;
	}
	return fmin(1, 2 * fmin(le, ge) / all);
}

/* a = 10, 20, …, 10·m; b holds n values placed so that U of b is exactly u, no ties. */
static void mw_make(double *a, unsigned m, double *b, unsigned n, unsigned u)
{
	unsigned i, j;

	for (i = 0; i < m; i++)
		a[i] = 10.0 * (i + 1);
	for (j = 0; j < n; j++) {
		unsigned beat = u > m ? m : u;

		u -= beat;
		/* above `beat` a's, below the next; the j term keeps b's apart */
		b[j] = 10.0 * beat + 5 + 0.01 * j;
	}
}

/* ---- Welch's t ---- */

/* R's sleep data, t.test(extra ~ group, data = sleep): "t = -1.8608, df = 17.776,
 * p-value = 0.07939", 95% CI of mean1 − mean2 "-3.3654832 0.2054832", means 0.75 and 2.33. */
Test(sigtest, welch_r_sleep_example)
{
	double g1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
	double g2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
	pc_ttest t;
	double q;

	cr_assert_eq(pc_welch(&t, g1, 10, g2, 10), 0);
	cr_assert_float_eq(t.diff, 2.33 - 0.75, 1e-12);
	cr_assert_float_eq(t.t, 1.8608, 5e-5); /* our diff is b − a: the sign flips */
	cr_assert_float_eq(t.df, 17.776, 5e-4);
	cr_assert_float_eq(t.p, 0.07939, 5e-6);
	q = pc_t_quantile(0.975, t.df);
	cr_assert_float_eq(t.diff - q * t.se, -0.2054832, 5e-7);
	cr_assert_float_eq(t.diff + q * t.se, 3.3654832, 5e-7);
}

/* Unequal sizes and spreads against sums of squares, the other form of Satterthwaite's df and
 * Simpson's integral of the density. */
Test(sigtest, welch_against_second_implementation)
{
	double a[] = {3.1, 2.9, 3.6, 3.3, 2.8};
	double b[] = {3.9, 4.6, 3.2, 5.1, 4.4, 3.7, 4.9, 5.3};
	double sa = 0, sa2 = 0, sb = 0, sb2 = 0, va, vb, se, t, df;
	pc_ttest r;
	int i;

	for (i = 0; i < 5; i++)
		sa += a[i], sa2 += a[i] * a[i];
	for (i = 0; i < 8; i++)
		sb += b[i], sb2 += b[i] * b[i];
	va = (sa2 - sa * sa / 5) / 4;
	vb = (sb2 - sb * sb / 8) / 7;
	se = sqrt(va / 5 + vb / 8);
	t = (sb / 8 - sa / 5) / se;
	df = pow(va / 5 + vb / 8, 2) / (va * va / (25.0 * 4) + vb * vb / (64.0 * 7));
	cr_assert_eq(pc_welch(&r, a, 5, b, 8), 0);
	cr_assert_float_eq(r.t, t, 1e-9);
	cr_assert_float_eq(r.se, se, 1e-12);
	cr_assert_float_eq(r.df, df, 1e-9);
	cr_assert_float_eq(r.p, ref_t_two_sided(t, df), 1e-9);
	cr_assert(r.p < 0.01, "a clear shift: p = %g", r.p);
}

Test(sigtest, welch_degenerate_and_errors)
{
	double same[] = {2, 2, 2}, other[] = {3, 3}, nan[] = {1, NAN};
	pc_ttest t;

	cr_assert_eq(pc_welch(&t, same, 3, same, 3), 0);
	cr_assert_eq(t.se, 0);
	cr_assert_eq(t.p, 1);
	cr_assert_eq(t.t, 0);
	cr_assert_eq(t.df, 4);
	cr_assert_eq(pc_welch(&t, same, 3, other, 2), 0);
	cr_assert_eq(t.p, 0);
	cr_assert(isinf(t.t) && t.t > 0);
	cr_assert_eq(pc_welch(&t, same, 1, other, 2), PC_EINPUT);
	cr_assert_eq(pc_welch(&t, same, 3, nan, 2), PC_EINPUT);
	cr_assert_eq(pc_welch(NULL, same, 3, other, 2), PC_EUSAGE);
}

/* Student's t table (any statistics text): t(0.975; 1) = 12.706, t(0.975; 10) = 2.228,
 * t(0.95; 5) = 2.015, t(0.995; 30) = 2.750; a non-integer df checked by integrating back. */
Test(sigtest, t_quantile_table)
{
	double x;

	cr_assert_float_eq(pc_t_quantile(0.975, 1), 12.706, 5e-4);
	cr_assert_float_eq(pc_t_quantile(0.975, 10), 2.228, 5e-4);
	cr_assert_float_eq(pc_t_quantile(0.95, 5), 2.015, 5e-4);
	cr_assert_float_eq(pc_t_quantile(0.995, 30), 2.750, 5e-4);
	cr_assert_float_eq(pc_t_quantile(0.025, 10), -2.228, 5e-4);
	x = pc_t_quantile(0.975, 7.3);
	cr_assert_float_eq(ref_t_two_sided(x, 7.3), 0.05, 1e-9);
	cr_assert(isinf(pc_t_quantile(1, 4)));
	cr_assert(isnan(pc_t_quantile(0.5, 0)));
	cr_assert(isnan(pc_t_quantile(1.5, 3)));
}

/* R: exp(diff ± t·se) − 1 for the sleep example, from the published interval of the mean
 * difference (treating the values as logs). */
Test(sigtest, ratio_interval)
{
	double g1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
	double g2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
	pc_ttest t;
	double lo, hi;

	cr_assert_eq(pc_welch(&t, g1, 10, g2, 10), 0);
	cr_assert_eq(pc_ttest_ratio_ci(&lo, &hi, &t, 0.95), 0);
	cr_assert_float_eq(lo, exp(-0.2054832) - 1, 1e-6);
	cr_assert_float_eq(hi, exp(3.3654832) - 1, 1e-5);
	cr_assert_eq(pc_ttest_ratio_ci(&lo, &hi, &t, 1), PC_EUSAGE);
}

/* ---- the window and prediction tests ---- */

/* Worked by hand: mean y 0.1, var 0.01, mean w 0.002, τ² = 0.008,
 * se² = 0.008 + 0.002 + 0.010/3 = 0.04/3, T = 0.4/sqrt(0.04/3) = sqrt(12), df = 2; Student's t
 * with 2 df has the closed form two-sided p = 1 − t/sqrt(t² + 2). */
Test(sigtest, window_test_hand_worked)
{
	double y[] = {0.0, 0.1, 0.2}, w[] = {0.001, 0.002, 0.003};
	pc_ttest t;

	cr_assert_eq(pc_window_test(&t, 0.5, 0.002, y, w, 3), 0);
	cr_assert_float_eq(t.diff, 0.4, 1e-12);
	cr_assert_float_eq(t.se, sqrt(0.04 / 3), 1e-12);
	cr_assert_float_eq(t.t, sqrt(12), 1e-9);
	cr_assert_eq(t.df, 2);
	cr_assert_float_eq(t.p, 1 - sqrt(12) / sqrt(14), 1e-9);
}

/* Within-run noise larger than the runs' spread: τ² is clamped at 0, se² = w_c + mean(w)/N. */
Test(sigtest, window_test_tau_clamped_and_errors)
{
	double y[] = {0.0, 0.1, 0.2, 0.1}, w[] = {0.02, 0.02, 0.02, 0.02}, one[] = {0};
	double neg[] = {0.02, -0.01, 0.02, 0.02};
	pc_ttest t;

	cr_assert_eq(pc_window_test(&t, 0.1, 0.03, y, w, 4), 0);
	cr_assert_float_eq(t.se, sqrt(0.03 + 0.02 / 4), 1e-12);
	cr_assert_float_eq(t.diff, 0.0, 1e-12);
	cr_assert_eq(t.df, 3);
	cr_assert_float_eq(t.p, 1.0, 1e-9);
	cr_assert_eq(pc_window_test(&t, 0.1, 0.03, one, one, 1), PC_EINPUT);
	cr_assert_eq(pc_window_test(&t, 0.1, 0.03, y, neg, 4), PC_EINPUT);
	cr_assert_eq(pc_window_test(&t, 0.1, -1, y, w, 4), PC_EINPUT);
}

/* y = 1…5: mean 3, s² = 2.5, se = sqrt(2.5·1.2) = sqrt(3), T = 4/sqrt(3), df 4. Student's t
 * with 4 df: two-sided p = 1 − x(1 + (1 − x²)/2), x = t/sqrt(4 + t²) = sqrt(4/7). */
Test(sigtest, prediction_test_hand_worked)
{
	double y[] = {1, 2, 3, 4, 5}, w0[] = {0, 0, 0, 0, 0}, x = sqrt(4.0 / 7);
	pc_ttest t, tw;

	cr_assert_eq(pc_prediction_test(&t, 7, y, 5), 0);
	cr_assert_float_eq(t.se, sqrt(3), 1e-12);
	cr_assert_float_eq(t.t, 4 / sqrt(3), 1e-12);
	cr_assert_eq(t.df, 4);
	cr_assert_float_eq(t.p, 1 - x * (1 + (1 - x * x) / 2), 1e-9);
	/* with no within-run variance the window test is the same prediction interval */
	cr_assert_eq(pc_window_test(&tw, 7, 0, y, w0, 5), 0);
	cr_assert_float_eq(tw.p, t.p, 1e-12);
	cr_assert_eq(pc_prediction_test(&t, 7, y, 4), PC_EINPUT);
}

/* ---- Mann-Whitney U ---- */

/* n1 = n2 = 5: U = 2 is significant at two-sided 0.05 (p = 8/252 = 0.0317), U = 3 is not
 * (14/252 = 0.0556), as in every table of critical values and R's exact wilcox.test. */
Test(sigtest, mann_whitney_5x5_table)
{
	double a[5], b[5], p, u;
	int exact;

	mw_make(a, 5, b, 5, 2);
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 5, b, 5), 0);
	cr_assert_eq(u, 2);
	cr_assert_eq(exact, 1);
	cr_assert_float_eq(p, 0.0317, 5e-5);
	cr_assert_float_eq(p, ref_mw_enumerate(5, 5, 2), 1e-12);
	mw_make(a, 5, b, 5, 3);
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 5, b, 5), 0);
	cr_assert_eq(u, 3);
	cr_assert_float_eq(p, 0.0556, 5e-5);
	cr_assert_float_eq(p, ref_mw_enumerate(5, 5, 3), 1e-12);
	/* the mirror image: b above a, U = 25 − 2 */
	cr_assert_eq(pc_mann_whitney(&p, &u, NULL, b, 5, a, 5), 0);
	cr_assert_float_eq(p, 0.0556, 5e-5);
	cr_assert_eq(u, 22);
}

/* Critical values of U for two-sided α = 0.05 from the standard table (largest U still
 * significant): n1 = n2 = 5…10 and 20, and n1 = 5, n2 = 10. */
Test(sigtest, mann_whitney_critical_values)
{
	static const unsigned sizes[][3] = {{5, 5, 2},	 {6, 6, 5},   {7, 7, 8},   {8, 8, 13},
					    {9, 9, 17},	 {10, 10, 23}, {20, 20, 127}, {5, 10, 8}};
	double a[20], b[20], p;
	double u;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned m = sizes[i][0], n = sizes[i][1], crit = sizes[i][2];

		mw_make(a, m, b, n, crit);
		cr_assert_eq(pc_mann_whitney(&p, &u, NULL, a, m, b, n), 0);
		cr_assert_eq(u, crit);
		cr_assert(p <= 0.05, "%ux%u U=%u: p = %g should be significant", m, n, crit, p);
		mw_make(a, m, b, n, crit + 1);
		cr_assert_eq(pc_mann_whitney(&p, &u, NULL, a, m, b, n), 0);
		cr_assert(p > 0.05, "%ux%u U=%u: p = %g should not be significant", m, n, crit + 1, p);
	}
}

/* Every U of several unequal small sizes against enumeration of all rank assignments. */
Test(sigtest, mann_whitney_exact_enumeration)
{
	static const unsigned sizes[][2] = {{1, 1}, {1, 6}, {3, 4}, {4, 9}, {6, 7}, {8, 8}, {2, 14}};
	double a[16], b[16], p, u;
	size_t i;
	unsigned k;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned m = sizes[i][0], n = sizes[i][1];

		for (k = 0; k <= m * n; k++) {
			int exact;

			mw_make(a, m, b, n, k);
			cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, m, b, n), 0);
			cr_assert_eq(exact, 1);
			cr_assert_eq(u, k);
			cr_assert_float_eq(p, ref_mw_enumerate(m, n, k), 1e-12, "%ux%u U=%u", m, n, k);
		}
	}
}

/* With ties: the normal approximation, checked against the permutation variance of the
 * midrank sum, Var(R_b) = na·nb/(N(N − 1)) · Σ(r − (N + 1)/2)², and erfc. Midranks of
 * a = {1, 2, 2, 3, 5}, b = {2, 3, 4, 5, 5, 6}: 1→1, 2→3 (×3), 3→5.5 (×2), 4→7, 5→9 (×3), 6→11. */
Test(sigtest, mann_whitney_ties_normal)
{
	double a[] = {1, 2, 2, 3, 5}, b[] = {2, 3, 4, 5, 5, 6};
	double r[] = {1, 3, 3, 3, 5.5, 5.5, 7, 9, 9, 9, 11};
	double rb = 3 + 5.5 + 7 + 9 + 9 + 11, ss = 0, var, z, p, u;
	int exact, i;

	for (i = 0; i < 11; i++)
		ss += (r[i] - 6) * (r[i] - 6);
	var = 5.0 * 6 / (11.0 * 10) * ss;
	z = (rb - 6 * 7 / 2.0 - 15) - 0.5; /* U above its mean: correct toward it */
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 5, b, 6), 0);
	cr_assert_eq(exact, 0);
	cr_assert_float_eq(u, rb - 21, 1e-12);
	cr_assert_float_eq(p, ref_z_two_sided(z / sqrt(var)), 1e-12);
	/* all equal: no evidence at all */
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a + 1, 2, a + 1, 2), 0);
	cr_assert_eq(p, 1);
	cr_assert_eq(u, 2);
}

/* 50 per side is past the exact limit: the normal approximation without ties, variance
 * na·nb(N + 1)/12; 49 per side stays exact. */
Test(sigtest, mann_whitney_switch_to_normal)
{
	double a[50], b[50], p, u, z;
	int exact;

	mw_make(a, 50, b, 50, 900);
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 50, b, 50), 0);
	cr_assert_eq(exact, 0);
	cr_assert_eq(u, 900);
	z = (900 - 1250 + 0.5) / sqrt(50.0 * 50 * 101 / 12);
	cr_assert_float_eq(p, ref_z_two_sided(z), 1e-12);
	mw_make(a, 49, b, 49, 900);
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 49, b, 49), 0);
	cr_assert_eq(exact, 1);
	/* close to the normal value there (continuity-corrected, so within 1e-3) */
	z = (900 - 49 * 49 / 2.0 + 0.5) / sqrt(49.0 * 49 * 99 / 12);
	cr_assert_float_eq(p, ref_z_two_sided(z), 1e-3);
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 0, b, 49), PC_EINPUT);
	b[3] = NAN;
	cr_assert_eq(pc_mann_whitney(&p, &u, &exact, a, 49, b, 49), PC_EINPUT);
}

/* ---- order-statistic quantile intervals ---- */

/* STATS.md: equal tails at 95% need qⁿ ≤ 0.025: p50 6 samples, p95 72, p99 368. */
Test(sigtest, quantile_ci_sample_thresholds)
{
	size_t lo = 777, hi = 777;

	cr_assert_eq(pc_quantile_ci_min_n(0.50, 0.95), 6);
	cr_assert_eq(pc_quantile_ci_min_n(0.95, 0.95), 72);
	cr_assert_eq(pc_quantile_ci_min_n(0.99, 0.95), 368);
	cr_assert_eq(pc_quantile_ci_min_n(0.05, 0.95), 72);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 5, 0.50, 0.95), PC_ENOTFOUND);
	cr_assert_eq(lo, 777);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 6, 0.50, 0.95), 0);
	cr_assert_eq(lo, 0);
	cr_assert_eq(hi, 5);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 71, 0.95, 0.95), PC_ENOTFOUND);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 72, 0.95, 0.95), 0);
	cr_assert_eq(hi, 71);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 367, 0.99, 0.95), PC_ENOTFOUND);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 368, 0.99, 0.95), 0);
	cr_assert_eq(hi, 367);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 0, 0.5, 0.95), PC_ENOTFOUND);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 100, 0, 0.95), PC_EUSAGE);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 100, 0.5, 1), PC_EUSAGE);
}

/* The median's 95% interval from tables of order statistics: n = 10 → the 2nd and 9th
 * values, n = 20 → the 6th and 15th (1-based). */
Test(sigtest, quantile_ci_median_table)
{
	size_t lo, hi;

	cr_assert_eq(pc_quantile_ci(&lo, &hi, 10, 0.5, 0.95), 0);
	cr_assert_eq(lo, 1);
	cr_assert_eq(hi, 8);
	cr_assert_eq(pc_quantile_ci(&lo, &hi, 20, 0.5, 0.95), 0);
	cr_assert_eq(lo, 5);
	cr_assert_eq(hi, 14);
}

/* The definition, by direct summation of binomial probabilities: lo is the last k with
 * P(B ≤ k) ≤ α/2, hi the first k with 1 − P(B ≤ k) ≤ α/2. */
Test(sigtest, quantile_ci_against_binomial_sums)
{
	static const long ns[] = {72, 100, 368, 500, 1000, 3000};
	static const double qs[] = {0.1, 0.5, 0.9, 0.95, 0.99};
	static const double confs[] = {0.9, 0.95};
	size_t i, j, c;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		for (j = 0; j < sizeof(qs) / sizeof(qs[0]); j++)
			for (c = 0; c < 2; c++) {
				long n = ns[i], k, want_lo = -1, want_hi = -1;
				double q = qs[j], tail = (1 - confs[c]) / 2, cdf = 0;
				size_t lo, hi;
				int rc;

				for (k = 0; k <= n; k++) {
					cdf += ref_binom_pmf(k, n, q);
					if (cdf <= tail)
						want_lo = k;
					if (want_hi < 0 && 1 - cdf <= tail)
						want_hi = k;
				}
				rc = pc_quantile_ci(&lo, &hi, (size_t)n, q, confs[c]);
				if (want_lo < 0 || want_hi >= n) {
					cr_assert_eq(rc, PC_ENOTFOUND, "n=%ld q=%g", n, q);
					continue;
				}
				cr_assert_eq(rc, 0, "n=%ld q=%g", n, q);
				cr_assert_eq((long)lo, want_lo, "n=%ld q=%g conf=%g", n, q, confs[c]);
				cr_assert_eq((long)hi, want_hi, "n=%ld q=%g conf=%g", n, q, confs[c]);
			}
}

/* ---- Holm ---- */

/* By hand: p = .01 .04 .03 .005 → sorted .005·4 = .02, .01·3 = .03, .03·2 = .06, .04·1 = .04
 * raised to the running max .06. */
Test(sigtest, holm_hand_worked)
{
	double p[] = {0.01, 0.04, 0.03, 0.005}, adj[4];
	double capped[] = {0.6, 0.7}, ties[] = {0.02, 0.5, 0.02}, gaps[] = {0.01, NAN, 0.04};

	pc_holm(adj, p, 4);
	cr_assert_float_eq(adj[0], 0.03, 1e-15);
	cr_assert_float_eq(adj[1], 0.06, 1e-15);
	cr_assert_float_eq(adj[2], 0.06, 1e-15);
	cr_assert_float_eq(adj[3], 0.02, 1e-15);
	pc_holm(adj, capped, 2); /* 1.2 → 1, and .7 raised to 1 */
	cr_assert_eq(adj[0], 1);
	cr_assert_eq(adj[1], 1);
	pc_holm(adj, ties, 3); /* both .02 get 3·.02 */
	cr_assert_float_eq(adj[0], 0.06, 1e-15);
	cr_assert_float_eq(adj[2], 0.06, 1e-15);
	cr_assert_float_eq(adj[1], 0.5, 1e-15);
	pc_holm(adj, gaps, 3); /* NaN is no test: m = 2 */
	cr_assert_float_eq(adj[0], 0.02, 1e-15);
	cr_assert(isnan(adj[1]));
	cr_assert_float_eq(adj[2], 0.04, 1e-15);
}

/* ---- proportions ---- */

/* Fisher's exact test by exact integer enumeration: hypergeometric C(r1, x)·C(r2, c1 − x),
 * two-sided over the tables no more probable than the observed one. */
static double ref_fisher(unsigned a, unsigned b, unsigned c, unsigned d)
{
	unsigned r1 = a + b, r2 = c + d, c1 = a + c, x;
	uint64_t obs = ref_choose(r1, a) * ref_choose(r2, c), sum = 0, all = 0;

	for (x = 0; x <= r1 && x <= c1; x++) {
		uint64_t w = ref_choose(r1, x) * ref_choose(r2, c1 - x);

		all += w;
		if (w <= obs)
			sum += w;
	}
	return (double)sum / (double)all;
}

/* Lady tasting tea, [[3, 1], [1, 3]]: two-sided p = 0.4857 (Fisher 1935; R's fisher.test doc).
 * [[1, 9], [11, 3]]: 7462/2704156 = 0.002759 (Wikipedia's worked example). */
Test(sigtest, fisher_published_and_enumerated)
{
	static const unsigned tables[][4] = {{3, 1, 1, 3}, {1, 9, 11, 3}, {0, 5, 5, 0}, {2, 7, 8, 2},
					     {0, 0, 4, 6}, {10, 0, 0, 10}, {1, 19, 6, 14}, {5, 3, 2, 9}};
	size_t i;

	cr_assert_float_eq(pc_fisher_exact(3, 1, 1, 3), 0.4857, 5e-5);
	cr_assert_float_eq(pc_fisher_exact(3, 1, 1, 3), 34.0 / 70, 1e-12);
	cr_assert_float_eq(pc_fisher_exact(1, 9, 11, 3), 7462.0 / 2704156, 1e-12);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		const unsigned *t = tables[i];

		cr_assert_float_eq(pc_fisher_exact(t[0], t[1], t[2], t[3]),
				   ref_fisher(t[0], t[1], t[2], t[3]), 1e-12, "table %zu", i);
	}
	cr_assert(isnan(pc_fisher_exact(-1, 2, 3, 4)));
}

/* 50/500 against 75/500: R's prop.test(c(50, 75), c(500, 500), correct = FALSE) gives
 * X-squared = 5.7143, p-value = 0.01683; z² = 0.05² / (0.125·0.875·2/500). */
Test(sigtest, prop_test_z_and_fisher)
{
	double p, z = 0.05 / sqrt(0.125 * 0.875 * 2 / 500);
	int exact = -1;

	cr_assert_eq(pc_prop_test(&p, &exact, 50, 500, 75, 500), 0);
	cr_assert_eq(exact, 0);
	cr_assert_float_eq(z * z, 5.7143, 5e-5);
	cr_assert_float_eq(p, 0.01683, 5e-6);
	cr_assert_float_eq(p, ref_z_two_sided(z), 1e-12);
	/* 1/20 against 6/20: expected failures 3.5 < 5, so Fisher */
	cr_assert_eq(pc_prop_test(&p, &exact, 1, 20, 6, 20), 0);
	cr_assert_eq(exact, 1);
	cr_assert_float_eq(p, ref_fisher(1, 19, 6, 14), 1e-12);
	/* no failures on either side: nothing to test */
	cr_assert_eq(pc_prop_test(&p, &exact, 0, 1000, 0, 1000), 0);
	cr_assert_eq(exact, 1);
	cr_assert_eq(p, 1);
	cr_assert_eq(pc_prop_test(&p, &exact, 5, 4, 1, 10), PC_EINPUT);
	cr_assert_eq(pc_prop_test(&p, &exact, 0, 0, 1, 10), PC_EINPUT);
}

/* Large counts stay fast and finite: the weights are ratios, not factorials. */
Test(sigtest, fisher_large_counts)
{
	double p = pc_fisher_exact(3, 4000000000LL, 0, 4000000000LL);

	/* one-sided P(all 3 failures in row 1) = 1/8 by symmetry; the mirror table is as likely */
	cr_assert_float_eq(p, 0.25, 1e-6);
}
