#!/usr/bin/env bash
# A Slurm job array running one shard of an sglab sweep per task.
#   sbatch --array=1-N tools/slurm/sweep_array.sh expert-sweep [expert-sweep flags...]
#   sbatch --array=1-N tools/slurm/sweep_array.sh bandit [bandit flags...]
# Task I of N runs `sglab-cli COMMAND --shard I/N` and writes
# $SGLAB_SHARD_DIR/shard-I-of-N.json (default: ./shards); when all are done,
#   sglab-cli merge --outdir out/COMMAND shards/shard-*-of-N.json
# (or submit that with --dependency=afterok:<array job id>). Array indices
# must be 1..N. SGLAB_CLI names the program (default: sglab-cli on PATH).
# To rerun only failed tasks, give N explicitly:
#   sbatch --array=2,5 --export=ALL,SGLAB_SHARDS=20 tools/slurm/sweep_array.sh expert-sweep ...
# Each task uses --threads $SLURM_CPUS_PER_TASK unless the flags give
# --threads; give the same --threads to an unsharded expert sweep you compare
# with (its config.json records it; the numbers never depend on it).
#SBATCH --job-name=sglab-sweep
#SBATCH --cpus-per-task=1
#SBATCH --output=sglab-sweep-%A_%a.out
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=1-N}"
command=${1:?the first argument is the sweep command: expert-sweep or bandit}
shift
case $command in
  expert-sweep | bandit) ;;
  *) echo "sweep_array.sh: \"$command\" is not a sweep command (expert-sweep or bandit)" >&2; exit 2 ;;
esac
shards=${SGLAB_SHARDS:-${SLURM_ARRAY_TASK_COUNT:?submit with sbatch --array=1-N}}
cli=${SGLAB_CLI:-sglab-cli}
threads=()
[[ " $* " == *" --threads "* ]] || threads=(--threads "${SLURM_CPUS_PER_TASK:-1}")
exec "$cli" "$command" "$@" "${threads[@]}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${shards}" --outdir "${SGLAB_SHARD_DIR:-shards}"
