/* Chart scripts' common parts (the gnuplot string escaper, the preamble) and running gnuplot:
 * the one place perfcmp starts it, with an argv and the script on its stdin. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/proc.h"
#include "render/plot_internal.h"

static const char *const kind_names[] = {"trend", "compare", "cdf", "timeline", "tests"};

int pc_plot_kind_parse(const char *name, pc_plot_kind *out)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(*kind_names); i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (pc_plot_kind)i;
			return 0;
		}
	}
	return pc_error_set(PC_EUSAGE, "unknown chart kind '%s' (trend, compare, cdf, timeline, tests)",
			    name);
}

const char *pc_plot_kind_name(pc_plot_kind k)
{
	return (size_t)k < sizeof(kind_names) / sizeof(*kind_names) ? kind_names[k] : "?";
}

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n, i;
	unsigned cp;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2, cp = *p & 0x1fu;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3, cp = *p & 0x0fu;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4, cp = *p & 0x07u;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	/* overlong forms, surrogates and code points past U+10FFFF are not UTF-8 */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int pc_esc_gnuplot(pc_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = pc_buf_putc(out, '\'');

	while (*p && !rc) {
		size_t n = utf8_len(p);
		if (n == 0) {
			rc = pc_buf_puts(out, "\xef\xbf\xbd");
			p++;
		} else if (*p == '\'') {
			rc = pc_buf_puts(out, "''");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			rc = pc_buf_putc(out, ' ');
			p++;
		} else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			rc = pc_buf_putc(out, ' '); /* C1 controls are not allowed in XML either */
			p += 2;
		} else {
			rc = pc_buf_add(out, p, n);
			p += n;
		}
	}
	return rc ? rc : pc_buf_putc(out, '\'');
}

int pc_plot_shorten(pc_buf *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0, i = 0, cut = 0;

	while (p[i]) {
		size_t n = utf8_len(p + i);
		if (chars == max - 1 && max > 0)
			cut = i; /* where "…" goes when the text turns out longer than max */
		i += n ? n : 1;
		chars++;
	}
	if (chars <= max)
		return pc_buf_puts(out, s);
	return pc_buf_add(out, s, cut) || pc_buf_puts(out, "\xe2\x80\xa6") ? PC_ENOMEM : 0;
}

int pc_plot_finish(pc_buf *out, pc_buf *b, int rc)
{
	if (rc > 0)
		rc = PC_ENOMEM;
	if (!rc) {
		pc_buf_release(out);
		*out = *b;
		pc_buf_init(b, 0);
	} else {
		pc_buf_release(b);
	}
	return rc;
}

int pc_plot_num(pc_buf *b, double v)
{
	if (!isfinite(v))
		return pc_buf_putc(b, '?');
	return pc_buf_printf(b, "%.9g", v);
}

int pc_plot_esc_printf(pc_buf *b, const char *fmt, ...)
{
	pc_buf tmp = PC_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pc_buf_vprintf(&tmp, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = pc_esc_gnuplot(b, tmp.ptr ? tmp.ptr : "");
	pc_buf_release(&tmp);
	return rc;
}

int pc_plot_preamble(pc_buf *b, const pc_plot_opts *o, const char *title)
{
	int w = o->width > 0 ? o->width : PC_PLOT_WIDTH, h = o->height > 0 ? o->height : PC_PLOT_HEIGHT;
	int rc;

	/* Fixed fonts and sizes, no enhanced-text markup (^ _ { } @ & stay text), white background;
	 * the cairo PNG is drawn at the SVG's size with the same font. */
	if (o->format == PC_PLOT_PNG)
		rc = pc_buf_printf(b, "set terminal pngcairo size %d,%d noenhanced font 'DejaVu Sans,10' "
				      "background rgb 'white'\n", w, h);
	else
		rc = pc_buf_printf(b, "set terminal svg size %d,%d fixed noenhanced "
				      "font 'DejaVu Sans,12' background rgb 'white'\n", w, h);
	if (rc || (rc = pc_buf_puts(b, "set encoding utf8\n"
				       "set datafile missing '?'\n"
				       "set border 3 lc rgb '#444444'\n"
				       "set tics nomirror out\n"
				       "set grid lc rgb '#dddddd' lw 1 dt 1\n"
				       "set key noopaque box lc rgb '#bbbbbb'\n"
				       "set title ")) ||
	    (rc = pc_esc_gnuplot(b, title)) || (rc = pc_buf_putc(b, '\n')))
		return rc;
	return 0;
}

int pc_plot_render(pc_buf *out, const char *script, size_t len, int timeout_ms)
{
	/* -d: no ~/.gnuplot or system init file, so the output depends on the script alone */
	static const char *const argv[] = {"gnuplot", "-d", NULL};
	pc_buf err = PC_BUF_INIT;
	int rc, status = 0;

	pc_buf_init(&err, 64 * 1024);
	pc_buf_init(out, 64u << 20);
	rc = pc_proc_run(argv, script, len, out, &err, timeout_ms, &status);
	if (rc) {
		if (strstr(pc_error_msg(), "not found")) {
			pc_error_set(PC_EENV, "gnuplot not found; charts need it");
			pc_error_hint("sudo apt-get install gnuplot-nox");
		}
		goto done;
	}
	if (status != 0 || out->len == 0) {
		/* gnuplot's own words, on one line: "line 12: undefined variable: x" */
		char *p, *q;
		for (p = q = err.ptr; p && *p; p++) {
			char c = *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p;
			if (c != ' ' || (q > err.ptr && q[-1] != ' '))
				*q++ = c;
		}
		if (q) {
			while (q > err.ptr && q[-1] == ' ')
				q--;
			*q = '\0';
			err.len = (size_t)(q - err.ptr);
		}
		rc = pc_error_set(PC_EENV, "gnuplot failed (exit %d)%s%s", status,
				  err.len ? ": " : "", err.len ? err.ptr : "");
		goto done;
	}
done:
	pc_buf_release(&err);
	return rc;
}
