/*
 * The input side of a batch run (docs/batch.md, "Inputs and shards"): PATH
 * arguments and --list lines become one sorted list of scenario files, each
 * once; a shard takes a contiguous block of it; SHA-256 names the list.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "estimator/batch.h"
#include "format.h"

#define STDIN_NAME "<stdin>" /* a list "-", as the CLI names standard input */

/* ------------------------------------------------------------------------ */
/* Collecting                                                                */

/* A file found: its path as given and its identity, to list it once. */
typedef struct entry {
	char *path;
	dev_t dev;
	ino_t ino;
} entry;

/* A folder on the current walk path (a linked list on the stack). */
typedef struct chain {
	dev_t dev;
	ino_t ino;
	const char *path;
	const struct chain *up;
} chain;

/* The folders walked so far, by identity: an open-addressing hash set. */
typedef struct dirset {
	struct { dev_t dev; ino_t ino; int used; } *slot;
	size_t cap, n;
} dirset;

typedef struct collector {
	entry *v;
	size_t n, cap;
	dirset walked;
	est_error *err;
} collector;

static int oom(collector *c)
{
	return est_error_set(c->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
}

static size_t dir_hash(dev_t dev, ino_t ino, size_t cap)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15u ^ (uint64_t)dev * 0xc2b2ae3d27d4eb4fu;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int dirset_has(const dirset *s, dev_t dev, ino_t ino)
{
	size_t i;

	if (!s->cap)
		return 0;
	for (i = dir_hash(dev, ino, s->cap); s->slot[i].used; i = (i + 1) & (s->cap - 1))
		if (s->slot[i].dev == dev && s->slot[i].ino == ino)
			return 1;
	return 0;
}

/* Add (dev, ino), known to be absent. Returns 0 or -1 when out of memory. */
static int dirset_add(dirset *s, dev_t dev, ino_t ino)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		dirset grown = { NULL, s->cap ? 2 * s->cap : 64, 0 };
		grown.slot = calloc(grown.cap, sizeof(*grown.slot));
		if (!grown.slot)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i].used)
				dirset_add(&grown, s->slot[i].dev, s->slot[i].ino);
		free(s->slot);
		*s = grown;
	}
	for (i = dir_hash(dev, ino, s->cap); s->slot[i].used; i = (i + 1) & (s->cap - 1))
		;
	s->slot[i].dev = dev;
	s->slot[i].ino = ino;
	s->slot[i].used = 1;
	s->n++;
	return 0;
}

/* Take ownership of path (freed here on failure). */
static int add_file(collector *c, char *path, const struct stat *st)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		entry *grown = realloc(c->v, cap * sizeof(*grown));
		if (!grown) {
			free(path);
			return oom(c);
		}
		c->v = grown;
		c->cap = cap;
	}
	c->v[c->n].path = path;
	c->v[c->n].dev = st->st_dev;
	c->v[c->n].ino = st->st_ino;
	c->n++;
	return 0;
}

static char *join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	int slash = a > 0 && dir[a - 1] != '/';
	char *p = malloc(a + (size_t)slash + b + 1);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	if (slash)
		p[a] = '/';
	memcpy(p + a + (size_t)slash, name, b + 1);
	return p;
}

/* *.yaml or *.yml, case-sensitive. */
static int scenario_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* The names in folder path, hidden ones left out, sorted bytewise. */
static int read_folder(collector *c, const char *path, char ***names, size_t *count)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*names = NULL;
	*count = 0;
	if (!d)
		return est_error_set(c->err, EST_EIO, path, 0, 0, "cannot read folder: %s",
				     strerror(errno));
	for (;;) {
		errno = 0;
		e = readdir(d);
		if (!e)
			break;
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **grown;
			cap = cap ? 2 * cap : 32;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				goto nomem;
			v = grown;
		}
		v[n] = strdup(e->d_name);
		if (!v[n])
			goto nomem;
		n++;
	}
	if (errno) {
		int saved = errno;
		closedir(d);
		free_names(v, n);
		return est_error_set(c->err, EST_EIO, path, 0, 0, "cannot read folder: %s",
				     strerror(saved));
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), compare_strings);
	*names = v;
	*count = n;
	return 0;
nomem:
	closedir(d);
	free_names(v, n);
	return oom(c);
}

static int walk(collector *c, const char *path, const struct stat *st, const chain *up);

/* One name found in a folder: a folder to walk, a scenario file to list, or nothing. */
static int visit(collector *c, char *path, const char *name, const chain *here)
{
	struct stat lst, st;
	const chain *a;

	if (lstat(path, &lst) != 0) {
		if (errno == ENOENT) /* gone since the folder was read */
			goto skip;
		int rc = est_error_set(c->err, EST_EIO, path, 0, 0, "cannot read: %s",
				       strerror(errno));
		free(path);
		return rc;
	}
	if (!S_ISLNK(lst.st_mode))
		st = lst;
	else if (stat(path, &st) != 0) {
		/* a link that leads nowhere: listed when its name says scenario, to fail at load */
		if (scenario_name(name))
			return add_file(c, path, &lst);
		goto skip;
	}
	if (S_ISDIR(st.st_mode)) {
		int rc = 0;
		for (a = here; a; a = a->up)
			if (a->dev == st.st_dev && a->ino == st.st_ino) {
				rc = est_error_set(c->err, EST_EIO, path, 0, 0,
						   "symbolic link loop: leads back to folder '%s'",
						   a->path);
				break;
			}
		if (rc == 0 && !dirset_has(&c->walked, st.st_dev, st.st_ino))
			rc = walk(c, path, &st, here);
		free(path);
		return rc;
	}
	if (S_ISREG(st.st_mode) && scenario_name(name))
		return add_file(c, path, &st);
skip:
	free(path);
	return 0;
}

static int walk(collector *c, const char *path, const struct stat *st, const chain *up)
{
	chain here = { st->st_dev, st->st_ino, path, up };
	char **names;
	size_t n, i;
	int rc;

	if (dirset_add(&c->walked, st->st_dev, st->st_ino) != 0)
		return oom(c);
	rc = read_folder(c, path, &names, &n);
	for (i = 0; rc == 0 && i < n; i++) {
		char *child = join(path, names[i]);
		rc = child ? visit(c, child, names[i], &here) : oom(c);
	}
	free_names(names, n);
	return rc;
}

/* The most bytes of a path a list line's message quotes (it names the line too). */
#define SHOWN_MAX 256

/* A PATH argument or a list's line (list, line: where it was given; list NULL for argv). */
static int take(collector *c, const char *path, const char *list, int line)
{
	struct stat st;
	char *copy;

	if (stat(path, &st) != 0) {
		if (list) {
			char shown[SHOWN_MAX + 4];
			int saved = errno;
			est_escape(shown, SHOWN_MAX + 1, path);
			if (strlen(path) > SHOWN_MAX) /* the reason stays in the message */
				strcat(shown, "...");
			return est_error_set(c->err, EST_EIO, list, line, 0, "cannot read '%s': %s",
					     shown, strerror(saved));
		}
		return est_error_set(c->err, EST_EIO, path, 0, 0, "cannot read: %s",
				     strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return dirset_has(&c->walked, st.st_dev, st.st_ino) ? 0 : walk(c, path, &st, NULL);
	copy = strdup(path);
	if (!copy)
		return oom(c);
	return add_file(c, copy, &st);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/* One line of list name (line number line, len bytes in buf, line break removed). */
static int list_line(collector *c, const char *name, int line, char *buf, size_t len)
{
	size_t bad;

	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (memchr(buf, '\0', len))
		return est_error_set(c->err, EST_EINVALID, name, line,
				     (int)((char *)memchr(buf, '\0', len) - buf) + 1,
				     "a NUL byte in a path (a --list file holds one path a line)");
	if (est_utf8_check(buf, &bad) != 0)
		return est_error_set(c->err, EST_EINVALID, name, line, (int)bad + 1,
				     "byte 0x%02X is not UTF-8 (a --list file must be UTF-8 text)",
				     (unsigned char)buf[bad]);
	if (buf[0] == '#' || blank(buf))
		return 0;
	return take(c, buf, name, line);
}

static int read_list(collector *c, FILE *f, const char *name)
{
	char buf[EST_BATCH_LIST_LINE_MAX + 2]; /* a line, a CR of a CRLF, the NUL */
	size_t len = 0;
	int ch, line = 1, rc = 0;

	while (rc == 0 && (ch = getc(f)) != EOF) {
		if (ch == '\n') {
			buf[len] = '\0';
			rc = list_line(c, name, line, buf, len);
			len = 0;
			if (line == INT_MAX)
				return est_error_set(c->err, EST_EINVALID, name, line, 0,
						     "more than %d lines", INT_MAX - 1);
			line++;
			continue;
		}
		/* room for one more byte than the limit: a CR that a LF follows */
		if (len > EST_BATCH_LIST_LINE_MAX ||
		    (len == EST_BATCH_LIST_LINE_MAX && ch != '\r'))
			return est_error_set(c->err, EST_EINVALID, name, line,
					     EST_BATCH_LIST_LINE_MAX + 1,
					     "line longer than %d bytes (a --list file holds one path a line)",
					     EST_BATCH_LIST_LINE_MAX);
		buf[len++] = (char)ch;
	}
	if (rc != 0)
		return rc;
	if (ferror(f))
		return est_error_set(c->err, EST_EIO, name, 0, 0, "cannot read: %s",
				     strerror(errno ? errno : EIO));
	if (len > 0) { /* a last line without its line break (one byte over: its CR) */
		buf[len] = '\0';
		rc = list_line(c, name, line, buf, len);
	}
	return rc;
}

static int take_list(collector *c, const char *path, FILE *list_stdin)
{
	FILE *f;
	int rc;

	if (!strcmp(path, "-")) {
		if (!list_stdin)
			return est_error_set(c->err, EST_EUSAGE, NULL, 0, 0,
					     "--list -: standard input is not available here");
		return read_list(c, list_stdin, STDIN_NAME);
	}
	f = fopen(path, "rb");
	if (!f)
		return est_error_set(c->err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	errno = 0;
	rc = read_list(c, f, path);
	fclose(f);
	return rc;
}

/* Identity first (dev, ino), then the path: a file's spellings sit together, the smallest first. */
static int by_identity(const void *a, const void *b)
{
	const entry *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* No scenario found: name what was searched (the first three) in the message. */
static int nothing_found(collector *c, const est_batch_input_options *o)
{
	char names[3][72], more[40] = "";
	size_t i, total = o->n_paths + o->n_lists;

	for (i = 0; i < 3; i++) {
		const char *p = "";
		if (i < o->n_paths)
			p = o->paths[i];
		else if (i < total)
			p = strcmp(o->lists[i - o->n_paths], "-") ? o->lists[i - o->n_paths] : STDIN_NAME;
		names[i][0] = '\'';
		est_escape(names[i] + 1, sizeof(names[i]) - 2, p);
		strcat(names[i], "'");
	}
	if (total > 3)
		snprintf(more, sizeof(more), " and %zu more", total - 3);
	return est_error_set(c->err, EST_EINVALID, NULL, 0, 0,
			     "no scenario found in %s%s%s%s%s%s: a folder gives its *.yaml and *.yml "
			     "files",
			     names[0], total > 1 ? ", " : "", total > 1 ? names[1] : "",
			     total > 2 ? ", " : "", total > 2 ? names[2] : "", more);
}

/* Sort by path and drop every spelling of a file but its first. */
static int finish(collector *c, est_batch_inputs **out)
{
	est_batch_inputs *in;
	size_t i, kept = 0;

	qsort(c->v, c->n, sizeof(*c->v), by_identity);
	for (i = 0; i < c->n; i++) {
		if (kept > 0 && c->v[kept - 1].dev == c->v[i].dev &&
		    c->v[kept - 1].ino == c->v[i].ino) {
			free(c->v[i].path);
			continue;
		}
		c->v[kept++] = c->v[i];
	}
	c->n = kept;
	in = calloc(1, sizeof(*in));
	if (!in)
		return oom(c);
	in->paths = malloc(kept * sizeof(*in->paths));
	if (!in->paths) {
		free(in);
		return oom(c);
	}
	for (i = 0; i < kept; i++)
		in->paths[i] = c->v[i].path;
	qsort(in->paths, kept, sizeof(*in->paths), compare_strings);
	in->n = kept;
	c->n = 0; /* the paths belong to in now */
	*out = in;
	return 0;
}

int est_batch_inputs_collect(est_batch_inputs **out, const est_batch_input_options *o,
			     est_error *err)
{
	collector c;
	size_t i;
	int rc = 0, stdin_lists = 0;

	assert(out && o);
	assert(o->paths || o->n_paths == 0);
	assert(o->lists || o->n_lists == 0);
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.err = err;
	if (o->n_paths == 0 && o->n_lists == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "no input: give scenario files or folders, or --list FILE");
	for (i = 0; i < o->n_lists; i++)
		if (!strcmp(o->lists[i], "-") && ++stdin_lists > 1)
			return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
					     "--list - is given twice: standard input is read once");
	for (i = 0; rc == 0 && i < o->n_paths; i++)
		rc = take(&c, o->paths[i], NULL, 0);
	for (i = 0; rc == 0 && i < o->n_lists; i++)
		rc = take_list(&c, o->lists[i], o->list_stdin);
	if (rc == 0 && c.n == 0)
		rc = nothing_found(&c, o);
	if (rc == 0)
		rc = finish(&c, out);
	for (i = 0; i < c.n; i++)
		free(c.v[i].path);
	free(c.v);
	free(c.walked.slot);
	return rc;
}

void est_batch_inputs_free(est_batch_inputs *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->n; i++)
		free(in->paths[i]);
	free(in->paths);
	free(in);
}

/* ------------------------------------------------------------------------ */
/* SHA-256, FIPS 180-4 section 6.2                                           */

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t s[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = (rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)) + w[i - 7] +
		       (rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 16];
	a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
		t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	s[0] += a, s[1] += b, s[2] += c, s[3] += d, s[4] += e, s[5] += f, s[6] += g, s[7] += h;
}

void est_batch_sha256_init(est_batch_sha256 *h)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	assert(h);
	memcpy(h->state, iv, sizeof(iv));
	h->bytes = 0;
	h->used = 0;
}

void est_batch_sha256_update(est_batch_sha256 *h, const void *data, size_t len)
{
	const unsigned char *p = data;

	assert(h && (data || len == 0));
	h->bytes += len;
	while (len > 0) {
		size_t take = 64 - h->used < len ? 64 - h->used : len;
		memcpy(h->block + h->used, p, take);
		h->used += take;
		p += take;
		len -= take;
		if (h->used == 64) {
			sha256_block(h->state, h->block);
			h->used = 0;
		}
	}
}

void est_batch_sha256_hex(est_batch_sha256 *h, char out[EST_BATCH_DIGEST_HEX])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t bits = h->bytes * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	int i;

	est_batch_sha256_update(h, &pad, 1);
	while (h->used != 56)
		est_batch_sha256_update(h, &zero, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	est_batch_sha256_update(h, len, 8);
	for (i = 0; i < 32; i++) {
		unsigned char byte = (unsigned char)(h->state[i / 4] >> (24 - 8 * (i % 4)));
		out[2 * i] = hex[byte >> 4];
		out[2 * i + 1] = hex[byte & 15];
	}
	out[64] = '\0';
}

void est_batch_inputs_digest(const est_batch_inputs *in, char out[EST_BATCH_DIGEST_HEX])
{
	est_batch_sha256 h;
	size_t i;

	assert(in && out);
	est_batch_sha256_init(&h);
	for (i = 0; i < in->n; i++)
		est_batch_sha256_update(&h, in->paths[i], strlen(in->paths[i]) + 1);
	est_batch_sha256_hex(&h, out);
}

/* ------------------------------------------------------------------------ */
/* Shards                                                                    */

/* The len bytes at s as a whole number 0 to max in decimal digits only; -1 otherwise. */
static int whole_n(const char *s, size_t len, size_t max, size_t *out)
{
	size_t v = 0;
	const char *end = s + len;

	if (len == 0)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (size_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int whole(const char *s, size_t max, size_t *out)
{
	return whole_n(s, strlen(s), max, out);
}

/* Environment variable name as a whole number up to max, or an error naming it. */
static int env_whole(est_batch_getenv_fn get, void *ctx, const char *name, size_t max,
		     size_t *out, est_error *err)
{
	const char *v = get(name, ctx);

	if (!v)
		v = "";
	if (whole(v, max, out) != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: %s is '%s', not a whole number from 0 to %zu",
				     name, v, max);
	return 0;
}

static int count_agrees(size_t env_count, const char *name, size_t shard_count, est_error *err)
{
	if (shard_count != 0 && shard_count != env_count)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard-count %zu does not agree with %s=%zu", shard_count,
				     name, env_count);
	return 0;
}

static int index_in_range(size_t index, size_t count, const char *what, est_error *err)
{
	if (count == 0 || count > EST_BATCH_SHARDS_MAX)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: %s gives %zu shards; from 1 to %d are allowed",
				     what, count, EST_BATCH_SHARDS_MAX);
	if (index >= count)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: %s gives shard index %zu of %zu; the index must be "
				     "below the count (0-based)",
				     what, index, count);
	return 0;
}

#define ENV_MAX SIZE_MAX

static int from_slurm(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get, void *ctx,
		      est_error *err)
{
	size_t id, count, min = 0, step = 1, max;
	int rc;

	if (!get("SLURM_ARRAY_TASK_COUNT", ctx))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: SLURM_ARRAY_TASK_ID is set but not "
				     "SLURM_ARRAY_TASK_COUNT (Slurm 18.08 or later sets both)");
	rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_ID", ENV_MAX, &id, err);
	if (rc == 0)
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_COUNT", ENV_MAX, &count, err);
	if (rc == 0 && get("SLURM_ARRAY_TASK_MIN", ctx))
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_MIN", ENV_MAX, &min, err);
	if (rc == 0 && get("SLURM_ARRAY_TASK_STEP", ctx))
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_STEP", ENV_MAX, &step, err);
	if (rc != 0)
		return rc;
	if (step == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: SLURM_ARRAY_TASK_STEP is 0");
	if (id < min || (id - min) % step != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: SLURM_ARRAY_TASK_ID=%zu is not MIN + a multiple of "
				     "STEP (MIN=%zu, STEP=%zu); use an array such as --array=0-3 or 1-7:2",
				     id, min, step);
	if (count > 0 && count <= EST_BATCH_SHARDS_MAX && get("SLURM_ARRAY_TASK_MAX", ctx)) {
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_MAX", ENV_MAX, &max, err);
		if (rc != 0)
			return rc;
		if (max < min || (max - min) % step != 0 || (max - min) / step != count - 1)
			return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
					     "--shard auto: the Slurm array is not MIN-MAX:STEP "
					     "(MIN=%zu, MAX=%zu, STEP=%zu, COUNT=%zu); use an array "
					     "such as --array=0-3 or 1-7:2",
					     min, max, step, count);
	}
	s->index = (id - min) / step;
	s->count = count;
	s->source = "Slurm";
	rc = index_in_range(s->index, count, "Slurm (SLURM_ARRAY_TASK_*)", err);
	return rc ? rc : count_agrees(count, "SLURM_ARRAY_TASK_COUNT", shard_count, err);
}

static int from_kubernetes(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get,
			   void *ctx, est_error *err)
{
	int rc = env_whole(get, ctx, "JOB_COMPLETION_INDEX", ENV_MAX, &s->index, err);

	if (rc != 0)
		return rc;
	if (shard_count == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) "
				     "exports no count: give --shard-count N, the Job's completions");
	s->count = shard_count;
	s->source = "Kubernetes";
	return index_in_range(s->index, s->count, "Kubernetes (JOB_COMPLETION_INDEX, --shard-count)",
			      err);
}

static int from_aws(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get, void *ctx,
		    est_error *err)
{
	int rc = env_whole(get, ctx, "AWS_BATCH_JOB_ARRAY_INDEX", ENV_MAX, &s->index, err);

	if (rc != 0)
		return rc;
	if (get("AWS_BATCH_JOB_ARRAY_SIZE", ctx)) {
		rc = env_whole(get, ctx, "AWS_BATCH_JOB_ARRAY_SIZE", ENV_MAX, &s->count, err);
		if (rc == 0)
			rc = count_agrees(s->count, "AWS_BATCH_JOB_ARRAY_SIZE", shard_count, err);
		if (rc != 0)
			return rc;
	} else if (shard_count != 0) {
		s->count = shard_count;
	} else {
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: AWS_BATCH_JOB_ARRAY_INDEX is set but not "
				     "AWS_BATCH_JOB_ARRAY_SIZE; give --shard-count N, the array's size");
	}
	s->source = "AWS Batch";
	return index_in_range(s->index, s->count, "AWS Batch (AWS_BATCH_JOB_ARRAY_*)", err);
}

static int shard_auto(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get, void *ctx,
		      est_error *err)
{
	int slurm = get("SLURM_ARRAY_TASK_ID", ctx) != NULL;
	int k8s = get("JOB_COMPLETION_INDEX", ctx) != NULL;
	int aws = get("AWS_BATCH_JOB_ARRAY_INDEX", ctx) != NULL;

	if (slurm + k8s + aws > 1)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto found more than one array job (%s%s%s); "
				     "give --shard K/N",
				     slurm ? "SLURM_ARRAY_TASK_ID" : "",
				     k8s ? (slurm ? ", JOB_COMPLETION_INDEX" : "JOB_COMPLETION_INDEX") : "",
				     aws ? ", AWS_BATCH_JOB_ARRAY_INDEX" : "");
	if (slurm)
		return from_slurm(s, shard_count, get, ctx, err);
	if (k8s)
		return from_kubernetes(s, shard_count, get, ctx, err);
	if (aws)
		return from_aws(s, shard_count, get, ctx, err);
	return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
			     "--shard auto found no array job: none of SLURM_ARRAY_TASK_ID (Slurm), "
			     "JOB_COMPLETION_INDEX (Kubernetes) and AWS_BATCH_JOB_ARRAY_INDEX "
			     "(AWS Batch) is set; give --shard K/N");
}

int est_batch_shard_parse(est_batch_shard *out, const char *spec, size_t shard_count,
			  est_batch_getenv_fn getenv_fn, void *ctx, est_error *err)
{
	est_batch_shard s = { 0, 1, "--shard" };
	const char *slash;
	int rc;

	assert(out && spec);
	if (shard_count > EST_BATCH_SHARDS_MAX)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard-count %zu: from 1 to %d shards are allowed", shard_count,
				     EST_BATCH_SHARDS_MAX);
	if (!strcmp(spec, "auto")) {
		assert(getenv_fn);
		rc = shard_auto(&s, shard_count, getenv_fn, ctx, err);
		if (rc == 0)
			*out = s;
		return rc;
	}
	if (shard_count != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard-count goes with --shard auto (K/N gives the count)");
	slash = strchr(spec, '/');
	if (!slash)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard '%s': expected K/N (shard K of N, K from 0 to N-1) or auto",
				     spec);
	if (whole(slash + 1, EST_BATCH_SHARDS_MAX, &s.count) != 0 || s.count == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard '%s': N must be a whole number from 1 to %d", spec,
				     EST_BATCH_SHARDS_MAX);
	if (whole_n(spec, (size_t)(slash - spec), EST_BATCH_SHARDS_MAX, &s.index) != 0 ||
	    s.index >= s.count)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard '%s': K must be a whole number from 0 to %zu (K is "
				     "0-based: the shards of %zu are 0/%zu to %zu/%zu)",
				     spec, s.count - 1, s.count, s.count, s.count - 1, s.count);
	*out = s;
	return 0;
}

void est_batch_shard_range(const est_batch_shard *s, size_t n, size_t *begin, size_t *end)
{
	size_t q, r, k;

	assert(s && begin && end && s->count >= 1 && s->index < s->count);
	q = n / s->count;
	r = n % s->count;
	k = s->index;
	*begin = k * q + (k < r ? k : r);
	*end = *begin + q + (k < r ? 1 : 0);
}
