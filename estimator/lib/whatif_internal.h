/*
 * Shared by the compare and sweep renderers (internal): text numbers in
 * render_text.c's conventions, a text table that wraps its headers and
 * splits into parts no wider than a line, a JSON writer in render_json.c's
 * layout, and CSV fields. Defined in render_whatif.c.
 */
#ifndef ESTIMATOR_WHATIF_INTERNAL_H
#define ESTIMATOR_WHATIF_INTERNAL_H

#include <stddef.h>

#include "estimator/whatif.h"
#include "buf.h"
#include "render_internal.h"

/* A text cell or header: a --vary path at most. */
#define EST_WHATIF_CELL_MAX EST_VARY_PATH_MAX
/* A text line: a wider table is split into parts, a longer legend line wrapped. */
#define EST_WHATIF_TEXT_WIDTH 110

/* ---- numbers in text ---- */

/* Whole above 100, one decimal above 1, two significant digits below; ',' between thousands. */
void est_whatif__amount(char out[EST_WHATIF_CELL_MAX], double v);
/* "+1,234 (+5.0%)", the change from first to x; "(n/a)" when first is 0. */
void est_whatif__change(char out[EST_WHATIF_CELL_MAX], double first, double x);
/* The headline's unit, its "$" read as `currency`. */
const char *est_whatif__unit(const est_headline *h, const char *currency);

/* ---- text tables ---- */

/*
 * n_rows x n_cols cells under headers wrapped between words. The first n_key
 * columns name the row; when the others do not fit in one line they are
 * printed in several parts, each repeating the key columns.
 */
typedef struct est_whatif_table {
	size_t n_rows, n_cols, n_key;
	char (*head)[EST_WHATIF_CELL_MAX];
	char (*cells)[EST_WHATIF_CELL_MAX];
	unsigned char *left;     /* per column: left-aligned */
	size_t *width;
	size_t head_min;         /* a header is wrapped no narrower than this (or its cells) */
} est_whatif_table;

/* Returns 0 or EST_EINTERNAL; est_whatif__table_dispose either way. */
int est_whatif__table_init(est_whatif_table *t, size_t n_rows, size_t n_cols, size_t n_key,
			   size_t head_min);
char *est_whatif__cell(const est_whatif_table *t, size_t row, size_t col);
void est_whatif__table_print(est_buf *b, est_whatif_table *t);
void est_whatif__table_dispose(est_whatif_table *t);

/* ---- JSON ---- */

#define EST_WHATIF_JSON_DEPTH 8

/* Keys in the order written; a NULL key for an array element. Numbers must be finite. */
typedef struct est_whatif_json {
	est_buf *b;
	int depth;
	int first[EST_WHATIF_JSON_DEPTH];
} est_whatif_json;

void est_whatif__json_open(est_whatif_json *j, const char *key, char bracket);
void est_whatif__json_close(est_whatif_json *j, char bracket);
void est_whatif__json_string(est_whatif_json *j, const char *key, const char *s);
void est_whatif__json_number(est_whatif_json *j, const char *key, double v);
void est_whatif__json_null(est_whatif_json *j, const char *key);

/* ---- CSV ---- */

/* A field, quoted per RFC 4180 when it holds a comma, quote, CR or LF. */
void est_whatif__csv_field(est_buf *b, const char *s);
/* A finite number as est_render_number prints it. */
void est_whatif__csv_number(est_buf *b, double v);

/* ---- the renderers' frame ---- */

/* EST_EUSAGE for a format that is not one of est_format's. */
int est_whatif__check_format(est_format f, est_error *err);
/*
 * Hand b's content to *out (and *len) after a renderer returned rc, which is
 * only ever out of memory; then *out is NULL and EST_EINTERNAL is returned,
 * the message naming `what`. b is disposed either way.
 */
int est_whatif__finish(est_buf *b, int rc, char **out, size_t *len, const char *what,
		       est_error *err);

#endif
