/*
 * The scenario document's top level and its sections: horizon, site,
 * existing, deployment, targets and uncertainty (costs and workloads have
 * files of their own); one scenario loaded from a document (est_sl__load_one).
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

static int load_horizon(sloader *l)
{
	static const char *const keys[] = {"start_year", "years", NULL};
	yaml_node_t *h;
	int rc = est_sl__section(l, l->root, "horizon", keys, 1, &h);

	if (rc == 0)
		rc = est_ydoc_int(l->doc, h, "start_year", 1, 1900, 2200, &l->s->start_year, l->err);
	l->s->years = 5;
	if (rc == 0 && !est_ydoc_get(l->doc, h, "years"))
		rc = est_sl__note(l, "horizon.years not given: 5 years");
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

	if (l->s->terse)
		return 0; /* no notes: nothing to format */
	if (!est_ydoc_get(l->doc, site, "pue"))
		n += (size_t)snprintf(taken + n, sizeof(taken) - n, ", pue %g", f->pue);
	if (!est_ydoc_get(l->doc, site, "wue") && n < sizeof(taken))
		n += (size_t)snprintf(taken + n, sizeof(taken) - n, ", wue %g L/kWh", f->wue_l_per_kwh);
	if (!est_ydoc_get(l->doc, site, "rack_power") && n < sizeof(taken))
		n += (size_t)snprintf(taken + n, sizeof(taken) - n, ", rack power %g kW", f->rack_power_kw);
	if (n == 0)
		return 0;
	return est_sl__note(l, "from facility class %s%s", f->id, taken);
}

/*
 * The market-based residual mix (docs/model.md section 7): the scenario's, or
 * the grid's where its issuing body publishes one; none means the grid average.
 */
static int load_residual(sloader *l, const yaml_node_t *site)
{
	est_scenario *s = l->s;
	int rc = 0;

	if (est_sl__is_table(l, site, "residual_mix")) {
		rc = est_sl__path(l, site, "residual_mix", "g/kWh", 0, 1e6, &s->residual_path, NULL);
		s->residual_g_per_kwh = est_path_at(&s->residual_path, 0, s->start_year);
		s->residual_origin = "set by the scenario";
		return rc;
	}
	if (est_ydoc_get(l->doc, site, "residual_mix")) {
		rc = est_ydoc_quantity(l->doc, site, "residual_mix", "g/kWh", 1, &s->residual_g_per_kwh, NULL, l->err);
		if (rc == 0)
			rc = NONNEG(l, site, "residual_mix", s->residual_g_per_kwh, "g/kWh");
		s->residual_origin = "set by the scenario";
		return rc;
	}
	if (s->grid->residual_g_per_kwh > 0) {
		s->residual_g_per_kwh = s->grid->residual_g_per_kwh;
		s->residual_origin = "the grid's";
		return est_sl__inherit(l, &s->residual_g_per_kwh, EST_RECORD_GRID, s->grid->id,
				       offsetof(est_grid, residual_g_per_kwh), 1, 0, HUGE_VAL, "site.residual_mix");
	}
	rc = est_sl__note(l, "no residual mix is published for grid %s: the market-based figure uses the grid average",
			  s->grid->id);
	return rc;
}

static int load_site(sloader *l)
{
	static const char *const keys[] = {"grid", "facility", "carbon_intensity", "residual_mix",
					   "renewable_share", "pue", "wue", "electricity_water",
					   "rack_power", NULL};
	est_scenario *s = l->s;
	yaml_node_t *site;
	const char *grid = NULL;
	const char *facility = s->mode == EST_MODE_COLOCATION ? "colocation"
			       : s->mode == EST_MODE_CLOUD  ? "hyperscale"
							     : "enterprise";
	char region_grid[160];
	int cloud = s->mode == EST_MODE_CLOUD;
	int rc = est_sl__section(l, l->root, "site", keys, !cloud, &site);

	if (rc == 0)
		rc = est_ydoc_string(l->doc, site, "grid", !cloud, &grid, l->err);
	if (rc == 0 && cloud && !grid) {
		/* the instance's region is the grid */
		snprintf(region_grid, sizeof(region_grid), "%s/%s", s->instance->provider->id,
			 s->cloud_region);
		grid = region_grid;
		if (!(s->grid = est_profiles_grid(l->p, grid)))
			return est_ydoc_fail(l->doc, site ? site : l->root, l->err,
					     "no grid '%s' in the profiles for the cloud region; set site.grid",
					     grid);
		rc = est_sl__note(l, "site.grid not given: %s, the instance's region", grid);
	} else if (rc == 0 && !(s->grid = est_profiles_grid(l->p, grid))) {
		rc = est_sl__unknown(l, site, "grid", "grid", grid);
	}
	if (rc == 0 && !cloud && !est_ydoc_get(l->doc, site, "facility"))
		rc = est_sl__note(l, "site.facility not given: %s (deployment.mode %s)", facility,
				  est_mode_name(s->mode));
	if (rc == 0)
		rc = est_ydoc_string(l->doc, site, "facility", 0, &facility, l->err);
	if (rc == 0 && !(s->facility = est_profiles_facility(l->p, facility)))
		rc = est_sl__unknown(l, site, "facility", "facility", facility);
	if (rc < 0)
		return rc;
	s->intensity_g_per_kwh = s->grid->intensity_g_per_kwh;
	s->pue = cloud ? s->instance->provider->pue : s->facility->pue;
	s->wue_l_per_kwh = cloud ? s->instance->provider->wue_l_per_kwh : s->facility->wue_l_per_kwh;
	s->rack_power_kw = s->facility->rack_power_kw;
	if (cloud && !(site && est_ydoc_get(l->doc, site, "pue")))
		rc = est_sl__note(l, "site.pue and site.wue not given: provider %s, %g and %g L/kWh",
				  s->instance->provider->id, s->instance->provider->pue,
				  s->instance->provider->wue_l_per_kwh);
	if (rc < 0)
		return rc;
	if (!est_ydoc_get(l->doc, site, "carbon_intensity"))
		rc = est_sl__note(l, "site.carbon_intensity not given: grid %s, %g g/kWh (%d)", s->grid->id,
			  s->grid->intensity_g_per_kwh, s->grid->year);
	if (rc == 0 && !cloud)
		rc = facility_note(l, site);
	if (rc < 0)
		return rc;
	s->intensity_given = est_ydoc_get(l->doc, site, "carbon_intensity") != NULL;
	if (est_sl__is_table(l, site, "carbon_intensity")) {
		rc = est_sl__path(l, site, "carbon_intensity", "g/kWh", 0, 1e6, &s->intensity_path, NULL);
		s->intensity_g_per_kwh = est_path_at(&s->intensity_path, 0, s->start_year);
	} else {
		rc = est_ydoc_quantity(l->doc, site, "carbon_intensity", "g/kWh", 0, &s->intensity_g_per_kwh,
				       NULL, l->err);
		if (rc == 0)
			rc = NONNEG(l, site, "carbon_intensity", s->intensity_g_per_kwh, "g/kWh");
	}
	if (rc == 0)
		rc = load_residual(l, site);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "renewable_share", EST_UNIT_SHARE, 0, &s->renewable_share, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, site, "renewable_share", s->renewable_share, 0, 1, "%");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "pue", "1", 0, &s->pue, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, site, "pue", s->pue, 1, 10, "");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "wue", "L/kWh", 0, &s->wue_l_per_kwh, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, site, "wue", s->wue_l_per_kwh, "L/kWh");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "electricity_water", "L/kWh", 0,
				       &s->electricity_water_l_per_kwh, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, site, "electricity_water", s->electricity_water_l_per_kwh, "L/kWh");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, site, "rack_power", "kW", 0, &s->rack_power_kw, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, site, "rack_power", s->rack_power_kw, 1e-9, EST_SL_MAX, "kW");
	if (rc == 0 && !est_ydoc_get(l->doc, site, "carbon_intensity"))
		rc = est_sl__inherit(l, &s->intensity_g_per_kwh, EST_RECORD_GRID, s->grid->id,
			     offsetof(est_grid, intensity_g_per_kwh), 1, 0, HUGE_VAL, "site.carbon_intensity");
	if (rc == 0 && !cloud && !est_ydoc_get(l->doc, site, "pue"))
		rc = est_sl__inherit(l, &s->pue, EST_RECORD_FACILITY, s->facility->id, offsetof(est_facility, pue), 1,
			     1, 10, "site.pue");
	if (rc == 0 && !cloud && !est_ydoc_get(l->doc, site, "wue"))
		rc = est_sl__inherit(l, &s->wue_l_per_kwh, EST_RECORD_FACILITY, s->facility->id,
			     offsetof(est_facility, wue_l_per_kwh), 1, 0, HUGE_VAL, "site.wue");
	if (rc == 0 && !est_ydoc_get(l->doc, site, "rack_power"))
		rc = est_sl__inherit(l, &s->rack_power_kw, EST_RECORD_FACILITY, s->facility->id,
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
			rc = est_sl__range(l, map, key, *out, (double)lo, (double)hi, "");
		if (rc == 0) {
			est_uncertain *u = est_sl__uncertain_at(l, out);
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
	int rc = est_sl__section(l, l->root, "existing", keys, 0, &e);

	if (rc < 0 || !e)
		return rc;
	s->has_existing = 1;
	rc = count(l, e, "servers", 0, 1000000, &s->existing_servers);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, e, "storage", "TB", 0, &s->existing_storage_tb, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, e, "storage", s->existing_storage_tb, "TB");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, e, "power", "kW", 0, &s->existing_power_kw, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, e, "power", s->existing_power_kw, "kW");
	if (rc == 0)
		rc = count(l, e, "racks", 0, 1000000, &s->existing_racks);
	return rc;
}

static int load_deployment(sloader *l)
{
	static const char *const keys[] = {"mode", "cloud", "accelerator", "server", "utilisation",
					   "spare_servers", "lifetime", "storage", "replication",
					   "datasets", "gpu_to_node", "storage_unit", "power_step",
					   NULL};
	est_scenario *s = l->s;
	const est_constants *c = est_profiles_constants(l->p);
	const est_accelerator *acc = NULL;
	const char *acc_id = NULL, *srv_id = NULL, *storage = "ssd";
	yaml_node_t *d;
	int rc = est_sl__section(l, l->root, "deployment", keys, 1, &d);

	if (rc == 0 && s->mode == EST_MODE_CLOUD) {
		rc = est_sl__cloud_deployment(l, d);
		if (rc < 0)
			return rc;
		acc = s->server->accelerator;
		goto chosen;
	}
	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "accelerator", 0, &acc_id, l->err);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "server", 0, &srv_id, l->err);
	if (rc < 0)
		return rc;
	if (!acc_id && !srv_id)
		return est_ydoc_fail(l->doc, d, l->err, "deployment needs an 'accelerator' or a 'server'");
	if (acc_id && !(acc = est_profiles_accelerator(l->p, acc_id)))
		return est_sl__unknown(l, d, "accelerator", "accelerator", acc_id);
	if (srv_id) {
		if (!(s->server = est_profiles_server(l->p, srv_id)))
			return est_sl__unknown(l, d, "server", "server", srv_id);
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
		rc = est_sl__note(l, "deployment.server not given: %s (%d x %s)", s->server->id,
			  s->server->accelerators, acc->id);
	}
chosen:
	if (rc < 0)
		return rc;
	s->utilisation = c->default_utilisation;
	s->gpu_to_node = c->gpu_to_node;
	s->lifetime_years = s->server->lifetime_years;
	s->replication = c->default_replication;
	if (rc == 0 && !est_ydoc_get(l->doc, d, "utilisation"))
		rc = est_sl__note(l, "deployment.utilisation not given: %g%% (profiles constants)", c->default_utilisation * 100);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "utilisation", EST_UNIT_SHARE, 0, &s->utilisation, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, d, "utilisation", s->utilisation, 1e-6, 1, "%");
	if (rc == 0)
		rc = count(l, d, "spare_servers", 0, 100000, &s->spare_servers);
	if (rc == 0 && !est_ydoc_get(l->doc, d, "lifetime"))
		rc = est_sl__note(l, "deployment.lifetime not given: %g years (%s)", s->lifetime_years, s->server->id);
	if (rc == 0 && !est_ydoc_get(l->doc, d, "storage"))
		rc = est_sl__note(l, "deployment.storage not given: ssd");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "lifetime", "years", 0, &s->lifetime_years, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, d, "lifetime", s->lifetime_years, 1e-6, 100, "years");
	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "storage", 0, &storage, l->err);
	if (rc == 0 && !(s->storage = est_profiles_storage(l->p, storage)))
		rc = est_sl__unknown(l, d, "storage", "storage", storage);
	if (rc == 0 && !est_ydoc_get(l->doc, d, "replication"))
		rc = est_sl__note(l, "deployment.replication not given: %g copies (profiles constants)", c->default_replication);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "replication", "1", 0, &s->replication, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, d, "replication", s->replication, 1, 100, "");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "gpu_to_node", "1", 0, &s->gpu_to_node, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, d, "gpu_to_node", s->gpu_to_node, 1, 10, "");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "gpu_to_node"))
		rc = est_sl__inherit(l, &s->gpu_to_node, EST_RECORD_KINDS, "constants",
			     offsetof(est_constants, gpu_to_node), 1, 1, 10, "deployment.gpu_to_node");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "utilisation"))
		rc = est_sl__inherit(l, &s->utilisation, EST_RECORD_KINDS, "constants",
			     offsetof(est_constants, default_utilisation), 1, 1e-6, 1, "deployment.utilisation");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "replication"))
		rc = est_sl__inherit(l, &s->replication, EST_RECORD_KINDS, "constants",
			     offsetof(est_constants, default_replication), 1, 1, 100, "deployment.replication");
	if (rc == 0 && !est_ydoc_get(l->doc, d, "lifetime"))
		rc = est_sl__inherit(l, &s->lifetime_years, EST_RECORD_SERVER, s->server->id,
			     offsetof(est_server, lifetime_years), 1, 1e-6, 100, "deployment.lifetime");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "datasets", "TB", 0, &s->datasets_tb, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, d, "datasets", s->datasets_tb, "TB");
	if (rc == 0)
		rc = est_sl__load_units(l, d);
	return rc;
}

/* `uncertainty: {samples, seed}`: the Monte Carlo defaults of `run`. */
static int load_uncertainty(sloader *l)
{
	static const char *const keys[] = {"samples", "seed", NULL};
	est_scenario *s = l->s;
	yaml_node_t *u;
	long long v = 0;
	int rc = est_sl__section(l, l->root, "uncertainty", keys, 0, &u);

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
	int rc = est_sl__section(l, l->root, "targets", keys, 0, &t);

	if (rc < 0 || !t)
		return rc;
	s->has_target = 1;
	s->include_embodied = 1;
	rc = est_ydoc_quantity(l->doc, t, "emissions_budget", "kg", 1, &s->budget_kg, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, t, "emissions_budget", s->budget_kg, "kg");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, t, "reduction", EST_UNIT_SHARE, 0, &s->reduction_per_year, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, t, "reduction", s->reduction_per_year, 0, 1, "%");
	if (rc == 0)
		rc = est_ydoc_string(l->doc, t, "basis", 0, &basis, l->err);
	if (rc == 0 && strcmp(basis, "market") && strcmp(basis, "location"))
		rc = est_ydoc_fail_key(l->doc, t, "basis", l->err, "basis must be market or location, got '%s'", basis);
	if (rc == 0)
		rc = est_ydoc_bool(l->doc, t, "include_embodied", &s->include_embodied, l->err);
	if (rc == 0 && !est_ydoc_get(l->doc, t, "basis"))
		rc = est_sl__note(l, "targets.basis not given: market");
	if (rc == 0 && !est_ydoc_get(l->doc, t, "include_embodied"))
		rc = est_sl__note(l, "targets.include_embodied not given: true");
	s->basis = strcmp(basis, "location") ? EST_BASIS_MARKET : EST_BASIS_LOCATION;
	return rc;
}

static int load(sloader *l)
{
	static const char *const keys[] = {"version", "name", "description", "horizon", "site",
					   "existing", "deployment", "costs", "targets", "measurements",
					   "workloads", "variants", "uncertainty", "report", NULL};
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
		return est_sl__oom(l);
	rc = est_sl__load_measurements(l);
	if (rc == 0)
		rc = (est_sl__set_section(l, "horizon", NULL), load_horizon(l));
	if (rc == 0)
		rc = est_sl__load_mode(l);
	if (rc == 0)
		rc = (est_sl__set_section(l, "site", NULL), load_site(l));
	if (rc == 0)
		rc = (est_sl__set_section(l, "existing", NULL), load_existing(l));
	if (rc == 0)
		rc = (est_sl__set_section(l, "deployment", NULL), load_deployment(l));
	if (rc == 0)
		rc = (est_sl__set_section(l, "costs", NULL), est_sl__load_costs(l));
	if (rc == 0)
		rc = est_sl__greenfield_note(l);
	if (rc == 0)
		rc = (est_sl__set_section(l, "targets", NULL), load_targets(l));
	if (rc == 0)
		rc = (est_sl__set_section(l, "uncertainty", NULL), load_uncertainty(l));
	if (rc == 0)
		rc = (est_sl__set_section(l, "report", NULL), est_sl__load_report(l));
	if (rc == 0)
		rc = est_sl__load_workloads(l);
	return rc;
}

static int start(sloader *l, est_ydoc *doc, const est_profiles *p, int terse, est_error *err)
{
	memset(l, 0, sizeof(*l));
	l->doc = doc;
	doc->dist_hook = est_sl__register_dist;
	doc->dist_ctx = l;
	l->p = p;
	l->err = err;
	l->s = calloc(1, sizeof(*l->s));
	if (!l->s)
		return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
	l->s->terse = terse;
	l->s->file = strdup(doc->file);
	if (!l->s->file)
		return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
	return 0;
}

/* One scenario from the document as it stands (overrides applied). */
int est_sl__load_one(est_ydoc *doc, const est_profiles *p, int terse, est_scenario **out,
		     est_error *err)
{
	sloader l;
	int rc = start(&l, doc, p, terse, err);

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
