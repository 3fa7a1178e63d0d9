/*
 * The profile library's storage, shared by the loader (profiles_load.c) and
 * the lookups (profiles.c). Internal.
 */
#ifndef ESTIMATOR_PROFILES_INTERNAL_H
#define ESTIMATOR_PROFILES_INTERNAL_H

#include "estimator/dist.h"
#include "estimator/profiles.h"
#include "estimator/units.h"
#include "suggest.h"

/*
 * A profile field written as a distribution: found by the record's kind and
 * id (record arrays move while loading), and the field's byte offset in it.
 * Kind EST_RECORD_KINDS stands for the constants.
 */
typedef struct est_pdist {
	int kind;
	char *id;
	size_t offset;
	est_dist dist;
	char *label;            /* e.g. "accelerators/h100-sxm.idle_power" */
	int line, column;       /* where it is written, to bound it later */
} est_pdist;

struct est_profiles {
	char *dir;
	est_source *sources;
	size_t n_sources;
	est_task *tasks;
	size_t n_tasks;
	est_accelerator *accelerators;
	size_t n_accelerators;
	est_server *servers;
	size_t n_servers;
	est_grid *grids;
	size_t n_grids;
	est_price *prices;
	size_t n_prices;
	est_facility *facilities;
	size_t n_facilities;
	est_storage_tech *storage;
	size_t n_storage;
	est_equivalence *equivalences;
	size_t n_equivalences;
	est_cloud_provider *cloud_providers;   /* cloud/providers.yaml; none without the folder */
	size_t n_cloud_providers;
	est_cloud_instance *cloud_instances;   /* cloud/instances.yaml */
	size_t n_cloud_instances;
	est_constants constants;
	int has_constants, has_network;

	/* sources defined inside measurement files (each block owned below) */
	const est_source **extra_sources;
	size_t n_extra_sources;

	/*
	 * An extension (est_profiles_extend) borrows every array of its base but
	 * the tasks, whose model lists grow; the base must outlive it.
	 */
	int borrowed;
	const est_profiles *base;       /* an extension's base, or NULL */

	/* profile fields written as distributions (docs/uncertainty.md) */
	est_pdist *dists;
	size_t n_dists;

	/* Everything else allocated while loading: strings, source lists, model arrays. */
	void **owned;
	size_t n_owned, cap_owned;
};

/* Keep p for freeing with the library; returns p, or NULL (and frees p) on failure. */
void *est_profiles__own(est_profiles *lib, void *p);
/* A record as a suggestion candidate: its id, name and aliases (suggest.h). */
est_candidate est_profiles__candidate(est_record_kind kind, const void *record);
/* The id to suggest for `id` among the records of one kind (-1: every kind), or NULL. */
const char *est_profiles__suggest_kind(const est_profiles *p, int kind, const char *id);
char *est_profiles__strdup(est_profiles *lib, const char *s);

/* The distribution of field `offset` of record (kind, id), or NULL. */
const est_pdist *est_profiles__dist(const est_profiles *p, int kind, const char *id, size_t offset);

#endif
