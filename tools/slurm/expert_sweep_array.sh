#!/usr/bin/env bash
# A Slurm job array running one shard of an sglab expert sweep per task.
#   sbatch --array=1-N tools/slurm/expert_sweep_array.sh [expert-sweep flags...]
# Task I of N runs `sglab-cli expert-sweep --shard I/N` and writes
# $SGLAB_SHARD_DIR/shard-I-of-N.json (default: ./shards); when all are done,
#   sglab-cli merge --outdir out/expert-sweep shards/shard-*-of-N.json
# (or submit that with --dependency=afterok:<array job id>). Array indices
# must be 1..N. SGLAB_CLI names the program (default: sglab-cli on PATH).
# To rerun only failed tasks, give N explicitly:
#   sbatch --array=2,5 --export=ALL,SGLAB_SHARDS=20 tools/slurm/expert_sweep_array.sh ...
# Each task uses --threads $SLURM_CPUS_PER_TASK unless the flags give
# --threads; give the same --threads to an unsharded run you compare with
# (config.json records it; the numbers never depend on it).
#SBATCH --job-name=sglab-sweep
#SBATCH --cpus-per-task=1
#SBATCH --output=sglab-sweep-%A_%a.out
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=1-N}"
shards=${SGLAB_SHARDS:-${SLURM_ARRAY_TASK_COUNT:?submit with sbatch --array=1-N}}
cli=${SGLAB_CLI:-sglab-cli}
threads=()
[[ " $* " == *" --threads "* ]] || threads=(--threads "${SLURM_CPUS_PER_TASK:-1}")
exec "$cli" expert-sweep "$@" "${threads[@]}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${shards}" --outdir "${SGLAB_SHARD_DIR:-shards}"
