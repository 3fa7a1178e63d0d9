/*
 * Many scenarios in one run (`estimator batch`, docs/batch.md). This part is
 * its input side: the list of scenario files from PATH arguments and --list
 * files, the contiguous block of it one shard takes (given as K/N or read
 * from a Slurm, Kubernetes or AWS Batch array job's environment), and the
 * SHA-256 digest that names the list in a manifest.
 *
 * Ownership: est_batch_inputs_collect returns an owned est_batch_inputs freed
 * with est_batch_inputs_free; a walk (est_batch_walk_open) is owned, freed
 * with est_batch_walk_close, and borrows its inputs; options, shards and
 * digest contexts are plain values the caller owns.
 */
#ifndef ESTIMATOR_BATCH_H
#define ESTIMATOR_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "error.h"

/* Bytes of one --list line, not counting its line break: a path (PATH_MAX on Linux). */
#define EST_BATCH_LIST_LINE_MAX 4096

#define EST_BATCH_DIGEST_HEX 65 /* 64 hex digits and a NUL */

/* The most shards a run may be split into (K/N, --shard-count, an array's size). */
#define EST_BATCH_SHARDS_MAX 1000000

/* What to read. At least one path or one list. */
typedef struct est_batch_input_options {
	const char *const *paths;  /* PATH arguments: files (taken whatever their name) or folders */
	size_t n_paths;
	const char *const *lists;  /* --list FILE arguments, one path a line; "-" reads list_stdin */
	size_t n_lists;
	FILE *list_stdin;          /* standard input for a list "-" (named <stdin>); NULL refuses "-" */
} est_batch_input_options;

/*
 * The scenario files: sorted bytewise (strcmp), each file once, each path as
 * given. The list is not held: folders are walked again, in order, by each
 * est_batch_walk, so memory does not grow with the files under a folder
 * (docs/batch.md, "Memory"); the files named by PATH arguments and list
 * lines, and the folders, are held.
 */
typedef struct est_batch_inputs_held est_batch_inputs_held;
typedef struct est_batch_inputs {
	size_t n;                           /* files in the list */
	char digest[EST_BATCH_DIGEST_HEX];  /* est_batch_list_digest of the list */
	est_batch_inputs_held *held;        /* private */
} est_batch_inputs;

/*
 * Read the inputs and walk them once, to count and digest the list (the
 * rules are in docs/batch.md, "Inputs and shards"). A folder gives the
 * *.yaml and *.yml files under it, hidden names skipped; a file found there
 * that cannot be read is still listed (it fails when it is loaded). Errors:
 * EST_EUSAGE when there is no PATH and no list,
 * or a list "-" without list_stdin or given twice; EST_EIO naming the path
 * (or LIST:LINE for a list's line) when an argument is missing, a list or a
 * folder cannot be read, or a folder leads back into itself through a
 * symbolic link; EST_EINVALID at LIST:LINE:COL for a list line that is not
 * UTF-8, holds a NUL byte or is longer than EST_BATCH_LIST_LINE_MAX;
 * EST_EINVALID when no scenario file was found; EST_EINTERNAL when memory
 * ran out. On error *out is NULL.
 */
int est_batch_inputs_collect(est_batch_inputs **out, const est_batch_input_options *o,
			     est_error *err);
void est_batch_inputs_free(est_batch_inputs *in);

/*
 * A walk of the list, in order. est_batch_walk_next returns 1 with *path
 * the next file (valid until the next call or the close), 0 at the end, or
 * a negative status in err when a folder cannot be read any more or now
 * leads into itself. A walk of inputs whose files did not change gives the
 * list est_batch_inputs_collect counted; est_batch_walk_changed says,
 * after the end, whether this one did not (another count or digest).
 */
typedef struct est_batch_walk est_batch_walk;
int est_batch_walk_open(est_batch_walk **out, const est_batch_inputs *in, est_error *err);
int est_batch_walk_next(est_batch_walk *w, const char **path, est_error *err);
int est_batch_walk_changed(est_batch_walk *w);
void est_batch_walk_close(est_batch_walk *w);

/* The whole list as an array of owned paths (*paths freed with est_batch_list_free). */
int est_batch_inputs_list(const est_batch_inputs *in, char ***paths, est_error *err);
void est_batch_list_free(char **paths, size_t n);

/* ------------------------------------------------------------------------ */
/* Digests: SHA-256 (FIPS 180-4), printed as 64 lowercase hex digits.        */


typedef struct est_batch_sha256 {
	uint32_t state[8];
	uint64_t bytes;             /* message length so far */
	unsigned char block[64];
	size_t used;                /* bytes waiting in block */
} est_batch_sha256;

void est_batch_sha256_init(est_batch_sha256 *h);
void est_batch_sha256_update(est_batch_sha256 *h, const void *data, size_t len);
/* The digest of everything given to update; h must be initialised again before reuse. */
void est_batch_sha256_hex(est_batch_sha256 *h, char out[EST_BATCH_DIGEST_HEX]);

/* A list's digest: SHA-256 of every path in order, each followed by a NUL byte. */
void est_batch_list_digest(const char *const *paths, size_t n, char out[EST_BATCH_DIGEST_HEX]);

/* ------------------------------------------------------------------------ */
/* Shards.                                                                   */

/* One job's part of the run: shard index (0-based) of count. */
typedef struct est_batch_shard {
	size_t index;        /* 0 to count - 1 */
	size_t count;        /* 1 to EST_BATCH_SHARDS_MAX */
	const char *source;  /* static: "--shard", "Slurm", "Kubernetes" or "AWS Batch" */
} est_batch_shard;

/* An environment lookup (getenv in the CLI, a table in tests): the value of name or NULL. */
typedef const char *(*est_batch_getenv_fn)(const char *name, void *ctx);

/*
 * The shard from --shard SPEC: "K/N" (K 0-based, 0 <= K < N) or "auto",
 * which reads the array job's index and size through getenv_fn: Slurm
 * (SLURM_ARRAY_TASK_ID and _COUNT; _MIN and _STEP for 1-based or stepped
 * arrays, index (ID - MIN) / STEP; _MAX checked when set), a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX; the count is shard_count, since
 * Kubernetes exports none) or AWS Batch (AWS_BATCH_JOB_ARRAY_INDEX and
 * _SIZE). shard_count is --shard-count (0 when not given): only with
 * "auto", and where the environment has a size it must agree. Every error
 * is EST_EUSAGE: a malformed SPEC, an index out of range, no array job
 * found, more than one found, or values that do not fit together.
 */
int est_batch_shard_parse(est_batch_shard *out, const char *spec, size_t shard_count,
			  est_batch_getenv_fn getenv_fn, void *ctx, est_error *err);

/*
 * The block of an n-entry list that shard s takes: entries [*begin, *end).
 * The blocks of shards 0 to count - 1 follow each other and cover the list
 * once; their sizes differ by at most one, the earlier ones larger.
 */
void est_batch_shard_range(const est_batch_shard *s, size_t n, size_t *begin, size_t *end);

#endif

/* ------------------------------------------------------------------------ */
/* The run (batch_run.c): evaluate a block of the list, results in order.    */
/*
 * Ownership: est_batch_run borrows everything in its options for the call;
 * the item passed to the emit callback, and every string reached from it,
 * lives until the callback returns.
 */
#ifndef ESTIMATOR_BATCH_RUN_H
#define ESTIMATOR_BATCH_RUN_H

#include "evaluate.h"
#include "rows.h"

#define EST_BATCH_THREADS_MAX 64
#define EST_BATCH_CHUNK 16            /* scenarios a worker takes at once */
#define EST_BATCH_WINDOW_PER_THREAD 2 /* chunks in flight: 2 x threads */

/* The header of the failures table. */
#define EST_BATCH_FAILURES_HEADER "scenario,stage,exit_code,message\n"

typedef enum est_batch_format {
	EST_BATCH_CSV,   /* tidy rows (rows.h), header EST_ROWS_HEADER once */
	EST_BATCH_NDJSON /* one estimator-result/1 document a line */
} est_batch_format;

/* "csv" or "ndjson": 0 and *out set, or EST_EUSAGE (nothing set). */
int est_batch_format_parse(est_batch_format *out, const char *name);

typedef struct est_batch_run_options {
	const est_batch_inputs *inputs; /* walked again: a file changed since is an error */
	size_t begin, end;          /* the block to run: entries [begin, end) */
	const est_profiles *profiles; /* shared by every worker (read only) */
	est_eval_options eval;      /* as est_eval_options_run() and what the caller adds */
	est_batch_format format;
	est_metrics metrics;        /* CSV only */
	int threads;                /* workers, 1 to EST_BATCH_THREADS_MAX; 1 runs on the caller's thread */
	size_t chunk;               /* scenarios a worker takes at once: 0 (EST_BATCH_CHUNK) or 1 to it */
	/* every result in this currency (NULL: each its own), converted by est_currency_rate */
	const char *currency;
	const est_rate *rates;
	size_t n_rates;
	int fail_fast;              /* stop after the first failure is passed on */
} est_batch_run_options;

/* One scenario's outcome, passed in input order. */
typedef struct est_batch_item {
	size_t index;               /* in the input list */
	const char *scenario;       /* the path as given */
	int status;                 /* 0, or the failed step's negative status */
	const char *stage;          /* on failure: "load", "evaluate" or "render" */
	const est_error *error;     /* on failure: the located error */
	const char *text;           /* on success: its CSV rows (no header) or NDJSON line */
	size_t len;
	size_t rows;                /* CSV rows in text, or 1 NDJSON line */
} est_batch_item;

/* Called on the caller's thread, once per scenario, in input order; a negative return stops. */
typedef int (*est_batch_emit_fn)(void *ctx, const est_batch_item *item);

typedef struct est_batch_counts {
	size_t scenarios;           /* passed to emit */
	size_t succeeded;
	size_t failed;
	size_t rows;
} est_batch_counts;

/*
 * Evaluate entries [o->begin, o->end) of o->inputs, each as est_evaluate
 * with o->eval, render it (est_rows_csv or est_rows_ndjson) and pass it to
 * emit in input order. With threads > 1, threads - 1 workers and the
 * caller's thread (while it waits for the chunk it passes on next) evaluate
 * and render chunks of EST_BATCH_CHUNK consecutive scenarios, at most
 * EST_BATCH_WINDOW_PER_THREAD x threads chunks ahead of the one emit waits
 * for; the items, and so the bytes, are the same for any number. A scenario's failure is an item, not an error of the run.
 * Returns 0 when every item was passed (or fail_fast stopped after a
 * failure: counts tell), emit's negative return when it stopped the run,
 * EST_EIO in err when the inputs changed since they were collected (a
 * folder cannot be read, or the walk gives another list: files added,
 * removed or renamed), or EST_EINTERNAL in err when a thread could not be
 * started or memory ran out. counts (may be NULL) says what was passed.
 */
int est_batch_run(const est_batch_run_options *o, est_batch_emit_fn emit, void *ctx,
		  est_batch_counts *counts, est_error *err);

/*
 * The located message of a failed item, as the CLI prints errors without its
 * "estimator: " prefix: "FILE:LINE:COL: message", "FILE: message" or
 * "message", escaped. Returns the length (cut to size - 1).
 */
size_t est_batch_error_text(char *out, size_t size, const est_error *e);

/*
 * A failed item as one line of the failures table (EST_BATCH_FAILURES_HEADER):
 * scenario, stage, the exit status `run` would give, the located message,
 * fields quoted per RFC 4180 where needed. Heap string freed with free().
 */
int est_batch_failure_csv(char **out, size_t *len, const est_batch_item *item, est_error *err);

#endif

#ifndef ESTIMATOR_BATCH_PROFILES_DIGEST_H
#define ESTIMATOR_BATCH_PROFILES_DIGEST_H
/*
 * The profile library's digest for a manifest: SHA-256 over its folder's
 * regular files, hidden names skipped, in bytewise order of their paths
 * relative to dir; for each file its relative path, a NUL byte, its length
 * in decimal, a NUL byte and its bytes. A file or folder that cannot be
 * read is EST_EIO naming it.
 */
int est_batch_profiles_digest(const char *dir, char out[EST_BATCH_DIGEST_HEX], est_error *err);
#endif
