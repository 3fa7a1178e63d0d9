/*
 * The scenario loader's small helpers (scenario_internal.h): errors, notes,
 * sections, range checks (a distribution's support included) and unknown ids.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

int est_sl__oom(sloader *l)
{
	return est_error_set(l->err, EST_EINTERNAL, l->doc->file, 0, 0, "out of memory");
}

int est_sl__note(sloader *l, const char *fmt, ...)
{
	char line[512];
	char **grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = realloc(l->s->notes, (l->s->n_notes + 1) * sizeof(*grown));
	if (!grown)
		return est_sl__oom(l);
	l->s->notes = grown;
	grown[l->s->n_notes] = strdup(line);
	if (!grown[l->s->n_notes])
		return est_sl__oom(l);
	l->s->n_notes++;
	return 0;
}

/* A section: absent is allowed (returns 0 with *out NULL) unless required. */
int est_sl__section(sloader *l, const yaml_node_t *map, const char *key, const char *const *known,
		    int required, yaml_node_t **out)
{
	int rc;

	*out = est_ydoc_get(l->doc, map, key);
	if (!*out) {
		if (required)
			return est_ydoc_fail(l->doc, map, l->err, "missing required key '%s'", key);
		return 0;
	}
	rc = est_ydoc_expect_map(l->doc, *out, key, l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(l->doc, *out, known, key, l->err);
	return rc;
}

double *est_sl__field_of(est_scenario *s, const est_uncertain *u)
{
	char *base = u->workload < 0 ? (char *)s : (char *)&s->workloads[u->workload];

	return (double *)(void *)(base + u->offset);
}

int est_sl__range(sloader *l, const yaml_node_t *map, const char *key, double v, double lo,
		  double hi, const char *what)
{
	const yaml_node_t *n = est_ydoc_get(l->doc, map, key);
	size_t i;

	/* a distribution: its support must fit (normal and lognormal are truncated) */
	for (i = 0; n && n->type == YAML_MAPPING_NODE && i < l->s->n_uncertain; i++) {
		est_uncertain *u = &l->s->uncertain[i];
		char msg[200];
		if (u->line != (int)n->start_mark.line + 1 || u->column != (int)n->start_mark.column + 1)
			continue;
		if (est_dist_bound(&u->dist, lo, hi, msg, sizeof(msg)) < 0)
			return est_ydoc_fail(l->doc, n, l->err, "%s: %s (it must be %s)", key, msg, what);
		if (!u->multiplier) /* a rate has no field: its median is applied by conversion */
			*est_sl__field_of(l->s, u) = est_dist_median(&u->dist);
		return 0;
	}
	if (v < lo || v > hi)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "%s must be %s", key, what);
	return 0;
}

/* Look an id up; on failure a located error with the nearest known id. */
int est_sl__unknown(sloader *l, const yaml_node_t *map, const char *key, const char *kind,
		    const char *id)
{
	const char *near = est_profiles_suggest(l->p, kind, id);
	const char *label = strncmp(kind, "model:", 6) ? kind : "model";

	if (near)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'; did you mean '%s'?",
					 label, id, near);
	return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'", label, id);
}

/* The path prefix of the keys read next: "site", or "workloads[NAME]". */
void est_sl__set_section(sloader *l, const char *list, const char *name)
{
	if (name)
		snprintf(l->section, sizeof(l->section), "%s[%s]", list, name);
	else
		snprintf(l->section, sizeof(l->section), "%s", list);
}
