/*
 * Quantities with units: "120 kW", "1.5 PB", "0.18 EUR/kWh", "40%", "2000/day".
 * Text is parsed into a value in canonical units plus a dimension vector, and
 * checked against the dimension a field expects.
 *
 * Canonical units: time s, energy Wh, data bytes, mass kg CO2e, volume L,
 * money 1 unit of the quantity's currency. Counts (inferences, users) are
 * dimensionless.
 *
 * Ownership: est_quantity is a plain value; nothing here allocates.
 */
#ifndef ESTIMATOR_UNITS_H
#define ESTIMATOR_UNITS_H

#include <stddef.h>

enum {
	EST_DIM_TIME,
	EST_DIM_ENERGY,
	EST_DIM_DATA,
	EST_DIM_MASS,
	EST_DIM_VOLUME,
	EST_DIM_MONEY,
	EST_NDIM
};

typedef struct est_dim {
	signed char e[EST_NDIM]; /* exponent of each base dimension */
} est_dim;

#define EST_CURRENCY_MAX 4

typedef struct est_quantity {
	double value;                     /* in canonical units */
	est_dim dim;
	char currency[EST_CURRENCY_MAX];  /* ISO code when dim has money, else "" */
	int bare;                         /* 1: a number written without a unit */
} est_quantity;

/*
 * Parse "NUMBER [UNIT]" where UNIT is a product/quotient of known units,
 * e.g. "kWh", "g/kWh", "EUR/kWh", "/day", "W/TB", "%". NUMBER is decimal:
 * [+-]digits[.digits][e[+-]digits] (or .digits); hexadecimal, binary,
 * "inf", "nan", digit separators ("1_000", "150,000") and a decimal comma
 * are refused. Returns 0, or EST_EINVALID with a one-line reason in msg
 * (an unknown unit names the unit it differs from only by case or begins,
 * "did you mean 'kW'?").
 */
int est_quantity_parse(est_quantity *out, const char *text, char *msg,
		       size_t msg_len);

/*
 * Express q in the unit text `unit` (same grammar; "CUR" stands for the
 * quantity's own currency, "1" for a plain number, EST_UNIT_SHARE for a
 * share). Returns 0, or EST_EINVALID with "expected <what>, got <what>" in
 * msg when the dimensions differ.
 */
int est_quantity_in(double *out, const est_quantity *q, const char *unit,
		    char *msg, size_t msg_len);

/*
 * A share (growth, utilisation, renewable_share, reduction): a plain number
 * returned as a fraction (40% -> 0.4) that must be written with '%'. A bare
 * number other than 0 is refused with a hint, "15 needs a unit: did you mean
 * 15%?" (a bare number from -1 to 1, once read as a fraction, hints its
 * percentage: 0.15 -> 15%). Ratios that are not shares (pue, replication)
 * stay plain numbers, unit "1".
 */
#define EST_UNIT_SHARE "share"

/*
 * The length of the number at the start of s ("-1.5e3 kW" -> 6), or 0 when
 * s does not start with one: splits a value into its number and unit text.
 * An 'e' belongs to the number only when digits follow, so that a unit such
 * as "EUR/kWh" is left alone.
 */
size_t est_quantity_number_length(const char *s);

/* Human name of a dimension, e.g. "power", "energy", "carbon intensity". */
void est_dim_describe(const est_dim *d, char *buf, size_t len);

int est_dim_equal(const est_dim *a, const est_dim *b);

#endif
