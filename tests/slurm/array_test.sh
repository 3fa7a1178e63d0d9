#!/bin/sh
# End-to-end test on a real Slurm cluster: starts a single-node cluster
# (cluster.sh), submits a 4-task array job (job.sh) running `estimator batch
# --shard auto --out` over a folder of generated scenarios (one broken on
# purpose), merges the shards with `estimator batch merge`, and checks the
# merged results and failures against the single-machine batch, byte for
# byte; the cluster is stopped on any exit.
# usage: array_test.sh ESTIMATOR
# EST_SLURM_KEEP=1 keeps the work folder (scenarios, outputs, job logs).
# Exit status: 0 passed, 1 failed, 77 skipped (not root, or the Slurm and
# munge packages missing and not installable).
set -u
[ $# -eq 1 ] || { echo "usage: array_test.sh ESTIMATOR" >&2; exit 2; }
case $1 in /*) exe=$1 ;; *) exe=$(pwd)/$1 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tasks=4
t0=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) $1" | awk '{printf "%.1f", $1 - $2}'; }
# A failure: the reason, then what the jobs and daemons said.
fail() {
	echo "array_test: FAILED: $*"
	for f in "$work/sbatch.out" "$work"/logs/*.out "$cluster/slurmctld.log" "$cluster/slurmd.log"; do
		[ -s "$f" ] && echo "--- tail of $f" && tail -n 10 "$f"
	done
	exit 1
}

if [ "$(id -u)" != 0 ]; then
	echo "array_test: skipped: needs root to run the Slurm daemons"
	exit 77
fi
# The work folder must be readable by the jobs; they run as root here.
work=$(mktemp -d) || exit 1
cluster=$work/cluster
trap '"$here/cluster.sh" --dir "$cluster" stop; [ -n "${EST_SLURM_KEEP:-}" ] || rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM

# Four small scenarios that differ in grid, demand and growth.
mkdir -p "$work/scenarios" "$work/shards" "$work/logs"
set -- "DEU 200000 20%" "FRA 1500000 40%" "SWE 50000 0%" "USA 800000 75%"
i=0
for spec; do
	# shellcheck disable=SC2086
	set -- $spec
	cat >"$work/scenarios/s$i.yaml" <<YAML
name: Slurm array test scenario $i
horizon: {start_year: 2026, years: 3}
site: {grid: $1}
costs: {currency: USD, exchange_rates: {EUR: 1.08, SEK: 0.095}}
deployment: {accelerator: h100-sxm, utilisation: 60%}
workloads:
  - {name: classify, task: image_classification, demand: $2/day, growth: $3}
  - {name: caption, task: image_captioning, demand: $(($2 / 10))/day, growth: $3, output_size: 1 KB}
YAML
	i=$((i + 1))
done

# The reference: the same runs done directly.
# more scenarios than tasks, in a sub-folder too, and one broken file
mkdir -p "$work/scenarios/more"
for i in 0 1 2 3; do
	sed "s/growth: /peak_to_average: 2, growth: /" "$work/scenarios/s$i.yaml" >"$work/scenarios/more/p$i.yaml"
done
printf 'name: broken\nhorizon: {start_year: 2026}\nsite: {grid: NOWHERE}\n' >"$work/scenarios/more/broken.yaml"

# the single-machine run the merged result must equal
"$exe" batch --quiet -o "$work/single.csv" "$work/scenarios" 2>"$work/single.err"
status=$?
[ $status -eq 6 ] || fail "the single-machine batch should report the broken file (exit 6), got $status"

t_start=$(date +%s.%N)
"$here/cluster.sh" --install --dir "$cluster" start >"$work/export"
status=$?
if [ $status -ne 0 ]; then
	[ $status -eq 77 ] && echo "array_test: skipped: no Slurm here (see above)" && exit 77
	fail "the cluster did not start"
fi
up_s=$(elapsed "$t_start")
# shellcheck disable=SC1091
. "$work/export"
export SLURM_CONF

t_job=$(date +%s.%N)
# sbatch --wait polls the controller and retries forever when it is gone:
# watch the daemons meanwhile, and bound the whole wait.
timeout 120 sbatch --array=0-$((tasks - 1)) --wait --quiet \
	--output="$work/logs/%A_%a.out" --chdir="$work" \
	"$here/job.sh" "$exe" "$work" >"$work/sbatch.out" 2>&1 &
sbatch_pid=$!
while kill -0 $sbatch_pid 2>/dev/null; do
	if ! "$here/cluster.sh" --dir "$cluster" status >"$work/status" 2>&1; then
		kill $sbatch_pid 2>/dev/null
		{ wait $sbatch_pid; } 2>/dev/null
		fail "a daemon stopped while the array job ran: $(head -n 1 "$work/status")"
	fi
	sleep 0.5
done
wait $sbatch_pid || fail "the array job did not finish well (sbatch --wait exit status $?)"
job_s=$(elapsed "$t_job")

"$exe" batch merge "$work/shards" -o "$work/merged.csv" >"$work/merge.out" 2>&1
status=$?
[ $status -eq 0 ] || [ $status -eq 6 ] || { cat "$work/merge.out"; fail "batch merge failed (exit $status)"; }
cmp -s "$work/single.csv" "$work/merged.csv" ||
	fail "the merged result differs from the single-machine run"
cmp -s "$work/single.csv.failures.csv" "$work/merged.csv.failures.csv" ||
	fail "the merged failures differ from the single-machine run's"
grep -q '"source":[[:space:]]*"Slurm"' "$work"/shards/manifest-0-of-$tasks.json ||
	fail "shard 0's manifest does not say Slurm chose the shard"
rows=$(($(wc -l <"$work/merged.csv") - 1))
echo "array_test: passed: $tasks Slurm array tasks (batch --shard auto), merged, equal the" \
	"single-machine batch byte for byte ($rows rows, one failure; cluster up in $up_s s," \
	"array job $job_s s, total $(elapsed "$t0") s)"
