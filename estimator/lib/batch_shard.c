/*
 * Which block of the sorted input list one shard of a batch run takes
 * (docs/batch.md, "Inputs and shards"): K/N given, or read from a
 * scheduler's array variables (Slurm, a Kubernetes Indexed Job, AWS Batch).
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "estimator/batch.h"
#include "format.h"

/* ------------------------------------------------------------------------ */
/* Shards                                                                    */

/* The len bytes at s as a whole number 0 to max in decimal digits only; -1 otherwise. */
static int whole_n(const char *s, size_t len, size_t max, size_t *out)
{
	size_t v = 0;
	const char *end = s + len;

	if (len == 0)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (size_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int whole(const char *s, size_t max, size_t *out)
{
	return whole_n(s, strlen(s), max, out);
}

/* Environment variable name as a whole number up to max, or an error naming it. */
static int env_whole(est_batch_getenv_fn get, void *ctx, const char *name, size_t max,
		     size_t *out, est_error *err)
{
	const char *v = get(name, ctx);

	if (!v)
		v = "";
	if (whole(v, max, out) != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: %s is '%s', not a whole number from 0 to %zu",
				     name, v, max);
	return 0;
}

static int count_agrees(size_t env_count, const char *name, size_t shard_count, est_error *err)
{
	if (shard_count != 0 && shard_count != env_count)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard-count %zu does not agree with %s=%zu", shard_count,
				     name, env_count);
	return 0;
}

static int index_in_range(size_t index, size_t count, const char *what, est_error *err)
{
	if (count == 0 || count > EST_BATCH_SHARDS_MAX)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: %s gives %zu shards; from 1 to %d are allowed",
				     what, count, EST_BATCH_SHARDS_MAX);
	if (index >= count)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: %s gives shard index %zu of %zu; the index must be "
				     "below the count (0-based)",
				     what, index, count);
	return 0;
}

#define ENV_MAX SIZE_MAX

static int from_slurm(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get, void *ctx,
		      est_error *err)
{
	size_t id, count, min = 0, step = 1, max;
	int rc;

	if (!get("SLURM_ARRAY_TASK_COUNT", ctx))
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: SLURM_ARRAY_TASK_ID is set but not "
				     "SLURM_ARRAY_TASK_COUNT (Slurm 18.08 or later sets both)");
	rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_ID", ENV_MAX, &id, err);
	if (rc == 0)
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_COUNT", ENV_MAX, &count, err);
	if (rc == 0 && get("SLURM_ARRAY_TASK_MIN", ctx))
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_MIN", ENV_MAX, &min, err);
	if (rc == 0 && get("SLURM_ARRAY_TASK_STEP", ctx))
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_STEP", ENV_MAX, &step, err);
	if (rc != 0)
		return rc;
	if (step == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: SLURM_ARRAY_TASK_STEP is 0");
	if (id < min || (id - min) % step != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: SLURM_ARRAY_TASK_ID=%zu is not MIN + a multiple of "
				     "STEP (MIN=%zu, STEP=%zu); use an array such as --array=0-3 or 1-7:2",
				     id, min, step);
	if (count > 0 && count <= EST_BATCH_SHARDS_MAX && get("SLURM_ARRAY_TASK_MAX", ctx)) {
		rc = env_whole(get, ctx, "SLURM_ARRAY_TASK_MAX", ENV_MAX, &max, err);
		if (rc != 0)
			return rc;
		if (max < min || (max - min) % step != 0 || (max - min) / step != count - 1)
			return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
					     "--shard auto: the Slurm array is not MIN-MAX:STEP "
					     "(MIN=%zu, MAX=%zu, STEP=%zu, COUNT=%zu); use an array "
					     "such as --array=0-3 or 1-7:2",
					     min, max, step, count);
	}
	s->index = (id - min) / step;
	s->count = count;
	s->source = "Slurm";
	rc = index_in_range(s->index, count, "Slurm (SLURM_ARRAY_TASK_*)", err);
	return rc ? rc : count_agrees(count, "SLURM_ARRAY_TASK_COUNT", shard_count, err);
}

static int from_kubernetes(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get,
			   void *ctx, est_error *err)
{
	int rc = env_whole(get, ctx, "JOB_COMPLETION_INDEX", ENV_MAX, &s->index, err);

	if (rc != 0)
		return rc;
	if (shard_count == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) "
				     "exports no count: give --shard-count N, the Job's completions");
	s->count = shard_count;
	s->source = "Kubernetes";
	return index_in_range(s->index, s->count, "Kubernetes (JOB_COMPLETION_INDEX, --shard-count)",
			      err);
}

static int from_aws(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get, void *ctx,
		    est_error *err)
{
	int rc = env_whole(get, ctx, "AWS_BATCH_JOB_ARRAY_INDEX", ENV_MAX, &s->index, err);

	if (rc != 0)
		return rc;
	if (get("AWS_BATCH_JOB_ARRAY_SIZE", ctx)) {
		rc = env_whole(get, ctx, "AWS_BATCH_JOB_ARRAY_SIZE", ENV_MAX, &s->count, err);
		if (rc == 0)
			rc = count_agrees(s->count, "AWS_BATCH_JOB_ARRAY_SIZE", shard_count, err);
		if (rc != 0)
			return rc;
	} else if (shard_count != 0) {
		s->count = shard_count;
	} else {
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto: AWS_BATCH_JOB_ARRAY_INDEX is set but not "
				     "AWS_BATCH_JOB_ARRAY_SIZE; give --shard-count N, the array's size");
	}
	s->source = "AWS Batch";
	return index_in_range(s->index, s->count, "AWS Batch (AWS_BATCH_JOB_ARRAY_*)", err);
}

static int shard_auto(est_batch_shard *s, size_t shard_count, est_batch_getenv_fn get, void *ctx,
		      est_error *err)
{
	int slurm = get("SLURM_ARRAY_TASK_ID", ctx) != NULL;
	int k8s = get("JOB_COMPLETION_INDEX", ctx) != NULL;
	int aws = get("AWS_BATCH_JOB_ARRAY_INDEX", ctx) != NULL;

	if (slurm + k8s + aws > 1)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard auto found more than one array job (%s%s%s); "
				     "give --shard K/N",
				     slurm ? "SLURM_ARRAY_TASK_ID" : "",
				     k8s ? (slurm ? ", JOB_COMPLETION_INDEX" : "JOB_COMPLETION_INDEX") : "",
				     aws ? ", AWS_BATCH_JOB_ARRAY_INDEX" : "");
	if (slurm)
		return from_slurm(s, shard_count, get, ctx, err);
	if (k8s)
		return from_kubernetes(s, shard_count, get, ctx, err);
	if (aws)
		return from_aws(s, shard_count, get, ctx, err);
	return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
			     "--shard auto found no array job: none of SLURM_ARRAY_TASK_ID (Slurm), "
			     "JOB_COMPLETION_INDEX (Kubernetes) and AWS_BATCH_JOB_ARRAY_INDEX "
			     "(AWS Batch) is set; give --shard K/N");
}

int est_batch_shard_parse(est_batch_shard *out, const char *spec, size_t shard_count,
			  est_batch_getenv_fn getenv_fn, void *ctx, est_error *err)
{
	est_batch_shard s = { 0, 1, "--shard" };
	const char *slash;
	int rc;

	assert(out && spec);
	if (shard_count > EST_BATCH_SHARDS_MAX)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard-count %zu: from 1 to %d shards are allowed", shard_count,
				     EST_BATCH_SHARDS_MAX);
	if (!strcmp(spec, "auto")) {
		assert(getenv_fn);
		rc = shard_auto(&s, shard_count, getenv_fn, ctx, err);
		if (rc == 0)
			*out = s;
		return rc;
	}
	if (shard_count != 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard-count goes with --shard auto (K/N gives the count)");
	slash = strchr(spec, '/');
	if (!slash)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard '%s': expected K/N (shard K of N, K from 0 to N-1) or auto",
				     spec);
	if (whole(slash + 1, EST_BATCH_SHARDS_MAX, &s.count) != 0 || s.count == 0)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard '%s': N must be a whole number from 1 to %d", spec,
				     EST_BATCH_SHARDS_MAX);
	if (whole_n(spec, (size_t)(slash - spec), EST_BATCH_SHARDS_MAX, &s.index) != 0 ||
	    s.index >= s.count)
		return est_error_set(err, EST_EUSAGE, NULL, 0, 0,
				     "--shard '%s': K must be a whole number from 0 to %zu (K is "
				     "0-based: the shards of %zu are 0/%zu to %zu/%zu)",
				     spec, s.count - 1, s.count, s.count, s.count - 1, s.count);
	*out = s;
	return 0;
}

void est_batch_shard_range(const est_batch_shard *s, size_t n, size_t *begin, size_t *end)
{
	size_t q, r, k;

	assert(s && begin && end && s->count >= 1 && s->index < s->count);
	q = n / s->count;
	r = n % s->count;
	k = s->index;
	*begin = k * q + (k < r ? k : r);
	*end = *begin + q + (k < r ? 1 : 0);
}
