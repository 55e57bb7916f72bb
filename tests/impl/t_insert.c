/* Insertion by search: LOW/HIGH, ranges, alignment, colour policy. */
#include "check.h"

#define G UINT64_C(0x100000)
#define U VGTB_COLOR_UNEVICTABLE
#define LOW VGTB_INSERT_LOW
#define HIGH VGTB_INSERT_HIGH

static struct vgtb_node store[16];

/* Insert, return the error, report where it went (or ~0). */
static int ins(struct vgtb_space *sp, uint64_t size, uint64_t align, vgtb_color color, uint64_t rs, uint64_t re,
	       enum vgtb_insert_mode mode, uint64_t *at)
{
	struct vgtb_insert_req r = {
		.size = size,
		.alignment = align,
		.color = color,
		.range_start = rs,
		.range_end = re,
		.mode = mode,
	};
	vgtb_handle h = 0;
	int err = vgtb_space_insert(sp, &r, &h);

	*at = err ? UINT64_MAX : vgtb_space_find(sp, h)->start;
	return err;
}

/* Remove the node starting at `start`. */
static void drop_at(struct vgtb_space *sp, uint64_t start)
{
	for (size_t i = 0; i < vgtb_space_count(sp); i++)
		if (vgtb_space_node(sp, i)->start == start) {
			vgtb_space_remove(sp, vgtb_space_node(sp, i)->handle);
			return;
		}
}

#define TRY(sp, size, align, color, rs, re, mode, want)                                      \
	do {                                                                                 \
		uint64_t at_;                                                                \
		CHECK_INT(ins((sp), (size), (align), (color), (rs), (re), (mode), &at_), 0); \
		CHECK_U64(at_, (want));                                                      \
		drop_at((sp), at_);                                                          \
	} while (0)

static void plain(void)
{
	struct vgtb_space sp;
	uint64_t at;

	vgtb_space_init(&sp, store, 16, G, false);
	vgtb_space_reserve(&sp, 0x10000, 0x10000, 0, 0, NULL); /* A */

	TRY(&sp, 0x1000, 0, 0, 0, G, LOW, 0x0);
	TRY(&sp, 0x1000, 0, 0, 0, G, HIGH, 0xff000);
	/* range start inside the upper hole, rounded up to 0x8000 */
	TRY(&sp, 0x1000, 0x8000, 0, 0x21000, G, LOW, 0x28000);
	/* HIGH: top of the range 0xf8800 - size, rounded down to 64 KiB */
	TRY(&sp, 0x1000, 0x10000, 0, 0x0, 0xf8800, HIGH, 0xf0000);
	/* alignment that is not a power of two: 0x20000 -> 0x21000 */
	TRY(&sp, 0x1000, 0x3000, 0, 0x20000, G, LOW, 0x21000);
	/* alignment 1 means none */
	TRY(&sp, 0x1000, 1, 0, 0x20001, G, LOW, 0x20001);
	/* rounding up leaves the lower hole: the next hole wins */
	TRY(&sp, 0x1000, 0x10000, 0, 0x1000, G, LOW, 0x20000);
	/* HIGH walks down past the upper hole to the lower one */
	TRY(&sp, 0x1000, 0, 0, 0x0, 0x10000, HIGH, 0xf000);
	/* an exact fit of the upper hole, skipping the smaller lower one */
	TRY(&sp, 0xe0000, 0, 0, 0x0, G, LOW, 0x20000);
	TRY(&sp, 0xe0000, 0, 0, 0x0, G, HIGH, 0x20000);
	CHECK_NODES(&sp, XN({ 0x10000, 0x10000, 0 }));

	/* no room: range straddling A, too big, zero, range too short */
	CHECK_INT(ins(&sp, 0x2000, 0, 0, 0xf000, 0x11000, LOW, &at), -28);
	CHECK_INT(ins(&sp, 0x2000, 0, 0, 0xf000, 0x11000, HIGH, &at), -28);
	CHECK_INT(ins(&sp, 0xe1000, 0, 0, 0x0, G, LOW, &at), -28);
	CHECK_INT(ins(&sp, 0, 0, 0, 0x0, G, LOW, &at), -28);
	CHECK_INT(ins(&sp, 0x1000, 0, 0, 0x0, 0x800, LOW, &at), -28);
	/* alignment pushes it out of every hole */
	CHECK_INT(ins(&sp, 0x1000, 0x100000, 0, 0x1000, G, LOW, &at), -28);
	/* bad calls */
	CHECK_INT(ins(&sp, 0x1000, 0, 0, 0x2000, 0x1000, LOW, &at), -22);
	CHECK_INT(ins(&sp, 0x1000, 0, 0, 0x0, G, (enum vgtb_insert_mode)4, &at), -22);
	CHECK_INT(vgtb_space_insert(&sp, NULL, NULL), -22);
	CHECK_INT(vgtb_space_insert(NULL, NULL, NULL), -22);
	CHECK_NODES(&sp, XN({ 0x10000, 0x10000, 0 }));
	CHECK_SANE(&sp);

	/* out of storage */
	{
		struct vgtb_node one[1];
		struct vgtb_space s1;

		vgtb_space_init(&s1, one, 1, G, false);
		CHECK_INT(ins(&s1, 0x1000, 0, 0, 0, G, LOW, &at), 0);
		CHECK_INT(ins(&s1, 0x1000, 0, 0, 0, G, LOW, &at), -12);
	}
}

/* Colour policy: A = [0x10000, 0x20000) colour 1. */
static void coloured(void)
{
	struct vgtb_space sp;
	uint64_t at;

	vgtb_space_init(&sp, store, 16, G, true);
	vgtb_space_reserve(&sp, 0x10000, 0x10000, 1, 0, NULL);

	/* another colour: a guard page above A */
	TRY(&sp, 0x1000, 0, 2, 0x10000, G, LOW, 0x21000);
	/* same colour: flush against A */
	TRY(&sp, 0x1000, 0, 1, 0x10000, G, LOW, 0x20000);
	/* below A with another colour: a guard page below A */
	TRY(&sp, 0x1000, 0, 2, 0x0, 0x10000, HIGH, 0xe000);
	/* HIGH: only colour -1 may touch the end of the GGTT */
	TRY(&sp, 0x1000, 0, 1, 0x0, G, HIGH, 0xfe000);
	TRY(&sp, 0x1000, 0, U, 0x0, G, HIGH, 0xff000);
	/* LOW from 0: nothing counts below address 0 */
	TRY(&sp, 0x1000, 0, 2, 0x0, G, LOW, 0x0);
	/* colour 2 exactly fitting a 3-page hole between two colour-1 nodes
	 * only has the middle page */
	vgtb_space_reserve(&sp, 0x23000, 0x1000, 1, 0, NULL);
	TRY(&sp, 0x1000, 0, 2, 0x20000, 0x23000, LOW, 0x21000);
	TRY(&sp, 0x1000, 0, 2, 0x20000, 0x23000, HIGH, 0x21000);
	CHECK_INT(ins(&sp, 0x2000, 0, 2, 0x20000, 0x23000, LOW, &at), -28);
	TRY(&sp, 0x3000, 0, 1, 0x20000, 0x23000, LOW, 0x20000);
	CHECK_NODES(&sp, XN({ 0x10000, 0x10000, 1 }, { 0x23000, 0x1000, 1 }));
	CHECK_SANE(&sp);
}

/* Unaligned nodes whose guard-page arithmetic wraps in the kernel. */
static void coloured_wrap(void)
{
	struct vgtb_space sp;
	uint64_t at;

	vgtb_space_init(&sp, store, 16, G, true);
	/* in this order: the second one relies on the wrap itself */
	CHECK_INT(vgtb_space_reserve(&sp, 0x64, 0xf9c, 5, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0xa, 3, 0, NULL), 0);
	/* hole [0xa, 0x64): start +4096 past it, end wrapped: the kernel
	 * would place at 0x100a, over the colour-5 node */
	CHECK_INT(ins(&sp, 0x32, 0, 7, 0x0, 0x2000, LOW, &at), -75);
	CHECK_NODES(&sp, XN({ 0x0, 0xa, 3 }, { 0x64, 0xf9c, 5 }));
	/* colour 5: no wrap, the hole is unusable, the next one is taken */
	TRY(&sp, 0x32, 0, 5, 0x0, 0x2000, LOW, 0x1000);

	/* a hole smaller than the request, [0, 0x740), whose end wraps: the
	 * kernel (seen with 6.12's drm_mm) may try it and place [0, 0xf54)
	 * over the node at 0x740 */
	vgtb_space_init(&sp, store, 16, 0x3000, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0x740, 0x18ba, 1, 0, NULL), 0);
	CHECK_INT(ins(&sp, 0xf54, 0, 0, 0x0, 0x3000, LOW, &at), -75);
	/* larger than every hole: the kernel fails before looking at any */
	CHECK_INT(ins(&sp, 0x1100, 0, 0, 0x0, 0x3000, LOW, &at), -28);
	/* the same request of colour 1 has no wrap and no room: the hole
	 * above, [0x1ffa, 0x3000), loses a page to the end of the GGTT */
	CHECK_INT(ins(&sp, 0xf54, 0, 1, 0x0, 0x3000, LOW, &at), -28);
	CHECK_NODES(&sp, XN({ 0x740, 0x18ba, 1 }));

	/* LOW|ONCE: the lowest hole large enough is [0x1ffa, 0x3000) and
	 * this model's ONCE rule would try only that one, but the kernel's
	 * descent may stop at the small hole [0, 0x740), whose end wraps
	 * (found by the fuzzer, reports/findings.md §4): refused too */
	{
		struct vgtb_insert_req r = {
			.size = 0x800,
			.color = 0,
			.range_start = 0,
			.range_end = 0x3000,
			.mode = LOW,
			.once = true,
		};

		CHECK_INT(vgtb_space_insert(&sp, &r, NULL), -75);
		/* the same from 0x1000 on: the small hole is out of range */
		r.range_start = 0x1000;
		CHECK_INT(vgtb_space_insert(&sp, &r, NULL), -28);
		CHECK_NODES(&sp, XN({ 0x740, 0x18ba, 1 }));
	}

	/* no node below: the wrapped end is harmless, the node fits */
	vgtb_space_init(&sp, store, 16, G, true);
	vgtb_space_reserve(&sp, 0x64, 0xf9c, 5, 0, NULL);
	TRY(&sp, 0x32, 0, 7, 0x0, 0x2000, LOW, 0x0);
	CHECK_SANE(&sp);
}

void test_insert(void)
{
	plain();
	coloured();
	coloured_wrap();
}
