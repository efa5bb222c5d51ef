/* Shared between the parsers in src/ingest/; nothing outside includes this. */
#ifndef PERFCMP_INGEST_INTERNAL_H
#define PERFCMP_INGEST_INTERNAL_H

#include <cjson/cJSON.h>

#include "perfcmp/ingest.h"
#include "perfcmp/input.h"
#include "perfcmp/run.h"

/* k6 --summary-export (legacy flat), handleSummary data, or the v1.5+ machine-readable summary.
 * `root` is the parsed document; run->source is set by the parser. */
int pc_k6_summary_parse(pc_run *run, const cJSON *root);
/* Which of the k6 summary shapes `root` is: 1 when it is one, 0 otherwise. */
int pc_k6_summary_detect(const cJSON *root);

/* Playwright JSON reporter output. Each spec is freed from `root` once read (a report's tree
 * is most of the memory an ingest of it takes); the rest of the tree stays. */
int pc_playwright_parse(pc_run *run, cJSON *root);
int pc_playwright_detect(const cJSON *root);

/* The k6 --out json NDJSON stream, read from `in` to the end. */
int pc_k6_points_read(pc_run *run, pc_input *in, const pc_ingest_opts *opts);

/* Compute the SPEC statistic set of a trend series from its samples: count min max avg stddev
 * p50 p90 p95 p99 p99.9 (k6's percentile definition). 0 or PC_ENOMEM. */
int pc_ingest_summarize(pc_series *s);

/* cJSON helpers: the string value of obj[key], or NULL when absent or not a string. */
const char *pc_json_get_str(const cJSON *obj, const char *key);
/* The number value of obj[key] into *out: 0, or -1 when absent or not a number. */
int pc_json_get_num(const cJSON *obj, const char *key, double *out);

#endif
