/*
 * The YAML document layer (yaml_doc.c, overrides.c) on hostile input: nodes
 * added by overrides across the node array's growth (run under ASan: a node
 * pointer held across an add reads freed memory), the limits on size and
 * depth (refused quickly, before libyaml's per-level bookkeeping grows), and
 * what plain YAML excludes (a second document, tags, an alias inside the
 * node it names, a distribution as a distribution's parameter).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "slurp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <estimator/estimator.h>

#include "check.h"
#include "overrides.h"
#include "yaml_doc.h"

#define MINI EST_TEST_DATA "/profiles-mini"
#define HAND1 EST_TEST_DATA "/hand-1.yaml"

/* A growable string. */
typedef struct text {
	char *s;
	size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
	va_list ap;
	int need;

	va_start(ap, fmt);
	need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	assert_true(need >= 0);
	if (t->n + (size_t)need + 1 > t->cap) {
		t->cap = (t->n + (size_t)need + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
	va_end(ap);
	t->n += (size_t)need;
}

/* hand-1 with chat's growth an empirical distribution of `pad` values (40% each): the same scenario, more nodes. */
static text padded_hand(const char *hand, int pad)
{
	const char *at = strstr(hand, "growth: 40%");
	text u = {0};
	int i;

	assert_non_null(at);
	put(&u, "%.*sgrowth: {dist: empirical, values: [", (int)(at - hand), hand);
	for (i = 0; i < pad; i++)
		put(&u, "%s40%%", i ? ", " : "");
	put(&u, "]}%s", at + strlen("growth: 40%"));
	return u;
}

/* The message of loading `data` as a YAML document (NULL when it loads). */
static int load_text(const char *data, est_error *err)
{
	est_ydoc d;
	int rc = est_ydoc_load_buffer(&d, "t.yaml", data, strlen(data), err);

	est_ydoc_dispose(&d);
	return rc;
}

/*
 * An override that adds a key, a mapping and a key below it, on documents of
 * every size across several doublings of libyaml's node array: each added
 * node's errors point at the --set value it came from.
 */
static void override_adds_across_growth(void **state)
{
	int pad;

	(void)state;
	for (pad = 0; pad < 300; pad++) {
		est_ydoc d;
		est_error err;
		est_edit_log log;
		est_ydoc_origin origin;
		text t = {0};
		int i, value, rc, n_before, k;

		put(&t, "site: {grid: DEU}\npad: [");
		for (i = 0; i < pad; i++)
			put(&t, "%s1", i ? "," : "");
		put(&t, "]\n");
		assert_int_equal(est_ydoc_load_buffer(&d, "t.yaml", t.s, t.n, &err), 0);
		memset(&origin, 0, sizeof(origin));
		snprintf(origin.file, sizeof(origin.file), "--set");
		origin.line = 1;
		origin.column = 17;
		value = est_ydoc_add_scalar(&d, "1.2", &origin, 0);
		assert_true(value > 0);
		n_before = (int)(d.doc.nodes.top - d.doc.nodes.start);
		memset(&log, 0, sizeof(log));
		rc = est_override_apply(&d, "site.extra.deeper", value, value, &log, &err);
		assert_int_equal(rc, 0);
		/* 'extra', its mapping and 'deeper': each located at the --set value */
		for (k = n_before + 1; k <= (int)(d.doc.nodes.top - d.doc.nodes.start); k++) {
			rc = est_ydoc_fail(&d, est_ydoc_node(&d, k), &err, "x");
			check_str(err.file, "--set");
			check_int(err.line, 1);
			check_int(err.column, 17);
		}
		check_int((int)(d.doc.nodes.top - d.doc.nodes.start), n_before + 3);
		est_override_undo(&d, &log);
		est_edit_log_dispose(&log);
		est_ydoc_dispose(&d);
		free(t.s);
	}
	finish();
}

/*
 * A --set that adds a key to hand-1, padded to every size across a doubling
 * of the node array: loads, with the value set.
 */
static void cli_set_adds_key_at_every_size(void **state)
{
	est_profiles *mini;
	est_error err;
	size_t len;
	char *hand = est_test_slurp(HAND1, &len);
	est_override ov = {"site.pue", "1.25", "--set", 1, 10};
	est_load_options o = {.overrides = &ov, .n_overrides = 1};
	int pad;

	(void)state;
	assert_int_equal(est_profiles_load(&mini, MINI, &err), 0);
	for (pad = 1; pad < 140; pad++) {
		est_scenario *s = NULL;
		text t = padded_hand(hand, pad);

		check_int(est_scenario_load_buffer_with(&s, "t.yaml", t.s, t.n, mini, &o, &err), 0);
		if (s)
			check_close(s->pue, 1.25);
		est_scenario_free(s);
		free(t.s);
	}
	est_profiles_free(mini);
	free(hand);
	finish();
}

/*
 * A variant whose `set` adds a thousand keys (the node array doubles on the
 * way; a thousand is the most paths one variant may set), and variants whose adds cross a doubling before an error located at
 * the variant itself.
 */
static void variant_adds_many_keys(void **state)
{
	est_profiles *mini;
	est_error err;
	size_t len;
	char *hand = est_test_slurp(HAND1, &len);
	est_scenario *s = NULL;
	text t = {0};
	int i, pad;

	(void)state;
	assert_int_equal(est_profiles_load(&mini, MINI, &err), 0);
	put(&t, "%s\nvariants:\n  - name: many\n    set:\n", hand);
	for (i = 0; i < EST_OVERRIDE_MAX_PATHS; i++)
		put(&t, "      site.k%d: 1\n", i);
	assert_int_equal(est_scenario_load_buffer(&s, "t.yaml", t.s, t.n, mini, &err), EST_EINVALID);
	check_str(err.message, "variant 'many': unknown key 'k0' in site");
	est_scenario_free(s);
	/* one more path is refused at that path, before anything is loaded */
	put(&t, "      site.k%d: 1\n", i);
	assert_int_equal(est_scenario_load_buffer(&s, "t.yaml", t.s, t.n, mini, &err), EST_EINVALID);
	check_str(err.message, "variant 'many': too many paths: at most 1000 are set at once");
	check_int(err.column, 7);
	est_scenario_free(s);
	free(t.s);

	/* the padding: chat's growth as an empirical distribution of `pad` values */
	for (pad = 1; pad < 140; pad++) {
		text u = padded_hand(hand, pad);
		int line = 1;
		const char *p;

		put(&u, "variants:\n  - name: dollars\n    set:\n      site.pue: 1.3\n"
			"      costs.currency: USD\n      costs.exchange_rates: {EUR: 1.1}\n"
			"      costs.storage_price: 110 USD/TB\n");
		s = NULL;
		assert_int_equal(est_scenario_load_buffer(&s, "t.yaml", u.s, u.n, mini, &err),
				 EST_EINVALID);
		check_str(err.message, "variant 'dollars' reports costs in USD, the scenario in EUR: variants must share the currency");
		for (p = u.s; p < strstr(u.s, "- name: dollars"); p++)
			line += *p == '\n';
		check_int(err.line, line);
		check_int(err.column, 5);
		est_scenario_free(s);
		free(u.s);
	}
	est_profiles_free(mini);
	free(hand);
	finish();
}

static double seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* 100,000 nested lists (200 kB) and 10,000 nested distributions: refused at level 65, fast. */
static void deep_input_refused_quickly(void **state)
{
	est_error err;
	text t = {0};
	clock_t start;
	int i;

	(void)state;
	put(&t, "a: ");
	for (i = 0; i < 100000; i++)
		put(&t, "[");
	for (i = 0; i < 100000; i++)
		put(&t, "]");
	put(&t, "\n");
	start = clock();
	check_int(load_text(t.s, &err), EST_EINVALID);
	check_true(seconds_since(start) < 5.0);
	check_str(err.message, "lists and mappings nested 65 levels deep; at most 64 levels are allowed");
	check_int(err.line, 1);
	check_int(err.column, 4 + 63);
	free(t.s);

	memset(&t, 0, sizeof(t));
	put(&t, "growth: ");
	for (i = 0; i < 10000; i++)
		put(&t, "{dist: uniform, min: 1%%, max: ");
	put(&t, "2%%");
	for (i = 0; i < 10000; i++)
		put(&t, "}");
	put(&t, "\n");
	start = clock();
	check_int(load_text(t.s, &err), EST_EINVALID);
	check_true(seconds_since(start) < 5.0);
	check_str(err.message, "lists and mappings nested 65 levels deep; at most 64 levels are allowed");
	free(t.s);

	/* exactly the limit loads */
	memset(&t, 0, sizeof(t));
	put(&t, "a: ");
	for (i = 0; i < EST_YDOC_MAX_DEPTH - 1; i++)
		put(&t, "[");
	for (i = 0; i < EST_YDOC_MAX_DEPTH - 1; i++)
		put(&t, "]");
	check_int(load_text(t.s, &err), 0);
	free(t.s);
	finish();
}

/* A file over the size limit is refused from its size, not read; a device is cut at the limit. */
static void size_limit(void **state)
{
	char path[] = "/tmp/est-yaml-doc-XXXXXX";
	est_ydoc d;
	est_error err;
	clock_t start;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)EST_YDOC_MAX_BYTES + 1), 0); /* sparse */
	close(fd);
	start = clock();
	check_int(est_ydoc_load_file(&d, path, &err), EST_EINVALID);
	est_ydoc_dispose(&d);
	check_true(seconds_since(start) < 0.5);
	check_str(err.message, "too large: more than 16 MiB (16777216 bytes), the limit for an input file");
	check_int(err.line, 0);

	/* exactly the limit is not "too large" (a file of NULs is malformed YAML) */
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)EST_YDOC_MAX_BYTES), 0);
	close(fd);
	est_ydoc_load_file(&d, path, &err);
	est_ydoc_dispose(&d);
	check_true(strstr(err.message, "too large") == NULL);
	unlink(path);

	check_int(est_ydoc_load_file(&d, "/dev/zero", &err), EST_EINVALID);
	est_ydoc_dispose(&d);
	check_str(err.message, "too large: more than 16 MiB (16777216 bytes), the limit for an input file");
	finish();
}

/* I/O errors are EST_EIO with the OS's reason. */
static void io_errors(void **state)
{
	est_ydoc d;
	est_error err;

	(void)state;
	check_int(est_ydoc_load_file(&d, EST_TEST_DATA, &err), EST_EIO);
	est_ydoc_dispose(&d);
	check_str(err.message, "cannot read: Is a directory");
	check_int(est_ydoc_load_file(&d, EST_TEST_DATA "/no-such-file.yaml", &err), EST_EIO);
	est_ydoc_dispose(&d);
	check_str(err.message, "cannot open: No such file or directory");
	finish();
}

typedef struct yaml_case {
	const char *input;
	int status;
	const char *message; /* NULL when it loads */
	int line, column;
} yaml_case;

/* Plain YAML: one document, no tags, aliases only to nodes written before them. */
static void plain_yaml_only(void **state)
{
	static const yaml_case cases[] = {
		{"a: 1\n", 0, NULL, 0, 0},
		{"---\na: 1\n...\n", 0, NULL, 0, 0},
		{"%YAML 1.1\n---\na: 1\n", 0, NULL, 0, 0},
		{"a: &x {b: 1}\nc: *x\nd: [*x, *x]\n", 0, NULL, 0, 0},
		{"a: 1\n---\nb: 2\n", EST_EINVALID,
		 "a second YAML document starts here; a file holds one document", 2, 1},
		{"a: 1\n...\n---\nb: 2\n", EST_EINVALID,
		 "a second YAML document starts here; a file holds one document", 3, 1},
		{"a: !!binary aGk=\n", EST_EINVALID,
		 "tag '!!binary': tags are not supported; write plain YAML", 1, 4},
		{"a: !!str x\n", EST_EINVALID, "tag '!!str': tags are not supported; write plain YAML", 1, 4},
		{"a: ! x\n", EST_EINVALID, "tag '!': tags are not supported; write plain YAML", 1, 4},
		{"a: !foo [1]\n", EST_EINVALID, "tag '!foo': tags are not supported; write plain YAML", 1, 4},
		{"--- !!map\na: 1\n", EST_EINVALID, "tag '!!map': tags are not supported; write plain YAML", 1, 5},
		/* a tag's %-escapes decode to any byte: the message shows none of them */
		{"a: !x%0A%1Bz 1\n", EST_EINVALID, "tag '!x??z': tags are not supported; write plain YAML", 1, 4},
		{"a: &g {dist: uniform, min: *g, max: 5%}\n", EST_EINVALID,
		 "alias '*g' is inside the node it names; an alias must name a node written before it", 1, 28},
		{"a: &s [1, [2, *s]]\n", EST_EINVALID,
		 "alias '*s' is inside the node it names; an alias must name a node written before it", 1, 15},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		est_error err;
		int rc;

		memset(&err, 0, sizeof(err));
		rc = load_text(cases[i].input, &err);
		if (rc != cases[i].status)
			print_error("case %zu: status %d, expected %d (%s)\n", i, rc, cases[i].status,
				    err.message);
		check_int(rc, cases[i].status);
		if (!cases[i].message)
			continue;
		check_str(err.message, cases[i].message);
		check_int(err.line, cases[i].line);
		check_int(err.column, cases[i].column);
	}
	finish();
}

/* A distribution's parameters are single values, even through an alias: never recursed into. */
static int accept_dist(void *ctx, double *field, struct est_dist *dist, const yaml_node_t *node,
		       const char *key, est_error *err)
{
	(void)ctx, (void)field, (void)node, (void)key, (void)err;
	est_dist_dispose(dist);
	return 0;
}

static void dist_parameters_are_values(void **state)
{
	static const char *const inputs[] = {
		"a: &d {dist: fixed, value: 1}\nb: {dist: uniform, min: *d, max: 5}\n",
		"b: {dist: triangular, min: 1, mode: [2], max: 5}\n",
		"b: {dist: lognormal, median: 1, gsd: {dist: fixed, value: 2}}\n",
	};
	static const char *const messages[] = {
		"'min' must be a single value, got a mapping",
		"'mode' must be a single value, got a list",
		"'gsd' must be a single value, got a mapping",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		est_ydoc d;
		est_error err;
		double v;

		assert_int_equal(est_ydoc_load_buffer(&d, "t.yaml", inputs[i], strlen(inputs[i]), &err), 0);
		d.dist_hook = accept_dist;
		check_int(est_ydoc_quantity(&d, est_ydoc_root(&d), "b", "1", 1, &v, NULL, &err),
			  EST_EINVALID);
		check_str(err.message, messages[i]);
		est_ydoc_dispose(&d);
	}
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(override_adds_across_growth),
		cmocka_unit_test(cli_set_adds_key_at_every_size),
		cmocka_unit_test(variant_adds_many_keys),
		cmocka_unit_test(deep_input_refused_quickly),
		cmocka_unit_test(size_limit),
		cmocka_unit_test(io_errors),
		cmocka_unit_test(plain_yaml_only),
		cmocka_unit_test(dist_parameters_are_values),
	};

	/* check.h's fixtures: the real library, loaded once (the tests use profiles-mini) */
	return cmocka_run_group_tests(tests, load_real, free_real);
}
