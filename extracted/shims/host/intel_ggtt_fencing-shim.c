/* The host's fence pool: fence_find(), i915_reserve_fence() and i915_unreserve_fence(), lifted
 * alone out of gt/intel_ggtt_fencing.c. */
#include "i915_drv.h"
#include "gt/intel_ggtt_fencing.h"

/* customised-for-testing: fence_update() detaches a fence from its vma; no fence of this host is
 * ever attached to one (struct i915_vma never exists here), so reaching it is a harness bug. */
static int fence_update(struct i915_fence_reg *fence, struct i915_vma *vma)
{
	(void)fence;
	(void)vma;
	vgtfuzz_kernel_bug(__FILE__, __LINE__, "vgtfuzz: fence_update() reached with a vma attached");
}
#include "fragments/host/fence_is_active.c"
#include "fragments/host/fence_find.c"
#include "fragments/host/i915_reserve_fence.c"
#include "fragments/host/i915_unreserve_fence.c"
