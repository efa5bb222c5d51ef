/* Exact percentiles with k6's definition, checked against values worked by hand. */
#include <criterion/criterion.h>
#include <math.h>

#include "perfcmp/stats.h"

Test(stats, k6_percentile_definition)
{
	/* i = q(n-1); v = [1,2,3,4,10]: p50 -> i=2 -> 3; p90 -> i=3.6 -> 4 + 0.6*6 = 7.6;
	 * p95 -> i=3.8 -> 4 + 0.8*6 = 8.8; p99 -> i=3.96 -> 4 + .96*6 = 9.76 */
	double v[] = {10, 3, 1, 4, 2};
	pc_summary s;

	pc_summary_compute(&s, v, 5);
	cr_assert_eq(s.count, 5);
	cr_assert_float_eq(s.p50, 3.0, 1e-12);
	cr_assert_float_eq(s.p90, 7.6, 1e-12);
	cr_assert_float_eq(s.p95, 8.8, 1e-12);
	cr_assert_float_eq(s.p99, 9.76, 1e-12);
	cr_assert_float_eq(s.avg, 4.0, 1e-12);
	/* sample stddev, n-1: sum of squares of deviations = 9+1+0+4+36 = 50; sqrt(50/4) */
	cr_assert_float_eq(s.stddev, sqrt(12.5), 1e-12);
	cr_assert_eq(s.min, 1);
	cr_assert_eq(s.max, 10);
}

Test(stats, edge_cases)
{
	double one[] = {7.5};
	pc_summary s;

	pc_summary_compute(&s, one, 1);
	cr_assert_eq(s.p50, 7.5);
	cr_assert_eq(s.p99, 7.5);
	cr_assert(isnan(s.stddev), "stddev with n - 1 is undefined for one sample");
	pc_summary_compute(&s, NULL, 0);
	cr_assert_eq(s.count, 0);
	cr_assert(isnan(s.p50));
	cr_assert(isnan(pc_quantile_sorted(NULL, 0, 0.5)));
	cr_assert_eq(pc_quantile_sorted(one, 1, 0), 7.5);
}
