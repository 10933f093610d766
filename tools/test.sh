#!/usr/bin/env bash
# Every test: install what is missing, build, run the suite (core, CLI, UI
# logic, GUI smoke under Xvfb, the DESTDIR install, sharded sweeps under GNU
# parallel and a loopback single-node Slurm), then build and run it again under
# AddressSanitizer + UndefinedBehaviorSanitizer (core and CLI; the same clang
# build holds the libFuzzer harnesses), the concurrency tests once more under
# ThreadSanitizer, and a short fuzz run. Prints each stage's wall time at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --slurm  # slurm-wlm + munge: the Slurm job-array test (tests/cluster)
export LIBGL_ALWAYS_SOFTWARE=1 LP_NUM_THREADS=1
start=$(date +%s)
stage_times=()
stage() {  # stage NAME COMMAND...: runs COMMAND and records its wall time
  local name=$1 t0
  shift
  echo "== $name =="
  t0=$(date +%s)
  "$@"
  stage_times+=("$name: $(( $(date +%s) - t0 )) s")
}
stage "build (Release, with GUI)" bash tools/build.sh default
stage "tests (Release)" ctest --preset default -j2
stage "build (ASan + UBSan, clang; with the fuzz harnesses)" bash tools/build.sh asan
stage "tests (ASan + UBSan)" ctest --preset asan -j2
stage "build (TSan, clang)" bash tools/build.sh tsan
stage "tests (TSan: job runner, lab jobs, parallel_for, thread-count determinism)" ctest --preset tsan -j2
# ~10 s per libFuzzer harness (tools/fuzz.sh; longer: tools/fuzz.sh 300)
stage "fuzz smoke (libFuzzer)" bash tools/fuzz.sh 10
printf '   %s\n' "${stage_times[@]}"
echo "== all tests passed in $(( $(date +%s) - start )) s =="
