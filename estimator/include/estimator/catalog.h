/*
 * Browsing the profile library: a filtered list of records and one record in
 * full with its sources, as text or JSON (`estimator profiles list/show`).
 *
 * Ownership: each function returns a heap string through *out that the
 * caller frees with free(); nothing else is allocated or kept.
 */
#ifndef ESTIMATOR_CATALOG_H
#define ESTIMATOR_CATALOG_H

#include <stddef.h>
#include "error.h"
#include "profiles.h"
#include "render.h"

typedef struct est_catalog_filter {
	int kind;              /* an est_record_kind, or -1 for every kind */
	const char *task;      /* models of this task only (and the task), or NULL */
	const char *text;      /* case-insensitive substring of id, name or model, or NULL */
} est_catalog_filter;

/* EST_FORMAT_TEXT or EST_FORMAT_JSON; CSV is EST_EUSAGE. */
int est_catalog_list(char **out, size_t *len, const est_profiles *p,
		     const est_catalog_filter *f, est_format fmt, est_error *err);

/*
 * Every field of the record with this id and its sources in full. kind is an
 * est_record_kind or -1 (any); an id that is unknown, or that names records
 * of several kinds when kind is -1, is EST_EINVALID with a message that
 * suggests the nearest id or lists the kinds.
 */
int est_catalog_show(char **out, size_t *len, const est_profiles *p, const char *id,
		     int kind, est_format fmt, est_error *err);

#endif
