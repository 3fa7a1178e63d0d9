/*
 * The renderers' string buffer: amortised doubling growth, NUL termination
 * kept after every write, and a sticky failure flag (see buf.h).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BUF_MIN_CAP 256

void est_buf_init(est_buf *b)
{
	assert(b);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

/* Make room for `extra` more bytes plus the NUL. */
static int reserve(est_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return EST_EINTERNAL;
	if (extra >= SIZE_MAX - b->len)
		goto fail;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : BUF_MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->ptr, cap);
	if (!p)
		goto fail;
	b->ptr = p;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return EST_EINTERNAL;
}

int est_buf_put(est_buf *b, const char *s, size_t n)
{
	assert(b);
	assert(s || n == 0);
	if (reserve(b, n) < 0)
		return EST_EINTERNAL;
	if (n > 0)
		memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int est_buf_puts(est_buf *b, const char *s)
{
	assert(s);
	return est_buf_put(b, s, strlen(s));
}

int est_buf_putc(est_buf *b, char c)
{
	return est_buf_put(b, &c, 1);
}

int est_buf_printf(est_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t avail;
	int n;

	assert(b);
	assert(fmt);
	if (reserve(b, 0) < 0)
		return EST_EINTERNAL;
	avail = b->cap - b->len;
	va_start(ap, fmt);
	n = vsnprintf(b->ptr + b->len, avail, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto fail;
	if ((size_t)n >= avail) {
		if (reserve(b, (size_t)n) < 0)
			return EST_EINTERNAL;
		va_start(ap, fmt);
		n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			goto fail;
	}
	b->len += (size_t)n;
	return 0;
fail:
	/* An encoding error leaves the content in doubt, like running out of memory. */
	b->ptr[b->len] = '\0';
	b->failed = 1;
	return EST_EINTERNAL;
}

char *est_buf_detach(est_buf *b, size_t *len)
{
	char *s = NULL;

	assert(b);
	if (len)
		*len = 0;
	if (reserve(b, 0) < 0)
		goto cleanup;
	s = b->ptr;
	if (len)
		*len = b->len;
	b->ptr = NULL;
cleanup:
	est_buf_dispose(b);
	return s;
}

void est_buf_dispose(est_buf *b)
{
	if (!b)
		return;
	free(b->ptr);
	est_buf_init(b);
}

int est_lines_push(char ***lines, size_t *n, const char *fmt, ...)
{
	char line[512];
	char **grown;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	grown = realloc(*lines, (*n + 1) * sizeof(*grown));
	if (!grown)
		return EST_EINTERNAL;
	*lines = grown;
	grown[*n] = strdup(line);
	if (!grown[*n])
		return EST_EINTERNAL;
	(*n)++;
	return 0;
}

void est_lines_free(char **lines, size_t n)
{
	while (n)
		free(lines[--n]);
	free(lines);
}
