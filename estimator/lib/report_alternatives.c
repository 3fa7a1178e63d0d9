/*
 * The procurement report, sections 13 and 14: the alternatives compared on
 * cost and emissions, and the uncertainty and sensitivity of a sampled
 * scenario (docs/report.md).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "headlines.h"
#include "report_sections.h"

/* ---- 13. alternatives ---- */

void est_report__alternatives(rep *r)
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
	est_report__chart(r, EST_CHART_DOTS, "alt-cost", "Cost of ownership of each alternative",
	      "The cost of ownership over the horizon of each alternative.", NULL,
	      cost_label, names, n, s, 1);
	s[0].name = "market-based and embodied emissions";
	s[0].values = em;
	est_report__chart(r, EST_CHART_DOTS, "alt-emissions", "Emissions of each alternative",
	      "The market-based and embodied emissions over the horizon of each alternative.", NULL,
	      "market-based and embodied emissions (tCO2e)", names, n, s, 1);
	s[1].name = "cost of ownership";
	s[1].values = tco;
	est_report__chart(r, EST_CHART_SCATTER, "alt-scatter", "Cost against emissions",
	      "Each alternative's cost of ownership against its market-based and embodied emissions over the horizon: lower left is cheaper and cleaner.",
	      "market-based and embodied emissions (tCO2e)", cost_label, names, n, s, 2);
}

/* ---- 14. uncertainty ---- */

void est_report__uncertainty(rep *r)
{
	size_t k, i, any = 0;

	est_rw_heading(&r->w, 2, "uncertainty", "Uncertainty and sensitivity");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_variant *v = est_report__base(it);
		size_t n = est_report__set_years(r, v);
		double p50[YEARS_MAX], lo[YEARS_MAX], hi[YEARS_MAX];
		est_chart_series s;
		const est_sensitivity *x = it->sensitivity;
		int h;

		if (!v->totals.has_ranges)
			continue;
		any = 1;
		est_report__which(r, it);
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
		est_report__chart(r, EST_CHART_BAND, "fan", "Location-based emissions, p5 to p95",
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
			c.id = est_report__next_id(r, "tornado");
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

