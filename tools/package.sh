#!/usr/bin/env bash
# Builds the Debian package build/sglab_<version>_amd64.deb with CPack and
# checks it: lintian (no error allowed) and desktop-file-validate on the menu
# entry. Not part of tools/test.sh (lintian alone takes a while); run it
# before a release: bash tools/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --packaging
bash tools/build.sh default
(cd build && cpack -G DEB)
deb=$(ls build/sglab_*_amd64.deb)
echo "== $deb =="
dpkg-deb -f "$deb" Package Version Depends Recommends
echo "== desktop-file-validate =="
desktop-file-validate packaging/sglab.desktop
echo "== lintian =="
# lintian exits non-zero on errors (its default --fail-on error).
lintian --tag-display-limit 0 "$deb"
echo "== $deb: no lintian error =="
