/*
 * User text in messages and text tables (format.c, error.c): control
 * characters, C1 and bytes that are not UTF-8 escaped, valid UTF-8 kept,
 * escaping idempotent and cut at a whole escape; est_text_printf's
 * conversions against printf's; est_error_set escaping the message and the
 * file; est_utf8_check's offsets; JSON strings and CSV fields still holding
 * control characters safely.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/error.h"
#include "format.h"

static const struct {
	const char *in, *want;
} cases[] = {
	{"", ""},
	{"chat", "chat"},
	{"a\nestimator: forged", "a\\nestimator: forged"},
	{"tab\there", "tab\\there"},
	{"cr\r", "cr\\r"},
	{"esc\x1b[31mred", "esc\\x1b[31mred"},
	{"bell\x07", "bell\\x07"},
	{"del\x7f", "del\\x7f"},
	{"back\\slash \\n", "back\\slash \\n"},           /* kept: escaping twice changes nothing */
	{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
	{"csi\xc2\x9b" "31m", "csi\\xc2\\x9b31m"},      /* C1 CSI, valid UTF-8 */
	{"nbsp\xc2\xa0", "nbsp\xc2\xa0"},                /* U+00A0 is not C1 */
	{"bad\xff", "bad\\xff"},
	{"overlong\xc0\x80", "overlong\\xc0\\x80"},
	{"surrogate\xed\xa0\x80", "surrogate\\xed\\xa0\\x80"},
	{"above\xf4\x90\x80\x80", "above\\xf4\\x90\\x80\\x80"},
	{"cut\xe2\x82", "cut\\xe2\\x82"},
	{"lone\x80z", "lone\\x80z"},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void test_escape_cases(void **state)
{
	char out[256], again[256];
	size_t i;

	(void)state;
	for (i = 0; i < N_CASES; i++) {
		size_t n = est_escape(out, sizeof(out), cases[i].in);
		assert_string_equal(out, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
		est_escape(again, sizeof(again), out);
		assert_string_equal(again, out); /* idempotent */
		assert_int_equal(est_utf8_check(out, NULL), 0);
		assert_null(strchr(out, '\n'));
	}
}

/* Cut at a whole character or escape, always NUL-terminated. */
static void test_escape_cut(void **state)
{
	char out[6];

	(void)state;
	assert_int_equal(est_escape(out, sizeof(out), "abcd\ne"), 4);
	assert_string_equal(out, "abcd"); /* "\\n" does not fit: not its backslash alone */
	assert_int_equal(est_escape(out, sizeof(out), "ab\ncd"), 5);
	assert_string_equal(out, "ab\\nc");
	assert_int_equal(est_escape(out, sizeof(out), "abc\x1b"), 3);
	assert_string_equal(out, "abc"); /* "\x1b" does not fit: not half of it */
	assert_int_equal(est_escape(out, sizeof(out), "ab\xe2\x82\xac!"), 5);
	assert_string_equal(out, "ab\xe2\x82\xac");
	assert_int_equal(est_escape(out, 4, "a\xe2\x82\xac"), 1);
	assert_string_equal(out, "a");
	assert_int_equal(est_escape(out, 1, "abc"), 0);
	assert_string_equal(out, "");
	assert_int_equal(est_escape(out, sizeof(out), NULL), 0);
}

static char *text_of(est_buf *b)
{
	char *s = est_buf_detach(b, NULL);

	assert_non_null(s);
	return s;
}

/* Only %s arguments change; every other conversion prints as printf does. */
static void test_text_printf(void **state)
{
	char want[256];
	est_buf b;
	char *s;

	(void)state;
	est_buf_init(&b);
	assert_int_equal(est_text_printf(&b, "  %s: %s\n", "a\nb", "\x1b[2J"), 0);
	s = text_of(&b);
	assert_string_equal(s, "  a\\nb: \\x1b[2J\n");
	free(s);

	assert_int_equal(est_text_printf(&b, "[%-6s|%6s|%-*s|%*s|%.2s|%.*s]", "a\tb", "x", 4, "y", -3,
					 "z", "abcdef", 1, "\nq"),
			 0);
	s = text_of(&b);
	assert_string_equal(s, "[a\\tb  |     x|y   |z  |ab|\\n]");
	free(s);

	snprintf(want, sizeof(want), "%d %5d %-4d| %zu %lu %u %x %c %+.1f%% %.6g %8.3f %e %ld %lld", -7,
		 42, 3, (size_t)123456789, 4294967295UL, 7u, 255u, 'q', 12.345, 1.0 / 3, 2.5, 1e-9,
		 -5L, -6LL);
	assert_int_equal(est_text_printf(&b, "%d %5d %-4d| %zu %lu %u %x %c %+.1f%% %.6g %8.3f %e %ld %lld",
					 -7, 42, 3, (size_t)123456789, 4294967295UL, 7u, 255u, 'q',
					 12.345, 1.0 / 3, 2.5, 1e-9, -5L, -6LL),
			 0);
	s = text_of(&b);
	assert_string_equal(s, want);
	free(s);

	est_text_puts(&b, "n\x01" "ame");
	est_text_puts(&b, NULL);
	s = text_of(&b);
	assert_string_equal(s, "n\\x01ame");
	free(s);
}

/* A name quoted into a message cannot add a line or a terminal escape. */
static void test_error_set(void **state)
{
	est_error err;
	char name[EST_ERROR_MESSAGE_MAX];

	(void)state;
	est_error_clear(&err);
	assert_int_equal(est_error_set(&err, EST_EINVALID, "dir/a\nb.yaml", 3, 4,
				       "unknown grid '%s'", "UK\nestimator: x.yaml:1:1: forged\x1b]0;t\x07"),
			 EST_EINVALID);
	assert_string_equal(err.file, "dir/a\\nb.yaml");
	assert_string_equal(err.message,
			    "unknown grid 'UK\\nestimator: x.yaml:1:1: forged\\x1b]0;t\\x07'");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 4);

	/* an argument may be the record's own message or file */
	snprintf(name, sizeof(name), "%s", err.message);
	est_error_set(&err, EST_EINVALID, err.file, 1, 1, "variant 'v': %s", err.message);
	assert_string_equal(err.file, "dir/a\\nb.yaml");
	assert_int_equal(strncmp(err.message, "variant 'v': ", 13), 0);
	assert_string_equal(err.message + 13, name);

	/* a message of nothing but control characters stays within the record */
	memset(name, '\n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	est_error_set(&err, EST_EINVALID, NULL, 0, 0, "%s", name);
	assert_true(strlen(err.message) < sizeof(err.message));
	assert_int_equal(strlen(err.message) % 2, 0); /* whole "\n" escapes only */
	assert_string_equal(err.file, "");

	{
		char out[16];
		assert_int_equal(est_error_escape(out, sizeof(out), "x\ny"), 4);
		assert_string_equal(out, "x\\ny");
	}
}

static void test_utf8_check(void **state)
{
	size_t at = 99;

	(void)state;
	assert_int_equal(est_utf8_check("", &at), 0);
	assert_int_equal(est_utf8_check("caf\xc3\xa9 \xf0\x9f\x98\x80 \x1b", &at), 0);
	assert_int_equal(at, 99); /* untouched when valid */
	assert_int_equal(est_utf8_check("site.grid=\xff", &at), -1);
	assert_int_equal(at, 10);
	assert_int_equal(est_utf8_check("ab\xc3", &at), -1);
	assert_int_equal(at, 2);
	assert_int_equal(est_utf8_check("\xe2\x82\xac\xed\xbf\xbf", &at), -1);
	assert_int_equal(at, 3);
	assert_int_equal(est_utf8_check("\xc1\xbf", NULL), -1);
}

/* JSON and CSV keep their own rules: \u escapes, and quotes around a line break. */
static void test_json_csv_hold(void **state)
{
	est_buf b;
	char *s;

	(void)state;
	est_buf_init(&b);
	est_render_json_string(&b, "a\nb\x1b\xff");
	s = text_of(&b);
	assert_string_equal(s, "\"a\\nb\\u001b\\ufffd\"");
	free(s);
	est_render_csv_field(&b, "a\nestimator: forged");
	s = text_of(&b);
	assert_string_equal(s, "\"a\nestimator: forged\"");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_cases),
		cmocka_unit_test(test_escape_cut),
		cmocka_unit_test(test_text_printf),
		cmocka_unit_test(test_error_set),
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_json_csv_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
