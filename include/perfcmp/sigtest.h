/* Significance machinery for comparing runs (../shared/STATS.md): Welch's t, the random-effects
 * window test, the prediction-interval test, exact and approximate Mann-Whitney U, Fisher's
 * exact and the two-proportion test, order-statistic quantile intervals and Holm's correction.
 *
 * Definitions common to every function here:
 * - p-values are two-sided, in [0, 1].
 * - Variances use n − 1 ("sample variance").
 * - NaN is never a valid input value: a NaN (or, where said, an infinity) is PC_EINPUT. Too few
 *   values is PC_EINPUT; a NULL pointer or a parameter out of its range (q, conf) is PC_EUSAGE.
 *   Every function that returns int returns 0 or a negative PC_E* code (perfcmp/error.h) and
 *   leaves its outputs untouched on error.
 * - Distributions come from GSL. The first call into this module turns GSL's default error
 *   handler (which aborts) off, process-wide, and arguments are checked before they reach GSL,
 *   so nothing here prints or exits. */
#ifndef PERFCMP_SIGTEST_H
#define PERFCMP_SIGTEST_H

#include <stddef.h>

/* The mean and the sample variance (n − 1) of n finite values; var is NaN for n = 1.
 * n = 0 or a non-finite value: PC_EINPUT. */
int pc_mean_var(double *mean, double *var, const double *v, size_t n);

/* The p-quantile of Student's t with df degrees of freedom (df > 0, not necessarily an
 * integer): pc_t_quantile(0.975, df) is the multiplier of a 95% two-sided interval. p = 0 and
 * p = 1 give −INFINITY and INFINITY; p outside [0, 1], df ≤ 0 or NaN give NaN. */
double pc_t_quantile(double p, double df);

/* The result of a t-type test of "b (or the candidate) differs from a (or the baseline)".
 * diff is b's location minus a's in the caller's units (perfcmp passes natural logs of
 * quantiles, so diff is a log ratio), se its standard error, t = diff / se, df the degrees of
 * freedom of t's reference distribution and p its two-sided p-value. When se = 0 (no spread at
 * all) t is 0 and p = 1 if diff = 0, else t = ±INFINITY and p = 0. */
typedef struct pc_ttest {
	double t, df, p, diff, se;
} pc_ttest;

/* Welch's two-sample t test of a (na values) against b (nb values): diff = mean(b) − mean(a),
 * se = sqrt(var(a)/na + var(b)/nb), df by Welch–Satterthwaite,
 *   df = se⁴ / ((var(a)/na)² / (na − 1) + (var(b)/nb)² / (nb − 1)).
 * Needs na, nb ≥ 2 and finite values (else PC_EINPUT). When both variances are 0, se = 0 (see
 * pc_ttest) and df, undefined there, is reported as na + nb − 2. */
int pc_welch(pc_ttest *out, const double *a, size_t na, const double *b, size_t nb);

/* The interval of the ratio behind a t result on logs, as fractional changes:
 * lo = exp(diff − t·se) − 1, hi = exp(diff + t·se) − 1, t = pc_t_quantile((1 + conf) / 2, df)
 * (0.1 means +10%). conf in (0, 1), else PC_EUSAGE. */
int pc_ttest_ratio_ci(double *lo, double *hi, const pc_ttest *t, double conf);

/* The random-effects test of one candidate against a window of N ≥ 2 baseline runs (STATS.md,
 * "A candidate against a window of runs"). y_* are per-run values (logs of the whole-run
 * quantile), w_* their within-run variances (variance of the block log quantiles / K), w ≥ 0.
 *   τ² = max(0, var(y_base) − mean(w_base)),
 *   diff = y_c − mean(y_base), se = sqrt(τ² + w_c + (τ² + mean(w_base)) / N),
 *   t = diff / se with df = N − 1 (the between-run variance rests on N runs).
 * N < 2, a negative or non-finite value: PC_EINPUT. */
int pc_window_test(pc_ttest *out, double y_c, double w_c, const double *y_base,
		   const double *w_base, size_t N);

/* The t prediction-interval test for summaries only (no blocks): is y_c a new draw from the
 * population of the N baseline values? diff = y_c − mean(y_base), se = s·sqrt(1 + 1/N) with s
 * the sample standard deviation of y_base, df = N − 1. Needs N ≥ 5 (STATS.md), else PC_EINPUT. */
int pc_prediction_test(pc_ttest *out, double y_c, const double *y_base, size_t N);

/* The Mann-Whitney U test (Wilcoxon rank-sum) of a against b, na, nb ≥ 1, no NaN.
 * *u = U of b = #{(i, j): b[j] > a[i]} + ½·#{(i, j): b[j] = a[i]}: na·nb/2 is "no shift",
 * larger means b tends to be larger. Tables of critical values list min(U, na·nb − U).
 * p is two-sided: 2·min(P(U ≤ u), P(U ≥ u)), capped at 1.
 * - Exact, from the null distribution of U counted over all C(na + nb, na) rank assignments,
 *   when there are no ties and na < 50 and nb < 50 (R's wilcox.test rule).
 * - Otherwise the normal approximation, mean na·nb/2, variance
 *   na·nb/12 · (N + 1 − Σ(t³ − t) / (N(N − 1))) over the tie groups of sizes t, N = na + nb,
 *   with a continuity correction of ½ toward the mean. All values equal: p = 1.
 * *exact (may be NULL) says which was used. Allocates O(na + nb) (and for the exact
 * distribution O(min(na, nb) · max(na, nb)²) doubles); PC_ENOMEM when that fails. */
int pc_mann_whitney(double *p, double *u, int *exact, const double *a, size_t na,
		    const double *b, size_t nb);

/* The distribution-free, equal-tailed confidence interval for the q-quantile (0 < q < 1) of a
 * continuous distribution from n i.i.d. samples, as 0-based ranks into the ascending sample:
 * the interval is [v[*lo], v[*hi]]. With B ~ Binomial(n, q), the number of samples below the
 * true quantile, x[lo] (0-based) lies above it with probability P(B ≤ lo) and x[hi] below it
 * with probability P(B > hi), so
 *   *lo = the largest k with P(B ≤ k) ≤ (1 − conf)/2,
 *   *hi = the smallest k with P(B > k) ≤ (1 − conf)/2,
 * and the coverage is at least conf (more with ties, as the interval is closed).
 * Such ranks exist only when qⁿ ≤ (1 − conf)/2 and (1 − q)ⁿ ≤ (1 − conf)/2: for conf = 0.95,
 * p50 needs n ≥ 6, p95 n ≥ 72, p99 n ≥ 368 (pc_quantile_ci_min_n). Fewer samples:
 * PC_ENOTFOUND, with a message saying how many are needed; *lo, *hi untouched.
 * q or conf outside (0, 1): PC_EUSAGE; n above UINT_MAX: PC_EINPUT. */
int pc_quantile_ci(size_t *lo, size_t *hi, size_t n, double q, double conf);

/* The smallest n for which pc_quantile_ci finds an interval (0 when q or conf is out of range). */
size_t pc_quantile_ci_min_n(double q, double conf);

/* Holm–Bonferroni adjusted p-values (step-down): with the m non-NaN p-values in ascending order
 * p(1) ≤ … ≤ p(m), adjusted p(i) = min(1, max over j ≤ i of (m − j + 1)·p(j)); a row is
 * significant at α when its adjusted p ≤ α. NaN entries (rows without a test) stay NaN and do
 * not count in m. Equal p-values get equal adjusted values. adjusted must not alias p.
 * O(n²) time and no allocation: n is the rows of one comparison. */
void pc_holm(double *adjusted, const double *p, size_t n);

/* Fisher's exact test of the 2×2 table [[a, b], [c, d]], two-sided: the total probability, under
 * the hypergeometric distribution with the table's margins, of the tables no more probable than
 * the observed one (relative tolerance 1e-7, as R's fisher.test, so equal-probability tables
 * count despite rounding). NaN when a count is negative. */
double pc_fisher_exact(long long a, long long b, long long c, long long d);

/* Two-proportion test of x1/n1 (baseline) against x2/n2 (candidate), 0 ≤ x ≤ n, n ≥ 1 (else
 * PC_EINPUT). When every expected cell of the table [[x1, n1 − x1], [x2, n2 − x2]] (row total ·
 * column total / grand total) is at least 5: the pooled z test without continuity correction,
 * z = (x2/n2 − x1/n1) / sqrt(p̂(1 − p̂)(1/n1 + 1/n2)), p̂ = (x1 + x2)/(n1 + n2), *exact = 0.
 * Otherwise Fisher's exact test (pc_fisher_exact), *exact = 1 (exact may be NULL). */
int pc_prop_test(double *p, int *exact, long long x1, long long n1, long long x2, long long n2);

#endif
