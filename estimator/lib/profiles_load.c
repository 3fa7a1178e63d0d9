/*
 * Loading the profile library from its directory of YAML files
 * (docs/profiles.md): sources first, then the records that cite them.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiles_loader.h"

static int load_sources(est_pl *l)
{
	static const char *const top[] = {"sources", NULL};
	yaml_node_t *list;
	est_profiles *lib = l->lib;
	size_t n;
	int rc = est_pl__top_list(l, "sources", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->sources = calloc(n ? n : 1, sizeof(*lib->sources));
	if (!lib->sources)
		return est_pl__oom(l);
	rc = est_pl__source_list(l, list, lib->sources, n);
	if (rc == 0)
		lib->n_sources = n;
	return rc;
}

/* embodied_range: {low, high, source, notes}, the spread across LCAs. */
static int embodied_range(est_pl *l, const yaml_node_t *r, est_accelerator *a)
{
	static const char *const keys[] = {"low", "high", "source", "notes", NULL};
	yaml_node_t *n;
	int rc = est_pl__map(l, r, "embodied_range", keys, 0, &n);

	if (rc < 0 || !n)
		return rc;
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, n, "low", "kg", 1, &a->embodied_low_kg, NULL, l->err);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, n, "high", "kg", 1, &a->embodied_high_kg, NULL, l->err);
	if (rc == 0 && (a->embodied_low_kg <= 0 || a->embodied_high_kg < a->embodied_low_kg))
		rc = est_ydoc_fail(&l->doc, n, l->err, "embodied_range needs 0 < low <= high");
	if (rc == 0)
		rc = est_pl__sources(l, n, "source", 1, &a->embodied_range_sources);
	a->embodied_range_notes = est_pl__dup_text(l, n, "notes");
	return rc;
}

/* A record's `aliases:` list of names into *out and *n_out. */
static int aliases(est_pl *l, const yaml_node_t *r, const char *const **out, size_t *n_out)
{
	yaml_node_t *n = est_ydoc_get(&l->doc, r, "aliases");
	const char **names;
	size_t count, i;
	int rc;

	if (!n)
		return 0;
	rc = est_ydoc_expect_seq(&l->doc, n, "aliases", l->err);
	if (rc < 0)
		return rc;
	count = est_ydoc_seq_len(n);
	names = est_profiles__own(l->lib, calloc(count ? count : 1, sizeof(*names)));
	if (!names)
		return est_pl__oom(l);
	for (i = 0; i < count; i++) {
		yaml_node_t *item = est_ydoc_seq_at(&l->doc, n, i);
		const char *t = est_ydoc_text(item);
		if (!t || !*t)
			return est_ydoc_fail(&l->doc, item, l->err, "an alias must be a name");
		names[i] = est_profiles__strdup(l->lib, t);
		if (!names[i])
			return est_pl__oom(l);
	}
	*out = names;
	*n_out = count;
	return 0;
}

static int load_accelerators(est_pl *l)
{
	static const char *const top[] = {"accelerators", NULL};
	static const char *const keys[] = {"id", "name", "max_power", "idle_power", "memory",
					   "relative_energy", "conversion_basis", "embodied",
					   "embodied_range", "aliases", "source", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i;
	int rc = est_pl__top_list(l, "accelerators", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->accelerators = calloc(n ? n : 1, sizeof(*lib->accelerators));
	if (!lib->accelerators)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_accelerator *a = &lib->accelerators[i];
		rc = est_pl__record(l, list, i, keys, "an accelerator", &r, &a->id);
		lib->n_accelerators = i + 1;
		est_pl__record_context(l, EST_RECORD_ACCELERATOR, a, sizeof(*a), a->id);
		if (rc == 0 && est_profiles_accelerator(lib, a->id) != a)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate accelerator id '%s'", a->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &a->name, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "max_power", "W", 1, &a->max_power_w, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "max_power", a->max_power_w, 0);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "idle_power", "W", 1, &a->idle_power_w, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "idle_power", a->idle_power_w, 1);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "memory", "GB", 0, &a->memory_gb, NULL, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "relative_energy", "1", 1, &a->relative_energy, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "relative_energy", a->relative_energy, 0);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "embodied", "kg", 0, &a->embodied_kg, NULL, l->err);
		if (rc == 0)
			rc = embodied_range(l, r, a);
		if (rc == 0)
			rc = aliases(l, r, &a->aliases, &a->n_aliases);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &a->sources);
		if (rc < 0)
			return rc;
		a->name = est_pl__dup_text(l, r, "name");
		a->conversion_basis = est_pl__dup_text(l, r, "conversion_basis");
		a->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

/*
 * The server power model (docs/model.md, section 5) needs the nameplate to
 * cover the host's idle and every accelerator at its maximum.
 */
static int server_power_fits(est_pl *l, const yaml_node_t *r, const est_server *s)
{
	double need = s->host_idle_w + s->accelerators * s->accelerator->max_power_w;

	if (s->max_power_kw * 1000.0 + 1e-9 < need)
		return est_ydoc_fail_key(&l->doc, r, "max_power", l->err,
					 "max_power %g W is below host_idle plus %d x %g W of accelerators (%g W)",
					 s->max_power_kw * 1000.0, s->accelerators,
					 s->accelerator->max_power_w, need);
	return 0;
}

static int load_servers(est_pl *l)
{
	static const char *const top[] = {"servers", NULL};
	static const char *const keys[] = {"id", "name", "accelerator", "accelerators",
					   "max_power", "host_idle", "rack_units", "embodied", "lifetime",
					   "price", "price_verified", "source", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i;
	int rc = est_pl__top_list(l, "servers", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->servers = calloc(n ? n : 1, sizeof(*lib->servers));
	if (!lib->servers)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_server *s = &lib->servers[i];
		const char *acc = NULL;
		rc = est_pl__record(l, list, i, keys, "a server", &r, &s->id);
		lib->n_servers = i + 1;
		est_pl__record_context(l, EST_RECORD_SERVER, s, sizeof(*s), s->id);
		if (rc == 0 && est_profiles_server(lib, s->id) != s)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate server id '%s'", s->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &s->name, l->err);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "accelerator", 1, &acc, l->err);
		if (rc == 0 && !(s->accelerator = est_profiles_accelerator(lib, acc)))
			rc = est_ydoc_fail_key(&l->doc, r, "accelerator", l->err, "unknown accelerator '%s'", acc);
		if (rc == 0)
			rc = est_ydoc_int(&l->doc, r, "accelerators", 1, 1, 1024, &s->accelerators, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "max_power", "kW", 1, &s->max_power_kw, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "max_power", s->max_power_kw, 0);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "host_idle", "W", 1, &s->host_idle_w, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "host_idle", s->host_idle_w, 1);
		if (rc == 0)
			rc = server_power_fits(l, r, s);
		if (rc == 0)
			rc = est_ydoc_int(&l->doc, r, "rack_units", 1, 1, 64, &s->rack_units, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "embodied", "kg", 1, &s->embodied_kg, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "embodied", s->embodied_kg, 1);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "lifetime", "years", 1, &s->lifetime_years, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "lifetime", s->lifetime_years, 0);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "price", "CUR", 0, &s->price, s->currency, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "price", s->price, 1);
		if (rc == 0) {
			int verified = 1;
			rc = est_ydoc_bool(&l->doc, r, "price_verified", &verified, l->err);
			s->price_unverified = !verified;
		}
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &s->sources);
		if (rc < 0)
			return rc;
		s->name = est_pl__dup_text(l, r, "name");
		s->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

static int grid_kind(est_pl *l, const yaml_node_t *r, est_grid *g)
{
	static const char *const names[] = {"country", "region", "subnational", "cloud"};
	int v = EST_GRID_COUNTRY;
	int rc = est_ydoc_choice(&l->doc, r, "kind", 0, names, 4, &v, l->err);

	if (rc < 0)
		return rc;
	g->kind = (est_grid_kind)v;
	if (g->kind == EST_GRID_CLOUD && !est_ydoc_get(&l->doc, r, "provider"))
		return est_ydoc_fail(&l->doc, r, l->err, "a cloud grid needs a 'provider'");
	return 0;
}

/* The factor's scope and the market-based residual mix, when published. */
static int grid_residual(est_pl *l, const yaml_node_t *r, est_grid *g)
{
	static const char *const scopes[] = {"life-cycle", "combustion", "not-stated"};
	int scope = 2;
	int rc = est_ydoc_choice(&l->doc, r, "scope", 0, scopes, 3, &scope, l->err);

	g->scope = scopes[scope];
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "residual_mix", "g/kWh", 0, &g->residual_g_per_kwh, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "residual_mix", g->residual_g_per_kwh, 1);
	if (rc == 0 && !est_ydoc_get(&l->doc, r, "residual_mix") && est_ydoc_get(&l->doc, r, "residual_year"))
		rc = est_ydoc_fail_key(&l->doc, r, "residual_year", l->err, "residual_year without residual_mix");
	if (rc == 0)
		rc = est_ydoc_int(&l->doc, r, "residual_year", g->residual_g_per_kwh > 0, 1990, 2100,
				  &g->residual_year, l->err);
	if (rc == 0)
		rc = est_pl__sources(l, r, "residual_source", g->residual_g_per_kwh > 0, &g->residual_sources);
	return rc;
}

static int load_grids(est_pl *l)
{
	static const char *const top[] = {"grids", NULL};
	static const char *const keys[] = {"id", "name", "kind", "provider", "basis", "intensity",
					   "year", "source", "scope", "price", "price_period", "price_source",
					   "residual_mix", "residual_year", "residual_source", "aliases", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i, base = lib->n_grids;
	est_grid *grown;
	int rc = est_pl__top_list(l, "grids", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	grown = realloc(lib->grids, (base + n + 1) * sizeof(*grown));
	if (!grown)
		return est_pl__oom(l);
	lib->grids = grown;
	memset(grown + base, 0, (n + 1) * sizeof(*grown));
	for (i = 0; i < n; i++) {
		est_grid *g = &lib->grids[base + i];
		rc = est_pl__record(l, list, i, keys, "a grid", &r, &g->id);
		lib->n_grids = base + i + 1;
		est_pl__record_context(l, EST_RECORD_GRID, g, sizeof(*g), g->id);
		if (rc == 0 && est_profiles_grid(lib, g->id) != g)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate grid id '%s'", g->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &g->name, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "intensity", "g/kWh", 1, &g->intensity_g_per_kwh, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "intensity", g->intensity_g_per_kwh, 1);
		if (rc == 0)
			rc = est_ydoc_int(&l->doc, r, "year", 1, 1990, 2100, &g->year, l->err);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &g->sources);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "price", "CUR/kWh", 0, &g->price_per_kwh, g->currency, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "price", g->price_per_kwh, 1);
		if (rc == 0)
			rc = est_pl__sources(l, r, "price_source", g->price_per_kwh > 0, &g->price_sources);
		if (rc == 0)
			rc = grid_residual(l, r, g);
		if (rc == 0)
			rc = aliases(l, r, &g->aliases, &g->n_aliases);
		if (rc < 0)
			return rc;
		rc = grid_kind(l, r, g);
		if (rc < 0)
			return rc;
		g->name = est_pl__dup_text(l, r, "name");
		g->price_period = est_pl__dup_text(l, r, "price_period");
		g->provider = est_pl__dup_text(l, r, "provider");
		g->basis = est_pl__dup_text(l, r, "basis");
		g->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

/*
 * The optional rent of power capacity (written per kW per month; any money
 * per power and time converts: 2208.72 USD/kW/year is 184.06 USD/kW/month)
 * and the step power upgrades are bought in. The model does not sample
 * them: a distribution is refused.
 */
static int facility_purchase(est_pl *l, const yaml_node_t *r, est_facility *f)
{
	int rc;

	est_pl__record_context(l, -1, NULL, 0, NULL);
	rc = est_pl__quantity_named(l, r, "price_per_kw_month", "CUR/kW/month", 0,
				    &f->price_per_kw_month, f->price_currency,
				    "a price per kW per month", "184.06 USD/kW/month");
	if (rc == 0)
		rc = est_pl__positive(l, r, "price_per_kw_month", f->price_per_kw_month,
				      !est_ydoc_get(&l->doc, r, "price_per_kw_month"));
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, r, "power_step", "kW", 0, &f->power_step_kw, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, r, "power_step", f->power_step_kw,
				      !est_ydoc_get(&l->doc, r, "power_step"));
	est_pl__record_context(l, EST_RECORD_FACILITY, f, sizeof(*f), f->id);
	return rc;
}

static int load_facilities(est_pl *l)
{
	static const char *const top[] = {"facilities", NULL};
	static const char *const keys[] = {"id", "name", "pue", "wue", "rack_power",
					   "buildout_cost", "ups_efficiency", "price_per_kw_month",
					   "power_step", "source", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i;
	int rc = est_pl__top_list(l, "facilities", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->facilities = calloc(n ? n : 1, sizeof(*lib->facilities));
	if (!lib->facilities)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_facility *f = &lib->facilities[i];
		rc = est_pl__record(l, list, i, keys, "a facility class", &r, &f->id);
		lib->n_facilities = i + 1;
		est_pl__record_context(l, EST_RECORD_FACILITY, f, sizeof(*f), f->id);
		if (rc == 0 && est_profiles_facility(lib, f->id) != f)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate facility id '%s'", f->id);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "pue", "1", 1, &f->pue, NULL, l->err);
		if (rc == 0 && est_pl__bound_dist(l, r, "pue", 1, 10, "between 1 and 10") == 1 && f->pue < 1)
			rc = est_ydoc_fail_key(&l->doc, r, "pue", l->err, "pue must be 1 or more");
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "wue", "L/kWh", 1, &f->wue_l_per_kwh, NULL, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "rack_power", "kW", 1, &f->rack_power_kw, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "rack_power", f->rack_power_kw, 0);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "buildout_cost", "CUR/kW", 1, &f->buildout_cost_per_kw, f->currency, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "ups_efficiency", EST_UNIT_SHARE, 0, &f->ups_efficiency, NULL, l->err);
		if (rc == 0 && (f->ups_efficiency < 0 || f->ups_efficiency > 1))
			rc = est_ydoc_fail_key(&l->doc, r, "ups_efficiency", l->err,
					       "ups_efficiency must be between 0%% and 100%%");
		if (rc == 0)
			rc = facility_purchase(l, r, f);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &f->sources);
		if (rc < 0)
			return rc;
		f->name = est_pl__dup_text(l, r, "name");
		f->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

static int load_storage(est_pl *l)
{
	static const char *const top[] = {"storage", "network", NULL};
	static const char *const keys[] = {"id", "power", "embodied", "purchase_unit", "source",
					   "notes", NULL};
	static const char *const nkeys[] = {"energy", "source", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r, *net;
	size_t n, i;
	int rc = est_pl__top_list(l, "storage", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->storage = calloc(n ? n : 1, sizeof(*lib->storage));
	if (!lib->storage)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_storage_tech *s = &lib->storage[i];
		rc = est_pl__record(l, list, i, keys, "a storage technology", &r, &s->id);
		lib->n_storage = i + 1;
		est_pl__record_context(l, EST_RECORD_STORAGE, s, sizeof(*s), s->id);
		if (rc == 0 && est_profiles_storage(lib, s->id) != s)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate storage id '%s'", s->id);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "power", "W/TB", 1, &s->power_w_per_tb, NULL, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "embodied", "kg/TB", 1, &s->embodied_kg_per_tb, NULL, l->err);
		/* the size of a drive: a whole number of them is bought (not sampled) */
		est_pl__record_context(l, -1, NULL, 0, NULL);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "purchase_unit", "TB", 0, &s->purchase_unit_tb, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "purchase_unit", s->purchase_unit_tb,
					      !est_ydoc_get(&l->doc, r, "purchase_unit"));
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &s->sources);
		if (rc < 0)
			return rc;
		s->notes = est_pl__dup_text(l, r, "notes");
	}
	rc = est_pl__map(l, est_ydoc_root(&l->doc), "network", nkeys, 1, &net);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, net, "energy", "kWh/GB", 1, &lib->constants.network_kwh_per_gb, NULL, l->err);
	if (rc == 0)
		rc = est_pl__sources(l, net, "source", 1, &lib->constants.network_sources);
	lib->has_network = rc == 0;
	return rc;
}

/* A constant written as {value: X, source: ID}. */
static int sourced_value(est_pl *l, const yaml_node_t *map, const char *key, const char *unit,
			 double *out, est_source_list *sources)
{
	static const char *const keys[] = {"value", "source", "notes", NULL};
	yaml_node_t *n = est_ydoc_get(&l->doc, map, key);
	char what[64];
	int rc;

	if (!n)
		return est_ydoc_fail(&l->doc, map, l->err, "missing required key '%s'", key);
	snprintf(what, sizeof(what), "constants.%s", key);
	rc = est_ydoc_expect_map(&l->doc, n, what, l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(&l->doc, n, keys, what, l->err);
	if (rc == 0)
		rc = est_ydoc_quantity(&l->doc, n, "value", unit, 1, out, NULL, l->err);
	if (rc == 0)
		rc = est_pl__positive(l, n, "value", *out, 0);
	if (rc == 0)
		rc = est_pl__sources(l, n, "source", 1, sources);
	return rc;
}

static int load_constants(est_pl *l)
{
	static const char *const top[] = {"constants", NULL};
	static const char *const keys[] = {"reference_accelerator", "gpu_to_node",
					   "bytes_per_parameter", "memory_headroom", "default_utilisation",
					   "default_replication", "discount_rate", NULL};
	est_constants *c = &l->lib->constants;
	yaml_node_t *root, *map = NULL;
	const char *ref = NULL;
	int rc = est_pl__root(l, top, "the file", &root);

	if (rc == 0)
		rc = est_pl__map(l, root, "constants", keys, 1, &map);
	if (rc == 0)
		rc = est_ydoc_string(&l->doc, map, "reference_accelerator", 1, &ref, l->err);
	if (rc == 0 && !est_profiles_accelerator(l->lib, ref))
		rc = est_ydoc_fail_key(&l->doc, map, "reference_accelerator", l->err,
				       "unknown accelerator '%s'", ref);
	est_pl__record_context(l, EST_RECORD_KINDS, c, sizeof(*c), "constants");
	if (rc == 0)
		rc = sourced_value(l, map, "gpu_to_node", "1", &c->gpu_to_node, &c->gpu_to_node_sources);
	if (rc == 0)
	{
		/* used once, at load, for stored weights: it cannot be sampled */
		est_pl__record_context(l, -1, NULL, 0, NULL);
		rc = sourced_value(l, map, "bytes_per_parameter", "1", &c->bytes_per_parameter,
				   &c->bytes_per_parameter_sources);
		if (rc == 0)
			rc = sourced_value(l, map, "memory_headroom", "1", &c->memory_headroom,
					   &c->memory_headroom_sources);
		if (rc == 0 && c->memory_headroom < 1)
			rc = est_ydoc_fail_key(&l->doc, map, "memory_headroom", l->err,
					       "memory_headroom must be at least 1");
		est_pl__record_context(l, EST_RECORD_KINDS, c, sizeof(*c), "constants");
	}
	if (rc == 0)
		rc = sourced_value(l, map, "default_utilisation", EST_UNIT_SHARE, &c->default_utilisation,
				   &c->default_utilisation_sources);
	if (rc == 0 && c->default_utilisation > 1)
		rc = est_ydoc_fail_key(&l->doc, map, "default_utilisation", l->err,
				       "default_utilisation must be at most 100%%");
	if (rc == 0)
		rc = sourced_value(l, map, "default_replication", "1", &c->default_replication,
				   &c->default_replication_sources);
	if (rc == 0 && est_ydoc_get(&l->doc, map, "discount_rate")) {
		/* optional (0: none given); the model does not sample it */
		est_pl__record_context(l, -1, NULL, 0, NULL);
		rc = sourced_value(l, map, "discount_rate", EST_UNIT_SHARE, &c->discount_rate,
				   &c->discount_rate_sources);
		if (rc == 0 && c->discount_rate >= 1)
			rc = est_ydoc_fail_key(&l->doc, map, "discount_rate", l->err,
					       "discount_rate must be below 100%%");
	}
	if (rc < 0)
		return rc;
	c->reference_accelerator = est_profiles_accelerator(l->lib, ref)->id;
	l->lib->has_constants = 1;
	return 0;
}

static int load_equivalences(est_pl *l)
{
	static const char *const top[] = {"equivalences", NULL};
	static const char *const keys[] = {"id", "name", "energy", "emissions", "default", "source",
					   "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i;
	int rc = est_pl__top_list(l, "equivalences", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	if (n > EST_MAX_EQUIVALENCES)
		return est_ydoc_fail(&l->doc, list, l->err, "at most %d equivalences are supported",
				     EST_MAX_EQUIVALENCES);
	lib->equivalences = calloc(n ? n : 1, sizeof(*lib->equivalences));
	if (!lib->equivalences)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_equivalence *e = &lib->equivalences[i];
		double energy = 0, mass = 0;
		size_t j;
		rc = est_pl__record(l, list, i, keys, "an equivalence", &r, &e->id);
		lib->n_equivalences = i + 1;
		for (j = 0; j < i && rc == 0; j++)
			if (!strcmp(lib->equivalences[j].id, e->id))
				rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate equivalence id '%s'", e->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &e->name, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "energy", "kWh", 0, &energy, NULL, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "emissions", "kg", 0, &mass, NULL, l->err);
		if (rc == 0 && (energy > 0) == (mass > 0))
			rc = est_ydoc_fail(&l->doc, r, l->err,
					   "an equivalence needs exactly one positive 'energy' or 'emissions'");
		e->is_default = 1;
		if (rc == 0)
			rc = est_ydoc_bool(&l->doc, r, "default", &e->is_default, l->err);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &e->sources);
		if (rc < 0)
			return rc;
		e->name = est_pl__dup_text(l, r, "name");
		e->notes = est_pl__dup_text(l, r, "notes");
		e->per_kwh = energy > 0 ? 1.0 / energy : 0;
		e->per_kg_co2e = mass > 0 ? 1.0 / mass : 0;
	}
	return 0;
}

static int load_prices(est_pl *l)
{
	static const char *const top[] = {"prices", NULL};
	static const char *const keys[] = {"id", "name", "sector", "price", "period", "source",
					   "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i, base = lib->n_prices;
	est_price *grown;
	int rc = est_pl__top_list(l, "prices", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	grown = realloc(lib->prices, (base + n + 1) * sizeof(*grown));
	if (!grown)
		return est_pl__oom(l);
	lib->prices = grown;
	memset(grown + base, 0, (n + 1) * sizeof(*grown));
	for (i = 0; i < n; i++) {
		est_price *pr = &lib->prices[base + i];
		rc = est_pl__record(l, list, i, keys, "a price", &r, &pr->id);
		lib->n_prices = base + i + 1;
		if (rc == 0 && est_profiles_price(lib, pr->id) != pr)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate price id '%s'", pr->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &pr->name, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "price", "CUR/kWh", 1, &pr->price_per_kwh, pr->currency, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "price", pr->price_per_kwh, 0);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "period", 1, &pr->period, l->err);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &pr->sources);
		if (rc < 0)
			return rc;
		pr->name = est_pl__dup_text(l, r, "name");
		pr->sector = est_pl__dup_text(l, r, "sector");
		pr->period = est_pl__dup_text(l, r, "period");
		pr->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

static int load_price_files(est_pl *l, const char *dir)
{
	char **names;
	size_t n, i;
	int rc = est_pl__list_yaml(l, dir, "prices", &names, &n);

	if (rc == EST_EIO) /* no prices folder */
		return 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = est_pl__load_one(l, dir, names[i], load_prices);
	est_pl__free_names(names, n);
	return rc;
}

static int load_grid_files(est_pl *l, const char *dir)
{
	char **names;
	size_t n, i;
	int rc = est_pl__list_yaml(l, dir, "grids", &names, &n);

	for (i = 0; i < n && rc == 0; i++)
		rc = est_pl__load_one(l, dir, names[i], load_grids);
	est_pl__free_names(names, n);
	return rc;
}

int est_profiles_load(est_profiles **out, const char *dir, est_error *err)
{
	est_pl l;
	est_profiles *lib;
	int rc;

	assert(out && dir);
	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.err = err;
	lib = calloc(1, sizeof(*lib));
	if (!lib)
		return est_error_set(err, EST_EINTERNAL, dir, 0, 0, "out of memory");
	l.lib = lib;
	lib->dir = strdup(dir);
	if (!lib->dir) {
		rc = est_error_set(err, EST_EINTERNAL, dir, 0, 0, "out of memory");
		goto cleanup;
	}
	rc = est_pl__load_one(&l, dir, "sources.yaml", load_sources);
	if (rc == 0)
		rc = est_pl__load_one(&l, dir, "hardware/accelerators.yaml", load_accelerators);
	if (rc == 0)
		rc = est_pl__load_one(&l, dir, "hardware/servers.yaml", load_servers);
	if (rc == 0)
		rc = est_pl__load_one(&l, dir, "constants.yaml", load_constants);
	if (rc == 0)
		rc = est_pl__load_tasks(&l, dir);
	if (rc == 0)
		rc = est_pl__load_measurement_files(&l, dir);
	if (rc == 0)
		rc = est_pl__merge_pending(&l);
	if (rc == 0)
		rc = load_grid_files(&l, dir);
	if (rc == 0)
		rc = load_price_files(&l, dir);
	if (rc == 0)
		rc = est_pl__load_cloud(&l, dir);
	if (rc == 0)
		rc = est_pl__load_one(&l, dir, "facility.yaml", load_facilities);
	if (rc == 0)
		rc = est_pl__load_one(&l, dir, "storage.yaml", load_storage);
	if (rc == 0)
		rc = est_pl__load_one(&l, dir, "equivalences.yaml", load_equivalences);

cleanup:
	est_pl__dispose(&l);
	if (rc < 0) {
		est_profiles_free(lib);
		return rc;
	}
	*out = lib;
	return 0;
}
