/*
 * kind: customised-for-testing. i915_drv.h reduced to what the lifted balloon code touches.
 *
 * The structures keep the kernel's member names (the lifted code names them) but only the members
 * that code reaches. MMIO is served from an in-memory PV-info page per device; eviction is a model
 * (vgtfuzz_kobj stands in for i915_vma) implemented in extracted/kenv.c.
 */
#ifndef VGTFUZZ_I915_DRV_H
#define VGTFUZZ_I915_DRV_H
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <drm/drm_mm.h>
#include <drm/drm_print.h>
#include "macros.h"   /* I915_COLOR_UNEVICTABLE, PIN_NOEVICT, GTT page size: lifted from the tree */

struct device { int unused; };
struct drm_device { struct device *dev; };
struct pci_dev {
	struct device dev;
	struct drm_i915_private *vgtfuzz_i915;	/* test world: whose MMIO this BAR is */
};
#define to_pci_dev(d) container_of(d, struct pci_dev, dev)

typedef struct { u32 reg; } i915_reg_t;
#define _MMIO(r) ((const i915_reg_t){ .reg = (r) })
#define i915_mmio_reg_offset(r) ((r).reg)

struct drm_i915_private;
struct intel_uncore { struct drm_i915_private *i915; };
struct i915_virtual_gpu {
	struct mutex lock;
	bool active;
	u32 caps;
};
struct i915_gem_ww_ctx;

struct i915_address_space {
	struct drm_mm mm;
	struct drm_i915_private *i915;
	u64 total;
	u64 reserved;
};
struct i915_ppgtt { struct i915_address_space vm; };
struct i915_ggtt {
	struct i915_address_space vm;
	u64 mappable_end;
	struct i915_ppgtt *alias;
};
struct intel_gt { struct i915_ggtt *ggtt; };

struct drm_i915_private {
	struct drm_device drm;
	struct i915_virtual_gpu vgpu;
	struct intel_uncore uncore;
	struct intel_gt *vgtfuzz_gt;		/* test world: to_gt() */
	unsigned int vgtfuzz_graphics_ver;	/* test world: GRAPHICS_VER() */
	u8 *vgtfuzz_mmio;			/* test world: the PV-info page, VGT_PVINFO_SIZE bytes */
};
#define to_gt(i915) ((i915)->vgtfuzz_gt)
#define GRAPHICS_VER(i915) ((i915)->vgtfuzz_graphics_ver)

/* Stand-in for i915_vma: a GGTT node that eviction may unbind unless it is pinned. */
struct vgtfuzz_kobj {
	struct drm_mm_node node;
	bool pinned;
};

#ifdef CONFIG_DRM_I915_DEBUG_GEM
/* As the kernel's: BUG() when expr holds; the condition is reported as written, not expanded. */
#define GEM_BUG_ON(expr) do { if (unlikely(expr)) vgtfuzz_kernel_bug(__FILE__, __LINE__, "GEM_BUG_ON(" #expr ")"); } while (0)
#define GEM_WARN_ON(expr) WARN_ON(expr)
#else
#define GEM_BUG_ON(expr) BUILD_BUG_ON_INVALID(expr)
#define GEM_WARN_ON(expr) ({ unlikely(!!(expr)); })
#endif

/* MMIO and PCI, served from the device's page (extracted/kenv.c). */
void __iomem *pci_iomap_range(struct pci_dev *pdev, int bar, unsigned long offset, unsigned long maxlen);
void pci_iounmap(struct pci_dev *pdev, void __iomem *addr);
u64 readq(const volatile void __iomem *addr);
u32 readl(const volatile void __iomem *addr);
u16 readw(const volatile void __iomem *addr);
u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg);
void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val);

/* The lifted code's own prototypes and the eviction model. */
int i915_gem_gtt_reserve(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww,
			 struct drm_mm_node *node, u64 size, u64 offset, unsigned long color,
			 unsigned int flags);
int i915_gem_evict_for_node(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww,
			    struct drm_mm_node *target, unsigned int flags);
#endif
