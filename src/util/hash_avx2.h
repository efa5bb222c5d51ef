/* The XXH3-128 streaming update compiled for AVX2, twice as fast as the SSE2 build of
 * libxxhash on the gigabytes a k6 points stream inflates to. Private to input.c. */
#ifndef PERFCMP_UTIL_HASH_AVX2_H
#define PERFCMP_UTIL_HASH_AVX2_H

#include <stddef.h>

/* 1 when this build has the AVX2 variant (GCC on x86-64); the CPU must still be asked. */
int pc_hash_avx2_built(void);
/* XXH3_128bits_update() on an XXH3_state_t of the library's; same result. 0, or -1 when the
 * variant is not built. Only on a CPU with AVX2. */
int pc_hash_avx2_update(void *state, const void *data, size_t len);

#endif
