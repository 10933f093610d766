#!/usr/bin/env bash
# The README's GNU parallel recipe: 3 shards as 3 processes, then merge; the
# merged summary.csv and config.json must equal the unsharded run's bytes.
# Usage: parallel_shards_test.sh SGLAB_CLI
set -u
cli=$1
fail() { echo "FAIL: $*"; exit 1; }
command -v parallel > /dev/null || { echo "SKIP: GNU parallel not installed (apt-get install parallel)"; exit 77; }
tmp=$(mktemp -d /tmp/sglab-parallel-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || fail "cd"
flags=(--dims 4..9 --ks 2 3 --sample-sizes 1 2 --trials 12 --ratio-bootstrap 100 --seed 3 --threads 1)
"$cli" expert-sweep "${flags[@]}" --outdir full > full.log || fail "unsharded run exited $?"
# The recipe (README, "Sharded sweeps"):
parallel --will-cite --jobs 3 --joblog jobs.log \
  "$cli" expert-sweep "${flags[@]}" --shard {}/3 --outdir shards ::: 1 2 3 > parallel.log \
  || fail "parallel exited $?: $(tail -3 parallel.log)"
"$cli" merge --outdir merged shards/shard-*-of-3.json || fail "merge exited $?"
# 3 jobs, each its own process, each exit 0 (joblog column 7 is the exit value).
[[ $(tail -n +2 jobs.log | awk '$7 == 0' | wc -l) -eq 3 ]] || fail "expected 3 successful jobs: $(cat jobs.log)"
cmp full/summary.csv merged/summary.csv || fail "merged summary.csv differs from the unsharded run"
cmp full/config.json merged/config.json || fail "merged config.json differs from the unsharded run"
echo "PASS: 3 shards under GNU parallel merge to the unsharded bytes ($(wc -l < full/summary.csv) lines)"
