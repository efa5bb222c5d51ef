/* Comparing runs: profiles (which series and statistics, the worse direction, budgets), and the
 * verdict per row and overall (../shared/STATS.md). Takes loaded runs, never a store. */
#ifndef PERFCMP_COMPARE_H
#define PERFCMP_COMPARE_H

#include <stddef.h>

#include "perfcmp/run.h"

/* One rule of a profile: compare `stats` of the series of metrics matching `metric` (a glob),
 * with the tag-key sets in `by` ("" = the whole metric, "name", "name+status"). */
typedef struct pc_rule {
	char *metric;
	char **by;
	size_t nby;
	char **stats;
	size_t nstats;
	int higher_is_worse; /* "worse": "higher" (latency, errors) or "lower" (checks, throughput) */
	double relative;     /* budget: a change counts when |Δ| > relative·|baseline| ... */
	double absolute;     /* ... and |Δ| > absolute (in the series' unit) */
} pc_rule;

typedef struct pc_profile {
	char *name;
	char *path;
	char *description;
	pc_rule *k6, *playwright; /* NULL/0 when the file has none for that tool */
	size_t nk6, nplaywright;
} pc_profile;

/* Parse a profile file. PC_EINPUT (naming the key) when it is malformed. */
int pc_profile_load(pc_profile **out, const char *path);
void pc_profile_free(pc_profile *p);

typedef enum pc_verdict {
	PC_V_UNCHANGED,
	PC_V_IMPROVEMENT,
	PC_V_INCONCLUSIVE,
	PC_V_REGRESSION,
} pc_verdict;
const char *pc_verdict_name(pc_verdict v);

/* One compared statistic of one series. Values are in the series' unit; NaN when unknown. */
typedef struct pc_row {
	char *metric, *tags, *stat, *unit;
	double baseline, candidate;
	double delta_pct;            /* (candidate / baseline − 1) · 100 */
	double ci_low, ci_high;      /* interval of the change, %, NaN when none */
	double p, p_holm;            /* NaN when no test was made */
	double base_lo, base_hi;     /* within-run order-statistic interval of each side's value */
	double cand_lo, cand_hi;
	size_t n_base, n_cand;       /* samples (single runs) */
	size_t k_base, k_cand;       /* time blocks (single runs) or runs (windows) */
	const char *noise;           /* what the test rests on: "time blocks", "runs", ... */
	int beyond_budget;           /* |Δ| exceeds the budget */
	int under_floor;             /* beyond the relative budget but not the absolute floor */
	double floor;                /* the absolute floor, in the unit */
	int worse;                   /* the change goes in the worse direction */
	int guard_failed;            /* too few samples, blocks or runs */
	int autocorrelated;          /* block spread > 1.5× what independent samples give */
	pc_verdict verdict;
	char reason[256];
} pc_row;

typedef struct pc_comparison {
	pc_row *rows;
	size_t nrows, caprows;
	pc_verdict verdict;
	size_t counts[4];            /* rows per verdict, before --only-changed/--metric hid any */
	char **warnings;
	size_t nwarnings, capwarnings;
	const char *profile_used;
} pc_comparison;

typedef struct pc_compare_opts {
	const char *metric_glob; /* --metric: show only rows whose metric matches (after Holm, so
				  * filtering never changes a verdict) */
	const char *by;          /* --by: replaces every rule's "by" ("name,scenario", "name+status") */
	int only_changed;        /* --only-changed: drop unchanged rows */
	int force;               /* --force: compare sides that are not comparable */
	double alpha;            /* 0 = 0.05 */
} pc_compare_opts;

/* Compare candidate runs against baseline runs with the profile's rules for the candidate's
 * tool. Either side may hold one run or a window of runs. PC_EUSAGE when the sides are not
 * comparable (different tools; VU shape without opts->force), with a message saying why. */
int pc_compare(pc_comparison **out, pc_run *const *base, size_t nbase, pc_run *const *cand,
	       size_t ncand, const pc_profile *profile, const pc_compare_opts *opts);
void pc_comparison_free(pc_comparison *c);

/* Time blocks of one series for the block test (STATS.md): the q-quantile (q < 0: the mean) of
 * each non-empty block of K = min(10, n / m) equal time blocks. *k blocks into out[10]; *n the
 * samples. PC_ENOTFOUND when the series holds no samples or time structure. */
int pc_series_blocks(const pc_series *s, const pc_run *run, double q, double out[10], size_t *k,
		     size_t *n);
/* Samples per block the block test needs for the q-quantile (5, 10, 15, 40, 400; the mean: 5). */
size_t pc_block_min_samples(double q);

#endif
