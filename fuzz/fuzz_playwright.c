/* libFuzzer: the Playwright JSON report parser on any JSON document cJSON accepts. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(data, size, PC_SRC_PLAYWRIGHT);
	return 0;
}
