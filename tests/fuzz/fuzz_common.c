/*
 * The checks shared by the fuzz targets (fuzz_common.h) and their scratch
 * files.
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzz_fail(const char *what, const est_error *err)
{
	if (err)
		fprintf(stderr, "fuzz: %s: status %d, file '%s', line %d, column %d, message '%s'\n",
			what, (int)err->code, err->file, err->line, err->column, err->message);
	else
		fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

/*
 * EST_FUZZ_LAX_MESSAGES=1 lets control characters pass (an empty message
 * still fails): to look past a known defect of that kind while it is open.
 * CI never sets it.
 */
static int lax(void)
{
	static int value = -1;

	if (value < 0) {
		const char *v = getenv("EST_FUZZ_LAX_MESSAGES");
		value = v && v[0] == '1';
	}
	return value;
}

static int bad_text(const char *s)
{
	const unsigned char *p;

	if (!s[0])
		return 1;
	if (lax())
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

void fuzz_check_text(const char *what, const char *msg)
{
	if (bad_text(msg)) {
		fprintf(stderr, "fuzz: %s: empty message or a control character in '%s'\n", what, msg);
		abort();
	}
}

void fuzz_check(int rc, const est_error *err, int located)
{
	if (rc == 0)
		return;
	if (rc != (int)err->code)
		fuzz_fail("the status returned differs from the error record's", err);
	switch (rc) {
	case EST_ETARGET:
	case EST_EUSAGE:
	case EST_EINVALID:
	case EST_EIO:
		break;
	case EST_EINTERNAL:
		fuzz_fail("internal error on a small input", err);
		break;
	default:
		fuzz_fail("a status the library does not document", err);
	}
	if (bad_text(err->message))
		fuzz_fail("empty message, or a newline or control character in it", err);
	if (bad_text(err->file) && err->file[0])
		fuzz_fail("a control character in the error's file name", err);
	if (located && rc == EST_EINVALID && (!err->file[0] || err->line <= 0))
		fuzz_fail("an invalid-input error without FILE:LINE:COL", err);
}

static char scratch[256];

static void remove_scratch(void)
{
	char cmd[300];

	if (scratch[0] && snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch) < (int)sizeof(cmd))
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: could not remove %s\n", scratch);
}

const char *fuzz_scratch(void)
{
	if (!scratch[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(scratch, sizeof(scratch), "%s/est-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(scratch))
			fuzz_fail("cannot make a scratch directory", NULL);
		atexit(remove_scratch);
	}
	return scratch;
}

void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		fuzz_fail("cannot write a scratch file", NULL);
}

char *fuzz_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n = -1;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		fuzz_fail(path, NULL);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		fuzz_fail(path, NULL);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		fuzz_fail("out of memory in the harness", NULL);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
