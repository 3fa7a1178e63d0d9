/*
 * The profile library's storage, shared by the loader (profiles_load.c) and
 * the lookups (profiles.c). Internal.
 */
#ifndef ESTIMATOR_PROFILES_INTERNAL_H
#define ESTIMATOR_PROFILES_INTERNAL_H

#include "estimator/profiles.h"

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

	/* Everything else allocated while loading: strings, source lists, model arrays. */
	void **owned;
	size_t n_owned, cap_owned;
};

/* Keep p for freeing with the library; returns p, or NULL (and frees p) on failure. */
void *est_profiles__own(est_profiles *lib, void *p);
char *est_profiles__strdup(est_profiles *lib, const char *s);

#endif
