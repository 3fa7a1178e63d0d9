/*
 * The capacity model: a scenario and a profile library in, a result out,
 * year by year over the horizon (equations in docs/model.md).
 *
 * Ownership: est_model_run returns an owned result freed with
 * est_result_free; everything reached from it is owned by it. The model
 * keeps no state between calls, so distinct results may be computed on
 * several threads at once.
 */
#ifndef ESTIMATOR_MODEL_H
#define ESTIMATOR_MODEL_H

#include <stddef.h>
#include "error.h"
#include "profiles.h"
#include "scenario.h"

#define EST_FORMAT_ID "estimator-result/1"

/* kWh; docs/model.md section 5 */
typedef struct est_energy {
	double inference;              /* above idle: accelerator + host */
	double accelerator, host;      /* the parts of inference */
	double idle;                   /* every installed server at idle: host_idle + accelerator_idle */
	double host_idle, accelerator_idle;
	double servers;                /* idle + inference */
	double storage;
	double it;                     /* servers + storage */
	double facility;               /* it x PUE */
	double network;                /* outside the site: no PUE */
} est_energy;

typedef struct est_stock {
	double required, existing, to_buy;
} est_stock;

/* Capital expenditure by kind (docs/model.md section 10), in the result's currency. */
typedef struct est_capex {
	double servers, storage, network, racks, power;
} est_capex;

/* Operating expenditure by kind (docs/model.md section 10). */
typedef struct est_opex {
	double electricity;            /* the facility energy at the electricity price */
	double maintenance;            /* a share of the price of the hardware in service */
	double licences;               /* per accelerator installed or rented */
	double colocation;             /* rent of IT power capacity and racks */
	double cloud;                  /* instance-hours, and cloud storage */
	double staff;
} est_opex;

/* The headline metrics (docs/output-format.md) given ranges by sampling. */
#define EST_HEADLINES 12
/*
 * The metrics the sampler ranges: the headlines, then the cost of ownership
 * and the peak IT power (the totals' peak: the largest year's), which are not
 * headlines (compare, sweep and batch do not show them).
 */
#define EST_RANGED (EST_HEADLINES + 2)

/* Quantiles and mean of one metric over the Monte Carlo samples. */
typedef struct est_range {
	double p5, p50, p95, mean;
} est_range;

typedef struct est_year {
	int year;
	double inferences;
	est_energy energy_kwh;
	double it_peak_kw, facility_peak_kw, power_existing_kw, power_upgrade_kw;
	est_stock accelerators, servers, racks, storage_tb;
	struct {                       /* storage_tb.required by kind, each times the replication */
		double weights, kept, datasets; /* model weights; outputs and logs kept; datasets */
	} storage_by;
	double accelerator_shortfall;  /* accelerators the load needs beyond those installed */
	double busy_accelerator_hours, installed_accelerator_hours;
	/* factors used this year (section 14) */
	double intensity_g_per_kwh, market_g_per_kwh, electricity_price;
	double location_kg, market_kg, embodied_kg;
	double water_l;
	double sci_g_per_inference;
	double capex, opex;            /* capex: the sum of capex_by; opex: the sum of opex_by */
	est_capex capex_by;
	est_opex opex_by;
	double cost;                   /* capex + opex: the year's cost of ownership */
	double npv;                    /* cost discounted to the start year */
	double cost_per_1000;          /* cost per 1,000 inferences (totals: the horizon's) */
	double carbon_cost;            /* internal carbon price x (market-based + embodied); not in cost */
	double servers_replacing;      /* of servers.to_buy: replacing servers retired this year */
	double instances;              /* cloud: instances rented (0 otherwise) */
	double instance_hours;
	double equivalents[EST_MAX_EQUIVALENCES];
	/* ESG target, when the scenario has one */
	double budget_kg, counted_kg;
	int within_budget;
	/* Monte Carlo ranges of the ranged metrics: est_headlines order, then the two of EST_RANGED */
	int has_ranges;
	est_range ranges[EST_RANGED];
} est_year;

typedef struct est_workload_year {
	int year;
	double inferences;
	double energy_kwh;     /* inference energy of this workload (above idle) */
	double accelerators;   /* accelerators this workload needs at peak (fraction) */
	double accelerators_whole; /* in whole replicas */
	double idle_kwh;       /* the servers' idle energy, shared by accelerators_whole / all of them */
} est_workload_year;

typedef struct est_workload_result {
	char *name;
	char *task;
	char *model;           /* "any" when the workload names only a task */
	char *profile;         /* profile id, or "task:<id>" for task statistics */
	double energy_wh;      /* per inference, above idle, at the node: accelerator_wh + host_wh */
	double accelerator_wh, host_wh;
	double time_s;         /* device-seconds per inference on the deployment accelerator */
	double measured_wh;    /* the record's (or task mean's) figure at its own boundary, overrides aside */
	const char *measured_boundary; /* "gpu", "node", "facility", or NULL */
	double facility_wh;    /* energy_wh x PUE: what one inference adds at the site */
	int replica;           /* accelerators one replica of the model needs */
	double weights_gb;     /* weights the replica holds (before headroom) */
	double measured_per_1000[EST_MAX_EQUIVALENCES]; /* equivalents of 1,000 inferences */
	double deployed_per_1000[EST_MAX_EQUIVALENCES];
	/* any model for the task: the spread of the measured models, converted alike */
	size_t spread_models;  /* 0 for a named model */
	double spread_min_wh, spread_max_wh;
	char **conversions;    /* one line per conversion applied */
	size_t n_conversions;
	est_workload_year *years;
} est_workload_result;

typedef struct est_variant {
	char *name;            /* "base", or the variant's name */
	char *description;     /* "" when none */
	char *server;          /* this variant's deployment (a cloud instance type: its id) */
	char *accelerator;
	const char *mode;      /* "on-premises", "colocation", "cloud" */
	char *cloud_region;    /* cloud: the region; NULL otherwise */
	const char *cloud_pricing;
	double instance_price_per_hour; /* cloud, in the result's currency */
	double discount_rate;
	double storage_unit_tb, power_step_kw; /* purchase units (0: any amount) */
	int accelerators_per_server;
	/* the server power model (docs/model.md section 5), W */
	double server_idle_w, server_max_w, host_idle_w, accelerator_idle_w, accelerator_max_w;
	int price_unverified;  /* the server price rests on an unverified source */
	const char *intensity_scope; /* the location factor's scope */
	char *market_basis;    /* what the market-based factor is, one line */
	est_year *years;
	size_t n_years;
	est_year totals;       /* additive fields summed; the others are 0 */
	int has_delta;         /* a variant: delta = its totals - the base's */
	est_year delta;
	est_workload_result *workloads;
	size_t n_workloads;
} est_variant;

typedef struct est_result {
	char *scenario_name;
	char *scenario_file;
	char currency[4];
	char *server;              /* deployment server id */
	char *accelerator;         /* deployment accelerator id */
	int accelerators_per_server;
	int has_target;
	int target_market_based;   /* 1: market-based, 0: location-based */
	int target_includes_embodied;
	size_t n_equivalences;
	char *equivalence_ids[EST_MAX_EQUIVALENCES];
	char *equivalence_names[EST_MAX_EQUIVALENCES];
	double equivalence_per_kwh[EST_MAX_EQUIVALENCES]; /* 0 for an emissions-based one */
	double equivalence_per_kg[EST_MAX_EQUIVALENCES];
	est_variant *variants;
	size_t n_variants;
	char **notes;          /* assumptions and defaults, one line each */
	size_t n_notes;
	/* Monte Carlo (est_model_sample): 0 samples when not sampled */
	size_t samples;
	unsigned long seed;
	const char *generator; /* GSL's generator name, e.g. "mt19937" */
} est_result;

int est_model_run(est_result **out, const est_scenario *s,
		  const est_profiles *p, est_error *err);

/*
 * Every amount of money in r (costs, prices, their ranges) times rate, and
 * r's currency set to `to` (3 letters): 1 unit of r's currency = rate `to`.
 */
void est_result_convert_currency(est_result *r, const char *to, double rate);

/* An exchange rate: 1 `code` = rate of another currency (the one converted to). */
typedef struct est_rate {
	char code[4];
	double rate;
} est_rate;

/*
 * The rate of scenario s's currency in `to`: from `rates` (given, e.g. --rate)
 * first, else the inverse of s's own costs.exchange_rates entry for `to`.
 * *origin names which ("--rate", "costs.exchange_rates"). With neither,
 * EST_EINVALID naming `file` and both ways to give one.
 */
int est_currency_rate(const est_scenario *s, const char *to, const est_rate *rates, size_t n_rates,
		      const char *file, double *rate, const char **origin, est_error *err);
void est_result_free(est_result *r);

#endif
