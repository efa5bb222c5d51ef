/* Results-file reader: plain or gzip (zlib or ISA-L inflate), hashing, peeking, the gzip-bomb
 * guard, and block reading with a read-ahead thread. The only code that includes zlib.h / isa-l. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>
#include <zlib.h>
#ifdef PC_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif
#if defined(PC_HAVE_ISAL) && defined(__x86_64__) && defined(__GNUC__)
#define PC_CLEAR_UPPER 1
#endif

#include "perfcmp/error.h"
#include "perfcmp/input.h"
#include "util/hash_avx2.h"
#include "util/input_ahead.h"

#define RAW_CAP (256u << 10)
/* Read-ahead: blocks of decompressed bytes a second thread fills while the caller parses. */
#define AHEAD_BLOCKS 4
#define AHEAD_SIZE ((size_t)1 << 20)

/* The read-ahead thread and its ring; mu guards everything below it. */
typedef struct ahead {
	pthread_t thread;
	int started, joined;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	unsigned char *buf[AHEAD_BLOCKS];
	size_t len[AHEAD_BLOCKS];
	uint64_t in_at[AHEAD_BLOCKS]; /* compressed bytes consumed when the block was done */
	size_t head, tail, ready;     /* next to fill, next to hand out, filled and not released */
	int held;                     /* the caller holds block tail */
	int stop, end, rc;            /* end: no more blocks; rc: why, when an error */
} ahead;

struct pc_input {
	int fd;
	int own_fd;
	char *name;
	int64_t size;
	int gzip;
	int eof_raw;     /* no more bytes in the file */
	int done;        /* no more decompressed bytes */
	int truncated;
	int member_done; /* the current gzip member ended; more may follow */
	unsigned char *raw;
	size_t raw_pos, raw_len;
	uint64_t bytes_in, bytes_out;
#ifdef PC_HAVE_ISAL
	struct inflate_state isal;
#else
	z_stream zs;
	int zs_init;
#endif
	char *peek;
	size_t peek_pos, peek_len, peek_cap;
	XXH3_state_t *hash;
	/* errors of read_source, kept here so the read-ahead thread never touches the global
	 * error slot: the caller's thread records them when it reaches them */
	int err_deferred;
	char err[512];
	/* block reading: the read-ahead thread (regular files) or a plain buffer (pipes) */
	ahead *ah;
	unsigned char *block;
	uint64_t seen_in; /* pc_input_bytes_read() while the thread runs */
	int hash_by_reader; /* the caller's thread hashes each block as it takes it */
	int hash_avx2;      /* hash with the AVX2 build of XXH3 */
};

/* Which thread hashes the read-ahead blocks: the one with time to spare. ISA-L inflates about
 * as fast as the k6 scanner parses, so the inflating thread hashes too; zlib inflates at half
 * that speed, so the parsing thread does. */
#ifdef PC_HAVE_ISAL
#define AHEAD_HASH_BY_READER 0
#else
#define AHEAD_HASH_BY_READER 1
#endif

static int input_fail(pc_input *in, int code, const char *fmt, ...) PC_PRINTF(3, 4);

static int input_fail(pc_input *in, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->err, sizeof(in->err), fmt, ap);
	va_end(ap);
	if (!in->err_deferred)
		pc_error_set(code, "%s", in->err);
	return code;
}

static void hash_update(pc_input *in, const void *data, size_t len)
{
	if (!in->hash_avx2 || pc_hash_avx2_update(in->hash, data, len))
		XXH3_128bits_update(in->hash, data, len);
}

static int fill_raw(pc_input *in)
{
	ssize_t n;

	if (in->raw_pos < in->raw_len || in->eof_raw)
		return 0;
	do
		n = read(in->fd, in->raw, RAW_CAP);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return input_fail(in, PC_EINPUT, "read failed: %s", strerror(errno));
	in->raw_pos = 0;
	in->raw_len = (size_t)n;
	in->bytes_in += (uint64_t)n;
	if (n == 0)
		in->eof_raw = 1;
	return 0;
}

#ifdef PC_CLEAR_UPPER
/* ISA-L returns with the upper halves of the AVX registers dirty; every SSE instruction after
 * that (XXH3's hash loop, all scalar double arithmetic) then pays a transition penalty that
 * tripled the hashing time. vzeroupper clears them; only on a CPU that has AVX. */
__attribute__((target("avx"))) static void clear_upper_avx(void)
{
	__builtin_ia32_vzeroupper();
}

static void clear_upper(void)
{
	static int have_avx = -1;

	if (have_avx < 0)
		have_avx = __builtin_cpu_supports("avx") != 0;
	if (have_avx)
		clear_upper_avx();
}
#elif defined(PC_HAVE_ISAL)
static void clear_upper(void)
{
}
#endif

#ifdef PC_HAVE_ISAL
static int inflate_begin(pc_input *in)
{
	isal_inflate_init(&in->isal);
	in->isal.crc_flag = ISAL_GZIP;
	return 0;
}

static void inflate_end(pc_input *in)
{
	(void)in;
}

/* One inflate step into dst; sets *got and in->member_done. */
static int inflate_step(pc_input *in, unsigned char *dst, size_t cap, size_t *got)
{
	int rc;

	in->isal.next_in = in->raw + in->raw_pos;
	in->isal.avail_in = (uint32_t)(in->raw_len - in->raw_pos);
	in->isal.next_out = dst;
	in->isal.avail_out = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
	rc = isal_inflate(&in->isal);
	clear_upper();
	*got = (size_t)(in->isal.next_out - dst);
	in->raw_pos = in->raw_len - in->isal.avail_in;
	/* positive codes (end of input, output full) only say why the call returned */
	if (rc < 0 || rc == ISAL_NEED_DICT)
		return input_fail(in, PC_EINPUT, "corrupt gzip data near byte %llu: %s",
				  (unsigned long long)(in->bytes_in - (in->raw_len - in->raw_pos)),
				  rc == ISAL_INCORRECT_CHECKSUM ? "CRC or length check failed"
				  : rc == ISAL_INVALID_WRAPPER || rc == ISAL_UNSUPPORTED_METHOD
					  ? "invalid gzip header"
					  : "invalid deflate data");
	if (in->isal.block_state == ISAL_BLOCK_FINISH)
		in->member_done = 1;
	return 0;
}
#else
static int inflate_begin(pc_input *in)
{
	int rc;

	if (in->zs_init)
		rc = inflateReset(&in->zs);
	else
		rc = inflateInit2(&in->zs, 16 + MAX_WBITS);
	if (rc != Z_OK)
		return input_fail(in, PC_ENOMEM, "cannot start zlib inflate");
	in->zs_init = 1;
	return 0;
}

static void inflate_end(pc_input *in)
{
	if (in->zs_init)
		inflateEnd(&in->zs);
	in->zs_init = 0;
}

static int inflate_step(pc_input *in, unsigned char *dst, size_t cap, size_t *got)
{
	int rc;

	in->zs.next_in = in->raw + in->raw_pos;
	in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
	in->zs.next_out = dst;
	in->zs.avail_out = cap > UINT32_MAX ? UINT32_MAX : (uInt)cap;
	rc = inflate(&in->zs, Z_NO_FLUSH);
	*got = (size_t)(in->zs.next_out - dst);
	in->raw_pos = in->raw_len - in->zs.avail_in;
	if (rc == Z_STREAM_END) {
		in->member_done = 1;
		return 0;
	}
	if (rc == Z_OK || rc == Z_BUF_ERROR)
		return 0;
	return input_fail(in, PC_EINPUT, "corrupt gzip data near byte %llu: %s",
			  (unsigned long long)(in->bytes_in - (in->raw_len - in->raw_pos)),
			  in->zs.msg ? in->zs.msg : "inflate failed");
}
#endif

int pc_input_open(pc_input **out, const char *path)
{
	pc_input *in = NULL;
	struct stat st;
	int rc = PC_ENOMEM;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return pc_error_set(PC_ENOMEM, "out of memory");
	in->fd = -1;
	in->size = -1;
	in->name = strdup(path);
	in->raw = malloc(RAW_CAP);
	in->hash = XXH3_createState();
	if (!in->name || !in->raw || !in->hash) {
		pc_error_set(PC_ENOMEM, "out of memory");
		goto done;
	}
	XXH3_128bits_reset(in->hash);
#if defined(__x86_64__) && defined(__GNUC__)
	in->hash_avx2 = pc_hash_avx2_built() && __builtin_cpu_supports("avx2");
#endif
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			rc = pc_error_set(PC_EINPUT, "cannot open: %s", strerror(errno));
			goto done;
		}
		in->own_fd = 1;
	}
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			rc = pc_error_set(PC_EINPUT, "is a directory");
			goto done;
		}
		if (S_ISREG(st.st_mode))
			in->size = (int64_t)st.st_size;
	}
	rc = fill_raw(in);
	if (rc)
		goto done;
	while (in->raw_len < 2 && !in->eof_raw) {
		/* a pipe may deliver one byte at a time: keep the first two together */
		ssize_t n = read(in->fd, in->raw + in->raw_len, RAW_CAP - in->raw_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) { /* a read error is not the end of the file */
			rc = input_fail(in, PC_EINPUT, "read failed: %s", strerror(errno));
			goto done;
		}
		if (n == 0) {
			in->eof_raw = 1;
			break;
		}
		in->raw_len += (size_t)n;
		in->bytes_in += (uint64_t)n;
	}
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gzip = 1;
		rc = inflate_begin(in);
		if (rc)
			goto done;
	}
	*out = in;
	in = NULL;
	rc = 0;
done:
	pc_input_free(in);
	return rc;
}

static void ahead_stop(pc_input *in);

void pc_input_free(pc_input *in)
{
	if (!in)
		return;
	ahead_stop(in);
	free(in->block);
	if (in->gzip)
		inflate_end(in);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	XXH3_freeState(in->hash);
	free(in->raw);
	free(in->peek);
	free(in->name);
	free(in);
}

static int guard_ratio(pc_input *in)
{
	if (in->bytes_out > PC_GZIP_RATIO_FREE &&
	    in->bytes_out / PC_GZIP_MAX_RATIO > in->bytes_in)
		return input_fail(in, PC_EINPUT,
				  "gzip data expands more than %dx its size past the first %d MiB "
				  "(a gzip bomb?)",
				  PC_GZIP_MAX_RATIO, (int)(PC_GZIP_RATIO_FREE >> 20));
	return 0;
}

/* Produce decompressed bytes from the file, bypassing the peek buffer. */
static int read_source(pc_input *in, unsigned char *dst, size_t cap, size_t *got)
{
	int rc;

	*got = 0;
	while (!in->done && *got == 0) {
		rc = fill_raw(in);
		if (rc)
			return rc;
		if (!in->gzip) {
			size_t n = in->raw_len - in->raw_pos;
			if (n == 0) {
				in->done = 1;
				break;
			}
			if (n > cap)
				n = cap;
			memcpy(dst, in->raw + in->raw_pos, n);
			in->raw_pos += n;
			*got = n;
			break;
		}
		if (in->member_done) {
			/* another member may follow; anything else is garbage */
			if (in->raw_pos == in->raw_len && in->eof_raw) {
				in->done = 1;
				break;
			}
			if (in->raw_pos == in->raw_len)
				continue;
			if (in->raw[in->raw_pos] != 0x1f)
				return input_fail(in, PC_EINPUT,
						  "trailing garbage after the gzip data at byte %llu",
						  (unsigned long long)(in->bytes_in -
								       (in->raw_len - in->raw_pos)));
			in->member_done = 0;
			rc = inflate_begin(in);
			if (rc)
				return rc;
		}
		rc = inflate_step(in, dst, cap, got);
		if (rc)
			return rc;
		/* out of input: the inflater may still hold output from the last call; only when
		 * it gives none and the member has not ended is the stream cut short */
		if (*got == 0 && !in->member_done && in->raw_pos == in->raw_len && in->eof_raw) {
			in->truncated = 1;
			in->done = 1;
			break;
		}
		in->bytes_out += *got;
		rc = guard_ratio(in);
		if (rc)
			return rc;
		if (*got == 0 && !in->member_done && in->raw_pos < in->raw_len)
			return input_fail(in, PC_EINPUT, "corrupt gzip data: inflate made no progress");
	}
	if (*got && !in->gzip)
		in->bytes_out += *got;
	if (*got && !in->hash_by_reader)
		hash_update(in, dst, *got);
	return 0;
}

int pc_input_read(pc_input *in, void *dst, size_t cap, size_t *got)
{
	size_t n;

	if (in->peek_pos < in->peek_len) {
		n = in->peek_len - in->peek_pos;
		if (n > cap)
			n = cap;
		memcpy(dst, in->peek + in->peek_pos, n);
		in->peek_pos += n;
		*got = n;
		return 0;
	}
	return read_source(in, dst, cap, got);
}

int pc_input_peek(pc_input *in, size_t want, const char **data, size_t *len)
{
	int rc;

	if (in->peek_pos != 0 && in->peek_pos < in->peek_len) {
		memmove(in->peek, in->peek + in->peek_pos, in->peek_len - in->peek_pos);
		in->peek_len -= in->peek_pos;
		in->peek_pos = 0;
	} else if (in->peek_pos >= in->peek_len) {
		in->peek_pos = in->peek_len = 0;
	}
	if (in->peek_cap < want) {
		char *p = realloc(in->peek, want);
		if (!p)
			return pc_error_set(PC_ENOMEM, "out of memory");
		in->peek = p;
		in->peek_cap = want;
	}
	while (in->peek_len < want) {
		size_t got;
		rc = read_source(in, (unsigned char *)in->peek + in->peek_len, want - in->peek_len, &got);
		if (rc)
			return rc;
		if (got == 0)
			break;
		in->peek_len += got;
	}
	*data = in->peek;
	*len = in->peek_len;
	return 0;
}

/* The read-ahead thread: fills free blocks in order until the data ends, an error, or stop. */
static void *ahead_main(void *arg)
{
	pc_input *in = arg;
	ahead *ah = in->ah;
	size_t idx, len, got;
	int rc = 0;

	for (;;) {
		pthread_mutex_lock(&ah->mu);
		while (ah->ready == AHEAD_BLOCKS && !ah->stop)
			pthread_cond_wait(&ah->emptied, &ah->mu);
		if (ah->stop) {
			pthread_mutex_unlock(&ah->mu);
			break;
		}
		idx = ah->head;
		pthread_mutex_unlock(&ah->mu);
		/* the block is neither handed out nor filled by anyone else: no lock needed */
		for (len = 0; len < AHEAD_SIZE; len += got) {
			if ((rc = read_source(in, ah->buf[idx] + len, AHEAD_SIZE - len, &got)) || !got)
				break;
		}
		pthread_mutex_lock(&ah->mu);
		if (len) {
			ah->len[idx] = len;
			ah->in_at[idx] = in->bytes_in - (in->raw_len - in->raw_pos);
			ah->head = (idx + 1) % AHEAD_BLOCKS;
			ah->ready++;
		}
		if (rc || !len) {
			ah->end = 1;
			ah->rc = rc;
		}
		pthread_cond_signal(&ah->filled);
		pthread_mutex_unlock(&ah->mu);
		if (rc || !len)
			break;
	}
	return NULL;
}

static void ahead_join(pc_input *in)
{
	if (in->ah->started && !in->ah->joined) {
		pthread_join(in->ah->thread, NULL);
		in->ah->joined = 1;
	}
}

static void ahead_stop(pc_input *in)
{
	ahead *ah = in->ah;
	size_t i;

	if (!ah)
		return;
	if (ah->started && !ah->joined) {
		pthread_mutex_lock(&ah->mu);
		ah->stop = 1;
		pthread_cond_signal(&ah->emptied);
		pthread_mutex_unlock(&ah->mu);
		ahead_join(in);
	}
	if (ah->started) {
		pthread_mutex_destroy(&ah->mu);
		pthread_cond_destroy(&ah->filled);
		pthread_cond_destroy(&ah->emptied);
	}
	for (i = 0; i < AHEAD_BLOCKS; i++)
		free(ah->buf[i]);
	free(ah);
	in->ah = NULL;
}

static int ahead_start(pc_input *in)
{
	ahead *ah = calloc(1, sizeof(*ah));
	size_t i;

	if (!ah)
		return pc_error_set(PC_ENOMEM, "out of memory");
	in->ah = ah;
	for (i = 0; i < AHEAD_BLOCKS; i++)
		if (!(ah->buf[i] = malloc(AHEAD_SIZE)))
			return pc_error_set(PC_ENOMEM, "out of memory");
	if (pthread_mutex_init(&ah->mu, NULL))
		return pc_error_set(PC_ENOMEM, "cannot create a lock");
	if (pthread_cond_init(&ah->filled, NULL)) {
		pthread_mutex_destroy(&ah->mu);
		return pc_error_set(PC_ENOMEM, "cannot create a condition variable");
	}
	if (pthread_cond_init(&ah->emptied, NULL)) {
		pthread_cond_destroy(&ah->filled);
		pthread_mutex_destroy(&ah->mu);
		return pc_error_set(PC_ENOMEM, "cannot create a condition variable");
	}
	in->seen_in = pc_input_bytes_read(in);
	in->err_deferred = 1;
	in->hash_by_reader = AHEAD_HASH_BY_READER;
	if (pthread_create(&ah->thread, NULL, ahead_main, in)) {
		/* no thread: read the blocks on this one */
		in->err_deferred = 0;
		in->hash_by_reader = 0;
		pthread_cond_destroy(&ah->emptied);
		pthread_cond_destroy(&ah->filled);
		pthread_mutex_destroy(&ah->mu);
		for (i = 0; i < AHEAD_BLOCKS; i++)
			free(ah->buf[i]);
		free(ah);
		in->ah = NULL;
		return 0;
	}
	ah->started = 1;
	return 0;
}

static int ahead_next(pc_input *in, const char **data, size_t *len)
{
	ahead *ah = in->ah;
	int rc = 0;

	pthread_mutex_lock(&ah->mu);
	if (ah->held) {
		ah->held = 0;
		ah->tail = (ah->tail + 1) % AHEAD_BLOCKS;
		ah->ready--;
		pthread_cond_signal(&ah->emptied);
	}
	while (!ah->ready && !ah->end)
		pthread_cond_wait(&ah->filled, &ah->mu);
	if (ah->ready) {
		ah->held = 1;
		*data = (const char *)ah->buf[ah->tail];
		*len = ah->len[ah->tail];
		in->seen_in = ah->in_at[ah->tail];
	} else {
		rc = ah->rc;
	}
	pthread_mutex_unlock(&ah->mu);
	if (ah->held && in->hash_by_reader)
		hash_update(in, *data, *len);
	if (!ah->held) {
		/* the thread has ended: its state is this thread's again */
		ahead_join(in);
		in->err_deferred = 0;
		if (rc)
			pc_error_set(rc, "%s", in->err);
	}
	return rc;
}

int pc_input_next_block(pc_input *in, const char **data, size_t *len)
{
	int rc;

	*data = NULL;
	*len = 0;
	if (!in->ah && !in->block && in->size >= 0 && (rc = ahead_start(in)))
		return rc;
	if (in->peek_pos < in->peek_len) {
		*data = in->peek + in->peek_pos;
		*len = in->peek_len - in->peek_pos;
		in->peek_pos = in->peek_len;
		return 0;
	}
	if (in->ah)
		return ahead_next(in, data, len);
	if (!in->block && !(in->block = malloc(AHEAD_SIZE)))
		return pc_error_set(PC_ENOMEM, "out of memory");
	if ((rc = read_source(in, in->block, AHEAD_SIZE, len)))
		return rc;
	*data = (const char *)in->block;
	return 0;
}

int pc_input_is_gzip(const pc_input *in)
{
	return in->gzip;
}

int pc_input_truncated(const pc_input *in)
{
	return in->truncated;
}

uint64_t pc_input_bytes_read(const pc_input *in)
{
	if (in->ah && !in->ah->joined)
		return in->seen_in;
	return in->bytes_in - (in->raw_len - in->raw_pos);
}

uint64_t pc_input_bytes_out(const pc_input *in)
{
	return in->bytes_out;
}

int64_t pc_input_file_size(const pc_input *in)
{
	return in->size;
}

const char *pc_input_name(const pc_input *in)
{
	return in->name;
}

void pc_input_hash(const pc_input *in, char out[33])
{
	XXH128_hash_t h = XXH3_128bits_digest(in->hash);
	XXH128_canonical_t c;
	static const char hex[] = "0123456789abcdef";
	int i;

	XXH128_canonicalFromHash(&c, h);
	for (i = 0; i < 16; i++) {
		out[2 * i] = hex[c.digest[i] >> 4];
		out[2 * i + 1] = hex[c.digest[i] & 15];
	}
	out[32] = '\0';
}
