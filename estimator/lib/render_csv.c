/*
 * The result as one tidy CSV table, `variant,year,metric,value,unit`, made by
 * flattening the contract tree so that every number of the JSON result has
 * a row named by its key path, in the same order and the same format.
 *
 * Rows: first what each equivalent counts, equivalence.<id>.<energy_kwh |
 * emissions_kgco2e> (variant and year empty); then per variant its
 * deployment.* numbers (year empty), each year's metrics, the totals (year
 * "total"), and for a variant vs_base.* and delta.* (year "total"); then
 * per workload `workload.<name>.<key>`: the per-inference figures with an
 * empty year, then each year's. Booleans are 1/0 with unit "bool"; string
 * values (the currency, names, conversions, boundaries, emission factor
 * descriptions) are not rows: the currency is the unit of the cost rows. A
 * sampled result (docs/output-format.md) first has sampling.samples and
 * sampling.seed rows (variant and year empty; the generator's name is the
 * seed's unit), and each year and the totals rows
 * uncertainty.<metric>.<p5|p50|p95|mean> in the metric's unit. Lines end in
 * LF; fields are quoted per RFC 4180 when they hold a comma, quote, CR or LF.
 */
#include <stdio.h>
#include <string.h>

#include "render_internal.h"

#define PATH_MAX_LEN 512

typedef struct unit_rule {
	const char *path;  /* a key path, or a prefix when it ends in '.' */
	const char *unit;
} unit_rule;

/* "$" stands for the result's currency; equivalents are named in equivalent_unit. */
static const unit_rule year_units[] = {
	{"inferences", "count"},
	{"energy_kwh.", "kWh"},
	{"power_kw.", "kW"},
	{"accelerators.", "count"},
	{"servers.", "count"},
	{"racks.", "count"},
	{"storage_tb.", "TB"},
	{"busy_accelerator_hours", "h"},
	{"installed_accelerator_hours", "h"},
	{"emissions_kgco2e.", "kgCO2e"},
	{"water_l", "L"},
	{"sci_gco2e_per_inference", "gCO2e/inference"},
	{"cost.", "$"},
	{"factors.carbon_intensity_g_per_kwh", "gCO2e/kWh"},
	{"factors.market_g_per_kwh", "gCO2e/kWh"},
	{"factors.electricity_price", "$/kWh"},
	{"esg.within_budget", "bool"},
	{"esg.includes_embodied", "bool"},
	{"esg.", "kgCO2e"},
	{NULL, NULL},
};

/* per_1000_inferences.<measured|deployed>.<id> are named in equivalent_unit. */
static const unit_rule workload_units[] = {
	{"energy_wh_per_inference", "Wh"},
	{"parts_wh.", "Wh"},
	{"time_s_per_inference", "s"},
	{"measured.wh", "Wh"},
	{"facility_wh_per_inference", "Wh"},
	{"replica_accelerators", "count"},
	{"weights_gb", "GB"},
	{"spread.models", "count"},
	{"spread.", "Wh"},
	{"inferences", "count"},
	{"energy_kwh", "kWh"},
	{"accelerators", "count"},
	{"accelerators_whole", "count"},
	{"idle_kwh", "kWh"},
	{NULL, NULL},
};

static const unit_rule deployment_units[] = {
	{"accelerators_per_server", "count"},
	{"power_w.", "W"},
	{"server_price_verified", "bool"},
	{NULL, NULL},
};

typedef struct csv {
	est_buf *out;
	const est_result *r;
	const unit_rule *units;
	const char *variant;
	char year[EST_NUMBER_MAX];
	char path[PATH_MAX_LEN];
	size_t rel;        /* where the key path starts in `path` (after a workload prefix) */
	char price_unit[16]; /* "EUR/kWh" */
} csv;

static const char *equivalent_unit(const est_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n_equivalences; i++)
		if (r->equivalence_ids[i] && strcmp(r->equivalence_ids[i], id) == 0)
			return r->equivalence_names[i] ? r->equivalence_names[i] : "count";
	return "count";
}

/* uncertainty.<metric>.<p5|p50|p95|mean>: the headline metric's unit. */
static const char *range_unit(const est_result *r, const char *key)
{
	const char *part = strrchr(key, '.');
	size_t k, n = part ? (size_t)(part - key) : 0;

	for (k = 0; k < est_n_headlines; k++)
		if (strlen(est_headlines[k].key) == n && !strncmp(est_headlines[k].key, key, n))
			return strcmp(est_headlines[k].unit, "$") ? est_headlines[k].unit : r->currency;
	return "";
}

static const char *unit_of(const csv *c)
{
	const char *key = c->path + c->rel;
	const unit_rule *u;
	size_t n;

	if (c->units == year_units && strncmp(key, "equivalents.", 12) == 0)
		return equivalent_unit(c->r, key + 12);
	if (c->units == year_units && strncmp(key, "uncertainty.", 12) == 0)
		return range_unit(c->r, key + 12);
	if (c->units == workload_units && strncmp(key, "per_1000_inferences.", 20) == 0) {
		const char *id = strchr(key + 20, '.');
		return equivalent_unit(c->r, id ? id + 1 : "");
	}
	for (u = c->units; u->path; u++) {
		n = strlen(u->path);
		if (u->path[n - 1] == '.' ? strncmp(key, u->path, n) == 0
					  : strcmp(key, u->path) == 0) {
			if (strcmp(u->unit, "$") == 0)
				return c->r->currency;
			return strcmp(u->unit, "$/kWh") == 0 ? c->price_unit : u->unit;
		}
	}
	return "";
}

static void row(const csv *c, const char *value)
{
	est_render_csv_field(c->out, c->variant);
	est_buf_putc(c->out, ',');
	est_render_csv_field(c->out, c->year);
	est_buf_putc(c->out, ',');
	est_render_csv_field(c->out, c->path);
	est_buf_putc(c->out, ',');
	est_render_csv_field(c->out, value);
	est_buf_putc(c->out, ',');
	est_render_csv_field(c->out, unit_of(c));
	est_buf_putc(c->out, '\n');
}

/* One row per number or boolean below obj, whose key path so far ends at len. */
static void flatten(csv *c, const cJSON *obj, size_t len)
{
	char num[EST_NUMBER_MAX];
	const cJSON *item;
	int n;

	cJSON_ArrayForEach(item, obj) {
		if (len == c->rel && strcmp(item->string, "year") == 0)
			continue; /* the year column */
		n = snprintf(c->path + len, sizeof(c->path) - len, "%s%s",
			     len > c->rel ? "." : "", item->string);
		if (n < 0 || (size_t)n >= sizeof(c->path) - len)
			continue; /* a key path this long is not ours */
		if (cJSON_IsObject(item)) {
			flatten(c, item, len + (size_t)n);
		} else if (cJSON_IsNumber(item)) {
			est_render_number(num, item->valuedouble);
			row(c, num);
		} else if (cJSON_IsBool(item)) {
			row(c, cJSON_IsTrue(item) ? "1" : "0");
		}
		c->path[len] = '\0';
	}
}

/* vs_base.<metric>.{base,value,abs,pct}, year "total"; the unit is the metric's. */
static void vs_base_rows(csv *c, const cJSON *vs)
{
	const cJSON *m, *f;
	char num[EST_NUMBER_MAX];
	size_t k;

	if (!vs)
		return;
	cJSON_ArrayForEach(m, vs) {
		const char *unit = "";
		for (k = 0; k < est_n_headlines; k++)
			if (!strcmp(est_headlines[k].key, m->string))
				unit = strcmp(est_headlines[k].unit, "$") ? est_headlines[k].unit
									 : c->r->currency;
		cJSON_ArrayForEach(f, m) {
			if (!cJSON_IsNumber(f))
				continue; /* a null pct (base 0) has no row */
			est_render_number(num, f->valuedouble);
			est_render_csv_field(c->out, c->variant);
			est_buf_putc(c->out, ',');
			est_render_csv_field(c->out, c->year);
			est_buf_printf(c->out, ",vs_base.%s.%s,%s,", m->string, f->string, num);
			est_render_csv_field(c->out, strcmp(f->string, "pct") ? unit : "%");
			est_buf_putc(c->out, '\n');
		}
	}
}

/*
 * The Monte Carlo settings, before the variants, variant and year empty:
 * sampling.samples (unit count) and sampling.seed, whose unit is the
 * generator's name.
 */
static void sampling_rows(est_buf *out, const cJSON *sampling)
{
	const cJSON *samples = cJSON_GetObjectItemCaseSensitive(sampling, "samples");
	const cJSON *seed = cJSON_GetObjectItemCaseSensitive(sampling, "seed");
	const cJSON *generator = cJSON_GetObjectItemCaseSensitive(sampling, "generator");
	char num[EST_NUMBER_MAX];

	if (!cJSON_IsNumber(samples) || !cJSON_IsNumber(seed))
		return;
	est_render_number(num, samples->valuedouble);
	est_buf_printf(out, ",,sampling.samples,%s,count\n", num);
	est_render_number(num, seed->valuedouble);
	est_buf_printf(out, ",,sampling.seed,%s,", num);
	est_render_csv_field(out, cJSON_IsString(generator) ? generator->valuestring : "");
	est_buf_putc(out, '\n');
}

static void set_year(csv *c, const cJSON *obj)
{
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(obj, "year");

	if (cJSON_IsNumber(y))
		est_render_number(c->year, y->valuedouble);
	else
		c->year[0] = '\0';
}

/*
 * What each equivalent counts, before the variants (variant and year empty):
 * equivalence.<id>.energy_kwh (kWh) or equivalence.<id>.emissions_kgco2e
 * (kgCO2e), one of an equivalent.
 */
static void equivalence_rows(est_buf *out, const cJSON *equivalences)
{
	const cJSON *e, *id, *f;
	char num[EST_NUMBER_MAX];

	cJSON_ArrayForEach(e, equivalences) {
		id = cJSON_GetObjectItemCaseSensitive(e, "id");
		cJSON_ArrayForEach(f, e) {
			if (!cJSON_IsNumber(f))
				continue;
			est_render_number(num, f->valuedouble);
			est_buf_puts(out, ",,");
			est_buf_printf(out, "equivalence.%s.%s", cJSON_IsString(id) ? id->valuestring : "",
				       f->string);
			est_buf_printf(out, ",%s,%s\n", num,
				       strcmp(f->string, "energy_kwh") ? "kgCO2e" : "kWh");
		}
	}
}

/* Rows of one object under a prefix (deployment., delta.): its key paths relative to it. */
static void prefixed_rows(csv *c, const cJSON *obj, const char *prefix, const unit_rule *units)
{
	int n;

	if (!obj)
		return;
	n = snprintf(c->path, sizeof(c->path), "%s", prefix);
	if (n < 0 || (size_t)n >= sizeof(c->path))
		return;
	c->rel = (size_t)n;
	c->units = units;
	flatten(c, obj, c->rel);
	c->rel = 0;
	c->path[0] = '\0';
	c->units = year_units;
}

static void workload_rows(csv *c, const cJSON *w)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(w, "name");
	const cJSON *years = cJSON_GetObjectItemCaseSensitive(w, "years");
	const cJSON *item;
	char num[EST_NUMBER_MAX];
	int n;

	n = snprintf(c->path, sizeof(c->path), "workload.%s.",
		     cJSON_IsString(name) ? name->valuestring : "");
	if (n < 0 || (size_t)n >= sizeof(c->path))
		return;
	c->rel = (size_t)n;
	c->units = workload_units;
	c->year[0] = '\0';
	cJSON_ArrayForEach(item, w) {
		if (cJSON_IsObject(item)) { /* parts, measured, per 1,000, spread */
			n = snprintf(c->path + c->rel, sizeof(c->path) - c->rel, "%s", item->string);
			if (n > 0 && (size_t)n < sizeof(c->path) - c->rel)
				flatten(c, item, c->rel + (size_t)n);
			c->path[c->rel] = '\0';
			continue;
		}
		if (!cJSON_IsNumber(item))
			continue;
		snprintf(c->path + c->rel, sizeof(c->path) - c->rel, "%s", item->string);
		est_render_number(num, item->valuedouble);
		row(c, num);
	}
	c->path[c->rel] = '\0';
	cJSON_ArrayForEach(item, years) {
		set_year(c, item);
		flatten(c, item, c->rel);
	}
}

int est_render_csv(est_buf *out, const est_result *r, const cJSON *tree,
		   est_error *err)
{
	const cJSON *v, *item;
	const cJSON *variants = cJSON_GetObjectItemCaseSensitive(tree, "variants");
	csv c;

	(void)err;
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.r = r;
	snprintf(c.price_unit, sizeof(c.price_unit), "%s/kWh", r->currency);
	est_buf_puts(out, "variant,year,metric,value,unit\n");
	sampling_rows(out, cJSON_GetObjectItemCaseSensitive(tree, "sampling"));
	equivalence_rows(out, cJSON_GetObjectItemCaseSensitive(tree, "equivalences"));
	cJSON_ArrayForEach(v, variants) {
		item = cJSON_GetObjectItemCaseSensitive(v, "name");
		c.variant = cJSON_IsString(item) ? item->valuestring : "";
		c.year[0] = '\0';
		prefixed_rows(&c, cJSON_GetObjectItemCaseSensitive(v, "deployment"), "deployment.",
			      deployment_units);
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(v, "years")) {
			set_year(&c, item);
			flatten(&c, item, 0);
		}
		snprintf(c.year, sizeof(c.year), "total");
		flatten(&c, cJSON_GetObjectItemCaseSensitive(v, "totals"), 0);
		vs_base_rows(&c, cJSON_GetObjectItemCaseSensitive(v, "vs_base"));
		prefixed_rows(&c, cJSON_GetObjectItemCaseSensitive(v, "delta"), "delta.", year_units);
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(v, "workloads"))
			workload_rows(&c, item);
	}
	return 0;
}
