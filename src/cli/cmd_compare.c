/* perfcmp compare (and the BASE..CAND shorthand) and perfcmp profiles. */
#include <getopt.h>
#include <limits.h>
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

#define WINDOW_MAX 64

/* The shipped profiles: next to the binary in the build tree (build/X/perfcmp ->
 * profiles/) or installed (bin/perfcmp -> share/perfcmp/profiles/). */
static int shipped_dir(char *out, size_t cap)
{
	static const char *const rel[] = {"/../../profiles", "/../share/perfcmp/profiles"};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;
	char *slash;
	size_t i;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(*rel); i++) {
		if (snprintf(out, cap, "%s%s", exe, rel[i]) >= (int)cap)
			return -1;
		if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
	}
	return -1;
}

/* Find NAME.json in --profiles DIR, then in the shipped profiles. 0 and *out, or PC_ENOTFOUND. */
static int profile_find(pc_profile **out, const char *dir, const char *name)
{
	char shipped[PATH_MAX], path[PATH_MAX + 64];
	const char *dirs[2];
	size_t i, n = 0;
	struct stat st;

	*out = NULL;
	if (strchr(name, '/') || !*name || name[0] == '.')
		return PC_ENOTFOUND;
	if (dir)
		dirs[n++] = dir;
	if (shipped_dir(shipped, sizeof(shipped)) == 0)
		dirs[n++] = shipped;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s.json", dirs[i], name);
		if (stat(path, &st) == 0)
			return pc_profile_load(out, path);
	}
	return PC_ENOTFOUND;
}

static int profile_for(pc_profile **out, const char *file, const char *dir, const pc_run *cand)
{
	int rc, pw = cand->source == PC_SRC_PLAYWRIGHT;
	pc_profile *p = NULL;

	if (file)
		return pc_profile_load(out, file);
	rc = profile_find(&p, dir, cand->profile);
	if (rc == PC_ENOTFOUND)
		rc = profile_find(&p, dir, "default");
	if (rc == PC_ENOTFOUND) {
		pc_error_set(PC_EENV, "no comparison profiles found (not even default.json)");
		pc_error_hint("name a directory with --profiles DIR or a file with --profile-file");
		return PC_EENV;
	}
	if (rc)
		return rc;
	/* a profile without rules for this tool: the tool's own default supplies them */
	if ((pw && !p->nplaywright) || (!pw && !p->nk6)) {
		pc_profile_free(p);
		p = NULL;
		rc = profile_find(&p, dir, pw ? "playwright" : "default");
		if (rc == PC_ENOTFOUND) {
			pc_error_set(PC_EENV, "no %s profile found", pw ? "playwright" : "default");
			return PC_EENV;
		}
		if (rc)
			return rc;
	}
	*out = p;
	return 0;
}

/* "last:N": 0 and *n, 1 when `sel` is not a window, -1 when malformed. */
static int window_size(const char *sel, size_t *n)
{
	char *end;
	long v;

	if (strncmp(sel, "last:", 5) != 0)
		return 1;
	v = strtol(sel + 5, &end, 10);
	if (*end || end == sel + 5 || v < 1 || v > WINDOW_MAX)
		return -1;
	*n = (size_t)v;
	return 0;
}

struct sides {
	int64_t base[WINDOW_MAX], cand[WINDOW_MAX];
	size_t nbase, ncand;
	pc_run *base_runs[WINDOW_MAX], *cand_runs[WINDOW_MAX];
};

static int load_runs(pc_cli *cli, const int64_t *ids, size_t n, pc_run **runs)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "run %lld", (long long)ids[i]);
		if ((rc = pc_store_load(cli->store, ids[i], &runs[i])))
			return pc_cli_fail(id, rc);
	}
	return EXIT_OK;
}

static int resolve_side(pc_cli *cli, const char *sel, const pc_run_filter *scope, int64_t before,
			int64_t *ids, size_t *n, const char *side)
{
	int64_t *w = NULL;
	size_t want, got;
	int rc, kind = window_size(sel, &want);

	if (kind < 0)
		return pc_cli_usage("compare", "bad %s \"%s\": last:N takes N from 1 to %d", side, sel,
				    WINDOW_MAX);
	if (kind == 1) {
		*n = 1;
		return pc_cli_resolve(cli, sel, scope, &ids[0]);
	}
	if ((rc = pc_store_window(cli->store, scope, before, want, &w, &got)))
		return pc_cli_fail(sel, rc);
	if (got == 0) {
		free(w);
		fprintf(stderr, "perfcmp: %s: matches no run%s%s%s\n", sel, scope->profile ? " in " : "",
			scope->profile ? scope->profile : "", before ? " before the candidate" : "");
		return EXIT_USAGE;
	}
	if (got < want)
		pc_cli_warn(sel, "only %zu run%s before the candidate; using them", got, got == 1 ? "" : "s");
	memcpy(ids, w, got * sizeof(*ids));
	*n = got;
	free(w);
	return EXIT_OK;
}

int cmd_compare(pc_cli *cli, int argc, char **argv)
{
	enum { O_PROFILE = 256, O_CONFIG, O_BPROFILE, O_BCONFIG, O_PFILE, O_PDIR, O_FORMAT, O_FAILON,
	       O_ONLY, O_METRIC, O_BY, O_FORCE };
	static const struct option longopts[] = {
		{"profile", required_argument, NULL, O_PROFILE},
		{"config", required_argument, NULL, O_CONFIG},
		{"base-profile", required_argument, NULL, O_BPROFILE},
		{"base-config", required_argument, NULL, O_BCONFIG},
		{"profile-file", required_argument, NULL, O_PFILE},
		{"profiles", required_argument, NULL, O_PDIR},
		{"format", required_argument, NULL, O_FORMAT},
		{"fail-on", required_argument, NULL, O_FAILON},
		{"only-changed", no_argument, NULL, O_ONLY},
		{"metric", required_argument, NULL, O_METRIC},
		{"by", required_argument, NULL, O_BY},
		{"force", no_argument, NULL, O_FORCE},
		{NULL, 0, NULL, 0},
	};
	pc_run_filter cscope = {0}, bscope = {0};
	pc_compare_opts opts = {0};
	pc_format fmt = PC_FMT_TABLE;
	const char *pfile = NULL, *pdir = NULL, *bprofile = NULL, *bconfig = NULL, *failon = "regression";
	char range[1024], scope_text[256];
	struct sides *sd = calloc(1, sizeof(*sd));
	pc_profile *prof = NULL;
	pc_comparison *cmp = NULL;
	pc_compare_sides ren = {0};
	pc_buf out = PC_BUF_INIT;
	char *dots, *base_sel, *cand_sel;
	size_t i;
	int c, rc, status = EXIT_OK;

	if (!sd)
		return pc_cli_fail("compare", pc_error_set(PC_ENOMEM, "out of memory"));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case O_PROFILE: cscope.profile = optarg; break;
		case O_CONFIG: cscope.config = optarg; break;
		case O_BPROFILE: bprofile = optarg; break;
		case O_BCONFIG: bconfig = optarg; break;
		case O_PFILE: pfile = optarg; break;
		case O_PDIR: pdir = optarg; break;
		case O_FORMAT:
			if (pc_format_parse(optarg, &fmt)) {
				status = pc_cli_usage("compare", "unknown --format '%s'", optarg);
				goto done;
			}
			break;
		case O_FAILON:
			if (strcmp(optarg, "regression") && strcmp(optarg, "inconclusive") && strcmp(optarg, "never")) {
				status = pc_cli_usage("compare", "--fail-on is regression, inconclusive or never");
				goto done;
			}
			failon = optarg;
			break;
		case O_ONLY: opts.only_changed = 1; break;
		case O_METRIC: opts.metric_glob = optarg; break;
		case O_BY: opts.by = optarg; break;
		case O_FORCE: opts.force = 1; break;
		default:
			status = pc_cli_usage("compare", "unknown option or missing value '%s'", argv[optind - 1]);
			goto done;
		}
	}
	snprintf(range, sizeof(range), "%s", optind < argc ? argv[optind++] : "latest~1..latest");
	if (optind < argc) {
		status = pc_cli_usage("compare", "one range at a time; unexpected '%s'", argv[optind]);
		goto done;
	}
	if (!(dots = strstr(range, "..")) || dots == range || !dots[2]) {
		status = pc_cli_usage("compare", "a range is BASE..CAND, e.g. latest~1..latest or last:5..latest");
		goto done;
	}
	*dots = '\0';
	base_sel = range;
	cand_sel = dots + 2;
	if ((status = pc_cli_store(cli)))
		goto done;
	/* the candidate first, then the baseline in the candidate's scope */
	if ((status = resolve_side(cli, cand_sel, &cscope, 0, sd->cand, &sd->ncand, "candidate")) ||
	    (status = load_runs(cli, sd->cand, sd->ncand, sd->cand_runs)))
		goto done;
	bscope.profile = bprofile ? bprofile : sd->cand_runs[0]->profile;
	bscope.config = bconfig ? bconfig : sd->cand_runs[0]->config;
	bscope.tool = pc_source_tool(sd->cand_runs[0]->source);
	if ((status = resolve_side(cli, base_sel, &bscope, sd->cand[sd->ncand - 1], sd->base,
				   &sd->nbase, "baseline")) ||
	    (status = load_runs(cli, sd->base, sd->nbase, sd->base_runs)))
		goto done;
	for (i = 0; i < sd->nbase; i++) {
		for (size_t j = 0; j < sd->ncand; j++) {
			if (sd->base[i] == sd->cand[j]) {
				fprintf(stderr, "perfcmp: compare: run %lld is on both sides of %s..%s\n"
						"hint: only one run matches; ingest another, or name the baseline\n",
					(long long)sd->base[i], base_sel, cand_sel);
				status = EXIT_USAGE;
				goto done;
			}
		}
	}
	if ((rc = profile_for(&prof, pfile, pdir, sd->cand_runs[0]))) {
		status = pc_cli_fail("compare", rc);
		goto done;
	}
	if ((rc = pc_compare(&cmp, sd->base_runs, sd->nbase, sd->cand_runs, sd->ncand, prof, &opts))) {
		status = pc_cli_fail("compare", rc);
		goto done;
	}
	for (i = 0; i < cmp->nwarnings; i++)
		pc_cli_warn("compare", "%s", cmp->warnings[i]);
	snprintf(scope_text, sizeof(scope_text), "%s/%s", sd->cand_runs[0]->profile, sd->cand_runs[0]->config);
	ren.base_ids = sd->base;
	ren.nbase = sd->nbase;
	ren.cand_ids = sd->cand;
	ren.ncand = sd->ncand;
	ren.profile = prof->name;
	ren.scope = scope_text;
	if ((rc = pc_render_compare(&out, cmp, &ren, fmt, cli->color))) {
		status = pc_cli_fail("compare", rc);
		goto done;
	}
	fwrite(out.ptr, 1, out.len, stdout);
	if (strcmp(failon, "never") != 0 &&
	    (cmp->verdict == PC_V_REGRESSION ||
	     (strcmp(failon, "inconclusive") == 0 && cmp->verdict == PC_V_INCONCLUSIVE)))
		status = EXIT_REGRESSION;
done:
	for (i = 0; i < sd->nbase; i++)
		pc_run_free(sd->base_runs[i]);
	for (i = 0; i < sd->ncand; i++)
		pc_run_free(sd->cand_runs[i]);
	free(sd);
	pc_profile_free(prof);
	pc_comparison_free(cmp);
	pc_buf_release(&out);
	return status;
}

static int show_profile(const pc_profile *p)
{
	const pc_rule *sets[2] = {p->k6, p->playwright};
	size_t n[2] = {p->nk6, p->nplaywright}, t, i, j;

	printf("%s  (%s)\n%s\n", p->name, p->path, p->description);
	for (t = 0; t < 2; t++) {
		if (!n[t])
			continue;
		printf("\n%s rules:\n", t ? "playwright" : "k6");
		for (i = 0; i < n[t]; i++) {
			const pc_rule *r = &sets[t][i];
			printf("  %-20s stats", r->metric);
			for (j = 0; j < r->nstats; j++)
				printf("%s%s", j ? "," : " ", r->stats[j]);
			printf("  by");
			for (j = 0; j < r->nby; j++)
				printf("%s%s", j ? "," : " ", *r->by[j] ? r->by[j] : "(whole)");
			printf("  worse %s  budget %g%% and %g\n", r->higher_is_worse ? "higher" : "lower",
			       r->relative * 100, r->absolute);
		}
	}
	return EXIT_OK;
}

int cmd_profiles(pc_cli *cli, int argc, char **argv)
{
	static const char *const names[] = {"default", "smoke", "load", "stress", "soak", "spike",
					    "breakpoint", "playwright"};
	const char *dir = NULL;
	pc_profile *p = NULL;
	size_t i;
	int rc, a = 1;

	(void)cli;
	if (a + 1 < argc && strcmp(argv[a], "--profiles") == 0) {
		dir = argv[a + 1];
		a += 2;
	}
	if (a < argc) {
		rc = profile_find(&p, dir, argv[a]);
		if (rc == PC_ENOTFOUND) {
			fprintf(stderr, "perfcmp: profiles: no profile named '%s'\nhint: 'perfcmp profiles' lists them\n", argv[a]);
			return EXIT_USAGE;
		}
		if (rc)
			return pc_cli_fail(argv[a], rc);
		show_profile(p);
		pc_profile_free(p);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		rc = profile_find(&p, dir, names[i]);
		if (rc)
			return pc_cli_fail(names[i], rc == PC_ENOTFOUND ? pc_error_set(PC_EENV, "shipped profile missing") : rc);
		printf("%-11s %s\n", p->name, p->description);
		pc_profile_free(p);
		p = NULL;
	}
	return EXIT_OK;
}
