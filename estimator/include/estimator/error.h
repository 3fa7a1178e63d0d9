/*
 * Status codes and the caller-owned error record every fallible call fills.
 *
 * Ownership: an est_error is a plain value owned by the caller (usually on its
 * stack); the library writes into it and never allocates inside it.
 */
#ifndef ESTIMATOR_ERROR_H
#define ESTIMATOR_ERROR_H

#include <stddef.h>

/* Negative status values; the CLI exits with the absolute value. */
typedef enum est_status {
	EST_OK = 0,
	EST_ETARGET = -1,   /* computed, but a goal was not met or did not converge */
	EST_EUSAGE = -2,    /* the call itself is wrong (bad option, bad path syntax) */
	EST_EINVALID = -3,  /* invalid input: scenario or profile */
	EST_EIO = -4,       /* a file could not be read or written */
	EST_EINTERNAL = -5  /* out of memory or a numerical failure */
} est_status;

#define EST_ERROR_FILE_MAX 1024
#define EST_ERROR_MESSAGE_MAX 512

typedef struct est_error {
	est_status code;
	char file[EST_ERROR_FILE_MAX]; /* "" when the error has no file */
	int line;                      /* 1-based; 0 when unknown */
	int column;                    /* 1-based; 0 when unknown */
	char message[EST_ERROR_MESSAGE_MAX];
} est_error;

void est_error_clear(est_error *err);

/*
 * Fill err (when not NULL) and return code. file may be NULL. The message
 * and the file name are stored escaped (est_error_escape): a name or value
 * quoted into a message cannot break it over lines or send a terminal
 * escape sequence.
 */
int est_error_set(est_error *err, est_status code, const char *file, int line,
		  int column, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/*
 * Text for a message: copy in to out (size > 0 bytes, always
 * NUL-terminated, cut at a whole character) with each control character
 * (C0, DEL, C1) and each byte that is not UTF-8 written as an escape:
 * "\n", "\t", "\r" or "\xHH". A backslash stays as it is, so escaping
 * twice changes nothing. Returns the length written.
 */
size_t est_error_escape(char *out, size_t size, const char *in);

/*
 * 0 when s is valid UTF-8 (no overlong form, surrogate or code point above
 * U+10FFFF); otherwise -1 with the offset of the first byte that is not
 * part of a valid sequence in *offset (offset may be NULL).
 */
int est_utf8_check(const char *s, size_t *offset);

/* A short generic text for a status, e.g. "invalid input". */
const char *est_strerror(est_status code);

#endif
