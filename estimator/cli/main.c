/*
 * estimator's entry point: a table of commands over the library. Each command
 * parses its options, calls the library and maps the status to an exit code.
 */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

static const char main_usage[] =
	"usage: estimator COMMAND [ARGS]\n"
	"\n"
	"Project the compute, storage and power an AI workload needs, year by year,\n"
	"and its energy, emissions, water and cost, from measured per-task energy\n"
	"profiles and a YAML scenario.\n"
	"\n"
	"commands:\n";

static const cli_command commands[] = {
	{"run", cli_cmd_run, "evaluate one scenario", cli_run_usage},
	{"compare", cli_cmd_compare, "scenarios or variants side by side", cli_compare_usage},
	{"sweep", cli_cmd_sweep, "one or two inputs varied across a range", cli_sweep_usage},
	{"solve", cli_cmd_solve, "goal seeking: the largest demand within a limit, and more", cli_solve_usage},
	{"sensitivity", cli_cmd_sensitivity, "which uncertain inputs move a metric most", cli_sensitivity_usage},
	{"batch", cli_cmd_batch, "many scenarios into one result set, in shards for a cluster", cli_batch_usage},
	{"report", cli_cmd_report, "the procurement report: HTML with charts, Markdown, PDF", cli_report_usage},
	{"validate", cli_cmd_validate, "check scenarios without evaluating", cli_validate_usage},
	{"profiles", cli_cmd_profiles, "browse the profile library, import measurements", cli_profiles_usage},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(void)
{
	size_t i;

	fputs(main_usage, stdout);
	for (i = 0; i < N_COMMANDS; i++)
		printf("  %-11s %s\n", commands[i].name, commands[i].summary);
	fputs("\noptions:\n"
	      "  -h, --help     show this help; 'estimator COMMAND --help' for a command\n"
	      "  --version      show the version\n"
	      "\nexit status: 0 done, 1 goal not met (solve), 2 usage error, 3 invalid\n"
	      "input, 4 I/O error, 5 internal error, 6 some scenarios failed (batch).\n"
	      "See estimator(1).\n",
	      stdout);
}

int main(int argc, char **argv)
{
	size_t i;

	gsl_set_error_handler_off();
	if (argc < 2)
		return cli_usage(NULL, "missing COMMAND");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		print_help();
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("estimator %s\n", EST_VERSION_STRING);
		return 0;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return cli_usage(NULL, "unknown command '%s'", argv[1]);
}
