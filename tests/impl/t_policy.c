/*
 * drm_mm's placement policy, worked by hand: hole ages, BEST and EVICT
 * order, ONCE in every mode, and the eviction scan.
 *
 * Ages are written out in full: init makes the hole [0, total) age 1, and
 * every later (re)add takes the next number (see "Hole age" in the header).
 */
#include "check.h"

#define G UINT64_C(0x100000)
#define S UINT64_C(0x10000) /* the small space of the scan tests */
#define U VGTB_COLOR_UNEVICTABLE
#define LOW VGTB_INSERT_LOW
#define HIGH VGTB_INSERT_HIGH
#define BEST VGTB_INSERT_BEST
#define EVICT VGTB_INSERT_EVICT
#define PIN VGTB_NODE_PINNED

static struct vgtb_node store[16];
static struct vgtb_node logged[8];

/* Expected hole with its age, in address order. */
struct xa {
	uint64_t start, size, age;
};
#define XA(...) ((const struct xa[]){ __VA_ARGS__ }), (sizeof((const struct xa[]){ __VA_ARGS__ }) / sizeof(struct xa))
#define CHECK_AGED(sp, ...) check_aged(__FILE__, __LINE__, (sp), __VA_ARGS__)

static void check_aged(const char *file, int line, const struct vgtb_space *sp, const struct xa *want, size_t n)
{
	size_t cursor = 0, i = 0;
	struct vgtb_hole h;
	int ok = 1;

	while (vgtb_space_next_hole(sp, &cursor, &h)) {
		if (i >= n || h.start != want[i].start || h.size != want[i].size || h.age != want[i].age) {
			if (ok)
				printf("%s:%d: hole %zu is [0x%" PRIx64 "+0x%" PRIx64 " age %" PRIu64 "]\n", file, line,
				       i, h.start, h.size, h.age);
			ok = 0;
		}
		i++;
	}
	if (i != n)
		ok = 0;
	check_true(file, line, ok, "holes and ages match");
}

/* Insert; the start of the new node, or ~0 with the error in *err. */
static uint64_t ins(struct vgtb_space *sp, uint64_t size, uint64_t align, vgtb_color color, uint64_t rs, uint64_t re,
		    enum vgtb_insert_mode mode, bool once, int *err)
{
	struct vgtb_insert_req r = {
		.size = size,
		.alignment = align,
		.color = color,
		.range_start = rs,
		.range_end = re,
		.mode = mode,
		.once = once,
	};
	vgtb_handle h = 0;

	*err = vgtb_space_insert(sp, &r, &h);
	return *err ? UINT64_MAX : vgtb_space_find(sp, h)->start;
}

static vgtb_handle at(const struct vgtb_space *sp, uint64_t start)
{
	for (size_t i = 0; i < vgtb_space_count(sp); i++)
		if (vgtb_space_node(sp, i)->start == start)
			return vgtb_space_node(sp, i)->handle;
	return VGTB_HANDLE_NONE;
}

static void ages_basic(void)
{
	struct vgtb_space sp;
	int err;

	vgtb_space_init(&sp, store, 16, G, false);
	CHECK_AGED(&sp, XA({ 0, G, 1 }));
	/* A in the middle: the part below (2), then the part above (3) */
	vgtb_space_reserve(&sp, 0x10000, 0x10000, 0, 0, NULL);
	CHECK_AGED(&sp, XA({ 0, 0x10000, 2 }, { 0x20000, 0xe0000, 3 }));
	/* B flush on A: A keeps no hole, B's is new */
	vgtb_space_reserve(&sp, 0x20000, 0x10000, 0, 0, NULL);
	CHECK_AGED(&sp, XA({ 0, 0x10000, 2 }, { 0x30000, 0xd0000, 4 }));
	CHECK_U64(vgtb_space_find(&sp, at(&sp, 0x10000))->hole_age, 0);
	/* C fills [0, A) exactly: nothing is added, the clock stays */
	CHECK_U64(ins(&sp, 0x10000, 0, 0, 0, G, LOW, false, &err), 0);
	CHECK_AGED(&sp, XA({ 0x30000, 0xd0000, 4 }));
	CHECK_U64(sp.head_hole_age, 0);
	CHECK_U64(sp.age_clock, 4);
	/* remove A: C's merged hole is new, though C had none before */
	vgtb_space_remove(&sp, at(&sp, 0x10000));
	CHECK_AGED(&sp, XA({ 0x10000, 0x10000, 5 }, { 0x30000, 0xd0000, 4 }));
	/* remove B: both holes merge into C's */
	vgtb_space_remove(&sp, at(&sp, 0x20000));
	CHECK_AGED(&sp, XA({ 0x10000, 0xf0000, 6 }));
	/* a node ending exactly at a hole's end: only the part below */
	vgtb_space_reserve(&sp, 0xf0000, 0x10000, 0, 0, NULL);
	CHECK_AGED(&sp, XA({ 0x10000, 0xe0000, 7 }));
	vgtb_space_remove(&sp, at(&sp, 0xf0000));
	vgtb_space_remove(&sp, at(&sp, 0));
	CHECK_AGED(&sp, XA({ 0, G, 9 }));
	/* failures change nothing */
	CHECK_INT(vgtb_space_reserve(&sp, 0, 0, 0, 0, NULL), -28);
	CHECK_U64(ins(&sp, G + 1, 0, 0, 0, G + 1, BEST, false, &err), UINT64_MAX);
	CHECK_AGED(&sp, XA({ 0, G, 9 }));
	CHECK_SANE(&sp);
}

/*
 * Four one-page nodes at 0x1000, 0x4000, 0x7000, 0xb000, reserved in that
 * order, leave holes (start, size, age):
 *   [0x0000 0x1000 2] [0x2000 0x2000 4] [0x5000 0x2000 6] [0x8000 0x3000 8]
 *   [0xc000 0xf4000 9]
 */
static void four(struct vgtb_space *sp)
{
	vgtb_space_init(sp, store, 16, G, false);
	vgtb_space_reserve(sp, 0x1000, 0x1000, 0, 0, NULL);
	vgtb_space_reserve(sp, 0x4000, 0x1000, 0, 0, NULL);
	vgtb_space_reserve(sp, 0x7000, 0x1000, 0, 0, NULL);
	vgtb_space_reserve(sp, 0xb000, 0x1000, 0, 0, NULL);
}

static void best(void)
{
	struct vgtb_space sp;
	int err;

	four(&sp);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x2000, 0x2000, 4 }, { 0x5000, 0x2000, 6 }, { 0x8000, 0x3000, 8 },
			   { 0xc000, 0xf4000, 9 }));
	/* two smallest fits of 0x2000: the newer one (6) though higher */
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, G, BEST, false, &err), 0x5000);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x2000, 0x2000, 4 }, { 0x6800, 0x800, 10 }, { 0x8000, 0x3000, 8 },
			   { 0xc000, 0xf4000, 9 }));
	/* then the older one */
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, G, BEST, false, &err), 0x2000);
	/* then the next size up, 0x3000, leaving exactly 0x1800 */
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, G, BEST, false, &err), 0x8000);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x3800, 0x800, 11 }, { 0x6800, 0x800, 10 }, { 0x9800, 0x1800, 12 },
			   { 0xc000, 0xf4000, 9 }));
	/* which is now the smallest fit, filled exactly */
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, G, BEST, false, &err), 0x9800);
	CHECK_U64(sp.age_clock, 12);
	CHECK_SANE(&sp);

	/* a range: the best hole (6) starts at range_end; BEST does not stop
	 * there as LOW would, and goes on to the older one */
	four(&sp);
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, 0x5000, BEST, false, &err), 0x2000);
	/* alignment 0x4000 rounds up out of both 0x2000 holes (0x5000 ->
	 * 0x8000, 0x2000 -> 0x4000); the 0x3000 hole starts aligned */
	four(&sp);
	CHECK_U64(ins(&sp, 0x1000, 0x4000, 0, 0x1000, G, BEST, false, &err), 0x8000);
	/* ONCE: only the best hole, which the range empties */
	four(&sp);
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, 0x5000, BEST, true, &err), UINT64_MAX);
	CHECK_INT(err, -28);
	CHECK_U64(ins(&sp, 0x1800, 0, 0, 0, G, BEST, true, &err), 0x5000);
	/* larger than every hole */
	CHECK_U64(ins(&sp, 0xf5000, 0, 0, 0, G, BEST, false, &err), UINT64_MAX);
	CHECK_INT(err, -28);
	CHECK_SANE(&sp);
}

static void evict_order(void)
{
	struct vgtb_space sp;
	int err;

	four(&sp);
	/* the newest hole is the top one (9) */
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0, G, EVICT, false, &err), 0xc000);
	/* its remainder above is newer still (10) */
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0, G, EVICT, false, &err), 0xd000);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x2000, 0x2000, 4 }, { 0x5000, 0x2000, 6 }, { 0x8000, 0x3000, 8 },
			   { 0xe000, 0xf2000, 11 }));
	/* freeing 0x4000 merges [0x2000, 0x7000) as the newest (12) */
	vgtb_space_remove(&sp, at(&sp, 0x4000));
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0, G, EVICT, false, &err), 0x2000);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x3000, 0x4000, 13 }, { 0x8000, 0x3000, 8 }, { 0xe000, 0xf2000, 11 }));
	/* too big for the top (13): down the stack to 11, past 8 and 2 */
	CHECK_U64(ins(&sp, 0x5000, 0, 0, 0, G, EVICT, false, &err), 0xe000);
	/* ONCE takes the top, 14 = [0x13000, G) */
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0, G, EVICT, true, &err), 0x13000);
	/* freeing 0xc000 makes the one-page [0xc000, 0xd000) the top (16) */
	vgtb_space_remove(&sp, at(&sp, 0xc000));
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x3000, 0x4000, 13 }, { 0x8000, 0x3000, 8 }, { 0xc000, 0x1000, 16 },
			   { 0x14000, 0xec000, 15 }));
	/* ONCE: the top is too small, nothing else is tried */
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0, G, EVICT, true, &err), UINT64_MAX);
	CHECK_INT(err, -28);
	CHECK_U64(sp.age_clock, 16);
	/* without ONCE: 16 fails, 15 takes it */
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0, G, EVICT, false, &err), 0x14000);
	/* EVICT never stops early: the range lies below the top holes */
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0, 0x2000, EVICT, false, &err), 0x0);
	CHECK_SANE(&sp);
}

static void once_low_high(void)
{
	struct vgtb_space sp;
	int err;

	four(&sp);
	/* LOW: the lowest large-enough hole ending after 0x2800 is
	 * [0x2000, 0x4000); clipped it holds 0x1800 only */
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0x2800, G, LOW, true, &err), UINT64_MAX);
	CHECK_INT(err, -28);
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0x2800, G, LOW, false, &err), 0x5000);
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0x2800, G, LOW, true, &err), 0x2800);
	/* the one-page hole at 0 is too small to be the candidate */
	four(&sp);
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0, G, LOW, true, &err), 0x2000);
	/* HIGH: the highest large-enough hole starting before 0x6800 is
	 * [0x5000, 0x7000); clipped it holds 0x1800 only */
	four(&sp);
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0, 0x6800, HIGH, true, &err), UINT64_MAX);
	CHECK_U64(ins(&sp, 0x2000, 0, 0, 0, 0x6800, HIGH, false, &err), 0x2000);
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0, 0x6800, HIGH, true, &err), 0x5800);
	/* the candidate is the highest large-enough hole, the top one */
	four(&sp);
	CHECK_U64(ins(&sp, 0x1000, 0, 0, 0xc000, G, HIGH, true, &err), 0xff000);
	CHECK_SANE(&sp);
}

/*
 * evict_for removes its victims one at a time, highest first. Colour policy:
 * V1 [0x3000, 0x3400), H [0x3800, 0x4000), V2 [0x4400, 0x4800), all colour
 * 3. For [0x4000, 0x5000) colour 3 the examined range is [0x3000, 0x6000);
 * H only touches the target and stays, so the victims form two runs.
 */
static void evict_for_ages(void)
{
	struct vgtb_space sp;
	struct vgtb_evict_log log = { logged, 8, 0 };

	vgtb_space_init(&sp, store, 16, G, true);
	vgtb_space_set_evict_log(&sp, &log);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x400, 3, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3800, 0x800, 3, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4400, 0x400, 3, 0, NULL), 0);
	CHECK_AGED(&sp, XA({ 0x0, 0x3000, 2 }, { 0x3400, 0x400, 4 }, { 0x4000, 0x400, 6 }, { 0x4800, 0xfb800, 7 }));
	CHECK_INT(vgtb_space_evict_for(&sp, 0x4000, 0x1000, 3), 0);
	/* V2 first: H's hole is re-added (8); then V1: the hole at 0 (9) */
	CHECK_AGED(&sp, XA({ 0x0, 0x3800, 9 }, { 0x4000, 0xfc000, 8 }));
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x4400);
	CHECK_U64(logged[1].start, 0x3000);

	/* now the target fits at once; it starts where H's hole starts, so
	 * H keeps none */
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, VGTB_RESERVE_EVICT, NULL), 0);
	CHECK_AGED(&sp, XA({ 0x0, 0x3800, 9 }, { 0x5000, 0xfb000, 10 }));
	CHECK_SANE(&sp);

	/* one run: X, Y evicted for [0x3000, 0x6000), then reserved */
	vgtb_space_init(&sp, store, 16, G, false);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 1, 0, NULL);
	vgtb_space_reserve(&sp, 0x5000, 0x1000, 2, 0, NULL);
	CHECK_AGED(&sp, XA({ 0x0, 0x3000, 2 }, { 0x4000, 0x1000, 4 }, { 0x6000, 0xfa000, 5 }));
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, U, VGTB_RESERVE_EVICT, NULL), 0);
	/* Y goes first: X's hole is re-added (6); then X: the hole at 0 (7);
	 * the reserve adds 8 (below it) and 9 (above it) */
	CHECK_AGED(&sp, XA({ 0x0, 0x3000, 8 }, { 0x6000, 0xfa000, 9 }));
	CHECK_SANE(&sp);
}

/* ---- the eviction scan ------------------------------------------------ */

static int scan(struct vgtb_space *sp, uint64_t size, uint64_t align, vgtb_color color, enum vgtb_insert_mode mode,
		const vgtb_handle *lru, size_t n)
{
	struct vgtb_insert_req r = {
		.size = size,
		.alignment = align,
		.color = color,
		.range_start = 0,
		.range_end = sp->total,
		.mode = mode,
	};

	return vgtb_space_evict_scan(sp, &r, lru, n);
}

/*
 * S = 64 KiB filled by n0..n6, colour 0, no policy:
 *   n0 [0x0000, 0x2000) n1 [0x2000, 0x4000) n2 [0x4000, 0x6000)
 *   n3 [0x6000, 0x8000) n4 [0x8000, 0xa000) n5 [0xa000, 0xc000)
 *   n6 [0xc000, 0x10000)
 * Ages: n0..n5 took 2..7 as each was reserved, each lost it to the next;
 * n6 ends at S. So there is no hole and the clock is at 7.
 */
static void seven(struct vgtb_space *sp, struct vgtb_evict_log *log, vgtb_handle *n, unsigned pinned_mask)
{
	static const uint64_t starts[7] = { 0x0, 0x2000, 0x4000, 0x6000, 0x8000, 0xa000, 0xc000 };

	vgtb_space_init(sp, store, 16, S, false);
	log->entries = logged;
	log->capacity = 8;
	log->count = 0;
	vgtb_space_set_evict_log(sp, log);
	for (unsigned i = 0; i < 7; i++)
		vgtb_space_reserve(sp, starts[i], i == 6 ? 0x4000 : 0x2000, 0, pinned_mask >> i & 1 ? PIN : 0, &n[i]);
}

static void scan_plain(void)
{
	struct vgtb_space sp;
	struct vgtb_evict_log log;
	vgtb_handle n[7];
	int err;

	/* LOW: n3 alone [0x6000, 0x8000) and n1 alone are too small; n2
	 * spans n1..n3: [0x2000, 0x8000), hit [0x2000, 0x6000). n3 does not
	 * overlap and stays; n2 goes before n1 (reverse of the scan). */
	seven(&sp, &log, n, 0);
	CHECK_U64(sp.age_clock, 7);
	CHECK_INT(scan(&sp, 0x4000, 0, 0, LOW, (const vgtb_handle[]){ n[3], n[1], n[2], n[5] }, 4), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_U64(logged[1].start, 0x2000);
	/* n2 out: n1 gets [0x4000, 0x6000) (8); n1 out: n0 gets both (9) */
	CHECK_AGED(&sp, XA({ 0x2000, 0x4000, 9 }));
	CHECK_U64(ins(&sp, 0x4000, 0, 0, 0, S, EVICT, false, &err), 0x2000);
	CHECK_SANE(&sp);

	/* HIGH: the same scan hole, hit [0x4000, 0x8000): n2 then n3 go,
	 * n1 stays; n1 ends up owning the merged hole (8, then 9) */
	seven(&sp, &log, n, 0);
	CHECK_INT(scan(&sp, 0x4000, 0, 0, HIGH, (const vgtb_handle[]){ n[3], n[1], n[2] }, 3), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_U64(logged[1].start, 0x6000);
	CHECK_AGED(&sp, XA({ 0x4000, 0x4000, 9 }));

	/* alignment, rounding up: n1's hole [0x2000, 0x4000) rounds to
	 * 0x4000 and fails; with n2, [0x2000, 0x6000) gives hit
	 * [0x4000, 0x6000), so n1 stays and only n2 goes */
	seven(&sp, &log, n, 0);
	CHECK_INT(scan(&sp, 0x2000, 0x4000, 0, BEST, (const vgtb_handle[]){ n[1], n[2] }, 2), 0);
	CHECK_U64(log.count, 1);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_AGED(&sp, XA({ 0x4000, 0x2000, 8 }));

	/* alignment, rounding down (HIGH, 0x5000, not a power of two): n3's
	 * hole gives 0x6000 -> 0x5000, below the hole; with n2,
	 * [0x4000, 0x8000) gives 0x6000 -> 0x5000, hit [0x5000, 0x7000) */
	seven(&sp, &log, n, 0);
	CHECK_INT(scan(&sp, 0x2000, 0x5000, 0, HIGH, (const vgtb_handle[]){ n[3], n[2] }, 2), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_U64(logged[1].start, 0x6000);

	/* nothing found: everything stays as it was */
	seven(&sp, &log, n, 0);
	CHECK_INT(scan(&sp, 0x4000, 0, 0, LOW, (const vgtb_handle[]){ n[1], n[3], n[5] }, 3), -28);
	CHECK_U64(vgtb_space_count(&sp), 7);
	CHECK_U64(log.count, 0);
	CHECK_U64(sp.age_clock, 7);
	CHECK_SANE(&sp); /* no node left marked */

	/* pinned n2 is skipped: its neighbours' holes stay one node wide */
	seven(&sp, &log, n, 1u << 2);
	CHECK_INT(scan(&sp, 0x4000, 0, 0, LOW, (const vgtb_handle[]){ n[1], n[2], n[3] }, 3), -28);
	CHECK_U64(vgtb_space_count(&sp), 7);
	CHECK_U64(log.count, 0);
	/* ... unless the two nodes on one side suffice */
	CHECK_INT(scan(&sp, 0x4000, 0, 0, LOW, (const vgtb_handle[]){ n[1], n[2], n[3], n[4] }, 4), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x8000);
	CHECK_U64(logged[1].start, 0x6000);
	CHECK_SANE(&sp);

	/* bad calls change nothing */
	seven(&sp, &log, n, 0);
	CHECK_INT(scan(&sp, 0x2000, 0, 0, LOW, (const vgtb_handle[]){ n[1], 999 }, 2), -2);
	CHECK_INT(scan(&sp, 0x2000, 0, 0, LOW, (const vgtb_handle[]){ n[1], n[1] }, 2), -22);
	CHECK_INT(scan(&sp, 0, 0, 0, LOW, (const vgtb_handle[]){ n[1] }, 1), -28);
	CHECK_INT(scan(&sp, 0x2000, 0, 0, (enum vgtb_insert_mode)4, (const vgtb_handle[]){ n[1] }, 1), -22);
	CHECK_INT(scan(&sp, 0x2000, 0, 0, LOW, NULL, 1), -22);
	CHECK_INT(vgtb_space_evict_scan(&sp, NULL, n, 1), -22);
	CHECK_INT(vgtb_space_evict_scan(NULL, NULL, NULL, 0), -22);
	/* an empty list finds nothing */
	CHECK_INT(scan(&sp, 0x2000, 0, 0, LOW, NULL, 0), -28);
	CHECK_U64(vgtb_space_count(&sp), 7);
	CHECK_U64(log.count, 0);
	CHECK_SANE(&sp);
}

/*
 * Colour policy, request colour 2, size 0x2000. A scanned node that does
 * not overlap the hit stays at first, then goes for the guard page.
 */
static void scan_colour(void)
{
	struct vgtb_space sp;
	struct vgtb_evict_log log = { logged, 8, 0 };
	vgtb_handle p, q, r, s, u, w;
	int err;

	/*
	 * Below: p [0, 0x3000) q [0x3000, 0x4000) r [0x4000, 0x6000) colour
	 * 1, s [0x7000, 0x8000) colour 2. Ages: p 2, q 3, r 4 (each lost to
	 * the next), then s splits r's: r 5, s 6.
	 * Scan q: [0x3000, 0x4000) guarded on both sides, empty. Scan r:
	 * [0x3000, 0x7000), p's guard -> [0x4000, 0x7000), hit
	 * [0x4000, 0x6000). r goes (q gets [0x4000, 0x7000), 7); q sits in
	 * the guard page below the hit and goes too (p gets 8).
	 */
	vgtb_space_init(&sp, store, 16, S, true);
	vgtb_space_set_evict_log(&sp, &log);
	vgtb_space_reserve(&sp, 0x0, 0x3000, 1, 0, &p);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 1, 0, &q);
	vgtb_space_reserve(&sp, 0x4000, 0x2000, 1, 0, &r);
	CHECK_INT(vgtb_space_reserve(&sp, 0x7000, 0x1000, 2, 0, &s), 0);
	CHECK_AGED(&sp, XA({ 0x6000, 0x1000, 5 }, { 0x8000, 0x8000, 6 }));
	CHECK_INT(scan(&sp, 0x2000, 0, 2, LOW, (const vgtb_handle[]){ q, r }, 2), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_U64(logged[1].start, 0x3000);
	CHECK_AGED(&sp, XA({ 0x3000, 0x4000, 8 }, { 0x8000, 0x8000, 6 }));
	/* the insert that follows takes the newest hole, guard kept */
	CHECK_U64(ins(&sp, 0x2000, 0, 2, 0, S, EVICT, false, &err), 0x4000);
	CHECK_SANE(&sp);

	/*
	 * Above: s [0x1000, 0x2000) colour 2; r [0x3000, 0x5000),
	 * q [0x5000, 0x6000), p [0x6000, 0x9000) colour 1. Ages: head 2,
	 * s 3; r splits s's: s 4, r 5; q: r 0, q 6; p: q 0, p 7.
	 * HIGH. Scan q: empty. Scan r: [0x2000, 0x6000), s needs no guard,
	 * p's guard -> [0x2000, 0x5000), hit [0x3000, 0x5000). r goes (s 8);
	 * q sits in the guard page above and goes (s 9).
	 */
	vgtb_space_init(&sp, store, 16, S, true);
	log.count = 0;
	vgtb_space_set_evict_log(&sp, &log);
	vgtb_space_reserve(&sp, 0x1000, 0x1000, 2, 0, &s);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x2000, 1, 0, &r), 0);
	vgtb_space_reserve(&sp, 0x5000, 0x1000, 1, 0, &q);
	vgtb_space_reserve(&sp, 0x6000, 0x3000, 1, 0, &p);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x2000, 0x1000, 4 }, { 0x9000, 0x7000, 7 }));
	CHECK_INT(scan(&sp, 0x2000, 0, 2, HIGH, (const vgtb_handle[]){ q, r }, 2), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x3000);
	CHECK_U64(logged[1].start, 0x5000);
	CHECK_AGED(&sp, XA({ 0x0, 0x1000, 2 }, { 0x2000, 0x4000, 9 }, { 0x9000, 0x7000, 7 }));
	/* EVICT rounds up, so the node goes to the bottom of that hole, not
	 * where the scan's HIGH hit was */
	CHECK_U64(ins(&sp, 0x2000, 0, 2, 0, S, EVICT, false, &err), 0x2000);
	CHECK_SANE(&sp);

	/*
	 * Both sides: p [0, 0x3000), q [0x3000, 0x4000), r [0x4000, 0x6000),
	 * u [0x6000, 0x7000), w [0x7000, 0x9000), all colour 1; ages p..u
	 * lose theirs, w 6. Scan q, u (each guarded to nothing), then r:
	 * [0x3000, 0x7000) -> [0x4000, 0x6000), exactly the size. r goes
	 * (q 7), then q below (p 8), then u above (p 9); w is a page away.
	 */
	vgtb_space_init(&sp, store, 16, S, true);
	log.count = 0;
	vgtb_space_set_evict_log(&sp, &log);
	vgtb_space_reserve(&sp, 0x0, 0x3000, 1, 0, &p);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 1, 0, &q);
	vgtb_space_reserve(&sp, 0x4000, 0x2000, 1, 0, &r);
	vgtb_space_reserve(&sp, 0x6000, 0x1000, 1, 0, &u);
	vgtb_space_reserve(&sp, 0x7000, 0x2000, 1, 0, &w);
	CHECK_AGED(&sp, XA({ 0x9000, 0x7000, 6 }));
	CHECK_INT(scan(&sp, 0x2000, 0, 2, BEST, (const vgtb_handle[]){ q, u, r, w }, 4), 0);
	CHECK_U64(log.count, 3);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_U64(logged[1].start, 0x3000);
	CHECK_U64(logged[2].start, 0x6000);
	CHECK_AGED(&sp, XA({ 0x3000, 0x4000, 9 }, { 0x9000, 0x7000, 6 }));
	CHECK_SANE(&sp);

	/*
	 * A colour -1 node is never scanned: with a balloon in place of q,
	 * r's hole is [0x4000, 0x6000), guarded on both sides to nothing;
	 * nothing is evicted.
	 */
	vgtb_space_init(&sp, store, 16, S, true);
	log.count = 0;
	vgtb_space_set_evict_log(&sp, &log);
	vgtb_space_reserve(&sp, 0x0, 0x4000, U, 0, &q);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5000, 0x1000, 1, 0, &r), 0);
	vgtb_space_reserve(&sp, 0x6000, 0x1000, 1, 0, &u);
	CHECK_INT(scan(&sp, 0x2000, 0, 2, LOW, (const vgtb_handle[]){ q, r }, 2), -28);
	CHECK_U64(log.count, 0);
	/* with u scanned as well: [0x4000, 0x10000) less a page at each end,
	 * hit [0x5000, 0x7000): u, then r */
	CHECK_INT(scan(&sp, 0x2000, 0, 2, LOW, (const vgtb_handle[]){ q, r, u }, 3), 0);
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x6000);
	CHECK_U64(logged[1].start, 0x5000);
	CHECK_NODES(&sp, XN({ 0x0, 0x4000, U }));
	CHECK_SANE(&sp);
}

/*
 * Unaligned nodes with the colour policy, where the kernel's guard-page end
 * wraps below 0 (see "Known differences"): BEST and EVICT reach the wrapped
 * hole in their fixed order, so -EOVERFLOW there is certain corruption.
 */
static void wrapped(void)
{
	struct vgtb_space sp;
	struct vgtb_evict_log log = { logged, 8, 0 };
	vgtb_handle a = 0, b = 0;
	int err;

	/* [0x64, 0x1000) colour 5, then [0, 0xa) colour 3: the hole
	 * [0xa, 0x64) is the smallest fit of 0x32 and the newest (4) */
	vgtb_space_init(&sp, store, 16, G, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0x64, 0xf9c, 5, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0xa, 3, 0, NULL), 0);
	CHECK_AGED(&sp, XA({ 0xa, 0x5a, 4 }, { 0x1000, 0xff000, 3 }));
	CHECK_U64(ins(&sp, 0x32, 0, 7, 0, 0x2000, BEST, false, &err), UINT64_MAX);
	CHECK_INT(err, -75);
	CHECK_U64(ins(&sp, 0x32, 0, 7, 0, 0x2000, EVICT, false, &err), UINT64_MAX);
	CHECK_INT(err, -75);
	/* colour 5: no wrap; the small hole is guarded shut below */
	CHECK_U64(ins(&sp, 0x32, 0, 5, 0, 0x2000, BEST, false, &err), 0x1000);
	CHECK_U64(vgtb_space_count(&sp), 3);

	/* the scan: A [0, 0x10) and B [0x800, 0x1800), colour 1. Scanning A
	 * opens [0, 0x800), whose end wraps for colour 2: 0x900 "fits" */
	vgtb_space_init(&sp, store, 16, S, true);
	vgtb_space_set_evict_log(&sp, &log);
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0x10, 1, 0, &a), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x800, 0x1000, 1, 0, &b), 0);
	CHECK_INT(scan(&sp, 0x900, 0, 2, LOW, (const vgtb_handle[]){ a }, 1), -75);
	CHECK_U64(vgtb_space_count(&sp), 2);
	CHECK_U64(log.count, 0);
	/* 0x800 really fits there: A goes, nothing else */
	CHECK_INT(scan(&sp, 0x800, 0, 2, LOW, (const vgtb_handle[]){ a }, 1), 0);
	CHECK_NODES(&sp, XN({ 0x800, 0x1000, 1 }));
	CHECK_SANE(&sp);
}

/* The self-check knows the age rules. */
static void check_ages(void)
{
	struct vgtb_space sp;
	const char *why = NULL;

	four(&sp);
	CHECK_SANE(&sp);
	store[0].hole_age = 0; /* node 0x1000 has a hole above it */
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	four(&sp);
	store[1].hole_age = store[0].hole_age;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	four(&sp);
	store[2].hole_age = sp.age_clock + 1;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	four(&sp);
	store[3].scanned = true;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	four(&sp);
	sp.head_hole_age = 0; /* [0, 0x1000) is a hole */
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	/* a node flush against the next one must not claim a hole */
	vgtb_space_init(&sp, store, 16, G, false);
	vgtb_space_reserve(&sp, 0x0, 0x1000, 0, 0, NULL);
	vgtb_space_reserve(&sp, 0x1000, 0x1000, 0, 0, NULL);
	CHECK_SANE(&sp);
	store[0].hole_age = 1;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
}

void test_policy(void)
{
	check_ages();
	ages_basic();
	best();
	evict_order();
	once_low_high();
	evict_for_ages();
	scan_plain();
	scan_colour();
	wrapped();
}
