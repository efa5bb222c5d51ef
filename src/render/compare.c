/* A comparison's output: terminal table, GitHub Markdown, JSON, JUnit XML and CSV. Rows come
 * worst first; every string from a results file is escaped for the format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"

/* Worst first: regressions, inconclusive, improvements, unchanged; then the larger change in
 * the worse direction; then the order the comparison made them in, so the output is the same
 * bytes whatever qsort does with ties. */
static int row_order(const void *pa, const void *pb)
{
	static const int rank[] = {3, 2, 1, 0};
	const pc_row *a = *(const pc_row *const *)pa, *b = *(const pc_row *const *)pb;
	double da = isfinite(a->delta_pct) ? fabs(a->delta_pct) : 0;
	double db = isfinite(b->delta_pct) ? fabs(b->delta_pct) : 0;

	if (rank[a->verdict] != rank[b->verdict])
		return rank[a->verdict] - rank[b->verdict];
	if (a->worse != b->worse)
		return b->worse - a->worse;
	if (da != db)
		return (da < db) - (da > db);
	return (a > b) - (a < b);
}

/* The rows in display order (the caller frees the array, not the rows). */
static const pc_row **ordered(const pc_comparison *c)
{
	const pc_row **rows = malloc((c->nrows ? c->nrows : 1) * sizeof(*rows));
	size_t i;

	if (!rows)
		return NULL;
	for (i = 0; i < c->nrows; i++)
		rows[i] = &c->rows[i];
	qsort(rows, c->nrows, sizeof(*rows), row_order);
	return rows;
}

static void fmt_pct(char out[32], double v)
{
	if (isfinite(v))
		snprintf(out, 32, "%+.1f%%", v);
	else
		strcpy(out, "-");
}

static void fmt_p(char out[32], double p)
{
	if (!isfinite(p))
		strcpy(out, "-");
	else if (p < 0.0001)
		strcpy(out, "<0.0001");
	else
		snprintf(out, 32, "%.4f", p);
}

static void fmt_with_unit(char out[48], double v, const char *unit, int rate)
{
	char num[32];

	if (rate && isfinite(v)) {
		snprintf(out, 48, "%.2f%%", v * 100);
		return;
	}
	pc_fmt_value(num, v);
	snprintf(out, 48, "%s%s%s", num, *unit && isfinite(v) ? " " : "", isfinite(v) ? unit : "");
}

static int ids_text(pc_buf *b, const int64_t *ids, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++)
		rc = pc_buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	return rc;
}

static int headline(pc_buf *b, const pc_comparison *c, const pc_compare_sides *s, int md)
{
	const size_t *counts = c->counts;
	size_t all = counts[0] + counts[1] + counts[2] + counts[3];
	int rc;

	rc = pc_buf_puts(b, md ? "**perfcmp: " : "verdict: ");
	rc = rc || pc_buf_puts(b, pc_verdict_name(c->verdict));
	rc = rc || pc_buf_puts(b, md ? "** — " : " (");
	rc = rc || pc_buf_printf(b, "%zu regression%s, %zu inconclusive, %zu improvement%s, %zu unchanged",
				 counts[PC_V_REGRESSION], counts[PC_V_REGRESSION] == 1 ? "" : "s",
				 counts[PC_V_INCONCLUSIVE], counts[PC_V_IMPROVEMENT],
				 counts[PC_V_IMPROVEMENT] == 1 ? "" : "s", counts[PC_V_UNCHANGED]);
	rc = rc || pc_buf_puts(b, md ? "; baseline run " : "; baseline run ");
	rc = rc || ids_text(b, s->base_ids, s->nbase);
	rc = rc || pc_buf_puts(b, " → candidate run ");
	rc = rc || ids_text(b, s->cand_ids, s->ncand);
	rc = rc || pc_buf_printf(b, ", profile %s", s->profile ? s->profile : "-");
	if (c->nrows < all)
		rc = rc || pc_buf_printf(b, "; %zu of %zu rows shown", c->nrows, all);
	rc = rc || pc_buf_puts(b, md ? "\n" : ")\n");
	return rc ? PC_ENOMEM : 0;
}

static int cmp_table(pc_buf *out, const pc_comparison *c, const pc_compare_sides *s, int color,
		     int md)
{
	static const char *const head[] = {"verdict", "series", "stat", "baseline", "candidate",
					   "change", "95% CI of change", "p (Holm)", "reason"};
	const pc_row **idx = ordered(c);
	size_t i, k;
	pc_table *t = NULL;
	pc_buf name = PC_BUF_INIT;
	int rc = 0;

	if (!idx)
		return pc_error_set(PC_ENOMEM, "out of memory");
	if (md) {
		rc = headline(out, c, s, 1) || pc_buf_puts(out, "\n| Verdict | Series | Stat | Baseline | "
							     "Candidate | Change | 95% CI | p (Holm) | Reason |\n"
							     "|---|---|---|---:|---:|---:|---:|---:|---|\n");
	} else {
		if (!(t = pc_table_new(9)))
			goto nomem;
		for (k = 3; k < 8; k++)
			pc_table_align(t, k, 'r');
		rc = pc_table_add_row(t, head);
	}
	for (i = 0; i < c->nrows && !rc; i++) {
		const pc_row *r = idx[i];
		char base[48], cand[48], chg[32], ci[64], p[32];
		const char *cells[9];
		int rate = strcmp(r->stat, "rate") == 0 && strcmp(r->unit, "ratio") == 0;

		pc_buf_reset(&name);
		if (pc_series_name(&name, r->metric, r->tags))
			goto nomem;
		fmt_with_unit(base, r->baseline, r->unit, rate);
		fmt_with_unit(cand, r->candidate, r->unit, rate);
		if (rate && isfinite(r->baseline))
			snprintf(chg, sizeof(chg), "%+.2f pt", (r->candidate - r->baseline) * 100);
		else
			fmt_pct(chg, r->delta_pct);
		if (isfinite(r->ci_low))
			snprintf(ci, sizeof(ci), "%+.1f%% .. %+.1f%%", r->ci_low, r->ci_high);
		else
			strcpy(ci, "-");
		fmt_p(p, r->p_holm);
		cells[0] = pc_verdict_name(r->verdict);
		cells[1] = name.ptr;
		cells[2] = r->stat;
		cells[3] = base;
		cells[4] = cand;
		cells[5] = chg;
		cells[6] = ci;
		cells[7] = p;
		cells[8] = r->reason;
		if (md) {
			for (k = 0; k < 9 && !rc; k++) {
				rc = pc_buf_puts(out, "| ");
				if (!rc && k == 1)
					rc = pc_buf_putc(out, '`');
				if (!rc && k == 1) {
					rc = pc_esc_md_code(out, cells[k]) || pc_buf_putc(out, '`');
				} else if (!rc) {
					rc = pc_esc_md(out, cells[k]);
				}
				rc = rc || pc_buf_putc(out, ' ');
			}
			rc = rc || pc_buf_puts(out, "|\n");
		} else {
			static const char *const sgr[] = {NULL, "32", "33", "1;31"};
			rc = pc_table_add_row(t, cells);
			if (!rc)
				pc_table_style_last(t, 0, sgr[r->verdict]);
		}
	}
	if (!rc && !md)
		rc = pc_table_render(out, t, color);
	if (!rc && !md)
		rc = headline(out, c, s, 0);
	goto done;
nomem:
	rc = pc_error_set(PC_ENOMEM, "out of memory");
done:
	pc_table_free(t);
	pc_buf_release(&name);
	free((void *)idx);
	return rc ? PC_ENOMEM : 0;
}

static int jstr(pc_buf *b, const char *s)
{
	return pc_json_str(b, s, strlen(s));
}

static int cmp_json(pc_buf *b, const pc_comparison *c, const pc_compare_sides *s)
{
	const pc_row **idx = ordered(c);
	size_t i;
	int rc;

	if (!idx)
		return pc_error_set(PC_ENOMEM, "out of memory");
	rc = pc_buf_printf(b, "{\"verdict\":\"%s\",\"profile\":", pc_verdict_name(c->verdict)) ||
	     jstr(b, s->profile ? s->profile : "") || pc_buf_puts(b, ",\"baseline\":{\"runs\":[") ||
	     ids_text(b, s->base_ids, s->nbase) || pc_buf_puts(b, "]},\"candidate\":{\"runs\":[") ||
	     ids_text(b, s->cand_ids, s->ncand) || pc_buf_puts(b, "]},\"rows\":[");
	for (i = 0; i < c->nrows && !rc; i++) {
		const pc_row *r = idx[i];
		rc = (i && pc_buf_putc(b, ',')) || pc_buf_puts(b, "{\"metric\":") || jstr(b, r->metric) ||
		     pc_buf_printf(b, ",\"tags\":%s,\"stat\":", r->tags) || jstr(b, r->stat) ||
		     pc_buf_puts(b, ",\"unit\":") || jstr(b, r->unit) || pc_buf_puts(b, ",\"baseline\":") ||
		     pc_json_num(b, r->baseline) || pc_buf_puts(b, ",\"candidate\":") ||
		     pc_json_num(b, r->candidate) || pc_buf_puts(b, ",\"delta_pct\":") ||
		     pc_json_num(b, r->delta_pct) ||
		     pc_buf_printf(b, ",\"verdict\":\"%s\",\"reason\":", pc_verdict_name(r->verdict)) ||
		     jstr(b, r->reason) || pc_buf_puts(b, ",\"ci_low_pct\":") || pc_json_num(b, r->ci_low) ||
		     pc_buf_puts(b, ",\"ci_high_pct\":") || pc_json_num(b, r->ci_high) ||
		     pc_buf_puts(b, ",\"p\":") || pc_json_num(b, r->p) || pc_buf_puts(b, ",\"p_holm\":") ||
		     pc_json_num(b, r->p_holm) || pc_buf_puts(b, ",\"baseline_interval\":[") ||
		     pc_json_num(b, r->base_lo) || pc_buf_putc(b, ',') || pc_json_num(b, r->base_hi) ||
		     pc_buf_puts(b, "],\"candidate_interval\":[") || pc_json_num(b, r->cand_lo) ||
		     pc_buf_putc(b, ',') || pc_json_num(b, r->cand_hi) ||
		     pc_buf_printf(b, "],\"n_baseline\":%zu,\"n_candidate\":%zu,\"k_baseline\":%zu,"
				      "\"k_candidate\":%zu,\"noise\":", r->n_base, r->n_cand, r->k_base, r->k_cand) ||
		     jstr(b, r->noise) || pc_buf_putc(b, '}');
	}
	rc = rc || pc_buf_puts(b, "],\"warnings\":[");
	for (i = 0; i < c->nwarnings && !rc; i++)
		rc = (i && pc_buf_putc(b, ',')) || jstr(b, c->warnings[i]);
	rc = rc || pc_buf_puts(b, "]}\n");
	free((void *)idx);
	return rc ? PC_ENOMEM : 0;
}

/* "+32.1% (14.65 ms -> 19.35 ms): " for messages that stand alone. */
static int change_text(pc_buf *b, const pc_row *r)
{
	char base[48], cand[48], chg[32];
	int rate = strcmp(r->stat, "rate") == 0 && strcmp(r->unit, "ratio") == 0;

	fmt_with_unit(base, r->baseline, r->unit, rate);
	fmt_with_unit(cand, r->candidate, r->unit, rate);
	fmt_pct(chg, r->delta_pct);
	return pc_buf_puts(b, chg) || pc_buf_puts(b, " (") || pc_esc_xml(b, base) ||
	       pc_buf_puts(b, " -&gt; ") || pc_esc_xml(b, cand) || pc_buf_puts(b, "): ");
}

static int cmp_junit(pc_buf *b, const pc_comparison *c)
{
	const pc_row **idx = ordered(c);
	size_t i, fails = 0, skips = 0;
	pc_buf name = PC_BUF_INIT;
	int rc = 0;

	if (!idx)
		return pc_error_set(PC_ENOMEM, "out of memory");
	for (i = 0; i < c->nrows; i++) {
		fails += c->rows[i].verdict == PC_V_REGRESSION;
		skips += c->rows[i].verdict == PC_V_INCONCLUSIVE;
	}
	rc = pc_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<testsuites name=\"perfcmp\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n"
			      "  <testsuite name=\"perfcmp compare\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n",
			   c->nrows, fails, skips, c->nrows, fails, skips);
	for (i = 0; i < c->nrows && !rc; i++) {
		const pc_row *r = idx[i];
		pc_buf_reset(&name);
		rc = pc_series_name(&name, r->metric, r->tags) ||
		     pc_buf_puts(b, "    <testcase classname=\"") || pc_esc_xml(b, name.ptr) ||
		     pc_buf_puts(b, "\" name=\"") || pc_esc_xml(b, r->stat) || pc_buf_puts(b, "\"");
		if (rc)
			break;
		if (r->verdict == PC_V_REGRESSION)
			rc = pc_buf_puts(b, ">\n      <failure message=\"") || change_text(b, r) ||
			     pc_esc_xml(b, r->reason) ||
			     pc_buf_puts(b, "\" type=\"regression\"/>\n    </testcase>\n");
		else if (r->verdict == PC_V_INCONCLUSIVE)
			rc = pc_buf_puts(b, ">\n      <skipped message=\"inconclusive: ") ||
			     pc_esc_xml(b, r->reason) || pc_buf_puts(b, "\"/>\n    </testcase>\n");
		else
			rc = pc_buf_puts(b, ">\n      <system-out>") || pc_esc_xml(b, pc_verdict_name(r->verdict)) ||
			     pc_buf_puts(b, ": ") || pc_esc_xml(b, r->reason) ||
			     pc_buf_puts(b, "</system-out>\n    </testcase>\n");
	}
	rc = rc || pc_buf_puts(b, "  </testsuite>\n</testsuites>\n");
	pc_buf_release(&name);
	free((void *)idx);
	return rc ? PC_ENOMEM : 0;
}

static int csv_num(pc_buf *b, double v)
{
	char tmp[32];

	if (!isfinite(v))
		return pc_buf_putc(b, ',');
	pc_fmt_double(tmp, v);
	return pc_buf_printf(b, ",%s", tmp);
}

static int cmp_csv(pc_buf *b, const pc_comparison *c)
{
	const pc_row **idx = ordered(c);
	size_t i;
	int rc;

	if (!idx)
		return pc_error_set(PC_ENOMEM, "out of memory");
	rc = pc_buf_puts(b, "metric,tags,stat,unit,baseline,candidate,delta_pct,verdict,reason,"
			    "ci_low_pct,ci_high_pct,p,p_holm,baseline_interval_low,baseline_interval_high,"
			    "candidate_interval_low,candidate_interval_high,n_baseline,n_candidate,"
			    "k_baseline,k_candidate,noise\n");
	for (i = 0; i < c->nrows && !rc; i++) {
		const pc_row *r = idx[i];
		rc = pc_esc_csv(b, r->metric) || pc_buf_putc(b, ',') || pc_esc_csv(b, r->tags) ||
		     pc_buf_putc(b, ',') || pc_esc_csv(b, r->stat) || pc_buf_putc(b, ',') ||
		     pc_esc_csv(b, r->unit) || csv_num(b, r->baseline) || csv_num(b, r->candidate) ||
		     csv_num(b, r->delta_pct) || pc_buf_printf(b, ",%s,", pc_verdict_name(r->verdict)) ||
		     pc_esc_csv(b, r->reason) || csv_num(b, r->ci_low) || csv_num(b, r->ci_high) ||
		     csv_num(b, r->p) || csv_num(b, r->p_holm) || csv_num(b, r->base_lo) ||
		     csv_num(b, r->base_hi) || csv_num(b, r->cand_lo) || csv_num(b, r->cand_hi) ||
		     pc_buf_printf(b, ",%zu,%zu,%zu,%zu,", r->n_base, r->n_cand, r->k_base, r->k_cand) ||
		     pc_esc_csv(b, r->noise) || pc_buf_putc(b, '\n');
	}
	free((void *)idx);
	return rc ? PC_ENOMEM : 0;
}

int pc_render_compare(pc_buf *out, const pc_comparison *cmp, const pc_compare_sides *sides,
		      pc_format fmt, int color)
{
	switch (fmt) {
	case PC_FMT_TABLE:
		return cmp_table(out, cmp, sides, color, 0);
	case PC_FMT_MD:
		return cmp_table(out, cmp, sides, 0, 1);
	case PC_FMT_JSON:
		return cmp_json(out, cmp, sides);
	case PC_FMT_JUNIT:
		return cmp_junit(out, cmp);
	case PC_FMT_CSV:
		return cmp_csv(out, cmp);
	}
	return pc_error_set(PC_EUSAGE, "unknown format");
}
