/*
 * kind: customised-for-testing. A fence register as the host's fence pool tracks it: the members
 * i915_reserve_fence(), fence_find() and GVT's fence code reach (the tiling state is never set here).
 */
#ifndef VGTFUZZ_HOST_INTEL_GGTT_FENCING_H
#define VGTFUZZ_HOST_INTEL_GGTT_FENCING_H
#include "i915_drv.h"

typedef struct {
	int counter;
} atomic_t;
#define atomic_read(a) ((a)->counter)
/* Fence activity tracking does not exist here (no requests). */
struct i915_active {
	int unused;
};
#define i915_active_init(ref, active, retire, flags) ((void)(ref))
#define i915_active_fini(ref) ((void)(ref))

struct i915_fence_reg {
	struct list_head link;
	struct i915_ggtt *ggtt;
	struct i915_vma *vma;
	atomic_t pin_count;
	struct i915_active active;
	int id;
	bool dirty;
	u32 start;
	u32 size;
	u32 tiling;
	u32 stride;
};

struct i915_fence_reg *i915_reserve_fence(struct i915_ggtt *ggtt);
void i915_unreserve_fence(struct i915_fence_reg *fence);
void intel_ggtt_restore_fences(struct i915_ggtt *ggtt);
void intel_ggtt_init_fences(struct i915_ggtt *ggtt);
#endif
