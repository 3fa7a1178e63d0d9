/*
 * A sensitivity analysis (est_sensitivity) as text, a table of the inputs and
 * a tornado chart, or as JSON (estimator-sensitivity/1). There is no CSV: the
 * analysis is one small table, and its JSON is the machine form.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "estimator/sensitivity.h"
#include "whatif_internal.h"

#define HEAD_MIN 8      /* table headers are wrapped no narrower than this */
#define BAR_MAX 40      /* the tornado chart's width in characters, the baseline mark aside */

static int check_finite(const est_sensitivity *x, est_error *err)
{
	size_t i;

	if (!isfinite(x->baseline))
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "baseline is not a finite number");
	for (i = 0; i < x->n_inputs; i++) {
		const est_sensitivity_input *in = &x->inputs[i];
		if (!isfinite(in->low) || !isfinite(in->high) || !isfinite(in->metric_at_low) ||
		    !isfinite(in->metric_at_high) || !isfinite(in->swing))
			return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
					     "inputs[%zu] (%s) has a number that is not finite", i,
					     in->name);
	}
	return 0;
}

/* ---- text ---- */

static void correlation_text(char out[EST_WHATIF_CELL_MAX], double rho)
{
	if (isnan(rho))
		snprintf(out, EST_WHATIF_CELL_MAX, "n/a");
	else
		snprintf(out, EST_WHATIF_CELL_MAX, "%.3f", fabs(rho) < 0.0005 ? 0.0 : rho);
}

static void header(est_buf *b, const est_sensitivity *x)
{
	char num[EST_WHATIF_CELL_MAX];

	est_text_printf(b, "Scenario: %s\n", x->scenario);
	est_text_printf(b, "File:     %s\n", x->file);
	est_text_printf(b, "Metric:   %s (%s), %s, ", x->label, x->metric, x->unit);
	if (x->year)
		est_buf_printf(b, "in %d\n", x->year);
	else
		est_buf_printf(b, "total over %d-%d\n", x->start_year, x->start_year + x->years - 1);
	est_whatif__amount(num, x->baseline);
	est_text_printf(b, "Baseline: %s %s, every input at its median\n", num, x->unit);
	est_text_printf(b, "Sampling: %zu samples, seed %lu (%s)\n\n", x->samples, x->seed,
		       x->generator);
	est_buf_puts(b, "Each input at its 5th (low) and 95th (high) percentile, the others at their\n"
			"medians, largest swing first; rank correlation: Spearman's, of the input\n"
			"with the metric over the samples.\n\n");
}

static int table(est_buf *b, const est_sensitivity *x)
{
	static const char *const heads[] = {"input", "low", "high", "metric at low",
					    "metric at high", "swing", "rank correlation"};
	est_whatif_table t;
	size_t i, j;
	int rc = est_whatif__table_init(&t, x->n_inputs, 7, 1, HEAD_MIN);

	if (rc < 0)
		goto cleanup;
	for (j = 0; j < 7; j++)
		snprintf(t.head[j], EST_WHATIF_CELL_MAX, "%s", heads[j]);
	t.left[0] = 1;
	for (i = 0; i < x->n_inputs; i++) {
		const est_sensitivity_input *in = &x->inputs[i];
		est_escape(est_whatif__cell(&t, i, 0), EST_WHATIF_CELL_MAX, in->name);
		est_whatif__amount(est_whatif__cell(&t, i, 1), in->low);
		est_whatif__amount(est_whatif__cell(&t, i, 2), in->high);
		est_whatif__amount(est_whatif__cell(&t, i, 3), in->metric_at_low);
		est_whatif__amount(est_whatif__cell(&t, i, 4), in->metric_at_high);
		est_whatif__amount(est_whatif__cell(&t, i, 5), in->swing);
		correlation_text(est_whatif__cell(&t, i, 6), in->spearman);
	}
	est_whatif__table_print(b, &t);
cleanup:
	est_whatif__table_dispose(&t);
	return rc;
}

/* Cells between the baseline's boundary `axis` and boundary `to`, drawn with c. */
static void fill(char *cells, size_t axis, size_t to, char c)
{
	size_t k;

	for (k = axis < to ? axis : to; k < (axis < to ? to : axis); k++)
		cells[k] = c;
}

/*
 * One line per input: the metric from the input at low ('-') to at high
 * ('+'), on one scale from the lowest value any input reaches to the
 * highest, BAR_MAX characters wide, with '|' at the baseline.
 */
static void tornado(est_buf *b, const est_sensitivity *x)
{
	char cells[BAR_MAX + 1], lo_text[EST_WHATIF_CELL_MAX], hi_text[EST_WHATIF_CELL_MAX];
	double vmin = x->baseline, vmax = x->baseline, span;
	size_t i, width = 0, axis, pl, ph, end;

	for (i = 0; i < x->n_inputs; i++) {
		const est_sensitivity_input *in = &x->inputs[i];
		vmin = fmin(vmin, fmin(in->metric_at_low, in->metric_at_high));
		vmax = fmax(vmax, fmax(in->metric_at_low, in->metric_at_high));
		if (est_text_length(in->name) > width)
			width = est_text_length(in->name);
	}
	span = vmax - vmin;
#define POS(v) (span > 0 ? (size_t)lround(((v) - vmin) / span * BAR_MAX) : 0)
	axis = POS(x->baseline);
	est_whatif__amount(lo_text, vmin);
	est_whatif__amount(hi_text, vmax);
	est_text_printf(b, "\nTornado from %s to %s %s ('|' the baseline, '-' the input at low, '+' at high):\n",
		       lo_text, hi_text, x->unit);
	for (i = 0; i < x->n_inputs; i++) {
		const est_sensitivity_input *in = &x->inputs[i];
		memset(cells, ' ', BAR_MAX);
		pl = POS(in->metric_at_low);
		ph = POS(in->metric_at_high);
		/* the longer side first, so that both show when they lie on one side */
		if ((pl > axis ? pl - axis : axis - pl) >= (ph > axis ? ph - axis : axis - ph)) {
			fill(cells, axis, pl, '-');
			fill(cells, axis, ph, '+');
		} else {
			fill(cells, axis, ph, '+');
			fill(cells, axis, pl, '-');
		}
		end = BAR_MAX;
		while (end > axis && cells[end - 1] == ' ')
			end--;
		est_text_printf(b, "  %-*s  %.*s|%.*s\n", (int)width, in->name, (int)axis, cells,
			       (int)(end - axis), cells + axis);
	}
#undef POS
}

static int text(est_buf *b, const est_sensitivity *x)
{
	int rc;

	header(b, x);
	rc = table(b, x);
	if (rc == 0)
		tornado(b, x);
	return rc;
}

/* ---- JSON ---- */

static void json(est_buf *b, const est_sensitivity *x)
{
	est_whatif_json j = {b, 0, {0}};
	size_t i;

	est_whatif__json_open(&j, NULL, '{');
	est_whatif__json_string(&j, "format", EST_SENSITIVITY_FORMAT_ID);
	est_whatif__json_open(&j, "scenario", '{');
	est_whatif__json_string(&j, "name", x->scenario);
	est_whatif__json_string(&j, "file", x->file);
	est_whatif__json_close(&j, '}');
	est_whatif__json_string(&j, "metric", x->metric);
	est_whatif__json_string(&j, "unit", x->unit);
	if (x->year)
		est_whatif__json_number(&j, "year", x->year);
	else
		est_whatif__json_null(&j, "year");
	est_whatif__json_number(&j, "baseline", x->baseline);
	est_whatif__json_number(&j, "samples", (double)x->samples);
	est_whatif__json_number(&j, "seed", (double)x->seed);
	est_whatif__json_string(&j, "generator", x->generator);
	est_whatif__json_open(&j, "inputs", '[');
	for (i = 0; i < x->n_inputs; i++) {
		const est_sensitivity_input *in = &x->inputs[i];
		est_whatif__json_open(&j, NULL, '{');
		est_whatif__json_string(&j, "name", in->name);
		est_whatif__json_number(&j, "low", in->low);
		est_whatif__json_number(&j, "high", in->high);
		est_whatif__json_number(&j, "metric_at_low", in->metric_at_low);
		est_whatif__json_number(&j, "metric_at_high", in->metric_at_high);
		est_whatif__json_number(&j, "swing", in->swing);
		if (isnan(in->spearman))
			est_whatif__json_null(&j, "spearman");
		else
			est_whatif__json_number(&j, "spearman", in->spearman);
		est_whatif__json_close(&j, '}');
	}
	est_whatif__json_close(&j, ']');
	est_whatif__json_close(&j, '}');
}

int est_sensitivity_render(char **out, size_t *len, const est_sensitivity *x, est_format f,
			   est_error *err)
{
	est_buf b;
	int rc = 0;

	assert(out);
	assert(x);
	*out = NULL;
	if (len)
		*len = 0;
	if (f == EST_FORMAT_CSV)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "sensitivity is written as text or json, not csv");
	rc = est_whatif__check_format(f, err);
	if (rc == 0)
		rc = check_finite(x, err);
	if (rc < 0)
		return rc;
	est_buf_init(&b);
	switch (f) {
	case EST_FORMAT_TEXT:
		rc = text(&b, x);
		break;
	case EST_FORMAT_JSON:
		json(&b, x);
		break;
	case EST_FORMAT_CSV: /* refused above */
		break;
	}
	return est_whatif__finish(&b, rc, out, len, "the sensitivity analysis", err);
}
