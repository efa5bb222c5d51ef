/* The in-memory model of one ingested run: what the parsers produce, the store saves and loads,
 * and the renderers print. All strings are UTF-8 and owned by the run. Times are nanoseconds
 * since the Unix epoch (UTC); durations are seconds; latency values are in the series' unit. */
#ifndef PERFCMP_RUN_H
#define PERFCMP_RUN_H

#include <stddef.h>
#include <stdint.h>

typedef enum pc_source {
	PC_SRC_K6_SUMMARY,        /* --summary-export (legacy flat) or the v1.5+ machine summary */
	PC_SRC_K6_HANDLE_SUMMARY, /* handleSummary data object */
	PC_SRC_K6_POINTS,         /* --out json NDJSON stream */
	PC_SRC_PLAYWRIGHT,        /* Playwright JSON reporter */
} pc_source;

typedef enum pc_kind { PC_KIND_TREND, PC_KIND_COUNTER, PC_KIND_RATE, PC_KIND_GAUGE } pc_kind;

/* A statistic under its SPEC.md name ("p95", "count", "rate", ...); NaN = not finite/unknown. */
typedef struct pc_stat {
	char name[24];
	double value;
} pc_stat;

typedef struct pc_threshold {
	char *expr; /* verbatim source text, e.g. "p(95)<500" */
	int ok;     /* 1 passed, 0 failed */
} pc_threshold;

/* One raw sample with its time (ns since the epoch; 0 when unknown). */
typedef struct pc_sample {
	int64_t t;
	double v;
} pc_sample;

typedef struct pc_series {
	char *metric; /* "http_req_duration", "perf:ttfb" */
	char *tags;   /* canonical tag set: a JSON object with sorted keys, "{}" for the whole metric */
	pc_kind kind;
	char *unit; /* "ms", "bytes", "count", "ratio", "" */
	int empty;  /* the source says the metric had no samples */
	pc_stat *stats;
	size_t nstats, capstats;
	pc_threshold *thresholds;
	size_t nthresholds, capthresholds;
	pc_sample *samples; /* kept only for sources with raw samples */
	size_t nsamples, capsamples;
	/* Distribution from raw samples (k6 points; trends only), NULL otherwise: the whole run's
	 * histogram, and one histogram per time slice of the run (pc_run slice_*; nslices equals
	 * the run's, empty slices have count 0). Owned by the series. */
	struct pc_hist *hist;
	struct pc_hist *slices;
	size_t nslices;
} pc_series;

/* One second of a run from raw samples: [t, t + 1 s). */
typedef struct pc_timeline {
	int64_t t;            /* ns since the epoch, a whole second */
	long long requests;   /* http_reqs samples */
	long long failed;     /* http_req_failed non-zero samples */
	long long iterations; /* sum of iterations */
	double p50, p95;      /* http_req_duration (ms) of the requests in this second; NaN: none */
	double vus;           /* the last vus sample of the second; NaN: none */
} pc_timeline;

typedef struct pc_check {
	char *path; /* "::group::check name" */
	char *name;
	long long passes, fails;
} pc_check;

typedef struct pc_test {
	char *file;    /* relative to the suite root */
	char *title;   /* describe titles and the test title joined by " › " */
	char *project; /* Playwright project name, may be "" */
	char *outcome; /* expected | unexpected | flaky | skipped */
	int repeat;    /* 0-based index among entries with the same (file, title, project) */
	int attempts;  /* results[] entries */
	int retries;   /* attempts - 1, or 0 */
} pc_test;

typedef struct pc_totals {
	long long expected, unexpected, flaky, skipped;
} pc_totals;

typedef struct pc_run {
	int64_t id; /* 0 until stored */
	pc_source source;
	char *profile, *config, *project, *git_sha, *git_branch;
	char **labels;
	size_t nlabels, caplabels;
	int64_t started_at; /* ns; 0 when the file has none (the store then uses the ingest time) */
	int started_known;  /* loaded runs: 1 when started_at is the file's own, 0 the ingest time */
	int64_t ingested_at;
	double duration; /* seconds, NaN when unknown */
	char *file;
	char content_hash[33];
	char *tool_version; /* "1.65.2", "" when unknown */

	pc_series **series;
	size_t nseries, capseries;
	pc_check *checks;
	size_t nchecks, capchecks;
	pc_test *tests;
	size_t ntests, captests;
	int has_totals;
	pc_totals totals;

	char **warnings; /* for the CLI to print; not stored */
	size_t nwarnings, capwarnings;

	struct pc_map *index; /* metric + tags -> series, for pc_run_series */
	struct pc_map *test_index; /* file + title + project -> 1 + index of the last such test */

	/* Time slices of a run from raw samples: slice i is [slice_t0 + i·slice_ns,
	 * slice_t0 + (i+1)·slice_ns) ns; the last one also holds the final instant. 0 when none. */
	int64_t slice_t0, slice_ns;
	size_t nslices;
	pc_timeline *timeline; /* per second, ascending; NULL when the source has no samples */
	size_t ntimeline;
} pc_run;

pc_run *pc_run_new(pc_source source); /* NULL on allocation failure (PC_ENOMEM recorded) */
void pc_run_free(pc_run *run);

const char *pc_source_name(pc_source s); /* "k6-summary", ... */
int pc_source_parse(const char *name, pc_source *out);
const char *pc_source_tool(pc_source s); /* "k6" or "playwright" */
const char *pc_kind_name(pc_kind k);
int pc_kind_parse(const char *name, pc_kind *out);

/* Find the series (metric, tags) or add it with the given kind and unit. `tags` must already
 * be canonical (pc_tags_canon). *out is owned by the run. 0 or PC_ENOMEM. */
int pc_run_series(pc_run *run, pc_series **out, const char *metric, const char *tags,
		  pc_kind kind, const char *unit);
/* Order the series by metric, then tag set (bytewise), so output does not depend on the order a
 * file listed them in (k6 writes Go map order). */
void pc_run_sort_series(pc_run *run);
/* Keep only the series for which keep(ctx, s) is non-zero; the others are freed. 0 or
 * PC_ENOMEM (the run is unchanged then). */
int pc_run_keep_series(pc_run *run, int (*keep)(void *ctx, const pc_series *s), void *ctx);
pc_series *pc_run_find_series(const pc_run *run, const char *metric, const char *tags);

/* Set (or replace) the statistic `name`. */
int pc_series_set_stat(pc_series *s, const char *name, double value);
/* The statistic's value into *out; 0 when present, PC_ENOTFOUND otherwise. */
int pc_series_get_stat(const pc_series *s, const char *name, double *out);
int pc_series_add_threshold(pc_series *s, const char *expr, int ok);
int pc_series_add_sample(pc_series *s, int64_t t, double v);

int pc_run_add_check(pc_run *run, const char *path, const char *name, long long passes,
		     long long fails);
/* Adds a test entry; `repeat` is assigned from earlier entries with the same key. */
int pc_run_add_test(pc_run *run, const char *file, const char *title, const char *project,
		    const char *outcome, int attempts);
int pc_run_add_label(pc_run *run, const char *label);
int pc_run_warn(pc_run *run, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Build the canonical tag set of n key/value pairs into a new string (caller frees): keys
 * sorted bytewise, later duplicates win. NULL on allocation failure. */
char *pc_tags_canon(const char *const *keys, const char *const *vals, size_t n);

/* Call fn(ctx, key, value) for each pair of a canonical tag set, in order; stops at and returns
 * the first non-zero result. PC_EINPUT when `canon` is not a flat JSON object of strings. */
int pc_tags_each(const char *canon, int (*fn)(void *ctx, const char *k, const char *v), void *ctx);

/* Append "metric{k:v,k2:v2}" (k6's notation), or just the metric for an empty tag set. */
struct pc_buf;
int pc_series_name(struct pc_buf *out, const char *metric, const char *tags);

/* Normalize a k6 statistic key to its SPEC.md name: "med" -> "p50", "p(95)" -> "p95",
 * "p(99.90)" -> "p99.9"; others unchanged. `out` holds 24 bytes. PC_EINPUT when the key is a
 * malformed percentile. */
int pc_stat_name_norm(const char *key, char out[24]);

#endif
