/*
 * Overrides on a scenario document (docs/what-if.md): a path such as
 * `site.grid` or `workloads[assistant].model` made to point at a value node,
 * before the scenario is loaded, so an override is checked exactly like the
 * file. Every edit is logged so that it can be undone. Internal.
 */
#ifndef ESTIMATOR_OVERRIDES_H
#define ESTIMATOR_OVERRIDES_H

#include "yaml_doc.h"

typedef struct est_edit {
	int map;            /* mapping node index */
	size_t pos;         /* pair position in the mapping */
	int old_value;      /* value node index before (replace) */
	int appended;       /* the pair was appended (undo pops it) */
} est_edit;

typedef struct est_edit_log {
	est_edit *items;
	size_t n, cap;
	size_t n_paths;     /* paths applied since the last undo */
} est_edit_log;

/*
 * Paths applied at once (one log, between undos): each is a linear search of
 * the mappings it passes, so their number is capped (a variant's `set`).
 */
#define EST_OVERRIDE_MAX_PATHS 1000

/*
 * Make `path` in the document point at node `value` (an index in d). Path
 * errors (bad syntax, no such workload) are located at node `at` (and so at
 * its origin). Missing mappings on the way are created. More than
 * EST_OVERRIDE_MAX_PATHS paths on one log is a located error.
 */
int est_override_apply(est_ydoc *d, const char *path, int value, int at, est_edit_log *log,
		       est_error *err);

/* Undo every logged edit, newest first, and empty the log. */
void est_override_undo(est_ydoc *d, est_edit_log *log);
void est_edit_log_dispose(est_edit_log *log);

#endif
