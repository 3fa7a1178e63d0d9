/*
 * Loading a v1 scenario (docs/scenario-format.md): every key checked, every
 * quantity converted to the unit in its field name, every id resolved against
 * the profile library, and every default taken recorded as a note.
 */
#include <assert.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/sample.h"
#include "estimator/scenario.h"
#include "estimator/units.h"
#include "overrides.h"
#include "profiles_internal.h"
#include "yaml_doc.h"

typedef struct sloader {
	est_scenario *s;
	const est_profiles *p;
	est_ydoc *doc;
	est_error *err;
	yaml_node_t *root;
	yaml_node_t *rates;    /* costs.exchange_rates, or NULL */
	char section[160];     /* path prefix of the keys being read, e.g. "site" */
	int reading_rate;      /* the quantity read next is an exchange rate */
	yaml_node_t *costs;    /* costs, or NULL */
} sloader;

static int oom(sloader *l)
{
	return est_error_set(l->err, EST_EINTERNAL, l->doc->file, 0, 0, "out of memory");
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int note(sloader *l, const char *fmt, ...)
{
	char line[512];
	char **grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = realloc(l->s->notes, (l->s->n_notes + 1) * sizeof(*grown));
	if (!grown)
		return oom(l);
	l->s->notes = grown;
	grown[l->s->n_notes] = strdup(line);
	if (!grown[l->s->n_notes])
		return oom(l);
	l->s->n_notes++;
	return 0;
}

/* A section: absent is allowed (returns 0 with *out NULL) unless required. */
static int section(sloader *l, const yaml_node_t *map, const char *key, const char *const *known,
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

static double *field_of(est_scenario *s, const est_uncertain *u);

static int range(sloader *l, const yaml_node_t *map, const char *key, double v, double lo,
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
			*field_of(l->s, u) = est_dist_median(&u->dist);
		return 0;
	}
	if (v < lo || v > hi)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "%s must be %s", key, what);
	return 0;
}

#define NONNEG(l, map, key, v) range((l), (map), (key), (v), 0, 1e300, "zero or more")

/* Look an id up; on failure a located error with the nearest known id. */
static int unknown(sloader *l, const yaml_node_t *map, const char *key, const char *kind,
		   const char *id)
{
	const char *near = est_profiles_suggest(l->p, kind, id);
	const char *label = strncmp(kind, "model:", 6) ? kind : "model";

	if (near)
		return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'; did you mean '%s'?",
					 label, id, near);
	return est_ydoc_fail_key(l->doc, map, key, l->err, "unknown %s '%s'", label, id);
}

/* The registry: a distribution written for a field of the scenario or a workload. */
static int register_dist(void *ctx, double *field, est_dist *dist, const yaml_node_t *node,
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
		return oom(l);
	s->uncertain = grown;
	u = &s->uncertain[s->n_uncertain];
	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "%s%s%s", l->section, l->section[0] ? "." : "", key);
	u->path = strdup(path);
	if (!u->path)
		return oom(l);
	u->workload = workload;
	u->offset = offset;
	u->multiplier = l->reading_rate;
	u->dist = *dist; /* ownership of the values moves here */
	u->line = (int)node->start_mark.line + 1;
	u->column = (int)node->start_mark.column + 1;
	s->n_uncertain++;
	return 0;
}

static double *field_of(est_scenario *s, const est_uncertain *u)
{
	char *base = u->workload < 0 ? (char *)s : (char *)&s->workloads[u->workload];

	return (double *)(void *)(base + u->offset);
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
	*field_of(s, u) = u->whole ? nearbyint(value) : value;
}

void est_scenario_derive(est_scenario *s)
{
	size_t i;

	for (i = 0; i < s->n_workloads; i++)
		if (s->workloads[i].per_user)
			s->workloads[i].requests_per_day = s->workloads[i].users * s->workloads[i].requests_per_user;
}

/* The uncertain input whose field is `field`, or NULL. */
static est_uncertain *uncertain_at(sloader *l, const double *field)
{
	size_t i;

	for (i = 0; i < l->s->n_uncertain; i++)
		if (field_of(l->s, &l->s->uncertain[i]) == field)
			return &l->s->uncertain[i];
	return NULL;
}

/* The path prefix of the keys read next: "site", or "workloads[NAME]". */
/*
 * A default taken from a profile field that is a distribution: the scenario
 * field gets the distribution, scaled (a currency conversion) and bounded to
 * the field's range, and its median.
 */
static int inherit(sloader *l, double *field, int kind, const char *id, size_t offset, double scale,
		   double lo, double hi, const char *path)
{
	const est_pdist *e = est_profiles__dist(l->p, kind, id, offset);
	est_uncertain *grown, *u;
	char label[320], msg[200];
	est_dist d;

	if (!e)
		return 0;
	if (est_dist_copy(&d, &e->dist) < 0)
		return oom(l);
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
		return oom(l);
	}
	l->s->uncertain = grown;
	u = &grown[l->s->n_uncertain];
	memset(u, 0, sizeof(*u));
	snprintf(label, sizeof(label), "%s (profiles %s)", path, e->label);
	u->path = strdup(label);
	if (!u->path) {
		est_dist_dispose(&d);
		return oom(l);
	}
	u->workload = -1;
	u->offset = (size_t)((char *)field - (char *)l->s);
	u->dist = d;
	l->s->n_uncertain++;
	*field = est_dist_median(&u->dist);
	return 0;
}

static double ratio(double converted, double original)
{
	return original != 0 ? converted / original : 1;
}

static void set_section(sloader *l, const char *list, const char *name)
{
	if (name)
		snprintf(l->section, sizeof(l->section), "%s[%s]", list, name);
	else
		snprintf(l->section, sizeof(l->section), "%s", list);
}

static int load_horizon(sloader *l)
{
	static const char *const keys[] = {"start_year", "years", NULL};
	yaml_node_t *h;
	int rc = section(l, l->root, "horizon", keys, 1, &h);

	if (rc == 0)
		rc = est_ydoc_int(l->doc, h, "start_year", 1, 1900, 2200, &l->s->start_year, l->err);
	l->s->years = 5;
	if (rc == 0 && !est_ydoc_get(l->doc, h, "years"))
		rc = note(l, "horizon.years not given: 5 years");
	if (rc == 0)
		rc = est_ydoc_int(l->doc, h, "years", 0, 1, 50, &l->s->years, l->err);
	return rc;
}

/* One note listing the site values taken from the facility class. */
static int facility_note(sloader *l, const yaml_node_t *site)
{
	const est_facility *f = l->s->facility;
	char taken[256] = "";
	size_t n = 0;

	if (!est_ydoc_get(l->doc, site, "pue"))
		n += (size_t)snprintf(taken + n, sizeof(taken) - n, ", pue %g", f->pue);
	if (!est_ydoc_get(l->doc, site, "wue") && n < sizeof(taken))
		n += (size_t)snprintf(taken + n, sizeof(taken) - n, ", wue %g L/kWh", f->wue_l_per_kwh);
	if (!est_ydoc_get(l->doc, site, "rack_power") && n < sizeof(taken))
		n += (size_t)snprintf(taken + n, sizeof(taken) - n, ", rack power %g kW", f->rack_power_kw);
	if (n == 0)
		return 0;
	return note(l, "from facility class %s%s", f->id, taken);
}

static int load_site(sloader *l)
{
	static const char *const keys[] = {"grid", "facility", "carbon_intensity", "renewable_share",
					   "pue", "wue", "electricity_water", "rack_power", NULL};
	est_scenario *s = l->s;
	yaml_node_t *site;
	const char *grid = NULL, *facility = "enterprise";
	int rc = section(l, l->root, "site", keys, 1, &site);

	if (rc == 0)
		rc = est_ydoc_string(l->doc, site, "grid", 1, &grid, l->err);
	if (rc == 0 && !(s->grid = est_profiles_grid(l->p, grid)))
		rc = unknown(l, site, "grid", "grid", grid);
	if (rc == 0 && !est_ydoc_get(l->doc, site, "facility"))
		rc = note(l, "site.facility not given: enterprise");
	if (rc == 0)
		rc = est_ydoc_string(l->doc, site, "facility", 0, &facility, l->err);
	if (rc == 0 && !(s->facility = est_profiles_facility(l->p, facility)))
		rc = unknown(l, site, "facility", "facility", facility);
	if (rc < 0)
		return rc;
	s->intensity_g_per_kwh = s->grid->intensity_g_per_kwh;
	s->pue = s->facility->pue;
	s->wue_l_per_kwh = s->facility->wue_l_per_kwh;
	s->rack_power_kw = s->facility->rack_power_kw;
	if (!est_ydoc_get(l->doc, site, "carbon_intensity"))
		rc = note(l, "site.carbon_intensity not given: grid %s, %g g/kWh (%d)", s->grid->id,
			  s->grid->intensity_g_per_kwh, s->grid->year);
	if (rc == 0)
		rc = facility_note(l, site);
	if (rc < 0)
		return rc;
	rc = est_ydoc_quantity(l->doc, site, "carbon_intensity", "g/kWh", 0, &s->intensity_g_per_kwh, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, site, "carbon_intensity", s->intensity_g_per_kwh);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "renewable_share", "1", 0, &s->renewable_share, NULL, l->err);
	if (rc == 0)
		rc = range(l, site, "renewable_share", s->renewable_share, 0, 1, "between 0% and 100%");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "pue", "1", 0, &s->pue, NULL, l->err);
	if (rc == 0)
		rc = range(l, site, "pue", s->pue, 1, 10, "between 1 and 10");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "wue", "L/kWh", 0, &s->wue_l_per_kwh, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, site, "wue", s->wue_l_per_kwh);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "electricity_water", "L/kWh", 0,
				       &s->electricity_water_l_per_kwh, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, site, "electricity_water", s->electricity_water_l_per_kwh);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "rack_power", "kW", 0, &s->rack_power_kw, NULL, l->err);
	if (rc == 0)
		rc = range(l, site, "rack_power", s->rack_power_kw, 1e-9, 1e300, "more than zero");
	if (rc == 0 && !est_ydoc_get(l->doc, site, "carbon_intensity"))
		rc = inherit(l, &s->intensity_g_per_kwh, EST_RECORD_GRID, s->grid->id,
			     offsetof(est_grid, intensity_g_per_kwh), 1, 0, HUGE_VAL, "site.carbon_intensity");
	if (rc == 0 && !est_ydoc_get(l->doc, site, "pue"))
		rc = inherit(l, &s->pue, EST_RECORD_FACILITY, s->facility->id, offsetof(est_facility, pue), 1,
			     1, 10, "site.pue");
	if (rc == 0 && !est_ydoc_get(l->doc, site, "wue"))
		rc = inherit(l, &s->wue_l_per_kwh, EST_RECORD_FACILITY, s->facility->id,
			     offsetof(est_facility, wue_l_per_kwh), 1, 0, HUGE_VAL, "site.wue");
	if (rc == 0 && !est_ydoc_get(l->doc, site, "rack_power"))
		rc = inherit(l, &s->rack_power_kw, EST_RECORD_FACILITY, s->facility->id,
			     offsetof(est_facility, rack_power_kw), 1, 1e-9, HUGE_VAL, "site.rack_power");
	return rc;
}

/*
 * A count (servers, racks): a whole number, or a distribution whose samples
 * are rounded to whole numbers within [lo, hi].
 */
static int count(sloader *l, const yaml_node_t *map, const char *key, long lo, long hi,
		 double *out)
{
	yaml_node_t *n = est_ydoc_get(l->doc, map, key);
	int v = 0, rc;

	if (n && n->type == YAML_MAPPING_NODE) {
		rc = est_ydoc_quantity(l->doc, map, key, "1", 1, out, NULL, l->err);
		if (rc == 0)
			rc = range(l, map, key, *out, (double)lo, (double)hi, "a whole number in range");
		if (rc == 0) {
			est_uncertain *u = uncertain_at(l, out);
			if (u)
				u->whole = 1;
			*out = nearbyint(*out);
		}
		return rc;
	}
	rc = est_ydoc_int(l->doc, map, key, 0, lo, hi, &v, l->err);
	if (rc == 0 && n)
		*out = v;
	return rc;
}

static int load_existing(sloader *l)
{
	static const char *const keys[] = {"servers", "storage", "power", "racks", NULL};
	est_scenario *s = l->s;
	yaml_node_t *e;
	int rc = section(l, l->root, "existing", keys, 0, &e);

	if (rc < 0 || !e)
		return rc;
	rc = count(l, e, "servers", 0, 1000000, &s->existing_servers);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, e, "storage", "TB", 0, &s->existing_storage_tb, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, e, "storage", s->existing_storage_tb);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, e, "power", "kW", 0, &s->existing_power_kw, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, e, "power", s->existing_power_kw);
	if (rc == 0)
		rc = count(l, e, "racks", 0, 1000000, &s->existing_racks);
	return rc;
}

static int load_deployment(sloader *l)
{
	static const char *const keys[] = {"accelerator", "server", "utilisation", "spare_servers",
					   "lifetime", "storage", "replication", "datasets",
					   "gpu_to_node", NULL};
	est_scenario *s = l->s;
	const est_constants *c = est_profiles_constants(l->p);
	const est_accelerator *acc = NULL;
	const char *acc_id = NULL, *srv_id = NULL, *storage = "ssd";
	yaml_node_t *d;
	int rc = section(l, l->root, "deployment", keys, 1, &d);

	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "accelerator", 0, &acc_id, l->err);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "server", 0, &srv_id, l->err);
	if (rc < 0)
		return rc;
	if (!acc_id && !srv_id)
		return est_ydoc_fail(l->doc, d, l->err, "deployment needs an 'accelerator' or a 'server'");
	if (acc_id && !(acc = est_profiles_accelerator(l->p, acc_id)))
		return unknown(l, d, "accelerator", "accelerator", acc_id);
	if (srv_id) {
		if (!(s->server = est_profiles_server(l->p, srv_id)))
			return unknown(l, d, "server", "server", srv_id);
		if (acc && s->server->accelerator != acc)
			return est_ydoc_fail_key(l->doc, d, "server", l->err,
						 "server '%s' holds '%s', not accelerator '%s'", srv_id,
						 s->server->accelerator->id, acc_id);
	} else {
		s->server = est_profiles_server_for(l->p, acc);
		if (!s->server)
			return est_ydoc_fail_key(l->doc, d, "accelerator", l->err,
						 "no server in the profiles holds '%s'; set deployment.server",
						 acc_id);
		rc = note(l, "deployment.server not given: %s (%d x %s)", s->server->id,
			  s->server->accelerators, acc->id);
	}
	s->utilisation = c->default_utilisation;
	s->gpu_to_node = c->gpu_to_node;
	s->lifetime_years = s->server->lifetime_years;
	s->replication = c->default_replication;
	if (rc == 0 && !est_ydoc_get(l->doc, d, "utilisation"))
		rc = note(l, "deployment.utilisation not given: %g%% (profiles constants)", c->default_utilisation * 100);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "utilisation", "1", 0, &s->utilisation, NULL, l->err);
	if (rc == 0)
		rc = range(l, d, "utilisation", s->utilisation, 1e-6, 1, "more than 0% and at most 100%");
	if (rc == 0)
		rc = count(l, d, "spare_servers", 0, 100000, &s->spare_servers);
	if (rc == 0 && !est_ydoc_get(l->doc, d, "lifetime"))
		rc = note(l, "deployment.lifetime not given: %g years (%s)", s->lifetime_years, s->server->id);
	if (rc == 0 && !est_ydoc_get(l->doc, d, "storage"))
		rc = note(l, "deployment.storage not given: ssd");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "lifetime", "years", 0, &s->lifetime_years, NULL, l->err);
	if (rc == 0)
		rc = range(l, d, "lifetime", s->lifetime_years, 1e-6, 100, "more than zero");
	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "storage", 0, &storage, l->err);
	if (rc == 0 && !(s->storage = est_profiles_storage(l->p, storage)))
		rc = unknown(l, d, "storage", "storage", storage);
	if (rc == 0 && !est_ydoc_get(l->doc, d, "replication"))
		rc = note(l, "deployment.replication not given: %g copies (profiles constants)", c->default_replication);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "replication", "1", 0, &s->replication, NULL, l->err);
	if (rc == 0)
		rc = range(l, d, "replication", s->replication, 1, 100, "between 1 and 100");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "gpu_to_node", "1", 0, &s->gpu_to_node, NULL, l->err);
	if (rc == 0)
		rc = range(l, d, "gpu_to_node", s->gpu_to_node, 1, 10, "between 1 and 10");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "gpu_to_node"))
		rc = inherit(l, &s->gpu_to_node, EST_RECORD_KINDS, "constants",
			     offsetof(est_constants, gpu_to_node), 1, 1, 10, "deployment.gpu_to_node");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "utilisation"))
		rc = inherit(l, &s->utilisation, EST_RECORD_KINDS, "constants",
			     offsetof(est_constants, default_utilisation), 1, 1e-6, 1, "deployment.utilisation");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "replication"))
		rc = inherit(l, &s->replication, EST_RECORD_KINDS, "constants",
			     offsetof(est_constants, default_replication), 1, 1, 100, "deployment.replication");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "lifetime"))
		rc = inherit(l, &s->lifetime_years, EST_RECORD_SERVER, s->server->id,
			     offsetof(est_server, lifetime_years), 1, 1e-6, 100, "deployment.lifetime");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "datasets", "TB", 0, &s->datasets_tb, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, d, "datasets", s->datasets_tb);
	return rc;
}

/*
 * An exchange rate given as a distribution: amount is converted at its
 * median, and recorded as one of the amounts a sampled rate scales.
 */
static int uncertain_rate(sloader *l, double *amount, const char *from)
{
	char path[64];
	est_uncertain *u = NULL, *own;
	double rate = 0;
	size_t i;
	int rc = 0;

	snprintf(path, sizeof(path), "costs.exchange_rates.%s", from);
	for (i = 0; i < l->s->n_uncertain && !u; i++)
		if (l->s->uncertain[i].multiplier && !strcmp(l->s->uncertain[i].path, path))
			u = &l->s->uncertain[i];
	if (!u) {
		char saved[sizeof(l->section)];
		memcpy(saved, l->section, sizeof(saved));
		set_section(l, "costs.exchange_rates", NULL);
		l->reading_rate = 1;
		rc = est_ydoc_quantity(l->doc, l->rates, from, "1", 1, &rate, NULL, l->err);
		l->reading_rate = 0;
		memcpy(l->section, saved, sizeof(saved));
		if (rc == 0)
			rc = range(l, l->rates, from, rate, 1e-12, HUGE_VAL, "more than zero");
		if (rc < 0)
			return rc;
		u = &l->s->uncertain[l->s->n_uncertain - 1];
	}
	rate = est_dist_median(&u->dist);
	for (i = 0; i < u->n_scales; i++)
		if (u->scales[i] == (size_t)((char *)amount - (char *)l->s))
			return 0; /* converted twice: scaled once */
	if (u->n_scales == sizeof(u->scales) / sizeof(u->scales[0]))
		return est_ydoc_fail_key(l->doc, l->rates, from, l->err, "too many amounts in %s", from);
	*amount *= rate;
	own = uncertain_at(l, amount);
	if (own)
		est_dist_scale(&own->dist, rate);
	u->scales[u->n_scales++] = (size_t)((char *)amount - (char *)l->s);
	return 0;
}

/* Convert amount from currency `from` to the scenario's currency. */
static int to_currency(sloader *l, double *amount, const char *from, const char *what)
{
	double rate = 0;
	char rate_currency[EST_CURRENCY_MAX] = "";
	int rc;

	/* a distribution whose median is 0 still has amounts to convert */
	if (!strcmp(from, l->s->currency) || (*amount == 0 && !uncertain_at(l, amount)))
		return 0;
	if (!l->rates || !est_ydoc_get(l->doc, l->rates, from))
		return est_ydoc_fail(l->doc, l->costs ? l->costs : l->root, l->err,
				     "%s is in %s but costs are in %s; add costs.exchange_rates: {%s: <%s per %s>}",
				     what, from, l->s->currency, from, l->s->currency, from);
	if (est_ydoc_get(l->doc, l->rates, from)->type == YAML_MAPPING_NODE)
		return uncertain_rate(l, amount, from);
	rc = est_ydoc_quantity(l->doc, l->rates, from, "1", 1, &rate, NULL, l->err);
	if (rc < 0) {
		/* "0.92 EUR" is accepted too, in the costs currency */
		rc = est_ydoc_quantity(l->doc, l->rates, from, "CUR", 1, &rate, rate_currency, l->err);
		if (rc == 0 && strcmp(rate_currency, l->s->currency))
			rc = est_ydoc_fail_key(l->doc, l->rates, from, l->err,
					       "exchange rate must be in %s", l->s->currency);
		if (rc < 0)
			return rc;
	}
	if (rate <= 0)
		return est_ydoc_fail_key(l->doc, l->rates, from, l->err, "exchange rate must be more than zero");
	*amount *= rate;
	{
		est_uncertain *u = uncertain_at(l, amount);
		if (u)
			est_dist_scale(&u->dist, rate);
	}
	return 0;
}

/* An optional price in the costs section, converted to the scenario currency. */
static int price(sloader *l, const char *key, const char *unit, double *out, int *given)
{
	char cur[EST_CURRENCY_MAX] = "";
	int rc;

	*given = l->costs && est_ydoc_get(l->doc, l->costs, key);
	if (!*given)
		return 0;
	rc = est_ydoc_quantity(l->doc, l->costs, key, unit, 1, out, cur, l->err);
	if (rc == 0)
		rc = NONNEG(l, l->costs, key, *out);
	if (rc == 0)
		rc = to_currency(l, out, cur, key);
	return rc;
}

/* costs.electricity_price naming a price record (e.g. US-VA/commercial). */
static int named_price(sloader *l, int *given)
{
	const char *t = l->costs ? est_ydoc_text(est_ydoc_get(l->doc, l->costs, "electricity_price")) : NULL;
	const est_price *pr;
	const char *near;

	*given = 0;
	if (!t || !((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= 'a' && t[0] <= 'z')))
		return 0;
	pr = est_profiles_price(l->p, t);
	if (!pr) {
		near = est_profiles_suggest(l->p, "price", t);
		if (near)
			return est_ydoc_fail_key(l->doc, l->costs, "electricity_price", l->err,
						 "unknown price '%s'; did you mean '%s'?", t, near);
		return est_ydoc_fail_key(l->doc, l->costs, "electricity_price", l->err,
					 "unknown price '%s' (give an amount such as 0.18 EUR/kWh or a price id)", t);
	}
	*given = 1;
	l->s->electricity_price_per_kwh = pr->price_per_kwh;
	return to_currency(l, &l->s->electricity_price_per_kwh, pr->currency, "the electricity price");
}

static int load_costs(sloader *l)
{
	static const char *const keys[] = {"currency", "exchange_rates", "electricity_price",
					   "server_price", "storage_price", "buildout_cost", NULL};
	est_scenario *s = l->s;
	const char *currency = NULL;
	int rc = section(l, l->root, "costs", keys, 0, &l->costs), given;

	if (rc < 0)
		return rc;
	if (l->costs) {
		rc = est_ydoc_string(l->doc, l->costs, "currency", 0, &currency, l->err);
		if (rc < 0)
			return rc;
		static const char *const currencies[] = {"EUR", "USD", "GBP", "CHF", "NOK", "SEK",
							 "DKK", "JPY", "CNY", "INR", NULL};
		l->rates = est_ydoc_get(l->doc, l->costs, "exchange_rates");
		if (l->rates && (rc = est_ydoc_expect_map(l->doc, l->rates, "exchange_rates", l->err)) < 0)
			return rc;
		if (l->rates && (rc = est_ydoc_check_keys(l->doc, l->rates, currencies,
							  "exchange_rates", l->err)) < 0)
			return rc;
	}
	if (currency) {
		est_quantity q;
		char probe[16], msg[128];
		snprintf(probe, sizeof(probe), "1 %s", currency);
		if (strlen(currency) != 3 || est_quantity_parse(&q, probe, msg, sizeof(msg)) < 0 ||
		    q.dim.e[EST_DIM_MONEY] != 1)
			return est_ydoc_fail_key(l->doc, l->costs, "currency", l->err,
						 "unknown currency '%s'", currency);
		snprintf(s->currency, sizeof(s->currency), "%s", currency);
	} else {
		snprintf(s->currency, sizeof(s->currency), "%s",
			 s->grid->currency[0] ? s->grid->currency : "USD");
		rc = note(l, "costs.currency not given: %s", s->currency);
		if (rc < 0)
			return rc;
	}

	rc = named_price(l, &given);
	if (rc == 0 && !given)
		rc = price(l, "electricity_price", "CUR/kWh", &s->electricity_price_per_kwh, &given);
	if (rc == 0 && !given) {
		if (s->grid->price_per_kwh <= 0)
			return est_ydoc_fail(l->doc, l->costs ? l->costs : l->root, l->err,
					     "grid '%s' has no electricity price in the profiles; set costs.electricity_price",
					     s->grid->id);
		s->electricity_price_per_kwh = s->grid->price_per_kwh;
		rc = to_currency(l, &s->electricity_price_per_kwh, s->grid->currency, "the grid's electricity price");
		if (rc == 0)
			rc = note(l, "costs.electricity_price not given: grid %s, %g %s/kWh (%s)", s->grid->id,
				  s->grid->price_per_kwh, s->grid->currency,
				  s->grid->price_period ? s->grid->price_period : "");
	}
	if (rc == 0)
		rc = price(l, "server_price", "CUR", &s->server_price, &given);
	if (rc == 0 && !given) {
		if (s->server->price > 0) {
			s->server_price = s->server->price;
			rc = to_currency(l, &s->server_price, s->server->currency, "the server price");
			if (rc == 0)
				rc = note(l, "costs.server_price not given: %s public price %g %s",
					  s->server->id, s->server->price, s->server->currency);
		} else {
			rc = note(l, "no public price for %s: server capex is 0; set costs.server_price",
				  s->server->id);
		}
	}
	if (rc == 0)
		rc = price(l, "storage_price", "CUR/TB", &s->storage_price_per_tb, &given);
	if (rc == 0 && !given)
		rc = note(l, "costs.storage_price not given: storage capex is 0 (no public source)");
	if (rc == 0)
		rc = price(l, "buildout_cost", "CUR/kW", &s->buildout_cost_per_kw, &given);
	if (rc == 0 && !est_ydoc_get(l->doc, l->costs ? l->costs : l->root, "electricity_price") &&
	    s->grid->price_per_kwh > 0)
		rc = inherit(l, &s->electricity_price_per_kwh, EST_RECORD_GRID, s->grid->id,
			     offsetof(est_grid, price_per_kwh),
			     ratio(s->electricity_price_per_kwh, s->grid->price_per_kwh), 0, HUGE_VAL,
			     "costs.electricity_price");
	if (rc == 0 && !(l->costs && est_ydoc_get(l->doc, l->costs, "server_price")) && s->server->price > 0)
		rc = inherit(l, &s->server_price, EST_RECORD_SERVER, s->server->id, offsetof(est_server, price),
			     ratio(s->server_price, s->server->price), 0, HUGE_VAL, "costs.server_price");
	if (rc == 0 && !given) {
		s->buildout_cost_per_kw = s->facility->buildout_cost_per_kw;
		rc = to_currency(l, &s->buildout_cost_per_kw, s->facility->currency,
				 "the facility build-out cost");
		if (rc == 0)
			rc = note(l, "costs.buildout_cost not given: facility class %s, %g %s/kW",
				  s->facility->id, s->facility->buildout_cost_per_kw, s->facility->currency);
		if (rc == 0)
			rc = inherit(l, &s->buildout_cost_per_kw, EST_RECORD_FACILITY, s->facility->id,
				     offsetof(est_facility, buildout_cost_per_kw),
				     ratio(s->buildout_cost_per_kw, s->facility->buildout_cost_per_kw), 0,
				     HUGE_VAL, "costs.buildout_cost");
	}
	return rc;
}

/* `uncertainty: {samples, seed}`: the Monte Carlo defaults of `run`. */
static int load_uncertainty(sloader *l)
{
	static const char *const keys[] = {"samples", "seed", NULL};
	est_scenario *s = l->s;
	yaml_node_t *u;
	long long v = 0;
	int rc = section(l, l->root, "uncertainty", keys, 0, &u);

	if (rc < 0 || !u)
		return rc;
	rc = est_ydoc_whole(l->doc, u, "samples", 0, 1, EST_SAMPLES_MAX, &v, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, u, "samples")) {
		s->has_sample_default = 1;
		s->sample_default = (size_t)v;
	}
	if (rc == 0)
		rc = est_ydoc_whole(l->doc, u, "seed", 0, 0, 4294967295LL, &v, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, u, "seed")) {
		s->has_seed_default = 1;
		s->seed_default = (unsigned long)v;
	}
	return rc;
}

static int load_targets(sloader *l)
{
	static const char *const keys[] = {"emissions_budget", "reduction", "basis",
					   "include_embodied", NULL};
	est_scenario *s = l->s;
	yaml_node_t *t;
	const char *basis = "market";
	int rc = section(l, l->root, "targets", keys, 0, &t);

	if (rc < 0 || !t)
		return rc;
	s->has_target = 1;
	s->include_embodied = 1;
	rc = est_ydoc_quantity(l->doc, t, "emissions_budget", "kg", 1, &s->budget_kg, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, t, "emissions_budget", s->budget_kg);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, t, "reduction", "1", 0, &s->reduction_per_year, NULL, l->err);
	if (rc == 0)
		rc = range(l, t, "reduction", s->reduction_per_year, 0, 1, "between 0% and 100%");
	if (rc == 0)
		rc = est_ydoc_string(l->doc, t, "basis", 0, &basis, l->err);
	if (rc == 0 && strcmp(basis, "market") && strcmp(basis, "location"))
		rc = est_ydoc_fail_key(l->doc, t, "basis", l->err, "basis must be market or location, got '%s'", basis);
	if (rc == 0)
		rc = est_ydoc_bool(l->doc, t, "include_embodied", &s->include_embodied, l->err);
	if (rc == 0 && !est_ydoc_get(l->doc, t, "basis"))
		rc = note(l, "targets.basis not given: market");
	if (rc == 0 && !est_ydoc_get(l->doc, t, "include_embodied"))
		rc = note(l, "targets.include_embodied not given: true");
	s->basis = strcmp(basis, "location") ? EST_BASIS_MARKET : EST_BASIS_LOCATION;
	return rc;
}

static double mean_task_parameters(const est_task *t)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < t->n_models; i++) {
		if (t->models[i].kind == EST_MODEL_TASK_SPECIFIC && t->models[i].parameters > 0) {
			sum += t->models[i].parameters;
			n++;
		}
	}
	return n ? sum / (double)n : 0;
}

/* The record's parameter count, or another record's of the same model. */
static double model_parameters(const est_task *t, const est_model_profile *m)
{
	size_t i;

	if (m->parameters > 0)
		return m->parameters;
	for (i = 0; i < t->n_models; i++)
		if (t->models[i].parameters > 0 && !strcmp(t->models[i].model, m->model))
			return t->models[i].parameters;
	return 0;
}

static int load_demand(sloader *l, const yaml_node_t *m, est_workload *w)
{
	yaml_node_t *demand = est_ydoc_get(l->doc, m, "demand");
	yaml_node_t *users = est_ydoc_get(l->doc, m, "users");
	yaml_node_t *per = est_ydoc_get(l->doc, m, "requests_per_user");
	double n_users = 0, rate = 0;
	int rc;

	if (demand && (users || per))
		return est_ydoc_fail(l->doc, users ? users : per, l->err,
				     "give either 'demand' or 'users' with 'requests_per_user', not both");
	if (!demand && !(users && per))
		return est_ydoc_fail(l->doc, m, l->err,
				     "workload '%s' needs 'demand' (e.g. 2000/day) or 'users' and 'requests_per_user'",
				     w->name);
	if (demand) {
		rc = est_ydoc_quantity(l->doc, m, "demand", "/day", 1, &w->requests_per_day, NULL, l->err);
		if (rc == 0)
			rc = range(l, m, "demand", w->requests_per_day, 0, 1e300, "zero or more");
		return rc;
	}
	rc = est_ydoc_quantity(l->doc, m, "users", "1", 1, &w->users, NULL, l->err);
	if (rc == 0)
		rc = range(l, m, "users", w->users, 0, 1e300, "zero or more");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "requests_per_user", "/day", 1, &w->requests_per_user, NULL, l->err);
	if (rc == 0)
		rc = range(l, m, "requests_per_user", w->requests_per_user, 0, 1e300, "zero or more");
	w->per_user = 1;
	w->requests_per_day = w->users * w->requests_per_user;
	(void)n_users;
	(void)rate;
	return rc;
}

/*
 * `model:` names a record by id, or a model by name. A name that several
 * records share (studies, serving configurations, GPUs) resolves to the one
 * measured on the deployment accelerator when that is unique; otherwise the
 * scenario must name a record id. Leaves w->model NULL when nothing matches.
 */
static int resolve_model(sloader *l, const yaml_node_t *m, est_workload *w, const char *model)
{
	const est_task *t = w->task;
	const est_accelerator *acc = l->s->server->accelerator;
	const est_model_profile *named = NULL, *on_acc = NULL;
	size_t i, n_named = 0, n_on_acc = 0;
	char ids[320] = "";
	size_t used = 0;

	for (i = 0; i < t->n_models; i++)
		if (!strcmp(t->models[i].id, model)) {
			w->model = &t->models[i];
			return 0;
		}
	for (i = 0; i < t->n_models; i++) {
		const est_model_profile *r = &t->models[i];
		if (strcmp(r->model, model))
			continue;
		named = r;
		n_named++;
		if (r->hardware == acc) {
			on_acc = r;
			n_on_acc++;
		}
		if (used < sizeof(ids) - 1)
			used += (size_t)snprintf(ids + used, sizeof(ids) - used, "%s%s",
						 n_named > 1 ? ", " : "", r->id);
	}
	if (n_named == 1 || n_on_acc == 1) {
		w->model = n_named == 1 ? named : on_acc;
		return 0;
	}
	if (n_named == 0)
		return 0;
	if (used >= sizeof(ids) - 1)
		snprintf(ids + sizeof(ids) - 5, 5, "...");
	return est_ydoc_fail_key(l->doc, m, "model", l->err,
				 "model '%s' has %zu records in %s (%s); name one by its id",
				 model, n_named, t->id, ids);
}

static int load_workload(sloader *l, const yaml_node_t *m, est_workload *w, size_t index)
{
	static const char *const keys[] = {"name", "task", "model", "demand", "users",
					   "requests_per_user", "growth", "peak_to_average",
					   "output_size", "log_size", "retention", "transfer",
					   "weights", "energy_per_inference", "time_per_inference",
					   "hardware_energy_factor", "hardware_time_factor", NULL};
	const est_constants *c = est_profiles_constants(l->p);
	const char *name = NULL, *task = NULL, *model = NULL;
	char kind[80];
	int rc;

	w->line = (int)m->start_mark.line + 1;
	w->column = (int)m->start_mark.column + 1;
	rc = est_ydoc_expect_map(l->doc, m, "a workload", l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(l->doc, m, keys, "a workload", l->err);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, m, "name", 0, &name, l->err);
	if (rc < 0)
		return rc;
	if (name && strchr(name, '.'))
		return est_ydoc_fail_key(l->doc, m, "name", l->err,
					 "workload name '%s' must not contain '.' (it names output columns)", name);
	if (name) {
		w->name = strdup(name);
	} else {
		char fallback[32];
		snprintf(fallback, sizeof(fallback), "workload-%zu", index + 1);
		w->name = strdup(fallback);
	}
	if (!w->name)
		return oom(l);
	set_section(l, "workloads", w->name);
	rc = est_ydoc_string(l->doc, m, "task", 1, &task, l->err);
	if (rc == 0 && !(w->task = est_profiles_task(l->p, task)))
		rc = unknown(l, m, "task", "task", task);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, m, "model", 0, &model, l->err);
	if (rc == 0 && model)
		rc = resolve_model(l, m, w, model);
	if (rc == 0 && model && !w->model) {
		snprintf(kind, sizeof(kind), "model:%s", w->task->id);
		rc = unknown(l, m, "model", kind, model);
	}
	if (rc == 0)
		rc = load_demand(l, m, w);
	if (rc < 0)
		return rc;
	w->peak_to_average = 1;
	w->retention_years = 1;
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "growth", "1", 0, &w->growth, NULL, l->err);
	if (rc == 0)
		rc = range(l, m, "growth", w->growth, -0.99, 100, "between -99% and 10000%");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "peak_to_average", "1", 0, &w->peak_to_average, NULL, l->err);
	if (rc == 0)
		rc = range(l, m, "peak_to_average", w->peak_to_average, 1, 1000, "between 1 and 1000");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "output_size", "B", 0, &w->output_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "output_size", w->output_bytes);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "log_size", "B", 0, &w->log_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "log_size", w->log_bytes);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "retention", "years", 0, &w->retention_years, NULL, l->err);
	if (rc == 0)
		rc = range(l, m, "retention", w->retention_years, 0, 1000, "zero or more");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "transfer", "B", 0, &w->transfer_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "transfer", w->transfer_bytes);
	w->weights_bytes = (w->model ? model_parameters(w->task, w->model)
				     : mean_task_parameters(w->task)) * c->bytes_per_parameter;
	if (rc == 0 && w->model && w->weights_bytes <= 0 && !est_ydoc_get(l->doc, m, "weights"))
		rc = note(l, "workload %s: parameters of %s unknown: weights storage 0; set weights",
			  w->name, w->model->model);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "weights", "B", 0, &w->weights_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "weights", w->weights_bytes);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "energy_per_inference", "Wh", 0, &w->energy_wh_override, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "energy_per_inference"))
		rc = range(l, m, "energy_per_inference", w->energy_wh_override, 1e-300, 1e300, "more than zero");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "time_per_inference", "s", 0, &w->time_s_override, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "time_per_inference"))
		rc = range(l, m, "time_per_inference", w->time_s_override, 1e-300, 1e300, "more than zero");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "hardware_energy_factor", "1", 0, &w->hardware_energy_factor, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "hardware_energy_factor"))
		rc = range(l, m, "hardware_energy_factor", w->hardware_energy_factor, 1e-6, 1e6, "more than zero");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "hardware_time_factor", "1", 0, &w->hardware_time_factor, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "hardware_time_factor"))
		rc = range(l, m, "hardware_time_factor", w->hardware_time_factor, 1e-6, 1e6, "more than zero");
	if (rc == 0 && w->model && !w->model->hardware &&
	    !(w->energy_wh_override > 0 && w->time_s_override > 0))
		rc = est_ydoc_fail_key(l->doc, m, "model", l->err,
				       "'%s' is a reference figure on unknown hardware: it cannot size capacity; give energy_per_inference and time_per_inference",
				       w->model->id);
	if (rc == 0 && !est_ydoc_get(l->doc, m, "peak_to_average"))
		rc = note(l, "workload %s: peak_to_average not given: 1 (no peak above the average)", w->name);
	if (rc == 0 && w->output_bytes + w->log_bytes > 0 && !est_ydoc_get(l->doc, m, "retention"))
		rc = note(l, "workload %s: retention not given: 1 year", w->name);
	return rc;
}

static int load_workloads(sloader *l)
{
	yaml_node_t *list = est_ydoc_get(l->doc, l->root, "workloads");
	est_scenario *s = l->s;
	size_t n, i, j;
	int rc;

	if (!list)
		return est_ydoc_fail(l->doc, l->root, l->err, "missing required key 'workloads'");
	rc = est_ydoc_expect_seq(l->doc, list, "workloads", l->err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	if (n == 0)
		return est_ydoc_fail(l->doc, list, l->err, "workloads must list at least one workload");
	s->workloads = calloc(n, sizeof(*s->workloads));
	if (!s->workloads)
		return oom(l);
	for (i = 0; i < n; i++) {
		yaml_node_t *m = est_ydoc_seq_at(l->doc, list, i);
		s->n_workloads = i + 1;
		rc = load_workload(l, m, &s->workloads[i], i);
		if (rc < 0)
			return rc;
		for (j = 0; j < i; j++)
			if (!strcmp(s->workloads[j].name, s->workloads[i].name))
				return est_ydoc_fail(l->doc, m, l->err, "duplicate workload name '%s'",
						     s->workloads[i].name);
	}
	return 0;
}

/* `measurements:` files relative to the scenario's folder, added to the library. */
static int load_measurements(sloader *l)
{
	yaml_node_t *list = est_ydoc_get(l->doc, l->root, "measurements");
	char **paths = NULL;
	const char *slash = strrchr(l->s->file, '/');
	int dir_len = slash ? (int)(slash - l->s->file) : 0;
	size_t n, i;
	int rc;

	if (!list)
		return 0;
	rc = est_ydoc_expect_seq(l->doc, list, "measurements", l->err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	paths = calloc(n ? n : 1, sizeof(*paths));
	if (!paths)
		return oom(l);
	for (i = 0; i < n && rc == 0; i++) {
		yaml_node_t *item = est_ydoc_seq_at(l->doc, list, i);
		const char *f = est_ydoc_text(item);
		size_t len;
		if (!f || !*f) {
			rc = est_ydoc_fail(l->doc, item, l->err, "a measurements entry must be a file name");
			break;
		}
		len = strlen(f) + (size_t)dir_len + 2;
		paths[i] = malloc(len);
		if (!paths[i]) {
			rc = oom(l);
			break;
		}
		if (f[0] == '/' || !slash)
			snprintf(paths[i], len, "%s", f);
		else
			snprintf(paths[i], len, "%.*s/%s", dir_len, l->s->file, f);
	}
	if (rc == 0)
		rc = est_profiles_extend(&l->s->extended, l->p, (const char *const *)paths, n, l->err);
	if (rc == 0)
		l->p = l->s->extended;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

static int load(sloader *l)
{
	static const char *const keys[] = {"version", "name", "description", "horizon", "site",
					   "existing", "deployment", "costs", "targets", "measurements",
					   "workloads", "variants", "uncertainty", NULL};
	est_scenario *s = l->s;
	const char *name = NULL, *description = NULL;
	int version = 1;
	int rc;

	l->root = est_ydoc_root(l->doc);
	rc = est_ydoc_expect_map(l->doc, l->root, "a scenario", l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(l->doc, l->root, keys, "the scenario", l->err);
	if (rc == 0)
		rc = est_ydoc_int(l->doc, l->root, "version", 0, 0, 1000000, &version, l->err);
	if (rc == 0 && version != 1)
		rc = est_ydoc_fail_key(l->doc, l->root, "version", l->err,
				       "scenario format version %d is not supported (this estimator reads version 1)",
				       version);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, l->root, "name", 1, &name, l->err);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, l->root, "description", 0, &description, l->err);
	if (rc < 0)
		return rc;
	s->name = strdup(name);
	s->description = strdup(description ? description : "");
	if (!s->name || !s->description)
		return oom(l);
	rc = load_measurements(l);
	if (rc == 0)
		rc = (set_section(l, "horizon", NULL), load_horizon(l));
	if (rc == 0)
		rc = (set_section(l, "site", NULL), load_site(l));
	if (rc == 0)
		rc = (set_section(l, "existing", NULL), load_existing(l));
	if (rc == 0)
		rc = (set_section(l, "deployment", NULL), load_deployment(l));
	if (rc == 0)
		rc = (set_section(l, "costs", NULL), load_costs(l));
	if (rc == 0)
		rc = (set_section(l, "targets", NULL), load_targets(l));
	if (rc == 0)
		rc = (set_section(l, "uncertainty", NULL), load_uncertainty(l));
	if (rc == 0)
		rc = load_workloads(l);
	return rc;
}

static int start(sloader *l, est_ydoc *doc, const est_profiles *p, est_error *err)
{
	memset(l, 0, sizeof(*l));
	l->doc = doc;
	doc->dist_hook = register_dist;
	doc->dist_ctx = l;
	l->p = p;
	l->err = err;
	l->s = calloc(1, sizeof(*l->s));
	if (!l->s)
		return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
	l->s->file = strdup(doc->file);
	if (!l->s->file)
		return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
	return 0;
}

/* One scenario from the document as it stands (overrides applied). */
static int load_one(est_ydoc *doc, const est_profiles *p, est_scenario **out, est_error *err)
{
	sloader l;
	int rc = start(&l, doc, p, err);

	if (rc == 0)
		rc = load(&l);
	doc->dist_hook = NULL; /* l dies here */
	doc->dist_ctx = NULL;
	if (rc < 0) {
		est_scenario_free(l.s);
		return rc;
	}
	*out = l.s;
	return 0;
}

/* The --set overrides: each value a scalar located at its place on the command line. */
static int apply_cli_overrides(est_ydoc *doc, const est_load_options *o, est_edit_log *log,
			       est_error *err)
{
	size_t i;

	for (i = 0; o && i < o->n_overrides; i++) {
		const est_override *ov = &o->overrides[i];
		est_ydoc_origin origin;
		int value, rc;

		memset(&origin, 0, sizeof(origin));
		snprintf(origin.file, sizeof(origin.file), "%s", ov->origin ? ov->origin : "--set");
		origin.line = ov->line;
		origin.column = ov->column;
		value = est_ydoc_add_scalar(doc, ov->value, &origin, NULL);
		if (value < 0)
			return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
		rc = est_override_apply(doc, ov->path, value, value, log, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void prefix_error(est_error *err, const char *variant)
{
	char msg[EST_ERROR_MESSAGE_MAX];

	/* a message cut at the buffer's end still says where and what */
	if (snprintf(msg, sizeof(msg), "variant '%s': %s", variant, err->message) >= (int)sizeof(msg))
		msg[sizeof(msg) - 1] = '\0';
	memcpy(err->message, msg, sizeof(err->message));
}

/* Each variant: its `set` applied over the base document, loaded, undone. */
static int load_variants(est_ydoc *doc, const est_profiles *p, est_scenario *base, est_error *err)
{
	static const char *const keys[] = {"name", "description", "set", NULL};
	yaml_node_t *list = est_ydoc_get(doc, est_ydoc_root(doc), "variants");
	est_edit_log log;
	size_t n, i, j;
	int rc;

	if (!list)
		return 0;
	memset(&log, 0, sizeof(log));
	rc = est_ydoc_expect_seq(doc, list, "variants", err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	base->variants = calloc(n ? n : 1, sizeof(*base->variants));
	if (!base->variants)
		return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
	for (i = 0; i < n && rc == 0; i++) {
		/* re-fetch: adding nodes may move the document's node array */
		yaml_node_t *v = est_ydoc_seq_at(doc, est_ydoc_get(doc, est_ydoc_root(doc), "variants"), i);
		yaml_node_t *set;
		const char *name = NULL, *description = NULL;
		est_scenario *vs = NULL;
		int n_pairs, k;

		rc = est_ydoc_expect_map(doc, v, "a variant", err);
		if (rc == 0)
			rc = est_ydoc_check_keys(doc, v, keys, "a variant", err);
		if (rc == 0)
			rc = est_ydoc_string(doc, v, "name", 1, &name, err);
		if (rc == 0)
			rc = est_ydoc_string(doc, v, "description", 0, &description, err);
		if (rc < 0)
			break;
		if (!strcmp(name, "base"))
			rc = est_ydoc_fail_key(doc, v, "name", err, "'base' names the scenario itself; pick another variant name");
		for (j = 0; j < base->n_variants && rc == 0; j++)
			if (!strcmp(base->variants[j]->variant, name))
				rc = est_ydoc_fail_key(doc, v, "name", err, "duplicate variant name '%s'", name);
		set = est_ydoc_get(doc, v, "set");
		if (rc == 0 && !set)
			rc = est_ydoc_fail(doc, v, err, "variant '%s' needs 'set': the inputs it changes", name);
		if (rc == 0)
			rc = est_ydoc_expect_map(doc, set, "set", err);
		if (rc < 0)
			break;
		n_pairs = (int)(set->data.mapping.pairs.top - set->data.mapping.pairs.start);
		if (n_pairs == 0) {
			rc = est_ydoc_fail(doc, set, err, "variant '%s' changes nothing", name);
			break;
		}
		{
			char vname[256], vdesc[512];
			int set_index = (int)(set - doc->doc.nodes.start) + 1;
			snprintf(vname, sizeof(vname), "%s", name);
			snprintf(vdesc, sizeof(vdesc), "%s", description ? description : "");
			for (k = 0; k < n_pairs && rc == 0; k++) {
				yaml_node_pair_t pair = est_ydoc_node(doc, set_index)->data.mapping.pairs.start[k];
				const char *path = est_ydoc_text(est_ydoc_node(doc, pair.key));
				char path_copy[256];
				if (!path) {
					rc = est_ydoc_fail(doc, est_ydoc_node(doc, pair.key), err, "a path must be a plain key");
					break;
				}
				snprintf(path_copy, sizeof(path_copy), "%s", path);
				rc = est_override_apply(doc, path_copy, pair.value, pair.key, &log, err);
			}
			if (rc == 0)
				rc = load_one(doc, p, &vs, err);
			est_override_undo(doc, &log);
			if (rc < 0) {
				prefix_error(err, vname);
				break;
			}
			vs->variant = strdup(vname);
			vs->variant_description = strdup(vdesc);
			base->variants[base->n_variants++] = vs;
			if (!vs->variant || !vs->variant_description)
				rc = est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
			if (rc == 0 && strcmp(vs->currency, base->currency))
				rc = est_ydoc_fail(doc, v, err,
						   "variant '%s' reports costs in %s, the scenario in %s: variants must share the currency",
						   vname, vs->currency, base->currency);
		}
	}
	est_edit_log_dispose(&log);
	return rc;
}

static int load_document(est_ydoc *doc, est_scenario **out, const est_profiles *p,
			 const est_load_options *o, est_error *err)
{
	est_edit_log log;
	est_scenario *base = NULL;
	int rc;

	memset(&log, 0, sizeof(log));
	rc = apply_cli_overrides(doc, o, &log, err);
	if (rc == 0)
		rc = load_one(doc, p, &base, err);
	if (rc == 0 && !(o && o->base_only))
		rc = load_variants(doc, p, base, err);
	est_edit_log_dispose(&log);
	est_ydoc_dispose(doc);
	if (rc < 0) {
		est_scenario_free(base);
		return rc;
	}
	*out = base;
	return 0;
}

int est_scenario_load_with(est_scenario **out, const char *path, const est_profiles *p,
			   const est_load_options *o, est_error *err)
{
	est_ydoc doc;
	int rc;

	assert(out && path && p);
	*out = NULL;
	rc = est_ydoc_load_file(&doc, path, err);
	if (rc < 0) {
		est_ydoc_dispose(&doc);
		return rc;
	}
	return load_document(&doc, out, p, o, err);
}

int est_scenario_load_buffer_with(est_scenario **out, const char *name, const char *data,
				  size_t len, const est_profiles *p, const est_load_options *o,
				  est_error *err)
{
	est_ydoc doc;
	int rc;

	assert(out && name && (data || !len) && p);
	*out = NULL;
	rc = est_ydoc_load_buffer(&doc, name, data, len, err);
	if (rc < 0) {
		est_ydoc_dispose(&doc);
		return rc;
	}
	return load_document(&doc, out, p, o, err);
}

int est_scenario_load(est_scenario **out, const char *path, const est_profiles *p,
		      est_error *err)
{
	return est_scenario_load_with(out, path, p, NULL, err);
}

int est_scenario_load_buffer(est_scenario **out, const char *name, const char *data,
			     size_t len, const est_profiles *p, est_error *err)
{
	return est_scenario_load_buffer_with(out, name, data, len, p, NULL, err);
}

void est_scenario_free(est_scenario *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_workloads; i++)
		free(s->workloads[i].name);
	free(s->workloads);
	for (i = 0; i < s->n_notes; i++)
		free(s->notes[i]);
	free(s->notes);
	for (i = 0; i < s->n_uncertain; i++) {
		free(s->uncertain[i].path);
		est_dist_dispose(&s->uncertain[i].dist);
	}
	free(s->uncertain);
	for (i = 0; i < s->n_variants; i++)
		est_scenario_free(s->variants[i]);
	free(s->variants);
	free(s->variant);
	free(s->variant_description);
	free(s->file);
	free(s->name);
	free(s->description);
	est_profiles_free(s->extended);
	free(s);
}
