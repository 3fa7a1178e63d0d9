/*
 * A comparison (est_compare) as text, JSON (estimator-compare/1) or CSV:
 * the headline totals of each column (est_headlines, the metrics variants
 * report against their base) and their changes from the first column.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "whatif_internal.h"

/* Column headers (scenario labels) are wrapped no narrower than this. */
#define HEAD_MIN 16

static int compare_finite(const est_compare *c, est_error *err)
{
	size_t i, k;

	for (i = 0; i < c->n_columns; i++)
		for (k = 0; k < est_n_headlines; k++) {
			double first = est_headlines[k].get(&c->columns[0].totals);
			double x = est_headlines[k].get(&c->columns[i].totals);
			if (!isfinite(x) || !isfinite(x - first) ||
			    (first != 0 && !isfinite((x - first) / first)))
				return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
						     "columns[%zu].totals.%s is not a finite number (%g)",
						     i, est_headlines[k].key, x);
		}
	return 0;
}

/* Every column is the base or a variant of one file: headed by the variant's name. */
static int one_file(const est_compare *c)
{
	size_t i;

	for (i = 1; i < c->n_columns; i++)
		if (strcmp(c->columns[i].file, c->columns[0].file) ||
		    strcmp(c->columns[i].scenario, c->columns[0].scenario))
			return 0;
	return 1;
}

static void horizon_text(char out[32], const est_compare_column *col)
{
	if (col->years > 0)
		snprintf(out, 32, "%d-%d", col->start_year, col->start_year + col->years - 1);
	else
		snprintf(out, 32, "none");
}

static void compare_legend(est_buf *b, const est_compare *c)
{
	const est_compare_column *first = &c->columns[0];
	char horizon[32];
	size_t i;
	int same = 1;

	for (i = 1; i < c->n_columns; i++)
		if (c->columns[i].start_year != first->start_year || c->columns[i].years != first->years)
			same = 0;
	if (one_file(c)) {
		est_text_printf(b, "Scenario: %s\n", first->scenario);
		est_text_printf(b, "File:     %s\n", first->file);
		est_buf_printf(b, "Columns:  the base and %zu %s\n", c->n_columns - 1,
			       c->n_columns == 2 ? "variant" : "variants");
	} else {
		est_buf_puts(b, "Columns:\n");
		for (i = 0; i < c->n_columns; i++) {
			const est_compare_column *col = &c->columns[i];
			const char *kind = strcmp(col->variant, "base") ? "variant " : "";
			size_t n;
			horizon_text(horizon, col);
			n = est_text_length(col->label) + est_text_length(col->file) + strlen(kind) +
			    est_text_length(col->variant) +
			    (same ? 0 : 2 + strlen(horizon)) + 6;
			/* the file and the rest on a line of their own when it is too long */
			est_text_printf(b, "  %s:", col->label);
			est_buf_puts(b, n > EST_WHATIF_TEXT_WIDTH ? "\n    " : " ");
			est_text_printf(b, "%s, %s%s%s%s", col->file, kind, col->variant,
					same ? "" : ", ", same ? "" : horizon);
			est_buf_putc(b, '\n');
		}
	}
	horizon_text(horizon, first);
	if (same)
		est_buf_printf(b, "Horizon:  %s\n", horizon);
	est_text_printf(b, "Currency: %s\n", c->currency);
	for (i = 0; i < c->n_columns; i++) /* each converted file once, with its rate */
		if (c->columns[i].rate != 1 && (i == 0 || strcmp(c->columns[i].file, c->columns[i - 1].file)))
			est_text_printf(b, "          %s: costed in %s, converted at 1 %s = %.6g %s (%s)\n",
					c->columns[i].file, c->columns[i].from, c->columns[i].from,
					c->columns[i].rate, c->currency, c->columns[i].rate_origin);
	est_buf_puts(b, "\nTotals over the horizon:\n");
}

/* The headline metrics down, the columns across; differences from the first when `diff`. */
static int compare_table(est_buf *b, const est_compare *c, int diff)
{
	size_t first = diff ? 1 : 0, n = c->n_columns - first, i, k;
	int by_variant = one_file(c);
	est_whatif_table t;
	int rc = est_whatif__table_init(&t, est_n_headlines, 2 + n, 2, HEAD_MIN);

	if (rc < 0)
		goto cleanup;
	snprintf(t.head[0], EST_WHATIF_CELL_MAX, "metric");
	snprintf(t.head[1], EST_WHATIF_CELL_MAX, "unit");
	t.left[0] = t.left[1] = 1;
	for (i = 0; i < n; i++)
		est_escape(t.head[2 + i], EST_WHATIF_CELL_MAX,
			   by_variant ? c->columns[first + i].variant : c->columns[first + i].label);
	for (k = 0; k < est_n_headlines; k++) {
		const est_headline *h = &est_headlines[k];
		snprintf(est_whatif__cell(&t, k, 0), EST_WHATIF_CELL_MAX, "%s", h->label);
		snprintf(est_whatif__cell(&t, k, 1), EST_WHATIF_CELL_MAX, "%s", est_whatif__unit(h, c->currency));
		for (i = 0; i < n; i++) {
			double x = h->get(&c->columns[first + i].totals);
			if (diff)
				est_whatif__change(est_whatif__cell(&t, k, 2 + i), h->get(&c->columns[0].totals), x);
			else
				est_whatif__amount(est_whatif__cell(&t, k, 2 + i), x);
		}
	}
	est_whatif__table_print(b, &t);
cleanup:
	est_whatif__table_dispose(&t);
	return rc;
}

static int compare_text(est_buf *b, const est_compare *c)
{
	int rc;

	compare_legend(b, c);
	rc = compare_table(b, c, 0);
	if (rc == 0 && c->n_columns > 1) {
		est_text_printf(b, "\nDifferences from %s:\n",
			       one_file(c) ? c->columns[0].variant : c->columns[0].label);
		rc = compare_table(b, c, 1);
	}
	return rc;
}

static void compare_json(est_buf *b, const est_compare *c)
{
	est_whatif_json j = {b, 0, {0}};
	size_t i, k;

	est_whatif__json_open(&j, NULL, '{');
	est_whatif__json_string(&j, "format", EST_COMPARE_FORMAT_ID);
	est_whatif__json_string(&j, "currency", c->currency);
	est_whatif__json_open(&j, "columns", '[');
	for (i = 0; i < c->n_columns; i++) {
		const est_compare_column *col = &c->columns[i];
		est_whatif__json_open(&j, NULL, '{');
		est_whatif__json_string(&j, "label", col->label);
		est_whatif__json_string(&j, "scenario", col->scenario);
		est_whatif__json_string(&j, "file", col->file);
		est_whatif__json_string(&j, "variant", col->variant);
		est_whatif__json_string(&j, "costed_in", col->from);
		est_whatif__json_number(&j, "exchange_rate", col->rate);
		est_whatif__json_open(&j, "totals", '{');
		for (k = 0; k < est_n_headlines; k++)
			est_whatif__json_number(&j, est_headlines[k].key, est_headlines[k].get(&col->totals));
		est_whatif__json_close(&j, '}');
		est_whatif__json_open(&j, "vs_first", '{');
		for (k = 0; k < est_n_headlines; k++) {
			double first = est_headlines[k].get(&c->columns[0].totals);
			double x = est_headlines[k].get(&col->totals);
			est_whatif__json_open(&j, est_headlines[k].key, '{');
			est_whatif__json_number(&j, "abs", x - first);
			if (first != 0)
				est_whatif__json_number(&j, "pct", (x - first) / first * 100.0);
			else
				est_whatif__json_null(&j, "pct");
			est_whatif__json_close(&j, '}');
		}
		est_whatif__json_close(&j, '}');
		est_whatif__json_close(&j, '}');
	}
	est_whatif__json_close(&j, ']');
	est_whatif__json_close(&j, '}');
}

static void compare_csv_row(est_buf *b, const char *column, const char *metric,
			    const char *field, double v, const char *unit)
{
	est_whatif__csv_field(b, column);
	est_buf_putc(b, ',');
	if (field)
		est_buf_printf(b, "vs_first.%s.%s", metric, field);
	else
		est_buf_puts(b, metric);
	est_buf_putc(b, ',');
	est_whatif__csv_number(b, v);
	est_buf_putc(b, ',');
	est_whatif__csv_field(b, unit);
	est_buf_putc(b, '\n');
}

/* column,metric,value,unit: each column's totals, then its vs_first rows (none for a null pct). */
static void compare_csv(est_buf *b, const est_compare *c)
{
	size_t i, k;

	est_buf_puts(b, "column,metric,value,unit\n");
	for (i = 0; i < c->n_columns; i++) {
		const est_compare_column *col = &c->columns[i];
		for (k = 0; k < est_n_headlines; k++) {
			const est_headline *h = &est_headlines[k];
			compare_csv_row(b, col->label, h->key, NULL, h->get(&col->totals),
					est_whatif__unit(h, c->currency));
		}
		for (k = 0; k < est_n_headlines; k++) {
			const est_headline *h = &est_headlines[k];
			double first = h->get(&c->columns[0].totals), x = h->get(&col->totals);
			compare_csv_row(b, col->label, h->key, "abs", x - first, est_whatif__unit(h, c->currency));
			if (first != 0)
				compare_csv_row(b, col->label, h->key, "pct",
						(x - first) / first * 100.0, "%");
		}
	}
}

int est_compare_render(char **out, size_t *len, const est_compare *c, est_format f,
		       est_error *err)
{
	est_buf b;
	int rc;

	assert(out);
	assert(c);
	assert(c->n_columns > 0);
	*out = NULL;
	if (len)
		*len = 0;
	rc = est_whatif__check_format(f, err);
	if (rc == 0)
		rc = compare_finite(c, err);
	if (rc < 0)
		return rc;
	est_buf_init(&b);
	switch (f) {
	case EST_FORMAT_TEXT:
		rc = compare_text(&b, c);
		break;
	case EST_FORMAT_JSON:
		compare_json(&b, c);
		break;
	case EST_FORMAT_CSV:
		compare_csv(&b, c);
		break;
	}
	return est_whatif__finish(&b, rc, out, len, "the comparison", err);
}
