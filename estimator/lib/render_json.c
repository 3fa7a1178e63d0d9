/*
 * The estimator-result/1 contract (docs/model.md, the brief's "JSON result"):
 * the result built as a cJSON tree in contract key order, checked for
 * non-finite numbers, and printed by our own small printer so that numbers
 * and indentation are the same bytes on every platform and cJSON version.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "estimator/rows.h"
#include "render_internal.h"

/* ---- building the tree ---- */

/* Out of memory is sticky, so the builders need not check each call. */
typedef struct builder {
	int failed;
} builder;

static cJSON *add_object(builder *t, cJSON *parent, const char *key)
{
	cJSON *o;

	if (t->failed || !parent)
		return NULL;
	o = cJSON_AddObjectToObject(parent, key);
	if (!o)
		t->failed = 1;
	return o;
}

static cJSON *add_array(builder *t, cJSON *parent, const char *key)
{
	cJSON *a;

	if (t->failed || !parent)
		return NULL;
	a = cJSON_AddArrayToObject(parent, key);
	if (!a)
		t->failed = 1;
	return a;
}

static void add_number(builder *t, cJSON *parent, const char *key, double v)
{
	if (t->failed || !parent)
		return;
	if (!cJSON_AddNumberToObject(parent, key, v))
		t->failed = 1;
}

static void add_uncertainty(builder *t, cJSON *parent, const est_year *y);

/* A NULL string is written as "" so that the key keeps its contract type. */
static void add_string(builder *t, cJSON *parent, const char *key, const char *s)
{
	if (t->failed || !parent)
		return;
	if (!cJSON_AddStringToObject(parent, key, s ? s : ""))
		t->failed = 1;
}

static void add_bool(builder *t, cJSON *parent, const char *key, int v)
{
	if (t->failed || !parent)
		return;
	if (!cJSON_AddBoolToObject(parent, key, v ? 1 : 0))
		t->failed = 1;
}

static void append(builder *t, cJSON *array, cJSON *item)
{
	if (!item || t->failed || !array || !cJSON_AddItemToArray(array, item)) {
		cJSON_Delete(item);
		t->failed = 1;
	}
}

static void append_string(builder *t, cJSON *array, const char *s)
{
	if (t->failed || !array)
		return;
	append(t, array, cJSON_CreateString(s ? s : ""));
}

static cJSON *append_object(builder *t, cJSON *array)
{
	cJSON *o;

	if (t->failed || !array)
		return NULL;
	o = cJSON_CreateObject();
	append(t, array, o);
	return t->failed ? NULL : o;
}

static void add_null(builder *t, cJSON *parent, const char *key)
{
	if (t->failed || !parent)
		return;
	if (!cJSON_AddNullToObject(parent, key))
		t->failed = 1;
}

/*
 * Energy (docs/model.md section 5): inference (above idle) = accelerator +
 * host; idle = host_idle + accelerator_idle; servers = idle + inference;
 * it = servers + storage; facility = it x PUE; network is outside the site.
 */
static void add_energy(builder *t, cJSON *parent, const est_energy *e)
{
	cJSON *o = add_object(t, parent, "energy_kwh");

	add_number(t, o, "inference", e->inference);
	add_number(t, o, "accelerator", e->accelerator);
	add_number(t, o, "host", e->host);
	add_number(t, o, "idle", e->idle);
	add_number(t, o, "host_idle", e->host_idle);
	add_number(t, o, "accelerator_idle", e->accelerator_idle);
	add_number(t, o, "servers", e->servers);
	add_number(t, o, "storage", e->storage);
	add_number(t, o, "network", e->network);
	add_number(t, o, "it", e->it);
	add_number(t, o, "facility", e->facility);
}

static void add_stock(builder *t, cJSON *parent, const char *key, const est_stock *s)
{
	cJSON *o = add_object(t, parent, key);

	add_number(t, o, "required", s->required);
	add_number(t, o, "existing", s->existing);
	add_number(t, o, "to_buy", s->to_buy);
}

static void add_to_buy(builder *t, cJSON *parent, const char *key, const est_stock *s)
{
	add_number(t, add_object(t, parent, key), "to_buy", s->to_buy);
}

/* Busy and installed accelerator-hours (section 5): additive, in years and totals. */
static void add_hours(builder *t, cJSON *parent, const est_year *y)
{
	add_number(t, parent, "busy_accelerator_hours", y->busy_accelerator_hours);
	add_number(t, parent, "installed_accelerator_hours", y->installed_accelerator_hours);
}

static void add_emissions(builder *t, cJSON *parent, const est_year *y)
{
	cJSON *o = add_object(t, parent, "emissions_kgco2e");

	add_number(t, o, "location_based", y->location_kg);
	add_number(t, o, "market_based", y->market_kg);
	add_number(t, o, "embodied", y->embodied_kg);
}

/* Section 10: capex and opex by kind, the cost of ownership and its present value. */
static void add_cost(builder *t, cJSON *parent, const est_result *r, const est_year *y)
{
	cJSON *o = add_object(t, parent, "cost");
	cJSON *k;

	add_string(t, o, "currency", r->currency);
	add_number(t, o, "capex", y->capex);
	add_number(t, o, "opex", y->opex);
	k = add_object(t, o, "capex_by_kind");
	add_number(t, k, "servers", y->capex_by.servers);
	add_number(t, k, "storage", y->capex_by.storage);
	add_number(t, k, "network", y->capex_by.network);
	add_number(t, k, "racks", y->capex_by.racks);
	add_number(t, k, "power", y->capex_by.power);
	k = add_object(t, o, "opex_by_kind");
	add_number(t, k, "electricity", y->opex_by.electricity);
	add_number(t, k, "maintenance", y->opex_by.maintenance);
	add_number(t, k, "licences", y->opex_by.licences);
	add_number(t, k, "colocation", y->opex_by.colocation);
	add_number(t, k, "cloud", y->opex_by.cloud);
	add_number(t, k, "staff", y->opex_by.staff);
	add_number(t, o, "total", y->cost);
	add_number(t, o, "present_value", y->npv);
	add_number(t, o, "per_1000_inferences", y->cost_per_1000);
	add_number(t, o, "carbon_price", y->carbon_cost);
}

static void add_equivalents(builder *t, cJSON *parent, const est_result *r,
			    const est_year *y)
{
	cJSON *o = add_object(t, parent, "equivalents");
	size_t i;

	for (i = 0; i < r->n_equivalences; i++)
		add_number(t, o, r->equivalence_ids[i] ? r->equivalence_ids[i] : "",
			   y->equivalents[i]);
}

static void add_year(builder *t, cJSON *years, const est_result *r, const est_year *y)
{
	cJSON *o = append_object(t, years);
	cJSON *p;

	add_number(t, o, "year", y->year);
	add_number(t, o, "inferences", y->inferences);
	add_energy(t, o, &y->energy_kwh);
	p = add_object(t, o, "power_kw");
	add_number(t, p, "it_peak", y->it_peak_kw);
	add_number(t, p, "facility_peak", y->facility_peak_kw);
	add_number(t, p, "existing", y->power_existing_kw);
	add_number(t, p, "upgrade", y->power_upgrade_kw);
	add_stock(t, o, "accelerators", &y->accelerators);
	add_number(t, cJSON_GetObjectItemCaseSensitive(o, "accelerators"), "shortfall",
		   y->accelerator_shortfall);
	add_stock(t, o, "servers", &y->servers);
	add_number(t, cJSON_GetObjectItemCaseSensitive(o, "servers"), "replacing", y->servers_replacing);
	add_stock(t, o, "racks", &y->racks);
	add_stock(t, o, "storage_tb", &y->storage_tb);
	p = cJSON_GetObjectItemCaseSensitive(o, "storage_tb");
	add_number(t, p, "weights", y->storage_by.weights);
	add_number(t, p, "outputs_and_logs", y->storage_by.kept);
	add_number(t, p, "datasets", y->storage_by.datasets);
	p = add_object(t, o, "instances");
	add_number(t, p, "running", y->instances);
	add_number(t, p, "hours", y->instance_hours);
	add_hours(t, o, y);
	add_emissions(t, o, y);
	add_number(t, o, "water_l", y->water_l);
	add_number(t, o, "sci_gco2e_per_inference", y->sci_g_per_inference);
	add_cost(t, o, r, y);
	/* the year's factors (section 14); not additive, so not in the totals */
	p = add_object(t, o, "factors");
	add_number(t, p, "carbon_intensity_g_per_kwh", y->intensity_g_per_kwh);
	add_number(t, p, "market_g_per_kwh", y->market_g_per_kwh);
	add_number(t, p, "electricity_price", y->electricity_price);
	add_equivalents(t, o, r, y);
	if (r->has_target) {
		p = add_object(t, o, "esg");
		add_string(t, p, "basis", r->target_market_based ? "market_based" : "location_based");
		add_bool(t, p, "includes_embodied", r->target_includes_embodied);
		add_number(t, p, "budget_kgco2e", y->budget_kg);
		add_number(t, p, "counted_kgco2e", y->counted_kg);
		add_bool(t, p, "within_budget", y->within_budget);
	}
	add_uncertainty(t, o, y);
}

/* Monte Carlo ranges of the headline metrics, when the result was sampled. */
static void add_uncertainty(builder *t, cJSON *parent, const est_year *y)
{
	cJSON *o, *m;
	size_t h;

	if (!y->has_ranges)
		return;
	o = add_object(t, parent, "uncertainty");
	for (h = 0; h < EST_RANGED; h++) {
		m = add_object(t, o, est_ranged_key(h));
		add_number(t, m, "p5", y->ranges[h].p5);
		add_number(t, m, "p50", y->ranges[h].p50);
		add_number(t, m, "p95", y->ranges[h].p95);
		add_number(t, m, "mean", y->ranges[h].mean);
	}
}

/*
 * The additive keys only (docs/model.md section 13), under `key`: the totals,
 * or a variant's delta (its totals minus the base's), which has no ranges.
 */
static void add_totals(builder *t, cJSON *parent, const char *key, const est_result *r,
		       const est_year *y)
{
	cJSON *o = add_object(t, parent, key);
	cJSON *a;

	add_number(t, o, "inferences", y->inferences);
	add_energy(t, o, &y->energy_kwh);
	add_number(t, add_object(t, o, "power_kw"), "upgrade", y->power_upgrade_kw);
	a = add_object(t, o, "accelerators");
	add_number(t, a, "to_buy", y->accelerators.to_buy);
	add_number(t, a, "shortfall", y->accelerator_shortfall);
	add_to_buy(t, o, "servers", &y->servers);
	add_number(t, cJSON_GetObjectItemCaseSensitive(o, "servers"), "replacing", y->servers_replacing);
	add_to_buy(t, o, "racks", &y->racks);
	add_to_buy(t, o, "storage_tb", &y->storage_tb);
	add_number(t, add_object(t, o, "instances"), "hours", y->instance_hours);
	add_hours(t, o, y);
	add_emissions(t, o, y);
	add_number(t, o, "water_l", y->water_l);
	add_cost(t, o, r, y);
	add_equivalents(t, o, r, y);
	add_uncertainty(t, o, y);
}

/* Equivalents of 1,000 inferences, keyed like the result's equivalences. */
static void add_per_1000(builder *t, cJSON *parent, const char *key, const est_result *r,
			 const double *v)
{
	cJSON *o = add_object(t, parent, key);
	size_t i;

	for (i = 0; i < r->n_equivalences; i++)
		add_number(t, o, r->equivalence_ids[i] ? r->equivalence_ids[i] : "", v[i]);
}

static void add_workload(builder *t, cJSON *workloads, const est_result *r,
			 const est_workload_result *w, size_t n_years)
{
	cJSON *o = append_object(t, workloads);
	cJSON *a, *y;
	size_t i;

	add_string(t, o, "name", w->name);
	add_string(t, o, "task", w->task);
	add_string(t, o, "model", w->model);
	add_string(t, o, "profile", w->profile);
	add_number(t, o, "energy_wh_per_inference", w->energy_wh);
	a = add_object(t, o, "parts_wh");
	add_number(t, a, "accelerator", w->accelerator_wh);
	add_number(t, a, "host", w->host_wh);
	add_number(t, o, "time_s_per_inference", w->time_s);
	a = add_object(t, o, "measured");
	add_number(t, a, "wh", w->measured_wh);
	if (w->measured_boundary)
		add_string(t, a, "boundary", w->measured_boundary);
	else
		add_null(t, a, "boundary");
	add_number(t, o, "facility_wh_per_inference", w->facility_wh);
	add_number(t, o, "replica_accelerators", w->replica);
	add_number(t, o, "weights_gb", w->weights_gb);
	a = add_object(t, o, "per_1000_inferences");
	add_per_1000(t, a, "measured", r, w->measured_per_1000);
	add_per_1000(t, a, "deployed", r, w->deployed_per_1000);
	if (w->spread_models > 0) {
		cJSON *sp = add_object(t, o, "spread");
		add_number(t, sp, "models", (double)w->spread_models);
		add_number(t, sp, "min_wh_per_inference", w->spread_min_wh);
		add_number(t, sp, "max_wh_per_inference", w->spread_max_wh);
	}
	a = add_array(t, o, "conversions");
	for (i = 0; i < w->n_conversions; i++)
		append_string(t, a, w->conversions[i]);
	a = add_array(t, o, "years");
	for (i = 0; i < n_years && w->years; i++) {
		y = append_object(t, a);
		add_number(t, y, "year", w->years[i].year);
		add_number(t, y, "inferences", w->years[i].inferences);
		add_number(t, y, "energy_kwh", w->years[i].energy_kwh);
		add_number(t, y, "accelerators", w->years[i].accelerators);
		add_number(t, y, "accelerators_whole", w->years[i].accelerators_whole);
		add_number(t, y, "idle_kwh", w->years[i].idle_kwh);
	}
}

/* The headline totals of a variant against the base: base, value, abs, pct. */
static void add_vs_base(builder *t, cJSON *parent, const est_year *base, const est_year *v)
{
	cJSON *o = add_object(t, parent, "vs_base");
	size_t i;

	for (i = 0; i < est_n_headlines; i++) {
		double b = est_headlines[i].get(base), x = est_headlines[i].get(v);
		cJSON *m = add_object(t, o, est_headlines[i].key);
		add_number(t, m, "base", b);
		add_number(t, m, "value", x);
		add_number(t, m, "abs", x - b);
		if (b != 0)
			add_number(t, m, "pct", (x - b) / b * 100.0);
		else if (m && !cJSON_AddNullToObject(m, "pct"))
			t->failed = 1;
	}
}

static void add_variant(builder *t, cJSON *variants, const est_result *r,
			const est_variant *v)
{
	cJSON *o = append_object(t, variants);
	cJSON *a, *p;
	size_t i;

	add_string(t, o, "name", v->name);
	add_string(t, o, "description", v->description);
	a = add_object(t, o, "deployment");
	add_string(t, a, "mode", v->mode);
	add_string(t, a, "server", v->server);
	add_string(t, a, "accelerator", v->accelerator);
	add_number(t, a, "accelerators_per_server", v->accelerators_per_server);
	if (v->cloud_region) {
		p = add_object(t, a, "cloud");
		add_string(t, p, "instance", v->server);
		add_string(t, p, "region", v->cloud_region);
		add_string(t, p, "pricing", v->cloud_pricing);
		add_number(t, p, "price_per_hour", v->instance_price_per_hour);
	}
	add_number(t, a, "discount_rate", v->discount_rate);
	add_number(t, a, "storage_unit_tb", v->storage_unit_tb);
	add_number(t, a, "power_step_kw", v->power_step_kw);
	/* the server power model (docs/model.md section 5) */
	p = add_object(t, a, "power_w");
	add_number(t, p, "host_idle", v->host_idle_w);
	add_number(t, p, "accelerator_idle", v->accelerator_idle_w);
	add_number(t, p, "accelerator_max", v->accelerator_max_w);
	add_number(t, p, "server_idle", v->server_idle_w);
	add_number(t, p, "server_max", v->server_max_w);
	add_bool(t, a, "server_price_verified", !v->price_unverified);
	p = add_object(t, a, "emission_factors");
	add_string(t, p, "location_scope", v->intensity_scope);
	add_string(t, p, "market_basis", v->market_basis);
	a = add_array(t, o, "years");
	for (i = 0; i < v->n_years; i++)
		add_year(t, a, r, &v->years[i]);
	add_totals(t, o, "totals", r, &v->totals);
	if (v->has_delta) {
		add_vs_base(t, o, &r->variants[0].totals, &v->totals);
		add_totals(t, o, "delta", r, &v->delta);
	}
	a = add_array(t, o, "workloads");
	for (i = 0; i < v->n_workloads; i++)
		add_workload(t, a, r, &v->workloads[i], v->n_years);
}

/*
 * The first number in `item` that is not finite, or NULL; its key path
 * ("variants[0].years[1].water_l") is left in path.
 */
static const cJSON *find_nonfinite(const cJSON *item, char *path, size_t size,
				   size_t len)
{
	const cJSON *c, *bad;
	size_t i = 0;
	int n;

	if (cJSON_IsNumber(item))
		return isfinite(item->valuedouble) ? NULL : item;
	if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
		return NULL;
	cJSON_ArrayForEach(c, item) {
		if (len < size) {
			if (cJSON_IsArray(item))
				n = snprintf(path + len, size - len, "[%zu]", i);
			else
				n = snprintf(path + len, size - len, "%s%s",
					     len ? "." : "", c->string);
			bad = find_nonfinite(c, path, size, n < 0 ? len : len + (size_t)n);
		} else {
			bad = find_nonfinite(c, path, size, len);
		}
		if (bad)
			return bad;
		if (len < size)
			path[len] = '\0';
		i++;
	}
	return NULL;
}

int est_render_tree(cJSON **out, const est_result *r, est_error *err)
{
	builder t = {0};
	cJSON *root, *o, *a;
	const cJSON *bad;
	char path[256] = "";
	size_t i;
	int rc = 0;

	assert(out);
	assert(r);
	assert(r->n_equivalences <= EST_MAX_EQUIVALENCES);
	*out = NULL;
	root = cJSON_CreateObject();
	if (!root)
		t.failed = 1;
	add_string(&t, root, "format", EST_FORMAT_ID);
	o = add_object(&t, root, "scenario");
	add_string(&t, o, "name", r->scenario_name);
	add_string(&t, o, "file", r->scenario_file);
	add_string(&t, root, "currency", r->currency);
	o = add_object(&t, root, "deployment");
	add_string(&t, o, "mode", r->n_variants > 0 && r->variants[0].mode ? r->variants[0].mode : "");
	add_string(&t, o, "server", r->server);
	add_string(&t, o, "accelerator", r->accelerator);
	add_number(&t, o, "accelerators_per_server", r->accelerators_per_server);
	if (r->samples > 0) {
		o = add_object(&t, root, "sampling");
		add_number(&t, o, "samples", (double)r->samples);
		add_number(&t, o, "seed", (double)r->seed);
		add_string(&t, o, "generator", r->generator);
	}
	/* what each equivalent counts (docs/model.md section 11) */
	a = add_array(&t, root, "equivalences");
	for (i = 0; i < r->n_equivalences; i++) {
		o = append_object(&t, a);
		add_string(&t, o, "id", r->equivalence_ids[i]);
		add_string(&t, o, "name", r->equivalence_names[i]);
		if (r->equivalence_per_kwh[i] > 0) {
			add_number(&t, o, "energy_kwh", 1.0 / r->equivalence_per_kwh[i]);
			add_string(&t, o, "applied_to", "facility and network energy");
		} else {
			add_number(&t, o, "emissions_kgco2e", r->equivalence_per_kg[i] > 0
				   ? 1.0 / r->equivalence_per_kg[i] : 0);
			add_string(&t, o, "applied_to", "location-based emissions");
		}
	}
	a = add_array(&t, root, "notes");
	for (i = 0; i < r->n_notes; i++)
		append_string(&t, a, r->notes[i]);
	a = add_array(&t, root, "variants");
	for (i = 0; i < r->n_variants; i++)
		add_variant(&t, a, r, &r->variants[i]);
	if (t.failed) {
		rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
				   "out of memory building the result");
		goto cleanup;
	}
	bad = find_nonfinite(root, path, sizeof(path), 0);
	if (bad) {
		rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
				   "%s is not a finite number (%g)", path,
				   bad->valuedouble);
		goto cleanup;
	}
	*out = root;
	root = NULL;
cleanup:
	cJSON_Delete(root);
	return rc;
}

/* ---- printing the tree ---- */

static void indent(est_buf *b, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		est_buf_puts(b, "  ");
}

/* Pretty: one key a line, two spaces an indent; else all on one line, no spaces (NDJSON). */
static void print_value(est_buf *b, const cJSON *item, int depth, int pretty)
{
	char num[EST_NUMBER_MAX];
	const cJSON *c;
	int object = cJSON_IsObject(item);

	if (cJSON_IsNumber(item)) {
		/* Finite: est_render_tree checked every number. */
		est_render_number(num, item->valuedouble);
		est_buf_puts(b, num);
	} else if (cJSON_IsString(item)) {
		est_render_json_string(b, item->valuestring);
	} else if (cJSON_IsTrue(item)) {
		est_buf_puts(b, "true");
	} else if (cJSON_IsFalse(item)) {
		est_buf_puts(b, "false");
	} else if (object || cJSON_IsArray(item)) {
		if (!item->child) {
			est_buf_puts(b, object ? "{}" : "[]");
			return;
		}
		est_buf_putc(b, object ? '{' : '[');
		cJSON_ArrayForEach(c, item) {
			if (pretty) {
				est_buf_putc(b, '\n');
				indent(b, depth + 1);
			}
			if (object) {
				est_render_json_string(b, c->string);
				est_buf_puts(b, pretty ? ": " : ":");
			}
			print_value(b, c, depth + 1, pretty);
			if (c->next)
				est_buf_putc(b, ',');
		}
		if (pretty) {
			est_buf_putc(b, '\n');
			indent(b, depth);
		}
		est_buf_putc(b, object ? '}' : ']');
	} else {
		est_buf_puts(b, "null");
	}
}

int est_render_json(est_buf *out, const est_result *r, const cJSON *tree,
		    est_error *err)
{
	(void)r;
	(void)err;
	print_value(out, tree, 0, 1);
	est_buf_putc(out, '\n');
	return 0;
}

int est_rows_ndjson(char **out, size_t *len, const est_result *r, est_error *err)
{
	cJSON *tree = NULL;
	est_buf b;
	int rc;

	assert(out);
	assert(r);
	*out = NULL;
	if (len)
		*len = 0;
	est_buf_init(&b);
	rc = est_render_tree(&tree, r, err);
	if (rc == 0) {
		print_value(&b, tree, 0, 0);
		est_buf_putc(&b, '\n');
		*out = est_buf_detach(&b, len);
		if (!*out)
			rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory rendering ndjson");
	}
	cJSON_Delete(tree);
	est_buf_dispose(&b);
	return rc;
}
