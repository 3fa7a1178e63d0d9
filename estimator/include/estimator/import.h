/*
 * Importing measurements as a profile measurement file (docs/profiles.md):
 * CodeCarbon's emissions.csv and AI Energy Score result CSVs. The output is
 * the YAML text of a measurement file, written with libyaml's emitter, that a
 * scenario can load at once (`measurements:`).
 *
 * Ownership: *out is a heap string the caller frees with free().
 */
#ifndef ESTIMATOR_IMPORT_H
#define ESTIMATOR_IMPORT_H

#include <stddef.h>
#include "error.h"
#include "profiles.h"

typedef struct est_import_codecarbon_opts {
	const char *task;          /* task id in the library (required) */
	const char *model;         /* model name (required) */
	double inferences;         /* inferences the file's runs performed, > 0 */
	const char *id;            /* record id, or NULL for one derived from the model */
	const char *hardware;      /* accelerator id, or NULL for the one gpu_model names */
	est_model_kind kind;       /* 0 is EST_MODEL_TASK_SPECIFIC */
} est_import_codecarbon_opts;

/*
 * Sum the energy (energy_consumed, kWh) and duration over the rows of a
 * CodeCarbon emissions.csv; the record's energy is the sum / inferences
 * (boundary: node, or facility when the file's PUE is above 1), its hardware
 * the accelerator named in gpu_model, and its source the file and its run ids.
 * A malformed file is EST_EINVALID located at FILE:LINE (and column when
 * known); an unreadable one EST_EIO; an unknown task or hardware id or a
 * number of inferences that is not above zero EST_EUSAGE.
 */
int est_import_codecarbon(char **out, size_t *len, const char *csv_path,
			  const est_import_codecarbon_opts *o, const est_profiles *p,
			  est_error *err);

/*
 * AI Energy Score results (`,timestamp,task,model,dataset,total_gpu_energy`,
 * kWh per 1,000 queries): one record per (task, model), the mean over its
 * rows; boundary gpu, hardware the reference H100, batch 1.
 */
int est_import_ai_energy_score(char **out, size_t *len, const char *csv_path,
			       const est_profiles *p, est_error *err);

#endif
