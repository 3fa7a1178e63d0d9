/*
 * The error record: filling it (user text escaped), naming status codes,
 * and checking text for UTF-8. The library reports every failure through an
 * est_error the caller owns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "estimator/error.h"
#include "format.h"

void est_error_clear(est_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

int est_error_set(est_error *err, est_status code, const char *file, int line,
		  int column, const char *fmt, ...)
{
	char message[EST_ERROR_MESSAGE_MAX], name[EST_ERROR_FILE_MAX];
	va_list ap;

	if (!err)
		return code;
	/* formatted aside first: an argument may be err->message or err->file */
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	est_escape(name, sizeof(name), file ? file : "");
	err->code = code;
	memcpy(err->file, name, sizeof(err->file));
	err->line = line;
	err->column = column;
	est_escape(err->message, sizeof(err->message), message);
	return code;
}

size_t est_error_escape(char *out, size_t size, const char *in)
{
	return est_escape(out, size, in);
}

int est_utf8_check(const char *s, size_t *offset)
{
	size_t i = 0, n;

	while (s[i]) {
		n = est_utf8_length(s + i);
		if (n == 0) {
			if (offset)
				*offset = i;
			return -1;
		}
		i += n;
	}
	return 0;
}

const char *est_strerror(est_status code)
{
	switch (code) {
	case EST_OK:
		return "success";
	case EST_ETARGET:
		return "goal not met";
	case EST_EUSAGE:
		return "usage error";
	case EST_EINVALID:
		return "invalid input";
	case EST_EIO:
		return "input/output error";
	case EST_EINTERNAL:
		return "internal error";
	}
	return "unknown error";
}
