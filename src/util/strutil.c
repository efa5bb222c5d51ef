/* String helpers: duplication, RFC 3339 time, JSON string and number output. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "perfcmp/error.h"
#include "perfcmp/strutil.h"

char *pc_strdup(const char *s)
{
	return s ? pc_strndup(s, strlen(s)) : NULL;
}

char *pc_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p) {
		pc_error_set(PC_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, size_t n, size_t at, int count, int *out)
{
	int v = 0, i;

	if (at + (size_t)count > n)
		return -1;
	for (i = 0; i < count; i++) {
		char c = s[at + (size_t)i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

int pc_time_parse(const char *s, size_t n, int64_t *out_ns)
{
	int Y, M, D, h, mi, sec, oh = 0, om = 0;
	int64_t frac = 0, days, ns;
	size_t i;
	int nd = 0;

	if (digits(s, n, 0, 4, &Y) || n < 20 || s[4] != '-' || digits(s, n, 5, 2, &M) ||
	    s[7] != '-' || digits(s, n, 8, 2, &D) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s, n, 11, 2, &h) || s[13] != ':' || digits(s, n, 14, 2, &mi) || s[16] != ':' ||
	    digits(s, n, 17, 2, &sec))
		goto bad;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || sec > 60)
		goto bad;
	/* nanoseconds in int64_t reach 1677..2262; the years 1900..2100 keep any two times'
	 * difference in range as well */
	if (Y < 1900 || Y > 2100)
		return pc_error_set(PC_EINPUT, "timestamp \"%.*s\" outside the years 1900 to 2100",
				    (int)(n > 40 ? 40 : n), s);
	i = 19;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (nd < 9) {
				frac = frac * 10 + (s[i] - '0');
				nd++;
			}
			i++;
		}
		if (nd == 0)
			goto bad;
		while (nd < 9) {
			frac *= 10;
			nd++;
		}
	}
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		if (digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
		    digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59)
			goto bad;
		oh *= sign;
		om *= sign;
		i += 6;
	} else {
		goto bad;
	}
	if (i != n)
		goto bad;
	days = days_from_civil(Y, M, D);
	ns = ((days * 86400 + h * 3600 + mi * 60 + sec) - (int64_t)(oh * 3600 + om * 60));
	*out_ns = ns * 1000000000 + frac;
	return 0;
bad:
	return pc_error_set(PC_EINPUT, "not an RFC 3339 timestamp: \"%.*s\"", (int)(n > 40 ? 40 : n), s);
}

void pc_time_format(int64_t ns, char out[32])
{
	int64_t secs = ns / 1000000000, rem = ns % 1000000000;
	time_t t;
	struct tm tm;

	if (rem < 0) {
		rem += 1000000000;
		secs--;
	}
	t = (time_t)secs;
	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		strcpy(out, "invalid-time");
		return;
	}
	if (snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(rem / 1000000)) >= 32)
		strcpy(out, "invalid-time");
}

int64_t pc_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it is invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

int pc_json_str(pc_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc;

	if ((rc = pc_buf_putc(b, '"')))
		return rc;
	while (i < n) {
		unsigned char c = p[i];
		size_t l;
		char esc[8];
		const char *e = NULL;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			run++;
			i++;
			continue;
		}
		if (c >= 0x80 && (l = utf8_len(p + i, n - i)) != 0) {
			run += l;
			i += l;
			continue;
		}
		if (run && (rc = pc_buf_add(b, p + i - run, run)))
			return rc;
		run = 0;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			if (c >= 0x80)
				e = "\\ufffd";
			else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				e = esc;
			}
		}
		if ((rc = pc_buf_puts(b, e)))
			return rc;
		i++;
	}
	if (run && (rc = pc_buf_add(b, p + i - run, run)))
		return rc;
	return pc_buf_putc(b, '"');
}

void pc_fmt_double(char out[32], double v)
{
	int prec;

	if (isnan(v)) {
		snprintf(out, 32, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(out, 32, v > 0 ? "inf" : "-inf");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		/* "2e+02" reads back, but 200 is what a person (and jq) expects */
		if (strchr(out, 'e') && fabs(v) >= 1e-4 && fabs(v) < 1e17 && prec < 17)
			continue;
		if (strtod(out, NULL) == v)
			return;
	}
}

int pc_json_num(pc_buf *b, double v)
{
	char tmp[32];

	if (!isfinite(v))
		return pc_buf_puts(b, "null");
	pc_fmt_double(tmp, v);
	return pc_buf_puts(b, tmp);
}

int pc_strlist_vadd(char ***list, size_t *n, size_t *cap, const char *fmt, va_list ap)
{
	pc_buf b = PC_BUF_INIT;
	int rc;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		char **p = ncap <= SIZE_MAX / sizeof(*p) ? realloc(*list, ncap * sizeof(*p)) : NULL;
		if (!p)
			return pc_error_set(PC_ENOMEM, "out of memory");
		*list = p;
		*cap = ncap;
	}
	if ((rc = pc_buf_vprintf(&b, fmt, ap))) {
		pc_buf_release(&b);
		return rc;
	}
	(*list)[(*n)++] = pc_buf_detach(&b);
	return 0;
}
