/*
 * Goal seeking (docs/what-if.md, "Goal seeking"): the largest demand, or the
 * largest value of one input, with which a limit holds in every year; the
 * first year the existing capacity runs out; the smallest renewable share
 * that meets the ESG target. Boundaries are found with GSL's Brent solver.
 *
 * Ownership: est_solve returns an owned answer freed with est_solve_free; it
 * copies every string it keeps, so it needs neither the question, the
 * scenario nor the profile library after the call. A question is a plain
 * value owned by the caller; est_solve_render returns a heap string that the
 * caller frees with free().
 *
 * est_solve calls GSL root finders and checks every status they return; it
 * never feeds them a value that would raise a GSL error, but a program
 * should still call gsl_set_error_handler_off() first (the CLI does), as
 * GSL's default handler aborts.
 */
#ifndef ESTIMATOR_SOLVE_H
#define ESTIMATOR_SOLVE_H

#include <stddef.h>
#include "error.h"
#include "profiles.h"
#include "render.h"
#include "scenario.h"
#include "units.h"

#define EST_SOLVE_FORMAT_ID "estimator-solve/1"

/* Relative width of the final bracket: gsl_root_test_interval(lo, hi, 0, tolerance). */
#define EST_SOLVE_DEFAULT_TOLERANCE 1e-6
/* Brent iterations (gsl_root_fsolver_iterate calls) before giving up. */
#define EST_SOLVE_DEFAULT_MAX_ITERATIONS 100
/* The demand multiplier is doubled from 1 at most this often (to 2^60) to find a bracket. */
#define EST_SOLVE_MAX_DOUBLINGS 60

#define EST_SOLVE_TEXT_MAX 64

typedef enum est_solve_kind {
	EST_SOLVE_MAX_DEMAND,      /* the largest multiple of every workload's demand */
	EST_SOLVE_MAX_INPUT,       /* the largest value of one input within [low, high] */
	EST_SOLVE_RUNS_OUT,        /* the first year the existing capacity is short */
	EST_SOLVE_RENEWABLE_SHARE  /* the smallest renewable share meeting the ESG target */
} est_solve_kind;

/* What must hold in every year (capex: over the horizon). */
typedef enum est_solve_limit {
	EST_LIMIT_POWER,         /* IT peak power <= existing.power */
	EST_LIMIT_ACCELERATORS,  /* accelerators required <= accelerators per server x existing.servers */
	EST_LIMIT_STORAGE,       /* storage required <= existing.storage */
	EST_LIMIT_EMISSIONS,     /* the ESG target: counted <= budget */
	EST_LIMIT_CAPEX          /* capex over the horizon <= the question's budget */
} est_solve_limit;

typedef struct est_solve_question {
	est_solve_kind kind;
	est_solve_limit limit;     /* EST_LIMIT_EMISSIONS for the renewable share */
	/* EST_SOLVE_MAX_INPUT: the input's path and its range, numbers written in `unit` */
	const char *input;
	double low, high;
	char unit[EST_SOLVE_TEXT_MAX];  /* "" for a plain number, "%", "kW", "/day" ... */
	/* EST_LIMIT_CAPEX: the budget, in `budget_currency` ("" for the scenario's) */
	int has_budget;
	double budget;
	char budget_currency[EST_CURRENCY_MAX];
	double tolerance;          /* relative, at least GSL_DBL_EPSILON */
	int max_iterations;        /* 1 or more */
	/* --set overrides; variants are never loaded: the question is about the base */
	const est_override *overrides;
	size_t n_overrides;
	/*
	 * The scenario document itself (standard input, say), when not NULL:
	 * est_solve reads these len bytes at every load instead of opening
	 * `file`, which then only names it (est_load_options.data). Borrowed.
	 */
	const char *data;
	size_t len;
} est_solve_question;

/* A question of this kind and limit with the documented defaults, no input, no budget. */
void est_solve_question_init(est_solve_question *q, est_solve_kind kind, est_solve_limit limit);

/* "power" -> EST_LIMIT_POWER ...; EST_EUSAGE (and nothing set) for an unknown name. */
int est_solve_limit_parse(est_solve_limit *out, const char *name);
const char *est_solve_limit_name(est_solve_limit limit);
const char *est_solve_kind_name(est_solve_kind kind);

/*
 * Parse `LOW:HIGH` into q->low, q->high and q->unit: two numbers followed by
 * the same unit text ("1000:20000", "10%:90%", "20kW:80kW"), LOW < HIGH.
 * EST_EUSAGE with a message and no location otherwise.
 */
int est_solve_parse_range(est_solve_question *q, const char *text, est_error *err);

/*
 * Parse a capex budget, "2000000", "2e6 EUR" or "2000000EUR", into
 * q->budget and q->budget_currency; EST_EUSAGE for anything but an amount
 * of money or a plain number of at least 0.
 */
int est_solve_parse_budget(est_solve_question *q, const char *text, est_error *err);

/* Where the answer is tight: one year (or the horizon) of the limit. */
typedef struct est_solve_binding {
	int year;              /* calendar year; 0 for the horizon total (capex) */
	const char *metric;    /* static: its key path in estimator-result/1, e.g. "power_kw.it_peak" */
	char unit[8];          /* "kW", "count", "TB", "kgCO2e" or the currency */
	double value;          /* at the answer */
	double limit;          /* at the answer */
	int has_beyond;        /* the other end of the bracket was evaluated */
	double beyond;         /* the value there, over the limit */
} est_solve_binding;

typedef struct est_solve_answer {
	char *scenario_name;
	char *scenario_file;
	char currency[EST_CURRENCY_MAX];
	est_solve_kind kind;
	est_solve_limit limit;
	char *input;           /* "demand", the input's path, "site.renewable_share"; NULL for runs-out */
	char unit[EST_SOLVE_TEXT_MAX]; /* of value and bracket: "multiplier", the range's unit, "fraction", "year" */
	int has_range;         /* the question's range, in `unit` */
	double low, high;
	int has_budget;        /* capex: the budget, in `currency` */
	double budget;

	/* runs-out: found = 1 and value = the year, or found = 0 (not by last_year) */
	int found;
	double value;          /* the answer: the feasible end of the bracket */
	double bracket[2];     /* low, high; equal when the answer is an end of the range */
	int iterations;        /* Brent iterations */
	int evaluations;       /* model runs, bracketing included */
	double tolerance;
	int max_iterations;
	int converged;
	int first_year, last_year;
	char *note;            /* how the answer was reached when not by Brent's method; NULL otherwise */
	est_solve_binding binding;
} est_solve_answer;

/*
 * Answer question q about the scenario `file` against profiles p. A
 * question that cannot be asked (bad tolerance, a budget in another
 * currency) is EST_EUSAGE; a scenario that lacks what the question needs (no
 * ESG target for emissions, a location-based target for the renewable share)
 * EST_EINVALID; the loader's and the model's errors are theirs. A limit that
 * does not hold even at the low end, a demand limit that never binds, and a
 * search that does not converge within q->max_iterations are EST_ETARGET,
 * with one sentence in err (located at the scenario file). On failure *out is
 * NULL.
 */
int est_solve(est_solve_answer **out, const char *file, const est_profiles *p,
	      const est_solve_question *q, est_error *err);
void est_solve_free(est_solve_answer *a);

/* The answer as text, JSON (estimator-solve/1) or tidy CSV (key,value,unit). */
int est_solve_render(char **out, size_t *len, const est_solve_answer *a, est_format f,
		     est_error *err);

#endif
