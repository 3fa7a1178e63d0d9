/*
 * Output formats by name and the dispatch from a result to its renderer.
 * Every format is first built as the contract tree, so a non-finite number
 * is refused alike by all of them, before any output exists.
 */
#include <assert.h>
#include <string.h>

#include "estimator/render.h"
#include "render_internal.h"

typedef int (*render_fn)(est_buf *out, const est_result *r,
			 const cJSON *tree, est_error *err);

static const struct renderer {
	const char *name;
	est_format format;
	render_fn fn;
} renderers[] = {
	{"text", EST_FORMAT_TEXT, est_render_text},
	{"json", EST_FORMAT_JSON, est_render_json},
	{"csv", EST_FORMAT_CSV, est_render_csv},
};

#define N_RENDERERS (sizeof(renderers) / sizeof(renderers[0]))

int est_format_parse(est_format *out, const char *name)
{
	size_t i;

	assert(out);
	assert(name);
	for (i = 0; i < N_RENDERERS; i++) {
		if (strcmp(renderers[i].name, name) == 0) {
			*out = renderers[i].format;
			return 0;
		}
	}
	return EST_EUSAGE;
}

int est_render(char **out, size_t *len, const est_result *r, est_format f,
	       est_error *err)
{
	const struct renderer *rd = NULL;
	cJSON *tree = NULL;
	est_buf buf;
	size_t i;
	int rc;

	assert(out);
	assert(r);
	*out = NULL;
	if (len)
		*len = 0;
	est_buf_init(&buf);
	for (i = 0; i < N_RENDERERS; i++)
		if (renderers[i].format == f)
			rd = &renderers[i];
	if (!rd) {
		rc = est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				   "unknown output format %d", (int)f);
		goto cleanup;
	}
	rc = est_render_tree(&tree, r, err);
	if (rc < 0)
		goto cleanup;
	rc = rd->fn(&buf, r, tree, err);
	if (rc < 0)
		goto cleanup;
	*out = est_buf_detach(&buf, len);
	if (!*out) {
		rc = est_error_set(err, EST_EINTERNAL, NULL, 0, 0,
				   "out of memory rendering %s", rd->name);
		goto cleanup;
	}
	rc = 0;
cleanup:
	cJSON_Delete(tree);
	est_buf_dispose(&buf);
	return rc;
}

