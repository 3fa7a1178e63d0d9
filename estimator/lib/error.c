/*
 * The error record: filling it and naming status codes. The library reports
 * every failure through an est_error the caller owns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "estimator/error.h"

void est_error_clear(est_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

int est_error_set(est_error *err, est_status code, const char *file, int line,
		  int column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
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
