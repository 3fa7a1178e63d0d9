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

# The shard comes from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT (--shard
# auto); each task writes results-K-of-N.csv, failures and its manifest into
# WORK/shards, which array_test.sh merges. Exit 6 (a scenario failed) is
# expected: the test's folder holds one broken file on purpose.
"$estimator" batch --shard auto --quiet --out "$work/shards" "$work/scenarios"
status=$?
[ $status -eq 0 ] || [ $status -eq 6 ] || exit $status
exit 0
