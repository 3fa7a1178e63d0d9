/*
 * The chart module (chart.h): nice ticks against hand-computed cases and,
 * over random ranges, their promises; every kind drawn as an SVG with its
 * role, title and description, no NaN or infinity, the same bytes twice,
 * sensible with all zeros or one category; user text escaped in the SVG,
 * HTML and Markdown; each invalid chart refused; the tables' numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "estimator/error.h"
#include "chart.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Checks that print every mismatch, then fail the test once (finish); as check.h, without the profiles. */
static int g_bad;

static void true_at(int cond, const char *what, int line)
{
	if (cond)
		return;
	print_error("not true: %s (test line %d)\n", what, line);
	g_bad++;
}
#define check_true(cond) true_at(!!(cond), #cond, __LINE__)
#define check_int(actual, expected) \
	true_at((long)(actual) == (long)(expected), #actual " == " #expected, __LINE__)
#define check_close(actual, expected) \
	true_at(fabs((actual) - (expected)) <= 1e-12 * fabs(expected), #actual " ~ " #expected, __LINE__)

static void str_at(const char *actual, const char *expected, int line)
{
	if (actual && strcmp(actual, expected) == 0)
		return;
	print_error("got \"%s\",\nexpected \"%s\" (test line %d)\n", actual ? actual : "(null)",
		    expected, line);
	g_bad++;
}
#define check_str(actual, expected) str_at((actual), (expected), __LINE__)

static void finish(void)
{
	int bad = g_bad;
	g_bad = 0;
	if (bad)
		fail_msg("%d check(s) failed (listed above)", bad);
}

/* ---- ticks ---- */

typedef struct tick_case {
	double lo, hi;
	size_t max;
	size_t n;
	double want[11];
} tick_case;

static const tick_case tick_cases[] = {
	{0, 97, 6, 6, {0, 20, 40, 60, 80, 100}},
	{0, 97, 10, 6, {0, 20, 40, 60, 80, 100}},
	{0, 97, 11, 11, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}},
	{97, 0, 6, 6, {0, 20, 40, 60, 80, 100}},                /* either order */
	{0, 1, 6, 6, {0, 0.2, 0.4, 0.6, 0.8, 1}},
	{3, 3, 6, 4, {0, 1, 2, 3}},                             /* flat: from 0 */
	{0, 0, 6, 6, {0, 0.2, 0.4, 0.6, 0.8, 1}},               /* flat at 0: 0 to 1 */
	{-5, -5, 6, 6, {-5, -4, -3, -2, -1, 0}},
	{-97, 0, 6, 6, {-100, -80, -60, -40, -20, 0}},
	{-30, 45, 6, 6, {-40, -20, 0, 20, 40, 60}},             /* crosses 0 */
	{0.5, 0.75, 6, 6, {0.5, 0.55, 0.6, 0.65, 0.7, 0.75}},   /* 0 not touched: not drawn */
	{2, 3, 3, 3, {2, 2.5, 3}},
	{0, 1250, 6, 6, {0, 250, 500, 750, 1000, 1250}},        /* 2.5 steps */
	{1e12, 5e12, 6, 5, {1e12, 2e12, 3e12, 4e12, 5e12}},
	{1e-9, 3e-9, 6, 5, {1e-9, 1.5e-9, 2e-9, 2.5e-9, 3e-9}},
	{1.6e-6, 3.1e-6, 6, 5, {1.5e-6, 2e-6, 2.5e-6, 3e-6, 3.5e-6}},
};

static void test_ticks_hand(void **state)
{
	double got[11];
	size_t i, j, n;

	(void)state;
	g_bad = 0;
	for (i = 0; i < N(tick_cases); i++) {
		const tick_case *t = &tick_cases[i];
		n = est_chart_ticks(t->lo, t->hi, t->max, got);
		if (n != t->n) {
			print_error("case %zu (%g..%g): %zu ticks, expected %zu\n", i, t->lo, t->hi, n, t->n);
			g_bad++;
			continue;
		}
		for (j = 0; j < n; j++)
			check_close(got[j], t->want[j]);
	}
	finish();
}

static void test_ticks_refused(void **state)
{
	double got[6];

	(void)state;
	assert_int_equal(est_chart_ticks(NAN, 1, 6, got), 0);
	assert_int_equal(est_chart_ticks(0, INFINITY, 6, got), 0);
	assert_int_equal(est_chart_ticks(-1e308, 1e308, 6, got), 0); /* the span overflows */
}

/* The promises over random ranges from 1e-12 to 1e14, either sign. */
static void test_ticks_random(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double t[11];
	size_t i, j, n, max;

	(void)state;
	g_bad = 0;
	gsl_rng_set(r, 12);
	for (i = 0; i < 20000 && g_bad < 10; i++) {
		double lo = pow(10, -12 + 26 * gsl_rng_uniform(r)) * (gsl_rng_uniform(r) < 0.3 ? -1 : 1);
		double hi = lo + pow(10, -12 + 26 * gsl_rng_uniform(r)) * gsl_rng_uniform(r);
		double step, mant;
		max = 3 + gsl_rng_uniform_int(r, 9);
		n = est_chart_ticks(lo, hi, max, t);
		check_true(n >= 2 && n <= max);
		if (n < 2)
			continue;
		/* ticks cover the range (to the floor's slack); steps equal and nice (to rounding) */
		check_true(t[0] <= lo + 1e-13 * fabs(lo) && t[n - 1] >= hi - 1e-13 * fabs(hi));
		step = (t[n - 1] - t[0]) / (double)(n - 1);
		mant = step / pow(10, floor(log10(step)));
		check_true(fabs(mant - 1) < 1e-5 || fabs(mant - 2) < 1e-5 || fabs(mant - 2.5) < 1e-5 ||
			   fabs(mant - 5) < 1e-5 || fabs(mant - 10) < 1e-5);
		for (j = 1; j < n; j++)
			check_true(fabs(t[j] - t[j - 1] - step) <= 1e-5 * step);
		if (lo <= 0 && hi >= 0) {
			for (j = 0; j < n && t[j] != 0; j++)
				;
			check_true(j < n); /* 0 itself, exactly */
		}
	}
	gsl_rng_free(r);
	finish();
}

/* ---- charts ---- */

static const char *const years[] = {"2026", "2027", "2028", "2029"};
static const double alpha[] = {10, 25.5, 40, 1250}, beta[] = {5, 5, 7.25, 9};
static const double lo_a[] = {8, 20, 30, 1000}, hi_a[] = {12, 30, 50, 1500};
static const double lo_b[] = {4, 4, 6, 8}, hi_b[] = {6, 6, 8, 10};
static const double zeros[] = {0, 0, 0, 0};

static est_chart_series two[] = {
	{"Alpha", alpha, lo_a, hi_a, 0},
	{"Beta", beta, lo_b, hi_b, 0},
};

static const est_chart_kind kinds[] = {EST_CHART_LINES, EST_CHART_COLUMNS, EST_CHART_STACKED,
				       EST_CHART_AREA,  EST_CHART_BAND,    EST_CHART_TORNADO,
				       EST_CHART_DOTS,  EST_CHART_SCATTER};

static est_chart chart_of(est_chart_kind kind, const est_chart_series *s, size_t n_series,
			  size_t n_categories)
{
	est_chart c = {kind, "c1", "A title", "What it shows.", "Year", "Power (kW)", years,
		       n_categories, s, n_series, 20};
	return c;
}

static char *svg(const est_chart *c)
{
	est_buf b;
	est_error err;
	char *text;

	est_buf_init(&b);
	if (est_chart_svg(&b, c, &err) < 0) {
		print_error("kind %d: %s\n", (int)c->kind, err.message);
		est_buf_dispose(&b);
		return NULL;
	}
	text = est_buf_detach(&b, NULL);
	return text;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* A run of six digits or more (colours aside): no coordinate or label of these charts has one. */
static int long_number(const char *s)
{
	size_t run = 0;

	for (; *s; s++) {
		if (*s == '#' && strlen(s) > 6) {
			s += 6; /* a colour, #rrggbb */
			run = 0;
			continue;
		}
		run = *s >= '0' && *s <= '9' ? run + 1 : 0;
		if (run >= 6)
			return 1;
	}
	return 0;
}

/* What every SVG must be: an image with its title and description, nothing unsafe or NaN. */
static void check_svg(const char *s)
{
	check_true(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40) == 0);
	check_true(strstr(s, " role=\"img\"") != NULL);
	check_true(strstr(s, " aria-labelledby=\"c1-title c1-desc\"") != NULL);
	check_true(strstr(s, "<title id=\"c1-title\">A title</title>") != NULL);
	check_true(strstr(s, "<desc id=\"c1-desc\">What it shows.</desc>") != NULL);
	check_int(count(s, "NaN") + count(s, "nan") + count(s, "inf") + count(s, "script"), 0);
	check_int(count(s, "http"), 1);
	check_int(count(s, "<svg"), 1);
	check_true(!long_number(s)); /* a coordinate out of 0/0 or x/0 */
	check_true(strcmp(s + strlen(s) - 7, "</svg>\n") == 0);
}

static void test_every_kind(void **state)
{
	size_t k;

	(void)state;
	g_bad = 0;
	for (k = 0; k < N(kinds); k++) {
		est_chart c = chart_of(kinds[k], two, 2, 4);
		char *s1 = svg(&c), *s2 = svg(&c);
		check_true(s1 && s2);
		if (s1 && s2) {
			check_svg(s1);
			check_true(strcmp(s1, s2) == 0); /* the same bytes */
			if (kinds[k] != EST_CHART_SCATTER) /* a legend names every series */
				check_true(strstr(s1, ">Alpha</text>") && strstr(s1, ">Beta</text>"));
		}
		free(s1);
		free(s2);
	}
	finish();
}

/* All zeros, and a single category, draw without dividing by zero. */
static void test_zeros_and_one_category(void **state)
{
	est_chart_series z[] = {{"Zero", zeros, zeros, zeros, 0}, {"Zero too", zeros, zeros, zeros, 0}};
	size_t k, n;

	(void)state;
	g_bad = 0;
	for (k = 0; k < N(kinds); k++) {
		for (n = 1; n <= 4; n += 3) {
			est_chart c = chart_of(kinds[k], z, 2, n);
			char *s = svg(&c);
			check_true(s != NULL);
			if (s)
				check_svg(s);
			free(s);
			c = chart_of(kinds[k], two, 2, n);
			s = svg(&c);
			check_true(s != NULL);
			if (s)
				check_svg(s);
			free(s);
		}
	}
	finish();
}

static void test_limit_lines(void **state)
{
	est_chart_series s[] = {{"Demand", alpha, NULL, NULL, 0}, {"Existing supply", beta, NULL, NULL, 1}};
	est_chart c = chart_of(EST_CHART_LINES, s, 2, 4);
	char *text = svg(&c);

	(void)state;
	assert_non_null(text);
	/* the limit dashed (its line and its legend key), and labelled at its end */
	assert_int_equal(count(text, "stroke-dasharray"), 2);
	assert_int_equal(count(text, ">Existing supply</text>"), 2);
	/* the data line has a marker per point and one in the legend; the limit none */
	assert_int_equal(count(text, "<circle"), 5);
	free(text);
}

/* A limit over stacked columns: a dashed step, not stacked, its key a dashed line, labelled;
   the axis covers the taller of the stack and the limit. */
static void test_stacked_limit(void **state)
{
	static const double low[] = {1, 1, 1, 1}, high[] = {2, 2, 2, 2}, cap[] = {100, 100, 100, 100};
	est_chart_series s[] = {{"Low", low, NULL, NULL, 0}, {"High", high, NULL, NULL, 0},
				{"Installed", cap, NULL, NULL, 1}};
	est_chart c = chart_of(EST_CHART_STACKED, s, 3, 4);
	char *text = svg(&c);

	(void)state;
	assert_non_null(text);
	assert_int_equal(count(text, "stroke-dasharray"), 2);     /* the step and its key */
	assert_int_equal(count(text, ">Installed</text>"), 2);     /* the legend and the label */
	assert_int_equal(count(text, "<rect"), 4 * 2 + 2 + 1);     /* columns, 2 keys, background */
	assert_non_null(strstr(text, ">100</text>"));              /* a tick at the limit */
	free(text);
	s[2].limit = 0; /* stacked, the same values make a column of 103: the axis goes past 100 */
	text = svg(&c);
	assert_int_equal(count(text, "stroke-dasharray"), 0);
	assert_int_equal(count(text, "<rect"), 4 * 3 + 3 + 1);
	free(text);
}

/* User text cannot become markup: not in the SVG, the HTML or the Markdown. */
static void test_escaping(void **state)
{
	static const char *const cats[] = {"<b>x</b>", "a & b", "\"q\" 'r'", "p | q\tr\x01"};
	est_chart_series s[] = {{"<script>alert(1)</script>", alpha, NULL, NULL, 0}};
	est_chart c = {EST_CHART_COLUMNS, "c1", "T & <t>", "D \"d\"", "Input | x", "y * z", cats, 4,
		       s, 1, 0};
	est_buf b;
	est_error err;
	char *text;

	(void)state;
	g_bad = 0;
	est_buf_init(&b);
	check_int(est_chart_svg(&b, &c, &err), 0);
	text = est_buf_detach(&b, NULL);
	check_true(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	check_true(strstr(text, "<title id=\"c1-title\">T &amp; &lt;t&gt;</title>") != NULL);
	check_true(strstr(text, "<desc id=\"c1-desc\">D &quot;d&quot;</desc>") != NULL);
	check_true(strstr(text, ">&quot;q&quot; &#39;r&#39;</text>") != NULL);
	check_true(strstr(text, ">p | q r </text>") != NULL); /* controls as spaces */
	check_int(count(text, "<script") + count(text, "<b>"), 0);
	free(text);

	check_int(est_chart_table_html(&b, &c, &err), 0);
	text = est_buf_detach(&b, NULL);
	check_true(strstr(text, "<caption>T &amp; &lt;t&gt; (y * z)</caption>") != NULL);
	check_true(strstr(text, "<th scope=\"row\">&lt;b&gt;x&lt;/b&gt;</th>") != NULL);
	check_int(count(text, "<script") + count(text, "<b>"), 0);
	free(text);

	check_int(est_chart_table_markdown(&b, &c, &err), 0);
	text = est_buf_detach(&b, NULL);
	check_true(strstr(text, "**T &amp; \\<t\\>** (y \\* z)\n") != NULL);
	check_true(strstr(text, "| p \\| q r  | 1,250.0 |\n") != NULL);
	check_true(strstr(text, "| \\<b\\>x\\</b\\> | 10.0 |\n") != NULL);
	free(text);
	finish();
}

/* A long name is cut on the chart with an ellipsis (whole in the table); UTF-8 kept whole. */
static void test_long_names(void **state)
{
	static const char *const cats[] = {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
					   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"};
	est_chart_series s[] = {{"S", alpha, NULL, NULL, 0}};
	est_chart c = {EST_CHART_COLUMNS, "c1", "T", "D", NULL, NULL, cats, 1, s, 1, 0};
	char *text = svg(&c);

	(void)state;
	assert_non_null(text);
	/* 14 characters along the bottom: 13 and the ellipsis */
	assert_non_null(strstr(text, ">\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6</text>"));
	free(text);
}

typedef struct bad_case {
	const char *why;
	est_chart c;
} bad_case;

static void test_errors(void **state)
{
	static const double nan_v[] = {1, NAN, 3, 4}, inf_v[] = {1, 2, INFINITY, 4};
	static const double neg[] = {1, -2, 3, 4}, huge[] = {1e308, -1e308, 0, 0};
	static const est_chart_series nan_s[] = {{"N", nan_v, NULL, NULL, 0}};
	static const est_chart_series inf_s[] = {{"I", inf_v, NULL, NULL, 0}};
	static const est_chart_series neg_s[] = {{"Neg", neg, NULL, NULL, 0}};
	static const est_chart_series huge_s[] = {{"H", huge, NULL, NULL, 0}};
	static const est_chart_series noband[] = {{"B", alpha, NULL, NULL, 0}};
	static const est_chart_series nanband[] = {{"B", alpha, lo_a, nan_v, 0}};
	const bad_case cases[] = {
		{"no series", {EST_CHART_LINES, "c1", "T", "D", NULL, NULL, years, 4, two, 0, 0}},
		{"no category", {EST_CHART_LINES, "c1", "T", "D", NULL, NULL, years, 0, two, 2, 0}},
		{"NaN", {EST_CHART_LINES, "c1", "T", "D", NULL, NULL, years, 4, nan_s, 1, 0}},
		{"infinity", {EST_CHART_COLUMNS, "c1", "T", "D", NULL, NULL, years, 4, inf_s, 1, 0}},
		{"negative stacked", {EST_CHART_STACKED, "c1", "T", "D", NULL, NULL, years, 4, neg_s, 1, 0}},
		{"negative area", {EST_CHART_AREA, "c1", "T", "D", NULL, NULL, years, 4, neg_s, 1, 0}},
		{"band without lo/hi", {EST_CHART_BAND, "c1", "T", "D", NULL, NULL, years, 4, noband, 1, 0}},
		{"band with NaN", {EST_CHART_BAND, "c1", "T", "D", NULL, NULL, years, 4, nanband, 1, 0}},
		{"tornado of one", {EST_CHART_TORNADO, "c1", "T", "D", NULL, NULL, years, 4, two, 1, 0}},
		{"tornado NaN base", {EST_CHART_TORNADO, "c1", "T", "D", NULL, NULL, years, 4, two, 2, NAN}},
		{"scatter of one", {EST_CHART_SCATTER, "c1", "T", "D", NULL, NULL, years, 4, two, 1, 0}},
		{"id with a space", {EST_CHART_LINES, "c 1", "T", "D", NULL, NULL, years, 4, two, 2, 0}},
		{"id from a digit", {EST_CHART_LINES, "1c", "T", "D", NULL, NULL, years, 4, two, 2, 0}},
		{"no title", {EST_CHART_LINES, "c1", NULL, "D", NULL, NULL, years, 4, two, 2, 0}},
		{"empty description", {EST_CHART_LINES, "c1", "T", "", NULL, NULL, years, 4, two, 2, 0}},
		{"too wide", {EST_CHART_COLUMNS, "c1", "T", "D", NULL, NULL, years, 4, huge_s, 1, 0}},
	};
	size_t i;
	est_buf b;
	est_error err;

	(void)state;
	g_bad = 0;
	est_buf_init(&b);
	for (i = 0; i < N(cases); i++) {
		int svg_rc = est_chart_svg(&b, &cases[i].c, &err);
		if (svg_rc != EST_EINVALID || b.len != 0 || !err.message[0]) {
			print_error("%s: est_chart_svg gave %d, wrote %zu bytes\n", cases[i].why, svg_rc, b.len);
			g_bad++;
		}
		if (i + 1 < N(cases) && /* the tables draw no axis: too wide is fine there */
		    (est_chart_table_html(&b, &cases[i].c, &err) != EST_EINVALID ||
		     est_chart_table_markdown(&b, &cases[i].c, &err) != EST_EINVALID || b.len != 0)) {
			print_error("%s: a table was written\n", cases[i].why);
			g_bad++;
		}
	}
	est_buf_dispose(&b);
	finish();
}

/* The tables: a column's decimals shared, thousands separated; a band's three columns. */
static void test_tables(void **state)
{
	est_chart c = chart_of(EST_CHART_LINES, two, 2, 4);
	est_buf b;
	est_error err;
	char *text;

	(void)state;
	g_bad = 0;
	est_buf_init(&b);
	check_int(est_chart_table_markdown(&b, &c, &err), 0);
	text = est_buf_detach(&b, NULL);
	check_str(text, "**A title** (Power (kW))\n\n"
			"| Year | Alpha | Beta |\n"
			"| :--- | ---: | ---: |\n"
			"| 2026 | 10.0 | 5.00 |\n"
			"| 2027 | 25.5 | 5.00 |\n"
			"| 2028 | 40.0 | 7.25 |\n"
			"| 2029 | 1,250.0 | 9.00 |\n");
	free(text);

	c.kind = EST_CHART_BAND;
	check_int(est_chart_table_html(&b, &c, &err), 0);
	text = est_buf_detach(&b, NULL);
	check_true(strstr(text, "<th scope=\"col\" class=\"num\">Alpha (p5)</th>"
				"<th scope=\"col\" class=\"num\">Alpha (median)</th>"
				"<th scope=\"col\" class=\"num\">Alpha (p95)</th>") != NULL);
	check_true(strstr(text, "<tr><th scope=\"row\">2029</th><td class=\"num\">1,000</td>"
				"<td class=\"num\">1,250.0</td><td class=\"num\">1,500</td>") != NULL);
	check_int(count(text, "<tr>"), 5);
	free(text);

	c.kind = EST_CHART_TORNADO;
	check_int(est_chart_table_markdown(&b, &c, &err), 0);
	text = est_buf_detach(&b, NULL);
	check_true(strncmp(text, "**A title** (Power (kW)), from a base of 20\n", 44) == 0);
	free(text);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_hand),
		cmocka_unit_test(test_ticks_refused),
		cmocka_unit_test(test_ticks_random),
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_zeros_and_one_category),
		cmocka_unit_test(test_limit_lines),
		cmocka_unit_test(test_stacked_limit),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
