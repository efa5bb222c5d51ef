/* Shared between the store's own files; nothing outside src/store/ includes this. */
#ifndef PERFCMP_STORE_INTERNAL_H
#define PERFCMP_STORE_INTERNAL_H

#include <sqlite3.h>

struct pc_store {
	sqlite3 *db;
};

/* Record the current SQLite error as a PC_E* message ("<what>: <sqlite message>"). */
int pc_store_fail(struct pc_store *st, const char *what);
int pc_store_prepare(struct pc_store *st, sqlite3_stmt **stmt, const char *sql);
int pc_store_exec(struct pc_store *st, const char *sql, const char *what);

#endif
