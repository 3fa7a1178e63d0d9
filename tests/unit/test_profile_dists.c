/*
 * Distributions written in profile records (docs/uncertainty.md): the
 * fast-gpu idle power U(60 W, 100 W), read by the model from the accelerator
 * record, and the TST grid intensity triangular(300, 400, 600) g/kWh,
 * inherited by the scenario. Facility energy is linear in the idle power
 * (docs/model.md section 5), so its quantiles are the idle power's, mapped
 * by hand; location emissions per kWh follow the triangular's quantiles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "estimator/estimator.h"

#define SAMPLES 40000

static void test_profile_distributions(void **state)
{
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_sample_options o = {SAMPLES, 11, 2};
	const est_year *t;
	double idle_kwh, idle_dh, facility, per_w, q[3] = {0.05, 0.5, 0.95};
	double lo, hi;
	int i;

	(void)state;
	gsl_set_error_handler_off();
	assert_int_equal(est_profiles_load(&p, EST_TEST_DATA "/profiles-dist", &err), 0);
	assert_int_equal(est_scenario_load(&s, EST_TEST_DATA "/dist-named.yaml", p, &err), 0);
	/* the inherited intensity takes the triangular's median: 600 - sqrt(0.5 x 300 x 200) */
	assert_true(fabs(s->intensity_g_per_kwh - (600 - sqrt(0.5 * 300 * 200))) < 1e-9);
	assert_int_equal(est_model_run(&r, s, p, &err), 0);
	t = &r->variants[0].totals;
	/* the deterministic run: idle power at its median, 80 W */
	idle_kwh = t->energy_kwh.idle;
	idle_dh = idle_kwh * 1000 / 80;       /* idle device-hours (section 5) */
	facility = t->energy_kwh.facility;
	per_w = idle_dh / 1000 * 1.5;         /* facility kWh per W of idle power, PUE 1.5 */
	assert_int_equal(est_model_sample(r, s, p, &o, &err), 0);
	assert_true(t->has_ranges);
	for (i = 0; i < 3; i++) {
		double idle_q = 60 + q[i] * 40;   /* uniform quantile */
		double expect = facility + (idle_q - 80) * per_w;
		double got = i == 0 ? t->ranges[1].p5 : (i == 1 ? t->ranges[1].p50 : t->ranges[1].p95);
		/* sampling error of an empirical quantile: 4 sd of q, through the uniform's density */
		double tol = 4 * sqrt(q[i] * (1 - q[i]) / SAMPLES) * 40 * per_w;
		if (fabs(got - expect) > tol)
			fail_msg("facility q%.2f: %.6g, expected %.6g +- %.3g", q[i], got, expect, tol);
	}
	/* location emissions in every sample lie between the intensity's ends */
	lo = t->ranges[2].p5 / t->ranges[1].p95;
	hi = t->ranges[2].p95 / t->ranges[1].p5;
	assert_true(lo * 1000 >= 300 - 1e-9 && hi * 1000 <= 600 + 1e-9);
	est_result_free(r);
	est_scenario_free(s);
	est_profiles_free(p);
}

/* A distribution in a profile is bounded like a value: idle power cannot be negative. */
static void test_profile_distribution_bounds(void **state)
{
	static const char text[] =
		"accelerators:\n"
		"  - {id: g, name: g, max_power: 400 W, idle_power: {dist: uniform, min: -10 W, max: 50 W},\n"
		"     relative_energy: 1, source: s}\n";
	char dir[] = "/tmp/estimator-pdist-XXXXXX";
	char path[256];
	est_profiles *p = NULL;
	est_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hardware", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sources.yaml", dir);
	f = fopen(path, "w");
	fputs("sources:\n  - {id: s, title: t, year: 2026, locator: here}\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/hardware/accelerators.yaml", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	assert_int_equal(est_profiles_load(&p, dir, &err), EST_EINVALID);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 52);
	assert_string_equal(err.message,
			    "idle_power: the distribution reaches outside the allowed range (it must be zero or more)");
	remove(path);
	snprintf(path, sizeof(path), "%s/sources.yaml", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/hardware", dir);
	rmdir(path);
	rmdir(dir);
}

/* A distribution the sampler cannot vary here is named in the notes, not ignored. */
static void test_held_distribution_noted(void **state)
{
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_sample_options o = {100, 1, 1};
	size_t i;
	int found = 0;

	(void)state;
	assert_int_equal(est_profiles_load(&p, EST_TEST_DATA "/profiles-mini", &err), 0);
	assert_int_equal(est_scenario_load(&s, EST_TEST_DATA "/dist-candidate/scenario.yaml", p, &err), 0);
	assert_int_equal(est_model_run(&r, s, p, &err), 0);
	assert_int_equal(est_model_sample(r, s, p, &o, &err), 0);
	for (i = 0; i < r->n_notes; i++)
		found |= strstr(r->notes[i], "models/cand/image_generation/img-c.energy is a distribution held at its median") != NULL;
	assert_true(found);
	est_result_free(r);
	est_scenario_free(s);
	est_profiles_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_distributions),
		cmocka_unit_test(test_profile_distribution_bounds),
		cmocka_unit_test(test_held_distribution_noted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
