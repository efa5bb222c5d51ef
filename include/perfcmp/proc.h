/* Running a program with an argv (never through a shell): its stdin fed from memory, its stdout
 * and stderr captured into bounded buffers, a timeout. Used for git and gnuplot. */
#ifndef PERFCMP_PROC_H
#define PERFCMP_PROC_H

#include <stddef.h>

#include "perfcmp/buf.h"

/* Run argv[0] (looked up in PATH) with argv. `in` (n bytes, may be NULL) is written to its
 * stdin; `out` and `err` (may be NULL: discarded) collect its output up to their ceilings.
 * *status is the exit status, or 128 + signal when it was killed. Returns 0; PC_EENV when the
 * program cannot be started ("not found" when it does not exist) or ran past timeout_ms (it is
 * then killed). */
int pc_proc_run(const char *const argv[], const char *in, size_t n, pc_buf *out, pc_buf *err,
		int timeout_ms, int *status);

#endif
