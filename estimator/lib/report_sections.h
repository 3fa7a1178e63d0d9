/*
 * The procurement report's sections (internal): the context they write into,
 * the helpers they share (report.c) and one function per section
 * (report_plan.c, report_impact.c, report_alternatives.c, report_sources.c).
 *
 * Ownership: the context borrows the report's input for one render.
 */
#ifndef ESTIMATOR_REPORT_SECTIONS_H
#define ESTIMATOR_REPORT_SECTIONS_H

#include <stddef.h>
#include "estimator/report.h"
#include "report_internal.h"

#define YEARS_MAX 64
#define CELL 64
#define NUMW 40 /* a formatted number: at most 27 digits and separators, a sign, a point */
#define FIELD(f) offsetof(est_year, f)

typedef struct rep {
	est_rw w;
	const est_report_input *in;
	char years[YEARS_MAX][8];       /* the base variant's years, as text */
	const char *year_names[YEARS_MAX];
	char id[48];                    /* a chart id being built */
	int n_chart;
} rep;

/* One year field of a chart: its name, offset in est_year, scale, whether a limit, and another field
   added to it (or subtracted). */
typedef struct field {
	const char *name;
	size_t offset;
	double scale;
	int limit;
	size_t plus;     /* another field added to it; 0: none (offset 0 is the year, an int) */
	int minus;       /* 1: `plus` is subtracted instead */
} field;

/* v with `decimals` decimals and thousands separators, into a NUMW (or larger) buffer. */
void est_report__num(char *out, double v, int decimals);
/* "1,234 EUR" into a CELL buffer. */
void est_report__money(char out[CELL], double v, const char *currency);
/* "stem-N", the next chart's id (valid until the next call). */
const char *est_report__next_id(rep *r, const char *stem);
/* The item's base variant (the first). */
const est_variant *est_report__base(const est_report_item *it);
/* v's years as r's chart categories; their number (at most YEARS_MAX). */
size_t est_report__set_years(rep *r, const est_variant *v);
/* One chart of the report, with its data table. */
void est_report__chart(rep *r, est_chart_kind kind, const char *stem, const char *title,
		       const char *desc, const char *x, const char *y, const char *const *cats, size_t n,
		       const est_chart_series *s, size_t n_series);
/* The year fields f[0..nf) of v as one chart (nf at most 12). */
void est_report__year_chart(rep *r, const est_variant *v, est_chart_kind kind, const char *stem,
			    const char *title, const char *desc, const char *y, const field *f, size_t nf);
/* The scenario's name as a sub-heading when the report is a portfolio. */
void est_report__which(rep *r, const est_report_item *it);
/* The largest year's peak IT power, kW. */
double est_report__peak_it_kw(const est_variant *v);

/* The sections, in the report's order. */
void est_report__decision(rep *r);
void est_report__demand(rep *r);
void est_report__capacity(rep *r);
void est_report__purchases(rep *r);
void est_report__power(rep *r);
void est_report__storage(rep *r);
void est_report__cost(rep *r);
void est_report__energy(rep *r);
void est_report__scope2(rep *r);
void est_report__embodied(rep *r);
void est_report__target(rep *r);
void est_report__water(rep *r);
void est_report__alternatives(rep *r);
void est_report__uncertainty(rep *r);
void est_report__sources(rep *r);

#endif
