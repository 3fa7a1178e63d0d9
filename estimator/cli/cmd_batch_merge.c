/*
 * `estimator batch merge DIR [-o FILE]`: the shards' results in DIR joined
 * into one result set, byte for byte the unsharded run's (docs/batch.md,
 * "Merging shards"). Every manifest of the N shards must be there, from one
 * input list and one profile library, in one format; each results file must
 * hold the rows its manifest counts; scenarios must follow each other in
 * the sorted order, so none appears twice.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

typedef struct shard_file {
	int seen;
	char *manifest;            /* path */
	char *results, *failures;  /* paths, from the manifest's output names */
	double rows;
} shard_file;

typedef struct merge {
	const char *dir;
	size_t count;              /* N, from the first manifest */
	shard_file *shards;
	char inputs_digest[EST_BATCH_DIGEST_HEX];
	char profiles_digest[EST_BATCH_DIGEST_HEX];
	char format[16], metrics[16];
	char *sets;                /* the first manifest's --set values, NUL-separated */
	char *last;                /* the last scenario written */
	size_t records;            /* of the current results file */
	est_error *err;
} merge;

static char *cat3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", a, b, c);
	return p;
}

static char *slurp(const char *path, est_error *err)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		est_error_set(err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *p;
			cap = cap ? 2 * cap : 8192;
			p = realloc(s, cap);
			if (!p || cap > (1 << 20)) {
				free(p ? p : s);
				fclose(f);
				est_error_set(err, EST_EINVALID, path, 0, 0, "not a batch manifest: over 1 MiB");
				return NULL;
			}
			s = p;
		}
		n = fread(s + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	s[len] = '\0';
	fclose(f);
	return s;
}

static const char *str_at(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		v = cJSON_GetObjectItemCaseSensitive(v, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int num_at(const cJSON *o, const char *a, const char *b, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, a), b);

	if (!cJSON_IsNumber(v))
		return -1;
	*out = v->valuedouble;
	return 0;
}

/* A plain file name: no folder part, so that a manifest cannot point outside DIR. */
static int plain_name(const char *s)
{
	return s && *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* The --set values among a manifest's arguments, each followed by a NUL, or NULL. */
static char *set_values(const cJSON *root)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(root, "arguments"), *a;
	char *out = calloc(1, 1), *p;
	size_t len = 0;
	int after_set = 0;

	cJSON_ArrayForEach(a, args) {
		if (!out || !cJSON_IsString(a))
			continue;
		if (after_set) {
			size_t n = strlen(a->valuestring) + 1;
			p = realloc(out, len + n + 1);
			if (!p) {
				free(out);
				return NULL;
			}
			out = p;
			memcpy(out + len, a->valuestring, n);
			len += n;
			out[len] = '\0';
		}
		after_set = !strcmp(a->valuestring, "--set");
	}
	return out;
}

static int same_sets(const char *a, const char *b)
{
	while (*a && *b && !strcmp(a, b)) {
		a += strlen(a) + 1;
		b += strlen(b) + 1;
	}
	return !*a && !*b;
}

/* One manifest: checked against the first, its shard recorded. */
static int read_manifest(merge *m, const char *name)
{
	char *path = cat3(m->dir, "/", name), *text = NULL;
	const char *in_d, *pr_d, *fmt, *met, *res, *fai;
	double index, count, rows;
	cJSON *root = NULL;
	char *sets = NULL;
	shard_file *s;
	int rc = 0;

	if (!path)
		return est_error_set(m->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	text = slurp(path, m->err);
	if (!text) {
		free(path);
		return m->err->code;
	}
	root = cJSON_Parse(text);
	in_d = str_at(root, "inputs_digest", NULL);
	pr_d = str_at(root, "profiles_digest", NULL);
	fmt = str_at(root, "output", "format");
	met = str_at(root, "output", "metrics");
	res = str_at(root, "output", "results");
	fai = str_at(root, "output", "failures");
	if (!root || !str_at(root, "format", NULL) ||
	    strcmp(str_at(root, "format", NULL), "estimator-batch-manifest/1") || !in_d || !pr_d ||
	    strlen(in_d) != 64 || strlen(pr_d) != 64 || !fmt || !met || !plain_name(res) ||
	    !plain_name(fai) || num_at(root, "counts", "rows", &rows) < 0) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "not an estimator-batch-manifest/1 with digests, output and counts");
		goto cleanup;
	}
	if (num_at(root, "shard", "index", &index) < 0 || num_at(root, "shard", "count", &count) < 0 ||
	    count < 1 || count > EST_BATCH_SHARDS_MAX || index < 0 || index >= count ||
	    index != (double)(size_t)index || count != (double)(size_t)count) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "not a shard's manifest: no shard index and count (run with --shard)");
		goto cleanup;
	}
	sets = set_values(root);
	if (!sets) {
		rc = est_error_set(m->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
		goto cleanup;
	}
	if (!m->shards) {
		m->sets = sets;
		sets = NULL;
		m->count = (size_t)count;
		m->shards = calloc(m->count, sizeof(*m->shards));
		if (!m->shards) {
			rc = est_error_set(m->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			goto cleanup;
		}
		snprintf(m->inputs_digest, sizeof(m->inputs_digest), "%s", in_d);
		snprintf(m->profiles_digest, sizeof(m->profiles_digest), "%s", pr_d);
		snprintf(m->format, sizeof(m->format), "%s", fmt);
		snprintf(m->metrics, sizeof(m->metrics), "%s", met);
	} else if ((size_t)count != m->count) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "a shard of %zu, but other manifests in the folder are shards of %zu",
				   (size_t)count, m->count);
		goto cleanup;
	} else if (strcmp(in_d, m->inputs_digest)) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "another input list: inputs_digest %.12s..., the other shards' %.12s...",
				   in_d, m->inputs_digest);
		goto cleanup;
	} else if (strcmp(pr_d, m->profiles_digest)) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "another profile library: profiles_digest %.12s..., the other shards' %.12s...",
				   pr_d, m->profiles_digest);
		goto cleanup;
	} else if (!same_sets(sets, m->sets)) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "run with other --set options than the other shards");
		goto cleanup;
	} else if (strcmp(fmt, m->format) || strcmp(met, m->metrics)) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0,
				   "results as %s (%s), the other shards' as %s (%s)", fmt, met,
				   m->format, m->metrics);
		goto cleanup;
	}
	s = &m->shards[(size_t)index];
	if (s->seen) {
		rc = est_error_set(m->err, EST_EINVALID, path, 0, 0, "shard %zu of %zu twice (also %s)",
				   (size_t)index, m->count, s->manifest);
		goto cleanup;
	}
	s->seen = 1;
	s->manifest = path;
	path = NULL;
	s->results = cat3(m->dir, "/", res);
	s->failures = cat3(m->dir, "/", fai);
	s->rows = rows;
	if (!s->results || !s->failures)
		rc = est_error_set(m->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
cleanup:
	cJSON_Delete(root);
	free(sets);
	free(text);
	free(path);
	return rc;
}

/* A scenario starts: it must sort after the previous one, else it is there twice (or out of order). */
static int next_scenario(merge *m, const char *file, const char *name)
{
	char *copy;

	if (m->last && strcmp(name, m->last) <= 0)
		return est_error_set(m->err, EST_EINVALID, file, 0, 0,
				     "scenario '%s' %s: the shards overlap or are not of one run", name,
				     strcmp(name, m->last) ? "is out of order" : "appears twice");
	copy = strdup(name);
	if (!copy)
		return est_error_set(m->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	free(m->last);
	m->last = copy;
	return 0;
}

/* One CSV record's first field, unquoted. Returns the record's length, 0 at the end. */
static size_t csv_record(const char *p, char *first, size_t size)
{
	const char *q = p;
	size_t n = 0;
	int quoted = *q == '"', in_quote = 0, field = 0;

	if (!*p)
		return 0;
	if (quoted)
		q++, in_quote = 1;
	for (; *q; q++) {
		if (in_quote) {
			if (*q == '"' && q[1] == '"') {
				if (!field && n + 1 < size)
					first[n++] = '"';
				q++;
			} else if (*q == '"') {
				in_quote = 0;
			} else if (!field && n + 1 < size) {
				first[n++] = *q;
			}
			continue;
		}
		if (*q == '"')
			in_quote = 1;
		else if (*q == ',')
			field++;
		else if (*q == '\n')
			break;
		else if (!field && n + 1 < size)
			first[n++] = *q;
	}
	first[n] = '\0';
	return (size_t)(q - p) + (*q == '\n');
}

/*
 * Copy a results file to out: CSV without its header (written once by the
 * caller), NDJSON as it is, checking scenarios and counting records. Files
 * are read whole: a shard's results fit in memory where it was written.
 */
static int copy_results(merge *m, const char *path, FILE *out, const char *out_name)
{
	char *text = NULL, *p, first[EST_ERROR_FILE_MAX];
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap = 0, n;
	int rc = 0;

	m->records = 0;
	if (!f)
		return est_error_set(m->err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	do {
		if (len + 65536 + 1 > cap) {
			char *q;
			cap = cap ? 2 * cap : 1 << 20;
			q = realloc(text, cap);
			if (!q) {
				fclose(f);
				free(text);
				return est_error_set(m->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			}
			text = q;
		}
		n = fread(text + len, 1, 65536, f);
		len += n;
	} while (n > 0);
	if (ferror(f))
		rc = est_error_set(m->err, EST_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	if (rc < 0) {
		free(text);
		return rc;
	}
	text[len] = '\0';
	p = text;
	if (!strcmp(m->format, "csv")) {
		if (strncmp(p, EST_ROWS_HEADER, strlen(EST_ROWS_HEADER))) {
			free(text);
			return est_error_set(m->err, EST_EINVALID, path, 1, 1, "not batch results: no header '%.*s'",
					     (int)strlen(EST_ROWS_HEADER) - 1, EST_ROWS_HEADER);
		}
		p += strlen(EST_ROWS_HEADER);
		while (rc == 0 && (n = csv_record(p, first, sizeof(first))) > 0) {
			if (!m->last || strcmp(first, m->last))
				rc = next_scenario(m, path, first);
			p += n;
			m->records++;
		}
	} else {
		while (rc == 0 && *p) {
			char *nl = strchr(p, '\n');
			cJSON *doc;
			const char *file;
			if (!nl)
				nl = p + strlen(p);
			doc = cJSON_ParseWithLength(p, (size_t)(nl - p));
			file = str_at(doc, "scenario", "file");
			if (!file)
				rc = est_error_set(m->err, EST_EINVALID, path, (int)m->records + 1, 1,
						   "not an estimator-result/1 line with scenario.file");
			else
				rc = next_scenario(m, path, file);
			cJSON_Delete(doc);
			p = *nl ? nl + 1 : nl;
			m->records++;
		}
	}
	if (rc == 0) {
		const char *body = text + (!strcmp(m->format, "csv") ? strlen(EST_ROWS_HEADER) : 0);
		size_t blen = len - (size_t)(body - text);
		if (blen && fwrite(body, 1, blen, out) != blen)
			rc = est_error_set(m->err, EST_EIO, out_name, 0, 0, "cannot write: %s", strerror(errno));
	}
	free(text);
	return rc;
}

/* Append a failures table without its header. */
static int copy_failures(merge *m, const char *path, FILE *out, const char *out_name)
{
	char line[8192];
	FILE *f = fopen(path, "rb");
	int first = 1, rc = 0;
	size_t n;

	if (!f)
		return est_error_set(m->err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	while ((n = fread(line, 1, sizeof(line), f)) > 0 && rc == 0) {
		const char *p = line;
		if (first) {
			size_t h = strlen(EST_BATCH_FAILURES_HEADER);
			if (n < h || memcmp(line, EST_BATCH_FAILURES_HEADER, h)) {
				rc = est_error_set(m->err, EST_EINVALID, path, 1, 1, "not a failures table: no header");
				break;
			}
			p += h;
			n -= h;
			first = 0;
		}
		if (n && fwrite(p, 1, n, out) != n)
			rc = est_error_set(m->err, EST_EIO, out_name, 0, 0, "cannot write: %s", strerror(errno));
	}
	fclose(f);
	return rc;
}

static int manifest_name(const char *name)
{
	size_t n = strlen(name);

	return n > 14 && !strncmp(name, "manifest-", 9) && !strcmp(name + n - 5, ".json");
}

int cli_batch_merge(int argc, char **argv)
{
	static est_error err;
	merge m;
	cli_whole_file wres, wfail;
	const char *dir = NULL, *output = NULL;
	char *failures_name = NULL;
	DIR *d = NULL;
	struct dirent *e;
	size_t k;
	int i, rc = 0, status = 0;

	memset(&m, 0, sizeof(m));
	memset(&wres, 0, sizeof(wres));
	memset(&wfail, 0, sizeof(wfail));
	est_error_clear(&err);
	m.err = &err;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(cli_batch_usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc)
				return cli_usage("batch", "option '%s' needs a value", argv[i]);
			output = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("batch", "unknown option '%s' for batch merge", argv[i]);
		} else if (dir) {
			return cli_usage("batch", "batch merge takes one folder");
		} else {
			dir = argv[i];
		}
	}
	if (!dir || !output)
		return cli_usage("batch", "batch merge needs a folder and -o FILE: batch merge DIR -o FILE");
	m.dir = dir;

	d = opendir(dir);
	if (!d) {
		est_error_set(&err, EST_EIO, dir, 0, 0, "cannot read folder: %s", strerror(errno));
		return cli_fail(&err);
	}
	while (rc == 0 && (e = readdir(d)) != NULL)
		if (manifest_name(e->d_name))
			rc = read_manifest(&m, e->d_name);
	closedir(d);
	if (rc == 0 && !m.shards)
		rc = est_error_set(&err, EST_EIO, dir, 0, 0,
				   "no shard manifest (manifest-K-of-N.json) in the folder");
	for (k = 0; rc == 0 && k < m.count; k++)
		if (!m.shards[k].seen)
			rc = est_error_set(&err, EST_EIO, dir, 0, 0,
					   "shard %zu of %zu is missing: no manifest-%zu-of-%zu.json", k,
					   m.count, k, m.count);
	if (rc == 0)
		rc = cli_whole_open(&wres, output, &err);
	failures_name = cat3(output, ".failures.csv", "");
	if (rc == 0 && !failures_name)
		rc = est_error_set(&err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	if (rc == 0)
		rc = cli_whole_open(&wfail, failures_name, &err);
	if (rc == 0 && !strcmp(m.format, "csv") && fputs(EST_ROWS_HEADER, wres.f) == EOF)
		rc = est_error_set(&err, EST_EIO, output, 0, 0, "cannot write: %s", strerror(errno));
	if (rc == 0 && fputs(EST_BATCH_FAILURES_HEADER, wfail.f) == EOF)
		rc = est_error_set(&err, EST_EIO, failures_name, 0, 0, "cannot write: %s", strerror(errno));
	for (k = 0; rc == 0 && k < m.count; k++) {
		rc = copy_results(&m, m.shards[k].results, wres.f, output);
		if (rc == 0 && (double)m.records != m.shards[k].rows)
			rc = est_error_set(&err, EST_EINVALID, m.shards[k].results, 0, 0,
					   "%zu rows, but its manifest counts %.0f: incomplete or not this shard's",
					   m.records, m.shards[k].rows);
		if (rc == 0)
			rc = copy_failures(&m, m.shards[k].failures, wfail.f, failures_name);
	}
	if (rc == 0)
		rc = cli_whole_commit(&wres, &err);
	if (rc == 0)
		rc = cli_whole_commit(&wfail, &err);
	if (rc < 0)
		status = cli_fail(&err);

	cli_whole_abort(&wres);
	cli_whole_abort(&wfail);
	free(failures_name);
	for (k = 0; k < m.count && m.shards; k++) {
		free(m.shards[k].manifest);
		free(m.shards[k].results);
		free(m.shards[k].failures);
	}
	free(m.shards);
	free(m.sets);
	free(m.last);
	return status;
}
