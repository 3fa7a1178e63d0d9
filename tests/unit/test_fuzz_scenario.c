/*
 * Deterministic mutation fuzzing of the scenario loader, model and renderers:
 * every shipped scenario is mutated (byte flips, insertions of YAML
 * punctuation, truncations) with a seeded GSL generator, and each mutant must
 * either load, evaluate and render, or fail with a located EST_EINVALID.
 * Never a crash (the suite also runs under ASan/UBSan), never an internal
 * error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "slurp.h"
#include <gsl/gsl_rng.h>

#include "estimator/estimator.h"

#define MUTANTS_PER_FILE 400
#define SEED 20261124UL

static const char *const files[] = {
	"bank-documents.yaml",
	"midsize-assistant-images.yaml",
	"research-cluster.yaml",
};

static void mutate(gsl_rng *r, char *buf, size_t *len)
{
	static const char punct[] = ":-{}[],#&*!|>'\"%\n 0123456789.e/";
	size_t n_edits = 1 + gsl_rng_uniform_int(r, 4), i;

	for (i = 0; i < n_edits && *len > 1; i++) {
		size_t at = gsl_rng_uniform_int(r, *len);
		switch (gsl_rng_uniform_int(r, 4)) {
		case 0: /* flip a bit */
			buf[at] = (char)(buf[at] ^ (1 << gsl_rng_uniform_int(r, 7)));
			break;
		case 1: /* overwrite with YAML punctuation or a digit */
			buf[at] = punct[gsl_rng_uniform_int(r, sizeof(punct) - 1)];
			break;
		case 2: /* delete a byte */
			memmove(buf + at, buf + at + 1, *len - at - 1);
			(*len)--;
			break;
		default: /* truncate */
			*len = at + 1;
			break;
		}
	}
}

static void fuzz_file(const est_profiles *p, gsl_rng *r, const char *name)
{
	char path[1024];
	size_t len, n, k;
	char *orig, *buf;

	snprintf(path, sizeof(path), "%s/%s", EST_TEST_SCENARIOS, name);
	orig = est_test_slurp(path, &len);
	buf = malloc(len + 64);
	assert_non_null(buf);
	for (k = 0; k < MUTANTS_PER_FILE; k++) {
		est_scenario *s = NULL;
		est_result *res = NULL;
		est_error err;
		char *out = NULL;
		size_t out_len;
		int rc;

		memcpy(buf, orig, len);
		n = len;
		mutate(r, buf, &n);
		est_error_clear(&err);
		rc = est_scenario_load_buffer(&s, name, buf, n, p, &err);
		if (rc < 0) {
			if (rc != EST_EINVALID)
				fail_msg("mutant %zu of %s: status %d (%s)", k, name, rc, err.message);
			assert_true(err.message[0] != '\0');
			assert_string_equal(err.file, name);
			assert_true(err.line >= 1);
			continue;
		}
		rc = est_model_run(&res, s, p, &err);
		if (rc == 0)
			rc = est_render(&out, &out_len, res, EST_FORMAT_JSON, &err);
		if (rc < 0 && rc != EST_EINVALID)
			fail_msg("mutant %zu of %s: status %d (%s)", k, name, rc, err.message);
		free(out);
		est_result_free(res);
		est_scenario_free(s);
	}
	free(buf);
	free(orig);
}

static void test_mutants(void **state)
{
	est_profiles *p = NULL;
	est_error err;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i;

	(void)state;
	assert_non_null(r);
	gsl_rng_set(r, SEED);
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		fuzz_file(p, r, files[i]);
	est_profiles_free(p);
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
