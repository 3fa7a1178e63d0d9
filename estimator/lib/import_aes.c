/*
 * AI Energy Score leaderboard results (`data/energy/<task>.csv`:
 * `,timestamp,task,model,dataset,total_gpu_energy`) as measured records: one
 * per (task, model), the mean of its rows. total_gpu_energy is kWh per 1,000
 * queries, which is the same number as Wh per query; GPU only, batch 1, on
 * one H100 80GB (/work/shared/research/energy-data.md §2.3 and §2.5).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "estimator/import.h"
#include "import_internal.h"
#include "suggest.h"

/* The accelerator every official result was measured on (energy-data.md §2.3). */
#define AES_HARDWARE "h100-sxm"

/* AI Energy Score task names and the library's task ids. */
static const struct aes_task {
	const char *name;
	const char *task;
} aes_tasks[] = {
	{"text_generation", "text_generation"},
	{"summarization", "summarization"},
	{"question_answering", "extractive_qa"},
	{"text_classification", "text_classification"},
	{"image_classification", "image_classification"},
	{"object_detection", "object_detection"},
	{"image_captioning", "image_captioning"},
	{"image_generation", "image_generation"},
	{"asr", "asr"},
	{"sentence_similarity", "sentence_similarity"},
};

#define N_AES_TASKS (sizeof(aes_tasks) / sizeof(aes_tasks[0]))

typedef struct aes_columns {
	int timestamp, task, model, dataset, energy;
} aes_columns;

/* The rows of one (task, model). */
typedef struct group {
	const char *task;          /* library task id */
	const char *aes_name;      /* the file's task name */
	const char *model;
	double sum, min, max;
	size_t n;
	size_t first_row;          /* where the group starts, for errors about it */
	const char **datasets;     /* distinct, in file order */
	size_t n_datasets;
} group;

typedef struct aes_state {
	const est_csv *c;
	aes_columns k;
	group *groups;
	size_t n_groups, cap_groups;
	est_import__table by_name;   /* (task, model) -> group index */
	est_import__table datasets;  /* (group index, dataset) seen */
	const est_csv_field *first, *last; /* earliest and latest timestamps */
} aes_state;

static int oom(est_error *err)
{
	return est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
}

static const est_csv_field *cell(const est_csv *c, size_t row, int col)
{
	return est_csv_cell(c, row, (size_t)col);
}

/* Task names are compared ignoring case, '-' and ' ' (text-generation, Text Generation). */
static int same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' || *a == ' ' ? '_' : *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return *a == *b;
}

static int map_task(const aes_state *st, const est_profiles *p, const est_csv_field *f,
		    const struct aes_task **out, est_error *err)
{
	const char *names[N_AES_TASKS];
	const char *near;
	size_t i;

	for (i = 0; i < N_AES_TASKS; i++) {
		names[i] = aes_tasks[i].name;
		if (same_name(f->text, aes_tasks[i].name)) {
			*out = &aes_tasks[i];
			if (!est_profiles_task(p, aes_tasks[i].task))
				return est_csv_fail(st->c, f, err,
						    "task '%s': the profile library has no task '%s'",
						    f->text, aes_tasks[i].task);
			return 0;
		}
	}
	near = est_suggest(f->text, names, N_AES_TASKS);
	if (near)
		return est_csv_fail(st->c, f, err,
				    "unknown AI Energy Score task '%s'; did you mean '%s'?", f->text, near);
	return est_csv_fail(st->c, f, err, "unknown AI Energy Score task '%s'", f->text);
}

/* The group of (task, model), added when it is new; NULL when memory runs out. */
static group *find_group(aes_state *st, const struct aes_task *t, const char *model)
{
	size_t i = est_import__table_get(&st->by_name, (size_t)(t - aes_tasks), model, st->n_groups,
					 &(int){0});
	group *g;

	if (i < st->n_groups)
		return &st->groups[i];
	if (st->n_groups == st->cap_groups) {
		size_t cap = st->cap_groups ? 2 * st->cap_groups : 16;
		group *grown = realloc(st->groups, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		st->groups = grown;
		st->cap_groups = cap;
	}
	g = &st->groups[st->n_groups++];
	memset(g, 0, sizeof(*g));
	g->task = t->task;
	g->aes_name = t->name;
	g->model = model;
	return g;
}

static int add_dataset(aes_state *st, group *g, const char *dataset)
{
	const char **grown;
	int added;

	if (!*dataset)
		return 0;
	(void)est_import__table_get(&st->datasets, (size_t)(g - st->groups), dataset, 0, &added);
	if (!added)
		return 0;
	grown = realloc(g->datasets, (g->n_datasets + 1) * sizeof(*grown));
	if (!grown)
		return EST_EINTERNAL;
	g->datasets = grown;
	g->datasets[g->n_datasets++] = dataset;
	return 0;
}

static int add_row(aes_state *st, const est_profiles *p, size_t r, est_error *err)
{
	const est_csv *c = st->c;
	const est_csv_field *model = cell(c, r, st->k.model), *ts = cell(c, r, st->k.timestamp);
	const struct aes_task *t = NULL;
	group *g;
	double v;
	int rc = map_task(st, p, cell(c, r, st->k.task), &t, err);

	if (rc == 0 && !model->text[0])
		rc = est_csv_fail(c, model, err, "model: empty value");
	if (rc == 0)
		rc = est_import__number(c, cell(c, r, st->k.energy), "total_gpu_energy",
					&est_import__energy_kwh, &v, NULL, err);
	if (rc < 0)
		return rc;
	if (ts->text[0]) {
		if (!st->first || strcmp(ts->text, st->first->text) < 0)
			st->first = ts;
		if (!st->last || strcmp(ts->text, st->last->text) > 0)
			st->last = ts;
	}
	g = find_group(st, t, model->text);
	if (!g)
		return oom(err);
	if (g->n == 0) {
		g->min = g->max = v;
		g->first_row = r;
	}
	g->sum += v;
	g->n++;
	g->min = v < g->min ? v : g->min;
	g->max = v > g->max ? v : g->max;
	return add_dataset(st, g, cell(c, r, st->k.dataset)->text) < 0 ? oom(err) : 0;
}

static int read_rows(aes_state *st, const est_profiles *p, est_error *err)
{
	static const char what[] = "AI Energy Score results";
	const est_csv *c = st->c;
	size_t r;
	int rc = est_import__column(c, "timestamp", what, &st->k.timestamp, err);

	if (rc == 0)
		rc = est_import__column(c, "task", what, &st->k.task, err);
	if (rc == 0)
		rc = est_import__column(c, "model", what, &st->k.model, err);
	if (rc == 0)
		rc = est_import__column(c, "dataset", what, &st->k.dataset, err);
	if (rc == 0)
		rc = est_import__column(c, "total_gpu_energy", what, &st->k.energy, err);
	if (rc == 0 && c->n_rows == 0)
		rc = est_csv_fail(c, NULL, err, "no rows after the header: nothing to import");
	if (rc == 0 && (est_import__table_init(&st->by_name, c->n_rows) < 0 ||
			est_import__table_init(&st->datasets, c->n_rows) < 0))
		rc = oom(err);
	for (r = 0; r < c->n_rows && rc == 0; r++)
		rc = add_row(st, p, r, err);
	if (rc == 0 && !st->first)
		rc = est_csv_fail(c, cell(c, 0, st->k.timestamp), err, "timestamp: no row has one");
	for (r = 0; r < st->n_groups && rc == 0; r++)
		if (!(st->groups[r].sum > 0))
			rc = est_csv_fail(c, cell(c, st->groups[r].first_row, st->k.energy), err,
					  "total_gpu_energy of %s (%s) is 0: nothing was measured",
					  st->groups[r].model, st->groups[r].aes_name);
	return rc;
}

/* "<source>/<task>/<model>", made unique within the file with -2, -3 ... (ids: those so far). */
static int record_id(char **out, const aes_state *st, size_t i, const char *source,
		     est_import__table *ids)
{
	char slug[256];
	est_buf b;
	size_t n = 1;
	int added;

	est_import__slug(slug, sizeof(slug), st->groups[i].model);
	est_buf_init(&b);
	for (;;) {
		b.len = 0;
		if (n == 1)
			est_buf_printf(&b, "%s/%s/%s", source, st->groups[i].task, slug);
		else
			est_buf_printf(&b, "%s/%s/%s-%zu", source, st->groups[i].task, slug, n);
		if (b.failed || !est_import__table_has(ids, 0, b.ptr))
			break;
		n++;
	}
	*out = est_buf_detach(&b, NULL);
	if (!*out)
		return EST_EINTERNAL;
	(void)est_import__table_get(ids, 0, *out, i, &added);
	return 0;
}

static int record_notes(char **out, const group *g)
{
	est_buf b;
	size_t i;

	est_buf_init(&b);
	if (g->n == 1)
		est_buf_printf(&b, "total_gpu_energy of 1 row");
	else
		est_buf_printf(&b, "mean total_gpu_energy of %zu rows", g->n);
	for (i = 0; i < g->n_datasets; i++)
		est_buf_printf(&b, "%s%s", i ? ", " : (g->n_datasets == 1 ? ", dataset " : ", datasets "),
			       g->datasets[i]);
	if (strcmp(g->aes_name, g->task))
		est_buf_printf(&b, "; AI Energy Score task %s", g->aes_name);
	*out = est_buf_detach(&b, NULL);
	return *out ? 0 : EST_EINTERNAL;
}

static int emit(char **out, size_t *len, aes_state *st, const char *path, est_error *err)
{
	char stem[256], slug[256], source_id[300];
	const char *base = est_import__basename(path), *dot;
	est_mf_record *recs;
	char **owned; /* each record's id and notes */
	est_mf_source src;
	est_mfile f;
	est_buf title, loc;
	est_import__table ids;
	size_t i;
	int rc = 0;

	memset(&src, 0, sizeof(src));
	memset(&f, 0, sizeof(f));
	dot = strrchr(base, '.');
	snprintf(stem, sizeof(stem), "%.*s", (int)(dot && dot != base ? (size_t)(dot - base) : strlen(base)), base);
	est_import__slug(slug, sizeof(slug), stem);
	snprintf(source_id, sizeof(source_id), "aienergyscore-%s", slug);
	recs = calloc(st->n_groups, sizeof(*recs));
	owned = calloc(2 * st->n_groups, sizeof(*owned));
	est_buf_init(&title);
	est_buf_init(&loc);
	if (!recs || !owned || est_import__table_init(&ids, st->n_groups) < 0) {
		free(recs);
		free(owned);
		return oom(err);
	}
	rc = est_import__year(st->c, st->first, "timestamp", &src.year, err);
	for (i = 0; i < st->n_groups && rc == 0; i++) {
		const group *g = &st->groups[i];
		if (record_id(&owned[2 * i], st, i, source_id, &ids) < 0 ||
		    record_notes(&owned[2 * i + 1], g) < 0) {
			rc = oom(err);
			break;
		}
		recs[i].id = owned[2 * i];
		recs[i].notes = owned[2 * i + 1];
		recs[i].task = g->task;
		recs[i].model = g->model;
		recs[i].kind = EST_MODEL_TASK_SPECIFIC;
		recs[i].energy_wh = g->sum / (double)g->n;
		if (g->n > 1 && g->min < g->max) {
			recs[i].min_wh = g->min;
			recs[i].max_wh = g->max;
		}
	}
	est_buf_printf(&title, "AI Energy Score results (%s)", base);
	if (!strcmp(st->first->text, st->last->text))
		est_buf_printf(&loc, "%s, timestamp %s", base, st->first->text);
	else
		est_buf_printf(&loc, "%s, timestamps %s to %s", base, st->first->text, st->last->text);
	if (rc == 0 && (title.failed || loc.failed))
		rc = oom(err);
	if (rc == 0) {
		src.id = source_id;
		src.title = title.ptr;
		src.locator = loc.ptr;
		f.sources = &src;
		f.n_sources = 1;
		f.defaults.boundary = est_boundary_name(EST_BOUNDARY_GPU);
		f.defaults.hardware = AES_HARDWARE;
		f.defaults.batch_size = 1;
		f.defaults.source = source_id;
		f.records = recs;
		f.n_records = st->n_groups;
		f.flow_records = 1;
		rc = est_mfile_emit(out, len, &f, err);
	}
	for (i = 0; i < 2 * st->n_groups; i++)
		free(owned[i]);
	free(owned);
	est_import__table_dispose(&ids);
	free(recs);
	est_buf_dispose(&title);
	est_buf_dispose(&loc);
	return rc;
}

int est_import_ai_energy_score(char **out, size_t *len, const char *csv_path,
			       const est_profiles *p, est_error *err)
{
	est_csv *c = NULL;
	aes_state st;
	size_t i;
	int rc;

	assert(out && csv_path && p);
	*out = NULL;
	if (len)
		*len = 0;
	memset(&st, 0, sizeof(st));
	if (!est_profiles_accelerator(p, AES_HARDWARE))
		return est_error_set(err, EST_EINVALID, est_profiles_dir(p), 0, 0,
				     "the profile library has no accelerator '%s', the GPU AI Energy Score measures on",
				     AES_HARDWARE);
	rc = est_csv_read_file(&c, csv_path, err);
	st.c = c;
	if (rc == 0)
		rc = read_rows(&st, p, err);
	if (rc == 0)
		rc = emit(out, len, &st, csv_path, err);
	for (i = 0; i < st.n_groups; i++)
		free(st.groups[i].datasets);
	free(st.groups);
	est_import__table_dispose(&st.by_name);
	est_import__table_dispose(&st.datasets);
	est_csv_free(c);
	return rc;
}
