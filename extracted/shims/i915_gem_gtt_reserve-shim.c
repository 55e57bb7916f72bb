/* i915_gem_gtt_reserve(), lifted alone out of i915_gem_gtt.c, behind the shared-bl_info probe. */
#include "i915_drv.h"
#define i915_gem_gtt_reserve vgtfuzz_lifted_i915_gem_gtt_reserve
#include "fragments/i915_gem_gtt_reserve.c"
#undef i915_gem_gtt_reserve

/* customised-for-testing (extracted/kenv.c): stop the run before the kernel corrupts memory. */
void vgtfuzz_kernel_hazard(const char *why);

/* The balloon code reserves its four bl_info nodes, one static for every device. A node still
 * linked into another device's GGTT would be relinked into this one (memory corruption; a debug
 * kernel BUGs at GEM_BUG_ON(drm_mm_node_allocated(node))): stop exactly when the kernel would
 * touch it, not before an op that might return first. */
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww,
			 struct drm_mm_node *node, u64 size, u64 offset, unsigned long color,
			 unsigned int flags)
{
	if (drm_mm_node_allocated(node) && node->mm != &vm->mm)
		vgtfuzz_kernel_hazard("shared-bl_info: a bl_info balloon node is still linked in another "
				      "device's GGTT");
	return vgtfuzz_lifted_i915_gem_gtt_reserve(vm, ww, node, size, offset, color, flags);
}
