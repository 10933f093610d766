#!/bin/sh
# Builds one gzipped man page from a program's --help and --version with
# Debian's help2man; each SUBCOMMAND's --help becomes a subsection.
# Usage: make_manpage.sh HELP2MAN PROGRAM NAME-LINE OUT.1.gz [SUBCOMMAND...]
set -eu
help2man=$1 program=$2 name=$3 out=$4
shift 4
# Run the program by name through PATH, so its usage lines read "sglab-cli",
# never the build tree's path.
PATH="$(cd "$(dirname "$program")" && pwd):$PATH"
export PATH
program=$(basename "$program")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/include"
if [ $# -gt 0 ]; then
  printf '[COMMANDS]\n' >> "$work/include"
  for sub in "$@"; do
    printf '.SS "%s"\n.nf\n' "$sub" >> "$work/include"
    # roff: escape backslashes, protect lines starting with . or '
    "$program" "$sub" --help | sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" >> "$work/include"
    printf '.fi\n' >> "$work/include"
  done
fi
printf '[SEE ALSO]\nThe README in /usr/share/doc/sglab.\n' >> "$work/include"
"$help2man" --no-info --no-discard-stderr --section=1 --name="$name" --include="$work/include" \
  --output="$work/page.1" "$program"
gzip -9n -c "$work/page.1" > "$out"
