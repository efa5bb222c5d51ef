/* k6 points streams: the oracle (every trend statistic of k6's own summary of the same run,
 * recomputed from the raw points), thresholds, histograms against exact quantiles, and the
 * documented warnings and errors on damaged streams. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/k6_metric.h"
#include "ingest/k6_points.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/ingest.h"
#include "perfcmp/run.h"
#include "perfcmp/store.h"

#define FIX "tests/fixtures/k6/"

static const char *const runs[] = {"S1-smoke-baseline", "S2-smoke-rerun-noise", "S3-load-baseline",
				   "S4-load-candidate-slow", "S5-stress"};

static pc_run *ingest(const char *path, const pc_ingest_opts *opts)
{
	pc_run *run = NULL;
	int rc = pc_ingest_file(&run, path, opts);

	cr_assert_eq(rc, 0, "ingest %s failed: %s", path, pc_error_msg());
	return run;
}

static int close_rel(double a, double b, double rel)
{
	if (a == b)
		return 1;
	return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

static double stat(const pc_series *s, const char *name)
{
	double v = NAN;

	pc_series_get_stat(s, name, &v);
	return v;
}

/* Compare one summary series with ours; returns the number of statistics compared. */
static int compare_series(const pc_series *sum, const pc_series *pts, const char *run)
{
	int n = 0;
	size_t i;

	for (i = 0; i < sum->nstats; i++) {
		const char *name = sum->stats[i].name;
		double want = sum->stats[i].value, have;
		/* a counter's rate divides by k6's test duration, which the stream does not carry */
		if (sum->kind == PC_KIND_COUNTER && strcmp(name, "rate") == 0)
			continue;
		cr_assert_eq(pc_series_get_stat(pts, name, &have), 0, "%s: %s%s has no %s", run,
			     sum->metric, sum->tags, name);
		if (strcmp(name, "count") == 0 || strcmp(name, "passes") == 0 ||
		    strcmp(name, "fails") == 0)
			cr_assert_eq(have, want, "%s: %s%s %s: %.17g, summary %.17g", run, sum->metric,
				     sum->tags, name, have, want);
		else
			cr_assert(close_rel(have, want, 1e-9), "%s: %s%s %s: %.17g, summary %.17g", run,
				  sum->metric, sum->tags, name, have, want);
		n++;
	}
	return n;
}

Test(k6_points, oracle_summary_statistics)
{
	size_t r, i;

	for (r = 0; r < sizeof(runs) / sizeof(*runs); r++) {
		char p1[256], p2[256];
		pc_run *pts, *sum;
		int compared = 0, trends = 0;

		snprintf(p1, sizeof(p1), FIX "%s/points.ndjson.gz", runs[r]);
		snprintf(p2, sizeof(p2), FIX "%s/summary-export.json", runs[r]);
		pts = ingest(p1, NULL);
		sum = ingest(p2, NULL);
		cr_assert_eq(pts->source, PC_SRC_K6_POINTS);
		for (i = 0; i < sum->nseries; i++) {
			const pc_series *s = sum->series[i];
			const pc_series *p = pc_run_find_series(pts, s->metric, s->tags);
			if (s->empty) {
				/* never fed: no lines in the stream (k6.md edge case 2) */
				cr_assert(!p || p->empty, "%s: %s%s should be empty", runs[r], s->metric,
					  s->tags);
				continue;
			}
			cr_assert(p, "%s: %s%s missing from the points run", runs[r], s->metric, s->tags);
			cr_assert_eq(p->kind, s->kind, "%s: %s kind", runs[r], s->metric);
			compared += compare_series(s, p, runs[r]);
			trends += s->kind == PC_KIND_TREND;
		}
		cr_assert_gt(compared, 40, "%s: only %d statistics compared", runs[r], compared);
		cr_assert_gt(trends, 8);
		pc_run_free(pts);
		pc_run_free(sum);
	}
}

/* Thresholds: those the stream carries are evaluated at ingest and agree with k6's results;
 * every threshold of the summary (submetric ones are not in the stream) evaluated on our
 * series agrees too. */
Test(k6_points, oracle_thresholds)
{
	size_t r, i, j, k;

	for (r = 0; r < sizeof(runs) / sizeof(*runs); r++) {
		char p1[256], p2[256], failed[1024] = "";
		pc_run *pts, *sum;
		int stored = 0;

		snprintf(p1, sizeof(p1), FIX "%s/points.ndjson.gz", runs[r]);
		snprintf(p2, sizeof(p2), FIX "%s/summary-export.json", runs[r]);
		pts = ingest(p1, NULL);
		sum = ingest(p2, NULL);
		for (i = 0; i < sum->nseries; i++) {
			const pc_series *s = sum->series[i];
			const pc_series *p = pc_run_find_series(pts, s->metric, s->tags);
			for (j = 0; j < s->nthresholds; j++) {
				int ok = 1;
				if (p && !p->empty)
					cr_assert_eq(pc_k6_threshold_eval(p, s->thresholds[j].expr, NULL, 0, &ok),
						     0, "%s", pc_error_msg());
				cr_assert_eq(ok, s->thresholds[j].ok, "%s: %s%s %s", runs[r], s->metric,
					     s->tags, s->thresholds[j].expr);
				if (!ok)
					snprintf(failed + strlen(failed), sizeof(failed) - strlen(failed),
						 "%s%s %s;", s->metric, s->tags, s->thresholds[j].expr);
				for (k = 0; p && k < p->nthresholds; k++) {
					if (strcmp(p->thresholds[k].expr, s->thresholds[j].expr) == 0) {
						cr_assert_eq(p->thresholds[k].ok, s->thresholds[j].ok);
						stored++;
					}
				}
			}
		}
		if (strcmp(runs[r], "S4-load-candidate-slow") == 0)
			cr_assert_str_eq(failed, "http_req_duration{\"name\":\"items-list\"} med<26;");
		if (strcmp(runs[r], "S5-stress") == 0) {
			cr_assert(strstr(failed, "http_req_failed{} rate<0.01;"), "%s", failed);
			cr_assert(strstr(failed, "http_req_duration{} p(95)<60;"), "%s", failed);
			cr_assert(strstr(failed, "checks{} rate>0.99;"), "%s", failed);
			cr_assert_eq(strlen(failed), strlen("http_req_failed{} rate<0.01;"
							    "http_req_duration{} p(95)<60;checks{} rate>0.99;"),
				     "%s", failed);
		}
		if (r >= 2)
			cr_assert_gt(stored, 3, "%s: %d thresholds stored", runs[r], stored);
		pc_run_free(pts);
		pc_run_free(sum);
	}
}

Test(k6_points, breakdowns_slices_timeline)
{
	pc_run *run = ingest(FIX "S3-load-baseline/points.ndjson.gz", NULL);
	const pc_series *all = pc_run_find_series(run, "http_req_duration", "{}");
	const pc_series *by = pc_run_find_series(run, "http_req_duration", "{\"status\":\"404\"}");
	const pc_series *sc = pc_run_find_series(run, "http_reqs", "{\"scenario\":\"browse\"}");
	uint64_t n = 0;
	long long reqs = 0;
	size_t i;

	cr_assert(all && by && sc);
	cr_assert_eq(stat(all, "count"), 2615);
	cr_assert(all->hist && all->nslices >= 60 && all->nslices == run->nslices);
	for (i = 0; i < all->nslices; i++)
		n += all->slices[i].count;
	cr_assert_eq(n, 2615);
	cr_assert_eq(all->hist->count, 2615);
	cr_assert(run->ntimeline >= 30 && run->ntimeline <= 33, "%zu seconds", run->ntimeline);
	for (i = 0; i < run->ntimeline; i++)
		reqs += run->timeline[i].requests;
	cr_assert_eq(reqs, 2615);
	cr_assert(!isnan(run->timeline[run->ntimeline / 2].p95));
	cr_assert_str_eq(run->profile, "load");
	cr_assert_null(run->config); /* the corpus tags "deployment", not "config" */
	cr_assert_gt(run->nchecks, 3);
	pc_run_free(run);
}

Test(k6_points, by_combinations_and_cap)
{
	pc_ingest_opts o = {0};
	pc_run *run;
	size_t i;
	int warned = 0;

	o.by = "name+status,url";
	o.max_tag_values = 3;
	run = ingest(FIX "S3-load-baseline/points.ndjson.gz", &o);
	cr_assert(pc_run_find_series(run, "http_req_duration",
				     "{\"name\":\"items-list\",\"status\":\"200\"}"));
	cr_assert_null(pc_run_find_series(run, "http_req_duration", "{\"scenario\":\"browse\"}"));
	for (i = 0; i < run->nwarnings; i++)
		warned += strstr(run->warnings[i], "tag \"url\"") != NULL;
	cr_assert_eq(warned, 1);
	pc_run_free(run);
}

Test(k6_points, histogram_quantiles_within_error)
{
	pc_run *run = ingest(FIX "S5-stress/points.ndjson.gz", NULL);
	static const double qs[] = {0.5, 0.9, 0.95, 0.99, 0.999};
	static const char *const names[] = {"p50", "p90", "p95", "p99", "p99.9"};
	size_t i, k, checked = 0;

	for (i = 0; i < run->nseries; i++) {
		const pc_series *s = run->series[i];
		if (s->kind != PC_KIND_TREND || s->empty || stat(s, "min") <= 0)
			continue;
		for (k = 0; k < 5; k++) {
			double exact = stat(s, names[k]), h = pc_hist_quantile(s->hist, qs[k]);
			cr_assert(fabs(h - exact) <= PC_HIST_REL_ERR * exact * (1 + 1e-12),
				  "%s%s %s: hist %.9g exact %.9g", s->metric, s->tags, names[k], h, exact);
			checked++;
		}
	}
	cr_assert_gt(checked, 50);
	pc_run_free(run);
}

Test(k6_points, public_file)
{
	pc_run *run = ingest(FIX "kirilly-k6-load-template__k6-results.ndjson", NULL);
	const pc_series *s = pc_run_find_series(run, "http_req_duration", "{}");

	cr_assert(s && stat(s, "count") > 0);
	cr_assert_gt(run->started_at, 0);
	pc_run_free(run);
}

/* --- damaged streams ------------------------------------------------------------------------ */

static char *tmp_path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "/tmp/perfcmp-k6p-%d-%s", (int)getpid(), name);
	return buf;
}

static const char *const good_lines =
	"{\"type\":\"Metric\",\"data\":{\"name\":\"http_req_duration\",\"type\":\"trend\","
	"\"contains\":\"time\",\"thresholds\":[\"p(95)<500\"],\"submetrics\":null},"
	"\"metric\":\"http_req_duration\"}\n"
	"{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":"
	"\"2024-08-22T01:13:59.892709931-03:00\",\"value\":12.5,\"tags\":{\"name\":\"a\"}}}\n"
	"{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":"
	"\"2024-08-22T04:14:00Z\",\"value\":1e1,\"tags\":{}}}\n";

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	cr_assert(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int has_warning(const pc_run *run, const char *needle)
{
	size_t i;

	for (i = 0; i < run->nwarnings; i++)
		if (strstr(run->warnings[i], needle))
			return 1;
	return 0;
}

Test(k6_points, skipped_lines_one_warning)
{
	char *path = tmp_path("skip.ndjson");
	char data[4096];
	pc_run *run;

	snprintf(data, sizeof(data), "%s%s", good_lines,
		 "garbage here\n"
		 "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":"
		 "\"2024-08-22T04:14:01Z\",\"value\":NaN,\"tags\":{}}}\n"
		 "{\"type\":\"Point\",\"data\":{\"time\":\"2024-08-22T04:14:01Z\",\"value\":null,"
		 "\"tags\":null},\"metric\":\"http_req_duration\"}\n"
		 "{\"type\":\"Point\",\"data\":{\"time\":\"2024-08-22T04:14:02.5Z\",\"value\":3,"
		 "\"tags\":null},\"metric\":\"http_req_duration\"}\n");
	write_file(path, data, strlen(data));
	run = ingest(path, NULL);
	cr_assert_eq(run->nwarnings, 1, "%zu warnings", run->nwarnings);
	cr_assert(strstr(run->warnings[0], "skipped 3 of 7 lines (the first is line 4)"), "%s",
		  run->warnings[0]);
	cr_assert(strstr(run->warnings[0], "1 not k6 JSON, 2 with a value"), "%s", run->warnings[0]);
	cr_assert_eq(stat(pc_run_find_series(run, "http_req_duration", "{}"), "count"), 3);
	cr_assert_eq(stat(pc_run_find_series(run, "http_req_duration", "{}"), "p50"), 10);
	unlink(path);
	pc_run_free(run);
}

Test(k6_points, cut_last_line)
{
	char *path = tmp_path("cut.ndjson");
	char data[4096];
	pc_run *run;

	snprintf(data, sizeof(data), "%s%s", good_lines,
		 "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":\"2024-08");
	write_file(path, data, strlen(data));
	run = ingest(path, NULL);
	cr_assert(has_warning(run, "the last line (4) is cut off"), "%s",
		  run->nwarnings ? run->warnings[0] : "no warning");
	cr_assert_eq(stat(pc_run_find_series(run, "http_req_duration", "{}"), "count"), 2);
	unlink(path);
	pc_run_free(run);
}

/* S3's gzipped points stream, whole (the tests cut or damage it at offsets from its end). */
#define S3_GZ_MAX 600000
static size_t read_s3_gz(char buf[S3_GZ_MAX])
{
	FILE *f = fopen(FIX "S3-load-baseline/points.ndjson.gz", "rb");
	size_t n;

	cr_assert(f);
	n = fread(buf, 1, S3_GZ_MAX, f);
	cr_assert(n < S3_GZ_MAX && feof(f), "the fixture outgrew the %d-byte buffer", S3_GZ_MAX);
	fclose(f);
	return n;
}

Test(k6_points, truncated_gzip)
{
	char *path = tmp_path("trunc.ndjson.gz");
	static char buf[S3_GZ_MAX];
	size_t n = read_s3_gz(buf);
	pc_run *run;

	write_file(path, buf, n / 2);
	run = ingest(path, NULL);
	cr_assert(has_warning(run, "gzip stream ends without its trailer"));
	cr_assert(has_warning(run, "lines"));
	cr_assert_gt(stat(pc_run_find_series(run, "http_req_duration", "{}"), "count"), 100);
	unlink(path);
	pc_run_free(run);
}

Test(k6_points, long_line_is_an_error)
{
	char *path = tmp_path("long.ndjson");
	size_t big = 10u << 20, base = strlen(good_lines);
	char *data = malloc(base + big + 2);
	pc_run *run = NULL;

	memcpy(data, good_lines, base);
	memset(data + base, 'x', big);
	data[base + big] = '\n';
	write_file(path, data, base + big + 1);
	cr_assert_eq(pc_ingest_file(&run, path, NULL), PC_EINPUT);
	cr_assert_null(run);
	cr_assert(strstr(pc_error_msg(), "line 4 "), "%s", pc_error_msg());
	cr_assert(pc_error_hint_msg() && strstr(pc_error_hint_msg(), "--max-line"));
	unlink(path);
	free(data);
}

Test(k6_points, no_valid_point_is_an_error)
{
	char *path = tmp_path("none.ndjson");
	const char *data =
		"{\"type\":\"Metric\",\"data\":{\"name\":\"vus\",\"type\":\"gauge\",\"contains\":"
		"\"default\",\"thresholds\":[],\"submetrics\":null},\"metric\":\"vus\"}\n"
		"{\"metric\":\"vus\",\"type\":\"Point\",\"data\":{\"time\":\"2024-08-22T04:14:00Z\","
		"\"value\":NaN,\"tags\":{}}}\n";
	pc_run *run = NULL;

	write_file(path, data, strlen(data));
	cr_assert_eq(pc_ingest_file(&run, path, NULL), PC_EINPUT);
	cr_assert(strstr(pc_error_msg(), "no valid k6 data point"), "%s", pc_error_msg());
	unlink(path);
}

Test(k6_points, gzip_same_content_hash_and_members)
{
	char *plain = tmp_path("h.ndjson"), gzpath[300];
	pc_run *a, *b;
	gzFile gz;
	size_t half = strlen(good_lines) / 2;

	write_file(plain, good_lines, strlen(good_lines));
	snprintf(gzpath, sizeof(gzpath), "%s.gz", plain);
	/* two gzip members, split mid-line */
	gz = gzopen(gzpath, "wb");
	gzwrite(gz, good_lines, (unsigned)half);
	gzclose(gz);
	gz = gzopen(gzpath, "ab");
	gzwrite(gz, good_lines + half, (unsigned)(strlen(good_lines) - half));
	gzclose(gz);
	a = ingest(plain, NULL);
	b = ingest(gzpath, NULL);
	cr_assert_str_eq(a->content_hash, b->content_hash);
	cr_assert_eq(b->nwarnings, 0);
	cr_assert_eq(stat(pc_run_find_series(b, "http_req_duration", "{}"), "count"), 2);
	unlink(plain);
	unlink(gzpath);
	pc_run_free(a);
	pc_run_free(b);
}

Test(k6_points, store_round_trip)
{
	char *db = tmp_path("store.db");
	pc_run *run = ingest(FIX "S3-load-baseline/points.ndjson.gz", NULL), *back = NULL;
	const pc_series *a, *b;
	pc_store *st = NULL;
	int existing = 0;
	size_t i;

	unlink(db);
	cr_assert_eq(pc_store_open(&st, db, PC_STORE_CREATE), 0, "%s", pc_error_msg());
	cr_assert_eq(pc_store_insert(st, run, &existing), 0, "%s", pc_error_msg());
	cr_assert_eq(pc_store_load(st, run->id, &back), 0, "%s", pc_error_msg());
	a = pc_run_find_series(run, "http_req_duration", "{\"name\":\"items-list\"}");
	b = pc_run_find_series(back, "http_req_duration", "{\"name\":\"items-list\"}");
	cr_assert(a && b && b->hist && b->nslices == a->nslices);
	cr_assert_eq(b->hist->count, a->hist->count);
	cr_assert_eq(pc_hist_quantile(b->hist, 0.95), pc_hist_quantile(a->hist, 0.95));
	for (i = 0; i < a->nslices; i++)
		cr_assert_eq(b->slices[i].count, a->slices[i].count);
	cr_assert_eq(back->nslices, run->nslices);
	cr_assert_eq(back->slice_t0, run->slice_t0);
	cr_assert_eq(back->slice_ns, run->slice_ns);
	cr_assert_eq(back->ntimeline, run->ntimeline);
	for (i = 0; i < run->ntimeline; i++) {
		cr_assert_eq(back->timeline[i].requests, run->timeline[i].requests);
		cr_assert(back->timeline[i].p95 == run->timeline[i].p95 ||
			  (isnan(back->timeline[i].p95) && isnan(run->timeline[i].p95)));
	}
	cr_assert_eq(pc_store_schema_version(), 2);
	pc_run_free(back);
	pc_run_free(run);
	pc_store_free(st);
	unlink(db);
}

Test(k6_points, corrupt_gzip_is_an_error)
{
	char *path = tmp_path("corrupt.ndjson.gz");
	static char buf[S3_GZ_MAX];
	size_t n = read_s3_gz(buf), i;
	pc_run *run = NULL;

	/* a damaged CRC in the trailer: caught by both inflaters */
	buf[n - 6] ^= 0x5a;
	write_file(path, buf, n);
	cr_assert_eq(pc_ingest_file(&run, path, NULL), PC_EINPUT);
	cr_assert(strstr(pc_error_msg(), "corrupt gzip data"), "%s", pc_error_msg());
	cr_assert_null(run);
	/* damaged deflate data: bad input, whichever check trips first */
	buf[n - 6] ^= 0x5a;
	for (i = n / 3; i < n / 3 + 64; i++)
		buf[i] = (char)(buf[i] ^ 0x5a);
	write_file(path, buf, n);
	cr_assert_eq(pc_ingest_file(&run, path, NULL), PC_EINPUT);
	cr_assert_null(run);
	unlink(path);
}

/* The single-pass scanner and cJSON classify each line alike: the lines fuzz_points_line
 * found them disagreeing on, with what each must be. */
Test(k6_points, scanner_agrees_with_cjson)
{
#define PT(v, rest) "{\"metric\":\"a\",\"type\":\"Point\",\"data\":{\"time\":\"2024-01-01T00:00:00Z\"," \
		    "\"value\":" v ",\"tags\":{}}" rest
	static const struct {
		const char *line;
		int want;
	} cases[] = {
		{PT("1e999", "}"), K6_PROBE_BAD_VALUE},  /* overflows to Inf: a point without a value */
		{PT("-1e999", "}"), K6_PROBE_BAD_VALUE},
		{PT("1e999", ""), K6_PROBE_BAD_JSON},    /* the same, cut short: not JSON (CI found it) */
		{PT("NaN", "}"), K6_PROBE_BAD_VALUE},
		{PT("NaN", ""), K6_PROBE_BAD_VALUE},     /* a NaN makes any line unreadable to cJSON */
		{PT(".1", "}"), K6_PROBE_BAD_JSON},      /* not a JSON number */
		{PT("1e-999", "}"), K6_PROBE_POINT},     /* underflows to 0: a value */
		{PT("-0", "}"), K6_PROBE_POINT},
	};
#undef PT
	k6_line_probe fast, slow;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *l = cases[i].line;
		cr_assert_eq(pc_k6_points_probe_line(&fast, l, strlen(l), 1), 0);
		cr_assert_eq(pc_k6_points_probe_line(&slow, l, strlen(l), 0), 0);
		cr_assert_eq(slow.result, cases[i].want, "%s: cJSON says %d", l, slow.result);
		cr_assert(fast.result == K6_PROBE_DECLINED || fast.result == slow.result,
			  "%s: scanner says %d, cJSON %d", l, fast.result, slow.result);
		if (slow.result == K6_PROBE_POINT && fast.result == K6_PROBE_POINT)
			cr_assert(memcmp(&fast.v, &slow.v, sizeof(double)) == 0, "%s", l);
		pc_k6_points_probe_release(&fast);
		pc_k6_points_probe_release(&slow);
	}
}
