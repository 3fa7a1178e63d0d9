/*
 * Checks one estimator-result/1 document against the contract and against
 * the sums docs/model.md defines: every key present with its type, every
 * number finite and non-negative (differences excepted), energies and their
 * parts, purchases, emissions, opex, equivalents and totals adding up, a
 * variant's delta its totals less the base's; the physical bounds of the
 * server power model in every year of every variant (busy accelerator-hours
 * within the installed ones, which are the installed servers' accelerators
 * all year; server energy between all installed servers at idle and at
 * their maximum; idle energy exactly the installed servers at idle); in a
 * sampled result, `sampling` and each year's and the totals' `uncertainty`
 * with p5 <= p50 <= p95 for every headline metric.
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
#define HOURS_PER_YEAR 8760.0

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
		/* differences may be negative: check_vs_base and check_delta check them */
		if (!cJSON_IsArray(item) && (!strcmp(c->string, "vs_base") || !strcmp(c->string, "delta")))
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

/* The keys of `uncertainty`: the headline metrics of docs/output-format.md, the cost of ownership
   and the peak IT power. */
static const char *const ranged[] = {
	"inferences", "energy_kwh.facility",
	"emissions_kgco2e.location_based", "emissions_kgco2e.market_based",
	"emissions_kgco2e.embodied", "water_l", "cost.capex", "cost.opex",
	"accelerators.to_buy", "servers.to_buy", "storage_tb.to_buy", "power_kw.upgrade",
	"cost.total", "power_kw.it_peak", NULL,
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
 * sampled: one entry per ranged metric, each a number in o, with
 * p5 <= p50 <= p95 (the printed digits keep the order: rounding is monotone).
 */
/*
 * The horizon's peak IT power is, sample by sample, the largest year's, so each
 * of its quantiles is at least the same quantile of every year (the maximum
 * dominates each term).
 */
static void check_peak_range(const cJSON *t, const char *path, const cJSON *years)
{
	static const char *const q[] = {"p5", "p50", "p95"};
	const cJSON *tu = cJSON_GetObjectItemCaseSensitive(t, "uncertainty"), *y, *tp, *yp;
	char sub[PATH_LEN];
	size_t k;

	tp = tu ? cJSON_GetObjectItemCaseSensitive(tu, "power_kw.it_peak") : NULL;
	if (!tp)
		return;
	join(sub, path, "uncertainty.power_kw.it_peak");
	cJSON_ArrayForEach(y, years) {
		const cJSON *yu = cJSON_GetObjectItemCaseSensitive(y, "uncertainty");
		yp = yu ? cJSON_GetObjectItemCaseSensitive(yu, "power_kw.it_peak") : NULL;
		for (k = 0; yp && k < 3; k++) {
			const cJSON *a = cJSON_GetObjectItemCaseSensitive(tp, q[k]);
			const cJSON *b = cJSON_GetObjectItemCaseSensitive(yp, q[k]);
			if (cJSON_IsNumber(a) && cJSON_IsNumber(b) &&
			    a->valuedouble < b->valuedouble * (1 - 1e-9))
				fail(sub, "%s %.10g below a year's %s %.10g: the horizon's peak is the largest year's",
				     q[k], a->valuedouble, q[k], b->valuedouble);
		}
	}
}

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
	for (k = 0; ranged[k]; k++) {
		/* the keys hold dots: look them up whole */
		m = cJSON_GetObjectItemCaseSensitive(u, ranged[k]);
		if (snprintf(mpath, sizeof(mpath), "%s.%s", sub, ranged[k]) >= (int)sizeof(mpath))
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
		/* the totals' peak is the largest year's: the totals hold no power_kw */
		if (!known(at_path(o, ranged[k])) &&
		    !(strstr(path, "totals") && !strcmp(ranged[k], "power_kw.it_peak")))
			fail(mpath, "names no number of the %s", strstr(path, "totals") ? "totals" : "year");
	}
	cJSON_ArrayForEach(m, u) {
		for (k = 0; ranged[k] && strcmp(ranged[k], m->string); k++)
			;
		if (!ranged[k]) {
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
	const char *name;       /* the variant's name, for messages */
	/* its deployment (NAN when missing, reported there) */
	double per_server;      /* accelerators per server */
	double host_idle_w, acc_idle_w, acc_max_w, server_idle_w, server_max_w;
	const cJSON *equivalences; /* the result's top-level list */
	int cloud;              /* deployment.mode cloud: nothing bought or built */
	double storage_unit, power_step; /* purchase units, 0: any amount */
} variant_state;

/* "variant 'base', 2027": which variant and year a physical check is about. */
static void year_label(char *out, size_t size, const variant_state *st, const cJSON *y)
{
	const cJSON *year = cJSON_GetObjectItemCaseSensitive(y, "year");

	snprintf(out, size, "variant '%s', %s%.0f", st->name ? st->name : "?",
		 cJSON_IsNumber(year) ? "" : "year ", cJSON_IsNumber(year) ? year->valuedouble : NAN);
}

/* a <= b, allowing 1e-9 of the larger. */
static int within(double a, double b)
{
	return a <= b || fabs(a - b) <= TOL * fmax(fabs(a), fabs(b));
}

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

/* whole = Σ parts, to 1e-9 of the largest term. */
static void check_sum(const char *path, const char *what, double whole, const double *parts,
		      const char *const *names, size_t n)
{
	double sum = 0, scale = fabs(whole);
	size_t i;

	for (i = 0; i < n; i++) {
		if (!known(parts[i]))
			return;
		sum += parts[i];
		scale = fmax(scale, fabs(parts[i]));
	}
	if (!known(whole) || close_to(whole, sum, scale))
		return;
	if (n == 2)
		fail(path, "%s %.10g != %s + %s = %.10g", what, whole, names[0], names[1], sum);
	else
		fail(path, "%s %.10g != the sum of its parts %.10g", what, whole, sum);
}

/*
 * docs/model.md section 5: inference = accelerator + host (above idle);
 * idle = host_idle + accelerator_idle; servers = idle + inference;
 * it = servers + storage (network is outside the site); facility = it x PUE,
 * one PUE per variant (years share it), never below it. `o` is a year, the
 * totals or a delta (PUE checked only in years).
 */
static void check_energy(const cJSON *y, const char *path, variant_state *st)
{
	static const char *const inference_parts[] = {"accelerator", "host"};
	static const char *const idle_parts[] = {"host_idle", "accelerator_idle"};
	static const char *const servers_parts[] = {"idle", "inference"};
	static const char *const it_parts[] = {"servers", "storage"};
	char sub[PATH_LEN];
	double inf, acc, host, idle, host_idle, acc_idle, servers, sto, it, fac, parts[2];

	join(sub, path, "energy_kwh");
	if (!get(y, path, "energy_kwh", OBJECT))
		return;
	inf = num(y, path, "energy_kwh.inference");
	acc = num(y, path, "energy_kwh.accelerator");
	host = num(y, path, "energy_kwh.host");
	idle = num(y, path, "energy_kwh.idle");
	host_idle = num(y, path, "energy_kwh.host_idle");
	acc_idle = num(y, path, "energy_kwh.accelerator_idle");
	servers = num(y, path, "energy_kwh.servers");
	sto = num(y, path, "energy_kwh.storage");
	num(y, path, "energy_kwh.network");
	it = num(y, path, "energy_kwh.it");
	fac = num(y, path, "energy_kwh.facility");
	parts[0] = acc, parts[1] = host;
	check_sum(sub, "inference", inf, parts, inference_parts, 2);
	parts[0] = host_idle, parts[1] = acc_idle;
	check_sum(sub, "idle", idle, parts, idle_parts, 2);
	parts[0] = idle, parts[1] = inf;
	check_sum(sub, "servers", servers, parts, servers_parts, 2);
	parts[0] = servers, parts[1] = sto;
	check_sum(sub, "it", it, parts, it_parts, 2);
	if (!st || !known(it) || !known(fac))
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

/*
 * The physical bounds of the server power model (docs/model.md section 5),
 * with S the servers installed (existing + to_buy) and G per server:
 * (a) busy accelerator-hours <= installed accelerator-hours;
 * (b) installed accelerator-hours = G x S x 8,760;
 * (c) S x server idle <= server energy <= S x server maximum, all year;
 * (d) idle energy = S x server idle all year, and its parts the host's and
 *     the accelerators' idle;
 * (e) inference energy <= busy hours x the most one busy accelerator and its
 *     host share can add above idle.
 */
static void check_physics(const cJSON *y, const char *path, const variant_state *st)
{
	char label[PATH_LEN];
	double busy, installed, S, servers, idle, host_idle, acc_idle, inf, lo, hi, want, headroom;

	busy = lookup(y, "busy_accelerator_hours");
	installed = lookup(y, "installed_accelerator_hours");
	S = lookup(y, "servers.existing") + lookup(y, "servers.to_buy");
	servers = lookup(y, "energy_kwh.servers");
	idle = lookup(y, "energy_kwh.idle");
	host_idle = lookup(y, "energy_kwh.host_idle");
	acc_idle = lookup(y, "energy_kwh.accelerator_idle");
	inf = lookup(y, "energy_kwh.inference");
	year_label(label, sizeof(label), st, y);
	if (known(busy) && known(installed) && !within(busy, installed))
		fail(path, "%s: busy_accelerator_hours %.10g > installed_accelerator_hours %.10g",
		     label, busy, installed);
	want = st->per_server * S * HOURS_PER_YEAR;
	if (known(installed) && known(want) && !close_to(installed, want, want))
		fail(path, "%s: installed_accelerator_hours %.10g != accelerators_per_server x installed servers x 8760 = %.10g",
		     label, installed, want);
	lo = S * st->server_idle_w * HOURS_PER_YEAR / 1000;
	hi = S * st->server_max_w * HOURS_PER_YEAR / 1000;
	if (known(servers) && known(lo) && !within(lo, servers))
		fail(path, "%s: energy_kwh.servers %.10g < installed servers at idle all year %.10g",
		     label, servers, lo);
	if (known(servers) && known(hi) && !within(servers, hi))
		fail(path, "%s: energy_kwh.servers %.10g > installed servers at their maximum all year %.10g",
		     label, servers, hi);
	if (known(idle) && known(lo) && !close_to(idle, lo, lo))
		fail(path, "%s: energy_kwh.idle %.10g != installed servers x server_idle x 8.76 = %.10g",
		     label, idle, lo);
	want = S * st->host_idle_w * HOURS_PER_YEAR / 1000;
	if (known(host_idle) && known(want) && !close_to(host_idle, want, lo))
		fail(path, "%s: energy_kwh.host_idle %.10g != installed servers x host_idle x 8.76 = %.10g",
		     label, host_idle, want);
	want = S * st->per_server * st->acc_idle_w * HOURS_PER_YEAR / 1000;
	if (known(acc_idle) && known(want) && !close_to(acc_idle, want, lo))
		fail(path, "%s: energy_kwh.accelerator_idle %.10g != installed accelerators x accelerator_idle x 8.76 = %.10g",
		     label, acc_idle, want);
	headroom = st->server_max_w - st->server_idle_w - st->per_server * (st->acc_max_w - st->acc_idle_w);
	want = busy * (st->acc_max_w - st->acc_idle_w + fmax(0, headroom) / st->per_server) / 1000;
	if (known(inf) && known(want) && st->per_server > 0 && !within(inf, want))
		fail(path, "%s: energy_kwh.inference %.10g > busy hours x the most a busy accelerator and its host share add %.10g",
		     label, inf, want);
}

/* What is bought of `need` in units of `unit` (0: any amount): whole units, within the tolerance. */
static double in_units(double need, double unit)
{
	double k;

	if (unit <= 0 || need <= 0)
		return fmax(0, need);
	k = need / unit;
	return unit * (fabs(k - nearbyint(k)) <= 1e-9 * fmax(1, k) ? nearbyint(k) : ceil(k));
}

static void check_power(const cJSON *y, const char *path, const variant_state *st)
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
	want = st->cloud ? 0 : in_units(peak - existing, st->power_step);
	if (!close_to(upgrade, want, fmax(peak, existing)))
		fail(sub, "upgrade %.10g != max(0, it_peak - existing) in steps of %g kW = %.10g", upgrade,
		     st->power_step, want);
}

static void check_stock(const cJSON *y, const char *path, const char *key, double unit, int cloud)
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
	want = cloud ? 0 : in_units(required - existing, unit);
	if (!close_to(to_buy, want, fmax(required, existing)))
		fail(sub, "to_buy %.10g != max(0, required - existing) in units of %g = %.10g", to_buy, unit,
		     want);
}

/* The storage requirement is its kinds' sum: weights, outputs and logs kept, datasets (section 4). */
static void check_storage_kinds(const cJSON *y, const char *path)
{
	char sub[PATH_LEN];
	double required, w, k, d;

	join(sub, path, "storage_tb");
	if (!get(y, path, "storage_tb", OBJECT))
		return;
	required = num(y, path, "storage_tb.required");
	w = num(y, path, "storage_tb.weights");
	k = num(y, path, "storage_tb.outputs_and_logs");
	d = num(y, path, "storage_tb.datasets");
	if (!known(required) || !known(w) || !known(k) || !known(d))
		return;
	if (w < 0 || k < 0 || d < 0)
		fail(sub, "a kind of storage is negative (%.10g, %.10g, %.10g)", w, k, d);
	if (!close_to(w + k + d, required, required))
		fail(sub, "weights + outputs_and_logs + datasets = %.10g != required %.10g", w + k + d,
		     required);
}

/*
 * Accelerators arrive in whole servers (docs/model.md section 3): to_buy is
 * the accelerators of the servers bought, existing those of the servers in
 * place, and the shortfall what the load needs beyond those in place.
 */
static void check_accelerators(const cJSON *y, const char *path, const variant_state *st)
{
	char sub[PATH_LEN];
	double required, existing, to_buy, shortfall, servers_existing, servers_to_buy, want;

	join(sub, path, "accelerators");
	if (!get(y, path, "accelerators", OBJECT))
		return;
	required = num(y, path, "accelerators.required");
	existing = num(y, path, "accelerators.existing");
	to_buy = num(y, path, "accelerators.to_buy");
	shortfall = num(y, path, "accelerators.shortfall");
	servers_existing = lookup(y, "servers.existing");
	servers_to_buy = lookup(y, "servers.to_buy");
	want = st->per_server * servers_to_buy;
	if (known(to_buy) && known(want) && !close_to(to_buy, want, want))
		fail(sub, "to_buy %.10g != accelerators_per_server x servers.to_buy = %.10g", to_buy, want);
	want = st->per_server * servers_existing;
	if (known(existing) && known(want) && !close_to(existing, want, want))
		fail(sub, "existing %.10g != accelerators_per_server x servers.existing = %.10g", existing, want);
	want = fmax(0, required - existing);
	if (known(shortfall) && known(want) && !close_to(shortfall, want, fmax(required, existing)))
		fail(sub, "shortfall %.10g != max(0, required - existing) = %.10g", shortfall, want);
	if (known(required) && known(existing) && known(to_buy) && !within(required, existing + to_buy))
		fail(sub, "required %.10g > existing + to_buy %.10g", required, existing + to_buy);
}

/*
 * Location-based emissions are facility and network energy at the year's
 * intensity (docs/model.md section 7); market-based lie between the network
 * energy at that intensity (all renewable) and the facility at the market
 * factor plus it (none); opex is facility energy at the year's price (10).
 */
static void check_factors(const cJSON *y, const char *path, const variant_state *st)
{
	char sub[PATH_LEN], label[PATH_LEN];
	double I, M, price, fac, net, location, market, opex, want, lo, hi;

	if (!get(y, path, "factors", OBJECT))
		return;
	I = num(y, path, "factors.carbon_intensity_g_per_kwh");
	M = num(y, path, "factors.market_g_per_kwh");
	price = num(y, path, "factors.electricity_price");
	fac = lookup(y, "energy_kwh.facility");
	net = lookup(y, "energy_kwh.network");
	location = lookup(y, "emissions_kgco2e.location_based");
	market = lookup(y, "emissions_kgco2e.market_based");
	opex = lookup(y, "cost.opex_by_kind.electricity");
	year_label(label, sizeof(label), st, y);
	join(sub, path, "emissions_kgco2e");
	want = (fac + net) * I / 1000;
	if (known(location) && known(want) && !close_to(location, want, want))
		fail(sub, "%s: location_based %.10g != (facility + network) x intensity = %.10g",
		     label, location, want);
	lo = net * I / 1000;
	hi = fac * M / 1000 + lo;
	if (known(market) && known(lo) && known(hi) && !(within(lo, market) && within(market, hi)))
		fail(sub, "%s: market_based %.10g outside %.10g (all renewable) to %.10g (none)",
		     label, market, lo, hi);
	join(sub, path, "cost.opex_by_kind.electricity");
	want = st->cloud ? 0 : fac * price; /* the cloud's electricity is in the instance price */
	if (known(opex) && known(want) && !close_to(opex, want, want))
		fail(sub, "%s: %.10g != facility energy x electricity_price = %.10g", label, opex, want);
}

/*
 * Each equivalent is the facility and network energy, or the location-based
 * emissions, over its factor in the top-level `equivalences` (section 11).
 */
static void check_equivalents(const cJSON *o, const char *path, const variant_state *st)
{
	char sub[PATH_LEN];
	const cJSON *e, *id, *c;
	double kwh, kg, value, want;

	cJSON_ArrayForEach(e, st->equivalences) {
		id = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (!cJSON_IsString(id))
			continue;
		/* ids may hold dots: look the key up whole */
		c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, "equivalents"),
						     id->valuestring);
		value = cJSON_IsNumber(c) ? c->valuedouble : NAN;
		kwh = lookup(e, "energy_kwh");
		kg = lookup(e, "emissions_kgco2e");
		if (known(kwh) && kwh > 0)
			want = (lookup(o, "energy_kwh.facility") + lookup(o, "energy_kwh.network")) / kwh;
		else if (known(kg) && kg > 0)
			want = lookup(o, "emissions_kgco2e.location_based") / kg;
		else
			continue;
		if (snprintf(sub, sizeof(sub), "%s.equivalents.%s", path, id->valuestring) >= (int)sizeof(sub))
			sub[sizeof(sub) - 1] = '\0'; /* a label only */
		if (known(value) && known(want) && !close_to(value, want, want))
			fail(sub, "%.10g != %s / its factor = %.10g", value,
			     known(kwh) ? "facility and network energy" : "location-based emissions", want);
	}
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
	{
		static const char *const capex_kinds[] = {"servers", "storage", "network", "racks", "power", NULL};
		static const char *const opex_kinds[] = {"electricity", "maintenance", "licences",
							 "colocation", "cloud", "staff", NULL};
		double capex = num(o, path, "cost.capex"), opex = num(o, path, "cost.opex");
		double total = num(o, path, "cost.total"), inf = lookup(o, "inferences");
		double per = num(o, path, "cost.per_1000_inferences"), sum;
		char key[PATH_LEN];
		size_t i;

		num(o, path, "cost.present_value");
		num(o, path, "cost.carbon_price");
		/* section 10: each the sum of its kinds, the total their sum */
		for (sum = 0, i = 0; capex_kinds[i]; i++) {
			snprintf(key, sizeof(key), "cost.capex_by_kind.%s", capex_kinds[i]);
			sum += num(o, path, key);
		}
		join(sub, path, "cost.capex");
		if (known(capex) && known(sum) && !close_to(capex, sum, fmax(capex, sum)))
			fail(sub, "%.10g != the sum of capex_by_kind %.10g", capex, sum);
		for (sum = 0, i = 0; opex_kinds[i]; i++) {
			snprintf(key, sizeof(key), "cost.opex_by_kind.%s", opex_kinds[i]);
			sum += num(o, path, key);
		}
		join(sub, path, "cost.opex");
		if (known(opex) && known(sum) && !close_to(opex, sum, fmax(opex, sum)))
			fail(sub, "%.10g != the sum of opex_by_kind %.10g", opex, sum);
		join(sub, path, "cost.total");
		if (known(total) && known(capex) && known(opex) && !close_to(total, capex + opex, total))
			fail(sub, "%.10g != capex + opex %.10g", total, capex + opex);
		join(sub, path, "cost.per_1000_inferences");
		if (known(per) && known(total) && known(inf) && inf > 0 &&
		    !close_to(per, 1000 * total / inf, per))
			fail(sub, "%.10g != 1,000 x total / inferences %.10g", per, 1000 * total / inf);
	}
}

static void check_year(const cJSON *y, const char *path, const char *currency,
		       variant_state *st, int *has_esg)
{
	char sub[PATH_LEN];
	const cJSON *eq;
	double year;

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
	check_power(y, path, st);
	check_accelerators(y, path, st);
	check_stock(y, path, "servers", 0, st->cloud);
	check_stock(y, path, "racks", 0, st->cloud);
	check_stock(y, path, "storage_tb", st->storage_unit, st->cloud);
	check_storage_kinds(y, path);
	num(y, path, "busy_accelerator_hours");
	num(y, path, "installed_accelerator_hours");
	check_physics(y, path, st);
	if (get(y, path, "emissions_kgco2e", OBJECT)) {
		num(y, path, "emissions_kgco2e.location_based");
		num(y, path, "emissions_kgco2e.market_based");
		num(y, path, "emissions_kgco2e.embodied");
	}
	num(y, path, "water_l");
	num(y, path, "sci_gco2e_per_inference");
	check_cost(y, path, currency);
	check_factors(y, path, st);
	eq = get(y, path, "equivalents", OBJECT);
	if (eq) {
		join(sub, path, "equivalents");
		check_keys_match(eq, st->equivalents, sub);
		if (!st->equivalents)
			st->equivalents = eq;
		check_equivalents(y, path, st);
	}
	check_esg(y, path, has_esg);
	check_uncertainty(y, path);
}

/* ---- totals ---- */

static const char *const additive[] = {
	"inferences",
	"energy_kwh.inference", "energy_kwh.accelerator", "energy_kwh.host",
	"energy_kwh.idle", "energy_kwh.host_idle", "energy_kwh.accelerator_idle",
	"energy_kwh.servers", "energy_kwh.storage",
	"energy_kwh.network", "energy_kwh.it", "energy_kwh.facility",
	"power_kw.upgrade",
	"accelerators.to_buy", "accelerators.shortfall",
	"servers.to_buy", "servers.replacing", "racks.to_buy", "storage_tb.to_buy",
	"instances.hours",
	"busy_accelerator_hours", "installed_accelerator_hours",
	"emissions_kgco2e.location_based", "emissions_kgco2e.market_based",
	"emissions_kgco2e.embodied",
	"water_l",
	"cost.capex", "cost.opex",
	"cost.capex_by_kind.servers", "cost.capex_by_kind.storage", "cost.capex_by_kind.network",
	"cost.capex_by_kind.racks", "cost.capex_by_kind.power",
	"cost.opex_by_kind.electricity", "cost.opex_by_kind.maintenance", "cost.opex_by_kind.licences",
	"cost.opex_by_kind.colocation", "cost.opex_by_kind.cloud", "cost.opex_by_kind.staff",
	"cost.total", "cost.present_value", "cost.carbon_price",
	NULL,
};

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
	check_energy(t, sub, NULL);
	if (cJSON_GetObjectItemCaseSensitive(t, "factors")) {
		join(key, sub, "factors");
		fail(key, "present, but a year's factors do not add up");
	}
	check_cost(t, sub, currency);
	check_uncertainty(t, sub);
	check_peak_range(t, sub, years);
	eq = get(t, sub, "equivalents", OBJECT);
	if (!eq)
		return;
	join(key, sub, "equivalents");
	check_keys_match(eq, st->equivalents, key);
	cJSON_ArrayForEach(c, eq) {
		snprintf(key, sizeof(key), "equivalents.%s", c->string);
		check_total(t, sub, years, key);
	}
	check_equivalents(t, sub, st);
}

/* A variant's delta: for every additive key, its totals less the base's. */
static void check_delta(const cJSON *v, const cJSON *base, const char *path)
{
	char sub[PATH_LEN], key[PATH_LEN];
	const cJSON *d = get(v, path, "delta", OBJECT), *t, *bt, *c;
	double x, b, want;
	size_t i;

	if (!d)
		return;
	t = cJSON_GetObjectItemCaseSensitive(v, "totals");
	bt = cJSON_GetObjectItemCaseSensitive(base, "totals");
	join(sub, path, "delta");
	for (i = 0; additive[i]; i++) {
		x = num(d, sub, additive[i]);
		want = lookup(t, additive[i]) - lookup(bt, additive[i]);
		join(key, sub, additive[i]);
		if (known(x) && known(want) &&
		    !close_to(x, want, fmax(fabs(lookup(t, additive[i])), fabs(lookup(bt, additive[i])))))
			fail(key, "%.10g != the totals less the base's %.10g", x, want);
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(t, "equivalents")) {
		const cJSON *dc = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(d, "equivalents"), c->string);
		const cJSON *bc = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(bt, "equivalents"), c->string);
		if (snprintf(key, sizeof(key), "%s.equivalents.%s", sub, c->string) >= (int)sizeof(key))
			key[sizeof(key) - 1] = '\0'; /* a label only */
		if (!cJSON_IsNumber(dc)) {
			fail(key, "missing");
			continue;
		}
		if (!cJSON_IsNumber(c) || !cJSON_IsNumber(bc))
			continue;
		b = bc->valuedouble;
		if (!close_to(dc->valuedouble, c->valuedouble - b, fmax(fabs(c->valuedouble), fabs(b))))
			fail(key, "%.10g != the totals less the base's %.10g", dc->valuedouble,
			     c->valuedouble - b);
	}
}

/* ---- workloads ---- */

/*
 * A workload's equivalents of 1,000 inferences: energy-based ones its
 * energy (kWh per 1,000 = Wh per inference) over the factor; emissions-based
 * ones that energy at the first year's location intensity.
 */
static void check_per_1000(const cJSON *w, const char *path, const char *key, double wh,
			   const cJSON *years, const variant_state *st)
{
	char sub[PATH_LEN], k[PATH_LEN];
	const cJSON *o, *e, *id, *c;
	double I = lookup(cJSON_GetArrayItem(years, 0), "factors.carbon_intensity_g_per_kwh");
	double kwh, kg, want;

	snprintf(k, sizeof(k), "per_1000_inferences.%s", key);
	o = get(w, path, k, OBJECT);
	if (!o)
		return;
	join(sub, path, k);
	cJSON_ArrayForEach(e, st->equivalences) {
		id = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (!cJSON_IsString(id))
			continue;
		c = cJSON_GetObjectItemCaseSensitive(o, id->valuestring);
		join(k, sub, id->valuestring);
		if (!cJSON_IsNumber(c)) {
			fail(k, c ? "not a number" : "missing");
			continue;
		}
		kwh = lookup(e, "energy_kwh");
		kg = lookup(e, "emissions_kgco2e");
		if (known(kwh) && kwh > 0)
			want = wh / kwh;
		else if (known(kg) && kg > 0)
			want = wh * I / 1000 / kg;
		else
			continue;
		if (known(wh) && known(want) && !close_to(c->valuedouble, want, want))
			fail(k, "%.10g != %.10g Wh x 1,000 over the factor = %.10g", c->valuedouble, wh, want);
	}
}

static void check_workload(const cJSON *w, const char *path, const cJSON *years,
			   const variant_state *st)
{
	char sub[PATH_LEN], ypath[PATH_LEN];
	const cJSON *a, *c, *wy, *y, *boundary;
	double e_wh, n, kwh, parts[2], fac_wh, measured, replica, frac, whole;
	static const char *const part_names[] = {"parts_wh.accelerator", "parts_wh.host"};
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
	if (get(w, path, "parts_wh", OBJECT)) {
		parts[0] = num(w, path, "parts_wh.accelerator");
		parts[1] = num(w, path, "parts_wh.host");
		check_sum(path, "energy_wh_per_inference", e_wh, parts, part_names, 2);
	}
	num(w, path, "time_s_per_inference");
	measured = NAN;
	if (get(w, path, "measured", OBJECT)) {
		measured = num(w, path, "measured.wh");
		boundary = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(w, "measured"),
							     "boundary");
		join(sub, path, "measured.boundary");
		if (!boundary)
			fail(sub, "missing");
		else if (!cJSON_IsNull(boundary) &&
			 !(cJSON_IsString(boundary) && (!strcmp(boundary->valuestring, "gpu") ||
							!strcmp(boundary->valuestring, "node") ||
							!strcmp(boundary->valuestring, "facility"))))
			fail(sub, "not \"gpu\", \"node\", \"facility\" or null");
	}
	fac_wh = num(w, path, "facility_wh_per_inference");
	join(sub, path, "facility_wh_per_inference");
	if (known(fac_wh) && known(e_wh) && known(st->pue) && !close_to(fac_wh, e_wh * st->pue, fac_wh))
		fail(sub, "%.10g != energy_wh_per_inference x PUE %.10g = %.10g", fac_wh, st->pue,
		     e_wh * st->pue);
	replica = num(w, path, "replica_accelerators");
	join(sub, path, "replica_accelerators");
	if (known(replica) && !(replica >= 1 && replica == floor(replica) &&
				 (!known(st->per_server) || replica <= st->per_server)))
		fail(sub, "%.10g is not a whole number from 1 to the accelerators per server", replica);
	num(w, path, "weights_gb");
	if (get(w, path, "per_1000_inferences", OBJECT)) {
		check_per_1000(w, path, "measured", measured, years, st);
		check_per_1000(w, path, "deployed", fac_wh, years, st);
	}
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
		frac = num(wy, ypath, "accelerators");
		whole = num(wy, ypath, "accelerators_whole");
		num(wy, ypath, "idle_kwh");
		join(sub, ypath, "accelerators_whole");
		/* whole replicas covering the need, none when there is none */
		if (known(frac) && known(whole) && known(replica) &&
		    !(within(frac, whole) && fmod(whole, replica) == 0 &&
		      (frac > 0 || whole == 0) && (whole == 0 || whole - replica < frac * (1 + TOL))))
			fail(sub, "%.10g is not the fewest whole replicas of %.10g covering %.10g",
			     whole, replica, frac);
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
 * year's, their idle shares to the year's idle energy (when there is a
 * load), and the accelerators required are their whole replicas plus whole
 * spare servers.
 */
static void check_workload_sums(const cJSON *workloads, const cJSON *years,
				const char *path, double per_server)
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
			sum += lookup(wy, "accelerators_whole");
		}
		/* the servers' idle energy shared by their whole accelerators (docs/model.md section 3) */
		{
			double idle = lookup(y, "energy_kwh.idle"), shared = 0, sc = 0;
			cJSON_ArrayForEach(w, workloads) {
				wy = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(w, "years"), i);
				v = lookup(wy, "idle_kwh"); /* a missing one is reported by check_workload */
				shared += v;
				sc += fabs(v);
			}
			want = sum > 0 ? idle : 0;
			if (known(shared) && known(want) && !close_to(shared, want, fmax(sc, idle)))
				fail(sub, "the workloads' idle_kwh add up to %.10g, not %s %.10g", shared,
				     sum > 0 ? "energy_kwh.idle" : "0 without a load", want);
		}
		/* the whole replicas, plus whole spare servers when there is a load */
		want = lookup(y, "accelerators.required");
		if (known(want) && known(sum) && known(per_server) &&
		    !(within(sum, want) && (sum == 0 ? want == 0 : fmod(want - sum, per_server) == 0)))
			fail(sub, "accelerators.required %.10g is not the workloads' whole replicas %.10g plus whole spare servers of %.10g",
			     want, sum, per_server);
		i++;
	}
}

/* ---- variants ---- */

/*
 * The variant's deployment and its server power model (docs/model.md
 * section 5): idle = host idle + G x accelerator idle; the maximum at least
 * the host idle and G accelerators at their maximum.
 */
static void check_deployment(const cJSON *v, const char *path, variant_state *st)
{
	char sub[PATH_LEN];
	const cJSON *d = get(v, path, "deployment", OBJECT);
	double G, host, acc0, accmax, idle, max;

	if (!d)
		return;
	join(sub, path, "deployment");
	get(d, sub, "server", STRING);
	get(d, sub, "accelerator", STRING);
	G = num(d, sub, "accelerators_per_server");
	if (!get(d, sub, "power_w", OBJECT))
		return;
	host = num(d, sub, "power_w.host_idle");
	acc0 = num(d, sub, "power_w.accelerator_idle");
	accmax = num(d, sub, "power_w.accelerator_max");
	idle = num(d, sub, "power_w.server_idle");
	max = num(d, sub, "power_w.server_max");
	get(d, sub, "server_price_verified", BOOL);
	if (get(d, sub, "emission_factors", OBJECT)) {
		get(d, sub, "emission_factors.location_scope", STRING);
		get(d, sub, "emission_factors.market_basis", STRING);
	}
	join(sub, path, "deployment.power_w");
	if (known(G) && !(G >= 1 && G == floor(G)))
		fail(sub, "accelerators_per_server %.10g is not a whole number of at least 1", G);
	if (known(idle) && known(host) && known(acc0) && known(G) &&
	    !close_to(idle, host + G * acc0, idle))
		fail(sub, "server_idle %.10g != host_idle + accelerators_per_server x accelerator_idle = %.10g",
		     idle, host + G * acc0);
	if (known(acc0) && known(accmax) && !within(acc0, accmax))
		fail(sub, "accelerator_idle %.10g > accelerator_max %.10g", acc0, accmax);
	if (known(max) && known(host) && known(accmax) && known(G) && !within(host + G * accmax, max))
		fail(sub, "server_max %.10g < host_idle + accelerators_per_server x accelerator_max = %.10g",
		     max, host + G * accmax);
	{
		const cJSON *mode = cJSON_GetObjectItemCaseSensitive(d, "mode");
		const cJSON *su = cJSON_GetObjectItemCaseSensitive(d, "storage_unit_tb");
		const cJSON *ps = cJSON_GetObjectItemCaseSensitive(d, "power_step_kw");
		st->cloud = cJSON_IsString(mode) && !strcmp(mode->valuestring, "cloud");
		st->storage_unit = cJSON_IsNumber(su) ? su->valuedouble : 0;
		st->power_step = cJSON_IsNumber(ps) ? ps->valuedouble : 0;
		if (!cJSON_IsString(mode) || !cJSON_IsNumber(su) || !cJSON_IsNumber(ps))
			fail(sub, "mode, storage_unit_tb and power_step_kw are required");
	}
	st->per_server = G;
	st->host_idle_w = host;
	st->acc_idle_w = acc0;
	st->acc_max_w = accmax;
	st->server_idle_w = idle;
	st->server_max_w = max;
}

static void check_variant(const cJSON *v, const char *path, const char *currency,
			  const cJSON *equivalences, int *has_esg)
{
	char sub[PATH_LEN];
	variant_state st = {NAN, "", NULL, NULL, NAN, NAN, NAN, NAN, NAN, NAN, NULL, 0, 0, 0};
	const cJSON *years, *workloads, *y, *prev = NULL, *c, *pc;
	int i = 0;

	if (!cJSON_IsObject(v)) {
		fail(path, "not an object");
		return;
	}
	c = get(v, path, "name", STRING);
	st.name = c ? c->valuestring : NULL;
	st.equivalences = equivalences;
	check_deployment(v, path, &st);
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
		check_workload(c, sub, years, &st);
	}
	check_workload_sums(workloads, years, path, st.per_server);
}

/*
 * What each equivalent counts: an id and a name, and either energy_kwh
 * (applied to facility and network energy) or emissions_kgco2e (applied to
 * location-based emissions), positive.
 */
static void check_equivalences(const cJSON *a)
{
	char sub[PATH_LEN], k[PATH_LEN];
	const cJSON *e, *applied, *kwh, *kg;
	int i = 0;

	cJSON_ArrayForEach(e, a) {
		index_path(sub, "", "equivalences", i++);
		if (!cJSON_IsObject(e)) {
			fail(sub, "not an object");
			continue;
		}
		get(e, sub, "id", STRING);
		get(e, sub, "name", STRING);
		applied = get(e, sub, "applied_to", STRING);
		kwh = cJSON_GetObjectItemCaseSensitive(e, "energy_kwh");
		kg = cJSON_GetObjectItemCaseSensitive(e, "emissions_kgco2e");
		if ((kwh != NULL) == (kg != NULL)) {
			fail(sub, "needs one of energy_kwh and emissions_kgco2e");
			continue;
		}
		join(k, sub, kwh ? "energy_kwh" : "emissions_kgco2e");
		if (!cJSON_IsNumber(kwh ? kwh : kg) || !((kwh ? kwh : kg)->valuedouble > 0))
			fail(k, "not a positive number");
		join(k, sub, "applied_to");
		if (applied && strcmp(applied->valuestring, kwh ? "facility and network energy"
								 : "location-based emissions"))
			fail(k, "\"%s\" for an %s-based equivalent", applied->valuestring,
			     kwh ? "energy" : "emissions");
	}
}

static void check_result(const cJSON *root)
{
	char sub[PATH_LEN], name_path[PATH_LEN];
	const cJSON *c, *variants, *name, *equivalences;
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
	equivalences = get(root, "", "equivalences", ARRAY);
	check_equivalences(equivalences);
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
		check_variant(c, sub, currency, equivalences, &has_esg);
		if (i > 1) {
			check_vs_base(c, cJSON_GetArrayItem(variants, 0), sub);
			check_delta(c, cJSON_GetArrayItem(variants, 0), sub);
		} else if (cJSON_GetObjectItemCaseSensitive(c, "delta")) {
			join(name_path, sub, "delta");
			fail(name_path, "present in the base");
		}
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
