/* The run database (SQLite): schema, migrations, queries. The only module that includes
 * sqlite3.h. Every write is one transaction; WAL mode and a busy timeout let several perfcmp
 * processes share one file. Errors are PC_EENV (database unusable: unwritable, locked past the
 * timeout, not SQLite, from a newer perfcmp) unless stated. */
#ifndef PERFCMP_STORE_H
#define PERFCMP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "perfcmp/run.h"

typedef struct pc_store pc_store;

#define PC_STORE_CREATE 1 /* create the file when missing (otherwise PC_EENV "no database") */
#define PC_STORE_READ 2   /* the caller only reads: a database that cannot be written (a
			   * read-only cache or artifact mount) is opened read-only instead */

/* Open (and create or migrate) the database at path. */
int pc_store_open(pc_store **out, const char *path, int flags);
void pc_store_free(pc_store *st);

/* How the database was opened: 0 read-write, 1 read-only, 2 read-only and immutable (a WAL
 * database in a place where not even its -shm file can be made: nothing may write it meanwhile). */
int pc_store_readonly(const pc_store *st);

/* The id of the run with this content hash: 0 and *id set, or PC_ENOTFOUND. */
int pc_store_find_hash(pc_store *st, const char *hash, int64_t *id);

/* Store the run, its series, statistics, samples, thresholds, checks, tests and labels in one
 * transaction; sets run->id. A run whose content hash is stored already is not stored again:
 * *existing is set to 1 and run->id to the stored run's id. */
int pc_store_insert(pc_store *st, pc_run *run, int *existing);

/* Filter for pc_store_list; NULL strings and limit 0 mean "any". */
typedef struct pc_run_filter {
	const char *profile, *config, *tool;
	size_t limit;
} pc_run_filter;

/* Runs newest first (start time, then ingest order), keys and labels only (no series).
 * *out is an array of *n runs the caller frees with pc_store_runs_free. */
int pc_store_list(pc_store *st, const pc_run_filter *f, pc_run ***out, size_t *n);
void pc_store_runs_free(pc_run **runs, size_t n);

/* Load one run with everything stored about it; PC_ENOTFOUND when there is no such id. */
int pc_store_load(pc_store *st, int64_t id, pc_run **out);

/* Add a label to a run (no-op when it has it), or with `remove` take it off (PC_ENOTFOUND when
 * the run does not have it). PC_ENOTFOUND for an unknown id. */
int pc_store_label(pc_store *st, int64_t id, const char *label, int remove);
/* Delete runs by id, all or nothing. PC_ENOTFOUND when one does not exist. */
int pc_store_delete(pc_store *st, const int64_t *ids, size_t n);
/* Delete unlabelled runs started before `before` (ns); *deleted counts them. With dry_run,
 * only count them. */
int pc_store_gc(pc_store *st, int64_t before, int dry_run, size_t *deleted);
/* Compact the database file (after gc). */
int pc_store_vacuum(pc_store *st);

/* Resolve a single-run selector (SPEC.md "Run selectors": id, latest, latest~N, sha:PREFIX,
 * branch:NAME, label:TEXT) within the filter's profile/config/tool. PC_EUSAGE for a malformed
 * selector, PC_ENOTFOUND (with what it matched) when nothing or too much matches. */
int pc_store_select(pc_store *st, const char *selector, const pc_run_filter *scope, int64_t *id);

/* A window of up to n runs within the scope, newest first: the latest ones, or (when `before`
 * is not 0) the latest ones that started before run `before` (ties: ingested before it).
 * *ids is the caller's to free; *got may be less than n. */
int pc_store_window(pc_store *st, const pc_run_filter *scope, int64_t before, size_t n,
		    int64_t **ids, size_t *got);

/* The schema version this build writes. */
int pc_store_schema_version(void);

#endif
