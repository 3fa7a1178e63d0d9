/*
 * Shared by the renderers (internal): the contract tree every format is
 * checked against, the one number format of JSON and CSV, and one entry
 * point per format for the table in render.c.
 */
#ifndef ESTIMATOR_RENDER_INTERNAL_H
#define ESTIMATOR_RENDER_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "estimator/model.h"
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

/*
 * Build the estimator-result/1 tree of r (render_json.c) in contract key
 * order, and refuse it with EST_EINTERNAL when a number is not finite, the
 * message naming its key path. *out is freed with cJSON_Delete.
 */
int est_render_tree(cJSON **out, const est_result *r, est_error *err);

/* Append r, whose tree is `tree`, to out in one format. */
int est_render_json(est_buf *out, const est_result *r, const cJSON *tree,
		    est_error *err);
int est_render_text(est_buf *out, const est_result *r, const cJSON *tree,
		    est_error *err);
int est_render_csv(est_buf *out, const est_result *r, const cJSON *tree,
		   est_error *err);

/* Append str to b as a JSON string (escaped; bytes that are not UTF-8 become U+FFFD). */
void est_render_json_string(est_buf *b, const char *str);

#include "headlines.h"

/* Numbers in text (render_text.c): fixed decimals with thousands separators, and an amount in running text. */
void est_render_fixed(char *out, size_t size, double v, int decimals);
void est_render_amount(char *out, size_t size, double v);

/* One CSV field, quoted per RFC 4180 when it holds a comma, quote, CR or LF (render_csv.c). */
void est_render_csv_field(est_buf *b, const char *s);

#endif
