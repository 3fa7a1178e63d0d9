/*
 * What-if analysis over whole evaluations (docs/what-if.md): `compare` puts
 * scenarios and their variants side by side, `sweep` evaluates one scenario
 * over a range (or a grid) of values of one or two inputs. Both load and
 * evaluate through est_scenario_load_with and est_model_run, keep each
 * evaluation's totals, and render them as text, JSON or CSV.
 *
 * Ownership: est_compare_run and est_sweep_run return an owned table freed
 * with est_compare_free / est_sweep_free that copies everything it holds
 * (nothing is borrowed from the arguments), and the renderers return a heap
 * string that the caller frees with free().
 */
#ifndef ESTIMATOR_WHATIF_H
#define ESTIMATOR_WHATIF_H

#include <stddef.h>
#include "error.h"
#include "model.h"
#include "profiles.h"
#include "render.h"
#include "scenario.h"

#define EST_COMPARE_FORMAT_ID "estimator-compare/1"
#define EST_SWEEP_FORMAT_ID "estimator-sweep/1"

/* ---- compare ---- */

/*
 * One file to compare, with its own overrides (NULL: none); with load->data
 * set, the document is those bytes and `file` only names it.
 */
typedef struct est_compare_input {
	const char *file;
	const est_load_options *load;   /* base_only is decided by est_compare_run */
} est_compare_input;

/* One evaluation side by side with the others: a file's base or one of its variants. */
typedef struct est_compare_column {
	char *label;         /* the scenario's name, or "name / variant"; unique in the table */
	char *scenario;      /* the scenario's name */
	char *file;          /* as given */
	char *variant;       /* "base" or the variant's name */
	int start_year, years;
	est_year totals;     /* over the horizon: the additive fields (model.h) */
	char from[4];        /* the scenario's own currency */
	double rate;         /* 1 `from` = rate of the table's currency (1 when the same) */
	const char *rate_origin; /* "--rate", "costs.exchange_rates" or "" (the same currency) */
} est_compare_column;

typedef struct est_compare {
	char currency[4];    /* shared by every column */
	est_compare_column *columns;
	size_t n_columns;
} est_compare;

/*
 * Load and evaluate each input, in order, one column per evaluation: its
 * base, then (when with_variants) each of its variants. Every column must
 * report costs in the first one's currency (else EST_EINVALID). Errors are
 * the loader's and the model's; on failure *out is NULL.
 */
int est_compare_run(est_compare **out, const est_compare_input *inputs, size_t n_inputs,
		    int with_variants, const est_profiles *p, est_error *err);

/*
 * est_compare_run in one currency: `currency` (NULL: the first column's).
 * A scenario costed in another is converted (est_result_convert_currency)
 * at the rate given in `rates` for its currency, else at the inverse of its
 * own costs.exchange_rates entry for the table's currency; with neither,
 * EST_EINVALID names both ways to give one.
 */
int est_compare_run_in(est_compare **out, const est_compare_input *inputs, size_t n_inputs,
		       int with_variants, const char *currency, const est_rate *rates,
		       size_t n_rates, const est_profiles *p, est_error *err);
void est_compare_free(est_compare *c);

/* The table as text, JSON (estimator-compare/1) or CSV; *out is freed with free(). */
int est_compare_render(char **out, size_t *len, const est_compare *c, est_format f,
		       est_error *err);

/* ---- sweep ---- */

#define EST_SWEEP_MAX_VARY 2
#define EST_SWEEP_MAX_POINTS 1000
#define EST_VARY_PATH_MAX 256
#define EST_VARY_TEXT_MAX 64   /* a FROM or TO value, or a unit text, with its NUL */
#define EST_VARY_VALUE_MAX 96  /* a point's value: "%.10g" and the unit text */

/* One varied input, `PATH=FROM:TO:STEPS`. */
typedef struct est_vary {
	char path[EST_VARY_PATH_MAX];
	char from_text[EST_VARY_TEXT_MAX];  /* as given, e.g. "10%" */
	char to_text[EST_VARY_TEXT_MAX];
	char unit[EST_VARY_TEXT_MAX];       /* the text after FROM's and TO's numbers, e.g. "%" */
	double from, to;
	size_t steps;                       /* 2 or more points, from FROM to TO inclusive */
	int line, column;                   /* where errors point: which --vary, where FROM starts */
} est_vary;

/*
 * Parse `PATH=FROM:TO:STEPS` (the line-th --vary). FROM and TO are numbers
 * followed by the same unit text; STEPS is a whole number from 2 to
 * EST_SWEEP_MAX_POINTS. A malformed spec is EST_EUSAGE with a message
 * and no location.
 */
int est_vary_parse(est_vary *out, const char *spec, int line, est_error *err);

/* The value of point i (0-based) of v: FROM + i (TO - FROM) / (STEPS - 1), TO at the last. */
double est_vary_value(const est_vary *v, size_t i);

typedef struct est_sweep_options {
	const est_vary *vary;          /* one or two; the first varies slowest */
	size_t n_vary;
	const est_load_options *load;  /* overrides applied before the varied values, and the
	                                  document when its data is set (its base_only is
	                                  ignored); may be NULL */
	const char *variant;           /* NULL: the base; else this variant's result */
} est_sweep_options;

typedef struct est_sweep_point {
	char values[EST_SWEEP_MAX_VARY][EST_VARY_VALUE_MAX]; /* as applied, e.g. "10%" */
	double numbers[EST_SWEEP_MAX_VARY];                   /* their numbers: 10 for "10%" */
	int start_year, years;
	est_year totals;     /* over the horizon: the additive fields (model.h) */
	double it_peak_kw;   /* the IT power peak of the last year */
} est_sweep_point;

typedef struct est_sweep {
	char *scenario;      /* the scenario's name */
	char *file;
	char *variant;       /* "base" or the variant's name */
	char currency[4];
	est_vary vary[EST_SWEEP_MAX_VARY];
	size_t n_vary;
	est_sweep_point *points;   /* the full grid, the first input varying slowest */
	size_t n_points;
} est_sweep;

/*
 * Evaluate `file` at every point of the grid: each point's values are
 * applied as overrides after o->load's (origin "--vary", located at the
 * input's line and column), the scenario is loaded and evaluated. A bad
 * grid (no input, more than two, fewer than 2 steps, more than
 * EST_SWEEP_MAX_POINTS points, one path twice) is EST_EUSAGE; an unknown
 * variant is EST_EINVALID. Other errors are the loader's and the model's;
 * when a value after FROM or the evaluation fails, the message starts with
 * the point's values ("at site.pue=0.5: ..."). On failure *out is NULL.
 */
int est_sweep_run(est_sweep **out, const char *file, const est_sweep_options *o,
		  const est_profiles *p, est_error *err);
void est_sweep_free(est_sweep *s);

/* The sweep as text, JSON (estimator-sweep/1) or CSV; *out is freed with free(). */
int est_sweep_render(char **out, size_t *len, const est_sweep *s, est_format f,
		     est_error *err);

#endif
