#!/usr/bin/env bash
# letterkit-check under valgrind: no invalid reads or writes, no use of
# uninitialised memory, no leaks, on letters of every kind (a sample of the
# specimens: valid, each failure, overlays and the HTML report drawn), with
# three letters in MuPDF's built-in Helvetica, whose advances one letter's
# font instance lends the next (font_metrics.c).
. "$(dirname "$0")/../e2e/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 77; }
gen=$BUILD_ROOT/specimens/generated
mkdir -p "$tmp/pictures"
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    --suppressions="$(dirname "$0")/valgrind.supp" \
    "$BUILD_ROOT/letterkit-check" --quiet --overlay "$tmp/pictures" --report "$tmp/report.html" \
    "$gen/valid-4-pages.pdf" "$gen/outside-on-pages-1-and-3.pdf" "$gen/black-mark-painted-over-white.pdf" \
    "$gen/rotated-90-content-in-left-margin.pdf" "$gen/notify-tag-on-page-3.pdf" "$gen/address-no-fixed-abode.pdf" \
    "$gen/encrypted-user-password.pdf" "$gen/truncated.pdf" "$gen/too-long-11-pages.pdf" \
    "$SOURCE_ROOT/specimens/cairo/address-ligature-unfolded.pdf" "$SOURCE_ROOT/specimens/libreoffice/valid-1-page.pdf" \
    "$SOURCE_ROOT/specimens/reportlab/valid-2-pages.pdf" "$SOURCE_ROOT/specimens/reportlab/outside-footer-in-bottom-margin.pdf" \
    "$SOURCE_ROOT/specimens/reportlab/address-welsh-valid.pdf" \
    > "$tmp/out" 2> "$tmp/valgrind"
status=$?
[ "$status" -eq 1 ] || fail "exit $status under valgrind, want 1: $(tail -n 30 "$tmp/valgrind")"
finish
