/*
 * Charts as inline SVG for the report (internal; docs/charts.md): one chart
 * description (est_chart) drawn as SVG (chart.c), its data as an HTML or
 * Markdown table (chart_table.c), and the nice ticks of its axes
 * (chart_axis.c).
 *
 * Ownership: an est_chart and everything it points to belong to the
 * caller and are only read; the writers append to the caller's est_buf.
 */
#ifndef ESTIMATOR_CHART_H
#define ESTIMATOR_CHART_H

#include <stddef.h>

#include "buf.h"
#include "estimator/error.h"

typedef enum est_chart_kind {
	EST_CHART_LINES,    /* series over categories (years); series with `limit` set are dashed limit lines */
	EST_CHART_COLUMNS,  /* grouped columns: one group per category, one column per series */
	EST_CHART_STACKED,  /* stacked columns (limits: dashed steps over them); a negative value is an error */
	EST_CHART_AREA,     /* stacked areas over categories; a negative value is an error */
	EST_CHART_BAND,     /* per series a median line (values) within its p5-p95 band (lo, hi) */
	EST_CHART_TORNADO,  /* horizontal bars from `base`: series[0] the low ends, series[1] the
			       high ends, one row per category (an input) */
	EST_CHART_DOTS,     /* dot plot: one row per category, one dot per series */
	EST_CHART_SCATTER   /* points (x = series[0], y = series[1]), labelled by categories */
} est_chart_kind;

typedef struct est_chart_series {
	const char *name;        /* shown in the legend and as a table header */
	const double *values;    /* n_categories values */
	const double *lo, *hi;   /* EST_CHART_BAND: the band (p5, p95); else NULL */
	int limit;               /* LINES and STACKED: a limit (dashed step, labelled, not stacked), e.g. existing power */
} est_chart_series;

typedef struct est_chart {
	est_chart_kind kind;
	const char *id;          /* unique in the document, [A-Za-z][A-Za-z0-9_-]*: the ids of
				    <title> and <desc> are "<id>-title" and "<id>-desc" */
	const char *title;       /* shown, in <title> and the table's caption */
	const char *description; /* in <desc>: what the chart shows, in one or two sentences */
	const char *x_label;     /* axis titles, NULL for none; the value axis's includes the */
	const char *y_label;     /* unit, e.g. "IT power (kW)" (tornado and dots: y_label is the
				    value axis, drawn horizontally) */
	const char *const *categories;   /* n_categories names: years as text, variants, inputs */
	size_t n_categories;
	const est_chart_series *series;
	size_t n_series;
	double base;             /* EST_CHART_TORNADO: the value the bars start from */
} est_chart;

/*
 * Append c as one inline <svg> element: a 640 x 360 viewBox (class
 * "est-chart", so a page's CSS can scale it to its width), role="img",
 * aria-labelledby naming its <title> and <desc>, a system font stack, the
 * Okabe-Ito palette, no script, style element or external reference. The
 * same chart gives the same bytes. Returns 0; EST_EINVALID (err filled,
 * nothing appended) when c cannot be drawn: no title, description or valid
 * id, no category or series, a value that is not finite, a negative value
 * in a stacked chart or area, a band without lo and hi, a tornado or
 * scatter without exactly two series; EST_EINTERNAL when memory ran out.
 */
int est_chart_svg(est_buf *out, const est_chart *c, est_error *err);

/*
 * The data behind c: an HTML <table> with a <caption> (numeric cells have
 * class "num"), or a Markdown table under a bold caption line. Numbers have
 * thousands separators and the same decimals down a column. Errors as
 * est_chart_svg.
 */
int est_chart_table_html(est_buf *out, const est_chart *c, est_error *err);
int est_chart_table_markdown(est_buf *out, const est_chart *c, est_error *err);

/*
 * Nice ticks covering [lo, hi] (either order): equal steps of 1, 2, 2.5 or
 * 5 times a power of ten, the first at or below lo and the last at or above
 * hi, 0 among them when the range crosses or touches it, the fewest steps
 * that keep the count at most max_ticks (at least 3). A flat range (lo and
 * hi equal to ten significant digits) is widened to reach 0 (0 to 1 when
 * both are 0). Fills ticks (room for
 * max_ticks) and returns the count; 0 when lo or hi is not finite or the
 * range is too wide for a double.
 */
size_t est_chart_ticks(double lo, double hi, size_t max_ticks, double *ticks);

/* ---- shared by chart.c and chart_table.c (not for other callers) ---- */

#define EST_CHART_TICKS_MAX 11

/* A numeric axis: its ticks, the span they cover and the decimals they need. */
typedef struct est_chart_axis {
	double ticks[EST_CHART_TICKS_MAX];
	size_t n;
	double lo, hi;   /* ticks[0] and ticks[n - 1] */
	int decimals;
} est_chart_axis;

/* An axis over [lo, hi] with at most max_ticks ticks; 0, or -1 when the range cannot be drawn. */
int est_chart__axis(est_chart_axis *a, double lo, double hi, size_t max_ticks);
/*
 * The decimals (0 to 12) that show every value of v[0..n) exactly, or else
 * each to three significant digits at least.
 */
int est_chart__decimals(const double *v, size_t n);
/*
 * Append s as XML text (element or attribute, so HTML too), at most max
 * characters of it (then "…"; (size_t)-1 for all): & < > " ' as entities, a
 * control character as a space, a byte that is not UTF-8 as U+FFFD.
 */
void est_chart__xml_text(est_buf *b, const char *s, size_t max);
/* 0, or EST_EINVALID with err filled when c cannot be drawn (est_chart_svg's rules). */
int est_chart__check(const est_chart *c, est_error *err);

#endif
