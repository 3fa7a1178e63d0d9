/*
 * Numbers and strings as the outputs print them (format.h): the one number
 * format of JSON and CSV, numbers in text with thousands separators, short
 * numbers for sentences, JSON strings and CSV fields.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* ---- numbers ---- */

/* The largest double below which every integer is exact. */
#define EXACT_INTEGER_MAX 9007199254740992.0 /* 2^53 */

int est_render_number(char out[EST_NUMBER_MAX], double v)
{
	char *p;

	out[0] = '\0';
	if (!isfinite(v))
		return EST_EINTERNAL;
	if (v == 0)
		v = 0; /* -0 prints as 0 */
	/*
	 * Integers (counts, years, whole kWh) print exactly; anything else
	 * with ten significant digits: short, stable, and within 5e-11 of
	 * the value, far inside the 1e-9 the checks allow.
	 */
	if (v == floor(v) && fabs(v) <= EXACT_INTEGER_MAX)
		snprintf(out, EST_NUMBER_MAX, "%.0f", v);
	else
		snprintf(out, EST_NUMBER_MAX, "%.10g", v);
	/* A caller's LC_NUMERIC may have printed a ',' or other point. */
	for (p = out; *p; p++)
		if (!strchr("0123456789+-eE", *p))
			*p = '.';
	return 0;
}

/* v with `decimals` fixed decimals and ',' between thousands. */
void est_render_fixed(char *out, size_t size, double v, int decimals)
{
	char raw[64];
	const char *p = raw;
	size_t o = 0, digits, i;

	if (!isfinite(v) || fabs(v) >= 1e15) {
		snprintf(out, size, "%.6g", v);
		return;
	}
	if (fabs(v) < 0.5 * pow(10, -decimals))
		v = 0; /* no "-0.00" */
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (*p == '-' && o < size - 1)
		out[o++] = *p++;
	digits = strspn(p, "0123456789");
	for (i = 0; i < digits && o < size - 2; i++) {
		if (i > 0 && (digits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	p += digits;
	if (*p && o < size - 1) {
		out[o++] = '.'; /* whatever point the locale printed */
		for (p++; *p && o < size - 1; p++)
			out[o++] = *p;
	}
	out[o] = '\0';
}

/*
 * A quantity in running text: whole above 100, one decimal above 1, two
 * significant digits below, trailing zeros dropped ("12.5", "455,000",
 * "0.0035").
 */
void est_render_amount(char *out, size_t size, double v)
{
	int decimals;
	char *dot, *end;

	if (fabs(v) >= 100 || v == 0)
		decimals = 0;
	else if (fabs(v) >= 1)
		decimals = 1;
	else
		decimals = 1 - (int)floor(log10(fabs(v)));
	if (decimals > 12)
		decimals = 12;
	est_render_fixed(out, size, v, decimals);
	dot = strchr(out, '.');
	if (!dot)
		return;
	end = out + strlen(out);
	while (end > dot + 1 && end[-1] == '0')
		*--end = '\0';
	if (end == dot + 1)
		*dot = '\0';
}

/* For sentences: six significant digits, large amounts in whole units (1893670 EUR). */
void est_render_short_number(char out[EST_SHORT_NUMBER_MAX], double v)
{
	if (fabs(v) >= 1e5 && fabs(v) < 1e15)
		snprintf(out, EST_SHORT_NUMBER_MAX, "%.0f", v);
	else
		snprintf(out, EST_SHORT_NUMBER_MAX, "%.6g", v);
}

/* ---- strings ---- */

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_length(const unsigned char *s)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3Fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD so the output stays valid. */
void est_render_json_string(est_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n;

	est_buf_putc(b, '"');
	while (*s) {
		switch (*s) {
		case '"':
			est_buf_puts(b, "\\\"");
			break;
		case '\\':
			est_buf_puts(b, "\\\\");
			break;
		case '\b':
			est_buf_puts(b, "\\b");
			break;
		case '\f':
			est_buf_puts(b, "\\f");
			break;
		case '\n':
			est_buf_puts(b, "\\n");
			break;
		case '\r':
			est_buf_puts(b, "\\r");
			break;
		case '\t':
			est_buf_puts(b, "\\t");
			break;
		default:
			if (*s < 0x20) {
				est_buf_printf(b, "\\u%04x", (unsigned)*s);
				break;
			}
			n = utf8_length(s);
			if (n == 0) {
				est_buf_puts(b, "\\ufffd");
				break;
			}
			est_buf_put(b, (const char *)s, n);
			s += n - 1;
			break;
		}
		s++;
	}
	est_buf_putc(b, '"');
}

void est_render_csv_field(est_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		est_buf_puts(b, s);
		return;
	}
	est_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			est_buf_putc(b, '"');
		est_buf_putc(b, *s);
	}
	est_buf_putc(b, '"');
}
