/*
 * Values given year by year (docs/model.md, section 14): a table such as
 * `{2026: 350 g/kWh, 2030: 200 g/kWh}` read into an est_path, and its value
 * in a year, linear between the given years (GSL) and flat outside them;
 * and the scenario's `report:` section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>

#include "scenario_internal.h"

double est_path_at(const est_path *p, double fallback, int year)
{
	double x = (double)year, v;
	gsl_interp *interp;
	gsl_interp_accel *acc;

	if (!p || p->n == 0)
		return fallback;
	if (p->n == 1 || x <= p->years[0])
		return p->values[0];
	if (x >= p->years[p->n - 1])
		return p->values[p->n - 1];
	interp = gsl_interp_alloc(gsl_interp_linear, p->n);
	acc = gsl_interp_accel_alloc();
	if (!interp || !acc || gsl_interp_init(interp, p->years, p->values, p->n) != GSL_SUCCESS) {
		gsl_interp_accel_free(acc);
		gsl_interp_free(interp);
		return fallback; /* not reached for a loaded path: years are increasing */
	}
	v = gsl_interp_eval(interp, p->years, p->values, x, acc);
	gsl_interp_accel_free(acc);
	gsl_interp_free(interp);
	return v;
}

/* Is the value at key a table of years (a mapping that is not a distribution)? */
int est_sl__is_table(sloader *l, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *n = map ? est_ydoc_get(l->doc, map, key) : NULL;

	return n && n->type == YAML_MAPPING_NODE && !est_ydoc_get(l->doc, n, "dist");
}

/*
 * The table at key into out: whole years 1900 to 2200 in increasing order,
 * each a plain quantity in `unit` within [lo, hi]. Every entry's currency
 * (for a price) must be the same; it is written to currency.
 */
int est_sl__path(sloader *l, const yaml_node_t *map, const char *key, const char *unit,
		 double lo, double hi, est_path *out, char *currency)
{
	yaml_node_t *t = est_ydoc_get(l->doc, map, key);
	yaml_node_pair_t *pair;
	char first[EST_CURRENCY_MAX] = "", cur[EST_CURRENCY_MAX];
	int rc = 0;

	size_t n = (size_t)(t->data.mapping.pairs.top - t->data.mapping.pairs.start);

	if (n == 0)
		return est_ydoc_fail(l->doc, t, l->err, "%s: a table of years needs at least one year", key);
	if (n > EST_PATH_MAX)
		return est_ydoc_fail(l->doc, t, l->err, "%s: at most %d years", key, EST_PATH_MAX);
	out->n = 0;
	out->years = malloc(n * sizeof(*out->years));
	out->values = malloc(n * sizeof(*out->values));
	if (!out->years || !out->values)
		return est_sl__oom(l);
	for (pair = t->data.mapping.pairs.start; pair < t->data.mapping.pairs.top && rc == 0; pair++) {
		yaml_node_t *k = est_ydoc_node(l->doc, pair->key);
		yaml_node_t *v = est_ydoc_node(l->doc, pair->value);
		const char *year = est_ydoc_text(k);
		char *end = NULL;
		long y = year ? strtol(year, &end, 10) : 0;
		double value = 0;

		if (!year || end == year || *end || y < 1900 || y > 2200)
			return est_ydoc_fail(l->doc, k, l->err,
					     "%s: a table's keys are years from 1900 to 2200, got '%s'", key,
					     year ? year : "?");
		if (out->n > 0 && (double)y <= out->years[out->n - 1])
			return est_ydoc_fail(l->doc, k, l->err, "%s: years must increase (%ld after %g)", key, y,
					     out->years[out->n - 1]);
		if (v->type != YAML_SCALAR_NODE)
			return est_ydoc_fail(l->doc, v, l->err, "%s: each year takes a single value, not a %s", key,
					     v->type == YAML_MAPPING_NODE ? "mapping or distribution" : "list");
		cur[0] = '\0';
		rc = est_ydoc_quantity(l->doc, t, year, unit, 1, &value, currency ? cur : NULL, l->err);
		if (rc == 0 && (value < lo || value > hi))
			rc = est_ydoc_fail(l->doc, v, l->err, "%s: %g in %ld is outside %g to %g", key, value, y,
					   lo, hi);
		if (rc == 0 && currency && first[0] && strcmp(first, cur))
			rc = est_ydoc_fail(l->doc, v, l->err, "%s: every year must be in the same currency (%s, then %s)",
					   key, first, cur);
		if (currency && !first[0])
			snprintf(first, sizeof(first), "%s", cur);
		out->years[out->n] = (double)y;
		out->values[out->n] = value;
		out->n++;
	}
	if (rc == 0 && currency)
		snprintf(currency, EST_CURRENCY_MAX, "%s", first);
	return rc;
}

/* report: {equivalences: [ids]}: which equivalences to report (default: every default record). */
int est_sl__load_report(sloader *l)
{
	static const char *const keys[] = {"equivalences", NULL};
	est_scenario *s = l->s;
	yaml_node_t *report, *list;
	size_t i, n;
	int rc = est_sl__section(l, l->root, "report", keys, 0, &report);

	if (rc < 0)
		return rc;
	list = report ? est_ydoc_get(l->doc, report, "equivalences") : NULL;
	s->n_equivalences = 0;
	if (!list) {
		n = est_profiles_count_equivalences(l->p);
		for (i = 0; i < n; i++) {
			const est_equivalence *e = est_profiles_equivalence_at(l->p, i);
			if (e->is_default)
				s->equivalences[s->n_equivalences++] = e;
		}
		return 0;
	}
	rc = est_ydoc_expect_seq(l->doc, list, "report.equivalences", l->err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	if (n > EST_MAX_EQUIVALENCES)
		return est_ydoc_fail(l->doc, list, l->err, "report.equivalences: at most %d", EST_MAX_EQUIVALENCES);
	for (i = 0; i < n; i++) {
		yaml_node_t *item = est_ydoc_seq_at(l->doc, list, i);
		const char *id = est_ydoc_text(item);
		const est_equivalence *e = NULL;
		size_t j, m = est_profiles_count_equivalences(l->p);

		for (j = 0; id && j < m; j++)
			if (!strcmp(est_profiles_equivalence_at(l->p, j)->id, id))
				e = est_profiles_equivalence_at(l->p, j);
		if (!e)
			return est_ydoc_fail(l->doc, item, l->err, "report.equivalences: unknown equivalence '%s'",
					     id ? id : "?");
		for (j = 0; j < s->n_equivalences; j++)
			if (s->equivalences[j] == e)
				return est_ydoc_fail(l->doc, item, l->err,
						     "report.equivalences: '%s' is listed twice", id);
		s->equivalences[s->n_equivalences++] = e;
	}
	return 0;
}
