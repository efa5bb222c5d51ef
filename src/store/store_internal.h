/* Shared between the store's own files; nothing outside src/store/ includes this. */
#ifndef PERFCMP_STORE_INTERNAL_H
#define PERFCMP_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

struct pc_store {
	sqlite3 *db;
	int readonly; /* pc_store_readonly() */
};

/* Record the current SQLite error as a PC_E* message ("<what>: <sqlite message>"). */
int pc_store_fail(struct pc_store *st, const char *what);
int pc_store_prepare(struct pc_store *st, sqlite3_stmt **stmt, const char *sql);
int pc_store_exec(struct pc_store *st, const char *sql, const char *what);
/* Step a write statement, then reset it and clear its bindings for the next row. */
int pc_store_step_done(struct pc_store *st, sqlite3_stmt *s, const char *what);
/* Bind a double, or NULL for NaN and infinities (SQLite has no non-finite reals). */
int pc_store_bind_real(sqlite3_stmt *s, int i, double v);
/* The real in column i, NaN for NULL (the other half of pc_store_bind_real). */
double pc_store_col_real(sqlite3_stmt *s, int i);

/* src/store/hist.c: a series' histograms and slices, a run's slicing and timeline (schema 2).
 * Each does nothing when the series or run has none. 0 or a PC_E* code. */
struct pc_series;
struct pc_run;
int pc_store_insert_hists(struct pc_store *st, int64_t series_id, const struct pc_series *se);
int pc_store_load_hists(struct pc_store *st, int64_t series_id, struct pc_series *se);
int pc_store_insert_timeline(struct pc_store *st, const struct pc_run *run);
int pc_store_load_timeline(struct pc_store *st, struct pc_run *run);

#endif
