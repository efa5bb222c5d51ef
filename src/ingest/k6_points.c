/* k6 --out json NDJSON stream (placeholder until the streaming reader lands). */
#include "ingest/ingest_internal.h"
#include "perfcmp/error.h"

int pc_k6_points_read(pc_run *run, pc_input *in, const pc_ingest_opts *opts)
{
	(void)run;
	(void)in;
	(void)opts;
	return pc_error_set(PC_EINPUT, "k6 points streams are not supported yet");
}
