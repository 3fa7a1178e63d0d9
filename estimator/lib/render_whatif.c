/*
 * The pieces the compare and sweep renderers share (whatif_internal.h):
 * numbers in text with render_text.c's conventions, text tables, a JSON
 * writer in render_json.c's layout (two-space indent, one key a line) and
 * CSV fields.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whatif_internal.h"

#define GAP 2            /* spaces between table columns */
#define PART_MAX 64      /* value columns in one part of a table */

/* ---- numbers in text ---- */

/* No trailing zeros after the point ("12.5", "455,000", "0.0035"). */
void est_whatif__amount(char out[EST_WHATIF_CELL_MAX], double v)
{
	est_render_amount(out, EST_WHATIF_CELL_MAX, v);
}

void est_whatif__change(char out[EST_WHATIF_CELL_MAX], double first, double x)
{
	char num[EST_WHATIF_CELL_MAX];

	est_whatif__amount(num, x - first);
	if (first == 0)
		snprintf(out, EST_WHATIF_CELL_MAX, "%s%.40s (n/a)", x > first ? "+" : "", num);
	else if (x == first)
		snprintf(out, EST_WHATIF_CELL_MAX, "0 (0.0%%)");
	else
		snprintf(out, EST_WHATIF_CELL_MAX, "%s%.40s (%+.1f%%)", x > first ? "+" : "", num,
			 (x - first) / first * 100.0);
}

const char *est_whatif__unit(const est_headline *h, const char *currency)
{
	return est_headline_unit(h, currency);
}

/* ---- text tables ---- */

int est_whatif__table_init(est_whatif_table *t, size_t n_rows, size_t n_cols, size_t n_key,
			   size_t head_min)
{
	memset(t, 0, sizeof(*t));
	t->head_min = head_min;
	t->n_rows = n_rows;
	t->n_cols = n_cols;
	t->n_key = n_key;
	t->head = calloc(n_cols, sizeof(*t->head));
	t->cells = calloc(n_rows * n_cols + 1, sizeof(*t->cells));
	t->left = calloc(n_cols, sizeof(*t->left));
	t->width = calloc(n_cols, sizeof(*t->width));
	return t->head && t->cells && t->left && t->width ? 0 : EST_EINTERNAL;
}

void est_whatif__table_dispose(est_whatif_table *t)
{
	free(t->head);
	free(t->cells);
	free(t->left);
	free(t->width);
}

char *est_whatif__cell(const est_whatif_table *t, size_t row, size_t col)
{
	return t->cells[row * t->n_cols + col];
}

/*
 * The length of the word at s: up to a space, where a "/" after the space
 * belongs to the word before it ("name / variant" breaks after the slash).
 */
static size_t word_length(const char *s)
{
	size_t n = strcspn(s, " ");

	while (s[n] == ' ' && s[n + 1] == '/')
		n += 1 + strcspn(s + n + 1, " ");
	return n;
}

static size_t longest_word(const char *s)
{
	size_t best = 0, n;

	s += strspn(s, " ");
	while (*s) {
		n = word_length(s);
		if (n > best)
			best = n;
		s += n;
		s += strspn(s, " ");
	}
	return best;
}

/*
 * Line `line` (0-based) of s wrapped greedily between words to `width`,
 * into out; returns the number of lines s takes.
 */
static size_t wrap_line(const char *s, size_t width, size_t line,
			char out[EST_WHATIF_CELL_MAX])
{
	size_t n_lines = 0, len, n;
	const char *start, *next;

	out[0] = '\0';
	s += strspn(s, " ");
	while (*s) {
		start = s;
		s += word_length(s);
		for (;;) {
			next = s + strspn(s, " ");
			if (!*next)
				break;
			n = word_length(next);
			if ((size_t)(next - start) + n > width)
				break;
			s = next + n;
		}
		len = (size_t)(s - start);
		if (n_lines == line && len < EST_WHATIF_CELL_MAX) {
			memcpy(out, start, len);
			out[len] = '\0';
		}
		n_lines++;
		s += strspn(s, " ");
	}
	return n_lines;
}

static void measure(est_whatif_table *t)
{
	size_t i, j, w, h;

	for (j = 0; j < t->n_cols; j++) {
		w = longest_word(t->head[j]);
		for (i = 0; i < t->n_rows; i++)
			if (strlen(est_whatif__cell(t, i, j)) > w)
				w = strlen(est_whatif__cell(t, i, j));
		h = strlen(t->head[j]);
		if (h > w)
			w = h < t->head_min ? h : (w > t->head_min ? w : t->head_min);
		t->width[j] = w;
	}
}

/* A line being written: spaces are held back so that no line ends in one. */
typedef struct line {
	est_buf *b;
	size_t pending;
} line;

static void put_cell(line *l, const char *s, size_t width, int left, int first)
{
	size_t n = strlen(s), fill = n < width ? width - n : 0;

	if (!first)
		l->pending += GAP;
	if (!left)
		l->pending += fill;
	if (n > 0) {
		while (l->pending > 0) {
			est_buf_putc(l->b, ' ');
			l->pending--;
		}
		est_buf_puts(l->b, s);
	}
	if (left)
		l->pending += fill;
}

static void end_line(line *l)
{
	l->pending = 0;
	est_buf_putc(l->b, '\n');
}

/* Print the key columns and the value columns [from, to). */
static void print_part(est_buf *b, const est_whatif_table *t, size_t from, size_t to)
{
	char text[EST_WHATIF_CELL_MAX];
	size_t cols[1 + EST_SWEEP_MAX_VARY + PART_MAX];
	size_t n = 0, i, j, k, h, n_head = 1, width = 0;
	line l = {b, 0};

	for (j = 0; j < t->n_key; j++)
		cols[n++] = j;
	for (j = from; j < to && n < sizeof(cols) / sizeof(cols[0]); j++)
		cols[n++] = j;
	for (k = 0; k < n; k++) {
		h = wrap_line(t->head[cols[k]], t->width[cols[k]], 0, text);
		if (h > n_head)
			n_head = h;
		width += (k ? GAP : 0) + t->width[cols[k]];
	}
	/* headers bottom-aligned */
	for (i = 0; i < n_head; i++) {
		for (k = 0; k < n; k++) {
			j = cols[k];
			h = wrap_line(t->head[j], t->width[j], 0, text);
			if (i >= n_head - h)
				wrap_line(t->head[j], t->width[j], i - (n_head - h), text);
			else
				text[0] = '\0';
			put_cell(&l, text, t->width[j], t->left[j], k == 0);
		}
		end_line(&l);
	}
	for (k = 0; k < width; k++)
		est_buf_putc(b, '-');
	est_buf_putc(b, '\n');
	for (i = 0; i < t->n_rows; i++) {
		for (k = 0; k < n; k++) {
			j = cols[k];
			put_cell(&l, est_whatif__cell(t, i, j), t->width[j], t->left[j], k == 0);
		}
		end_line(&l);
	}
}

/* The table in as many parts as EST_WHATIF_TEXT_WIDTH needs, a blank line between them. */
void est_whatif__table_print(est_buf *b, est_whatif_table *t)
{
	size_t key = 0, j, from, width;

	measure(t);
	for (j = 0; j < t->n_key; j++)
		key += (j ? GAP : 0) + t->width[j];
	for (from = t->n_key; from < t->n_cols;) {
		width = key;
		j = from;
		do {
			width += GAP + t->width[j];
			j++;
		} while (j < t->n_cols && width + GAP + t->width[j] <= EST_WHATIF_TEXT_WIDTH &&
			 j - from < PART_MAX);
		if (from > t->n_key)
			est_buf_putc(b, '\n');
		print_part(b, t, from, j);
		from = j;
	}
}

/* ---- JSON ---- */

static void put_key(est_whatif_json *j, const char *key)
{
	if (j->depth > 0) {
		if (!j->first[j->depth])
			est_buf_putc(j->b, ',');
		j->first[j->depth] = 0;
		est_buf_putc(j->b, '\n');
		for (int i = 0; i < j->depth; i++)
			est_buf_puts(j->b, "  ");
	}
	if (key) {
		est_render_json_string(j->b, key);
		est_buf_puts(j->b, ": ");
	}
}

void est_whatif__json_open(est_whatif_json *j, const char *key, char bracket)
{
	put_key(j, key);
	est_buf_putc(j->b, bracket);
	assert(j->depth + 1 < EST_WHATIF_JSON_DEPTH);
	j->first[++j->depth] = 1;
}

void est_whatif__json_close(est_whatif_json *j, char bracket)
{
	j->depth--;
	est_buf_putc(j->b, '\n');
	for (int i = 0; i < j->depth; i++)
		est_buf_puts(j->b, "  ");
	est_buf_putc(j->b, bracket);
	if (j->depth == 0)
		est_buf_putc(j->b, '\n');
}

void est_whatif__json_string(est_whatif_json *j, const char *key, const char *s)
{
	put_key(j, key);
	est_render_json_string(j->b, s);
}

/* v is finite: the renderers check every number first. */
void est_whatif__json_number(est_whatif_json *j, const char *key, double v)
{
	char num[EST_NUMBER_MAX];

	put_key(j, key);
	est_render_number(num, v);
	est_buf_puts(j->b, num);
}

void est_whatif__json_null(est_whatif_json *j, const char *key)
{
	put_key(j, key);
	est_buf_puts(j->b, "null");
}

/* ---- CSV ---- */

void est_whatif__csv_field(est_buf *b, const char *s)
{
	est_render_csv_field(b, s);
}

void est_whatif__csv_number(est_buf *b, double v)
{
	char num[EST_NUMBER_MAX];

	est_render_number(num, v);
	est_buf_puts(b, num);
}

/* ---- the renderers' frame ---- */

int est_whatif__check_format(est_format f, est_error *err)
{
	if (f != EST_FORMAT_TEXT && f != EST_FORMAT_JSON && f != EST_FORMAT_CSV)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown output format %d", (int)f);
	return 0;
}

int est_whatif__finish(est_buf *b, int rc, char **out, size_t *len, const char *what,
		       est_error *err)
{
	/* a renderer fails only when memory runs out */
	*out = rc == 0 ? est_buf_detach(b, len) : NULL;
	est_buf_dispose(b);
	if (!*out)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory rendering %s", what);
	return 0;
}
