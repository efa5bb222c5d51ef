/* Marked regions of a Markdown document: finding them and rewriting only their insides. */
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/report.h"

enum { LINE_TEXT, LINE_BEGIN, LINE_END };

/* Is the line [p, e) a marker? Sets the name span (trimmed). */
static int marker(const char *p, const char *e, const char **name, size_t *nlen)
{
	static const char *const word[] = {"perfcmp:begin", "perfcmp:end"};
	size_t i;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e - p < 7 || memcmp(p, "<!--", 4) != 0 || memcmp(e - 3, "-->", 3) != 0)
		return LINE_TEXT;
	e -= 3;
	for (p += 4; p < e && (*p == ' ' || *p == '\t');)
		p++;
	for (i = 0; i < 2; i++) {
		size_t n = strlen(word[i]);
		if ((size_t)(e - p) >= n && memcmp(p, word[i], n) == 0 &&
		    (p + n == e || p[n] == ' ' || p[n] == '\t')) {
			const char *a = p + n, *b = e;
			while (a < b && (*a == ' ' || *a == '\t'))
				a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			*name = a;
			*nlen = (size_t)(b - a);
			return i == 0 ? LINE_BEGIN : LINE_END;
		}
	}
	return LINE_TEXT;
}

/* A fence line (CommonMark): up to 3 spaces, then 3 or more ` or ~. Returns the character and
 * sets *len to the run's length and *bare when nothing but spaces follows (only such a line
 * can close a fence); 0 when the line is no fence. */
static char fence(const char *p, const char *e, size_t *len, int *bare)
{
	const char *q;
	int sp = 0;

	while (p < e && *p == ' ' && sp < 4)
		p++, sp++;
	if (sp > 3 || e - p < 3 || (p[0] != '`' && p[0] != '~'))
		return 0;
	for (q = p; q < e && *q == p[0]; q++)
		;
	if (q - p < 3)
		return 0;
	*len = (size_t)(q - p);
	while (q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	*bare = q == e;
	return p[0];
}

int pc_report_update(pc_buf *out, const char *doc, size_t len, pc_report_fill fill, void *ctx)
{
	const char *p = doc, *end = doc + len, *open_name = NULL;
	size_t line = 0, open_line = 0, open_len = 0;
	char in_fence = 0;
	size_t fence_len = 0, flen = 0;
	int bare = 0;
	pc_buf name = PC_BUF_INIT, content = PC_BUF_INIT;
	int rc = 0;

	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *next = nl ? nl + 1 : end, *nm = NULL;
		size_t nlen = 0;
		int kind = LINE_TEXT;
		char f;

		line++;
		if ((f = fence(p, le, &flen, &bare)) && !open_name) {
			/* a fence closes only with its own character, at least as long, and bare */
			if (!in_fence) {
				in_fence = f;
				fence_len = flen;
			} else if (f == in_fence && flen >= fence_len && bare) {
				in_fence = 0;
			}
		} else if (!in_fence) {
			kind = marker(p, le, &nm, &nlen);
		}
		if (kind != LINE_TEXT && nlen == 0) {
			rc = pc_error_set(PC_EINPUT, "line %zu: a perfcmp marker without a NAME", line);
			break;
		}
		if (kind == LINE_BEGIN) {
			if (open_name) {
				rc = pc_error_set(PC_EINPUT, "line %zu: begin marker inside the region opened on "
							     "line %zu (its end marker is missing)", line, open_line);
				break;
			}
			open_name = nm;
			open_len = nlen;
			open_line = line;
			rc = pc_buf_add(out, p, (size_t)(next - p));
		} else if (kind == LINE_END) {
			if (!open_name) {
				rc = pc_error_set(PC_EINPUT, "line %zu: end marker '%.*s' without a begin marker",
						  line, (int)nlen, nm);
				break;
			}
			if (nlen != open_len || memcmp(nm, open_name, nlen) != 0) {
				rc = pc_error_set(PC_EINPUT, "line %zu: end marker '%.*s' does not close '%.*s' "
							     "(line %zu)", line, (int)nlen, nm, (int)open_len,
						  open_name, open_line);
				break;
			}
			pc_buf_reset(&name);
			pc_buf_reset(&content);
			if ((rc = pc_buf_add(&name, open_name, open_len)) ||
			    (rc = fill(ctx, name.ptr, open_line, &content)))
				break;
			if (content.len && (rc = pc_buf_add(out, content.ptr, content.len)))
				break;
			if (content.len && content.ptr[content.len - 1] != '\n' && (rc = pc_buf_putc(out, '\n')))
				break;
			rc = pc_buf_add(out, p, (size_t)(next - p));
			open_name = NULL;
		} else if (!open_name) {
			rc = pc_buf_add(out, p, (size_t)(next - p));
		}
		p = next;
	}
	if (!rc && open_name)
		rc = pc_error_set(PC_EINPUT, "line %zu: begin marker '%.*s' has no end marker", open_line,
				  (int)open_len, open_name);
	pc_buf_release(&name);
	pc_buf_release(&content);
	return rc;
}

int pc_report_words(const char *name, char *buf, size_t cap, char **words, int max)
{
	size_t n = strlen(name);
	char *p, *save = NULL;
	int k = 0;

	if (n + 1 > cap)
		return -1;
	memcpy(buf, name, n + 1);
	for (p = strtok_r(buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (k == max)
			return -1;
		words[k++] = p;
	}
	return k;
}
