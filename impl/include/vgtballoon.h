/*
 * vgtballoon: GGTT ballooning for a guest of an Intel GVT-g host.
 *
 * A guest GPU driver running on a GVT-g vGPU sees the whole global graphics
 * translation table (GGTT), but owns only two slices of it: one inside the
 * CPU-visible aperture ("mappable") and one above it ("unmappable", also
 * called "hidden"). The host publishes the slices in the PV-info page. The
 * guest "balloons" everything else: it reserves the foreign ranges in its own
 * address-space allocator so that nothing it allocates later lands there.
 *
 * This library is an independent implementation of that job:
 *
 *   1. PV-info page   vgtb_pvinfo_decode()   bytes -> values, explicit LE
 *   2. Plan           vgtb_plan_make()       values + geometry -> regions or
 *                                            a refusal with a reason code
 *   3. Address space  vgtb_space_*()         a GGTT model: reserve at a fixed
 *                                            address, insert by search (LOW,
 *                                            HIGH, BEST, EVICT, once), evict
 *                                            for a range or by LRU scan,
 *                                            remove, iterate, self-check
 *   4. Device         vgtb_device_*()        detect, balloon (plan + reserve
 *                                            with unwind), deballoon
 *
 * Two profiles:
 *   VGTB_PROFILE_KERNEL  the observable results of Linux 5.3-6.12
 *                        intel_vgt_balloon() on a 64-bit kernel, exactly
 *                        (return codes, reserved ranges and their order,
 *                        the reserved counter, evictions).
 *   VGTB_PROFILE_STRICT  the same, but refuses page contents the kernel
 *                        accepts although no correct host writes them; see
 *                        enum vgtb_reason for each rule and why.
 * Profiles choose what a page may plan. The address space below has a single
 * behaviour, the kernel's allocator (drm_mm) and i915's eviction rules,
 * whichever profile planned the reservations. Its few departures from the
 * kernel are listed under "Known differences": -VGTB_EOVERFLOW where the
 * kernel's own result is undefined, and LOW/HIGH "once", where the kernel's
 * choice depends on its search trees' shape rather than on a rule.
 *
 * Conventions
 *   - Errors are negative Linux errno values (the VGTB_E* numbers below, fixed
 *     here so that results do not depend on the host's <errno.h>).
 *   - No global or static mutable state; every call works on caller-owned
 *     objects. The library never allocates: the caller provides node storage.
 *   - Addresses and sizes are uint64_t byte values. Ranges are half-open
 *     [start, start + size).
 *   - A NULL where an object is required gives -VGTB_EINVAL, never a crash.
 *   - Not thread-safe: serialise calls on one space / device.
 *
 * A worked example (the seed picture of four guests sharing one GGTT) is in
 * impl/README.md.
 */
#ifndef VGTBALLOON_H
#define VGTBALLOON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Error numbers (Linux values; calls return their negation).                */

#define VGTB_ENOENT 2 /* no node with that handle                        */
#define VGTB_ENOMEM 12 /* node storage full                               */
#define VGTB_EBUSY 16 /* device is ballooned; deballoon first            */
#define VGTB_EINVAL 22 /* bad argument, bad geometry, or plan refused      */
#define VGTB_ENOSPC 28 /* no room at that address / no hole found          */
#define VGTB_ENODATA 61 /* PV-info buffer too short                         */
#define VGTB_EOVERFLOW \
	75 /* the kernel would wrap an address here; see
                             "Known differences" under the address space      */

/* GGTT page: the unit of alignment and of colour guard pages. */
#define VGTB_PAGE_SIZE UINT64_C(4096)

/* ------------------------------------------------------------------------ */
/* 1. PV-info page                                                           */
/*
 * The host exposes a 4 KiB page ("struct vgt_if") in the MMIO BAR. Only the
 * fields below matter for detection and ballooning. All are little-endian;
 * the offsets are the page's own, so hex dumps line up.
 */
#define VGTB_PVINFO_MAGIC UINT64_C(0x4776544776544776) /* "vGTvGTvG" */
#define VGTB_PVINFO_SIZE 4096u
#define VGTB_PVINFO_OFF_MAGIC 0x00u /* u64 */
#define VGTB_PVINFO_OFF_VERSION_MAJOR 0x08u /* u16 */
#define VGTB_PVINFO_OFF_VERSION_MINOR 0x0au /* u16 */
#define VGTB_PVINFO_OFF_VGT_ID 0x0cu /* u32 */
#define VGTB_PVINFO_OFF_VGT_CAPS 0x10u /* u32 */
#define VGTB_PVINFO_OFF_MAPPABLE_BASE 0x40u /* u32 */
#define VGTB_PVINFO_OFF_MAPPABLE_SIZE 0x44u /* u32 */
#define VGTB_PVINFO_OFF_UNMAPPABLE_BASE 0x48u /* u32 */
#define VGTB_PVINFO_OFF_UNMAPPABLE_SIZE 0x4cu /* u32 */
#define VGTB_PVINFO_OFF_FENCE_NUM 0x50u /* u32 */
/* Bytes needed to decode every field above (through fence_num). */
#define VGTB_PVINFO_MIN_LEN 0x54u

/* vgt_caps bits (recorded, not interpreted by this library). */
#define VGTB_CAP_FULL_PPGTT (UINT32_C(1) << 2)
#define VGTB_CAP_HWSP_EMULATION (UINT32_C(1) << 3)
#define VGTB_CAP_HUGE_GTT (UINT32_C(1) << 4)

struct vgtb_pvinfo {
	uint64_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	uint32_t vgt_id;
	uint32_t vgt_caps;
	uint32_t mappable_base; /* guest's aperture slice                  */
	uint32_t mappable_size;
	uint32_t unmappable_base; /* guest's hidden slice                    */
	uint32_t unmappable_size;
	uint32_t fence_num; /* not used by ballooning                  */
};

/*
 * Decode the fields above from buf[0..len). Reads bytes one at a time, so buf
 * needs no alignment and is never read at or past buf + len.
 * Returns 0; -VGTB_EINVAL if buf or out is NULL; -VGTB_ENODATA if
 * len < VGTB_PVINFO_MIN_LEN. On error *out is left untouched.
 */
int vgtb_pvinfo_decode(const void *buf, size_t len, struct vgtb_pvinfo *out);

/*
 * The inverse, for tests and tools: write the fields at their offsets into
 * buf[0..len), leaving every other byte as it was. Same errors as decode.
 */
int vgtb_pvinfo_encode(const struct vgtb_pvinfo *info, void *buf, size_t len);

/*
 * Detection rule: the magic matches and version_major >= 1 (a newer major is
 * accepted, as the kernel does; the minor is ignored). NULL gives false.
 */
bool vgtb_pvinfo_is_vgpu(const struct vgtb_pvinfo *info);

/* ------------------------------------------------------------------------ */
/* 2. Plan: which ranges to balloon, or why not                              */

enum vgtb_profile {
	VGTB_PROFILE_KERNEL = 0,
	VGTB_PROFILE_STRICT = 1,
};

/*
 * The four balloon slots, numbered as the kernel numbers them. With
 * M = mappable_end and G = total of the GGTT, and the guest's slices
 * [mb, me) and [ub, ue):
 */
enum vgtb_slot_id {
	VGTB_SLOT_BELOW_MAPPABLE = 0, /* [0, mb)   if mb != 0  */
	VGTB_SLOT_ABOVE_MAPPABLE = 1, /* [me, M)   if me < M   */
	VGTB_SLOT_BELOW_UNMAPPABLE = 2, /* [M, ub)   if ub > M   */
	VGTB_SLOT_ABOVE_UNMAPPABLE = 3, /* [ue, G)   if ue < G   */
	VGTB_SLOTS = 4
};

/* GGTT geometry. Valid: 0 < total <= VGTB_TOTAL_MAX, mappable_end <= total. */
struct vgtb_geometry {
	uint64_t total; /* G: size of the GGTT in bytes               */
	uint64_t mappable_end; /* M: end of the CPU-visible aperture         */
};
/* The model's upper bound on total: keeps every address + 2 pages in u64. */
#define VGTB_TOTAL_MAX (UINT64_C(1) << 62)

/*
 * Why a plan was refused. All refusals carry -VGTB_EINVAL. "kernel" reasons
 * are the kernel's own three checks, refused in both profiles; "strict"
 * reasons only in VGTB_PROFILE_STRICT. Order of checking:
 *   bad call -> strict overflow -> kernel checks -> other strict rules.
 * So a strict reason other than the two overflow ones means the kernel would
 * have accepted the same page; an overflow reason says nothing either way.
 */
enum vgtb_reason {
	VGTB_REASON_NONE = 0,
	/* bad call: NULL, unknown profile */
	VGTB_REASON_BAD_ARGUMENT,
	/* bad call: total == 0 or > VGTB_TOTAL_MAX, or mappable_end > total */
	VGTB_REASON_BAD_GEOMETRY,

	/*
	 * strict, checked first: mappable_base + mappable_size > 2^32. The
	 * kernel adds the two u32 registers in unsigned long: exact on 64-bit
	 * (its range checks then refuse it, since M < 2^32 in practice), but
	 * on a 32-bit kernel the sum wraps and a bogus slice passes. The
	 * overflow is the root cause, so it is reported before the range
	 * checks. A slice ending exactly at 2^32 is allowed: that is the top
	 * of a 4 GiB GGTT.
	 */
	VGTB_REASON_MAPPABLE_OVERFLOWS_32,
	/*
	 * strict, checked first: unmappable_base + unmappable_size > 2^32.
	 * Beyond the 32-bit wrap above, a 64-bit kernel accepts this when
	 * G > 4 GiB and balloons from the bogus end upwards.
	 */
	VGTB_REASON_UNMAPPABLE_OVERFLOWS_32,

	/* kernel: mappable_base + mappable_size > M */
	VGTB_REASON_MAPPABLE_END_PAST_APERTURE,
	/* kernel: unmappable_base < M */
	VGTB_REASON_UNMAPPABLE_BASE_IN_APERTURE,
	/* kernel: unmappable_base + unmappable_size > G */
	VGTB_REASON_UNMAPPABLE_END_PAST_TOTAL,

	/*
	 * strict: M or G not a multiple of 4 KiB. Real hardware never reports
	 * such a geometry; the kernel would balloon partial pages.
	 */
	VGTB_REASON_GEOMETRY_UNALIGNED,
	/*
	 * strict: a base or size not a multiple of 4 KiB. GGTT entries map
	 * whole pages; the kernel only asserts this in debug builds
	 * (GEM_BUG_ON in its reserve helper) and silently reserves partial
	 * pages in production builds.
	 */
	VGTB_REASON_MAPPABLE_BASE_UNALIGNED,
	VGTB_REASON_MAPPABLE_SIZE_UNALIGNED,
	VGTB_REASON_UNMAPPABLE_BASE_UNALIGNED,
	VGTB_REASON_UNMAPPABLE_SIZE_UNALIGNED,
	/*
	 * strict: an empty slice. The kernel accepts size 0 and then balloons
	 * the whole aperture (or the whole hidden range), leaving the driver
	 * to fail later and obscurely. GVT-g never creates a vGPU without
	 * both slices, so zero means an uninitialised or corrupt page.
	 */
	VGTB_REASON_MAPPABLE_EMPTY,
	VGTB_REASON_UNMAPPABLE_EMPTY,

	VGTB_REASON_COUNT
};
/*
 * Note on containment: "mappable slice wholly inside [0, M)" and "unmappable
 * slice wholly inside [M, G)" are implied by the three kernel checks once the
 * sums are computed in 64 bits (as this library always does) and the
 * overflow rules hold, so they need no reason code of their own.
 */

/* A stable, human-readable name ("mappable-end-past-aperture"); never NULL. */
const char *vgtb_reason_str(enum vgtb_reason reason);
/* true for the reasons only VGTB_PROFILE_STRICT uses. */
bool vgtb_reason_is_strict(enum vgtb_reason reason);

struct vgtb_region {
	unsigned slot; /* enum vgtb_slot_id */
	uint64_t start;
	uint64_t size; /* > 0 */
};

struct vgtb_plan {
	int err; /* 0 or -VGTB_EINVAL                        */
	enum vgtb_reason reason; /* VGTB_REASON_NONE when err == 0           */
	unsigned count; /* regions to reserve, 0..4                 */
	/* In reservation order: slot 2, 3, 0, 1 (each only if non-empty). */
	struct vgtb_region region[VGTB_SLOTS];
};

/*
 * Pure: decide what to balloon. Fills *out and returns out->err. The regions
 * never overlap each other and lie inside [0, total).
 * -VGTB_EINVAL with reason BAD_ARGUMENT if info, geo or out is NULL (out is
 * untouched when NULL) or the profile is unknown; BAD_GEOMETRY for a bad
 * geometry; otherwise the first failing rule of enum vgtb_reason.
 */
int vgtb_plan_make(const struct vgtb_pvinfo *info, const struct vgtb_geometry *geo, enum vgtb_profile profile,
		   struct vgtb_plan *out);

/* ------------------------------------------------------------------------ */
/* 3. Address space: a GGTT model                                            */
/*
 * Nodes live in a caller-provided array, kept sorted by address; free ranges
 * ("holes") are the non-empty gaps between neighbours, and between the nodes
 * and the two ends 0 and total. Each node is named by a handle that stays
 * valid until the node is removed (array positions move, handles do not).
 *
 * Colour: every node carries a colour; only equality matters. The colour
 * VGTB_COLOR_UNEVICTABLE (-1) marks a node that is not a driver object
 * (balloons, firmware ranges): it can never be evicted. Model an i915 colour
 * of (unsigned long)-1 as -1; other colours map one to one.
 *
 * Colour policy (optional, the kernel's choice on parts without a shared LLC):
 * a node keeps one guard page from a neighbour of another colour. When a
 * hole is considered for a node of colour c:
 *   - its start moves up one page if the node just below it exists and has
 *     a colour other than c;
 *   - its end moves down one page if the node just above it has a colour
 *     other than c, where beyond `total` sits an imaginary node of colour -1
 *     (so only colour -1 may touch the end of the GGTT). Below address 0
 *     nothing counts.
 *
 * Hole age: the kernel keeps its holes in a stack (newest on top) and in a
 * tree ordered by size in which equal sizes stay in the order they were
 * added. Searches depend on both, so the model dates every hole: each time
 * the kernel would (re)add a hole to those lists, the hole takes the next
 * value of a per-space counter (struct vgtb_hole.age: larger = newer, unique
 * among the holes that exist; struct vgtb_node.hole_age is the same number
 * for the hole just above a node, 0 if there is none). The events:
 *   - init: the whole space [0, total) is the first hole.
 *   - placing a node (reserve or insert) into a hole: the hole is taken out;
 *     if the node starts above the hole's start, the part below it is added
 *     back (newer); then, if the node ends below the hole's end, the part
 *     above it is added (newer still). A node that fills the hole exactly
 *     adds nothing, and an exact fit at either end adds only one part.
 *   - removing a node: its own hole (if any) goes, and the hole below it is
 *     taken out (if there was one) and added back grown to span both. So
 *     the merged hole is always the newest.
 *   - nothing else (failed calls, a scan that finds nothing) changes ages.
 * Sorting the holes by age, newest first, gives the kernel's hole stack.
 *
 * Known differences from the kernel allocator (all need nodes or geometry
 * that are not 4 KiB aligned, together with the colour policy):
 *   When a hole ends below 4 KiB and the colour policy moves its end down
 *   one page, the kernel's u64 end wraps to nearly 2^64 and the hole then
 *   "fits" requests it cannot hold: the kernel would insert a node that
 *   overlaps its neighbour, corrupting its lists. The model walks the
 *   candidates in the mode's order, and if the first one that accepts the
 *   request is such a wrapped hole it returns -VGTB_EOVERFLOW and changes
 *   nothing, meaning "the kernel may corrupt itself here" (a differential
 *   harness should treat it as "kernel outcome undefined", not compare
 *   further). For BEST and EVICT the kernel's order is the model's, so the
 *   kernel would corrupt itself for certain. For LOW and HIGH the kernel's
 *   walk skips some small holes, depending on the shape of its trees, so
 *   the model tries every hole and the kernel may or may not reach the
 *   wrapped one. The eviction scan has the same case (see
 *   vgtb_space_evict_scan()). Everywhere else the results are the kernel's,
 *   checked against the lifted drm_mm of 6.1 and 6.12.
 *
 * And one that needs no unaligned values: DRM_MM_INSERT_ONCE with LOW or
 * HIGH. The kernel then tries the single hole where its descent of the
 * address tree stops, and where that is depends on the tree's shape (its
 * balancing history), not on a rule: a small hole on the way, or the hole
 * holding range_start, can be picked instead of the one a rule would name.
 * The model names one (see vgtb_space_insert()). Measured on random
 * alloc/free sequences against the lifted drm_mm, about one such insert in
 * eleven differs, and then nearly always the kernel fails (its descent
 * stopped at a hole that is too small) where the model succeeds; in about
 * one case in a thousand of those the kernel succeeds where the model fails
 * or places the node elsewhere. A differential harness should not compare
 * LOW/HIGH ONCE results, or compare them only as "the kernel failed, or
 * made a placement the mode allows".
 */

typedef int64_t vgtb_color;
#define VGTB_COLOR_UNEVICTABLE ((vgtb_color)-1)

/* Names a node; 0 is never a valid handle. */
typedef uint64_t vgtb_handle;
#define VGTB_HANDLE_NONE ((vgtb_handle)0)

/* Node flags. */
#define VGTB_NODE_PINNED 0x1u /* eviction refuses the node           */
/* Reserve flags (share the word with node flags). */
#define VGTB_RESERVE_EVICT 0x2u /* on -ENOSPC, evict and retry once   */

struct vgtb_node {
	uint64_t start;
	uint64_t size;
	vgtb_color color;
	bool pinned;
	vgtb_handle handle;
	uint64_t hole_age; /* age of the hole just above this node; 0 when
	                      the next node (or total) is flush against it */
	bool scanned; /* private to vgtb_space_evict_scan(); false
	                      whenever no call is running                */
};

struct vgtb_hole {
	uint64_t start;
	uint64_t size;
	uint64_t age; /* when the hole was last (re)added; larger = newer  */
};

/*
 * Optional record of evictions. Every evicted node is counted in `count`;
 * the first `capacity` of them (across calls: the log appends; reset count
 * to 0 to start over) are copied to entries[], in the order they were
 * removed (descending address order for vgtb_space_evict_for(); see
 * vgtb_space_evict_scan() for its order).
 */
struct vgtb_evict_log {
	struct vgtb_node *entries;
	size_t capacity;
	size_t count;
};

/* Caller-owned; read it through the functions below, do not edit fields. */
struct vgtb_space {
	struct vgtb_node *nodes; /* caller's storage, sorted by start  */
	size_t capacity;
	size_t count;
	uint64_t total;
	bool color_policy;
	vgtb_handle next_handle;
	struct vgtb_evict_log *evict_log; /* may be NULL                */
	uint64_t head_hole_age; /* age of the hole starting at 0, or 0   */
	uint64_t age_clock; /* the last age handed out             */
};

/*
 * Start an empty space [0, total) over storage[0..capacity). The storage
 * belongs to the caller and must outlive the space; capacity bounds how many
 * nodes can exist at once (0 is allowed: every insertion then fails).
 * Returns 0, or -VGTB_EINVAL for sp NULL, storage NULL with capacity > 0,
 * total == 0 or total > VGTB_TOTAL_MAX.
 */
int vgtb_space_init(struct vgtb_space *sp, struct vgtb_node *storage, size_t capacity, uint64_t total,
		    bool color_policy);

/* Attach (or with NULL detach) an eviction log. */
void vgtb_space_set_evict_log(struct vgtb_space *sp, struct vgtb_evict_log *log);

/*
 * Reserve exactly [start, start + size) with the given colour.
 * flags: VGTB_NODE_PINNED, VGTB_RESERVE_EVICT.
 * Without VGTB_RESERVE_EVICT this is the kernel's drm_mm_reserve_node():
 *   -VGTB_ENOSPC if size == 0, if start + size wraps u64, or if the hole
 *   containing start (after the colour policy shrinks it) does not hold the
 *   whole range.
 * With VGTB_RESERVE_EVICT it is i915_gem_gtt_reserve(): after -ENOSPC it runs
 * vgtb_space_evict_for() on the same range and, if that returns 0, tries
 * once more; the result of that last try is returned. Evictions are made
 * even when the retry then fails, as the kernel does.
 * Also: -VGTB_EINVAL if sp is NULL; -VGTB_ENOMEM if the storage is full
 * (checked first, before any eviction: keep one spare slot);
 * -VGTB_EOVERFLOW, see "Known differences". A success re-ages holes as
 * described under "Hole age".
 * On success *out (if out is not NULL) receives the new handle.
 */
int vgtb_space_reserve(struct vgtb_space *sp, uint64_t start, uint64_t size, vgtb_color color, unsigned flags,
		       vgtb_handle *out);

/*
 * Make room for [start, start + size) of colour `color` by removing nodes
 * (the kernel's i915_gem_evict_for_node()). With the colour policy the range
 * examined grows by one page on each side (not below 0), to reach neighbours
 * whose guard page would be missing. Each node overlapping the examined
 * range, in address order:
 *   - colour -1                                 -> -VGTB_ENOSPC
 *   - colour policy on, colour == color, and it only abuts the target (ends
 *     at start or begins at start + size)     -> left alone
 *   - pinned                                    -> -VGTB_ENOSPC
 *   - otherwise                                 -> marked
 * The imaginary node past `total` counts as colour -1: if the examined range
 * ends beyond total the call fails (so with the colour policy, nothing can be
 * evicted for a range that ends at total).
 * On success every marked node is removed (and logged) and 0 returned; on
 * failure nothing is removed. -VGTB_EINVAL if sp is NULL.
 * Removal order: one node at a time, descending by address, as i915 unbinds
 * them (it prepends each victim to its eviction list, then walks the list;
 * the harness's kernel model in extracted/kenv.c does the same). The
 * order shows only in hole ages, and only when the victims form two
 * separate runs (a same-colour neighbour that merely touches the target,
 * with a victim within the guard page beyond it): then the run removed last
 * owns the newest hole.
 */
int vgtb_space_evict_for(struct vgtb_space *sp, uint64_t start, uint64_t size, vgtb_color color);

enum vgtb_insert_mode {
	VGTB_INSERT_LOW = 0, /* lowest suitable address                   */
	VGTB_INSERT_HIGH = 1, /* highest suitable address                  */
	VGTB_INSERT_BEST = 2, /* smallest hole that is large enough        */
	VGTB_INSERT_EVICT = 3, /* most recently opened hole first           */
};

struct vgtb_insert_req {
	uint64_t size; /* > 0                                        */
	uint64_t alignment; /* 0 or 1: none; any other value is honoured  */
	vgtb_color color;
	unsigned flags; /* VGTB_NODE_PINNED                           */
	uint64_t range_start; /* placement must lie in [range_start,        */
	uint64_t range_end; /*                       range_end)           */
	enum vgtb_insert_mode mode;
	bool once; /* try only the first candidate hole          */
};

/*
 * Find room and insert (the kernel's drm_mm_insert_node_in_range()). Never
 * evicts. Steps:
 *   1. -VGTB_ENOSPC at once if size == 0, if the range is shorter than size,
 *      or if no hole at all is at least size long (raw sizes, before any
 *      colour guard).
 *   2. Candidate holes, in the mode's order:
 *        LOW    ascending address; stops (fails) at the first hole that
 *               starts at or after range_end.
 *        HIGH   descending address; stops at the first hole that ends at or
 *               before range_start.
 *        BEST   only holes at least size long, smallest first; among equal
 *               sizes the newest (largest age) first. Never stops early.
 *        EVICT  every hole, newest first (the hole stack), whatever its
 *               size. Never stops early. Meant for the insert that follows
 *               vgtb_space_evict_scan(): the hole just opened is on top.
 *   3. In each candidate: the colour policy shrinks the hole, the result is
 *      clipped to [range_start, range_end), HIGH takes the top of it, and
 *      an unaligned start is rounded down (HIGH) or up (every other mode)
 *      to the alignment and re-tested. The first candidate where the node
 *      fits gets it.
 * With `once` only the first candidate is tried:
 *        BEST   the smallest hole that is large enough (newest among equal);
 *        EVICT  the newest hole, even if it is too small (then -ENOSPC);
 *        LOW    the lowest hole at least size long that ends after
 *               range_start;
 *        HIGH   the highest hole at least size long that starts before
 *               range_end.
 *      The LOW/HIGH choice is the model's, not a kernel rule: see "Known
 *      differences". The stop rules of step 2 still apply to that hole.
 * (For LOW and HIGH without once, the kernel walks only the holes its trees
 * lead it to; the outcome is the same except for wrapped holes, see "Known
 * differences".) Placing the node re-ages holes as described under "Hole
 * age".
 * Returns 0 and *out (if not NULL); -VGTB_ENOSPC as above or if no candidate
 * fits; -VGTB_EINVAL for NULL sp/req, an unknown mode, or range_start >
 * range_end (the kernel only asserts that); -VGTB_ENOMEM if the storage is
 * full; -VGTB_EOVERFLOW, see "Known differences". The req's `flags` take
 * VGTB_NODE_PINNED.
 */
int vgtb_space_insert(struct vgtb_space *sp, const struct vgtb_insert_req *req, vgtb_handle *out);

/*
 * Evict nodes so that a request fits: the model of i915_gem_evict_something()
 * driving the kernel's eviction scan (its first pass; i915's retry after
 * idling the GPU is the caller's business). The caller then inserts with
 * VGTB_INSERT_EVICT (usually the same req with that mode).
 *
 * lru[0..n) names the candidate nodes, least recently used first: i915's
 * bound list. Pinned nodes and colour -1 nodes in it are skipped, as i915
 * skips pinned objects and never lists non-objects.
 *   1. Scan: visit lru in order. A visited node counts as gone from then on.
 *      Its "scan hole" is the free range between the nearest node below it
 *      that has not been visited (or address 0) and the nearest such node
 *      above it (or total); the colour policy shrinks it exactly as for an
 *      ordinary hole, with those two nodes as the neighbours (nothing below
 *      address 0; the end of the space is colour -1). Then the fit test of
 *      vgtb_space_insert() step 3 on it, where only HIGH counts as a
 *      direction (every other mode rounds up). The first visited node whose
 *      scan hole fits ends the scan; the request would then occupy
 *      hit = [at, at + size).
 *   2. No scan hole fits: nothing changes, -VGTB_ENOSPC.
 *   3. Victims: the visited nodes that overlap hit, removed one at a time in
 *      the reverse of the order they were visited (i915 prepends each to its
 *      eviction list). Visited nodes that do not overlap hit stay.
 *   4. Colour policy only, repeated: take the hole that contains hit, shrink
 *      it for req->color. If its start moved above hit's start, the node
 *      below the hole must go; otherwise if its end moved below hit's end,
 *      the node above it must go (the end of the space counts as a colour
 *      -1 node there); otherwise stop. A node that must go but is colour -1,
 *      pinned, or the end of the space gives -VGTB_ENOSPC; removals already
 *      made stay made, as in the kernel. Otherwise it is removed and the
 *      step repeats. (Within this model that refusal cannot happen: the scan
 *      hole already kept guard pages from the nodes it did not visit, so only
 *      visited nodes, all evictable, can end up too close. The rule is kept
 *      because it is the kernel's; tests/impl/fuzz_impl.c checks the claim.)
 *   Every removal is logged. Returns 0 after step 4.
 * Hole ages change only through the removals (see "Hole age").
 * req: size, alignment, color, the range and the mode are used; flags and
 * once are ignored.
 * Errors, all with nothing changed: -VGTB_EINVAL for NULL sp/req, lru NULL
 * with n > 0, an unknown mode, range_start > range_end, or a handle listed
 * twice; -VGTB_ENOENT if a handle names no node (every entry is checked,
 * also those past the point where the scan stops); -VGTB_ENOSPC for size 0
 * or a range shorter than size (the kernel only asserts both), or as in
 * step 2; -VGTB_EOVERFLOW if the fit found relies on a guard-page end that
 * wrapped below 0 (hit would overlap a live node; the kernel asserts in
 * debug builds and otherwise evicts around a broken range).
 */
int vgtb_space_evict_scan(struct vgtb_space *sp, const struct vgtb_insert_req *req, const vgtb_handle *lru, size_t n);

/*
 * Remove a node, freeing its range (the hole below it grows and becomes the
 * newest, see "Hole age"). 0, -VGTB_ENOENT, or -VGTB_EINVAL (NULL).
 */
int vgtb_space_remove(struct vgtb_space *sp, vgtb_handle handle);

/* The node with that handle, or NULL. Valid until the space next changes. */
const struct vgtb_node *vgtb_space_find(const struct vgtb_space *sp, vgtb_handle handle);

/* Nodes in address order: index 0 .. count-1 (NULL out of range). */
size_t vgtb_space_count(const struct vgtb_space *sp);
const struct vgtb_node *vgtb_space_node(const struct vgtb_space *sp, size_t index);
/* All of them at once: the array of *count nodes in address order, valid
 * until the space next changes (a caller walking every node after every
 * change, as a test harness does, makes one call instead of one per node). */
const struct vgtb_node *vgtb_space_nodes(const struct vgtb_space *sp, size_t *count);

/*
 * Holes in address order. Start with *cursor = 0; each call that returns
 * true fills *out with the next hole (its age included). The space must not
 * change meanwhile.
 */
bool vgtb_space_next_hole(const struct vgtb_space *sp, size_t *cursor, struct vgtb_hole *out);
size_t vgtb_space_hole_count(const struct vgtb_space *sp);

/*
 * Self-check: returns 0, or -1 and (if why is not NULL) a static string
 * naming the first broken invariant (order, overlap, bounds, handles, ...).
 */
int vgtb_space_check(const struct vgtb_space *sp, const char **why);

/* ------------------------------------------------------------------------ */
/* 4. Device: detect, balloon, deballoon                                     */

struct vgtb_slot {
	vgtb_handle node; /* VGTB_HANDLE_NONE when the slot holds nothing  */
	uint64_t start;
	uint64_t size;
};

/* Caller-owned per-device state; read fields freely, change them only
 * through the functions below. One device per GGTT space. */
struct vgtb_device {
	struct vgtb_space *space;
	uint64_t mappable_end; /* M; G is space->total                   */
	struct vgtb_pvinfo info; /* values the next balloon will use       */
	bool active; /* detection succeeded                    */
	uint32_t caps; /* vgt_caps when active, else 0           */
	bool ballooned; /* the last balloon succeeded and no
	                             deballoon followed                     */
	uint64_t reserved; /* the driver's reserved-bytes counter:
	                             += each region reserved, -= each one
	                             released; starts at 0                  */
	struct vgtb_slot slot[VGTB_SLOTS]; /* indexed by enum vgtb_slot_id */
	enum vgtb_reason last_reason; /* why the last balloon's plan
	                                      was refused, else NONE        */
};

/*
 * Bind a device to a space with aperture end M = mappable_end. Not active,
 * nothing ballooned. -VGTB_EINVAL for NULL, or mappable_end > space->total.
 */
int vgtb_device_init(struct vgtb_device *dev, struct vgtb_space *space, uint64_t mappable_end);

/*
 * Read the PV-info page and apply the detection rule, as intel_vgpu_detect()
 * does: a vGPU page (magic, version_major >= 1) makes the device active and
 * records its caps and values; any other page changes nothing (detection
 * only ever switches a device on, so a device stays active once found).
 * Allowed while ballooned: the slots keep their own ranges and the device
 * stays active, so the deballoon is unaffected.
 * Returns 0 whether or not a vGPU was found; the decode errors
 * (-VGTB_EINVAL, -VGTB_ENODATA) leave the device unchanged.
 */
int vgtb_device_detect(struct vgtb_device *dev, const void *page, size_t len);

/* The same from already decoded values. */
int vgtb_device_set_info(struct vgtb_device *dev, const struct vgtb_pvinfo *info);

/*
 * Re-read only the four slice registers (mappable/unmappable base and size)
 * from the page, leaving active and caps as detection set them. The kernel
 * reads those registers when it balloons, not when it detects, so a host
 * that rewrites them in between is modelled by calling this just before
 * vgtb_device_balloon(). Allowed while ballooned: a balloon's slots keep
 * their own ranges, so later slice values never affect its deballoon.
 * Returns 0, or the decode errors (-VGTB_EINVAL, -VGTB_ENODATA) with the
 * device unchanged.
 */
int vgtb_device_load_slices(struct vgtb_device *dev, const void *page, size_t len);

/*
 * Balloon out everything outside the guest's two slices.
 *   - Not active: returns 0 and does nothing (as the kernel).
 *   - Already ballooned: -VGTB_EBUSY, nothing touched. (The kernel has no
 *     such guard: a release kernel fails the first present slot's
 *     re-reservation with -ENOSPC, or returns 0 if no slot is present; a
 *     debug kernel BUGs.)
 *   - Plan refused: its error (-VGTB_EINVAL), last_reason set, nothing
 *     reserved.
 *   - Otherwise the regions are reserved in plan order (slots 2, 3, 0, 1)
 *     with colour -1 and eviction allowed (vgtb_space_reserve() with
 *     VGTB_RESERVE_EVICT); each success adds its size to `reserved`. If one
 *     fails, the ones already made are released in reverse order, each
 *     subtracting its size, and that failure's error is returned
 *     (-VGTB_ENOSPC, -VGTB_ENOMEM, -VGTB_EOVERFLOW). Evictions already made
 *     are not undone (nor does the kernel undo them).
 * -VGTB_EINVAL for a NULL device or unknown profile.
 */
int vgtb_device_balloon(struct vgtb_device *dev, enum vgtb_profile profile);

/*
 * Release every slot that holds a node, in slot order 0..3, subtracting each
 * size from `reserved`. A slot whose node has vanished from the space (the
 * caller removed it) is cleared without touching the counter, as the kernel
 * skips nodes that are no longer allocated. Does nothing when not active.
 * Harmless to repeat, or to call after a failed balloon.
 * Returns 0, or -VGTB_EINVAL for NULL.
 */
int vgtb_device_deballoon(struct vgtb_device *dev);

/* Slot i (0..3) or NULL. */
const struct vgtb_slot *vgtb_device_slot(const struct vgtb_device *dev, unsigned i);

/*
 * Self-check: every occupied slot names a node of the space with the same
 * range and colour -1; an unballooned device holds no slot. 0, or -1 and a
 * static reason string.
 */
int vgtb_device_check(const struct vgtb_device *dev, const char **why);

#ifdef __cplusplus
}
#endif

#endif /* VGTBALLOON_H */
