/*
 * `estimator solve`: goal seeking (docs/what-if.md). Parses one question and
 * its options into an est_solve_question, asks the library, renders the
 * answer; a goal not met or not converged is exit status 1.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_solve_usage[] =
	"usage: estimator solve FILE QUESTION [--tolerance REL] [--max-iterations N]\n"
	"                       [--format text|json|csv] [-o FILE] [--set PATH=VALUE]...\n"
	"                       [--profiles DIR]\n"
	"\n"
	"Goal seeking on the base scenario (variants are not evaluated). QUESTION is one of:\n"
	"  --max demand --within LIMIT [--budget AMOUNT]\n"
	"                    the largest multiple of every workload's demand with which\n"
	"                    LIMIT holds in every year\n"
	"  --max PATH --between LOW:HIGH --within LIMIT [--budget AMOUNT]\n"
	"                    the largest value of one input in [LOW, HIGH] (numbers with\n"
	"                    the same unit, e.g. 1000:20000 or 10%:90%) with which LIMIT\n"
	"                    holds, e.g. --max 'workloads[assistant].users'\n"
	"  --runs-out power|accelerators|storage\n"
	"                    the first year the existing capacity no longer covers what is\n"
	"                    required, with nothing bought\n"
	"  --renewable-share the smallest renewable share meeting the ESG target every\n"
	"                    year (a market-based target)\n"
	"\n"
	"LIMIT is one of:\n"
	"  power             IT peak power within existing.power (no power upgrade)\n"
	"  accelerators      accelerators required within accelerators per server x\n"
	"                    existing.servers (nothing to buy)\n"
	"  storage           storage required within existing.storage\n"
	"  emissions         the ESG target (the scenario needs 'targets')\n"
	"  capex             capex over the horizon within --budget AMOUNT (in the\n"
	"                    scenario's currency, e.g. 2000000 or 2e6EUR)\n"
	"FILE '-' reads the scenario from standard input (named <stdin>).\n"
	"\n"
	"options:\n"
	"  --tolerance REL   relative width of the final bracket (default 1e-06)\n"
	"  --max-iterations N  Brent iterations before giving up (default 100)\n"
	"  --format FORMAT   text (default), json (estimator-solve/1) or csv (key,value,unit)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --set PATH=VALUE  override an input before solving; repeatable\n"
	"  --profiles DIR    the profile library\n"
	"  -h, --help        show this help\n"
	"\n"
	"The answer is the end of the final bracket where the limit holds. Exit status:\n"
	"0 answered (also 'does not run out'), 1 the limit is exceeded even at the low\n"
	"end, never binds, or the search did not converge, 2 usage error, 3 invalid\n"
	"scenario or one without what the question needs, 4 I/O error.\n";

typedef struct solve_args {
	const char *file;
	const char *max;        /* --max: "demand" or a path */
	const char *within;
	const char *between;
	const char *budget;
	const char *runs_out;
	int renewable;
	const char *tolerance;
	const char *max_iterations;
} solve_args;

/* A value option of solve's own: 1 when consumed, 0 when not one, > 1 an exit status. */
/* solve's own options: the question and its limits (cli_option_fn). */
static int own_option(void *ctx, const char *command, int argc, char **argv, int *i)
{
	solve_args *s = ctx;
	const struct {
		const char *name;
		const char **slot;
	} options[] = {
		{"--max", &s->max},
		{"--within", &s->within},
		{"--between", &s->between},
		{"--budget", &s->budget},
		{"--runs-out", &s->runs_out},
		{"--tolerance", &s->tolerance},
		{"--max-iterations", &s->max_iterations},
	};
	size_t k;

	if (!strcmp(argv[*i], "--renewable-share")) {
		if (s->renewable)
			return cli_usage(command, "'--renewable-share' given twice");
		s->renewable = 1;
		return 1;
	}
	for (k = 0; k < sizeof(options) / sizeof(options[0]); k++) {
		if (strcmp(argv[*i], options[k].name))
			continue;
		if (*i + 1 >= argc)
			return cli_usage(command, "option '%s' needs a value", argv[*i]);
		if (*options[k].slot)
			return cli_usage(command, "'%s' given twice", argv[*i]);
		*options[k].slot = argv[++*i];
		return 1;
	}
	return 0;
}

/* The question from the options, or a usage error's exit status. */
static int build_question(est_solve_question *q, const solve_args *s, const cli_common *opt)
{
	est_solve_limit limit = EST_LIMIT_EMISSIONS;
	est_error err;
	int n = (s->max != NULL) + (s->runs_out != NULL) + s->renewable;
	char *end;

	est_error_clear(&err);
	if (n != 1)
		return cli_usage("solve", n ? "ask one question at a time"
					    : "missing QUESTION: --max, --runs-out or --renewable-share");
	if (s->max && !s->within)
		return cli_usage("solve", "--max needs --within power|accelerators|storage|emissions|capex");
	if (!s->max && (s->within || s->between || s->budget))
		return cli_usage("solve", "--within, --between and --budget go with --max");
	if (s->within && est_solve_limit_parse(&limit, s->within) < 0)
		return cli_usage("solve", "unknown limit '%s' (power, accelerators, storage, emissions or capex)",
				 s->within);
	if (s->runs_out && (est_solve_limit_parse(&limit, s->runs_out) < 0 ||
			    (limit != EST_LIMIT_POWER && limit != EST_LIMIT_ACCELERATORS &&
			     limit != EST_LIMIT_STORAGE)))
		return cli_usage("solve", "--runs-out takes power, accelerators or storage; got '%s'",
				 s->runs_out);
	if (s->runs_out && (s->tolerance || s->max_iterations))
		return cli_usage("solve", "--tolerance and --max-iterations go with --max and --renewable-share");
	est_solve_question_init(q, s->runs_out ? EST_SOLVE_RUNS_OUT
				   : s->renewable ? EST_SOLVE_RENEWABLE_SHARE
				   : strcmp(s->max, "demand") ? EST_SOLVE_MAX_INPUT
							      : EST_SOLVE_MAX_DEMAND,
				limit);
	if (q->kind == EST_SOLVE_MAX_DEMAND && s->between)
		return cli_usage("solve", "--between goes with --max PATH, not --max demand");
	if (q->kind == EST_SOLVE_MAX_INPUT) {
		if (!s->between)
			return cli_usage("solve", "--max %s needs --between LOW:HIGH", s->max);
		q->input = s->max;
		if (est_solve_parse_range(q, s->between, &err) < 0)
			return cli_usage("solve", "%s", err.message);
	}
	if (limit == EST_LIMIT_CAPEX && s->max && !s->budget)
		return cli_usage("solve", "--within capex needs --budget AMOUNT");
	if (s->budget && limit != EST_LIMIT_CAPEX)
		return cli_usage("solve", "--budget goes with --within capex");
	if (s->budget && est_solve_parse_budget(q, s->budget, &err) < 0)
		return cli_usage("solve", "%s", err.message);
	if (s->tolerance) {
		errno = 0;
		q->tolerance = strtod(s->tolerance, &end);
		if (errno || end == s->tolerance || *end || !(q->tolerance > 0 && q->tolerance < 1))
			return cli_usage("solve", "--tolerance takes a relative width between 0 and 1, e.g. 1e-4; got '%s'",
					 s->tolerance);
	}
	if (s->max_iterations) {
		long v;
		errno = 0;
		v = strtol(s->max_iterations, &end, 10);
		if (errno || end == s->max_iterations || *end || v < 1 || v > INT_MAX)
			return cli_usage("solve", "--max-iterations takes a whole number of 1 or more; got '%s'",
					 s->max_iterations);
		q->max_iterations = (int)v;
	}
	q->overrides = opt->sets;
	q->n_overrides = opt->n_sets;
	return 0;
}

int cli_cmd_solve(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	solve_args args;
	est_solve_question q;
	est_profiles *profiles = NULL;
	est_solve_answer *answer = NULL;
	est_error err;
	char *text = NULL;
	size_t len = 0, n_files = 0;
	int status = 0, rc;

	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	memset(&args, 0, sizeof(args));
	opt.format = EST_FORMAT_TEXT;
	rc = cli_parse(&opt, "solve", cli_solve_usage, argc, argv, own_option, &args, &args.file, 1,
		       &n_files);
	if (rc != 0)
		return rc == CLI_HELP ? 0 : rc;
	if (!args.file)
		return cli_usage("solve", "missing scenario FILE");
	rc = build_question(&q, &args, &opt);
	if (rc > 1)
		return rc;

	rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc == 0 && !strcmp(args.file, "-")) {
		est_load_options in;

		memset(&in, 0, sizeof(in));
		rc = cli_stdin_options(&in, &err);
		q.data = in.data;
		q.len = in.len;
	}
	if (rc == 0)
		rc = est_solve(&answer, cli_file_name(args.file), profiles, &q, &err);
	if (rc == 0)
		rc = est_solve_render(&text, &len, answer, opt.format, &err);
	if (rc == 0)
		rc = cli_write_output(opt.output, text, len, &err);
	if (rc < 0)
		status = cli_fail(&err);

	free(text);
	est_solve_free(answer);
	est_profiles_free(profiles);
	return status;
}
