/* XXH3-128's streaming update built for AVX2 (see hash_avx2.h): xxhash's inline build with the
 * AVX2 accumulator, in a file of its own so nothing else is compiled for AVX2. */
#include "util/hash_avx2.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC target("avx2")
#define XXH_INLINE_ALL
#define XXH_VECTOR 2 /* XXH_AVX2 */
#include <xxhash.h>

int pc_hash_avx2_built(void)
{
	return 1;
}

int pc_hash_avx2_update(void *state, const void *data, size_t len)
{
	return XXH3_128bits_update(state, data, len) == XXH_OK ? 0 : -1;
}
#else
int pc_hash_avx2_built(void)
{
	return 0;
}

int pc_hash_avx2_update(void *state, const void *data, size_t len)
{
	(void)state;
	(void)data;
	(void)len;
	return -1;
}
#endif
