/*
 * Monte Carlo over the uncertain inputs of a scenario (docs/uncertainty.md):
 * seeded GSL streams, one per block of samples, so the same seed gives the
 * same numbers whatever the number of threads.
 *
 * Ownership: est_sample_variant returns an owned est_samples freed with
 * est_samples_free; est_model_sample writes into a result the caller owns.
 */
#ifndef ESTIMATOR_SAMPLE_H
#define ESTIMATOR_SAMPLE_H

#include <stddef.h>
#include "error.h"
#include "model.h"
#include "profiles.h"
#include "scenario.h"

#define EST_SAMPLE_BLOCK 256    /* samples per random stream */
/* EST_SAMPLES_MAX is in scenario.h, beside the loader that checks uncertainty.samples. */

typedef struct est_sample_options {
	size_t samples;         /* > 0 */
	unsigned long seed;
	int threads;            /* >= 1; the output does not depend on it */
} est_sample_options;

/* The samples of one scenario (a base or a variant). */
typedef struct est_samples {
	size_t n;               /* samples */
	size_t n_inputs;        /* the scenario's uncertain inputs, then profile fields the model
				   reads from records, then "any model" workloads */
	char **input_names;     /* e.g. "site.renewable_share", "profiles servers/dgx-h100.max_power",
				   "workloads[chat].model (any of 8)" */
	double *inputs;         /* n x n_inputs: each sample's input (any model: its Wh per inference) */
	size_t n_years;         /* the horizon; metrics have n_years + 1 rows (the last: totals) */
	double *metrics;        /* n x (n_years + 1) x EST_RANGED */
} est_samples;

/*
 * Sample one scenario. Besides 1 <= samples <= EST_SAMPLES_MAX, the samples
 * must fit 1 GiB at est_sample_bytes each, else EST_EUSAGE with the number
 * that would fit.
 */
int est_sample_variant(est_samples **out, const est_scenario *s, const est_profiles *p,
		       const est_sample_options *o, est_error *err);

/* The bytes one sample takes: its inputs, (years + 1) x EST_RANGED metrics, a quantile slot. */
size_t est_sample_bytes(size_t n_inputs, size_t years);
void est_samples_free(est_samples *x);

/*
 * Sample every scenario of a result computed by est_model_run (the base and
 * its variants) and write the p5, p50, p95 and mean of each headline metric,
 * per year and for the totals, into r (est_year.ranges), with the seed and
 * the generator's name.
 */
int est_model_sample(est_result *r, const est_scenario *s, const est_profiles *p,
		     const est_sample_options *o, est_error *err);

/*
 * One evaluation with the uncertain inputs set to `inputs` (n_inputs values
 * of est_samples' order; NAN keeps an input at its median, and for an "any
 * model" workload a value is its Wh per inference): the headline totals and
 * per-year values into metrics ((n_years + 1) x EST_RANGED). For tornado
 * charts.
 */
int est_sample_eval_at(double *metrics, const est_scenario *s, const est_profiles *p,
		       const double *inputs, size_t n_inputs, est_error *err);

#endif
