/* libFuzzer: the k6 summary parsers (--summary-export, handleSummary, machine-readable) on any
 * JSON document cJSON accepts. */
#include "fuzz.h"

#include "ingest/ingest_internal.h"
#include "perfcmp/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *root = cJSON_ParseWithLength((const char *)data, size);
	pc_run *run;

	if (!root)
		return 0;
	pc_k6_summary_detect(root);
	if ((run = pc_run_new(PC_SRC_K6_SUMMARY))) {
		int rc = pc_k6_summary_parse(run, root);
		if (rc && rc != PC_EINPUT && rc != PC_ENOMEM)
			abort();
		if (rc == 0)
			pc_run_sort_series(run);
		pc_run_free(run);
	}
	cJSON_Delete(root);
	return 0;
}
