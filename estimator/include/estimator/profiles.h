/*
 * The profile library: measured per-task energy, hardware, grids, facility
 * classes, storage and network factors, equivalences, and the sources they
 * cite, loaded from a directory of YAML files (see docs/profiles.md).
 *
 * Ownership: est_profiles_load returns an owned library freed with
 * est_profiles_free; every pointer reached from it (records, strings) is
 * borrowed and lives as long as the library. A loaded library is never
 * modified, so several threads may read one at once.
 */
#ifndef ESTIMATOR_PROFILES_H
#define ESTIMATOR_PROFILES_H

#include <stddef.h>
#include "error.h"

/* At most this many equivalence records (output columns). */
#define EST_MAX_EQUIVALENCES 8

/* Where a measured energy figure was read. */
typedef enum est_boundary {
	EST_BOUNDARY_GPU,      /* accelerator(s) only (NVML) */
	EST_BOUNDARY_NODE,     /* whole server as metered: GPU + CPU + RAM */
	EST_BOUNDARY_FACILITY  /* node energy times PUE */
} est_boundary;

typedef struct est_source {
	const char *id;
	const char *title;
	const char *authors;
	const char *published;
	const char *locator;
	const char *licence;
	int year;
} est_source;

/* The sources of a record: one or more ids resolved against the library. */
typedef struct est_source_list {
	const est_source **items;
	size_t count;
} est_source_list;

typedef enum est_model_kind {
	EST_MODEL_TASK_SPECIFIC,
	EST_MODEL_MULTI_PURPOSE,
	EST_MODEL_REFERENCE     /* a published figure, not a reproducible measurement */
} est_model_kind;

typedef struct est_accelerator est_accelerator;

/* One measured (task, model, hardware, setting) point. */
typedef struct est_model_profile {
	const char *id;         /* unique across the library */
	const char *task;       /* task id */
	const char *model;      /* model name, e.g. a Hugging Face id */
	est_model_kind kind;
	est_boundary boundary;  /* where the energy was read */
	const est_accelerator *hardware; /* NULL: unknown (reference figures only) */
	int batch_size;         /* 0 when unknown */
	int gpus;               /* accelerators doing the work */
	int node_gpus;          /* accelerators in the measured node (idle ones included); >= gpus */
	double output_tokens;   /* mean per inference; 0 when unknown */
	double input_tokens;
	const char *precision;  /* NULL when unknown */
	const char *setting;    /* serving configuration, free text; NULL when none */
	const char *unit;       /* what one inference is: "inference", "response", "image" ... */
	const char *licence;
	double parameters;      /* total parameters; 0 when unknown */
	double energy_wh;       /* mean energy per inference at `boundary` */
	double energy_std_wh;   /* run-to-run standard deviation; 0 when unknown */
	double energy_min_wh;
	double energy_max_wh;
	double gpu_energy_wh;   /* GPU-only share when the source splits it; 0 otherwise */
	double time_s;          /* device-seconds per inference; 0 when not measured */
	est_source_list sources;
	const char *notes;
} est_model_profile;

/* Task-level statistics across the task-specific models (study Table 2). */
typedef struct est_task_stats {
	double mean_wh;
	double std_wh;
	double min_model_wh;
	double max_model_wh;
	double median_wh;
	double gpu_share;       /* fraction of node energy read on the GPUs */
	double time_s;          /* mean device-seconds per inference */
	est_source_list sources;
} est_task_stats;

typedef struct est_task {
	const char *id;         /* e.g. "text_generation" */
	const char *name;
	const char *modality;
	int has_stats;          /* the study gives task statistics (Table 2) */
	est_boundary boundary;  /* boundary of the statistics */
	const char *hardware;   /* accelerator id the statistics were measured on */
	int batch_size;
	int node_gpus;          /* accelerators in the measured node; 0 when not stated */
	est_task_stats stats;
	const est_model_profile *models; /* the task file's and every measurement file's */
	size_t n_models;
} est_task;

struct est_accelerator {
	const char *id;
	const char *name;
	double max_power_w;
	double idle_power_w;
	double memory_gb;
	double relative_energy; /* energy per inference relative to the reference accelerator */
	const char *conversion_basis;
	double embodied_kg;     /* cradle-to-gate kg CO2e per accelerator; 0 when unknown */
	double embodied_low_kg, embodied_high_kg; /* spread across LCAs; 0 when none */
	est_source_list embodied_range_sources;
	const char *embodied_range_notes;
	const char *const *aliases; /* device names tools report */
	size_t n_aliases;
	est_source_list sources;
	const char *notes;
};

typedef struct est_server {
	const char *id;
	const char *name;
	const est_accelerator *accelerator;
	int accelerators;       /* accelerators per server */
	double max_power_kw;
	double host_idle_w;     /* host (CPUs, memory...) idle, accelerators' idle excluded */
	int rack_units;
	double embodied_kg;     /* whole server including its accelerators */
	double lifetime_years;
	double price;           /* 0 when no public source gives one */
	char currency[4];
	int price_unverified;   /* the price rests on an unverified source */
	est_source_list sources;
	const char *notes;
} est_server;

typedef enum est_grid_kind {
	EST_GRID_COUNTRY,
	EST_GRID_REGION,
	EST_GRID_SUBNATIONAL,
	EST_GRID_CLOUD
} est_grid_kind;

typedef struct est_grid {
	const char *id;         /* ISO 3166 alpha-3, a region id such as "EU27", "aws/eu-central-1" */
	const char *name;
	est_grid_kind kind;
	const char *provider;   /* cloud grids: "aws", "azure", "gcp"; NULL otherwise */
	const char *basis;      /* what the intensity stands for, when stated */
	const char *scope;      /* "life-cycle", "combustion" or "not-stated" */
	const char *const *aliases; /* other names users write (e.g. "UK" for GBR) */
	size_t n_aliases;
	const char *notes;
	double intensity_g_per_kwh;
	int year;
	est_source_list sources;
	double price_per_kwh;   /* 0 when no price is known */
	char currency[4];
	const char *price_period;
	est_source_list price_sources;
	double residual_g_per_kwh; /* market-based residual mix; 0 when none is published */
	int residual_year;
	est_source_list residual_sources;
} est_grid;

/* An electricity price that is not a grid's (e.g. a US state and sector). */
typedef struct est_price {
	const char *id;
	const char *name;
	const char *sector;
	double price_per_kwh;
	char currency[4];
	const char *period;
	est_source_list sources;
	const char *notes;
} est_price;

typedef struct est_facility {
	const char *id;         /* "enterprise", "colocation", "hyperscale" */
	const char *name;
	double pue;
	double wue_l_per_kwh;
	double rack_power_kw;
	double buildout_cost_per_kw;
	char currency[4];
	double ups_efficiency;  /* informational; 0 when not given */
	/* colocation: the rent of power capacity, per kW of IT load a month; 0 when none */
	double price_per_kw_month;
	char price_currency[4];
	/* power upgrades are bought in steps of this many kW (a UPS module); 0: any amount */
	double power_step_kw;
	est_source_list sources;
	const char *notes;
} est_facility;

typedef struct est_storage_tech {
	const char *id;         /* "ssd", "hdd" */
	double power_w_per_tb;
	double embodied_kg_per_tb;
	double purchase_unit_tb; /* bought in units of this (a drive); 0: any amount */
	est_source_list sources;
	const char *notes;
} est_storage_tech;

typedef struct est_equivalence {
	const char *id;         /* output key, e.g. "smartphone_charges" */
	const char *name;
	double per_kwh;         /* equivalents per facility kWh; 0 when CO2-based */
	double per_kg_co2e;     /* equivalents per kg CO2e (location-based); 0 when energy-based */
	int is_default;         /* reported unless the scenario chooses others */
	est_source_list sources;
	const char *notes;
} est_equivalence;

/* Model constants that are data, each with its source. */
typedef struct est_constants {
	double gpu_to_node;            /* node energy / GPU-only energy */
	est_source_list gpu_to_node_sources;
	double network_kwh_per_gb;
	est_source_list network_sources;
	double bytes_per_parameter;    /* stored weights per parameter */
	est_source_list bytes_per_parameter_sources;
	double memory_headroom;        /* accelerator memory a replica needs per byte of weights */
	est_source_list memory_headroom_sources;
	const char *reference_accelerator; /* accelerator id relative factors refer to */
	double default_utilisation;    /* target utilisation when a scenario gives none */
	est_source_list default_utilisation_sources;
	double default_replication;    /* storage copies when a scenario gives none */
	est_source_list default_replication_sources;
	double discount_rate;          /* per year, for net present values; 0 when not given */
	est_source_list discount_rate_sources;
} est_constants;

/* A cloud provider (profiles/cloud/providers.yaml): its data centres' PUE and WUE. */
typedef struct est_cloud_provider {
	const char *id;          /* "aws", "azure", "gcp": the provider of the cloud grids */
	const char *name;
	double pue;
	double wue_l_per_kwh;
	est_source_list sources;
	const char *notes;
} est_cloud_provider;

/* An instance type's price in one region, per instance-hour, in the instance's currency. */
typedef struct est_cloud_price {
	const char *region;      /* "us-east-1": its grid is "<provider>/<region>" */
	double on_demand;
	double one_year;         /* with a one-year commitment; 0 when no source gives one */
	double three_year;       /* with a three-year commitment; 0 when no source gives one */
} est_cloud_price;

/* A cloud instance type (profiles/cloud/instances.yaml). */
typedef struct est_cloud_instance {
	const char *id;          /* "aws/p5.48xlarge": provider / the provider's name */
	const char *name;
	const est_cloud_provider *provider;
	const est_accelerator *accelerator;
	int accelerators;        /* per instance, 1 to server->accelerators */
	/*
	 * The hardware behind it, for its power model, embodied carbon and
	 * lifetime; an instance with fewer accelerators than the server is
	 * that share of it (Cloud Carbon Footprint's share of the host).
	 */
	const est_server *server;
	int vcpus;
	double memory_gb;
	est_cloud_price *prices; /* by region, as listed */
	size_t n_prices;
	char currency[4];
	const char *price_date;  /* the price list's date or vintage, as its source states it */
	est_source_list sources;
	const char *notes;
} est_cloud_instance;

typedef struct est_profiles est_profiles;

/* Load every profile file under dir. */
int est_profiles_load(est_profiles **out, const char *dir, est_error *err);

/*
 * A library that adds the records of measurement files (docs/profiles.md) to
 * base, which it borrows: base must outlive it. Free it with
 * est_profiles_free.
 */
int est_profiles_extend(est_profiles **out, const est_profiles *base,
			const char *const *files, size_t n, est_error *err);
void est_profiles_free(est_profiles *p);

const char *est_profiles_dir(const est_profiles *p);
const est_constants *est_profiles_constants(const est_profiles *p);

/* Lookups return NULL when the id is unknown. */
const est_task *est_profiles_task(const est_profiles *p, const char *id);
const est_model_profile *est_task_model(const est_task *t, const char *model);
const est_accelerator *est_profiles_accelerator(const est_profiles *p, const char *id);
const est_server *est_profiles_server(const est_profiles *p, const char *id);
/* The default server for an accelerator: the first server record using it. */
const est_server *est_profiles_server_for(const est_profiles *p, const est_accelerator *a);
const est_grid *est_profiles_grid(const est_profiles *p, const char *id);
const est_facility *est_profiles_facility(const est_profiles *p, const char *id);
const est_storage_tech *est_profiles_storage(const est_profiles *p, const char *id);
const est_source *est_profiles_source(const est_profiles *p, const char *id);

const est_price *est_profiles_price(const est_profiles *p, const char *id);
const est_cloud_provider *est_profiles_cloud_provider(const est_profiles *p, const char *id);
const est_cloud_instance *est_profiles_cloud_instance(const est_profiles *p, const char *id);
/* The instance's price in region (e.g. "us-east-1"), or NULL when none is listed. */
const est_cloud_price *est_cloud_instance_price(const est_cloud_instance *i, const char *region);
/* The accelerator whose id, name or one of whose aliases is `name` (case-insensitive). */
const est_accelerator *est_profiles_accelerator_named(const est_profiles *p, const char *name);
/* The model record with this id in any task, or NULL. */
const est_model_profile *est_profiles_model(const est_profiles *p, const char *id);

/* Iteration, for listing and validation: the kinds of record in the library. */
typedef enum est_record_kind {
	EST_RECORD_SOURCE,
	EST_RECORD_TASK,
	EST_RECORD_MODEL,       /* every task's models, task by task */
	EST_RECORD_ACCELERATOR,
	EST_RECORD_SERVER,
	EST_RECORD_GRID,
	EST_RECORD_PRICE,
	EST_RECORD_FACILITY,
	EST_RECORD_STORAGE,
	EST_RECORD_EQUIVALENCE,
	EST_RECORD_CLOUD_PROVIDER,
	EST_RECORD_CLOUD_INSTANCE
} est_record_kind;

/* How many record kinds there are: loop `for (k = 0; k < EST_RECORD_KINDS; k++)`. */
#define EST_RECORD_KINDS 12

size_t est_profiles_count(const est_profiles *p, est_record_kind kind);
/* The i-th record of a kind, to be cast to its type (est_source, est_task ...). */
const void *est_profiles_at(const est_profiles *p, est_record_kind kind, size_t i);
/* The id of any record, by kind. */
const char *est_profiles_record_id(est_record_kind kind, const void *record);
/* "sources", "tasks", "models", ... ("?" out of range) and back, ignoring case; -1 for an unknown name. */
const char *est_record_kind_name(est_record_kind kind);
int est_record_kind_parse(const char *name);

size_t est_profiles_count_tasks(const est_profiles *p);
const est_task *est_profiles_task_at(const est_profiles *p, size_t i);
size_t est_profiles_count_equivalences(const est_profiles *p);
const est_equivalence *est_profiles_equivalence_at(const est_profiles *p, size_t i);

/* The known id closest to `id` among tasks/accelerators/..., or NULL. */
const char *est_profiles_suggest(const est_profiles *p, const char *kind, const char *id);

const char *est_boundary_name(est_boundary b);
const char *est_model_kind_name(est_model_kind k);
const char *est_grid_kind_name(est_grid_kind k);

#endif
