/*
 * A YAML document loaded with libyaml's document API, and typed, located
 * accessors used by the profile and scenario loaders (internal).
 *
 * Ownership: an est_ydoc is caller-owned storage; est_ydoc_dispose frees what
 * loading allocated. Node pointers are borrowed from the document.
 */
#ifndef ESTIMATOR_YAML_DOC_H
#define ESTIMATOR_YAML_DOC_H

#include <stddef.h>
#include <yaml.h>

#include "estimator/error.h"

/* Where a node added by an override (not read from the file) came from. */
typedef struct est_ydoc_origin {
	char file[64];          /* e.g. "--set" */
	int line, column;       /* 1-based */
} est_ydoc_origin;

struct est_dist;

/*
 * Called when a quantity is written as a distribution (docs/uncertainty.md):
 * `field` is where its median was stored; the hook takes ownership of dist.
 * Returns 0, or a status with err filled (e.g. not allowed for this field).
 */
typedef int (*est_ydoc_dist_hook)(void *ctx, double *field, struct est_dist *dist,
				  const yaml_node_t *node, const char *key, est_error *err);

typedef struct est_ydoc {
	yaml_document_t doc;
	int loaded;
	char file[EST_ERROR_FILE_MAX];
	est_ydoc_origin *origins;
	size_t n_origins;
	est_ydoc_dist_hook dist_hook;   /* NULL: distributions are not allowed */
	void *dist_ctx;
} est_ydoc;

/*
 * Limits on every YAML input (docs/scenario-format.md, "Limits"): a file of
 * at most EST_YDOC_MAX_BYTES, lists and mappings nested at most
 * EST_YDOC_MAX_DEPTH deep (the root mapping is level 1).
 */
#define EST_YDOC_MAX_BYTES (16 * 1024 * 1024)
#define EST_YDOC_MAX_DEPTH 64

/*
 * EST_EIO when the file cannot be read (with the OS reason); EST_EINVALID
 * when it is larger than EST_YDOC_MAX_BYTES, malformed, empty, more than one
 * document, tagged, nested deeper than EST_YDOC_MAX_DEPTH, or when an alias
 * is inside the node it names.
 */
int est_ydoc_load_file(est_ydoc *d, const char *path, est_error *err);
int est_ydoc_load_buffer(est_ydoc *d, const char *name, const char *data, size_t len,
			 est_error *err);
void est_ydoc_dispose(est_ydoc *d);

yaml_node_t *est_ydoc_root(est_ydoc *d);

/*
 * Add a plain scalar (or an empty mapping) to the document; errors about it
 * are located at `origin` (file, line, column) instead of the scenario file,
 * or at the position of node index `like` when origin is NULL (0: none).
 * Returns the node's index (> 0), or EST_EINTERNAL. Adding nodes may move the
 * document's node array: a yaml_node_t pointer taken before an add dangles
 * after it; hold indices across adds and fetch nodes again (est_ydoc_node).
 */
int est_ydoc_add_scalar(est_ydoc *d, const char *text, const est_ydoc_origin *origin, int like);
int est_ydoc_add_mapping(est_ydoc *d, const est_ydoc_origin *origin, int like);
yaml_node_t *est_ydoc_node(est_ydoc *d, int index);

/* A located EST_EINVALID error at node n. */
int est_ydoc_fail(est_ydoc *d, const yaml_node_t *n, est_error *err, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* n must be a mapping (sequence); `what` names it in the error. */
int est_ydoc_expect_map(est_ydoc *d, const yaml_node_t *n, const char *what, est_error *err);
int est_ydoc_expect_seq(est_ydoc *d, const yaml_node_t *n, const char *what, est_error *err);

/* Every key of map must be in `known` (NULL-terminated) and appear once. */
int est_ydoc_check_keys(est_ydoc *d, const yaml_node_t *map, const char *const *known,
			const char *where, est_error *err);

/* The value of key in map, or NULL. */
yaml_node_t *est_ydoc_get(est_ydoc *d, const yaml_node_t *map, const char *key);

/* Sequence access. */
size_t est_ydoc_seq_len(const yaml_node_t *seq);
yaml_node_t *est_ydoc_seq_at(est_ydoc *d, const yaml_node_t *seq, size_t i);

/* The text of a scalar node, or NULL for other kinds. */
const char *est_ydoc_text(const yaml_node_t *n);

/*
 * Typed getters: *out is written only when the key is present. Absent and
 * required gives a located error at the map. Each returns 0, or EST_EINVALID.
 */
int est_ydoc_string(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		    const char **out, est_error *err);
/* A quantity expressed in `unit` (units.h grammar); currency may be NULL. */
int est_ydoc_quantity(est_ydoc *d, const yaml_node_t *map, const char *key, const char *unit,
		      int required, double *out, char *currency, est_error *err);
int est_ydoc_int(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		 long min, long max, int *out, est_error *err);
/* A whole number in [min, max]; a distribution is refused (integers cannot be one). */
int est_ydoc_whole(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		   long long min, long long max, long long *out, est_error *err);
/*
 * A value that must be one of names[0..n): *out is its index (unchanged when
 * the key is absent and not required). Anything else is a located error
 * "KEY must be A, B or C, got 'X'".
 */
int est_ydoc_choice(est_ydoc *d, const yaml_node_t *map, const char *key, int required,
		    const char *const *names, size_t n, int *out, est_error *err);
int est_ydoc_bool(est_ydoc *d, const yaml_node_t *map, const char *key, int *out,
		  est_error *err);

/* Located error at the value of key (or the map when absent). */
int est_ydoc_fail_key(est_ydoc *d, const yaml_node_t *map, const char *key, est_error *err,
		      const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

#endif
