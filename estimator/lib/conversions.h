/*
 * Energy and device-seconds per inference at the deployment (docs/model.md,
 * section 2): a profile record converted across measurement boundary and
 * hardware, or a task's central value and spread. Internal.
 */
#ifndef ESTIMATOR_CONVERSIONS_H
#define ESTIMATOR_CONVERSIONS_H

#include "estimator/model.h"

/* Fill wr->energy_wh, time_s, spread_* and wr->conversions for workload w. */
int est_conv_workload(est_workload_result *wr, const est_workload *w, const est_scenario *s,
		      const est_profiles *p, est_error *err);

#endif
