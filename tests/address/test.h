/* test.h: tiny assertions for the address tests; each failure prints file:line. */
#ifndef ADDRESS_TEST_H
#define ADDRESS_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failures;

#define EXPECT(cond)                                                                   \
	do {                                                                           \
		if (!(cond)) {                                                         \
			printf("%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);        \
			test_failures++;                                               \
		}                                                                      \
	} while (0)

/* Two strings (either may be NULL) must be equal. */
#define EXPECT_STR(got, want)                                                          \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                  \
		if (!((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0))) { \
			printf("%s:%d: FAIL: %s is \"%s\", want \"%s\"\n", __FILE__,    \
			       __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
			test_failures++;                                               \
		}                                                                      \
	} while (0)

#define RUN(test)                                                                      \
	do {                                                                           \
		int before_ = test_failures;                                           \
		test();                                                                \
		printf("%s %s\n", test_failures == before_ ? "ok  " : "FAIL", #test);  \
	} while (0)

#endif
