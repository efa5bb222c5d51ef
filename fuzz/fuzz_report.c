/* libFuzzer: the report marker parser (report --update). With a fill that depends only on the
 * region's name, updating is idempotent: updating the output again gives the same bytes. Names
 * also go through pc_report_words. */
#include "fuzz.h"

#include <string.h>

#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/report.h"

static int fill(void *ctx, const char *name, size_t line, pc_buf *content)
{
	char buf[64], *words[4];
	int n = pc_report_words(name, buf, sizeof(buf), words, 4);

	(void)ctx;
	(void)line;
	if (n > 4)
		abort();
	return pc_buf_printf(content, "region [%s] %d words\n", name, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pc_buf a = PC_BUF_INIT, b = PC_BUF_INIT;
	int rc = pc_report_update(&a, (const char *)data, size, fill, NULL);

	if (rc == 0) {
		if (pc_report_update(&b, a.ptr ? a.ptr : "", a.len, fill, NULL) != 0)
			abort(); /* the output of an update must itself be a valid document */
		if (a.len != b.len || (a.len && memcmp(a.ptr, b.ptr, a.len) != 0))
			abort();
	} else if (rc != PC_EINPUT && rc != PC_ENOMEM) {
		abort();
	}
	pc_buf_release(&a);
	pc_buf_release(&b);
	return 0;
}
