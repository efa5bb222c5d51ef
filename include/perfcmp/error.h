/* perfcmp error reporting: library code returns 0 or a negative PC_E* code and records one
 * message (and optionally a hint) here; only src/cli/ turns them into output and exit codes. */
#ifndef PERFCMP_ERROR_H
#define PERFCMP_ERROR_H

enum pc_error_code {
	PC_OK = 0,
	PC_ENOMEM = -1,    /* allocation failed */
	PC_EUSAGE = -2,    /* bad arguments, selector or option value (exit 2) */
	PC_EINPUT = -3,    /* bad input data: unreadable, malformed, over a limit (exit 3) */
	PC_EENV = -4,      /* environment: database, gnuplot, filesystem (exit 4) */
	PC_ENOTFOUND = -5, /* nothing matched (a selector: exit 2) */
};

#if defined(__GNUC__)
#define PC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PC_PRINTF(a, b)
#endif

/* Record the message for `code` (formatted like printf) and return `code`, so callers can write
 * `return pc_error_set(PC_EINPUT, "...")`. The message replaces any earlier one and clears the
 * hint. It should read as "<what is wrong>"; the CLI prefixes the subject (usually the file). */
int pc_error_set(int code, const char *fmt, ...) PC_PRINTF(2, 3);

/* Attach a hint ("what to do") to the current message. */
void pc_error_hint(const char *fmt, ...) PC_PRINTF(1, 2);

/* Prefix the current message with "<fmt>: ", to add context on the way up. */
void pc_error_prefix(const char *fmt, ...) PC_PRINTF(1, 2);

/* The last message, hint (NULL when none) and code. Valid until the next pc_error_* call. */
const char *pc_error_msg(void);
const char *pc_error_hint_msg(void);
int pc_error_last(void);
void pc_error_clear(void);

#endif
