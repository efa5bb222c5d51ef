/* State shared by the k6 points reader (k6_points.c: the line scanner and accumulation per
 * distinct tag set) and its finisher (k6_points_series.c: series, statistics, histograms,
 * slices and the timeline). Nothing outside these two files includes this. */
#ifndef PERFCMP_K6_POINTS_H
#define PERFCMP_K6_POINTS_H

#include <stdint.h>

#include "ingest/ingest_internal.h"
#include "perfcmp/map.h"

/* One distinct tag set, decoded once however many points carry it. */
typedef struct k6_tagset {
	char *canon;         /* canonical JSON object */
	char **keys, **vals; /* n pairs sorted by key */
	size_t n;
	size_t id;           /* index in the reader's tagsets */
	uint64_t points;
	char **combo;        /* per breakdown spec: the series tags it falls in, NULL for none */
	size_t ncombo;
} k6_tagset;

/* One metric × one tag set: where the samples live, once, whatever the breakdowns. */
typedef struct k6_cell {
	k6_tagset *ts;
	double *v;  /* trend samples (and those of metrics without a Metric line) */
	int32_t *t; /* their times, ms from the reader's base_ns */
	size_t n, cap;
	int sorted; /* v in ascending histogram bucket order (not ascending within a bucket),
		     * t permuted along; boff, m2 and the histograms are set */
	size_t *boff;  /* start of each bucket of hist in v, and n at the end */
	double m2;     /* sum of squared deviations from the cell's mean */
	int odd_zeros; /* the zero bucket holds -0 or subnormals, not only +0 */
	uint64_t count, nonzero;
	double sum, min, max;
	int64_t last_t; /* gauge value: the last sample by time, ties by file order */
	double last_v;
	struct pc_hist *hist;   /* built once at the end, summed into every series of the cell */
	struct pc_hist *slices; /* one per time slice of the run */
} k6_cell;

enum k6_role { K6_ROLE_NONE, K6_ROLE_REQS, K6_ROLE_FAILED, K6_ROLE_DURATION, K6_ROLE_VUS,
	       K6_ROLE_ITERS };

typedef struct k6_sub {
	char *tags;          /* canonical */
	char **keys, **vals; /* pairs a point's tags must all contain */
	size_t n;
} k6_sub;

typedef struct k6_metric {
	char *name;
	size_t name_len;
	pc_kind kind;
	const char *unit;
	int declared; /* a Metric line gave the type */
	enum k6_role role;
	k6_cell **by_ts; /* indexed by tag set id, NULL where none */
	size_t nby_ts;
	k6_cell **cells; /* in creation order */
	size_t ncells, capcells;
	char **thr; /* the metric's own threshold expressions */
	size_t nthr, capthr;
	k6_sub *subs;
	size_t nsubs, capsubs;
} k6_metric;

/* The timeline covers at most this many seconds (115 days). */
#define K6_MAX_SECONDS ((size_t)10000000)

typedef struct k6_second {
	long long reqs, failed;
	double iters, vus;
	int64_t vus_t;
	int has_vus;
} k6_second;

/* One --by entry: a tag or a combination of tags ("name+status"). */
typedef struct k6_spec {
	char **keys;
	size_t n;
	char *label; /* as given, for the warning */
	pc_map *values;
	size_t nvalues;
	uint64_t dropped; /* tag sets over the cap */
} k6_spec;

typedef struct k6_reader {
	pc_run *run;
	pc_input *in;
	const pc_ingest_opts *opts;
	size_t max_line, max_tag_values;

	pc_map *metric_map;
	k6_metric *metric_cache[64]; /* by name: a request's lines name a dozen metrics in turn */
	k6_metric **metrics;
	size_t nmetrics, capmetrics;

	pc_map *ts_raw, *ts_canon; /* raw tags bytes / canonical tags -> k6_tagset */
	k6_tagset **tagsets;
	size_t ntagsets, captagsets;
	char *last_raw; /* the previous fast-path tags bytes: a request's lines share them */
	size_t last_raw_len, last_raw_cap;
	k6_tagset *last_ts;

	char hour_key[13]; /* timestamp cache: "YYYY-MM-DDTHH" and its local-hour ns */
	int64_t hour_ns;
	char last_time[40]; /* the previous Point's time string: a request's lines share it */
	size_t last_time_len;
	int64_t last_time_ns;

	int have_base;
	int64_t base_ns, tmin, tmax;
	uint64_t lineno, points, bad_json, bad_value, first_bad;
	int cut_last;

	k6_second *secs; /* per second from sec0 */
	int64_t sec0;
	size_t nsecs;

	k6_spec *specs;
	size_t nspecs;
} k6_reader;

/* Turn what the reader accumulated into the run's series, statistics, histograms, slices,
 * timeline, checks, profile and config. 0, PC_EINPUT (no valid point), PC_ENOMEM. */
int pc_k6_points_finish(k6_reader *r);

/* Test hook (fuzz/, tests/): one line through one path of the scanner, in a fresh reader.
 * fast = 1: the single-pass Point scanner only; fast = 0: cJSON only. */
typedef struct k6_line_probe {
	int result;    /* K6_PROBE_* */
	char *metric;  /* for K6_PROBE_POINT: the point's metric, tags (canonical), time, value */
	char *tags;
	int64_t t;
	double v;
} k6_line_probe;

enum { K6_PROBE_POINT, K6_PROBE_BAD_JSON, K6_PROBE_BAD_VALUE, K6_PROBE_OTHER, K6_PROBE_DECLINED };

/* Fills *out (free it with pc_k6_points_probe_release). 0 or PC_ENOMEM. */
int pc_k6_points_probe_line(k6_line_probe *out, const char *line, size_t n, int fast);
void pc_k6_points_probe_release(k6_line_probe *p);

#endif
