/*
 * `estimator compare`: load and evaluate scenarios, put their headline
 * totals side by side with the differences from the first, write them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_compare_usage[] =
	"usage: estimator compare FILE [FILE...] [--variants] [--format text|json|csv]\n"
	"                         [--currency CUR] [--rate CUR=RATE]...\n"
	"                         [-o FILE] [--set PATH=VALUE]... [--profiles DIR]\n"
	"\n"
	"Put evaluations side by side: with one FILE, its base and each of its\n"
	"variants; with several, each file's base (and with --variants each file's\n"
	"variants too). Each column shows the headline totals over its horizon and\n"
	"the difference from the first column, absolute and in percent. Costs are\n"
	"shown in one currency: --currency, else the first file's; a file costed in\n"
	"another is converted at its --rate, else at its own costs.exchange_rates\n"
	"entry for that currency; the rates used are shown.\n"
	"FILE '-' reads the scenario from standard input (named <stdin>).\n"
	"\n"
	"options:\n"
	"  --variants        with several files, include every file's variants\n"
	"  --currency CUR    the currency of the table (EUR, USD, GBP, ...)\n"
	"  --rate CUR=RATE   1 CUR = RATE of the table's currency, e.g. --rate USD=0.9626;\n"
	"                    repeatable\n"
	"  --format FORMAT   text (default), json (estimator-compare/1) or csv (tidy)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --set PATH=VALUE  override an input of every file, e.g. --set site.grid=NOR;\n"
	"                    repeatable (docs/what-if.md)\n"
	"  --profiles DIR    the profile library (default: $ESTIMATOR_PROFILES, then\n"
	"                    the installed library, then the source tree's)\n"
	"  -h, --help        show this help\n";

#define MAX_RATES CLI_MAX_RATES

typedef struct compare_opts {
	int variants;
	const char *currency;
	est_rate rates[MAX_RATES];
	size_t n_rates;
} compare_opts;

/* compare's own options: --variants, --currency CUR, --rate CUR=RATE. */
static int compare_option(void *ctx, const char *command, int argc, char **argv, int *i)
{
	compare_opts *o = ctx;

	if (!strcmp(argv[*i], "--variants")) {
		o->variants = 1;
		return 1;
	}
	if (strcmp(argv[*i], "--currency") && strcmp(argv[*i], "--rate"))
		return 0;
	if (*i + 1 >= argc)
		return cli_usage(command, "%s needs a value", argv[*i]);
	*i += 1;
	return cli_currency_option(command, argv[*i - 1], argv[*i], &o->currency, o->rates,
				   &o->n_rates, MAX_RATES);
}

int cli_cmd_compare(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	est_load_options load, load_stdin;
	est_compare_input *inputs = NULL;
	est_profiles *profiles = NULL;
	est_compare *table = NULL;
	est_error err;
	char *text = NULL;
	size_t n_inputs = 0, len = 0;
	const char **files;
	static compare_opts co;
	int i, from_stdin = 0, status = 0, rc;

	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	memset(&co, 0, sizeof(co));
	opt.format = EST_FORMAT_TEXT;
	inputs = calloc((size_t)argc, sizeof(*inputs));
	if (!inputs)
		return cli_usage("compare", "out of memory");
	files = calloc((size_t)argc, sizeof(*files));
	if (!files) {
		free(inputs);
		return cli_usage("compare", "out of memory");
	}
	rc = cli_parse(&opt, "compare", cli_compare_usage, argc, argv, compare_option, &co,
		       files, (size_t)argc, &n_inputs);
	for (i = 0; (size_t)i < n_inputs; i++) {
		inputs[i].file = cli_file_name(files[i]);
		/* every "-" is the one document standard input holds */
		inputs[i].load = strcmp(files[i], "-") ? &load : &load_stdin;
		if (!strcmp(files[i], "-"))
			from_stdin = 1;
	}
	free(files);
	if (rc != 0) {
		free(inputs);
		return rc == CLI_HELP ? 0 : rc;
	}
	if (n_inputs == 0) {
		free(inputs);
		return cli_usage("compare", "missing scenario FILE");
	}

	load = cli_load_options(&opt);
	load_stdin = load;
	rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc == 0 && from_stdin)
		rc = cli_stdin_options(&load_stdin, &err);
	if (rc == 0)
		rc = est_compare_run_in(&table, inputs, n_inputs, n_inputs == 1 || co.variants,
					co.currency, co.rates, co.n_rates, profiles, &err);
	if (rc == 0)
		rc = est_compare_render(&text, &len, table, opt.format, &err);
	if (rc == 0)
		rc = cli_write_output(opt.output, text, len, &err);
	if (rc < 0)
		status = cli_fail(&err);

	free(text);
	est_compare_free(table);
	est_profiles_free(profiles);
	free(inputs);
	return status;
}
