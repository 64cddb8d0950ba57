# common.sh: what the scan e2e tests share (sourced): tests/e2e/lib.sh, the
# test database, the test PDFs in $tmp, and assertions that report the
# caller's line (lib.sh's fail expects to be called from a helper).
. "$SOURCE_ROOT/tests/e2e/lib.sh"
unset LETTERKIT_CLAMAV_DB
db=$SCAN_DB
clam=$CLAMAV_TESTFILES/clam.pdf
# expect_eq GOT WANT WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
# flunk MESSAGE: a failure found by the test itself.
flunk() { fail "$@"; }
[ -f "$clam" ] || flunk "$clam missing (install clamav-testfiles)"
python3 "$SOURCE_ROOT/tests/scan/make-pdfs.py" "$tmp" --encrypted || flunk "make-pdfs.py failed"
