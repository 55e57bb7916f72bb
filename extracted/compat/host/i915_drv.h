/*
 * kind: customised-for-testing. The host's i915_drv.h: what GVT-g's resource code (gvt/aperture_gm.c,
 * populate_pvinfo_page(), the fence reservation and i915_gem_gtt_insert()) touches on the HOST.
 *
 * Separate from compat/testing/i915_drv.h (the guest's) on purpose: the host's structures carry
 * members the guest's do not (the GGTT's mutex and fence pool, the GT's uncore), and host and guest
 * objects never meet. Only drm_mm (whose structures are the kernel's own) and GEM_BUG_ON
 * (vgtfuzz_gem_bug.h) are shared. Member names are the kernel's (the lifted code names them); only
 * the members it reaches exist. MMIO is a register file in memory that records every write
 * (extracted/host_env.c).
 */
#ifndef VGTFUZZ_HOST_I915_DRV_H
#define VGTFUZZ_HOST_I915_DRV_H
/* The guest's copies of these live in the same binary (kenv.c, the guest's reserve shim). */
#define i915_gem_gtt_reserve vgtfuzz_host_i915_gem_gtt_reserve
#define i915_gem_evict_for_node vgtfuzz_host_i915_gem_evict_for_node
#define intel_uncore_read vgtfuzz_host_intel_uncore_read
#define intel_uncore_write vgtfuzz_host_intel_uncore_write
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/err.h>
#include <linux/random.h>
#include <linux/math64.h>
#include <drm/drm_mm.h>
#include <drm/drm_print.h>
#include "macros.h" /* I915_COLOR_UNEVICTABLE, PIN_NOEVICT, GTT page size: lifted from the tree */
#include "host_macros.h" /* gvt.h's accessors, PIN_HIGH/PIN_MAPPABLE, fence registers: lifted */
#include "vgtfuzz_era.h"
#include "vgtfuzz_gem_bug.h" /* GEM_BUG_ON, GEM_WARN_ON: shared with the guest's i915_drv.h */

typedef struct {
	u32 reg;
} i915_reg_t;
#define _MMIO(r) ((const i915_reg_t){ .reg = (r) })
#define i915_mmio_reg_offset(r) ((r).reg)

struct drm_device {
	int unused;
};
struct drm_i915_private;
struct intel_gt;

/* Runtime PM: the device is always awake here; a wakeref is a token. */
typedef unsigned long intel_wakeref_t;
struct intel_runtime_pm {
	int unused;
};
static inline intel_wakeref_t intel_runtime_pm_get(struct intel_runtime_pm *rpm)
{
	(void)rpm;
	return 1;
}
static inline void intel_runtime_pm_put(struct intel_runtime_pm *rpm, intel_wakeref_t wf)
{
	(void)rpm;
	(void)wf;
}
static inline void intel_runtime_pm_put_unchecked(struct intel_runtime_pm *rpm)
{
	(void)rpm;
}
#define assert_rpm_wakelock_held(rpm) ((void)(rpm))
#define with_intel_runtime_pm(rpm, wf) \
	for ((wf) = intel_runtime_pm_get(rpm); (wf); intel_runtime_pm_put((rpm), (wf)), (wf) = 0)

/* An MMIO register file (extracted/host_env.c): the host's, or a guest's (whose PV-info page reads
 * come from the page its host wrote); writes are stored and logged. */
struct vgtfuzz_mmio;
struct intel_uncore {
	struct intel_runtime_pm *rpm;
	struct drm_i915_private *i915;
	struct vgtfuzz_mmio *vgtfuzz_mmio;
};
u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg);
void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val);
#define intel_uncore_posting_read(uncore, reg) ((void)intel_uncore_read((uncore), (reg)))
#define intel_uncore_write_fw intel_uncore_write
#define intel_uncore_posting_read_fw intel_uncore_posting_read

struct i915_address_space {
	struct drm_mm mm;
	struct mutex mutex;
	struct drm_i915_private *i915;
	struct intel_gt *gt;
	u64 total;
	u64 reserved;
};
struct i915_ppgtt {
	struct i915_address_space vm;
};
struct i915_fence_reg;
struct i915_ggtt {
	struct i915_address_space vm;
	u64 mappable_end;
	struct i915_ppgtt *alias;
	struct list_head fence_list; /* fences free for the host (and for GVT to reserve) */
	struct list_head userfault_list;
	u32 num_fences;
	struct i915_fence_reg *fence_regs;
};
struct intel_gt {
	struct drm_i915_private *i915;
	struct intel_uncore *uncore;
	struct i915_ggtt *ggtt;
};
struct drm_i915_private {
	struct drm_device drm;
	struct intel_gt *vgtfuzz_gt; /* test world: to_gt() */
	unsigned int vgtfuzz_graphics_ver; /* test world: GRAPHICS_VER() */
	bool vgtfuzz_vgpu_active; /* test world: intel_vgpu_active() (a guest's detect) */
	struct intel_display *display; /* 7.x: fence_find() asks the display (none here) */
};
#define intel_vgpu_active(i915) ((i915)->vgtfuzz_vgpu_active)
#define i915_ggtt_has_aperture(ggtt) ((ggtt)->mappable_end > 0)
/* A gen9 part (every platform test below is an older one). */
#define IS_VALLEYVIEW(i915) ((void)(i915), 0)
#define IS_CHERRYVIEW(i915) ((void)(i915), 0)
#define IS_I945G(i915) ((void)(i915), 0)
#define IS_I945GM(i915) ((void)(i915), 0)
#define IS_G33(i915) ((void)(i915), 0)
#define IS_PINEVIEW(i915) ((void)(i915), 0)
#define IS_I915G(i915) ((void)(i915), 0)
#define IS_I915GM(i915) ((void)(i915), 0)
#define to_gt(i915) ((i915)->vgtfuzz_gt)
#define GRAPHICS_VER(i915) ((i915)->vgtfuzz_graphics_ver)

/* No object of the host world is a vma: fences are never attached to one. */
struct i915_vma {
	struct i915_fence_reg *fence;
};
static inline bool i915_vma_is_active(const struct i915_vma *vma)
{
	(void)vma;
	return false;
}
/* No display here, so no flip holds a fence. 6.x passes the i915, 7.x its display. */
struct intel_display;
#define intel_has_pending_fb_unpin(i915_or_display) ((void)(i915_or_display), false)

#define drm_WARN_ON(drm, x)  \
	({                   \
		(void)(drm); \
		WARN_ON(x);  \
	})

struct i915_gem_ww_ctx;
int i915_gem_gtt_insert(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, struct drm_mm_node *node, u64 size,
			u64 alignment, unsigned long color, u64 start, u64 end, unsigned int flags);
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, struct drm_mm_node *node, u64 size,
			 u64 offset, unsigned long color, unsigned int flags);
int i915_gem_evict_for_node(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, struct drm_mm_node *target,
			    unsigned int flags);
int i915_gem_evict_something(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, u64 min_size, u64 alignment,
			     unsigned long color, u64 start, u64 end, unsigned flags);
#endif
