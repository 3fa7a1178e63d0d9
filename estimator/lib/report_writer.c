/*
 * The report's two forms (docs/report.md): HTML, one self-contained,
 * print-ready page (a Content-Security-Policy that forbids the network, no
 * script, system fonts, print CSS with @page for A4 and Letter, no table or
 * chart split across pages, headings as PDF bookmarks), and Markdown that
 * renders on the common forges.
 */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "report_internal.h"

static const char css[] =
	"html { font-family: system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Roboto, "
	"'Helvetica Neue', Arial, sans-serif; font-size: 10pt; color: #1a1a1a; line-height: 1.4; }\n"
	"body { margin: 0 auto; max-width: 180mm; }\n"

	"h1 { font-size: 18pt; margin: 0 0 4pt 0; }\n"
	"h2 { font-size: 13pt; margin: 14pt 0 4pt 0; break-after: avoid; page-break-after: avoid; "
	"border-bottom: 0.5pt solid #ccc; }\n"
	"h3 { font-size: 11pt; margin: 10pt 0 3pt 0; break-after: avoid; }\n"
	"p.subtitle { color: #444; margin: 0 0 10pt 0; }\n"
	"ul.figures { list-style: none; padding: 0; margin: 6pt 0 8pt 0; display: grid; "
	"grid-template-columns: 1fr 1fr; gap: 4pt 6pt; break-inside: avoid; page-break-inside: avoid; }\n"
	"ul.figures li { border: 0.5pt solid #ccc; border-left: 3pt solid #0072b2; padding: 3pt 7pt; "
	"font-size: 9pt; color: #333; }\n"
	"ul.figures b { display: block; font-size: 14pt; color: #1a1a1a; "
	"font-variant-numeric: tabular-nums; }\n"
	"ul.figures .range { display: block; color: #555; font-size: 8.5pt; }\n"
	"figure { margin: 6pt 0 10pt 0; break-inside: avoid; page-break-inside: avoid; }\n"
	"svg.est-chart { width: 100%; height: auto; max-height: 72mm; }\n"
	"table { border-collapse: collapse; margin: 4pt 0 8pt 0; font-size: 8.5pt; "
	"break-inside: avoid; page-break-inside: avoid; }\n"
	"caption { text-align: left; font-weight: 600; padding-bottom: 2pt; white-space: nowrap; }\n"
	"th, td { border-bottom: 0.4pt solid #ccc; padding: 1.5pt 5pt; text-align: left; "
	"vertical-align: top; }\n"
	"th { border-bottom: 0.8pt solid #666; }\n"
	"td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
	"th.num { text-align: right; }\n"
	"table { max-width: 100%; }\n"
	"section { break-before: auto; }\n"
	"p.note { color: #444; font-size: 9pt; }\n"
	"footer.generated { margin-top: 14pt; font-size: 8pt; color: #555; }\n";

static void text(est_rw *w, const char *s)
{
	const char *p;

	if (w->html) {
		est_chart__xml_text(w->b, s, (size_t)-1);
		return;
	}
	for (p = s; *p; p++) { /* Markdown: the characters that would start markup */
		if (strchr("\\`*_[]<>|#", *p))
			est_buf_putc(w->b, '\\');
		est_buf_putc(w->b, *p == '\n' ? ' ' : *p);
	}
}

/* s inside a CSS string in a <style> element: quotes and backslashes escaped, no "<" (the element would end). */
static void css_string(est_rw *w, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20)
			est_buf_printf(w->b, "\\%02X ", c);
		else
			est_buf_putc(w->b, *s);
	}
}

void est_rw_begin(est_rw *w, const char *title, const char *subtitle)
{
	if (w->rc < 0)
		return;
	if (!w->html) {
		est_buf_puts(w->b, "# ");
		text(w, title);
		est_buf_puts(w->b, "\n\n");
		if (subtitle) {
			text(w, subtitle);
			est_buf_puts(w->b, "\n\n");
		}
		return;
	}
	est_buf_puts(w->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			   "style-src 'unsafe-inline'; img-src data:\">\n"
			   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			   "<title>");
	text(w, title);
	est_buf_puts(w->b, "</title>\n<style>\n");
	/* the page: A4 or Letter, a running header and page numbers in its margins */
	est_buf_printf(w->b, "@page { size: %s; margin: 20mm 16mm 18mm 16mm;\n"
			     "  @top-left { content: \"", w->paper && !strcmp(w->paper, "letter") ? "Letter" : "A4");
	css_string(w, title);
	est_buf_puts(w->b, " \\00B7  procurement report\"; font-size: 8pt; color: #555; }\n"
			   "  @bottom-right { content: \"page \" counter(page) \" of \" counter(pages); "
			   "font-size: 8pt; color: #555; } }\n");
	est_buf_puts(w->b, css);
	est_buf_puts(w->b, "</style>\n</head>\n<body>\n<h1>");
	text(w, title);
	est_buf_puts(w->b, "</h1>\n");
	if (subtitle) {
		est_buf_puts(w->b, "<p class=\"subtitle\">");
		text(w, subtitle);
		est_buf_puts(w->b, "</p>\n");
	}
}

void est_rw_end(est_rw *w)
{
	if (w->rc < 0 || !w->html)
		return;
	est_buf_puts(w->b, "</body>\n</html>\n");
}

void est_rw_heading(est_rw *w, int level, const char *id, const char *s)
{
	if (w->rc < 0)
		return;
	if (!w->html) {
		est_buf_puts(w->b, level == 2 ? "## " : "### ");
		text(w, s);
		est_buf_puts(w->b, "\n\n");
		return;
	}
	est_buf_printf(w->b, "<h%d", level);
	if (id)
		est_buf_printf(w->b, " id=\"%s\"", id);
	est_buf_putc(w->b, '>');
	text(w, s);
	est_buf_printf(w->b, "</h%d>\n", level);
}

static void vpara(est_rw *w, const char *open, const char *close, const char *fmt, va_list ap)
{
	char line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	if (w->html)
		est_buf_puts(w->b, open);
	text(w, line);
	est_buf_puts(w->b, w->html ? close : "\n\n");
}

void est_rw_para(est_rw *w, const char *fmt, ...)
{
	va_list ap;

	if (w->rc < 0)
		return;
	va_start(ap, fmt);
	vpara(w, "<p>", "</p>\n", fmt, ap);
	va_end(ap);
}

void est_rw_item(est_rw *w, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (w->rc < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (w->html) {
		if (!w->in_list)
			est_buf_puts(w->b, "<ul>\n");
		w->in_list = 1;
		est_buf_puts(w->b, "<li>");
		text(w, line);
		est_buf_puts(w->b, "</li>\n");
	} else {
		est_buf_puts(w->b, "- ");
		text(w, line);
		est_buf_putc(w->b, '\n');
	}
}

void est_rw_list_end(est_rw *w)
{
	if (w->rc < 0)
		return;
	if (w->html && w->in_list)
		est_buf_puts(w->b, "</ul>\n");
	else if (!w->html)
		est_buf_putc(w->b, '\n');
	w->in_list = 0;
}

void est_rw_figures(est_rw *w, const char *const *labels, const char *const *values,
		    const char *const *notes, size_t n)
{
	size_t i;

	if (w->rc < 0)
		return;
	if (w->html)
		est_buf_puts(w->b, "<ul class=\"figures\">\n");
	for (i = 0; i < n; i++) {
		const char *note = notes ? notes[i] : NULL;
		if (w->html) {
			est_buf_puts(w->b, "<li>");
			text(w, labels[i]);
			est_buf_puts(w->b, ": <b>");
			text(w, values[i]);
			est_buf_puts(w->b, "</b>");
			if (note && *note) {
				est_buf_puts(w->b, " <span class=\"range\">");
				text(w, note);
				est_buf_puts(w->b, "</span>");
			}
			est_buf_puts(w->b, "</li>\n");
		} else {
			est_buf_puts(w->b, "- ");
			text(w, labels[i]);
			est_buf_puts(w->b, ": **");
			text(w, values[i]);
			est_buf_puts(w->b, "**");
			if (note && *note) {
				est_buf_puts(w->b, " ");
				text(w, note);
			}
			est_buf_puts(w->b, "\n");
		}
	}
	est_buf_puts(w->b, w->html ? "</ul>\n" : "\n");
}

void est_rw_table(est_rw *w, const char *caption, const char *const *headers, size_t n_cols,
		  const char *const *cells, size_t n_rows, const int *numeric)
{
	size_t i, j;

	if (w->rc < 0)
		return;
	if (!w->html) {
		if (caption) {
			est_buf_puts(w->b, "**");
			text(w, caption);
			est_buf_puts(w->b, "**\n\n");
		}
		for (j = 0; j < n_cols; j++) {
			est_buf_puts(w->b, "| ");
			text(w, headers[j]);
			est_buf_putc(w->b, ' ');
		}
		est_buf_puts(w->b, "|\n");
		for (j = 0; j < n_cols; j++)
			est_buf_puts(w->b, numeric && numeric[j] ? "|---:" : "|---");
		est_buf_puts(w->b, "|\n");
		for (i = 0; i < n_rows; i++) {
			for (j = 0; j < n_cols; j++) {
				est_buf_puts(w->b, "| ");
				text(w, cells[i * n_cols + j]);
				est_buf_putc(w->b, ' ');
			}
			est_buf_puts(w->b, "|\n");
		}
		est_buf_putc(w->b, '\n');
		return;
	}
	est_buf_puts(w->b, "<table>\n");
	if (caption) {
		est_buf_puts(w->b, "<caption>");
		text(w, caption);
		est_buf_puts(w->b, "</caption>\n");
	}
	est_buf_puts(w->b, "<thead><tr>");
	for (j = 0; j < n_cols; j++) {
		est_buf_puts(w->b, numeric && numeric[j] ? "<th class=\"num\">" : "<th>");
		text(w, headers[j]);
		est_buf_puts(w->b, "</th>");
	}
	est_buf_puts(w->b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n_rows; i++) {
		est_buf_puts(w->b, "<tr>");
		for (j = 0; j < n_cols; j++) {
			est_buf_puts(w->b, numeric && numeric[j] ? "<td class=\"num\">" : "<td>");
			text(w, cells[i * n_cols + j]);
			est_buf_puts(w->b, "</td>");
		}
		est_buf_puts(w->b, "</tr>\n");
	}
	est_buf_puts(w->b, "</tbody>\n</table>\n");
}

void est_rw_chart(est_rw *w, const est_chart *c)
{
	if (w->rc < 0)
		return;
	if (!w->html) {
		w->rc = est_chart_table_markdown(w->b, c, w->err);
		est_buf_putc(w->b, '\n');
		return;
	}
	est_buf_puts(w->b, "<figure>\n");
	w->rc = est_chart_svg(w->b, c, w->err);
	if (w->rc == 0)
		w->rc = est_chart_table_html(w->b, c, w->err);
	est_buf_puts(w->b, "</figure>\n");
}
