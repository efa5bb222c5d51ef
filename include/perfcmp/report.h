/* Markdown documents with regions perfcmp owns: `<!-- perfcmp:begin NAME -->` ...
 * `<!-- perfcmp:end NAME -->`. Pure text processing; what a region holds comes from a callback. */
#ifndef PERFCMP_REPORT_H
#define PERFCMP_REPORT_H

#include <stddef.h>

#include "perfcmp/buf.h"

/* Fill `content` with the Markdown of the region NAME (trimmed, as written in the marker) whose
 * begin marker is on `line` (1-based). Returns 0, or non-zero to stop: pc_report_update returns
 * that value unchanged. */
typedef int (*pc_report_fill)(void *ctx, const char *name, size_t line, pc_buf *content);

/* Copy doc (len bytes) to out, replacing what lies between each begin marker line and its end
 * marker line with fill's content (a final newline added when missing). Marker lines and
 * everything outside the regions are copied byte for byte, and markers inside fenced code
 * blocks (``` or ~~~) are text. A marker is a line holding only `<!-- perfcmp:begin NAME -->`
 * or `<!-- perfcmp:end NAME -->` (spaces around allowed). PC_EINPUT, with a message naming the
 * line, for a begin marker without its end, an end marker without a begin, a begin inside an
 * open region, an end naming another region, or an empty NAME. `out` is appended to. */
int pc_report_update(pc_buf *out, const char *doc, size_t len, pc_report_fill fill, void *ctx);

/* Split a region NAME on spaces into at most `max` words (copied into `buf`, cap bytes).
 * Returns the number of words, or -1 when there are more than max or buf is too small. */
int pc_report_words(const char *name, char *buf, size_t cap, char **words, int max);

#endif
