/*
 * Goal seeking (estimator/lib/solve.c) on tests/data/hand-1.yaml with the
 * mini profiles (tests/data/profiles-mini), checked two ways that do not
 * use the solver:
 *
 * 1. Feed back: the answer is applied to the scenario by hand (every demand
 *    x m*, an input's value, the renewable share) and evaluated with
 *    est_model_run: the limit holds in every year; just beyond the answer
 *    (m* (1 + 2 tolerance), or the bracket's other end) it does not.
 *
 * 2. By hand (hand-1, docs/model.md §3):
 *
 *    Accelerators each workload needs at peak in year 0:
 *      a1 = 366415 /day / 86400 x 3 x 0.5 s / 0.6  = 10.602285880   (chat)
 *      a2 =  23456 /day / 86400 x 2 x 2.5 s / 0.6  =  2.262345679   (images)
 *    Both models fit one 80 GB fast-gpu (14 GB and 4 GB of weights x 1.2), so
 *    a replica is one accelerator and each workload takes its own whole
 *    accelerators: with every demand x m,
 *      A_load(y) = ceil(m a1 1.4^y) + ceil(m a2 1.1^y),
 *    largest in 2030: c1 = a1 1.4^4 = 40.72974144, c2 = a2 1.1^4 = 3.31230031.
 *    With one spare fast-server of 8, A_req(y) = A_load(y) + 8 and
 *    S_req(y) = ceil(A_load / 8) + 1.
 *
 *    --within accelerators, existing.servers = 6 (48 accelerators):
 *      ceil(m c1) + ceil(m c2) + 8 <= 48, i.e. ceil(m c1) + ceil(m c2) <= 40.
 *      The largest m is the best split n1 + n2 = 40 of min(n1 / c1, n2 / c2):
 *      n1 = 37: min(0.9084, 3 / c2 = 0.9057150); n1 = 36: 0.8839; n1 = 38:
 *      2 / c2 = 0.6038. So m* = 3 / c2 = 0.90571498 (images reach a fourth
 *      accelerator; chat then needs 37). Treated as one pool, the old
 *      ceil(m (c1 + c2)) <= 40 gave 40 / 44.042 = 0.9082: the whole replicas
 *      per workload cost 0.3 %.
 *    --within power, existing.power = 50 kW: demand grows every year, so
 *      S_inst(y) = S_req(y) (nothing bought lies idle); the IT peak is
 *      8 kW S_req + storage (< 0.1 kW): <= 50 kW  <=>  S_req(4) <= 6  <=>
 *      A_load(4) <= 40: the same m* = 3 / c2.
 *    --max workloads[chat].users, same power: a1 is users x 7 / 86400 x 2.5;
 *      images need ceil(c2) = 4 in 2030, so chat may take 36:
 *      users* = 36 / (7 / 86400 x 2.5 x 1.4^4) = 46266.4366
 *    --within power at the scenario's 10 kW: with no demand the IT peak is
 *      the existing server and storage, 1 x 8 kW + 2 TB x 1 W/TB = 8.002 kW
 *      (the storage required, 3 x (0.5 TB + 14 GB + 4 GB) = 1.554 TB, fits
 *      the 2 TB there); any demand at all needs 2 servers, 16.002 kW: m* = 0.
 *
 *    --runs-out, from the year table below (existing 1 server, lifetime 3)
 *      and the storage required worked out below; IT peak = 8 kW S_inst +
 *      storage / 1000 kW:
 *        year               2026 2027 2028 2029 2030
 *        ceil(a1 1.4^y)       11   15   21   30   41
 *        ceil(a2 1.1^y)        3    3    3    4    4
 *        A_req = sum + 8      22   26   32   42   53
 *        S_req               3    4    4    6    7
 *        S_exist             1    3    4    2    5   (1 + bought in the 2 years before)
 *        S_buy               2    1    0    4    2
 *        S_inst              3    4    4    6    7
 *
 *    --renewable-share: the market-based figure is facility (1 - r) + network
 *      (docs/model.md §7: network energy stays at the location intensity, and
 *      TST publishes no residual mix, so the facility part is at the grid
 *      average), so counted = facility kg (1 - r) + network kg + embodied
 *      <= budget gives r >= 1 - (budget - embodied - network kg) / facility kg
 *      in each year; the largest of these, from the model's facility and
 *      network energy, intensities and embodied figures (which do not depend
 *      on r), is r*.
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

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>

#include <estimator/estimator.h>

#ifndef EST_TEST_DATA
#error "EST_TEST_DATA must name tests/data"
#endif

#define MINI EST_TEST_DATA "/profiles-mini"
#define HAND1 EST_TEST_DATA "/hand-1.yaml"
#define HAND2 EST_TEST_DATA "/hand-2.yaml"
#define TOL EST_SOLVE_DEFAULT_TOLERANCE

static est_profiles *g_mini;

static int load_mini(void **state)
{
	est_error err;

	(void)state;
	gsl_set_error_handler_off();
	est_error_clear(&err);
	if (est_profiles_load(&g_mini, MINI, &err) != 0) {
		print_error("profiles-mini: %s\n", err.message);
		return -1;
	}
	return 0;
}

static int free_mini(void **state)
{
	(void)state;
	est_profiles_free(g_mini);
	return 0;
}

/* ---- hand figures ---- */

static const double a1 = 366415.0 / 86400 * 3 * 0.5 / 0.6;
static const double a2 = 23456.0 / 86400 * 2 * 2.5 / 0.6;

/* Whole accelerators of both workloads in year y with every demand x m (header). */
static double hand_a_load(double m, int y)
{
	return ceil(m * a1 * pow(1.4, y)) + ceil(m * a2 * pow(1.1, y));
}

/* Storage required by hand-1 in year y, TB (docs/model.md §4, retention 2.5 and 1 years). */
static double hand_storage_tb(int y)
{
	double v1 = 0, v2, bytes;
	int j;

	for (j = 0; j <= y; j++) {
		double keep = 2.5 - (y - j);
		keep = keep < 0 ? 0 : keep > 1 ? 1 : keep;
		v1 += 365.0 * 366415 * pow(1.4, j) * 3000 * keep;
	}
	v2 = 365.0 * 23456 * pow(1.1, y) * 1e6;
	bytes = 0.5e12 + 14e9 + 4e9 + v1 + v2;
	return 3 * bytes / 1e12;
}

/* hand-1 year table (header) */
static const double hand_s_inst[5] = {3, 4, 4, 6, 7};
static const double hand_a_req[5] = {22, 26, 32, 42, 53};

/* ---- the feed back: the scenario evaluated by hand at a value ---- */

static est_override ov(const char *path, const char *value)
{
	est_override o;

	memset(&o, 0, sizeof(o));
	o.path = path;
	o.value = value;
	o.origin = "test";
	o.line = 1;
	o.column = 1;
	return o;
}

/* hand-1 with `sets`, every demand x m (m < 0: as loaded), renewable share r (r < 0: as loaded). */
static est_result *evaluate(const est_override *sets, size_t n_sets, double m, double r)
{
	est_load_options o;
	est_scenario *s = NULL;
	est_result *res = NULL;
	est_error err;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.overrides = sets;
	o.n_overrides = n_sets;
	o.base_only = 1;
	est_error_clear(&err);
	if (est_scenario_load_with(&s, HAND1, g_mini, &o, &err) != 0)
		fail_msg("hand-1 did not load: %s", err.message);
	if (m >= 0)
		for (i = 0; i < s->n_workloads; i++)
			s->workloads[i].requests_per_day *= m;
	if (r >= 0)
		s->renewable_share = r;
	if (est_model_run(&res, s, g_mini, &err) != 0)
		fail_msg("hand-1 did not run: %s", err.message);
	est_scenario_free(s);
	return res;
}

/* Does every year keep the limit? */
static int within(const est_result *r, est_solve_limit limit, double bound)
{
	const est_variant *v = &r->variants[0];
	size_t y;

	for (y = 0; y < v->n_years; y++) {
		const est_year *e = &v->years[y];
		double value = limit == EST_LIMIT_POWER ? e->it_peak_kw
			     : limit == EST_LIMIT_ACCELERATORS ? e->accelerators.required
			     : e->counted_kg;
		double cap = limit == EST_LIMIT_EMISSIONS ? e->budget_kg : bound;
		if (value > cap)
			return 0;
	}
	return 1;
}

static int within_at(const est_override *sets, size_t n, double m, double r, est_solve_limit limit,
		     double bound)
{
	est_result *res = evaluate(sets, n, m, r);
	int ok = within(res, limit, bound);

	est_result_free(res);
	return ok;
}

static est_solve_answer *solve_ok(const est_solve_question *q)
{
	est_solve_answer *a = NULL;
	est_error err;

	est_error_clear(&err);
	if (est_solve(&a, HAND1, g_mini, q, &err) != 0 || !a)
		fail_msg("solve failed: %s: %s", err.file, err.message);
	return a;
}

static int solve_fails(const est_solve_question *q, const char *file, est_error *err)
{
	est_solve_answer *a = (est_solve_answer *)1;
	int rc;

	est_error_clear(err);
	rc = est_solve(&a, file, g_mini, q, err);
	assert_null(a);
	return rc;
}

/* ---- parsing ---- */

static void test_parse_range(void **state)
{
	static const struct {
		const char *text;
		double low, high;
		const char *unit;
	} good[] = {
		{"1000:20000", 1000, 20000, ""},
		{"10%:90%", 10, 90, "%"},
		{"20 kW:80 kW", 20, 80, "kW"},
		{"1e3:2.5e3", 1000, 2500, ""},
		{"-10%:50%", -10, 50, "%"},
		{"100/day:5000/day", 100, 5000, "/day"},
	};
	static const char *const bad[] = {"10:abc", "10", "10:20:30", "10%:90", "90:10", ":5", "5:",
					  "5:5", "abc:10", ""};
	est_solve_question q;
	est_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		est_solve_question_init(&q, EST_SOLVE_MAX_INPUT, EST_LIMIT_POWER);
		assert_int_equal(est_solve_parse_range(&q, good[i].text, &err), 0);
		assert_true(q.low == good[i].low);
		assert_true(q.high == good[i].high);
		assert_string_equal(q.unit, good[i].unit);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		est_solve_question_init(&q, EST_SOLVE_MAX_INPUT, EST_LIMIT_POWER);
		est_error_clear(&err);
		if (est_solve_parse_range(&q, bad[i], &err) != EST_EUSAGE)
			fail_msg("'%s' parsed as a range", bad[i]);
		assert_true(strstr(err.message, "--between") != NULL);
	}
}

static void test_parse_budget_and_names(void **state)
{
	est_solve_question q;
	est_solve_limit l;
	est_error err;

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_CAPEX);
	assert_true(q.tolerance == 1e-6);
	assert_int_equal(q.max_iterations, 100);
	assert_int_equal(est_solve_parse_budget(&q, "2000000", &err), 0);
	assert_true(q.budget == 2e6);
	assert_string_equal(q.budget_currency, "");
	assert_int_equal(est_solve_parse_budget(&q, "2.5e6EUR", &err), 0);
	assert_true(q.budget == 2.5e6);
	assert_string_equal(q.budget_currency, "EUR");
	assert_int_equal(est_solve_parse_budget(&q, "5 kW", &err), EST_EUSAGE);
	assert_int_equal(est_solve_parse_budget(&q, "-1", &err), EST_EUSAGE);
	assert_int_equal(est_solve_parse_budget(&q, "lots", &err), EST_EUSAGE);

	assert_int_equal(est_solve_limit_parse(&l, "accelerators"), 0);
	assert_int_equal(l, EST_LIMIT_ACCELERATORS);
	assert_int_equal(est_solve_limit_parse(&l, "watts"), EST_EUSAGE);
	assert_string_equal(est_solve_limit_name(EST_LIMIT_CAPEX), "capex");
	assert_string_equal(est_solve_kind_name(EST_SOLVE_RUNS_OUT), "runs-out");
}

/* ---- max demand ---- */

static void check_demand(est_solve_limit limit, const est_override *set, double bound)
{
	est_solve_question q;
	est_solve_answer *a;
	double m, hand = 3 / (a2 * pow(1.1, 4)); /* header: m* = 3 / c2 */

	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, limit);
	q.overrides = set;
	q.n_overrides = 1;
	a = solve_ok(&q);
	m = a->value;
	assert_true(a->converged);
	assert_true(a->iterations >= 1 && a->iterations <= q.max_iterations);
	assert_true(a->bracket[0] < a->bracket[1]);
	assert_true(a->bracket[1] - a->bracket[0] <= TOL * a->bracket[0]);
	/* the answer is the feasible (lower) end, rounded down to what is printed */
	assert_true(m <= a->bracket[0] && m >= a->bracket[0] * (1 - 1e-9));
	if (fabs(m - hand) > 2 * TOL * hand)
		fail_msg("m* = %.12g, by hand 3 / %.10g = %.12g", m, a2 * pow(1.1, 4), hand);
	/* at m* the 2030 load is 37 + 3 = 40 accelerators; a step on, 37 + 4 */
	assert_true(hand_a_load(m, 4) == 40 && hand_a_load(m * (1 + 2 * TOL), 4) == 41);
	/* feed back */
	assert_true(within_at(set, 1, m, -1, limit, bound));
	assert_false(within_at(set, 1, m * (1 + 2 * TOL), -1, limit, bound));
	assert_false(within_at(set, 1, a->bracket[1], -1, limit, bound));
	assert_int_equal(a->binding.year, 2030);
	assert_true(a->binding.value <= bound && a->binding.beyond > bound);
	assert_true(a->binding.limit == bound);
	est_solve_free(a);
}

static void test_demand_accelerators(void **state)
{
	est_override set = ov("existing.servers", "6");

	(void)state;
	check_demand(EST_LIMIT_ACCELERATORS, &set, 48);
}

static void test_demand_power(void **state)
{
	est_override set = ov("existing.power", "50 kW");

	(void)state;
	check_demand(EST_LIMIT_POWER, &set, 50);
}

static void test_demand_power_none_fits(void **state)
{
	est_solve_question q;
	est_solve_answer *a;

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_POWER);
	a = solve_ok(&q);
	assert_true(a->value == 0);
	assert_true(a->converged);
	assert_int_equal(a->iterations, 0);
	assert_true(a->bracket[0] == 0 && a->bracket[1] == TOL);
	assert_non_null(a->note);
	assert_int_equal(a->binding.year, 2026);
	assert_true(fabs(a->binding.value - 8.002) < 1e-9);
	assert_true(a->binding.limit == 10);
	assert_true(fabs(a->binding.beyond - 16.002) < 1e-9);
	assert_true(within_at(NULL, 0, 0, -1, EST_LIMIT_POWER, 10));
	assert_false(within_at(NULL, 0, a->bracket[1], -1, EST_LIMIT_POWER, 10));
	est_solve_free(a);
}

/* ---- max input ---- */

static void test_max_users(void **state)
{
	est_override sets[2] = {ov("existing.power", "50 kW"), ov("workloads[chat].users", "")};
	est_solve_question q;
	est_solve_answer *a;
	est_error err;
	char at[64], beyond[64];
	/* images take ceil(a2 1.1^4) = 4 of the 40 accelerators in 2030; chat the other 36 */
	double hand = (40 - ceil(a2 * pow(1.1, 4))) / (7.0 / 86400 * 3 * 0.5 / 0.6 * pow(1.4, 4));

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_MAX_INPUT, EST_LIMIT_POWER);
	q.input = "workloads[chat].users";
	assert_int_equal(est_solve_parse_range(&q, "1000:100000", &err), 0);
	q.overrides = sets;
	q.n_overrides = 1;
	a = solve_ok(&q);
	assert_true(a->converged);
	assert_string_equal(a->input, "workloads[chat].users");
	if (fabs(a->value - hand) > 2 * TOL * hand)
		fail_msg("users* = %.12g, by hand %.12g", a->value, hand);
	snprintf(at, sizeof(at), "%.17g", a->value);
	snprintf(beyond, sizeof(beyond), "%.17g", a->value * (1 + 2 * TOL));
	sets[1].value = at;
	assert_true(within_at(sets, 2, -1, -1, EST_LIMIT_POWER, 50));
	sets[1].value = beyond;
	assert_false(within_at(sets, 2, -1, -1, EST_LIMIT_POWER, 50));
	est_solve_free(a);

	/* the whole range fits: the answer is its high end */
	est_solve_question_init(&q, EST_SOLVE_MAX_INPUT, EST_LIMIT_POWER);
	q.input = "workloads[chat].users";
	assert_int_equal(est_solve_parse_range(&q, "1000:10000", &err), 0);
	q.overrides = sets;
	q.n_overrides = 1;
	a = solve_ok(&q);
	assert_true(a->value == 10000);
	assert_true(a->converged);
	assert_non_null(a->note);
	est_solve_free(a);
}

/* ---- the renewable share ---- */

static void test_renewable_share(void **state)
{
	est_solve_question q;
	est_solve_answer *a;
	est_result *r;
	double hand = 0, r_star;
	size_t y;

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_RENEWABLE_SHARE, EST_LIMIT_EMISSIONS);
	a = solve_ok(&q);
	r_star = a->value;
	assert_true(a->converged);
	assert_true(r_star > 0 && r_star < 1);
	/* the smallest share: the feasible end is the upper one */
	assert_true(r_star >= a->bracket[1]);
	r = evaluate(NULL, 0, -1, -1);
	for (y = 0; y < r->variants[0].n_years; y++) {
		const est_year *e = &r->variants[0].years[y];
		double facility_kg = e->energy_kwh.facility * e->market_g_per_kwh / 1000;
		double network_kg = e->energy_kwh.network * e->intensity_g_per_kwh / 1000;
		double need = 1 - (e->budget_kg - e->embodied_kg - network_kg) / facility_kg;
		if (need > hand)
			hand = need;
	}
	est_result_free(r);
	if (fabs(r_star - hand) > 2 * TOL * hand)
		fail_msg("r* = %.12g, from the yearly figures %.12g", r_star, hand);
	assert_true(within_at(NULL, 0, -1, r_star, EST_LIMIT_EMISSIONS, 0));
	assert_false(within_at(NULL, 0, -1, r_star - 2 * TOL, EST_LIMIT_EMISSIONS, 0));
	assert_int_equal(a->binding.year, 2030);
	est_solve_free(a);
}

/* ---- runs out ---- */

static int hand_first(double existing, int what)
{
	int y;

	for (y = 0; y < 5; y++) {
		double need = what == 0 ? 8 * hand_s_inst[y] + hand_storage_tb(y) / 1000
			    : what == 1 ? hand_a_req[y]
			    : hand_storage_tb(y);
		if (need > existing)
			return 2026 + y;
	}
	return 0;
}

static void test_runs_out(void **state)
{
	static const struct {
		const char *path, *value;
		est_solve_limit limit;
		double existing;
		int what; /* 0 power, 1 accelerators, 2 storage */
	} cases[] = {
		{NULL, NULL, EST_LIMIT_POWER, 10, 0},
		{"existing.power", "32 kW", EST_LIMIT_POWER, 32, 0},
		{"existing.power", "40 kW", EST_LIMIT_POWER, 40, 0},
		{"existing.power", "60 kW", EST_LIMIT_POWER, 60, 0},
		{"existing.servers", "4", EST_LIMIT_ACCELERATORS, 32, 1},
		{"existing.servers", "7", EST_LIMIT_ACCELERATORS, 56, 1},
		{"existing.storage", "35 TB", EST_LIMIT_STORAGE, 35, 2},
		{"existing.storage", "60 TB", EST_LIMIT_STORAGE, 60, 2},
	};
	/* the storage required by hand: 28.44 32.70 37.28 42.24 48.26 TB */
	static const int expect[] = {2026, 2027, 2029, 0, 2029, 0, 2028, 0};
	size_t i;

	(void)state;
	assert_true(fabs(hand_storage_tb(0) - 28.441993275) < 1e-6);
	for (i = 0; i < 5; i++)
		assert_true(hand_a_req[i] == hand_a_load(1, (int)i) + 8);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		est_override set;
		est_solve_question q;
		est_solve_answer *a;
		int year = hand_first(cases[i].existing, cases[i].what);

		assert_int_equal(year, expect[i]);
		est_solve_question_init(&q, EST_SOLVE_RUNS_OUT, cases[i].limit);
		if (cases[i].path) {
			set = ov(cases[i].path, cases[i].value);
			q.overrides = &set;
			q.n_overrides = 1;
		}
		a = solve_ok(&q);
		if (year) {
			assert_true(a->found);
			if (a->value != year)
				fail_msg("case %zu: runs out in %g, by hand %d", i, a->value, year);
			assert_int_equal(a->binding.year, year);
			assert_true(a->binding.value > a->binding.limit);
		} else {
			assert_false(a->found);
			assert_true(a->binding.value <= a->binding.limit);
		}
		assert_true(a->binding.limit == cases[i].existing);
		assert_int_equal(a->last_year, 2030);
		est_solve_free(a);
	}
}

/* ---- no answer ---- */

static void test_failures(void **state)
{
	est_override low = ov("existing.power", "5 kW"), loc = ov("targets.basis", "location");
	est_override tight = ov("targets.emissions_budget", "10 tCO2e"), big = ov("existing.power", "50 kW");
	est_solve_question q;
	est_error err;

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_POWER);
	q.overrides = &low;
	q.n_overrides = 1;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_ETARGET);
	assert_string_equal(err.file, HAND1);
	assert_string_equal(err.message, "even with no demand the limit is exceeded: in 2026, IT peak power 8.002 kW > existing.power 5 kW");

	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_POWER);
	q.overrides = &big;
	q.n_overrides = 1;
	q.max_iterations = 2;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_ETARGET);
	assert_true(strstr(err.message, "no answer within 2 iterations") != NULL);

	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_CAPEX);
	q.has_budget = 1;
	q.budget = 1e40;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_ETARGET);
	assert_true(strstr(err.message, "never binds") != NULL);

	est_solve_question_init(&q, EST_SOLVE_RENEWABLE_SHARE, EST_LIMIT_EMISSIONS);
	q.overrides = &tight;
	q.n_overrides = 1;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_ETARGET);
	assert_true(strstr(err.message, "even a renewable share of 100%") != NULL);

	est_solve_question_init(&q, EST_SOLVE_RENEWABLE_SHARE, EST_LIMIT_EMISSIONS);
	q.overrides = &loc;
	q.n_overrides = 1;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EINVALID);

	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_EMISSIONS);
	assert_int_equal(solve_fails(&q, HAND2, &err), EST_EINVALID);
	assert_true(strstr(err.message, "no ESG target") != NULL);

	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_CAPEX);
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EUSAGE); /* no budget */
	assert_int_equal(est_solve_parse_budget(&q, "1e6USD", &err), 0);
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EUSAGE); /* hand-1 is in EUR */

	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_POWER);
	q.tolerance = 0;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EUSAGE);
	q.tolerance = 1;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EUSAGE);
	q.tolerance = TOL;
	q.max_iterations = 0;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EUSAGE);

	est_solve_question_init(&q, EST_SOLVE_RUNS_OUT, EST_LIMIT_EMISSIONS);
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EUSAGE);

	est_solve_question_init(&q, EST_SOLVE_MAX_INPUT, EST_LIMIT_POWER);
	q.input = "workloads[nobody].users";
	q.low = 1;
	q.high = 2;
	assert_int_equal(solve_fails(&q, HAND1, &err), EST_EINVALID);
	assert_true(strncmp(err.message, "--max workloads[nobody].users at 1: ", 36) == 0);
}

/* ---- the three formats ---- */

static void test_render(void **state)
{
	est_override set = ov("existing.power", "50 kW");
	est_solve_question q;
	est_solve_answer *a;
	est_error err;
	cJSON *root, *o;
	char *text = NULL, line[128], num[64];
	size_t len = 0;

	(void)state;
	est_solve_question_init(&q, EST_SOLVE_MAX_DEMAND, EST_LIMIT_POWER);
	q.overrides = &set;
	q.n_overrides = 1;
	a = solve_ok(&q);

	assert_int_equal(est_solve_render(&text, &len, a, EST_FORMAT_JSON, &err), 0);
	assert_int_equal(strlen(text), len);
	root = cJSON_Parse(text);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "format")->valuestring, EST_SOLVE_FORMAT_ID);
	o = cJSON_GetObjectItem(root, "answer");
	assert_true(fabs(cJSON_GetObjectItem(o, "value")->valuedouble - a->value) <= 1e-9 * a->value);
	assert_string_equal(cJSON_GetObjectItem(o, "unit")->valuestring, "multiplier");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "bracket")), 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "converged")));
	o = cJSON_GetObjectItem(root, "binding");
	assert_int_equal(cJSON_GetObjectItem(o, "year")->valueint, 2030);
	assert_string_equal(cJSON_GetObjectItem(o, "metric")->valuestring, "power_kw.it_peak");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, "note")));
	cJSON_Delete(root);
	free(text);

	/* the printed answer is the value itself: fed back, it stays within */
	assert_int_equal(est_solve_render(&text, &len, a, EST_FORMAT_CSV, &err), 0);
	assert_true(strncmp(text, "key,value,unit\n", 15) == 0);
	snprintf(num, sizeof(num), "%.10g", a->value);
	snprintf(line, sizeof(line), "\nanswer.value,%s,multiplier\n", num);
	assert_non_null(strstr(text, line));
	assert_true(strtod(num, NULL) == a->value);
	free(text);

	assert_int_equal(est_solve_render(&text, &len, a, EST_FORMAT_TEXT, &err), 0);
	assert_non_null(strstr(text, "Converged:  yes\n"));
	assert_non_null(strstr(text, "Binding:    2030: IT peak power "));
	free(text);
	est_solve_free(a);
	est_solve_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_parse_budget_and_names),
		cmocka_unit_test(test_demand_accelerators),
		cmocka_unit_test(test_demand_power),
		cmocka_unit_test(test_demand_power_none_fits),
		cmocka_unit_test(test_max_users),
		cmocka_unit_test(test_renewable_share),
		cmocka_unit_test(test_runs_out),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests(tests, load_mini, free_mini);
}
