/*
 * The report's writer (report_writer.c): the same calls write HTML or
 * Markdown, so that the sections (report.c) are written once.
 */
#ifndef EST_REPORT_INTERNAL_H
#define EST_REPORT_INTERNAL_H

#include <stdarg.h>

#include "buf.h"
#include "chart.h"
#include "estimator/report.h"

typedef struct est_rw {
	est_buf *b;
	int html;
	est_error *err;
	int rc;                 /* the first error; later calls write nothing */
	int in_list;            /* an HTML list is open */
	const char *paper;      /* "a4" (default) or "letter" */
} est_rw;

/* The page around the sections: title, meta, style (HTML), and its end. */
void est_rw_begin(est_rw *w, const char *title, const char *subtitle);
void est_rw_end(est_rw *w);
/* A section (level 2, with an id for bookmarks) or a sub-heading (level 3). */
void est_rw_heading(est_rw *w, int level, const char *id, const char *text);
/* A paragraph, formatted like printf, the result escaped. */
void est_rw_para(est_rw *w, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Figures "label: value" one a line (the decision summary's tiles). */
/* Figure lines "label: value", each with an optional note after it (notes or notes[i] NULL: none). */
void est_rw_figures(est_rw *w, const char *const *labels, const char *const *values,
		    const char *const *notes, size_t n);
/* A table: n_cols headers, then n_rows x n_cols cells; numeric columns right-aligned. */
void est_rw_table(est_rw *w, const char *caption, const char *const *headers, size_t n_cols,
		  const char *const *cells, size_t n_rows, const int *numeric);
/* A chart: the SVG and its data table (HTML), the data table only (Markdown). */
void est_rw_chart(est_rw *w, const est_chart *c);
/* A bullet list item. */
void est_rw_item(est_rw *w, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void est_rw_list_end(est_rw *w);

#endif
