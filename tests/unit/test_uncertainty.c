/*
 * Monte Carlo against analytic results (estimator/lib/dist.c, sample.c), on
 * the mini profile library (tests/data/profiles-mini) and inline scenarios:
 * quantiles of a uniform and a lognormal input carried through the model,
 * fixed inputs giving p5 = p50 = p95 = the deterministic value, truncation,
 * the same bytes for any thread count, and the located distribution errors.
 *
 * Expected values are worked out below from docs/model.md and the mini
 * profiles; no estimator function computes an expected value.
 *
 * Sampling error. The empirical q-quantile of n independent samples has, in
 * probability, the binomial standard error sqrt(q (1 - q) / n); through the
 * density f at the true quantile x_q that is sqrt(q (1 - q) / n) / f(x_q) in
 * the variable. Every quantile check allows 4 of those standard errors (a
 * false alarm about once in 16,000 checks for a fixed seed, and the seeds are
 * fixed). A mean allows 4 sd / sqrt(n).
 *
 * =========================================================================
 * Hand calculation, UNIFORM (one workload, year 0)
 * =========================================================================
 * small-lm: e_0 = 0.04 Wh with a GPU reading of 0.024 Wh, t_0 = 0.5 s, node
 * boundary, one GPU, measured on ref-gpu; deployed on ref-gpu (ref-server:
 * G = 4, accelerator idle 40 W, max 400 W, host idle 200 W, 2 kW), docs/model.md
 * section 2: e_a = 0.024 Wh in 0.5 s (172.8 W, within 40..400 W);
 *   e_acc = 0.024 - 40 x 0.5 / 3600 = 0.0184444 Wh
 *   e_host = min(0.3 x 0.0184444 = 0.0055333, (2000 - 200 - 4 x 400) / 4 W
 *            x 0.5 / 3600 = 0.0069444) = 0.0055333 Wh
 *   e_w = 0.0239778 Wh above idle, t = 0.5 s; 2 GB of weights: one per replica.
 * users U ~ uniform(4000, 6000), 20 requests a day, peak to average 4:
 *   N = 365 x 20 U = 7300 U inferences
 *   a = 20 U / 86400 x 4 x 0.5 / 0.5 = U / 1080 in (3.70, 5.56):
 *       A_load = 4 when U <= 4320 (probability 0.16): one server;
 *       5 or 6 above: two servers (S_inst = S_buy, none existing)
 *   storage: weights 1e9 x 2 B, replication 2: 0.004 TB, 0.004 x 1 W x 8760 h
 *       = 0.03504 kWh
 *   E_IT = N 0.0239778 / 1000 + S (200 + 4 x 40) W x 8760 / 1000 + 0.03504
 *        = N 0.0239778 / 1000 + 3153.6 S + 0.03504          kWh
 *   E_facility = 1.5 E_IT (enterprise PUE)
 * Every metric is increasing in U, so its q-quantile is the formula at
 * U_q = 4000 + 2000 q (4100, 5000, 5900: far from the step at 4320). The
 * density of U is 1/2000: a quantile's tolerance is 4 x 2000 x sqrt(q (1 - q)
 * / n) users (n = 20000: 12.3 users at p5 and p95, 28.3 at p50), times 7300
 * for inferences and 1.5 x 7300 x 0.0239778 / 1000 for facility energy.
 * Servers to buy: 1 with probability 0.16, so p5 = 1, p50 = p95 = 2 and the
 * mean 1.84 (sd 0.367); accelerators to buy, those of the servers bought, 4
 * times that: 4, 8, 8 and 7.36.
 *
 * =========================================================================
 * LOGNORMAL: demand with median M = 100000/day and gsd G = 1.5
 * =========================================================================
 * N = 365 D: median 365 M, p95 = 365 M G^z with z = 1.6448536269514722
 * (the standard normal's 95th percentile). With s = ln G the density at x_q
 * is phi(z_q) / (x_q s), so a quantile's tolerance is
 * 4 sqrt(q (1 - q) / n) x_q s / phi(z_q): 1.44 % of the median and 2.42 % of
 * p95 for n = 20000.
 *
 * =========================================================================
 * TRUNCATED: peak_to_average normal(mean 1.2, sd 1), allowed range [1, 1000]
 * =========================================================================
 * Truncated at 1: no sample below 1; the deterministic value is the median m
 * with (Phi(m - 1.2) - Phi(-0.2)) / (1 - Phi(-0.2)) = 1/2 (m = 1.7546), and
 * since accelerators grow with the peak, no sample needs fewer than the
 * scenario with peak_to_average 1.
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

#include <estimator/estimator.h>

#include "headlines.h"

#ifndef EST_TEST_DATA
#error "EST_TEST_DATA must name tests/data"
#endif

#define MINI_PROFILES EST_TEST_DATA "/profiles-mini"
#define NAME "inline.yaml"
#define N_ANALYTIC 20000
#define K_SE 4.0 /* standard errors allowed */
#define Z95 1.6448536269514722
#define SQRT_2PI 2.5066282746310002

static est_profiles *g_mini;
static int g_bad;

/* ------------------------------------------------------------------------ */
/* Checks that print every mismatch; finish() fails the test once.           */

static void within_at(double actual, double expected, double tol, const char *what, int line)
{
	if (isfinite(actual) && fabs(actual - expected) <= tol)
		return;
	print_error("%s = %.10g, expected %.10g within %.4g (test line %d)\n", what, actual,
		    expected, tol, line);
	g_bad++;
}
#define check_within(actual, expected, tol) \
	within_at((double)(actual), (double)(expected), (double)(tol), #actual, __LINE__)

static void true_at(int cond, const char *what, int line)
{
	if (cond)
		return;
	print_error("not true: %s (test line %d)\n", what, line);
	g_bad++;
}
#define check_true(cond) true_at(!!(cond), #cond, __LINE__)

static void finish(void)
{
	int bad = g_bad;

	g_bad = 0;
	if (bad)
		fail_msg("%d check(s) failed (listed above)", bad);
}

/* ------------------------------------------------------------------------ */

static int setup(void **state)
{
	est_error err;

	(void)state;
	est_error_clear(&err);
	if (est_profiles_load(&g_mini, MINI_PROFILES, &err) != 0) {
		print_error("cannot load %s: %s\n", MINI_PROFILES, err.message);
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

static size_t headline(const char *key)
{
	size_t h;

	for (h = 0; h < est_n_headlines; h++)
		if (!strcmp(est_headlines[h].key, key))
			return h;
	fail_msg("no headline metric %s", key);
	return 0;
}

static est_scenario *load_at(const char *text, int line)
{
	est_scenario *s = NULL;
	est_error err;

	est_error_clear(&err);
	if (est_scenario_load_buffer(&s, NAME, text, strlen(text), g_mini, &err) != 0)
		fail_msg("scenario at test line %d: %s:%d:%d: %s", line, err.file, err.line,
			 err.column, err.message);
	return s;
}
#define load(text) load_at((text), __LINE__)

/* The deterministic result of s, sampled n times with seed and threads. */
static est_result *sampled(const est_scenario *s, size_t n, unsigned long seed, int threads)
{
	est_sample_options o = {n, seed, threads};
	est_result *r = NULL;
	est_error err;

	est_error_clear(&err);
	if (est_model_run(&r, s, g_mini, &err) != 0 || est_model_sample(r, s, g_mini, &o, &err) != 0)
		fail_msg("sampling failed: %s", err.message);
	return r;
}

static char *render(const est_result *r, est_format f)
{
	char *out = NULL;
	size_t len;
	est_error err;

	if (est_render(&out, &len, r, f, &err) != 0)
		fail_msg("render failed: %s", err.message);
	return out;
}

/* Tolerance of the empirical q-quantile of n samples, with density f there. */
static double quantile_tol(double q, double density)
{
	return K_SE * sqrt(q * (1 - q) / N_ANALYTIC) / density;
}

static double std_normal_pdf(double z)
{
	return exp(-z * z / 2) / SQRT_2PI;
}

static double std_normal_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2));
}

/* ------------------------------------------------------------------------ */
/* A uniform demand: quantiles of inferences, facility energy, accelerators.  */

static const char uniform_yaml[] =
	"version: 1\n"
	"name: Uniform users\n"
	"horizon: {start_year: 2026, years: 1}\n"
	"site: {grid: TST}\n"
	"deployment: {accelerator: ref-gpu, utilisation: 50%}\n"
	"costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"
	"workloads:\n"
	"  - name: chat\n"
	"    task: text_generation\n"
	"    model: mini/text_generation/small-lm\n"
	"    users: {dist: uniform, min: 4000, max: 6000}\n"
	"    requests_per_user: 20/day\n"
	"    peak_to_average: 4\n";

/* e_w of small-lm on ref-gpu, Wh (header) */
#define UNIFORM_WH (0.024 - 40 * 0.5 / 3600 + 0.3 * (0.024 - 40 * 0.5 / 3600))

static double uniform_facility_kwh(double users)
{
	double n = 7300 * users, servers = users <= 4320 ? 1 : 2;

	return 1.5 * (n * UNIFORM_WH / 1000 + 3153.6 * servers + 0.03504);
}

static void test_uniform_quantiles(void **state)
{
	static const double q[3] = {0.05, 0.50, 0.95};
	est_scenario *s = load(uniform_yaml);
	est_result *r = sampled(s, N_ANALYTIC, 20261, 4);
	const est_year *y = &r->variants[0].years[0];
	const est_range *inf = &y->ranges[headline("inferences")];
	const est_range *fac = &y->ranges[headline("energy_kwh.facility")];
	const est_range *acc = &y->ranges[headline("accelerators.to_buy")];
	const est_range *srv = &y->ranges[headline("servers.to_buy")];
	const double got_inf[3] = {inf->p5, inf->p50, inf->p95};
	const double got_fac[3] = {fac->p5, fac->p50, fac->p95};
	const double slope = 1.5 * 7300 * UNIFORM_WH / 1000; /* kWh per user */
	size_t i;

	(void)state;
	/* the deterministic run holds the median, 5000 users */
	check_within(s->workloads[0].users, 5000, 1e-9);
	check_within(y->inferences, 7300.0 * 5000, 1e-3);
	check_within(y->energy_kwh.facility, uniform_facility_kwh(5000), 1e-6);
	for (i = 0; i < 3; i++) {
		double users = 4000 + 2000 * q[i], tol = quantile_tol(q[i], 1.0 / 2000);
		check_within(got_inf[i], 7300 * users, 7300 * tol);
		check_within(got_fac[i], uniform_facility_kwh(users), slope * tol);
	}
	check_within(inf->mean, 7300.0 * 5000, 7300 * K_SE * (2000 / sqrt(12)) / sqrt(N_ANALYTIC));
	check_true(srv->p5 == 1 && srv->p50 == 2 && srv->p95 == 2);
	check_within(srv->mean, 1.84, K_SE * sqrt(0.16 * 0.84 / N_ANALYTIC));
	check_true(acc->p5 == 4 && acc->p50 == 8 && acc->p95 == 8);
	check_within(acc->mean, 7.36, 4 * K_SE * sqrt(0.16 * 0.84 / N_ANALYTIC));
	check_true(r->samples == N_ANALYTIC && r->seed == 20261);
	est_result_free(r);
	est_scenario_free(s);
	finish();
}

/* ------------------------------------------------------------------------ */
/* Fixed inputs: every quantile and the mean equal the deterministic value.   */

static const char fixed_yaml[] =
	"version: 1\n"
	"name: Fixed inputs\n"
	"horizon: {start_year: 2026, years: 3}\n"
	"site: {grid: TST, renewable_share: 30%}\n"
	"existing: {servers: 1, storage: 1 TB, power: 2 kW}\n"
	"deployment: {accelerator: fast-gpu, utilisation: 60%, spare_servers: 1, lifetime: 2 years}\n"
	"costs: {currency: EUR, exchange_rates: {USD: 0.9}, storage_price: 100 EUR/TB}\n"
	"workloads:\n"
	"  - name: chat\n"
	"    task: text_generation\n"
	"    model: mini/text_generation/big-lm\n"
	"    users: 20000\n"
	"    requests_per_user: 7/day\n"
	"    growth: {dist: fixed, value: 40%}\n"
	"    peak_to_average: 3\n"
	"    output_size: 2 KB\n"
	"  - name: images\n"
	"    task: image_generation\n"
	"    model: mini/image_generation/img-b\n"
	"    demand: 5000/day\n"
	"    growth: 10%\n"
	"    output_size: 1 MB\n";

static void same_at(double actual, double expected, const char *what, size_t year, int line)
{
	if (actual == expected || fabs(actual - expected) <= 1e-12 * fabs(expected))
		return;
	print_error("%s of row %zu = %.17g, deterministic %.17g (test line %d)\n", what, year,
		    actual, expected, line);
	g_bad++;
}

static void test_fixed_inputs_collapse(void **state)
{
	est_scenario *s = load(fixed_yaml);
	est_result *r = sampled(s, 300, 5, 2);
	const est_variant *v = &r->variants[0];
	size_t y, h;

	(void)state;
	check_true(s->n_uncertain == 1); /* the fixed growth */
	for (y = 0; y <= v->n_years; y++) {
		const est_year *yr = y < v->n_years ? &v->years[y] : &v->totals;
		check_true(yr->has_ranges);
		for (h = 0; h < est_n_headlines; h++) {
			double det = est_headlines[h].get(yr);
			same_at(yr->ranges[h].p5, det, est_headlines[h].key, y, __LINE__);
			same_at(yr->ranges[h].p50, det, est_headlines[h].key, y, __LINE__);
			same_at(yr->ranges[h].p95, det, est_headlines[h].key, y, __LINE__);
			same_at(yr->ranges[h].mean, det, est_headlines[h].key, y, __LINE__);
		}
	}
	est_result_free(r);
	est_scenario_free(s);
	finish();
}

/* ------------------------------------------------------------------------ */
/* A lognormal demand: its median and 95th percentile recovered.              */

static const char lognormal_yaml[] =
	"version: 1\n"
	"name: Lognormal demand\n"
	"horizon: {start_year: 2026, years: 1}\n"
	"site: {grid: TST}\n"
	"deployment: {accelerator: ref-gpu}\n"
	"costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"
	"workloads:\n"
	"  - name: chat\n"
	"    task: text_generation\n"
	"    model: mini/text_generation/small-lm\n"
	"    demand: {dist: lognormal, median: 100000/day, gsd: 1.5}\n";

static void test_lognormal_median(void **state)
{
	const double m = 365 * 100000.0, sigma = log(1.5), p95 = m * pow(1.5, Z95);
	est_scenario *s = load(lognormal_yaml);
	est_result *r = sampled(s, N_ANALYTIC, 77, 3);
	const est_range *inf = &r->variants[0].years[0].ranges[headline("inferences")];

	(void)state;
	check_within(s->workloads[0].requests_per_day, 100000, 1e-12 * 100000);
	check_within(r->variants[0].years[0].inferences, m, 1e-9 * m);
	check_within(inf->p50, m, quantile_tol(0.5, std_normal_pdf(0) / (m * sigma)));
	check_within(inf->p95, p95, quantile_tol(0.95, std_normal_pdf(Z95) / (p95 * sigma)));
	est_result_free(r);
	est_scenario_free(s);
	finish();
}

/* ------------------------------------------------------------------------ */
/* A truncated normal never leaves its field's range.                          */

/* a format: %s is peak_to_average */
static const char truncated_yaml[] =
	"version: 1\n"
	"name: Truncated peak\n"
	"horizon: {start_year: 2026, years: 1}\n"
	"site: {grid: TST}\n"
	"deployment: {accelerator: ref-gpu, utilisation: 50%%}\n"
	"costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"
	"workloads:\n"
	"  - name: chat\n"
	"    task: text_generation\n"
	"    model: mini/text_generation/small-lm\n"
	"    demand: 1000000/day\n"
	"    peak_to_average: %s\n";

static void test_truncated_normal(void **state)
{
	char text[sizeof(truncated_yaml) + 64];
	est_scenario *s, *flat;
	est_result *r;
	est_samples *x = NULL;
	est_sample_options o = {N_ANALYTIC, 9, 2};
	est_error err;
	double det_acc, median, lo = HUGE_VAL, phi_lo = std_normal_cdf(-0.2), *col;
	size_t acc = headline("accelerators.to_buy"), stride, i;

	(void)state;
	snprintf(text, sizeof(text), truncated_yaml, "{dist: normal, mean: 1.2, sd: 1}");
	s = load(text);
	snprintf(text, sizeof(text), truncated_yaml, "1");
	flat = load(text);
	r = sampled(flat, 1, 0, 1);
	det_acc = r->variants[0].years[0].accelerators.to_buy;
	est_result_free(r);

	/* the deterministic value is the truncated normal's median */
	median = s->workloads[0].peak_to_average;
	check_within((std_normal_cdf(median - 1.2) - phi_lo) / (1 - phi_lo), 0.5, 1e-9);

	est_error_clear(&err);
	if (est_sample_variant(&x, s, g_mini, &o, &err) != 0)
		fail_msg("sampling failed: %s", err.message);
	check_true(x->n_inputs == 1);
	stride = (x->n_years + 1) * EST_RANGED;
	col = malloc(x->n * sizeof(*col));
	assert_non_null(col);
	for (i = 0; i < x->n; i++) {
		double peak = x->inputs[i * x->n_inputs];
		lo = fmin(lo, peak);
		check_true(peak >= 1 && peak <= 1000);
		check_true(x->metrics[i * stride + acc] >= det_acc);
		col[i] = peak;
	}
	print_message("truncated normal: lowest of %zu samples %.6f (bound 1), accelerators >= %g\n",
		      x->n, lo, det_acc);
	/* half the samples lie below the analytic median (binomial: 4 sd of the share) */
	{
		size_t below = 0;
		for (i = 0; i < x->n; i++)
			below += col[i] <= median;
		check_within((double)below / (double)x->n, 0.5, K_SE * sqrt(0.25 / N_ANALYTIC));
	}
	free(col);
	est_samples_free(x);
	est_scenario_free(flat);
	est_scenario_free(s);
	finish();
}

/* ------------------------------------------------------------------------ */
/* Every kind at once: bounds kept, same bytes for any thread count.           */

static const char mixed_yaml[] =
	"version: 1\n"
	"name: Every kind\n"
	"horizon: {start_year: 2026, years: 3}\n"
	"site:\n"
	"  grid: TST\n"
	"  renewable_share: {dist: uniform, min: 10%, max: 60%}\n"
	"  pue: {dist: triangular, min: 1.2, mode: 1.4, max: 1.9}\n"
	"deployment:\n"
	"  accelerator: fast-gpu\n"
	"  utilisation: {dist: normal, mean: 60%, sd: 30%}\n"
	"costs:\n"
	"  currency: EUR\n"
	"  exchange_rates: {USD: 0.9}\n"
	"  server_price: {dist: empirical, values: [250000 USD, 300000 USD, 320000 USD]}\n"
	"workloads:\n"
	"  - name: chat\n"
	"    task: text_generation\n"
	"    model: mini/text_generation/small-lm\n"
	"    demand: {dist: lognormal, median: 200000/day, gsd: 2}\n"
	"    growth: {dist: normal, mean: 5%, sd: 50%}\n"
	"    peak_to_average: {dist: lognormal, median: 1.1, gsd: 1.5}\n"
	"  - name: images\n"
	"    task: image_generation\n"
	"    demand: 3000/day\n";

static est_result *r_last(const est_scenario *s)
{
	return sampled(s, 1000, 12345, 2);
}

/*
 * The ranges in the text (a section per variant, lines within 110
 * characters) and the CSV (sampling rows, then uncertainty rows in the
 * metric's unit).
 */
static void check_text_and_csv(est_result *r)
{
	/* the two sampling rows first (docs/output-format.md); the rows of the result's
	 * own header (equivalence factors, the deployment's powers) may follow */
	static const char csv_head[] = "variant,year,metric,value,unit\n"
				       ",,sampling.samples,1000,count\n"
				       ",,sampling.seed,12345,mt19937\n";
	char *text = render(r, EST_FORMAT_TEXT), *csv = render(r, EST_FORMAT_CSV);
	const char *p, *section = strstr(text, "\nUncertainty (1,000 samples, seed 12345, generator mt19937): "
					       "p5 / median / p95\n");
	const char *end = section ? strstr(section, "\nWhat to buy when:") : NULL;

	check_true(section && end);
	for (p = section; p && p < end;) {
		const char *nl = strchr(p + 1, '\n');
		if (nl && nl - p - 1 > 110) {
			print_error("a line of %d characters: %.*s\n", (int)(nl - p - 1), (int)(nl - p - 1),
				    p + 1);
			g_bad++;
		}
		p = nl;
	}
	check_true(strstr(text, "\ntotal over the horizon ") != NULL);
	check_true(strstr(text, "\ncapex EUR ") != NULL);
	check_true(!strncmp(csv, csv_head, sizeof(csv_head) - 1));
	check_true(strstr(csv, "\nbase,2026,inferences,") != NULL);
	check_true(strstr(csv, "\nbase,2026,uncertainty.energy_kwh.facility.p5,") != NULL);
	p = strstr(csv, "\nbase,total,uncertainty.cost.capex.p95,");
	check_true(p && !strncmp(strchr(p + 1, '\n') - 4, ",EUR", 4));
	free(text);
	free(csv);
	est_result_free(r);
}

static void test_bounds_and_threads(void **state)
{
	est_scenario *s = load(mixed_yaml);
	est_samples *x = NULL;
	est_sample_options o = {1000, 12345, 1};
	est_error err;
	char *json[3], *other;
	est_result *r;
	size_t i, u;
	int t;

	(void)state;
	check_true(s->n_uncertain == 7);
	/* every sampled input inside its field's range and its distribution's support */
	est_error_clear(&err);
	if (est_sample_variant(&x, s, g_mini, &o, &err) != 0)
		fail_msg("sampling failed: %s", err.message);
	check_true(x->n_inputs == s->n_uncertain + 1); /* + the any-model images */
	for (u = 0; u < s->n_uncertain; u++) {
		const est_dist *d = &s->uncertain[u].dist;
		for (i = 0; i < x->n; i++) {
			double v = x->inputs[i * x->n_inputs + u];
			if (!(v >= d->lo && v <= d->hi && v >= est_dist_min(d) && v <= est_dist_max(d))) {
				print_error("%s: sample %zu is %.17g, outside [%g, %g]\n",
					    s->uncertain[u].path, i, v, d->lo, d->hi);
				g_bad++;
				break;
			}
		}
	}
	/*
	 * the any-model workload draws both measured images models, each at its e_w
	 * on fast-gpu (GPU boundary, energy x 0.5, time x 0.25, both above 800 W so
	 * clamped to it, less 80 W idle, host capped at fast-server's 125 W per
	 * accelerator; as in test_sensitivity.c): img-a 1.5 Wh in 12 s -> 3 s:
	 * (800 - 80) x 3 / 3600 + 125 x 3 / 3600 = 0.704167 Wh; img-b 3 Wh in 15 s
	 * -> 3.75 s: (720 + 125) x 3.75 / 3600 = 0.880208 Wh
	 */
	{
		int seen_a = 0, seen_b = 0;
		for (i = 0; i < x->n; i++) {
			double e = x->inputs[i * x->n_inputs + s->n_uncertain];
			seen_a |= fabs(e - (800 - 80 + 125) * 3 / 3600.0) < 1e-9;
			seen_b |= fabs(e - (800 - 80 + 125) * 3.75 / 3600.0) < 1e-9;
		}
		check_true(seen_a && seen_b);
	}
	est_samples_free(x);

	for (t = 1; t <= 3; t++) {
		r = sampled(s, 1000, 12345, t);
		json[t - 1] = render(r, EST_FORMAT_JSON);
		est_result_free(r);
	}
	check_true(!strcmp(json[0], json[1]) && !strcmp(json[0], json[2]));
	check_true(strstr(json[0], "\"seed\": 12345,") != NULL);
	check_true(strstr(json[0], "\"generator\": \"mt19937\"") != NULL);
	check_true(strstr(json[0], "\"samples\": 1000,") != NULL);
	check_text_and_csv(r_last(s));
	r = sampled(s, 1000, 12346, 2);
	other = render(r, EST_FORMAT_JSON);
	est_result_free(r);
	check_true(strcmp(json[0], other) != 0);
	free(other);
	for (t = 0; t < 3; t++)
		free(json[t]);
	est_scenario_free(s);
	finish();
}

/* ------------------------------------------------------------------------ */
/* Distribution errors, located exactly.                                      */

/*
 * One field of this template is replaced per case; the others keep their
 * default. Lines and columns are 1-based and counted here: the values start
 * at 6:12 (servers), 9:16 (utilisation), 12:25 (the USD rate), 13:17
 * (server_price), 18:13 (demand), 19:13 (growth), 20:14 (uncertainty).
 */
static const char template_yaml[] =
	"version: 1\n"                                    /* 1 */
	"name: Bad distributions\n"                       /* 2 */
	"horizon: {start_year: 2026, years: 1}\n"         /* 3 */
	"site: {grid: TST}\n"                             /* 4 */
	"existing:\n"                                     /* 5 */
	"  servers: %s\n"                                 /* 6 */
	"deployment:\n"                                   /* 7 */
	"  accelerator: ref-gpu\n"                        /* 8 */
	"  utilisation: %s\n"                             /* 9 */
	"costs:\n"                                        /* 10 */
	"  currency: EUR\n"                               /* 11 */
	"  exchange_rates: {USD: %s}\n"                   /* 12 */
	"  server_price: %s\n"                            /* 13 */
	"workloads:\n"                                    /* 14 */
	"  - name: chat\n"                                /* 15 */
	"    task: text_generation\n"                     /* 16 */
	"    model: mini/text_generation/small-lm\n"      /* 17 */
	"    demand: %s\n"                                /* 18 */
	"    growth: %s\n"                                /* 19 */
	"uncertainty: %s\n";                              /* 20 */

enum field { SERVERS, UTILISATION, RATE, PRICE, DEMAND, GROWTH, UNCERTAINTY, N_FIELDS };

static const char *const defaults[N_FIELDS] = {"0", "50%", "0.9", "100000 EUR", "1000/day",
					       "5%", "{samples: 10, seed: 3}"};

typedef struct bad_case {
	enum field field;
	const char *value;
	int line, column;
	const char *message;
} bad_case;

#define KINDS "(fixed, uniform, normal, lognormal, triangular, empirical)"

static const bad_case bad_cases[] = {
	/* the kind is checked first, at its value: 19:13 + "{dist: " */
	{GROWTH, "{dist: gamma, shape: 2}", 19, 20, "unknown distribution 'gamma' " KINDS},
	{GROWTH, "{min: 1%, max: 2%}", 19, 13, "growth: a distribution needs 'dist: KIND' " KINDS},
	{GROWTH, "{dist: uniform, min: 1%}", 19, 13, "growth: a uniform distribution needs 'max'"},
	{GROWTH, "{dist: lognormal, gsd: 2}", 19, 13, "growth: a lognormal distribution needs 'median'"},
	/* 'sd' at 19:13 + "{dist: uniform, min: 1%, max: 2%, " (34) */
	{GROWTH, "{dist: uniform, min: 1%, max: 2%, sd: 1%}", 19, 47,
	 "'sd' is not a parameter of a uniform distribution"},
	{GROWTH, "{dist: uniform, min: 1%, max: 2%, mux: 3%}", 19, 47,
	 "unknown key 'mux' in a distribution; did you mean 'max'?"},
	{GROWTH, "{dist: uniform, min: 2%, max: 2%}", 19, 13,
	 "growth: a uniform distribution needs min < max"},
	{GROWTH, "{dist: uniform, min: 3%, max: 2%}", 19, 13,
	 "growth: a uniform distribution needs min < max"},
	{GROWTH, "{dist: triangular, min: 1%, mode: 5%, max: 3%}", 19, 13,
	 "growth: a triangular distribution needs min <= mode <= max, min < max"},
	{GROWTH, "{dist: normal, mean: 5%, sd: 0%}", 19, 13, "growth: a normal distribution needs sd > 0"},
	/* 'sd' value at 19:13 + "{dist: normal, mean: 5%, sd: " (29) */
	{GROWTH, "{dist: normal, mean: 5%, sd: 1 kW}", 19, 42,
	 "sd: expected a plain number (e.g. 40%), got power (e.g. kW)"},
	{GROWTH, "{dist: normal, mean: -500%, sd: 1%}", 19, 13,
	 "growth: the normal distribution lies outside the allowed range (-99% to 10000%)"},
	{UTILISATION, "{dist: uniform, min: 50%, max: 120%}", 9, 16,
	 "utilisation: the distribution reaches outside the allowed range (0.0001% to 100%)"},
	{UTILISATION, "{dist: empirical, values: [50%, 150%]}", 9, 16,
	 "utilisation: the distribution reaches outside the allowed range (0.0001% to 100%)"},
	{UTILISATION, "{dist: lognormal, median: 50%, gsd: 1}", 9, 16,
	 "utilisation: a lognormal distribution needs median > 0 and gsd > 1"},
	{UTILISATION, "{dist: lognormal, median: 50%, gsd: 0.5}", 9, 16,
	 "utilisation: a lognormal distribution needs median > 0 and gsd > 1"},
	/* the second value at 18:13 + "{dist: empirical, values: [1000/day, " (37) */
	{DEMAND, "{dist: empirical, values: [1000/day, 2 kW]}", 18, 50,
	 "values: expected a rate (e.g. /day), got power (e.g. kW)"},
	{DEMAND, "{dist: empirical, values: []}", 18, 39, "values: give 1 to 100000 values"},
	/* the second value at 13:17 + "{dist: empirical, values: [90000 EUR, " (38) */
	{PRICE, "{dist: empirical, values: [90000 EUR, 120000 USD]}", 13, 55,
	 "values: 120000 USD is in USD, the values before it in EUR"},
	/* 'max' value at 13:17 + "{dist: uniform, min: 90000 EUR, max: " (37) */
	{PRICE, "{dist: uniform, min: 90000 EUR, max: 120000 USD}", 13, 54,
	 "max is in USD, the other parameters in EUR"},
	/* counts and exchange rates may be distributions, bounded like the rest */
	{SERVERS, "{dist: uniform, min: -1, max: 3}", 6, 12,
	 "servers: the distribution reaches outside the allowed range (0 to 1000000)"},
	{RATE, "{dist: uniform, min: -0.1, max: 0.95}", 12, 25,
	 "USD: the distribution reaches outside the allowed range (1e-12 to 1e+300)"},
	/* uncertainty: the Monte Carlo defaults */
	{UNCERTAINTY, "{samples: 0}", 20, 24, "samples: 0 is out of range (1 to 1000000)"},
	{UNCERTAINTY, "{samples: 1000001}", 20, 24, "samples: 1000001 is out of range (1 to 1000000)"},
	{UNCERTAINTY, "{seed: -1}", 20, 21, "seed: -1 is out of range (0 to 4294967295)"},
	{UNCERTAINTY, "{seed: 4294967296}", 20, 21, "seed: 4294967296 is out of range (0 to 4294967295)"},
	{UNCERTAINTY, "{seed: 1.5}", 20, 21, "seed: '1.5' is not a whole number"},
	{UNCERTAINTY, "{sample: 10}", 20, 15, "unknown key 'sample' in uncertainty; did you mean 'samples'?"},
	{UNCERTAINTY, "{samples: {dist: uniform, min: 1, max: 9}}", 20, 24,
	 "samples: a distribution is not allowed here (a whole number)"},
};

static void fill(char *out, size_t size, enum field which, const char *value)
{
	const char *v[N_FIELDS];
	int f;

	for (f = 0; f < N_FIELDS; f++)
		v[f] = f == (int)which ? value : defaults[f];
	snprintf(out, size, template_yaml, v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
}

static void test_errors_located(void **state)
{
	char text[2048];
	size_t i;

	(void)state;
	/* the template itself loads, with its Monte Carlo defaults */
	fill(text, sizeof(text), N_FIELDS, "");
	{
		est_scenario *s = load(text);
		check_true(s->has_sample_default && s->sample_default == 10);
		check_true(s->has_seed_default && s->seed_default == 3);
		est_scenario_free(s);
	}
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const bad_case *c = &bad_cases[i];
		est_scenario *s = NULL;
		est_error err;
		int rc;

		fill(text, sizeof(text), c->field, c->value);
		est_error_clear(&err);
		rc = est_scenario_load_buffer(&s, NAME, text, strlen(text), g_mini, &err);
		if (rc != EST_EINVALID || s || strcmp(err.file, NAME) || err.line != c->line ||
		    err.column != c->column || strcmp(err.message, c->message)) {
			print_error("case %zu (%s):\n  got      rc %d %s:%d:%d: %s\n"
				    "  expected rc %d %s:%d:%d: %s\n",
				    i, c->value, rc, err.file, err.line, err.column, err.message,
				    EST_EINVALID, NAME, c->line, c->column, c->message);
			g_bad++;
		}
		est_scenario_free(s);
	}
	finish();
}

/*
 * Limits (docs/uncertainty.md, "Limits and memory"): a scenario lists 1 to
 * 10,000 workloads and 0 to 1,000 variants; the 10,001st workload and the
 * 1,001st variant are located errors. The duplicate-name check is hashed:
 * 10,000 workloads load in well under a second (it was quadratic, and
 * 100,000 took over a minute); the test has no timing assertion, ctest's
 * timeout is the bound.
 */
static char *many_workloads(size_t n, const char *last_name)
{
	size_t cap = 256 + n * 160, len, i;
	char *text = malloc(cap);

	if (!text)
		return NULL;
	len = (size_t)snprintf(text, cap,
			       "version: 1\n"
			       "name: Many workloads\n"
			       "horizon: {start_year: 2026, years: 1}\n"
			       "site: {grid: TST}\n"
			       "deployment: {accelerator: ref-gpu, utilisation: 50%%}\n"
			       "costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"
			       "workloads:\n");
	for (i = 0; i < n; i++) {
		char name[32];
		if (i + 1 == n && last_name)
			snprintf(name, sizeof(name), "%s", last_name);
		else
			snprintf(name, sizeof(name), "w%zu", i);
		len += (size_t)snprintf(text + len, cap - len,
					"  - {name: %s, task: text_generation, "
					"model: mini/text_generation/small-lm, demand: 10/day}\n",
					name);
	}
	return text;
}

static void test_workload_limits(void **state)
{
	est_scenario *s = NULL;
	est_error err;
	char *text;
	int rc;

	(void)state;
	text = many_workloads(10000, NULL);
	check_true(text != NULL);
	s = load(text);
	check_true(s->n_workloads == 10000);
	est_scenario_free(s);
	free(text);

	/* 10,001 workloads: refused at the first one too many (line 7 is "workloads:") */
	text = many_workloads(10001, NULL);
	s = NULL;
	est_error_clear(&err);
	rc = est_scenario_load_buffer(&s, NAME, text, strlen(text), g_mini, &err);
	check_true(rc == EST_EINVALID && s == NULL);
	check_true(err.line == 7 + 10001 && err.column == 5);
	check_true(!strcmp(err.message, "too many workloads: a scenario lists 1 to 10000"));
	free(text);

	/* a duplicate among 10,000 is found at its second occurrence */
	text = many_workloads(10000, "w17");
	s = NULL;
	est_error_clear(&err);
	rc = est_scenario_load_buffer(&s, NAME, text, strlen(text), g_mini, &err);
	check_true(rc == EST_EINVALID && s == NULL);
	check_true(err.line == 7 + 10000 && err.column == 5);
	check_true(!strcmp(err.message, "duplicate workload name 'w17'"));
	free(text);
	finish();
}

static void test_variant_limit(void **state)
{
	size_t cap = 1024 + 1001 * 64, len, i;
	char *text = malloc(cap);
	est_scenario *s = NULL;
	est_error err;
	int rc;

	(void)state;
	check_true(text != NULL);
	len = (size_t)snprintf(text, cap, "%s", uniform_yaml);
	len += (size_t)snprintf(text + len, cap - len, "variants:\n");
	for (i = 0; i < 1001; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"  - {name: v%zu, set: {site.renewable_share: 10%%}}\n", i);
	est_error_clear(&err);
	rc = est_scenario_load_buffer(&s, NAME, text, len, g_mini, &err);
	check_true(rc == EST_EINVALID && s == NULL);
	/* uniform_yaml is 13 lines, "variants:" the 14th, the 1,001st variant line 1015 */
	check_true(err.line == 14 + 1001 && err.column == 5);
	check_true(!strcmp(err.message, "too many variants: a scenario lists 0 to 1000"));
	free(text);
	finish();
}

/*
 * Memory is bounded: a sample keeps its inputs and (years + 1) x 12 metrics,
 * and a quantile a column slot. uniform_yaml over 50 years has one input
 * (users): 8 x (1 + 51 x 12 + 1) = 4912 bytes a sample, so 1,000,000 samples
 * need 4,912,000,000 bytes (4684 MiB) and 1 GiB holds 2^30 / 4912 = 218595.
 */
static void test_sample_memory_limit(void **state)
{
	char text[2048];
	const char *from = strstr(uniform_yaml, "years: 1}");
	est_sample_options o = {1000000, 1, 1};
	est_samples *x = NULL;
	est_scenario *s;
	est_error err;

	(void)state;
	snprintf(text, sizeof(text), "%.*syears: 50}%s", (int)(from - uniform_yaml), uniform_yaml,
		 from + strlen("years: 1}"));
	s = load(text);
	check_true(est_sample_bytes(1, 50) == 8 * (1 + 51 * 14 + 1));
	est_error_clear(&err);
	check_true(est_sample_variant(&x, s, g_mini, &o, &err) == EST_EUSAGE && x == NULL);
	check_true(!strcmp(err.message,
			   "1000000 samples need 5462 MiB (5728 bytes each: 50 years and the totals of 14 metrics, 1 inputs), above the 1024 MiB limit; use at most 187454 samples"));
	o.samples = 1000001;
	check_true(est_sample_variant(&x, s, g_mini, &o, &err) == EST_EUSAGE && x == NULL);
	check_true(!strcmp(err.message, "samples must be 1 to 1000000"));
	est_scenario_free(s);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uniform_quantiles),
		cmocka_unit_test(test_fixed_inputs_collapse),
		cmocka_unit_test(test_lognormal_median),
		cmocka_unit_test(test_truncated_normal),
		cmocka_unit_test(test_bounds_and_threads),
		cmocka_unit_test(test_errors_located),
		cmocka_unit_test(test_workload_limits),
		cmocka_unit_test(test_variant_limit),
		cmocka_unit_test(test_sample_memory_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
