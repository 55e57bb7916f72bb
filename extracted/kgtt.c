/*
 * kgtt: the harness's handle on the lifted kernel code (see kgtt.h). Our code, compiled against
 * the compat headers and the lifted kernel headers.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "i915_drv.h"
#include "i915_pvinfo.h"
#include "i915_vgpu.h"
#include "kgtt.h"
#include "node_hash.h"
#include <linux/rbtree_augmented.h>

/* Provided by the shims: the static pieces of the lifted files, and i915_gem_gtt_reserve() called
 * the same way in every era. */
int vgtfuzz_gtt_reserve(struct i915_address_space *vm, struct drm_mm_node *node, u64 size, u64 offset,
			unsigned long color, unsigned int flags);
struct drm_mm_node *vgtfuzz_bl_info_space(unsigned int i);
void vgtfuzz_bl_info_reset(void);
void (*vgtfuzz_ggtt_color_adjust(void))(const struct drm_mm_node *, unsigned long, u64 *, u64 *);

struct kgtt_dev {
	bool ready;
	struct drm_i915_private i915;
	struct pci_dev pdev;
	struct intel_gt gt;
	struct i915_ggtt ggtt;
	struct i915_ppgtt alias; /* a real object: GEM_BUG_ON takes &ggtt->alias->vm */
	uint64_t bound_at[KGTT_MAX_OBJS]; /* bind order: i915's bound list, least recent first */
	uint64_t binds;
	/* Not cleared by kgtt_init(): kgtt_set_page() writes the whole page, new_obj() clears a slot
	 * before use and kgtt_init() marks every slot free. */
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
	/* drm_mm keeps no memory of its own (nodes are ours), so forgetting is enough: a device
	 * is cleared when kgtt_init() makes it again, and one not made is not ready. */
	for (unsigned int i = 0; i < KGTT_MAX_DEVS; i++)
		devs[i].ready = false;
	vgtfuzz_bl_info_reset();
	memset(&vgtfuzz_kevents, 0, sizeof(vgtfuzz_kevents));
}

int kgtt_init(unsigned int dev, uint64_t total, uint64_t mappable_end, bool color_adjust)
{
	struct kgtt_dev *d;

	if (dev >= KGTT_MAX_DEVS || total == 0 || mappable_end > total)
		return -EINVAL;
	d = &devs[dev];
	memset(d, 0, offsetof(struct kgtt_dev, mmio));
	for (size_t i = 0; i < KGTT_MAX_OBJS; i++)
		d->objs[i].node.flags = 0; /* not allocated: free_obj() may hand it out */
	d->pdev.vgtfuzz_i915 = &d->i915;
	d->i915.drm.dev = &d->pdev.dev;
	d->i915.uncore.i915 = &d->i915;
	d->i915.vgtfuzz_gt = &d->gt;
	d->i915.vgtfuzz_graphics_ver = 9; /* GVT-g guests run on gen8/gen9 */
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
	if (len > sizeof(d->mmio))
		len = sizeof(d->mmio);
	memcpy(d->mmio, page, len);
	memset(d->mmio + len, 0, sizeof(d->mmio) - len);
}

static struct vgtfuzz_kobj *free_obj(struct kgtt_dev *d)
{
	for (size_t i = 0; i < KGTT_MAX_OBJS; i++)
		if (!drm_mm_node_allocated(&d->objs[i].node))
			return &d->objs[i];
	return NULL;
}

/* A cleared object slot of device `dev` in *objp: 0, -EINVAL (no such device) or -ENOMEM. */
static int new_obj(unsigned int dev, struct kgtt_dev **dp, struct vgtfuzz_kobj **objp)
{
	*dp = get(dev);
	if (!*dp)
		return -EINVAL;
	*objp = free_obj(*dp);
	if (!*objp)
		return -ENOMEM;
	memset(*objp, 0, sizeof(**objp));
	return 0;
}

/* An object just bound goes to the tail of the bound list. */
static int bound(struct kgtt_dev *d, struct vgtfuzz_kobj *obj, int err)
{
	if (!err)
		d->bound_at[obj - d->objs] = ++d->binds;
	return err;
}

static bool is_obj(const struct kgtt_dev *d, const struct drm_mm_node *node)
{
	const char *p = (const char *)node, *lo = (const char *)d->objs;

	return p >= lo && p < (const char *)(d->objs + KGTT_MAX_OBJS);
}

int kgtt_reserve(unsigned int dev, uint64_t start, uint64_t size, int64_t color, bool pinned)
{
	struct kgtt_dev *d;
	struct vgtfuzz_kobj *obj;
	int err = new_obj(dev, &d, &obj);

	if (err)
		return err;
	obj->node.start = start;
	obj->node.size = size;
	obj->node.color = (unsigned long)(long)color;
	obj->pinned = pinned;
	return bound(d, obj, drm_mm_reserve_node(&d->ggtt.vm.mm, &obj->node));
}

static enum drm_mm_insert_mode drm_mode(enum kgtt_mode mode)
{
	switch (mode) {
	case KGTT_HIGH:
		return DRM_MM_INSERT_HIGH;
	case KGTT_BEST:
		return DRM_MM_INSERT_BEST;
	case KGTT_EVICT:
		return DRM_MM_INSERT_EVICT;
	case KGTT_LOW:
	default:
		return DRM_MM_INSERT_LOW;
	}
}

static int insert(struct kgtt_dev *d, struct vgtfuzz_kobj *obj, const struct kgtt_req *req,
		  enum drm_mm_insert_mode mode)
{
	return drm_mm_insert_node_in_range(&d->ggtt.vm.mm, &obj->node, req->size, req->alignment,
					   (unsigned long)(long)req->color, req->range_start, req->range_end, mode);
}

int kgtt_insert(unsigned int dev, const struct kgtt_req *req, uint64_t *start_out)
{
	struct kgtt_dev *d;
	struct vgtfuzz_kobj *obj;
	int err = new_obj(dev, &d, &obj);

	if (err)
		return err;
	err = insert(d, obj, req, drm_mode(req->mode) | (req->once ? DRM_MM_INSERT_ONCE : 0));
	/* i915_gem_gtt_insert(): a ONCE attempt that found no room is followed by a BEST one. */
	if (err == -ENOSPC && req->once && req->retry)
		err = insert(d, obj, req, DRM_MM_INSERT_BEST);
	if (!err && start_out)
		*start_out = obj->node.start;
	return bound(d, obj, err);
}

int kgtt_free(unsigned int dev, unsigned int index)
{
	struct kgtt_dev *d = get(dev);
	struct drm_mm_node *node, *pick = NULL;
	unsigned int n = 0;

	if (!d)
		return -EINVAL;
	drm_mm_for_each_node(node, &d->ggtt.vm.mm)
		n += is_obj(d, node);
	if (!n)
		return -ENOENT;
	index %= n;
	n = 0;
	drm_mm_for_each_node(node, &d->ggtt.vm.mm)
		if (is_obj(d, node) && n++ == index) {
			pick = node;
			break;
		}
	drm_mm_remove_node(pick);
	return 0;
}

/*
 * The first pass of i915_gem_evict_something() (i915_gem_evict.c, 5.x-6.x), told over the lifted
 * drm_mm scan API; the i915 function itself is not lifted, because what it adds around the scan
 * (request retirement, ww locks, vma activity, a second pass over the whole VM) has no meaning
 * here. What it does with drm_mm, step by step:
 *  1. drm_mm_scan_init_with_range() with the request (its mode only decides where in a hole the
 *     scan looks: HIGH at the top, every other mode at the bottom);
 *  2. the bound list, least recently bound first: each object that is not pinned is handed to
 *     drm_mm_scan_add_block() (and remembered on a list, newest at the head) until one reports a
 *     hole that fits. Nodes that are not objects (balloon nodes, unevictable reservations) are
 *     never on the bound list;
 *  3. the list is walked from its head (so in the reverse order of step 2) through
 *     drm_mm_scan_remove_block(), which the scan requires before anything else; the objects it
 *     returns true for overlap the hole found and stay on the list, the others leave it. Nothing
 *     found: the same walk, then -ENOSPC;
 *  4. the objects left on the list are unbound, in list order;
 *  5. while drm_mm_scan_color_evict() names a neighbour whose colour leaves no room for the
 *     guard page, it is unbound too; if that neighbour is not an object (colour unevictable) or
 *     is pinned, the result is -ENOSPC (what was unbound stays unbound).
 * i915_gem_gtt_insert() then inserts in DRM_MM_INSERT_EVICT mode. Before all that it refuses
 * a range the node cannot fit in (range_overflows, aligned bounds) and drops alignments of one
 * page or less, as here.
 */
static int evict_something(struct kgtt_dev *d, const struct kgtt_req *req, u64 alignment)
{
	struct drm_mm *mm = &d->ggtt.vm.mm;
	struct vgtfuzz_kobj *scanned[KGTT_MAX_OBJS], *victims[KGTT_MAX_OBJS];
	enum drm_mm_insert_mode mode = req->mode == KGTT_HIGH ? DRM_MM_INSERT_HIGH :
				       req->mode == KGTT_LOW  ? DRM_MM_INSERT_LOW :
								DRM_MM_INSERT_BEST;
	struct drm_mm_scan scan;
	struct drm_mm_node *node;
	size_t n = 0, n_victims = 0, i;
	uint64_t last = 0;
	bool found = false;

	drm_mm_scan_init_with_range(&scan, mm, req->size, alignment, (unsigned long)(long)req->color, req->range_start,
				    req->range_end, mode);
	for (;;) { /* the bound list in bind order */
		struct vgtfuzz_kobj *next = NULL;

		for (i = 0; i < KGTT_MAX_OBJS; i++) {
			struct vgtfuzz_kobj *o = &d->objs[i];

			if (drm_mm_node_allocated(&o->node) && d->bound_at[i] > last &&
			    (!next || d->bound_at[i] < d->bound_at[next - d->objs]))
				next = o;
		}
		if (!next)
			break;
		last = d->bound_at[next - d->objs];
		if (next->pinned || next->node.color == (unsigned long)I915_COLOR_UNEVICTABLE)
			continue;
		scanned[n++] = next;
		if (drm_mm_scan_add_block(&scan, &next->node)) {
			found = true;
			break;
		}
	}
	for (i = n; i-- > 0;)
		if (drm_mm_scan_remove_block(&scan, &scanned[i]->node))
			victims[n_victims++] = scanned[i];
	if (!found)
		return -ENOSPC;
	for (i = 0; i < n_victims; i++) {
		drm_mm_remove_node(&victims[i]->node);
		vgtfuzz_kevents.evictions++;
	}
	while ((node = drm_mm_scan_color_evict(&scan))) {
		if (node->color == (unsigned long)I915_COLOR_UNEVICTABLE || !is_obj(d, node) ||
		    container_of(node, struct vgtfuzz_kobj, node)->pinned)
			return -ENOSPC;
		drm_mm_remove_node(node);
		vgtfuzz_kevents.evictions++;
	}
	return 0;
}

int kgtt_evict(unsigned int dev, const struct kgtt_req *req, uint64_t *start_out)
{
	struct kgtt_dev *d = get(dev);
	struct vgtfuzz_kobj *obj = NULL;
	struct kgtt_req r;
	u64 align;
	int err;

	if (!d)
		return -EINVAL;
	r = *req;
	/* i915_gem_gtt_insert()'s own checks (its alignment is at least a GTT page). */
	align = max_t(u64, r.alignment, I915_GTT_PAGE_SIZE);
	if (range_overflows(r.range_start, r.size, r.range_end) ||
	    round_up(r.range_start, align) > round_down(r.range_end - r.size, align))
		return -ENOSPC;
	if (r.alignment <= I915_GTT_PAGE_SIZE)
		r.alignment = 0;
	err = evict_something(d, &r, r.alignment);
	if (!err)
		err = new_obj(dev, &d, &obj);
	if (err)
		return err;
	err = insert(d, obj, &r, DRM_MM_INSERT_EVICT);
	if (!err && start_out)
		*start_out = obj->node.start;
	return bound(d, obj, err);
}

int kgtt_reserve_at(unsigned int dev, uint64_t offset, uint64_t size, int64_t color)
{
	struct kgtt_dev *d;
	struct vgtfuzz_kobj *obj;
	int err = new_obj(dev, &d, &obj);

	if (err)
		return err;
	return bound(d, obj, vgtfuzz_gtt_reserve(&d->ggtt.vm, &obj->node, size, offset, (unsigned long)(long)color, 0));
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
	if (!d || !d->i915.vgpu.active) /* as kgtt_active() */
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

/* The observers read the field intel_vgpu_active() returns instead of calling it: the function
 * is lifted, so instrumented, and a call from every summary would count as the kernel's own
 * coverage, its hit count growing with the number of ops (a feature for libFuzzer each time it
 * crosses a bucket). */
bool kgtt_active(unsigned int dev)
{
	struct kgtt_dev *d = get(dev);

	return d && d->i915.vgpu.active;
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

size_t kgtt_nodes_hash(unsigned int dev, size_t max, uint64_t *hash)
{
	struct kgtt_dev *d = get(dev);
	struct drm_mm_node *node;
	uint64_t h = VGTF_HASH_SEED;
	size_t n = 0;

	if (d)
		drm_mm_for_each_node(node, &d->ggtt.vm.mm) {
			if (n < max) /* the colour as kgtt_nodes() gives it: a signed long */
				h = vgtf_hash_node(h, node->start, node->size, (int64_t)(long)node->color);
			n++;
		}
	*hash = h;
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

size_t kgtt_hole_stack(unsigned int dev, uint64_t *starts, size_t max)
{
	struct kgtt_dev *d = get(dev);
	struct drm_mm_node *node;
	size_t n = 0;

	if (!d)
		return 0;
	list_for_each_entry(node, &d->ggtt.vm.mm.hole_stack, hole_stack) {
		if (n < max)
			starts[n] = drm_mm_hole_node_start(node);
		if (++n > KGTT_MAX_OBJS + 8)
			break; /* a corrupted (cyclic) stack; kgtt_check() says so */
	}
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

extern void (*vgtfuzz_hazard_hook)(const char *why);

void kgtt_set_hooks(void (*bug)(const char *file, int line, const char *cond), void (*hazard)(const char *why))
{
	vgtfuzz_bug_hook = bug;
	vgtfuzz_hazard_hook = hazard;
}

void vgtfuzz_kernel_hazard(const char *why); /* kenv.c: the hook stops the run, or it aborts */

const char *kgtt_broken(unsigned int dev)
{
	static char why[128];
	struct kgtt_dev *d = get(dev);
	struct drm_mm_node *node;
	u64 end = 0;

	if (!d)
		return NULL;
	drm_mm_for_each_node(node, &d->ggtt.vm.mm) {
		/* The shape of reports/findings.md §4: the node overlapped starts below one GTT
		 * page, so the hole before it had an end that i915_ggtt_color_adjust() moved below
		 * 0. A known, accepted kernel issue: reported as its hazard, not as a new break. */
		if (node->start < end && d->ggtt.vm.mm.color_adjust && node->start < I915_GTT_PAGE_SIZE)
			vgtfuzz_kernel_hazard("guard-wrap: drm_mm placed a node over one that starts below 4 KiB "
					      "(the hole's guard-page end wrapped)");
		if (node->start < end) {
			snprintf(why, sizeof(why),
				 "drm_mm's node list overlaps itself: a node at 0x%llx, the one "
				 "before it ends at 0x%llx",
				 (unsigned long long)node->start, (unsigned long long)end);
			return why;
		}
		end = node->start + node->size;
	}
	return NULL;
}

/* --- The structure oracle: drm_mm's redundant bookkeeping must agree with itself. --- */

#define FAIL(...)                                    \
	do {                                         \
		snprintf(why, why_len, __VA_ARGS__); \
		return -1;                           \
	} while (0)

static u64 hole_after(const struct drm_mm_node *node)
{
	const struct drm_mm_node *next = list_next_entry(node, node_list);

	return next->start - (node->start + node->size);
}

/* drm_mm's three trees: which rb_node of a drm_mm_node each one links, and what it caches. */
enum tree_kind { TREE_INTERVAL, TREE_HOLE_ADDR, TREE_HOLE_SIZE };

static const char *const tree_names[] = { "interval", "hole-address", "hole-size" };

/* One in-order walk of a tree. */
struct tree_walk {
	enum tree_kind kind;
	const struct drm_mm_node **order; /* the entries, in tree order */
	size_t n, cap;
	size_t depth;
	char *why;
	size_t why_len;
};

#define WALK_FAIL(w, ...)                                      \
	do {                                                   \
		snprintf((w)->why, (w)->why_len, __VA_ARGS__); \
		return -1;                                     \
	} while (0)

/*
 * Walk the subtree at `rb` in order, appending its entries to w->order and checking, in one pass,
 * a red-black tree's own rules (lib/rbtree.c keeps them, and every drm_mm search relies on the
 * tree being ordered and shallow: each child's parent link points back, no red node has a red
 * child, every path down to a leaf has as many black nodes) and the value each entry caches for
 * its subtree (the interval tree's last address, the hole-address tree's largest hole). Returns
 * the subtree's black height, its cached value in *aug; -1 with w->why.
 */
static int walk_tree(struct tree_walk *w, const struct rb_node *rb, const struct rb_node *parent, u64 *aug)
{
	const char *tree = tree_names[w->kind];
	const struct drm_mm_node *node;
	u64 l, r, mine;
	int bl, br;

	*aug = 0;
	if (!rb)
		return 1;
	if (w->depth > 2 * KGTT_MAX_OBJS + 8)
		WALK_FAIL(w, "%s tree: deeper than it has entries (a cycle?)", tree);
	if (rb_parent(rb) != parent)
		WALK_FAIL(w, "%s tree: a node's parent link does not point to its parent", tree);
	if (rb_is_red(rb) && ((rb->rb_left && rb_is_red(rb->rb_left)) || (rb->rb_right && rb_is_red(rb->rb_right))))
		WALK_FAIL(w, "%s tree: a red node has a red child", tree);
	w->depth++;
	/* An empty subtree (black height 1, nothing cached) is answered here: half the calls. */
	l = r = 0;
	bl = rb->rb_left ? walk_tree(w, rb->rb_left, rb, &l) : 1;
	if (bl < 0)
		return -1;
	if (w->n >= w->cap)
		WALK_FAIL(w, "%s tree has more entries than %s", tree,
			  w->kind == TREE_INTERVAL ? "the node list" : "there are holes");
	switch (w->kind) {
	case TREE_INTERVAL:
		node = rb_entry(rb, struct drm_mm_node, rb);
		break;
	case TREE_HOLE_ADDR:
		node = rb_entry(rb, struct drm_mm_node, rb_hole_addr);
		break;
	default:
		node = rb_entry(rb, struct drm_mm_node, rb_hole_size);
		break;
	}
	w->order[w->n++] = node;
	br = rb->rb_right ? walk_tree(w, rb->rb_right, rb, &r) : 1;
	if (br < 0)
		return -1;
	w->depth--;
	if (bl != br)
		WALK_FAIL(w, "%s tree: black heights %d and %d below one node", tree, bl, br);
	if (w->kind == TREE_INTERVAL) {
		mine = max(node->start + node->size - 1, max(l, r));
		if (node->__subtree_last != mine)
			WALK_FAIL(w, "interval tree: node 0x%llx caches subtree_last 0x%llx, subtree says 0x%llx",
				  (unsigned long long)node->start, (unsigned long long)node->__subtree_last,
				  (unsigned long long)mine);
		*aug = mine;
	} else if (w->kind == TREE_HOLE_ADDR) {
		mine = max(node->hole_size, max(l, r));
		if (node->subtree_max_hole != mine)
			WALK_FAIL(w, "hole-address tree: hole at 0x%llx caches max 0x%llx, subtree says 0x%llx",
				  (unsigned long long)(node->start + node->size),
				  (unsigned long long)node->subtree_max_hole, (unsigned long long)mine);
		*aug = mine;
	}
	return bl + rb_is_black(rb);
}

/* Walk a whole tree: its root is black, and its cached leftmost (when it keeps one) is the first
 * entry. Returns 0, or -1 with `why`. */
static int check_tree(struct tree_walk *w, const struct rb_root *root, const struct rb_node *cached_leftmost,
		      bool has_cache)
{
	const struct rb_node *leftmost;
	u64 aug;

	if (root->rb_node && rb_is_red(root->rb_node))
		WALK_FAIL(w, "%s tree: the root is red", tree_names[w->kind]);
	w->n = 0;
	w->depth = 0;
	if (walk_tree(w, root->rb_node, NULL, &aug) < 0)
		return -1;
	/* The leftmost found here, not by rb_first(): lib/rbtree.c is lifted and instrumented, and
	 * an observer's calls must not count as the kernel's coverage (see kgtt_active()). */
	leftmost = root->rb_node;
	while (leftmost && leftmost->rb_left)
		leftmost = leftmost->rb_left;
	if (has_cache && cached_leftmost != leftmost)
		WALK_FAIL(w, "%s tree: the cached leftmost is not the leftmost", tree_names[w->kind]);
	return 0;
}

/* A small set of node pointers (open addressing), for the hole-stack check in linear time. It
 * uses `size` slots, a power of two at least twice the holes it holds (only those are cleared). */
#define NODE_SET_SLOTS 256 /* a power of two, over twice the most holes a device can have */

static bool node_set_add(const struct drm_mm_node **slots, size_t size, const struct drm_mm_node *node)
{
	size_t i = ((uintptr_t)node >> 4) * 0x9e3779b9u;

	for (size_t probe = 0; probe < size; probe++, i++) {
		const struct drm_mm_node **s = &slots[i & (size - 1)];

		if (*s == node)
			return false;
		if (!*s) {
			*s = node;
			return true;
		}
	}
	return false;
}

static bool node_set_has(const struct drm_mm_node *const *slots, size_t size, const struct drm_mm_node *node)
{
	size_t i = ((uintptr_t)node >> 4) * 0x9e3779b9u;

	for (size_t probe = 0; probe < size; probe++, i++) {
		const struct drm_mm_node *s = slots[i & (size - 1)];

		if (s == node)
			return true;
		if (!s)
			return false;
	}
	return false;
}

int kgtt_check(unsigned int dev, char *why, size_t why_len)
{
	struct kgtt_dev *d = get(dev);
	const struct drm_mm_node *nodes[KGTT_MAX_OBJS + 8], *holes[KGTT_MAX_OBJS + 9];
	const struct drm_mm_node *order[KGTT_MAX_OBJS + 9], *set[NODE_SET_SLOTS];
	struct tree_walk w = { .order = order, .cap = ARRAY_SIZE(order), .why = why, .why_len = why_len };
	const struct drm_mm_node *node;
	struct drm_mm *mm;
	size_t n_nodes = 0, n_holes = 0, n = 0, i, set_size;
	u64 end = 0, prev_size = U64_MAX;

	if (!d)
		FAIL("no such device");
	mm = &d->ggtt.vm.mm;

	/* 1. The node list: allocated, in address order, inside [0, total), not overlapping. */
	node = &mm->head_node;
	if (hole_after(node) != node->hole_size)
		FAIL("head node caches hole 0x%llx, list says 0x%llx", (unsigned long long)node->hole_size,
		     (unsigned long long)hole_after(node));
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
	w.kind = TREE_INTERVAL;
	if (check_tree(&w, &mm->interval_tree.rb_root, rb_first_cached(&mm->interval_tree), true))
		return -1;
	if (w.n != n_nodes)
		FAIL("interval tree has %zu nodes, the list %zu", w.n, n_nodes);
	for (i = 0; i < w.n; i++)
		if (order[i] != nodes[i])
			FAIL("interval tree order differs from the node list at entry %zu", i);

	/* 3. The hole-address tree holds exactly the holes, in address order. */
	w.kind = TREE_HOLE_ADDR;
	if (check_tree(&w, &mm->holes_addr, NULL, false))
		return -1;
	if (w.n != n_holes)
		FAIL("hole-address tree has %zu holes, the list %zu", w.n, n_holes);
	for (i = 0; i < w.n; i++)
		if (order[i] != holes[i])
			FAIL("hole-address tree order differs from the holes at entry %zu", i);

	/* 4. The hole-size tree holds the same holes, largest first, its cached leftmost the first. */
	w.kind = TREE_HOLE_SIZE;
	if (check_tree(&w, &mm->holes_size.rb_root, rb_first_cached(&mm->holes_size), true))
		return -1;
	for (i = 0; i < w.n; i++) {
		node = order[i];
		if (node->hole_size == 0 || node->hole_size > prev_size)
			FAIL("hole-size tree out of order at hole 0x%llx", (unsigned long long)node->hole_size);
		prev_size = node->hole_size;
	}
	if (w.n != n_holes)
		FAIL("hole-size tree has %zu holes, the list %zu", w.n, n_holes);

	/* 5. The hole stack holds exactly the holes: each entry one of them, as many entries. */
	set_size = 16;
	while (set_size < 2 * n_holes && set_size < NODE_SET_SLOTS)
		set_size *= 2;
	memset(set, 0, set_size * sizeof(set[0]));
	for (i = 0; i < n_holes; i++)
		node_set_add(set, set_size, holes[i]);
	n = 0;
	list_for_each_entry(node, &mm->hole_stack, hole_stack) {
		if (n++ > n_holes)
			break;
		if (!node_set_has(set, set_size, node))
			FAIL("hole stack entry at 0x%llx is not a hole",
			     (unsigned long long)drm_mm_hole_node_start(node));
	}
	if (n != n_holes)
		FAIL("hole stack has %zu entries, there are %zu holes", n, n_holes);
	return 0;
}
