/* JSON output of runs (SPEC.md "Machine-readable output"). */
#include <math.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"
#include "render/render_internal.h"

static int str(pc_buf *b, const char *s)
{
	return pc_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

int pc_render_run_json(pc_buf *b, const pc_run *run)
{
	char ts[32];
	size_t i;
	int rc;

	pc_time_format(run->started_at, ts);
	if ((rc = pc_buf_printf(b, "{\"id\":%lld,\"source\":", (long long)run->id)) ||
	    (rc = str(b, pc_source_name(run->source))) || (rc = pc_buf_puts(b, ",\"profile\":")) ||
	    (rc = str(b, run->profile)) || (rc = pc_buf_puts(b, ",\"config\":")) ||
	    (rc = str(b, run->config)) || (rc = pc_buf_puts(b, ",\"project\":")) ||
	    (rc = str(b, run->project)) || (rc = pc_buf_puts(b, ",\"git_sha\":")) ||
	    (rc = str(b, run->git_sha)) || (rc = pc_buf_puts(b, ",\"git_branch\":")) ||
	    (rc = str(b, run->git_branch)) || (rc = pc_buf_puts(b, ",\"labels\":[")))
		return rc;
	for (i = 0; i < run->nlabels; i++)
		if ((i && (rc = pc_buf_putc(b, ','))) || (rc = str(b, run->labels[i])))
			return rc;
	if ((rc = pc_buf_puts(b, "],\"started_at\":")) || (rc = str(b, ts)) ||
	    (rc = pc_buf_printf(b, ",\"started_at_source\":\"%s\"", run->started_known ? "file" : "ingest")) ||
	    (rc = pc_buf_puts(b, ",\"duration\":")) || (rc = pc_json_num(b, run->duration)) ||
	    (rc = pc_buf_puts(b, ",\"file\":")) || (rc = str(b, run->file)) ||
	    (rc = pc_buf_puts(b, ",\"content_hash\":")) || (rc = str(b, run->content_hash)) ||
	    (rc = pc_buf_puts(b, ",\"tool\":")) || (rc = str(b, pc_source_tool(run->source))) ||
	    (rc = pc_buf_puts(b, ",\"tool_version\":")) || (rc = str(b, run->tool_version)))
		return rc;
	return pc_buf_putc(b, '}');
}

static int series_json(pc_buf *b, const pc_series *s)
{
	size_t i;
	int rc;

	if ((rc = pc_buf_puts(b, "{\"metric\":")) || (rc = str(b, s->metric)) ||
	    (rc = pc_buf_printf(b, ",\"tags\":%s,\"kind\":\"%s\",\"unit\":", s->tags,
				pc_kind_name(s->kind))) ||
	    (rc = str(b, s->unit)) ||
	    (rc = pc_buf_printf(b, ",\"empty\":%s,\"stats\":{", s->empty ? "true" : "false")))
		return rc;
	for (i = 0; i < s->nstats; i++) {
		if ((i && (rc = pc_buf_putc(b, ','))) ||
		    (rc = str(b, s->stats[i].name)) || (rc = pc_buf_putc(b, ':')) ||
		    (rc = pc_json_num(b, s->stats[i].value)))
			return rc;
	}
	if ((rc = pc_buf_puts(b, "},\"thresholds\":[")))
		return rc;
	for (i = 0; i < s->nthresholds; i++) {
		if ((i && (rc = pc_buf_putc(b, ','))) || (rc = pc_buf_puts(b, "{\"expr\":")) ||
		    (rc = str(b, s->thresholds[i].expr)) ||
		    (rc = pc_buf_printf(b, ",\"ok\":%s}", s->thresholds[i].ok ? "true" : "false")))
			return rc;
	}
	return pc_buf_puts(b, "]}");
}

static int show_json(pc_buf *b, const pc_run *run)
{
	size_t i;
	int rc;

	if ((rc = pc_buf_puts(b, "{\"run\":")) || (rc = pc_render_run_json(b, run)) ||
	    (rc = pc_buf_puts(b, ",\"series\":[")))
		return rc;
	for (i = 0; i < run->nseries; i++)
		if ((i && (rc = pc_buf_putc(b, ','))) || (rc = series_json(b, run->series[i])))
			return rc;
	if ((rc = pc_buf_puts(b, "],\"checks\":[")))
		return rc;
	for (i = 0; i < run->nchecks; i++) {
		const pc_check *c = &run->checks[i];
		if ((i && (rc = pc_buf_putc(b, ','))) || (rc = pc_buf_puts(b, "{\"path\":")) ||
		    (rc = str(b, c->path)) || (rc = pc_buf_puts(b, ",\"name\":")) || (rc = str(b, c->name)) ||
		    (rc = pc_buf_printf(b, ",\"passes\":%lld,\"fails\":%lld}", c->passes, c->fails)))
			return rc;
	}
	if ((rc = pc_buf_puts(b, "],\"tests\":[")))
		return rc;
	for (i = 0; i < run->ntests; i++) {
		const pc_test *t = &run->tests[i];
		if ((i && (rc = pc_buf_putc(b, ','))) || (rc = pc_buf_puts(b, "{\"file\":")) ||
		    (rc = str(b, t->file)) || (rc = pc_buf_puts(b, ",\"title\":")) ||
		    (rc = str(b, t->title)) || (rc = pc_buf_puts(b, ",\"project\":")) ||
		    (rc = str(b, t->project)) || (rc = pc_buf_puts(b, ",\"outcome\":")) ||
		    (rc = str(b, t->outcome)) ||
		    (rc = pc_buf_printf(b, ",\"repeat\":%d,\"attempts\":%d,\"retries\":%d}", t->repeat,
					t->attempts, t->retries)))
			return rc;
	}
	if ((rc = pc_buf_puts(b, "],\"totals\":")))
		return rc;
	if (run->has_totals)
		rc = pc_buf_printf(b, "{\"expected\":%lld,\"unexpected\":%lld,\"flaky\":%lld,\"skipped\":%lld}",
				   run->totals.expected, run->totals.unexpected, run->totals.flaky,
				   run->totals.skipped);
	else
		rc = pc_buf_puts(b, "null");
	return rc ? rc : pc_buf_puts(b, "}\n");
}

int pc_format_parse(const char *name, pc_format *out)
{
	static const char *const names[] = {"table", "json", "csv", "md", "junit"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (pc_format)i;
			return 0;
		}
	}
	return pc_error_set(PC_EUSAGE, "unknown format '%s'", name);
}

int pc_render_show(pc_buf *out, const pc_run *run, pc_format fmt, int color)
{
	switch (fmt) {
	case PC_FMT_JSON:
		return show_json(out, run);
	case PC_FMT_TABLE:
		return pc_render_show_text(out, run, 0, color);
	case PC_FMT_MD:
		return pc_render_show_text(out, run, 1, 0);
	default:
		return pc_error_set(PC_EUSAGE, "show writes table, json or md");
	}
}
