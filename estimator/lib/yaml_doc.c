/*
 * YAML documents composed from libyaml's events in one checked pass, with
 * accessors that check kinds, keys and units and report errors at the node's
 * line and column.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "estimator/dist.h"
#include "estimator/units.h"
#include "suggest.h"
#include "yaml_doc.h"

static int parser_error(est_ydoc *d, const yaml_parser_t *parser, est_error *err)
{
	const char *problem = parser->problem ? parser->problem : "malformed YAML";
	yaml_mark_t m = parser->problem_mark;

	if (parser->error == YAML_MEMORY_ERROR)
		return est_error_set(err, EST_EINTERNAL, d->file, 0, 0, "out of memory");
	return est_error_set(err, EST_EINVALID, d->file, (int)m.line + 1, (int)m.column + 1,
			     "malformed YAML: %s", problem);
}

static int fail_at_mark(est_ydoc *d, yaml_mark_t m, est_error *err, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int fail_at_mark(est_ydoc *d, yaml_mark_t m, est_error *err, const char *fmt, ...)
{
	char msg[EST_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return est_error_set(err, EST_EINVALID, d->file, (int)m.line + 1, (int)m.column + 1, "%s",
			     msg);
}

/* A tag as written (`!!binary` for the core schema's), printable ASCII, cut short. */
static void tag_text(const yaml_char_t *tag, char *out, size_t size)
{
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	size_t used = 0;

	if (!strncmp(t, core, sizeof(core) - 1)) {
		t += sizeof(core) - 1;
		used = (size_t)snprintf(out, size, "!!");
	}
	for (; *t && used + 4 < size && used < 40; t++)
		out[used++] = *t > ' ' && *t < 0x7f && *t != '\'' ? *t : '?';
	if (*t && used + 4 < size)
		out[used++] = '.', out[used++] = '.', out[used++] = '.';
	out[used] = '\0';
}

/* A collection being read: its anchor (for the alias check), its node, a key awaiting its value. */
typedef struct open_node {
	char *anchor;
	int node;
	int key;
} open_node;

/* An anchor written so far and the node it names. */
typedef struct anchor_entry {
	char *name;
	int node;
} anchor_entry;

/*
 * One pass over libyaml's events that checks the rules libyaml's loader does
 * not enforce and composes the document as yaml_parser_load would. The
 * loader's own errors (undefined alias, duplicate anchor) are kept in
 * `problem` and reported only when the whole stream passed the checks, as
 * they were when the file was parsed twice.
 */
typedef struct composer {
	est_ydoc *d;
	open_node open[EST_YDOC_MAX_DEPTH + 1];
	int depth;
	anchor_entry *anchors;
	size_t n_anchors, cap_anchors;
	int docs;
	const char *problem;
	yaml_mark_t problem_mark;
} composer;

static int out_of_memory(const composer *c, est_error *err)
{
	return est_error_set(err, EST_EINTERNAL, c->d->file, 0, 0, "out of memory");
}

static yaml_node_t *node_at(composer *c, int index)
{
	return c->d->doc.nodes.start + index - 1;
}

/* A node just added: its marks from the event, its anchor, its place in the open collection. */
static int place(composer *c, int index, const yaml_event_t *ev, const yaml_char_t *anchor,
		 est_error *err)
{
	yaml_node_t *n;
	size_t i;

	if (!index)
		return out_of_memory(c, err);
	n = node_at(c, index);
	n->start_mark = ev->start_mark;
	n->end_mark = ev->end_mark;
	if (anchor) {
		for (i = 0; i < c->n_anchors; i++) {
			if (!strcmp(c->anchors[i].name, (const char *)anchor)) {
				c->problem = "second occurrence";
				c->problem_mark = ev->start_mark;
				return 0;
			}
		}
		if (c->n_anchors == c->cap_anchors) {
			size_t cap = c->cap_anchors ? 2 * c->cap_anchors : 8;
			anchor_entry *grown = realloc(c->anchors, cap * sizeof(*grown));
			if (!grown)
				return out_of_memory(c, err);
			c->anchors = grown;
			c->cap_anchors = cap;
		}
		c->anchors[c->n_anchors].name = strdup((const char *)anchor);
		if (!c->anchors[c->n_anchors].name)
			return out_of_memory(c, err);
		c->anchors[c->n_anchors++].node = index;
	}
	return 0;
}

/* Node `index` (new, or named by an alias) is the next item of the innermost open collection. */
static int attach(composer *c, int index, est_error *err)
{
	open_node *top;
	int ok;

	if (c->depth == 0)
		return 0;
	top = &c->open[c->depth - 1];
	if (node_at(c, top->node)->type == YAML_SEQUENCE_NODE) {
		ok = yaml_document_append_sequence_item(&c->d->doc, top->node, index);
	} else if (!top->key) {
		top->key = index;
		ok = 1;
	} else {
		ok = yaml_document_append_mapping_pair(&c->d->doc, top->node, top->key, index);
		top->key = 0;
	}
	return ok ? 0 : out_of_memory(c, err);
}

/*
 * A scalar node that takes the event's value rather than copying it, as
 * yaml_parser_load does (the event's value is then NULL, which
 * yaml_event_delete allows): no copy, no second UTF-8 check (the parser's
 * reader checked the input), and no tag string (tags are refused before
 * this; yaml_document_delete frees a NULL tag as nothing). The node goes on
 * the document's node stack, grown with realloc as libyaml's own
 * allocations are plain malloc. Returns the node's index, or 0 when out of
 * memory.
 */
static yaml_node_t *push_node(yaml_document_t *doc)
{
	yaml_node_t *n;

	if (doc->nodes.top == doc->nodes.end) {
		size_t have = (size_t)(doc->nodes.end - doc->nodes.start);
		size_t cap = have ? 2 * have : 16;
		yaml_node_t *grown;
		if (cap > (size_t)INT32_MAX / sizeof(*grown))
			return NULL;
		grown = realloc(doc->nodes.start, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		doc->nodes.start = grown;
		doc->nodes.top = grown + have;
		doc->nodes.end = grown + cap;
	}
	n = doc->nodes.top++;
	memset(n, 0, sizeof(*n));
	return n;
}

static int add_scalar_taking(yaml_document_t *doc, yaml_event_t *ev)
{
	yaml_node_t *n = push_node(doc);

	if (!n)
		return 0;
	n->type = YAML_SCALAR_NODE;
	n->data.scalar.value = ev->data.scalar.value;
	n->data.scalar.length = ev->data.scalar.length;
	n->data.scalar.style = ev->data.scalar.style;
	ev->data.scalar.value = NULL;
	return (int)(doc->nodes.top - doc->nodes.start);
}

/*
 * A mapping or sequence node, without the tag string yaml_document_add_*
 * would copy; its items grow as libyaml's do (yaml_document_append_*).
 */
static int add_collection(yaml_document_t *doc, yaml_node_type_t type, int style)
{
	yaml_node_t *n;
	void *items = malloc(8 * (type == YAML_MAPPING_NODE ? sizeof(yaml_node_pair_t)
							      : sizeof(yaml_node_item_t)));

	if (!items)
		return 0;
	n = push_node(doc);
	if (!n) {
		free(items);
		return 0;
	}
	n->type = type;
	if (type == YAML_MAPPING_NODE) {
		n->data.mapping.pairs.start = items;
		n->data.mapping.pairs.top = items;
		n->data.mapping.pairs.end = n->data.mapping.pairs.start + 8;
		n->data.mapping.style = (yaml_mapping_style_t)style;
	} else {
		n->data.sequence.items.start = items;
		n->data.sequence.items.top = items;
		n->data.sequence.items.end = n->data.sequence.items.start + 8;
		n->data.sequence.style = (yaml_sequence_style_t)style;
	}
	return (int)(doc->nodes.top - doc->nodes.start);
}

static int compose_node(composer *c, yaml_event_t *ev, est_error *err)
{
	yaml_document_t *doc = &c->d->doc;
	int index = 0, rc;
	size_t i;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		for (i = 0; i < c->n_anchors; i++)
			if (!strcmp(c->anchors[i].name, (const char *)ev->data.alias.anchor))
				return attach(c, c->anchors[i].node, err);
		c->problem = "found undefined alias";
		c->problem_mark = ev->start_mark;
		return 0;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.length > (size_t)INT32_MAX)
			return out_of_memory(c, err);
		index = add_scalar_taking(doc, ev);
		rc = place(c, index, ev, ev->data.scalar.anchor, err);
		break;
	case YAML_SEQUENCE_START_EVENT:
		index = add_collection(doc, YAML_SEQUENCE_NODE, ev->data.sequence_start.style);
		rc = place(c, index, ev, ev->data.sequence_start.anchor, err);
		break;
	case YAML_MAPPING_START_EVENT:
		index = add_collection(doc, YAML_MAPPING_NODE, ev->data.mapping_start.style);
		rc = place(c, index, ev, ev->data.mapping_start.anchor, err);
		break;
	default:
		return 0;
	}
	if (rc < 0 || c->problem)
		return rc;
	return attach(c, index, err);
}

static int compose_event(composer *c, yaml_event_t *ev, est_error *err)
{
	est_ydoc *d = c->d;
	const yaml_char_t *tag = NULL, *anchor = NULL;
	char text[64];
	int i, rc;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++c->docs > 1)
			return fail_at_mark(d, ev->start_mark, err,
					    "a second YAML document starts here; a file holds one document");
		d->doc.start_implicit = ev->data.document_start.implicit;
		d->doc.start_mark = ev->start_mark;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		d->doc.end_implicit = ev->data.document_end.implicit;
		d->doc.end_mark = ev->end_mark;
		return 0;
	case YAML_ALIAS_EVENT:
		for (i = 0; i < c->depth; i++)
			if (c->open[i].anchor && !strcmp(c->open[i].anchor, (const char *)ev->data.alias.anchor))
				return fail_at_mark(d, ev->start_mark, err,
						    "alias '*%.40s' is inside the node it names; an alias must name a node written before it",
						    (const char *)ev->data.alias.anchor);
		return c->problem ? 0 : compose_node(c, ev, err);
	case YAML_SCALAR_EVENT:
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		tag = ev->data.sequence_start.tag;
		anchor = ev->data.sequence_start.anchor;
		break;
	case YAML_MAPPING_START_EVENT:
		tag = ev->data.mapping_start.tag;
		anchor = ev->data.mapping_start.anchor;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		c->depth--;
		if (!c->problem)
			node_at(c, c->open[c->depth].node)->end_mark = ev->end_mark;
		free(c->open[c->depth].anchor);
		c->open[c->depth].anchor = NULL;
		return 0;
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
		return 0;
	}
	if (tag) {
		tag_text(tag, text, sizeof(text));
		return fail_at_mark(d, ev->start_mark, err,
				    "tag '%s': tags are not supported; write plain YAML", text);
	}
	if (ev->type != YAML_SCALAR_EVENT && c->depth == EST_YDOC_MAX_DEPTH)
		return fail_at_mark(d, ev->start_mark, err,
				    "lists and mappings nested %d levels deep; at most %d levels are allowed",
				    EST_YDOC_MAX_DEPTH + 1, EST_YDOC_MAX_DEPTH);
	rc = c->problem ? 0 : compose_node(c, ev, err);
	if (rc < 0 || ev->type == YAML_SCALAR_EVENT)
		return rc;
	c->open[c->depth].anchor = anchor ? strdup((const char *)anchor) : NULL;
	if (anchor && !c->open[c->depth].anchor)
		return out_of_memory(c, err);
	c->open[c->depth].node = c->problem ? 0 : (int)(d->doc.nodes.top - d->doc.nodes.start);
	c->open[c->depth].key = 0;
	c->depth++;
	return 0;
}

static int too_large(const char *file, est_error *err)
{
	return est_error_set(err, EST_EINVALID, file, 0, 0,
			     "too large: more than %d MiB (%d bytes), the limit for an input file",
			     EST_YDOC_MAX_BYTES >> 20, EST_YDOC_MAX_BYTES);
}

/*
 * One pass of libyaml's parser over the file: the rules its loader does not
 * enforce are checked on the events (docs/scenario-format.md, "Limits": one
 * document, no tags, depth at most EST_YDOC_MAX_DEPTH, which also keeps
 * libyaml's per-level bookkeeping, quadratic in the depth, cheap; no alias
 * inside the node it names) while the same events compose the document, node
 * by node with the marks yaml_parser_load would give them.
 */
static int load(est_ydoc *d, const unsigned char *data, size_t len, est_error *err)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	composer c;
	size_t i;
	int rc = 0, done = 0;

	if (len > EST_YDOC_MAX_BYTES)
		return too_large(d->file, err);
	memset(&c, 0, sizeof(c));
	c.d = d;
	if (!yaml_parser_initialize(&parser))
		return out_of_memory(&c, err);
	if (!yaml_document_initialize(&d->doc, NULL, NULL, NULL, 1, 1)) {
		yaml_parser_delete(&parser);
		return out_of_memory(&c, err);
	}
	yaml_parser_set_input_string(&parser, data, len);
	while (rc == 0 && !done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_error(d, &parser, err);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = compose_event(&c, &ev, err);
		yaml_event_delete(&ev);
	}
	if (rc == 0 && c.problem)
		rc = est_error_set(err, EST_EINVALID, d->file, (int)c.problem_mark.line + 1,
				   (int)c.problem_mark.column + 1, "malformed YAML: %s", c.problem);
	while (c.depth > 0)
		free(c.open[--c.depth].anchor);
	for (i = 0; i < c.n_anchors; i++)
		free(c.anchors[i].name);
	free(c.anchors);
	yaml_parser_delete(&parser);
	if (rc < 0) {
		yaml_document_delete(&d->doc);
		return rc;
	}
	d->loaded = 1;
	if (!yaml_document_get_root_node(&d->doc))
		return est_error_set(err, EST_EINVALID, d->file, 1, 1, "empty file");
	return 0;
}

/*
 * The whole file, read up to one byte past the size limit: a regular file's
 * size is known from fstat before reading; a pipe or device is cut there.
 */
static int read_file(const char *path, unsigned char **out, size_t *len, est_error *err)
{
	const size_t most = (size_t)EST_YDOC_MAX_BYTES + 1;
	struct stat st;
	unsigned char *buf = NULL;
	size_t cap, used = 0;
	int fd, rc = 0;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = est_error_set(err, EST_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = est_error_set(err, EST_EIO, path, 0, 0, "cannot read: %s", strerror(EISDIR));
		goto cleanup;
	}
	if (S_ISREG(st.st_mode) && st.st_size >= (off_t)most) {
		rc = too_large(path, err);
		goto cleanup;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	buf = malloc(cap);
	while (buf && used < most) {
		ssize_t got;
		if (used == cap) {
			unsigned char *grown;
			cap = cap > most / 2 ? most : cap * 2;
			grown = realloc(buf, cap);
			if (!grown)
				break;
			buf = grown;
		}
		got = read(fd, buf + used, cap - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = est_error_set(err, EST_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
			goto cleanup;
		}
		if (got == 0)
			break;
		used += (size_t)got;
		if (S_ISREG(st.st_mode) && used < cap)
			break; /* a short read of a regular file is its end: no read for the 0 */
	}
	if (!buf || (used < most && used == cap))
		rc = est_error_set(err, EST_EINTERNAL, path, 0, 0, "out of memory");
	else if (used >= most)
		rc = too_large(path, err);
cleanup:
	close(fd);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = used;
	return 0;
}

int est_ydoc_load_file(est_ydoc *d, const char *path, est_error *err)
{
	unsigned char *data;
	size_t len;
	int rc;

	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", path);
	rc = read_file(path, &data, &len, err);
	if (rc < 0)
		return rc;
	rc = load(d, data ? data : (const unsigned char *)"", len, err);
	free(data);
	return rc;
}

int est_ydoc_load_buffer(est_ydoc *d, const char *name, const char *data, size_t len,
			 est_error *err)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->file, sizeof(d->file), "%s", name);
	return load(d, (const unsigned char *)(data ? data : ""), len, err);
}

void est_ydoc_dispose(est_ydoc *d)
{
	if (d && d->loaded) {
		yaml_document_delete(&d->doc);
		d->loaded = 0;
	}
	if (d) {
		free(d->origins);
		d->origins = NULL;
		d->n_origins = 0;
	}
}

/* Marks of nodes added by overrides carry an index from the top of size_t down. */
#define ORIGIN_MARK(i) ((size_t)-1 - (i))
#define MAX_ORIGINS 4096

static int origin_of(const est_ydoc *d, const yaml_node_t *n, const est_ydoc_origin **out)
{
	size_t i = (size_t)-1 - n->start_mark.index;

	if (n->start_mark.index < ORIGIN_MARK(MAX_ORIGINS) || i >= d->n_origins)
		return 0;
	*out = &d->origins[i];
	return 1;
}

/*
 * Where an added node's errors point: the mark is worked out before the add,
 * since adding may move the node array (and so `like`'s node).
 */
static int mark_for(est_ydoc *d, const est_ydoc_origin *origin, int like, yaml_mark_t *mark)
{
	memset(mark, 0, sizeof(*mark));
	if (origin) {
		est_ydoc_origin *grown;
		if (d->n_origins >= MAX_ORIGINS)
			return EST_EINTERNAL;
		grown = realloc(d->origins, (d->n_origins + 1) * sizeof(*grown));
		if (!grown)
			return EST_EINTERNAL;
		d->origins = grown;
		d->origins[d->n_origins] = *origin;
		mark->index = ORIGIN_MARK(d->n_origins);
		d->n_origins++;
	} else if (like > 0) {
		const yaml_node_t *n = yaml_document_get_node(&d->doc, like);
		if (n)
			*mark = n->start_mark;
	}
	return 0;
}

static int marked(est_ydoc *d, int index, const yaml_mark_t *mark)
{
	yaml_node_t *n;

	if (!index)
		return EST_EINTERNAL;
	n = yaml_document_get_node(&d->doc, index);
	n->start_mark = *mark;
	n->end_mark = *mark;
	return index;
}

int est_ydoc_add_scalar(est_ydoc *d, const char *text, const est_ydoc_origin *origin, int like)
{
	yaml_mark_t mark;

	if (mark_for(d, origin, like, &mark) < 0)
		return EST_EINTERNAL;
	return marked(d, yaml_document_add_scalar(&d->doc, NULL, (yaml_char_t *)(uintptr_t)text,
						  (int)strlen(text), YAML_PLAIN_SCALAR_STYLE),
		      &mark);
}

int est_ydoc_add_mapping(est_ydoc *d, const est_ydoc_origin *origin, int like)
{
	yaml_mark_t mark;

	if (mark_for(d, origin, like, &mark) < 0)
		return EST_EINTERNAL;
	return marked(d, yaml_document_add_mapping(&d->doc, NULL, YAML_BLOCK_MAPPING_STYLE), &mark);
}

yaml_node_t *est_ydoc_node(est_ydoc *d, int index)
{
	return yaml_document_get_node(&d->doc, index);
}

yaml_node_t *est_ydoc_root(est_ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

static int vfail(est_ydoc *d, const yaml_node_t *n, est_error *err, const char *fmt,
		 va_list ap)
{
	char msg[EST_ERROR_MESSAGE_MAX];
	const est_ydoc_origin *o;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n && origin_of(d, n, &o))
		return est_error_set(err, EST_EINVALID, o->file, o->line, o->column, "%s", msg);
	return est_error_set(err, EST_EINVALID, d->file, n ? (int)n->start_mark.line + 1 : 0,
			     n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

int est_ydoc_fail(est_ydoc *d, const yaml_node_t *n, est_error *err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(d, n, err, fmt, ap);
	va_end(ap);
	return rc;
}

int est_ydoc_fail_key(est_ydoc *d, const yaml_node_t *map, const char *key, est_error *err,
		      const char *fmt, ...)
{
	va_list ap;
	int rc;
	const yaml_node_t *n = est_ydoc_get(d, map, key);

	va_start(ap, fmt);
	rc = vfail(d, n ? n : map, err, fmt, ap);
	va_end(ap);
	return rc;
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a value";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_NO_NODE:
		break;
	}
	return "nothing";
}

int est_ydoc_expect_map(est_ydoc *d, const yaml_node_t *n, const char *what, est_error *err)
{
	if (n->type != YAML_MAPPING_NODE)
		return est_ydoc_fail(d, n, err, "%s must be a mapping of keys, got %s", what,
				     kind_name(n));
	return 0;
}

int est_ydoc_expect_seq(est_ydoc *d, const yaml_node_t *n, const char *what, est_error *err)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return est_ydoc_fail(d, n, err, "%s must be a list, got %s", what, kind_name(n));
	return 0;
}

const char *est_ydoc_text(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int est_ydoc_check_keys(est_ydoc *d, const yaml_node_t *map, const char *const *known,
			const char *where, est_error *err)
{
	yaml_node_pair_t *p, *q;
	size_t n_known = 0;

	while (known[n_known])
		n_known++;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&d->doc, p->key);
		const char *key = est_ydoc_text(k);
		size_t i;
		int found = 0;

		if (!key)
			return est_ydoc_fail(d, k, err, "keys must be plain names");
		for (i = 0; i < n_known && !found; i++)
			found = key[0] == known[i][0] && !strcmp(key, known[i]);
		if (!found) {
			const char *near = est_suggest(key, known, n_known);
			if (near)
				return est_ydoc_fail(d, k, err, "unknown key '%s' in %s; did you mean '%s'?",
						     key, where, near);
			return est_ydoc_fail(d, k, err, "unknown key '%s' in %s", key, where);
		}
		for (q = map->data.mapping.pairs.start; q < p; q++) {
			const char *other = est_ydoc_text(yaml_document_get_node(&d->doc, q->key));
			if (other && !strcmp(other, key))
				return est_ydoc_fail(d, k, err, "duplicate key '%s' in %s", key, where);
		}
	}
	return 0;
}

/* yaml_document_get_node without the call: the pairs hold valid indexes. */
static yaml_node_t *node_of(est_ydoc *d, int index)
{
	yaml_node_t *n = d->doc.nodes.start + index - 1;

	return index > 0 && n < d->doc.nodes.top ? n : NULL;
}

yaml_node_t *est_ydoc_get(est_ydoc *d, const yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = est_ydoc_text(node_of(d, p->key));
		if (k && k[0] == key[0] && !strcmp(k, key))
			return node_of(d, p->value);
	}
	return NULL;
}

size_t est_ydoc_seq_len(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *est_ydoc_seq_at(est_ydoc *d, const yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

/* The text of node (map's key, NULL when absent). */
static int scalar_at(est_ydoc *d, const yaml_node_t *map, yaml_node_t *node, const char *key,
		     int required, const char **text, est_error *err)
{
	*text = NULL;
	if (!node) {
		if (required)
			return est_ydoc_fail(d, map, err, "missing required key '%s'", key);
		return 0;
	}
	*text = est_ydoc_text(node);
	if (!*text)
		return est_ydoc_fail(d, node, err, "'%s' must be a single value, got %s", key,
				     kind_name(node));
	return 0;
}

static int scalar_of(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		     yaml_node_t **node, const char **text, est_error *err)
{
	*node = est_ydoc_get(d, map, key);
	return scalar_at(d, map, *node, key, required, text, err);
}

int est_ydoc_string(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		    const char **out, est_error *err)
{
	yaml_node_t *n;
	const char *t;
	int rc = scalar_of(d, map, key, required, &n, &t, err);

	if (rc < 0)
		return rc;
	if (t) {
		if (!*t)
			return est_ydoc_fail(d, n, err, "'%s' must not be empty", key);
		*out = t;
	}
	return 0;
}

static int quantity_value(est_ydoc *d, const yaml_node_t *map, const char *key,
			  const char *unit, int required, double *out, char *currency,
			  est_error *err);

/*
 * One parameter of a distribution, in `unit`; the currency must match *cur.
 * A parameter is a single value: a distribution of distributions (or one
 * that names itself through an alias) is refused, never recursed into.
 */
static int dist_param(est_ydoc *d, const yaml_node_t *m, const char *key, const char *unit,
		      double *out, char *cur, est_error *err)
{
	char this_cur[EST_CURRENCY_MAX] = "";
	int rc = quantity_value(d, m, key, unit, 1, out, this_cur, err);

	if (rc < 0 || !cur)
		return rc;
	if (!cur[0])
		snprintf(cur, EST_CURRENCY_MAX, "%s", this_cur);
	else if (strcmp(cur, this_cur))
		return est_ydoc_fail_key(d, m, key, err, "%s is in %s, the other parameters in %s", key,
					 this_cur, cur);
	return 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define KINDS "fixed, uniform, normal, lognormal, triangular, empirical"

/* A quantity written as {dist: KIND, ...}: parse, store the median, hand it over. */
static int quantity_dist(est_ydoc *d, yaml_node_t *n, const char *key, const char *unit,
			 double *out, char *currency, est_error *err)
{
	static const char *const keys[] = {"dist", "value", "min", "max", "mode", "mean", "sd",
					   "median", "gsd", "values", NULL};
	static const char *const need[][4] = {
		{"value", NULL}, {"min", "max", NULL}, {"mean", "sd", NULL},
		{"median", "gsd", NULL}, {"min", "mode", "max", NULL}, {"values", NULL}};
	const char *kind_name = NULL;
	char cur[EST_CURRENCY_MAX] = "";
	est_dist dist;
	int kind, rc, i;
	yaml_node_pair_t *p;

	memset(&dist, 0, sizeof(dist));
	if (!d->dist_hook)
		return est_ydoc_fail(d, n, err, "%s: a distribution is not allowed here", key);
	if (!est_ydoc_get(d, n, "dist"))
		return est_ydoc_fail(d, n, err, "%s: a distribution needs 'dist: KIND' (%s)", key,
				     KINDS);
	rc = est_ydoc_string(d, n, "dist", 1, &kind_name, err);
	if (rc < 0)
		return rc;
	/* the kind first: the parameters' names depend on it */
	kind = est_dist_kind_parse(kind_name);
	if (kind < 0)
		return est_ydoc_fail_key(d, n, "dist", err, "unknown distribution '%s' (%s)",
					 kind_name, KINDS);
	rc = est_ydoc_check_keys(d, n, keys, "a distribution", err);
	if (rc < 0)
		return rc;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = est_ydoc_text(yaml_document_get_node(&d->doc, p->key));
		int used = !strcmp(k, "dist");
		for (i = 0; need[kind][i]; i++)
			used |= !strcmp(k, need[kind][i]);
		if (!used)
			return est_ydoc_fail(d, yaml_document_get_node(&d->doc, p->key), err,
					     "'%s' is not a parameter of a %s distribution", k, kind_name);
	}
	for (i = 0; need[kind][i]; i++)
		if (!est_ydoc_get(d, n, need[kind][i]))
			return est_ydoc_fail(d, n, err, "%s: a %s distribution needs '%s'", key,
					     kind_name, need[kind][i]);
	dist.kind = (est_dist_kind)kind;
	dist.lo = -HUGE_VAL;
	dist.hi = HUGE_VAL;
	switch (dist.kind) {
	case EST_DIST_FIXED:
		rc = dist_param(d, n, "value", unit, &dist.a, cur, err);
		break;
	case EST_DIST_UNIFORM:
		rc = dist_param(d, n, "min", unit, &dist.a, cur, err);
		if (rc == 0)
			rc = dist_param(d, n, "max", unit, &dist.b, cur, err);
		break;
	case EST_DIST_NORMAL:
		rc = dist_param(d, n, "mean", unit, &dist.a, cur, err);
		if (rc == 0)
			rc = dist_param(d, n, "sd", unit, &dist.b, cur, err);
		break;
	case EST_DIST_LOGNORMAL:
		rc = dist_param(d, n, "median", unit, &dist.a, cur, err);
		if (rc == 0)
			rc = quantity_value(d, n, "gsd", "1", 1, &dist.b, NULL, err);
		break;
	case EST_DIST_TRIANGULAR:
		rc = dist_param(d, n, "min", unit, &dist.a, cur, err);
		if (rc == 0)
			rc = dist_param(d, n, "mode", unit, &dist.b, cur, err);
		if (rc == 0)
			rc = dist_param(d, n, "max", unit, &dist.c, cur, err);
		break;
	case EST_DIST_EMPIRICAL: {
		yaml_node_t *vals = est_ydoc_get(d, n, "values");
		size_t j, count;
		rc = est_ydoc_expect_seq(d, vals, "values", err);
		if (rc < 0)
			return rc;
		count = est_ydoc_seq_len(vals);
		if (count == 0 || count > 100000)
			return est_ydoc_fail(d, vals, err, "values: give 1 to 100000 values");
		dist.values = malloc(count * sizeof(*dist.values));
		if (!dist.values)
			return est_error_set(err, EST_EINTERNAL, d->file, 0, 0, "out of memory");
		dist.n = count;
		for (j = 0; j < count && rc == 0; j++) {
			yaml_node_t *item = est_ydoc_seq_at(d, vals, j);
			const char *t = est_ydoc_text(item);
			est_quantity q;
			char msg[200], this_cur[EST_CURRENCY_MAX] = "";
			if (!t || est_quantity_parse(&q, t, msg, sizeof(msg)) < 0 ||
			    est_quantity_in(&dist.values[j], &q, unit, msg, sizeof(msg)) < 0) {
				rc = est_ydoc_fail(d, item, err, "values: %s", t ? msg : "each value must be a quantity");
				break;
			}
			snprintf(this_cur, sizeof(this_cur), "%s", q.currency);
			if (!cur[0])
				snprintf(cur, sizeof(cur), "%s", this_cur);
			else if (strcmp(cur, this_cur))
				rc = est_ydoc_fail(d, item, err, "values: %s is in %s, the values before it in %s",
						   t, this_cur[0] ? this_cur : "no currency",
						   cur[0] ? cur : "no currency");
		}
		if (rc == 0)
			qsort(dist.values, dist.n, sizeof(*dist.values), compare_doubles);
		break;
	}
	}
	if (rc == 0) {
		char msg[200];
		if (est_dist_bound(&dist, -HUGE_VAL, HUGE_VAL, msg, sizeof(msg)) < 0)
			rc = est_ydoc_fail(d, n, err, "%s: %s", key, msg);
	}
	if (rc < 0) {
		est_dist_dispose(&dist);
		return rc;
	}
	*out = est_dist_median(&dist);
	if (currency)
		snprintf(currency, EST_CURRENCY_MAX, "%s", cur);
	rc = d->dist_hook(d->dist_ctx, out, &dist, n, key, err);
	if (rc < 0)
		est_dist_dispose(&dist);
	return rc;
}

/* A quantity written as a single value. */
/* The quantity at node n (map's key, NULL when absent) in unit. */
static int quantity_at(est_ydoc *d, const yaml_node_t *map, yaml_node_t *n, const char *key,
		       const char *unit, int required, double *out, char *currency,
		       est_error *err)
{
	const char *t;
	est_quantity q;
	char msg[256];
	double v;
	int rc = scalar_at(d, map, n, key, required, &t, err);

	if (rc < 0 || !t)
		return rc;
	if (est_quantity_parse(&q, t, msg, sizeof(msg)) < 0)
		return est_ydoc_fail(d, n, err, "%s: %s", key, msg);
	if (est_quantity_in(&v, &q, unit, msg, sizeof(msg)) < 0)
		return est_ydoc_fail(d, n, err, "%s: %s", key, msg);
	*out = v;
	if (currency)
		snprintf(currency, EST_CURRENCY_MAX, "%s", q.currency);
	return 0;
}

static int quantity_value(est_ydoc *d, const yaml_node_t *map, const char *key,
			  const char *unit, int required, double *out, char *currency,
			  est_error *err)
{
	return quantity_at(d, map, est_ydoc_get(d, map, key), key, unit, required, out, currency,
			   err);
}

int est_ydoc_quantity(est_ydoc *d, const yaml_node_t *map, const char *key, const char *unit,
		      int required, double *out, char *currency, est_error *err)
{
	yaml_node_t *n = est_ydoc_get(d, map, key);

	if (n && n->type == YAML_MAPPING_NODE)
		return quantity_dist(d, n, key, unit, out, currency, err);
	return quantity_at(d, map, n, key, unit, required, out, currency, err);
}

int est_ydoc_whole(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		   long long min, long long max, long long *out, est_error *err)
{
	yaml_node_t *n = est_ydoc_get(d, map, key);
	const char *t;
	char *end;
	long long v;
	int rc;

	if (n && n->type == YAML_MAPPING_NODE && est_ydoc_get(d, n, "dist"))
		return est_ydoc_fail(d, n, err, "%s: a distribution is not allowed here (a whole number)",
				     key);
	rc = scalar_of(d, map, key, required, &n, &t, err);
	if (rc < 0 || !t)
		return rc;
	errno = 0;
	v = strtoll(t, &end, 10);
	if (end == t || *end || errno)
		return est_ydoc_fail(d, n, err, "%s: '%s' is not a whole number", key, t);
	if (v < min || v > max)
		return est_ydoc_fail(d, n, err, "%s: %lld is out of range (%lld to %lld)", key, v,
				     min, max);
	*out = v;
	return 0;
}

int est_ydoc_int(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		 long min, long max, int *out, est_error *err)
{
	long long v = 0;
	int rc = est_ydoc_whole(d, map, key, required, min, max, &v, err);

	if (rc == 0 && est_ydoc_get(d, map, key))
		*out = (int)v;
	return rc;
}

int est_ydoc_choice(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		    const char *const *names, size_t n, int *out, est_error *err)
{
	const char *t = NULL;
	char list[256];
	size_t i, used = 0;
	int rc = est_ydoc_string(d, map, key, required, &t, err);

	if (rc < 0 || !t)
		return rc;
	for (i = 0; i < n; i++) {
		if (!strcmp(t, names[i])) {
			*out = (int)i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; i < n && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
					 i == 0 ? "" : (i + 1 == n ? " or " : ", "), names[i]);
	return est_ydoc_fail_key(d, map, key, err, "%s must be %s, got '%s'", key, list, t);
}

int est_ydoc_bool(est_ydoc *d, const yaml_node_t *map, const char *key, int *out,
		  est_error *err)
{
	yaml_node_t *n;
	const char *t;
	int rc = scalar_of(d, map, key, 0, &n, &t, err);

	if (rc < 0 || !t)
		return rc;
	if (!strcasecmp(t, "true") || !strcasecmp(t, "yes"))
		*out = 1;
	else if (!strcasecmp(t, "false") || !strcasecmp(t, "no"))
		*out = 0;
	else
		return est_ydoc_fail(d, n, err, "%s: expected true or false, got '%s'", key, t);
	return 0;
}
