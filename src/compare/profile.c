/* Comparison profiles: profiles/NAME.json parsed into rules (cJSON lives here and in ingest). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "perfcmp/buf.h"
#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/strutil.h"

#define PROFILE_MAX_BYTES (1u << 20)

static void rule_release(pc_rule *r)
{
	size_t i;

	free(r->metric);
	for (i = 0; i < r->nby; i++)
		free(r->by[i]);
	free(r->by);
	for (i = 0; i < r->nstats; i++)
		free(r->stats[i]);
	free(r->stats);
}

void pc_profile_free(pc_profile *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nk6; i++)
		rule_release(&p->k6[i]);
	for (i = 0; i < p->nplaywright; i++)
		rule_release(&p->playwright[i]);
	free(p->k6);
	free(p->playwright);
	free(p->name);
	free(p->path);
	free(p->description);
	free(p);
}

/* A JSON array of strings into a new string array. */
static int str_list(const cJSON *arr, const char *what, char ***out, size_t *n)
{
	const cJSON *v;
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return pc_error_set(PC_EINPUT, "%s must be an array of strings", what);
	*n = (size_t)cJSON_GetArraySize(arr);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return pc_error_set(PC_ENOMEM, "out of memory");
	cJSON_ArrayForEach(v, arr)
	{
		if (!cJSON_IsString(v))
			return pc_error_set(PC_EINPUT, "%s must be an array of strings", what);
		if (!((*out)[i++] = pc_strdup(v->valuestring)))
			return PC_ENOMEM;
	}
	return 0;
}

static int is_str(const cJSON *obj, const char *key)
{
	return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static int number(const cJSON *r, const char *key, double dflt, double *out, const char *where)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);

	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0)
		return pc_error_set(PC_EINPUT, "%s: \"%s\" must be a number ≥ 0", where, key);
	*out = v->valuedouble;
	return 0;
}

/* A statistic perfcmp stores (SPEC.md "Series naming"): a typo must not turn a CI gate into one
 * that compares nothing and passes. Percentiles are pN with 0 < N < 100 (min and max are the
 * ends). */
static int stat_name_ok(const char *s)
{
	static const char *const names[] = {"count", "min", "max", "avg", "stddev", "rate",
					    "passes", "fails", "value"};
	char *end;
	double v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(s, names[i]) == 0)
			return 1;
	if (s[0] != 'p' || !(s[1] >= '0' && s[1] <= '9'))
		return 0;
	v = strtod(s + 1, &end);
	return !*end && v > 0 && v < 100 && end[-1] != '.';
}

static int parse_rule(pc_rule *r, const cJSON *j, const char *where)
{
	const cJSON *v;
	const char *worse;
	char w[96];
	int rc;

	if (!cJSON_IsObject(j))
		return pc_error_set(PC_EINPUT, "%s is not an object", where);
	if (!is_str(j, "metric"))
		return pc_error_set(PC_EINPUT, "%s: \"metric\" must be a string", where);
	if (!(r->metric = pc_strdup(cJSON_GetObjectItemCaseSensitive(j, "metric")->valuestring)))
		return PC_ENOMEM;
	snprintf(w, sizeof(w), "%s (%s)", where, r->metric);
	v = cJSON_GetObjectItemCaseSensitive(j, "by");
	if (v) {
		if ((rc = str_list(v, "\"by\"", &r->by, &r->nby)))
			return pc_error_prefix("%s", w), rc;
	} else {
		r->by = calloc(1, sizeof(*r->by));
		if (!r->by || !(r->by[0] = pc_strdup("")))
			return pc_error_set(PC_ENOMEM, "out of memory");
		r->nby = 1;
	}
	if ((rc = str_list(cJSON_GetObjectItemCaseSensitive(j, "stats"), "\"stats\"", &r->stats,
			   &r->nstats)))
		return pc_error_prefix("%s", w), rc;
	if (r->nstats == 0)
		return pc_error_set(PC_EINPUT, "%s: \"stats\" is empty", w);
	for (size_t k = 0; k < r->nstats; k++) {
		if (!stat_name_ok(r->stats[k])) {
			pc_error_set(PC_EINPUT, "%s: unknown statistic \"%s\"", w, r->stats[k]);
			pc_error_hint("statistics are count min max avg stddev p50 p90 p95 p99 p99.9 (any pN) "
				      "rate passes fails value");
			return PC_EINPUT;
		}
	}
	worse = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "worse"))
			? cJSON_GetObjectItemCaseSensitive(j, "worse")->valuestring
			: "higher";
	if (strcmp(worse, "higher") != 0 && strcmp(worse, "lower") != 0)
		return pc_error_set(PC_EINPUT, "%s: \"worse\" is \"higher\" or \"lower\"", w);
	r->higher_is_worse = worse[0] == 'h';
	if ((rc = number(j, "relative", 0.10, &r->relative, w)) ||
	    (rc = number(j, "absolute", 0, &r->absolute, w)))
		return rc;
	return 0;
}

static int parse_rules(const cJSON *arr, const char *tool, pc_rule **out, size_t *n)
{
	const cJSON *j;
	size_t i = 0;
	int rc;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return pc_error_set(PC_EINPUT, "\"%s\" must be an array of rules", tool);
	*n = (size_t)cJSON_GetArraySize(arr);
	if (!(*out = calloc(*n ? *n : 1, sizeof(**out))))
		return pc_error_set(PC_ENOMEM, "out of memory");
	cJSON_ArrayForEach(j, arr)
	{
		char where[64];
		snprintf(where, sizeof(where), "%s[%zu]", tool, i);
		if ((rc = parse_rule(&(*out)[i++], j, where)))
			return rc;
	}
	return 0;
}

int pc_profile_load(pc_profile **out, const char *path)
{
	pc_profile *p = NULL;
	pc_buf text = PC_BUF_INIT;
	cJSON *root = NULL;
	const char *base, *dot;
	FILE *f = NULL;
	char chunk[8192];
	size_t got;
	int rc = PC_ENOMEM;

	*out = NULL;
	pc_buf_init(&text, PROFILE_MAX_BYTES);
	if (!(f = fopen(path, "rb"))) {
		rc = pc_error_set(PC_EUSAGE, "cannot open: %s", strerror(errno));
		goto done;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((rc = pc_buf_add(&text, chunk, got)))
			goto done;
	if (ferror(f)) {
		rc = pc_error_set(PC_EINPUT, "cannot read: %s", strerror(errno));
		goto done;
	}
	if (!text.ptr && (rc = pc_buf_add(&text, "", 0)))
		goto done;
	if (!(root = cJSON_ParseWithLength(text.ptr, text.len))) {
		const char *at = cJSON_GetErrorPtr();
		if (at && at >= text.ptr && at < text.ptr + text.len)
			rc = pc_error_set(PC_EINPUT, "malformed JSON at byte %zu", (size_t)(at - text.ptr));
		else
			rc = pc_error_set(PC_EINPUT, text.len ? "malformed JSON: it stops before its end"
							      : "the file is empty");
		goto done;
	}
	if (!cJSON_IsObject(root)) {
		rc = pc_error_set(PC_EINPUT, "not a JSON object");
		goto done;
	}
	if (!(p = calloc(1, sizeof(*p))))
		goto nomem;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!(p->name = pc_strndup(base, dot ? (size_t)(dot - base) : strlen(base))) ||
	    !(p->path = pc_strdup(path)) ||
	    !(p->description = pc_strdup(is_str(root, "description")
						 ? cJSON_GetObjectItemCaseSensitive(root, "description")->valuestring
						 : "")))
		goto nomem;
	if ((rc = parse_rules(cJSON_GetObjectItemCaseSensitive(root, "k6"), "k6", &p->k6, &p->nk6)) ||
	    (rc = parse_rules(cJSON_GetObjectItemCaseSensitive(root, "playwright"), "playwright",
			      &p->playwright, &p->nplaywright)))
		goto done;
	if (!p->nk6 && !p->nplaywright) {
		rc = pc_error_set(PC_EINPUT, "no \"k6\" or \"playwright\" rules");
		goto done;
	}
	*out = p;
	p = NULL;
	rc = 0;
	goto done;
nomem:
	rc = pc_error_set(PC_ENOMEM, "out of memory");
done:
	if (rc && rc != PC_ENOMEM)
		pc_error_prefix("profile %s", path);
	if (f)
		fclose(f);
	cJSON_Delete(root);
	pc_buf_release(&text);
	pc_profile_free(p);
	return rc;
}
