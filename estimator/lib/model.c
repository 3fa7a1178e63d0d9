/*
 * The capacity model of docs/model.md: per workload energy and time per
 * inference, then year by year demand, compute, racks, storage, energy, power,
 * emissions, water, SCI, cost, equivalences and the ESG target. Section
 * numbers in comments refer to docs/model.md.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/model.h"
#include "buf.h"
#include "conversions.h"
#include "model_internal.h"

#define DAYS_PER_YEAR 365.0
#define HOURS_PER_YEAR 8760.0
#define SECONDS_PER_DAY 86400.0
#define BYTES_PER_TB 1e12
#define BYTES_PER_GB 1e9
/*
 * Whole-unit rounding absorbs decimal representation error (40.8 kW / 10.2 kW
 * must give 4 racks' worth, not 3): a value within this relative distance of
 * an integer counts as that integer (docs/model.md, section 3).
 */
#define ROUND_REL_TOL 1e-9

typedef struct calc {
	const est_scenario *s;
	const est_profiles *p;
	est_result *r;
	est_variant *v;
	est_error *err;
} calc;

static double ceil_tol(double x)
{
	double n = nearbyint(x);

	if (fabs(x - n) <= ROUND_REL_TOL * fabs(x))
		return n;
	return ceil(x);
}

static double floor_tol(double x)
{
	double n = nearbyint(x);

	if (fabs(x - n) <= ROUND_REL_TOL * fabs(x))
		return n;
	return floor(x);
}

static double pos(double x)
{
	return x > 0 ? x : 0;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : (x > 1 ? 1 : x);
}

static int oom(calc *c)
{
	return est_error_set(c->err, EST_EINTERNAL, c->s->file, 0, 0, "out of memory");
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/*
 * Per inference, for reading (docs/model.md section 2): the facility energy
 * one inference adds, and the equivalents of 1,000 inferences of it and of
 * the measured figure (emissions at the start year's location intensity).
 */
static void per_thousand(const est_scenario *s, est_workload_result *wr)
{
	double I = est_path_at(&s->intensity_path, s->intensity_g_per_kwh, s->start_year);
	size_t q;

	wr->facility_wh = wr->energy_wh * s->pue;
	for (q = 0; q < s->n_equivalences; q++) {
		const est_equivalence *e = s->equivalences[q];
		double m = wr->measured_wh, d = wr->facility_wh; /* Wh per inference = kWh per 1,000 */
		wr->measured_per_1000[q] = m * e->per_kwh + m * I / 1000.0 * e->per_kg_co2e;
		wr->deployed_per_1000[q] = d * e->per_kwh + d * I / 1000.0 * e->per_kg_co2e;
	}
}

static int setup_workloads(calc *c)
{
	const est_scenario *s = c->s;
	est_variant *v = c->v;
	size_t i;
	int rc;

	v->workloads = calloc(s->n_workloads, sizeof(*v->workloads));
	if (!v->workloads)
		return oom(c);
	v->n_workloads = s->n_workloads;
	for (i = 0; i < s->n_workloads; i++) {
		const est_workload *w = &s->workloads[i];
		est_workload_result *wr = &v->workloads[i];
		char profile[512];

		snprintf(profile, sizeof(profile), "task:%s", w->task->id);
		wr->name = strdup(w->name);
		wr->task = strdup(w->task->id);
		wr->model = strdup(w->model ? w->model->model : "any");
		wr->profile = strdup(w->model ? w->model->id : profile);
		wr->years = calloc((size_t)s->years, sizeof(*wr->years));
		if (!wr->name || !wr->task || !wr->model || !wr->profile || !wr->years)
			return oom(c);
		rc = est_conv_workload(wr, w, c->s, c->p, c->err);
		if (rc < 0)
			return rc;
		per_thousand(s, wr);
	}
	return 0;
}

/* Embodied carbon of what was bought in year j (section 7). */
static double bought_embodied(const est_scenario *s, const est_year *yr)
{
	return yr->servers.to_buy * s->server->embodied_kg +
	       yr->storage_tb.to_buy * s->storage->embodied_kg_per_tb;
}

/* amount bought in whole units of `unit` (0: any amount); section 3's tolerance */
static double in_units(double amount, double unit)
{
	return unit > 0 && amount > 0 ? unit * ceil_tol(amount / unit) : amount;
}

/*
 * Section 10: the year's cost of ownership by kind. Hardware in service is
 * valued at its price (servers with their network share, storage);
 * maintenance is a share of that a year. Cloud: the instances' hours at
 * their price, which includes the electricity.
 */
static void cost_year(const est_scenario *s, est_year *yr, double S_inst, double ST_inst, double G,
		      int y)
{
	est_capex *cx = &yr->capex_by;
	est_opex *ox = &yr->opex_by;

	cx->servers = yr->servers.to_buy * s->server_price;
	cx->storage = yr->storage_tb.to_buy * s->storage_price_per_tb;
	cx->network = yr->servers.to_buy * s->network_per_server;
	cx->racks = yr->racks.to_buy * s->rack_price;
	cx->power = s->mode == EST_MODE_ON_PREMISES ? yr->power_upgrade_kw * s->buildout_cost_per_kw : 0;
	ox->electricity = s->mode == EST_MODE_CLOUD ? 0 : yr->energy_kwh.facility * yr->electricity_price;
	ox->maintenance = s->mode == EST_MODE_CLOUD ? 0
			  : s->maintenance_share * (S_inst * (s->server_price + s->network_per_server) +
						    ST_inst * s->storage_price_per_tb);
	ox->licences = S_inst * G * s->licence_per_accelerator_year;
	ox->colocation = s->mode == EST_MODE_COLOCATION
				 ? (yr->power_existing_kw + yr->power_upgrade_kw) * s->colocation_per_kw_year +
					   yr->racks.required * s->colocation_per_rack_year
				 : 0;
	ox->cloud = s->mode == EST_MODE_CLOUD
			    ? yr->instance_hours * s->instance_price_per_hour +
				      ST_inst * s->cloud_storage_per_tb_year
			    : 0;
	ox->staff = s->staff_per_year;
	yr->capex = cx->servers + cx->storage + cx->network + cx->racks + cx->power;
	yr->opex = ox->electricity + ox->maintenance + ox->licences + ox->colocation + ox->cloud +
		   ox->staff;
	yr->cost = yr->capex + yr->opex;
	yr->npv = yr->cost / pow(1 + s->discount_rate, y);
	yr->cost_per_1000 = yr->inferences > 0 ? yr->cost / yr->inferences * 1000.0 : 0;
	yr->carbon_cost = s->carbon_price_per_t * (yr->market_kg + yr->embodied_kg) / 1000.0;
}

/* One year of sections 1 and 3 to 12; v->years[0 .. y-1] hold the years before. */
static void compute_year(calc *c, int y)
{
	const est_scenario *s = c->s;
	const est_server *srv = s->server;
	const est_accelerator *acc = srv->accelerator;
	const est_constants *k = est_profiles_constants(c->p);
	est_variant *v = c->v;
	est_year *yr = &v->years[y];
	double G = srv->accelerators, A_load = 0, busy_h = 0, weights = 0, kept = 0, net_bytes = 0;
	double S_req, S_exist, K_req, K_exist, ST_req, ST_exist, P_exist, retiring;
	double per_rack, amortised = 0, site_and_network;
	int cloud = s->mode == EST_MODE_CLOUD;
	size_t i, q;
	int j;

	yr->year = s->start_year + y;
	/* the sums below start from 0 (the sampler reuses its workspace) */
	yr->inferences = 0;
	yr->energy_kwh.inference = yr->energy_kwh.accelerator = yr->energy_kwh.host = 0;
	yr->intensity_g_per_kwh = est_path_at(&s->intensity_path, s->intensity_g_per_kwh, yr->year);
	yr->market_g_per_kwh = s->residual_origin /* a residual mix, the grid's or the scenario's (0 too) */
		? est_path_at(&s->residual_path, s->residual_g_per_kwh, yr->year)
		: yr->intensity_g_per_kwh;
	yr->electricity_price = est_path_at(&s->price_path, s->electricity_price_per_kwh, yr->year);
	for (i = 0; i < s->n_workloads; i++) {
		const est_workload *w = &s->workloads[i];
		est_workload_result *wr = &v->workloads[i];
		est_workload_year *wy = &wr->years[y];
		double D = w->requests_per_day * pow(1 + w->growth, y);
		double N = DAYS_PER_YEAR * D;
		double r = wr->replica > 0 ? wr->replica : 1;

		wy->year = yr->year;
		wy->inferences = N;
		wy->energy_kwh = N * wr->energy_wh / 1000.0;
		wy->accelerators = D / SECONDS_PER_DAY * w->peak_to_average * wr->time_s / s->utilisation;
		/* Section 3: whole replicas of this workload's model */
		wy->accelerators_whole = wy->accelerators <= 0 ? 0
					 : wy->accelerators <= r * (1 + ROUND_REL_TOL) ? r /* one replica: the common case */
					 : r * ceil_tol(wy->accelerators / r);
		A_load += wy->accelerators_whole;
		yr->inferences += N;
		yr->energy_kwh.inference += wy->energy_kwh;
		yr->energy_kwh.accelerator += N * wr->accelerator_wh / 1000.0;
		yr->energy_kwh.host += N * wr->host_wh / 1000.0;
		busy_h += N * wr->time_s / 3600.0;
		net_bytes += N * w->transfer_bytes;
		weights += w->weights_bytes;
		for (j = 0; j <= y; j++)
			kept += wr->years[j].inferences * (w->output_bytes + w->log_bytes) *
				clamp01(w->retention_years - (y - j));
	}

	/* Section 3: compute, with purchases retiring after the lifetime. */
	S_req = A_load > 0 ? ceil_tol(A_load / G) + s->spare_servers : 0;
	yr->accelerators.required = A_load > 0 ? A_load + s->spare_servers * G : 0;
	S_exist = s->existing_servers;
	retiring = 0;
	for (j = 0; j < y; j++) {
		if ((double)(y - j) < s->lifetime_years)
			S_exist += v->years[j].servers.to_buy;
		else if ((double)(y - 1 - j) < s->lifetime_years)
			retiring += v->years[j].servers.to_buy; /* in service last year, not this one */
	}
	if (cloud) { /* section 15: instances rented as needed: what is in place is what is needed */
		S_exist = S_req;
		retiring = 0;
	}
	yr->servers.required = S_req;
	yr->servers.existing = S_exist;
	yr->servers.to_buy = pos(S_req - S_exist);
	yr->servers_replacing = fmin(yr->servers.to_buy, retiring);
	yr->accelerators.existing = G * S_exist;
	yr->accelerators.to_buy = G * yr->servers.to_buy;
	yr->accelerator_shortfall = pos(yr->accelerators.required - yr->accelerators.existing);
	double S_inst = S_exist + yr->servers.to_buy;
	yr->instances = cloud ? S_req : 0;
	yr->instance_hours = yr->instances * HOURS_PER_YEAR;

	per_rack = floor_tol(s->rack_power_kw / srv->max_power_kw);
	if (per_rack < 1)
		per_rack = 1;
	K_req = S_req > 0 && !cloud ? ceil_tol(S_req / per_rack) : 0;
	K_exist = s->existing_racks;
	for (j = 0; j < y; j++)
		K_exist += v->years[j].racks.to_buy;
	yr->racks.required = K_req;
	yr->racks.existing = K_exist;
	yr->racks.to_buy = pos(K_req - K_exist);

	/* Section 4: storage, bought in whole units (a drive) when the scenario has one. */
	yr->storage_by.weights = s->replication * weights / BYTES_PER_TB;
	yr->storage_by.kept = s->replication * kept / BYTES_PER_TB;
	yr->storage_by.datasets = s->replication * s->datasets_tb;
	ST_req = s->replication * (s->datasets_tb + (weights + kept) / BYTES_PER_TB);
	ST_exist = s->existing_storage_tb;
	for (j = 0; j < y; j++)
		ST_exist += v->years[j].storage_tb.to_buy;
	if (cloud)
		ST_exist = ST_req; /* rented as needed */
	yr->storage_tb.required = ST_req;
	yr->storage_tb.existing = ST_exist;
	yr->storage_tb.to_buy = in_units(pos(ST_req - ST_exist), s->storage_unit_tb);
	double ST_inst = ST_exist + yr->storage_tb.to_buy;

	/* Section 5: the server power model, then energy. */
	yr->busy_accelerator_hours = busy_h;
	yr->installed_accelerator_hours = G * S_inst * HOURS_PER_YEAR;
	yr->energy_kwh.host_idle = S_inst * srv->host_idle_w * HOURS_PER_YEAR / 1000.0;
	yr->energy_kwh.accelerator_idle = S_inst * G * acc->idle_power_w * HOURS_PER_YEAR / 1000.0;
	yr->energy_kwh.idle = yr->energy_kwh.host_idle + yr->energy_kwh.accelerator_idle;
	yr->energy_kwh.servers = yr->energy_kwh.idle + yr->energy_kwh.inference;
	for (i = 0; i < s->n_workloads; i++) {
		est_workload_year *wy = &v->workloads[i].years[y];
		wy->idle_kwh = A_load > 0 ? yr->energy_kwh.idle * (wy->accelerators_whole / A_load) : 0;
	}
	yr->energy_kwh.storage = ST_inst * s->storage->power_w_per_tb * HOURS_PER_YEAR / 1000.0;
	yr->energy_kwh.it = yr->energy_kwh.servers + yr->energy_kwh.storage;
	yr->energy_kwh.facility = yr->energy_kwh.it * s->pue;
	yr->energy_kwh.network = net_bytes / BYTES_PER_GB * k->network_kwh_per_gb;

	/* Section 6: power, built (on premises) or contracted (colocation) in steps. */
	yr->it_peak_kw = S_inst * srv->max_power_kw + ST_inst * s->storage->power_w_per_tb / 1000.0;
	yr->facility_peak_kw = yr->it_peak_kw * s->pue;
	P_exist = s->existing_power_kw;
	for (j = 0; j < y; j++)
		P_exist += v->years[j].power_upgrade_kw;
	if (cloud)
		P_exist = yr->it_peak_kw; /* the provider's */
	yr->power_existing_kw = P_exist;
	yr->power_upgrade_kw = in_units(pos(yr->it_peak_kw - P_exist), s->power_step_kw);

	/* Section 7: emissions (kg); network energy is outside the site. */
	yr->location_kg = (yr->energy_kwh.facility + yr->energy_kwh.network) * yr->intensity_g_per_kwh / 1000.0;
	yr->market_kg = yr->energy_kwh.facility * (1 - s->renewable_share) * yr->market_g_per_kwh / 1000.0 +
			yr->energy_kwh.network * yr->intensity_g_per_kwh / 1000.0;
	/* bought: in the purchase year; cloud: the year's share of the hardware's life (section 15) */
	yr->embodied_kg = cloud ? (S_inst * srv->embodied_kg + ST_inst * s->storage->embodied_kg_per_tb) /
					  s->lifetime_years
				: bought_embodied(s, yr);

	/* Sections 8 to 10: water, SCI, cost. */
	yr->water_l = yr->energy_kwh.it * s->wue_l_per_kwh +
		      yr->energy_kwh.facility * s->electricity_water_l_per_kwh;
	if (cloud)
		amortised = yr->embodied_kg; /* already the year's share */
	else
		for (j = 0; j <= y; j++)
			if ((double)(y - j) < s->lifetime_years)
				amortised += (j < y ? bought_embodied(s, &v->years[j]) : yr->embodied_kg) /
					     s->lifetime_years;
	yr->sci_g_per_inference = yr->inferences > 0
		? (yr->location_kg * 1000.0 + 1000.0 * amortised) / yr->inferences
		: 0;
	cost_year(s, yr, S_inst, ST_inst, G, y);

	/* Section 11: equivalences. */
	site_and_network = yr->energy_kwh.facility + yr->energy_kwh.network;
	for (q = 0; q < c->r->n_equivalences && q < s->n_equivalences; q++) {
		const est_equivalence *e = s->equivalences[q];
		yr->equivalents[q] = site_and_network * e->per_kwh + yr->location_kg * e->per_kg_co2e;
	}

	/* Section 12: ESG target. */
	if (s->has_target) {
		yr->budget_kg = s->budget_kg * pow(1 - s->reduction_per_year, y);
		yr->counted_kg = (s->basis == EST_BASIS_MARKET ? yr->market_kg : yr->location_kg) +
				 (s->include_embodied ? yr->embodied_kg : 0);
		yr->within_budget = yr->counted_kg <= yr->budget_kg;
	}
}

/* Every number of a year, for the overflow check. */
static int year_finite(const est_year *y, size_t n_equivalences)
{
	const double v[] = {y->inferences, y->energy_kwh.it, y->energy_kwh.facility,
			    y->it_peak_kw, y->facility_peak_kw, y->power_existing_kw,
			    y->power_upgrade_kw, y->accelerators.required, y->servers.required,
			    y->racks.required, y->storage_tb.required, y->location_kg,
			    y->market_kg, y->embodied_kg, y->water_l, y->sci_g_per_inference,
			    y->capex, y->opex, y->cost, y->npv, y->carbon_cost, y->budget_kg,
			    y->counted_kg};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return 0;
	for (i = 0; i < n_equivalences; i++)
		if (!isfinite(y->equivalents[i]))
			return 0;
	return 1;
}

/*
 * Inputs that are each valid can still multiply past the range of a double
 * (a huge demand growing for decades): report the workload with the largest
 * demand that year, instead of printing infinities.
 */
static int check_overflow(calc *c, int y)
{
	const est_scenario *s = c->s;
	const est_workload *worst = &s->workloads[0];
	double worst_n = -1;
	size_t i;

	int last = y == s->years - 1, workloads_finite = 1;

	for (i = 0; i < s->n_workloads; i++) {
		const est_workload_year *w = &c->v->workloads[i].years[y];
		workloads_finite &= isfinite(w->inferences) && isfinite(w->energy_kwh) &&
				    isfinite(w->accelerators) && isfinite(w->accelerators_whole) &&
				    isfinite(w->idle_kwh);
	}
	if (workloads_finite && year_finite(&c->v->years[y], c->r->n_equivalences) &&
	    (!last || year_finite(&c->v->totals, c->r->n_equivalences)))
		return 0;
	for (i = 0; i < s->n_workloads; i++) {
		double n = c->v->workloads[i].years[y].inferences;
		if (!isfinite(n) || n > worst_n) {
			worst = &s->workloads[i];
			worst_n = isfinite(n) ? n : HUGE_VAL;
		}
	}
	return est_error_set(c->err, EST_EINVALID, s->file, worst->line, worst->column,
			     "workload '%s': the estimate overflows in %d; demand and growth are too large",
			     worst->name, s->start_year + y);
}

/* Section 13: dst += k x src for every additive quantity (totals, and a variant's delta). */
static void add_additive(est_year *dst, const est_year *src, double k, size_t n_equivalences)
{
	size_t q;

	dst->inferences += k * src->inferences;
	dst->energy_kwh.inference += k * src->energy_kwh.inference;
	dst->energy_kwh.accelerator += k * src->energy_kwh.accelerator;
	dst->energy_kwh.host += k * src->energy_kwh.host;
	dst->energy_kwh.idle += k * src->energy_kwh.idle;
	dst->energy_kwh.host_idle += k * src->energy_kwh.host_idle;
	dst->energy_kwh.accelerator_idle += k * src->energy_kwh.accelerator_idle;
	dst->energy_kwh.servers += k * src->energy_kwh.servers;
	dst->energy_kwh.storage += k * src->energy_kwh.storage;
	dst->energy_kwh.network += k * src->energy_kwh.network;
	dst->energy_kwh.it += k * src->energy_kwh.it;
	dst->energy_kwh.facility += k * src->energy_kwh.facility;
	dst->busy_accelerator_hours += k * src->busy_accelerator_hours;
	dst->installed_accelerator_hours += k * src->installed_accelerator_hours;
	dst->accelerator_shortfall += k * src->accelerator_shortfall;
	dst->power_upgrade_kw += k * src->power_upgrade_kw;
	dst->accelerators.to_buy += k * src->accelerators.to_buy;
	dst->servers.to_buy += k * src->servers.to_buy;
	dst->racks.to_buy += k * src->racks.to_buy;
	dst->storage_tb.to_buy += k * src->storage_tb.to_buy;
	dst->location_kg += k * src->location_kg;
	dst->market_kg += k * src->market_kg;
	dst->embodied_kg += k * src->embodied_kg;
	dst->water_l += k * src->water_l;
	dst->capex += k * src->capex;
	dst->opex += k * src->opex;
	dst->capex_by.servers += k * src->capex_by.servers;
	dst->capex_by.storage += k * src->capex_by.storage;
	dst->capex_by.network += k * src->capex_by.network;
	dst->capex_by.racks += k * src->capex_by.racks;
	dst->capex_by.power += k * src->capex_by.power;
	dst->opex_by.electricity += k * src->opex_by.electricity;
	dst->opex_by.maintenance += k * src->opex_by.maintenance;
	dst->opex_by.licences += k * src->opex_by.licences;
	dst->opex_by.colocation += k * src->opex_by.colocation;
	dst->opex_by.cloud += k * src->opex_by.cloud;
	dst->opex_by.staff += k * src->opex_by.staff;
	dst->cost += k * src->cost;
	dst->npv += k * src->npv;
	dst->carbon_cost += k * src->carbon_cost;
	dst->servers_replacing += k * src->servers_replacing;
	dst->instance_hours += k * src->instance_hours;
	for (q = 0; q < n_equivalences; q++)
		dst->equivalents[q] += k * src->equivalents[q];
}

/* Section 13: additive quantities summed over the horizon. */
static void add_totals(est_variant *v, size_t n_equivalences)
{
	size_t i;

	memset(&v->totals, 0, sizeof(v->totals));
	for (i = 0; i < v->n_years; i++)
		add_additive(&v->totals, &v->years[i], 1, n_equivalences);
	v->totals.cost_per_1000 = v->totals.inferences > 0
		? v->totals.cost / v->totals.inferences * 1000.0 : 0; /* not additive */
}

/* A variant's own notes, those the base does not have, each after "variant NAME: ". */
static int variant_notes(est_result *r, const est_scenario *s, const est_scenario *v)
{
	size_t i, k;
	int rc = 0;

	for (i = 0; i < v->n_notes && rc == 0; i++) {
		for (k = 0; k < s->n_notes && strcmp(s->notes[k], v->notes[i]); k++)
			;
		if (k == s->n_notes)
			rc = est_lines_push(&r->notes, &r->n_notes, "variant %s: %s", v->variant, v->notes[i]);
	}
	if (rc == 0 && v->mode != EST_MODE_CLOUD && v->server->max_power_kw > v->rack_power_kw &&
	    (v->server != s->server || v->rack_power_kw != s->rack_power_kw || s->mode == EST_MODE_CLOUD))
		rc = est_lines_push(&r->notes, &r->n_notes,
				    "variant %s: one %s (%g kW) exceeds the rack power of %g kW: one server per rack; the racks need more power",
				    v->variant, v->server->id, v->server->max_power_kw, v->rack_power_kw);
	return rc;
}

static int copy_header(calc *c)
{
	const est_scenario *s = c->s;
	est_result *r = c->r;
	size_t i;
	int rc = 0;

	r->scenario_name = strdup(s->name);
	r->scenario_file = strdup(s->file);
	if (!r->scenario_name || !r->scenario_file)
		return oom(c);
	snprintf(r->currency, sizeof(r->currency), "%s", s->currency);
	r->server = strdup(s->server->id);
	r->accelerator = strdup(s->server->accelerator->id);
	if (!r->server || !r->accelerator)
		return oom(c);
	r->accelerators_per_server = s->server->accelerators;
	r->has_target = s->has_target;
	r->target_market_based = s->basis == EST_BASIS_MARKET;
	r->target_includes_embodied = s->include_embodied;
	r->n_equivalences = s->n_equivalences;
	for (i = 0; i < r->n_equivalences; i++) {
		const est_equivalence *e = s->equivalences[i];
		r->equivalence_per_kwh[i] = e->per_kwh;
		r->equivalence_per_kg[i] = e->per_kg_co2e;
		r->equivalence_ids[i] = strdup(e->id);
		r->equivalence_names[i] = dup_or_empty(e->name);
		if (!r->equivalence_ids[i] || !r->equivalence_names[i])
			return oom(c);
	}
	if (s->terse)
		return 0;
	for (i = 0; i < s->n_notes && rc == 0; i++)
		rc = est_lines_push(&r->notes, &r->n_notes, "%s", s->notes[i]);
	if (rc == 0 && s->mode != EST_MODE_CLOUD && s->server->max_power_kw > s->rack_power_kw)
		rc = est_lines_push(&r->notes, &r->n_notes,
			       "one %s (%g kW) exceeds the rack power of %g kW: one server per rack; the racks need more power",
			       s->server->id, s->server->max_power_kw, s->rack_power_kw);
	if (rc == 0 && (s->existing_servers > 0 || s->existing_storage_tb > 0))
		rc = est_lines_push(&r->notes, &r->n_notes, "%s",
				    "SCI amortises the embodied carbon of hardware bought in the horizon only, within its lifetime; existing servers and storage are not counted");
	for (i = 0; i < s->n_variants && rc == 0; i++)
		rc = variant_notes(r, s, s->variants[i]);
	return rc < 0 ? oom(c) : 0;
}

/* What the market-based factor is, in one line (docs/model.md section 7). */
static char *market_basis(const est_scenario *s)
{
	char line[400];

	if (s->residual_origin && strcmp(s->residual_origin, "the grid's"))
		snprintf(line, sizeof(line), "residual mix set by the scenario");
	else if (s->residual_origin)
		snprintf(line, sizeof(line), "residual mix of grid %s, %g g/kWh (%d, %s; %s)", s->grid->id,
			 s->residual_g_per_kwh, s->grid->residual_year,
			 s->grid->residual_sources.count ? s->grid->residual_sources.items[0]->id : "",
			 "direct emissions from generation");
	else
		snprintf(line, sizeof(line), "grid average of %s: no residual mix published", s->grid->id);
	return strdup(line);
}

/* One scenario (the base or a variant) into variant slot v. */
static int run_variant(calc *c, const est_scenario *s, est_variant *v)
{
	int y, rc;

	c->s = s;
	c->v = v;
	v->name = strdup(s->variant ? s->variant : "base");
	v->description = strdup(s->variant_description ? s->variant_description : "");
	v->server = strdup(s->server->id);
	v->accelerator = strdup(s->server->accelerator->id);
	v->mode = est_mode_name(s->mode);
	v->cloud_pricing = s->cloud_pricing;
	v->instance_price_per_hour = s->instance_price_per_hour;
	v->discount_rate = s->discount_rate;
	v->storage_unit_tb = s->storage_unit_tb;
	v->power_step_kw = s->power_step_kw;
	if (s->cloud_region && !(v->cloud_region = strdup(s->cloud_region)))
		return oom(c);
	v->accelerators_per_server = s->server->accelerators;
	v->host_idle_w = s->server->host_idle_w;
	v->accelerator_idle_w = s->server->accelerator->idle_power_w;
	v->accelerator_max_w = s->server->accelerator->max_power_w;
	v->server_idle_w = v->host_idle_w + s->server->accelerators * v->accelerator_idle_w;
	v->server_max_w = s->server->max_power_kw * 1000.0;
	v->price_unverified = s->server->price_unverified && s->server_price > 0 &&
			      s->server->price > 0 && !s->server_price_given;
	v->intensity_scope = s->intensity_path.n > 0 || s->intensity_given ? "set by the scenario" : s->grid->scope;
	v->market_basis = market_basis(s);
	v->years = calloc((size_t)s->years, sizeof(*v->years));
	if (!v->name || !v->description || !v->server || !v->accelerator || !v->years || !v->market_basis)
		return oom(c);
	v->n_years = (size_t)s->years;
	rc = setup_workloads(c);
	if (rc < 0)
		return rc;
	for (y = 0; y < s->years; y++)
		compute_year(c, y);
	add_totals(v, c->r->n_equivalences);
	for (y = 0; y < s->years && rc == 0; y++)
		rc = check_overflow(c, y);
	return rc;
}

int est_model__eval(est_variant *v, const est_scenario *s, const est_profiles *p,
		    size_t n_equivalences, est_error *err)
{
	est_result r;
	calc c;
	int y, rc = 0;

	r.n_equivalences = n_equivalences; /* the only field compute_year reads */
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	c.r = &r;
	c.v = v;
	c.err = err;
	for (y = 0; y < s->years; y++)
		compute_year(&c, y);
	add_totals(v, n_equivalences);
	for (y = 0; y < s->years && rc == 0; y++)
		rc = check_overflow(&c, y);
	return rc;
}

/* A variant's additive totals minus the base's. */
static void set_delta(est_variant *v, const est_variant *base, size_t n_equivalences)
{
	v->has_delta = 1;
	memset(&v->delta, 0, sizeof(v->delta));
	add_additive(&v->delta, &v->totals, 1, n_equivalences);
	add_additive(&v->delta, &base->totals, -1, n_equivalences);
	v->delta.cost_per_1000 = v->totals.cost_per_1000 - base->totals.cost_per_1000;
}

/*
 * Section 10: a purchase that costs less than the scenario's minimum order
 * is named, so that it can be ordered with another (the model keeps it in
 * its year: the capacity is needed then).
 */
static int small_orders(calc *c, const est_scenario *s, const est_variant *v)
{
	size_t y, k;

	if (s->minimum_order <= 0 || s->terse)
		return 0;
	for (y = 0; y < v->n_years; y++) {
		const est_year *yr = &v->years[y];
		const struct {
			const char *what;
			double amount, cost;
			const char *unit;
		} buys[] = {
			{"servers", yr->servers.to_buy, yr->capex_by.servers + yr->capex_by.network, ""},
			{"storage", yr->storage_tb.to_buy, yr->capex_by.storage, " TB"},
			{"racks", yr->racks.to_buy, yr->capex_by.racks, ""},
			{"power", yr->power_upgrade_kw, yr->capex_by.power, " kW"},
		};
		for (k = 0; k < sizeof(buys) / sizeof(buys[0]); k++)
			if (buys[k].amount > 0 && buys[k].cost > 0 && buys[k].cost < s->minimum_order &&
			    est_lines_push(&c->r->notes, &c->r->n_notes,
					   "%s %d: %s %.6g%s for %.2f %s is below the minimum order of %.2f %s; "
					   "order it with the next purchase",
					   v->name, yr->year, buys[k].what, buys[k].amount, buys[k].unit,
					   buys[k].cost, c->r->currency, s->minimum_order, c->r->currency) < 0)
				return oom(c);
	}
	return 0;
}

int est_model_run(est_result **out, const est_scenario *s, const est_profiles *p, est_error *err)
{
	calc c;
	size_t i;
	int rc;

	assert(out && s && p);
	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	c.err = err;
	c.r = calloc(1, sizeof(*c.r));
	if (!c.r)
		return est_error_set(err, EST_EINTERNAL, s->file, 0, 0, "out of memory");
	rc = copy_header(&c);
	if (rc < 0)
		goto cleanup;
	c.r->variants = calloc(1 + s->n_variants, sizeof(*c.r->variants));
	if (!c.r->variants) {
		rc = oom(&c);
		goto cleanup;
	}
	for (i = 0; i <= s->n_variants && rc == 0; i++) {
		c.r->n_variants = i + 1;
		rc = run_variant(&c, i == 0 ? s : s->variants[i - 1], &c.r->variants[i]);
		if (rc == 0 && i > 0)
			set_delta(&c.r->variants[i], &c.r->variants[0], c.r->n_equivalences);
		if (rc == 0)
			rc = small_orders(&c, i == 0 ? s : s->variants[i - 1], &c.r->variants[i]);
	}

cleanup:
	if (rc < 0) {
		est_result_free(c.r);
		return rc;
	}
	*out = c.r;
	return 0;
}

void est_result_free(est_result *r)
{
	size_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->n_variants; i++) {
		est_variant *v = &r->variants[i];
		for (j = 0; j < v->n_workloads; j++) {
			est_workload_result *w = &v->workloads[j];
			free(w->name);
			free(w->task);
			free(w->model);
			free(w->profile);
			est_lines_free(w->conversions, w->n_conversions);
			free(w->years);
		}
		free(v->workloads);
		free(v->years);
		free(v->name);
		free(v->description);
		free(v->server);
		free(v->accelerator);
		free(v->cloud_region);
		free(v->market_basis);
	}
	free(r->variants);
	for (i = 0; i < r->n_equivalences; i++) {
		free(r->equivalence_ids[i]);
		free(r->equivalence_names[i]);
	}
	est_lines_free(r->notes, r->n_notes);
	free(r->scenario_name);
	free(r->scenario_file);
	free(r->server);
	free(r->accelerator);
	free(r);
}
