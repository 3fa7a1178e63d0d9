/*
 * est_batch_run (batch.h): the same items, and so the same bytes, for any
 * number of workers on a generated folder with failures in it; failures as
 * rows of the failures table; headline rows equal to `run --format csv`'s
 * rows of the headline metrics for the same file; fail-fast and a stopping
 * emit; the profile library's digest; inputs that change during the run.
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
#include <sys/stat.h>
#include <unistd.h>

#include <estimator/estimator.h>
#include "headlines.h"

static const char *const shipped[] = {
	"bank-documents.yaml",
	"midsize-assistant-images.yaml",
	"research-cluster.yaml",
	"uncertain-assistant-rollout.yaml",
	"whatif-classification-models.yaml",
	"whatif-infrastructure.yaml",
};
#define N_SHIPPED (sizeof(shipped) / sizeof(shipped[0]))
#define N_GENERATED 30

static est_profiles *profiles;
static char folder[] = "/tmp/test_batch_run.XXXXXX";

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* 30 scenarios: shipped ones copied, every 7th broken YAML, every 11th a link to nowhere. */
static int setup(void **state)
{
	est_error err;
	char path[512], src[512];
	size_t i;

	(void)state;
	if (est_profiles_load(&profiles, EST_TEST_PROFILES, &err) != 0)
		return -1;
	if (!mkdtemp(folder))
		return -1;
	for (i = 0; i < N_GENERATED; i++) {
		snprintf(path, sizeof(path), "%s/s%02zu.yaml", folder, i);
		if (i % 7 == 3) {
			spit(path, "version: 1\nname: [\n");
		} else if (i % 11 == 5) {
			snprintf(src, sizeof(src), "%s/nowhere", folder);
			if (symlink(src, path) != 0)
				return -1;
		} else {
			char *text;
			snprintf(src, sizeof(src), "%s/%s", EST_TEST_SCENARIOS, shipped[i % N_SHIPPED]);
			text = est_test_slurp(src, NULL);
			spit(path, text);
			free(text);
		}
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	est_profiles_free(profiles);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", folder);
	return system(cmd) == 0 ? 0 : -1;
}

/* Everything emit was given, as bytes: rows, and failures as the table's lines. */
typedef struct collected {
	char *text;
	size_t len;
	size_t items, stop_after;
	size_t last_index;
} collected;

static void append(collected *c, const char *s, size_t n)
{
	c->text = realloc(c->text, c->len + n + 1);
	assert_non_null(c->text);
	memcpy(c->text + c->len, s, n);
	c->len += n;
	c->text[c->len] = '\0';
}

static int collect(void *ctx, const est_batch_item *it)
{
	collected *c = ctx;

	if (c->items)
		assert_true(it->index > c->last_index); /* input order */
	c->last_index = it->index;
	c->items++;
	if (it->status == 0) {
		append(c, it->text, it->len);
	} else {
		char *line = NULL;
		size_t len = 0;
		est_error err;
		assert_int_equal(est_batch_failure_csv(&line, &len, it, &err), 0);
		append(c, line, len);
		free(line);
	}
	if (c->stop_after && c->items == c->stop_after)
		return EST_EIO;
	return 0;
}

static est_batch_inputs *inputs(void)
{
	est_batch_input_options o;
	est_batch_inputs *in = NULL;
	const char *paths[1];
	est_error err;

	paths[0] = folder;
	memset(&o, 0, sizeof(o));
	o.paths = paths;
	o.n_paths = 1;
	assert_int_equal(est_batch_inputs_collect(&in, &o, &err), 0);
	return in;
}

static est_batch_run_options options(const est_batch_inputs *in, int threads)
{
	est_batch_run_options o;

	memset(&o, 0, sizeof(o));
	o.inputs = in;
	o.end = in->n;
	o.profiles = profiles;
	o.eval = est_eval_options_run();
	o.eval.samples = 32; /* every scenario sampled, quickly */
	o.eval.threads = 1;
	o.format = EST_BATCH_CSV;
	o.metrics = EST_METRICS_HEADLINE;
	o.threads = threads;
	return o;
}

static void test_thread_invariance(void **state)
{
	static const int threads[] = {1, 2, 3, 8, 64, 2, 3};
	static const size_t chunks[] = {0, 0, 0, 0, 0, 1, 2}; /* small: the ring wraps round */
	static const est_batch_format formats[] = {EST_BATCH_CSV, EST_BATCH_NDJSON};
	est_batch_inputs *in = inputs();
	size_t f, t;

	(void)state;
	assert_int_equal(in->n, N_GENERATED);
	for (f = 0; f < 2; f++) {
		collected first;
		memset(&first, 0, sizeof(first));
		for (t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
			est_batch_run_options o = options(in, threads[t]);
			est_batch_counts counts;
			collected c;
			est_error err;
			memset(&c, 0, sizeof(c));
			o.format = formats[f];
			o.chunk = chunks[t];
			assert_int_equal(est_batch_run(&o, collect, &c, &counts, &err), 0);
			assert_int_equal(counts.scenarios, N_GENERATED);
			assert_int_equal(counts.failed, 4 + 3); /* s03 s10 s17 s24; s05 s16 s27 */
			assert_int_equal(counts.succeeded, N_GENERATED - 7);
			assert_int_equal(c.items, N_GENERATED);
			if (t == 0) {
				first = c;
				continue;
			}
			assert_int_equal(c.len, first.len);
			assert_memory_equal(c.text, first.text, c.len);
			free(c.text);
		}
		free(first.text);
	}
	est_batch_inputs_free(in);
}

static int find_failure(void *ctx, const est_batch_item *it)
{
	collected *c = ctx;
	char *line = NULL;
	est_error err;

	if (it->status == 0)
		return 0;
	assert_int_equal(est_batch_failure_csv(&line, NULL, it, &err), 0);
	append(c, line, strlen(line));
	free(line);
	return 0;
}

static void test_failure_rows(void **state)
{
	est_batch_inputs *in = inputs();
	est_batch_run_options o = options(in, 2);
	collected c;
	char want[2048];
	est_error err;

	(void)state;
	memset(&c, 0, sizeof(c));
	o.begin = 3;
	o.end = 6; /* s03 (broken), s04, s05 (a link to nowhere) */
	assert_int_equal(est_batch_run(&o, find_failure, &c, NULL, &err), 0);
	snprintf(want, sizeof(want),
		 "%s/s03.yaml,load,3,%s/s03.yaml:3:1: malformed YAML: did not find expected node content\n"
		 "%s/s05.yaml,load,4,%s/s05.yaml: cannot open: No such file or directory\n",
		 folder, folder, folder, folder);
	assert_string_equal(c.text, want);
	free(c.text);
	est_batch_inputs_free(in);
}

/* A message with a comma and a quote is quoted, its quote doubled. */
static void test_failure_quoting(void **state)
{
	est_batch_item it;
	est_error e;
	char *line = NULL;
	size_t len;

	(void)state;
	memset(&it, 0, sizeof(it));
	est_error_set(&e, EST_EINVALID, "a,b.yaml", 2, 5, "unknown key \"x\", see docs");
	it.scenario = "a,b.yaml";
	it.status = EST_EINVALID;
	it.stage = "load";
	it.error = &e;
	assert_int_equal(est_batch_failure_csv(&line, &len, &it, &e), 0);
	assert_string_equal(line, "\"a,b.yaml\",load,3,\"a,b.yaml:2:5: unknown key \"\"x\"\", see docs\"\n");
	assert_int_equal(len, strlen(line));
	free(line);
}

static void test_fail_fast_and_stop(void **state)
{
	est_batch_inputs *in = inputs();
	est_batch_counts counts;
	collected c;
	est_error err;
	int threads;

	(void)state;
	for (threads = 1; threads <= 4; threads += 3) {
		est_batch_run_options o = options(in, threads);
		o.fail_fast = 1;
		memset(&c, 0, sizeof(c));
		assert_int_equal(est_batch_run(&o, collect, &c, &counts, &err), 0);
		assert_int_equal(counts.scenarios, 4); /* s00..s03, s03 broken */
		assert_int_equal(counts.failed, 1);
		free(c.text);

		o.fail_fast = 0;
		memset(&c, 0, sizeof(c));
		c.stop_after = 2;
		assert_int_equal(est_batch_run(&o, collect, &c, &counts, &err), EST_EIO);
		assert_int_equal(counts.scenarios, 2);
		free(c.text);
	}
	est_batch_inputs_free(in);
}

/* "year,metric" names a headline row: a headline key or its uncertainty.<key>.<q>, in a year. */
static int headline_metric(const char *metric)
{
	size_t k, n;

	if (!strncmp(metric, "uncertainty.", 12)) {
		const char *dot = strrchr(metric, '.');
		metric += 12;
		n = (size_t)(dot - metric);
	} else {
		n = strlen(metric);
	}
	for (k = 0; k < est_n_headlines; k++)
		if (strlen(est_headlines[k].key) == n && !strncmp(est_headlines[k].key, metric, n))
			return 1;
	return 0;
}

/* run's CSV lines (variant,year,metric,value,unit) with a year and a headline metric. */
static char *run_headline_lines(const est_result *r)
{
	char *csv = NULL, *line, *save = NULL, *out = calloc(1, 1);
	size_t len = 0;
	est_error err;

	assert_int_equal(est_render(&csv, NULL, r, EST_FORMAT_CSV, &err), 0);
	for (line = strtok_r(strchr(csv, '\n') + 1, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char copy[1024], *f[3];
		snprintf(copy, sizeof(copy), "%s", line);
		f[0] = copy;
		f[1] = strchr(f[0], ',');
		if (!f[1])
			continue;
		*f[1]++ = '\0';
		f[2] = strchr(f[1], ',');
		if (!f[2])
			continue;
		*f[2]++ = '\0';
		if (!f[1][0] || !strncmp(f[2], "vs_base.", 8) || !strncmp(f[2], "delta.", 6))
			continue;
		{
			char metric[512];
			char *comma = strchr(f[2], ',');
			size_t n = comma ? (size_t)(comma - f[2]) : strlen(f[2]);
			snprintf(metric, sizeof(metric), "%.*s", (int)n, f[2]);
			if (!headline_metric(metric))
				continue;
		}
		out = realloc(out, len + strlen(line) + 2);
		assert_non_null(out);
		memcpy(out + len, line, strlen(line));
		len += strlen(line);
		out[len++] = '\n';
		out[len] = '\0';
	}
	free(csv);
	return out;
}

/* Sorted lines, so that two sets of rows compare as sets. */
static int by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_lines(char *text)
{
	char **v = NULL, *line, *save = NULL, *out;
	size_t n = 0, i, len = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = line;
		len += strlen(line) + 1;
	}
	qsort(v, n, sizeof(*v), by_line);
	out = calloc(len + 1, 1);
	for (i = 0, len = 0; i < n; i++) {
		memcpy(out + len, v[i], strlen(v[i]));
		len += strlen(v[i]);
		out[len++] = '\n';
	}
	free(v);
	return out;
}

static void test_headline_equals_run(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_SHIPPED; i++) {
		char path[512], *rows_only, *a, *b;
		const char *paths[1];
		est_batch_input_options io;
		est_batch_inputs *in = NULL;
		est_batch_run_options o;
		est_evaluation ev;
		collected c;
		est_error err;
		size_t plen;

		snprintf(path, sizeof(path), "%s/%s", EST_TEST_SCENARIOS, shipped[i]);
		paths[0] = path;
		memset(&io, 0, sizeof(io));
		io.paths = paths;
		io.n_paths = 1;
		assert_int_equal(est_batch_inputs_collect(&in, &io, &err), 0);
		o = options(in, 1);
		o.eval.samples = 0; /* run's settings: the scenario's uncertainty: or none */
		if (!strcmp(shipped[i], "uncertain-assistant-rollout.yaml"))
			o.eval.samples = 64; /* its own 2000 are slow under a sanitizer */
		memset(&c, 0, sizeof(c));
		assert_int_equal(est_batch_run(&o, collect, &c, NULL, &err), 0);

		/* batch's rows without the scenario column */
		plen = strlen(path);
		{
			char *src = c.text, *dst;
			rows_only = calloc(c.len + 1, 1);
			dst = rows_only;
			while (*src) {
				char *end = strchr(src, '\n');
				assert_memory_equal(src, path, plen);
				assert_int_equal(src[plen], ',');
				memcpy(dst, src + plen + 1, (size_t)(end - src - (long)plen));
				dst += end - src - (long)plen;
				src = end + 1;
			}
		}
		assert_int_equal(est_evaluate(&ev, path, profiles, &o.eval, &err), 0);
		a = sorted_lines(rows_only);
		{
			char *run = run_headline_lines(ev.result);
			b = sorted_lines(run);
			free(run);
		}
		if (strcmp(a, b)) {
			print_error("%s: batch's headline rows differ from run's\n", shipped[i]);
			fail();
		}
		assert_true(strlen(a) > 0);
		free(a);
		free(b);
		free(rows_only);
		free(c.text);
		est_evaluation_free(&ev);
		est_batch_inputs_free(in);
	}
}

static void test_profiles_digest(void **state)
{
	char a[EST_BATCH_DIGEST_HEX], b[EST_BATCH_DIGEST_HEX], dir[600], path[700];
	est_error err;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/lib", folder);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/x.yaml", dir);
	spit(path, "abc");
	assert_int_equal(est_batch_profiles_digest(dir, a, &err), 0);
	{ /* the path, NUL, the length, NUL, the bytes */
		est_batch_sha256 h;
		char want[EST_BATCH_DIGEST_HEX];
		est_batch_sha256_init(&h);
		est_batch_sha256_update(&h, "x.yaml\0" "3\0" "abc", 12);
		est_batch_sha256_hex(&h, want);
		assert_string_equal(a, want);
	}
	spit(path, "abd");
	assert_int_equal(est_batch_profiles_digest(dir, b, &err), 0);
	assert_string_not_equal(a, b);
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	spit(path, "ignored");
	assert_int_equal(est_batch_profiles_digest(dir, a, &err), 0);
	assert_string_equal(a, b);
	snprintf(path, sizeof(path), "%s/nowhere", dir);
	assert_int_equal(est_batch_profiles_digest(path, a, &err), EST_EIO);
}

/*
 * The list is walked again by the run: a file added, removed or renamed
 * since the inputs were collected is an I/O error of the run (after the
 * block, or as soon as the walk runs short), on one thread or several.
 */
static void test_inputs_changed(void **state)
{
	static const int threads[] = {1, 3};
	char extra[600], moved[600], *text;
	size_t t;

	(void)state;
	snprintf(extra, sizeof(extra), "%s/s%02d.yaml", folder, 99);
	snprintf(moved, sizeof(moved), "%s/s%02d.yaml", folder, 0);
	text = est_test_slurp(moved, NULL);
	for (t = 0; t < 2; t++) {
		est_batch_inputs *in = inputs();
		est_batch_run_options o = options(in, threads[t]);
		collected c;
		est_error err;
		int rc;

		/* a file added at the end of the list: found when the rest is walked */
		spit(extra, "version: 1\n");
		memset(&c, 0, sizeof(c));
		est_error_clear(&err);
		rc = est_batch_run(&o, collect, &c, NULL, &err);
		assert_int_equal(rc, EST_EIO);
		assert_string_equal(err.message,
				    "the scenario files changed during the run (files added, removed or "
				    "renamed since they were listed); run it again");
		free(c.text);
		/* the same block of a shard: the rest is walked all the same */
		o.end = 5;
		memset(&c, 0, sizeof(c));
		assert_int_equal(est_batch_run(&o, collect, &c, NULL, &err), EST_EIO);
		assert_int_equal(c.items, 5);
		free(c.text);
		assert_int_equal(unlink(extra), 0);
		est_batch_inputs_free(in);

		/* a file renamed: as many files, another list */
		in = inputs();
		o = options(in, threads[t]);
		assert_int_equal(rename(moved, extra), 0);
		memset(&c, 0, sizeof(c));
		assert_int_equal(est_batch_run(&o, collect, &c, NULL, &err), EST_EIO);
		assert_int_equal(c.items, in->n);
		free(c.text);
		/* a file removed: the walk runs short inside the block */
		assert_int_equal(unlink(extra), 0);
		memset(&c, 0, sizeof(c));
		assert_int_equal(est_batch_run(&o, collect, &c, NULL, &err), EST_EIO);
		/* one thread: every file there is; several: the error comes when the walk,
		 * up to a window of chunks ahead, runs short */
		if (threads[t] == 1)
			assert_int_equal(c.items, in->n - 1);
		else
			assert_true(c.items < in->n - 1);
		free(c.text);
		spit(moved, text);
		/* as it was: the run is whole again */
		memset(&c, 0, sizeof(c));
		assert_int_equal(est_batch_run(&o, collect, &c, NULL, &err), 0);
		assert_int_equal(c.items, in->n);
		free(c.text);
		est_batch_inputs_free(in);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_invariance),
		cmocka_unit_test(test_failure_rows),
		cmocka_unit_test(test_failure_quoting),
		cmocka_unit_test(test_fail_fast_and_stop),
		cmocka_unit_test(test_headline_equals_run),
		cmocka_unit_test(test_profiles_digest),
		cmocka_unit_test(test_inputs_changed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
