/*
 * One evaluation of one scenario, the call `run`, `sensitivity` and `batch`
 * share: load it (a file, or a buffer named by the path), run the model,
 * settle the Monte Carlo settings, sample.
 *
 * Ownership: est_evaluate fills a caller-owned est_evaluation that owns its
 * scenario and result; est_evaluation_free frees them and zeroes it (a
 * zeroed est_evaluation is a valid argument). The options and the profiles
 * are borrowed for the call; the result points into the profiles, which must
 * outlive it.
 *
 * The sampling settings, one rule for every caller: each of samples and
 * seed is the option when given, else the scenario's `uncertainty:` value
 * (uncertainty.samples, uncertainty.seed), else the caller's fallback;
 * threads is the option, else EST_EVAL_THREADS. `run` and `sensitivity`
 * have always agreed on that order; they differ only in their fallbacks,
 * and both are kept because the outputs published with them depend on
 * them: `run` falls back to no sampling (its medians are a complete
 * answer) and seed 0, `sensitivity` to 2000 samples (its rank correlations
 * need samples) and seed 1. A new caller (batch) takes run's fallbacks, so
 * that it gives the numbers `run` gives for the same file. The seed
 * fallbacks differ for history only; a future major version should make
 * them one value.
 */
#ifndef ESTIMATOR_EVALUATE_H
#define ESTIMATOR_EVALUATE_H

#include <stddef.h>
#include "error.h"
#include "model.h"
#include "profiles.h"
#include "sample.h"
#include "scenario.h"

#define EST_EVAL_THREADS 2              /* sampling threads when none are given */
#define EST_EVAL_RUN_SAMPLES 0          /* run's and batch's fallbacks: no sampling, */
#define EST_EVAL_RUN_SEED 0UL           /* seed 0 */
#define EST_EVAL_SENSITIVITY_SAMPLES 2000 /* sensitivity's: 2000 samples, */
#define EST_EVAL_SENSITIVITY_SEED 1UL   /* seed 1 */

typedef struct est_eval_options {
	est_load_options load;          /* --set overrides, base_only, a buffer (data, len) */
	size_t samples;                 /* 0: not given */
	int seed_given;                 /* seed below is given (0 is a seed) */
	unsigned long seed;
	int threads;                    /* 0: EST_EVAL_THREADS; else 1 to 64 */
	size_t fallback_samples;        /* 0: no sampling unless asked for */
	unsigned long fallback_seed;
	int load_only;                  /* load and settle the sampling, run nothing (sensitivity) */
	int no_sampling;                /* run the model but do not sample, whatever the settings */
} est_eval_options;

typedef struct est_evaluation {
	est_scenario *scenario;
	est_result *result;             /* NULL with load_only */
	est_sample_options sampling;    /* as settled; samples 0: none */
	int sampled;                    /* est_model_sample wrote ranges into result */
} est_evaluation;

/* Options with run's fallbacks and nothing given; fill in what the caller was given. */
est_eval_options est_eval_options_run(void);

/*
 * Load path (or o->load.data, named path) with profiles p, then, unless
 * o->load_only, run the model and, when the settled samples are above 0 and
 * not o->no_sampling, sample. On failure the error of the first step that
 * failed is in err (located as that step locates it), *out holds what was
 * done before (free it with est_evaluation_free) and the status is negative.
 */
int est_evaluate(est_evaluation *out, const char *path, const est_profiles *p,
		 const est_eval_options *o, est_error *err);
void est_evaluation_free(est_evaluation *e);

#endif
