/* Runs for people: the `runs` list (table, csv, json) and `show` as a terminal report or
 * Markdown. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"
#include "render/render_internal.h"

static void fmt_duration(char out[32], double secs)
{
	if (isnan(secs))
		snprintf(out, 32, "-");
	else if (secs < 60)
		snprintf(out, 32, "%.1f s", secs);
	else if (secs < 3600)
		snprintf(out, 32, "%dm%02ds", (int)(secs / 60), (int)fmod(secs, 60));
	else
		snprintf(out, 32, "%dh%02dm", (int)(secs / 3600), (int)fmod(secs / 60, 60));
}

static char *join_labels(const pc_run *run, const char *sep)
{
	pc_buf b = PC_BUF_INIT;
	size_t i;

	for (i = 0; i < run->nlabels; i++)
		if ((i && pc_buf_puts(&b, sep)) || pc_buf_puts(&b, run->labels[i])) {
			pc_buf_release(&b);
			return NULL;
		}
	return pc_buf_detach(&b);
}

static int runs_table(pc_buf *out, pc_run *const *runs, size_t n, int color)
{
	size_t unknown = 0;
	static const char *const head[] = {"ID", "STARTED (UTC)", "SOURCE", "PROFILE/CONFIG",
					   "DURATION", "GIT", "LABELS", "FILE"};
	pc_table *t = pc_table_new(8);
	size_t i;
	int rc;

	if (!t)
		return PC_ENOMEM;
	pc_table_align(t, 0, 'r');
	pc_table_align(t, 4, 'r');
	rc = pc_table_add_row(t, head);
	for (i = 0; i < n && !rc; i++) {
		const pc_run *r = runs[i];
		char id[24], ts[32], dur[32], pc[256], git[128];
		char *labels = join_labels(r, ",");
		const char *cells[8] = {id, ts, pc_source_name(r->source), pc, dur, git, labels, r->file};

		snprintf(id, sizeof(id), "%lld", (long long)r->id);
		pc_time_format(r->started_at, ts);
		ts[19] = '\0'; /* seconds are enough in a listing */
		ts[10] = ' ';
		if (!r->started_known) { /* the file had no start time: this is when it was ingested */
			ts[19] = '*';
			ts[20] = '\0';
			unknown++;
		}
		fmt_duration(dur, r->duration);
		snprintf(pc, sizeof(pc), "%s/%s", r->profile, r->config);
		snprintf(git, sizeof(git), "%.10s%s%s%s", r->git_sha, *r->git_branch ? " (" : "",
			 r->git_branch, *r->git_branch ? ")" : "");
		rc = labels ? pc_table_add_row(t, cells) : PC_ENOMEM;
		free(labels);
	}
	if (!rc)
		rc = pc_table_render(out, t, color);
	if (!rc && unknown)
		rc = pc_buf_puts(out, "* the file gives no start time: the time it was ingested\n");
	pc_table_free(t);
	return rc;
}

static int runs_csv(pc_buf *out, pc_run *const *runs, size_t n)
{
	size_t i;
	int rc = pc_buf_puts(out, "id,source,profile,config,project,git_sha,git_branch,labels,"
				  "started_at,duration,file,content_hash,tool,tool_version,"
				  "started_at_source\n");

	for (i = 0; i < n && !rc; i++) {
		const pc_run *r = runs[i];
		const char *fields[] = {r->profile, r->config, r->project, r->git_sha, r->git_branch};
		char ts[32], dur[32] = "";
		char *labels = join_labels(r, ";");
		size_t f;

		if (!labels)
			return PC_ENOMEM;
		pc_time_format(r->started_at, ts);
		if (!isnan(r->duration))
			pc_fmt_double(dur, r->duration);
		rc = pc_buf_printf(out, "%lld,%s", (long long)r->id, pc_source_name(r->source));
		for (f = 0; f < 5 && !rc; f++)
			rc = pc_buf_putc(out, ',') || pc_esc_csv(out, fields[f]);
		if (!rc)
			rc = pc_buf_putc(out, ',') || pc_esc_csv(out, labels) ||
			     pc_buf_printf(out, ",%s,%s,", ts, dur) || pc_esc_csv(out, r->file) ||
			     pc_buf_printf(out, ",%s,%s,", r->content_hash, pc_source_tool(r->source)) ||
			     pc_esc_csv(out, r->tool_version ? r->tool_version : "") ||
			     pc_buf_printf(out, ",%s\n", r->started_known ? "file" : "ingest");
		free(labels);
	}
	return rc ? PC_ENOMEM : 0;
}

int pc_render_runs(pc_buf *out, pc_run *const *runs, size_t n, pc_format fmt, int color)
{
	size_t i;
	int rc;

	switch (fmt) {
	case PC_FMT_TABLE:
		return runs_table(out, runs, n, color);
	case PC_FMT_CSV:
		return runs_csv(out, runs, n);
	case PC_FMT_JSON:
		rc = pc_buf_putc(out, '[');
		for (i = 0; i < n && !rc; i++) {
			if (i)
				rc = pc_buf_putc(out, ',');
			if (!rc)
				rc = pc_render_run_json(out, runs[i]);
		}
		return rc ? rc : pc_buf_puts(out, "]\n");
	default:
		return pc_error_set(PC_EUSAGE, "runs writes table, json or csv");
	}
}

/* The statistic columns of each metric kind, in display order. */
static const char *const trend_cols[] = {"count", "min", "avg", "p50", "p90", "p95", "p99", "p99.9", "max"};
static const char *const counter_cols[] = {"count", "rate"};
static const char *const rate_cols[] = {"rate", "passes", "fails"};
static const char *const gauge_cols[] = {"value", "min", "max"};

struct section {
	pc_kind kind;
	const char *title;
	const char *const *cols;
	size_t ncols;
};

static const struct section sections[] = {
	{PC_KIND_TREND, "trends", trend_cols, sizeof(trend_cols) / sizeof(*trend_cols)},
	{PC_KIND_RATE, "rates", rate_cols, sizeof(rate_cols) / sizeof(*rate_cols)},
	{PC_KIND_COUNTER, "counters", counter_cols, sizeof(counter_cols) / sizeof(*counter_cols)},
	{PC_KIND_GAUGE, "gauges", gauge_cols, sizeof(gauge_cols) / sizeof(*gauge_cols)},
};

/* Emit one row, as a Markdown table row (md) or into the text table. */
static int emit_row(pc_buf *out, pc_table *t, const char *const *cells, size_t n, int md)
{
	size_t i;
	int rc = 0;

	if (!md)
		return pc_table_add_row(t, cells);
	for (i = 0; i < n && !rc; i++) {
		rc = pc_buf_puts(out, "| ");
		if (!rc)
			rc = pc_esc_md(out, cells[i] ? cells[i] : "");
		if (!rc)
			rc = pc_buf_putc(out, ' ');
	}
	return rc ? rc : pc_buf_puts(out, "|\n");
}

static int md_rule(pc_buf *out, size_t n, size_t left)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++)
		rc = pc_buf_puts(out, i < left ? "|---" : "|---:");
	return rc ? rc : pc_buf_puts(out, "|\n");
}

static int heading(pc_buf *out, const char *title, int md, int color)
{
	if (md)
		return pc_buf_printf(out, "\n### %s\n\n", title);
	return pc_buf_printf(out, color ? "\n\033[1m%s\033[0m\n" : "\n%s\n", title);
}

static int section_text(pc_buf *out, const pc_run *run, const struct section *sec, int md, int color)
{
	const char *cells[16];
	char vals[16][32];
	pc_table *t = NULL;
	pc_buf name = PC_BUF_INIT;
	size_t i, c, n = 0;
	int rc = 0;

	for (i = 0; i < run->nseries; i++)
		n += run->series[i]->kind == sec->kind;
	if (!n)
		return 0;
	if ((rc = heading(out, sec->title, md, color)))
		return rc;
	if (!md && !(t = pc_table_new(sec->ncols + 2)))
		return PC_ENOMEM;
	for (c = 0; t && c < sec->ncols + 2; c++)
		pc_table_align(t, c, c < 1 ? 'l' : 'r');
	cells[0] = "series";
	cells[1] = "unit";
	for (c = 0; c < sec->ncols; c++)
		cells[c + 2] = sec->cols[c];
	if ((rc = emit_row(out, t, cells, sec->ncols + 2, md)))
		goto done;
	if (md && (rc = md_rule(out, sec->ncols + 2, 2)))
		goto done;
	for (i = 0; i < run->nseries && !rc; i++) {
		const pc_series *s = run->series[i];
		if (s->kind != sec->kind)
			continue;
		pc_buf_reset(&name);
		if ((rc = pc_series_name(&name, s->metric, s->tags)) ||
		    (s->empty && (rc = pc_buf_puts(&name, " (no samples)"))))
			goto done;
		cells[0] = name.ptr;
		cells[1] = s->unit;
		for (c = 0; c < sec->ncols; c++) {
			double v;
			if (pc_series_get_stat(s, sec->cols[c], &v) == 0)
				pc_fmt_value(vals[c], v);
			else
				strcpy(vals[c], "");
			cells[c + 2] = vals[c];
		}
		rc = emit_row(out, t, cells, sec->ncols + 2, md);
	}
	if (!rc && t)
		rc = pc_table_render(out, t, color);
done:
	pc_table_free(t);
	pc_buf_release(&name);
	return rc;
}

static int thresholds_text(pc_buf *out, const pc_run *run, int md, int color)
{
	pc_buf name = PC_BUF_INIT;
	pc_table *t = NULL;
	size_t i, j, n = 0;
	int rc;

	for (i = 0; i < run->nseries; i++)
		n += run->series[i]->nthresholds;
	if (!n)
		return 0;
	if ((rc = heading(out, "thresholds", md, color)))
		return rc;
	if (!md && !(t = pc_table_new(3)))
		return PC_ENOMEM;
	{
		const char *head[] = {"result", "series", "threshold"};
		if ((rc = emit_row(out, t, head, 3, md)) || (md && (rc = md_rule(out, 3, 3))))
			goto done;
	}
	for (i = 0; i < run->nseries && !rc; i++) {
		const pc_series *s = run->series[i];
		for (j = 0; j < s->nthresholds && !rc; j++) {
			const char *cells[3];
			pc_buf_reset(&name);
			if ((rc = pc_series_name(&name, s->metric, s->tags)))
				goto done;
			cells[0] = s->thresholds[j].ok ? "ok" : "FAILED";
			cells[1] = name.ptr;
			cells[2] = s->thresholds[j].expr;
			rc = emit_row(out, t, cells, 3, md);
		}
	}
	if (!rc && t)
		rc = pc_table_render(out, t, color);
	if (!rc && run->source == PC_SRC_K6_POINTS)
		rc = pc_buf_puts(out, md ? "\n_A points stream carries only the metrics' own thresholds: "
					   "submetric thresholds (e.g. `{name:x}`) are in the k6 summary._\n"
					 : "(a points stream carries only the metrics' own thresholds: submetric "
					   "thresholds are in the k6 summary)\n");
done:
	pc_table_free(t);
	pc_buf_release(&name);
	return rc;
}

static int checks_text(pc_buf *out, const pc_run *run, int md, int color)
{
	const char *head[] = {"check", "passes", "fails"};
	pc_table *t = NULL;
	size_t i;
	int rc;

	if (!run->nchecks)
		return 0;
	if ((rc = heading(out, "checks", md, color)))
		return rc;
	if (!md && !(t = pc_table_new(3)))
		return PC_ENOMEM;
	if (t) {
		pc_table_align(t, 1, 'r');
		pc_table_align(t, 2, 'r');
	}
	if ((rc = emit_row(out, t, head, 3, md)) || (md && (rc = md_rule(out, 3, 1))))
		goto done;
	for (i = 0; i < run->nchecks && !rc; i++) {
		char p[24], f[24];
		const char *cells[3] = {run->checks[i].path, p, f};
		snprintf(p, sizeof(p), "%lld", run->checks[i].passes);
		snprintf(f, sizeof(f), "%lld", run->checks[i].fails);
		rc = emit_row(out, t, cells, 3, md);
	}
	if (!rc && t)
		rc = pc_table_render(out, t, color);
done:
	pc_table_free(t);
	return rc;
}

/* Tests: the totals, then every entry whose outcome is not "expected". */
static int tests_text(pc_buf *out, const pc_run *run, int md, int color)
{
	const char *head[] = {"outcome", "file", "test", "project", "attempts"};
	pc_table *t = NULL;
	size_t i, shown = 0;
	int rc;

	if (!run->has_totals && !run->ntests)
		return 0;
	if ((rc = heading(out, "tests", md, color)))
		return rc;
	if (run->has_totals &&
	    (rc = pc_buf_printf(out, "%s%lld expected, %lld unexpected, %lld flaky, %lld skipped (%zu entries)\n",
				md ? "" : "", run->totals.expected, run->totals.unexpected,
				run->totals.flaky, run->totals.skipped, run->ntests)))
		return rc;
	for (i = 0; i < run->ntests; i++)
		shown += strcmp(run->tests[i].outcome, "expected") != 0;
	if (!shown)
		return 0;
	if ((rc = pc_buf_puts(out, md ? "\n" : "")))
		return rc;
	if (!md && !(t = pc_table_new(5)))
		return PC_ENOMEM;
	if (t)
		pc_table_align(t, 4, 'r');
	if ((rc = emit_row(out, t, head, 5, md)) || (md && (rc = md_rule(out, 5, 4))))
		goto done;
	for (i = 0; i < run->ntests && !rc; i++) {
		const pc_test *te = &run->tests[i];
		char att[16];
		const char *cells[5] = {te->outcome, te->file, te->title, te->project, att};
		if (strcmp(te->outcome, "expected") == 0)
			continue;
		snprintf(att, sizeof(att), "%d", te->attempts);
		rc = emit_row(out, t, cells, 5, md);
	}
	if (!rc && t)
		rc = pc_table_render(out, t, color);
done:
	pc_table_free(t);
	return rc;
}

static int header_text(pc_buf *out, const pc_run *run, int md)
{
	char ts[32], dur[32];
	char *labels = join_labels(run, ", ");
	pc_buf e = PC_BUF_INIT;
	int rc;

	if (!labels)
		return PC_ENOMEM;
	pc_time_format(run->started_at, ts);
	fmt_duration(dur, run->duration);
	if (md) {
		rc = pc_buf_printf(out, "## Run %lld: %s ", (long long)run->id, pc_source_name(run->source));
		if (!rc)
			rc = pc_esc_md(out, run->profile) || pc_buf_putc(out, '/') || pc_esc_md(out, run->config);
		if (!rc)
			rc = pc_buf_printf(out, "\n\n- started: %s\n- duration: %s\n- file: `", ts, dur);
		if (!rc)
			rc = pc_esc_md_code(out, run->file);
		if (!rc)
			rc = pc_buf_puts(out, "`\n- git: ") || pc_esc_md(out, run->git_sha) ||
			     pc_buf_puts(out, " ") || pc_esc_md(out, run->git_branch) ||
			     pc_buf_puts(out, "\n- labels: ") || pc_esc_md(out, *labels ? labels : "-") ||
			     pc_buf_putc(out, '\n');
	} else {
		rc = pc_buf_printf(out, "run %lld  %s  ", (long long)run->id, pc_source_name(run->source)) ||
		     pc_esc_term(&e, run->profile) || pc_buf_putc(&e, '/') || pc_esc_term(&e, run->config) ||
		     pc_buf_puts(out, e.ptr) ||
		     pc_buf_printf(out, "  %s  %s\n", ts, dur);
		pc_buf_reset(&e);
		if (!rc)
			rc = pc_buf_puts(out, "file    ") || pc_esc_term(out, run->file) ||
			     pc_buf_puts(out, "\ngit     ") || pc_esc_term(out, *run->git_sha ? run->git_sha : "-") ||
			     pc_buf_puts(out, *run->git_branch ? " (" : "") || pc_esc_term(out, run->git_branch) ||
			     pc_buf_puts(out, *run->git_branch ? ")" : "") ||
			     pc_buf_puts(out, "\nlabels  ") || pc_esc_term(out, *labels ? labels : "-") ||
			     pc_buf_printf(out, "\nhash    %s\n", run->content_hash);
	}
	pc_buf_release(&e);
	free(labels);
	return rc ? PC_ENOMEM : 0;
}

int pc_render_show_text(pc_buf *out, const pc_run *run, int md, int color)
{
	size_t i;
	int rc;

	if ((rc = header_text(out, run, md)))
		return rc;
	for (i = 0; i < sizeof(sections) / sizeof(*sections); i++)
		if ((rc = section_text(out, run, &sections[i], md, color)))
			return rc;
	if ((rc = thresholds_text(out, run, md, color)) || (rc = checks_text(out, run, md, color)))
		return rc;
	return tests_text(out, run, md, color);
}
