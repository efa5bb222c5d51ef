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

int pc_cli_parse_failon(const char *cmd, const char *val, int *level)
{
	static const char *const names[] = {"never", "regression", "inconclusive"};
	int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(val, names[i]) == 0) {
			*level = i;
			return EXIT_OK;
		}
	}
	return pc_cli_usage(cmd, "--fail-on is regression, inconclusive or never");
}

int pc_cli_fails(int level, int verdict)
{
	return (level >= 1 && verdict == PC_V_REGRESSION) ||
	       (level == 2 && verdict == PC_V_INCONCLUSIVE);
}

int cmd_compare(pc_cli *cli, int argc, char **argv)
{
	enum { O_FORMAT = PC_O_OWN, O_FAILON, O_ONLY };
	static const struct option longopts[] = {
		PC_CLI_OPTS_SERIES,
		PC_CLI_OPTS_BASE,
		{"format", required_argument, NULL, O_FORMAT},
		{"fail-on", required_argument, NULL, O_FAILON},
		{"only-changed", no_argument, NULL, O_ONLY},
		{NULL, 0, NULL, 0},
	};
	pc_cli_plot sel;
	pc_compare_opts opts = {0};
	pc_format fmt = PC_FMT_TABLE;
	const char *range;
	pc_cli_sides *sd = NULL;
	pc_profile *prof = NULL;
	pc_comparison *cmp = NULL;
	pc_compare_sides ren = {0};
	pc_buf out = PC_BUF_INIT;
	size_t i;
	int c, rc, failon = 1, status = EXIT_OK;

	pc_cli_plot_defaults(&sel);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_FORMAT:
			if (pc_format_parse(optarg, &fmt))
				status = pc_cli_usage("compare", "unknown --format '%s'", optarg);
			break;
		case O_FAILON: status = pc_cli_parse_failon("compare", optarg, &failon); break;
		case O_ONLY: opts.only_changed = 1; break;
		default: status = pc_cli_plot_option("compare", c, argv, &sel); break;
		}
		if (status)
			goto done;
	}
	opts.metric_glob = sel.metric;
	opts.by = sel.by;
	opts.force = sel.force;
	range = optind < argc ? argv[optind++] : "latest~1..latest";
	if (optind < argc) {
		status = pc_cli_usage("compare", "one range at a time; unexpected '%s'", argv[optind]);
		goto done;
	}
	if ((status = pc_cli_range_check("compare", range)) ||
	    (status = pc_cli_sides_resolve(cli, "compare", range, &sel.sc, &sd)))
		goto done;
	if ((rc = pc_cli_profile_for(&prof, sel.pfile, sel.pdir, sd->cand_runs[0]))) {
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
	if (pc_cli_fails(failon, cmp->verdict))
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
