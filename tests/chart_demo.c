/*
 * Writes demo charts of every kind (and the awkward cases: hostile names,
 * an all-zero series, a single category, huge and tiny magnitudes, thirty
 * years, negative values) to a folder: for each, ID.svg, ID.html (a page
 * with the chart and its HTML table) and ID.md (its Markdown table), and
 * index.html with them all. tests/check_chart_svg.py parses them.
 *
 * Usage: chart_demo DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"

static const char *const years[] = {"2026", "2027", "2028", "2029", "2030",
				    "2031", "2032", "2033", "2034", "2035"};

static const double it_kw[] = {120, 180, 260, 340, 410, 470, 520, 560, 590, 610};
static const double facility_kw[] = {168, 248, 351, 452, 537, 606, 660, 706, 737, 756};
static const double existing_kw[] = {400, 400, 400, 400, 400, 400, 400, 400, 400, 400};
static const double upgraded_kw[] = {400, 400, 400, 800, 800, 800, 800, 800, 800, 800};
static const est_chart_series power[] = {
	{"IT power", it_kw, NULL, NULL, 0},
	{"Facility power", facility_kw, NULL, NULL, 0},
	{"Existing capacity", existing_kw, NULL, NULL, 1},
	{"After the 2029 upgrade", upgraded_kw, NULL, NULL, 1},
};

static const double location_t[] = {310, 420, 560, 690, 780, 830, 860, 870, 880, 880};
static const double market_t[] = {250, 330, 400, 420, 380, 300, 210, 150, 90, 60};
static const est_chart_series scope2[] = {
	{"Location-based", location_t, NULL, NULL, 0},
	{"Market-based", market_t, NULL, NULL, 0},
};

static const double hot_tb[] = {40, 55, 70, 90, 110, 130, 150, 170, 190, 210};
static const double warm_tb[] = {80, 100, 130, 160, 190, 220, 250, 280, 310, 340};
static const double cold_tb[] = {0, 0, 50, 120, 200, 280, 360, 450, 540, 630};
static const est_chart_series storage[] = {
	{"Hot (NVMe)", hot_tb, NULL, NULL, 0},
	{"Warm (SSD)", warm_tb, NULL, NULL, 0},
	{"Cold (HDD)", cold_tb, NULL, NULL, 0},
};

static const double chat_m[] = {12, 18, 25, 31, 36, 40, 43, 45, 46, 47};
static const double docs_m[] = {5, 9, 14, 20, 26, 31, 35, 38, 40, 41};
static const double images_m[] = {0.5, 1, 2, 4, 7, 10, 13, 15, 16, 17};
static const est_chart_series demand[] = {
	{"Assistant chat", chat_m, NULL, NULL, 0},
	{"Document summaries", docs_m, NULL, NULL, 0},
	{"Image generation", images_m, NULL, NULL, 0},
};

static const double base_t[] = {300, 380, 450, 510, 560, 600, 630, 650, 665, 675};
static const double base_lo[] = {270, 320, 360, 390, 410, 420, 425, 428, 430, 431};
static const double base_hi[] = {335, 455, 570, 680, 780, 870, 950, 1010, 1060, 1100};
static const double green_t[] = {300, 340, 360, 350, 330, 300, 270, 240, 220, 200};
static const double green_lo[] = {275, 295, 300, 280, 250, 215, 180, 150, 130, 110};
static const double green_hi[] = {330, 395, 440, 450, 450, 440, 420, 400, 385, 370};
static const est_chart_series fan[] = {
	{"Base", base_t, base_lo, base_hi, 0},
	{"Green tariff", green_t, green_lo, green_hi, 0},
};

static const char *const inputs[] = {"Demand growth", "Grid intensity", "PUE",
				     "Energy per inference", "Server lifetime", "Utilisation"};
static const double at_low[] = {410, 455, 520, 500, 560, 575};
static const double at_high[] = {820, 745, 690, 660, 590, 545};
static const est_chart_series tornado[] = {
	{"Input at p5", at_low, NULL, NULL, 0},
	{"Input at p95", at_high, NULL, NULL, 0},
};

static const char *const variants[] = {"Base", "Green tariff", "Colocation", "Cloud (eu-west-1)",
				       "Cloud (us-east-1)"};
static const double capex_keur[] = {2400, 2400, 1500, 0, 0};
static const double tco_keur[] = {4100, 4350, 3900, 5200, 4800};
static const double emissions_t[] = {6100, 2300, 4200, 3100, 7400};
static const est_chart_series dots[] = {
	{"Capex", capex_keur, NULL, NULL, 0},
	{"Total cost of ownership", tco_keur, NULL, NULL, 0},
};
static const est_chart_series scatter[] = {
	{"Total cost of ownership", tco_keur, NULL, NULL, 0},
	{"Emissions", emissions_t, NULL, NULL, 0},
};

static const char *const hostile_cats[] = {"<b>bold</b>", "a & b", "\"quoted\" 'single'",
					   "tab\there", "| pipe * star _under_"};
static const double hostile_v[] = {1, 2, 3, 4, 5};
static const est_chart_series hostile[] = {
	{"<script>alert(\"x\")</script>", hostile_v, NULL, NULL, 0},
	{"Caf\xc3\xa9 & co \xff (bad byte)", hostile_v, NULL, NULL, 0},
};

static const double zeros[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const est_chart_series zero[] = {{"Nothing yet", zeros, NULL, NULL, 0}};

static const char *const one_year[] = {"2026"};
static const double one_a[] = {3}, one_b[] = {1.5};
static const est_chart_series single[] = {
	{"Servers", one_a, NULL, NULL, 0},
	{"Network", one_b, NULL, NULL, 0},
};

static const double huge_wh[] = {2.5e12, 7.1e12, 1.3e13, 9.9e12, 4e12, 3e12, 2e12, 1e12, 5e11, 1e11};
static const est_chart_series huge[] = {{"Energy", huge_wh, NULL, NULL, 0}};
static const double tiny_kg[] = {3.1e-6, 2.9e-6, 2.7e-6, 2.5e-6, 2.2e-6, 2.0e-6, 1.9e-6, 1.8e-6,
				 1.7e-6, 1.6e-6};
static const est_chart_series tiny[] = {{"SCI per inference", tiny_kg, NULL, NULL, 0}};

static const char *const thirty[] = {
	"2026", "2027", "2028", "2029", "2030", "2031", "2032", "2033", "2034", "2035",
	"2036", "2037", "2038", "2039", "2040", "2041", "2042", "2043", "2044", "2045",
	"2046", "2047", "2048", "2049", "2050", "2051", "2052", "2053", "2054", "2055"};
static double wue[30], pue[30];
static const est_chart_series site[] = {
	{"PUE", pue, NULL, NULL, 0},
	{"WUE (L/kWh)", wue, NULL, NULL, 0},
};

static const double net_keur[] = {-1200, -300, 150, 420, 610, 700, -80, 520, 640, 710};
static const est_chart_series net[] = {{"Net saving", net_keur, NULL, NULL, 0}};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const est_chart charts[] = {
	{EST_CHART_LINES, "power", "Power against capacity",
	 "IT and facility power each year against the existing 400 kW supply and the 800 kW after "
	 "the 2029 upgrade.", "Year", "Power (kW)", years, 10, power, N(power), 0},
	{EST_CHART_COLUMNS, "scope2", "Scope 2 emissions, location- and market-based",
	 "Location-based emissions rise with demand; market-based fall as renewable contracts grow.",
	 "Year", "Emissions (tCO2e)", years, 10, scope2, N(scope2), 0},
	{EST_CHART_STACKED, "storage", "Storage by kind",
	 "Storage installed each year by kind; cold storage starts in 2028.", "Year",
	 "Storage (TB)", years, 10, storage, N(storage), 0},
	{EST_CHART_AREA, "demand", "Demand per workload",
	 "Inferences per year for each workload, stacked.", "Year",
	 "Inferences (millions a year)", years, 10, demand, N(demand), 0},
	{EST_CHART_BAND, "fan", "Emissions with their 90% range",
	 "Median emissions with the 5th to 95th percentile band of 5,000 samples, base and green "
	 "tariff.", "Year", "Emissions (tCO2e)", years, 10, fan, N(fan), 0},
	{EST_CHART_TORNADO, "tornado", "What moves total emissions",
	 "Total emissions with each uncertain input at its 5th and 95th percentile, the others at "
	 "their medians; largest swing first.", "Input", "Total emissions (tCO2e)", inputs,
	 N(inputs), tornado, N(tornado), 560},
	{EST_CHART_DOTS, "alternatives", "Cost of the alternatives",
	 "Capex and ten-year total cost of ownership of each alternative.", "Alternative",
	 "Cost (kEUR)", variants, N(variants), dots, N(dots), 0},
	{EST_CHART_SCATTER, "cost-emissions", "Cost against emissions",
	 "Each alternative's ten-year cost and emissions; lower left is better.",
	 "Total cost of ownership (kEUR)", "Emissions (tCO2e)", variants, N(variants), scatter,
	 N(scatter), 0},
	{EST_CHART_COLUMNS, "hostile", "Names <with> & \"markup\" 'quotes' | pipes",
	 "Every name here is hostile: <script>, & and quotes must come out as text.",
	 "Category <x>", "Value & <unit>", hostile_cats, N(hostile_cats), hostile, N(hostile), 0},
	{EST_CHART_LINES, "zero", "An all-zero series", "Nothing is drawn above zero.", "Year",
	 "Power (kW)", years, 10, zero, N(zero), 0},
	{EST_CHART_STACKED, "single", "A single year", "One category, two stacked series.",
	 "Year", "Capex (MEUR)", one_year, 1, single, N(single), 0},
	{EST_CHART_LINES, "single-line", "A single year as a line",
	 "One category: a level across the plot and its marker.", "Year", "Capex (MEUR)",
	 one_year, 1, single, N(single), 0},
	{EST_CHART_COLUMNS, "huge", "Huge values", "Facility energy in watt-hours.", "Year",
	 "Energy (Wh)", years, 10, huge, N(huge), 0},
	{EST_CHART_LINES, "tiny", "Tiny values", "SCI per inference in kilograms.", "Year",
	 "SCI (kgCO2e per inference)", years, 10, tiny, N(tiny), 0},
	{EST_CHART_LINES, "thirty", "Thirty years of site indicators",
	 "PUE and WUE over thirty years; every other year labelled.", "Year", "Ratio", thirty, 30,
	 site, N(site), 0},
	{EST_CHART_COLUMNS, "net", "Net saving, with losses",
	 "Net saving each year; negative years are losses.", "Year", "Net saving (kEUR)", years,
	 10, net, N(net), 0},
};

static int write_file(const char *dir, const char *id, const char *ext, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, id, ext);
	f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		fprintf(stderr, "chart_demo: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static const char page_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	"style-src 'unsafe-inline'\">\n<title>Charts</title>\n<style>\n"
	"body{font-family:system-ui,sans-serif;max-width:720px;margin:2em auto}\n"
	"svg.est-chart{width:100%;height:auto}\n"
	"table{border-collapse:collapse;margin:0 0 2em}\n"
	"td,th{padding:2px 8px;border-bottom:1px solid #ddd}\n"
	".num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"</style></head><body>\n";

int main(int argc, char **argv)
{
	est_buf index, one;
	est_error err;
	size_t i;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: chart_demo DIR\n");
		return 2;
	}
	for (i = 0; i < 30; i++) {
		pue[i] = 1.58 - 0.012 * (double)i;
		wue[i] = 1.9 - 0.03 * (double)i;
	}
	est_error_clear(&err);
	est_buf_init(&index);
	est_buf_puts(&index, page_head);
	for (i = 0; i < N(charts) && !bad; i++) {
		char *text;
		est_buf_init(&one);
		bad |= est_chart_svg(&one, &charts[i], &err) < 0;
		text = bad ? NULL : est_buf_detach(&one, NULL);
		bad |= !text || write_file(argv[1], charts[i].id, ".svg", text) < 0;
		est_buf_puts(&index, text ? text : "");
		free(text);
		est_buf_puts(&one, page_head);
		bad |= est_chart_svg(&one, &charts[i], &err) < 0 ||
		       est_chart_table_html(&one, &charts[i], &err) < 0 ||
		       est_chart_table_html(&index, &charts[i], &err) < 0;
		est_buf_puts(&one, "</body></html>\n");
		text = bad ? NULL : est_buf_detach(&one, NULL);
		bad |= !text || write_file(argv[1], charts[i].id, ".html", text) < 0;
		free(text);
		bad |= est_chart_table_markdown(&one, &charts[i], &err) < 0;
		text = bad ? NULL : est_buf_detach(&one, NULL);
		bad |= !text || write_file(argv[1], charts[i].id, ".md", text) < 0;
		free(text);
		est_buf_dispose(&one);
		if (bad)
			fprintf(stderr, "chart_demo: %s: %s\n", charts[i].id, err.message);
	}
	est_buf_puts(&index, "</body></html>\n");
	if (!bad) {
		char *text = est_buf_detach(&index, NULL);
		bad |= !text || write_file(argv[1], "index", ".html", text) < 0;
		free(text);
	}
	est_buf_dispose(&index);
	return bad ? 1 : 0;
}
