/* perfcmp report: a Markdown report on stdout, or the marked regions of a document rewritten
 * (--update), with charts written next to it and linked by relative path. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/report.h"
#include "perfcmp/strutil.h"

#define DOC_MAX (64u << 20)

struct report {
	pc_cli *cli;
	pc_cli_plot base;     /* options every region starts from */
	const char *chart_dir; /* where charts go ("" = the current directory) */
	const char *chart_prefix; /* the file name stem of the charts ("perf." for perf.md) */
	const char *link_dir; /* how the document links them ("" = beside it) */
	int failon;           /* 0 never, 1 regression, 2 inconclusive */
	int regression;       /* a comparison failed the --fail-on rule */
	size_t regions;       /* regions filled */
	const char *doc_path; /* report --update's document, for messages */
};

/* A chart's file name from its region: letters, digits, '.', '_' and '-' kept. */
static int chart_name(pc_buf *b, const char *prefix, const char *name)
{
	const char *p;
	int rc = pc_buf_puts(b, prefix), dash = 0;

	for (p = name; *p && !rc; p++) {
		int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			 *p == '.' || *p == '_' || *p == '-';
		if (ok) {
			rc = pc_buf_putc(b, *p);
			dash = 0;
		} else if (!dash) {
			rc = pc_buf_putc(b, '-');
			dash = 1;
		}
	}
	return rc ? rc : pc_buf_puts(b, ".svg");
}

static int runs_md(struct report *r, const pc_cli_plot *p, pc_buf *out)
{
	pc_run_filter f = p->sc.cand;
	pc_run **runs = NULL;
	size_t n = 0, i, j;
	int rc;

	f.limit = p->limit;
	if ((rc = pc_store_list(r->cli->store, &f, &runs, &n)))
		return pc_cli_fail("report", rc);
	rc = pc_buf_puts(out, "| Run | Started (UTC) | Source | Profile/config | Duration | Git | Labels |\n"
			      "|---:|---|---|---|---:|---|---|\n");
	for (i = 0; i < n && !rc; i++) {
		const pc_run *x = runs[i];
		char t[32], d[32];
		pc_time_format(x->started_at, t);
		pc_fmt_value(d, x->duration);
		rc = pc_buf_printf(out, "| %lld | %.19s | %s | ", (long long)x->id, t, pc_source_name(x->source)) ||
		     pc_esc_md(out, x->profile) || pc_buf_putc(out, '/') || pc_esc_md(out, x->config) ||
		     pc_buf_printf(out, " | %s%s | ", d, d[0] == '-' ? "" : " s") ||
		     pc_esc_md(out, x->git_sha && *x->git_sha ? x->git_sha : "-") || pc_buf_puts(out, " | ");
		if (rc)
			break;
		for (j = 0; j < x->nlabels && !rc; j++)
			rc = (j ? pc_buf_puts(out, ", ") : 0) || pc_esc_md(out, x->labels[j]);
		rc = rc || pc_buf_puts(out, " |\n");
	}
	pc_store_runs_free(runs, n);
	return rc ? pc_cli_fail("report", rc) : EXIT_OK;
}

static int compare_md(struct report *r, const pc_cli_plot *p, pc_buf *out)
{
	pc_cli_sides *sd = NULL;
	pc_profile *prof = NULL;
	pc_comparison *cmp = NULL;
	pc_compare_sides ren;
	pc_compare_opts co = {0};
	int rc = 0, status;

	if ((status = pc_cli_sides_resolve(r->cli, "report", p->arg ? p->arg : "latest~1..latest", &p->sc, &sd)))
		return status;
	co.metric_glob = p->metric;
	co.by = p->by;
	co.force = p->force;
	if ((rc = pc_cli_profile_for(&prof, p->pfile, p->pdir, sd->cand_runs[0])) ||
	    (rc = pc_compare(&cmp, sd->base_runs, sd->nbase, sd->cand_runs, sd->ncand, prof, &co)))
		goto done;
	pc_cli_sides_render(&ren, sd, prof);
	rc = pc_render_compare(out, cmp, &ren, PC_FMT_MD, 0);
	if (pc_cli_fails(r->failon, cmp->verdict))
		r->regression = 1;
done:
	if (rc)
		status = pc_cli_fail("report", rc);
	pc_comparison_free(cmp);
	pc_profile_free(prof);
	pc_cli_sides_free(sd);
	return status;
}

static int chart_md(struct report *r, pc_cli_plot *p, const char *name, pc_buf *out)
{
	pc_buf script = PC_BUF_INIT, image = PC_BUF_INIT, file = PC_BUF_INIT, path = PC_BUF_INIT;
	int status;

	p->po.format = PC_PLOT_SVG;
	if ((status = pc_cli_plot_script(r->cli, p, &script)) ||
	    (status = pc_cli_plot_image(p, &script, &image)))
		goto done;
	if (chart_name(&file, r->chart_prefix, name) ||
	    pc_buf_printf(&path, "%s%s%s", r->chart_dir, *r->chart_dir ? "/" : "", file.ptr)) {
		status = pc_cli_fail("report", PC_ENOMEM);
		goto done;
	}
	if ((status = pc_cli_write_file(path.ptr, image.ptr, image.len)))
		goto done;
	/* the alt text is the region's name; the file name is ours, so no escaping is needed */
	if (pc_buf_puts(out, "![") || pc_esc_md(out, name) ||
	    pc_buf_printf(out, "](%s%s%s)\n", r->link_dir, *r->link_dir ? "/" : "", file.ptr))
		status = pc_cli_fail("report", PC_ENOMEM);
done:
	pc_buf_release(&script);
	pc_buf_release(&image);
	pc_buf_release(&file);
	pc_buf_release(&path);
	return status;
}

/* A region that cannot be rendered: "perfcmp: report: FILE: line N: region 'NAME': WHY" (no
 * FILE and line for the stdout report, whose regions perfcmp wrote). Returns EXIT_INPUT. */
static int region_error(const struct report *r, const char *name, size_t line, const char *why)
{
	fputs("perfcmp: report: ", stderr);
	if (r->doc_path) {
		pc_cli_put_inert(stderr, r->doc_path);
		fprintf(stderr, ": line %zu: ", line);
	}
	fputs("region '", stderr);
	pc_cli_put_inert(stderr, name);
	fputs("': ", stderr);
	pc_cli_put_inert(stderr, why);
	fputc('\n', stderr);
	return EXIT_INPUT;
}

/* Render the region NAME = KIND [PROFILE/CONFIG] [ARG]. Returns an exit code (printed). */
static int fill(void *ctx, const char *name, size_t line, pc_buf *out)
{
	struct report *r = ctx;
	pc_cli_plot p = r->base;
	char buf[1024], *w[3], scope[512];
	int n = pc_report_words(name, buf, sizeof(buf), w, 3), a = 1;

	r->regions++;

	if (n < 1)
		return region_error(r, name, line, "expected KIND [PROFILE/CONFIG] [ARG]");
	if (n > 1 && strchr(w[1], '/') && strstr(w[1], "..") == NULL) {
		char *slash;
		snprintf(scope, sizeof(scope), "%s", w[1]);
		slash = strchr(scope, '/');
		*slash = '\0';
		p.sc.cand.profile = scope;
		p.sc.cand.config = slash + 1;
		a = 2;
	}
	if (a < n)
		p.arg = w[a++];
	if (a < n)
		return region_error(r, name, line, "expected KIND [PROFILE/CONFIG] [ARG], with one ARG");
	if (strcmp(w[0], "runs") == 0) {
		if (p.arg)
			return region_error(r, name, line, "runs takes no argument");
		p.limit = 20;
		return runs_md(r, &p, out);
	}
	if (strcmp(w[0], "compare") == 0)
		return compare_md(r, &p, out);
	if (pc_plot_kind_parse(w[0], &p.kind) || p.kind == PC_PLOT_COMPARE) {
		pc_error_clear();
		return region_error(r, name, line, "unknown kind: runs, compare, trend, cdf, timeline "
						   "or tests");
	}
	if (p.kind == PC_PLOT_TREND) {
		p.metric = p.arg;
		p.arg = NULL;
	}
	return chart_md(r, &p, name, out);
}

static int read_doc(const char *path, pc_buf *doc)
{
	FILE *f = fopen(path, "rb");
	char tmp[65536];
	size_t n;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "perfcmp: %s: cannot read: %s\n", path, strerror(errno));
		return EXIT_INPUT;
	}
	pc_buf_init(doc, DOC_MAX);
	while (!rc && (n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		rc = pc_buf_add(doc, tmp, n);
	if (!rc && ferror(f))
		rc = pc_error_set(PC_EINPUT, "read error");
	fclose(f);
	return rc ? pc_cli_fail(path, rc) : EXIT_OK;
}

static int update(struct report *r, const char *path)
{
	pc_buf doc = PC_BUF_INIT, out = PC_BUF_INIT, dir = PC_BUF_INIT, stem = PC_BUF_INIT;
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path, *dot;
	int rc, status;

	if ((status = read_doc(path, &doc)))
		goto done;
	/* charts beside the document: perf.md -> perf.<region>.svg, linked as such */
	dot = strrchr(base, '.');
	if ((slash && pc_buf_add(&dir, path, (size_t)(slash - path))) ||
	    pc_buf_add(&stem, base, dot && dot != base ? (size_t)(dot - base) : strlen(base)) ||
	    pc_buf_putc(&stem, '.')) {
		status = pc_cli_fail(path, PC_ENOMEM);
		goto done;
	}
	r->doc_path = path;
	r->chart_dir = slash ? (dir.len ? dir.ptr : "/") : "";
	r->chart_prefix = stem.ptr;
	r->link_dir = "";
	rc = pc_report_update(&out, doc.ptr ? doc.ptr : "", doc.len, fill, r);
	if (rc > 0) {
		status = rc;
		goto done;
	}
	if (rc) {
		status = pc_cli_fail(path, rc);
		goto done;
	}
	if (!r->regions)
		pc_cli_warn(path, "no <!-- perfcmp:begin NAME --> ... <!-- perfcmp:end NAME --> region "
				  "to update (see 'perfcmp help report')");
	/* no change, no write: the file keeps its bytes and its modification time */
	if (out.len == doc.len && (!out.len || memcmp(out.ptr, doc.ptr, out.len) == 0))
		goto done;
	status = pc_cli_write_file(path, out.ptr ? out.ptr : "", out.len);
done:
	pc_buf_release(&doc);
	pc_buf_release(&out);
	pc_buf_release(&dir);
	pc_buf_release(&stem);
	return status;
}

/* Can s stand as one word of a region name and come back unchanged? */
static int marker_word(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!*p || strstr(s, "..") || strstr(s, "--"))
		return 0;
	for (; *p; p++)
		if (*p <= ' ' || *p == '/' || *p == '<' || *p == '>' || *p == 0x7f)
			return 0;
	return 1;
}

/* The report on stdout is a document of regions, filled the same way. Its profile and config
 * are the range's candidate's, so `report 1..2` is about runs 1 and 2 whatever ran since. */
static int standalone(struct report *r, const char *range, const char *charts)
{
	const pc_run *cand;
	pc_cli_sides *sd = NULL;
	pc_buf doc = PC_BUF_INIT, out = PC_BUF_INIT, sc = PC_BUF_INIT;
	char timeline[32];
	int rc, status, pw;

	if ((status = pc_cli_sides_resolve(r->cli, "report", range, &r->base.sc, &sd)))
		return status;
	cand = sd->cand_runs[0];
	pw = cand->source == PC_SRC_PLAYWRIGHT;
	/* the timeline is of the candidate's newest run (a last:N window has several) */
	snprintf(timeline, sizeof(timeline), "%lld", (long long)sd->cand[0]);
	if (charts && mkdir(charts, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "perfcmp: %s: cannot create: %s\n", charts, strerror(errno));
		pc_cli_sides_free(sd);
		return EXIT_ENV;
	}
	r->chart_dir = charts ? charts : "";
	r->link_dir = charts ? charts : "";
	r->chart_prefix = "";
	if (marker_word(cand->profile) && marker_word(cand->config)) {
		rc = pc_buf_printf(&sc, " %s/%s", cand->profile, cand->config);
	} else {
		/* names the marker grammar cannot carry (spaces, '/', "..", "-->"): the scope goes
		 * straight to the regions instead of through their names */
		r->base.sc.cand.profile = cand->profile;
		r->base.sc.cand.config = cand->config;
		rc = pc_buf_puts(&sc, "");
	}
	/* the title carries the names as Markdown text; the markers as region words */
	rc = rc || pc_buf_puts(&doc, "# perfcmp report: ") || pc_esc_md(&doc, cand->profile) ||
	     pc_buf_putc(&doc, '/') || pc_esc_md(&doc, cand->config);
	rc = rc || pc_buf_printf(&doc, "\n\n## Runs\n\n<!-- perfcmp:begin runs%s -->\n"
				       "<!-- perfcmp:end runs%s -->\n\n## Comparison\n\n"
				       "<!-- perfcmp:begin compare%s %s -->\n<!-- perfcmp:end compare%s %s -->\n",
				 sc.ptr, sc.ptr, sc.ptr, range, sc.ptr, range);
	if (!rc && charts) {
		const char *kinds[3] = {"trend", "cdf", pw ? "tests" : "timeline"};
		rc = pc_buf_puts(&doc, "\n## Charts\n");
		for (int k = 0; k < 3 && !rc; k++) {
			const char *arg = k == 0 ? "" : k == 2 && !pw ? timeline : range;
			rc = pc_buf_printf(&doc, "\n<!-- perfcmp:begin %s%s %s -->\n<!-- perfcmp:end %s%s %s -->\n",
					   kinds[k], sc.ptr, arg, kinds[k], sc.ptr, arg);
		}
	}
	if (rc) {
		status = pc_cli_fail("report", PC_ENOMEM);
		goto done;
	}
	rc = pc_report_update(&out, doc.ptr, doc.len, fill, r);
	if (rc > 0)
		status = rc;
	else if (rc)
		status = pc_cli_fail("report", rc);
	else
		fwrite(out.ptr, 1, out.len, stdout);
done:
	pc_cli_sides_free(sd);
	pc_buf_release(&doc);
	pc_buf_release(&out);
	pc_buf_release(&sc);
	return status;
}

int cmd_report(pc_cli *cli, int argc, char **argv)
{
	enum { O_UPDATE = PC_O_OWN, O_CHARTS, O_FAILON };
	static const struct option longopts[] = {
		PC_CLI_OPTS_SERIES,
		PC_CLI_OPTS_CHART,
		{"update", required_argument, NULL, O_UPDATE},
		{"charts", required_argument, NULL, O_CHARTS},
		{"fail-on", required_argument, NULL, O_FAILON},
		{NULL, 0, NULL, 0},
	};
	struct report r;
	const char *upd = NULL, *charts = NULL, *range = "latest~1..latest";
	int c, status = EXIT_OK;

	memset(&r, 0, sizeof(r));
	r.cli = cli;
	r.failon = 1;
	pc_cli_plot_defaults(&r.base);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_UPDATE: upd = optarg; break;
		case O_CHARTS: charts = optarg; break;
		case O_FAILON: status = pc_cli_parse_failon("report", optarg, &r.failon); break;
		default: status = pc_cli_plot_option("report", c, argv, &r.base); break;
		}
		if (status)
			return status;
	}
	if (optind < argc && upd)
		return pc_cli_usage("report", "--update takes what to render from the document's markers, "
					      "not from a range");
	if (optind < argc)
		range = argv[optind++];
	if (optind < argc)
		return pc_cli_usage("report", "unexpected argument '%s'", argv[optind]);
	if (!upd && (status = pc_cli_range_check("report", range)))
		return status;
	if ((status = pc_cli_store(cli)))
		return status;
	status = upd ? update(&r, upd) : standalone(&r, range, charts);
	if (status == EXIT_OK && r.regression)
		status = EXIT_REGRESSION;
	return status;
}
