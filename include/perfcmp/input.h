/* pc_input: reads a results file (or stdin for "-"), plain or gzip (detected by the magic bytes,
 * never the name), and hashes the decompressed content with XXH3-128 as it goes, so a file and
 * its gzip have the same content hash. Concatenated gzip members are read as one stream. */
#ifndef PERFCMP_INPUT_H
#define PERFCMP_INPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct pc_input pc_input;

/* Bomb guard: past this much output, gzip output may be at most PC_GZIP_MAX_RATIO × its input. */
#define PC_GZIP_RATIO_FREE ((uint64_t)64 << 20)
#define PC_GZIP_MAX_RATIO 1000

/* Open `path` ("-" = standard input). Returns 0, PC_EINPUT (cannot open or read) or PC_ENOMEM. */
int pc_input_open(pc_input **out, const char *path);
void pc_input_free(pc_input *in);

/* Read up to `cap` decompressed bytes into `dst`; *got = 0 at the end of the data.
 * A gzip stream that ends early (no trailer, cut member) is not an error here: reading stops
 * and pc_input_truncated() says so, for the caller to decide. Corrupt data, trailing garbage and
 * the bomb guard are PC_EINPUT. */
int pc_input_read(pc_input *in, void *dst, size_t cap, size_t *got);

/* Look at the first bytes without consuming them: fills up to `want` bytes (fewer at the end of
 * the data) and points *data at them; later reads return them first. */
int pc_input_peek(pc_input *in, size_t want, const char **data, size_t *len);

int pc_input_is_gzip(const pc_input *in);
int pc_input_truncated(const pc_input *in);  /* the gzip stream ended without its trailer */
uint64_t pc_input_bytes_read(const pc_input *in); /* compressed bytes consumed from the file */
uint64_t pc_input_bytes_out(const pc_input *in);  /* decompressed bytes produced */
int64_t pc_input_file_size(const pc_input *in);    /* -1 when unknown (a pipe) */
const char *pc_input_name(const pc_input *in);     /* the path as given */

/* The XXH3-128 of all decompressed content, as 32 lowercase hex digits plus NUL. Meaningful once
 * reading has reached the end. */
void pc_input_hash(const pc_input *in, char out[33]);

#endif
