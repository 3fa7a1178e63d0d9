/*
 * A small RFC 4180 CSV reader for the importers (internal): a header row,
 * then records of the same number of fields; quoted fields with doubled
 * quotes and line breaks inside; CRLF or LF line ends. Every field keeps the
 * line and column where it starts, so that a bad value can be reported at
 * FILE:LINE:COL.
 *
 * Ownership: est_csv_read_file and est_csv_parse return an owned table freed
 * with est_csv_free; field texts are borrowed from it.
 */
#ifndef ESTIMATOR_CSV_H
#define ESTIMATOR_CSV_H

#include <stddef.h>

#include "estimator/error.h"

/* Limits on one file (docs/profiles.md, "Importing measurements"). */
#define EST_CSV_MAX_BYTES (64 << 20)   /* 64 MiB, checked while reading */
#define EST_CSV_MAX_FIELDS 4000000     /* header and cells together */

typedef struct est_csv_field {
	const char *text;  /* unquoted, NUL-terminated; "" for an empty field */
	int line, column;  /* 1-based; column counts characters, not bytes */
} est_csv_field;

typedef struct est_csv {
	char file[EST_ERROR_FILE_MAX]; /* the name errors carry */
	size_t n_cols;                 /* fields in the header, and in every row */
	const est_csv_field *header;
	size_t n_rows;                 /* records after the header */
	const est_csv_field *cells;    /* n_rows x n_cols, row by row */
	char *text_;                   /* internal: the field texts */
	est_csv_field *fields_;        /* internal: header, then cells */
} est_csv;

/*
 * Read and parse a whole file. EST_EIO when it cannot be read; EST_EINVALID,
 * located, when it is empty, has an unterminated quote, a stray quote, a
 * record with the wrong number of fields, a NUL byte or bytes that are not
 * UTF-8, or is larger than EST_CSV_MAX_BYTES (reading stops there) or has
 * more than EST_CSV_MAX_FIELDS fields. A UTF-8 byte order mark is skipped;
 * empty lines between records are skipped.
 */
int est_csv_read_file(est_csv **out, const char *path, est_error *err);

/* The same on text in memory; `name` is the file name errors carry. */
int est_csv_parse(est_csv **out, const char *name, const char *data, size_t len,
		  est_error *err);

void est_csv_free(est_csv *c);

/* The index of the header field equal to name, or -1. */
int est_csv_column(const est_csv *c, const char *name);

/* The cell of a row (0-based, after the header) and column. */
const est_csv_field *est_csv_cell(const est_csv *c, size_t row, size_t col);

/* A located EST_EINVALID error at field f (or at the file's first line when f is NULL). */
int est_csv_fail(const est_csv *c, const est_csv_field *f, est_error *err, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

#endif
