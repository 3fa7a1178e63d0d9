/*
 * Loading the cloud records of the profile library (docs/profiles.md,
 * "Cloud providers and instances"): cloud/providers.yaml (each provider's
 * PUE and WUE), then cloud/instances.yaml (instance types, the hardware
 * behind them and their hourly prices by region). A library without the
 * cloud folder has no cloud records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "profiles_loader.h"

#define PATH_LEN 4096

static int load_providers(est_pl *l)
{
	static const char *const top[] = {"providers", NULL};
	static const char *const keys[] = {"id", "name", "pue", "wue", "source", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i;
	int rc = est_pl__top_list(l, "providers", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->cloud_providers = calloc(n ? n : 1, sizeof(*lib->cloud_providers));
	if (!lib->cloud_providers)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_cloud_provider *c = &lib->cloud_providers[i];
		rc = est_pl__record(l, list, i, keys, "a cloud provider", &r, &c->id);
		lib->n_cloud_providers = i + 1;
		if (rc == 0 && est_profiles_cloud_provider(lib, c->id) != c)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate cloud provider id '%s'", c->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &c->name, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "pue", "1", 1, &c->pue, NULL, l->err);
		if (rc == 0 && c->pue < 1)
			rc = est_ydoc_fail_key(&l->doc, r, "pue", l->err, "pue must be 1 or more");
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "wue", "L/kWh", 1, &c->wue_l_per_kwh, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "wue", c->wue_l_per_kwh, 1);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &c->sources);
		if (rc < 0)
			return rc;
		c->name = est_pl__dup_text(l, r, "name");
		c->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

/* A required id naming a record of `kind`; *out NULL when rc < 0. */
static int reference(est_pl *l, const yaml_node_t *r, const char *key, int kind,
		     const char *what, const void **out)
{
	const char *id = NULL, *near;
	int rc = est_ydoc_string(&l->doc, r, key, 1, &id, l->err);
	size_t i, n;

	*out = NULL;
	if (rc < 0)
		return rc;
	n = est_profiles_count(l->lib, (est_record_kind)kind);
	for (i = 0; i < n && !*out; i++) {
		const void *rec = est_profiles_at(l->lib, (est_record_kind)kind, i);
		if (!strcmp(est_profiles_record_id((est_record_kind)kind, rec), id))
			*out = rec;
	}
	if (*out)
		return 0;
	near = est_profiles__suggest_kind(l->lib, kind, id);
	if (near)
		return est_ydoc_fail_key(&l->doc, r, key, l->err, "unknown %s '%s'; did you mean '%s'?",
					 what, id, near);
	return est_ydoc_fail_key(&l->doc, r, key, l->err, "unknown %s '%s'", what, id);
}

/* One hourly amount of a region's prices; all of an instance's amounts share a currency. */
static int amount(est_pl *l, est_cloud_instance *c, const yaml_node_t *m, const char *key,
		  int required, double *out)
{
	char currency[4] = "";
	int rc = est_pl__quantity_named(l, m, key, "CUR/h", required, out, currency,
					"a price per instance-hour", "55.04 USD/h");

	if (rc < 0 || !est_ydoc_get(&l->doc, m, key))
		return rc;
	rc = est_pl__positive(l, m, key, *out, 0);
	if (rc < 0)
		return rc;
	if (!c->currency[0])
		memcpy(c->currency, currency, sizeof(c->currency));
	else if (strcmp(c->currency, currency))
		return est_ydoc_fail_key(&l->doc, m, key, l->err,
					 "%s: an amount in %s; this instance's prices are in %s", key,
					 currency, c->currency);
	return 0;
}

/* {on_demand, one_year, three_year}: amounts per instance-hour. */
static int region_price(est_pl *l, est_cloud_instance *c, const yaml_node_t *m, est_cloud_price *p)
{
	static const char *const keys[] = {"on_demand", "one_year", "three_year", NULL};
	int rc = est_ydoc_expect_map(&l->doc, m, "a region's prices", l->err);

	if (rc == 0)
		rc = est_ydoc_check_keys(&l->doc, m, keys, "a region's prices", l->err);
	if (rc == 0)
		rc = amount(l, c, m, "on_demand", 1, &p->on_demand);
	if (rc == 0)
		rc = amount(l, c, m, "one_year", 0, &p->one_year);
	if (rc == 0)
		rc = amount(l, c, m, "three_year", 0, &p->three_year);
	if (rc == 0 && p->one_year > p->on_demand)
		rc = est_ydoc_fail_key(&l->doc, m, "one_year", l->err,
				       "one_year is above on_demand: a commitment is a discount");
	if (rc == 0 && p->three_year > p->on_demand)
		rc = est_ydoc_fail_key(&l->doc, m, "three_year", l->err,
				       "three_year is above on_demand: a commitment is a discount");
	return rc;
}

/*
 * prices: {REGION: {on_demand: AMOUNT/h, ...}, ...}: at least one region,
 * each once, each with its grid "<provider>/<region>" in grids/ so that a
 * scenario can take the region's intensity.
 */
static int prices(est_pl *l, const yaml_node_t *r, est_cloud_instance *c)
{
	yaml_node_t *m = est_ydoc_get(&l->doc, r, "prices");
	size_t n, i, j;
	int rc;

	if (!m)
		return est_ydoc_fail(&l->doc, r, l->err, "missing required key 'prices'");
	rc = est_ydoc_expect_map(&l->doc, m, "prices", l->err);
	if (rc < 0)
		return rc;
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n == 0)
		return est_ydoc_fail(&l->doc, m, l->err, "prices must list at least one region");
	c->prices = est_profiles__own(l->lib, calloc(n, sizeof(*c->prices)));
	if (!c->prices)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		yaml_node_pair_t pair = m->data.mapping.pairs.start[i];
		yaml_node_t *key = est_ydoc_node(&l->doc, pair.key);
		const char *region = est_ydoc_text(key);
		char grid[512];

		if (!region || !*region)
			return est_ydoc_fail(&l->doc, key, l->err, "a region must be a name");
		for (j = 0; j < i; j++)
			if (!strcmp(c->prices[j].region, region))
				return est_ydoc_fail(&l->doc, key, l->err, "region '%s' is listed twice",
						     region);
		snprintf(grid, sizeof(grid), "%s/%s", c->provider->id, region);
		if (!est_profiles_grid(l->lib, grid))
			return est_ydoc_fail(&l->doc, key, l->err,
					     "region '%s' has no grid '%s' in grids/", region, grid);
		c->prices[i].region = est_profiles__strdup(l->lib, region);
		if (!c->prices[i].region)
			return est_pl__oom(l);
		c->n_prices = i + 1;
		rc = region_price(l, c, est_ydoc_node(&l->doc, pair.value), &c->prices[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The hardware: an accelerator, how many, and a server holding at least as many of it. */
static int hardware(est_pl *l, const yaml_node_t *r, est_cloud_instance *c)
{
	const void *rec;
	int rc = reference(l, r, "accelerator", EST_RECORD_ACCELERATOR, "accelerator", &rec);

	c->accelerator = rec;
	if (rc == 0)
		rc = reference(l, r, "server", EST_RECORD_SERVER, "server", &rec);
	c->server = rec;
	if (rc == 0 && c->server->accelerator != c->accelerator)
		rc = est_ydoc_fail_key(&l->doc, r, "server", l->err,
				       "server '%s' holds %s, not %s", c->server->id,
				       c->server->accelerator->id, c->accelerator->id);
	if (rc == 0)
		rc = est_ydoc_int(&l->doc, r, "accelerators", 1, 1, 1024, &c->accelerators, l->err);
	if (rc == 0 && c->accelerators > c->server->accelerators)
		rc = est_ydoc_fail_key(&l->doc, r, "accelerators", l->err,
				       "accelerators: %d is more than server '%s' holds (%d)",
				       c->accelerators, c->server->id, c->server->accelerators);
	return rc;
}

static int load_instances(est_pl *l)
{
	static const char *const top[] = {"instances", NULL};
	static const char *const keys[] = {"id", "name", "provider", "accelerator", "accelerators",
					   "server", "vcpus", "memory", "prices", "price_date",
					   "source", "notes", NULL};
	est_profiles *lib = l->lib;
	yaml_node_t *list, *r;
	size_t n, i;
	int rc = est_pl__top_list(l, "instances", top, &list);

	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	lib->cloud_instances = calloc(n ? n : 1, sizeof(*lib->cloud_instances));
	if (!lib->cloud_instances)
		return est_pl__oom(l);
	for (i = 0; i < n; i++) {
		est_cloud_instance *c = &lib->cloud_instances[i];
		const void *rec = NULL;
		char want[512];
		rc = est_pl__record(l, list, i, keys, "a cloud instance", &r, &c->id);
		lib->n_cloud_instances = i + 1;
		if (rc == 0 && est_profiles_cloud_instance(lib, c->id) != c)
			rc = est_ydoc_fail(&l->doc, r, l->err, "duplicate cloud instance id '%s'", c->id);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "name", 1, &c->name, l->err);
		if (rc == 0)
			rc = reference(l, r, "provider", EST_RECORD_CLOUD_PROVIDER, "cloud provider", &rec);
		c->provider = rec;
		if (rc == 0) {
			snprintf(want, sizeof(want), "%s/%s", c->provider->id, c->name);
			if (strcmp(c->id, want))
				rc = est_ydoc_fail_key(&l->doc, r, "id", l->err,
						       "id '%s' must be provider/name, '%s'", c->id, want);
		}
		if (rc == 0)
			rc = hardware(l, r, c);
		if (rc == 0)
			rc = est_ydoc_int(&l->doc, r, "vcpus", 1, 1, 65536, &c->vcpus, l->err);
		if (rc == 0)
			rc = est_ydoc_quantity(&l->doc, r, "memory", "GB", 1, &c->memory_gb, NULL, l->err);
		if (rc == 0)
			rc = est_pl__positive(l, r, "memory", c->memory_gb, 0);
		if (rc == 0)
			rc = prices(l, r, c);
		if (rc == 0)
			rc = est_ydoc_string(&l->doc, r, "price_date", 1, &c->price_date, l->err);
		if (rc == 0)
			rc = est_pl__sources(l, r, "source", 1, &c->sources);
		if (rc < 0)
			return rc;
		c->name = est_pl__dup_text(l, r, "name");
		c->price_date = est_pl__dup_text(l, r, "price_date");
		c->notes = est_pl__dup_text(l, r, "notes");
	}
	return 0;
}

/* Whether dir/name exists: an absent file is no error, an unreadable one is (when loaded). */
static int exists(const char *dir, const char *name)
{
	char path[PATH_LEN];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 || errno != ENOENT;
}

int est_pl__load_cloud(est_pl *l, const char *dir)
{
	int rc = 0;

	if (exists(dir, "cloud/providers.yaml"))
		rc = est_pl__load_one(l, dir, "cloud/providers.yaml", load_providers);
	if (rc == 0 && exists(dir, "cloud/instances.yaml"))
		rc = est_pl__load_one(l, dir, "cloud/instances.yaml", load_instances);
	return rc;
}
