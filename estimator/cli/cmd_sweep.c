/*
 * `estimator sweep`: parse the --vary inputs, evaluate the scenario at every
 * point of their range or grid, write one row per point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_sweep_usage[] =
	"usage: estimator sweep FILE --vary PATH=FROM:TO:STEPS\n"
	"                       [--vary PATH=FROM:TO:STEPS] [--variant NAME]\n"
	"                       [--format text|json|csv] [-o FILE]\n"
	"                       [--set PATH=VALUE]... [--profiles DIR]\n"
	"\n"
	"Evaluate one scenario at STEPS evenly spaced values of an input, from FROM\n"
	"to TO inclusive, and print the headline totals of each point. With two\n"
	"--vary options, every combination (STEPS1 x STEPS2 points, the first\n"
	"varying slowest). FROM and TO carry the same unit, e.g.\n"
	"--vary site.pue=1.1:1.6:6, --vary 'workloads[chat].growth=10%:60%:6' or\n"
	"--vary 'workloads[0].demand=1000/day:5000/day:5'; at most 1000 points.\n"
	"FILE '-' reads the scenario from standard input (named <stdin>).\n"
	"\n"
	"options:\n"
	"  --vary PATH=FROM:TO:STEPS  the input to vary (docs/what-if.md); once or twice\n"
	"  --variant NAME    sweep this variant of the scenario instead of its base\n"
	"  --format FORMAT   text (default), json (estimator-sweep/1) or csv (tidy)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --set PATH=VALUE  override an input at every point (applied before --vary);\n"
	"                    repeatable\n"
	"  --profiles DIR    the profile library (default: $ESTIMATOR_PROFILES, then\n"
	"                    the installed library, then the source tree's)\n"
	"  -h, --help        show this help\n";

typedef struct sweep_args {
	est_sweep_options *so;
	est_vary *vary;
} sweep_args;

/* sweep's own options: --vary PATH=FROM:TO:STEPS (repeatable) and --variant NAME. */
static int sweep_option(void *ctx, const char *command, int argc, char **argv, int *i)
{
	sweep_args *a = ctx;
	est_error err;

	if (strcmp(argv[*i], "--vary") && strcmp(argv[*i], "--variant"))
		return 0;
	if (*i + 1 >= argc)
		return cli_usage(command, "option '%s' needs a value", argv[*i]);
	if (cli_check_utf8(command, argv[*i], argv[*i + 1]))
		return -EST_EUSAGE; /* before est_vary_parse quotes it */
	if (!strcmp(argv[*i], "--variant")) {
		a->so->variant = argv[++*i];
		return 1;
	}
	if (a->so->n_vary == EST_SWEEP_MAX_VARY)
		return cli_usage(command, "at most %d --vary options", EST_SWEEP_MAX_VARY);
	est_error_clear(&err);
	if (est_vary_parse(&a->vary[a->so->n_vary], argv[*i + 1], (int)a->so->n_vary + 1, &err) < 0)
		return cli_usage(command, "%s", err.message);
	a->so->n_vary++;
	++*i;
	return 1;
}

int cli_cmd_sweep(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	est_vary vary[EST_SWEEP_MAX_VARY];
	est_sweep_options so;
	est_load_options load;
	const char *file = NULL;
	est_profiles *profiles = NULL;
	est_sweep *sweep = NULL;
	est_error err;
	char *text = NULL;
	size_t len = 0, n_files = 0;
	sweep_args args;
	int status = 0, rc;

	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	memset(&so, 0, sizeof(so));
	opt.format = EST_FORMAT_TEXT;
	args.so = &so;
	args.vary = vary;
	rc = cli_parse(&opt, "sweep", cli_sweep_usage, argc, argv, sweep_option, &args, &file, 1,
		       &n_files);
	if (rc != 0)
		return rc == CLI_HELP ? 0 : rc;
	if (!file)
		return cli_usage("sweep", "missing scenario FILE");
	if (so.n_vary == 0)
		return cli_usage("sweep", "missing --vary PATH=FROM:TO:STEPS");

	load = cli_load_options(&opt);
	so.vary = vary;
	so.load = &load;
	rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc == 0 && !strcmp(file, "-"))
		rc = cli_stdin_options(&load, &err);
	if (rc == 0)
		rc = est_sweep_run(&sweep, cli_file_name(file), &so, profiles, &err);
	if (rc == 0)
		rc = est_sweep_render(&text, &len, sweep, opt.format, &err);
	if (rc == 0)
		rc = cli_write_output(opt.output, text, len, &err);
	if (rc == EST_EUSAGE && !err.file[0])
		status = cli_usage("sweep", "%s", err.message); /* a bad grid */
	else if (rc < 0)
		status = cli_fail(&err);

	free(text);
	est_sweep_free(sweep);
	est_profiles_free(profiles);
	return status;
}
