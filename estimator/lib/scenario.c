/*
 * Loading a v1 scenario (docs/scenario-format.md): every key checked, every
 * quantity converted to the unit in its field name, every id resolved against
 * the profile library, and every default taken recorded as a note.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "overrides.h"
#include "scenario_internal.h"

static int load_document(est_ydoc *doc, est_scenario **out, const est_profiles *p,
			 const est_load_options *o, est_error *err)
{
	est_edit_log log;
	est_scenario *base = NULL;
	int rc;

	memset(&log, 0, sizeof(log));
	rc = est_sl__apply_cli_overrides(doc, o, &log, err);
	if (rc == 0)
		rc = est_sl__load_one(doc, p, o && o->terse, &base, err);
	if (rc == 0 && !(o && o->base_only))
		rc = est_sl__load_variants(doc, p, base, err);
	est_edit_log_dispose(&log);
	est_ydoc_dispose(doc);
	if (rc < 0) {
		est_scenario_free(base);
		return rc;
	}
	*out = base;
	return 0;
}

int est_scenario_load_with(est_scenario **out, const char *path, const est_profiles *p,
			   const est_load_options *o, est_error *err)
{
	est_ydoc doc;
	int rc;

	assert(out && path && p);
	*out = NULL;
	if (o && o->data)
		rc = est_ydoc_load_buffer(&doc, path, o->data, o->len, err);
	else
		rc = est_ydoc_load_file(&doc, path, err);
	if (rc < 0) {
		est_ydoc_dispose(&doc);
		return rc;
	}
	return load_document(&doc, out, p, o, err);
}

int est_scenario_load_buffer_with(est_scenario **out, const char *name, const char *data,
				  size_t len, const est_profiles *p, const est_load_options *o,
				  est_error *err)
{
	est_ydoc doc;
	int rc;

	assert(out && name && (data || !len) && p);
	*out = NULL;
	rc = est_ydoc_load_buffer(&doc, name, data, len, err);
	if (rc < 0) {
		est_ydoc_dispose(&doc);
		return rc;
	}
	return load_document(&doc, out, p, o, err);
}

int est_scenario_load(est_scenario **out, const char *path, const est_profiles *p,
		      est_error *err)
{
	return est_scenario_load_with(out, path, p, NULL, err);
}

int est_scenario_load_buffer(est_scenario **out, const char *name, const char *data,
			     size_t len, const est_profiles *p, est_error *err)
{
	return est_scenario_load_buffer_with(out, name, data, len, p, NULL, err);
}

void est_scenario_free(est_scenario *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_workloads; i++)
		free(s->workloads[i].name);
	free(s->workloads);
	free(s->cloud_region);
	for (i = 0; i < s->n_notes; i++)
		free(s->notes[i]);
	free(s->notes);
	for (i = 0; i < s->n_uncertain; i++) {
		free(s->uncertain[i].path);
		est_dist_dispose(&s->uncertain[i].dist);
	}
	free(s->uncertain);
	free(s->intensity_path.years);
	free(s->intensity_path.values);
	free(s->residual_path.years);
	free(s->residual_path.values);
	free(s->price_path.years);
	free(s->price_path.values);
	for (i = 0; i < s->n_variants; i++)
		est_scenario_free(s->variants[i]);
	free(s->variants);
	free(s->variant);
	free(s->variant_description);
	free(s->file);
	free(s->name);
	free(s->description);
	est_profiles_free(s->extended);
	free(s);
}
