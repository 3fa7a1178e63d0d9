/*
 * Energy and device-seconds per inference at the deployment (docs/model.md,
 * section 2): a profile record converted across measurement boundary and
 * hardware, or a task's central value and spread. Internal.
 */
#ifndef ESTIMATOR_CONVERSIONS_H
#define ESTIMATOR_CONVERSIONS_H

#include "estimator/model.h"

/*
 * Fill wr's per-inference figures (energy_wh and its parts, time_s, measured
 * figure, replica, spread_*) and wr->conversions for workload w.
 */
int est_conv_workload(est_workload_result *wr, const est_workload *w, const est_scenario *s,
		      const est_profiles *p, est_error *err);

/*
 * For sampling: out's energy_wh, accelerator_wh, host_wh, time_s and replica
 * for workload w in scenario s, from record m (or, when m is NULL, as
 * est_conv_workload would give them), with w's overrides; allocates nothing
 * and lists nothing.
 */
int est_conv_values(est_workload_result *out, const est_workload *w,
		    const est_model_profile *m, const est_scenario *s, const est_profiles *p);

/*
 * The records "any model for this task" samples from: the study's
 * task-specific models of a task with statistics, else every measured record
 * (reference figures excluded). Fills up to max into out; returns how many
 * there are.
 */
size_t est_conv_candidates(const est_task *t, const est_profiles *p,
			   const est_model_profile **out, size_t max);

#endif
