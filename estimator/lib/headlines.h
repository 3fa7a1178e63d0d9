/*
 * The headline metrics (internal): the one table every writer reads (JSON
 * ranges and vs_base, CSV, text, compare, sweep, sensitivity, the sampler
 * and the tidy rows of rows.c). Adding a metric is one line of headlines.c
 * and EST_HEADLINES in model.h (a compile-time check keeps them equal).
 *
 * Ownership: the table and every string in it are static.
 */
#ifndef ESTIMATOR_HEADLINES_H
#define ESTIMATOR_HEADLINES_H

#include <stddef.h>
#include "estimator/model.h"

typedef struct est_headline {
	/*
	 * The key path inside a year (and the totals) of estimator-result/1,
	 * e.g. "emissions_kgco2e.location_based"; the same string is the CSV
	 * metric name, the key under uncertainty. and vs_base., and the
	 * --metric of sensitivity.
	 */
	const char *key;
	const char *label;      /* "location-based emissions" */
	const char *unit;       /* in JSON and CSV; "$" stands for the result's currency */
	double (*get)(const est_year *y);
	/* how the text report shows it: value x text_scale with text_decimals, in text_unit */
	const char *text_unit;  /* "$": the currency; "": a count, no unit shown */
	double text_scale;
	int text_decimals;
} est_headline;

extern const est_headline est_headlines[];
extern const size_t est_n_headlines;

/*
 * The metrics the sampler ranges (EST_RANGED): h < EST_HEADLINES is
 * est_headlines[h]; then "cost.total" and "power_kw.it_peak". Year y of v, or
 * its totals when y == v->n_years (the peak's: the largest year's).
 */
const char *est_ranged_key(size_t h);
const char *est_ranged_unit(size_t h); /* "$": the result's currency */
double est_ranged_get(size_t h, const est_variant *v, size_t y);

/* The index of `key` in est_headlines, or -1. */
int est_headline_index(const char *key);
/* h's unit with "$" replaced by `currency`. */
const char *est_headline_unit(const est_headline *h, const char *currency);

#endif
