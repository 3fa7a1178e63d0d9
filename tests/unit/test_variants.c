/*
 * Variants and --set overrides (docs/what-if.md): the differences variants
 * report, checked against ratios typed from the research tables, and the
 * located errors of bad variants and overrides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "estimator/estimator.h"

static est_profiles *lib, *mini;

static int setup(void **state)
{
	est_error err;

	(void)state;
	if (est_profiles_load(&lib, EST_TEST_PROFILES, &err) != 0 ||
	    est_profiles_load(&mini, EST_TEST_DATA "/profiles-mini", &err) != 0) {
		print_error("%s: %s\n", err.file, err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	est_profiles_free(lib);
	est_profiles_free(mini);
	return 0;
}

static void close_to(double actual, double expected, const char *what)
{
	if (fabs(actual - expected) > 1e-9 * fmax(1e-300, fabs(expected)))
		fail_msg("%s: %.17g, expected %.17g", what, actual, expected);
}

static est_result *run_file(const char *file, const est_profiles *p, const est_load_options *o,
			    est_scenario **s_out)
{
	est_error err;
	est_scenario *s = NULL;
	est_result *r = NULL;

	if (est_scenario_load_with(&s, file, p, o, &err) != 0)
		fail_msg("load %s: %s:%d:%d: %s", file, err.file, err.line, err.column, err.message);
	if (est_model_run(&r, s, p, &err) != 0)
		fail_msg("run: %s", err.message);
	*s_out = s;
	return r;
}

static const est_variant *variant(const est_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n_variants; i++)
		if (!strcmp(r->variants[i].name, name))
			return &r->variants[i];
	fail_msg("no variant %s", name);
	return NULL;
}

/*
 * Same demand on the same A100 servers: the inference energy of each year
 * scales with what one inference of the model adds above idle, e_w
 * (docs/model.md section 2), worked out from the records (E §1.6, §1.9,
 * profiles/tasks/text_classification.yaml): node figures of an 8 x A100 node
 * with one GPU busy, so e_a = gpu_energy - 7 idle x 46 W x t; deployed on the
 * same A100 (h = 1) in a DGX A100 (6.5 kW, host idle 992.3 W: headroom
 * (6500 - 992.3 - 8 x 400) / 8 = 288.46 W per accelerator, never reached
 * here); e_acc = e_a - 46 W x t; e_w = e_acc x 1.3. Times: measured, or for
 * the zero-shot models e_0 x the task's 8 ms / 0.002 Wh = 4 s per Wh.
 *   BLOOMz-7B: t = 0.0337 x 4 = 0.1348 s; e_a = 0.019546 - 322 x 0.1348 / 3600
 *     = 0.007489 Wh (200 W); e_acc = 0.007489 - 46 x 0.1348 / 3600 = 0.0057664;
 *     e_w = 0.00749638 Wh
 *   DistilBERT SST-2: t = 6 ms; e_a = 0.00088 - 322 x 0.006 / 3600 = 0.00034333
 *     (206 W); e_acc = 0.00026667; e_w = 0.00034667 Wh
 *   smallest classifier: t = 5 ms; e_a = 0.00072 - 322 x 0.005 / 3600 = 0.00027278
 *     (196.4 W); e_acc = 0.00020889; e_w = 0.00027156 Wh
 *   Flan-T5 base: t = 0.0096 x 4 = 0.0384 s; e_a = 0.004896 - 322 x 0.0384 / 3600
 *     = 0.0014613 (137 W); e_acc = 0.0009707; e_w = 0.0012619 Wh
 * The measured ratio BLOOMz / DistilBERT, 0.0337 / 0.00165 = 20.4, becomes
 * 0.00749638 / 0.00034667 = 21.62 above idle.
 */
static double classifier_wh(double gpu_wh, double t)
{
	return (gpu_wh - 7 * 46 * t / 3600 - 46 * t / 3600) * 1.3;
}

static void test_classification_models(void **state)
{
	est_scenario *s;
	est_result *r = run_file(EST_TEST_SCENARIOS "/whatif-classification-models.yaml", lib, NULL, &s);
	const est_variant *base = &r->variants[0];
	static const struct { const char *name; double gpu_wh, t; } v[] = {
		{"distilbert-sst2", 0.00088, 0.006}, {"smallest-classifier", 0.00072, 0.005},
		{"flan-t5-base", 0.004896, 0.0096 * 4}};
	const double bloomz = classifier_wh(0.019546, 0.0337 * 4);
	size_t i, y;

	(void)state;
	assert_string_equal(base->name, "base");
	assert_int_equal(r->n_variants, 4);
	for (i = 0; i < 3; i++) {
		const est_variant *x = variant(r, v[i].name);
		assert_true(x->has_delta);
		for (y = 0; y < base->n_years; y++) {
			close_to(x->years[y].inferences, base->years[y].inferences, "inferences");
			close_to(x->years[y].energy_kwh.inference,
				 base->years[y].energy_kwh.inference * classifier_wh(v[i].gpu_wh, v[i].t) / bloomz,
				 v[i].name);
		}
		/* the reported difference is the difference of the totals */
		close_to(x->delta.energy_kwh.facility,
			 x->totals.energy_kwh.facility - base->totals.energy_kwh.facility, "delta");
	}
	/* the study's headline, about 20x less energy with DistilBERT: 21.6x above idle */
	close_to(base->totals.energy_kwh.inference / variant(r, "distilbert-sst2")->totals.energy_kwh.inference,
		 bloomz / classifier_wh(0.00088, 0.006), "ratio");
	assert_true(fabs(bloomz - 0.00749637778) < 1e-11 &&
		    fabs(bloomz / classifier_wh(0.00088, 0.006) - 21.6241667) < 1e-6);
	est_result_free(r);
	est_scenario_free(s);
}

/*
 * The greener grid changes only the intensity: Poland 615.0, Sweden 35.9
 * g/kWh (Ember 2024, reference-data §1.2); energy and hardware stay.
 */
static void test_greener_grid(void **state)
{
	est_scenario *s;
	est_result *r = run_file(EST_TEST_SCENARIOS "/whatif-infrastructure.yaml", lib, NULL, &s);
	const est_variant *base = &r->variants[0], *g = variant(r, "greener-grid");
	size_t y;

	(void)state;
	for (y = 0; y < base->n_years; y++) {
		close_to(g->years[y].energy_kwh.facility, base->years[y].energy_kwh.facility, "energy");
		close_to(g->years[y].location_kg, base->years[y].location_kg * 35.9 / 615.0, "location");
		close_to(g->years[y].servers.to_buy, base->years[y].servers.to_buy, "servers");
	}
	est_result_free(r);
	est_scenario_free(s);
}

/* vs_base in JSON: base, value, abs and pct = (value - base) / base x 100. */
static void test_vs_base_json(void **state)
{
	est_scenario *s;
	est_result *r = run_file(EST_TEST_SCENARIOS "/whatif-infrastructure.yaml", lib, NULL, &s);
	char *out = NULL;
	size_t len;
	est_error err;
	cJSON *root, *v1, *m;
	double b, x;

	(void)state;
	assert_int_equal(est_render(&out, &len, r, EST_FORMAT_JSON, &err), 0);
	root = cJSON_Parse(out);
	assert_non_null(root);
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "variants"), 0), "vs_base"));
	v1 = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "variants"), 2); /* newer-gpus */
	assert_string_equal(cJSON_GetObjectItem(v1, "name")->valuestring, "newer-gpus");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(v1, "deployment"), "server")->valuestring,
			    "dgx-h100");
	m = cJSON_GetObjectItem(cJSON_GetObjectItem(v1, "vs_base"), "energy_kwh.facility");
	b = cJSON_GetObjectItem(m, "base")->valuedouble;
	x = cJSON_GetObjectItem(m, "value")->valuedouble;
	close_to(b, r->variants[0].totals.energy_kwh.facility, "base");
	close_to(x, r->variants[2].totals.energy_kwh.facility, "value");
	/* printed to 10 significant digits */
	assert_true(fabs(cJSON_GetObjectItem(m, "pct")->valuedouble - (x - b) / b * 100) < 1e-6);
	cJSON_Delete(root);
	free(out);
	est_result_free(r);
	est_scenario_free(s);
}

/*
 * --set applies to the base and every variant; a variant setting the same
 * path wins. hand-1 (mini library) has PUE 1.5 from its facility class:
 * with --set site.pue=1.2 every variant's facility energy is IT x 1.2,
 * except a variant that sets site.pue itself.
 */
static void test_set_and_variants(void **state)
{
	static const char text[] =
		"name: set and variants\nhorizon: {start_year: 2026, years: 2}\n"
		"site: {grid: TST}\ndeployment: {accelerator: ref-gpu}\n"
		"costs: {exchange_rates: {USD: 0.9}}\n"
		"workloads:\n  - {name: chat, task: text_generation, demand: 100000/day}\n"
		"variants:\n"
		"  - name: more\n"
		"    set:\n"
		"      workloads[chat].demand: 200000/day  # block style: '[' is an indicator in flow style\n"
		"  - {name: pue, set: {site.pue: 1.4}}\n";
	est_override set = {"site.pue", "1.2", "--set", 1, 10};
	est_load_options o = {.overrides = &set, .n_overrides = 1};
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	size_t i;

	(void)state;
	assert_int_equal(est_scenario_load_buffer_with(&s, "inline.yaml", text, strlen(text), mini, &o, &err), 0);
	assert_int_equal(s->n_variants, 2);
	close_to(s->pue, 1.2, "base pue");
	close_to(s->variants[0]->pue, 1.2, "more pue");
	close_to(s->variants[1]->pue, 1.4, "variant wins");
	close_to(s->variants[0]->workloads[0].requests_per_day, 200000, "more demand");
	assert_int_equal(est_model_run(&r, s, mini, &err), 0);
	for (i = 0; i < 3; i++)
		close_to(r->variants[i].totals.energy_kwh.facility,
			 r->variants[i].totals.energy_kwh.it * (i == 2 ? 1.4 : 1.2), "facility = IT x PUE");
	/* twice the demand, twice the inference energy */
	close_to(r->variants[1].totals.energy_kwh.inference, 2 * r->variants[0].totals.energy_kwh.inference,
		 "inference");
	est_result_free(r);
	est_scenario_free(s);
}

static void expect_error(const char *text, const est_load_options *o, const char *file, int line,
			 int column, const char *message)
{
	est_scenario *s = NULL;
	est_error err;

	est_error_clear(&err);
	assert_int_equal(est_scenario_load_buffer_with(&s, "inline.yaml", text, strlen(text), mini, o, &err),
			 EST_EINVALID);
	assert_null(s);
	if (strcmp(err.file, file) || err.line != line || err.column != column || strcmp(err.message, message))
		fail_msg("got %s:%d:%d: %s\nexpected %s:%d:%d: %s", err.file, err.line, err.column,
			 err.message, file, line, column, message);
}

#define HEAD "name: t\nhorizon: {start_year: 2026}\nsite: {grid: TST}\ndeployment: {accelerator: ref-gpu}\n" \
	     "costs: {exchange_rates: {USD: 0.9}}\nworkloads:\n  - {name: chat, task: text_generation, demand: 10/day}\n"

static void test_errors(void **state)
{
	est_override bad_key = {"site.puee", "1.2", "--set", 1, 11};
	est_override bad_value = {"site.pue", "abc", "--set", 2, 10};
	est_override bad_name = {"workloads[chatt].growth", "10%", "--set", 1, 25};
	est_load_options o1 = {.overrides = &bad_key, .n_overrides = 1};
	est_load_options o2 = {.overrides = &bad_value, .n_overrides = 1};
	est_load_options o3 = {.overrides = &bad_name, .n_overrides = 1};

	(void)state;
	/* line 9 is the variant's `set` line; the error is at the value */
	expect_error(HEAD "variants:\n  - name: v\n    set: {site.pue: 0.5}\n", NULL, "inline.yaml", 10, 21,
		     "variant 'v': pue: 0.5 is outside 1 to 10");
	expect_error(HEAD "variants:\n  - name: v\n    set: {site.gird: NOR}\n", NULL, "inline.yaml", 10, 11,
		     "variant 'v': unknown key 'gird' in site; did you mean 'grid'?");
	expect_error(HEAD "variants:\n  - name: base\n    set: {site.pue: 1.2}\n", NULL, "inline.yaml", 9, 11,
		     "'base' names the scenario itself; pick another variant name");
	expect_error(HEAD "variants:\n  - {name: a, set: {site.pue: 1.2}}\n  - {name: a, set: {site.pue: 1.3}}\n",
		     NULL, "inline.yaml", 10, 12, "duplicate variant name 'a'");
	expect_error(HEAD "variants:\n  - {name: a, set: {}}\n", NULL, "inline.yaml", 9, 20, "variant 'a' changes nothing");
	expect_error(HEAD, &o1, "--set", 1, 11, "unknown key 'puee' in site; did you mean 'pue'?");
	expect_error(HEAD, &o2, "--set", 2, 10, "pue: 'abc' is not a number with a unit");
	expect_error(HEAD, &o3, "--set", 1, 25, "no workloads named 'chatt'; did you mean 'chat'?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classification_models),
		cmocka_unit_test(test_greener_grid),
		cmocka_unit_test(test_vs_base_json),
		cmocka_unit_test(test_set_and_variants),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
