/* perfcmp ingest: read results files and store each as one run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "perfcmp/error.h"
#include "perfcmp/ingest.h"
#include "perfcmp/proc.h"
#include "perfcmp/strutil.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* The one line `git rev-parse ARGS... HEAD` prints in the current directory, or NULL. */
static char *git_rev_parse(const char *arg)
{
	const char *argv[] = {"git", "rev-parse", arg, "HEAD", NULL};
	pc_buf out = PC_BUF_INIT;
	int status = -1;

	pc_buf_init(&out, 4096);
	if (pc_proc_run(argv, NULL, 0, &out, NULL, 5000, &status) || status != 0 || !out.len) {
		pc_buf_release(&out);
		pc_error_clear();
		return NULL;
	}
	while (out.len && (out.ptr[out.len - 1] == '\n' || out.ptr[out.len - 1] == '\r'))
		out.ptr[--out.len] = '\0';
	if (!out.len || strcmp(out.ptr, "HEAD") == 0) { /* detached HEAD has no branch */
		pc_buf_release(&out);
		return NULL;
	}
	return pc_buf_detach(&out);
}

/* Fill the run's keys: flags > file metadata > environment > defaults. */
static int apply_keys(pc_run *run, const pc_run_keys *k)
{
	static char *git_sha, *git_branch;
	static int git_asked;
	const char *v;
	size_t i;
	int rc;

	v = k->profile ? k->profile : run->profile ? run->profile : env("PERFCMP_PROFILE");
	if (!v || v != run->profile) {
		free(run->profile);
		run->profile = pc_strdup(v ? v : "default");
	}
	v = k->config ? k->config : run->config ? run->config : env("DOPPLER_CONFIG");
	if (!v || v != run->config) {
		free(run->config);
		run->config = pc_strdup(v ? v : "local");
	}
	v = k->project ? k->project : env("DOPPLER_PROJECT");
	run->project = pc_strdup(v ? v : "");
	if ((!k->sha && !env("GITHUB_SHA") && !env("CI_COMMIT_SHA")) ||
	    (!k->branch && !env("GITHUB_REF_NAME") && !env("CI_COMMIT_REF_NAME"))) {
		if (!git_asked) {
			git_sha = git_rev_parse("--verify");
			git_branch = git_rev_parse("--abbrev-ref");
			git_asked = 1;
		}
	}
	v = k->sha ? k->sha : env("GITHUB_SHA") ? env("GITHUB_SHA") : env("CI_COMMIT_SHA") ? env("CI_COMMIT_SHA") : git_sha;
	run->git_sha = pc_strdup(v ? v : "");
	v = k->branch ? k->branch
		      : env("GITHUB_REF_NAME") ? env("GITHUB_REF_NAME")
		      : env("CI_COMMIT_REF_NAME") ? env("CI_COMMIT_REF_NAME") : git_branch;
	run->git_branch = pc_strdup(v ? v : "");
	if (!run->profile || !run->config || !run->project || !run->git_sha || !run->git_branch)
		return pc_error_set(PC_ENOMEM, "out of memory");
	for (i = 0; i < k->nlabels; i++)
		if ((rc = pc_run_add_label(run, k->labels[i])))
			return rc;
	return 0;
}

struct progress {
	const char *name;
	long long start_ms, last_ms;
	int shown;
};

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A progress line on stderr (a terminal only): bytes read, lines per second, ETA. */
static void progress_cb(void *ctx, uint64_t bytes, int64_t total, uint64_t lines)
{
	struct progress *p = ctx;
	long long now = mono_ms();
	double secs;

	if (now - p->last_ms < 200 || now - p->start_ms < 500)
		return;
	p->last_ms = now;
	secs = (double)(now - p->start_ms) / 1000.0;
	fprintf(stderr, "\r\033[Kperfcmp: %s: %.1f MiB", p->name, (double)bytes / 1048576.0);
	if (total > 0)
		fprintf(stderr, " of %.1f MiB", (double)total / 1048576.0);
	fprintf(stderr, ", %llu lines, %.0f lines/s", (unsigned long long)lines, (double)lines / secs);
	if (total > 0 && bytes > 0 && (uint64_t)total > bytes)
		fprintf(stderr, ", ETA %.0f s", secs * (double)((uint64_t)total - bytes) / (double)bytes);
	p->shown = 1;
}

static void describe(const pc_run *run)
{
	pc_cli_put_inert(stdout, run->file);
	printf(": run %lld: %s ", (long long)run->id, pc_source_name(run->source));
	pc_cli_put_inert(stdout, run->profile);
	putchar('/');
	pc_cli_put_inert(stdout, run->config);
	printf(", %zu series", run->nseries);
	if (run->nchecks)
		printf(", %zu checks", run->nchecks);
	if (run->ntests)
		printf(", %zu tests", run->ntests);
	putchar('\n');
}

/* Content stored before keeps its keys; labels are still added, since promoting a stored run
 * by ingesting it again with --label is what a pipeline does. */
static int relabel_existing(pc_cli *cli, const char *path, int64_t id, const pc_run_keys *k)
{
	size_t i;
	int rc;

	for (i = 0; i < k->nlabels; i++)
		if ((rc = pc_store_label(cli->store, id, k->labels[i], 0)))
			return pc_cli_fail(cli->db_path, rc);
	if (k->profile || k->config || k->project || k->sha || k->branch)
		pc_cli_warn(path, "already stored as run %lld: its profile, config, project and git keys "
				  "stay as they were (rm the run and ingest again to change them)",
			    (long long)id);
	return EXIT_OK;
}

int pc_cli_ingest_one(pc_cli *cli, const char *path, const pc_run_keys *keys,
		      const pc_ingest_opts *opts, int quiet, int64_t *id)
{
	const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path; /* in messages, as stored */
	pc_ingest_opts o = *opts;
	struct progress prog = {name, mono_ms(), 0, 0};
	pc_run *run = NULL;
	int rc, existing = 0, status = EXIT_OK;
	size_t i;

	if (cli->stderr_tty) {
		o.progress = progress_cb;
		o.progress_ctx = &prog;
	}
	rc = pc_ingest_file(&run, path, &o);
	if (prog.shown)
		fputs("\r\033[K", stderr);
	if (rc)
		return pc_cli_fail(name, rc);
	for (i = 0; i < run->nwarnings; i++)
		pc_cli_warn(name, "%s", run->warnings[i]);
	if ((rc = apply_keys(run, keys))) {
		status = pc_cli_fail(name, rc);
		goto done;
	}
	if (!cli->store && (status = pc_cli_open_store(cli, 1)))
		goto done;
	if ((rc = pc_store_insert(cli->store, run, &existing))) {
		status = pc_cli_fail(cli->db_path, rc);
		goto done;
	}
	*id = run->id;
	if (quiet)
		goto done;
	if (existing) {
		status = relabel_existing(cli, name, run->id, keys);
		if (!status) {
			pc_cli_put_inert(stdout, name);
			printf(": already stored as run %lld\n", (long long)run->id);
		}
	} else {
		describe(run);
	}
done:
	pc_run_free(run);
	return status;
}

static int parse_size(const char *opt, const char *val, size_t *out)
{
	long long v;
	int rc = pc_cli_parse_count("ingest", opt, val, 1, (long long)1 << 40, &v);

	if (rc == 0)
		*out = (size_t)v;
	return rc;
}

int cmd_ingest(pc_cli *cli, int argc, char **argv)
{
	enum { O_PROFILE = 256, O_CONFIG, O_PROJECT, O_SHA, O_BRANCH, O_LABEL, O_BY, O_MAX_LINE,
	       O_MAX_SIZE, O_MAX_TAGS };
	static const struct option longopts[] = {
		{"profile", required_argument, NULL, O_PROFILE},
		{"config", required_argument, NULL, O_CONFIG},
		{"project", required_argument, NULL, O_PROJECT},
		{"sha", required_argument, NULL, O_SHA},
		{"branch", required_argument, NULL, O_BRANCH},
		{"label", required_argument, NULL, O_LABEL},
		{"by", required_argument, NULL, O_BY},
		{"max-line", required_argument, NULL, O_MAX_LINE},
		{"max-size", required_argument, NULL, O_MAX_SIZE},
		{"max-tag-values", required_argument, NULL, O_MAX_TAGS},
		{NULL, 0, NULL, 0},
	};
	pc_run_keys keys = {0};
	pc_ingest_opts opts = {0};
	int c, status = EXIT_OK, i;
	size_t tags;

	keys.labels = calloc((size_t)argc, sizeof(*keys.labels));
	if (!keys.labels)
		return pc_cli_fail("ingest", pc_error_set(PC_ENOMEM, "out of memory"));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_PROFILE: keys.profile = optarg; break;
		case O_CONFIG: keys.config = optarg; break;
		case O_PROJECT: keys.project = optarg; break;
		case O_SHA: keys.sha = optarg; break;
		case O_BRANCH: keys.branch = optarg; break;
		case O_LABEL: keys.labels[keys.nlabels++] = optarg; break;
		case O_BY: opts.by = optarg; break;
		case O_MAX_LINE: status = parse_size("--max-line", optarg, &opts.max_line); break;
		case O_MAX_SIZE: status = parse_size("--max-size", optarg, &opts.max_size); break;
		case O_MAX_TAGS:
			status = parse_size("--max-tag-values", optarg, &tags);
			if (!status)
				opts.max_tag_values = tags;
			break;
		default:
			status = pc_cli_usage("ingest", "unknown option or missing value '%s'",
					      argv[optind - 1]);
		}
		if (status)
			goto done;
	}
	if (optind >= argc) {
		status = pc_cli_usage("ingest", "no files given");
		goto done;
	}
	for (i = optind; i < argc; i++) {
		int64_t id;
		int s = pc_cli_ingest_one(cli, argv[i], &keys, &opts, 0, &id);
		if (s == EXIT_ENV) { /* the database is unusable: the other files would fail too */
			status = s;
			break;
		}
		if (s && !status)
			status = s;
	}
done:
	free(keys.labels);
	return status;
}
