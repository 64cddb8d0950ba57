#!/bin/sh
# licence-split.sh EXE...: no executable holds both MuPDF (AGPL-3.0) and
# libclamav (GPL-2.0-only). meson refuses a stage that declares both (the
# top-level meson.build); this looks at what was actually linked, so a stage
# that pulls one in without saying so is caught too. MuPDF is linked
# statically (its functions are in the executable), libclamav as a shared
# library (a NEEDED entry, or its functions called).
bad=0 mupdf_seen=0 clamav_seen=0
for exe in "$@"; do
    mupdf=0 clamav=0
    # grep -q stops at the first match: nm's long listing is not read to the end.
    nm -P "$exe" 2>/dev/null | grep -q '^fz_new_context_imp T' && mupdf=1
    needed=$(readelf -d "$exe" 2>/dev/null | grep NEEDED)
    case $needed in *libmupdf*) mupdf=1 ;; esac
    case $needed in *libclamav*) clamav=1 ;; esac
    nm -P "$exe" 2>/dev/null | grep -q '^cl_init\(@[^ ]*\)\{0,1\} [TU]' && clamav=1
    mupdf_seen=$((mupdf_seen + mupdf)) clamav_seen=$((clamav_seen + clamav))
    if [ "$mupdf" -eq 1 ] && [ "$clamav" -eq 1 ]; then
        echo "$exe links both MuPDF (AGPL-3.0) and libclamav (GPL-2.0-only)" >&2
        bad=1
    fi
done
# The test proves nothing if it cannot see either library where it is.
if [ "$mupdf_seen" -eq 0 ] || [ "$clamav_seen" -eq 0 ]; then
    echo "licence-split.sh: MuPDF seen in $mupdf_seen, libclamav in $clamav_seen executables: the search is broken" >&2
    exit 1
fi
exit $bad
