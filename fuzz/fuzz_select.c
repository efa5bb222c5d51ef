/* libFuzzer: run selectors (id, latest~N, sha:, branch:, label:) and windows against an
 * in-memory database holding a few runs. The input is "selector\0profile\0config". */
#include "fuzz.h"

#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/run.h"
#include "perfcmp/store.h"
#include "perfcmp/strutil.h"

static pc_store *st;

static void add_run(int i, const char *sha, const char *branch, const char *label)
{
	pc_run *run = pc_run_new(i % 2 ? PC_SRC_K6_SUMMARY : PC_SRC_PLAYWRIGHT);
	int existing = 0;

	if (!run)
		abort();
	run->started_at = (int64_t)(i % 3) * 1000000000;
	run->git_sha = pc_strdup(sha);
	run->git_branch = pc_strdup(branch);
	run->profile = pc_strdup(i % 2 ? "dev" : "prod");
	run->file = pc_strdup("f.json");
	snprintf(run->content_hash, sizeof(run->content_hash), "%032d", i);
	if (label && pc_run_add_label(run, label))
		abort();
	if (pc_store_insert(st, run, &existing))
		abort();
	pc_run_free(run);
}

static void setup(void)
{
	if (pc_store_open(&st, ":memory:", PC_STORE_CREATE)) {
		fprintf(stderr, "fuzz_select: %s\n", pc_error_msg());
		abort();
	}
	add_run(1, "3f2a9c1aa", "main", "release");
	add_run(2, "3f2b000bb", "main", NULL);
	add_run(3, "", "feature/x'; DROP TABLE runs;--", "a%b_c");
	add_run(4, "deadbeef", "", "release");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *sel, *prof, *conf;
	pc_run_filter f = {0};
	int64_t id = 0, *ids = NULL;
	size_t got = 0;
	int rc;

	if (!st)
		setup();
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	sel = buf;
	prof = sel + strlen(sel) + 1;
	conf = prof < buf + size ? prof + strlen(prof) + 1 : prof;
	f.profile = prof < buf + size && *prof ? prof : NULL;
	f.config = conf < buf + size && *conf ? conf : NULL;
	rc = pc_store_select(st, sel, &f, &id);
	if (rc == 0 && (id < 1 || id > 4))
		abort();
	if (rc && rc != PC_EUSAGE && rc != PC_ENOTFOUND)
		abort();
	if (pc_store_window(st, &f, rc == 0 ? id : 0, size % 7, &ids, &got) || got > size % 7)
		abort();
	free(ids);
	free(buf);
	return 0;
}
