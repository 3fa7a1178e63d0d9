/*
 * Importing measurements (estimator/lib/csv.c, import_codecarbon.c,
 * import_aes.c, import_emit.c): the CSV reader case by case, then each
 * importer against the real profile library, with every written file loaded
 * back (est_profiles_extend) and run in a scenario.
 *
 * The CodeCarbon fixture tests/data/import/emissions.csv is written by hand
 * in CodeCarbon v3.3.0's column order (/work/shared/research/peers.md §1,
 * "emissions.csv columns"): three runs of 1,000 inferences each on one GPU.
 * Expected figures are typed from its rows below, never from the program:
 *
 *   energy_consumed  0.0170 + 0.0167 + 0.0173 = 0.0510 kWh
 *   gpu_energy       0.0150 + 0.0148 + 0.0152 = 0.0450 kWh
 *   duration         120.5 + 118.25 + 121.0   = 359.75 s, gpu_count 1
 *   per 1,000 inferences: 0.0510 kWh / 3 = 0.0170 kWh, i.e. 0.0170 Wh each
 *
 * The AI Energy Score fixture tests/data/import/aes-leaderboard.csv follows
 * the leaderboard layout `,timestamp,task,model,dataset,total_gpu_energy`
 * (/work/shared/research/energy-data.md §2.5), values in kWh per 1,000
 * queries as in §2.6 (gpt2 2.34 and 2.38 Wh/1k, sdxl-turbo 385.6 Wh/1k).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "estimator/estimator.h"
#include "buf.h"
#include "csv.h"

#ifndef EST_TEST_PROFILES
#error "EST_TEST_PROFILES must name the profiles/ directory"
#endif

#define REL_TOL 1e-9
#include "check.h"

#define CC_FIXTURE EST_TEST_DATA "/import/emissions.csv"
#define AES_FIXTURE EST_TEST_DATA "/import/aes-leaderboard.csv"
#define MODEL "acme/llama-3.1-8b-finetuned"

/* ------------------------------------------------------------------------ */
/* Scratch files in one temporary directory, removed after the group.        */

static char g_dir[64];
static char g_written[64][128];
static size_t g_n_written;

/* Write text (len bytes, or up to its NUL when len is 0) to a scratch file. */
static const char *scratch(const char *name, const char *text, size_t len)
{
	char *path;
	FILE *f;

	assert_true(g_n_written < sizeof(g_written) / sizeof(g_written[0]));
	path = g_written[g_n_written++];
	snprintf(path, sizeof(g_written[0]), "%s/%s", g_dir, name);
	if (!len)
		len = strlen(text);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int setup(void **state)
{
	snprintf(g_dir, sizeof(g_dir), "/tmp/est-import-XXXXXX");
	if (!mkdtemp(g_dir))
		return -1;
	return load_real(state);
}

static int teardown(void **state)
{
	size_t i;

	for (i = 0; i < g_n_written; i++)
		unlink(g_written[i]);
	g_n_written = 0;
	rmdir(g_dir);
	return free_real(state);
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                       */

typedef struct csv_ok {
	const char *name;
	const char *text;
	size_t n_cols, n_rows;
	const char *fields[12]; /* header, then the cells row by row */
} csv_ok;

static const csv_ok csv_ok_cases[] = {
	{"quoted commas and doubled quotes",
	 "name,quote\n\"Smith, J.\",\"He said \"\"hi\"\", twice\"\n", 2, 1,
	 {"name", "quote", "Smith, J.", "He said \"hi\", twice"}},
	{"CRLF line ends", "a,b\r\n1,2\r\n3,4\r\n", 2, 2, {"a", "b", "1", "2", "3", "4"}},
	{"empty fields", "a,b,c\n,,\n1,,\"\"\n", 3, 2, {"a", "b", "c", "", "", "", "1", "", ""}},
	{"no final line end", "a,b\n1,2", 2, 1, {"a", "b", "1", "2"}},
	{"byte order mark", "\xEF\xBB\xBF" "a,b\n1,2\n", 2, 1, {"a", "b", "1", "2"}},
	{"line break inside quotes kept", "a,b\r\n\"l1\r\nl2\",x\r\n", 2, 1,
	 {"a", "b", "l1\r\nl2", "x"}},
	{"header only", "a,b\n", 2, 0, {"a", "b"}},
	{"empty line skipped", "a\n\n1\n", 1, 1, {"a", "1"}},
	{"unnamed first column", ",timestamp\n0,2024\n", 2, 1, {"", "timestamp", "0", "2024"}},
};

static void test_csv_reads(void **state)
{
	size_t i, j;
	(void)state;

	for (i = 0; i < sizeof(csv_ok_cases) / sizeof(csv_ok_cases[0]); i++) {
		const csv_ok *k = &csv_ok_cases[i];
		est_csv *c = NULL;
		est_error err;
		est_error_clear(&err);
		if (est_csv_parse(&c, "t.csv", k->text, strlen(k->text), &err) != 0) {
			print_error("%s: %d:%d: %s\n", k->name, err.line, err.column, err.message);
			g_bad++;
			continue;
		}
		check_int(c->n_cols, k->n_cols);
		check_int(c->n_rows, k->n_rows);
		if (c->n_cols == k->n_cols && c->n_rows == k->n_rows)
			for (j = 0; j < k->n_cols * (k->n_rows + 1); j++)
				check_str(j < k->n_cols ? c->header[j].text : c->cells[j - k->n_cols].text,
					  k->fields[j]);
		est_csv_free(c);
	}
	finish();
}

/* Where fields start: line and column (characters) of the opening quote or first character. */
static void test_csv_positions(void **state)
{
	static const char text[] = "name,quote\n\"Smith, J.\",\"a\nb\",x\n";
	est_csv *c = NULL;
	est_error err;
	(void)state;

	/* header has 2 fields, so the row "Smith, J." | "a\nb" | x is too long */
	assert_int_equal(est_csv_parse(&c, "t.csv", text, strlen(text), &err), EST_EINVALID);
	check_str(err.file, "t.csv");
	check_int(err.line, 3);   /* x starts after the quoted line break */
	check_int(err.column, 4); /* b " , x */
	check_str(err.message, "row has 3 fields, the header has 2");
	assert_null(c);

	assert_int_equal(est_csv_parse(&c, "t.csv", "ä,b\nü,x\n", strlen("ä,b\nü,x\n"), &err), 0);
	check_int(est_csv_cell(c, 0, 1)->line, 2);
	check_int(est_csv_cell(c, 0, 1)->column, 3); /* ü is one character of two bytes */
	check_int(est_csv_column(c, "b"), 1);
	check_int(est_csv_column(c, "nope"), -1);
	est_csv_free(c);
	finish();
}

typedef struct csv_bad {
	const char *name;
	const char *text;
	size_t len;             /* 0: strlen(text) */
	int line, column;
	const char *message;
} csv_bad;

static const csv_bad csv_bad_cases[] = {
	{"unterminated quote", "a,b\n1,\"abc\n2,3\n", 0, 2, 3, "unterminated quoted field"},
	{"short row", "a,b,c\n1,2\n", 0, 2, 4, "row has 2 fields, the header has 3"},
	{"short row, CRLF", "a,b,c\r\n1,2,3\r\n4\r\n", 0, 3, 2, "row has 1 field, the header has 3"},
	{"long row", "a,b\n1,2,3\n", 0, 2, 5, "row has 3 fields, the header has 2"},
	{"short row after a quoted line break", "a,b,c\n\"x\ny\",2\n", 0, 3, 5,
	 "row has 2 fields, the header has 3"},
	{"empty file", "", 0, 1, 1, "empty file: no header row"},
	{"blank lines only", "\n\r\n", 0, 1, 1, "empty file: no header row"},
	{"quote inside an unquoted field", "a\nab\"c\n", 0, 2, 3,
	 "quote inside an unquoted field (quote the whole field)"},
	{"text after a closing quote", "a\n\"x\"y\n", 0, 2, 4,
	 "unexpected character after a closing quote (a quote inside a field is written \"\")"},
	{"NUL byte", "a\nx\0y\n", 6, 2, 2, "NUL byte in the file"},
	{"unterminated quote after UTF-8", "ä,b\nü,\"x\n", 0, 2, 3, "unterminated quoted field"},
	/* not UTF-8: located at the character that goes wrong, quoted or not */
	{"Latin-1 byte", "a,b\nx,caf\xE9\n", 0, 2, 6,
	 "byte 0xE9 is not UTF-8 (a CSV file must be UTF-8 text)"},
	{"Latin-1 byte in a quoted field", "a,b\nä,\"\xFF\"\n", 0, 2, 4,
	 "byte 0xFF is not UTF-8 (a CSV file must be UTF-8 text)"},
	{"lone continuation byte", "a\xBF\n", 0, 1, 2,
	 "byte 0xBF is not UTF-8 (a CSV file must be UTF-8 text)"},
	{"overlong slash", "a\n\xC0\xAF\n", 0, 2, 1,
	 "byte 0xC0 is not UTF-8 (a CSV file must be UTF-8 text)"},
	{"surrogate", "a\nü\xED\xA0\x80\n", 0, 2, 2,
	 "byte 0xED is not UTF-8 (a CSV file must be UTF-8 text)"},
	{"above U+10FFFF", "a\n\xF4\x90\x80\x80\n", 0, 2, 1,
	 "byte 0xF4 is not UTF-8 (a CSV file must be UTF-8 text)"},
	{"sequence cut by the end", "a\n\xE2\x82", 0, 2, 1,
	 "byte 0xE2 is not UTF-8 (a CSV file must be UTF-8 text)"},
};

static void test_csv_errors(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(csv_bad_cases) / sizeof(csv_bad_cases[0]); i++) {
		const csv_bad *k = &csv_bad_cases[i];
		est_csv *c = (est_csv *)&c; /* must be reset to NULL */
		est_error err;
		int rc;
		est_error_clear(&err);
		rc = est_csv_parse(&c, "bad.csv", k->text, k->len ? k->len : strlen(k->text), &err);
		if (rc != EST_EINVALID) {
			print_error("%s: status %d\n", k->name, rc);
			g_bad++;
			est_csv_free(c);
			continue;
		}
		check_true(c == NULL);
		check_str(err.file, "bad.csv");
		check_int(err.line, k->line);
		check_int(err.column, k->column);
		check_str(err.message, k->message);
	}
	finish();
}

/* Four-byte characters pass; a field cap stops a file of commas before its index fills memory. */
static void test_csv_limits(void **state)
{
	const size_t n = EST_CSV_MAX_FIELDS; /* commas: one field more than the cap */
	char *text = malloc(n + 1);
	est_csv *c = NULL;
	est_error err;
	(void)state;

	assert_int_equal(est_csv_parse(&c, "t.csv", "\xF0\x9F\x94\x8B,b\n1,2\n", 11, &err), 0);
	check_str(c->header[0].text, "\xF0\x9F\x94\x8B");
	check_int(est_csv_cell(c, 0, 1)->column, 3);
	est_csv_free(c);

	assert_non_null(text);
	memset(text, ',', n);
	text[n] = '\n';
	est_error_clear(&err);
	assert_int_equal(est_csv_parse(&c, "big.csv", text, n + 1, &err), EST_EINVALID);
	check_int(err.line, 1);
	check_int(err.column, (int)n + 1);
	check_str(err.message, "more than 4000000 fields, the limit on an imported CSV file");
	assert_null(c);
	free(text);
	finish();
}

/* Reading stops at the size cap: /dev/zero is refused at once, not read until memory runs out. */
static void test_csv_size_cap(void **state)
{
	est_csv *c = NULL;
	est_error err;
	(void)state;

	est_error_clear(&err);
	assert_int_equal(est_csv_read_file(&c, "/dev/zero", &err), EST_EINVALID);
	check_str(err.file, "/dev/zero");
	check_str(err.message, "larger than 64 MiB, the limit on an imported CSV file");
	assert_null(c);
	est_error_clear(&err);
	assert_int_equal(est_csv_read_file(&c, EST_TEST_DATA "/import", &err), EST_EIO);
	check_str(err.message, "cannot read: Is a directory");
	finish();
}

static void test_csv_missing_file(void **state)
{
	est_csv *c = NULL;
	est_error err;
	(void)state;

	assert_int_equal(est_csv_read_file(&c, EST_TEST_DATA "/import/no-such.csv", &err), EST_EIO);
	check_str(err.file, EST_TEST_DATA "/import/no-such.csv");
	check_str(err.message, "cannot open: No such file or directory");
	assert_null(c);
	finish();
}

/* ------------------------------------------------------------------------ */
/* Loading what an importer wrote                                            */

/* The file written, loaded back onto the real library. */
static est_profiles *extend(const char *path)
{
	est_profiles *ext = NULL;
	est_error err;
	const char *files[1];

	files[0] = path;
	est_error_clear(&err);
	if (est_profiles_extend(&ext, g_lib, files, 1, &err) != 0)
		fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
	return ext;
}

/* Run a one-workload scenario on h100-sxm that loads `path`; return its energy per inference. */
static double workload_energy(const char *path, const char *task, const char *model,
			      const char *deployment_extra, char *profile, size_t profile_len)
{
	char text[2048];
	est_scenario *s = NULL;
	est_result *r = NULL;
	est_error err;
	double e;

	snprintf(text, sizeof(text),
		 "name: import round trip\n"
		 "horizon: {start_year: 2026, years: 1}\n"
		 "site: {grid: DEU}\n"
		 "deployment: {accelerator: h100-sxm%s}\n"
		 "costs: {currency: EUR, exchange_rates: {USD: 0.92}}\n"
		 "measurements: [\"%s\"]\n"
		 "workloads:\n"
		 "  - {name: imported, task: %s, model: \"%s\", demand: 1000/day}\n",
		 deployment_extra, path, task, model);
	est_error_clear(&err);
	if (est_scenario_load_buffer(&s, EST_TEST_DATA "/import/inline.yaml", text, strlen(text),
				     g_lib, &err) != 0)
		fail_msg("load: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
	if (est_model_run(&r, s, g_lib, &err) != 0)
		fail_msg("run: %s", err.message);
	e = r->variants[0].workloads[0].energy_wh;
	snprintf(profile, profile_len, "%s", r->variants[0].workloads[0].profile);
	est_result_free(r);
	est_scenario_free(s);
	return e;
}

static est_import_codecarbon_opts cc_opts(void)
{
	est_import_codecarbon_opts o;

	memset(&o, 0, sizeof(o));
	o.task = "text_generation";
	o.model = MODEL;
	o.inferences = 3000;
	o.hardware = "h100-sxm";
	return o;
}

/* Import a CodeCarbon file, write it out and load it back. */
static est_profiles *import_cc(const char *csv, const est_import_codecarbon_opts *o,
			       const char *out_name, const char **out_path)
{
	char *text = NULL;
	size_t len = 0;
	est_error err;

	est_error_clear(&err);
	if (est_import_codecarbon(&text, &len, csv, o, g_lib, &err) != 0)
		fail_msg("import: %s:%d:%d: %s", err.file, err.line, err.column, err.message);
	assert_int_equal(strlen(text), len);
	*out_path = scratch(out_name, text, len);
	free(text);
	return extend(*out_path);
}

/* ------------------------------------------------------------------------ */
/* CodeCarbon                                                                */

/* The "done": the hand-written file imports to the hand sum per 1,000 inferences. */
static void test_codecarbon_hand_sum(void **state)
{
	const double sum_kwh = 0.0170 + 0.0167 + 0.0173;      /* energy_consumed */
	const double sum_gpu_kwh = 0.0150 + 0.0148 + 0.0152;  /* gpu_energy */
	const double sum_s = 120.5 + 118.25 + 121.0;          /* duration x gpu_count 1 */
	const double n = 3000;
	const double kwh_per_1k = sum_kwh / (n / 1000);       /* = 0.0170 */
	est_import_codecarbon_opts o = cc_opts();
	const est_model_profile *m;
	const char *path;
	char profile[256];
	est_profiles *ext;
	(void)state;

	check_close(kwh_per_1k, 0.0170);
	ext = import_cc(CC_FIXTURE, &o, "cc.yaml", &path);
	m = est_profiles_model(ext, "codecarbon-5f3c2a9e/text_generation/acme-llama-3.1-8b-finetuned");
	assert_non_null(m);
	/* Wh per inference is numerically kWh per 1,000 inferences */
	check_close(m->energy_wh, kwh_per_1k);
	check_close(m->energy_wh, sum_kwh * 1000 / n);
	check_close(m->gpu_energy_wh, sum_gpu_kwh * 1000 / n);
	check_close(m->time_s, sum_s * 1 / n);
	check_str(m->task, "text_generation");
	check_str(m->model, MODEL);
	check_int(m->kind, EST_MODEL_TASK_SPECIFIC);
	check_int(m->boundary, EST_BOUNDARY_NODE);          /* pue 1.0 in every row */
	check_str(m->hardware->id, "h100-sxm");
	check_int(m->gpus, 1);
	check_int(m->sources.count, 1);
	check_str(m->sources.items[0]->id, "codecarbon-5f3c2a9e");
	check_str(m->sources.items[0]->title, "CodeCarbon measurement of " MODEL);
	check_int(m->sources.items[0]->year, 2025);
	check_str(m->sources.items[0]->locator,
		  "emissions.csv, run ids 5f3c2a9e-8b1d-4c7e-9a2f-1d6e0b4c3a7f, "
		  "0a7d4e21-6c3b-4f8a-b5d9-2e1f7c8a9b04, c91b5f08-2e4d-4a6b-8c3f-7d0e9a1b2c56");
	check_true(strstr(m->notes, "project \"llama-3.1-8b, batch 1\"") != NULL);
	est_profiles_free(ext);

	/*
	 * round trip: a scenario naming the model runs on the imported figure,
	 * decomposed as docs/model.md section 2 says for a node record with a GPU
	 * reading, deployed on the same H100 SXM (DGX H100, the default server):
	 *   e_a    = e_GPU = 0.0450 kWh x 1000 / 3000 = 0.0150 Wh (one GPU in the
	 *            node and it is busy: no idle GPU to remove; the rest, 0.0020 Wh,
	 *            is the measuring host's CPU and RAM, not charged)
	 *   t_w    = t_0 = 359.75 s / 3000 = 0.119917 s (same accelerator: h = 1)
	 *   bound  : 0.0150 Wh x 3600 / 0.119917 s = 450.3 W, inside [79.1 W, 700 W]
	 *            (R §3.1 700 W; idle 700 x 46/407 = 79.1 W, docs/model.md section 2)
	 *   e_acc  = 0.0150 - 79.1 W x 0.119917 s / 3600 = 0.0123652 Wh
	 *   e_host = 0.3 x 0.0123652 = 0.00370955 Wh, under the host cap
	 *            (10,200 - 968.6 - 8 x 700) W / 8 x 0.119917 s / 3600 = 0.0151203 Wh
	 *            (R §3.2 10.2 kW; host idle 224 x 0.74 + 2,048 x 0.392 = 968.6 W, CCF rule)
	 *   e_w    = 1.3 x 0.0123652 = 0.0160747 Wh
	 */
	{
		const double idle_w = 79.1, t_w = sum_s * 1 / n;
		const double e_acc = sum_gpu_kwh * 1000 / n - idle_w * t_w / 3600;
		check_close(e_acc, 0.015 - 79.1 * 0.11991666666666667 / 3600);
		check_close(workload_energy(path, "text_generation", MODEL, "", profile, sizeof(profile)),
			    1.3 * e_acc);
	}
	check_str(profile, "codecarbon-5f3c2a9e/text_generation/acme-llama-3.1-8b-finetuned");
	finish();
}

/* The emissions.csv header, v3.3.0 order; rows are filled in per test. */
static const char cc_header[] =
	"timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,"
	"cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy,energy_consumed,"
	"water_consumed,country_name,country_iso_code,region,cloud_provider,cloud_region,os,"
	"python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,longitude,"
	"latitude,ram_total_size,tracking_mode,cpu_utilization_percent,gpu_utilization_percent,"
	"ram_utilization_percent,ram_used_gb,on_cloud,pue,wue\n";

/* One row: the columns the importer reads, the others plausible. */
static void cc_row(char *buf, size_t len, const char *run, double duration, double energy,
		   double gpu_energy, const char *gpu_count, const char *gpu_model, const char *pue)
{
	snprintf(buf, len,
		 "2024-11-02T09:00:00,bench,%s,exp-1,%.17g,0.001,1e-05,40,400,20,0.001,%.17g,0.001,"
		 "%.17g,0,France,FRA,,,,Linux,3.12.0,3.3.0,64,AMD EPYC,%s,%s,2.3,48.8,512,machine,"
		 "10,90,5,30,N,%s,0\n",
		 run, duration, gpu_energy, energy, gpu_count, gpu_model, pue);
}

/* Two runs on two A100s named as the library names them; the PUE 1.2 makes it facility. */
static void test_codecarbon_named_gpu_and_pue(void **state)
{
	const est_accelerator *a100 = est_profiles_accelerator(g_lib, "a100-sxm4-80gb");
	est_import_codecarbon_opts o = cc_opts();
	const est_model_profile *m;
	char text[4096], row[1024], model[128], profile[256];
	const char *path;
	est_profiles *ext;
	size_t n;
	(void)state;

	assert_non_null(a100);
	snprintf(model, sizeof(model), "\"2 x %s\"", a100->name);
	n = (size_t)snprintf(text, sizeof(text), "%s", cc_header);
	cc_row(row, sizeof(row), "ab12cd34-0000-0000-0000-000000000001", 100, 0.024, 0.018, "2", model, "1.2");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", row);
	cc_row(row, sizeof(row), "ab12cd34-0000-0000-0000-000000000002", 50, 0.012, 0.009, "2.0", model, "1.2");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", row);
	o.hardware = NULL;
	o.kind = EST_MODEL_MULTI_PURPOSE;
	o.id = "my/own-id";
	o.inferences = 500;
	ext = import_cc(scratch("named.csv", text, n), &o, "named.yaml", &path);
	m = est_profiles_model(ext, "my/own-id");
	assert_non_null(m);
	/* (0.024 + 0.012) kWh x 1000 / 500 = 0.072 Wh; GPU (0.018 + 0.009) x 2 = 0.054 Wh */
	check_close(m->energy_wh, (0.024 + 0.012) * 1000 / 500);
	check_close(m->gpu_energy_wh, (0.018 + 0.009) * 1000 / 500);
	/* (100 + 50) s x 2 GPUs / 500 = 0.6 device-seconds */
	check_close(m->time_s, (100.0 + 50.0) * 2 / 500);
	check_int(m->gpus, 2);
	check_int(m->boundary, EST_BOUNDARY_FACILITY);
	check_int(m->kind, EST_MODEL_MULTI_PURPOSE);
	check_true(m->hardware == est_profiles_accelerator(ext, "a100-sxm4-80gb"));
	check_str(m->sources.items[0]->id, "codecarbon-ab12cd34");
	check_int(m->sources.items[0]->year, 2024);
	check_str(m->sources.items[0]->locator,
		  "named.csv, run ids ab12cd34-0000-0000-0000-000000000001, "
		  "ab12cd34-0000-0000-0000-000000000002");
	check_true(strstr(m->notes, "PUE 1.2") != NULL);
	est_profiles_free(ext);

	/* a scenario finds the record by the id given with --id */
	(void)workload_energy(path, "text_generation", "my/own-id", "", profile, sizeof(profile));
	check_str(profile, "my/own-id");
	finish();
}

/* Python-list gpu_model, one row without gpu_count: no time is written. */
static void test_codecarbon_list_gpu_model_no_time(void **state)
{
	const est_accelerator *a100 = est_profiles_accelerator(g_lib, "a100-sxm4-80gb");
	est_import_codecarbon_opts o = cc_opts();
	const est_model_profile *m;
	char text[4096], row[1024], model[160];
	const char *path;
	est_profiles *ext;
	size_t n;
	(void)state;

	snprintf(model, sizeof(model), "\"['%s', '%s']\"", a100->name, a100->name);
	n = (size_t)snprintf(text, sizeof(text), "%s", cc_header);
	cc_row(row, sizeof(row), "0123456789", 10, 0.5, 0.25, "", model, "1.0");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", row);
	o.hardware = NULL;
	o.inferences = 1000;
	ext = import_cc(scratch("list.csv", text, n), &o, "list.yaml", &path);
	m = est_profiles_model(ext, "codecarbon-01234567/text_generation/acme-llama-3.1-8b-finetuned");
	assert_non_null(m);
	check_close(m->energy_wh, 0.5 * 1000 / 1000);
	check_true(m->time_s == 0);
	check_int(m->gpus, 1); /* the loader's default when none is written */
	check_true(m->hardware == est_profiles_accelerator(ext, "a100-sxm4-80gb"));
	check_str(m->sources.items[0]->locator, "list.csv, run id 0123456789");
	est_profiles_free(ext);
	finish();
}

/* 22 runs of 0.001 kWh and 2 s each: 20 run ids are listed, then the count. */
static void test_codecarbon_many_runs(void **state)
{
	est_import_codecarbon_opts o = cc_opts();
	const est_model_profile *m;
	char text[16384], row[1024], run[16], want[1024];
	const char *path;
	est_profiles *ext;
	size_t n, w, i;
	(void)state;

	n = (size_t)snprintf(text, sizeof(text), "%s", cc_header);
	w = (size_t)snprintf(want, sizeof(want), "many.csv, run ids ");
	for (i = 1; i <= 22; i++) {
		snprintf(run, sizeof(run), "run-%02zu", i);
		cc_row(row, sizeof(row), run, 2, 0.001, 0.0005, "1", "x", "1");
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", row);
		if (i <= 20)
			w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%s", i > 1 ? ", " : "", run);
	}
	snprintf(want + w, sizeof(want) - w, " ... (22 runs in all)");
	o.inferences = 2200;
	ext = import_cc(scratch("many.csv", text, n), &o, "many.yaml", &path);
	m = est_profiles_model(ext, "codecarbon-run-01/text_generation/acme-llama-3.1-8b-finetuned");
	assert_non_null(m);
	/* 22 x 0.001 kWh x 1000 / 2200 = 0.01 Wh; 22 x 2 s x 1 GPU / 2200 = 0.02 s */
	check_close(m->energy_wh, 22 * 0.001 * 1000 / 2200);
	check_close(m->time_s, 22 * 2.0 / 2200);
	check_str(m->sources.items[0]->locator, want);
	est_profiles_free(ext);
	finish();
}

typedef struct cc_bad {
	const char *name;
	const char *gpu_model;     /* the cell, CSV-quoted when needed */
	const char *duration;      /* the cell */
	int status, line, column;
	const char *message;
} cc_bad;

static void test_codecarbon_errors(void **state)
{
	/* gpu_model is the 27th field: its cell starts at character 137, duration's at 39 */
	static const cc_bad cases[] = {
		{"unknown GPU", "1 x NVIDIA GeForce RTX 3090", "10", EST_EINVALID, 2, 137,
		 "gpu_model 'NVIDIA GeForce RTX 3090' is not a known accelerator; give its id with --hardware ID"},
		{"no GPU", "", "10", EST_EINVALID, 2, 137,
		 "gpu_model '' names no GPU; give the accelerator id with --hardware ID"},
		{"mixed GPUs", "1 x NVIDIA A1001 x NVIDIA H100", "10", EST_EINVALID, 2, 137,
		 "gpu_model '1 x NVIDIA A1001 x NVIDIA H100' names several GPU models; give the accelerator id with --hardware ID"},
		{"duration not a number", "1 x X", "ten", EST_EINVALID, 2, 39,
		 "duration: 'ten' is not a number"},
	};
	est_import_codecarbon_opts o = cc_opts();
	size_t i;
	(void)state;

	o.hardware = NULL;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[4096], name[32], *out = NULL, *dur;
		const char *path;
		est_error err;
		size_t n;
		int rc;
		n = (size_t)snprintf(text, sizeof(text), "%s", cc_header);
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "2024-11-02T09:00:00,bench,run-1,exp-1,@,0.001,1e-05,40,400,20,0.001,"
				      "0.001,0.001,0.003,0,France,FRA,,,,Linux,3.12.0,3.3.0,64,AMD EPYC,1,%s,"
				      "2.3,48.8,512,machine,10,90,5,30,N,1.0,0\n",
				      cases[i].gpu_model);
		dur = strchr(text + sizeof(cc_header) - 1, '@');
		memmove(dur + strlen(cases[i].duration), dur + 1, strlen(dur + 1) + 1);
		memcpy(dur, cases[i].duration, strlen(cases[i].duration));
		n = strlen(text);
		snprintf(name, sizeof(name), "bad-%zu.csv", i);
		path = scratch(name, text, n);
		est_error_clear(&err);
		rc = est_import_codecarbon(&out, NULL, path, &o, g_lib, &err);
		check_int(rc, cases[i].status);
		check_true(out == NULL);
		check_str(err.file, path);
		check_int(err.line, cases[i].line);
		check_int(err.column, cases[i].column);
		check_str(err.message, cases[i].message);
	}
	finish();
}

/* The column where field k (0-based) of an unquoted CSV row starts. */
static int field_column(const char *row, int k)
{
	int column = 1;

	for (; k > 0; row++, column++)
		if (*row == ',')
			k--;
	return column;
}

/* The header field index of name in cc_header. */
static int cc_index(const char *name)
{
	char want[64];
	const char *at;
	int k = 0;

	snprintf(want, sizeof(want), ",%s,", name);
	at = strstr(cc_header, want);
	assert_non_null(at);
	for (const char *p = cc_header; p <= at; p++)
		k += *p == ',';
	return k;
}

typedef struct cc_range {
	const char *column;
	double duration, energy, gpu_energy;
	const char *gpu_count, *pue;
	const char *message;
} cc_range;

/* Figures outside what a measurement can be are located errors that state both bounds. */
static void test_codecarbon_ranges(void **state)
{
	static const cc_range cases[] = {
		{"gpu_count", 10, 0.5, 0.25, "1e9", "1", "gpu_count: '1e9' is not a whole number from 0 to 4096"},
		{"gpu_count", 10, 0.5, 0.25, "1.5", "1", "gpu_count: '1.5' is not a whole number from 0 to 4096"},
		{"gpu_count", 10, 0.5, 0.25, "-1", "1", "gpu_count: '-1' is not a whole number from 0 to 4096"},
		{"gpu_count", 10, 0.5, 0.25, "0x10", "1", "gpu_count: '0x10' is not a number"},
		{"pue", 10, 0.5, 0.25, "1", "1e308", "pue: '1e308' is not a number from 1 to 10"},
		{"pue", 10, 0.5, 0.25, "1", "0.9", "pue: '0.9' is not a number from 1 to 10"},
		{"energy_consumed", 10, -0.5, 0.25, "1", "1", "energy_consumed: '-0.5' is not a number of kWh from 0 to 1e9"},
		{"energy_consumed", 10, 1e300, 0.25, "1", "1", "energy_consumed: '1.0000000000000001e+300' is not a number of kWh from 0 to 1e9"},
		{"gpu_energy", 10, 0.5, 2e9, "1", "1", "gpu_energy: '2000000000' is not a number of kWh from 0 to 1e9"},
		{"duration", 0, 0.5, 0.25, "1", "1", "duration: '0' is not a number of seconds above 0 and up to 1e9"},
		{"duration", 1e10, 0.5, 0.25, "1", "1", "duration: '10000000000' is not a number of seconds above 0 and up to 1e9"},
	};
	est_import_codecarbon_opts o = cc_opts();
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const cc_range *k = &cases[i];
		char text[4096], row[1024], name[32], *out = NULL;
		const char *path;
		est_error err;
		size_t n;

		n = (size_t)snprintf(text, sizeof(text), "%s", cc_header);
		cc_row(row, sizeof(row), "run-1", k->duration, k->energy, k->gpu_energy, k->gpu_count,
		       "x", k->pue);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", row);
		snprintf(name, sizeof(name), "range-%zu.csv", i);
		path = scratch(name, text, n);
		est_error_clear(&err);
		check_int(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
		check_true(out == NULL);
		check_int(err.line, 2);
		check_int(err.column, field_column(row, cc_index(k->column)));
		check_str(err.message, k->message);
	}
	finish();
}

/*
 * 200,000 rows, each its own model: grouping, dataset lists and record ids
 * are hashed, so this takes well under a second (it was quadratic: minutes).
 */
static void test_aes_many_models(void **state)
{
	const size_t rows = 200000;
	est_buf b;
	char *out = NULL;
	const char *path;
	est_error err;
	size_t i, len = 0;
	(void)state;

	est_buf_init(&b);
	est_buf_puts(&b, ",timestamp,task,model,dataset,total_gpu_energy\n");
	for (i = 0; i < rows; i++)
		est_buf_printf(&b, "%zu,2024-09-10,asr,org/m%zu,d%zu,0.5\n", i, i, i % 7);
	assert_false(b.failed);
	path = scratch("aes-many.csv", b.ptr, b.len);
	est_error_clear(&err);
	check_int(est_import_ai_energy_score(&out, &len, path, g_lib, &err), 0);
	assert_non_null(out);
	check_true(strstr(out, "aienergyscore-aes-many/asr/org-m199999") != NULL);
	free(out);
	est_buf_dispose(&b);
	finish();
}

static void test_codecarbon_usage_errors(void **state)
{
	est_import_codecarbon_opts o;
	est_error err;
	char *out = NULL;
	(void)state;

	o = cc_opts();
	o.task = "text_generaton";
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	check_str(err.message, "unknown task 'text_generaton'; did you mean 'text_generation'?");
	o = cc_opts();
	o.inferences = 0;
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	check_str(err.message, "the number of inferences must be a whole number from 1 to 1e12, got 0");
	o = cc_opts();
	o.inferences = -5;
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	o.inferences = 1e-300;
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	check_str(err.message,
		  "the number of inferences must be a whole number from 1 to 1e12, got 1e-300");
	o.inferences = 1.5;
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	o.inferences = 2e12;
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	o.inferences = 1e12;
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), 0);
	free(out);
	out = NULL;
	o = cc_opts();
	o.hardware = "h100-smx";
	assert_int_equal(est_import_codecarbon(&out, NULL, CC_FIXTURE, &o, g_lib, &err), EST_EUSAGE);
	check_str(err.message, "unknown accelerator 'h100-smx'; did you mean 'h100-sxm'?");
	o = cc_opts();
	assert_int_equal(est_import_codecarbon(&out, NULL, EST_TEST_DATA "/import/none.csv", &o,
					       g_lib, &err),
			 EST_EIO);
	assert_null(out);
	finish();
}

static void test_codecarbon_bad_files(void **state)
{
	est_import_codecarbon_opts o = cc_opts();
	est_error err;
	char *out = NULL;
	const char *path;
	(void)state;

	/* a required column missing, with the nearest name suggested */
	path = scratch("nocol.csv", "timestamp,run_id,duration,energy_consumd\n2024-01-01,r,1,1\n", 0);
	assert_int_equal(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
	check_int(err.line, 1);
	check_int(err.column, 1);
	check_str(err.message,
		  "no column 'energy_consumed' (CodeCarbon emissions.csv); did you mean 'energy_consumd'?");
	/* a malformed CSV: located, nothing written */
	path = scratch("quote.csv", "timestamp,run_id,duration,energy_consumed\n2024-01-01,\"r,1,1\n", 0);
	assert_int_equal(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
	check_int(err.line, 2);
	check_int(err.column, 12);
	check_str(err.message, "unterminated quoted field");
	assert_null(out);
	/* a header and no rows */
	path = scratch("empty.csv", "timestamp,run_id,duration,energy_consumed\n", 0);
	assert_int_equal(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
	check_str(err.message, "no rows after the header: nothing to import");
	/* nothing measured */
	path = scratch("zero.csv", "timestamp,run_id,duration,energy_consumed\n2024-01-01,r,1,0\n", 0);
	assert_int_equal(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
	check_int(err.line, 1);
	check_int(err.column, 27); /* "timestamp,run_id,duration," is 26 characters */
	check_str(err.message, "energy_consumed sums to 0 kWh: nothing was measured");
	/* no year in the first timestamp */
	path = scratch("year.csv", "timestamp,run_id,duration,energy_consumed\nyesterday,r,1,1\n", 0);
	assert_int_equal(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
	check_int(err.line, 2);
	check_int(err.column, 1);
	check_str(err.message, "timestamp: 'yesterday' does not start with a year (YYYY-MM-DD...)");
	/* no gpu_model column and no --hardware */
	o.hardware = NULL;
	path = scratch("nogpu.csv", "timestamp,run_id,duration,energy_consumed\n2024-01-01,r,1,1\n", 0);
	assert_int_equal(est_import_codecarbon(&out, NULL, path, &o, g_lib, &err), EST_EINVALID);
	check_str(err.message, "no gpu_model column names the accelerator; give its id with --hardware ID");
	assert_null(out);
	finish();
}

/* ------------------------------------------------------------------------ */
/* AI Energy Score                                                           */

static void test_aes_means(void **state)
{
	const char *src = "aienergyscore-aes-leaderboard";
	const est_model_profile *m;
	char *text = NULL, profile[256];
	const char *path;
	est_profiles *ext;
	est_error err;
	size_t len = 0;
	(void)state;

	est_error_clear(&err);
	if (est_import_ai_energy_score(&text, &len, AES_FIXTURE, g_lib, &err) != 0)
		fail_msg("%s:%d:%d: %s", err.file, err.line, err.column, err.message);
	path = scratch("aes.yaml", text, len);
	free(text);
	ext = extend(path);

	/* gpt2: two rows, (0.00234 + 0.00238) / 2 kWh per 1,000 queries = Wh per query */
	m = est_profiles_model(ext, "aienergyscore-aes-leaderboard/text_generation/openai-community-gpt2");
	assert_non_null(m);
	check_close(m->energy_wh, (0.00234 + 0.00238) / 2);
	check_close(m->energy_min_wh, 0.00234);
	check_close(m->energy_max_wh, 0.00238);
	check_int(m->boundary, EST_BOUNDARY_GPU);
	check_str(m->hardware->id, "h100-sxm");
	check_int(m->batch_size, 1);
	check_int(m->kind, EST_MODEL_TASK_SPECIFIC);
	check_str(m->sources.items[0]->id, src);
	check_int(m->sources.items[0]->year, 2024);
	check_str(m->sources.items[0]->locator,
		  "aes-leaderboard.csv, timestamps 2024-09-10T12:00:01 to 2024-09-12T09:00:00");
	/* question_answering is the library's extractive_qa */
	m = est_profiles_model(ext, "aienergyscore-aes-leaderboard/extractive_qa/"
				    "distilbert-distilbert-base-cased-distilled-squad");
	assert_non_null(m);
	check_str(m->task, "extractive_qa");
	check_close(m->energy_wh, 0.000412);
	check_true(m->energy_min_wh == 0 && m->energy_max_wh == 0);
	m = est_profiles_model(ext, "aienergyscore-aes-leaderboard/image_generation/stabilityai-sdxl-turbo");
	assert_non_null(m);
	check_close(m->energy_wh, 0.3856);
	est_profiles_free(ext);

	/*
	 * round trip on the same H100 SXM (docs/model.md section 2): a GPU-only
	 * figure is the accelerator energy as is, e_a = 0.3856 Wh; without a
	 * measured time, t_0 = e_a x 3600 / 700 W = 1.98309 s (at maximum power,
	 * so exactly at the bound, not above it). What the inference adds above
	 * idle is e_acc = 0.3856 - 79.1 W x 1.98309 s / 3600 = 0.3856 x (1 - 79.1/700)
	 * = 0.342027 Wh. With gpu_to_node 1 there is no host share: e_w = e_acc.
	 */
	check_close(workload_energy(path, "image_generation",
				    "aienergyscore-aes-leaderboard/image_generation/stabilityai-sdxl-turbo",
				    ", gpu_to_node: 1", profile, sizeof(profile)),
		    0.3856 * (1 - 79.1 / 700));
	check_str(profile, "aienergyscore-aes-leaderboard/image_generation/stabilityai-sdxl-turbo");
	/*
	 * With the library's gpu_to_node 1.3 the host adds 0.3 x 0.342027 =
	 * 0.102608 Wh, under its cap (10,200 - 968.6 - 8 x 700) W / 8 x 1.98309 s
	 * / 3600 = 0.250048 Wh: e_w = 1.3 x 0.342027 = 0.444635 Wh.
	 */
	check_close(workload_energy(path, "image_generation",
				    "aienergyscore-aes-leaderboard/image_generation/stabilityai-sdxl-turbo",
				    "", profile, sizeof(profile)),
		    1.3 * 0.3856 * (1 - 79.1 / 700));
	finish();
}

static void test_aes_errors(void **state)
{
	static const char header[] = ",timestamp,task,model,dataset,total_gpu_energy\n";
	char text[512], *out = NULL;
	const char *path;
	est_error err;
	int n;
	(void)state;

	n = snprintf(text, sizeof(text), "%s0,2024-09-10,text_generation,a/b,d,0.1\n"
					 "1,2024-09-10,text_generaton,a/b,d,0.1\n", header);
	path = scratch("aes-task.csv", text, (size_t)n);
	assert_int_equal(est_import_ai_energy_score(&out, NULL, path, g_lib, &err), EST_EINVALID);
	check_int(err.line, 3);
	check_int(err.column, 14); /* after "1,2024-09-10," */
	check_str(err.message, "unknown AI Energy Score task 'text_generaton'; did you mean 'text_generation'?");
	assert_null(out);

	n = snprintf(text, sizeof(text), "%s0,2024-09-10,sentence_similarity,a/b,d,0.1\n", header);
	path = scratch("aes-sts.csv", text, (size_t)n);
	if (!est_profiles_task(g_lib, "sentence_similarity")) {
		assert_int_equal(est_import_ai_energy_score(&out, NULL, path, g_lib, &err), EST_EINVALID);
		check_int(err.line, 2);
		check_int(err.column, 14);
		check_str(err.message,
			  "task 'sentence_similarity': the profile library has no task 'sentence_similarity'");
	}

	n = snprintf(text, sizeof(text), "%s0,2024-09-10,asr,a/b,d,lots\n", header);
	path = scratch("aes-num.csv", text, (size_t)n);
	assert_int_equal(est_import_ai_energy_score(&out, NULL, path, g_lib, &err), EST_EINVALID);
	check_int(err.line, 2);
	check_int(err.column, 24); /* after "0,2024-09-10,asr,a/b,d," */
	check_str(err.message, "total_gpu_energy: 'lots' is not a number");

	n = snprintf(text, sizeof(text), ",model,total_gpu_energy,energy_score,class\n0,a/b,0.1,5,a\n");
	path = scratch("aes-label.csv", text, (size_t)n);
	assert_int_equal(est_import_ai_energy_score(&out, NULL, path, g_lib, &err), EST_EINVALID);
	check_str(err.message, "no column 'timestamp' (AI Energy Score results)");
	assert_null(out);
	finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_reads),
		cmocka_unit_test(test_csv_positions),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_size_cap),
		cmocka_unit_test(test_csv_missing_file),
		cmocka_unit_test(test_codecarbon_hand_sum),
		cmocka_unit_test(test_codecarbon_named_gpu_and_pue),
		cmocka_unit_test(test_codecarbon_list_gpu_model_no_time),
		cmocka_unit_test(test_codecarbon_many_runs),
		cmocka_unit_test(test_codecarbon_errors),
		cmocka_unit_test(test_codecarbon_ranges),
		cmocka_unit_test(test_codecarbon_usage_errors),
		cmocka_unit_test(test_codecarbon_bad_files),
		cmocka_unit_test(test_aes_means),
		cmocka_unit_test(test_aes_errors),
		cmocka_unit_test(test_aes_many_models),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
