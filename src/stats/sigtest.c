/* t-type tests on logs of quantiles (Welch, the random-effects window test, the prediction
 * interval), their intervals, and Holm's correction; see perfcmp/sigtest.h. */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "perfcmp/error.h"
#include "perfcmp/sigtest.h"
#include "stats/sigtest_internal.h"

void pc_sigtest_gsl_quiet(void)
{
	static int quiet;

	if (!quiet) {
		gsl_set_error_handler_off();
		quiet = 1;
	}
}

int pc_mean_var(double *mean, double *var, const double *v, size_t n)
{
	double sum = 0, m, m2 = 0;
	size_t i;

	if (!mean || !var || (!v && n))
		return pc_error_set(PC_EUSAGE, "mean and variance: no output or no values");
	if (n == 0)
		return pc_error_set(PC_EINPUT, "mean and variance: no values");
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			return pc_error_set(PC_EINPUT, "mean and variance: value %zu is not finite", i);
		sum += v[i];
	}
	m = sum / (double)n;
	/* second pass: the deviations are small next to the mean for logs of latencies */
	for (i = 0; i < n; i++)
		m2 += (v[i] - m) * (v[i] - m);
	*mean = m;
	*var = n > 1 ? m2 / (double)(n - 1) : NAN;
	return 0;
}

double pc_t_quantile(double p, double df)
{
	if (isnan(p) || isnan(df) || p < 0 || p > 1 || df <= 0)
		return NAN;
	if (p == 0)
		return -INFINITY;
	if (p == 1)
		return INFINITY;
	pc_sigtest_gsl_quiet();
	return gsl_cdf_tdist_Pinv(p, df);
}

/* Fill out the test from diff, se and df; se = 0 is the documented degenerate case. */
static int ttest_finish(pc_ttest *out, double diff, double se, double df)
{
	double t, p;

	if (se == 0) {
		t = diff == 0 ? 0 : copysign(INFINITY, diff);
		p = diff == 0 ? 1 : 0;
	} else {
		pc_sigtest_gsl_quiet();
		t = diff / se;
		/* the upper tail of |t|, not 1 − P: accurate for tiny p */
		p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
		if (isnan(p))
			return pc_error_set(PC_EINPUT, "t test: the t distribution failed (t = %g, df = %g)",
					    t, df);
		if (p > 1)
			p = 1;
	}
	out->t = t;
	out->df = df;
	out->p = p;
	out->diff = diff;
	out->se = se;
	return 0;
}

int pc_welch(pc_ttest *out, const double *a, size_t na, const double *b, size_t nb)
{
	double ma, va, mb, vb, ea, eb, se2, df;
	int rc;

	if (!out || !a || !b)
		return pc_error_set(PC_EUSAGE, "Welch's t: no output or no values");
	if (na < 2 || nb < 2)
		return pc_error_set(PC_EINPUT, "Welch's t needs at least 2 values per side (have %zu and %zu)",
				    na, nb);
	if ((rc = pc_mean_var(&ma, &va, a, na)) < 0 || (rc = pc_mean_var(&mb, &vb, b, nb)) < 0)
		return rc;
	ea = va / (double)na;
	eb = vb / (double)nb;
	se2 = ea + eb;
	if (se2 > 0)
		df = se2 * se2 / (ea * ea / (double)(na - 1) + eb * eb / (double)(nb - 1));
	else
		df = (double)(na + nb - 2);
	return ttest_finish(out, mb - ma, sqrt(se2), df);
}

int pc_ttest_ratio_ci(double *lo, double *hi, const pc_ttest *t, double conf)
{
	double q;

	if (!lo || !hi || !t)
		return pc_error_set(PC_EUSAGE, "ratio interval: no output or no test");
	if (!(conf > 0 && conf < 1))
		return pc_error_set(PC_EUSAGE, "ratio interval: confidence %g is not in (0, 1)", conf);
	q = pc_t_quantile((1 + conf) / 2, t->df);
	if (isnan(q))
		return pc_error_set(PC_EINPUT, "ratio interval: no t quantile for df = %g", t->df);
	/* expm1: changes of a fraction of a percent keep their digits */
	*lo = expm1(t->diff - q * t->se);
	*hi = expm1(t->diff + q * t->se);
	return 0;
}

int pc_window_test(pc_ttest *out, double y_c, double w_c, const double *y_base,
		   const double *w_base, size_t N)
{
	double ybar, yvar, wbar, wvar, tau2;
	size_t i;
	int rc;

	if (!out || !y_base || !w_base)
		return pc_error_set(PC_EUSAGE, "window test: no output or no values");
	if (N < 2)
		return pc_error_set(PC_EINPUT, "the window test needs at least 2 baseline runs (have %zu)", N);
	if (!isfinite(y_c) || !isfinite(w_c) || w_c < 0)
		return pc_error_set(PC_EINPUT, "window test: the candidate's value or variance is invalid");
	for (i = 0; i < N; i++)
		if (!(w_base[i] >= 0))
			return pc_error_set(PC_EINPUT, "window test: baseline run %zu has a negative or NaN variance",
					    i);
	if ((rc = pc_mean_var(&ybar, &yvar, y_base, N)) < 0 ||
	    (rc = pc_mean_var(&wbar, &wvar, w_base, N)) < 0)
		return rc;
	/* what the runs spread beyond their own within-run noise; never negative */
	tau2 = fmax(0, yvar - wbar);
	return ttest_finish(out, y_c - ybar, sqrt(tau2 + w_c + (tau2 + wbar) / (double)N),
			    (double)(N - 1));
}

int pc_prediction_test(pc_ttest *out, double y_c, const double *y_base, size_t N)
{
	double ybar, yvar;
	int rc;

	if (!out || !y_base)
		return pc_error_set(PC_EUSAGE, "prediction test: no output or no values");
	if (N < 5)
		return pc_error_set(PC_EINPUT, "the prediction test needs at least 5 baseline runs (have %zu)",
				    N);
	if (!isfinite(y_c))
		return pc_error_set(PC_EINPUT, "prediction test: the candidate's value is not finite");
	if ((rc = pc_mean_var(&ybar, &yvar, y_base, N)) < 0)
		return rc;
	return ttest_finish(out, y_c - ybar, sqrt(yvar * (1 + 1 / (double)N)), (double)(N - 1));
}

void pc_holm(double *adjusted, const double *p, size_t n)
{
	size_t i, j, m = 0;

	for (i = 0; i < n; i++)
		m += !isnan(p[i]);
	/* First each p's own term (m − rank)·p, ties sharing the lowest rank (the largest
	 * multiplier, which the step-down's running max would give them anyway). */
	for (i = 0; i < n; i++) {
		size_t rank = 0;

		adjusted[i] = NAN;
		if (isnan(p[i]))
			continue;
		for (j = 0; j < n; j++)
			rank += p[j] < p[i];
		adjusted[i] = (double)(m - rank) * p[i];
	}
	/* Then the running max over every p(j) ≤ p(i). Overwriting adjusted[i] on the way is
	 * harmless: a later k that reads it has p(k) ≥ p(i), so its set of j holds all of i's. */
	for (i = 0; i < n; i++) {
		if (isnan(p[i]))
			continue;
		for (j = 0; j < n; j++)
			if (!isnan(p[j]) && p[j] <= p[i] && adjusted[j] > adjusted[i])
				adjusted[i] = adjusted[j];
	}
	for (i = 0; i < n; i++)
		if (adjusted[i] > 1)
			adjusted[i] = 1;
}
