/*
 * Distributions written in profile records (docs/uncertainty.md): the
 * fast-gpu idle power U(60 W, 100 W), read by the model from the accelerator
 * record, and the TST grid intensity triangular(300, 400, 600) g/kWh,
 * inherited by the scenario. Facility energy is linear in the idle power
 * (docs/model.md sections 2 and 5: idle per installed server, less idle in
 * what each inference adds), so its quantiles are the idle power's, mapped
 * through a slope worked out by hand; location emissions per kWh follow the
 * triangular's quantiles.
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

/*
 * tests/data/dist-named.yaml on profiles-dist, by hand (docs/model.md
 * sections 2 to 5). test/big-lm is a node figure on ref-gpu, 0.2 Wh, with no
 * GPU reading and no time; text_generation's statistics (same boundary and
 * hardware) give t0 = 0.2 Wh x 0.5 s / 0.05 Wh = 2 s. Deployed on fast-gpu
 * (relative energy 0.5, 800 W, idle P_a0 ~ U(60 W, 100 W)) in fast-server
 * (8 accelerators, 8 kW, host idle 600 W; headroom 8,000 - 600 - 8 x 800 =
 * 1,000 W, 125 W per accelerator):
 *   e_a,d  = 0.2 / 1.3 x 0.5 = 0.0769231 Wh; t = 2 x 0.5 x 400/800 = 0.5 s
 *            (554 W: inside [P_a0, 800 W] for every P_a0 of the range)
 *   e_acc  = 0.0769231 - P_a0 x 0.5 / 3600 Wh
 *   e_host = min(0.3 x e_acc, 125 x 0.5 / 3600 = 0.0173611) = 0.0173611 Wh: capped for
 *            every P_a0, as 0.3 x (0.0769231 - 100 x 0.5/3600) = 0.0189103 is above the cap
 * Demand 200,000 a day growing 20 % for 3 years: a_w = D / 86,400 x 0.5 s / 50 % =
 * 2.31, 2.78, 3.33 accelerators, whole replicas of one (7e9 x 2 bytes x 1.2 = 16.8 GB
 * fits one 80 GB accelerator) 3, 3, 4: one server every year, bought in 2026.
 * N = 365 x 200,000 x (1 + 1.2 + 1.44) = 265,720,000 inferences in all.
 *   E_idle    = 3 x (600 + 8 x P_a0) x 8,760 / 1,000 kWh
 *   E_dynamic = N x (e_acc + e_host) / 1,000 kWh
 *   E_storage = 3 x 2 x 14 GB / 10^12 x 1 W/TB (ssd, the default) x 8,760 / 1,000 = 0.73584 kWh
 * so facility energy (PUE 1.5) has the slope, in kWh per W of idle power,
 *   per_w = 1.5 x (3 x 8 x 8.76 - 265,720,000 x 0.5 / 3,600,000) = 1.5 x (210.24 - 36.9056)
 *         = 260.0017
 * and at the uniform's median, 80 W, where the deterministic run holds it:
 *   E_idle = 3 x 1,240 x 8.76 = 32,587.2; E_dynamic = 265,720,000 x (0.0658120 + 0.0173611)
 *   / 1,000 = 22,100.75; facility = 1.5 x (32,587.2 + 22,100.75 + 0.73584) = 82,033.03 kWh.
 */
static void test_profile_distributions(void **state)
{
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_sample_options o = {SAMPLES, 11, 2};
	const est_year *t;
	const double n_inf = 365 * 200000 * (1 + 1.2 + 1.44);
	const double e_ad = 0.2 / 1.3 * 0.5, t_w = 2 * 0.5 * 400 / 800;
	const double host_cap = (8000 - 600 - 8 * 800) / 8.0 * t_w / 3600;
	const double per_w = 1.5 * (3 * 8 * 8.76 - n_inf * t_w / 3.6e6);
	double facility, q[3] = {0.05, 0.5, 0.95};
	double lo, hi;
	int i;

	(void)state;
	gsl_set_error_handler_off();
	/* the host share is capped over the whole range of the idle power */
	assert_true(0.3 * (e_ad - 100 * t_w / 3600) > host_cap);
	assert_true(fabs(per_w - 260.0016666666667) < 1e-9);
	assert_int_equal(est_profiles_load(&p, EST_TEST_DATA "/profiles-dist", &err), 0);
	assert_int_equal(est_scenario_load(&s, EST_TEST_DATA "/dist-named.yaml", p, &err), 0);
	/* the inherited intensity takes the triangular's median: 600 - sqrt(0.5 x 300 x 200) */
	assert_true(fabs(s->intensity_g_per_kwh - (600 - sqrt(0.5 * 300 * 200))) < 1e-9);
	assert_int_equal(est_model_run(&r, s, p, &err), 0);
	t = &r->variants[0].totals;
	/* the deterministic run: idle power at its median, 80 W */
	assert_true(fabs(t->servers.to_buy - 1) < 1e-12);
	assert_true(fabs(t->energy_kwh.host_idle - 3 * 600 * 8.76) < 1e-9 * 15768);
	assert_true(fabs(t->energy_kwh.accelerator_idle - 3 * 8 * 80 * 8.76) < 1e-9 * 16819.2);
	assert_true(fabs(t->energy_kwh.accelerator - n_inf * (e_ad - 80 * t_w / 3600) / 1000) <
		    1e-9 * 17487.6);
	assert_true(fabs(t->energy_kwh.host - n_inf * host_cap / 1000) < 1e-9 * 4613.2);
	facility = 1.5 * (3 * (600 + 8 * 80) * 8.76 + n_inf * (e_ad - 80 * t_w / 3600 + host_cap) / 1000 +
			  3 * 2 * 14e9 / 1e12 * 1 * 8.76);
	assert_true(fabs(facility - 82033.02876) < 1e-6);
	if (fabs(t->energy_kwh.facility - facility) > 1e-9 * facility)
		fail_msg("facility %.17g, expected %.17g", t->energy_kwh.facility, facility);
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
