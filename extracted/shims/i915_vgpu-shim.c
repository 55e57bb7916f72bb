#include "drivers/gpu/drm/i915/i915_vgpu.c"

/* customised-for-testing: reach the file-scope bl_info without touching the kernel's code. */
struct drm_mm_node *vgtfuzz_bl_info_space(unsigned int i)
{
	return i < ARRAY_SIZE(bl_info.space) ? &bl_info.space[i] : NULL;
}

void vgtfuzz_bl_info_reset(void)
{
	memset(&bl_info, 0, sizeof(bl_info));
}
