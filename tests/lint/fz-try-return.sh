#!/bin/sh
# fz-try-return.sh SOURCE_ROOT AWK_FILE: runs fz-try-return.awk over every C
# file of the source tree that uses fz_try or fz_always, found afresh on each
# run, so that a new MuPDF file cannot be left out of the lint (overlay.c
# was, when the list was written by hand). Build folders (those holding
# meson-private) are skipped: they hold no source of ours.
root=$1 rules=$2
files=$(find "$root" -type d -exec test -e '{}/meson-private' ';' -prune -o \
    -type f -name '*.c' -exec grep -lE 'fz_(try|always)\(' '{}' + | LC_ALL=C sort)
if [ -z "$files" ]; then
    echo "fz-try-return.sh: no C file using fz_try found under $root: the search is broken" >&2
    exit 1
fi
echo "linting:" $files
# shellcheck disable=SC2086
exec awk -f "$rules" $files
