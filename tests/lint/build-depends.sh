#!/bin/sh
# build-depends.sh SOURCE_ROOT: every library development package that
# .ci/packages installs to build letterkit (a lib*-dev or zlib1g-dev line) is in
# debian/control's Build-Depends, so that dpkg-buildpackage in a clean build
# root finds what meson's dependency() calls look for (libpoppler-private-dev
# was missing once: the build passed here only because CI had it installed).
top=${1:?usage: build-depends.sh SOURCE_ROOT}
deps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$top/debian/control" |
    sed 's/^Build-Depends://; s/([^)]*)//g' | tr ',' '\n' | tr -d ' \t' | sed '/^$/d; /:$/d')
bad=0 n=0
for pkg in $(grep -v '^#' "$top/.ci/packages" | grep -E '^(lib|zlib).*-dev$'); do
    n=$((n + 1))
    printf '%s\n' "$deps" | grep -qx -- "$pkg" && continue
    echo "debian/control: Build-Depends lacks $pkg (.ci/packages installs it to build)" >&2
    bad=1
done
[ "$n" -gt 0 ] || { echo "no library -dev packages read from .ci/packages" >&2; exit 1; }
[ "$bad" -eq 0 ] && echo "$n library -dev packages of .ci/packages, all in Build-Depends"
exit $bad
