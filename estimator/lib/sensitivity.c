/*
 * Sensitivity of one headline metric to each uncertain input: a one-at-a-time
 * tornado (the input at its 5th and 95th percentile, every other input at its
 * median, evaluated by est_sample_eval_at) and Spearman rank correlations
 * over the samples of est_sample_variant (GSL, average ranks for ties).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "estimator/sensitivity.h"
#include "headlines.h"
#include "profiles_internal.h"
#include "suggest.h"

/* The index of a headline key in est_headlines, or -1. */
static int metric_index(const char *key)
{
	size_t h;

	for (h = 0; h < est_n_headlines; h++)
		if (!strcmp(key, est_headlines[h].key))
			return (int)h;
	return -1;
}

int est_sensitivity_check_metric(const char *key, est_error *err)
{
	const char *keys[EST_HEADLINES];
	const char *near;
	char list[512];
	size_t h, used = 0;

	assert(key);
	if (metric_index(key) >= 0)
		return 0;
	for (h = 0; h < EST_HEADLINES; h++) /* est_n_headlines (headlines.c checks) */
		keys[h] = est_headlines[h].key;
	near = est_suggest(key, keys, EST_HEADLINES);
	if (near)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "unknown metric '%s'; did you mean '%s'?", key, near);
	list[0] = '\0';
	for (h = 0; h < EST_HEADLINES && used < sizeof(list); h++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", h ? ", " : "",
					 keys[h]);
	return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown metric '%s' (one of: %s)", key,
			     list);
}

void est_sensitivity_free(est_sensitivity *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; x->inputs && i < x->n_inputs; i++)
		free(x->inputs[i].name);
	free(x->inputs);
	free(x->scenario);
	free(x->file);
	free(x->metric);
	free(x->label);
	free(x->unit);
	free(x);
}

/* The work every input shares: the samples, one evaluation's metrics and the input vector. */
typedef struct work {
	const est_scenario *s;
	const est_profiles *p;
	const est_samples *x;
	size_t cell;            /* the metric's offset in a row of metrics: year x EST_RANGED + h */
	size_t stride;          /* a sample's metrics: (n_years + 1) x EST_RANGED */
	double *in;             /* n_inputs: NAN (the median) but for the input being moved */
	double *metrics;        /* one evaluation: (n_years + 1) x EST_RANGED */
	double *col;            /* n: a sorted copy of an "any model" column */
	double *ranks;          /* 2n: gsl_stats_spearman's workspace */
} work;

/* The metric with the inputs at w->in. */
static int metric_at(double *out, work *w, est_error *err)
{
	int rc = est_sample_eval_at(w->metrics, w->s, w->p, w->in, w->x->n_inputs, err);

	if (rc < 0)
		return rc;
	*out = w->metrics[w->cell];
	if (!isfinite(*out))
		return est_error_set(err, EST_EINTERNAL, w->s->file, 0, 0,
				     "the metric is not a finite number (%g)", *out);
	return 0;
}

static int column_constant(const double *v, size_t stride, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i * stride] != v[0])
			return 0;
	return 1;
}

/*
 * The distribution of a profile field the sampler reads from a record,
 * named "profiles <label>" (sample.c), in the scenario's library or the one
 * it extends; NULL when there is none.
 */
static const est_dist *profile_dist(const work *w, const char *name)
{
	static const char prefix[] = "profiles ";
	const est_profiles *lib;
	size_t i;

	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return NULL;
	name += sizeof(prefix) - 1;
	for (lib = w->s->extended ? w->s->extended : w->p; lib; lib = lib->base)
		for (i = 0; i < lib->n_dists; i++)
			if (!strcmp(lib->dists[i].label, name))
				return &lib->dists[i].dist;
	return NULL;
}

/*
 * The input's 5th and 95th percentile: from its distribution (a scenario
 * input's, or a profile field's); for an "any model" workload, whose Wh per
 * inference comes from a record drawn per sample, GSL's interpolated
 * quantiles of the sampled column.
 */
static void input_range(work *w, size_t i, double *low, double *high)
{
	const est_samples *x = w->x;
	const est_dist *d = i < w->s->n_uncertain ? &w->s->uncertain[i].dist
						  : profile_dist(w, x->input_names[i]);
	size_t k;

	if (d) {
		*low = est_dist_quantile(d, EST_SENSITIVITY_LOW);
		*high = est_dist_quantile(d, EST_SENSITIVITY_HIGH);
		return;
	}
	for (k = 0; k < x->n; k++)
		w->col[k] = x->inputs[k * x->n_inputs + i];
	gsl_sort(w->col, 1, x->n);
	*low = gsl_stats_quantile_from_sorted_data(w->col, 1, x->n, EST_SENSITIVITY_LOW);
	*high = gsl_stats_quantile_from_sorted_data(w->col, 1, x->n, EST_SENSITIVITY_HIGH);
}

static int one_input(est_sensitivity_input *out, work *w, size_t i, est_error *err)
{
	const est_samples *x = w->x;
	const double *in_col = x->inputs + i, *m_col = x->metrics + w->cell;
	int rc;

	out->name = strdup(x->input_names[i]);
	if (!out->name)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	input_range(w, i, &out->low, &out->high);
	w->in[i] = out->low;
	rc = metric_at(&out->metric_at_low, w, err);
	w->in[i] = out->high;
	if (rc == 0)
		rc = metric_at(&out->metric_at_high, w, err);
	w->in[i] = NAN;
	if (rc < 0)
		return rc;
	out->swing = fabs(out->metric_at_high - out->metric_at_low);
	if (x->n < 2 || column_constant(in_col, x->n_inputs, x->n) ||
	    column_constant(m_col, w->stride, x->n))
		out->spearman = NAN; /* no ranks to correlate */
	else
		out->spearman = gsl_stats_spearman(in_col, x->n_inputs, m_col, w->stride, x->n,
						   w->ranks);
	return 0;
}

/* Largest swing first; equal swings keep the scenario's order (by name index). */
typedef struct ranked {
	double swing;
	size_t index;
} ranked;

static int by_swing(const void *a, const void *b)
{
	const ranked *p = a, *q = b;

	if (p->swing != q->swing)
		return p->swing < q->swing ? 1 : -1;
	return (p->index > q->index) - (p->index < q->index);
}

static int sort_inputs(est_sensitivity *r, est_error *err)
{
	ranked *order = malloc(r->n_inputs * sizeof(*order));
	est_sensitivity_input *sorted = malloc(r->n_inputs * sizeof(*sorted));
	size_t i;

	if (!order || !sorted) {
		free(order);
		free(sorted);
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	}
	for (i = 0; i < r->n_inputs; i++) {
		order[i].swing = r->inputs[i].swing;
		order[i].index = i;
	}
	qsort(order, r->n_inputs, sizeof(*order), by_swing);
	for (i = 0; i < r->n_inputs; i++)
		sorted[i] = r->inputs[order[i].index];
	free(r->inputs);
	r->inputs = sorted;
	free(order);
	return 0;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* The analysis without its inputs: names, metric, horizon, sampling. */
static int describe(est_sensitivity **out, const est_scenario *s, const est_sensitivity_options *o,
		    int h, const char *currency, est_error *err)
{
	est_sensitivity *r = calloc(1, sizeof(*r));
	const est_headline *hl = &est_headlines[h];

	*out = r;
	if (!r)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	r->scenario = dup_or_empty(s->name);
	r->file = dup_or_empty(s->file);
	r->metric = strdup(hl->key);
	r->label = strdup(hl->label);
	r->unit = strdup(strcmp(hl->unit, "$") ? hl->unit : currency);
	if (!r->scenario || !r->file || !r->metric || !r->label || !r->unit)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	r->year = o->year;
	r->start_year = s->start_year;
	r->years = s->years;
	r->samples = o->sampling.samples;
	r->seed = o->sampling.seed;
	r->generator = gsl_rng_mt19937->name;
	return 0;
}

int est_sensitivity_run(est_sensitivity **out, const est_scenario *s, const est_profiles *p,
			const est_sensitivity_options *o, est_error *err)
{
	const char *key;
	est_sensitivity *r = NULL;
	est_samples *x = NULL;
	work w;
	size_t row, i;
	int h, rc;

	assert(out && s && p && o);
	*out = NULL;
	memset(&w, 0, sizeof(w));
	key = o->metric ? o->metric : EST_SENSITIVITY_DEFAULT_METRIC;
	rc = est_sensitivity_check_metric(key, err);
	if (rc < 0)
		return rc;
	h = metric_index(key);
	if (o->year != 0 && (o->year < s->start_year || o->year >= s->start_year + s->years))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "year %d is outside the scenario's horizon, %d-%d", o->year,
				     s->start_year, s->start_year + s->years - 1);
	row = o->year == 0 ? (size_t)s->years : (size_t)(o->year - s->start_year);
	rc = est_sample_variant(&x, s, p, &o->sampling, err);
	if (rc < 0)
		goto cleanup;
	if (x->n_inputs == 0) {
		rc = est_error_set(err, EST_EINVALID, s->file, 0, 0,
				   "no uncertain inputs: give an input as a distribution, docs/uncertainty.md");
		goto cleanup;
	}
	rc = describe(&r, s, o, h, s->currency, err);
	if (rc < 0)
		goto cleanup;
	w.s = s;
	w.p = p;
	w.x = x;
	w.cell = row * EST_RANGED + (size_t)h;
	w.stride = (x->n_years + 1) * EST_RANGED;
	w.in = malloc(x->n_inputs * sizeof(*w.in));
	w.metrics = malloc(w.stride * sizeof(*w.metrics));
	w.col = malloc(x->n * sizeof(*w.col));
	w.ranks = malloc(2 * x->n * sizeof(*w.ranks));
	r->inputs = calloc(x->n_inputs, sizeof(*r->inputs));
	if (!w.in || !w.metrics || !w.col || !w.ranks || !r->inputs) {
		rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
		goto cleanup;
	}
	r->n_inputs = x->n_inputs;
	for (i = 0; i < x->n_inputs; i++)
		w.in[i] = NAN;
	rc = metric_at(&r->baseline, &w, err);
	for (i = 0; i < x->n_inputs && rc == 0; i++)
		rc = one_input(&r->inputs[i], &w, i, err);
	if (rc == 0)
		rc = sort_inputs(r, err);
cleanup:
	free(w.in);
	free(w.metrics);
	free(w.col);
	free(w.ranks);
	est_samples_free(x);
	if (rc < 0) {
		est_sensitivity_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
