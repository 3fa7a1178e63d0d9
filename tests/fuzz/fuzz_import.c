/*
 * Fuzz target: a CSV given to the CodeCarbon importer and to the AI Energy
 * Score importer. An import that succeeds must load back as a measurement
 * file (est_profiles_extend), as `estimator profiles import` promises.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "fuzz_common.h"

static est_profiles *profiles;
static char csv_path[512], out_path[512];

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
	snprintf(csv_path, sizeof(csv_path), "%s/input.csv", fuzz_scratch());
	snprintf(out_path, sizeof(out_path), "%s/imported.yaml", fuzz_scratch());
	return 0;
}

/* The output of a successful import loads back as a measurement file. */
static void load_back(const char *importer, const char *text, size_t len)
{
	const char *list[1] = {out_path};
	est_profiles *p = NULL;
	est_error err;

	if (!text || strlen(text) != len)
		fuzz_fail("an import whose length is not its text's", NULL);
	fuzz_write_file(out_path, (const uint8_t *)text, len);
	est_error_clear(&err);
	if (est_profiles_extend(&p, profiles, list, 1, &err) < 0) {
		fprintf(stderr, "fuzz: %s import wrote:\n%s\n", importer, text);
		fuzz_fail("an import that does not load back", &err);
	}
	est_profiles_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	est_import_codecarbon_opts o;
	char *out = NULL;
	size_t len = 0;
	est_error err;
	int rc;

	fuzz_write_file(csv_path, data, size);

	memset(&o, 0, sizeof(o));
	o.task = "text_generation";
	o.model = "fuzz/model";
	o.inferences = 1000;
	est_error_clear(&err);
	rc = est_import_codecarbon(&out, &len, csv_path, &o, profiles, &err);
	fuzz_check(rc, &err, 1);
	if (rc == EST_EUSAGE) {
		/* gpu_model names no known accelerator: as --hardware h100-sxm */
		o.hardware = "h100-sxm";
		est_error_clear(&err);
		rc = est_import_codecarbon(&out, &len, csv_path, &o, profiles, &err);
		fuzz_check(rc, &err, 1);
	}
	if (rc == 0)
		load_back("codecarbon", out, len);
	free(out);
	out = NULL;

	est_error_clear(&err);
	rc = est_import_ai_energy_score(&out, &len, csv_path, profiles, &err);
	fuzz_check(rc, &err, 1);
	if (rc == 0)
		load_back("ai-energy-score", out, len);
	free(out);
	return 0;
}
