/*
 * The data behind a chart (chart.h) as a table, in HTML for the report's
 * page and in Markdown for forges: one row per category, one column per
 * series (a band's p5, median and p95; a scatter's x and y).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "format.h"

typedef struct column {
	const char *name;
	const char *suffix;   /* " (p5)" for a band's low end; "" */
	const double *v;
	int decimals;
} column;

/* The columns of c after the first (the categories): a malloc'd array of *n. */
static column *columns(const est_chart *c, size_t *n)
{
	size_t s, k = 0;
	column *cols = calloc(3 * c->n_series, sizeof(*cols));

	if (!cols)
		return NULL;
	for (s = 0; s < c->n_series; s++) {
		const est_chart_series *x = &c->series[s];
		const char *name = x->name;
		if (c->kind == EST_CHART_SCATTER && s == 0 && c->x_label)
			name = c->x_label;
		if (c->kind == EST_CHART_SCATTER && s == 1 && c->y_label)
			name = c->y_label;
		if (c->kind == EST_CHART_BAND)
			cols[k++] = (column){name, " (p5)", x->lo, 0};
		cols[k++] = (column){name, c->kind == EST_CHART_BAND ? " (median)" : "", x->values, 0};
		if (c->kind == EST_CHART_BAND)
			cols[k++] = (column){name, " (p95)", x->hi, 0};
	}
	for (s = 0; s < k; s++)
		cols[s].decimals = est_chart__decimals(cols[s].v, c->n_categories);
	*n = k;
	return cols;
}

static void number(char *out, size_t size, const column *col, size_t i)
{
	est_render_fixed(out, size, col->v[i], col->decimals);
}

/* What the values are, after the title: the value axis's title, and a tornado's base. */
static void caption_tail(est_buf *b, const est_chart *c, void (*text)(est_buf *, const char *))
{
	char base[64];

	if (c->y_label && c->kind != EST_CHART_SCATTER) {
		est_buf_puts(b, " (");
		text(b, c->y_label);
		est_buf_puts(b, ")");
	}
	if (c->kind == EST_CHART_TORNADO) {
		est_render_fixed(base, sizeof(base), c->base, est_chart__decimals(&c->base, 1));
		est_buf_printf(b, ", from a base of %s", base);
	}
}

static int finish(est_buf *out, est_buf *b, column *cols, est_error *err)
{
	int rc = b->failed || !cols ? EST_EINTERNAL : est_buf_put(out, b->ptr ? b->ptr : "", b->len);

	est_buf_dispose(b);
	free(cols);
	if (rc < 0)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	return 0;
}

/* ---- HTML ---- */

static void html_text(est_buf *b, const char *s)
{
	est_chart__xml_text(b, s, (size_t)-1);
}

int est_chart_table_html(est_buf *out, const est_chart *c, est_error *err)
{
	char num[64];
	column *cols;
	size_t n = 0, i, j;
	est_buf b;
	int rc;

	assert(out && c);
	rc = est_chart__check(c, err);
	if (rc < 0)
		return rc;
	est_buf_init(&b);
	cols = columns(c, &n);
	if (!cols)
		return finish(out, &b, cols, err);
	est_buf_puts(&b, "<table class=\"est-chart-data\">\n<caption>");
	html_text(&b, c->title);
	caption_tail(&b, c, html_text);
	est_buf_puts(&b, "</caption>\n<thead><tr><th scope=\"col\">");
	html_text(&b, c->x_label && c->kind != EST_CHART_SCATTER ? c->x_label : "");
	est_buf_puts(&b, "</th>");
	for (j = 0; j < n; j++) {
		est_buf_puts(&b, "<th scope=\"col\" class=\"num\">");
		html_text(&b, cols[j].name);
		est_buf_puts(&b, cols[j].suffix);
		est_buf_puts(&b, "</th>");
	}
	est_buf_puts(&b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < c->n_categories; i++) {
		est_buf_puts(&b, "<tr><th scope=\"row\">");
		html_text(&b, c->categories[i]);
		est_buf_puts(&b, "</th>");
		for (j = 0; j < n; j++) {
			number(num, sizeof(num), &cols[j], i);
			est_buf_printf(&b, "<td class=\"num\">%s</td>", num);
		}
		est_buf_puts(&b, "</tr>\n");
	}
	est_buf_puts(&b, "</tbody>\n</table>\n");
	return finish(out, &b, cols, err);
}

/* ---- Markdown ---- */

/*
 * s in a Markdown table cell, on one line: ASCII punctuation that could
 * start markup, and the cell's '|', behind a backslash (CommonMark lets any
 * be escaped so); '&' as an entity, so that "&copy;" stays text; a control
 * character as a space, a byte that is not UTF-8 as U+FFFD.
 */
static void md_text(est_buf *b, const char *s)
{
	size_t k;

	while (*s) {
		unsigned char ch = (unsigned char)*s;
		k = est_utf8_length(s);
		if (k == 0) {
			est_buf_puts(b, "\xEF\xBF\xBD");
			s++;
			continue;
		}
		if (k > 1 && ch == 0xC2 && (unsigned char)s[1] < 0xA0)
			est_buf_putc(b, ' ');
		else if (k > 1)
			est_buf_put(b, s, k);
		else if (ch == '&')
			est_buf_puts(b, "&amp;");
		else if (ch < 0x20 || ch == 0x7F)
			est_buf_putc(b, ' ');
		else if (strchr("\\|*_`[]<>~#!", ch))
			est_buf_printf(b, "\\%c", ch);
		else
			est_buf_putc(b, (char)ch);
		s += k;
	}
}

int est_chart_table_markdown(est_buf *out, const est_chart *c, est_error *err)
{
	char num[64];
	column *cols;
	size_t n = 0, i, j;
	est_buf b;
	int rc;

	assert(out && c);
	rc = est_chart__check(c, err);
	if (rc < 0)
		return rc;
	est_buf_init(&b);
	cols = columns(c, &n);
	if (!cols)
		return finish(out, &b, cols, err);
	est_buf_puts(&b, "**");
	md_text(&b, c->title);
	est_buf_puts(&b, "**");
	caption_tail(&b, c, md_text);
	est_buf_puts(&b, "\n\n| ");
	md_text(&b, c->x_label && c->kind != EST_CHART_SCATTER ? c->x_label : "");
	for (j = 0; j < n; j++) {
		est_buf_puts(&b, " | ");
		md_text(&b, cols[j].name);
		est_buf_puts(&b, cols[j].suffix);
	}
	est_buf_puts(&b, " |\n| :---");
	for (j = 0; j < n; j++)
		est_buf_puts(&b, " | ---:");
	est_buf_puts(&b, " |\n");
	for (i = 0; i < c->n_categories; i++) {
		est_buf_puts(&b, "| ");
		md_text(&b, c->categories[i]);
		for (j = 0; j < n; j++) {
			number(num, sizeof(num), &cols[j], i);
			est_buf_printf(&b, " | %s", num);
		}
		est_buf_puts(&b, " |\n");
	}
	return finish(out, &b, cols, err);
}
