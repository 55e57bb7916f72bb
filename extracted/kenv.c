/*
 * The balloon target's test environment behind the compat headers (customised-for-testing): the
 * hazard sink, MMIO served from a device's in-memory PV-info page, and the eviction model. The
 * kernel log, WARN and BUG sinks every target shares are kevents.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "i915_drv.h"
#include "i915_pvinfo.h"

/* The kernel is about to corrupt memory (shims/i915_gem_gtt_reserve-shim.c): the harness stops this
 * module's run there (kgtt_set_hooks()). */
void (*vgtfuzz_hazard_hook)(const char *why);
void vgtfuzz_kernel_hazard(const char *why);

void vgtfuzz_kernel_hazard(const char *why)
{
	if (vgtfuzz_hazard_hook)
		vgtfuzz_hazard_hook(why);
	fprintf(stderr, "vgtfuzz: kernel hazard: %s\n", why);
	abort();
}

/* --- MMIO: BAR 0 holds the PV-info page at VGT_PVINFO_PAGE; nothing else is mapped. --- */

void __iomem *pci_iomap_range(struct pci_dev *pdev, int bar, unsigned long offset, unsigned long maxlen)
{
	if (bar != 0 || offset != VGT_PVINFO_PAGE || maxlen > VGT_PVINFO_SIZE || !pdev->vgtfuzz_i915)
		return NULL;
	return pdev->vgtfuzz_i915->vgtfuzz_mmio;
}

void pci_iounmap(struct pci_dev *pdev, void __iomem *addr)
{
	(void)pdev;
	(void)addr;
}

/* Little-endian loads byte by byte: the page buffer has no alignment guarantee. */
static u64 load_le(const volatile void __iomem *addr, unsigned int bytes)
{
	const volatile u8 *p = addr;
	u64 v = 0;

	while (bytes--)
		v = (v << 8) | p[bytes];
	return v;
}

u64 readq(const volatile void __iomem *addr)
{
	return load_le(addr, 8);
}
u32 readl(const volatile void __iomem *addr)
{
	return (u32)load_le(addr, 4);
}
u16 readw(const volatile void __iomem *addr)
{
	return (u16)load_le(addr, 2);
}

u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg)
{
	u32 off = reg.reg - VGT_PVINFO_PAGE;

	/* Registers outside the PV-info page read as 0, as an unclaimed register would. */
	if (reg.reg < VGT_PVINFO_PAGE || off > VGT_PVINFO_SIZE - 4)
		return 0;
	return readl(uncore->i915->vgtfuzz_mmio + off);
}

void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val)
{
	u32 off = reg.reg - VGT_PVINFO_PAGE;
	u8 *p;

	if (reg.reg < VGT_PVINFO_PAGE || off > VGT_PVINFO_SIZE - 4)
		return;
	p = uncore->i915->vgtfuzz_mmio + off;
	p[0] = (u8)val;
	p[1] = (u8)(val >> 8);
	p[2] = (u8)(val >> 16);
	p[3] = (u8)(val >> 24);
}

/*
 * The eviction model, in place of i915_gem_evict_for_node(). Its rules are the kernel's (6.1 and
 * 6.12): with cache colouring the search widens by a guard page on each side; any unevictable
 * node in range refuses; a neighbour of the target's own colour that merely abuts is left alone;
 * a pinned object refuses; otherwise every object in range is unbound, highest first. Requests, activity and
 * ww-locking do not exist here. The debug profile keeps the kernel's alignment assertions.
 */

int i915_gem_evict_for_node(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, struct drm_mm_node *target,
			    unsigned int flags)
{
	bool coloring = vm->mm.color_adjust != NULL;
	u64 start = target->start;
	u64 end = start + target->size;
	struct drm_mm_node *node;
	struct vgtfuzz_kobj *victims[64];
	unsigned int n = 0, i;
	int ret = 0;

	(void)ww;
	(void)flags;
	GEM_BUG_ON(!IS_ALIGNED(start, I915_GTT_PAGE_SIZE));
	GEM_BUG_ON(!IS_ALIGNED(end, I915_GTT_PAGE_SIZE));
	if (coloring) {
		if (start)
			start -= I915_GTT_PAGE_SIZE;
		end += I915_GTT_PAGE_SIZE;
	}
	GEM_BUG_ON(start >= end);

	drm_mm_for_each_node_in_range(node, &vm->mm, start, end)
	{
		struct vgtfuzz_kobj *obj;

		if (node->color == (unsigned long)I915_COLOR_UNEVICTABLE) {
			ret = -ENOSPC;
			break;
		}
		obj = container_of(node, struct vgtfuzz_kobj, node);
		if (coloring) {
			if (node->start + node->size == target->start && node->color == target->color)
				continue;
			if (node->start == target->start + target->size && node->color == target->color)
				continue;
		}
		if (obj->pinned || n == ARRAY_SIZE(victims)) {
			ret = -ENOSPC;
			break;
		}
		victims[n++] = obj;
	}
	if (ret)
		return ret;
	/* i915 puts each victim at the head of its eviction list and unbinds in list order: the
	 * last found (the highest) goes first. The order shows in which hole is newest. */
	for (i = n; i-- > 0;) {
		drm_mm_remove_node(&victims[i]->node);
		vgtfuzz_kevents.evictions++;
	}
	return 0;
}
