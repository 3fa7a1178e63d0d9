/*
 * The procurement report, section 15: every profile record the base and its
 * variants read, with its sources; every conversion and default taken; the
 * provenance (version, digests, seed) (docs/report.md).
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "headlines.h"
#include "report_sections.h"

/* ---- 15. assumptions and sources ---- */

/* The records already listed in this scenario's section 15, by kind and id (a variant repeats most). */
typedef struct seen_list {
	const char *what[256], *id[256];
	size_t n;
} seen_list;

/* One line per source of a record: what, id, the source's title, year and locator (as text, never a
   link); a record listed before is skipped. */
static void source_line(rep *r, seen_list *seen, const char *what, const char *id,
			const est_source_list *sl)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->what[i], what) && !strcmp(seen->id[i], id))
			return;
	if (seen->n < 256) {
		seen->what[seen->n] = what;
		seen->id[seen->n++] = id;
	}
	for (i = 0; i < sl->count; i++) {
		const est_source *src = sl->items[i];
		char year[16] = "";
		if (src->year)
			snprintf(year, sizeof(year), ", %d", src->year);
		est_rw_item(&r->w, "%s %s: %s (%s%s)%s%s", what, id, src->title ? src->title : src->id,
			    src->id, year, src->locator ? ", " : "", src->locator ? src->locator : "");
	}
}

/* The profile records scenario s (the base or a variant) reads. */
static void records_of(rep *r, seen_list *seen, const est_scenario *s)
{
	size_t i;

	source_line(r, seen, "server", s->server->id, &s->server->sources);
	source_line(r, seen, "accelerator", s->server->accelerator->id, &s->server->accelerator->sources);
	source_line(r, seen, "grid", s->grid->id, &s->grid->sources);
	source_line(r, seen, "facility class", s->facility->id, &s->facility->sources);
	if (s->storage)
		source_line(r, seen, "storage", s->storage->id, &s->storage->sources);
	if (s->instance) {
		source_line(r, seen, "cloud instance", s->instance->id, &s->instance->sources);
		if (s->instance->provider)
			source_line(r, seen, "cloud provider", s->instance->provider->id,
				    &s->instance->provider->sources);
	}
	for (i = 0; i < s->n_workloads; i++)
		if (s->workloads[i].model)
			source_line(r, seen, "model record", s->workloads[i].model->id,
				    &s->workloads[i].model->sources);
	for (i = 0; i < s->n_equivalences; i++)
		source_line(r, seen, "equivalence", s->equivalences[i]->id, &s->equivalences[i]->sources);
}

/* The constants of profiles/constants.yaml the model reads, each with its source. */
static void constants_of(rep *r, seen_list *seen, const est_constants *c)
{
	source_line(r, seen, "constant", "gpu_to_node", &c->gpu_to_node_sources);
	source_line(r, seen, "constant", "network_kwh_per_gb", &c->network_sources);
	source_line(r, seen, "constant", "bytes_per_parameter", &c->bytes_per_parameter_sources);
	source_line(r, seen, "constant", "memory_headroom", &c->memory_headroom_sources);
	source_line(r, seen, "constant", "default_utilisation", &c->default_utilisation_sources);
	source_line(r, seen, "constant", "default_replication", &c->default_replication_sources);
	source_line(r, seen, "constant", "discount_rate", &c->discount_rate_sources);
}

/* A variant's conversions that the base does not already list (its notes are the result's, named). */
static void variant_conversions(rep *r, const est_result *res, size_t v)
{
	const est_variant *var = &res->variants[v];
	const est_variant *b = &res->variants[0];
	size_t i, j, k, m;

	for (i = 0; i < var->n_workloads; i++) {
		const est_workload_result *w = &var->workloads[i];
		for (j = 0; j < w->n_conversions; j++) {
			int dup = 0;
			for (k = 0; k < b->n_workloads && !dup; k++)
				for (m = 0; m < b->workloads[k].n_conversions && !dup; m++)
					dup = !strcmp(b->workloads[k].name, w->name) &&
					      !strcmp(b->workloads[k].conversions[m], w->conversions[j]);
			if (!dup)
				est_rw_item(&r->w, "variant %s, %s: %s", var->name, w->name, w->conversions[j]);
		}
	}
}

void est_report__sources(rep *r)
{
	size_t k, i, j;

	est_rw_heading(&r->w, 2, "assumptions", "Assumptions and sources");
	for (k = 0; k < r->in->n_items; k++) {
		const est_report_item *it = &r->in->items[k];
		const est_scenario *s = it->scenario;
		const est_result *res = it->result;
		seen_list *seen = calloc(1, sizeof(*seen));

		if (!seen) {
			r->w.rc = est_error_set(r->w.err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
			return;
		}
		est_report__which(r, it);
		est_rw_heading(&r->w, 3, NULL, "Profile records used");
		records_of(r, seen, s);
		for (i = 0; i < s->n_variants; i++)
			records_of(r, seen, s->variants[i]);
		if (r->in->profiles)
			constants_of(r, seen, est_profiles_constants(r->in->profiles));
		est_rw_list_end(&r->w);
		free(seen);
		est_rw_heading(&r->w, 3, NULL, "Conversions and defaults");
		for (i = 0; i < res->variants[0].n_workloads; i++) {
			const est_workload_result *w = &res->variants[0].workloads[i];
			for (j = 0; j < w->n_conversions; j++)
				est_rw_item(&r->w, "%s: %s", w->name, w->conversions[j]);
		}
		for (i = 0; i < res->n_notes; i++)
			est_rw_item(&r->w, "%s", res->notes[i]);
		for (i = 1; i < res->n_variants; i++)
			variant_conversions(r, res, i);
		est_rw_list_end(&r->w);
		est_rw_heading(&r->w, 3, NULL, "Provenance");
		est_rw_item(&r->w, "estimator %s; profile library digest (SHA-256) %s", EST_VERSION_STRING,
			    r->in->profiles_digest ? r->in->profiles_digest : "");
		est_rw_item(&r->w, "scenario %s, SHA-256 %s", it->file, it->file_digest ? it->file_digest : "");
		if (it->conversion)
			est_rw_item(&r->w, "costs converted from %s", it->conversion);
		if (res->samples > 0)
			est_rw_item(&r->w, "sampled: %zu samples, seed %lu, generator %s", res->samples, res->seed,
				    res->generator ? res->generator : "");
		else
			est_rw_item(&r->w, "not sampled: every input is a single value");
		est_rw_list_end(&r->w);
	}
}

