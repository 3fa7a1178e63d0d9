/*
 * `compare` (docs/what-if.md): several evaluations side by side. Each input
 * file is loaded with its overrides and evaluated; its base, and when asked
 * each variant, becomes one column holding the totals over the horizon.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/model.h"
#include "estimator/whatif.h"

static char *copy(const char *s)
{
	return strdup(s ? s : "");
}

/* "name" or "name / variant", with " (k)" added when an earlier column has it. */
static char *make_label(const est_compare *c, const char *name, const char *variant)
{
	size_t len = strlen(name) + (variant ? strlen(variant) + 3 : 0) + 24;
	char *label = malloc(len);
	size_t i, n_same = 0;
	int n;

	if (!label)
		return NULL;
	if (variant)
		snprintf(label, len, "%s / %s", name, variant);
	else
		snprintf(label, len, "%s", name);
	n = (int)strlen(label);
	for (;;) {
		int clash = 0;
		for (i = 0; i < c->n_columns && !clash; i++)
			clash = strcmp(c->columns[i].label, label) == 0;
		if (!clash)
			return label;
		snprintf(label + n, len - (size_t)n, " (%zu)", ++n_same + 1);
	}
}

static int add_column(est_compare *c, const est_result *r, const est_variant *v,
		      int is_base, est_error *err)
{
	est_compare_column *col;

	if (c->n_columns % 8 == 0) {
		est_compare_column *grown =
			realloc(c->columns, (c->n_columns + 8) * sizeof(*grown));
		if (!grown)
			return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
		c->columns = grown;
	}
	col = &c->columns[c->n_columns];
	memset(col, 0, sizeof(*col));
	col->label = make_label(c, r->scenario_name ? r->scenario_name : "",
				is_base ? NULL : v->name);
	col->scenario = copy(r->scenario_name);
	col->file = copy(r->scenario_file);
	col->variant = copy(v->name);
	c->n_columns++; /* counted now so that est_compare_free frees it */
	if (!col->label || !col->scenario || !col->file || !col->variant)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	col->start_year = v->n_years > 0 ? v->years[0].year : 0;
	col->years = (int)v->n_years;
	col->totals = v->totals;
	return 0;
}

/* One input: load, convert to the table's currency, evaluate, one column per variant. */
static int compare_one(est_compare *c, const est_compare_input *in, int with_variants,
		       const est_rate *rates, size_t n_rates, const est_profiles *p, est_error *err)
{
	est_load_options load;
	est_scenario *s = NULL;
	est_result *r = NULL;
	const char *origin = "";
	double rate = 1;
	size_t i, first = c->n_columns;
	int rc;

	memset(&load, 0, sizeof(load));
	if (in->load)
		load = *in->load;
	load.base_only = !with_variants;
	rc = est_scenario_load_with(&s, in->file, p, &load, err);
	if (rc < 0)
		goto cleanup;
	if (!c->currency[0])
		memcpy(c->currency, s->currency, sizeof(c->currency));
	if (strcmp(c->currency, s->currency) != 0) {
		rc = est_currency_rate(s, c->currency, rates, n_rates, in->file, &rate, &origin, err);
		if (rc < 0)
			goto cleanup;
	}
	rc = est_model_run(&r, s, p, err);
	if (rc == 0 && rate != 1)
		est_result_convert_currency(r, c->currency, rate);
	for (i = 0; rc == 0 && i < r->n_variants; i++)
		rc = add_column(c, r, &r->variants[i], i == 0, err);
	for (i = first; rc == 0 && i < c->n_columns; i++) {
		snprintf(c->columns[i].from, sizeof(c->columns[i].from), "%s", s->currency);
		c->columns[i].rate = rate;
		c->columns[i].rate_origin = origin;
	}
cleanup:
	est_result_free(r);
	est_scenario_free(s);
	return rc;
}

int est_compare_run_in(est_compare **out, const est_compare_input *inputs, size_t n_inputs,
		       int with_variants, const char *currency, const est_rate *rates,
		       size_t n_rates, const est_profiles *p, est_error *err)
{
	est_compare *c;
	size_t i;
	int rc = 0;

	assert(out);
	assert(inputs || n_inputs == 0);
	assert(p);
	*out = NULL;
	if (n_inputs == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "nothing to compare: no scenario file");
	c = calloc(1, sizeof(*c));
	if (!c)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	if (currency)
		snprintf(c->currency, sizeof(c->currency), "%s", currency);
	for (i = 0; i < n_inputs && rc == 0; i++) {
		assert(inputs[i].file);
		rc = compare_one(c, &inputs[i], with_variants, rates, n_rates, p, err);
	}
	if (rc < 0) {
		est_compare_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int est_compare_run(est_compare **out, const est_compare_input *inputs, size_t n_inputs,
		    int with_variants, const est_profiles *p, est_error *err)
{
	return est_compare_run_in(out, inputs, n_inputs, with_variants, NULL, NULL, 0, p, err);
}

void est_compare_free(est_compare *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_columns; i++) {
		free(c->columns[i].label);
		free(c->columns[i].scenario);
		free(c->columns[i].file);
		free(c->columns[i].variant);
	}
	free(c->columns);
	free(c);
}
