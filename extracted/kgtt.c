/*
 * kgtt: the harness's handle on the lifted kernel code (see kgtt.h). Our code, compiled against
 * the compat headers and the lifted kernel headers.
 */
#include <stdio.h>
#include <string.h>

#include "i915_drv.h"
#include "i915_pvinfo.h"
#include "i915_vgpu.h"
#include "kgtt.h"

/* Provided by the shims: the static pieces of the lifted files. */
struct drm_mm_node *vgtfuzz_bl_info_space(unsigned int i);
void vgtfuzz_bl_info_reset(void);
void (*vgtfuzz_ggtt_color_adjust(void))(const struct drm_mm_node *, unsigned long, u64 *, u64 *);

struct kgtt_dev {
	bool ready;
	struct drm_i915_private i915;
	struct pci_dev pdev;
	struct intel_gt gt;
	struct i915_ggtt ggtt;
	struct i915_ppgtt alias;	/* a real object: GEM_BUG_ON takes &ggtt->alias->vm */
	u8 mmio[VGT_PVINFO_SIZE];
	struct vgtfuzz_kobj objs[KGTT_MAX_OBJS];
};

static struct kgtt_dev devs[KGTT_MAX_DEVS];

_Static_assert(KGTT_PAGE_SIZE == VGT_PVINFO_SIZE, "the PV-info page size");

static struct kgtt_dev *get(unsigned int dev)
{
	return dev < KGTT_MAX_DEVS && devs[dev].ready ? &devs[dev] : NULL;
}

void kgtt_reset(void)
{
	/* drm_mm keeps no memory of its own (nodes are ours), so forgetting is enough. */
	memset(devs, 0, sizeof(devs));
	vgtfuzz_bl_info_reset();
	memset(&vgtfuzz_kevents, 0, sizeof(vgtfuzz_kevents));
}

int kgtt_init(unsigned int dev, uint64_t total, uint64_t mappable_end, bool color_adjust)
{
	struct kgtt_dev *d;

	if (dev >= KGTT_MAX_DEVS || total == 0 || mappable_end > total)
		return -EINVAL;
	d = &devs[dev];
	memset(d, 0, sizeof(*d));
	d->pdev.vgtfuzz_i915 = &d->i915;
	d->i915.drm.dev = &d->pdev.dev;
	d->i915.uncore.i915 = &d->i915;
	d->i915.vgtfuzz_gt = &d->gt;
	d->i915.vgtfuzz_graphics_ver = 9;	/* GVT-g guests run on gen8/gen9 */
	d->i915.vgtfuzz_mmio = d->mmio;
	d->gt.ggtt = &d->ggtt;
	d->ggtt.alias = &d->alias;
	d->ggtt.vm.i915 = &d->i915;
	d->ggtt.vm.total = total;
	d->ggtt.mappable_end = mappable_end;
	/* What i915_address_space_init() and the GGTT probe do before ballooning. */
	drm_mm_init(&d->ggtt.vm.mm, 0, total);
	d->ggtt.vm.mm.head_node.color = I915_COLOR_UNEVICTABLE;
	if (color_adjust)
		d->ggtt.vm.mm.color_adjust = vgtfuzz_ggtt_color_adjust();
	d->ready = true;
	return 0;
}

void kgtt_set_page(unsigned int dev, const void *page, size_t len)
{
	struct kgtt_dev *d = get(dev);

	if (!d)
		return;
	memset(d->mmio, 0, sizeof(d->mmio));
	memcpy(d->mmio, page, len < sizeof(d->mmio) ? len : sizeof(d->mmio));
}

static struct vgtfuzz_kobj *free_obj(struct kgtt_dev *d)
{
	for (size_t i = 0; i < KGTT_MAX_OBJS; i++)
		if (!drm_mm_node_allocated(&d->objs[i].node))
			return &d->objs[i];
	return NULL;
}

int kgtt_reserve(unsigned int dev, uint64_t start, uint64_t size, int64_t color, bool pinned)
{
	struct kgtt_dev *d = get(dev);
	struct vgtfuzz_kobj *obj;

	if (!d)
		return -EINVAL;
	obj = free_obj(d);
	if (!obj)
		return -ENOMEM;
	memset(obj, 0, sizeof(*obj));
	obj->node.start = start;
	obj->node.size = size;
	obj->node.color = (unsigned long)(long)color;
	obj->pinned = pinned;
	return drm_mm_reserve_node(&d->ggtt.vm.mm, &obj->node);
}

int kgtt_insert(unsigned int dev, uint64_t size, uint64_t alignment, int64_t color,
		uint64_t range_start, uint64_t range_end, bool high, uint64_t *start_out)
{
	struct kgtt_dev *d = get(dev);
	struct vgtfuzz_kobj *obj;
	int err;

	if (!d)
		return -EINVAL;
	obj = free_obj(d);
	if (!obj)
		return -ENOMEM;
	memset(obj, 0, sizeof(*obj));
	err = drm_mm_insert_node_in_range(&d->ggtt.vm.mm, &obj->node, size, alignment,
					  (unsigned long)(long)color, range_start, range_end,
					  high ? DRM_MM_INSERT_HIGH : DRM_MM_INSERT_LOW);
	if (!err && start_out)
		*start_out = obj->node.start;
	return err;
}

void kgtt_host_write(unsigned int dev, uint32_t offset, uint32_t value)
{
	struct kgtt_dev *d = get(dev);

	if (d && offset % 4 == 0 && offset < VGT_PVINFO_SIZE)
		intel_uncore_write(&d->i915.uncore, _MMIO(VGT_PVINFO_PAGE + offset), value);
}

const char *kgtt_balloon_hazard(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	/* intel_vgt_deballoon() of a device that is not an active vGPU returns before bl_info. (A
	 * balloon touches bl_info only on its way through i915_gem_gtt_reserve(): probed there, see
	 * shims/i915_gem_gtt_reserve-shim.c.) */
	if (!d || !intel_vgpu_active(&d->i915))
		return NULL;
	for (unsigned int i = 0; i < 4; i++) {
		const struct drm_mm_node *node = vgtfuzz_bl_info_space(i);

		if (drm_mm_node_allocated(node) && node->mm != &d->ggtt.vm.mm)
			return "shared-bl_info: a bl_info balloon node is still linked in another device's GGTT";
	}
	return NULL;
}

void kgtt_detect(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	if (d)
		intel_vgpu_detect(&d->i915);
}

int kgtt_balloon(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	return d ? intel_vgt_balloon(&d->ggtt) : -EINVAL;
}

void kgtt_deballoon(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	if (d)
		intel_vgt_deballoon(&d->ggtt);
}

bool kgtt_active(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	return d && intel_vgpu_active(&d->i915);
}

uint32_t kgtt_caps(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	return d ? d->i915.vgpu.caps : 0;
}

uint64_t kgtt_reserved(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	return d ? d->ggtt.vm.reserved : 0;
}

size_t kgtt_nodes(unsigned int dev, struct kgtt_range *out, size_t max)
{
	struct kgtt_dev *d = get(dev);
	struct drm_mm_node *node;
	size_t n = 0;

	if (!d)
		return 0;
	drm_mm_for_each_node(node, &d->ggtt.vm.mm) {
		if (n < max)
			out[n] = (struct kgtt_range){ node->start, node->size, (long)node->color };
		n++;
	}
	return n;
}

size_t kgtt_holes(unsigned int dev, struct kgtt_range *out, size_t max)
{
	struct kgtt_dev *d = get(dev);
	struct drm_mm_node *node;
	size_t n = 0;

	if (!d)
		return 0;
	/* Holes in address order: after each node of the list, starting with the head. */
	node = &d->ggtt.vm.mm.head_node;
	do {
		struct drm_mm_node *next = list_next_entry(node, node_list);
		u64 start = node->start + node->size;
		u64 end = next->start;

		if (end != start) {
			if (n < max)
				out[n] = (struct kgtt_range){ start, end - start, 0 };
			n++;
		}
		node = next;
	} while (node != &d->ggtt.vm.mm.head_node);
	return n;
}

bool kgtt_clean(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	return !d || drm_mm_clean(&d->ggtt.vm.mm);
}

unsigned int kgtt_warns(void)
{
	return vgtfuzz_kevents.warns;
}

unsigned int kgtt_evictions(void)
{
	return vgtfuzz_kevents.evictions;
}

void kgtt_set_bug_hook(void (*hook)(const char *file, int line, const char *cond))
{
	vgtfuzz_bug_hook = hook;
}

/* --- The structure oracle: drm_mm's redundant bookkeeping must agree with itself. --- */

#define FAIL(...) do { snprintf(why, why_len, __VA_ARGS__); return -1; } while (0)

static u64 hole_after(const struct drm_mm_node *node)
{
	const struct drm_mm_node *next = list_next_entry(node, node_list);

	return next->start - (node->start + node->size);
}

/* In-order walk of the interval tree; checks each subtree's cached last address. */
static int walk_interval(const struct rb_node *rb, const struct drm_mm_node **order, size_t *n,
			 size_t cap, u64 *last, char *why, size_t why_len)
{
	const struct drm_mm_node *node;
	u64 l = 0, r = 0, mine;

	if (!rb) {
		*last = 0;
		return 0;
	}
	node = rb_entry(rb, struct drm_mm_node, rb);
	if (walk_interval(rb->rb_left, order, n, cap, &l, why, why_len))
		return -1;
	if (*n >= cap)
		FAIL("interval tree has more entries than the node list");
	order[(*n)++] = node;
	if (walk_interval(rb->rb_right, order, n, cap, &r, why, why_len))
		return -1;
	mine = node->start + node->size - 1;
	mine = max(mine, max(l, r));
	if (node->__subtree_last != mine)
		FAIL("interval tree: node 0x%llx caches subtree_last 0x%llx, subtree says 0x%llx",
		     (unsigned long long)node->start, (unsigned long long)node->__subtree_last,
		     (unsigned long long)mine);
	*last = mine;
	return 0;
}

/* In-order walk of the hole-address tree; checks each subtree's cached largest hole. */
static int walk_hole_addr(const struct rb_node *rb, const struct drm_mm_node **order, size_t *n,
			  size_t cap, u64 *maxhole, char *why, size_t why_len)
{
	const struct drm_mm_node *node;
	u64 l = 0, r = 0, mine;

	if (!rb) {
		*maxhole = 0;
		return 0;
	}
	node = rb_entry(rb, struct drm_mm_node, rb_hole_addr);
	if (walk_hole_addr(rb->rb_left, order, n, cap, &l, why, why_len))
		return -1;
	if (*n >= cap)
		FAIL("hole-address tree has more entries than there are holes");
	order[(*n)++] = node;
	if (walk_hole_addr(rb->rb_right, order, n, cap, &r, why, why_len))
		return -1;
	mine = max(node->hole_size, max(l, r));
	if (node->subtree_max_hole != mine)
		FAIL("hole-address tree: hole at 0x%llx caches max 0x%llx, subtree says 0x%llx",
		     (unsigned long long)(node->start + node->size),
		     (unsigned long long)node->subtree_max_hole, (unsigned long long)mine);
	*maxhole = mine;
	return 0;
}

int kgtt_check(unsigned int dev, char *why, size_t why_len)
{
	struct kgtt_dev *d = get(dev);
	const struct drm_mm_node *nodes[KGTT_MAX_OBJS + 8], *holes[KGTT_MAX_OBJS + 9];
	const struct drm_mm_node *order[KGTT_MAX_OBJS + 9];
	const struct drm_mm_node *node;
	struct drm_mm *mm;
	const struct rb_node *rb;
	size_t n_nodes = 0, n_holes = 0, n = 0, i;
	u64 end = 0, last, prev_size = U64_MAX;

	if (!d)
		FAIL("no such device");
	mm = &d->ggtt.vm.mm;

	/* 1. The node list: allocated, in address order, inside [0, total), not overlapping. */
	node = &mm->head_node;
	if (hole_after(node) != node->hole_size)
		FAIL("head node caches hole 0x%llx, list says 0x%llx",
		     (unsigned long long)node->hole_size, (unsigned long long)hole_after(node));
	if (node->hole_size)
		holes[n_holes++] = node;
	drm_mm_for_each_node(node, mm) {
		if (n_nodes == ARRAY_SIZE(nodes))
			FAIL("more nodes than the harness ever allocates");
		if (!drm_mm_node_allocated(node))
			FAIL("node at 0x%llx is on the list but not allocated", (unsigned long long)node->start);
		if (node->start < end || node->size == 0 || node->start + node->size < node->start ||
		    node->start + node->size > d->ggtt.vm.total)
			FAIL("node [0x%llx +0x%llx) overlaps, wraps or leaves the GGTT",
			     (unsigned long long)node->start, (unsigned long long)node->size);
		end = node->start + node->size;
		if (hole_after(node) != node->hole_size)
			FAIL("node at 0x%llx caches hole 0x%llx, list says 0x%llx", (unsigned long long)node->start,
			     (unsigned long long)node->hole_size, (unsigned long long)hole_after(node));
		if (node->hole_size)
			holes[n_holes++] = node;
		nodes[n_nodes++] = node;
	}

	/* 2. The interval tree holds exactly the node list, in order. */
	if (walk_interval(mm->interval_tree.rb_root.rb_node, order, &n, ARRAY_SIZE(order), &last, why, why_len))
		return -1;
	if (n != n_nodes)
		FAIL("interval tree has %zu nodes, the list %zu", n, n_nodes);
	for (i = 0; i < n; i++)
		if (order[i] != nodes[i])
			FAIL("interval tree order differs from the node list at entry %zu", i);

	/* 3. The hole-address tree holds exactly the holes, in address order. */
	n = 0;
	if (walk_hole_addr(mm->holes_addr.rb_node, order, &n, ARRAY_SIZE(order), &last, why, why_len))
		return -1;
	if (n != n_holes)
		FAIL("hole-address tree has %zu holes, the list %zu", n, n_holes);
	for (i = 0; i < n; i++)
		if (order[i] != holes[i])
			FAIL("hole-address tree order differs from the holes at entry %zu", i);

	/* 4. The hole-size tree holds the same holes, largest first, its cached leftmost the first. */
	n = 0;
	for (rb = rb_first_cached(&mm->holes_size); rb; rb = rb_next(rb)) {
		node = rb_entry(rb, struct drm_mm_node, rb_hole_size);
		if (n++ >= n_holes)
			FAIL("hole-size tree has more entries than there are holes");
		if (node->hole_size == 0 || node->hole_size > prev_size)
			FAIL("hole-size tree out of order at hole 0x%llx", (unsigned long long)node->hole_size);
		prev_size = node->hole_size;
	}
	if (n != n_holes)
		FAIL("hole-size tree has %zu holes, the list %zu", n, n_holes);

	/* 5. The hole stack holds the same number of holes. */
	n = 0;
	list_for_each_entry(node, &mm->hole_stack, hole_stack)
		if (n++ > n_holes)
			break;
	if (n != n_holes)
		FAIL("hole stack has %zu entries, there are %zu holes", n, n_holes);
	return 0;
}
