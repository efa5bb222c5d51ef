/* The comparison: match series between the sides with a profile's rules, test each statistic
 * (time blocks, windows of runs, proportions), correct with Holm and give verdicts
 * (../shared/STATS.md). */
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/buf.h"
#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/sigtest.h"
#include "perfcmp/stats.h"
#include "perfcmp/strutil.h"

#define CONF 0.95

const char *pc_verdict_name(pc_verdict v)
{
	static const char *const names[] = {"unchanged", "improvement", "inconclusive", "regression"};
	return names[v];
}

static void row_release(pc_row *r)
{
	free(r->metric);
	free(r->tags);
	free(r->stat);
	free(r->unit);
}

void pc_comparison_free(pc_comparison *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nrows; i++)
		row_release(&c->rows[i]);
	free(c->rows);
	for (i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c);
}

static int warn(pc_comparison *c, const char *fmt, ...) PC_PRINTF(2, 3);

static int warn(pc_comparison *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pc_strlist_vadd(&c->warnings, &c->nwarnings, &c->capwarnings, fmt, ap);
	va_end(ap);
	return rc;
}

/* A warning about one series, named in k6's notation like the tables do. */
static int warn_series(pc_comparison *c, const pc_series *s, const char *what)
{
	pc_buf name = PC_BUF_INIT;
	int rc = pc_series_name(&name, s->metric, s->tags);

	if (!rc)
		rc = warn(c, "%s: %s", name.ptr, what);
	pc_buf_release(&name);
	return rc;
}

static pc_row *new_row(pc_comparison *c, const pc_series *s, const char *stat)
{
	pc_row *r;

	if (c->nrows == c->caprows) {
		size_t n = c->caprows ? c->caprows * 2 : 32;
		pc_row *p = realloc(c->rows, n * sizeof(*p));
		if (!p)
			return NULL;
		c->rows = p;
		c->caprows = n;
	}
	r = &c->rows[c->nrows];
	memset(r, 0, sizeof(*r));
	r->metric = pc_strdup(s->metric);
	r->tags = pc_strdup(s->tags);
	r->stat = pc_strdup(stat);
	r->unit = pc_strdup(s->unit);
	if (!r->metric || !r->tags || !r->stat || !r->unit) {
		free(r->metric);
		free(r->tags);
		free(r->stat);
		free(r->unit);
		return NULL;
	}
	r->baseline = r->candidate = r->delta_pct = NAN;
	r->ci_low = r->ci_high = r->p = r->p_holm = NAN;
	r->base_lo = r->base_hi = r->cand_lo = r->cand_hi = NAN;
	r->noise = "";
	c->nrows++;
	return r;
}

/* The '+'-joined sorted keys of a canonical tag set ("" for {}). */
static int add_key(void *ctx, const char *k, const char *v)
{
	pc_buf *b = ctx;
	(void)v;
	if (b->len && pc_buf_putc(b, '+'))
		return PC_ENOMEM;
	return pc_buf_puts(b, k);
}

static int tag_keys(const char *tags, pc_buf *out)
{
	pc_buf_reset(out);
	if (pc_buf_puts(out, ""))
		return PC_ENOMEM;
	return pc_tags_each(tags, add_key, out);
}

/* Does the key set `keys` ("name+status", sorted) equal the by entry (any order)? */
static int by_matches(const char *by, const char *keys)
{
	char a[256], *parts[16], *save = NULL, *tok;
	size_t n = 0, i, j;
	pc_buf b = PC_BUF_INIT;
	int eq;

	if (strlen(by) >= sizeof(a))
		return 0;
	strcpy(a, by);
	for (tok = strtok_r(a, "+", &save); tok && n < 16; tok = strtok_r(NULL, "+", &save))
		parts[n++] = tok;
	for (i = 1; i < n; i++) /* insertion sort: a handful of keys */
		for (j = i; j > 0 && strcmp(parts[j - 1], parts[j]) > 0; j--) {
			char *t = parts[j];
			parts[j] = parts[j - 1];
			parts[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		if ((i && pc_buf_putc(&b, '+')) || pc_buf_puts(&b, parts[i]))
			break;
	eq = strcmp(b.ptr ? b.ptr : "", keys) == 0;
	pc_buf_release(&b);
	return eq;
}

/* Is the series selected by the rule (or by opts->by, which replaces the rule's "by")? */
static int rule_selects(const pc_rule *r, const pc_compare_opts *o, const pc_series *s, pc_buf *keys)
{
	size_t i;

	if (fnmatch(r->metric, s->metric, 0) != 0)
		return 0;
	if (tag_keys(s->tags, keys))
		return 0;
	if (o->by) {
		char list[512], *save = NULL, *tok;
		if (!keys->len)
			return 1; /* the whole metric always stays */
		snprintf(list, sizeof(list), "%s", o->by);
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (by_matches(tok, keys->ptr))
				return 1;
		return 0;
	}
	for (i = 0; i < r->nby; i++)
		if (by_matches(r->by[i], keys->ptr))
			return 1;
	return 0;
}

/* The quantile a statistic name asks for: "p95" -> 0.95, "avg" -> -1 (the mean); else -2. */
static double stat_quantile(const char *stat)
{
	char *end;
	double v;

	if (strcmp(stat, "avg") == 0)
		return -1;
	if (stat[0] != 'p')
		return -2;
	v = strtod(stat + 1, &end);
	if (*end || end == stat + 1 || !(v > 0 && v < 100))
		return -2; /* p0 and p100 are min and max: no quantile test for the ends */
	return v / 100;
}

/* One side's view of a series: each run's value and, where there are samples, its blocks. */
struct side {
	size_t nruns;
	const pc_series *series[64];
	const pc_run *runs[64];
	double value[64];
	int have_value;   /* every run has the statistic */
	int have_blocks;  /* every run has samples or time slices */
	double blocks[64][10];
	size_t k[64], n[64];
};

static int side_load(struct side *sd, pc_run *const *runs, size_t nruns, const pc_series *like,
		     const char *stat, double q)
{
	size_t i;
	int rc;

	memset(sd, 0, sizeof(*sd));
	sd->have_value = sd->have_blocks = 1;
	for (i = 0; i < nruns && sd->nruns < 64; i++) {
		const pc_series *s = pc_run_find_series(runs[i], like->metric, like->tags);
		if (!s || s->empty)
			continue;
		sd->runs[sd->nruns] = runs[i];
		sd->series[sd->nruns] = s;
		if (pc_series_get_stat(s, stat, &sd->value[sd->nruns]) != 0 || !isfinite(sd->value[sd->nruns]))
			sd->have_value = 0;
		if (q >= -1) {
			rc = pc_series_blocks(s, runs[i], q, sd->blocks[sd->nruns], &sd->k[sd->nruns],
					      &sd->n[sd->nruns]);
			if (rc == PC_ENOTFOUND)
				sd->have_blocks = 0;
			else if (rc)
				return rc;
		} else {
			sd->have_blocks = 0;
		}
		sd->nruns++;
	}
	if (!sd->nruns)
		sd->have_value = sd->have_blocks = 0;
	return 0;
}

static double geo_mean(const double *v, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] <= 0)
			return NAN;
		s += log(v[i]);
	}
	return exp(s / (double)n);
}

static int all_positive(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(v[i] > 0))
			return 0;
	return 1;
}

static void logs(double *out, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = log(v[i]);
}

static double variance(const double *v, size_t n)
{
	double m = 0, s = 0;
	size_t i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++)
		m += v[i];
	m /= (double)n;
	for (i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return s / (double)(n - 1);
}

/* The value at 0-based rank r of the series' sorted samples (histogram: its quantile). */
static double value_at_rank(const pc_series *s, size_t r, size_t n)
{
	if (s->nsamples) {
		double *v = malloc(n * sizeof(*v)), out;
		size_t i;
		if (!v)
			return NAN;
		for (i = 0; i < n; i++)
			v[i] = s->samples[i].v;
		pc_sort_doubles(v, n);
		out = v[r];
		free(v);
		return out;
	}
	if (s->hist && n > 1)
		return pc_hist_quantile(s->hist, (double)r / (double)(n - 1));
	return NAN;
}

/* Within-run order-statistic interval of the q-quantile; 0 when finite. */
static int within_interval(const pc_series *s, size_t n, double q, double *lo, double *hi)
{
	size_t rlo, rhi;

	if (q < 0 || n == 0 || pc_quantile_ci(&rlo, &rhi, n, q, CONF) != 0) {
		pc_error_clear();
		return -1;
	}
	*lo = value_at_rank(s, rlo, n);
	*hi = value_at_rank(s, rhi, n);
	return 0;
}

/* The smallest n whose equal-tailed interval of the q-quantile is finite (q^n <= 0.025 and
 * (1-q)^n <= 0.025). */
static size_t needed_samples(double q)
{
	double worst = q > 0.5 ? q : 1 - q;

	return (size_t)ceil(log(0.025) / log(worst));
}

/* Block spread against what independent samples would give: the variance of a log quantile of
 * nb i.i.d. samples is about q(1−q) / (nb·(f(Q)·Q)²), with the density f(Q) estimated from the
 * whole run's quantiles at q ± h (Siddiqui's sparsity estimate). */
static int autocorrelated(const pc_series *s, double q, const double *blocks, size_t k, size_t n)
{
	double lb[10], h, qa, qb, Q, f, expect, seen;

	if (q <= 0 || q >= 1 || k < 2 || !s->hist || n < 20)
		return 0;
	h = fmin(0.05, fmin(q / 2, (1 - q) / 2));
	qa = pc_hist_quantile(s->hist, q - h);
	qb = pc_hist_quantile(s->hist, q + h);
	Q = pc_hist_quantile(s->hist, q);
	if (!(qb > qa) || !(Q > 0) || !all_positive(blocks, k))
		return 0;
	f = 2 * h / (qb - qa);
	expect = q * (1 - q) / ((double)n / (double)k * (f * Q) * (f * Q));
	logs(lb, blocks, k);
	seen = variance(lb, k);
	return sqrt(seen) > 1.5 * sqrt(expect);
}

static void set_reason(pc_row *r, const char *fmt, ...) PC_PRINTF(2, 3);

static void set_reason(pc_row *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

static void guard(pc_row *r, const char *fmt, ...) PC_PRINTF(2, 3);

static void guard(pc_row *r, const char *fmt, ...)
{
	va_list ap;

	r->guard_failed = 1;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* One run against one run: Welch's t on the logs of the block quantiles. */
static int test_blocks(pc_row *r, const struct side *b, const struct side *c, double q,
		       const char *stat)
{
	double lb[10], lc[10], tq;
	pc_ttest t;
	size_t kb = b->k[0], kc = c->k[0];
	int rc;

	r->n_base = b->n[0];
	r->n_cand = c->n[0];
	r->k_base = kb;
	r->k_cand = kc;
	r->noise = "time blocks";
	if (q >= 0) {
		int fb = within_interval(b->series[0], b->n[0], q, &r->base_lo, &r->base_hi);
		int fc = within_interval(c->series[0], c->n[0], q, &r->cand_lo, &r->cand_hi);
		if (fb || fc) {
			guard(r, "too few samples: %s needs >= %zu samples; %s has %zu", stat,
			      needed_samples(q), fb ? "the baseline" : "the candidate", fb ? b->n[0] : c->n[0]);
			return 0;
		}
	}
	if (kb < 6 || kc < 6) {
		guard(r, "too few samples: %s needs 6 time blocks of %zu; %s has %zu samples", stat,
		      pc_block_min_samples(q), kb < 6 ? "the baseline" : "the candidate",
		      kb < 6 ? b->n[0] : c->n[0]);
		return 0;
	}
	if (!all_positive(b->blocks[0], kb) || !all_positive(c->blocks[0], kc)) {
		guard(r, "values of zero or below: no log-scale test");
		return 0;
	}
	logs(lb, b->blocks[0], kb);
	logs(lc, c->blocks[0], kc);
	if ((rc = pc_welch(&t, lb, kb, lc, kc)))
		return rc;
	r->p = t.p;
	tq = pc_t_quantile(0.975, t.df);
	if (isfinite(tq) && isfinite(t.se)) {
		r->ci_low = (exp(t.diff - tq * t.se) - 1) * 100;
		r->ci_high = (exp(t.diff + tq * t.se) - 1) * 100;
	}
	r->autocorrelated = autocorrelated(b->series[0], q, b->blocks[0], kb, b->n[0]) ||
			    autocorrelated(c->series[0], q, c->blocks[0], kc, c->n[0]);
	return 0;
}

/* A candidate run against a window of baseline runs: random effects (STATS.md). */
static int test_window(pc_row *r, const struct side *b, const struct side *c)
{
	double y[64], w[64], yc, wc, lc[10];
	pc_ttest t;
	size_t i;
	int rc;

	r->k_base = b->nruns;
	r->k_cand = 1;
	r->n_cand = c->n[0];
	if (b->have_blocks && c->have_blocks) {
		r->noise = "runs (random effects)";
		for (i = 0; i < b->nruns; i++) {
			double l[10];
			if (b->k[i] < 2 || !all_positive(b->blocks[i], b->k[i]) || !(b->value[i] > 0)) {
				guard(r, "too few samples in baseline run %lld for blocks",
				      (long long)b->runs[i]->id);
				return 0;
			}
			logs(l, b->blocks[i], b->k[i]);
			y[i] = log(b->value[i]);
			w[i] = variance(l, b->k[i]) / (double)b->k[i];
		}
		if (c->k[0] < 2 || !all_positive(c->blocks[0], c->k[0]) || !(c->value[0] > 0)) {
			guard(r, "too few samples in the candidate for blocks");
			return 0;
		}
		logs(lc, c->blocks[0], c->k[0]);
		yc = log(c->value[0]);
		wc = variance(lc, c->k[0]) / (double)c->k[0];
		rc = pc_window_test(&t, yc, wc, y, w, b->nruns);
	} else {
		r->noise = "runs (prediction interval)";
		if (b->nruns < 5) {
			guard(r, "too few runs: summaries without samples need a window of >= 5 runs; "
				 "the baseline has %zu", b->nruns);
			return 0;
		}
		for (i = 0; i < b->nruns; i++) {
			if (!(b->value[i] > 0)) {
				guard(r, "values of zero or below: no log-scale test");
				return 0;
			}
			y[i] = log(b->value[i]);
		}
		if (!(c->value[0] > 0)) {
			guard(r, "values of zero or below: no log-scale test");
			return 0;
		}
		rc = pc_prediction_test(&t, log(c->value[0]), y, b->nruns);
	}
	if (rc)
		return rc;
	r->p = t.p;
	return 0;
}

/* Windows on both sides: Welch's t on log per-run values. */
static int test_runs(pc_row *r, const struct side *b, const struct side *c)
{
	double lb[64], lc[64];
	pc_ttest t;
	int rc;

	r->noise = "runs";
	r->k_base = b->nruns;
	r->k_cand = c->nruns;
	if (b->nruns < 4 || c->nruns < 4) {
		guard(r, "too few runs: windows on both sides need >= 4 runs each (%zu and %zu)",
		      b->nruns, c->nruns);
		return 0;
	}
	if (!all_positive(b->value, b->nruns) || !all_positive(c->value, c->nruns)) {
		guard(r, "values of zero or below: no log-scale test");
		return 0;
	}
	logs(lb, b->value, b->nruns);
	logs(lc, c->value, c->nruns);
	if ((rc = pc_welch(&t, lb, b->nruns, lc, c->nruns)))
		return rc;
	r->p = t.p;
	return 0;
}

static int budget(pc_row *r, const pc_rule *rule)
{
	double d = r->candidate - r->baseline;

	r->worse = rule->higher_is_worse ? d > 0 : d < 0;
	r->beyond_budget = fabs(d) > rule->relative * fabs(r->baseline) && fabs(d) > rule->absolute;
	r->under_floor = fabs(d) > rule->relative * fabs(r->baseline) && fabs(d) <= rule->absolute;
	r->floor = rule->absolute;
	return r->beyond_budget;
}

/* A statistic of a trend (or any per-run value): quantiles and the mean get the block test. */
static int row_value(pc_comparison *cmp, const pc_rule *rule, pc_series *s, const char *stat,
		     int first_stat, pc_run *const *base, size_t nb, pc_run *const *cand, size_t nc)
{
	struct side *b = malloc(sizeof(*b)), *c = malloc(sizeof(*c));
	double q = s->kind == PC_KIND_TREND ? stat_quantile(stat) : -2;
	pc_row *r;
	int rc = 0;

	if (!b || !c) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = side_load(b, base, nb, s, stat, q)) || (rc = side_load(c, cand, nc, s, stat, q)))
		goto done;
	if (!c->nruns || !c->have_value)
		goto done; /* the candidate has no such statistic: nothing to compare */
	if (!b->nruns) {
		if (first_stat)
			rc = warn_series(cmp, s, "only in the candidate (a new series), not compared");
		goto done;
	}
	if (!(r = new_row(cmp, s, stat))) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	if (first_stat && b->nruns < nb) {
		char what[96];
		snprintf(what, sizeof(what), "present in %zu of the %zu baseline runs", b->nruns, nb);
		if ((rc = warn_series(cmp, s, what)))
			goto done;
	}
	if (s->kind == PC_KIND_COUNTER && strcmp(stat, "rate") == 0) {
		/* a counter's rate is per second of the test */
		char *u = malloc(strlen(r->unit) + 3);
		if (!u) {
			rc = pc_error_set(PC_ENOMEM, "out of memory");
			goto done;
		}
		sprintf(u, "%s/s", r->unit);
		free(r->unit);
		r->unit = u;
	}
	if (!b->have_value) {
		guard(r, "the baseline has no %s (its summary did not export it)", stat);
		goto done;
	}
	r->baseline = b->nruns == 1 ? b->value[0] : geo_mean(b->value, b->nruns);
	r->candidate = c->nruns == 1 ? c->value[0] : geo_mean(c->value, c->nruns);
	r->delta_pct = r->baseline != 0 ? (r->candidate / r->baseline - 1) * 100 : NAN;
	budget(r, rule);
	if (c->nruns == 1 && b->nruns == 1) {
		if (q >= -1 && b->have_blocks && c->have_blocks)
			rc = test_blocks(r, b, c, q, stat);
		else if (q >= -1)
			guard(r, "no samples on %s side (a summary): compare points streams, or windows "
				 "of runs", b->have_blocks ? "the candidate's" : c->have_blocks ? "the baseline's" : "either");
		else if (r->beyond_budget)
			guard(r, "one run against one run: no estimate of run-to-run noise for %s", stat);
		/* within budget it is unchanged: no test is needed to say a change is small */
	} else if (c->nruns == 1) {
		rc = test_window(r, b, c);
	} else {
		rc = test_runs(r, b, c);
	}
done:
	free(b);
	free(c);
	return rc;
}

/* Error rates and other proportions: passes/fails pooled per side, a two-proportion test. */
static int row_rate(pc_comparison *cmp, const pc_rule *rule, pc_series *s, pc_run *const *base,
		    size_t nb, pc_run *const *cand, size_t nc)
{
	long long xb = 0, tb = 0, xc = 0, tc = 0;
	size_t i, runs_b = 0;
	int exact = 0, rc;
	pc_row *r;

	for (i = 0; i < nc; i++) {
		const pc_series *x = pc_run_find_series(cand[i], s->metric, s->tags);
		double p, f;
		if (x && !pc_series_get_stat(x, "passes", &p) && !pc_series_get_stat(x, "fails", &f)) {
			xc += (long long)p;
			tc += (long long)(p + f);
		}
	}
	for (i = 0; i < nb; i++) {
		const pc_series *x = pc_run_find_series(base[i], s->metric, s->tags);
		double p, f;
		if (x && !pc_series_get_stat(x, "passes", &p) && !pc_series_get_stat(x, "fails", &f)) {
			xb += (long long)p;
			tb += (long long)(p + f);
			runs_b++;
		}
	}
	if (tc == 0)
		return 0;
	if (!runs_b)
		return warn_series(cmp, s, "only in the candidate (a new series), not compared");
	if (!(r = new_row(cmp, s, "rate")))
		return pc_error_set(PC_ENOMEM, "out of memory");
	r->baseline = tb ? (double)xb / (double)tb : NAN;
	r->candidate = (double)xc / (double)tc;
	r->delta_pct = r->baseline > 0 ? (r->candidate / r->baseline - 1) * 100 : NAN;
	r->n_base = (size_t)tb;
	r->n_cand = (size_t)tc;
	r->k_base = nb;
	r->k_cand = nc;
	budget(r, rule);
	if (tb == 0) {
		guard(r, "no samples in the baseline");
		return 0;
	}
	if ((rc = pc_prop_test(&r->p, &exact, xb, tb, xc, tc)))
		return rc;
	r->noise = exact ? "proportions (Fisher's exact test)" : "proportions (two-proportion z-test)";
	return 0;
}

/* The rows of one rule; *matched counts the candidate's series it selects. */
static int compare_rule(pc_comparison *cmp, const pc_rule *rule, const pc_compare_opts *o,
			pc_run *const *base, size_t nb, pc_run *const *cand, size_t nc, size_t *matched)
{
	pc_buf keys = PC_BUF_INIT;
	const pc_run *c0 = cand[0];
	size_t i, j;
	int rc = 0;

	*matched = 0;
	for (i = 0; i < c0->nseries && !rc; i++) {
		pc_series *s = c0->series[i];
		if (s->empty || !rule_selects(rule, o, s, &keys))
			continue;
		++*matched;
		for (j = 0; j < rule->nstats && !rc; j++) {
			if (s->kind == PC_KIND_RATE && strcmp(rule->stats[j], "rate") == 0)
				rc = row_rate(cmp, rule, s, base, nb, cand, nc);
			else
				rc = row_value(cmp, rule, s, rule->stats[j], j == 0, base, nb, cand, nc);
		}
	}
	pc_buf_release(&keys);
	return rc;
}

/* Holm across all tested rows, then the verdict of each row and of the comparison. */
static int decide(pc_comparison *cmp, double alpha)
{
	double *p = malloc((cmp->nrows ? cmp->nrows : 1) * sizeof(*p));
	double *adj = malloc((cmp->nrows ? cmp->nrows : 1) * sizeof(*adj));
	size_t *idx = malloc((cmp->nrows ? cmp->nrows : 1) * sizeof(*idx));
	size_t i, n = 0;
	int failures_rose = 0;

	if (!p || !adj || !idx) {
		free(p), free(adj), free(idx);
		return pc_error_set(PC_ENOMEM, "out of memory");
	}
	for (i = 0; i < cmp->nrows; i++) {
		if (!cmp->rows[i].guard_failed && isfinite(cmp->rows[i].p)) {
			p[n] = cmp->rows[i].p;
			idx[n++] = i;
		}
	}
	pc_holm(adj, p, n);
	for (i = 0; i < n; i++)
		cmp->rows[idx[i]].p_holm = adj[i];
	cmp->verdict = PC_V_UNCHANGED;
	for (i = 0; i < cmp->nrows; i++) {
		pc_row *r = &cmp->rows[i];
		char change[64];
		if (strcmp(r->unit, "ratio") == 0 && isfinite(r->baseline))
			snprintf(change, sizeof(change), "%+.2f points", (r->candidate - r->baseline) * 100);
		else if (r->under_floor)
			snprintf(change, sizeof(change), "%+.3g %s is under the %g %s floor",
				 r->candidate - r->baseline, r->unit, r->floor, r->unit);
		else
			snprintf(change, sizeof(change), "%+.1f%%", r->delta_pct);
		if (r->guard_failed) {
			r->verdict = PC_V_INCONCLUSIVE;
		} else if (r->beyond_budget && isfinite(r->p_holm) && r->p_holm < alpha) {
			r->verdict = r->worse ? PC_V_REGRESSION : PC_V_IMPROVEMENT;
			set_reason(r, "beyond budget and significant (p = %.2g after Holm; %s)%s", r->p_holm,
				   r->noise, r->autocorrelated ? "; latency was autocorrelated (e.g. CPU contention)" : "");
		} else if (r->beyond_budget) {
			r->verdict = PC_V_INCONCLUSIVE;
			if (isfinite(r->p_holm))
				set_reason(r, "beyond budget but not significant (p = %.2g after Holm; %s)%s",
					   r->p_holm, r->noise,
					   r->autocorrelated ? "; latency was autocorrelated (e.g. CPU contention)" : "");
			else
				set_reason(r, "beyond budget; no test possible");
		} else {
			r->verdict = PC_V_UNCHANGED;
			set_reason(r, "within budget (%s)%s", change,
				   isfinite(r->p_holm) && r->p_holm < alpha ? "; significant but small" : "");
		}
		if (r->verdict == PC_V_REGRESSION && strcmp(r->stat, "rate") == 0 &&
		    (strcmp(r->metric, "http_req_failed") == 0 || strcmp(r->metric, "checks") == 0 ||
		     strcmp(r->metric, "tests_failed") == 0))
			failures_rose = 1;
	}
	for (i = 0; i < cmp->nrows; i++) {
		pc_row *r = &cmp->rows[i];
		size_t len = strlen(r->reason);
		if (failures_rose && r->verdict == PC_V_IMPROVEMENT && len + 40 < sizeof(r->reason))
			strcat(r->reason, "; but failures rose: not a real gain");
	}
	for (i = 0; i < cmp->nrows; i++) {
		static const int rank[] = {3, 2, 1, 0}; /* unchanged, improvement, inconclusive, regression */
		if (rank[cmp->rows[i].verdict] < rank[cmp->verdict])
			cmp->verdict = cmp->rows[i].verdict;
	}
	free(p);
	free(adj);
	free(idx);
	return 0;
}

static double gauge_max(const pc_run *run, const char *metric)
{
	const pc_series *s = pc_run_find_series(run, metric, "{}");
	double v;

	if (s && (pc_series_get_stat(s, "max", &v) == 0 || pc_series_get_stat(s, "value", &v) == 0))
		return v;
	return NAN;
}

/* Scenario names a run's series show (tag "scenario" of any series), joined. */
static int scenario_names(const pc_run *run, pc_buf *out)
{
	size_t i;
	int rc = 0;

	pc_buf_reset(out);
	for (i = 0; i < run->nseries && !rc; i++) {
		const char *t = run->series[i]->tags, *p = strstr(t, "\"scenario\":\"");
		if (strcmp(run->series[i]->metric, "http_reqs") != 0 || !p || strchr(t, ','))
			continue;
		if ((rc = pc_buf_puts(out, p)) || (rc = pc_buf_putc(out, ';')))
			break;
	}
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The run's thresholds as one string, in a fixed order (k6 writes them in map order). */
static int thresholds_sig(const pc_run *run, pc_buf *out)
{
	pc_buf one = PC_BUF_INIT;
	char **all = NULL;
	size_t i, j, n = 0, cap = 0;
	int rc = 0;

	pc_buf_reset(out);
	for (i = 0; i < run->nseries && !rc; i++) {
		for (j = 0; j < run->series[i]->nthresholds && !rc; j++) {
			if (n == cap) {
				char **p = realloc(all, (cap = cap ? cap * 2 : 16) * sizeof(*p));
				if (!p) {
					rc = PC_ENOMEM;
					break;
				}
				all = p;
			}
			pc_buf_reset(&one);
			if (pc_buf_puts(&one, run->series[i]->metric) || pc_buf_puts(&one, run->series[i]->tags) ||
			    pc_buf_puts(&one, run->series[i]->thresholds[j].expr))
				rc = PC_ENOMEM;
			else if (!(all[n++] = strdup(one.ptr)))
				rc = PC_ENOMEM, n--;
		}
	}
	if (!rc && n)
		qsort(all, n, sizeof(*all), cmp_str);
	for (i = 0; i < n; i++) {
		if (!rc && (pc_buf_puts(out, all[i]) || pc_buf_putc(out, ';')))
			rc = PC_ENOMEM;
		free(all[i]);
	}
	if (!rc && pc_buf_puts(out, ""))
		rc = PC_ENOMEM;
	free(all);
	pc_buf_release(&one);
	return rc ? pc_error_set(PC_ENOMEM, "out of memory") : 0;
}

/* The comparability guard: tools must match; VU shape needs --force; the rest are warnings. */
static int comparable(pc_comparison *cmp, const pc_run *b, const pc_run *c, int force)
{
	pc_buf x = PC_BUF_INIT, y = PC_BUF_INIT;
	double vb = gauge_max(b, "vus_max"), vc = gauge_max(c, "vus_max");
	int rc = 0, shape = 0;

	if (strcmp(pc_source_tool(b->source), pc_source_tool(c->source)) != 0) {
		rc = pc_error_set(PC_EUSAGE, "not comparable: run %lld is a %s run, run %lld a %s run",
				  (long long)b->id, pc_source_tool(b->source), (long long)c->id,
				  pc_source_tool(c->source));
		goto done;
	}
	if (strcmp(b->profile, c->profile) != 0 || strcmp(b->config, c->config) != 0)
		rc = warn(cmp, "the sides differ in profile/config: %s/%s against %s/%s", b->profile,
			  b->config, c->profile, c->config);
	if (!rc && b->source != c->source)
		rc = warn(cmp, "the sides differ in source: %s against %s", pc_source_name(b->source),
			  pc_source_name(c->source));
	if (!rc && !(rc = thresholds_sig(b, &x)) && !(rc = thresholds_sig(c, &y)) &&
	    strcmp(x.ptr ? x.ptr : "", y.ptr ? y.ptr : "") != 0)
		rc = warn(cmp, "the sides have different k6 thresholds");
	if (rc)
		goto done;
	if (isfinite(vb) && isfinite(vc) && fabs(vc - vb) > 0.2 * fmax(vb, vc))
		shape = 1;
	if (!(rc = scenario_names(b, &x)) && !(rc = scenario_names(c, &y)) && x.len && y.len &&
	    strcmp(x.ptr, y.ptr) != 0)
		shape = 1;
	if (rc)
		goto done;
	if (shape && !force) {
		rc = pc_error_set(PC_EUSAGE, "not comparable: the VU shape differs (vus_max %g against %g, "
					     "or other scenarios)", vb, vc);
		pc_error_hint("compare runs of the same load profile, or add --force");
	} else if (shape) {
		rc = warn(cmp, "the VU shape differs (vus_max %g against %g, or other scenarios); compared "
			       "anyway (--force)", vb, vc);
	}
done:
	pc_buf_release(&x);
	pc_buf_release(&y);
	return rc;
}

static int count_warning(pc_comparison *cmp, pc_run *const *base, pc_run *const *cand)
{
	const char *m = base[0]->source == PC_SRC_PLAYWRIGHT ? "duration" : "http_req_duration";
	const pc_series *b = pc_run_find_series(base[0], m, "{}"), *c = pc_run_find_series(cand[0], m, "{}");
	double nb, nc;

	if (!b || !c || pc_series_get_stat(b, "count", &nb) || pc_series_get_stat(c, "count", &nc) ||
	    nb <= 0 || nc <= 0)
		return 0;
	if (fabs(nb - nc) > 0.25 * fmax(nb, nc))
		return warn(cmp, "%s: sample counts differ by more than 25%% (%.0f against %.0f): "
				 "small blocks bias the tails", m, nb, nc);
	return 0;
}

/* Say which --by breakdowns matched no compared series (a tag the runs do not carry, or one
 * not stored as a breakdown at ingest). */
static int warn_unmatched_by(pc_comparison *cmp, const char *by)
{
	pc_buf keys = PC_BUF_INIT;
	char list[512], *save = NULL, *tok;
	size_t i;
	int rc = 0;

	snprintf(list, sizeof(list), "%s", by);
	for (tok = strtok_r(list, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		int seen = 0;
		for (i = 0; i < cmp->nrows && !seen; i++)
			seen = tag_keys(cmp->rows[i].tags, &keys) == 0 && by_matches(tok, keys.ptr);
		if (!seen)
			rc = warn(cmp, "--by %s matches no series of the candidate (is it a breakdown "
				       "stored at ingest? see ingest --by)", tok);
	}
	pc_buf_release(&keys);
	return rc;
}

int pc_compare(pc_comparison **out, pc_run *const *base, size_t nbase, pc_run *const *cand,
	       size_t ncand, const pc_profile *profile, const pc_compare_opts *opts)
{
	pc_compare_opts o = opts ? *opts : (pc_compare_opts){0};
	pc_comparison *cmp = calloc(1, sizeof(*cmp));
	const pc_rule *rules;
	size_t nrules, i, keep = 0, first_rule_warning;
	int rc;

	*out = NULL;
	if (!cmp)
		return pc_error_set(PC_ENOMEM, "out of memory");
	if (o.alpha <= 0)
		o.alpha = 0.05;
	if (nbase == 0 || ncand == 0) {
		rc = pc_error_set(PC_EUSAGE, "nothing to compare");
		goto done;
	}
	if ((rc = comparable(cmp, base[0], cand[0], o.force)) || (rc = count_warning(cmp, base, cand)))
		goto done;
	rules = cand[0]->source == PC_SRC_PLAYWRIGHT ? profile->playwright : profile->k6;
	nrules = cand[0]->source == PC_SRC_PLAYWRIGHT ? profile->nplaywright : profile->nk6;
	cmp->profile_used = profile->name;
	first_rule_warning = cmp->nwarnings;
	for (i = 0; i < nrules; i++) {
		size_t before = cmp->nrows, matched;
		if ((rc = compare_rule(cmp, &rules[i], &o, base, nbase, cand, ncand, &matched)))
			goto done;
		/* a rule that compares nothing is usually a typo in the profile: never silent */
		if (cmp->nrows > before)
			continue;
		if (!matched)
			rc = warn(cmp, "profile %s: the rule for \"%s\" matched no series of the candidate",
				  profile->name, rules[i].metric);
		else
			rc = warn(cmp, "profile %s: the rule for \"%s\" matched %zu series, but none of its "
				       "statistics (%s%s) is in both sides",
				  profile->name, rules[i].metric, matched, rules[i].stats[0],
				  rules[i].nstats > 1 ? ", ..." : "");
		if (rc)
			goto done;
	}
	/* a gate that compared nothing must not pass as "unchanged": say why, with the first rule's
	 * warning (they are printed only with a comparison) */
	if (cmp->nrows == 0) {
		if (cmp->nwarnings > first_rule_warning)
			rc = pc_error_set(PC_EUSAGE, "nothing compared: %s", cmp->warnings[first_rule_warning]);
		else
			rc = pc_error_set(PC_EUSAGE, "nothing compared: profile %s has no %s rules",
					  profile->name, pc_source_tool(cand[0]->source));
		pc_error_hint("check the profile's metric names and stats against 'perfcmp show RUN'");
		goto done;
	}
	if ((rc = decide(cmp, o.alpha)))
		goto done;
	for (i = 0; i < cmp->nrows; i++)
		cmp->counts[cmp->rows[i].verdict]++;
	if (o.by && (rc = warn_unmatched_by(cmp, o.by)))
		goto done;
	if (o.only_changed || o.metric_glob) {
		for (i = 0; i < cmp->nrows; i++) {
			if ((o.only_changed && cmp->rows[i].verdict == PC_V_UNCHANGED) ||
			    (o.metric_glob && fnmatch(o.metric_glob, cmp->rows[i].metric, 0) != 0)) {
				row_release(&cmp->rows[i]);
			} else {
				cmp->rows[keep++] = cmp->rows[i];
			}
		}
		cmp->nrows = keep;
	}
	*out = cmp;
	cmp = NULL;
done:
	pc_comparison_free(cmp);
	return rc;
}
