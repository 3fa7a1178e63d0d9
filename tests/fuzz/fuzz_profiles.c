/*
 * Fuzz target: one profile file. The first byte picks which file of a copy of
 * tests/data/profiles-ext the rest replaces (or, past the last, a measurement
 * file added with est_profiles_extend); the library is loaded and, when it
 * loads, a small scenario is evaluated against it and rendered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "fuzz_common.h"

static const char *const files[] = {
	"sources.yaml",
	"constants.yaml",
	"equivalences.yaml",
	"facility.yaml",
	"storage.yaml",
	"grids/test.yaml",
	"hardware/accelerators.yaml",
	"hardware/servers.yaml",
	"prices/test.yaml",
	"tasks/chat.yaml",
	"tasks/image_generation.yaml",
	"tasks/text_generation.yaml",
	"measurements/big-lm.yaml",
	"measurements/chat.yaml",
};
#define N_FILES (sizeof(files) / sizeof(files[0]))

static char dir[512];
static char *originals[N_FILES];
static size_t original_len[N_FILES];
static est_profiles *base;
static char *scenario;
static size_t scenario_len;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char cmd[1200], path[700];
	est_error err;
	size_t i;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/profiles", fuzz_scratch());
	snprintf(cmd, sizeof(cmd), "cp -r '%s/profiles-ext' '%s'", EST_FUZZ_DATA, dir);
	if (system(cmd) != 0)
		fuzz_fail("cannot copy tests/data/profiles-ext", NULL);
	for (i = 0; i < N_FILES; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		originals[i] = fuzz_slurp(path, &original_len[i]);
	}
	scenario = fuzz_slurp(EST_FUZZ_DATA "/hand-1.yaml", &scenario_len);
	est_error_clear(&err);
	if (est_profiles_load(&base, dir, &err) < 0)
		fuzz_fail("the copy of profiles-ext does not load", &err);
	return 0;
}

static void evaluate(const est_profiles *p)
{
	est_scenario *s = NULL;
	est_result *r = NULL;
	char *text = NULL;
	size_t len = 0;
	est_error err;
	int rc;

	est_error_clear(&err);
	rc = est_scenario_load_buffer(&s, "hand-1.yaml", scenario, scenario_len, p, &err);
	fuzz_check(rc, &err, 1);
	if (rc == 0) {
		est_error_clear(&err);
		rc = est_model_run(&r, s, p, &err);
		fuzz_check(rc, &err, 1);
	}
	if (rc == 0) {
		est_error_clear(&err);
		rc = est_render(&text, &len, r, EST_FORMAT_JSON, &err);
		fuzz_check(rc, &err, 1);
	}
	free(text);
	est_result_free(r);
	est_scenario_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	est_profiles *p = NULL;
	char path[700];
	est_error err;
	size_t which;
	int rc;

	if (size < 1)
		return 0;
	which = data[0] % (N_FILES + 1);
	data++;
	size--;
	est_error_clear(&err);
	if (which == N_FILES) {
		const char *list[1];
		snprintf(path, sizeof(path), "%s/added.yaml", fuzz_scratch());
		fuzz_write_file(path, data, size);
		list[0] = path;
		rc = est_profiles_extend(&p, base, list, 1, &err);
	} else {
		snprintf(path, sizeof(path), "%s/%s", dir, files[which]);
		fuzz_write_file(path, data, size);
		rc = est_profiles_load(&p, dir, &err);
	}
	fuzz_check(rc, &err, 1);
	if (rc == 0 && !p)
		fuzz_fail("a load that succeeds without a library", NULL);
	if (rc == 0)
		evaluate(p);
	est_profiles_free(p);
	if (which < N_FILES)
		fuzz_write_file(path, (const uint8_t *)originals[which], original_len[which]);
	return 0;
}
