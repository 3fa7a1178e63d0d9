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

/* The rows of a Markdown table whose header line is `head`: up to 12 numbers a row, commas dropped. */
static size_t table_rows(const char *out, const char *head, double rows[][12], size_t max_rows)
{
	const char *p = strstr(out, head);
	size_t n = 0;

	if (!p)
		return 0;
	p = strchr(p, '\n');
	p = p ? strchr(p + 1, '\n') : NULL; /* the alignment line */
	while (p && p[1] == '|' && n < max_rows) {
		char line[512], *c, *end;
		const char *q;
		size_t k = 0, o = 0;
		const char *e = strchr(p + 1, '\n');
		size_t len = e ? (size_t)(e - p - 1) : strlen(p + 1);
		for (q = p + 1; (size_t)(q - p - 1) < len && o + 1 < sizeof(line); q++)
			if (*q != ',')
				line[o++] = *q;
		line[o] = '\0';
		for (c = line; (c = strchr(c, '|')) != NULL && k < 12; c++) {
			double x = strtod(c + 1, &end);
			if (end != c + 1)
				rows[n][k++] = x;
		}
		n++;
		p = e;
	}
	return n;
}

/* The capacity and power tables against the result: installed = in place + bought, never below required;
   the power capacity with the year's upgrade never below the IT peak. */
static void expect_capacity(const char *out, const char *name, const est_variant *v, int r_has_target)
{
	double rows[64][12];
	size_t n, i;

	n = table_rows(out, "| year | accelerators required | accelerators installed |", rows, 64);
	if (n != v->n_years)
		fail_msg("%s: accelerators table has %zu rows for %zu years", name, n, v->n_years);
	for (i = 0; i < n; i++) {
		const est_year *y = &v->years[i];
		assert_true(rows[i][0] == y->year);
		assert_true(rows[i][1] == y->accelerators.required);
		assert_true(rows[i][2] == y->accelerators.existing + y->accelerators.to_buy);
		if (rows[i][2] < rows[i][1])
			fail_msg("%s %d: accelerators installed below required", name, y->year);
	}
	n = table_rows(out, "| year | servers required | servers installed | racks required | racks installed |",
		       rows, 64);
	if (n != v->n_years)
		fail_msg("%s: servers table has %zu rows for %zu years", name, n, v->n_years);
	for (i = 0; i < n; i++) {
		const est_year *y = &v->years[i];
		assert_true(rows[i][1] == y->servers.required);
		assert_true(rows[i][2] == y->servers.existing + y->servers.to_buy);
		assert_true(rows[i][3] == y->racks.required);
		assert_true(rows[i][4] == y->racks.existing + y->racks.to_buy);
		if (rows[i][2] < rows[i][1] || rows[i][4] < rows[i][3])
			fail_msg("%s %d: servers or racks installed below required", name, y->year);
	}
	n = table_rows(out, "| year | model weights | outputs and logs kept | datasets | installed |", rows, 64);
	if (n != v->n_years)
		fail_msg("%s: storage table has %zu rows for %zu years", name, n, v->n_years);
	for (i = 0; i < n; i++) {
		const est_year *y = &v->years[i];
		double installed = y->storage_tb.existing + y->storage_tb.to_buy;
		/* the table shows 3 significant figures or more: within 0.5 % */
		if (fabs(rows[i][1] + rows[i][2] + rows[i][3] - y->storage_tb.required) >
		    0.005 * y->storage_tb.required + 1e-3)
			fail_msg("%s %d: storage kinds %g + %g + %g, required %g", name, y->year,
				 rows[i][1], rows[i][2], rows[i][3], y->storage_tb.required);
		if (fabs(rows[i][4] - installed) > 0.005 * installed + 1e-3)
			fail_msg("%s %d: storage installed %g, in place + bought %g", name, y->year,
				 rows[i][4], installed);
		if (installed + 1e-9 < y->storage_tb.required)
			fail_msg("%s %d: storage installed below required", name, y->year);
	}
	n = table_rows(out, "| year | budget less counted |", rows, 64);
	if (n != (r_has_target ? v->n_years : 0))
		fail_msg("%s: the gap table has %zu rows for %zu years", name, n, v->n_years);
	for (i = 0; i < n; i++) {
		double want = (v->years[i].budget_kg - v->years[i].counted_kg) / 1000;
		if (fabs(rows[i][1] - want) > 0.005 * fabs(want) + 0.01)
			fail_msg("%s %d: gap %g, budget less counted %g", name, v->years[i].year, rows[i][1], want);
	}
	n = table_rows(out, "| year | IT peak | facility peak | IT capacity at the start of the year | "
			    "IT capacity with the upgrade |", rows, 64);
	if (n != v->n_years)
		fail_msg("%s: power table has %zu rows for %zu years", name, n, v->n_years);
	for (i = 0; i < n; i++)
		if (rows[i][4] + 0.05 < rows[i][1]) /* one decimal shown */
			fail_msg("%s %d: IT peak %g kW above the capacity with the upgrade %g kW", name,
				 v->years[i].year, rows[i][1], rows[i][4]);
}

/* Section 15 lists the records a scenario (the base or a variant) reads, and the variant's own defaults. */
static void expect_records(const char *out, const char *name, const est_scenario *s)
{
	char want[256];
	const char *sources = strstr(out, "\n## Assumptions and sources\n");
	size_t i;

	assert_non_null(sources);
	/* Markdown escapes the underscores of ids */
	snprintf(want, sizeof(want), "\n- grid %s: ", s->grid->id);
	if (!strchr(s->grid->id, '_') && !strstr(sources, want))
		fail_msg("%s: no source line for grid %s", name, s->grid->id);
	snprintf(want, sizeof(want), "\n- facility class %s: ", s->facility->id);
	if (!strchr(s->facility->id, '_') && !strstr(sources, want))
		fail_msg("%s: no source line for facility class %s", name, s->facility->id);
	snprintf(want, sizeof(want), "\n- accelerator %s: ", s->server->accelerator->id);
	if (!strchr(s->server->accelerator->id, '_') && !strstr(sources, want))
		fail_msg("%s: no source line for accelerator %s", name, s->server->accelerator->id);
	if (s->instance) {
		snprintf(want, sizeof(want), "\n- cloud instance %s: ", s->instance->id);
		if (!strstr(sources, want))
			fail_msg("%s: no source line for cloud instance %s", name, s->instance->id);
	}
	for (i = 0; s->name && i < s->n_notes; i++) {
		if (strpbrk(s->notes[i], "_*[]<>|#`\\"))
			continue; /* escaped in Markdown */
		if (!strstr(sources, s->notes[i]))
			fail_msg("%s: the note '%s' is not in section 15", name, s->notes[i]);
	}
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
			expect_capacity(out, file, v, r->has_target);
			expect_records(out, file, s);
			for (i = 0; i < s->n_variants; i++)
				expect_records(out, file, s->variants[i]);
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

/* Ten workloads: seven in the demand chart and the other three as one; every row sums to the year. */
static void test_many_workloads(void **state)
{
	char yaml[8192];
	size_t at, w, i;
	est_profiles *p = NULL;
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_report_item it;
	est_error err;
	double rows[64][12];
	char *out;

	(void)state;
	at = (size_t)snprintf(yaml, sizeof(yaml),
			      "version: 1\nname: Ten workloads\nhorizon: {start_year: 2026, years: 3}\n"
			      "site: {grid: FRA}\ndeployment: {accelerator: l40s}\n"
			      "costs: {currency: EUR, exchange_rates: {USD: 0.92}}\nworkloads:\n");
	for (w = 0; w < 10; w++)
		at += (size_t)snprintf(yaml + at, sizeof(yaml) - at,
				       "  - {name: w%zu, task: text_classification, demand: %zu000/day, "
				       "growth: 10%%}\n", w, w + 1);
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	if (est_scenario_load_buffer(&s, "ten.yaml", yaml, at, p, &err) != 0 ||
	    est_model_run(&r, s, p, &err) != 0)
		fail_msg("ten workloads: %s", err.message);
	memset(&it, 0, sizeof(it));
	it.scenario = s;
	it.result = r;
	it.file = "ten.yaml";
	out = render(&it, EST_REPORT_MARKDOWN);
	assert_non_null(strstr(out, "| year | w0 | w1 | w2 | w3 | w4 | w5 | w6 | the other 3 workloads |"));
	assert_int_equal(table_rows(out, "| year | w0 | w1 |", rows, 64), 3);
	for (i = 0; i < 3; i++) {
		double sum = 0, by_hand = 0;
		size_t k;
		for (k = 1; k <= 8; k++)
			sum += rows[i][k];
		for (w = 0; w < 10; w++) /* (w + 1) x 1,000 a day, growing 10 % a year, in millions */
			by_hand += (double)(w + 1) * 1000 * 365 * pow(1.1, (double)i) / 1e6;
		if (fabs(sum - by_hand) > 0.01 * by_hand)
			fail_msg("%zu: the demand table sums to %g million, by hand %g", i, sum, by_hand);
		/* the other three: w7, w8, w9 */
		by_hand = (8 + 9 + 10) * 1000.0 * 365 * pow(1.1, (double)i) / 1e6;
		if (fabs(rows[i][8] - by_hand) > 0.01 * by_hand)
			fail_msg("%zu: the other workloads %g million, by hand %g", i, rows[i][8], by_hand);
	}
	free(out);
	est_result_free(r);
	est_scenario_free(s);
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
		cmocka_unit_test(test_many_workloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
