/*
 * Which uncertain inputs matter (docs/uncertainty.md): a tornado of one
 * headline metric with each input at its 5th and 95th percentile and the
 * others at their medians, and the Spearman rank correlation of each input
 * with the metric over Monte Carlo samples (sample.h).
 *
 * Ownership: est_sensitivity_run returns an owned analysis freed with
 * est_sensitivity_free that copies everything it holds (nothing is borrowed
 * from the scenario or the profiles), and est_sensitivity_render returns a
 * heap string that the caller frees with free().
 */
#ifndef ESTIMATOR_SENSITIVITY_H
#define ESTIMATOR_SENSITIVITY_H

#include <stddef.h>
#include "error.h"
#include "profiles.h"
#include "render.h"
#include "sample.h"
#include "scenario.h"

#define EST_SENSITIVITY_FORMAT_ID "estimator-sensitivity/1"
#define EST_SENSITIVITY_DEFAULT_METRIC "emissions_kgco2e.location_based"
#define EST_SENSITIVITY_LOW 0.05    /* the tornado's percentiles */
#define EST_SENSITIVITY_HIGH 0.95

typedef struct est_sensitivity_options {
	const char *metric;             /* a headline key (docs/what-if.md); NULL: the default */
	int year;                       /* 0: the totals over the horizon; else that calendar year */
	est_sample_options sampling;    /* for the rank correlations */
} est_sensitivity_options;

/* One uncertain input; values are in the field's canonical unit (a share as a fraction). */
typedef struct est_sensitivity_input {
	char *name;             /* est_samples' input name, e.g. "workloads[chat].demand" */
	double low, high;       /* the input's 5th and 95th percentile */
	double metric_at_low, metric_at_high; /* the others at their medians */
	double swing;           /* |metric_at_high - metric_at_low| */
	double spearman;        /* rank correlation with the metric; NAN when either is constant */
} est_sensitivity_input;

typedef struct est_sensitivity {
	char *scenario;         /* the scenario's name */
	char *file;
	char *metric;           /* the headline key */
	char *label;            /* e.g. "location-based emissions" */
	char *unit;             /* e.g. "kgCO2e"; the currency for costs */
	int year;               /* 0: the totals */
	int start_year, years;  /* the horizon */
	double baseline;        /* every input at its median */
	size_t samples;
	unsigned long seed;
	const char *generator;  /* GSL's generator name (static) */
	est_sensitivity_input *inputs; /* by swing, largest first (ties: scenario order) */
	size_t n_inputs;
} est_sensitivity;

/*
 * 0 when `key` names a headline metric, else EST_EUSAGE with "unknown metric
 * 'KEY'" and the nearest key, or the list of keys, in err (no location).
 */
int est_sensitivity_check_metric(const char *key, est_error *err);

/*
 * Rank the uncertain inputs of s (its base; variants are ignored) by their
 * effect on one metric. An unknown metric or a year outside the horizon is
 * EST_EUSAGE (no location); a scenario without uncertain inputs (no
 * distribution and no "any model" workload) is EST_EINVALID, located at the
 * file. Other errors are the sampler's and the model's; on failure *out is
 * NULL.
 */
int est_sensitivity_run(est_sensitivity **out, const est_scenario *s, const est_profiles *p,
			const est_sensitivity_options *o, est_error *err);
void est_sensitivity_free(est_sensitivity *x);

/* As text (a table and a tornado chart) or JSON (estimator-sensitivity/1); CSV is EST_EUSAGE. */
int est_sensitivity_render(char **out, size_t *len, const est_sensitivity *x, est_format f,
			   est_error *err);

#endif
