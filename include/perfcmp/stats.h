/* Pure numeric code: percentiles and summary statistics of raw samples.
 *
 * Percentile definition (k6's TrendSink.P, SPEC.md): sort the n values ascending, i = q·(n−1),
 * interpolate linearly between v[floor(i)] and v[ceil(i)]. n = 1 gives the value for every q;
 * n = 0 gives NaN (k6 prints 0; perfcmp stores no statistic instead). NaN inputs are the
 * caller's to remove: ingest never passes them. */
#ifndef PERFCMP_STATS_H
#define PERFCMP_STATS_H

#include <stddef.h>

/* The quantile q in [0, 1] of n ascending values. */
double pc_quantile_sorted(const double *v, size_t n, double q);

/* Sort n doubles ascending in place. */
void pc_sort_doubles(double *v, size_t n);

/* The SPEC.md statistic set of a trend. stddev uses n − 1 (NaN for n < 2). */
typedef struct pc_summary {
	size_t count;
	double min, max, avg, stddev;
	double p50, p90, p95, p99, p999;
} pc_summary;

/* Summarize n values; sorts `v` in place. For n = 0 every field but count is NaN. */
void pc_summary_compute(pc_summary *out, double *v, size_t n);

#endif
