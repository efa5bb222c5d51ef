/* Growable buffer with a ceiling; see perfcmp/buf.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/buf.h"

void pc_buf_init(pc_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void pc_buf_release(pc_buf *b)
{
	free(b->ptr);
	pc_buf_init(b, b->max);
}

void pc_buf_reset(pc_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

int pc_buf_grow(pc_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX - b->len - 1)
		return pc_error_set(PC_ENOMEM, "buffer size overflow");
	need = b->len + n + 1;
	if (b->max && b->len + n > b->max)
		return pc_error_set(PC_EINPUT, "over %zu bytes", b->max);
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->ptr, cap);
	if (!p)
		return pc_error_set(PC_ENOMEM, "out of memory (%zu bytes)", cap);
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int pc_buf_add(pc_buf *b, const void *data, size_t n)
{
	int rc = pc_buf_grow(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int pc_buf_puts(pc_buf *b, const char *s)
{
	return pc_buf_add(b, s, strlen(s));
}

int pc_buf_putc(pc_buf *b, char c)
{
	return pc_buf_add(b, &c, 1);
}

int pc_buf_vprintf(pc_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return pc_error_set(PC_ENOMEM, "formatting failed");
	rc = pc_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int pc_buf_printf(pc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pc_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *pc_buf_detach(pc_buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	pc_buf_init(b, b->max);
	return p;
}
