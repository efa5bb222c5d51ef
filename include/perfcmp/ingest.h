/* Reading results files into runs. The format is detected from the content (never the name):
 * k6 --summary-export, k6 handleSummary data, k6 --out json points, Playwright JSON; plain or
 * gzip. Ingest returns data and never touches the database. */
#ifndef PERFCMP_INGEST_H
#define PERFCMP_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "perfcmp/run.h"

#define PC_DEFAULT_MAX_LINE ((size_t)1 << 20)        /* --max-line: one NDJSON line */
#define PC_DEFAULT_MAX_SIZE ((size_t)256 << 20)      /* --max-size: one JSON document */
#define PC_DEFAULT_MAX_TAG_VALUES 1000               /* --max-tag-values */

typedef struct pc_ingest_opts {
	size_t max_line;       /* bytes; 0 = default */
	size_t max_size;       /* bytes; 0 = default */
	size_t max_tag_values; /* 0 = default */
	const char *by;        /* k6 points breakdown tags ("name,scenario,name+status"); NULL = default */
	/* Called now and then during long reads (may be NULL): compressed bytes consumed, the file
	 * size (-1 unknown) and lines read so far. */
	void (*progress)(void *ctx, uint64_t bytes, int64_t total, uint64_t lines);
	void *progress_ctx;
} pc_ingest_opts;

/* Read `path` ("-" = stdin) into a new run (*out, caller frees). Sets source, content hash,
 * file metadata (profile/config when the file names them, else NULL), start time, duration,
 * series, checks, tests, totals and warnings; not the CLI-side keys (git, labels, project).
 * Returns 0, PC_EINPUT (bad data: the message says what and where), PC_ENOMEM. */
int pc_ingest_file(pc_run **out, const char *path, const pc_ingest_opts *opts);

#endif
