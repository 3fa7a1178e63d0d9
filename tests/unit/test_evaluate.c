/*
 * est_evaluate (evaluate.h): the sampling settings settled by one rule
 * (option, else the scenario's `uncertainty:`, else the caller's fallback)
 * for run's and sensitivity's fallbacks, a buffer and a path alike, and the
 * same bytes as the steps `run` and `sensitivity` took before they shared it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "slurp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "estimator/evaluate.h"

#define PROFILES EST_TEST_DATA "/profiles-mini"
#define UNCERTAIN EST_TEST_DATA "/uncertain-mini.yaml" /* uncertainty: {samples: 200, seed: 7} */
#define SENSITIVITY EST_TEST_DATA "/sensitivity-mini.yaml"

static est_profiles *profiles;

static int load_profiles(void **state)
{
	est_error err;

	(void)state;
	return est_profiles_load(&profiles, PROFILES, &err);
}

static int free_profiles(void **state)
{
	(void)state;
	est_profiles_free(profiles);
	return 0;
}

/* The scenario without its `uncertainty:` line, as a buffer. */
static char *without_uncertainty(const char *path, size_t *len)
{
	char *s = est_test_slurp(path, len), *at = strstr(s, "\nuncertainty:"), *end;

	assert_non_null(at);
	end = strchr(at + 1, '\n');
	assert_non_null(end);
	memmove(at, end, strlen(end) + 1);
	*len = strlen(s);
	return s;
}

static char *render(const est_result *r, est_format f)
{
	char *text = NULL;
	est_error err;

	assert_int_equal(est_render(&text, NULL, r, f, &err), 0);
	return text;
}

static void test_scenario_defaults(void **state)
{
	est_eval_options o = est_eval_options_run();
	est_evaluation ev;
	est_error err;

	(void)state;
	assert_int_equal(est_evaluate(&ev, UNCERTAIN, profiles, &o, &err), 0);
	assert_int_equal(ev.sampling.samples, 200);
	assert_int_equal(ev.sampling.seed, 7);
	assert_int_equal(ev.sampling.threads, EST_EVAL_THREADS);
	assert_true(ev.sampled);
	assert_int_equal(ev.result->samples, 200);
	assert_int_equal(ev.result->seed, 7);
	assert_true(ev.result->variants[0].totals.has_ranges);
	est_evaluation_free(&ev);
	assert_null(ev.result);
	assert_null(ev.scenario);
	est_evaluation_free(&ev); /* a zeroed evaluation again: nothing */
}

static void test_options_win(void **state)
{
	est_eval_options o = est_eval_options_run();
	est_evaluation ev;
	est_error err;

	(void)state;
	o.samples = 50;
	o.seed_given = 1;
	o.seed = 0; /* 0 is a seed: it wins over the scenario's 7 */
	o.threads = 3;
	assert_int_equal(est_evaluate(&ev, UNCERTAIN, profiles, &o, &err), 0);
	assert_int_equal(ev.sampling.samples, 50);
	assert_int_equal(ev.sampling.seed, 0);
	assert_int_equal(ev.sampling.threads, 3);
	assert_int_equal(ev.result->samples, 50);
	est_evaluation_free(&ev);

	o = est_eval_options_run();
	o.no_sampling = 1; /* settled, but not sampled */
	assert_int_equal(est_evaluate(&ev, UNCERTAIN, profiles, &o, &err), 0);
	assert_int_equal(ev.sampling.samples, 200);
	assert_false(ev.sampled);
	assert_int_equal(ev.result->samples, 0);
	assert_false(ev.result->variants[0].totals.has_ranges);
	est_evaluation_free(&ev);
}

/* Neither the options nor the scenario: the caller's fallbacks. */
static void test_fallbacks(void **state)
{
	est_eval_options o = est_eval_options_run();
	est_evaluation ev;
	est_error err;
	size_t len;
	char *doc = without_uncertainty(UNCERTAIN, &len);

	(void)state;
	o.load.data = doc;
	o.load.len = len;
	assert_int_equal(est_evaluate(&ev, "buffer.yaml", profiles, &o, &err), 0);
	assert_int_equal(ev.sampling.samples, EST_EVAL_RUN_SAMPLES);
	assert_int_equal(ev.sampling.seed, EST_EVAL_RUN_SEED);
	assert_false(ev.sampled);
	assert_non_null(ev.result);
	assert_int_equal(ev.result->samples, 0);
	assert_string_equal(ev.result->scenario_file, "buffer.yaml");
	est_evaluation_free(&ev);

	o.fallback_samples = EST_EVAL_SENSITIVITY_SAMPLES;
	o.fallback_seed = EST_EVAL_SENSITIVITY_SEED;
	o.load_only = 1;
	assert_int_equal(est_evaluate(&ev, "buffer.yaml", profiles, &o, &err), 0);
	assert_int_equal(ev.sampling.samples, 2000);
	assert_int_equal(ev.sampling.seed, 1);
	assert_non_null(ev.scenario);
	assert_null(ev.result);
	est_evaluation_free(&ev);
	free(doc);
}

/* A load error is the loader's, located; nothing is left to free but what the struct holds. */
static void test_load_error(void **state)
{
	est_eval_options o = est_eval_options_run();
	est_evaluation ev;
	est_error err;
	static const char doc[] = "version: 1\nname: x\nhorizon: {start_year: 2026, years: 0}\n";

	(void)state;
	o.load.data = doc;
	o.load.len = sizeof(doc) - 1;
	est_error_clear(&err);
	assert_true(est_evaluate(&ev, "bad.yaml", profiles, &o, &err) < 0);
	assert_string_equal(err.file, "bad.yaml");
	assert_null(ev.result);
	est_evaluation_free(&ev);
}

/* run, as cmd_run.c did it before est_evaluate: the same bytes in every format. */
static void test_run_as_before(void **state)
{
	est_eval_options o = est_eval_options_run();
	est_sample_options so = {0, 0, 2};
	est_evaluation ev;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	size_t f;

	(void)state;
	assert_int_equal(est_scenario_load_with(&s, UNCERTAIN, profiles, NULL, &err), 0);
	assert_int_equal(est_model_run(&r, s, profiles, &err), 0);
	if (s->has_sample_default)
		so.samples = s->sample_default;
	if (s->has_seed_default)
		so.seed = s->seed_default;
	assert_int_equal(est_model_sample(r, s, profiles, &so, &err), 0);
	assert_int_equal(est_evaluate(&ev, UNCERTAIN, profiles, &o, &err), 0);
	for (f = 0; f < 3; f++) {
		char *a = render(r, (est_format)f), *b = render(ev.result, (est_format)f);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	est_evaluation_free(&ev);
	est_result_free(r);
	est_scenario_free(s);
}

/* sensitivity, as cmd_sensitivity.c did it before: the same analysis. */
static void sensitivity_as_before(const char *path)
{
	est_eval_options o;
	est_sensitivity_options so;
	est_load_options load;
	est_evaluation ev;
	est_scenario *s = NULL;
	est_sensitivity *a = NULL, *b = NULL;
	char *ta = NULL, *tb = NULL;
	est_error err;

	memset(&so, 0, sizeof(so));
	memset(&load, 0, sizeof(load));
	load.base_only = 1;
	assert_int_equal(est_scenario_load_with(&s, path, profiles, &load, &err), 0);
	so.sampling.threads = 2;
	so.sampling.samples = s->has_sample_default ? s->sample_default : 2000;
	so.sampling.seed = s->has_seed_default ? s->seed_default : 1;
	assert_int_equal(est_sensitivity_run(&a, s, profiles, &so, &err), 0);

	memset(&o, 0, sizeof(o));
	o.load = load;
	o.fallback_samples = EST_EVAL_SENSITIVITY_SAMPLES;
	o.fallback_seed = EST_EVAL_SENSITIVITY_SEED;
	o.load_only = 1;
	assert_int_equal(est_evaluate(&ev, path, profiles, &o, &err), 0);
	so.sampling = ev.sampling;
	assert_int_equal(est_sensitivity_run(&b, ev.scenario, profiles, &so, &err), 0);
	assert_int_equal(est_sensitivity_render(&ta, NULL, a, EST_FORMAT_JSON, &err), 0);
	assert_int_equal(est_sensitivity_render(&tb, NULL, b, EST_FORMAT_JSON, &err), 0);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	est_sensitivity_free(a);
	est_sensitivity_free(b);
	est_evaluation_free(&ev);
	est_scenario_free(s);
}

static void test_sensitivity_as_before(void **state)
{
	(void)state;
	sensitivity_as_before(UNCERTAIN);   /* with uncertainty: samples 200, seed 7 */
	sensitivity_as_before(SENSITIVITY); /* without: 2000 samples, seed 1 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_defaults),
		cmocka_unit_test(test_options_win),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_load_error),
		cmocka_unit_test(test_run_as_before),
		cmocka_unit_test(test_sensitivity_as_before),
	};

	return cmocka_run_group_tests(tests, load_profiles, free_profiles);
}
