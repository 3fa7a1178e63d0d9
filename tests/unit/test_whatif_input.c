/*
 * What-if analysis on a scenario held in memory and with user text that holds
 * control characters (issue 9): est_load_options.data and
 * est_solve_question.data stand for the file (standard input in the CLI),
 * the path then only naming it; a sweep's error at a point keeps its
 * message escaped (one line, no control character) when it names the point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <estimator/estimator.h>

#define NAME "not-a-file.yaml"
/* a workload whose name holds a tab and a line break */
#define DOC "version: 1\nname: in memory\nhorizon: {start_year: 2026, years: 3}\n" \
	    "site: {grid: TST}\ndeployment: {accelerator: ref-gpu}\n" \
	    "existing: {power: 50 kW}\ncosts: {exchange_rates: {USD: 0.9}}\n" \
	    "workloads:\n  - {name: \"chat\\tbot\\nestimator: forged\", task: text_generation, " \
	    "demand: 1000/day, growth: 20%}\n"
#define WORKLOAD "workloads[chat\tbot\nestimator: forged]"
#define WORKLOAD_SHOWN "workloads[chat\\tbot\\nestimator: forged]"

static est_profiles *g_mini;

static int setup(void **state)
{
	est_error err;

	(void)state;
	if (est_profiles_load(&g_mini, EST_TEST_DATA "/profiles-mini", &err) != 0) {
		print_error("profiles-mini: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	est_profiles_free(g_mini);
	return 0;
}

static void no_control_characters(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fail_msg("a control character (0x%02x) in \"%s\"", (unsigned char)*s, s);
}

static void test_load_from_data(void **state)
{
	est_load_options o;
	est_scenario *s = NULL;
	est_error err;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.data = DOC;
	o.len = strlen(DOC);
	assert_int_equal(est_scenario_load_with(&s, NAME, g_mini, &o, &err), 0);
	assert_string_equal(s->name, "in memory");
	assert_string_equal(s->file, NAME);
	est_scenario_free(s);
	/* an error in the document names it by the path */
	o.data = "version: 1\nname: [\n";
	o.len = strlen(o.data);
	assert_int_equal(est_scenario_load_with(&s, NAME, g_mini, &o, &err), EST_EINVALID);
	assert_null(s);
	assert_string_equal(err.file, NAME);
}

static void test_sweep_from_data(void **state)
{
	est_load_options load;
	est_sweep_options o;
	est_vary vary;
	est_sweep *s = NULL;
	est_error err;

	(void)state;
	memset(&load, 0, sizeof(load));
	memset(&o, 0, sizeof(o));
	load.data = DOC;
	load.len = strlen(DOC);
	assert_int_equal(est_vary_parse(&vary, "site.pue=1.2:1.4:3", 1, &err), 0);
	o.vary = &vary;
	o.n_vary = 1;
	o.load = &load;
	assert_int_equal(est_sweep_run(&s, NAME, &o, g_mini, &err), 0);
	assert_int_equal(s->n_points, 3);
	assert_string_equal(s->file, NAME);
	est_sweep_free(s);
}

/* The point's values in front of the message, escaped like the rest of it. */
static void test_sweep_point_message_escaped(void **state)
{
	est_load_options load;
	est_sweep_options o;
	est_vary vary;
	est_sweep *s = NULL;
	est_error err;

	(void)state;
	memset(&load, 0, sizeof(load));
	memset(&o, 0, sizeof(o));
	load.data = DOC;
	load.len = strlen(DOC);
	/* the second point is out of range */
	assert_int_equal(est_vary_parse(&vary, WORKLOAD ".growth=20%:-200%:2", 1, &err), 0);
	o.vary = &vary;
	o.n_vary = 1;
	o.load = &load;
	assert_int_equal(est_sweep_run(&s, NAME, &o, g_mini, &err), EST_EINVALID);
	assert_null(s);
	no_control_characters(err.message);
	if (strncmp(err.message, "at " WORKLOAD_SHOWN ".growth=-200%: ",
		    strlen("at " WORKLOAD_SHOWN ".growth=-200%: ")))
		fail_msg("message \"%s\"", err.message);
}

/* solve loads the scenario again at every value of the input: each time from the data. */
static void test_solve_from_data(void **state)
{
	est_solve_question q;
	est_solve_answer *a = NULL;
	est_error err;

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_MAX_INPUT, EST_LIMIT_POWER);
	q.input = WORKLOAD ".demand";
	assert_int_equal(est_solve_parse_range(&q, "1000/day:1e12/day", &err), 0);
	q.data = DOC;
	q.len = strlen(DOC);
	if (est_solve(&a, NAME, g_mini, &q, &err) != 0)
		fail_msg("solve: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
	assert_string_equal(a->scenario_file, NAME);
	assert_true(a->evaluations > 2);
	est_solve_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_from_data),
		cmocka_unit_test(test_sweep_from_data),
		cmocka_unit_test(test_sweep_point_message_escaped),
		cmocka_unit_test(test_solve_from_data),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
