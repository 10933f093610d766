#!/usr/bin/env bash
# The main job: install what is missing, build, and run sglab.
# With a display, opens the desktop app on the default scenario; without one
# (or with SGLAB_HEADLESS=1), runs the paper's expert sweep (Figure 2a) with
# the command-line twin and writes out/expert-sweep/summary.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh default
if [[ -z "${SGLAB_HEADLESS:-}" && ( -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ) && -x build/app/gui/sglab ]]; then
  exec build/app/gui/sglab "$@"
fi
echo "sglab: no display found; running the expert sweep headless instead"
exec build/app/sglab-cli expert-sweep --outdir out/expert-sweep "$@"
