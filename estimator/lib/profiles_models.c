/*
 * Measured records: task files (statistics and their models), measurement
 * files from other studies, merging their records into tasks, and extending
 * a loaded library with a scenario's own measurement files.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiles_loader.h"

/* What a record inherits: a task file's measurement block or a file's defaults. */
typedef struct rec_defaults {
	const char *task;                 /* task files: the task; else NULL */
	int has_boundary;
	est_boundary boundary;
	int has_hardware;
	const est_accelerator *hardware;  /* NULL with has_hardware: unknown */
	int batch_size;
	int gpus;
	int node_gpus;
	const char *precision, *unit, *licence;
	const yaml_node_t *map;           /* where a default `source` is, or NULL */
} rec_defaults;

static const char *const record_keys[] = {
	"id", "task", "model", "kind", "parameters", "energy", "std", "min", "max",
	"gpu_energy", "time", "source", "notes", "boundary", "hardware", "batch_size",
	"gpus", "node_gpus", "output_tokens", "input_tokens", "precision", "setting", "unit",
	"licence", NULL};

/* hardware: an accelerator id or `unknown`. */
static int read_hardware(est_pl *l, const yaml_node_t *map, int *given,
			 const est_accelerator **out)
{
	const char *hw = NULL;
	int rc = est_ydoc_string(&l->doc, map, "hardware", 0, &hw, l->err);

	*given = hw != NULL;
	if (rc < 0 || !hw)
		return rc;
	if (!strcmp(hw, "unknown")) {
		*out = NULL;
		return 0;
	}
	*out = est_profiles_accelerator(l->lib, hw);
	if (!*out) {
		const char *near = est_profiles_suggest(l->lib, "accelerator", hw);
		return est_ydoc_fail_key(&l->doc, map, "hardware", l->err,
					 near ? "unknown accelerator '%s'; did you mean '%s'?"
					      : "unknown accelerator '%s'%s",
					 hw, near ? near : "");
	}
	return 0;
}

/* The measurement keys a block (defaults, measurement) may set. */
static int read_defaults(est_pl *l, const yaml_node_t *map, rec_defaults *d)
{
	int rc = 0;

	d->map = map;
	if (est_ydoc_get(&l->doc, map, "boundary")) {
		rc = est_pl__boundary(l, map, &d->boundary);
		d->has_boundary = 1;
	}
	if (rc == 0)
		rc = read_hardware(l, map, &d->has_hardware, &d->hardware);
	if (rc == 0)
		rc = est_ydoc_int(&l->doc, map, "batch_size", 0, 1, 10000000, &d->batch_size, l->err);
	if (rc == 0)
		rc = est_ydoc_int(&l->doc, map, "gpus", 0, 1, 4096, &d->gpus, l->err);
	if (rc == 0)
		rc = est_ydoc_int(&l->doc, map, "node_gpus", 0, 1, 4096, &d->node_gpus, l->err);
	if (rc == 0) {
		d->precision = est_pl__dup_text(l, map, "precision");
		d->unit = est_pl__dup_text(l, map, "unit");
		d->licence = est_pl__dup_text(l, map, "licence");
	}
	return rc;
}

static int parse_kind(est_pl *l, const yaml_node_t *r, est_model_kind *out)
{
	static const char *const names[] = {"task-specific", "multi-purpose", "reference"};
	int v = 0;
	int rc = est_ydoc_choice(&l->doc, r, "kind", 1, names, 3, &v, l->err);

	if (rc == 0)
		*out = (est_model_kind)v;
	return rc;
}

static int energies(est_pl *l, const yaml_node_t *r, est_model_profile *m)
{
	int rc = est_ydoc_quantity(&l->doc, r, "energy", "Wh", 1, &m->energy_wh, NULL, l->err);

	if (rc == 0)
		rc = est_pl__positive(l, r, "energy", m->energy_wh, 0);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "std", "Wh", 0, &m->energy_std_wh, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "std", m->energy_std_wh, 1);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "min", "Wh", 0, &m->energy_min_wh, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "min", m->energy_min_wh, 1);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "max", "Wh", 0, &m->energy_max_wh, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "max", m->energy_max_wh, 1);
	if (rc == 0 && m->energy_max_wh > 0 && m->energy_min_wh > m->energy_max_wh)
		rc = est_ydoc_fail_key(&l->doc, r, "min", l->err, "min is above max");
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "gpu_energy", "Wh", 0, &m->gpu_energy_wh, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "gpu_energy", m->gpu_energy_wh, 1);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "time", "s", 0, &m->time_s, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "time", m->time_s, 1);
	return rc;
}

static int load_model(est_pl *l, const yaml_node_t *list, size_t i, const rec_defaults *d,
		      est_model_profile *m)
{
	yaml_node_t *r;
	rec_defaults own;
	const char *task = NULL;
	const est_task *t;
	int rc = est_pl__record(l, list, i, record_keys, "a model record", &r, &m->id);

	memset(&own, 0, sizeof(own));
	est_pl__record_context(l, rc == 0 ? EST_RECORD_MODEL : -1, m, sizeof(*m), m->id);
	if (rc == 0) {
		int added = est_pl__add_id(l, m->id);
		if (added < 0)
			return est_pl__oom(l);
		if (!added) /* ids are unique across the whole library */
			return est_ydoc_fail_key(&l->doc, r, "id", l->err, "duplicate model id '%s'", m->id);
	}
	if (rc == 0)
		rc = est_ydoc_string(&l->doc, r, "task", !d->task, &task, l->err);
	if (rc < 0)
		return rc;
	if (d->task && task && strcmp(task, d->task))
		return est_ydoc_fail_key(&l->doc, r, "task", l->err,
					 "record names task '%s' in the file of task '%s'", task, d->task);
	if (!task)
		task = d->task;
	t = est_profiles_task(l->lib, task);
	if (!t) {
		const char *near = est_profiles_suggest(l->lib, "task", task);
		return est_ydoc_fail_key(&l->doc, r, "task", l->err,
					 near ? "unknown task '%s'; did you mean '%s'?" : "unknown task '%s'%s",
					 task, near ? near : "");
	}
	m->task = t->id;
	rc = est_ydoc_string(&l->doc, r, "model", 1, &m->model, l->err);
	if (rc == 0)
		rc = parse_kind(l, r, &m->kind);
	if (rc == 0)
		rc = read_defaults(l, r, &own);
	if (rc < 0)
		return rc;
	m->model = est_pl__dup_text(l, r, "model");
	m->notes = est_pl__dup_text(l, r, "notes");
	m->setting = est_pl__dup_text(l, r, "setting");
	m->boundary = own.has_boundary ? own.boundary : d->boundary;
	if (!own.has_boundary && !d->has_boundary)
		return est_ydoc_fail(&l->doc, r, l->err, "record '%s' has no 'boundary'", m->id);
	m->hardware = own.has_hardware ? own.hardware : d->hardware;
	if (!own.has_hardware && !d->has_hardware)
		return est_ydoc_fail(&l->doc, r, l->err, "record '%s' has no 'hardware'", m->id);
	if (!m->hardware && m->kind != EST_MODEL_REFERENCE)
		return est_ydoc_fail(&l->doc, r, l->err,
				     "record '%s': hardware 'unknown' is only allowed for kind reference", m->id);
	m->batch_size = own.batch_size ? own.batch_size : d->batch_size;
	m->gpus = own.gpus ? own.gpus : (d->gpus ? d->gpus : 1);
	m->node_gpus = own.node_gpus ? own.node_gpus : (d->node_gpus ? d->node_gpus : m->gpus);
	if (m->node_gpus < m->gpus)
		return est_ydoc_fail(&l->doc, r, l->err,
				     "record '%s': node_gpus (%d) is below gpus (%d)", m->id, m->node_gpus, m->gpus);
	m->precision = own.precision ? own.precision : d->precision;
	m->unit = own.unit ? own.unit : (d->unit ? d->unit : "inference");
	m->licence = own.licence ? own.licence : d->licence;
	rc = est_ydoc_quantity(&l->doc, r, "parameters", "1", 0, &m->parameters, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "parameters", m->parameters, 1);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "output_tokens", "1", 0, &m->output_tokens, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "output_tokens", m->output_tokens, 1);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "input_tokens", "1", 0, &m->input_tokens, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "input_tokens", m->input_tokens, 1);
	if (rc == 0)
		rc = energies(l, r, m);
	if (rc < 0)
		return rc;
	if (est_ydoc_get(&l->doc, r, "source") || !d->map || !est_ydoc_get(&l->doc, d->map, "source"))
		return est_pl__sources(l, r, "source", 1, &m->sources);
	return est_pl__sources(l, d->map, "source", 1, &m->sources);
}

static int load_stats(est_pl *l, const yaml_node_t *task, est_task *t)
{
	static const char *const skeys[] = {"mean", "std", "min_model", "max_model", "median",
					    "gpu_share", "time", "source", NULL};
	yaml_node_t *stats;
	int rc = est_pl__map(l, task, "statistics", skeys, 1, &stats);

	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "mean", "Wh", 1, &t->stats.mean_wh, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, stats, "mean", t->stats.mean_wh, 0);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "std", "Wh", 0, &t->stats.std_wh, NULL, l->err);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "min_model", "Wh", 0, &t->stats.min_model_wh, NULL, l->err);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "max_model", "Wh", 0, &t->stats.max_model_wh, NULL, l->err);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "median", "Wh", 0, &t->stats.median_wh, NULL, l->err);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "gpu_share", EST_UNIT_SHARE, 0, &t->stats.gpu_share, NULL, l->err);
	if (rc == 0 && (t->stats.gpu_share < 0 || t->stats.gpu_share > 1))
		rc = est_ydoc_fail_key(&l->doc, stats, "gpu_share", l->err,
				       "gpu_share must be between 0%% and 100%%");
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, stats, "time", "s", 1, &t->stats.time_s, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, stats, "time", t->stats.time_s, 0);
	if (rc == 0)
		rc = est_pl__sources(l, stats, "source", 1, &t->stats.sources);
	return rc;
}

/* The task and measurement blocks of a task file; models come later. */
static int load_task_header(est_pl *l, est_task *t, rec_defaults *d)
{
	static const char *const top[] = {"task", "models", NULL};
	static const char *const tkeys[] = {"id", "name", "modality", "datasets", "measurement",
					    "statistics", NULL};
	static const char *const mkeys[] = {"boundary", "hardware", "batch_size", "gpus",
					    "node_gpus", "precision", "unit", "licence", NULL};
	yaml_node_t *root, *task = NULL, *meas;
	int rc = est_pl__root(l, top, "a task file", &root);

	if (rc == 0)
		rc = est_pl__map(l, root, "task", tkeys, 1, &task);
	if (rc == 0)
		rc = est_ydoc_string(&l->doc, task, "id", 1, &t->id, l->err);
	if (rc == 0)
		rc = est_ydoc_string(&l->doc, task, "name", 1, &t->name, l->err);
	if (rc < 0)
		return rc;
	t->id = est_pl__dup_text(l, task, "id");
	t->name = est_pl__dup_text(l, task, "name");
	t->modality = est_pl__dup_text(l, task, "modality");
	d->task = t->id;

	meas = est_ydoc_get(&l->doc, task, "measurement");
	t->has_stats = est_ydoc_get(&l->doc, task, "statistics") != NULL;
	if (t->has_stats && !meas)
		return est_ydoc_fail(&l->doc, task, l->err,
				     "statistics need a 'measurement' block (boundary and hardware)");
	if (!meas)
		return 0;
	rc = est_pl__map(l, task, "measurement", mkeys, 1, &meas);
	if (rc == 0)
		rc = read_defaults(l, meas, d);
	if (rc == 0 && !d->has_boundary)
		rc = est_ydoc_fail(&l->doc, meas, l->err, "missing required key 'boundary'");
	if (rc == 0 && (!d->has_hardware || !d->hardware))
		rc = est_ydoc_fail_key(&l->doc, meas, "hardware", l->err,
				       "measurement needs a known 'hardware'");
	if (rc < 0)
		return rc;
	d->map = NULL; /* a task file's records name their own sources */
	t->boundary = d->boundary;
	t->hardware = d->hardware->id;
	t->batch_size = d->batch_size;
	t->node_gpus = d->node_gpus;
	return t->has_stats ? load_stats(l, task, t) : 0;
}

static int load_task_models(est_pl *l, est_task *t, const rec_defaults *d)
{
	yaml_node_t *models = est_ydoc_get(&l->doc, est_ydoc_root(&l->doc), "models");
	est_model_profile *ms;
	size_t n, i;
	int rc;

	if (!models)
		return 0;
	rc = est_ydoc_expect_seq(&l->doc, models, "models", l->err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(models);
	ms = est_profiles__own(l->lib, calloc(n ? n : 1, sizeof(*ms)));
	if (!ms)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		rc = load_model(l, models, i, d, &ms[i]);
		if (rc < 0)
			return rc;
	}
	t->models = ms;
	t->n_models = n;
	return 0;
}

int est_pl__load_tasks(est_pl *l, const char *dir)
{
	char **names;
	size_t n, i;
	est_profiles *lib = l->lib;
	rec_defaults *defaults = NULL;
	int rc = est_pl__list_yaml(l, dir, "tasks", &names, &n);

	if (rc < 0)
		return rc;
	lib->tasks = calloc(n ? n : 1, sizeof(*lib->tasks));
	defaults = calloc(n ? n : 1, sizeof(*defaults));
	if (!lib->tasks || !defaults) {
		rc = est_pl__oom(l);
		goto cleanup;
	}
	/* headers first, so that a record can be checked against every task */
	for (i = 0; i < n && rc == 0; i++) {
		rc = est_pl__open(l, dir, names[i], 1);
		if (rc == 0)
			rc = load_task_header(l, &lib->tasks[i], &defaults[i]);
		if (rc == 0) {
			lib->n_tasks = i + 1;
			if (est_profiles_task(lib, lib->tasks[i].id) != &lib->tasks[i])
				rc = est_ydoc_fail(&l->doc, est_ydoc_root(&l->doc), l->err,
						   "duplicate task id '%s'", lib->tasks[i].id);
		}
		est_ydoc_dispose(&l->doc);
	}
	for (i = 0; i < n && rc == 0; i++) {
		rc = est_pl__open(l, dir, names[i], 1);
		if (rc == 0)
			rc = load_task_models(l, &lib->tasks[i], &defaults[i]);
		est_ydoc_dispose(&l->doc);
	}
cleanup:
	free(defaults);
	est_pl__free_names(names, n);
	return rc;
}

static int push_pending(est_pl *l, const est_model_profile *m)
{
	if (l->n_pending == l->cap_pending) {
		size_t cap = l->cap_pending ? l->cap_pending * 2 : 64;
		est_model_profile *grown = realloc(l->pending, cap * sizeof(*grown));
		if (!grown)
			return est_pl__oom(l);
		l->pending = grown;
		l->cap_pending = cap;
	}
	l->pending[l->n_pending++] = *m;
	return 0;
}

/* A measurement file's own sources, kept in a block of their own. */
static int local_sources(est_pl *l, const yaml_node_t *list)
{
	est_profiles *lib = l->lib;
	est_source *block;
	const est_source **grown;
	size_t n, i;
	int rc = est_ydoc_expect_seq(&l->doc, list, "sources", l->err);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	if (n == 0)
		return 0;
	block = est_profiles__own(lib, calloc(n, sizeof(*block)));
	grown = realloc(lib->extra_sources, (lib->n_extra_sources + n) * sizeof(*grown));
	if (!block || !grown) {
		free(grown == lib->extra_sources ? NULL : grown);
		return est_pl__oom(l);
	}
	lib->extra_sources = grown;
	rc = est_pl__source_list(l, list, block, n);
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		lib->extra_sources[lib->n_extra_sources++] = &block[i];
	return 0;
}

static int load_measurements(est_pl *l)
{
	static const char *const top[] = {"sources", "defaults", "measurements", NULL};
	static const char *const dkeys[] = {"boundary", "hardware", "batch_size", "gpus",
					    "node_gpus", "precision", "unit", "licence", "source", NULL};
	yaml_node_t *root = est_ydoc_root(&l->doc), *list, *defs;
	rec_defaults d;
	size_t n, i;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = est_pl__root(l, top, "a measurement file", &root);
	if (rc == 0 && est_ydoc_get(&l->doc, root, "sources"))
		rc = local_sources(l, est_ydoc_get(&l->doc, root, "sources"));
	if (rc < 0)
		return rc;
	rc = est_pl__map(l, root, "defaults", dkeys, 0, &defs);
	if (rc == 0 && defs)
		rc = read_defaults(l, defs, &d);
	if (rc < 0)
		return rc;
	list = est_ydoc_get(&l->doc, root, "measurements");
	if (!list)
		return est_ydoc_fail(&l->doc, root, l->err, "missing required key 'measurements'");
	rc = est_ydoc_expect_seq(&l->doc, list, "measurements", l->err);
	n = rc == 0 ? est_ydoc_seq_len(list) : 0;
	for (i = 0; i < n && rc == 0; i++) {
		est_model_profile m;
		memset(&m, 0, sizeof(m));
		rc = load_model(l, list, i, &d, &m);
		if (rc == 0)
			rc = push_pending(l, &m);
	}
	return rc;
}

int est_pl__load_measurement_path(est_pl *l, const char *path)
{
	int rc = est_ydoc_load_file(&l->doc, path, l->err);

	est_pl__enable_dists(l);
	if (rc == 0)
		rc = load_measurements(l);
	est_ydoc_dispose(&l->doc);
	return rc;
}

int est_pl__load_measurement_files(est_pl *l, const char *dir)
{
	char **names;
	size_t n, i;
	int rc = est_pl__list_yaml(l, dir, "measurements", &names, &n);

	if (rc == EST_EIO) /* no measurements folder: nothing to add */
		return 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = est_pl__load_one(l, dir, names[i], load_measurements);
	est_pl__free_names(names, n);
	return rc;
}

/* Append the pending records to their tasks' model lists. */
int est_pl__merge_pending(est_pl *l)
{
	est_profiles *lib = l->lib;
	size_t t, i;

	for (t = 0; t < lib->n_tasks; t++) {
		est_task *task = &lib->tasks[t];
		est_model_profile *ms;
		size_t extra = 0, k;

		for (i = 0; i < l->n_pending; i++)
			if (!strcmp(l->pending[i].task, task->id))
				extra++;
		if (!extra)
			continue;
		ms = est_profiles__own(lib, calloc(task->n_models + extra, sizeof(*ms)));
		if (!ms)
			return est_pl__oom(l);
		if (task->n_models)
			memcpy(ms, task->models, task->n_models * sizeof(*ms));
		k = task->n_models;
		for (i = 0; i < l->n_pending; i++)
			if (!strcmp(l->pending[i].task, task->id))
				ms[k++] = l->pending[i];
		task->models = ms;
		task->n_models = k;
	}
	free(l->pending);
	l->pending = NULL;
	l->n_pending = l->cap_pending = 0;
	return 0;
}

int est_profiles_extend(est_profiles **out, const est_profiles *base,
			const char *const *files, size_t n, est_error *err)
{
	est_pl l;
	est_profiles *lib;
	size_t i;
	int rc = 0;

	assert(out && base && (files || !n));
	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.err = err;
	lib = calloc(1, sizeof(*lib));
	if (!lib)
		return est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
	*lib = *base;
	lib->owned = NULL;
	lib->n_owned = lib->cap_owned = 0;
	lib->borrowed = 1;
	lib->base = base;
	lib->dists = NULL;      /* its own; lookups fall back to the base's */
	lib->n_dists = 0;
	lib->dir = strdup(base->dir);
	lib->tasks = malloc((base->n_tasks ? base->n_tasks : 1) * sizeof(*lib->tasks));
	lib->extra_sources = malloc((base->n_extra_sources + 1) * sizeof(*lib->extra_sources));
	if (!lib->dir || !lib->tasks || !lib->extra_sources) {
		rc = est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
		goto cleanup;
	}
	memcpy(lib->tasks, base->tasks, base->n_tasks * sizeof(*lib->tasks));
	if (base->n_extra_sources)
		memcpy(lib->extra_sources, base->extra_sources,
		       base->n_extra_sources * sizeof(*lib->extra_sources));
	l.lib = lib;
	for (i = 0; i < base->n_tasks && rc == 0; i++) { /* the base's ids, to keep ids unique */
		size_t m;
		for (m = 0; m < base->tasks[i].n_models && rc == 0; m++)
			if (est_pl__add_id(&l, base->tasks[i].models[m].id) < 0)
				rc = est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = est_pl__load_measurement_path(&l, files[i]);
	if (rc == 0)
		rc = est_pl__merge_pending(&l);
cleanup:
	est_pl__dispose(&l);
	if (rc < 0) {
		est_profiles_free(lib);
		return rc;
	}
	*out = lib;
	return 0;
}
