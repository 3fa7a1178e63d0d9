/* `estimator compare`: placeholder until the command is written (docs/what-if.md). */
#include "cli.h"

const char cli_compare_usage[] = "usage: estimator compare (not available yet)\n";

int cli_cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage("compare", "'compare' is not available yet");
}
