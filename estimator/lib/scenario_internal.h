/*
 * Shared pieces of the scenario loader (internal): the loading state and the
 * helpers its files use. scenario_reader.c: errors, notes, sections, range
 * checks, unknown ids; scenario_uncertain.c: distributions by field;
 * scenario_sections.c, scenario_costs.c, scenario_workloads.c: the document's
 * sections; scenario_variants.c: --set overrides and variants; scenario.c:
 * the entry points.
 */
#ifndef ESTIMATOR_SCENARIO_INTERNAL_H
#define ESTIMATOR_SCENARIO_INTERNAL_H

#include "estimator/scenario.h"
#include "estimator/units.h"
#include "overrides.h"
#include "profiles_internal.h"
#include "yaml_doc.h"

typedef struct sloader {
	est_scenario *s;
	const est_profiles *p;
	est_ydoc *doc;
	est_error *err;
	yaml_node_t *root;
	yaml_node_t *rates;    /* costs.exchange_rates, or NULL */
	char section[160];     /* path prefix of the keys being read, e.g. "site" */
	int reading_rate;      /* the quantity read next is an exchange rate */
	yaml_node_t *costs;    /* costs, or NULL */
} sloader;

/* scenario_reader.c */
int est_sl__oom(sloader *l);
int est_sl__note(sloader *l, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* A section: absent is allowed (returns 0 with *out NULL) unless required. */
int est_sl__section(sloader *l, const yaml_node_t *map, const char *key, const char *const *known,
		    int required, yaml_node_t **out);
/* The field an uncertain input sets (in the scenario or one of its workloads). */
double *est_sl__field_of(est_scenario *s, const est_uncertain *u);
/*
 * v (or the distribution written at key) within [lo, hi], in the unit the key
 * was read in: "%" for a share (a fraction shown as a percentage), "" for a
 * plain number. The error states the value as written and both bounds:
 * "retention: 2000 years is outside 0 to 1000 years".
 */
int est_sl__range(sloader *l, const yaml_node_t *map, const char *key, double v, double lo,
		  double hi, const char *unit);
/* The bound of amounts that have no other: zero to EST_SL_MAX (a finite sum of many stays finite). */
#define EST_SL_MAX 1e300
#define NONNEG(l, map, key, v, unit) est_sl__range((l), (map), (key), (v), 0, EST_SL_MAX, (unit))
/* Look an id up; on failure a located error with the nearest known id. */
int est_sl__unknown(sloader *l, const yaml_node_t *map, const char *key, const char *kind,
		    const char *id);
/* The path prefix of the keys read next: "site", or "workloads[NAME]". */
void est_sl__set_section(sloader *l, const char *list, const char *name);

/* scenario_uncertain.c */
/* The document's dist hook: a distribution written for a field of the scenario or a workload. */
int est_sl__register_dist(void *ctx, double *field, est_dist *dist, const yaml_node_t *node,
			  const char *key, est_error *err);
/* The uncertain input whose field is `field`, or NULL. */
est_uncertain *est_sl__uncertain_at(sloader *l, const double *field);
/* A default taken from a profile field that is a distribution (see the definition). */
int est_sl__inherit(sloader *l, double *field, int kind, const char *id, size_t offset, double scale,
		    double lo, double hi, const char *path);

/* scenario_costs.c, scenario_workloads.c */
int est_sl__load_costs(sloader *l);
/* An optional amount of `costs:` in unit ("CUR/..."), converted to the scenario's currency. */
int est_sl__price(sloader *l, const char *key, const char *unit, double *out, int *given);
/* amount from currency `from` to the scenario's (an error names the rate to add). */
int est_sl__to_currency(sloader *l, double *amount, const char *from, const char *what);

/* scenario_mode.c: deployment.mode and deployment.cloud (read before the site) */
int est_sl__load_mode(sloader *l);
int est_sl__cloud_deployment(sloader *l, yaml_node_t *deployment);

/* scenario_tco.c: the cost of ownership keys, the purchase units, the greenfield note */
int est_sl__load_tco(sloader *l);
int est_sl__load_units(sloader *l, yaml_node_t *deployment);
int est_sl__greenfield_note(sloader *l);
int est_sl__load_workloads(sloader *l);
/* `measurements:` files relative to the scenario's folder, added to the library. */
int est_sl__load_measurements(sloader *l);

/* scenario_yearly.c: tables of years (docs/model.md section 14) and `report:` */
int est_sl__is_table(sloader *l, const yaml_node_t *map, const char *key);
int est_sl__path(sloader *l, const yaml_node_t *map, const char *key, const char *unit,
		 double lo, double hi, est_path *out, char *currency);
int est_sl__load_report(sloader *l);

/* scenario_sections.c: one scenario from the document as it stands (overrides applied). */
int est_sl__load_one(est_ydoc *doc, const est_profiles *p, int terse, est_scenario **out,
		     est_error *err);

/* scenario_variants.c */
/* The --set overrides: each value a scalar located at its place on the command line. */
int est_sl__apply_cli_overrides(est_ydoc *doc, const est_load_options *o, est_edit_log *log,
				est_error *err);
/* Each variant: its `set` applied over the base document, loaded, undone. */
int est_sl__load_variants(est_ydoc *doc, const est_profiles *p, est_scenario *base, est_error *err);
/* (variants are as terse as their base) */

#endif
