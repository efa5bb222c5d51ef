/* k6 points, second half: turns the samples kept once per (metric, tag set) into the run's
 * series (whole metric, submetrics, one per breakdown tag value), their exact statistics with
 * k6's definitions, thresholds, histograms, time slices, the per-second timeline and checks. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/k6_metric.h"
#include "ingest/k6_points.h"
#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/stats.h"
#include "perfcmp/strutil.h"

#define NSLICES 60

typedef struct group {
	char *tags;
	k6_cell **cells;
	size_t n, cap;
	int whole; /* the {} series: the Metric line's thresholds are its */
} group;

typedef struct finisher {
	k6_reader *r;
	pc_run *run;
	group *groups;
	size_t ngroups, capgroups;
	pc_map *group_map;
	double *sv; /* scatter targets, traded with a cell's arrays */
	int32_t *st;
	size_t scap;
	int32_t *keys; /* bucket key of each sample of a cell */
	size_t kcap;
	size_t *dense; /* samples per bucket key over a cell's key range */
	size_t dcap;
	double *sel; /* one bucket of a series, gathered from its cells to select in */
	size_t selcap;
	uint64_t *ka, *kb; /* radix scratch */
	int32_t *tt;
	size_t rcap;
	uint64_t *slot_n; /* per slice: samples of the current bucket in it */
	size_t *touched;  /* the slices the current bucket has samples in */
	size_t nslot;
} finisher;

static int nomem(void)
{
	return pc_error_set(PC_ENOMEM, "out of memory");
}

/* Room for n elements of `size` in *p (contents not kept). */
static int reserve(void **p, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return 0;
	free(*p);
	*cap = 0;
	if (!(*p = malloc(n * size)))
		return nomem();
	*cap = n;
	return 0;
}

/* --- ordering a cell's samples by bucket, times along --------------------------------------- */

static uint64_t sortable(double v)
{
	uint64_t b;

	memcpy(&b, &v, 8);
	return b >> 63 ? ~b : b | (uint64_t)1 << 63;
}

static double unsortable(uint64_t b)
{
	double v;

	b = b >> 63 ? b & ~((uint64_t)1 << 63) : ~b;
	memcpy(&v, &b, 8);
	return v;
}

static void insertion_sort(double *v, int32_t *t, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		double x = v[i];
		int32_t y = t[i];
		for (j = i; j > 0 && v[j - 1] > x; j--) {
			v[j] = v[j - 1];
			t[j] = t[j - 1];
		}
		v[j] = x;
		t[j] = y;
	}
}

static int scratch(finisher *f, size_t n)
{
	if (n <= f->rcap)
		return 0;
	free(f->ka);
	free(f->kb);
	free(f->tt);
	f->ka = malloc(n * sizeof(*f->ka));
	f->kb = malloc(n * sizeof(*f->kb));
	f->tt = malloc(n * sizeof(*f->tt));
	if (!f->ka || !f->kb || !f->tt) {
		f->rcap = 0;
		return nomem();
	}
	f->rcap = n;
	return 0;
}

/* LSD radix sort on the order-preserving bits of the doubles: linear, stable, no bad cases. For
 * cells whose values spread over too many buckets for a counting sort. */
static int radix_sort(finisher *f, double *v, int32_t *t, size_t n)
{
	static size_t cnt[8][256];
	uint64_t *src, *dst, *tmp;
	int32_t *ts, *td, *tp;
	size_t i;
	int b, rc;

	if (n <= 32) {
		insertion_sort(v, t, n);
		return 0;
	}
	if ((rc = scratch(f, n)))
		return rc;
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++) {
		uint64_t k = f->ka[i] = sortable(v[i]);
		for (b = 0; b < 8; b++)
			cnt[b][(k >> (8 * b)) & 0xff]++;
	}
	src = f->ka;
	dst = f->kb;
	ts = t;
	td = f->tt;
	for (b = 0; b < 8; b++) {
		size_t pos = 0, x;
		int sh = 8 * b;
		if (cnt[b][(src[0] >> sh) & 0xff] == n)
			continue; /* every key has this byte */
		for (x = 0; x < 256; x++) {
			size_t k = cnt[b][x];
			cnt[b][x] = pos;
			pos += k;
		}
		for (i = 0; i < n; i++) {
			size_t d = cnt[b][(src[i] >> sh) & 0xff]++;
			dst[d] = src[i];
			td[d] = ts[i];
		}
		tmp = src, src = dst, dst = tmp;
		tp = ts, ts = td, td = tp;
	}
	for (i = 0; i < n; i++)
		v[i] = unsortable(src[i]);
	if (ts != t)
		memcpy(t, ts, n * sizeof(*ts));
	return 0;
}

/* Room for n samples in the finisher's scatter arrays. */
static int trade_room(finisher *f, size_t n)
{
	if (n <= f->scap)
		return 0;
	free(f->sv);
	free(f->st);
	f->scap = 0;
	f->sv = malloc(n * sizeof(*f->sv));
	f->st = malloc(n * sizeof(*f->st));
	if (!f->sv || !f->st)
		return nomem();
	f->scap = n;
	return 0;
}

/* Dense positions of a key: negative keys, the zero bucket, positive keys, each range only as
 * wide as the keys present (zero and 1 ms are 65,000 keys apart). */
typedef struct key_ranges {
	int32_t nlo, nhi, plo, phi;
	size_t nneg, size;
} key_ranges;

#define KEY_RANGES_EMPTY {INT32_MAX, INT32_MIN, INT32_MAX, INT32_MIN, 0, 0}

static void key_ranges_note(key_ranges *kr, int32_t key)
{
	if (key < 0) {
		kr->nlo = key < kr->nlo ? key : kr->nlo;
		kr->nhi = key > kr->nhi ? key : kr->nhi;
	} else if (key > 0) {
		kr->plo = key < kr->plo ? key : kr->plo;
		kr->phi = key > kr->phi ? key : kr->phi;
	}
}

static void key_ranges_size(key_ranges *kr)
{
	kr->nneg = kr->nlo <= kr->nhi ? (size_t)(kr->nhi - kr->nlo) + 1 : 0;
	kr->size = kr->nneg + 1 + (kr->plo <= kr->phi ? (size_t)(kr->phi - kr->plo) + 1 : 0);
}

static size_t dense_at(const key_ranges *kr, int32_t key)
{
	if (key < 0)
		return (size_t)(key - kr->nlo);
	if (key == 0)
		return kr->nneg;
	return kr->nneg + 1 + (size_t)(key - kr->plo);
}

static int32_t dense_key(const key_ranges *kr, size_t j)
{
	if (j < kr->nneg)
		return kr->nlo + (int32_t)j;
	return j == kr->nneg ? 0 : kr->plo + (int32_t)(j - kr->nneg - 1);
}

static int64_t sample_ns(const k6_reader *r, int32_t t)
{
	return r->base_ns + (int64_t)t * 1000000;
}

/* Append a bucket to a slice histogram built in key order. */
static int slice_append(pc_hist *h, int32_t key, uint64_t count)
{
	if (h->n == h->cap) {
		size_t ncap = h->cap ? 2 * h->cap : 16;
		int32_t *k = realloc(h->keys, ncap * sizeof(*k));
		uint64_t *c;
		if (!k)
			return nomem();
		h->keys = k;
		if (!(c = realloc(h->counts, ncap * sizeof(*c))))
			return nomem();
		h->counts = c;
		h->cap = ncap;
	}
	h->keys[h->n] = key;
	h->counts[h->n++] = count;
	return 0;
}

/* The cell's slice histograms, bucket by bucket of its whole-run histogram: each slice a
 * bucket's samples fall in gets one entry (the key is known, no per-sample lookup). */
static int cell_slices(finisher *f, k6_cell *c)
{
	const pc_run *run = f->run;
	double inv = 1.0 / (double)run->slice_ns;
	const pc_hist *h = c->hist;
	size_t b, i, x, nt = 0;
	int rc;

	if (run->nslices > f->nslot) {
		free(f->slot_n);
		free(f->touched);
		f->nslot = 0;
		if (!(f->slot_n = calloc(run->nslices, sizeof(*f->slot_n))) ||
		    !(f->touched = malloc(run->nslices * sizeof(*f->touched))))
			return nomem();
		f->nslot = run->nslices;
	}
	for (b = 0; b < h->n; b++) {
		for (i = c->boff[b]; i < c->boff[b + 1]; i++) {
			/* a multiply, not a 64-bit division: a sample on a slice edge may land either
			 * side */
			double d = (double)(sample_ns(f->r, c->t[i]) - run->slice_t0) * inv, v = c->v[i];
			size_t k = d <= 0 ? 0 : (size_t)d;
			pc_hist *sh;
			if (k >= run->nslices)
				k = run->nslices - 1;
			sh = &c->slices[k];
			if (!f->slot_n[k]++)
				f->touched[nt++] = k;
			if (sh->count == 0 || v < sh->min)
				sh->min = v;
			if (sh->count == 0 || v > sh->max)
				sh->max = v;
			sh->count++;
			sh->sum += v;
		}
		for (x = 0; x < nt; x++) {
			size_t k = f->touched[x];
			rc = slice_append(&c->slices[k], h->keys[b], f->slot_n[k]);
			f->slot_n[k] = 0;
			if (rc)
				return rc;
		}
		nt = 0;
	}
	return 0;
}

/* Once per cell: its samples in bucket order (a counting sort on the histogram key; a radix sort
 * when the keys spread too far), its whole-run and per-slice histograms, where each bucket
 * starts, and its sum of squared deviations. Series statistics then combine cells without
 * merging their samples. */
static int cell_prepare(finisher *f, k6_cell *c)
{
	const pc_run *run = f->run;
	double mean, m2 = 0;
	key_ranges kr = KEY_RANGES_EMPTY;
	size_t i, j, nb, n = c->n;
	pc_hist *h;
	int rc;

	if (c->sorted)
		return 0;
	c->sorted = 1;
	if (!(c->hist = h = calloc(1, sizeof(*c->hist))) || /* zeroed: released on any failure */
	    !(c->slices = calloc(run->nslices, sizeof(*c->slices))))
		return nomem();
	pc_hist_init(h);
	for (i = 0; i < run->nslices; i++)
		pc_hist_init(&c->slices[i]);
	if ((rc = reserve((void **)&f->keys, &f->kcap, n + 1, sizeof(*f->keys))))
		return rc;
	mean = n ? c->sum / (double)n : 0;
	for (i = 0; i < n; i++) {
		double v = c->v[i], d = v - mean;
		int32_t k = f->keys[i] = pc_hist_key(v);
		m2 += d * d;
		key_ranges_note(&kr, k);
		if (k == 0 && sortable(v) != (uint64_t)1 << 63)
			c->odd_zeros = 1;
	}
	c->m2 = m2;
	key_ranges_size(&kr);
	if (kr.size > 2 * n + 4096) {
		if ((rc = radix_sort(f, c->v, c->t, n)))
			return rc;
	} else if (n) {
		double *tv;
		int32_t *tt;
		size_t pos = 0, cap;
		if ((rc = reserve((void **)&f->dense, &f->dcap, kr.size, sizeof(*f->dense))) ||
		    (rc = trade_room(f, n)))
			return rc;
		memset(f->dense, 0, kr.size * sizeof(*f->dense));
		for (i = 0; i < n; i++)
			f->dense[dense_at(&kr, f->keys[i])]++;
		/* the whole-run histogram and the bucket offsets straight from the counts */
		for (nb = 0, j = 0; j < kr.size; j++)
			nb += f->dense[j] != 0;
		if (!(h->keys = malloc(nb * sizeof(*h->keys))) ||
		    !(h->counts = malloc(nb * sizeof(*h->counts))) ||
		    !(c->boff = malloc((nb + 1) * sizeof(*c->boff))))
			return nomem();
		h->n = h->cap = nb;
		h->count = n;
		h->min = c->min;
		h->max = c->max;
		h->sum = c->sum;
		for (nb = 0, j = 0; j < kr.size; j++) {
			size_t k = f->dense[j];
			if (k) {
				h->keys[nb] = dense_key(&kr, j);
				h->counts[nb] = k;
				c->boff[nb++] = pos;
			}
			f->dense[j] = pos;
			pos += k;
		}
		c->boff[nb] = pos;
		for (i = 0; i < n; i++) {
			size_t d = f->dense[dense_at(&kr, f->keys[i])]++;
			f->sv[d] = c->v[i];
			f->st[d] = c->t[i];
		}
		/* trade arrays: the cell keeps the ordered ones, the finisher the old ones */
		tv = c->v, c->v = f->sv, f->sv = tv;
		tt = c->t, c->t = f->st, f->st = tt;
		cap = c->cap, c->cap = f->scap, f->scap = cap;
	}
	if (!c->boff) {
		/* the radix path: its histogram by pushes, the offsets from it */
		for (i = 0; i < n; i++)
			if ((rc = pc_hist_push_sorted(h, c->v[i])))
				return rc;
		if (!(c->boff = malloc((h->n + 1) * sizeof(*c->boff))))
			return nomem();
		for (c->boff[0] = 0, j = 0; j < h->n; j++)
			c->boff[j + 1] = c->boff[j] + h->counts[j];
	}
	return cell_slices(f, c);
}
/* Once the metric's series are out: the cell's histograms and bucket offsets go. */
static void cell_done(const pc_run *run, k6_cell *c)
{
	size_t k;

	pc_hist_release(c->hist);
	free(c->hist);
	for (k = 0; c->slices && k < run->nslices; k++)
		pc_hist_release(&c->slices[k]);
	free(c->slices);
	free(c->boff);
	c->hist = NULL;
	c->slices = NULL;
	c->boff = NULL;
}

/* --- exact order statistics by selection ------------------------------------------------- */

static void swap_d(double *a, double *b)
{
	double x = *a;
	*a = *b;
	*b = x;
}

/* Put the k-th smallest of a[0..n) at a[k], smaller ones before it and larger or equal ones
 * after it; returns it. Quickselect with a three-way partition (runs of equal values are
 * common), sorting what is left after too many rounds. */
static double select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n, i, j, rounds = 0;

	while (hi - lo > 16 && rounds++ < 64) {
		double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1], p;
		size_t lt = lo, gt = hi;
		p = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
		for (i = lo; i < gt;) {
			if (a[i] < p)
				swap_d(&a[lt++], &a[i++]);
			else if (a[i] > p)
				swap_d(&a[i], &a[--gt]);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return a[k];
	}
	if (hi - lo > 16) {
		pc_sort_doubles(a + lo, hi - lo);
		return a[k];
	}
	for (i = lo + 1; i < hi; i++) {
		double x = a[i];
		for (j = i; j > lo && a[j - 1] > x; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
	return a[k];
}

/* The smallest of a[0..n). */
static double min_of(const double *a, size_t n)
{
	double m = a[0];
	size_t i;

	for (i = 1; i < n; i++)
		m = a[i] < m ? a[i] : m;
	return m;
}

/* The order statistics r and r + 1 (0-based; *b only when r + 1 < count) of a series' samples:
 * the series histogram names the bucket of r; that bucket's samples are gathered from the
 * cells (each holds its buckets contiguously) and selected in. */
static int order_stats(finisher *f, const group *g, const pc_hist *h, uint64_t r, double *a,
		       double *b)
{
	uint64_t below = 0, m, k;
	size_t j, i, pos = 0;
	int32_t key;
	int odd = 0, rc;

	for (j = 0; j < h->n && below + h->counts[j] <= r; j++)
		below += h->counts[j];
	if (j == h->n)
		return pc_error_set(PC_EINPUT, "internal: rank past the histogram");
	key = h->keys[j];
	m = h->counts[j];
	k = r - below;
	for (i = 0; i < g->n; i++)
		odd |= g->cells[i]->odd_zeros;
	if (key == 0 && !odd) {
		/* the zero bucket holds only +0 */
		*a = 0;
		if (!b)
			return 0;
		if (k + 1 < m) {
			*b = 0;
			return 0;
		}
		return order_stats(f, g, h, r + 1, b, NULL);
	}
	if ((rc = reserve((void **)&f->sel, &f->selcap, (size_t)m, sizeof(*f->sel))))
		return rc;
	for (i = 0; i < g->n; i++) {
		const k6_cell *c = g->cells[i];
		const pc_hist *ch = c->hist;
		size_t lo = 0, hi = ch->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (ch->keys[mid] < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < ch->n && ch->keys[lo] == key) {
			memcpy(f->sel + pos, c->v + c->boff[lo], ch->counts[lo] * sizeof(double));
			pos += ch->counts[lo];
		}
	}
	*a = select_kth(f->sel, pos, (size_t)k);
	if (!b)
		return 0;
	if (k + 1 < m) {
		*b = min_of(f->sel + k + 1, (size_t)(m - k - 1));
		return 0;
	}
	return order_stats(f, g, h, r + 1, b, NULL);
}

/* pc_quantile_sorted's value (k6's definition) for the series, without sorting it. */
static int group_quantile(finisher *f, const group *g, const pc_hist *h, double q, double *out)
{
	uint64_t n = h->count;
	double i, lo, a, b;
	int rc;

	if (n == 1) {
		*out = h->min;
		return 0;
	}
	i = q * (double)(n - 1);
	lo = floor(i);
	if ((uint64_t)ceil(i) == (uint64_t)lo) {
		rc = order_stats(f, g, h, (uint64_t)lo, &a, NULL);
		b = a;
	} else {
		rc = order_stats(f, g, h, (uint64_t)lo, &a, &b);
	}
	*out = a + (b - a) * (i - lo);
	return rc;
}

/* The same on an unsorted array it may reorder. */
static double quantile_select(double *v, size_t n, double q)
{
	double i, lo, a, b;
	size_t k;

	if (n == 1)
		return v[0];
	i = q * (double)(n - 1);
	lo = floor(i);
	k = (size_t)lo;
	a = select_kth(v, n, k);
	b = (size_t)ceil(i) == k ? a : min_of(v + k + 1, n - k - 1);
	return a + (b - a) * (i - lo);
}

/* --- statistics per kind ------------------------------------------------------------------ */

static int set_stats(pc_series *s, const char *const *names, const double *vals, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = pc_series_set_stat(s, names[i], vals[i])))
			return rc;
	return 0;
}

static const pc_hist *cell_hist(const k6_cell *c, int slice)
{
	return slice < 0 ? c->hist : &c->slices[slice];
}

/* out = the sum of the cells' histograms (whole run, or one slice), through a dense count
 * array over their key ranges: linear in buckets, not samples. */
static int hist_sum(pc_hist *out, k6_cell *const *cells, size_t k, int slice)
{
	key_ranges kr = KEY_RANGES_EMPTY;
	uint64_t *dense;
	size_t i, j, pos;

	pc_hist_init(out);
	if (k == 1) {
		/* one cell (most breakdown series): its histogram as it is */
		const pc_hist *h = cell_hist(cells[0], slice);
		if (!h->count)
			return 0;
		*out = *h;
		out->cap = h->n;
		out->keys = malloc(h->n * sizeof(*out->keys));
		out->counts = malloc(h->n * sizeof(*out->counts));
		if (!out->keys || !out->counts)
			return nomem();
		memcpy(out->keys, h->keys, h->n * sizeof(*out->keys));
		memcpy(out->counts, h->counts, h->n * sizeof(*out->counts));
		return 0;
	}
	for (i = 0; i < k; i++) {
		const pc_hist *h = cell_hist(cells[i], slice);
		for (j = 0; j < h->n; j++) {
			int32_t key = h->keys[j];
			if (key < 0) {
				kr.nlo = key < kr.nlo ? key : kr.nlo;
				kr.nhi = key > kr.nhi ? key : kr.nhi;
			} else if (key > 0) {
				kr.plo = key < kr.plo ? key : kr.plo;
				kr.phi = key > kr.phi ? key : kr.phi;
				break; /* ascending: the rest are positive, only the last one matters */
			}
		}
		if (h->n && h->keys[h->n - 1] > 0 && h->keys[h->n - 1] > kr.phi)
			kr.phi = h->keys[h->n - 1];
		if (!h->count)
			continue;
		if (out->count == 0 || h->min < out->min)
			out->min = h->min;
		if (out->count == 0 || h->max > out->max)
			out->max = h->max;
		out->count += h->count;
		out->sum += h->sum;
	}
	if (!out->count)
		return 0;
	kr.nneg = kr.nlo <= kr.nhi ? (size_t)(kr.nhi - kr.nlo) + 1 : 0;
	kr.size = kr.nneg + 1 + (kr.plo <= kr.phi ? (size_t)(kr.phi - kr.plo) + 1 : 0);
	if (!(dense = calloc(kr.size, sizeof(*dense))))
		return nomem();
	for (i = 0; i < k; i++) {
		const pc_hist *h = cell_hist(cells[i], slice);
		for (j = 0; j < h->n; j++)
			dense[dense_at(&kr, h->keys[j])] += h->counts[j];
	}
	for (j = 0; j < kr.size; j++)
		out->n += dense[j] != 0;
	out->cap = out->n;
	out->keys = malloc(out->n * sizeof(*out->keys));
	out->counts = malloc(out->n * sizeof(*out->counts));
	if (!out->keys || !out->counts) {
		free(dense);
		return nomem();
	}
	for (pos = 0, j = 0; j < kr.size; j++) {
		if (!dense[j])
			continue;
		out->keys[pos] = dense_key(&kr, j);
		out->counts[pos++] = dense[j];
	}
	free(dense);
	return 0;
}

static int histograms(finisher *f, pc_series *s, const group *g)
{
	const pc_run *run = f->run;
	size_t i;
	int rc;

	for (i = 0; i < g->n; i++)
		if ((rc = cell_prepare(f, g->cells[i])))
			return rc;
	if (!(s->hist = calloc(1, sizeof(*s->hist))) ||
	    !(s->slices = calloc(run->nslices, sizeof(*s->slices))))
		return nomem();
	s->nslices = run->nslices;
	if ((rc = hist_sum(s->hist, g->cells, g->n, -1)))
		return rc;
	for (i = 0; i < s->nslices; i++)
		if ((rc = hist_sum(&s->slices[i], g->cells, g->n, (int)i)))
			return rc;
	return 0;
}

/* p50 and p95 of the requests of each second: a counting sort of the samples by second, then
 * a selection in each second's values. */
static int timeline_latency(finisher *f, const group *g, size_t n)
{
	pc_run *run = f->run;
	int64_t sec_lo = run->ntimeline ? run->timeline[0].t / 1000000000 : 0;
	size_t *start = NULL, i, j, k, ns = run->ntimeline;
	double *out = NULL;

	if (!ns)
		return 0;
	if (!(start = calloc(ns + 1, sizeof(*start))) || !(out = malloc((n ? n : 1) * sizeof(*out)))) {
		free(start);
		return nomem();
	}
	for (j = 0; j < g->n; j++) {
		const k6_cell *c = g->cells[j];
		for (i = 0; i < c->n; i++) {
			int64_t s = sample_ns(f->r, c->t[i]) / 1000000000 - sec_lo;
			start[s < 0 ? 0 : (size_t)s >= ns ? ns - 1 : (size_t)s]++;
		}
	}
	for (k = 0, i = 0; k <= ns; k++) {
		size_t c = start[k];
		start[k] = i;
		i += c;
	}
	for (j = 0; j < g->n; j++) {
		const k6_cell *c = g->cells[j];
		for (i = 0; i < c->n; i++) {
			int64_t s = sample_ns(f->r, c->t[i]) / 1000000000 - sec_lo;
			out[start[s < 0 ? 0 : (size_t)s >= ns ? ns - 1 : (size_t)s]++] = c->v[i];
		}
	}
	for (k = 0, i = 0; k < ns; k++) {
		size_t m = start[k] - i;
		if (m) {
			run->timeline[k].p50 = quantile_select(out + i, m, 0.50);
			run->timeline[k].p95 = quantile_select(out + i, m, 0.95);
		}
		i = start[k];
	}
	free(start);
	free(out);
	return 0;
}

/* Whether a threshold asks for a percentile the series does not store (then it needs the
 * sorted samples). */
static int needs_sorted(const k6_metric *m)
{
	static const char *const stored[] = {"p(50)", "p(90)", "p(95)", "p(99)", "p(99.9)"};
	size_t i, j;

	for (i = 0; i < m->nthr; i++) {
		const char *p = strstr(m->thr[i], "p(");
		if (!p)
			continue;
		for (j = 0; j < sizeof(stored) / sizeof(*stored); j++)
			if (strncmp(p, stored[j], strlen(stored[j])) == 0)
				break;
		if (j == sizeof(stored) / sizeof(*stored))
			return 1;
	}
	return 0;
}

static int thresholds(finisher *f, const k6_metric *m, pc_series *s, const double *v, size_t n)
{
	size_t i;
	int rc, ok;

	for (i = 0; i < m->nthr; i++) {
		/* k6 does not evaluate thresholds on a metric without samples: they pass */
		ok = 1;
		if (!s->empty && (rc = pc_k6_threshold_eval(s, m->thr[i], v, n, &ok))) {
			if (rc != PC_EINPUT)
				return rc;
			if ((rc = pc_run_warn(f->run, "%s: threshold \"%s\" not evaluated: %s", m->name,
					      m->thr[i], pc_error_msg())))
				return rc;
			continue;
		}
		if ((rc = pc_series_add_threshold(s, m->thr[i], ok)))
			return rc;
	}
	return 0;
}

static int emit_trend(finisher *f, const k6_metric *m, const group *g, pc_series *s)
{
	static const char *const names[] = {"count", "min", "max", "avg", "stddev",
					    "p50", "p90", "p95", "p99", "p99.9"};
	static const double qs[] = {0.50, 0.90, 0.95, 0.99, 0.999};
	double vals[10], sum = 0, mean, m2 = 0, min = 0, max = 0, *v = NULL;
	size_t i, n = 0, pos = 0;
	int rc, first = 1;

	for (i = 0; i < g->n; i++) {
		n += g->cells[i]->n;
		sum += g->cells[i]->sum;
	}
	s->empty = n == 0;
	if (n == 0)
		return pc_series_set_stat(s, "count", 0);
	if ((rc = histograms(f, s, g)))
		return rc;
	/* k6 sums in arrival order (the cells' sums); the cells' squared deviations combine
	 * exactly (Chan et al.) */
	mean = sum / (double)n;
	for (i = 0; i < g->n; i++) {
		const k6_cell *c = g->cells[i];
		double d;
		if (!c->n)
			continue;
		d = c->sum / (double)c->n - mean;
		m2 += c->m2 + (double)c->n * d * d;
		if (first || c->min < min)
			min = c->min;
		if (first || c->max > max)
			max = c->max;
		first = 0;
	}
	vals[0] = (double)n;
	vals[1] = min;
	vals[2] = max;
	vals[3] = mean;
	vals[4] = n > 1 ? sqrt(m2 / (double)(n - 1)) : NAN;
	for (i = 0; i < 5; i++)
		if ((rc = group_quantile(f, g, s->hist, qs[i], &vals[5 + i])))
			return rc;
	if ((rc = set_stats(s, names, vals, 10)))
		return rc;
	if (g->whole && m->role == K6_ROLE_DURATION && (rc = timeline_latency(f, g, n)))
		return rc;
	if (!g->whole)
		return 0;
	if (needs_sorted(m)) {
		if (!(v = malloc(n * sizeof(*v))))
			return nomem();
		for (i = 0; i < g->n; i++) {
			memcpy(v + pos, g->cells[i]->v, g->cells[i]->n * sizeof(*v));
			pos += g->cells[i]->n;
		}
		pc_sort_doubles(v, n);
	}
	rc = thresholds(f, m, s, v, v ? n : 0);
	free(v);
	return rc;
}

static int emit_other(finisher *f, const k6_metric *m, const group *g, pc_series *s)
{
	uint64_t count = 0, nonzero = 0;
	double sum = 0, min = NAN, max = NAN, last = NAN, dur = f->run->duration;
	int64_t last_t = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < g->n; i++) {
		const k6_cell *c = g->cells[i];
		if (!c->count)
			continue;
		if (count == 0 || c->min < min)
			min = c->min;
		if (count == 0 || c->max > max)
			max = c->max;
		if (count == 0 || c->last_t >= last_t) {
			last_t = c->last_t;
			last = c->last_v;
		}
		count += c->count;
		nonzero += c->nonzero;
		sum += c->sum;
	}
	s->empty = count == 0;
	if (m->kind == PC_KIND_COUNTER) {
		const char *names[] = {"count", "rate"};
		double vals[] = {sum, dur > 0 ? sum / dur : 0};
		rc = set_stats(s, names, vals, 2);
	} else if (m->kind == PC_KIND_RATE) {
		const char *names[] = {"passes", "fails", "rate"};
		double vals[] = {(double)nonzero, (double)(count - nonzero),
				 count ? (double)nonzero / (double)count : 0};
		rc = set_stats(s, names, vals, 3);
	} else if (count) {
		const char *names[] = {"value", "min", "max"};
		double vals[] = {last, min, max};
		rc = set_stats(s, names, vals, 3);
	}
	return rc || !g->whole ? rc : thresholds(f, m, s, NULL, 0);
}

/* --- grouping cells into series ----------------------------------------------------------- */

static int group_get(finisher *f, const char *tags, group **out)
{
	void *idx = pc_map_get(f->group_map, tags, strlen(tags));
	group *g;
	int rc;

	if (idx) {
		*out = &f->groups[(uintptr_t)idx - 1];
		return 0;
	}
	if (f->ngroups == f->capgroups) {
		size_t ncap = f->capgroups ? 2 * f->capgroups : 16;
		group *p = realloc(f->groups, ncap * sizeof(*p));
		if (!p)
			return nomem();
		f->groups = p;
		f->capgroups = ncap;
	}
	g = &f->groups[f->ngroups];
	memset(g, 0, sizeof(*g));
	if (!(g->tags = pc_strdup(tags)))
		return PC_ENOMEM;
	f->ngroups++;
	if ((rc = pc_map_put(f->group_map, tags, strlen(tags), (void *)(uintptr_t)f->ngroups)))
		return rc;
	*out = g;
	return 0;
}

static int group_add(finisher *f, const char *tags, k6_cell *c)
{
	group *g;
	int rc;

	if ((rc = group_get(f, tags, &g)))
		return rc;
	/* a submetric and a breakdown can name the same series: a cell joins it once */
	if (g->n && g->cells[g->n - 1] == c)
		return 0;
	if (g->n == g->cap) {
		size_t ncap = g->cap ? 2 * g->cap : 4;
		k6_cell **p = realloc(g->cells, ncap * sizeof(*p));
		if (!p)
			return nomem();
		g->cells = p;
		g->cap = ncap;
	}
	g->cells[g->n++] = c;
	return 0;
}

static const char *tag_value(const k6_tagset *ts, const char *key)
{
	size_t lo = 0, hi = ts->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ts->keys[mid], key);
		if (c == 0)
			return ts->vals[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int sub_matches(const k6_sub *sub, const k6_tagset *ts)
{
	size_t i;

	for (i = 0; i < sub->n; i++) {
		const char *v = tag_value(ts, sub->keys[i]);
		if (!v || strcmp(v, sub->vals[i]) != 0)
			return 0;
	}
	return 1;
}

static void groups_reset(finisher *f)
{
	size_t i;

	for (i = 0; i < f->ngroups; i++) {
		free(f->groups[i].tags);
		free(f->groups[i].cells);
	}
	f->ngroups = 0;
	pc_map_free(f->group_map);
	f->group_map = NULL;
}

static int finish_metric(finisher *f, const k6_metric *m)
{
	size_t i, j;
	group *g;
	int rc;

	if (!(f->group_map = pc_map_new()))
		return nomem();
	if ((rc = group_get(f, "{}", &g)))
		return rc;
	g->whole = 1;
	for (i = 0; i < m->nsubs; i++)
		if ((rc = group_get(f, m->subs[i].tags, &g)))
			return rc;
	for (i = 0; i < m->ncells; i++) {
		k6_cell *c = m->cells[i];
		if ((rc = group_add(f, "{}", c)))
			return rc;
		for (j = 0; j < m->nsubs; j++)
			if (sub_matches(&m->subs[j], c->ts) && (rc = group_add(f, m->subs[j].tags, c)))
				return rc;
		for (j = 0; j < c->ts->ncombo; j++)
			if (c->ts->combo[j] && (rc = group_add(f, c->ts->combo[j], c)))
				return rc;
	}
	for (i = 0; i < f->ngroups; i++) {
		pc_series *s;
		g = &f->groups[i];
		if ((rc = pc_run_series(f->run, &s, m->name, g->tags, m->kind, m->unit)))
			return rc;
		rc = m->kind == PC_KIND_TREND ? emit_trend(f, m, g, s) : emit_other(f, m, g, s);
		if (rc)
			return rc;
	}
	for (i = 0; i < m->ncells; i++)
		cell_done(f->run, m->cells[i]);
	return 0;
}

/* --- breakdowns, run keys, checks --------------------------------------------------------- */

/* Which series of each breakdown a tag set falls in, first come first served up to the cap. */
static int assign_combos(finisher *f)
{
	k6_reader *r = f->r;
	const char **vals = NULL;
	size_t i, j, k, maxk = 1;
	int rc = 0;

	for (j = 0; j < r->nspecs; j++)
		maxk = r->specs[j].n > maxk ? r->specs[j].n : maxk;
	if (!(vals = calloc(maxk, sizeof(*vals))))
		return nomem();
	for (i = 0; i < r->ntagsets && !rc; i++) {
		k6_tagset *ts = r->tagsets[i];
		if (!(ts->combo = calloc(r->nspecs ? r->nspecs : 1, sizeof(char *)))) {
			rc = nomem();
			break;
		}
		ts->ncombo = r->nspecs;
		for (j = 0; j < r->nspecs && !rc; j++) {
			k6_spec *sp = &r->specs[j];
			char *canon;
			for (k = 0; k < sp->n && (vals[k] = tag_value(ts, sp->keys[k])); k++)
				;
			if (k < sp->n)
				continue;
			if (!(canon = pc_tags_canon((const char *const *)sp->keys, vals, sp->n))) {
				rc = nomem();
				break;
			}
			if (!pc_map_get(sp->values, canon, strlen(canon))) {
				if (sp->nvalues >= f->r->max_tag_values) {
					sp->dropped++;
					free(canon);
					continue;
				}
				if ((rc = pc_map_put(sp->values, canon, strlen(canon), sp))) {
					free(canon);
					break;
				}
				sp->nvalues++;
			}
			ts->combo[j] = canon;
		}
	}
	free(vals);
	for (j = 0; j < r->nspecs && !rc; j++)
		if (r->specs[j].dropped)
			rc = pc_run_warn(f->run, "tag \"%s\" has more than %zu distinct values: the other "
					 "values count only in the whole-metric series (raise "
					 "--max-tag-values, or leave the tag out of --by)",
					 r->specs[j].label, r->max_tag_values);
	return rc;
}

/* A tag carried by every point with one value names the run's profile or config (SPEC). */
static int common_tag(const k6_reader *r, const char *key, char **out)
{
	const char *val = NULL;
	size_t i;

	for (i = 0; i < r->ntagsets; i++) {
		const char *v;
		if (!r->tagsets[i]->points)
			continue;
		v = tag_value(r->tagsets[i], key);
		if (!v || (val && strcmp(v, val) != 0))
			return 0;
		val = v;
	}
	if (val && !*out && !(*out = pc_strdup(val)))
		return PC_ENOMEM;
	return 0;
}

static int add_checks(finisher *f)
{
	k6_metric *m = pc_map_get(f->r->metric_map, "checks", 6);
	pc_buf path = PC_BUF_INIT;
	pc_map *seen = NULL;
	size_t i;
	int rc = 0;

	if (!m || m->kind != PC_KIND_RATE)
		return 0;
	if (!(seen = pc_map_new()))
		return nomem();
	for (i = 0; i < m->ncells && !rc; i++) {
		const k6_cell *c = m->cells[i];
		const char *grp = tag_value(c->ts, "group"), *name = tag_value(c->ts, "check");
		void *idx;
		if (!name)
			continue;
		pc_buf_reset(&path);
		if ((rc = pc_buf_printf(&path, "%s::%s", grp ? grp : "", name)))
			break;
		if ((idx = pc_map_get(seen, path.ptr, path.len))) {
			pc_check *ch = &f->run->checks[(uintptr_t)idx - 1];
			ch->passes += (long long)c->nonzero;
			ch->fails += (long long)(c->count - c->nonzero);
			continue;
		}
		if ((rc = pc_run_add_check(f->run, path.ptr, name, (long long)c->nonzero,
					   (long long)(c->count - c->nonzero))))
			break;
		rc = pc_map_put(seen, path.ptr, path.len, (void *)(uintptr_t)f->run->nchecks);
	}
	pc_buf_release(&path);
	pc_map_free(seen);
	return rc;
}

static int timeline_counts(finisher *f)
{
	const k6_reader *r = f->r;
	pc_run *run = f->run;
	int64_t lo = r->tmin / 1000000000, hi = r->tmax / 1000000000;
	size_t i, n;

	if (r->tmin < 0 || (uint64_t)(hi - lo) >= K6_MAX_SECONDS)
		return pc_run_warn(run, "the points span more than %zu seconds: no timeline",
				   K6_MAX_SECONDS);
	if ((uint64_t)(hi - lo) > 2 * r->points + 7200)
		return pc_run_warn(run, "%llu points spread over %lld seconds are too sparse for a "
					"per-second timeline: none stored (a clock jump?)",
				   (unsigned long long)r->points, (long long)(hi - lo));
	n = (size_t)(hi - lo) + 1;
	if (!(run->timeline = calloc(n, sizeof(*run->timeline))))
		return nomem();
	run->ntimeline = n;
	for (i = 0; i < n; i++) {
		run->timeline[i].t = (lo + (int64_t)i) * 1000000000;
		run->timeline[i].p50 = run->timeline[i].p95 = run->timeline[i].vus = NAN;
	}
	for (i = 0; i < r->nsecs; i++) {
		int64_t s = r->sec0 + (int64_t)i - lo;
		const k6_second *sec = &r->secs[i];
		if (s < 0 || (size_t)s >= n)
			continue;
		run->timeline[s].requests = sec->reqs;
		run->timeline[s].failed = sec->failed;
		run->timeline[s].iterations = (long long)sec->iters;
		if (sec->has_vus)
			run->timeline[s].vus = sec->vus;
	}
	return 0;
}

int pc_k6_points_finish(k6_reader *r)
{
	finisher f;
	pc_run *run = r->run;
	size_t i;
	int rc;

	if (!r->points)
		return pc_error_set(PC_EINPUT, "no valid k6 data point in %llu lines",
				    (unsigned long long)r->lineno);
	memset(&f, 0, sizeof(f));
	f.r = r;
	f.run = run;
	run->started_at = r->tmin;
	run->duration = (double)(r->tmax - r->tmin) / 1e9;
	run->slice_t0 = r->tmin;
	run->slice_ns = (r->tmax - r->tmin) / NSLICES + 1;
	run->nslices = NSLICES;
	/* sample times are kept as 32-bit milliseconds from the first point: past ±24.8 days
	 * they are clamped, and those samples fall into the edge slices */
	if ((r->tmax - r->tmin) / 1000000 > INT32_MAX &&
	    (rc = pc_run_warn(run, "the points span more than 24 days: the time slices of samples "
				   "past day 24 are approximate (the block test may be off)")))
		goto done;
	if ((rc = assign_combos(&f)) || (rc = timeline_counts(&f)))
		goto done;
	for (i = 0; i < r->nmetrics; i++) {
		rc = finish_metric(&f, r->metrics[i]);
		groups_reset(&f);
		if (rc)
			goto done;
	}
	if ((rc = add_checks(&f)) || (rc = common_tag(r, "profile", &run->profile)) ||
	    (rc = common_tag(r, "config", &run->config)))
		goto done;
done:
	groups_reset(&f);
	free(f.groups);
	free(f.sv);
	free(f.st);
	free(f.keys);
	free(f.dense);
	free(f.sel);
	free(f.ka);
	free(f.kb);
	free(f.tt);
	free(f.slot_n);
	free(f.touched);
	return rc;
}
