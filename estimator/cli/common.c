/*
 * Shared CLI plumbing: error lines, shared options, where the profiles are,
 * and writing output files whole or not at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define PATH_LEN 4096

int cli_fail(const est_error *err)
{
	const char *msg = err->message[0] ? err->message : est_strerror(err->code);
	int status = err->code < 0 ? -err->code : 5;

	if (err->file[0] && err->line > 0)
		fprintf(stderr, "estimator: %s:%d:%d: %s\n", err->file, err->line,
			err->column > 0 ? err->column : 1, msg);
	else if (err->file[0])
		fprintf(stderr, "estimator: %s: %s\n", err->file, msg);
	else
		fprintf(stderr, "estimator: %s\n", msg);
	return status;
}

int cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;

	fputs("estimator: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "; see 'estimator %s --help'\n", command);
	else
		fputs("; see 'estimator --help'\n", stderr);
	return -EST_EUSAGE;
}

int cli_common_option(cli_common *c, const char *command, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *value;

	if (strcmp(arg, "--profiles") && strcmp(arg, "--format") && strcmp(arg, "-o") &&
	    strcmp(arg, "--output") && strcmp(arg, "--set") && strcmp(arg, "--samples") &&
	    strcmp(arg, "--seed") && strcmp(arg, "--threads"))
		return 0;
	if (*i + 1 >= argc)
		return cli_usage(command, "option '%s' needs a value", arg);
	value = argv[++*i];
	if ((!strcmp(arg, "--samples") || !strcmp(arg, "--seed") || !strcmp(arg, "--threads")) &&
	    strcmp(command, "run") && strcmp(command, "sensitivity"))
		return cli_usage(command, "%s samples nothing; --samples, --seed and --threads are for run and sensitivity",
				 command);
	if (!strcmp(arg, "--samples") || !strcmp(arg, "--seed") || !strcmp(arg, "--threads")) {
		char *end;
		unsigned long long v;
		errno = 0;
		v = strtoull(value, &end, 10);
		if (*value == '-' || end == value || *end || errno)
			return cli_usage(command, "%s takes a whole number, got '%s'", arg, value);
		if (!strcmp(arg, "--samples")) {
			if (v < 1 || v > EST_SAMPLES_MAX)
				return cli_usage(command, "--samples must be 1 to %d", EST_SAMPLES_MAX);
			c->sampling.samples = (size_t)v;
		} else if (!strcmp(arg, "--seed")) {
			if (v > 0xFFFFFFFFULL)
				return cli_usage(command, "--seed must be 0 to 4294967295");
			c->sampling.seed = (unsigned long)v;
			c->seed_given = 1;
		} else {
			if (v < 1 || v > 64)
				return cli_usage(command, "--threads must be 1 to 64");
			c->sampling.threads = (int)v;
		}
		return 1;
	}
	if (!strcmp(arg, "--set")) {
		const char *eq = strchr(value, '=');
		size_t len = eq ? (size_t)(eq - value) : 0;
		est_override *o;
		if (!eq || len == 0 || !eq[1])
			return cli_usage(command, "--set takes PATH=VALUE, e.g. --set site.grid=NOR; got '%s'", value);
		if (c->n_sets == CLI_MAX_SETS)
			return cli_usage(command, "at most %d --set options", CLI_MAX_SETS);
		if (len >= sizeof(c->set_paths[0]))
			return cli_usage(command, "--set path too long: '%s'", value);
		memcpy(c->set_paths[c->n_sets], value, len);
		c->set_paths[c->n_sets][len] = '\0';
		o = &c->sets[c->n_sets];
		o->path = c->set_paths[c->n_sets];
		o->value = eq + 1;
		o->origin = "--set";
		o->line = (int)c->n_sets + 1;
		o->column = (int)len + 2;
		c->n_sets++;
	} else if (!strcmp(arg, "--profiles")) {
		c->profiles_dir = value;
	} else if (!strcmp(arg, "--format")) {
		if (est_format_parse(&c->format, value) < 0)
			return cli_usage(command, "unknown format '%s' (text, json or csv)", value);
	} else {
		c->output = value;
	}
	return 1;
}

static int has_sources(const char *dir)
{
	char path[PATH_LEN];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/sources.yaml", dir) >= (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0;
}

/* <directory of the executable>/rel, for relocated installs. */
static int beside_executable(char *buf, size_t len, const char *rel)
{
	char exe[PATH_LEN];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	return snprintf(buf, len, "%s/%s", exe, rel) < (int)len;
}

int cli_load_profiles(est_profiles **out, const char *flag_dir, est_error *err)
{
	char rel[PATH_LEN];
	const char *env = getenv("ESTIMATOR_PROFILES");

	if (flag_dir)
		return est_profiles_load(out, flag_dir, err);
	if (env && *env)
		return est_profiles_load(out, env, err);
	if (beside_executable(rel, sizeof(rel), EST_REL_PROFILE_DIR) && has_sources(rel))
		return est_profiles_load(out, rel, err);
	if (has_sources(EST_INSTALL_PROFILE_DIR))
		return est_profiles_load(out, EST_INSTALL_PROFILE_DIR, err);
	if (has_sources(EST_SOURCE_PROFILE_DIR))
		return est_profiles_load(out, EST_SOURCE_PROFILE_DIR, err);
	return est_error_set(err, EST_EIO, "", 0, 0,
			     "no profile library found; use --profiles DIR or set ESTIMATOR_PROFILES");
}

int cli_write_output(const char *path, const char *text, size_t len, est_error *err)
{
	char tmp[PATH_LEN];
	FILE *f;
	int fd;

	if (!path || !strcmp(path, "-")) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
			return est_error_set(err, EST_EIO, "", 0, 0, "cannot write to standard output");
		return 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp))
		return est_error_set(err, EST_EIO, path, 0, 0, "path too long");
	fd = mkstemp(tmp);
	if (fd < 0)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
	f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp);
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
	}
	if (fwrite(text, 1, len, f) != len || fflush(f) != 0 || fsync(fd) != 0) {
		fclose(f);
		unlink(tmp);
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
	}
	if (fclose(f) != 0 || chmod(tmp, 0644) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(e));
	}
	return 0;
}

est_load_options cli_load_options(const cli_common *c)
{
	est_load_options o;

	memset(&o, 0, sizeof(o));
	o.overrides = c->sets;
	o.n_overrides = c->n_sets;
	return o;
}

int cli_parse(cli_common *c, const char *command, const char *usage, int argc, char **argv,
	      cli_option_fn fn, void *ctx, const char **files, size_t max_files, size_t *n_files)
{
	int i, rc;

	*n_files = 0;
	for (i = 1; i < argc; i++) {
		rc = cli_common_option(c, command, argc, argv, &i);
		if (rc == 0 && fn)
			rc = fn(ctx, command, argc, argv, &i);
		if (rc > 1)
			return rc;
		if (rc == 1)
			continue;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return CLI_HELP;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(command, "unknown option '%s'", argv[i]);
		if (*n_files == max_files)
			return cli_usage(command, "%s takes one scenario file", command);
		files[(*n_files)++] = argv[i];
	}
	return 0;
}
