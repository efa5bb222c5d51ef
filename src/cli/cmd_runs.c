/* perfcmp runs, show, label, rm and gc: reading and managing stored runs. */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "perfcmp/error.h"
#include "perfcmp/ingest.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"

/* Write the buffer to stdout and release it. */
static int emit(pc_buf *b)
{
	if (b->len)
		fwrite(b->ptr, 1, b->len, stdout);
	pc_buf_release(b);
	return EXIT_OK;
}

/* A selector that is meant as a file: it has a directory part or a results-file ending. */
static int looks_like_path(const char *sel)
{
	static const char *const ends[] = {".json", ".gz", ".ndjson", ".js"};
	size_t n = strlen(sel), i;

	if (strchr(sel, '/'))
		return 1;
	for (i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		size_t e = strlen(ends[i]);
		if (n > e && strcmp(sel + n - e, ends[i]) == 0)
			return 1;
	}
	return 0;
}

int pc_cli_resolve(pc_cli *cli, const char *sel, const pc_run_filter *scope, int64_t *id)
{
	struct stat st;
	int rc = pc_store_select(cli->store, sel, scope, id);

	if (rc == PC_EUSAGE && stat(sel, &st) != 0 && looks_like_path(sel)) {
		pc_error_set(PC_EINPUT, "cannot open: %s", strerror(errno));
		return pc_cli_fail(sel, PC_EINPUT);
	}
	if (rc == PC_EUSAGE && stat(sel, &st) == 0 && S_ISREG(st.st_mode)) {
		/* the file's own keys (or the environment's), never the scope: a baseline file must
		 * not be stored under the candidate's profile */
		pc_run_keys keys = {0};
		pc_ingest_opts opts = {0};
		pc_error_clear();
		return pc_cli_ingest_one(cli, sel, &keys, &opts, 1, id);
	}
	return rc ? pc_cli_fail(sel, rc) : EXIT_OK;
}

enum { O_PROFILE = 256, O_CONFIG, O_LIMIT, O_FORMAT, O_OLDER, O_METRIC, O_DRY };

static const struct option scope_opts[] = {
	{"profile", required_argument, NULL, O_PROFILE},
	{"config", required_argument, NULL, O_CONFIG},
	{"limit", required_argument, NULL, O_LIMIT},
	{"format", required_argument, NULL, O_FORMAT},
	{"older-than", required_argument, NULL, O_OLDER},
	{"metric", required_argument, NULL, O_METRIC},
	{"dry-run", no_argument, NULL, O_DRY},
	{NULL, 0, NULL, 0},
};

struct common {
	pc_run_filter scope;
	pc_format format;
	long long older_than;
	int has_older;
	const char *metric;
	int dry_run;
};

/* Parse the options a command accepts (`allowed` lists their O_* values, 0-terminated). */
static int parse_common(const char *cmd, int argc, char **argv, const int *allowed, struct common *o)
{
	long long limit;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", scope_opts, NULL)) != -1) {
		const int *a = allowed;
		while (*a && *a != c)
			a++;
		if (!*a)
			return pc_cli_usage(cmd, "unknown option or missing value '%s'", argv[optind - 1]);
		switch (c) {
		case O_PROFILE: o->scope.profile = optarg; break;
		case O_CONFIG: o->scope.config = optarg; break;
		case O_LIMIT:
			if ((rc = pc_cli_parse_count(cmd, "--limit", optarg, 1, 1000000000, &limit)))
				return rc;
			o->scope.limit = (size_t)limit;
			break;
		case O_FORMAT:
			if (pc_format_parse(optarg, &o->format))
				return pc_cli_usage(cmd, "unknown --format '%s'", optarg);
			break;
		case O_METRIC: o->metric = optarg; break;
		case O_DRY: o->dry_run = 1; break;
		case O_OLDER:
			if ((rc = pc_cli_parse_count(cmd, "--older-than", optarg, 0, 100000, &o->older_than)))
				return rc;
			o->has_older = 1;
			break;
		}
	}
	return EXIT_OK;
}

int cmd_runs(pc_cli *cli, int argc, char **argv)
{
	static const int allowed[] = {O_PROFILE, O_CONFIG, O_LIMIT, O_FORMAT, 0};
	struct common o = {0};
	pc_buf out = PC_BUF_INIT;
	pc_run **runs = NULL;
	size_t n = 0;
	int rc;

	if ((rc = parse_common("runs", argc, argv, allowed, &o)))
		return rc;
	if (optind < argc)
		return pc_cli_usage("runs", "unexpected argument '%s'", argv[optind]);
	if (o.format != PC_FMT_TABLE && o.format != PC_FMT_JSON && o.format != PC_FMT_CSV)
		return pc_cli_usage("runs", "--format is table, json or csv");
	if ((rc = pc_cli_store(cli)))
		return rc;
	if ((rc = pc_store_list(cli->store, &o.scope, &runs, &n)))
		return pc_cli_fail(cli->db_path, rc);
	if (n == 0 && o.format == PC_FMT_TABLE) {
		fputs("perfcmp: runs: no runs stored", stderr);
		if (o.scope.profile) {
			fputs(" with profile ", stderr);
			pc_cli_put_inert(stderr, o.scope.profile);
		}
		if (o.scope.config) {
			fputs(o.scope.profile ? " and config " : " with config ", stderr);
			pc_cli_put_inert(stderr, o.scope.config);
		}
		fputc('\n', stderr);
		pc_store_runs_free(runs, n);
		return EXIT_OK;
	}
	rc = pc_render_runs(&out, runs, n, o.format, cli->color);
	pc_store_runs_free(runs, n);
	if (rc) {
		pc_buf_release(&out);
		return pc_cli_fail("runs", rc);
	}
	return emit(&out);
}

static int metric_matches(void *glob, const pc_series *s)
{
	return fnmatch(glob, s->metric, 0) == 0;
}

int cmd_show(pc_cli *cli, int argc, char **argv)
{
	static const int allowed[] = {O_PROFILE, O_CONFIG, O_FORMAT, O_METRIC, 0};
	struct common o = {0};
	pc_buf out = PC_BUF_INIT;
	pc_run *run = NULL;
	const char *sel = "latest";
	int64_t id;
	int rc;

	if ((rc = parse_common("show", argc, argv, allowed, &o)))
		return rc;
	if (optind < argc)
		sel = argv[optind++];
	if (optind < argc)
		return pc_cli_usage("show", "one run at a time; unexpected '%s'", argv[optind]);
	if (o.format != PC_FMT_TABLE && o.format != PC_FMT_JSON && o.format != PC_FMT_MD)
		return pc_cli_usage("show", "--format is table, json or md");
	if ((rc = pc_cli_store(cli)) || (rc = pc_cli_resolve(cli, sel, &o.scope, &id)))
		return rc;
	if ((rc = pc_store_load(cli->store, id, &run)))
		return pc_cli_fail(sel, rc);
	if (o.metric && (rc = pc_run_keep_series(run, metric_matches, (void *)o.metric))) {
		pc_run_free(run);
		return pc_cli_fail("show", rc);
	}
	if (o.metric && run->nseries == 0)
		pc_cli_warn("show", "no series of run %lld matches --metric '%s'", (long long)id, o.metric);
	rc = pc_render_show(&out, run, o.format, cli->color);
	pc_run_free(run);
	if (rc) {
		pc_buf_release(&out);
		return pc_cli_fail("show", rc);
	}
	return emit(&out);
}

int cmd_label(pc_cli *cli, int argc, char **argv)
{
	int64_t id;
	int rc, remove = argc > 1 && strcmp(argv[1], "--remove") == 0;
	const char *run, *text;

	if (argc != 3 + remove)
		return pc_cli_usage("label", "needs a RUN and a TEXT");
	run = argv[1 + remove];
	text = argv[2 + remove];
	if (!*text)
		return pc_cli_usage("label", "the label is empty");
	if ((rc = pc_cli_store(cli)) || (rc = pc_cli_resolve(cli, run, NULL, &id)))
		return rc;
	if ((rc = pc_store_label(cli->store, id, text, remove)))
		return pc_cli_fail(remove ? "label" : cli->db_path, rc);
	printf("run %lld: %s ", (long long)id, remove ? "label removed:" : "labelled");
	pc_cli_put_inert(stdout, text);
	putchar('\n');
	if (!remove) {
		/* label:TEXT selects the newest run with the label: say when that is another run */
		char sel[1100];
		int64_t newest;
		snprintf(sel, sizeof(sel), "label:%s", text);
		if (pc_store_select(cli->store, sel, NULL, &newest) == 0 && newest != id)
			pc_cli_warn(text, "run %lld, newer, has this label too: label:%s selects it",
				    (long long)newest, text);
		pc_error_clear();
	}
	return EXIT_OK;
}

int cmd_rm(pc_cli *cli, int argc, char **argv)
{
	int64_t *ids;
	size_t n = 0;
	int i, rc, status = EXIT_OK;

	if (argc < 2)
		return pc_cli_usage("rm", "name the runs to delete");
	if ((rc = pc_cli_store(cli)))
		return rc;
	ids = calloc((size_t)argc, sizeof(*ids));
	if (!ids)
		return pc_cli_fail("rm", pc_error_set(PC_ENOMEM, "out of memory"));
	for (i = 1; i < argc; i++) {
		int64_t id;
		size_t j;
		rc = pc_store_select(cli->store, argv[i], NULL, &id);
		if (rc) { /* never ingest a file just to delete it */
			status = pc_cli_fail(argv[i], rc);
			goto done;
		}
		for (j = 0; j < n && ids[j] != id; j++)
			;
		if (j == n) /* two selectors naming one run delete it once */
			ids[n++] = id;
	}
	if ((rc = pc_store_delete(cli->store, ids, n))) {
		status = pc_cli_fail(cli->db_path, rc);
		goto done;
	}
	for (i = 0; i < (int)n; i++)
		printf("run %lld: deleted\n", (long long)ids[i]);
done:
	free(ids);
	return status;
}

int cmd_gc(pc_cli *cli, int argc, char **argv)
{
	static const int allowed[] = {O_OLDER, O_DRY, 0};
	struct common o = {0};
	size_t deleted;
	int rc;

	if ((rc = parse_common("gc", argc, argv, allowed, &o)))
		return rc;
	if (!o.has_older)
		return pc_cli_usage("gc", "--older-than DAYS is required");
	if (optind < argc)
		return pc_cli_usage("gc", "unexpected argument '%s'", argv[optind]);
	if ((rc = pc_cli_store(cli)))
		return rc;
	rc = pc_store_gc(cli->store, pc_time_now() - o.older_than * 86400LL * 1000000000LL, o.dry_run,
			 &deleted);
	if (rc)
		return pc_cli_fail(cli->db_path, rc);
	printf("%s %zu run%s that started more than %lld days ago (labelled runs kept)\n",
	       o.dry_run ? "would delete" : "deleted", deleted, deleted == 1 ? "" : "s", o.older_than);
	/* the deletion is committed: a failed vacuum only leaves the file larger than it need be */
	if (!o.dry_run && (rc = pc_store_vacuum(cli->store)))
		return pc_cli_fail(cli->db_path, rc);
	return EXIT_OK;
}
