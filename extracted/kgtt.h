/*
 * kgtt: a small C API over the lifted kernel code, for the harness and the tests.
 *
 * It builds what the i915 driver would have around intel_vgt_balloon(): a GGTT (drm_mm over
 * [0, total), head node unevictable, optional i915_ggtt_color_adjust), a device whose MMIO BAR
 * holds a PV-info page, and objects (stand-ins for i915_vma) already bound in the GGTT. Then it
 * calls the lifted functions and reads back what they left. No kernel header leaks through here.
 *
 * Devices are numbered 0..KGTT_MAX_DEVS-1 and live in this file, like the kernel's bl_info lives
 * in i915_vgpu.c: kgtt_reset() is the "reboot" that clears both between test cases.
 * Errors are negative errno values, as the kernel returns them.
 */
#ifndef VGTFUZZ_KGTT_H
#define VGTFUZZ_KGTT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KGTT_MAX_DEVS 2
#define KGTT_MAX_OBJS 64 /* objects (pre-existing and driver-allocated nodes) per device */
#define KGTT_PAGE_SIZE 4096 /* the PV-info page */

struct kgtt_range {
	uint64_t start;
	uint64_t size;
	int64_t color; /* the node's colour as a signed long: unevictable is -1 */
};

/* Forget every device and the lifted code's static bl_info. */
void kgtt_reset(void);

/* Set up device `dev`'s GGTT. -EINVAL: no such device, total == 0 or mappable_end > total. */
int kgtt_init(unsigned int dev, uint64_t total, uint64_t mappable_end, bool color_adjust);

/* Copy a PV-info page into the device's MMIO (bytes past `len` read as zero). */
void kgtt_set_page(unsigned int dev, const void *page, size_t len);

/* Bind an object at [start, start+size) with drm_mm_reserve_node(), as the driver would before
 * ballooning. Colour -1 makes it unevictable; `pinned` makes eviction refuse it.
 * Returns 0, the kernel's error, or -ENOMEM when the object pool is full. */
int kgtt_reserve(unsigned int dev, uint64_t start, uint64_t size, int64_t color, bool pinned);

/* drm_mm's insert modes, as kgtt takes them (DRM_MM_INSERT_LOW, _HIGH, _BEST, _EVICT). */
enum kgtt_mode { KGTT_LOW, KGTT_HIGH, KGTT_BEST, KGTT_EVICT };

/* What an insert asks for: size, alignment (0 or 1: none), colour, [range_start, range_end). */
struct kgtt_req {
	uint64_t size, alignment;
	int64_t color;
	uint64_t range_start, range_end;
	enum kgtt_mode mode;
	bool once; /* DRM_MM_INSERT_ONCE */
	bool retry; /* after a ONCE -ENOSPC, again in BEST mode, as i915_gem_gtt_insert() */
};

/* A driver allocation: drm_mm_insert_node_in_range() with the request's mode (and its retry).
 * On success *start_out is where it landed. */
int kgtt_insert(unsigned int dev, const struct kgtt_req *req, uint64_t *start_out);

/* Unbind object number `index` (modulo the objects bound, in address order; balloon nodes are
 * not objects) with drm_mm_remove_node(). -ENOENT when no object is bound. */
int kgtt_free(unsigned int dev, unsigned int index);

/* The first pass of i915_gem_evict_something() over drm_mm's scan API (see kgtt.c), then, if it
 * made room, the insert in DRM_MM_INSERT_EVICT mode that i915_gem_gtt_insert() makes after it. */
int kgtt_evict(unsigned int dev, const struct kgtt_req *req, uint64_t *start_out);

/* i915_gem_gtt_reserve() of a new object at [offset, offset + size): drm_mm_reserve_node(),
 * evicting what is in the way (i915_gem_evict_for_node) and trying once more. */
int kgtt_reserve_at(unsigned int dev, uint64_t offset, uint64_t size, int64_t color);

/* The host rewrites one u32 of the device's PV-info page (offset 4-aligned, inside the page). */
void kgtt_host_write(unsigned int dev, uint32_t offset, uint32_t value);

/* NULL, or why intel_vgt_deballoon() on `dev` would reach into another device: `dev` is an active
 * vGPU (else the kernel returns before bl_info) and one of the static bl_info nodes is linked into
 * another device's GGTT (they share it), which the deballoon would remove. A balloon reaches
 * bl_info only through i915_gem_gtt_reserve(), where the shim probes the node it is given
 * (shims/i915_gem_gtt_reserve-shim.c). */
const char *kgtt_balloon_hazard(unsigned int dev);

/* The lifted entry points. */
void kgtt_detect(unsigned int dev); /* intel_vgpu_detect() */
int kgtt_balloon(unsigned int dev); /* intel_vgt_balloon() */
void kgtt_deballoon(unsigned int dev); /* intel_vgt_deballoon() */

/* Read-back. Node and hole lists are in address order; they return the total count even when
 * it exceeds `max` (only `max` are written). */
bool kgtt_active(unsigned int dev);
uint32_t kgtt_caps(unsigned int dev);
uint64_t kgtt_reserved(unsigned int dev);
size_t kgtt_nodes(unsigned int dev, struct kgtt_range *out, size_t max);
/* The nodes as a summary sees them: vgtf_hash_node() (node_hash.h) folded over the first `max`
 * from VGTF_HASH_SEED into *hash, in one walk and no copy (a summary is taken after every op). */
size_t kgtt_nodes_hash(unsigned int dev, size_t max, uint64_t *hash);
size_t kgtt_holes(unsigned int dev, struct kgtt_range *out, size_t max);
/* The holes' start addresses in drm_mm's hole stack order (most recently added first): the
 * order EVICT mode tries them in, and among holes of one size the order BEST mode takes. */
size_t kgtt_hole_stack(unsigned int dev, uint64_t *starts, size_t max);
bool kgtt_clean(unsigned int dev); /* drm_mm_clean(): no node at all */
unsigned int kgtt_warns(void); /* kernel WARNs since kgtt_reset() */
unsigned int kgtt_evictions(void); /* objects the eviction model unbound */

/* Walk the drm_mm's own structures (node list, hole list and both hole trees, the interval
 * tree) and check they agree with each other and the address space. 0, or -1 with `why`. */
int kgtt_check(unsigned int dev, char *why, size_t why_len);

/* NULL, or why device `dev`'s drm_mm is past repair: its node list overlaps itself (with
 * i915_ggtt_color_adjust, a guard-page bound that wrapped lets drm_mm place a node over another).
 * Its hole trees then disagree with the list, and a later insert or removal may walk a tree that
 * no longer ends. O(nodes): the runner asks after every op. An overlap of the known guard-wrap
 * shape (reports/findings.md §4) goes to the hazard hook instead (kgtt_set_hooks()). */
const char *kgtt_broken(unsigned int dev);

/* Where a kernel BUG() goes (must not return) and where a hazard goes (a hazard hook that returns
 * lets kenv.c print and abort); NULL restores print-and-abort. */
void kgtt_set_hooks(void (*bug)(const char *file, int line, const char *cond), void (*hazard)(const char *why));
#endif
