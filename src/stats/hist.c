/* Log-linear mergeable histograms: bucket keys, quantiles, merging and the byte encoding the
 * store keeps; see perfcmp/hist.h. */
#include <math.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/hist.h"

#define SUB_BITS 6

void pc_hist_init(pc_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = h->max = NAN;
}

int32_t pc_hist_key(double v)
{
	uint64_t bits;
	int32_t k;

	memcpy(&bits, &v, sizeof(bits));
	/* biased exponent and the top mantissa bits: monotonic in |v| for normal doubles */
	k = (int32_t)((bits >> (52 - SUB_BITS)) & 0x1ffff);
	if ((bits >> 52 & 0x7ff) == 0)
		return 0; /* zero and subnormals */
	return bits >> 63 ? -k : k;
}

double pc_hist_value(int32_t key)
{
	int32_t a = key < 0 ? -key : key;
	int e = (a >> SUB_BITS) - 1023, s = a & ((1 << SUB_BITS) - 1);
	double lo, v;

	if (key == 0)
		return 0;
	lo = ldexp(1.0 + (double)s / (1 << SUB_BITS), e);
	v = lo + ldexp(1.0, e - SUB_BITS - 1);
	return key < 0 ? -v : v;
}

static int reserve(pc_hist *h, size_t need)
{
	size_t ncap;
	int32_t *k;
	uint64_t *c;

	if (need <= h->cap)
		return 0;
	ncap = h->cap ? h->cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	k = realloc(h->keys, ncap * sizeof(*k));
	if (!k)
		return pc_error_set(PC_ENOMEM, "out of memory");
	h->keys = k;
	c = realloc(h->counts, ncap * sizeof(*c));
	if (!c)
		return pc_error_set(PC_ENOMEM, "out of memory");
	h->counts = c;
	h->cap = ncap;
	return 0;
}

static void note_value(pc_hist *h, double v, uint64_t n)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count += n;
	h->sum += v * (double)n;
}

int pc_hist_push_sorted(pc_hist *h, double v)
{
	int32_t k = pc_hist_key(v);
	int rc;

	if (h->n && h->keys[h->n - 1] == k) {
		h->counts[h->n - 1]++;
	} else {
		if ((rc = reserve(h, h->n + 1)))
			return rc;
		h->keys[h->n] = k;
		h->counts[h->n] = 1;
		h->n++;
	}
	note_value(h, v, 1);
	return 0;
}

int pc_hist_add(pc_hist *h, double v, uint64_t n)
{
	int32_t k = pc_hist_key(v);
	size_t lo = 0, hi = h->n;
	int rc;

	if (n == 0)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->keys[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->n && h->keys[lo] == k) {
		h->counts[lo] += n;
	} else {
		if ((rc = reserve(h, h->n + 1)))
			return rc;
		memmove(h->keys + lo + 1, h->keys + lo, (h->n - lo) * sizeof(*h->keys));
		memmove(h->counts + lo + 1, h->counts + lo, (h->n - lo) * sizeof(*h->counts));
		h->keys[lo] = k;
		h->counts[lo] = n;
		h->n++;
	}
	note_value(h, v, n);
	return 0;
}

int pc_hist_merge(pc_hist *dst, const pc_hist *src)
{
	pc_hist out;
	size_t i = 0, j = 0;
	int rc;

	if (src->count == 0)
		return 0;
	pc_hist_init(&out);
	if ((rc = reserve(&out, dst->n + src->n)))
		goto fail;
	while (i < dst->n || j < src->n) {
		if (j == src->n || (i < dst->n && dst->keys[i] < src->keys[j])) {
			out.keys[out.n] = dst->keys[i];
			out.counts[out.n++] = dst->counts[i++];
		} else if (i == dst->n || src->keys[j] < dst->keys[i]) {
			out.keys[out.n] = src->keys[j];
			out.counts[out.n++] = src->counts[j++];
		} else {
			out.keys[out.n] = dst->keys[i];
			out.counts[out.n++] = dst->counts[i++] + src->counts[j++];
		}
	}
	out.count = dst->count + src->count;
	out.min = dst->count == 0 || src->min < dst->min ? src->min : dst->min;
	out.max = dst->count == 0 || src->max > dst->max ? src->max : dst->max;
	out.sum = dst->sum + src->sum;
	pc_hist_release(dst);
	*dst = out;
	return 0;
fail:
	pc_hist_release(&out);
	return rc;
}

/* The value of the 0-based order statistic r; `at`/`below` walk forward between calls. */
static double order_stat(const pc_hist *h, uint64_t r, size_t *at, uint64_t *below)
{
	double v;

	if (r == 0)
		return h->min;
	if (r == h->count - 1)
		return h->max;
	while (*at < h->n && *below + h->counts[*at] <= r) {
		*below += h->counts[*at];
		(*at)++;
	}
	if (*at == h->n)
		return h->max;
	v = pc_hist_value(h->keys[*at]);
	return v < h->min ? h->min : v > h->max ? h->max : v;
}

double pc_hist_quantile(const pc_hist *h, double q)
{
	double i, lo, a, b;
	size_t at = 0;
	uint64_t below = 0;

	if (h->count == 0 || isnan(q))
		return NAN;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	i = q * (double)(h->count - 1);
	lo = floor(i);
	a = order_stat(h, (uint64_t)lo, &at, &below);
	b = order_stat(h, (uint64_t)ceil(i), &at, &below);
	return a + (b - a) * (i - lo);
}

static int put_varint(pc_buf *b, uint64_t v)
{
	unsigned char *p;
	int rc;

	/* written in place: a histogram is thousands of these */
	if ((rc = pc_buf_grow(b, 11)))
		return rc;
	p = (unsigned char *)b->ptr + b->len;
	do {
		*p = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			*p |= 0x80;
		p++;
	} while (v);
	b->len = (size_t)(p - (unsigned char *)b->ptr);
	b->ptr[b->len] = '\0';
	return 0;
}

static int put_double(pc_buf *b, double v)
{
	unsigned char tmp[8];
	uint64_t bits;
	int i;

	memcpy(&bits, &v, 8);
	for (i = 0; i < 8; i++)
		tmp[i] = (unsigned char)(bits >> (8 * i));
	return pc_buf_add(b, tmp, 8);
}

int pc_hist_encode(const pc_hist *h, pc_buf *out)
{
	int64_t prev = 0;
	size_t i;
	int rc;

	if ((rc = pc_buf_putc(out, 1)) || (rc = put_varint(out, h->n)) ||
	    (rc = put_double(out, h->min)) || (rc = put_double(out, h->max)) ||
	    (rc = put_double(out, h->sum)))
		return rc;
	for (i = 0; i < h->n; i++) {
		int64_t d = (int64_t)h->keys[i] - prev;
		uint64_t z = d < 0 ? ((uint64_t)(-d) << 1) - 1 : (uint64_t)d << 1;
		if ((rc = put_varint(out, z)) || (rc = put_varint(out, h->counts[i])))
			return rc;
		prev = h->keys[i];
	}
	return 0;
}

static int get_varint(const unsigned char *p, size_t n, size_t *pos, uint64_t *out)
{
	uint64_t v = 0;
	int shift = 0;

	while (*pos < n && shift < 64) {
		unsigned char c = p[(*pos)++];
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

static double get_double(const unsigned char *p)
{
	uint64_t bits = 0;
	double v;
	int i;

	for (i = 0; i < 8; i++)
		bits |= (uint64_t)p[i] << (8 * i);
	memcpy(&v, &bits, 8);
	return v;
}

int pc_hist_decode(pc_hist *h, const unsigned char *p, size_t n, size_t *used)
{
	uint64_t nb, i;
	int64_t key = 0;
	size_t pos = 1;
	int rc;

	pc_hist_init(h);
	if (n < 1 || p[0] != 1 || get_varint(p, n, &pos, &nb) || nb > n || n - pos < 24)
		goto bad;
	h->min = get_double(p + pos);
	h->max = get_double(p + pos + 8);
	h->sum = get_double(p + pos + 16);
	pos += 24;
	if ((rc = reserve(h, (size_t)nb)))
		return rc;
	for (i = 0; i < nb; i++) {
		uint64_t z, c;
		if (get_varint(p, n, &pos, &z) || get_varint(p, n, &pos, &c) || c == 0)
			goto bad;
		key += z & 1 ? -(int64_t)((z + 1) >> 1) : (int64_t)(z >> 1);
		if (key < INT32_MIN || key > INT32_MAX || (i && key <= h->keys[i - 1]))
			goto bad;
		h->keys[i] = (int32_t)key;
		h->counts[i] = c;
		h->count += c;
	}
	h->n = (size_t)nb;
	*used = pos;
	return 0;
bad:
	pc_hist_release(h);
	return pc_error_set(PC_EINPUT, "damaged histogram data");
}
