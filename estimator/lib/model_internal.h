/*
 * The model's evaluation without allocation, for the sampler (internal).
 */
#ifndef ESTIMATOR_MODEL_INTERNAL_H
#define ESTIMATOR_MODEL_INTERNAL_H

#include "estimator/model.h"

/*
 * Evaluate scenario s into workspace v, whose years (s->years) and workloads
 * (s->n_workloads, each with years) are allocated by the caller and whose
 * workloads' energy_wh and time_s are already set. Fills v->years and
 * v->totals; returns 0, or EST_EINVALID when a number overflows.
 */
int est_model__eval(est_variant *v, const est_scenario *s, const est_profiles *p,
		    size_t n_equivalences, est_error *err);

#endif
