/*
 * The profile-library loader (estimator/lib/profiles_load.c) against the real
 * library in profiles/ and against tiny broken libraries written by the test.
 *
 * Every expected figure below is typed from the research notes, never copied
 * from the YAML files or from the program's output:
 *   E  = /work/shared/research/energy-data.md
 *        §1.3 (tasks), §1.4 (88 models), §1.5 (paper Table 2), §1.9 (per-model
 *        means), §3.5 (ML.ENERGY v2 text-to-image, batch 1), §0/§1.8 (0.022 kWh
 *        smartphone charge), §2.7 (CPU + RAM ~ +30 % on GPU energy)
 *   R  = /work/shared/research/reference-data.md
 *        §1.2 (Germany 342.1 g/kWh 2024), §1.2 last row (World 472.9),
 *        §2.1 (Germany 0.2264 EUR/kWh), §3.1 (H100 SXM5 700 W), §3.2 (DGX H100
 *        10.2 kW, 8U), §3.4 (4-year server lifetime), §4.2 (Google PUE 1.10
 *        for 2023, Microsoft fleet 1.185), §4.3 (Microsoft WUE 0.30 FY2024)
 *   C  = /work/scratch/research11.md (issue 11): §1.1 AWS, §1.2 GCP and §1.3
 *        Azure on-demand prices, §2 (AWS PUE 1.15 for 2024), §3 (CBRE 184.06
 *        USD/kW/month, H2 2024), §9 (Green Book 3.5 %)
 *   C2 = /work/scratch/research11b.md: §2 (15.36 TB enterprise NVMe), §4
 *        (AWS WUE 0.15 L/kWh 2024; Google 6.1 billion gallons / 24 TWh 2023)
 *
 * Error paths: each case writes a small, valid library into a fresh temporary
 * directory (mkdtemp), replaces one file with a broken variant, and checks the
 * status, file, line, column and message of the error.
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
#include <sys/stat.h>
#include <unistd.h>

#include <estimator/estimator.h>

#ifndef EST_TEST_PROFILES
#error "EST_TEST_PROFILES must name the profiles/ directory"
#endif

#define REL_TOL 1e-9

#include "check.h"

/* The ten tasks of Power Hungry Processing (E §1.3), as profile ids. */
static const char *const TASK_IDS[10] = {
	"text_classification", "token_classification", "extractive_qa", "masked_lm",
	"text_generation", "summarization", "image_classification", "object_detection",
	"image_captioning", "image_generation",
};

/* Tasks with the 8 multi-purpose (zero-shot) models (E §1.4). */
static int has_multi_purpose(const char *task)
{
	return !strcmp(task, "text_classification") || !strcmp(task, "extractive_qa") ||
	       !strcmp(task, "summarization");
}

/* A record of Power Hungry Processing itself (other studies add records to its tasks). */
static int is_study(const est_model_profile *m)
{
	return m->sources.count > 0 && !strcmp(m->sources.items[0]->id, "phpx-2024");
}

static void test_loads_with_ten_tasks(void **state)
{
	size_t i, j, n;
	(void)state;

	assert_non_null(g_lib);
	check_str(est_profiles_dir(g_lib), EST_TEST_PROFILES);
	n = est_profiles_count_tasks(g_lib);
	check_true(n >= 10);
	for (i = 0; i < 10; i++) {
		const est_task *t = est_profiles_task(g_lib, TASK_IDS[i]);
		size_t ts = 0, mp = 0;
		if (!t) {
			print_error("task %s missing\n", TASK_IDS[i]);
			g_bad++;
			continue;
		}
		check_str(t->id, TASK_IDS[i]);
		check_true(t->has_stats);
		for (j = 0; j < t->n_models; j++) {
			if (!is_study(&t->models[j]))
				continue;
			if (t->models[j].kind == EST_MODEL_TASK_SPECIFIC)
				ts++;
			else if (t->models[j].kind == EST_MODEL_MULTI_PURPOSE)
				mp++;
		}
		if (ts != 8 || mp != (has_multi_purpose(t->id) ? 8u : 0u)) {
			print_error("task %s: %zu task-specific, %zu multi-purpose models\n", t->id,
				    ts, mp);
			g_bad++;
		}
		/* Power Hungry Processing: node boundary on the A100 SXM4 80GB, batch 1 (E §1.2). */
		check_int(t->boundary, EST_BOUNDARY_NODE);
		check_str(t->hardware, "a100-sxm4-80gb");
		check_int(t->batch_size, 1);
	}
	/* Only the ten study tasks carry statistics (no duplicate among them). */
	for (i = 0; i < n; i++) {
		const est_task *t = est_profiles_task_at(g_lib, i);
		int known = 0;
		for (j = 0; j < 10; j++)
			known += !strcmp(t->id, TASK_IDS[j]);
		if (known > 1 || (known == 0 && t->has_stats)) {
			print_error("unexpected task '%s'\n", t->id);
			g_bad++;
		}
		for (j = 0; j < i; j++)
			check_true(strcmp(t->id, est_profiles_task_at(g_lib, j)->id) != 0);
	}
	check_true(est_profiles_task_at(g_lib, n) == NULL);
	check_true(est_profiles_task(g_lib, "no_such_task") == NULL);
	finish();
}

/* ------------------------------------------------------------------------ */
/* Paper Table 2 (E §1.5): per-task mean kWh per 1,000 inferences, printed to
 * 3 decimals, = Wh per inference.                                           */

typedef struct table2_row {
	const char *task;
	double mean;      /* Table 2, "paper mean kWh/1k" */
	double tolerance; /* half a unit of the printed last digit, see below */
} table2_row;

/*
 * object_detection: the 8 per-model means of E §1.9 average to
 * (0.0139 + 0.0246 + 0.0257 + 0.0257 + 0.0311 + 0.0344 + 0.0467 + 0.1063) / 8
 * = 0.3084 / 8 = 0.03855, which is 0.00055 above the printed 0.038: outside
 * the Table 2 rounding. E §1.5 itself gives the recomputed mean as 0.0386 (and
 * 0.0377 for the resized image set), so the research's claim that "every paper
 * mean is reproduced" does not hold for this task to 3 decimals. This is a
 * data/provenance discrepancy, not a loader fault; the tolerance for this one
 * task is widened to 0.0006 and the gap is pinned in
 * test_object_detection_gap so that it stays visible.
 */
static const table2_row TABLE2[10] = {
	{"text_classification", 0.002, 0.0005},
	{"extractive_qa", 0.003, 0.0005},
	{"masked_lm", 0.003, 0.0005},
	{"token_classification", 0.004, 0.0005},
	{"image_classification", 0.007, 0.0005},
	{"object_detection", 0.038, 0.0006},
	{"text_generation", 0.047, 0.0005},
	{"summarization", 0.049, 0.0005},
	{"image_captioning", 0.063, 0.0005},
	{"image_generation", 2.907, 0.0005},
};

static void test_table2_means(void **state)
{
	size_t i, j;
	(void)state;

	for (i = 0; i < 10; i++) {
		const est_task *t = est_profiles_task(g_lib, TABLE2[i].task);
		double sum = 0, mean;
		size_t n = 0;
		if (!t) {
			print_error("task %s missing\n", TABLE2[i].task);
			g_bad++;
			continue;
		}
		for (j = 0; j < t->n_models; j++) {
			if (t->models[j].kind != EST_MODEL_TASK_SPECIFIC || !is_study(&t->models[j]))
				continue;
			sum += t->models[j].energy_wh;
			n++;
		}
		check_int(n, 8);
		mean = n ? sum / (double)n : 0;
		if (!(fabs(mean - TABLE2[i].mean) <= TABLE2[i].tolerance + 1e-12)) {
			print_error("%s: mean of the task-specific model means %.6f, Table 2 %.3f "
				    "(allowed %.4f)\n", t->id, mean, TABLE2[i].mean,
				    TABLE2[i].tolerance);
			g_bad++;
		}
		/* And the library's task statistic is Table 2 itself. */
		check_close(t->stats.mean_wh, TABLE2[i].mean);
		if (fabs(mean - t->stats.mean_wh) > TABLE2[i].tolerance + 1e-12) {
			print_error("%s: recomputed %.6f vs stats.mean %.6f\n", t->id, mean,
				    t->stats.mean_wh);
			g_bad++;
		}
		/*
		 * min_model/max_model are the lowest and highest model means
		 * (E §1.5), printed there to 4 decimals while E §1.9 prints the
		 * model means to 3 significant figures (4 decimals from 0.1 up,
		 * 3 for SDXL): they agree within the two roundings,
		 * 0.00005 + 0.00005 x value.
		 */
		{
			double lo = HUGE_VAL, hi = 0, tol;
			for (j = 0; j < t->n_models; j++) {
				if (t->models[j].kind != EST_MODEL_TASK_SPECIFIC ||
				    !is_study(&t->models[j]))
					continue;
				lo = fmin(lo, t->models[j].energy_wh);
				hi = fmax(hi, t->models[j].energy_wh);
			}
			tol = 0.00005 + 0.00005 * hi + 1e-12;
			if (fabs(t->stats.min_model_wh - lo) > tol ||
			    fabs(t->stats.max_model_wh - hi) > tol) {
				print_error("%s: min/max_model %.5f/%.5f vs model means %.5f/%.5f\n",
					    t->id, t->stats.min_model_wh, t->stats.max_model_wh, lo, hi);
				g_bad++;
			}
		}
	}
	finish();
}

/* The one task outside the Table 2 rounding, pinned with the E §1.9 figures. */
static void test_object_detection_gap(void **state)
{
	static const double e19[8] = {0.0139, 0.0246, 0.0257, 0.0257,
				      0.0311, 0.0344, 0.0467, 0.1063};
	const est_task *t = est_profiles_task(g_lib, "object_detection");
	double typed = 0, lib = 0;
	size_t i;
	(void)state;

	assert_non_null(t);
	for (i = 0; i < 8; i++)
		typed += e19[i] / 8;
	for (i = 0; i < t->n_models; i++)
		if (t->models[i].kind == EST_MODEL_TASK_SPECIFIC && is_study(&t->models[i]))
			lib += t->models[i].energy_wh / 8;
	check_close(typed, 0.03855);
	check_close(lib, typed);
	check_true(fabs(lib - 0.038) > 0.0005);   /* outside the printed rounding ... */
	check_true(fabs(lib - 0.038) <= 0.0006);  /* ... by less than 0.0001 */
	finish();
}

/* ------------------------------------------------------------------------ */
/* Spot values typed from the research tables.                               */

static double median8(double *v)
{
	size_t i, j;
	for (i = 1; i < 8; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return (v[3] + v[4]) / 2;
}

static void test_spot_values(void **state)
{
	const est_grid *deu, *world;
	const est_accelerator *h100;
	const est_server *dgx;
	const est_task *ig;
	const est_model_profile *sdxl;
	const est_constants *c;
	size_t i;
	int found_phone = 0;
	(void)state;

	/* R §1.2: Germany 342.1 g/kWh (Ember 2024); R §2.1: 0.2264 EUR/kWh. */
	deu = est_profiles_grid(g_lib, "DEU");
	assert_non_null(deu);
	check_str(deu->name, "Germany");
	check_close(deu->intensity_g_per_kwh, 342.1);
	check_int(deu->year, 2024);
	check_close(deu->price_per_kwh, 0.2264);
	check_str(deu->currency, "EUR");
	check_true(deu->price_sources.count >= 1);

	/* R §1.2: World (Ember) 472.9, 2024. */
	world = est_profiles_grid(g_lib, "WORLD");
	assert_non_null(world);
	check_close(world->intensity_g_per_kwh, 472.9);
	check_int(world->year, 2024);

	/* R §3.1: H100 SXM5 up to 700 W. relative_energy: median of the 8 batch-1
	 * H100/A100 J-per-image ratios of E §3.5, to 3 decimals. */
	h100 = est_profiles_accelerator(g_lib, "h100-sxm");
	assert_non_null(h100);
	check_close(h100->max_power_w, 700);
	{
		double r[8] = {316.0 / 324, 848.0 / 930, 232.0 / 227, 666.0 / 746,
			       420.0 / 414, 386.0 / 432, 1257.0 / 1458, 969.0 / 1104};
		double m = median8(r);
		double rounded = round(m * 1000) / 1000;
		check_close(rounded, 0.903);
		check_close(h100->relative_energy, rounded);
	}

	/* R §3.2: DGX H100, 8 x H100 SXM, 10.2 kW, 8U; R §3.4: 4 years;
	 * R §3.2 prices: ~US$199,000. */
	dgx = est_profiles_server(g_lib, "dgx-h100");
	assert_non_null(dgx);
	check_true(dgx->accelerator == h100);
	check_close(dgx->max_power_kw, 10.2);
	check_int(dgx->accelerators, 8);
	check_int(dgx->rack_units, 8);
	check_close(dgx->lifetime_years, 4);
	check_close(dgx->price, 199000);
	check_str(dgx->currency, "USD");

	/* E §1.9: SDXL base 1.0, 11.293 kWh/1k and 33,751 s/1k. */
	ig = est_profiles_task(g_lib, "image_generation");
	assert_non_null(ig);
	sdxl = est_task_model(ig, "stabilityai/stable-diffusion-xl-base-1.0");
	assert_non_null(sdxl);
	check_close(sdxl->energy_wh, 11.293);
	check_close(sdxl->time_s, 33751.0 / 1000);
	check_int(sdxl->kind, EST_MODEL_TASK_SPECIFIC);
	check_close(sdxl->parameters, 3469e6);
	/* est_task_model also takes the profile id. */
	check_true(est_task_model(ig, sdxl->id) == sdxl);
	check_true(est_task_model(ig, "no/such-model") == NULL);

	/* E §0/§1.8: the FAccT version's 0.022 kWh smartphone charge. */
	for (i = 0; i < est_profiles_count_equivalences(g_lib); i++) {
		const est_equivalence *e = est_profiles_equivalence_at(g_lib, i);
		if (strcmp(e->id, "smartphone_charges"))
			continue;
		found_phone = 1;
		check_close(e->per_kwh, 1 / 0.022);
		check_close(e->per_kg_co2e, 0);
	}
	check_true(found_phone);
	check_true(est_profiles_count_equivalences(g_lib) <= EST_MAX_EQUIVALENCES);

	/* E §2.7: CPU + RAM add ~30 % to GPU energy: node = 1.3 x GPU. */
	c = est_profiles_constants(g_lib);
	check_close(c->gpu_to_node, 1.3);
	check_str(c->reference_accelerator, "a100-sxm4-80gb");
	finish();
}

/* ------------------------------------------------------------------------ */
/* Sources: every record reached through the API names at least one source,
 * and every source has a year 1990..2100 and a title.                       */

static void check_sources_at(const est_source_list *l, const char *what, int line)
{
	size_t i;

	if (l->count < 1 || !l->items) {
		print_error("%s has no source (test line %d)\n", what, line);
		g_bad++;
		return;
	}
	for (i = 0; i < l->count; i++) {
		const est_source *s = l->items[i];
		if (!s || !s->id || !s->title || !*s->title || s->year < 1990 || s->year > 2100) {
			print_error("%s: bad source %zu ('%s', year %d) (test line %d)\n", what, i,
				    s && s->id ? s->id : "?", s ? s->year : 0, line);
			g_bad++;
		} else if (est_profiles_source(g_lib, s->id) != s) {
			print_error("%s: source '%s' not the library's record (test line %d)\n",
				    what, s->id, line);
			g_bad++;
		}
	}
}
#define check_sources(list, what) check_sources_at((list), (what), __LINE__)

/*
 * The API has no iterator for accelerators, servers, grids, facilities,
 * storage or sources, so their ids are read from the files (every
 * "- id: X" or "{id: X" record opener) and each is then reached through the
 * lookup functions. n ids are written to ids (each malloc'd).
 */
static size_t scan_ids(const char *rel, char **ids, size_t max)
{
	char path[1024], line[8192];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof path, "%s/%s", EST_TEST_PROFILES, rel);
	f = fopen(path, "r");
	if (!f) {
		print_error("cannot open %s\n", path);
		g_bad++;
		return 0;
	}
	while (fgets(line, sizeof line, f)) {
		char *p = line, *q;
		while (*p == ' ')
			p++;
		if (!strncmp(p, "- id: ", 6))
			p += 6;
		else if (!strncmp(p, "- {id: ", 7))
			p += 7;
		else
			continue;
		q = p + strcspn(p, ",} \t\r\n#");
		*q = '\0';
		if (n < max) {
			ids[n] = malloc(strlen(p) + 1);
			assert_non_null(ids[n]);
			strcpy(ids[n], p);
			n++;
		}
	}
	fclose(f);
	return n;
}

static void free_ids(char **ids, size_t n)
{
	while (n)
		free(ids[--n]);
}

static void test_every_record_has_sources(void **state)
{
	char *ids[256];
	char what[256];
	size_t n, i, j, t, u, total = 0;
	const est_constants *c = est_profiles_constants(g_lib);
	(void)state;

	/* Every source in sources.yaml: a year and a title. */
	n = scan_ids("sources.yaml", ids, 256);
	check_true(n > 10);
	for (i = 0; i < n; i++) {
		const est_source *s = est_profiles_source(g_lib, ids[i]);
		if (!s) {
			print_error("source '%s' not reachable\n", ids[i]);
			g_bad++;
			continue;
		}
		check_true(s->title && *s->title);
		check_true(s->year >= 1990 && s->year <= 2100);
		check_true(s->locator && *s->locator);
	}
	free_ids(ids, n);

	/* Tasks, their statistics and every model. */
	for (t = 0; t < est_profiles_count_tasks(g_lib); t++) {
		const est_task *task = est_profiles_task_at(g_lib, t);
		snprintf(what, sizeof what, "task %s statistics", task->id);
		if (task->has_stats)
			check_sources(&task->stats.sources, what);
		for (i = 0; i < task->n_models; i++) {
			snprintf(what, sizeof what, "model %s", task->models[i].id);
			check_sources(&task->models[i].sources, what);
			check_true(task->models[i].energy_wh > 0);
			total += is_study(&task->models[i]);
		}
	}
	/* The study: 80 task-specific + 8 multi-purpose models on 3 tasks (E §1.4). */
	check_int(total, 80 + 3 * 8);

	/* Model ids are unique across tasks. */
	for (t = 0; t < est_profiles_count_tasks(g_lib); t++) {
		const est_task *a = est_profiles_task_at(g_lib, t);
		for (i = 0; i < a->n_models; i++)
			for (u = 0; u <= t; u++) {
				const est_task *b = est_profiles_task_at(g_lib, u);
				for (j = 0; j < (u == t ? i : b->n_models); j++)
					if (!strcmp(a->models[i].id, b->models[j].id)) {
						print_error("model id %s in %s and %s\n",
							    a->models[i].id, a->id, b->id);
						g_bad++;
					}
			}
	}

	n = scan_ids("hardware/accelerators.yaml", ids, 256);
	check_true(n >= 5);
	for (i = 0; i < n; i++) {
		const est_accelerator *a = est_profiles_accelerator(g_lib, ids[i]);
		if (!a) {
			print_error("accelerator '%s' not reachable\n", ids[i]);
			g_bad++;
			continue;
		}
		snprintf(what, sizeof what, "accelerator %s", a->id);
		check_sources(&a->sources, what);
	}
	free_ids(ids, n);

	n = scan_ids("hardware/servers.yaml", ids, 256);
	check_true(n >= 3);
	for (i = 0; i < n; i++) {
		const est_server *s = est_profiles_server(g_lib, ids[i]);
		if (!s) {
			print_error("server '%s' not reachable\n", ids[i]);
			g_bad++;
			continue;
		}
		snprintf(what, sizeof what, "server %s", s->id);
		check_sources(&s->sources, what);
		check_true(s->accelerator != NULL);
	}
	free_ids(ids, n);

	{
		static const char *const grid_files[] = {"grids/countries.yaml", "grids/regions.yaml"};
		size_t g;
		for (g = 0; g < 2; g++) {
			n = scan_ids(grid_files[g], ids, 256);
			check_true(n >= 1);
			for (i = 0; i < n; i++) {
				const est_grid *gr = est_profiles_grid(g_lib, ids[i]);
				if (!gr) {
					print_error("grid '%s' not reachable\n", ids[i]);
					g_bad++;
					continue;
				}
				snprintf(what, sizeof what, "grid %s", gr->id);
				check_sources(&gr->sources, what);
				if (gr->price_per_kwh > 0) {
					snprintf(what, sizeof what, "grid %s price", gr->id);
					check_sources(&gr->price_sources, what);
				}
			}
			free_ids(ids, n);
		}
	}

	n = scan_ids("facility.yaml", ids, 256);
	check_int(n, 3);
	for (i = 0; i < n; i++) {
		const est_facility *f = est_profiles_facility(g_lib, ids[i]);
		if (!f) {
			print_error("facility '%s' not reachable\n", ids[i]);
			g_bad++;
			continue;
		}
		snprintf(what, sizeof what, "facility %s", f->id);
		check_sources(&f->sources, what);
	}
	free_ids(ids, n);

	n = scan_ids("storage.yaml", ids, 256);
	check_int(n, 2);
	for (i = 0; i < n; i++) {
		const est_storage_tech *s = est_profiles_storage(g_lib, ids[i]);
		if (!s) {
			print_error("storage '%s' not reachable\n", ids[i]);
			g_bad++;
			continue;
		}
		snprintf(what, sizeof what, "storage %s", s->id);
		check_sources(&s->sources, what);
	}
	free_ids(ids, n);

	for (i = 0; i < est_profiles_count_equivalences(g_lib); i++) {
		const est_equivalence *e = est_profiles_equivalence_at(g_lib, i);
		snprintf(what, sizeof what, "equivalence %s", e->id);
		check_sources(&e->sources, what);
	}

	check_sources(&c->gpu_to_node_sources, "constants.gpu_to_node");
	check_sources(&c->network_sources, "network");
	check_sources(&c->bytes_per_parameter_sources, "constants.bytes_per_parameter");
	check_sources(&c->default_utilisation_sources, "constants.default_utilisation");
	check_sources(&c->default_replication_sources, "constants.default_replication");
	check_sources(&c->discount_rate_sources, "constants.discount_rate");

	for (i = 0; i < est_profiles_count(g_lib, EST_RECORD_CLOUD_PROVIDER); i++) {
		const est_cloud_provider *cp = est_profiles_at(g_lib, EST_RECORD_CLOUD_PROVIDER, i);
		snprintf(what, sizeof what, "cloud provider %s", cp->id);
		check_sources(&cp->sources, what);
	}
	for (i = 0; i < est_profiles_count(g_lib, EST_RECORD_CLOUD_INSTANCE); i++) {
		const est_cloud_instance *ci = est_profiles_at(g_lib, EST_RECORD_CLOUD_INSTANCE, i);
		snprintf(what, sizeof what, "cloud instance %s", ci->id);
		check_sources(&ci->sources, what);
		check_true(ci->price_date && *ci->price_date);
	}
	finish();
}

/* Every accelerator can be deployed: some server holds it. */
static void test_every_accelerator_has_a_server(void **state)
{
	size_t i, n = est_profiles_count(g_lib, EST_RECORD_ACCELERATOR);
	(void)state;

	check_true(n >= 15);
	for (i = 0; i < n; i++) {
		const est_accelerator *a = est_profiles_at(g_lib, EST_RECORD_ACCELERATOR, i);
		const est_server *srv = est_profiles_server_for(g_lib, a);
		if (!srv || srv->accelerator != a || srv->accelerators < 1) {
			print_error("accelerator %s has no server\n", a->id);
			g_bad++;
		}
	}
	finish();
}

static void test_lookups(void **state)
{
	const est_accelerator *h100 = est_profiles_accelerator(g_lib, "h100-sxm");
	const char *near;
	(void)state;

	assert_non_null(h100);
	check_true(est_profiles_server_for(g_lib, h100) == est_profiles_server(g_lib, "dgx-h100"));
	near = est_profiles_suggest(g_lib, "task", "text_generaton");
	check_str(near, "text_generation");
	check_true(est_profiles_suggest(g_lib, "task", "completely-unrelated-name") == NULL);
	check_true(est_profiles_accelerator(g_lib, "h100") == NULL);
	check_true(est_profiles_grid(g_lib, "XXX") == NULL);
	check_true(est_profiles_source(g_lib, "phpx-2024") != NULL);
	finish();
}

/* ------------------------------------------------------------------------ */
/* Cloud providers and instances, colocation rent, drive size, discount rate  */
/* (issue 11), against research C, C2 and R.                                  */

typedef struct cloud_row {
	const char *id;
	const char *accelerator;
	int accelerators;
	const char *server;
	int server_accelerators;  /* the share rule: accelerators / this */
	int vcpus;
	double memory_gib;
	const char *regions[3];
	double on_demand[3];      /* USD per instance-hour */
} cloud_row;

/* C §1.1-1.3; regions without a grid (eu-south-2) and g6e.48xlarge (no 8 x L40S server) left out. */
static const cloud_row CLOUD[] = {
	{"aws/p4d.24xlarge", "a100-sxm4-40gb", 8, "dgx-a100-40gb", 8, 96, 1152,
	 {"us-east-1", "eu-central-1", "eu-west-1"}, {21.957642, 27.43298, 23.71569}},
	{"aws/p4de.24xlarge", "a100-sxm4-80gb", 8, "dgx-a100", 8, 96, 1152,
	 {"us-east-1", "eu-central-1", NULL}, {27.44705, 34.29122, 0}},
	{"aws/p5.48xlarge", "h100-sxm", 8, "dgx-h100", 8, 192, 2048,
	 {"us-east-1", "eu-north-1", "eu-west-2"}, {55.04, 58.8928, 71.552}},
	{"aws/p5en.48xlarge", "h200-sxm", 8, "dgx-h200", 8, 192, 2048,
	 {"us-east-1", "eu-north-1", NULL}, {63.296, 67.72672, 0}},
	{"aws/g6e.xlarge", "l40s", 1, "generic-2u-4x-l40s", 4, 4, 32,
	 {"us-east-1", "eu-central-1", NULL}, {1.861, 2.327, 0}},
	{"aws/g6e.12xlarge", "l40s", 4, "generic-2u-4x-l40s", 4, 48, 384,
	 {"us-east-1", "eu-central-1", NULL}, {10.49264, 13.12002, 0}},
	{"aws/g6.xlarge", "l4", 1, "generic-2u-8x-l4", 8, 4, 16,
	 {"us-east-1", "eu-central-1", NULL}, {0.8048, 1.0064, 0}},
	/* Azure: 8 GPUs (not the catalog's 12); grid ids write eastus as east-us */
	{"azure/Standard_ND96asr_v4", "a100-sxm4-40gb", 8, "dgx-a100-40gb", 8, 96, 900,
	 {"east-us", "south-central-us", NULL}, {27.197, 32.63, 0}},
	{"azure/Standard_ND96amsr_A100_v4", "a100-sxm4-80gb", 8, "dgx-a100", 8, 96, 1800,
	 {"east-us", NULL, NULL}, {32.77, 0, 0}},
	{"azure/Standard_ND96isr_H100_v5", "h100-sxm", 8, "dgx-h100", 8, 96, 1900,
	 {"east-us", "west-us", NULL}, {98.32, 127.816, 0}},
	/* GCP: host 5.91582 + 8 x A100 40 GB 23.47126, derived */
	{"gcp/a2-highgpu-8g", "a100-sxm4-40gb", 8, "dgx-a100-40gb", 8, 96, 680,
	 {"us-central1", NULL, NULL}, {5.91582 + 23.47126, 0, 0}},
};
#define N_CLOUD (sizeof CLOUD / sizeof CLOUD[0])

static void test_cloud_records(void **state)
{
	const est_cloud_provider *aws, *azure, *gcp;
	size_t i, k, n;
	(void)state;

	/* Providers: each one's own fleet PUE; WUE per kWh of IT energy. */
	check_int(est_profiles_count(g_lib, EST_RECORD_CLOUD_PROVIDER), 3);
	aws = est_profiles_cloud_provider(g_lib, "aws");
	azure = est_profiles_cloud_provider(g_lib, "azure");
	gcp = est_profiles_cloud_provider(g_lib, "gcp");
	assert_non_null(aws);
	assert_non_null(azure);
	assert_non_null(gcp);
	check_close(aws->pue, 1.15);                 /* C §2, AWS 2024 */
	check_close(aws->wue_l_per_kwh, 0.15);       /* C2 §4, AWS 2024 */
	check_close(azure->pue, 1.185);              /* R §4.2 */
	check_close(azure->wue_l_per_kwh, 0.30);     /* R §4.3, FY2024 */
	check_close(gcp->pue, 1.10);                 /* R §4.2, 2023 */
	/* C2 §4: 6.1e9 gal x 3.785 L / 24 TWh x PUE 1.10 = 1.058, written 1.06 */
	check_close(gcp->wue_l_per_kwh, 1.06);
	check_true(fabs(6.1e9 * 3.785411784 / 24e9 * 1.10 - gcp->wue_l_per_kwh) < 0.005);
	check_true(est_profiles_cloud_provider(g_lib, "oracle") == NULL);

	n = est_profiles_count(g_lib, EST_RECORD_CLOUD_INSTANCE);
	check_int(n, N_CLOUD);
	for (i = 0; i < N_CLOUD; i++) {
		const cloud_row *w = &CLOUD[i];
		const est_cloud_instance *c = est_profiles_cloud_instance(g_lib, w->id);
		char provider[16];
		size_t regions = 0;

		if (!c) {
			print_error("cloud instance %s missing\n", w->id);
			g_bad++;
			continue;
		}
		snprintf(provider, sizeof provider, "%.*s", (int)strcspn(w->id, "/"), w->id);
		check_str(c->provider->id, provider);
		check_str(c->name, w->id + strlen(provider) + 1);
		check_str(c->accelerator->id, w->accelerator);
		check_int(c->accelerators, w->accelerators);
		check_str(c->server->id, w->server);
		check_true(c->server->accelerator == c->accelerator);
		check_int(c->server->accelerators, w->server_accelerators);
		check_int(c->vcpus, w->vcpus);
		check_close(c->memory_gb, w->memory_gib * 1.073741824);
		check_str(c->currency, "USD");
		for (k = 0; k < 3 && w->regions[k]; k++) {
			const est_cloud_price *pr = est_cloud_instance_price(c, w->regions[k]);
			char grid[64];
			regions++;
			if (!pr) {
				print_error("%s has no price in %s\n", w->id, w->regions[k]);
				g_bad++;
				continue;
			}
			check_true(pr == &c->prices[k]); /* as listed */
			check_close(pr->on_demand, w->on_demand[k]);
			/* C §1.4: no commitment price was found for any of them */
			check_close(pr->one_year, 0);
			check_close(pr->three_year, 0);
			snprintf(grid, sizeof grid, "%s/%s", provider, w->regions[k]);
			check_true(est_profiles_grid(g_lib, grid) != NULL);
		}
		check_int(c->n_prices, regions);
	}
	/* the share rule: a 1-GPU instance is a quarter / an eighth of its server */
	check_close((double)est_profiles_cloud_instance(g_lib, "aws/g6e.xlarge")->accelerators /
		    est_profiles_cloud_instance(g_lib, "aws/g6e.xlarge")->server->accelerators, 0.25);
	check_close((double)est_profiles_cloud_instance(g_lib, "aws/g6.xlarge")->accelerators /
		    est_profiles_cloud_instance(g_lib, "aws/g6.xlarge")->server->accelerators, 0.125);
	/* per GPU-hour, C §1.1: p5.48xlarge 6.88 USD in us-east-1 */
	check_close(est_cloud_instance_price(est_profiles_cloud_instance(g_lib, "aws/p5.48xlarge"),
					     "us-east-1")->on_demand / 8, 6.88);
	/* regions the catalog has no row for, or that have no grid, are absent */
	check_true(est_cloud_instance_price(est_profiles_cloud_instance(g_lib, "aws/p5.48xlarge"),
					    "eu-central-1") == NULL);
	check_true(est_cloud_instance_price(est_profiles_cloud_instance(g_lib, "aws/p5en.48xlarge"),
					    "eu-south-2") == NULL);
	check_true(est_profiles_cloud_instance(g_lib, "aws/g6e.48xlarge") == NULL);
	check_true(est_profiles_cloud_instance(g_lib, "p5.48xlarge") == NULL);
	/* a user's short name finds the instance */
	check_str(est_profiles_suggest(g_lib, "cloud-instance", "p5.48xlarge"), "aws/p5.48xlarge");
	check_str(est_profiles_suggest(g_lib, "cloud-provider", "awz"), "aws");
	finish();
}

static void test_purchase_and_discount(void **state)
{
	const est_facility *colo = est_profiles_facility(g_lib, "colocation");
	const est_constants *c = est_profiles_constants(g_lib);
	size_t i;
	(void)state;

	assert_non_null(colo);
	/* C §3: CBRE H2 2024, 250-500 kW wholesale, per kW per month */
	check_close(colo->price_per_kw_month, 184.06);
	check_str(colo->price_currency, "USD");
	check_close(est_profiles_facility(g_lib, "enterprise")->price_per_kw_month, 0);
	check_close(est_profiles_facility(g_lib, "hyperscale")->price_per_kw_month, 0);
	/* C §7, C2 §3: no UPS module size found, so no power step anywhere */
	for (i = 0; i < est_profiles_count(g_lib, EST_RECORD_FACILITY); i++)
		check_close(((const est_facility *)est_profiles_at(g_lib, EST_RECORD_FACILITY, i))
				    ->power_step_kw, 0);
	/* C2 §2: 15.36 TB enterprise NVMe; no HDD size */
	check_close(est_profiles_storage(g_lib, "ssd")->purchase_unit_tb, 15.36);
	check_close(est_profiles_storage(g_lib, "hdd")->purchase_unit_tb, 0);
	/* C §9: Green Book 3.5 % real */
	check_close(c->discount_rate, 0.035);
	check_int(c->discount_rate_sources.count, 1);
	check_str(c->discount_rate_sources.items[0]->id, "uk-green-book-discounting");
	finish();
}

/* ------------------------------------------------------------------------ */
/* Broken libraries.                                                          */

#define F_SOURCES "sources.yaml"
#define F_ACCEL "hardware/accelerators.yaml"
#define F_SERVERS "hardware/servers.yaml"
#define F_CONSTANTS "constants.yaml"
#define F_TASK "tasks/demo.yaml"
#define F_GRID "grids/test.yaml"
#define F_FACILITY "facility.yaml"
#define F_STORAGE "storage.yaml"
#define F_EQUIV "equivalences.yaml"

static const char *const FILES[] = {F_SOURCES, F_ACCEL, F_SERVERS, F_CONSTANTS, F_TASK,
				    F_GRID, F_FACILITY, F_STORAGE, F_EQUIV};
static const char *const SUBDIRS[] = {"hardware", "tasks", "grids"};
#define N_FILES (sizeof FILES / sizeof FILES[0])
#define N_SUBDIRS (sizeof SUBDIRS / sizeof SUBDIRS[0])

/* A small valid library (line numbers matter: the variants below count them). */
static const char GOOD_SOURCES[] =
	"sources:\n"
	"  - id: src-a\n"
	"    title: Test source A\n"
	"    year: 2024\n"
	"    locator: test\n"
	"  - id: src-b\n"
	"    title: Test source B\n"
	"    year: 2020\n"
	"    locator: test\n";

static const char GOOD_ACCEL[] =
	"accelerators:\n"                 /* 1 */
	"  - id: gpu-a\n"                 /* 2 */
	"    name: GPU A\n"               /* 3 */
	"    max_power: 400 W\n"          /* 4 */
	"    idle_power: 40 W\n"          /* 5 */
	"    relative_energy: 1\n"        /* 6 */
	"    source: src-a\n"             /* 7 */
	"  - id: gpu-b\n"                 /* 8 */
	"    name: GPU B\n"               /* 9 */
	"    max_power: 700 W\n"          /* 10 */
	"    idle_power: 70 W\n"          /* 11 */
	"    relative_energy: 0.9\n"      /* 12 */
	"    source: [src-a, src-b]\n";   /* 13 */

/* host_idle 500 W + 8 x 400 W = 3,700 W <= 6,500 W (docs/model.md section 5) */
static const char GOOD_SERVERS[] =
	"servers:\n"                     /* 1 */
	"  - id: srv-a\n"                 /* 2 */
	"    name: Server A\n"            /* 3 */
	"    accelerator: gpu-a\n"        /* 4 */
	"    accelerators: 8\n"           /* 5 */
	"    max_power: 6.5 kW\n"         /* 6 */
	"    host_idle: 500 W\n"          /* 7 */
	"    rack_units: 6\n"
	"    embodied: 2000 kgCO2e\n"
	"    lifetime: 4 years\n"
	"    source: src-a\n";

static const char GOOD_CONSTANTS[] =
	"constants:\n"
	"  reference_accelerator: gpu-a\n"
	"  gpu_to_node: {value: 1.3, source: src-a}\n"
	"  bytes_per_parameter: {value: 2, source: src-a}\n"
	"  memory_headroom: {value: 1.2, source: src-a}\n"
	"  default_utilisation: {value: 50%, source: src-a}\n"
	"  default_replication: {value: 2, source: src-a}\n";

static const char GOOD_TASK[] =
	"task:\n"
	"  id: demo\n"
	"  name: Demo task\n"
	"  measurement: {boundary: node, hardware: gpu-a, batch_size: 1}\n"
	"  statistics: {mean: 0.05 Wh, time: 0.5 s, source: src-a}\n"
	"models:\n"
	"  - {id: t/demo/m1, model: test/m1, kind: task-specific, energy: 0.05 Wh,"
	" source: src-a}\n";

static const char GOOD_GRID[] =
	"grids:\n"
	"  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a}\n"
	"  - {id: BBB, name: Bland, intensity: 200 g/kWh, year: 2023, source: src-b,\n"
	"     price: 0.2 EUR/kWh, price_period: 2025-S2, price_source: src-b}\n";

static const char GOOD_FACILITY[] =
	"facilities:\n"
	"  - {id: enterprise, name: Enterprise, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,"
	" buildout_cost: 10000 USD/kW, source: src-a}\n";

static const char GOOD_STORAGE[] =
	"storage:\n"
	"  - {id: ssd, power: 1 W/TB, embodied: 50 kgCO2e/TB, source: src-a}\n"
	"network:\n"
	"  energy: 0.001 kWh/GB\n"
	"  source: src-a\n";

static const char GOOD_EQUIV[] =
	"equivalences:\n"
	"  - {id: phone, name: phone charges, energy: 0.022 kWh, source: src-a}\n";

static const char *const GOOD[] = {GOOD_SOURCES, GOOD_ACCEL, GOOD_SERVERS, GOOD_CONSTANTS,
				   GOOD_TASK, GOOD_GRID, GOOD_FACILITY, GOOD_STORAGE,
				   GOOD_EQUIV};

typedef struct tmp_lib {
	char root[512];
} tmp_lib;

static void write_file(const tmp_lib *t, const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", t->root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* A valid library in a new temp dir, with file `rel` (if any) replaced by `text`. */
static void make_lib(tmp_lib *t, const char *rel, const char *text)
{
	const char *base = getenv("TMPDIR");
	char path[1024];
	size_t i;

	snprintf(t->root, sizeof t->root, "%s/est-profiles-XXXXXX",
		 base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(t->root));
	for (i = 0; i < N_SUBDIRS; i++) {
		snprintf(path, sizeof path, "%s/%s", t->root, SUBDIRS[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	for (i = 0; i < N_FILES; i++)
		write_file(t, FILES[i], rel && !strcmp(rel, FILES[i]) ? text : GOOD[i]);
}

static void remove_lib(tmp_lib *t)
{
	char path[1024];
	size_t i;

	for (i = 0; i < N_FILES; i++) {
		snprintf(path, sizeof path, "%s/%s", t->root, FILES[i]);
		unlink(path);
	}
	for (i = 0; i < N_SUBDIRS; i++) {
		snprintf(path, sizeof path, "%s/%s", t->root, SUBDIRS[i]);
		rmdir(path);
	}
	rmdir(t->root);
}

/* Load the library with one file replaced; expect the error described. */
static void expect_error_at(const char *rel, const char *text, int code, const char *err_rel,
			    int line, int column, const char *message, int exact, int test_line)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	char want_file[1024];
	int rc;

	make_lib(&t, rel, text);
	est_error_clear(&err);
	rc = est_profiles_load(&p, t.root, &err);
	snprintf(want_file, sizeof want_file, "%s/%s", t.root, err_rel);
	if (rc != code || err.code != code || p != NULL) {
		print_error("[line %d] rc %d, err.code %d, expected %d\n", test_line, rc, err.code,
			    code);
		g_bad++;
	}
	if (strcmp(err.file, want_file)) {
		print_error("[line %d] file \"%s\", expected \"%s\"\n", test_line, err.file,
			    want_file);
		g_bad++;
	}
	if (line >= 0 && (err.line != line || err.column != column)) {
		print_error("[line %d] at %d:%d, expected %d:%d\n", test_line, err.line,
			    err.column, line, column);
		g_bad++;
	}
	if (exact ? strcmp(err.message, message) != 0 : strstr(err.message, message) == NULL) {
		print_error("[line %d] message \"%s\", expected %s \"%s\"\n", test_line,
			    err.message, exact ? "exactly" : "to contain", message);
		g_bad++;
	}
	est_profiles_free(p);
	remove_lib(&t);
}
#define expect_error(rel, text, err_rel, line, column, message) \
	expect_error_at((rel), (text), EST_EINVALID, (err_rel), (line), (column), (message), 1, __LINE__)

static void test_mini_library_loads(void **state)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	const est_accelerator *b;
	const est_grid *g;
	(void)state;

	make_lib(&t, NULL, NULL);
	est_error_clear(&err);
	if (est_profiles_load(&p, t.root, &err) != 0)
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
	assert_non_null(p);
	b = est_profiles_accelerator(p, "gpu-b");
	assert_non_null(b);
	check_int(b->sources.count, 2);
	check_str(b->sources.items[1]->id, "src-b");
	check_int(b->sources.items[1]->year, 2020);
	check_close(b->max_power_w, 700);
	g = est_profiles_grid(p, "BBB");
	assert_non_null(g);
	check_close(g->price_per_kwh, 0.2);
	check_str(g->currency, "EUR");
	check_str(g->price_period, "2025-S2");
	check_true(est_profiles_server_for(p, b) == NULL);
	check_true(est_profiles_server_for(p, est_profiles_accelerator(p, "gpu-a")) ==
		   est_profiles_server(p, "srv-a"));
	check_close(est_profiles_server(p, "srv-a")->host_idle_w, 500);
	check_close(est_profiles_constants(p)->memory_headroom, 1.2);
	check_int(est_profiles_constants(p)->memory_headroom_sources.count, 1);
	/* no scope given: not stated; no residual mix */
	check_str(g->scope, "not-stated");
	check_close(g->residual_g_per_kwh, 0);
	/* an equivalence without `default` is reported by default */
	check_int(((const est_equivalence *)est_profiles_at(p, EST_RECORD_EQUIVALENCE, 0))->is_default, 1);
	est_profiles_free(p);
	remove_lib(&t);
	finish();
}

static void test_record_without_source(void **state)
{
	(void)state;
	/* gpu-b (from line 8, key "id" at column 5) without its source line. */
	expect_error(F_ACCEL,
		     "accelerators:\n"
		     "  - id: gpu-a\n"
		     "    name: GPU A\n"
		     "    max_power: 400 W\n"
		     "    idle_power: 40 W\n"
		     "    relative_energy: 1\n"
		     "    source: src-a\n"
		     "  - id: gpu-b\n"
		     "    name: GPU B\n"
		     "    max_power: 700 W\n"
		     "    idle_power: 70 W\n"
		     "    relative_energy: 0.9\n",
		     F_ACCEL, 8, 5, "record has no 'source'");
	/* A flow-style grid record on line 3 (the '{' at column 5). */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a}\n"
		     "  - {id: CCC, name: Cland, intensity: 300 g/kWh, year: 2024}\n",
		     F_GRID, 3, 5, "record has no 'source'");
	/* A model of a task file, line 8. */
	expect_error(F_TASK,
		     "task:\n"
		     "  id: demo\n"
		     "  name: Demo task\n"
		     "  measurement: {boundary: node, hardware: gpu-a, batch_size: 1}\n"
		     "  statistics: {mean: 0.05 Wh, time: 0.5 s, source: src-a}\n"
		     "models:\n"
		     "  - {id: t/demo/m1, model: test/m1, kind: task-specific, energy: 0.05 Wh, source: src-a}\n"
		     "  - {id: t/demo/m2, model: test/m2, kind: task-specific, energy: 0.06 Wh}\n",
		     F_TASK, 8, 5, "record has no 'source'");
	/* A price without its price_source. */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a,\n"
		     "     price: 0.2 EUR/kWh}\n",
		     F_GRID, 2, 5, "record has no 'price_source'");
	/* An empty list of sources, at the '[' (line 7, column 13). */
	expect_error(F_ACCEL,
		     "accelerators:\n"
		     "  - id: gpu-a\n"
		     "    name: GPU A\n"
		     "    max_power: 400 W\n"
		     "    idle_power: 40 W\n"
		     "    relative_energy: 1\n"
		     "    source: []\n",
		     F_ACCEL, 7, 13, "'source' must name at least one source");
	finish();
}

static void test_unknown_source(void **state)
{
	(void)state;
	/* Second item of the list on line 13: "    source: [src-a, src-c]", col 21. */
	expect_error(F_ACCEL,
		     "accelerators:\n"
		     "  - id: gpu-a\n"
		     "    name: GPU A\n"
		     "    max_power: 400 W\n"
		     "    idle_power: 40 W\n"
		     "    relative_energy: 1\n"
		     "    source: src-a\n"
		     "  - id: gpu-b\n"
		     "    name: GPU B\n"
		     "    max_power: 700 W\n"
		     "    idle_power: 70 W\n"
		     "    relative_energy: 0.9\n"
		     "    source: [src-a, src-c]\n",
		     F_ACCEL, 13, 21, "unknown source 'src-c' (not in sources.yaml)");
	/* In a constant: "  gpu_to_node: {value: 1.3, source: aienergy}" col 37. */
	expect_error(F_CONSTANTS,
		     "constants:\n"
		     "  reference_accelerator: gpu-a\n"
		     "  gpu_to_node: {value: 1.3, source: aienergy}\n"
		     "  bytes_per_parameter: {value: 2, source: src-a}\n"
		     "  memory_headroom: {value: 1.2, source: src-a}\n"
		     "  default_utilisation: {value: 50%, source: src-a}\n"
		     "  default_replication: {value: 2, source: src-a}\n",
		     F_CONSTANTS, 3, 37, "unknown source 'aienergy' (not in sources.yaml)");
	finish();
}

static void test_duplicate_ids(void **state)
{
	(void)state;
	expect_error(F_ACCEL,
		     "accelerators:\n"
		     "  - id: gpu-a\n"
		     "    name: GPU A\n"
		     "    max_power: 400 W\n"
		     "    idle_power: 40 W\n"
		     "    relative_energy: 1\n"
		     "    source: src-a\n"
		     "  - id: gpu-a\n"
		     "    name: GPU A again\n"
		     "    max_power: 700 W\n"
		     "    idle_power: 70 W\n"
		     "    relative_energy: 0.9\n"
		     "    source: src-a\n",
		     F_ACCEL, 8, 5, "duplicate accelerator id 'gpu-a'");
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a}\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a}\n",
		     F_GRID, 3, 5, "duplicate grid id 'AAA'");
	expect_error(F_SOURCES,
		     "sources:\n"
		     "  - {id: src-a, title: A, year: 2024, locator: x}\n"
		     "  - {id: src-b, title: B, year: 2024, locator: x}\n"
		     "  - {id: src-a, title: C, year: 2024, locator: x}\n",
		     F_SOURCES, 4, 5, "duplicate source id 'src-a'");
	finish();
}

/*
 * docs/profiles.md: the loader rejects "a duplicate id". load_equivalences()
 * has no duplicate check (sources, accelerators, servers, grids, facilities,
 * storage, tasks and models all have one), so this case fails: LOADER BUG.
 * The message is not pinned exactly (the loader has none yet); the other
 * duplicate checks say "duplicate <kind> id '<id>'" at the second record.
 */
static void test_duplicate_equivalence_id(void **state)
{
	(void)state;
	expect_error_at(F_EQUIV,
			"equivalences:\n"
			"  - {id: phone, name: phone charges, energy: 0.022 kWh, source: src-a}\n"
			"  - {id: phone, name: phone charges, energy: 0.012 kWh, source: src-a}\n",
			EST_EINVALID, F_EQUIV, 3, 5, "duplicate", 0, __LINE__);
	finish();
}

static void test_unknown_key(void **state)
{
	(void)state;
	/* "  - {id: AAA, name: Aland, intensty: ..." : key at column 28. */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensty: 100 g/kWh, year: 2024, source: src-a}\n",
		     F_GRID, 2, 28, "unknown key 'intensty' in a grid; did you mean 'intensity'?");
	/* Block style, line 3, no near key. */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - id: AAA\n"
		     "    colour: green\n"
		     "    name: Aland\n"
		     "    intensity: 100 g/kWh\n"
		     "    year: 2024\n"
		     "    source: src-a\n",
		     F_GRID, 3, 5, "unknown key 'colour' in a grid");
	finish();
}

static void test_wrong_unit(void **state)
{
	(void)state;
	/* "    max_power: 400 Wh" on line 4: value at column 16. */
	expect_error(F_ACCEL,
		     "accelerators:\n"
		     "  - id: gpu-a\n"
		     "    name: GPU A\n"
		     "    max_power: 400 Wh\n"
		     "    idle_power: 40 W\n"
		     "    relative_energy: 1\n"
		     "    source: src-a\n",
		     F_ACCEL, 4, 16, "max_power: expected power (e.g. kW), got energy (e.g. kWh)");
	/* A server lifetime in kW, on line 10. */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - id: srv-a\n"
		     "    name: Server A\n"
		     "    accelerator: gpu-a\n"
		     "    accelerators: 8\n"
		     "    max_power: 6.5 kW\n"
		     "    host_idle: 500 W\n"
		     "    rack_units: 6\n"
		     "    embodied: 2000 kgCO2e\n"
		     "    lifetime: 4 kW\n"
		     "    source: src-a\n",
		     F_SERVERS, 10, 15, "lifetime: expected time (e.g. years), got power (e.g. kW)");
	/* host_idle in W, not Wh: "    host_idle: 500 Wh" on line 7, value at column 16. */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - id: srv-a\n"
		     "    name: Server A\n"
		     "    accelerator: gpu-a\n"
		     "    accelerators: 8\n"
		     "    max_power: 6.5 kW\n"
		     "    host_idle: 500 Wh\n"
		     "    rack_units: 6\n"
		     "    embodied: 2000 kgCO2e\n"
		     "    lifetime: 4 years\n"
		     "    source: src-a\n",
		     F_SERVERS, 7, 16, "host_idle: expected power (e.g. kW), got energy (e.g. kWh)");
	finish();
}

static void test_missing_dir(void **state)
{
	tmp_lib t;
	est_profiles *p = (est_profiles *)&t; /* must be reset to NULL */
	est_error err;
	char dir[1024], want[1100];
	(void)state;

	/* A directory that certainly does not exist: a child of a removed temp dir. */
	make_lib(&t, NULL, NULL);
	remove_lib(&t);
	snprintf(dir, sizeof dir, "%s/profiles", t.root);
	est_error_clear(&err);
	check_int(est_profiles_load(&p, dir, &err), EST_EIO);
	check_true(p == NULL);
	check_int(err.code, EST_EIO);
	snprintf(want, sizeof want, "%s/sources.yaml", dir);
	check_str(err.file, want);
	check_int(err.line, 0);
	check_int(err.column, 0);
	check_true(strncmp(err.message, "cannot open", 11) == 0);

	/* A library without its tasks/ folder. */
	make_lib(&t, NULL, NULL);
	snprintf(dir, sizeof dir, "%s/%s", t.root, F_TASK);
	unlink(dir);
	snprintf(dir, sizeof dir, "%s/tasks", t.root);
	rmdir(dir);
	est_error_clear(&err);
	check_int(est_profiles_load(&p, t.root, &err), EST_EIO);
	check_str(err.file, dir);
	check_str(err.message, "cannot open profile folder");
	remove_lib(&t);
	finish();
}

/* ------------------------------------------------------------------------ */
/* The server power model's loader rules (docs/model.md section 5): every     */
/* server states its host idle, and its maximum covers the host idle plus    */
/* every accelerator at its maximum: P_server >= P_h0 + G x P_amax.          */

static void test_server_power_rule(void **state)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	(void)state;

	/* 500 W + 8 x 400 W = 3,700 W above a 3.6 kW maximum: at the max_power value (6:16) */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - id: srv-a\n"
		     "    name: Server A\n"
		     "    accelerator: gpu-a\n"
		     "    accelerators: 8\n"
		     "    max_power: 3.6 kW\n"
		     "    host_idle: 500 W\n"
		     "    rack_units: 6\n"
		     "    embodied: 2000 kgCO2e\n"
		     "    lifetime: 4 years\n"
		     "    source: src-a\n",
		     F_SERVERS, 6, 16,
		     "max_power 3600 W is below host_idle plus 8 x 400 W of accelerators (3700 W)");
	/* the host idle counts: 3,400 W + 8 x 400 W = 6,600 W above 6.5 kW */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - id: srv-a\n"
		     "    name: Server A\n"
		     "    accelerator: gpu-a\n"
		     "    accelerators: 8\n"
		     "    max_power: 6.5 kW\n"
		     "    host_idle: 3.4 kW\n"
		     "    rack_units: 6\n"
		     "    embodied: 2000 kgCO2e\n"
		     "    lifetime: 4 years\n"
		     "    source: src-a\n",
		     F_SERVERS, 6, 16,
		     "max_power 6500 W is below host_idle plus 8 x 400 W of accelerators (6600 W)");
	/* and so does the accelerators' maximum: 4 x gpu-b 700 W + 500 W = 3,300 W above 3.2 kW */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - {id: srv-b, name: Server B, accelerator: gpu-b, accelerators: 4, max_power: 3.2 kW,\n"
		     "     host_idle: 500 W, rack_units: 4, embodied: 1000 kgCO2e, lifetime: 4 years,\n"
		     "     source: src-a}\n",
		     F_SERVERS, 2, 81,
		     "max_power 3200 W is below host_idle plus 4 x 700 W of accelerators (3300 W)");
	/* exactly at the bound, 500 W + 8 x 400 W = 3.7 kW, loads */
	make_lib(&t, F_SERVERS,
		 "servers:\n"
		 "  - id: srv-a\n"
		 "    name: Server A\n"
		 "    accelerator: gpu-a\n"
		 "    accelerators: 8\n"
		 "    max_power: 3.7 kW\n"
		 "    host_idle: 500 W\n"
		 "    rack_units: 6\n"
		 "    embodied: 2000 kgCO2e\n"
		 "    lifetime: 4 years\n"
		 "    source: src-a\n");
	est_error_clear(&err);
	if (est_profiles_load(&p, t.root, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		g_bad++;
	} else {
		check_close(est_profiles_server(p, "srv-a")->max_power_kw, 3.7);
		check_close(est_profiles_server(p, "srv-a")->host_idle_w, 500);
	}
	est_profiles_free(p);
	remove_lib(&t);
	finish();
}

static void test_host_idle_required(void **state)
{
	(void)state;
	/* GOOD_SERVERS without its host_idle line: the record (2:5) */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - id: srv-a\n"
		     "    name: Server A\n"
		     "    accelerator: gpu-a\n"
		     "    accelerators: 8\n"
		     "    max_power: 6.5 kW\n"
		     "    rack_units: 6\n"
		     "    embodied: 2000 kgCO2e\n"
		     "    lifetime: 4 years\n"
		     "    source: src-a\n",
		     F_SERVERS, 2, 5, "missing required key 'host_idle'");
	/* a negative host idle: at its value (7:16) */
	expect_error(F_SERVERS,
		     "servers:\n"
		     "  - id: srv-a\n"
		     "    name: Server A\n"
		     "    accelerator: gpu-a\n"
		     "    accelerators: 8\n"
		     "    max_power: 6.5 kW\n"
		     "    host_idle: -5 W\n"
		     "    rack_units: 6\n"
		     "    embodied: 2000 kgCO2e\n"
		     "    lifetime: 4 years\n"
		     "    source: src-a\n",
		     F_SERVERS, 7, 16, "host_idle: -5 W is negative; it must be zero or more");
	finish();
}

/* constants.memory_headroom (docs/model.md section 3) is required and at least 1. */
static void test_memory_headroom_required(void **state)
{
	(void)state;
	/* missing: at the constants mapping (2:3) */
	expect_error(F_CONSTANTS,
		     "constants:\n"
		     "  reference_accelerator: gpu-a\n"
		     "  gpu_to_node: {value: 1.3, source: src-a}\n"
		     "  bytes_per_parameter: {value: 2, source: src-a}\n"
		     "  default_utilisation: {value: 50%, source: src-a}\n"
		     "  default_replication: {value: 2, source: src-a}\n",
		     F_CONSTANTS, 2, 3, "missing required key 'memory_headroom'");
	/* below 1: "  memory_headroom: {" puts the mapping at column 20 of line 5 */
	expect_error(F_CONSTANTS,
		     "constants:\n"
		     "  reference_accelerator: gpu-a\n"
		     "  gpu_to_node: {value: 1.3, source: src-a}\n"
		     "  bytes_per_parameter: {value: 2, source: src-a}\n"
		     "  memory_headroom: {value: 0.9, source: src-a}\n"
		     "  default_utilisation: {value: 50%, source: src-a}\n"
		     "  default_replication: {value: 2, source: src-a}\n",
		     F_CONSTANTS, 5, 20, "memory_headroom must be at least 1");
	finish();
}

/* Grid scope and residual mix (docs/model.md section 7); a record's node_gpus. */
static void test_grid_residual_and_node_gpus(void **state)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	const est_grid *g;
	(void)state;

	/* a residual mix needs its year: the record (2:5) */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a,\n"
		     "     residual_mix: 300 g/kWh, residual_source: src-b}\n",
		     F_GRID, 2, 5, "missing required key 'residual_year'");
	/* and its source, as a price needs its price_source */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a,\n"
		     "     residual_mix: 300 g/kWh, residual_year: 2024}\n",
		     F_GRID, 2, 5, "record has no 'residual_source'");
	/* a residual year alone: at its value, "     residual_year: " is 20 characters */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a,\n"
		     "     residual_year: 2024}\n",
		     F_GRID, 3, 21, "residual_year without residual_mix");
	/* a scope outside the three: at its value, column 84 of line 2 */
	expect_error(F_GRID,
		     "grids:\n"
		     "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a, scope: lifecycle}\n",
		     F_GRID, 2, 84,
		     "scope must be life-cycle, combustion or not-stated, got 'lifecycle'");
	/* fewer accelerators in the node than at work: the record (8:5) */
	expect_error(F_TASK,
		     "task:\n"
		     "  id: demo\n"
		     "  name: Demo task\n"
		     "  measurement: {boundary: node, hardware: gpu-a, batch_size: 1}\n"
		     "  statistics: {mean: 0.05 Wh, time: 0.5 s, source: src-a}\n"
		     "models:\n"
		     "  - {id: t/demo/m1, model: test/m1, kind: task-specific, energy: 0.05 Wh, source: src-a}\n"
		     "  - {id: t/demo/m2, model: test/m2, kind: task-specific, energy: 0.06 Wh, gpus: 2,\n"
		     "     node_gpus: 1, source: src-a}\n",
		     F_TASK, 8, 5, "record 't/demo/m2': node_gpus (1) is below gpus (2)");

	/* all of them given: read as written; node_gpus defaults to gpus */
	make_lib(&t, F_GRID,
		 "grids:\n"
		 "  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a,\n"
		 "     scope: combustion, residual_mix: 300 g/kWh, residual_year: 2023,\n"
		 "     residual_source: [src-b]}\n");
	write_file(&t, F_TASK,
		   "task:\n"
		   "  id: demo\n"
		   "  name: Demo task\n"
		   "  measurement: {boundary: node, hardware: gpu-a, batch_size: 1}\n"
		   "  statistics: {mean: 0.05 Wh, time: 0.5 s, source: src-a}\n"
		   "models:\n"
		   "  - {id: t/demo/m1, model: test/m1, kind: task-specific, energy: 0.05 Wh, source: src-a}\n"
		   "  - {id: t/demo/m2, model: test/m2, kind: task-specific, energy: 0.06 Wh, gpus: 2,\n"
		   "     node_gpus: 8, source: src-a}\n");
	est_error_clear(&err);
	if (est_profiles_load(&p, t.root, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		g_bad++;
	} else {
		const est_task *task = est_profiles_task(p, "demo");
		g = est_profiles_grid(p, "AAA");
		check_str(g->scope, "combustion");
		check_close(g->residual_g_per_kwh, 300);
		check_int(g->residual_year, 2023);
		check_int(g->residual_sources.count, 1);
		check_str(g->residual_sources.items[0]->id, "src-b");
		check_int(est_task_model(task, "t/demo/m1")->gpus, 1);
		check_int(est_task_model(task, "t/demo/m1")->node_gpus, 1);
		check_int(est_task_model(task, "t/demo/m2")->gpus, 2);
		check_int(est_task_model(task, "t/demo/m2")->node_gpus, 8);
	}
	est_profiles_free(p);
	remove_lib(&t);
	finish();
}

/* An equivalence with `default: false` is loaded and marked; `default` takes only true or false. */
static void test_equivalence_default(void **state)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	(void)state;

	make_lib(&t, F_EQUIV,
		 "equivalences:\n"
		 "  - {id: phone, name: phone charges, energy: 0.022 kWh, source: src-a}\n"
		 "  - {id: phone_old, name: phone charges (old), energy: 0.012 kWh, default: false, source: src-a}\n"
		 "  - {id: car, name: km by car, emissions: 0.249 kgCO2e, default: true, source: src-a}\n");
	est_error_clear(&err);
	if (est_profiles_load(&p, t.root, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		g_bad++;
	} else {
		const est_equivalence *e;
		check_int(est_profiles_count_equivalences(p), 3);
		e = est_profiles_equivalence_at(p, 0);
		check_str(e->id, "phone");
		check_int(e->is_default, 1);
		e = est_profiles_equivalence_at(p, 1);
		check_str(e->id, "phone_old");
		check_int(e->is_default, 0);
		check_close(e->per_kwh, 1 / 0.012);
		e = est_profiles_equivalence_at(p, 2);
		check_int(e->is_default, 1);
	}
	est_profiles_free(p);
	remove_lib(&t);
	/* "  - {id: phone, name: phone charges, energy: 0.022 kWh, default: " is 65 characters */
	expect_error(F_EQUIV,
		     "equivalences:\n"
		     "  - {id: phone, name: phone charges, energy: 0.022 kWh, default: maybe, source: src-a}\n",
		     F_EQUIV, 2, 66, "default: expected true or false, got 'maybe'");
	finish();
}

/*
 * The real library under the new rules. Expected figures typed from the
 * research notes and docs/model.md, never from the YAML files:
 *   E §0 and §1.1: the smartphone charge, 0.022 kWh in the FAccT 2024
 *   version of Power Hungry Processing, 0.012 kWh in its arXiv v1 (2023);
 *   E §2.3: AI Energy Score sizes memory as parameters x 2 bytes x 1.2.
 */
static void test_real_library_power_model(void **state)
{
	static const char *const SCOPES[] = {"life-cycle", "combustion", "not-stated"};
	/* EU-27 (ISO 3166 alpha-3), whose residual mixes AIB publishes (docs/model.md section 7) */
	static const char *const EU27[] = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK",
					   "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
					   "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL",
					   "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"};
	size_t i, j, n, with_residual = 0, eu_found = 0;
	const est_constants *c = est_profiles_constants(g_lib);
	const est_equivalence *phone = NULL, *phone_2023 = NULL;
	(void)state;

	/* servers: a host idle, and the nameplate covers host idle + G x accelerator maximum */
	n = est_profiles_count(g_lib, EST_RECORD_SERVER);
	check_true(n >= 10);
	for (i = 0; i < n; i++) {
		const est_server *s = est_profiles_at(g_lib, EST_RECORD_SERVER, i);
		double need = s->host_idle_w + s->accelerators * s->accelerator->max_power_w;
		if (!(s->host_idle_w > 0) || s->max_power_kw * 1000 < need) {
			print_error("server %s: host_idle %g W, max_power %g W, needs %g W\n", s->id,
				    s->host_idle_w, s->max_power_kw * 1000, need);
			g_bad++;
		}
	}

	/* grids: a scope from the list; a residual mix (EU-27 and US eGRID subregions only) with
	 * its year and source */
	n = est_profiles_count(g_lib, EST_RECORD_GRID);
	check_true(n >= 100);
	for (i = 0; i < n; i++) {
		const est_grid *g = est_profiles_at(g_lib, EST_RECORD_GRID, i);
		int ok = 0, eu = 0;
		for (j = 0; j < 3; j++)
			ok |= g->scope && !strcmp(g->scope, SCOPES[j]);
		if (!ok) {
			print_error("grid %s: scope '%s'\n", g->id, g->scope ? g->scope : "(null)");
			g_bad++;
		}
		for (j = 0; j < sizeof EU27 / sizeof EU27[0]; j++)
			eu |= !strcmp(g->id, EU27[j]);
		eu_found += eu;
		if (g->residual_g_per_kwh <= 0)
			continue;
		with_residual++;
		if (!(eu || !strncmp(g->id, "egrid/", 6)) || g->residual_year < 1990 ||
		    g->residual_year > 2100 || g->residual_sources.count < 1) {
			print_error("grid %s: residual mix %g g/kWh, year %d, %zu source(s), EU %d\n",
				    g->id, g->residual_g_per_kwh, g->residual_year,
				    g->residual_sources.count, eu);
			g_bad++;
		} else {
			check_sources(&g->residual_sources, g->id);
		}
	}
	check_int(eu_found, 27);
	check_true(with_residual >= 1);

	/* the two smartphone charges: 0.022 kWh shown by default, 0.012 kWh only when chosen */
	for (i = 0; i < est_profiles_count_equivalences(g_lib); i++) {
		const est_equivalence *e = est_profiles_equivalence_at(g_lib, i);
		if (!strcmp(e->id, "smartphone_charges"))
			phone = e;
		else if (!strcmp(e->id, "smartphone_charges_2023"))
			phone_2023 = e;
	}
	assert_non_null(phone);
	assert_non_null(phone_2023);
	check_close(phone->per_kwh, 1 / 0.022);
	check_int(phone->is_default, 1);
	check_close(phone_2023->per_kwh, 1 / 0.012);
	check_close(phone_2023->per_kg_co2e, 0);
	check_int(phone_2023->is_default, 0);
	check_true(phone_2023->sources.count >= 1);

	/* E §2.3: the 1.2 memory overhead */
	check_close(c->memory_headroom, 1.2);
	check_sources(&c->memory_headroom_sources, "constants.memory_headroom");
	finish();
}

/*
 * The US eGRID subregions (profiles/grids/egrid-subregions.yaml): the 27 subregions of eGRID2023,
 * each combustion-scope with a Green-e residual mix, its year and its source. Expected figures
 * are the published lb/MWh times 0.45359237, typed from the sources, not from the YAML:
 *   eGRID2023 rev2 SRC2ERTA (EPA Power Profiler data, GitHub USEPA/power-profiler
 *   app/data/subregion.json at commit
 *   9463d66807efcf2ec11fad6c1f8caa3916084aef): CAMX 429.983, ERCT 736.629 lb/MWh;
 *   CRS/Green-e 2025 Residual Mix (2023 data), Adjusted System Mix, as transcribed in the
 *   files named by source greene-residual-2025: CAMX 434.2188489, ERCT 823.8111702 lb/MWh.
 * The YAML gives g/kWh to 2 decimals, so the check is to half a unit of the last digit.
 */
static void egrid_close(double actual, double expected, const char *what)
{
	if (fabs(actual - expected) <= 0.005)
		return;
	print_error("%s = %.6f g/kWh, expected %.6f\n", what, actual, expected);
	g_bad++;
}

static void test_egrid_subregions(void **state)
{
	static const char *const CODES[27] = {
		"AKGD", "AKMS", "AZNM", "CAMX", "ERCT", "FRCC", "HIMS", "HIOA", "MROE",
		"MROW", "NEWE", "NWPP", "NYCW", "NYLI", "NYUP", "PRMS", "RFCE", "RFCM",
		"RFCW", "RMPA", "SPNO", "SPSO", "SRMV", "SRMW", "SRSO", "SRTV", "SRVC"};
	size_t i, n, found = 0;
	char id[16];
	const est_grid *g;
	(void)state;

	/* every egrid/ record: subnational, combustion, 2023, a residual mix with year and source */
	n = est_profiles_count(g_lib, EST_RECORD_GRID);
	for (i = 0; i < n; i++) {
		g = est_profiles_at(g_lib, EST_RECORD_GRID, i);
		if (strncmp(g->id, "egrid/", 6))
			continue;
		found++;
		check_int(g->kind, EST_GRID_SUBNATIONAL);
		check_str(g->scope, "combustion");
		check_int(g->year, 2023);
		check_true(g->intensity_g_per_kwh > 0);
		check_true(g->sources.count >= 1);
		check_true(g->residual_g_per_kwh > 0);
		check_int(g->residual_year, 2023);
		check_true(g->residual_sources.count >= 1);
		check_true(g->price_per_kwh == 0);
		if (g->residual_sources.count >= 1)
			check_sources(&g->residual_sources, g->id);
	}
	check_int(found, 27);
	for (i = 0; i < 27; i++) {
		snprintf(id, sizeof id, "egrid/%s", CODES[i]);
		if (!est_profiles_grid(g_lib, id)) {
			print_error("grid %s missing\n", id);
			g_bad++;
		}
	}

	g = est_profiles_grid(g_lib, "egrid/CAMX");
	assert_non_null(g);
	egrid_close(g->intensity_g_per_kwh, 429.983 * 0.45359237, "egrid/CAMX intensity");
	egrid_close(g->residual_g_per_kwh, 434.2188489 * 0.45359237, "egrid/CAMX residual_mix");
	check_str(g->sources.items[0]->id, "egrid2023-rev2");
	check_str(g->residual_sources.items[0]->id, "greene-residual-2025");
	g = est_profiles_grid(g_lib, "egrid/ERCT");
	assert_non_null(g);
	egrid_close(g->intensity_g_per_kwh, 736.629 * 0.45359237, "egrid/ERCT intensity");
	egrid_close(g->residual_g_per_kwh, 823.8111702 * 0.45359237, "egrid/ERCT residual_mix");
	finish();
}

/* ---- cloud files in a written library ---- */

static const char CLOUD_GRID[] =
	"grids:\n"
	"  - {id: AAA, name: Aland, intensity: 100 g/kWh, year: 2024, source: src-a}\n"
	"  - {id: pv/r1, name: R1, kind: cloud, provider: pv, intensity: 300 g/kWh, year: 2024,"
	" source: src-a}\n"
	"  - {id: pv/r2, name: R2, kind: cloud, provider: pv, intensity: 30 g/kWh, year: 2024,"
	" source: src-a}\n";

static const char GOOD_PROVIDERS[] =
	"providers:\n"
	"  - {id: pv, name: Provider V, pue: 1.2, wue: 0.4 L/kWh, source: src-a}\n";

/* Lines 1-4; then accelerator (5), accelerators (6), server (7) ... */
#define INST_TOP "instances:\n  - id: pv/big\n    name: big\n    provider: pv\n"
#define INST_HW "    accelerator: gpu-a\n    accelerators: 8\n    server: srv-a\n"
#define INST_MID "    vcpus: 96\n    memory: 1152 GiB\n    prices:\n"
#define INST_END "    price_date: test\n    source: src-a\n"

static const char GOOD_INSTANCES[] =
	INST_TOP INST_HW INST_MID
	"      r1: {on_demand: 20 USD/h}\n"                            /* 11 */
	"      r2: {on_demand: 25 USD/h, one_year: 15 USD/h}\n"         /* 12 */
	INST_END;

static void write_cloud(const tmp_lib *t, const char *providers, const char *instances)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/cloud", t->root);
	assert_int_equal(mkdir(path, 0700), 0);
	if (providers)
		write_file(t, "cloud/providers.yaml", providers);
	if (instances)
		write_file(t, "cloud/instances.yaml", instances);
}

static void remove_cloud(const tmp_lib *t)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/cloud/providers.yaml", t->root);
	unlink(path);
	snprintf(path, sizeof path, "%s/cloud/instances.yaml", t->root);
	unlink(path);
	snprintf(path, sizeof path, "%s/cloud", t->root);
	rmdir(path);
}

static void expect_cloud_error_at(const char *providers, const char *instances, const char *err_rel,
				  int line, int column, const char *message, int test_line)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	char want_file[1024];
	int rc;

	make_lib(&t, F_GRID, CLOUD_GRID);
	write_cloud(&t, providers, instances);
	est_error_clear(&err);
	rc = est_profiles_load(&p, t.root, &err);
	snprintf(want_file, sizeof want_file, "%s/%s", t.root, err_rel);
	if (rc != EST_EINVALID || p != NULL) {
		print_error("[line %d] rc %d, expected %d\n", test_line, rc, EST_EINVALID);
		g_bad++;
	}
	if (strcmp(err.file, want_file) || err.line != line || err.column != column ||
	    strcmp(err.message, message)) {
		print_error("[line %d] %s:%d:%d: %s\n   expected %s:%d:%d: %s\n", test_line, err.file,
			    err.line, err.column, err.message, want_file, line, column, message);
		g_bad++;
	}
	est_profiles_free(p);
	remove_cloud(&t);
	remove_lib(&t);
}
#define expect_instances_error(text, line, column, message) \
	expect_cloud_error_at(GOOD_PROVIDERS, (text), "cloud/instances.yaml", (line), (column), \
			      (message), __LINE__)

static void test_cloud_loads(void **state)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	const est_cloud_instance *c;
	(void)state;

	make_lib(&t, F_GRID, CLOUD_GRID);
	write_cloud(&t, GOOD_PROVIDERS, GOOD_INSTANCES);
	est_error_clear(&err);
	if (est_profiles_load(&p, t.root, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		g_bad++;
	} else {
		c = est_profiles_cloud_instance(p, "pv/big");
		assert_non_null(c);
		check_true(c->provider == est_profiles_cloud_provider(p, "pv"));
		check_close(c->provider->pue, 1.2);
		check_close(c->provider->wue_l_per_kwh, 0.4);
		check_int(c->n_prices, 2);
		check_close(est_cloud_instance_price(c, "r2")->one_year, 15);
		check_close(est_cloud_instance_price(c, "r2")->three_year, 0);
		check_true(est_cloud_instance_price(c, "r3") == NULL);
		check_close(c->memory_gb, 1152 * 1.073741824);
		check_int(est_profiles_count(p, EST_RECORD_CLOUD_INSTANCE), 1);
	}
	est_profiles_free(p);
	remove_cloud(&t);
	remove_lib(&t);

	/* providers without instances: fine; instances without providers: their provider is unknown */
	make_lib(&t, F_GRID, CLOUD_GRID);
	write_cloud(&t, GOOD_PROVIDERS, NULL);
	est_error_clear(&err);
	check_int(est_profiles_load(&p, t.root, &err), 0);
	check_int(est_profiles_count(p, EST_RECORD_CLOUD_PROVIDER), 1);
	check_int(est_profiles_count(p, EST_RECORD_CLOUD_INSTANCE), 0);
	est_profiles_free(p);
	p = NULL;
	remove_cloud(&t);
	remove_lib(&t);
	expect_cloud_error_at(NULL, GOOD_INSTANCES, "cloud/instances.yaml", 4, 15,
			      "unknown cloud provider 'pv'", __LINE__);
	finish();
}

static void test_cloud_errors(void **state)
{
	(void)state;
	/* "    provider: " is 14 characters: values at column 15 */
	expect_instances_error(
		"instances:\n  - id: pv/big\n    name: big\n    provider: pw\n" INST_HW INST_MID
		"      r1: {on_demand: 20 USD/h}\n" INST_END,
		4, 15, "unknown cloud provider 'pw'; did you mean 'pv'?");
	expect_instances_error(
		"instances:\n  - id: pv/large\n    name: big\n    provider: pv\n" INST_HW INST_MID
		"      r1: {on_demand: 20 USD/h}\n" INST_END,
		2, 9, "id 'pv/large' must be provider/name, 'pv/big'");
	expect_instances_error(
		INST_TOP "    accelerator: gpu-b\n    accelerators: 8\n    server: srv-a\n" INST_MID
		"      r1: {on_demand: 20 USD/h}\n" INST_END,
		7, 13, "server 'srv-a' holds gpu-a, not gpu-b");
	expect_instances_error(
		INST_TOP "    accelerator: gpu-a\n    accelerators: 9\n    server: srv-a\n" INST_MID
		"      r1: {on_demand: 20 USD/h}\n" INST_END,
		6, 19, "accelerators: 9 is more than server 'srv-a' holds (8)");
	expect_instances_error(
		INST_TOP "    accelerator: gpu-a\n    accelerators: 0\n    server: srv-a\n" INST_MID
		"      r1: {on_demand: 20 USD/h}\n" INST_END,
		6, 19, "accelerators: 0 is out of range (1 to 1024)");
	expect_instances_error(
		INST_TOP "    accelerator: gpu-a\n    accelerators: 8\n    server: srv-x\n" INST_MID
		"      r1: {on_demand: 20 USD/h}\n" INST_END,
		7, 13, "unknown server 'srv-x'; did you mean 'srv-a'?");
	/* a region without its grid pv/r3, at the region (line 12, column 7) */
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: 20 USD/h}\n"
			       "      r3: {on_demand: 25 USD/h}\n" INST_END,
			       12, 7, "region 'r3' has no grid 'pv/r3' in grids/");
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: 20 USD/h}\n"
			       "      r1: {on_demand: 25 USD/h}\n" INST_END,
			       12, 7, "region 'r1' is listed twice");
	/* "      r1: {on_demand: " is 22 characters */
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: 0 USD/h}\n" INST_END,
			       11, 23, "on_demand: 0 USD/h is zero; it must be more than zero");
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: 20 USD}\n" INST_END,
			       11, 23, "on_demand: '20 USD' is not a price per instance-hour (e.g. 55.04 USD/h)");
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: 20 USD/h}\n"
			       "      r2: {on_demand: 25 EUR/h}\n" INST_END,
			       12, 23, "on_demand: an amount in EUR; this instance's prices are in USD");
	/* "      r2: {on_demand: 25 USD/h, one_year: " is 42 characters */
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: 20 USD/h}\n"
			       "      r2: {on_demand: 25 USD/h, one_year: 30 USD/h}\n" INST_END,
			       12, 43, "one_year is above on_demand: a commitment is a discount");
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {on_demand: {dist: uniform, min: 10 USD/h, max: 20 USD/h}}\n"
			       INST_END,
			       11, 23, "on_demand: a distribution is not supported here");
	expect_instances_error(INST_TOP INST_HW INST_MID
			       "      r1: {spot: 20 USD/h}\n" INST_END,
			       11, 12, "unknown key 'spot' in a region's prices");
	expect_instances_error(INST_TOP INST_HW "    vcpus: 96\n    memory: 1152 GiB\n    prices: {}\n"
			       INST_END,
			       10, 13, "prices must list at least one region");
	expect_instances_error(INST_TOP INST_HW "    vcpus: 96\n    memory: 1152 GiB\n" INST_END,
			       2, 5, "missing required key 'prices'");
	/* the same instance twice: at the second record (line 16) */
	expect_instances_error(INST_TOP INST_HW INST_MID "      r1: {on_demand: 20 USD/h}\n" INST_END
			       "  - {id: pv/big, name: big, provider: pv, accelerator: gpu-a, accelerators: 1,"
			       " server: srv-a, vcpus: 12, memory: 100 GB, prices: {r1: {on_demand: 2 USD/h}},"
			       " price_date: x, source: src-a}\n",
			       14, 5, "duplicate cloud instance id 'pv/big'");
	/* providers */
	expect_cloud_error_at("providers:\n"
			      "  - {id: pv, name: Provider V, pue: 0.9, wue: 0.4 L/kWh, source: src-a}\n",
			      NULL, "cloud/providers.yaml", 2, 37, "pue must be 1 or more", __LINE__);
	expect_cloud_error_at("providers:\n"
			      "  - {id: pv, name: Provider V, pue: 1.1, wue: 0.4 L/kWh}\n",
			      NULL, "cloud/providers.yaml", 2, 5, "record has no 'source'", __LINE__);
	expect_cloud_error_at("providers:\n"
			      "  - {id: pv, name: Provider V, pue: 1.1, wue: 0.4 L/kWh, source: src-a}\n"
			      "  - {id: pv, name: Provider W, pue: 1.1, wue: 0.4 L/kWh, source: src-a}\n",
			      NULL, "cloud/providers.yaml", 3, 5, "duplicate cloud provider id 'pv'",
			      __LINE__);
	finish();
}

/* The colocation rent, power step, drive size and discount rate: units and bounds. */
static void test_purchase_fields_errors(void **state)
{
	tmp_lib t;
	est_profiles *p = NULL;
	est_error err;
	(void)state;

	/* a rent per year is converted to a month: 2208.72 / 12 = 184.06 */
	make_lib(&t, F_FACILITY,
		 "facilities:\n"
		 "  - {id: enterprise, name: Enterprise, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,"
		 " buildout_cost: 10000 USD/kW, price_per_kw_month: 2208.72 USD/kW/year,"
		 " power_step: 250 kW, source: src-a}\n");
	est_error_clear(&err);
	if (est_profiles_load(&p, t.root, &err) != 0) {
		print_error("%s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		g_bad++;
	} else {
		check_close(est_profiles_facility(p, "enterprise")->price_per_kw_month, 184.06);
		check_str(est_profiles_facility(p, "enterprise")->price_currency, "USD");
		check_close(est_profiles_facility(p, "enterprise")->power_step_kw, 250);
		check_close(est_profiles_constants(p)->discount_rate, 0); /* not given */
		check_int(est_profiles_constants(p)->discount_rate_sources.count, 0);
	}
	est_profiles_free(p);
	remove_lib(&t);
	/* "  - {id: enterprise, name: Enterprise, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,
	 *  buildout_cost: 10000 USD/kW, price_per_kw_month: " is 131 characters; with
	 *  "power_step: " instead, 123 */
	expect_error(F_FACILITY,
		     "facilities:\n"
		     "  - {id: enterprise, name: Enterprise, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,"
		     " buildout_cost: 10000 USD/kW, price_per_kw_month: 184.06 USD/kW, source: src-a}\n",
		     F_FACILITY, 2, 132,
		     "price_per_kw_month: '184.06 USD/kW' is not a price per kW per month (e.g. 184.06 USD/kW/month)");
	expect_error(F_FACILITY,
		     "facilities:\n"
		     "  - {id: enterprise, name: Enterprise, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,"
		     " buildout_cost: 10000 USD/kW, power_step: 0 kW, source: src-a}\n",
		     F_FACILITY, 2, 124, "power_step: 0 kW is zero; it must be more than zero");
	expect_error(F_FACILITY,
		     "facilities:\n"
		     "  - {id: enterprise, name: Enterprise, pue: 1.5, wue: 2 L/kWh, rack_power: 10 kW,"
		     " buildout_cost: 10000 USD/kW, power_step: {dist: uniform, min: 100 kW, max: 200 kW},"
		     " source: src-a}\n",
		     F_FACILITY, 2, 124, "power_step: a distribution is not supported here");
	/* "  - {id: ssd, power: 1 W/TB, embodied: 50 kgCO2e/TB, purchase_unit: " is 68 characters */
	expect_error(F_STORAGE,
		     "storage:\n"
		     "  - {id: ssd, power: 1 W/TB, embodied: 50 kgCO2e/TB, purchase_unit: 15.36 W, source: src-a}\n"
		     "network:\n"
		     "  energy: 0.001 kWh/GB\n"
		     "  source: src-a\n",
		     F_STORAGE, 2, 69, "purchase_unit: expected data size (e.g. TB), got power (e.g. kW)");
	/* "  discount_rate: " is 17 characters: the {value, source} map at column 18, its value at 26 */
	expect_error(F_CONSTANTS,
		     "constants:\n"
		     "  reference_accelerator: gpu-a\n"
		     "  gpu_to_node: {value: 1.3, source: src-a}\n"
		     "  bytes_per_parameter: {value: 2, source: src-a}\n"
		     "  memory_headroom: {value: 1.2, source: src-a}\n"
		     "  default_utilisation: {value: 50%, source: src-a}\n"
		     "  default_replication: {value: 2, source: src-a}\n"
		     "  discount_rate: {value: 150%, source: src-a}\n",
		     F_CONSTANTS, 8, 18, "discount_rate must be below 100%");
	expect_error(F_CONSTANTS,
		     "constants:\n"
		     "  reference_accelerator: gpu-a\n"
		     "  gpu_to_node: {value: 1.3, source: src-a}\n"
		     "  bytes_per_parameter: {value: 2, source: src-a}\n"
		     "  memory_headroom: {value: 1.2, source: src-a}\n"
		     "  default_utilisation: {value: 50%, source: src-a}\n"
		     "  default_replication: {value: 2, source: src-a}\n"
		     "  discount_rate: {value: 3.5, source: src-a}\n",
		     F_CONSTANTS, 8, 26, "value: 3.5 needs a unit: did you mean 3.5%?");
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_with_ten_tasks),
		cmocka_unit_test(test_table2_means),
		cmocka_unit_test(test_object_detection_gap),
		cmocka_unit_test(test_spot_values),
		cmocka_unit_test(test_every_record_has_sources),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_every_accelerator_has_a_server),
		cmocka_unit_test(test_mini_library_loads),
		cmocka_unit_test(test_record_without_source),
		cmocka_unit_test(test_unknown_source),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_duplicate_equivalence_id),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_wrong_unit),
		cmocka_unit_test(test_missing_dir),
		cmocka_unit_test(test_server_power_rule),
		cmocka_unit_test(test_host_idle_required),
		cmocka_unit_test(test_memory_headroom_required),
		cmocka_unit_test(test_grid_residual_and_node_gpus),
		cmocka_unit_test(test_equivalence_default),
		cmocka_unit_test(test_real_library_power_model),
		cmocka_unit_test(test_egrid_subregions),
		cmocka_unit_test(test_cloud_records),
		cmocka_unit_test(test_purchase_and_discount),
		cmocka_unit_test(test_cloud_loads),
		cmocka_unit_test(test_cloud_errors),
		cmocka_unit_test(test_purchase_fields_errors),
	};
	return cmocka_run_group_tests(tests, load_real, free_real);
}
