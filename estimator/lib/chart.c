/*
 * A chart (chart.h) as one inline SVG element: the frame (title, legend,
 * axes with nice ticks, axis titles) shared by every kind, then the marks
 * of its kind. Layout is by estimated text widths, as an SVG without
 * script cannot measure its text.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "format.h"

#define W 640.0
#define H 360.0
#define FONT 11.0               /* px: ticks, labels, legend */
#define CHAR_EM 0.58            /* a system sans-serif's mean advance per character, in em */
#define FONT_STACK "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
#define INK "#222222"           /* text */
#define AXIS "#767676"          /* axis lines: 4.5:1 on white */
#define GRID "#e3e3e3"

/* Characters shown before a text is cut with an ellipsis (the table has it whole). */
#define TITLE_CHARS ((size_t)80)
#define LEGEND_CHARS ((size_t)40)
#define ROW_CHARS ((size_t)28)            /* categories down the left */
#define COLUMN_CHARS ((size_t)14)         /* categories along the bottom */
#define POINT_CHARS ((size_t)24)          /* scatter labels */

/*
 * Okabe & Ito, "Color Universal Design (CUD): how to make figures and
 * presentations that are friendly to colorblind people" (2008,
 * jfly.uni-koeln.de/color): eight colours told apart under every common
 * colour-vision deficiency. Blue first, black and yellow (faint on white)
 * last.
 */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
				      "#CC79A7", "#56B4E9", "#000000", "#F0E442"};
#define N_PALETTE (sizeof(palette) / sizeof(palette[0]))
#define N_SHAPES 5  /* marker shapes, cycled apart from the colours: 40 distinct pairs */

static const char *colour(size_t s)
{
	return palette[s % N_PALETTE];
}

/* ---- text ---- */

/* Characters in s (UTF-8; a byte that is not UTF-8 counts as one), at most max. */
static size_t text_chars(const char *s, size_t max, int *cut)
{
	size_t n = 0, k;

	*cut = 0;
	while (*s) {
		if (n == max) {
			*cut = 1;
			return max;
		}
		k = est_utf8_length(s);
		s += k ? k : 1;
		n++;
	}
	return n;
}

static double text_width(const char *s, size_t max, double font)
{
	int cut;
	return (double)text_chars(s, max, &cut) * font * CHAR_EM;
}

/*
 * s as XML character data or attribute text (chart.h): the five markup
 * characters as entities, a control character as a space (XML 1.0 forbids
 * most of them), a byte that is not UTF-8 as U+FFFD.
 */
void est_chart__xml_text(est_buf *b, const char *s, size_t max)
{
	size_t n = 0, k;
	int cut;

	text_chars(s, max, &cut);
	if (cut)
		max--; /* room for the ellipsis */
	for (; *s && n < max; n++) {
		unsigned char ch = (unsigned char)*s;
		k = est_utf8_length(s);
		if (k == 0) {
			est_buf_puts(b, "\xEF\xBF\xBD");
			s++;
			continue;
		}
		if (k > 1 && ch == 0xC2 && (unsigned char)s[1] < 0xA0)
			est_buf_putc(b, ' '); /* C1 controls */
		else if (k > 1)
			est_buf_put(b, s, k);
		else if (ch == '&')
			est_buf_puts(b, "&amp;");
		else if (ch == '<')
			est_buf_puts(b, "&lt;");
		else if (ch == '>')
			est_buf_puts(b, "&gt;");
		else if (ch == '"')
			est_buf_puts(b, "&quot;");
		else if (ch == '\'')
			est_buf_puts(b, "&#39;");
		else if (ch < 0x20 || ch == 0x7F)
			est_buf_putc(b, ' ');
		else
			est_buf_putc(b, (char)ch);
		s += k;
	}
	if (cut)
		est_buf_puts(b, "\xE2\x80\xA6");
}

/* A coordinate in tenths of a pixel, written without printf's locale-dependent point. */
static void coord(est_buf *b, double v)
{
	long t;

	assert(isfinite(v) && fabs(v) < 1e6);
	t = lround(v * 10);
	if (t < 0) {
		est_buf_putc(b, '-');
		t = -t;
	}
	if (t % 10)
		est_buf_printf(b, "%ld.%ld", t / 10, t % 10);
	else
		est_buf_printf(b, "%ld", t / 10);
}

/*
 * Append fmt, whose conversions are: %n a coordinate (double), %t text
 * (size_t max characters, then const char *) escaped by est_chart__xml_text, %s the
 * chart's own markup (const char *) as it is.
 */
static void put(est_buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			est_buf_putc(b, *p);
			continue;
		}
		switch (*++p) {
		case 'n':
			coord(b, va_arg(ap, double));
			break;
		case 't': {
			size_t max = va_arg(ap, size_t);
			est_chart__xml_text(b, va_arg(ap, const char *), max);
			break;
		}
		case 's':
			est_buf_puts(b, va_arg(ap, const char *));
			break;
		default:
			assert(!"unknown conversion");
			break;
		}
	}
	va_end(ap);
}

/* ---- checks ---- */

static int valid_id(const char *id)
{
	size_t i;

	if (!((id[0] >= 'A' && id[0] <= 'Z') || (id[0] >= 'a' && id[0] <= 'z')))
		return 0;
	for (i = 1; id[i]; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_'))
			return 0;
	return 1;
}

static int check_values(const est_chart *c, const est_chart_series *s, const double *v,
			const char *what, est_error *err)
{
	size_t i;

	for (i = 0; i < c->n_categories; i++) {
		if (!isfinite(v[i]))
			return est_error_set(err, EST_EINVALID, NULL, 0, 0,
					     "chart '%s': series '%s', '%s': %s is not a finite number",
					     c->id, s->name, c->categories[i], what);
		if (v[i] < 0 && (c->kind == EST_CHART_STACKED || c->kind == EST_CHART_AREA))
			return est_error_set(err, EST_EINVALID, NULL, 0, 0,
					     "chart '%s': series '%s', '%s': a stacked value cannot "
					     "be negative", c->id, s->name, c->categories[i]);
	}
	return 0;
}

int est_chart__check(const est_chart *c, est_error *err)
{
	size_t i, s;
	int rc;

	assert(c && c->id && (c->categories || !c->n_categories) && (c->series || !c->n_series));
	if (!valid_id(c->id))
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "chart id '%s' is not a letter followed by letters, digits, "
				     "'-' or '_'", c->id);
	if (!c->title || !*c->title || !c->description || !*c->description)
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "chart '%s' needs a title and a description", c->id);
	if (c->n_categories == 0 || c->n_series == 0)
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "chart '%s' has no %s", c->id,
				     c->n_categories == 0 ? "category" : "series");
	if ((c->kind == EST_CHART_TORNADO || c->kind == EST_CHART_SCATTER) && c->n_series != 2)
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "chart '%s' has %zu series; a %s needs two", c->id, c->n_series,
				     c->kind == EST_CHART_TORNADO ? "tornado" : "scatter");
	if (c->kind == EST_CHART_TORNADO && !isfinite(c->base))
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "chart '%s': the base is not a finite number", c->id);
	for (i = 0; i < c->n_categories; i++)
		assert(c->categories[i]);
	for (s = 0; s < c->n_series; s++) {
		const est_chart_series *x = &c->series[s];
		assert(x->name && x->values);
		rc = check_values(c, x, x->values, "the value", err);
		if (rc < 0)
			return rc;
		if (c->kind != EST_CHART_BAND)
			continue;
		if (!x->lo || !x->hi)
			return est_error_set(err, EST_EINVALID, NULL, 0, 0,
					     "chart '%s': series '%s' has no band (lo and hi)",
					     c->id, x->name);
		rc = check_values(c, x, x->lo, "the band's low end", err);
		if (rc == 0)
			rc = check_values(c, x, x->hi, "the band's high end", err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- layout ---- */

typedef struct frame {
	double left, right, top, bottom;  /* the plot area */
	est_chart_axis v;                 /* the value axis (scatter: y) */
	est_chart_axis x;                 /* scatter: the x axis */
	int horizontal;                   /* the value axis runs along the bottom */
} frame;

static int points(const est_chart *c)
{
	return c->kind == EST_CHART_LINES || c->kind == EST_CHART_AREA || c->kind == EST_CHART_BAND;
}

/* Value to pixel along [p0, p1]. */
static double scale(const est_chart_axis *a, double v, double p0, double p1)
{
	return p0 + (v - a->lo) / (a->hi - a->lo) * (p1 - p0);
}

static double vy(const frame *f, double v)
{
	return scale(&f->v, v, f->bottom, f->top);
}

static double vx(const frame *f, double v)
{
	return scale(&f->v, v, f->left, f->right);
}

/* The centre of category i across the plot (along the bottom; down the left when horizontal). */
static double slot(const est_chart *c, const frame *f, size_t i)
{
	double n = (double)c->n_categories;

	if (f->horizontal)
		return f->top + ((double)i + 0.5) * (f->bottom - f->top) / n;
	if (points(c) && c->n_categories > 1)
		return f->left + (double)i * (f->right - f->left) / (n - 1);
	return f->left + ((double)i + 0.5) * (f->right - f->left) / n;
}

static void span(const double *v, size_t n, double *lo, double *hi)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*lo = fmin(*lo, v[i]);
		*hi = fmax(*hi, v[i]);
	}
}

/*
 * Lines, bands, dots and scatters start their axis at 0 unless the data lie
 * far from it (all above half their maximum, or the mirror for negatives),
 * where the axis fits the data.
 */
static void near_zero(double *lo, double *hi)
{
	if (*lo > 0 && *lo <= *hi / 2)
		*lo = 0;
	if (*hi < 0 && *hi >= *lo / 2)
		*hi = 0;
}

/* The data's range on the value axis. */
static void value_range(const est_chart *c, double *lo, double *hi)
{
	size_t s, i;

	*lo = INFINITY;
	*hi = -INFINITY;
	switch (c->kind) {
	case EST_CHART_STACKED:
	case EST_CHART_AREA:
		*lo = 0;
		for (i = 0; i < c->n_categories; i++) {
			double sum = 0;
			for (s = 0; s < c->n_series; s++)
				if (c->kind == EST_CHART_AREA || !c->series[s].limit)
					sum += c->series[s].values[i];
				else /* a stacked chart's limit: a step over the columns */
					*hi = fmax(*hi, c->series[s].values[i]);
			*hi = fmax(*hi, sum);
		}
		return;
	case EST_CHART_COLUMNS:
		*lo = *hi = 0;
		break;
	case EST_CHART_TORNADO:
		*lo = *hi = c->base;
		break;
	case EST_CHART_SCATTER:
		span(c->series[1].values, c->n_categories, lo, hi);
		near_zero(lo, hi);
		return;
	case EST_CHART_LINES:
	case EST_CHART_BAND:
	case EST_CHART_DOTS:
		break;
	}
	for (s = 0; s < c->n_series; s++) {
		span(c->series[s].values, c->n_categories, lo, hi);
		if (c->kind == EST_CHART_BAND) {
			span(c->series[s].lo, c->n_categories, lo, hi);
			span(c->series[s].hi, c->n_categories, lo, hi);
		}
	}
	if (c->kind != EST_CHART_TORNADO)
		near_zero(lo, hi);
}

static void tick_label(char *out, size_t size, const est_chart_axis *a, double v)
{
	est_render_fixed(out, size, v, a->decimals);
}

static double widest_tick(const est_chart_axis *a)
{
	char label[64];
	double w = 0;
	size_t i;

	for (i = 0; i < a->n; i++) {
		tick_label(label, sizeof(label), a, a->ticks[i]);
		w = fmax(w, text_width(label, sizeof(label), FONT));
	}
	return w;
}

/* ---- legend ---- */

static int has_legend(const est_chart *c)
{
	return c->kind != EST_CHART_SCATTER;
}

static void marker(est_buf *b, size_t shape, double x, double y, const char *fill)
{
	switch (shape % N_SHAPES) {
	case 0:
		put(b, "<circle cx=\"%n\" cy=\"%n\" r=\"3.6\"", x, y);
		break;
	case 1:
		put(b, "<rect x=\"%n\" y=\"%n\" width=\"6.4\" height=\"6.4\"", x - 3.2, y - 3.2);
		break;
	case 2:
		put(b, "<path d=\"M%n %nL%n %nL%n %nZ\"", x, y - 4.4, x + 4.2, y + 3, x - 4.2, y + 3);
		break;
	case 3:
		put(b, "<path d=\"M%n %nL%n %nL%n %nL%n %nZ\"", x, y - 4.6, x + 4.6, y, x, y + 4.6,
		    x - 4.6, y);
		break;
	default:
		put(b, "<path d=\"M%n %nL%n %nL%n %nZ\"", x, y + 4.4, x + 4.2, y - 3, x - 4.2, y - 3);
		break;
	}
	put(b, " fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>\n", fill);
}

/* The key of series s at (x, y): what its marks look like. */
static void swatch(est_buf *b, const est_chart *c, size_t s, double x, double y)
{
	const char *col = colour(s);

	switch (c->kind) {
	case EST_CHART_LINES:
	case EST_CHART_BAND:
		if (c->kind == EST_CHART_BAND)
			put(b, "<rect x=\"%n\" y=\"%n\" width=\"18\" height=\"10\" fill=\"%s\" "
			       "fill-opacity=\"0.2\"/>\n", x, y - 5, col);
		put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
		    x, y, x + 18, y, col, c->series[s].limit ? " stroke-dasharray=\"6 3\"" : "");
		if (!c->series[s].limit)
			marker(b, s, x + 9, y, col);
		break;
	case EST_CHART_DOTS:
		marker(b, s, x + 9, y, col);
		break;
	case EST_CHART_STACKED:
		if (c->series[s].limit) {
			put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\" "
			       "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n", x, y, x + 18, y, col);
			break;
		}
		/* fall through */
	case EST_CHART_COLUMNS:
	case EST_CHART_AREA:
	case EST_CHART_TORNADO:
	case EST_CHART_SCATTER:
		put(b, "<rect x=\"%n\" y=\"%n\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x + 3,
		    y - 6, col);
		break;
	}
}

/*
 * The legend, a row of keys from y0 down, wrapped at the width; drawn when
 * b is not NULL. Returns the number of rows.
 */
static int legend(est_buf *b, const est_chart *c, double y0)
{
	double x = 12;
	int rows = 1;
	size_t s;

	for (s = 0; s < c->n_series; s++) {
		double w = 22 + text_width(c->series[s].name, LEGEND_CHARS, FONT) + 16;
		if (x > 12 && x + w > W - 12) {
			x = 12;
			rows++;
		}
		if (b) {
			double y = y0 + (rows - 1) * 17;
			swatch(b, c, s, x, y);
			put(b, "<text x=\"%n\" y=\"%n\">%t</text>\n", x + 22, y + 4, LEGEND_CHARS,
			    c->series[s].name);
		}
		x += w;
	}
	return rows;
}

/* ---- the frame ---- */

static int layout(frame *f, const est_chart *c)
{
	double lo, hi, w;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->horizontal = c->kind == EST_CHART_TORNADO || c->kind == EST_CHART_DOTS;
	value_range(c, &lo, &hi);
	if (est_chart__axis(&f->v, lo, hi, f->horizontal ? 8 : 6) < 0)
		return -1;
	if (c->kind == EST_CHART_SCATTER) {
		lo = INFINITY;
		hi = -INFINITY;
		span(c->series[0].values, c->n_categories, &lo, &hi);
		near_zero(&lo, &hi);
		if (est_chart__axis(&f->x, lo, hi, 8) < 0)
			return -1;
	}
	f->top = 36 + (has_legend(c) ? legend(NULL, c, 0) * 17 + 14 : 0);
	if (c->kind == EST_CHART_TORNADO)
		f->top += 14; /* the base's label */
	f->bottom = H - (c->x_label || c->y_label || c->kind == EST_CHART_SCATTER ? 46 : 28);
	if (f->horizontal) {
		w = 0;
		for (i = 0; i < c->n_categories; i++)
			w = fmax(w, text_width(c->categories[i], ROW_CHARS, FONT));
		f->left = 12 + (c->x_label ? 20 : 0) + w + 8;
		f->right = W - 12 - widest_tick(&f->v) / 2;
	} else {
		f->left = 12 + 20 + widest_tick(&f->v) + 6;
		f->right = W - 16;
		if (c->kind == EST_CHART_SCATTER)
			f->right -= widest_tick(&f->x) / 2;
	}
	return 0;
}

static void value_axis_vertical(est_buf *b, const frame *f, const est_chart_axis *a)
{
	char label[64];
	size_t i;

	for (i = 0; i < a->n; i++) {
		double y = scale(a, a->ticks[i], f->bottom, f->top);
		tick_label(label, sizeof(label), a, a->ticks[i]);
		put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\"/>\n", f->left, y,
		    f->right, y, a->ticks[i] == 0 ? AXIS : GRID);
		put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"end\">%t</text>\n", f->left - 6, y + 4,
		    sizeof(label), label);
	}
}

static void value_axis_horizontal(est_buf *b, const frame *f, const est_chart_axis *a)
{
	char label[64];
	size_t i;

	for (i = 0; i < a->n; i++) {
		double x = scale(a, a->ticks[i], f->left, f->right);
		tick_label(label, sizeof(label), a, a->ticks[i]);
		put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\"/>\n", x, f->top, x,
		    f->bottom, a->ticks[i] == 0 ? AXIS : GRID);
		put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"middle\">%t</text>\n", x, f->bottom + 16,
		    sizeof(label), label);
	}
}

/* Category names along the bottom, every k-th when they would overlap; or down the left. */
static void category_axis(est_buf *b, const est_chart *c, const frame *f)
{
	double room, widest = 0;
	size_t i, every;

	if (f->horizontal) {
		for (i = 0; i < c->n_categories; i++)
			put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"end\">%t</text>\n", f->left - 8,
			    slot(c, f, i) + 4, ROW_CHARS, c->categories[i]);
		return;
	}
	put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\"/>\n", f->left, f->bottom,
	    f->right, f->bottom, AXIS);
	for (i = 0; i < c->n_categories; i++)
		widest = fmax(widest, text_width(c->categories[i], COLUMN_CHARS, FONT));
	room = c->n_categories > 1 ? fabs(slot(c, f, 1) - slot(c, f, 0)) : f->right - f->left;
	every = (size_t)ceil((widest + 8) / room);
	if (every < 1)
		every = 1;
	for (i = 0; i < c->n_categories; i += every)
		put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"middle\">%t</text>\n", slot(c, f, i),
		    f->bottom + 16, COLUMN_CHARS, c->categories[i]);
}

static void axis_titles(est_buf *b, const est_chart *c, const frame *f)
{
	const char *bottom = c->x_label, *left = c->y_label;

	if (f->horizontal) {
		bottom = c->y_label;
		left = c->x_label;
	} else if (c->kind == EST_CHART_SCATTER) {
		bottom = c->x_label ? c->x_label : c->series[0].name;
		left = c->y_label ? c->y_label : c->series[1].name;
	}
	if (bottom)
		put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"middle\" font-weight=\"bold\">%t</text>\n",
		    (f->left + f->right) / 2, H - 10, TITLE_CHARS, bottom);
	if (left)
		put(b, "<text transform=\"rotate(-90)\" x=\"%n\" y=\"18\" text-anchor=\"middle\" "
		       "font-weight=\"bold\">%t</text>\n", -(f->top + f->bottom) / 2,
		    TITLE_CHARS, left);
}

/* ---- marks ---- */

/*
 * A series as a line through its points, or as steps (a limit such as a
 * supply, level across its own category: it changes half way between two
 * categories, so each category's point sits on its own value).
 */
static void polyline(est_buf *b, const est_chart *c, const frame *f, const double *v,
		     const char *col, int steps)
{
	size_t i;

	put(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\"%s points=\"",
	    col, steps ? " stroke-dasharray=\"6 3\"" : "");
	if (c->n_categories == 1) /* one value: a level across the plot */
		put(b, "%n,%n %n,%n", f->left, vy(f, v[0]), f->right, vy(f, v[0]));
	for (i = 0; i < c->n_categories && c->n_categories > 1; i++) {
		if (steps && i > 0 && v[i] != v[i - 1]) {
			double mid = (slot(c, f, i - 1) + slot(c, f, i)) / 2;
			put(b, " %n,%n %n,%n", mid, vy(f, v[i - 1]), mid, vy(f, v[i]));
		}
		put(b, "%s%n,%n", i ? " " : "", slot(c, f, i), vy(f, v[i]));
	}
	put(b, "\"/>\n");
}

/*
 * The limits as dashed steps (a lines chart: through the points; a stacked
 * chart: level across each column's room), each labelled at `label_x`;
 * labels of limits ending at one level are stacked a line apart.
 */
static void limit_lines(est_buf *b, const est_chart *c, const frame *f, double label_x)
{
	size_t s, i, last = c->n_categories - 1, placed = 0;
	double label_y[16]; /* the labels of the first 16 limits, kept apart */
	double room = (f->right - f->left) / (double)c->n_categories;

	for (s = 0; s < c->n_series; s++) {
		const est_chart_series *x = &c->series[s];
		double y = vy(f, x->values[last]) - 5;
		if (!x->limit)
			continue;
		if (c->kind == EST_CHART_STACKED) {
			put(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
			       "stroke-dasharray=\"6 3\" points=\"", colour(s));
			for (i = 0; i < c->n_categories; i++)
				put(b, "%s%n,%n %n,%n", i ? " " : "", slot(c, f, i) - room / 2,
				    vy(f, x->values[i]), slot(c, f, i) + room / 2, vy(f, x->values[i]));
			put(b, "\"/>\n");
		} else {
			polyline(b, c, f, x->values, colour(s), 1);
		}
		for (i = 0; i < placed; i++)
			if (fabs(label_y[i] - y) < 11) {
				y = label_y[i] - 11;
				i = (size_t)-1; /* check the others again */
			}
		if (placed < 16)
			label_y[placed++] = y;
		put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"end\" fill=\"%s\">%t</text>\n",
		    label_x, y, colour(s), LEGEND_CHARS, x->name);
	}
}

static void draw_lines(est_buf *b, const est_chart *c, const frame *f)
{
	size_t s, i, last = c->n_categories - 1;

	limit_lines(b, c, f, c->n_categories == 1 ? f->right : slot(c, f, last));
	for (s = 0; s < c->n_series; s++) {
		const est_chart_series *x = &c->series[s];
		if (x->limit)
			continue;
		if (c->kind == EST_CHART_BAND) {
			put(b, "<path fill=\"%s\" fill-opacity=\"0.2\" d=\"", colour(s));
			for (i = 0; i < c->n_categories; i++)
				put(b, "%s%n %n", i ? "L" : "M", slot(c, f, i), vy(f, x->hi[i]));
			for (i = c->n_categories; i-- > 0;)
				put(b, "L%n %n", slot(c, f, i), vy(f, x->lo[i]));
			put(b, "Z\"/>\n");
			if (c->n_categories == 1) /* a band of one point: its p5-p95 whisker */
				put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\"/>\n",
				    slot(c, f, 0), vy(f, x->lo[0]), slot(c, f, 0), vy(f, x->hi[0]),
				    colour(s));
		}
		polyline(b, c, f, x->values, colour(s), 0);
		for (i = 0; i < c->n_categories; i++)
			marker(b, s, slot(c, f, i), vy(f, x->values[i]), colour(s));
	}
}

static void rect(est_buf *b, double x0, double y0, double x1, double y1, const char *col)
{
	put(b, "<rect x=\"%n\" y=\"%n\" width=\"%n\" height=\"%n\" fill=\"%s\"/>\n", fmin(x0, x1),
	    fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0), col);
}

static void draw_columns(est_buf *b, const est_chart *c, const frame *f)
{
	double room = (f->right - f->left) / (double)c->n_categories;
	double group = fmin(room * 0.8, 60.0 * (double)c->n_series);
	double each = group / (double)c->n_series;
	double gap = each > 4 ? 1 : 0;
	size_t s, i;

	for (i = 0; i < c->n_categories; i++) {
		double x0 = slot(c, f, i) - group / 2;
		for (s = 0; s < c->n_series; s++)
			rect(b, x0 + (double)s * each + gap / 2, vy(f, 0),
			     x0 + (double)(s + 1) * each - gap / 2, vy(f, c->series[s].values[i]),
			     colour(s));
	}
}

static void draw_stacked(est_buf *b, const est_chart *c, const frame *f)
{
	double room = (f->right - f->left) / (double)c->n_categories;
	double half = fmin(room * 0.6, 60.0) / 2;
	size_t s, i;

	for (i = 0; i < c->n_categories; i++) {
		double sum = 0, x = slot(c, f, i);
		for (s = 0; s < c->n_series; s++) {
			double v = c->series[s].values[i];
			if (c->series[s].limit)
				continue;
			if (v > 0)
				rect(b, x - half, vy(f, sum), x + half, vy(f, sum + v), colour(s));
			sum += v;
		}
	}
	limit_lines(b, c, f, f->right);
}

/* Stacked areas: layer s between the sums below it and the sums up to it. */
static void draw_area(est_buf *b, const est_chart *c, const frame *f)
{
	size_t s, i, j, n = c->n_categories;
	double half = n == 1 ? (f->right - f->left) / 6 : 0;

	for (s = 0; s < c->n_series; s++) {
		put(b, "<path fill=\"%s\" fill-opacity=\"0.9\" stroke=\"#ffffff\" stroke-width=\"0.8\" d=\"",
		    colour(s));
		for (i = 0; i < n; i++) {
			double top = 0;
			for (j = 0; j <= s; j++)
				top += c->series[j].values[i];
			put(b, "%s%n %n", i ? "L" : "M", slot(c, f, i) - half, vy(f, top));
			if (n == 1)
				put(b, "L%n %n", slot(c, f, i) + half, vy(f, top));
		}
		for (i = n; i-- > 0;) {
			double under = 0;
			for (j = 0; j < s; j++)
				under += c->series[j].values[i];
			put(b, "L%n %n", slot(c, f, i) + half, vy(f, under));
			if (n == 1)
				put(b, "L%n %n", slot(c, f, i) - half, vy(f, under));
		}
		put(b, "Z\"/>\n");
	}
}

static void draw_tornado(est_buf *b, const est_chart *c, const frame *f)
{
	double row = (f->bottom - f->top) / (double)c->n_categories;
	double bar = fmin(row * 0.4, 14.0);
	char label[64];
	size_t s, i;

	for (i = 0; i < c->n_categories; i++) {
		double y = slot(c, f, i);
		for (s = 0; s < 2; s++)
			rect(b, vx(f, c->base), s ? y : y - bar, vx(f, c->series[s].values[i]),
			     s ? y + bar : y, colour(s));
	}
	est_render_fixed(label, sizeof(label), c->base, est_chart__decimals(&c->base, 1));
	put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
	    vx(f, c->base), f->top - 4, vx(f, c->base), f->bottom, INK);
	put(b, "<text x=\"%n\" y=\"%n\" text-anchor=\"middle\">base %t</text>\n", vx(f, c->base),
	    f->top - 8, sizeof(label), label);
}

static void draw_dots(est_buf *b, const est_chart *c, const frame *f)
{
	size_t s, i;

	for (i = 0; i < c->n_categories; i++) {
		double lo = INFINITY, hi = -INFINITY, y = slot(c, f, i);
		for (s = 0; s < c->n_series; s++)
			span(&c->series[s].values[i], 1, &lo, &hi);
		put(b, "<line x1=\"%n\" y1=\"%n\" x2=\"%n\" y2=\"%n\" stroke=\"#bbbbbb\" stroke-width=\"2\"/>\n",
		    vx(f, lo), y, vx(f, hi), y);
		for (s = 0; s < c->n_series; s++)
			marker(b, s, vx(f, c->series[s].values[i]), y, colour(s));
	}
}

static void draw_scatter(est_buf *b, const est_chart *c, const frame *f)
{
	size_t i;

	for (i = 0; i < c->n_categories; i++) {
		double x = scale(&f->x, c->series[0].values[i], f->left, f->right);
		double y = vy(f, c->series[1].values[i]);
		int right = x + 8 + text_width(c->categories[i], POINT_CHARS, 10) > W - 4;
		put(b, "<circle cx=\"%n\" cy=\"%n\" r=\"4.5\" fill=\"%s\" fill-opacity=\"0.85\"/>\n", x, y,
		    colour(0));
		put(b, "<text x=\"%n\" y=\"%n\" font-size=\"10\"%s>%t</text>\n", right ? x - 7 : x + 7,
		    y - 5, right ? " text-anchor=\"end\"" : "", POINT_CHARS, c->categories[i]);
	}
}

/* ---- the chart ---- */

static void draw(est_buf *b, const est_chart *c, const frame *f)
{
	put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"est-chart\" viewBox=\"0 0 %n %n\" "
	       "width=\"%n\" height=\"%n\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
	       "font-family=\"%s\" font-size=\"%n\" fill=\"%s\">\n",
	    W, H, W, H, c->id, c->id, FONT_STACK, FONT, INK);
	put(b, "<title id=\"%s-title\">%t</title>\n", c->id, (size_t)-1, c->title);
	put(b, "<desc id=\"%s-desc\">%t</desc>\n", c->id, (size_t)-1, c->description);
	put(b, "<rect width=\"%n\" height=\"%n\" fill=\"#ffffff\"/>\n", W, H);
	put(b, "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%t</text>\n",
	    TITLE_CHARS, c->title);
	if (has_legend(c))
		legend(b, c, 44);
	if (f->horizontal) {
		value_axis_horizontal(b, f, &f->v);
	} else {
		value_axis_vertical(b, f, &f->v);
		if (c->kind == EST_CHART_SCATTER)
			value_axis_horizontal(b, f, &f->x);
	}
	if (c->kind != EST_CHART_SCATTER)
		category_axis(b, c, f);
	axis_titles(b, c, f);
	switch (c->kind) {
	case EST_CHART_LINES:
	case EST_CHART_BAND:
		draw_lines(b, c, f);
		break;
	case EST_CHART_COLUMNS:
		draw_columns(b, c, f);
		break;
	case EST_CHART_STACKED:
		draw_stacked(b, c, f);
		break;
	case EST_CHART_AREA:
		draw_area(b, c, f);
		break;
	case EST_CHART_TORNADO:
		draw_tornado(b, c, f);
		break;
	case EST_CHART_DOTS:
		draw_dots(b, c, f);
		break;
	case EST_CHART_SCATTER:
		draw_scatter(b, c, f);
		break;
	}
	put(b, "</svg>\n");
}

int est_chart_svg(est_buf *out, const est_chart *c, est_error *err)
{
	est_buf b;
	frame f;
	int rc;

	assert(out && c);
	rc = est_chart__check(c, err);
	if (rc < 0)
		return rc;
	if (layout(&f, c) < 0)
		return est_error_set(err, EST_EINVALID, NULL, 0, 0,
				     "chart '%s': the values span too wide a range to draw", c->id);
	est_buf_init(&b);
	draw(&b, c, &f);
	rc = b.failed ? EST_EINTERNAL : est_buf_put(out, b.ptr ? b.ptr : "", b.len);
	est_buf_dispose(&b);
	if (rc < 0)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	return 0;
}
