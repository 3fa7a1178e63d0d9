/*
 * The tidy rows (rows.h): the headline rows of a hand-built result, exact;
 * sampled ranges; a non-finite number refused before any row; a callback
 * that stops; the `all` rows equal to `run --format csv` line for line and
 * the headline rows among them, for shipped scenarios; NDJSON one line that
 * parses to the JSON document.
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
#include <cjson/cJSON.h>

#include "estimator/estimator.h"
#include "estimator/evaluate.h"
#include "estimator/rows.h"

/* ---- a hand-built result: one variant, two years ---- */

static char name_base[] = "base", empty[] = "";
static est_year years[2];
static est_variant variant;
static est_result result;

static void fill(est_year *y, int year, double k)
{
	memset(y, 0, sizeof(*y));
	y->year = year;
	y->inferences = 1000 * k;
	y->energy_kwh.facility = 12.5 * k;
	y->location_kg = 3.25 * k;
	y->market_kg = 1.5 * k;
	y->embodied_kg = 0.1 * k;
	y->water_l = 7 * k;
	y->capex = 150000 * k;
	y->opex = 2000.25 * k;
	y->accelerators.to_buy = 8 * k;
	y->servers.to_buy = k;
	y->storage_tb.to_buy = 0.5 * k;
	y->power_upgrade_kw = 10 * k;
}

static void build(void)
{
	memset(&result, 0, sizeof(result));
	memset(&variant, 0, sizeof(variant));
	fill(&years[0], 2026, 1);
	fill(&years[1], 2027, 2);
	fill(&variant.totals, 0, 3);
	variant.name = name_base;
	variant.description = empty;
	variant.years = years;
	variant.n_years = 2;
	result.variants = &variant;
	result.n_variants = 1;
	memcpy(result.currency, "EUR", 4);
}

typedef struct collect {
	size_t n;
	int stop_at;       /* > 0: return -7 at this row */
	char last[256];
} collect;

static int count_row(void *ctx, const est_row *row)
{
	collect *c = ctx;

	c->n++;
	snprintf(c->last, sizeof(c->last), "%s|%s|%s|%s|%s|%s", row->scenario, row->variant,
		 row->year, row->metric, row->value, row->unit);
	return c->stop_at > 0 && c->n == (size_t)c->stop_at ? -7 : 0;
}

static char *rows(const est_result *r, const char *scenario, est_metrics m)
{
	char *text = NULL;
	est_error err;

	assert_int_equal(est_rows_csv(&text, NULL, r, scenario, m, &err), 0);
	return text;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_headline_rows(void **state)
{
	char *text;

	(void)state;
	build();
	text = rows(&result, "dir/a.yaml", EST_METRICS_HEADLINE);
	assert_int_equal(count_lines(text), 3 * 12);
	assert_non_null(strstr(text, "dir/a.yaml,base,2026,inferences,1000,count\n"
				     "dir/a.yaml,base,2026,energy_kwh.facility,12.5,kWh\n"
				     "dir/a.yaml,base,2026,emissions_kgco2e.location_based,3.25,kgCO2e\n"));
	assert_non_null(strstr(text, "dir/a.yaml,base,2027,cost.opex,4000.5,EUR\n"));
	assert_non_null(strstr(text, "dir/a.yaml,base,total,cost.capex,450000,EUR\n"));
	/* the last row: the totals' last headline metric */
	assert_non_null(strstr(text, "dir/a.yaml,base,total,power_kw.upgrade,30,kW\n"));
	assert_string_equal(text + strlen(text) - strlen("power_kw.upgrade,30,kW\n"),
			    "power_kw.upgrade,30,kW\n");
	free(text);

	text = rows(&result, "a,\"b\".yaml", EST_METRICS_HEADLINE); /* quoted per RFC 4180 */
	assert_memory_equal(text, "\"a,\"\"b\"\".yaml\",base,2026,inferences,1000,count\n", 46);
	free(text);
}

static void test_headline_ranges(void **state)
{
	char *text;
	size_t h;

	(void)state;
	build();
	result.samples = 100;
	variant.totals.has_ranges = 1;
	for (h = 0; h < EST_HEADLINES; h++) {
		est_range x = {1, 2, 3.5, 2.25};
		variant.totals.ranges[h] = x;
	}
	text = rows(&result, "s", EST_METRICS_HEADLINE);
	assert_int_equal(count_lines(text), 3 * 12 + 12 * 4);
	assert_non_null(strstr(text, "s,base,total,power_kw.upgrade,30,kW\n"
				     "s,base,total,uncertainty.inferences.p5,1,count\n"
				     "s,base,total,uncertainty.inferences.p50,2,count\n"
				     "s,base,total,uncertainty.inferences.p95,3.5,count\n"
				     "s,base,total,uncertainty.inferences.mean,2.25,count\n"));
	assert_non_null(strstr(text, "s,base,total,uncertainty.cost.capex.p95,3.5,EUR\n"));
	free(text);
}

static void test_nonfinite_and_stop(void **state)
{
	collect c;
	est_error err;

	(void)state;
	build();
	years[1].water_l = NAN;
	memset(&c, 0, sizeof(c));
	assert_int_equal(est_rows_each(&result, "s", EST_METRICS_HEADLINE, count_row, &c, &err),
			 EST_EINTERNAL);
	assert_int_equal(c.n, 0);
	assert_string_equal(err.message, "variants[0].years[1].water_l is not a finite number (nan)");
	memset(&c, 0, sizeof(c));
	assert_int_equal(est_rows_each(&result, "s", EST_METRICS_ALL, count_row, &c, &err),
			 EST_EINTERNAL);
	assert_int_equal(c.n, 0);

	build();
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	assert_int_equal(est_rows_each(&result, "s", EST_METRICS_HEADLINE, count_row, &c, &err), -7);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.last, "s|base|2026|energy_kwh.facility|12.5|kWh");
	memset(&c, 0, sizeof(c));
	c.stop_at = 3;
	assert_int_equal(est_rows_each(&result, "s", EST_METRICS_ALL, count_row, &c, &err), -7);
	assert_int_equal(c.n, 3);
}

static void test_metrics_parse(void **state)
{
	est_metrics m = EST_METRICS_ALL;

	(void)state;
	assert_int_equal(est_metrics_parse(&m, "headline"), 0);
	assert_int_equal(m, EST_METRICS_HEADLINE);
	assert_int_equal(est_metrics_parse(&m, "all"), 0);
	assert_int_equal(m, EST_METRICS_ALL);
	assert_int_equal(est_metrics_parse(&m, "headlines"), EST_EUSAGE);
	assert_int_equal(m, EST_METRICS_ALL);
}

/*
 * `all` is the CSV renderer's table with the scenario first, line for line;
 * every headline row is one of its lines.
 */
static void check_against_csv(const est_result *r, const char *scenario)
{
	char *csv = NULL, *all = rows(r, scenario, EST_METRICS_ALL);
	char *head = rows(r, scenario, EST_METRICS_HEADLINE);
	char *line, *save = NULL, *at;
	size_t n_csv = 0, len = strlen(scenario);
	est_error err;

	assert_int_equal(est_render(&csv, NULL, r, EST_FORMAT_CSV, &err), 0);
	at = all;
	line = strchr(csv, '\n') + 1; /* past the header */
	while (*line) {
		char *end = strchr(line, '\n');
		assert_non_null(end);
		assert_memory_equal(at, scenario, len);
		assert_int_equal(at[len], ',');
		assert_memory_equal(at + len + 1, line, (size_t)(end - line + 1));
		at += len + 1 + (size_t)(end - line + 1);
		line = end + 1;
		n_csv++;
	}
	assert_string_equal(at, "");
	assert_int_equal(count_lines(all), n_csv);
	for (line = strtok_r(head, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char needle[512];
		snprintf(needle, sizeof(needle), "\n%s\n", line);
		if (!strstr(all, needle) && strncmp(all, needle + 1, strlen(needle + 1))) {
			print_error("headline row not among all rows: %s\n", line);
			fail();
		}
	}
	free(csv);
	free(all);
	free(head);
}

/* NDJSON: one line, ending in LF, that parses to the pretty document. */
static void check_ndjson(const est_result *r)
{
	char *line = NULL, *pretty = NULL;
	cJSON *a, *b;
	size_t len;
	est_error err;

	assert_int_equal(est_rows_ndjson(&line, &len, r, &err), 0);
	assert_int_equal(strlen(line), len);
	assert_int_equal(count_lines(line), 1);
	assert_int_equal(line[len - 1], '\n');
	assert_memory_equal(line, "{\"format\":\"estimator-result/1\",", 31);
	assert_int_equal(est_render(&pretty, NULL, r, EST_FORMAT_JSON, &err), 0);
	a = cJSON_Parse(line);
	b = cJSON_Parse(pretty);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(cJSON_Compare(a, b, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	free(line);
	free(pretty);
}

static void test_hand_built_all(void **state)
{
	(void)state;
	build();
	check_against_csv(&result, "hand");
	check_ndjson(&result);
}

/* Shipped scenarios, sampled (uncertainty:) and with variants (vs_base, delta). */
static void test_shipped(void **state)
{
	static const char *const files[] = {
		EST_TEST_SCENARIOS "/uncertain-assistant-rollout.yaml",
		EST_TEST_SCENARIOS "/whatif-infrastructure.yaml",
		EST_TEST_SCENARIOS "/bank-documents.yaml",
	};
	est_profiles *p = NULL;
	est_error err;
	size_t i;

	(void)state;
	assert_int_equal(est_profiles_load(&p, EST_TEST_PROFILES, &err), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		est_eval_options o = est_eval_options_run();
		est_evaluation ev;
		o.samples = 64; /* the rollout's own 2000 are slow under a sanitizer */
		assert_int_equal(est_evaluate(&ev, files[i], p, &o, &err), 0);
		check_against_csv(ev.result, files[i]);
		check_ndjson(ev.result);
		est_evaluation_free(&ev);
	}
	est_profiles_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headline_rows),
		cmocka_unit_test(test_headline_ranges),
		cmocka_unit_test(test_nonfinite_and_stop),
		cmocka_unit_test(test_metrics_parse),
		cmocka_unit_test(test_hand_built_all),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
