/*
 * Quantities with units (units.h), checked against values worked out by hand
 * from docs/scenario-format.md ("Quantities"): powers of 1000 for KB..PB,
 * powers of 1024 for KiB..PiB, a year of 365 days, % = 0.01, t = 1000 kg.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include <estimator/error.h>
#include <estimator/units.h>

#define REL_TOL 1e-12

static void close_at(double actual, double expected, const char *what, int line)
{
	double diff = fabs(actual - expected);
	double scale = fmax(fabs(actual), fabs(expected));
	if (isfinite(actual) && (diff <= REL_TOL * scale || diff <= REL_TOL))
		return;
	fail_msg("%s = %.17g, expected %.17g (line %d)", what, actual, expected, line);
}
#define assert_close(actual, expected) \
	close_at((double)(actual), (double)(expected), #actual, __LINE__)

/* Parse `text`, express it in `unit`, and compare with `expected`. */
static void convert_at(const char *text, const char *unit, double expected, int line)
{
	est_quantity q;
	char msg[256] = "";
	double v = NAN;
	memset(&q, 0, sizeof q);
	int rc = est_quantity_parse(&q, text, msg, sizeof msg);
	if (rc != 0)
		fail_msg("\"%s\": parse failed (%d): %s (line %d)", text, rc, msg, line);
	msg[0] = '\0';
	rc = est_quantity_in(&v, &q, unit, msg, sizeof msg);
	if (rc != 0)
		fail_msg("\"%s\" in \"%s\": failed (%d): %s (line %d)", text, unit, rc, msg,
			 line);
	double diff = fabs(v - expected);
	if (!(isfinite(v) && (diff <= REL_TOL * fmax(fabs(v), fabs(expected)) ||
			      diff <= REL_TOL)))
		fail_msg("\"%s\" in \"%s\" = %.17g, expected %.17g (line %d)", text, unit, v,
			 expected, line);
}
#define assert_converts(text, unit, expected) convert_at((text), (unit), (expected), __LINE__)

/* Parsing `text` must fail with a message (containing `needle` when given). */
static void parse_fails_at(const char *text, const char *needle, int line)
{
	est_quantity q;
	char msg[256] = "";
	memset(&q, 0, sizeof q);
	int rc = est_quantity_parse(&q, text, msg, sizeof msg);
	if (rc == 0)
		fail_msg("\"%s\" parsed (value %.17g) but should fail (line %d)", text, q.value,
			 line);
	if (rc != -3) /* EST_EINVALID */
		fail_msg("\"%s\": status %d, expected EST_EINVALID (line %d)", text, rc, line);
	if (msg[0] == '\0')
		fail_msg("\"%s\": failed without a message (line %d)", text, line);
	if (needle && !strstr(msg, needle))
		fail_msg("\"%s\": message \"%s\" does not contain \"%s\" (line %d)", text, msg,
			 needle, line);
}
#define assert_parse_fails(text, needle) parse_fails_at((text), (needle), __LINE__)

static void test_power(void **state)
{
	(void)state;
	assert_converts("120 kW", "W", 120 * 1000.0);
	assert_converts("120 kW", "kW", 120);
	assert_converts("2 MW", "kW", 2000);

	/* power is energy per time in the dimension vector */
	est_quantity q;
	char msg[256] = "";
	assert_int_equal(est_quantity_parse(&q, "120 kW", msg, sizeof msg), 0);
	assert_int_equal(q.dim.e[EST_DIM_ENERGY], 1);
	assert_int_equal(q.dim.e[EST_DIM_TIME], -1);
	assert_int_equal(q.dim.e[EST_DIM_DATA], 0);
	assert_int_equal(q.dim.e[EST_DIM_MASS], 0);
	assert_int_equal(q.dim.e[EST_DIM_VOLUME], 0);
	assert_int_equal(q.dim.e[EST_DIM_MONEY], 0);
	assert_string_equal(q.currency, "");
}

static void test_data(void **state)
{
	(void)state;
	assert_converts("1.5 PB", "TB", 1500);
	assert_converts("2 KB", "B", 2000);
	assert_converts("1 GiB", "B", 1073741824.0); /* 1024^3 */
	assert_converts("7 GB", "B", 7e9);

	est_quantity q;
	char msg[256] = "";
	assert_int_equal(est_quantity_parse(&q, "1.5 PB", msg, sizeof msg), 0);
	assert_int_equal(q.dim.e[EST_DIM_DATA], 1);
	assert_int_equal(q.dim.e[EST_DIM_ENERGY], 0);
	assert_int_equal(q.dim.e[EST_DIM_TIME], 0);
}

static void test_money_per_energy(void **state)
{
	(void)state;
	est_quantity q;
	char msg[256] = "";
	double v = 0;
	assert_int_equal(est_quantity_parse(&q, "0.18 EUR/kWh", msg, sizeof msg), 0);
	assert_string_equal(q.currency, "EUR");
	assert_int_equal(q.dim.e[EST_DIM_MONEY], 1);
	assert_int_equal(q.dim.e[EST_DIM_ENERGY], -1);
	assert_int_equal(est_quantity_in(&v, &q, "CUR/kWh", msg, sizeof msg), 0);
	assert_close(v, 0.18);
	assert_int_equal(est_quantity_in(&v, &q, "CUR/Wh", msg, sizeof msg), 0);
	assert_close(v, 0.18 / 1000); /* 0.00018 */
	assert_int_equal(est_quantity_in(&v, &q, "CUR/MWh", msg, sizeof msg), 0);
	assert_close(v, 180);
}

static void test_fraction(void **state)
{
	(void)state;
	assert_converts("40%", "1", 0.4);
	assert_converts("3", "1", 3);
}

static void test_intensity(void **state)
{
	(void)state;
	assert_converts("300 g/kWh", "kg/kWh", 0.3);
	assert_converts("300 g/kWh", "g/kWh", 300);
	assert_converts("300 gCO2e/kWh", "kg/kWh", 0.3);
	assert_converts("500 tCO2e", "kg", 500 * 1000.0);
	assert_converts("1000 kgCO2e", "t", 1);
}

static void test_rate_and_time(void **state)
{
	(void)state;
	assert_converts("2000/day", "/s", 2000.0 / 86400);
	assert_converts("20/day", "/day", 20);
	assert_converts("1 year", "h", 8760);        /* 365 days */
	assert_converts("2.5 years", "day", 2.5 * 365);
	assert_converts("1 month", "day", 365.0 / 12);
	assert_converts("8 ms", "s", 0.008);
	assert_converts("1 week", "h", 7 * 24);
}

static void test_volume_and_counts(void **state)
{
	(void)state;
	assert_converts("1.8 L/kWh", "L/Wh", 1.8 / 1000); /* 0.0018 */
	assert_converts("1 m3", "L", 1000);
	assert_converts("3 Wh/inference", "Wh", 3);
	assert_converts("3 Wh/inferences", "Wh", 3);
	assert_converts("1 kWh", "Wh", 1000);
	assert_converts("3.6 MJ", "kWh", 1);          /* 1 kWh = 3.6 MJ */
}

static void test_dimension_mismatch(void **state)
{
	(void)state;
	est_quantity q;
	char msg[256] = "";
	double v = 0;
	assert_int_equal(est_quantity_parse(&q, "12 kWh", msg, sizeof msg), 0);
	msg[0] = '\0';
	int rc = est_quantity_in(&v, &q, "kW", msg, sizeof msg);
	assert_int_equal(rc, -3); /* EST_EINVALID */
	if (!strstr(msg, "expected power") || !strstr(msg, "got energy"))
		fail_msg("message \"%s\" should say \"expected power\" and \"got energy\"", msg);
}

static void test_parse_errors(void **state)
{
	(void)state;
	assert_parse_fails("abc", NULL);
	assert_parse_fails("12 parsecs", "parsecs");
	assert_parse_fails("", NULL);
	assert_parse_fails("1e400 W", NULL); /* not finite */
}

/* Numbers that are not decimal, or written with separators: refused, saying what to write. */
static void test_number_syntax(void **state)
{
	(void)state;
	assert_parse_fails("0x10/day", "'0x10/day' is not a decimal number (hexadecimal, binary and octal are not allowed)");
	assert_parse_fails("0X1F kW", "is not a decimal number");
	assert_parse_fails("0b1", "is not a decimal number");
	assert_parse_fails("0o17", "is not a decimal number");
	assert_parse_fails("inf", "'inf' is not a finite number");
	assert_parse_fails("-Infinity kW", "'-Infinity kW' is not a finite number");
	assert_parse_fails("nan", "'nan' is not a finite number");
	assert_parse_fails("NaN kWh", "is not a finite number");
	assert_parse_fails("1e", "'1e' is not a number: an exponent needs digits, e.g. 1e3");
	assert_parse_fails("1e+ kW", "an exponent needs digits");
	assert_parse_fails("1_000/day", "digit separators are not allowed: write 1000/day");
	assert_parse_fails("150,000/day", "thousands separators are not allowed: write 150000/day");
	assert_parse_fails("1,234,567 kWh", "thousands separators are not allowed: write 1234567 kWh");
	assert_parse_fails("1,5 kW", "'1,5 kW': write the decimal point as '.', e.g. 1.5 kW");
	assert_parse_fails("1.2.3 kW", "'1.2.3 kW' is not a number");
	/* still fine: a unit that starts like a number's continuation */
	assert_converts("0B", "B", 0);
	assert_converts("2EUR", "EUR", 2);
	assert_converts("1e3 W", "W", 1000);
	assert_converts(".5 kW", "W", 500);
	assert_converts("+5 kW", "W", 5000);
}

/* An unknown unit names the known unit it differs from by case, or that it begins. */
/* A message quotes the text it refuses: control characters in it come out escaped (issue 9, row 6). */
static void test_message_escaped(void **state)
{
	est_quantity q;
	char msg[256];
	const char *p;

	(void)state;
	assert_int_equal(est_quantity_parse(&q, "5 k\x01W\nestimator: forged", msg, sizeof(msg)), EST_EINVALID);
	for (p = msg; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	assert_non_null(strstr(msg, "\\x01"));
}

static void test_unit_hints(void **state)
{
	(void)state;
	assert_parse_fails("40 kw", "unknown unit 'kw'; did you mean 'kW'?");
	assert_parse_fails("3 KWH", "unknown unit 'KWH'; did you mean 'kWh'?");
	assert_parse_fails("0.18 eur/kWh", "unknown unit 'eur'; did you mean 'EUR'?");
	assert_parse_fails("3 mon", "unknown unit 'mon'; did you mean 'month'?");
	assert_parse_fails("12 parsecs", "unknown unit 'parsecs'");
}

static void share_fails_at(const char *text, const char *message, int line)
{
	est_quantity q;
	char msg[256] = "";
	double v = NAN;
	if (est_quantity_parse(&q, text, msg, sizeof msg) != 0)
		fail_msg("\"%s\": parse failed: %s (line %d)", text, msg, line);
	if (est_quantity_in(&v, &q, EST_UNIT_SHARE, msg, sizeof msg) != -3)
		fail_msg("\"%s\" as a share: accepted as %.17g (line %d)", text, v, line);
	if (strcmp(msg, message))
		fail_msg("\"%s\": message \"%s\", expected \"%s\" (line %d)", text, msg, message, line);
}
#define assert_share_fails(text, message) share_fails_at((text), (message), __LINE__)

/* A share needs '%': a bare number is refused with the percentage it likely means. */
static void test_share(void **state)
{
	(void)state;
	assert_converts("15%", EST_UNIT_SHARE, 0.15);
	assert_converts("-20 %", EST_UNIT_SHARE, -0.2);
	assert_converts("0", EST_UNIT_SHARE, 0);      /* zero is zero in any unit */
	assert_converts("1500%", EST_UNIT_SHARE, 15);
	assert_share_fails("15", "15 needs a unit: did you mean 15%?");
	assert_share_fails("0.15", "0.15 needs a unit: did you mean 15%?");
	assert_share_fails("1", "1 needs a unit: did you mean 100%?");
	assert_share_fails("-0.5", "-0.5 needs a unit: did you mean -50%?");
	assert_share_fails("15 kW", "expected a plain number (e.g. 40%), got power (e.g. kW)");
	/* plain ratios keep bare numbers */
	assert_converts("1.4", "1", 1.4);
}

static void test_negative(void **state)
{
	(void)state;
	/* the sign is the loader's business: the parser accepts it */
	assert_converts("-5 kW", "W", -5000);
}

/*
 * Numbers are read exactly as strtod reads them: decimals of up to 15
 * digits take a fast path (the digits divided by a power of ten), longer
 * ones and exponents take strtod; both checked bit for bit against strtod
 * on generated numbers, and units remembered between calls give the same
 * conversion as the first time.
 */
static void test_numbers_as_strtod(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	char text[64], number[48];
	est_quantity q;
	char msg[256];
	size_t i, bad = 0;

	(void)state;
	gsl_rng_set(r, 42);
	for (i = 0; i < 300000; i++) {
		int digits = 1 + (int)gsl_rng_uniform_int(r, 19), point, k, n = 0;
		double want;
		if (gsl_rng_uniform(r) < 0.2)
			number[n++] = gsl_rng_uniform(r) < 0.5 ? '-' : '+';
		point = (int)gsl_rng_uniform_int(r, (unsigned long)digits + 1);
		for (k = 0; k < digits; k++) {
			if (k == point && k > 0)
				number[n++] = '.';
			number[n++] = (char)('0' + gsl_rng_uniform_int(r, 10));
		}
		if (gsl_rng_uniform(r) < 0.1)
			n += snprintf(number + n, sizeof(number) - (size_t)n, "e%d",
				      (int)gsl_rng_uniform_int(r, 40) - 20);
		number[n] = '\0';
		want = strtod(number, NULL);
		snprintf(text, sizeof(text), "%s %s", number, i % 2 ? "Wh" : "kWh");
		assert_int_equal(est_quantity_parse(&q, text, msg, sizeof(msg)), 0);
		if (q.value != want * (i % 2 ? 1 : 1000) && bad++ < 5)
			print_error("%s: %.17g, strtod %.17g\n", text, q.value, want);
	}
	assert_int_equal(bad, 0);
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power),
		cmocka_unit_test(test_data),
		cmocka_unit_test(test_money_per_energy),
		cmocka_unit_test(test_fraction),
		cmocka_unit_test(test_intensity),
		cmocka_unit_test(test_rate_and_time),
		cmocka_unit_test(test_volume_and_counts),
		cmocka_unit_test(test_dimension_mismatch),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_number_syntax),
		cmocka_unit_test(test_unit_hints),
		cmocka_unit_test(test_share),
		cmocka_unit_test(test_message_escaped),
		cmocka_unit_test(test_numbers_as_strtod),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
