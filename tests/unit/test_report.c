/*
 * est_report_render (report.h) on every shipped scenario, in HTML and
 * Markdown: the 15 section titles in order, the decision summary's figures
 * equal to the result's totals (formatted here by the test's own code),
 * the page self-contained (a Content-Security-Policy forbidding the
 * network, no script, no external reference), every chart an <svg
 * role="img"> with its data table, the same bytes twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <estimator/estimator.h>

static const char *const sections[] = {
	"Decision summary", "Demand", "Capacity plan", "Purchase schedule", "Power and cooling",
	"Storage plan", "Cost", "Energy and site indicators", "Scope 2 emissions",
	"Embodied and operational emissions", "Emissions against the target", "Water",
	"Alternatives", "Uncertainty and sensitivity", "Assumptions and sources",
};

/* v rounded to `decimals`, with ',' between thousands: written here, not with format.c. */
static void fmt(char *out, size_t size, double v, int decimals)
{
	char raw[64], *dot;
	size_t n, i, o = 0, lead;

	snprintf(raw, sizeof(raw), "%.*f", decimals, fabs(v) < 0.5 * pow(10, -decimals) ? 0 : v);
	dot = strchr(raw, '.');
	n = dot ? (size_t)(dot - raw) : strlen(raw);
	lead = raw[0] == '-';
	for (i = 0; i < n && o + 2 < size; i++) {
		if (i > lead && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	snprintf(out + o, size - o, "%s", dot ? dot : "");
}

static char *render(const est_report_item *it, est_report_format f)
{
	est_report_input in;
	est_error err;
	char *out = NULL;
	size_t len = 0;

	memset(&in, 0, sizeof(in));
	in.items = it;
	in.n_items = 1;
	in.profiles_digest = "0000";
	if (est_report_render(&out, &len, &in, f, &err) != 0)
		fail_msg("report: %s", err.message);
	assert_true(len == strlen(out));
	return out;
}

static void expect_sections(const char *out, const char *name, int html)
{
	const char *at = out, *p;
	char want[128];
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if (html)
			snprintf(want, sizeof(want), "\">%s</h2>", sections[i]);
		else
			snprintf(want, sizeof(want), "\n## %s\n", sections[i]);
		p = strstr(at, want);
		if (!p)
			fail_msg("%s: section '%s' missing or out of order", name, sections[i]);
		at = p + 1;
	}
}

static void expect_figure(const char *out, const char *name, const char *label, double v,
			  int decimals, const char *unit, int html)
{
	char n[64], want[256];

	fmt(n, sizeof(n), v, decimals);
	if (html)
		snprintf(want, sizeof(want), "<li>%s: <b>%s %s</b></li>", label, n, unit);
	else
		snprintf(want, sizeof(want), "- %s: **%s %s**", label, n, unit);
	if (!strstr(out, want))
		fail_msg("%s: no \"%s\"", name, want);
}

static void one(est_profiles *p, const char *dir, const char *file)
{
	char path[1024];
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	est_report_item it;
	const est_variant *v;
	double peak = 0;
	size_t i, svgs = 0, tables = 0;
	int html;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (est_scenario_load(&s, path, p, &err) != 0 || est_model_run(&r, s, p, &err) != 0)
		fail_msg("%s: %s", file, err.message);
	memset(&it, 0, sizeof(it));
	it.scenario = s;
	it.result = r;
	it.file = path;
	it.file_digest = "ffff";
	v = &r->variants[0];
	for (i = 0; i < v->n_years; i++)
		peak = fmax(peak, v->years[i].it_peak_kw);
	for (html = 0; html <= 1; html++) {
		char *out = render(&it, html ? EST_REPORT_HTML : EST_REPORT_MARKDOWN);
		char *again = render(&it, html ? EST_REPORT_HTML : EST_REPORT_MARKDOWN);
		const char *c;
		assert_string_equal(out, again);
		expect_sections(out, file, html);
		expect_figure(out, file, "Capex over the horizon", v->totals.capex, 0, r->currency, html);
		expect_figure(out, file, "Total cost of ownership", v->totals.cost, 0, r->currency, html);
		expect_figure(out, file, "Net present value", v->totals.npv, 0, r->currency, html);
		expect_figure(out, file, "Cost per 1,000 inferences", v->totals.cost_per_1000, 3, r->currency,
			      html);
		expect_figure(out, file, "Peak IT power", peak, 1, "kW", html);
		expect_figure(out, file, "Location-based emissions", v->totals.location_kg / 1000, 1, "tCO2e",
			      html);
		expect_figure(out, file, "Market-based emissions", v->totals.market_kg / 1000, 1, "tCO2e",
			      html);
		expect_figure(out, file, "Embodied emissions", v->totals.embodied_kg / 1000, 1, "tCO2e", html);
		if (html) {
			assert_non_null(strstr(out, "<meta http-equiv=\"Content-Security-Policy\" "
						    "content=\"default-src 'none';"));
			assert_null(strstr(out, "<script"));
			assert_null(strstr(out, "src=\""));
			assert_null(strstr(out, "href=\""));
			assert_null(strstr(out, "url("));
			for (c = out; (c = strstr(c, "<svg ")) != NULL; c++, svgs++)
				if (strncmp(strstr(c, "role="), "role=\"img\"", 10))
					fail_msg("%s: an svg without role=img", file);
			for (c = out; (c = strstr(c, "<table")) != NULL; c++)
				tables++;
			/* every chart with its table (and the purchase and site tables beside) */
			if (svgs < 10 || tables < svgs)
				fail_msg("%s: %zu charts, %zu tables", file, svgs, tables);
			assert_non_null(strstr(out, "@bottom-right { content: \"page \" counter(page)"));
		} else {
			assert_null(strstr(out, "<svg"));
		}
		free(out);
		free(again);
	}
	est_result_free(r);
	est_scenario_free(s);
}

static void test_shipped_scenarios(void **state)
{
	est_profiles *p = NULL;
	est_error err;
	struct dirent **names;
	int n, i, seen = 0;

	(void)state;
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	n = scandir(EST_TEST_SCENARIOS, &names, NULL, alphasort);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);
		if (len > 5 && !strcmp(names[i]->d_name + len - 5, ".yaml")) {
			one(p, EST_TEST_SCENARIOS, names[i]->d_name);
			seen++;
		}
		free(names[i]);
	}
	free(names);
	assert_true(seen >= 7);
	est_profiles_free(p);
}

/* The test's formatter against hand-written strings (it must be right to check the report). */
static void test_fmt(void **state)
{
	char out[64];

	(void)state;
	fmt(out, sizeof(out), 1599841.4, 0);
	assert_string_equal(out, "1,599,841");
	fmt(out, sizeof(out), 1.48751, 3);
	assert_string_equal(out, "1.488");
	fmt(out, sizeof(out), 145042.6 / 1000, 1);
	assert_string_equal(out, "145.0");
	fmt(out, sizeof(out), 999.96, 1);
	assert_string_equal(out, "1,000.0");
	fmt(out, sizeof(out), -1234.5, 0);
	assert_string_equal(out, "-1,234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_shipped_scenarios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
