/*
 * The drm_mm selftests of trees before KUnit (drivers/gpu/drm/selftests/test-drm_mm.c with its own
 * framework, drm_selftest.c, which it includes), run as one suite of our KUnit runner: one case per
 * selftest, in the kernel's order. A selftest fails when it returns non-zero, as under the kernel's
 * framework; its pr_* messages become the case's diagnostics.
 */
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/sprintf.h>
#include <kunit/test.h>

static struct kunit *vgtfuzz_selftest_current;
#undef printk
#undef pr_err
#undef pr_warn
#undef pr_notice
#undef pr_info
#undef pr_debug
#undef pr_cont
#define printk(...) kunit_info(vgtfuzz_selftest_current, __VA_ARGS__)
#define pr_err(...) kunit_err(vgtfuzz_selftest_current, __VA_ARGS__)
#define pr_warn(...) kunit_warn(vgtfuzz_selftest_current, __VA_ARGS__)
#define pr_notice(...) kunit_info(vgtfuzz_selftest_current, __VA_ARGS__)
#define pr_info(...) kunit_info(vgtfuzz_selftest_current, __VA_ARGS__)
#define pr_debug(...) ((void)0)
#define pr_cont(...) kunit_info(vgtfuzz_selftest_current, __VA_ARGS__)

#include "drivers/gpu/drm/selftests/test-drm_mm.c"

static void vgtfuzz_selftest_case(struct kunit *test)
{
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(selftests); i++) {
		if (strcmp(selftests[i].name, test->name))
			continue;
		vgtfuzz_selftest_current = test;
		err = selftests[i].func(NULL);
		if (err)
			KUNIT_FAIL(test, "selftest %s returned %d", selftests[i].name, err);
		return;
	}
	KUNIT_FAIL(test, "no selftest %s", test->name);
}

/* What the module's init does before running the selftests. */
static int vgtfuzz_selftests_init(struct kunit_suite *suite)
{
	(void)suite;
	while (!random_seed)
		random_seed = get_random_u32();
	return 0;
}

static struct kunit_case vgtfuzz_selftest_cases[ARRAY_SIZE(selftests) + 1];
static struct kunit_suite vgtfuzz_selftest_suite = {
	.name = "drm_mm_selftests",
	.suite_init = vgtfuzz_selftests_init,
	.test_cases = vgtfuzz_selftest_cases,
};

__attribute__((__constructor__)) static void vgtfuzz_selftests_register(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(selftests); i++) {
		vgtfuzz_selftest_cases[i].run_case = vgtfuzz_selftest_case;
		vgtfuzz_selftest_cases[i].name = selftests[i].name;
	}
	vgtfuzz_kunit_register(&vgtfuzz_selftest_suite);
}
