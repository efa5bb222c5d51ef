/* The compare and tests charts: one statistic per series (per endpoint, or per Playwright
 * test), baseline and candidate as horizontal bars with their within-run intervals as
 * whiskers, the worst change at the top, the change, its interval and the verdict as text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "render/plot_internal.h"

/* How bad the change is: positive in the worse direction. */
static double badness(const pc_row *r)
{
	double d = isfinite(r->delta_pct) ? fabs(r->delta_pct) : 0;

	return r->worse ? d : -d;
}

static const pc_row *const *sort_rows_base;

static int by_badness(const void *pa, const void *pb)
{
	const pc_row *a = sort_rows_base[*(const size_t *)pa], *b = sort_rows_base[*(const size_t *)pb];
	double da = badness(a), db = badness(b);

	if (da != db)
		return da < db ? 1 : -1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1; /* stable: the rows' order */
}

struct title_ctx {
	char title[256], project[128];
	int has_title;
};

/* pc_tags_each's strings live only during the call: copy them */
static int pick_test(void *ctx, const char *k, const char *v)
{
	struct title_ctx *t = ctx;

	if (strcmp(k, "title") == 0) {
		snprintf(t->title, sizeof(t->title), "%s", v);
		t->has_title = 1;
	} else if (strcmp(k, "project") == 0) {
		snprintf(t->project, sizeof(t->project), "%s", v);
	}
	return 0;
}

/* The bar's name: a test's title and project, the tag values when every row has the same
 * metric ("name:items-list", "all" for the whole metric), else the k6 series name. */
static int bar_name(pc_buf *b, const pc_row *r, int tests, int one_metric)
{
	pc_buf t = PC_BUF_INIT;
	int rc;

	if (tests) {
		struct title_ctx tc = {"", "", 0};
		pc_tags_each(r->tags, pick_test, &tc);
		if (tc.has_title) {
			rc = pc_buf_puts(&t, tc.title);
			if (!rc && *tc.project)
				rc = pc_buf_printf(&t, " (%s)", tc.project);
			goto out;
		}
	}
	if (one_metric && strcmp(r->tags, "{}") == 0) {
		rc = pc_buf_printf(&t, "%s (all)", r->metric);
	} else if (one_metric) {
		pc_buf full = PC_BUF_INIT;
		rc = pc_series_name(&full, r->metric, r->tags);
		if (!rc) {
			/* the tags start after the metric's own name, which may hold a '{' itself */
			const char *brace = full.ptr + strlen(r->metric);
			size_t len = strlen(brace);
			rc = pc_buf_add(&t, brace + 1, len > 2 ? len - 2 : 0);
		}
		pc_buf_release(&full);
	} else {
		rc = pc_series_name(&t, r->metric, r->tags);
	}
out:
	if (!rc)
		rc = pc_plot_shorten(b, t.ptr ? t.ptr : "", 44);
	pc_buf_release(&t);
	return rc;
}

/* The distinct statistics of the comparison's rows, "p50, p95", for a hint. */
static void row_stats(const pc_comparison *cmp, char *out, size_t cap)
{
	size_t i, j, len = 0;
	int w;

	*out = '\0';
	for (i = 0; i < cmp->nrows; i++) {
		for (j = 0; j < i && strcmp(cmp->rows[j].stat, cmp->rows[i].stat) != 0; j++)
			;
		if (j < i)
			continue; /* seen */
		w = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", cmp->rows[i].stat);
		if (w < 0 || (size_t)w >= cap - len) {
			out[len] = '\0'; /* too many to list: the ones that fit */
			return;
		}
		len += (size_t)w;
	}
}

static void fmt_pct(char out[32], double v)
{
	if (!isfinite(v))
		snprintf(out, 32, "?");
	else
		snprintf(out, 32, "%+.1f%%", v);
}

static int ids_text(pc_buf *b, const int64_t *ids, size_t n)
{
	int rc = 0;

	if (n == 1)
		return pc_buf_printf(b, "run %lld", (long long)ids[0]);
	rc = pc_buf_printf(b, "%zu runs (", n);
	for (size_t i = 0; i < n && !rc; i++)
		rc = pc_buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	return rc || pc_buf_putc(b, ')');
}

int pc_plot_compare(pc_buf *out, const pc_comparison *cmp, const pc_compare_sides *sides,
		    const char *stat, int tests, const pc_plot_opts *o)
{
	const pc_row **rows = NULL;
	size_t *idx = NULL, n = 0, i, shown;
	pc_buf b = PC_BUF_INIT, title = PC_BUF_INIT, bn = PC_BUF_INIT, cn = PC_BUF_INIT;
	const char *unit = NULL;
	double top = 0;
	int rc = 0, one_metric = 1;

	if (!stat) {
		for (i = 0; i < cmp->nrows && !stat; i++)
			if (strcmp(cmp->rows[i].stat, "p95") == 0)
				stat = "p95";
		if (!stat && cmp->nrows)
			stat = cmp->rows[0].stat;
	}
	rows = malloc((cmp->nrows + 1) * sizeof(*rows));
	idx = malloc((cmp->nrows + 1) * sizeof(*idx));
	if (!rows || !idx) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; stat && i < cmp->nrows; i++) {
		const pc_row *r = &cmp->rows[i];
		if (strcmp(r->stat, stat) != 0 || (tests && !strstr(r->tags, "\"title\":")))
			continue; /* tests: one bar per test, not the pooled rows */
		if (!unit)
			unit = r->unit ? r->unit : "";
		if (strcmp(r->unit ? r->unit : "", unit) != 0)
			continue;
		if (n && strcmp(r->metric, rows[0]->metric) != 0)
			one_metric = 0;
		idx[n] = n;
		rows[n++] = r;
	}
	if (!n) {
		char have[128];
		row_stats(cmp, have, sizeof(have));
		rc = pc_error_set(PC_ENOTFOUND, "the comparison has no %s rows to draw", stat ? stat : "");
		if (*have)
			pc_error_hint("the profile compares %s here: pick one with --stat", have);
		goto done;
	}
	sort_rows_base = rows;
	qsort(idx, n, sizeof(*idx), by_badness);
	shown = n < PC_PLOT_MAX_BARS ? n : PC_PLOT_MAX_BARS;

	if ((rc = ids_text(&bn, sides->base_ids, sides->nbase)) ||
	    (rc = ids_text(&cn, sides->cand_ids, sides->ncand)))
		goto done;
	if (o->title)
		rc = pc_buf_puts(&title, o->title);
	else
		rc = pc_buf_printf(&title, "%s%s%s: baseline %s vs candidate %s, %s%s", one_metric ? rows[0]->metric : "",
				   one_metric ? " " : "", stat, bn.ptr, cn.ptr, sides->scope ? sides->scope : "",
				   shown < n ? " (worst 40)" : "");
	if (rc || (rc = pc_plot_preamble(&b, o, title.ptr)))
		goto done;

	/* one row per bar, the worst at the top (highest y): y, base, cand, base lo/hi, cand lo/hi */
	if ((rc = pc_buf_puts(&b, "$bars << EOD\n")))
		goto done;
	for (i = 0; i < shown && !rc; i++) {
		const pc_row *r = rows[idx[i]];
		double v[6] = {r->baseline, r->candidate, r->base_lo, r->base_hi, r->cand_lo, r->cand_hi};
		rc = pc_buf_printf(&b, "%zu", shown - 1 - i);
		for (size_t k = 0; k < 6 && !rc; k++) {
			rc = pc_buf_putc(&b, ' ') || pc_plot_num(&b, v[k]);
			if (isfinite(v[k]) && v[k] > top)
				top = v[k];
		}
		rc = rc || pc_buf_putc(&b, '\n');
	}
	if (rc || (rc = pc_buf_puts(&b, "EOD\nset ytics (")))
		goto done;
	for (i = 0; i < shown && !rc; i++) {
		pc_buf nm = PC_BUF_INIT;
		rc = (i ? pc_buf_puts(&b, ", ") : 0) || bar_name(&nm, rows[idx[i]], tests, one_metric) ||
		     pc_esc_gnuplot(&b, nm.ptr) || pc_buf_printf(&b, " %zu", shown - 1 - i);
		pc_buf_release(&nm);
	}
	if (rc || (rc = pc_buf_puts(&b, ")\nset ytics nomirror scale 0\n")))
		goto done;
	/* the change and verdict of each bar, in the right margin */
	for (i = 0; i < shown && !rc; i++) {
		const pc_row *r = rows[idx[i]];
		char d[32], lo[32], hi[32];
		const char *colour = r->verdict == PC_V_REGRESSION  ? PC_C_RED
				     : r->verdict == PC_V_IMPROVEMENT ? PC_C_GREEN
								      : "#333333";
		fmt_pct(d, r->delta_pct);
		fmt_pct(lo, r->ci_low);
		fmt_pct(hi, r->ci_high);
		rc = pc_buf_puts(&b, "set label ");
		if (isfinite(r->ci_low) && isfinite(r->ci_high))
			rc = rc || pc_plot_esc_printf(&b, "%s (%s to %s) %s", d, lo, hi, pc_verdict_name(r->verdict));
		else
			rc = rc || pc_plot_esc_printf(&b, "%s %s", d, pc_verdict_name(r->verdict));
		rc = rc || pc_buf_printf(&b, " at graph 1.01, first %zu left tc rgb '%s' font ',%d'\n",
					 shown - 1 - i, colour, o->format == PC_PLOT_PNG ? 9 : 11);
	}
	if (rc)
		goto done;
	rc = pc_buf_printf(&b, "set yrange [-0.6:%zu.6]\n"
			       "set xrange [0:%.9g]\n"
			       "set grid xtics noytics\n"
			       "set rmargin 36\n"
			       "set key outside top center horizontal\n"
			       "set xlabel ",
			       shown - 1, top > 0 ? top * 1.05 : 1);
	if (rc || (rc = pc_plot_esc_printf(&b, "%s%s%s (%s)%s", one_metric ? rows[0]->metric : "",
					   one_metric ? " " : "", stat, *unit ? unit : "value",
					   "; whiskers: 95% interval within the run (none: too few samples)")) ||
	    (rc = pc_buf_putc(&b, '\n')))
		goto done;
	rc = pc_buf_puts(&b, "\nplot $bars using 2:($1+0.19):(0):2:($1+0.02):($1+0.36) with boxxyerror ");
	rc = rc || pc_buf_printf(&b, "fs solid 0.85 noborder fc rgb '%s' title ", PC_C_ORANGE) ||
	     pc_plot_esc_printf(&b, "baseline %s", bn.ptr);
	rc = rc || pc_buf_printf(&b, ", \\\n     $bars using 3:($1-0.19):(0):3:($1-0.36):($1-0.02) with boxxyerror "
				 "fs solid 0.85 noborder fc rgb '%s' title ", PC_C_BLUE) ||
	     pc_plot_esc_printf(&b, "candidate %s", cn.ptr);
	rc = rc || pc_buf_puts(&b, ", \\\n     $bars using 2:($1+0.19):4:5 with xerrorbars pt -1 lw 1.5 lc rgb '#333333' notitle"
				   ", \\\n     $bars using 3:($1-0.19):6:7 with xerrorbars pt -1 lw 1.5 lc rgb '#333333' notitle\n");
done:
	rc = pc_plot_finish(out, &b, rc);
	free(rows);
	free(idx);
	pc_buf_release(&title);
	pc_buf_release(&bn);
	pc_buf_release(&cn);
	return rc;
}
