/* k6 end-of-test summaries: --summary-export (legacy flat), handleSummary data, and the opt-in
 * v1.5+ machine-readable summary. Facts: ../shared/formats/k6.md parts A, B and (d). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "ingest/k6_metric.h"
#include "perfcmp/error.h"
#include "perfcmp/strutil.h"

#define GROUP_DEPTH_MAX 64

static int is_machine_summary(const cJSON *root)
{
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "metadata");

	return cJSON_IsObject(results) &&
	       cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(results, "metrics")) &&
	       cJSON_IsObject(meta) && pc_json_get_str(meta, "k6_version");
}

int pc_k6_summary_detect(const cJSON *root)
{
	return (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "metrics")) &&
		cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "root_group"))) ||
	       is_machine_summary(root);
}

/* handleSummary metrics are {type, contains, values, thresholds}; legacy ones are flat maps. */
static int is_handle_summary(const cJSON *metrics)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, metrics)
	{
		if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "values")) &&
		    pc_json_get_str(m, "type"))
			return 1;
	}
	return 0;
}

/* The legacy format drops the type: infer it from the key set (k6.md part A). */
static pc_kind infer_kind(const cJSON *values)
{
	int count = cJSON_HasObjectItem(values, "count"), rate = cJSON_HasObjectItem(values, "rate");
	int passes = cJSON_HasObjectItem(values, "passes"), fails = cJSON_HasObjectItem(values, "fails");
	int value = cJSON_HasObjectItem(values, "value"), min = cJSON_HasObjectItem(values, "min");
	int max = cJSON_HasObjectItem(values, "max");

	if (count && rate)
		return PC_KIND_COUNTER;
	if (passes && fails && value)
		return PC_KIND_RATE;
	if (value && min && max && !passes)
		return PC_KIND_GAUGE;
	return PC_KIND_TREND;
}

static double num_or_nan(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

/* Store every statistic of `values`; the legacy rate's "value" is the ratio ("rate"). */
static int add_values(pc_series *s, const cJSON *values, int legacy)
{
	const cJSON *v;
	char name[24];
	int rc, all_zero = 1;

	cJSON_ArrayForEach(v, values)
	{
		if (!v->string || (legacy && strcmp(v->string, "thresholds") == 0))
			continue;
		if (!cJSON_IsNumber(v) && !cJSON_IsNull(v))
			return pc_error_set(PC_EINPUT, "metric %s: statistic \"%.40s\" is not a number",
					    s->metric, v->string);
		if (legacy && s->kind == PC_KIND_RATE && strcmp(v->string, "value") == 0)
			strcpy(name, "rate");
		else if ((rc = pc_stat_name_norm(v->string, name)))
			return rc;
		if ((rc = pc_series_set_stat(s, name, num_or_nan(v))))
			return rc;
		if (!cJSON_IsNumber(v) || v->valuedouble != 0)
			all_zero = 0;
	}
	/* k6 keeps metrics that had thresholds but no samples, all zeros (k6.md edge case 2) */
	{
		double c;
		if (s->kind == PC_KIND_RATE) {
			double p = 0, f = 0;
			pc_series_get_stat(s, "passes", &p);
			pc_series_get_stat(s, "fails", &f);
			s->empty = p == 0 && f == 0;
		} else if (pc_series_get_stat(s, "count", &c) == 0 && s->kind != PC_KIND_COUNTER) {
			s->empty = c == 0;
		} else {
			s->empty = all_zero && (s->kind == PC_KIND_COUNTER || s->nthresholds > 0);
		}
	}
	return 0;
}

static int add_thresholds(pc_series *s, const cJSON *thr, int legacy)
{
	const cJSON *t;
	int rc;

	if (!thr)
		return 0;
	if (!cJSON_IsObject(thr))
		return pc_error_set(PC_EINPUT, "metric %s: \"thresholds\" is not an object", s->metric);
	cJSON_ArrayForEach(t, thr)
	{
		int ok;
		if (legacy) {
			/* --summary-export: true means the threshold FAILED */
			if (!cJSON_IsBool(t))
				return pc_error_set(PC_EINPUT, "metric %s: threshold \"%.60s\" is not a boolean",
						    s->metric, t->string);
			ok = cJSON_IsFalse(t);
		} else {
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(t, "ok");
			if (!cJSON_IsBool(o))
				return pc_error_set(PC_EINPUT, "metric %s: threshold \"%.60s\" has no \"ok\"",
						    s->metric, t->string);
			ok = cJSON_IsTrue(o);
		}
		if ((rc = pc_series_add_threshold(s, t->string, ok)))
			return rc;
	}
	return 0;
}

static int add_metric(pc_run *run, const cJSON *m, int legacy)
{
	const cJSON *values = legacy ? m : cJSON_GetObjectItemCaseSensitive(m, "values");
	const char *contains = legacy ? NULL : pc_json_get_str(m, "contains");
	char *metric = NULL, *tags = NULL;
	pc_series *s;
	pc_kind kind;
	int rc;

	if (!cJSON_IsObject(values))
		return pc_error_set(PC_EINPUT, "metric \"%.80s\" has no values object", m->string);
	if ((rc = pc_k6_split_name(m->string, &metric, &tags)))
		return rc;
	if (legacy) {
		kind = infer_kind(values);
	} else {
		const char *type = pc_json_get_str(m, "type");
		if (!type || pc_kind_parse(type, &kind)) {
			rc = pc_error_set(PC_EINPUT, "metric \"%.80s\": unknown type", m->string);
			goto done;
		}
	}
	if ((rc = pc_run_series(run, &s, metric, tags, kind, pc_k6_unit(metric, contains, kind))))
		goto done;
	if (s->nstats) {
		rc = pc_error_set(PC_EINPUT, "metric \"%.80s\" appears twice", m->string);
		goto done;
	}
	if ((rc = add_thresholds(s, cJSON_GetObjectItemCaseSensitive(m, "thresholds"), legacy)))
		goto done;
	rc = add_values(s, values, legacy);
done:
	free(metric);
	free(tags);
	return rc;
}

static int count_field(const cJSON *c, const char *key, long long *out)
{
	double v;

	if (pc_json_get_num(c, key, &v) || v < 0 || v != floor(v) || v > 9e15)
		return pc_error_set(PC_EINPUT, "check \"%.80s\": \"%s\" is not a count",
				    pc_json_get_str(c, "name") ? pc_json_get_str(c, "name") : "?", key);
	*out = (long long)v;
	return 0;
}

/* Walk a group: checks and nested groups are arrays (handleSummary) or objects keyed by name
 * (legacy); cJSON iterates both the same way. */
static int add_group(pc_run *run, const cJSON *g, int depth)
{
	const cJSON *c, *sub;
	int rc;

	if (depth > GROUP_DEPTH_MAX)
		return pc_error_set(PC_EINPUT, "groups nested deeper than %d", GROUP_DEPTH_MAX);
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(g, "checks"))
	{
		const char *name = pc_json_get_str(c, "name"), *path = pc_json_get_str(c, "path");
		long long passes, fails;
		if (!name)
			name = c->string ? c->string : "";
		if (!path)
			path = name;
		if ((rc = count_field(c, "passes", &passes)) || (rc = count_field(c, "fails", &fails)))
			return rc;
		if ((rc = pc_run_add_check(run, path, name, passes, fails)))
			return rc;
	}
	cJSON_ArrayForEach(sub, cJSON_GetObjectItemCaseSensitive(g, "groups"))
	{
		if (!cJSON_IsObject(sub))
			return pc_error_set(PC_EINPUT, "a group is not an object");
		if ((rc = add_group(run, sub, depth + 1)))
			return rc;
	}
	return 0;
}

/* The v1.5+ machine-readable summary: metrics are a list, no thresholds, groups or tags. */
static int parse_machine(pc_run *run, const cJSON *root)
{
	const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");
	const cJSON *config = cJSON_GetObjectItemCaseSensitive(root, "config");
	const cJSON *m, *c;
	double d;
	int rc;

	run->source = PC_SRC_K6_SUMMARY;
	if (!(run->tool_version = pc_strdup(pc_json_get_str(cJSON_GetObjectItemCaseSensitive(root, "metadata"),
							     "k6_version"))))
		return PC_ENOMEM;
	if (pc_json_get_num(config, "duration", &d) == 0 && isfinite(d) && d >= 0)
		run->duration = d;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(results, "metrics"))
	{
		const char *name = pc_json_get_str(m, "name"), *type = pc_json_get_str(m, "type");
		const cJSON *values = cJSON_GetObjectItemCaseSensitive(m, "values"), *v;
		pc_series *s;
		pc_kind kind;
		double matches, total;

		if (!name || !type || pc_kind_parse(type, &kind) || !cJSON_IsObject(values))
			return pc_error_set(PC_EINPUT, "machine-readable summary: a metric without name, "
						       "type or values");
		if ((rc = pc_run_series(run, &s, name, "{}", kind,
					pc_k6_unit(name, pc_json_get_str(m, "contains"), kind))))
			return rc;
		cJSON_ArrayForEach(v, values)
		{
			char stat[24];
			if (strcmp(v->string, "matches") == 0 || strcmp(v->string, "total") == 0)
				continue;
			if ((rc = pc_stat_name_norm(v->string, stat)) ||
			    (rc = pc_series_set_stat(s, stat, num_or_nan(v))))
				return rc;
		}
		if (kind == PC_KIND_RATE && pc_json_get_num(values, "matches", &matches) == 0 &&
		    pc_json_get_num(values, "total", &total) == 0) {
			if ((rc = pc_series_set_stat(s, "passes", matches)) ||
			    (rc = pc_series_set_stat(s, "fails", total - matches)))
				return rc;
			s->empty = total == 0;
		}
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(
				      cJSON_GetObjectItemCaseSensitive(results, "checks"), "results"))
	{
		const char *name = pc_json_get_str(c, "name");
		long long passes, fails;
		char path[1024];
		if (!name)
			return pc_error_set(PC_EINPUT, "machine-readable summary: a check without a name");
		if ((rc = count_field(c, "passes", &passes)) || (rc = count_field(c, "fails", &fails)))
			return rc;
		snprintf(path, sizeof(path), "::%s", name);
		if ((rc = pc_run_add_check(run, path, name, passes, fails)))
			return rc;
	}
	return 0;
}

int pc_k6_summary_parse(pc_run *run, const cJSON *root)
{
	const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(root, "metrics"), *m;
	int legacy, rc;
	double ms;

	if (is_machine_summary(root))
		return parse_machine(run, root);
	legacy = !is_handle_summary(metrics);
	run->source = legacy ? PC_SRC_K6_SUMMARY : PC_SRC_K6_HANDLE_SUMMARY;
	if (!legacy) {
		const cJSON *state = cJSON_GetObjectItemCaseSensitive(root, "state");
		if (pc_json_get_num(state, "testRunDurationMs", &ms) == 0 && isfinite(ms) && ms >= 0)
			run->duration = ms / 1000.0;
	}
	cJSON_ArrayForEach(m, metrics)
	{
		if (!cJSON_IsObject(m))
			return pc_error_set(PC_EINPUT, "metric \"%.80s\" is not an object", m->string);
		if ((rc = add_metric(run, m, legacy)))
			return rc;
	}
	if (run->nseries == 0)
		return pc_error_set(PC_EINPUT, "k6 summary without metrics");
	/* setup_data is user JSON (tokens, secrets): never read, never stored */
	return add_group(run, cJSON_GetObjectItemCaseSensitive(root, "root_group"), 0);
}
