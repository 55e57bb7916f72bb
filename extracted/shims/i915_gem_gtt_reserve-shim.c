/* i915_gem_gtt_reserve(), lifted alone out of i915_gem_gtt.c, behind the shared-bl_info probe. */
#include "i915_drv.h"
#ifdef VGTFUZZ_ERA_GTT_RESERVE_NO_WW
/* 5.5-5.16 call the eviction without a ww context: the same model (kenv.c) with none. */
static inline int vgtfuzz_evict_for_node_no_ww(struct i915_address_space *vm, struct drm_mm_node *target,
					       unsigned int flags)
{
	return i915_gem_evict_for_node(vm, NULL, target, flags);
}
#define i915_gem_evict_for_node vgtfuzz_evict_for_node_no_ww
#endif
#define i915_gem_gtt_reserve vgtfuzz_lifted_i915_gem_gtt_reserve
#include "fragments/i915_gem_gtt_reserve.c"
#undef i915_gem_gtt_reserve

/* customised-for-testing (extracted/kenv.c): stop the run before the kernel corrupts memory. */
void vgtfuzz_kernel_hazard(const char *why);

/* The balloon code reserves its four bl_info nodes, one static for every device. A node still
 * linked into another device's GGTT would be relinked into this one (memory corruption; a debug
 * kernel BUGs at GEM_BUG_ON(drm_mm_node_allocated(node))): stop exactly when the kernel would
 * touch it, not before an op that might return first. */
#ifdef VGTFUZZ_ERA_GTT_RESERVE_NO_WW
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct drm_mm_node *node, u64 size, u64 offset,
			 unsigned long color, unsigned int flags)
#else
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, struct drm_mm_node *node, u64 size,
			 u64 offset, unsigned long color, unsigned int flags)
#endif
{
	if (drm_mm_node_allocated(node) && node->mm != &vm->mm)
		vgtfuzz_kernel_hazard("shared-bl_info: a bl_info balloon node is still linked in another "
				      "device's GGTT");
#ifdef VGTFUZZ_ERA_GTT_RESERVE_NO_WW
	return vgtfuzz_lifted_i915_gem_gtt_reserve(vm, node, size, offset, color, flags);
#else
	return vgtfuzz_lifted_i915_gem_gtt_reserve(vm, ww, node, size, offset, color, flags);
#endif
}

/* customised-for-testing: one call for kgtt.c (fixed-offset reservations), whatever the era. */
int vgtfuzz_gtt_reserve(struct i915_address_space *vm, struct drm_mm_node *node, u64 size, u64 offset,
			unsigned long color, unsigned int flags)
{
#ifdef VGTFUZZ_ERA_GTT_RESERVE_NO_WW
	return i915_gem_gtt_reserve(vm, node, size, offset, color, flags);
#else
	return i915_gem_gtt_reserve(vm, NULL, node, size, offset, color, flags);
#endif
}
