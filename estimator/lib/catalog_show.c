/*
 * One record in full (`estimator profiles show`): found by id in one kind or
 * in all of them, written with every field that is set and then each source
 * it cites, in full.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_internal.h"
#include "format.h"
#include "profiles_internal.h"
#include "suggest.h"

#define MAX_LISTS (EST_CATALOG_MAX_FIELDS + 1)

/* The source lists a record cites: its sources, then each source-list field that is set. */
static size_t cited_lists(const est_catalog_record *r, const est_source_list **lists)
{
	size_t n = 0, i;

	if (r->sources)
		lists[n++] = r->sources;
	for (i = 0; i < r->n; i++)
		if (r->f[i].type == EST_CF_SOURCES && r->f[i].set)
			lists[n++] = r->f[i].sources;
	return n;
}

/* Whether lists[l].items[i] appeared before it. */
static int seen_before(const est_source_list **lists, size_t l, size_t i)
{
	const est_source *s = lists[l]->items[i];
	size_t a, b;

	for (a = 0; a <= l; a++)
		for (b = 0; b < (a == l ? i : lists[a]->count); b++)
			if (lists[a]->items[b] == s)
				return 1;
	return 0;
}

/* "  label:  value" lines, labels padded to the widest. */
static void text_fields(est_catalog_writer *w, const est_catalog_record *r, const char *indent)
{
	size_t width = 0, i, j, n;

	for (i = 0; i < r->n; i++)
		if (r->f[i].set && !r->f[i].json_only && strlen(r->f[i].label) > width)
			width = strlen(r->f[i].label);
	for (i = 0; i < r->n; i++) {
		const est_catalog_field *f = &r->f[i];

		if (!f->set || f->json_only)
			continue;
		est_text_printf(w->b, "%s%s:", indent, f->label);
		if (f->type == EST_CF_MODELS) {
			/* one per line: a task may have a hundred */
			est_buf_putc(w->b, '\n');
			for (j = 0; j < f->task->n_models; j++)
				est_text_printf(w->b, "%s  %s\n", indent, f->task->models[j].id);
			continue;
		}
		for (n = strlen(f->label); n < width + 2; n++)
			est_buf_putc(w->b, ' ');
		est_catalog__text_value(w, w->b, f);
		est_buf_putc(w->b, '\n');
	}
}

static void show_text(est_catalog_writer *w, const est_catalog_record *r)
{
	const est_source_list *lists[MAX_LISTS];
	est_catalog_record s;
	size_t n = cited_lists(r, lists), l, i;

	est_text_printf(w->b, "%s %s\n", est_catalog__noun(r->kind), r->id);
	text_fields(w, r, "  ");
	if (n == 0)
		return;
	est_buf_puts(w->b, "\nSources:\n");
	for (l = 0; l < n; l++) {
		for (i = 0; i < lists[l]->count; i++) {
			if (seen_before(lists, l, i))
				continue;
			est_catalog__describe(&s, EST_RECORD_SOURCE, lists[l]->items[i]);
			est_text_printf(w->b, "  %s\n", s.id);
			text_fields(w, &s, "    ");
		}
	}
}

static void show_json(est_catalog_writer *w, const est_catalog_record *r)
{
	const est_source_list *lists[MAX_LISTS];
	est_catalog_record s;
	size_t n = cited_lists(r, lists), l, i, j;

	est_catalog__json_open(w, '{');
	est_catalog__json_key(w, "format");
	est_catalog__json_string(w, EST_CATALOG_FORMAT_ID);
	est_catalog__json_key(w, "record");
	est_catalog__json_record(w, r, 0);
	est_catalog__json_key(w, "sources");
	est_catalog__json_open(w, '[');
	for (l = 0; l < n; l++) {
		for (i = 0; i < lists[l]->count; i++) {
			if (seen_before(lists, l, i))
				continue;
			est_catalog__describe(&s, EST_RECORD_SOURCE, lists[l]->items[i]);
			est_catalog__json_elem(w);
			est_catalog__json_open(w, '{');
			est_catalog__json_key(w, "id");
			est_catalog__json_string(w, s.id);
			for (j = 0; j < s.n; j++) {
				if (!s.f[j].set)
					continue;
				est_catalog__json_key(w, s.f[j].key);
				if (s.f[j].type == EST_CF_NUM)
					est_catalog__json_number(w, s.f[j].num);
				else
					est_catalog__json_string(w, s.f[j].text);
			}
			est_catalog__json_close(w, '}');
		}
	}
	est_catalog__json_close(w, ']');
	est_catalog__json_close(w, '}');
	est_buf_putc(w->b, '\n');
}

/* The record of this kind with this id, or NULL. */
static const void *find_in(const est_profiles *p, est_record_kind kind, const char *id)
{
	size_t n = est_profiles_count(p, kind), i;

	for (i = 0; i < n; i++) {
		const void *rec = est_profiles_at(p, kind, i);
		if (!strcmp(est_profiles_record_id(kind, rec), id))
			return rec;
	}
	return NULL;
}

/* The id nearest to `id` among the records of `kind` (-1: of every kind), or NULL. */
static int nearest(const est_profiles *p, int kind, const char *id, const char **best)
{
	*best = est_profiles__suggest_kind(p, kind, id);
	return 0;
}

static int unknown(const est_profiles *p, const char *id, int kind, est_error *err)
{
	const char *best, *what = kind < 0 ? "profile" : est_catalog__noun((est_record_kind)kind);
	int k;

	if (nearest(p, kind, id, &best) < 0)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	/* the id of a record of another kind: say which */
	for (k = 0; kind >= 0 && k < EST_CATALOG_N_KINDS; k++)
		if (find_in(p, (est_record_kind)k, id))
			return est_error_set(err, EST_EINVALID, NULL, 0, 0,
					     "unknown %s id '%s' ('%s' is a%s %s)", what, id, id,
					     strchr("aeiou", est_catalog__noun((est_record_kind)k)[0]) ? "n" : "",
					     est_catalog__noun((est_record_kind)k));
	if (best)
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "unknown %s id '%s'; did you mean '%s'?", what, id, best);
	return est_error_set(err, EST_EINVALID, NULL, 0, 0, "unknown %s id '%s'", what, id);
}

/* The one record with this id: of `kind`, or of any kind when the id names one record only. */
static int find(const est_profiles *p, const char *id, int kind, est_record_kind *found,
		const void **rec, est_error *err)
{
	char kinds[256] = "";
	size_t n = 0;
	int k;

	*rec = NULL;
	for (k = 0; k < EST_CATALOG_N_KINDS; k++) {
		const void *r;

		if (kind >= 0 && kind != k)
			continue;
		r = find_in(p, (est_record_kind)k, id);
		if (!r)
			continue;
		if (n++ == 0) {
			*rec = r;
			*found = (est_record_kind)k;
		}
		strcat(kinds, n > 1 ? ", " : "");
		strcat(kinds, est_record_kind_name((est_record_kind)k));
	}
	if (n == 0)
		return unknown(p, id, kind, err);
	if (n > 1)
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "profile id '%s' names records of several kinds (%s); give the kind",
				     id, kinds);
	return 0;
}

int est_catalog_show(char **out, size_t *len, const est_profiles *p, const char *id,
		     int kind, est_format fmt, est_error *err)
{
	est_catalog_writer w;
	est_catalog_record r;
	est_record_kind found = EST_RECORD_SOURCE;
	const void *rec = NULL;
	est_buf buf;
	int rc;

	assert(out);
	assert(p);
	assert(id);
	*out = NULL;
	if (len)
		*len = 0;
	rc = est_catalog__check(kind, fmt, err);
	if (rc == 0)
		rc = find(p, id, kind, &found, &rec, err);
	if (rc < 0)
		return rc;
	est_catalog__describe(&r, found, rec);
	est_buf_init(&buf);
	est_catalog__writer_init(&w, &buf);
	if (fmt == EST_FORMAT_JSON)
		show_json(&w, &r);
	else
		show_text(&w, &r);
	return est_catalog__finish(&w, out, len, err);
}
