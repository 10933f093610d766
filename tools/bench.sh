#!/usr/bin/env bash
# Speed targets of issue 12 ("Speed at the floor"): one table, one row per
# target (measure, target, measured, met or not), then the full output of the
# Google Benchmark programs. Release build; whole runs timed with /usr/bin/time.
#   bash tools/bench.sh             every row (the DAG sample row and d = 24 take minutes)
#   BENCH_QUICK=1 bash tools/bench.sh   skips those two rows
#   PAPER_SWEEP="/usr/bin/python3 sgprop/exp-expert-example/experiment.py --outdir DIR" bash tools/bench.sh
#                                   times the paper's NumPy code in the same run (row 1; needs
#                                   python3-numpy and python3-matplotlib; its time includes its
#                                   own plots, about 5.5 s of its 19.5 s here)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh default >/dev/null
cli=build/app/sglab-cli
gui=build/app/gui/sglab
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# ---- speed table (issue 12) -------------------------------------------------
# timed CMD...: runs CMD once; sets wall, cpu (user + sys) in s, rss_mb.
timed() {
  wall=nan cpu=nan rss_mb=nan
  if /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt"; then
    read -r wall user sys kb <"$out/time.txt"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')
    rss_mb=$(awk -v k="$kb" 'BEGIN{printf "%.0f", k / 1024}')
    return 0
  fi
  return 1
}
# timed_median N CMD...: runs CMD N times; sets wall and cpu to the medians,
# wall_range to "min-max" and rss_mb to the largest. Single runs of a second
# vary by +-25 % on this kind of 2-core VM (CPU time too), so the rows near
# their targets report the median of several.
timed_median() {
  local n=$1 walls=() cpus=() rss_max=0
  shift
  for _ in $(seq "$n"); do
    timed "$@" || return 1
    walls+=("$wall") cpus+=("$cpu")
    rss_max=$(awk -v a="$rss_max" -v b="$rss_mb" 'BEGIN{print (b > a) ? b : a}')
  done
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{v[NR] = $1} END{print v[int((NR + 1) / 2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{v[NR] = $1} END{print v[int((NR + 1) / 2)]}')
  wall_range=$(printf '%s\n' "${walls[@]}" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END{print lo "-" hi}')
  rss_mb=$rss_max
}
# le A B: "met" when A <= B (both numbers), else "NOT met".
le() {
  awk -v a="$1" -v b="$2" 'BEGIN{n = "^[0-9]+([.][0-9]*)?$"; print (a ~ n && b ~ n && a + 0 <= b + 0) ? "met" : "NOT met"}'
}
both() { if [ "$1" = met ] && [ "$2" = met ]; then echo met; else echo "NOT met"; fi; }
table_rows=()
row() { table_rows+=("$1|$2|$3|$4"); }
# gui_frames NAME ARGS...: 300 frames under Xvfb with llvmpipe on one thread; sets
# frame_summary to the --frame-log summary line (interval, our CPU, vertices).
gui_frames() {
  local name=$1; shift
  frame_summary="not measured (needs xvfb-run and the GUI build)"
  command -v xvfb-run >/dev/null && [ -x "$gui" ] || return 1
  xvfb-run -a -s '-screen 0 1600x900x24' env LP_NUM_THREADS=1 "$gui" --no-settings --size 1600x900 \
    --frames 300 --frame-log "$out/frames_$name.csv" "$@" >"$out/gui_$name.txt" 2>&1 || true
  frame_summary=$(grep -o 'frames [0-9]*:.*' "$out/gui_$name.txt" | tail -1)
  [ -n "$frame_summary" ] || { frame_summary="failed: $(tail -1 "$out/gui_$name.txt")"; return 1; }
}
# p99_of SUMMARY NAME: NAME's p99 in a frame-log summary ("interval p50 17.0 ms, p99 24.7 ms" -> 24.7).
p99_of() { sed -n "s/.*$2 p50 [0-9.]* ms, p99 \([0-9.]*\) ms.*/\1/p" <<<"$1"; }

speed_table() {
  local load_before load_after
  load_before=$(uptime | sed 's/.*load average: //')
  local cores; cores=$(nproc)

  # 1. Paper's default sweep, best of 3, against the paper's NumPy code in the same run.
  local best=999
  for _ in 1 2 3; do
    timed "$cli" expert-sweep --threads "$cores" --outdir "$out/default" &&
      best=$(awk -v a="$best" -v b="$wall" 'BEGIN{print (b < a) ? b : a}')
  done
  if [ -n "${PAPER_SWEEP:-}" ] && timed $PAPER_SWEEP; then
    local ratio; ratio=$(awk -v p="$wall" -v o="$best" 'BEGIN{printf "%.0f", p / o}')
    row "paper's default sweep (expert-sweep, best of 3)" ">= 90x the paper's code" \
      "$best s vs paper $wall s (${ratio}x)" "$(le 90 "$ratio")"
  else
    row "paper's default sweep (expert-sweep, best of 3)" ">= 90x paper (~0.12 s; PAPER_SWEEP unset)" \
      "$best s" "$(le "$best" 0.12)"
  fi

  # 2. d = 20, 3 cases.
  timed_median 5 "$cli" expert-sweep --dims 20 --ks 4 --sample-sizes 1 --trials 20 --threads "$cores" \
    --outdir "$out/d20" || true
  row "expert-sweep --dims 20 --ks 4 --sample-sizes 1 --trials 20 (median of 5)" "<= 1 s, <= 512 MB" \
    "$wall s (runs $wall_range s), $rss_mb MB" \
    "$(both "$(le "$wall" 1)" "$(le "$rss_mb" 512)")"

  # 3. d = 24 on this machine's cores.
  if [ -n "${BENCH_QUICK:-}" ]; then
    row "expert-sweep --dims 24 (same flags)" "<= 30 s on 2 cores, <= 4 GB" "skipped (BENCH_QUICK)" "-"
  else
    timed "$cli" expert-sweep --dims 24 --ks 4 --sample-sizes 1 --trials 20 --threads "$cores" --outdir "$out/d24" || true
    row "expert-sweep --dims 24 (same flags)" "<= 30 s on 2 cores, <= 4 GB" "$wall s, $rss_mb MB ($cores cores)" \
      "$(both "$(le "$wall" 30)" "$(le "$rss_mb" 4096)")"
  fi

  # 4. Thread scaling 1 -> 16 (needs 16 cores). Elsewhere, what this machine
  # can show: 1 -> all its cores. Both check that summary.csv is the same at
  # 1, all and 16 threads (the pool splits trials finer for many threads).
  local d20=(expert-sweep --dims 20 --ks 4 --sample-sizes 1 --trials 20)
  local w1=nan wn=nan ran=1 same
  timed_median 3 "$cli" "${d20[@]}" --threads 1 --outdir "$out/t1" && w1=$wall || ran=0
  timed_median 3 "$cli" "${d20[@]}" --threads "$cores" --outdir "$out/tn" && wn=$wall || ran=0
  timed "$cli" "${d20[@]}" --threads 16 --outdir "$out/t16" || ran=0
  if ((ran == 0)); then
    same="not compared (a run failed: $(tail -1 "$out/stderr.txt"))"
  elif cmp -s "$out/t1/summary.csv" "$out/t16/summary.csv" && cmp -s "$out/t1/summary.csv" "$out/tn/summary.csv"; then
    same="identical"
  else
    same="DIFFERENT"
  fi
  local speedup; speedup=$(awk -v a="$w1" -v b="$wn" 'BEGIN{printf "%.2f", a / b}')
  if [ "$cores" -ge 16 ]; then
    local w16=$wall s16; s16=$(awk -v a="$w1" -v b="$w16" 'BEGIN{printf "%.1f", a / b}')
    row "threads 1 -> 16, d = 20" ">= 12x" "${s16}x (${w1} s, ${w16} s); summary.csv at 1, $cores and 16 threads $same" \
      "$(both "$(le 12 "$s16")" "$([ "$same" = identical ] && echo met || echo "NOT met")")"
  else
    row "threads 1 -> 16, d = 20" ">= 12x" \
      "not measurable here ($cores cores); 1 -> $cores threads ${speedup}x (medians ${w1} s, ${wn} s); summary.csv at 1, $cores and 16 threads $same" "-"
  fi

  # 5. Expert lab knob change -> every plot updated (worst knob at d <= 12), and
  # the window opening: the default scenario's plots from an empty cache.
  local knob_worst="failed" open_ms="failed"
  if build/bench/bench_expert_lab_knob_bench --benchmark_format=csv >"$out/knob.csv" 2>/dev/null; then
    knob_worst=$(awk -F, '/^"knob_change/ {if ($3 + 0 > w) {w = $3 + 0; n = $1}} END{gsub(/"/, "", n); printf "%.1f ms (%s)", w, n}' "$out/knob.csv")
    open_ms=$(awk -F, '/^"window_open/ {printf "%.1f", $3}' "$out/knob.csv")
  fi
  row "expert lab knob -> all plots (bench_expert_lab_knob_bench)" "every knob <= 30 ms at d <= 12" \
    "worst $knob_worst" "$(le "${knob_worst%% *}" 30)"
  row "expert lab window open -> all plots (same bench, window_open)" "<= 300 ms" "${open_ms} ms" "$(le "$open_ms" 300)"

  # 6. DAG exact, 2^20 outcomes.
  timed_median 5 "$cli" dag --scenario bench/dag_32_nodes.json --json --out "$out/exact.json" || true
  row "DAG exact, bench/dag_32_nodes.json (2^20 outcomes; median of 5)" "<= 1 s, <= 1 GB" \
    "$wall s (runs $wall_range s; $cpu s CPU), $rss_mb MB" \
    "$(both "$(le "$wall" 1)" "$(le "$rss_mb" 1024)")"

  # 7. DAG sample mode, 10^5 samples x 100 trials (CPU time of all threads).
  if [ -n "${BENCH_QUICK:-}" ]; then
    row "DAG sample, 10^5 samples x 100 trials" "<= 5 s CPU" "skipped (BENCH_QUICK)" "-"
  else
    timed "$cli" dag --scenario bench/dag_32_nodes.json --mode sample --samples 100000 --trials 100 \
      --json --out "$out/sample.json" || true
    row "DAG sample, 10^5 samples x 100 trials" "<= 5 s CPU" "$cpu s CPU ($wall s wall)" "$(le "$cpu" 5)"
  fi

  # 8. GUI frames under llvmpipe, per lab: interval p99 and our own CPU per frame p99.
  local lab args
  for lab in expert dag dynamics; do
    case $lab in
      expert) args=(--scenario assets/presets/expert_7_large_d18.json --lab expert) ;;
      dag) args=(--scenario assets/presets/T4_imperfect_predictor.json --lab dag) ;;
      dynamics) args=(--lab dynamics --dynamics-network sparse40 --play --steps-per-frame 40) ;;
    esac
    if gui_frames "$lab" "${args[@]}"; then
      local p99 cpu99
      p99=$(p99_of "$frame_summary" "interval")
      cpu99=$(p99_of "$frame_summary" "our CPU")
      row "GUI frames, $lab lab (1600x900, llvmpipe 1 thread)" "interval p99 <= 25 ms, our CPU p99 <= 4 ms" \
        "$frame_summary" "$(both "$(le "$p99" 25)" "$(le "$cpu99" 4)")"
    else
      row "GUI frames, $lab lab" "interval p99 <= 25 ms, our CPU p99 <= 4 ms" "$frame_summary" "-"
    fi
  done

  # 9. Mixing dynamics, 40-node sparse net, exact lambda* every 50 steps: the
  # training rate (bench_dynamics_bench, one thread) and the GUI's frame rate while playing.
  local rate="failed"
  if build/bench/bench_dynamics_bench --benchmark_filter='Sparse40_ExactEvery50/' --benchmark_format=csv \
      >"$out/dyn.csv" 2>/dev/null; then
    rate=$(awk -F, '/Sparse40_ExactEvery50\// {printf "%.0f", 1e6 / $3}' "$out/dyn.csv")
  fi
  # In the GUI: the steps/s the lab's note reports over the run, the frame rate
  # (loop iterations per second; a frame whose picture did not change is not
  # redrawn) and how many frames per second did redraw (picture updates).
  local fps=0 gui_rate=0 updates=0
  if gui_frames dynamics_rate --lab dynamics --dynamics-network sparse40 --play --steps-per-frame 67; then
    gui_rate=$(sed -n 's/.*dynamics: [0-9]* steps in [0-9.]* s (\([0-9]*\) steps\/s).*/\1/p' "$out/gui_dynamics_rate.txt" | tail -1)
    read -r fps updates <<<"$(awk -F, 'NR > 2 {n++; t += $2; r += $9} END{if (t > 0) printf "%.0f %.0f", n * 1000 / t, r * 1000 / t}' \
      "$out/frames_dynamics_rate.csv")"
  fi
  row "mixing dynamics, sparse40, exact every 50 (67 steps/frame in the GUI)" ">= 2,000 steps/s at >= 30 fps" \
    "training alone $rate steps/s; in the GUI ${gui_rate:-0} steps/s at $fps fps ($updates picture updates/s)" \
    "$(both "$(le 2000 "${gui_rate:-0}")" "$(le 30 "$fps")")"

  # 10. Bandit lab (issue 9): the live default (BP + SG fixed + SG adaptive each
  # step, both cores) and a whole paper-scale BP run (1,500 steps, the paper's
  # 20 evaluations on 4,000 contexts).
  local live="failed"
  if build/bench/bench_bandit_bench --benchmark_filter='LiveDefault/2' --benchmark_format=csv \
      >"$out/bandit.csv" 2>/dev/null; then
    live=$(awk -F, '/LiveDefault\/2/ {printf "%.0f", 1e6 / $3}' "$out/bandit.csv")
  fi
  row "bandit live default, 3 methods per step (bench_bandit_bench LiveDefault/2)" ">= 500 steps/s on 2 cores" \
    "$live steps/s" "$(le 500 "$live")"
  if [ -n "${BENCH_QUICK:-}" ]; then
    row "bandit --paper-scale, bp, 1,500 steps" "<= 2 min on 2 cores" "skipped (BENCH_QUICK)" "-"
  else
    timed "$cli" bandit --paper-scale --methods bp --seeds 1 --threads "$cores" --quiet --outdir "$out/bandit1500" || true
    row "bandit --paper-scale, bp, 1,500 steps, 20 evals" "<= 2 min on 2 cores" "$wall s ($cpu s CPU), $rss_mb MB" \
      "$(le "$wall" 120)"
  fi

  # The bandit lab training in the GUI (issue 9: >= 30 fps while training, and
  # the live default's >= 500 steps/s): frames and steps while the job ran
  # (job_busy = 1 in the frame log; the 600-step default finishes before frame 300).
  # The job trains for only ~1.2 s, so one run's steps/s moves by +-15 %: three
  # runs, judged on the median, all three printed.
  local rates=() fps_all=() last_summary=""
  local i
  for i in 1 2 3; do
    gui_frames "bandit_live$i" --lab bandit --play --steps-per-frame 17 || continue
    last_summary=$frame_summary
    local per_run busy busy_s fps_i
    per_run=$(sed -n 's/.*bandit: \([0-9]*\) policy steps per run.*/\1/p' "$out/gui_bandit_live$i.txt" | tail -1)
    busy=$(awk -F, 'NR > 1 && $4 == 1 {n++; t += $2} END{if (t > 0) printf "%.1f %.2f", n * 1000 / t, t / 1000}' \
      "$out/frames_bandit_live$i.csv")
    read -r fps_i busy_s <<<"${busy:-0 0}"
    rates+=("$(awk -v s="${per_run:-0}" -v t="$busy_s" 'BEGIN{printf "%.0f", (t > 0) ? s / t : 0}')")
    fps_all+=("$fps_i")
  done
  if [ "${#rates[@]}" -gt 0 ]; then
    local steps_rate fps
    steps_rate=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR] = $1} END{print v[int((NR + 1) / 2)]}')
    fps=$(printf '%s\n' "${fps_all[@]}" | sort -n | awk '{v[NR] = $1} END{print v[int((NR + 1) / 2)]}')
    row "bandit lab training in the GUI (17 steps asked per frame; median of ${#rates[@]} runs)" \
      ">= 30 fps and >= 500 steps/s while training" \
      "$fps fps, $steps_rate steps/s per run (runs: ${rates[*]} steps/s at ${fps_all[*]} fps); last run: $last_summary" \
      "$(both "$(le 30 "$fps")" "$(le 500 "$steps_rate")")"
  else
    row "bandit lab training in the GUI" ">= 30 fps and >= 500 steps/s while training" "$frame_summary" "-"
  fi

  load_after=$(uptime | sed 's/.*load average: //')
  # The host: machines of one kind have differed by 2x in these rows (the
  # paper's NumPy sweep: 16.8-19.6 s on one host, 7.3 s on another).
  local host
  host=$(lscpu 2>/dev/null | awk -F: '/^Model name/ {gsub(/^ +/, "", $2); m = $2} /^L3/ {gsub(/^ +/, "", $2); l3 = $2}
                                      END{printf "%s, L3 %s", m, l3}') || host="CPU model unknown"
  printf '\n## Speed table (issue 12): %s cores (%s), load average %s before, %s after\n\n' \
    "$cores" "$host" "$load_before" "$load_after"
  printf '| measure | target | measured | met |\n|---|---|---|---|\n'
  local r
  for r in "${table_rows[@]}"; do
    IFS='|' read -r m t v ok <<<"$r"
    printf '| %s | %s | %s | %s |\n' "$m" "$t" "$v" "$ok"
  done
  printf '\n'
}
speed_table

# ---- full output of the Google Benchmark programs ---------------------------
# Google Benchmark programs: DAG presets (target < 50 ms each), the DAG lab
# job's exact stage per preset (target < 100 ms), training
# steps per second (target >= 2,000 for the 40-node net), GUI knob changes.
build/bench/bench_dag_bench --benchmark_filter=Preset
# Edit → exact views of the DAG lab: the job's post → exact snapshot (target < 100 ms each).
build/bench/bench_dag_lab_job_bench
build/bench/bench_dynamics_bench
build/bench/bench_expert_lab_knob_bench

# Bandit lab: one policy step per method at paper scale with its GFLOP/s
# (multiply-adds counted in bench/bandit_bench.cpp), and the live default.
build/bench/bench_bandit_bench --benchmark_counters_tabular=true
