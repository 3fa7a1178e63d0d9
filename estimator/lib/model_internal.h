/*
 * The model's evaluation without allocation, for the sampler (internal).
 */
#ifndef ESTIMATOR_MODEL_INTERNAL_H
#define ESTIMATOR_MODEL_INTERNAL_H

#include "estimator/model.h"

/*
 * Evaluate scenario s into workspace v, whose years (s->years) and workloads
 * (s->n_workloads, each with years) are allocated (zeroed once) by the
 * caller and whose workloads' per-inference figures (energy_wh and its
 * parts, time_s, replica) are already set. Fills v->years and v->totals,
 * reusing the workspace as it stands; returns 0, or EST_EINVALID when a
 * number overflows.
 */
int est_model__eval(est_variant *v, const est_scenario *s, const est_profiles *p,
		    size_t n_equivalences, est_error *err);

#endif
