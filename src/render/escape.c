/* Escaping for every output language, display widths and value formatting. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/render.h"

int pc_esc_term(pc_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	for (; *p && !rc; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			char tmp[8];
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
			rc = pc_buf_puts(out, tmp);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls (U+0080..U+009F) act as escapes on some terminals */
			char tmp[16];
			snprintf(tmp, sizeof(tmp), "\\u%04x", p[1]);
			rc = pc_buf_puts(out, tmp);
			p++;
		} else {
			rc = pc_buf_putc(out, (char)*p);
		}
	}
	return rc;
}

int pc_esc_md(pc_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	for (; *p && !rc; p++) {
		switch (*p) {
		case '|': case '\\': case '`': case '*': case '_': case '[': case ']': case '#':
		case '~': case '!':
			rc = pc_buf_putc(out, '\\');
			if (!rc)
				rc = pc_buf_putc(out, (char)*p);
			break;
		case '<': rc = pc_buf_puts(out, "&lt;"); break;
		case '>': rc = pc_buf_puts(out, "&gt;"); break;
		case '&': rc = pc_buf_puts(out, "&amp;"); break;
		case '\n': case '\r': case '\t': rc = pc_buf_putc(out, ' '); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				char tmp[16];
				snprintf(tmp, sizeof(tmp), "&#x%x;", 0x2400 + (*p == 0x7f ? 0x21 : *p));
				rc = pc_buf_puts(out, tmp); /* control pictures: visible, inert */
			} else {
				rc = pc_buf_putc(out, (char)*p);
			}
		}
	}
	return rc;
}

int pc_esc_md_code(pc_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	for (; *p && !rc; p++) {
		if (*p == '`')
			rc = pc_buf_putc(out, '\'');
		else if (*p == '|')
			rc = pc_buf_puts(out, "\\|");
		else if (*p == '\n' || *p == '\r')
			rc = pc_buf_putc(out, ' ');
		else if (*p < 0x20 || *p == 0x7f) {
			char tmp[8];
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
			rc = pc_buf_puts(out, tmp);
		} else
			rc = pc_buf_putc(out, (char)*p);
	}
	return rc;
}

int pc_esc_csv(pc_buf *out, const char *s)
{
	const unsigned char *p;
	char tmp[8];
	int rc = 0, quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote && (rc = pc_buf_putc(out, '"')))
		return rc;
	/* a text cell that starts like a formula would run in a spreadsheet (OWASP's CSV
	 * injection): a leading ' keeps it text. Numbers are written by the callers, not here. */
	if (strchr("=+-@", s[0]) && s[0] && (rc = pc_buf_putc(out, '\'')))
		return rc;
	/* CSV ends up on terminals too: control bytes other than line breaks and tabs are written
	 * as \xNN (C1 controls as \u00NN), as in the table output */
	for (p = (const unsigned char *)s; *p && !rc; p++) {
		if (*p == '"') {
			rc = pc_buf_puts(out, "\"\"");
		} else if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
			rc = pc_buf_puts(out, tmp);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", p[1]);
			rc = pc_buf_puts(out, tmp);
			p++;
		} else {
			rc = pc_buf_putc(out, (char)*p);
		}
	}
	return rc || !quote ? rc : pc_buf_putc(out, '"');
}

int pc_esc_xml(pc_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	for (; *p && !rc; p++) {
		switch (*p) {
		case '<': rc = pc_buf_puts(out, "&lt;"); break;
		case '>': rc = pc_buf_puts(out, "&gt;"); break;
		case '&': rc = pc_buf_puts(out, "&amp;"); break;
		case '"': rc = pc_buf_puts(out, "&quot;"); break;
		case '\'': rc = pc_buf_puts(out, "&apos;"); break;
		case '\n': rc = pc_buf_puts(out, "&#10;"); break;
		case '\t': rc = pc_buf_puts(out, "&#9;"); break;
		case '\r': rc = pc_buf_puts(out, "&#13;"); break;
		default:
			/* XML 1.0 cannot carry other control characters at all */
			rc = *p < 0x20 ? pc_buf_puts(out, "\xef\xbf\xbd") : pc_buf_putc(out, (char)*p);
		}
	}
	return rc;
}

static int is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	       (cp >= 0x20000 && cp <= 0x3fffd);
}

size_t pc_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p) {
		uint32_t cp = *p;
		int len = 1;
		if (cp >= 0xf0 && p[1] && p[2] && p[3]) {
			cp = ((cp & 7u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
			len = 4;
		} else if (cp >= 0xe0 && p[1] && p[2]) {
			cp = ((cp & 15u) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
			len = 3;
		} else if (cp >= 0xc0 && p[1]) {
			cp = ((cp & 31u) << 6) | (p[1] & 0x3fu);
			len = 2;
		}
		w += is_wide(cp) ? 2 : 1;
		p += len;
	}
	return w;
}

void pc_fmt_value(char out[32], double v)
{
	double a = fabs(v);

	if (isnan(v))
		snprintf(out, 32, "-");
	else if (isinf(v))
		snprintf(out, 32, v > 0 ? "inf" : "-inf");
	else if (v == floor(v) && a < 1e15)
		snprintf(out, 32, "%.0f", v);
	else if (a >= 1e15)
		snprintf(out, 32, "%.4g", v); /* %.1f of 1e308 is 311 digits: cut to 31, a wrong number */
	else if (a >= 1000)
		snprintf(out, 32, "%.1f", v);
	else if (a >= 1)
		snprintf(out, 32, "%.2f", v);
	else
		snprintf(out, 32, "%.4g", v);
}
