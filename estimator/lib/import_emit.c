/*
 * Writing an imported measurement file (docs/profiles.md) with libyaml's
 * emitter, and the cell helpers both importers use. Numbers are written in
 * the fewest digits that read back to the same double, so a file loads to
 * exactly the figures computed here.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "buf.h"
#include "import_internal.h"
#include "suggest.h"

/* Writes are checked once: libyaml stops at the first failure and so do we. */
typedef struct emitter {
	yaml_emitter_t e;
	yaml_event_t ev;
	int ok;
} emitter;

static int write_buf(void *data, unsigned char *bytes, size_t size)
{
	return est_buf_put(data, (const char *)bytes, size) == 0;
}

static void emit(emitter *m)
{
	if (m->ok)
		m->ok = yaml_emitter_emit(&m->e, &m->ev);
}

/*
 * Text a YAML resolver would take for a number, a boolean or null is
 * double-quoted, so that the file means the same to any reader.
 */
static int looks_typed(const char *s)
{
	static const char *const words[] = {"null", "~", "true", "false", "yes", "no", "on",
					    "off", "y", "n", ".nan", ".inf", "-.inf", NULL};
	char *end;
	size_t i;

	if (!*s)
		return 1;
	for (i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return 1;
	(void)strtod(s, &end);
	return *end == '\0';
}

static void scalar(emitter *m, const char *text, yaml_scalar_style_t style)
{
	if (!m->ok)
		return;
	m->ok = yaml_scalar_event_initialize(&m->ev, NULL, NULL, (const yaml_char_t *)text,
					     (int)strlen(text), 1, 1, style);
	emit(m);
}

/* A free-text value: plain where the emitter allows it, else quoted. */
static void text_value(emitter *m, const char *text)
{
	scalar(m, text, looks_typed(text) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

static void pair_text(emitter *m, const char *key, const char *value)
{
	if (!value)
		return;
	scalar(m, key, YAML_PLAIN_SCALAR_STYLE);
	text_value(m, value);
}

static void pair_int(emitter *m, const char *key, int value)
{
	char buf[32];

	if (!value)
		return;
	snprintf(buf, sizeof(buf), "%d", value);
	scalar(m, key, YAML_PLAIN_SCALAR_STYLE);
	scalar(m, buf, YAML_PLAIN_SCALAR_STYLE);
}

/* The shortest of %.15g, %.16g and %.17g that reads back to v. */
static void shortest(char *buf, size_t size, double v)
{
	int digits;

	for (digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

static void pair_quantity(emitter *m, const char *key, double value, const char *unit)
{
	char num[40], buf[64];

	if (value == 0)
		return;
	shortest(num, sizeof(num), value);
	snprintf(buf, sizeof(buf), "%s %s", num, unit);
	scalar(m, key, YAML_PLAIN_SCALAR_STYLE);
	scalar(m, buf, YAML_PLAIN_SCALAR_STYLE);
}

static void mapping_start(emitter *m, yaml_mapping_style_t style)
{
	if (!m->ok)
		return;
	m->ok = yaml_mapping_start_event_initialize(&m->ev, NULL, NULL, 1, style);
	emit(m);
}

static void mapping_end(emitter *m)
{
	if (!m->ok)
		return;
	m->ok = yaml_mapping_end_event_initialize(&m->ev);
	emit(m);
}

static void sequence_start(emitter *m, const char *key)
{
	scalar(m, key, YAML_PLAIN_SCALAR_STYLE);
	if (!m->ok)
		return;
	m->ok = yaml_sequence_start_event_initialize(&m->ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	emit(m);
}

static void sequence_end(emitter *m)
{
	if (!m->ok)
		return;
	m->ok = yaml_sequence_end_event_initialize(&m->ev);
	emit(m);
}

static void sources(emitter *m, const est_mfile *f)
{
	size_t i;

	if (!f->n_sources)
		return;
	sequence_start(m, "sources");
	for (i = 0; i < f->n_sources; i++) {
		const est_mf_source *s = &f->sources[i];
		mapping_start(m, YAML_BLOCK_MAPPING_STYLE);
		pair_text(m, "id", s->id);
		pair_text(m, "title", s->title);
		pair_int(m, "year", s->year);
		pair_text(m, "locator", s->locator);
		mapping_end(m);
	}
	sequence_end(m);
}

static void defaults(emitter *m, const est_mf_defaults *d)
{
	if (!d->boundary && !d->hardware && !d->batch_size && !d->source)
		return;
	scalar(m, "defaults", YAML_PLAIN_SCALAR_STYLE);
	mapping_start(m, YAML_BLOCK_MAPPING_STYLE);
	pair_text(m, "boundary", d->boundary);
	pair_text(m, "hardware", d->hardware);
	pair_int(m, "batch_size", d->batch_size);
	pair_text(m, "source", d->source);
	mapping_end(m);
}

static void records(emitter *m, const est_mfile *f)
{
	size_t i;

	sequence_start(m, "measurements");
	for (i = 0; i < f->n_records; i++) {
		const est_mf_record *r = &f->records[i];
		mapping_start(m, f->flow_records ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
		pair_text(m, "id", r->id);
		pair_text(m, "task", r->task);
		pair_text(m, "model", r->model);
		pair_text(m, "kind", est_model_kind_name(r->kind));
		pair_text(m, "boundary", r->boundary);
		pair_text(m, "hardware", r->hardware);
		pair_int(m, "gpus", r->gpus);
		pair_quantity(m, "energy", r->energy_wh, "Wh");
		pair_quantity(m, "min", r->min_wh, "Wh");
		pair_quantity(m, "max", r->max_wh, "Wh");
		pair_quantity(m, "gpu_energy", r->gpu_energy_wh, "Wh");
		pair_quantity(m, "time", r->time_s, "s");
		pair_text(m, "source", r->source);
		pair_text(m, "notes", r->notes);
		mapping_end(m);
	}
	sequence_end(m);
}

int est_mfile_emit(char **out, size_t *len, const est_mfile *f, est_error *err)
{
	emitter m;
	est_buf b;
	int rc = 0;

	assert(out && f && f->n_records > 0);
	*out = NULL;
	if (len)
		*len = 0;
	est_buf_init(&b);
	memset(&m, 0, sizeof(m));
	if (!yaml_emitter_initialize(&m.e))
		return est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
	yaml_emitter_set_output(&m.e, write_buf, &b);
	yaml_emitter_set_unicode(&m.e, 1);
	yaml_emitter_set_indent(&m.e, 2);
	yaml_emitter_set_width(&m.e, -1); /* no folding: one record, one line */
	m.ok = yaml_stream_start_event_initialize(&m.ev, YAML_UTF8_ENCODING);
	emit(&m);
	if (m.ok)
		m.ok = yaml_document_start_event_initialize(&m.ev, NULL, NULL, NULL, 1);
	emit(&m);
	mapping_start(&m, YAML_BLOCK_MAPPING_STYLE);
	sources(&m, f);
	defaults(&m, &f->defaults);
	records(&m, f);
	mapping_end(&m);
	if (m.ok)
		m.ok = yaml_document_end_event_initialize(&m.ev, 1);
	emit(&m);
	if (m.ok)
		m.ok = yaml_stream_end_event_initialize(&m.ev);
	emit(&m);
	if (m.ok)
		m.ok = yaml_emitter_flush(&m.e);
	if (!m.ok)
		rc = est_error_set(err, EST_EINTERNAL, "", 0, 0, "cannot write the measurement file: %s",
				   m.e.problem ? m.e.problem : "out of memory");
	else if (!(*out = est_buf_detach(&b, len)))
		rc = est_error_set(err, EST_EINTERNAL, "", 0, 0, "out of memory");
	yaml_emitter_delete(&m.e);
	est_buf_dispose(&b);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Cells                                                                      */

int est_import__column(const est_csv *c, const char *name, const char *what, int *col,
		       est_error *err)
{
	const char *names[64];
	const char *near;
	size_t i, n = 0;

	*col = est_csv_column(c, name);
	if (*col >= 0)
		return 0;
	for (i = 0; i < c->n_cols && n < sizeof(names) / sizeof(names[0]); i++)
		if (c->header[i].text[0])
			names[n++] = c->header[i].text;
	near = est_suggest(name, names, n);
	if (near)
		return est_csv_fail(c, NULL, err, "no column '%s' (%s); did you mean '%s'?", name, what,
				    near);
	return est_csv_fail(c, NULL, err, "no column '%s' (%s)", name, what);
}

/*
 * The bounds: 1e9 kWh (a terawatt-hour) is far above any run and keeps sums
 * over a whole file finite; 1e9 s is 31 years; 4096 accelerators is the
 * profile loader's bound on `gpus`, 1 to 10 its bound on a PUE.
 */
const est_import__range est_import__energy_kwh = {0, 1e9, 0, 0, "a number of kWh from 0 to 1e9"};
const est_import__range est_import__duration_s = {0, 1e9, 1, 0,
						  "a number of seconds above 0 and up to 1e9"};
const est_import__range est_import__gpu_count = {0, 4096, 0, 1, "a whole number from 0 to 4096"};
const est_import__range est_import__pue = {1, 10, 0, 0, "a number from 1 to 10"};

int est_import__number(const est_csv *c, const est_csv_field *f, const char *column,
		       const est_import__range *range, double *out, int *given, est_error *err)
{
	const char *s = f->text;
	char *end;
	double v;
	int decimal;

	while (*s == ' ')
		s++;
	if (!*s) {
		if (given) {
			*given = 0;
			*out = 0;
			return 0;
		}
		return est_csv_fail(c, f, err, "%s: empty value", column);
	}
	errno = 0;
	v = strtod(s, &end);
	/* decimal only: strtod would also take hexadecimal, "inf" and "nan" */
	decimal = strspn(s, "+-.0123456789eE") >= (size_t)(end - s);
	while (*end == ' ')
		end++;
	if (end == s || *end || !decimal || !isfinite(v) || errno == ERANGE)
		return est_csv_fail(c, f, err, "%s: '%s' is not a number", column, f->text);
	if (v < range->min || (range->above_min && v == range->min) || v > range->max ||
	    (range->whole && v != floor(v)))
		return est_csv_fail(c, f, err, "%s: '%s' is not %s", column, f->text, range->text);
	*out = v;
	if (given)
		*given = 1;
	return 0;
}

int est_import__year(const est_csv *c, const est_csv_field *f, const char *column, int *year,
		     est_error *err)
{
	const char *s = f->text;
	int i, y = 0;

	for (i = 0; i < 4; i++) {
		if (!isdigit((unsigned char)s[i]))
			break;
		y = y * 10 + (s[i] - '0');
	}
	if (i < 4 || isdigit((unsigned char)s[4]) || y < 1900 || y > 2100)
		return est_csv_fail(c, f, err, "%s: '%s' does not start with a year (YYYY-MM-DD...)",
				    column, f->text);
	*year = y;
	return 0;
}

int est_import__table_init(est_import__table *t, size_t max_items)
{
	size_t cap = 16;

	while (cap < 2 * max_items)
		cap *= 2;
	t->keys = calloc(cap, sizeof(*t->keys));
	t->salts = calloc(cap, sizeof(*t->salts));
	t->values = calloc(cap, sizeof(*t->values));
	t->mask = cap - 1;
	if (t->keys && t->salts && t->values)
		return 0;
	est_import__table_dispose(t);
	return EST_EINTERNAL;
}

/* FNV-1a over the salt and the key's bytes. */
static size_t table_hash(size_t salt, const char *key)
{
	unsigned long long h = 14695981039346656037ULL ^ salt;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

/* The slot of (salt, key), or the free slot where it would go. */
static size_t table_slot(const est_import__table *t, size_t salt, const char *key)
{
	size_t i = table_hash(salt, key) & t->mask;

	/* the table is at most half full (est_import__table_init), so a free slot is near */
	while (t->keys[i] && (t->salts[i] != salt || strcmp(t->keys[i], key)))
		i = (i + 1) & t->mask;
	return i;
}

int est_import__table_has(const est_import__table *t, size_t salt, const char *key)
{
	return t->keys[table_slot(t, salt, key)] != NULL;
}

size_t est_import__table_get(est_import__table *t, size_t salt, const char *key, size_t value,
			     int *added)
{
	size_t i = table_slot(t, salt, key);

	*added = !t->keys[i];
	if (*added) {
		t->keys[i] = key;
		t->salts[i] = salt;
		t->values[i] = value;
	}
	return t->values[i];
}

void est_import__table_dispose(est_import__table *t)
{
	free(t->keys);
	free(t->salts);
	free(t->values);
	memset(t, 0, sizeof(*t));
}

const char *est_import__basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

void est_import__slug(char *buf, size_t size, const char *text)
{
	size_t n = 0;
	int dash = 0;

	assert(size > 0);
	for (; *text && n + 1 < size; text++) {
		unsigned char ch = (unsigned char)*text;
		if (isalnum(ch) || ch == '.' || ch == '_') {
			if (dash && n > 0 && n + 2 < size)
				buf[n++] = '-';
			dash = 0;
			buf[n++] = (char)tolower(ch);
		} else {
			dash = 1;
		}
	}
	buf[n] = '\0';
}
