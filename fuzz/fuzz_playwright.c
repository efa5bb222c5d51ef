/* libFuzzer: the Playwright JSON report parser on any JSON document cJSON accepts. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(data, size, PC_SRC_PLAYWRIGHT, pc_playwright_detect, pc_playwright_parse);
	return 0;
}
