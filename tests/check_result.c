/*
 * Checks one estimator-result/1 document against the contract and against
 * the sums docs/model.md defines: every key present with its type, every
 * number finite and non-negative, energies, purchases and totals adding up;
 * in a sampled result, `sampling` and each year's and the totals'
 * `uncertainty` with p5 <= p50 <= p95 for every headline metric.
 * Usage: check_result FILE|-   (exit 0 ok, 1 failed checks, 2 usage or I/O)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#define FORMAT_ID "estimator-result/1"
#define PATH_LEN 256

/*
 * The numbers are printed with ten significant digits, so sums and ratios
 * recomputed from them agree to about 1e-10 of the largest term; 1e-9 of
 * that scale (and at least 1e-9 absolute) is the tolerance everywhere.
 */
#define TOL 1e-9

static unsigned failures;
/* The result has `sampling`: every year and the totals must have `uncertainty`. */
static int sampled;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "check_result: %s: ", path[0] ? path : "(root)");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static int close_to(double a, double b, double scale)
{
	double s = fmax(1.0, fmax(fabs(scale), fmax(fabs(a), fabs(b))));

	return fabs(a - b) <= TOL * s;
}

static void join(char out[PATH_LEN], const char *path, const char *key)
{
	/* paths only label messages: a truncated one is still useful */
	if (snprintf(out, PATH_LEN, "%s%s%s", path, path[0] ? "." : "", key) >= PATH_LEN)
		out[PATH_LEN - 1] = '\0';
}

static void index_path(char out[PATH_LEN], const char *path, const char *key, int i)
{
	if (snprintf(out, PATH_LEN, "%s%s%s[%d]", path, path[0] ? "." : "", key, i) >= PATH_LEN)
		out[PATH_LEN - 1] = '\0';
}

/* ---- typed lookups: each reports a missing key or a wrong type ---- */

enum kind { NUMBER, STRING, OBJECT, ARRAY, BOOL };

static const char *const kind_names[] = {"a number", "a string", "an object",
					 "an array", "a boolean"};

static int is_kind(const cJSON *c, enum kind k)
{
	switch (k) {
	case NUMBER:
		return cJSON_IsNumber(c);
	case STRING:
		return cJSON_IsString(c);
	case OBJECT:
		return cJSON_IsObject(c);
	case ARRAY:
		return cJSON_IsArray(c);
	case BOOL:
		return cJSON_IsBool(c);
	}
	return 0;
}

/* o's member at the dotted key path `key`, of kind k, or NULL (reported). */
static const cJSON *get(const cJSON *o, const char *path, const char *key, enum kind k)
{
	char full[PATH_LEN], part[PATH_LEN];
	const char *p = key, *dot;
	const cJSON *c = o;
	size_t n;

	join(full, path, key);
	while (c) {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		c = cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, part) : NULL;
		if (!dot)
			break;
		p = dot + 1;
	}
	if (!c) {
		fail(full, "missing");
		return NULL;
	}
	if (!is_kind(c, k)) {
		fail(full, "not %s", kind_names[k]);
		return NULL;
	}
	return c;
}

/* The number at key, or NAN (reported) so that later checks skip it. */
static double num(const cJSON *o, const char *path, const char *key)
{
	const cJSON *c = get(o, path, key, NUMBER);

	return c ? c->valuedouble : NAN;
}

static int known(double a)
{
	return !isnan(a);
}

/* ---- whole-document checks ---- */

static void check_numbers(const cJSON *item, const char *path)
{
	char sub[PATH_LEN];
	const cJSON *c;
	int i = 0;

	if (cJSON_IsNumber(item)) {
		if (!isfinite(item->valuedouble))
			fail(path, "not finite");
		else if (item->valuedouble < 0)
			fail(path, "negative (%.10g)", item->valuedouble);
		return;
	}
	cJSON_ArrayForEach(c, item) {
		if (cJSON_IsArray(item))
			snprintf(sub, sizeof(sub), "%s[%d]", path, i++);
		else
			join(sub, path, c->string);
		/* differences may be negative: check_vs_base checks them */
		if (!cJSON_IsArray(item) && !strcmp(c->string, "vs_base"))
			continue;
		check_numbers(c, sub);
	}
}

/* A number at a dotted key path below o ("energy_kwh.facility"), or NAN. */
static double at_path(const cJSON *o, const char *dotted)
{
	char key[128];
	const char *p = dotted;

	while (o && *p) {
		size_t n = strcspn(p, ".");
		if (n >= sizeof(key))
			return NAN;
		memcpy(key, p, n);
		key[n] = '\0';
		o = cJSON_GetObjectItemCaseSensitive(o, key);
		p += n + (p[n] == '.');
	}
	return cJSON_IsNumber(o) ? o->valuedouble : NAN;
}

/* vs_base: base and value are the two totals; abs and pct follow from them. */
static void check_vs_base(const cJSON *v, const cJSON *base, const char *path)
{
	char sub[PATH_LEN];
	const cJSON *vs = cJSON_GetObjectItemCaseSensitive(v, "vs_base"), *m;

	if (!vs) {
		fail(path, "a variant without vs_base");
		return;
	}
	cJSON_ArrayForEach(m, vs) {
		double b = at_path(cJSON_GetObjectItemCaseSensitive(base, "totals"), m->string);
		double x = at_path(cJSON_GetObjectItemCaseSensitive(v, "totals"), m->string);
		const cJSON *pct = cJSON_GetObjectItemCaseSensitive(m, "pct");
		if (snprintf(sub, sizeof(sub), "%s.vs_base.%s", path, m->string) >= (int)sizeof(sub))
			sub[sizeof(sub) - 1] = '\0'; /* a label only */
		if (!close_to(num(m, sub, "base"), b, b) || !close_to(num(m, sub, "value"), x, x))
			fail(sub, "base/value are not the totals %.10g / %.10g", b, x);
		if (!close_to(num(m, sub, "abs"), x - b, fmax(fabs(x), fabs(b))))
			fail(sub, "abs is not value - base");
		if (b == 0 ? !cJSON_IsNull(pct)
			   : !(cJSON_IsNumber(pct) && fabs(pct->valuedouble - (x - b) / b * 100) <=
							      1e-6 * fmax(1, fabs(pct->valuedouble))))
			fail(sub, "pct is not (value - base) / base x 100 (null when base is 0)");
	}
}

/* ---- Monte Carlo ---- */

/* The headline metrics of docs/output-format.md, the keys of `uncertainty`. */
static const char *const headlines[] = {
	"inferences", "energy_kwh.facility",
	"emissions_kgco2e.location_based", "emissions_kgco2e.market_based",
	"emissions_kgco2e.embodied", "water_l", "cost.capex", "cost.opex",
	"accelerators.to_buy", "servers.to_buy", "storage_tb.to_buy", "power_kw.upgrade",
	NULL,
};

static void check_sampling(const cJSON *root)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "sampling"), *g;
	double n, seed;

	sampled = s != NULL;
	if (!s || !get(root, "", "sampling", OBJECT))
		return;
	n = num(s, "sampling", "samples");
	seed = num(s, "sampling", "seed");
	g = get(s, "sampling", "generator", STRING);
	if (known(n) && !(n >= 1 && n == floor(n)))
		fail("sampling.samples", "not a whole number of at least 1 (%.10g)", n);
	if (known(seed) && !(seed >= 0 && seed <= 4294967295.0 && seed == floor(seed)))
		fail("sampling.seed", "not a whole number from 0 to 4294967295 (%.10g)", seed);
	if (g && !g->valuestring[0])
		fail("sampling.generator", "empty");
}

/*
 * o (a year or the totals) has `uncertainty` exactly when the result is
 * sampled: one entry per headline metric, each a number in o, with
 * p5 <= p50 <= p95 (the printed digits keep the order: rounding is monotone).
 */
static void check_uncertainty(const cJSON *o, const char *path)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(o, "uncertainty"), *m;
	char sub[PATH_LEN], mpath[PATH_LEN];
	double p5, p50, p95;
	size_t k;

	join(sub, path, "uncertainty");
	if (!sampled) {
		if (u)
			fail(sub, "present, but the result has no sampling");
		return;
	}
	if (!get(o, path, "uncertainty", OBJECT))
		return;
	for (k = 0; headlines[k]; k++) {
		/* the keys hold dots: look them up whole */
		m = cJSON_GetObjectItemCaseSensitive(u, headlines[k]);
		if (snprintf(mpath, sizeof(mpath), "%s.%s", sub, headlines[k]) >= (int)sizeof(mpath))
			mpath[sizeof(mpath) - 1] = '\0'; /* a label only */
		if (!cJSON_IsObject(m)) {
			fail(mpath, m ? "not an object" : "missing");
			continue;
		}
		p5 = num(m, mpath, "p5");
		p50 = num(m, mpath, "p50");
		p95 = num(m, mpath, "p95");
		num(m, mpath, "mean");
		if (known(p5) && known(p50) && known(p95) && !(p5 <= p50 && p50 <= p95))
			fail(mpath, "p5 %.10g, p50 %.10g, p95 %.10g are not in order", p5, p50, p95);
		if (!known(at_path(o, headlines[k])))
			fail(mpath, "names no number of the %s", strstr(path, "totals") ? "totals" : "year");
	}
	cJSON_ArrayForEach(m, u) {
		for (k = 0; headlines[k] && strcmp(headlines[k], m->string); k++)
			;
		if (!headlines[k]) {
			join(mpath, sub, m->string);
			fail(mpath, "not a headline metric");
		}
	}
}

/* ---- one year ---- */

typedef struct variant_state {
	double pue;             /* facility / IT energy of the first year with IT > 0 */
	char pue_path[PATH_LEN]; /* the year it was taken from */
	const cJSON *equivalents; /* the first year's, whose keys all others repeat */
} variant_state;

static void check_keys_match(const cJSON *o, const cJSON *ref, const char *path)
{
	char sub[PATH_LEN];
	const cJSON *c;

	if (!o || !ref)
		return;
	cJSON_ArrayForEach(c, ref) {
		if (!cJSON_GetObjectItemCaseSensitive(o, c->string)) {
			join(sub, path, c->string);
			fail(sub, "missing (other years have it)");
		}
	}
	cJSON_ArrayForEach(c, o) {
		if (!cJSON_GetObjectItemCaseSensitive(ref, c->string)) {
			join(sub, path, c->string);
			fail(sub, "unexpected (the first year lacks it)");
		}
	}
}

static void check_energy(const cJSON *y, const char *path, variant_state *st)
{
	char sub[PATH_LEN];
	double inf, idle, sto, net, it, fac, sum;

	join(sub, path, "energy_kwh");
	if (!get(y, path, "energy_kwh", OBJECT))
		return;
	inf = num(y, path, "energy_kwh.inference");
	idle = num(y, path, "energy_kwh.idle");
	sto = num(y, path, "energy_kwh.storage");
	net = num(y, path, "energy_kwh.network");
	it = num(y, path, "energy_kwh.it");
	fac = num(y, path, "energy_kwh.facility");
	sum = inf + idle + sto + net;
	if (known(sum) && known(it) && !close_to(it, sum, sum))
		fail(sub, "it %.10g != inference + idle + storage + network = %.10g", it, sum);
	if (!known(it) || !known(fac))
		return;
	if (fac < it && !close_to(fac, it, it))
		fail(sub, "facility %.10g < it %.10g", fac, it);
	if (it <= 0)
		return;
	if (!known(st->pue)) {
		st->pue = fac / it;
		snprintf(st->pue_path, sizeof(st->pue_path), "%s", path);
	} else if (!close_to(fac / it, st->pue, st->pue)) {
		fail(sub, "facility / it = %.10g, but %.10g in %s", fac / it, st->pue,
		     st->pue_path);
	}
}

static void check_power(const cJSON *y, const char *path)
{
	char sub[PATH_LEN];
	double peak, existing, upgrade, want;

	join(sub, path, "power_kw");
	if (!get(y, path, "power_kw", OBJECT))
		return;
	peak = num(y, path, "power_kw.it_peak");
	num(y, path, "power_kw.facility_peak");
	existing = num(y, path, "power_kw.existing");
	upgrade = num(y, path, "power_kw.upgrade");
	if (!known(peak) || !known(existing) || !known(upgrade))
		return;
	want = fmax(0, peak - existing);
	if (!close_to(upgrade, want, fmax(peak, existing)))
		fail(sub, "upgrade %.10g != max(0, it_peak - existing) = %.10g", upgrade, want);
}

static void check_stock(const cJSON *y, const char *path, const char *key)
{
	char sub[PATH_LEN], k[PATH_LEN];
	double required, existing, to_buy, want;

	join(sub, path, key);
	if (!get(y, path, key, OBJECT))
		return;
	snprintf(k, sizeof(k), "%s.required", key);
	required = num(y, path, k);
	snprintf(k, sizeof(k), "%s.existing", key);
	existing = num(y, path, k);
	snprintf(k, sizeof(k), "%s.to_buy", key);
	to_buy = num(y, path, k);
	if (!known(required) || !known(existing) || !known(to_buy))
		return;
	want = fmax(0, required - existing);
	if (!close_to(to_buy, want, fmax(required, existing)))
		fail(sub, "to_buy %.10g != max(0, required - existing) = %.10g", to_buy, want);
}

static void check_esg(const cJSON *y, const char *path, int *has_esg)
{
	char sub[PATH_LEN];
	const cJSON *esg = cJSON_GetObjectItemCaseSensitive(y, "esg");
	const cJSON *within;
	double budget, counted;

	join(sub, path, "esg");
	if (*has_esg < 0)
		*has_esg = esg != NULL;
	if ((esg != NULL) != *has_esg) {
		fail(sub, esg ? "present, but absent in other years"
			      : "missing, but present in other years");
		return;
	}
	if (!esg || !get(y, path, "esg", OBJECT))
		return;
	budget = num(y, path, "esg.budget_kgco2e");
	counted = num(y, path, "esg.counted_kgco2e");
	within = get(y, path, "esg.within_budget", BOOL);
	if (!within || !known(budget) || !known(counted) || close_to(counted, budget, budget))
		return;
	if (cJSON_IsTrue(within) != (counted <= budget))
		fail(sub, "within_budget is %s, but counted %.10g vs budget %.10g",
		     cJSON_IsTrue(within) ? "true" : "false", counted, budget);
}

static void check_cost(const cJSON *o, const char *path, const char *currency)
{
	char sub[PATH_LEN];
	const cJSON *c;

	if (!get(o, path, "cost", OBJECT))
		return;
	c = get(o, path, "cost.currency", STRING);
	join(sub, path, "cost.currency");
	if (c && currency && strcmp(c->valuestring, currency) != 0)
		fail(sub, "\"%s\", but the result's currency is \"%s\"", c->valuestring,
		     currency);
	num(o, path, "cost.capex");
	num(o, path, "cost.opex");
}

static void check_year(const cJSON *y, const char *path, const char *currency,
		       variant_state *st, int *has_esg)
{
	char sub[PATH_LEN];
	const cJSON *eq;
	double year, location, market;

	if (!cJSON_IsObject(y)) {
		fail(path, "not an object");
		return;
	}
	year = num(y, path, "year");
	join(sub, path, "year");
	if (known(year) && year != floor(year))
		fail(sub, "not a whole year (%.10g)", year);
	num(y, path, "inferences");
	check_energy(y, path, st);
	check_power(y, path);
	check_stock(y, path, "accelerators");
	check_stock(y, path, "servers");
	check_stock(y, path, "racks");
	check_stock(y, path, "storage_tb");
	if (get(y, path, "emissions_kgco2e", OBJECT)) {
		location = num(y, path, "emissions_kgco2e.location_based");
		market = num(y, path, "emissions_kgco2e.market_based");
		num(y, path, "emissions_kgco2e.embodied");
		join(sub, path, "emissions_kgco2e");
		if (known(location) && known(market) && market > location &&
		    !close_to(market, location, location))
			fail(sub, "market_based %.10g > location_based %.10g", market, location);
	}
	num(y, path, "water_l");
	num(y, path, "sci_gco2e_per_inference");
	check_cost(y, path, currency);
	eq = get(y, path, "equivalents", OBJECT);
	if (eq) {
		join(sub, path, "equivalents");
		check_keys_match(eq, st->equivalents, sub);
		if (!st->equivalents)
			st->equivalents = eq;
	}
	check_esg(y, path, has_esg);
	check_uncertainty(y, path);
}

/* ---- totals ---- */

static const char *const additive[] = {
	"inferences",
	"energy_kwh.inference", "energy_kwh.idle", "energy_kwh.storage",
	"energy_kwh.network", "energy_kwh.it", "energy_kwh.facility",
	"power_kw.upgrade",
	"accelerators.to_buy", "servers.to_buy", "racks.to_buy", "storage_tb.to_buy",
	"emissions_kgco2e.location_based", "emissions_kgco2e.market_based",
	"emissions_kgco2e.embodied",
	"water_l",
	"cost.capex", "cost.opex",
	NULL,
};

/* The number at the dotted key path in o, or NAN; silent (for cross-checks). */
static double lookup(const cJSON *o, const char *key)
{
	char part[PATH_LEN];
	const char *p = key, *dot;
	const cJSON *c = o;

	while (c) {
		dot = strchr(p, '.');
		snprintf(part, sizeof(part), "%.*s",
			 (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		c = cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, part) : NULL;
		if (!dot)
			break;
		p = dot + 1;
	}
	return cJSON_IsNumber(c) ? c->valuedouble : NAN;
}

/* Σ over the years of the number at key; NAN when a year lacks it (reported there). */
static double sum_years(const cJSON *years, const char *key, double *scale)
{
	const cJSON *y;
	double sum = 0, v;

	*scale = 0;
	cJSON_ArrayForEach(y, years) {
		v = lookup(y, key);
		sum += v;
		*scale += fabs(v);
	}
	return sum;
}

static void check_total(const cJSON *t, const char *path, const cJSON *years,
			const char *key)
{
	char sub[PATH_LEN];
	double total = num(t, path, key), sum, scale;

	sum = sum_years(years, key, &scale);
	join(sub, path, key);
	if (known(total) && known(sum) && !close_to(total, sum, scale))
		fail(sub, "%.10g != the sum over the years %.10g", total, sum);
}

static void check_totals(const cJSON *v, const char *path, const cJSON *years,
			 const char *currency, const variant_state *st)
{
	char sub[PATH_LEN], key[PATH_LEN];
	const cJSON *t = get(v, path, "totals", OBJECT);
	const cJSON *eq, *c;
	size_t i;

	if (!t)
		return;
	join(sub, path, "totals");
	for (i = 0; additive[i]; i++)
		check_total(t, sub, years, additive[i]);
	check_cost(t, sub, currency);
	check_uncertainty(t, sub);
	eq = get(t, sub, "equivalents", OBJECT);
	if (!eq)
		return;
	join(key, sub, "equivalents");
	check_keys_match(eq, st->equivalents, key);
	cJSON_ArrayForEach(c, eq) {
		snprintf(key, sizeof(key), "equivalents.%s", c->string);
		check_total(t, sub, years, key);
	}
}

/* ---- workloads ---- */

static void check_workload(const cJSON *w, const char *path, const cJSON *years)
{
	char sub[PATH_LEN], ypath[PATH_LEN];
	const cJSON *a, *c, *wy, *y;
	double e_wh, n, kwh;
	int i = 0;

	if (!cJSON_IsObject(w)) {
		fail(path, "not an object");
		return;
	}
	get(w, path, "name", STRING);
	get(w, path, "task", STRING);
	get(w, path, "model", STRING);
	get(w, path, "profile", STRING);
	e_wh = num(w, path, "energy_wh_per_inference");
	num(w, path, "time_s_per_inference");
	/* "any model" reports the spread of the measured models around its central value */
	{
		const cJSON *model = cJSON_GetObjectItemCaseSensitive(w, "model");
		if (cJSON_IsString(model) && !strcmp(model->valuestring, "any")) {
			const cJSON *sp = get(w, path, "spread", OBJECT);
			join(sub, path, "spread");
			if (sp) {
				double n_models = num(sp, sub, "models");
				double lo = num(sp, sub, "min_wh_per_inference");
				double hi = num(sp, sub, "max_wh_per_inference");
				if (n_models < 1)
					fail(sub, "no models behind the spread");
				if (!(lo <= e_wh * (1 + TOL) && e_wh <= hi * (1 + TOL)))
					fail(sub, "energy %.10g outside the spread %.10g to %.10g", e_wh, lo, hi);
			}
		}
	}
	a = get(w, path, "conversions", ARRAY);
	cJSON_ArrayForEach(c, a) {
		index_path(sub, path, "conversions", i++);
		if (!cJSON_IsString(c))
			fail(sub, "not a string");
	}
	a = get(w, path, "years", ARRAY);
	if (!a)
		return;
	join(sub, path, "years");
	if (cJSON_GetArraySize(a) != cJSON_GetArraySize(years))
		fail(sub, "%d years, but the variant has %d", cJSON_GetArraySize(a),
		     cJSON_GetArraySize(years));
	i = 0;
	cJSON_ArrayForEach(wy, a) {
		index_path(ypath, path, "years", i);
		y = cJSON_GetArrayItem(years, i++);
		if (!cJSON_IsObject(wy)) {
			fail(ypath, "not an object");
			continue;
		}
		num(wy, ypath, "year");
		n = num(wy, ypath, "inferences");
		kwh = num(wy, ypath, "energy_kwh");
		num(wy, ypath, "accelerators");
		join(sub, ypath, "year");
		if (known(lookup(wy, "year")) && known(lookup(y, "year")) &&
		    lookup(wy, "year") != lookup(y, "year"))
			fail(sub, "%.10g, but the variant's year is %.10g", lookup(wy, "year"),
			     lookup(y, "year"));
		join(sub, ypath, "energy_kwh");
		if (known(n) && known(kwh) && known(e_wh) &&
		    !close_to(kwh, n * e_wh / 1000, kwh))
			fail(sub, "%.10g != inferences x energy_wh_per_inference / 1000 = %.10g",
			     kwh, n * e_wh / 1000);
	}
}

/*
 * Per year, the workloads' inferences and inference energy add up to the
 * year's, and the accelerators required cover their fractional need.
 */
static void check_workload_sums(const cJSON *workloads, const cJSON *years,
				const char *path)
{
	static const struct {
		const char *workload_key, *year_key;
	} sums[] = {
		{"inferences", "inferences"},
		{"energy_kwh", "energy_kwh.inference"},
	};
	char sub[PATH_LEN];
	const cJSON *y, *w, *wy;
	double sum, scale, want, v;
	size_t k;
	int i = 0;

	cJSON_ArrayForEach(y, years) {
		index_path(sub, path, "years", i);
		for (k = 0; k < sizeof(sums) / sizeof(sums[0]); k++) {
			sum = 0;
			scale = 0;
			cJSON_ArrayForEach(w, workloads) {
				wy = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(w, "years"), i);
				v = lookup(wy, sums[k].workload_key);
				sum += v;
				scale += fabs(v);
			}
			want = lookup(y, sums[k].year_key);
			if (known(want) && known(sum) && !close_to(want, sum, scale))
				fail(sub, "%s %.10g != the workloads' sum %.10g",
				     sums[k].year_key, want, sum);
		}
		sum = 0;
		cJSON_ArrayForEach(w, workloads) {
			wy = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(w, "years"), i);
			sum += lookup(wy, "accelerators");
		}
		want = lookup(y, "accelerators.required");
		if (known(want) && known(sum) && sum > want && !close_to(want, sum, sum))
			fail(sub, "accelerators.required %.10g < the workloads' need %.10g",
			     want, sum);
		i++;
	}
}

/* ---- variants ---- */

static void check_variant(const cJSON *v, const char *path, const char *currency,
			  int *has_esg)
{
	char sub[PATH_LEN];
	variant_state st = {NAN, "", NULL};
	const cJSON *years, *workloads, *y, *prev = NULL, *c, *pc;
	int i = 0;

	if (!cJSON_IsObject(v)) {
		fail(path, "not an object");
		return;
	}
	get(v, path, "name", STRING);
	years = get(v, path, "years", ARRAY);
	workloads = get(v, path, "workloads", ARRAY);
	if (!years)
		return;
	if (cJSON_GetArraySize(years) == 0) {
		join(sub, path, "years");
		fail(sub, "empty");
	}
	cJSON_ArrayForEach(y, years) {
		index_path(sub, path, "years", i++);
		check_year(y, sub, currency, &st, has_esg);
		c = cJSON_GetObjectItemCaseSensitive(y, "year");
		pc = cJSON_GetObjectItemCaseSensitive(prev, "year");
		if (cJSON_IsNumber(c) && cJSON_IsNumber(pc) &&
		    c->valuedouble != pc->valuedouble + 1)
			fail(sub, "year %.10g does not follow %.10g", c->valuedouble,
			     pc->valuedouble);
		prev = y;
	}
	check_totals(v, path, years, currency, &st);
	if (!workloads)
		return;
	i = 0;
	cJSON_ArrayForEach(c, workloads) {
		index_path(sub, path, "workloads", i++);
		check_workload(c, sub, years);
	}
	check_workload_sums(workloads, years, path);
}

static void check_result(const cJSON *root)
{
	char sub[PATH_LEN];
	const cJSON *c, *variants, *name;
	const char *currency = NULL;
	int has_esg = -1, i = 0;

	if (!cJSON_IsObject(root)) {
		fail("", "not an object");
		return;
	}
	c = get(root, "", "format", STRING);
	if (c && strcmp(c->valuestring, FORMAT_ID) != 0)
		fail("format", "\"%s\", not \"" FORMAT_ID "\"", c->valuestring);
	if (get(root, "", "scenario", OBJECT)) {
		get(root, "", "scenario.name", STRING);
		get(root, "", "scenario.file", STRING);
	}
	c = get(root, "", "currency", STRING);
	if (c)
		currency = c->valuestring;
	check_sampling(root);
	c = get(root, "", "notes", ARRAY);
	cJSON_ArrayForEach(name, c) {
		index_path(sub, "", "notes", i++);
		if (!cJSON_IsString(name))
			fail(sub, "not a string");
	}
	variants = get(root, "", "variants", ARRAY);
	if (!variants)
		return;
	if (cJSON_GetArraySize(variants) == 0) {
		fail("variants", "empty");
		return;
	}
	name = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(variants, 0), "name");
	if (cJSON_IsString(name) && strcmp(name->valuestring, "base") != 0)
		fail("variants[0].name", "\"%s\", not \"base\"", name->valuestring);
	i = 0;
	cJSON_ArrayForEach(c, variants) {
		index_path(sub, "", "variants", i++);
		check_variant(c, sub, currency, &has_esg);
		if (i > 1)
			check_vs_base(c, cJSON_GetArrayItem(variants, 0), sub);
	}
	check_numbers(root, "");
}

/* ---- input ---- */

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 65536, n;
	char *buf = malloc(cap), *p;

	if (!buf)
		return NULL;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	FILE *f;
	char *text;
	cJSON *root;
	const char *end = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: check_result FILE|-\n");
		return 2;
	}
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "check_result: %s: cannot open\n", argv[1]);
		return 2;
	}
	text = read_all(f);
	if (f != stdin)
		fclose(f);
	if (!text) {
		fprintf(stderr, "check_result: %s: cannot read\n", argv[1]);
		return 2;
	}
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (!root) {
		fprintf(stderr, "check_result: %s: not JSON (at byte %ld)\n", argv[1],
			end ? (long)(end - text) : 0L);
		free(text);
		return 1;
	}
	check_result(root);
	cJSON_Delete(root);
	free(text);
	if (failures > 0)
		return 1;
	fprintf(stderr, "check_result: ok\n");
	return 0;
}
