/*
 * Quantities with units: a table of known units, a parser for "NUMBER UNIT"
 * where NUMBER is decimal and UNIT is a product or quotient of known units,
 * and dimension checks. Canonical units are listed in units.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "estimator/error.h"
#include "estimator/units.h"

#define SECONDS_PER_DAY 86400.0
#define DAYS_PER_YEAR 365.0 /* the model's year, docs/model.md */

/* Exponents, in the order time, energy, data, mass, volume, money. */
typedef struct unit_def {
	const char *name;
	double factor; /* canonical units per one of this unit */
	signed char e[EST_NDIM];
	int currency;  /* the name is an ISO currency code */
} unit_def;

#define T_ {1, 0, 0, 0, 0, 0}
#define E_ {0, 1, 0, 0, 0, 0}
#define P_ {-1, 1, 0, 0, 0, 0}
#define D_ {0, 0, 1, 0, 0, 0}
#define M_ {0, 0, 0, 1, 0, 0}
#define V_ {0, 0, 0, 0, 1, 0}
#define C_ {0, 0, 0, 0, 0, 1}
#define N_ {0, 0, 0, 0, 0, 0}

static const unit_def units[] = {
	/* energy, canonical Wh */
	{"J", 1.0 / 3600.0, E_, 0}, {"kJ", 1.0 / 3.6, E_, 0},
	{"MJ", 1000.0 / 3.6, E_, 0}, {"Wh", 1.0, E_, 0},
	{"kWh", 1e3, E_, 0}, {"MWh", 1e6, E_, 0}, {"GWh", 1e9, E_, 0},
	/* power, canonical Wh/s */
	{"W", 1.0 / 3600.0, P_, 0}, {"kW", 1e3 / 3600.0, P_, 0},
	{"MW", 1e6 / 3600.0, P_, 0}, {"GW", 1e9 / 3600.0, P_, 0},
	/* time, canonical s */
	{"ms", 1e-3, T_, 0}, {"s", 1.0, T_, 0}, {"sec", 1.0, T_, 0},
	{"min", 60.0, T_, 0}, {"h", 3600.0, T_, 0}, {"hour", 3600.0, T_, 0},
	{"hours", 3600.0, T_, 0}, {"d", SECONDS_PER_DAY, T_, 0},
	{"day", SECONDS_PER_DAY, T_, 0}, {"days", SECONDS_PER_DAY, T_, 0},
	{"week", 7 * SECONDS_PER_DAY, T_, 0}, {"weeks", 7 * SECONDS_PER_DAY, T_, 0},
	{"month", DAYS_PER_YEAR * SECONDS_PER_DAY / 12.0, T_, 0},
	{"months", DAYS_PER_YEAR * SECONDS_PER_DAY / 12.0, T_, 0},
	{"yr", DAYS_PER_YEAR * SECONDS_PER_DAY, T_, 0},
	{"year", DAYS_PER_YEAR * SECONDS_PER_DAY, T_, 0},
	{"years", DAYS_PER_YEAR * SECONDS_PER_DAY, T_, 0},
	/* data, canonical bytes */
	{"B", 1.0, D_, 0}, {"KB", 1e3, D_, 0}, {"kB", 1e3, D_, 0},
	{"MB", 1e6, D_, 0}, {"GB", 1e9, D_, 0}, {"TB", 1e12, D_, 0},
	{"PB", 1e15, D_, 0}, {"KiB", 1024.0, D_, 0},
	{"MiB", 1048576.0, D_, 0}, {"GiB", 1073741824.0, D_, 0},
	{"TiB", 1099511627776.0, D_, 0}, {"PiB", 1125899906842624.0, D_, 0},
	/* mass of CO2e, canonical kg */
	{"g", 1e-3, M_, 0}, {"kg", 1.0, M_, 0}, {"t", 1e3, M_, 0},
	{"gCO2e", 1e-3, M_, 0}, {"kgCO2e", 1.0, M_, 0}, {"tCO2e", 1e3, M_, 0},
	/* volume, canonical L */
	{"mL", 1e-3, V_, 0}, {"L", 1.0, V_, 0}, {"l", 1.0, V_, 0}, {"m3", 1e3, V_, 0},
	/* money, canonical one unit of the currency */
	{"EUR", 1.0, C_, 1}, {"USD", 1.0, C_, 1}, {"GBP", 1.0, C_, 1},
	{"CHF", 1.0, C_, 1}, {"NOK", 1.0, C_, 1}, {"SEK", 1.0, C_, 1},
	{"DKK", 1.0, C_, 1}, {"JPY", 1.0, C_, 1}, {"CNY", 1.0, C_, 1},
	{"INR", 1.0, C_, 1}, {"CUR", 1.0, C_, 1},
	/* counts */
	{"%", 0.01, N_, 0}, {"inference", 1.0, N_, 0}, {"inferences", 1.0, N_, 0},
	{"request", 1.0, N_, 0}, {"requests", 1.0, N_, 0}, {"query", 1.0, N_, 0},
	{"queries", 1.0, N_, 0}, {"image", 1.0, N_, 0}, {"images", 1.0, N_, 0},
	{"user", 1.0, N_, 0}, {"users", 1.0, N_, 0}, {"1", 1.0, N_, 0},
};

static const unit_def *find_unit(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].name[0] == name[0] && strlen(units[i].name) == len &&
		    !strncmp(units[i].name, name, len))
			return &units[i];
	return NULL;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (msg && len) {
		char raw[512];
		va_start(ap, fmt);
		vsnprintf(raw, sizeof(raw), fmt, ap);
		va_end(ap);
		est_error_escape(msg, len, raw); /* the text quoted may hold control characters */
	}
	return EST_EINVALID;
}

/*
 * An unknown unit, with the known unit it differs from only by case ("kw":
 * kW), or that it begins ("hr": hour), when there is one.
 */
static int unknown_unit(const char *name, size_t len, char *msg, size_t msg_len)
{
	size_t n = sizeof(units) / sizeof(units[0]), i;
	const char *near = NULL;

	for (i = 0; i < n && !near; i++)
		if (strlen(units[i].name) == len && !strncasecmp(units[i].name, name, len))
			near = units[i].name;
	for (i = 0; i < n && !near && len >= 2; i++)
		if (strlen(units[i].name) > len && !strncasecmp(units[i].name, name, len))
			near = units[i].name;
	if (near)
		return fail(msg, msg_len, "unknown unit '%.*s'; did you mean '%s'?", (int)len, name, near);
	return fail(msg, msg_len, "unknown unit '%.*s'", (int)len, name);
}

/*
 * Parse a unit expression into factor, dimension and currency. An empty
 * expression is dimensionless. A leading '/' means "per" ("/day").
 */
static int parse_unit(const char *s, double *factor, est_dim *dim, char *currency,
		      char *msg, size_t msg_len)
{
	int sign = 1, k;

	*factor = 1.0;
	memset(dim, 0, sizeof(*dim));
	currency[0] = '\0';
	while (*s == ' ')
		s++;
	while (*s) {
		const char *start;
		const unit_def *u;
		size_t n;

		if (*s == '/' || *s == '*' || (*s == '.' && s[1] && !isdigit((unsigned char)s[1]))) {
			sign = (*s == '/') ? -1 : 1;
			s++;
			while (*s == ' ')
				s++;
		}
		start = s;
		while (*s && *s != '/' && *s != '*' && *s != ' ' && *s != '.')
			s++;
		n = (size_t)(s - start);
		if (n == 0)
			return fail(msg, msg_len, "missing unit in '%.*s'", (int)strlen(start), start);
		u = find_unit(start, n);
		if (!u)
			return unknown_unit(start, n, msg, msg_len);
		*factor = sign > 0 ? *factor * u->factor : *factor / u->factor;
		for (k = 0; k < EST_NDIM; k++)
			dim->e[k] = (signed char)(dim->e[k] + sign * u->e[k]);
		if (u->currency) {
			if (currency[0] && strcmp(currency, u->name) && strcmp(u->name, "CUR"))
				return fail(msg, msg_len, "two currencies in '%.*s'", (int)n, start);
			if (strcmp(u->name, "CUR") || !currency[0])
				snprintf(currency, EST_CURRENCY_MAX, "%s", u->name);
		}
		while (*s == ' ')
			s++;
		sign = 1;
	}
	return 0;
}

/* The digits of [s, s + n) with the character `drop` left out, then the rest of s. */
static void without(char *out, size_t len, const char *s, size_t n, char drop)
{
	size_t i, used = 0;

	for (i = 0; i < n && used + 1 < len; i++)
		if (s[i] != drop)
			out[used++] = s[i];
	snprintf(out + used, len - used, "%s", s + n);
}

/*
 * Text that is not a decimal number, or whose number continues in a syntax
 * that is refused (n: the length of the decimal number at the start of s),
 * said with what to write instead. 0 when s is fine.
 */
static int refuse_number(const char *s, size_t n, char *msg, size_t msg_len)
{
	const char *d = s + (*s == '+' || *s == '-');
	size_t run, groups = 0, lead = strspn(d, "0123456789");
	char fixed[128];
	char c = s[n];

	if (n == 0 && (!strncasecmp(d, "inf", 3) || !strncasecmp(d, "nan", 3)))
		return fail(msg, msg_len, "'%s' is not a finite number", s);
	if (n == 0)
		return fail(msg, msg_len, "'%s' is not a number with a unit", s);
	if (c == ',' && isdigit((unsigned char)s[n + 1])) {
		for (run = (size_t)(d - s) + lead; s[run] == ',' && strspn(s + run + 1, "0123456789") == 3;
		     run += 4)
			groups++;
		if (lead >= 1 && lead <= 3 && groups > 0 && !isdigit((unsigned char)s[run]) && s[run] != ',') {
			without(fixed, sizeof(fixed), s, run, ',');
			return fail(msg, msg_len, "thousands separators are not allowed: write %s", fixed);
		}
		snprintf(fixed, sizeof(fixed), "%s", s);
		fixed[n < sizeof(fixed) ? n : 0] = '.';
		return fail(msg, msg_len, "'%s': write the decimal point as '.', e.g. %s", s, fixed);
	}
	if (c == '_' && isdigit((unsigned char)s[n + 1])) {
		run = n + strspn(s + n, "0123456789_");
		without(fixed, sizeof(fixed), s, run, '_');
		return fail(msg, msg_len, "digit separators are not allowed: write %s", fixed);
	}
	if (lead == 1 && *d == '0' && d + 1 == s + n && c && strchr("xXbBoO", c) &&
	    isxdigit((unsigned char)s[n + 1]))
		return fail(msg, msg_len, "'%s' is not a decimal number (hexadecimal, binary and octal are not allowed)", s);
	if ((c == 'e' || c == 'E') && (!s[n + 1] || s[n + 1] == ' ' ||
				       ((s[n + 1] == '+' || s[n + 1] == '-') && !isdigit((unsigned char)s[n + 2]))))
		return fail(msg, msg_len, "'%s' is not a number: an exponent needs digits, e.g. 1e3", s);
	if (c == '.' && isdigit((unsigned char)s[n + 1]))
		return fail(msg, msg_len, "'%s' is not a number", s);
	return 0;
}

/*
 * Units are a few strings, read again and again (a batch converts millions
 * of quantities): each thread remembers the last ones parsed, in a small
 * table indexed by a hash of the text and checked by content.
 */
#define UNIT_MEMO 32
#define UNIT_MEMO_LEN 32
typedef struct unit_memo {
	char text[UNIT_MEMO_LEN];
	double factor;
	est_dim dim;
	char currency[EST_CURRENCY_MAX];
} unit_memo;

static _Thread_local unit_memo memo[UNIT_MEMO];

static int parse_unit_memo(const char *unit, double *factor, est_dim *dim, char *currency,
			   char *msg, size_t msg_len)
{
	unsigned h = 2166136261u;
	size_t n;
	unit_memo *m;
	int rc;

	for (n = 0; unit[n] && n < UNIT_MEMO_LEN; n++)
		h = (h ^ (unsigned char)unit[n]) * 16777619u;
	m = &memo[h % UNIT_MEMO];
	if (n < UNIT_MEMO_LEN && m->text[0] == unit[0] && !strcmp(m->text, unit) &&
	    (unit[0] || m->factor != 0)) {
		*factor = m->factor;
		*dim = m->dim;
		memcpy(currency, m->currency, EST_CURRENCY_MAX);
		return 0;
	}
	rc = parse_unit(unit, factor, dim, currency, msg, msg_len);
	if (rc == 0 && n < UNIT_MEMO_LEN) {
		memcpy(m->text, unit, n + 1);
		m->factor = *factor;
		m->dim = *dim;
		memcpy(m->currency, currency, EST_CURRENCY_MAX);
	}
	return rc;
}

/*
 * A decimal number of n bytes at s without an exponent and with at most 15
 * digits, exactly as strtod reads it: the digits as a whole number m (below
 * 2^53, so exact) divided by 10^k (k <= 22, exact): one correctly rounded
 * division, which is strtod's result (Clinger's fast path). Returns 0, or -1
 * when the number is not of that form (strtod reads it).
 */
static int simple_decimal(const char *s, size_t n, double *out)
{
	static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
				       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	unsigned long long m = 0;
	size_t i = 0, digits = 0, decimals = 0;
	int neg = 0, point = 0;

	if (s[i] == '+' || s[i] == '-')
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] == '.' && !point) {
			point = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || ++digits > 15)
			return -1;
		m = m * 10 + (unsigned long long)(s[i] - '0');
		decimals += (size_t)point;
	}
	if (digits == 0)
		return -1;
	*out = (double)m / pow10[decimals];
	if (neg)
		*out = -*out;
	return 0;
}

int est_quantity_parse(est_quantity *out, const char *text, char *msg, size_t msg_len)
{
	char *end = NULL;
	const char *rest;
	double v;
	int rc;
	double factor;

	memset(out, 0, sizeof(*out));
	while (*text == ' ')
		text++;
	if (!*text)
		return fail(msg, msg_len, "empty value");
	errno = 0;
	if (*text == '/' ) {
		v = 1.0; /* "/day" alone means one per day */
		rest = text;
	} else {
		size_t n = est_quantity_number_length(text);
		rc = refuse_number(text, n, msg, msg_len);
		if (rc < 0)
			return rc;
		/* only the decimal number: strtod alone would also read "0x10", "inf" */
		if (simple_decimal(text, n, &v) != 0) {
			v = strtod(text, &end);
			if (end != text + n)
				return fail(msg, msg_len, "'%s' is not a number with a unit", text);
			if (errno == ERANGE || !isfinite(v))
				return fail(msg, msg_len, "'%s' is out of range", text);
		}
		rest = text + n;
	}
	rc = parse_unit_memo(rest, &factor, &out->dim, out->currency, msg, msg_len);
	if (rc < 0)
		return rc;
	out->bare = rest[strspn(rest, " ")] == '\0';
	out->value = v * factor;
	if (!isfinite(out->value))
		return fail(msg, msg_len, "'%s' is out of range", text);
	return 0;
}

int est_dim_equal(const est_dim *a, const est_dim *b)
{
	return memcmp(a->e, b->e, sizeof(a->e)) == 0;
}

typedef struct dim_name {
	est_dim dim;
	const char *name;
	const char *example;
} dim_name;

static const dim_name dim_names[] = {
	{{N_}, "a plain number", "40%"},
	{{E_}, "energy", "kWh"},
	{{P_}, "power", "kW"},
	{{T_}, "time", "years"},
	{{D_}, "data size", "TB"},
	{{M_}, "emissions", "tCO2e"},
	{{V_}, "volume", "L"},
	{{C_}, "money", "EUR"},
	{{{-1, 0, 0, 0, 0, 0}}, "a rate", "/day"},
	{{{0, -1, 0, 1, 0, 0}}, "carbon intensity", "g/kWh"},
	{{{0, -1, 0, 0, 0, 1}}, "an energy price", "EUR/kWh"},
	{{{0, -1, 0, 0, 1, 0}}, "water per energy", "L/kWh"},
	{{{1, -1, 0, 0, 0, 1}}, "a power price", "EUR/kW"},
	{{{0, 0, -1, 0, 0, 1}}, "a storage price", "EUR/TB"},
	{{{0, 0, -1, 1, 0, 0}}, "emissions per data size", "kgCO2e/TB"},
	{{{-1, 1, -1, 0, 0, 0}}, "power per data size", "W/TB"},
	{{{0, 1, -1, 0, 0, 0}}, "energy per data size", "kWh/GB"},
	{{{-1, 0, 1, 0, 0, 0}}, "a data rate", "GB/day"},
};

void est_dim_describe(const est_dim *d, char *buf, size_t len)
{
	size_t i;
	static const char *base[EST_NDIM] = {"s", "Wh", "B", "kg", "L", "CUR"};
	size_t used = 0;
	int k;

	for (i = 0; i < sizeof(dim_names) / sizeof(dim_names[0]); i++) {
		if (est_dim_equal(d, &dim_names[i].dim)) {
			snprintf(buf, len, "%s (e.g. %s)", dim_names[i].name, dim_names[i].example);
			return;
		}
	}
	buf[0] = '\0';
	for (k = 0; k < EST_NDIM && used < len; k++) {
		if (d->e[k] == 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s^%d",
					 used ? "*" : "unit ", base[k], d->e[k]);
	}
}

int est_quantity_in(double *out, const est_quantity *q, const char *unit, char *msg,
		    size_t msg_len)
{
	double factor;
	est_dim dim;
	char currency[EST_CURRENCY_MAX];
	char want[64], got[64];
	int rc, share;

	share = !strcmp(unit, EST_UNIT_SHARE);
	rc = parse_unit_memo(share ? "1" : unit, &factor, &dim, currency, msg, msg_len);
	if (rc < 0)
		return rc;
	if (share && q->bare && q->value != 0 && est_dim_equal(&dim, &q->dim))
		return fail(msg, msg_len, "%.15g needs a unit: did you mean %.15g%%?", q->value,
			    fabs(q->value) <= 1 ? q->value * 100 : q->value);
	if (!est_dim_equal(&dim, &q->dim)) {
		est_dim_describe(&dim, want, sizeof(want));
		est_dim_describe(&q->dim, got, sizeof(got));
		if (msg && msg_len)
			snprintf(msg, msg_len, "expected %s, got %s", want, got);
		return EST_EINVALID;
	}
	if (currency[0] && strcmp(currency, "CUR") && strcmp(currency, q->currency)) {
		if (msg && msg_len)
			snprintf(msg, msg_len, "expected an amount in %s, got %s", currency, q->currency);
		return EST_EINVALID;
	}
	*out = q->value / factor;
	return 0;
}

size_t est_quantity_number_length(const char *s)
{
	size_t i = 0, digits = 0, e;

	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; isdigit((unsigned char)s[i]); i++)
		digits++;
	if (s[i] == '.')
		for (i++; isdigit((unsigned char)s[i]); i++)
			digits++;
	if (digits == 0)
		return 0;
	if (s[i] == 'e' || s[i] == 'E') {
		e = i + 1;
		if (s[e] == '+' || s[e] == '-')
			e++;
		if (isdigit((unsigned char)s[e])) {
			while (isdigit((unsigned char)s[e]))
				e++;
			i = e;
		}
	}
	return i;
}
