/* Small string helpers shared by the layers: time stamps, JSON string escaping, number
 * formatting. */
#ifndef PERFCMP_STRUTIL_H
#define PERFCMP_STRUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "perfcmp/buf.h"

/* strdup that records PC_ENOMEM; NULL for a NULL argument too. */
char *pc_strdup(const char *s);
char *pc_strndup(const char *s, size_t n);

/* Parse an RFC 3339 timestamp (0 to 9 fractional digits, "Z" or ±hh:mm) into nanoseconds since
 * the Unix epoch, UTC. Returns 0, or PC_EINPUT when `s` (of length n) is not one or lies outside
 * the years 1900 to 2100 (so that times and their differences fit in int64_t nanoseconds). */
int pc_time_parse(const char *s, size_t n, int64_t *out_ns);
/* Format nanoseconds since the epoch as RFC 3339 UTC with milliseconds, e.g.
 * "2026-12-04T19:16:17.853Z". `out` must hold 32 bytes. */
void pc_time_format(int64_t ns, char out[32]);
/* Now, in nanoseconds since the epoch. */
int64_t pc_time_now(void);

/* Append s (n bytes, UTF-8 passed through) as a JSON string literal with quotes. Control
 * characters, quotes and backslashes are escaped; invalid UTF-8 bytes become U+FFFD. */
int pc_json_str(pc_buf *b, const char *s, size_t n);
/* Append a number as JSON: shortest round-trip form; non-finite values become null. */
int pc_json_num(pc_buf *b, double v);

/* Append a printf-formatted string to a (list, n, cap) array of owned strings, such as a run's
 * or a comparison's warnings. 0 or PC_ENOMEM; the list is unchanged on failure. */
int pc_strlist_vadd(char ***list, size_t *n, size_t *cap, const char *fmt, va_list ap)
	PC_PRINTF(4, 0);

/* Format v with up to 17 significant digits, shortest form that reads back exactly. */
void pc_fmt_double(char out[32], double v);

#endif
