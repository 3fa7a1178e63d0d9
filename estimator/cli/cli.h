/*
 * The command line's shared pieces: the command table entry, option helpers,
 * error reporting and output. Only the CLI prints or exits.
 */
#ifndef ESTIMATOR_CLI_H
#define ESTIMATOR_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "estimator/estimator.h"

#define CLI_MAX_SETS 64

/* Options every evaluating command shares. */
typedef struct cli_common {
	const char *profiles_dir;  /* --profiles */
	const char *output;        /* -o */
	est_format format;         /* --format */
	est_override sets[CLI_MAX_SETS]; /* --set PATH=VALUE, in order */
	char set_paths[CLI_MAX_SETS][256];
	size_t n_sets;
	est_sample_options sampling;     /* --samples (0: none), --seed, --threads */
	int seed_given;                  /* --seed was given (it wins over the scenario's) */
} cli_common;

/*
 * A command's own options: consume argv[*i] (advancing *i past a value) and
 * return 1, return 0 when it is not one, or an exit status (> 1) after a
 * usage error.
 */
typedef int (*cli_option_fn)(void *ctx, const char *command, int argc, char **argv, int *i);

#define CLI_HELP 1 /* cli_parse printed the usage: the command exits 0 */

/*
 * The argument loop every command shares: shared options into c, the
 * command's own through fn (may be NULL), -h/--help (prints usage, returns
 * CLI_HELP), an unknown option (a usage error), and the other arguments into
 * files (at most max_files: one more is "COMMAND takes one scenario file").
 * Returns 0, CLI_HELP, or an exit status (> 1).
 */
int cli_parse(cli_common *c, const char *command, const char *usage, int argc, char **argv,
	      cli_option_fn fn, void *ctx, const char **files, size_t max_files, size_t *n_files);

/*
 * --currency CUR or --rate CUR=RATE (flag, value) of compare and batch:
 * *currency set, or a rate added (at most max). Returns 1, or a usage
 * error's exit status.
 */
#define CLI_MAX_RATES 16
int cli_currency_option(const char *command, const char *flag, const char *value,
			const char **currency, est_rate *rates, size_t *n_rates, size_t max);

/* The load options carrying c's --set overrides. */
est_load_options cli_load_options(const cli_common *c);

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;         /* the full --help text */
} cli_command;

/* Print "estimator: FILE:LINE:COL: message" and return the exit status. */
int cli_fail(const est_error *err);
/* A usage error: print the message and a hint, return 2. */
int cli_usage(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/*
 * Parse a shared option at argv[*i] into c. Returns 1 when consumed (and
 * advances *i past a value), 0 when not a shared option, or an exit status
 * (> 1) after printing a usage error.
 */
int cli_common_option(cli_common *c, const char *command, int argc, char **argv, int *i);

/* Load the profile library: --profiles, $ESTIMATOR_PROFILES, install, build tree. */
int cli_load_profiles(est_profiles **out, const char *flag_dir, est_error *err);

/*
 * Write text to stdout (path NULL or "-") or to path. A regular file (or a
 * symbolic link's target) is written whole or not at all (a temporary file
 * beside it, renamed over it) and keeps its mode (and for root its owner);
 * a new file gets 0666 less the umask. A FIFO or a device is written as it
 * is. A write error (ENOSPC on /dev/full) is EST_EIO with the OS's reason.
 */
int cli_write_output(const char *path, const char *text, size_t len, est_error *err);

/* A usage error (returns 2) when an option's value is not UTF-8, naming the byte; else 0. */
int cli_check_utf8(const char *command, const char *option, const char *value);

/* Standard input as a scenario: FILE "-", named CLI_STDIN_NAME in errors and outputs. */
#define CLI_STDIN_NAME "<stdin>"
/*
 * The scenario loader's size limit (EST_YDOC_MAX_BYTES, internal to the
 * library), applied to standard input while reading it.
 */
#define CLI_STDIN_MAX (16 << 20)

/*
 * Standard input, read once per process (every "-" of a command is the same
 * document), as o->data and o->len; the other fields of o are left as they
 * are. An error reading it is EST_EIO, more than CLI_STDIN_MAX bytes
 * EST_EINVALID, both named CLI_STDIN_NAME.
 */
int cli_stdin_options(est_load_options *o, est_error *err);
/* est_scenario_load_with, or standard input (cli_stdin_options) when file is "-". */
int cli_load_scenario(est_scenario **out, const char *file, const est_profiles *p,
		      const est_load_options *o, est_error *err);
/* The name a file is shown by: CLI_STDIN_NAME for "-". */
const char *cli_file_name(const char *file);

int cli_cmd_run(int argc, char **argv);
int cli_cmd_validate(int argc, char **argv);
/* cmd_profiles.c: `profiles list|show`, dispatching `profiles import` to cmd_import.c */
int cli_cmd_profiles(int argc, char **argv);
/* cmd_import.c: argv[0] is "import" */
int cli_cmd_import(int argc, char **argv);

/* What-if commands (docs/what-if.md), each in cmd_<name>.c */
int cli_cmd_compare(int argc, char **argv);
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_solve(int argc, char **argv);
/* cmd_sensitivity.c: which uncertain inputs matter (docs/uncertainty.md) */
int cli_cmd_sensitivity(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);
extern const char cli_compare_usage[];
extern const char cli_sweep_usage[];
extern const char cli_solve_usage[];
extern const char cli_sensitivity_usage[];
extern const char cli_report_usage[];

/* cmd_batch.c: many scenarios, one result set (docs/batch.md); `batch merge` */
int cli_cmd_batch(int argc, char **argv);
extern const char cli_batch_usage[];
/* cmd_batch_merge.c: argv[0] is "merge" */
int cli_batch_merge(int argc, char **argv);

/*
 * A file written as it goes and kept whole or not at all: cli_whole_open
 * creates a temporary file beside target (f writes to it), cli_whole_commit
 * flushes, syncs, gives it 0666 less the umask and renames it over target,
 * cli_whole_abort removes it (a no-op after commit or on a zeroed value).
 * Errors are EST_EIO naming target.
 */
typedef struct cli_whole_file {
	char *target;
	char *tmp;
	FILE *f;
	char *buf;      /* f's buffer (large: a batch writes megabytes), or NULL */
} cli_whole_file;
int cli_whole_open(cli_whole_file *w, const char *target, est_error *err);
int cli_whole_commit(cli_whole_file *w, est_error *err);
void cli_whole_abort(cli_whole_file *w);

extern const char cli_run_usage[];
extern const char cli_validate_usage[];
extern const char cli_profiles_usage[];
extern const char cli_import_usage[];

#endif
