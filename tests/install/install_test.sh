#!/usr/bin/env bash
# Issue 13: `cmake --install` into a DESTDIR, then the installed programs run
# from a folder outside the source tree: the CLI's --version, a small sweep
# and a DAG analysis of an installed preset; no path of the source or build
# tree in any installed file; the desktop entry validates and its Exec is the
# installed binary; the installed GUI finds its presets by itself and takes a
# screenshot under Xvfb (as tests/gui/gui_smoke.sh does).
# Usage: install_test.sh BUILD_DIR SOURCE_DIR [PNG_CHECK]   (PNG_CHECK: GUI build)
set -u
build=$1 source=$2 png_check=${3:-}
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d /tmp/sglab-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
DESTDIR=$dest cmake --install "$build" --prefix /usr > "$tmp/install.log" || fail "cmake --install: $(tail -3 "$tmp/install.log")"
bin=$dest/usr/bin share=$dest/usr/share
for f in "$bin/sglab-cli" "$share/sglab/presets/T2_noisy_feedback.json" "$share/man/man1/sglab-cli.1.gz" \
         "$share/doc/sglab/copyright" "$share/doc/sglab/README.md"; do
  [[ -f $f ]] || fail "not installed: ${f#$dest}"
done
# Nothing installed may point back at the machine that built it.
for tree in "$(cd "$source" && pwd)" "$(cd "$build" && pwd)"; do
  hits=$(grep -rl --binary-files=text -F "$tree" "$dest" || true)
  [[ -z $hits ]] || fail "installed files contain $tree: $hits"
done

mkdir -p "$tmp/elsewhere" && cd "$tmp/elsewhere" || fail "cd"
version=$("$bin/sglab-cli" --version) || fail "sglab-cli --version exited $?"
[[ $version =~ ^sglab-cli\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "sglab-cli --version printed \"$version\""
"$bin/sglab-cli" expert-sweep --dims 4..6 --ks 2 --sample-sizes 1 2 --trials 4 --ratio-bootstrap 20 \
    --threads 1 --outdir sweep > sweep.log || fail "installed expert-sweep exited $?: $(tail -2 sweep.log)"
[[ $(wc -l < sweep/summary.csv) -eq 19 ]] || fail "summary.csv has $(wc -l < sweep/summary.csv) lines, expected 19"
"$bin/sglab-cli" dag --scenario "$share/sglab/presets/T2_noisy_feedback.json" --n 1,4 > dag.txt \
    || fail "installed dag on the installed T2 preset exited $?"
grep -q "VCM" dag.txt || fail "dag output lacks the VCM column"
# Lessons name their scenarios relative to lessons/: the installed tree must keep presets/ beside it.
"$bin/sglab-cli" lesson --check "$share/sglab/lessons/dag_classroom.json" --threads 1 > lesson.txt \
    || fail "installed lesson --check on the installed DAG lesson exited $?: $(tail -2 lesson.txt)"
echo "PASS: installed CLI ($version)"

[[ -n $png_check ]] || { echo "GUI not built: the installed-GUI part is skipped"; exit 0; }
[[ -x $bin/sglab ]] || fail "sglab not installed"
for f in "$share/applications/sglab.desktop" "$share/icons/hicolor/scalable/apps/sglab.svg" \
         "$share/icons/hicolor/48x48/apps/sglab.png" "$share/man/man1/sglab.1.gz"; do
  [[ -f $f ]] || fail "not installed: ${f#$dest}"
done
"$bin/sglab" --version | grep -qE '^sglab [0-9]+\.[0-9]+\.[0-9]+$' || fail "sglab --version"
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$share/applications/sglab.desktop" || fail "desktop-file-validate"
else
  echo "desktop-file-validate not installed: the desktop file's syntax is not checked"
fi
# The menu entry starts the app: its Exec names a program installed in bin/.
exec_line=$(grep '^Exec=' "$share/applications/sglab.desktop" | head -1)
exec_prog=${exec_line#Exec=}; exec_prog=${exec_prog%% *}
[[ -x $bin/$(basename "$exec_prog") ]] || fail "desktop Exec \"$exec_prog\" is not an installed program"
command -v xvfb-run > /dev/null || { echo "xvfb-run not installed: the installed-GUI screenshot is skipped"; exit 77; }
export LIBGL_ALWAYS_SOFTWARE=1 LP_NUM_THREADS=1
# Started by the Exec name through PATH, as a menu would, with no --assets.
PATH=$bin:$PATH xvfb-run -a -s "-screen 0 1920x1080x24" "$exec_prog" --no-settings --threads 1 --lab dag \
    --size 1280x800 --frames 5 --screenshot shot.png 2> gui.err || fail "installed sglab exited $?: $(cat gui.err)"
! grep -q "no presets" gui.err || fail "installed sglab did not find its presets: $(cat gui.err)"
"$png_check" shot.png 1280 800 20 || fail "bad screenshot"
# The warning is real: pointed at an empty folder, the same binary says so.
SGLAB_ASSETS=$tmp/empty "$bin/sglab" --no-settings --frames 1 2> noassets.err > /dev/null
grep -q "no presets in $tmp/empty" noassets.err || fail "no warning without presets: $(cat noassets.err)"
echo "PASS: installed GUI"
