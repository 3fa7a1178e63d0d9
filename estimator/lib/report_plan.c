/*
 * The procurement report, sections 1 to 6: the decision summary, demand per
 * workload, the capacity plan, the purchase schedule, power and cooling, and
 * the storage plan (docs/report.md).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "headlines.h"
#include "report_sections.h"

/* ---- 1. decision summary ---- */

/* What a year buys, the items bought only: "3 servers (2 replacing retired servers), 20 kW power". */
static void bought_line(char *out, const est_year *y)
{
	char n[NUMW];
	size_t at = 0;

	out[0] = '\0';
	if (y->servers.to_buy > 0) {
		est_report__num(n, y->servers.to_buy, 0);
		at += (size_t)snprintf(out + at, 3 * CELL - at, "%s server%s", n,
				       y->servers.to_buy == 1 ? "" : "s");
		if (y->servers_replacing > 0) {
			est_report__num(n, y->servers_replacing, 0);
			at += (size_t)snprintf(out + at, 3 * CELL - at, " (%s replacing %s)", n,
					       y->servers_replacing == 1 ? "a retired server"
									 : "retired servers");
		}
	}
	if (y->storage_tb.to_buy > 0 && at < 3 * CELL) {
		est_report__num(n, y->storage_tb.to_buy, y->storage_tb.to_buy == floor(y->storage_tb.to_buy) ? 0 : 2);
		at += (size_t)snprintf(out + at, 3 * CELL - at, "%s%s TB storage", at ? ", " : "", n);
	}
	if (y->power_upgrade_kw > 0 && at < 3 * CELL) {
		est_report__num(n, y->power_upgrade_kw, y->power_upgrade_kw == floor(y->power_upgrade_kw) ? 0 : 1);
		snprintf(out + at, 3 * CELL - at, "%s%s kW power", at ? ", " : "", n);
	}
}

void est_report__decision(rep *r)
{
	size_t k;

	est_rw_heading(&r->w, 2, "decision-summary", "Decision summary");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = est_report__base(it);
		const est_year *t = &v->totals;
		const char *cur = it->result->currency;
		char val[8][CELL], n[NUMW];
		const char *labels[8] = {"Capex over the horizon", "Total cost of ownership",
					 "Net present value", "Cost per 1,000 inferences",
					 "Peak IT power", "Location-based emissions",
					 "Market-based emissions", "Embodied emissions"};
		const char *vals[8], *notes[8];
		char line[3 * CELL], note[6][2 * NUMW + 24];
		size_t i, bought = 0;

		est_report__which(r, it);
		est_report__money(val[0], t->capex, cur);
		est_report__money(val[1], t->cost, cur);
		est_report__money(val[2], t->npv, cur);
		est_report__num(n, t->cost_per_1000, 3);
		snprintf(val[3], CELL, "%s %s", n, cur);
		est_report__num(n, est_report__peak_it_kw(v), 1);
		snprintf(val[4], CELL, "%s kW", n);
		est_report__num(n, t->location_kg / 1000, 1);
		snprintf(val[5], CELL, "%s tCO2e", n);
		est_report__num(n, t->market_kg / 1000, 1);
		snprintf(val[6], CELL, "%s tCO2e", n);
		est_report__num(n, t->embodied_kg / 1000, 1);
		snprintf(val[7], CELL, "%s tCO2e", n);
		for (i = 0; i < 8; i++) {
			vals[i] = val[i];
			notes[i] = NULL;
		}
		if (t->has_ranges) { /* the sampled p5-p95 of the figures the sampler ranges */
			static const struct {
				size_t tile;
				const char *key;
				double scale;
				int decimals;
			} ranged[] = {{0, "cost.capex", 1, 0},
				      {1, "cost.total", 1, 0},
				      {4, "power_kw.it_peak", 1, 1},
				      {5, "emissions_kgco2e.location_based", 1e-3, 1},
				      {6, "emissions_kgco2e.market_based", 1e-3, 1},
				      {7, "emissions_kgco2e.embodied", 1e-3, 1}};
			for (i = 0; i < sizeof(ranged) / sizeof(ranged[0]); i++) {
				size_t h;
				char lo[NUMW], hi[NUMW];
				for (h = 0; h < EST_RANGED && strcmp(est_ranged_key(h), ranged[i].key); h++)
					;
				if (h == EST_RANGED)
					continue;
				est_report__num(lo, t->ranges[h].p5 * ranged[i].scale, ranged[i].decimals);
				est_report__num(hi, t->ranges[h].p95 * ranged[i].scale, ranged[i].decimals);
				snprintf(note[i], sizeof(note[i]), "(p5-p95 %s to %s)", lo, hi);
				notes[ranged[i].tile] = note[i];
			}
		}
		est_rw_para(&r->w, "%s, %s deployment, %d-%d (%zu years); present value at %.1f%% a year.",
			    it->result->scenario_name, v->mode ? v->mode : "", v->years[0].year,
			    v->years[v->n_years - 1].year, v->n_years, v->discount_rate * 100);
		if (it->conversion)
			est_rw_para(&r->w, "Costs converted from %s.", it->conversion);
		est_rw_figures(&r->w, labels, vals, notes, 8);
		if (t->has_ranges)
			est_rw_para(&r->w, "Sampled inputs: each figure is the evaluation at the inputs' "
					   "medians; p5-p95 is the range of the samples (the present value and "
					   "the cost per 1,000 inferences are not ranged; section 14 has the "
					   "years).");
		for (i = 0; i < v->n_years; i++) {
			const est_year *y = &v->years[i];
			if (y->servers.to_buy <= 0 && y->storage_tb.to_buy <= 0 && y->power_upgrade_kw <= 0)
				continue;
			bought++;
			bought_line(line, y);
			est_report__num(n, y->capex, 0);
			est_rw_item(&r->w, "%d: %s; capex %s %s", y->year, line, n, cur);
		}
		if (v->cloud_region) {
			est_report__num(n, t->opex_by.cloud, 0);
			est_rw_item(&r->w, "rent %s in %s (%s): %s %s over the horizon", v->server,
				    v->cloud_region, v->cloud_pricing ? v->cloud_pricing : "", n, cur);
			bought++;
		}
		if (!bought)
			est_rw_item(&r->w, "nothing to buy over the horizon");
		est_rw_list_end(&r->w);
		if (it->result->has_target) {
			size_t over = 0;
			for (i = 0; i < v->n_years; i++)
				over += !v->years[i].within_budget;
			est_rw_para(&r->w, "Emissions target: %s in %zu of %zu years.",
				    over ? "exceeded" : "met", over ? over : v->n_years, v->n_years);
		}
	}
}

/* ---- 2. demand per workload ---- */

void est_report__demand(rep *r)
{
	size_t k, i, j;

	est_rw_heading(&r->w, 2, "demand", "Demand");
	for (k = 0; k < r->in->n_items; k++) {
		const est_variant *v = est_report__base(&r->in->items[k]);
		size_t n = est_report__set_years(r, v), nw = v->n_workloads, shown = nw <= 8 ? nw : 7;
		size_t ns = nw <= 8 ? nw : 8;
		est_chart_series s[8];
		double *d[8], p50[YEARS_MAX], lo[YEARS_MAX], hi[YEARS_MAX];
		char other[64];
		int ok = 1, h;

		est_report__which(r, &r->in->items[k]);
		/* seven workloads and the rest as one when there are more than eight */
		for (j = 0; j < ns; j++) {
			d[j] = calloc(n ? n : 1, sizeof(double));
			ok &= d[j] != NULL;
			memset(&s[j], 0, sizeof(s[j]));
			s[j].values = d[j];
			s[j].name = j < shown ? v->workloads[j].name : other;
		}
		snprintf(other, sizeof(other), "the other %zu workloads", nw - shown);
		for (j = 0; ok && j < nw; j++)
			for (i = 0; i < n; i++)
				d[j < shown ? j : 7][i] += v->workloads[j].years[i].inferences / 1e6;
		if (ok && nw > 0)
			est_report__chart(r, EST_CHART_AREA, "demand", "Inferences per workload",
			      "Inferences a year of each workload, stacked, in millions.", "year",
			      "inferences (millions)", r->year_names, n, s, ns);
		for (j = 0; j < ns; j++)
			free(d[j]);
		if (!v->totals.has_ranges)
			continue;
		for (i = 0, h = est_headline_index("inferences"); h >= 0 && i < n; i++) {
			p50[i] = v->years[i].ranges[h].p50 / 1e6;
			lo[i] = v->years[i].ranges[h].p5 / 1e6;
			hi[i] = v->years[i].ranges[h].p95 / 1e6;
		}
		memset(&s[0], 0, sizeof(s[0]));
		s[0].name = "all inferences";
		s[0].values = p50;
		s[0].lo = lo;
		s[0].hi = hi;
		est_report__chart(r, EST_CHART_BAND, "demand-band", "All inferences, p5 to p95",
		      "The median of the sampled inferences a year, all workloads, within the band from the 5th to the 95th percentile, in millions.",
		      "year", "inferences (millions)", r->year_names, n, &s[0], 1);
	}
}

/* ---- 3. capacity ---- */

void est_report__capacity(rep *r)
{
	static const field acc[] = {
		{"accelerators required", FIELD(accelerators.required), 1, 0, 0, 0},
		{"accelerators installed", FIELD(accelerators.existing), 1, 1, FIELD(accelerators.to_buy), 0},
	};
	static const field srv[] = {
		{"servers required", FIELD(servers.required), 1, 0, 0, 0},
		{"servers installed", FIELD(servers.existing), 1, 1, FIELD(servers.to_buy), 0},
		{"racks required", FIELD(racks.required), 1, 0, 0, 0},
		{"racks installed", FIELD(racks.existing), 1, 1, FIELD(racks.to_buy), 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "capacity-plan", "Capacity plan");
	for (k = 0; k < r->in->n_items; k++) {
		const est_variant *v = est_report__base(&r->in->items[k]);
		est_report__which(r, &r->in->items[k]);
		est_report__year_chart(r, v, EST_CHART_LINES, "accelerators", "Accelerators",
			   "Accelerators the load requires each year, against those installed that year (in place at the start of the year and bought; rented, in the cloud).",
			   "count", acc, 2);
		est_report__year_chart(r, v, EST_CHART_LINES, "servers", "Servers and racks",
			   "Servers and racks the load requires each year, against those installed that year.",
			   "count", srv, 4);
	}
}

/* ---- 4. purchases ---- */

void est_report__purchases(rep *r)
{
	static const char *const head[] = {"year", "item", "quantity", "cost", "why"};
	static const int numeric[] = {0, 0, 1, 1, 0};
	size_t k, i;

	est_rw_heading(&r->w, 2, "purchase-schedule", "Purchase schedule");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = est_report__base(it);
		const char *cur = it->result->currency;
		char (*cells)[CELL] = calloc(v->n_years * 5 * 5 + 1, CELL);
		const char **ptrs = calloc(v->n_years * 5 * 5 + 1, sizeof(*ptrs));
		size_t rows = 0, unpriced = 0;

		est_report__which(r, it);
		if (!cells || !ptrs) {
			free(cells);
			free(ptrs);
			r->w.rc = est_error_set(r->w.err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			return;
		}
		for (i = 0; i < v->n_years; i++) {
			const est_year *y = &v->years[i];
			struct {
				const char *item;
				double q, cost;
				const char *why;
			} b[] = {
				{"servers", y->servers.to_buy, y->capex_by.servers + y->capex_by.network,
				 y->servers_replacing >= y->servers.to_buy ? "replacement"
				 : y->servers_replacing > 0 ? "growth and replacement" : "growth"},
				{"storage (TB)", y->storage_tb.to_buy, y->capex_by.storage, "growth"},
				{"racks", y->racks.to_buy, y->capex_by.racks, "growth"},
				{"power (kW)", y->power_upgrade_kw, y->capex_by.power,
				 v->mode && !strcmp(v->mode, "colocation") ? "contracted, rented" : "growth"},
			};
			size_t j;
			for (j = 0; j < 4; j++) {
				if (b[j].q <= 0)
					continue;
				snprintf(cells[rows * 5], CELL, "%d", y->year);
				snprintf(cells[rows * 5 + 1], CELL, "%s", b[j].item);
				est_report__num(cells[rows * 5 + 2], b[j].q, b[j].q == floor(b[j].q) ? 0 : 2);
				est_report__money(cells[rows * 5 + 3], b[j].cost, cur);
				snprintf(cells[rows * 5 + 4], CELL, "%s", b[j].why);
				unpriced += b[j].cost == 0;
				rows++;
			}
		}
		for (i = 0; i < rows * 5; i++)
			ptrs[i] = cells[i];
		if (rows)
			est_rw_table(&r->w, "What to buy, when and why", head, 5, ptrs, rows, numeric);
		if (unpriced)
			est_rw_para(&r->w, "A cost of 0 is an item the scenario gives no price for, or a price "
					   "of 0 (costs.storage_price, costs.network_price, costs.rack_price; "
					   "section 15 lists the defaults taken).");
		else
			est_rw_para(&r->w, v->cloud_region ? "Nothing to buy: the instances are rented (section 7)."
							   : "Nothing to buy over the horizon.");
		free(cells);
		free(ptrs);
	}
}

/* ---- 5. power; 6. storage ---- */

void est_report__power(rep *r)
{
	static const field f[] = {
		{"IT peak", FIELD(it_peak_kw), 1, 0, 0, 0},
		{"facility peak", FIELD(facility_peak_kw), 1, 0, 0, 0},
		{"IT capacity at the start of the year", FIELD(power_existing_kw), 1, 1, 0, 0},
		{"IT capacity with the upgrade", FIELD(power_existing_kw), 1, 1, FIELD(power_upgrade_kw), 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "power-and-cooling", "Power and cooling");
	for (k = 0; k < r->in->n_items; k++) {
		est_report__which(r, &r->in->items[k]);
		est_report__year_chart(r, est_report__base(&r->in->items[k]), EST_CHART_LINES, "power", "IT and facility power",
			   "Peak IT and facility power (IT x PUE) each year against the IT capacity in place at the start of the year and with the year's upgrade (bought, or contracted in colocation; the purchase schedule lists each upgrade).",
			   "power (kW)", f, 4);
	}
}

void est_report__storage(rep *r)
{
	static const field f[] = {
		{"model weights", FIELD(storage_by.weights), 1, 0, 0, 0},
		{"outputs and logs kept", FIELD(storage_by.kept), 1, 0, 0, 0},
		{"datasets", FIELD(storage_by.datasets), 1, 0, 0, 0},
		{"installed", FIELD(storage_tb.existing), 1, 1, FIELD(storage_tb.to_buy), 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "storage-plan", "Storage plan");
	for (k = 0; k < r->in->n_items; k++) {
		const est_variant *v = est_report__base(&r->in->items[k]);
		est_report__which(r, &r->in->items[k]);
		est_report__year_chart(r, v, EST_CHART_STACKED, "storage", "Storage required by kind, and installed",
			   "Storage the year requires, by kind (model weights, outputs and logs kept, datasets; each with its copies), against the storage installed that year (in place at the start of the year and bought; rented, in the cloud).",
			   "storage (TB)", f, 4);
	}
}

