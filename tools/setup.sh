#!/usr/bin/env bash
# Installs whatever Debian 12 packages sglab needs and the machine lacks.
# Usage: bash tools/setup.sh [--headless] [--packaging] [--slurm]
#   --headless   no GUI packages
#   --packaging  lintian, for tools/package.sh
#   --slurm      slurm-wlm and munge, for tests/cluster/slurm_array_test.sh
set -euo pipefail
headless=0 packaging=0 slurm=0
for arg in "$@"; do
  case $arg in
    --headless) headless=1 ;;
    --packaging) packaging=1 ;;
    --slurm) slurm=1 ;;
    *) echo "sglab setup: unknown option $arg" >&2; exit 2 ;;
  esac
done
# help2man: man pages at build time; parallel: the GNU parallel shard test.
packages=(cmake g++ make pkg-config libeigen3-dev librandom123-dev nlohmann-json3-dev libcli11-dev
          libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev help2man parallel dpkg-dev
          python3-sklearn  # python3-sklearn: the 8x8 digits data of the bandit lab
          clang libclang-rt-14-dev)  # clang + libFuzzer: tools/fuzz.sh (issue 10)
if ((!headless)); then
  # librsvg2-bin renders the icon's PNG sizes; desktop-file-utils checks the menu entry.
  packages+=(libimgui-dev libglfw3-dev libgl-dev libstb-dev fonts-dejavu-core xvfb xauth
             libgl1-mesa-dri librsvg2-bin desktop-file-utils)
fi
((packaging)) && packages+=(lintian fakeroot)
((slurm)) && packages+=(slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "sglab setup: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then SUDO=sudo; else
      echo "sglab setup: need root to install: ${missing[*]}" >&2; exit 1; fi
  else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
