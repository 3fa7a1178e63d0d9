/*
 * RFC 4180 CSV, read whole into one table: a single pass over the bytes
 * copies each field's unquoted text into one arena and records where the
 * field starts, then checks every record against the header's field count.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"

/* A field while parsing: its text is an offset into the arena until the end. */
typedef struct pending_field {
	size_t off;
	int line, column;
} pending_field;

typedef struct parser {
	const char *s;
	size_t len, i;
	int line, column;             /* of s[i] */
	const char *file;
	est_error *err;
	est_buf text;
	pending_field *fields;
	size_t n_fields, cap_fields;
} parser;

static int oom(parser *p)
{
	return est_error_set(p->err, EST_EINTERNAL, p->file, 0, 0, "out of memory");
}

static int fail_at(parser *p, int line, int column, const char *msg)
{
	return est_error_set(p->err, EST_EINVALID, p->file, line, column, "%s", msg);
}

static int at_end(const parser *p)
{
	return p->i >= p->len;
}

static int at_eol(const parser *p)
{
	return !at_end(p) && (p->s[p->i] == '\n' ||
			      (p->s[p->i] == '\r' && p->i + 1 < p->len && p->s[p->i + 1] == '\n'));
}

/* Step over one byte; a column is one character, so UTF-8 continuation bytes do not count. */
static void advance(parser *p)
{
	unsigned char c = (unsigned char)p->s[p->i++];

	if (c == '\n') {
		p->line++;
		p->column = 1;
	} else if ((c & 0xC0) != 0x80) {
		p->column++;
	}
}

static void skip_eol(parser *p)
{
	if (p->s[p->i] == '\r')
		advance(p);
	advance(p);
}

static int push_field(parser *p, size_t off, int line, int column)
{
	if (p->n_fields == EST_CSV_MAX_FIELDS) {
		char msg[96];
		snprintf(msg, sizeof(msg), "more than %d fields, the limit on an imported CSV file",
			 EST_CSV_MAX_FIELDS);
		return fail_at(p, line, column, msg);
	}
	if (p->n_fields == p->cap_fields) {
		size_t cap = p->cap_fields ? p->cap_fields * 2 : 64;
		pending_field *grown = realloc(p->fields, cap * sizeof(*grown));
		if (!grown)
			return oom(p);
		p->fields = grown;
		p->cap_fields = cap;
	}
	p->fields[p->n_fields].off = off;
	p->fields[p->n_fields].line = line;
	p->fields[p->n_fields].column = column;
	p->n_fields++;
	return 0;
}

/*
 * The length of the UTF-8 sequence at s[0] (Unicode 15, table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the bytes
 * are not one.
 */
static size_t utf8_length(const unsigned char *s, size_t avail)
{
	size_t n, k;
	unsigned char lo = 0x80, hi = 0xBF;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (k = 2; k < n; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return n;
}

/* One character of a field's text: a byte, or a whole UTF-8 sequence. */
static int copy_char(parser *p)
{
	const unsigned char *u = (const unsigned char *)p->s + p->i;
	size_t n = utf8_length(u, p->len - p->i), k;
	char msg[96];

	if (n == 0) {
		snprintf(msg, sizeof(msg), "byte 0x%02X is not UTF-8 (a CSV file must be UTF-8 text)",
			 u[0]);
		return fail_at(p, p->line, p->column, msg);
	}
	if (est_buf_put(&p->text, p->s + p->i, n) < 0)
		return oom(p);
	for (k = 0; k < n; k++)
		advance(p);
	return 0;
}

static int quoted(parser *p, int line, int column)
{
	int rc;

	advance(p); /* the opening quote */
	for (;;) {
		char c;
		if (at_end(p))
			return fail_at(p, line, column, "unterminated quoted field");
		c = p->s[p->i];
		if (c == '\0')
			return fail_at(p, p->line, p->column, "NUL byte in the file");
		if (c == '"') {
			advance(p);
			if (at_end(p) || p->s[p->i] != '"')
				break;
		}
		if ((rc = copy_char(p)) < 0)
			return rc;
	}
	if (!at_end(p) && !at_eol(p) && p->s[p->i] != ',')
		return fail_at(p, p->line, p->column,
			       "unexpected character after a closing quote (a quote inside a field is written \"\")");
	return 0;
}

static int unquoted(parser *p)
{
	int rc;

	while (!at_end(p) && !at_eol(p) && p->s[p->i] != ',') {
		char c = p->s[p->i];
		if (c == '"')
			return fail_at(p, p->line, p->column,
				       "quote inside an unquoted field (quote the whole field)");
		if (c == '\0')
			return fail_at(p, p->line, p->column, "NUL byte in the file");
		if ((rc = copy_char(p)) < 0)
			return rc;
	}
	return 0;
}

/* One record from s[i]: its fields are appended; *end_line/col is where it stops. */
static int record(parser *p, int *end_line, int *end_column)
{
	int rc;

	for (;;) {
		int line = p->line, column = p->column;
		size_t off = p->text.len;

		rc = !at_end(p) && p->s[p->i] == '"' ? quoted(p, line, column) : unquoted(p);
		if (rc == 0 && est_buf_putc(&p->text, '\0') < 0)
			rc = oom(p);
		if (rc == 0)
			rc = push_field(p, off, line, column);
		if (rc < 0)
			return rc;
		if (at_end(p) || at_eol(p))
			break;
		advance(p); /* the comma */
	}
	*end_line = p->line;
	*end_column = p->column;
	if (!at_end(p))
		skip_eol(p);
	return 0;
}

static int check_width(parser *p, size_t first, size_t n_cols, int end_line, int end_column)
{
	size_t n = p->n_fields - first;
	char msg[128];

	if (n == n_cols)
		return 0;
	snprintf(msg, sizeof(msg), "row has %zu field%s, the header has %zu", n, n == 1 ? "" : "s",
		 n_cols);
	if (n > n_cols) /* at the first field too many */
		return fail_at(p, p->fields[first + n_cols].line, p->fields[first + n_cols].column, msg);
	return fail_at(p, end_line, end_column, msg);
}

static int parse_all(parser *p, size_t *n_cols)
{
	int rc = 0, end_line, end_column;

	*n_cols = 0;
	if (p->len >= 3 && !memcmp(p->s, "\xEF\xBB\xBF", 3))
		p->i = 3; /* a byte order mark is not a character of the first field */
	while (!at_end(p)) {
		size_t first = p->n_fields;
		if (at_eol(p)) { /* an empty line is no record */
			skip_eol(p);
			continue;
		}
		rc = record(p, &end_line, &end_column);
		if (rc < 0)
			return rc;
		if (first == 0)
			*n_cols = p->n_fields;
		else if ((rc = check_width(p, first, *n_cols, end_line, end_column)) < 0)
			return rc;
	}
	if (p->n_fields == 0)
		return fail_at(p, 1, 1, "empty file: no header row");
	return 0;
}

int est_csv_parse(est_csv **out, const char *name, const char *data, size_t len,
		  est_error *err)
{
	parser p;
	est_csv *c = NULL;
	size_t n_cols, i;
	int rc;

	assert(out && name && (data || !len));
	*out = NULL;
	if (len > EST_CSV_MAX_BYTES)
		return est_error_set(err, EST_EINVALID, name, 0, 0,
				     "larger than %d MiB, the limit on an imported CSV file",
				     EST_CSV_MAX_BYTES >> 20);
	memset(&p, 0, sizeof(p));
	p.s = data;
	p.len = len;
	p.line = p.column = 1;
	p.file = name;
	p.err = err;
	est_buf_init(&p.text);
	rc = parse_all(&p, &n_cols);
	if (rc < 0)
		goto cleanup;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->fields_ = calloc(p.n_fields, sizeof(*c->fields_))) ||
	    !(c->text_ = est_buf_detach(&p.text, NULL))) {
		rc = oom(&p);
		goto cleanup;
	}
	snprintf(c->file, sizeof(c->file), "%s", name);
	for (i = 0; i < p.n_fields; i++) {
		c->fields_[i].text = c->text_ + p.fields[i].off;
		c->fields_[i].line = p.fields[i].line;
		c->fields_[i].column = p.fields[i].column;
	}
	c->n_cols = n_cols;
	c->header = c->fields_;
	c->n_rows = p.n_fields / n_cols - 1;
	c->cells = c->fields_ + n_cols;
	*out = c;
	c = NULL;
cleanup:
	est_csv_free(c);
	est_buf_dispose(&p.text);
	free(p.fields);
	return rc;
}

int est_csv_read_file(est_csv **out, const char *path, est_error *err)
{
	FILE *f;
	char *data = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	assert(out && path);
	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	/* read in chunks and stop one byte past the cap: /dev/zero must not fill memory */
	for (;;) {
		size_t got;
		if (len == cap) {
			char *grown;
			if (cap > EST_CSV_MAX_BYTES) {
				rc = est_error_set(err, EST_EINVALID, path, 0, 0,
						   "larger than %d MiB, the limit on an imported CSV file",
						   EST_CSV_MAX_BYTES >> 20);
				goto cleanup;
			}
			cap = cap ? cap * 2 : 65536;
			if (cap > EST_CSV_MAX_BYTES)
				cap = EST_CSV_MAX_BYTES + 1;
			grown = realloc(data, cap);
			if (!grown) {
				rc = est_error_set(err, EST_EINTERNAL, path, 0, 0, "out of memory");
				goto cleanup;
			}
			data = grown;
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		rc = est_error_set(err, EST_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
	if (rc == 0)
		rc = est_csv_parse(out, path, data, len, err);
cleanup:
	free(data);
	fclose(f);
	return rc;
}

void est_csv_free(est_csv *c)
{
	if (!c)
		return;
	free(c->text_);
	free(c->fields_);
	free(c);
}

int est_csv_column(const est_csv *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_cols; i++)
		if (!strcmp(c->header[i].text, name))
			return (int)i;
	return -1;
}

const est_csv_field *est_csv_cell(const est_csv *c, size_t row, size_t col)
{
	assert(row < c->n_rows && col < c->n_cols);
	return &c->cells[row * c->n_cols + col];
}

int est_csv_fail(const est_csv *c, const est_csv_field *f, est_error *err, const char *fmt, ...)
{
	char msg[EST_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return est_error_set(err, EST_EINVALID, c->file, f ? f->line : 1, f ? f->column : 1, "%s",
			     msg);
}
