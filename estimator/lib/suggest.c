/*
 * Nearest-name suggestions: turn an unknown key, unit or id into "did you
 * mean ...?". A match ignoring case or a prefix is what a user most often
 * means ("kw", "h100"), so those rank before the Levenshtein distance.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"

#define MAX_WORD 128

size_t est_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[MAX_WORD + 1];

	if (la > MAX_WORD || lb > MAX_WORD)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) ==
				      tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

int est_suggest_is_prefix(const char *word, const char *text)
{
	size_t n = strlen(word);

	return n >= 2 && strlen(text) >= n && !strncasecmp(word, text, n);
}

/* The limit of a plausible typo in word. */
static size_t typo_limit(const char *word)
{
	size_t limit = strlen(word) / 3;

	return limit < 2 ? 2 : limit;
}

const char *est_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, i;

	for (i = 0; i < n; i++)
		if (!strcasecmp(word, candidates[i]))
			return candidates[i];
	for (i = 0; i < n; i++)
		if (est_suggest_is_prefix(word, candidates[i]))
			return candidates[i];
	for (i = 0; i < n; i++) {
		size_t d = est_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best_d <= typo_limit(word) ? best : NULL;
}

/* 1 when word begins one of the words of name (after a space or punctuation). */
static int begins_a_word(const char *word, const char *name)
{
	const char *s;

	for (s = name; *s; s++)
		if ((s == name || !isalnum((unsigned char)s[-1])) && isalnum((unsigned char)*s) &&
		    est_suggest_is_prefix(word, s))
			return 1;
	return 0;
}

/* 1 when the initials of name's words ("United Kingdom") spell word ("UK"). */
static int initials(const char *word, const char *name)
{
	size_t k = 0, words = 0;
	const char *s;

	if (strlen(word) < 2)
		return 0;
	for (s = name; *s; s++) {
		if (!isalpha((unsigned char)*s) || (s != name && isalpha((unsigned char)s[-1])))
			continue;
		words++;
		if (!word[k] || tolower((unsigned char)word[k]) != tolower((unsigned char)*s))
			return 0;
		k++;
	}
	return words >= 2 && !word[k];
}

/* Rank of a candidate for word, 1 (best) to 6; 0 when none of the name ranks apply. */
static int rank(const char *word, const est_candidate *c)
{
	size_t j;
	int r = 0;

	if (!strcasecmp(word, c->id))
		return 1;
	if (c->name && !strcasecmp(word, c->name))
		return 2;
	for (j = 0; j < c->n_aliases; j++)
		if (!strcasecmp(word, c->aliases[j]))
			return 2;
	if (est_suggest_is_prefix(word, c->id))
		return 3;
	if (c->name && est_suggest_is_prefix(word, c->name))
		return 4;
	for (j = 0; j < c->n_aliases; j++)
		if (est_suggest_is_prefix(word, c->aliases[j]))
			return 4;
	if (c->name && initials(word, c->name))
		return 5;
	if (c->name && begins_a_word(word, c->name))
		r = 6;
	for (j = 0; j < c->n_aliases && !r; j++)
		if (begins_a_word(word, c->aliases[j]))
			r = 6;
	return r;
}

const char *est_suggest_among(const char *word, const est_candidate *c, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, i;
	int best_rank = 0;

	for (i = 0; i < n; i++) {
		int r = rank(word, &c[i]);
		if (r && (!best_rank || r < best_rank)) {
			best_rank = r;
			best = c[i].id;
		}
	}
	if (best)
		return best;
	for (i = 0; i < n; i++) {
		size_t d = est_edit_distance(word, c[i].id);
		if (d < best_d) {
			best_d = d;
			best = c[i].id;
		}
	}
	return best_d <= typo_limit(word) ? best : NULL;
}
