/*
 * Monte Carlo throughput (docs/uncertainty.md, "Speed"): for each scenario,
 * the median over runs of est_sample_variant's samples per second on 1 and
 * on 2 threads, and of a floor, a bare loop drawing the same variates
 * (samples x uncertain inputs) from one mt19937 through the same inverse
 * transforms, without the model. A benchmark, not a test: bench/run.sh.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <estimator/estimator.h>

#define RUNS_MAX 101

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Seconds for one est_sample_variant call; n_inputs gets the inputs sampled. */
static int time_sampler(double *out, size_t *n_inputs, const est_scenario *s,
			const est_profiles *p, size_t samples, int threads)
{
	est_sample_options o = {samples, 1, threads};
	est_samples *x = NULL;
	est_error err;
	double t0 = now_s();

	if (est_sample_variant(&x, s, p, &o, &err) != 0) {
		fprintf(stderr, "mc_bench: %s: %s\n", s->file, err.message);
		return -1;
	}
	*out = now_s() - t0;
	*n_inputs = x->n_inputs;
	est_samples_free(x);
	return 0;
}

/*
 * The candidates of an "any model" input, from its name "... (any of N)", or
 * 0 for any other input (a scenario distribution or a profile field).
 */
static unsigned long any_of(const char *name)
{
	const char *at = strstr(name, "(any of ");
	unsigned long n = 0;

	return at && sscanf(at, "(any of %lu)", &n) == 1 ? n : 0;
}

/*
 * Seconds for the floor: samples x inputs variates, each a uniform on (0, 1)
 * through its distribution's inverse CDF (est_dist_quantile), a record index
 * for an "any model" input, a bare uniform for a profile field (its
 * distribution is not in the public API). The sum keeps the loop alive.
 */
static double time_floor(const est_scenario *s, const char *const *names, size_t n_inputs,
			 size_t samples, double *sink)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	unsigned long *cand = calloc(n_inputs ? n_inputs : 1, sizeof(*cand));
	double t0, sum = 0;
	size_t i, k;

	if (!r || !cand) {
		gsl_rng_free(r);
		free(cand);
		return NAN;
	}
	for (k = s->n_uncertain; k < n_inputs; k++)
		cand[k] = any_of(names[k]);
	gsl_rng_set(r, 1);
	t0 = now_s();
	for (i = 0; i < samples; i++) {
		for (k = 0; k < s->n_uncertain; k++)
			sum += est_dist_quantile(&s->uncertain[k].dist, gsl_rng_uniform_pos(r));
		for (; k < n_inputs; k++)
			sum += cand[k] ? (double)gsl_rng_uniform_int(r, cand[k]) : gsl_rng_uniform_pos(r);
	}
	t0 = now_s() - t0;
	*sink += sum;
	gsl_rng_free(r);
	free(cand);
	return t0;
}

/* The inputs' names, from a one-sample run. */
static char **input_names(const est_scenario *s, const est_profiles *p, size_t *n)
{
	est_sample_options o = {1, 1, 1};
	est_samples *x = NULL;
	est_error err;
	char **names;

	*n = 0;
	if (est_sample_variant(&x, s, p, &o, &err) != 0)
		return NULL;
	names = x->input_names;
	*n = x->n_inputs;
	x->input_names = NULL;
	x->n_inputs = 0;
	est_samples_free(x);
	return names;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int bench_file(const char *file, const est_profiles *p, size_t samples, size_t runs,
		      double *sink)
{
	est_load_options load = {.base_only = 1};
	est_scenario *s = NULL;
	est_error err;
	double t1[RUNS_MAX], t2[RUNS_MAX], tf[RUNS_MAX], m1, m2, mf;
	char **names = NULL;
	size_t n_inputs = 0, n, i;
	int rc = 0;

	if (est_scenario_load_with(&s, file, p, &load, &err) != 0) {
		fprintf(stderr, "mc_bench: %s:%d:%d: %s\n", err.file, err.line, err.column, err.message);
		return -1;
	}
	names = input_names(s, p, &n_inputs);
	if (n_inputs == 0) {
		fprintf(stderr, "mc_bench: %s: no uncertain inputs, skipped\n", file);
		goto cleanup;
	}
	for (i = 0; i < runs && rc == 0; i++) {
		rc = time_sampler(&t1[i], &n, s, p, samples, 1);
		if (rc == 0)
			rc = time_sampler(&t2[i], &n, s, p, samples, 2);
		tf[i] = time_floor(s, (const char *const *)names, n_inputs, samples, sink);
	}
	if (rc < 0)
		goto cleanup;
	m1 = median(t1, runs);
	m2 = median(t2, runs);
	mf = median(tf, runs);
	printf("%-40s %6zu %12.0f %12.0f %8.3f %14.0f %8.1f\n", base_name(file), n_inputs,
	       (double)samples / m1, (double)samples / m2, m2,
	       (double)(samples * n_inputs) / mf, m2 / mf);
	fflush(stdout);
cleanup:
	for (i = 0; names && i < n_inputs; i++)
		free(names[i]);
	free(names);
	est_scenario_free(s);
	return rc;
}

static int usage(void)
{
	fputs("usage: mc_bench [--profiles DIR] [--samples N] [--runs R] FILE...\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *dir = getenv("ESTIMATOR_PROFILES");
	size_t samples = 100000, runs = 5;
	est_profiles *p = NULL;
	est_error err;
	double sink = 0;
	int i, first = 0, status = 0;

	gsl_set_error_handler_off();
	for (i = 1; i < argc && !first; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--profiles"))
			dir = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--samples"))
			samples = strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && !strcmp(argv[i], "--runs"))
			runs = strtoul(argv[++i], NULL, 10);
		else if (argv[i][0] == '-')
			return usage();
		else
			first = i;
	}
	if (!first || !dir || samples == 0 || samples > EST_SAMPLES_MAX || runs == 0 ||
	    runs > RUNS_MAX)
		return usage();
	if (est_profiles_load(&p, dir, &err) != 0) {
		fprintf(stderr, "mc_bench: %s: %s\n", dir, err.message);
		return 4;
	}
	printf("%zu samples, median of %zu runs; ratio = time on 2 threads / time of the floor\n\n",
	       samples, runs);
	printf("%-40s %6s %12s %12s %8s %14s %8s\n", "scenario", "inputs", "samples/s 1t",
	       "samples/s 2t", "2t s", "floor var/s", "ratio");
	fflush(stdout); /* before any "skipped" line on stderr */
	for (i = first; i < argc; i++)
		if (bench_file(argv[i], p, samples, runs, &sink) < 0)
			status = 1;
	est_profiles_free(p);
	/* the floor's sum, so that no compiler drops its loop; never true */
	if (sink == -1.0)
		puts("");
	return status;
}
