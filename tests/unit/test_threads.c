/*
 * The library keeps no global mutable state: one profile library, shared
 * read-only, serves several threads that each load, evaluate and render the
 * shipped scenarios, and every thread's bytes equal the single-threaded ones.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "estimator/estimator.h"

#define N_THREADS 4
#define ROUNDS 10

static const char *const files[] = {
	"bank-documents.yaml",
	"midsize-assistant-images.yaml",
	"research-cluster.yaml",
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

typedef struct job {
	const est_profiles *p;
	char *expected[N_FILES];
	int mismatches;
	int failures;
} job;

/* Load, evaluate and render one scenario as JSON; NULL on failure. */
static char *evaluate(const est_profiles *p, const char *name)
{
	char path[1024];
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	char *out = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", EST_TEST_SCENARIOS, name);
	if (est_scenario_load(&s, path, p, &err) == 0 && est_model_run(&r, s, p, &err) == 0)
		est_render(&out, &len, r, EST_FORMAT_JSON, &err);
	est_result_free(r);
	est_scenario_free(s);
	return out;
}

static void *worker(void *arg)
{
	job *j = arg;
	int round;
	size_t i;

	for (round = 0; round < ROUNDS; round++) {
		for (i = 0; i < N_FILES; i++) {
			char *out = evaluate(j->p, files[(i + (size_t)round) % N_FILES]);
			if (!out)
				j->failures++;
			else if (strcmp(out, j->expected[(i + (size_t)round) % N_FILES]))
				j->mismatches++;
			free(out);
		}
	}
	return NULL;
}

static void test_threads_agree(void **state)
{
	est_profiles *p = NULL;
	est_error err;
	pthread_t threads[N_THREADS];
	job jobs[N_THREADS];
	char *expected[N_FILES];
	size_t i, t;

	(void)state;
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	for (i = 0; i < N_FILES; i++) {
		expected[i] = evaluate(p, files[i]);
		assert_non_null(expected[i]);
	}
	for (t = 0; t < N_THREADS; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].p = p;
		memcpy(jobs[t].expected, expected, sizeof(expected));
		assert_int_equal(pthread_create(&threads[t], NULL, worker, &jobs[t]), 0);
	}
	for (t = 0; t < N_THREADS; t++) {
		assert_int_equal(pthread_join(threads[t], NULL), 0);
		assert_int_equal(jobs[t].failures, 0);
		assert_int_equal(jobs[t].mismatches, 0);
	}
	for (i = 0; i < N_FILES; i++)
		free(expected[i]);
	est_profiles_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
