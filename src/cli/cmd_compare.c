/* perfcmp compare (and the BASE..CAND shorthand) and perfcmp profiles. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"

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
	pc_cli_scope sc = {0};
	pc_compare_opts opts = {0};
	pc_format fmt = PC_FMT_TABLE;
	const char *pfile = NULL, *pdir = NULL, *failon = "regression", *range;
	pc_cli_sides *sd = NULL;
	pc_profile *prof = NULL;
	pc_comparison *cmp = NULL;
	pc_compare_sides ren = {0};
	pc_buf out = PC_BUF_INIT;
	size_t i;
	int c, rc, status = EXIT_OK;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_PROFILE: sc.cand.profile = optarg; break;
		case O_CONFIG: sc.cand.config = optarg; break;
		case O_BPROFILE: sc.base_profile = optarg; break;
		case O_BCONFIG: sc.base_config = optarg; break;
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
	range = optind < argc ? argv[optind++] : "latest~1..latest";
	if (optind < argc) {
		status = pc_cli_usage("compare", "one range at a time; unexpected '%s'", argv[optind]);
		goto done;
	}
	if ((status = pc_cli_range_check("compare", range)) ||
	    (status = pc_cli_sides_resolve(cli, "compare", range, &sc, &sd)))
		goto done;
	if ((rc = pc_cli_profile_for(&prof, pfile, pdir, sd->cand_runs[0]))) {
		status = pc_cli_fail("compare", rc);
		goto done;
	}
	if ((rc = pc_compare(&cmp, sd->base_runs, sd->nbase, sd->cand_runs, sd->ncand, prof, &opts))) {
		status = pc_cli_fail("compare", rc);
		goto done;
	}
	for (i = 0; i < cmp->nwarnings; i++)
		pc_cli_warn("compare", "%s", cmp->warnings[i]);
	pc_cli_sides_render(&ren, sd, prof);
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
	pc_cli_sides_free(sd);
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
	static const struct option longopts[] = {
		{"profiles", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = NULL;
	pc_profile *p = NULL;
	struct stat st;
	size_t i;
	int rc, a, c;

	(void)cli;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'p')
			return pc_cli_usage("profiles", "unknown option or missing value '%s'", argv[optind - 1]);
		dir = optarg;
	}
	a = optind;
	if (dir && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		return pc_cli_usage("profiles", "--profiles %s is not a directory", dir);
	if (a + 1 < argc)
		return pc_cli_usage("profiles", "one profile at a time; unexpected '%s'", argv[a + 1]);
	if (a < argc) {
		rc = pc_cli_profile_find(&p, dir, argv[a]);
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
		rc = pc_cli_profile_find(&p, dir, names[i]);
		if (rc)
			return pc_cli_fail(names[i], rc == PC_ENOTFOUND ? pc_error_set(PC_EENV, "shipped profile missing") : rc);
		printf("%-11s %s\n", p->name, p->description);
		pc_profile_free(p);
		p = NULL;
	}
	return EXIT_OK;
}
