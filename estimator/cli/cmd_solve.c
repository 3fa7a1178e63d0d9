/* `estimator solve`: placeholder until the command is written (docs/what-if.md). */
#include "cli.h"

const char cli_solve_usage[] = "usage: estimator solve (not available yet)\n";

int cli_cmd_solve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage("solve", "'solve' is not available yet");
}
