/*
 * The renderers on a small hand-built result (two years, one workload, an
 * ESG target): the JSON contract and its key order (the server power model,
 * energy parts, factors, equivalences, a variant's delta), exact CSV rows,
 * the text's power, factors, breakdown, purchase, workload and target lines,
 * byte-identical repeats, and the refusal of non-finite numbers in every
 * format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "estimator/render.h"

static const est_format all_formats[] = {EST_FORMAT_TEXT, EST_FORMAT_JSON, EST_FORMAT_CSV};
#define N_FORMATS (sizeof(all_formats) / sizeof(all_formats[0]))

/* ---- the fixture ---- */

static char *dup(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

static void set_year(est_year *y, int year, double inferences)
{
	memset(y, 0, sizeof(*y));
	y->year = year;
	y->inferences = inferences;
}

static void set_stock(est_stock *s, double required, double existing, double to_buy)
{
	s->required = required;
	s->existing = existing;
	s->to_buy = to_buy;
}

/* docs/model.md section 5: the parts, then the sums (network is outside IT). */
static void set_energy(est_energy *e, double accelerator, double host, double host_idle,
		       double accelerator_idle, double storage, double network, double pue)
{
	e->accelerator = accelerator;
	e->host = host;
	e->inference = accelerator + host;
	e->host_idle = host_idle;
	e->accelerator_idle = accelerator_idle;
	e->idle = host_idle + accelerator_idle;
	e->servers = e->idle + e->inference;
	e->storage = storage;
	e->network = network;
	e->it = e->servers + e->storage;
	e->facility = e->it * pue;
}

/*
 * PUE 1.5, 200 g CO2e/kWh, 50 % renewable, WUE 0.5 L/kWh, 0.2 EUR/kWh, one
 * 8-GPU server at 200,000 EUR, 3,400 EUR per kW of build-out; a budget of
 * 3 t falling 10 % a year, counting market-based plus embodied.
 */
static void fill_year(est_year *y, double budget_kg)
{
	y->location_kg = y->energy_kwh.facility * 0.2;
	y->market_kg = y->location_kg * 0.5;
	y->embodied_kg = 2500;
	y->water_l = y->energy_kwh.it * 0.5;
	y->opex = y->energy_kwh.facility * 0.2;
	y->capex = y->servers.to_buy * 200000 + y->power_upgrade_kw * 3400;
	y->equivalents[0] = y->energy_kwh.facility / 0.022;
	y->equivalents[1] = y->location_kg / 0.249;
	y->intensity_g_per_kwh = 200;
	y->market_g_per_kwh = 200;
	y->electricity_price = 0.2;
	y->budget_kg = budget_kg;
	y->counted_kg = y->market_kg + y->embodied_kg;
	y->within_budget = y->counted_kg <= y->budget_kg;
}

static void sum_years(est_variant *v)
{
	est_year *t = &v->totals;
	const est_year *y;
	size_t i, k;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < v->n_years; i++) {
		y = &v->years[i];
		t->inferences += y->inferences;
		t->energy_kwh.inference += y->energy_kwh.inference;
		t->energy_kwh.accelerator += y->energy_kwh.accelerator;
		t->energy_kwh.host += y->energy_kwh.host;
		t->energy_kwh.idle += y->energy_kwh.idle;
		t->energy_kwh.host_idle += y->energy_kwh.host_idle;
		t->energy_kwh.accelerator_idle += y->energy_kwh.accelerator_idle;
		t->energy_kwh.servers += y->energy_kwh.servers;
		t->energy_kwh.storage += y->energy_kwh.storage;
		t->energy_kwh.network += y->energy_kwh.network;
		t->energy_kwh.it += y->energy_kwh.it;
		t->energy_kwh.facility += y->energy_kwh.facility;
		t->power_upgrade_kw += y->power_upgrade_kw;
		t->accelerators.to_buy += y->accelerators.to_buy;
		t->accelerator_shortfall += y->accelerator_shortfall;
		t->busy_accelerator_hours += y->busy_accelerator_hours;
		t->installed_accelerator_hours += y->installed_accelerator_hours;
		t->servers.to_buy += y->servers.to_buy;
		t->racks.to_buy += y->racks.to_buy;
		t->storage_tb.to_buy += y->storage_tb.to_buy;
		t->location_kg += y->location_kg;
		t->market_kg += y->market_kg;
		t->embodied_kg += y->embodied_kg;
		t->water_l += y->water_l;
		t->capex += y->capex;
		t->opex += y->opex;
		for (k = 0; k < EST_MAX_EQUIVALENCES; k++)
			t->equivalents[k] += y->equivalents[k];
	}
}

static est_result *fixture(void)
{
	est_result *r = calloc(1, sizeof(*r));
	est_variant *v;
	est_year *y;
	est_workload_result *w;

	assert_non_null(r);
	r->scenario_name = dup("Assistant rollout");
	r->scenario_file = dup("scenarios/assistant.yaml");
	memcpy(r->currency, "EUR", 4);
	r->server = dup("dgx-a100");
	r->accelerator = dup("a100-sxm4-80gb");
	r->accelerators_per_server = 8;
	r->has_target = 1;
	r->target_market_based = 1;
	r->target_includes_embodied = 1;
	r->n_equivalences = 2;
	r->equivalence_ids[0] = dup("smartphone_charges");
	r->equivalence_names[0] = dup("smartphone charges");
	r->equivalence_per_kwh[0] = 1 / 0.022;
	r->equivalence_ids[1] = dup("car_km");
	r->equivalence_names[1] = dup("car km");
	r->equivalence_per_kg[1] = 1 / 0.249;
	r->n_notes = 1;
	r->notes = calloc(1, sizeof(*r->notes));
	assert_non_null(r->notes);
	r->notes[0] = dup("utilisation: default 50 % (Cloud Carbon Footprint)");

	r->n_variants = 1;
	r->variants = calloc(1, sizeof(*r->variants));
	assert_non_null(r->variants);
	v = &r->variants[0];
	v->name = dup("base");
	v->description = dup("");
	v->server = dup("dgx-a100");
	v->accelerator = dup("a100-sxm4-80gb");
	v->accelerators_per_server = 8;
	v->host_idle_w = 1000;
	v->accelerator_idle_w = 50;
	v->accelerator_max_w = 400;
	v->server_idle_w = 1400;
	v->server_max_w = 6500;
	v->intensity_scope = "life-cycle";
	v->market_basis = dup("residual mix set by the scenario");
	v->n_years = 2;
	v->years = calloc(2, sizeof(*v->years));
	assert_non_null(v->years);

	y = &v->years[0];
	set_year(y, 2025, 1000000);
	set_energy(&y->energy_kwh, 300, 100, 700, 350, 50, 50, 1.5);
	y->it_peak_kw = 6.5;
	y->facility_peak_kw = 9.75;
	y->power_existing_kw = 0;
	y->power_upgrade_kw = 6.5;
	set_stock(&y->accelerators, 8, 0, 8);
	y->accelerator_shortfall = 8;
	y->busy_accelerator_hours = 1440;
	y->installed_accelerator_hours = 70080;
	set_stock(&y->servers, 1, 0, 1);
	set_stock(&y->racks, 1, 0, 1);
	set_stock(&y->storage_tb, 2.5, 0, 2.5);
	y->sci_g_per_inference = 3.2;
	fill_year(y, 3000);

	y = &v->years[1];
	set_year(y, 2026, 1400000);
	set_energy(&y->energy_kwh, 420, 140, 1300, 640, 100, 0, 1.5);
	y->it_peak_kw = 13;
	y->facility_peak_kw = 19.5;
	y->power_existing_kw = 6.5;
	y->power_upgrade_kw = 6.5;
	set_stock(&y->accelerators, 16, 8, 8);
	y->accelerator_shortfall = 8;
	y->busy_accelerator_hours = 2016;
	y->installed_accelerator_hours = 140160;
	set_stock(&y->servers, 2, 1, 1);
	set_stock(&y->racks, 1, 1, 0);
	set_stock(&y->storage_tb, 5, 2.5, 2.5);
	y->sci_g_per_inference = 2.1;
	fill_year(y, 2700);
	sum_years(v);

	v->n_workloads = 1;
	v->workloads = calloc(1, sizeof(*v->workloads));
	assert_non_null(v->workloads);
	w = &v->workloads[0];
	w->name = dup("chat");
	w->task = dup("text-generation");
	w->model = dup("any");
	w->profile = dup("task:text-generation");
	w->energy_wh = 0.4;
	w->accelerator_wh = 0.3;
	w->host_wh = 0.1;
	w->time_s = 0.25;
	w->measured_wh = 0.31;
	w->measured_boundary = "gpu";
	w->facility_wh = 0.6;
	w->replica = 1;
	w->weights_gb = 16;
	w->measured_per_1000[0] = 0.31 / 0.022;
	w->measured_per_1000[1] = 0.31 * 0.2 / 0.249;
	w->deployed_per_1000[0] = 0.6 / 0.022;
	w->deployed_per_1000[1] = 0.6 * 0.2 / 0.249;
	w->n_conversions = 1;
	w->conversions = calloc(1, sizeof(*w->conversions));
	assert_non_null(w->conversions);
	w->conversions[0] = dup("GPU-only figure x 1.3 to the node boundary");
	w->years = calloc(2, sizeof(*w->years));
	assert_non_null(w->years);
	w->years[0] = (est_workload_year){2025, 1000000, 400, 5.8, 6, 1050};
	w->years[1] = (est_workload_year){2026, 1400000, 560, 8.1, 9, 1940};
	return r;
}


static int setup(void **state)
{
	*state = fixture();
	return 0;
}

static int teardown(void **state)
{
	est_result_free(*state);
	return 0;
}

/* Render r in f, asserting success; the caller frees the text. */
static char *render(const est_result *r, est_format f, size_t *len)
{
	est_error err;
	char *out = NULL;
	size_t n = 0;
	int rc;

	est_error_clear(&err);
	rc = est_render(&out, &n, r, f, &err);
	if (rc != 0)
		fail_msg("est_render: %d %s", rc, err.message);
	assert_non_null(out);
	assert_int_equal(n, strlen(out));
	if (len)
		*len = n;
	return out;
}

/* ---- format names ---- */

static void test_format_parse(void **state)
{
	est_format f;

	(void)state;
	assert_int_equal(est_format_parse(&f, "text"), 0);
	assert_int_equal(f, EST_FORMAT_TEXT);
	assert_int_equal(est_format_parse(&f, "json"), 0);
	assert_int_equal(f, EST_FORMAT_JSON);
	assert_int_equal(est_format_parse(&f, "csv"), 0);
	assert_int_equal(f, EST_FORMAT_CSV);
	assert_int_equal(est_format_parse(&f, "xml"), EST_EUSAGE);
	assert_int_equal(est_format_parse(&f, "JSON"), EST_EUSAGE);
	assert_int_equal(est_format_parse(&f, ""), EST_EUSAGE);
}

/* ---- JSON ---- */

static const cJSON *at(const cJSON *o, const char *key)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!c)
		fail_msg("missing key \"%s\"", key);
	return c;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *c = at(o, key);

	assert_true(cJSON_IsNumber(c));
	return c->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *c = at(o, key);

	assert_true(cJSON_IsString(c));
	return c->valuestring;
}

/* The keys of o, in order, are exactly those of `keys` (NULL-terminated). */
static void assert_keys(const cJSON *o, const char *const *keys)
{
	const cJSON *c;
	size_t i = 0;

	assert_true(cJSON_IsObject(o));
	cJSON_ArrayForEach(c, o) {
		if (!keys[i])
			fail_msg("unexpected key \"%s\"", c->string);
		assert_string_equal(c->string, keys[i]);
		i++;
	}
	if (keys[i])
		fail_msg("missing key \"%s\"", keys[i]);
}

static void assert_close(double got, double want)
{
	if (fabs(got - want) > 1e-9 * fmax(1, fabs(want)))
		fail_msg("%.17g != %.17g", got, want);
}

static void test_json_contract(void **state)
{
	static const char *const top[] = {"format", "scenario", "currency", "deployment",
					  "equivalences", "notes", "variants", NULL};
	static const char *const variant_keys[] = {"name", "description", "deployment", "years",
						   "totals", "workloads", NULL};
	static const char *const deployment[] = {"mode", "server", "accelerator", "accelerators_per_server",
						 "discount_rate", "storage_unit_tb", "power_step_kw",
						 "power_w", "server_price_verified",
						 "emission_factors", NULL};
	static const char *const power_w[] = {"host_idle", "accelerator_idle", "accelerator_max",
					      "server_idle", "server_max", NULL};
	static const char *const equivalence_energy[] = {"id", "name", "energy_kwh", "applied_to", NULL};
	static const char *const equivalence_emissions[] = {"id", "name", "emissions_kgco2e",
							    "applied_to", NULL};
	static const char *const year_keys[] = {
		"year", "inferences", "energy_kwh", "power_kw", "accelerators",
		"servers", "racks", "storage_tb", "instances", "busy_accelerator_hours",
		"installed_accelerator_hours", "emissions_kgco2e", "water_l",
		"sci_gco2e_per_inference", "cost", "factors", "equivalents", "esg", NULL};
	static const char *const total_keys[] = {
		"inferences", "energy_kwh", "power_kw", "accelerators", "servers",
		"racks", "storage_tb", "instances", "busy_accelerator_hours", "installed_accelerator_hours",
		"emissions_kgco2e", "water_l", "cost", "equivalents", NULL};
	static const char *const energy[] = {"inference", "accelerator", "host", "idle",
					     "host_idle", "accelerator_idle", "servers",
					     "storage", "network", "it", "facility", NULL};
	static const char *const power[] = {"it_peak", "facility_peak", "existing",
					    "upgrade", NULL};
	static const char *const stock[] = {"required", "existing", "to_buy", NULL};
	static const char *const storage[] = {"required", "existing", "to_buy", "weights",
					      "outputs_and_logs", "datasets", NULL};
	static const char *const servers[] = {"required", "existing", "to_buy", "replacing", NULL};
	static const char *const accelerators[] = {"required", "existing", "to_buy", "shortfall", NULL};
	static const char *const to_buy[] = {"to_buy", NULL};
	static const char *const total_accelerators[] = {"to_buy", "shortfall", NULL};
	static const char *const factors[] = {"carbon_intensity_g_per_kwh", "market_g_per_kwh",
					      "electricity_price", NULL};
	static const char *const emissions[] = {"location_based", "market_based",
						"embodied", NULL};
	static const char *const cost[] = {"currency", "capex", "opex", "capex_by_kind", "opex_by_kind",
					   "total", "present_value", "per_1000_inferences",
					   "carbon_price", NULL};
	static const char *const capex_by_kind[] = {"servers", "storage", "network", "racks", "power", NULL};
	static const char *const opex_by_kind[] = {"electricity", "maintenance", "licences", "colocation",
						   "cloud", "staff", NULL};
	static const char *const equivalents[] = {"smartphone_charges", "car_km", NULL};
	static const char *const esg[] = {"basis", "includes_embodied", "budget_kgco2e", "counted_kgco2e",
					  "within_budget", NULL};
	static const char *const workload[] = {
		"name", "task", "model", "profile", "energy_wh_per_inference", "parts_wh",
		"time_s_per_inference", "measured", "facility_wh_per_inference",
		"replica_accelerators", "weights_gb", "per_1000_inferences", "conversions",
		"years", NULL};
	static const char *const workload_year[] = {"year", "inferences", "energy_kwh",
						    "accelerators", "accelerators_whole", "idle_kwh", NULL};
	const est_result *r = *state;
	cJSON *root;
	const cJSON *v, *y0, *y1, *t, *w, *e;
	size_t len;
	char *out = render(r, EST_FORMAT_JSON, &len);

	assert_true(len > 0 && out[len - 1] == '\n');
	assert_non_null(strstr(out, "\n  \"format\": \"estimator-result/1\",\n"));
	root = cJSON_Parse(out);
	assert_non_null(root);

	assert_keys(root, top);
	assert_string_equal(str(root, "format"), "estimator-result/1");
	assert_string_equal(str(at(root, "scenario"), "name"), "Assistant rollout");
	assert_string_equal(str(at(root, "scenario"), "file"), "scenarios/assistant.yaml");
	assert_string_equal(str(root, "currency"), "EUR");
	assert_int_equal(cJSON_GetArraySize(at(root, "notes")), 1);
	assert_string_equal(cJSON_GetArrayItem(at(root, "notes"), 0)->valuestring,
			    "utilisation: default 50 % (Cloud Carbon Footprint)");

	assert_int_equal(cJSON_GetArraySize(at(root, "equivalences")), 2);
	e = cJSON_GetArrayItem(at(root, "equivalences"), 0);
	assert_keys(e, equivalence_energy);
	assert_string_equal(str(e, "id"), "smartphone_charges");
	assert_close(num(e, "energy_kwh"), 0.022);
	assert_string_equal(str(e, "applied_to"), "facility and network energy");
	e = cJSON_GetArrayItem(at(root, "equivalences"), 1);
	assert_keys(e, equivalence_emissions);
	assert_string_equal(str(e, "name"), "car km");
	assert_close(num(e, "emissions_kgco2e"), 0.249);
	assert_string_equal(str(e, "applied_to"), "location-based emissions");

	assert_int_equal(cJSON_GetArraySize(at(root, "variants")), 1);
	v = cJSON_GetArrayItem(at(root, "variants"), 0);
	assert_keys(v, variant_keys);
	assert_string_equal(str(v, "name"), "base");
	e = at(v, "deployment");
	assert_keys(e, deployment);
	assert_keys(at(e, "power_w"), power_w);
	assert_close(num(at(e, "power_w"), "host_idle"), 1000);
	assert_close(num(at(e, "power_w"), "server_idle"), 1400);
	assert_close(num(at(e, "power_w"), "server_max"), 6500);
	assert_true(cJSON_IsTrue(at(e, "server_price_verified")));
	assert_string_equal(str(at(e, "emission_factors"), "location_scope"), "life-cycle");
	assert_string_equal(str(at(e, "emission_factors"), "market_basis"),
			    "residual mix set by the scenario");
	assert_int_equal(cJSON_GetArraySize(at(v, "years")), 2);
	y0 = cJSON_GetArrayItem(at(v, "years"), 0);
	y1 = cJSON_GetArrayItem(at(v, "years"), 1);

	assert_keys(y0, year_keys);
	assert_keys(at(y0, "energy_kwh"), energy);
	assert_keys(at(y0, "power_kw"), power);
	assert_keys(at(y0, "accelerators"), accelerators);
	assert_keys(at(y0, "servers"), servers);
	assert_keys(at(y0, "racks"), stock);
	assert_keys(at(y0, "storage_tb"), storage);
	assert_keys(at(y0, "emissions_kgco2e"), emissions);
	assert_keys(at(y0, "cost"), cost);
	assert_keys(at(at(y0, "cost"), "capex_by_kind"), capex_by_kind);
	assert_keys(at(at(y0, "cost"), "opex_by_kind"), opex_by_kind);
	assert_keys(at(y0, "equivalents"), equivalents);
	assert_keys(at(y0, "esg"), esg);
	assert_keys(at(y0, "factors"), factors);

	assert_int_equal((int)num(y0, "year"), 2025);
	assert_int_equal((int)num(y1, "year"), 2026);
	assert_close(num(y1, "inferences"), 1400000);
	assert_close(num(at(y0, "energy_kwh"), "it"), 1500);
	assert_close(num(at(y0, "energy_kwh"), "facility"), 2250);
	assert_close(num(at(y0, "energy_kwh"), "accelerator"), 300);
	assert_close(num(at(y0, "energy_kwh"), "host_idle"), 700);
	assert_close(num(at(y0, "energy_kwh"), "servers"), 1450);
	assert_close(num(at(y1, "accelerators"), "shortfall"), 8);
	assert_close(num(y1, "busy_accelerator_hours"), 2016);
	assert_close(num(y1, "installed_accelerator_hours"), 140160);
	assert_close(num(at(y1, "factors"), "carbon_intensity_g_per_kwh"), 200);
	assert_close(num(at(y1, "factors"), "electricity_price"), 0.2);
	assert_close(num(at(y1, "power_kw"), "existing"), 6.5);
	assert_close(num(at(y1, "accelerators"), "required"), 16);
	assert_close(num(at(y1, "servers"), "to_buy"), 1);
	assert_close(num(at(y1, "racks"), "to_buy"), 0);
	assert_close(num(at(y1, "storage_tb"), "existing"), 2.5);
	assert_close(num(at(y0, "emissions_kgco2e"), "market_based"), 225);
	assert_close(num(y1, "water_l"), 1300);
	assert_close(num(y1, "sci_gco2e_per_inference"), 2.1);
	assert_string_equal(str(at(y1, "cost"), "currency"), "EUR");
	assert_close(num(at(y0, "cost"), "capex"), 222100);
	assert_close(num(at(y0, "equivalents"), "car_km"), 450 / 0.249);
	assert_true(cJSON_IsTrue(at(at(y0, "esg"), "within_budget")));
	assert_true(cJSON_IsFalse(at(at(y1, "esg"), "within_budget")));
	assert_close(num(at(y1, "esg"), "counted_kgco2e"), 2890);
	assert_null(cJSON_GetObjectItemCaseSensitive(y0, "uncertainty"));

	t = at(v, "totals");
	assert_keys(t, total_keys);
	assert_keys(at(t, "energy_kwh"), energy);
	assert_keys(at(t, "power_kw"), (const char *const[]){"upgrade", NULL});
	assert_keys(at(t, "accelerators"), total_accelerators);
	assert_keys(at(t, "storage_tb"), to_buy);
	assert_keys(at(t, "servers"), (const char *const[]){"to_buy", "replacing", NULL});
	assert_keys(at(t, "instances"), (const char *const[]){"hours", NULL});
	assert_keys(at(t, "emissions_kgco2e"), emissions);
	assert_keys(at(t, "cost"), cost);
	assert_keys(at(t, "equivalents"), equivalents);
	assert_close(num(t, "inferences"), 2400000);
	assert_close(num(at(t, "energy_kwh"), "it"), 4100);
	assert_close(num(at(t, "power_kw"), "upgrade"), 13);
	assert_close(num(at(t, "servers"), "to_buy"), 2);
	assert_close(num(at(t, "cost"), "capex"), 444200);
	assert_close(num(at(t, "equivalents"), "smartphone_charges"), 6150 / 0.022);
	assert_close(num(at(t, "energy_kwh"), "host"), 240);
	assert_close(num(at(t, "accelerators"), "shortfall"), 16);
	assert_close(num(t, "installed_accelerator_hours"), 210240);
	assert_null(cJSON_GetObjectItemCaseSensitive(v, "vs_base"));
	assert_null(cJSON_GetObjectItemCaseSensitive(v, "delta"));

	assert_int_equal(cJSON_GetArraySize(at(v, "workloads")), 1);
	w = cJSON_GetArrayItem(at(v, "workloads"), 0);
	assert_keys(w, workload);
	assert_string_equal(str(w, "name"), "chat");
	assert_string_equal(str(w, "model"), "any");
	assert_string_equal(str(w, "profile"), "task:text-generation");
	assert_close(num(w, "energy_wh_per_inference"), 0.4);
	assert_close(num(w, "time_s_per_inference"), 0.25);
	assert_close(num(at(w, "parts_wh"), "accelerator"), 0.3);
	assert_close(num(at(w, "parts_wh"), "host"), 0.1);
	assert_close(num(at(w, "measured"), "wh"), 0.31);
	assert_string_equal(str(at(w, "measured"), "boundary"), "gpu");
	assert_close(num(w, "facility_wh_per_inference"), 0.6);
	assert_close(num(w, "replica_accelerators"), 1);
	assert_close(num(w, "weights_gb"), 16);
	assert_keys(at(at(w, "per_1000_inferences"), "measured"), equivalents);
	assert_close(num(at(at(w, "per_1000_inferences"), "deployed"), "car_km"), 0.6 * 0.2 / 0.249);
	assert_string_equal(cJSON_GetArrayItem(at(w, "conversions"), 0)->valuestring,
			    "GPU-only figure x 1.3 to the node boundary");
	assert_int_equal(cJSON_GetArraySize(at(w, "years")), 2);
	assert_keys(cJSON_GetArrayItem(at(w, "years"), 1), workload_year);
	assert_close(num(cJSON_GetArrayItem(at(w, "years"), 1), "accelerators"), 8.1);
	assert_close(num(cJSON_GetArrayItem(at(w, "years"), 1), "accelerators_whole"), 9);

	cJSON_Delete(root);
	free(out);
}

/* Integers exactly, everything else with ten significant digits. */
static void test_json_numbers(void **state)
{
	const est_result *r = *state;
	char *out = render(r, EST_FORMAT_JSON, NULL);

	assert_non_null(strstr(out, "\"inferences\": 1000000,"));
	assert_non_null(strstr(out, "\"facility_peak\": 9.75,"));
	assert_non_null(strstr(out, "\"smartphone_charges\": 102272.7273,"));
	assert_non_null(strstr(out, "\"car_km\": 1807.228916\n"));
	assert_non_null(strstr(out, "\"within_budget\": false\n"));
	assert_non_null(strstr(out, "\"equivalents\": {\n"));
	free(out);
}

static void test_json_without_target(void **state)
{
	est_result *r = *state;
	cJSON *root;
	const cJSON *y;
	char *out;

	r->has_target = 0;
	out = render(r, EST_FORMAT_JSON, NULL);
	root = cJSON_Parse(out);
	assert_non_null(root);
	y = cJSON_GetArrayItem(at(cJSON_GetArrayItem(at(root, "variants"), 0), "years"), 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(y, "esg"));
	cJSON_Delete(root);
	free(out);
}

/* Names with quotes, control characters and broken UTF-8 still give valid JSON. */
static void test_json_escapes(void **state)
{
	est_result *r = *state;
	cJSON *root;
	char *out;

	free(r->scenario_name);
	r->scenario_name = dup("\"Q1\"\tpilot\\caf\xc3\xa9 \xff\x01");
	out = render(r, EST_FORMAT_JSON, NULL);
	assert_non_null(strstr(out, "\"name\": \"\\\"Q1\\\"\\tpilot\\\\caf\xc3\xa9 \\ufffd\\u0001\""));
	root = cJSON_Parse(out);
	assert_non_null(root);
	assert_string_equal(str(at(root, "scenario"), "name"),
			    "\"Q1\"\tpilot\\caf\xc3\xa9 \xef\xbf\xbd\x01");
	cJSON_Delete(root);
	free(out);
}

/* ---- CSV ---- */

static void assert_string_equal_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("\"%.*s\" does not start with \"%s\"", (int)strlen(prefix), s, prefix);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_csv_rows(void **state)
{
	static const char *const rows[] = {
		"\nbase,,deployment.accelerators_per_server,8,count\n",
		"\nbase,,deployment.power_w.host_idle,1000,W\n",
		"\nbase,,deployment.power_w.server_max,6500,W\n",
		"\nbase,,deployment.server_price_verified,1,bool\n",
		"\nbase,2025,inferences,1000000,count\n",
		"\nbase,2025,energy_kwh.accelerator,300,kWh\n",
		"\nbase,2025,energy_kwh.host_idle,700,kWh\n",
		"\nbase,2025,energy_kwh.servers,1450,kWh\n",
		"\nbase,2025,energy_kwh.facility,2250,kWh\n",
		"\nbase,2025,power_kw.it_peak,6.5,kW\n",
		"\nbase,2026,accelerators.to_buy,8,count\n",
		"\nbase,2026,accelerators.shortfall,8,count\n",
		"\nbase,2026,storage_tb.to_buy,2.5,TB\n",
		"\nbase,2026,busy_accelerator_hours,2016,h\n",
		"\nbase,2026,installed_accelerator_hours,140160,h\n",
		"\nbase,2025,emissions_kgco2e.embodied,2500,kgCO2e\n",
		"\nbase,2026,water_l,1300,L\n",
		"\nbase,2026,sci_gco2e_per_inference,2.1,gCO2e/inference\n",
		"\nbase,2025,cost.capex,222100,EUR\n",
		"\nbase,2025,factors.carbon_intensity_g_per_kwh,200,gCO2e/kWh\n",
		"\nbase,2025,factors.market_g_per_kwh,200,gCO2e/kWh\n",
		"\nbase,2025,factors.electricity_price,0.2,EUR/kWh\n",
		"\nbase,2025,equivalents.smartphone_charges,102272.7273,smartphone charges\n",
		"\nbase,2026,esg.counted_kgco2e,2890,kgCO2e\n",
		"\nbase,2026,esg.within_budget,0,bool\n",
		"\nbase,total,energy_kwh.it,4100,kWh\n",
		"\nbase,total,energy_kwh.host,240,kWh\n",
		"\nbase,total,accelerators.shortfall,16,count\n",
		"\nbase,total,installed_accelerator_hours,210240,h\n",
		"\nbase,total,power_kw.upgrade,13,kW\n",
		"\nbase,total,cost.opex,1230,EUR\n",
		"\nbase,,workload.chat.energy_wh_per_inference,0.4,Wh\n",
		"\nbase,,workload.chat.parts_wh.accelerator,0.3,Wh\n",
		"\nbase,,workload.chat.parts_wh.host,0.1,Wh\n",
		"\nbase,,workload.chat.time_s_per_inference,0.25,s\n",
		"\nbase,,workload.chat.measured.wh,0.31,Wh\n",
		"\nbase,,workload.chat.facility_wh_per_inference,0.6,Wh\n",
		"\nbase,,workload.chat.replica_accelerators,1,count\n",
		"\nbase,,workload.chat.weights_gb,16,GB\n",
		"\nbase,,workload.chat.per_1000_inferences.measured.smartphone_charges,14.09090909,smartphone charges\n",
		"\nbase,,workload.chat.per_1000_inferences.deployed.car_km,0.4819277108,car km\n",
		"\nbase,2026,workload.chat.inferences,1400000,count\n",
		"\nbase,2026,workload.chat.accelerators,8.1,count\n",
		"\nbase,2026,workload.chat.accelerators_whole,9,count\n",
		"\nbase,2026,workload.chat.idle_kwh,1940,kWh\n",
		NULL,
	};
	const est_result *r = *state;
	const char *const *row;
	char *out = render(r, EST_FORMAT_CSV, NULL);

	/* what each equivalent counts comes first, variant and year empty */
	assert_string_equal_prefix(out, "variant,year,metric,value,unit\n"
				   ",,equivalence.smartphone_charges.energy_kwh,0.022,kWh\n"
				   ",,equivalence.car_km.emissions_kgco2e,0.249,kgCO2e\n"
				   "base,,deployment.accelerators_per_server,8,count\n");
	assert_non_null(strstr(out, "\nbase,,deployment.server_price_verified,1,bool\n"
				    "base,2025,inferences,1000000,count\n"
				    "base,2025,energy_kwh.inference,400,kWh\n"));
	for (row = rows; *row; row++)
		if (!strstr(out, *row))
			fail_msg("no row %s", *row + 1);
	/* strings are units, not rows; totals carry only additive keys */
	assert_null(strstr(out, "cost.currency"));
	assert_null(strstr(out, "emission_factors"));
	assert_null(strstr(out, "measured.boundary"));
	assert_null(strstr(out, "total,power_kw.it_peak"));
	assert_null(strstr(out, "total,accelerators.required"));
	assert_null(strstr(out, "total,factors."));
	assert_null(strstr(out, "delta."));
	/*
	 * header + 2 equivalences + 10 deployment (7, and the discount rate and
	 * the two purchase units) + 2 x 68 year rows (47, storage by its 3 kinds, servers.replacing,
	 * 2 instances, 5 capex and 6 opex kinds, total, present value, per 1,000
	 * and the carbon price) + 45 totals (28, and servers.replacing,
	 * instances.hours and those 15 costs) + 12 per-inference workload rows +
	 * 2 x 5 workload year rows
	 */
	assert_int_equal(count_lines(out), 1 + 2 + 10 + 136 + 45 + 12 + 10);
	free(out);
}

static void test_csv_quoting(void **state)
{
	est_result *r = *state;
	char *out;

	free(r->variants[0].name);
	r->variants[0].name = dup("Norway, \"green\"");
	free(r->variants[0].workloads[0].name);
	r->variants[0].workloads[0].name = dup("chat\nbot");
	out = render(r, EST_FORMAT_CSV, NULL);
	assert_non_null(strstr(out, "\n\"Norway, \"\"green\"\"\",2025,inferences,1000000,count\n"));
	assert_non_null(strstr(out, ",2025,\"workload.chat\nbot.inferences\",1000000,count\n"));
	free(out);
}

/* ---- text ---- */

static void test_text_summary(void **state)
{
	static const char *const lines[] = {
		"Scenario: Assistant rollout\n",
		"File:     scenarios/assistant.yaml\n",
		"Horizon:  2025-2026 (2 years)\n",
		"Currency: EUR\n",
		"== Variant: base ==\n",
		"What to buy when:\n"
		"  2025: 1 server (8 accelerators), 1 rack, 2.5 TB storage, "
		"6.5 kW power upgrade, capex 222,100 EUR\n"
		"  2026: 1 server (8 accelerators), 2.5 TB storage, "
		"6.5 kW power upgrade, capex 222,100 EUR\n",
		"Power:    dgx-a100 draws 1,400 W idle (host 1,000 W + 8 x 50 W) to 6,500 W maximum\n",
		"\nEmission factors: location-based life-cycle, 200 g/kWh; "
		"market-based residual mix set by the scenario, 200 g/kWh\n\n",
		"  chat: text-generation, model any (profile task:text-generation)\n"
		"    0.4 Wh above idle per inference (accelerator 0.3 + host 0.1), 0.25 device-s; "
		"measured 0.31 Wh at the GPU boundary; replica 1 x a100-sxm4-80gb\n"
		"    per 1,000 inferences, measured (0.31 kWh) / deployed at the facility (0.6 kWh): "
		"14.1 / 27.3 smartphone charges, 0.25 / 0.48 car km\n"
		"    over the horizon: 0.96 MWh above idle, 3 MWh of the servers' idle "
		"(its share by whole accelerators)\n"
		"    conversion: GPU-only figure x 1.3 to the node boundary\n",
		"  2025: 2.73 of 3.00 tCO2e, within budget\n",
		"  2026: 2.89 of 2.70 tCO2e, over budget by 0.19 tCO2e\n",
		"  279,545 smartphone charges (0.022 kWh each, of facility and network energy)\n",
		"  4,940 car km (0.249 kg CO2e each, of location-based emissions)\n",
		"Notes:\n  - utilisation: default 50 % (Cloud Carbon Footprint)\n",
		NULL,
	};
	const est_result *r = *state;
	const char *const *line;
	const char *p, *nl;
	char *out = render(r, EST_FORMAT_TEXT, NULL);

	for (line = lines; *line; line++)
		if (!strstr(out, *line))
			fail_msg("no \"%s\" in:\n%s", *line, out);
	/* the table lines, no line ending in a space, tables within 110 columns */
	assert_non_null(strstr(out,
		"Capacity\n"
		"                     accelerators        servers          storage TB      IT power kW\n"
		" year  inferences  required  to buy  required  to buy  required  to buy  peak  upgrade\n"
		"--------------------------------------------------------------------------------------\n"
		" 2025   1,000,000         8       8         1       1      2.50    2.50   6.5      6.5\n"
		" 2026   1,400,000        16       8         2       1      5.00    2.50  13.0      6.5\n"
		"--------------------------------------------------------------------------------------\n"
		"total   2,400,000         -      16         -       2         -    5.00     -     13.0\n"));
	assert_non_null(strstr(out,
		"Energy, emissions and cost\n"
		"         energy MWh         emissions tCO2e        water     cost EUR\n"
		" year    IT  facility  location  market  embodied     m3    capex   opex\n"
		"------------------------------------------------------------------------\n"
		" 2025  1.50      2.25      0.45    0.23      2.50    0.8  222,100    450\n"
		" 2026  2.60      3.90      0.78    0.39      2.50    1.3  222,100    780\n"
		"------------------------------------------------------------------------\n"
		"total  4.10      6.15      1.23    0.61      5.00    2.0  444,200  1,230\n"));
	assert_non_null(strstr(out,
		"Energy breakdown, MWh (IT = servers + storage; network is outside the site)\n"
		"        servers at idle        above idle\n"
		" year  host  accelerators  accelerators  host  servers  storage  network\n"
		"------------------------------------------------------------------------\n"
		" 2025  0.70          0.35          0.30  0.10     1.45     0.05     0.05\n"
		" 2026  1.30          0.64          0.42  0.14     2.50     0.10     0.00\n"
		"------------------------------------------------------------------------\n"
		"total  2.00          0.99          0.72  0.24     3.95     0.15     0.05\n"));
	assert_null(strstr(out, "UNVERIFIED"));
	/* no line ends in a space; table lines (and headings) within 110 columns */
	for (p = out; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (nl > p && nl[-1] == ' ')
			fail_msg("line ends in a space: \"%.*s\"", (int)(nl - p), p);
		if (nl - p > 110 && strncmp(p, "    ", 4) != 0 && strncmp(p, "Emission factors: ", 18) != 0)
			fail_msg("line wider than 110 columns: %.*s", (int)(nl - p), p);
	}
	free(out);
}

static void test_text_nothing_to_buy(void **state)
{
	est_result *r = *state;
	est_variant *v = &r->variants[0];
	size_t i;
	char *out;

	for (i = 0; i < v->n_years; i++) {
		v->years[i].accelerators.to_buy = 0;
		v->years[i].servers.to_buy = 0;
		v->years[i].racks.to_buy = 0;
		v->years[i].storage_tb.to_buy = 0;
		v->years[i].power_upgrade_kw = 0;
		v->years[i].capex = 0;
	}
	v->years[1].storage_tb.to_buy = 0.034;
	out = render(r, EST_FORMAT_TEXT, NULL);
	assert_non_null(strstr(out, "What to buy when:\n  2026: 0.034 TB storage\n\n"));
	free(out);

	v->years[1].storage_tb.to_buy = 0;
	out = render(r, EST_FORMAT_TEXT, NULL);
	assert_non_null(strstr(out, "What to buy when:\n  nothing to buy over the horizon\n"));
	free(out);
}

/* A server price no verifiable source gives: JSON, CSV and text say so. */
static void test_unverified_price(void **state)
{
	est_result *r = *state;
	cJSON *root;
	char *out;

	r->variants[0].price_unverified = 1;
	out = render(r, EST_FORMAT_JSON, NULL);
	root = cJSON_Parse(out);
	assert_non_null(root);
	assert_true(cJSON_IsFalse(at(at(cJSON_GetArrayItem(at(root, "variants"), 0), "deployment"),
				     "server_price_verified")));
	cJSON_Delete(root);
	free(out);
	out = render(r, EST_FORMAT_CSV, NULL);
	assert_non_null(strstr(out, "\nbase,,deployment.server_price_verified,0,bool\n"));
	free(out);
	out = render(r, EST_FORMAT_TEXT, NULL);
	/* beside the capex it concerns */
	assert_non_null(strstr(out,
		"total  4.10      6.15      1.23    0.61      5.00    2.0  444,200  1,230\n\n"
		"Emission factors: location-based life-cycle, 200 g/kWh; "
		"market-based residual mix set by the scenario, 200 g/kWh\n"
		"capex uses the UNVERIFIED public price of dgx-a100 (no source that can be checked; "
		"set costs.server_price)\n"));
	free(out);
}

/*
 * A workload whose figure is the mean of records at several boundaries has a
 * null boundary; one whose energy has no measured figure (0) shows only what
 * is deployed. Factors that change over the years are given first and last.
 */
static void test_measured_and_factors(void **state)
{
	est_result *r = *state;
	est_workload_result *w = &r->variants[0].workloads[0];
	cJSON *root;
	const cJSON *m;
	char *out;

	w->measured_boundary = NULL;
	r->variants[0].years[1].intensity_g_per_kwh = 150.5;
	out = render(r, EST_FORMAT_JSON, NULL);
	root = cJSON_Parse(out);
	assert_non_null(root);
	m = at(cJSON_GetArrayItem(at(cJSON_GetArrayItem(at(root, "variants"), 0), "workloads"), 0),
	       "measured");
	assert_true(cJSON_IsNull(at(m, "boundary")));
	cJSON_Delete(root);
	free(out);
	out = render(r, EST_FORMAT_TEXT, NULL);
	assert_non_null(strstr(out, "; measured 0.31 Wh (the mean of the task's records); replica 1 x "));
	assert_non_null(strstr(out, "Emission factors: location-based life-cycle, 200 g/kWh in 2025 to "
				    "150.5 g/kWh in 2026; market-based"));
	free(out);

	w->measured_wh = 0;
	out = render(r, EST_FORMAT_TEXT, NULL);
	assert_non_null(strstr(out, "device-s; replica 1 x a100-sxm4-80gb\n"
				    "    per 1,000 inferences, deployed at the facility (0.6 kWh): "
				    "27.3 smartphone charges, 0.48 car km\n"));
	free(out);
}

/* A second variant: its deployment and power in the text, vs_base and delta in JSON and CSV. */
static void test_variant_delta(void **state)
{
	est_result *r = *state;
	est_variant *v, *base;
	cJSON *root;
	const cJSON *d;
	char *out;
	size_t i, j;

	r->variants = realloc(r->variants, 2 * sizeof(*r->variants));
	assert_non_null(r->variants);
	base = &r->variants[0];
	v = &r->variants[1];
	*v = *base;
	v->name = dup("h100");
	v->description = dup("");
	v->server = dup("dgx-h100");
	v->accelerator = dup("h100-sxm");
	v->market_basis = dup(base->market_basis);
	v->host_idle_w = 968.6;
	v->accelerator_idle_w = 79.1;
	v->server_idle_w = 968.6 + 8 * 79.1;
	v->server_max_w = 10200;
	v->years = calloc(v->n_years, sizeof(*v->years));
	v->workloads = calloc(v->n_workloads, sizeof(*v->workloads));
	assert_non_null(v->years);
	assert_non_null(v->workloads);
	memcpy(v->years, base->years, v->n_years * sizeof(*v->years));
	for (i = 0; i < v->n_workloads; i++) {
		est_workload_result *w = &v->workloads[i], *b = &base->workloads[i];
		*w = *b;
		w->name = dup(b->name);
		w->task = dup(b->task);
		w->model = dup(b->model);
		w->profile = dup(b->profile);
		w->conversions = calloc(b->n_conversions, sizeof(*w->conversions));
		w->years = calloc(v->n_years, sizeof(*w->years));
		assert_non_null(w->conversions);
		assert_non_null(w->years);
		for (j = 0; j < b->n_conversions; j++)
			w->conversions[j] = dup(b->conversions[j]);
		memcpy(w->years, b->years, v->n_years * sizeof(*w->years));
	}
	r->n_variants = 2;
	v->years[1].energy_kwh.host_idle -= 100;
	v->years[1].energy_kwh.idle -= 100;
	sum_years(v);
	memset(&v->delta, 0, sizeof(v->delta));
	v->has_delta = 1;
	v->delta.energy_kwh.host_idle = -100;
	v->delta.energy_kwh.idle = -100;

	out = render(r, EST_FORMAT_JSON, NULL);
	root = cJSON_Parse(out);
	assert_non_null(root);
	d = at(cJSON_GetArrayItem(at(root, "variants"), 1), "delta");
	assert_close(num(at(d, "energy_kwh"), "host_idle"), -100);
	assert_close(num(at(d, "energy_kwh"), "idle"), -100);
	assert_close(num(at(d, "accelerators"), "shortfall"), 0);
	assert_close(num(d, "busy_accelerator_hours"), 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(d, "factors"));
	assert_null(cJSON_GetObjectItemCaseSensitive(at(root, "variants")->child, "delta"));
	cJSON_Delete(root);
	free(out);

	out = render(r, EST_FORMAT_CSV, NULL);
	assert_non_null(strstr(out, "\nh100,total,delta.energy_kwh.host_idle,-100,kWh\n"));
	assert_non_null(strstr(out, "\nh100,total,delta.equivalents.car_km,0,car km\n"));
	assert_non_null(strstr(out, "\nh100,,deployment.power_w.host_idle,968.6,W\n"));
	free(out);

	out = render(r, EST_FORMAT_TEXT, NULL);
	assert_non_null(strstr(out, "== Variant: h100 ==\n\n"
				    "Servers:  dgx-h100, 8 x h100-sxm each\n"
				    "Power:    dgx-h100 draws 1,601.4 W idle (host 968.6 W + 8 x 79.1 W) "
				    "to 10,200 W maximum\n\n"
				    "Capacity\n"));
	free(out);
}

/* ---- every format ---- */

static void test_deterministic(void **state)
{
	const est_result *r = *state;
	char *a, *b;
	size_t la, lb, i;

	for (i = 0; i < N_FORMATS; i++) {
		a = render(r, all_formats[i], &la);
		b = render(r, all_formats[i], &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
	}
}

/* Every format refuses a result with `bad` in it, naming its key path. */
static void assert_refused(const est_result *r, const char *path)
{
	static char untouched[] = "untouched";
	est_error err;
	char *out;
	size_t len, i;

	for (i = 0; i < N_FORMATS; i++) {
		est_error_clear(&err);
		out = untouched;
		len = 7;
		assert_int_equal(est_render(&out, &len, r, all_formats[i], &err),
				 EST_EINTERNAL);
		assert_null(out);
		assert_int_equal(len, 0);
		assert_int_equal(err.code, EST_EINTERNAL);
		if (!strstr(err.message, path))
			fail_msg("\"%s\" does not name %s", err.message, path);
		assert_non_null(strstr(err.message, "not a finite number"));
	}
}

static void test_nonfinite_refused(void **state)
{
	est_result *r = *state;

	r->variants[0].years[1].water_l = NAN;
	assert_refused(r, "variants[0].years[1].water_l");
	r->variants[0].years[1].water_l = 1300;

	r->variants[0].totals.equivalents[1] = INFINITY;
	assert_refused(r, "variants[0].totals.equivalents.car_km");
	r->variants[0].totals.equivalents[1] = 0;

	r->variants[0].years[0].electricity_price = NAN;
	assert_refused(r, "variants[0].years[0].factors.electricity_price");
	r->variants[0].years[0].electricity_price = 0.2;

	r->variants[0].server_idle_w = INFINITY;
	assert_refused(r, "variants[0].deployment.power_w.server_idle");
	r->variants[0].server_idle_w = 1400;

	r->variants[0].workloads[0].deployed_per_1000[1] = NAN;
	assert_refused(r, "variants[0].workloads[0].per_1000_inferences.deployed.car_km");
	r->variants[0].workloads[0].deployed_per_1000[1] = 0;

	r->variants[0].workloads[0].years[0].energy_kwh = -INFINITY;
	assert_refused(r, "variants[0].workloads[0].years[0].energy_kwh");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test_setup_teardown(test_json_contract, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_without_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_nothing_to_buy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unverified_price, setup, teardown),
		cmocka_unit_test_setup_teardown(test_measured_and_factors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_variant_delta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nonfinite_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
