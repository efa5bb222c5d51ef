/* Storing and loading what runs from raw samples keep instead of the samples: each trend
 * series' histogram and time-slice histograms, the run's slicing and its per-second timeline
 * (schema version 2: tables hists, slicing, timeline). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/run.h"
#include "perfcmp/store.h"
#include "store/store_internal.h"


int pc_store_insert_hists(pc_store *st, int64_t series_id, const pc_series *se)
{
	pc_buf whole = PC_BUF_INIT, slices = PC_BUF_INIT;
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	if (!se->hist)
		return 0;
	if ((rc = pc_hist_encode(se->hist, &whole)))
		goto done;
	for (i = 0; i < se->nslices; i++)
		if ((rc = pc_hist_encode(&se->slices[i], &slices)))
			goto done;
	if ((rc = pc_store_prepare(st, &s, "INSERT INTO hists(series_id, hist, nslices, slices)"
					   " VALUES(?1,?2,?3,?4)")))
		goto done;
	sqlite3_bind_int64(s, 1, series_id);
	sqlite3_bind_blob(s, 2, whole.ptr ? whole.ptr : "", (int)whole.len, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)se->nslices);
	sqlite3_bind_blob(s, 4, slices.ptr ? slices.ptr : "", (int)slices.len, SQLITE_STATIC);
	rc = pc_store_step_done(st, s, "storing histograms");
done:
	sqlite3_finalize(s);
	pc_buf_release(&whole);
	pc_buf_release(&slices);
	return rc;
}

static int damaged(void)
{
	return pc_error_set(PC_EENV, "database holds a damaged histogram");
}

/* Decode nslices concatenated histograms into se->slices. */
static int decode_slices(pc_series *se, const unsigned char *p, size_t n, size_t nslices)
{
	size_t i, pos = 0, used;

	if (!(se->slices = calloc(nslices ? nslices : 1, sizeof(*se->slices))))
		return pc_error_set(PC_ENOMEM, "out of memory");
	se->nslices = nslices;
	for (i = 0; i < nslices; i++) {
		if (pc_hist_decode(&se->slices[i], p + pos, n - pos, &used))
			return damaged();
		pos += used;
	}
	return pos == n ? 0 : damaged();
}

int pc_store_load_hists(pc_store *st, int64_t series_id, pc_series *se)
{
	sqlite3_stmt *s = NULL;
	size_t used;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT hist, nslices, slices FROM hists"
					   " WHERE series_id = ?1")))
		return rc;
	sqlite3_bind_int64(s, 1, series_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rc = 0;
		goto done;
	}
	if (rc != SQLITE_ROW) {
		rc = pc_store_fail(st, "reading histograms");
		goto done;
	}
	if (!(se->hist = malloc(sizeof(*se->hist)))) {
		rc = pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	if (pc_hist_decode(se->hist, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
			   &used)) {
		rc = damaged();
		goto done;
	}
	rc = decode_slices(se, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2),
			   (size_t)sqlite3_column_int64(s, 1));
done:
	sqlite3_finalize(s);
	return rc;
}

int pc_store_insert_timeline(pc_store *st, const pc_run *run)
{
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc = 0;

	if (run->nslices) {
		if ((rc = pc_store_prepare(st, &s, "INSERT INTO slicing(run_id, t0, width, n)"
						   " VALUES(?1,?2,?3,?4)")))
			return rc;
		sqlite3_bind_int64(s, 1, run->id);
		sqlite3_bind_int64(s, 2, run->slice_t0);
		sqlite3_bind_int64(s, 3, run->slice_ns);
		sqlite3_bind_int64(s, 4, (sqlite3_int64)run->nslices);
		rc = pc_store_step_done(st, s, "storing the time slices");
		sqlite3_finalize(s);
		s = NULL;
	}
	if (rc || !run->ntimeline)
		return rc;
	if ((rc = pc_store_prepare(st, &s, "INSERT INTO timeline(run_id, t, requests, failed,"
					   " iterations, p50, p95, vus) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")))
		return rc;
	for (i = 0; i < run->ntimeline && !rc; i++) {
		const pc_timeline *t = &run->timeline[i];
		sqlite3_bind_int64(s, 1, run->id);
		sqlite3_bind_int64(s, 2, t->t);
		sqlite3_bind_int64(s, 3, t->requests);
		sqlite3_bind_int64(s, 4, t->failed);
		sqlite3_bind_int64(s, 5, t->iterations);
		pc_store_bind_real(s, 6, t->p50);
		pc_store_bind_real(s, 7, t->p95);
		pc_store_bind_real(s, 8, t->vus);
		rc = pc_store_step_done(st, s, "storing the timeline");
	}
	sqlite3_finalize(s);
	return rc;
}

static int load_timeline_rows(pc_store *st, pc_run *run)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT t, requests, failed, iterations, p50, p95, vus"
					   " FROM timeline WHERE run_id = ?1 ORDER BY t")))
		return rc;
	sqlite3_bind_int64(s, 1, run->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		pc_timeline *t;
		if (run->ntimeline == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			pc_timeline *p = realloc(run->timeline, ncap * sizeof(*p));
			if (!p) {
				rc = pc_error_set(PC_ENOMEM, "out of memory");
				goto done;
			}
			run->timeline = p;
			cap = ncap;
		}
		t = &run->timeline[run->ntimeline++];
		t->t = sqlite3_column_int64(s, 0);
		t->requests = sqlite3_column_int64(s, 1);
		t->failed = sqlite3_column_int64(s, 2);
		t->iterations = sqlite3_column_int64(s, 3);
		t->p50 = pc_store_col_real(s, 4);
		t->p95 = pc_store_col_real(s, 5);
		t->vus = pc_store_col_real(s, 6);
	}
	rc = rc == SQLITE_DONE ? 0 : pc_store_fail(st, "reading the timeline");
done:
	sqlite3_finalize(s);
	return rc;
}

int pc_store_load_timeline(pc_store *st, pc_run *run)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = pc_store_prepare(st, &s, "SELECT t0, width, n FROM slicing WHERE run_id = ?1")))
		return rc;
	sqlite3_bind_int64(s, 1, run->id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		run->slice_t0 = sqlite3_column_int64(s, 0);
		run->slice_ns = sqlite3_column_int64(s, 1);
		run->nslices = (size_t)sqlite3_column_int64(s, 2);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? 0 : pc_store_fail(st, "reading the time slices");
	}
	sqlite3_finalize(s);
	return rc ? rc : load_timeline_rows(st, run);
}
