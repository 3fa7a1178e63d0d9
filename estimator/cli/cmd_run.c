/*
 * `estimator run` and `estimator validate`: load the profiles and the
 * scenario, evaluate, render, write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "estimator/evaluate.h"

const char cli_run_usage[] =
	"usage: estimator run FILE [--format text|json|csv] [-o FILE] [--set PATH=VALUE]...\n"
	"                          [--samples N [--seed S] [--threads T]] [--profiles DIR]\n"
	"\n"
	"Evaluate one scenario and its variants and print, year by year, the compute,\n"
	"storage and power it needs, what to buy when, energy, emissions, water, cost\n"
	"and equivalences, and each variant against the base. FILE '-' reads the\n"
	"scenario from standard input (named <stdin> in messages and outputs).\n"
	"\n"
	"options:\n"
	"  --format FORMAT   text (default), json (estimator-result/1) or csv (tidy)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --set PATH=VALUE  override an input, e.g. --set site.grid=NOR or\n"
	"                    --set 'workloads[chat].growth=60%'; repeatable; applies to\n"
	"                    the base and every variant (docs/what-if.md)\n"
	"  --samples N       Monte Carlo over the uncertain inputs: p5, median, p95 and\n"
	"                    mean of every headline metric (default: the scenario's\n"
	"                    uncertainty.samples; none: the medians only)\n"
	"  --seed S          the random seed, 0 to 4294967295 (default: the scenario's\n"
	"                    uncertainty.seed, else 0); same seed, same bytes\n"
	"  --threads T       sampling threads, 1 to 64 (default 2); the output is the\n"
	"                    same for any number\n"
	"  --profiles DIR    the profile library (default: $ESTIMATOR_PROFILES, then\n"
	"                    the installed library, then the source tree's)\n"
	"  -h, --help        show this help\n";

const char cli_validate_usage[] =
	"usage: estimator validate FILE... [--set PATH=VALUE]... [--profiles DIR]\n"
	"\n"
	"Check scenarios (and their variants, with any --set applied) without\n"
	"evaluating them. Prints 'FILE: ok' for each valid\n"
	"file and a located error for each invalid one. The exit status is the\n"
	"highest of the files' (3 for an invalid scenario, 4 for an unreadable file).\n"
	"FILE '-' is standard input, named <stdin> in messages.\n";

int cli_cmd_run(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	est_eval_options eo;
	est_evaluation ev;
	const char *file = NULL;
	est_profiles *profiles = NULL;
	est_error err;
	char *text = NULL;
	size_t len = 0, n_files = 0;
	int status = 0, rc;

	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	memset(&ev, 0, sizeof(ev));
	opt.format = EST_FORMAT_TEXT;
	rc = cli_parse(&opt, "run", cli_run_usage, argc, argv, NULL, NULL, &file, 1, &n_files);
	if (rc != 0)
		return rc == CLI_HELP ? 0 : rc;
	if (!file)
		return cli_usage("run", "missing scenario FILE");

	/* the scenario's `uncertainty:` where the command line gives none (evaluate.h) */
	eo = est_eval_options_run();
	eo.load = cli_load_options(&opt);
	eo.samples = opt.sampling.samples;
	eo.seed_given = opt.seed_given;
	eo.seed = opt.sampling.seed;
	eo.threads = opt.sampling.threads;
	rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc == 0 && !strcmp(file, "-"))
		rc = cli_stdin_options(&eo.load, &err);
	if (rc == 0)
		rc = est_evaluate(&ev, cli_file_name(file), profiles, &eo, &err);
	if (rc == 0)
		rc = est_render(&text, &len, ev.result, opt.format, &err);
	if (rc == 0)
		rc = cli_write_output(opt.output, text, len, &err);
	if (rc < 0)
		status = cli_fail(&err);

	free(text);
	est_evaluation_free(&ev);
	est_profiles_free(profiles);
	return status;
}

int cli_cmd_validate(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	est_load_options load;
	est_profiles *profiles = NULL;
	est_error err;
	size_t i, n_files = 0;
	int status = 0, rc;
	const char **files = calloc((size_t)argc, sizeof(*files));

	if (!files)
		return cli_usage("validate", "out of memory");
	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	rc = cli_parse(&opt, "validate", cli_validate_usage, argc, argv, NULL, NULL, files,
		       (size_t)argc, &n_files);
	if (rc != 0) {
		free(files);
		return rc == CLI_HELP ? 0 : rc;
	}
	if (!n_files) {
		free(files);
		return cli_usage("validate", "missing scenario FILE");
	}
	if (opt.output || opt.format != EST_FORMAT_TEXT) {
		free(files);
		return cli_usage("validate", "validate takes no --format or -o; it prints one line per file");
	}
	load = cli_load_options(&opt);
	rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc < 0) {
		free(files);
		return cli_fail(&err);
	}
	for (i = 0; i < n_files; i++) {
		est_scenario *s = NULL;
		est_error_clear(&err);
		rc = cli_load_scenario(&s, files[i], profiles, &load, &err);
		if (rc < 0) {
			int st = cli_fail(&err);
			if (st > status)
				status = st;
		} else {
			char name[4 * EST_ERROR_FILE_MAX];
			est_error_escape(name, sizeof(name), cli_file_name(files[i]));
			printf("%s: ok\n", name);
		}
		est_scenario_free(s);
	}
	est_profiles_free(profiles);
	free(files);
	return status;
}
