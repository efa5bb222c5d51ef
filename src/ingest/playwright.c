/* Playwright JSON reports: run keys, one test record per tests[] entry, totals, and the series
 * duration, perf:<name>, tests_failed, tests_flaky. Facts: ../shared/formats/playwright.md. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/map.h"
#include "perfcmp/strutil.h"

/* Deeper describe nesting than any real suite; bounds the recursion on hostile input. */
#define SUITE_DEPTH_MAX 32
#define PERF_NAME_MAX 64 /* bytes after "perf:" */
#define UNIT_MAX 32

/* One tests[] entry while its results are read: the record's key and its tag sets. */
typedef struct pw_entry {
	const char *file, *title, *project;
	char *test_tags;    /* {"file","project","title"} */
	char *project_tags; /* {"project"} */
} pw_entry;

typedef struct pw_ctx {
	pc_run *run;
	pc_buf where; /* JSON path of the node being read, for messages */
	pc_buf title; /* describe titles joined by " › " */
	pc_totals counted;
	long long entries, never_started;
	long long bad_perf;
	char first_bad[256];
	pc_map *unit_warned; /* perf metric -> non-NULL once its unit clash was reported */
	int64_t earliest;    /* earliest results[].startTime, 0 when none */
} pw_ctx;

static const char TITLE_SEP[] = " \xe2\x80\xba "; /* " › " */

int pc_playwright_detect(const cJSON *root)
{
	/* `suites` of any type: a wrong one is then reported as a bad Playwright report, not as an
	 * unknown format. */
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "config")) &&
	       cJSON_HasObjectItem(root, "suites");
}

static void buf_cut(pc_buf *b, size_t len)
{
	if (b->ptr) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

static const char *buf_str(const pc_buf *b)
{
	return b->ptr ? b->ptr : "";
}

/* PC_EINPUT with the message prefixed by the JSON path being read. */
static int bad(const pw_ctx *c, const char *fmt, ...) PC_PRINTF(2, 3);
static int bad(const pw_ctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->where.len)
		return pc_error_set(PC_EINPUT, "%s: %s", c->where.ptr, msg);
	return pc_error_set(PC_EINPUT, "%s", msg);
}

/* Bytes of s to print within max, not splitting a UTF-8 sequence. */
static int utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return (int)n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return (int)max;
}

/* An ISO-8601 field into ns; absent is 0 (reports before 1.26 have no startTime). */
static int time_field(const pw_ctx *c, const cJSON *obj, const char *key, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = 0;
	if (!v)
		return 0;
	if (!cJSON_IsString(v) || pc_time_parse(v->valuestring, strlen(v->valuestring), out))
		return bad(c, "%s is not an RFC 3339 timestamp", key);
	return 0;
}

/* The three series of a trend sample: per test, per project, pooled. The pooled series fixes the
 * unit: a sample with another unit is kept under the first one, with one warning per metric. */
static int add_trend(pw_ctx *c, const pw_entry *e, const char *metric, const char *unit,
		     int64_t t, double v)
{
	pc_series *pooled, *proj, *test;
	int rc;

	if ((rc = pc_run_series(c->run, &pooled, metric, "{}", PC_KIND_TREND, unit)))
		return rc;
	if (strcmp(pooled->unit, unit) != 0 && !pc_map_get(c->unit_warned, metric, strlen(metric))) {
		if ((rc = pc_map_put(c->unit_warned, metric, strlen(metric), pooled)) ||
		    (rc = pc_run_warn(c->run, "%s: unit \"%s\" in %s%s%s [%s] differs from the first "
					      "\"%s\"; its values are kept as %s", metric, unit, e->file,
				      TITLE_SEP, e->title, e->project, pooled->unit, pooled->unit)))
			return rc;
	}
	if ((rc = pc_run_series(c->run, &proj, metric, e->project_tags, PC_KIND_TREND, pooled->unit)) ||
	    (rc = pc_run_series(c->run, &test, metric, e->test_tags, PC_KIND_TREND, pooled->unit)))
		return rc;
	if ((rc = pc_series_add_sample(pooled, t, v)) || (rc = pc_series_add_sample(proj, t, v)))
		return rc;
	return pc_series_add_sample(test, t, v);
}

/* A rate sample (0 or 1), pooled and per project. */
static int add_rate(pw_ctx *c, const pw_entry *e, const char *metric, int64_t t, int hit)
{
	pc_series *pooled, *proj;
	int rc;

	if ((rc = pc_run_series(c->run, &pooled, metric, "{}", PC_KIND_RATE, "ratio")) ||
	    (rc = pc_run_series(c->run, &proj, metric, e->project_tags, PC_KIND_RATE, "ratio")))
		return rc;
	if ((rc = pc_series_add_sample(pooled, t, hit)))
		return rc;
	return pc_series_add_sample(proj, t, hit);
}

static void note_bad_perf(pw_ctx *c, const pw_entry *e, const char *type, const char *desc,
			  const char *why)
{
	if (c->bad_perf++ == 0)
		snprintf(c->first_bad, sizeof(c->first_bad), "%.*s = \"%.*s\" in %.*s%s%.*s [%.*s]: %s",
			 utf8_cut(type, 40), type, utf8_cut(desc, 40), desc, utf8_cut(e->file, 40),
			 e->file, TITLE_SEP, utf8_cut(e->title, 60), e->title, utf8_cut(e->project, 30),
			 e->project, why);
}

static int perf_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > PERF_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '.' || ch == '-'))
			return 0;
	}
	return 1;
}

/* "91.2 ms" -> 91.2 and "ms"; a bare number is ms. 0, or -1 with *why set. */
static int perf_value(const char *desc, double *v, char unit[UNIT_MAX + 1], const char **why)
{
	const char *p, *end;
	char *num_end;

	*v = strtod(desc, &num_end);
	if (num_end == desc) {
		*why = "not a number";
		return -1;
	}
	if (!isfinite(*v)) {
		*why = "not finite";
		return -1;
	}
	for (p = num_end; *p == ' ' || *p == '\t'; p++)
		;
	for (end = p + strlen(p); end > p && strchr(" \t\r\n", end[-1]); end--)
		;
	if ((size_t)(end - p) > UNIT_MAX) {
		*why = "unit too long";
		return -1;
	}
	if (end == p)
		strcpy(unit, "ms");
	else
		snprintf(unit, UNIT_MAX + 1, "%.*s", (int)(end - p), p);
	return 0;
}

/* Every perf:<name> annotation in `anns` as a sample at time t. Bad values are counted, not fatal:
 * one odd annotation should not cost the run. */
static int add_perf(pw_ctx *c, const pw_entry *e, const cJSON *anns, int64_t t)
{
	const cJSON *a;
	int rc;

	if (!anns)
		return 0;
	if (!cJSON_IsArray(anns))
		return bad(c, "annotations is not an array");
	cJSON_ArrayForEach(a, anns)
	{
		const char *type = pc_json_get_str(a, "type"), *desc = pc_json_get_str(a, "description");
		const char *why = NULL;
		char unit[UNIT_MAX + 1];
		double v;

		if (!type || strncmp(type, "perf:", 5) != 0)
			continue;
		if (!perf_name_ok(type + 5))
			why = "bad metric name";
		else if (!desc)
			why = "no description";
		else
			perf_value(desc, &v, unit, &why);
		if (why) {
			note_bad_perf(c, e, type, desc ? desc : "", why);
			continue;
		}
		if ((rc = add_trend(c, e, type, unit, t, v)))
			return rc;
	}
	return 0;
}

/* One attempt: its start time always (for the run's start), samples only when it passed. The
 * annotations are the attempt's own (1.52+), else the entry's, which belong to its last attempt. */
static int add_result(pw_ctx *c, const pw_entry *e, const cJSON *test, const cJSON *r, int last,
		      int64_t *t)
{
	const char *status = pc_json_get_str(r, "status");
	const cJSON *anns;
	double ms;
	int rc;

	if (!cJSON_IsObject(r))
		return bad(c, "not an object");
	if (!status)
		return bad(c, "status is not a string");
	if ((rc = time_field(c, r, "startTime", t)))
		return rc;
	if (*t && (c->earliest == 0 || *t < c->earliest))
		c->earliest = *t;
	if (strcmp(status, "passed") != 0)
		return 0;
	if (pc_json_get_num(r, "duration", &ms) || !isfinite(ms) || ms < 0)
		return bad(c, "duration is not a number of milliseconds");
	if ((rc = add_trend(c, e, "duration", "ms", *t, ms)))
		return rc;
	if (cJSON_GetObjectItemCaseSensitive(r, "annotations"))
		anns = cJSON_GetObjectItemCaseSensitive(r, "annotations");
	else
		anns = last ? cJSON_GetObjectItemCaseSensitive(test, "annotations") : NULL;
	return add_perf(c, e, anns, *t);
}

/* The totals field of an outcome, NULL for a string Playwright never writes. */
static long long *outcome_slot(pc_totals *t, const char *outcome)
{
	if (strcmp(outcome, "expected") == 0)
		return &t->expected;
	if (strcmp(outcome, "unexpected") == 0)
		return &t->unexpected;
	if (strcmp(outcome, "flaky") == 0)
		return &t->flaky;
	if (strcmp(outcome, "skipped") == 0)
		return &t->skipped;
	return NULL;
}

static int add_results(pw_ctx *c, const pw_entry *e, const cJSON *test, const cJSON *results,
		       int64_t *first_t)
{
	size_t at = c->where.len;
	int i = 0, n = cJSON_GetArraySize(results), rc = 0;
	const cJSON *r;

	cJSON_ArrayForEach(r, results)
	{
		int64_t t = 0;
		if ((rc = pc_buf_printf(&c->where, ".results[%d]", i)))
			break;
		if ((rc = add_result(c, e, test, r, i == n - 1, &t)))
			break;
		if (i == 0)
			*first_t = t;
		buf_cut(&c->where, at);
		i++;
	}
	return rc;
}

/* One tests[] entry: a test record, its outcome in the counts, its samples. An entry that never
 * started (results []: interruption, --max-failures) is a skip whatever its status says. */
static int add_entry(pw_ctx *c, const char *file, const char *title, const cJSON *test)
{
	const char *status = pc_json_get_str(test, "status"), *outcome;
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(test, "results");
	const char *tkeys[] = {"file", "project", "title"}, *tvals[3];
	const char *pkeys[] = {"project"};
	pw_entry e = {file, title, "", NULL, NULL};
	int64_t first_t = 0;
	int rc, n;

	if (!cJSON_IsObject(test))
		return bad(c, "not an object");
	if (!status)
		return bad(c, "status is not a string");
	if (!cJSON_IsArray(results))
		return bad(c, "results is not an array");
	if (pc_json_get_str(test, "projectName"))
		e.project = pc_json_get_str(test, "projectName");
	if (!outcome_slot(&c->counted, status))
		return bad(c, "status \"%.40s\" is not expected, unexpected, flaky or skipped", status);
	n = cJSON_GetArraySize(results);
	outcome = n == 0 ? "skipped" : status;
	(*outcome_slot(&c->counted, outcome))++;
	c->entries++;
	c->never_started += n == 0;
	tvals[0] = file;
	tvals[1] = e.project;
	tvals[2] = title;
	rc = PC_ENOMEM;
	if (!(e.test_tags = pc_tags_canon(tkeys, tvals, 3)) ||
	    !(e.project_tags = pc_tags_canon(pkeys, &e.project, 1)))
		goto done;
	if ((rc = pc_run_add_test(c->run, file, title, e.project, outcome, n)))
		goto done;
	if ((rc = add_results(c, &e, test, results, &first_t)))
		goto done;
	/* "ran" = the entry has an outcome other than skipped: skips say nothing about failure */
	if (strcmp(outcome, "skipped") != 0) {
		if ((rc = add_rate(c, &e, "tests_failed", first_t, strcmp(outcome, "unexpected") == 0)))
			goto done;
		rc = add_rate(c, &e, "tests_flaky", first_t, strcmp(outcome, "flaky") == 0);
	}
done:
	free(e.test_tags);
	free(e.project_tags);
	return rc;
}

static int add_spec(pw_ctx *c, const char *file, const cJSON *spec)
{
	const char *title = pc_json_get_str(spec, "title");
	const cJSON *tests = cJSON_GetObjectItemCaseSensitive(spec, "tests"), *t;
	size_t at = c->where.len, tat = c->title.len;
	int i = 0, rc;

	if (!cJSON_IsObject(spec))
		return bad(c, "not an object");
	if (!title)
		return bad(c, "title is not a string");
	if (!cJSON_IsArray(tests))
		return bad(c, "tests is not an array");
	/* the spec's own file wins: it is the posix path even on Windows (the suite title is not) */
	if (pc_json_get_str(spec, "file"))
		file = pc_json_get_str(spec, "file");
	if ((c->title.len && (rc = pc_buf_puts(&c->title, TITLE_SEP))) ||
	    (rc = pc_buf_puts(&c->title, title)))
		return rc;
	cJSON_ArrayForEach(t, tests)
	{
		if ((rc = pc_buf_printf(&c->where, ".tests[%d]", i++)))
			break;
		if ((rc = add_entry(c, file, buf_str(&c->title), t)))
			break;
		buf_cut(&c->where, at);
	}
	buf_cut(&c->title, tat);
	return rc;
}

/* A suite and its nested describes. depth 0 is the file suite, whose title is the file path and
 * not part of test names; anonymous describes (title "") add nothing either. */
static int walk_suite(pw_ctx *c, cJSON *suite, const char *file, int depth)
{
	cJSON *specs = cJSON_GetObjectItemCaseSensitive(suite, "specs");
	cJSON *subs = cJSON_GetObjectItemCaseSensitive(suite, "suites"), *x, *next;
	const char *title = pc_json_get_str(suite, "title");
	size_t at = c->where.len, tat = c->title.len;
	int i, rc = 0;

	if (!cJSON_IsObject(suite))
		return bad(c, "not an object");
	if (depth > SUITE_DEPTH_MAX)
		return bad(c, "describe blocks nested deeper than %d", SUITE_DEPTH_MAX);
	if (depth == 0) {
		file = pc_json_get_str(suite, "file") ? pc_json_get_str(suite, "file") : title;
		if (!file)
			return bad(c, "file is not a string");
	} else if (cJSON_HasObjectItem(suite, "title") && !title) {
		return bad(c, "title is not a string");
	} else if (title && *title) {
		if ((c->title.len && (rc = pc_buf_puts(&c->title, TITLE_SEP))) ||
		    (rc = pc_buf_puts(&c->title, title)))
			return rc;
	}
	if (specs && !cJSON_IsArray(specs))
		return bad(c, "specs is not an array");
	if (subs && !cJSON_IsArray(subs))
		return bad(c, "suites is not an array");
	i = 0;
	for (x = specs ? specs->child : NULL; x; x = next) {
		next = x->next;
		if ((rc = pc_buf_printf(&c->where, ".specs[%d]", i++)) || (rc = add_spec(c, file, x)))
			goto done;
		buf_cut(&c->where, at);
		/* the run holds copies of what it needs: the tree shrinks as the run grows */
		cJSON_Delete(cJSON_DetachItemViaPointer(specs, x));
	}
	i = 0;
	cJSON_ArrayForEach(x, subs)
	{
		if ((rc = pc_buf_printf(&c->where, ".suites[%d]", i++)) ||
		    (rc = walk_suite(c, x, file, depth + 1)))
			goto done;
		buf_cut(&c->where, at);
	}
done:
	buf_cut(&c->title, tat);
	return rc;
}

/* Trend statistics from the samples; a rate's share of 1s with passes (1s) and fails (0s). */
static int finish_series(pc_run *run)
{
	size_t i, j;
	int rc;

	for (i = 0; i < run->nseries; i++) {
		pc_series *s = run->series[i];
		double ones = 0;
		if (s->kind == PC_KIND_TREND) {
			if ((rc = pc_ingest_summarize(s)))
				return rc;
			continue;
		}
		for (j = 0; j < s->nsamples; j++)
			ones += s->samples[j].v != 0;
		s->empty = s->nsamples == 0;
		if ((rc = pc_series_set_stat(s, "passes", ones)) ||
		    (rc = pc_series_set_stat(s, "fails", (double)s->nsamples - ones)))
			return rc;
		if (s->nsamples && (rc = pc_series_set_stat(s, "rate", ones / (double)s->nsamples)))
			return rc;
	}
	return 0;
}

static int count_field(const pw_ctx *c, const cJSON *stats, const char *key, long long *out)
{
	double v;

	if (pc_json_get_num(stats, key, &v) || v < 0 || v != floor(v) || v > 9e15)
		return bad(c, "stats.%s is not a count", key);
	*out = (long long)v;
	return 0;
}

/* 1.65's onlyFailures drops passing tests from suites and stats. The option shows in
 * config.reporter; set through PLAYWRIGHT_JSON_ONLY_FAILURES it leaves only "nothing passed"
 * (stats may be NULL: then only the option counts). */
static int only_failures(const cJSON *config, const pc_totals *stats, long long entries)
{
	const cJSON *r;
	const char *version = pc_json_get_str(config, "version");
	int major = 0, minor = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(config, "reporter"))
	{
		const cJSON *name = cJSON_GetArrayItem(r, 0), *opts = cJSON_GetArrayItem(r, 1);
		if (cJSON_IsString(name) && strcmp(name->valuestring, "json") == 0 &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "onlyFailures")))
			return 1;
	}
	if (!stats || !version || sscanf(version, "%d.%d", &major, &minor) != 2)
		return 0;
	return (major > 1 || (major == 1 && minor >= 65)) && stats->expected == 0 && entries > 0;
}

static int totals_differ(const pc_totals *a, const pc_totals *b)
{
	return a->expected != b->expected || a->unexpected != b->unexpected || a->flaky != b->flaky ||
	       a->skipped != b->skipped;
}

/* Totals from stats (1.40+) or counted; warnings about what the counts say of the report. */
static int read_totals(pw_ctx *c, const cJSON *root)
{
	const cJSON *stats = cJSON_GetObjectItemCaseSensitive(root, "stats");
	const pc_totals *k = &c->counted;
	int has_counts = cJSON_HasObjectItem(stats, "expected"); /* 1.39: stats without counts */
	pc_totals s;
	int rc;

	c->run->has_totals = 1;
	c->run->totals = *k;
	if (has_counts) {
		if ((rc = count_field(c, stats, "expected", &s.expected)) ||
		    (rc = count_field(c, stats, "unexpected", &s.unexpected)) ||
		    (rc = count_field(c, stats, "flaky", &s.flaky)) ||
		    (rc = count_field(c, stats, "skipped", &s.skipped)))
			return rc;
		c->run->totals = s;
	}
	if (has_counts && totals_differ(&s, k) &&
	    (rc = pc_run_warn(c->run, "stats say %lld expected, %lld unexpected, %lld flaky, %lld "
				      "skipped but the test entries count %lld, %lld, %lld, %lld; the "
				      "totals are the report's", s.expected, s.unexpected, s.flaky,
			      s.skipped, k->expected, k->unexpected, k->flaky, k->skipped)))
		return rc;
	if (only_failures(cJSON_GetObjectItemCaseSensitive(root, "config"), has_counts ? &s : NULL,
			  c->entries))
		return pc_run_warn(c->run, "no passing test in the report: written with onlyFailures "
					   "(PLAYWRIGHT_JSON_ONLY_FAILURES), it lacks the passing tests "
					   "and their samples; write the full report for perfcmp");
	return 0;
}

static int read_header(pw_ctx *c, const cJSON *root)
{
	const cJSON *config = cJSON_GetObjectItemCaseSensitive(root, "config");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(config, "metadata");
	const cJSON *stats = cJSON_GetObjectItemCaseSensitive(root, "stats");
	const char *version = pc_json_get_str(config, "version");
	const char *profile = pc_json_get_str(meta, "profile"), *cfg = pc_json_get_str(meta, "config");
	pc_run *run = c->run;
	double ms;
	int rc;

	run->source = PC_SRC_PLAYWRIGHT;
	if (!(run->tool_version = pc_strdup(version ? version : "")))
		return PC_ENOMEM;
	if ((profile && !(run->profile = pc_strdup(profile))) || (cfg && !(run->config = pc_strdup(cfg))))
		return PC_ENOMEM;
	if (stats && !cJSON_IsObject(stats))
		return bad(c, "stats is not an object");
	if ((rc = time_field(c, stats, "startTime", &run->started_at))) {
		pc_error_prefix("stats");
		return rc;
	}
	/* no stats (before 1.39): the duration stays unknown; the span of the attempts would leave
	 * out global setup and the web server's start, and pass for the same quantity */
	if (cJSON_HasObjectItem(stats, "duration")) {
		if (pc_json_get_num(stats, "duration", &ms) || !isfinite(ms) || ms < 0)
			return bad(c, "stats.duration is not a number of milliseconds");
		run->duration = ms / 1000.0;
	}
	return 0;
}

/* Warnings gathered during the walk, one each. */
static int walk_warnings(pw_ctx *c, const cJSON *root)
{
	const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
	int rc;

	if (c->never_started &&
	    (rc = pc_run_warn(c->run, "%lld test entries never started (an interrupted run or "
				      "--max-failures); they count as skipped", c->never_started)))
		return rc;
	if (c->bad_perf &&
	    (rc = pc_run_warn(c->run, "%lld perf:* annotations skipped, first: %s", c->bad_perf,
			      c->first_bad)))
		return rc;
	if (cJSON_IsArray(errors) && cJSON_GetArraySize(errors) > 0)
		return pc_run_warn(c->run, "the report lists %d errors outside tests (configuration, "
					   "global setup, worker crashes)", cJSON_GetArraySize(errors));
	return 0;
}

int pc_playwright_parse(pc_run *run, cJSON *root)
{
	cJSON *suites = cJSON_GetObjectItemCaseSensitive(root, "suites"), *s;
	pc_series *rate;
	pw_ctx c;
	int i = 0, rc;

	memset(&c, 0, sizeof(c));
	c.run = run;
	pc_buf_init(&c.where, 0);
	pc_buf_init(&c.title, 0);
	if (!(c.unit_warned = pc_map_new())) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = read_header(&c, root)))
		goto done;
	if (!cJSON_IsArray(suites)) {
		rc = bad(&c, "suites is not an array");
		goto done;
	}
	cJSON_ArrayForEach(s, suites)
	{
		if ((rc = pc_buf_printf(&c.where, "suites[%d]", i++)) || (rc = walk_suite(&c, s, NULL, 0)))
			goto done;
		buf_cut(&c.where, 0);
	}
	if (!run->started_at)
		run->started_at = c.earliest;
	/* a run where nothing ran still says so: empty pooled rates, not missing ones */
	if ((rc = pc_run_series(run, &rate, "tests_failed", "{}", PC_KIND_RATE, "ratio")) ||
	    (rc = pc_run_series(run, &rate, "tests_flaky", "{}", PC_KIND_RATE, "ratio")))
		goto done;
	if ((rc = finish_series(run)) || (rc = read_totals(&c, root)) ||
	    (rc = walk_warnings(&c, root)))
		goto done;
done:
	pc_map_free(c.unit_warned);
	pc_buf_release(&c.where);
	pc_buf_release(&c.title);
	return rc;
}
