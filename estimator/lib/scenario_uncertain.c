/*
 * Uncertain inputs of a scenario: distributions registered by field as they
 * are read, defaults inherited from profile distributions, and setting a
 * sampled value (est_uncertain_set, est_scenario_derive).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

/* The registry: a distribution written for a field of the scenario or a workload. */
int est_sl__register_dist(void *ctx, double *field, est_dist *dist, const yaml_node_t *node,
			  const char *key, est_error *err)
{
	sloader *l = ctx;
	est_scenario *s = l->s;
	char *p = (char *)field;
	est_uncertain *grown, *u;
	char path[256];
	int workload = -1;
	size_t offset;

	if (l->reading_rate) {
		offset = 0; /* a multiplier has no field of its own */
	} else if (p >= (char *)s && p < (char *)(s + 1)) {
		offset = (size_t)(p - (char *)s);
	} else if (s->workloads && p >= (char *)s->workloads &&
		   p < (char *)(s->workloads + s->n_workloads)) {
		workload = (int)((size_t)(p - (char *)s->workloads) / sizeof(*s->workloads));
		offset = (size_t)(p - (char *)&s->workloads[workload]);
	} else {
		return est_ydoc_fail(l->doc, node, err, "%s: a distribution is not supported here", key);
	}
	grown = realloc(s->uncertain, (s->n_uncertain + 1) * sizeof(*grown));
	if (!grown)
		return est_sl__oom(l);
	s->uncertain = grown;
	u = &s->uncertain[s->n_uncertain];
	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "%s%s%s", l->section, l->section[0] ? "." : "", key);
	u->path = strdup(path);
	if (!u->path)
		return est_sl__oom(l);
	u->workload = workload;
	u->offset = offset;
	u->multiplier = l->reading_rate;
	u->dist = *dist; /* ownership of the values moves here */
	u->line = (int)node->start_mark.line + 1;
	u->column = (int)node->start_mark.column + 1;
	s->n_uncertain++;
	return 0;
}

void est_uncertain_set(est_scenario *s, const est_uncertain *u, double value)
{
	size_t i;

	if (u->multiplier) {
		double f = value / est_dist_median(&u->dist);
		for (i = 0; i < u->n_scales; i++)
			*(double *)(void *)((char *)s + u->scales[i]) *= f;
		return;
	}
	*est_sl__field_of(s, u) = u->whole ? nearbyint(value) : value;
}

void est_scenario_derive(est_scenario *s)
{
	size_t i;

	for (i = 0; i < s->n_workloads; i++)
		if (s->workloads[i].per_user)
			s->workloads[i].requests_per_day = s->workloads[i].users * s->workloads[i].requests_per_user;
}

/* The uncertain input whose field is `field`, or NULL. */
est_uncertain *est_sl__uncertain_at(sloader *l, const double *field)
{
	size_t i;

	for (i = 0; i < l->s->n_uncertain; i++)
		if (est_sl__field_of(l->s, &l->s->uncertain[i]) == field)
			return &l->s->uncertain[i];
	return NULL;
}

/*
 * A default taken from a profile field that is a distribution: the scenario
 * field gets the distribution, scaled (a currency conversion) and bounded to
 * the field's range, and its median.
 */
int est_sl__inherit(sloader *l, double *field, int kind, const char *id, size_t offset, double scale,
		    double lo, double hi, const char *path)
{
	const est_pdist *e = est_profiles__dist(l->p, kind, id, offset);
	est_uncertain *grown, *u;
	char label[320], msg[200];
	est_dist d;

	if (!e)
		return 0;
	if (est_dist_copy(&d, &e->dist) < 0)
		return est_sl__oom(l);
	if (scale != 1)
		est_dist_scale(&d, scale);
	if (est_dist_bound(&d, lo, hi, msg, sizeof(msg)) < 0) {
		est_dist_dispose(&d);
		return est_error_set(l->err, EST_EINVALID, l->doc->file, 0, 0,
				     "%s from profiles %s: %s", path, e->label, msg);
	}
	grown = realloc(l->s->uncertain, (l->s->n_uncertain + 1) * sizeof(*grown));
	if (!grown) {
		est_dist_dispose(&d);
		return est_sl__oom(l);
	}
	l->s->uncertain = grown;
	u = &grown[l->s->n_uncertain];
	memset(u, 0, sizeof(*u));
	snprintf(label, sizeof(label), "%s (profiles %s)", path, e->label);
	u->path = strdup(label);
	if (!u->path) {
		est_dist_dispose(&d);
		return est_sl__oom(l);
	}
	u->workload = -1;
	u->offset = (size_t)((char *)field - (char *)l->s);
	u->dist = d;
	l->s->n_uncertain++;
	*field = est_dist_median(&u->dist);
	return 0;
}
