/*
 * The GVT-g host world behind khost.h (customised-for-testing), written against the host's compat
 * headers (compat/host): the host's GGTT, fence pool and MMIO register file, the vGPUs' MMIO
 * spaces, and the steps of intel_gvt_create_vgpu()/intel_gvt_destroy_vgpu() around the lifted
 * resource code. Eviction on the host is a model: every node of this host GGTT is unevictable.
 */
#include <stdio.h>
#include <string.h>

#include "i915_drv.h"
#include "gvt.h"
#include "i915_pvinfo.h"
#include "khost.h"
#include "vgtfuzz_kenv.h"

/* The host GGTT's eviction, in place of i915_gem_evict_for_node()/_something(): the host world
 * binds nothing evictable (its reserved ranges and the vGPUs' GM are I915_COLOR_UNEVICTABLE), so
 * any node in the way refuses, as the kernel's does for an unevictable node. */
int i915_gem_evict_for_node(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, struct drm_mm_node *target,
			    unsigned int flags)
{
	(void)vm;
	(void)ww;
	(void)target;
	(void)flags;
	return -ENOSPC;
}

int i915_gem_evict_something(struct i915_address_space *vm, struct i915_gem_ww_ctx *ww, u64 min_size, u64 alignment,
			     unsigned long color, u64 start, u64 end, unsigned flags)
{
	(void)vm;
	(void)ww;
	(void)min_size;
	(void)alignment;
	(void)color;
	(void)start;
	(void)end;
	(void)flags;
	return -ENOSPC;
}

/* random_offset()'s entropy (get_random_u64(), compat/testing/linux/random.h): reproducible per
 * input, reset with the host. */
static u64 rnd_state;
u64 vgtfuzz_get_random_u64(void);
u64 vgtfuzz_get_random_u64(void)
{
	return vgtfuzz_splitmix64(&rnd_state);
}

/* shims/host/gvt_host-shim.c */
const struct intel_vgpu_config *vgtfuzz_host_configs(unsigned int *n);

#define VREG_SIZE (VGT_PVINFO_PAGE + VGT_PVINFO_SIZE)

/* A register file: the fence bank (and as much again past it) stored, every write logged; a guest's
 * PV-info page (the one its host wrote) readable at VGT_PVINFO_PAGE. */
struct vgtfuzz_mmio {
	const u8 *pvinfo;
	u32 fence_file[4 * KHOST_FENCES];
	struct khost_write writes[KHOST_MAX_WRITES];
	unsigned int n_writes;
};

static struct {
	struct drm_i915_private i915;
	struct intel_gt gt;
	struct intel_uncore uncore;
	struct intel_runtime_pm rpm;
	struct i915_ggtt ggtt;
	struct i915_ppgtt alias; /* a real object: i915_gem_gtt_insert()'s GEM_BUG_ON takes &ggtt->alias->vm */
	struct i915_fence_reg fences[KHOST_FENCES];
	struct intel_gvt gvt;
	struct drm_mm_node reserved[16];
	unsigned int n_reserved;
	struct {
		struct intel_vgpu vgpu;
		bool live;
		unsigned int type;
	} slot[KHOST_MAX_VGPUS];
	struct vgtfuzz_mmio mmio;
} H;
static u64 vreg[KHOST_MAX_VGPUS][VREG_SIZE / 8]; /* each vGPU's MMIO space, 8-byte aligned */

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

u32 intel_uncore_read(struct intel_uncore *uncore, i915_reg_t reg)
{
	struct vgtfuzz_mmio *m = uncore->vgtfuzz_mmio;
	u32 off = reg.reg - 0x100000;

	if (m->pvinfo && reg.reg >= VGT_PVINFO_PAGE && reg.reg - VGT_PVINFO_PAGE <= VGT_PVINFO_SIZE - 4)
		return le32(m->pvinfo + (reg.reg - VGT_PVINFO_PAGE));
	return reg.reg >= 0x100000 && off / 4 < ARRAY_SIZE(m->fence_file) ? m->fence_file[off / 4] : 0;
}

void intel_uncore_write(struct intel_uncore *uncore, i915_reg_t reg, u32 val)
{
	struct vgtfuzz_mmio *m = uncore->vgtfuzz_mmio;
	u32 off = reg.reg - 0x100000;

	if (m->n_writes < KHOST_MAX_WRITES)
		m->writes[m->n_writes] = (struct khost_write){ reg.reg, val };
	if (m->n_writes < UINT_MAX)
		m->n_writes++;
	if (reg.reg >= 0x100000 && off / 4 < ARRAY_SIZE(m->fence_file))
		m->fence_file[off / 4] = val;
}

int khost_reset(uint64_t total, uint64_t mappable_end, bool color_adjust)
{
	unsigned int i;

	(void)color_adjust; /* GVT-g hosts (gen8+) have LLC: no GGTT colouring */
	memset(&H, 0, sizeof(H));
	rnd_state = 0x6776744776544776ULL;
	if (!total || mappable_end > total)
		return -EINVAL;
	H.i915.vgtfuzz_gt = &H.gt;
	H.i915.vgtfuzz_graphics_ver = 9;
	H.gt.i915 = &H.i915;
	H.gt.uncore = &H.uncore;
	H.gt.ggtt = &H.ggtt;
	H.uncore.rpm = &H.rpm;
	H.uncore.i915 = &H.i915;
	H.uncore.vgtfuzz_mmio = &H.mmio;
	H.ggtt.vm.i915 = &H.i915;
	H.ggtt.vm.gt = &H.gt;
	H.ggtt.vm.total = total;
	H.ggtt.mappable_end = mappable_end;
	H.ggtt.alias = &H.alias;
	drm_mm_init(&H.ggtt.vm.mm, 0, total);
	H.ggtt.vm.mm.head_node.color = I915_COLOR_UNEVICTABLE;
	INIT_LIST_HEAD(&H.ggtt.fence_list);
	for (i = 0; i < KHOST_FENCES; i++) {
		H.fences[i].ggtt = &H.ggtt;
		H.fences[i].id = (int)i;
		list_add_tail(&H.fences[i].link, &H.ggtt.fence_list);
	}
	H.ggtt.fence_regs = H.fences;
	H.ggtt.num_fences = KHOST_FENCES;
	H.gvt.gt = &H.gt;
	return 0;
}

int khost_reserve(uint64_t start, uint64_t size)
{
	struct drm_mm_node *node;

	if (H.n_reserved == ARRAY_SIZE(H.reserved))
		return -ENOMEM;
	node = &H.reserved[H.n_reserved];
	node->start = start;
	node->size = size;
	node->color = I915_COLOR_UNEVICTABLE;
	if (drm_mm_reserve_node(&H.ggtt.vm.mm, node))
		return -ENOSPC;
	H.n_reserved++;
	return 0;
}

/* vgpu.c's listing rule (intel_gvt_init_vgpu_types()): types in table order while the host's
 * aperture budget (computed in unsigned int, as there) holds at least one of the type's slices. */
unsigned int khost_types(struct khost_type *out, unsigned int max)
{
	unsigned int n, i;
	const struct intel_vgpu_config *c = vgtfuzz_host_configs(&n);
	unsigned int low_avail = gvt_aperture_sz(&H.gvt) - HOST_LOW_GM_SIZE;

	for (i = 0; i < n && i < max; i++) {
		if (low_avail / c[i].low_mm == 0)
			break;
		if (out) {
			out[i].low = c[i].low_mm;
			out[i].high = c[i].high_mm;
			out[i].fence = c[i].fence;
			out[i].weight = c[i].weight;
			snprintf(out[i].name, sizeof(out[i].name), "%s", c[i].name);
		}
	}
	return i;
}

int khost_create(unsigned int type, unsigned int *slot_out)
{
	unsigned int n, s;
	const struct intel_vgpu_config *c = vgtfuzz_host_configs(&n);
	struct intel_vgpu *vgpu;
	int id, ret;
	bool used[GVT_MAX_VGPU] = { false };

	if (type >= khost_types(NULL, KHOST_MAX_TYPES))
		return -EINVAL;
	/* idr_alloc(&gvt->vgpu_idr, vgpu, IDLE_VGPU_IDR + 1, GVT_MAX_VGPU): the lowest free id >= 1. */
	for (s = 0; s < KHOST_MAX_VGPUS; s++)
		if (H.slot[s].live && H.slot[s].vgpu.id < GVT_MAX_VGPU)
			used[H.slot[s].vgpu.id] = true;
	for (id = 1; id < GVT_MAX_VGPU && used[id]; id++)
		;
	if (id >= GVT_MAX_VGPU)
		return -ENOSPC;
	for (s = 0; s < KHOST_MAX_VGPUS && H.slot[s].live; s++)
		;
	if (s == KHOST_MAX_VGPUS)
		return -ENOSPC;
	vgpu = &H.slot[s].vgpu;
	memset(vgpu, 0, sizeof(*vgpu));
	vgpu->gvt = &H.gvt;
	vgpu->id = id;
	vgpu->mmio.vreg = vreg[s];
	/* intel_vgpu_init_mmio() gives a fresh register file; only the PV-info page is ever read here. */
	memset((u8 *)vreg[s] + VGT_PVINFO_PAGE, 0, VGT_PVINFO_SIZE);
	ret = intel_vgpu_alloc_resource(vgpu, &c[type]);
	if (ret)
		return ret;
	populate_pvinfo_page(vgpu);
	H.slot[s].live = true;
	H.slot[s].type = type;
	*slot_out = s;
	return 0;
}

int khost_destroy(unsigned int slot)
{
	if (slot >= KHOST_MAX_VGPUS || !H.slot[slot].live)
		return -ENOENT;
	intel_vgpu_free_resource(&H.slot[slot].vgpu);
	H.slot[slot].live = false;
	return 0;
}

void khost_vgpu(unsigned int slot, struct khost_vgpu *out)
{
	const struct intel_vgpu *v = &H.slot[slot].vgpu;

	memset(out, 0, sizeof(*out));
	if (slot >= KHOST_MAX_VGPUS || !H.slot[slot].live)
		return;
	out->live = true;
	out->id = v->id;
	out->type = H.slot[slot].type;
	out->low_start = v->gm.low_gm_node.start;
	out->low_size = v->gm.low_gm_node.size;
	out->high_start = v->gm.high_gm_node.start;
	out->high_size = v->gm.high_gm_node.size;
	out->fence_num = v->fence.size;
	for (u32 i = 0; i < v->fence.size && i < 32; i++)
		out->fence_ids[i] = v->fence.regs[i] ? v->fence.regs[i]->id : -1;
}

const uint8_t *khost_page(unsigned int slot)
{
	return (const uint8_t *)vreg[slot] + VGT_PVINFO_PAGE;
}

void khost_page_write(unsigned int slot, uint32_t offset, uint32_t value)
{
	u8 *p = (u8 *)vreg[slot] + VGT_PVINFO_PAGE + (offset & 0xffc);

	p[0] = (u8)value;
	p[1] = (u8)(value >> 8);
	p[2] = (u8)(value >> 16);
	p[3] = (u8)(value >> 24);
}

size_t khost_nodes(struct khost_range *out, size_t max)
{
	struct drm_mm_node *node;
	size_t n = 0;

	drm_mm_for_each_node(node, &H.ggtt.vm.mm) {
		if (n < max)
			out[n] = (struct khost_range){ node->start, node->size, (int64_t)(long)node->color };
		n++;
	}
	return n;
}

size_t khost_holes(struct khost_range *out, size_t max)
{
	struct drm_mm_node *node;
	u64 start, end;
	size_t n = 0;

	drm_mm_for_each_hole(node, &H.ggtt.vm.mm, start, end) {
		if (n < max)
			out[n] = (struct khost_range){ start, end - start, 0 };
		n++;
	}
	return n;
}

unsigned int khost_free_fences(int *ids, unsigned int max)
{
	struct i915_fence_reg *f;
	unsigned int n = 0;

	list_for_each_entry(f, &H.ggtt.fence_list, link) {
		if (n < max)
			ids[n] = f->id;
		n++;
	}
	return n;
}

void khost_allocated(uint64_t *low, uint64_t *high, uint64_t *fences)
{
	*low = H.gvt.gm.vgpu_allocated_low_gm_size;
	*high = H.gvt.gm.vgpu_allocated_high_gm_size;
	*fences = H.gvt.fence.vgpu_allocated_fence_num;
}

unsigned int khost_writes(struct khost_write *out, unsigned int max)
{
	unsigned int n = H.mmio.n_writes < max ? H.mmio.n_writes : max;

	memcpy(out, H.mmio.writes, n * sizeof(*out));
	return H.mmio.n_writes;
}

void khost_writes_clear(void)
{
	H.mmio.n_writes = 0;
}

/* --- a guest's fence set-up (shims/host/intel_ggtt_init_fences-shim.c) --- */

static struct {
	struct drm_i915_private i915;
	struct intel_gt gt;
	struct intel_uncore uncore;
	struct intel_runtime_pm rpm;
	struct i915_ggtt ggtt;
	struct vgtfuzz_mmio mmio;
} G;

int kfence_guest_init(const uint8_t *page, bool vgpu_active, uint64_t mappable_end, struct khost_write *out,
		      unsigned int max, unsigned int *n_writes)
{
	int num;

	memset(&G, 0, sizeof(G));
	G.i915.vgtfuzz_gt = &G.gt;
	G.i915.vgtfuzz_graphics_ver = 9;
	G.i915.vgtfuzz_vgpu_active = vgpu_active;
	G.gt.i915 = &G.i915;
	G.gt.uncore = &G.uncore;
	G.gt.ggtt = &G.ggtt;
	G.uncore.rpm = &G.rpm;
	G.uncore.i915 = &G.i915;
	G.uncore.vgtfuzz_mmio = &G.mmio;
	G.mmio.pvinfo = page;
	G.ggtt.vm.i915 = &G.i915;
	G.ggtt.vm.gt = &G.gt;
	G.ggtt.mappable_end = mappable_end;
	intel_ggtt_init_fences(&G.ggtt);
	num = (int)G.ggtt.num_fences;
	kfree(G.ggtt.fence_regs);
	memcpy(out, G.mmio.writes, (G.mmio.n_writes < max ? G.mmio.n_writes : max) * sizeof(*out));
	*n_writes = G.mmio.n_writes;
	return num;
}

unsigned int khost_warns(void)
{
	return vgtfuzz_kevents.warns;
}
