/*
 * est_sensitivity_run (docs/uncertainty.md) on scenarios written here against
 * tests/data/profiles-mini, checked by hand and against est_sample_eval_at
 * called independently with the inputs set by hand.
 *
 * Hand figures, SCENARIO (3 years from 2026, one workload on one fast-server),
 * docs/model.md sections 2, 3 and 5:
 *   big-lm (node figure 0.2 Wh, no GPU reading; 2 s from the task's 0.5 s per
 *   0.05 Wh) on fast-gpu: accelerator 0.2 / 1.3 x 0.5 = 0.0769231 Wh in
 *   2 s x 0.25 = 0.5 s (553.8 W, within 80..800 W);
 *   e_acc = 0.0769231 - 80 W x 0.5 s / 3600 = 0.0658120 Wh;
 *   host 0.3 x 0.0658120 = 0.0197436 Wh, capped at fast-server's headroom
 *   (8000 - 600 - 8 x 800) / 8 = 125 W x 0.5 s / 3600 = 0.0173611 Wh;
 *   e_w = 0.0658120 + 0.0173611 = 0.0831731 Wh above idle.
 *   Growth 20 %: inferences = 365 x D x (1 + 1.2 + 1.44) = 1328.6 D.
 *   Weights 7e9 x 2 = 14 GB x 1.2 = 16.8 GB <= 80 GB: one accelerator per replica.
 *   Peak accelerators at D = 109,000/day in 2028: 109000 / 86400 x 2 x 0.5 /
 *   0.6 x 1.44 = 3.03 -> 4, so one 8-GPU server every year for every D here.
 *   IT kWh = 1328.6 D x 0.0831731 / 1000                 above idle
 *          + 3 x 8760 x (600 + 8 x 80) / 1000 = 32,587.2  idle of the one server
 *          + 3 x 0.028 TB x 1 W/TB x 8760 / 1000 = 0.73584 storage of the weights
 *   location kg = IT x PUE 1.5 x 0.4 kg/kWh = 0.6 x IT (renewable share plays no part)
 *   market kg = location kg x (1 - renewable share) (TST publishes no residual
 *   mix: the grid average)
 *   Tornado points: demand U(90,000, 110,000): p5 = 91,000, p95 = 109,000;
 *   renewable share U(0, 80 %): p5 = 0.04, p95 = 0.76.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <estimator/estimator.h>
#include <estimator/sensitivity.h>

#include "check.h"
#include "headlines.h"

#define SCENARIO                                                        \
	"version: 1\n"                                                  \
	"name: Sensitivity hand check\n"                                \
	"horizon: {start_year: 2026, years: 3}\n"                       \
	"site:\n"                                                       \
	"  grid: TST\n"                                                 \
	"  facility: enterprise\n"                                      \
	"  renewable_share: {dist: uniform, min: 0%, max: 80%}\n"       \
	"deployment: {accelerator: fast-gpu, utilisation: 60%}\n"       \
	"costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"          \
	"workloads:\n"                                                  \
	"  - name: chat\n"                                              \
	"    task: text_generation\n"                                   \
	"    model: mini/text_generation/big-lm\n"                      \
	"    demand: {dist: uniform, min: 90000/day, max: 110000/day}\n" \
	"    growth: 20%\n"                                             \
	"    peak_to_average: 2\n"

/* The same with an "any model" image workload: img-a or img-b per sample. */
#define IMAGES                                                          \
	"  - name: images\n"                                            \
	"    task: image_generation\n"                                  \
	"    demand: 2000/day\n"                                        \
	"    peak_to_average: 2\n"

#define SAMPLES 2000
#define DEMAND_P5 91000.0
#define DEMAND_P95 109000.0
#define SHARE_P5 0.04
#define SHARE_P95 0.76

static est_profiles *g_mini;

static int setup(void **state)
{
	est_error err;

	(void)state;
	(void)load_real; /* check.h's real-library fixtures: not needed here */
	(void)free_real;
	if (est_profiles_load(&g_mini, EST_TEST_DATA "/profiles-mini", &err) != 0) {
		print_error("profiles-mini: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	est_profiles_free(g_mini);
	g_mini = NULL;
	return 0;
}

static void fail_err(const char *what, const est_error *err)
{
	fail_msg("%s: %s:%d:%d: %s", what, err->file, err->line, err->column, err->message);
}

static est_scenario *load(const char *text)
{
	est_scenario *s = NULL;
	est_error err;

	if (est_scenario_load_buffer(&s, "sensitivity.yaml", text, strlen(text), g_mini, &err) != 0)
		fail_err("load", &err);
	return s;
}

static est_sensitivity *run(const est_scenario *s, const char *metric, int year, int threads)
{
	est_sensitivity_options o;
	est_sensitivity *x = NULL;
	est_error err;

	memset(&o, 0, sizeof(o));
	o.metric = metric;
	o.year = year;
	o.sampling.samples = SAMPLES;
	o.sampling.seed = 1;
	o.sampling.threads = threads;
	if (est_sensitivity_run(&x, s, g_mini, &o, &err) != 0)
		fail_err("sensitivity", &err);
	return x;
}

static size_t headline(const char *key)
{
	size_t h;

	for (h = 0; h < est_n_headlines; h++)
		if (!strcmp(est_headlines[h].key, key))
			return h;
	fail_msg("no headline %s", key);
	return 0;
}

/* The metric with input i at v and the others at their medians (row: a year, or years for the totals). */
static double eval_at(const est_scenario *s, size_t n_inputs, size_t i, double v, size_t row,
		      const char *key)
{
	double in[8], metrics[16 * EST_RANGED];
	est_error err;
	size_t k;

	assert_true(n_inputs <= 8 && (size_t)s->years < 16);
	for (k = 0; k < n_inputs; k++)
		in[k] = NAN;
	if (i < n_inputs)
		in[i] = v;
	if (est_sample_eval_at(metrics, s, g_mini, in, n_inputs, &err) != 0)
		fail_err("eval_at", &err);
	return metrics[row * EST_RANGED + headline(key)];
}

/* SCENARIO's location-based emissions over the horizon at demand d (the header's sums). */
static double hand_location(double d)
{
	double acc = 0.2 / 1.3 * 0.5 - 80 * 0.5 / 3600;          /* 0.0658120 Wh */
	double host = fmin(0.3 * acc, (8000 - 600 - 8 * 800) / 8.0 * 0.5 / 3600); /* capped: 0.0173611 */
	double it = 1328.6 * d * (acc + host) / 1000 + 3 * 8760 * (600 + 8 * 80) / 1000.0 +
		    3 * 0.028 * 1 * 8760 / 1000;
	return it * 1.5 * 0.4;
}

static void test_location_tornado(void **state)
{
	const char *key = "emissions_kgco2e.location_based";
	est_scenario *s = load(SCENARIO);
	est_sensitivity *x = run(s, NULL, 0, 2);
	const est_sensitivity_input *demand = &x->inputs[0], *share = &x->inputs[1];
	double bound = 4 / sqrt((double)SAMPLES);

	(void)state;
	check_str(x->metric, key);
	check_str(x->unit, "kgCO2e");
	check_int(x->year, 0);
	check_int(x->samples, SAMPLES);
	check_int(x->seed, 1);
	check_str(x->generator, "mt19937");
	check_int(x->n_inputs, 2);
	/* ranking: demand first, the renewable share (no effect) last */
	check_str(demand->name, "workloads[chat].demand");
	check_str(share->name, "site.renewable_share");
	/* the tornado's points: the uniform's 5th and 95th percentiles */
	check_close(demand->low, DEMAND_P5);
	check_close(demand->high, DEMAND_P95);
	check_close(share->low, SHARE_P5);
	check_close(share->high, SHARE_P95);
	/* the metric there: by hand, and by est_sample_eval_at with the input set by hand
	 * (input order: the scenario's, site before workloads) */
	check_close(x->baseline, hand_location(100000));
	check_close(demand->metric_at_low, hand_location(DEMAND_P5));
	check_close(demand->metric_at_high, hand_location(DEMAND_P95));
	check_close(demand->swing, hand_location(DEMAND_P95) - hand_location(DEMAND_P5));
	check_close(demand->metric_at_low, eval_at(s, 2, 1, 90000 + 0.05 * 20000, 3, key));
	check_close(demand->metric_at_high, eval_at(s, 2, 1, 90000 + 0.95 * 20000, 3, key));
	check_close(x->baseline, eval_at(s, 2, 2, 0, 3, key));
	/* the renewable share does not enter location-based emissions */
	check_true(share->swing == 0);
	check_true(share->metric_at_low == x->baseline && share->metric_at_high == x->baseline);
	check_close(share->metric_at_low, eval_at(s, 2, 0, 0 + 0.05 * 0.8, 3, key));
	/* ranks: the metric is a strictly increasing function of demand alone, so the
	 * ranks agree exactly; the share is independent of it: |rho| within 4 standard
	 * errors (1 / sqrt(n)) of 0 */
	check_close(demand->spearman, 1);
	check_true(fabs(share->spearman) < bound);
	est_sensitivity_free(x);
	est_scenario_free(s);
	finish();
}

static void test_market_ranking(void **state)
{
	const char *key = "emissions_kgco2e.market_based";
	est_scenario *s = load(SCENARIO);
	est_sensitivity *x = run(s, key, 0, 2);
	const est_sensitivity_input *share = &x->inputs[0], *demand = &x->inputs[1];
	double location = hand_location(100000);

	(void)state;
	check_str(x->metric, key);
	/* market = location x (1 - share): the share's swing 0.72 x location beats demand's */
	check_str(share->name, "site.renewable_share");
	check_str(demand->name, "workloads[chat].demand");
	check_close(x->baseline, location * (1 - 0.4));
	check_close(share->metric_at_low, location * (1 - SHARE_P5));
	check_close(share->metric_at_high, location * (1 - SHARE_P95));
	check_close(share->swing, location * (SHARE_P95 - SHARE_P5));
	check_close(demand->swing, (hand_location(DEMAND_P95) - hand_location(DEMAND_P5)) * 0.6);
	check_true(share->swing > demand->swing);
	check_true(share->spearman < -0.5 && demand->spearman > 0);
	est_sensitivity_free(x);
	est_scenario_free(s);
	finish();
}

static void test_one_year(void **state)
{
	const char *key = "inferences";
	est_scenario *s = load(SCENARIO);
	est_sensitivity *x = run(s, key, 2027, 2);

	(void)state;
	check_int(x->year, 2027);
	check_str(x->unit, "count");
	/* 2027's inferences: 365 x D x 1.2 */
	check_close(x->baseline, 365 * 100000 * 1.2);
	check_str(x->inputs[0].name, "workloads[chat].demand");
	check_close(x->inputs[0].metric_at_low, 365 * DEMAND_P5 * 1.2);
	check_close(x->inputs[0].metric_at_high, eval_at(s, 2, 1, DEMAND_P95, 1, key));
	check_close(x->inputs[0].spearman, 1);
	est_sensitivity_free(x);
	est_scenario_free(s);
	finish();
}

/* Any model: its 5th and 95th percentiles are the two records' Wh (both drawn often). */
static void test_any_model(void **state)
{
	const char *key = "energy_kwh.facility";
	est_scenario *s = load(SCENARIO IMAGES);
	est_sensitivity *x = run(s, key, 0, 2);
	const est_sensitivity_input *any = NULL;
	size_t i;
	/*
	 * e_w of each record on fast-gpu (GPU boundary: e_a = e_0; x 0.5, time x 0.25):
	 * img-a 1.5 Wh in 12 s: 0.75 Wh in 3 s = 900 W > 800 W, clamped to
	 *   800 x 3 / 3600 = 0.666667 Wh; less idle 80 x 3 / 3600: e_acc = 0.6 Wh;
	 *   host min(0.3 x 0.6, 125 W x 3 / 3600) = 0.104167 Wh; e_w = 0.704167 Wh.
	 * img-b 3 Wh, 3 x 10 s / 2 Wh = 15 s: 1.5 Wh in 3.75 s = 1440 W, clamped to
	 *   0.833333 Wh; e_acc = 0.833333 - 80 x 3.75 / 3600 = 0.75 Wh;
	 *   host min(0.225, 125 x 3.75 / 3600) = 0.130208 Wh; e_w = 0.880208 Wh.
	 */
	double wh_a = 0.6 + 125 * 3 / 3600.0, wh_b = 0.75 + 125 * 3.75 / 3600.0;

	(void)state;
	check_int(x->n_inputs, 3);
	for (i = 0; i < x->n_inputs; i++)
		if (!strcmp(x->inputs[i].name, "workloads[images].model (any of 2)"))
			any = &x->inputs[i];
	assert_non_null(any);
	check_close(any->low, wh_a);
	check_close(any->high, wh_b);
	check_close(any->metric_at_low, eval_at(s, 3, 2, wh_a, 3, key));
	check_close(any->metric_at_high, eval_at(s, 3, 2, wh_b, 3, key));
	check_true(any->spearman > 0);
	est_sensitivity_free(x);
	est_scenario_free(s);
	finish();
}

/*
 * A profile field the model reads from its record (tests/data/profiles-dist:
 * fast-gpu idle power U(60 W, 100 W)): its percentiles are the distribution's,
 * 60 + 0.05 x 40 = 62 W and 98 W; the grid intensity, inherited by the
 * scenario, does not enter facility energy.
 */
static void test_profile_field(void **state)
{
	const char *key = "energy_kwh.facility";
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_sensitivity_options o;
	est_sensitivity *x = NULL;
	est_error err;
	double in[2] = {NAN, 62}, metrics[4 * EST_RANGED];

	(void)state;
	if (est_profiles_load(&p, EST_TEST_DATA "/profiles-dist", &err) != 0 ||
	    est_scenario_load(&s, EST_TEST_DATA "/dist-named.yaml", p, &err) != 0)
		fail_err("profiles-dist", &err);
	memset(&o, 0, sizeof(o));
	o.metric = key;
	o.sampling.samples = SAMPLES;
	o.sampling.threads = 2;
	if (est_sensitivity_run(&x, s, p, &o, &err) != 0)
		fail_err("sensitivity", &err);
	check_int(x->n_inputs, 2);
	check_str(x->inputs[0].name, "profiles accelerators/fast-gpu.idle_power");
	check_close(x->inputs[0].low, 62);
	check_close(x->inputs[0].high, 98);
	/* the inputs in est_samples' order: the scenario's (the intensity), then profile fields */
	if (est_sample_eval_at(metrics, s, p, in, 2, &err) != 0)
		fail_err("eval_at", &err);
	check_close(x->inputs[0].metric_at_low, metrics[3 * EST_RANGED + headline(key)]);
	check_close(x->inputs[0].spearman, 1);
	check_true(x->inputs[1].swing == 0);
	est_sensitivity_free(x);
	est_scenario_free(s);
	est_profiles_free(p);
	finish();
}

/* A metric no input moves: every swing 0, no rank correlation, still a valid render. */
static void test_constant_metric(void **state)
{
	est_scenario *s = load(SCENARIO);
	est_sensitivity *x = run(s, "servers.to_buy", 0, 2);
	cJSON *root, *inputs;
	est_error err;
	char *text = NULL;
	size_t i;

	(void)state;
	check_close(x->baseline, 1);
	for (i = 0; i < x->n_inputs; i++) {
		check_true(x->inputs[i].swing == 0);
		check_true(isnan(x->inputs[i].spearman));
	}
	/* equal swings keep the scenario's order */
	check_str(x->inputs[0].name, "site.renewable_share");
	if (est_sensitivity_render(&text, NULL, x, EST_FORMAT_JSON, &err) != 0)
		fail_err("render", &err);
	root = cJSON_Parse(text);
	assert_non_null(root);
	inputs = cJSON_GetObjectItemCaseSensitive(root, "inputs");
	check_int(cJSON_GetArraySize(inputs), 2);
	check_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(inputs, 0),
								  "spearman")));
	cJSON_Delete(root);
	free(text);
	if (est_sensitivity_render(&text, NULL, x, EST_FORMAT_TEXT, &err) != 0)
		fail_err("render", &err);
	check_true(strstr(text, "n/a") != NULL);
	free(text);
	est_sensitivity_free(x);
	est_scenario_free(s);
	finish();
}

/* The same seed gives the same numbers on any number of threads. */
static void test_threads(void **state)
{
	est_scenario *s = load(SCENARIO IMAGES);
	est_sensitivity *a = run(s, NULL, 0, 1), *b = run(s, NULL, 0, 3);
	size_t i;

	(void)state;
	check_int(a->n_inputs, b->n_inputs);
	for (i = 0; i < a->n_inputs && i < b->n_inputs; i++) {
		check_str(a->inputs[i].name, b->inputs[i].name);
		check_true(a->inputs[i].spearman == b->inputs[i].spearman);
		check_true(a->inputs[i].low == b->inputs[i].low && a->inputs[i].high == b->inputs[i].high);
	}
	est_sensitivity_free(a);
	est_sensitivity_free(b);
	est_scenario_free(s);
	finish();
}

static void test_json(void **state)
{
	est_scenario *s = load(SCENARIO);
	est_sensitivity *x = run(s, NULL, 0, 2);
	static const char *const keys[] = {"format", "scenario", "metric", "unit", "year",
					   "baseline", "samples", "seed", "generator", "inputs"};
	static const char *const input_keys[] = {"name", "low", "high", "metric_at_low",
						 "metric_at_high", "swing", "spearman"};
	cJSON *root, *item, *in;
	est_error err;
	char *text = NULL;
	size_t i = 0;

	(void)state;
	if (est_sensitivity_render(&text, NULL, x, EST_FORMAT_JSON, &err) != 0)
		fail_err("render", &err);
	root = cJSON_Parse(text);
	assert_non_null(root);
	cJSON_ArrayForEach(item, root) {
		check_true(i < sizeof(keys) / sizeof(keys[0]));
		if (i < sizeof(keys) / sizeof(keys[0]))
			check_str(item->string, keys[i]);
		i++;
	}
	check_str(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "format")),
		  EST_SENSITIVITY_FORMAT_ID);
	check_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "year")));
	in = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "inputs"), 0);
	i = 0;
	cJSON_ArrayForEach(item, in) {
		if (i < sizeof(input_keys) / sizeof(input_keys[0]))
			check_str(item->string, input_keys[i]);
		i++;
	}
	check_int(i, 7);
	check_close(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(in, "low")), DEMAND_P5);
	cJSON_Delete(root);
	free(text);
	check_int(est_sensitivity_render(&text, NULL, x, EST_FORMAT_CSV, &err), EST_EUSAGE);
	check_true(text == NULL);
	est_sensitivity_free(x);
	est_scenario_free(s);
	finish();
}

static void test_errors(void **state)
{
	static const char fixed[] =
		"version: 1\n"
		"name: Nothing uncertain\n"
		"horizon: {start_year: 2026, years: 3}\n"
		"site: {grid: TST}\n"
		"deployment: {accelerator: fast-gpu}\n"
		"costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"
		"workloads:\n"
		"  - {name: chat, task: text_generation, model: mini/text_generation/big-lm, demand: 1000/day}\n";
	est_scenario *s = load(fixed), *u = load(SCENARIO);
	est_sensitivity_options o;
	est_sensitivity sentinel, *x = &sentinel; /* must come back NULL */
	est_error err;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.sampling.samples = 100;
	o.sampling.threads = 1;
	check_int(est_sensitivity_run(&x, s, g_mini, &o, &err), EST_EINVALID);
	check_true(x == NULL);
	check_str(err.file, "sensitivity.yaml");
	check_str(err.message, "no uncertain inputs: give an input as a distribution, docs/uncertainty.md");

	o.metric = "emissions_kgco2e.location";
	check_int(est_sensitivity_run(&x, u, g_mini, &o, &err), EST_EUSAGE);
	check_str(err.message, "unknown metric 'emissions_kgco2e.location'; did you mean 'emissions_kgco2e.location_based'?");
	check_int(est_sensitivity_check_metric("cost.capx", &err), EST_EUSAGE);
	check_str(err.message, "unknown metric 'cost.capx'; did you mean 'cost.capex'?");
	check_int(est_sensitivity_check_metric("co2", &err), EST_EUSAGE);
	check_true(strstr(err.message, "unknown metric 'co2' (one of: inferences, energy_kwh.facility,") == err.message);
	check_int(est_sensitivity_check_metric("water_l", &err), 0);

	o.metric = NULL;
	o.year = 2029;
	check_int(est_sensitivity_run(&x, u, g_mini, &o, &err), EST_EUSAGE);
	check_str(err.message, "year 2029 is outside the scenario's horizon, 2026-2028");
	check_str(err.file, "");
	est_scenario_free(s);
	est_scenario_free(u);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_location_tornado),
		cmocka_unit_test(test_market_ranking),
		cmocka_unit_test(test_one_year),
		cmocka_unit_test(test_any_model),
		cmocka_unit_test(test_profile_field),
		cmocka_unit_test(test_constant_metric),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
