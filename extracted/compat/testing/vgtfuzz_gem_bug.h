/*
 * kind: customised-for-testing. i915's GEM_BUG_ON and GEM_WARN_ON, one definition for the guest's
 * (compat/testing/i915_drv.h) and the host's (compat/host/i915_drv.h) i915_drv.h. With
 * CONFIG_DRM_I915_DEBUG_GEM (the debug profile) a GEM_BUG_ON whose condition holds stops the run
 * through vgtfuzz_kernel_bug(), like BUG_ON; without it, as in the kernel, the condition is only
 * type-checked and GEM_WARN_ON is a plain test.
 */
#ifndef VGTFUZZ_GEM_BUG_H
#define VGTFUZZ_GEM_BUG_H
#include <linux/bug.h>

#ifdef CONFIG_DRM_I915_DEBUG_GEM
/* As the kernel's: BUG() when expr holds; the condition is reported as written, not expanded. */
#define GEM_BUG_ON(expr)                                                                 \
	do {                                                                             \
		if (unlikely(expr))                                                      \
			vgtfuzz_kernel_bug(__FILE__, __LINE__, "GEM_BUG_ON(" #expr ")"); \
	} while (0)
#define GEM_WARN_ON(expr) WARN_ON(expr)
#else
#define GEM_BUG_ON(expr) BUILD_BUG_ON_INVALID(expr)
#define GEM_WARN_ON(expr) ({ unlikely(!!(expr)); })
#endif

#endif
