#!/usr/bin/env bash
# The 30-minute GUI soak (issue "Hardening"): the app drives itself under Xvfb
# (every lab shown in turn, the expert and DAG jobs cancelled and restarted
# every few seconds with a new seed, both training labs playing) and logs its
# resident memory and frame intervals every 10 s.
#   bash tools/soak.sh [SECONDS] [LOG.csv]     (default 1800 s, soak.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-1800}
log=${2:-soak.csv}
bash tools/build.sh default >/dev/null
echo "soak: ${seconds} s, log ${log}; load: $(uptime | sed 's/.*load average: //')"
xvfb-run -a -s '-screen 0 1600x900x24' env LP_NUM_THREADS=1 \
  build/app/gui/sglab --no-settings --size 1600x900 --soak "$seconds" --soak-log "$log"
# RSS at the start, the middle and the end of the run.
awk -F, -v half="$((seconds / 2))" 'NR == 2 { print "soak: RSS at 0 s: " $2 " MiB" }
  NR > 1 && !mid && $1 + 0 >= half { print "soak: RSS at " $1 " s: " $2 " MiB"; mid = 1 }
  NR > 1 { last = $1; rss = $2 } END { print "soak: RSS at " last " s: " rss " MiB" }' "$log"
