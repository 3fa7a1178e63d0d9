/*
 * Per-inference conversions (docs/model.md, section 2). A measured record
 * (energy e_0 at a boundary, on hardware h_p, device-seconds t_0) becomes
 * energy and device-seconds at the node boundary on the deployment
 * accelerator h_d; every factor applied is written as a line of the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conversions.h"

#define SECONDS_PER_HOUR 3600.0

typedef struct conv {
	const est_scenario *s;
	const est_profiles *p;
	const est_workload *w;
	est_workload_result *wr;
	est_error *err;
	int quiet;            /* converting one of many records: no lines */
} conv;

#define LINE(c, ...)                                                              \
	((c)->quiet ? 0                                                           \
		    : (est_lines_push(&(c)->wr->conversions, &(c)->wr->n_conversions, \
				      __VA_ARGS__) < 0                            \
			       ? est_error_set((c)->err, EST_EINTERNAL, (c)->s->file, 0, 0, \
					       "out of memory")                   \
			       : 0))

/* Node energy / energy at boundary b. */
static double boundary_factor(const conv *c, est_boundary b)
{
	switch (b) {
	case EST_BOUNDARY_GPU:
		return c->s->gpu_to_node;
	case EST_BOUNDARY_FACILITY:
		return 1.0 / c->s->pue;
	case EST_BOUNDARY_NODE:
		break;
	}
	return 1.0;
}

static int boundary_line(conv *c, est_boundary b, double f)
{
	switch (b) {
	case EST_BOUNDARY_GPU:
		return LINE(c, "boundary: GPU-only figure to node: x %.6g (%s)", f,
			    c->s->gpu_to_node == est_profiles_constants(c->p)->gpu_to_node
				    ? "constants.gpu_to_node"
				    : "deployment.gpu_to_node, set by the scenario");
	case EST_BOUNDARY_FACILITY:
		return LINE(c, "boundary: facility figure to node: / PUE %.6g", c->s->pue);
	case EST_BOUNDARY_NODE:
		break;
	}
	return 0;
}

/*
 * Device-seconds of a record that has no measured time. Within the study
 * that gave the task statistics, the task's mean power; otherwise its GPU
 * energy spent at the measuring accelerator's maximum power.
 */
static double derived_time(const conv *c, const est_task *t, const est_model_profile *m,
			   char *how, size_t how_len)
{
	double e_gpu;

	if (t->has_stats && m->boundary == t->boundary && m->hardware &&
	    !strcmp(m->hardware->id, t->hardware)) {
		if (!c->quiet) /* the sampler wants only the number */
			snprintf(how, how_len, "its energy at the task's mean power (%.6g s per %.6g Wh)",
				 t->stats.time_s, t->stats.mean_wh);
		return m->energy_wh * t->stats.time_s / t->stats.mean_wh;
	}
	e_gpu = m->gpu_energy_wh > 0 ? m->gpu_energy_wh
				     : m->energy_wh * boundary_factor(c, m->boundary) / c->s->gpu_to_node;
	if (!c->quiet)
		snprintf(how, how_len, "its GPU energy %.6g Wh at the %s maximum power of %g W (a lower bound)",
			 e_gpu, m->hardware->id, m->hardware->max_power_w);
	return e_gpu * SECONDS_PER_HOUR / m->hardware->max_power_w;
}

/* Hardware factors from h_p to h_d, or the scenario's. */
static int hardware_factors(conv *c, const est_accelerator *hp, double *h, double *time_factor)
{
	const est_accelerator *hd = c->s->server->accelerator;
	const est_workload *w = c->w;

	if (!strcmp(hp->id, hd->id)) /* the same part, perhaps the sampler's copy of it */
		hp = hd;
	*h = hd->relative_energy / hp->relative_energy;
	*time_factor = *h * hp->max_power_w / hd->max_power_w;
	if (w->hardware_energy_factor > 0)
		*h = w->hardware_energy_factor;
	if (w->hardware_time_factor > 0)
		*time_factor = w->hardware_time_factor;
	if (hp == hd && w->hardware_energy_factor <= 0 && w->hardware_time_factor <= 0)
		return 0;
	if (w->hardware_energy_factor > 0 || w->hardware_time_factor > 0)
		return LINE(c, "hardware: measured on %s, deployed on %s: energy x %.6g, time x %.6g (set by the scenario)",
			    hp->id, hd->id, *h, *time_factor);
	return LINE(c, "hardware: measured on %s, deployed on %s: energy x %.6g (%s), time x %.6g (energy factor x %g W / %g W)",
		    hp->id, hd->id, *h, hd->conversion_basis ? hd->conversion_basis : "relative_energy",
		    *time_factor, hp->max_power_w, hd->max_power_w);
}

/* One record to the deployment. */
static int convert_record(conv *c, const est_task *t, const est_model_profile *m, double *e,
			  double *time_s)
{
	double b = boundary_factor(c, m->boundary), h = 1, tf = 1, t0 = m->time_s;
	char how[200];
	int rc = 0;

	if (t0 <= 0) {
		t0 = derived_time(c, t, m, how, sizeof(how));
		rc = LINE(c, "time: not measured for %s; %.6g s derived from %s", m->model, t0, how);
	}
	if (rc == 0)
		rc = boundary_line(c, m->boundary, b);
	if (rc == 0)
		rc = hardware_factors(c, m->hardware, &h, &tf);
	*e = m->energy_wh * b * h;
	*time_s = t0 * tf;
	return rc;
}

/* Any model, task with study statistics: the study's mean and model range. */
static int task_stats(conv *c, const est_task *t)
{
	const est_accelerator *hp = est_profiles_accelerator(c->p, t->hardware);
	double b = boundary_factor(c, t->boundary), h = 1, tf = 1;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < t->n_models; i++)
		if (t->models[i].kind == EST_MODEL_TASK_SPECIFIC && t->models[i].hardware == hp &&
		    t->models[i].boundary == t->boundary)
			n++;
	rc = LINE(c, "model: any model for %s; the study's task mean %.6g Wh and %.6g s (%zu task-specific models, %.6g to %.6g Wh)",
		  t->id, t->stats.mean_wh, t->stats.time_s, n, t->stats.min_model_wh, t->stats.max_model_wh);
	if (rc == 0)
		rc = boundary_line(c, t->boundary, b);
	if (rc == 0)
		rc = hardware_factors(c, hp, &h, &tf);
	c->wr->energy_wh = t->stats.mean_wh * b * h;
	c->wr->time_s = t->stats.time_s * tf;
	c->wr->spread_models = n;
	c->wr->spread_min_wh = t->stats.min_model_wh * b * h;
	c->wr->spread_max_wh = t->stats.max_model_wh * b * h;
	return rc;
}

/* Any model, task without statistics: the mean of its records, each converted. */
static int task_records(conv *c, const est_task *t)
{
	double sum_e = 0, sum_t = 0, lo = 0, hi = 0;
	size_t i, n = 0;
	int rc = 0;

	int was_quiet = c->quiet;

	c->quiet = 1;
	for (i = 0; i < t->n_models && rc == 0; i++) {
		const est_model_profile *m = &t->models[i];
		double e, ts;
		if (m->kind == EST_MODEL_REFERENCE || !m->hardware)
			continue;
		rc = convert_record(c, t, m, &e, &ts);
		sum_e += e;
		sum_t += ts;
		lo = n == 0 || e < lo ? e : lo;
		hi = n == 0 || e > hi ? e : hi;
		n++;
	}
	c->quiet = was_quiet;
	if (rc < 0)
		return rc;
	if (n == 0)
		return est_error_set(c->err, EST_EINVALID, c->s->file, c->w->line, c->w->column,
				     "workload '%s': task '%s' has no measured records to take 'any model' from; name a model",
				     c->w->name, t->id);
	c->wr->energy_wh = sum_e / (double)n;
	c->wr->time_s = sum_t / (double)n;
	c->wr->spread_models = n;
	c->wr->spread_min_wh = lo;
	c->wr->spread_max_wh = hi;
	return LINE(c, "model: any model for %s; mean of its %zu measured records, each converted to node level on %s: %.6g Wh (%.6g to %.6g Wh), %.6g s",
		    t->id, n, c->s->server->accelerator->id, c->wr->energy_wh, lo, hi, c->wr->time_s);
}

int est_conv_workload(est_workload_result *wr, const est_workload *w, const est_scenario *s,
		      const est_profiles *p, est_error *err)
{
	conv c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	c.w = w;
	c.wr = wr;
	c.err = err;
	if (w->model)
		rc = convert_record(&c, w->task, w->model, &wr->energy_wh, &wr->time_s);
	else if (w->task->has_stats)
		rc = task_stats(&c, w->task);
	else
		rc = task_records(&c, w->task);
	if (rc == 0 && w->energy_wh_override > 0) {
		wr->energy_wh = w->energy_wh_override;
		rc = LINE(&c, "energy: set by the scenario to %.6g Wh per inference", wr->energy_wh);
	}
	if (rc == 0 && w->time_s_override > 0) {
		wr->time_s = w->time_s_override;
		rc = LINE(&c, "time: set by the scenario to %.6g s per inference", wr->time_s);
	}
	return rc;
}

int est_conv_values(double *energy_wh, double *time_s, const est_workload *w,
		    const est_model_profile *m, const est_scenario *s, const est_profiles *p)
{
	est_workload_result wr;
	conv c;
	int rc;

	memset(&wr, 0, sizeof(wr));
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	c.w = w;
	c.wr = &wr;
	c.quiet = 1;
	if (m)
		rc = convert_record(&c, w->task, m, &wr.energy_wh, &wr.time_s);
	else if (w->model)
		rc = convert_record(&c, w->task, w->model, &wr.energy_wh, &wr.time_s);
	else if (w->task->has_stats)
		rc = task_stats(&c, w->task);
	else
		rc = task_records(&c, w->task);
	if (w->energy_wh_override > 0)
		wr.energy_wh = w->energy_wh_override;
	if (w->time_s_override > 0)
		wr.time_s = w->time_s_override;
	*energy_wh = wr.energy_wh;
	*time_s = wr.time_s;
	return rc;
}

size_t est_conv_candidates(const est_task *t, const est_profiles *p,
			   const est_model_profile **out, size_t max)
{
	const est_accelerator *hp = t->has_stats ? est_profiles_accelerator(p, t->hardware) : NULL;
	size_t i, n = 0;

	for (i = 0; i < t->n_models; i++) {
		const est_model_profile *m = &t->models[i];
		int ok = t->has_stats ? (m->kind == EST_MODEL_TASK_SPECIFIC && m->hardware == hp &&
					 m->boundary == t->boundary)
				      : (m->kind != EST_MODEL_REFERENCE && m->hardware != NULL);
		if (!ok)
			continue;
		if (n < max)
			out[n] = m;
		n++;
	}
	return n;
}
