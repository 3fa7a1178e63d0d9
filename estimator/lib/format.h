/*
 * Numbers and strings as the outputs print them (internal; format.c): the
 * one number format of JSON and CSV, numbers in text, short numbers for
 * sentences, JSON strings and CSV fields.
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

#endif
