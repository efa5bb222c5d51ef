/* Distribution-free confidence intervals for a quantile from order statistics (binomial, equal
 * tails), and the sample sizes they need; see perfcmp/sigtest.h. */
#include <limits.h>
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "perfcmp/error.h"
#include "perfcmp/sigtest.h"
#include "stats/sigtest_internal.h"

/* An interval exists when neither end runs off the sample: P(B = 0) = (1 − q)ⁿ and
 * P(B = n) = qⁿ must both fit in one tail. pow is exact enough here; the search below uses
 * GSL's binomial, but only between ranks this check has already shown to exist. */
static int ci_exists(size_t n, double q, double tail)
{
	return pow(fmax(q, 1 - q), (double)n) <= tail;
}

size_t pc_quantile_ci_min_n(double q, double conf)
{
	double tail = (1 - conf) / 2, guess;
	size_t n;

	if (!(q > 0 && q < 1 && conf > 0 && conf < 1))
		return 0;
	guess = ceil(log(tail) / log(fmax(q, 1 - q)));
	n = guess > 1 ? (size_t)guess : 1;
	/* the logarithms can land one off at the boundary: settle it with the check itself */
	while (!ci_exists(n, q, tail))
		n++;
	while (n > 1 && ci_exists(n - 1, q, tail))
		n--;
	return n;
}

int pc_quantile_ci(size_t *lo, size_t *hi, size_t n, double q, double conf)
{
	double tail = (1 - conf) / 2;
	size_t good, bad, mid;

	if (!lo || !hi)
		return pc_error_set(PC_EUSAGE, "quantile interval: no output");
	if (!(q > 0 && q < 1))
		return pc_error_set(PC_EUSAGE, "quantile interval: q = %g is not in (0, 1)", q);
	if (!(conf > 0 && conf < 1))
		return pc_error_set(PC_EUSAGE, "quantile interval: confidence %g is not in (0, 1)", conf);
	if (n > UINT_MAX)
		return pc_error_set(PC_EINPUT, "quantile interval: %zu samples are too many", n);
	if (!ci_exists(n, q, tail))
		return pc_error_set(PC_ENOTFOUND,
				    "the %g-quantile needs at least %zu samples for a %g%% interval; there are %zu",
				    q, pc_quantile_ci_min_n(q, conf), conf * 100, n);
	pc_sigtest_gsl_quiet();
	/* P(B ≤ k) grows with k: bisect for the last k with P(B ≤ k) ≤ tail. k = 0 passes (the
	 * check above), k = n fails (P = 1). */
	good = 0, bad = n;
	while (bad - good > 1) {
		mid = good + (bad - good) / 2;
		if (gsl_cdf_binomial_P((unsigned int)mid, q, (unsigned int)n) <= tail)
			good = mid;
		else
			bad = mid;
	}
	*lo = good;
	/* P(B > k) falls with k: the first k with P(B > k) ≤ tail. k = n − 1 passes (P = qⁿ),
	 * "k = −1" fails (P = 1), so bisect over k + 1 in (0, n]. */
	bad = 0, good = n;
	while (good - bad > 1) {
		mid = bad + (good - bad) / 2;
		if (gsl_cdf_binomial_Q((unsigned int)(mid - 1), q, (unsigned int)n) <= tail)
			good = mid;
		else
			bad = mid;
	}
	*hi = good - 1;
	return 0;
}
