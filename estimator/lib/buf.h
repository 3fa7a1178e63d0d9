/*
 * A growable, always NUL-terminated string buffer for the renderers
 * (internal). Failure is sticky: after the first out-of-memory every call
 * returns EST_EINTERNAL and est_buf_detach returns NULL, so a writer may
 * check once at the end.
 *
 * Ownership: the buffer owns its bytes until est_buf_detach hands them to
 * the caller (who frees them with free()) or est_buf_dispose frees them.
 */
#ifndef ESTIMATOR_BUF_H
#define ESTIMATOR_BUF_H

#include <stddef.h>
#include "estimator/error.h"

typedef struct est_buf {
	char *ptr;      /* NULL until the first write */
	size_t len;     /* bytes written, not counting the NUL */
	size_t cap;     /* bytes allocated */
	int failed;     /* a write failed; the content is incomplete */
} est_buf;

void est_buf_init(est_buf *b);

/* Each returns 0, or EST_EINTERNAL when memory ran out (now or before). */
int est_buf_put(est_buf *b, const char *s, size_t n);
int est_buf_puts(est_buf *b, const char *s);
int est_buf_putc(est_buf *b, char c);
int est_buf_printf(est_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/*
 * The content as a malloc'd string (never NULL on success, "" when nothing
 * was written) with its length in *len (len may be NULL); NULL when a write
 * failed. Either way the buffer is left empty and may be reused.
 */
char *est_buf_detach(est_buf *b, size_t *len);

void est_buf_dispose(est_buf *b);

/*
 * A list of malloc'd lines (notes, conversions): append one formatted line.
 * Returns 0, or EST_EINTERNAL when out of memory (the list is unchanged).
 */
int est_lines_push(char ***lines, size_t *n, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
void est_lines_free(char **lines, size_t n);

#endif
