/*
 * Per-inference conversions (docs/model.md, section 2). A measured record
 * (energy e_0 at a boundary, on hardware h_p, device-seconds t_0) is
 * decomposed into the energy its busy accelerators drew, converted to the
 * deployment accelerator h_d, held within that accelerator's idle and
 * maximum power, and split into what one inference adds above idle: the
 * active accelerator's part and the host's share. Every factor applied is
 * written as a line of the result.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conversions.h"

#define SECONDS_PER_HOUR 3600.0
#define BYTES_PER_GB 1e9

typedef struct conv {
	const est_scenario *s;
	const est_profiles *p;
	const est_workload *w;
	est_workload_result *wr;
	est_error *err;
	int quiet;            /* converting one of many records, or sampling: no lines */
} conv;

/* What one record comes to at the deployment. */
typedef struct parts {
	double acc_wh, host_wh, time_s;
} parts;

#define LINE(c, ...)                                                              \
	((c)->quiet || (c)->s->terse ? 0                                          \
		    : (est_lines_push(&(c)->wr->conversions, &(c)->wr->n_conversions, \
				      __VA_ARGS__) < 0                            \
			       ? est_error_set((c)->err, EST_EINTERNAL, (c)->s->file, 0, 0, \
					       "out of memory")                   \
			       : 0))

static const est_accelerator *deployed(const conv *c)
{
	return c->s->server->accelerator;
}

static const char *beta_origin(const conv *c)
{
	return c->s->gpu_to_node == est_profiles_constants(c->p)->gpu_to_node
		       ? "constants.gpu_to_node"
		       : "deployment.gpu_to_node, set by the scenario";
}

/* Hardware factors from h_p to h_d, or the scenario's. */
static int hardware_factors(conv *c, const est_accelerator *hp, double *h, double *time_factor)
{
	const est_accelerator *hd = deployed(c);
	const est_workload *w = c->w;

	if (!strcmp(hp->id, hd->id)) /* the same part, perhaps the sampler's copy of it */
		hp = hd;
	*h = w->hardware_energy_factor > 0 ? w->hardware_energy_factor
					   : hd->relative_energy / hp->relative_energy;
	*time_factor = w->hardware_time_factor > 0 ? w->hardware_time_factor
						   : *h * hp->max_power_w / hd->max_power_w;
	if (hp == hd && w->hardware_energy_factor <= 0 && w->hardware_time_factor <= 0)
		return 0;
	if (w->hardware_energy_factor > 0 || w->hardware_time_factor > 0)
		return LINE(c, "hardware: measured on %s, deployed on %s: accelerator energy x %.6g (%s), time x %.6g (%s)",
			    hp->id, hd->id, *h,
			    w->hardware_energy_factor > 0 ? "set by the scenario" : "relative_energy",
			    *time_factor,
			    w->hardware_time_factor > 0 ? "set by the scenario" : "energy factor x maximum power ratio");
	return LINE(c, "hardware: measured on %s, deployed on %s: accelerator energy x %.6g (%s), time x %.6g (energy factor x %g W / %g W)",
		    hp->id, hd->id, *h, hd->conversion_basis ? hd->conversion_basis : "relative_energy",
		    *time_factor, hp->max_power_w, hd->max_power_w);
}

/*
 * A measurement in general form: e0 at boundary b on hp, with the node's
 * GPU reading e_gpu (0: none), n busy of nn accelerators, t0 device-seconds
 * (0: not measured; then t_study, when > 0, is the study's seconds per Wh).
 */
typedef struct meas {
	const char *what;         /* for lines: a model name or "the task mean" */
	est_boundary b;
	const est_accelerator *hp;
	double e0, e_gpu, t0, t_per_wh;
	int n, nn;
} meas;

/* Accelerator energy at the record (e_a) and its device-seconds. */
static int record_accelerator(conv *c, const meas *m, double *e_a, double *t0)
{
	double beta = c->s->gpu_to_node, idle_share;
	int rc = 0;

	*t0 = m->t0;
	if (m->b == EST_BOUNDARY_NODE && m->e_gpu > 0) {
		idle_share = (double)(m->nn - m->n) / m->n * m->hp->idle_power_w; /* W per busy device */
		if (*t0 <= 0 && m->t_per_wh > 0)
			*t0 = m->e0 * m->t_per_wh;
		if (*t0 <= 0) /* at maximum power: e_a = e_gpu - idle_share * e_a / P_max */
			*e_a = m->e_gpu / (1 + idle_share / m->hp->max_power_w);
		else
			*e_a = m->e_gpu - idle_share * *t0 / SECONDS_PER_HOUR;
		if (*e_a < 0)
			*e_a = 0;
		if (m->nn > m->n)
			rc = LINE(c, "boundary: node figure %.6g Wh of %d %s (%d busy): GPU reading %.6g Wh less %d idle x %g W over the busy time = %.6g Wh on the busy accelerator; the node's CPU and RAM (%.6g Wh, a constant estimate) are the measuring host's standing draw, not charged",
				  m->e0, m->nn, m->hp->id, m->n, m->e_gpu, m->nn - m->n, m->hp->idle_power_w,
				  *e_a, m->e0 - m->e_gpu);
		else
			rc = LINE(c, "boundary: node figure %.6g Wh: GPU reading %.6g Wh on the busy accelerators; CPU and RAM (%.6g Wh) are the measuring host's standing draw, not charged",
				  m->e0, m->e_gpu, m->e0 - m->e_gpu);
	} else if (m->b == EST_BOUNDARY_NODE) {
		*e_a = m->e0 / beta;
		rc = LINE(c, "boundary: node figure %.6g Wh without a GPU reading: accelerator share / %.6g (%s) = %.6g Wh",
			  m->e0, beta, beta_origin(c), *e_a);
	} else if (m->b == EST_BOUNDARY_FACILITY) {
		*e_a = m->e0 / c->s->pue / beta;
		rc = LINE(c, "boundary: facility figure %.6g Wh: / PUE %.6g / %.6g (%s) = %.6g Wh on the accelerators",
			  m->e0, c->s->pue, beta, beta_origin(c), *e_a);
	} else {
		*e_a = m->e0;
	}
	if (rc == 0 && *t0 <= 0) {
		if (m->t_per_wh > 0) {
			*t0 = m->e0 * m->t_per_wh;
			rc = LINE(c, "time: not measured for %s; %.6g s derived from its energy at the task's mean power (%.6g s per Wh)",
				  m->what, *t0, m->t_per_wh);
		} else {
			*t0 = *e_a * SECONDS_PER_HOUR / m->hp->max_power_w;
			rc = LINE(c, "time: not measured for %s; %.6g s derived from its accelerator energy %.6g Wh at the %s maximum power of %g W (a lower bound)",
				  m->what, *t0, *e_a, m->hp->id, m->hp->max_power_w);
		}
	}
	return rc;
}

/*
 * The accelerator energy e_ad over t_w on h_d, held within idle and maximum
 * power, split into what the inference adds: accelerator and host parts.
 */
static int split(conv *c, double e_ad, double t_w, parts *out)
{
	const est_accelerator *hd = deployed(c);
	const est_server *srv = c->s->server;
	double lo = hd->idle_power_w * t_w / SECONDS_PER_HOUR;
	double hi = hd->max_power_w * t_w / SECONDS_PER_HOUR;
	double headroom = srv->max_power_kw * 1000.0 - srv->host_idle_w - srv->accelerators * hd->max_power_w;
	double host_cap = (headroom > 0 ? headroom : 0) / srv->accelerators * t_w / SECONDS_PER_HOUR;
	double acc, host;
	int rc = 0;

	if (e_ad > hi * (1 + 1e-12)) {
		rc = LINE(c, "bound: %.6g Wh in %.6g s implies %.6g W on one %s, above its maximum %g W: clamped to %.6g Wh",
			  e_ad, t_w, e_ad * SECONDS_PER_HOUR / t_w, hd->id, hd->max_power_w, hi);
		e_ad = hi;
	} else if (e_ad < lo * (1 - 1e-12)) {
		rc = LINE(c, "bound: %.6g Wh in %.6g s implies %.6g W on one %s, below its idle %g W: raised to %.6g Wh (nothing above idle)",
			  e_ad, t_w, e_ad * SECONDS_PER_HOUR / t_w, hd->id, hd->idle_power_w, lo);
		e_ad = lo;
	}
	acc = e_ad - lo;
	if (acc < 0)
		acc = 0;
	host = (c->s->gpu_to_node - 1) * acc;
	if (host < 0)
		host = 0;
	if (rc == 0 && host > host_cap) {
		rc = LINE(c, "bound: host share %.6g Wh capped at the host's headroom, %g W per accelerator over %.6g s = %.6g Wh",
			  host, headroom / srv->accelerators, t_w, host_cap);
		host = host_cap;
	}
	if (rc == 0)
		rc = LINE(c, "per inference above idle: accelerator %.6g Wh (%.6g Wh less idle %g W x %.6g s) + host %.6g Wh (x %.6g: %s - 1, AI Energy Score's CPU and RAM share) = %.6g Wh",
			  acc, e_ad, hd->idle_power_w, t_w, host, c->s->gpu_to_node - 1, beta_origin(c),
			  acc + host);
	out->acc_wh = acc;
	out->host_wh = host;
	out->time_s = t_w;
	return rc;
}

/* One measurement to the deployment. */
static int convert(conv *c, const meas *m, parts *out)
{
	double e_a, t0, h = 1, tf = 1, t_w;
	int rc = record_accelerator(c, m, &e_a, &t0);

	if (rc == 0)
		rc = hardware_factors(c, m->hp, &h, &tf);
	t_w = t0 * tf;
	if (rc == 0 && c->w->time_s_override > 0) {
		t_w = c->w->time_s_override;
		rc = LINE(c, "time: set by the scenario to %.6g s per inference", t_w);
	}
	if (rc == 0)
		rc = split(c, e_a * h, t_w, out);
	return rc;
}

static meas record_meas(const est_task *t, const est_model_profile *m)
{
	meas x;

	memset(&x, 0, sizeof(x));
	x.what = m->model;
	x.b = m->boundary;
	x.hp = m->hardware;
	x.e0 = m->energy_wh;
	x.e_gpu = m->boundary == EST_BOUNDARY_NODE ? m->gpu_energy_wh : 0;
	x.t0 = m->time_s;
	x.n = m->gpus > 0 ? m->gpus : 1;
	x.nn = m->node_gpus > x.n ? m->node_gpus : x.n;
	if (t->has_stats && m->boundary == t->boundary && m->hardware &&
	    !strcmp(m->hardware->id, t->hardware) && t->stats.mean_wh > 0)
		x.t_per_wh = t->stats.time_s / t->stats.mean_wh;
	return x;
}

/* Any model, task with study statistics: the study's mean, and its model range scaled alike. */
static int task_stats(conv *c, const est_task *t, parts *out)
{
	meas x;
	size_t i, n = 0;
	int rc;

	memset(&x, 0, sizeof(x));
	x.what = "the task mean";
	x.b = t->boundary;
	x.hp = est_profiles_accelerator(c->p, t->hardware);
	x.e0 = t->stats.mean_wh;
	x.e_gpu = t->boundary == EST_BOUNDARY_NODE ? t->stats.gpu_share * t->stats.mean_wh : 0;
	x.t0 = t->stats.time_s;
	x.n = 1;
	x.nn = t->node_gpus > 1 ? t->node_gpus : 1;
	for (i = 0; i < t->n_models; i++)
		if (t->models[i].kind == EST_MODEL_TASK_SPECIFIC && t->models[i].hardware == x.hp &&
		    t->models[i].boundary == t->boundary)
			n++;
	rc = LINE(c, "model: any model for %s; the study's task mean %.6g Wh and %.6g s (%zu task-specific models, %.6g to %.6g Wh)",
		  t->id, t->stats.mean_wh, t->stats.time_s, n, t->stats.min_model_wh, t->stats.max_model_wh);
	if (rc == 0)
		rc = convert(c, &x, out);
	if (!c->quiet) {
		double k = (out->acc_wh + out->host_wh) / t->stats.mean_wh;
		c->wr->spread_models = n;
		c->wr->spread_min_wh = t->stats.min_model_wh * k;
		c->wr->spread_max_wh = t->stats.max_model_wh * k;
		c->wr->measured_wh = t->stats.mean_wh;
		c->wr->measured_boundary = est_boundary_name(t->boundary);
	}
	return rc;
}

/* Any model, task without statistics: the mean of its records, each converted. */
static int task_records(conv *c, const est_task *t, parts *out)
{
	double sum_a = 0, sum_h = 0, sum_t = 0, sum_e0 = 0, lo = 0, hi = 0;
	size_t i, n = 0;
	int rc = 0, was_quiet = c->quiet;

	c->quiet = 1;
	for (i = 0; i < t->n_models && rc == 0; i++) {
		const est_model_profile *m = &t->models[i];
		meas x;
		parts p;
		if (m->kind == EST_MODEL_REFERENCE || !m->hardware)
			continue;
		x = record_meas(t, m);
		rc = convert(c, &x, &p);
		sum_a += p.acc_wh;
		sum_h += p.host_wh;
		sum_t += p.time_s;
		sum_e0 += m->energy_wh;
		lo = n == 0 || p.acc_wh + p.host_wh < lo ? p.acc_wh + p.host_wh : lo;
		hi = n == 0 || p.acc_wh + p.host_wh > hi ? p.acc_wh + p.host_wh : hi;
		n++;
	}
	c->quiet = was_quiet;
	if (rc < 0)
		return rc;
	if (n == 0)
		return est_error_set(c->err, EST_EINVALID, c->s->file, c->w->line, c->w->column,
				     "workload '%s': task '%s' has no measured records to take 'any model' from; name a model",
				     c->w->name, t->id);
	out->acc_wh = sum_a / (double)n;
	out->host_wh = sum_h / (double)n;
	out->time_s = sum_t / (double)n;
	if (c->quiet)
		return 0;
	c->wr->spread_models = n;
	c->wr->spread_min_wh = lo;
	c->wr->spread_max_wh = hi;
	c->wr->measured_wh = sum_e0 / (double)n;
	c->wr->measured_boundary = NULL; /* records at several boundaries */
	return LINE(c, "model: any model for %s; mean of its %zu measured records, each converted on %s: %.6g Wh above idle (%.6g to %.6g Wh), %.6g s",
		    t->id, n, deployed(c)->id, out->acc_wh + out->host_wh, lo, hi, out->time_s);
}

/* The scenario's energy_per_inference, split as the record splits, within the bound. */
static int energy_override(conv *c, parts *p)
{
	const est_accelerator *hd = deployed(c);
	const est_server *srv = c->s->server;
	double e = c->w->energy_wh_override, total = p->acc_wh + p->host_wh;
	double headroom = srv->max_power_kw * 1000.0 - srv->host_idle_w - srv->accelerators * hd->max_power_w;
	double acc_most = (hd->max_power_w - hd->idle_power_w) * p->time_s / SECONDS_PER_HOUR;
	double host_most = (headroom > 0 ? headroom : 0) / srv->accelerators * p->time_s / SECONDS_PER_HOUR;
	double most = acc_most + host_most;
	double share = total > 0 ? p->acc_wh / total : 1;
	int rc = LINE(c, "energy: set by the scenario to %.6g Wh per inference above idle", e);

	if (rc == 0 && e > most * (1 + 1e-12)) {
		rc = LINE(c, "bound: %.6g Wh in %.6g s is more than one %s and its host share can add (%.6g Wh): clamped",
			  e, p->time_s, hd->id, most);
		e = most;
	}
	/* in the record's proportion, each part within its own bound (section 5) */
	p->acc_wh = e * share < acc_most ? e * share : acc_most;
	p->host_wh = e - p->acc_wh;
	if (p->host_wh > host_most) {
		p->host_wh = host_most;
		p->acc_wh = e - host_most;
	}
	return rc;
}

/*
 * Accelerators one replica needs: the weights plus headroom in the deployed
 * accelerator's memory (docs/model.md section 3); more than a server holds is
 * an error at the workload.
 */
static int replica(conv *c, int *out)
{
	const est_accelerator *hd = deployed(c);
	const est_server *srv = c->s->server;
	double need_gb = c->w->weights_bytes / BYTES_PER_GB * est_profiles_constants(c->p)->memory_headroom;
	double x = hd->memory_gb > 0 ? need_gb / hd->memory_gb : 1, n = nearbyint(x);
	/* whole-number tolerance of docs/model.md section 3 */
	double r = fabs(x - n) <= 1e-9 * fabs(x) ? n : ceil(x);

	*out = r < 1 ? 1 : (int)fmin(r, 1e6);
	if (c->w->weights_bytes <= 0)
		return LINE(c, "memory: weights unknown: one accelerator per replica assumed");
	if (*out > srv->accelerators)
		return est_error_set(c->err, EST_EINVALID, c->s->file, c->w->line, c->w->column,
				     "workload '%s': the model needs %.6g GB (%.6g GB of weights x %g headroom), more than one %s holds (%d x %g GB); choose a server with more accelerator memory",
				     c->w->name, need_gb, c->w->weights_bytes / BYTES_PER_GB,
				     est_profiles_constants(c->p)->memory_headroom, srv->id, srv->accelerators,
				     hd->memory_gb);
	return LINE(c, "memory: %.6g GB of weights x %g headroom = %.6g GB: %d x %s (%g GB each) per replica",
		    c->w->weights_bytes / BYTES_PER_GB, est_profiles_constants(c->p)->memory_headroom, need_gb,
		    *out, hd->id, hd->memory_gb);
}

static int run(conv *c, const est_model_profile *m, est_workload_result *out)
{
	const est_workload *w = c->w;
	parts p;
	int rc;

	memset(&p, 0, sizeof(p));
	if (m) {
		meas x = record_meas(w->task, m);
		if (!c->quiet) {
			out->measured_wh = m->energy_wh;
			out->measured_boundary = est_boundary_name(m->boundary);
		}
		rc = convert(c, &x, &p);
	} else if (w->task->has_stats) {
		rc = task_stats(c, w->task, &p);
	} else {
		rc = task_records(c, w->task, &p);
	}
	if (rc == 0 && w->energy_wh_override > 0)
		rc = energy_override(c, &p);
	if (rc == 0)
		rc = replica(c, &out->replica);
	out->accelerator_wh = p.acc_wh;
	out->host_wh = p.host_wh;
	out->energy_wh = p.acc_wh + p.host_wh;
	out->time_s = p.time_s;
	out->weights_gb = w->weights_bytes / BYTES_PER_GB;
	return rc;
}

int est_conv_workload(est_workload_result *wr, const est_workload *w, const est_scenario *s,
		      const est_profiles *p, est_error *err)
{
	conv c;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	c.w = w;
	c.wr = wr;
	c.err = err;
	return run(&c, w->model, wr);
}

int est_conv_values(est_workload_result *out, const est_workload *w, const est_model_profile *m,
		    const est_scenario *s, const est_profiles *p)
{
	conv c;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.p = p;
	c.w = w;
	c.wr = out; /* quiet: nothing is written through it but the figures */
	c.quiet = 1;
	return run(&c, m ? m : w->model, out);
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
