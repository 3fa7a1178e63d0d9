/*
 * A whole test file in memory (unit tests only): NUL-terminated, its length
 * in *len when len is not NULL; a missing or empty file fails the test.
 */
#ifndef EST_TEST_SLURP_H
#define EST_TEST_SLURP_H

#include <stdio.h>
#include <stdlib.h>

static inline char *est_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return s;
}

#endif
