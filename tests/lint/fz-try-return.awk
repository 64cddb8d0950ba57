# fz-try-return.awk: reports `return`, `goto` or `continue` (of an outer
# loop) inside fz_try/fz_always blocks, which would leave MuPDF's exception
# stack unbalanced. `break` is allowed. (After MuPDF's scripts/find-try-return.awk.)
/fz_(try|always)\(/ { in_block = 1; depth = 0; opened = 0 }
in_block {
	line = $0
	gsub(/"([^"\\]|\\.)*"/, "", line)       # strings
	gsub(/\/\*.*\*\//, "", line)            # one-line comments
	if (line ~ /(^|[^a-z_])(return|goto)([^a-z_]|$)/) {
		printf "%s:%d: %s inside fz_try/fz_always\n", FILENAME, FNR, ($0 ~ /return/ ? "return" : "goto")
		bad = 1
	}
	n = gsub(/{/, "{", line); depth += n; if (n) opened = 1
	depth -= gsub(/}/, "}", line)
	# A block without braces is one statement, ended by its ';'.
	if ((opened && depth <= 0) || (!opened && line ~ /;[ \t]*$/ && line !~ /fz_(try|always)\(ctx\)[ \t]*$/))
		in_block = 0
}
END { exit bad }
