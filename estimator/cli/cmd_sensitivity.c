/*
 * `estimator sensitivity`: which uncertain inputs of a scenario move one
 * headline metric most, by a tornado and by rank correlation over samples.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "estimator/evaluate.h"
#include "estimator/sensitivity.h"

const char cli_sensitivity_usage[] =
	"usage: estimator sensitivity FILE [--metric KEY] [--year YEAR]\n"
	"                             [--samples N] [--seed S] [--threads T]\n"
	"                             [--format text|json] [-o FILE]\n"
	"                             [--set PATH=VALUE]... [--profiles DIR]\n"
	"\n"
	"Rank the uncertain inputs of a scenario (inputs given as distributions, and\n"
	"workloads that name no model) by their effect on one headline metric: a\n"
	"tornado, with each input at its 5th and 95th percentile and the others at\n"
	"their medians, and the rank correlation (Spearman) of each input with the\n"
	"metric over Monte Carlo samples (docs/uncertainty.md). Variants are ignored.\n"
	"FILE '-' reads the scenario from standard input.\n"
	"\n"
	"options:\n"
	"  --metric KEY      the metric (default emissions_kgco2e.location_based): one of\n"
	"                    inferences, energy_kwh.facility,\n"
	"                    emissions_kgco2e.location_based, emissions_kgco2e.market_based,\n"
	"                    emissions_kgco2e.embodied, water_l, cost.capex, cost.opex,\n"
	"                    accelerators.to_buy, servers.to_buy, storage_tb.to_buy,\n"
	"                    power_kw.upgrade\n"
	"  --year YEAR       the metric in one year of the horizon (default: the totals)\n"
	"  --samples N       samples for the rank correlations (default: the scenario's\n"
	"                    uncertainty.samples, else 2000)\n"
	"  --seed S          the random seed, 0 to 4294967295 (default: the scenario's\n"
	"                    uncertainty.seed, else 1)\n"
	"  --threads T       sampling threads, 1 to 64 (default 2); the output does not\n"
	"                    depend on it\n"
	"  --format FORMAT   text (default) or json (estimator-sensitivity/1)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --set PATH=VALUE  override an input first (docs/what-if.md); repeatable\n"
	"  --profiles DIR    the profile library (default: $ESTIMATOR_PROFILES, then\n"
	"                    the installed library, then the source tree's)\n"
	"  -h, --help        show this help\n";

static int parse_year(const char *value, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (end == value || *end || errno || v < 1900 || v > 2300)
		return cli_usage("sensitivity", "--year takes a calendar year, got '%s'", value);
	*out = (int)v;
	return 0;
}

/* sensitivity's own options: --metric M and --year Y (cli_option_fn). */
static int own_option(void *ctx, const char *command, int argc, char **argv, int *i)
{
	est_sensitivity_options *so = ctx;

	if (strcmp(argv[*i], "--metric") && strcmp(argv[*i], "--year"))
		return 0;
	if (*i + 1 >= argc)
		return cli_usage(command, "option '%s' needs a value", argv[*i]);
	if (!strcmp(argv[*i], "--metric"))
		so->metric = argv[++*i];
	else if (parse_year(argv[++*i], &so->year) != 0)
		return -EST_EUSAGE;
	return 1;
}

int cli_cmd_sensitivity(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	est_sensitivity_options so;
	est_eval_options eo;
	est_evaluation ev;
	const char *file = NULL;
	est_profiles *profiles = NULL;
	est_sensitivity *x = NULL;
	est_error err;
	char *text = NULL;
	size_t len = 0, n_files = 0;
	int status = 0, rc;

	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	memset(&so, 0, sizeof(so));
	memset(&ev, 0, sizeof(ev));
	opt.format = EST_FORMAT_TEXT;
	rc = cli_parse(&opt, "sensitivity", cli_sensitivity_usage, argc, argv, own_option, &so, &file,
		       1, &n_files);
	if (rc != 0)
		return rc == CLI_HELP ? 0 : rc;
	if (!file)
		return cli_usage("sensitivity", "missing scenario FILE");
	if (opt.format == EST_FORMAT_CSV)
		return cli_usage("sensitivity", "--format takes text or json here");
	if (so.metric && est_sensitivity_check_metric(so.metric, &err) < 0)
		return cli_fail(&err); /* exit 2, the message names the nearest key or lists them */

	/* the command line, else the scenario's `uncertainty:`, else ours (evaluate.h) */
	memset(&eo, 0, sizeof(eo));
	eo.load = cli_load_options(&opt);
	eo.load.base_only = 1;
	eo.samples = opt.sampling.samples;
	eo.seed_given = opt.seed_given;
	eo.seed = opt.sampling.seed;
	eo.threads = opt.sampling.threads;
	eo.fallback_samples = EST_EVAL_SENSITIVITY_SAMPLES;
	eo.fallback_seed = EST_EVAL_SENSITIVITY_SEED;
	eo.load_only = 1; /* est_sensitivity_run runs the model itself */
	rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc == 0 && !strcmp(file, "-"))
		rc = cli_stdin_options(&eo.load, &err);
	if (rc == 0)
		rc = est_evaluate(&ev, cli_file_name(file), profiles, &eo, &err);
	if (rc == 0) {
		so.sampling = ev.sampling;
		rc = est_sensitivity_run(&x, ev.scenario, profiles, &so, &err);
	}
	if (rc == 0)
		rc = est_sensitivity_render(&text, &len, x, opt.format, &err);
	if (rc == 0)
		rc = cli_write_output(opt.output, text, len, &err);
	if (rc == EST_EUSAGE && !err.file[0])
		status = cli_usage("sensitivity", "%s", err.message); /* a year outside the horizon */
	else if (rc < 0)
		status = cli_fail(&err);

	free(text);
	est_sensitivity_free(x);
	est_evaluation_free(&ev);
	est_profiles_free(profiles);
	return status;
}
