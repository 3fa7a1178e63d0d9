/*
 * The scenario loader's small helpers (scenario_internal.h): errors, notes,
 * sections, range checks (a distribution's support included) and unknown ids
 * (suggestions by case, alias, prefix and spelling; all the ids of a short list).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario_internal.h"
#include "suggest.h"

int est_sl__oom(sloader *l)
{
	return est_error_set(l->err, EST_EINTERNAL, l->doc->file, 0, 0, "out of memory");
}

int est_sl__note(sloader *l, const char *fmt, ...)
{
	char line[512];
	char **grown;
	va_list ap;

	if (l->s->terse)
		return 0;
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

/* x in the display unit: a share as a percentage, else the unit written after the number. */
static void shown(char *buf, size_t len, double x, const char *unit)
{
	if (!strcmp(unit, "%"))
		snprintf(buf, len, "%.12g%%", x * 100);
	else
		snprintf(buf, len, "%.12g%s%s", x, *unit && *unit != '/' ? " " : "", unit);
}

/* The bounds as a message shows them: "0 to 1000 years", "0% to 100%". */
static void range_text(char *low, char *high, size_t size, double lo, double hi, const char *unit)
{
	shown(low, size, lo, strcmp(unit, "%") ? "" : unit);
	shown(high, size, hi, unit);
}

int est_sl__range(sloader *l, const yaml_node_t *map, const char *key, double v, double lo,
		  double hi, const char *unit)
{
	const yaml_node_t *n;
	char low[48], high[48], given[48];
	size_t i;

	if (l->s->n_uncertain == 0 && v >= lo && v <= hi)
		return 0; /* no distribution to check, in range: the common case, without a look-up */
	n = est_ydoc_get(l->doc, map, key);
	/* a distribution: its support must fit (normal and lognormal are truncated) */
	for (i = 0; n && n->type == YAML_MAPPING_NODE && i < l->s->n_uncertain; i++) {
		est_uncertain *u = &l->s->uncertain[i];
		char msg[200];
		if (u->line != (int)n->start_mark.line + 1 || u->column != (int)n->start_mark.column + 1)
			continue;
		if (est_dist_bound(&u->dist, lo, hi, msg, sizeof(msg)) < 0) {
			range_text(low, high, sizeof(low), lo, hi, unit);
			return est_ydoc_fail(l->doc, n, l->err, "%s: %s (%s to %s)", key, msg,
					     low, high);
		}
		if (!u->multiplier) /* a rate has no field: its median is applied by conversion */
			*est_sl__field_of(l->s, u) = est_dist_median(&u->dist);
		return 0;
	}
	if (v >= lo && v <= hi)
		return 0; /* the bounds are formatted for errors only: this runs for every value */
	range_text(low, high, sizeof(low), lo, hi, unit);
	if (n && n->type == YAML_SCALAR_NODE)
		snprintf(given, sizeof(given), "%s", est_ydoc_text(n));
	else
		shown(given, sizeof(given), v, unit);
	return est_ydoc_fail_key(l->doc, map, key, l->err, "%s: %s is outside %s to %s", key, given,
				 low, high);
}

#define FEW_IDS 8 /* a kind with this many records or fewer lists them all */

/* The record kind an est_sl__unknown kind names, or -1 (tasks and models: by name). */
static int record_kind(const char *kind)
{
	static const struct {
		const char *name;
		est_record_kind kind;
	} kinds[] = {{"accelerator", EST_RECORD_ACCELERATOR}, {"server", EST_RECORD_SERVER},
		     {"grid", EST_RECORD_GRID}, {"facility", EST_RECORD_FACILITY},
		     {"storage", EST_RECORD_STORAGE}};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].name))
			return (int)kinds[i].kind;
	return -1;
}

/*
 * The error for an unknown id of a record kind: the record it most likely
 * means (by case, alias, prefix, initials, then spelling), or, when the kind
 * has few records and none has this id or name ignoring case, all of them.
 */
static int unknown_record(sloader *l, const yaml_node_t *map, const char *key, const char *kind,
			  est_record_kind rk, const char *id)
{
	size_t n = est_profiles_count(l->p, rk), i, used = 0;
	est_candidate *c = malloc((n ? n : 1) * sizeof(*c));
	const char *near;
	char list[256] = "";
	int by_name = 0;

	if (!c)
		return est_sl__oom(l);
	for (i = 0; i < n; i++) {
		c[i] = est_profiles__candidate(rk, est_profiles_at(l->p, rk, i));
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
						 c[i].id);
		by_name |= !strcasecmp(id, c[i].id) || (c[i].name && !strcasecmp(id, c[i].name));
	}
	near = est_suggest_among(id, c, n);
	free(c);
	if (n > 0 && n <= FEW_IDS && !by_name)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'; one of %s", kind,
					 id, list);
	if (near)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'; did you mean '%s'?",
					 kind, id, near);
	return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'", kind, id);
}

/* Look an id up; on failure a located error with the nearest known id. */
int est_sl__unknown(sloader *l, const yaml_node_t *map, const char *key, const char *kind,
		    const char *id)
{
	int rk = record_kind(kind);
	const char *near, *label = strncmp(kind, "model:", 6) ? kind : "model";

	if (rk >= 0)
		return unknown_record(l, map, key, kind, (est_record_kind)rk, id);
	near = est_profiles_suggest(l->p, kind, id);
	if (near)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'; did you mean '%s'?",
					 label, id, near);
	return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'", label, id);
}

/* The path prefix of the keys read next: "site", or "workloads[NAME]". */
/* "list[name]" or "list", cut to the buffer (not snprintf: once per workload of a batch). */
void est_sl__set_section(sloader *l, const char *list, const char *name)
{
	size_t cap = sizeof(l->section) - 1, n = 0, k;

	k = strlen(list);
	k = k < cap ? k : cap;
	memcpy(l->section, list, k);
	n = k;
	if (name && n < cap) {
		l->section[n++] = '[';
		k = strlen(name);
		k = k < cap - n ? k : cap - n;
		memcpy(l->section + n, name, k);
		n += k;
		if (n < cap)
			l->section[n++] = ']';
	}
	l->section[n] = '\0';
}
