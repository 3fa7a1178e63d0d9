/*
 * Monte Carlo sampling of a scenario's uncertain inputs. Samples are split
 * into blocks of EST_SAMPLE_BLOCK; block b draws from its own mt19937 stream
 * seeded from (seed, b), and writes its own rows, so threads may take the
 * blocks in any order and the numbers stay the same. Each sample copies the
 * scenario, sets every uncertain input by inverse transform of one uniform
 * variate, picks a record for each "any model" workload, and evaluates the
 * model in a workspace allocated once per thread.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "estimator/sample.h"
#include "buf.h"
#include "conversions.h"
#include "headlines.h"
#include "model_internal.h"
#include "profiles_internal.h"

#define MAX_CANDIDATES 4096
#define MAX_THREADS 64

/*
 * The most memory one scenario's samples may take: each sample keeps its
 * inputs and every metric of every year (sensitivity needs them all), and a
 * quantile needs a column of n numbers (docs/uncertainty.md, "Limits and
 * memory").
 */
#define SAMPLE_MEMORY_MAX ((size_t)1 << 30)

typedef struct any_model {
	size_t workload;
	const est_model_profile **cand;
	size_t n_cand;
} any_model;

/* A profile field the model reads directly, sampled on the worker's copy of its record. */
enum { ON_SERVER, ON_ACCELERATOR, ON_STORAGE, ON_MODEL };

typedef struct prof_input {
	const est_pdist *e;
	int on;
	size_t workload;        /* ON_MODEL */
} prof_input;

typedef struct plan {
	const est_scenario *s;
	const est_profiles *p;
	size_t n_equivalences;
	any_model *any;
	size_t n_any;
	prof_input *prof;
	size_t n_prof;
	/*
	 * Per workload: figures that no sampled input can change (the
	 * conversion's inputs are all fixed), converted once (plan_fixed).
	 */
	est_workload_result *fixed;
	unsigned char *is_fixed;
	est_samples *x;
	unsigned long seed;
	size_t n_blocks;
	int threads;
} plan;

/*
 * What one thread owns: a scenario copy and a model workspace. Workers sit
 * side by side in one array and are written every sample: each starts on its
 * own cache line so that two threads never write the same line.
 */
#define CACHE_LINE 64
typedef struct worker {
	_Alignas(CACHE_LINE) const plan *pl;
	int index;
	est_scenario s;
	est_workload *workloads;
	est_server server;      /* copies the sampled profile fields are set on */
	est_accelerator acc;
	est_storage_tech storage;
	est_model_profile *models;
	est_variant v;
	est_error err;
	int rc;
} worker;

/* SplitMix64: spreads (seed, block) over the generator's seed space. */
static unsigned long block_seed(unsigned long seed, size_t block)
{
	unsigned long long z = (unsigned long long)seed + 0x9E3779B97F4A7C15ULL * (block + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (unsigned long)(z & 0xFFFFFFFFUL);
}

static int worker_init(worker *w, const plan *pl, int index)
{
	const est_scenario *s = pl->s;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->pl = pl;
	w->index = index;
	w->workloads = calloc(s->n_workloads, sizeof(*w->workloads));
	w->models = calloc(s->n_workloads ? s->n_workloads : 1, sizeof(*w->models));
	if (!w->models)
		return EST_EINTERNAL;
	w->v.years = calloc((size_t)s->years, sizeof(*w->v.years));
	w->v.workloads = calloc(s->n_workloads, sizeof(*w->v.workloads));
	if (!w->workloads || !w->v.years || !w->v.workloads)
		return EST_EINTERNAL;
	w->v.n_years = (size_t)s->years;
	w->v.n_workloads = s->n_workloads;
	for (i = 0; i < s->n_workloads; i++) {
		w->v.workloads[i].years = calloc((size_t)s->years, sizeof(*w->v.workloads[i].years));
		if (!w->v.workloads[i].years)
			return EST_EINTERNAL;
	}
	return 0;
}

static void worker_dispose(worker *w)
{
	size_t i;

	for (i = 0; w->v.workloads && i < w->v.n_workloads; i++)
		free(w->v.workloads[i].years);
	free(w->v.workloads);
	free(w->v.years);
	free(w->workloads);
	free(w->models);
}

/*
 * Set the worker's scenario from the plan's, with input values `in` (NAN: the
 * median), and the per-inference figures of every workload. For an "any
 * model" workload, `pick` chooses a record (index), or, when pick is NULL,
 * in[...] gives its energy and the time follows it in proportion.
 */
static int prepare(worker *w, const double *in, const size_t *pick, double *any_wh)
{
	const plan *pl = w->pl;
	const est_scenario *s = pl->s;
	size_t i, k;
	int rc = 0;

	w->s = *s;
	memcpy(w->workloads, s->workloads, s->n_workloads * sizeof(*w->workloads));
	w->s.workloads = w->workloads;
	/* amounts first, then the exchange rates that scale them */
	for (i = 0; i < s->n_uncertain; i++)
		if (!isnan(in[i]) && !s->uncertain[i].multiplier)
			est_uncertain_set(&w->s, &s->uncertain[i], in[i]);
	for (i = 0; i < s->n_uncertain; i++)
		if (!isnan(in[i]) && s->uncertain[i].multiplier)
			est_uncertain_set(&w->s, &s->uncertain[i], in[i]);
	est_scenario_derive(&w->s);
	if (pl->n_prof > 0) {
		w->server = *s->server;
		w->acc = *s->server->accelerator;
		w->server.accelerator = &w->acc;
		w->s.server = &w->server;
		w->storage = *s->storage;
		w->s.storage = &w->storage;
		for (i = 0; i < s->n_workloads; i++) {
			if (!s->workloads[i].model)
				continue;
			w->models[i] = *s->workloads[i].model;
			w->workloads[i].model = &w->models[i];
		}
		for (k = 0; k < pl->n_prof; k++) {
			const prof_input *pi = &pl->prof[k];
			double v = in[s->n_uncertain + k];
			char *base = pi->on == ON_SERVER ? (char *)&w->server
				   : pi->on == ON_ACCELERATOR ? (char *)&w->acc
				   : pi->on == ON_STORAGE ? (char *)&w->storage
							 : (char *)&w->models[pi->workload];
			if (!isnan(v))
				*(double *)(void *)(base + pi->e->offset) = v;
		}
	}
	for (i = 0; i < s->n_workloads && rc == 0; i++) {
		est_workload_result *wr = &w->v.workloads[i];
		const est_model_profile *m = NULL;
		if (pl->is_fixed && pl->is_fixed[i]) {
			const est_workload_result *f = &pl->fixed[i];
			wr->energy_wh = f->energy_wh;
			wr->accelerator_wh = f->accelerator_wh;
			wr->host_wh = f->host_wh;
			wr->time_s = f->time_s;
			wr->replica = f->replica;
			continue;
		}
		for (k = 0; k < pl->n_any; k++)
			if (pl->any[k].workload == i && pick)
				m = pl->any[k].cand[pick[k]];
		rc = est_conv_values(wr, &w->workloads[i], m, &w->s, pl->p);
		for (k = 0; k < pl->n_any && rc == 0; k++) {
			if (pl->any[k].workload != i)
				continue;
			if (!pick && !isnan(in[s->n_uncertain + pl->n_prof + k]) && wr->energy_wh > 0) {
				double e = in[s->n_uncertain + pl->n_prof + k];
				wr->time_s *= e / wr->energy_wh;
				wr->accelerator_wh *= e / wr->energy_wh;
				wr->host_wh *= e / wr->energy_wh;
				wr->energy_wh = e;
			}
			if (any_wh)
				any_wh[k] = wr->energy_wh;
		}
	}
	return rc;
}

static void store_metrics(const est_variant *v, double *row)
{
	size_t y, h;

	for (y = 0; y <= v->n_years; y++)
		for (h = 0; h < EST_RANGED; h++)
			row[y * EST_RANGED + h] = est_ranged_get(h, v, y);
}

static void run_block(worker *w, gsl_rng *r, size_t block)
{
	const plan *pl = w->pl;
	const est_scenario *s = pl->s;
	est_samples *x = pl->x;
	size_t first = block * EST_SAMPLE_BLOCK, last = first + EST_SAMPLE_BLOCK, i, u, k;
	size_t pick[64];
	double in[256];
	size_t stride = (x->n_years + 1) * EST_RANGED;

	if (last > x->n)
		last = x->n;
	gsl_rng_set(r, block_seed(pl->seed, block));
	for (i = first; i < last && w->rc == 0; i++) {
		double *row_in = x->inputs + i * x->n_inputs;
		for (u = 0; u < s->n_uncertain; u++)
			in[u] = est_dist_quantile(&s->uncertain[u].dist, gsl_rng_uniform_pos(r));
		for (k = 0; k < pl->n_prof; k++)
			in[s->n_uncertain + k] = est_dist_quantile(&pl->prof[k].e->dist, gsl_rng_uniform_pos(r));
		for (k = 0; k < pl->n_any; k++)
			pick[k] = gsl_rng_uniform_int(r, pl->any[k].n_cand);
		w->rc = prepare(w, in, pick, row_in + s->n_uncertain + pl->n_prof);
		if (w->rc == 0)
			w->rc = est_model__eval(&w->v, &w->s, pl->p, pl->n_equivalences, &w->err);
		if (w->rc < 0)
			break;
		memcpy(row_in, in, (s->n_uncertain + pl->n_prof) * sizeof(*in));
		store_metrics(&w->v, x->metrics + i * stride);
	}
}

static void *thread_main(void *arg)
{
	worker *w = arg;
	const plan *pl = w->pl;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t b;

	if (!r) {
		w->rc = EST_EINTERNAL;
		return NULL;
	}
	/* block b to thread b mod T: which thread runs a block does not change it */
	for (b = (size_t)w->index; b < pl->n_blocks && w->rc == 0; b += (size_t)pl->threads)
		run_block(w, r, b);
	gsl_rng_free(r);
	return NULL;
}

static int fail_oom(est_error *err, const est_scenario *s)
{
	return est_error_set(err, EST_EINTERNAL, s->file, 0, 0, "out of memory");
}

void est_samples_free(est_samples *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; x->input_names && i < x->n_inputs; i++)
		free(x->input_names[i]);
	free(x->input_names);
	free(x->inputs);
	free(x->metrics);
	free(x);
}

/* The "any model" workloads and their candidate records. */
static int plan_any(plan *pl, est_error *err)
{
	const est_scenario *s = pl->s;
	size_t i;

	pl->any = calloc(s->n_workloads ? s->n_workloads : 1, sizeof(*pl->any));
	if (!pl->any)
		return fail_oom(err, s);
	for (i = 0; i < s->n_workloads; i++) {
		const est_workload *w = &s->workloads[i];
		any_model *a = &pl->any[pl->n_any];
		size_t n;
		if (w->model || w->energy_wh_override > 0)
			continue;
		n = est_conv_candidates(w->task, pl->p, NULL, 0);
		if (n == 0)
			continue;
		if (n > MAX_CANDIDATES)
			n = MAX_CANDIDATES;
		a->cand = malloc(n * sizeof(*a->cand));
		if (!a->cand)
			return fail_oom(err, s);
		a->n_cand = est_conv_candidates(w->task, pl->p, a->cand, n);
		if (a->n_cand > n)
			a->n_cand = n;
		a->workload = i;
		pl->n_any++;
	}
	return 0;
}

static int add_prof(plan *pl, const est_pdist *e, int on, size_t workload)
{
	prof_input *grown = realloc(pl->prof, (pl->n_prof + 1) * sizeof(*grown));

	if (!grown)
		return EST_EINTERNAL;
	pl->prof = grown;
	pl->prof[pl->n_prof].e = e;
	pl->prof[pl->n_prof].on = on;
	pl->prof[pl->n_prof].workload = workload;
	pl->n_prof++;
	return 0;
}

/*
 * The profile fields the model reads from records directly: the server's
 * (but its price and lifetime, which the scenario inherits), the deployment
 * accelerator's, the storage technology's, and each named model's.
 */
static int plan_prof(plan *pl, est_error *err)
{
	const est_scenario *s = pl->s;
	const est_profiles *lib;
	size_t i, j;
	int rc = 0;

	for (lib = s->extended ? s->extended : pl->p; lib && rc == 0; lib = lib->base) {
		for (i = 0; i < lib->n_dists && rc == 0; i++) {
			const est_pdist *e = &lib->dists[i];
			if (e->kind == EST_RECORD_SERVER && !strcmp(e->id, s->server->id) &&
			    e->offset != offsetof(est_server, price) &&
			    e->offset != offsetof(est_server, lifetime_years))
				rc = add_prof(pl, e, ON_SERVER, 0);
			else if (e->kind == EST_RECORD_ACCELERATOR &&
				 !strcmp(e->id, s->server->accelerator->id))
				rc = add_prof(pl, e, ON_ACCELERATOR, 0);
			else if (e->kind == EST_RECORD_STORAGE && !strcmp(e->id, s->storage->id))
				rc = add_prof(pl, e, ON_STORAGE, 0);
			else if (e->kind == EST_RECORD_MODEL)
				for (j = 0; j < s->n_workloads && rc == 0; j++)
					if (s->workloads[j].model && !strcmp(e->id, s->workloads[j].model->id))
						rc = add_prof(pl, e, ON_MODEL, j);
		}
	}
	if (rc < 0)
		return fail_oom(err, s);
	return 0;
}

/* A scenario input the per-inference conversion reads (docs/model.md section 2)? */
static int feeds_conversion(const est_uncertain *u)
{
	static const size_t workload_fields[] = {
		offsetof(est_workload, energy_wh_override), offsetof(est_workload, time_s_override),
		offsetof(est_workload, hardware_energy_factor), offsetof(est_workload, hardware_time_factor),
		offsetof(est_workload, weights_bytes)};
	size_t i;

	if (u->multiplier)
		return 0; /* exchange rates scale money only */
	if (u->workload < 0)
		return u->offset == offsetof(est_scenario, gpu_to_node) ||
		       u->offset == offsetof(est_scenario, pue);
	for (i = 0; i < sizeof(workload_fields) / sizeof(workload_fields[0]); i++)
		if (u->offset == workload_fields[i])
			return 1;
	return 0;
}

/*
 * The workloads whose per-inference figures every sample shares: no profile
 * field is sampled, no record is drawn for them, and no sampled scenario
 * input feeds their conversion. Those are converted once, at the medians.
 */
static int plan_fixed(plan *pl, est_error *err)
{
	const est_scenario *s = pl->s;
	size_t i, k;

	pl->fixed = calloc(s->n_workloads ? s->n_workloads : 1, sizeof(*pl->fixed));
	pl->is_fixed = calloc(s->n_workloads ? s->n_workloads : 1, 1);
	if (!pl->fixed || !pl->is_fixed)
		return fail_oom(err, s);
	if (pl->n_prof > 0)
		return 0;
	for (i = 0; i < s->n_workloads; i++) {
		int fixed = 1;
		for (k = 0; k < pl->n_any && fixed; k++)
			fixed = pl->any[k].workload != i;
		for (k = 0; k < s->n_uncertain && fixed; k++) {
			const est_uncertain *u = &s->uncertain[k];
			fixed = !((u->workload < 0 || (size_t)u->workload == i) && feeds_conversion(u));
		}
		/* an error stays with the samples, where it is reported as before */
		pl->is_fixed[i] = fixed && est_conv_values(&pl->fixed[i], &s->workloads[i], NULL, s, pl->p) == 0;
	}
	return 0;
}

static void plan_dispose(plan *pl)
{
	size_t i;

	free(pl->fixed);
	free(pl->is_fixed);
	free(pl->prof);
	for (i = 0; pl->any && i < pl->n_any; i++)
		free(pl->any[i].cand);
	free(pl->any);
}

static int name_inputs(est_samples *x, const plan *pl)
{
	const est_scenario *s = pl->s;
	size_t i;
	char buf[300];

	x->input_names = calloc(x->n_inputs ? x->n_inputs : 1, sizeof(*x->input_names));
	if (!x->input_names)
		return EST_EINTERNAL;
	for (i = 0; i < s->n_uncertain; i++) {
		x->input_names[i] = strdup(s->uncertain[i].path);
		if (!x->input_names[i])
			return EST_EINTERNAL;
	}
	for (i = 0; i < pl->n_prof; i++) {
		snprintf(buf, sizeof(buf), "profiles %s", pl->prof[i].e->label);
		x->input_names[s->n_uncertain + i] = strdup(buf);
		if (!x->input_names[s->n_uncertain + i])
			return EST_EINTERNAL;
	}
	for (i = 0; i < pl->n_any; i++) {
		size_t at = s->n_uncertain + pl->n_prof + i;
		snprintf(buf, sizeof(buf), "workloads[%s].model (any of %zu)",
			 s->workloads[pl->any[i].workload].name, pl->any[i].n_cand);
		x->input_names[at] = strdup(buf);
		if (!x->input_names[at])
			return EST_EINTERNAL;
	}
	return 0;
}

size_t est_sample_bytes(size_t n_inputs, size_t years)
{
	return sizeof(double) * (n_inputs + (years + 1) * EST_RANGED + 1);
}

/* n samples must fit SAMPLE_MEMORY_MAX; the error says how many would. */
static int check_memory(size_t n, size_t n_inputs, size_t years, est_error *err)
{
	size_t each = est_sample_bytes(n_inputs, years), most = SAMPLE_MEMORY_MAX / each;

	if (n <= most)
		return 0;
	return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
			     "%zu samples need %zu MiB (%zu bytes each: %zu years and the totals of %d metrics, %zu inputs), above the %zu MiB limit; use at most %zu samples",
			     n, (n * each) >> 20, each, years, EST_RANGED, n_inputs,
			     SAMPLE_MEMORY_MAX >> 20, most);
}

int est_sample_variant(est_samples **out, const est_scenario *s, const est_profiles *p,
		       const est_sample_options *o, est_error *err)
{
	plan pl;
	worker *workers = NULL;
	pthread_t threads[MAX_THREADS];
	est_samples *x = NULL;
	int t, started = 0, rc;

	assert(out && s && p && o);
	*out = NULL;
	if (o->samples == 0 || o->samples > EST_SAMPLES_MAX)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "samples must be 1 to %d", EST_SAMPLES_MAX);
	memset(&pl, 0, sizeof(pl));
	pl.s = s;
	pl.p = p;
	pl.n_equivalences = s->n_equivalences;
	pl.seed = o->seed;
	pl.threads = o->threads < 1 ? 1 : (o->threads > MAX_THREADS ? MAX_THREADS : o->threads);
	rc = plan_any(&pl, err);
	if (rc == 0)
		rc = plan_prof(&pl, err);
	if (rc == 0)
		rc = plan_fixed(&pl, err);
	if (rc < 0)
		goto cleanup;
	if (s->n_uncertain + pl.n_prof > 256 || pl.n_any > 64) {
		rc = est_error_set(err, EST_EINVALID, s->file, 0, 0, "too many uncertain inputs (at most 256, and 64 any-model workloads)");
		goto cleanup;
	}
	rc = check_memory(o->samples, s->n_uncertain + pl.n_prof + pl.n_any, (size_t)s->years, err);
	if (rc < 0)
		goto cleanup;
	x = calloc(1, sizeof(*x));
	if (!x) {
		rc = fail_oom(err, s);
		goto cleanup;
	}
	x->n = o->samples;
	x->n_inputs = s->n_uncertain + pl.n_prof + pl.n_any;
	x->n_years = (size_t)s->years;
	x->inputs = calloc(x->n * (x->n_inputs ? x->n_inputs : 1), sizeof(*x->inputs));
	x->metrics = malloc(x->n * (x->n_years + 1) * EST_RANGED * sizeof(*x->metrics));
	if (!x->inputs || !x->metrics || name_inputs(x, &pl) < 0) {
		rc = fail_oom(err, s);
		goto cleanup;
	}
	pl.x = x;
	pl.n_blocks = (x->n + EST_SAMPLE_BLOCK - 1) / EST_SAMPLE_BLOCK;
	workers = aligned_alloc(CACHE_LINE, (size_t)pl.threads * sizeof(*workers)); /* a multiple of CACHE_LINE */
	if (workers)
		memset(workers, 0, (size_t)pl.threads * sizeof(*workers));
	if (!workers) {
		rc = fail_oom(err, s);
		goto cleanup;
	}
	for (t = 0; t < pl.threads; t++) {
		if (worker_init(&workers[t], &pl, t) < 0) {
			rc = fail_oom(err, s);
			goto cleanup;
		}
	}
	for (t = 1; t < pl.threads; t++) {
		if (pthread_create(&threads[t], NULL, thread_main, &workers[t]) != 0)
			break;
		started = t;
	}
	thread_main(&workers[0]);
	/* blocks of threads that did not start are run here, in order */
	for (t = started + 1; t < pl.threads; t++)
		thread_main(&workers[t]);
	for (t = 1; t <= started; t++)
		pthread_join(threads[t], NULL);
	for (t = 0; t < pl.threads && rc == 0; t++) {
		if (workers[t].rc < 0) {
			rc = workers[t].rc;
			*err = workers[t].err;
			if (!err->message[0])
				est_error_set(err, (est_status)rc, s->file, 0, 0, "a sample failed");
		}
	}
cleanup:
	for (t = 0; workers && t < pl.threads; t++)
		worker_dispose(&workers[t]);
	free(workers);
	plan_dispose(&pl);
	if (rc < 0) {
		est_samples_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

/* p5, p50, p95 (GSL's interpolated quantiles of the sorted column) and the mean. */
static void column_range(est_range *out, double *col, size_t n)
{
	gsl_sort(col, 1, n);
	out->p5 = gsl_stats_quantile_from_sorted_data(col, 1, n, 0.05);
	out->p50 = gsl_stats_quantile_from_sorted_data(col, 1, n, 0.50);
	out->p95 = gsl_stats_quantile_from_sorted_data(col, 1, n, 0.95);
	out->mean = gsl_stats_mean(col, 1, n);
}

static int ranges_into(est_variant *v, const est_samples *x, est_error *err)
{
	size_t stride = (x->n_years + 1) * EST_RANGED, y, h, i;
	double *col = malloc(x->n * sizeof(*col));

	if (!col)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	for (y = 0; y <= x->n_years; y++) {
		est_year *yr = y < x->n_years ? &v->years[y] : &v->totals;
		for (h = 0; h < EST_RANGED; h++) {
			for (i = 0; i < x->n; i++)
				col[i] = x->metrics[i * stride + y * EST_RANGED + h];
			column_range(&yr->ranges[h], col, x->n);
		}
		yr->has_ranges = 1;
	}
	free(col);
	return 0;
}

/*
 * Profile distributions the sampler holds at their medians for this scenario:
 * on "any model" candidate records (drawn whole, at their values), and on the
 * accelerator a named model was measured on when it is not the deployment's.
 * Each gets a note, so that no distribution is ignored silently.
 */
static int note_unsampled(est_result *r, const est_scenario *s, const est_profiles *p)
{
	const est_profiles *lib;
	size_t i, j, k;

	for (lib = s->extended ? s->extended : p; lib; lib = lib->base) {
		for (i = 0; i < lib->n_dists; i++) {
			const est_pdist *e = &lib->dists[i];
			int held = 0;
			for (j = 0; j < s->n_workloads && !held; j++) {
				const est_workload *w = &s->workloads[j];
				if (e->kind == EST_RECORD_ACCELERATOR && w->model && w->model->hardware &&
				    !strcmp(e->id, w->model->hardware->id) &&
				    strcmp(e->id, s->server->accelerator->id))
					held = 1;
				if (e->kind == EST_RECORD_MODEL && !w->model && w->energy_wh_override <= 0)
					for (k = 0; k < w->task->n_models && !held; k++)
						held = !strcmp(w->task->models[k].id, e->id);
			}
			if (held && !s->terse && est_lines_push(&r->notes, &r->n_notes,
						   "profiles %s is a distribution held at its median in sampling "
						   "(an any-model candidate, or a measuring accelerator other than the deployment's)",
						   e->label) < 0)
				return EST_EINTERNAL;
		}
	}
	return 0;
}

int est_model_sample(est_result *r, const est_scenario *s, const est_profiles *p,
		     const est_sample_options *o, est_error *err)
{
	size_t i;
	int rc = 0;

	assert(r && s && p && o);
	for (i = 0; i < r->n_variants && rc == 0; i++) {
		const est_scenario *sv = i == 0 ? s : s->variants[i - 1];
		est_samples *x = NULL;
		rc = est_sample_variant(&x, sv, p, o, err);
		if (rc == 0 && x->n_years != r->variants[i].n_years)
			rc = est_error_set(err, EST_EINTERNAL, s->file, 0, 0, "sampled horizon differs");
		if (rc == 0)
			rc = ranges_into(&r->variants[i], x, err);
		est_samples_free(x);
	}
	if (rc == 0 && note_unsampled(r, s, p) < 0)
		rc = est_error_set(err, EST_EINTERNAL, s->file, 0, 0, "out of memory");
	if (rc == 0) {
		r->samples = o->samples;
		r->seed = o->seed;
		r->generator = gsl_rng_mt19937->name;
	}
	return rc;
}

int est_sample_eval_at(double *metrics, const est_scenario *s, const est_profiles *p,
		       const double *inputs, size_t n_inputs, est_error *err)
{
	plan pl;
	worker w;
	int rc;

	memset(&pl, 0, sizeof(pl));
	pl.s = s;
	pl.p = p;
	pl.n_equivalences = s->n_equivalences;
	rc = plan_any(&pl, err);
	if (rc == 0)
		rc = plan_prof(&pl, err);
	if (rc == 0)
		rc = plan_fixed(&pl, err);
	if (rc == 0 && n_inputs != s->n_uncertain + pl.n_prof + pl.n_any)
		rc = est_error_set(err, EST_EUSAGE, NULL, 0, 0, "expected %zu inputs, got %zu",
				   s->n_uncertain + pl.n_prof + pl.n_any, n_inputs);
	if (rc == 0 && worker_init(&w, &pl, 0) < 0) {
		worker_dispose(&w); /* what worker_init allocated before failing */
		rc = fail_oom(err, s);
	} else if (rc == 0) {
		rc = prepare(&w, inputs, NULL, NULL);
		if (rc == 0)
			rc = est_model__eval(&w.v, &w.s, p, pl.n_equivalences, err);
		if (rc == 0)
			store_metrics(&w.v, metrics);
		worker_dispose(&w);
	}
	plan_dispose(&pl);
	return rc;
}
