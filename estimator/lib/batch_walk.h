/*
 * What the inputs of a batch hold between walks (batch_inputs.c builds it,
 * batch_walk.c walks it): the files named by PATH arguments and list lines,
 * sorted, with their identities; the folders named, in the order given.
 */
#ifndef EST_BATCH_WALK_H
#define EST_BATCH_WALK_H

#include <sys/types.h>

#include "estimator/batch.h"

typedef struct est_batch_ident {
	dev_t dev;
	ino_t ino;
} est_batch_ident;

typedef struct est_batch_named {
	char *path;
	est_batch_ident id;
} est_batch_named;

struct est_batch_inputs_held {
	est_batch_named *files;     /* files named, sorted bytewise by path */
	size_t n_files;
	est_batch_ident *file_ids;  /* their identities, sorted, for lookups */
	char **folders;             /* folders named, in the order given */
	size_t n_folders;
	/*
	 * Every file's identity is remembered while walking (about 32 bytes a
	 * file): set when the folders hold a symbolic link to a file, whose
	 * target may be any file. Otherwise only files named, files that match
	 * one and hard links (each name has more than one link) are.
	 */
	int remember_all;
};

/* Identity order (dev, then ino). */
int est_batch_ident_cmp(const void *a, const void *b);

/* Walk held to its end: the count and digest of the list, and whether it met a symbolic link to a file. */
int est_batch_walk_count(const est_batch_inputs_held *h, size_t *n, char digest[EST_BATCH_DIGEST_HEX],
			 int *links, est_error *err);

#endif
