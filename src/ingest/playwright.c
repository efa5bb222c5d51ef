/* Playwright JSON reports (placeholder until the parser lands). */
#include "ingest/ingest_internal.h"
#include "perfcmp/error.h"

int pc_playwright_detect(const cJSON *root)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "config")) &&
	       cJSON_HasObjectItem(root, "suites");
}

int pc_playwright_parse(pc_run *run, const cJSON *root)
{
	(void)run;
	(void)root;
	return pc_error_set(PC_EINPUT, "Playwright reports are not supported yet");
}
