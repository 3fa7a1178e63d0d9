/*
 * Nice axis ticks for the charts (chart.h): steps of 1, 2, 2.5 or 5 times a
 * power of ten covering the data, the rule of Heckbert's "Nice numbers for
 * graph labels" (Graphics Gems, 1990) with 2.5 added, and the decimals a
 * column of numbers needs.
 */
#include <assert.h>
#include <float.h>
#include <math.h>

#include "chart.h"

/*
 * Quotients of decimal values such as 0.3 / 0.1 come out a few ulps away
 * from the whole number they stand for; floor and ceil look past that much.
 */
#define QUOTIENT_SLACK (64 * DBL_EPSILON)

/* k steps of mult x 10^e, computed so that decimal ticks come out as their nearest double. */
static double tick_at(double k, double mult, int e)
{
	if (e < 0)
		return k * mult / pow(10, -e);
	return k * mult * pow(10, e);
}

size_t est_chart_ticks(double lo, double hi, size_t max_ticks, double *ticks)
{
	static const double mults[] = {1, 2, 2.5, 5};
	int e, tries;
	size_t m, i;

	assert(ticks && max_ticks >= 3);
	if (!isfinite(lo) || !isfinite(hi))
		return 0;
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (hi - lo <= 1e-9 * fmax(fabs(lo), fabs(hi))) {
		/*
		 * A flat range (equal to the ten significant digits JSON prints)
		 * is drawn from 0, so that a constant reads as one.
		 */
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
		if (lo == hi)
			hi = 1;
	}
	if (!isfinite(hi - lo))
		return 0;
	e = (int)floor(log10((hi - lo) / (double)(max_ticks - 1)));
	/* each try widens the step; a step of 10^(e+2) always fits, so this ends */
	for (tries = 0; tries < 12; tries++, e++) {
		for (m = 0; m < sizeof(mults) / sizeof(mults[0]); m++) {
			double step = tick_at(1, mults[m], e);
			double k0 = floor(lo / step + QUOTIENT_SLACK * fabs(lo / step));
			double k1 = ceil(hi / step - QUOTIENT_SLACK * fabs(hi / step));
			if (!isfinite(k0) || !isfinite(k1) || k1 - k0 + 1 > (double)max_ticks)
				continue;
			if (k1 == k0)
				k1 = k0 + 1;
			for (i = 0; k0 + (double)i <= k1; i++)
				ticks[i] = tick_at(k0 + (double)i, mults[m], e);
			return i;
		}
	}
	return 0;
}

int est_chart__axis(est_chart_axis *a, double lo, double hi, size_t max_ticks)
{
	assert(max_ticks <= EST_CHART_TICKS_MAX);
	a->n = est_chart_ticks(lo, hi, max_ticks, a->ticks);
	if (a->n < 2 || !(a->ticks[a->n - 1] > a->ticks[0]))
		return -1;
	a->lo = a->ticks[0];
	a->hi = a->ticks[a->n - 1];
	a->decimals = est_chart__decimals(a->ticks, a->n);
	return 0;
}

int est_chart__decimals(const double *v, size_t n)
{
	double least = INFINITY;
	size_t i;
	int d;

	for (i = 0; i < n; i++)
		if (v[i] != 0)
			least = fmin(least, fabs(v[i]));
	for (d = 0; d < 12; d++) {
		double scale = pow(10, d);
		for (i = 0; i < n; i++) {
			double s = v[i] * scale;
			/* within the ten significant digits JSON prints, beyond a decimal's rounding */
			if (fabs(s - nearbyint(s)) > 1e-9 * fabs(s))
				break;
		}
		if (i == n)
			return d; /* every value is shown exactly */
		if (least > 0 && d >= 2 - (int)floor(log10(least)))
			return d; /* each to three significant digits at least */
	}
	return d;
}
