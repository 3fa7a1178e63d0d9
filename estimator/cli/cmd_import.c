/*
 * `estimator profiles import FORMAT FILE`: parse the options, load the
 * profile library, let the library turn the file into a measurement file and
 * write it whole or not at all.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define COMMAND "profiles import"

const char cli_import_usage[] =
	"usage: estimator profiles import codecarbon FILE --task ID --model NAME --inferences N\n"
	"                [--hardware ID] [--kind KIND] [--id ID] [-o FILE] [--profiles DIR]\n"
	"       estimator profiles import ai-energy-score FILE [-o FILE] [--profiles DIR]\n"
	"\n"
	"Write a measurement file (docs/profiles.md, \"Measurement files\") from measured\n"
	"energy; a scenario loads it with 'measurements:'.\n"
	"\n"
	"formats:\n"
	"  codecarbon        a CodeCarbon emissions.csv: one record, the energy and time\n"
	"                    of all its rows divided by the inferences they performed\n"
	"  ai-energy-score   AI Energy Score results (data/energy/<task>.csv): one\n"
	"                    record per task and model, the mean of its rows\n"
	"\n"
	"options:\n"
	"  --task ID         the task the runs performed (an id from profiles/tasks/)\n"
	"  --model NAME      the model, e.g. a Hugging Face id\n"
	"  --inferences N    inferences the file's runs performed, all rows together\n"
	"  --hardware ID     the accelerator id (default: the one gpu_model names)\n"
	"  --kind KIND       task-specific (default), multi-purpose or reference\n"
	"  --id ID           the record id (default: codecarbon-<run>/<task>/<model>)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --profiles DIR    the profile library (default: as for 'estimator run')\n"
	"  -h, --help        show this help\n"
	"\n"
	"--task, --model, --inferences, --hardware, --kind and --id are for codecarbon.\n";

typedef struct import_opts {
	const char *format;
	const char *file;
	const char *output;
	const char *profiles_dir;
	const char *inferences;
	const char *kind;
	est_import_codecarbon_opts cc;
	const char *codecarbon_only;  /* the first codecarbon option given, for errors */
} import_opts;

typedef int (*import_fn)(char **out, size_t *len, const import_opts *o,
			 const est_profiles *p, est_error *err);

static int run_codecarbon(char **out, size_t *len, const import_opts *o,
			  const est_profiles *p, est_error *err)
{
	return est_import_codecarbon(out, len, o->file, &o->cc, p, err);
}

static int run_aes(char **out, size_t *len, const import_opts *o, const est_profiles *p,
		   est_error *err)
{
	return est_import_ai_energy_score(out, len, o->file, p, err);
}

static const struct import_format {
	const char *name;
	import_fn run;
	int codecarbon_options;  /* takes --task, --model ... */
} formats[] = {
	{"codecarbon", run_codecarbon, 1},
	{"ai-energy-score", run_aes, 0},
};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

/* The option at argv[*i] with its value; 1 when consumed, 0 when unknown, or an exit status. */
static int option(import_opts *o, int argc, char **argv, int *i)
{
	static const char *const names[] = {"-o", "--output", "--profiles", "--task", "--model",
					    "--inferences", "--hardware", "--kind", "--id"};
	const char *arg = argv[*i], *value;
	size_t n;

	for (n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		if (!strcmp(arg, names[n]))
			break;
	if (n == sizeof(names) / sizeof(names[0]))
		return 0;
	if (*i + 1 >= argc)
		return cli_usage(COMMAND, "option '%s' needs a value", arg);
	value = argv[++*i];
	if (n >= 3 && cli_check_utf8(COMMAND, arg, value)) /* not a path: UTF-8 text */
		return -EST_EUSAGE;
	if (n >= 3 && !o->codecarbon_only)
		o->codecarbon_only = arg;
	switch (n) {
	case 0:
	case 1:
		o->output = value;
		break;
	case 2:
		o->profiles_dir = value;
		break;
	case 3:
		o->cc.task = value;
		break;
	case 4:
		o->cc.model = value;
		break;
	case 5:
		o->inferences = value;
		break;
	case 6:
		o->cc.hardware = value;
		break;
	case 7:
		o->kind = value;
		break;
	default:
		o->cc.id = value;
		break;
	}
	return 1;
}

static int parse_args(import_opts *o, int argc, char **argv, const struct import_format **fmt)
{
	size_t f;
	int i, rc;

	for (i = 1; i < argc; i++) {
		rc = option(o, argc, argv, &i);
		if (rc > 1)
			return rc;
		if (rc == 1)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(COMMAND, "unknown option '%s'", argv[i]);
		if (!o->format)
			o->format = argv[i];
		else if (!o->file)
			o->file = argv[i];
		else
			return cli_usage(COMMAND, "import takes one FILE");
	}
	if (!o->format)
		return cli_usage(COMMAND, "missing FORMAT (codecarbon or ai-energy-score)");
	for (f = 0; f < N_FORMATS && strcmp(o->format, formats[f].name); f++)
		;
	if (f == N_FORMATS)
		return cli_usage(COMMAND, "unknown format '%s' (codecarbon or ai-energy-score)",
				 o->format);
	*fmt = &formats[f];
	if (!o->file)
		return cli_usage(COMMAND, "missing FILE");
	if (!(*fmt)->codecarbon_options && o->codecarbon_only)
		return cli_usage(COMMAND, "option '%s' is for codecarbon only", o->codecarbon_only);
	return 0;
}

/* --task, --model, --inferences and --kind for codecarbon. */
static int codecarbon_options(import_opts *o)
{
	char *end;

	if (!o->cc.task)
		return cli_usage(COMMAND, "codecarbon needs --task ID");
	if (!o->cc.model)
		return cli_usage(COMMAND, "codecarbon needs --model NAME");
	if (!o->inferences)
		return cli_usage(COMMAND, "codecarbon needs --inferences N");
	o->cc.inferences = strtod(o->inferences, &end);
	if (end == o->inferences || *end || !isfinite(o->cc.inferences) || o->cc.inferences < 1 ||
	    o->cc.inferences > 1e12 || o->cc.inferences != floor(o->cc.inferences))
		return cli_usage(COMMAND, "--inferences must be a whole number from 1 to 1e12, got '%s'",
				 o->inferences);
	if (!o->kind || !strcmp(o->kind, "task-specific"))
		o->cc.kind = EST_MODEL_TASK_SPECIFIC;
	else if (!strcmp(o->kind, "multi-purpose"))
		o->cc.kind = EST_MODEL_MULTI_PURPOSE;
	else if (!strcmp(o->kind, "reference"))
		o->cc.kind = EST_MODEL_REFERENCE;
	else
		return cli_usage(COMMAND,
				 "--kind must be task-specific, multi-purpose or reference, got '%s'",
				 o->kind);
	return 0;
}

int cli_cmd_import(int argc, char **argv)
{
	const struct import_format *fmt = NULL;
	import_opts o;
	est_profiles *profiles = NULL;
	est_error err;
	char *text = NULL;
	size_t len = 0;
	int i, rc, status = 0;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(cli_import_usage, stdout);
			return 0;
		}
	memset(&o, 0, sizeof(o));
	est_error_clear(&err);
	rc = parse_args(&o, argc, argv, &fmt);
	if (rc == 0 && fmt->codecarbon_options)
		rc = codecarbon_options(&o);
	if (rc != 0)
		return rc;
	rc = cli_load_profiles(&profiles, o.profiles_dir, &err);
	if (rc == 0)
		rc = fmt->run(&text, &len, &o, profiles, &err);
	if (rc == 0)
		rc = cli_write_output(o.output, text, len, &err);
	if (rc < 0)
		status = cli_fail(&err);
	free(text);
	est_profiles_free(profiles);
	return status;
}
