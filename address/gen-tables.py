#!/usr/bin/env python3
"""gen-tables.py: turns address/data/ and Python's unicodedata into C tables.

Usage: gen-tables.py COUNTRIES_TSV POSTCODE_ZONES_TXT OUTPUT_C

Run by meson at build time. The output depends only on the two data files
and on the Unicode version of the Python that runs it (recorded in the
output), so it is deterministic. Every table is sorted, for bsearch().

Notify's validator is Python, so the character classes here are Python's own
(str.isspace, str.isalnum, str.isdigit, str.lower, str.upper), which is what
makes letterkit agree with it on whitespace, letters and digits outside ASCII.
"""
import sys
import unicodedata

MAX_CP = 0x110000
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # decomposed by arithmetic in C

# Notify builds country keys with its SanitiseASCII: printable ASCII stays,
# a character whose canonical decomposition starts with printable ASCII
# becomes that character ("é" -> "e"), and these few are replaced outright.
# Anything else cannot be downgraded (Notify's "?"): the key then stays as
# it was, non-ASCII and all, which is why countries.tsv holds such keys.
ASCII_REPLACEMENTS = {
    "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"',
    "\u201e": '"', "\u180e": "", "\u200b": "", "\u200c": "", "\u200d": "",
    "\u2060": "", "\ufeff": "", "\u2028": "", "\u2029": "", "\u00a0": " ",
    "\u202f": " ", "\t": " ", "\u0141": "L", "\u0142": "l",
}


def ascii_downgrade(ch):
    """What SanitiseASCII makes of one character, or None for its "?"."""
    if 0x20 <= ord(ch) < 0x7F:
        return ch
    dec = unicodedata.decomposition(ch)
    if dec and "<" not in dec:
        first = dec.split()[0]
        if len(first) != 4:    # Notify's decoder takes four hex digits only
            return None
        first = chr(int(first, 16))
        return first if 0x20 <= ord(first) < 0x7F else None
    return ASCII_REPLACEMENTS.get(ch)


def c_str(s):
    """A C string literal for s (UTF-8, every non-ASCII byte escaped)."""
    out = []
    for b in s.encode("utf-8"):
        if b in (0x22, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F and chr(b) != "?":
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def ranges(pred, chars):
    """[first, last] runs of the code points for which pred holds."""
    out, start, prev = [], None, None
    for cp in chars:
        if pred(chr(cp)):
            if start is None or cp != prev + 1:
                if start is not None:
                    out.append((start, prev))
                start = cp
            prev = cp
    if start is not None:
        out.append((start, prev))
    return out


def emit_ranges(w, name, rs):
    w("const struct address_range %s[] = {\n" % name)
    for a, b in rs:
        w("\t{0x%X, 0x%X},\n" % (a, b))
    w("};\nconst size_t %s_len = %d;\n\n" % (name, len(rs)))


def emit_map(w, name, pairs):
    """cp -> UTF-8 string table."""
    w("const struct address_map %s[] = {\n" % name)
    for cp, s in pairs:
        w("\t{0x%X, %s},\n" % (cp, c_str(s)))
    w("};\nconst size_t %s_len = %d;\n\n" % (name, len(pairs)))


def main():
    countries_path, zones_path, out_path = sys.argv[1:4]

    countries = []
    with open(countries_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, name, zone = line.split("\t")
            countries.append((key.encode("utf-8"), name, zone))
    countries.sort()
    zone_enum = {"united-kingdom": "ADDRESS_ZONE_UNITED_KINGDOM",
                 "europe": "ADDRESS_ZONE_EUROPE",
                 "rest-of-world": "ADDRESS_ZONE_REST_OF_WORLD"}

    with open(zones_path, encoding="ascii") as f:
        zones = sorted({z.strip() for z in f if z.strip()})

    # Only assigned code points can be anything but plain; skip the rest fast.
    assigned = [cp for cp in range(MAX_CP)
                if unicodedata.category(chr(cp)) not in ("Cn", "Cs", "Co")]
    non_ascii = [cp for cp in assigned if cp >= 0x80]

    nfkd, pool = [], []
    ccc = []
    lower, upper_ascii, downgrade, decimal = [], [], [], []
    for cp in non_ascii:
        ch = chr(cp)
        if not HANGUL_FIRST <= cp <= HANGUL_LAST:
            d = unicodedata.normalize("NFKD", ch)
            if d != ch:
                nfkd.append((cp, len(pool), len(d)))
                pool.extend(ord(c) for c in d)
        c = unicodedata.combining(ch)
        if c:
            ccc.append((cp, c))
        lo = ch.lower()
        if lo != ch:
            lower.append((cp, lo))
        up = ch.upper()
        if up.isascii() and up.isalnum():
            upper_ascii.append((cp, up))
        t = ascii_downgrade(ch)
        if t is not None:
            downgrade.append((cp, t))
        if unicodedata.category(ch) == "Nd":
            if decimal and decimal[-1][1] == cp - 1 and \
                    unicodedata.decimal(ch) == unicodedata.decimal(chr(cp - 1)) + 1:
                decimal[-1][1] = cp
            else:
                assert unicodedata.decimal(ch) == 0, "a run of decimal digits starts at 0"
                decimal.append([cp, cp])

    assert len(pool) < 65536, "address_decomp.offset is 16 bits"
    assert max(n for _, _, n in nfkd) < 256, "address_decomp.len is 8 bits"

    out = []
    w = out.append
    w("/* Generated by address/gen-tables.py from address/data/ and Unicode %s. Do not edit. */\n"
      % unicodedata.unidata_version)
    w('#include "tables.h"\n\n')
    w('const char address_unicode_version[] = "%s";\n\n' % unicodedata.unidata_version)

    w("const struct address_country address_countries[] = {\n")
    for key, name, zone in countries:
        w("\t{%s, %s, %s},\n" % (c_str(key.decode("utf-8")), c_str(name), zone_enum[zone]))
    w("};\nconst size_t address_countries_len = %d;\n" % len(countries))
    w("const size_t address_countries_max_key = %d;\n\n" % max(len(k) for k, _, _ in countries))

    w("const char *const address_postcode_zones[] = {\n")
    for z in zones:
        w("\t%s,\n" % c_str(z))
    w("};\nconst size_t address_postcode_zones_len = %d;\n\n" % len(zones))

    emit_ranges(w, "address_space_ranges", ranges(str.isspace, range(MAX_CP)))
    emit_ranges(w, "address_decimal_ranges", decimal)
    emit_ranges(w, "address_digit_ranges", ranges(str.isdigit, non_ascii))
    emit_map(w, "address_lower_map", lower)
    emit_map(w, "address_upper_ascii_map", upper_ascii)
    emit_map(w, "address_ascii_map", [(cp, t) for cp, t in downgrade if cp >= 0x80])

    w("const struct address_decomp address_nfkd_map[] = {\n")
    for cp, off, n in nfkd:
        w("\t{0x%X, %d, %d},\n" % (cp, off, n))
    w("};\nconst size_t address_nfkd_map_len = %d;\n\n" % len(nfkd))
    w("const uint32_t address_nfkd_pool[] = {\n")
    for i in range(0, len(pool), 8):
        w("\t" + " ".join("0x%X," % v for v in pool[i:i + 8]) + "\n")
    w("};\n\n")
    w("const struct address_ccc address_ccc_map[] = {\n")
    for cp, c in ccc:
        w("\t{0x%X, %d},\n" % (cp, c))
    w("};\nconst size_t address_ccc_map_len = %d;\n" % len(ccc))

    with open(out_path, "w", encoding="ascii") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
