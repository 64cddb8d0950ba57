/* test.h: the smallest assertion kit. A failed check prints file:line and
 * the values, the test goes on, and test_exit() returns 1 if any failed. */
#ifndef TESTS_TEST_H
#define TESTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int test_failures;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); test_failures++; } } while (0)
#define CHECK_INT(got, want) do { long long g_ = (got), w_ = (want); if (g_ != w_) { \
	fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); test_failures++; } } while (0)
#define CHECK_NEAR(got, want, eps) do { double g_ = (got), w_ = (want); if (fabs(g_ - w_) > (eps)) { \
	fprintf(stderr, "%s:%d: %s is %g, want %g\n", __FILE__, __LINE__, #got, g_, w_); test_failures++; } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
	if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_) != 0)) { \
	fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
	test_failures++; } } while (0)

static inline int test_exit(const char *name)
{
	if (test_failures)
		fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
	return test_failures ? 1 : 0;
}

#endif
