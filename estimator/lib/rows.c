/*
 * One result as tidy rows (estimator/rows.h): `all`, every number of the
 * contract tree as a row named by its key path, in the tree's order and
 * format, which the CSV renderer writes as its table; `headline`, the
 * headline metrics read straight from the result, without the tree.
 *
 * The `all` rows: first sampling.samples and sampling.seed for a sampled
 * result (variant and year empty; the generator's name is the seed's unit);
 * then what each equivalent counts, equivalence.<id>.<energy_kwh |
 * emissions_kgco2e> (variant and year empty); then per variant its
 * deployment.* numbers (year empty), each year's metrics, the totals (year
 * "total"), and for a variant vs_base.* and delta.* (year "total"); then
 * per workload `workload.<name>.<key>`: the per-inference figures with an
 * empty year, then each year's. Booleans are 1/0 with unit "bool"; string
 * values (the currency, names, conversions, boundaries, emission factor
 * descriptions) are not rows: the currency is the unit of the cost rows. A
 * sampled year and the totals have uncertainty.<metric>.<p5|p50|p95|mean>
 * rows in the metric's unit.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "rows.h"

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
	{"instances.hours", "h"},
	{"instances.", "count"},
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
	{"cloud.price_per_hour", "$/h"},
	{"discount_rate", "share"},
	{"storage_unit_tb", "TB"},
	{"power_step_kw", "kW"},
	{"power_w.", "W"},
	{"server_price_verified", "bool"},
	{NULL, NULL},
};

typedef struct csv {
	est_row_fn fn;
	void *ctx;
	int status;        /* fn's first negative return: no more rows */
	const char *scenario;
	const est_result *r;
	const unit_rule *units;
	const char *variant;
	char year[EST_NUMBER_MAX];
	char path[PATH_MAX_LEN];
	size_t rel;        /* where the key path starts in `path` (after a workload prefix) */
	char price_unit[16]; /* "EUR/kWh" */
	char hour_unit[16];  /* "EUR/h" */
} csv;

static const char *equivalent_unit(const est_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n_equivalences; i++)
		if (r->equivalence_ids[i] && strcmp(r->equivalence_ids[i], id) == 0)
			return r->equivalence_names[i] ? r->equivalence_names[i] : "count";
	return "count";
}

/* uncertainty.<metric>.<p5|p50|p95|mean>: the ranged metric's unit. */
static const char *range_unit(const est_result *r, const char *key)
{
	const char *part = strrchr(key, '.');
	size_t k, n = part ? (size_t)(part - key) : 0;

	for (k = 0; k < EST_RANGED; k++)
		if (strlen(est_ranged_key(k)) == n && !strncmp(est_ranged_key(k), key, n))
			return strcmp(est_ranged_unit(k), "$") ? est_ranged_unit(k) : r->currency;
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
			if (strcmp(u->unit, "$/h") == 0)
				return c->hour_unit;
			return strcmp(u->unit, "$/kWh") == 0 ? c->price_unit : u->unit;
		}
	}
	return "";
}

/* One row to the caller, unless an earlier one stopped the rows. */
static void emit(csv *c, const char *variant, const char *year, const char *metric,
		 const char *value, const char *unit)
{
	est_row row;
	int rc;

	if (c->status < 0)
		return;
	row.scenario = c->scenario;
	row.variant = variant;
	row.year = year;
	row.metric = metric;
	row.value = value;
	row.unit = unit;
	rc = c->fn(c->ctx, &row);
	if (rc < 0)
		c->status = rc;
}

static void row(csv *c, const char *value)
{
	emit(c, c->variant, c->year, c->path, value, unit_of(c));
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
	int h, n;

	if (!vs)
		return;
	cJSON_ArrayForEach(m, vs) {
		const char *unit = "";
		h = est_headline_index(m->string);
		if (h >= 0)
			unit = est_headline_unit(&est_headlines[h], c->r->currency);
		cJSON_ArrayForEach(f, m) {
			if (!cJSON_IsNumber(f))
				continue; /* a null pct (base 0) has no row */
			n = snprintf(c->path, sizeof(c->path), "vs_base.%s.%s", m->string, f->string);
			if (n < 0 || (size_t)n >= sizeof(c->path))
				continue; /* a key path this long is not ours */
			est_render_number(num, f->valuedouble);
			emit(c, c->variant, c->year, c->path, num, strcmp(f->string, "pct") ? unit : "%");
		}
	}
	c->path[0] = '\0';
}

/*
 * The Monte Carlo settings, before the variants, variant and year empty:
 * sampling.samples (unit count) and sampling.seed, whose unit is the
 * generator's name.
 */
static void sampling_rows(csv *c, const cJSON *sampling)
{
	const cJSON *samples = cJSON_GetObjectItemCaseSensitive(sampling, "samples");
	const cJSON *seed = cJSON_GetObjectItemCaseSensitive(sampling, "seed");
	const cJSON *generator = cJSON_GetObjectItemCaseSensitive(sampling, "generator");
	char num[EST_NUMBER_MAX];

	if (!cJSON_IsNumber(samples) || !cJSON_IsNumber(seed))
		return;
	est_render_number(num, samples->valuedouble);
	emit(c, "", "", "sampling.samples", num, "count");
	est_render_number(num, seed->valuedouble);
	emit(c, "", "", "sampling.seed", num, cJSON_IsString(generator) ? generator->valuestring : "");
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
static void equivalence_rows(csv *c, const cJSON *equivalences)
{
	const cJSON *e, *id, *f;
	char num[EST_NUMBER_MAX];
	int n;

	cJSON_ArrayForEach(e, equivalences) {
		id = cJSON_GetObjectItemCaseSensitive(e, "id");
		cJSON_ArrayForEach(f, e) {
			if (!cJSON_IsNumber(f))
				continue;
			n = snprintf(c->path, sizeof(c->path), "equivalence.%s.%s",
				     cJSON_IsString(id) ? id->valuestring : "", f->string);
			if (n < 0 || (size_t)n >= sizeof(c->path))
				continue; /* an id this long is not a profile's */
			est_render_number(num, f->valuedouble);
			emit(c, "", "", c->path, num, strcmp(f->string, "energy_kwh") ? "kgCO2e" : "kWh");
		}
	}
	c->path[0] = '\0';
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

int est_rows__all(const est_result *r, const cJSON *tree, const char *scenario, est_row_fn fn,
		  void *ctx)
{
	const cJSON *v, *item;
	const cJSON *variants = cJSON_GetObjectItemCaseSensitive(tree, "variants");
	csv c;

	memset(&c, 0, sizeof(c));
	c.fn = fn;
	c.ctx = ctx;
	c.scenario = scenario;
	c.r = r;
	c.units = year_units;
	snprintf(c.price_unit, sizeof(c.price_unit), "%s/kWh", r->currency);
	snprintf(c.hour_unit, sizeof(c.hour_unit), "%s/h", r->currency);
	sampling_rows(&c, cJSON_GetObjectItemCaseSensitive(tree, "sampling"));
	equivalence_rows(&c, cJSON_GetObjectItemCaseSensitive(tree, "equivalences"));
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
	return c.status;
}

/* ---- the headline rows, from the result itself ---- */

static const struct {
	const char *name;
	size_t offset;
} quantiles[] = {
	{"p5", offsetof(est_range, p5)},
	{"p50", offsetof(est_range, p50)},
	{"p95", offsetof(est_range, p95)},
	{"mean", offsetof(est_range, mean)},
}; /* the contract's order (render_json.c's add_uncertainty) */

static double quantile(const est_range *x, size_t q)
{
	double v;

	memcpy(&v, (const char *)x + quantiles[q].offset, sizeof(v));
	return v;
}

/* The first headline value (or range) of y that is not finite, as an error naming it. */
static int check_year(const est_year *y, size_t v, const char *where, est_error *err)
{
	size_t h, q;

	for (h = 0; h < est_n_headlines; h++) {
		double x = est_headlines[h].get(y);
		if (!isfinite(x))
			return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
					     "variants[%zu].%s.%s is not a finite number (%g)", v, where,
					     est_headlines[h].key, x);
		for (q = 0; y->has_ranges && q < 4; q++) {
			x = quantile(&y->ranges[h], q);
			if (!isfinite(x))
				return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
						     "variants[%zu].%s.uncertainty.%s.%s is not a finite number (%g)",
						     v, where, est_headlines[h].key, quantiles[q].name, x);
		}
	}
	return 0;
}

static int check_headlines(const est_result *r, est_error *err)
{
	char where[48];
	size_t v, i;
	int rc;

	for (v = 0; v < r->n_variants; v++) {
		const est_variant *var = &r->variants[v];
		for (i = 0; i < var->n_years; i++) {
			snprintf(where, sizeof(where), "years[%zu]", i);
			rc = check_year(&var->years[i], v, where, err);
			if (rc < 0)
				return rc;
		}
		rc = check_year(&var->totals, v, "totals", err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A year's (or the totals') headline rows, then their ranges. */
static int headline_rows(const est_result *r, const char *scenario, const char *variant,
			 const char *year, const est_year *y, est_row_fn fn, void *ctx)
{
	char num[EST_NUMBER_MAX], metric[128];
	est_row row = {scenario, variant, year, NULL, num, NULL};
	size_t h, q;
	int rc;

	for (h = 0; h < est_n_headlines; h++) {
		est_render_number(num, est_headlines[h].get(y));
		row.metric = est_headlines[h].key;
		row.unit = est_headline_unit(&est_headlines[h], r->currency);
		rc = fn(ctx, &row);
		if (rc < 0)
			return rc;
	}
	for (h = 0; y->has_ranges && h < est_n_headlines; h++) {
		row.unit = est_headline_unit(&est_headlines[h], r->currency);
		for (q = 0; q < 4; q++) {
			snprintf(metric, sizeof(metric), "uncertainty.%s.%s", est_headlines[h].key,
				 quantiles[q].name);
			est_render_number(num, quantile(&y->ranges[h], q));
			row.metric = metric;
			rc = fn(ctx, &row);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int each_headline(const est_result *r, const char *scenario, est_row_fn fn, void *ctx)
{
	char year[EST_NUMBER_MAX];
	size_t v, i;
	int rc = 0;

	for (v = 0; v < r->n_variants && rc == 0; v++) {
		const est_variant *var = &r->variants[v];
		const char *name = var->name ? var->name : "";
		for (i = 0; i < var->n_years && rc == 0; i++) {
			est_render_number(year, (double)var->years[i].year);
			rc = headline_rows(r, scenario, name, year, &var->years[i], fn, ctx);
		}
		if (rc == 0)
			rc = headline_rows(r, scenario, name, "total", &var->totals, fn, ctx);
	}
	return rc;
}

/* ---- the API ---- */

int est_metrics_parse(est_metrics *out, const char *name)
{
	assert(out);
	assert(name);
	if (!strcmp(name, "headline"))
		*out = EST_METRICS_HEADLINE;
	else if (!strcmp(name, "all"))
		*out = EST_METRICS_ALL;
	else
		return EST_EUSAGE;
	return 0;
}

int est_rows_each(const est_result *r, const char *scenario, est_metrics m, est_row_fn fn,
		  void *ctx, est_error *err)
{
	cJSON *tree = NULL;
	int rc;

	assert(r);
	assert(scenario);
	assert(fn);
	switch (m) {
	case EST_METRICS_HEADLINE:
		rc = check_headlines(r, err);
		if (rc == 0)
			rc = each_headline(r, scenario, fn, ctx);
		return rc;
	case EST_METRICS_ALL:
		rc = est_render_tree(&tree, r, err);
		if (rc == 0)
			rc = est_rows__all(r, tree, scenario, fn, ctx);
		cJSON_Delete(tree);
		return rc;
	}
	return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown metrics set %d", (int)m);
}

void est_rows__put_csv(est_buf *b, const est_row *row, int with_scenario)
{
	if (with_scenario) {
		est_render_csv_field(b, row->scenario);
		est_buf_putc(b, ',');
	}
	est_render_csv_field(b, row->variant);
	est_buf_putc(b, ',');
	est_render_csv_field(b, row->year);
	est_buf_putc(b, ',');
	est_render_csv_field(b, row->metric);
	est_buf_putc(b, ',');
	est_render_csv_field(b, row->value);
	est_buf_putc(b, ',');
	est_render_csv_field(b, row->unit);
	est_buf_putc(b, '\n');
}

/* One row as a CSV line, scenario first. */
static int csv_line(void *ctx, const est_row *row)
{
	est_rows__put_csv(ctx, row, 1);
	return 0; /* out of memory is sticky: est_buf_detach tells */
}

int est_rows_csv(char **out, size_t *len, const est_result *r, const char *scenario,
		 est_metrics m, est_error *err)
{
	est_buf b;
	int rc;

	assert(out);
	*out = NULL;
	if (len)
		*len = 0;
	est_buf_init(&b);
	rc = est_rows_each(r, scenario, m, csv_line, &b, err);
	if (rc == 0) {
		*out = est_buf_detach(&b, len);
		if (!*out)
			rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory writing rows");
	}
	est_buf_dispose(&b);
	return rc;
}
