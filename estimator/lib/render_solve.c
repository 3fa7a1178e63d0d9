/*
 * A goal-seeking answer (solve.h) as text, JSON (estimator-solve/1) or tidy
 * CSV (key,value,unit), with the numbers of the result renderers
 * (est_render_number: "%.10g", integers exactly).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "estimator/solve.h"
#include "render_internal.h"

/* Indexed by est_solve_limit: the limit in sentences. */
static const struct limit_text {
	const char *metric;    /* "IT peak power" */
	const char *against;   /* "existing.power" */
	const char *holds;     /* what "within the limit" means, for the question */
	const char *runs_out;  /* the runs-out question; NULL when it cannot be asked */
} limit_texts[] = {
	{"IT peak power", "existing.power", "the IT peak power within existing.power in every year",
	 "the first year the IT peak power exceeds existing.power, with nothing bought"},
	{"accelerators required", "existing accelerators",
	 "the accelerators required within those of existing.servers in every year",
	 "the first year the accelerators required exceed those of existing.servers, with nothing bought"},
	{"storage required", "existing.storage", "the storage required within existing.storage in every year",
	 "the first year the storage required exceeds existing.storage, with nothing bought"},
	{"emissions counted", "budget", "the ESG target met in every year", NULL},
	{"capex over the horizon", "budget", "capex over the horizon within the budget", NULL},
};

static int is_runs_out(const est_solve_answer *a)
{
	return a->kind == EST_SOLVE_RUNS_OUT;
}

/* ---- text ---- */

static void question_text(est_buf *b, const est_solve_answer *a)
{
	const struct limit_text *t = &limit_texts[a->limit];
	char lo[EST_NUMBER_MAX], hi[EST_NUMBER_MAX];

	switch (a->kind) {
	case EST_SOLVE_MAX_DEMAND:
		est_buf_printf(b, "the largest multiple of every workload's demand with %s", t->holds);
		break;
	case EST_SOLVE_MAX_INPUT:
		est_render_number(lo, a->low);
		est_render_number(hi, a->high);
		est_text_printf(b, "the largest %s from %s%s to %s%s with %s", a->input, lo, a->unit, hi,
			       a->unit, t->holds);
		break;
	case EST_SOLVE_RUNS_OUT:
		est_buf_puts(b, t->runs_out ? t->runs_out : "?");
		break;
	case EST_SOLVE_RENEWABLE_SHARE:
		est_buf_puts(b, "the smallest renewable share (site.renewable_share) with the ESG target met in every year");
		break;
	}
	if (a->has_budget)
		est_text_printf(b, " of %.10g %s", a->budget, a->currency);
	est_buf_putc(b, '\n');
}

/* "2030: IT peak power 48 kW <= existing.power 50 kW" */
static void binding_text(est_buf *b, const est_solve_answer *a)
{
	const est_solve_binding *g = &a->binding;
	const struct limit_text *t = &limit_texts[a->limit];
	const char *unit = strcmp(g->unit, "count") ? g->unit : "";
	const char *sp = *unit ? " " : "";
	char value[32], limit[32], beyond[32];

	est_render_short_number(value, g->value);
	est_render_short_number(limit, g->limit);
	est_render_short_number(beyond, g->beyond);
	if (g->year)
		est_buf_printf(b, "%d: ", g->year);
	est_text_printf(b, "%s %s%s%s %s %s %s%s%s", t->metric, value, sp, unit,
		       g->value > g->limit ? ">" : "<=", t->against, limit, sp, unit);
	if (g->has_beyond)
		est_text_printf(b, "; %s%s%s at the other end of the bracket", beyond, sp, unit);
	est_buf_putc(b, '\n');
}

static void answer_text(est_buf *b, const est_solve_answer *a)
{
	char v[EST_NUMBER_MAX];

	est_render_number(v, a->value);
	switch (a->kind) {
	case EST_SOLVE_MAX_DEMAND:
		est_buf_printf(b, "%s x the demand\n", v);
		break;
	case EST_SOLVE_MAX_INPUT:
		est_text_printf(b, "%s = %s%s\n", a->input, v, a->unit);
		break;
	case EST_SOLVE_RENEWABLE_SHARE:
		est_buf_printf(b, "%s (%.6g%%)\n", v, a->value * 100);
		break;
	case EST_SOLVE_RUNS_OUT:
		if (a->found)
			est_buf_printf(b, "%s\n", v);
		else
			est_buf_printf(b, "does not run out by %d\n", a->last_year);
		break;
	}
}

static int render_text(est_buf *b, const est_solve_answer *a, est_error *err)
{
	char lo[EST_NUMBER_MAX], hi[EST_NUMBER_MAX];

	(void)err;
	est_buf_puts(b, "Question:   ");
	question_text(b, a);
	est_text_printf(b, "Scenario:   %s (%s)\n", a->scenario_name, a->scenario_file);
	est_buf_puts(b, "Answer:     ");
	answer_text(b, a);
	if (!is_runs_out(a)) {
		est_render_number(lo, a->bracket[0]);
		est_render_number(hi, a->bracket[1]);
		est_buf_printf(b, "Bracket:    [%s, %s], width %.3g\n", lo, hi,
			       a->bracket[1] - a->bracket[0]);
		est_buf_printf(b, "Iterations: %d of at most %d (%d model evaluations)\n", a->iterations,
			       a->max_iterations, a->evaluations);
		est_buf_printf(b, "Tolerance:  %g relative\n", a->tolerance);
		est_buf_printf(b, "Converged:  %s\n", a->converged ? "yes" : "no");
	}
	est_buf_puts(b, is_runs_out(a) && !a->found ? "Closest:    " : "Binding:    ");
	binding_text(b, a);
	if (a->note)
		est_text_printf(b, "Note:       %s\n", a->note);
	return 0;
}

/* ---- JSON ---- */

typedef struct jw {
	est_buf *b;
	int depth;
	int fresh;     /* nothing written yet in the current object or array */
	int bad;       /* a number was not finite */
} jw;

static void jw_key(jw *w, const char *key)
{
	int i;

	if (!w->fresh)
		est_buf_putc(w->b, ',');
	est_buf_putc(w->b, '\n');
	for (i = 0; i < w->depth; i++)
		est_buf_puts(w->b, "  ");
	if (key) {
		est_render_json_string(w->b, key);
		est_buf_puts(w->b, ": ");
	}
	w->fresh = 0;
}

static void jw_open(jw *w, const char *key, char brace)
{
	jw_key(w, key);
	est_buf_putc(w->b, brace);
	w->depth++;
	w->fresh = 1;
}

static void jw_close(jw *w, char brace)
{
	int i;

	w->depth--;
	est_buf_putc(w->b, '\n');
	for (i = 0; i < w->depth; i++)
		est_buf_puts(w->b, "  ");
	est_buf_putc(w->b, brace);
	w->fresh = 0;
}

static void jw_num(jw *w, const char *key, double v)
{
	char n[EST_NUMBER_MAX];

	jw_key(w, key);
	if (est_render_number(n, v) < 0) {
		w->bad = 1;
		est_buf_puts(w->b, "null");
		return;
	}
	est_buf_puts(w->b, n);
}

static void jw_str(jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s)
		est_render_json_string(w->b, s);
	else
		est_buf_puts(w->b, "null");
}

static void jw_lit(jw *w, const char *key, const char *literal)
{
	jw_key(w, key);
	est_buf_puts(w->b, literal);
}

static void json_question(jw *w, const est_solve_answer *a)
{
	jw_open(w, "question", '{');
	jw_str(w, "kind", est_solve_kind_name(a->kind));
	jw_str(w, "limit", est_solve_limit_name(a->limit));
	if (a->input)
		jw_str(w, "input", a->input);
	if (a->has_range) {
		jw_open(w, "range", '[');
		jw_num(w, NULL, a->low);
		jw_num(w, NULL, a->high);
		jw_close(w, ']');
		jw_str(w, "unit", a->unit);
	}
	if (a->has_budget) {
		jw_num(w, "budget", a->budget);
		jw_str(w, "currency", a->currency);
	}
	jw_close(w, '}');
}

static void json_binding(jw *w, const est_solve_answer *a)
{
	const est_solve_binding *g = &a->binding;

	jw_open(w, "binding", '{');
	if (g->year)
		jw_num(w, "year", g->year);
	else
		jw_lit(w, "year", "null");
	jw_str(w, "metric", g->metric);
	jw_str(w, "unit", g->unit);
	jw_num(w, "value", g->value);
	jw_num(w, "limit", g->limit);
	if (g->has_beyond)
		jw_num(w, "beyond", g->beyond);
	else
		jw_lit(w, "beyond", "null");
	jw_close(w, '}');
}

static int render_json(est_buf *b, const est_solve_answer *a, est_error *err)
{
	jw w = {b, 0, 1, 0};

	est_buf_putc(b, '{');
	w.depth = 1;
	jw_str(&w, "format", EST_SOLVE_FORMAT_ID);
	jw_open(&w, "scenario", '{');
	jw_str(&w, "name", a->scenario_name);
	jw_str(&w, "file", a->scenario_file);
	jw_close(&w, '}');
	json_question(&w, a);
	jw_open(&w, "answer", '{');
	if (is_runs_out(a)) {
		if (a->found)
			jw_num(&w, "year", a->value);
		else
			jw_lit(&w, "year", "null");
	} else {
		jw_num(&w, "value", a->value);
	}
	jw_str(&w, "unit", a->unit);
	jw_close(&w, '}');
	if (is_runs_out(a)) {
		jw_open(&w, "horizon", '[');
		jw_num(&w, NULL, a->first_year);
		jw_num(&w, NULL, a->last_year);
		jw_close(&w, ']');
	} else {
		jw_open(&w, "bracket", '[');
		jw_num(&w, NULL, a->bracket[0]);
		jw_num(&w, NULL, a->bracket[1]);
		jw_close(&w, ']');
		jw_num(&w, "width", a->bracket[1] - a->bracket[0]);
		jw_num(&w, "iterations", a->iterations);
		jw_num(&w, "max_iterations", a->max_iterations);
		jw_num(&w, "tolerance", a->tolerance);
		jw_lit(&w, "converged", a->converged ? "true" : "false");
	}
	jw_num(&w, "evaluations", a->evaluations);
	json_binding(&w, a);
	jw_str(&w, "note", a->note);
	w.depth = 0;
	est_buf_puts(b, "\n}\n");
	if (w.bad)
		return est_error_set(err, EST_EINTERNAL, a->scenario_file, 0, 0,
				     "a number of the answer is not finite");
	return 0;
}

/* ---- CSV ---- */

typedef struct cw {
	est_buf *b;
	int bad;
} cw;

static void csv_row(cw *w, const char *key, const char *value, const char *unit)
{
	est_render_csv_field(w->b, key);
	est_buf_putc(w->b, ',');
	est_render_csv_field(w->b, value ? value : "");
	est_buf_putc(w->b, ',');
	est_render_csv_field(w->b, unit);
	est_buf_putc(w->b, '\n');
}

static void csv_num(cw *w, const char *key, double v, const char *unit)
{
	char n[EST_NUMBER_MAX];

	if (est_render_number(n, v) < 0)
		w->bad = 1;
	csv_row(w, key, w->bad ? "" : n, unit);
}

static int render_csv(est_buf *b, const est_solve_answer *a, est_error *err)
{
	const est_solve_binding *g = &a->binding;
	cw w = {b, 0};

	est_buf_puts(b, "key,value,unit\n");
	csv_row(&w, "scenario.name", a->scenario_name, "");
	csv_row(&w, "scenario.file", a->scenario_file, "");
	csv_row(&w, "question.kind", est_solve_kind_name(a->kind), "");
	csv_row(&w, "question.limit", est_solve_limit_name(a->limit), "");
	if (a->input)
		csv_row(&w, "question.input", a->input, "");
	if (a->has_range) {
		csv_num(&w, "question.range.low", a->low, a->unit);
		csv_num(&w, "question.range.high", a->high, a->unit);
	}
	if (a->has_budget)
		csv_num(&w, "question.budget", a->budget, a->currency);
	if (is_runs_out(a)) {
		if (a->found)
			csv_num(&w, "answer.year", a->value, "year");
		else
			csv_row(&w, "answer.year", "", "year");
		csv_num(&w, "horizon.first", a->first_year, "year");
		csv_num(&w, "horizon.last", a->last_year, "year");
	} else {
		csv_num(&w, "answer.value", a->value, a->unit);
		csv_num(&w, "bracket.low", a->bracket[0], a->unit);
		csv_num(&w, "bracket.high", a->bracket[1], a->unit);
		csv_num(&w, "width", a->bracket[1] - a->bracket[0], a->unit);
		csv_num(&w, "iterations", a->iterations, "count");
		csv_num(&w, "max_iterations", a->max_iterations, "count");
		csv_num(&w, "tolerance", a->tolerance, "relative");
		csv_num(&w, "converged", a->converged, "bool");
	}
	csv_num(&w, "evaluations", a->evaluations, "count");
	if (g->year)
		csv_num(&w, "binding.year", g->year, "year");
	else
		csv_row(&w, "binding.year", "total", "year");
	csv_row(&w, "binding.metric", g->metric, "");
	csv_num(&w, "binding.value", g->value, g->unit);
	csv_num(&w, "binding.limit", g->limit, g->unit);
	if (g->has_beyond)
		csv_num(&w, "binding.beyond", g->beyond, g->unit);
	if (a->note)
		csv_row(&w, "note", a->note, "");
	if (w.bad)
		return est_error_set(err, EST_EINTERNAL, a->scenario_file, 0, 0,
				     "a number of the answer is not finite");
	return 0;
}

/* ---- dispatch ---- */

/* Every number the text prints as well; est_solve only makes finite ones. */
static int answer_finite(const est_solve_answer *a)
{
	const double v[] = {a->value, a->bracket[0], a->bracket[1], a->low, a->high, a->budget,
			    a->tolerance, a->binding.value, a->binding.limit, a->binding.beyond};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

typedef int (*solve_render_fn)(est_buf *b, const est_solve_answer *a, est_error *err);

static const struct {
	est_format format;
	solve_render_fn fn;
} solve_renderers[] = {
	{EST_FORMAT_TEXT, render_text},
	{EST_FORMAT_JSON, render_json},
	{EST_FORMAT_CSV, render_csv},
};

int est_solve_render(char **out, size_t *len, const est_solve_answer *a, est_format f,
		     est_error *err)
{
	solve_render_fn fn = NULL;
	est_buf b;
	size_t i;
	int rc;

	assert(out && a);
	*out = NULL;
	if (len)
		*len = 0;
	for (i = 0; i < sizeof(solve_renderers) / sizeof(solve_renderers[0]); i++)
		if (solve_renderers[i].format == f)
			fn = solve_renderers[i].fn;
	if (!fn)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown output format %d", (int)f);
	if (!answer_finite(a))
		return est_error_set(err, EST_EINTERNAL, a->scenario_file, 0, 0,
				     "a number of the answer is not finite");
	est_buf_init(&b);
	rc = fn(&b, a, err);
	if (rc == 0) {
		*out = est_buf_detach(&b, len);
		if (!*out)
			rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory rendering the answer");
	}
	est_buf_dispose(&b);
	return rc;
}
