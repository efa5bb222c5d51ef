/* util: bounded buffers, RFC 3339 times, JSON strings, tag sets, the hash map. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/map.h"
#include "perfcmp/proc.h"
#include "perfcmp/run.h"
#include "perfcmp/strutil.h"

Test(util, buf_ceiling)
{
	pc_buf b;

	pc_buf_init(&b, 8);
	cr_assert_eq(pc_buf_puts(&b, "12345678"), 0);
	cr_assert_eq(pc_buf_putc(&b, 'x'), PC_EINPUT, "past the ceiling is bad input, not OOM");
	cr_assert_str_eq(b.ptr, "12345678");
	pc_buf_release(&b);
}

Test(util, rfc3339)
{
	int64_t ns;
	char out[32];

	cr_assert_eq(pc_time_parse("2026-12-04T19:16:17.853166559Z", 30, &ns), 0);
	cr_assert_eq(ns, 1796411777853166559LL); /* date -d @1796411777 = 2026-12-04 19:16:17 UTC */
	cr_assert_eq(pc_time_parse("2026-12-04T16:16:17.853166559-03:00", 35, &ns), 0);
	cr_assert_eq(ns, 1796411777853166559LL);
	cr_assert_eq(pc_time_parse("2026-12-04T19:16:18Z", 20, &ns), 0);
	cr_assert_eq(ns, 1796411778000000000LL);
	cr_assert_eq(pc_time_parse("2026-12-05T00:46:17.8+05:30", 27, &ns), 0);
	cr_assert_eq(ns, 1796411777800000000LL);
	pc_time_format(1796411777853166559LL, out);
	cr_assert_str_eq(out, "2026-12-04T19:16:17.853Z");
	cr_assert_neq(pc_time_parse("2026-12-04 nope", 15, &ns), 0);
	cr_assert_neq(pc_time_parse("2026-13-04T19:16:18Z", 20, &ns), 0);
	cr_assert_neq(pc_time_parse("2026-12-04T19:16:18", 19, &ns), 0, "a zone is required");
	/* fuzz_ingest: year 9941 overflowed int64 nanoseconds (UBSan), as did Go's zero time */
	cr_assert_eq(pc_time_parse("9941-08-22T01:13:59Z", 20, &ns), PC_EINPUT);
	cr_assert_eq(pc_time_parse("0001-01-01T00:00:00Z", 20, &ns), PC_EINPUT);
	cr_assert_eq(pc_time_parse("2100-12-31T23:59:59-23:59", 25, &ns), 0);
	cr_assert_eq(pc_time_parse("1900-01-01T00:00:00+23:59", 25, &ns), 0);
}

Test(util, json_strings_escape_controls_and_bad_utf8)
{
	const char *s = "a\"b\\c\n\x1b[31m\xff\xe6\x9d\xb1";
	pc_buf b = PC_BUF_INIT;

	cr_assert_eq(pc_json_str(&b, s, strlen(s)), 0);
	cr_assert_str_eq(b.ptr, "\"a\\\"b\\\\c\\n\\u001b[31m\\ufffd\xe6\x9d\xb1\"");
	pc_buf_release(&b);
}

static int collect(void *ctx, const char *k, const char *v)
{
	pc_buf *b = ctx;
	return pc_buf_printf(b, "%s=%s;", k, v);
}

Test(util, tag_sets_canonical_and_round_trip)
{
	const char *keys[] = {"status", "name", "name"};
	const char *vals[] = {"200", "first", "it's \"quoted\"\n"};
	char *t = pc_tags_canon(keys, vals, 3);
	pc_buf b = PC_BUF_INIT;

	cr_assert_str_eq(t, "{\"name\":\"it's \\\"quoted\\\"\\n\",\"status\":\"200\"}");
	cr_assert_eq(pc_tags_each(t, collect, &b), 0);
	cr_assert_str_eq(b.ptr, "name=it's \"quoted\"\n;status=200;");
	free(t);
	pc_buf_release(&b);
	cr_assert_neq(pc_tags_each("{\"a\":1}", collect, &b), 0);
	pc_buf_release(&b);
}

Test(util, map_grows_and_finds)
{
	pc_map *m = pc_map_new();
	char key[32];
	int vals[5000];

	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		vals[i] = i;
		cr_assert_eq(pc_map_put(m, key, strlen(key), &vals[i]), 0);
	}
	cr_assert_eq(pc_map_count(m), 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		cr_assert_eq(*(int *)pc_map_get(m, key, strlen(key)), i);
	}
	cr_assert_null(pc_map_get(m, "k5000", 5));
	pc_map_free(m);
}

Test(util, numbers_shortest_without_needless_exponents)
{
	static const struct { double v; const char *s; } cases[] = {
		{200, "200"}, {0.5, "0.5"}, {1e-5, "1e-05"}, {123456789012, "123456789012"},
		{68.44619399999999, "68.44619399999999"}, {2.972131710719454e-06, "2.972131710719454e-06"},
		{-0.0, "-0"}, {1e300, "1e+300"},
	};
	char out[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		pc_fmt_double(out, cases[i].v);
		cr_assert_str_eq(out, cases[i].s);
	}
}

Test(util, subprocess_output_past_the_ceiling_is_an_error)
{
	const char *big[] = {"head", "-c", "100000", "/dev/zero", NULL};
	const char *small[] = {"printf", "abc", NULL};
	pc_buf out;
	int status = -1;

	pc_buf_init(&out, 1000);
	cr_assert_eq(pc_proc_run(big, NULL, 0, &out, NULL, 5000, &status), PC_EENV,
		     "a cut output must not pass for a whole one");
	cr_assert(strstr(pc_error_msg(), "more than 1000 bytes"), "%s", pc_error_msg());
	pc_buf_release(&out);
	pc_buf_init(&out, 1000);
	cr_assert_eq(pc_proc_run(small, NULL, 0, &out, NULL, 5000, &status), 0);
	cr_assert_eq(status, 0);
	cr_assert_str_eq(out.ptr, "abc");
	pc_buf_release(&out);
}
