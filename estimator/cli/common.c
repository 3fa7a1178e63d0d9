/*
 * Shared CLI plumbing: error lines (user text escaped), shared options,
 * where the profiles are, standard input as a scenario, and writing output
 * files whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define PATH_LEN 4096
#define LINK_HOPS 40 /* symbolic links followed from an -o path, as Linux's ELOOP limit */

int cli_fail(const est_error *err)
{
	/* escaped again: a library message edited after est_error_set may quote user text */
	static char file[4 * EST_ERROR_FILE_MAX], msg[4 * EST_ERROR_MESSAGE_MAX];
	int status = err->code < 0 ? -err->code : 5;

	est_error_escape(file, sizeof(file), err->file);
	est_error_escape(msg, sizeof(msg), err->message[0] ? err->message : est_strerror(err->code));
	if (file[0] && err->line > 0)
		fprintf(stderr, "estimator: %s:%d:%d: %s\n", file, err->line,
			err->column > 0 ? err->column : 1, msg);
	else if (file[0])
		fprintf(stderr, "estimator: %s: %s\n", file, msg);
	else
		fprintf(stderr, "estimator: %s\n", msg);
	return status;
}

int cli_usage(const char *command, const char *fmt, ...)
{
	static char raw[2 * EST_ERROR_MESSAGE_MAX], msg[8 * EST_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	est_error_escape(msg, sizeof(msg), raw); /* the arguments quote what the user typed */
	if (command)
		fprintf(stderr, "estimator: %s; see 'estimator %s --help'\n", msg, command);
	else
		fprintf(stderr, "estimator: %s; see 'estimator --help'\n", msg);
	return -EST_EUSAGE;
}

int cli_check_utf8(const char *command, const char *option, const char *value)
{
	size_t at;

	if (est_utf8_check(value, &at) == 0)
		return 0;
	return cli_usage(command, "the value of '%s' is not UTF-8: byte %zu is 0x%02x; options take UTF-8 text",
			 option, at + 1, (unsigned)(unsigned char)value[at]);
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
	    strcmp(command, "run") && strcmp(command, "sensitivity") && strcmp(command, "report"))
		return cli_usage(command, "%s samples nothing; --samples, --seed and --threads are for run, sensitivity and report",
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
		size_t len = eq ? (size_t)(eq - value) : 0, at;
		est_override *o;
		if (est_utf8_check(value, &at) < 0) {
			/* located as the library locates --set errors: which --set, which byte */
			est_error err;
			est_error_set(&err, EST_EINVALID, "--set", (int)c->n_sets + 1, (int)at + 1,
				      "byte %zu is 0x%02x, which is not UTF-8; --set takes UTF-8 text",
				      at + 1, (unsigned)(unsigned char)value[at]);
			return cli_fail(&err);
		}
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

/*
 * The name -o writes to: path with its symbolic links followed (at most
 * LINK_HOPS), so the link stays and its target is replaced. The name may
 * not exist yet.
 */
static int follow_links(char *out, size_t size, const char *path, est_error *err)
{
	char link[PATH_LEN], next[PATH_LEN];
	const char *slash;
	struct stat st;
	ssize_t n;
	int hops, w;

	if (snprintf(out, size, "%s", path) >= (int)size)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: path too long");
	for (hops = 0; lstat(out, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
		if (hops == LINK_HOPS)
			return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(ELOOP));
		n = readlink(out, link, sizeof(link) - 1);
		if (n < 0)
			return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
		link[n] = '\0';
		slash = strrchr(out, '/');
		if (link[0] == '/' || !slash)
			w = snprintf(next, sizeof(next), "%s", link);
		else /* relative to the link's directory */
			w = snprintf(next, sizeof(next), "%.*s%s", (int)(slash - out + 1), out, link);
		if (w < 0 || (size_t)w >= sizeof(next) || (size_t)w >= size)
			return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: path too long");
		memcpy(out, next, (size_t)w + 1);
	}
	return 0;
}

/* write(2) until all of text is out. */
static int write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A FIFO, a device or a socket: opened and written as it is, never replaced. */
static int write_through(const char *path, const char *target, const char *text, size_t len,
			 est_error *err)
{
	int fd = open(target, O_WRONLY | O_NOCTTY);

	if (fd < 0)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	if (write_all(fd, text, len) != 0) {
		int e = errno;
		close(fd);
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(e));
	}
	if (close(fd) != 0)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
	return 0;
}

/*
 * A regular file, new or not: written beside it and renamed over it, so it
 * is whole or untouched. An existing file keeps its mode (and, for root,
 * its owner); a new one gets 0666 less the umask, as a shell's > would.
 */
static int write_replace(const char *path, const char *target, const struct stat *old,
			 const char *text, size_t len, est_error *err)
{
	char tmp[PATH_LEN];
	mode_t mode, mask;
	int fd, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", target) >= (int)sizeof(tmp))
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: path too long");
	fd = mkstemp(tmp);
	if (fd < 0)
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
	mask = umask(0);
	umask(mask);
	mode = old ? old->st_mode & 07777 : 0666 & ~mask;
	if (write_all(fd, text, len) != 0 || fsync(fd) != 0 ||
	    (old && geteuid() == 0 && fchown(fd, old->st_uid, old->st_gid) != 0) ||
	    fchmod(fd, mode) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(e));
	}
	if (close(fd) != 0 || rename(tmp, target) != 0) {
		e = errno;
		unlink(tmp);
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(e));
	}
	return 0;
}

int cli_write_output(const char *path, const char *text, size_t len, est_error *err)
{
	char target[PATH_LEN];
	struct stat st;
	int exists, rc;

	if (!path || !strcmp(path, "-")) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
			return est_error_set(err, EST_EIO, "", 0, 0, "cannot write to standard output");
		return 0;
	}
	rc = follow_links(target, sizeof(target), path, err);
	if (rc < 0)
		return rc;
	exists = stat(target, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return est_error_set(err, EST_EIO, path, 0, 0, "cannot write: %s", strerror(EISDIR));
	if (exists && !S_ISREG(st.st_mode))
		return write_through(path, target, text, len, err);
	return write_replace(path, target, exists ? &st : NULL, text, len, err);
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
		int start = i, k;
		rc = cli_common_option(c, command, argc, argv, &i);
		if (rc == 0 && fn) {
			rc = fn(ctx, command, argc, argv, &i);
			/* the command's own values reach the library: UTF-8 only */
			for (k = start + 1; rc == 1 && k <= i; k++)
				rc = cli_check_utf8(command, argv[start], argv[k]) ? -EST_EUSAGE : 1;
		}
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

/* Standard input, read once: every "-" of a command is the same document. */
static struct {
	char *data;
	size_t len;
	int read;
} stdin_doc;

static void free_stdin(void)
{
	free(stdin_doc.data);
	stdin_doc.data = NULL;
}

/* All of standard input; reading stops one byte past CLI_STDIN_MAX. */
static int read_stdin(est_error *err)
{
	size_t cap = 0, n;
	char *p;

	if (stdin_doc.read)
		return 0;
	for (;;) {
		if (stdin_doc.len == cap) {
			if (cap > CLI_STDIN_MAX)
				break; /* one byte over: too large */
			cap = cap ? cap * 2 : 64 * 1024;
			if (cap > CLI_STDIN_MAX + 1)
				cap = CLI_STDIN_MAX + 1; /* one byte over tells a file too large */
			p = realloc(stdin_doc.data, cap + 1);
			if (!p)
				return est_error_set(err, EST_EINTERNAL, CLI_STDIN_NAME, 0, 0, "out of memory");
			if (!stdin_doc.data)
				atexit(free_stdin);
			stdin_doc.data = p;
		}
		n = fread(stdin_doc.data + stdin_doc.len, 1, cap - stdin_doc.len, stdin);
		stdin_doc.len += n;
		if (n == 0 && ferror(stdin))
			return est_error_set(err, EST_EIO, CLI_STDIN_NAME, 0, 0, "cannot read: %s",
					     strerror(errno));
		if (n == 0)
			break;
	}
	if (stdin_doc.len > CLI_STDIN_MAX) /* as the loader words it for a file */
		return est_error_set(err, EST_EINVALID, CLI_STDIN_NAME, 0, 0,
				     "too large: more than %d MiB (%d bytes), the limit for an input file",
				     CLI_STDIN_MAX >> 20, CLI_STDIN_MAX);
	stdin_doc.data[stdin_doc.len] = '\0';
	stdin_doc.read = 1;
	return 0;
}

int cli_stdin_options(est_load_options *o, est_error *err)
{
	int rc = read_stdin(err);

	if (rc < 0)
		return rc;
	o->data = stdin_doc.data ? stdin_doc.data : "";
	o->len = stdin_doc.len;
	return 0;
}

int cli_load_scenario(est_scenario **out, const char *file, const est_profiles *p,
		      const est_load_options *o, est_error *err)
{
	est_load_options with_data;
	int rc;

	if (strcmp(file, "-"))
		return est_scenario_load_with(out, file, p, o, err);
	*out = NULL;
	if (o)
		with_data = *o;
	else
		memset(&with_data, 0, sizeof(with_data));
	rc = cli_stdin_options(&with_data, err);
	if (rc < 0)
		return rc;
	return est_scenario_load_with(out, CLI_STDIN_NAME, p, &with_data, err);
}

const char *cli_file_name(const char *file)
{
	return strcmp(file, "-") ? file : CLI_STDIN_NAME;
}

/* A currency code as the units know it: EUR, USD, ... (not the placeholder CUR). */
static int currency_code(const char *code)
{
	est_quantity q;
	char probe[16], msg[128];

	if (strlen(code) != 3 || !strcmp(code, "CUR"))
		return 0;
	snprintf(probe, sizeof(probe), "1 %s", code);
	return est_quantity_parse(&q, probe, msg, sizeof(msg)) == 0 && q.dim.e[EST_DIM_MONEY] == 1;
}

int cli_currency_option(const char *command, const char *flag, const char *value,
			const char **currency, est_rate *rates, size_t *n_rates, size_t max)
{
	const char *eq;
	char *end;
	double rate;

	if (!strcmp(flag, "--currency")) {
		if (!currency_code(value))
			return cli_usage(command, "--currency '%s': not a currency code (EUR, USD, GBP, ...)",
					 value);
		*currency = value;
		return 1;
	}
	eq = strchr(value, '=');
	if (*n_rates == max)
		return cli_usage(command, "--rate: at most %zu rates", max);
	if (eq && eq - value == 3) {
		memcpy(rates[*n_rates].code, value, 3);
		rates[*n_rates].code[3] = '\0';
		rate = strtod(eq + 1, &end);
		if (currency_code(rates[*n_rates].code) && end != eq + 1 && !*end && rate > 0 &&
		    rate <= 1e12) {
			rates[(*n_rates)++].rate = rate;
			return 1;
		}
	}
	return cli_usage(command, "--rate '%s': write CUR=RATE with a currency code and a rate "
			 "above 0, e.g. --rate USD=0.9626 (1 USD = 0.9626 of the output's currency)",
			 value);
}
