/*
 * A workload scenario (format v1, docs/scenario-format.md), loaded from YAML
 * with every name resolved against a profile library and every quantity
 * converted to the canonical units named in the field names.
 *
 * Ownership: est_scenario_load returns an owned scenario freed with
 * est_scenario_free. Its strings are owned by it; its profile pointers are
 * borrowed from the library passed to the loader, which must outlive it.
 */
#ifndef ESTIMATOR_SCENARIO_H
#define ESTIMATOR_SCENARIO_H

#include <stddef.h>
#include "dist.h"
#include "error.h"
#include "profiles.h"

/*
 * The most Monte Carlo samples one run may ask for: the scenario's
 * `uncertainty.samples`, --samples and est_sample_options.samples.
 */
#define EST_SAMPLES_MAX 1000000

/*
 * A value given year by year (docs/model.md section 14): n points, linear
 * between them and flat outside; n == 0 means the scalar field is used.
 */
#define EST_PATH_MAX 64
typedef struct est_path {
	size_t n;
	double *years;                  /* n each, owned by the scenario (copies share them) */
	double *values;
} est_path;

/* The value of path p in year (fallback when p is empty). */
double est_path_at(const est_path *p, double fallback, int year);

typedef enum est_target_basis {
	EST_BASIS_MARKET,
	EST_BASIS_LOCATION
} est_target_basis;

typedef struct est_workload {
	char *name;
	const est_task *task;
	const est_model_profile *model; /* NULL: any model for the task */
	double requests_per_day;        /* demand in the start year (users x requests_per_user when per_user) */
	int per_user;                   /* demand given as users and requests per user */
	double users;
	double requests_per_user;       /* per day */
	double growth;                  /* fraction per year, e.g. 0.4 */
	double peak_to_average;
	double output_bytes;            /* stored per inference */
	double log_bytes;               /* logged per inference */
	double retention_years;         /* how long outputs and logs are kept */
	double transfer_bytes;          /* network traffic per inference */
	double weights_bytes;           /* model weights stored; derived when not given */
	double energy_wh_override;      /* > 0: replaces the profile figure (deployment boundary) */
	double time_s_override;         /* > 0: replaces the derived device-seconds */
	double hardware_energy_factor;  /* > 0: replaces the accelerator energy ratio */
	double hardware_time_factor;    /* > 0: replaces the accelerator time ratio */
	int line, column;               /* where the workload starts in the file */
} est_workload;

/*
 * An input given as a distribution: where it lives (a scenario field, or a
 * field of workload `workload`, by byte offset) and its distribution, whose
 * median the field holds.
 */
typedef struct est_uncertain {
	char *path;                     /* e.g. "workloads[chat].growth", for reports */
	int workload;                   /* -1: a field of est_scenario */
	size_t offset;                  /* of the double in est_scenario or est_workload */
	est_dist dist;
	int whole;                      /* a count: samples are rounded to whole numbers */
	/*
	 * An exchange rate: no field of its own; a sample multiplies the fields
	 * converted with it (scenario fields, by offset) by sample / median, after
	 * every other input is set.
	 */
	int multiplier;
	size_t scales[8];
	size_t n_scales;
	int line, column;               /* where it is written */
} est_uncertain;

/* Where the hardware runs (docs/model.md section 15). */
typedef enum est_mode {
	EST_MODE_ON_PREMISES,           /* servers, storage and power bought and built */
	EST_MODE_COLOCATION,            /* servers and storage bought; power capacity rented */
	EST_MODE_CLOUD                  /* instances rented by the hour; nothing bought */
} est_mode;

const char *est_mode_name(est_mode m);

typedef struct est_scenario {
	char *file;
	char *name;
	char *description;

	int start_year;
	int years;

	/* site */
	const est_grid *grid;
	double intensity_g_per_kwh;
	int intensity_given;            /* site.carbon_intensity set by the scenario */
	est_path intensity_path;        /* year by year, when given as a table */
	double residual_g_per_kwh;      /* market-based residual mix; 0: none, the grid average is used */
	est_path residual_path;
	const char *residual_origin;    /* "the grid's (source)", "set by the scenario"; NULL when none */
	double renewable_share;         /* covered by contractual instruments, 0..1 */
	const est_facility *facility;
	double pue;
	double wue_l_per_kwh;
	double electricity_water_l_per_kwh; /* water of the electricity itself; 0 by default */
	double rack_power_kw;

	/* existing infrastructure */
	double existing_servers;        /* of the deployment server type; a whole number */
	double existing_storage_tb;
	double existing_power_kw;       /* IT power capacity available */
	double existing_racks;          /* a whole number */

	/* deployment choices */
	est_mode mode;
	/*
	 * Cloud: the instance type, its region and price. `server` is then the
	 * hardware of one instance (cloud_unit below): an instance with fewer
	 * accelerators than its server is that share of it.
	 */
	const est_cloud_instance *instance;
	char *cloud_region;             /* "us-east-1" (owned) */
	const char *cloud_pricing;      /* "on-demand", "1-year", "3-year" or "set by the scenario" */
	double instance_price_per_hour; /* in `currency` */
	est_server cloud_unit;          /* one instance as a server (id: the instance's) */
	double cloud_share;             /* instance accelerators / its server's (1 when not cloud) */
	int has_existing;               /* `existing:` given */
	double storage_unit_tb;         /* storage bought in units of this; 0: any amount */
	double power_step_kw;           /* power upgrades in steps of this; 0: any amount */
	const est_server *server;
	double gpu_to_node;             /* node / GPU-only energy (default: the profiles' constant) */
	double utilisation;             /* target, 0..1 */
	double spare_servers;           /* N+k redundancy; a whole number */
	double lifetime_years;
	const est_storage_tech *storage;
	double replication;
	double datasets_tb;             /* datasets, embeddings and other fixed data */

	/* costs, all in `currency` */
	char currency[4];
	/* costs.exchange_rates as stated: 1 `code` = rate `currency` (a distribution's median) */
	struct {
		char code[4];
		double rate;
		int noted;              /* a note says amounts were converted at it */
	} rates[16];
	size_t n_rates;
	double electricity_price_per_kwh;
	est_path price_path;            /* year by year, when given as a table */
	double server_price;
	int server_price_given;         /* costs.server_price set by the scenario */
	double storage_price_per_tb;
	double buildout_cost_per_kw;
	/* the cost of ownership (docs/model.md section 10) */
	double network_per_server;      /* capex per server bought */
	double rack_price;              /* capex per rack bought */
	double maintenance_share;       /* a year, of the price of the hardware in service */
	double licence_per_accelerator_year;
	double staff_per_year;
	double colocation_per_kw_year;  /* colocation: the rent of a kW of IT capacity */
	double colocation_per_rack_year;
	double cloud_storage_per_tb_year;
	double discount_rate;           /* a year, for the net present value */
	double carbon_price_per_t;      /* internal carbon price; 0: none */
	double minimum_order;           /* purchases below this are named in the notes; 0: none */

	/* ESG target */
	int has_target;
	double budget_kg;               /* allowed emissions in the start year */
	double reduction_per_year;      /* the budget shrinks by this fraction a year */
	est_target_basis basis;
	int include_embodied;

	/* Monte Carlo defaults (`uncertainty:`); --samples and --seed win */
	int has_sample_default, has_seed_default;
	size_t sample_default;          /* 1 .. EST_SAMPLES_MAX */
	unsigned long seed_default;     /* 0 .. 4294967295 */

	/* equivalences reported (report.equivalences, or every default record) */
	const est_equivalence *equivalences[EST_MAX_EQUIVALENCES];
	size_t n_equivalences;

	est_workload *workloads;
	size_t n_workloads;

	/* Assumptions the loader made (defaults taken), one line each. */
	char **notes;
	size_t n_notes;
	int terse;                      /* est_load_options.terse: no notes, no conversion lines */

	/*
	 * The library extended with the scenario's own measurement files
	 * (`measurements:`), or NULL; workload tasks and models point into it.
	 */
	est_profiles *extended;

	/* Inputs given as distributions (docs/uncertainty.md). */
	est_uncertain *uncertain;
	size_t n_uncertain;

	/* Variants (docs/what-if.md): NULL name for the base scenario. */
	char *variant;
	char *variant_description;
	struct est_scenario **variants;
	size_t n_variants;
} est_scenario;

/* A value given on the command line, `--set PATH=VALUE`. */
typedef struct est_override {
	const char *path;
	const char *value;
	const char *origin;   /* the name errors use for it, e.g. "--set" */
	int line, column;     /* 1-based: which --set, and where its value starts */
} est_override;

typedef struct est_load_options {
	const est_override *overrides;  /* applied to the base and every variant */
	size_t n_overrides;
	int base_only;                  /* skip the variants */
	/*
	 * The document itself, when not NULL: est_scenario_load_with reads
	 * these len bytes (standard input, say) instead of opening its path,
	 * which then only names the document in errors and outputs. Borrowed
	 * for the call. est_scenario_load_buffer_with ignores them.
	 */
	const char *data;
	size_t len;
	/*
	 * Terse: no notes of the defaults taken and no conversion lines in
	 * the scenario and its results (the figures are the same); for
	 * callers that show neither, such as batch's CSV rows.
	 */
	int terse;
} est_load_options;

/* est_scenario_load with overrides; o may be NULL. */
int est_scenario_load_with(est_scenario **out, const char *path, const est_profiles *profiles,
			   const est_load_options *o, est_error *err);
int est_scenario_load_buffer_with(est_scenario **out, const char *name, const char *data,
				  size_t len, const est_profiles *profiles,
				  const est_load_options *o, est_error *err);

/*
 * Write value into the field of uncertain input u in s (a sample of it). For
 * an exchange rate (u->multiplier), scale the amounts converted with it
 * instead: set every other input first.
 */
void est_uncertain_set(est_scenario *s, const est_uncertain *u, double value);
/* Recompute what derives from sampled fields (per-user demand). */
void est_scenario_derive(est_scenario *s);

int est_scenario_load(est_scenario **out, const char *path,
		      const est_profiles *profiles, est_error *err);

/* Load from memory; `name` is used as the file name in errors. */
int est_scenario_load_buffer(est_scenario **out, const char *name,
			     const char *data, size_t len,
			     const est_profiles *profiles, est_error *err);

void est_scenario_free(est_scenario *s);

#endif
