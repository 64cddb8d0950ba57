# lib-letters.sh (sourced): letters for the pipeline tests, in $tmp/letters:
# valid.pdf, outside.pdf (breaks the left margin), virus.pdf (a valid letter
# carrying the EICAR test string after its end), and the test signatures.
gen=$BUILD_ROOT/specimens/generated
db=$SOURCE_ROOT/specimens/clamav
mkdir -p "$tmp/letters"
cp "$gen/valid-1-page.pdf" "$tmp/letters/valid.pdf"
cp "$gen/outside-left-margin-by-1mm.pdf" "$tmp/letters/outside.pdf"
cp "$gen/valid-1-page.pdf" "$tmp/letters/virus.pdf"
# The EICAR test string, written in two halves so that no file of ours carries it.
printf '%s%s\n' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-' 'ANTIVIRUS-TEST-FILE!$H+H*' >> "$tmp/letters/virus.pdf"
