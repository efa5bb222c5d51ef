/* libFuzzer: the k6 summary parsers (--summary-export, handleSummary, machine-readable) on any
 * JSON document cJSON accepts. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(data, size, PC_SRC_K6_SUMMARY);
	return 0;
}
