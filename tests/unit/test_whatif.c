/*
 * compare and sweep (docs/what-if.md) against figures worked out by hand on
 * tests/data/hand-1.yaml and tests/data/profiles-mini, and against the
 * model's documented linearity (docs/model.md): facility energy is IT
 * energy x PUE (section 5), a workload's inferences are 365 x its demand x
 * its growth factor (section 1).
 *
 * Hand figures, hand-1 (5 years from 2026):
 *   chat:   366415 /day (52345 users x 7/day), growth 40 %
 *   images:  23456 /day, growth 10 %
 *   S40 = sum of 1.4^y, y = 0..4 = 1 + 1.4 + 1.96 + 2.744 + 3.8416 = 10.9456
 *   S10 = sum of 1.1^y, y = 0..4 = 1 + 1.1 + 1.21 + 1.331 + 1.4641  =  6.1051
 *   inferences = 365 x (366415 x S40 + 23456 x S10) = 1,516,149,136.104
 *   PUE: the enterprise class's 1.5 (no site.pue in the file).
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

#include "check.h"
#include "render_internal.h"

#define HAND1 EST_TEST_DATA "/hand-1.yaml"
#define HAND2 EST_TEST_DATA "/hand-2.yaml"
#define INFRA EST_TEST_SCENARIOS "/whatif-infrastructure.yaml"
#define BANK EST_TEST_SCENARIOS "/bank-documents.yaml"

#define S40 10.9456
#define S10 6.1051
#define CHAT_PER_DAY 366415.0
#define IMAGES_PER_DAY 23456.0
#define HAND1_PUE 1.5

static est_profiles *g_mini;

static int setup(void **state)
{
	est_error err;

	if (load_real(state) != 0)
		return -1;
	if (est_profiles_load(&g_mini, EST_TEST_DATA "/profiles-mini", &err) != 0) {
		print_error("profiles-mini: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	est_profiles_free(g_mini);
	g_mini = NULL;
	return free_real(state);
}

static void fail_err(const char *what, const est_error *err)
{
	fail_msg("%s: %s:%d:%d: %s", what, err->file, err->line, err->column, err->message);
}

/* ---- --vary parsing ---- */

static void test_vary_parse(void **state)
{
	static const struct {
		const char *spec;
		const char *path, *unit;
		double from, to;
		size_t steps;
		int column;
	} good[] = {
		{"site.pue=1.1:1.6:6", "site.pue", "", 1.1, 1.6, 6, 10},
		{"workloads[chat].growth=10%:60%:6", "workloads[chat].growth", "%", 10, 60, 6, 24},
		{"workloads[0].demand=1000/day:5000/day:5", "workloads[0].demand", "/day", 1000, 5000, 5, 21},
		{"costs.electricity_price=0.05 EUR/kWh:0.1 EUR/kWh:2", "costs.electricity_price",
		 " EUR/kWh", 0.05, 0.1, 2, 25},
		{"a=-5:5:3", "a", "", -5, 5, 3, 3},
		{"a=1e3/day:2E+3/day:1000", "a", "/day", 1000, 2000, 1000, 3},
		{"a=.5:1.:2", "a", "", 0.5, 1, 2, 3},
	};
	static const struct {
		const char *spec;
		const char *message;
	} bad[] = {
		{"site.pue", "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6; got 'site.pue'"},
		{"site.pue=1.1:1.6", "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6; got 'site.pue=1.1:1.6'"},
		{"site.pue=1.1:1.6:6:7", "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6; got 'site.pue=1.1:1.6:6:7'"},
		{"=1:2:3", "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6; got '=1:2:3'"},
		{"a=:2:3", "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6; got 'a=:2:3'"},
		{"a=1:2:", "--vary takes PATH=FROM:TO:STEPS, e.g. --vary site.pue=1.1:1.6:6; got 'a=1:2:'"},
		{"site.grid=TST:NOR:2", "--vary FROM must be a number with an optional unit, e.g. 1.2, 10% or 1000/day; got 'TST'"},
		{"a=1:x:2", "--vary TO must be a number with an optional unit, e.g. 1.2, 10% or 1000/day; got 'x'"},
		{"site.pue=10%:0.6:3", "--vary site.pue: FROM and TO must be written with the same unit, got '10%' and '0.6'"},
		{"a=1000/day:5000/year:3", "--vary a: FROM and TO must be written with the same unit, got '1000/day' and '5000/year'"},
		{"a=1:2:1", "--vary a: STEPS must be a whole number from 2 to 1000; got '1'"},
		{"a=1:2:1001", "--vary a: STEPS must be a whole number from 2 to 1000; got '1001'"},
		{"a=1:2:2.5", "--vary a: STEPS must be a whole number from 2 to 1000; got '2.5'"},
		{"a=1:2:-3", "--vary a: STEPS must be a whole number from 2 to 1000; got '-3'"},
		{"a=1e999:2:3", "--vary FROM is out of range: '1e999'"},
		{"a=-1e308:1e308:3", "--vary a: FROM and TO are too far apart"},
	};
	est_vary v;
	est_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		est_error_clear(&err);
		if (est_vary_parse(&v, good[i].spec, 2, &err) != 0)
			fail_msg("%s: %s", good[i].spec, err.message);
		check_str(v.path, good[i].path);
		check_str(v.unit, good[i].unit);
		check_close(v.from, good[i].from);
		check_close(v.to, good[i].to);
		check_int(v.steps, good[i].steps);
		check_int(v.line, 2);
		check_int(v.column, good[i].column);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		est_error_clear(&err);
		check_int(est_vary_parse(&v, bad[i].spec, 1, &err), EST_EUSAGE);
		check_int(err.code, EST_EUSAGE);
		check_str(err.message, bad[i].message);
		check_str(err.file, "");
	}
	finish();
}

static void test_vary_value(void **state)
{
	est_vary v;
	est_error err;
	size_t i;

	(void)state;
	if (est_vary_parse(&v, "site.pue=1.1:1.6:6", 1, &err) != 0)
		fail_err("parse", &err);
	for (i = 0; i < 6; i++)
		check_close(est_vary_value(&v, i), 1.1 + 0.1 * (double)i);
	check_true(est_vary_value(&v, 5) == 1.6); /* TO itself, not FROM + 5 x 0.1 */
	if (est_vary_parse(&v, "a=60%:10%:3", 1, &err) != 0)
		fail_err("parse", &err);
	check_close(est_vary_value(&v, 1), 35);
	finish();
}

/* ---- sweep ---- */

static est_sweep *sweep_file(const char *file, const est_profiles *p, const char *const *specs,
			     size_t n, const est_load_options *load, const char *variant)
{
	est_vary vary[EST_SWEEP_MAX_VARY];
	est_sweep_options o;
	est_sweep *s = NULL;
	est_error err;
	size_t i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < n; i++)
		if (est_vary_parse(&vary[i], specs[i], (int)i + 1, &err) != 0)
			fail_err(specs[i], &err);
	o.vary = vary;
	o.n_vary = n;
	o.load = load;
	o.variant = variant;
	if (est_sweep_run(&s, file, &o, p, &err) != 0)
		fail_err("sweep", &err);
	return s;
}

/* hand-1's totals, evaluated at its own PUE 1.5 (variant `variant` or the base). */
static est_year run_totals(const char *file, const est_profiles *p, const est_load_options *o,
			   const char *variant)
{
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_year totals;
	size_t i;

	if (est_scenario_load_with(&s, file, p, o, &err) != 0 || est_model_run(&r, s, p, &err) != 0)
		fail_err(file, &err);
	totals = r->variants[0].totals;
	for (i = 0; variant && i < r->n_variants; i++)
		if (!strcmp(r->variants[i].name, variant))
			totals = r->variants[i].totals;
	est_result_free(r);
	est_scenario_free(s);
	return totals;
}

/* Facility energy = IT energy x PUE (model.md section 5); IT does not depend on the PUE. */
static void test_sweep_pue(void **state)
{
	static const char *const specs[] = {"site.pue=1.1:1.6:6"};
	static const char *const texts[] = {"1.1", "1.2", "1.3", "1.4", "1.5", "1.6"};
	est_year at_15 = run_totals(HAND1, g_mini, NULL, NULL);
	est_sweep *s = sweep_file(HAND1, g_mini, specs, 1, NULL, NULL);
	double it = at_15.energy_kwh.it;
	size_t i;

	(void)state;
	check_close(at_15.energy_kwh.facility, it * HAND1_PUE);
	check_int(s->n_points, 6);
	check_int(s->n_vary, 1);
	check_str(s->scenario, "Hand check 1");
	check_str(s->variant, "base");
	check_str(s->currency, "EUR");
	for (i = 0; i < s->n_points; i++) {
		const est_sweep_point *pt = &s->points[i];
		double pue = 1.1 + 0.1 * (double)i;

		check_str(pt->values[0], texts[i]);
		check_close(pt->numbers[0], pue);
		check_int(pt->start_year, 2026);
		check_int(pt->years, 5);
		check_close(pt->totals.inferences, 365 * (CHAT_PER_DAY * S40 + IMAGES_PER_DAY * S10));
		check_close(pt->totals.energy_kwh.it, it);
		check_close(pt->totals.energy_kwh.facility, it * pue);
		if (i > 0)
			check_true(pt->totals.energy_kwh.facility > s->points[i - 1].totals.energy_kwh.facility);
	}
	check_close(s->points[4].totals.energy_kwh.facility, at_15.energy_kwh.facility);
	est_sweep_free(s);
	finish();
}

/*
 * With the chat workload's users set to 0 first (--set before --vary), the
 * inferences are the images workload's alone: 365 x demand x S10, exactly
 * proportional to the demand; energy and accelerators never go down.
 */
static void test_sweep_demand(void **state)
{
	static const char *const specs[] = {"workloads[images].demand=10000/day:50000/day:5"};
	est_override set = {"workloads[chat].users", "0", "--set", 1, 23};
	est_load_options load = {.overrides = &set, .n_overrides = 1};
	est_sweep *s = sweep_file(HAND1, g_mini, specs, 1, &load, NULL);
	size_t i;

	(void)state;
	check_int(s->n_points, 5);
	for (i = 0; i < s->n_points; i++) {
		const est_sweep_point *pt = &s->points[i], *prev = &s->points[i ? i - 1 : 0];
		double demand = 10000 + 10000 * (double)i;

		check_close(pt->numbers[0], demand);
		check_close(pt->totals.inferences, 365 * demand * S10);
		check_close(pt->totals.inferences / s->points[0].totals.inferences, demand / 10000);
		check_true(pt->totals.inferences >= prev->totals.inferences);
		check_true(pt->totals.energy_kwh.it >= prev->totals.energy_kwh.it);
		check_true(pt->totals.energy_kwh.facility >= prev->totals.energy_kwh.facility);
		check_true(pt->totals.accelerators.to_buy >= prev->totals.accelerators.to_buy);
	}
	check_str(s->points[0].values[0], "10000/day");
	check_str(s->points[4].values[0], "50000/day");
	est_sweep_free(s);
	finish();
}

/* Two inputs: STEPS1 x STEPS2 points, the first varying slowest. */
static void test_sweep_grid(void **state)
{
	static const char *const specs[] = {"site.pue=1.2:1.4:3",
					    "workloads[images].demand=1000/day:3000/day:2"};
	static const char *const pue[] = {"1.2", "1.2", "1.3", "1.3", "1.4", "1.4"};
	static const char *const demand[] = {"1000/day", "3000/day", "1000/day",
					     "3000/day", "1000/day", "3000/day"};
	est_sweep *s = sweep_file(HAND1, g_mini, specs, 2, NULL, NULL);
	size_t i;

	(void)state;
	check_int(s->n_points, 3 * 2);
	for (i = 0; i < s->n_points && i < 6; i++) {
		const est_sweep_point *pt = &s->points[i];
		double d = i % 2 ? 3000 : 1000;

		check_str(pt->values[0], pue[i]);
		check_str(pt->values[1], demand[i]);
		check_close(pt->numbers[0], 1.2 + 0.1 * (double)(i / 2));
		check_close(pt->numbers[1], d);
		check_close(pt->totals.inferences, 365 * (CHAT_PER_DAY * S40 + d * S10));
		check_close(pt->totals.energy_kwh.facility, pt->totals.energy_kwh.it * pt->numbers[0]);
		/* the same demand gives the same IT energy whatever the PUE */
		check_close(pt->totals.energy_kwh.it, s->points[i % 2].totals.energy_kwh.it);
	}
	est_sweep_free(s);
	finish();
}

/* --variant: each point is that variant's result, as `run` with the same --set gives it. */
static void test_sweep_variant(void **state)
{
	static const char *const specs[] = {"site.pue=1.2:1.4:2"};
	static const char *const values[] = {"1.2", "1.4"};
	est_sweep *s = sweep_file(INFRA, g_lib, specs, 1, NULL, "greener-grid");
	size_t i;

	(void)state;
	check_str(s->variant, "greener-grid");
	check_int(s->n_points, 2);
	for (i = 0; i < s->n_points; i++) {
		est_override set = {"site.pue", values[i], "--set", 1, 10};
		est_load_options load = {.overrides = &set, .n_overrides = 1};
		est_year want = run_totals(INFRA, g_lib, &load, "greener-grid");
		est_year base = run_totals(INFRA, g_lib, &load, NULL);

		check_close(s->points[i].totals.location_kg, want.location_kg);
		check_close(s->points[i].totals.energy_kwh.facility, want.energy_kwh.facility);
		check_true(s->points[i].totals.location_kg < base.location_kg); /* SWE, not POL */
	}
	est_sweep_free(s);
	finish();
}

static int sweep_error(const char *file, const est_profiles *p, const char *const *specs,
		       size_t n, const char *variant, est_error *err)
{
	est_vary vary[EST_SWEEP_MAX_VARY];
	est_sweep_options o;
	est_sweep *s = (est_sweep *)&o; /* must come back NULL */
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < n; i++)
		if (est_vary_parse(&vary[i], specs[i], (int)i + 1, err) != 0)
			fail_err(specs[i], err);
	o.vary = vary;
	o.n_vary = n;
	o.variant = variant;
	est_error_clear(err);
	rc = est_sweep_run(&s, file, &o, p, err);
	check_true(s == NULL);
	return rc;
}

static void test_sweep_errors(void **state)
{
	static const char *const unknown_key[] = {"site.puee=1.1:1.6:3"};
	static const char *const unknown_workload[] = {"site.pue=1.1:1.6:3",
						       "workloads[chatt].growth=10%:20%:2"};
	static const char *const bad_later[] = {"site.pue=1.5:0.5:3"};
	static const char *const bad_first[] = {"site.pue=0.5:1.5:3"};
	static const char *const too_many[] = {"site.pue=1.1:1.6:100", "site.wue=1:2:11"};
	static const char *const twice[] = {"site.pue=1.1:1.6:3", "site.pue=1:2:3"};
	est_error err;

	(void)state;
	check_int(sweep_error(HAND1, g_mini, unknown_key, 1, NULL, &err), EST_EINVALID);
	check_str(err.file, "--vary");
	check_int(err.line, 1);
	check_int(err.column, 11);
	check_str(err.message, "unknown key 'puee' in site; did you mean 'pue'?");

	check_int(sweep_error(HAND1, g_mini, unknown_workload, 2, NULL, &err), EST_EINVALID);
	check_str(err.file, "--vary");
	check_int(err.line, 2);
	check_int(err.column, 25);
	check_str(err.message, "no workloads named 'chatt'; did you mean 'chat'?");

	/* a later point's value: the location is FROM's, the message names the point */
	check_int(sweep_error(HAND1, g_mini, bad_later, 1, NULL, &err), EST_EINVALID);
	check_str(err.file, "--vary");
	check_int(err.line, 1);
	check_int(err.column, 10);
	check_str(err.message, "at site.pue=0.5: pue: 0.5 is outside 1 to 10");
	check_int(sweep_error(HAND1, g_mini, bad_first, 1, NULL, &err), EST_EINVALID);
	check_str(err.message, "pue: 0.5 is outside 1 to 10");

	check_int(sweep_error(HAND1, g_mini, too_many, 2, NULL, &err), EST_EUSAGE);
	check_str(err.message, "a sweep has at most 1000 points; 100 x 11 = 1100");
	check_int(sweep_error(HAND1, g_mini, twice, 2, NULL, &err), EST_EUSAGE);
	check_str(err.message, "--vary site.pue is given twice");
	check_int(sweep_error(HAND1, g_mini, twice, 0, NULL, &err), EST_EUSAGE);
	check_str(err.message, "a sweep varies one or two inputs (--vary); got 0");

	check_int(sweep_error(HAND1, g_mini, bad_later, 1, "green", &err), EST_EINVALID);
	check_str(err.file, HAND1);
	check_str(err.message, "no variant 'green': the scenario has no variants");
	check_int(sweep_error(INFRA, g_lib, twice, 1, "greener_grid", &err), EST_EINVALID);
	check_str(err.message, "no variant 'greener_grid'; did you mean 'greener-grid'?");
	finish();
}

/* ---- compare ---- */

static est_compare *compare(const est_compare_input *in, size_t n, int variants,
			    const est_profiles *p)
{
	est_compare *c = NULL;
	est_error err;

	if (est_compare_run(&c, in, n, variants, p, &err) != 0)
		fail_err("compare", &err);
	return c;
}

static cJSON *render_json(const est_compare *c)
{
	char *text = NULL;
	size_t len = 0;
	est_error err;
	cJSON *root;

	if (est_compare_render(&text, &len, c, EST_FORMAT_JSON, &err) != 0)
		fail_err("render", &err);
	check_int(len, strlen(text));
	root = cJSON_Parse(text);
	free(text);
	if (!root)
		fail_msg("the comparison is not JSON");
	return root;
}

static const cJSON *path(const cJSON *o, const char *a, const char *b, const char *c)
{
	o = cJSON_GetObjectItemCaseSensitive(o, a);
	if (b)
		o = cJSON_GetObjectItemCaseSensitive(o, b);
	if (c)
		o = cJSON_GetObjectItemCaseSensitive(o, c);
	return o;
}

/*
 * hand-1 against hand-1 with site.pue 1.2 (an override on the second
 * input only): facility energy and opex scale with the PUE, so each changes
 * by (1.2 / 1.5 - 1) x 100 = -20 %; inferences do not. Emissions also count
 * the network energy outside the site, which takes no PUE (docs/model.md
 * sections 5 and 7), at TST's constant 400 g/kWh (no residual mix: the
 * market-based factor is the same), so with F the first column's facility
 * energy and E_net the network energy over the horizon:
 *   E_net = 365 x (366415 x S40 x 20 KB + 23456 x S10 x 1.5 MB) / 1e9
 *           x 0.002 kWh/GB = 58.5552276 + 156.8053420 = 215.3605696 kWh
 *   location: -20 % x F / (F + E_net)
 *   market:   -20 % x F (1 - 0.25) / (F (1 - 0.25) + E_net)
 */
static void test_compare_pue(void **state)
{
	est_override set = {"site.pue", "1.2", "--set", 1, 10};
	est_load_options load = {.overrides = &set, .n_overrides = 1};
	est_compare_input in[] = {{HAND1, NULL}, {HAND1, &load}};
	est_compare *c = compare(in, 2, 0, g_mini);
	cJSON *root = render_json(c);
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(root, "columns");
	const cJSON *first = cJSON_GetArrayItem(cols, 0), *second = cJSON_GetArrayItem(cols, 1);
	const double pct = (1.2 / HAND1_PUE - 1) * 100;
	const double net = 365 * (CHAT_PER_DAY * S40 * 20e3 + IMAGES_PER_DAY * S10 * 1.5e6) / 1e9 * 0.002;
	double fac;

	(void)state;
	check_close(net, 215.3605695824);
	fac = c->columns[0].totals.energy_kwh.facility;
	check_close(c->columns[0].totals.energy_kwh.network, net);
	check_int(c->n_columns, 2);
	check_str(c->currency, "EUR");
	check_str(c->columns[0].label, "Hand check 1");
	check_str(c->columns[1].label, "Hand check 1 (2)");
	check_str(c->columns[1].variant, "base");
	check_str(c->columns[1].file, HAND1);
	check_close(c->columns[1].totals.energy_kwh.facility,
		    c->columns[0].totals.energy_kwh.facility * 1.2 / HAND1_PUE);

	check_str(cJSON_GetStringValue(path(root, "format", NULL, NULL)), "estimator-compare/1");
	check_str(cJSON_GetStringValue(path(root, "currency", NULL, NULL)), "EUR");
	check_int(cJSON_GetArraySize(cols), 2);
	check_str(cJSON_GetStringValue(path(second, "label", NULL, NULL)), "Hand check 1 (2)");
	check_str(cJSON_GetStringValue(path(second, "variant", NULL, NULL)), "base");
	check_close(path(second, "vs_first", "energy_kwh.facility", "pct")->valuedouble, pct);
	check_close(path(second, "vs_first", "emissions_kgco2e.location_based", "pct")->valuedouble,
		    pct * fac / (fac + net));
	check_close(path(second, "vs_first", "emissions_kgco2e.market_based", "pct")->valuedouble,
		    pct * fac * 0.75 / (fac * 0.75 + net));
	check_close(path(second, "vs_first", "cost.opex", "pct")->valuedouble, pct);
	check_close(path(second, "vs_first", "energy_kwh.facility", "abs")->valuedouble,
		    c->columns[1].totals.energy_kwh.facility - c->columns[0].totals.energy_kwh.facility);
	check_close(path(second, "vs_first", "inferences", "pct")->valuedouble, 0);
	check_close(path(second, "totals", "inferences", NULL)->valuedouble,
		    365 * (CHAT_PER_DAY * S40 + IMAGES_PER_DAY * S10));
	check_close(path(first, "vs_first", "energy_kwh.facility", "abs")->valuedouble, 0);
	check_close(path(first, "vs_first", "energy_kwh.facility", "pct")->valuedouble, 0);
	cJSON_Delete(root);
	est_compare_free(c);
	finish();
}

/*
 * A first column with no power upgrade (1000 kW already there): the second
 * column's change is absolute only; its percentage is null in JSON, has no
 * CSV row and reads "n/a" in the text.
 */
static void test_compare_zero_first(void **state)
{
	est_override set = {"existing.power", "1000 kW", "--set", 1, 16};
	est_load_options load = {.overrides = &set, .n_overrides = 1};
	est_compare_input in[] = {{HAND1, &load}, {HAND1, NULL}};
	est_compare *c = compare(in, 2, 0, g_mini);
	cJSON *root = render_json(c);
	const cJSON *second = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "columns"), 1);
	char *text = NULL;
	est_error err;

	(void)state;
	check_close(c->columns[0].totals.power_upgrade_kw, 0);
	check_true(c->columns[1].totals.power_upgrade_kw > 0);
	check_true(cJSON_IsNull(path(second, "vs_first", "power_kw.upgrade", "pct")));
	check_close(path(second, "vs_first", "power_kw.upgrade", "abs")->valuedouble,
		    c->columns[1].totals.power_upgrade_kw);
	if (est_compare_render(&text, NULL, c, EST_FORMAT_CSV, &err) != 0)
		fail_err("csv", &err);
	check_true(strstr(text, "\nHand check 1 (2),vs_first.power_kw.upgrade.abs,") != NULL);
	check_true(strstr(text, "vs_first.power_kw.upgrade.pct") == NULL);
	free(text);
	if (est_compare_render(&text, NULL, c, EST_FORMAT_TEXT, &err) != 0)
		fail_err("text", &err);
	check_true(strstr(text, " (n/a)\n") != NULL);
	free(text);
	cJSON_Delete(root);
	est_compare_free(c);
	finish();
}

/* One file with variants: the base, then each variant in the file's order. */
static void test_compare_variants(void **state)
{
	static const char *const names[] = {"base", "greener-grid", "newer-gpus",
					    "higher-utilisation", "all-three"};
	static const char *const scenario = "Media company, summaries and captions, infrastructure options";
	est_compare_input in[] = {{INFRA, NULL}};
	est_compare *c = compare(in, 1, 1, g_lib);
	est_compare *base_only = compare(in, 1, 0, g_lib);
	char label[256];
	size_t i;

	(void)state;
	check_int(c->n_columns, 5);
	for (i = 0; i < c->n_columns && i < 5; i++) {
		check_str(c->columns[i].variant, names[i]);
		check_str(c->columns[i].scenario, scenario);
		check_str(c->columns[i].file, INFRA);
		if (i == 0)
			snprintf(label, sizeof(label), "%s", scenario);
		else
			snprintf(label, sizeof(label), "%s / %s", scenario, names[i]);
		check_str(c->columns[i].label, label);
	}
	/* a greener grid changes the emissions, not the energy */
	check_close(c->columns[1].totals.energy_kwh.facility, c->columns[0].totals.energy_kwh.facility);
	check_true(c->columns[1].totals.location_kg < c->columns[0].totals.location_kg);
	check_int(base_only->n_columns, 1);
	check_str(base_only->columns[0].variant, "base");
	est_compare_free(c);
	est_compare_free(base_only);
	finish();
}

/*
 * Scenarios costed in different currencies: converted to the first one's
 * (or --currency's) at a given rate, else at the inverse of the scenario's
 * own exchange rate for it; energy untouched; no rate at all is an error
 * naming the file and both ways to give one.
 */
static void test_compare_currency(void **state)
{
	est_compare_input in[] = {{HAND1, NULL}, {HAND2, NULL}}, alone[] = {{HAND2, NULL}};
	est_compare *c = NULL, *usd = NULL, *given = NULL, *bad = (est_compare *)in;
	est_rate rate = {"USD", 0.8};
	est_error err;

	(void)state;
	est_error_clear(&err);
	check_int(est_compare_run(&usd, alone, 1, 0, g_mini, &err), 0);
	check_str(usd->currency, "USD");
	/* hand-2 states 1 EUR = 1.1 USD: its USD are converted at 1 / 1.1 */
	check_int(est_compare_run(&c, in, 2, 0, g_mini, &err), 0);
	check_str(c->currency, "EUR");
	check_str(c->columns[1].from, "USD");
	check_str(c->columns[1].rate_origin, "costs.exchange_rates");
	check_close(c->columns[1].rate, 1 / 1.1);
	check_close(c->columns[1].totals.capex, usd->columns[0].totals.capex / 1.1);
	check_close(c->columns[1].totals.opex, usd->columns[0].totals.opex / 1.1);
	check_close(c->columns[1].totals.energy_kwh.facility, usd->columns[0].totals.energy_kwh.facility);
	check_close(c->columns[0].rate, 1);
	/* a rate given wins */
	check_int(est_compare_run_in(&given, in, 2, 0, NULL, &rate, 1, g_mini, &err), 0);
	check_str(given->columns[1].rate_origin, "--rate");
	check_close(given->columns[1].totals.capex, usd->columns[0].totals.capex * 0.8);
	/* no rate for GBP anywhere */
	check_int(est_compare_run_in(&bad, in, 2, 0, "GBP", NULL, 0, g_mini, &err), EST_EINVALID);
	check_true(bad == NULL);
	check_str(err.file, HAND1);
	check_str(err.message, "costed in EUR, wanted in GBP: give --rate EUR=<GBP per EUR>, or "
			       "costs.exchange_rates: {GBP: <EUR per GBP>} in the file");
	est_compare_free(c);
	est_compare_free(usd);
	est_compare_free(given);
	finish();
}

/* ---- the formats ---- */

static size_t count_lines(const char *s, size_t *longest)
{
	size_t n = 0, len;

	*longest = 0;
	while (*s) {
		len = strcspn(s, "\n");
		if (len > *longest)
			*longest = len;
		n++;
		s += len;
		if (*s)
			s++;
	}
	return n;
}

static void test_formats(void **state)
{
	static const char *const specs[] = {"site.pue=1.1:1.6:3", "workloads[chat].growth=10%:30%:2"};
	est_compare_input in[] = {{BANK, NULL}, {INFRA, NULL}};
	est_compare *c = compare(in, 2, 1, g_lib);
	est_compare_input mini_in[] = {{HAND1, NULL}, {HAND1, NULL}};
	est_compare *mc = compare(mini_in, 2, 0, g_mini);
	est_sweep *s = sweep_file(HAND1, g_mini, specs, 2, NULL, NULL);
	char *text = NULL;
	size_t len, longest;
	est_error err;

	(void)state;
	/* text: the 6 columns split into parts no wider than 110 characters */
	check_int(c->n_columns, 6);
	if (est_compare_render(&text, &len, c, EST_FORMAT_TEXT, &err) != 0)
		fail_err("text", &err);
	count_lines(text, &longest);
	check_true(longest <= 110);
	free(text);
	/* CSV: a header, then per column 12 totals, 12 abs and 12 pct rows (no first is 0) */
	if (est_compare_render(&text, &len, mc, EST_FORMAT_CSV, &err) != 0)
		fail_err("csv", &err);
	check_int(count_lines(text, &longest), 1 + 2 * 3 * est_n_headlines);
	check_true(strncmp(text, "column,metric,value,unit\nHand check 1,inferences,1516149136,count\n", 66) == 0);
	check_true(strstr(text, "\nHand check 1 (2),vs_first.energy_kwh.facility.pct,0,%\n") != NULL);
	free(text);
	/* sweep CSV: a header, then per point the metrics and the IT peak */
	if (est_sweep_render(&text, &len, s, EST_FORMAT_CSV, &err) != 0)
		fail_err("sweep csv", &err);
	check_int(count_lines(text, &longest), 1 + 6 * (est_n_headlines + 1));
	check_true(strncmp(text, "point,site.pue,workloads[chat].growth,metric,value,unit\n"
			   "1,1.1,10%,inferences,", 76) == 0);
	check_true(strstr(text, "\n6,1.6,30%,it_peak_kw,") != NULL);
	free(text);
	if (est_sweep_render(&text, &len, s, EST_FORMAT_TEXT, &err) != 0)
		fail_err("sweep text", &err);
	count_lines(text, &longest);
	check_true(longest <= 110);
	free(text);
	est_sweep_free(s);
	est_compare_free(c);
	est_compare_free(mc);
	finish();
}

/* A number that is not finite is refused before any output, in every format. */
static void test_not_finite(void **state)
{
	static const est_format formats[] = {EST_FORMAT_TEXT, EST_FORMAT_JSON, EST_FORMAT_CSV};
	static char x[] = "x", dummy[] = "not NULL";
	est_compare_column col;
	est_compare c;
	est_sweep_point pt;
	est_sweep s;
	char *text;
	size_t i;
	est_error err;

	(void)state;
	memset(&col, 0, sizeof(col));
	col.label = col.scenario = col.file = col.variant = x;
	col.totals.water_l = NAN;
	memset(&c, 0, sizeof(c));
	c.columns = &col;
	c.n_columns = 1;
	memset(&pt, 0, sizeof(pt));
	pt.it_peak_kw = INFINITY;
	memset(&s, 0, sizeof(s));
	s.scenario = s.file = s.variant = x;
	s.points = &pt;
	s.n_points = 1;
	for (i = 0; i < 3; i++) {
		text = dummy;
		check_int(est_compare_render(&text, NULL, &c, formats[i], &err), EST_EINTERNAL);
		check_true(text == NULL);
		check_str(err.message, "columns[0].totals.water_l is not a finite number (nan)");
		text = dummy;
		check_int(est_sweep_render(&text, NULL, &s, formats[i], &err), EST_EINTERNAL);
		check_true(text == NULL);
		check_str(err.message, "points[0].it_peak_kw is not a finite number");
	}
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vary_parse),
		cmocka_unit_test(test_vary_value),
		cmocka_unit_test(test_sweep_pue),
		cmocka_unit_test(test_sweep_demand),
		cmocka_unit_test(test_sweep_grid),
		cmocka_unit_test(test_sweep_variant),
		cmocka_unit_test(test_sweep_errors),
		cmocka_unit_test(test_compare_pue),
		cmocka_unit_test(test_compare_zero_first),
		cmocka_unit_test(test_compare_variants),
		cmocka_unit_test(test_compare_currency),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_not_finite),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
