/* The single last-error slot of the library (libgit2's errors.c, simplified: perfcmp is
 * single-threaded). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "perfcmp/error.h"

static char msg[1024];
static char hint[512];
static int last;

int pc_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hint[0] = '\0';
	last = code;
	return code;
}

void pc_error_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hint, sizeof(hint), fmt, ap);
	va_end(ap);
}

void pc_error_prefix(const char *fmt, ...)
{
	char pre[512], old[sizeof(msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, msg, sizeof(old));
	if (snprintf(msg, sizeof(msg), "%s: %s", pre, old) >= (int)sizeof(msg))
		strcpy(msg + sizeof(msg) - 4, "...");
}

const char *pc_error_msg(void)
{
	if (msg[0] == '\0')
		return last == PC_ENOMEM ? "out of memory" : "unknown error";
	return msg;
}

const char *pc_error_hint_msg(void)
{
	return hint[0] ? hint : NULL;
}

int pc_error_last(void)
{
	return last;
}

void pc_error_clear(void)
{
	msg[0] = '\0';
	hint[0] = '\0';
	last = PC_OK;
}
