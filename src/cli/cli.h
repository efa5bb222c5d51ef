/* Shared by the command files in src/cli/: the context every command gets, error reporting and
 * exit codes. src/cli/ is the only layer that prints to the user or exits. */
#ifndef PERFCMP_CLI_H
#define PERFCMP_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "perfcmp/run.h"
#include "perfcmp/store.h"

/* SPEC.md exit codes. */
enum {
	EXIT_OK = 0,
	EXIT_REGRESSION = 1,
	EXIT_USAGE = 2,
	EXIT_INPUT = 3,
	EXIT_ENV = 4,
};

typedef struct pc_cli {
	const char *db_path;
	pc_store *store;  /* opened by pc_cli_store, after a command parsed its arguments */
	int db_mode;      /* the command table's: 0 none, 1 an existing database, 2 create */
	int color;        /* stdout is a terminal and NO_COLOR is unset */
	int stderr_tty;
} pc_cli;

typedef int (*pc_cmd_fn)(pc_cli *cli, int argc, char **argv);

/* Command entry points: argv[0] is the command name; they return an exit code. */
int cmd_ingest(pc_cli *cli, int argc, char **argv);
int cmd_runs(pc_cli *cli, int argc, char **argv);
int cmd_show(pc_cli *cli, int argc, char **argv);
int cmd_label(pc_cli *cli, int argc, char **argv);
int cmd_rm(pc_cli *cli, int argc, char **argv);
int cmd_gc(pc_cli *cli, int argc, char **argv);
int cmd_help(pc_cli *cli, int argc, char **argv);
int cmd_compare(pc_cli *cli, int argc, char **argv);
int cmd_profiles(pc_cli *cli, int argc, char **argv);
int cmd_plot(pc_cli *cli, int argc, char **argv);
int cmd_report(pc_cli *cli, int argc, char **argv);

/* Print the recorded library error as "perfcmp: <subject>: <message>" (plus "hint: ..."), and
 * return the exit code for its PC_E* code. */
int pc_cli_fail(const char *subject, int code);
/* Print a usage error for `cmd` ("perfcmp: <cmd>: <message>", hint: perfcmp help <cmd>), exit 2. */
int pc_cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Write s to f inert: control bytes as \xNN and C1 controls as \u00NN, so a file name or a
 * string from a results file can neither break a line nor drive the terminal. */
void pc_cli_put_inert(FILE *f, const char *s);
void pc_cli_warn(const char *subject, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
int pc_cli_exit_code(int pc_code);

/* Print the help of a command (from the command table) to `out`. */
int pc_cli_print_help(FILE *out, const char *cmd);
/* Is `arg` -h or --help? */
int pc_cli_is_help(const char *arg);

/* Open the database (creating it when `create`); sets cli->store. Returns an exit code. */
int pc_cli_open_store(pc_cli *cli, int create);
/* Open the database the way the command table says, once the arguments are known to be good
 * (so usage errors come before database errors). Returns an exit code. */
int pc_cli_store(pc_cli *cli);

/* Resolve one run selector within `scope`: a stored-run selector, or a results file, which is
 * ingested first (with the keys the environment gives). Returns an exit code; *id on success. */
int pc_cli_resolve(pc_cli *cli, const char *sel, const pc_run_filter *scope, int64_t *id);

/* Run keys given on the command line or by the environment (SPEC.md "Run keys"). */
typedef struct pc_run_keys {
	const char *profile, *config, *project, *sha, *branch;
	const char **labels;
	size_t nlabels;
} pc_run_keys;

/* Ingest one file with the keys and options; prints its one-line result (unless quiet) and its
 * warnings. Returns an exit code; *id is the new or existing run. */
struct pc_ingest_opts;
int pc_cli_ingest_one(pc_cli *cli, const char *path, const pc_run_keys *keys,
		      const struct pc_ingest_opts *opts, int quiet, int64_t *id);

/* Parse a positive whole number option value; returns 0 or prints a usage error (exit 2). */
int pc_cli_parse_count(const char *cmd, const char *opt, const char *val, long long min,
		       long long max, long long *out);

/* The sides of a BASE..CAND range (cli_sides.c), shared by compare, plot and report. */
struct pc_profile;
struct pc_compare_sides;
#define PC_CLI_WINDOW_MAX 64

typedef struct pc_cli_scope {
	pc_run_filter cand;                     /* --profile/--config: the candidate's scope */
	const char *base_profile, *base_config; /* --base-profile/--base-config; NULL: the candidate's */
} pc_cli_scope;

typedef struct pc_cli_sides {
	int64_t base[PC_CLI_WINDOW_MAX], cand[PC_CLI_WINDOW_MAX];
	size_t nbase, ncand;
	pc_run *base_runs[PC_CLI_WINDOW_MAX], *cand_runs[PC_CLI_WINDOW_MAX];
	char scope[256]; /* "load/dev_perf", the candidate's */
} pc_cli_sides;

/* Is `range` BASE..CAND? Prints a usage error for `cmd` (exit 2) when not. */
int pc_cli_range_check(const char *cmd, const char *range);
/* Open the store, resolve and load both sides of `range` (the candidate first, the baseline in
 * its profile, config and tool unless the scope says otherwise). Returns an exit code; *out is
 * the caller's to free with pc_cli_sides_free. */
int pc_cli_sides_resolve(pc_cli *cli, const char *cmd, const char *range, const pc_cli_scope *sc,
			 pc_cli_sides **out);
void pc_cli_sides_free(pc_cli_sides *sd);
/* Fill the renderers' view of the sides (points into sd and prof). */
void pc_cli_sides_render(struct pc_compare_sides *ren, const pc_cli_sides *sd,
			 const struct pc_profile *prof);
/* Load runs by id into runs[] (the caller frees each). Returns an exit code. */
int pc_cli_load_runs(pc_cli *cli, const int64_t *ids, size_t n, pc_run **runs);
/* NAME.json in `dir`, then in the shipped profiles: 0, PC_ENOTFOUND or a load error. */
int pc_cli_profile_find(struct pc_profile **out, const char *dir, const char *name);
/* The comparison profile for a candidate: `file`, else its run profile's, else default (and the
 * tool's default when that file has no rules for the tool). 0 or a PC_E* code. */
int pc_cli_profile_for(struct pc_profile **out, const char *file, const char *dir,
		       const pc_run *cand);

/* A chart request (cmd_plot.c), shared by plot and report. */
#include "perfcmp/plot.h"
typedef struct pc_cli_plot {
	pc_plot_kind kind;
	const char *arg;    /* compare, cdf, tests: BASE..CAND; timeline: RUN; NULL: the default */
	const char *metric; /* --metric: a glob (compare, tests) or a series METRIC{tag:value} */
	const char *by, *stat, *pfile, *pdir;
	int force;
	size_t limit;       /* trend: the latest N runs */
	int timeout_ms;
	pc_cli_scope sc;
	pc_plot_opts po;
} pc_cli_plot;
void pc_cli_plot_defaults(pc_cli_plot *p);

/* The long options compare, plot and report share, parsed once by pc_cli_plot_option into a
 * pc_cli_plot. A command's getopt_long table lists the groups it takes, then its own options,
 * whose codes start at PC_O_OWN. */
enum { PC_O_PROFILE = 256, PC_O_CONFIG, PC_O_BPROFILE, PC_O_BCONFIG, PC_O_PFILE, PC_O_PDIR,
       PC_O_METRIC, PC_O_BY, PC_O_FORCE, PC_O_WIDTH, PC_O_HEIGHT, PC_O_TIMEOUT, PC_O_OWN };
/* --profile, --config, --profile-file, --profiles, --metric, --by, --force */
#define PC_CLI_OPTS_SERIES                                                                     \
	{"profile", required_argument, NULL, PC_O_PROFILE},                                    \
	{"config", required_argument, NULL, PC_O_CONFIG},                                      \
	{"profile-file", required_argument, NULL, PC_O_PFILE},                                 \
	{"profiles", required_argument, NULL, PC_O_PDIR},                                      \
	{"metric", required_argument, NULL, PC_O_METRIC},                                      \
	{"by", required_argument, NULL, PC_O_BY},                                              \
	{"force", no_argument, NULL, PC_O_FORCE}
/* --base-profile, --base-config */
#define PC_CLI_OPTS_BASE                                                                       \
	{"base-profile", required_argument, NULL, PC_O_BPROFILE},                              \
	{"base-config", required_argument, NULL, PC_O_BCONFIG}
/* --width, --height, --timeout */
#define PC_CLI_OPTS_CHART                                                                      \
	{"width", required_argument, NULL, PC_O_WIDTH},                                        \
	{"height", required_argument, NULL, PC_O_HEIGHT},                                      \
	{"timeout", required_argument, NULL, PC_O_TIMEOUT}
/* Take the shared option getopt_long returned as `c` (its value in optarg) into *p. Any other
 * `c` is an unknown option or a missing value: a usage error naming argv[optind - 1]. Returns an
 * exit code. */
int pc_cli_plot_option(const char *cmd, int c, char **argv, pc_cli_plot *p);
/* --fail-on never|regression|inconclusive as 0, 1 or 2; a usage error for anything else. */
int pc_cli_parse_failon(const char *cmd, const char *val, int *level);
/* Does a comparison's verdict fail the --fail-on level? */
int pc_cli_fails(int level, int verdict);
/* Parse plot's options (getopt_long from argv[1]; optind is left at the first operand).
 * Returns an exit code. */
int pc_cli_plot_options(const char *cmd, int argc, char **argv, pc_cli_plot *p, const char **output);
/* Resolve what the chart needs and write its gnuplot script. Returns an exit code (printed). */
int pc_cli_plot_script(pc_cli *cli, const pc_cli_plot *p, pc_buf *script);
/* Run gnuplot on the script. Returns an exit code (printed). */
int pc_cli_plot_image(const pc_cli_plot *p, const pc_buf *script, pc_buf *image);
/* Write a file atomically (a temporary file beside it, then rename). Returns an exit code. */
int pc_cli_write_file(const char *path, const void *data, size_t n);

#endif
