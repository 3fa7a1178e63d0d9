/*
 * Goal seeking (docs/what-if.md, "Goal seeking"): a limit turned into a step
 * function f(x) of one number (a demand multiplier, an input's value, a
 * renewable share), its boundary bracketed and then narrowed with GSL's
 * Brent solver in a set / iterate / test loop; and the first year the
 * existing capacity runs out, read from one evaluation.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_machine.h>
#include <gsl/gsl_roots.h>

#include "estimator/model.h"
#include "estimator/solve.h"
#include "format.h"

/* ---- limits ---- */

typedef struct limit_def {
	const char *metric;      /* key path in estimator-result/1 */
	const char *unit;        /* "$": the scenario's currency */
	const char *label;       /* the metric in a sentence */
	const char *against;     /* the limit in a sentence */
	double (*value)(const est_year *y);
	double (*limit)(const est_scenario *s, const est_year *y, double budget);
} limit_def;

static double power_value(const est_year *y) { return y->it_peak_kw; }
static double accelerators_value(const est_year *y) { return y->accelerators.required; }
static double storage_value(const est_year *y) { return y->storage_tb.required; }
static double emissions_value(const est_year *y) { return y->counted_kg; }
static double capex_value(const est_year *y) { return y->capex; }

static double power_limit(const est_scenario *s, const est_year *y, double budget)
{
	(void)y;
	(void)budget;
	return s->existing_power_kw;
}

static double accelerators_limit(const est_scenario *s, const est_year *y, double budget)
{
	(void)y;
	(void)budget;
	return (double)s->server->accelerators * (double)s->existing_servers;
}

static double storage_limit(const est_scenario *s, const est_year *y, double budget)
{
	(void)y;
	(void)budget;
	return s->existing_storage_tb;
}

static double emissions_limit(const est_scenario *s, const est_year *y, double budget)
{
	(void)s;
	(void)budget;
	return y->budget_kg;
}

static double capex_limit(const est_scenario *s, const est_year *y, double budget)
{
	(void)s;
	(void)y;
	return budget;
}

/* Indexed by est_solve_limit. Capex is read from the totals, as one slot. */
static const limit_def limits[] = {
	{"power_kw.it_peak", "kW", "IT peak power", "existing.power", power_value, power_limit},
	{"accelerators.required", "count", "accelerators required", "existing accelerators",
	 accelerators_value, accelerators_limit},
	{"storage_tb.required", "TB", "storage required", "existing.storage", storage_value,
	 storage_limit},
	{"esg.counted_kgco2e", "kgCO2e", "emissions counted by the target", "budget",
	 emissions_value, emissions_limit},
	{"totals.cost.capex", "$", "capex over the horizon", "budget", capex_value, capex_limit},
};

#define N_LIMITS (sizeof(limits) / sizeof(limits[0]))

/* ---- evaluations ---- */

/* One evaluation of the scenario at x. */
typedef struct probe {
	double x;
	double f;          /* max over slots of (value - limit) / scale: > 0 when over the limit */
	size_t worst;      /* the slot of that maximum (the earliest of equals) */
	int first_year;
	double *value;     /* per slot: each year, or the horizon for capex */
	double *limit;
} probe;

typedef struct ctx {
	const char *file;
	const est_profiles *p;
	const est_solve_question *q;
	est_error *err;
	est_scenario *s;           /* loaded once; edited in place for demand and the share */
	double *demand;            /* its requests_per_day as loaded */
	est_override *overrides;   /* max-input: the question's and the input's */
	size_t n_overrides;
	char value_text[EST_SOLVE_TEXT_MAX + 40];
	double budget;             /* capex, in the scenario's currency */
	int years;
	size_t n_slots;
	probe *cache;              /* every evaluation, so none is repeated */
	size_t n_cache, cap;
	double *store;
	int evaluations;
	int rc;                    /* the first failure inside the GSL function */
} ctx;

static int oom(ctx *c)
{
	return est_error_set(c->err, EST_EINTERNAL, c->file, 0, 0, "out of memory");
}

/* x and the unit text, as an override value ("%.17g": the model sees x itself). */
static void format_input(ctx *c, double x)
{
	char num[40];
	char *d;

	if (x == 0)
		x = 0; /* no "-0" */
	snprintf(num, sizeof(num), "%.17g", x);
	for (d = num; *d; d++)
		if (!strchr("0123456789+-eE", *d))
			*d = '.'; /* the point, whatever the locale */
	snprintf(c->value_text, sizeof(c->value_text), "%s%s", num, c->q->unit);
}

/*
 * An error the loader located at the input's override ("--max:1:1") is
 * about the path or the value solve made: say both instead.
 */
static int blame_input(ctx *c, int rc)
{
	char msg[EST_ERROR_MESSAGE_MAX];

	if (!c->err || strcmp(c->err->file, "--max"))
		return rc;
	memcpy(msg, c->err->message, sizeof(msg));
	return est_error_set(c->err, (est_status)rc, NULL, 0, 0, "--max %s at %s: %s", c->q->input,
			     c->value_text, msg);
}

/* The scenario to evaluate at x: edited in place, or loaded with the input's override. */
static int prepare(ctx *c, double x, est_scenario **loaded)
{
	est_load_options o;
	size_t i;
	int rc;

	switch (c->q->kind) {
	case EST_SOLVE_MAX_DEMAND:
		for (i = 0; i < c->s->n_workloads; i++)
			c->s->workloads[i].requests_per_day = c->demand[i] * x;
		return 0;
	case EST_SOLVE_RENEWABLE_SHARE:
		c->s->renewable_share = x;
		return 0;
	case EST_SOLVE_RUNS_OUT:
		return 0;
	case EST_SOLVE_MAX_INPUT:
		format_input(c, x);
		c->overrides[c->n_overrides - 1].value = c->value_text;
		memset(&o, 0, sizeof(o));
		o.overrides = c->overrides;
		o.n_overrides = c->n_overrides;
		o.base_only = 1;
		o.data = c->q->data;
		o.len = c->q->len;
		rc = est_scenario_load_with(loaded, c->file, c->p, &o, c->err);
		if (rc < 0)
			return blame_input(c, rc);
		if ((*loaded)->years != c->years)
			rc = est_error_set(c->err, EST_EUSAGE, c->file, 0, 0,
					   "%s = %s changes the horizon; solve needs the same years at every value",
					   c->q->input, c->value_text);
		if (rc == 0 && c->q->limit == EST_LIMIT_EMISSIONS && !(*loaded)->has_target)
			rc = est_error_set(c->err, EST_EINVALID, c->file, 0, 0,
					   "with %s = %s the scenario has no ESG target",
					   c->q->input, c->value_text);
		return rc;
	}
	return est_error_set(c->err, EST_EINTERNAL, c->file, 0, 0, "unknown question");
}

static void read_probe(ctx *c, const est_scenario *s, const est_variant *v, probe *pr)
{
	const limit_def *d = &limits[c->q->limit];
	double scale = 0, excess;
	size_t i;

	for (i = 0; i < c->n_slots; i++) {
		const est_year *y = c->q->limit == EST_LIMIT_CAPEX ? &v->totals : &v->years[i];
		pr->value[i] = d->value(y);
		pr->limit[i] = d->limit(s, y, c->budget);
		if (fabs(pr->limit[i]) > scale)
			scale = fabs(pr->limit[i]);
	}
	if (scale == 0)
		scale = 1; /* a limit of 0 (no existing power): excess in the metric's unit */
	pr->first_year = v->years[0].year;
	pr->worst = 0;
	for (i = 0; i < c->n_slots; i++) {
		excess = (pr->value[i] - pr->limit[i]) / scale;
		if (i == 0 || excess > pr->f) {
			pr->f = excess;
			pr->worst = i;
		}
	}
}

/* The evaluation at x: from the cache, or the model run now. */
static int evaluate(ctx *c, double x, probe **out)
{
	est_scenario *loaded = NULL;
	est_result *r = NULL;
	size_t i;
	int rc;

	for (i = 0; i < c->n_cache; i++) {
		if (c->cache[i].x == x) {
			*out = &c->cache[i];
			return 0;
		}
	}
	if (c->n_cache == c->cap)
		return est_error_set(c->err, EST_EINTERNAL, c->file, 0, 0,
				     "goal seeking: more evaluations than the %zu planned", c->cap);
	rc = prepare(c, x, &loaded);
	if (rc == 0)
		rc = est_model_run(&r, loaded ? loaded : c->s, c->p, c->err);
	if (rc == 0) {
		probe *pr = &c->cache[c->n_cache++];
		pr->x = x;
		read_probe(c, loaded ? loaded : c->s, &r->variants[0], pr);
		c->evaluations++;
		*out = pr;
	}
	est_result_free(r);
	est_scenario_free(loaded);
	return rc;
}

static int feasible(const probe *pr)
{
	return pr->f <= 0;
}

/* "in 2026, IT peak power 16.03 kW > existing.power 10 kW" for slot i of pr. */
static void describe(const ctx *c, const probe *pr, size_t i, char *buf, size_t len)
{
	const limit_def *d = &limits[c->q->limit];
	const char *unit = strcmp(d->unit, "$") ? d->unit : c->s->currency;
	char when[32], value[32], limit[32];

	if (c->q->limit == EST_LIMIT_CAPEX)
		snprintf(when, sizeof(when), "over the horizon");
	else
		snprintf(when, sizeof(when), "in %d", pr->first_year + (int)i);
	if (!strcmp(unit, "count"))
		unit = "";
	est_render_short_number(value, pr->value[i]);
	est_render_short_number(limit, pr->limit[i]);
	snprintf(buf, len, "%s, %s %s%s%s %s %s %s%s%s", when, d->label, value, *unit ? " " : "",
		 unit, pr->value[i] > pr->limit[i] ? ">" : "<=", d->against, limit, *unit ? " " : "",
		 unit);
}

/* EST_ETARGET: `what` and where pr is over the limit. */
static int over_limit(ctx *c, const probe *pr, const char *what)
{
	char where[256];

	describe(c, pr, pr->worst, where, sizeof(where));
	return est_error_set(c->err, EST_ETARGET, c->file, 0, 0, "%s: %s", what, where);
}

/* ---- the answer ---- */

static void bind(const ctx *c, est_solve_answer *a, const probe *at, const probe *beyond,
		 size_t slot)
{
	const limit_def *d = &limits[c->q->limit];
	est_solve_binding *b = &a->binding;

	b->year = c->q->limit == EST_LIMIT_CAPEX ? 0 : at->first_year + (int)slot;
	b->metric = d->metric;
	snprintf(b->unit, sizeof(b->unit), "%s", strcmp(d->unit, "$") ? d->unit : c->s->currency);
	b->value = at->value[slot];
	b->limit = at->limit[slot];
	b->has_beyond = beyond != NULL;
	b->beyond = beyond ? beyond->value[slot] : 0;
}

/* An answer at one end, without a search: pr is feasible and the end of the range. */
static int at_end(ctx *c, est_solve_answer *a, const probe *pr, const char *note)
{
	a->value = pr->x;
	a->bracket[0] = a->bracket[1] = pr->x;
	a->converged = 1;
	a->note = strdup(note);
	if (!a->note)
		return oom(c);
	bind(c, a, pr, NULL, pr->worst);
	return 0;
}

/*
 * x to the ten significant digits that "%.10g" prints (est_render_number),
 * rounded up or down, never past x the other way.
 */
static double round_toward(double x, int up)
{
	char buf[40];
	double y, step;

	if (x == 0 || !isfinite(x))
		return x;
	snprintf(buf, sizeof(buf), "%.9e", x);
	y = strtod(buf, NULL);
	if (up ? y >= x : y <= x)
		return y;
	step = pow(10, floor(log10(fabs(y))) - 9);
	snprintf(buf, sizeof(buf), "%.9e", up ? y + step : y - step);
	return strtod(buf, NULL);
}

/*
 * The answer as it is printed, rounded away from the boundary so that the
 * printed number fed back stays within the limit; checked, and left as it
 * is when that does not hold (or leaves the question's range).
 */
static int printable(ctx *c, const est_solve_answer *a, const probe **in, const probe *out)
{
	double y = round_toward((*in)->x, (*in)->x > out->x);
	probe *pr;
	int rc;

	if (y == (*in)->x || (a->has_range && (y < a->low || y > a->high)))
		return 0;
	rc = evaluate(c, y, &pr);
	if (rc < 0)
		return rc;
	if (feasible(pr))
		*in = pr;
	return 0;
}

/*
 * The final bracket [x, y], one end feasible and the other not: the answer
 * is the feasible end, the binding year where the other end is most over
 * the limit.
 */
static int conclude(ctx *c, est_solve_answer *a, const probe *x, const probe *y)
{
	const probe *in = feasible(x) ? x : y, *out = feasible(x) ? y : x;
	int rc;

	if (feasible(in) == feasible(out))
		return est_error_set(c->err, EST_EINTERNAL, c->file, 0, 0,
				     "goal seeking: the bracket [%g, %g] lost its boundary", x->x, y->x);
	if (a->converged) {
		rc = printable(c, a, &in, out);
		if (rc < 0)
			return rc;
	}
	a->value = in->x;
	a->bracket[0] = fmin(x->x, y->x);
	a->bracket[1] = fmax(x->x, y->x);
	bind(c, a, in, out, out->worst);
	if (!a->converged)
		return est_error_set(c->err, EST_ETARGET, c->file, 0, 0,
				     "no answer within %d iterations: the boundary lies in [%.10g, %.10g], wider than the relative tolerance %g; allow more iterations or a larger tolerance",
				     a->iterations, a->bracket[0], a->bracket[1], a->tolerance);
	return 0;
}

/* f for GSL, never exactly 0: a limit just met stays on the feasible side. */
static double solver_f(double x, void *params)
{
	ctx *c = params;
	probe *pr = NULL;

	if (c->rc == 0)
		c->rc = evaluate(c, x, &pr);
	if (c->rc < 0)
		return 1; /* finite, so that GSL raises nothing; the caller stops at c->rc */
	if (pr->f > 0)
		return pr->f;
	return pr->f < 0 ? pr->f : -DBL_MIN;
}

static int gsl_failed(ctx *c, const char *call, int status)
{
	return est_error_set(c->err, EST_EINTERNAL, c->file, 0, 0, "goal seeking: %s: %s", call,
			     gsl_strerror(status));
}

/*
 * GSL's relative test can never pass on a bracket with an end at 0
 * (tolerance x min |end| = 0), so first try tolerance x the other end: if
 * the boundary lies below it, the bracket [0, that] is the answer.
 */
static int off_zero(ctx *c, est_solve_answer *a, probe **x, probe **y, int *done)
{
	probe **zero = (*x)->x == 0 ? x : y, **other = zero == x ? y : x, *pr;
	int rc;

	*done = 0;
	if ((*zero)->x != 0)
		return 0;
	rc = evaluate(c, c->q->tolerance * (*other)->x, &pr);
	if (rc < 0)
		return rc;
	if (feasible(pr) == feasible(*other)) {
		char note[200];
		snprintf(note, sizeof(note),
			 "the boundary lies between 0 and %g (the tolerance x %g), so the answer is %g",
			 pr->x, (*other)->x, feasible(pr) ? pr->x : 0.0);
		a->converged = 1;
		a->note = strdup(note);
		if (!a->note)
			return oom(c);
		*done = 1;
		*other = pr;
		return conclude(c, a, *x, *y);
	}
	*zero = pr;
	return 0;
}

/* Narrow the bracket [x, y] (feasible at one end only) with Brent's method. */
static int narrow(ctx *c, est_solve_answer *a, probe *x, probe *y)
{
	gsl_root_fsolver *solver = NULL;
	gsl_function F;
	double lo, hi;
	int status, done, rc;

	rc = off_zero(c, a, &x, &y, &done);
	if (rc < 0 || done)
		return rc;
	solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!solver)
		return oom(c);
	F.function = solver_f;
	F.params = c;
	lo = fmin(x->x, y->x);
	hi = fmax(x->x, y->x);
	c->rc = 0;
	status = gsl_root_fsolver_set(solver, &F, lo, hi);
	if (c->rc < 0) {
		rc = c->rc;
		goto cleanup;
	}
	if (status != GSL_SUCCESS) {
		rc = gsl_failed(c, "gsl_root_fsolver_set", status);
		goto cleanup;
	}
	do {
		a->iterations++;
		status = gsl_root_fsolver_iterate(solver);
		if (c->rc < 0) {
			rc = c->rc;
			goto cleanup;
		}
		if (status != GSL_SUCCESS) {
			rc = gsl_failed(c, "gsl_root_fsolver_iterate", status);
			goto cleanup;
		}
		lo = gsl_root_fsolver_x_lower(solver);
		hi = gsl_root_fsolver_x_upper(solver);
		status = gsl_root_test_interval(lo, hi, 0, c->q->tolerance);
	} while (status == GSL_CONTINUE && a->iterations < c->q->max_iterations);
	if (status != GSL_SUCCESS && status != GSL_CONTINUE) {
		rc = gsl_failed(c, "gsl_root_test_interval", status);
		goto cleanup;
	}
	a->converged = status == GSL_SUCCESS;
	/* both ends were evaluated by the solver: these come from the cache */
	rc = evaluate(c, lo, &x);
	if (rc == 0)
		rc = evaluate(c, hi, &y);
	if (rc == 0)
		rc = conclude(c, a, x, y);
cleanup:
	gsl_root_fsolver_free(solver);
	return rc;
}

/* ---- the questions ---- */

static int solve_demand(ctx *c, est_solve_answer *a)
{
	probe *lo, *hi;
	double m = 1;
	int k, rc;

	rc = evaluate(c, 0, &lo);
	if (rc < 0)
		return rc;
	if (!feasible(lo))
		return over_limit(c, lo, "even with no demand the limit is exceeded");
	for (k = 0;; k++) {
		rc = evaluate(c, m, &hi);
		if (rc < 0)
			return rc;
		if (!feasible(hi))
			break;
		lo = hi;
		if (k == EST_SOLVE_MAX_DOUBLINGS)
			return est_error_set(c->err, EST_ETARGET, c->file, 0, 0,
					     "the %s limit never binds: it still holds at 2^%d (%g) x the demand",
					     est_solve_limit_name(c->q->limit), k, m);
		m *= 2;
	}
	return narrow(c, a, lo, hi);
}

static int solve_input(ctx *c, est_solve_answer *a)
{
	probe *lo, *hi;
	char what[EST_SOLVE_TEXT_MAX * 2 + 300];
	int rc;

	rc = evaluate(c, c->q->low, &lo);
	if (rc < 0)
		return rc;
	if (!feasible(lo)) {
		snprintf(what, sizeof(what), "even at %s = %.10g%s the limit is exceeded", c->q->input,
			 c->q->low, c->q->unit);
		return over_limit(c, lo, what);
	}
	rc = evaluate(c, c->q->high, &hi);
	if (rc < 0)
		return rc;
	if (feasible(hi))
		return at_end(c, a, hi, "the limit holds over the whole range: the answer is its high end");
	return narrow(c, a, lo, hi);
}

static int solve_share(ctx *c, est_solve_answer *a)
{
	probe *none, *all;
	int rc;

	rc = evaluate(c, 0, &none);
	if (rc < 0)
		return rc;
	if (feasible(none))
		return at_end(c, a, none, "the target is met without any renewable share");
	rc = evaluate(c, 1, &all);
	if (rc < 0)
		return rc;
	if (!feasible(all))
		return over_limit(c, all, "even a renewable share of 100% does not meet the target");
	return narrow(c, a, none, all);
}

static int solve_runs_out(ctx *c, est_solve_answer *a)
{
	probe *pr;
	size_t i;
	int rc;

	rc = evaluate(c, 0, &pr);
	if (rc < 0)
		return rc;
	for (i = 0; i < c->n_slots; i++) {
		if (pr->value[i] > pr->limit[i]) {
			a->found = 1;
			a->value = pr->first_year + (int)i;
			bind(c, a, pr, NULL, i);
			return 0;
		}
	}
	bind(c, a, pr, NULL, pr->worst);
	return 0;
}

typedef int (*solver_fn)(ctx *c, est_solve_answer *a);

/* Indexed by est_solve_kind. */
static const solver_fn solvers[] = {solve_demand, solve_input, solve_runs_out, solve_share};

/* ---- checks, setup, the entry point ---- */

static int check_question(const est_solve_question *q, est_error *err)
{
	int max_kind = q->kind == EST_SOLVE_MAX_DEMAND || q->kind == EST_SOLVE_MAX_INPUT;

	if ((size_t)q->kind >= sizeof(solvers) / sizeof(solvers[0]) || (size_t)q->limit >= N_LIMITS)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown question");
	if (!(q->tolerance >= GSL_DBL_EPSILON && q->tolerance < 1))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "the tolerance is a relative width from %g (a double's precision) to below 1; got %g",
				     GSL_DBL_EPSILON, q->tolerance);
	if (q->max_iterations < 1)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "the iteration limit must be 1 or more; got %d", q->max_iterations);
	if (q->kind == EST_SOLVE_RUNS_OUT && q->limit != EST_LIMIT_POWER &&
	    q->limit != EST_LIMIT_ACCELERATORS && q->limit != EST_LIMIT_STORAGE)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "runs-out asks about power, accelerators or storage, not %s",
				     est_solve_limit_name(q->limit));
	if (q->kind == EST_SOLVE_RENEWABLE_SHARE && q->limit != EST_LIMIT_EMISSIONS)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "the renewable share is solved for the emissions target");
	if (max_kind && q->limit == EST_LIMIT_CAPEX && !q->has_budget)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "a capex limit needs a budget (--budget AMOUNT)");
	if (q->has_budget && !(max_kind && q->limit == EST_LIMIT_CAPEX))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "a budget goes with a capex limit only");
	if (q->kind == EST_SOLVE_MAX_INPUT &&
	    (!q->input || !*q->input || !(q->low < q->high) || !isfinite(q->low) || !isfinite(q->high)))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "an input question needs a path and a range LOW < HIGH");
	return 0;
}

/* What the scenario must have for the question. */
static int check_scenario(ctx *c)
{
	const est_scenario *s = c->s;
	const est_solve_question *q = c->q;

	if (q->limit == EST_LIMIT_EMISSIONS && !s->has_target)
		return est_error_set(c->err, EST_EINVALID, c->file, 0, 0,
				     "the scenario has no ESG target ('targets'), so there is no emissions limit to solve for");
	if (q->kind == EST_SOLVE_RENEWABLE_SHARE && s->basis != EST_BASIS_MARKET)
		return est_error_set(c->err, EST_EINVALID, c->file, 0, 0,
				     "the ESG target is location-based, which the renewable share does not change; it needs targets.basis: market");
	if (q->has_budget && q->budget_currency[0] && strcmp(q->budget_currency, s->currency))
		return est_error_set(c->err, EST_EUSAGE, c->file, 0, 0,
				     "the budget is in %s but the scenario's costs are in %s",
				     q->budget_currency, s->currency);
	return 0;
}

static int setup(ctx *c)
{
	const est_solve_question *q = c->q;
	est_load_options o;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	o.overrides = q->overrides;
	o.n_overrides = q->n_overrides;
	o.base_only = 1;
	o.data = q->data;
	o.len = q->len;
	rc = est_scenario_load_with(&c->s, c->file, c->p, &o, c->err);
	if (rc < 0)
		return rc;
	c->years = c->s->years;
	c->n_slots = q->limit == EST_LIMIT_CAPEX ? 1 : (size_t)c->years;
	c->budget = q->budget;
	/* bracketing, the probe off zero, two ends, then one evaluation per iteration */
	c->cap = (size_t)q->max_iterations + EST_SOLVE_MAX_DOUBLINGS + 8;
	c->cache = calloc(c->cap, sizeof(*c->cache));
	c->store = calloc(c->cap * c->n_slots * 2, sizeof(*c->store));
	if (!c->cache || !c->store)
		return oom(c);
	for (i = 0; i < c->cap; i++) {
		c->cache[i].value = c->store + 2 * i * c->n_slots;
		c->cache[i].limit = c->cache[i].value + c->n_slots;
	}
	if (q->kind == EST_SOLVE_MAX_DEMAND) {
		c->demand = calloc(c->s->n_workloads ? c->s->n_workloads : 1, sizeof(*c->demand));
		if (!c->demand)
			return oom(c);
		for (i = 0; i < c->s->n_workloads; i++)
			c->demand[i] = c->s->workloads[i].requests_per_day;
	}
	if (q->kind == EST_SOLVE_MAX_INPUT) {
		c->n_overrides = q->n_overrides + 1;
		c->overrides = calloc(c->n_overrides, sizeof(*c->overrides));
		if (!c->overrides)
			return oom(c);
		for (i = 0; i < q->n_overrides; i++)
			c->overrides[i] = q->overrides[i];
		c->overrides[q->n_overrides].path = q->input;
		c->overrides[q->n_overrides].origin = "--max";
		c->overrides[q->n_overrides].line = 1;
		c->overrides[q->n_overrides].column = 1;
	}
	return 0;
}

static const char *answer_unit(const est_solve_question *q)
{
	switch (q->kind) {
	case EST_SOLVE_MAX_DEMAND:
		return "multiplier";
	case EST_SOLVE_MAX_INPUT:
		return q->unit;
	case EST_SOLVE_RUNS_OUT:
		return "year";
	case EST_SOLVE_RENEWABLE_SHARE:
		return "fraction";
	}
	return "";
}

static int start_answer(ctx *c, est_solve_answer **out)
{
	const est_solve_question *q = c->q;
	est_solve_answer *a = calloc(1, sizeof(*a));
	const char *input = NULL;

	*out = a;
	if (!a)
		return oom(c);
	a->kind = q->kind;
	a->limit = q->limit;
	a->scenario_name = strdup(c->s->name ? c->s->name : "");
	a->scenario_file = strdup(c->file);
	snprintf(a->currency, sizeof(a->currency), "%s", c->s->currency);
	snprintf(a->unit, sizeof(a->unit), "%s", answer_unit(q));
	if (q->kind == EST_SOLVE_MAX_DEMAND)
		input = "demand";
	else if (q->kind == EST_SOLVE_MAX_INPUT)
		input = q->input;
	else if (q->kind == EST_SOLVE_RENEWABLE_SHARE)
		input = "site.renewable_share";
	a->input = input ? strdup(input) : NULL;
	if (!a->scenario_name || !a->scenario_file || (input && !a->input))
		return oom(c);
	a->has_range = q->kind == EST_SOLVE_MAX_INPUT || q->kind == EST_SOLVE_RENEWABLE_SHARE;
	a->low = q->kind == EST_SOLVE_MAX_INPUT ? q->low : 0;
	a->high = q->kind == EST_SOLVE_MAX_INPUT ? q->high : 1;
	a->has_budget = q->has_budget;
	a->budget = q->budget;
	a->tolerance = q->tolerance;
	a->max_iterations = q->max_iterations;
	a->first_year = c->s->start_year;
	a->last_year = c->s->start_year + c->s->years - 1;
	return 0;
}

int est_solve(est_solve_answer **out, const char *file, const est_profiles *p,
	      const est_solve_question *q, est_error *err)
{
	est_solve_answer *a = NULL;
	ctx c;
	int rc;

	assert(out && file && p && q);
	*out = NULL;
	rc = check_question(q, err);
	if (rc < 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.file = file;
	c.p = p;
	c.q = q;
	c.err = err;
	rc = setup(&c);
	if (rc == 0)
		rc = check_scenario(&c);
	if (rc == 0)
		rc = start_answer(&c, &a);
	if (rc == 0)
		rc = solvers[q->kind](&c, a);
	if (a)
		a->evaluations = c.evaluations;
	free(c.overrides);
	free(c.demand);
	free(c.store);
	free(c.cache);
	est_scenario_free(c.s);
	if (rc < 0) {
		est_solve_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void est_solve_free(est_solve_answer *a)
{
	if (!a)
		return;
	free(a->scenario_name);
	free(a->scenario_file);
	free(a->input);
	free(a->note);
	free(a);
}
