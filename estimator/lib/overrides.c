/*
 * Path overrides on a libyaml document. A path is keys separated by dots; a
 * key may select list elements: `workloads[assistant]` (by name),
 * `workloads[0]` (by position) or `workloads[*]` (every one). The last key's
 * value becomes the given node; the loader then checks it like file input.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overrides.h"
#include "suggest.h"

#define MAX_SEGMENTS 8
#define MAX_KEY 64

typedef struct segment {
	char key[MAX_KEY];
	int has_selector;
	char selector[MAX_KEY];
} segment;

typedef struct walk {
	est_ydoc *d;
	const char *path;
	segment seg[MAX_SEGMENTS];
	size_t n;
	int value, at;
	est_edit_log *log;
	est_error *err;
} walk;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail_at(walk *w, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return est_ydoc_fail(w->d, est_ydoc_node(w->d, w->at), w->err, "%s", msg);
}

static int valid_key(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
			return 0;
	return 1;
}

static int parse_path(walk *w)
{
	const char *p = w->path;

	w->n = 0;
	while (*p) {
		segment *s;
		size_t len = strcspn(p, ".[");

		if (w->n == MAX_SEGMENTS || len == 0 || len >= MAX_KEY)
			return fail_at(w, "bad path '%s': keys separated by dots, e.g. site.grid or workloads[name].model",
				       w->path);
		s = &w->seg[w->n++];
		memset(s, 0, sizeof(*s));
		memcpy(s->key, p, len);
		if (!valid_key(s->key))
			return fail_at(w, "bad key '%s' in path '%s'", s->key, w->path);
		p += len;
		if (*p == '[') {
			const char *close = strchr(p, ']');
			size_t sl = close ? (size_t)(close - p - 1) : 0;
			if (!close || sl == 0 || sl >= MAX_KEY)
				return fail_at(w, "bad selector in path '%s': use [name], [0] or [*]", w->path);
			memcpy(s->selector, p + 1, sl);
			s->has_selector = 1;
			p = close + 1;
		}
		if (*p == '.' && !p[1])
			return fail_at(w, "bad path '%s': keys separated by dots, e.g. site.grid or workloads[name].model",
				       w->path);
		if (*p == '.')
			p++;
		else if (*p)
			return fail_at(w, "bad path '%s': keys separated by dots", w->path);
	}
	if (w->n == 0)
		return fail_at(w, "empty path");
	if (w->seg[w->n - 1].has_selector)
		return fail_at(w, "path '%s' must end in a key (e.g. %s.name)", w->path,
			       w->seg[w->n - 1].key);
	return 0;
}

static int log_edit(walk *w, const est_edit *e)
{
	est_edit_log *log = w->log;

	if (log->n == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 16;
		est_edit *grown = realloc(log->items, cap * sizeof(*grown));
		if (!grown)
			return est_error_set(w->err, EST_EINTERNAL, w->d->file, 0, 0, "out of memory");
		log->items = grown;
		log->cap = cap;
	}
	log->items[log->n++] = *e;
	return 0;
}

/* Position of key in mapping `map`, or -1. */
static long find_key(walk *w, int map, const char *key)
{
	yaml_node_t *m = est_ydoc_node(w->d, map);
	yaml_node_pair_t *p;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		const char *k = est_ydoc_text(est_ydoc_node(w->d, p->key));
		if (k && !strcmp(k, key))
			return (long)(p - m->data.mapping.pairs.start);
	}
	return -1;
}

/* Append key: value to mapping `map` and log it. */
static int append_pair(walk *w, int map, const char *key, int value)
{
	est_edit e;
	yaml_node_t *m;
	int k = est_ydoc_add_scalar(w->d, key, NULL, w->at);

	if (k < 0)
		return est_error_set(w->err, EST_EINTERNAL, w->d->file, 0, 0, "out of memory");
	m = est_ydoc_node(w->d, map);
	e.map = map;
	e.pos = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	e.old_value = 0;
	e.appended = 1;
	if (!yaml_document_append_mapping_pair(&w->d->doc, map, k, value))
		return est_error_set(w->err, EST_EINTERNAL, w->d->file, 0, 0, "out of memory");
	return log_edit(w, &e);
}

static int set_value(walk *w, int map, long pos, int value)
{
	yaml_node_t *m = est_ydoc_node(w->d, map);
	yaml_node_pair_t *p = m->data.mapping.pairs.start + pos;
	est_edit e;

	e.map = map;
	e.pos = (size_t)pos;
	e.old_value = p->value;
	e.appended = 0;
	p->value = value;
	return log_edit(w, &e);
}

static int apply_at(walk *w, int node, size_t i);

/* The elements of a list chosen by a selector. */
static int select_items(walk *w, int list, size_t i)
{
	const segment *s = &w->seg[i];
	yaml_node_t *seq = est_ydoc_node(w->d, list);
	size_t n, j, matched = 0;
	const char *names[256];
	size_t n_names = 0;
	char *end;
	long index;
	int rc;

	if (seq->type != YAML_SEQUENCE_NODE)
		return fail_at(w, "'%s' is not a list, so '[%s]' selects nothing", s->key, s->selector);
	n = est_ydoc_seq_len(seq);
	index = strtol(s->selector, &end, 10);
	if (*end == '\0') {
		if (index < 0 || (size_t)index >= n)
			return fail_at(w, "'%s' has no element [%s]", s->key, s->selector);
		return apply_at(w, est_ydoc_node(w->d, list)->data.sequence.items.start[index], i + 1);
	}
	for (j = 0; j < n; j++) {
		int item = est_ydoc_node(w->d, list)->data.sequence.items.start[j];
		yaml_node_t *it = est_ydoc_node(w->d, item);
		const char *name = est_ydoc_text(est_ydoc_get(w->d, it, "name"));
		if (name && n_names < 256)
			names[n_names++] = name;
		if (strcmp(s->selector, "*") && !(name && !strcmp(name, s->selector)))
			continue;
		matched++;
		rc = apply_at(w, item, i + 1);
		if (rc < 0)
			return rc;
	}
	if (matched == 0) {
		const char *near = est_suggest(s->selector, names, n_names);
		char what[2 * MAX_KEY + 16];
		snprintf(what, sizeof(what), "%s named '%s'", s->key, s->selector);
		if (near)
			return fail_at(w, "no %s; did you mean '%s'?", what, near);
		return fail_at(w, "no %s", what);
	}
	return 0;
}

static int apply_at(walk *w, int node, size_t i)
{
	const segment *s = &w->seg[i];
	yaml_node_t *n = est_ydoc_node(w->d, node);
	long pos;
	int child, rc;

	if (n->type != YAML_MAPPING_NODE)
		return fail_at(w, "cannot set '%s' in '%s': the value there is not a mapping", s->key, w->path);
	pos = find_key(w, node, s->key);
	if (i + 1 == w->n)
		return pos >= 0 ? set_value(w, node, pos, w->value) : append_pair(w, node, s->key, w->value);
	if (pos < 0) {
		if (s->has_selector)
			return fail_at(w, "the scenario has no '%s' to select from", s->key);
		child = est_ydoc_add_mapping(w->d, NULL, w->at);
		if (child < 0)
			return est_error_set(w->err, EST_EINTERNAL, w->d->file, 0, 0, "out of memory");
		rc = append_pair(w, node, s->key, child);
		if (rc < 0)
			return rc;
	} else {
		child = est_ydoc_node(w->d, node)->data.mapping.pairs.start[pos].value;
	}
	return s->has_selector ? select_items(w, child, i) : apply_at(w, child, i + 1);
}

int est_override_apply(est_ydoc *d, const char *path, int value, int at, est_edit_log *log,
		       est_error *err)
{
	walk w;
	yaml_node_t *root = est_ydoc_root(d);
	int rc;

	memset(&w, 0, sizeof(w));
	w.d = d;
	w.path = path;
	w.value = value;
	w.at = at;
	w.log = log;
	w.err = err;
	if (log->n_paths == EST_OVERRIDE_MAX_PATHS)
		return fail_at(&w, "too many paths: at most %d are set at once",
			       EST_OVERRIDE_MAX_PATHS);
	log->n_paths++;
	rc = parse_path(&w);
	if (rc < 0)
		return rc;
	if (!root || root->type != YAML_MAPPING_NODE)
		return fail_at(&w, "the scenario is not a mapping, so '%s' cannot be set", path);
	return apply_at(&w, (int)(root - d->doc.nodes.start) + 1, 0);
}

void est_override_undo(est_ydoc *d, est_edit_log *log)
{
	while (log->n) {
		const est_edit *e = &log->items[--log->n];
		yaml_node_t *m = est_ydoc_node(d, e->map);
		if (e->appended)
			m->data.mapping.pairs.top = m->data.mapping.pairs.start + e->pos;
		else
			m->data.mapping.pairs.start[e->pos].value = e->old_value;
	}
	log->n_paths = 0;
}

void est_edit_log_dispose(est_edit_log *log)
{
	free(log->items);
	memset(log, 0, sizeof(*log));
}
