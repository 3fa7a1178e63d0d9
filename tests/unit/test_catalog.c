/*
 * Browsing the profile library (estimator/lib/catalog*.c): est_catalog_list
 * and est_catalog_show on tests/data/profiles-mini and profiles-ext, whose
 * figures are read from their YAML files (each check names the file), on a
 * small library written by the test (aliases, an embodied range, a grid price
 * and an id shared by two kinds), and on the real profiles/, which is still
 * growing: there only counts and the validity of every record are checked.
 * Every JSON output is parsed with cJSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <estimator/estimator.h>

#ifndef EST_TEST_DATA
#error "EST_TEST_DATA must name tests/data"
#endif

#include "check.h"

#define MINI EST_TEST_DATA "/profiles-mini"
#define EXT EST_TEST_DATA "/profiles-ext"

static est_profiles *mini, *ext;

static est_profiles *load(const char *dir)
{
	est_profiles *p = NULL;
	est_error err;

	est_error_clear(&err);
	if (est_profiles_load(&p, dir, &err) != 0)
		print_error("cannot load %s: %s:%d:%d: %s\n", dir, err.file, err.line, err.column,
			    err.message);
	return p;
}

static int load_data(void **state)
{
	(void)state;
	mini = load(MINI);
	ext = load(EXT);
	return mini && ext ? 0 : -1;
}

static int free_data(void **state)
{
	(void)state;
	est_profiles_free(mini);
	est_profiles_free(ext);
	return 0;
}

/* ---- helpers ---- */

static char *list(const est_profiles *p, int kind, const char *task, const char *text,
		  est_format fmt)
{
	est_catalog_filter f = {kind, task, text};
	est_error err;
	char *out = NULL;
	size_t len = 0;
	int rc;

	est_error_clear(&err);
	rc = est_catalog_list(&out, &len, p, &f, fmt, &err);
	if (rc != 0)
		fail_msg("est_catalog_list: %d %s", rc, err.message);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

static cJSON *parse(char *text)
{
	cJSON *j = cJSON_Parse(text);

	if (!j)
		fail_msg("not JSON:\n%s", text);
	free(text);
	return j;
}

static cJSON *list_json(const est_profiles *p, int kind, const char *task, const char *text)
{
	cJSON *j = parse(list(p, kind, task, text, EST_FORMAT_JSON));

	check_str(cJSON_GetStringValue(cJSON_GetObjectItem(j, "format")), "estimator-profiles/1");
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(j, "records")),
		  cJSON_GetNumberValue(cJSON_GetObjectItem(j, "count")));
	return j;
}

static char *show(const est_profiles *p, const char *id, int kind, est_format fmt)
{
	est_error err;
	char *out = NULL;
	size_t len = 0;
	int rc;

	est_error_clear(&err);
	rc = est_catalog_show(&out, &len, p, id, kind, fmt, &err);
	if (rc != 0)
		fail_msg("est_catalog_show %s: %d %s", id, rc, err.message);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	return out;
}

static cJSON *show_json(const est_profiles *p, const char *id, int kind)
{
	cJSON *j = parse(show(p, id, kind, EST_FORMAT_JSON));

	check_str(cJSON_GetStringValue(cJSON_GetObjectItem(j, "format")), "estimator-profiles/1");
	check_str(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "record"), "id")),
		  id);
	return j;
}

static const cJSON *record(const cJSON *list_out, const char *id)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(list_out, "records"))
		if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(r, "id")), id))
			return r;
	fail_msg("no record '%s'", id);
	return NULL;
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(v)) {
		print_error("no number '%s'\n", key);
		g_bad++;
		return NAN;
	}
	return v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return s ? s : "(missing)";
}

static int has(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItem(o, key) != NULL;
}

/* The ids of a JSON array of strings, joined by ','. */
static const char *joined(const cJSON *array, char *buf, size_t size)
{
	const cJSON *s;

	buf[0] = '\0';
	cJSON_ArrayForEach(s, array) {
		if (buf[0])
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, cJSON_GetStringValue(s) ? cJSON_GetStringValue(s) : "?",
			size - strlen(buf) - 1);
	}
	return buf;
}

static size_t count_kind(const cJSON *list_out, const char *kind)
{
	const cJSON *r;
	size_t n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(list_out, "records"))
		n += !strcmp(str(r, "kind"), kind);
	return n;
}

/* ---- list, profiles-mini ---- */

static void test_list_counts(void **state)
{
	/* records per kind in tests/data/profiles-mini: sources.yaml, tasks/ (2 models each), ... */
	static const struct { const char *kind; size_t n; } want[] = {
		{"sources", 2}, {"tasks", 2}, {"models", 4}, {"accelerators", 2}, {"servers", 3},
		{"grids", 1}, {"prices", 0}, {"facilities", 2}, {"storage", 2}, {"equivalences", 2},
		{"cloud-providers", 0}, {"cloud-instances", 0}, /* no cloud/ folder */
	};
	cJSON *j = list_json(mini, -1, NULL, NULL);
	const cJSON *recs = cJSON_GetObjectItem(j, "records");
	size_t i;
	(void)state;

	check_int(num(j, "count"), 20);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		check_int(count_kind(j, want[i].kind), want[i].n);
		check_int(est_record_kind_parse(want[i].kind), (int)i);
	}
	/* library order: sources first, then the tasks' models task by task */
	check_str(str(cJSON_GetArrayItem(recs, 0), "id"), "mini-measure");
	check_str(str(cJSON_GetArrayItem(recs, 4), "id"), "mini/image_generation/img-a");
	check_str(str(cJSON_GetArrayItem(recs, 19), "id"), "car_km");
	cJSON_Delete(j);
	finish();
}

static void test_list_fields(void **state)
{
	cJSON *j = list_json(mini, -1, NULL, NULL);
	const cJSON *r;
	char buf[256];
	(void)state;

	/* tasks/text_generation.yaml: small-lm energy 0.04 Wh, node boundary, ref-gpu */
	r = record(j, "mini/text_generation/small-lm");
	check_str(str(r, "kind"), "models");
	check_str(str(r, "model"), "test/small-lm");
	check_close(num(r, "energy_wh"), 0.04);
	check_str(str(r, "unit"), "inference");
	check_str(str(r, "boundary"), "node");
	check_str(str(r, "hardware"), "ref-gpu");
	check_str(str(r, "model_kind"), "task-specific");
	check_str(joined(cJSON_GetObjectItem(r, "sources"), buf, sizeof buf), "mini-measure");
	check_true(!has(r, "energy_std_wh")); /* a `show` field, not a key figure */
	r = record(j, "mini/text_generation/big-lm");
	check_close(num(r, "energy_wh"), 0.2);
	check_str(str(r, "model_kind"), "multi-purpose");
	/* tasks/image_generation.yaml: GPU boundary */
	r = record(j, "mini/image_generation/img-a");
	check_close(num(r, "energy_wh"), 1.5);
	check_str(str(r, "boundary"), "gpu");
	/* statistics.mean 0.05 Wh, 2 models */
	r = record(j, "text_generation");
	check_str(str(r, "name"), "Text generation");
	check_int(num(r, "n_models"), 2);
	check_close(num(r, "mean_wh"), 0.05);
	/* hardware/accelerators.yaml */
	r = record(j, "ref-gpu");
	check_str(str(r, "name"), "Reference GPU (test)");
	check_close(num(r, "max_power_w"), 400);
	check_close(num(r, "idle_power_w"), 40);
	check_close(num(r, "relative_energy"), 1);
	check_close(num(record(j, "fast-gpu"), "relative_energy"), 0.5);
	check_str(joined(cJSON_GetObjectItem(r, "sources"), buf, sizeof buf), "mini-hardware");
	/* hardware/servers.yaml */
	r = record(j, "fast-server");
	check_int(num(r, "accelerators"), 8);
	check_str(str(r, "accelerator"), "fast-gpu");
	check_close(num(r, "max_power_kw"), 8);
	check_close(num(r, "embodied_kgco2e"), 3000);
	/* grids/test.yaml */
	r = record(j, "TST");
	check_str(str(r, "name"), "Testland");
	check_close(num(r, "intensity_gco2e_per_kwh"), 400);
	check_int(num(r, "year"), 2024);
	check_str(str(r, "grid_kind"), "country");
	check_close(num(r, "price_per_kwh"), 0.2);
	check_str(str(r, "currency"), "EUR");
	/* facility.yaml */
	r = record(j, "enterprise");
	check_close(num(r, "pue"), 1.5);
	check_close(num(r, "wue_l_per_kwh"), 2);
	check_close(num(r, "rack_power_kw"), 10);
	/* storage.yaml */
	r = record(j, "hdd");
	check_close(num(r, "power_w_per_tb"), 0.5);
	check_close(num(r, "embodied_kgco2e_per_tb"), 20);
	/* equivalences.yaml: energy 0.02 kWh, emissions 0.25 kgCO2e */
	check_close(num(record(j, "phone_charges"), "energy_kwh"), 0.02);
	r = record(j, "car_km");
	check_close(num(r, "emissions_kgco2e"), 0.25);
	check_true(!has(r, "energy_kwh"));
	/* sources.yaml */
	r = record(j, "mini-measure");
	check_int(num(r, "year"), 2025);
	check_str(str(r, "title"), "Hand-made energy figures for the estimator unit tests");
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(r, "sources")), 0);
	cJSON_Delete(j);
	finish();
}

static void test_list_filters(void **state)
{
	static const struct {
		int kind;
		const char *task, *text;
		const char *ids; /* in library order */
	} cases[] = {
		{EST_RECORD_MODEL, NULL, NULL,
		 "mini/image_generation/img-a,mini/image_generation/img-b,"
		 "mini/text_generation/small-lm,mini/text_generation/big-lm"},
		{-1, "text_generation", NULL,
		 "text_generation,mini/text_generation/small-lm,mini/text_generation/big-lm"},
		{EST_RECORD_MODEL, "image_generation", NULL,
		 "mini/image_generation/img-a,mini/image_generation/img-b"},
		{EST_RECORD_GRID, "image_generation", NULL, ""},
		{-1, NULL, "gpu", "ref-gpu,fast-gpu"},           /* ids; server ids say "server" */
		{-1, NULL, "TESTLAND", "TST"},                   /* a name, in any case */
		{-1, NULL, "small", "mini/text_generation/small-lm"},
		{-1, NULL, "test/img", "mini/image_generation/img-a,mini/image_generation/img-b"},
		{EST_RECORD_SERVER, NULL, "half", "fast-server-half"},
		{EST_RECORD_ACCELERATOR, NULL, "server", ""},
		{-1, NULL, "zzz", ""},
	};
	char got[1024], buf[256];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *j = list_json(mini, cases[i].kind, cases[i].task, cases[i].text);
		const cJSON *r;

		got[0] = '\0';
		cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "records")) {
			snprintf(buf, sizeof buf, "%s%s", got[0] ? "," : "", str(r, "id"));
			strncat(got, buf, sizeof got - strlen(got) - 1);
		}
		check_str(got, cases[i].ids);
		cJSON_Delete(j);
	}
	finish();
}

static void test_list_text(void **state)
{
	char *a = list(mini, -1, NULL, NULL, EST_FORMAT_TEXT);
	char *b = list(mini, -1, NULL, NULL, EST_FORMAT_TEXT);
	char *t;
	(void)state;

	check_str(a, b); /* deterministic */
	check_true(!strncmp(a, "sources (2)\n  mini-measure ", 27));
	check_true(strstr(a, "\n\nmodels (4)\n") != NULL);
	check_true(strstr(a, "\n  mini/text_generation/small-lm  test/small-lm  0.04 Wh per inference"
			     "  node  ref-gpu  task-specific  mini-measure\n") != NULL);
	check_true(strstr(a, "\n  TST  Testland  400 gCO2e/kWh  2024  country  0.2 EUR/kWh"
			     "  mini-hardware\n") != NULL);
	check_true(strstr(a, "\n  car_km         km by car      one per 0.25 kgCO2e  mini-measure\n") !=
		   NULL);
	check_true(strstr(a, "prices") == NULL); /* no heading for an empty kind */
	check_true(strstr(a, " \n") == NULL);     /* no trailing spaces */
	check_int(strlen(a) > 12 && !strcmp(a + strlen(a) - 12, "\n20 records\n"), 1);
	t = list(mini, EST_RECORD_TASK, NULL, "image", EST_FORMAT_TEXT);
	check_str(t, "tasks (1)\n  image_generation  Image generation  2 models  mean 2 Wh"
		     "  mini-measure\n\n1 record\n");
	free(t);
	t = list(mini, -1, NULL, "zzz", EST_FORMAT_TEXT);
	check_str(t, "0 records\n");
	free(t);
	free(a);
	free(b);
	finish();
}

static void test_list_errors(void **state)
{
	static const struct {
		int kind;
		const char *task;
		est_format fmt;
		int code;
		const char *message;
	} cases[] = {
		{-1, "text_generaton", EST_FORMAT_TEXT, EST_EUSAGE,
		 "unknown task 'text_generaton'; did you mean 'text_generation'?"},
		{-1, "text_gen", EST_FORMAT_JSON, EST_EUSAGE,
		 "unknown task 'text_gen'; did you mean 'text_generation'?"},
		{-1, "weather", EST_FORMAT_TEXT, EST_EUSAGE, "unknown task 'weather'"},
		{42, NULL, EST_FORMAT_TEXT, EST_EUSAGE, "unknown record kind 42"},
		{-1, NULL, EST_FORMAT_CSV, EST_EUSAGE, "the profile library is shown as text or json"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		est_catalog_filter f = {cases[i].kind, cases[i].task, NULL};
		est_error err;
		char *out = (char *)1;
		size_t len = 7;

		est_error_clear(&err);
		check_int(est_catalog_list(&out, &len, mini, &f, cases[i].fmt, &err), cases[i].code);
		check_int(err.code, cases[i].code);
		check_str(err.message, cases[i].message);
		check_str(err.file, "");
		check_true(out == NULL && len == 0);
	}
	finish();
}

static void test_list_no_filter(void **state)
{
	est_error err;
	char *out = NULL, *want = list(mini, -1, NULL, NULL, EST_FORMAT_JSON);
	(void)state;

	assert_int_equal(est_catalog_list(&out, NULL, mini, NULL, EST_FORMAT_JSON, &err), 0);
	check_str(out, want);
	free(out);
	free(want);
	finish();
}

/* ---- show ---- */

static void test_show_model(void **state)
{
	cJSON *j = show_json(mini, "mini/text_generation/small-lm", -1);
	const cJSON *r = cJSON_GetObjectItem(j, "record");
	const cJSON *srcs = cJSON_GetObjectItem(j, "sources");
	const cJSON *s = cJSON_GetArrayItem(srcs, 0);
	char *t;
	(void)state;

	/* tasks/text_generation.yaml, its first model, and the file's measurement block */
	check_str(str(r, "kind"), "models");
	check_str(str(r, "task"), "text_generation");
	check_str(str(r, "model"), "test/small-lm");
	check_close(num(r, "energy_wh"), 0.04);
	check_close(num(r, "energy_std_wh"), 0.004);
	check_close(num(r, "energy_min_wh"), 0.035);
	check_close(num(r, "energy_max_wh"), 0.045);
	check_close(num(r, "gpu_energy_wh"), 0.024);
	check_close(num(r, "time_s"), 0.5);
	check_close(num(r, "parameters"), 1e9);
	check_int(num(r, "batch_size"), 1);
	check_int(num(r, "gpus"), 1);
	check_str(str(r, "unit"), "inference");
	check_str(str(r, "boundary"), "node");
	check_str(str(r, "hardware"), "ref-gpu");
	check_true(!has(r, "precision") && !has(r, "notes") && !has(r, "output_tokens"));
	/* sources.yaml: mini-measure in full */
	check_int(cJSON_GetArraySize(srcs), 1);
	check_str(str(s, "id"), "mini-measure");
	check_str(str(s, "title"), "Hand-made energy figures for the estimator unit tests");
	check_str(str(s, "authors"), "estimator test suite");
	check_str(str(s, "published"), "2025");
	check_int(num(s, "year"), 2025);
	check_str(str(s, "locator"), "tests/data/profiles-mini/sources.yaml");
	check_str(str(s, "licence"), "CC0-1.0");
	cJSON_Delete(j);

	t = show(mini, "mini/text_generation/small-lm", EST_RECORD_MODEL, EST_FORMAT_TEXT);
	check_true(!strncmp(t, "model mini/text_generation/small-lm\n  task:        text_generation\n",
			    66));
	check_true(strstr(t, "\n  energy:      0.04 Wh\n") != NULL);
	check_true(strstr(t, "\n  GPU energy:  0.024 Wh\n") != NULL);
	check_true(strstr(t, "\n\nSources:\n  mini-measure\n    year:       2025\n") != NULL);
	check_true(strstr(t, "\n    licence:    CC0-1.0\n") != NULL);
	check_true(strstr(t, " \n") == NULL);
	free(t);
	/* notes of the second model */
	j = show_json(mini, "mini/text_generation/big-lm", -1);
	check_str(str(cJSON_GetObjectItem(j, "record"), "notes"),
		  "no measured time: 0.2 Wh x 0.5 s / 0.05 Wh = 2 s");
	cJSON_Delete(j);
	finish();
}

static void test_show_task_and_others(void **state)
{
	cJSON *j = show_json(mini, "text_generation", -1);
	const cJSON *r = cJSON_GetObjectItem(j, "record");
	char buf[256], *t;
	(void)state;

	/* tasks/text_generation.yaml statistics */
	check_str(str(r, "modality"), "text-to-text");
	check_close(num(r, "std_wh"), 0.01);
	check_close(num(r, "min_model_wh"), 0.04);
	check_close(num(r, "max_model_wh"), 0.2);
	check_close(num(r, "median_wh"), 0.05);
	check_close(num(r, "gpu_share"), 0.6);
	check_close(num(r, "time_s"), 0.5);
	check_str(str(r, "boundary"), "node");
	check_str(str(r, "hardware"), "ref-gpu");
	check_str(joined(cJSON_GetObjectItem(r, "model_ids"), buf, sizeof buf),
		  "mini/text_generation/small-lm,mini/text_generation/big-lm");
	cJSON_Delete(j);
	t = show(mini, "text_generation", -1, EST_FORMAT_TEXT);
	check_true(strstr(t, "\n  GPU share:           60%\n") != NULL);
	check_true(strstr(t, "\n  model ids:\n    mini/text_generation/small-lm\n"
			     "    mini/text_generation/big-lm\n") != NULL);
	free(t);

	/* facility.yaml: enterprise, with notes; servers.yaml: ref-server with a price */
	j = show_json(mini, "enterprise", EST_RECORD_FACILITY);
	r = cJSON_GetObjectItem(j, "record");
	check_close(num(r, "buildout_cost_per_kw"), 10000);
	check_str(str(r, "currency"), "USD");
	check_str(str(r, "notes"), "the default class");
	check_true(!has(r, "ups_efficiency"));
	cJSON_Delete(j);
	j = show_json(mini, "ref-server", -1);
	r = cJSON_GetObjectItem(j, "record");
	check_close(num(r, "price"), 100000);
	check_str(str(r, "currency"), "USD");
	check_close(num(r, "lifetime_years"), 4);
	check_int(num(r, "rack_units"), 4);
	cJSON_Delete(j);
	t = show(mini, "ref-server", -1, EST_FORMAT_TEXT);
	check_true(strstr(t, "\n  price:         100000 USD\n") != NULL);
	check_true(strstr(t, "currency") == NULL); /* in the text, the price's unit */
	free(t);
	/* a source shows its own fields, no Sources section */
	t = show(mini, "mini-hardware", -1, EST_FORMAT_TEXT);
	check_str(t, "source mini-hardware\n"
		     "  year:       2025\n"
		     "  title:      Hand-made hardware, site and cost figures for the estimator unit tests\n"
		     "  authors:    estimator test suite\n"
		     "  published:  2025\n"
		     "  locator:    tests/data/profiles-mini/sources.yaml\n");
	free(t);
	finish();
}

static void test_show_ext(void **state)
{
	cJSON *j = show_json(ext, "ext/chat/small-ref", -1);
	const cJSON *r = cJSON_GetObjectItem(j, "record");
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sources"), 0);
	(void)state;

	/* measurements/chat.yaml: defaults, then the record's own keys */
	check_str(str(r, "task"), "chat");
	check_close(num(r, "energy_wh"), 0.01);
	check_close(num(r, "output_tokens"), 300);
	check_str(str(r, "setting"), "max_num_seqs 8");
	check_str(str(r, "unit"), "response");
	check_str(str(r, "boundary"), "gpu");
	check_int(num(r, "batch_size"), 1);
	check_true(!has(r, "time_s"));
	/* the file's local source */
	check_str(str(s, "id"), "ext-chat-study");
	check_str(str(s, "title"), "A made-up chat energy study");
	check_int(num(s, "year"), 2026);
	check_str(str(s, "locator"), "tests/data/profiles-ext/measurements/chat.yaml");
	check_true(!has(s, "licence"));
	cJSON_Delete(j);
	j = show_json(ext, "ext/chat/small-fast", -1);
	r = cJSON_GetObjectItem(j, "record");
	check_int(num(r, "gpus"), 2);
	check_close(num(r, "time_s"), 0.01);
	check_str(str(r, "hardware"), "fast-gpu");
	cJSON_Delete(j);
	j = show_json(ext, "ext/chat/vendor-average", -1);
	r = cJSON_GetObjectItem(j, "record");
	check_str(str(r, "hardware"), "unknown");
	check_str(str(r, "model_kind"), "reference");
	check_str(str(r, "boundary"), "facility");
	cJSON_Delete(j);
	/* a task without statistics: no mean, no sources */
	j = list_json(ext, EST_RECORD_TASK, "chat", NULL);
	r = record(j, "chat");
	check_int(num(r, "n_models"), 3);
	check_true(!has(r, "mean_wh"));
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(r, "sources")), 0);
	cJSON_Delete(j);
	/* prices/test.yaml */
	j = list_json(ext, EST_RECORD_PRICE, NULL, NULL);
	check_int(num(j, "count"), 2);
	r = record(j, "TST/usd");
	check_close(num(r, "price_per_kwh"), 0.3);
	check_str(str(r, "currency"), "USD");
	check_str(str(r, "sector"), "commercial");
	check_str(str(r, "period"), "2025");
	cJSON_Delete(j);
	finish();
}

static void test_show_errors(void **state)
{
	static const struct {
		const char *id;
		int kind;
		est_format fmt;
		int code;
		const char *message;
	} cases[] = {
		{"ref-gpx", -1, EST_FORMAT_TEXT, EST_EINVALID,
		 "unknown profile id 'ref-gpx'; did you mean 'ref-gpu'?"},
		{"REF-GPU", -1, EST_FORMAT_JSON, EST_EINVALID,
		 "unknown profile id 'REF-GPU'; did you mean 'ref-gpu'?"},
		{"zzzzzz", -1, EST_FORMAT_TEXT, EST_EINVALID, "unknown profile id 'zzzzzz'"},
		{"ref-gpu", EST_RECORD_SERVER, EST_FORMAT_TEXT, EST_EINVALID,
		 "unknown server id 'ref-gpu' ('ref-gpu' is an accelerator)"},
		{"fast-servr", EST_RECORD_SERVER, EST_FORMAT_TEXT, EST_EINVALID,
		 "unknown server id 'fast-servr'; did you mean 'fast-server'?"},
		{"ref-gpu", 12, EST_FORMAT_TEXT, EST_EUSAGE, "unknown record kind 12"},
		{"ref-gpu", -1, EST_FORMAT_CSV, EST_EUSAGE,
		 "the profile library is shown as text or json"},
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		est_error err;
		char *out = (char *)1;
		size_t len = 7;

		est_error_clear(&err);
		check_int(est_catalog_show(&out, &len, mini, cases[i].id, cases[i].kind, cases[i].fmt,
					   &err),
			  cases[i].code);
		check_str(err.message, cases[i].message);
		check_str(err.file, "");
		check_int(err.line, 0);
		check_true(out == NULL && len == 0);
	}
	finish();
}

/* ---- a library written by the test ---- */

static const char *const LIB_FILES[][2] = {
	{"sources.yaml",
	 "sources:\n"
	 "  - {id: src-a, title: Source A, year: 2024, locator: a}\n"
	 "  - {id: src-b, title: Source B, authors: B. Author, year: 2020, locator: b,"
	 " licence: CC-BY-4.0}\n"},
	{"hardware/accelerators.yaml",
	 "accelerators:\n"
	 "  - id: gpu-a\n"
	 "    name: GPU A\n"
	 "    max_power: 400 W\n"
	 "    idle_power: 40 W\n"
	 "    relative_energy: 1\n"
	 "    embodied: 100 kgCO2e\n"
	 "    embodied_range: {low: 100 kgCO2e, high: 300 kgCO2e, source: [src-b, src-a],"
	 " notes: two LCAs}\n"
	 "    aliases: [GPU-A 80GB, gpu a]\n"
	 "    source: src-a\n"},
	{"hardware/servers.yaml",
	 "servers:\n"
	 "  - {id: srv-a, name: Server A, accelerator: gpu-a, accelerators: 8, max_power: 6.5 kW,"
	 " host_idle: 500 W," /* 500 W + 8 x 400 W = 3,700 W <= 6,500 W (docs/model.md section 5) */
	 " rack_units: 6, embodied: 2000 kgCO2e, lifetime: 4 years, source: src-a}\n"},
	{"constants.yaml",
	 "constants:\n"
	 "  reference_accelerator: gpu-a\n"
	 "  gpu_to_node: {value: 1.3, source: src-a}\n"
	 "  bytes_per_parameter: {value: 2, source: src-a}\n"
	 "  memory_headroom: {value: 1.2, source: src-a}\n"
	 "  default_utilisation: {value: 50%, source: src-a}\n"
	 "  default_replication: {value: 2, source: src-a}\n"},
	{"tasks/demo.yaml",
	 "task:\n"
	 "  id: demo\n"
	 "  name: Demo task\n"
	 "  measurement: {boundary: node, hardware: gpu-a, batch_size: 1}\n"
	 "  statistics: {mean: 0.05 Wh, time: 0.5 s, source: src-a}\n"
	 "models:\n"
	 "  - {id: t/demo/m1, model: test/m1, kind: task-specific, energy: 0.05 Wh,"
	 " precision: fp16, licence: MIT, source: [src-a, src-b]}\n"},
	{"grids/test.yaml",
	 "grids:\n"
	 "  - {id: BBB, name: Bland, intensity: 200 g/kWh, year: 2023, source: src-a,\n"
	 "     price: 0.2 EUR/kWh, price_period: 2025-S2, price_source: src-b}\n"
	 "  - {id: cl/r1, name: Cloud R1, kind: cloud, provider: cl, intensity: 300 g/kWh,"
	 " year: 2024, source: src-a}\n"
	 "  - {id: cl/r2, name: Cloud R2, kind: cloud, provider: cl, intensity: 30 g/kWh,"
	 " year: 2024, source: src-a}\n"},
	{"facility.yaml",
	 "facilities:\n"
	 "  - {id: demo, name: Demo hall, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,"
	 " buildout_cost: 10000 USD/kW, ups_efficiency: 95%, price_per_kw_month: 2400 EUR/kW/year,"
	 " power_step: 250 kW, source: src-a}\n"},
	{"storage.yaml",
	 "storage:\n"
	 "  - {id: ssd, power: 1 W/TB, embodied: 50 kgCO2e/TB, purchase_unit: 7.68 TB, source: src-a}\n"
	 "network:\n"
	 "  energy: 0.001 kWh/GB\n"
	 "  source: src-a\n"},
	{"equivalences.yaml",
	 "equivalences:\n"
	 "  - {id: phone, name: phone charges, energy: 0.022 kWh, source: src-a}\n"},
	{"cloud/providers.yaml",
	 "providers:\n"
	 "  - {id: cl, name: Cloud L, pue: 1.2, wue: 0.5 L/kWh, source: src-b}\n"},
	{"cloud/instances.yaml",
	 "instances:\n"
	 "  - {id: cl/big, name: big, provider: cl, accelerator: gpu-a, accelerators: 8, server: srv-a,\n"
	 "     vcpus: 96, memory: 1 TB, price_date: mid-2025, source: [src-a, src-b],\n"
	 "     prices: {r1: {on_demand: 40 USD/h, one_year: 30 USD/h, three_year: 20 USD/h},\n"
	 "              r2: {on_demand: 48 USD/h, three_year: 25 USD/h}}}\n"
	 "  - {id: cl/small, name: small, provider: cl, accelerator: gpu-a, accelerators: 2,"
	 " server: srv-a,\n"
	 "     vcpus: 24, memory: 256 GiB, price_date: mid-2025, source: src-a,\n"
	 "     prices: {r2: {on_demand: 12 USD/h}, r1: {on_demand: 10 USD/h}}}\n"},
};
#define N_LIB_FILES (sizeof(LIB_FILES) / sizeof(LIB_FILES[0]))
static const char *const LIB_DIRS[] = {"hardware", "tasks", "grids", "cloud"};
#define N_LIB_DIRS (sizeof(LIB_DIRS) / sizeof(LIB_DIRS[0]))

static char tmp_root[512];
static est_profiles *tmp_lib;

static int write_lib(void **state)
{
	const char *base = getenv("TMPDIR");
	char path[1024];
	size_t i;
	FILE *f;
	(void)state;

	snprintf(tmp_root, sizeof tmp_root, "%s/est-catalog-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmp_root))
		return -1;
	for (i = 0; i < N_LIB_DIRS; i++) {
		snprintf(path, sizeof path, "%s/%s", tmp_root, LIB_DIRS[i]);
		if (mkdir(path, 0700) != 0)
			return -1;
	}
	for (i = 0; i < N_LIB_FILES; i++) {
		snprintf(path, sizeof path, "%s/%s", tmp_root, LIB_FILES[i][0]);
		f = fopen(path, "w");
		if (!f || fputs(LIB_FILES[i][1], f) < 0 || fclose(f) != 0)
			return -1;
	}
	tmp_lib = load(tmp_root);
	return tmp_lib ? 0 : -1;
}

static int remove_lib(void **state)
{
	char path[1024];
	size_t i;
	(void)state;

	est_profiles_free(tmp_lib);
	for (i = 0; i < N_LIB_FILES; i++) {
		snprintf(path, sizeof path, "%s/%s", tmp_root, LIB_FILES[i][0]);
		unlink(path);
	}
	for (i = 0; i < N_LIB_DIRS; i++) {
		snprintf(path, sizeof path, "%s/%s", tmp_root, LIB_DIRS[i]);
		rmdir(path);
	}
	rmdir(tmp_root);
	return 0;
}

static void test_show_accelerator_in_full(void **state)
{
	cJSON *j = show_json(tmp_lib, "gpu-a", -1);
	const cJSON *r = cJSON_GetObjectItem(j, "record");
	char buf[256], *t;
	(void)state;

	check_close(num(r, "embodied_kgco2e"), 100);
	check_close(num(r, "embodied_low_kgco2e"), 100);
	check_close(num(r, "embodied_high_kgco2e"), 300);
	check_str(joined(cJSON_GetObjectItem(r, "embodied_range_sources"), buf, sizeof buf),
		  "src-b,src-a");
	check_str(str(r, "embodied_range_notes"), "two LCAs");
	check_str(joined(cJSON_GetObjectItem(r, "aliases"), buf, sizeof buf), "GPU-A 80GB,gpu a");
	check_true(!has(r, "memory_gb"));
	/* every source cited, once, in order: the record's, then the range's */
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sources")), 2);
	check_str(str(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sources"), 0), "id"), "src-a");
	check_str(str(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sources"), 1), "licence"),
		  "CC-BY-4.0");
	cJSON_Delete(j);
	t = show(tmp_lib, "gpu-a", EST_RECORD_ACCELERATOR, EST_FORMAT_TEXT);
	check_str(t, "accelerator gpu-a\n"
		     "  name:                    GPU A\n"
		     "  max power:               400 W\n"
		     "  idle power:              40 W\n"
		     "  relative energy:         1\n"
		     "  embodied:                100 kgCO2e\n"
		     "  embodied low:            100 kgCO2e\n"
		     "  embodied high:           300 kgCO2e\n"
		     "  embodied range sources:  src-b, src-a\n"
		     "  embodied range notes:    two LCAs\n"
		     "  aliases:                 GPU-A 80GB, gpu a\n"
		     "\n"
		     "Sources:\n"
		     "  src-a\n"
		     "    year:     2024\n"
		     "    title:    Source A\n"
		     "    locator:  a\n"
		     "  src-b\n"
		     "    year:     2020\n"
		     "    title:    Source B\n"
		     "    authors:  B. Author\n"
		     "    locator:  b\n"
		     "    licence:  CC-BY-4.0\n");
	free(t);
	finish();
}

static void test_shared_id(void **state)
{
	est_error err;
	char *out = NULL;
	cJSON *j;
	(void)state;

	est_error_clear(&err);
	check_int(est_catalog_show(&out, NULL, tmp_lib, "demo", -1, EST_FORMAT_TEXT, &err),
		  EST_EINVALID);
	check_str(err.message,
		  "profile id 'demo' names records of several kinds (tasks, facilities); give the kind");
	check_true(out == NULL);
	j = show_json(tmp_lib, "demo", EST_RECORD_FACILITY);
	check_close(num(cJSON_GetObjectItem(j, "record"), "ups_efficiency"), 0.95);
	cJSON_Delete(j);
	j = show_json(tmp_lib, "demo", EST_RECORD_TASK);
	check_str(str(cJSON_GetObjectItem(j, "record"), "name"), "Demo task");
	cJSON_Delete(j);
	/* a grid's price and its own source */
	j = show_json(tmp_lib, "BBB", -1);
	check_str(str(cJSON_GetObjectItem(j, "record"), "price_period"), "2025-S2");
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sources")), 2);
	cJSON_Delete(j);
	/* a model's precision, licence and two sources */
	j = show_json(tmp_lib, "t/demo/m1", -1);
	check_str(str(cJSON_GetObjectItem(j, "record"), "precision"), "fp16");
	check_str(str(cJSON_GetObjectItem(j, "record"), "licence"), "MIT");
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sources")), 2);
	cJSON_Delete(j);
	out = show(tmp_lib, "demo", EST_RECORD_FACILITY, EST_FORMAT_TEXT);
	check_true(strstr(out, "\n  UPS efficiency:  95%\n") != NULL);
	check_true(strstr(out, "\n  build-out cost:  10000 USD/kW\n") != NULL);
	free(out);
	finish();
}

/* A cloud instance in full: its hardware, its share of the server, its prices by region. */
static void test_show_cloud_instance(void **state)
{
	cJSON *j = show_json(tmp_lib, "cl/big", -1);
	const cJSON *r = cJSON_GetObjectItem(j, "record"), *p;
	char *t;
	(void)state;

	check_str(str(r, "kind"), "cloud-instances");
	check_str(str(r, "server"), "srv-a");
	check_close(num(r, "server_share"), 1);
	check_close(num(r, "memory_gb"), 1000);
	check_str(str(r, "currency"), "USD");
	check_close(num(r, "on_demand_from_per_hour"), 40);
	p = cJSON_GetObjectItem(r, "prices");
	check_int(cJSON_GetArraySize(p), 2);
	check_str(cJSON_GetArrayItem(p, 0)->string, "r1"); /* as listed */
	check_close(num(cJSON_GetObjectItem(p, "r1"), "on_demand_per_hour"), 40);
	check_close(num(cJSON_GetObjectItem(p, "r1"), "one_year_per_hour"), 30);
	check_close(num(cJSON_GetObjectItem(p, "r1"), "three_year_per_hour"), 20);
	check_true(!has(cJSON_GetObjectItem(p, "r2"), "one_year_per_hour"));
	check_int(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sources")), 2);
	cJSON_Delete(j);
	t = show(tmp_lib, "cl/big", EST_RECORD_CLOUD_INSTANCE, EST_FORMAT_TEXT);
	check_str(t, "cloud instance cl/big\n"
		     "  name:            big\n"
		     "  provider:        cl\n"
		     "  accelerators:    8\n"
		     "  accelerator:     gpu-a\n"
		     "  server:          srv-a\n"
		     "  server share:    100%\n"
		     "  vCPUs:           96\n"
		     "  memory:          1000 GB\n"
		     "  on demand from:  40 USD/h\n"
		     "  prices:          r1 40 USD/h (1-year 30 USD/h, 3-year 20 USD/h),"
		     " r2 48 USD/h (3-year 25 USD/h)\n"
		     "  price date:      mid-2025\n"
		     "\n"
		     "Sources:\n"
		     "  src-a\n"
		     "    year:     2024\n"
		     "    title:    Source A\n"
		     "    locator:  a\n"
		     "  src-b\n"
		     "    year:     2020\n"
		     "    title:    Source B\n"
		     "    authors:  B. Author\n"
		     "    locator:  b\n"
		     "    licence:  CC-BY-4.0\n");
	free(t);
	/* a quarter of the server; the lowest region's price first in the list */
	j = show_json(tmp_lib, "cl/small", EST_RECORD_CLOUD_INSTANCE);
	check_close(num(cJSON_GetObjectItem(j, "record"), "server_share"), 0.25);
	check_close(num(cJSON_GetObjectItem(j, "record"), "on_demand_from_per_hour"), 10);
	cJSON_Delete(j);
	t = list(tmp_lib, EST_RECORD_CLOUD_INSTANCE, NULL, NULL, EST_FORMAT_TEXT);
	check_str(t, "cloud-instances (2)\n"
		     "  cl/big    big    8 x gpu-a  on srv-a  from 40 USD/h  src-a, src-b\n"
		     "  cl/small  small  2 x gpu-a  on srv-a  from 10 USD/h  src-a\n"
		     "\n"
		     "2 records\n");
	free(t);
	t = list(tmp_lib, EST_RECORD_CLOUD_PROVIDER, NULL, NULL, EST_FORMAT_TEXT);
	check_str(t, "cloud-providers (1)\n"
		     "  cl  Cloud L  PUE 1.2  WUE 0.5 L/kWh  src-b\n"
		     "\n"
		     "1 record\n");
	free(t);
	/* the kind names, both ways */
	check_int(est_record_kind_parse("cloud-instances"), EST_RECORD_CLOUD_INSTANCE);
	check_int(est_record_kind_parse("Cloud-Providers"), EST_RECORD_CLOUD_PROVIDER);
	check_str(est_record_kind_name(EST_RECORD_CLOUD_INSTANCE), "cloud-instances");
	finish();
}

/* The new facility and storage fields: power rent converted to a month, power step, drive size. */
static void test_show_purchase_fields(void **state)
{
	cJSON *j = show_json(tmp_lib, "demo", EST_RECORD_FACILITY);
	const cJSON *r = cJSON_GetObjectItem(j, "record");
	char *t;
	(void)state;

	/* 2400 EUR/kW/year = 200 EUR/kW/month */
	check_close(num(r, "price_per_kw_month"), 200);
	check_str(str(r, "price_currency"), "EUR");
	check_close(num(r, "power_step_kw"), 250);
	cJSON_Delete(j);
	t = show(tmp_lib, "demo", EST_RECORD_FACILITY, EST_FORMAT_TEXT);
	check_true(strstr(t, "\n  power rent:      200 EUR/kW/month\n") != NULL);
	check_true(strstr(t, "\n  power step:      250 kW\n") != NULL);
	free(t);
	j = show_json(tmp_lib, "ssd", EST_RECORD_STORAGE);
	check_close(num(cJSON_GetObjectItem(j, "record"), "purchase_unit_tb"), 7.68);
	cJSON_Delete(j);
	finish();
}

/* ---- every record of a library ---- */

/* Each record shows, by its kind, in both formats; JSON parses; counts agree. */
static void every_record(const est_profiles *p)
{
	cJSON *all = list_json(p, -1, NULL, NULL);
	size_t total = 0, n, i;
	char *t;
	int k;

	for (k = 0; k < EST_RECORD_KINDS; k++) {
		est_record_kind kind = (est_record_kind)k;
		cJSON *one = list_json(p, k, NULL, NULL);

		n = est_profiles_count(p, kind);
		total += n;
		check_int(num(one, "count"), n);
		check_int(count_kind(all, est_record_kind_name(kind)), n);
		cJSON_Delete(one);
		for (i = 0; i < n; i++) {
			const char *id = est_profiles_record_id(kind, est_profiles_at(p, kind, i));
			cJSON *j = show_json(p, id, k);

			check_str(str(cJSON_GetObjectItem(j, "record"), "kind"),
				  est_record_kind_name(kind));
			cJSON_Delete(j);
			t = show(p, id, k, EST_FORMAT_TEXT);
			check_true(strstr(t, id) != NULL);
			free(t);
		}
	}
	check_int(num(all, "count"), total);
	cJSON_Delete(all);
	t = list(p, -1, NULL, NULL, EST_FORMAT_TEXT);
	check_true(strstr(t, " \n") == NULL);
	free(t);
}

static void test_every_record_mini(void **state)
{
	(void)state;
	every_record(mini);
	every_record(ext);
	finish();
}

static void test_every_record_real(void **state)
{
	cJSON *j;
	(void)state;

	every_record(g_lib);
	/* a task's models and the task, by --task */
	j = list_json(g_lib, -1, "text_classification", NULL);
	check_int(num(j, "count"),
		  1 + est_profiles_task(g_lib, "text_classification")->n_models);
	cJSON_Delete(j);
	finish();
}

/*
 * A cloud instance of the real library, listed and shown. The price is typed
 * from /work/scratch/research11.md section 1.1 (SkyPilot catalog v8,
 * p5.48xlarge us-east-1 55.04 USD/h; 8 x H100, 192 vCPU, 2,048 GiB).
 */
static void test_cloud_instance_real(void **state)
{
	cJSON *j = list_json(g_lib, EST_RECORD_CLOUD_INSTANCE, NULL, "p5.48xlarge");
	const cJSON *r = record(j, "aws/p5.48xlarge"), *p;
	char *t;
	(void)state;

	check_int(num(j, "count"), 1);
	check_str(str(r, "accelerator"), "h100-sxm");
	check_close(num(r, "accelerators"), 8);
	check_str(str(r, "server"), "dgx-h100");
	check_close(num(r, "on_demand_from_per_hour"), 55.04);
	cJSON_Delete(j);
	j = show_json(g_lib, "aws/p5.48xlarge", -1);
	r = cJSON_GetObjectItem(j, "record");
	p = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "prices"), "us-east-1");
	check_close(num(p, "on_demand_per_hour"), 55.04);
	check_true(!has(p, "one_year_per_hour"));
	check_close(num(r, "vcpus"), 192);
	check_close(num(r, "memory_gb"), 2048 * 1.073741824);
	check_str(str(r, "currency"), "USD");
	cJSON_Delete(j);
	t = show(g_lib, "aws/p5.48xlarge", EST_RECORD_CLOUD_INSTANCE, EST_FORMAT_TEXT);
	check_true(strstr(t, "us-east-1 55.04 USD/h") != NULL);
	free(t);
	t = list(g_lib, EST_RECORD_CLOUD_PROVIDER, NULL, NULL, EST_FORMAT_TEXT);
	check_true(strstr(t, "  aws    Amazon Web Services  PUE 1.15") != NULL);
	free(t);
	finish();
}

int main(void)
{
	const struct CMUnitTest data[] = {
		cmocka_unit_test(test_list_counts),
		cmocka_unit_test(test_list_fields),
		cmocka_unit_test(test_list_filters),
		cmocka_unit_test(test_list_text),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_list_no_filter),
		cmocka_unit_test(test_show_model),
		cmocka_unit_test(test_show_task_and_others),
		cmocka_unit_test(test_show_ext),
		cmocka_unit_test(test_show_errors),
		cmocka_unit_test(test_every_record_mini),
	};
	const struct CMUnitTest written[] = {
		cmocka_unit_test(test_show_accelerator_in_full),
		cmocka_unit_test(test_shared_id),
		cmocka_unit_test(test_show_cloud_instance),
		cmocka_unit_test(test_show_purchase_fields),
	};
	const struct CMUnitTest real[] = {
		cmocka_unit_test(test_every_record_real),
		cmocka_unit_test(test_cloud_instance_real),
	};
	int failed = cmocka_run_group_tests_name("data", data, load_data, free_data);

	failed += cmocka_run_group_tests_name("written", written, write_lib, remove_lib);
	failed += cmocka_run_group_tests_name("real", real, load_real, free_real);
	return failed;
}
