/*
 * Browsing the profile library (catalog.h). Each kind of record is described
 * once, as a table of fields (JSON key with its unit, text label, value);
 * `list` prints the fields marked as key figures, `show` every field that is
 * set and then the sources in full (catalog_show.c). The writers are in
 * catalog_write.c.
 */
#include <assert.h>
#include <string.h>

#include "catalog_internal.h"
#include "format.h"

/* ---- describing records ---- */

static est_catalog_field *add(est_catalog_record *r, const char *key, const char *label,
			      est_catalog_ftype type, int set)
{
	est_catalog_field *f;

	assert(r->n < EST_CATALOG_MAX_FIELDS);
	f = &r->f[r->n++];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->label = label;
	f->type = type;
	f->set = set;
	return f;
}

static est_catalog_field *text(est_catalog_record *r, const char *key, const char *label,
			       const char *s)
{
	est_catalog_field *f = add(r, key, label, EST_CF_TEXT, s != NULL);

	f->text = s;
	return f;
}

static est_catalog_field *num(est_catalog_record *r, const char *key, const char *label,
			      double v, const char *unit, int set)
{
	est_catalog_field *f = add(r, key, label, EST_CF_NUM, set);

	f->num = v;
	f->unit = unit;
	return f;
}

/* A currency amount: the number, then the currency (JSON only: the text has it as the unit). */
static est_catalog_field *money(est_catalog_record *r, const char *key, const char *label,
				double v, const char *currency, const char *per, int set)
{
	est_catalog_field *f = num(r, key, label, v, currency, set);

	f->unit2 = per;
	return f;
}

static est_catalog_field *currency(est_catalog_record *r, const char *currency, int set)
{
	est_catalog_field *f = text(r, "currency", "currency", set ? currency : NULL);

	f->json_only = 1;
	return f;
}

static est_catalog_field *ids(est_catalog_record *r, const char *key, const char *label,
			      const est_source_list *l)
{
	est_catalog_field *f = add(r, key, label, EST_CF_SOURCES, l->count > 0);

	f->sources = l;
	return f;
}

/* Mark f as a column of `list` (or joined to the one before), shown after prefix. */
static est_catalog_field *col(est_catalog_field *f, const char *prefix)
{
	f->list = EST_CL_COL;
	f->prefix = prefix;
	return f;
}

static est_catalog_field *join(est_catalog_field *f, const char *prefix)
{
	f->list = EST_CL_JOIN;
	f->prefix = prefix;
	return f;
}

static void describe_source(est_catalog_record *r, const void *rec)
{
	const est_source *s = rec;

	r->name = s->title;
	col(num(r, "year", "year", s->year, NULL, s->year > 0), NULL);
	col(text(r, "title", "title", s->title), NULL);
	text(r, "authors", "authors", s->authors);
	text(r, "published", "published", s->published);
	text(r, "locator", "locator", s->locator);
	text(r, "licence", "licence", s->licence);
}

static void describe_task(est_catalog_record *r, const void *rec)
{
	const est_task *t = rec;
	const est_task_stats *st = &t->stats;
	int s = t->has_stats;
	est_catalog_field *f;

	r->name = t->name;
	r->task = t->id;
	r->sources = s ? &st->sources : NULL;
	col(text(r, "name", "name", t->name), NULL);
	text(r, "modality", "modality", t->modality);
	col(num(r, "n_models", "measured", (double)t->n_models,
		t->n_models == 1 ? "model" : "models", 1), NULL);
	col(num(r, "mean_wh", "mean", st->mean_wh, "Wh", s), "mean ");
	num(r, "std_wh", "std", st->std_wh, "Wh", s && st->std_wh > 0);
	num(r, "min_model_wh", "lowest model mean", st->min_model_wh, "Wh", s && st->min_model_wh > 0);
	num(r, "max_model_wh", "highest model mean", st->max_model_wh, "Wh", s && st->max_model_wh > 0);
	num(r, "median_wh", "median", st->median_wh, "Wh", s && st->median_wh > 0);
	num(r, "gpu_share", "GPU share", st->gpu_share, "%", s && st->gpu_share > 0);
	num(r, "time_s", "time", st->time_s, "s", s && st->time_s > 0);
	text(r, "boundary", "boundary", s ? est_boundary_name(t->boundary) : NULL);
	text(r, "hardware", "hardware", s ? t->hardware : NULL);
	num(r, "batch_size", "batch size", t->batch_size, NULL, s && t->batch_size > 0);
	num(r, "node_gpus", "node GPUs", t->node_gpus, NULL, s && t->node_gpus > 0);
	f = add(r, "model_ids", "model ids", EST_CF_MODELS, t->n_models > 0);
	f->task = t;
}

static void describe_model(est_catalog_record *r, const void *rec)
{
	const est_model_profile *m = rec;

	r->name = m->model;
	r->task = m->task;
	r->sources = &m->sources;
	text(r, "task", "task", m->task);
	col(text(r, "model", "model", m->model), NULL);
	col(num(r, "energy_wh", "energy", m->energy_wh, "Wh", 1), NULL);
	join(text(r, "unit", "unit", m->unit), "per ");
	num(r, "energy_std_wh", "energy std", m->energy_std_wh, "Wh", m->energy_std_wh > 0);
	num(r, "energy_min_wh", "energy min", m->energy_min_wh, "Wh", m->energy_min_wh > 0);
	num(r, "energy_max_wh", "energy max", m->energy_max_wh, "Wh", m->energy_max_wh > 0);
	num(r, "gpu_energy_wh", "GPU energy", m->gpu_energy_wh, "Wh", m->gpu_energy_wh > 0);
	num(r, "time_s", "time", m->time_s, "s", m->time_s > 0);
	col(text(r, "boundary", "boundary", est_boundary_name(m->boundary)), NULL);
	col(text(r, "hardware", "hardware", m->hardware ? m->hardware->id : "unknown"), NULL);
	col(text(r, "model_kind", "kind", est_model_kind_name(m->kind)), NULL);
	num(r, "parameters", "parameters", m->parameters, NULL, m->parameters > 0);
	num(r, "batch_size", "batch size", m->batch_size, NULL, m->batch_size > 0);
	num(r, "gpus", "gpus", m->gpus, NULL, m->gpus > 0);
	num(r, "node_gpus", "node GPUs", m->node_gpus, NULL, m->node_gpus > m->gpus);
	num(r, "output_tokens", "output tokens", m->output_tokens, NULL, m->output_tokens > 0);
	num(r, "input_tokens", "input tokens", m->input_tokens, NULL, m->input_tokens > 0);
	text(r, "precision", "precision", m->precision);
	text(r, "setting", "setting", m->setting);
	text(r, "licence", "licence", m->licence);
	text(r, "notes", "notes", m->notes);
}

static void describe_accelerator(est_catalog_record *r, const void *rec)
{
	const est_accelerator *a = rec;
	est_catalog_field *f;
	int range = a->embodied_low_kg > 0;

	r->name = a->name;
	r->sources = &a->sources;
	col(text(r, "name", "name", a->name), NULL);
	col(num(r, "max_power_w", "max power", a->max_power_w, "W", 1), "max ");
	col(num(r, "idle_power_w", "idle power", a->idle_power_w, "W", 1), "idle ");
	num(r, "memory_gb", "memory", a->memory_gb, "GB", a->memory_gb > 0);
	col(num(r, "relative_energy", "relative energy", a->relative_energy, NULL, 1),
	    "relative energy ");
	text(r, "conversion_basis", "conversion basis", a->conversion_basis);
	num(r, "embodied_kgco2e", "embodied", a->embodied_kg, "kgCO2e", a->embodied_kg > 0);
	num(r, "embodied_low_kgco2e", "embodied low", a->embodied_low_kg, "kgCO2e", range);
	num(r, "embodied_high_kgco2e", "embodied high", a->embodied_high_kg, "kgCO2e", range);
	ids(r, "embodied_range_sources", "embodied range sources", &a->embodied_range_sources);
	text(r, "embodied_range_notes", "embodied range notes", a->embodied_range_notes);
	f = add(r, "aliases", "aliases", EST_CF_STRINGS, a->n_aliases > 0);
	f->strings = a->aliases;
	f->n_strings = a->n_aliases;
	text(r, "notes", "notes", a->notes);
}

static void describe_server(est_catalog_record *r, const void *rec)
{
	const est_server *s = rec;

	r->name = s->name;
	r->sources = &s->sources;
	col(text(r, "name", "name", s->name), NULL);
	col(num(r, "accelerators", "accelerators", s->accelerators, NULL, 1), NULL);
	join(text(r, "accelerator", "accelerator", s->accelerator ? s->accelerator->id : NULL), "x ");
	col(num(r, "max_power_kw", "max power", s->max_power_kw, "kW", 1), NULL);
	num(r, "host_idle_w", "host idle", s->host_idle_w, "W", 1);
	num(r, "idle_power_w", "server idle", s->host_idle_w + s->accelerators *
		(s->accelerator ? s->accelerator->idle_power_w : 0), "W", s->accelerator != NULL);
	num(r, "rack_units", "rack units", s->rack_units, NULL, s->rack_units > 0);
	col(num(r, "embodied_kgco2e", "embodied", s->embodied_kg, "kgCO2e", s->embodied_kg > 0),
	    "embodied ");
	num(r, "lifetime_years", "lifetime", s->lifetime_years, "years", s->lifetime_years > 0);
	money(r, "price", "price", s->price, s->currency, NULL, s->price > 0);
	currency(r, s->currency, s->price > 0);
	text(r, "price_status", "price status", s->price > 0 && s->price_unverified
		? "UNVERIFIED: no source that can be checked gives it" : NULL);
	text(r, "notes", "notes", s->notes);
}

static void describe_grid(est_catalog_record *r, const void *rec)
{
	const est_grid *g = rec;
	int priced = g->price_per_kwh > 0;

	r->name = g->name;
	r->sources = &g->sources;
	col(text(r, "name", "name", g->name), NULL);
	col(num(r, "intensity_gco2e_per_kwh", "intensity", g->intensity_g_per_kwh, "gCO2e/kWh", 1),
	    NULL);
	col(num(r, "year", "year", g->year, NULL, g->year > 0), NULL);
	col(text(r, "grid_kind", "kind", est_grid_kind_name(g->kind)), NULL);
	text(r, "provider", "provider", g->provider);
	text(r, "basis", "basis", g->basis);
	text(r, "scope", "scope", g->scope);
	num(r, "residual_mix_gco2e_per_kwh", "residual mix", g->residual_g_per_kwh, "gCO2e/kWh",
	    g->residual_g_per_kwh > 0);
	num(r, "residual_year", "residual mix year", g->residual_year, NULL, g->residual_g_per_kwh > 0);
	ids(r, "residual_sources", "residual mix sources", &g->residual_sources);
	col(money(r, "price_per_kwh", "price", g->price_per_kwh, g->currency, "/kWh", priced), NULL);
	col(currency(r, g->currency, priced), NULL);
	text(r, "price_period", "price period", priced ? g->price_period : NULL);
	ids(r, "price_sources", "price sources", &g->price_sources);
	text(r, "notes", "notes", g->notes);
}

static void describe_price(est_catalog_record *r, const void *rec)
{
	const est_price *p = rec;

	r->name = p->name;
	r->sources = &p->sources;
	col(text(r, "name", "name", p->name), NULL);
	col(money(r, "price_per_kwh", "price", p->price_per_kwh, p->currency, "/kWh", 1), NULL);
	col(currency(r, p->currency, 1), NULL);
	col(text(r, "sector", "sector", p->sector), NULL);
	col(text(r, "period", "period", p->period), NULL);
	text(r, "notes", "notes", p->notes);
}

static void describe_facility(est_catalog_record *r, const void *rec)
{
	const est_facility *f = rec;
	int cost = f->buildout_cost_per_kw > 0, rent = f->price_per_kw_month > 0;

	r->name = f->name;
	r->sources = &f->sources;
	col(text(r, "name", "name", f->name), NULL);
	col(num(r, "pue", "PUE", f->pue, NULL, 1), "PUE ");
	col(num(r, "wue_l_per_kwh", "WUE", f->wue_l_per_kwh, "L/kWh", 1), "WUE ");
	col(num(r, "rack_power_kw", "rack power", f->rack_power_kw, "kW", 1), "rack ");
	money(r, "buildout_cost_per_kw", "build-out cost", f->buildout_cost_per_kw, f->currency,
	      "/kW", cost);
	currency(r, f->currency, cost);
	num(r, "ups_efficiency", "UPS efficiency", f->ups_efficiency, "%", f->ups_efficiency > 0);
	money(r, "price_per_kw_month", "power rent", f->price_per_kw_month, f->price_currency,
	      "/kW/month", rent);
	text(r, "price_currency", "rent currency", rent ? f->price_currency : NULL)->json_only = 1;
	num(r, "power_step_kw", "power step", f->power_step_kw, "kW", f->power_step_kw > 0);
	text(r, "notes", "notes", f->notes);
}

static void describe_storage(est_catalog_record *r, const void *rec)
{
	const est_storage_tech *s = rec;

	r->sources = &s->sources;
	col(num(r, "power_w_per_tb", "power", s->power_w_per_tb, "W/TB", 1), NULL);
	col(num(r, "embodied_kgco2e_per_tb", "embodied", s->embodied_kg_per_tb, "kgCO2e/TB", 1),
	    "embodied ");
	num(r, "purchase_unit_tb", "purchase unit", s->purchase_unit_tb, "TB", s->purchase_unit_tb > 0);
	text(r, "notes", "notes", s->notes);
}

/* An equivalence is written as the amount one equivalent stands for. */
static void describe_equivalence(est_catalog_record *r, const void *rec)
{
	const est_equivalence *e = rec;
	int energy = e->per_kwh > 0, co2 = e->per_kg_co2e > 0;

	r->name = e->name;
	r->sources = &e->sources;
	col(text(r, "name", "name", e->name), NULL);
	col(num(r, "energy_kwh", "one per energy", energy ? 1 / e->per_kwh : 0, "kWh", energy),
	    "one per ");
	join(num(r, "emissions_kgco2e", "one per emissions", co2 ? 1 / e->per_kg_co2e : 0,
		 "kgCO2e", co2), "one per ");
	text(r, "applied_to", "applied to", energy ? "facility and network energy" : "location-based emissions");
	text(r, "reported", "reported", e->is_default ? "by default" : "when a scenario names it in report.equivalences");
	text(r, "notes", "notes", e->notes);
}

static void describe_cloud_provider(est_catalog_record *r, const void *rec)
{
	const est_cloud_provider *c = rec;

	r->name = c->name;
	r->sources = &c->sources;
	col(text(r, "name", "name", c->name), NULL);
	col(num(r, "pue", "PUE", c->pue, NULL, 1), "PUE ");
	col(num(r, "wue_l_per_kwh", "WUE", c->wue_l_per_kwh, "L/kWh", 1), "WUE ");
	text(r, "notes", "notes", c->notes);
}

/* The lowest on-demand price among the regions (the list's "from" column). */
static double lowest_on_demand(const est_cloud_instance *c)
{
	double low = 0;
	size_t i;

	for (i = 0; i < c->n_prices; i++)
		if (i == 0 || c->prices[i].on_demand < low)
			low = c->prices[i].on_demand;
	return low;
}

static void describe_cloud_instance(est_catalog_record *r, const void *rec)
{
	const est_cloud_instance *c = rec;
	const est_server *s = c->server;
	est_catalog_field *f;

	r->name = c->name;
	r->sources = &c->sources;
	col(text(r, "name", "name", c->name), NULL);
	text(r, "provider", "provider", c->provider ? c->provider->id : NULL);
	col(num(r, "accelerators", "accelerators", c->accelerators, NULL, 1), NULL);
	join(text(r, "accelerator", "accelerator", c->accelerator ? c->accelerator->id : NULL), "x ");
	col(text(r, "server", "server", s ? s->id : NULL), "on ");
	num(r, "server_share", "server share", s ? (double)c->accelerators / s->accelerators : 0,
	    "%", s != NULL);
	num(r, "vcpus", "vCPUs", c->vcpus, NULL, c->vcpus > 0);
	num(r, "memory_gb", "memory", c->memory_gb, "GB", c->memory_gb > 0);
	col(money(r, "on_demand_from_per_hour", "on demand from", lowest_on_demand(c), c->currency,
		  "/h", c->n_prices > 0), "from ");
	col(currency(r, c->currency, c->n_prices > 0), NULL);
	f = add(r, "prices", "prices", EST_CF_PRICES, c->n_prices > 0);
	f->instance = c;
	text(r, "price_date", "price date", c->price_date);
	text(r, "notes", "notes", c->notes);
}

/* In est_record_kind order. */
static const struct kind_info {
	est_record_kind kind;
	const char *noun;
	void (*describe)(est_catalog_record *r, const void *rec);
} kinds[EST_CATALOG_N_KINDS] = {
	{EST_RECORD_SOURCE, "source", describe_source},
	{EST_RECORD_TASK, "task", describe_task},
	{EST_RECORD_MODEL, "model", describe_model},
	{EST_RECORD_ACCELERATOR, "accelerator", describe_accelerator},
	{EST_RECORD_SERVER, "server", describe_server},
	{EST_RECORD_GRID, "grid", describe_grid},
	{EST_RECORD_PRICE, "price", describe_price},
	{EST_RECORD_FACILITY, "facility", describe_facility},
	{EST_RECORD_STORAGE, "storage", describe_storage},
	{EST_RECORD_EQUIVALENCE, "equivalence", describe_equivalence},
	{EST_RECORD_CLOUD_PROVIDER, "cloud provider", describe_cloud_provider},
	{EST_RECORD_CLOUD_INSTANCE, "cloud instance", describe_cloud_instance},
};

const char *est_catalog__noun(est_record_kind kind)
{
	return kinds[kind].noun;
}

void est_catalog__describe(est_catalog_record *r, est_record_kind kind, const void *rec)
{
	assert(kinds[kind].kind == kind);
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->id = est_profiles_record_id(kind, rec);
	kinds[kind].describe(r, rec);
}

/* ---- the list ---- */

#define MAX_CELLS (EST_CATALOG_MAX_FIELDS + 2)
#define GAP 2

/* needle in hay, ignoring ASCII case. */
static int contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (!hay)
		return 0;
	for (; *hay; hay++) {
		for (i = 0; i < n; i++)
			if (est_catalog__lower(hay[i]) != est_catalog__lower(needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return n == 0;
}

static int matches(const est_catalog_record *r, const est_catalog_filter *f)
{
	if (f->task && (!r->task || strcmp(r->task, f->task)))
		return 0;
	if (f->text && !contains(r->id, f->text) && !contains(r->name, f->text))
		return 0;
	return 1;
}

/* Display width of UTF-8 text: its code points. */
static size_t width_of(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			w++;
	return w;
}

/* The cells of r's row: the id, its key fields, its source ids. */
static size_t row_cells(est_catalog_writer *w, const est_catalog_record *r, est_buf *cells)
{
	size_t n = 0, i;

	est_text_puts(&cells[n++], r->id);
	for (i = 0; i < r->n; i++) {
		const est_catalog_field *f = &r->f[i];
		est_buf *c;

		if (f->list == EST_CL_NO || f->json_only)
			continue;
		if (f->list == EST_CL_COL) {
			assert(n < MAX_CELLS - 1);
			n++;
		}
		c = &cells[n - 1];
		if (!f->set)
			continue;
		if (f->list == EST_CL_JOIN && c->len > 0)
			est_buf_putc(c, ' ');
		if (f->prefix)
			est_buf_puts(c, f->prefix);
		est_catalog__text_value(w, c, f);
	}
	if (r->kind != EST_RECORD_SOURCE) {
		if (r->sources)
			est_catalog__source_ids(&cells[n], r->sources);
		n++;
	}
	return n;
}

static void clear_cells(est_buf *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cells[i].len = 0;
		if (cells[i].ptr)
			cells[i].ptr[0] = '\0';
	}
}

static void dispose_cells(est_buf *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		est_buf_dispose(&cells[i]);
}

/* One kind as a heading and aligned rows; returns the records printed. */
static size_t list_kind_text(est_catalog_writer *w, const est_profiles *p, est_record_kind kind,
			     const est_catalog_filter *f)
{
	est_buf cells[MAX_CELLS];
	size_t width[MAX_CELLS] = {0};
	size_t n = est_profiles_count(p, kind), count = 0, i, j, k, used, last;
	est_catalog_record r;
	int pass;

	for (i = 0; i < MAX_CELLS; i++)
		est_buf_init(&cells[i]);
	/* pass 0 measures the columns, pass 1 prints them */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && count == 0)
			break;
		if (pass == 1)
			est_buf_printf(w->b, "%s%s (%zu)\n", w->b->len ? "\n" : "",
				       est_record_kind_name(kind), count);
		for (i = 0; i < n; i++) {
			est_catalog__describe(&r, kind, est_profiles_at(p, kind, i));
			if (!matches(&r, f))
				continue;
			clear_cells(cells, MAX_CELLS);
			used = row_cells(w, &r, cells);
			if (pass == 0) {
				count++;
				for (j = 0; j < used; j++) {
					size_t cw = width_of(cells[j].ptr ? cells[j].ptr : "", cells[j].len);
					if (cw > width[j])
						width[j] = cw;
				}
				continue;
			}
			/* no trailing spaces: pad only up to the last non-empty cell */
			for (last = used; last > 0 && cells[last - 1].len == 0; last--)
				;
			est_buf_puts(w->b, "  ");
			for (j = 0; j < last; j++) {
				if (cells[j].len)
					est_buf_put(w->b, cells[j].ptr, cells[j].len);
				if (j + 1 < last)
					for (k = width_of(cells[j].ptr ? cells[j].ptr : "", cells[j].len);
					     k < width[j] + GAP; k++)
						est_buf_putc(w->b, ' ');
			}
			est_buf_putc(w->b, '\n');
		}
	}
	for (i = 0; i < MAX_CELLS; i++)
		if (cells[i].failed)
			w->b->failed = 1;
	dispose_cells(cells, MAX_CELLS);
	return count;
}

static size_t list_kind_json(est_catalog_writer *w, const est_profiles *p, est_record_kind kind,
			     const est_catalog_filter *f)
{
	size_t n = est_profiles_count(p, kind), count = 0, i;
	est_catalog_record r;

	for (i = 0; i < n; i++) {
		est_catalog__describe(&r, kind, est_profiles_at(p, kind, i));
		if (!matches(&r, f))
			continue;
		est_catalog__json_elem(w);
		est_catalog__json_record(w, &r, 1);
		count++;
	}
	return count;
}

int est_catalog__check(int kind, est_format fmt, est_error *err)
{
	if (kind < -1 || kind >= EST_CATALOG_N_KINDS)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown record kind %d", kind);
	if (fmt != EST_FORMAT_TEXT && fmt != EST_FORMAT_JSON)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "the profile library is shown as text or json");
	return 0;
}

int est_catalog_list(char **out, size_t *len, const est_profiles *p,
		     const est_catalog_filter *f, est_format fmt, est_error *err)
{
	static const est_catalog_filter all = {-1, NULL, NULL};
	est_catalog_writer w;
	est_buf buf;
	size_t count = 0;
	int k, rc;

	assert(out);
	assert(p);
	*out = NULL;
	if (len)
		*len = 0;
	if (!f)
		f = &all;
	rc = est_catalog__check(f->kind, fmt, err);
	if (rc < 0)
		return rc;
	if (f->task && !est_profiles_task(p, f->task)) {
		const char *near = est_profiles_suggest(p, "task", f->task);
		size_t i;
		/* not a typo but a part: "text_gen" */
		for (i = 0; !near && i < est_profiles_count_tasks(p); i++)
			if (contains(est_profiles_task_at(p, i)->id, f->task))
				near = est_profiles_task_at(p, i)->id;
		if (near)
			return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
					     "unknown task '%s'; did you mean '%s'?", f->task, near);
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0, "unknown task '%s'", f->task);
	}
	est_buf_init(&buf);
	est_catalog__writer_init(&w, &buf);
	if (fmt == EST_FORMAT_JSON) {
		est_catalog__json_open(&w, '{');
		est_catalog__json_key(&w, "format");
		est_catalog__json_string(&w, EST_CATALOG_FORMAT_ID);
		est_catalog__json_key(&w, "records");
		est_catalog__json_open(&w, '[');
	}
	for (k = 0; k < EST_CATALOG_N_KINDS; k++) {
		if (f->kind >= 0 && f->kind != k)
			continue;
		if (fmt == EST_FORMAT_JSON)
			count += list_kind_json(&w, p, (est_record_kind)k, f);
		else
			count += list_kind_text(&w, p, (est_record_kind)k, f);
	}
	if (fmt == EST_FORMAT_JSON) {
		est_catalog__json_close(&w, ']');
		est_catalog__json_key(&w, "count");
		est_catalog__json_number(&w, (double)count);
		est_catalog__json_close(&w, '}');
		est_buf_putc(&buf, '\n');
	} else {
		est_buf_printf(&buf, "%s%zu %s\n", buf.len ? "\n" : "", count,
			       count == 1 ? "record" : "records");
	}
	return est_catalog__finish(&w, out, len, err);
}
