/*
 * Measurement records beyond the task files (docs/profiles.md, docs/model.md
 * section 2), on tests/data/profiles-ext: measurement files with local
 * sources and defaults, a task without statistics ("any model" = mean of
 * converted records), reference figures, named prices, the scenario's own
 * measurement files and conversion overrides. Expected values are worked out
 * by hand from the fixture files; each is derived in a comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "estimator/estimator.h"

#define EXT EST_TEST_DATA "/profiles-ext"
#define NAME EST_TEST_DATA "/inline.yaml" /* relative measurement paths resolve beside it */

static est_profiles *lib;

static int setup(void **state)
{
	est_error err;

	(void)state;
	if (est_profiles_load(&lib, EXT, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	est_profiles_free(lib);
	return 0;
}

static void close_to(double actual, double expected)
{
	if (fabs(actual - expected) > 1e-9 * fmax(1e-300, fabs(expected)))
		fail_msg("%.17g, expected %.17g", actual, expected);
}

/* A scenario on fast-gpu (relative energy 0.5, 800 W) with one workload. */
static const char *scenario(char *buf, size_t len, const char *workload, const char *extra)
{
	snprintf(buf, len,
		 "name: measurements test\n"
		 "horizon: {start_year: 2026, years: 1}\n"
		 "site: {grid: TST}\n"
		 "deployment: {accelerator: fast-gpu%s}\n"
		 "costs: {currency: EUR, exchange_rates: {USD: 0.9}%s}\n"
		 "%s"
		 "workloads:\n  - %s\n",
		 strstr(extra, "gpu_to_node") ? ", gpu_to_node: 1.5" : "",
		 strstr(extra, "price:") ? strstr(extra, "price:") + 6 : "",
		 strstr(extra, "measurements") ? "measurements: [measure/extra.yaml]\n" : "",
		 workload);
	return buf;
}

static est_workload_result run(const char *text, est_result **r_out, est_scenario **s_out)
{
	est_error err;
	est_scenario *s = NULL;
	est_result *r = NULL;

	if (est_scenario_load_buffer(&s, NAME, text, strlen(text), lib, &err) != 0)
		fail_msg("load: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
	if (est_model_run(&r, s, lib, &err) != 0)
		fail_msg("run: %s", err.message);
	*r_out = r;
	*s_out = s;
	return r->variants[0].workloads[0];
}

static void test_library_records(void **state)
{
	const est_task *chat;
	const est_model_profile *m;

	(void)state;
	chat = est_profiles_task(lib, "chat");
	assert_non_null(chat);
	assert_false(chat->has_stats);
	assert_int_equal(chat->n_models, 3);
	m = est_profiles_model(lib, "ext/chat/small-fast");
	assert_non_null(m);
	/* defaults applied, record values kept */
	assert_int_equal(m->boundary, EST_BOUNDARY_GPU);
	assert_string_equal(m->hardware->id, "fast-gpu");
	assert_int_equal(m->batch_size, 1);
	assert_int_equal(m->gpus, 2);
	assert_string_equal(m->unit, "response");
	assert_string_equal(m->sources.items[0]->id, "ext-chat-study");
	assert_int_equal(m->sources.items[0]->year, 2026);
	m = est_profiles_model(lib, "ext/chat/vendor-average");
	assert_int_equal(m->kind, EST_MODEL_REFERENCE);
	assert_null(m->hardware);
	assert_int_equal(m->boundary, EST_BOUNDARY_FACILITY);
	/* the measurement file's source is listed with the library's */
	assert_non_null(est_profiles_source(lib, "ext-chat-study"));
	assert_int_equal(est_profiles_count(lib, EST_RECORD_PRICE), 2);
	close_to(est_profiles_price(lib, "TST/industrial")->price_per_kwh, 0.1);
}

/* Whether one of the workload's conversion lines contains text. */
static int has_line(const est_workload_result *w, const char *text)
{
	size_t i;

	for (i = 0; i < w->n_conversions; i++)
		if (strstr(w->conversions[i], text))
			return 1;
	return 0;
}

/*
 * Per inference on fast-gpu (docs/model.md section 2), from the fixture files:
 * fast-gpu idle 80 W, maximum 800 W, relative energy 0.5; ref-gpu 400 W,
 * relative energy 1. The default server of fast-gpu is fast-server: 8 x
 * fast-gpu, 8 kW, host idle 600 W, so the host's headroom is
 * dP_h = 8,000 - 600 - 8 x 800 = 1,000 W, 125 W per accelerator, and the host
 * share of an inference is capped at 125 W x t_w / 3600.
 *   e_acc  = e_a,d - 80 W x t_w / 3600                   (e_a,d within [80 W, 800 W] x t_w / 3600)
 *   e_host = min((beta - 1) x e_acc, 125 W x t_w / 3600)
 */
#define IDLE_WH(t) (80.0 * (t) / 3600)
#define MAX_WH(t) (800.0 * (t) / 3600)
#define HOST_CAP_WH(t) (125.0 * (t) / 3600)

/*
 * Any model for chat (no statistics), on fast-gpu, gpu_to_node 1.3:
 *   small-ref : gpu, ref-gpu, 0.01 Wh, no time -> e_a = 0.01 Wh, t0 = 0.01 x 3600 / 400 = 0.09 s
 *               t = 0.09 x 0.5 x 400/800 = 0.0225 s; e_a,d = 0.01 x 0.5 = 0.005 Wh = 800 W x t
 *               (at the maximum, not above it)
 *               e_acc = 0.005 - 80 x 0.0225/3600 = 0.0045 Wh
 *               e_host = min(0.3 x 0.0045 = 0.00135, 125 x 0.0225/3600 = 0.00078125) = 0.00078125 Wh
 *               e = 0.00528125 Wh
 *   small-fast: gpu, fast-gpu, 0.004 Wh over 0.01 device-seconds (2 GPUs) -> h = 1, t = 0.01 s;
 *               0.004 x 3600 / 0.01 = 1,440 W is above 800 W: clamped to 800 x 0.01/3600 = 0.0022222 Wh
 *               e_acc = 0.0022222 - 80 x 0.01/3600 = 0.002 Wh
 *               e_host = min(0.3 x 0.002 = 0.0006, 125 x 0.01/3600 = 0.00034722) = 0.00034722 Wh
 *               e = 0.00234722 Wh
 *   vendor-average: reference, excluded
 *   mean e = (0.00528125 + 0.00234722) / 2 = 0.00381424 Wh (accelerator (0.0045 + 0.002) / 2 =
 *   0.00325, host (0.00078125 + 0.00034722) / 2 = 0.00056424); mean t = (0.0225 + 0.01) / 2 =
 *   0.01625 s; spread 0.00234722 to 0.00528125 over 2
 */
static void test_any_model_without_statistics(void **state)
{
	char buf[2048];
	est_result *r;
	est_scenario *s;
	est_workload_result w;
	const double ref_acc = 0.01 * 0.5 - IDLE_WH(0.0225);
	const double ref_e = ref_acc + HOST_CAP_WH(0.0225);
	const double fast_acc = MAX_WH(0.01) - IDLE_WH(0.01);
	const double fast_e = fast_acc + HOST_CAP_WH(0.01);
	const double mean_e = (ref_e + fast_e) / 2;

	(void)state;
	close_to(ref_acc, 0.0045);
	close_to(ref_e, 0.00528125);
	close_to(fast_acc, 0.002);
	close_to(mean_e, (0.00528125 + (0.002 + 0.01 * 125 / 3600)) / 2);
	w = run(scenario(buf, sizeof(buf), "{name: chat, task: chat, demand: 1000/day}", ""), &r, &s);
	close_to(w.energy_wh, mean_e);
	close_to(w.accelerator_wh, (0.0045 + 0.002) / 2);
	close_to(w.host_wh, (HOST_CAP_WH(0.0225) + HOST_CAP_WH(0.01)) / 2);
	close_to(w.time_s, 0.01625);
	assert_int_equal(w.spread_models, 2);
	close_to(w.spread_min_wh, fast_e);
	close_to(w.spread_max_wh, ref_e);
	/* inference energy: 1000 x 365 x mean e / 1000 kWh, its parts alike */
	close_to(r->variants[0].years[0].energy_kwh.inference, 1000.0 * 365 * mean_e / 1000);
	close_to(r->variants[0].years[0].energy_kwh.accelerator, 1000.0 * 365 * (0.0045 + 0.002) / 2 / 1000);
	est_result_free(r);
	est_scenario_free(s);
}

/*
 * deployment.gpu_to_node 1.5 enters twice (docs/model.md section 2): as the
 * host share (beta - 1) x e_acc, and in the accelerator part of a node figure
 * without a GPU reading, e_a = e_0 / beta.
 */
static void test_gpu_to_node_override(void **state)
{
	char buf[2048];
	est_result *r;
	est_scenario *s;
	est_workload_result w;

	(void)state;
	/*
	 * small-ref (GPU-only) with time_per_inference 0.09 s, so that the host
	 * share stays under its cap: e_a,d = 0.01 x 0.5 = 0.005 Wh in 0.09 s (200 W)
	 *   e_acc  = 0.005 - 80 x 0.09/3600 = 0.003 Wh
	 *   e_host = 0.5 x 0.003 = 0.0015 Wh (cap 125 x 0.09/3600 = 0.003125; at 1.3: 0.0009)
	 *   e      = 0.0045 Wh (0.0039 Wh at the library's 1.3)
	 */
	w = run(scenario(buf, sizeof(buf),
			 "{name: chat, task: chat, model: test/small-chat, demand: 1000/day, "
			 "time_per_inference: 0.09 s}",
			 "gpu_to_node"), &r, &s);
	close_to(s->gpu_to_node, 1.5);
	close_to(w.accelerator_wh, 0.005 - IDLE_WH(0.09));
	close_to(w.host_wh, 0.5 * (0.005 - IDLE_WH(0.09)));
	close_to(w.energy_wh, 0.0045);
	close_to(w.time_s, 0.09);
	assert_int_equal(w.spread_models, 0);
	assert_true(has_line(&w, "host 0.0015 Wh (x 0.5: deployment.gpu_to_node, set by the scenario - 1"));
	est_result_free(r);
	est_scenario_free(s);
	/*
	 * big-lm-ref-again, node on ref-gpu without a GPU reading, 0.25 Wh, 2.5 s:
	 *   e_a    = 0.25 / 1.5 = 0.166667 Wh; e_a,d = x 0.5 = 0.0833333 Wh;
	 *   t      = 2.5 x 0.5 x 400/800 = 0.625 s (480 W: inside the bounds)
	 *   e_acc  = 0.0833333 - 80 x 0.625/3600 = 0.0694444 Wh (0.0822650 at 1.3)
	 *   e_host = min(0.5 x 0.0694444, 125 x 0.625/3600 = 0.0217014) = 0.0217014 Wh
	 *   e      = 0.0911458 Wh
	 */
	w = run(scenario(buf, sizeof(buf),
			 "{name: lm, task: text_generation, model: ext/text_generation/big-lm-ref-again, demand: 10/day}",
			 "gpu_to_node"), &r, &s);
	close_to(w.accelerator_wh, 0.25 / 1.5 * 0.5 - IDLE_WH(0.625));
	close_to(w.host_wh, HOST_CAP_WH(0.625));
	close_to(w.energy_wh, 0.25 / 1.5 * 0.5 - IDLE_WH(0.625) + HOST_CAP_WH(0.625));
	close_to(w.time_s, 0.625);
	assert_true(has_line(&w, "/ 1.5 (deployment.gpu_to_node, set by the scenario)"));
	est_result_free(r);
	est_scenario_free(s);
	/*
	 * small-ref without a time override: t0 comes from its GPU energy at
	 * ref-gpu's 400 W, so gpu_to_node leaves the time as it is:
	 * 0.01 x 3600 / 400 x 0.5 x 400/800 = 0.0225 s; the host share is capped
	 * (min(0.5 x 0.0045, 0.00078125)): e = 0.0045 + 0.00078125 Wh.
	 */
	w = run(scenario(buf, sizeof(buf), "{name: chat, task: chat, model: test/small-chat, demand: 1000/day}",
			 "gpu_to_node"), &r, &s);
	close_to(w.time_s, 0.0225);
	close_to(w.energy_wh, 0.0045 + 0.00078125);
	assert_true(has_line(&w, "capped at the host's headroom"));
	est_result_free(r);
	est_scenario_free(s);
}

/*
 * small-ref with hardware_energy_factor 0.6 and hardware_time_factor 0.8,
 * in place of 0.5 and 0.5 x 400/800 = 0.25:
 *   e_a,d = 0.01 x 0.6 = 0.006 Wh; t = 0.09 x 0.8 = 0.072 s (300 W: inside the bounds)
 *   e_acc = 0.006 - 80 x 0.072/3600 = 0.0044 Wh
 *   e_host = 0.3 x 0.0044 = 0.00132 Wh (cap 125 x 0.072/3600 = 0.0025)
 *   e = 0.00572 Wh
 */
static void test_hardware_factor_overrides(void **state)
{
	char buf[2048];
	est_result *r;
	est_scenario *s;
	est_workload_result w;

	(void)state;
	w = run(scenario(buf, sizeof(buf),
			 "{name: chat, task: chat, model: test/small-chat, demand: 1000/day, "
			 "hardware_energy_factor: 0.6, hardware_time_factor: 0.8}", ""), &r, &s);
	close_to(w.accelerator_wh, 0.01 * 0.6 - IDLE_WH(0.09 * 0.8));
	close_to(w.host_wh, 0.3 * 0.0044);
	close_to(w.energy_wh, 0.00572);
	close_to(w.time_s, 0.072);
	assert_true(has_line(&w, "(set by the scenario)"));
	est_result_free(r);
	est_scenario_free(s);
	/*
	 * Factors 0.8 and 0.3 imply 0.008 Wh in 0.027 s, 1,067 W on an 800 W
	 * accelerator: clamped to 800 x 0.027/3600 = 0.006 Wh, then
	 * e_acc = 0.006 - 80 x 0.027/3600 = 0.0054 Wh,
	 * e_host = min(0.3 x 0.0054 = 0.00162, 125 x 0.027/3600 = 0.0009375) = 0.0009375 Wh.
	 */
	w = run(scenario(buf, sizeof(buf),
			 "{name: chat, task: chat, model: test/small-chat, demand: 1000/day, "
			 "hardware_energy_factor: 0.8, hardware_time_factor: 0.3}", ""), &r, &s);
	close_to(w.accelerator_wh, 0.0054);
	close_to(w.energy_wh, 0.0054 + 0.0009375);
	close_to(w.time_s, 0.027);
	assert_true(has_line(&w, "above its maximum 800 W"));
	est_result_free(r);
	est_scenario_free(s);
}

/*
 * The scenario's own file: node, fast-gpu, 0.05 Wh, 0.2 s, no GPU reading,
 * deployed on fast-gpu (h = 1, t = 0.2 s):
 *   e_a = 0.05 / 1.3 = 0.0384615 Wh (692 W: inside the bounds)
 *   e_acc = 0.0384615 - 80 x 0.2/3600 = 0.0340171 Wh
 *   e_host = min(0.3 x 0.0340171 = 0.0102051, 125 x 0.2/3600 = 0.0069444) = 0.0069444 Wh
 *   e = 0.0409615 Wh
 */
static void test_scenario_measurements(void **state)
{
	char buf[2048];
	est_result *r;
	est_scenario *s;
	est_workload_result w;

	(void)state;
	w = run(scenario(buf, sizeof(buf),
			 "{name: lab, task: text_generation, model: lab/our-model, demand: 1000/day}",
			 "measurements"), &r, &s);
	close_to(w.energy_wh, 0.05 / 1.3 - IDLE_WH(0.2) + HOST_CAP_WH(0.2));
	close_to(w.measured_wh, 0.05);
	close_to(w.time_s, 0.2);
	assert_string_equal(w.profile, "lab/text_generation/our-model");
	/* the base library is untouched */
	assert_null(est_profiles_model(lib, "lab/text_generation/our-model"));
	est_result_free(r);
	est_scenario_free(s);
}

/* costs.electricity_price by id: 0.1 EUR/kWh; 0.3 USD/kWh x 0.9 = 0.27 EUR/kWh. */
static void test_named_prices(void **state)
{
	char buf[2048];
	est_result *r;
	est_scenario *s;

	(void)state;
	run(scenario(buf, sizeof(buf), "{name: chat, task: chat, demand: 1000/day}",
		     "price:, electricity_price: TST/industrial"), &r, &s);
	close_to(s->electricity_price_per_kwh, 0.1);
	est_result_free(r);
	est_scenario_free(s);
	run(scenario(buf, sizeof(buf), "{name: chat, task: chat, demand: 1000/day}",
		     "price:, electricity_price: TST/usd"), &r, &s);
	close_to(s->electricity_price_per_kwh, 0.27);
	est_result_free(r);
	est_scenario_free(s);
}

/*
 * test/big-lm has three records: the task file's (ref-gpu), big-lm-fast
 * (fast-gpu, 0.07 Wh, 0.3 s, node) and big-lm-ref-again (ref-gpu). On
 * fast-gpu the name resolves to the one record measured there (h = 1):
 *   e_a = 0.07 / 1.3 = 0.0538462 Wh in 0.3 s (646 W: inside the bounds)
 *   e_acc = 0.0538462 - 80 x 0.3/3600 = 0.0471795 Wh
 *   e_host = min(0.3 x 0.0471795 = 0.0141538, 125 x 0.3/3600 = 0.0104167) = 0.0104167 Wh
 *   e = 0.0575962 Wh
 */
static void test_model_name_resolution(void **state)
{
	char buf[2048];
	est_result *r;
	est_scenario *s;
	est_workload_result w;

	(void)state;
	w = run(scenario(buf, sizeof(buf),
			 "{name: lm, task: text_generation, model: test/big-lm, demand: 10/day}", ""), &r, &s);
	assert_string_equal(w.profile, "ext/text_generation/big-lm-fast");
	close_to(w.energy_wh, 0.07 / 1.3 - IDLE_WH(0.3) + HOST_CAP_WH(0.3));
	close_to(w.measured_wh, 0.07);
	close_to(w.time_s, 0.3);
	est_result_free(r);
	est_scenario_free(s);
	/*
	 * an id always wins: big-lm-ref-again, 0.25 Wh node on ref-gpu:
	 *   e_a,d = 0.25 / 1.3 x 0.5 = 0.0961538 Wh in 0.625 s (554 W: inside the bounds)
	 *   e_acc = 0.0961538 - 80 x 0.625/3600 = 0.0822650 Wh
	 *   e_host = min(0.3 x 0.0822650 = 0.0246795, 125 x 0.625/3600 = 0.0217014) = 0.0217014 Wh
	 *   e = 0.1039663 Wh
	 */
	w = run(scenario(buf, sizeof(buf),
			 "{name: lm, task: text_generation, model: ext/text_generation/big-lm-ref-again, demand: 10/day}",
			 ""), &r, &s);
	assert_string_equal(w.profile, "ext/text_generation/big-lm-ref-again");
	close_to(w.energy_wh, 0.25 / 1.3 * 0.5 - IDLE_WH(0.625) + HOST_CAP_WH(0.625));
	/* 2.5 s x 0.5 x 400 W / 800 W */
	close_to(w.time_s, 0.625);
	est_result_free(r);
	est_scenario_free(s);
}

static void expect_error(const char *text, int line, int column, const char *message)
{
	est_error err;
	est_scenario *s = NULL;

	est_error_clear(&err);
	assert_int_equal(est_scenario_load_buffer(&s, NAME, text, strlen(text), lib, &err), EST_EINVALID);
	assert_null(s);
	if (strcmp(err.message, message) || err.line != line || err.column != column)
		fail_msg("got %d:%d: %s\nexpected %d:%d: %s", err.line, err.column, err.message, line,
			 column, message);
}

static void test_errors(void **state)
{
	char buf[2048];

	(void)state;
	/* the reference figure cannot size capacity without both overrides (workload line 7) */
	expect_error(scenario(buf, sizeof(buf),
			      "{name: v, task: chat, model: test/vendor-assistant, demand: 10/day}", ""),
		     7, 34,
		     "'ext/chat/vendor-average' is a reference figure on unknown hardware: it cannot size capacity; give energy_per_inference and time_per_inference");
	/* on ref-gpu two records of test/big-lm remain: name one by its id */
	expect_error("name: t\nhorizon: {start_year: 2026}\nsite: {grid: TST}\n"
		     "deployment: {accelerator: ref-gpu}\ncosts: {exchange_rates: {USD: 0.9}}\n"
		     "workloads:\n  - {name: lm, task: text_generation, model: test/big-lm, demand: 10/day}\n",
		     7, 46,
		     "model 'test/big-lm' has 3 records in text_generation (mini/text_generation/big-lm, "
		     "ext/text_generation/big-lm-fast, ext/text_generation/big-lm-ref-again); name one by its id");
	/* an unknown price id, with a suggestion; costs is on line 5, the value at column 71 */
	expect_error(scenario(buf, sizeof(buf), "{name: chat, task: chat, demand: 1000/day}",
			      "price:, electricity_price: TST/industral"),
		     5, 71, "unknown price 'TST/industral'; did you mean 'TST/industrial'?");
}

/* Extend the library with one measurement file written from text; its error. */
static void expect_file_error(const char *text, int line, int column, const char *message)
{
	char path[] = "/tmp/estimator-measure-XXXXXX";
	const char *files[1];
	est_profiles *ext = NULL;
	est_error err;
	FILE *f;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	files[0] = path;
	est_error_clear(&err);
	assert_int_equal(est_profiles_extend(&ext, lib, files, 1, &err), EST_EINVALID);
	assert_null(ext);
	remove(path);
	assert_string_equal(err.file, path);
	if (strcmp(err.message, message) || err.line != line || err.column != column)
		fail_msg("got %d:%d: %s\nexpected %d:%d: %s", err.line, err.column, err.message, line,
			 column, message);
}

static void test_measurement_file_errors(void **state)
{
	(void)state;
	expect_file_error("measurements:\n"
			  "  - {id: a, task: chat, model: m, kind: task-specific, hardware: ref-gpu,\n"
			  "     energy: 1 Wh, source: mini-measure}\n",
			  2, 5, "record 'a' has no 'boundary'");
	expect_file_error("measurements:\n"
			  "  - {id: a, task: chat, model: m, kind: task-specific, boundary: gpu,\n"
			  "     hardware: unknown, energy: 1 Wh, source: mini-measure}\n",
			  2, 5, "record 'a': hardware 'unknown' is only allowed for kind reference");
	expect_file_error("defaults: {boundary: gpu, hardware: ref-gpu, source: mini-measure}\n"
			  "measurements:\n"
			  "  - {id: a, task: chatt, model: m, kind: task-specific, energy: 1 Wh}\n",
			  3, 19, "unknown task 'chatt'; did you mean 'chat'?");
	expect_file_error("sources:\n"
			  "  - {id: mini-measure, title: again, year: 2026, locator: here}\n"
			  "measurements: []\n",
			  2, 5, "duplicate source id 'mini-measure'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_library_records),
		cmocka_unit_test(test_any_model_without_statistics),
		cmocka_unit_test(test_gpu_to_node_override),
		cmocka_unit_test(test_hardware_factor_overrides),
		cmocka_unit_test(test_scenario_measurements),
		cmocka_unit_test(test_named_prices),
		cmocka_unit_test(test_model_name_resolution),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_measurement_file_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
