#!/usr/bin/env bash
# Every test: install what is missing, build, run the suite (core, CLI, UI
# logic, GUI smoke under Xvfb, the DESTDIR install, sharded sweeps under GNU
# parallel and a loopback single-node Slurm), then build and run it again under
# AddressSanitizer + UndefinedBehaviorSanitizer (core and CLI), and the
# concurrency tests once more under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --slurm  # slurm-wlm + munge: the Slurm job-array test (tests/cluster)
export LIBGL_ALWAYS_SOFTWARE=1 LP_NUM_THREADS=1
start=$(date +%s)
echo "== build (Release, with GUI) =="
bash tools/build.sh default
echo "== tests (Release) =="
ctest --preset default -j2
echo "== build (ASan + UBSan) =="
bash tools/build.sh asan
echo "== tests (ASan + UBSan) =="
ctest --preset asan -j2
echo "== build (TSan) =="
tsan_start=$(date +%s)
bash tools/build.sh tsan
echo "== tests (TSan: job runner, lab jobs, parallel_for, thread-count determinism) =="
ctest --preset tsan -j2
echo "== TSan stage: $(( $(date +%s) - tsan_start )) s =="
# --- fuzz smoke (issue 10): ~10 s per libFuzzer harness (tools/fuzz.sh; longer: tools/fuzz.sh 300) ---
echo "== fuzz smoke (clang + libFuzzer) =="
bash tools/fuzz.sh 10
# --- end fuzz smoke ---
echo "== all tests passed in $(( $(date +%s) - start )) s =="
