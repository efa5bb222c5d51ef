/* perfcmp's entry point: the command table, global options, dispatch, and the exit status. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "perfcmp/buf.h"
#include "perfcmp/error.h"

enum { DB_NONE, DB_EXISTING, DB_CREATE, DB_READ };

struct cmd {
	const char *name;
	pc_cmd_fn fn;
	int db;
	const char *summary;
	const char *help; /* usage, options and an example */
};

static const struct cmd commands[] = {
	{"ingest", cmd_ingest, DB_NONE, /* opened once a file has parsed */
	  "load results files into the database (one run per file)",
	 "usage: perfcmp ingest [OPTIONS] FILE...\n"
	 "\n"
	 "Loads k6 results (--summary-export, handleSummary JSON, --out json points) and\n"
	 "Playwright JSON reports, plain or gzip; the format is detected from the content.\n"
	 "FILE '-' reads standard input. Each file becomes one run in one transaction; a file\n"
	 "that fails leaves nothing behind and the other files still go in. Content already\n"
	 "stored is not stored again: the existing run is named.\n"
	 "\n"
	 "options:\n"
	 "  --profile NAME     test profile (else file metadata, $PERFCMP_PROFILE, 'default')\n"
	 "  --config NAME      deployment config (else file metadata, $DOPPLER_CONFIG, 'local')\n"
	 "  --project NAME     project (else $DOPPLER_PROJECT)\n"
	 "  --sha SHA          git commit (else $GITHUB_SHA, $CI_COMMIT_SHA, git rev-parse HEAD)\n"
	 "  --branch NAME      git branch (else $GITHUB_REF_NAME, $CI_COMMIT_REF_NAME, git)\n"
	 "  --label TEXT       add a label to the run (repeatable)\n"
	 "  --by TAGS          k6 points: breakdown tags, e.g. name,status,name+status\n"
	 "                     (default name,scenario,group,status,method,expected_response)\n"
	 "  --max-line BYTES   longest NDJSON line accepted (default 1048576)\n"
	 "  --max-size BYTES   largest JSON document accepted, decompressed (default 268435456)\n"
	 "  --max-tag-values N distinct values kept per breakdown tag (default 1000)\n"
	 "\n"
	 "example:\n"
	 "  perfcmp ingest --profile load --config stg points.ndjson.gz summary.json\n"},
	{"runs", cmd_runs, DB_READ, "list runs, newest first",
	 "usage: perfcmp runs [--profile NAME] [--config NAME] [--limit N] [--format table|json|csv]\n"
	 "\n"
	 "Lists stored runs, newest first (by the start time the file gives, else the ingest\n"
	 "time; ties by ingest order).\n"
	 "\n"
	 "example:\n"
	 "  perfcmp runs --profile load --config stg --limit 10\n"},
	{"show", cmd_show, DB_READ, "one run's series and statistics",
	 "usage: perfcmp show [--format table|json|md] [--metric GLOB] [--profile NAME] [--config NAME] [RUN]\n"
	 "\n"
	 "Shows a run's keys, series with their statistics, thresholds, checks and (Playwright)\n"
	 "tests. RUN is a selector: an id, latest (the default), latest~N, sha:PREFIX,\n"
	 "branch:NAME, label:TEXT, or a results file (ingested first). --metric keeps the\n"
	 "series whose metric matches a glob.\n"
	 "\n"
	 "example:\n"
	 "  perfcmp show --metric 'http_req_*' latest~1\n"},
	{"compare", cmd_compare, DB_READ, "percentile regressions between runs",
	 "usage: perfcmp compare [OPTIONS] [BASE..CAND]      (or: perfcmp BASE..CAND)\n"
	 "\n"
	 "Compares the candidate run(s) with the baseline run(s), statistic by statistic, with the\n"
	 "rules of a comparison profile. A row is a regression only when the change is beyond the\n"
	 "profile's budget in the worse direction AND significant after Holm's correction;\n"
	 "inconclusive when it cannot know (too few samples, summaries without samples). The\n"
	 "default range is latest~1..latest. BASE and CAND are selectors (id, latest, latest~N,\n"
	 "sha:PREFIX, branch:NAME, label:TEXT, a file) or windows last:N; the candidate is\n"
	 "resolved first, the baseline within its profile, config and tool.\n"
	 "\n"
	 "options:\n"
	 "  --profile NAME, --config NAME      scope of the candidate\n"
	 "  --base-profile NAME, --base-config NAME   scope of the baseline (default: the candidate's)\n"
	 "  --profile-file FILE   the comparison profile (default: profiles/<run profile>.json)\n"
	 "  --profiles DIR        look for profiles in DIR first\n"
	 "  --format F            table (default), md, json, junit, csv\n"
	 "  --fail-on WHAT        exit 1 on: regression (default), inconclusive (or regression), never\n"
	 "  --only-changed        drop unchanged rows\n"
	 "  --metric GLOB         only metrics matching GLOB (e.g. 'http_req_*')\n"
	 "  --by TAGS             breakdowns to compare, e.g. name,scenario or name+status\n"
	 "  --force               compare sides whose VU shape differs\n"
	 "\n"
	 "example:\n"
	 "  perfcmp compare --format md last:5..latest >> \"$GITHUB_STEP_SUMMARY\"\n"},
	{"plot", cmd_plot, DB_READ, "charts through gnuplot: trend, compare, cdf, timeline, tests",
	 "usage: perfcmp plot KIND [OPTIONS] [ARG] [-o FILE.svg|FILE.png|-]\n"
	 "\n"
	 "Draws a chart with gnuplot (run as a program; install gnuplot-nox). Without -o, or\n"
	 "with -o -, the SVG goes to stdout. The same data gives the same bytes.\n"
	 "  trend [SERIES]       p50/p95/p99 of one series across the latest runs of a profile\n"
	 "                       and config, the p95 interval within each run as a band,\n"
	 "                       regressions against the run before marked (default SERIES:\n"
	 "                       http_req_duration; Playwright: duration)\n"
	 "  compare [BASE..CAND] one statistic per endpoint, baseline vs candidate, worst first\n"
	 "  cdf [BASE..CAND]     the two latency distributions overlaid (log axis)\n"
	 "  timeline [RUN]       one k6 run per second: requests/s, failed/s, VUs, p50/p95\n"
	 "  tests [BASE..CAND]   Playwright per-test durations (or --metric perf:NAME)\n"
	 "Ranges default to latest~1..latest and RUN to latest, resolved as in compare.\n"
	 "\n"
	 "options:\n"
	 "  -o, --output FILE    FILE.svg, FILE.png or - (SVG on stdout)\n"
	 "  --title TEXT         the chart's title\n"
	 "  --width N, --height N   size in pixels (default 960 x 540)\n"
	 "  --profile NAME, --config NAME, --base-profile NAME, --base-config NAME\n"
	 "  --profile-file FILE, --profiles DIR, --by TAGS, --force   as in compare\n"
	 "  --metric M           compare, tests: a metric glob; trend, cdf: a series,\n"
	 "                       e.g. 'http_req_duration{name:items-list}'\n"
	 "  --stat S             compare, tests: the statistic drawn (default p95, else the first)\n"
	 "  --limit N            trend: the latest N runs (default 50)\n"
	 "  --timeout SECONDS    stop gnuplot after this long (default 60)\n"
	 "\n"
	 "example:\n"
	 "  perfcmp plot cdf --metric 'http_req_duration{name:items-list}' -o cdf.svg 1..2\n"},
	{"report", cmd_report, DB_READ, "Markdown report, or update the marked regions of a document",
	 "usage: perfcmp report [OPTIONS] [BASE..CAND]\n"
	 "       perfcmp report --update FILE.md [OPTIONS]\n"
	 "\n"
	 "Writes a Markdown report to stdout: the runs of the profile and config of the range's\n"
	 "candidate, the comparison table with verdicts (default range latest~1..latest) and,\n"
	 "with --charts DIR, charts written to DIR and linked. --update FILE.md rewrites only the\n"
	 "regions between\n"
	 "  <!-- perfcmp:begin NAME --> and <!-- perfcmp:end NAME -->\n"
	 "where NAME is KIND [PROFILE/CONFIG] [ARG]: runs, compare RANGE, trend SERIES,\n"
	 "cdf RANGE, timeline RUN, tests RANGE. Charts are written next to FILE.md and linked by\n"
	 "relative path; the rest of the file is left as it is, and a run with no new data\n"
	 "changes no byte. The file is replaced atomically, or not at all on an error.\n"
	 "Exit 1 when a comparison finds a regression (--fail-on as in compare).\n"
	 "\n"
	 "options:\n"
	 "  --update FILE.md     rewrite the marked regions of FILE.md\n"
	 "  --charts DIR         (stdout report) write charts into DIR and link them\n"
	 "  --fail-on WHAT       regression (default), inconclusive or never\n"
	 "  --profile NAME, --config NAME, --profile-file FILE, --profiles DIR, --metric, --by\n"
	 "  --width N, --height N, --timeout SECONDS   as in plot\n"
	 "\n"
	 "example:\n"
	 "  perfcmp report --charts charts 1..2 >load.md\n"
	 "  perfcmp report --update docs/performance.md --fail-on never\n"},
	{"profiles", cmd_profiles, DB_NONE, "list or show the comparison profiles",
	 "usage: perfcmp profiles [--profiles DIR] [NAME]\n"
	 "\n"
	 "Lists the shipped comparison profiles, or shows the rules of one.\n"
	 "\n"
	 "example:\n"
	 "  perfcmp profiles load\n"},
	{"label", cmd_label, DB_EXISTING, "add a label to a stored run, or remove one",
	 "usage: perfcmp label RUN TEXT\n"
	 "       perfcmp label --remove RUN TEXT\n"
	 "\n"
	 "Adds the label TEXT to the run (e.g. to promote a baseline); label:TEXT selects it\n"
	 "later and gc keeps labelled runs. --remove takes it off again (an error when the run\n"
	 "does not have it).\n"
	 "\n"
	 "example:\n"
	 "  perfcmp label latest baseline-2026-12\n"
	 "  perfcmp label --remove 12 baseline-2026-12\n"},
	{"rm", cmd_rm, DB_EXISTING, "delete runs",
	 "usage: perfcmp rm RUN...\n"
	 "\n"
	 "Deletes the selected runs with everything stored about them, all or none.\n"
	 "\n"
	 "example:\n"
	 "  perfcmp rm 12 13\n"},
	{"gc", cmd_gc, DB_EXISTING, "delete unlabelled runs older than N days, then vacuum",
	 "usage: perfcmp gc --older-than DAYS [--dry-run]\n"
	 "\n"
	 "Deletes runs that started more than DAYS days ago (the start time the file gives) and\n"
	 "carry no label, then compacts the database. --dry-run only counts them.\n"
	 "\n"
	 "example:\n"
	 "  perfcmp gc --older-than 90\n"},
	{"help", cmd_help, DB_NONE, "show help for perfcmp or a command",
	 "usage: perfcmp help [COMMAND]\n"
	 "\n"
	 "example:\n"
	 "  perfcmp help ingest\n"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static const struct cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: perfcmp [--db PATH] COMMAND [ARGS]\n"
		     "\n"
		     "Stores k6 and Playwright results in SQLite and compares runs.\n"
		     "The database is --db PATH, else $PERFCMP_DB, else ./perfcmp.db.\n"
		     "\n"
		     "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n"
		     "global options:\n"
		     "  --db PATH    the database file\n"
		     "  --help       this help; 'perfcmp help COMMAND' or 'perfcmp COMMAND --help'\n"
		     "  --version    print the version\n"
		     "\n"
		     "exit codes: 0 ok, 1 regression found, 2 usage error, 3 bad input data,\n"
		     "4 environment (database, gnuplot)\n");
}

int pc_cli_print_help(FILE *out, const char *name)
{
	const struct cmd *c = find_command(name);

	if (!c)
		return -1;
	fputs(c->help, out);
	return 0;
}

int pc_cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cmd_help(pc_cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc < 2) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (pc_cli_print_help(stdout, argv[1]) != 0) {
		fprintf(stderr, "perfcmp: help: unknown command '%s'\n", argv[1]);
		fprintf(stderr, "hint: 'perfcmp help' lists the commands\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int pc_cli_exit_code(int code)
{
	switch (code) {
	case PC_OK:
		return EXIT_OK;
	case PC_EUSAGE:
	case PC_ENOTFOUND:
		return EXIT_USAGE;
	case PC_EINPUT:
		return EXIT_INPUT;
	default:
		return EXIT_ENV;
	}
}

/* Messages quote file names and strings from results files: write them inert, on one line and
 * without terminal escapes (control bytes as \xNN, C1 controls as \u00NN). */
void pc_cli_put_inert(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(s ? s : "(null)"); *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(f, "\\u%04x", p[1]);
			p++;
		} else {
			fputc(*p, f);
		}
	}
}

static void put_inert(const char *s)
{
	pc_cli_put_inert(stderr, s);
}

static void vput_inert(const char *fmt, va_list ap)
{
	pc_buf b = PC_BUF_INIT;

	if (pc_buf_vprintf(&b, fmt, ap) == 0 && b.ptr)
		put_inert(b.ptr);
	else
		put_inert(fmt);
	pc_buf_release(&b);
}

int pc_cli_fail(const char *subject, int code)
{
	const char *hint = pc_error_hint_msg();

	fputs("perfcmp: ", stderr);
	put_inert(subject);
	fputs(": ", stderr);
	put_inert(pc_error_msg());
	fputc('\n', stderr);
	if (hint) {
		fputs("hint: ", stderr);
		put_inert(hint);
		fputc('\n', stderr);
	}
	return pc_cli_exit_code(code);
}

int pc_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("perfcmp: ", stderr);
	put_inert(cmd);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vput_inert(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nhint: see 'perfcmp help %s'\n", cmd);
	return EXIT_USAGE;
}

void pc_cli_warn(const char *subject, const char *fmt, ...)
{
	va_list ap;

	fputs("perfcmp: warning: ", stderr);
	put_inert(subject);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vput_inert(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pc_cli_parse_count(const char *cmd, const char *opt, const char *val, long long min,
		       long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (errno || end == val || *end || v < min || v > max)
		return pc_cli_usage(cmd, "%s takes a whole number from %lld to %lld, not '%s'", opt, min,
				    max, val);
	*out = v;
	return 0;
}

int pc_cli_open_store(pc_cli *cli, int create)
{
	int rc = pc_store_open(&cli->store, cli->db_path,
			       create ? PC_STORE_CREATE : cli->db_mode == DB_READ ? PC_STORE_READ : 0);

	if (rc)
		return pc_cli_fail(cli->db_path, rc);
	if (pc_store_readonly(cli->store) == 2)
		pc_cli_warn(cli->db_path, "cannot be written here: read as immutable (nothing may change it "
					  "while perfcmp reads)");
	return EXIT_OK;
}

int pc_cli_store(pc_cli *cli)
{
	if (cli->store || cli->db_mode == DB_NONE)
		return EXIT_OK;
	return pc_cli_open_store(cli, cli->db_mode == DB_CREATE);
}

/* stdout must have reached its destination before we claim success (git's run_builtin). */
static int finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return status;
		fprintf(stderr, "perfcmp: stdout: write failed: %s\n", strerror(errno));
		return status ? status : EXIT_ENV;
	}
	return status;
}

int main(int argc, char **argv)
{
	pc_cli cli = {0};
	const struct cmd *c;
	const char *nocolor = getenv("NO_COLOR"), *term = getenv("TERM");
	int i = 1, status;

	cli.db_path = getenv("PERFCMP_DB");
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "perfcmp.db";
	cli.color = isatty(STDOUT_FILENO) && !(nocolor && *nocolor) && !(term && strcmp(term, "dumb") == 0);
	cli.stderr_tty = isatty(STDERR_FILENO);

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc && argv[i + 1][0]) {
			cli.db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0 && argv[i][5]) {
			cli.db_path = argv[i] + 5;
		} else if (strcmp(argv[i], "--help") == 0) {
			print_usage(stdout);
			return finish_stdout(EXIT_OK);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("perfcmp %s\n", PC_VERSION);
			return finish_stdout(EXIT_OK);
		} else if (strncmp(argv[i], "--db", 4) == 0 && (!argv[i][4] || argv[i][4] == '=')) {
			fprintf(stderr, "perfcmp: --db needs a PATH\nhint: perfcmp --db results.db runs\n");
			return EXIT_USAGE;
		} else {
			fprintf(stderr, "perfcmp: unknown option '%s'\nhint: see 'perfcmp help'\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i < argc && strcmp(argv[i], "-h") == 0) {
		print_usage(stdout);
		return finish_stdout(EXIT_OK);
	}
	if (i >= argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	c = find_command(argv[i]);
	if (!c && strstr(argv[i], "..")) {
		/* perfcmp BASE..CAND: the range becomes compare's argument (argv[i - 1] is an
		 * option or the program name, both already used) */
		c = find_command("compare");
		argv[--i] = "compare";
	}
	if (!c) {
		fprintf(stderr, "perfcmp: '%s' is not a perfcmp command\n", argv[i]);
		fprintf(stderr, "hint: 'perfcmp help' lists the commands\n");
		return EXIT_USAGE;
	}
	/* --help anywhere among a command's arguments shows its help, without a database */
	for (int j = i + 1; j < argc && strcmp(argv[j], "--") != 0; j++) {
		if (pc_cli_is_help(argv[j])) {
			fputs(c->help, stdout);
			return finish_stdout(EXIT_OK);
		}
	}
	/* the global --db also works after the command ("perfcmp runs --db x.db"): take it out
	 * before the command parses its own options */
	for (int j = i + 1, k; j < argc && strcmp(argv[j], "--") != 0;) {
		int take = strcmp(argv[j], "--db") == 0 ? 2 : strncmp(argv[j], "--db=", 5) == 0 ? 1 : 0;
		if (!take) {
			j++;
			continue;
		}
		if ((take == 2 && (j + 1 >= argc || !argv[j + 1][0])) || (take == 1 && !argv[j][5])) {
			fprintf(stderr, "perfcmp: --db needs a PATH\nhint: perfcmp --db results.db runs\n");
			return EXIT_USAGE;
		}
		cli.db_path = take == 2 ? argv[j + 1] : argv[j] + 5;
		for (k = j; k + take < argc; k++)
			argv[k] = argv[k + take];
		argc -= take;
		argv[argc] = NULL;
	}
	cli.db_mode = c->db;
	status = c->fn(&cli, argc - i, argv + i);
	pc_store_free(cli.store);
	return finish_stdout(status);
}
