/*
 * `estimator profiles list|show|import`: browse the profile library through
 * the catalogue (catalog.h); `import` is cmd_import.c's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char cli_profiles_usage[] =
	"usage: estimator profiles list [TEXT] [--kind KIND] [--task TASK] [OPTIONS]\n"
	"       estimator profiles show ID [--kind KIND] [OPTIONS]\n"
	"       estimator profiles import ...   (see 'estimator profiles import --help')\n"
	"\n"
	"Browse the profile library: every figure the model uses, with its source.\n"
	"\n"
	"commands:\n"
	"  list      one line per record, by kind, with its key figures and source ids;\n"
	"            TEXT keeps the records whose id or name contains it (any case)\n"
	"  show      every field of the record with this id, and its sources in full\n"
	"  import    write a measurement file from CodeCarbon or AI Energy Score results\n"
	"\n"
	"options:\n"
	"  --kind KIND       records of one kind only: sources, tasks, models,\n"
	"                    accelerators, servers, grids, prices, facilities,\n"
	"                    storage, equivalences, cloud-providers or\n"
	"                    cloud-instances\n"
	"  --task TASK       (list) that task and its models only\n"
	"  --format FORMAT   text (default) or json (estimator-profiles/1)\n"
	"  -o, --output FILE write to FILE, whole or not at all, instead of stdout\n"
	"  --profiles DIR    the profile library (default: $ESTIMATOR_PROFILES, then\n"
	"                    the installed library, then the source tree's)\n"
	"  -h, --help        show this help\n";

typedef struct profiles_opts {
	cli_common common;
	int kind;              /* -1: every kind */
	const char *task;
	const char *arg;       /* list: TEXT; show: ID */
} profiles_opts;

/* Set *kind to the kind named `name` and return 0, or print a usage error and return 2. */
static int parse_kind(const char *name, int *kind)
{
	size_t best_len = 0, i;
	const char *best = NULL;
	est_error err;
	int k;

	*kind = est_record_kind_parse(name);
	if (*kind >= 0)
		return 0;
	/* the kind sharing the longest prefix: "model", "modles", "facility" */
	for (k = 0; k < EST_RECORD_KINDS; k++) {
		const char *kn = est_record_kind_name((est_record_kind)k);
		for (i = 0; name[i] && kn[i] && tolower((unsigned char)name[i]) == kn[i]; i++)
			;
		if (i > best_len) {
			best_len = i;
			best = kn;
		}
	}
	if (best && best_len >= 3) {
		/* the suggestion is the hint, as for an unknown task */
		est_error_set(&err, EST_EUSAGE, NULL, 0, 0, "unknown kind '%s'; did you mean '%s'?",
			      name, best);
		return cli_fail(&err);
	}
	return cli_usage("profiles",
			 "unknown kind '%s' (sources, tasks, models, accelerators, servers, grids, "
			 "prices, facilities, storage, equivalences, cloud-providers or cloud-instances)",
			 name);
}

/* Options of `list` (with_task) or `show`; returns 0, 1 after --help, or an exit status. */
static int parse(profiles_opts *o, int with_task, int argc, char **argv)
{
	const char *sub = argv[0];
	int i, rc;

	memset(o, 0, sizeof(*o));
	o->common.format = EST_FORMAT_TEXT;
	o->kind = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		rc = cli_common_option(&o->common, "profiles", argc, argv, &i);
		if (rc > 1)
			return rc;
		if (rc == 1 && o->common.n_sets > 0)
			return cli_usage("profiles", "--set changes a scenario; profiles takes none");
		if (rc == 1)
			continue;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(cli_profiles_usage, stdout);
			return 1;
		}
		if (!strcmp(a, "--kind") || (with_task && !strcmp(a, "--task"))) {
			if (i + 1 >= argc)
				return cli_usage("profiles", "option '%s' needs a value", a);
			if (cli_check_utf8("profiles", a, argv[i + 1]))
				return -EST_EUSAGE;
			if (!strcmp(a, "--task")) {
				o->task = argv[++i];
				continue;
			}
			rc = parse_kind(argv[++i], &o->kind);
			if (rc != 0)
				return rc;
			continue;
		}
		if (a[0] == '-' && a[1])
			return cli_usage("profiles", "unknown option '%s' for %s", a, sub);
		if (o->arg)
			return cli_usage("profiles", "%s takes one %s", sub, with_task ? "TEXT" : "ID");
		if (cli_check_utf8("profiles", with_task ? "TEXT" : "ID", a))
			return -EST_EUSAGE;
		o->arg = a;
	}
	if (o->common.format == EST_FORMAT_CSV)
		return cli_usage("profiles", "profiles are shown as text or json, not csv");
	return 0;
}

static int cmd_list(int argc, char **argv);
static int cmd_show(int argc, char **argv);

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} subcommands[] = {
	{"list", cmd_list},
	{"show", cmd_show},
	{"import", cli_cmd_import},
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

/* Load the library, call the catalogue, write; the exit status. */
static int run(const profiles_opts *o, int show)
{
	est_catalog_filter filter = {o->kind, o->task, o->arg};
	est_profiles *profiles = NULL;
	est_error err;
	char *text = NULL;
	size_t len = 0;
	int rc, status = 0;

	est_error_clear(&err);
	rc = cli_load_profiles(&profiles, o->common.profiles_dir, &err);
	if (rc == 0 && show)
		rc = est_catalog_show(&text, &len, profiles, o->arg, o->kind, o->common.format, &err);
	else if (rc == 0)
		rc = est_catalog_list(&text, &len, profiles, &filter, o->common.format, &err);
	if (rc == 0)
		rc = cli_write_output(o->common.output, text, len, &err);
	if (rc < 0)
		status = cli_fail(&err);
	free(text);
	est_profiles_free(profiles);
	return status;
}

static int cmd_list(int argc, char **argv)
{
	profiles_opts o;
	int rc = parse(&o, 1, argc, argv);

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	return run(&o, 0);
}

static int cmd_show(int argc, char **argv)
{
	profiles_opts o;
	int rc = parse(&o, 0, argc, argv);

	if (rc != 0)
		return rc == 1 ? 0 : rc;
	if (!o.arg)
		return cli_usage("profiles", "missing ID for show");
	return run(&o, 1);
}

int cli_cmd_profiles(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return cli_usage("profiles", "missing command (list, show or import)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(cli_profiles_usage, stdout);
		return 0;
	}
	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		return cli_usage("profiles", "missing command before '%s' (list, show or import)",
				 argv[1]);
	return cli_usage("profiles", "unknown command '%s' (list, show or import)", argv[1]);
}
