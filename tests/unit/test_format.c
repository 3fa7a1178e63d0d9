/*
 * est_render_number (format.c), the one number format of JSON and CSV:
 * integers as printf's "%.0f", anything else as printf's "%.10g", the same
 * bytes, though the common cases are written without printf. Checked here
 * against printf itself: random magnitudes from 1e-7 to 1e17, exact halves
 * at the tenth digit (printf's ties), the neighbours of every power of ten,
 * values that round up to the next power, integers around 2^53, and
 * negative values; -0 prints as 0 and non-finite values are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "estimator/error.h"
#include "format.h"

/* What printf gives for v, as est_render_number promises. */
static void reference(char out[EST_NUMBER_MAX], double v)
{
	if (v == 0)
		v = 0;
	if (v == floor(v) && fabs(v) <= 9007199254740992.0)
		snprintf(out, EST_NUMBER_MAX, "%.0f", v);
	else
		snprintf(out, EST_NUMBER_MAX, "%.10g", v);
}

static size_t mismatches;

static void same(double v)
{
	char got[EST_NUMBER_MAX], want[EST_NUMBER_MAX];

	assert_int_equal(est_render_number(got, v), 0);
	reference(want, v);
	if (strcmp(got, want) != 0 && mismatches++ < 10)
		print_error("%.17g: got %s, printf gives %s\n", v, got, want);
}

static void test_random_magnitudes(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i;

	(void)state;
	gsl_rng_set(r, 20261202);
	mismatches = 0;
	for (i = 0; i < 600000; i++) {
		double e = -7 + 24 * gsl_rng_uniform(r);
		double v = pow(10, e);
		same(v);
		same(-v);
		same(round(v * 1000) / 1000); /* three decimals, as many inputs are */
	}
	assert_int_equal(mismatches, 0);
	gsl_rng_free(r);
}

/* d.5 x 10^k: the eleventh digit a 5, exactly or within an ulp. */
static void test_ties(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i;
	int k;

	(void)state;
	gsl_rng_set(r, 7);
	mismatches = 0;
	for (k = -14; k <= 1; k++)
		for (i = 0; i < 20000; i++) {
			double d = 1e9 + floor(gsl_rng_uniform(r) * 9e9);
			double v = (d + 0.5) * pow(10, k);
			same(v);
			same(nextafter(v, 0));
			same(nextafter(v, INFINITY));
		}
	/* halves that are exact in binary: 0.5, 1.25, ... with 11 digits */
	same(1234567890.5);
	same(123456789.25);
	same(0.00012345678905);
	same(9999999999.5);
	same(999999999.95);
	assert_int_equal(mismatches, 0);
	gsl_rng_free(r);
}

static void test_powers_of_ten(void **state)
{
	int k, j;

	(void)state;
	mismatches = 0;
	for (k = -8; k <= 18; k++) {
		double p = pow(10, k), v = p;
		for (j = 0; j < 40; j++) {
			same(v);
			v = nextafter(v, 0);
		}
		v = p;
		for (j = 0; j < 40; j++) {
			same(v);
			v = nextafter(v, INFINITY);
		}
		same(p * 0.99999999995);   /* rounds up to the power */
		same(p * 0.9999999999);
		same(-p * 0.99999999996);
	}
	assert_int_equal(mismatches, 0);
}

static void test_integers(void **state)
{
	char got[EST_NUMBER_MAX];
	double v;

	(void)state;
	mismatches = 0;
	for (v = -1000; v <= 1000; v++)
		same(v);
	for (v = 1; v < 1e19; v *= 3)
		same(floor(v));
	same(9007199254740992.0);
	same(9007199254740994.0);    /* above 2^53: %.10g */
	same(-9007199254740992.0);
	same(4294967296.0);
	assert_int_equal(mismatches, 0);
	assert_int_equal(est_render_number(got, -0.0), 0);
	assert_string_equal(got, "0");
	assert_int_equal(est_render_number(got, 1.5e-5), 0);
	assert_string_equal(got, "1.5e-05");
	assert_int_equal(est_render_number(got, 0.1), 0);
	assert_string_equal(got, "0.1");
	assert_int_equal(est_render_number(got, 2.0 / 3.0), 0);
	assert_string_equal(got, "0.6666666667");
	assert_int_equal(est_render_number(got, 12345.678901234), 0);
	assert_string_equal(got, "12345.6789");
	assert_int_equal(est_render_number(got, NAN), EST_EINTERNAL);
	assert_int_equal(est_render_number(got, INFINITY), EST_EINTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_magnitudes),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_powers_of_ten),
		cmocka_unit_test(test_integers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
