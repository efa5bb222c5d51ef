/* Resolving run selectors (SPEC.md "Run selectors") against the store. Runs are ordered by
 * start time, ties by ingest order (id). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "perfcmp/error.h"
#include "perfcmp/store.h"
#include "store/store_internal.h"

#define SCOPE " (?1 IS NULL OR profile = ?1) AND (?2 IS NULL OR config = ?2) AND (?3 IS NULL OR tool = ?3)"

static int parse_count(const char *s, long long *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static void bind_scope(sqlite3_stmt *s, const pc_run_filter *f)
{
	if (f && f->profile)
		sqlite3_bind_text(s, 1, f->profile, -1, SQLITE_TRANSIENT);
	if (f && f->config)
		sqlite3_bind_text(s, 2, f->config, -1, SQLITE_TRANSIENT);
	if (f && f->tool)
		sqlite3_bind_text(s, 3, f->tool, -1, SQLITE_TRANSIENT);
}

static const char *scope_text(const pc_run_filter *f, char *buf, size_t cap)
{
	if (!f || (!f->profile && !f->config && !f->tool))
		return "";
	snprintf(buf, cap, " in %s/%s%s%s", f->profile ? f->profile : "*", f->config ? f->config : "*",
		 f->tool ? " " : "", f->tool ? f->tool : "");
	return buf;
}

/* Run `sql` (scope in ?1..?3, the argument in ?4, an offset in ?5) and take the first id. */
static int first_id(pc_store *st, const char *sql, const pc_run_filter *f, const char *arg,
		    long long offset, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, sql)))
		return rc;
	bind_scope(s, f);
	if (arg)
		sqlite3_bind_text(s, 4, arg, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 5, offset);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = PC_ENOTFOUND;
	} else {
		rc = pc_store_fail(st, "resolving a selector");
	}
	sqlite3_finalize(s);
	return rc;
}

static int count_runs(pc_store *st, const pc_run_filter *f, long long *n)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT count(*) FROM runs WHERE" SCOPE)))
		return rc;
	bind_scope(s, f);
	rc = sqlite3_step(s) == SQLITE_ROW ? 0 : pc_store_fail(st, "counting runs");
	*n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

static int select_sha(pc_store *st, const char *prefix, const pc_run_filter *f, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	char where[128], list[160] = "";
	int rc, shas = 0;

	if (!*prefix)
		return pc_error_set(PC_EUSAGE, "\"sha:\" needs a commit prefix, e.g. sha:3f2a9c1");
	rc = pc_store_prepare(st, &s, "SELECT DISTINCT git_sha FROM runs WHERE" SCOPE
				      " AND git_sha <> '' AND substr(git_sha, 1, length(?4)) = ?4"
				      " ORDER BY git_sha LIMIT 4");
	if (rc)
		return rc;
	bind_scope(s, f);
	sqlite3_bind_text(s, 4, prefix, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len = strlen(list);
		if (shas++ < 3)
			snprintf(list + len, sizeof(list) - len, "%s%.12s", len ? ", " : "",
				 (const char *)sqlite3_column_text(s, 0));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return pc_store_fail(st, "resolving a selector");
	if (shas == 0)
		return pc_error_set(PC_ENOTFOUND, "matches no run%s", scope_text(f, where, sizeof(where)));
	if (shas > 1) {
		pc_error_set(PC_ENOTFOUND, "ambiguous: the prefix matches %s commits (%s%s)%s",
			     shas > 3 ? "4 or more" : shas == 3 ? "3" : "2", list, shas > 3 ? ", ..." : "",
			     scope_text(f, where, sizeof(where)));
		pc_error_hint("give more digits of the commit");
		return PC_ENOTFOUND;
	}
	return first_id(st, "SELECT id FROM runs WHERE" SCOPE " AND substr(git_sha, 1, length(?4)) = ?4"
			" ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?5", f, prefix, 0, id);
}

int pc_store_select(pc_store *st, const char *sel, const pc_run_filter *f, int64_t *id)
{
	char where[128];
	long long n;
	int rc;

	if (parse_count(sel, &n) == 0) {
		sqlite3_stmt *s = NULL;
		if ((rc = pc_store_prepare(st, &s, "SELECT id FROM runs WHERE id = ?1")))
			return rc;
		sqlite3_bind_int64(s, 1, n);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc == SQLITE_ROW) {
			*id = n;
			return 0;
		}
		if (rc != SQLITE_DONE)
			return pc_store_fail(st, "resolving a selector");
		return pc_error_set(PC_ENOTFOUND, "no run with id %lld", n);
	}
	if (strcmp(sel, "latest") == 0 || strncmp(sel, "latest~", 7) == 0) {
		long long back = 0, total = 0;
		if (sel[6] == '~' && parse_count(sel + 7, &back))
			return pc_error_set(PC_EUSAGE, "latest~N needs a whole number");
		rc = first_id(st, "SELECT id FROM runs WHERE" SCOPE
			      " ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?5", f, NULL, back, id);
		if (rc != PC_ENOTFOUND)
			return rc;
		if ((rc = count_runs(st, f, &total)))
			return rc;
		return pc_error_set(PC_ENOTFOUND, "matches no run: %lld run%s stored%s", total,
				    total == 1 ? "" : "s", scope_text(f, where, sizeof(where)));
	}
	if (strncmp(sel, "sha:", 4) == 0)
		return select_sha(st, sel + 4, f, id);
	if (strncmp(sel, "branch:", 7) == 0 || strncmp(sel, "label:", 6) == 0) {
		int branch = sel[0] == 'b';
		const char *arg = strchr(sel, ':') + 1;
		if (!*arg)
			return pc_error_set(PC_EUSAGE, "\"%s\" needs a %s", branch ? "branch:" : "label:",
					    branch ? "branch name, e.g. branch:main" : "label, e.g. label:baseline");
		rc = first_id(st,
			      branch ? "SELECT id FROM runs WHERE" SCOPE " AND git_branch = ?4"
				       " ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?5"
				     : "SELECT id FROM runs WHERE" SCOPE " AND id IN"
				       " (SELECT run_id FROM labels WHERE label = ?4)"
				       " ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?5",
			      f, arg, 0, id);
		if (rc == PC_ENOTFOUND)
			return pc_error_set(PC_ENOTFOUND, "matches no run%s",
					    scope_text(f, where, sizeof(where)));
		return rc;
	}
	pc_error_set(PC_EUSAGE, "not a run selector or a file");
	pc_error_hint("use a run id, latest, latest~N, sha:PREFIX, branch:NAME, label:TEXT or a results "
		      "file (compare also takes windows, last:N)");
	return PC_EUSAGE;
}

int pc_store_window(pc_store *st, const pc_run_filter *f, int64_t before, size_t n, int64_t **ids,
		    size_t *got)
{
	sqlite3_stmt *s = NULL;
	int64_t *out;
	int rc;

	*ids = NULL;
	*got = 0;
	if (!(out = calloc(n ? n : 1, sizeof(*out))))
		return pc_error_set(PC_ENOMEM, "out of memory");
	rc = pc_store_prepare(st, &s,
			      "SELECT id FROM runs WHERE" SCOPE " AND (?4 = 0 OR"
			      " (started_at, id) < (SELECT started_at, id FROM runs WHERE id = ?4))"
			      " ORDER BY started_at DESC, id DESC LIMIT ?5");
	if (rc) {
		free(out);
		return rc;
	}
	bind_scope(s, f);
	sqlite3_bind_int64(s, 4, before);
	sqlite3_bind_int64(s, 5, (sqlite3_int64)n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		out[(*got)++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(out);
		*got = 0;
		return pc_store_fail(st, "selecting a window of runs");
	}
	*ids = out;
	return 0;
}
