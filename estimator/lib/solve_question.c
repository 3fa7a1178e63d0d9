/*
 * A goal-seeking question (solve.h): the names of its kinds and limits, its
 * defaults, and the text forms of its range (`LOW:HIGH`) and budget.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/solve.h"

/* Indexed by est_solve_limit and est_solve_kind. */
static const char *const limit_names[] = {"power", "accelerators", "storage", "emissions", "capex"};
#define N_LIMIT_NAMES (sizeof(limit_names) / sizeof(limit_names[0]))

static const char *const kind_names[] = {"max-demand", "max-input", "runs-out", "renewable-share"};

void est_solve_question_init(est_solve_question *q, est_solve_kind kind, est_solve_limit limit)
{
	assert(q);
	memset(q, 0, sizeof(*q));
	q->kind = kind;
	q->limit = limit;
	q->tolerance = EST_SOLVE_DEFAULT_TOLERANCE;
	q->max_iterations = EST_SOLVE_DEFAULT_MAX_ITERATIONS;
}

int est_solve_limit_parse(est_solve_limit *out, const char *name)
{
	size_t i;

	assert(out && name);
	for (i = 0; i < N_LIMIT_NAMES; i++) {
		if (!strcmp(limit_names[i], name)) {
			*out = (est_solve_limit)i;
			return 0;
		}
	}
	return EST_EUSAGE;
}

const char *est_solve_limit_name(est_solve_limit limit)
{
	return (size_t)limit < N_LIMIT_NAMES ? limit_names[limit] : "?";
}

const char *est_solve_kind_name(est_solve_kind kind)
{
	return (size_t)kind < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[kind] : "?";
}

/* ---- parsing LOW:HIGH and the budget ---- */

/*
 * Length of the decimal number at the start of s ([+-]digits[.digits][e[+-]digits]),
 * or 0. An 'e' belongs to the number only when digits follow ("2EUR").
 */

/* One end of a range: its number and the unit text after it (spaces trimmed). */
static int range_end(const char *text, size_t len, double *number, char unit[EST_SOLVE_TEXT_MAX])
{
	char buf[EST_SOLVE_TEXT_MAX];
	size_t n, a, b;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	n = est_quantity_number_length(buf);
	if (n == 0)
		return -1;
	buf[n] = '\0';
	*number = strtod(buf, NULL);
	if (!isfinite(*number))
		return -1;
	for (a = n; text[a] == ' ' && a < len; a++)
		;
	for (b = len; b > a && text[b - 1] == ' '; b--)
		;
	memcpy(unit, text + a, b - a);
	unit[b - a] = '\0';
	return 0;
}

int est_solve_parse_range(est_solve_question *q, const char *text, est_error *err)
{
	const char *colon;
	char high_unit[EST_SOLVE_TEXT_MAX];

	assert(q && text);
	colon = strchr(text, ':');
	if (!colon || strchr(colon + 1, ':') ||
	    range_end(text, (size_t)(colon - text), &q->low, q->unit) < 0 ||
	    range_end(colon + 1, strlen(colon + 1), &q->high, high_unit) < 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--between takes LOW:HIGH, two numbers with the same unit, e.g. 1000:20000 or 10%%:90%%; got '%s'",
				     text);
	if (strcmp(q->unit, high_unit))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--between: LOW and HIGH must be written with the same unit; got '%s'", text);
	if (!(q->low < q->high))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--between: LOW must be below HIGH; got '%s'", text);
	return 0;
}

int est_solve_parse_budget(est_solve_question *q, const char *text, est_error *err)
{
	est_quantity amount;
	char msg[200];
	int i, money = 1;

	assert(q && text);
	if (est_quantity_parse(&amount, text, msg, sizeof(msg)) < 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "--budget: %s", msg);
	for (i = 0; i < EST_NDIM; i++)
		if (amount.dim.e[i] != (i == EST_DIM_MONEY))
			money = 0;
	if (!money && !est_dim_equal(&amount.dim, &(est_dim){{0}}))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--budget takes an amount of money, e.g. 2000000 or 2e6EUR; got '%s'", text);
	if (!isfinite(amount.value) || amount.value < 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "--budget must be 0 or more; got '%s'", text);
	q->has_budget = 1;
	q->budget = amount.value;
	snprintf(q->budget_currency, sizeof(q->budget_currency), "%s", money ? amount.currency : "");
	return 0;
}

