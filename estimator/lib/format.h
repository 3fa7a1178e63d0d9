/*
 * Numbers and strings as the outputs print them (internal; format.c): the
 * one number format of JSON and CSV, numbers in text, short numbers for
 * sentences, JSON strings and CSV fields, and user text escaped for
 * messages and text tables.
 */
#ifndef ESTIMATOR_FORMAT_H
#define ESTIMATOR_FORMAT_H

#include <stddef.h>

#include "buf.h"

/* Room for any number est_render_number prints, with its NUL. */
#define EST_NUMBER_MAX 32

/*
 * Print v as JSON and CSV show it: an integer within 2^53 exactly, anything
 * else with "%.10g" (ten significant digits, round-trippable to within
 * 5e-11 relative), "-0" as "0", '.' as the decimal point whatever the
 * locale. Returns 0, or EST_EINTERNAL (and prints nothing) when v is NaN or
 * infinite.
 */
int est_render_number(char out[EST_NUMBER_MAX], double v);

/* Numbers in text: fixed decimals with thousands separators, and an amount in running text. */
void est_render_fixed(char *out, size_t size, double v, int decimals);
void est_render_amount(char *out, size_t size, double v);

/* Room for a short number, with its NUL. */
#define EST_SHORT_NUMBER_MAX 32

/* For sentences: six significant digits, large amounts in whole units (1893670 EUR). */
void est_render_short_number(char out[EST_SHORT_NUMBER_MAX], double v);

/* Append str to b as a JSON string (escaped; bytes that are not UTF-8 become U+FFFD). */
void est_render_json_string(est_buf *b, const char *str);

/* One CSV field, quoted per RFC 4180 when it holds a comma, quote, CR or LF. */
void est_render_csv_field(est_buf *b, const char *s);

/* Length of the valid UTF-8 sequence at s (1 to 4; 1 for ASCII), or 0 when it is not one. */
size_t est_utf8_length(const char *s);

/*
 * User text (names, descriptions, notes, file names) as messages and text
 * tables show it: a control character (C0, DEL, C1) or a byte that is not
 * UTF-8 becomes an escape, "\n", "\t", "\r" or "\xHH" (C1 as its two
 * bytes, "\xc2\x9b"); everything else is copied. A backslash is kept as
 * it is, so escaping twice changes nothing. The output is ASCII-safe for a
 * terminal and holds no line break.
 *
 * est_escape writes into out (size > 0 bytes, always NUL-terminated, cut at
 * a whole character or escape) and returns the length written.
 */
size_t est_escape(char *out, size_t size, const char *in);
void est_text_puts(est_buf *b, const char *s);
/* The length of s as est_text_puts shows it (control characters escaped). */
size_t est_text_length(const char *s);

/*
 * est_buf_printf with every %s argument escaped as est_text_puts does (the
 * format itself is the renderer's and is copied as it is). Takes the flags,
 * widths and precisions printf does ('*' too) and the conversions d, i, c,
 * u, x, X, o (with l, ll or z), f, e, g, a, s and %%; a precision on %s
 * counts the argument's bytes read.
 */
int est_text_printf(est_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
