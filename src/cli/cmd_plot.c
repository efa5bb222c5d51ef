/* perfcmp plot: resolves the runs a chart needs, has src/render/plot*.c write the gnuplot
 * script, runs gnuplot and writes the image (atomically to a file, or to stdout). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"

#define TREND_MAX 1000

/* "http_req_duration{name:items-list,status:200}" -> metric and canonical tags. PC_EUSAGE when
 * malformed. *metric and *tags are the caller's. */
static int parse_series(const char *spec, char **metric, char **tags)
{
	const char *brace = strchr(spec, '{');
	const char *keys[16], *vals[16];
	char *inner = NULL, *save = NULL, *tok;
	size_t n = 0, len = strlen(spec);
	int rc = 0;

	*metric = *tags = NULL;
	if (!brace) {
		*metric = pc_strdup(spec);
		*tags = pc_strdup("{}");
		return *metric && *tags ? 0 : PC_ENOMEM;
	}
	if (brace == spec || spec[len - 1] != '}')
		return pc_error_set(PC_EUSAGE, "a series is METRIC or METRIC{tag:value,...}, not '%s'", spec);
	*metric = pc_strndup(spec, (size_t)(brace - spec));
	inner = pc_strndup(brace + 1, (size_t)(spec + len - 1 - (brace + 1)));
	if (!*metric || !inner) {
		rc = PC_ENOMEM;
		goto done;
	}
	for (tok = strtok_r(inner, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		if (!colon || colon == tok || n == 16) {
			rc = pc_error_set(PC_EUSAGE, "a series is METRIC or METRIC{tag:value,...}, not '%s'", spec);
			goto done;
		}
		*colon = '\0';
		keys[n] = tok;
		vals[n++] = colon + 1;
	}
	if (!(*tags = pc_tags_canon(keys, vals, n)))
		rc = PC_ENOMEM;
done:
	free(inner);
	if (rc) {
		free(*metric);
		free(*tags);
		*metric = *tags = NULL;
	}
	return rc;
}

/* The tag keys of a canonical tag set joined by '+', compare's --by notation. */
static int keys_of(void *ctx, const char *k, const char *v)
{
	pc_buf *b = ctx;

	(void)v;
	return (b->len && pc_buf_putc(b, '+')) || pc_buf_puts(b, k);
}

static const char *default_metric(pc_plot_kind kind, const pc_run *r)
{
	int pw = r->source == PC_SRC_PLAYWRIGHT;

	if (kind == PC_PLOT_COMPARE)
		return pw ? "perf:*" : "http_req_duration";
	return pw ? "duration" : "http_req_duration";
}

/* trend: the runs of one profile and config (the latest run's unless given), oldest first,
 * each compared with the run before for the regression marks. Two runs are held at a time. */
static int trend_script(pc_cli *cli, const pc_cli_plot *p, pc_buf *script)
{
	pc_run_filter scope = p->sc.cand;
	pc_run **list = NULL, *prev = NULL, *cur = NULL, *latest = NULL;
	pc_trend_point *pts = NULL;
	pc_profile *prof = NULL;
	pc_buf by = PC_BUF_INIT;
	char *metric = NULL, *tags = NULL, unit[16] = "", scope_text[256];
	size_t n = 0, i, k;
	int64_t id;
	int rc, status = EXIT_OK;

	if ((status = pc_cli_store(cli)))
		return status;
	if ((rc = pc_store_select(cli->store, "latest", &scope, &id)) ||
	    (rc = pc_store_load(cli->store, id, &latest))) {
		status = pc_cli_fail("plot trend", rc);
		goto done;
	}
	scope.profile = latest->profile;
	scope.config = latest->config;
	scope.tool = pc_source_tool(latest->source);
	scope.limit = p->limit;
	if ((rc = parse_series(p->metric ? p->metric : default_metric(PC_PLOT_TREND, latest), &metric, &tags))) {
		status = pc_cli_fail("plot trend", rc);
		goto done;
	}
	if ((rc = pc_tags_each(tags, keys_of, &by)) || (rc = pc_store_list(cli->store, &scope, &list, &n))) {
		status = pc_cli_fail("plot trend", rc);
		goto done;
	}
	snprintf(scope_text, sizeof(scope_text), "%s/%s", latest->profile, latest->config);
	if (!(pts = calloc(n ? n : 1, sizeof(*pts)))) {
		status = pc_cli_fail("plot trend", pc_error_set(PC_ENOMEM, "out of memory"));
		goto done;
	}
	for (i = 0; i < n; i++) {
		const pc_run *key = list[n - 1 - i]; /* the list is newest first */
		pc_compare_opts co = {0};
		pc_comparison *cmp = NULL;
		char what[32];
		snprintf(what, sizeof(what), "run %lld", (long long)key->id);
		if ((rc = pc_store_load(cli->store, key->id, &cur)) ||
		    (rc = pc_plot_trend_point(&pts[i], cur, metric, tags, unit))) {
			status = pc_cli_fail(what, rc);
			goto done;
		}
		if (prev && pts[i].present) {
			/* every run here shares the scope's profile and tool: one profile serves all */
			if (!prof && (rc = pc_cli_profile_for(&prof, p->pfile, p->pdir, cur))) {
				status = pc_cli_fail("plot trend", rc);
				goto done;
			}
			/* the marks are compare's verdicts: the profile's whole comparison (its Holm
			 * family), and only when the profile does not cover this breakdown, a
			 * comparison by the series' own tag keys */
			co.metric_glob = metric;
			co.force = 1;
			for (int pass = 0; pass < 2; pass++) {
				int seen = 0;
				co.by = pass ? (by.ptr ? by.ptr : "") : NULL;
				/* a pair that cannot be compared just gets no mark */
				if (pc_compare(&cmp, &prev, 1, &cur, 1, prof, &co) == 0) {
					for (k = 0; k < cmp->nrows; k++) {
						const pc_row *r = &cmp->rows[k];
						if (strcmp(r->metric, metric) != 0 || strcmp(r->tags, tags) != 0)
							continue;
						seen = 1;
						if (r->verdict != PC_V_REGRESSION)
							continue;
						/* mark the statistic that regressed, not the series as a whole */
						if (!strcmp(r->stat, "p50"))
							pts[i].regression |= PC_TREND_P50;
						else if (!strcmp(r->stat, "p95"))
							pts[i].regression |= PC_TREND_P95;
						else if (!strcmp(r->stat, "p99"))
							pts[i].regression |= PC_TREND_P99;
					}
				}
				pc_comparison_free(cmp);
				cmp = NULL;
				if (seen)
					break;
			}
			pc_error_clear();
			pc_comparison_free(cmp);
		}
		pc_run_free(prev);
		prev = cur;
		cur = NULL;
	}
	if ((rc = pc_plot_trend(script, pts, n, metric, tags, unit, scope_text, &p->po)))
		status = pc_cli_fail("plot trend", rc);
done:
	pc_run_free(prev);
	pc_run_free(cur);
	pc_run_free(latest);
	pc_store_runs_free(list, n);
	pc_profile_free(prof);
	pc_buf_release(&by);
	free(pts);
	free(metric);
	free(tags);
	return status;
}

/* compare, cdf and tests: the two sides of a range. */
static int range_script(pc_cli *cli, const pc_cli_plot *p, pc_buf *script)
{
	const char *cmd = p->kind == PC_PLOT_CDF ? "plot cdf" : p->kind == PC_PLOT_TESTS ? "plot tests" : "plot compare";
	pc_cli_sides *sd = NULL;
	pc_profile *prof = NULL;
	pc_comparison *cmp = NULL;
	pc_compare_sides ren;
	pc_compare_opts co = {0};
	char *metric = NULL, *tags = NULL;
	size_t i;
	int rc = 0, status;

	if ((status = pc_cli_sides_resolve(cli, cmd, p->arg ? p->arg : "latest~1..latest", &p->sc, &sd)))
		return status;
	if (p->kind == PC_PLOT_TESTS && sd->cand_runs[0]->source != PC_SRC_PLAYWRIGHT) {
		status = pc_cli_usage(cmd, "the tests chart is for Playwright runs; run %lld is %s",
				      (long long)sd->cand[0], pc_source_name(sd->cand_runs[0]->source));
		goto done;
	}
	if (p->kind == PC_PLOT_CDF) {
		if ((rc = parse_series(p->metric ? p->metric : default_metric(p->kind, sd->cand_runs[0]),
				       &metric, &tags)))
			goto fail;
		pc_cli_sides_render(&ren, sd, NULL);
		rc = pc_plot_cdf(script, sd->base_runs, sd->nbase, sd->cand_runs, sd->ncand, metric, tags,
				 &ren, &p->po);
		goto fail;
	}
	if ((rc = pc_cli_profile_for(&prof, p->pfile, p->pdir, sd->cand_runs[0])))
		goto fail;
	co.force = p->force;
	if (p->kind == PC_PLOT_TESTS) {
		co.metric_glob = p->metric ? p->metric : "duration";
		co.by = p->by ? p->by : "file+project+title";
	} else {
		co.metric_glob = p->metric ? p->metric : default_metric(p->kind, sd->cand_runs[0]);
		co.by = p->by ? p->by : sd->cand_runs[0]->source == PC_SRC_PLAYWRIGHT ? NULL : "name";
	}
	if ((rc = pc_compare(&cmp, sd->base_runs, sd->nbase, sd->cand_runs, sd->ncand, prof, &co)))
		goto fail;
	for (i = 0; i < cmp->nwarnings; i++)
		pc_cli_warn(cmd, "%s", cmp->warnings[i]);
	pc_cli_sides_render(&ren, sd, prof);
	rc = pc_plot_compare(script, cmp, &ren, p->stat, p->kind == PC_PLOT_TESTS, &p->po);
fail:
	if (rc)
		status = pc_cli_fail(cmd, rc);
done:
	pc_comparison_free(cmp);
	pc_profile_free(prof);
	pc_cli_sides_free(sd);
	free(metric);
	free(tags);
	return status;
}

static int timeline_script(pc_cli *cli, const pc_cli_plot *p, pc_buf *script)
{
	const char *sel = p->arg ? p->arg : "latest";
	pc_run *run = NULL;
	int64_t id;
	int rc, status;

	if ((status = pc_cli_store(cli)) || (status = pc_cli_resolve(cli, sel, &p->sc.cand, &id)))
		return status;
	if ((rc = pc_store_load(cli->store, id, &run)) || (rc = pc_plot_timeline(script, run, &p->po)))
		status = pc_cli_fail(sel, rc);
	pc_run_free(run);
	return status;
}

int pc_cli_plot_script(pc_cli *cli, const pc_cli_plot *p, pc_buf *script)
{
	switch (p->kind) {
	case PC_PLOT_TREND:
		return trend_script(cli, p, script);
	case PC_PLOT_TIMELINE:
		return timeline_script(cli, p, script);
	default:
		return range_script(cli, p, script);
	}
}

int pc_cli_plot_image(const pc_cli_plot *p, const pc_buf *script, pc_buf *image)
{
	int rc = pc_plot_render(image, script->ptr, script->len, p->timeout_ms);

	return rc ? pc_cli_fail("plot", rc) : EXIT_OK;
}

/* mkstemp makes 0600 files: give the result the mode the file had, or what the umask lets a
 * new file have, as any other program writing it would. */
static mode_t file_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

int pc_cli_write_file(const char *path, const void *data, size_t n)
{
	pc_buf tmp = PC_BUF_INIT;
	FILE *f = NULL;
	int fd = -1, status = EXIT_OK;

	/* a temporary file beside the target, renamed over it: readers never see half a file */
	if (pc_buf_printf(&tmp, "%s.tmp.XXXXXX", path)) {
		status = pc_cli_fail(path, PC_ENOMEM);
		goto done;
	}
	if ((fd = mkstemp(tmp.ptr)) < 0 || fchmod(fd, file_mode(path)) != 0 || !(f = fdopen(fd, "wb"))) {
		fprintf(stderr, "perfcmp: %s: cannot write: %s\n", path, strerror(errno));
		status = EXIT_ENV;
		if (fd >= 0) {
			close(fd);
			unlink(tmp.ptr);
		}
		goto done;
	}
	if ((n && fwrite(data, 1, n, f) != n) || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fprintf(stderr, "perfcmp: %s: cannot write: %s\n", path, strerror(errno));
		status = EXIT_ENV;
	}
	if (fclose(f) != 0 && !status) {
		fprintf(stderr, "perfcmp: %s: cannot write: %s\n", path, strerror(errno));
		status = EXIT_ENV;
	}
	if (!status && rename(tmp.ptr, path) != 0) {
		fprintf(stderr, "perfcmp: %s: cannot write: %s\n", path, strerror(errno));
		status = EXIT_ENV;
	}
	if (status)
		unlink(tmp.ptr);
done:
	pc_buf_release(&tmp);
	return status;
}

/* FILE.svg, FILE.png or - (SVG on stdout). 0, or -1 for any other name. */
static int output_format(const char *path, pc_plot_format *fmt)
{
	size_t n = path ? strlen(path) : 0;

	if (!path || strcmp(path, "-") == 0)
		*fmt = PC_PLOT_SVG;
	else if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
		*fmt = PC_PLOT_SVG;
	else if (n > 4 && strcmp(path + n - 4, ".png") == 0)
		*fmt = PC_PLOT_PNG;
	else
		return -1;
	return 0;
}

int pc_cli_plot_option(const char *cmd, int c, char **argv, pc_cli_plot *p)
{
	long long v;
	int rc;

	switch (c) {
	case PC_O_PROFILE: p->sc.cand.profile = optarg; break;
	case PC_O_CONFIG: p->sc.cand.config = optarg; break;
	case PC_O_BPROFILE: p->sc.base_profile = optarg; break;
	case PC_O_BCONFIG: p->sc.base_config = optarg; break;
	case PC_O_PFILE: p->pfile = optarg; break;
	case PC_O_PDIR: p->pdir = optarg; break;
	case PC_O_METRIC: p->metric = optarg; break;
	case PC_O_BY: p->by = optarg; break;
	case PC_O_FORCE: p->force = 1; break;
	case PC_O_WIDTH:
	case PC_O_HEIGHT:
		if ((rc = pc_cli_parse_count(cmd, c == PC_O_WIDTH ? "--width" : "--height", optarg, 200,
					     10000, &v)))
			return rc;
		*(c == PC_O_WIDTH ? &p->po.width : &p->po.height) = (int)v;
		break;
	case PC_O_TIMEOUT:
		if ((rc = pc_cli_parse_count(cmd, "--timeout", optarg, 1, 3600, &v)))
			return rc;
		p->timeout_ms = (int)v * 1000;
		break;
	default:
		return pc_cli_usage(cmd, "unknown option or missing value '%s'", argv[optind - 1]);
	}
	return EXIT_OK;
}

int pc_cli_plot_options(const char *cmd, int argc, char **argv, pc_cli_plot *p, const char **output)
{
	enum { O_STAT = PC_O_OWN, O_TITLE, O_LIMIT, O_OUTPUT };
	static const struct option longopts[] = {
		PC_CLI_OPTS_SERIES,
		PC_CLI_OPTS_BASE,
		PC_CLI_OPTS_CHART,
		{"stat", required_argument, NULL, O_STAT},
		{"title", required_argument, NULL, O_TITLE},
		{"limit", required_argument, NULL, O_LIMIT},
		{"output", required_argument, NULL, O_OUTPUT},
		{NULL, 0, NULL, 0},
	};
	long long v;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case O_STAT: p->stat = optarg; break;
		case O_TITLE: p->po.title = optarg; break;
		case O_LIMIT:
			if ((rc = pc_cli_parse_count(cmd, "--limit", optarg, 1, TREND_MAX, &v)))
				return rc;
			p->limit = (size_t)v;
			break;
		case 'o':
		case O_OUTPUT:
			*output = optarg;
			break;
		default:
			if ((rc = pc_cli_plot_option(cmd, c, argv, p)))
				return rc;
		}
	}
	return EXIT_OK;
}

void pc_cli_plot_defaults(pc_cli_plot *p)
{
	memset(p, 0, sizeof(*p));
	p->limit = 50;
	p->timeout_ms = 60 * 1000;
}

int cmd_plot(pc_cli *cli, int argc, char **argv)
{
	pc_cli_plot p;
	const char *output = NULL;
	pc_buf script = PC_BUF_INIT, image = PC_BUF_INIT;
	int status;

	pc_cli_plot_defaults(&p);
	if ((status = pc_cli_plot_options("plot", argc, argv, &p, &output)))
		return status;
	if (optind >= argc)
		return pc_cli_usage("plot", "which chart? trend, compare, cdf, timeline or tests");
	if (pc_plot_kind_parse(argv[optind], &p.kind)) {
		pc_error_clear();
		return pc_cli_usage("plot", "unknown chart '%s': trend, compare, cdf, timeline or tests",
				    argv[optind]);
	}
	optind++;
	if (optind < argc) {
		if (p.kind == PC_PLOT_TREND)
			p.metric = argv[optind++]; /* plot trend SERIES */
		else
			p.arg = argv[optind++];
	}
	if (optind < argc)
		return pc_cli_usage("plot", "unexpected argument '%s'", argv[optind]);
	if (output_format(output, &p.po.format))
		return pc_cli_usage("plot", "-o takes FILE.svg, FILE.png or - (SVG on stdout), not '%s'", output);
	if (p.arg && (p.kind == PC_PLOT_COMPARE || p.kind == PC_PLOT_CDF || p.kind == PC_PLOT_TESTS) &&
	    (status = pc_cli_range_check("plot", p.arg)))
		return status;
	if ((status = pc_cli_plot_script(cli, &p, &script)) ||
	    (status = pc_cli_plot_image(&p, &script, &image)))
		goto done;
	if (!output || strcmp(output, "-") == 0)
		fwrite(image.ptr, 1, image.len, stdout);
	else
		status = pc_cli_write_file(output, image.ptr, image.len);
done:
	pc_buf_release(&script);
	pc_buf_release(&image);
	return status;
}
