/* Address space: reserve, remove, iterate, self-check, colour policy. */
#include "check.h"

#define G UINT64_C(0x100000)
#define U VGTB_COLOR_UNEVICTABLE

static struct vgtb_node store[16];

static void init_and_bad_calls(void)
{
	struct vgtb_space sp;

	CHECK_INT(vgtb_space_init(NULL, store, 16, G, false), -22);
	CHECK_INT(vgtb_space_init(&sp, NULL, 16, G, false), -22);
	CHECK_INT(vgtb_space_init(&sp, store, 16, 0, false), -22);
	CHECK_INT(vgtb_space_init(&sp, store, 16, UINT64_C(0x4000000000000001), false), -22);
	CHECK_INT(vgtb_space_init(&sp, store, 16, UINT64_C(0x4000000000000000), false), 0);
	CHECK_INT(vgtb_space_init(&sp, NULL, 0, G, false), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0, 0x1000, 0, 0, NULL), -12);
	CHECK_SANE(&sp);

	CHECK_INT(vgtb_space_init(&sp, store, 16, G, false), 0);
	CHECK_U64(vgtb_space_count(&sp), 0);
	CHECK_HOLES(&sp, XH({ 0, G }));
	CHECK_INT(vgtb_space_reserve(NULL, 0, 0x1000, 0, 0, NULL), -22);
	CHECK_INT(vgtb_space_remove(NULL, 1), -22);
	CHECK_INT(vgtb_space_remove(&sp, 0), -2);
	CHECK_INT(vgtb_space_remove(&sp, 1), -2);
	CHECK(vgtb_space_find(&sp, 0) == NULL);
	CHECK(vgtb_space_find(NULL, 1) == NULL);
	CHECK(vgtb_space_node(&sp, 0) == NULL);
	CHECK(vgtb_space_node(NULL, 0) == NULL);
	CHECK_U64(vgtb_space_count(NULL), 0);
	CHECK_U64(vgtb_space_hole_count(NULL), 0);
	CHECK_INT(vgtb_space_check(NULL, NULL), -1);
	CHECK_INT(vgtb_space_evict_for(NULL, 0, 1, 0), -22);
}

static void reserve_basics(void)
{
	struct vgtb_space sp;
	vgtb_handle a = 0, b = 0, c = 0, d = 0;

	vgtb_space_init(&sp, store, 16, G, false);
	/* zero size, u64 wrap, beyond the end */
	CHECK_INT(vgtb_space_reserve(&sp, 0x1000, 0, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, UINT64_MAX - 0xfff, 0x1000, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x2000, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, G, 0x1000, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x200000, 0x1000, 0, 0, NULL), -28);
	CHECK_U64(vgtb_space_count(&sp), 0);

	/* the whole space, then nothing fits */
	CHECK_INT(vgtb_space_reserve(&sp, 0, G, 5, 0, &a), 0);
	CHECK_NODES(&sp, XN({ 0, G, 5 }));
	CHECK_U64(vgtb_space_hole_count(&sp), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x1000, 0x1000, 5, 0, NULL), -28);
	CHECK_INT(vgtb_space_remove(&sp, a), 0);
	CHECK_INT(vgtb_space_remove(&sp, a), -2);
	CHECK_HOLES(&sp, XH({ 0, G }));

	/* out-of-order reservations end up sorted; handles are stable */
	CHECK_INT(vgtb_space_reserve(&sp, 0x5000, 0x1000, 1, 0, &a), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x1000, 0x1000, 2, 0, &b), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x2000, 0x1000, 3, VGTB_NODE_PINNED, &c), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x1000, 4, 0, &d), 0);
	CHECK(a != 0 && b != 0 && c != 0 && d != 0);
	CHECK(a != b && b != c && c != d && a != c);
	CHECK_NODES(&sp,
		    XN({ 0x1000, 0x1000, 2 }, { 0x2000, 0x1000, 3 }, { 0x5000, 0x1000, 1 }, { 0xff000, 0x1000, 4 }));
	CHECK_HOLES(&sp, XH({ 0x0, 0x1000 }, { 0x3000, 0x2000 }, { 0x6000, 0xf9000 }));
	CHECK_U64(vgtb_space_hole_count(&sp), 3);
	CHECK(vgtb_space_find(&sp, c) && vgtb_space_find(&sp, c)->pinned);
	CHECK(vgtb_space_find(&sp, a) && !vgtb_space_find(&sp, a)->pinned);
	CHECK_U64(vgtb_space_find(&sp, a)->start, 0x5000);
	CHECK_SANE(&sp);
	{ /* the whole array at once: the same nodes as one by one */
		size_t n = 99;
		const struct vgtb_node *all = vgtb_space_nodes(&sp, &n);

		CHECK_U64(n, 4);
		for (size_t i = 0; i < n; i++)
			CHECK(all + i == vgtb_space_node(&sp, i));
		CHECK(vgtb_space_nodes(NULL, &n) == NULL && n == 0);
	}

	/* overlaps on each side, inside, and straddling are refused */
	CHECK_INT(vgtb_space_reserve(&sp, 0x4800, 0x1000, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5800, 0x1000, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5400, 0x100, 0, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x4000, 0, 0, NULL), -28);
	/* start exactly between two touching nodes */
	CHECK_INT(vgtb_space_reserve(&sp, 0x2000, 0x1000, 0, 0, NULL), -28);
	/* flush fits exactly */
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x2000, 7, 0, NULL), 0);
	CHECK_HOLES(&sp, XH({ 0x0, 0x1000 }, { 0x6000, 0xf9000 }));
	CHECK_SANE(&sp);

	/* removal in the middle keeps order */
	CHECK_INT(vgtb_space_remove(&sp, c), 0);
	CHECK_NODES(&sp,
		    XN({ 0x1000, 0x1000, 2 }, { 0x3000, 0x2000, 7 }, { 0x5000, 0x1000, 1 }, { 0xff000, 0x1000, 4 }));
	CHECK_HOLES(&sp, XH({ 0x0, 0x1000 }, { 0x2000, 0x1000 }, { 0x6000, 0xf9000 }));
	CHECK(vgtb_space_find(&sp, c) == NULL);
	CHECK_SANE(&sp);
}

static void capacity(void)
{
	struct vgtb_node two[2];
	struct vgtb_space sp;

	vgtb_space_init(&sp, two, 2, G, false);
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0x1000, 0, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x2000, 0x1000, 0, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 0, 0, NULL), -12);
	CHECK_U64(vgtb_space_count(&sp), 2);
	CHECK_SANE(&sp);
}

static void self_check_catches(void)
{
	struct vgtb_space sp;
	const char *why = NULL;

	vgtb_space_init(&sp, store, 16, G, false);
	vgtb_space_reserve(&sp, 0x1000, 0x1000, 0, 0, NULL);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 0, 0, NULL);
	CHECK_INT(vgtb_space_check(&sp, &why), 0);

	store[1].start = 0x1800; /* overlaps node 0 */
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	CHECK(why != NULL);
	store[1].start = 0x3000;
	store[1].size = 0;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	store[1].size = 0x1000;
	store[1].handle = store[0].handle;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	store[1].handle = 0;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	store[1].handle = 2;
	store[1].start = G;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	store[1].start = 0x3000;
	CHECK_INT(vgtb_space_check(&sp, NULL), 0);
	sp.count = 17;
	CHECK_INT(vgtb_space_check(&sp, &why), -1);
	sp.count = 2;
	CHECK_SANE(&sp);
}

/*
 * Colour policy, reserve side. Node A = [0x10000, 0x20000) colour 1; the
 * end of the space counts as a neighbour of colour -1.
 */
static void colour_reserve(void)
{
	struct vgtb_space sp;

	vgtb_space_init(&sp, store, 16, G, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0x10000, 0x10000, 1, 0, NULL), 0);

	/* flush above A with another colour: no guard page -> refused */
	CHECK_INT(vgtb_space_reserve(&sp, 0x20000, 0x1000, 2, 0, NULL), -28);
	/* one page above A: fits */
	CHECK_INT(vgtb_space_reserve(&sp, 0x21000, 0x1000, 2, 0, NULL), 0);
	/* flush above that one with its colour: fits */
	CHECK_INT(vgtb_space_reserve(&sp, 0x22000, 0x1000, 2, 0, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x10000, 0x10000, 1 }, { 0x21000, 0x1000, 2 }, { 0x22000, 0x1000, 2 }));

	/* flush below A with another colour: refused; a page lower: fits */
	CHECK_INT(vgtb_space_reserve(&sp, 0xf000, 0x1000, 2, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0xe000, 0x1000, 2, 0, NULL), 0);
	/* at address 0 nothing lies below, whatever the colour */
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0x1000, 9, 0, NULL), 0);
	/* flush above a colour-9 node with colour 2: refused */
	CHECK_INT(vgtb_space_reserve(&sp, 0x1000, 0x1000, 2, 0, NULL), -28);
	/* same colour as both sides of [0xf000, 0x10000)? No: below is 2, A
	 * is 1 -> a colour-1 node there needs a guard below, refused */
	CHECK_INT(vgtb_space_reserve(&sp, 0xf000, 0x1000, 1, 0, NULL), -28);

	/* the last page: only colour -1 may touch the end */
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x1000, 2, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0xfe000, 0x1000, 2, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x1000, 2, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x1000, U, 0, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x0, 0x1000, 9 }, { 0xe000, 0x1000, 2 }, { 0x10000, 0x10000, 1 }, { 0x21000, 0x1000, 2 },
			    { 0x22000, 0x1000, 2 }, { 0xfe000, 0x1000, 2 }));
	CHECK_SANE(&sp);

	/* In a fresh space colour -1 reaches the end; others stop a page short */
	vgtb_space_init(&sp, store, 16, G, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0xf0000, 0x10000, 3, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0xf0000, 0xf000, 3, 0, NULL), 0);
	vgtb_space_init(&sp, store, 16, G, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, G, U, 0, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x0, G, U }));

	/* Without the policy the same requests all fit flush. */
	vgtb_space_init(&sp, store, 16, G, false);
	CHECK_INT(vgtb_space_reserve(&sp, 0x10000, 0x10000, 1, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x20000, 0x1000, 2, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0xf000, 0x1000, 2, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x1000, 2, 0, NULL), 0);
	CHECK_U64(vgtb_space_count(&sp), 4);
}

/*
 * Unaligned nodes under the colour policy: a hole ending below 4 KiB next to
 * a node of another colour. The kernel's end - 4096 wraps to ~2^64.
 */
static void colour_wrap(void)
{
	struct vgtb_space sp;

	vgtb_space_init(&sp, store, 16, G, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0x64, 0xf9c, 5, 0, NULL), 0);
	/* hole [0, 0x64): a request that stays inside is accepted as the
	 * kernel accepts it */
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0x32, 7, 0, NULL), 0);
	/* next to it, colour -1 needs a guard page from the colour-7 node */
	CHECK_INT(vgtb_space_reserve(&sp, 0x32, 0x32, U, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x32, 0x32, 7, 0, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x0, 0x32, 7 }, { 0x32, 0x32, 7 }, { 0x64, 0xf9c, 5 }));

	vgtb_space_init(&sp, store, 16, G, true);
	CHECK_INT(vgtb_space_reserve(&sp, 0x64, 0xf9c, 5, 0, NULL), 0);
	/* [0, 0xc8) runs into the colour-5 node: the kernel's wrapped end
	 * lets it through; we refuse with -EOVERFLOW, nothing changes */
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0xc8, 7, 0, NULL), -75);
	/* start exactly at the hole's end counts as inside it (the kernel's
	 * lookup is inclusive there), so the wrapped end lets it through */
	CHECK_INT(vgtb_space_reserve(&sp, 0x64, 0x10, 7, 0, NULL), -75);
	/* start inside the node, the hole below it has a wrapped end */
	CHECK_INT(vgtb_space_reserve(&sp, 0x100, 0x10, 7, 0, NULL), -75);
	/* with the same colour as the node above, no wrap: plain refusal */
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0xc8, 5, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x100, 0x10, 5, 0, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x64, 0xf9c, 5 }));
	CHECK_SANE(&sp);

	/* without the policy there is no wrap */
	vgtb_space_init(&sp, store, 16, G, false);
	CHECK_INT(vgtb_space_reserve(&sp, 0x64, 0xf9c, 5, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x0, 0xc8, 7, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x100, 0x10, 7, 0, NULL), -28);
}

void test_space(void)
{
	init_and_bad_calls();
	reserve_basics();
	capacity();
	self_check_catches();
	colour_reserve();
	colour_wrap();
}
