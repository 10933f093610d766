#!/usr/bin/env bash
# Speed targets, timed as whole runs with /usr/bin/time -v (Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh default >/dev/null
cli=build/app/sglab-cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$out/time.txt"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$out/time.txt" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$out/time.txt" | awk '{print $NF}')
  printf '%-58s wall %8s   peak RSS %7.1f MB\n' "$label" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')"
}
for i in 1 2 3; do
  measure "expert-sweep, paper defaults (target < 0.3 s), run $i" \
    "$cli" expert-sweep --threads 2 --outdir "$out/default"
done
measure "expert-sweep d=20 k=4 n=1, 3 cases (target < 5 s, < 1 GB)" \
  "$cli" expert-sweep --dims 20 --ks 4 --sample-sizes 1 --trials 20 --threads 2 --outdir "$out/d20"
measure "dag exact, 2^20 outcomes, 32 nodes (target < 2 s, < 2 GB)" \
  "$cli" dag --scenario bench/dag_32_nodes.json --json --out "$out/exact.json"
measure "dag sample, 10^5 samples x 100 trials (target < 5 s)" \
  "$cli" dag --scenario bench/dag_32_nodes.json --mode sample --samples 100000 --trials 100 \
  --json --out "$out/sample.json"
# Google Benchmark programs: DAG presets (target < 50 ms each), the DAG lab
# job's exact stage per preset (target < 100 ms), training
# steps per second (target >= 2,000 for the 40-node net), GUI knob changes.
build/bench/bench_dag_bench --benchmark_filter=Preset
# Edit → exact views of the DAG lab: the job's post → exact snapshot (target < 100 ms each).
build/bench/bench_dag_lab_job_bench
build/bench/bench_dynamics_bench
build/bench/bench_expert_lab_knob_bench

# --- Bandit lab (issue 9 "Speed"; core/bandit batch kernels) -----------------
# Live default: steps/s of BP + SG fixed + SG adaptive together (target >= 500
# on 2 cores); paper scale: one policy step per method with its GFLOP/s
# (multiply-adds counted in bench/bandit_bench.cpp). Then whole paper-scale BP
# runs: 100 steps (x15 extrapolates to 1,500) and the full 1,500 steps with
# the paper's 20 evaluations on 4,000 contexts (target <= 2 min). The figures
# depend on the machine's load: print it.
uptime
build/bench/bench_bandit_bench --benchmark_counters_tabular=true
measure "bandit --paper-scale, bp, 100 steps, 2 evals (x15 ~ 1,500 steps)" \
  "$cli" bandit --paper-scale --methods bp --seeds 1 --steps 100 --eval-points 2 --threads 2 --quiet --outdir "$out/bandit100"
measure "bandit --paper-scale, bp, 1,500 steps, 20 evals (target <= 2 min)" \
  "$cli" bandit --paper-scale --methods bp --seeds 1 --threads 2 --quiet --outdir "$out/bandit1500"
uptime
