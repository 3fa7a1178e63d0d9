#!/bin/sh
# Starts, stops or shows a throwaway single-node Slurm cluster for the tests:
# Debian's slurmctld, slurmd and munge run as root with their own key, ports,
# configuration, state and logs in one folder, so nothing in /etc is used and
# a machine's own Slurm or munge is left alone.
#
# usage: cluster.sh [--install] [--dir DIR] start|stop|status
#   start   write DIR/slurm.conf (from slurm.conf.in), start munged, slurmctld
#           and slurmd, wait until sinfo shows this node idle; print the line
#           `export SLURM_CONF=DIR/slurm.conf` on stdout (every client command
#           needs it); on failure show the logs' tails, stop and exit 1
#   stop    end exactly the daemons started from DIR (and the job steps they
#           run), then remove DIR; safe to repeat and after a failed start
#   status  say whether the cluster of DIR runs, with sinfo's view of it
# --install apt-get installs the packages when missing (CI)
# --dir     the cluster's folder (default $EST_SLURM_DIR, else
#           ${TMPDIR:-/tmp}/estimator-slurm); stop removes only a folder that
#           start marked as its own
# Environment: EST_SLURM_PORT, the controller's port (default 26817; slurmd
# takes the next one; the next free pair is used when taken);
# EST_SLURM_WAIT, seconds to wait for the node (default 60).
# Exit status: 0 done, 1 failed, 2 usage, 77 cannot run here (not root, or the
# packages missing and not installable).
set -u
here=$(cd "$(dirname "$0")" && pwd)
packages="slurmctld slurmd slurm-client munge"
install=0
dir=${EST_SLURM_DIR:-${TMPDIR:-/tmp}/estimator-slurm}
marker=.estimator-slurm-cluster

say() { echo "cluster.sh: $*" >&2; }
usage() { say "usage: cluster.sh [--install] [--dir DIR] start|stop|status"; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--install) install=1 ;;
	--dir) [ $# -ge 2 ] || usage; dir=$2; shift ;;
	--dir=*) dir=${1#--dir=} ;;
	start | stop | status) break ;;
	*) usage ;;
	esac
	shift
done
[ $# -eq 1 ] || usage
action=$1
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
conf=$dir/slurm.conf

# The processes that belong to this cluster: the daemons carry their folder on
# the command line and pass EST_SLURM_CLUSTER to what they spawn (slurmstepd);
# a job's processes have a SLURM_JOB_ID and this cluster's SLURM_CONF. The
# shell that submitted (SLURM_CONF, no SLURM_JOB_ID) is not one of them.
# (The patterns go through stdin: on grep's command line grep would find itself.)
# shellcheck disable=SC2062
cluster_pids() {
	{
		printf '%s\n' "$conf" "--socket=$dir/munge/socket" | grep -lzxF -f - /proc/[0-9]*/cmdline
		echo "EST_SLURM_CLUSTER=$dir" | grep -lzxF -f - /proc/[0-9]*/environ
		for f in $(echo "SLURM_CONF=$conf" | grep -lzxF -f - /proc/[0-9]*/environ); do
			grep -qz '^SLURM_JOB_ID=' "$f" && echo "$f"
		done
	} 2>/dev/null | sed -n 's|^/proc/\([0-9]*\)/.*|\1|p' | sort -un | grep -vx "$$"
}

# The daemon whose pid file is FILE, when it still runs from this folder.
daemon_pid() {
	[ -s "$1" ] || return 1
	pid=$(cat "$1" 2>/dev/null) || return 1
	case $pid in '' | *[!0-9]*) return 1 ;; esac
	printf '%s\n' "$conf" "--socket=$dir/munge/socket" | grep -qzxF -f - "/proc/$pid/cmdline" 2>/dev/null ||
		return 1
	echo "$pid"
}

stop_cluster() {
	if [ ! -e "$dir" ]; then
		return 0
	fi
	if [ ! -f "$dir/$marker" ]; then
		say "$dir was not made by cluster.sh start; left alone"
		return 1
	fi
	# The daemons of the pid files and every process of this cluster (job
	# steps, slurmscriptd): TERM, up to 5 s, then KILL.
	for round in TERM KILL; do
		pids=$({
			for f in slurmd.pid slurmctld.pid munge/pid; do
				daemon_pid "$dir/$f"
			done
			cluster_pids
		} | sort -un | tr '\n' ' ')
		[ -n "$pids" ] || break
		# shellcheck disable=SC2086
		kill -s "$round" $pids 2>/dev/null
		i=0
		while [ $i -lt 50 ] && [ -n "$(cluster_pids)" ]; do
			sleep 0.1
			i=$((i + 1))
		done
	done
	left=$(cluster_pids)
	if [ -n "$left" ]; then
		say "processes of $dir still alive after KILL: $(echo "$left" | tr '\n' ' ')"
		return 1
	fi
	rm -rf "$dir"
}

show_logs() {
	for log in munge/log slurmctld.log slurmd.log; do
		if [ -f "$dir/$log" ]; then
			echo "--- tail of $dir/$log" >&2
			tail -n 15 "$dir/$log" >&2
		fi
	done
}

fail_start() {
	say "$*"
	show_logs
	stop_cluster
	exit 1
}

port_taken() {
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v h=":$hex" '$2 ~ h"$" && $4 == "0A" {found=1} END {exit !found}'
}

need_packages() {
	missing=""
	for cmd in munged slurmctld slurmd sinfo sbatch; do
		command -v "$cmd" >/dev/null 2>&1 || missing="$missing $cmd"
	done
	[ -z "$missing" ] && return 0
	if [ "$install" = 1 ] && command -v apt-get >/dev/null 2>&1; then
		say "installing $packages"
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		if ! apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1; then
			apt-get update -qq >/dev/null 2>&1
			apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1
		fi
		missing=""
		for cmd in munged slurmctld slurmd sinfo sbatch; do
			command -v "$cmd" >/dev/null 2>&1 || missing="$missing $cmd"
		done
		[ -z "$missing" ] && return 0
	fi
	say "skipped: missing$missing (Debian packages: $packages; --install installs them)"
	exit 77
}

start_cluster() {
	if [ "$(id -u)" != 0 ]; then
		say "skipped: the cluster runs its daemons as root (SlurmUser=root); run as root"
		exit 77
	fi
	need_packages
	if [ -e "$dir" ]; then
		if [ -n "$(daemon_pid "$dir/slurmctld.pid")$(daemon_pid "$dir/slurmd.pid")" ]; then
			say "a cluster already runs from $dir; stop it first"
			exit 1
		fi
		# A stale folder of an earlier run: clean it (refused when not ours).
		stop_cluster || exit 1
	fi
	mkdir -p "$dir" && chmod 700 "$dir" || exit 1
	: >"$dir/$marker"
	if ! mkdir -p "$dir/munge" "$dir/state" "$dir/spool" || ! chmod 700 "$dir/munge"; then
		fail_start "cannot make $dir"
	fi

	port=${EST_SLURM_PORT:-26817}
	tries=0
	while port_taken "$port" || port_taken $((port + 1)); do
		tries=$((tries + 1))
		[ $tries -lt 20 ] || fail_start "no free port pair from ${EST_SLURM_PORT:-26817} on"
		port=$((port + 2))
	done

	host=$(hostname -s)
	cpus=$(nproc)
	# RealMemory must not exceed what slurmd finds, or the node drains: the
	# total less a tenth, at most 1 GiB kept back.
	mem_mb=$(awk '/^MemTotal:/ {m = int($2 / 1024); k = int(m / 10); if (k > 1024) k = 1024; print m - k}' /proc/meminfo)
	sed -e "s|@HOST@|$host|g" -e "s|@DIR@|$dir|g" -e "s|@CTLD_PORT@|$port|g" \
		-e "s|@SLURMD_PORT@|$((port + 1))|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEMORY_MB@|$mem_mb|g" \
		"$here/slurm.conf.in" >"$conf" || fail_start "cannot write $conf"

	# munge: a key of its own; --force because munged refuses root and a
	# key folder it did not vet.
	if ! dd if=/dev/urandom of="$dir/munge/key" bs=1024 count=1 2>/dev/null || ! chmod 400 "$dir/munge/key"; then
		fail_start "cannot write the munge key"
	fi
	# Only the daemons get EST_SLURM_CLUSTER (this shell's helpers must not).
	EST_SLURM_CLUSTER=$dir munged --force --key-file="$dir/munge/key" --socket="$dir/munge/socket" \
		--pid-file="$dir/munge/pid" --log-file="$dir/munge/log" --seed-file="$dir/munge/seed" \
		>>"$dir/munge/log" 2>&1 || fail_start "munged did not start"
	EST_SLURM_CLUSTER=$dir SLURM_CONF=$conf slurmctld -c -f "$conf" >>"$dir/slurmctld.log" 2>&1 || fail_start "slurmctld did not start"
	# slurmd retries its registration a second later when the controller
	# does not answer yet: wait for the controller first (~1 s saved).
	i=0
	until SLURM_CONF=$conf scontrol ping 2>/dev/null | grep -q 'is UP'; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail_start "slurmctld does not answer after 10 s"
		sleep 0.1
	done
	EST_SLURM_CLUSTER=$dir SLURM_CONF=$conf slurmd -f "$conf" >>"$dir/slurmd.log" 2>&1 || fail_start "slurmd did not start"

	wait_s=${EST_SLURM_WAIT:-60}
	began=$(date +%s)
	deadline=$((began + wait_s))
	while :; do
		state=$(SLURM_CONF=$conf sinfo -h -N -n "$host" -o '%T' 2>/dev/null)
		[ "$state" = idle ] && break
		# (its pid file may come a moment after the launcher returns)
		[ "$(date +%s)" -lt $((began + 3)) ] || [ -n "$(daemon_pid "$dir/slurmctld.pid")" ] ||
			fail_start "slurmctld stopped"
		[ "$(date +%s)" -lt "$deadline" ] || fail_start "node $host not idle after $wait_s s (state: ${state:-none})"
		sleep 0.2
	done
	echo "export SLURM_CONF=$conf"
}

status_cluster() {
	ctld=$(daemon_pid "$dir/slurmctld.pid")
	slurmd=$(daemon_pid "$dir/slurmd.pid")
	munged=$(daemon_pid "$dir/munge/pid")
	echo "folder $dir: slurmctld ${ctld:-down}, slurmd ${slurmd:-down}, munged ${munged:-down}"
	if [ -n "$ctld" ]; then
		echo "export SLURM_CONF=$conf"
		SLURM_CONF=$conf sinfo -N
	fi
	[ -n "$ctld" ] && [ -n "$slurmd" ] && [ -n "$munged" ]
}

case $action in
start) start_cluster ;;
stop) stop_cluster ;;
status) status_cluster ;;
esac
