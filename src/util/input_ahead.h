/* Block reading of a pc_input for the big streams (k6 points): the decompressed bytes in blocks
 * the reader does not copy, inflated and hashed ahead by a second thread while the caller
 * parses the previous block. Private to perfcmp's ingest code. */
#ifndef PERFCMP_UTIL_INPUT_AHEAD_H
#define PERFCMP_UTIL_INPUT_AHEAD_H

#include <stddef.h>

#include "perfcmp/input.h"

/* Point *data at the next block of decompressed bytes (peeked bytes first) and set *len; *len
 * = 0 at the end of the data. The block stays valid until the next call or pc_input_free.
 * The first call on a regular file starts the read-ahead thread, which inflates and hashes the
 * following blocks while the caller works; pc_input_free stops it. Once called, read the rest
 * of the input only with this function. Errors as pc_input_read's, reported at the block where
 * they occurred. */
int pc_input_next_block(pc_input *in, const char **data, size_t *len);

#endif
