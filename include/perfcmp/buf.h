/* pc_buf: one growable byte buffer with a ceiling (git's strbuf, curl's dynbuf). Every byte read
 * from a user's file goes through one, so a gzip bomb or a 2 GB line is an error, not an OOM.
 * The contents are always NUL-terminated once anything has been added. */
#ifndef PERFCMP_BUF_H
#define PERFCMP_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "perfcmp/error.h"

typedef struct pc_buf {
	char *ptr;  /* NULL until the first append */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* the ceiling for len; 0 = no ceiling */
} pc_buf;

#define PC_BUF_INIT {NULL, 0, 0, 0}

void pc_buf_init(pc_buf *b, size_t max);
void pc_buf_release(pc_buf *b);
void pc_buf_reset(pc_buf *b); /* len = 0, keeps memory */

/* Append; PC_EINPUT (message "over N bytes") when the ceiling would be passed, PC_ENOMEM. */
int pc_buf_add(pc_buf *b, const void *data, size_t n);
int pc_buf_puts(pc_buf *b, const char *s);
int pc_buf_putc(pc_buf *b, char c);
int pc_buf_printf(pc_buf *b, const char *fmt, ...) PC_PRINTF(2, 3);
int pc_buf_vprintf(pc_buf *b, const char *fmt, va_list ap) PC_PRINTF(2, 0);
/* Make room for n more bytes without adding them. */
int pc_buf_grow(pc_buf *b, size_t n);
/* Hand the contents to the caller (who frees them); the buffer is released. "" when empty. */
char *pc_buf_detach(pc_buf *b);

#endif
