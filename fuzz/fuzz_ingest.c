/* libFuzzer: the real ingest entry point (format detection, gzip, every parser) on a file. */
#include "fuzz.h"

#include "perfcmp/error.h"
#include "perfcmp/ingest.h"
#include "perfcmp/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfd(data, size, path);
	/* small limits so the limit paths are reachable from small inputs */
	pc_ingest_opts opts = {.max_line = 4096, .max_size = 1 << 20, .max_tag_values = 8};
	pc_run *run = NULL;
	int rc = pc_ingest_file(&run, path, size & 1 ? &opts : NULL);

	if (rc == 0 && !run)
		abort();
	if (rc != 0 && (run || (rc != PC_EINPUT && rc != PC_ENOMEM && rc != PC_EUSAGE)))
		abort();
	if (rc != 0 && !pc_error_msg()[0])
		abort(); /* every failure says what is wrong */
	pc_run_free(run);
	close(fd);
	return 0;
}
