/* k6 --out json NDJSON stream: the line reader, a single-pass scanner for the Point lines k6
 * writes (cJSON for Metric lines and any other shape), and accumulation per distinct tag set.
 * Facts: ../shared/formats/k6.md part C. The series are built in k6_points_series.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/k6_metric.h"
#include "ingest/k6_points.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/strutil.h"
#include "util/input_ahead.h"

#define PROGRESS_EVERY ((uint64_t)1 << 18)
#define DEFAULT_BY "name,scenario,group,status,method,expected_response"

enum line_result { LINE_OK, LINE_BAD_JSON, LINE_BAD_VALUE, LINE_OTHER };

static int grow(void **ptr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / size || !(p = realloc(*ptr, ncap * size)))
		return pc_error_set(PC_ENOMEM, "out of memory");
	*ptr = p;
	*cap = ncap;
	return 0;
}
#define GROW(arr, need, cap) grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* --- metrics ------------------------------------------------------------------------------ */

static enum k6_role role_of(const char *name)
{
	static const struct {
		const char *name;
		enum k6_role role;
	} roles[] = {{"http_reqs", K6_ROLE_REQS},
		     {"http_req_failed", K6_ROLE_FAILED},
		     {"http_req_duration", K6_ROLE_DURATION},
		     {"vus", K6_ROLE_VUS},
		     {"iterations", K6_ROLE_ITERS}};
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(*roles); i++)
		if (strcmp(name, roles[i].name) == 0)
			return roles[i].role;
	return K6_ROLE_NONE;
}

/* A metric without a Metric line (a stream cut at the front): guess from k6's built-in names,
 * and keep its values like a trend's so any kind can be summarized at the end. */
static pc_kind guess_kind(const char *name)
{
	static const char *const counters[] = {"http_reqs", "iterations", "data_sent",
					       "data_received", "dropped_iterations"};
	size_t i;

	for (i = 0; i < sizeof(counters) / sizeof(*counters); i++)
		if (strcmp(name, counters[i]) == 0)
			return PC_KIND_COUNTER;
	if (strcmp(name, "http_req_failed") == 0 || strcmp(name, "checks") == 0)
		return PC_KIND_RATE;
	if (strcmp(name, "vus") == 0 || strcmp(name, "vus_max") == 0)
		return PC_KIND_GAUGE;
	return PC_KIND_TREND;
}

static int metric_get(k6_reader *r, const char *name, size_t len, k6_metric **out)
{
	const unsigned char *u = (const unsigned char *)name;
	size_t slot = len ? (len * 7 + u[len - 1] * 3u + u[len / 2]) & 63 : 0;
	k6_metric *m = r->metric_cache[slot];
	int rc;

	if (m && m->name_len == len && memcmp(m->name, name, len) == 0) {
		*out = m;
		return 0;
	}
	if ((m = pc_map_get(r->metric_map, name, len))) {
		r->metric_cache[slot] = m;
		*out = m;
		return 0;
	}
	if ((rc = GROW(r->metrics, r->nmetrics + 1, r->capmetrics)))
		return rc;
	if (!(m = calloc(1, sizeof(*m))) || !(m->name = pc_strndup(name, len))) {
		free(m);
		return pc_error_set(PC_ENOMEM, "out of memory");
	}
	m->name_len = strlen(m->name); /* shorter than len if the name holds a NUL */
	m->kind = guess_kind(m->name);
	m->unit = pc_k6_unit(m->name, NULL, m->kind);
	m->role = role_of(m->name);
	if ((rc = pc_map_put(r->metric_map, name, len, m))) {
		free(m->name);
		free(m);
		return rc;
	}
	r->metrics[r->nmetrics++] = m;
	*out = m;
	return 0;
}

static int kind_of(const char *type, pc_kind *out)
{
	if (!type)
		return -1;
	return pc_kind_parse(type, out) ? -1 : 0;
}

/* Tag pairs of a JSON object of strings, sorted by key (later duplicates win). */
static int decode_pairs(const cJSON *obj, char ***keys, char ***vals, size_t *n)
{
	const cJSON *c;
	size_t cnt = 0, i, j;

	*keys = *vals = NULL;
	*n = 0;
	if (cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return PC_EINPUT;
	cJSON_ArrayForEach(c, obj)
	{
		if (!cJSON_IsString(c) || !c->string)
			return PC_EINPUT;
		cnt++;
	}
	if (!cnt)
		return 0;
	if (!(*keys = calloc(cnt, sizeof(char *))) || !(*vals = calloc(cnt, sizeof(char *))))
		return pc_error_set(PC_ENOMEM, "out of memory");
	cJSON_ArrayForEach(c, obj)
	{
		char *k = c->string, *v = c->valuestring;
		for (i = 0; i < *n && strcmp((*keys)[i], k) < 0; i++)
			;
		if (i < *n && strcmp((*keys)[i], k) == 0) {
			free((*vals)[i]);
			if (!((*vals)[i] = pc_strdup(v)))
				return PC_ENOMEM;
			continue;
		}
		for (j = *n; j > i; j--) {
			(*keys)[j] = (*keys)[j - 1];
			(*vals)[j] = (*vals)[j - 1];
		}
		(*keys)[i] = (*vals)[i] = NULL;
		(*n)++;
		if (!((*keys)[i] = pc_strdup(k)) || !((*vals)[i] = pc_strdup(v)))
			return PC_ENOMEM;
	}
	return 0;
}

static void free_pairs(char **keys, char **vals, size_t n)
{
	size_t i;

	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	for (i = 0; vals && i < n; i++)
		free(vals[i]);
	free(keys);
	free(vals);
}

static int add_sub(k6_metric *m, const char *name)
{
	char *metric = NULL, *tags = NULL;
	cJSON *obj = NULL;
	k6_sub *s;
	int rc;

	if ((rc = pc_k6_split_name(name, &metric, &tags)))
		return rc;
	free(metric);
	if ((rc = GROW(m->subs, m->nsubs + 1, m->capsubs)))
		goto done;
	s = &m->subs[m->nsubs];
	memset(s, 0, sizeof(*s));
	s->tags = tags;
	tags = NULL;
	m->nsubs++;
	/* the canonical tags are JSON: decode them back into the pairs to match */
	if (!(obj = cJSON_Parse(s->tags))) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	rc = decode_pairs(obj, &s->keys, &s->vals, &s->n);
done:
	cJSON_Delete(obj);
	free(tags);
	return rc;
}

static int add_thresholds(k6_metric *m, const cJSON *thr)
{
	const cJSON *t;
	int rc;

	cJSON_ArrayForEach(t, thr)
	{
		const char *e = cJSON_IsString(t) ? t->valuestring : pc_json_get_str(t, "threshold");
		if (!e)
			continue;
		if ((rc = GROW(m->thr, m->nthr + 1, m->capthr)))
			return rc;
		if (!(m->thr[m->nthr] = pc_strdup(e)))
			return PC_ENOMEM;
		m->nthr++;
	}
	return 0;
}

static int metric_line(k6_reader *r, const cJSON *root)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *subs, *s;
	const char *name = pc_json_get_str(data, "name");
	k6_metric *m;
	pc_kind kind;
	int rc;

	if (!name)
		name = pc_json_get_str(root, "metric");
	if (!name || kind_of(pc_json_get_str(data, "type"), &kind))
		return LINE_OTHER;
	if ((rc = metric_get(r, name, strlen(name), &m)))
		return rc;
	if (m->declared)
		return LINE_OK;
	m->declared = 1;
	m->kind = kind;
	m->unit = pc_k6_unit(m->name, pc_json_get_str(data, "contains"), kind);
	if ((rc = add_thresholds(m, cJSON_GetObjectItemCaseSensitive(data, "thresholds"))))
		return rc;
	subs = cJSON_GetObjectItemCaseSensitive(data, "submetrics");
	cJSON_ArrayForEach(s, subs)
	{
		const char *sn = pc_json_get_str(s, "name");
		if (sn && (rc = add_sub(m, sn)) && rc != PC_EINPUT)
			return rc;
	}
	return LINE_OK;
}

/* --- tag sets ----------------------------------------------------------------------------- */

static void tagset_free(k6_tagset *ts)
{
	if (!ts)
		return;
	free_pairs(ts->keys, ts->vals, ts->n);
	free(ts->canon);
	for (size_t i = 0; ts->combo && i < ts->ncombo; i++)
		free(ts->combo[i]);
	free(ts->combo);
	free(ts);
}

/* The tag set with these decoded tags (obj: an object of strings, or NULL/null for none). */
static int tagset_from_json(k6_reader *r, const cJSON *obj, k6_tagset **out)
{
	k6_tagset *ts = calloc(1, sizeof(*ts)), *have;
	int rc;

	if (!ts)
		return pc_error_set(PC_ENOMEM, "out of memory");
	if ((rc = decode_pairs(obj, &ts->keys, &ts->vals, &ts->n)))
		goto done;
	rc = PC_ENOMEM;
	if (!(ts->canon = pc_tags_canon((const char *const *)ts->keys,
					(const char *const *)ts->vals, ts->n)))
		goto done;
	if ((have = pc_map_get(r->ts_canon, ts->canon, strlen(ts->canon)))) {
		*out = have;
		rc = 0;
		goto done;
	}
	if ((rc = GROW(r->tagsets, r->ntagsets + 1, r->captagsets)) ||
	    (rc = pc_map_put(r->ts_canon, ts->canon, strlen(ts->canon), ts)))
		goto done;
	ts->id = r->ntagsets;
	r->tagsets[r->ntagsets++] = ts;
	*out = ts;
	ts = NULL;
done:
	if (rc == PC_ENOMEM && pc_error_last() != PC_ENOMEM)
		pc_error_set(PC_ENOMEM, "out of memory");
	tagset_free(ts);
	return rc;
}

/* The tag set of the raw bytes of a tags object; PC_EINPUT when they are not a flat object of
 * strings (the caller falls back to cJSON on the whole line). */
static int tagset_from_raw(k6_reader *r, const char *p, size_t n, k6_tagset **out)
{
	const char *end = NULL;
	cJSON *obj;
	int rc;

	if (n == r->last_raw_len && r->last_ts && memcmp(p, r->last_raw, n) == 0) {
		*out = r->last_ts;
		return 0;
	}
	if (!(*out = pc_map_get(r->ts_raw, p, n))) {
		if (memchr(p, '\0', n))
			return PC_EINPUT; /* cJSON would take it for white space */
		obj = cJSON_ParseWithLengthOpts(p, n, &end, 0);
		if (!obj || end != p + n || !cJSON_IsObject(obj)) {
			cJSON_Delete(obj);
			return PC_EINPUT;
		}
		rc = tagset_from_json(r, obj, out);
		cJSON_Delete(obj);
		if (rc || (rc = pc_map_put(r->ts_raw, p, n, *out)))
			return rc;
	}
	if ((rc = GROW(r->last_raw, n + 1, r->last_raw_cap)))
		return rc;
	memcpy(r->last_raw, p, n);
	r->last_raw_len = n;
	r->last_ts = *out;
	return 0;
}

/* --- samples ------------------------------------------------------------------------------ */

static int second_of(k6_reader *r, int64_t t, k6_second **out)
{
	int64_t s = t >= 0 ? t / 1000000000 : -((-t + 999999999) / 1000000000);
	size_t lo = r->nsecs && s < r->sec0 ? (size_t)(r->sec0 - s) : 0;
	size_t hi = !r->nsecs ? 1 : s >= r->sec0 && (size_t)(s - r->sec0) >= r->nsecs ? (size_t)(s - r->sec0) + 1 - r->nsecs : 0;
	k6_second *p;

	if (!r->nsecs)
		r->sec0 = s;
	/* a stray time stamp months away must not make a dense per-second array of it: a real
	 * test has points (at least the vus gauge) every second */
	if (r->nsecs + lo + hi > K6_MAX_SECONDS || r->nsecs + lo + hi > 2 * r->points + 7200)
		return 1;
	if (lo || hi) {
		/* lines are out of order by a few flushes at most: grow by whole minutes */
		if (lo)
			lo += 60;
		if (hi)
			hi += 60;
		if (!(p = realloc(r->secs, (r->nsecs + lo + hi) * sizeof(*p))))
			return pc_error_set(PC_ENOMEM, "out of memory");
		memmove(p + lo, p, r->nsecs * sizeof(*p));
		memset(p, 0, lo * sizeof(*p));
		memset(p + lo + r->nsecs, 0, hi * sizeof(*p));
		r->secs = p;
		r->nsecs += lo + hi;
		r->sec0 -= (int64_t)lo;
	}
	*out = &r->secs[s - r->sec0];
	return 0;
}

static int timeline_note(k6_reader *r, const k6_metric *m, int64_t t, double v)
{
	k6_second *sec = NULL;
	int rc;

	if ((rc = second_of(r, t, &sec)))
		return rc < 0 ? rc : 0;
	switch (m->role) {
	case K6_ROLE_REQS:
		sec->reqs++;
		break;
	case K6_ROLE_FAILED:
		sec->failed += v != 0;
		break;
	case K6_ROLE_ITERS:
		sec->iters += v;
		break;
	case K6_ROLE_VUS:
		if (!sec->has_vus || t >= sec->vus_t) {
			sec->vus = v;
			sec->vus_t = t;
			sec->has_vus = 1;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int cell_get(k6_metric *m, k6_tagset *ts, k6_cell **out)
{
	k6_cell *c;
	int rc;

	if (ts->id >= m->nby_ts) {
		size_t n = ts->id + 1 > 2 * m->nby_ts ? ts->id + 1 : 2 * m->nby_ts;
		k6_cell **p = realloc(m->by_ts, n * sizeof(*p));
		if (!p)
			return pc_error_set(PC_ENOMEM, "out of memory");
		memset(p + m->nby_ts, 0, (n - m->nby_ts) * sizeof(*p));
		m->by_ts = p;
		m->nby_ts = n;
	}
	if ((c = m->by_ts[ts->id])) {
		*out = c;
		return 0;
	}
	if ((rc = GROW(m->cells, m->ncells + 1, m->capcells)))
		return rc;
	if (!(c = calloc(1, sizeof(*c))))
		return pc_error_set(PC_ENOMEM, "out of memory");
	c->ts = ts;
	m->cells[m->ncells++] = c;
	m->by_ts[ts->id] = c;
	*out = c;
	return 0;
}

static int add_sample(k6_reader *r, k6_metric *m, k6_tagset *ts, int64_t t, double v)
{
	k6_cell *c = NULL;
	int64_t d, ms;
	int rc;

	if ((rc = cell_get(m, ts, &c)))
		return rc;
	if (!r->have_base) {
		r->have_base = 1;
		r->base_ns = r->tmin = r->tmax = t;
	}
	if (m->kind == PC_KIND_TREND || !m->declared) {
		if (c->n == c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 16;
			double *nv = realloc(c->v, ncap * sizeof(*nv));
			int32_t *nt;
			if (!nv)
				return pc_error_set(PC_ENOMEM, "out of memory");
			c->v = nv;
			if (!(nt = realloc(c->t, ncap * sizeof(*nt))))
				return pc_error_set(PC_ENOMEM, "out of memory");
			c->t = nt;
			c->cap = ncap;
		}
		d = t - r->base_ns;
		ms = d >= 0 ? d / 1000000 : -((-d + 999999) / 1000000);
		c->v[c->n] = v;
		c->t[c->n++] = ms > INT32_MAX ? INT32_MAX : ms < INT32_MIN ? INT32_MIN : (int32_t)ms;
	}
	if (c->count == 0 || v < c->min)
		c->min = v;
	if (c->count == 0 || v > c->max)
		c->max = v;
	if (c->count == 0 || t >= c->last_t) {
		c->last_t = t;
		c->last_v = v;
	}
	c->count++;
	c->sum += v;
	c->nonzero += v != 0;
	ts->points++;
	r->points++;
	if (t < r->tmin)
		r->tmin = t;
	if (t > r->tmax)
		r->tmax = t;
	return m->role != K6_ROLE_NONE && m->role != K6_ROLE_DURATION ? timeline_note(r, m, t, v) : 0;
}

/* --- the scanner -------------------------------------------------------------------------- */

static int digits2(const char *s, int *out)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* RFC 3339 as Go writes it; the local hour is cached since consecutive lines share it. */
static int parse_time(k6_reader *r, const char *s, size_t n, int64_t *out)
{
	int mm, ss, oh, om, nd = 0;
	int64_t frac = 0, off = 0;
	size_t i = 19;

	if (n < 20 || s[13] != ':' || s[16] != ':' || digits2(s + 14, &mm) || digits2(s + 17, &ss) ||
	    mm > 59 || ss > 60)
		return pc_time_parse(s, n, out);
	if (memcmp(s, r->hour_key, 13) != 0) {
		char tmp[32];
		memcpy(tmp, s, 13);
		memcpy(tmp + 13, ":00:00Z", 7);
		if (pc_time_parse(tmp, 20, &r->hour_ns))
			return pc_time_parse(s, n, out);
		memcpy(r->hour_key, s, 13);
	}
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9' && nd < 9; i++, nd++)
			frac = frac * 10 + (s[i] - '0');
		if (nd == 0)
			return pc_time_parse(s, n, out);
		for (; nd < 9; nd++)
			frac *= 10;
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		off = 0;
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
		   !digits2(s + i + 1, &oh) && !digits2(s + i + 4, &om) && oh <= 23 && om <= 59) {
		off = ((int64_t)oh * 60 + om) * 60 * 1000000000;
		if (s[i] == '-')
			off = -off;
	} else {
		return pc_time_parse(s, n, out);
	}
	*out = r->hour_ns + ((int64_t)mm * 60 + ss) * 1000000000 + frac - off;
	return 0;
}

/* A JSON number, exactly as strtod reads it: the common short decimals by one exact division
 * (mantissa < 2^53 and a power of ten < 1e23 are both exact), the rest by strtod. NULL when
 * `p` is not a number (NaN, Inf, null, ...). */
static const char *parse_number(const char *p, const char *e, int bounded, double *out)
{
	static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	const char *s = p;
	uint64_t m = 0;
	int nd = 0, frac = 0, neg = 0;
	char *end;

	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	for (; p < e && *p >= '0' && *p <= '9'; p++, nd++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (nd == 0)
		return NULL; /* ".5" is not JSON: cJSON rejects it, so must the scanner */
	if (p < e && *p == '.') {
		for (p++; p < e && *p >= '0' && *p <= '9'; p++, nd++, frac++)
			m = m * 10 + (uint64_t)(*p - '0');
	}
	if (nd == 0)
		return NULL;
	if (nd <= 19 && m <= ((uint64_t)1 << 53) && frac <= 22 && (p == e || (*p != 'e' && *p != 'E'))) {
		double v = (double)m / pow10[frac];
		*out = neg ? -v : v;
		return p;
	}
	if (bounded)
		return NULL; /* strtod would not stop at e */
	*out = strtod(s, &end);
	return end > s && end <= e ? end : NULL;
}

static int is_nonfinite_token(const char *p, const char *e)
{
	if (p < e && (*p == '+' || *p == '-'))
		p++;
	return p < e && (*p == 'N' || *p == 'I' || *p == 'n' || *p == 'i');
}

#define LIT(p, e, s) ((size_t)((e) - (p)) >= sizeof(s) - 1 && memcmp((p), (s), sizeof(s) - 1) == 0)

/* fast_point() in look-ahead mode could not tell where the line ends. */
#define FAST_NO_END 100

/* The Point lines k6 writes: {"metric":M,"type":"Point","data":{"time":T,"value":V,"tags":{..}}}.
 * Returns a line_result, a negative error, or 1 when the line has another shape (cJSON then).
 * With nl (look-ahead), e is the end of the block: either the line is read, LINE_OK and *nl
 * at its newline, or nothing is done and FAST_NO_END says to find the newline and call again
 * without nl. */
static int fast_point(k6_reader *r, const char *p, const char *e, const char **nl)
{
	const char *name, *q, *tt, *te, *num;
	size_t name_len, len;
	k6_metric *m;
	k6_tagset *ts;
	int64_t t;
	double v;
	int rc, fail = nl ? FAST_NO_END : 1;

	if (!LIT(p, e, "{\"metric\":\""))
		return fail;
	name = p + 11;
	if (!(q = memchr(name, '"', (size_t)(e - name))) || memchr(name, '\\', (size_t)(q - name)) ||
	    memchr(name, '\0', (size_t)(q - name)) || (nl && memchr(name, '\n', (size_t)(q - name))))
		return fail;
	name_len = (size_t)(q - name);
	if (!LIT(q, e, "\",\"type\":\"Point\",\"data\":{\"time\":\""))
		return fail;
	tt = q + 33;
	if (!(te = memchr(tt, '"', (size_t)(e - tt))))
		return fail;
	if (r->last_time_len && (size_t)(te - tt) == r->last_time_len &&
	    memcmp(tt, r->last_time, r->last_time_len) == 0) {
		t = r->last_time_ns;
	} else {
		if (memchr(tt, '\0', (size_t)(te - tt)) || (nl && memchr(tt, '\n', (size_t)(te - tt))) ||
		    parse_time(r, tt, (size_t)(te - tt), &t))
			return fail;
		if ((size_t)(te - tt) <= sizeof(r->last_time)) {
			memcpy(r->last_time, tt, (size_t)(te - tt));
			r->last_time_len = (size_t)(te - tt);
			r->last_time_ns = t;
		}
	}
	q = te + 1;
	if (!LIT(q, e, ",\"value\":"))
		return fail;
	num = q + 9;
	if (!(q = parse_number(num, e, nl != NULL, &v)))
		return nl ? fail : is_nonfinite_token(num, e) ? LINE_BAD_VALUE : 1;
	/* 1e999: whether the line is a point with an infinite value or not JSON at all depends
	 * on the rest of it, which cJSON reads (a rare line, found by fuzz_points_line) */
	if (!isfinite(v))
		return fail;
	if (!LIT(q, e, ",\"tags\":"))
		return fail;
	if (nl) {
		/* look-ahead: e is the end of the block, not of the line. Most lines carry the tags
		 * of the line before (a request's dozen metrics): those bytes, then "}}\n", end it
		 * without a search for the newline; anything else is left to the caller */
		len = r->last_raw_len;
		if (!r->last_ts || (size_t)(e - q - 8) < len + 3 || memcmp(q + 8, r->last_raw, len) != 0 ||
		    memcmp(q + 8 + len, "}}\n", 3) != 0 || (size_t)(q + 8 + len + 2 - p) > r->max_line)
			return fail;
		*nl = q + 8 + len + 2;
		ts = r->last_ts;
	} else {
		/* the tags object runs to the line's closing "}}": anything else after it (metadata)
		 * makes the bytes fail to parse as one object, and the line goes to cJSON */
		if (e - q < 11 || memcmp(e - 3, "}}}", 3) != 0)
			return 1;
		q += 8;
		if ((rc = tagset_from_raw(r, q, (size_t)(e - 2 - q), &ts)))
			return rc == PC_EINPUT ? 1 : rc;
	}
	if ((rc = metric_get(r, name, name_len, &m)) || (rc = add_sample(r, m, ts, t, v)))
		return rc;
	return LINE_OK;
}

/* A Point line of any other shape (old key order, metadata, null tags), through cJSON. */
static int slow_point(k6_reader *r, const cJSON *root)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
	const cJSON *val = cJSON_GetObjectItemCaseSensitive(data, "value");
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(data, "tags");
	const char *name = pc_json_get_str(root, "metric"), *time = pc_json_get_str(data, "time");
	k6_metric *m;
	k6_tagset *ts;
	int64_t t;
	int rc;

	if (!name || !time || pc_time_parse(time, strlen(time), &t))
		return LINE_OTHER;
	if (cJSON_IsNull(val) || (cJSON_IsNumber(val) && !isfinite(val->valuedouble)))
		return LINE_BAD_VALUE;
	if (!cJSON_IsNumber(val))
		return LINE_OTHER;
	if (tags && !cJSON_IsNull(tags) && !cJSON_IsObject(tags))
		return LINE_OTHER;
	if ((rc = tagset_from_json(r, tags, &ts)))
		return rc == PC_EINPUT ? LINE_OTHER : rc;
	if ((rc = metric_get(r, name, strlen(name), &m)) ||
	    (rc = add_sample(r, m, ts, t, val->valuedouble)))
		return rc;
	return LINE_OK;
}

/* cJSON rejects a bare NaN or Inf: tell those lines from garbage. */
static int has_nonfinite_value(const char *p, const char *e)
{
	static const char key[] = "\"value\":";
	const char *q = p;

	while ((q = memchr(q, '"', (size_t)(e - q)))) {
		if (LIT(q, e, key))
			return is_nonfinite_token(q + sizeof(key) - 1, e);
		q++;
	}
	return 0;
}

static int slow_line(k6_reader *r, const char *p, const char *e)
{
	cJSON *root;
	const char *type;
	int rc;

	/* cJSON takes a NUL byte for white space: a line with one is not JSON */
	if (memchr(p, '\0', (size_t)(e - p)))
		return LINE_BAD_JSON;
	root = cJSON_ParseWithLength(p, (size_t)(e - p));
	if (!root)
		return has_nonfinite_value(p, e) ? LINE_BAD_VALUE : LINE_BAD_JSON;
	type = pc_json_get_str(root, "type");
	if (!cJSON_IsObject(root) || !type)
		rc = LINE_OTHER;
	else if (strcmp(type, "Point") == 0)
		rc = slow_point(r, root);
	else if (strcmp(type, "Metric") == 0)
		rc = metric_line(r, root);
	else
		rc = LINE_OTHER;
	cJSON_Delete(root);
	return rc;
}

static int one_line(k6_reader *r, const char *p, const char *e, int last)
{
	int rc;

	while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == p)
		return 0;
	/* a NUL byte makes a line bad JSON: the fast path declines a line with one where it could
	 * matter (the name, the time, tags bytes seen for the first time), slow_line rejects it */
	if ((rc = fast_point(r, p, e, NULL)) == 1)
		rc = slow_line(r, p, e);
	if (rc < 0)
		return rc;
	if (rc == LINE_BAD_JSON && last) {
		/* a k6 killed mid-write leaves half a line: not bad data */
		r->cut_last = 1;
		return 0;
	}
	if (rc == LINE_BAD_JSON || rc == LINE_BAD_VALUE || rc == LINE_OTHER) {
		if (!r->first_bad)
			r->first_bad = r->lineno;
		if (rc == LINE_BAD_VALUE)
			r->bad_value++;
		else
			r->bad_json++;
	}
	return 0;
}

static int line_too_long(k6_reader *r, uint64_t line)
{
	pc_error_set(PC_EINPUT, "line %llu is longer than the %zu-byte line limit",
		     (unsigned long long)line, r->max_line);
	pc_error_hint("raise it with --max-line BYTES if the file is genuine");
	return PC_EINPUT;
}

static void progress(k6_reader *r)
{
	if (r->opts && r->opts->progress)
		r->opts->progress(r->opts->progress_ctx, pc_input_bytes_read(r->in),
				  pc_input_file_size(r->in), r->lineno);
}

/* A line cut by a block boundary: its head waits in the carry buffer (at most max_line bytes). */
static int carry_add(k6_reader *r, char **carry, size_t *len, size_t *cap, const char *p, size_t n)
{
	if (*len + n > r->max_line)
		return line_too_long(r, r->lineno + 1);
	if (*len + n + 1 > *cap) {
		size_t ncap = *cap ? *cap : 4096;
		char *q;
		while (ncap < *len + n + 1)
			ncap *= 2;
		if (!(q = realloc(*carry, ncap)))
			return pc_error_set(PC_ENOMEM, "out of memory");
		*carry = q;
		*cap = ncap;
	}
	memcpy(*carry + *len, p, n);
	*len += n;
	(*carry)[*len] = '\0'; /* strtod in the scanner stops at it */
	return 0;
}

/* Read every line, straight from the input's blocks; only a line that spans two blocks is
 * copied. Every line but the last ends at a '\n' inside its block, which bounds the scanner. */
static int read_lines(k6_reader *r)
{
	uint64_t next_progress = PROGRESS_EVERY;
	char *carry = NULL;
	size_t clen = 0, ccap = 0, n;
	const char *p, *end, *nl;
	int rc = 0;

	for (;;) {
		if ((rc = pc_input_next_block(r->in, &p, &n)))
			goto done;
		if (n == 0)
			break;
		end = p + n;
		if (clen) {
			nl = memchr(p, '\n', n);
			if ((rc = carry_add(r, &carry, &clen, &ccap, p, (size_t)((nl ? nl : end) - p))))
				goto done;
			if (!nl)
				continue;
			r->lineno++;
			if ((rc = one_line(r, carry, carry + clen, 0)))
				goto done;
			clen = 0;
			p = nl + 1;
		}
		while (p < end) {
			/* a Point line with the last line's tags finds its own end; others are found
			 * by their newline */
			if ((rc = fast_point(r, p, end, &nl)) < 0)
				goto done;
			if (rc == LINE_OK) {
				r->lineno++;
				p = nl + 1;
				continue;
			}
			if (!(nl = memchr(p, '\n', (size_t)(end - p))))
				break;
			r->lineno++;
			if ((size_t)(nl - p) > r->max_line) {
				rc = line_too_long(r, r->lineno);
				goto done;
			}
			if ((rc = one_line(r, p, nl, 0)))
				goto done;
			p = nl + 1;
		}
		rc = 0;
		if (p < end && (rc = carry_add(r, &carry, &clen, &ccap, p, (size_t)(end - p))))
			goto done;
		if (r->lineno >= next_progress) {
			progress(r);
			next_progress = r->lineno + PROGRESS_EVERY;
		}
	}
	if (clen) {
		r->lineno++;
		rc = one_line(r, carry, carry + clen, 1);
	}
	progress(r);
done:
	free(carry);
	return rc;
}

/* --by: comma-separated tags or tag combinations joined by '+'. */
static int parse_by(k6_reader *r, const char *by)
{
	const char *p = by;
	while (*p) {
		const char *comma = strchr(p, ','), *pe = comma ? comma : p + strlen(p), *q;
		k6_spec *sp;
		if (pe == p) {
			p = comma ? comma + 1 : pe;
			continue;
		}
		if (!(sp = realloc(r->specs, (r->nspecs + 1) * sizeof(*sp))))
			return pc_error_set(PC_ENOMEM, "out of memory");
		r->specs = sp;
		sp = &r->specs[r->nspecs++];
		memset(sp, 0, sizeof(*sp));
		if (!(sp->values = pc_map_new()))
			return pc_error_set(PC_ENOMEM, "out of memory");
		if (!(sp->label = pc_strndup(p, (size_t)(pe - p))))
			return PC_ENOMEM;
		for (q = p; q <= pe;) {
			const char *plus = memchr(q, '+', (size_t)(pe - q)), *ke = plus ? plus : pe;
			char **nk;
			if (ke == q)
				return pc_error_set(PC_EUSAGE, "--by: empty tag name in \"%s\"", sp->label);
			if (!(nk = realloc(sp->keys, (sp->n + 1) * sizeof(*nk))))
				return pc_error_set(PC_ENOMEM, "out of memory");
			sp->keys = nk;
			if (!(sp->keys[sp->n] = pc_strndup(q, (size_t)(ke - q))))
				return PC_ENOMEM;
			sp->n++;
			q = ke + 1;
		}
		p = comma ? comma + 1 : pe;
	}
	return 0;
}

static void reader_release(k6_reader *r)
{
	size_t i, j;

	for (i = 0; i < r->nmetrics; i++) {
		k6_metric *m = r->metrics[i];
		for (j = 0; j < m->ncells; j++) {
			k6_cell *c = m->cells[j];
			pc_hist_release(c->hist);
			free(c->hist);
			for (size_t k = 0; c->slices && k < r->run->nslices; k++)
				pc_hist_release(&c->slices[k]);
			free(c->slices);
			free(c->boff);
			free(m->cells[j]->v);
			free(m->cells[j]->t);
			free(m->cells[j]);
		}
		for (j = 0; j < m->nthr; j++)
			free(m->thr[j]);
		for (j = 0; j < m->nsubs; j++) {
			free(m->subs[j].tags);
			free_pairs(m->subs[j].keys, m->subs[j].vals, m->subs[j].n);
		}
		free(m->subs);
		free(m->thr);
		free(m->cells);
		free(m->by_ts);
		free(m->name);
		free(m);
	}
	free(r->metrics);
	for (i = 0; i < r->ntagsets; i++)
		tagset_free(r->tagsets[i]);
	free(r->tagsets);
	for (i = 0; i < r->nspecs; i++) {
		for (j = 0; j < r->specs[i].n; j++)
			free(r->specs[i].keys[j]);
		free(r->specs[i].keys);
		free(r->specs[i].label);
		pc_map_free(r->specs[i].values);
	}
	free(r->specs);
	pc_map_free(r->metric_map);
	pc_map_free(r->ts_raw);
	pc_map_free(r->ts_canon);
	free(r->last_raw);
	free(r->secs);
}

static int warn_input(k6_reader *r)
{
	int rc = 0;

	if (r->bad_json || r->bad_value)
		rc = pc_run_warn(r->run, "skipped %llu of %llu lines (the first is line %llu): %llu not "
			     "k6 JSON, %llu with a value that is not a finite number",
			     (unsigned long long)(r->bad_json + r->bad_value),
			     (unsigned long long)r->lineno, (unsigned long long)r->first_bad,
			     (unsigned long long)r->bad_json, (unsigned long long)r->bad_value);
	if (!rc && pc_input_truncated(r->in))
		rc = pc_run_warn(r->run, "the gzip stream ends without its trailer (k6 stopped "
			     "mid-write?): read %llu lines", (unsigned long long)r->lineno);
	if (!rc && r->cut_last)
		rc = pc_run_warn(r->run, "the last line (%llu) is cut off and was ignored: read %llu "
			     "lines", (unsigned long long)r->lineno, (unsigned long long)(r->lineno - 1));
	return rc;
}

int pc_k6_points_read(pc_run *run, pc_input *in, const pc_ingest_opts *opts)
{
	k6_reader r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.run = run;
	r.in = in;
	r.opts = opts;
	r.max_line = opts && opts->max_line ? opts->max_line : PC_DEFAULT_MAX_LINE;
	r.max_tag_values = opts && opts->max_tag_values ? opts->max_tag_values
						       : PC_DEFAULT_MAX_TAG_VALUES;
	if (!(r.metric_map = pc_map_new()) || !(r.ts_raw = pc_map_new()) ||
	    !(r.ts_canon = pc_map_new())) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = parse_by(&r, opts && opts->by ? opts->by : DEFAULT_BY)) ||
	    (rc = read_lines(&r)) || (rc = warn_input(&r)))
		goto done;
	rc = pc_k6_points_finish(&r);
done:
	reader_release(&r);
	return rc;
}

int pc_k6_points_probe_line(k6_line_probe *out, const char *line, size_t n, int fast)
{
	k6_reader r;
	pc_run *run = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (!(run = pc_run_new(PC_SRC_K6_POINTS)) || !(r.metric_map = pc_map_new()) ||
	    !(r.ts_raw = pc_map_new()) || !(r.ts_canon = pc_map_new())) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	r.run = run;
	r.max_line = PC_DEFAULT_MAX_LINE;
	r.max_tag_values = PC_DEFAULT_MAX_TAG_VALUES;
	if (memchr(line, '\0', n)) /* one_line: the fast path declines it, slow_line rejects it */
		rc = LINE_BAD_JSON;
	else if (fast && (rc = fast_point(&r, line, line + n, NULL)) == 1)
		rc = -100; /* declined (1 is also LINE_BAD_JSON) */
	else if (!fast)
		rc = slow_line(&r, line, line + n);
	if (rc < 0 && rc != -100)
		goto done;
	out->result = rc == -100 ? K6_PROBE_DECLINED : rc == LINE_BAD_JSON ? K6_PROBE_BAD_JSON
		    : rc == LINE_BAD_VALUE ? K6_PROBE_BAD_VALUE : rc == LINE_OTHER ? K6_PROBE_OTHER
		    : K6_PROBE_POINT;
	rc = 0;
	if (out->result == K6_PROBE_POINT && r.points == 1) {
		/* one point: one metric with one cell holding it */
		for (size_t i = 0; i < r.nmetrics; i++) {
			k6_metric *m = r.metrics[i];
			if (m->ncells != 1 || m->cells[0]->count != 1)
				continue;
			out->t = r.base_ns;
			out->v = m->cells[0]->min; /* the sample itself, -0 kept */
			if (!(out->metric = pc_strdup(m->name)) ||
			    !(out->tags = pc_strdup(m->cells[0]->ts->canon)))
				rc = PC_ENOMEM;
		}
	} else if (out->result == K6_PROBE_POINT) {
		/* a Metric line: declared, no point */
		out->result = K6_PROBE_OTHER;
	}
done:
	r.run = run;
	reader_release(&r);
	pc_run_free(run);
	if (rc)
		pc_k6_points_probe_release(out);
	return rc;
}

void pc_k6_points_probe_release(k6_line_probe *p)
{
	free(p->metric);
	free(p->tags);
	p->metric = p->tags = NULL;
}
