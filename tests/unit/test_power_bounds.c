/*
 * Physical bounds of the server power model (docs/model.md sections 2, 3
 * and 5): every installed server draws between its idle power (host idle +
 * G x accelerator idle) and its nameplate maximum, whatever boundary a
 * record was measured at and however extreme its figure.
 *
 * The bounds are computed here from the PROFILE RECORDS (the server's
 * max_power and host_idle, its accelerator count, the accelerator's
 * idle_power and max_power), never from the copies the result carries:
 *
 *   P_s0   = host_idle + G x acc_idle                          (W, idle server)
 *   P_max  = server max_power                                  (W, nameplate)
 *   dP_h   = P_max - host_idle - G x acc_max                   (W, host headroom)
 *   per busy accelerator, above idle, at most
 *            (acc_max - acc_idle) + dP_h / G                   (W)
 *
 * and for every year of every run:
 *
 *   busy accelerator-hours <= installed = G x S_inst x 8,760
 *   S_inst x P_s0 x 8.76 <= energy_kwh.servers <= S_inst x P_max x 8.76  (kWh)
 *   energy_kwh.idle = S_inst x P_s0 x 8.76
 *   energy_kwh.inference <= busy hours x per-accelerator rise / 1,000
 *
 * and for every workload: energy_wh x 3,600 / time_s within the per-accelerator
 * rise, its accelerator part within acc_max - acc_idle, its host part within
 * dP_h / G, both parts >= 0. Comparisons allow 1e-9 relative slack (decimal
 * inputs), nothing more.
 *
 * Cases:
 *  1. generated saturation scenarios: for every accelerator of the real
 *     library that has a server, records at every boundary (GPU-only with and
 *     without time, node with a GPU reading of an 8-GPU node with 1 busy, with
 *     and without time, node without a GPU reading with and without time,
 *     facility (kind task-specific) with and without time), measured on the
 *     reference accelerator and on the deployment accelerator itself, at a
 *     mid-range power and at two extremes (10 Wh in 1 s; 1e-6 Wh in 10 s),
 *     for a task without statistics (chat: derived times at maximum power)
 *     and one with (image_generation: derived times at the study's mean
 *     power); each deployed at utilisation 100 %, peak 1, no spares, no
 *     existing servers, one year, with a demand of exactly one full server
 *     (t_w read from a first run), ten full servers, and one inference a day.
 *     The records are written to a temporary measurement file and added with
 *     est_profiles_extend (once through a scenario's `measurements:` too).
 *     Also: the decomposition gives back the power put into each record; the
 *     workload overrides (energy_per_inference, time_per_inference, hardware
 *     factors) at extremes; "any model" for every task on every accelerator;
 *     every measured record of the library on every accelerator.
 *  2. the study's SDXL record on dgx-a100: clamped at the A100's 400 W, the
 *     parts checked against a hand calculation.
 *  3. every shipped scenario and every variant, at the medians of its
 *     uncertain inputs and at extreme and mixed quantiles of them.
 *  4. a model that cannot fit a server is an error located at the workload.
 *
 * The test prints the worst saturation ratio (average server power over the
 * year / nameplate) per boundary and extreme, and every violation found, as
 * "VIOLATION [case] ...".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "estimator/estimator.h"
#include "check.h"

#define SLACK 1e-9
#define REF_ACC "a100-sxm4-80gb" /* constants.reference_accelerator */

/* ------------------------------------------------------------------------ */
/* Bounds from the profile records                                           */

typedef struct bounds {
	const est_server *srv;
	const est_accelerator *acc;
	double G;          /* accelerators per server */
	double idle_w;     /* P_s0 */
	double max_w;      /* P_max */
	double acc_rise_w; /* acc_max - acc_idle */
	double host_rise_w;/* dP_h / G */
} bounds;

static bounds bounds_for(const est_server *srv)
{
	bounds b;

	memset(&b, 0, sizeof(b));
	b.srv = srv;
	b.acc = srv->accelerator;
	b.G = srv->accelerators;
	b.idle_w = srv->host_idle_w + b.G * b.acc->idle_power_w;
	b.max_w = srv->max_power_kw * 1000.0;
	b.acc_rise_w = b.acc->max_power_w - b.acc->idle_power_w;
	b.host_rise_w = (b.max_w - srv->host_idle_w - b.G * b.acc->max_power_w) / b.G;
	return b;
}

/* a <= b, up to SLACK relative (and 1e-12 absolute, for zeros). */
static int le(double a, double b)
{
	return isfinite(a) && isfinite(b) && a <= b + SLACK * fmax(fabs(a), fabs(b)) + 1e-12;
}

static int near(double a, double b)
{
	return le(a, b) && le(b, a);
}

static int g_violations;

#define VIOLATION(ctx, ...)                                                      \
	do {                                                                     \
		print_error("VIOLATION [%s] ", (ctx));                           \
		print_error(__VA_ARGS__);                                        \
		print_error("\n");                                               \
		g_violations++;                                                  \
		g_bad++;                                                         \
	} while (0)

/* The year invariants; returns the saturation ratio E_servers / (S_inst P_max 8.76). */
static double check_year(const char *ctx, const est_year *y, const bounds *b)
{
	double S = y->servers.existing + y->servers.to_buy;
	double installed_h = b->G * S * 8760.0;
	double lo = S * b->idle_w * 8.76, hi = S * b->max_w * 8.76;
	double dyn_hi = y->busy_accelerator_hours * (b->acc_rise_w + b->host_rise_w) / 1000.0;

	if (!le(y->busy_accelerator_hours, installed_h))
		VIOLATION(ctx, "year %d: busy accelerator-hours %.17g > installed %.17g (G %g x S %g x 8760)",
			  y->year, y->busy_accelerator_hours, installed_h, b->G, S);
	if (!near(y->installed_accelerator_hours, installed_h))
		VIOLATION(ctx, "year %d: installed accelerator-hours %.17g, G x S_inst x 8760 = %.17g",
			  y->year, y->installed_accelerator_hours, installed_h);
	if (!le(lo, y->energy_kwh.servers))
		VIOLATION(ctx, "year %d: server energy %.17g kWh below idle floor %.17g kWh (S %g x %g W x 8.76)",
			  y->year, y->energy_kwh.servers, lo, S, b->idle_w);
	if (!le(y->energy_kwh.servers, hi))
		VIOLATION(ctx, "year %d: server energy %.17g kWh above nameplate %.17g kWh (S %g x %g W x 8.76), ratio %.9g",
			  y->year, y->energy_kwh.servers, hi, S, b->max_w, y->energy_kwh.servers / hi);
	if (!near(y->energy_kwh.idle, lo))
		VIOLATION(ctx, "year %d: idle energy %.17g kWh, S_inst x P_s0 x 8.76 = %.17g kWh",
			  y->year, y->energy_kwh.idle, lo);
	if (!le(0, y->energy_kwh.inference) || !le(0, y->energy_kwh.accelerator) || !le(0, y->energy_kwh.host))
		VIOLATION(ctx, "year %d: negative energy above idle: inference %.17g, accelerator %.17g, host %.17g kWh",
			  y->year, y->energy_kwh.inference, y->energy_kwh.accelerator, y->energy_kwh.host);
	if (!le(y->energy_kwh.inference, dyn_hi))
		VIOLATION(ctx, "year %d: energy above idle %.17g kWh exceeds busy %.17g h x %g W rise = %.17g kWh",
			  y->year, y->energy_kwh.inference, y->busy_accelerator_hours,
			  b->acc_rise_w + b->host_rise_w, dyn_hi);
	return hi > 0 ? y->energy_kwh.servers / hi : 0;
}

static void check_workload(const char *ctx, const est_workload_result *w, const bounds *b)
{
	double t = w->time_s;

	if (!(t > 0) || !isfinite(t)) {
		VIOLATION(ctx, "workload %s: time %.17g s", w->name, t);
		return;
	}
	if (!le(0, w->accelerator_wh) || !le(0, w->host_wh))
		VIOLATION(ctx, "workload %s: accelerator_wh %.17g, host_wh %.17g (must be >= 0)",
			  w->name, w->accelerator_wh, w->host_wh);
	if (!le(w->energy_wh * 3600.0 / t, b->acc_rise_w + b->host_rise_w))
		VIOLATION(ctx, "workload %s: %.17g Wh in %.17g s = %.9g W above idle, more than %g + %g W",
			  w->name, w->energy_wh, t, w->energy_wh * 3600.0 / t, b->acc_rise_w, b->host_rise_w);
	if (!le(w->accelerator_wh * 3600.0 / t, b->acc_rise_w))
		VIOLATION(ctx, "workload %s: accelerator part %.17g Wh in %.17g s = %.9g W, more than %s's %g W rise",
			  w->name, w->accelerator_wh, t, w->accelerator_wh * 3600.0 / t, b->acc->id, b->acc_rise_w);
	if (!le(w->host_wh * 3600.0 / t, b->host_rise_w))
		VIOLATION(ctx, "workload %s: host part %.17g Wh in %.17g s = %.9g W, more than the host headroom %g W per accelerator",
			  w->name, w->host_wh, t, w->host_wh * 3600.0 / t, b->host_rise_w);
}

/* Every year of every variant and every workload; the highest saturation ratio. */
static double check_result(const char *ctx, const est_result *r, const est_profiles *lib)
{
	double worst = 0;
	size_t v, i;

	for (v = 0; v < r->n_variants; v++) {
		const est_variant *var = &r->variants[v];
		const est_server *srv = est_profiles_server(lib, var->server);
		const est_cloud_instance *in = srv ? NULL : est_profiles_cloud_instance(lib, var->server);
		est_server unit;
		char where[512];
		bounds b;

		snprintf(where, sizeof where, "%s, variant %s", ctx, var->name);
		if (in) {
			/* a cloud instance: its share of the server behind it (docs/model.md section 15) */
			double share = (double)in->accelerators / in->server->accelerators;
			unit = *in->server;
			unit.accelerators = in->accelerators;
			unit.host_idle_w = in->server->host_idle_w * share;
			unit.max_power_kw = in->server->max_power_kw * share;
			srv = &unit;
		}
		if (!srv) {
			VIOLATION(where, "server '%s' not in the library", var->server);
			continue;
		}
		b = bounds_for(srv);
		for (i = 0; i < var->n_years; i++) {
			double s = check_year(where, &var->years[i], &b);
			worst = fmax(worst, s);
		}
		for (i = 0; i < var->n_workloads; i++)
			check_workload(where, &var->workloads[i], &b);
	}
	return worst;
}

/* ------------------------------------------------------------------------ */
/* Running scenarios                                                         */

static int run_text(const char *text, const est_profiles *lib, est_scenario **s, est_result **r,
		    est_error *err)
{
	int rc;

	*s = NULL;
	*r = NULL;
	est_error_clear(err);
	rc = est_scenario_load_buffer(s, "/tmp/bounds.yaml", text, strlen(text), lib, err);
	if (rc == 0)
		rc = est_model_run(r, *s, lib, err);
	return rc;
}

static void release(est_scenario *s, est_result *r)
{
	est_result_free(r);
	est_scenario_free(s);
}

/* One workload, saturation settings (utilisation 100 %, peak 1, no spares, no existing, one year). */
static void scenario_text(char *buf, size_t len, const char *acc, const char *task,
			  const char *model, double per_day, const char *extra, const char *wextra)
{
	snprintf(buf, len,
		 "name: power bounds\n"
		 "horizon: {start_year: 2026, years: 1}\n"
		 "site: {grid: DEU, pue: 1.2}\n"
		 "costs: {currency: EUR, exchange_rates: {USD: 0.9}, server_price: 100000 EUR}\n"
		 "deployment: {accelerator: %s, utilisation: 100%%, spare_servers: 0}\n"
		 "%s"
		 "workloads:\n"
		 "  - {name: w, task: %s%s%s, demand: %.17g/day, peak_to_average: 1%s}\n",
		 acc, extra ? extra : "", task, model ? ", model: " : "", model ? model : "", per_day,
		 wextra ? wextra : "");
}

/* ------------------------------------------------------------------------ */
/* Generated records                                                         */

enum { K_GPU_T, K_GPU, K_NODEGPU_T, K_NODEGPU, K_NODE_T, K_NODE, K_FAC_T, K_FAC, N_KINDS };
static const char *const KIND_NAME[N_KINDS] = {
	"gpu+time", "gpu", "node+gpu-reading+time", "node+gpu-reading",
	"node+time", "node", "facility+time", "facility"};
static const char *const KIND_ID[N_KINDS] = {"gpu-t", "gpu", "nodegpu-t", "nodegpu",
					      "node-t", "node", "fac-t", "fac"};

enum { L_MID, L_HIGH, L_LOW, N_LEVELS };
static const char *const LEVEL_NAME[N_LEVELS] = {"mid-range", "10 Wh in 1 s", "1e-6 Wh in 10 s"};
static const char *const LEVEL_ID[N_LEVELS] = {"mid", "high", "low"};

static const char *const TASKS[] = {"chat", "image_generation"};
#define N_TASKS 2

#define PUE 1.2     /* the generated scenarios' site.pue */
#define BETA 1.3    /* constants.gpu_to_node */
#define NODE_HOST_WH 0.1 /* the measuring host's CPU and RAM in node figures with a GPU reading */

static char g_dir[512];
static char g_file[600];
static est_profiles *g_ext; /* the real library plus the generated records */

static void record_id(char *buf, size_t len, const char *task, const char *hw, int k, int l)
{
	snprintf(buf, len, "bounds/%s/%s/%s/%s", task, hw, KIND_ID[k], LEVEL_ID[l]);
}

/* One generated record as a YAML flow map. */
static void write_record(FILE *f, const char *task, const est_accelerator *h, int k, int l)
{
	double t, gpu_wh, p_mid = (h->idle_power_w + h->max_power_w) / 2;
	int timed = k == K_GPU_T || k == K_NODEGPU_T || k == K_NODE_T || k == K_FAC_T;
	char id[256];

	/* the busy accelerator's own energy, and the time */
	if (l == L_MID) {
		t = 2.0;
		gpu_wh = p_mid * t / 3600.0;
	} else if (l == L_HIGH) {
		t = 1.0;
		gpu_wh = 10.0;
	} else {
		t = 10.0;
		gpu_wh = 1e-6;
	}
	record_id(id, sizeof id, task, h->id, k, l);
	fprintf(f, "  - {id: %s, task: %s, model: bounds-test/%s, kind: task-specific, hardware: %s, ",
		id, task, id, h->id);
	switch (k) {
	case K_GPU_T:
	case K_GPU:
		fprintf(f, "boundary: gpu, energy: %.17g Wh", gpu_wh);
		break;
	case K_NODEGPU_T:
	case K_NODEGPU: {
		/* an 8-GPU node, one busy: the reading holds the 7 idle GPUs too */
		double reading = l == L_MID ? gpu_wh + 7 * h->idle_power_w * t / 3600.0 : gpu_wh;
		fprintf(f, "boundary: node, gpus: 1, node_gpus: 8, energy: %.17g Wh, gpu_energy: %.17g Wh",
			l == L_LOW ? 2 * reading : reading + NODE_HOST_WH, reading);
		break;
	}
	case K_NODE_T:
	case K_NODE:
		fprintf(f, "boundary: node, energy: %.17g Wh", l == L_MID ? BETA * gpu_wh : gpu_wh);
		break;
	default:
		fprintf(f, "boundary: facility, energy: %.17g Wh", l == L_MID ? PUE * BETA * gpu_wh : gpu_wh);
		break;
	}
	if (timed)
		fprintf(f, ", time: %.17g s", t);
	fprintf(f, "}\n");
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR");
	const char *files[1];
	size_t i, n_acc;
	int k, l, ti;
	FILE *f;
	est_error err;

	if (load_real(state) != 0)
		return -1;
	snprintf(g_dir, sizeof g_dir, "%s/est-bounds-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(g_dir))
		return -1;
	snprintf(g_file, sizeof g_file, "%s/bounds.yaml", g_dir);
	f = fopen(g_file, "w");
	if (!f)
		return -1;
	fprintf(f, "sources:\n"
		   "  - {id: bounds-test, title: \"Generated saturation records (test)\", year: 2026,"
		   " locator: \"tests/unit/test_power_bounds.c\"}\n"
		   "defaults: {source: bounds-test}\n"
		   "measurements:\n");
	n_acc = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR);
	for (i = 0; i < n_acc; i++) {
		const est_accelerator *h = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		for (ti = 0; ti < N_TASKS; ti++)
			for (k = 0; k < N_KINDS; k++)
				for (l = 0; l < N_LEVELS; l++)
					write_record(f, TASKS[ti], h, k, l);
	}
	if (fclose(f) != 0)
		return -1;
	files[0] = g_file;
	est_error_clear(&err);
	if (est_profiles_extend(&g_ext, g_lib, files, 1, &err) != 0) {
		print_error("extend: %s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	est_profiles_free(g_ext);
	g_ext = NULL;
	unlink(g_file);
	rmdir(g_dir);
	return free_real(state);
}

/* ------------------------------------------------------------------------ */
/* 1. Generated saturation scenarios                                         */

typedef struct worst {
	double ratio;
	char where[256];
} worst;

static worst g_worst[N_KINDS][N_LEVELS];

/* Run one record on one deployment: tiny, one full server, ten full servers. */
static void saturate(const char *acc_id, const bounds *b, const char *task, const char *id,
		     const char *wextra, worst *slot, size_t *runs)
{
	char text[2048], ctx[512];
	est_scenario *s;
	est_result *r;
	est_error err;
	double t_w, ratio;
	int n;

	/* tiny: one inference a day; gives t_w */
	scenario_text(text, sizeof text, acc_id, task, id, 1, NULL, wextra);
	snprintf(ctx, sizeof ctx, "%s%s on %s, 1/day", id, wextra ? wextra : "", acc_id);
	if (run_text(text, g_ext, &s, &r, &err) != 0) {
		VIOLATION(ctx, "run failed: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
		release(s, r);
		return;
	}
	(*runs)++;
	check_result(ctx, r, g_lib);
	check_int(r->variants[0].years[0].servers.to_buy, 1);
	t_w = r->variants[0].workloads[0].time_s;
	release(s, r);
	if (!(t_w > 0))
		return;
	for (n = 1; n <= 10; n += 9) {
		/* demand for exactly n full servers: D x t_w / 86,400 = n G accelerators */
		double per_day = n * b->G * 86400.0 / t_w;
		scenario_text(text, sizeof text, acc_id, task, id, per_day, NULL, wextra);
		snprintf(ctx, sizeof ctx, "%s%s on %s, %d full server(s)", id, wextra ? wextra : "", acc_id, n);
		if (run_text(text, g_ext, &s, &r, &err) != 0) {
			VIOLATION(ctx, "run failed: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
			release(s, r);
			continue;
		}
		(*runs)++;
		ratio = check_result(ctx, r, g_lib);
		if (r->variants[0].years[0].servers.to_buy != n)
			VIOLATION(ctx, "%g servers for a load of exactly %d full servers",
				  r->variants[0].years[0].servers.to_buy, n);
		/* saturated: every installed accelerator-hour is busy */
		if (!near(r->variants[0].years[0].busy_accelerator_hours, n * b->G * 8760.0))
			VIOLATION(ctx, "busy hours %.17g, expected %g (saturated)",
				  r->variants[0].years[0].busy_accelerator_hours, n * b->G * 8760.0);
		if (ratio > slot->ratio) {
			slot->ratio = ratio;
			snprintf(slot->where, sizeof slot->where, "%s%s on %s x%d", id, wextra ? wextra : "",
				 acc_id, n);
		}
		release(s, r);
	}
}

/*
 * Every cloud instance type of the library, in its first region, at one
 * inference a day and at loads of exactly 1 and 10 full instances: the
 * energy within the instance's share of its server (idle to nameplate),
 * the instances the load needs, nothing bought or built, and the hardware's
 * embodied share there.
 */
static void test_cloud_saturation(void **state)
{
	size_t i, n = est_profiles_count(g_lib, EST_RECORD_CLOUD_INSTANCE), runs = 0;
	char text[2048], ctx[512];

	(void)state;
	assert_true(n >= 5);
	for (i = 0; i < n; i++) {
		const est_cloud_instance *in = est_profiles_at(g_lib, EST_RECORD_CLOUD_INSTANCE, i);
		double t_w = 0;
		int k;
		for (k = 0; k < 3; k++) {
			int full = k == 0 ? 0 : k == 1 ? 1 : 10;
			double per_day = full == 0 ? 1 : full * in->accelerators * 86400.0 / t_w;
			est_scenario *s = NULL;
			est_result *r = NULL;
			est_error err;
			const est_year *y;
			if (full > 0 && !(t_w > 0))
				break;
			snprintf(text, sizeof text,
				 "name: cloud bounds\n"
				 "horizon: {start_year: 2026, years: 1}\n"
				 "deployment: {mode: cloud, cloud: {instance: %s, region: %s}, utilisation: 100%%,"
				 " spare_servers: 0}\n"
				 "costs: {currency: USD}\n"
				 "workloads:\n"
				 "  - {name: w, task: chat, model: mlenergy-v3/chat/meta-llama-llama-3.1-8b-instruct/"
				 "h100-sxm/bs8,\n"
				 "     weights: 16 GB, demand: %.17g/day, peak_to_average: 1}\n",
				 in->id, in->prices[0].region, per_day);
			snprintf(ctx, sizeof ctx, "%s in %s, %d full instance(s)", in->id, in->prices[0].region,
				 full);
			if (run_text(text, g_lib, &s, &r, &err) != 0) {
				VIOLATION(ctx, "run failed: %s:%d:%d: %s", err.file, err.line, err.column,
					  err.message);
				release(s, r);
				continue;
			}
			runs++;
			check_result(ctx, r, g_lib);
			y = &r->variants[0].years[0];
			if (full == 0)
				t_w = r->variants[0].workloads[0].time_s;
			if (full > 0 && y->instances != full)
				VIOLATION(ctx, "%g instances for a load of exactly %d", y->instances, full);
			if (full > 0 && !near(y->busy_accelerator_hours, full * in->accelerators * 8760.0))
				VIOLATION(ctx, "busy hours %.17g, expected %g (saturated)", y->busy_accelerator_hours,
					  full * in->accelerators * 8760.0);
			if (y->capex != 0 || y->servers.to_buy != 0 || y->storage_tb.to_buy != 0 ||
			    y->power_upgrade_kw != 0)
				VIOLATION(ctx, "something bought in the cloud: capex %g", y->capex);
			if (!(y->embodied_kg > 0 && y->energy_kwh.facility > 0 && y->opex_by.cloud > 0))
				VIOLATION(ctx, "no embodied share, energy or rent (%g, %g, %g)", y->embodied_kg,
					  y->energy_kwh.facility, y->opex_by.cloud);
			release(s, r);
		}
	}
	printf("cloud saturation: %zu runs over %zu instance types, %d violation(s)\n", runs, n,
	       g_violations);
	check_true(runs >= 3 * n);
	finish();
}

static void test_generated_saturation(void **state)
{
	size_t i, n_acc = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR), runs = 0, deployments = 0;
	const est_accelerator *ref = est_profiles_accelerator(g_lib, REF_ACC);
	int k, l, ti, hw;
	char id[256];

	(void)state;
	assert_non_null(ref);
	check_str(est_profiles_constants(g_lib)->reference_accelerator, REF_ACC);
	check_close(est_profiles_constants(g_lib)->gpu_to_node, BETA);
	memset(g_worst, 0, sizeof g_worst);
	for (i = 0; i < n_acc; i++) {
		const est_accelerator *a = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		const est_server *srv = est_profiles_server_for(g_lib, a);
		bounds b;
		if (!srv)
			continue;
		deployments++;
		b = bounds_for(srv);
		for (hw = 0; hw < 2; hw++) {
			const est_accelerator *h = hw == 0 ? ref : a;
			if (hw == 1 && h == ref)
				continue;
			for (ti = 0; ti < N_TASKS; ti++)
				for (k = 0; k < N_KINDS; k++)
					for (l = 0; l < N_LEVELS; l++) {
						record_id(id, sizeof id, TASKS[ti], h->id, k, l);
						saturate(a->id, &b, TASKS[ti], id, NULL, &g_worst[k][l], &runs);
					}
		}
	}
	printf("power bounds: %zu deployments, %zu generated runs, %d violation(s)\n", deployments, runs,
	       g_violations);
	printf("worst saturation ratio (average server power / nameplate) per boundary, full-server runs:\n");
	for (k = 0; k < N_KINDS; k++)
		for (l = 0; l < N_LEVELS; l++)
			printf("  %-22s %-16s %.9f  (%s)\n", KIND_NAME[k], LEVEL_NAME[l], g_worst[k][l].ratio,
			       g_worst[k][l].where);
	check_true(deployments >= 15);
	finish();
}

/*
 * The decomposition gives back the power put into a record. Each generated
 * record was built (write_record) so that its busy accelerator drew, on the
 * measuring accelerator h_p:
 *   mid-range, with time: P_mid = (idle + max) / 2 over t_0 = 2 s, whatever the
 *     boundary (GPU-only: the energy; node with a GPU reading: the reading less
 *     7 idle GPUs; node: / 1.3; facility: / PUE 1.2 / 1.3);
 *   10 Wh in 1 s: far above any maximum; 1e-6 Wh in 10 s: far below any idle;
 *   without time: the doc's rule runs it at max power (a lower bound on time).
 * On the deployment h_d the doc keeps the device at the same share of its
 * maximum (t_w = t_0 x h x P_max(h_p) / P_max(h_d), energy x h with h the
 * relative_energy ratio), so the busy power there is P x P_max(h_d) / P_max(h_p),
 * held within [idle, max] of h_d. Then
 *   accelerator_wh = (P_d - idle_d) x t_w / 3600
 *   host_wh        = min(0.3 x accelerator_wh, dP_h / G x t_w / 3600)
 * The task is chat (no study statistics, so derived times use max power).
 */
static double record_accel_wh(const est_accelerator *h, int k, int l)
{
	/* the accelerator energy the doc reads from an untimed record (section 2) */
	double busy = l == L_MID ? (h->idle_power_w + h->max_power_w) / 2 * 2.0 / 3600.0
				 : (l == L_HIGH ? 10.0 : 1e-6);
	switch (k) {
	case K_GPU:
		return busy;
	case K_NODE: /* mid-range written as busy x 1.3; the extremes as they are */
		return l == L_MID ? busy : busy / BETA;
	case K_FAC:  /* mid-range written as busy x 1.2 x 1.3; the extremes as they are */
		return l == L_MID ? busy : busy / PUE / BETA;
	default: {
		/* node with a GPU reading, untimed: e_a = reading / (1 + 7 idle / max) */
		double reading = l == L_MID ? busy + 7 * h->idle_power_w * 2.0 / 3600.0 : busy;
		return reading / (1 + 7 * h->idle_power_w / h->max_power_w);
	}
	}
}

static void test_decomposition_recovers_power(void **state)
{
	static const double T0[N_LEVELS] = {2.0, 1.0, 10.0};
	size_t i, n_acc = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR), runs = 0;
	const est_accelerator *ref = est_profiles_accelerator(g_lib, REF_ACC);
	int k, l, hw;

	(void)state;
	for (i = 0; i < n_acc; i++) {
		const est_accelerator *a = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		const est_server *srv = est_profiles_server_for(g_lib, a);
		bounds b;
		if (!srv)
			continue;
		b = bounds_for(srv);
		for (hw = 0; hw < 2; hw++) {
			const est_accelerator *h = hw == 0 ? ref : a;
			double hfac = a->relative_energy / h->relative_energy;
			if (hw == 1 && h == ref)
				continue;
			for (k = 0; k < N_KINDS; k++)
				for (l = 0; l < N_LEVELS; l++) {
					int timed = k == K_GPU_T || k == K_NODEGPU_T || k == K_NODE_T || k == K_FAC_T;
					double t0, t_w, p_p, p_d, acc, host;
					char id[256], text[2048], ctx[400];
					est_scenario *s;
					est_result *r;
					est_error err;
					const est_workload_result *w;

					if (timed) {
						t0 = T0[l];
						p_p = l == L_MID ? (h->idle_power_w + h->max_power_w) / 2
								 : (l == L_HIGH ? 1e9 : 0);
					} else {
						t0 = record_accel_wh(h, k, l) * 3600.0 / h->max_power_w;
						p_p = h->max_power_w;
					}
					t_w = t0 * hfac * h->max_power_w / a->max_power_w;
					p_d = fmin(fmax(p_p * a->max_power_w / h->max_power_w, a->idle_power_w),
						   a->max_power_w);
					acc = (p_d - a->idle_power_w) * t_w / 3600.0;
					host = fmin((BETA - 1) * acc, b.host_rise_w * t_w / 3600.0);

					record_id(id, sizeof id, "chat", h->id, k, l);
					snprintf(ctx, sizeof ctx, "%s on %s", id, a->id);
					scenario_text(text, sizeof text, a->id, "chat", id, 1, NULL, NULL);
					if (run_text(text, g_ext, &s, &r, &err) != 0) {
						VIOLATION(ctx, "run failed: %s", err.message);
						release(s, r);
						continue;
					}
					runs++;
					w = &r->variants[0].workloads[0];
					if (!near(w->time_s, t_w))
						VIOLATION(ctx, "time %.17g s, expected %.17g s", w->time_s, t_w);
					if (!near(w->accelerator_wh, acc))
						VIOLATION(ctx, "accelerator part %.17g Wh (%.9g W above idle), expected %.17g Wh (%.9g W)",
							  w->accelerator_wh, w->accelerator_wh * 3600.0 / w->time_s,
							  acc, p_d - a->idle_power_w);
					if (!near(w->host_wh, host))
						VIOLATION(ctx, "host part %.17g Wh, expected %.17g Wh", w->host_wh, host);
					release(s, r);
				}
		}
	}
	printf("decomposition: %zu runs\n", runs);
	finish();
}

/*
 * The workload's overrides (docs/model.md section 2) on every deployment:
 * energy_per_inference at half, 95 % and ten times the most one busy
 * accelerator and its host share can add over t_w (computed here from the
 * profile records), time_per_inference far below and far above the record's
 * time, and the hardware factors pushed to extremes.
 */
static void test_overrides_saturation(void **state)
{
	static const double FRACTIONS[] = {0.5, 0.95, 10};
	static const char *const OTHERS[][2] = {
		{"high", ", time_per_inference: 1 ms"},
		{"high", ", time_per_inference: 1000 s"},
		{"low", ", time_per_inference: 1000 s"},
		{"mid", ", hardware_energy_factor: 50"},
		{"mid", ", hardware_time_factor: 0.001"},
		{"mid", ", hardware_energy_factor: 0.001, hardware_time_factor: 1000"},
	};
	size_t i, f, n_acc = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR), runs = 0;
	worst energy_worst[3], other_worst[6];

	(void)state;
	memset(energy_worst, 0, sizeof energy_worst);
	memset(other_worst, 0, sizeof other_worst);
	for (i = 0; i < n_acc; i++) {
		const est_accelerator *a = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		const est_server *srv = est_profiles_server_for(g_lib, a);
		char id[256], text[2048], wextra[128];
		est_scenario *s;
		est_result *r;
		est_error err;
		double t_w;
		bounds b;
		if (!srv)
			continue;
		b = bounds_for(srv);
		record_id(id, sizeof id, "chat", REF_ACC, K_GPU_T, L_MID);
		scenario_text(text, sizeof text, a->id, "chat", id, 1, NULL, NULL);
		if (run_text(text, g_ext, &s, &r, &err) != 0)
			fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
		t_w = r->variants[0].workloads[0].time_s;
		release(s, r);
		for (f = 0; f < sizeof FRACTIONS / sizeof *FRACTIONS; f++) {
			double e = FRACTIONS[f] * (b.acc_rise_w + b.host_rise_w) * t_w / 3600.0;
			snprintf(wextra, sizeof wextra, ", energy_per_inference: %.17g Wh", e);
			saturate(a->id, &b, "chat", id, wextra, &energy_worst[f], &runs);
		}
		for (f = 0; f < sizeof OTHERS / sizeof *OTHERS; f++) {
			char oid[256];
			snprintf(oid, sizeof oid, "bounds/chat/%s/gpu-t/%s", REF_ACC, OTHERS[f][0]);
			saturate(a->id, &b, "chat", oid, OTHERS[f][1], &other_worst[f], &runs);
		}
	}
	printf("overrides: %zu runs; worst saturation ratio:\n", runs);
	for (f = 0; f < 3; f++)
		printf("  energy_per_inference %4g x the bound  %.9f  (%s)\n", FRACTIONS[f],
		       energy_worst[f].ratio, energy_worst[f].where);
	for (f = 0; f < sizeof OTHERS / sizeof *OTHERS; f++)
		printf("  %-60s %.9f  (%s)\n", OTHERS[f][1] + 2, other_worst[f].ratio, other_worst[f].where);
	finish();
}

/* The same record through a scenario's `measurements:` list gives the same result. */
static void test_scenario_measurements_path(void **state)
{
	char text[2048], extra[700];
	est_scenario *s1, *s2;
	est_result *r1, *r2;
	est_error err;
	char id[256];

	(void)state;
	record_id(id, sizeof id, "chat", REF_ACC, K_NODEGPU_T, L_HIGH);
	snprintf(extra, sizeof extra, "measurements: [%s]\n", g_file);
	scenario_text(text, sizeof text, "h100-sxm", "chat", id, 12345, extra, NULL);
	if (run_text(text, g_lib, &s1, &r1, &err) != 0)
		fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
	scenario_text(text, sizeof text, "h100-sxm", "chat", id, 12345, NULL, NULL);
	if (run_text(text, g_ext, &s2, &r2, &err) != 0)
		fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
	check_close(r1->variants[0].workloads[0].energy_wh, r2->variants[0].workloads[0].energy_wh);
	check_close(r1->variants[0].workloads[0].time_s, r2->variants[0].workloads[0].time_s);
	check_close(r1->variants[0].years[0].energy_kwh.servers, r2->variants[0].years[0].energy_kwh.servers);
	check_result("measurements: path", r1, g_lib);
	release(s1, r1);
	release(s2, r2);
	finish();
}

/* "Any model" for every task on every deployment, at one full server's demand. */
static void test_any_model_saturation(void **state)
{
	size_t i, j, n_acc = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR), runs = 0;
	double worst_ratio = 0;

	(void)state;
	for (i = 0; i < n_acc; i++) {
		const est_accelerator *a = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		const est_server *srv = est_profiles_server_for(g_lib, a);
		bounds b;
		if (!srv)
			continue;
		b = bounds_for(srv);
		for (j = 0; j < est_profiles_count_tasks(g_lib); j++) {
			const est_task *t = est_profiles_task_at(g_lib, j);
			char text[2048], ctx[300];
			est_scenario *s;
			est_result *r;
			est_error err;
			double t_w;
			snprintf(ctx, sizeof ctx, "any model for %s on %s", t->id, a->id);
			scenario_text(text, sizeof text, a->id, t->id, NULL, 1, NULL, NULL);
			if (run_text(text, g_lib, &s, &r, &err) != 0) {
				/* a task whose mean model does not fit this server */
				if (!(err.code == EST_EINVALID && strstr(err.message, "memory")))
					VIOLATION(ctx, "run failed: %s:%d:%d: %s", err.file, err.line,
						  err.column, err.message);
				release(s, r);
				continue;
			}
			t_w = r->variants[0].workloads[0].time_s;
			check_result(ctx, r, g_lib);
			release(s, r);
			runs++;
			scenario_text(text, sizeof text, a->id, t->id, NULL, b.G * 86400.0 / t_w, NULL, NULL);
			if (run_text(text, g_lib, &s, &r, &err) != 0) {
				VIOLATION(ctx, "run failed: %s", err.message);
				release(s, r);
				continue;
			}
			worst_ratio = fmax(worst_ratio, check_result(ctx, r, g_lib));
			release(s, r);
			runs++;
		}
	}
	printf("any model: %zu runs, worst saturation ratio %.9f\n", runs, worst_ratio);
	finish();
}

/* Every measured record of the library (reference figures excluded) on every deployment. */
static void test_library_records(void **state)
{
	size_t i, j, m, n_acc = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR), runs = 0, too_big = 0;
	double worst_ratio = 0;

	(void)state;
	for (i = 0; i < n_acc; i++) {
		const est_accelerator *a = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		const est_server *srv = est_profiles_server_for(g_lib, a);
		bounds b;
		if (!srv)
			continue;
		b = bounds_for(srv);
		for (j = 0; j < est_profiles_count_tasks(g_lib); j++) {
			const est_task *t = est_profiles_task_at(g_lib, j);
			for (m = 0; m < t->n_models; m++) {
				const est_model_profile *rec = &t->models[m];
				char text[2048], ctx[400];
				est_scenario *s;
				est_result *r;
				est_error err;
				double t_w;
				if (rec->kind == EST_MODEL_REFERENCE || !rec->hardware)
					continue;
				snprintf(ctx, sizeof ctx, "%s on %s", rec->id, a->id);
				scenario_text(text, sizeof text, a->id, t->id, rec->id, 1, NULL, NULL);
				if (run_text(text, g_lib, &s, &r, &err) != 0) {
					if (err.code == EST_EINVALID && strstr(err.message, "memory"))
						too_big++;
					else
						VIOLATION(ctx, "run failed: %s:%d:%d: %s", err.file, err.line,
							  err.column, err.message);
					release(s, r);
					continue;
				}
				t_w = r->variants[0].workloads[0].time_s;
				check_result(ctx, r, g_lib);
				release(s, r);
				runs++;
				scenario_text(text, sizeof text, a->id, t->id, rec->id, b.G * 86400.0 / t_w, NULL, NULL);
				if (run_text(text, g_lib, &s, &r, &err) != 0) {
					VIOLATION(ctx, "run failed: %s", err.message);
					release(s, r);
					continue;
				}
				worst_ratio = fmax(worst_ratio, check_result(ctx, r, g_lib));
				release(s, r);
				runs++;
			}
		}
	}
	printf("library records: %zu runs (%zu record/server pairs refused: model does not fit), worst saturation ratio %.9f\n",
	       runs, too_big, worst_ratio);
	finish();
}

/* ------------------------------------------------------------------------ */
/* 2. The study's SDXL record on a DGX A100                                  */

/*
 * phpx-2024/image_generation/stabilityai-stable-diffusion-xl-base-1.0: node
 * boundary, A100 SXM4 80GB, GPU reading 6.856 Wh, 33.751 s, one busy GPU of
 * an 8-GPU node (the task's node_gpus 8); A100 idle 46 W, maximum 400 W;
 * DGX A100: 8 GPUs, 6.5 kW, host idle 992.3 W; gpu_to_node 1.3.
 *
 *   idle GPUs      7 x 46 W x 33.751 s / 3600        = 3.0188394444 Wh
 *   busy GPU       6.856 - 3.0188394444              = 3.8371605556 Wh
 *   implied power  3.8371605556 x 3600 / 33.751      = 409.285 W  > 400 W
 *   clamped to     400 W x 33.751 s / 3600           = 3.7501111111 Wh
 *   (deployed on the same accelerator: time 33.751 s, energy factor 1)
 *   accelerator part above idle
 *                  (400 - 46) W x 33.751 s / 3600     = 3.3188483333 Wh
 *   host part      0.3 x 3.3188483333                 = 0.9956545 Wh
 *   host cap       (6500 - 992.3 - 8 x 400) / 8 W     = 288.4625 W per GPU
 *                  x 33.751 s / 3600                  = 2.7044160660 Wh  (> 0.9956545: not binding)
 */
static void test_sdxl_clamped(void **state)
{
	const char *text =
		"name: sdxl on dgx-a100\n"
		"horizon: {start_year: 2026, years: 1}\n"
		"site: {grid: DEU}\n"
		"costs: {currency: EUR, exchange_rates: {USD: 0.9}}\n"
		"deployment: {server: dgx-a100, utilisation: 100%, spare_servers: 0}\n"
		"workloads:\n"
		"  - {name: sdxl, task: image_generation,\n"
		"     model: phpx-2024/image_generation/stabilityai-stable-diffusion-xl-base-1.0,\n"
		"     demand: 1000/day, peak_to_average: 1}\n";
	const double acc_wh = (400.0 - 46.0) * 33.751 / 3600.0;   /* 3.3188483333 */
	const double host_wh = 0.3 * (400.0 - 46.0) * 33.751 / 3600.0; /* 0.9956545 */
	est_scenario *s;
	est_result *r;
	est_error err;
	const est_workload_result *w;
	size_t i;
	int clamped = 0;

	(void)state;
	if (run_text(text, g_lib, &s, &r, &err) != 0)
		fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
	w = &r->variants[0].workloads[0];
	for (i = 0; i < w->n_conversions; i++) {
		printf("  sdxl: %s\n", w->conversions[i]);
		if (strstr(w->conversions[i], "clamped") && strstr(w->conversions[i], "409.2"))
			clamped = 1;
	}
	check_true(clamped);
	check_close(w->time_s, 33.751);
	check_close(w->accelerator_wh, acc_wh);
	check_close(w->host_wh, host_wh);
	check_close(w->energy_wh, acc_wh + host_wh);
	check_close(acc_wh, 3.3188483333333333);
	check_close(host_wh, 0.9956545);
	check_result("sdxl on dgx-a100", r, g_lib);
	release(s, r);
	finish();
}

/* ------------------------------------------------------------------------ */
/* 3. Every shipped scenario and every variant                               */

static int yaml_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 5 && !strcmp(d->d_name + n - 5, ".yaml");
}

static void test_shipped_scenarios(void **state)
{
	struct dirent **names = NULL;
	int n, i;
	size_t variants = 0;

	(void)state;
	n = scandir(EST_TEST_SCENARIOS, &names, yaml_name, alphasort);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		char path[1024];
		est_scenario *s = NULL;
		est_result *r = NULL;
		est_error err;
		double ratio;
		snprintf(path, sizeof path, "%s/%s", EST_TEST_SCENARIOS, names[i]->d_name);
		est_error_clear(&err);
		if (est_scenario_load(&s, path, g_lib, &err) != 0 || est_model_run(&r, s, g_lib, &err) != 0) {
			VIOLATION(names[i]->d_name, "does not run: %s:%d:%d: %s", err.file, err.line,
				  err.column, err.message);
		} else {
			ratio = check_result(names[i]->d_name, r, g_lib);
			variants += r->n_variants;
			printf("scenario %-36s %zu variant(s), worst saturation ratio %.9f\n",
			       names[i]->d_name, r->n_variants, ratio);
		}
		release(s, r);
		free(names[i]);
	}
	free(names);
	check_true(variants >= (size_t)n);
	finish();
}

/* Set every uncertain input of s to quantile q(i) of its distribution. */
static void set_quantiles(est_scenario *s, unsigned draw)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) /* amounts first, then the exchange rates that scale them */
		for (i = 0; i < s->n_uncertain; i++) {
			const est_uncertain *u = &s->uncertain[i];
			double q;
			unsigned h = draw * 2654435761u + (unsigned)i * 40503u;
			if (!!u->multiplier != pass)
				continue;
			if (draw == 0)
				q = 0.001;
			else if (draw == 1)
				q = 0.999;
			else
				q = ((h >> 8) % 1000 + 0.5) / 1000.0;
			est_uncertain_set(s, u, est_dist_quantile(&u->dist, q));
		}
	est_scenario_derive(s);
}

/*
 * The shipped scenarios with uncertain inputs, every input at its 0.1 % and
 * 99.9 % quantile together and at 30 mixed draws: the same invariants.
 */
static void test_shipped_uncertain(void **state)
{
	struct dirent **names = NULL;
	int n, i;
	unsigned d;
	size_t runs = 0;
	double worst_ratio = 0;

	(void)state;
	n = scandir(EST_TEST_SCENARIOS, &names, yaml_name, alphasort);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", EST_TEST_SCENARIOS, names[i]->d_name);
		for (d = 0; d < 32; d++) {
			est_scenario *s = NULL;
			est_result *r = NULL;
			est_error err;
			size_t v, n_unc;
			char ctx[600];
			est_error_clear(&err);
			if (est_scenario_load(&s, path, g_lib, &err) != 0)
				fail_msg("%s: %s", path, err.message);
			n_unc = s->n_uncertain;
			for (v = 0; v < s->n_variants; v++)
				n_unc += s->variants[v]->n_uncertain;
			if (n_unc == 0) {
				est_scenario_free(s);
				break;
			}
			set_quantiles(s, d);
			for (v = 0; v < s->n_variants; v++)
				set_quantiles(s->variants[v], d);
			snprintf(ctx, sizeof ctx, "%s, uncertain inputs draw %u", names[i]->d_name, d);
			if (est_model_run(&r, s, g_lib, &err) != 0)
				VIOLATION(ctx, "does not run: %s:%d:%d: %s", err.file, err.line, err.column,
					  err.message);
			else
				worst_ratio = fmax(worst_ratio, check_result(ctx, r, g_lib));
			runs++;
			release(s, r);
		}
		free(names[i]);
	}
	free(names);
	printf("shipped scenarios at uncertain quantiles: %zu runs, worst saturation ratio %.9f\n", runs,
	       worst_ratio);
	check_true(runs > 0);
	finish();
}

/* ------------------------------------------------------------------------ */
/* 4. A model that cannot fit a server                                       */

#define LLAMA_405B "mlenergy-v3/chat/meta-llama-llama-3.1-405b-instruct/b200/bs8"

/* The workload 'big' of a result. */
static const est_workload_result *big(const est_result *r)
{
	size_t i;

	for (i = 0; i < r->variants[0].n_workloads; i++)
		if (!strcmp(r->variants[0].workloads[i].name, "big"))
			return &r->variants[0].workloads[i];
	return NULL;
}

static void expect_no_fit(const char *ctx, const char *text, int workload_line)
{
	est_scenario *s;
	est_result *r;
	est_error err;
	int rc = run_text(text, g_lib, &s, &r, &err);

	if (rc == 0) {
		const est_workload_result *w = big(r);
		VIOLATION(ctx, "accepted: %d accelerator(s) per replica on %s (weights %.6g GB)",
			  w ? w->replica : -1, r->server, w ? w->weights_gb : -1);
	} else {
		if (rc != EST_EINVALID || err.code != EST_EINVALID)
			VIOLATION(ctx, "status %d, expected EST_EINVALID: %s", rc, err.message);
		if (err.line != workload_line)
			VIOLATION(ctx, "error at line %d, expected the workload's line %d: %s", err.line,
				  workload_line, err.message);
		if (!strstr(err.message, "memory"))
			VIOLATION(ctx, "message does not mention the memory: %s", err.message);
		printf("  %s: %s:%d:%d: %s\n", ctx, err.file, err.line, err.column, err.message);
	}
	release(s, r);
}

static void expect_fit(const char *ctx, const char *text, int min_replica)
{
	est_scenario *s;
	est_result *r;
	est_error err;

	if (run_text(text, g_lib, &s, &r, &err) != 0) {
		VIOLATION(ctx, "refused: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
	} else {
		const est_workload_result *w = big(r);
		if (!w)
			VIOLATION(ctx, "no workload 'big' in the result");
		else if (w->replica < min_replica)
			VIOLATION(ctx, "%d accelerator(s) per replica, at least %d needed (weights %.6g GB)",
				  w->replica, min_replica, w->weights_gb);
		else
			printf("  %s: %d accelerator(s) per replica (weights %.6g GB)\n", ctx, w->replica,
			       w->weights_gb);
		check_result(ctx, r, g_lib);
	}
	release(s, r);
}

static void llama_text(char *buf, size_t len, const char *acc, const char *weights)
{
	snprintf(buf, len,
		 "name: 405B\n"
		 "horizon: {start_year: 2026, years: 1}\n"
		 "site: {grid: DEU}\n"
		 "costs: {currency: EUR, exchange_rates: {USD: 0.9}, server_price: 100000 EUR}\n"
		 "deployment: {accelerator: %s}\n"
		 "workloads:\n"
		 "  - name: small\n"
		 "    task: text_classification\n"
		 "    demand: 100/day\n"
		 "  - name: big\n"                   /* line 10 */
		 "    task: chat\n"
		 "    model: " LLAMA_405B "\n"
		 "    demand: 1000/day\n"
		 "%s",
		 acc, weights ? weights : "");
}

/*
 * meta-llama/Llama-3.1-405B-Instruct: 405e9 parameters x 2 bytes = 810 GB,
 * x 1.2 headroom = 972 GB.
 *   l4 (generic-2u-8x-l4): 8 x 24 GB = 192 GB < 972 GB: cannot fit, an error at the workload.
 *   b200 (dgx-b200): 972 / 192 GB = 5.06: at least 6 accelerators per replica (<= 8).
 */
static void test_model_too_big(void **state)
{
	const est_model_profile *rec = est_profiles_model(g_lib, LLAMA_405B);
	const est_accelerator *l4 = est_profiles_accelerator(g_lib, "l4");
	const est_accelerator *b200 = est_profiles_accelerator(g_lib, "b200");
	const est_server *l4s = est_profiles_server(g_lib, "generic-2u-8x-l4");
	double need_gb = 405e9 * 2 / 1e9 * 1.2; /* 972 GB */
	int min_b200 = (int)ceil(need_gb / b200->memory_gb);
	char text[2048];

	(void)state;
	assert_non_null(rec);
	assert_non_null(l4s);
	check_str(rec->model, "meta-llama/Llama-3.1-405B-Instruct");
	check_true(need_gb > l4s->accelerators * l4->memory_gb);
	check_int(min_b200, 6);
	printf("405B record %s: parameters %g (0 = not stated)\n", rec->id, rec->parameters);

	/* named by its record, weights from the library */
	llama_text(text, sizeof text, "l4", NULL);
	expect_no_fit("405B record on l4", text, 10);
	llama_text(text, sizeof text, "b200", NULL);
	expect_fit("405B record on b200", text, min_b200);

	/* the same with its weights stated: the memory rule alone */
	llama_text(text, sizeof text, "l4", "    weights: 810 GB\n");
	expect_no_fit("405B with weights 810 GB on l4", text, 10);
	llama_text(text, sizeof text, "b200", "    weights: 810 GB\n");
	expect_fit("405B with weights 810 GB on b200", text, min_b200);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_saturation),
		cmocka_unit_test(test_cloud_saturation),
		cmocka_unit_test(test_decomposition_recovers_power),
		cmocka_unit_test(test_overrides_saturation),
		cmocka_unit_test(test_scenario_measurements_path),
		cmocka_unit_test(test_any_model_saturation),
		cmocka_unit_test(test_library_records),
		cmocka_unit_test(test_sdxl_clamped),
		cmocka_unit_test(test_shipped_scenarios),
		cmocka_unit_test(test_shipped_uncertain),
		cmocka_unit_test(test_model_too_big),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
