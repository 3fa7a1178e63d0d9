/* `estimator sweep`: placeholder until the command is written (docs/what-if.md). */
#include "cli.h"

const char cli_sweep_usage[] = "usage: estimator sweep (not available yet)\n";

int cli_cmd_sweep(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage("sweep", "'sweep' is not available yet");
}
