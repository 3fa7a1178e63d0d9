/* Nearest-name suggestions for unknown keys, units and ids (internal). */
#ifndef ESTIMATOR_SUGGEST_H
#define ESTIMATOR_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b (case-insensitive). */
size_t est_edit_distance(const char *a, const char *b);

/* 1 when word, at least two characters long, begins `text` (case-insensitive). */
int est_suggest_is_prefix(const char *word, const char *text);

/*
 * The candidate to suggest for word, by rank: equal ignoring case; then the
 * first that word begins (case-insensitive, word of two characters or more);
 * then the closest by edit distance, when close enough to be a plausible typo
 * (at most a third of the word's length, at least 2). NULL when none.
 */
const char *est_suggest(const char *word, const char *const *candidates, size_t n);

/* A record to suggest: its id, and the other names it is known by. */
typedef struct est_candidate {
	const char *id;
	const char *name;              /* a longer name ("United Kingdom"), or NULL */
	const char *const *aliases;    /* names tools report ("A100-SXM4-80GB") */
	size_t n_aliases;
} est_candidate;

/*
 * The id to suggest for word among records, by rank: an id equal ignoring
 * case; a name or alias equal ignoring case; an id that word begins; a name
 * or alias that word begins; a name whose words' initials spell word ("UK":
 * United Kingdom); a later word of a name or alias that word begins
 * ("germ": "... (Frankfurt, Germany)"); then the nearest id by edit distance
 * as in est_suggest. Prefixes ignore case and need two characters or more;
 * the first record wins within a rank. NULL when none.
 */
const char *est_suggest_among(const char *word, const est_candidate *c, size_t n);

#endif
