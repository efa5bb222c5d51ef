/* What compare, plot and report share: the BASE..CAND range, its two sides resolved and loaded
 * (the candidate first, the baseline in its scope), and the comparison profile for them. */
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

int pc_cli_profile_find(pc_profile **out, const char *dir, const char *name)
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

int pc_cli_profile_for(pc_profile **out, const char *file, const char *dir, const pc_run *cand)
{
	int rc, pw = cand->source == PC_SRC_PLAYWRIGHT;
	pc_profile *p = NULL;

	if (file)
		return pc_profile_load(out, file);
	rc = pc_cli_profile_find(&p, dir, cand->profile);
	if (rc == PC_ENOTFOUND)
		rc = pc_cli_profile_find(&p, dir, "default");
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
		rc = pc_cli_profile_find(&p, dir, pw ? "playwright" : "default");
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
	if (*end || end == sel + 5 || v < 1 || v > PC_CLI_WINDOW_MAX)
		return -1;
	*n = (size_t)v;
	return 0;
}

int pc_cli_load_runs(pc_cli *cli, const int64_t *ids, size_t n, pc_run **runs)
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

static int resolve_side(pc_cli *cli, const char *cmd, const char *sel, const pc_run_filter *scope,
			int64_t before, int64_t *ids, size_t *n, const char *side)
{
	int64_t *w = NULL;
	size_t want, got;
	int rc, kind = window_size(sel, &want);

	if (kind < 0)
		return pc_cli_usage(cmd, "bad %s \"%s\": last:N takes N from 1 to %d", side, sel,
				    PC_CLI_WINDOW_MAX);
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
		pc_cli_warn(sel, "only %zu run%s before the candidate; using %s", got, got == 1 ? "" : "s",
			    got == 1 ? "it" : "them");
	memcpy(ids, w, got * sizeof(*ids));
	*n = got;
	free(w);
	return EXIT_OK;
}

/* Where BASE..CAND splits: the first ".." that is not a path component of a file selector
 * ("../run.json.gz..latest" splits after "gz"); NULL when there is none. */
static const char *range_dots(const char *range)
{
	const char *p;

	for (p = strstr(range, ".."); p; p = strstr(p + 2, "..")) {
		if ((p == range || p[-1] == '/') && p[2] == '/')
			continue; /* a path's own "..": ../results.json.gz..latest */
		return p;
	}
	return NULL;
}

int pc_cli_range_check(const char *cmd, const char *range)
{
	const char *dots = range_dots(range);

	if (!dots || dots == range || !dots[2])
		return pc_cli_usage(cmd, "a range is BASE..CAND, e.g. latest~1..latest or last:5..latest");
	return EXIT_OK;
}

int pc_cli_sides_resolve(pc_cli *cli, const char *cmd, const char *range, const pc_cli_scope *sc,
			 pc_cli_sides **out)
{
	pc_run_filter bscope = {0};
	pc_cli_sides *sd = NULL;
	char buf[1024], *dots, *base_sel, *cand_sel;
	size_t i, j;
	int status;

	*out = NULL;
	if ((status = pc_cli_range_check(cmd, range)))
		return status;
	if (snprintf(buf, sizeof(buf), "%s", range) >= (int)sizeof(buf))
		return pc_cli_usage(cmd, "the range is too long");
	if (!(sd = calloc(1, sizeof(*sd))))
		return pc_cli_fail(cmd, pc_error_set(PC_ENOMEM, "out of memory"));
	dots = buf + (range_dots(range) - range);
	*dots = '\0';
	base_sel = buf;
	cand_sel = dots + 2;
	if ((status = pc_cli_store(cli)))
		goto done;
	/* the candidate first, then the baseline in the candidate's scope */
	if ((status = resolve_side(cli, cmd, cand_sel, &sc->cand, 0, sd->cand, &sd->ncand, "candidate")) ||
	    (status = pc_cli_load_runs(cli, sd->cand, sd->ncand, sd->cand_runs)))
		goto done;
	bscope.profile = sc->base_profile ? sc->base_profile : sd->cand_runs[0]->profile;
	bscope.config = sc->base_config ? sc->base_config : sd->cand_runs[0]->config;
	bscope.tool = pc_source_tool(sd->cand_runs[0]->source);
	if ((status = resolve_side(cli, cmd, base_sel, &bscope, sd->cand[sd->ncand - 1], sd->base,
				   &sd->nbase, "baseline")) ||
	    (status = pc_cli_load_runs(cli, sd->base, sd->nbase, sd->base_runs)))
		goto done;
	for (i = 0; i < sd->nbase; i++) {
		for (j = 0; j < sd->ncand; j++) {
			if (sd->base[i] == sd->cand[j]) {
				fprintf(stderr, "perfcmp: %s: run %lld is on both sides of %s..%s\n"
						"hint: only one run matches; ingest another, or name the baseline\n",
					cmd, (long long)sd->base[i], base_sel, cand_sel);
				status = EXIT_USAGE;
				goto done;
			}
		}
	}
	snprintf(sd->scope, sizeof(sd->scope), "%s/%s", sd->cand_runs[0]->profile,
		 sd->cand_runs[0]->config);
done:
	if (status)
		pc_cli_sides_free(sd);
	else
		*out = sd;
	return status;
}

void pc_cli_sides_free(pc_cli_sides *sd)
{
	size_t i;

	if (!sd)
		return;
	for (i = 0; i < sd->nbase; i++)
		pc_run_free(sd->base_runs[i]);
	for (i = 0; i < sd->ncand; i++)
		pc_run_free(sd->cand_runs[i]);
	free(sd);
}

void pc_cli_sides_render(pc_compare_sides *ren, const pc_cli_sides *sd, const pc_profile *prof)
{
	memset(ren, 0, sizeof(*ren));
	ren->base_ids = sd->base;
	ren->nbase = sd->nbase;
	ren->cand_ids = sd->cand;
	ren->ncand = sd->ncand;
	ren->profile = prof ? prof->name : "";
	ren->scope = sd->scope;
}
