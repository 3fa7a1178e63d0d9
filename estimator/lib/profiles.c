/*
 * The profile library's lookups, iteration and lifetime. Loading is in
 * profiles_load.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profiles_internal.h"
#include "suggest.h"

void *est_profiles__own(est_profiles *lib, void *p)
{
	if (!p)
		return NULL;
	if (lib->n_owned == lib->cap_owned) {
		size_t cap = lib->cap_owned ? lib->cap_owned * 2 : 256;
		void **grown = realloc(lib->owned, cap * sizeof(*grown));
		if (!grown) {
			free(p);
			return NULL;
		}
		lib->owned = grown;
		lib->cap_owned = cap;
	}
	lib->owned[lib->n_owned++] = p;
	return p;
}

char *est_profiles__strdup(est_profiles *lib, const char *s)
{
	return s ? est_profiles__own(lib, strdup(s)) : NULL;
}

const est_pdist *est_profiles__dist(const est_profiles *p, int kind, const char *id, size_t offset)
{
	size_t i;

	for (; p; p = p->base)
		for (i = 0; i < p->n_dists; i++)
			if (p->dists[i].kind == kind && p->dists[i].offset == offset &&
			    !strcmp(p->dists[i].id, id))
				return &p->dists[i];
	return NULL;
}

void est_profiles_free(est_profiles *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_dists; i++) {
		free(p->dists[i].id);
		free(p->dists[i].label);
		est_dist_dispose(&p->dists[i].dist);
	}
	free(p->dists);
	for (i = 0; i < p->n_owned; i++)
		free(p->owned[i]);
	free(p->owned);
	free(p->tasks);
	free(p->extra_sources);
	free(p->dir);
	if (!p->borrowed) {
		free(p->sources);
		free(p->accelerators);
		free(p->servers);
		free(p->grids);
		free(p->prices);
		free(p->facilities);
		free(p->storage);
		free(p->equivalences);
		free(p->cloud_providers);
		free(p->cloud_instances);
	}
	free(p);
}

const char *est_profiles_dir(const est_profiles *p)
{
	return p->dir;
}

const est_constants *est_profiles_constants(const est_profiles *p)
{
	return &p->constants;
}

#define FIND(array, count, key)                                 \
	do {                                                    \
		size_t i_;                                      \
		for (i_ = 0; i_ < (count); i_++)                \
			if (!strcmp((array)[i_].id, (key)))     \
				return &(array)[i_];            \
		return NULL;                                    \
	} while (0)

const est_task *est_profiles_task(const est_profiles *p, const char *id)
{
	FIND(p->tasks, p->n_tasks, id);
}

const est_model_profile *est_task_model(const est_task *t, const char *model)
{
	size_t i;

	for (i = 0; i < t->n_models; i++)
		if (!strcmp(t->models[i].model, model) || !strcmp(t->models[i].id, model))
			return &t->models[i];
	return NULL;
}

const est_accelerator *est_profiles_accelerator(const est_profiles *p, const char *id)
{
	FIND(p->accelerators, p->n_accelerators, id);
}

const est_server *est_profiles_server(const est_profiles *p, const char *id)
{
	FIND(p->servers, p->n_servers, id);
}

const est_server *est_profiles_server_for(const est_profiles *p, const est_accelerator *a)
{
	size_t i;

	for (i = 0; i < p->n_servers; i++)
		if (p->servers[i].accelerator == a)
			return &p->servers[i];
	return NULL;
}

const est_grid *est_profiles_grid(const est_profiles *p, const char *id)
{
	FIND(p->grids, p->n_grids, id);
}

const est_facility *est_profiles_facility(const est_profiles *p, const char *id)
{
	FIND(p->facilities, p->n_facilities, id);
}

const est_storage_tech *est_profiles_storage(const est_profiles *p, const char *id)
{
	FIND(p->storage, p->n_storage, id);
}

const est_source *est_profiles_source(const est_profiles *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->n_sources; i++)
		if (!strcmp(p->sources[i].id, id))
			return &p->sources[i];
	for (i = 0; i < p->n_extra_sources; i++)
		if (!strcmp(p->extra_sources[i]->id, id))
			return p->extra_sources[i];
	return NULL;
}

const est_price *est_profiles_price(const est_profiles *p, const char *id)
{
	FIND(p->prices, p->n_prices, id);
}

const est_cloud_provider *est_profiles_cloud_provider(const est_profiles *p, const char *id)
{
	FIND(p->cloud_providers, p->n_cloud_providers, id);
}

const est_cloud_instance *est_profiles_cloud_instance(const est_profiles *p, const char *id)
{
	FIND(p->cloud_instances, p->n_cloud_instances, id);
}

const est_cloud_price *est_cloud_instance_price(const est_cloud_instance *i, const char *region)
{
	size_t k;

	for (k = 0; k < i->n_prices; k++)
		if (!strcmp(i->prices[k].region, region))
			return &i->prices[k];
	return NULL;
}

const est_accelerator *est_profiles_accelerator_named(const est_profiles *p, const char *name)
{
	size_t i, j;

	for (i = 0; i < p->n_accelerators; i++) {
		const est_accelerator *a = &p->accelerators[i];
		if (!strcasecmp(a->id, name) || (a->name && !strcasecmp(a->name, name)))
			return a;
		for (j = 0; j < a->n_aliases; j++)
			if (!strcasecmp(a->aliases[j], name))
				return a;
	}
	return NULL;
}

const est_model_profile *est_profiles_model(const est_profiles *p, const char *id)
{
	size_t t, m;

	for (t = 0; t < p->n_tasks; t++)
		for (m = 0; m < p->tasks[t].n_models; m++)
			if (!strcmp(p->tasks[t].models[m].id, id))
				return &p->tasks[t].models[m];
	return NULL;
}

static size_t count_models(const est_profiles *p)
{
	size_t t, n = 0;

	for (t = 0; t < p->n_tasks; t++)
		n += p->tasks[t].n_models;
	return n;
}

size_t est_profiles_count(const est_profiles *p, est_record_kind kind)
{
	switch (kind) {
	case EST_RECORD_SOURCE:
		return p->n_sources + p->n_extra_sources;
	case EST_RECORD_TASK:
		return p->n_tasks;
	case EST_RECORD_MODEL:
		return count_models(p);
	case EST_RECORD_ACCELERATOR:
		return p->n_accelerators;
	case EST_RECORD_SERVER:
		return p->n_servers;
	case EST_RECORD_GRID:
		return p->n_grids;
	case EST_RECORD_PRICE:
		return p->n_prices;
	case EST_RECORD_FACILITY:
		return p->n_facilities;
	case EST_RECORD_STORAGE:
		return p->n_storage;
	case EST_RECORD_EQUIVALENCE:
		return p->n_equivalences;
	case EST_RECORD_CLOUD_PROVIDER:
		return p->n_cloud_providers;
	case EST_RECORD_CLOUD_INSTANCE:
		return p->n_cloud_instances;
	}
	return 0;
}

static const void *model_at(const est_profiles *p, size_t i)
{
	size_t t;

	for (t = 0; t < p->n_tasks; t++) {
		if (i < p->tasks[t].n_models)
			return &p->tasks[t].models[i];
		i -= p->tasks[t].n_models;
	}
	return NULL;
}

const void *est_profiles_at(const est_profiles *p, est_record_kind kind, size_t i)
{
	if (i >= est_profiles_count(p, kind))
		return NULL;
	switch (kind) {
	case EST_RECORD_SOURCE:
		return i < p->n_sources ? (const void *)&p->sources[i]
					: (const void *)p->extra_sources[i - p->n_sources];
	case EST_RECORD_TASK:
		return &p->tasks[i];
	case EST_RECORD_MODEL:
		return model_at(p, i);
	case EST_RECORD_ACCELERATOR:
		return &p->accelerators[i];
	case EST_RECORD_SERVER:
		return &p->servers[i];
	case EST_RECORD_GRID:
		return &p->grids[i];
	case EST_RECORD_PRICE:
		return &p->prices[i];
	case EST_RECORD_FACILITY:
		return &p->facilities[i];
	case EST_RECORD_STORAGE:
		return &p->storage[i];
	case EST_RECORD_EQUIVALENCE:
		return &p->equivalences[i];
	case EST_RECORD_CLOUD_PROVIDER:
		return &p->cloud_providers[i];
	case EST_RECORD_CLOUD_INSTANCE:
		return &p->cloud_instances[i];
	}
	return NULL;
}

const char *est_profiles_record_id(est_record_kind kind, const void *r)
{
	switch (kind) {
	case EST_RECORD_SOURCE:
		return ((const est_source *)r)->id;
	case EST_RECORD_TASK:
		return ((const est_task *)r)->id;
	case EST_RECORD_MODEL:
		return ((const est_model_profile *)r)->id;
	case EST_RECORD_ACCELERATOR:
		return ((const est_accelerator *)r)->id;
	case EST_RECORD_SERVER:
		return ((const est_server *)r)->id;
	case EST_RECORD_GRID:
		return ((const est_grid *)r)->id;
	case EST_RECORD_PRICE:
		return ((const est_price *)r)->id;
	case EST_RECORD_FACILITY:
		return ((const est_facility *)r)->id;
	case EST_RECORD_STORAGE:
		return ((const est_storage_tech *)r)->id;
	case EST_RECORD_EQUIVALENCE:
		return ((const est_equivalence *)r)->id;
	case EST_RECORD_CLOUD_PROVIDER:
		return ((const est_cloud_provider *)r)->id;
	case EST_RECORD_CLOUD_INSTANCE:
		return ((const est_cloud_instance *)r)->id;
	}
	return NULL;
}

static const char *const kind_names[EST_RECORD_KINDS] = {"sources", "tasks", "models", "accelerators", "servers",
					 "grids", "prices", "facilities", "storage", "equivalences",
					 "cloud-providers", "cloud-instances"};

const char *est_record_kind_name(est_record_kind kind)
{
	return (unsigned)kind < EST_RECORD_KINDS ? kind_names[kind] : "?";
}

int est_record_kind_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcasecmp(name, kind_names[i]))
			return (int)i;
	return -1;
}

size_t est_profiles_count_tasks(const est_profiles *p)
{
	return p->n_tasks;
}

const est_task *est_profiles_task_at(const est_profiles *p, size_t i)
{
	return i < p->n_tasks ? &p->tasks[i] : NULL;
}

size_t est_profiles_count_equivalences(const est_profiles *p)
{
	return p->n_equivalences;
}

const est_equivalence *est_profiles_equivalence_at(const est_profiles *p, size_t i)
{
	return i < p->n_equivalences ? &p->equivalences[i] : NULL;
}

est_candidate est_profiles__candidate(est_record_kind kind, const void *r)
{
	est_candidate c = {est_profiles_record_id(kind, r), NULL, NULL, 0};

	if (kind == EST_RECORD_ACCELERATOR) {
		const est_accelerator *a = r;
		c.name = a->name;
		c.aliases = a->aliases;
		c.n_aliases = a->n_aliases;
	} else if (kind == EST_RECORD_GRID) {
		const est_grid *g = r;
		c.name = g->name;
		c.aliases = g->aliases;
		c.n_aliases = g->n_aliases;
	} else if (kind == EST_RECORD_SERVER) {
		c.name = ((const est_server *)r)->name;
	} else if (kind == EST_RECORD_FACILITY) {
		c.name = ((const est_facility *)r)->name;
	} else if (kind == EST_RECORD_PRICE) {
		c.name = ((const est_price *)r)->name;
	} else if (kind == EST_RECORD_TASK) {
		c.name = ((const est_task *)r)->name;
	} else if (kind == EST_RECORD_CLOUD_PROVIDER) {
		c.name = ((const est_cloud_provider *)r)->name;
	} else if (kind == EST_RECORD_CLOUD_INSTANCE) {
		c.name = ((const est_cloud_instance *)r)->name; /* "p5.48xlarge" finds "aws/p5.48xlarge" */
	}
	return c;
}

const char *est_profiles__suggest_kind(const est_profiles *p, int kind, const char *id)
{
	size_t n = 0, i, total = 0;
	int k;
	est_candidate *c;
	const char *best;

	for (k = 0; k < EST_RECORD_KINDS; k++)
		if (kind < 0 || kind == k)
			total += est_profiles_count(p, (est_record_kind)k);
	c = malloc((total ? total : 1) * sizeof(*c));
	if (!c)
		return NULL;
	for (k = 0; k < EST_RECORD_KINDS; k++) {
		if (kind >= 0 && kind != k)
			continue;
		for (i = 0; i < est_profiles_count(p, (est_record_kind)k); i++)
			c[n++] = est_profiles__candidate((est_record_kind)k, est_profiles_at(p, (est_record_kind)k, i));
	}
	best = est_suggest_among(id, c, n);
	free(c);
	return best;
}

#define SUGGEST_FROM(kind) return est_profiles__suggest_kind(p, (kind), id)

static const char *suggest_model(const est_profiles *p, const char *task, const char *id)
{
	const est_task *t = est_profiles_task(p, task);
	const char **names;
	const char *best;
	size_t i;

	if (!t)
		return NULL;
	names = malloc((t->n_models + 1) * sizeof(*names));
	if (!names)
		return NULL;
	for (i = 0; i < t->n_models; i++)
		names[i] = t->models[i].model;
	best = est_suggest(id, names, t->n_models);
	free(names);
	return best;
}

const char *est_profiles_suggest(const est_profiles *p, const char *kind, const char *id)
{
	if (!strcmp(kind, "task"))
		SUGGEST_FROM(EST_RECORD_TASK);
	if (!strcmp(kind, "accelerator"))
		SUGGEST_FROM(EST_RECORD_ACCELERATOR);
	if (!strcmp(kind, "server"))
		SUGGEST_FROM(EST_RECORD_SERVER);
	if (!strcmp(kind, "grid"))
		SUGGEST_FROM(EST_RECORD_GRID);
	if (!strcmp(kind, "facility"))
		SUGGEST_FROM(EST_RECORD_FACILITY);
	if (!strcmp(kind, "storage"))
		SUGGEST_FROM(EST_RECORD_STORAGE);
	if (!strcmp(kind, "price"))
		SUGGEST_FROM(EST_RECORD_PRICE);
	if (!strcmp(kind, "cloud-provider"))
		SUGGEST_FROM(EST_RECORD_CLOUD_PROVIDER);
	if (!strcmp(kind, "cloud-instance"))
		SUGGEST_FROM(EST_RECORD_CLOUD_INSTANCE);
	if (!strncmp(kind, "model:", 6))
		return suggest_model(p, kind + 6, id);
	return NULL;
}

const char *est_model_kind_name(est_model_kind k)
{
	switch (k) {
	case EST_MODEL_TASK_SPECIFIC:
		return "task-specific";
	case EST_MODEL_MULTI_PURPOSE:
		return "multi-purpose";
	case EST_MODEL_REFERENCE:
		return "reference";
	}
	return "?";
}

const char *est_grid_kind_name(est_grid_kind k)
{
	switch (k) {
	case EST_GRID_COUNTRY:
		return "country";
	case EST_GRID_REGION:
		return "region";
	case EST_GRID_SUBNATIONAL:
		return "subnational";
	case EST_GRID_CLOUD:
		return "cloud";
	}
	return "?";
}

const char *est_boundary_name(est_boundary b)
{
	switch (b) {
	case EST_BOUNDARY_GPU:
		return "gpu";
	case EST_BOUNDARY_NODE:
		return "node";
	case EST_BOUNDARY_FACILITY:
		return "facility";
	}
	return "?";
}
