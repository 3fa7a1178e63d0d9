/*
 * The result as a readable summary for an IT buyer: a header with the
 * deployment and its server power model; per variant three yearly tables
 * (capacity; energy, emissions and cost, with the emission factors and an
 * unverified server price noted under it; where the energy goes) with their
 * totals, the Monte Carlo ranges when sampled, what to buy when, the
 * workloads (energy above idle and its parts, the measured figure, replicas,
 * equivalents of 1,000 inferences, conversions), the ESG target, equivalents
 * with their factors, and the notes.
 * Numbers are fixed-point with ',' thousands separators whatever the locale;
 * user text goes through est_text_printf, which escapes control characters.
 */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define CELL_MAX 48
#define GAP 2 /* spaces between table columns */

/* ---- numbers ---- */

#define fmt_fixed(out, v, decimals) est_render_fixed((out), CELL_MAX, (v), (decimals))
#define fmt_amount(out, v) est_render_amount((out), CELL_MAX, (v))

static const char *plural(double n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * A figure quoted from an input (a measured energy, an equivalence factor):
 * six significant digits, so that 0.00165 is not read as 0.0016; whole
 * numbers with ',' between thousands.
 */
static void fmt_quoted(char *out, double v)
{
	char *p;

	if (v == floor(v) && fabs(v) < 1e15) {
		fmt_fixed(out, v, 0);
		return;
	}
	snprintf(out, CELL_MAX, "%.6g", v);
	for (p = out; *p; p++)
		if (*p == ',')
			*p = '.'; /* a caller's locale */
}

/* Watts with one decimal, ".0" dropped: "453.9", "2,049". */
static void fmt_watts(char *out, double w)
{
	size_t n;

	fmt_fixed(out, w, 1);
	n = strlen(out);
	if (n > 2 && !strcmp(out + n - 2, ".0"))
		out[n - 2] = '\0';
}

/* ---- tables ---- */

typedef struct column {
	const char *group;  /* label centred over consecutive columns sharing it */
	const char *head;
	size_t offset;      /* of the double in est_year */
	double scale;       /* unit conversion, e.g. kWh to MWh */
	int decimals;
	int additive;       /* shown in the totals row */
} column;

#define COL(group, head, field, scale, decimals, additive) \
	{group, head, offsetof(est_year, field), scale, decimals, additive}

static double field_of(const est_year *y, const column *c)
{
	double v;

	memcpy(&v, (const char *)y + c->offset, sizeof(v));
	return v * c->scale;
}

static void pad(est_buf *b, size_t n)
{
	while (n-- > 0)
		est_buf_putc(b, ' ');
}

static void put_right(est_buf *b, const char *s, size_t width)
{
	size_t n = strlen(s);

	pad(b, n < width ? width - n : 0);
	est_buf_puts(b, s);
}

/* Width of the run of columns from i sharing a group, and its length. */
static size_t run_of(const column *cols, const size_t *w, size_t n, size_t i,
		     size_t *span)
{
	size_t j = i + 1, width = w[i];

	while (j < n && strcmp(cols[j].group, cols[i].group) == 0) {
		width += GAP + w[j];
		j++;
	}
	*span = j - i;
	return width;
}

/*
 * A table with a "year" column, one row per year and a "total" row; cells
 * are right-aligned and every column as wide as its widest cell or label.
 */
static int print_table(est_buf *b, const char *title, const column *cols,
		       size_t n_cols, const est_variant *v)
{
	size_t n_rows = v->n_years + 1, n_cells = n_rows * (n_cols + 1);
	char (*cell)[CELL_MAX] = NULL;
	size_t *w = NULL;
	size_t i, j, span, width, label, total_width, pending;
	int rc = 0;

	cell = calloc(n_cells, sizeof(*cell));
	w = calloc(n_cols + 1, sizeof(*w));
	if (!cell || !w) {
		rc = EST_EINTERNAL;
		goto cleanup;
	}
	/* Column 0 is the year; row n_years the totals. */
	for (i = 0; i < n_rows; i++) {
		const est_year *y = i < v->n_years ? &v->years[i] : &v->totals;

		if (i < v->n_years)
			snprintf(cell[i * (n_cols + 1)], CELL_MAX, "%d", y->year);
		else
			snprintf(cell[i * (n_cols + 1)], CELL_MAX, "total");
		for (j = 0; j < n_cols; j++) {
			char *s = cell[i * (n_cols + 1) + j + 1];

			if (i == v->n_years && !cols[j].additive)
				snprintf(s, CELL_MAX, "-");
			else
				fmt_fixed(s, field_of(y, &cols[j]), cols[j].decimals);
		}
	}
	w[0] = strlen("total");
	for (j = 0; j < n_cols; j++) {
		w[j + 1] = strlen(cols[j].head);
		for (i = 0; i < n_rows; i++)
			if (strlen(cell[i * (n_cols + 1) + j + 1]) > w[j + 1])
				w[j + 1] = strlen(cell[i * (n_cols + 1) + j + 1]);
	}
	/* Widen the columns of a group whose label is wider than its run, evenly. */
	for (j = 0; j < n_cols; j += span) {
		width = run_of(cols, w + 1, n_cols, j, &span);
		label = strlen(cols[j].group);
		for (i = 0; label > width && i < span; i++)
			w[j + 1 + i] += (label - width) / span + (i == span - 1 ? (label - width) % span : 0);
	}
	total_width = w[0];
	for (j = 0; j < n_cols; j++)
		total_width += GAP + w[j + 1];

	if (title)
		est_text_printf(b, "%s\n", title);
	/* Group labels centred over their runs; spaces held back so no line ends in one. */
	pending = w[0];
	for (j = 0; j < n_cols; j += span) {
		width = run_of(cols, w + 1, n_cols, j, &span);
		label = strlen(cols[j].group);
		pending += GAP + (width - label) / 2;
		if (label > 0) {
			pad(b, pending);
			est_buf_puts(b, cols[j].group);
			pending = 0;
		}
		pending += width - label - (width - label) / 2;
	}
	est_buf_putc(b, '\n');
	put_right(b, "year", w[0]);
	for (j = 0; j < n_cols; j++) {
		pad(b, GAP);
		put_right(b, cols[j].head, w[j + 1]);
	}
	est_buf_putc(b, '\n');
	for (i = 0; i < n_rows; i++) {
		if (i == 0 || i == n_rows - 1) {
			/* a rule under the header and above the totals */
			for (j = 0; j < total_width; j++)
				est_buf_putc(b, '-');
			est_buf_putc(b, '\n');
		}
		for (j = 0; j <= n_cols; j++) {
			if (j > 0)
				pad(b, GAP);
			put_right(b, cell[i * (n_cols + 1) + j], w[j]);
		}
		est_buf_putc(b, '\n');
	}
cleanup:
	free(cell);
	free(w);
	return rc;
}

static int print_tables(est_buf *b, const est_result *r, const est_variant *v)
{
	static const column capacity[] = {
		COL("", "inferences", inferences, 1, 0, 1),
		COL("accelerators", "required", accelerators.required, 1, 0, 0),
		COL("accelerators", "to buy", accelerators.to_buy, 1, 0, 1),
		COL("servers", "required", servers.required, 1, 0, 0),
		COL("servers", "to buy", servers.to_buy, 1, 0, 1),
		COL("storage TB", "required", storage_tb.required, 1, 2, 0),
		COL("storage TB", "to buy", storage_tb.to_buy, 1, 2, 1),
		COL("IT power kW", "peak", it_peak_kw, 1, 1, 0),
		COL("IT power kW", "upgrade", power_upgrade_kw, 1, 1, 1),
	};
	char cost[32];
	int rc;

	snprintf(cost, sizeof(cost), "cost %s", r->currency);
	const column impact[] = {
		COL("energy MWh", "IT", energy_kwh.it, 1e-3, 2, 1),
		COL("energy MWh", "facility", energy_kwh.facility, 1e-3, 2, 1),
		COL("emissions tCO2e", "location", location_kg, 1e-3, 2, 1),
		COL("emissions tCO2e", "market", market_kg, 1e-3, 2, 1),
		COL("emissions tCO2e", "embodied", embodied_kg, 1e-3, 2, 1),
		COL("water", "m3", water_l, 1e-3, 1, 1),
		COL(cost, "capex", capex, 1, 0, 1),
		COL(cost, "opex", opex, 1, 0, 1),
	};

	rc = print_table(b, "Capacity", capacity,
			 sizeof(capacity) / sizeof(capacity[0]), v);
	if (rc < 0)
		return rc;
	est_buf_putc(b, '\n');
	return print_table(b, "Energy, emissions and cost", impact,
			   sizeof(impact) / sizeof(impact[0]), v);
}

/* Does any year (or the totals) have a non-zero value in column c? */
static int any_in(const est_variant *v, const column *c)
{
	size_t i;

	for (i = 0; i < v->n_years; i++)
		if (field_of(&v->years[i], c) != 0)
			return 1;
	return 0;
}

/*
 * The cost of ownership (docs/model.md section 10): capex and opex by kind
 * (the kinds that cost something in some year), their total, its present
 * value and the cost per 1,000 inferences.
 */
static int print_cost(est_buf *b, const est_result *r, const est_variant *v)
{
	static const column kinds[] = {
		COL("capex", "servers", capex_by.servers, 1, 0, 1),
		COL("capex", "storage", capex_by.storage, 1, 0, 1),
		COL("capex", "network", capex_by.network, 1, 0, 1),
		COL("capex", "racks", capex_by.racks, 1, 0, 1),
		COL("capex", "power", capex_by.power, 1, 0, 1),
		COL("opex", "electricity", opex_by.electricity, 1, 0, 1),
		COL("opex", "maintenance", opex_by.maintenance, 1, 0, 1),
		COL("opex", "licences", opex_by.licences, 1, 0, 1),
		COL("opex", "colocation", opex_by.colocation, 1, 0, 1),
		COL("opex", "cloud", opex_by.cloud, 1, 0, 1),
		COL("opex", "staff", opex_by.staff, 1, 0, 1),
	};
	static const column sums[] = {
		COL("", "total", cost, 1, 0, 1),
		COL("", "present value", npv, 1, 0, 1),
		COL("", "per 1k inf.", cost_per_1000, 1, 3, 1),
	};
	column cols[sizeof(kinds) / sizeof(kinds[0]) + sizeof(sums) / sizeof(sums[0])];
	char title[96];
	size_t i, n = 0;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (any_in(v, &kinds[i]))
			cols[n++] = kinds[i];
	for (i = 0; i < sizeof(sums) / sizeof(sums[0]); i++)
		cols[n++] = sums[i];
	snprintf(title, sizeof(title), "Cost of ownership, %s (present value at %.1f%% a year)",
		 r->currency, v->discount_rate * 100);
	if (print_table(b, title, cols, n, v) < 0)
		return EST_EINTERNAL;
	if (v->totals.carbon_cost > 0) {
		char num[CELL_MAX];
		fmt_fixed(num, v->totals.carbon_cost, 0);
		est_text_printf(b, "Internal carbon price: %s %s over the horizon on market-based and "
				   "embodied emissions (a shadow cost, not in the total)\n",
				num, r->currency);
	}
	return 0;
}

/*
 * Where the energy goes (docs/model.md section 5): every installed server's
 * idle draw, host and accelerators; what the inferences add above it,
 * accelerators and host; storage; and network energy, outside the site.
 */
static int print_breakdown(est_buf *b, const est_variant *v)
{
	static const column breakdown[] = {
		COL("servers at idle", "host", energy_kwh.host_idle, 1e-3, 2, 1),
		COL("servers at idle", "accelerators", energy_kwh.accelerator_idle, 1e-3, 2, 1),
		COL("above idle", "accelerators", energy_kwh.accelerator, 1e-3, 2, 1),
		COL("above idle", "host", energy_kwh.host, 1e-3, 2, 1),
		COL("", "servers", energy_kwh.servers, 1e-3, 2, 1),
		COL("", "storage", energy_kwh.storage, 1e-3, 2, 1),
		COL("", "network", energy_kwh.network, 1e-3, 2, 1),
	};

	return print_table(b, "Energy breakdown, MWh (IT = servers + storage; network is outside the site)",
			   breakdown,
			   sizeof(breakdown) / sizeof(breakdown[0]), v);
}

/* "44.2 g/kWh", or "350 g/kWh in 2026 to 200 g/kWh in 2030" when it changes. */
static void factor_range(est_buf *b, const est_variant *v, size_t offset, const char *unit)
{
	char first[CELL_MAX], last[CELL_MAX];
	double lo, hi, x;
	size_t i;

	if (v->n_years == 0)
		return;
	memcpy(&lo, (const char *)&v->years[0] + offset, sizeof(lo));
	hi = lo;
	for (i = 1; i < v->n_years; i++) {
		memcpy(&x, (const char *)&v->years[i] + offset, sizeof(x));
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	memcpy(&x, (const char *)&v->years[0] + offset, sizeof(x));
	fmt_quoted(first, x);
	if (lo == hi) {
		est_text_printf(b, "%s %s", first, unit);
		return;
	}
	memcpy(&x, (const char *)&v->years[v->n_years - 1] + offset, sizeof(x));
	fmt_quoted(last, x);
	est_text_printf(b, "%s %s in %d to %s %s in %d", first, unit, v->years[0].year, last, unit,
		       v->years[v->n_years - 1].year);
}

/* The factors behind the emissions columns, and a capex resting on an unverified price. */
static void print_factors(est_buf *b, const est_variant *v)
{
	const char *scope = v->intensity_scope ? v->intensity_scope : "";

	/* the grid record's scope: life-cycle, combustion, not-stated; or set by the scenario */
	if (!strcmp(scope, "not-stated"))
		scope = "(scope not stated)";
	else if (!strcmp(scope, "combustion"))
		scope = "combustion (direct emissions from generation)";
	est_text_printf(b, "\nEmission factors: location-based %s, ", scope);
	factor_range(b, v, offsetof(est_year, intensity_g_per_kwh), "g/kWh");
	est_text_printf(b, "; market-based %s", v->market_basis ? v->market_basis : "");
	if (!v->market_basis || !strstr(v->market_basis, "g/kWh")) {
		est_buf_puts(b, ", ");
		factor_range(b, v, offsetof(est_year, market_g_per_kwh), "g/kWh");
	}
	est_buf_putc(b, '\n');
	if (v->price_unverified)
		est_text_printf(b, "capex uses the UNVERIFIED public price of %s (no source that can be checked; "
			       "set costs.server_price)\n", v->server ? v->server : "");
}

/* ---- Monte Carlo ranges ---- */

/* How the text shows a headline metric: est_headlines' text_unit, scale and decimals. */
typedef struct shown_metric {
	const char *unit;       /* "$": the currency; "": a count */
	double scale;
	int decimals;
} shown_metric;

static shown_metric shown_of(size_t h)
{
	shown_metric m = {est_headlines[h].text_unit, est_headlines[h].text_scale,
			  est_headlines[h].text_decimals};
	return m;
}

/* "facility energy MWh", "capex EUR": a label with the unit shown. */
static void label_of(char *out, size_t size, const est_result *r, const char *label, size_t h)
{
	shown_metric m = shown_of(h);
	const char *unit = strcmp(m.unit, "$") ? m.unit : r->currency;

	snprintf(out, size, "%s%s%s", label, *unit ? " " : "", unit);
}

/* p5, median and p95 of headline h as table columns under `group`. */
static void range_columns(column *cols, const char *group, size_t h)
{
	static const struct {
		const char *head;
		size_t offset;
	} parts[] = {
		{"p5", offsetof(est_range, p5)},
		{"median", offsetof(est_range, p50)},
		{"p95", offsetof(est_range, p95)},
	};
	shown_metric m = shown_of(h);
	size_t i;

	for (i = 0; i < 3; i++) {
		column c = {group, parts[i].head,
			    offsetof(est_year, ranges) + h * sizeof(est_range) + parts[i].offset,
			    m.scale, m.decimals, 1};
		cols[i] = c;
	}
}

/* The totals of every headline metric: one row each, p5, median and p95. */
static void print_range_totals(est_buf *b, const est_result *r, const est_variant *v)
{
	static const char *const heads[] = {"p5", "median", "p95"};
	char label[EST_HEADLINES][CELL_MAX], cell[EST_HEADLINES][3][CELL_MAX];
	const char *first = "total over the horizon";
	size_t wl = strlen(first), w[3], h, i, total;

	for (i = 0; i < 3; i++)
		w[i] = strlen(heads[i]);
	for (h = 0; h < est_n_headlines && h < EST_HEADLINES; h++) {
		const est_range *x = &v->totals.ranges[h];
		const double q[3] = {x->p5, x->p50, x->p95};
		shown_metric m = shown_of(h);
		label_of(label[h], CELL_MAX, r, est_headlines[h].label, h);
		if (strlen(label[h]) > wl)
			wl = strlen(label[h]);
		for (i = 0; i < 3; i++) {
			fmt_fixed(cell[h][i], q[i] * m.scale, m.decimals);
			if (strlen(cell[h][i]) > w[i])
				w[i] = strlen(cell[h][i]);
		}
	}
	est_text_printf(b, "%-*s", (int)wl, first);
	for (i = 0; i < 3; i++) {
		pad(b, GAP);
		put_right(b, heads[i], w[i]);
	}
	est_buf_putc(b, '\n');
	for (total = wl, i = 0; i < 3; i++)
		total += GAP + w[i];
	for (i = 0; i < total; i++)
		est_buf_putc(b, '-');
	est_buf_putc(b, '\n');
	for (h = 0; h < est_n_headlines && h < EST_HEADLINES; h++) {
		est_text_printf(b, "%-*s", (int)wl, label[h]);
		for (i = 0; i < 3; i++) {
			pad(b, GAP);
			put_right(b, cell[h][i], w[i]);
		}
		est_buf_putc(b, '\n');
	}
}

/*
 * The Monte Carlo section: the totals of every headline metric, then per
 * year facility energy, location-based emissions, capex and accelerators to
 * buy, each as p5, median and p95.
 */
static int print_ranges(est_buf *b, const est_result *r, const est_variant *v)
{
	/* two tables of two metrics each, so that a line stays within 110 characters */
	static const struct {
		const char *key, *label;
	} per_year[2][2] = {
		{{"energy_kwh.facility", "facility"}, {"emissions_kgco2e.location_based", "location"}},
		{{"cost.capex", "capex"}, {"accelerators.to_buy", "accelerators to buy"}},
	};
	char samples[CELL_MAX], group[2][CELL_MAX];
	column cols[6];
	size_t t, k, h;
	int rc = 0;

	fmt_fixed(samples, (double)r->samples, 0);
	est_text_printf(b, "\nUncertainty (%s %s, seed %lu, generator %s): p5 / median / p95\n",
		       samples, r->samples == 1 ? "sample" : "samples", r->seed,
		       r->generator ? r->generator : "");
	print_range_totals(b, r, v);
	for (t = 0; t < 2 && rc == 0; t++) {
		for (k = 0; k < 2; k++) {
			h = (size_t)est_headline_index(per_year[t][k].key);
			assert(h < est_n_headlines); /* per_year names headline metrics */
			label_of(group[k], CELL_MAX, r, per_year[t][k].label, h);
			range_columns(cols + 3 * k, group[k], h);
		}
		est_buf_putc(b, '\n');
		rc = print_table(b, NULL, cols, 6, v);
	}
	return rc;
}

/* ---- sections ---- */

static void print_purchases(est_buf *b, const est_result *r, const est_variant *v)
{
	char num[CELL_MAX], more[CELL_MAX];
	const est_year *y;
	const char *sep;
	size_t i;
	int any = 0;

	if (v->cloud_region) {
		est_text_printf(b, "What to rent (%s, %s, %s):\n", v->server ? v->server : "",
				v->cloud_region, v->cloud_pricing ? v->cloud_pricing : "");
		for (i = 0; i < v->n_years; i++) {
			y = &v->years[i];
			fmt_amount(num, y->instances);
			fmt_fixed(more, y->opex_by.cloud, 0);
			est_text_printf(b, "  %d: %s %s all year, %s %s\n", y->year, num,
					plural(y->instances, "instance", "instances"), more, r->currency);
		}
		return;
	}
	est_buf_puts(b, "What to buy when:\n");
	for (i = 0; i < v->n_years; i++) {
		y = &v->years[i];
		if (y->servers.to_buy <= 0 && y->accelerators.to_buy <= 0 &&
		    y->racks.to_buy <= 0 && y->storage_tb.to_buy <= 0 &&
		    y->power_upgrade_kw <= 0 && y->capex <= 0)
			continue;
		any = 1;
		sep = "";
		est_text_printf(b, "  %d: ", y->year);
		if (y->servers.to_buy > 0) {
			fmt_amount(num, y->servers.to_buy);
			est_text_printf(b, "%s %s", num,
				       plural(y->servers.to_buy, "server", "servers"));
			/* whole servers arrive, with all their accelerators */
			fmt_amount(more, y->servers.to_buy * v->accelerators_per_server);
			est_text_printf(b, " (%s %s", more,
				       plural(y->servers.to_buy * v->accelerators_per_server,
					      "accelerator", "accelerators"));
			if (y->servers_replacing > 0) {
				fmt_amount(more, y->servers_replacing);
				est_text_printf(b, "; %s replacing retired ones", more);
			}
			est_buf_putc(b, ')');
			sep = ", ";
		} else if (y->accelerators.to_buy > 0) {
			fmt_amount(num, y->accelerators.to_buy);
			est_text_printf(b, "%s %s", num,
				       plural(y->accelerators.to_buy,
					      "accelerator", "accelerators"));
			sep = ", ";
		}
		if (y->racks.to_buy > 0) {
			fmt_amount(num, y->racks.to_buy);
			est_text_printf(b, "%s%s %s", sep, num,
				       plural(y->racks.to_buy, "rack", "racks"));
			sep = ", ";
		}
		if (y->storage_tb.to_buy > 0) {
			fmt_amount(num, y->storage_tb.to_buy);
			est_text_printf(b, "%s%s TB storage", sep, num);
			sep = ", ";
		}
		if (y->power_upgrade_kw > 0) {
			fmt_amount(num, y->power_upgrade_kw);
			est_text_printf(b, "%s%s kW power upgrade", sep, num);
			sep = ", ";
		}
		if (y->capex > 0) {
			fmt_fixed(num, y->capex, 0);
			est_text_printf(b, "%scapex %s %s", sep, num, r->currency);
		}
		est_buf_putc(b, '\n');
	}
	if (!any)
		est_buf_puts(b, "  nothing to buy over the horizon\n");
}

/* "at the node boundary": where the record's figure was measured. */
static const char *boundary_phrase(const char *boundary)
{
	if (!boundary)
		return "(the mean of the task's records)";
	if (!strcmp(boundary, "gpu"))
		return "at the GPU boundary";
	if (!strcmp(boundary, "node"))
		return "at the node boundary";
	if (!strcmp(boundary, "facility"))
		return "at the facility boundary";
	return boundary;
}

/* The equivalents of 1,000 inferences, measured and deployed, on one line. */
static void print_per_1000(est_buf *b, const est_result *r, const est_workload_result *w)
{
	char m[CELL_MAX], d[CELL_MAX];
	size_t q;
	int measured = w->measured_wh > 0;

	if (r->n_equivalences == 0)
		return;
	fmt_amount(d, w->facility_wh);
	if (measured) {
		fmt_quoted(m, w->measured_wh);
		est_text_printf(b, "    per 1,000 inferences, measured (%s kWh) / deployed at the facility (%s kWh): ",
			       m, d);
	} else {
		est_text_printf(b, "    per 1,000 inferences, deployed at the facility (%s kWh): ", d);
	}
	for (q = 0; q < r->n_equivalences; q++) {
		fmt_amount(d, w->deployed_per_1000[q]);
		if (measured) {
			fmt_amount(m, w->measured_per_1000[q]);
			est_text_printf(b, "%s%s / %s ", q ? ", " : "", m, d);
		} else {
			est_text_printf(b, "%s%s ", q ? ", " : "", d);
		}
		est_text_puts(b, r->equivalence_names[q] ? r->equivalence_names[q]
			      : r->equivalence_ids[q] ? r->equivalence_ids[q] : "");
	}
	est_buf_putc(b, '\n');
}

/* Its energy above idle and its share of the servers' idle over the horizon (model.md section 3). */
static void print_workload_horizon(est_buf *b, const est_variant *v, const est_workload_result *w)
{
	char above[CELL_MAX], idle[CELL_MAX];
	double a = 0, i0 = 0;
	size_t i;

	if (!w->years)
		return;
	for (i = 0; i < v->n_years; i++) {
		a += w->years[i].energy_kwh;
		i0 += w->years[i].idle_kwh;
	}
	fmt_amount(above, a / 1000);
	fmt_amount(idle, i0 / 1000);
	est_text_printf(b, "    over the horizon: %s MWh above idle, %s MWh of the servers' idle "
		       "(its share by whole accelerators)\n", above, idle);
}

static void print_workloads(est_buf *b, const est_result *r, const est_variant *v)
{
	const est_workload_result *w;
	char energy[CELL_MAX], acc[CELL_MAX], host[CELL_MAX], time[CELL_MAX], measured[CELL_MAX];
	size_t i, j;

	if (v->n_workloads == 0)
		return;
	est_buf_puts(b, "\nWorkloads (per inference, at the deployment):\n");
	for (i = 0; i < v->n_workloads; i++) {
		w = &v->workloads[i];
		fmt_amount(energy, w->energy_wh);
		fmt_amount(acc, w->accelerator_wh);
		fmt_amount(host, w->host_wh);
		fmt_amount(time, w->time_s);
		est_text_printf(b, "  %s: %s, model %s (profile %s)\n",
			       w->name ? w->name : "", w->task ? w->task : "",
			       w->model ? w->model : "", w->profile ? w->profile : "");
		est_text_printf(b, "    %s Wh above idle per inference (accelerator %s + host %s), %s device-s",
			       energy, acc, host, time);
		if (w->measured_wh > 0) {
			fmt_quoted(measured, w->measured_wh);
			est_text_printf(b, "; measured %s Wh %s", measured,
				       boundary_phrase(w->measured_boundary));
		}
		est_text_printf(b, "; replica %d x %s", w->replica, v->accelerator ? v->accelerator : "");
		if (w->spread_models > 0) {
			char lo[CELL_MAX], hi[CELL_MAX];
			fmt_amount(lo, w->spread_min_wh);
			fmt_amount(hi, w->spread_max_wh);
			est_text_printf(b, "; across %zu measured models %s to %s Wh", w->spread_models, lo, hi);
		}
		est_buf_putc(b, '\n');
		print_per_1000(b, r, w);
		print_workload_horizon(b, v, w);
		/* one line each: a conversion is a sentence that may hold ';' */
		for (j = 0; j < w->n_conversions; j++)
			est_text_printf(b, "    conversion: %s\n",
				       w->conversions[j] ? w->conversions[j] : "");
		if (w->n_conversions == 0)
			est_buf_puts(b, "    no conversions\n");
	}
}

static void print_target(est_buf *b, const est_result *r, const est_variant *v)
{
	char counted[CELL_MAX], budget[CELL_MAX], over[CELL_MAX];
	const est_year *y;
	size_t i;

	est_text_printf(b, "\nESG target (%s emissions%s against the budget):\n",
		       r->target_market_based ? "market-based" : "location-based",
		       r->target_includes_embodied ? " plus embodied" : "");
	for (i = 0; i < v->n_years; i++) {
		y = &v->years[i];
		fmt_fixed(counted, y->counted_kg / 1000, 2);
		fmt_fixed(budget, y->budget_kg / 1000, 2);
		est_text_printf(b, "  %d: %s of %s tCO2e, ", y->year, counted, budget);
		if (y->within_budget) {
			est_buf_puts(b, "within budget\n");
		} else {
			fmt_fixed(over, (y->counted_kg - y->budget_kg) / 1000, 2);
			est_text_printf(b, "over budget by %s tCO2e\n", over);
		}
	}
}

static void print_equivalents(est_buf *b, const est_result *r, const est_variant *v)
{
	char num[CELL_MAX], factor[CELL_MAX];
	size_t i;

	if (r->n_equivalences == 0)
		return;
	est_buf_puts(b, "\nOver the horizon, equivalent to:\n");
	for (i = 0; i < r->n_equivalences; i++) {
		int energy = r->equivalence_per_kwh[i] > 0;
		double per = energy ? r->equivalence_per_kwh[i] : r->equivalence_per_kg[i];
		fmt_amount(num, v->totals.equivalents[i]);
		fmt_quoted(factor, per > 0 ? 1 / per : 0);
		est_text_printf(b, "  %s %s (%s %s each, of %s)\n", num,
			       r->equivalence_names[i] ? r->equivalence_names[i]
			       : r->equivalence_ids[i] ? r->equivalence_ids[i] : "",
			       factor, energy ? "kWh" : "kg CO2e",
			       energy ? "facility and network energy" : "location-based emissions");
	}
}

/* The server power model (docs/model.md section 5): idle, its parts, and maximum. */
static void print_power(est_buf *b, const est_variant *v)
{
	char idle[CELL_MAX], host[CELL_MAX], acc[CELL_MAX], max[CELL_MAX];

	fmt_watts(idle, v->server_idle_w);
	fmt_watts(host, v->host_idle_w);
	fmt_watts(acc, v->accelerator_idle_w);
	fmt_watts(max, v->server_max_w);
	est_text_printf(b, "Power:    %s draws %s W idle (host %s W + %d x %s W) to %s W maximum\n",
		       v->server ? v->server : "", idle, host, v->accelerators_per_server, acc, max);
}

/* "Mode:     cloud, aws/p5.48xlarge in us-east-1 (on-demand, 55.04 USD an instance-hour)" */
static void print_mode(est_buf *b, const est_result *r, const est_variant *v)
{
	char num[CELL_MAX];

	if (!v->cloud_region) {
		if (v->mode && *v->mode)
			est_text_printf(b, "Mode:     %s\n", v->mode);
		return;
	}
	fmt_quoted(num, v->instance_price_per_hour);
	est_text_printf(b, "Mode:     cloud, %s in %s (%s, %s %s an instance-hour)\n",
			v->server ? v->server : "", v->cloud_region,
			v->cloud_pricing ? v->cloud_pricing : "", num, r->currency);
}

static void print_header(est_buf *b, const est_result *r)
{
	const est_variant *v = r->n_variants > 0 ? &r->variants[0] : NULL;

	est_text_printf(b, "Scenario: %s\n", r->scenario_name ? r->scenario_name : "");
	est_text_printf(b, "File:     %s\n", r->scenario_file ? r->scenario_file : "");
	if (v && v->n_years > 0)
		est_text_printf(b, "Horizon:  %d-%d (%zu %s)\n", v->years[0].year,
			       v->years[v->n_years - 1].year, v->n_years,
			       v->n_years == 1 ? "year" : "years");
	else
		est_buf_puts(b, "Horizon:  none\n");
	est_text_printf(b, "Currency: %s\n", r->currency);
	if (v)
		print_mode(b, r, v);
	est_text_printf(b, "Servers:  %s, %d x %s each\n", r->server ? r->server : "",
		       r->accelerators_per_server, r->accelerator ? r->accelerator : "");
	if (v)
		print_power(b, v);
}

/* Each variant's headline totals against the base: value and change. */
static void print_variants_vs_base(est_buf *b, const est_result *r)
{
	char num[CELL_MAX], chg[CELL_MAX];
	size_t i, k;

	est_buf_puts(b, "\nVariants against the base (totals over the horizon):\n");
	for (i = 1; i < r->n_variants; i++) {
		const est_variant *v = &r->variants[i];
		est_text_printf(b, "  %s%s%s\n", v->name, v->description && *v->description ? ": " : "",
			       v->description ? v->description : "");
		for (k = 0; k < est_n_headlines; k++) {
			const est_headline *h = &est_headlines[k];
			double base = h->get(&r->variants[0].totals), x = h->get(&v->totals);
			const char *unit = est_headline_unit(h, r->currency);
			if (base == x)
				continue;
			fmt_amount(num, x);
			fmt_amount(chg, x - base);
			if (base != 0)
				est_text_printf(b, "    %-26s %14s %-7s %s%s (%+.1f%%)\n", h->label, num,
					       unit, x > base ? "+" : "", chg, (x - base) / base * 100.0);
			else
				est_text_printf(b, "    %-26s %14s %-7s %s%s\n", h->label, num, unit,
					       x > base ? "+" : "", chg);
		}
	}
}

int est_render_text(est_buf *out, const est_result *r, const cJSON *tree,
		    est_error *err)
{
	const est_variant *v;
	size_t i;
	int rc;

	(void)tree;
	print_header(out, r);
	for (i = 0; i < r->n_variants; i++) {
		v = &r->variants[i];
		est_text_printf(out, "\n== Variant: %s ==\n\n", v->name ? v->name : "");
		if (i > 0) {
			if (v->description && *v->description)
				est_text_printf(out, "%s\n", v->description);
			print_mode(out, r, v);
			est_text_printf(out, "Servers:  %s, %d x %s each\n", v->server ? v->server : "",
					v->accelerators_per_server, v->accelerator ? v->accelerator : "");
			print_power(out, v);
			est_buf_putc(out, '\n');
		}
		rc = print_tables(out, r, v);
		if (rc == 0) {
			print_factors(out, v);
			est_buf_putc(out, '\n');
			rc = print_cost(out, r, v);
		}
		if (rc == 0) {
			est_buf_putc(out, '\n');
			rc = print_breakdown(out, v);
		}
		if (rc == 0 && v->totals.has_ranges)
			rc = print_ranges(out, r, v);
		if (rc < 0)
			return est_error_set(err, rc, NULL, 0, 0,
					     "out of memory rendering text");
		est_buf_putc(out, '\n');
		print_purchases(out, r, v);
		print_workloads(out, r, v);
		if (r->has_target)
			print_target(out, r, v);
		print_equivalents(out, r, v);
	}
	if (r->n_variants > 1)
		print_variants_vs_base(out, r);
	if (r->n_notes > 0) {
		est_buf_puts(out, "\nNotes:\n");
		for (i = 0; i < r->n_notes; i++)
			est_text_printf(out, "  - %s\n", r->notes[i] ? r->notes[i] : "");
	}
	return 0;
}
