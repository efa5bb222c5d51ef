/* Shared by the libFuzzer targets in fuzz/: the entry point's prototype and a memfd that turns
 * the fuzzer's bytes into a path the real file-reading code can open. */
#ifndef PERFCMP_FUZZ_H
#define PERFCMP_FUZZ_H

#define _GNU_SOURCE 1
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data to a fresh memfd and put "/proc/self/fd/N" in path; returns the fd (close it). */
static inline int fuzz_memfd(const uint8_t *data, size_t size, char path[64])
{
	int fd = memfd_create("perfcmp-fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		abort();
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
