/*
 * Distributions of uncertain inputs: quantiles (with truncation), medians,
 * bounds and scaling. Sampling is inverse-transform on a uniform variate
 * drawn from a GSL generator (sample.c), so one variate per input per sample
 * and truncation is exact.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "estimator/dist.h"
#include "estimator/error.h"

static const char *const names[] = {"fixed", "uniform", "normal", "lognormal", "triangular",
				    "empirical"};

const char *est_dist_kind_name(est_dist_kind k)
{
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

int est_dist_kind_parse(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return -1;
}

/* CDF and inverse CDF of the untruncated normal and lognormal. */
static double base_cdf(const est_dist *d, double x)
{
	if (d->kind == EST_DIST_NORMAL)
		return gsl_cdf_gaussian_P(x - d->a, d->b);
	return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, log(d->a), log(d->b));
}

static double base_inverse(const est_dist *d, double p)
{
	if (d->kind == EST_DIST_NORMAL)
		return d->a + gsl_cdf_gaussian_Pinv(p, d->b);
	return gsl_cdf_lognormal_Pinv(p, log(d->a), log(d->b));
}

double est_dist_quantile(const est_dist *d, double q)
{
	double p_lo, p_hi, x;
	size_t i;

	switch (d->kind) {
	case EST_DIST_FIXED:
		return d->a;
	case EST_DIST_UNIFORM:
		return d->a + q * (d->b - d->a);
	case EST_DIST_TRIANGULAR: {
		double w = d->c - d->a, f = w > 0 ? (d->b - d->a) / w : 0;
		if (q < f)
			return d->a + sqrt(q * w * (d->b - d->a));
		return d->c - sqrt((1 - q) * w * (d->c - d->b));
	}
	case EST_DIST_EMPIRICAL:
		i = (size_t)(q * (double)d->n);
		return d->values[i < d->n ? i : d->n - 1];
	case EST_DIST_NORMAL:
	case EST_DIST_LOGNORMAL:
		p_lo = base_cdf(d, d->lo);
		p_hi = isinf(d->hi) ? 1 : base_cdf(d, d->hi);
		x = base_inverse(d, p_lo + q * (p_hi - p_lo));
		return x < d->lo ? d->lo : (x > d->hi ? d->hi : x);
	}
	return NAN;
}

double est_dist_median(const est_dist *d)
{
	if (d->kind == EST_DIST_EMPIRICAL) /* the middle value, or the mean of the two */
		return d->n % 2 ? d->values[d->n / 2]
				: (d->values[d->n / 2 - 1] + d->values[d->n / 2]) / 2;
	return est_dist_quantile(d, 0.5);
}

double est_dist_min(const est_dist *d)
{
	switch (d->kind) {
	case EST_DIST_FIXED:
	case EST_DIST_UNIFORM:
	case EST_DIST_TRIANGULAR:
		return d->a;
	case EST_DIST_EMPIRICAL:
		return d->values[0];
	case EST_DIST_NORMAL:
	case EST_DIST_LOGNORMAL:
		return d->lo;
	}
	return NAN;
}

double est_dist_max(const est_dist *d)
{
	switch (d->kind) {
	case EST_DIST_FIXED:
		return d->a;
	case EST_DIST_UNIFORM:
		return d->b;
	case EST_DIST_TRIANGULAR:
		return d->c;
	case EST_DIST_EMPIRICAL:
		return d->values[d->n - 1];
	case EST_DIST_NORMAL:
	case EST_DIST_LOGNORMAL:
		return d->hi;
	}
	return NAN;
}

void est_dist_scale(est_dist *d, double f)
{
	size_t i;

	switch (d->kind) {
	case EST_DIST_LOGNORMAL: /* the median scales, the geometric sd does not */
		d->a *= f;
		break;
	case EST_DIST_FIXED:
	case EST_DIST_UNIFORM:
	case EST_DIST_NORMAL:
	case EST_DIST_TRIANGULAR:
	case EST_DIST_EMPIRICAL:
		d->a *= f;
		d->b *= f;
		d->c *= f;
		break;
	}
	d->lo *= f;
	d->hi *= f;
	for (i = 0; i < d->n; i++)
		d->values[i] *= f;
}

static int fail(char *msg, size_t len, const char *text)
{
	snprintf(msg, len, "%s", text);
	return EST_EINVALID;
}

int est_dist_bound(est_dist *d, double lo, double hi, char *msg, size_t len)
{
	double mass;

	d->lo = lo;
	d->hi = hi;
	switch (d->kind) {
	case EST_DIST_FIXED:
		break;
	case EST_DIST_UNIFORM:
		if (!(d->a < d->b))
			return fail(msg, len, "a uniform distribution needs min < max");
		break;
	case EST_DIST_TRIANGULAR:
		if (!(d->a <= d->b && d->b <= d->c && d->a < d->c))
			return fail(msg, len, "a triangular distribution needs min <= mode <= max, min < max");
		break;
	case EST_DIST_EMPIRICAL:
		if (d->n == 0)
			return fail(msg, len, "an empirical distribution needs values");
		break;
	case EST_DIST_NORMAL:
		if (!(d->b > 0))
			return fail(msg, len, "a normal distribution needs sd > 0");
		mass = gsl_cdf_gaussian_P(hi - d->a, d->b) - gsl_cdf_gaussian_P(lo - d->a, d->b);
		if (!(mass > 1e-6))
			return fail(msg, len, "the normal distribution lies outside the allowed range");
		return 0;
	case EST_DIST_LOGNORMAL:
		if (!(d->a > 0 && d->b > 1))
			return fail(msg, len, "a lognormal distribution needs median > 0 and gsd > 1");
		if (d->lo < 0)
			d->lo = 0;
		mass = (isinf(hi) ? 1 : base_cdf(d, hi)) - base_cdf(d, d->lo);
		if (!(mass > 1e-6))
			return fail(msg, len, "the lognormal distribution lies outside the allowed range");
		return 0;
	}
	if (est_dist_min(d) < lo || est_dist_max(d) > hi)
		return fail(msg, len, "the distribution reaches outside the allowed range");
	return 0;
}

int est_dist_copy(est_dist *out, const est_dist *d)
{
	*out = *d;
	if (d->kind == EST_DIST_EMPIRICAL && d->n) {
		out->values = malloc(d->n * sizeof(*out->values));
		if (!out->values)
			return EST_EINTERNAL;
		memcpy(out->values, d->values, d->n * sizeof(*out->values));
	}
	return 0;
}

void est_dist_dispose(est_dist *d)
{
	if (d && d->kind == EST_DIST_EMPIRICAL)
		free(d->values);
	if (d) {
		d->values = NULL;
		d->n = 0;
	}
}
