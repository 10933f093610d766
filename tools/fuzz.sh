#!/usr/bin/env bash
# libFuzzer runs of the scenario reader and sglab-cli's argument parser (issue 10).
#   tools/fuzz.sh [SECONDS_PER_HARNESS]   (default 10: the smoke run of tools/test.sh)
#   tools/fuzz.sh 300                     (a longer run: 5 minutes per harness)
# Builds the harnesses in the 'asan' preset's tree (clang, ASan + UBSan, built
# there by tools/test.sh already), seeds the corpora from
# assets/presets, tests/data/scenarios_v1, tests/data/bad_inputs and the
# argument lines of tests/data/bad_inputs/cli_args.tsv, and prints libFuzzer's
# final stats (executions, cov:, ft:). A crash, leak or UB report fails the run
# and leaves the reproducer in build-asan/fuzz-findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
cmake --preset asan >/dev/null
cmake --build --preset asan --target scenario_fuzzer cli_args_fuzzer
work=build-asan/fuzz-corpus findings=build-asan/fuzz-findings
mkdir -p "$work/scenario" "$work/cli" "$findings"
cp assets/presets/*.json tests/data/scenarios_v1/*.json tests/data/bad_inputs/scenarios/*.json "$work/scenario/"
# Argument lines as NUL-separated argv words (the harness's input format).
i=0
{
  grep -v '^#' tests/data/bad_inputs/cli_args.tsv | cut -f2
  echo "dag --scenario @T2@ --n 1,4,16,64 --csv --out @OUT@/d.csv"
  echo "train --scenario @TRAIN@ --out @OUT@/t.csv --steps 40 --batch 16 --seed 3 --quiet"
  echo "expert-sweep --dims 4..7 --ks 2 3 --sample-sizes 1 2 --trials 8 --seed 5 --outdir @OUT@/s"
  echo "--help"
} | while read -r line; do
  printf '%s' "$line" | sed -e 's#@T2@#assets/presets/T2_noisy_feedback.json#g' \
    -e 's#@TRAIN@#tests/data/scenarios_v1/train_scenario.json#g' -e 's#@OUT@#/tmp#g' |
    tr ' ' '\0' > "$work/cli/seed_$i"
  i=$((i + 1))
done
status=0
for harness in scenario_fuzzer cli_args_fuzzer; do
  corpus=$work/${harness%_fuzzer}
  [ "$harness" = cli_args_fuzzer ] && corpus=$work/cli
  echo "== $harness: ${seconds} s, corpus $(ls "$corpus" | wc -l) files =="
  # -print_final_stats: stat::number_of_executed_units etc.; the last #N line gives cov/ft.
  log=build-asan/$harness.log
  if ! ./build-asan/fuzz/$harness -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$findings/$harness-" "$corpus" 2> "$log"; then
    status=1
    tail -40 "$log"
  fi
  grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" || true
done
exit $status
