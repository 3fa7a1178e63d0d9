/* Nearest-name suggestions for unknown keys and ids (internal). */
#ifndef ESTIMATOR_SUGGEST_H
#define ESTIMATOR_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b (case-insensitive). */
size_t est_edit_distance(const char *a, const char *b);

/*
 * The candidate closest to word, or NULL when none is close enough to be a
 * plausible typo (distance at most a third of the word's length, at least 2).
 */
const char *est_suggest(const char *word, const char *const *candidates, size_t n);

#endif
