/* The comparison on real pairs of runs (../shared/samples READMEs say what each pair is) and its
 * rules: budgets, guards, profiles. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/ingest.h"

static pc_run *ingest(const char *path)
{
	pc_run *run = NULL;

	cr_assert_eq(pc_ingest_file(&run, path, NULL), 0, "ingest %s: %s", path, pc_error_msg());
	if (!run->profile)
		run->profile = strdup("default");
	free(run->config);
	run->config = strdup("local");
	return run;
}

static pc_comparison *compare(const char *base, const char *cand, const char *profile)
{
	pc_run *b = ingest(base), *c = ingest(cand);
	pc_profile *p = NULL;
	pc_comparison *cmp = NULL;

	cr_assert_eq(pc_profile_load(&p, profile), 0, "%s", pc_error_msg());
	cr_assert_eq(pc_compare(&cmp, &b, 1, &c, 1, p, NULL), 0, "%s", pc_error_msg());
	pc_profile_free(p);
	pc_run_free(b);
	pc_run_free(c);
	return cmp;
}

static const pc_row *row(const pc_comparison *c, const char *metric, const char *tags,
			 const char *stat)
{
	for (size_t i = 0; i < c->nrows; i++)
		if (!strcmp(c->rows[i].metric, metric) && !strcmp(c->rows[i].tags, tags) &&
		    !strcmp(c->rows[i].stat, stat))
			return &c->rows[i];
	cr_assert_fail("no row %s %s %s", metric, tags, stat);
	return NULL;
}

#define K6 "tests/fixtures/k6/"
#define PW "tests/fixtures/playwright/"

Test(compare, load_30pct_slower_is_a_regression)
{
	pc_comparison *c = compare(K6 "S3-load-baseline/points.ndjson.gz",
				   K6 "S4-load-candidate-slow/points.ndjson.gz", "profiles/load.json");
	const pc_row *all = row(c, "http_req_duration", "{}", "p50");
	const pc_row *items = row(c, "http_req_duration", "{\"name\":\"items-list\"}", "p50");

	cr_assert_eq(c->verdict, PC_V_REGRESSION);
	cr_assert_eq(all->verdict, PC_V_REGRESSION, "%s", all->reason);
	cr_assert_eq(items->verdict, PC_V_REGRESSION, "%s", items->reason);
	/* the change shown is the ratio of k6's own whole-run medians (README: 14.65 -> 19.35) */
	cr_assert(fabs(all->baseline - 14.65) < 0.01 && fabs(all->candidate - 19.35) < 0.01);
	cr_assert(all->p_holm < 0.05 && all->p_holm >= all->p);
	cr_assert(all->ci_low > 0 && all->ci_high > all->ci_low);
	cr_assert_eq(all->k_base, 10);
	cr_assert_eq(all->n_base, 2615);
	/* no row can be a regression without being beyond budget and Holm-significant */
	for (size_t i = 0; i < c->nrows; i++) {
		const pc_row *r = &c->rows[i];
		if (r->verdict == PC_V_REGRESSION)
			cr_assert(r->beyond_budget && r->worse && r->p_holm < 0.05 && !r->guard_failed);
		if (r->guard_failed)
			cr_assert_eq(r->verdict, PC_V_INCONCLUSIVE);
	}
	pc_comparison_free(c);
}

Test(compare, smoke_noise_is_not_a_regression)
{
	pc_comparison *c = compare(K6 "S1-smoke-baseline/points.ndjson.gz",
				   K6 "S2-smoke-rerun-noise/points.ndjson.gz", "profiles/load.json");
	const pc_row *p95 = row(c, "http_req_duration", "{}", "p95");

	cr_assert_neq(c->verdict, PC_V_REGRESSION);
	cr_assert_neq(c->verdict, PC_V_IMPROVEMENT, "38 requests cannot show a 32%% improvement");
	/* the tail of 38 requests: too few samples, not "-32%" */
	cr_assert_eq(p95->verdict, PC_V_INCONCLUSIVE);
	cr_assert(p95->guard_failed);
	cr_assert(strstr(p95->reason, "needs >= 72 samples"), "%s", p95->reason);
	pc_comparison_free(c);
}

Test(compare, summaries_alone_are_inconclusive)
{
	pc_comparison *c = compare(K6 "S3-load-baseline/summary-export.json",
				   K6 "S4-load-candidate-slow/summary-export.json", "profiles/load.json");
	const pc_row *all = row(c, "http_req_duration", "{}", "p50");

	cr_assert_eq(all->verdict, PC_V_INCONCLUSIVE);
	cr_assert(strstr(all->reason, "no samples"), "%s", all->reason);
	cr_assert_neq(c->verdict, PC_V_REGRESSION);
	pc_comparison_free(c);
}

Test(compare, playwright_slower_server_is_never_unchanged)
{
	pc_comparison *c = compare(PW "pw1.65.2_smoke_baseline-c.json",
				   PW "pw1.65.2_smoke_candidate-c.json.gz", "profiles/playwright.json");
	const char *metrics[] = {"perf:ttfb", "perf:api_products_median"};

	for (size_t i = 0; i < 2; i++) {
		const pc_row *r = row(c, metrics[i], "{}", "p50");
		cr_assert(r->verdict == PC_V_REGRESSION || r->verdict == PC_V_INCONCLUSIVE,
			  "%s: %s (%s)", metrics[i], pc_verdict_name(r->verdict), r->reason);
		cr_assert(r->delta_pct > 15, "%s moved %.1f%%", metrics[i], r->delta_pct);
	}
	pc_comparison_free(c);
}

Test(compare, playwright_noise_pair_has_no_regression)
{
	pc_comparison *c = compare(PW "pw1.65.2_smoke_baseline-c.json",
				   PW "pw1.65.2_smoke_baseline-d.json.gz", "profiles/playwright.json");

	cr_assert_neq(c->verdict, PC_V_REGRESSION);
	pc_comparison_free(c);
}

Test(compare, repeat_each_gives_playwright_enough_blocks)
{
	/* 70 ttfb samples per run: 10 time blocks of 7 */
	pc_comparison *c = compare(PW "pw1.65.2_repeat5_baseline.json.gz",
				   PW "pw1.65.2_smoke_candidate-c.json.gz", "profiles/playwright.json");
	const pc_row *r = row(c, "perf:ttfb", "{}", "p50");

	cr_assert_eq(r->k_base, 10);
	cr_assert_eq(r->n_base, 70);
	cr_assert_eq(r->k_cand, 2, "the single run has 14 samples: 2 blocks");
	cr_assert_eq(r->verdict, PC_V_INCONCLUSIVE);
	pc_comparison_free(c);
}

Test(compare, tools_must_match)
{
	pc_run *b = ingest(K6 "S3-load-baseline/points.ndjson.gz");
	pc_run *c = ingest(PW "pw1.65.2_smoke_baseline-c.json");
	pc_profile *p = NULL;
	pc_comparison *cmp = NULL;

	cr_assert_eq(pc_profile_load(&p, "profiles/default.json"), 0);
	cr_assert_eq(pc_compare(&cmp, &b, 1, &c, 1, p, NULL), PC_EUSAGE);
	cr_assert(strstr(pc_error_msg(), "not comparable"), "%s", pc_error_msg());
	pc_profile_free(p);
	pc_run_free(b);
	pc_run_free(c);
}

Test(compare, vu_shape_needs_force)
{
	pc_run *b = ingest(K6 "S3-load-baseline/points.ndjson.gz");
	pc_run *c = ingest(K6 "S5-stress/points.ndjson.gz");
	pc_compare_opts o = {0};
	pc_profile *p = NULL;
	pc_comparison *cmp = NULL;

	cr_assert_eq(pc_profile_load(&p, "profiles/default.json"), 0);
	cr_assert_eq(pc_compare(&cmp, &b, 1, &c, 1, p, &o), PC_EUSAGE);
	cr_assert(strstr(pc_error_msg(), "VU shape"), "%s", pc_error_msg());
	o.force = 1;
	cr_assert_eq(pc_compare(&cmp, &b, 1, &c, 1, p, &o), 0, "%s", pc_error_msg());
	cr_assert(cmp->nwarnings > 0);
	pc_comparison_free(cmp);
	pc_profile_free(p);
	pc_run_free(b);
	pc_run_free(c);
}

Test(compare, budget_floor_and_direction)
{
	/* one synthetic pair: 2000 samples each over 100 s, the candidate 0.1 ms slower on a
	 * 0.2 ms baseline: +50%, but under the 1 ms floor, so unchanged however significant */
	pc_run *b = pc_run_new(PC_SRC_K6_POINTS), *c = pc_run_new(PC_SRC_K6_POINTS);
	pc_series *sb, *sc;
	pc_profile *p = NULL;
	pc_comparison *cmp = NULL;

	b->profile = strdup("load"), b->config = strdup("x");
	c->profile = strdup("load"), c->config = strdup("x");
	cr_assert_eq(pc_run_series(b, &sb, "http_req_duration", "{}", PC_KIND_TREND, "ms"), 0);
	cr_assert_eq(pc_run_series(c, &sc, "http_req_duration", "{}", PC_KIND_TREND, "ms"), 0);
	for (int i = 0; i < 2000; i++) {
		double jitter = (i * 7919 % 1000) / 1e5;
		pc_series_add_sample(sb, (int64_t)i * 50000000, 0.2 + jitter);
		pc_series_add_sample(sc, (int64_t)i * 50000000, 0.3 + jitter);
	}
	pc_series_set_stat(sb, "p50", 0.205);
	pc_series_set_stat(sc, "p50", 0.305);
	cr_assert_eq(pc_profile_load(&p, "profiles/load.json"), 0);
	cr_assert_eq(pc_compare(&cmp, &b, 1, &c, 1, p, NULL), 0, "%s", pc_error_msg());
	cr_assert_eq(cmp->nrows, 1);
	cr_assert(cmp->rows[0].p < 0.001, "the shift is real");
	cr_assert_eq(cmp->rows[0].verdict, PC_V_UNCHANGED, "%s", cmp->rows[0].reason);
	pc_comparison_free(cmp);
	pc_profile_free(p);
	pc_run_free(b);
	pc_run_free(c);
}

Test(compare, profiles_reject_bad_files)
{
	const char *bad[] = {"{\"k6\": 3}", "{\"k6\": [{\"stats\": [\"p50\"]}]}",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": []}]}",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": [\"p50\"], \"worse\": \"up\"}]}",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": [\"p50\"], \"relative\": -1}]}",
			     "{}", "not json",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": [\"p100\"]}]}",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": [\"P95\"]}]}",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": [\"p(95)\"]}]}",
			     "{\"k6\": [{\"metric\": \"x\", \"stats\": [\"p9x\"]}]}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char path[] = "/tmp/perfcmp-profileXXXXXX";
		int fd = mkstemp(path);
		pc_profile *p = NULL;
		cr_assert(write(fd, bad[i], strlen(bad[i])) > 0);
		close(fd);
		cr_assert_eq(pc_profile_load(&p, path), PC_EINPUT, "accepted: %s", bad[i]);
		cr_assert(strstr(pc_error_msg(), "profile"), "%s", pc_error_msg());
		unlink(path);
	}
	for (size_t i = 0; i < 8; i++) {
		static const char *const shipped[] = {"default", "smoke", "load", "stress", "soak",
						      "spike", "breakpoint", "playwright"};
		char path[64];
		pc_profile *p = NULL;
		snprintf(path, sizeof(path), "profiles/%s.json", shipped[i]);
		cr_assert_eq(pc_profile_load(&p, path), 0, "%s: %s", path, pc_error_msg());
		cr_assert(p->nk6 + p->nplaywright > 0);
		pc_profile_free(p);
	}
}
