/* Eviction for a fixed-address reservation. */
#include "check.h"

#define G UINT64_C(0x100000)
#define U VGTB_COLOR_UNEVICTABLE
#define EV VGTB_RESERVE_EVICT
#define PIN VGTB_NODE_PINNED

static struct vgtb_node store[16];
static struct vgtb_node logged[4];

static void fresh(struct vgtb_space *sp, struct vgtb_evict_log *log, bool colour, size_t log_capacity)
{
	vgtb_space_init(sp, store, 16, G, colour);
	log->entries = logged;
	log->capacity = log_capacity;
	log->count = 0;
	vgtb_space_set_evict_log(sp, log);
}

static void without_colour(void)
{
	struct vgtb_space sp;
	struct vgtb_evict_log log;

	/* one evictable node in the way */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, U, 0, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x4000, 0x1000, 3 }));
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, U, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x3000, 0x3000, U }));
	CHECK_U64(log.count, 1);
	CHECK_U64(logged[0].start, 0x4000);
	CHECK_U64(logged[0].size, 0x1000);
	CHECK_INT(logged[0].color, 3);

	/* pinned: refused, nothing evicted */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, PIN, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, U, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x4000, 0x1000, 3 }));
	CHECK_U64(log.count, 0);

	/* evictable + pinned: all or nothing */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 3, 0, NULL);
	vgtb_space_reserve(&sp, 0x5000, 0x1000, 3, PIN, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, U, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x3000, 0x1000, 3 }, { 0x5000, 0x1000, 3 }));
	CHECK_U64(log.count, 0);

	/* evictable + unevictable (colour -1, not an object) */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 3, 0, NULL);
	vgtb_space_reserve(&sp, 0x5000, 0x1000, U, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, 3, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x3000, 0x1000, 3 }, { 0x5000, 0x1000, U }));

	/* two evicted, a touching neighbour stays; the log keeps one: the
	 * first removed, which is the highest (i915 unbinds top down) */
	fresh(&sp, &log, false, 1);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 1, 0, NULL);
	vgtb_space_reserve(&sp, 0x5000, 0x1000, 2, 0, NULL);
	vgtb_space_reserve(&sp, 0x6000, 0x1000, 3, PIN, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x3000, U, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x3000, 0x3000, U }, { 0x6000, 0x1000, 3 }));
	CHECK_U64(log.count, 2);
	CHECK_U64(logged[0].start, 0x5000);
	CHECK_SANE(&sp);

	/* a node that only partly overlaps is evicted too */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0x4000, 0x2000, 1, 0, NULL);
	CHECK_INT(vgtb_space_evict_for(&sp, 0x5000, 0x1000, U), 0);
	CHECK_U64(vgtb_space_count(&sp), 0);
	CHECK_INT(vgtb_space_evict_for(&sp, 0x5000, 0x1000, U), 0);
	CHECK_U64(log.count, 1);

	/* a range past the end meets the end-of-GGTT sentinel */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0xff000, 0x1000, 1, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0xff000, 0x2000, U, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0xff000, 0x1000, 1 }));

	/* size 0: the reservation fails, but eviction still removes a node
	 * that strictly contains the start (the kernel does the same in a
	 * release build; a debug build asserts first) */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0x4000, 0x2000, 1, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5000, 0, U, EV, NULL), -28);
	CHECK_U64(vgtb_space_count(&sp), 0);
	CHECK_U64(log.count, 1);
}

static void with_colour(void)
{
	struct vgtb_space sp;
	struct vgtb_evict_log log;

	/* same-colour neighbour below stays, other colour above goes */
	fresh(&sp, &log, true, 4);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x1000, 3, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5000, 0x1000, 4, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, 0, NULL), -28);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x3000, 0x1000, 3 }, { 0x4000, 0x1000, 3 }));
	CHECK_U64(log.count, 1);
	CHECK_U64(logged[0].start, 0x5000);

	/* one page away is far enough: no eviction needed */
	fresh(&sp, &log, true, 4);
	vgtb_space_reserve(&sp, 0x6000, 0x1000, 4, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x4000, 0x1000, 3 }, { 0x6000, 0x1000, 4 }));
	CHECK_U64(log.count, 0);

	/* other colour flush below goes */
	fresh(&sp, &log, true, 4);
	vgtb_space_reserve(&sp, 0x3000, 0x1000, 4, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x4000, 0x1000, 3 }));
	CHECK_U64(log.count, 1);

	/* a pinned same-colour neighbour is skipped before "pinned" counts */
	fresh(&sp, &log, true, 4);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x1000, 3, PIN, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4800, 0x100, 3, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x3000, 0x1000, 3 }, { 0x4000, 0x1000, 3 }));
	CHECK_U64(log.count, 1);
	CHECK_U64(logged[0].start, 0x4800);

	/* ... but a pinned other-colour neighbour refuses */
	fresh(&sp, &log, true, 4);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x1000, 4, PIN, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4800, 0x100, 4, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, 3, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x3000, 0x1000, 4 }, { 0x4800, 0x100, 4 }));
	CHECK_U64(log.count, 0);

	/* a colour -1 neighbour within a page refuses even for colour -1:
	 * "unevictable" is tested before "same colour, only touching" */
	fresh(&sp, &log, true, 4);
	CHECK_INT(vgtb_space_reserve(&sp, 0x3000, 0x1000, U, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5000, 0x100, 3, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, U, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0x3000, 0x1000, U }, { 0x5000, 0x100, 3 }));
	/* without that neighbour the colour-3 node is evicted */
	fresh(&sp, &log, true, 4);
	CHECK_INT(vgtb_space_reserve(&sp, 0x5000, 0x100, 3, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0x4000, 0x1000, U, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0x4000, 0x1000, U }));

	/* a target ending at total: the widened range crosses the end, and
	 * the end counts as unevictable, so nothing can be evicted */
	fresh(&sp, &log, true, 4);
	CHECK_INT(vgtb_space_reserve(&sp, 0xf8000, 0x1000, 5, 0, NULL), 0);
	CHECK_INT(vgtb_space_reserve(&sp, 0xf0000, 0x10000, U, EV, NULL), -28);
	CHECK_NODES(&sp, XN({ 0xf8000, 0x1000, 5 }));
	CHECK_U64(log.count, 0);
	/* the same without the policy evicts and succeeds */
	fresh(&sp, &log, false, 4);
	vgtb_space_reserve(&sp, 0xf8000, 0x1000, 5, 0, NULL);
	CHECK_INT(vgtb_space_reserve(&sp, 0xf0000, 0x10000, U, EV, NULL), 0);
	CHECK_NODES(&sp, XN({ 0xf0000, 0x10000, U }));

	/* at address 0 the range is not widened downwards */
	fresh(&sp, &log, true, 4);
	vgtb_space_reserve(&sp, 0x1000, 0x1000, 4, 0, NULL);
	CHECK_INT(vgtb_space_evict_for(&sp, 0x0, 0x1000, 3), 0);
	CHECK_U64(vgtb_space_count(&sp), 0);
	fresh(&sp, &log, true, 4);
	vgtb_space_reserve(&sp, 0x1000, 0x1000, 3, 0, NULL);
	CHECK_INT(vgtb_space_evict_for(&sp, 0x0, 0x1000, 3), 0);
	CHECK_U64(vgtb_space_count(&sp), 1);

	/* an unaligned start below one page: start - 4096 wraps, so the
	 * kernel's walk finds nothing to evict */
	fresh(&sp, &log, true, 4);
	vgtb_space_reserve(&sp, 0x0, 0x10, 4, 0, NULL);
	CHECK_INT(vgtb_space_evict_for(&sp, 0x10, 0x100, 3), 0);
	CHECK_NODES(&sp, XN({ 0x0, 0x10, 4 }));
	CHECK_SANE(&sp);
}

void test_evict(void)
{
	without_colour();
	with_colour();
}
