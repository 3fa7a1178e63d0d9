/*
 * Render a result as text, JSON (the estimator-result/1 contract) or CSV.
 *
 * Ownership: est_render returns a heap string through *out that the caller
 * frees with free(). Nothing else is allocated or kept.
 */
#ifndef ESTIMATOR_RENDER_H
#define ESTIMATOR_RENDER_H

#include <stddef.h>
#include "error.h"
#include "model.h"

typedef enum est_format {
	EST_FORMAT_TEXT,
	EST_FORMAT_JSON,
	EST_FORMAT_CSV
} est_format;

/* Returns 0 and sets *out, or EST_EUSAGE for an unknown name. */
int est_format_parse(est_format *out, const char *name);

int est_render(char **out, size_t *len, const est_result *r, est_format f,
	       est_error *err);

#endif
