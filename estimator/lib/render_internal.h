/*
 * Shared by the renderers (internal): the contract tree every format is
 * checked against, and one entry point per format for the table in
 * render.c. The number and string formats are in format.h.
 */
#ifndef ESTIMATOR_RENDER_INTERNAL_H
#define ESTIMATOR_RENDER_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "estimator/model.h"
#include "buf.h"
#include "format.h"

/*
 * Build the estimator-result/1 tree of r (render_json.c) in contract key
 * order, and refuse it with EST_EINTERNAL when a number is not finite, the
 * message naming its key path. *out is freed with cJSON_Delete.
 */
int est_render_tree(cJSON **out, const est_result *r, est_error *err);

/* Append r, whose tree is `tree`, to out in one format. */
int est_render_json(est_buf *out, const est_result *r, const cJSON *tree,
		    est_error *err);
int est_render_text(est_buf *out, const est_result *r, const cJSON *tree,
		    est_error *err);
int est_render_csv(est_buf *out, const est_result *r, const cJSON *tree,
		   est_error *err);

#include "headlines.h"

#endif
