/*
 * The tidy rows (internal; rows.c): the `all` rows of a result from its
 * contract tree, shared by the CSV renderer and est_rows_each so that they
 * cannot drift.
 */
#ifndef ESTIMATOR_ROWS_INTERNAL_H
#define ESTIMATOR_ROWS_INTERNAL_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "estimator/rows.h"

/* One row as a CSV line (RFC 4180 fields), with the scenario column first or without it. */
void est_rows__put_csv(est_buf *b, const est_row *row, int with_scenario);

/*
 * Pass every row of r, whose tree (est_render_tree) is `tree`, to fn with
 * scenario as the row's scenario. Returns 0, or fn's first negative return.
 */
int est_rows__all(const est_result *r, const cJSON *tree, const char *scenario, est_row_fn fn,
		  void *ctx);

#endif
