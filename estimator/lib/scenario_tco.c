/*
 * The cost of ownership keys of `costs:` (docs/scenario-format.md;
 * docs/model.md section 10): network and racks bought, maintenance,
 * licences, staff, the colocation and cloud rents, the discount rate, an
 * internal carbon price and a minimum order; and the purchase units of
 * `deployment:` (storage and power). Every default is named in a note.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"

#define MONTHS_PER_YEAR 12.0

/* An optional amount with a note when absent (then 0: not counted). */
static int optional(sloader *l, const char *key, const char *unit, double *out,
		    const char *absent)
{
	int given, rc = est_sl__price(l, key, unit, out, &given);

	if (rc == 0 && !given && absent)
		rc = est_sl__note(l, "costs.%s not given: %s", key, absent);
	return rc;
}

/* An optional share of `costs:` (a percentage), 0 to hi. */
static int share(sloader *l, const char *key, double hi, double *out, int *given)
{
	int rc;

	*given = l->costs && est_ydoc_get(l->doc, l->costs, key);
	if (!*given)
		return 0;
	rc = est_ydoc_quantity(l->doc, l->costs, key, EST_UNIT_SHARE, 1, out, NULL, l->err);
	return rc < 0 ? rc : est_sl__range(l, l->costs, key, *out, 0, hi, "%");
}

/* The colocation rent: the scenario's, or the facility class's (a kW a month). */
static int colocation(sloader *l)
{
	est_scenario *s = l->s;
	const est_facility *f = s->facility;
	const char *t = l->costs ? est_ydoc_text(est_ydoc_get(l->doc, l->costs, "colocation_price")) : NULL;
	est_quantity q;
	double v;
	char msg[128];
	int given, rc;

	/* money per kW per month is money per kWh to the units: say what is meant */
	if (t && est_quantity_parse(&q, t, msg, sizeof(msg)) == 0 &&
	    est_quantity_in(&v, &q, "CUR/kW/year", msg, sizeof(msg)) < 0)
		return est_ydoc_fail_key(l->doc, l->costs, "colocation_price", l->err,
					 "colocation_price: '%s' is not a price per kW a month (e.g. 180 EUR/kW/month)",
					 t);
	rc = est_sl__price(l, "colocation_price", "CUR/kW/year", &s->colocation_per_kw_year, &given);

	if (rc == 0)
		rc = est_sl__price(l, "colocation_rack_price", "CUR/year", &s->colocation_per_rack_year,
				   &given);
	if (rc < 0 || (l->costs && est_ydoc_get(l->doc, l->costs, "colocation_price")))
		return rc;
	if (f->price_per_kw_month <= 0)
		return est_ydoc_fail(l->doc, l->costs ? l->costs : l->root, l->err,
				     "facility class '%s' has no colocation price in the profiles; set "
				     "costs.colocation_price (per kW a month)",
				     f->id);
	s->colocation_per_kw_year = f->price_per_kw_month * MONTHS_PER_YEAR;
	rc = est_sl__to_currency(l, &s->colocation_per_kw_year, f->price_currency,
				 "the colocation price");
	if (rc == 0)
		rc = est_sl__note(l, "costs.colocation_price not given: facility class %s, %g %s per kW a month",
				  f->id, f->price_per_kw_month, f->price_currency);
	return rc;
}

/* The instance price, in the costs currency (the scenario's, or the price list's). */
static int cloud(sloader *l)
{
	est_scenario *s = l->s;
	yaml_node_t *c = est_ydoc_get(l->doc, est_ydoc_get(l->doc, l->root, "deployment"), "cloud");
	char cur[EST_CURRENCY_MAX] = "";
	int rc = 0;

	if (c && est_ydoc_get(l->doc, c, "price")) {
		rc = est_ydoc_quantity(l->doc, c, "price", "CUR/h", 1, &s->instance_price_per_hour, cur,
				       l->err);
		if (rc == 0)
			rc = est_sl__range(l, c, "price", s->instance_price_per_hour, 1e-12, EST_SL_MAX, "");
		if (rc == 0)
			rc = est_sl__to_currency(l, &s->instance_price_per_hour, cur,
						 "deployment.cloud.price");
		s->cloud_pricing = "set by the scenario";
	} else {
		rc = est_sl__to_currency(l, &s->instance_price_per_hour, s->instance->currency,
					 "the instance price");
		if (rc == 0)
			rc = est_sl__note(l, "deployment.cloud.price not given: %s %s in %s (%s)",
					  s->instance->id, s->cloud_pricing, s->cloud_region,
					  s->instance->price_date ? s->instance->price_date : "");
	}
	if (rc == 0)
		rc = optional(l, "cloud_storage_price", "CUR/TB/year", &s->cloud_storage_per_tb_year,
			      "cloud storage is not priced (give a price per TB a month)");
	if (rc == 0)
		rc = est_sl__note(l, "cloud: the instance price includes the electricity, the facility "
				     "and the hardware; their energy and emissions are still counted");
	return rc;
}

int est_sl__load_tco(sloader *l)
{
	est_scenario *s = l->s;
	const est_constants *k = est_profiles_constants(l->p);
	int given, rc = 0;

	if (s->mode != EST_MODE_CLOUD) {
		rc = optional(l, "network_price", "CUR", &s->network_per_server,
			      "network capex is 0 (no public source; give a price per server bought)");
		if (rc == 0)
			rc = optional(l, "rack_price", "CUR", &s->rack_price,
				      "rack capex is 0 (no public source; give a price per rack bought)");
		if (rc == 0)
			rc = share(l, "maintenance", 10, &s->maintenance_share, &given);
		if (rc == 0 && !given)
			rc = est_sl__note(l, "costs.maintenance not given: maintenance and support are not "
					     "counted (no verifiable source; give a share of the hardware's "
					     "price a year)");
	}
	if (rc == 0)
		rc = optional(l, "licence_price", "CUR/year", &s->licence_per_accelerator_year,
			      "software licences are not counted (give a price per accelerator a year)");
	if (rc == 0)
		rc = optional(l, "staff", "CUR/year", &s->staff_per_year,
			      "staff are not counted (give a cost a year)");
	if (rc == 0 && s->mode == EST_MODE_COLOCATION)
		rc = colocation(l);
	if (rc == 0 && s->mode == EST_MODE_CLOUD)
		rc = cloud(l);
	if (rc == 0)
		rc = share(l, "discount_rate", 1, &s->discount_rate, &given);
	if (rc == 0 && !given) {
		s->discount_rate = k->discount_rate;
		rc = est_sl__note(l, "costs.discount_rate not given: %g%% a year (profiles constants)",
				  k->discount_rate * 100);
	}
	if (rc == 0)
		rc = est_sl__price(l, "carbon_price", "CUR/t", &s->carbon_price_per_t, &given);
	if (rc == 0)
		rc = est_sl__price(l, "minimum_order", "CUR", &s->minimum_order, &given);
	return rc;
}

/* deployment.storage_unit and deployment.power_step, or the profiles'. */
int est_sl__load_units(sloader *l, yaml_node_t *d)
{
	est_scenario *s = l->s;
	int rc;

	s->storage_unit_tb = s->mode == EST_MODE_CLOUD ? 0 : s->storage->purchase_unit_tb;
	/* power is built a rack's feed at a time unless the facility class states a step */
	s->power_step_kw = s->mode != EST_MODE_ON_PREMISES ? 0
			   : s->facility->power_step_kw > 0 ? s->facility->power_step_kw
							    : s->rack_power_kw;
	rc = est_ydoc_quantity(l->doc, d, "storage_unit", "TB", 0, &s->storage_unit_tb, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, d, "storage_unit", s->storage_unit_tb, "TB");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, d, "power_step", "kW", 0, &s->power_step_kw, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, d, "power_step", s->power_step_kw, "kW");
	if (rc == 0 && s->mode != EST_MODE_CLOUD && !est_ydoc_get(l->doc, d, "storage_unit")) {
		if (s->storage_unit_tb > 0)
			rc = est_sl__note(l, "deployment.storage_unit not given: %g TB (storage %s)",
					  s->storage_unit_tb, s->storage->id);
		else
			rc = est_sl__note(l, "deployment.storage_unit not given: storage bought in any "
					     "amount (storage %s)", s->storage->id);
	}
	if (rc == 0 && s->mode == EST_MODE_ON_PREMISES && !est_ydoc_get(l->doc, d, "power_step"))
		rc = est_sl__note(l, s->facility->power_step_kw > 0
					     ? "deployment.power_step not given: %g kW (facility class %s)"
					     : "deployment.power_step not given: %g kW, a rack's power (facility class %s)",
				  s->power_step_kw, s->facility->id);
	return rc;
}

/* The note of a site without `existing:`: a greenfield, every default named. */
int est_sl__greenfield_note(sloader *l)
{
	est_scenario *s = l->s;

	if (s->has_existing || s->mode == EST_MODE_CLOUD)
		return 0;
	if (s->mode == EST_MODE_COLOCATION)
		return est_sl__note(l, "existing: not given: a greenfield start: 0 servers, 0 TB of "
				       "storage, 0 kW contracted, 0 racks");
	return est_sl__note(l, "existing: not given: a greenfield site: 0 servers, 0 TB of storage, "
			       "0 racks and 0 kW of power, every kW built at %g %s/kW",
			    s->buildout_cost_per_kw, s->currency);
}
