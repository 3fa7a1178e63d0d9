/*
 * The batch run (estimator/batch.h): each scenario of a block of the input
 * list evaluated (est_evaluate) and rendered to its own buffer, then passed
 * to the caller in input order. The list is walked again on the caller's
 * thread, which gives each chunk of consecutive entries its paths; with
 * several workers a ring of 2 x threads chunks bounds what is in flight, so
 * memory does not grow with the list and the order, and the bytes, do not
 * depend on the number of threads.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "format.h"
#include "estimator/batch.h"

int est_batch_format_parse(est_batch_format *out, const char *name)
{
	assert(out);
	assert(name);
	if (!strcmp(name, "csv"))
		*out = EST_BATCH_CSV;
	else if (!strcmp(name, "ndjson"))
		*out = EST_BATCH_NDJSON;
	else
		return EST_EUSAGE;
	return 0;
}

/* ---- one scenario ---- */

/* What a worker made of one scenario; owned by its slot until emitted. */
typedef struct outcome {
	int status;
	const char *stage;
	est_error error;
	char *text;
	size_t len;
	size_t rows;
} outcome;

typedef struct csv_rows {
	est_buf b;
	size_t n;
	est_buf prefix;        /* "scenario,variant,year," of the rows being written */
	size_t scenario_len;   /* the scenario field and its comma, at the start of prefix */
	char variant[64], year[16]; /* what prefix holds after the scenario */
	int cached;
} csv_rows;

/*
 * One row as a CSV line, as est_rows_csv writes it, counted. The rows of a
 * year share their scenario, variant and year, so that prefix is written
 * once; the rest of the line is put together on the
 * stack and added at once, unless a field needs quoting.
 */
static int csv_row(void *ctx, const est_row *row)
{
	csv_rows *c = ctx;
	const char *f[3];
	char line[256];
	size_t i, used = 0;

	if (!c->cached || strcmp(row->year, c->year) || strcmp(row->variant, c->variant)) {
		c->prefix.len = c->scenario_len;
		est_render_csv_field(&c->prefix, row->variant);
		est_buf_putc(&c->prefix, ',');
		est_render_csv_field(&c->prefix, row->year);
		est_buf_putc(&c->prefix, ',');
		c->cached = strlen(row->variant) < sizeof(c->variant) && strlen(row->year) < sizeof(c->year);
		if (c->cached) {
			strcpy(c->variant, row->variant);
			strcpy(c->year, row->year);
		}
	}
	est_buf_put(&c->b, c->prefix.ptr, c->prefix.len);
	f[0] = row->metric;
	f[1] = row->value;
	f[2] = row->unit;
	for (i = 0; i < 3; i++) {
		size_t n = strlen(f[i]);
		if (used + n + 2 > sizeof(line) || strpbrk(f[i], ",\"\r\n"))
			break;
		memcpy(line + used, f[i], n);
		used += n;
		line[used++] = i < 2 ? ',' : '\n';
	}
	est_buf_put(&c->b, line, used);
	for (; i < 3; i++) {
		est_render_csv_field(&c->b, f[i]);
		est_buf_putc(&c->b, i < 2 ? ',' : '\n');
	}
	c->n++;
	return 0; /* out of memory is sticky: est_buf_detach tells */
}

static int render(outcome *out, const est_result *r, const char *scenario,
		  const est_batch_run_options *o)
{
	csv_rows c;
	int rc;

	if (o->format == EST_BATCH_NDJSON) {
		rc = est_rows_ndjson(&out->text, &out->len, r, &out->error);
		out->rows = rc == 0 ? 1 : 0;
		return rc;
	}
	memset(&c, 0, sizeof(c));
	est_buf_init(&c.b);
	est_buf_init(&c.prefix);
	est_render_csv_field(&c.prefix, scenario);
	est_buf_putc(&c.prefix, ',');
	c.scenario_len = c.prefix.len;
	rc = c.prefix.failed ? est_error_set(&out->error, EST_EINTERNAL, NULL, 0, 0,
					     "out of memory writing rows")
			     : est_rows_each(r, scenario, o->metrics, csv_row, &c, &out->error);
	if (rc == 0) {
		out->text = est_buf_detach(&c.b, &out->len);
		out->rows = c.n;
		if (!out->text)
			rc = est_error_set(&out->error, EST_EINTERNAL, NULL, 0, 0,
					   "out of memory writing rows");
	}
	est_buf_dispose(&c.b);
	est_buf_dispose(&c.prefix);
	return rc;
}

/* Evaluate and render the scenario at path into out (cleared first). */
static void one(outcome *out, const est_batch_run_options *o, const char *path)
{
	est_evaluation ev;
	int rc;

	memset(out, 0, sizeof(*out));
	est_error_clear(&out->error);
	rc = est_evaluate(&ev, path, o->profiles, &o->eval, &out->error);
	if (rc == 0 && o->currency && strcmp(ev.scenario->currency, o->currency)) {
		double rate;
		const char *origin;
		rc = est_currency_rate(ev.scenario, o->currency, o->rates, o->n_rates, path, &rate,
				       &origin, &out->error);
		if (rc == 0)
			est_result_convert_currency(ev.result, o->currency, rate);
	}
	if (rc < 0) {
		out->stage = ev.scenario ? "evaluate" : "load";
	} else {
		rc = render(out, ev.result, path, o);
		if (rc < 0) {
			out->stage = "render";
			free(out->text);
			out->text = NULL;
			out->len = out->rows = 0;
		}
	}
	out->status = rc;
	est_evaluation_free(&ev);
}

/* Pass one outcome to emit and count it. */
static int pass(size_t i, const char *path, const outcome *r, est_batch_emit_fn emit, void *ctx,
		est_batch_counts *counts)
{
	est_batch_item item;

	memset(&item, 0, sizeof(item));
	item.index = i;
	item.scenario = path;
	item.status = r->status;
	if (r->status < 0) {
		item.stage = r->stage;
		item.error = &r->error;
	} else {
		item.text = r->text ? r->text : "";
		item.len = r->len;
		item.rows = r->rows;
	}
	counts->scenarios++;
	if (r->status < 0)
		counts->failed++;
	else {
		counts->succeeded++;
		counts->rows += r->rows;
	}
	return emit(ctx, &item);
}

/* ---- the list, walked again on the caller's thread ---- */

static int changed(est_error *err)
{
	return est_error_set(err, EST_EIO, NULL, 0, 0,
			     "the scenario files changed during the run (files added, removed or renamed "
			     "since they were listed); run it again");
}

/* The next path of the walk, copied into *path (freed by the caller). */
static int next_path(est_batch_walk *w, char **path, est_error *err)
{
	const char *p;
	int rc = est_batch_walk_next(w, &p, err);

	*path = NULL;
	if (rc < 0)
		return rc;
	if (rc == 0)
		return changed(err); /* fewer files than were counted */
	*path = strdup(p);
	return *path ? 0 : est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
}

/* Open the walk at entry begin. */
static int walk_to(est_batch_walk **w, const est_batch_run_options *o, est_error *err)
{
	const char *p;
	size_t i;
	int rc = est_batch_walk_open(w, o->inputs, err);

	for (i = 0; rc == 0 && i < o->begin; i++) {
		rc = est_batch_walk_next(*w, &p, err);
		if (rc == 0)
			rc = changed(err);
		else if (rc > 0)
			rc = 0;
	}
	return rc;
}

/* After the block: the rest of the list, which must be what was counted. */
static int walk_check(est_batch_walk *w, est_error *err)
{
	const char *p;
	int rc;

	while ((rc = est_batch_walk_next(w, &p, err)) > 0)
		;
	if (rc == 0 && est_batch_walk_changed(w))
		rc = changed(err);
	return rc;
}

/* ---- on the caller's thread ---- */

static int run_inline(const est_batch_run_options *o, est_batch_walk *w, est_batch_emit_fn emit,
		      void *ctx, est_batch_counts *counts, int *stopped, est_error *err)
{
	outcome *r = malloc(sizeof(*r)); /* an est_error is large: not on the stack */
	char *path = NULL;
	size_t i;
	int rc = 0;

	if (!r)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory starting the batch");
	for (i = o->begin; i < o->end && rc == 0; i++) {
		rc = next_path(w, &path, err);
		if (rc < 0)
			break;
		one(r, o, path);
		rc = pass(i, path, r, emit, ctx, counts);
		if (rc != 0 || (r->status < 0 && o->fail_fast))
			*stopped = 1;
		if (rc == 0 && r->status < 0 && o->fail_fast)
			i = o->end; /* stop after this one */
		free(r->text);
		free(path);
		path = NULL;
	}
	free(r);
	return rc;
}

/* ---- with workers ---- */

/*
 * Workers take chunks of consecutive entries, so that the hand-overs (a
 * lock, a wake-up) are per chunk, not per scenario.
 */
#define CHUNK EST_BATCH_CHUNK

typedef struct slot {
	char *paths[CHUNK];    /* set by the caller's thread before a worker may take it */
	outcome r[CHUNK];
	size_t n;              /* entries in the chunk */
	int done;
} slot;

typedef struct pool {
	const est_batch_run_options *o;
	pthread_mutex_t lock;
	pthread_cond_t space;  /* a chunk was given its paths, or stop */
	pthread_cond_t ready;  /* a chunk was done */
	slot *slots;
	size_t window;         /* chunks in flight */
	size_t chunk;          /* entries a chunk */
	size_t n_chunks;
	size_t next_claim;     /* the next chunk a worker takes */
	size_t next_given;     /* chunks before this one have their paths */
	int stop;
} pool;

/*
 * Evaluate chunk c's scenarios into its slot (claimed, so no lock is needed
 * to fill it). The texts of the slot's last use are freed here, by the
 * thread that evaluates, not by the one that writes: memory mostly goes
 * back to the arena of the thread that took it.
 */
static void evaluate_chunk(pool *p, size_t c)
{
	slot *s = &p->slots[c % p->window];
	size_t j;

	for (j = 0; j < s->n; j++) {
		free(s->r[j].text);
		s->r[j].text = NULL;
		one(&s->r[j], p->o, s->paths[j]);
	}
	pthread_mutex_lock(&p->lock);
	s->done = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
}

static void *worker(void *arg)
{
	pool *p = arg;
	size_t c;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->stop && p->next_claim < p->n_chunks && p->next_claim >= p->next_given)
			pthread_cond_wait(&p->space, &p->lock);
		if (p->stop || p->next_claim >= p->n_chunks) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		c = p->next_claim++;
		pthread_mutex_unlock(&p->lock);
		evaluate_chunk(p, c);
	}
}

/* Give the next chunk without paths its paths from the walk. */
static int give(pool *p, est_batch_walk *w, est_error *err)
{
	size_t c = p->next_given, first = p->o->begin + c * p->chunk;
	slot *s = &p->slots[c % p->window];
	size_t j, n = p->o->end - first < p->chunk ? p->o->end - first : p->chunk;
	int rc = 0;

	for (j = 0; j < n && rc == 0; j++)
		rc = next_path(w, &s->paths[j], err);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&p->lock);
	s->n = n;
	p->next_given++;
	pthread_cond_broadcast(&p->space);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

static int run_pool(const est_batch_run_options *o, est_batch_walk *w, est_batch_emit_fn emit,
		    void *ctx, est_batch_counts *counts, int *stopped, est_error *err)
{
	pool p;
	pthread_t tids[EST_BATCH_THREADS_MAX];
	int n_started = 0, t, rc = 0;
	size_t c, j, k;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.window = (size_t)o->threads * EST_BATCH_WINDOW_PER_THREAD;
	p.chunk = o->chunk ? o->chunk : CHUNK;
	p.n_chunks = (o->end - o->begin + p.chunk - 1) / p.chunk;
	p.slots = calloc(p.window, sizeof(*p.slots));
	if (!p.slots)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory starting the batch");
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.space, NULL);
	pthread_cond_init(&p.ready, NULL);
	while (rc == 0 && p.next_given < p.n_chunks && p.next_given < p.window)
		rc = give(&p, w, err);
	/* threads - 1 workers: the caller's thread evaluates too, while it waits */
	for (t = 0; rc == 0 && t < o->threads - 1; t++) {
		if (pthread_create(&tids[t], NULL, worker, &p) != 0)
			break;
		n_started++;
	}
	if (rc == 0 && n_started == 0)
		rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "cannot start a worker thread");
	if (rc < 0)
		goto cleanup;

	for (c = 0; c < p.n_chunks && rc == 0 && !p.stop; c++) {
		slot *s = &p.slots[c % p.window];

		/* waiting for chunk c: evaluate a chunk no worker has taken yet, or sleep */
		pthread_mutex_lock(&p.lock);
		while (!s->done) {
			if (p.next_claim < p.next_given) {
				size_t mine = p.next_claim++;
				pthread_mutex_unlock(&p.lock);
				evaluate_chunk(&p, mine);
				pthread_mutex_lock(&p.lock);
				continue;
			}
			pthread_cond_wait(&p.ready, &p.lock);
		}
		pthread_mutex_unlock(&p.lock);

		for (j = 0; j < s->n; j++) {
			int failed = s->r[j].status < 0;
			rc = pass(o->begin + c * p.chunk + j, s->paths[j], &s->r[j], emit, ctx, counts);
			free(s->paths[j]); /* its text: freed by the worker that uses the slot next */
			s->paths[j] = NULL;
			if (rc != 0 || (failed && o->fail_fast)) {
				pthread_mutex_lock(&p.lock);
				p.stop = 1;
				pthread_mutex_unlock(&p.lock);
				*stopped = 1;
				break;
			}
		}
		if (p.stop)
			break;
		pthread_mutex_lock(&p.lock);
		s->done = 0;
		s->n = 0;
		pthread_mutex_unlock(&p.lock);
		/* the slot just emitted takes the chunk a window ahead */
		if (p.next_given < p.n_chunks) {
			rc = give(&p, w, err);
			if (rc < 0)
				break;
		}
	}

cleanup:
	pthread_mutex_lock(&p.lock);
	p.stop = 1;
	pthread_cond_broadcast(&p.space);
	pthread_mutex_unlock(&p.lock);
	for (t = 0; t < n_started; t++)
		pthread_join(tids[t], NULL);
	for (k = 0; k < p.window; k++)
		for (j = 0; j < CHUNK; j++) {
			free(p.slots[k].r[j].text); /* scenarios done ahead of a stop */
			free(p.slots[k].paths[j]);
		}
	free(p.slots);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.space);
	pthread_mutex_destroy(&p.lock);
	return rc;
}

int est_batch_run(const est_batch_run_options *o, est_batch_emit_fn emit, void *ctx,
		  est_batch_counts *counts, est_error *err)
{
	est_batch_counts local;
	est_batch_walk *w = NULL;
	int rc, stopped = 0;

	assert(o);
	assert(o->inputs);
	assert(o->profiles);
	assert(emit);
	assert(o->begin <= o->end && o->end <= o->inputs->n);
	if (!counts)
		counts = &local;
	memset(counts, 0, sizeof(*counts));
	if (o->threads < 1 || o->threads > EST_BATCH_THREADS_MAX)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "threads must be 1 to %d",
				     EST_BATCH_THREADS_MAX);
	if (o->chunk > EST_BATCH_CHUNK)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "a chunk is 1 to %d scenarios",
				     EST_BATCH_CHUNK);
	rc = walk_to(&w, o, err);
	if (rc == 0) {
		if (o->threads == 1 || o->end - o->begin < 2)
			rc = run_inline(o, w, emit, ctx, counts, &stopped, err);
		else
			rc = run_pool(o, w, emit, ctx, counts, &stopped, err);
	}
	if (rc == 0 && !stopped)
		rc = walk_check(w, err);
	est_batch_walk_close(w);
	return rc;
}

/* ---- failures ---- */

size_t est_batch_error_text(char *out, size_t size, const est_error *e)
{
	char file[4 * EST_ERROR_FILE_MAX], msg[4 * EST_ERROR_MESSAGE_MAX];
	int n;

	assert(out && size > 0);
	assert(e);
	est_error_escape(file, sizeof(file), e->file);
	est_error_escape(msg, sizeof(msg), e->message[0] ? e->message : est_strerror(e->code));
	if (file[0] && e->line > 0)
		n = snprintf(out, size, "%s:%d:%d: %s", file, e->line, e->column > 0 ? e->column : 1,
			     msg);
	else if (file[0])
		n = snprintf(out, size, "%s: %s", file, msg);
	else
		n = snprintf(out, size, "%s", msg);
	if (n < 0)
		n = 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

int est_batch_failure_csv(char **out, size_t *len, const est_batch_item *item, est_error *err)
{
	static const size_t text_size = 4 * EST_ERROR_FILE_MAX + 4 * EST_ERROR_MESSAGE_MAX + 32;
	char *text = malloc(text_size);
	char code[16];
	est_buf b;

	assert(out);
	assert(item && item->status < 0 && item->error);
	*out = NULL;
	if (len)
		*len = 0;
	if (!text)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory writing a failure");
	est_batch_error_text(text, text_size, item->error);
	/* the exit status `run` gives for this error (the CLI's rule: 5 for an unknown code) */
	snprintf(code, sizeof(code), "%d", item->error->code < 0 ? -(int)item->error->code : 5);
	est_buf_init(&b);
	est_render_csv_field(&b, item->scenario);
	est_buf_putc(&b, ',');
	est_render_csv_field(&b, item->stage ? item->stage : "");
	est_buf_putc(&b, ',');
	est_buf_puts(&b, code);
	est_buf_putc(&b, ',');
	est_render_csv_field(&b, text);
	est_buf_putc(&b, '\n');
	free(text);
	*out = est_buf_detach(&b, len);
	est_buf_dispose(&b);
	if (!*out)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory writing a failure");
	return 0;
}

/* ---- the profile library's digest ---- */

typedef struct names {
	char **v;
	size_t n, cap;
} names;

static int names_push(names *l, char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return 0;
}

/* *out = a "/" b (just b when a is empty), malloc'd; -1 when out of memory. */
static int join(char **out, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	*out = malloc(na + nb + 2);
	if (!*out)
		return -1;
	memcpy(*out, a, na);
	if (na)
		(*out)[na++] = '/';
	memcpy(*out + na, b, nb + 1);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under root/rel, as paths relative to root. */
static int walk(names *l, const char *root, const char *rel, int depth, est_error *err)
{
	char *dir_path = NULL, *child = NULL;
	DIR *d = NULL;
	struct dirent *e;
	struct stat st;
	int rc = 0;

	if (depth > 64)
		return est_error_set(err, EST_EIO, root, 0, 0, "profile library folders nested over 64 deep");
	if (rel[0] ? join(&dir_path, root, rel) < 0 : join(&dir_path, "", root) < 0)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	d = opendir(dir_path);
	if (!d) {
		rc = est_error_set(err, EST_EIO, dir_path, 0, 0, "cannot read folder: %s", strerror(errno));
		goto cleanup;
	}
	while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
		char *full = NULL;
		if (e->d_name[0] == '.')
			continue;
		if (join(&child, rel, e->d_name) < 0 ||
		    join(&full, root, child) < 0) {
			rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
		} else if (stat(full, &st) != 0) {
			rc = est_error_set(err, EST_EIO, full, 0, 0, "cannot read: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(l, root, child, depth + 1, err);
		} else if (S_ISREG(st.st_mode)) {
			if (names_push(l, child) < 0)
				rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			else
				child = NULL;
		}
		free(full);
		free(child);
		child = NULL;
	}
	if (rc == 0 && errno)
		rc = est_error_set(err, EST_EIO, dir_path, 0, 0, "cannot read folder: %s", strerror(errno));
cleanup:
	if (d)
		closedir(d);
	free(dir_path);
	return rc;
}

static int hash_file(est_batch_sha256 *h, const char *root, const char *rel, est_error *err)
{
	char *full = NULL, buf[65536], len_text[32];
	FILE *f;
	size_t n;
	long long size = 0;
	int rc = 0;

	if (join(&full, root, rel) < 0)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	f = fopen(full, "rb");
	if (!f) {
		rc = est_error_set(err, EST_EIO, full, 0, 0, "cannot read: %s", strerror(errno));
		free(full);
		return rc;
	}
	/* the length first: read the file once to know it, then hash (files are small) */
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		size += (long long)n;
	if (ferror(f) || fseek(f, 0, SEEK_SET) != 0) {
		rc = est_error_set(err, EST_EIO, full, 0, 0, "cannot read: %s", strerror(errno));
	} else {
		est_batch_sha256_update(h, rel, strlen(rel) + 1);
		snprintf(len_text, sizeof(len_text), "%lld", size);
		est_batch_sha256_update(h, len_text, strlen(len_text) + 1);
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			est_batch_sha256_update(h, buf, n);
		if (ferror(f))
			rc = est_error_set(err, EST_EIO, full, 0, 0, "cannot read: %s", strerror(errno));
	}
	fclose(f);
	free(full);
	return rc;
}

int est_batch_profiles_digest(const char *dir, char out[EST_BATCH_DIGEST_HEX], est_error *err)
{
	names l = {NULL, 0, 0};
	est_batch_sha256 h;
	size_t i;
	int rc;

	assert(dir);
	assert(out);
	out[0] = '\0';
	rc = walk(&l, dir, "", 0, err);
	if (rc == 0 && l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_name);
	est_batch_sha256_init(&h);
	for (i = 0; rc == 0 && i < l.n; i++)
		rc = hash_file(&h, dir, l.v[i], err);
	if (rc == 0)
		est_batch_sha256_hex(&h, out);
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return rc;
}
