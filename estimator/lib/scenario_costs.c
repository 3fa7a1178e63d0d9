/*
 * The scenario's costs section: currency, exchange rates (a rate may be a
 * distribution), named and given prices, and the defaults from the profiles.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"

/* A rate as stated, for converting results later (compare, batch). */
static void remember_rate(est_scenario *s, const char *code, double rate)
{
	size_t i;

	for (i = 0; i < s->n_rates; i++)
		if (!strcmp(s->rates[i].code, code))
			return;
	if (s->n_rates == sizeof(s->rates) / sizeof(s->rates[0]))
		return;
	snprintf(s->rates[s->n_rates].code, sizeof(s->rates[0].code), "%s", code);
	s->rates[s->n_rates++].rate = rate;
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
		est_sl__set_section(l, "costs.exchange_rates", NULL);
		l->reading_rate = 1;
		rc = est_ydoc_quantity(l->doc, l->rates, from, "1", 1, &rate, NULL, l->err);
		l->reading_rate = 0;
		memcpy(l->section, saved, sizeof(saved));
		if (rc == 0)
			rc = est_sl__range(l, l->rates, from, rate, 1e-12, EST_SL_MAX, "");
		if (rc < 0)
			return rc;
		u = &l->s->uncertain[l->s->n_uncertain - 1];
	}
	rate = est_dist_median(&u->dist);
	remember_rate(l->s, from, rate);
	for (i = 0; i < u->n_scales; i++)
		if (u->scales[i] == (size_t)((char *)amount - (char *)l->s))
			return 0; /* converted twice: scaled once */
	if (u->n_scales == sizeof(u->scales) / sizeof(u->scales[0]))
		return est_ydoc_fail_key(l->doc, l->rates, from, l->err, "too many amounts in %s", from);
	*amount *= rate;
	own = est_sl__uncertain_at(l, amount);
	if (own)
		est_dist_scale(&own->dist, rate);
	u->scales[u->n_scales++] = (size_t)((char *)amount - (char *)l->s);
	return 0;
}

/* The first conversion from a currency is named in the notes, with its rate. */
static int note_rate(sloader *l, const char *code, double rate)
{
	size_t i;

	for (i = 0; i < l->s->n_rates; i++)
		if (!strcmp(l->s->rates[i].code, code)) {
			if (l->s->rates[i].noted)
				return 0;
			l->s->rates[i].noted = 1;
		}
	return est_sl__note(l, "amounts in %s converted to %s at 1 %s = %g %s (costs.exchange_rates)",
			    code, l->s->currency, code, rate, l->s->currency);
}

/* Convert amount from currency `from` to the scenario's currency. */
int est_sl__to_currency(sloader *l, double *amount, const char *from, const char *what)
{
	double rate = 0;
	char rate_currency[EST_CURRENCY_MAX] = "";
	int rc;

	/* a distribution whose median is 0 still has amounts to convert */
	if (!strcmp(from, l->s->currency) || (*amount == 0 && !est_sl__uncertain_at(l, amount)))
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
	remember_rate(l->s, from, rate);
	rc = note_rate(l, from, rate);
	if (rc < 0)
		return rc;
	*amount *= rate;
	{
		est_uncertain *u = est_sl__uncertain_at(l, amount);
		if (u)
			est_dist_scale(&u->dist, rate);
	}
	return 0;
}

/* An optional price in the costs section, converted to the scenario currency. */
int est_sl__price(sloader *l, const char *key, const char *unit, double *out, int *given)
{
	char cur[EST_CURRENCY_MAX] = "";
	int rc;

	*given = l->costs && est_ydoc_get(l->doc, l->costs, key);
	if (!*given)
		return 0;
	rc = est_ydoc_quantity(l->doc, l->costs, key, unit, 1, out, cur, l->err);
	if (rc == 0) {
		char shown[32]; /* "CUR/kWh" in the amount's own currency */
		snprintf(shown, sizeof(shown), "%s%s", cur[0] ? cur : l->s->currency, unit + 3);
		rc = NONNEG(l, l->costs, key, *out, shown);
	}
	if (rc == 0)
		rc = est_sl__to_currency(l, out, cur, key);
	return rc;
}

/* costs.electricity_price as a table of years, each converted to the scenario currency. */
static int price_table(sloader *l, int *given)
{
	est_path *p = &l->s->price_path;
	char cur[EST_CURRENCY_MAX] = "";
	size_t i;
	int rc = est_sl__path(l, l->costs, "electricity_price", "CUR/kWh", 0, 1e6, p, cur);
	const yaml_node_t *rate = rc == 0 && strcmp(cur, l->s->currency) && l->rates
					  ? est_ydoc_get(l->doc, l->rates, cur) : NULL;

	if (rate && rate->type == YAML_MAPPING_NODE)
		return est_ydoc_fail_key(l->doc, l->costs, "electricity_price", l->err,
					 "a table of prices in %s cannot take an uncertain exchange rate; give the table in %s",
					 cur, l->s->currency);
	for (i = 0; i < p->n && rc == 0; i++)
		rc = est_sl__to_currency(l, &p->values[i], cur, "electricity_price");
	l->s->electricity_price_per_kwh = est_path_at(p, 0, l->s->start_year);
	*given = 1;
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
	return est_sl__to_currency(l, &l->s->electricity_price_per_kwh, pr->currency, "the electricity price");
}

static double ratio(double converted, double original)
{
	return original != 0 ? converted / original : 1;
}

int est_sl__load_costs(sloader *l)
{
	static const char *const keys[] = {"currency", "exchange_rates", "electricity_price",
					   "server_price", "storage_price", "buildout_cost",
					   "network_price", "rack_price", "maintenance", "licence_price",
					   "staff", "colocation_price", "colocation_rack_price",
					   "cloud_storage_price", "discount_rate", "carbon_price",
					   "minimum_order", NULL};
	est_scenario *s = l->s;
	const char *currency = NULL;
	int rc = est_sl__section(l, l->root, "costs", keys, 0, &l->costs), given;

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
		rc = est_sl__note(l, "costs.currency not given: %s", s->currency);
		if (rc < 0)
			return rc;
	}

	rc = named_price(l, &given);
	if (rc == 0 && !given && est_sl__is_table(l, l->costs, "electricity_price"))
		rc = price_table(l, &given);
	if (rc == 0 && !given)
		rc = est_sl__price(l, "electricity_price", "CUR/kWh", &s->electricity_price_per_kwh, &given);
	if (rc == 0 && !given && s->mode == EST_MODE_CLOUD) {
		s->electricity_price_per_kwh = 0; /* the provider's, in the instance price */
	} else if (rc == 0 && !given) {
		if (s->grid->price_per_kwh <= 0)
			return est_ydoc_fail(l->doc, l->costs ? l->costs : l->root, l->err,
					     "grid '%s' has no electricity price in the profiles; set costs.electricity_price",
					     s->grid->id);
		s->electricity_price_per_kwh = s->grid->price_per_kwh;
		rc = est_sl__to_currency(l, &s->electricity_price_per_kwh, s->grid->currency, "the grid's electricity price");
		if (rc == 0)
			rc = est_sl__note(l, "costs.electricity_price not given: grid %s, %g %s/kWh (%s)", s->grid->id,
				  s->grid->price_per_kwh, s->grid->currency,
				  s->grid->price_period ? s->grid->price_period : "");
	}
	if (rc == 0 && s->mode != EST_MODE_CLOUD)
		rc = est_sl__price(l, "server_price", "CUR", &s->server_price, &given);
	s->server_price_given = given;
	if (rc == 0 && !given && s->mode != EST_MODE_CLOUD) {
		if (s->server->price > 0) {
			s->server_price = s->server->price;
			rc = est_sl__to_currency(l, &s->server_price, s->server->currency, "the server price");
			if (rc == 0)
				rc = est_sl__note(l, "costs.server_price not given: %s public price %g %s%s",
					  s->server->id, s->server->price, s->server->currency,
					  s->server->price_unverified
						  ? " (UNVERIFIED: no source that can be checked gives it; set costs.server_price)"
						  : "");
		} else {
			rc = est_sl__note(l, "no public price for %s: server capex is 0; set costs.server_price",
				  s->server->id);
		}
	}
	if (rc == 0)
		rc = est_sl__price(l, "storage_price", "CUR/TB", &s->storage_price_per_tb, &given);
	if (rc == 0 && !given && s->mode != EST_MODE_CLOUD)
		rc = est_sl__note(l, "costs.storage_price not given: storage capex is 0 (no public source)");
	if (rc == 0)
		rc = est_sl__price(l, "buildout_cost", "CUR/kW", &s->buildout_cost_per_kw, &given);
	if (rc == 0 && !est_ydoc_get(l->doc, l->costs ? l->costs : l->root, "electricity_price") &&
	    s->grid->price_per_kwh > 0)
		rc = est_sl__inherit(l, &s->electricity_price_per_kwh, EST_RECORD_GRID, s->grid->id,
			     offsetof(est_grid, price_per_kwh),
			     ratio(s->electricity_price_per_kwh, s->grid->price_per_kwh), 0, HUGE_VAL,
			     "costs.electricity_price");
	if (rc == 0 && s->mode != EST_MODE_CLOUD &&
	    !(l->costs && est_ydoc_get(l->doc, l->costs, "server_price")) && s->server->price > 0)
		rc = est_sl__inherit(l, &s->server_price, EST_RECORD_SERVER, s->server->id, offsetof(est_server, price),
			     ratio(s->server_price, s->server->price), 0, HUGE_VAL, "costs.server_price");
	if (rc == 0 && !given) {
		s->buildout_cost_per_kw = s->facility->buildout_cost_per_kw;
		rc = est_sl__to_currency(l, &s->buildout_cost_per_kw, s->facility->currency,
				 "the facility build-out cost");
		if (rc == 0 && s->mode == EST_MODE_ON_PREMISES)
			rc = est_sl__note(l, "costs.buildout_cost not given: facility class %s, %g %s/kW",
				  s->facility->id, s->facility->buildout_cost_per_kw, s->facility->currency);
		if (rc == 0)
			rc = est_sl__inherit(l, &s->buildout_cost_per_kw, EST_RECORD_FACILITY, s->facility->id,
				     offsetof(est_facility, buildout_cost_per_kw),
				     ratio(s->buildout_cost_per_kw, s->facility->buildout_cost_per_kw), 0,
				     HUGE_VAL, "costs.buildout_cost");
	}
	if (rc == 0)
		rc = est_sl__load_tco(l);
	if (rc == 0 && l->rates) { /* the rates stated but not used yet, for compare and batch */
		yaml_node_pair_t *p;
		for (p = l->rates->data.mapping.pairs.start; p < l->rates->data.mapping.pairs.top; p++) {
			const char *code = est_ydoc_text(est_ydoc_node(l->doc, p->key));
			const char *text = est_ydoc_text(est_ydoc_node(l->doc, p->value));
			est_quantity q;
			char msg[128];
			if (code && text && est_quantity_parse(&q, text, msg, sizeof(msg)) == 0 && q.value > 0 &&
			    (q.bare || !strcmp(q.currency, s->currency)))
				remember_rate(s, code, q.value);
		}
	}
	return rc;
}
