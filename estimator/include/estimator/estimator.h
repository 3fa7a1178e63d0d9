/* The whole public API of libestimator. */
#ifndef ESTIMATOR_H
#define ESTIMATOR_H

#define EST_VERSION_STRING "0.1.0"

#include "error.h"
#include "units.h"
#include "profiles.h"
#include "scenario.h"
#include "model.h"
#include "render.h"
#include "dist.h"
#include "sample.h"
#include "sensitivity.h"
#include "catalog.h"
#include "import.h"
#include "solve.h"
#include "whatif.h"
#include "evaluate.h"
#include "rows.h"
#include "batch.h"
#include "report.h"

#endif
