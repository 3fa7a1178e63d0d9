/*
 * Walking a batch's inputs in list order without holding the list
 * (docs/batch.md, "Inputs and shards" and "Memory"). Each folder named is a
 * stream of its files in bytewise order of their paths: a stack of folders
 * on the way down, each read whole and sorted by name, a folder's name
 * compared as if followed by '/', which is the order of the paths below it.
 * The files named are one more stream, sorted. The streams are merged
 * through a heap on their next path; a folder named is read only when the
 * merge reaches its path. A folder reached again (a link, a bind mount, a
 * folder named inside another) is skipped, so every folder is walked once;
 * a file is listed once by its identity (device and inode): the identities
 * of the files named are known, hard links are remembered (every name of
 * one has more than one link), and when the folders hold symbolic links to
 * files, every identity is remembered.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch_walk.h"

enum { K_DIR, K_FILE };

/* A name in a folder: a folder to walk or a scenario file. */
typedef struct entry {
	char *name;
	int kind;
	int link;              /* a symbolic link to a file */
	int multi;             /* a file with more than one name (hard links) */
	est_batch_ident id;
} entry;

/* A folder on the way down. */
typedef struct frame {
	char *path;
	est_batch_ident id;
	entry *v;
	size_t n, next;
} frame;

typedef struct stream {
	const char *root;      /* a folder named; NULL for the files named */
	int started;
	frame *frames;
	size_t depth, cap;
	size_t next_file;      /* the files named: the next one */
	/* the next file of the stream */
	int has_head;
	char *head;            /* owned (a folder's) or borrowed (a file named) */
	int head_owned;
	est_batch_ident id;
	int link, multi;       /* the head's entry flags */
	size_t order;          /* ties in the heap: the stream given first */
} stream;

/* Identities: an open-addressing hash set. */
typedef struct idset {
	struct {
		est_batch_ident id;
		int used;
	} *slot;
	size_t cap, n;
} idset;

struct est_batch_walk {
	const est_batch_inputs_held *h;
	const est_batch_inputs *in;    /* NULL while counting */
	stream *streams;
	size_t n_streams;
	stream **heap;
	size_t n_heap;
	idset walked;                  /* folders entered */
	idset seen;                    /* files listed that a second path may name */
	int remember_all;
	int links;                     /* a symbolic link to a file was reached */
	char *cur;
	size_t cur_cap;
	size_t count;
	est_batch_sha256 digest;
	int ended;
};

int est_batch_ident_cmp(const void *a, const void *b)
{
	const est_batch_ident *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static int oom(est_error *err)
{
	return est_error_set(err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
}

/* ---- identity sets ---- */

static size_t id_hash(est_batch_ident id, size_t cap)
{
	uint64_t h = (uint64_t)id.ino * 0x9e3779b97f4a7c15u ^ (uint64_t)id.dev * 0xc2b2ae3d27d4eb4fu;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int idset_has(const idset *s, est_batch_ident id)
{
	size_t i;

	if (!s->cap)
		return 0;
	for (i = id_hash(id, s->cap); s->slot[i].used; i = (i + 1) & (s->cap - 1))
		if (s->slot[i].id.dev == id.dev && s->slot[i].id.ino == id.ino)
			return 1;
	return 0;
}

/* Add id, known to be absent. Returns 0 or -1 when out of memory. */
static int idset_add(idset *s, est_batch_ident id)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		idset grown = { NULL, s->cap ? 2 * s->cap : 64, 0 };
		grown.slot = calloc(grown.cap, sizeof(*grown.slot));
		if (!grown.slot)
			return -1;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i].used)
				idset_add(&grown, s->slot[i].id);
		free(s->slot);
		*s = grown;
	}
	for (i = id_hash(id, s->cap); s->slot[i].used; i = (i + 1) & (s->cap - 1))
		;
	s->slot[i].id = id;
	s->slot[i].used = 1;
	s->n++;
	return 0;
}

/* ---- reading a folder ---- */

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

/* The order of the paths below: a folder's name as if followed by '/'. */
static int entry_cmp(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	const unsigned char *p = (const unsigned char *)x->name, *q = (const unsigned char *)y->name;
	int cp, cq;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	cp = *p ? *p : x->kind == K_DIR ? '/' : 0;
	cq = *q ? *q : y->kind == K_DIR ? '/' : 0;
	return cp - cq;
}

static void free_entries(entry *v, size_t n)
{
	while (n)
		free(v[--n].name);
	free(v);
}

/*
 * What a name found in folder `dir` is: *kind and its identity, or
 * skipped (returns 1): gone since the folder was read, hidden from the
 * list by its kind or name. A link is followed; one that leads nowhere is
 * a file when its name says scenario (it fails when loaded).
 */
static int classify(entry *e, int dirfd, const char *dir, est_error *err)
{
	struct stat lst, st;

	/* relative to the open folder: one name looked up, not the whole path */
	if (fstatat(dirfd, e->name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
		char *path;
		int saved = errno, rc;
		if (saved == ENOENT)
			return 1; /* gone since the folder was read */
		path = join(dir, e->name);
		if (!path)
			return oom(err);
		rc = est_error_set(err, EST_EIO, path, 0, 0, "cannot read: %s", strerror(saved));
		free(path);
		return rc;
	}
	e->link = S_ISLNK(lst.st_mode);
	if (!e->link) {
		st = lst;
	} else if (fstatat(dirfd, e->name, &st, 0) != 0) {
		if (!scenario_name(e->name))
			return 1;
		e->kind = K_FILE;
		e->link = 0; /* names nothing another path could name */
		e->id.dev = lst.st_dev;
		e->id.ino = lst.st_ino;
		return 0;
	}
	e->id.dev = st.st_dev;
	e->id.ino = st.st_ino;
	if (S_ISDIR(st.st_mode)) {
		e->kind = K_DIR;
		return 0;
	}
	if (S_ISREG(st.st_mode) && scenario_name(e->name)) {
		e->kind = K_FILE;
		e->multi = st.st_nlink > 1;
		return 0;
	}
	return 1;
}

/* Folder path's names that are folders or scenario files, hidden ones left out, in path order. */
static int read_folder(frame *f, est_error *err)
{
	DIR *d = opendir(f->path);
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;

	f->v = NULL;
	f->n = f->next = 0;
	if (!d)
		return est_error_set(err, EST_EIO, f->path, 0, 0, "cannot read folder: %s",
				     strerror(errno));
	for (;;) {
		errno = 0;
		e = readdir(d);
		if (!e)
			break;
		if (e->d_name[0] == '.')
			continue;
		if (f->n == cap) {
			entry *grown;
			cap = cap ? 2 * cap : 32;
			grown = realloc(f->v, cap * sizeof(*grown));
			if (!grown) {
				rc = oom(err);
				break;
			}
			f->v = grown;
		}
		memset(&f->v[f->n], 0, sizeof(f->v[f->n]));
		f->v[f->n].name = strdup(e->d_name);
		if (!f->v[f->n].name) {
			rc = oom(err);
			break;
		}
		f->n++;
	}
	if (rc == 0 && errno)
		rc = est_error_set(err, EST_EIO, f->path, 0, 0, "cannot read folder: %s",
				   strerror(errno));
	if (rc == 0) {
		size_t i, kept = 0;
		for (i = 0; i < f->n && rc >= 0; i++) {
			rc = classify(&f->v[i], dirfd(d), f->path, err);
			if (rc == 0)
				f->v[kept++] = f->v[i];
			else
				free(f->v[i].name);
			if (rc > 0)
				rc = 0;
		}
		if (rc < 0) {
			while (i < f->n)
				free(f->v[i++].name);
			f->n = kept;
		} else {
			f->n = kept;
			qsort(f->v, f->n, sizeof(*f->v), entry_cmp);
		}
	}
	closedir(d);
	if (rc < 0) {
		free_entries(f->v, f->n);
		f->v = NULL;
		f->n = 0;
	}
	return rc;
}

/* ---- streams ---- */

/* Go down into folder path (owned, freed here on failure). */
static int push(stream *s, char *path, est_batch_ident id, est_error *err)
{
	frame *f;
	int rc;

	if (s->depth == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		frame *grown = realloc(s->frames, cap * sizeof(*grown));
		if (!grown) {
			free(path);
			return oom(err);
		}
		s->frames = grown;
		s->cap = cap;
	}
	f = &s->frames[s->depth];
	f->path = path;
	f->id = id;
	rc = read_folder(f, err);
	if (rc < 0) {
		free(path);
		return rc;
	}
	s->depth++;
	return 0;
}

static void pop(stream *s)
{
	frame *f = &s->frames[--s->depth];

	free_entries(f->v, f->n);
	free(f->path);
}

static void drop_head(stream *s)
{
	if (s->head_owned)
		free(s->head);
	s->head = NULL;
	s->head_owned = 0;
	s->has_head = 0;
}

/* The stream's next file, or none left (has_head 0). */
static int advance(est_batch_walk *w, stream *s, est_error *err)
{
	drop_head(s);
	if (!s->root) {
		const est_batch_named *f;
		if (s->next_file == w->h->n_files)
			return 0;
		f = &w->h->files[s->next_file++];
		s->head = f->path;
		s->id = f->id;
		s->link = s->multi = 0;
		s->has_head = 1;
		return 0;
	}
	while (s->depth > 0) {
		frame *f = &s->frames[s->depth - 1];
		const entry *e;
		char *path;
		size_t a;

		if (f->next == f->n) {
			pop(s);
			continue;
		}
		e = &f->v[f->next++];
		path = join(f->path, e->name);
		if (!path)
			return oom(err);
		if (e->kind == K_FILE) {
			s->head = path;
			s->head_owned = 1;
			s->id = e->id;
			s->link = e->link;
			s->multi = e->multi;
			s->has_head = 1;
			return 0;
		}
		for (a = 0; a < s->depth; a++)
			if (!est_batch_ident_cmp(&s->frames[a].id, &e->id)) {
				int rc = est_error_set(err, EST_EIO, path, 0, 0,
						       "symbolic link loop: leads back to folder '%s'",
						       s->frames[a].path);
				free(path);
				return rc;
			}
		if (idset_has(&w->walked, e->id)) {
			free(path);
			continue;
		}
		if (idset_add(&w->walked, e->id) != 0) {
			free(path);
			return oom(err);
		}
		{
			est_batch_ident id = e->id; /* push may move the frames */
			int rc = push(s, path, id, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* A folder named, reached by the merge: enter it unless walked already. */
static int start(est_batch_walk *w, stream *s, est_error *err)
{
	struct stat st;
	est_batch_ident id;
	char *path;

	s->started = 1;
	if (stat(s->root, &st) != 0)
		return est_error_set(err, EST_EIO, s->root, 0, 0, "cannot read: %s", strerror(errno));
	id.dev = st.st_dev;
	id.ino = st.st_ino;
	if (idset_has(&w->walked, id))
		return 0;
	if (idset_add(&w->walked, id) != 0)
		return oom(err);
	path = strdup(s->root);
	if (!path)
		return oom(err);
	return push(s, path, id, err);
}

/* ---- the merge ---- */

static const char *key(const stream *s)
{
	return s->started ? s->head : s->root;
}

static int before(const stream *a, const stream *b)
{
	int c = strcmp(key(a), key(b));

	return c < 0 || (c == 0 && a->order < b->order);
}

static void heap_push(est_batch_walk *w, stream *s)
{
	size_t i = w->n_heap++;

	w->heap[i] = s;
	while (i > 0 && before(w->heap[i], w->heap[(i - 1) / 2])) {
		stream *t = w->heap[i];
		w->heap[i] = w->heap[(i - 1) / 2];
		w->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static stream *heap_pop(est_batch_walk *w)
{
	stream *top = w->heap[0];
	size_t i = 0;

	w->heap[0] = w->heap[--w->n_heap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		stream *t;
		if (l < w->n_heap && before(w->heap[l], w->heap[m]))
			m = l;
		if (r < w->n_heap && before(w->heap[r], w->heap[m]))
			m = r;
		if (m == i)
			break;
		t = w->heap[i];
		w->heap[i] = w->heap[m];
		w->heap[m] = t;
		i = m;
	}
	return top;
}

static int named(const est_batch_inputs_held *h, est_batch_ident id)
{
	return h->n_files &&
	       bsearch(&id, h->file_ids, h->n_files, sizeof(id), est_batch_ident_cmp) != NULL;
}

static int open_held(est_batch_walk **out, const est_batch_inputs_held *h, int remember_all,
		     est_error *err)
{
	est_batch_walk *w = calloc(1, sizeof(*w));
	size_t i;

	*out = NULL;
	if (!w)
		return oom(err);
	w->h = h;
	w->remember_all = remember_all;
	w->n_streams = h->n_folders + 1;
	w->streams = calloc(w->n_streams, sizeof(*w->streams));
	w->heap = calloc(w->n_streams, sizeof(*w->heap));
	if (!w->streams || !w->heap) {
		est_batch_walk_close(w);
		return oom(err);
	}
	est_batch_sha256_init(&w->digest);
	for (i = 0; i < h->n_folders; i++) {
		w->streams[i].root = h->folders[i];
		w->streams[i].order = i;
		heap_push(w, &w->streams[i]);
	}
	/* the files named: one stream, already sorted */
	w->streams[i].order = i;
	w->streams[i].started = 1;
	advance(w, &w->streams[i], err); /* cannot fail */
	if (w->streams[i].has_head)
		heap_push(w, &w->streams[i]);
	*out = w;
	return 0;
}

int est_batch_walk_open(est_batch_walk **out, const est_batch_inputs *in, est_error *err)
{
	int rc;

	assert(out && in && in->held);
	rc = open_held(out, in->held, in->held->remember_all, err);
	if (rc == 0)
		(*out)->in = in;
	return rc;
}

int est_batch_walk_next(est_batch_walk *w, const char **path, est_error *err)
{
	assert(w && path);
	*path = NULL;
	while (w->n_heap > 0) {
		stream *s = heap_pop(w);
		size_t len;
		int rc, check;

		if (!s->started) {
			rc = start(w, s, err);
			if (rc == 0)
				rc = advance(w, s, err);
			if (rc < 0)
				return rc;
			if (s->has_head)
				heap_push(w, s);
			continue;
		}
		len = strlen(s->head);
		if (len + 1 > w->cur_cap) {
			char *grown = realloc(w->cur, len + 1);
			if (!grown)
				return oom(err);
			w->cur = grown;
			w->cur_cap = len + 1;
		}
		memcpy(w->cur, s->head, len + 1);
		if (s->link)
			w->links = 1;
		/*
		 * A file a second path may name: a file named, one that matches
		 * one, a hard link (each of its names is one) and a link to a file
		 * (whose target, when walking without remembering every file, may
		 * have been listed unremembered: the count then walks again).
		 */
		check = w->remember_all || !s->root || s->link || s->multi || named(w->h, s->id);
		if (check && idset_has(&w->seen, s->id)) {
			rc = advance(w, s, err);
			if (rc < 0)
				return rc;
			if (s->has_head)
				heap_push(w, s);
			continue;
		}
		if (check && idset_add(&w->seen, s->id) != 0)
			return oom(err);
		rc = advance(w, s, err);
		if (rc < 0)
			return rc;
		if (s->has_head)
			heap_push(w, s);
		w->count++;
		est_batch_sha256_update(&w->digest, w->cur, len + 1);
		*path = w->cur;
		return 1;
	}
	w->ended = 1;
	return 0;
}

int est_batch_walk_changed(est_batch_walk *w)
{
	char hex[EST_BATCH_DIGEST_HEX];

	assert(w && w->in && w->ended);
	if (w->count != w->in->n)
		return 1;
	est_batch_sha256_hex(&w->digest, hex);
	return strcmp(hex, w->in->digest) != 0;
}

void est_batch_walk_close(est_batch_walk *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; w->streams && i < w->n_streams; i++) {
		while (w->streams[i].depth > 0)
			pop(&w->streams[i]);
		free(w->streams[i].frames);
		drop_head(&w->streams[i]);
	}
	free(w->streams);
	free(w->heap);
	free(w->walked.slot);
	free(w->seen.slot);
	free(w->cur);
	free(w);
}

int est_batch_walk_count(const est_batch_inputs_held *h, size_t *n, char digest[EST_BATCH_DIGEST_HEX],
			 int *links, est_error *err)
{
	est_batch_walk *w;
	const char *path;
	int rc = open_held(&w, h, h->remember_all, err);

	if (rc < 0)
		return rc;
	while ((rc = est_batch_walk_next(w, &path, err)) > 0)
		;
	if (rc == 0) {
		*n = w->count;
		est_batch_sha256_hex(&w->digest, digest);
		*links = w->links;
	}
	est_batch_walk_close(w);
	return rc;
}
