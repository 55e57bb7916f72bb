/* A tiny assertion kit for our C tests: failures print file:line and are counted, never fatal,
 * and the run ends with the plain `N passed, N failed` line CI reads. */
#ifndef VGTFUZZ_TEST_CHECK_H
#define VGTFUZZ_TEST_CHECK_H
#include <inttypes.h>
#include <stdio.h>

static unsigned int check_passed, check_failed;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (cond) {                                                                      \
			check_passed++;                                                          \
		} else {                                                                         \
			check_failed++;                                                          \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		}                                                                                \
	} while (0)
#define CHECK_EQ(a, b)                                                                                        \
	do {                                                                                                  \
		uint64_t ce_a = (uint64_t)(a), ce_b = (uint64_t)(b);                                          \
		if (ce_a == ce_b) {                                                                           \
			check_passed++;                                                                       \
		} else {                                                                                      \
			check_failed++;                                                                       \
			fprintf(stderr, "%s:%d: %s == %s failed: 0x%" PRIx64 " != 0x%" PRIx64 "\n", __FILE__, \
				__LINE__, #a, #b, ce_a, ce_b);                                                \
		}                                                                                             \
	} while (0)

static inline int check_report(const char *suite)
{
	printf("%s: %u passed, %u failed\n", suite, check_passed, check_failed);
	return check_failed ? 1 : 0;
}
#endif
