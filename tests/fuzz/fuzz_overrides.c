/*
 * Fuzz target: the command line's value parsers. The input is lines:
 * `PATH=VALUE` is a --set, `@vary PATH=FROM:TO:STEPS` a sweep's --vary, and
 * `@unit TEXT[|UNIT]` a quantity for the units parser (every --set value is
 * parsed as one too). The --set list is applied to a fixed valid scenario
 * (scenarios/whatif-infrastructure.yaml, with variants) that is evaluated and
 * rendered; a valid --vary sweeps it (at most 3 steps per input).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/estimator.h"
#include "fuzz_common.h"

#define MAX_SETS 64      /* the CLI's CLI_MAX_SETS */
#define MAX_PATH 256     /* the CLI's --set path buffer */
#define SCENARIO EST_FUZZ_SCENARIOS "/whatif-infrastructure.yaml"

static est_profiles *profiles;
static char *scenario;
static size_t scenario_len;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	est_error err;

	(void)argc;
	(void)argv;
	est_error_clear(&err);
	if (est_profiles_load(&profiles, EST_FUZZ_PROFILES, &err) < 0)
		fuzz_fail("cannot load the profile library " EST_FUZZ_PROFILES, &err);
	scenario = fuzz_slurp(SCENARIO, &scenario_len);
	return 0;
}

static void check_units(const char *text, const char *unit)
{
	static const char *const units[] = {"kW", "kWh", "CUR/kWh", "g/kWh", "1", "%", "/day", "TB"};
	est_quantity q;
	char msg[256];
	double v;
	size_t i, n;

	msg[0] = '\0';
	n = est_quantity_number_length(text);
	if (n > strlen(text))
		fuzz_fail("a number longer than its text", NULL);
	if (est_quantity_parse(&q, text, msg, sizeof(msg)) < 0) {
		fuzz_check_text("est_quantity_parse", msg);
		return;
	}
	est_dim_describe(&q.dim, msg, sizeof(msg));
	for (i = 0; i <= sizeof(units) / sizeof(units[0]); i++) {
		const char *u = i < sizeof(units) / sizeof(units[0]) ? units[i] : unit;
		if (!u)
			continue;
		msg[0] = '\0';
		if (est_quantity_in(&v, &q, u, msg, sizeof(msg)) < 0)
			fuzz_check_text("est_quantity_in", msg);
	}
}

static void evaluate(const est_load_options *load)
{
	est_scenario *s = NULL;
	est_result *r = NULL;
	char *text = NULL;
	size_t len = 0;
	est_error err;
	int rc;

	est_error_clear(&err);
	rc = est_scenario_load_buffer_with(&s, SCENARIO, scenario, scenario_len, profiles, load,
					   &err);
	fuzz_check(rc, &err, 1);
	if (rc == 0) {
		est_error_clear(&err);
		rc = est_model_run(&r, s, profiles, &err);
		fuzz_check(rc, &err, 1);
	}
	if (rc == 0) {
		est_error_clear(&err);
		rc = est_render(&text, &len, r, EST_FORMAT_TEXT, &err);
		fuzz_check(rc, &err, 1);
	}
	free(text);
	est_result_free(r);
	est_scenario_free(s);
}

static void sweep(est_vary *vary, size_t n_vary, const est_load_options *load)
{
	est_sweep_options so;
	est_sweep *sw = NULL;
	char *text = NULL;
	size_t i, len = 0;
	est_error err;
	int rc;

	for (i = 0; i < n_vary; i++)
		if (vary[i].steps > 3)
			vary[i].steps = 3;
	memset(&so, 0, sizeof(so));
	so.vary = vary;
	so.n_vary = n_vary;
	so.load = load;
	est_error_clear(&err);
	rc = est_sweep_run(&sw, SCENARIO, &so, profiles, &err);
	fuzz_check(rc, &err, 1);
	if (rc == 0) {
		est_error_clear(&err);
		rc = est_sweep_render(&text, &len, sw, EST_FORMAT_CSV, &err);
		fuzz_check(rc, &err, 1);
	}
	free(text);
	est_sweep_free(sw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static est_override sets[MAX_SETS];
	static char paths[MAX_SETS][MAX_PATH];
	est_vary vary[EST_SWEEP_MAX_VARY];
	size_t n_sets = 0, n_vary = 0;
	est_load_options load;
	char *input = fuzz_strndup(data, size), *line, *next;
	int vary_ok = 1;

	for (line = input; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "@vary ", 6)) {
			est_error err;
			est_error_clear(&err);
			if (n_vary == EST_SWEEP_MAX_VARY) {
				vary_ok = 0;
				continue;
			}
			if (est_vary_parse(&vary[n_vary], line + 6, (int)n_vary + 1, &err) < 0) {
				fuzz_check(err.code, &err, 0);
				vary_ok = 0;
			} else {
				n_vary++;
			}
		} else if (!strncmp(line, "@unit ", 6)) {
			char *bar = strchr(line + 6, '|');
			if (bar)
				*bar++ = '\0';
			check_units(line + 6, bar);
		} else {
			char *eq = strchr(line, '=');
			size_t len = eq ? (size_t)(eq - line) : 0;
			/* what the CLI refuses before the library sees it */
			if (!eq || len == 0 || !eq[1] || len >= MAX_PATH || n_sets == MAX_SETS)
				continue;
			memcpy(paths[n_sets], line, len);
			paths[n_sets][len] = '\0';
			sets[n_sets].path = paths[n_sets];
			sets[n_sets].value = eq + 1;
			sets[n_sets].origin = "--set";
			sets[n_sets].line = (int)n_sets + 1;
			sets[n_sets].column = (int)len + 2;
			n_sets++;
			check_units(eq + 1, NULL);
		}
	}
	memset(&load, 0, sizeof(load));
	load.overrides = sets;
	load.n_overrides = n_sets;
	if (n_sets > 0 || n_vary == 0)
		evaluate(&load);
	if (n_vary > 0 && vary_ok)
		sweep(vary, n_vary, &load);
	free(input);
	return 0;
}
