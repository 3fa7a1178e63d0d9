/*
 * The scenario's workloads: demand, the model each names resolved against
 * its task, weights and per-inference overrides; and the measurement files
 * a scenario adds to the profile library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_internal.h"

/*
 * Parameters stated in a model's name, as model publishers name sizes: a
 * dash-separated token "405B", "1.7B", "560m" or "8x7B" (experts x size) in
 * the part after the last '/'; an active-parameter token ("A22B") is not a
 * size, and a name with an expert count token ("17B-128E") states only the
 * active size, so it gives none. 0 when the name states none (docs/model.md
 * section 4).
 */
static double name_parameters(const char *model)
{
	const char *p = strrchr(model, '/'), *q;
	char token[64];
	size_t n;

	for (q = p ? p + 1 : model; *q; q++)
		if ((q[0] == 'E' || q[0] == 'e') && q > model && q[-1] >= '0' && q[-1] <= '9' &&
		    (q[1] == '\0' || q[1] == '-' || q[1] == '_'))
			return 0;

	for (p = p ? p + 1 : model; *p; p += n + (p[n] != '\0')) {
		char *end;
		double experts = 1, size;
		n = strcspn(p, "-_ ");
		if (n == 0 || n >= sizeof(token))
			continue;
		memcpy(token, p, n);
		token[n] = '\0';
		end = token;
		if (strchr(token, 'x') && token[0] >= '0' && token[0] <= '9') {
			experts = strtod(token, &end);
			if (*end != 'x')
				continue;
			end++;
		}
		if (!(*end >= '0' && *end <= '9'))
			continue;
		size = strtod(end, &end);
		if ((end[0] == 'B' || end[0] == 'b') && end[1] == '\0')
			return experts * size * 1e9;
		if ((end[0] == 'M' || end[0] == 'm') && end[1] == '\0')
			return experts * size * 1e6;
	}
	return 0;
}

/* The record's parameter count, another record's of the same model, or its name's. */
static double model_parameters(const est_task *t, const est_model_profile *m)
{
	size_t i;

	if (m->parameters > 0)
		return m->parameters;
	for (i = 0; i < t->n_models; i++)
		if (t->models[i].parameters > 0 && !strcmp(t->models[i].model, m->model))
			return t->models[i].parameters;
	return name_parameters(m->model);
}

/* Bytes per parameter: 1 for an 8-bit record, 0.5 for a 4-bit one, else the constant (FP16). */
static double bytes_per_parameter(const est_model_profile *m, const est_constants *c)
{
	const char *p = m ? m->precision : NULL;

	if (p && (!strcmp(p, "fp8") || !strcmp(p, "int8")))
		return 1;
	if (p && (!strcmp(p, "fp4") || !strcmp(p, "int4") || !strcmp(p, "nf4")))
		return 0.5;
	return c->bytes_per_parameter;
}

/* Mean weights of the task's candidates for "any model" (task-specific models, or every measured record). */
static double mean_task_weights(const est_task *t, const est_constants *c)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < t->n_models; i++) {
		const est_model_profile *m = &t->models[i];
		double params;
		if (t->has_stats ? m->kind != EST_MODEL_TASK_SPECIFIC
				 : (m->kind == EST_MODEL_REFERENCE || !m->hardware))
			continue;
		params = t->has_stats ? m->parameters : model_parameters(t, m);
		if (params > 0) {
			sum += params * bytes_per_parameter(m, c);
			n++;
		}
	}
	return n ? sum / (double)n : 0;
}

static int load_demand(sloader *l, const yaml_node_t *m, est_workload *w)
{
	yaml_node_t *demand = est_ydoc_get(l->doc, m, "demand");
	yaml_node_t *users = est_ydoc_get(l->doc, m, "users");
	yaml_node_t *per = est_ydoc_get(l->doc, m, "requests_per_user");
	double n_users = 0, rate = 0;
	int rc;

	if (demand && (users || per))
		return est_ydoc_fail(l->doc, users ? users : per, l->err,
				     "give either 'demand' or 'users' with 'requests_per_user', not both");
	if (!demand && !(users && per))
		return est_ydoc_fail(l->doc, m, l->err,
				     "workload '%s' needs 'demand' (e.g. 2000/day) or 'users' and 'requests_per_user'",
				     w->name);
	if (demand) {
		rc = est_ydoc_quantity(l->doc, m, "demand", "/day", 1, &w->requests_per_day, NULL, l->err);
		if (rc == 0)
			rc = NONNEG(l, m, "demand", w->requests_per_day, "/day");
		return rc;
	}
	rc = est_ydoc_quantity(l->doc, m, "users", "1", 1, &w->users, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "users", w->users, "");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "requests_per_user", "/day", 1, &w->requests_per_user, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "requests_per_user", w->requests_per_user, "/day");
	w->per_user = 1;
	w->requests_per_day = w->users * w->requests_per_user;
	(void)n_users;
	(void)rate;
	return rc;
}

/*
 * `model:` names a record by id, or a model by name. A name that several
 * records share (studies, serving configurations, GPUs) resolves to the one
 * measured on the deployment accelerator when that is unique; otherwise the
 * scenario must name a record id. Leaves w->model NULL when nothing matches.
 */
static int resolve_model(sloader *l, const yaml_node_t *m, est_workload *w, const char *model)
{
	const est_task *t = w->task;
	const est_accelerator *acc = l->s->server->accelerator;
	const est_model_profile *named = NULL, *on_acc = NULL;
	size_t i, n_named = 0, n_on_acc = 0;
	char ids[320] = "";
	size_t used = 0;

	for (i = 0; i < t->n_models; i++)
		if (!strcmp(t->models[i].id, model)) {
			w->model = &t->models[i];
			return 0;
		}
	for (i = 0; i < t->n_models; i++) {
		const est_model_profile *r = &t->models[i];
		if (strcmp(r->model, model))
			continue;
		named = r;
		n_named++;
		if (r->hardware == acc) {
			on_acc = r;
			n_on_acc++;
		}
		if (used < sizeof(ids) - 1)
			used += (size_t)snprintf(ids + used, sizeof(ids) - used, "%s%s",
						 n_named > 1 ? ", " : "", r->id);
	}
	if (n_named == 1 || n_on_acc == 1) {
		w->model = n_named == 1 ? named : on_acc;
		return 0;
	}
	if (n_named == 0)
		return 0;
	if (used >= sizeof(ids) - 1)
		snprintf(ids + sizeof(ids) - 5, 5, "...");
	return est_ydoc_fail_key(l->doc, m, "model", l->err,
				 "model '%s' has %zu records in %s (%s); name one by its id",
				 model, n_named, t->id, ids);
}

static int load_workload(sloader *l, const yaml_node_t *m, est_workload *w, size_t index)
{
	static const char *const keys[] = {"name", "task", "model", "demand", "users",
					   "requests_per_user", "growth", "peak_to_average",
					   "output_size", "log_size", "retention", "transfer",
					   "weights", "energy_per_inference", "time_per_inference",
					   "hardware_energy_factor", "hardware_time_factor", NULL};
	const est_constants *c = est_profiles_constants(l->p);
	const char *name = NULL, *task = NULL, *model = NULL;
	char kind[80];
	int rc;

	w->line = (int)m->start_mark.line + 1;
	w->column = (int)m->start_mark.column + 1;
	rc = est_ydoc_expect_map(l->doc, m, "a workload", l->err);
	if (rc == 0)
		rc = est_ydoc_check_keys(l->doc, m, keys, "a workload", l->err);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, m, "name", 0, &name, l->err);
	if (rc < 0)
		return rc;
	if (name && strchr(name, '.'))
		return est_ydoc_fail_key(l->doc, m, "name", l->err,
					 "workload name '%s' must not contain '.' (it names output columns)", name);
	if (name) {
		w->name = strdup(name);
	} else {
		char fallback[32];
		snprintf(fallback, sizeof(fallback), "workload-%zu", index + 1);
		w->name = strdup(fallback);
	}
	if (!w->name)
		return est_sl__oom(l);
	est_sl__set_section(l, "workloads", w->name);
	rc = est_ydoc_string(l->doc, m, "task", 1, &task, l->err);
	if (rc == 0 && !(w->task = est_profiles_task(l->p, task)))
		rc = est_sl__unknown(l, m, "task", "task", task);
	if (rc == 0)
		rc = est_ydoc_string(l->doc, m, "model", 0, &model, l->err);
	if (rc == 0 && model)
		rc = resolve_model(l, m, w, model);
	if (rc == 0 && model && !w->model) {
		snprintf(kind, sizeof(kind), "model:%s", w->task->id);
		rc = est_sl__unknown(l, m, "model", kind, model);
	}
	if (rc == 0)
		rc = load_demand(l, m, w);
	if (rc < 0)
		return rc;
	w->peak_to_average = 1;
	w->retention_years = 1;
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "growth", EST_UNIT_SHARE, 0, &w->growth, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, m, "growth", w->growth, -0.99, 100, "%");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "peak_to_average", "1", 0, &w->peak_to_average, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, m, "peak_to_average", w->peak_to_average, 1, 1000, "");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "output_size", "B", 0, &w->output_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "output_size", w->output_bytes, "B");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "log_size", "B", 0, &w->log_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "log_size", w->log_bytes, "B");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "retention", "years", 0, &w->retention_years, NULL, l->err);
	if (rc == 0)
		rc = est_sl__range(l, m, "retention", w->retention_years, 0, 1000, "years");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "transfer", "B", 0, &w->transfer_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "transfer", w->transfer_bytes, "B");
	w->weights_bytes = w->model ? model_parameters(w->task, w->model) * bytes_per_parameter(w->model, c)
				    : mean_task_weights(w->task, c);
	if (rc == 0 && w->model && w->weights_bytes <= 0 && !est_ydoc_get(l->doc, m, "weights"))
		rc = est_sl__note(l, "workload %s: parameters of %s unknown: weights storage 0; set weights",
			  w->name, w->model->model);
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "weights", "B", 0, &w->weights_bytes, NULL, l->err);
	if (rc == 0)
		rc = NONNEG(l, m, "weights", w->weights_bytes, "B");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "energy_per_inference", "Wh", 0, &w->energy_wh_override, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "energy_per_inference"))
		rc = est_sl__range(l, m, "energy_per_inference", w->energy_wh_override, 1e-300, EST_SL_MAX, "Wh");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "time_per_inference", "s", 0, &w->time_s_override, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "time_per_inference"))
		rc = est_sl__range(l, m, "time_per_inference", w->time_s_override, 1e-300, EST_SL_MAX, "s");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "hardware_energy_factor", "1", 0, &w->hardware_energy_factor, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "hardware_energy_factor"))
		rc = est_sl__range(l, m, "hardware_energy_factor", w->hardware_energy_factor, 1e-6, 1e6, "");
	if (rc == 0)
		rc = est_ydoc_quantity(l->doc, m, "hardware_time_factor", "1", 0, &w->hardware_time_factor, NULL, l->err);
	if (rc == 0 && est_ydoc_get(l->doc, m, "hardware_time_factor"))
		rc = est_sl__range(l, m, "hardware_time_factor", w->hardware_time_factor, 1e-6, 1e6, "");
	if (rc == 0 && w->model && !w->model->hardware &&
	    !(w->energy_wh_override > 0 && w->time_s_override > 0))
		rc = est_ydoc_fail_key(l->doc, m, "model", l->err,
				       "'%s' is a reference figure on unknown hardware: it cannot size capacity; give energy_per_inference and time_per_inference",
				       w->model->id);
	if (rc == 0 && !est_ydoc_get(l->doc, m, "peak_to_average"))
		rc = est_sl__note(l, "workload %s: peak_to_average not given: 1 (no peak above the average)", w->name);
	if (rc == 0 && w->output_bytes + w->log_bytes > 0 && !est_ydoc_get(l->doc, m, "retention"))
		rc = est_sl__note(l, "workload %s: retention not given: 1 year", w->name);
	return rc;
}

/* The most workloads a scenario may list (docs/limits.md). */
#define MAX_WORKLOADS 10000

/* FNV-1a: workload names are hashed so that the duplicate check stays linear. */
static size_t name_hash(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32));
}

/*
 * Add workload i's name to slots (open addressing, index + 1, at least twice
 * as many slots as workloads); 1 when an earlier workload has the name.
 */
static int name_seen(size_t *slots, size_t mask, const est_workload *w, size_t i)
{
	size_t k = name_hash(w[i].name) & mask;

	for (; slots[k]; k = (k + 1) & mask)
		if (!strcmp(w[slots[k] - 1].name, w[i].name))
			return 1;
	slots[k] = i + 1;
	return 0;
}

int est_sl__load_workloads(sloader *l)
{
	yaml_node_t *list = est_ydoc_get(l->doc, l->root, "workloads");
	est_scenario *s = l->s;
	size_t *slots = NULL, n, i, cap = 16;
	int rc;

	if (!list)
		return est_ydoc_fail(l->doc, l->root, l->err, "missing required key 'workloads'");
	rc = est_ydoc_expect_seq(l->doc, list, "workloads", l->err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	if (n == 0)
		return est_ydoc_fail(l->doc, list, l->err, "workloads must list at least one workload");
	if (n > MAX_WORKLOADS)
		return est_ydoc_fail(l->doc, est_ydoc_seq_at(l->doc, list, MAX_WORKLOADS), l->err,
				     "too many workloads: a scenario lists 1 to %d", MAX_WORKLOADS);
	while (cap < 2 * n)
		cap *= 2;
	s->workloads = calloc(n, sizeof(*s->workloads));
	slots = calloc(cap, sizeof(*slots));
	if (!s->workloads || !slots) {
		free(slots);
		return est_sl__oom(l);
	}
	for (i = 0; i < n && rc == 0; i++) {
		yaml_node_t *m = est_ydoc_seq_at(l->doc, list, i);
		s->n_workloads = i + 1;
		rc = load_workload(l, m, &s->workloads[i], i);
		if (rc == 0 && name_seen(slots, cap - 1, s->workloads, i))
			rc = est_ydoc_fail(l->doc, m, l->err, "duplicate workload name '%s'",
					   s->workloads[i].name);
	}
	free(slots);
	return rc;
}

/* `measurements:` files relative to the scenario's folder, added to the library. */
int est_sl__load_measurements(sloader *l)
{
	yaml_node_t *list = est_ydoc_get(l->doc, l->root, "measurements");
	char **paths = NULL;
	const char *slash = strrchr(l->s->file, '/');
	int dir_len = slash ? (int)(slash - l->s->file) : 0;
	size_t n, i;
	int rc;

	if (!list)
		return 0;
	rc = est_ydoc_expect_seq(l->doc, list, "measurements", l->err);
	if (rc < 0)
		return rc;
	n = est_ydoc_seq_len(list);
	paths = calloc(n ? n : 1, sizeof(*paths));
	if (!paths)
		return est_sl__oom(l);
	for (i = 0; i < n && rc == 0; i++) {
		yaml_node_t *item = est_ydoc_seq_at(l->doc, list, i);
		const char *f = est_ydoc_text(item);
		size_t len;
		if (!f || !*f) {
			rc = est_ydoc_fail(l->doc, item, l->err, "a measurements entry must be a file name");
			break;
		}
		len = strlen(f) + (size_t)dir_len + 2;
		paths[i] = malloc(len);
		if (!paths[i]) {
			rc = est_sl__oom(l);
			break;
		}
		if (f[0] == '/' || !slash)
			snprintf(paths[i], len, "%s", f);
		else
			snprintf(paths[i], len, "%.*s/%s", dir_len, l->s->file, f);
	}
	if (rc == 0)
		rc = est_profiles_extend(&l->s->extended, l->p, (const char *const *)paths, n, l->err);
	if (rc == 0)
		l->p = l->s->extended;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}
