/* The SQLite store: opening, schema and migrations, writing and reading runs. Prepared
 * statements with bound values only; one transaction per write. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "perfcmp/error.h"
#include "perfcmp/store.h"
#include "perfcmp/strutil.h"
#include "store/store_internal.h"

#define BUSY_TIMEOUT_MS 30000

/* Each entry migrates the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE runs("
	"  id INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL,"
	"  tool TEXT NOT NULL,"
	"  profile TEXT NOT NULL,"
	"  config TEXT NOT NULL,"
	"  project TEXT NOT NULL DEFAULT '',"
	"  git_sha TEXT NOT NULL DEFAULT '',"
	"  git_branch TEXT NOT NULL DEFAULT '',"
	"  started_at INTEGER NOT NULL," /* ns since the epoch: the file's own, else ingest time */
	"  started_known INTEGER NOT NULL,"
	"  ingested_at INTEGER NOT NULL,"
	"  duration REAL," /* seconds */
	"  file TEXT NOT NULL,"
	"  content_hash TEXT NOT NULL UNIQUE,"
	"  tool_version TEXT NOT NULL DEFAULT '',"
	"  has_totals INTEGER NOT NULL DEFAULT 0,"
	"  expected INTEGER, unexpected INTEGER, flaky INTEGER, skipped INTEGER);"
	"CREATE INDEX runs_order ON runs(started_at, id);"
	"CREATE TABLE labels("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  label TEXT NOT NULL,"
	"  PRIMARY KEY(run_id, label)) WITHOUT ROWID;"
	"CREATE INDEX labels_label ON labels(label);"
	"CREATE TABLE series("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  metric TEXT NOT NULL,"
	"  tags TEXT NOT NULL," /* canonical JSON object, sorted keys */
	"  kind TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  empty INTEGER NOT NULL,"
	"  UNIQUE(run_id, metric, tags));"
	"CREATE TABLE stats("
	"  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,"
	"  ord INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  value REAL," /* NULL: not finite */
	"  PRIMARY KEY(series_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE thresholds("
	"  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,"
	"  ord INTEGER NOT NULL,"
	"  expr TEXT NOT NULL,"
	"  ok INTEGER NOT NULL,"
	"  PRIMARY KEY(series_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE samples(" /* packed little-endian (int64 time ns, float64 value) pairs */
	"  series_id INTEGER PRIMARY KEY REFERENCES series(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"
	"  data BLOB NOT NULL);"
	"CREATE TABLE checks("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  ord INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  passes INTEGER NOT NULL,"
	"  fails INTEGER NOT NULL,"
	"  PRIMARY KEY(run_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE tests("
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  ord INTEGER NOT NULL,"
	"  file TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  project TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  repeat INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL,"
	"  retries INTEGER NOT NULL,"
	"  PRIMARY KEY(run_id, ord)) WITHOUT ROWID;"
	"CREATE INDEX series_run ON series(run_id);",
	/* 1 -> 2: distributions of runs from raw samples (k6 points), see src/store/hist.c */
	"CREATE TABLE hists(" /* pc_hist_encode blobs: the whole run, then nslices concatenated */
	"  series_id INTEGER PRIMARY KEY REFERENCES series(id) ON DELETE CASCADE,"
	"  hist BLOB NOT NULL,"
	"  nslices INTEGER NOT NULL,"
	"  slices BLOB NOT NULL);"
	"CREATE TABLE slicing(" /* slice i: [t0 + i*width, t0 + (i+1)*width) ns */
	"  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
	"  t0 INTEGER NOT NULL,"
	"  width INTEGER NOT NULL,"
	"  n INTEGER NOT NULL);"
	"CREATE TABLE timeline(" /* per second of the run; NULL: no sample that second */
	"  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	"  t INTEGER NOT NULL," /* ns, a whole second */
	"  requests INTEGER NOT NULL,"
	"  failed INTEGER NOT NULL,"
	"  iterations INTEGER NOT NULL,"
	"  p50 REAL, p95 REAL, vus REAL,"
	"  PRIMARY KEY(run_id, t)) WITHOUT ROWID;",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(*migrations)))

int pc_store_schema_version(void)
{
	return SCHEMA_VERSION;
}

/* Turn an SQLite failure into a PC_EENV message with the database path. */
int pc_store_fail(pc_store *st, const char *what)
{
	int ec = sqlite3_extended_errcode(st->db);

	if (ec == SQLITE_BUSY || (ec & 0xff) == SQLITE_BUSY || (ec & 0xff) == SQLITE_LOCKED) {
		pc_error_set(PC_EENV, "database is locked (waited %d s)", BUSY_TIMEOUT_MS / 1000);
		pc_error_hint("another perfcmp is writing it; try again, or use another --db");
		return PC_EENV;
	}
	if ((ec & 0xff) == SQLITE_NOTADB) {
		pc_error_set(PC_EENV, "not a perfcmp database (not SQLite)");
		pc_error_hint("point --db (or $PERFCMP_DB) at a perfcmp database or a new path");
		return PC_EENV;
	}
	if ((ec & 0xff) == SQLITE_READONLY || (ec & 0xff) == SQLITE_CANTOPEN ||
	    (ec & 0xff) == SQLITE_PERM) {
		pc_error_set(PC_EENV, "database is not writable: %s", sqlite3_errmsg(st->db));
		pc_error_hint("check the permissions of the file and its directory, or use another --db");
		return PC_EENV;
	}
	if ((ec & 0xff) == SQLITE_FULL) {
		pc_error_set(PC_EENV, "disk full while %s", what);
		return PC_EENV;
	}
	if ((ec & 0xff) == SQLITE_NOMEM)
		return pc_error_set(PC_ENOMEM, "out of memory in SQLite while %s", what);
	return pc_error_set(PC_EENV, "%s: %s", what, sqlite3_errmsg(st->db));
}

int pc_store_prepare(pc_store *st, sqlite3_stmt **stmt, const char *sql)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return pc_store_fail(st, "preparing a query");
	return 0;
}

int pc_store_step_done(pc_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : pc_store_fail(st, what);
}

int pc_store_bind_real(sqlite3_stmt *s, int i, double v)
{
	return isfinite(v) ? sqlite3_bind_double(s, i, v) : sqlite3_bind_null(s, i);
}

double pc_store_col_real(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NAN : sqlite3_column_double(s, i);
}

int pc_store_exec(pc_store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return pc_store_fail(st, what);
	return 0;
}

/* A database from a newer perfcmp: its tables may mean what this build cannot know. */
static int refuse_newer(int v)
{
	pc_error_set(PC_EENV, "database was written by a newer perfcmp (schema %d; this one knows %d)",
		     v, SCHEMA_VERSION);
	pc_error_hint("upgrade perfcmp, or use another --db");
	return PC_EENV;
}

static int user_version(pc_store *st, int *v)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "PRAGMA user_version")))
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = pc_store_fail(st, "reading the schema version");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Bring the schema to SCHEMA_VERSION inside one write transaction. */
static int migrate(pc_store *st)
{
	sqlite3_stmt *s = NULL;
	int v, rc, other = 0;
	char sql[64];

	if ((rc = user_version(st, &v)))
		return rc;
	if (v > SCHEMA_VERSION)
		return refuse_newer(v);
	if (v == SCHEMA_VERSION)
		return 0;
	if ((rc = pc_store_exec(st, "BEGIN IMMEDIATE", "starting the schema migration")))
		return rc;
	/* another process may have migrated while we waited for the lock */
	if ((rc = user_version(st, &v)))
		goto done;
	if (v == 0) {
		if ((rc = pc_store_prepare(st, &s, "SELECT count(*) FROM sqlite_master")))
			goto done;
		if (sqlite3_step(s) != SQLITE_ROW) {
			rc = pc_store_fail(st, "reading the schema");
			sqlite3_finalize(s);
			goto done;
		}
		other = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		if (other) {
			rc = pc_error_set(PC_EENV, "not a perfcmp database (an SQLite file with other tables)");
			pc_error_hint("point --db (or $PERFCMP_DB) at a perfcmp database or a new path");
			goto done;
		}
	}
	for (; v < SCHEMA_VERSION; v++) {
		if ((rc = pc_store_exec(st, migrations[v], "migrating the schema")))
			goto done;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if ((rc = pc_store_exec(st, sql, "setting the schema version")))
		goto done;
	rc = pc_store_exec(st, "COMMIT", "committing the schema migration");
done:
	if (rc)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int parent_exists(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	struct stat sb;

	if (!slash)
		return 1;
	if ((size_t)(slash - path) >= sizeof(dir))
		return 1; /* let SQLite say what is wrong */
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return !dir[0] || (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode));
}

int pc_store_readonly(const pc_store *st)
{
	return st->readonly;
}

/* An SQLite URI for path with the query q ("mode=ro", "immutable=1"); NULL on OOM. */
static char *file_uri(const char *path, const char *q)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), i, o = 0;
	char *u = malloc(n * 3 + strlen(q) + 8);

	if (!u)
		return NULL;
	memcpy(u, "file:", 5);
	o = 5;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '%' || c == '?' || c == '#' || c <= 0x20 || c >= 0x7f) {
			u[o++] = '%';
			u[o++] = hex[c >> 4];
			u[o++] = hex[c & 15];
		} else {
			u[o++] = (char)c;
		}
	}
	u[o++] = '?';
	strcpy(u + o, q);
	return u;
}

/* The database cannot be written (a read-only file, directory or mount) and the caller only
 * reads: open it read-only, or, for a WAL database whose -shm cannot be created, immutable. */
static int open_readonly(pc_store *st, const char *path)
{
	static const char *const modes[] = {"mode=ro", "immutable=1"};
	size_t i;

	for (i = 0; i < 2; i++) {
		char *uri = file_uri(path, modes[i]);
		if (!uri)
			return pc_error_set(PC_ENOMEM, "out of memory");
		sqlite3_close_v2(st->db);
		st->db = NULL;
		if (sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				    SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
		    sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) == SQLITE_OK) {
			free(uri);
			sqlite3_extended_result_codes(st->db, 1);
			sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
			st->readonly = (int)i + 1;
			return 0;
		}
		free(uri);
	}
	return pc_store_fail(st, "opening the database read-only");
}

static int cannot_write(int ec)
{
	ec &= 0xff;
	return ec == SQLITE_READONLY || ec == SQLITE_CANTOPEN || ec == SQLITE_PERM || ec == SQLITE_IOERR;
}

/* A read-only database must already be at this build's schema: it cannot be migrated. */
static int check_version(pc_store *st)
{
	int v, rc = user_version(st, &v);

	if (rc)
		return rc;
	if (v > SCHEMA_VERSION)
		return refuse_newer(v);
	if (v < SCHEMA_VERSION) {
		pc_error_set(PC_EENV, "database needs an upgrade (schema %d to %d) but cannot be written", v,
			     SCHEMA_VERSION);
		pc_error_hint("open it once where it can be written, or copy it somewhere writable");
		return PC_EENV;
	}
	return 0;
}

int pc_store_open(pc_store **out, const char *path, int flags)
{
	pc_store *st;
	struct stat sb;
	int rc, oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (!*path) /* SQLite would open a private temporary database and lose everything */
		return pc_error_set(PC_EUSAGE, "the database path is empty");
	if (stat(path, &sb) != 0) {
		if ((flags & PC_STORE_CREATE) && !parent_exists(path)) {
			pc_error_set(PC_EENV, "cannot create the database: its directory does not exist");
			pc_error_hint("create the directory, or name another --db");
			return PC_EENV;
		}
		if (!(flags & PC_STORE_CREATE)) {
			pc_error_set(PC_EENV, "no database here");
			pc_error_hint("ingest results first: perfcmp ingest FILE (or name one with --db)");
			return PC_EENV;
		}
		oflags |= SQLITE_OPEN_CREATE;
	} else if (S_ISDIR(sb.st_mode)) {
		return pc_error_set(PC_EENV, "is a directory, not a database");
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return pc_error_set(PC_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
		if (!st->db) {
			free(st);
			return pc_error_set(PC_ENOMEM, "out of memory");
		}
		if ((flags & PC_STORE_READ) && !(oflags & SQLITE_OPEN_CREATE) &&
		    cannot_write(sqlite3_extended_errcode(st->db))) {
			if ((rc = open_readonly(st, path)) || (rc = check_version(st)))
				goto fail;
			goto opened;
		}
		rc = pc_store_fail(st, "opening the database");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* journal_mode needs a readable header: a non-SQLite file fails here with NOTADB */
	if ((flags & PC_STORE_READ) &&
	    sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK &&
	    cannot_write(sqlite3_extended_errcode(st->db))) {
		if ((rc = open_readonly(st, path)) || (rc = check_version(st)))
			goto fail;
		goto opened;
	}
	if ((rc = pc_store_exec(st, "PRAGMA journal_mode=WAL", "opening the database")) ||
	    (rc = pc_store_exec(st, "PRAGMA synchronous=NORMAL", "opening the database")) ||
	    (rc = migrate(st)))
		goto fail;
opened:
	if ((rc = pc_store_exec(st, "PRAGMA foreign_keys=ON", "opening the database")))
		goto fail;
	*out = st;
	return 0;
fail:
	pc_store_free(st);
	return rc;
}

void pc_store_free(pc_store *st)
{
	if (!st)
		return;
	sqlite3_close_v2(st->db);
	free(st);
}
