/*
 * The procurement report (docs/report.md): one self-contained document for
 * finance and the board, from evaluated scenarios, as print-ready HTML (inline
 * SVG charts with their data tables, no script, no network) or Markdown
 * (the same sections, tables instead of charts).
 *
 * Ownership: est_report_render borrows its input for the call and returns a
 * heap string the caller frees with free().
 */
#ifndef ESTIMATOR_REPORT_H
#define ESTIMATOR_REPORT_H

#include <stddef.h>
#include "error.h"
#include "model.h"
#include "profiles.h"
#include "scenario.h"
#include "sensitivity.h"

typedef enum est_report_format {
	EST_REPORT_HTML,
	EST_REPORT_MARKDOWN
} est_report_format;

/* One scenario of the report: its result (sampled when its inputs are uncertain). */
typedef struct est_report_item {
	const est_scenario *scenario;
	const est_result *result;
	const est_sensitivity *sensitivity; /* NULL when the scenario has no uncertain input */
	const char *file;                   /* as given */
	const char *file_digest;            /* SHA-256 of the file's bytes, hex */
	const char *conversion;             /* the costs' conversion into the report's currency, one
					       line ("SEK to EUR at 1 SEK = 0.0873 EUR (--rate)"); NULL: none */
} est_report_item;

typedef struct est_report_input {
	const est_report_item *items;       /* one scenario, or several as a portfolio */
	size_t n_items;
	const est_profiles *profiles;
	const char *profiles_digest;        /* est_batch_profiles_digest's */
	const char *generated;              /* the date shown, e.g. "2026-12-02"; NULL: none */
	const char *paper;                  /* HTML's printed page: "a4" (NULL) or "letter" */
} est_report_input;

/* "<scenario name>": the title of the report's first page */
int est_report_render(char **out, size_t *len, const est_report_input *in, est_report_format f,
		      est_error *err);

#endif
