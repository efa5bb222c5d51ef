/* The Mann-Whitney U test: midranks, the exact null distribution of U without ties, the
 * tie-corrected normal approximation otherwise; see perfcmp/sigtest.h. */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "perfcmp/error.h"
#include "perfcmp/sigtest.h"
#include "stats/sigtest_internal.h"

/* Both samples below this size (and no ties): exact; R's wilcox.test switches at 50 too. */
#define MW_EXACT_MAX 50

typedef struct mw_obs {
	double v;
	int in_b;
} mw_obs;

static int cmp_obs(const void *pa, const void *pb)
{
	double a = ((const mw_obs *)pa)->v, b = ((const mw_obs *)pb)->v;

	return (a > b) - (a < b);
}

/* P(U ≤ k) for k = 0 … m·n under the null, for samples of m and n values without ties, into
 * cdf[0 … m·n]. f(i, j, k), the number of orders of i + j distinct values with U = k (U counting
 * pairs where the i-side value is the larger), satisfies f(i, j, k) = f(i − 1, j, k − j) +
 * f(i, j − 1, k): the largest value is either an i-side value, beating all j others, or not.
 * Rows i − 1 and i are kept, each as n + 1 arrays of length i·j + 1 laid end to end. All terms
 * are positive, so counts up to C(98, 49) ≈ 2.5e28 keep double's relative precision. */
static int mw_null_cdf(double *cdf, size_t m, size_t n)
{
	size_t rowcap = (n + 1) + m * n * (n + 1) / 2, i, j, k;
	double *prev = NULL, *cur = NULL, *tmp, total = 0, acc = 0;
	size_t *off_prev = NULL, *off_cur = NULL, *otmp;
	int rc = PC_ENOMEM;

	prev = malloc(rowcap * sizeof(*prev));
	cur = malloc(rowcap * sizeof(*cur));
	off_prev = malloc((n + 1) * sizeof(*off_prev));
	off_cur = malloc((n + 1) * sizeof(*off_cur));
	if (!prev || !cur || !off_prev || !off_cur) {
		pc_error_set(PC_ENOMEM, "Mann-Whitney: out of memory for the exact distribution");
		goto done;
	}
	/* row 0: one order whatever j, with U = 0 */
	for (j = 0; j <= n; j++) {
		off_prev[j] = j;
		prev[j] = 1;
	}
	for (i = 1; i <= m; i++) {
		size_t at = 0;

		for (j = 0; j <= n; j++) {
			double *f = cur + at;
			size_t len = i * j + 1;

			off_cur[j] = at;
			for (k = 0; k < len; k++) {
				double v = 0;

				/* f(i − 1, j, ·) has length (i − 1)·j + 1 */
				if (k >= j && k - j <= (i - 1) * j)
					v += prev[off_prev[j] + k - j];
				/* f(i, j − 1, ·) has length i·(j − 1) + 1 */
				if (j > 0 && k <= i * (j - 1))
					v += cur[off_cur[j - 1] + k];
				f[k] = v;
			}
			at += len;
		}
		tmp = prev, prev = cur, cur = tmp;
		otmp = off_prev, off_prev = off_cur, off_cur = otmp;
	}
	for (k = 0; k <= m * n; k++)
		total += prev[off_prev[n] + k];
	for (k = 0; k <= m * n; k++) {
		acc += prev[off_prev[n] + k];
		cdf[k] = acc / total;
	}
	rc = 0;
done:
	free(prev);
	free(cur);
	free(off_prev);
	free(off_cur);
	return rc;
}

int pc_mann_whitney(double *p, double *u, int *exact, const double *a, size_t na,
		    const double *b, size_t nb)
{
	size_t N = na + nb, i, j;
	mw_obs *obs = NULL;
	double *cdf = NULL;
	double rank_b = 0, ties = 0, ub, mu, pv;
	int has_ties = 0, rc;

	if (!p || !u || !a || !b)
		return pc_error_set(PC_EUSAGE, "Mann-Whitney: no output or no values");
	if (na < 1 || nb < 1)
		return pc_error_set(PC_EINPUT, "Mann-Whitney needs at least 1 value per side (have %zu and %zu)",
				    na, nb);
	obs = malloc(N * sizeof(*obs));
	if (!obs) {
		rc = pc_error_set(PC_ENOMEM, "Mann-Whitney: out of memory");
		goto done;
	}
	for (i = 0; i < N; i++) {
		obs[i].in_b = i >= na;
		obs[i].v = i < na ? a[i] : b[i - na];
		if (isnan(obs[i].v)) {
			rc = pc_error_set(PC_EINPUT, "Mann-Whitney: a value is NaN");
			goto done;
		}
	}
	qsort(obs, N, sizeof(*obs), cmp_obs);
	/* midranks (1-based) over each run of equal values; Σ(t³ − t) for the variance */
	for (i = 0; i < N; i = j) {
		double t, mid;
		size_t k;

		for (j = i + 1; j < N && obs[j].v == obs[i].v; j++)
			;
		t = (double)(j - i);
		mid = ((double)i + 1 + (double)j) / 2;
		for (k = i; k < j; k++)
			if (obs[k].in_b)
				rank_b += mid;
		if (j - i > 1) {
			has_ties = 1;
			ties += t * t * t - t;
		}
	}
	ub = rank_b - (double)nb * ((double)nb + 1) / 2;
	mu = (double)na * (double)nb / 2;
	if (!has_ties && na < MW_EXACT_MAX && nb < MW_EXACT_MAX) {
		size_t mn = na * nb, k = (size_t)ub;
		double lower, upper;

		cdf = malloc((mn + 1) * sizeof(*cdf));
		if (!cdf) {
			rc = pc_error_set(PC_ENOMEM, "Mann-Whitney: out of memory");
			goto done;
		}
		/* U's null distribution is the same with the sides swapped: use the cheaper way */
		if ((rc = mw_null_cdf(cdf, na < nb ? na : nb, na < nb ? nb : na)) < 0)
			goto done;
		lower = cdf[k];
		upper = k > 0 ? 1 - cdf[k - 1] : 1;
		pv = 2 * fmin(lower, upper);
		if (exact)
			*exact = 1;
	} else {
		double var = mu / 6 * ((double)N + 1 - ties / ((double)N * ((double)N - 1)));
		double z = ub - mu;

		if (var <= 0) {
			pv = 1;
		} else {
			z -= z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
			pc_sigtest_gsl_quiet();
			pv = 2 * gsl_cdf_ugaussian_Q(fabs(z) / sqrt(var));
		}
		if (exact)
			*exact = 0;
	}
	*p = fmin(1, pv);
	*u = ub;
	rc = 0;
done:
	free(obs);
	free(cdf);
	return rc;
}
