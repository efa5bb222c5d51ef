/* Ingest entry point: open, detect the format from the content, dispatch to a parser. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/stats.h"
#include "perfcmp/strutil.h"

const char *pc_json_get_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int pc_json_get_num(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!cJSON_IsNumber(v))
		return -1;
	*out = v->valuedouble;
	return 0;
}

int pc_ingest_summarize(pc_series *s)
{
	static const char *const names[] = {"count", "min", "max", "avg", "stddev",
					    "p50", "p90", "p95", "p99", "p99.9"};
	pc_summary sum;
	double *v, vals[10];
	size_t i;
	int rc = 0;

	v = malloc((s->nsamples ? s->nsamples : 1) * sizeof(*v));
	if (!v)
		return pc_error_set(PC_ENOMEM, "out of memory");
	for (i = 0; i < s->nsamples; i++)
		v[i] = s->samples[i].v;
	pc_summary_compute(&sum, v, s->nsamples);
	free(v);
	vals[0] = (double)sum.count;
	vals[1] = sum.min;
	vals[2] = sum.max;
	vals[3] = sum.avg;
	vals[4] = sum.stddev;
	vals[5] = sum.p50;
	vals[6] = sum.p90;
	vals[7] = sum.p95;
	vals[8] = sum.p99;
	vals[9] = sum.p999;
	for (i = 0; i < 10 && !rc; i++) {
		if (sum.count == 0 && i > 0)
			break;
		rc = pc_series_set_stat(s, names[i], vals[i]);
	}
	return rc;
}

/* Is the first line of `p` (n bytes) a k6 Metric or Point line? */
static int looks_like_points(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	const char *type;
	cJSON *line;
	int yes = 0;

	line = cJSON_ParseWithLength(p, nl ? (size_t)(nl - p) : n);
	if (!line)
		return 0;
	type = pc_json_get_str(line, "type");
	if (type && (strcmp(type, "Metric") == 0 || strcmp(type, "Point") == 0) &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(line, "data")))
		yes = 1;
	cJSON_Delete(line);
	return yes;
}

static int over_max_size(size_t max)
{
	if (max % (1u << 20) == 0)
		pc_error_set(PC_EINPUT, "JSON document over the %zu MiB limit (decompressed)", max >> 20);
	else
		pc_error_set(PC_EINPUT, "JSON document over the %zu-byte limit (decompressed)", max);
	pc_error_hint("raise it with --max-size BYTES if the file is genuine");
	return PC_EINPUT;
}

static int read_document(pc_input *in, pc_buf *doc, size_t max)
{
	int rc;

	for (;;) {
		size_t got;
		if ((rc = pc_buf_grow(doc, 64 << 10)))
			return rc == PC_EINPUT ? over_max_size(max) : rc;
		if ((rc = pc_input_read(in, doc->ptr + doc->len, doc->cap - doc->len - 1, &got)))
			return rc;
		if (got == 0)
			break;
		doc->len += got;
		if (doc->len > max)
			return over_max_size(max);
	}
	doc->ptr[doc->len] = '\0';
	if (pc_input_truncated(in))
		return pc_error_set(PC_EINPUT, "truncated gzip stream: it ends after %zu decompressed bytes "
				    "without its trailer", doc->len);
	return 0;
}

/* Brackets still open at the end of the text (strings skipped): a truncated document has some. */
static size_t open_brackets(const char *p, size_t n)
{
	size_t depth = 0, i;
	int in_str = 0;

	for (i = 0; i < n; i++) {
		char c = p[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return depth + (size_t)in_str;
}

static int parse_document(pc_run **out, pc_input *in, const pc_ingest_opts *opts)
{
	size_t max = opts && opts->max_size ? opts->max_size : PC_DEFAULT_MAX_SIZE;
	pc_buf doc = PC_BUF_INIT;
	cJSON *root = NULL;
	const char *end = NULL;
	pc_run *run = NULL;
	int rc;

	/* the ceiling is enforced in read_document; the buffer's own is a backstop */
	pc_buf_init(&doc, max + (64 << 10) + 1);
	if ((rc = read_document(in, &doc, max)))
		goto done;
	/* cJSON takes a NUL byte for white space (and a NUL inside a string cuts it short): a NUL
	 * is not JSON */
	if ((end = memchr(doc.ptr, '\0', doc.len))) {
		rc = pc_error_set(PC_EINPUT, "malformed JSON at byte %zu: a NUL byte",
				  (size_t)(end - doc.ptr));
		goto done;
	}
	root = cJSON_ParseWithLengthOpts(doc.ptr, doc.len, &end, 0);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= doc.ptr && at <= doc.ptr + doc.len ? (size_t)(at - doc.ptr) : doc.len;
		if (off >= doc.len || open_brackets(doc.ptr, doc.len))
			rc = pc_error_set(PC_EINPUT, "JSON stops at byte %zu: the file is truncated", doc.len);
		else
			rc = pc_error_set(PC_EINPUT, "malformed JSON at byte %zu", off);
		goto done;
	}
	while (end && (size_t)(end - doc.ptr) < doc.len && strchr(" \t\r\n", *end) && *end)
		end++;
	if (end && (size_t)(end - doc.ptr) < doc.len) {
		rc = pc_error_set(PC_EINPUT, "unexpected data after the JSON document at byte %zu",
				  (size_t)(end - doc.ptr));
		goto done;
	}
	pc_buf_release(&doc); /* the tree holds copies of every string: the parsers need no more */
	if (!cJSON_IsObject(root)) {
		rc = pc_error_set(PC_EINPUT, "not k6 or Playwright output: the JSON is not an object");
		goto done;
	}
	if (pc_playwright_detect(root)) {
		if (!(run = pc_run_new(PC_SRC_PLAYWRIGHT)))
			goto nomem;
		rc = pc_playwright_parse(run, root);
	} else if (pc_k6_summary_detect(root)) {
		if (!(run = pc_run_new(PC_SRC_K6_SUMMARY)))
			goto nomem;
		rc = pc_k6_summary_parse(run, root);
	} else {
		rc = pc_error_set(PC_EINPUT, "a JSON document that is neither k6 nor Playwright output");
		pc_error_hint("perfcmp reads k6 --summary-export, handleSummary JSON, --out json "
			      "streams and Playwright JSON reports");
		goto done;
	}
	if (rc)
		goto done;
	*out = run;
	run = NULL;
	goto done;
nomem:
	rc = PC_ENOMEM;
done:
	cJSON_Delete(root);
	pc_buf_release(&doc);
	pc_run_free(run);
	return rc;
}

/* The first byte is not '{': say what the file is, as far as that can be told. */
static int not_an_object(const pc_input *in, const char *p, size_t n)
{
	unsigned char c = (unsigned char)p[0];

	if (n >= 2 && c == 0x1f && (unsigned char)p[1] == 0x8b && pc_input_is_gzip(in)) {
		pc_error_set(PC_EINPUT, "gzip inside gzip");
		pc_error_hint("decompress it once (gzip -d) and ingest the result");
		return PC_EINPUT;
	}
	if (c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || !strncmp(p, "null", n < 4 ? n : 4) ||
	    !strncmp(p, "true", n < 4 ? n : 4) || !strncmp(p, "false", n < 5 ? n : 5))
		pc_error_set(PC_EINPUT, "JSON, but not an object: neither k6 nor Playwright output");
	else
		pc_error_set(PC_EINPUT, "not JSON (first byte 0x%02x): neither k6 nor Playwright output", c);
	pc_error_hint("perfcmp reads k6 --summary-export, handleSummary JSON, --out json streams "
		      "and Playwright JSON reports");
	return PC_EINPUT;
}

int pc_ingest_file(pc_run **out, const char *path, const pc_ingest_opts *opts)
{
	size_t max_line = opts && opts->max_line ? opts->max_line : PC_DEFAULT_MAX_LINE;
	pc_input *in = NULL;
	pc_run *run = NULL;
	const char *p;
	size_t n, i = 0;
	int rc;

	*out = NULL;
	if ((rc = pc_input_open(&in, path)))
		return rc;
	/* detection looks at the first 64 KiB whatever --max-line says: the line limit is the
	 * points reader's to enforce, with the line number */
	if ((rc = pc_input_peek(in, 64 << 10, &p, &n)))
		goto done;
	/* skip a UTF-8 byte order mark and leading white space */
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && strchr(" \t\r\n", p[i]) && p[i])
		i++;
	if (n == 0) {
		rc = pc_error_set(PC_EINPUT, pc_input_truncated(in) ? "truncated gzip stream with no data"
							       : "empty file");
		goto done;
	}
	if (i == n) {
		rc = pc_error_set(PC_EINPUT, "no data: the file holds only white space");
		goto done;
	}
	if (p[i] != '{') {
		rc = not_an_object(in, p + i, n - i);
		goto done;
	}
	if (!memchr(p + i, '\n', n - i) && n == (64 << 10) && max_line > n) {
		/* a first line longer than the first peek: look at up to one whole line */
		if ((rc = pc_input_peek(in, max_line, &p, &n)))
			goto done;
	}
	if (looks_like_points(p + i, n - i)) {
		if (!(run = pc_run_new(PC_SRC_K6_POINTS))) {
			rc = PC_ENOMEM;
			goto done;
		}
		rc = pc_k6_points_read(run, in, opts);
	} else {
		rc = parse_document(&run, in, opts);
	}
	if (rc)
		goto done;
	pc_run_sort_series(run);
	pc_input_hash(in, run->content_hash);
	run->ingested_at = pc_time_now();
	if (!run->file && !(run->file = pc_strdup(strcmp(path, "-") == 0 ? "(stdin)" : path))) {
		rc = PC_ENOMEM;
		goto done;
	}
	*out = run;
	run = NULL;
done:
	pc_run_free(run);
	pc_input_free(in);
	return rc;
}
