/*
 * CodeCarbon's emissions.csv as one measured record: the energy and time of
 * every row (run) summed and divided by the inferences the runs performed.
 * Columns are found by name (CodeCarbon v2 and v3 order them differently);
 * see /work/shared/research/peers.md, "emissions.csv columns (v3.3.0)".
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "estimator/import.h"
#include "import_internal.h"

/* The most accelerators a record may state (the loader's bound on `gpus`). */
#define MAX_GPUS 4096

/* The most inferences one file may stand for: a trillion, far beyond any benchmark run. */
#define MAX_INFERENCES 1e12

/* Optional columns are -1 when the file lacks them. */
typedef struct cc_columns {
	int energy, duration, run_id, timestamp;
	int gpu_model, gpu_count, gpu_energy, pue, project;
} cc_columns;

typedef struct cc_sums {
	double energy_kwh;
	double duration_s;
	double gpu_energy_kwh;
	int gpu_energy_every_row;   /* every row has a gpu_energy value */
	double device_s;            /* duration x gpu_count */
	int count_every_row;        /* every row has a gpu_count above 0 */
	double gpu_count;           /* the first row's */
	int same_count;
	double pue_min, pue_max;    /* 0 when no row gives one */
} cc_sums;

static int check_opts(const est_import_codecarbon_opts *o, const est_profiles *p,
		      const est_accelerator **hw, est_error *err)
{
	const char *near;

	if (!o->task || !*o->task)
		return est_error_set(err, EST_EUSAGE, "", 0, 0, "missing the task (--task ID)");
	if (!est_profiles_task(p, o->task)) {
		near = est_profiles_suggest(p, "task", o->task);
		if (near)
			return est_error_set(err, EST_EUSAGE, "", 0, 0,
					     "unknown task '%s'; did you mean '%s'?", o->task, near);
		return est_error_set(err, EST_EUSAGE, "", 0, 0, "unknown task '%s'", o->task);
	}
	if (!o->model || !*o->model)
		return est_error_set(err, EST_EUSAGE, "", 0, 0, "missing the model (--model NAME)");
	if (!(o->inferences >= 1 && o->inferences <= MAX_INFERENCES) ||
	    o->inferences != floor(o->inferences))
		return est_error_set(err, EST_EUSAGE, "", 0, 0,
				     "the number of inferences must be a whole number from 1 to 1e12, got %g",
				     o->inferences);
	if (o->id && !*o->id)
		return est_error_set(err, EST_EUSAGE, "", 0, 0, "the record id must not be empty");
	*hw = NULL;
	if (!o->hardware)
		return 0;
	*hw = est_profiles_accelerator(p, o->hardware);
	if (*hw)
		return 0;
	near = est_profiles_suggest(p, "accelerator", o->hardware);
	if (near)
		return est_error_set(err, EST_EUSAGE, "", 0, 0,
				     "unknown accelerator '%s'; did you mean '%s'?", o->hardware, near);
	return est_error_set(err, EST_EUSAGE, "", 0, 0, "unknown accelerator '%s'", o->hardware);
}

static int find_columns(const est_csv *c, cc_columns *k, est_error *err)
{
	static const char what[] = "CodeCarbon emissions.csv";
	int rc = est_import__column(c, "energy_consumed", what, &k->energy, err);

	if (rc == 0)
		rc = est_import__column(c, "duration", what, &k->duration, err);
	if (rc == 0)
		rc = est_import__column(c, "run_id", what, &k->run_id, err);
	if (rc == 0)
		rc = est_import__column(c, "timestamp", what, &k->timestamp, err);
	if (rc < 0)
		return rc;
	k->gpu_model = est_csv_column(c, "gpu_model");
	k->gpu_count = est_csv_column(c, "gpu_count");
	k->gpu_energy = est_csv_column(c, "gpu_energy");
	k->pue = est_csv_column(c, "pue");
	k->project = est_csv_column(c, "project_name");
	if (c->n_rows == 0)
		return est_csv_fail(c, NULL, err, "no rows after the header: nothing to import");
	return 0;
}

static const est_csv_field *cell(const est_csv *c, size_t row, int col)
{
	return est_csv_cell(c, row, (size_t)col);
}

static int gpu_columns(const est_csv *c, const cc_columns *k, size_t r, double duration,
		       cc_sums *s, est_error *err)
{
	double v;
	int given, rc = 0;

	if (k->gpu_energy >= 0) {
		rc = est_import__number(c, cell(c, r, k->gpu_energy), "gpu_energy",
					&est_import__energy_kwh, &v, &given, err);
		if (rc < 0)
			return rc;
		s->gpu_energy_kwh += v;
		s->gpu_energy_every_row &= given;
	}
	if (rc == 0 && k->gpu_count >= 0) {
		const est_csv_field *f = cell(c, r, k->gpu_count);
		rc = est_import__number(c, f, "gpu_count", &est_import__gpu_count, &v, &given, err);
		if (rc < 0)
			return rc;
		s->count_every_row &= given && v > 0;
		s->device_s += duration * v;
		if (r == 0)
			s->gpu_count = v;
		else if (v != s->gpu_count)
			s->same_count = 0;
	}
	return rc;
}

static int pue_column(const est_csv *c, const cc_columns *k, size_t r, cc_sums *s,
		      est_error *err)
{
	const est_csv_field *f;
	double v;
	int given, rc;

	if (k->pue < 0)
		return 0;
	f = cell(c, r, k->pue);
	rc = est_import__number(c, f, "pue", &est_import__pue, &v, &given, err);
	if (rc < 0 || !given)
		return rc;
	s->pue_min = s->pue_min == 0 ? v : fmin(s->pue_min, v);
	s->pue_max = fmax(s->pue_max, v);
	return 0;
}

static int sum_rows(const est_csv *c, const cc_columns *k, cc_sums *s, est_error *err)
{
	size_t r;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->gpu_energy_every_row = s->count_every_row = s->same_count = 1;
	for (r = 0; r < c->n_rows && rc == 0; r++) {
		double e, d;
		rc = est_import__number(c, cell(c, r, k->energy), "energy_consumed",
					&est_import__energy_kwh, &e, NULL, err);
		if (rc == 0)
			rc = est_import__number(c, cell(c, r, k->duration), "duration",
						&est_import__duration_s, &d, NULL, err);
		if (rc == 0 && !cell(c, r, k->run_id)->text[0])
			rc = est_csv_fail(c, cell(c, r, k->run_id), err, "run_id: empty value");
		if (rc == 0) {
			s->energy_kwh += e;
			s->duration_s += d;
			rc = gpu_columns(c, k, r, d, s, err);
		}
		if (rc == 0)
			rc = pue_column(c, k, r, s, err);
	}
	if (rc == 0 && !(s->energy_kwh > 0))
		rc = est_csv_fail(c, &c->header[k->energy], err,
				  "energy_consumed sums to 0 kWh: nothing was measured");
	return rc;
}

/*
 * The device name in a gpu_model cell: "8 x NVIDIA A100-SXM4-80GB" (v2.3 and
 * later: a count per distinct name, names run together when they differ) or
 * a Python list "['NVIDIA A100-SXM4-80GB', ...]", copied into buf. NULL
 * when the cell names no GPU or several different ones; *mixed says which.
 */
static const char *device_name(char *buf, size_t size, const char *cell_text, int *mixed)
{
	char *s = buf, *end, *item, *next, *name = NULL;

	*mixed = 0;
	snprintf(buf, size, "%s", cell_text);
	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		*--end = '\0';
	if (*s == '[' && end > s && end[-1] == ']') {
		end[-1] = '\0';
		for (item = s + 1; item; item = next) {
			char *q;
			size_t n;
			next = strchr(item, ',');
			if (next)
				*next++ = '\0';
			q = item + strspn(item, " '\"");
			n = strlen(q);
			while (n > 0 && strchr(" '\"", q[n - 1]))
				q[--n] = '\0';
			if (!name)
				name = q;
			else if (strcmp(name, q))
				*mixed = 1;
		}
		s = name ? name : end - 1;
	} else {
		size_t digits = strspn(s, "0123456789");
		if (digits > 0 && !strncmp(s + digits, " x ", 3))
			s += digits + 3;
		*mixed = strstr(s, " x ") != NULL;
	}
	if (*mixed || !*s || !strcmp(s, "None"))
		return NULL;
	return s;
}

static int resolve_hardware(const est_csv *c, const cc_columns *k, const est_profiles *p,
			    const est_accelerator **hw, est_error *err)
{
	const est_csv_field *f;
	const char *near, *name;
	char buf[512];
	size_t r;
	int mixed;

	if (*hw)
		return 0;
	if (k->gpu_model < 0)
		return est_csv_fail(c, NULL, err,
				    "no gpu_model column names the accelerator; give its id with --hardware ID");
	f = cell(c, 0, k->gpu_model);
	for (r = 1; r < c->n_rows; r++)
		if (strcmp(cell(c, r, k->gpu_model)->text, f->text))
			return est_csv_fail(c, cell(c, r, k->gpu_model), err,
					    "gpu_model '%s' differs from the first row's '%s'; give the accelerator id with --hardware ID",
					    cell(c, r, k->gpu_model)->text, f->text);
	name = device_name(buf, sizeof(buf), f->text, &mixed);
	if (!name)
		return est_csv_fail(c, f, err, mixed
					  ? "gpu_model '%s' names several GPU models; give the accelerator id with --hardware ID"
					  : "gpu_model '%s' names no GPU; give the accelerator id with --hardware ID",
				    f->text);
	*hw = est_profiles_accelerator_named(p, name);
	if (*hw)
		return 0;
	near = est_profiles_suggest(p, "accelerator", name);
	if (near)
		return est_csv_fail(c, f, err, "gpu_model '%s' is not a known accelerator; give its id with --hardware ID (perhaps --hardware %s)",
				    name, near);
	return est_csv_fail(c, f, err, "gpu_model '%s' is not a known accelerator; give its id with --hardware ID",
			    name);
}

/* Run ids listed in a locator; a longer file says how many there are in all. */
#define MAX_LISTED_RUNS 20

/* "<file>, run ids <a>, <b>": each run once, in file order (a run id's first row lists it). */
static int locator(est_buf *b, const est_csv *c, const cc_columns *k, const char *path)
{
	est_import__table first; /* run id -> its first row */
	size_t r, runs = 0, listed = 0;
	int added;

	if (est_import__table_init(&first, c->n_rows) < 0)
		return EST_EINTERNAL;
	for (r = 0; r < c->n_rows; r++) {
		(void)est_import__table_get(&first, 0, cell(c, r, k->run_id)->text, r, &added);
		runs += (size_t)added;
	}
	est_buf_printf(b, "%s, run id%s ", est_import__basename(path), runs == 1 ? "" : "s");
	for (r = 0; r < c->n_rows && listed < MAX_LISTED_RUNS; r++)
		if (est_import__table_get(&first, 0, cell(c, r, k->run_id)->text, r, &added) == r)
			est_buf_printf(b, "%s%s", listed++ ? ", " : "", cell(c, r, k->run_id)->text);
	if (runs > listed)
		est_buf_printf(b, " ... (%zu runs in all)", runs);
	est_import__table_dispose(&first);
	return 0;
}

static void notes(est_buf *b, const est_csv *c, const cc_columns *k, const cc_sums *s,
		  const est_import_codecarbon_opts *o, const char *path)
{
	const char *project = k->project >= 0 ? cell(c, 0, k->project)->text : "";

	est_buf_printf(b, "Imported from %s (CodeCarbon%s%s%s): %zu row%s, %.6g kWh over %.6g s for %.6g inferences; energy_consumed is CPU + GPU + RAM as CodeCarbon measured or estimated them.",
		       est_import__basename(path), *project ? ", project \"" : "", project,
		       *project ? "\"" : "", c->n_rows,
		       c->n_rows == 1 ? "" : "s", s->energy_kwh, s->duration_s, o->inferences);
	if (s->count_every_row)
		est_buf_printf(b, " time = duration x gpu_count / inferences: every GPU CodeCarbon saw counts as busy.");
	else
		est_buf_printf(b, " No time: gpu_count is missing or 0.");
	if (s->pue_max > 1 && s->pue_min == s->pue_max)
		est_buf_printf(b, " Boundary facility: CodeCarbon multiplied the energy by the PUE %g the file records.",
			       s->pue_max);
	else if (s->pue_max > 1)
		est_buf_printf(b, " Boundary facility: CodeCarbon multiplied the energy by the PUE the file records, %g to %g across rows.",
			       s->pue_min, s->pue_max);
}

static int build(char **out, size_t *len, const est_csv *c, const cc_columns *k,
		 const cc_sums *s, const est_accelerator *hw, const est_import_codecarbon_opts *o,
		 const char *path, est_error *err)
{
	char run8[9], run_slug[9], source_id[32], model_slug[256];
	est_buf rec_id, title, loc, note;
	est_mf_source src;
	est_mf_record rec;
	est_mfile f;
	int rc;

	memset(&src, 0, sizeof(src));
	memset(&rec, 0, sizeof(rec));
	memset(&f, 0, sizeof(f));
	rc = est_import__year(c, cell(c, 0, k->timestamp), "timestamp", &src.year, err);
	if (rc < 0)
		return rc;
	snprintf(run8, sizeof(run8), "%s", cell(c, 0, k->run_id)->text);
	est_import__slug(run_slug, sizeof(run_slug), run8);
	snprintf(source_id, sizeof(source_id), "codecarbon-%s", run_slug);
	est_import__slug(model_slug, sizeof(model_slug), o->model);
	est_buf_init(&rec_id);
	est_buf_init(&title);
	est_buf_init(&loc);
	est_buf_init(&note);
	if (o->id)
		est_buf_puts(&rec_id, o->id);
	else
		est_buf_printf(&rec_id, "%s/%s/%s", source_id, o->task, model_slug);
	est_buf_printf(&title, "CodeCarbon measurement of %s", o->model);
	if (locator(&loc, c, k, path) < 0)
		loc.failed = 1;
	notes(&note, c, k, s, o, path);
	if (rec_id.failed || title.failed || loc.failed || note.failed) {
		rc = est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
		goto cleanup;
	}
	src.id = source_id;
	src.title = title.ptr;
	src.locator = loc.ptr;
	rec.id = rec_id.ptr;
	rec.task = o->task;
	rec.model = o->model;
	rec.kind = o->kind;
	rec.boundary = s->pue_max > 1 ? "facility" : "node";
	rec.hardware = hw->id;
	if (s->count_every_row && s->same_count && s->gpu_count <= MAX_GPUS)
		rec.gpus = (int)s->gpu_count;
	rec.energy_wh = s->energy_kwh * 1000.0 / o->inferences;
	if (!isnormal(rec.energy_wh)) { /* a subnormal would not read back */
		rc = est_csv_fail(c, &c->header[k->energy], err,
				  "energy_consumed sums to %g kWh, too little to write per inference",
				  s->energy_kwh);
		goto cleanup;
	}
	if (k->gpu_energy >= 0 && s->gpu_energy_every_row)
		rec.gpu_energy_wh = s->gpu_energy_kwh * 1000.0 / o->inferences;
	if (!isnormal(rec.gpu_energy_wh))
		rec.gpu_energy_wh = 0;
	if (s->count_every_row)
		rec.time_s = s->device_s / o->inferences;
	if (!isnormal(rec.time_s))
		rec.time_s = 0;
	rec.source = source_id;
	rec.notes = note.ptr;
	f.sources = &src;
	f.n_sources = 1;
	f.records = &rec;
	f.n_records = 1;
	rc = est_mfile_emit(out, len, &f, err);
cleanup:
	est_buf_dispose(&rec_id);
	est_buf_dispose(&title);
	est_buf_dispose(&loc);
	est_buf_dispose(&note);
	return rc;
}

int est_import_codecarbon(char **out, size_t *len, const char *csv_path,
			  const est_import_codecarbon_opts *o, const est_profiles *p,
			  est_error *err)
{
	const est_accelerator *hw = NULL;
	est_csv *c = NULL;
	cc_columns k;
	cc_sums s;
	int rc;

	assert(out && csv_path && o && p);
	*out = NULL;
	if (len)
		*len = 0;
	rc = check_opts(o, p, &hw, err);
	if (rc == 0)
		rc = est_csv_read_file(&c, csv_path, err);
	if (rc == 0)
		rc = find_columns(c, &k, err);
	if (rc == 0)
		rc = sum_rows(c, &k, &s, err);
	if (rc == 0)
		rc = resolve_hardware(c, &k, p, &hw, err);
	if (rc == 0)
		rc = build(out, len, c, &k, &s, hw, o, csv_path, err);
	est_csv_free(c);
	return rc;
}
