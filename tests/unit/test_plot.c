/* plot: the gnuplot string escaper (checked by gnuplot itself where it matters), shortening,
 * chart kinds, and a script built from values. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perfcmp/buf.h"
#include "perfcmp/error.h"
#include "perfcmp/plot.h"

static char *esc(const char *s)
{
	pc_buf b = PC_BUF_INIT;

	cr_assert_eq(pc_esc_gnuplot(&b, s), 0);
	return pc_buf_detach(&b);
}

#define ESC_EQ(in, want)                                   \
	do {                                               \
		char *got_ = esc(in);                      \
		cr_assert_str_eq(got_, want, "for %s", in); \
		free(got_);                                \
	} while (0)

Test(plot, esc_plain_and_quotes)
{
	ESC_EQ("items-list", "'items-list'");
	ESC_EQ("", "''");
	ESC_EQ("it's", "'it''s'");
	ESC_EQ("''", "''''''");
}

Test(plot, esc_leaves_gnuplot_syntax_inert)
{
	/* inside single quotes gnuplot does no backslash, backtick or @macro processing */
	ESC_EQ("\"; system(\"touch pwned\"); \"", "'\"; system(\"touch pwned\"); \"'");
	ESC_EQ("`touch pwned`", "'`touch pwned`'");
	ESC_EQ("@macro \\n ^{x}_y &", "'@macro \\n ^{x}_y &'");
}

Test(plot, esc_newlines_and_controls_become_spaces)
{
	/* a newline would end the command inside the string */
	ESC_EQ("a\nb\r\tc", "'a b  c'");
	ESC_EQ("x\x01y\x7fz", "'x y z'");
	ESC_EQ("c1\xc2\x85-", "'c1 -'");
}

Test(plot, esc_utf8_kept_invalid_replaced)
{
	ESC_EQ("catalog \xe2\x80\xba detail", "'catalog \xe2\x80\xba detail'");
	ESC_EQ("bad\xff\xc0\x80!", "'bad\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd!'");
	ESC_EQ("cut\xe2\x80", "'cut\xef\xbf\xbd\xef\xbf\xbd'");
	ESC_EQ("\xed\xa0\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'"); /* a surrogate */
}

Test(plot, shorten_counts_characters)
{
	pc_buf b = PC_BUF_INIT;

	cr_assert_eq(pc_plot_shorten(&b, "abcdef", 6), 0);
	cr_assert_str_eq(b.ptr, "abcdef");
	pc_buf_reset(&b);
	cr_assert_eq(pc_plot_shorten(&b, "abcdefg", 6), 0);
	cr_assert_str_eq(b.ptr, "abcde\xe2\x80\xa6");
	pc_buf_reset(&b);
	cr_assert_eq(pc_plot_shorten(&b, "\xe2\x80\xba\xe2\x80\xba\xe2\x80\xba", 2), 0);
	cr_assert_str_eq(b.ptr, "\xe2\x80\xba\xe2\x80\xa6", "never cuts inside a character");
	pc_buf_release(&b);
}

Test(plot, kinds)
{
	pc_plot_kind k;

	cr_assert_eq(pc_plot_kind_parse("cdf", &k), 0);
	cr_assert_eq(k, PC_PLOT_CDF);
	cr_assert_str_eq(pc_plot_kind_name(PC_PLOT_TESTS), "tests");
	cr_assert_eq(pc_plot_kind_parse("pie", &k), PC_EUSAGE);
	cr_assert_eq(pc_plot_kind_parse("Trend", &k), PC_EUSAGE, "names match exactly");
}

Test(plot, trend_script_escapes_ticks_and_is_deterministic)
{
	pc_trend_point pts[2];
	pc_plot_opts o = {0};
	pc_buf a = PC_BUF_INIT, b = PC_BUF_INIT;

	memset(pts, 0, sizeof(pts));
	for (int i = 0; i < 2; i++) {
		pts[i].run_id = i + 1;
		pts[i].present = 1;
		pts[i].p50 = 10 + i;
		pts[i].p95 = 20 + i;
		pts[i].p99 = NAN;
		pts[i].lo = pts[i].hi = NAN;
	}
	snprintf(pts[0].tick, sizeof(pts[0].tick), "#1 it's\n`x`");
	snprintf(pts[1].tick, sizeof(pts[1].tick), "#2");
	pts[1].regression = PC_TREND_P50;
	o.title = "t'itle";
	cr_assert_eq(pc_plot_trend(&a, pts, 2, "http_req_duration", "{}", "ms", "load/dev", &o), 0);
	cr_assert_eq(pc_plot_trend(&b, pts, 2, "http_req_duration", "{}", "ms", "load/dev", &o), 0);
	cr_assert_str_eq(a.ptr, b.ptr);
	cr_assert_not_null(strstr(a.ptr, "set title 't''itle'\n"));
	cr_assert_not_null(strstr(a.ptr, "'#1 it''s `x`' 0"));
	cr_assert_not_null(strstr(a.ptr, "noenhanced"));
	cr_assert_not_null(strstr(a.ptr, "regression against the run before"));
	cr_assert_not_null(strstr(a.ptr, "0 10 20 ? ? ? ? ? ?\n"), "NaN is written as missing");
	cr_assert_not_null(strstr(a.ptr, "1 11 21 ? ? ? 11 ? ?\n"), "the p50 mark sits on p50");
	pc_buf_release(&a);
	pc_buf_release(&b);
	pts[0].present = pts[1].present = 0;
	cr_assert_eq(pc_plot_trend(&a, pts, 2, "nope", "{}", "ms", "load/dev", &o), PC_ENOTFOUND);
}

/* The escaper against gnuplot itself: a hostile string becomes the title and runs nothing. */
Test(plot, gnuplot_runs_nothing_from_an_escaped_string)
{
	char dir[] = "/tmp/pc-plot-XXXXXX", cwd[4096];
	pc_buf script = PC_BUF_INIT, img = PC_BUF_INIT;
	int rc;

	if (access("/usr/bin/gnuplot", X_OK) != 0)
		cr_skip_test("gnuplot is not installed");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(dir), 0);
	pc_buf_puts(&script, "set terminal svg noenhanced\nset title ");
	pc_esc_gnuplot(&script, "\"; system(\"touch pwned\"); \" `touch pwned2` x'; system('touch pwned3'); '\n"
				"system('touch pwned4')");
	pc_buf_puts(&script, "\nplot x title ");
	pc_esc_gnuplot(&script, "@A `touch pwned5`");
	pc_buf_puts(&script, "\n");
	rc = pc_plot_render(&img, script.ptr, script.len, 20000);
	cr_assert_eq(rc, 0, "%s", pc_error_msg());
	cr_assert_eq(access("pwned", F_OK), -1);
	cr_assert_eq(access("pwned2", F_OK), -1);
	cr_assert_eq(access("pwned3", F_OK), -1);
	cr_assert_eq(access("pwned4", F_OK), -1);
	cr_assert_eq(access("pwned5", F_OK), -1);
	cr_assert_not_null(strstr(img.ptr, "system(&quot;touch pwned&quot;)") ?
			   strstr(img.ptr, "system(&quot;touch pwned&quot;)") : strstr(img.ptr, "system(\"touch pwned\")"));
	cr_assert_not_null(strstr(img.ptr, "`touch pwned5`"));
	cr_assert_eq(chdir(cwd), 0);
	rmdir(dir);
	pc_buf_release(&script);
	pc_buf_release(&img);
}

Test(plot, gnuplot_failure_is_env_with_its_stderr)
{
	pc_buf img = PC_BUF_INIT;
	const char *bad = "set terminal svg\nplot undefined_thing_xyz\n";

	if (access("/usr/bin/gnuplot", X_OK) != 0)
		cr_skip_test("gnuplot is not installed");
	cr_assert_eq(pc_plot_render(&img, bad, strlen(bad), 20000), PC_EENV);
	cr_assert_not_null(strstr(pc_error_msg(), "gnuplot failed"));
	cr_assert_not_null(strstr(pc_error_msg(), "undefined"), "%s", pc_error_msg());
	cr_assert_null(strchr(pc_error_msg(), '\n'), "one line");
	pc_buf_release(&img);
}
