/* i915_gem_gtt_reserve(), lifted alone out of i915_gem_gtt.c. */
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
#include "fragments/i915_gem_gtt_reserve.c"
