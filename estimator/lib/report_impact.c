/*
 * The procurement report, sections 7 to 12: cost, energy and the site's
 * indicators, Scope 2 location- and market-based, embodied against
 * operational emissions, the ESG target, and water (docs/report.md).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "headlines.h"
#include "report_sections.h"

/* ---- 7. cost ---- */

void est_report__cost(rep *r)
{
	static const field f[] = {
		{"capex: servers", FIELD(capex_by.servers), 1, 0, 0, 0},
		{"capex: storage", FIELD(capex_by.storage), 1, 0, 0, 0},
		{"capex: network", FIELD(capex_by.network), 1, 0, 0, 0},
		{"capex: racks", FIELD(capex_by.racks), 1, 0, 0, 0},
		{"capex: power", FIELD(capex_by.power), 1, 0, 0, 0},
		{"opex: electricity", FIELD(opex_by.electricity), 1, 0, 0, 0},
		{"opex: maintenance", FIELD(opex_by.maintenance), 1, 0, 0, 0},
		{"opex: licences", FIELD(opex_by.licences), 1, 0, 0, 0},
		{"opex: colocation", FIELD(opex_by.colocation), 1, 0, 0, 0},
		{"opex: cloud", FIELD(opex_by.cloud), 1, 0, 0, 0},
		{"opex: staff", FIELD(opex_by.staff), 1, 0, 0, 0},
	};
	size_t k, i, j;

	est_rw_heading(&r->w, 2, "cost", "Cost");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = est_report__base(it);
		field used[11];
		size_t nu = 0, n = est_report__set_years(r, v);
		char ylabel[48];
		double *cum = calloc(n ? n : 1, sizeof(double)), *pv = calloc(n ? n : 1, sizeof(double));
		est_chart_series s[2];
		char tco[CELL], npv[CELL], per[NUMW];

		est_report__which(r, it);
		for (i = 0; i < 11; i++) {
			int any = 0;
			for (j = 0; j < v->n_years; j++) {
				double x;
				memcpy(&x, (const char *)&v->years[j] + f[i].offset, sizeof(x));
				any |= x != 0;
			}
			if (any)
				used[nu++] = f[i];
		}
		snprintf(ylabel, sizeof(ylabel), "cost (%s)", it->result->currency);
		if (nu > 0)
			est_report__year_chart(r, v, EST_CHART_STACKED, "cost", "Capex and opex by kind",
				   "Each year's capital and operating expenditure, stacked by kind.", ylabel,
				   used, nu);
		if (cum && pv) {
			for (i = 0; i < n; i++) {
				cum[i] = v->years[i].cost + (i ? cum[i - 1] : 0);
				pv[i] = v->years[i].npv + (i ? pv[i - 1] : 0);
			}
			memset(s, 0, sizeof(s));
			s[0].name = "cost of ownership, cumulative";
			s[0].values = cum;
			s[1].name = "present value, cumulative";
			s[1].values = pv;
			est_report__chart(r, EST_CHART_LINES, "tco", "Cumulative cost of ownership",
			      "The cost of ownership summed year by year, and its present value.", "year",
			      ylabel, r->year_names, n, s, 2);
		}
		free(cum);
		free(pv);
		est_report__money(tco, v->totals.cost, it->result->currency);
		est_report__money(npv, v->totals.npv, it->result->currency);
		est_report__num(per, v->totals.cost_per_1000, 3);
		est_rw_para(&r->w, "Total cost of ownership %s, net present value %s, %s %s per 1,000 inferences.",
			    tco, npv, per, it->result->currency);
		if (v->totals.carbon_cost > 0) {
			est_report__money(tco, v->totals.carbon_cost, it->result->currency);
			est_rw_para(&r->w, "Internal carbon price: %s over the horizon (a shadow cost, not in the total).",
				    tco);
		}
	}
}

/* ---- 8. energy and the site; 9. Scope 2; 10. embodied; 11. target; 12. water ---- */

void est_report__energy(rep *r)
{
	static const field f[] = {
		{"IT", FIELD(energy_kwh.it), 1e-3, 0, 0, 0},
		{"facility", FIELD(energy_kwh.facility), 1e-3, 0, 0, 0},
	};
	static const char *const head[] = {"indicator", "value"};
	static const int numeric[] = {0, 1};
	size_t k;

	est_rw_heading(&r->w, 2, "energy", "Energy and site indicators");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_scenario *s = it->scenario;
		char cells[4][2][CELL];
		const char *ptrs[8];
		size_t i;

		est_report__which(r, it);
		est_report__year_chart(r, est_report__base(it), EST_CHART_COLUMNS, "energy", "IT and facility energy",
			   "Energy each year: IT (servers and storage) and facility (IT x PUE).",
			   "energy (MWh)", f, 2);
		snprintf(cells[0][0], CELL, "PUE");
		est_report__num(cells[0][1], s->pue, 2);
		snprintf(cells[1][0], CELL, "WUE (L/kWh of IT energy)");
		est_report__num(cells[1][1], s->wue_l_per_kwh, 2);
		snprintf(cells[2][0], CELL, "renewable share (contractual)");
		est_report__num(cells[2][1], s->renewable_share * 100, 0);
		strncat(cells[2][1], " %", CELL - strlen(cells[2][1]) - 1);
		snprintf(cells[3][0], CELL, "grid");
		snprintf(cells[3][1], CELL, "%s", s->grid->id);
		for (i = 0; i < 4; i++) {
			ptrs[2 * i] = cells[i][0];
			ptrs[2 * i + 1] = cells[i][1];
		}
		est_rw_table(&r->w, "Site indicators", head, 2, ptrs, 4, numeric);
	}
}

void est_report__scope2(rep *r)
{
	static const field f[] = {
		{"location-based", FIELD(location_kg), 1e-3, 0, 0, 0},
		{"market-based", FIELD(market_kg), 1e-3, 0, 0, 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "scope-2", "Scope 2 emissions");
	for (k = 0; k < r->in->n_items; k++) {
		const est_variant *v = est_report__base(&r->in->items[k]);
		est_report__which(r, &r->in->items[k]);
		est_report__year_chart(r, v, EST_CHART_COLUMNS, "scope2", "Location-based and market-based emissions",
			   "Scope 2 emissions each year, location-based (the grid's intensity) beside market-based (contractual instruments and the residual mix).",
			   "emissions (tCO2e)", f, 2);
		est_rw_para(&r->w, "Market-based factor: %s.", v->market_basis ? v->market_basis : "");
	}
}

void est_report__embodied(rep *r)
{
	static const field f[] = {
		{"operational (location-based)", FIELD(location_kg), 1e-3, 0, 0, 0},
		{"embodied (Scope 3)", FIELD(embodied_kg), 1e-3, 0, 0, 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "embodied", "Embodied and operational emissions");
	for (k = 0; k < r->in->n_items; k++) {
		est_report__which(r, &r->in->items[k]);
		est_report__year_chart(r, est_report__base(&r->in->items[k]), EST_CHART_STACKED, "embodied",
			   "Operational and embodied emissions",
			   "Operational (location-based) and embodied emissions each year; embodied carbon is counted in the purchase year, or in the cloud as the year's share of the hardware's life.",
			   "emissions (tCO2e)", f, 2);
	}
}

void est_report__target(rep *r)
{
	static const field f[] = {
		{"counted emissions", FIELD(counted_kg), 1e-3, 0, 0, 0},
		{"budget", FIELD(budget_kg), 1e-3, 1, 0, 0},
	};
	static const field gap[] = {
		{"budget less counted", FIELD(budget_kg), 1e-3, 0, FIELD(counted_kg), 1},
	};
	size_t k, i;

	est_rw_heading(&r->w, 2, "target", "Emissions against the target");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = est_report__base(it);
		est_report__which(r, it);
		if (!it->result->has_target) {
			est_rw_para(&r->w, "No ESG target in the scenario (targets: gives one).");
			continue;
		}
		est_report__year_chart(r, v, EST_CHART_LINES, "target", "Emissions against the budget",
			   "The emissions the target counts each year against its budget; a year above the budget line misses the target.",
			   "emissions (tCO2e)", f, 2);
		est_report__year_chart(r, v, EST_CHART_COLUMNS, "target-gap", "The gap to the budget",
			   "Each year's budget less the emissions it counts: a column above zero is room under the budget, below zero the excess over it.",
			   "budget less counted (tCO2e)", gap, 1);
		for (i = 0; i < v->n_years; i++)
			if (!v->years[i].within_budget) {
				char over[NUMW];
				est_report__num(over, (v->years[i].counted_kg - v->years[i].budget_kg) / 1000, 1);
				est_rw_item(&r->w, "%d: %s tCO2e over the budget", v->years[i].year, over);
			}
		est_rw_list_end(&r->w);
	}
}

void est_report__water(rep *r)
{
	static const field f[] = {{"water", FIELD(water_l), 1e-3, 0, 0, 0}};
	size_t k;

	est_rw_heading(&r->w, 2, "water", "Water");
	for (k = 0; k < r->in->n_items; k++) {
		est_report__which(r, &r->in->items[k]);
		est_report__year_chart(r, est_report__base(&r->in->items[k]), EST_CHART_COLUMNS, "water", "Water",
			   "Site water (IT energy x WUE) and the electricity's own water, each year.",
			   "water (m3)", f, 1);
	}
}

