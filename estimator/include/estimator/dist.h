/*
 * An uncertain input: one distribution type for every numeric input
 * (docs/uncertainty.md). Parameters are in the field's canonical unit.
 *
 * Ownership: an est_dist is a plain value except an empirical one, whose
 * values array it owns (est_dist_dispose frees it; est_dist_copy duplicates).
 */
#ifndef ESTIMATOR_DIST_H
#define ESTIMATOR_DIST_H

#include <stddef.h>

typedef enum est_dist_kind {
	EST_DIST_FIXED,
	EST_DIST_UNIFORM,      /* a = min, b = max */
	EST_DIST_NORMAL,       /* a = mean, b = standard deviation; truncated to [lo, hi] */
	EST_DIST_LOGNORMAL,    /* a = median, b = geometric standard deviation (> 1); truncated to [lo, hi] */
	EST_DIST_TRIANGULAR,   /* a = min, b = mode, c = max */
	EST_DIST_EMPIRICAL     /* values[0..n), each equally likely */
} est_dist_kind;

typedef struct est_dist {
	est_dist_kind kind;
	double a, b, c;
	double lo, hi;         /* the field's allowed range: truncation bounds */
	double *values;        /* empirical: sorted ascending */
	size_t n;
} est_dist;

/* The kind's name ("uniform" ...) and back (-1 for an unknown name). */
const char *est_dist_kind_name(est_dist_kind k);
int est_dist_kind_parse(const char *name);

/* The value at cumulative probability q in (0, 1), truncation included. */
double est_dist_quantile(const est_dist *d, double q);
double est_dist_median(const est_dist *d);
/* The support's ends (the truncation bounds for normal and lognormal). */
double est_dist_min(const est_dist *d);
double est_dist_max(const est_dist *d);

/* Multiply every parameter by f > 0 (a unit or currency conversion). */
void est_dist_scale(est_dist *d, double f);

/*
 * Check the parameters and fit the distribution to [lo, hi]: bounded kinds
 * must lie inside it, normal and lognormal are truncated to it and must keep
 * some probability there. Returns 0, or EST_EINVALID with a reason in msg.
 */
int est_dist_bound(est_dist *d, double lo, double hi, char *msg, size_t len);

int est_dist_copy(est_dist *out, const est_dist *d);
void est_dist_dispose(est_dist *d);

#endif
