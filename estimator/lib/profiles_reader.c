/*
 * The profile loader's reader (profiles_loader.h): the helpers every record
 * parser uses, in profiles_load.c and profiles_models.c alike: text, source
 * lists, distributions in a record's fields, checked mappings and lists,
 * files and folders of the library.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiles_loader.h"

#define PATH_MAX_LEN 4096

int est_pl__oom(est_pl *l)
{
	return est_error_set(l->err, EST_EINTERNAL, l->doc.file, 0, 0, "out of memory");
}

const char *est_pl__dup_text(est_pl *l, const yaml_node_t *map, const char *key)
{
	const char *t = est_ydoc_text(est_ydoc_get(&l->doc, map, key));
	return t ? est_profiles__strdup(l->lib, t) : NULL;
}

/* `source` (or `key`): one id or a list of ids, each defined in sources.yaml. */
int est_pl__sources(est_pl *l, const yaml_node_t *map, const char *key, int required,
			est_source_list *out)
{
	yaml_node_t *n = est_ydoc_get(&l->doc, map, key);
	size_t count, i;
	const est_source **items;

	memset(out, 0, sizeof(*out));
	if (!n) {
		if (!required)
			return 0;
		return est_ydoc_fail(&l->doc, map, l->err, "record has no '%s'", key);
	}
	count = n->type == YAML_SEQUENCE_NODE ? est_ydoc_seq_len(n) : 1;
	if (count == 0)
		return est_ydoc_fail(&l->doc, n, l->err, "'%s' must name at least one source", key);
	items = est_profiles__own(l->lib, calloc(count, sizeof(*items)));
	if (!items)
		return est_pl__oom(l);
	for (i = 0; i < count; i++) {
		yaml_node_t *item = n->type == YAML_SEQUENCE_NODE ? est_ydoc_seq_at(&l->doc, n, i) : n;
		const char *id = est_ydoc_text(item);
		if (!id)
			return est_ydoc_fail(&l->doc, item, l->err, "'%s' must be a source id or a list of ids", key);
		items[i] = est_profiles_source(l->lib, id);
		if (!items[i])
			return est_ydoc_fail(&l->doc, item, l->err, "unknown source '%s' (not in sources.yaml)", id);
	}
	out->items = items;
	out->count = count;
	return 0;
}

static size_t id_hash(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ULL;
	return h;
}

/* Insert without growing; cap_ids is a power of two with room. */
static int id_insert(const char **ids, size_t cap, const char *id)
{
	size_t i = id_hash(id) & (cap - 1);

	while (ids[i]) {
		if (!strcmp(ids[i], id))
			return 0;
		i = (i + 1) & (cap - 1);
	}
	ids[i] = id;
	return 1;
}

int est_pl__add_id(est_pl *l, const char *id)
{
	int added;

	if (2 * (l->n_ids + 1) > l->cap_ids) { /* keep the table at most half full */
		size_t cap = l->cap_ids ? 2 * l->cap_ids : 1024, i;
		const char **grown = calloc(cap, sizeof(*grown));
		if (!grown)
			return EST_EINTERNAL;
		for (i = 0; i < l->cap_ids; i++)
			if (l->ids[i])
				(void)id_insert(grown, cap, l->ids[i]);
		free(l->ids);
		l->ids = grown;
		l->cap_ids = cap;
	}
	added = id_insert(l->ids, l->cap_ids, id);
	l->n_ids += (size_t)added;
	return added;
}

void est_pl__dispose(est_pl *l)
{
	free(l->pending);
	l->pending = NULL;
	free(l->ids);
	l->ids = NULL;
	l->n_ids = l->cap_ids = 0;
}

void est_pl__record_context(est_pl *l, int kind, void *record, size_t size, const char *id)
{
	l->cur_kind = kind;
	l->cur_record = record;
	l->cur_size = size;
	l->cur_id = id;
}

/* By est_record_kind; the constants' kind is EST_RECORD_KINDS (profiles_internal.h). */
static const char *const dist_kind_dir[EST_RECORD_KINDS + 1] = {
	"sources", "tasks", "models", "accelerators", "servers", "grids", "prices", "facilities",
	"storage", "equivalences", "cloud-providers", "cloud-instances", "constants"};

/* The loader's dist hook: a field of the current record. */
static int pl_dist_hook(void *ctx, double *field, est_dist *dist, const yaml_node_t *node,
			const char *key, est_error *err)
{
	est_pl *l = ctx;
	est_profiles *lib = l->lib;
	char *f = (char *)field, label[300];
	est_pdist *grown, *e;

	if (l->cur_kind < 0 || !l->cur_record || f < (char *)l->cur_record ||
	    f >= (char *)l->cur_record + l->cur_size)
		return est_ydoc_fail(&l->doc, node, err, "%s: a distribution is not supported here", key);
	grown = realloc(lib->dists, (lib->n_dists + 1) * sizeof(*grown));
	if (!grown)
		return est_pl__oom(l);
	lib->dists = grown;
	e = &lib->dists[lib->n_dists];
	memset(e, 0, sizeof(*e));
	snprintf(label, sizeof(label), "%s/%s.%s", dist_kind_dir[l->cur_kind],
		 l->cur_id ? l->cur_id : "", key);
	e->id = strdup(l->cur_id ? l->cur_id : "");
	e->label = strdup(label);
	if (!e->id || !e->label) {
		free(e->id);
		free(e->label);
		return est_pl__oom(l);
	}
	e->kind = l->cur_kind;
	e->offset = (size_t)(f - (char *)l->cur_record);
	e->dist = *dist;
	e->line = (int)node->start_mark.line + 1;
	e->column = (int)node->start_mark.column + 1;
	lib->n_dists++;
	return 0;
}

void est_pl__enable_dists(est_pl *l)
{
	l->doc.dist_hook = pl_dist_hook;
	l->doc.dist_ctx = l;
	est_pl__record_context(l, -1, NULL, 0, NULL);
}

/* The distribution written at the value of key, if it is one: bound it to [lo, hi]. */
int est_pl__bound_dist(est_pl *l, const yaml_node_t *map, const char *key, double lo, double hi,
		       const char *what)
{
	const yaml_node_t *n = est_ydoc_get(&l->doc, map, key);
	size_t i;
	char msg[200];

	if (!n || n->type != YAML_MAPPING_NODE)
		return 1;
	for (i = l->lib->n_dists; i-- > 0;) {
		est_pdist *e = &l->lib->dists[i];
		if (e->line != (int)n->start_mark.line + 1 || e->column != (int)n->start_mark.column + 1)
			continue;
		if (est_dist_bound(&e->dist, lo, hi, msg, sizeof(msg)) < 0)
			return est_ydoc_fail(&l->doc, n, l->err, "%s: %s (it must be %s)", key, msg, what);
		if (l->cur_record)
			*(double *)(void *)((char *)l->cur_record + e->offset) = est_dist_median(&e->dist);
		return 0;
	}
	return 1;
}

int est_pl__quantity_named(est_pl *l, const yaml_node_t *map, const char *key, const char *unit,
			   int required, double *out, char *currency, const char *what,
			   const char *example)
{
	int rc = est_ydoc_quantity(&l->doc, map, key, unit, required, out, currency, l->err);
	const yaml_node_t *n = est_ydoc_get(&l->doc, map, key);
	const char *t = est_ydoc_text(n);
	est_quantity got, want;
	char one[64];

	if (rc != EST_EINVALID || !t || est_quantity_parse(&got, t, NULL, 0) < 0)
		return rc;
	snprintf(one, sizeof(one), "1 %s", unit);
	if (est_quantity_parse(&want, one, NULL, 0) < 0 || est_dim_equal(&got.dim, &want.dim))
		return rc;
	return est_ydoc_fail(&l->doc, n, l->err, "%s: '%s' is not %s (e.g. %s)", key, t, what, example);
}

int est_pl__positive(est_pl *l, const yaml_node_t *map, const char *key, double v, int allow_zero)
{
	int rc = est_pl__bound_dist(l, map, key, allow_zero ? 0 : 1e-300, HUGE_VAL,
			    allow_zero ? "zero or more" : "more than zero");

	if (rc <= 0)
		return rc;
	if (v < 0 || (!allow_zero && v == 0)) {
		const yaml_node_t *n = est_ydoc_get(&l->doc, map, key);
		char given[64];
		/* the value as written: the message must not contradict it */
		if (n && n->type == YAML_SCALAR_NODE)
			snprintf(given, sizeof(given), "%s", est_ydoc_text(n));
		else
			snprintf(given, sizeof(given), "%.12g", v);
		return est_ydoc_fail_key(&l->doc, map, key, l->err, "%s: %s is %s; it must be %s", key,
					 given, v < 0 ? "negative" : "zero",
					 allow_zero ? "zero or more" : "more than zero");
	}
	return 0;
}

int est_pl__root(est_pl *l, const char *const *known, const char *where, yaml_node_t **out)
{
	int rc;

	*out = est_ydoc_root(&l->doc);
	rc = est_ydoc_expect_map(&l->doc, *out, "the file", l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(&l->doc, *out, known, where, l->err);
	return rc;
}

int est_pl__map(est_pl *l, const yaml_node_t *parent, const char *key, const char *const *known,
		int required, yaml_node_t **out)
{
	int rc;

	*out = est_ydoc_get(&l->doc, parent, key);
	if (!*out)
		return required ? est_ydoc_fail(&l->doc, parent, l->err, "missing required key '%s'", key) : 0;
	rc = est_ydoc_expect_map(&l->doc, *out, key, l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(&l->doc, *out, known, key, l->err);
	return rc;
}

/* Get the top-level list `key` of the document. */
int est_pl__top_list(est_pl *l, const char *key, const char *const *known, yaml_node_t **out)
{
	yaml_node_t *root;
	int rc = est_pl__root(l, known, "the file", &root);

	if (rc < 0)
		return rc;
	*out = est_ydoc_get(&l->doc, root, key);
	if (!*out)
		return est_ydoc_fail(&l->doc, root, l->err, "missing required key '%s'", key);
	return est_ydoc_expect_seq(&l->doc, *out, key, l->err);
}

/* Each record of a list: a mapping with only known keys and a unique id. */
int est_pl__record(est_pl *l, const yaml_node_t *list, size_t i, const char *const *known,
		  const char *what, yaml_node_t **out, const char **id)
{
	int rc;

	*out = est_ydoc_seq_at(&l->doc, list, i);
	rc = est_ydoc_expect_map(&l->doc, *out, what, l->err);
	if (rc < 0)
		return rc;
	rc = est_ydoc_check_keys(&l->doc, *out, known, what, l->err);
	if (rc < 0)
		return rc;
	*id = NULL;
	rc = est_ydoc_string(&l->doc, *out, "id", 1, id, l->err);
	if (rc < 0)
		return rc;
	*id = est_profiles__strdup(l->lib, *id);
	return *id ? 0 : est_pl__oom(l);
}

int est_pl__open(est_pl *l, const char *dir, const char *name, int required)
{
	char path[PATH_MAX_LEN];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = est_ydoc_load_file(&l->doc, path, l->err);
	est_pl__enable_dists(l);
	if (rc == EST_EIO && !required)
		return 1;
	return rc;
}

int est_pl__source_list(est_pl *l, const yaml_node_t *list, est_source *out, size_t n)
{
	static const char *const keys[] = {"id", "title", "authors", "published", "year",
					   "locator", "licence", NULL};
	yaml_node_t *r;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		est_source *s = &out[i];
		rc = est_pl__record(l, list, i, keys, "a source", &r, &s->id);
		if (rc == 0 && est_profiles_source(l->lib, s->id))
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate source id '%s'", s->id);
		for (size_t j = 0; j < i && rc == 0; j++)
			if (!strcmp(out[j].id, s->id))
				rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate source id '%s'", s->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "title", 1, &s->title, l->err);
		if (rc == 0)
			rc = est_ydoc_int(&l->doc, r, "year", 1, 1900, 2100, &s->year, l->err);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "locator", 1, &s->locator, l->err);
		if (rc < 0)
			return rc;
		s->title = est_pl__dup_text(l, r, "title");
		s->authors = est_pl__dup_text(l, r, "authors");
		s->published = est_pl__dup_text(l, r, "published");
		s->locator = est_pl__dup_text(l, r, "locator");
		s->licence = est_pl__dup_text(l, r, "licence");
	}
	return 0;
}

int est_pl__boundary(est_pl *l, const yaml_node_t *map, est_boundary *out)
{
	static const char *const names[] = {"gpu", "node", "facility"}; /* est_boundary order */
	int v = 0;
	int rc = est_ydoc_choice(&l->doc, map, "boundary", 1, names, 3, &v, l->err);

	if (rc == 0)
		*out = (est_boundary)v;
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of dir/sub, sorted; *names is NULL-terminated and malloc'd. */
int est_pl__list_yaml(est_pl *l, const char *dir, const char *sub, char ***names, size_t *count)
{
	char path[PATH_MAX_LEN];
	DIR *d;
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	*names = NULL;
	*count = 0;
	d = opendir(path);
	if (!d)
		return est_error_set(l->err, EST_EIO, path, 0, 0, "cannot open profile folder");
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		if (n + 1 >= cap) {
			char **grown;
			cap = cap ? cap * 2 : 16;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				goto nomem;
			v = grown;
		}
		v[n] = malloc(strlen(sub) + len + 2);
		if (!v[n])
			goto nomem;
		sprintf(v[n], "%s/%s", sub, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), compare_names);
	*names = v;
	*count = n;
	return 0;
nomem:
	closedir(d);
	while (n)
		free(v[--n]);
	free(v);
	return est_pl__oom(l);
}

void est_pl__free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

int est_pl__load_one(est_pl *l, const char *dir, const char *name, int (*fn)(est_pl *))
{
	int rc = est_pl__open(l, dir, name, 1);

	if (rc == 0)
		rc = fn(l);
	est_ydoc_dispose(&l->doc);
	return rc;
}
