/*
 * The procurement report's sections (docs/report.md), in the order a board
 * pack needs them, each with its chart and the chart's data: the decision,
 * demand, capacity, purchases, power, storage, cost, energy, Scope 2,
 * embodied against operational, the target, water, the alternatives,
 * uncertainty and sensitivity, and the assumptions and sources. A section
 * without data says so in one line. Figures come from the results (model.h)
 * only; the report computes nothing of its own but sums over the horizon.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "format.h"
#include "headlines.h"
#include "report_internal.h"

#define YEARS_MAX 64
#define CELL 64

typedef struct rep {
	est_rw w;
	const est_report_input *in;
	char years[YEARS_MAX][8];       /* the base variant's years, as text */
	const char *year_names[YEARS_MAX];
	char id[48];                    /* a chart id being built */
	int n_chart;
} rep;

/* ---- helpers ---- */

#define NUMW 40 /* a formatted number: at most 27 digits and separators, a sign, a point */

/* v with `decimals` decimals and thousands separators, into a NUMW (or larger) buffer. */
static void num(char *out, double v, int decimals)
{
	est_render_fixed(out, NUMW, v, decimals);
}

static void money(char out[CELL], double v, const char *currency)
{
	char n[NUMW];

	num(n, v, 0);
	snprintf(out, CELL, "%s %s", n, currency);
}

static const char *next_id(rep *r, const char *stem)
{
	snprintf(r->id, sizeof(r->id), "%s-%d", stem, ++r->n_chart);
	return r->id;
}

static const est_variant *base(const est_report_item *it)
{
	return &it->result->variants[0];
}

/* The years of a variant as chart categories (the first item's horizon is every item's axis). */
static size_t set_years(rep *r, const est_variant *v)
{
	size_t i, n = v->n_years < YEARS_MAX ? v->n_years : YEARS_MAX;

	for (i = 0; i < n; i++) {
		snprintf(r->years[i], sizeof(r->years[i]), "%d", v->years[i].year);
		r->year_names[i] = r->years[i];
	}
	return n;
}

/* A series of one year field (offset into est_year), plus (or minus) another when `plus` is not 0, times scale. */
static double *series_of(const est_variant *v, size_t n, size_t offset, size_t plus, int minus,
			 double scale)
{
	double *s = calloc(n ? n : 1, sizeof(*s));
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		double x;
		memcpy(&x, (const char *)&v->years[i] + offset, sizeof(x));
		if (plus) {
			double y;
			memcpy(&y, (const char *)&v->years[i] + plus, sizeof(y));
			x += minus ? -y : y;
		}
		s[i] = x * scale;
	}
	return s;
}

#define FIELD(f) offsetof(est_year, f)

static void chart(rep *r, est_chart_kind kind, const char *stem, const char *title,
		  const char *desc, const char *x, const char *y, const char *const *cats, size_t n,
		  const est_chart_series *s, size_t n_series)
{
	est_chart c;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.id = next_id(r, stem);
	c.title = title;
	c.description = desc;
	c.x_label = x;
	c.y_label = y;
	c.categories = cats;
	c.n_categories = n;
	c.series = s;
	c.n_series = n_series;
	est_rw_chart(&r->w, &c);
}

/* Several year fields of a variant as one chart. */
typedef struct field {
	const char *name;
	size_t offset;
	double scale;
	int limit;
	size_t plus;     /* another field added to it; 0: none (offset 0 is the year, an int) */
	int minus;       /* 1: `plus` is subtracted instead */
} field;

static void year_chart(rep *r, const est_variant *v, est_chart_kind kind, const char *stem,
		       const char *title, const char *desc, const char *y, const field *f, size_t nf)
{
	est_chart_series s[12];
	double *data[12];
	size_t n = set_years(r, v), i;
	int ok = 1;

	assert(nf <= 12);
	for (i = 0; i < nf; i++) {
		data[i] = series_of(v, n, f[i].offset, f[i].plus, f[i].minus, f[i].scale);
		ok &= data[i] != NULL;
		memset(&s[i], 0, sizeof(s[i]));
		s[i].name = f[i].name;
		s[i].values = data[i];
		s[i].limit = f[i].limit;
	}
	if (ok)
		chart(r, kind, stem, title, desc, "year", y, r->year_names, n, s, nf);
	else if (r->w.rc == 0)
		r->w.rc = est_error_set(r->w.err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	for (i = 0; i < nf; i++)
		free(data[i]);
}

/* The scenario's name when a portfolio has several, as a sub-heading. */
static void which(rep *r, const est_report_item *it)
{
	if (r->in->n_items > 1)
		est_rw_heading(&r->w, 3, NULL, it->result->scenario_name);
}

static double peak_it_kw(const est_variant *v)
{
	double m = 0;
	size_t i;

	for (i = 0; i < v->n_years; i++)
		m = fmax(m, v->years[i].it_peak_kw);
	return m;
}

/* ---- 1. decision summary ---- */

/* What a year buys, the items bought only: "3 servers (2 replacing retired servers), 20 kW power". */
static void bought_line(char *out, const est_year *y)
{
	char n[NUMW];
	size_t at = 0;

	out[0] = '\0';
	if (y->servers.to_buy > 0) {
		num(n, y->servers.to_buy, 0);
		at += (size_t)snprintf(out + at, 3 * CELL - at, "%s server%s", n,
				       y->servers.to_buy == 1 ? "" : "s");
		if (y->servers_replacing > 0) {
			num(n, y->servers_replacing, 0);
			at += (size_t)snprintf(out + at, 3 * CELL - at, " (%s replacing %s)", n,
					       y->servers_replacing == 1 ? "a retired server"
									 : "retired servers");
		}
	}
	if (y->storage_tb.to_buy > 0 && at < 3 * CELL) {
		num(n, y->storage_tb.to_buy, y->storage_tb.to_buy == floor(y->storage_tb.to_buy) ? 0 : 2);
		at += (size_t)snprintf(out + at, 3 * CELL - at, "%s%s TB storage", at ? ", " : "", n);
	}
	if (y->power_upgrade_kw > 0 && at < 3 * CELL) {
		num(n, y->power_upgrade_kw, y->power_upgrade_kw == floor(y->power_upgrade_kw) ? 0 : 1);
		snprintf(out + at, 3 * CELL - at, "%s%s kW power", at ? ", " : "", n);
	}
}

static void s_decision(rep *r)
{
	size_t k;

	est_rw_heading(&r->w, 2, "decision-summary", "Decision summary");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = base(it);
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

		which(r, it);
		money(val[0], t->capex, cur);
		money(val[1], t->cost, cur);
		money(val[2], t->npv, cur);
		num(n, t->cost_per_1000, 3);
		snprintf(val[3], CELL, "%s %s", n, cur);
		num(n, peak_it_kw(v), 1);
		snprintf(val[4], CELL, "%s kW", n);
		num(n, t->location_kg / 1000, 1);
		snprintf(val[5], CELL, "%s tCO2e", n);
		num(n, t->market_kg / 1000, 1);
		snprintf(val[6], CELL, "%s tCO2e", n);
		num(n, t->embodied_kg / 1000, 1);
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
				num(lo, t->ranges[h].p5 * ranged[i].scale, ranged[i].decimals);
				num(hi, t->ranges[h].p95 * ranged[i].scale, ranged[i].decimals);
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
			num(n, y->capex, 0);
			est_rw_item(&r->w, "%d: %s; capex %s %s", y->year, line, n, cur);
		}
		if (v->cloud_region) {
			num(n, t->opex_by.cloud, 0);
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

static void s_demand(rep *r)
{
	size_t k, i, j;

	est_rw_heading(&r->w, 2, "demand", "Demand");
	for (k = 0; k < r->in->n_items; k++) {
		const est_variant *v = base(&r->in->items[k]);
		size_t n = set_years(r, v), nw = v->n_workloads, shown = nw <= 8 ? nw : 7;
		size_t ns = nw <= 8 ? nw : 8;
		est_chart_series s[8];
		double *d[8], p50[YEARS_MAX], lo[YEARS_MAX], hi[YEARS_MAX];
		char other[64];
		int ok = 1, h;

		which(r, &r->in->items[k]);
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
			chart(r, EST_CHART_AREA, "demand", "Inferences per workload",
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
		chart(r, EST_CHART_BAND, "demand-band", "All inferences, p5 to p95",
		      "The median of the sampled inferences a year, all workloads, within the band from the 5th to the 95th percentile, in millions.",
		      "year", "inferences (millions)", r->year_names, n, &s[0], 1);
	}
}

/* ---- 3. capacity ---- */

static void s_capacity(rep *r)
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
		const est_variant *v = base(&r->in->items[k]);
		which(r, &r->in->items[k]);
		year_chart(r, v, EST_CHART_LINES, "accelerators", "Accelerators",
			   "Accelerators the load requires each year, against those installed that year (in place at the start of the year and bought; rented, in the cloud).",
			   "count", acc, 2);
		year_chart(r, v, EST_CHART_LINES, "servers", "Servers and racks",
			   "Servers and racks the load requires each year, against those installed that year.",
			   "count", srv, 4);
	}
}

/* ---- 4. purchases ---- */

static void s_purchases(rep *r)
{
	static const char *const head[] = {"year", "item", "quantity", "cost", "why"};
	static const int numeric[] = {0, 0, 1, 1, 0};
	size_t k, i;

	est_rw_heading(&r->w, 2, "purchase-schedule", "Purchase schedule");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = base(it);
		const char *cur = it->result->currency;
		char (*cells)[CELL] = calloc(v->n_years * 5 * 5 + 1, CELL);
		const char **ptrs = calloc(v->n_years * 5 * 5 + 1, sizeof(*ptrs));
		size_t rows = 0, unpriced = 0;

		which(r, it);
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
				num(cells[rows * 5 + 2], b[j].q, b[j].q == floor(b[j].q) ? 0 : 2);
				money(cells[rows * 5 + 3], b[j].cost, cur);
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

static void s_power(rep *r)
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
		which(r, &r->in->items[k]);
		year_chart(r, base(&r->in->items[k]), EST_CHART_LINES, "power", "IT and facility power",
			   "Peak IT and facility power (IT x PUE) each year against the IT capacity in place at the start of the year and with the year's upgrade (bought, or contracted in colocation; the purchase schedule lists each upgrade).",
			   "power (kW)", f, 4);
	}
}

static void s_storage(rep *r)
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
		const est_variant *v = base(&r->in->items[k]);
		which(r, &r->in->items[k]);
		year_chart(r, v, EST_CHART_STACKED, "storage", "Storage required by kind, and installed",
			   "Storage the year requires, by kind (model weights, outputs and logs kept, datasets; each with its copies), against the storage installed that year (in place at the start of the year and bought; rented, in the cloud).",
			   "storage (TB)", f, 4);
	}
}

/* ---- 7. cost ---- */

static void s_cost(rep *r)
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
		const est_variant *v = base(it);
		field used[11];
		size_t nu = 0, n = set_years(r, v);
		char ylabel[48];
		double *cum = calloc(n ? n : 1, sizeof(double)), *pv = calloc(n ? n : 1, sizeof(double));
		est_chart_series s[2];
		char tco[CELL], npv[CELL], per[NUMW];

		which(r, it);
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
			year_chart(r, v, EST_CHART_STACKED, "cost", "Capex and opex by kind",
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
			chart(r, EST_CHART_LINES, "tco", "Cumulative cost of ownership",
			      "The cost of ownership summed year by year, and its present value.", "year",
			      ylabel, r->year_names, n, s, 2);
		}
		free(cum);
		free(pv);
		money(tco, v->totals.cost, it->result->currency);
		money(npv, v->totals.npv, it->result->currency);
		num(per, v->totals.cost_per_1000, 3);
		est_rw_para(&r->w, "Total cost of ownership %s, net present value %s, %s %s per 1,000 inferences.",
			    tco, npv, per, it->result->currency);
		if (v->totals.carbon_cost > 0) {
			money(tco, v->totals.carbon_cost, it->result->currency);
			est_rw_para(&r->w, "Internal carbon price: %s over the horizon (a shadow cost, not in the total).",
				    tco);
		}
	}
}

/* ---- 8. energy and the site; 9. Scope 2; 10. embodied; 11. target; 12. water ---- */

static void s_energy(rep *r)
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

		which(r, it);
		year_chart(r, base(it), EST_CHART_COLUMNS, "energy", "IT and facility energy",
			   "Energy each year: IT (servers and storage) and facility (IT x PUE).",
			   "energy (MWh)", f, 2);
		snprintf(cells[0][0], CELL, "PUE");
		num(cells[0][1], s->pue, 2);
		snprintf(cells[1][0], CELL, "WUE (L/kWh of IT energy)");
		num(cells[1][1], s->wue_l_per_kwh, 2);
		snprintf(cells[2][0], CELL, "renewable share (contractual)");
		num(cells[2][1], s->renewable_share * 100, 0);
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

static void s_scope2(rep *r)
{
	static const field f[] = {
		{"location-based", FIELD(location_kg), 1e-3, 0, 0, 0},
		{"market-based", FIELD(market_kg), 1e-3, 0, 0, 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "scope-2", "Scope 2 emissions");
	for (k = 0; k < r->in->n_items; k++) {
		const est_variant *v = base(&r->in->items[k]);
		which(r, &r->in->items[k]);
		year_chart(r, v, EST_CHART_COLUMNS, "scope2", "Location-based and market-based emissions",
			   "Scope 2 emissions each year, location-based (the grid's intensity) beside market-based (contractual instruments and the residual mix).",
			   "emissions (tCO2e)", f, 2);
		est_rw_para(&r->w, "Market-based factor: %s.", v->market_basis ? v->market_basis : "");
	}
}

static void s_embodied(rep *r)
{
	static const field f[] = {
		{"operational (location-based)", FIELD(location_kg), 1e-3, 0, 0, 0},
		{"embodied (Scope 3)", FIELD(embodied_kg), 1e-3, 0, 0, 0},
	};
	size_t k;

	est_rw_heading(&r->w, 2, "embodied", "Embodied and operational emissions");
	for (k = 0; k < r->in->n_items; k++) {
		which(r, &r->in->items[k]);
		year_chart(r, base(&r->in->items[k]), EST_CHART_STACKED, "embodied",
			   "Operational and embodied emissions",
			   "Operational (location-based) and embodied emissions each year; embodied carbon is counted in the purchase year, or in the cloud as the year's share of the hardware's life.",
			   "emissions (tCO2e)", f, 2);
	}
}

static void s_target(rep *r)
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
		const est_variant *v = base(it);
		which(r, it);
		if (!it->result->has_target) {
			est_rw_para(&r->w, "No ESG target in the scenario (targets: gives one).");
			continue;
		}
		year_chart(r, v, EST_CHART_LINES, "target", "Emissions against the budget",
			   "The emissions the target counts each year against its budget; a year above the budget line misses the target.",
			   "emissions (tCO2e)", f, 2);
		year_chart(r, v, EST_CHART_COLUMNS, "target-gap", "The gap to the budget",
			   "Each year's budget less the emissions it counts: a column above zero is room under the budget, below zero the excess over it.",
			   "budget less counted (tCO2e)", gap, 1);
		for (i = 0; i < v->n_years; i++)
			if (!v->years[i].within_budget) {
				char over[NUMW];
				num(over, (v->years[i].counted_kg - v->years[i].budget_kg) / 1000, 1);
				est_rw_item(&r->w, "%d: %s tCO2e over the budget", v->years[i].year, over);
			}
		est_rw_list_end(&r->w);
	}
}

static void s_water(rep *r)
{
	static const field f[] = {{"water", FIELD(water_l), 1e-3, 0, 0, 0}};
	size_t k;

	est_rw_heading(&r->w, 2, "water", "Water");
	for (k = 0; k < r->in->n_items; k++) {
		which(r, &r->in->items[k]);
		year_chart(r, base(&r->in->items[k]), EST_CHART_COLUMNS, "water", "Water",
			   "Site water (IT energy x WUE) and the electricity's own water, each year.",
			   "water (m3)", f, 1);
	}
}

/* ---- 13. alternatives ---- */

static void s_alternatives(rep *r)
{
	const char *names[64];
	double tco[64], em[64];
	size_t n = 0, k, i;
	est_chart_series s[2];
	char label[64][96], cost_label[64];

	est_rw_heading(&r->w, 2, "alternatives", "Alternatives");
	for (k = 0; k < r->in->n_items && n < 64; k++) {
		const est_result *res = r->in->items[k].result;
		for (i = 0; i < res->n_variants && n < 64; i++) {
			snprintf(label[n], sizeof(label[n]), "%s%s%s", r->in->n_items > 1 ? res->scenario_name : "",
				 r->in->n_items > 1 ? " / " : "", res->variants[i].name);
			names[n] = label[n];
			tco[n] = res->variants[i].totals.cost;
			em[n] = (res->variants[i].totals.market_kg + res->variants[i].totals.embodied_kg) / 1000;
			n++;
		}
	}
	if (n < 2) {
		est_rw_para(&r->w, "No alternatives: the scenario has no variants (variants: adds them).");
		return;
	}
	for (k = 0, i = 0; k < r->in->n_items; k++)
		i += r->in->items[k].result->n_variants;
	if (i > n)
		est_rw_para(&r->w, "The first %zu of %zu alternatives; estimator compare puts every one "
				   "side by side.", n, i);
	for (k = 0; k < r->in->n_items; k++)
		if (r->in->items[k].conversion)
			est_rw_para(&r->w, "%s: costs converted from %s.", r->in->items[k].result->scenario_name,
				    r->in->items[k].conversion);
	snprintf(cost_label, sizeof(cost_label), "cost of ownership (%s)", r->in->items[0].result->currency);
	memset(s, 0, sizeof(s));
	s[0].name = "cost of ownership";
	s[0].values = tco;
	chart(r, EST_CHART_DOTS, "alt-cost", "Cost of ownership of each alternative",
	      "The cost of ownership over the horizon of each alternative.", NULL,
	      cost_label, names, n, s, 1);
	s[0].name = "market-based and embodied emissions";
	s[0].values = em;
	chart(r, EST_CHART_DOTS, "alt-emissions", "Emissions of each alternative",
	      "The market-based and embodied emissions over the horizon of each alternative.", NULL,
	      "market-based and embodied emissions (tCO2e)", names, n, s, 1);
	s[1].name = "cost of ownership";
	s[1].values = tco;
	chart(r, EST_CHART_SCATTER, "alt-scatter", "Cost against emissions",
	      "Each alternative's cost of ownership against its market-based and embodied emissions over the horizon: lower left is cheaper and cleaner.",
	      "market-based and embodied emissions (tCO2e)", cost_label, names, n, s, 2);
}

/* ---- 14. uncertainty ---- */

static void s_uncertainty(rep *r)
{
	size_t k, i, any = 0;

	est_rw_heading(&r->w, 2, "uncertainty", "Uncertainty and sensitivity");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = base(it);
		size_t n = set_years(r, v);
		double p50[YEARS_MAX], lo[YEARS_MAX], hi[YEARS_MAX];
		est_chart_series s;
		const est_sensitivity *x = it->sensitivity;
		int h;

		if (!v->totals.has_ranges)
			continue;
		any = 1;
		which(r, it);
		for (i = 0, h = est_headline_index("emissions_kgco2e.location_based"); h >= 0 && i < n; i++) {
			p50[i] = v->years[i].ranges[h].p50 / 1000;
			lo[i] = v->years[i].ranges[h].p5 / 1000;
			hi[i] = v->years[i].ranges[h].p95 / 1000;
		}
		memset(&s, 0, sizeof(s));
		s.name = "location-based emissions";
		s.values = p50;
		s.lo = lo;
		s.hi = hi;
		chart(r, EST_CHART_BAND, "fan", "Location-based emissions, p5 to p95",
		      "The median of the sampled location-based emissions each year, within the band from the 5th to the 95th percentile.",
		      "year", "emissions (tCO2e)", r->year_names, n, &s, 1);
		if (x && x->n_inputs > 0) {
			const char *names[32];
			double a[32], b[32];
			est_chart_series t[2];
			size_t m = x->n_inputs < 32 ? x->n_inputs : 32;
			char ylabel[64];
			est_chart c;
			for (i = 0; i < m; i++) {
				names[i] = x->inputs[i].name;
				a[i] = x->inputs[i].metric_at_low;
				b[i] = x->inputs[i].metric_at_high;
			}
			memset(t, 0, sizeof(t));
			t[0].name = "input at p5";
			t[0].values = a;
			t[1].name = "input at p95";
			t[1].values = b;
			snprintf(ylabel, sizeof(ylabel), "%s (%s)", x->label, x->unit);
			memset(&c, 0, sizeof(c));
			c.kind = EST_CHART_TORNADO;
			c.id = next_id(r, "tornado");
			c.title = "What moves the result most";
			c.description = "One input at a time at its 5th and 95th percentile, the others at their medians: the effect on the metric over the horizon.";
			c.y_label = ylabel;
			c.categories = names;
			c.n_categories = m;
			c.series = t;
			c.n_series = 2;
			c.base = x->baseline;
			est_rw_chart(&r->w, &c);
			if (m < x->n_inputs)
				est_rw_para(&r->w, "The %zu inputs that move it most of %zu; estimator "
						   "sensitivity lists every one.", m, x->n_inputs);
		}
	}
	if (!any)
		est_rw_para(&r->w, "No uncertain inputs: every input is a single value (docs/uncertainty.md gives them ranges).");
}

/* ---- 15. assumptions and sources ---- */

/* The records already listed in this scenario's section 15, by kind and id (a variant repeats most). */
typedef struct seen_list {
	const char *what[256], *id[256];
	size_t n;
} seen_list;

/* One line per source of a record: what, id, the source's title, year and locator (as text, never a
   link); a record listed before is skipped. */
static void source_line(rep *r, seen_list *seen, const char *what, const char *id,
			const est_source_list *sl)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->what[i], what) && !strcmp(seen->id[i], id))
			return;
	if (seen->n < 256) {
		seen->what[seen->n] = what;
		seen->id[seen->n++] = id;
	}
	for (i = 0; i < sl->count; i++) {
		const est_source *src = sl->items[i];
		char year[16] = "";
		if (src->year)
			snprintf(year, sizeof(year), ", %d", src->year);
		est_rw_item(&r->w, "%s %s: %s (%s%s)%s%s", what, id, src->title ? src->title : src->id,
			    src->id, year, src->locator ? ", " : "", src->locator ? src->locator : "");
	}
}

/* The profile records scenario s (the base or a variant) reads. */
static void records_of(rep *r, seen_list *seen, const est_scenario *s)
{
	size_t i;

	source_line(r, seen, "server", s->server->id, &s->server->sources);
	source_line(r, seen, "accelerator", s->server->accelerator->id, &s->server->accelerator->sources);
	source_line(r, seen, "grid", s->grid->id, &s->grid->sources);
	source_line(r, seen, "facility class", s->facility->id, &s->facility->sources);
	if (s->storage)
		source_line(r, seen, "storage", s->storage->id, &s->storage->sources);
	if (s->instance) {
		source_line(r, seen, "cloud instance", s->instance->id, &s->instance->sources);
		if (s->instance->provider)
			source_line(r, seen, "cloud provider", s->instance->provider->id,
				    &s->instance->provider->sources);
	}
	for (i = 0; i < s->n_workloads; i++)
		if (s->workloads[i].model)
			source_line(r, seen, "model record", s->workloads[i].model->id,
				    &s->workloads[i].model->sources);
	for (i = 0; i < s->n_equivalences; i++)
		source_line(r, seen, "equivalence", s->equivalences[i]->id, &s->equivalences[i]->sources);
}

/* The constants of profiles/constants.yaml the model reads, each with its source. */
static void constants_of(rep *r, seen_list *seen, const est_constants *c)
{
	source_line(r, seen, "constant", "gpu_to_node", &c->gpu_to_node_sources);
	source_line(r, seen, "constant", "network_kwh_per_gb", &c->network_sources);
	source_line(r, seen, "constant", "bytes_per_parameter", &c->bytes_per_parameter_sources);
	source_line(r, seen, "constant", "memory_headroom", &c->memory_headroom_sources);
	source_line(r, seen, "constant", "default_utilisation", &c->default_utilisation_sources);
	source_line(r, seen, "constant", "default_replication", &c->default_replication_sources);
	source_line(r, seen, "constant", "discount_rate", &c->discount_rate_sources);
}

/* A variant's conversions that the base does not already list (its notes are the result's, named). */
static void variant_conversions(rep *r, const est_result *res, size_t v)
{
	const est_variant *var = &res->variants[v];
	const est_variant *b = &res->variants[0];
	size_t i, j, k, m;

	for (i = 0; i < var->n_workloads; i++) {
		const est_workload_result *w = &var->workloads[i];
		for (j = 0; j < w->n_conversions; j++) {
			int dup = 0;
			for (k = 0; k < b->n_workloads && !dup; k++)
				for (m = 0; m < b->workloads[k].n_conversions && !dup; m++)
					dup = !strcmp(b->workloads[k].name, w->name) &&
					      !strcmp(b->workloads[k].conversions[m], w->conversions[j]);
			if (!dup)
				est_rw_item(&r->w, "variant %s, %s: %s", var->name, w->name, w->conversions[j]);
		}
	}
}

static void s_sources(rep *r)
{
	size_t k, i, j;

	est_rw_heading(&r->w, 2, "assumptions", "Assumptions and sources");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_scenario *s = it->scenario;
		const est_result *res = it->result;
		seen_list *seen = calloc(1, sizeof(*seen));

		if (!seen) {
			r->w.rc = est_error_set(r->w.err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			return;
		}
		which(r, it);
		est_rw_heading(&r->w, 3, NULL, "Profile records used");
		records_of(r, seen, s);
		for (i = 0; i < s->n_variants; i++)
			records_of(r, seen, s->variants[i]);
		if (r->in->profiles)
			constants_of(r, seen, est_profiles_constants(r->in->profiles));
		est_rw_list_end(&r->w);
		free(seen);
		est_rw_heading(&r->w, 3, NULL, "Conversions and defaults");
		for (i = 0; i < res->variants[0].n_workloads; i++) {
			const est_workload_result *w = &res->variants[0].workloads[i];
			for (j = 0; j < w->n_conversions; j++)
				est_rw_item(&r->w, "%s: %s", w->name, w->conversions[j]);
		}
		for (i = 0; i < res->n_notes; i++)
			est_rw_item(&r->w, "%s", res->notes[i]);
		for (i = 1; i < res->n_variants; i++)
			variant_conversions(r, res, i);
		est_rw_list_end(&r->w);
		est_rw_heading(&r->w, 3, NULL, "Provenance");
		est_rw_item(&r->w, "estimator %s; profile library digest (SHA-256) %s", EST_VERSION_STRING,
			    r->in->profiles_digest ? r->in->profiles_digest : "");
		est_rw_item(&r->w, "scenario %s, SHA-256 %s", it->file, it->file_digest ? it->file_digest : "");
		if (it->conversion)
			est_rw_item(&r->w, "costs converted from %s", it->conversion);
		if (res->samples > 0)
			est_rw_item(&r->w, "sampled: %zu samples, seed %lu, generator %s", res->samples, res->seed,
				    res->generator ? res->generator : "");
		else
			est_rw_item(&r->w, "not sampled: every input is a single value");
		est_rw_list_end(&r->w);
	}
}

int est_report_render(char **out, size_t *len, const est_report_input *in, est_report_format f,
		      est_error *err)
{
	est_buf b;
	rep r;
	char subtitle[256];
	size_t k;

	assert(out && in && in->n_items > 0);
	*out = NULL;
	for (k = 0; k < in->n_items; k++)
		if (!in->items[k].result || in->items[k].result->n_variants == 0 ||
		    in->items[k].result->variants[0].n_years == 0)
			return est_error_set(err, EST_EINVALID, in->items[k].file, 0, 0,
					     "nothing to report: no year evaluated");
		else if (strcmp(in->items[k].result->currency, in->items[0].result->currency))
			return est_error_set(err, EST_EINVALID, in->items[k].file, 0, 0,
					     "costed in %s, the report in %s: convert it first "
					     "(est_result_convert_currency)",
					     in->items[k].result->currency, in->items[0].result->currency);
	est_buf_init(&b);
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.w.b = &b;
	r.w.html = f == EST_REPORT_HTML;
	r.w.err = err;
	r.w.paper = in->paper;
	snprintf(subtitle, sizeof(subtitle), "Procurement report%s%s, %zu scenario%s, estimator %s",
		 in->generated ? " of " : "", in->generated ? in->generated : "", in->n_items,
		 in->n_items == 1 ? "" : "s", EST_VERSION_STRING);
	est_rw_begin(&r.w, in->n_items == 1 ? in->items[0].result->scenario_name : "Portfolio", subtitle);
	s_decision(&r);
	s_demand(&r);
	s_capacity(&r);
	s_purchases(&r);
	s_power(&r);
	s_storage(&r);
	s_cost(&r);
	s_energy(&r);
	s_scope2(&r);
	s_embodied(&r);
	s_target(&r);
	s_water(&r);
	s_alternatives(&r);
	s_uncertainty(&r);
	s_sources(&r);
	est_rw_end(&r.w);
	if (r.w.rc < 0) {
		est_buf_dispose(&b);
		return r.w.rc;
	}
	*out = est_buf_detach(&b, len);
	est_buf_dispose(&b);
	if (!*out)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory writing the report");
	return 0;
}
