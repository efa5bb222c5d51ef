/* k6 summaries: every number of the file is stored under its SPEC name, and the legacy format's
 * inverted threshold booleans agree with the handleSummary file of the same run. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/k6_metric.h"
#include "perfcmp/ingest.h"
#include "perfcmp/run.h"

static const char *const runs[] = {"S1-smoke-baseline", "S2-smoke-rerun-noise", "S3-load-baseline",
				   "S4-load-candidate-slow", "S5-stress"};

static cJSON *load_json(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	cJSON *j;

	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
	buf[n] = 0;
	fclose(f);
	j = cJSON_Parse(buf);
	free(buf);
	cr_assert(j, "%s does not parse", path);
	return j;
}

static pc_run *ingest(const char *path)
{
	pc_run *run = NULL;
	int rc = pc_ingest_file(&run, path, NULL);

	cr_assert_eq(rc, 0, "ingest %s failed: %d", path, rc);
	return run;
}

static pc_series *series_of(pc_run *run, const char *key)
{
	char *metric, *tags;
	pc_series *s;

	cr_assert_eq(pc_k6_split_name(key, &metric, &tags), 0);
	s = pc_run_find_series(run, metric, tags);
	cr_assert(s, "no series for %s", key);
	free(metric);
	free(tags);
	return s;
}

/* Independent of the parser: walk the handleSummary file with cJSON and compare every value. */
Test(k6_summary, handle_summary_numbers_exact)
{
	for (size_t r = 0; r < sizeof(runs) / sizeof(*runs); r++) {
		char path[256];
		snprintf(path, sizeof(path), "tests/fixtures/k6/%s/handle-summary.json", runs[r]);
		cJSON *doc = load_json(path), *m;
		pc_run *run = ingest(path);
		size_t nmetrics = 0;

		cr_assert_eq(run->source, PC_SRC_K6_HANDLE_SUMMARY);
		cJSON_ArrayForEach(m, cJSON_GetObjectItem(doc, "metrics"))
		{
			pc_series *s = series_of(run, m->string);
			cJSON *v;
			nmetrics++;
			cJSON_ArrayForEach(v, cJSON_GetObjectItem(m, "values"))
			{
				char name[24];
				double got;
				cr_assert_eq(pc_stat_name_norm(v->string, name), 0);
				cr_assert_eq(pc_series_get_stat(s, name, &got), 0, "%s: no %s", m->string, name);
				cr_assert_eq(got, v->valuedouble, "%s %s: %.17g != %.17g", m->string, v->string,
					     got, v->valuedouble);
			}
			cr_assert_eq(s->nthresholds,
				     (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(m, "thresholds")));
		}
		cr_assert_eq(run->nseries, nmetrics, "%s: %zu series for %zu metrics", runs[r],
			     run->nseries, nmetrics);
		cr_assert_float_eq(run->duration,
				   cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "state"), "testRunDurationMs")->valuedouble / 1000,
				   1e-12);
		pc_run_free(run);
		cJSON_Delete(doc);
	}
}

/* The legacy file of the same run: same numbers (rate "value" is the ratio), and its threshold
 * booleans mean FAILED: they must be the negation of handleSummary's "ok". */
Test(k6_summary, legacy_matches_handle_summary_with_inverted_thresholds)
{
	for (size_t r = 0; r < sizeof(runs) / sizeof(*runs); r++) {
		char hp[256], lp[256];
		snprintf(hp, sizeof(hp), "tests/fixtures/k6/%s/handle-summary.json", runs[r]);
		snprintf(lp, sizeof(lp), "tests/fixtures/k6/%s/summary-export.json", runs[r]);
		pc_run *h = ingest(hp), *l = ingest(lp);
		cJSON *legacy = load_json(lp), *m;
		size_t i, j, failed = 0;

		cr_assert_eq(l->source, PC_SRC_K6_SUMMARY);
		cr_assert_eq(l->nseries, h->nseries);
		for (i = 0; i < h->nseries; i++) {
			pc_series *hs = h->series[i];
			pc_series *ls = pc_run_find_series(l, hs->metric, hs->tags);
			cr_assert(ls, "%s: legacy lacks %s %s", runs[r], hs->metric, hs->tags);
			cr_assert_eq(ls->kind, hs->kind, "%s %s: kind inferred wrongly", hs->metric, hs->tags);
			cr_assert_eq(ls->empty, hs->empty);
			for (j = 0; j < hs->nstats; j++) {
				double v;
				cr_assert_eq(pc_series_get_stat(ls, hs->stats[j].name, &v), 0);
				cr_assert_eq(v, hs->stats[j].value);
			}
			cr_assert_eq(ls->nthresholds, hs->nthresholds);
			for (j = 0; j < hs->nthresholds; j++) {
				size_t k;
				for (k = 0; k < ls->nthresholds; k++)
					if (strcmp(ls->thresholds[k].expr, hs->thresholds[j].expr) == 0)
						break;
				cr_assert(k < ls->nthresholds);
				cr_assert_eq(ls->thresholds[k].ok, hs->thresholds[j].ok, "%s %s", hs->metric,
					     hs->thresholds[j].expr);
				failed += !hs->thresholds[j].ok;
			}
		}
		/* and against the raw legacy booleans: true = failed */
		cJSON_ArrayForEach(m, cJSON_GetObjectItem(legacy, "metrics"))
		{
			cJSON *t;
			pc_series *s = series_of(l, m->string);
			cJSON_ArrayForEach(t, cJSON_GetObjectItem(m, "thresholds"))
			{
				for (j = 0; j < s->nthresholds; j++)
					if (strcmp(s->thresholds[j].expr, t->string) == 0)
						cr_assert_eq(s->thresholds[j].ok, cJSON_IsFalse(t));
			}
		}
		if (strcmp(runs[r], "S4-load-candidate-slow") == 0)
			cr_assert_eq(failed, 1);
		if (strcmp(runs[r], "S5-stress") == 0)
			cr_assert_eq(failed, 3);
		if (strcmp(runs[r], "S3-load-baseline") == 0)
			cr_assert_eq(failed, 0);
		cJSON_Delete(legacy);
		pc_run_free(h);
		pc_run_free(l);
	}
}

Test(k6_summary, s4_fails_items_list_median_only)
{
	pc_run *run = ingest("tests/fixtures/k6/S4-load-candidate-slow/summary-export.json");
	pc_series *s = series_of(run, "http_req_duration{name:items-list}");
	int found = 0;

	for (size_t i = 0; i < s->nthresholds; i++)
		if (strcmp(s->thresholds[i].expr, "med<26") == 0) {
			cr_assert_eq(s->thresholds[i].ok, 0);
			found = 1;
		}
	cr_assert(found);
	pc_run_free(run);
}

Test(k6_summary, metrics_without_samples_are_marked_empty)
{
	pc_run *run = ingest("tests/fixtures/k6/S3-load-baseline/summary-export.json");

	cr_assert(series_of(run, "never_used_trend")->empty);
	cr_assert(series_of(run, "never_counted")->empty);
	cr_assert_not(series_of(run, "http_req_tls_handshaking")->empty, "all-zero but sampled");
	cr_assert_not(series_of(run, "http_req_duration")->empty);
	pc_run_free(run);
	run = ingest("tests/fixtures/k6/public/noerkholis-high-vol-ticketing__k6-summary.json");
	cr_assert(series_of(run, "http_req_failed{status:>=500}")->empty);
	pc_run_free(run);
}

Test(k6_summary, checks_and_groups_kept)
{
	pc_run *run = ingest("tests/fixtures/k6/S3-load-baseline/summary-export.json");
	int quoted = 0, nested = 0, setup = 0;

	for (size_t i = 0; i < run->nchecks; i++) {
		const pc_check *c = &run->checks[i];
		if (strcmp(c->name, "list has \"items\" \xe2\x9c\x93") == 0)
			quoted = 1;
		if (strcmp(c->path, "::catalog::item details::detail status is 200") == 0) {
			nested = 1;
			cr_assert_eq(c->passes, 572);
		}
		if (strcmp(c->path, "::setup::setup: health is 200") == 0)
			setup = 1;
	}
	cr_assert(quoted && nested && setup);
	pc_run_free(run);
}

Test(k6_summary, public_files_thresholds)
{
	/* "p(95)<50": true means FAILED in the legacy format */
	pc_run *run = ingest("tests/fixtures/k6/public/sweet-poision-rate-limiter__k6-summary.json");
	pc_series *s = series_of(run, "http_req_duration");
	cr_assert_eq(s->nthresholds, 1);
	cr_assert_eq(s->thresholds[0].ok, 0);
	pc_run_free(run);

	/* handleSummary with spaces in the source: {"ok": false} failed */
	run = ingest("tests/fixtures/k6/public/scottgal-mostlyucid-nmt__k6-summary.json");
	s = series_of(run, "http_req_duration");
	cr_assert_str_eq(s->thresholds[0].expr, "p(95) < 5000");
	cr_assert_eq(s->thresholds[0].ok, 0);
	pc_run_free(run);

	run = ingest("tests/fixtures/k6/public/hadi-xyz-finance-go__k6-results.json");
	s = series_of(run, "http_req_failed");
	cr_assert_eq(s->kind, PC_KIND_RATE);
	cr_assert_eq(s->thresholds[0].ok, 0);
	pc_run_free(run);
}

Test(k6_summary, machine_readable_summary)
{
	const char *doc =
		"{\"config\":{\"duration\":30.8,\"execution\":\"local\",\"script\":\"s.js\"},"
		"\"metadata\":{\"generated_at\":\"2026-01-01T00:00:00Z\",\"k6_version\":\"2.2.0\"},"
		"\"results\":{\"checks\":{\"metrics\":[],\"results\":[{\"fails\":1,\"name\":\"ok\",\"passes\":9}]},"
		"\"metrics\":[{\"contains\":\"time\",\"name\":\"http_req_duration\",\"type\":\"trend\","
		"\"values\":{\"avg\":2,\"max\":5,\"med\":1.5,\"min\":1,\"p90\":4,\"p95\":4.5}},"
		"{\"contains\":\"default\",\"name\":\"http_req_failed\",\"type\":\"rate\","
		"\"values\":{\"matches\":3,\"rate\":0.03,\"total\":100}}]},\"version\":\"1.0.0\"}";
	char path[] = "/tmp/perfcmp-mrsXXXXXX";
	int fd = mkstemp(path);
	pc_run *run;
	double v;

	cr_assert(fd >= 0);
	cr_assert(write(fd, doc, strlen(doc)) == (ssize_t)strlen(doc));
	close(fd);
	run = ingest(path);
	unlink(path);
	cr_assert_eq(run->source, PC_SRC_K6_SUMMARY);
	cr_assert_float_eq(run->duration, 30.8, 1e-12);
	cr_assert_eq(pc_series_get_stat(pc_run_find_series(run, "http_req_duration", "{}"), "p50", &v), 0);
	cr_assert_eq(v, 1.5);
	cr_assert_eq(pc_series_get_stat(pc_run_find_series(run, "http_req_failed", "{}"), "fails", &v), 0);
	cr_assert_eq(v, 97);
	cr_assert_eq(run->nchecks, 1);
	cr_assert_str_eq(run->checks[0].path, "::ok");
	pc_run_free(run);
}

Test(k6_metric, split_names)
{
	char *m, *t;

	cr_assert_eq(pc_k6_split_name("http_req_failed{status:>=500}", &m, &t), 0);
	cr_assert_str_eq(m, "http_req_failed");
	cr_assert_str_eq(t, "{\"status\":\">=500\"}");
	free(m), free(t);
	cr_assert_eq(pc_k6_split_name("x{ b : 'two' ,a:\"1\",flag}", &m, &t), 0);
	cr_assert_str_eq(t, "{\"a\":\"1\",\"b\":\"two\",\"flag\":\"\"}");
	free(m), free(t);
	cr_assert_eq(pc_k6_split_name("x{site:z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac}", &m, &t), 0);
	cr_assert_str_eq(t, "{\"site\":\"z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac\"}");
	free(m), free(t);
	cr_assert_eq(pc_k6_split_name("plain", &m, &t), 0);
	cr_assert_str_eq(t, "{}");
	free(m), free(t);
	cr_assert_neq(pc_k6_split_name("broken{a:1", &m, &t), 0);
}

Test(k6_metric, stat_names)
{
	char out[24];
	static const char *const cases[][2] = {
		{"med", "p50"}, {"p(95)", "p95"}, {"p(95.0)", "p95"}, {"p(99.90)", "p99.9"},
		{"p(99.99)", "p99.99"}, {"p(0)", "p0"}, {"p(100)", "p100"}, {"avg", "avg"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		cr_assert_eq(pc_stat_name_norm(cases[i][0], out), 0);
		cr_assert_str_eq(out, cases[i][1]);
	}
	cr_assert_neq(pc_stat_name_norm("p(9x)", out), 0);
	cr_assert_neq(pc_stat_name_norm("p(.5)", out), 0);
}
