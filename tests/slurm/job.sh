#!/bin/sh
# The Slurm array job of array_test.sh: task SLURM_ARRAY_TASK_ID of the array
# evaluates its share of the scenarios in WORK/scenarios and writes into
# WORK/out, a folder every node sees.
# usage (from sbatch): job.sh ESTIMATOR WORK
#SBATCH --job-name=estimator-array-test
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time=5
set -u
estimator=$1 work=$2
: "${SLURM_ARRAY_TASK_ID:?not run as a Slurm array task}"

# ---- BATCH: until `estimator batch` exists, one `run` per array task. -------
# When it does, replace this block with the sharded batch (the shard taken from
# SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT) and let array_test.sh merge:
#   exec "$estimator" batch --shard auto --out "$work/shards" "$work/scenarios"
exec "$estimator" run "$work/scenarios/s$SLURM_ARRAY_TASK_ID.yaml" --format csv \
	-o "$work/out/s$SLURM_ARRAY_TASK_ID.csv"
# ---- end BATCH ----------------------------------------------------------------
