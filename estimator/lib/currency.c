/*
 * A result in another currency (docs/model.md section 10, "Currency"): every
 * amount of money it holds multiplied by one stated rate, so that `compare`
 * and `batch` can put scenarios costed in different currencies side by
 * side. Energy, emissions and everything else stay as they are.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "estimator/model.h"
#include "headlines.h"

static void year_money(est_year *y, double k)
{
	size_t h;

	y->electricity_price *= k;
	y->capex *= k;
	y->opex *= k;
	y->capex_by.servers *= k;
	y->capex_by.storage *= k;
	y->capex_by.network *= k;
	y->capex_by.racks *= k;
	y->capex_by.power *= k;
	y->opex_by.electricity *= k;
	y->opex_by.maintenance *= k;
	y->opex_by.licences *= k;
	y->opex_by.colocation *= k;
	y->opex_by.cloud *= k;
	y->opex_by.staff *= k;
	y->cost *= k;
	y->npv *= k;
	y->cost_per_1000 *= k;
	y->carbon_cost *= k;
	for (h = 0; y->has_ranges && h < EST_RANGED; h++)
		if (!strcmp(est_ranged_unit(h), "$")) {
			y->ranges[h].p5 *= k;
			y->ranges[h].p50 *= k;
			y->ranges[h].p95 *= k;
			y->ranges[h].mean *= k;
		}
}

void est_result_convert_currency(est_result *r, const char *to, double rate)
{
	size_t i, j;

	assert(r && to && rate > 0);
	for (i = 0; i < r->n_variants; i++) {
		est_variant *v = &r->variants[i];
		for (j = 0; j < v->n_years; j++)
			year_money(&v->years[j], rate);
		year_money(&v->totals, rate);
		if (v->has_delta)
			year_money(&v->delta, rate);
		v->instance_price_per_hour *= rate;
	}
	snprintf(r->currency, sizeof(r->currency), "%s", to);
}

int est_currency_rate(const est_scenario *s, const char *to, const est_rate *rates, size_t n_rates,
		      const char *file, double *rate, const char **origin, est_error *err)
{
	size_t i;

	for (i = 0; i < n_rates; i++)
		if (!strcmp(rates[i].code, s->currency)) {
			*rate = rates[i].rate;
			*origin = "--rate";
			return 0;
		}
	for (i = 0; i < s->n_rates; i++)
		if (!strcmp(s->rates[i].code, to) && s->rates[i].rate > 0) {
			*rate = 1.0 / s->rates[i].rate; /* it states 1 `to` = r of its own */
			*origin = "costs.exchange_rates";
			return 0;
		}
	return est_error_set(err, EST_EINVALID, file, 0, 0,
			     "costed in %s, wanted in %s: give --rate %s=<%s per %s>, or "
			     "costs.exchange_rates: {%s: <%s per %s>} in the file",
			     s->currency, to, s->currency, to, s->currency, to, s->currency, to);
}
