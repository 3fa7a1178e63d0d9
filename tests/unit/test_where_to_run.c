/*
 * scenarios/where-to-run.yaml, year 0 of each deployment mode, worked out by
 * hand from docs/model.md (sections 2 to 10 and 15) with the literal figures
 * of the sources (typed here, not read from profiles/ or from the program):
 *
 *   ML.ENERGY v3, Llama 3.1 8B Instruct on one H100, at most 8 concurrent
 *     requests: 177 J a response = 0.04917 Wh, GPU boundary, no time measured
 *   H100 SXM: 700 W maximum, 79.1 W idle, 80 GB (datasheet; idle: ML.ENERGY)
 *   DGX H100: 8 x H100, 10.2 kW maximum, host idle 968.6 W (CCF rule),
 *     7,012 kgCO2e embodied, 4 years, US$199,000 (unverified)
 *   gpu_to_node 1.3 (AI Energy Score); memory headroom 1.2
 *   Germany: 342.1 g/kWh (Ember 2024), residual mix 724.56 g/kWh (AIB 2024),
 *     0.2264 EUR/kWh (Eurostat 2025-S2)
 *   facility classes: enterprise PUE 1.56, WUE 1.8 L/kWh, rack 10 kW, build-out
 *     US$11,700 per kW (Cushman & Wakefield 2025); colocation PUE 1.42, WUE 1.8,
 *     rack 15 kW, US$184.06 per kW a month (CBRE H2 2024)
 *   SSD: 1.2 W/TB (CCF), 40 kgCO2e/TB, bought in 15.36 TB drives
 *   AWS: PUE 1.15 (2024), WUE 0.15 L/kWh (2024); us-east-1 379.1 g/kWh,
 *     eu-north-1 8.8 g/kWh (CCF's factors); p5.48xlarge (8 x H100 on DGX H100
 *     hardware) US$55.04 (us-east-1) and US$58.8928 (eu-north-1) an hour on
 *     demand (AWS price list via the SkyPilot catalog)
 *   the scenario: 20,000 users x 20 a day, peak 3x, utilisation 60 %, N+1,
 *     weights 16 GB, 2 KB + 1 KB a response kept 1 year, 2 copies, existing
 *     10 TB, 10 kW, 1 rack; EUR at 0.9626 per USD; maintenance 10 % a year
 *
 * Per inference (section 2; H100 measured, H100 deployed: h = 1):
 *   t = 0.04917 x 3600 / 700 = 0.252874 s (no time: from the energy at maximum power)
 *   e_acc = 0.04917 - 79.1 x t / 3600;  dP_h = 10200 - 968.6 - 8 x 700 = 3631.4 W
 *   e_host = min(0.3 e_acc, dP_h / 8 x t / 3600);  e_w = e_acc + e_host
 * Year 0: D = 400,000 a day, N = 146,000,000; a = D / 86400 x 3 x t / 0.6 = 5.85 -> 6
 *   accelerators (one replica each: 16 x 1.2 = 19.2 GB < 80 GB), S = ceil(6/8) + 1 = 2.
 *   Storage required: 2 x (16e9 + N x 3000) / 1e12 = 0.908 TB (10 TB exist).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <estimator/estimator.h>

#define USD 0.9626            /* EUR per USD, the scenario's rate */
#define HOURS 8760.0

static est_profiles *profiles;
static est_result *result;

static int setup(void **state)
{
	est_scenario *s = NULL;
	est_error err;

	(void)state;
	if (est_profiles_load(&profiles, EST_TEST_PROFILES, &err) != 0) {
		print_error("profiles: %s: %s\n", err.file, err.message);
		return -1;
	}
	if (est_scenario_load(&s, EST_TEST_SCENARIOS "/where-to-run.yaml", profiles, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		return -1;
	}
	if (est_model_run(&result, s, profiles, &err) != 0) {
		print_error("model: %s\n", err.message);
		est_scenario_free(s);
		return -1;
	}
	est_scenario_free(s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	est_result_free(result);
	est_profiles_free(profiles);
	return 0;
}

static void near(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-9 * fmax(1, fabs(want)))
		fail_msg("%s: %.12g, by hand %.12g", what, got, want);
}

static const est_variant *variant(const char *name)
{
	size_t i;

	for (i = 0; i < result->n_variants; i++)
		if (!strcmp(result->variants[i].name, name))
			return &result->variants[i];
	fail_msg("no variant %s", name);
	return NULL;
}

/* What every mode shares: the per-inference figures and the sizing. */
typedef struct hand {
	double t, e_w, N, S, ST_req;
} hand;

static hand common(void)
{
	hand h;
	double e_acc, cap;

	h.t = 0.04917 * 3600 / 700;
	e_acc = 0.04917 - 79.1 * h.t / 3600;
	cap = (10200 - 968.6 - 8 * 700) / 8.0 * h.t / 3600;
	h.e_w = e_acc + fmin(0.3 * e_acc, cap);
	h.N = 365.0 * 20000 * 20;
	assert_true(400000.0 / 86400 * 3 * h.t / 0.6 > 5 && 400000.0 / 86400 * 3 * h.t / 0.6 < 6);
	h.S = 1 + 1; /* ceil(6 / 8) + 1 spare */
	h.ST_req = 2 * (16e9 + h.N * 3000) / 1e12;
	return h;
}

/* IT energy of S servers or instances, with ST TB of SSD, kWh. */
static double it_kwh(const hand *h, double ST)
{
	double idle = h->S * (968.6 + 8 * 79.1) * HOURS / 1000;
	return idle + h->N * h->e_w / 1000 + ST * 1.2 * HOURS / 1000;
}

static void test_on_premises(void **state)
{
	const est_variant *v = variant("base");
	const est_year *y = &v->years[0];
	hand h = common();
	double it = it_kwh(&h, 10), facility = it * 1.56;
	double peak = 2 * 10.2 + 10 * 1.2 / 1000;       /* 20.412 kW, 10 kW exist */
	double upgrade = 10 * ceil((peak - 10) / 10);  /* in steps of a rack's 10 kW: 20 kW */
	double server_eur = 199000 * USD;

	(void)state;
	assert_string_equal(v->mode, "on-premises");
	near(y->servers.to_buy, 2, "servers to buy");
	near(y->storage_tb.to_buy, 0, "storage to buy (10 TB exist)");
	near(y->energy_kwh.facility, facility, "facility kWh");
	near(y->power_upgrade_kw, upgrade, "power upgrade");
	near(y->location_kg, facility * 342.1 / 1000, "location kg");
	near(y->market_kg, facility * 724.56 / 1000, "market kg");
	near(y->embodied_kg, 2 * 7012, "embodied kg");
	near(y->capex_by.servers, 2 * server_eur, "capex servers");
	near(y->capex_by.power, upgrade * 11700 * USD, "capex power");
	near(y->capex, 2 * server_eur + upgrade * 11700 * USD, "capex");
	near(y->opex_by.electricity, facility * 0.2264, "electricity");
	near(y->opex_by.maintenance, 0.10 * 2 * server_eur, "maintenance");
	near(y->opex_by.colocation + y->opex_by.cloud, 0, "no rent");
	near(y->opex, facility * 0.2264 + 0.10 * 2 * server_eur, "opex");
	near(y->cost, y->capex + y->opex, "cost");
	near(y->npv, y->cost, "year 0 is not discounted");
	near(y->cost_per_1000, 1000 * y->cost / h.N, "cost per 1,000");
}

static void test_colocation(void **state)
{
	const est_variant *v = variant("colocation-frankfurt");
	const est_year *y = &v->years[0];
	hand h = common();
	double it = it_kwh(&h, 10), facility = it * 1.42;
	double peak = 2 * 10.2 + 10 * 1.2 / 1000, contracted = peak; /* 10 kW held + the rest, in any amount */
	double server_eur = 199000 * USD;

	(void)state;
	assert_string_equal(v->mode, "colocation");
	near(y->energy_kwh.facility, facility, "facility kWh");
	near(y->power_upgrade_kw, peak - 10, "contracted increase");
	near(y->capex_by.power, 0, "no build-out");
	near(y->capex, 2 * server_eur, "capex");
	near(y->opex_by.colocation, contracted * 184.06 * 12 * USD, "colocation rent");
	near(y->opex_by.electricity, facility * 0.2264, "electricity, metered");
	near(y->opex, contracted * 184.06 * 12 * USD + facility * 0.2264 + 0.10 * 2 * server_eur, "opex");
	near(y->location_kg, facility * 342.1 / 1000, "location kg");
	near(y->embodied_kg, 2 * 7012, "embodied kg");
}

static void cloud(const char *name, double per_hour_usd, double intensity)
{
	const est_variant *v = variant(name);
	const est_year *y = &v->years[0];
	hand h = common();
	double it = it_kwh(&h, h.ST_req), facility = it * 1.15;

	assert_string_equal(v->mode, "cloud");
	assert_string_equal(v->server, "aws/p5.48xlarge");
	near(y->instances, 2, "instances");
	near(y->instance_hours, 2 * HOURS, "instance-hours");
	/* nothing bought or built */
	near(y->capex, 0, "capex");
	near(y->servers.to_buy + y->storage_tb.to_buy + y->racks.to_buy, 0, "purchases");
	near(y->power_upgrade_kw, 0, "power upgrade");
	/* but energy, emissions, water and the hardware's share are there */
	near(y->energy_kwh.facility, facility, "facility kWh");
	near(y->location_kg, facility * intensity / 1000, "location kg");
	near(y->water_l, it * 0.15, "water");
	near(y->embodied_kg, (2 * 7012 + h.ST_req * 40) / 4, "embodied: the year's share");
	near(y->opex_by.cloud, 2 * HOURS * per_hour_usd * USD, "instance-hours");
	near(y->opex_by.electricity + y->opex_by.maintenance, 0, "in the price");
	near(y->opex, 2 * HOURS * per_hour_usd * USD, "opex");
	assert_true(y->energy_kwh.facility > 0 && y->location_kg > 0 && y->embodied_kg > 0);
}

static void test_cloud_us_east_1(void **state)
{
	(void)state;
	cloud("cloud-aws-us-east-1", 55.04, 379.1);
}

static void test_cloud_eu_north_1(void **state)
{
	(void)state;
	cloud("cloud-aws-eu-north-1", 58.8928, 8.8);
}

/* A variant's own defaults are in the result's notes, named; a cloud variant has no rack warning. */
static int has_note(const char *prefix)
{
	size_t i;

	for (i = 0; i < result->n_notes; i++)
		if (!strncmp(result->notes[i], prefix, strlen(prefix)))
			return 1;
	return 0;
}

static void test_variant_notes(void **state)
{
	(void)state;
	assert_true(has_note("variant colocation-frankfurt: costs.colocation_price not given: "));
	assert_true(has_note("variant cloud-aws-us-east-1: deployment.cloud.price not given: "
			     "aws/p5.48xlarge on-demand in us-east-1"));
	assert_true(has_note("variant cloud-aws-eu-north-1: site.carbon_intensity not given: "
			     "grid aws/eu-north-1, 8.8 g/kWh"));
	assert_false(has_note("variant cloud-aws-us-east-1: one "));     /* no racks in the cloud */
	assert_false(has_note("variant colocation-frankfurt: deployment.server not given")); /* the base's */
	assert_true(has_note("deployment.server not given: dgx-h100"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_on_premises),
		cmocka_unit_test(test_colocation),
		cmocka_unit_test(test_cloud_us_east_1),
		cmocka_unit_test(test_cloud_eu_north_1),
		cmocka_unit_test(test_variant_notes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
