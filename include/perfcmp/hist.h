/* pc_hist: a mergeable log-linear histogram of doubles (HdrHistogram's layout with 64 linear
 * sub-buckets per power of two), for re-quantiling pooled runs, drawing distributions and
 * testing differences without the raw samples.
 *
 * Buckets: a value v > 0 with binary exponent e falls in [2^e(1 + s/64), 2^e(1 + (s+1)/64)),
 * s = the top 6 bits of its mantissa; negative values mirror that; 0 (and subnormals, below
 * 2^-1022) have their own bucket. A bucket is represented by its midpoint, so any value read
 * back from a bucket is within PC_HIST_REL_ERR = 1/128 (0.78%) of every value in it. The exact
 * count, min, max and sum are kept beside the buckets. Buckets are stored sparsely, sorted by
 * key, so merging is a linear walk and an empty slice costs nothing. NaN and infinities are the
 * caller's to remove. */
#ifndef PERFCMP_HIST_H
#define PERFCMP_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "perfcmp/buf.h"

#define PC_HIST_REL_ERR (1.0 / 128)

typedef struct pc_hist {
	uint64_t count;   /* values added */
	double min, max;  /* exact; NaN when count = 0 */
	double sum;       /* exact sum of the values (for the mean) */
	size_t n, cap;    /* buckets used and allocated */
	int32_t *keys;    /* bucket keys, strictly ascending (pc_hist_key order = value order) */
	uint64_t *counts; /* values per bucket, never 0 */
} pc_hist;

void pc_hist_init(pc_hist *h);
/* Free the buckets (the struct itself is the caller's); safe on a zeroed or released hist. */
static inline void pc_hist_release(pc_hist *h)
{
	if (!h)
		return;
	free(h->keys);
	free(h->counts);
	h->keys = NULL;
	h->counts = NULL;
	h->n = h->cap = 0;
	h->count = 0;
}

/* The bucket key of v (monotonic: v <= w implies key(v) <= key(w)), and the value that
 * represents a bucket (its midpoint; 0 for key 0). */
int32_t pc_hist_key(double v);
double pc_hist_value(int32_t key);

/* Add n copies of v. 0 or PC_ENOMEM. */
int pc_hist_add(pc_hist *h, double v, uint64_t n);
/* Add values in ascending bucket order, fast: appends or bumps the last bucket. The caller
 * guarantees pc_hist_key(v) >= the key of every value added before (ascending values do; the
 * order within a bucket does not matter). 0 or PC_ENOMEM. */
int pc_hist_push_sorted(pc_hist *h, double v);
/* dst += src. 0 or PC_ENOMEM. */
int pc_hist_merge(pc_hist *dst, const pc_hist *src);

/* The q-quantile (q in [0, 1]) with k6's definition (i = q·(n−1), linear interpolation between
 * the order statistics floor(i) and ceil(i)), each order statistic read as its bucket's value
 * clamped to [min, max] (exact for the first and last). Within PC_HIST_REL_ERR of the exact
 * quantile for values of one sign. NaN when empty. */
double pc_hist_quantile(const pc_hist *h, double q);

/* Serialize: version byte, varint bucket count, min, max, sum as little-endian doubles, then
 * per bucket the zigzag varint key delta and the varint count. 0 or a pc_buf error. */
int pc_hist_encode(const pc_hist *h, pc_buf *out);
/* Parse one encoded histogram from p (n bytes) into a released/initialized h; *used = bytes
 * read. PC_EINPUT when the bytes are not one, PC_ENOMEM. */
int pc_hist_decode(pc_hist *h, const unsigned char *p, size_t n, size_t *used);

#endif
