/* libFuzzer: the comparison profile loader on a file. */
#include "fuzz.h"

#include "perfcmp/compare.h"
#include "perfcmp/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfd(data, size, path);
	pc_profile *p = NULL;
	int rc = pc_profile_load(&p, path);

	if ((rc == 0) != (p != NULL))
		abort();
	if (rc && rc != PC_EINPUT && rc != PC_ENOMEM && rc != PC_EUSAGE)
		abort();
	pc_profile_free(p);
	close(fd);
	return 0;
}
