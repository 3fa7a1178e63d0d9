/*
 * One evaluation of one scenario (evaluate.h): load, model, the sampling
 * settings by one rule, sample. The commands that evaluate a file call this
 * instead of each settling `uncertainty:` on its own.
 */
#include <assert.h>
#include <string.h>

#include "estimator/evaluate.h"

est_eval_options est_eval_options_run(void)
{
	est_eval_options o;

	memset(&o, 0, sizeof(o));
	o.fallback_samples = EST_EVAL_RUN_SAMPLES;
	o.fallback_seed = EST_EVAL_RUN_SEED;
	return o;
}

/* The option, else the scenario's `uncertainty:`, else the caller's fallback. */
static est_sample_options settle(const est_scenario *s, const est_eval_options *o)
{
	est_sample_options so;

	so.samples = o->samples ? o->samples
		   : s->has_sample_default ? s->sample_default : o->fallback_samples;
	so.seed = o->seed_given ? o->seed : s->has_seed_default ? s->seed_default : o->fallback_seed;
	so.threads = o->threads > 0 ? o->threads : EST_EVAL_THREADS;
	return so;
}

int est_evaluate(est_evaluation *out, const char *path, const est_profiles *p,
		 const est_eval_options *o, est_error *err)
{
	int rc;

	assert(out);
	assert(path);
	assert(p);
	assert(o);
	memset(out, 0, sizeof(*out));
	rc = est_scenario_load_with(&out->scenario, path, p, &o->load, err);
	if (rc < 0)
		return rc;
	out->sampling = settle(out->scenario, o);
	if (o->load_only)
		return 0;
	rc = est_model_run(&out->result, out->scenario, p, err);
	if (rc < 0 || out->sampling.samples == 0 || o->no_sampling)
		return rc;
	rc = est_model_sample(out->result, out->scenario, p, &out->sampling, err);
	if (rc == 0)
		out->sampled = 1;
	return rc;
}

void est_evaluation_free(est_evaluation *e)
{
	if (!e)
		return;
	est_result_free(e->result);
	est_scenario_free(e->scenario);
	memset(e, 0, sizeof(*e));
}
