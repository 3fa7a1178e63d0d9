/*
 * The headline metrics (internal): one key path of the result contract each,
 * its label, its unit ("$" for the currency) and how to read it from a year
 * or the totals.
 */
#ifndef ESTIMATOR_HEADLINES_H
#define ESTIMATOR_HEADLINES_H

#include <stddef.h>
#include "estimator/model.h"

typedef struct est_headline {
	const char *key;
	const char *label;
	const char *unit;
	double (*get)(const est_year *y);
} est_headline;

extern const est_headline est_headlines[];
extern const size_t est_n_headlines;

#endif
