/*
 * kind: customised-for-testing. GVT-g's gvt.h reduced to the members its resource code reaches.
 * The accessor macros (vgpu_aperture_sz(), gvt_hidden_gmadr_base(), HOST_LOW_GM_SIZE, ...) are
 * lifted verbatim from the tree into host_macros.h; only the structures are ours.
 */
#ifndef VGTFUZZ_HOST_GVT_H
#define VGTFUZZ_HOST_GVT_H
#include "i915_drv.h"
#include "gt/intel_ggtt_fencing.h"

enum intel_vgpu_edid { GVT_EDID_1024_768, GVT_EDID_1920_1200, GVT_EDID_NUM };

struct intel_vgpu_gm {
	u64 aperture_sz;
	u64 hidden_sz;
	struct drm_mm_node low_gm_node;
	struct drm_mm_node high_gm_node;
};
struct intel_vgpu_fence {
	struct i915_fence_reg *regs[INTEL_GVT_MAX_NUM_FENCES];
	u32 size;
};
struct intel_vgpu_mmio {
	void *vreg;
};

struct intel_gvt;
struct intel_vgpu {
	struct intel_gvt *gvt;
	int id;
	struct intel_vgpu_fence fence;
	struct intel_vgpu_gm gm;
	struct intel_vgpu_mmio mmio;
};
struct intel_gvt_gm {
	unsigned long vgpu_allocated_low_gm_size;
	unsigned long vgpu_allocated_high_gm_size;
};
struct intel_gvt_fence {
	unsigned long vgpu_allocated_fence_num;
};
struct intel_vgpu_config {
	unsigned int low_mm;
	unsigned int high_mm;
	unsigned int fence;
	unsigned int weight;
	enum intel_vgpu_edid edid;
	const char *name;
};
struct intel_gvt {
	struct intel_gt *gt;
	struct intel_gvt_gm gm;
	struct intel_gvt_fence fence;
};

#define gvt_err(...) vgtfuzz_klog(3, __VA_ARGS__)
#define gvt_vgpu_err(...) vgtfuzz_klog(3, __VA_ARGS__)
#define gvt_dbg_core(...) vgtfuzz_klog(7, __VA_ARGS__)

/* 6.x returns nothing, 7.x a wakeref that _post takes back: one definition serves both. */
static inline intel_wakeref_t mmio_hw_access_pre(struct intel_gt *gt)
{
	return intel_runtime_pm_get(gt->uncore->rpm);
}
#define mmio_hw_access_post(gt, ...) ((void)(gt))

void populate_pvinfo_page(struct intel_vgpu *vgpu);
void intel_vgpu_write_fence(struct intel_vgpu *vgpu, u32 fence, u64 value);
void intel_vgpu_free_resource(struct intel_vgpu *vgpu);
void intel_vgpu_reset_resource(struct intel_vgpu *vgpu);
int intel_vgpu_alloc_resource(struct intel_vgpu *vgpu, const struct intel_vgpu_config *conf);
#endif
