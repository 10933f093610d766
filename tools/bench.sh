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
for b in build/bench/bench_*; do
  [[ -x "$b" ]] && "$b" --benchmark_min_time=0.2
done
