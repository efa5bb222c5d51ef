/* report: the marker parser. Regions are rewritten, everything else is copied byte for byte,
 * and malformed markers are errors that name the line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/report.h"

struct seen {
	char names[8][128];
	size_t lines[8];
	int n;
	int stop; /* return this from the fill */
};

static int fill(void *ctx, const char *name, size_t line, pc_buf *content)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->lines[s->n] = line;
		snprintf(s->names[s->n++], 128, "%s", name);
	}
	if (s->stop)
		return s->stop;
	return pc_buf_printf(content, "[%s]", name);
}

static int run(const char *doc, pc_buf *out, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	pc_buf_reset(out);
	return pc_report_update(out, doc, strlen(doc), fill, s);
}

Test(report, regions_rewritten_outside_untouched)
{
	const char *doc = "# Title\r\n"
			  "text <!-- perfcmp:begin inline --> stays\n"
			  "<!-- perfcmp:begin compare load/dev_perf latest~1..latest -->\n"
			  "old content\n"
			  "more old\n"
			  "<!-- perfcmp:end compare load/dev_perf latest~1..latest -->\n"
			  "between\n"
			  "  <!--   perfcmp:begin   trend http_req_duration   -->  \n"
			  "<!-- perfcmp:end trend http_req_duration -->\n"
			  "tail without newline";
	pc_buf out = PC_BUF_INIT;
	struct seen s;

	cr_assert_eq(run(doc, &out, &s), 0, "%s", pc_error_msg());
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.names[0], "compare load/dev_perf latest~1..latest");
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(out.ptr, "# Title\r\n"
				  "text <!-- perfcmp:begin inline --> stays\n"
				  "<!-- perfcmp:begin compare load/dev_perf latest~1..latest -->\n"
				  "[compare load/dev_perf latest~1..latest]\n"
				  "<!-- perfcmp:end compare load/dev_perf latest~1..latest -->\n"
				  "between\n"
				  "  <!--   perfcmp:begin   trend http_req_duration   -->  \n"
				  "[trend http_req_duration]\n"
				  "<!-- perfcmp:end trend http_req_duration -->\n"
				  "tail without newline");
	cr_assert_not_null(strstr(out.ptr, "-->  \n[trend http_req_duration]\n<!-- perfcmp:end"));
	pc_buf_release(&out);
}

Test(report, idempotent)
{
	const char *doc = "a\n<!-- perfcmp:begin runs -->\n<!-- perfcmp:end runs -->\nb\n";
	pc_buf one = PC_BUF_INIT, two = PC_BUF_INIT;
	struct seen s;

	cr_assert_eq(run(doc, &one, &s), 0);
	cr_assert_eq(run(one.ptr, &two, &s), 0);
	cr_assert_str_eq(one.ptr, two.ptr);
	cr_assert_str_eq(one.ptr, "a\n<!-- perfcmp:begin runs -->\n[runs]\n<!-- perfcmp:end runs -->\nb\n");
	pc_buf_release(&one);
	pc_buf_release(&two);
}

Test(report, markers_in_code_fences_are_text)
{
	const char *doc = "```\n<!-- perfcmp:begin runs -->\n```\n~~~md\n<!-- perfcmp:end x -->\n~~~\n";
	pc_buf out = PC_BUF_INIT;
	struct seen s;

	cr_assert_eq(run(doc, &out, &s), 0, "%s", pc_error_msg());
	cr_assert_eq(s.n, 0);
	cr_assert_str_eq(out.ptr, doc);
	pc_buf_release(&out);
}

/* CommonMark: a ```` fence holds ``` lines; a line with an info string never closes a fence. */
Test(report, longer_fences_hold_shorter_ones)
{
	const char *doc = "````md\n```\n<!-- perfcmp:begin runs -->\n```js\n````\n"
			  "```\n```not a close\n<!-- perfcmp:end runs -->\n```\n";
	pc_buf out = PC_BUF_INIT;
	struct seen s;

	cr_assert_eq(run(doc, &out, &s), 0, "%s", pc_error_msg());
	cr_assert_eq(s.n, 0, "a marker inside a fence was taken for a region");
	cr_assert_str_eq(out.ptr, doc);
	pc_buf_release(&out);
}

#define EXPECT_ERROR(doc, text)                                                      \
	do {                                                                         \
		pc_buf o_ = PC_BUF_INIT;                                             \
		struct seen s_;                                                      \
		cr_assert_eq(run(doc, &o_, &s_), PC_EINPUT);                         \
		cr_assert_not_null(strstr(pc_error_msg(), text), "%s", pc_error_msg()); \
		pc_buf_release(&o_);                                                 \
	} while (0)

Test(report, malformed_markers_name_the_line)
{
	EXPECT_ERROR("x\n\n<!-- perfcmp:begin runs -->\nold\n", "line 3: begin marker 'runs' has no end marker");
	EXPECT_ERROR("<!-- perfcmp:end runs -->\n", "line 1: end marker 'runs' without a begin marker");
	EXPECT_ERROR("<!-- perfcmp:begin a -->\n<!-- perfcmp:begin b -->\n", "line 2: begin marker inside");
	EXPECT_ERROR("<!-- perfcmp:begin a -->\n<!-- perfcmp:end b -->\n", "line 2: end marker 'b' does not close 'a'");
	EXPECT_ERROR("<!-- perfcmp:begin -->\n", "line 1: a perfcmp marker without a NAME");
}

Test(report, fill_error_stops)
{
	const char *doc = "<!-- perfcmp:begin a -->\n<!-- perfcmp:end a -->\n<!-- perfcmp:begin b -->\n"
			  "<!-- perfcmp:end b -->\n";
	pc_buf out = PC_BUF_INIT;
	struct seen s;

	memset(&s, 0, sizeof(s));
	s.stop = 4;
	cr_assert_eq(pc_report_update(&out, doc, strlen(doc), fill, &s), 4);
	cr_assert_eq(s.n, 1, "stops at the first failing region");
	pc_buf_release(&out);
}

Test(report, fill_gets_the_begin_line)
{
	const char *doc = "# t\n<!-- perfcmp:begin a -->\nold\n<!-- perfcmp:end a -->\n"
			  "<!-- perfcmp:begin b -->\n<!-- perfcmp:end b -->\n";
	pc_buf out = PC_BUF_INIT;
	struct seen s;

	cr_assert_eq(run(doc, &out, &s), 0);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.lines[0], 2);
	cr_assert_eq(s.lines[1], 5);
	pc_buf_release(&out);
}

Test(report, words)
{
	char buf[64], *w[3];

	cr_assert_eq(pc_report_words("compare  load/dev_perf\tlatest~1..latest", buf, sizeof(buf), w, 3), 3);
	cr_assert_str_eq(w[0], "compare");
	cr_assert_str_eq(w[1], "load/dev_perf");
	cr_assert_str_eq(w[2], "latest~1..latest");
	cr_assert_eq(pc_report_words("a b c d", buf, sizeof(buf), w, 3), -1);
	cr_assert_eq(pc_report_words("$(touch x); `y`", buf, sizeof(buf), w, 3), 3, "words, never a shell");
	cr_assert_str_eq(w[0], "$(touch");
}
