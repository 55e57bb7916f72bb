/*
 * kind: customised-for-testing. KUnit for userspace: enough of the kernel's unit-test API to build
 * the kernel's own test files unmodified and run them with our runner (extracted/kunit_main.c).
 *
 * Semantics kept: an EXPECT that does not hold marks the case failed and the case goes on; an
 * ASSERT (and kunit_skip) marks it and leaves the case at once (the runner longjmps back to where
 * it called the case, then runs the suite's exit hook). Suites are registered by a constructor in
 * the test's own translation unit, so the test object must be linked directly (not from an
 * archive). Not provided: parameterised cases, managed resources (kunit_kzalloc and friends),
 * attributes. Messages go to stdout as KTAP diagnostics.
 */
#ifndef VGTFUZZ_KUNIT_TEST_H
#define VGTFUZZ_KUNIT_TEST_H
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

#define KUNIT_STATUS_COMMENT_SIZE 256

struct kunit {
	void *priv; /* free for the test's own use */
	const char *name; /* the case's name */
	enum kunit_status status;
	unsigned int failures; /* failed expectations and assertions so far */
	char status_comment[KUNIT_STATUS_COMMENT_SIZE]; /* the skip reason */
	void *vgtfuzz_escape; /* runner: where an ASSERT or a skip jumps to */
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite); /* once, before the cases */
	void (*suite_exit)(struct kunit_suite *suite); /* once, after them */
	int (*init)(struct kunit *test); /* before each case; non-zero fails it */
	void (*exit)(struct kunit *test); /* after each case, even an aborted one */
	struct kunit_case *test_cases; /* ends with an entry whose run_case is NULL */
};

#define KUNIT_CASE(fn)                        \
	{                                     \
		.run_case = (fn), .name = #fn \
	}

/* --- The runner's side (extracted/kunit_main.c). --- */
void vgtfuzz_kunit_register(struct kunit_suite *suite);
__attribute__((__noreturn__)) void vgtfuzz_kunit_abort(struct kunit *test);
__attribute__((__format__(printf, 6, 7))) void vgtfuzz_kunit_failed(struct kunit *test, bool assertion,
								    const char *file, int line, const char *what,
								    const char *fmt, ...);
__attribute__((__format__(printf, 8, 9))) void vgtfuzz_kunit_cmp_failed(struct kunit *test, bool assertion,
									const char *file, int line, const char *what,
									long long left, long long right,
									const char *fmt, ...);
__attribute__((__format__(printf, 3, 4))) void vgtfuzz_kunit_log(struct kunit *test, const char *level, const char *fmt,
								 ...);
__attribute__((__format__(printf, 2, 3))) void vgtfuzz_kunit_mark_skipped(struct kunit *test, const char *fmt, ...);

/* Registration: each suite handed to the runner before main() runs. */
#define vgtfuzz_kunit_paste_(a, b) a##b
#define vgtfuzz_kunit_paste(a, b) vgtfuzz_kunit_paste_(a, b)
#define kunit_test_suites(...)                                                                               \
	static struct kunit_suite *vgtfuzz_kunit_paste(vgtfuzz_kunit_list_, __LINE__)[] = { __VA_ARGS__ };   \
	__attribute__((__constructor__)) static void vgtfuzz_kunit_paste(vgtfuzz_kunit_add_, __LINE__)(void) \
	{                                                                                                    \
		struct kunit_suite **s = vgtfuzz_kunit_paste(vgtfuzz_kunit_list_, __LINE__);                 \
		size_t i;                                                                                    \
		for (i = 0; i < ARRAY_SIZE(vgtfuzz_kunit_paste(vgtfuzz_kunit_list_, __LINE__)); i++)         \
			vgtfuzz_kunit_register(s[i]);                                                        \
	}
#define kunit_test_suite(suite) kunit_test_suites(&(suite))

/* --- Logging and skipping. --- */
#define kunit_log(lvl, test, fmt, ...) vgtfuzz_kunit_log((test), (lvl), fmt, ##__VA_ARGS__)
#define kunit_printk(lvl, test, fmt, ...) kunit_log(lvl, test, fmt, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...) kunit_log("", test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...) kunit_log("warning: ", test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...) kunit_log("error: ", test, fmt, ##__VA_ARGS__)
#define kunit_mark_skipped(test, fmt, ...) vgtfuzz_kunit_mark_skipped((test), fmt, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...)                              \
	do {                                                    \
		kunit_mark_skipped((test), fmt, ##__VA_ARGS__); \
		vgtfuzz_kunit_abort(test);                      \
	} while (0)

/* --- The checks. `abort` is 0 for EXPECT, 1 for ASSERT; the trailing arguments are an optional
 * printf-style message (NULL when there is none). Every operand is evaluated exactly once. --- */
#define vgtfuzz_kunit_end(test, abort)             \
	do {                                       \
		if (abort)                         \
			vgtfuzz_kunit_abort(test); \
	} while (0)

#define vgtfuzz_kunit_bool(test, abort, cond, want, text, ...)                                        \
	do {                                                                                          \
		if (!!(cond) != (want)) {                                                             \
			vgtfuzz_kunit_failed((test), (abort), __FILE__, __LINE__, text, __VA_ARGS__); \
			vgtfuzz_kunit_end(test, abort);                                               \
		}                                                                                     \
	} while (0)

#define vgtfuzz_kunit_int(test, abort, left, op, right, ...)                                                    \
	do {                                                                                                    \
		__typeof__(left) vk_left = (left);                                                              \
		__typeof__(right) vk_right = (right);                                                           \
		if (!(vk_left op vk_right)) {                                                                   \
			vgtfuzz_kunit_cmp_failed((test), (abort), __FILE__, __LINE__, #left " " #op " " #right, \
						 (long long)vk_left, (long long)vk_right, __VA_ARGS__);         \
			vgtfuzz_kunit_end(test, abort);                                                         \
		}                                                                                               \
	} while (0)

#define vgtfuzz_kunit_ptr(test, abort, left, op, right, ...)                                                      \
	do {                                                                                                      \
		const void *vk_pleft = (left);                                                                    \
		const void *vk_pright = (right);                                                                  \
		if (!(vk_pleft op vk_pright)) {                                                                   \
			vgtfuzz_kunit_cmp_failed((test), (abort), __FILE__, __LINE__, #left " " #op " " #right,   \
						 (long long)(uintptr_t)vk_pleft, (long long)(uintptr_t)vk_pright, \
						 __VA_ARGS__);                                                    \
			vgtfuzz_kunit_end(test, abort);                                                           \
		}                                                                                                 \
	} while (0)

#define vgtfuzz_kunit_str(test, abort, left, op, right, ...)                                                \
	do {                                                                                                \
		const char *vk_sleft = (left);                                                              \
		const char *vk_sright = (right);                                                            \
		if (!(strcmp(vk_sleft, vk_sright) op 0)) {                                                  \
			vgtfuzz_kunit_failed((test), (abort), __FILE__, __LINE__, #left " " #op " " #right, \
					     __VA_ARGS__);                                                  \
			vgtfuzz_kunit_end(test, abort);                                                     \
		}                                                                                           \
	} while (0)

#define vgtfuzz_kunit_mem(test, abort, left, op, right, size, ...)                                               \
	do {                                                                                                     \
		if (!(memcmp((left), (right), (size)) op 0)) {                                                   \
			vgtfuzz_kunit_failed((test), (abort), __FILE__, __LINE__,                                \
					     "memcmp(" #left ", " #right ", " #size ") " #op " 0", __VA_ARGS__); \
			vgtfuzz_kunit_end(test, abort);                                                          \
		}                                                                                                \
	} while (0)

#define KUNIT_SUCCEED(test) ((void)(test))
#define KUNIT_FAIL(test, fmt, ...) vgtfuzz_kunit_failed((test), false, __FILE__, __LINE__, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_FAIL_AND_ABORT(test, fmt, ...)                                                      \
	do {                                                                                      \
		vgtfuzz_kunit_failed((test), true, __FILE__, __LINE__, NULL, fmt, ##__VA_ARGS__); \
		vgtfuzz_kunit_abort(test);                                                        \
	} while (0)

/* One family per check, each as EXPECT (0) and ASSERT (1), plain and with a message. */
#define vgtfuzz_kunit_true(t, a, c, ...) vgtfuzz_kunit_bool(t, a, c, 1, "(" #c ") is true", __VA_ARGS__)
#define vgtfuzz_kunit_false(t, a, c, ...) vgtfuzz_kunit_bool(t, a, c, 0, "(" #c ") is false", __VA_ARGS__)
#define vgtfuzz_kunit_null(t, a, p, ...) vgtfuzz_kunit_ptr(t, a, p, ==, NULL, __VA_ARGS__)
#define vgtfuzz_kunit_not_null(t, a, p, ...) vgtfuzz_kunit_ptr(t, a, p, !=, NULL, __VA_ARGS__)
#define vgtfuzz_kunit_not_err_or_null(t, a, p, ...) \
	vgtfuzz_kunit_bool(t, a, IS_ERR_OR_NULL(p), 0, "(" #p ") is neither NULL nor an error", __VA_ARGS__)

#define KUNIT_EXPECT_TRUE(t, c) vgtfuzz_kunit_true(t, 0, c, NULL)
#define KUNIT_EXPECT_TRUE_MSG(t, c, ...) vgtfuzz_kunit_true(t, 0, c, __VA_ARGS__)
#define KUNIT_ASSERT_TRUE(t, c) vgtfuzz_kunit_true(t, 1, c, NULL)
#define KUNIT_ASSERT_TRUE_MSG(t, c, ...) vgtfuzz_kunit_true(t, 1, c, __VA_ARGS__)
#define KUNIT_EXPECT_FALSE(t, c) vgtfuzz_kunit_false(t, 0, c, NULL)
#define KUNIT_EXPECT_FALSE_MSG(t, c, ...) vgtfuzz_kunit_false(t, 0, c, __VA_ARGS__)
#define KUNIT_ASSERT_FALSE(t, c) vgtfuzz_kunit_false(t, 1, c, NULL)
#define KUNIT_ASSERT_FALSE_MSG(t, c, ...) vgtfuzz_kunit_false(t, 1, c, __VA_ARGS__)

#define KUNIT_EXPECT_EQ(t, l, r) vgtfuzz_kunit_int(t, 0, l, ==, r, NULL)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 0, l, ==, r, __VA_ARGS__)
#define KUNIT_ASSERT_EQ(t, l, r) vgtfuzz_kunit_int(t, 1, l, ==, r, NULL)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 1, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_NE(t, l, r) vgtfuzz_kunit_int(t, 0, l, !=, r, NULL)
#define KUNIT_EXPECT_NE_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 0, l, !=, r, __VA_ARGS__)
#define KUNIT_ASSERT_NE(t, l, r) vgtfuzz_kunit_int(t, 1, l, !=, r, NULL)
#define KUNIT_ASSERT_NE_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 1, l, !=, r, __VA_ARGS__)
#define KUNIT_EXPECT_LT(t, l, r) vgtfuzz_kunit_int(t, 0, l, <, r, NULL)
#define KUNIT_EXPECT_LT_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 0, l, <, r, __VA_ARGS__)
#define KUNIT_ASSERT_LT(t, l, r) vgtfuzz_kunit_int(t, 1, l, <, r, NULL)
#define KUNIT_ASSERT_LT_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 1, l, <, r, __VA_ARGS__)
#define KUNIT_EXPECT_LE(t, l, r) vgtfuzz_kunit_int(t, 0, l, <=, r, NULL)
#define KUNIT_EXPECT_LE_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 0, l, <=, r, __VA_ARGS__)
#define KUNIT_ASSERT_LE(t, l, r) vgtfuzz_kunit_int(t, 1, l, <=, r, NULL)
#define KUNIT_ASSERT_LE_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 1, l, <=, r, __VA_ARGS__)
#define KUNIT_EXPECT_GT(t, l, r) vgtfuzz_kunit_int(t, 0, l, >, r, NULL)
#define KUNIT_EXPECT_GT_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 0, l, >, r, __VA_ARGS__)
#define KUNIT_ASSERT_GT(t, l, r) vgtfuzz_kunit_int(t, 1, l, >, r, NULL)
#define KUNIT_ASSERT_GT_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 1, l, >, r, __VA_ARGS__)
#define KUNIT_EXPECT_GE(t, l, r) vgtfuzz_kunit_int(t, 0, l, >=, r, NULL)
#define KUNIT_EXPECT_GE_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 0, l, >=, r, __VA_ARGS__)
#define KUNIT_ASSERT_GE(t, l, r) vgtfuzz_kunit_int(t, 1, l, >=, r, NULL)
#define KUNIT_ASSERT_GE_MSG(t, l, r, ...) vgtfuzz_kunit_int(t, 1, l, >=, r, __VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(t, l, r) vgtfuzz_kunit_ptr(t, 0, l, ==, r, NULL)
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, ...) vgtfuzz_kunit_ptr(t, 0, l, ==, r, __VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ(t, l, r) vgtfuzz_kunit_ptr(t, 1, l, ==, r, NULL)
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, ...) vgtfuzz_kunit_ptr(t, 1, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE(t, l, r) vgtfuzz_kunit_ptr(t, 0, l, !=, r, NULL)
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, ...) vgtfuzz_kunit_ptr(t, 0, l, !=, r, __VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE(t, l, r) vgtfuzz_kunit_ptr(t, 1, l, !=, r, NULL)
#define KUNIT_ASSERT_PTR_NE_MSG(t, l, r, ...) vgtfuzz_kunit_ptr(t, 1, l, !=, r, __VA_ARGS__)
#define KUNIT_EXPECT_NULL(t, p) vgtfuzz_kunit_null(t, 0, p, NULL)
#define KUNIT_EXPECT_NULL_MSG(t, p, ...) vgtfuzz_kunit_null(t, 0, p, __VA_ARGS__)
#define KUNIT_ASSERT_NULL(t, p) vgtfuzz_kunit_null(t, 1, p, NULL)
#define KUNIT_ASSERT_NULL_MSG(t, p, ...) vgtfuzz_kunit_null(t, 1, p, __VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL(t, p) vgtfuzz_kunit_not_null(t, 0, p, NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, ...) vgtfuzz_kunit_not_null(t, 0, p, __VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(t, p) vgtfuzz_kunit_not_null(t, 1, p, NULL)
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, ...) vgtfuzz_kunit_not_null(t, 1, p, __VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) vgtfuzz_kunit_not_err_or_null(t, 0, p, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, ...) vgtfuzz_kunit_not_err_or_null(t, 0, p, __VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) vgtfuzz_kunit_not_err_or_null(t, 1, p, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, ...) vgtfuzz_kunit_not_err_or_null(t, 1, p, __VA_ARGS__)

#define KUNIT_EXPECT_STREQ(t, l, r) vgtfuzz_kunit_str(t, 0, l, ==, r, NULL)
#define KUNIT_EXPECT_STREQ_MSG(t, l, r, ...) vgtfuzz_kunit_str(t, 0, l, ==, r, __VA_ARGS__)
#define KUNIT_ASSERT_STREQ(t, l, r) vgtfuzz_kunit_str(t, 1, l, ==, r, NULL)
#define KUNIT_ASSERT_STREQ_MSG(t, l, r, ...) vgtfuzz_kunit_str(t, 1, l, ==, r, __VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ(t, l, r) vgtfuzz_kunit_str(t, 0, l, !=, r, NULL)
#define KUNIT_EXPECT_STRNEQ_MSG(t, l, r, ...) vgtfuzz_kunit_str(t, 0, l, !=, r, __VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ(t, l, r) vgtfuzz_kunit_str(t, 1, l, !=, r, NULL)
#define KUNIT_ASSERT_STRNEQ_MSG(t, l, r, ...) vgtfuzz_kunit_str(t, 1, l, !=, r, __VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ(t, l, r, n) vgtfuzz_kunit_mem(t, 0, l, ==, r, n, NULL)
#define KUNIT_EXPECT_MEMEQ_MSG(t, l, r, n, ...) vgtfuzz_kunit_mem(t, 0, l, ==, r, n, __VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ(t, l, r, n) vgtfuzz_kunit_mem(t, 1, l, ==, r, n, NULL)
#define KUNIT_ASSERT_MEMEQ_MSG(t, l, r, n, ...) vgtfuzz_kunit_mem(t, 1, l, ==, r, n, __VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ(t, l, r, n) vgtfuzz_kunit_mem(t, 0, l, !=, r, n, NULL)
#define KUNIT_EXPECT_MEMNEQ_MSG(t, l, r, n, ...) vgtfuzz_kunit_mem(t, 0, l, !=, r, n, __VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ(t, l, r, n) vgtfuzz_kunit_mem(t, 1, l, !=, r, n, NULL)
#define KUNIT_ASSERT_MEMNEQ_MSG(t, l, r, n, ...) vgtfuzz_kunit_mem(t, 1, l, !=, r, n, __VA_ARGS__)
#endif
