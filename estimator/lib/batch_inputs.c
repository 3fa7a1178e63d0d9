/*
 * The input side of a batch run (docs/batch.md, "Inputs and shards"): PATH
 * arguments and --list lines become one sorted list of scenario files, each
 * once (a shard takes a contiguous block of it: batch_shard.c; its digest:
 * sha256.c).
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
