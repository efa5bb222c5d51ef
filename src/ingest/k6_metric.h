/* k6 metric naming shared by the k6 parsers. */
#ifndef PERFCMP_K6_METRIC_H
#define PERFCMP_K6_METRIC_H

#include "perfcmp/run.h"

/* Split "name{k:v,k2:v2}" into the metric name and the canonical tag set (both new strings,
 * caller frees). k6's rules: the braces hold comma-separated parts, each split at its first ':',
 * spaces and surrounding quotes trimmed; a part without ':' has the value "". PC_EINPUT when a
 * '{' is not closed by the last character. */
int pc_k6_split_name(const char *key, char **metric, char **tags);

/* The unit of a k6 metric: "ms" for contains "time", "bytes" for "data"; when `contains` is NULL
 * (the legacy summary drops it) from the built-in metric names; else "ratio" for rates, "count"
 * for counters, "" otherwise. */
const char *pc_k6_unit(const char *metric, const char *contains, pc_kind kind);

/* Evaluate the k6 threshold `expr` (k6's grammar: `AGG OP VALUE`, AGG one of count rate value
 * min max avg med p(N), OP one of < <= > >= == === !=, spaces allowed around OP) against the
 * statistics of `s`; a p(N) not among them is computed from `sorted` (n ascending values, may
 * be NULL). *ok = 1 when it passes. PC_EINPUT (message says why) when `expr` is not k6 grammar
 * or names a statistic the series does not have. */
int pc_k6_threshold_eval(const pc_series *s, const char *expr, const double *sorted, size_t n,
			 int *ok);

#endif
