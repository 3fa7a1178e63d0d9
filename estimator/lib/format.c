/*
 * Numbers and strings as the outputs print them (format.h): the one number
 * format of JSON and CSV, numbers in text with thousands separators, short
 * numbers for sentences, JSON strings and CSV fields.
 */
#include <assert.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

/* ---- numbers ---- */

/* The largest double below which every integer is exact. */
#define EXACT_INTEGER_MAX 9007199254740992.0 /* 2^53 */

/* The digits of u (u < 10^19) at out; returns the end (not terminated). */
static char *put_digits(char *out, unsigned long long u)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		*out++ = tmp[--n];
	return out;
}

/*
 * "%.10g" without printf, for 1e-4 <= |v| < 1e10 (the fixed-point forms of
 * %g at ten digits), or 0 when this cannot be sure of printf's digits (then
 * the caller asks printf). The ten significant digits are |v| x 10^(9-X)
 * rounded to an integer, X the decimal exponent: 10^(9-X) (X from -4 to 9)
 * is exact in a 64-bit-mantissa long double and the product is off by at
 * most 2^-64 relative, under 6e-10 at 10^10, so the rounding is the exact
 * one unless the fraction is within 1e-6 of one half: those (and a
 * rounding up to 10^10) go to printf. tests/unit/test_format.c checks this
 * against printf over millions of values, ties and powers of ten included.
 */
static int fast_g10(char out[EST_NUMBER_MAX], double v)
{
#if LDBL_MANT_DIG >= 64
	static const long double pow10[] = {1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L,
					    1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L};
	double a = fabs(v);
	long double m, frac;
	unsigned long long d;
	int x, decimals, i;
	char digits[16], *p = out;

	static const double lower[] = {1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2,
				       1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

	if (!(a >= 1e-4 && a < 1e10))
		return 0;
	/* x: the decimal exponent, near enough (the checks below correct it by one) */
	for (x = 9; x > -4 && a < lower[x + 4]; x--)
		;
	m = (long double)a * pow10[9 - x];
	if (m >= 1e10L && x < 9) {
		x++;
		m = (long double)a * pow10[9 - x];
	} else if (m < 1e9L && x > -4) {
		x--;
		m = (long double)a * pow10[9 - x];
	}
	if (m < 1e9L || m >= 1e10L)
		return 0;
	d = (unsigned long long)m;
	frac = m - (long double)d;
	if (fabsl(frac - 0.5L) < 1e-6L)
		return 0;
	if (frac > 0.5L)
		d++;
	if (d >= 10000000000ULL)
		return 0;
	/* d has ten digits; the value is d x 10^(x-9); %g drops trailing zeros */
	put_digits(digits, d);
	decimals = 9 - x;
	i = 10;
	while (decimals > 0 && digits[i - 1] == '0') {
		i--;
		decimals--;
	}
	if (v < 0)
		*p++ = '-';
	if (x >= 0) {
		memcpy(p, digits, (size_t)x + 1);
		p += x + 1;
		if (decimals > 0) {
			*p++ = '.';
			memcpy(p, digits + x + 1, (size_t)decimals);
			p += decimals;
		}
	} else {
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', (size_t)(-x - 1));
		p += -x - 1;
		memcpy(p, digits, (size_t)i);
		p += i;
	}
	*p = '\0';
	return 1;
#else
	(void)out;
	(void)v;
	return 0;
#endif
}

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
	 * the value, far inside the 1e-9 the checks allow. The common cases
	 * are written here, the same bytes as printf's, since batch writes
	 * millions of them.
	 */
	if (v == floor(v) && fabs(v) <= EXACT_INTEGER_MAX) {
		p = out;
		if (v < 0)
			*p++ = '-';
		*put_digits(p, (unsigned long long)fabs(v)) = '\0';
		return 0;
	}
	if (fast_g10(out, v))
		return 0;
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

size_t est_utf8_length(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
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
			n = est_utf8_length((const char *)s);
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

/* ---- text as messages and text tables show it ---- */

/*
 * The character at s (at most n bytes of it) as text shows it, in out:
 * itself, or an escape for a control character (C0, DEL, C1) or a byte
 * that is not UTF-8. Sets *used to the bytes of s it stands for and
 * returns the length of out (1 to 8, not NUL-terminated).
 */
static size_t escape_at(char out[8], const unsigned char *s, size_t n, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = est_utf8_length((const char *)s), i, o = 0;

	if (len == 0 || len > n)
		len = 0; /* one byte that is not UTF-8 */
	*used = len ? len : 1;
	if (len == 1 && (s[0] == '\n' || s[0] == '\t' || s[0] == '\r')) {
		out[0] = '\\';
		out[1] = s[0] == '\n' ? 'n' : s[0] == '\t' ? 't' : 'r';
		return 2;
	}
	/* C0 and DEL; C1 (U+0080..U+009F) as its two bytes: terminals act on both */
	if (len == 0 || (len == 1 && (s[0] < 0x20 || s[0] == 0x7F)) ||
	    (len == 2 && s[0] == 0xC2 && s[1] < 0xA0)) {
		for (i = 0; i < *used; i++) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 0xF];
		}
		return o;
	}
	memcpy(out, s, len);
	return len;
}

size_t est_escape(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	char one[8];
	size_t o = 0, n, used;

	assert(out && size > 0);
	while (*s) {
		n = escape_at(one, s, (size_t)-1, &used);
		if (o + n >= size)
			break; /* cut at a whole character or escape */
		memcpy(out + o, one, n);
		o += n;
		s += used;
	}
	out[o] = '\0';
	return o;
}

/* At most n bytes of s, escaped, appended to b. */
static void put_text(est_buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char one[8];
	size_t used;

	while (n > 0 && *s) {
		est_buf_put(b, one, escape_at(one, s, n, &used));
		s += used;
		n -= used;
	}
}

void est_text_puts(est_buf *b, const char *s)
{
	put_text(b, s ? s : "", (size_t)-1);
}

size_t est_text_length(const char *s)
{
	est_buf t;
	size_t n;

	est_buf_init(&t);
	est_text_puts(&t, s);
	n = t.ptr ? t.len : 0;
	est_buf_dispose(&t);
	return n;
}

/* The renderers' own formats are literals; each conversion is replayed alone. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif

/* One %s: width and '-' as printf, precision as the bytes of s read. */
static void put_string(est_buf *b, const char *s, int left, int width, int prec)
{
	est_buf t;
	size_t len;

	est_buf_init(&t);
	put_text(&t, s ? s : "(null)", prec >= 0 ? (size_t)prec : (size_t)-1);
	len = t.ptr ? t.len : 0;
	if (t.failed)
		b->failed = 1;
	for (; !left && width > 0 && (size_t)width > len; width--)
		est_buf_putc(b, ' ');
	if (len)
		est_buf_put(b, t.ptr, len);
	for (; left && width > 0 && (size_t)width > len; width--)
		est_buf_putc(b, ' ');
	est_buf_dispose(&t);
}

/* The conversion at *fmt (after '%'), its arguments taken from ap, appended to b. */
static const char *convert(est_buf *b, const char *fmt, va_list *ap)
{
	char spec[48], length[3] = "";
	const char *p = fmt;
	size_t o = 1, n;
	int width = 0, prec = -1, left = 0;

	spec[0] = '%';
	for (; *p && strchr("-+ #0", *p) && o < 8; p++) {
		left |= *p == '-';
		spec[o++] = *p;
	}
	if (*p == '*') {
		width = va_arg(*ap, int);
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		width = width * 10 + (*p - '0');
	if (width < 0) {
		left = 1; /* a negative '*' width left-justifies */
		width = width == INT_MIN ? INT_MAX : -width;
		spec[o++] = '-';
	}
	if (*p == '.') {
		prec = 0;
		if (*++p == '*') {
			prec = va_arg(*ap, int);
			p++;
		}
		for (; *p >= '0' && *p <= '9'; p++)
			prec = prec * 10 + (*p - '0');
	}
	for (n = 0; *p && strchr("hlLjzt", *p) && n < 2; p++)
		length[n++] = *p;
	length[n] = '\0';
	assert(*p);
	if (*p == 's') {
		put_string(b, va_arg(*ap, const char *), left, width, prec);
		return p + 1;
	}
	if (*p == '%') {
		est_buf_putc(b, '%');
		return p + 1;
	}
	if (width > 0)
		o += (size_t)snprintf(spec + o, sizeof(spec) - o, "%d", width);
	if (prec >= 0)
		o += (size_t)snprintf(spec + o, sizeof(spec) - o, ".%d", prec);
	snprintf(spec + o, sizeof(spec) - o, "%s%c", length, *p);
	if (strchr("di", *p) && !strcmp(length, "l"))
		est_buf_printf(b, spec, va_arg(*ap, long));
	else if (strchr("di", *p) && !strcmp(length, "ll"))
		est_buf_printf(b, spec, va_arg(*ap, long long));
	else if (strchr("uxXo", *p) && !strcmp(length, "l"))
		est_buf_printf(b, spec, va_arg(*ap, unsigned long));
	else if (strchr("uxXo", *p) && !strcmp(length, "ll"))
		est_buf_printf(b, spec, va_arg(*ap, unsigned long long));
	else if (strchr("diuxXo", *p) && !strcmp(length, "z"))
		est_buf_printf(b, spec, va_arg(*ap, size_t));
	else if (strchr("dic", *p) && !*length)
		est_buf_printf(b, spec, va_arg(*ap, int));
	else if (strchr("uxXo", *p) && !*length)
		est_buf_printf(b, spec, va_arg(*ap, unsigned));
	else if (strchr("fFeEgGaA", *p) && !*length)
		est_buf_printf(b, spec, va_arg(*ap, double));
	else
		assert(!"a conversion est_text_printf does not take");
	return p + 1;
}

int est_text_printf(est_buf *b, const char *fmt, ...)
{
	const char *pct;
	va_list ap;

	va_start(ap, fmt);
	while ((pct = strchr(fmt, '%')) != NULL) {
		est_buf_put(b, fmt, (size_t)(pct - fmt));
		fmt = convert(b, pct + 1, &ap);
	}
	va_end(ap);
	return est_buf_puts(b, fmt);
}

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
