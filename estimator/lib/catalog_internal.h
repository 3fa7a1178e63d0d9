/*
 * Shared by catalog.c (describing records, writing them, `list`) and
 * catalog_show.c (`show`). Internal.
 *
 * A record is described as a table of fields that borrow every string from
 * the profile library; nothing in it is allocated.
 */
#ifndef ESTIMATOR_CATALOG_INTERNAL_H
#define ESTIMATOR_CATALOG_INTERNAL_H

#include <stddef.h>

#include "estimator/catalog.h"
#include "buf.h"

#define EST_CATALOG_FORMAT_ID "estimator-profiles/1"
#define EST_CATALOG_MAX_FIELDS 32
#define EST_CATALOG_N_KINDS ((int)EST_RECORD_CLOUD_INSTANCE + 1)

typedef enum est_catalog_ftype {
	EST_CF_TEXT,
	EST_CF_NUM,
	EST_CF_SOURCES,  /* a list of source ids */
	EST_CF_STRINGS,  /* a list of names (aliases) */
	EST_CF_MODELS,   /* the model ids of a task */
	EST_CF_PRICES    /* a cloud instance's hourly prices by region */
} est_catalog_ftype;

/* How a field appears in `list`. */
typedef enum est_catalog_in_list {
	EST_CL_NO,       /* only in `show` */
	EST_CL_COL,      /* a column of its own */
	EST_CL_JOIN      /* appended to the column before it */
} est_catalog_in_list;

typedef struct est_catalog_field {
	const char *key;        /* JSON key, with its unit: "energy_wh" */
	const char *label;      /* text label */
	est_catalog_ftype type;
	int set;                /* known; an unset field is left out (an empty cell in list) */
	int json_only;          /* a currency: the text has it as the price's unit */
	est_catalog_in_list list;
	const char *prefix;     /* before the value in a list cell: "max " */
	const char *text;
	double num;
	const char *unit;       /* after a number in text; "%" shows a fraction as a percentage */
	const char *unit2;      /* appended to unit: "/kWh" after a currency */
	const est_source_list *sources;
	const char *const *strings;
	size_t n_strings;
	const est_task *task;
	const est_cloud_instance *instance;
} est_catalog_field;

typedef struct est_catalog_record {
	est_record_kind kind;
	const char *id;
	const char *name;                /* matched by the text filter; NULL when none */
	const char *task;                /* a task's id, a model's task; NULL otherwise */
	const est_source_list *sources;  /* NULL: none (a source, a task without statistics) */
	est_catalog_field f[EST_CATALOG_MAX_FIELDS];
	size_t n;
} est_catalog_record;

/* The output being built: JSON nesting, and a number that was not finite. */
typedef struct est_catalog_writer {
	est_buf *b;
	int depth;
	int first[8];           /* nothing written yet at this depth */
	int nonfinite;
} est_catalog_writer;

/* "model" for EST_RECORD_MODEL ... */
const char *est_catalog__noun(est_record_kind kind);
void est_catalog__describe(est_catalog_record *r, est_record_kind kind, const void *rec);
/* EST_EUSAGE for a kind other than -1 or an est_record_kind, or a format other than text or JSON. */
int est_catalog__check(int kind, est_format fmt, est_error *err);
char est_catalog__lower(char c);

void est_catalog__writer_init(est_catalog_writer *w, est_buf *b);
/* Detach the output into *out, or fail with EST_EINTERNAL (out of memory, a non-finite number). */
int est_catalog__finish(est_catalog_writer *w, char **out, size_t *len, est_error *err);

/* A field's value as text, with its unit. */
void est_catalog__text_value(est_catalog_writer *w, est_buf *out, const est_catalog_field *f);
/* "a, b, c" */
void est_catalog__source_ids(est_buf *out, const est_source_list *l);

/* JSON, indented as render_json.c prints a result. */
void est_catalog__json_open(est_catalog_writer *w, char bracket);
void est_catalog__json_close(est_catalog_writer *w, char bracket);
void est_catalog__json_key(est_catalog_writer *w, const char *key);
void est_catalog__json_elem(est_catalog_writer *w);
void est_catalog__json_string(est_catalog_writer *w, const char *s);
void est_catalog__json_number(est_catalog_writer *w, double v);
/* {kind, id, fields..., sources}: the list's key fields, or every field that is set. */
void est_catalog__json_record(est_catalog_writer *w, const est_catalog_record *r, int list_only);

#endif
