/*
 * The headline metrics: compared between variants, scenarios and sweep
 * points, given ranges by the Monte Carlo sampler, and the rows a batch
 * writes by default. One line per metric.
 */
#include <string.h>

#include "estimator/model.h"
#include "headlines.h"

static double h_inferences(const est_year *y) { return y->inferences; }
static double h_facility(const est_year *y) { return y->energy_kwh.facility; }
static double h_location(const est_year *y) { return y->location_kg; }
static double h_market(const est_year *y) { return y->market_kg; }
static double h_embodied(const est_year *y) { return y->embodied_kg; }
static double h_water(const est_year *y) { return y->water_l; }
static double h_capex(const est_year *y) { return y->capex; }
static double h_opex(const est_year *y) { return y->opex; }
static double h_accelerators(const est_year *y) { return y->accelerators.to_buy; }
static double h_servers(const est_year *y) { return y->servers.to_buy; }
static double h_storage(const est_year *y) { return y->storage_tb.to_buy; }
static double h_power(const est_year *y) { return y->power_upgrade_kw; }

const est_headline est_headlines[] = {
	/* key, label, unit, getter; text: unit, scale, decimals */
	{"inferences", "inferences", "count", h_inferences, "", 1, 0},
	{"energy_kwh.facility", "facility energy", "kWh", h_facility, "MWh", 1e-3, 2},
	{"emissions_kgco2e.location_based", "location-based emissions", "kgCO2e", h_location, "tCO2e", 1e-3, 2},
	{"emissions_kgco2e.market_based", "market-based emissions", "kgCO2e", h_market, "tCO2e", 1e-3, 2},
	{"emissions_kgco2e.embodied", "embodied emissions", "kgCO2e", h_embodied, "tCO2e", 1e-3, 2},
	{"water_l", "water", "L", h_water, "m3", 1e-3, 1},
	{"cost.capex", "capex", "$", h_capex, "$", 1, 0},
	{"cost.opex", "opex", "$", h_opex, "$", 1, 0},
	{"accelerators.to_buy", "accelerators to buy", "count", h_accelerators, "", 1, 0},
	{"servers.to_buy", "servers to buy", "count", h_servers, "", 1, 0},
	{"storage_tb.to_buy", "storage to buy", "TB", h_storage, "TB", 1, 2},
	{"power_kw.upgrade", "power upgrade", "kW", h_power, "kW", 1, 1},
};

const size_t est_n_headlines = sizeof(est_headlines) / sizeof(est_headlines[0]);

/* The table and EST_HEADLINES (model.h, the size of est_year.ranges) agree. */
typedef char headlines_match[sizeof(est_headlines) / sizeof(est_headlines[0]) == EST_HEADLINES ? 1 : -1];

static const struct {
	const char *key, *unit;
} extras[EST_RANGED - EST_HEADLINES] = {{"cost.total", "$"}, {"power_kw.it_peak", "kW"}};

const char *est_ranged_key(size_t h)
{
	return h < EST_HEADLINES ? est_headlines[h].key : extras[h - EST_HEADLINES].key;
}

const char *est_ranged_unit(size_t h)
{
	return h < EST_HEADLINES ? est_headlines[h].unit : extras[h - EST_HEADLINES].unit;
}

double est_ranged_get(size_t h, const est_variant *v, size_t y)
{
	const est_year *yr = y < v->n_years ? &v->years[y] : &v->totals;
	double peak = 0;
	size_t i;

	if (h < EST_HEADLINES)
		return est_headlines[h].get(yr);
	if (h == EST_HEADLINES)
		return yr->cost;
	if (y < v->n_years)
		return yr->it_peak_kw;
	for (i = 0; i < v->n_years; i++)
		peak = v->years[i].it_peak_kw > peak ? v->years[i].it_peak_kw : peak;
	return peak;
}

int est_headline_index(const char *key)
{
	size_t h;

	for (h = 0; h < est_n_headlines; h++)
		if (!strcmp(est_headlines[h].key, key))
			return (int)h;
	return -1;
}

const char *est_headline_unit(const est_headline *h, const char *currency)
{
	return strcmp(h->unit, "$") ? h->unit : currency;
}
