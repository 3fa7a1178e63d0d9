/*
 * The input side of a batch run (docs/batch.md, "Inputs and shards"): PATH
 * arguments and --list lines are read into the files and folders they name,
 * and walked once (batch_walk.c) to count and digest the sorted list of
 * scenario files, each once (a shard takes a contiguous block of it:
 * batch_shard.c; the digest: sha256.c).
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch_walk.h"
#include "estimator/batch.h"
#include "format.h"

#define STDIN_NAME "<stdin>" /* a list "-", as the CLI names standard input */

/* ------------------------------------------------------------------------ */
/* Collecting                                                                */

/* The files and folders named, as they are read. */
typedef struct collector {
	est_batch_named *files;
	size_t n_files, cap_files;
	char **folders;
	size_t n_folders, cap_folders;
	est_error *err;
} collector;

static int oom(collector *c)
{
	return est_error_set(c->err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
}

/* Take ownership of path (freed here on failure). */
static int add_file(collector *c, char *path, const struct stat *st)
{
	if (c->n_files == c->cap_files) {
		size_t cap = c->cap_files ? 2 * c->cap_files : 64;
		est_batch_named *grown = realloc(c->files, cap * sizeof(*grown));
		if (!grown) {
			free(path);
			return oom(c);
		}
		c->files = grown;
		c->cap_files = cap;
	}
	c->files[c->n_files].path = path;
	c->files[c->n_files].id.dev = st->st_dev;
	c->files[c->n_files].id.ino = st->st_ino;
	c->n_files++;
	return 0;
}

static int add_folder(collector *c, const char *path)
{
	char *copy = strdup(path);

	if (!copy)
		return oom(c);
	if (c->n_folders == c->cap_folders) {
		size_t cap = c->cap_folders ? 2 * c->cap_folders : 16;
		char **grown = realloc(c->folders, cap * sizeof(*grown));
		if (!grown) {
			free(copy);
			return oom(c);
		}
		c->folders = grown;
		c->cap_folders = cap;
	}
	c->folders[c->n_folders++] = copy;
	return 0;
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
		return add_folder(c, path);
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

static int by_path(const void *a, const void *b)
{
	return strcmp(((const est_batch_named *)a)->path, ((const est_batch_named *)b)->path);
}

static void free_held(est_batch_inputs_held *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n_files; i++)
		free(h->files[i].path);
	free(h->files);
	free(h->file_ids);
	for (i = 0; i < h->n_folders; i++)
		free(h->folders[i]);
	free(h->folders);
	free(h);
}

/*
 * What the collector read, held for the walks; then the first walk, to
 * count and digest the list. A walk that met a link to a file or a hard
 * link is done again remembering every file (the first may have listed a
 * file twice).
 */
static int finish(collector *c, est_batch_inputs **out)
{
	est_batch_inputs *in = calloc(1, sizeof(*in));
	est_batch_inputs_held *h = calloc(1, sizeof(*h));
	size_t i;
	int rc, links = 0;

	if (!in || !h) {
		free(in);
		free(h);
		return oom(c);
	}
	in->held = h;
	h->files = c->files;
	h->n_files = c->n_files;
	h->folders = c->folders;
	h->n_folders = c->n_folders;
	c->files = NULL;
	c->folders = NULL;
	c->n_files = c->n_folders = 0;
	if (h->n_files) {
		qsort(h->files, h->n_files, sizeof(*h->files), by_path);
		h->file_ids = malloc(h->n_files * sizeof(*h->file_ids));
		if (!h->file_ids) {
			est_batch_inputs_free(in);
			return oom(c);
		}
		for (i = 0; i < h->n_files; i++)
			h->file_ids[i] = h->files[i].id;
		qsort(h->file_ids, h->n_files, sizeof(*h->file_ids), est_batch_ident_cmp);
	}
	rc = est_batch_walk_count(h, &in->n, in->digest, &links, c->err);
	if (rc == 0 && links) {
		h->remember_all = 1;
		rc = est_batch_walk_count(h, &in->n, in->digest, &links, c->err);
	}
	if (rc < 0) {
		est_batch_inputs_free(in);
		return rc;
	}
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
	if (rc == 0)
		rc = finish(&c, out);
	if (rc == 0 && (*out)->n == 0) {
		est_batch_inputs_free(*out);
		*out = NULL;
		rc = nothing_found(&c, o);
	}
	for (i = 0; i < c.n_files; i++)
		free(c.files[i].path);
	free(c.files);
	for (i = 0; i < c.n_folders; i++)
		free(c.folders[i]);
	free(c.folders);
	return rc;
}

void est_batch_inputs_free(est_batch_inputs *in)
{
	if (!in)
		return;
	free_held(in->held);
	free(in);
}

void est_batch_list_free(char **paths, size_t n)
{
	while (n)
		free(paths[--n]);
	free(paths);
}

int est_batch_inputs_list(const est_batch_inputs *in, char ***paths, est_error *err)
{
	est_batch_walk *w = NULL;
	const char *path;
	char **v;
	size_t n = 0;
	int rc;

	assert(in && paths);
	*paths = NULL;
	v = calloc(in->n ? in->n : 1, sizeof(*v));
	if (!v)
		return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	rc = est_batch_walk_open(&w, in, err);
	while (rc == 0 && (rc = est_batch_walk_next(w, &path, err)) > 0) {
		if (n == in->n) {
			rc = est_error_set(err, EST_EIO, NULL, 0, 0,
					   "the inputs changed since they were collected");
			break;
		}
		v[n] = strdup(path);
		if (!v[n]) {
			rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			break;
		}
		n++;
		rc = 0;
	}
	if (rc == 0 && est_batch_walk_changed(w))
		rc = est_error_set(err, EST_EIO, NULL, 0, 0,
				   "the inputs changed since they were collected");
	est_batch_walk_close(w);
	if (rc < 0) {
		est_batch_list_free(v, n);
		return rc;
	}
	*paths = v;
	return 0;
}
