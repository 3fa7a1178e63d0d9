/*
 * Fuzz target: a scenario YAML, loaded against the shipped profile library,
 * evaluated (medians and a few Monte Carlo samples) and rendered in every
 * format and as the procurement report (HTML and Markdown); the same bytes validated from a file must give the same status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "fuzz_common.h"

static est_profiles *profiles;
static char path[512];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	est_error err;

	(void)argc;
	(void)argv;
	est_error_clear(&err);
	if (est_profiles_load(&profiles, EST_FUZZ_PROFILES, &err) < 0)
		fuzz_fail("cannot load the profile library " EST_FUZZ_PROFILES, &err);
	snprintf(path, sizeof(path), "%s/scenario.yaml", fuzz_scratch());
	return 0;
}

/* The procurement report of s and r, in both forms. */
static void report_all(const est_scenario *s, const est_result *r)
{
	est_report_item it;
	est_report_input in;
	int html;

	memset(&it, 0, sizeof(it));
	it.scenario = s;
	it.result = r;
	it.file = path;
	memset(&in, 0, sizeof(in));
	in.items = &it;
	in.n_items = 1;
	in.profiles = profiles;
	for (html = 0; html <= 1; html++) {
		char *text = NULL;
		size_t len = 0;
		est_error err;
		int rc;

		est_error_clear(&err);
		rc = est_report_render(&text, &len, &in, html ? EST_REPORT_HTML : EST_REPORT_MARKDOWN, &err);
		fuzz_check(rc, &err, 1);
		if (rc == 0 && (!text || strlen(text) != len))
			fuzz_fail("a report whose length is not its text's", NULL);
		free(text);
	}
}

static void render_all(const est_result *r)
{
	static const est_format formats[] = {EST_FORMAT_TEXT, EST_FORMAT_JSON, EST_FORMAT_CSV};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *text = NULL;
		size_t len = 0;
		est_error err;
		int rc;

		est_error_clear(&err);
		rc = est_render(&text, &len, r, formats[i], &err);
		fuzz_check(rc, &err, 1);
		if (rc == 0 && (!text || strlen(text) != len))
			fuzz_fail("a rendering whose length is not its text's", NULL);
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	est_scenario *s = NULL, *again = NULL;
	est_result *r = NULL;
	est_sample_options o = {3, 7, 1};
	est_error err, err2;
	int rc, rc2;

	est_error_clear(&err);
	rc = est_scenario_load_buffer(&s, path, (const char *)data, size, profiles, &err);
	fuzz_check(rc, &err, 1);
	if (rc == 0 && !s)
		fuzz_fail("a load that succeeds without a scenario", NULL);

	/* `estimator validate` reads the file: same verdict as the buffer */
	fuzz_write_file(path, data, size);
	est_error_clear(&err2);
	rc2 = est_scenario_load_with(&again, path, profiles, NULL, &err2);
	fuzz_check(rc2, &err2, 1);
	if (rc2 != rc) {
		fprintf(stderr, "fuzz: buffer load %d '%s', file load %d '%s'\n", rc, err.message,
			rc2, err2.message);
		fuzz_fail("loading from a file and from memory disagree", NULL);
	}
	est_scenario_free(again);

	if (rc == 0) {
		est_error_clear(&err);
		rc = est_model_run(&r, s, profiles, &err);
		fuzz_check(rc, &err, 1);
	}
	if (rc == 0) {
		render_all(r);
		report_all(s, r);
		est_error_clear(&err);
		rc = est_model_sample(r, s, profiles, &o, &err);
		fuzz_check(rc, &err, 1);
		if (rc == 0) {
			render_all(r);
			report_all(s, r);
		}
	}
	est_result_free(r);
	est_scenario_free(s);
	return 0;
}
