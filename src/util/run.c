/* The run model: construction, lookup and release; see perfcmp/run.h. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/map.h"
#include "perfcmp/run.h"
#include "perfcmp/strutil.h"

/* Grow a (ptr, len, cap) array by one element of `size` bytes. */
static int grow(void **ptr, size_t *cap, size_t len, size_t size)
{
	size_t ncap;
	void *p;

	if (len < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / size)
		return pc_error_set(PC_ENOMEM, "out of memory");
	p = realloc(*ptr, ncap * size);
	if (!p)
		return pc_error_set(PC_ENOMEM, "out of memory");
	*ptr = p;
	*cap = ncap;
	return 0;
}
#define GROW(arr, n, cap) grow((void **)&(arr), &(cap), (n), sizeof(*(arr)))

pc_run *pc_run_new(pc_source source)
{
	pc_run *run = calloc(1, sizeof(*run));

	if (!run) {
		pc_error_set(PC_ENOMEM, "out of memory");
		return NULL;
	}
	run->source = source;
	run->duration = NAN;
	run->index = pc_map_new();
	if (!run->index) {
		free(run);
		pc_error_set(PC_ENOMEM, "out of memory");
		return NULL;
	}
	return run;
}

static void series_free(pc_series *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nthresholds; i++)
		free(s->thresholds[i].expr);
	free(s->thresholds);
	free(s->stats);
	free(s->samples);
	pc_hist_release(s->hist);
	free(s->hist);
	for (i = 0; s->slices && i < s->nslices; i++)
		pc_hist_release(&s->slices[i]);
	free(s->slices);
	free(s->metric);
	free(s->tags);
	free(s->unit);
	free(s);
}

void pc_run_free(pc_run *run)
{
	size_t i;

	if (!run)
		return;
	for (i = 0; i < run->nseries; i++)
		series_free(run->series[i]);
	free(run->series);
	for (i = 0; i < run->nchecks; i++) {
		free(run->checks[i].path);
		free(run->checks[i].name);
	}
	free(run->checks);
	for (i = 0; i < run->ntests; i++) {
		free(run->tests[i].file);
		free(run->tests[i].title);
		free(run->tests[i].project);
		free(run->tests[i].outcome);
	}
	free(run->tests);
	for (i = 0; i < run->nlabels; i++)
		free(run->labels[i]);
	free(run->labels);
	for (i = 0; i < run->nwarnings; i++)
		free(run->warnings[i]);
	free(run->warnings);
	free(run->profile);
	free(run->config);
	free(run->project);
	free(run->git_sha);
	free(run->git_branch);
	free(run->file);
	free(run->tool_version);
	pc_map_free(run->index);
	pc_map_free(run->test_index);
	free(run->timeline);
	free(run);
}

static const char *const source_names[] = {"k6-summary", "k6-handle-summary", "k6-points",
					   "playwright"};
static const char *const kind_names[] = {"trend", "counter", "rate", "gauge"};

const char *pc_source_name(pc_source s)
{
	return source_names[s];
}

int pc_source_parse(const char *name, pc_source *out)
{
	size_t i;

	for (i = 0; i < sizeof(source_names) / sizeof(*source_names); i++) {
		if (strcmp(name, source_names[i]) == 0) {
			*out = (pc_source)i;
			return 0;
		}
	}
	return pc_error_set(PC_EINPUT, "unknown source \"%s\"", name);
}

const char *pc_source_tool(pc_source s)
{
	return s == PC_SRC_PLAYWRIGHT ? "playwright" : "k6";
}

const char *pc_kind_name(pc_kind k)
{
	return kind_names[k];
}

int pc_kind_parse(const char *name, pc_kind *out)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(*kind_names); i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (pc_kind)i;
			return 0;
		}
	}
	return pc_error_set(PC_EINPUT, "unknown metric type \"%s\"", name);
}

/* The index key: metric, a NUL, the tags. */
static int series_key(pc_buf *key, const char *metric, const char *tags)
{
	int rc = pc_buf_add(key, metric, strlen(metric) + 1);

	return rc ? rc : pc_buf_puts(key, tags);
}

pc_series *pc_run_find_series(const pc_run *run, const char *metric, const char *tags)
{
	pc_buf key = PC_BUF_INIT;
	pc_series *s = NULL;

	if (series_key(&key, metric, tags) == 0)
		s = pc_map_get(run->index, key.ptr, key.len);
	pc_buf_release(&key);
	return s;
}

int pc_run_series(pc_run *run, pc_series **out, const char *metric, const char *tags,
		  pc_kind kind, const char *unit)
{
	pc_buf key = PC_BUF_INIT;
	pc_series *s = NULL;
	int rc;

	if ((rc = series_key(&key, metric, tags)))
		goto done;
	s = pc_map_get(run->index, key.ptr, key.len);
	if (s) {
		*out = s;
		s = NULL;
		goto done;
	}
	rc = PC_ENOMEM;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->metric = pc_strdup(metric)) || !(s->tags = pc_strdup(tags)) ||
	    !(s->unit = pc_strdup(unit ? unit : "")))
		goto done;
	s->kind = kind;
	if ((rc = GROW(run->series, run->nseries, run->capseries)))
		goto done;
	if ((rc = pc_map_put(run->index, key.ptr, key.len, s)))
		goto done;
	run->series[run->nseries++] = s;
	*out = s;
	s = NULL;
	rc = 0;
done:
	if (rc == PC_ENOMEM && pc_error_last() != PC_ENOMEM)
		pc_error_set(PC_ENOMEM, "out of memory");
	series_free(s);
	pc_buf_release(&key);
	return rc;
}

static int series_cmp(const void *pa, const void *pb)
{
	const pc_series *a = *(pc_series *const *)pa, *b = *(pc_series *const *)pb;
	int c = strcmp(a->metric, b->metric);

	return c ? c : strcmp(a->tags, b->tags);
}

void pc_run_sort_series(pc_run *run)
{
	if (run->nseries > 1)
		qsort(run->series, run->nseries, sizeof(*run->series), series_cmp);
}

int pc_run_keep_series(pc_run *run, int (*keep)(void *ctx, const pc_series *s), void *ctx)
{
	pc_map *index = pc_map_new();
	pc_buf key = PC_BUF_INIT;
	size_t i, n = 0;
	int rc = 0;

	if (!index)
		return pc_error_set(PC_ENOMEM, "out of memory");
	for (i = 0; i < run->nseries && !rc; i++) {
		const pc_series *s = run->series[i];
		if (!keep(ctx, s))
			continue;
		pc_buf_reset(&key);
		if (!(rc = series_key(&key, s->metric, s->tags)))
			rc = pc_map_put(index, key.ptr, key.len, run->series[i]);
	}
	pc_buf_release(&key);
	if (rc) {
		pc_map_free(index);
		return rc;
	}
	for (i = 0; i < run->nseries; i++) {
		if (keep(ctx, run->series[i]))
			run->series[n++] = run->series[i];
		else
			series_free(run->series[i]);
	}
	run->nseries = n;
	pc_map_free(run->index);
	run->index = index;
	return 0;
}

int pc_series_set_stat(pc_series *s, const char *name, double value)
{
	size_t i;
	int rc;

	if (strlen(name) >= sizeof(s->stats[0].name))
		return pc_error_set(PC_EINPUT, "statistic name too long: \"%.30s\"", name);
	for (i = 0; i < s->nstats; i++) {
		if (strcmp(s->stats[i].name, name) == 0) {
			s->stats[i].value = value;
			return 0;
		}
	}
	if ((rc = GROW(s->stats, s->nstats, s->capstats)))
		return rc;
	strcpy(s->stats[s->nstats].name, name);
	s->stats[s->nstats].value = value;
	s->nstats++;
	return 0;
}

int pc_series_get_stat(const pc_series *s, const char *name, double *out)
{
	size_t i;

	for (i = 0; i < s->nstats; i++) {
		if (strcmp(s->stats[i].name, name) == 0) {
			*out = s->stats[i].value;
			return 0;
		}
	}
	return PC_ENOTFOUND;
}

int pc_series_add_threshold(pc_series *s, const char *expr, int ok)
{
	char *e;
	int rc;

	if ((rc = GROW(s->thresholds, s->nthresholds, s->capthresholds)))
		return rc;
	if (!(e = pc_strdup(expr)))
		return PC_ENOMEM;
	s->thresholds[s->nthresholds].expr = e;
	s->thresholds[s->nthresholds].ok = ok;
	s->nthresholds++;
	return 0;
}

int pc_series_add_sample(pc_series *s, int64_t t, double v)
{
	int rc;

	if ((rc = GROW(s->samples, s->nsamples, s->capsamples)))
		return rc;
	s->samples[s->nsamples].t = t;
	s->samples[s->nsamples].v = v;
	s->nsamples++;
	return 0;
}

int pc_run_add_check(pc_run *run, const char *path, const char *name, long long passes,
		     long long fails)
{
	pc_check *c;
	int rc;

	if ((rc = GROW(run->checks, run->nchecks, run->capchecks)))
		return rc;
	c = &run->checks[run->nchecks];
	memset(c, 0, sizeof(*c));
	if (!(c->path = pc_strdup(path)) || !(c->name = pc_strdup(name))) {
		free(c->path);
		return PC_ENOMEM;
	}
	c->passes = passes;
	c->fails = fails;
	run->nchecks++;
	return 0;
}

int pc_run_add_test(pc_run *run, const char *file, const char *title, const char *project,
		    const char *outcome, int attempts)
{
	pc_buf key = PC_BUF_INIT;
	pc_test *t;
	uintptr_t last;
	int rc, repeat = 0;

	/* a map, not a scan of the tests so far: 200,000 tests took over 12 minutes of strcmp */
	if (!run->test_index && !(run->test_index = pc_map_new()))
		return pc_error_set(PC_ENOMEM, "out of memory");
	if ((rc = pc_buf_add(&key, file, strlen(file) + 1)) ||
	    (rc = pc_buf_add(&key, title, strlen(title) + 1)) ||
	    (rc = pc_buf_add(&key, project, strlen(project))))
		goto done;
	if ((last = (uintptr_t)pc_map_get(run->test_index, key.ptr, key.len)))
		repeat = run->tests[last - 1].repeat + 1;
	if ((rc = GROW(run->tests, run->ntests, run->captests)))
		goto done;
	t = &run->tests[run->ntests];
	memset(t, 0, sizeof(*t));
	if (!(t->file = pc_strdup(file)) || !(t->title = pc_strdup(title)) ||
	    !(t->project = pc_strdup(project)) || !(t->outcome = pc_strdup(outcome))) {
		free(t->file);
		free(t->title);
		free(t->project);
		rc = PC_ENOMEM;
		goto done;
	}
	t->repeat = repeat;
	t->attempts = attempts;
	t->retries = attempts > 0 ? attempts - 1 : 0;
	run->ntests++;
	rc = pc_map_put(run->test_index, key.ptr, key.len, (void *)(uintptr_t)run->ntests);
done:
	pc_buf_release(&key);
	return rc;
}

int pc_run_add_label(pc_run *run, const char *label)
{
	char *l;
	size_t i;
	int rc;

	for (i = 0; i < run->nlabels; i++)
		if (strcmp(run->labels[i], label) == 0)
			return 0;
	if ((rc = GROW(run->labels, run->nlabels, run->caplabels)))
		return rc;
	if (!(l = pc_strdup(label)))
		return PC_ENOMEM;
	run->labels[run->nlabels++] = l;
	return 0;
}

int pc_run_warn(pc_run *run, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pc_strlist_vadd(&run->warnings, &run->nwarnings, &run->capwarnings, fmt, ap);
	va_end(ap);
	return rc;
}

struct kv {
	const char *k, *v;
	size_t order;
};

static int kv_cmp(const void *pa, const void *pb)
{
	const struct kv *a = pa, *b = pb;
	int c = strcmp(a->k, b->k);

	if (c)
		return c;
	return (a->order > b->order) - (a->order < b->order);
}

char *pc_tags_canon(const char *const *keys, const char *const *vals, size_t n)
{
	struct kv *kv = NULL;
	pc_buf b = PC_BUF_INIT;
	size_t i;
	int rc = 0, first = 1;

	if (n) {
		kv = malloc(n * sizeof(*kv));
		if (!kv) {
			pc_error_set(PC_ENOMEM, "out of memory");
			return NULL;
		}
		for (i = 0; i < n; i++) {
			kv[i].k = keys[i];
			kv[i].v = vals[i];
			kv[i].order = i;
		}
		qsort(kv, n, sizeof(*kv), kv_cmp);
	}
	rc = pc_buf_putc(&b, '{');
	for (i = 0; i < n && !rc; i++) {
		if (i + 1 < n && strcmp(kv[i].k, kv[i + 1].k) == 0)
			continue; /* a later duplicate wins */
		if (!first)
			rc = pc_buf_putc(&b, ',');
		first = 0;
		if (!rc)
			rc = pc_json_str(&b, kv[i].k, strlen(kv[i].k));
		if (!rc)
			rc = pc_buf_putc(&b, ':');
		if (!rc)
			rc = pc_json_str(&b, kv[i].v, strlen(kv[i].v));
	}
	if (!rc)
		rc = pc_buf_putc(&b, '}');
	free(kv);
	if (rc) {
		pc_buf_release(&b);
		return NULL;
	}
	return pc_buf_detach(&b);
}

int pc_stat_name_norm(const char *key, char out[24])
{
	size_t n = strlen(key), i, dot = 0, end;
	char num[24];

	if (strcmp(key, "med") == 0) {
		strcpy(out, "p50");
		return 0;
	}
	if (n < 4 || strncmp(key, "p(", 2) != 0 || key[n - 1] != ')') {
		if (n >= 24)
			return pc_error_set(PC_EINPUT, "statistic name too long: \"%.30s\"", key);
		memcpy(out, key, n + 1);
		return 0;
	}
	/* p(N): N written without trailing zeros (and without a trailing dot) */
	if (n - 3 >= sizeof(num) - 1)
		return pc_error_set(PC_EINPUT, "percentile name too long: \"%.30s\"", key);
	memcpy(num, key + 2, n - 3);
	num[n - 3] = '\0';
	for (i = 0; num[i]; i++) {
		if (num[i] == '.' && !dot)
			dot = i + 1;
		else if (num[i] < '0' || num[i] > '9')
			return pc_error_set(PC_EINPUT, "malformed percentile \"%s\"", key);
	}
	if (i == 0 || (dot == 1))
		return pc_error_set(PC_EINPUT, "malformed percentile \"%s\"", key);
	end = i;
	if (dot) {
		while (end > dot && num[end - 1] == '0')
			end--;
		if (end == dot)
			end--; /* drop the dot */
	}
	num[end] = '\0';
	/* drop leading zeros of the integer part ("p(095)" -> p95), keeping one digit */
	i = 0;
	while (num[i] == '0' && num[i + 1] && num[i + 1] != '.')
		i++;
	if (snprintf(out, 24, "p%s", num + i) >= 24)
		return pc_error_set(PC_EINPUT, "percentile name too long: \"%.30s\"", key);
	return 0;
}

/* Decode one JSON string literal at *p (the opening quote) into b; advance *p past it. */
static int json_str_decode(const char **p, pc_buf *b)
{
	const char *s = *p + 1;
	int rc;

	pc_buf_reset(b);
	while (*s && *s != '"') {
		char c = *s++;
		if (c == '\\') {
			c = *s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned cp = 0;
				int i;
				for (i = 0; i < 4; i++) {
					char h = *s++;
					cp <<= 4;
					if (h >= '0' && h <= '9') cp |= (unsigned)(h - '0');
					else if (h >= 'a' && h <= 'f') cp |= (unsigned)(h - 'a' + 10);
					else if (h >= 'A' && h <= 'F') cp |= (unsigned)(h - 'A' + 10);
					else return PC_EINPUT;
				}
				/* pc_json_str only writes \u00XX for control bytes and \ufffd */
				if (cp < 0x80) {
					c = (char)cp;
				} else {
					char u[3] = {(char)(0xe0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3f)),
						     (char)(0x80 | (cp & 0x3f))};
					if ((rc = pc_buf_add(b, u, 3)))
						return rc;
					continue;
				}
				break;
			}
			case '"': case '\\': case '/': break;
			default: return PC_EINPUT;
			}
		}
		if ((rc = pc_buf_putc(b, c)))
			return rc;
	}
	if (*s != '"')
		return PC_EINPUT;
	if (!b->ptr && (rc = pc_buf_add(b, "", 0)))
		return rc;
	*p = s + 1;
	return 0;
}

static int name_pair(void *ctx, const char *k, const char *v)
{
	pc_buf *b = ctx;

	return pc_buf_printf(b, "%s%s:%s", b->ptr[b->len - 1] == '{' ? "" : ",", k, v);
}

int pc_series_name(pc_buf *out, const char *metric, const char *tags)
{
	int rc;

	if ((rc = pc_buf_puts(out, metric)) || strcmp(tags, "{}") == 0)
		return rc;
	if ((rc = pc_buf_putc(out, '{')) || (rc = pc_tags_each(tags, name_pair, out)))
		return rc;
	return pc_buf_putc(out, '}');
}

int pc_tags_each(const char *canon, int (*fn)(void *ctx, const char *k, const char *v), void *ctx)
{
	pc_buf k = PC_BUF_INIT, v = PC_BUF_INIT;
	const char *p = canon;
	int rc = PC_EINPUT;

	if (*p++ != '{')
		goto done;
	while (*p == '"') {
		if (json_str_decode(&p, &k) || *p++ != ':' || *p != '"' || json_str_decode(&p, &v))
			goto bad;
		if ((rc = fn(ctx, k.ptr, v.ptr)))
			goto done;
		if (*p == ',')
			p++;
	}
	rc = *p == '}' ? 0 : PC_EINPUT;
	goto done;
bad:
	rc = PC_EINPUT;
done:
	if (rc == PC_EINPUT)
		pc_error_set(PC_EINPUT, "malformed tag set \"%.60s\"", canon);
	pc_buf_release(&k);
	pc_buf_release(&v);
	return rc;
}
