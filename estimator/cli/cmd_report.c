/*
 * `estimator report`: evaluate scenarios (sampled as `run` samples them, with
 * a sensitivity analysis when inputs are uncertain), write the procurement
 * report (docs/report.md) as HTML or Markdown, and print it to PDF with
 * headless Chromium when asked.
 */
#define _DEFAULT_SOURCE /* realpath, mkstemps */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "estimator/batch.h"
#include "estimator/evaluate.h"
#include "estimator/report.h"

const char cli_report_usage[] =
	"usage: estimator report FILE [FILE...] [-o FILE] [--format html|markdown] [--pdf FILE]\n"
	"                        [--paper a4|letter] [--currency CUR [--rate CUR=RATE]...]\n"
	"                        [--samples N [--seed S] [--threads T]] [--set PATH=VALUE]...\n"
	"                        [--profiles DIR]\n"
	"\n"
	"Write the procurement report of one scenario and its variants, or of several\n"
	"scenarios as a portfolio: the decision, demand, capacity, purchases, power,\n"
	"storage, cost, energy, Scope 2, embodied emissions, the target, water, the\n"
	"alternatives, uncertainty and sensitivity, and every assumption and source\n"
	"(docs/report.md). HTML is one self-contained, print-ready page with its\n"
	"charts as inline SVG; Markdown has the same sections with tables.\n"
	"\n"
	"options:\n"
	"  -o, --output FILE write to FILE, whole or not at all (default: stdout)\n"
	"  --format FORMAT   html (default) or markdown\n"
	"  --pdf FILE        also print the HTML to FILE with headless Chromium\n"
	"  --paper SIZE      the printed page: a4 (default) or letter\n"
	"  --currency CUR    every cost in CUR (default: the first file's); a file costed\n"
	"                    in another is converted at its --rate, else at its own\n"
	"                    costs.exchange_rates entry, and the report says so\n"
	"  --rate CUR=RATE   1 CUR = RATE of the report's currency; repeatable\n"
	"  --samples N       Monte Carlo as 'run' does (default: the scenario's)\n"
	"  --seed S          the random seed; the same seed gives the same bytes\n"
	"  --threads T       sampling threads, 1 to 64 (default 2)\n"
	"  --set PATH=VALUE  override an input of every file (docs/what-if.md)\n"
	"  --profiles DIR    the profile library\n"
	"  -h, --help        show this help\n";

/* SHA-256 of a file's bytes, or "" when it cannot be read (standard input). */
static void file_digest(const char *path, char out[EST_BATCH_DIGEST_HEX])
{
	est_batch_sha256 h;
	unsigned char buf[65536];
	size_t n;
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : NULL;

	out[0] = '\0';
	if (!f)
		return;
	est_batch_sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		est_batch_sha256_update(&h, buf, n);
	if (!ferror(f))
		est_batch_sha256_hex(&h, out);
	fclose(f);
}

/* The first of the usual Chromium names found on PATH, or NULL. */
static const char *chromium(void)
{
	static const char *const names[] = {"chromium", "chromium-browser", "google-chrome",
					    "google-chrome-stable", NULL};
	static char found[4096];
	const char *path = getenv("PATH");
	size_t i;

	for (i = 0; path && names[i]; i++) {
		const char *p = path;
		while (*p) {
			size_t n = strcspn(p, ":");
			snprintf(found, sizeof(found), "%.*s/%s", (int)n, p, names[i]);
			if (n > 0 && access(found, X_OK) == 0)
				return found;
			p += n + (p[n] == ':');
		}
	}
	return NULL;
}

/*
 * Print html (a file) to pdf with headless Chromium: to a temporary name
 * beside pdf, renamed when Chromium succeeded and wrote a PDF.
 */
static int print_pdf(const char *html, const char *pdf, est_error *err)
{
	const char *exe = chromium();
	char tmp[4200], arg_pdf[4300], url[4300], profile[] = "/tmp/estimator-chromium-XXXXXX";
	char arg_profile[64], abs_html[4096];
	pid_t pid;
	int status = 0;
	struct stat st;

	if (!exe)
		return est_error_set(err, EST_EIO, pdf, 0, 0,
				     "no Chromium installed to print the PDF (apt-get install chromium); "
				     "the HTML report is written");
	if (!realpath(html, abs_html) || !mkdtemp(profile))
		return est_error_set(err, EST_EIO, pdf, 0, 0, "cannot print: %s", strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp%ld", pdf, (long)getpid());
	snprintf(arg_pdf, sizeof(arg_pdf), "--print-to-pdf=%s", tmp);
	snprintf(url, sizeof(url), "file://%s", abs_html);
	snprintf(arg_profile, sizeof(arg_profile), "--user-data-dir=%s", profile);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		FILE *devnull = freopen("/dev/null", "w", stderr);
		(void)devnull;
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(exe, exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
		      "--generate-pdf-document-outline",
		      "--run-all-compositor-stages-before-draw", arg_profile, arg_pdf, url, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || stat(tmp, &st) != 0 || st.st_size < 5) {
		unlink(tmp);
		rmdir(profile); /* left for the system's /tmp cleaning when Chromium filled it */
		return est_error_set(err, EST_EIO, pdf, 0, 0, "Chromium (%s) could not print the report", exe);
	}
	if (rename(tmp, pdf) != 0) {
		int e = errno;
		unlink(tmp);
		return est_error_set(err, EST_EIO, pdf, 0, 0, "cannot write: %s", strerror(e));
	}
	return 0;
}

/* The costs of ev in the report's currency `to`, converted and described in `line` when they differ. */
static int convert(est_evaluation *ev, const char *file, const char *to, const est_rate *rates,
		   size_t n_rates, char line[160], est_error *err)
{
	const char *origin = NULL;
	char from[4];
	double rate = 1;
	int rc;

	line[0] = '\0';
	if (!strcmp(ev->result->currency, to))
		return 0;
	rc = est_currency_rate(ev->scenario, to, rates, n_rates, cli_file_name(file), &rate, &origin,
			       err);
	if (rc < 0)
		return rc;
	snprintf(from, sizeof(from), "%s", ev->result->currency);
	est_result_convert_currency(ev->result, to, rate);
	snprintf(line, 160, "%s to %s at 1 %s = %.6g %s (%s)", from, to, from, rate, to, origin);
	return 0;
}

int cli_cmd_report(int argc, char **argv)
{
	static cli_common opt; /* large (the --set table): not on the stack */
	est_eval_options eo;
	est_profiles *profiles = NULL;
	est_error err;
	est_evaluation *ev = NULL;
	est_sensitivity **sens = NULL;
	est_report_item *items = NULL;
	est_report_input in;
	est_report_format format = EST_REPORT_HTML;
	char (*digests)[EST_BATCH_DIGEST_HEX] = NULL, profiles_digest[EST_BATCH_DIGEST_HEX] = "";
	const char **files = calloc((size_t)argc, sizeof(*files));
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	const char *pdf = NULL, *paper = NULL, *currency = NULL;
	est_rate rates[CLI_MAX_RATES];
	size_t n_rates = 0;
	char (*conversions)[160] = NULL;
	char *text = NULL, html_tmp[] = "/tmp/estimator-report-XXXXXX.html";
	size_t n_files = 0, len = 0, i;
	int n_args = 0, status = 0, rc = 0;

	est_error_clear(&err);
	memset(&opt, 0, sizeof(opt));
	if (!files || !args) {
		free(files);
		free(args);
		return cli_usage("report", "out of memory");
	}
	/* report's own --format and --pdf, taken out before the shared parser sees them */
	for (i = 0; i < (size_t)argc; i++) {
		if ((!strcmp(argv[i], "--format") || !strcmp(argv[i], "--pdf") ||
		     !strcmp(argv[i], "--paper") || !strcmp(argv[i], "--currency") ||
		     !strcmp(argv[i], "--rate")) && i + 1 < (size_t)argc) {
			if (!strcmp(argv[i], "--currency") || !strcmp(argv[i], "--rate")) {
				int c = cli_currency_option("report", argv[i], argv[i + 1], &currency, rates,
							    &n_rates, CLI_MAX_RATES);
				if (c != 1)
					rc = c;
			} else if (!strcmp(argv[i], "--pdf"))
				pdf = argv[i + 1];
			else if (!strcmp(argv[i], "--paper") && (!strcmp(argv[i + 1], "a4") || !strcmp(argv[i + 1], "letter")))
				paper = argv[i + 1];
			else if (!strcmp(argv[i], "--paper"))
				rc = cli_usage("report", "unknown paper '%s' (a4 or letter)", argv[i + 1]);
			else if (!strcmp(argv[i + 1], "markdown"))
				format = EST_REPORT_MARKDOWN;
			else if (strcmp(argv[i + 1], "html"))
				rc = cli_usage("report", "unknown format '%s' (html or markdown)", argv[i + 1]);
			i++;
			continue;
		}
		args[n_args++] = argv[i];
	}
	if (rc == 0)
		rc = cli_parse(&opt, "report", cli_report_usage, n_args, args, NULL, NULL, files,
			       (size_t)argc, &n_files);
	if (rc != 0) {
		free(files);
		free(args);
		return rc == CLI_HELP ? 0 : rc;
	}
	if (n_files == 0) {
		free(files);
		free(args);
		return cli_usage("report", "missing scenario FILE");
	}
	if (pdf && format != EST_REPORT_HTML) {
		free(files);
		free(args);
		return cli_usage("report", "--pdf prints the HTML report: it does not go with --format markdown");
	}

	ev = calloc(n_files, sizeof(*ev));
	sens = calloc(n_files, sizeof(*sens));
	items = calloc(n_files, sizeof(*items));
	digests = calloc(n_files, sizeof(*digests));
	conversions = calloc(n_files, sizeof(*conversions));
	if (!ev || !sens || !items || !digests || !conversions)
		rc = est_error_set(&err, EST_EINTERNAL, NULL, 0, 0, "out of memory");
	if (rc == 0)
		rc = cli_load_profiles(&profiles, opt.profiles_dir, &err);
	if (rc == 0)
		rc = est_batch_profiles_digest(est_profiles_dir(profiles), profiles_digest, &err);
	for (i = 0; rc == 0 && i < n_files; i++) {
		eo = est_eval_options_run();
		eo.load = cli_load_options(&opt);
		eo.samples = opt.sampling.samples;
		eo.seed_given = opt.seed_given;
		eo.seed = opt.sampling.seed;
		eo.threads = opt.sampling.threads;
		if (!strcmp(files[i], "-"))
			rc = cli_stdin_options(&eo.load, &err);
		if (rc == 0)
			rc = est_evaluate(&ev[i], cli_file_name(files[i]), profiles, &eo, &err);
		if (rc == 0 && ev[i].sampled) {
			/* uncertain inputs: a tornado of location-based emissions over the horizon */
			est_sensitivity_options so;
			est_error quiet;
			memset(&so, 0, sizeof(so));
			so.sampling = ev[i].sampling;
			if (est_sensitivity_run(&sens[i], ev[i].scenario, profiles, &so, &quiet) < 0)
				sens[i] = NULL;
		}
		if (rc == 0)
			rc = convert(&ev[i], files[i], currency ? currency : ev[0].result->currency, rates,
				     n_rates, conversions[i], &err);
		file_digest(files[i], digests[i]);
		items[i].scenario = ev[i].scenario;
		items[i].result = ev[i].result;
		items[i].sensitivity = sens[i];
		items[i].file = cli_file_name(files[i]);
		items[i].file_digest = digests[i];
		items[i].conversion = conversions[i][0] ? conversions[i] : NULL;
	}
	if (rc == 0) {
		memset(&in, 0, sizeof(in));
		in.items = items;
		in.n_items = n_files;
		in.profiles = profiles;
		in.profiles_digest = profiles_digest;
		in.paper = paper;
		rc = est_report_render(&text, &len, &in, format, &err);
	}
	if (rc == 0)
		rc = cli_write_output(opt.output, text, len, &err);
	if (rc == 0 && pdf) {
		int fd = mkstemps(html_tmp, 5);
		if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
			rc = est_error_set(&err, EST_EIO, pdf, 0, 0, "cannot print: %s", strerror(errno));
		} else {
			rc = print_pdf(html_tmp, pdf, &err);
		}
		if (fd >= 0) {
			close(fd);
			unlink(html_tmp);
		}
	}
	if (rc < 0)
		status = cli_fail(&err);

	for (i = 0; ev && i < n_files; i++) {
		est_sensitivity_free(sens[i]);
		est_evaluation_free(&ev[i]);
	}
	free(text);
	free(ev);
	free(sens);
	free(items);
	free(digests);
	free(conversions);
	free(files);
	free(args);
	est_profiles_free(profiles);
	return status;
}
