/* Writing, reading and deleting runs. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "perfcmp/error.h"
#include "perfcmp/store.h"
#include "perfcmp/strutil.h"
#include "store/store_internal.h"

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}



int pc_store_find_hash(pc_store *st, const char *hash, int64_t *id)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT id FROM runs WHERE content_hash = ?1")))
		return rc;
	bind_text(s, 1, hash);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = PC_ENOTFOUND;
	} else {
		rc = pc_store_fail(st, "looking up the content hash");
	}
	sqlite3_finalize(s);
	return rc;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static int insert_samples(pc_store *st, sqlite3_stmt *s, int64_t series_id, const pc_series *se)
{
	unsigned char *blob;
	size_t i;
	int rc;

	if (se->nsamples > SIZE_MAX / 16)
		return pc_error_set(PC_ENOMEM, "too many samples");
	blob = malloc(se->nsamples * 16);
	if (!blob)
		return pc_error_set(PC_ENOMEM, "out of memory");
	for (i = 0; i < se->nsamples; i++) {
		uint64_t bits;
		memcpy(&bits, &se->samples[i].v, 8);
		put_le64(blob + 16 * i, (uint64_t)se->samples[i].t);
		put_le64(blob + 16 * i + 8, bits);
	}
	sqlite3_bind_int64(s, 1, series_id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)se->nsamples);
	sqlite3_bind_blob64(s, 3, blob, (sqlite3_uint64)se->nsamples * 16, free);
	rc = pc_store_step_done(st, s, "storing samples");
	return rc;
}

enum { Q_RUN, Q_LABEL, Q_SERIES, Q_STAT, Q_THR, Q_SAMPLES, Q_CHECK, Q_TEST, Q_N };

static const char *const insert_sql[Q_N] = {
	("INSERT INTO runs(source, tool, profile, config, project, git_sha, git_branch, started_at,"
	 " started_known, ingested_at, duration, file, content_hash, tool_version, has_totals,"
	 " expected, unexpected, flaky, skipped)"
	 " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"),
	"INSERT OR IGNORE INTO labels(run_id, label) VALUES(?1, ?2)",
	"INSERT INTO series(run_id, metric, tags, kind, unit, empty) VALUES(?1,?2,?3,?4,?5,?6)",
	"INSERT INTO stats(series_id, ord, name, value) VALUES(?1,?2,?3,?4)",
	"INSERT INTO thresholds(series_id, ord, expr, ok) VALUES(?1,?2,?3,?4)",
	"INSERT INTO samples(series_id, n, data) VALUES(?1,?2,?3)",
	"INSERT INTO checks(run_id, ord, path, name, passes, fails) VALUES(?1,?2,?3,?4,?5,?6)",
	("INSERT INTO tests(run_id, ord, file, title, project, outcome, repeat, attempts, retries)"
	 " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)"),
};

static int insert_series(pc_store *st, sqlite3_stmt **q, int64_t run_id, const pc_series *se)
{
	int64_t sid;
	size_t i;
	int rc;

	sqlite3_bind_int64(q[Q_SERIES], 1, run_id);
	bind_text(q[Q_SERIES], 2, se->metric);
	bind_text(q[Q_SERIES], 3, se->tags);
	bind_text(q[Q_SERIES], 4, pc_kind_name(se->kind));
	bind_text(q[Q_SERIES], 5, se->unit);
	sqlite3_bind_int(q[Q_SERIES], 6, se->empty);
	if ((rc = pc_store_step_done(st, q[Q_SERIES], "storing a series")))
		return rc;
	sid = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < se->nstats; i++) {
		sqlite3_bind_int64(q[Q_STAT], 1, sid);
		sqlite3_bind_int64(q[Q_STAT], 2, (sqlite3_int64)i);
		bind_text(q[Q_STAT], 3, se->stats[i].name);
		pc_store_bind_real(q[Q_STAT], 4, se->stats[i].value);
		if ((rc = pc_store_step_done(st, q[Q_STAT], "storing statistics")))
			return rc;
	}
	for (i = 0; i < se->nthresholds; i++) {
		sqlite3_bind_int64(q[Q_THR], 1, sid);
		sqlite3_bind_int64(q[Q_THR], 2, (sqlite3_int64)i);
		bind_text(q[Q_THR], 3, se->thresholds[i].expr);
		sqlite3_bind_int(q[Q_THR], 4, se->thresholds[i].ok);
		if ((rc = pc_store_step_done(st, q[Q_THR], "storing thresholds")))
			return rc;
	}
	if (se->nsamples && (rc = insert_samples(st, q[Q_SAMPLES], sid, se)))
		return rc;
	return pc_store_insert_hists(st, sid, se);
}

static int insert_all(pc_store *st, sqlite3_stmt **q, pc_run *run)
{
	int64_t started = run->started_at ? run->started_at : run->ingested_at;
	size_t i;
	int rc;

	bind_text(q[Q_RUN], 1, pc_source_name(run->source));
	bind_text(q[Q_RUN], 2, pc_source_tool(run->source));
	bind_text(q[Q_RUN], 3, run->profile);
	bind_text(q[Q_RUN], 4, run->config);
	bind_text(q[Q_RUN], 5, run->project);
	bind_text(q[Q_RUN], 6, run->git_sha);
	bind_text(q[Q_RUN], 7, run->git_branch);
	sqlite3_bind_int64(q[Q_RUN], 8, started);
	sqlite3_bind_int(q[Q_RUN], 9, run->started_at != 0);
	sqlite3_bind_int64(q[Q_RUN], 10, run->ingested_at);
	pc_store_bind_real(q[Q_RUN], 11, run->duration);
	bind_text(q[Q_RUN], 12, run->file);
	bind_text(q[Q_RUN], 13, run->content_hash);
	bind_text(q[Q_RUN], 14, run->tool_version);
	sqlite3_bind_int(q[Q_RUN], 15, run->has_totals);
	if (run->has_totals) {
		sqlite3_bind_int64(q[Q_RUN], 16, run->totals.expected);
		sqlite3_bind_int64(q[Q_RUN], 17, run->totals.unexpected);
		sqlite3_bind_int64(q[Q_RUN], 18, run->totals.flaky);
		sqlite3_bind_int64(q[Q_RUN], 19, run->totals.skipped);
	}
	if ((rc = pc_store_step_done(st, q[Q_RUN], "storing the run")))
		return rc;
	run->id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < run->nlabels; i++) {
		sqlite3_bind_int64(q[Q_LABEL], 1, run->id);
		bind_text(q[Q_LABEL], 2, run->labels[i]);
		if ((rc = pc_store_step_done(st, q[Q_LABEL], "storing labels")))
			return rc;
	}
	for (i = 0; i < run->nseries; i++)
		if ((rc = insert_series(st, q, run->id, run->series[i])))
			return rc;
	if ((rc = pc_store_insert_timeline(st, run)))
		return rc;
	for (i = 0; i < run->nchecks; i++) {
		const pc_check *c = &run->checks[i];
		sqlite3_bind_int64(q[Q_CHECK], 1, run->id);
		sqlite3_bind_int64(q[Q_CHECK], 2, (sqlite3_int64)i);
		bind_text(q[Q_CHECK], 3, c->path);
		bind_text(q[Q_CHECK], 4, c->name);
		sqlite3_bind_int64(q[Q_CHECK], 5, c->passes);
		sqlite3_bind_int64(q[Q_CHECK], 6, c->fails);
		if ((rc = pc_store_step_done(st, q[Q_CHECK], "storing checks")))
			return rc;
	}
	for (i = 0; i < run->ntests; i++) {
		const pc_test *t = &run->tests[i];
		sqlite3_bind_int64(q[Q_TEST], 1, run->id);
		sqlite3_bind_int64(q[Q_TEST], 2, (sqlite3_int64)i);
		bind_text(q[Q_TEST], 3, t->file);
		bind_text(q[Q_TEST], 4, t->title);
		bind_text(q[Q_TEST], 5, t->project);
		bind_text(q[Q_TEST], 6, t->outcome);
		sqlite3_bind_int(q[Q_TEST], 7, t->repeat);
		sqlite3_bind_int(q[Q_TEST], 8, t->attempts);
		sqlite3_bind_int(q[Q_TEST], 9, t->retries);
		if ((rc = pc_store_step_done(st, q[Q_TEST], "storing tests")))
			return rc;
	}
	return 0;
}

int pc_store_insert(pc_store *st, pc_run *run, int *existing)
{
	sqlite3_stmt *q[Q_N] = {0};
	int64_t id;
	int rc, i, began = 0;

	*existing = 0;
	/* IMMEDIATE takes the write lock now, so the duplicate check and the insert are atomic */
	if ((rc = pc_store_exec(st, "BEGIN IMMEDIATE", "starting a transaction")))
		goto done;
	began = 1;
	rc = pc_store_find_hash(st, run->content_hash, &id);
	if (rc == 0) {
		*existing = 1;
		run->id = id;
		goto done;
	}
	if (rc != PC_ENOTFOUND)
		goto done;
	for (i = 0; i < Q_N; i++)
		if ((rc = pc_store_prepare(st, &q[i], insert_sql[i])))
			goto done;
	if ((rc = insert_all(st, q, run)))
		goto done;
	rc = pc_store_exec(st, "COMMIT", "committing the run");
	if (rc == 0)
		began = 0;
done:
	for (i = 0; i < Q_N; i++)
		sqlite3_finalize(q[i]);
	if (began)
		sqlite3_exec(st->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	if (rc)
		run->id = 0;
	return rc;
}

static char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return pc_strdup(t ? (const char *)t : "");
}

#define RUN_COLUMNS                                                                            \
	"id, source, profile, config, project, git_sha, git_branch, started_at, started_known,"  \
	" ingested_at, duration, file, content_hash, tool_version, has_totals, expected,"        \
	" unexpected, flaky, skipped"

static int labels_load(pc_store *st, pc_run *run)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT label FROM labels WHERE run_id = ?1 ORDER BY label")))
		return rc;
	sqlite3_bind_int64(s, 1, run->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((rc = pc_run_add_label(run, (const char *)sqlite3_column_text(s, 0))))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : pc_store_fail(st, "reading labels");
done:
	sqlite3_finalize(s);
	return rc;
}

/* Build a run from a row of RUN_COLUMNS. */
static int run_from_row(pc_store *st, sqlite3_stmt *s, pc_run **out)
{
	pc_source src;
	pc_run *run;
	const char *hash;

	*out = NULL;
	if (pc_source_parse((const char *)sqlite3_column_text(s, 1), &src))
		return pc_error_set(PC_EENV, "database holds an unknown source \"%s\"",
				    (const char *)sqlite3_column_text(s, 1));
	if (!(run = pc_run_new(src)))
		return PC_ENOMEM;
	run->id = sqlite3_column_int64(s, 0);
	run->profile = col_text(s, 2);
	run->config = col_text(s, 3);
	run->project = col_text(s, 4);
	run->git_sha = col_text(s, 5);
	run->git_branch = col_text(s, 6);
	run->started_at = sqlite3_column_int64(s, 7);
	run->started_known = sqlite3_column_int(s, 8);
	run->ingested_at = sqlite3_column_int64(s, 9);
	run->duration = pc_store_col_real(s, 10);
	run->file = col_text(s, 11);
	hash = (const char *)sqlite3_column_text(s, 12);
	snprintf(run->content_hash, sizeof(run->content_hash), "%s", hash ? hash : "");
	run->tool_version = col_text(s, 13);
	run->has_totals = sqlite3_column_int(s, 14);
	run->totals.expected = sqlite3_column_int64(s, 15);
	run->totals.unexpected = sqlite3_column_int64(s, 16);
	run->totals.flaky = sqlite3_column_int64(s, 17);
	run->totals.skipped = sqlite3_column_int64(s, 18);
	if (!run->profile || !run->config || !run->project || !run->git_sha || !run->git_branch ||
	    !run->file || !run->tool_version) {
		pc_run_free(run);
		return pc_error_set(PC_ENOMEM, "out of memory");
	}
	*out = run;
	return labels_load(st, run);
}

void pc_store_runs_free(pc_run **runs, size_t n)
{
	size_t i;

	if (!runs)
		return;
	for (i = 0; i < n; i++)
		pc_run_free(runs[i]);
	free(runs);
}

int pc_store_list(pc_store *st, const pc_run_filter *f, pc_run ***out, size_t *n)
{
	sqlite3_stmt *s = NULL;
	pc_run **runs = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = pc_store_prepare(st, &s,
			      "SELECT " RUN_COLUMNS " FROM runs"
			      " WHERE (?1 IS NULL OR profile = ?1) AND (?2 IS NULL OR config = ?2)"
			      "   AND (?3 IS NULL OR tool = ?3)"
			      " ORDER BY started_at DESC, id DESC LIMIT ?4");
	if (rc)
		return rc;
	if (f && f->profile)
		bind_text(s, 1, f->profile);
	if (f && f->config)
		bind_text(s, 2, f->config);
	if (f && f->tool)
		bind_text(s, 3, f->tool);
	sqlite3_bind_int64(s, 4, f && f->limit ? (sqlite3_int64)f->limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pc_run *run;
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			pc_run **p = realloc(runs, ncap * sizeof(*p));
			if (!p) {
				rc = pc_error_set(PC_ENOMEM, "out of memory");
				goto done;
			}
			runs = p;
			cap = ncap;
		}
		if ((rc = run_from_row(st, s, &run))) {
			pc_run_free(run);
			goto done;
		}
		runs[len++] = run;
	}
	rc = rc == SQLITE_DONE ? 0 : pc_store_fail(st, "listing runs");
done:
	sqlite3_finalize(s);
	if (rc) {
		pc_store_runs_free(runs, len);
		return rc;
	}
	*out = runs;
	*n = len;
	return 0;
}

static int load_series(pc_store *st, pc_run *run)
{
	sqlite3_stmt *s = NULL, *stat = NULL, *thr = NULL, *smp = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT id, metric, tags, kind, unit, empty FROM series"
					   " WHERE run_id = ?1 ORDER BY id")) ||
	    (rc = pc_store_prepare(st, &stat, "SELECT name, value FROM stats WHERE series_id = ?1"
					      " ORDER BY ord")) ||
	    (rc = pc_store_prepare(st, &thr, "SELECT expr, ok FROM thresholds WHERE series_id = ?1"
					     " ORDER BY ord")) ||
	    (rc = pc_store_prepare(st, &smp, "SELECT n, data FROM samples WHERE series_id = ?1")))
		goto done;
	sqlite3_bind_int64(s, 1, run->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(s, 0);
		pc_series *se;
		pc_kind kind;

		if (pc_kind_parse((const char *)sqlite3_column_text(s, 3), &kind)) {
			rc = pc_error_set(PC_EENV, "database holds an unknown metric type");
			goto done;
		}
		if ((rc = pc_run_series(run, &se, (const char *)sqlite3_column_text(s, 1),
					(const char *)sqlite3_column_text(s, 2), kind,
					(const char *)sqlite3_column_text(s, 4))))
			goto done;
		se->empty = sqlite3_column_int(s, 5);
		sqlite3_bind_int64(stat, 1, sid);
		while ((rc = sqlite3_step(stat)) == SQLITE_ROW) {
			if ((rc = pc_series_set_stat(se, (const char *)sqlite3_column_text(stat, 0),
						     pc_store_col_real(stat, 1))))
				goto done;
		}
		if (rc != SQLITE_DONE) { /* a run loaded with statistics missing would compare wrongly */
			rc = pc_store_fail(st, "reading statistics");
			goto done;
		}
		sqlite3_reset(stat);
		sqlite3_bind_int64(thr, 1, sid);
		while ((rc = sqlite3_step(thr)) == SQLITE_ROW) {
			if ((rc = pc_series_add_threshold(se, (const char *)sqlite3_column_text(thr, 0),
							  sqlite3_column_int(thr, 1))))
				goto done;
		}
		if (rc != SQLITE_DONE) {
			rc = pc_store_fail(st, "reading thresholds");
			goto done;
		}
		sqlite3_reset(thr);
		sqlite3_bind_int64(smp, 1, sid);
		rc = sqlite3_step(smp);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			rc = pc_store_fail(st, "reading samples");
			goto done;
		}
		if (rc == SQLITE_ROW) {
			int64_t n = sqlite3_column_int64(smp, 0), i;
			const unsigned char *d = sqlite3_column_blob(smp, 1);
			if (n < 0 || n > INT_MAX / 16 || (n > 0 && !d) || sqlite3_column_bytes(smp, 1) != (int)(n * 16)) {
				rc = pc_error_set(PC_EENV, "database holds a damaged sample blob");
				goto done;
			}
			for (i = 0; i < n; i++) {
				uint64_t bits = get_le64(d + 16 * i + 8);
				double v;
				memcpy(&v, &bits, 8);
				if ((rc = pc_series_add_sample(se, (int64_t)get_le64(d + 16 * i), v)))
					goto done;
			}
		}
		sqlite3_reset(smp);
		if ((rc = pc_store_load_hists(st, sid, se)))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : pc_store_fail(st, "reading series");
done:
	sqlite3_finalize(s);
	sqlite3_finalize(stat);
	sqlite3_finalize(thr);
	sqlite3_finalize(smp);
	return rc;
}

static int load_checks_tests(pc_store *st, pc_run *run)
{
	sqlite3_stmt *c = NULL, *t = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &c, "SELECT path, name, passes, fails FROM checks"
					   " WHERE run_id = ?1 ORDER BY ord")) ||
	    (rc = pc_store_prepare(st, &t, "SELECT file, title, project, outcome, attempts FROM tests"
					   " WHERE run_id = ?1 ORDER BY ord")))
		goto done;
	sqlite3_bind_int64(c, 1, run->id);
	while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
		if ((rc = pc_run_add_check(run, (const char *)sqlite3_column_text(c, 0),
					   (const char *)sqlite3_column_text(c, 1),
					   sqlite3_column_int64(c, 2), sqlite3_column_int64(c, 3))))
			goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = pc_store_fail(st, "reading checks");
		goto done;
	}
	sqlite3_bind_int64(t, 1, run->id);
	while ((rc = sqlite3_step(t)) == SQLITE_ROW) {
		if ((rc = pc_run_add_test(run, (const char *)sqlite3_column_text(t, 0),
					  (const char *)sqlite3_column_text(t, 1),
					  (const char *)sqlite3_column_text(t, 2),
					  (const char *)sqlite3_column_text(t, 3),
					  sqlite3_column_int(t, 4))))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : pc_store_fail(st, "reading tests");
done:
	sqlite3_finalize(c);
	sqlite3_finalize(t);
	return rc;
}

int pc_store_load(pc_store *st, int64_t id, pc_run **out)
{
	sqlite3_stmt *s = NULL;
	pc_run *run = NULL;
	int rc;

	*out = NULL;
	/* a read transaction, so the run cannot change between the queries */
	if ((rc = pc_store_exec(st, "BEGIN", "starting a read")))
		return rc;
	if ((rc = pc_store_prepare(st, &s, "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?1")))
		goto done;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rc = pc_error_set(PC_ENOTFOUND, "no run %lld", (long long)id);
		goto done;
	}
	if (rc != SQLITE_ROW) {
		rc = pc_store_fail(st, "reading a run");
		goto done;
	}
	if ((rc = run_from_row(st, s, &run)) || (rc = load_series(st, run)) ||
	    (rc = load_checks_tests(st, run)) || (rc = pc_store_load_timeline(st, run)))
		goto done;
	*out = run;
	run = NULL;
done:
	sqlite3_finalize(s);
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	pc_run_free(run);
	return rc;
}

static int run_exists(pc_store *st, int64_t id)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT 1 FROM runs WHERE id = ?1")))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return pc_error_set(PC_ENOTFOUND, "no run %lld", (long long)id);
	return pc_store_fail(st, "looking up a run");
}

int pc_store_label(pc_store *st, int64_t id, const char *label, int remove)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_exec(st, "BEGIN IMMEDIATE", "starting a transaction")))
		return rc;
	if ((rc = run_exists(st, id)) ||
	    (rc = pc_store_prepare(st, &s, remove ? "DELETE FROM labels WHERE run_id = ?1 AND label = ?2"
						  : "INSERT OR IGNORE INTO labels(run_id, label) VALUES(?1,?2)")))
		goto done;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, label);
	if ((rc = pc_store_step_done(st, s, remove ? "removing the label" : "storing the label")))
		goto done;
	if (remove && sqlite3_changes(st->db) == 0)
		rc = pc_error_set(PC_ENOTFOUND, "run %lld has no label \"%s\"", (long long)id, label);
done:
	sqlite3_finalize(s);
	if (rc == 0)
		rc = pc_store_exec(st, "COMMIT", "committing the label");
	if (rc)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int pc_store_delete(pc_store *st, const int64_t *ids, size_t n)
{
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	if ((rc = pc_store_exec(st, "BEGIN IMMEDIATE", "starting a transaction")))
		return rc;
	if ((rc = pc_store_prepare(st, &s, "DELETE FROM runs WHERE id = ?1")))
		goto done;
	for (i = 0; i < n; i++) {
		if ((rc = run_exists(st, ids[i])))
			goto done;
		sqlite3_bind_int64(s, 1, ids[i]);
		if ((rc = pc_store_step_done(st, s, "deleting a run")))
			goto done;
	}
	rc = pc_store_exec(st, "COMMIT", "committing the deletion");
done:
	sqlite3_finalize(s);
	if (rc)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int pc_store_gc(pc_store *st, int64_t before, int dry_run, size_t *deleted)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*deleted = 0;
	if ((rc = pc_store_exec(st, "BEGIN IMMEDIATE", "starting a transaction")))
		return rc;
	if ((rc = pc_store_prepare(st, &s, dry_run ? "SELECT count(*) FROM runs WHERE started_at < ?1 AND"
						     " NOT EXISTS (SELECT 1 FROM labels WHERE run_id = runs.id)"
						   : "DELETE FROM runs WHERE started_at < ?1 AND"
						     " NOT EXISTS (SELECT 1 FROM labels WHERE run_id = runs.id)")))
		goto done;
	sqlite3_bind_int64(s, 1, before);
	if (dry_run) {
		rc = sqlite3_step(s) == SQLITE_ROW ? 0 : pc_store_fail(st, "counting old runs");
		*deleted = (size_t)sqlite3_column_int64(s, 0);
		goto done;
	}
	if ((rc = pc_store_step_done(st, s, "deleting old runs")))
		goto done;
	*deleted = (size_t)sqlite3_changes(st->db);
	rc = pc_store_exec(st, "COMMIT", "committing the deletion");
done:
	sqlite3_finalize(s);
	if (rc || dry_run)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int pc_store_vacuum(pc_store *st)
{
	return pc_store_exec(st, "VACUUM", "vacuuming");
}
