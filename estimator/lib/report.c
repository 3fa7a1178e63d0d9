/*
 * The procurement report (docs/report.md): the helpers its sections share
 * (numbers, charts of year fields) and est_report_render, which writes the
 * 15 sections in the order a board pack needs them: report_plan.c (1-6),
 * report_impact.c (7-12), report_alternatives.c (13-14), report_sources.c
 * (15). A section without data says so in one line. Figures come from the
 * results (model.h) only; the report computes nothing of its own but sums
 * over the horizon.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "format.h"
#include "report_sections.h"

/* ---- helpers ---- */

/* v with `decimals` decimals and thousands separators, into a NUMW (or larger) buffer. */
void est_report__num(char *out, double v, int decimals)
{
	est_render_fixed(out, NUMW, v, decimals);
}

void est_report__money(char out[CELL], double v, const char *currency)
{
	char n[NUMW];

	est_report__num(n, v, 0);
	snprintf(out, CELL, "%s %s", n, currency);
}

const char *est_report__next_id(rep *r, const char *stem)
{
	snprintf(r->id, sizeof(r->id), "%s-%d", stem, ++r->n_chart);
	return r->id;
}

const est_variant *est_report__base(const est_report_item *it)
{
	return &it->result->variants[0];
}

/* The years of a variant as chart categories (the first item's horizon is every item's axis). */
size_t est_report__set_years(rep *r, const est_variant *v)
{
	size_t i, n = v->n_years < YEARS_MAX ? v->n_years : YEARS_MAX;

	for (i = 0; i < n; i++) {
		snprintf(r->years[i], sizeof(r->years[i]), "%d", v->years[i].year);
		r->year_names[i] = r->years[i];
	}
	return n;
}

/* A series of one year field (offset into est_year), plus (or minus) another when `plus` is not 0, times scale. */
static double *series_of(const est_variant *v, size_t n, size_t offset, size_t plus, int minus,
			 double scale)
{
	double *s = calloc(n ? n : 1, sizeof(*s));
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		double x;
		memcpy(&x, (const char *)&v->years[i] + offset, sizeof(x));
		if (plus) {
			double y;
			memcpy(&y, (const char *)&v->years[i] + plus, sizeof(y));
			x += minus ? -y : y;
		}
		s[i] = x * scale;
	}
	return s;
}

void est_report__chart(rep *r, est_chart_kind kind, const char *stem, const char *title,
		       const char *desc, const char *x, const char *y, const char *const *cats, size_t n,
		       const est_chart_series *s, size_t n_series)
{
	est_chart c;

	memset(&c, 0, sizeof(c));
	c.kind = kind;
	c.id = est_report__next_id(r, stem);
	c.title = title;
	c.description = desc;
	c.x_label = x;
	c.y_label = y;
	c.categories = cats;
	c.n_categories = n;
	c.series = s;
	c.n_series = n_series;
	est_rw_chart(&r->w, &c);
}

/* Several year fields of a variant as one chart. */
void est_report__year_chart(rep *r, const est_variant *v, est_chart_kind kind, const char *stem,
			    const char *title, const char *desc, const char *y, const field *f, size_t nf)
{
	est_chart_series s[12];
	double *data[12];
	size_t n = est_report__set_years(r, v), i;
	int ok = 1;

	assert(nf <= 12);
	for (i = 0; i < nf; i++) {
		data[i] = series_of(v, n, f[i].offset, f[i].plus, f[i].minus, f[i].scale);
		ok &= data[i] != NULL;
		memset(&s[i], 0, sizeof(s[i]));
		s[i].name = f[i].name;
		s[i].values = data[i];
		s[i].limit = f[i].limit;
	}
	if (ok)
		est_report__chart(r, kind, stem, title, desc, "year", y, r->year_names, n, s, nf);
	else if (r->w.rc == 0)
		r->w.rc = est_error_set(r->w.err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	for (i = 0; i < nf; i++)
		free(data[i]);
}

/* The scenario's name when a portfolio has several, as a sub-heading. */
void est_report__which(rep *r, const est_report_item *it)
{
	if (r->in->n_items > 1)
		est_rw_heading(&r->w, 3, NULL, it->result->scenario_name);
}

double est_report__peak_it_kw(const est_variant *v)
{
	double m = 0;
	size_t i;

	for (i = 0; i < v->n_years; i++)
		m = fmax(m, v->years[i].it_peak_kw);
	return m;
}

int est_report_render(char **out, size_t *len, const est_report_input *in, est_report_format f,
		      est_error *err)
{
	est_buf b;
	rep r;
	char subtitle[256];
	size_t k;

	assert(out && in && in->n_items > 0);
	*out = NULL;
	for (k = 0; k < in->n_items; k++)
		if (!in->items[k].result || in->items[k].result->n_variants == 0 ||
		    in->items[k].result->variants[0].n_years == 0)
			return est_error_set(err, EST_EINVALID, in->items[k].file, 0, 0,
					     "nothing to report: no year evaluated");
		else if (strcmp(in->items[k].result->currency, in->items[0].result->currency))
			return est_error_set(err, EST_EINVALID, in->items[k].file, 0, 0,
					     "costed in %s, the report in %s: convert it first "
					     "(est_result_convert_currency)",
					     in->items[k].result->currency, in->items[0].result->currency);
	est_buf_init(&b);
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.w.b = &b;
	r.w.html = f == EST_REPORT_HTML;
	r.w.err = err;
	r.w.paper = in->paper;
	snprintf(subtitle, sizeof(subtitle), "Procurement report%s%s, %zu scenario%s, estimator %s",
		 in->generated ? " of " : "", in->generated ? in->generated : "", in->n_items,
		 in->n_items == 1 ? "" : "s", EST_VERSION_STRING);
	est_rw_begin(&r.w, in->n_items == 1 ? in->items[0].result->scenario_name : "Portfolio", subtitle);
	est_report__decision(&r);
	est_report__demand(&r);
	est_report__capacity(&r);
	est_report__purchases(&r);
	est_report__power(&r);
	est_report__storage(&r);
	est_report__cost(&r);
	est_report__energy(&r);
	est_report__scope2(&r);
	est_report__embodied(&r);
	est_report__target(&r);
	est_report__water(&r);
	est_report__alternatives(&r);
	est_report__uncertainty(&r);
	est_report__sources(&r);
	est_rw_end(&r.w);
	if (r.w.rc < 0) {
		est_buf_dispose(&b);
		return r.w.rc;
	}
	*out = est_buf_detach(&b, len);
	est_buf_dispose(&b);
	if (!*out)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory writing the report");
	return 0;
}
