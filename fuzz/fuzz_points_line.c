/* libFuzzer, differential: one k6 points line through the single-pass scanner and through
 * cJSON. Whenever the scanner takes a line (a point, or a non-finite value), cJSON must read the
 * same metric, tags, time and value, bit for bit. Several lines: each is checked on its own. */
#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "ingest/k6_points.h"

static void check_line(const char *p, size_t n)
{
	k6_line_probe fast, slow;

	if (pc_k6_points_probe_line(&fast, p, n, 1))
		return;
	if (pc_k6_points_probe_line(&slow, p, n, 0)) {
		pc_k6_points_probe_release(&fast);
		return;
	}
	if (fast.result != K6_PROBE_DECLINED) {
		if (fast.result != slow.result) {
			fprintf(stderr, "scanner says %d, cJSON says %d: %.*s\n", fast.result, slow.result,
				(int)n, p);
			abort();
		}
		if (fast.result == K6_PROBE_POINT &&
		    (!fast.metric || !slow.metric || strcmp(fast.metric, slow.metric) ||
		     strcmp(fast.tags, slow.tags) || fast.t != slow.t ||
		     memcmp(&fast.v, &slow.v, sizeof(double)) != 0)) {
			fprintf(stderr, "scanner and cJSON disagree: %s %s %lld %.17g vs %s %s %lld %.17g\n",
				fast.metric, fast.tags, (long long)fast.t, fast.v, slow.metric, slow.tags,
				(long long)slow.t, slow.v);
			abort();
		}
	}
	pc_k6_points_probe_release(&fast);
	pc_k6_points_probe_release(&slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *e = p + size, *nl;

	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		check_line(p, (size_t)((nl ? nl : e) - p));
		p = nl ? nl + 1 : e;
	}
	return 0;
}
