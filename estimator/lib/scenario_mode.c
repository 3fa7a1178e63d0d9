/*
 * Where the hardware runs (docs/scenario-format.md, `deployment.mode`;
 * docs/model.md section 15): on premises, in a colocation facility, or in
 * a cloud region on instances of one type. Read before the site, whose
 * defaults depend on it (a cloud region is the grid; the provider's PUE and
 * WUE are the site's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

static const char *const mode_names[] = {"on-premises", "colocation", "cloud"};
static const char *const pricing_names[] = {"on-demand", "1-year", "3-year"};

const char *est_mode_name(est_mode m)
{
	return (size_t)m < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[m] : "";
}

/* deployment.cloud: the instance, its region and its price per instance-hour. */
static int load_cloud(sloader *l, yaml_node_t *d)
{
	static const char *const keys[] = {"instance", "region", "pricing", "price", NULL};
	est_scenario *s = l->s;
	const est_cloud_instance *in = NULL;
	const est_cloud_price *pr;
	const char *id = NULL, *region = NULL;
	yaml_node_t *c;
	int pricing = 0, rc = est_sl__section(l, d, "cloud", keys, 1, &c);
	double per_hour;

	if (rc == 0)
		rc = est_ydoc_string(l->doc, c, "instance", 1, &id, l->err);
	if (rc == 0 && !(in = est_profiles_cloud_instance(l->p, id)))
		rc = est_sl__unknown(l, c, "instance", "cloud-instance", id);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, c, "region", 0, &region, l->err);
	if (rc < 0)
		return rc;
	if (!region) {
		if (in->n_prices == 0)
			return est_ydoc_fail_key(l->doc, c, "instance", l->err,
						 "instance '%s' lists no region with a price", id);
		region = in->prices[0].region;
		rc = est_sl__note(l, "deployment.cloud.region not given: %s (the first listed for %s)",
				  region, id);
	}
	pr = est_cloud_instance_price(in, region);
	if (rc == 0 && !pr) {
		char regions[200] = "";
		size_t i, n = 0;
		for (i = 0; i < in->n_prices && n < sizeof(regions) - 1; i++)
			n += (size_t)snprintf(regions + n, sizeof(regions) - n, "%s%s", i ? ", " : "",
					      in->prices[i].region);
		return est_ydoc_fail_key(l->doc, c, "region", l->err,
					 "instance '%s' has no price for region '%s' (listed: %s)", id,
					 region, regions);
	}
	if (rc == 0)
		rc = est_ydoc_choice(l->doc, c, "pricing", 0, pricing_names, 3, &pricing, l->err);
	if (rc < 0)
		return rc;
	per_hour = pricing == 1 ? pr->one_year : pricing == 2 ? pr->three_year : pr->on_demand;
	if (!est_ydoc_get(l->doc, c, "price") && per_hour <= 0)
		return est_ydoc_fail_key(l->doc, c, "pricing", l->err,
					 "no %s price of '%s' in %s is in the profiles (no public source "
					 "gives one); set deployment.cloud.price",
					 pricing_names[pricing], id, region);
	s->instance = in;
	s->cloud_region = strdup(region); /* the document's text goes with the document */
	if (!s->cloud_region)
		return est_sl__oom(l);
	s->cloud_pricing = pricing_names[pricing];
	s->instance_price_per_hour = per_hour;
	s->cloud_share = (double)in->accelerators / in->server->accelerators;
	/* one instance as a server: its share of the hardware behind it */
	s->cloud_unit = *in->server;
	s->cloud_unit.id = in->id;
	s->cloud_unit.name = in->name ? in->name : in->id;
	s->cloud_unit.accelerators = in->accelerators;
	s->cloud_unit.max_power_kw = in->server->max_power_kw * s->cloud_share;
	s->cloud_unit.host_idle_w = in->server->host_idle_w * s->cloud_share;
	s->cloud_unit.embodied_kg = in->server->embodied_kg * s->cloud_share;
	s->cloud_unit.price = 0;
	s->cloud_unit.price_unverified = 0;
	return 0;
}

int est_sl__load_mode(sloader *l)
{
	est_scenario *s = l->s;
	yaml_node_t *d = est_ydoc_get(l->doc, l->root, "deployment");
	int mode = EST_MODE_ON_PREMISES, rc = 0;

	s->mode = EST_MODE_ON_PREMISES;
	s->cloud_share = 1;
	if (!d || d->type != YAML_MAPPING_NODE)
		return 0; /* the deployment section's own checks say what is wrong */
	est_sl__set_section(l, "deployment", NULL);
	rc = est_ydoc_choice(l->doc, d, "mode", 0, mode_names, 3, &mode, l->err);
	if (rc < 0)
		return rc;
	s->mode = (est_mode)mode;
	if (s->mode != EST_MODE_CLOUD) {
		if (est_ydoc_get(l->doc, d, "cloud"))
			return est_ydoc_fail_key(l->doc, d, "cloud", l->err,
						 "deployment.cloud goes with deployment.mode: cloud (the mode is %s)",
						 mode_names[mode]);
		return 0;
	}
	est_sl__set_section(l, "deployment.cloud", NULL);
	rc = load_cloud(l, d);
	est_sl__set_section(l, "deployment", NULL);
	return rc;
}

/*
 * The cloud's deployment: the instance's accelerator (deployment.accelerator
 * or .server, when given, must agree), one instance as the server; nothing
 * of `existing:` applies.
 */
int est_sl__cloud_deployment(sloader *l, yaml_node_t *d)
{
	est_scenario *s = l->s;
	const char *acc = NULL, *srv = NULL;
	int rc = est_ydoc_string(l->doc, d, "accelerator", 0, &acc, l->err);

	if (rc == 0)
		rc = est_ydoc_string(l->doc, d, "server", 0, &srv, l->err);
	if (rc < 0)
		return rc;
	if (acc && strcmp(acc, s->instance->accelerator->id))
		return est_ydoc_fail_key(l->doc, d, "accelerator", l->err,
					 "instance '%s' has %d x '%s', not '%s'", s->instance->id,
					 s->instance->accelerators, s->instance->accelerator->id, acc);
	if (srv)
		return est_ydoc_fail_key(l->doc, d, "server", l->err,
					 "in the cloud the instance type is the server: remove deployment.server "
					 "(instance '%s' runs on %s hardware)",
					 s->instance->id, s->instance->server->id);
	s->server = &s->cloud_unit;
	if (s->has_existing && (s->existing_servers > 0 || s->existing_storage_tb > 0 ||
				s->existing_power_kw > 0 || s->existing_racks > 0)) {
		s->existing_servers = s->existing_storage_tb = s->existing_power_kw = 0;
		s->existing_racks = 0;
		return est_sl__note(l, "existing: does not apply in the cloud: instances are rented "
				       "as needed");
	}
	return 0;
}
