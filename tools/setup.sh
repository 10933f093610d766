#!/usr/bin/env bash
# Installs whatever Debian 12 packages sglab needs and the machine lacks.
# Usage: bash tools/setup.sh [--headless]   (headless: no GUI packages)
set -euo pipefail
packages=(cmake g++ make pkg-config libeigen3-dev librandom123-dev nlohmann-json3-dev libcli11-dev
          libgtest-dev libgmock-dev libbenchmark-dev
          clang libclang-rt-14-dev)  # clang + libFuzzer: tools/fuzz.sh (issue 10)
if [[ "${1:-}" != "--headless" ]]; then
  packages+=(libimgui-dev libglfw3-dev libgl-dev libstb-dev fonts-dejavu-core xvfb xauth
             libgl1-mesa-dri)
fi
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
