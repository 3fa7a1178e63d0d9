/*
 * Counts and exchange rates as distributions (docs/uncertainty.md): a count's
 * samples are rounded to whole numbers; a sampled exchange rate scales every
 * amount converted with it. Checked on the real library with a scenario
 * whose other inputs are fixed, against probabilities and ratios worked out
 * by hand.
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
#include <gsl/gsl_errno.h>

#include "estimator/estimator.h"

#define SAMPLES 20000

/*
 * DGX H100 servers bought for a fixed load; existing servers U(0, 2) rounded:
 * 0 with probability 0.25, 1 with 0.5, 2 with 0.25. Prices in USD (the DGX
 * H100 and the enterprise build-out cost) are converted at a rate U(0.8, 1.0)
 * EUR per USD; the electricity price is in EUR already.
 */
static const char scenario[] =
	"name: counts and rates\n"
	"horizon: {start_year: 2026, years: 1}\n"
	"site: {grid: DEU}\n"
	"existing: {servers: {dist: uniform, min: 0, max: 2}}\n"
	"deployment: {accelerator: h100-sxm}\n"
	"costs: {currency: EUR, exchange_rates: {USD: {dist: uniform, min: 0.8, max: 1.0}}}\n"
	"workloads:\n"
	"  - {name: chat, task: chat, model: mlenergy-v3/chat/meta-llama-llama-3.1-8b-instruct/h100-sxm/bs8,\n"
	"     demand: 2000000/day, peak_to_average: 3}\n";

static void test_counts_and_rates(void **state)
{
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_sample_options o = {SAMPLES, 9, 2};
	const est_year *y;
	double buy, opex;

	(void)state;
	gsl_set_error_handler_off();
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	assert_int_equal(est_scenario_load_buffer(&s, "inline.yaml", scenario, strlen(scenario), p, &err), 0);
	/* deterministic: the medians, a count rounded */
	assert_true(s->existing_servers == 1);
	assert_int_equal(est_model_run(&r, s, p, &err), 0);
	y = &r->variants[0].years[0];
	buy = y->servers.to_buy;     /* with 1 existing server */
	opex = y->opex;
	assert_true(buy >= 2);
	assert_int_equal(est_model_sample(r, s, p, &o, &err), 0);
	/* servers to buy: buy + 1 (25 %), buy (50 %), buy - 1 (25 %) */
	assert_true(y->ranges[9].p5 == buy - 1);
	assert_true(y->ranges[9].p50 == buy);
	assert_true(y->ranges[9].p95 == buy + 1);
	assert_true(fabs(y->ranges[9].mean - buy) < 4 * sqrt(0.5 / SAMPLES));
	/* opex is in EUR: untouched by the rate and by the server count */
	assert_true(fabs(y->ranges[7].p5 - opex) < 1e-12 * opex && fabs(y->ranges[7].p95 - opex) < 1e-12 * opex &&
		    fabs(y->ranges[7].p50 - opex) < 1e-12 * opex); /* to the last bits of a sum */
	/* capex (servers x price, upgrade x build-out, both in USD) is test_rate_quantiles' */
	est_result_free(r);
	est_scenario_free(s);
	est_profiles_free(p);
}

/*
 * The rate alone: with the servers fixed, capex is linear in the rate, so its
 * quantiles are the rate's (0.8 + 0.2 q) times capex at the median rate / 0.9.
 */
static void test_rate_quantiles(void **state)
{
	static const char fixed[] =
		"name: rate only\n"
		"horizon: {start_year: 2026, years: 1}\n"
		"site: {grid: DEU}\n"
		"deployment: {accelerator: h100-sxm}\n"
		"costs: {currency: EUR, exchange_rates: {USD: {dist: uniform, min: 0.8, max: 1.0}}}\n"
		"workloads:\n"
		"  - {name: chat, task: chat, model: mlenergy-v3/chat/meta-llama-llama-3.1-8b-instruct/h100-sxm/bs8,\n"
		"     demand: 2000000/day, peak_to_average: 3}\n";
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_sample_options o = {SAMPLES, 3, 2};
	double capex, q[3] = {0.05, 0.5, 0.95}, got[3];
	int i;

	(void)state;
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	assert_int_equal(est_scenario_load_buffer(&s, "inline.yaml", fixed, strlen(fixed), p, &err), 0);
	assert_int_equal(est_model_run(&r, s, p, &err), 0);
	capex = r->variants[0].totals.capex;
	assert_true(capex > 0);
	assert_int_equal(est_model_sample(r, s, p, &o, &err), 0);
	got[0] = r->variants[0].totals.ranges[6].p5;
	got[1] = r->variants[0].totals.ranges[6].p50;
	got[2] = r->variants[0].totals.ranges[6].p95;
	for (i = 0; i < 3; i++) {
		double expect = capex * (0.8 + 0.2 * q[i]) / 0.9;
		double tol = 4 * sqrt(q[i] * (1 - q[i]) / SAMPLES) * 0.2 * capex / 0.9;
		if (fabs(got[i] - expect) > tol)
			fail_msg("capex q%.2f: %.10g, expected %.10g +- %.3g", q[i], got[i], expect, tol);
	}
	est_result_free(r);
	est_scenario_free(s);
	est_profiles_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_rates),
		cmocka_unit_test(test_rate_quantiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
