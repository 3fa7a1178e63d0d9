/*
 * One scenario's result as tidy rows, `scenario,variant,year,metric,value,
 * unit`, written without building the result document (the headline
 * metrics) or from it (all: every number the CSV renderer writes, by the
 * same code, in the same order and format), and as one NDJSON line: the
 * estimator-result/1 document on one line. Made for a batch that writes
 * scenario after scenario in input order.
 *
 * Rows: scenario is the caller's name for the scenario (a batch gives the
 * path as given); variant is "base" or the variant's name, empty for rows
 * of the whole result (sampling.*, equivalence.*); year is the calendar
 * year, "total" for the totals over the horizon (and vs_base.*, delta.*),
 * empty for rows that belong to no year; value is formatted as JSON and CSV
 * print numbers (format.c: an integer within 2^53 exactly, else ten
 * significant digits); unit is the metric's, the currency for costs.
 *
 * Headline rows, per variant: each year's headline metrics in the order of
 * docs/output-format.md's headline table, each followed, for a sampled
 * result, by uncertainty.<metric>.<p5|p50|p95|mean>; then the same for the
 * totals (year "total"). Each is also a row of the `all` set, with the same
 * variant, year, metric, value and unit.
 *
 * Ownership: est_rows_each passes rows whose strings live until the
 * callback returns; est_rows_csv and est_rows_ndjson return a heap string
 * that the caller frees with free(). Nothing is kept between calls, so
 * distinct results may be written on several threads at once.
 */
#ifndef ESTIMATOR_ROWS_H
#define ESTIMATOR_ROWS_H

#include <stddef.h>
#include "error.h"
#include "model.h"

/* The header line of est_rows_csv's rows. */
#define EST_ROWS_HEADER "scenario,variant,year,metric,value,unit\n"

typedef enum est_metrics {
	EST_METRICS_HEADLINE, /* the headline metrics and their ranges */
	EST_METRICS_ALL       /* every number of the result, as `run --format csv` */
} est_metrics;

/* "headline" or "all": 0 and *out set, or EST_EUSAGE (nothing set, err untouched). */
int est_metrics_parse(est_metrics *out, const char *name);

typedef struct est_row {
	const char *scenario;   /* as given to est_rows_each; never NULL */
	const char *variant;
	const char *year;
	const char *metric;
	const char *value;
	const char *unit;
} est_row;

/* Called once a row, in order; a negative return stops the rows and is returned. */
typedef int (*est_row_fn)(void *ctx, const est_row *row);

/*
 * The rows of r under the name `scenario`. A number that is not finite is
 * EST_EINTERNAL naming it, before any row is passed (as est_render refuses
 * it); out of memory is EST_EINTERNAL.
 */
int est_rows_each(const est_result *r, const char *scenario, est_metrics m, est_row_fn fn,
		  void *ctx, est_error *err);

/*
 * The rows of r as CSV lines (no header: EST_ROWS_HEADER), fields quoted
 * per RFC 4180 when they hold a comma, quote, CR or LF, lines ending in LF.
 */
int est_rows_csv(char **out, size_t *len, const est_result *r, const char *scenario,
		 est_metrics m, est_error *err);

/*
 * r as one NDJSON line: the document `run --format json` prints, with the
 * same keys, order and number bytes, without the line breaks and the
 * indentation, ending in one LF.
 */
int est_rows_ndjson(char **out, size_t *len, const est_result *r, est_error *err);

#endif
