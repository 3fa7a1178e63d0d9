/*
 * The result as one tidy CSV table, `variant,year,metric,value,unit`: the
 * `all` rows of rows.c (the contract tree flattened, so that every number
 * of the JSON result has a row named by its key path, in the same order
 * and the same format), which a batch writes with a scenario column first.
 *
 * Rows: as rows.c lists them (docs/output-format.md). Lines end in
 * LF; fields are quoted per RFC 4180 when they hold a comma, quote, CR or LF.
 */
#include "render_internal.h"
#include "rows.h"

/* One row as a CSV line: the scenario column is the batch's, not ours. */
static int csv_line(void *ctx, const est_row *row)
{
	est_rows__put_csv(ctx, row, 0);
	return 0; /* out of memory is sticky: est_render's detach tells */
}

int est_render_csv(est_buf *out, const est_result *r, const cJSON *tree,
		   est_error *err)
{
	(void)err;
	est_buf_puts(out, "variant,year,metric,value,unit\n");
	return est_rows__all(r, tree, "", csv_line, out);
}
