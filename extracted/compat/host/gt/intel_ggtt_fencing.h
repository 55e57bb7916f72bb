/*
 * kind: customised-for-testing. A fence register as the host's fence pool tracks it: the members
 * i915_reserve_fence(), fence_find() and GVT's fence code reach (the tiling state is never set here).
 */
#ifndef VGTFUZZ_HOST_INTEL_GGTT_FENCING_H
#define VGTFUZZ_HOST_INTEL_GGTT_FENCING_H
#include "i915_drv.h"

typedef struct { int counter; } vgtfuzz_atomic_t;
#define atomic_read(a) ((a)->counter)

struct i915_fence_reg {
	struct list_head link;
	struct i915_ggtt *ggtt;
	struct i915_vma *vma;
	vgtfuzz_atomic_t pin_count;
	int id;
};

struct i915_fence_reg *i915_reserve_fence(struct i915_ggtt *ggtt);
void i915_unreserve_fence(struct i915_fence_reg *fence);
#endif
