/* Error rates as proportions: the pooled two-proportion z test and Fisher's exact test for
 * small counts; see perfcmp/sigtest.h. */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "perfcmp/error.h"
#include "perfcmp/sigtest.h"
#include "stats/sigtest_internal.h"

/* R's fisher.test: tables within this relative distance of the observed one's probability
 * count as equally probable, so rounding cannot drop a mirror-image table. */
#define FISHER_REL_TOL 1e-7

/* The tables with the margins of [[a, b], [c, d]] are indexed by their top-left cell x, which
 * is hypergeometric. Weights relative to the mode come from the ratio of neighbouring terms,
 *   P(x + 1) / P(x) = (r1 − x)(c1 − x) / ((x + 1)(r2 − c1 + x + 1)),
 * so no factorial of a large count is formed (lnchoose of billions loses digits to
 * cancellation). Terms fall monotonically away from the mode (the distribution is log-concave),
 * so a walk stops once they underflow to 0. Returns the sum of the weights at most `limit`
 * (every weight when limit is INFINITY) and the observed table's weight in *w_obs (0 when it is
 * beyond underflow). */
static double fisher_walk(double *w_obs, double x_obs, double r1, double r2, double c1,
			  double limit)
{
	double lo = fmax(0, c1 - r2), hi = fmin(r1, c1);
	double mode = floor((r1 + 1) * (c1 + 1) / (r1 + r2 + 2));
	double x, w, sum = 0;

	mode = fmin(hi, fmax(lo, mode));
	*w_obs = 0;
	for (x = mode, w = 1; x <= hi && w > 0; x++) {
		if (x == x_obs)
			*w_obs = w;
		if (w <= limit)
			sum += w;
		w *= (r1 - x) * (c1 - x) / ((x + 1) * (r2 - c1 + x + 1));
	}
	for (x = mode - 1, w = 1; x >= lo; x--) {
		/* the weight at x from the one at x + 1 */
		w *= (x + 1) * (r2 - c1 + x + 1) / ((r1 - x) * (c1 - x));
		if (w <= 0)
			break;
		if (x == x_obs)
			*w_obs = w;
		if (w <= limit)
			sum += w;
	}
	return sum;
}

double pc_fisher_exact(long long a, long long b, long long c, long long d)
{
	double r1, r2, c1, total, w_obs, tail;

	if (a < 0 || b < 0 || c < 0 || d < 0)
		return NAN;
	r1 = (double)a + (double)b;
	r2 = (double)c + (double)d;
	c1 = (double)a + (double)c;
	total = fisher_walk(&w_obs, (double)a, r1, r2, c1, INFINITY);
	if (w_obs == 0)
		return 0; /* the observed table is below 1e-308 of the mode's probability */
	tail = fisher_walk(&w_obs, (double)a, r1, r2, c1, w_obs * (1 + FISHER_REL_TOL));
	return fmin(1, tail / total);
}

int pc_prop_test(double *p, int *exact, long long x1, long long n1, long long x2, long long n2)
{
	double N, c1, c2, emin, p1, p2, pool, se;

	if (!p)
		return pc_error_set(PC_EUSAGE, "proportion test: no output");
	if (n1 < 1 || n2 < 1 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2)
		return pc_error_set(PC_EINPUT, "proportion test: invalid counts %lld/%lld and %lld/%lld",
				    x1, n1, x2, n2);
	N = (double)n1 + (double)n2;
	c1 = (double)x1 + (double)x2;
	c2 = N - c1;
	/* the smallest expected cell pairs the smaller row with the smaller column */
	emin = fmin((double)n1, (double)n2) * fmin(c1, c2) / N;
	if (emin < 5) {
		*p = pc_fisher_exact(x1, n1 - x1, x2, n2 - x2);
		if (exact)
			*exact = 1;
		return 0;
	}
	p1 = (double)x1 / (double)n1;
	p2 = (double)x2 / (double)n2;
	pool = c1 / N;
	/* every expected cell ≥ 5 puts pool strictly inside (0, 1), so se > 0 */
	se = sqrt(pool * (1 - pool) * (1 / (double)n1 + 1 / (double)n2));
	pc_sigtest_gsl_quiet();
	*p = fmin(1, 2 * gsl_cdf_ugaussian_Q(fabs(p2 - p1) / se));
	if (exact)
		*exact = 0;
	return 0;
}
