/*
 * Shared by the loader tests: comparison checks that print every mismatch
 * and fail the test once at the end (finish), and the real profile library
 * loaded once per group (load_real / free_real as cmocka group fixtures).
 * Include after <cmocka.h> and <estimator/estimator.h>.
 */
#ifndef ESTIMATOR_TEST_CHECK_H
#define ESTIMATOR_TEST_CHECK_H

#include <math.h>
#include <string.h>

#ifndef REL_TOL
#define REL_TOL 1e-9
#endif

/* ------------------------------------------------------------------------ */
/* Comparison helpers: every mismatch is printed, then the test fails.       */

static int g_bad;

static void close_at(double actual, double expected, const char *what, int line)
{
	double diff = fabs(actual - expected);
	double scale = fmax(fabs(actual), fabs(expected));
	if (isfinite(actual) && (diff <= REL_TOL * scale || diff <= 1e-12))
		return;
	print_error("%s = %.17g, expected %.17g (test line %d)\n", what, actual, expected, line);
	g_bad++;
}
#define check_close(actual, expected) \
	close_at((double)(actual), (double)(expected), #actual, __LINE__)

static void int_at(long actual, long expected, const char *what, int line)
{
	if (actual == expected)
		return;
	print_error("%s = %ld, expected %ld (test line %d)\n", what, actual, expected, line);
	g_bad++;
}
#define check_int(actual, expected) int_at((long)(actual), (long)(expected), #actual, __LINE__)

static void str_at(const char *actual, const char *expected, const char *what, int line)
{
	if (actual && strcmp(actual, expected) == 0)
		return;
	print_error("%s = \"%s\", expected \"%s\" (test line %d)\n", what,
		    actual ? actual : "(null)", expected, line);
	g_bad++;
}
#define check_str(actual, expected) str_at((actual), (expected), #actual, __LINE__)

static void true_at(int cond, const char *what, int line)
{
	if (cond)
		return;
	print_error("not true: %s (test line %d)\n", what, line);
	g_bad++;
}
#define check_true(cond) true_at(!!(cond), #cond, __LINE__)

static void finish(void)
{
	int bad = g_bad;
	g_bad = 0;
	if (bad)
		fail_msg("%d check(s) failed (listed above)", bad);
}

/* ------------------------------------------------------------------------ */
/* The real library, loaded once for the group.                              */

static est_profiles *g_lib;

static int load_real(void **state)
{
	est_error err;
	(void)state;
	est_error_clear(&err);
	if (est_profiles_load(&g_lib, EST_TEST_PROFILES, &err) != 0) {
		print_error("cannot load %s: %s:%d:%d: %s\n", EST_TEST_PROFILES, err.file,
			    err.line, err.column, err.message);
		return -1;
	}
	return 0;
}

static int free_real(void **state)
{
	(void)state;
	est_profiles_free(g_lib);
	g_lib = NULL;
	return 0;
}

#endif
