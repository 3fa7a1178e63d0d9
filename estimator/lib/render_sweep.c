/*
 * A sweep (est_sweep) as text, JSON (estimator-sweep/1) or CSV: one row or
 * record per point with its varied values, the headline totals
 * (est_headlines) and the last year's IT power peak.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "whatif_internal.h"

/* Metric headers are wrapped no narrower than this. */
#define HEAD_MIN 10
#define IT_PEAK_KEY "it_peak_kw"

static int sweep_finite(const est_sweep *s, est_error *err)
{
	size_t i, k;

	for (i = 0; i < s->n_points; i++) {
		const est_sweep_point *pt = &s->points[i];
		for (k = 0; k < est_n_headlines; k++)
			if (!isfinite(est_headlines[k].get(&pt->totals)))
				return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
						     "points[%zu].totals.%s is not a finite number (%g)",
						     i, est_headlines[k].key,
						     est_headlines[k].get(&pt->totals));
		for (k = 0; k < s->n_vary; k++)
			if (!isfinite(pt->numbers[k]))
				return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
						     "points[%zu].numbers.%s is not a finite number",
						     i, s->vary[k].path);
		if (!isfinite(pt->it_peak_kw))
			return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
					     "points[%zu]." IT_PEAK_KEY " is not a finite number", i);
	}
	return 0;
}

static void sweep_header(est_buf *b, const est_sweep *s)
{
	const est_sweep_point *first = &s->points[0];
	size_t i, k;
	int same = 1;

	est_text_printf(b, "Scenario: %s\n", s->scenario);
	est_text_printf(b, "File:     %s\n", s->file);
	est_text_printf(b, "Variant:  %s\n", s->variant);
	for (k = 0; k < s->n_vary; k++)
		est_text_printf(b, "Varying:  %s from %s to %s in %zu steps%s\n", s->vary[k].path,
			       s->vary[k].from_text, s->vary[k].to_text, s->vary[k].steps,
			       s->n_vary == 2 ? (k == 0 ? " (slowest)" : " (fastest)") : "");
	for (i = 1; i < s->n_points; i++)
		if (s->points[i].start_year != first->start_year || s->points[i].years != first->years)
			same = 0;
	if (!same)
		est_buf_puts(b, "Horizon:  varies with the point\n");
	else if (first->years > 0)
		est_buf_printf(b, "Horizon:  %d-%d (%d %s)\n", first->start_year,
			       first->start_year + first->years - 1, first->years,
			       first->years == 1 ? "year" : "years");
	else
		est_buf_puts(b, "Horizon:  none\n");
	est_text_printf(b, "Currency: %s\n", s->currency);
	est_buf_printf(b, "\nTotals over the horizon, %zu points; IT peak is the last year's.\n\n",
		       s->n_points);
}

/* One row per point: its number, the varied values, the metrics and the IT peak. */
static int sweep_text(est_buf *b, const est_sweep *s)
{
	size_t n_key = 1 + s->n_vary, i, k;
	est_whatif_table t;
	int rc = est_whatif__table_init(&t, s->n_points, n_key + est_n_headlines + 1, n_key, HEAD_MIN);

	if (rc < 0)
		goto cleanup;
	sweep_header(b, s);
	snprintf(t.head[0], EST_WHATIF_CELL_MAX, "point");
	for (k = 0; k < s->n_vary; k++)
		est_escape(t.head[1 + k], EST_WHATIF_CELL_MAX, s->vary[k].path);
	for (k = 0; k < est_n_headlines; k++) {
		const est_headline *h = &est_headlines[k];
		if (strcmp(h->unit, "count"))
			snprintf(t.head[n_key + k], EST_WHATIF_CELL_MAX, "%s %s", h->label,
				 est_whatif__unit(h, s->currency));
		else
			snprintf(t.head[n_key + k], EST_WHATIF_CELL_MAX, "%s", h->label);
	}
	snprintf(t.head[n_key + est_n_headlines], EST_WHATIF_CELL_MAX, "IT peak kW");
	for (i = 0; i < s->n_points; i++) {
		const est_sweep_point *pt = &s->points[i];
		snprintf(est_whatif__cell(&t, i, 0), EST_WHATIF_CELL_MAX, "%zu", i + 1);
		for (k = 0; k < s->n_vary; k++)
			est_escape(est_whatif__cell(&t, i, 1 + k), EST_WHATIF_CELL_MAX, pt->values[k]);
		for (k = 0; k < est_n_headlines; k++)
			est_whatif__amount(est_whatif__cell(&t, i, n_key + k), est_headlines[k].get(&pt->totals));
		est_whatif__amount(est_whatif__cell(&t, i, n_key + est_n_headlines), pt->it_peak_kw);
	}
	est_whatif__table_print(b, &t);
cleanup:
	est_whatif__table_dispose(&t);
	return rc;
}

static void sweep_json(est_buf *b, const est_sweep *s)
{
	est_whatif_json j = {b, 0, {0}};
	size_t i, k;

	est_whatif__json_open(&j, NULL, '{');
	est_whatif__json_string(&j, "format", EST_SWEEP_FORMAT_ID);
	est_whatif__json_open(&j, "scenario", '{');
	est_whatif__json_string(&j, "name", s->scenario);
	est_whatif__json_string(&j, "file", s->file);
	est_whatif__json_close(&j, '}');
	est_whatif__json_string(&j, "variant", s->variant);
	est_whatif__json_string(&j, "currency", s->currency);
	est_whatif__json_open(&j, "vary", '[');
	for (k = 0; k < s->n_vary; k++) {
		est_whatif__json_open(&j, NULL, '{');
		est_whatif__json_string(&j, "path", s->vary[k].path);
		est_whatif__json_string(&j, "from", s->vary[k].from_text);
		est_whatif__json_string(&j, "to", s->vary[k].to_text);
		est_whatif__json_number(&j, "steps", (double)s->vary[k].steps);
		est_whatif__json_close(&j, '}');
	}
	est_whatif__json_close(&j, ']');
	est_whatif__json_open(&j, "points", '[');
	for (i = 0; i < s->n_points; i++) {
		const est_sweep_point *pt = &s->points[i];
		est_whatif__json_open(&j, NULL, '{');
		est_whatif__json_open(&j, "values", '{');
		for (k = 0; k < s->n_vary; k++)
			est_whatif__json_string(&j, s->vary[k].path, pt->values[k]);
		est_whatif__json_close(&j, '}');
		est_whatif__json_open(&j, "numbers", '{');
		for (k = 0; k < s->n_vary; k++)
			est_whatif__json_number(&j, s->vary[k].path, pt->numbers[k]);
		est_whatif__json_close(&j, '}');
		est_whatif__json_open(&j, "totals", '{');
		for (k = 0; k < est_n_headlines; k++)
			est_whatif__json_number(&j, est_headlines[k].key, est_headlines[k].get(&pt->totals));
		est_whatif__json_close(&j, '}');
		est_whatif__json_number(&j, IT_PEAK_KEY, pt->it_peak_kw);
		est_whatif__json_close(&j, '}');
	}
	est_whatif__json_close(&j, ']');
	est_whatif__json_close(&j, '}');
}

static void sweep_csv_row(est_buf *b, const est_sweep *s, size_t i, const char *metric,
			  double v, const char *unit)
{
	size_t k;

	est_buf_printf(b, "%zu", i + 1);
	for (k = 0; k < s->n_vary; k++) {
		est_buf_putc(b, ',');
		est_whatif__csv_field(b, s->points[i].values[k]);
	}
	est_buf_putc(b, ',');
	est_whatif__csv_field(b, metric);
	est_buf_putc(b, ',');
	est_whatif__csv_number(b, v);
	est_buf_putc(b, ',');
	est_whatif__csv_field(b, unit);
	est_buf_putc(b, '\n');
}

/* point,<path1>[,<path2>],metric,value,unit: per point the metrics, then the IT peak. */
static void sweep_csv(est_buf *b, const est_sweep *s)
{
	size_t i, k;

	est_buf_puts(b, "point");
	for (k = 0; k < s->n_vary; k++) {
		est_buf_putc(b, ',');
		est_whatif__csv_field(b, s->vary[k].path);
	}
	est_buf_puts(b, ",metric,value,unit\n");
	for (i = 0; i < s->n_points; i++) {
		for (k = 0; k < est_n_headlines; k++) {
			const est_headline *h = &est_headlines[k];
			sweep_csv_row(b, s, i, h->key, h->get(&s->points[i].totals),
				      est_whatif__unit(h, s->currency));
		}
		sweep_csv_row(b, s, i, IT_PEAK_KEY, s->points[i].it_peak_kw, "kW");
	}
}

int est_sweep_render(char **out, size_t *len, const est_sweep *s, est_format f,
		     est_error *err)
{
	est_buf b;
	int rc;

	assert(out);
	assert(s);
	assert(s->n_points > 0);
	*out = NULL;
	if (len)
		*len = 0;
	rc = est_whatif__check_format(f, err);
	if (rc == 0)
		rc = sweep_finite(s, err);
	if (rc < 0)
		return rc;
	est_buf_init(&b);
	switch (f) {
	case EST_FORMAT_TEXT:
		rc = sweep_text(&b, s);
		break;
	case EST_FORMAT_JSON:
		sweep_json(&b, s);
		break;
	case EST_FORMAT_CSV:
		sweep_csv(&b, s);
		break;
	}
	return est_whatif__finish(&b, rc, out, len, "the sweep", err);
}
