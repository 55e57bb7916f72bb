/* The guest's fence set-up: intel_ggtt_init_fences() and the fence_write() path it reaches
 * (intel_ggtt_restore_fences(), the gen2/gen3/gen4+ register writers), lifted alone out of
 * gt/intel_ggtt_fencing.c. */
#include "i915_drv.h"
#include "gt/intel_ggtt_fencing.h"
#include "i915_pvinfo.h"

/* customised-for-testing: bit-6 swizzle detection reads memory-controller registers to choose a
 * swizzle mode for tiled objects; it decides nothing about the fences' number or registers. */
static void detect_bit_6_swizzle(struct i915_ggtt *ggtt)
{
	(void)ggtt;
}

/* customised-for-testing: the kernel's allocator refuses what its page allocator cannot give
 * (more than KMALLOC_MAX_SIZE, 2^MAX_PAGE_ORDER pages = 4 MiB on x86-64) with a WARN and NULL, and
 * an n * size that overflows with NULL; userspace calloc would try instead. */
#define VGTFUZZ_KMALLOC_MAX_SIZE (4ul << 20)
static inline void *vgtfuzz_kcalloc_bounded(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (WARN_ON(n * size > VGTFUZZ_KMALLOC_MAX_SIZE))
		return NULL;
	return kcalloc(n, size, gfp);
}
#define kcalloc vgtfuzz_kcalloc_bounded

#include "fragments/host/fence_to_i915.c"
#include "fragments/host/fence_to_uncore.c"
#include "fragments/host/i965_write_fence_reg.c"
#include "fragments/host/i915_write_fence_reg.c"
#include "fragments/host/i830_write_fence_reg.c"
#include "fragments/host/fence_write.c"
#include "fragments/host/intel_ggtt_restore_fences.c"
#include "fragments/host/intel_ggtt_init_fences.c"
