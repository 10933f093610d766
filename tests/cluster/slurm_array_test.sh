#!/usr/bin/env bash
# The README's Slurm recipe, for real: starts munged, slurmctld and slurmd on
# loopback from Debian's packages (slurm-wlm, munge) with a generated
# slurm.conf in a temp dir, submits tools/slurm/sweep_array.sh (expert-sweep) with
# `sbatch --array=1-3`, waits (bounded), merges the shards and compares the
# bytes with the unsharded run; then shuts everything down.
# Exit 77 (skip, with the reason) where the tools are missing or the machine
# cannot start them (not root, no munged, daemons not coming up).
# Usage: slurm_array_test.sh SGLAB_CLI SOURCE_DIR
set -u
cli=$(readlink -f "$1") source=$(cd "$2" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$tool" > /dev/null || skip "$tool not installed (bash tools/setup.sh --slurm installs slurm-wlm and munge)"
done
[[ $(id -u) -eq 0 ]] || skip "a single-node Slurm is started as root here (slurmd runs jobs as their user)"
tmp=$(mktemp -d /tmp/sglab-slurm-test.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  SLURM_CONF=$tmp/slurm.conf timeout 10 scontrol shutdown > /dev/null 2>&1
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null; done
  sleep 1
  for pid in "${pids[@]}"; do kill -9 "$pid" 2> /dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
log_tail() { tail -n 5 "$tmp"/*.log 2> /dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# munge: its own key and socket, nothing shared with a system munged.
mungekey --create --keyfile="$tmp/munge.key" > /dev/null 2>&1 || skip "mungekey cannot create a key"
munged --foreground --force --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
  --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S $tmp/munge.sock ]] && break; sleep 0.1; done
[[ -S $tmp/munge.sock ]] || skip "munged did not start: $(log_tail)"

host=$(hostname -s)
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/work"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=sglabtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MailProg=/bin/true
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=sglab Nodes=$host Default=YES MaxTime=10 State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" > "$tmp/slurmctld.stdout.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" > "$tmp/slurmd.stdout.log" 2>&1 &
pids+=($!)
state=
for _ in $(seq 60); do
  state=$(sinfo -h -o %T 2> /dev/null | head -1)
  [[ $state == idle ]] && break
  sleep 0.5
done
[[ $state == idle ]] || skip "the single-node Slurm did not come up within 30 s (node state \"$state\"): $(log_tail)"
echo "slurm: node $host idle"

cd "$tmp/work" || fail "cd"
flags=(--dims 4..9 --ks 2 3 --sample-sizes 1 2 --trials 12 --ratio-bootstrap 100 --seed 4 --threads 1)
"$cli" expert-sweep "${flags[@]}" --outdir full > full.log || fail "unsharded run exited $?"
job=$(sbatch --parsable --array=1-3 --chdir="$tmp/work" --export="ALL,SGLAB_CLI=$cli,SGLAB_SHARD_DIR=$tmp/work/shards" \
        "$source/tools/slurm/sweep_array.sh" expert-sweep "${flags[@]}") || fail "sbatch refused the job: $job"
echo "slurm: submitted array job $job"
for _ in $(seq 180); do
  [[ -z $(squeue -h -j "$job" 2> /dev/null) ]] && break
  sleep 0.5
done
[[ -z $(squeue -h -j "$job" 2> /dev/null) ]] || fail "array job $job still queued or running after 90 s: $(squeue -j "$job")"
for i in 1 2 3; do
  [[ -f shards/shard-$i-of-3.json ]] || fail "task $i wrote no shard: $(cat sglab-sweep-*_$i.out 2> /dev/null) $(log_tail)"
done
"$cli" merge --outdir merged shards/shard-*-of-3.json || fail "merge exited $?"
cmp full/summary.csv merged/summary.csv || fail "merged summary.csv differs from the unsharded run"
cmp full/config.json merged/config.json || fail "merged config.json differs from the unsharded run"
echo "PASS: Slurm array job $job (3 tasks) merges to the unsharded bytes"

# The same script runs a bandit sweep's shards.
bflags=(--data synthetic --quiet --steps 20 --batch 16 --eval-points 2 --eval-contexts 100 --width 6 --layers 2
        --n-dim 2 --slots 2 --num-parents 2 --mlp-width 8 --seeds 2 --p-flip 0 0.3 --methods bp,sg-adaptive,mlp)
"$cli" bandit "${bflags[@]}" --outdir bandit_full || fail "unsharded bandit run exited $?"
job=$(sbatch --parsable --array=1-3 --chdir="$tmp/work" \
        --export="ALL,SGLAB_CLI=$cli,SGLAB_SHARD_DIR=$tmp/work/bandit_shards" \
        "$source/tools/slurm/sweep_array.sh" bandit "${bflags[@]}") || fail "sbatch refused the bandit job: $job"
for _ in $(seq 180); do
  [[ -z $(squeue -h -j "$job" 2> /dev/null) ]] && break
  sleep 0.5
done
[[ -z $(squeue -h -j "$job" 2> /dev/null) ]] || fail "bandit array job $job still running after 90 s"
"$cli" merge --outdir bandit_merged bandit_shards/shard-*-of-3.json || fail "bandit merge exited $?"
for f in evals.csv summary.csv config.json; do
  cmp "bandit_full/$f" "bandit_merged/$f" || fail "merged bandit $f differs from the unsharded run"
done
echo "PASS: Slurm array job $job (3 bandit tasks) merges to the unsharded bytes"
