/*
 * What the importers share (internal): the measurement file they build, as
 * plain records written out with libyaml's emitter (import_emit.c), and the
 * helpers that turn CSV cells into located numbers, years and ids.
 *
 * Ownership: the structs below only borrow their strings; est_mfile_emit
 * returns a heap string the caller frees with free().
 */
#ifndef ESTIMATOR_IMPORT_INTERNAL_H
#define ESTIMATOR_IMPORT_INTERNAL_H

#include <stddef.h>

#include "csv.h"
#include "estimator/error.h"
#include "estimator/profiles.h"

/* A source local to the file (docs/profiles.md, "Measurement files"). */
typedef struct est_mf_source {
	const char *id;
	const char *title;
	int year;
	const char *locator;
} est_mf_source;

/* One record; a NULL string or a zero number is left out of the file. */
typedef struct est_mf_record {
	const char *id;
	const char *task;
	const char *model;
	est_model_kind kind;
	const char *boundary;     /* NULL: the defaults' */
	const char *hardware;     /* NULL: the defaults' */
	int gpus;
	double energy_wh;         /* always written */
	double min_wh, max_wh;
	double gpu_energy_wh;
	double time_s;
	const char *source;       /* NULL: the defaults' */
	const char *notes;
} est_mf_record;

/* What every record gets unless it says otherwise; NULL and 0 are left out. */
typedef struct est_mf_defaults {
	const char *boundary;
	const char *hardware;
	int batch_size;
	const char *source;
} est_mf_defaults;

typedef struct est_mfile {
	const est_mf_source *sources;
	size_t n_sources;
	est_mf_defaults defaults;
	const est_mf_record *records;
	size_t n_records;
	int flow_records;         /* one line per record: {id: ..., task: ...} */
} est_mfile;

/* The YAML text of a measurement file, through libyaml's emitter. */
int est_mfile_emit(char **out, size_t *len, const est_mfile *f, est_error *err);

/*
 * The index of a required column; a missing one is a located error at the
 * header that names the nearest column when one is close.
 */
int est_import__column(const est_csv *c, const char *name, const char *what, int *col,
		       est_error *err);

/*
 * What a numeric column allows: min to max (above min, not at it, when
 * above_min), whole numbers only when whole; `text` says it in the error,
 * e.g. "a whole number from 0 to 4096".
 */
typedef struct est_import__range {
	double min, max;
	int above_min;
	int whole;
	const char *text;
} est_import__range;

/* The ranges the importers check (docs/profiles.md, "Importing measurements"). */
extern const est_import__range est_import__energy_kwh;   /* 0 to 1e9 kWh */
extern const est_import__range est_import__duration_s;   /* above 0, up to 1e9 s */
extern const est_import__range est_import__gpu_count;    /* whole, 0 to 4096 */
extern const est_import__range est_import__pue;          /* 1 to 10 */

/*
 * A cell as a number within range. An empty cell is *given = 0 (when given
 * is not NULL) or an error (when it is NULL). Located errors name `column`.
 */
int est_import__number(const est_csv *c, const est_csv_field *f, const char *column,
		       const est_import__range *range, double *out, int *given, est_error *err);

/* The year a timestamp such as 2024-09-10T21:03:02 starts with. */
int est_import__year(const est_csv *c, const est_csv_field *f, const char *column, int *year,
		     est_error *err);

/*
 * A hash table from (salt, string) to a size_t, for the importers' per-row
 * look-ups (run ids, (task, model) groups, record ids), which must not grow
 * quadratically with the rows of a large file. Keys are borrowed.
 */
typedef struct est_import__table {
	const char **keys;
	size_t *salts, *values;
	size_t mask;
} est_import__table;

/* Room for max_items keys; EST_EINTERNAL when memory runs out. */
int est_import__table_init(est_import__table *t, size_t max_items);

/* The value of (salt, key), added with value *value when absent (*added says which). */
size_t est_import__table_get(est_import__table *t, size_t salt, const char *key, size_t value,
			     int *added);

/* Whether (salt, key) is in the table. */
int est_import__table_has(const est_import__table *t, size_t salt, const char *key);

void est_import__table_dispose(est_import__table *t);

/* The last component of a path. */
const char *est_import__basename(const char *path);

/*
 * A lower-case id fragment of text into buf: ASCII letters, digits, '.' and
 * '_' kept, every run of other characters between them one '-'.
 */
void est_import__slug(char *buf, size_t size, const char *text);

#endif
