/* Charts: gnuplot scripts built from values (runs, comparisons), and gnuplot run as a program
 * to turn a script into SVG or PNG bytes. Never touches the store. Every string that came from
 * a results file is written as an escaped single-quoted gnuplot string (pc_esc_gnuplot), all
 * text is drawn noenhanced, data is inline, and the output carries no timestamp: the same
 * values give the same bytes. Values are in their series' unit (latency: ms). The pc_plot_*
 * chart functions replace the contents of `out` with the script and return 0, or a PC_E* code
 * (out untouched). */
#ifndef PERFCMP_PLOT_H
#define PERFCMP_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "perfcmp/buf.h"
#include "perfcmp/run.h"

struct pc_comparison;
struct pc_compare_sides;

typedef enum pc_plot_kind {
	PC_PLOT_TREND,
	PC_PLOT_COMPARE,
	PC_PLOT_CDF,
	PC_PLOT_TIMELINE,
	PC_PLOT_TESTS,
} pc_plot_kind;
/* "trend", "compare", "cdf", "timeline", "tests"; PC_EUSAGE for anything else. */
int pc_plot_kind_parse(const char *name, pc_plot_kind *out);
const char *pc_plot_kind_name(pc_plot_kind k);

typedef enum pc_plot_format { PC_PLOT_SVG, PC_PLOT_PNG } pc_plot_format;

#define PC_PLOT_WIDTH 960
#define PC_PLOT_HEIGHT 540
#define PC_PLOT_MAX_BARS 40 /* compare/tests: the worst rows beyond this are left out */

typedef struct pc_plot_opts {
	const char *title;     /* NULL: the chart's own title */
	int width, height;     /* pixels, 0: PC_PLOT_WIDTH × PC_PLOT_HEIGHT */
	pc_plot_format format;
} pc_plot_opts;

/* Append s as a gnuplot single-quoted string literal, quotes included: ' doubled (the only
 * escape inside single quotes, where gnuplot does no backslash, backtick or @macro
 * substitution), newlines, tabs and other control bytes as spaces (a newline would end the
 * command), invalid UTF-8 as U+FFFD (the SVG must stay well-formed XML). 0 or a pc_buf error. */
int pc_esc_gnuplot(pc_buf *out, const char *s);

/* Shorten s to at most `max` characters (UTF-8 aware), ending in "…" when cut, into out. */
int pc_plot_shorten(pc_buf *out, const char *s, size_t max);

/* trend: one series' p50/p95/p99 across runs (oldest first), the within-run 95% interval of
 * p95 as a band, and the runs that regressed against the run before marked. A point is filled
 * from a loaded run with pc_plot_trend_point, so the caller need hold only two runs at once. */
enum { PC_TREND_P50 = 1, PC_TREND_P95 = 2, PC_TREND_P99 = 4 };

typedef struct pc_trend_point {
	int64_t run_id;
	char tick[64];        /* "#12 4e34e14" or "#12 release-1" (not yet escaped) */
	int present;          /* the run has the series */
	double p50, p95, p99; /* NaN when absent */
	double lo, hi;        /* the p95 interval; NaN when too few samples */
	int regression;       /* set by the caller: which statistics regressed against the run before,
			       * PC_TREND_P50 | PC_TREND_P95 | PC_TREND_P99 */
} pc_trend_point;

/* Fill *pt from the run's series (metric, tags); *unit (may be NULL) gets its unit, copied
 * into unit[16]. 0 or PC_ENOMEM. */
int pc_plot_trend_point(pc_trend_point *pt, const pc_run *run, const char *metric,
			const char *tags, char unit[16]);
/* PC_ENOTFOUND when no point has the series. `scope` is "profile/config". */
int pc_plot_trend(pc_buf *out, const pc_trend_point *pts, size_t n, const char *metric,
		  const char *tags, const char *unit, const char *scope, const pc_plot_opts *o);

/* compare (tests = 0) and tests (tests = 1): per series bars of one statistic (`stat`; NULL:
 * p95 when the rows have it, else the first row's), baseline against candidate, whiskers the
 * within-run 95% intervals, worst change first, the change and its interval as text. Rows of
 * another unit than the first chosen one are left out. tests = 1 names a bar by its Playwright
 * test (title and project). PC_ENOTFOUND when no row has the statistic. */
int pc_plot_compare(pc_buf *out, const struct pc_comparison *cmp,
		    const struct pc_compare_sides *sides, const char *stat, int tests,
		    const pc_plot_opts *o);

/* cdf: the distributions of one series on each side (histograms merged over a side's runs, or
 * built from its samples), as cumulative curves over a log latency axis. PC_ENOTFOUND when a
 * side has no distribution of the series. */
int pc_plot_cdf(pc_buf *out, pc_run *const *base, size_t nbase, pc_run *const *cand,
		size_t ncand, const char *metric, const char *tags,
		const struct pc_compare_sides *sides, const pc_plot_opts *o);

/* timeline: one run over time from its per-second timeline: requests/s and failed/s with VUs
 * on a second axis, and p50/p95 latency below. PC_ENOTFOUND when the run has no timeline. */
int pc_plot_timeline(pc_buf *out, const pc_run *run, const pc_plot_opts *o);

/* Run gnuplot (from PATH, argv only, never a shell) on the script and collect the image into
 * out (up to 64 MiB). PC_EENV: gnuplot missing (with the install command as the hint), failing
 * (its stderr in the message), or running past timeout_ms. */
int pc_plot_render(pc_buf *out, const char *script, size_t len, int timeout_ms);

#endif
