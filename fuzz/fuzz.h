/* Shared by the libFuzzer targets in fuzz/: the entry point's prototype and a memfd that turns
 * the fuzzer's bytes into a path the real file-reading code can open; one document through a
 * document parser. */
#ifndef PERFCMP_FUZZ_H
#define PERFCMP_FUZZ_H

#define _GNU_SOURCE 1
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest/ingest_internal.h"
#include "perfcmp/error.h"

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

/* One JSON document through a document parser, k6 summary or Playwright (when cJSON accepts
 * it): detect, parse into a fresh run, sort. Any error other than bad input or no memory is a
 * bug. */
static inline void fuzz_document(const uint8_t *data, size_t size, pc_source source)
{
	cJSON *root = cJSON_ParseWithLength((const char *)data, size);
	pc_run *run;
	int rc;

	if (!root)
		return;
	if ((run = pc_run_new(source))) {
		if (source == PC_SRC_PLAYWRIGHT) {
			pc_playwright_detect(root);
			rc = pc_playwright_parse(run, root);
		} else {
			pc_k6_summary_detect(root);
			rc = pc_k6_summary_parse(run, root);
		}
		if (rc && rc != PC_EINPUT && rc != PC_ENOMEM)
			abort();
		if (rc == 0)
			pc_run_sort_series(run);
		pc_run_free(run);
	}
	cJSON_Delete(root);
}

#endif
