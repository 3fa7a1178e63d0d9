/*
 * Writing catalogue records (catalog_internal.h): a field's value as text
 * with its unit, and a small streaming JSON writer that indents, escapes and
 * formats numbers as render_json.c prints a result.
 */
#include <assert.h>
#include <string.h>

#include "catalog_internal.h"
#include "render_internal.h"

char est_catalog__lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void est_catalog__writer_init(est_catalog_writer *w, est_buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

int est_catalog__finish(est_catalog_writer *w, char **out, size_t *len, est_error *err)
{
	if (w->nonfinite) {
		est_buf_dispose(w->b);
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
				     "a profile figure is not a finite number");
	}
	*out = est_buf_detach(w->b, len);
	if (!*out)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
				     "out of memory listing the profile library");
	return 0;
}

static void put_number(est_catalog_writer *w, est_buf *out, double v)
{
	char num[EST_NUMBER_MAX];

	if (est_render_number(num, v) < 0)
		w->nonfinite = 1;
	est_buf_puts(out, num);
}

void est_catalog__source_ids(est_buf *out, const est_source_list *l)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		est_text_printf(out, "%s%s", i ? ", " : "", l->items[i]->id);
}

/* "us-east-1 55.04 USD/h (1-year 40 USD/h)", regions joined by ", ". */
static void text_prices(est_catalog_writer *w, est_buf *out, const est_cloud_instance *c)
{
	size_t i;

	for (i = 0; i < c->n_prices; i++) {
		const est_cloud_price *p = &c->prices[i];
		est_text_printf(out, "%s%s ", i ? ", " : "", p->region);
		put_number(w, out, p->on_demand);
		est_text_printf(out, " %s/h", c->currency);
		if (p->one_year <= 0 && p->three_year <= 0)
			continue;
		est_buf_puts(out, " (");
		if (p->one_year > 0) {
			est_buf_puts(out, "1-year ");
			put_number(w, out, p->one_year);
			est_text_printf(out, " %s/h", c->currency);
		}
		if (p->three_year > 0) {
			est_buf_puts(out, p->one_year > 0 ? ", 3-year " : "3-year ");
			put_number(w, out, p->three_year);
			est_text_printf(out, " %s/h", c->currency);
		}
		est_buf_putc(out, ')');
	}
}

void est_catalog__text_value(est_catalog_writer *w, est_buf *out, const est_catalog_field *f)
{
	size_t i;

	switch (f->type) {
	case EST_CF_TEXT:
		est_text_puts(out, f->text);
		break;
	case EST_CF_NUM:
		if (f->unit && !strcmp(f->unit, "%")) {
			put_number(w, out, f->num * 100);
			est_buf_putc(out, '%');
			break;
		}
		put_number(w, out, f->num);
		if (f->unit)
			est_text_printf(out, " %s%s", f->unit, f->unit2 ? f->unit2 : "");
		break;
	case EST_CF_SOURCES:
		est_catalog__source_ids(out, f->sources);
		break;
	case EST_CF_STRINGS:
		for (i = 0; i < f->n_strings; i++)
			est_text_printf(out, "%s%s", i ? ", " : "", f->strings[i]);
		break;
	case EST_CF_MODELS:
		for (i = 0; i < f->task->n_models; i++)
			est_text_printf(out, "%s%s", i ? ", " : "", f->task->models[i].id);
		break;
	case EST_CF_PRICES:
		text_prices(w, out, f->instance);
		break;
	}
}

/* Escaped exactly as the result's JSON (render_json.c). */
void est_catalog__json_string(est_catalog_writer *w, const char *str)
{
	est_render_json_string(w->b, str);
}

void est_catalog__json_number(est_catalog_writer *w, double v)
{
	put_number(w, w->b, v);
}

/* Before a member or an element: the comma after the one before, a new line, the indent. */
static void json_next(est_catalog_writer *w)
{
	int i;

	if (!w->first[w->depth])
		est_buf_putc(w->b, ',');
	w->first[w->depth] = 0;
	est_buf_putc(w->b, '\n');
	for (i = 0; i < w->depth; i++)
		est_buf_puts(w->b, "  ");
}

void est_catalog__json_open(est_catalog_writer *w, char bracket)
{
	est_buf_putc(w->b, bracket);
	assert(w->depth + 1 < (int)(sizeof(w->first) / sizeof(w->first[0])));
	w->first[++w->depth] = 1;
}

void est_catalog__json_close(est_catalog_writer *w, char bracket)
{
	int i, empty = w->first[w->depth];

	w->depth--;
	if (!empty) {
		est_buf_putc(w->b, '\n');
		for (i = 0; i < w->depth; i++)
			est_buf_puts(w->b, "  ");
	}
	est_buf_putc(w->b, bracket);
}

void est_catalog__json_key(est_catalog_writer *w, const char *key)
{
	json_next(w);
	est_catalog__json_string(w, key);
	est_buf_puts(w->b, ": ");
}

void est_catalog__json_elem(est_catalog_writer *w)
{
	json_next(w);
}

static void json_source_ids(est_catalog_writer *w, const est_source_list *l)
{
	size_t i;

	est_catalog__json_open(w, '[');
	for (i = 0; l && i < l->count; i++) {
		json_next(w);
		est_catalog__json_string(w, l->items[i]->id);
	}
	est_catalog__json_close(w, ']');
}

/* {"us-east-1": {"on_demand_per_hour": 55.04, ...}, ...}: commitments only when given. */
static void json_prices(est_catalog_writer *w, const est_cloud_instance *c)
{
	size_t i;

	est_catalog__json_open(w, '{');
	for (i = 0; i < c->n_prices; i++) {
		const est_cloud_price *p = &c->prices[i];
		est_catalog__json_key(w, p->region);
		est_catalog__json_open(w, '{');
		est_catalog__json_key(w, "on_demand_per_hour");
		est_catalog__json_number(w, p->on_demand);
		if (p->one_year > 0) {
			est_catalog__json_key(w, "one_year_per_hour");
			est_catalog__json_number(w, p->one_year);
		}
		if (p->three_year > 0) {
			est_catalog__json_key(w, "three_year_per_hour");
			est_catalog__json_number(w, p->three_year);
		}
		est_catalog__json_close(w, '}');
	}
	est_catalog__json_close(w, '}');
}

static void json_value(est_catalog_writer *w, const est_catalog_field *f)
{
	size_t i;

	switch (f->type) {
	case EST_CF_TEXT:
		est_catalog__json_string(w, f->text);
		break;
	case EST_CF_NUM:
		est_catalog__json_number(w, f->num);
		break;
	case EST_CF_SOURCES:
		json_source_ids(w, f->sources);
		break;
	case EST_CF_STRINGS:
		est_catalog__json_open(w, '[');
		for (i = 0; i < f->n_strings; i++) {
			json_next(w);
			est_catalog__json_string(w, f->strings[i]);
		}
		est_catalog__json_close(w, ']');
		break;
	case EST_CF_MODELS:
		est_catalog__json_open(w, '[');
		for (i = 0; i < f->task->n_models; i++) {
			json_next(w);
			est_catalog__json_string(w, f->task->models[i].id);
		}
		est_catalog__json_close(w, ']');
		break;
	case EST_CF_PRICES:
		json_prices(w, f->instance);
		break;
	}
}

void est_catalog__json_record(est_catalog_writer *w, const est_catalog_record *r, int list_only)
{
	size_t i;

	est_catalog__json_open(w, '{');
	est_catalog__json_key(w, "kind");
	est_catalog__json_string(w, est_record_kind_name(r->kind));
	est_catalog__json_key(w, "id");
	est_catalog__json_string(w, r->id);
	for (i = 0; i < r->n; i++) {
		const est_catalog_field *f = &r->f[i];

		if (!f->set || (list_only && f->list == EST_CL_NO))
			continue;
		est_catalog__json_key(w, f->key);
		json_value(w, f);
	}
	est_catalog__json_key(w, "sources");
	json_source_ids(w, r->sources);
	est_catalog__json_close(w, '}');
}
