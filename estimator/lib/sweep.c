/*
 * `sweep` (docs/what-if.md): one scenario evaluated at every point of a
 * range of one input, or of the grid of two. Each point's values are
 * overrides like `--set` ones, so they are checked as if written in the file
 * and their errors point at the --vary that made them.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/units.h"
#include "estimator/whatif.h"
#include "suggest.h"

#define VARY_HELP "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6"

/* ---- parsing PATH=FROM:TO:STEPS ---- */


/* A FROM or TO value: its number and the unit text after it. */
static int parse_value(const char *text, const char *which, double *number, char *unit,
		       est_error *err)
{
	char num[EST_VARY_TEXT_MAX];
	size_t n = est_quantity_number_length(text);

	if (n == 0 || n >= sizeof(num))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--vary %s must be a number with an optional unit, e.g. 1.2, 10%% or 1000/day; got '%s'",
				     which, text);
	memcpy(num, text, n);
	num[n] = '\0';
	*number = strtod(num, NULL);
	if (!isfinite(*number))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "--vary %s is out of range: '%s'",
				     which, text);
	snprintf(unit, EST_VARY_TEXT_MAX, "%s", text + n);
	return 0;
}

/* Copy [s, s + n) into out (size cap); 0 when it does not fit. */
static int copy_span(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

int est_vary_parse(est_vary *out, const char *spec, int line, est_error *err)
{
	const char *eq, *c1, *c2, *p;
	char steps[EST_VARY_TEXT_MAX], to_unit[EST_VARY_TEXT_MAX];
	char *end;
	unsigned long n;
	int rc;

	assert(out);
	assert(spec);
	memset(out, 0, sizeof(*out));
	eq = strchr(spec, '=');
	c1 = eq ? strchr(eq + 1, ':') : NULL;
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!eq || eq == spec || !c1 || !c2 || strchr(c2 + 1, ':') || c1 == eq + 1 ||
	    c2 == c1 + 1 || !c2[1])
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, VARY_HELP "; got '%s'", spec);
	if (!copy_span(out->path, sizeof(out->path), spec, (size_t)(eq - spec)))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "--vary path too long: '%s'", spec);
	if (!copy_span(out->from_text, sizeof(out->from_text), eq + 1, (size_t)(c1 - eq - 1)) ||
	    !copy_span(out->to_text, sizeof(out->to_text), c1 + 1, (size_t)(c2 - c1 - 1)) ||
	    !copy_span(steps, sizeof(steps), c2 + 1, strlen(c2 + 1)))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "--vary value too long: '%s'", spec);
	rc = parse_value(out->from_text, "FROM", &out->from, out->unit, err);
	if (rc == 0)
		rc = parse_value(out->to_text, "TO", &out->to, to_unit, err);
	if (rc < 0)
		return rc;
	if (!isfinite(out->to - out->from))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--vary %s: FROM and TO are too far apart", out->path);
	if (strcmp(out->unit, to_unit) != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--vary %s: FROM and TO must be written with the same unit, got '%s' and '%s'",
				     out->path, out->from_text, out->to_text);
	for (p = steps; *p; p++)
		if (!isdigit((unsigned char)*p))
			break;
	n = *p ? 0 : strtoul(steps, &end, 10);
	if (n < 2 || n > EST_SWEEP_MAX_POINTS)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--vary %s: STEPS must be a whole number from 2 to %d; got '%s'",
				     out->path, EST_SWEEP_MAX_POINTS, steps);
	out->steps = (size_t)n;
	out->line = line;
	out->column = (int)(eq - spec) + 2;
	return 0;
}

double est_vary_value(const est_vary *v, size_t i)
{
	assert(v);
	assert(v->steps >= 2);
	if (i + 1 >= v->steps)
		return v->to;
	return v->from + (double)i * (v->to - v->from) / (double)(v->steps - 1);
}

/* ---- the grid ---- */

/* "%.10g" then the unit text, with '.' as the point whatever the locale. */
static void format_value(char out[EST_VARY_VALUE_MAX], double x, const char *unit)
{
	char num[32];
	char *q;

	if (x == 0)
		x = 0; /* no "-0" */
	snprintf(num, sizeof(num), "%.10g", x);
	for (q = num; *q; q++)
		if (!strchr("0123456789+-eE", *q))
			*q = '.';
	snprintf(out, EST_VARY_VALUE_MAX, "%s%s", num, unit);
}

static int check_grid(const est_sweep_options *o, size_t *n_points, est_error *err)
{
	size_t i, n = 1;

	if (o->n_vary == 0 || o->n_vary > EST_SWEEP_MAX_VARY)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "a sweep varies one or two inputs (--vary); got %zu", o->n_vary);
	for (i = 0; i < o->n_vary; i++) {
		if (o->vary[i].steps < 2 || o->vary[i].steps > EST_SWEEP_MAX_POINTS)
			return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
					     "--vary %s: STEPS must be from 2 to %d",
					     o->vary[i].path, EST_SWEEP_MAX_POINTS);
		n *= o->vary[i].steps;
	}
	if (o->n_vary == 2 && strcmp(o->vary[0].path, o->vary[1].path) == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "--vary %s is given twice",
				     o->vary[0].path);
	if (n > EST_SWEEP_MAX_POINTS)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "a sweep has at most %d points; %zu x %zu = %zu",
				     EST_SWEEP_MAX_POINTS, o->vary[0].steps, o->vary[1].steps, n);
	*n_points = n;
	return 0;
}

/*
 * Prefix an error at a point with the point's values, e.g. "at site.pue=1.2: ",
 * through est_error_set so that the values stay escaped like the rest.
 */
static void name_point(est_error *err, const est_sweep *s, const est_sweep_point *pt)
{
	char where[EST_ERROR_MESSAGE_MAX];
	size_t k, o = 0;

	if (!err)
		return;
	for (k = 0; k < s->n_vary && o < sizeof(where); k++)
		o += (size_t)snprintf(where + o, sizeof(where) - o, "%s%s=%s", k ? ", " : "",
				      s->vary[k].path, pt->values[k]);
	/* est_error_set takes err's own file and message; one cut at the end still says where and what */
	est_error_set(err, err->code, err->file, err->line, err->column, "at %s: %s", where,
		      err->message);
}

/* The scenario's variant called name, or an error naming the nearest one. */
static int find_variant(const est_scenario *sc, const char *name, const est_scenario **out,
			est_error *err)
{
	const char *names[64];
	const char *near;
	size_t i;

	for (i = 0; i < sc->n_variants; i++) {
		if (strcmp(sc->variants[i]->variant, name) == 0) {
			*out = sc->variants[i];
			return 0;
		}
		if (i < sizeof(names) / sizeof(names[0]))
			names[i] = sc->variants[i]->variant;
	}
	if (sc->n_variants == 0)
		return est_error_set(err, EST_EINVALID, sc->file, 0, 0,
				     "no variant '%s': the scenario has no variants", name);
	near = est_suggest(name, names, sc->n_variants < 64 ? sc->n_variants : 64);
	if (near)
		return est_error_set(err, EST_EINVALID, sc->file, 0, 0,
				     "no variant '%s'; did you mean '%s'?", name, near);
	return est_error_set(err, EST_EINVALID, sc->file, 0, 0, "no variant '%s'", name);
}

/* Point i: load with `load` (whose last overrides are the varied ones), evaluate, keep. */
static int run_point(est_sweep *s, size_t i, const char *file, const est_load_options *load,
		     const char *variant, const est_profiles *p, est_error *err)
{
	est_sweep_point *pt = &s->points[i];
	est_scenario *sc = NULL;
	const est_scenario *which;
	est_result *r = NULL;
	const est_variant *v;
	int rc, at_point = 0;

	rc = est_scenario_load_with(&sc, file, p, load, err);
	if (rc < 0) {
		/* the first point's values are FROM, where the error already points */
		at_point = i > 0 && strcmp(err->file, "--vary") == 0;
		goto cleanup;
	}
	which = sc;
	if (variant) {
		rc = find_variant(sc, variant, &which, err);
		if (rc < 0)
			goto cleanup;
	}
	rc = est_model_run(&r, which, p, err);
	if (rc < 0) {
		at_point = 1;
		goto cleanup;
	}
	v = &r->variants[0];
	if (i == 0) {
		s->scenario = strdup(r->scenario_name ? r->scenario_name : "");
		s->file = strdup(r->scenario_file ? r->scenario_file : "");
		s->variant = strdup(v->name ? v->name : "");
		memcpy(s->currency, r->currency, sizeof(s->currency));
		if (!s->scenario || !s->file || !s->variant) {
			rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			goto cleanup;
		}
	}
	pt->start_year = v->n_years > 0 ? v->years[0].year : 0;
	pt->years = (int)v->n_years;
	pt->totals = v->totals;
	pt->it_peak_kw = v->n_years > 0 ? v->years[v->n_years - 1].it_peak_kw : 0;
cleanup:
	if (rc < 0 && at_point)
		name_point(err, s, pt);
	est_result_free(r);
	est_scenario_free(sc);
	return rc;
}

int est_sweep_run(est_sweep **out, const char *file, const est_sweep_options *o,
		  const est_profiles *p, est_error *err)
{
	est_sweep *s = NULL;
	est_override *ov = NULL;
	est_load_options load;
	size_t n_sets = 0, n_points = 0, i, k, idx[EST_SWEEP_MAX_VARY];
	int rc;

	assert(out);
	assert(file);
	assert(o);
	assert(o->vary || o->n_vary == 0);
	assert(p);
	*out = NULL;
	rc = check_grid(o, &n_points, err);
	if (rc < 0)
		return rc;
	if (o->load)
		n_sets = o->load->n_overrides;
	s = calloc(1, sizeof(*s));
	ov = calloc(n_sets + o->n_vary, sizeof(*ov));
	if (s)
		s->points = calloc(n_points, sizeof(*s->points));
	if (!s || !ov || !s->points) {
		rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
		goto cleanup;
	}
	s->n_vary = o->n_vary;
	s->n_points = n_points;
	memcpy(s->vary, o->vary, o->n_vary * sizeof(*o->vary));
	if (n_sets)
		memcpy(ov, o->load->overrides, n_sets * sizeof(*ov));
	memset(&load, 0, sizeof(load));
	load.overrides = ov;
	load.n_overrides = n_sets + o->n_vary;
	load.base_only = o->variant == NULL;
	if (o->load) {
		load.data = o->load->data;
		load.len = o->load->len;
	}

	for (i = 0; i < n_points && rc == 0; i++) {
		est_sweep_point *pt = &s->points[i];
		size_t rest = i;

		/* the last input varies fastest */
		for (k = o->n_vary; k-- > 0;) {
			idx[k] = rest % o->vary[k].steps;
			rest /= o->vary[k].steps;
		}
		for (k = 0; k < o->n_vary; k++) {
			const est_vary *v = &o->vary[k];
			est_override *x = &ov[n_sets + k];

			format_value(pt->values[k], est_vary_value(v, idx[k]), v->unit);
			pt->numbers[k] = strtod(pt->values[k], NULL);
			x->path = v->path;
			x->value = pt->values[k];
			x->origin = "--vary";
			x->line = v->line;
			x->column = v->column;
		}
		rc = run_point(s, i, file, &load, o->variant, p, err);
	}
cleanup:
	free(ov);
	if (rc < 0) {
		est_sweep_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void est_sweep_free(est_sweep *s)
{
	if (!s)
		return;
	free(s->scenario);
	free(s->file);
	free(s->variant);
	free(s->points);
	free(s);
}
