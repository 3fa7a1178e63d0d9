/*
 * What-if on a scenario document: the --set overrides applied before
 * loading, and each variant's `set` applied over the base, loaded and undone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overrides.h"
#include "scenario_internal.h"

/* The --set overrides: each value a scalar located at its place on the command line. */
int est_sl__apply_cli_overrides(est_ydoc *doc, const est_load_options *o, est_edit_log *log,
			        est_error *err)
{
	size_t i;

	for (i = 0; o && i < o->n_overrides; i++) {
		const est_override *ov = &o->overrides[i];
		est_ydoc_origin origin;
		size_t bad = 0;
		int value, rc;

		memset(&origin, 0, sizeof(origin));
		snprintf(origin.file, sizeof(origin.file), "%s", ov->origin ? ov->origin : "--set");
		origin.line = ov->line;
		origin.column = ov->column;
		/* libyaml takes UTF-8 only: a value that is not is the user's error, not memory */
		if (est_utf8_check(ov->value, &bad) < 0 || est_utf8_check(ov->path, NULL) < 0)
			return est_error_set(err, EST_EINVALID, origin.file, origin.line,
					     origin.column + (int)bad,
					     "%s is not UTF-8; --set takes UTF-8 text",
					     est_utf8_check(ov->value, NULL) < 0 ? "the value" : "the path");
		value = est_ydoc_add_scalar(doc, ov->value, &origin, 0);
		if (value < 0)
			return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
		rc = est_override_apply(doc, ov->path, value, value, log, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void prefix_error(est_error *err, const char *variant)
{
	/* through est_error_set, so that the variant's name is escaped; a cut message still says where and what */
	if (err)
		est_error_set(err, err->code, err->file, err->line, err->column, "variant '%s': %s", variant,
			      err->message);
}

/* The most variants a scenario may list (docs/limits.md). */
#define MAX_VARIANTS 1000

/* Each variant: its `set` applied over the base document, loaded, undone. */
int est_sl__load_variants(est_ydoc *doc, const est_profiles *p, est_scenario *base, est_error *err)
{
	static const char *const keys[] = {"name", "description", "set", NULL};
	yaml_node_t *list = est_ydoc_get(doc, est_ydoc_root(doc), "variants");
	est_edit_log log;
	size_t n, i, j;
	int rc;

	if (!list)
		return 0;
	memset(&log, 0, sizeof(log));
	rc = est_ydoc_expect_seq(doc, list, "variants", err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	if (n > MAX_VARIANTS) /* each variant is a whole scenario, loaded and sampled */
		return est_ydoc_fail(doc, est_ydoc_seq_at(doc, list, MAX_VARIANTS), err,
				     "too many variants: a scenario lists 0 to %d", MAX_VARIANTS);
	base->variants = calloc(n ? n : 1, sizeof(*base->variants));
	if (!base->variants)
		return est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
	for (i = 0; i < n && rc == 0; i++) {
		/* re-fetch: adding nodes may move the document's node array */
		yaml_node_t *v = est_ydoc_seq_at(doc, est_ydoc_get(doc, est_ydoc_root(doc), "variants"), i);
		int v_index = (int)(v - doc->doc.nodes.start) + 1;
		yaml_node_t *set;
		const char *name = NULL, *description = NULL;
		est_scenario *vs = NULL;
		int n_pairs, k;

		rc = est_ydoc_expect_map(doc, v, "a variant", err);
		if (rc == 0)
			rc = est_ydoc_check_keys(doc, v, keys, "a variant", err);
		if (rc == 0)
			rc = est_ydoc_string(doc, v, "name", 1, &name, err);
		if (rc == 0)
			rc = est_ydoc_string(doc, v, "description", 0, &description, err);
		if (rc < 0)
			break;
		if (!strcmp(name, "base"))
			rc = est_ydoc_fail_key(doc, v, "name", err, "'base' names the scenario itself; pick another variant name");
		for (j = 0; j < base->n_variants && rc == 0; j++)
			if (!strcmp(base->variants[j]->variant, name))
				rc = est_ydoc_fail_key(doc, v, "name", err, "duplicate variant name '%s'", name);
		set = est_ydoc_get(doc, v, "set");
		if (rc == 0 && !set)
			rc = est_ydoc_fail(doc, v, err, "variant '%s' needs 'set': the inputs it changes", name);
		if (rc == 0)
			rc = est_ydoc_expect_map(doc, set, "set", err);
		if (rc < 0)
			break;
		n_pairs = (int)(set->data.mapping.pairs.top - set->data.mapping.pairs.start);
		if (n_pairs == 0) {
			rc = est_ydoc_fail(doc, set, err, "variant '%s' changes nothing", name);
			break;
		}
		{
			char vname[256], vdesc[512];
			int set_index = (int)(set - doc->doc.nodes.start) + 1;
			snprintf(vname, sizeof(vname), "%s", name);
			snprintf(vdesc, sizeof(vdesc), "%s", description ? description : "");
			for (k = 0; k < n_pairs && rc == 0; k++) {
				yaml_node_pair_t pair = est_ydoc_node(doc, set_index)->data.mapping.pairs.start[k];
				const char *path = est_ydoc_text(est_ydoc_node(doc, pair.key));
				char path_copy[256];
				if (!path) {
					rc = est_ydoc_fail(doc, est_ydoc_node(doc, pair.key), err, "a path must be a plain key");
					break;
				}
				snprintf(path_copy, sizeof(path_copy), "%s", path);
				rc = est_override_apply(doc, path_copy, pair.value, pair.key, &log, err);
			}
			if (rc == 0)
				rc = est_sl__load_one(doc, p, base->terse, &vs, err);
			est_override_undo(doc, &log);
			if (rc < 0) {
				prefix_error(err, vname);
				break;
			}
			vs->variant = strdup(vname);
			vs->variant_description = strdup(vdesc);
			base->variants[base->n_variants++] = vs;
			if (!vs->variant || !vs->variant_description)
				rc = est_error_set(err, EST_EINTERNAL, doc->file, 0, 0, "out of memory");
			if (rc == 0 && strcmp(vs->currency, base->currency))
				rc = est_ydoc_fail(doc, est_ydoc_node(doc, v_index), err,
						   "variant '%s' reports costs in %s, the scenario in %s: variants must share the currency",
						   vname, vs->currency, base->currency);
		}
	}
	est_edit_log_dispose(&log);
	return rc;
}
