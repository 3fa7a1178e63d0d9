/*
 * Shared pieces of the profile loader (internal): the loading state, the
 * reader helpers (profiles_reader.c) that the record parsers in
 * profiles_load.c and profiles_models.c use, and the task and measurement
 * loading of profiles_models.c and the cloud loading of profiles_cloud.c that
 * est_profiles_load calls.
 */
#ifndef ESTIMATOR_PROFILES_LOADER_H
#define ESTIMATOR_PROFILES_LOADER_H

#include "profiles_internal.h"
#include "yaml_doc.h"

typedef struct est_pl {
	est_profiles *lib;
	est_ydoc doc;
	est_error *err;
	/* the record being read, for distributions written in it */
	int cur_kind;           /* -1: none (distributions not allowed) */
	void *cur_record;
	size_t cur_size;
	const char *cur_id;
	/* records of measurement files, merged into their tasks at the end */
	est_model_profile *pending;
	size_t n_pending, cap_pending;
	/* model record ids seen so far (a hash set: ids are unique in a library) */
	const char **ids;
	size_t n_ids, cap_ids;
} est_pl;

/* profiles_reader.c */
int est_pl__oom(est_pl *l);
/* Add a model id to the set: 1 when it is new, 0 when seen before, EST_EINTERNAL. */
int est_pl__add_id(est_pl *l, const char *id);
/* Free the loader's working memory (pending records, the id set). */
void est_pl__dispose(est_pl *l);
/* Distributions in the fields read next belong to this record (kind -1: none). */
void est_pl__record_context(est_pl *l, int kind, void *record, size_t size, const char *id);
/* Let the document's quantities be distributions (after loading it). */
void est_pl__enable_dists(est_pl *l);
const char *est_pl__dup_text(est_pl *l, const yaml_node_t *map, const char *key);
/* `key`: one source id or a list, each known to the library. */
int est_pl__sources(est_pl *l, const yaml_node_t *map, const char *key, int required,
		    est_source_list *out);
/*
 * The distribution written at the value of key, if it is one: bound it to
 * [lo, hi] (`what` says the range in errors). Returns 1 when key holds no
 * distribution, 0 when bounded, or an error.
 */
int est_pl__bound_dist(est_pl *l, const yaml_node_t *map, const char *key, double lo, double hi,
		       const char *what);
/*
 * est_ydoc_quantity, with a dimension error said as "KEY: 'TEXT' is not WHAT
 * (e.g. EXAMPLE)": for units whose dimension has no name of its own
 * (money per hour) or shares one with another (money per kW per month is
 * money per energy).
 */
int est_pl__quantity_named(est_pl *l, const yaml_node_t *map, const char *key, const char *unit,
			   int required, double *out, char *currency, const char *what,
			   const char *example);
int est_pl__positive(est_pl *l, const yaml_node_t *map, const char *key, double v, int allow_zero);
int est_pl__top_list(est_pl *l, const char *key, const char *const *known, yaml_node_t **out);
/* The document's root: a mapping of `known` keys only (`where` names the file in errors). */
int est_pl__root(est_pl *l, const char *const *known, const char *where, yaml_node_t **out);
/* The mapping at key of parent, of `known` keys only; *out NULL when absent and not required. */
int est_pl__map(est_pl *l, const yaml_node_t *parent, const char *key, const char *const *known,
		int required, yaml_node_t **out);
int est_pl__record(est_pl *l, const yaml_node_t *list, size_t i, const char *const *known,
		   const char *what, yaml_node_t **out, const char **id);
/* Open dir/name; returns 1 (not an error) when absent and not required. */
int est_pl__open(est_pl *l, const char *dir, const char *name, int required);
int est_pl__boundary(est_pl *l, const yaml_node_t *map, est_boundary *out);
int est_pl__list_yaml(est_pl *l, const char *dir, const char *sub, char ***names, size_t *count);
void est_pl__free_names(char **names, size_t n);
int est_pl__load_one(est_pl *l, const char *dir, const char *name, int (*fn)(est_pl *));
/* Parse a sources list (sources.yaml, or a measurement file's own) into out. */
int est_pl__source_list(est_pl *l, const yaml_node_t *list, est_source *out, size_t n);

/* profiles_cloud.c: cloud/providers.yaml, then cloud/instances.yaml (both optional) */
int est_pl__load_cloud(est_pl *l, const char *dir);

/* profiles_models.c */
int est_pl__load_tasks(est_pl *l, const char *dir);
int est_pl__load_measurement_files(est_pl *l, const char *dir);
int est_pl__load_measurement_path(est_pl *l, const char *path);
int est_pl__merge_pending(est_pl *l);

#endif
