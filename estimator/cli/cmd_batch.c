/*
 * `estimator batch`: many scenarios in one process, one tidy result set
 * streamed in input order (docs/batch.md). The library discovers the inputs,
 * takes the shard and evaluates (batch.h); this file parses the options,
 * writes the results, the failures table and the manifest (each file whole
 * or not at all) and draws the progress line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* Some scenarios failed; the others' results are written (docs/estimator.1). */
#define CLI_EXIT_FAILED 6

const char cli_batch_usage[] =
	"usage: estimator batch PATH... [--list FILE]... [--format csv|ndjson]\n"
	"                       [--metrics headline|all] [-o FILE | --out DIR]\n"
	"                       [--threads N] [--fail-fast] [--quiet] [--set PATH=VALUE]...\n"
	"                       [--shard K/N | --shard auto [--shard-count N]] [--profiles DIR]\n"
	"                       [--currency CUR [--rate CUR=RATE]...]\n"
	"       estimator batch merge DIR -o FILE\n"
	"\n"
	"Evaluate many scenarios (files, and folders' *.yaml and *.yml files, sorted\n"
	"bytewise, each once) and write one result set in input order: the same\n"
	"numbers as 'estimator run' gives for each file. A scenario that fails\n"
	"becomes a row of a failures table; the others are written, and the exit\n"
	"status is 6.\n"
	"\n"
	"options:\n"
	"  --list FILE       one path a line ('-': standard input); repeatable\n"
	"  --format FORMAT   csv (default: scenario,variant,year,metric,value,unit)\n"
	"                    or ndjson (one estimator-result/1 document a line)\n"
	"  --metrics SET     headline (default) or all (every number, as run's csv)\n"
	"  -o, --output FILE write the results to FILE, its failures to\n"
	"                    FILE.failures.csv and a manifest to FILE.manifest.json,\n"
	"                    each whole or not at all (default: stdout, failures as\n"
	"                    error lines on stderr)\n"
	"  --out DIR         write results.csv (or .ndjson), failures.csv and\n"
	"                    manifest.json into DIR; with --shard, results-K-of-N.csv,\n"
	"                    failures-K-of-N.csv and manifest-K-of-N.json\n"
	"  --threads N       scenarios evaluated at once, 1 to 64 (default 1); the\n"
	"                    output is the same for any number\n"
	"  --fail-fast       stop at the first failure (no file is written)\n"
	"  --quiet           no progress line (it is drawn only when stderr is a terminal)\n"
	"  --set PATH=VALUE  override an input of every scenario (docs/what-if.md)\n"
	"  --shard K/N       take shard K (0-based) of N of the sorted list\n"
	"  --shard auto      the shard from a Slurm, Kubernetes or AWS Batch array job\n"
	"  --shard-count N   the number of shards for --shard auto (Kubernetes)\n"
	"  --profiles DIR    the profile library\n"
	"  --currency CUR    every scenario's costs in CUR, converted at its --rate, else\n"
	"                    at its own costs.exchange_rates entry for CUR (else it fails)\n"
	"  --rate CUR=RATE   1 CUR = RATE of --currency; repeatable\n"
	"  -h, --help        show this help\n"
	"\n"
	"merge DIR -o FILE: join the shards' results in DIR (every manifest present,\n"
	"one input list and profile library, no scenario twice) into FILE, byte for\n"
	"byte the unsharded run's results.\n"
	"\n"
	"exit status: 0 done, 2 usage, 3 invalid input list, 4 I/O error, 5 internal,\n"
	"6 some scenarios failed (the rest are written).\n";

typedef struct batch_opts {
	cli_common common;          /* --set, --profiles */
	const char **paths;
	size_t n_paths;
	const char **lists;
	size_t n_lists;
	est_batch_format format;
	est_metrics metrics;
	const char *output;         /* -o */
	const char *out_dir;        /* --out */
	int threads;
	int fail_fast;
	int quiet;
	const char *shard;          /* --shard */
	size_t shard_count;         /* --shard-count, 0: not given */
	const char *currency;       /* --currency */
	est_rate rates[CLI_MAX_RATES]; /* --rate */
	size_t n_rates;
} batch_opts;

/* ---- files written whole: a temporary name beside the target, renamed ---- */

#define WHOLE_BUFFER (256 * 1024)

int cli_whole_open(cli_whole_file *w, const char *target, est_error *err)
{
	struct stat st;
	int fd;

	memset(w, 0, sizeof(*w));
	if (stat(target, &st) == 0 && S_ISDIR(st.st_mode))
		return est_error_set(err, EST_EIO, target, 0, 0, "cannot write: %s", strerror(EISDIR));
	w->target = strdup(target);
	w->tmp = malloc(strlen(target) + 16);
	if (!w->target || !w->tmp) {
		free(w->target);
		free(w->tmp);
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	}
	sprintf(w->tmp, "%s.tmpXXXXXX", target);
	fd = mkstemp(w->tmp);
	if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			unlink(w->tmp);
		}
		free(w->target);
		free(w->tmp);
		memset(w, 0, sizeof(*w));
		return est_error_set(err, EST_EIO, target, 0, 0, "cannot create: %s", strerror(e));
	}
	/* a batch writes megabytes: one system call a 256 KiB, not a 4 KiB (or the default) */
	w->buf = malloc(WHOLE_BUFFER);
	if (w->buf)
		setvbuf(w->f, w->buf, _IOFBF, WHOLE_BUFFER);
	return 0;
}

void cli_whole_abort(cli_whole_file *w)
{
	if (w->f) {
		fclose(w->f);
		unlink(w->tmp);
	}
	free(w->buf);
	free(w->target);
	free(w->tmp);
	memset(w, 0, sizeof(*w));
}

/* Flush, sync, give the mode a new file gets from a shell's > and rename over the target. */
int cli_whole_commit(cli_whole_file *w, est_error *err)
{
	mode_t mask = umask(0);
	int e = 0;

	umask(mask);
	if (fflush(w->f) != 0 || ferror(w->f) || fsync(fileno(w->f)) != 0 ||
	    fchmod(fileno(w->f), 0666 & ~mask) != 0)
		e = errno ? errno : EIO;
	if (fclose(w->f) != 0 && !e)
		e = errno;
	w->f = NULL;
	if (!e && rename(w->tmp, w->target) != 0)
		e = errno;
	if (e) {
		unlink(w->tmp);
		est_error_set(err, EST_EIO, w->target, 0, 0, "cannot write: %s", strerror(e));
	}
	free(w->buf); /* after fclose, which used it */
	free(w->target);
	free(w->tmp);
	memset(w, 0, sizeof(*w));
	return e ? EST_EIO : 0;
}

static int put(FILE *f, const char *name, const char *text, size_t len, est_error *err)
{
	if (len && fwrite(text, 1, len, f) != len)
		return est_error_set(err, EST_EIO, name, 0, 0, "cannot write: %s",
				     strerror(errno ? errno : EIO));
	return 0;
}

typedef struct names {
	char *results, *failures, *manifest;
} names;

/* a then b then c then d, malloc'd (NULL when out of memory). */
static char *cat4(const char *a, const char *b, const char *c, const char *d)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d) + 1;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s%s", a, b, c, d);
	return p;
}

/* ---- the run's state, seen by the emit callback ---- */

typedef struct progress {
	int on;
	struct timespec start, last;
	size_t total;
	int drawn;
} progress;

typedef struct sink {
	const batch_opts *opt;
	FILE *results;              /* stdout or the results' temporary file */
	const char *results_name;   /* for messages: "" for standard output */
	FILE *failures;             /* NULL: failures as error lines on stderr */
	const char *failures_name;
	est_error err;              /* a write error that stopped the run */
	progress prog;
	size_t done, failed;
} sink;

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_draw(sink *s, int final)
{
	double t = seconds_since(&s->prog.start), rate, left;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && s->prog.drawn &&
	    (double)(now.tv_sec - s->prog.last.tv_sec) +
			    (double)(now.tv_nsec - s->prog.last.tv_nsec) / 1e9 < 0.1)
		return;
	s->prog.last = now;
	rate = t > 0 ? (double)s->done / t : 0;
	left = rate > 0 ? (double)(s->prog.total - s->done) / rate : 0;
	fprintf(stderr, "\r%zu/%zu scenarios, %.0f/s, %zu failed, %.0f s left   ", s->done,
		s->prog.total, rate, s->failed, left);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
	s->prog.drawn = 1;
}

static int emit(void *ctx, const est_batch_item *it)
{
	sink *s = ctx;
	int rc = 0;

	s->done++;
	if (it->status == 0) {
		rc = put(s->results, s->results_name, it->text, it->len, &s->err);
		if (rc == 0 && !s->failures && ferror(s->results))
			rc = est_error_set(&s->err, EST_EIO, "", 0, 0, "cannot write to standard output");
	} else {
		s->failed++;
		if (!s->failures || s->opt->fail_fast) {
			if (s->prog.on && s->prog.drawn)
				fputs("\r\033[K", stderr); /* the error line over the progress line */
			cli_fail(it->error);
		} else {
			char *line = NULL;
			size_t len = 0;
			rc = est_batch_failure_csv(&line, &len, it, &s->err);
			if (rc == 0)
				rc = put(s->failures, s->failures_name, line, len, &s->err);
			free(line);
		}
	}
	if (rc == 0 && s->prog.on)
		progress_draw(s, 0);
	return rc;
}

/* ---- options ---- */

static int push_arg(const char ***v, size_t *n, const char *arg)
{
	const char **p = realloc(*v, (*n + 1) * sizeof(**v));

	if (!p)
		return -1;
	p[(*n)++] = arg;
	*v = p;
	return 0;
}

static int whole_number(const char *value, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (*value < '0' || *value > '9')
		return -1;
	*out = strtoull(value, &end, 10);
	return *end || errno ? -1 : 0;
}

static int parse(batch_opts *o, int argc, char **argv)
{
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int takes = !strcmp(a, "--list") || !strcmp(a, "--format") || !strcmp(a, "--metrics") ||
			    !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--out") ||
			    !strcmp(a, "--threads") || !strcmp(a, "--shard") ||
			    !strcmp(a, "--shard-count") || !strcmp(a, "--currency") ||
			    !strcmp(a, "--rate");
		const char *v;
		unsigned long long n;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(cli_batch_usage, stdout);
			return CLI_HELP;
		}
		if (!strcmp(a, "--fail-fast")) {
			o->fail_fast = 1;
			continue;
		}
		if (!strcmp(a, "--quiet")) {
			o->quiet = 1;
			continue;
		}
		if (!takes) {
			if (!strcmp(a, "--set") || !strcmp(a, "--profiles")) {
				rc = cli_common_option(&o->common, "batch", argc, argv, &i);
				if (rc != 1)
					return rc;
				continue;
			}
			if (a[0] == '-' && a[1])
				return cli_usage("batch", "unknown option '%s'", a);
			if (push_arg(&o->paths, &o->n_paths, a) < 0)
				return cli_usage("batch", "out of memory");
			continue;
		}
		if (i + 1 >= argc)
			return cli_usage("batch", "option '%s' needs a value", a);
		v = argv[++i];
		if (cli_check_utf8("batch", a, v))
			return -EST_EUSAGE;
		if (!strcmp(a, "--list")) {
			if (push_arg(&o->lists, &o->n_lists, v) < 0)
				return cli_usage("batch", "out of memory");
		} else if (!strcmp(a, "--format")) {
			if (est_batch_format_parse(&o->format, v) < 0)
				return cli_usage("batch", "unknown format '%s' (csv or ndjson)", v);
		} else if (!strcmp(a, "--metrics")) {
			if (est_metrics_parse(&o->metrics, v) < 0)
				return cli_usage("batch", "unknown metrics '%s' (headline or all)", v);
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			o->output = v;
		} else if (!strcmp(a, "--out")) {
			o->out_dir = v;
		} else if (!strcmp(a, "--threads")) {
			if (whole_number(v, &n) < 0 || n < 1 || n > EST_BATCH_THREADS_MAX)
				return cli_usage("batch", "--threads must be a whole number from 1 to %d, got '%s'",
						 EST_BATCH_THREADS_MAX, v);
			o->threads = (int)n;
		} else if (!strcmp(a, "--shard")) {
			o->shard = v;
		} else if (!strcmp(a, "--currency") || !strcmp(a, "--rate")) {
			rc = cli_currency_option("batch", a, v, &o->currency, o->rates, &o->n_rates,
						 CLI_MAX_RATES);
			if (rc != 1)
				return rc;
		} else {
			if (whole_number(v, &n) < 0 || n < 1 || n > EST_BATCH_SHARDS_MAX)
				return cli_usage("batch", "--shard-count must be a whole number from 1 to %d, got '%s'",
						 EST_BATCH_SHARDS_MAX, v);
			o->shard_count = (size_t)n;
		}
	}
	if (o->output && o->out_dir)
		return cli_usage("batch", "-o and --out do not go together: -o names one results file, --out a folder for a shard's files");
	if (o->shard_count && !o->shard)
		return cli_usage("batch", "--shard-count goes with --shard auto");
	return 0;
}

static const char *env_get(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* ---- the manifest ---- */

typedef struct manifest_in {
	int argc;
	char **argv;
	const char *profiles_digest;
	const char *inputs_digest;
	const est_batch_shard *shard; /* NULL: none */
	const char *format, *metrics, *results, *failures;
	const est_batch_counts *counts;
	double seconds;
} manifest_in;

static char *manifest_text(const manifest_in *m)
{
	cJSON *root = cJSON_CreateObject(), *args, *o;
	char *text = NULL;
	int i;

	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "format", "estimator-batch-manifest/1");
	cJSON_AddStringToObject(root, "estimator", EST_VERSION_STRING);
	cJSON_AddStringToObject(root, "profiles_digest", m->profiles_digest);
	args = cJSON_AddArrayToObject(root, "arguments");
	for (i = 0; args && i < m->argc; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(m->argv[i]));
	cJSON_AddStringToObject(root, "inputs_digest", m->inputs_digest);
	if (m->shard) {
		o = cJSON_AddObjectToObject(root, "shard");
		cJSON_AddNumberToObject(o, "index", (double)m->shard->index);
		cJSON_AddNumberToObject(o, "count", (double)m->shard->count);
		cJSON_AddStringToObject(o, "source", m->shard->source);
	} else {
		cJSON_AddNullToObject(root, "shard");
	}
	o = cJSON_AddObjectToObject(root, "output");
	cJSON_AddStringToObject(o, "format", m->format);
	cJSON_AddStringToObject(o, "metrics", m->metrics);
	cJSON_AddStringToObject(o, "results", m->results);
	cJSON_AddStringToObject(o, "failures", m->failures);
	o = cJSON_AddObjectToObject(root, "counts");
	cJSON_AddNumberToObject(o, "scenarios", (double)m->counts->scenarios);
	cJSON_AddNumberToObject(o, "succeeded", (double)m->counts->succeeded);
	cJSON_AddNumberToObject(o, "failed", (double)m->counts->failed);
	cJSON_AddNumberToObject(o, "rows", (double)m->counts->rows);
	o = cJSON_AddObjectToObject(root, "timings");
	cJSON_AddNumberToObject(o, "seconds", (double)(long long)(m->seconds * 1000 + 0.5) / 1000);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text) { /* a text file: ends in a line break */
		char *nl = cat4(text, "\n", "", "");
		cJSON_free(text);
		text = nl;
	}
	return text;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}


/* ---- the command ---- */

/* Where -o FILE or --out DIR puts the results, failures and manifest. */
static int output_names(names *nm, const batch_opts *o, const est_batch_shard *shard)
{
	const char *ext = o->format == EST_BATCH_NDJSON ? ".ndjson" : ".csv";
	char tag[64] = "";

	memset(nm, 0, sizeof(*nm));
	if (o->output) {
		nm->results = cat4(o->output, "", "", "");
		nm->failures = cat4(o->output, ".failures.csv", "", "");
		nm->manifest = cat4(o->output, ".manifest.json", "", "");
	} else {
		if (shard)
			snprintf(tag, sizeof(tag), "-%zu-of-%zu", shard->index, shard->count);
		nm->results = cat4(o->out_dir, "/results", tag, ext);
		nm->failures = cat4(o->out_dir, "/failures", tag, ".csv");
		nm->manifest = cat4(o->out_dir, "/manifest", tag, ".json");
	}
	return nm->results && nm->failures && nm->manifest ? 0 : -1;
}

static void names_free(names *nm)
{
	free(nm->results);
	free(nm->failures);
	free(nm->manifest);
}

int cli_cmd_batch(int argc, char **argv)
{
	static batch_opts opt; /* large (the --set table): not on the stack */
	est_batch_input_options io;
	est_batch_inputs *in = NULL;
	est_batch_shard shard_v, *shard = NULL;
	est_batch_run_options ro;
	est_batch_counts counts;
	est_profiles *profiles = NULL;
	cli_whole_file wres, wfail;
	names nm;
	static sink s;
	static est_error err;
	char inputs_digest[EST_BATCH_DIGEST_HEX], profiles_digest[EST_BATCH_DIGEST_HEX];
	char *manifest = NULL;
	size_t begin = 0, end = 0;
	int status = 0, rc, to_files;
	struct timespec t0;

	if (argc > 1 && !strcmp(argv[1], "merge"))
		return cli_batch_merge(argc - 1, argv + 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&opt, 0, sizeof(opt));
	memset(&s, 0, sizeof(s));
	memset(&nm, 0, sizeof(nm));
	memset(&wres, 0, sizeof(wres));
	memset(&wfail, 0, sizeof(wfail));
	est_error_clear(&err);
	opt.threads = 1;
	opt.format = EST_BATCH_CSV;
	opt.metrics = EST_METRICS_HEADLINE;
	rc = parse(&opt, argc, argv);
	if (rc != 0) {
		status = rc == CLI_HELP ? 0 : rc;
		goto cleanup;
	}
	to_files = opt.output && strcmp(opt.output, "-") ? 1 : opt.out_dir != NULL;

	/* the inputs, the shard, the profiles: each error with its own status, nothing written */
	memset(&io, 0, sizeof(io));
	io.paths = opt.paths;
	io.n_paths = opt.n_paths;
	io.lists = opt.lists;
	io.n_lists = opt.n_lists;
	io.list_stdin = stdin;
	rc = est_batch_inputs_collect(&in, &io, &err);
	if (rc == 0 && opt.shard) {
		rc = est_batch_shard_parse(&shard_v, opt.shard, opt.shard_count, env_get, NULL, &err);
		if (rc == 0)
			shard = &shard_v;
	}
	if (rc < 0) {
		status = rc == EST_EUSAGE ? cli_usage("batch", "%s", err.message) : cli_fail(&err);
		goto cleanup;
	}
	end = in->n;
	if (shard)
		est_batch_shard_range(shard, in->n, &begin, &end);
	rc = cli_load_profiles(&profiles, opt.common.profiles_dir, &err);
	if (rc == 0 && to_files)
		rc = est_batch_profiles_digest(est_profiles_dir(profiles), profiles_digest, &err);
	if (rc < 0) {
		status = cli_fail(&err);
		goto cleanup;
	}
	snprintf(inputs_digest, sizeof(inputs_digest), "%s", in->digest);

	/* where it goes */
	s.opt = &opt;
	s.results = stdout;
	s.results_name = "";
	if (to_files) {
		if (opt.out_dir && mkdir(opt.out_dir, 0777) != 0 && errno != EEXIST) {
			est_error_set(&err, EST_EIO, opt.out_dir, 0, 0, "cannot create folder: %s",
				      strerror(errno));
			status = cli_fail(&err);
			goto cleanup;
		}
		if (output_names(&nm, &opt, shard) < 0) {
			est_error_set(&err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			status = cli_fail(&err);
			goto cleanup;
		}
		rc = cli_whole_open(&wres, nm.results, &err);
		if (rc == 0)
			rc = cli_whole_open(&wfail, nm.failures, &err);
		if (rc < 0) {
			status = cli_fail(&err);
			goto cleanup;
		}
		s.results = wres.f;
		s.results_name = nm.results;
		s.failures = wfail.f;
		s.failures_name = nm.failures;
		rc = put(s.failures, nm.failures, EST_BATCH_FAILURES_HEADER,
			 strlen(EST_BATCH_FAILURES_HEADER), &s.err);
	}
	if (opt.format == EST_BATCH_CSV && rc == 0)
		rc = put(s.results, s.results_name, EST_ROWS_HEADER, strlen(EST_ROWS_HEADER), &s.err);
	s.prog.on = !opt.quiet && isatty(STDERR_FILENO);
	s.prog.total = end - begin;
	s.prog.start = t0;

	/* the run */
	memset(&ro, 0, sizeof(ro));
	ro.inputs = in;
	ro.begin = begin;
	ro.end = end;
	ro.profiles = profiles;
	ro.eval = est_eval_options_run();
	ro.eval.load = cli_load_options(&opt.common);
	ro.eval.load.terse = opt.format == EST_BATCH_CSV; /* rows show no notes or lines */
	ro.eval.threads = 1; /* a scenario's sampling runs in its worker */
	ro.format = opt.format;
	ro.metrics = opt.metrics;
	ro.threads = opt.threads;
	ro.fail_fast = opt.fail_fast;
	ro.currency = opt.currency;
	ro.rates = opt.rates;
	ro.n_rates = opt.n_rates;
	if (rc == 0)
		rc = est_batch_run(&ro, emit, &s, &counts, &err);
	if (s.prog.on && s.prog.drawn)
		progress_draw(&s, 1);
	if (rc < 0) {
		status = cli_fail(s.err.code ? &s.err : &err);
		goto cleanup;
	}
	if (!to_files && (fflush(stdout) != 0 || ferror(stdout))) {
		est_error_set(&err, EST_EIO, "", 0, 0, "cannot write to standard output");
		status = cli_fail(&err);
		goto cleanup;
	}
	if (opt.fail_fast && counts.failed) {
		fprintf(stderr, "estimator: --fail-fast: stopped at the first failure after %zu of %zu scenarios%s\n",
			counts.scenarios, end - begin, to_files ? "; nothing is written" : "");
		status = CLI_EXIT_FAILED;
		goto cleanup;
	}

	/* the files, whole: results, failures, then the manifest that vouches for them */
	if (to_files) {
		manifest_in m;
		memset(&m, 0, sizeof(m));
		m.argc = argc;
		m.argv = argv;
		m.profiles_digest = profiles_digest;
		m.inputs_digest = inputs_digest;
		m.shard = shard;
		m.format = opt.format == EST_BATCH_NDJSON ? "ndjson" : "csv";
		m.metrics = opt.metrics == EST_METRICS_ALL ? "all" : "headline";
		m.results = base_name(nm.results);
		m.failures = base_name(nm.failures);
		m.counts = &counts;
		m.seconds = seconds_since(&t0);
		manifest = manifest_text(&m);
		rc = manifest ? 0 : est_error_set(&err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
		if (rc == 0)
			rc = cli_whole_commit(&wres, &err);
		if (rc == 0)
			rc = cli_whole_commit(&wfail, &err);
		if (rc == 0)
			rc = cli_write_output(nm.manifest, manifest, strlen(manifest), &err);
		if (rc < 0) {
			status = cli_fail(&err);
			goto cleanup;
		}
	}
	if (counts.failed) {
		if (to_files)
			fprintf(stderr, "estimator: %zu of %zu scenarios failed; their errors are in %s, the others' results in %s\n",
				counts.failed, counts.scenarios, nm.failures, nm.results);
		else
			fprintf(stderr, "estimator: %zu of %zu scenarios failed; the others' results are written\n",
				counts.failed, counts.scenarios);
		status = CLI_EXIT_FAILED;
	}

cleanup:
	cli_whole_abort(&wres);
	cli_whole_abort(&wfail);
	free(manifest);
	names_free(&nm);
	est_profiles_free(profiles);
	est_batch_inputs_free(in);
	free(opt.paths);
	free(opt.lists);
	return status;
}
