/*
 * khost: a small C API over the lifted GVT-g HOST code (gvt/aperture_gm.c, populate_pvinfo_page(),
 * the vGPU type table, i915_gem_gtt_insert(), the fence pool), for the gvt target (docs/gvt.md).
 *
 * One host, its GGTT (a drm_mm over [0, total) with the host's own reserved ranges), its 32 fence
 * registers and an MMIO register file in memory that records every write. vGPUs live in slots
 * 0..KHOST_MAX_VGPUS-1; each has its own MMIO space whose PV-info page the lifted host writes.
 * No kernel header leaks through here. Errors are negative errno values, as the kernel returns them.
 */
#ifndef VGTFUZZ_KHOST_H
#define VGTFUZZ_KHOST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KHOST_MAX_VGPUS 8 /* slots; GVT's own id space (1..GVT_MAX_VGPU-1) is the tighter limit */
#define KHOST_MAX_TYPES 8
#define KHOST_FENCES 32 /* gen7+ hosts (every GVT-g part) have 32 fence registers */
#define KHOST_MAX_WRITES 512

struct khost_range {
	uint64_t start, size;
	int64_t color;
};
struct khost_type {
	uint64_t low, high;
	uint32_t fence, weight;
	char name[8];
};
struct khost_vgpu {
	bool live;
	int id;
	unsigned int type;
	uint64_t low_start, low_size, high_start, high_size;
	uint32_t fence_num;
	int fence_ids[32]; /* the host fence register behind each of the vGPU's fences */
};
struct khost_write {
	uint32_t reg, val;
};

/* A fresh host: GGTT of `total` bytes, aperture [0, mappable_end), no vGPU, every fence free. */
int khost_reset(uint64_t total, uint64_t mappable_end, bool color_adjust);
/* A range the host itself holds (error capture, firmware framebuffer, ...): unevictable. */
int khost_reserve(uint64_t start, uint64_t size);

/* The lifted type table, as the host offers it for its geometry (vgpu.c's listing rule). */
unsigned int khost_types(struct khost_type *out, unsigned int max);
/* Create a vGPU of offered type `type`: an id, intel_vgpu_alloc_resource(), populate_pvinfo_page(),
 * as intel_gvt_create_vgpu() does. *slot: where it lives. */
int khost_create(unsigned int type, unsigned int *slot);
/* intel_vgpu_free_resource() and the id back, as intel_gvt_destroy_vgpu() does. */
int khost_destroy(unsigned int slot);
void khost_vgpu(unsigned int slot, struct khost_vgpu *out);
/* The vGPU's PV-info page (VGT_PVINFO_SIZE bytes of its MMIO space) as the host wrote it. */
const uint8_t *khost_page(unsigned int slot);
/* A host that lies: one u32 of the vGPU's PV-info page rewritten (offset 4-aligned, inside the page). */
void khost_page_write(unsigned int slot, uint32_t offset, uint32_t value);

size_t khost_nodes(struct khost_range *out, size_t max);
size_t khost_holes(struct khost_range *out, size_t max);
unsigned int khost_free_fences(int *ids, unsigned int max);
/* gvt->gm and gvt->fence accounting. */
void khost_allocated(uint64_t *low, uint64_t *high, uint64_t *fences);
/* Host MMIO writes since the last clear (the fence registers GVT programs). */
unsigned int khost_writes(struct khost_write *out, unsigned int max);
void khost_writes_clear(void);
unsigned int khost_warns(void);

/* A guest's intel_ggtt_init_fences() (lifted, with the fence_write path) on a gen9 guest whose
 * PV-info page is `page` (VGT_PVINFO_SIZE bytes) and whose detect said `vgpu_active`. Returns the
 * number of fences it set up; every MMIO write is in `out` (the first `max`), *n_writes counts all. */
int kfence_guest_init(const uint8_t *page, bool vgpu_active, uint64_t mappable_end, struct khost_write *out,
		      unsigned int max, unsigned int *n_writes);
#endif
