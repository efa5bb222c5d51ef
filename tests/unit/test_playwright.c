/* Unit tests of the Playwright JSON report parser (src/ingest/playwright.c), on the real reports
 * in tests/fixtures/playwright/ and on small inline documents for the malformed shapes. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ingest/ingest_internal.h"
#include "perfcmp/error.h"
#include "perfcmp/ingest.h"
#include "perfcmp/run.h"
#include "perfcmp/strutil.h"

#define FIX "tests/fixtures/playwright/"
#define BASELINE_C FIX "pw1.65.2_smoke_baseline-c.json"
#define REPEAT5 FIX "pw1.65.2_repeat5_baseline.json.gz"
#define V1_49 FIX "pw1.49.1_smoke_baseline.json"
#define V1_31 FIX "pw1.31.1_AlexanderValeriano_E2EPlaywrightInterial_jsonReport.json"
#define V1_48 FIX "pw1.48.2_ASYB_playwright-reporters_test-results.json"
#define V1_58 FIX "pw1.58.2_AERCHAIN-HIRAK_hg_playwright_report_results.json"
#define INTERRUPTED FIX "pw1.65.2_smoke_interrupted.json"
#define DESKTOP "chromium-desktop"
#define MOBILE "chromium-mobile"
#define STOCK "catalog \xe2\x80\xba stock badge shows availability"

static pc_run *load(const char *path)
{
	pc_run *run = NULL;
	int rc = pc_ingest_file(&run, path, NULL);

	cr_assert_eq(rc, 0, "%s: %s", path, pc_error_msg());
	cr_assert_eq(run->source, PC_SRC_PLAYWRIGHT);
	return run;
}

/* The document read independently of the reader under test (gzread reads plain files too). */
static cJSON *load_json(const char *path)
{
	gzFile f = gzopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int n;
	cJSON *root;

	cr_assert_not_null(f, "%s", path);
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			text = realloc(text, cap);
			cr_assert_not_null(text);
		}
		n = gzread(f, text + len, (unsigned)(cap - len - 1));
		cr_assert_geq(n, 0);
		len += (size_t)n;
	} while (n > 0);
	gzclose(f);
	text[len] = '\0';
	root = cJSON_Parse(text);
	free(text);
	cr_assert_not_null(root, "%s does not parse", path);
	return root;
}

static char *tags1(const char *k, const char *v)
{
	char *t = pc_tags_canon(&k, &v, 1);

	cr_assert_not_null(t);
	return t;
}

static char *test_tags(const char *file, const char *title, const char *project)
{
	const char *k[] = {"file", "title", "project"}, *v[] = {file, title, project};
	char *t = pc_tags_canon(k, v, 3);

	cr_assert_not_null(t);
	return t;
}

static pc_series *series(const pc_run *run, const char *metric, const char *tags)
{
	pc_series *s = pc_run_find_series(run, metric, tags);

	cr_assert_not_null(s, "no series %s %s", metric, tags);
	return s;
}

static pc_series *project_series(const pc_run *run, const char *metric, const char *project)
{
	char *t = tags1("project", project);
	pc_series *s = pc_run_find_series(run, metric, t);

	cr_assert_not_null(s, "no series %s %s", metric, t);
	free(t);
	return s;
}

static double stat(const pc_series *s, const char *name)
{
	double v = NAN;

	cr_assert_eq(pc_series_get_stat(s, name, &v), 0, "%s %s has no %s", s->metric, s->tags, name);
	return v;
}

static const pc_test *find_test(const pc_run *run, const char *title, const char *project)
{
	size_t i;

	for (i = 0; i < run->ntests; i++)
		if (strcmp(run->tests[i].title, title) == 0 && strcmp(run->tests[i].project, project) == 0)
			return &run->tests[i];
	cr_assert_fail("no test \"%s\" [%s]", title, project);
	return NULL;
}

static int has_warning(const pc_run *run, const char *part)
{
	size_t i;

	for (i = 0; i < run->nwarnings; i++)
		if (strstr(run->warnings[i], part))
			return 1;
	return 0;
}

static void assert_totals(const pc_run *run, long long e, long long u, long long f, long long s)
{
	cr_assert_eq(run->has_totals, 1);
	cr_assert_eq(run->totals.expected, e, "expected %lld, want %lld", run->totals.expected, e);
	cr_assert_eq(run->totals.unexpected, u, "unexpected %lld, want %lld", run->totals.unexpected, u);
	cr_assert_eq(run->totals.flaky, f, "flaky %lld, want %lld", run->totals.flaky, f);
	cr_assert_eq(run->totals.skipped, s, "skipped %lld, want %lld", run->totals.skipped, s);
}

/* An independent walk of the report: the values of perf annotation `type` from passed attempts,
 * per project (project == NULL: all). Reads results[].annotations, else the entry's for the last
 * attempt. */
typedef struct walk_out {
	double *v;
	size_t n, cap;
} walk_out;

static void walk_add(walk_out *w, double v)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->v = realloc(w->v, w->cap * sizeof(*w->v));
		cr_assert_not_null(w->v);
	}
	w->v[w->n++] = v;
}

static void walk_suite(const cJSON *suite, const char *type, const char *project, walk_out *w)
{
	const cJSON *spec, *test, *sub;

	cJSON_ArrayForEach(spec, cJSON_GetObjectItem(suite, "specs"))
	{
		cJSON_ArrayForEach(test, cJSON_GetObjectItem(spec, "tests"))
		{
			const cJSON *results = cJSON_GetObjectItem(test, "results"), *r;
			const char *pn = cJSON_GetObjectItem(test, "projectName")->valuestring;
			int i = 0, n = cJSON_GetArraySize(results);

			if (project && strcmp(pn, project) != 0)
				continue;
			cJSON_ArrayForEach(r, results)
			{
				const cJSON *anns = cJSON_GetObjectItem(r, "annotations"), *a;
				int last = i++ == n - 1;

				if (strcmp(cJSON_GetObjectItem(r, "status")->valuestring, "passed") != 0)
					continue;
				if (!anns && last)
					anns = cJSON_GetObjectItem(test, "annotations");
				cJSON_ArrayForEach(a, anns)
				{
					const char *t = cJSON_GetObjectItem(a, "type")->valuestring;
					if (strcmp(t, type) == 0)
						walk_add(w, atof(cJSON_GetObjectItem(a, "description")->valuestring));
				}
			}
		}
	}
	cJSON_ArrayForEach(sub, cJSON_GetObjectItem(suite, "suites"))
		walk_suite(sub, type, project, w);
}

static walk_out walk(const char *path, const char *type, const char *project)
{
	cJSON *root = load_json(path);
	const cJSON *s;
	walk_out w = {NULL, 0, 0};

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "suites"))
		walk_suite(s, type, project, &w);
	cJSON_Delete(root);
	return w;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* k6's percentile, written out again: i = q(n-1), linear between the neighbours. */
static double k6_percentile(double *v, size_t n, double q)
{
	double i = q * (double)(n - 1);
	size_t lo = (size_t)floor(i), hi = (size_t)ceil(i);

	qsort(v, n, sizeof(*v), cmp_double);
	return v[lo] + (v[hi] - v[lo]) * (i - (double)lo);
}

static int64_t ts(const char *iso)
{
	int64_t ns = 0;

	cr_assert_eq(pc_time_parse(iso, strlen(iso), &ns), 0);
	return ns;
}

/* Parse an inline document with the parser directly. */
static int parse_doc(const char *json, pc_run **out)
{
	cJSON *root = cJSON_Parse(json);
	pc_run *run = pc_run_new(PC_SRC_PLAYWRIGHT);
	int rc;

	cr_assert_not_null(root, "test document does not parse: %s", json);
	cr_assert_not_null(run);
	cr_assert(pc_playwright_detect(root), "not detected: %s", json);
	pc_error_clear();
	rc = pc_playwright_parse(run, root);
	cJSON_Delete(root);
	if (out)
		*out = run;
	else
		pc_run_free(run);
	return rc;
}

static void assert_bad(const char *json, const char *part)
{
	int rc = parse_doc(json, NULL);

	cr_assert_eq(rc, PC_EINPUT, "rc %d for %s", rc, json);
	cr_assert_not_null(strstr(pc_error_msg(), part), "message \"%s\" lacks \"%s\"", pc_error_msg(),
			   part);
}

/* One spec with one test entry whose results are `results`; `extra` goes into the test object. */
static char *doc_one(const char *version, const char *status, const char *extra,
		     const char *results)
{
	static const char fmt[] =
		"{\"config\":{\"version\":\"%s\",\"metadata\":{}},\"suites\":[{\"title\":\"a.spec.ts\","
		"\"file\":\"a.spec.ts\",\"specs\":[{\"title\":\"t\",\"file\":\"a.spec.ts\",\"tests\":[{"
		"\"projectName\":\"p\",\"status\":\"%s\"%s,\"results\":%s}]}]}]}";
	size_t n = sizeof(fmt) + strlen(version) + strlen(status) + strlen(extra) + strlen(results);
	char *d = malloc(n);

	cr_assert_not_null(d);
	snprintf(d, n, fmt, version, status, extra, results);
	return d;
}

Test(playwright, run_keys_from_config_and_stats)
{
	pc_run *run = load(BASELINE_C);

	cr_assert_str_eq(run->profile, "smoke");
	cr_assert_str_eq(run->config, "dev_perf");
	cr_assert_str_eq(run->tool_version, "1.65.2");
	cr_assert_eq(run->started_at, ts("2026-12-04T19:22:28.315Z"));
	cr_assert_float_eq(run->duration, 37.179574, 1e-9);
	cr_assert_eq(run->nwarnings, 0, "unexpected warning: %s", run->nwarnings ? run->warnings[0] : "");
	pc_run_free(run);
}

Test(playwright, baseline_totals_and_test_records)
{
	pc_run *run = load(BASELINE_C);
	const pc_test *t;

	assert_totals(run, 15, 2, 2, 3);
	cr_assert_eq(run->ntests, 22);
	t = find_test(run, STOCK, DESKTOP);
	cr_assert_str_eq(t->file, "catalog.spec.ts");
	cr_assert_str_eq(t->outcome, "flaky");
	cr_assert_eq(t->attempts, 2);
	cr_assert_eq(t->retries, 1);
	cr_assert_eq(t->repeat, 0);
	t = find_test(run, STOCK, MOBILE);
	cr_assert_str_eq(t->outcome, "flaky");
	cr_assert_eq(t->attempts, 2);
	t = find_test(run, "cart total applies 10% discount once", MOBILE);
	cr_assert_str_eq(t->outcome, "unexpected");
	cr_assert_eq(t->attempts, 2);
	t = find_test(run, "hover menu reveals deals", MOBILE);
	cr_assert_str_eq(t->outcome, "skipped");
	pc_run_free(run);
}

/* The failed attempts also carry perf:ttfb annotations: they must not become samples. */
Test(playwright, perf_samples_only_from_passed_attempts)
{
	pc_run *run = load(BASELINE_C);
	walk_out d = walk(BASELINE_C, "perf:ttfb", DESKTOP), m = walk(BASELINE_C, "perf:ttfb", MOBILE);
	char *cart = test_tags("checkout.spec.ts", "cart total applies 10% discount once", DESKTOP);
	char *stock = test_tags("catalog.spec.ts", STOCK, DESKTOP);

	cr_assert_eq(d.n, 7); /* hand-checked: 6 single-attempt page tests + the flaky retry */
	cr_assert_eq(m.n, 7);
	cr_assert_eq(project_series(run, "perf:ttfb", DESKTOP)->nsamples, d.n);
	cr_assert_eq(project_series(run, "perf:ttfb", MOBILE)->nsamples, m.n);
	cr_assert_float_eq(stat(project_series(run, "perf:ttfb", DESKTOP), "count"), 7, 0);
	cr_assert_eq(series(run, "perf:ttfb", "{}")->nsamples, 14);
	cr_assert_null(pc_run_find_series(run, "perf:ttfb", cart), "both cart attempts failed");
	cr_assert_eq(series(run, "perf:ttfb", stock)->nsamples, 1, "only the passed retry counts");
	cr_assert_eq(series(run, "perf:api_stock", stock)->nsamples, 1);
	free(cart);
	free(stock);
	free(d.v);
	free(m.v);
	pc_run_free(run);
}

Test(playwright, pooled_ttfb_median_matches_independent_computation)
{
	pc_run *run = load(BASELINE_C);
	walk_out w = walk(BASELINE_C, "perf:ttfb", NULL);
	pc_series *s = series(run, "perf:ttfb", "{}");
	double p50, p90;

	cr_assert_eq(w.n, 14);
	p50 = k6_percentile(w.v, w.n, 0.5);
	p90 = k6_percentile(w.v, w.n, 0.9);
	cr_assert_float_eq(stat(s, "p50"), p50, 1e-9);
	cr_assert_float_eq(stat(s, "p90"), p90, 1e-9);
	cr_assert_float_eq(stat(s, "min"), w.v[0], 0);
	cr_assert_float_eq(stat(s, "max"), w.v[w.n - 1], 0);
	cr_assert(fabs(stat(s, "p50") - 92) < 1, "README says ~92 ms, got %g", stat(s, "p50"));
	cr_assert_str_eq(s->unit, "ms");
	cr_assert_eq(s->kind, PC_KIND_TREND);
	free(w.v);
	pc_run_free(run);
}

Test(playwright, duration_series_and_units)
{
	pc_run *run = load(BASELINE_C);
	char *hero = test_tags("home.spec.ts", "hero image is the largest contentful paint", MOBILE);
	pc_series *d = series(run, "duration", "{}");

	/* 22 entries: 3 skipped, 2 unexpected, 17 with one passed attempt (15 + 2 flaky retries) */
	cr_assert_eq(d->nsamples, 17);
	cr_assert_str_eq(d->unit, "ms");
	cr_assert_eq(series(run, "duration", hero)->nsamples, 1);
	cr_assert_str_eq(series(run, "perf:js_heap_used", "{}")->unit, "bytes");
	cr_assert_str_eq(series(run, "perf:layout_count", "{}")->unit, "count");
	cr_assert_str_eq(series(run, "perf:lcp", hero)->unit, "ms");
	cr_assert_eq(series(run, "perf:lcp", hero)->samples[0].t, ts("2026-12-04T19:23:04.100Z"));
	cr_assert_float_eq(series(run, "perf:lcp", hero)->samples[0].v, 200, 0);
	free(hero);
	pc_run_free(run);
}

Test(playwright, test_outcome_rates)
{
	pc_run *run = load(BASELINE_C);
	pc_series *f = series(run, "tests_failed", "{}"), *k = series(run, "tests_flaky", "{}");
	pc_series *fd = project_series(run, "tests_failed", DESKTOP);
	pc_series *fm = project_series(run, "tests_failed", MOBILE);

	/* 19 entries ran (3 skipped): 2 unexpected, 2 flaky */
	cr_assert_eq(f->kind, PC_KIND_RATE);
	cr_assert_str_eq(f->unit, "ratio");
	cr_assert_float_eq(stat(f, "passes"), 2, 0);
	cr_assert_float_eq(stat(f, "fails"), 17, 0);
	cr_assert_float_eq(stat(f, "rate"), 2.0 / 19.0, 1e-12);
	cr_assert_float_eq(stat(k, "passes"), 2, 0);
	cr_assert_float_eq(stat(fd, "passes"), 1, 0);
	cr_assert_float_eq(stat(fd, "fails"), 9, 0); /* desktop: 11 entries, 1 fixme */
	cr_assert_float_eq(stat(fm, "fails"), 8, 0); /* mobile: fixme + runtime skip */
	cr_assert_float_eq(stat(project_series(run, "tests_flaky", MOBILE), "rate"), 1.0 / 9.0, 1e-12);
	pc_run_free(run);
}

Test(playwright, repeat_each_keeps_every_entry)
{
	pc_run *run = load(REPEAT5);
	walk_out d = walk(REPEAT5, "perf:ttfb", DESKTOP), all = walk(REPEAT5, "perf:ttfb", NULL);
	char *stock = test_tags("catalog.spec.ts", STOCK, MOBILE);
	size_t i, repeats = 0, flaky = 0;
	double p50;

	assert_totals(run, 83, 10, 2, 15);
	cr_assert_eq(run->ntests, 110);
	for (i = 0; i < run->ntests; i++) {
		const pc_test *t = &run->tests[i];
		if (strcmp(t->title, STOCK) != 0 || strcmp(t->project, MOBILE) != 0)
			continue;
		cr_assert_eq(t->repeat, (int)repeats, "repeat %d at entry %zu", t->repeat, repeats);
		flaky += strcmp(t->outcome, "flaky") == 0;
		repeats++;
	}
	cr_assert_eq(repeats, 5);
	cr_assert_eq(flaky, 1);
	cr_assert_eq(series(run, "perf:ttfb", stock)->nsamples, 5);
	cr_assert_eq(d.n, 35);
	cr_assert_eq(project_series(run, "perf:ttfb", DESKTOP)->nsamples, d.n);
	cr_assert_eq(all.n, 70);
	p50 = k6_percentile(all.v, all.n, 0.5);
	cr_assert_float_eq(stat(series(run, "perf:ttfb", "{}"), "p50"), p50, 1e-9);
	cr_assert(fabs(p50 - 92) < 1, "README says ttfb median 92 ms, got %g", p50);
	free(stock);
	free(d.v);
	free(all.v);
	pc_run_free(run);
}

/* 1.49.1: perf annotations only on tests[] (last attempt), a spec object per project. */
Test(playwright, old_format_gives_the_same_series)
{
	pc_run *old = load(V1_49), *cur = load(BASELINE_C);
	walk_out m = walk(V1_49, "perf:ttfb", MOBILE);
	char *stock = test_tags("catalog.spec.ts", STOCK, MOBILE);
	size_t i;

	cr_assert_str_eq(old->tool_version, "1.49.1");
	assert_totals(old, 15, 2, 2, 3);
	cr_assert_eq(old->ntests, 22);
	cr_assert_eq(find_test(old, STOCK, MOBILE)->repeat, 0, "unmerged specs are not repeats");
	cr_assert_eq(old->nseries, cur->nseries, "1.49.1 has %zu series, 1.65.2 %zu", old->nseries,
		     cur->nseries);
	for (i = 0; i < cur->nseries; i++)
		cr_assert_not_null(pc_run_find_series(old, cur->series[i]->metric, cur->series[i]->tags),
				   "1.49.1 lacks %s %s", cur->series[i]->metric, cur->series[i]->tags);
	cr_assert_eq(m.n, 7);
	cr_assert_eq(project_series(old, "perf:ttfb", MOBILE)->nsamples, 7);
	cr_assert_eq(series(old, "perf:ttfb", stock)->nsamples, 1);
	cr_assert_eq(old->nwarnings, 0, "unexpected warning: %s", old->nwarnings ? old->warnings[0] : "");
	free(stock);
	free(m.v);
	pc_run_free(old);
	pc_run_free(cur);
}

Test(playwright, public_1_48_unnamed_project)
{
	pc_run *run = load(V1_48);

	assert_totals(run, 26, 1, 0, 0);
	cr_assert_eq(run->ntests, 27);
	cr_assert_str_eq(find_test(run, "has title", "")->file, "tests/ fail.spec.js");
	cr_assert_float_eq(stat(project_series(run, "duration", ""), "count"), 26, 0);
	cr_assert_null(run->profile);
	cr_assert_null(run->config);
	cr_assert_eq(run->started_at, ts("2024-11-09T14:26:59.372Z"));
	pc_run_free(run);
}

Test(playwright, public_1_58_timed_out)
{
	pc_run *run = load(V1_58);
	const pc_test *t = find_test(run, "Aerchain - NSE \xe2\x80\xba Intake Create @Positive", "tests");

	assert_totals(run, 1, 1, 0, 0);
	cr_assert_str_eq(t->outcome, "unexpected");
	cr_assert_eq(t->attempts, 1);
	/* the timedOut attempt (30233 ms) is not a duration sample; the setup test's is */
	cr_assert_eq(series(run, "duration", "{}")->nsamples, 1);
	cr_assert_float_eq(stat(series(run, "duration", "{}"), "max"), 6528, 0);
	pc_run_free(run);
}

Test(playwright, public_1_31_without_stats)
{
	pc_run *run = load(V1_31);
	const pc_test *t = find_test(run, "Login Page Visual Tests \xe2\x80\xba Login Form", "webkit");

	cr_assert_str_eq(run->tool_version, "1.31.1");
	assert_totals(run, 1, 1, 0, 0);
	cr_assert_eq(run->started_at, ts("2023-03-22T11:49:11.100Z"), "earliest attempt");
	cr_assert(isnan(run->duration));
	cr_assert_str_eq(t->outcome, "expected");
	cr_assert_eq(run->nwarnings, 0);
	pc_run_free(run);
}

Test(playwright, interrupted_run)
{
	pc_run *run = load(INTERRUPTED);
	size_t i, never = 0;

	assert_totals(run, 11, 1, 2, 8);
	cr_assert_eq(run->ntests, 22);
	for (i = 0; i < run->ntests; i++) {
		if (run->tests[i].attempts != 0)
			continue;
		never++;
		cr_assert_str_eq(run->tests[i].outcome, "skipped");
		cr_assert_str_eq(run->tests[i].project, MOBILE);
	}
	cr_assert_eq(never, 7);
	cr_assert(has_warning(run, "7 test entries never started"), "warnings: %zu", run->nwarnings);
	cr_assert(!has_warning(run, "stats say"), "the stats agree with the entries");
	cr_assert_eq(project_series(run, "perf:ttfb", DESKTOP)->nsamples, 7);
	cr_assert_eq(project_series(run, "perf:ttfb", MOBILE)->nsamples, 4);
	cr_assert_float_eq(stat(project_series(run, "tests_failed", MOBILE), "passes"), 0, 0);
	cr_assert_float_eq(stat(project_series(run, "tests_failed", MOBILE), "fails"), 4, 0);
	cr_assert_float_eq(run->duration, 25.685, 1e-9);
	pc_run_free(run);
}

Test(playwright, gzip_and_plain_reports_read_alike)
{
	pc_run *c = load(FIX "pw1.65.2_smoke_candidate-c.json.gz");
	pc_run *d = load(FIX "pw1.65.2_smoke_baseline-d.json.gz");

	assert_totals(c, 15, 2, 2, 3);
	assert_totals(d, 15, 2, 2, 3);
	/* README: candidate-c is ttfb +20 % (111 ms) over baseline-c */
	cr_assert(fabs(stat(series(c, "perf:ttfb", "{}"), "p50") - 111) < 1.5, "got %g",
		  stat(series(c, "perf:ttfb", "{}"), "p50"));
	pc_run_free(c);
	pc_run_free(d);
}

Test(playwright, stats_that_disagree_warn)
{
	const char *doc = "{\"config\":{\"version\":\"1.50.0\"},\"stats\":{\"startTime\":"
			  "\"2026-01-01T00:00:00Z\",\"duration\":1500,\"expected\":5,\"unexpected\":0,"
			  "\"flaky\":0,\"skipped\":0},\"suites\":[{\"title\":\"a\",\"file\":\"a\",\"specs\":"
			  "[{\"title\":\"t\",\"tests\":[{\"projectName\":\"p\",\"status\":\"expected\","
			  "\"results\":[{\"status\":\"passed\",\"duration\":10}]}]}]}]}";
	pc_run *run = NULL;

	cr_assert_eq(parse_doc(doc, &run), 0, "%s", pc_error_msg());
	assert_totals(run, 5, 0, 0, 0);
	cr_assert(has_warning(run, "stats say 5 expected"));
	cr_assert_float_eq(run->duration, 1.5, 1e-12);
	cr_assert_eq(run->started_at, ts("2026-01-01T00:00:00Z"));
	cr_assert_null(run->profile);
	pc_run_free(run);
}

Test(playwright, only_failures_report_warns)
{
	const char *stats = "{\"config\":{\"version\":\"1.65.0\"},"
			    "\"stats\":{\"expected\":0,\"unexpected\":1,\"flaky\":0,\"skipped\":0},"
			    "\"suites\":[{\"title\":\"a\",\"file\":\"a\",\"specs\":[{\"title\":\"t\","
			    "\"tests\":[{\"projectName\":\"p\",\"status\":\"unexpected\","
			    "\"results\":[{\"status\":\"failed\",\"duration\":10}]}]}]}]}";
	const char *opt = "{\"config\":{\"version\":\"1.65.0\","
			  "\"reporter\":[[\"list\",null],[\"json\",{\"onlyFailures\":true}]]},"
			  "\"suites\":[]}";
	const char *old = "{\"config\":{\"version\":\"1.60.0\"},"
			  "\"stats\":{\"expected\":0,\"unexpected\":1,\"flaky\":0,\"skipped\":0},"
			  "\"suites\":[{\"title\":\"a\",\"file\":\"a\",\"specs\":[{\"title\":\"t\","
			  "\"tests\":[{\"projectName\":\"p\",\"status\":\"unexpected\","
			  "\"results\":[{\"status\":\"failed\",\"duration\":10}]}]}]}]}";
	pc_run *run = NULL;

	cr_assert_eq(parse_doc(stats, &run), 0, "%s", pc_error_msg());
	cr_assert(has_warning(run, "onlyFailures"));
	pc_run_free(run);
	/* the option in config.reporter is enough, with or without stats */
	cr_assert_eq(parse_doc(opt, &run), 0, "%s", pc_error_msg());
	cr_assert(has_warning(run, "onlyFailures"));
	pc_run_free(run);
	/* before 1.65, nothing passing is just a failing run */
	cr_assert_eq(parse_doc(old, &run), 0, "%s", pc_error_msg());
	cr_assert(!has_warning(run, "onlyFailures"));
	cr_assert_eq(run->nwarnings, 0);
	pc_run_free(run);
}

/* Before 1.52 the entry's annotations are the last attempt's: a failed last attempt gives none. */
Test(playwright, pre_1_52_annotations_belong_to_the_last_attempt)
{
	const char *anns = ",\"annotations\":[{\"type\":\"perf:a\",\"description\":\"7 ms\"}]";
	char *retried = doc_one("1.49.1", "flaky", anns,
				"[{\"status\":\"failed\",\"duration\":5,\"startTime\":\"2026-01-01T00:00:01Z\"},"
				"{\"status\":\"passed\",\"duration\":6,\"startTime\":\"2026-01-01T00:00:02Z\"}]");
	char *failed_last = doc_one("1.49.1", "unexpected", anns,
				    "[{\"status\":\"passed\",\"duration\":5},{\"status\":\"failed\","
				    "\"duration\":6}]");
	pc_run *run = NULL;
	pc_series *s;

	cr_assert_eq(parse_doc(retried, &run), 0, "%s", pc_error_msg());
	s = series(run, "perf:a", "{}");
	cr_assert_eq(s->nsamples, 1);
	cr_assert_eq(s->samples[0].t, ts("2026-01-01T00:00:02Z"));
	cr_assert_eq(run->started_at, ts("2026-01-01T00:00:01Z"));
	pc_run_free(run);
	cr_assert_eq(parse_doc(failed_last, &run), 0, "%s", pc_error_msg());
	cr_assert_null(pc_run_find_series(run, "perf:a", "{}"));
	cr_assert_eq(series(run, "duration", "{}")->nsamples, 1, "the passed first attempt's duration");
	pc_run_free(run);
	free(retried);
	free(failed_last);
}

/* An entry with no attempts did not run, whatever its status claims. */
Test(playwright, entry_without_attempts_is_a_skip)
{
	char *doc = doc_one("1.65.2", "unexpected", "", "[]");
	pc_run *run = NULL;

	cr_assert_eq(parse_doc(doc, &run), 0, "%s", pc_error_msg());
	cr_assert_str_eq(run->tests[0].outcome, "skipped");
	cr_assert_eq(run->tests[0].attempts, 0);
	cr_assert_eq(run->tests[0].retries, 0);
	assert_totals(run, 0, 0, 0, 1);
	cr_assert(has_warning(run, "1 test entries never started"));
	cr_assert_eq(series(run, "tests_failed", "{}")->nsamples, 0);
	pc_run_free(run);
	free(doc);
}

Test(playwright, bad_perf_values_are_skipped_and_counted)
{
	char *doc = doc_one("1.65.2", "expected", "",
			    "[{\"status\":\"passed\",\"duration\":5,\"annotations\":["
			    "{\"type\":\"perf:x\",\"description\":\"12\"},"
			    "{\"type\":\"perf:x\",\"description\":\"fast\"},"
			    "{\"type\":\"perf:x\",\"description\":\"inf ms\"},"
			    "{\"type\":\"perf:x\",\"description\":\"1e400 ms\"},"
			    "{\"type\":\"perf:x\"},"
			    "{\"type\":\"perf:\",\"description\":\"1\"},"
			    "{\"type\":\"perf:y\",\"description\":\" 2.5e3  bytes \"},"
			    "{\"type\":\"note\",\"description\":\"not a metric\"},"
			    "{\"type\":\"perf:x\",\"description\":\"3 s\"}, 17, null]}]");
	pc_run *run = NULL;
	pc_series *x, *y;

	cr_assert_eq(parse_doc(doc, &run), 0, "%s", pc_error_msg());
	x = series(run, "perf:x", "{}");
	y = series(run, "perf:y", "{}");
	cr_assert_eq(x->nsamples, 2);
	cr_assert_float_eq(x->samples[0].v, 12, 0);
	cr_assert_str_eq(x->unit, "ms", "a bare number is ms, and the first unit stays");
	cr_assert_str_eq(series(run, "perf:x", "{\"project\":\"p\"}")->unit, "ms");
	cr_assert_float_eq(y->samples[0].v, 2500, 0);
	cr_assert_str_eq(y->unit, "bytes");
	cr_assert(has_warning(run, "5 perf:* annotations skipped"), "%s",
		  run->nwarnings ? run->warnings[0] : "no warning");
	cr_assert(has_warning(run, "\"fast\""), "the first offender is named");
	cr_assert(has_warning(run, "perf:x: unit \"s\""), "the unit clash is named");
	pc_run_free(run);
	free(doc);
}

Test(playwright, describe_titles_and_anonymous_describes)
{
	const char *doc = "{\"config\":{},\"suites\":[{\"title\":\"e2e\\\\a.spec.ts\","
			  "\"file\":\"e2e/a.spec.ts\",\"specs\":[],"
			  "\"suites\":[{\"title\":\"outer\",\"specs\":[],"
			  "\"suites\":[{\"title\":\"\",\"specs\":[{\"title\":\"t\","
			  "\"tests\":[{\"status\":\"skipped\",\"results\":[]}]}]}]}]}]}";
	pc_run *run = NULL;

	cr_assert_eq(parse_doc(doc, &run), 0, "%s", pc_error_msg());
	cr_assert_eq(run->ntests, 1);
	cr_assert_str_eq(run->tests[0].file, "e2e/a.spec.ts", "the posix file, not the suite title");
	cr_assert_str_eq(run->tests[0].title, "outer \xe2\x80\xba t");
	cr_assert_str_eq(run->tests[0].project, "", "no projectName");
	cr_assert_str_eq(run->tool_version, "");
	cr_assert_eq(run->started_at, 0);
	assert_totals(run, 0, 0, 0, 1);
	cr_assert_not_null(pc_run_find_series(run, "tests_failed", "{}"), "pooled rate, empty");
	cr_assert_eq(pc_run_find_series(run, "tests_failed", "{}")->empty, 1);
	pc_run_free(run);
}

Test(playwright, malformed_shapes)
{
	assert_bad("{\"config\":{},\"suites\":{}}", "suites is not an array");
	assert_bad("{\"config\":{},\"suites\":[7]}", "suites[0]: not an object");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":{}}]}",
		   "suites[0]: specs is not an array");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"suites\":[{\"title\":\"d\",\"specs\":["
		   "{\"title\":\"t\"}]}]}]}",
		   "suites[0].suites[0].specs[0]: tests is not an array");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"tests\":[]}]}]}",
		   "suites[0].specs[0]: title is not a string");
	assert_bad("{\"config\":{},\"suites\":[{\"specs\":[]}]}", "suites[0]: file is not a string");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"title\":\"t\",\"tests\":["
		   "{\"status\":\"expected\",\"results\":[]},{\"status\":\"expected\"}]}]}]}",
		   "suites[0].specs[0].tests[1]: results is not an array");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"title\":\"t\",\"tests\":["
		   "{\"status\":\"passed\",\"results\":[]}]}]}]}",
		   "status \"passed\" is not expected");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"title\":\"t\",\"tests\":["
		   "{\"status\":\"expected\",\"results\":[{\"status\":\"passed\",\"duration\":\"9\"}]}]}]}]}",
		   "tests[0].results[0]: duration is not a number");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"title\":\"t\",\"tests\":["
		   "{\"status\":\"expected\",\"results\":[{\"status\":\"passed\",\"duration\":1,"
		   "\"startTime\":\"yesterday\"}]}]}]}]}",
		   "results[0]: startTime is not an RFC 3339 timestamp");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"title\":\"t\",\"tests\":["
		   "{\"status\":\"expected\",\"results\":[{\"duration\":1}]}]}]}]}",
		   "results[0]: status is not a string");
	assert_bad("{\"config\":{},\"suites\":[{\"title\":\"a\",\"specs\":[{\"title\":\"t\",\"tests\":["
		   "{\"status\":\"expected\",\"results\":[{\"status\":\"passed\",\"duration\":1,"
		   "\"annotations\":{}}]}]}]}]}",
		   "results[0]: annotations is not an array");
	assert_bad("{\"config\":{},\"stats\":{\"startTime\":17},\"suites\":[]}",
		   "stats: startTime is not an RFC 3339 timestamp");
	assert_bad("{\"config\":{},\"stats\":{\"duration\":\"long\"},\"suites\":[]}", "stats.duration");
	assert_bad("{\"config\":{},\"stats\":{\"expected\":-1,\"unexpected\":0,\"flaky\":0,\"skipped\":0},"
		   "\"suites\":[]}",
		   "stats.expected is not a count");
	assert_bad("{\"config\":{},\"stats\":[],\"suites\":[]}", "stats is not an object");
}

Test(playwright, malformed_file_through_the_reader)
{
	pc_run *run = NULL;
	int rc = pc_ingest_file(&run, FIX "bad_results_not_array.json", NULL);

	cr_assert_eq(rc, PC_EINPUT);
	cr_assert_null(run);
	cr_assert_str_eq(pc_error_msg(), "suites[0].specs[0].tests[0]: results is not an array");
}

/* n nested describes around one spec. */
static char *nested(int n)
{
	size_t cap = (size_t)n * 48 + 256, len = 0;
	char *d = malloc(cap);
	int i;

	cr_assert_not_null(d);
	len += (size_t)snprintf(d + len, cap - len, "{\"config\":{},\"suites\":[{\"title\":\"f\","
						    "\"file\":\"f\",\"specs\":[],\"suites\":[");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(d + len, cap - len, "{\"title\":\"d\",\"specs\":[],\"suites\":[");
	len += (size_t)snprintf(d + len, cap - len, "{\"title\":\"d\",\"specs\":[{\"title\":\"t\","
						    "\"tests\":[{\"status\":\"skipped\",\"results\":[]}]}]}");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(d + len, cap - len, "]}");
	snprintf(d + len, cap - len, "]}]}");
	return d;
}

Test(playwright, recursion_is_bounded)
{
	char *ok = nested(9), *deep = nested(64);
	pc_run *run = NULL;
	const char *title;

	cr_assert_eq(parse_doc(ok, &run), 0, "%s", pc_error_msg());
	title = run->tests[0].title;
	cr_assert_eq(strncmp(title, "d \xe2\x80\xba d", 7), 0, "%s", title);
	cr_assert_eq(strlen(title), 10 * 1 + 10 * 5 + 1, "10 describes and the test: %s", title);
	pc_run_free(run);
	assert_bad(deep, "nested deeper than");
	free(ok);
	free(deep);
}

Test(playwright, detect)
{
	cJSON *pw = cJSON_Parse("{\"config\":{},\"suites\":[]}");
	cJSON *k6 = cJSON_Parse("{\"metrics\":{},\"root_group\":{}}");
	cJSON *half = cJSON_Parse("{\"config\":[],\"suites\":[]}");

	cr_assert(pc_playwright_detect(pw));
	cr_assert(!pc_playwright_detect(k6));
	cr_assert(!pc_playwright_detect(half));
	cJSON_Delete(pw);
	cJSON_Delete(k6);
	cJSON_Delete(half);
}
