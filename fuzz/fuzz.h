/*
 * fuzz.h: what every harness in fuzz/ shares.
 *
 * Each harness defines LLVMFuzzerTestOneInput(). Built with -Dfuzz=true
 * (clang), libFuzzer supplies main() and mutates inputs; in any other build
 * replay.c supplies a main() that runs the seed corpus and the regression
 * inputs under tests/fuzz once each, so CI (gcc, ASan/UBSan, valgrind-free)
 * keeps every input that ever crashed a harness from crashing it again.
 *
 * A harness reports a bug by crashing: abort() on a broken invariant, so
 * that libFuzzer keeps the input. FUZZ_ASSERT says which invariant.
 */
#ifndef LETTERKIT_FUZZ_H
#define LETTERKIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: once, before the first input (defined weak in replay.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_ASSERT(cond)                                                                 \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* A NUL-terminated copy of the input (harnesses of C-string APIs); abort()s when out of memory. */
char *fuzz_strndup(const uint8_t *data, size_t size);

#endif
