/* i915_ggtt_color_adjust() (static in gt/intel_ggtt.c) and the i915_vma.h helper it calls. */
#include "i915_drv.h"
#include "fragments/i915_node_color_differs.c"
#include "fragments/i915_ggtt_color_adjust.c"

/* customised-for-testing: hand the static function to the GGTT set-up in kgtt.c. */
void (*vgtfuzz_ggtt_color_adjust(void))(const struct drm_mm_node *, unsigned long, u64 *, u64 *)
{
	return i915_ggtt_color_adjust;
}
