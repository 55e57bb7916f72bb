/* Device: detect, balloon with unwind, deballoon, the seed picture. */
#include <string.h>

#include "check.h"
#include "combos.h"

#define U VGTB_COLOR_UNEVICTABLE
#define K VGTB_PROFILE_KERNEL
#define S VGTB_PROFILE_STRICT

static struct vgtb_node store[16];
static struct vgtb_node logged[4];

struct rig {
	struct vgtb_space sp;
	struct vgtb_device dev;
	struct vgtb_evict_log log;
};

/* A vGPU with the given slices on a space of total g, aperture end m. */
static void setup(struct rig *r, uint64_t g, uint64_t m, bool colour, uint32_t mb, uint32_t ms, uint32_t ub,
		  uint32_t us)
{
	struct vgtb_pvinfo v = { .magic = VGTB_PVINFO_MAGIC, .version_major = 1 };

	v.mappable_base = mb;
	v.mappable_size = ms;
	v.unmappable_base = ub;
	v.unmappable_size = us;
	vgtb_space_init(&r->sp, store, 16, g, colour);
	r->log = (struct vgtb_evict_log){ .entries = logged, .capacity = 4 };
	vgtb_space_set_evict_log(&r->sp, &r->log);
	vgtb_device_init(&r->dev, &r->sp, m);
	vgtb_device_set_info(&r->dev, &v);
}

static void small(struct rig *r, bool colour, const struct combo *c)
{
	setup(r, SMALL_G, SMALL_M, colour, c->mb, c->ms, c->ub, c->us);
}

static bool slots_empty(const struct vgtb_device *d)
{
	for (unsigned i = 0; i < 4; i++)
		if (d->slot[i].node != VGTB_HANDLE_NONE)
			return false;
	return true;
}

static void dev_sane(const char *file, int line, const struct vgtb_device *d)
{
	const char *why = "";

	check_true(file, line, vgtb_device_check(d, &why) == 0, why);
	check_sane(file, line, d->space);
}
#define DEV_SANE(d) dev_sane(__FILE__, __LINE__, (d))

static void not_active(void)
{
	struct rig r;
	struct vgtb_pvinfo v = { .magic = 0, .version_major = 1 };

	/* slices that would be refused: not even looked at */
	setup(&r, SMALL_G, SMALL_M, false, 0xffffffff, 0xffffffff, 0, 1);
	CHECK(r.dev.active);
	v.mappable_base = 0xffffffff;
	CHECK_INT(vgtb_device_set_info(&r.dev, &v), 0);
	CHECK(r.dev.active); /* a non-vGPU page never switches a device off */
	/* a fresh device that no page has switched on */
	CHECK_INT(vgtb_device_init(&r.dev, &r.sp, SMALL_M), 0);
	CHECK_INT(vgtb_device_set_info(&r.dev, &v), 0);
	CHECK(!r.dev.active);
	CHECK_U64(r.dev.caps, 0);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_INT(vgtb_device_balloon(&r.dev, S), 0);
	CHECK_U64(vgtb_space_count(&r.sp), 0);
	CHECK_U64(r.dev.reserved, 0);
	CHECK(!r.dev.ballooned);
	CHECK_INT(vgtb_device_deballoon(&r.dev), 0);

	/* version 0 is not a vGPU either */
	v.magic = VGTB_PVINFO_MAGIC;
	v.version_major = 0;
	v.vgt_caps = 0x1c;
	CHECK_INT(vgtb_device_set_info(&r.dev, &v), 0);
	CHECK(!r.dev.active);
	CHECK_U64(r.dev.caps, 0);
	v.version_major = 1;
	CHECK_INT(vgtb_device_set_info(&r.dev, &v), 0);
	CHECK(r.dev.active);
	CHECK_U64(r.dev.caps, 0x1c);
}

static void every_combination(void)
{
	for (int colour = 0; colour < 2; colour++) {
		for (unsigned c = 0; c < 16; c++) {
			const struct combo *x = &combos[c];
			struct xn want[4];
			size_t n = 0;
			struct rig r;

			for (unsigned s = 0; s < 4; s++)
				if (x->mask & (1u << s))
					want[n++] = (struct xn){ combo_region[s].start, combo_region[s].size, U };
			small(&r, colour, x);
			CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
			CHECK_NODES(&r.sp, want, n);
			CHECK_U64(r.dev.reserved, x->reserved);
			for (unsigned s = 0; s < 4; s++) {
				const struct vgtb_slot *sl = vgtb_device_slot(&r.dev, s);
				bool on = x->mask & (1u << s);

				CHECK(on == (sl->node != VGTB_HANDLE_NONE));
				CHECK_U64(sl->start, on ? combo_region[s].start : 0);
				CHECK_U64(sl->size, on ? combo_region[s].size : 0);
			}
			CHECK(r.dev.ballooned);
			DEV_SANE(&r.dev);
			CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
			CHECK_NODES(&r.sp, NO_NODES);
			CHECK_U64(r.dev.reserved, 0);
			CHECK(slots_empty(&r.dev));
			CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
			CHECK_U64(r.dev.reserved, 0);
			/* the strict profile accepts these too */
			CHECK_INT(vgtb_device_balloon(&r.dev, S), 0);
			CHECK_U64(r.dev.reserved, x->reserved);
			DEV_SANE(&r.dev);
		}
	}
}

/*
 * A pre-existing unevictable page inside each region in turn (all four
 * present: combination 0xf). Reservation order is 2, 3, 0, 1, so the
 * failure at each step unwinds 0, 1, 2, 3 regions; every time the end state
 * is the pre-balloon one.
 */
static void failure_at_each_step(void)
{
	static const uint64_t blocker[4] = {
		0x50000, /* in slot 2, step 1: nothing to undo     */
		0xd0000, /* in slot 3, step 2: undo 2              */
		0x08000, /* in slot 0, step 3: undo 3, 2           */
		0x38000, /* in slot 1, step 4: undo 0, 3, 2        */
	};

	for (unsigned step = 0; step < 4; step++) {
		struct rig r;
		vgtb_handle b;

		small(&r, false, &combos[0xf]);
		/* an object inside the guest's own aperture slice */
		vgtb_space_reserve(&r.sp, 0x20000, 0x1000, 1, 0, NULL);
		vgtb_space_reserve(&r.sp, blocker[step], 0x1000, U, 0, &b);
		CHECK_INT(vgtb_device_balloon(&r.dev, K), -28);
		if (step == 2)
			CHECK_NODES(&r.sp, XN({ 0x08000, 0x1000, U }, { 0x20000, 0x1000, 1 }));
		else if (step == 3)
			CHECK_NODES(&r.sp, XN({ 0x20000, 0x1000, 1 }, { 0x38000, 0x1000, U }));
		else
			CHECK_NODES(&r.sp, XN({ 0x20000, 0x1000, 1 }, { blocker[step], 0x1000, U }));
		CHECK_U64(r.dev.reserved, 0);
		CHECK(slots_empty(&r.dev));
		CHECK(!r.dev.ballooned);
		CHECK_U64(r.log.count, 0);
		DEV_SANE(&r.dev);
		/* deballoon after a failure: nothing to do */
		CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
		CHECK_U64(vgtb_space_count(&r.sp), 2);
		CHECK_U64(r.dev.reserved, 0);
		/* and no trace: without the blocker it now succeeds */
		vgtb_space_remove(&r.sp, b);
		CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
		CHECK_U64(r.dev.reserved, 0x80000);
		CHECK_U64(vgtb_space_count(&r.sp), 5);
	}

	/* slot 2 absent (0xb): a failure in slot 0 undoes slot 3 only */
	{
		struct rig r;

		small(&r, false, &combos[0xb]);
		vgtb_space_reserve(&r.sp, 0x08000, 0x1000, U, 0, NULL);
		CHECK_INT(vgtb_device_balloon(&r.dev, K), -28);
		CHECK_NODES(&r.sp, XN({ 0x08000, 0x1000, U }));
		CHECK_U64(r.dev.reserved, 0);
		CHECK(slots_empty(&r.dev));
	}
}

static void eviction(void)
{
	struct rig r;

	/* an evictable object in slot 2's range is evicted */
	small(&r, false, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x50000, 0x1000, 1, 0, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_NODES(&r.sp, XN({ 0x00000, 0x10000, U }, { 0x30000, 0x10000, U }, { 0x40000, 0x20000, U },
			      { 0xc0000, 0x40000, U }));
	CHECK_U64(r.log.count, 1);
	CHECK_U64(logged[0].start, 0x50000);
	CHECK_U64(r.dev.reserved, 0x80000);
	/* deballoon does not bring it back */
	vgtb_device_deballoon(&r.dev);
	CHECK_NODES(&r.sp, NO_NODES);

	/* a pinned one refuses the balloon */
	small(&r, false, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x50000, 0x1000, 1, VGTB_NODE_PINNED, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), -28);
	CHECK_NODES(&r.sp, XN({ 0x50000, 0x1000, 1 }));
	CHECK_U64(r.dev.reserved, 0);
	CHECK_U64(r.log.count, 0);
}

static void colour_policy(void)
{
	struct rig r;

	/* an object flush with slot 0's end, in the guest's slice: slot 0
	 * needs a guard page from it, so it is evicted */
	small(&r, true, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x10000, 0x1000, 5, 0, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_NODES(&r.sp, XN({ 0x00000, 0x10000, U }, { 0x30000, 0x10000, U }, { 0x40000, 0x20000, U },
			      { 0xc0000, 0x40000, U }));
	CHECK_U64(r.log.count, 1);
	CHECK_U64(logged[0].start, 0x10000);

	/* pinned: slot 0 fails at step 3, slots 3 and 2 are undone */
	small(&r, true, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x10000, 0x1000, 5, VGTB_NODE_PINNED, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), -28);
	CHECK_NODES(&r.sp, XN({ 0x10000, 0x1000, 5 }));
	CHECK_U64(r.dev.reserved, 0);
	/* one page further up it is no neighbour: kept, no eviction */
	small(&r, true, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x11000, 0x1000, 5, VGTB_NODE_PINNED, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_U64(vgtb_space_count(&r.sp), 5);
	CHECK_U64(r.log.count, 0);

	/* an object inside slot 1: evicting it would also have to evict
	 * slot 2's balloon (colour -1, within a page), so step 4 fails and
	 * unwinds; without the policy the object is simply evicted */
	small(&r, true, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x38000, 0x1000, 5, 0, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), -28);
	CHECK_NODES(&r.sp, XN({ 0x38000, 0x1000, 5 }));
	CHECK_U64(r.dev.reserved, 0);
	CHECK_U64(r.log.count, 0);
	small(&r, false, &combos[0xf]);
	vgtb_space_reserve(&r.sp, 0x38000, 0x1000, 5, 0, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_U64(r.log.count, 1);

	/* an object inside slot 3, which ends at G: never evictable under
	 * the policy (the end of the GGTT is an unevictable neighbour) */
	small(&r, true, &combos[0x8]);
	vgtb_space_reserve(&r.sp, 0xd0000, 0x1000, 5, 0, NULL);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), -28);
	CHECK_NODES(&r.sp, XN({ 0xd0000, 0x1000, 5 }));
}

static void deballoon_and_reload(struct rig *r, unsigned char *page, size_t len)
{
	struct vgtb_pvinfo v;

	CHECK_INT(vgtb_device_deballoon(&r->dev), 0);
	vgtb_pvinfo_decode(page, len, &v);
	v.magic = 0; /* ignored by a slice reload */
	v.vgt_caps = 0x10; /* likewise */
	v.mappable_base = 0x0;
	v.mappable_size = 0x40000;
	v.unmappable_base = 0x40000;
	v.unmappable_size = 0x80000;
	vgtb_pvinfo_encode(&v, page, len);
	CHECK_INT(vgtb_device_load_slices(&r->dev, page, 0x53), -61);
	CHECK_INT(vgtb_device_load_slices(NULL, page, len), -22);
	CHECK_INT(vgtb_device_load_slices(&r->dev, page, len), 0);
	CHECK(r->dev.active);
	CHECK_U64(r->dev.caps, 0x4);
	CHECK_INT(vgtb_device_balloon(&r->dev, K), 0);
	/* only slot 3, [0xc0000, 0x100000) */
	CHECK_NODES(&r->sp, XN({ 0xc0000, 0x40000, U }));
	CHECK_U64(r->dev.reserved, 0x40000);
	/* a reload while ballooned changes nothing already reserved */
	v.unmappable_size = 0x1000;
	vgtb_pvinfo_encode(&v, page, len);
	CHECK_INT(vgtb_device_load_slices(&r->dev, page, len), 0);
	CHECK_INT(vgtb_device_deballoon(&r->dev), 0);
	CHECK_NODES(&r->sp, NO_NODES);
	CHECK_U64(r->dev.reserved, 0);
}

static void lifecycle(void)
{
	struct rig r;
	unsigned char page[0x60];
	struct vgtb_pvinfo v;
	size_t before;

	small(&r, false, &combos[0xf]);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	/* again while ballooned: -EBUSY, nothing touched */
	CHECK_INT(vgtb_device_balloon(&r.dev, K), -16);
	CHECK_INT(vgtb_device_balloon(&r.dev, S), -16);
	CHECK_U64(vgtb_space_count(&r.sp), 4);
	CHECK_U64(r.dev.reserved, 0x80000);
	/* detecting again while ballooned (as the kernel may) changes nothing
	 * the deballoon needs: a blank page leaves the device on, the same
	 * page again keeps it on */
	memset(page, 0, sizeof(page));
	CHECK_INT(vgtb_device_detect(&r.dev, page, sizeof(page)), 0);
	CHECK_INT(vgtb_device_set_info(&r.dev, &r.dev.info), 0);
	CHECK(r.dev.active);
	CHECK(r.dev.ballooned);
	CHECK_U64(vgtb_space_count(&r.sp), 4);
	/* deballoon, twice, then balloon again */
	CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
	CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
	CHECK_U64(vgtb_space_count(&r.sp), 0);
	CHECK_U64(r.dev.reserved, 0);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_U64(r.dev.reserved, 0x80000);

	/* a balloon node removed behind the device's back: the check sees
	 * it; deballoon skips it and keeps its size in the counter, as the
	 * kernel skips a node that is no longer allocated */
	CHECK_INT(vgtb_space_remove(&r.sp, r.dev.slot[0].node), 0);
	CHECK_INT(vgtb_device_check(&r.dev, NULL), -1);
	CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
	CHECK_U64(r.dev.reserved, 0x10000);
	CHECK_U64(vgtb_space_count(&r.sp), 0);
	DEV_SANE(&r.dev);

	/* detect from bytes; a short page leaves the device as it was */
	small(&r, false, &combos[0x0]);
	CHECK_INT(vgtb_device_detect(&r.dev, page, 0x53), -61);
	CHECK(r.dev.active);
	CHECK_INT(vgtb_device_detect(&r.dev, page, sizeof(page)), 0);
	CHECK(r.dev.active); /* a blank page does not switch it off */
	v = (struct vgtb_pvinfo){ .magic = VGTB_PVINFO_MAGIC,
				  .version_major = 1,
				  .vgt_caps = 0x4,
				  .mappable_base = 0x10000,
				  .mappable_size = 0x20000,
				  .unmappable_base = 0x60000,
				  .unmappable_size = 0x60000 };
	vgtb_pvinfo_encode(&v, page, sizeof(page));
	CHECK_INT(vgtb_device_detect(&r.dev, page, sizeof(page)), 0);
	CHECK(r.dev.active);
	CHECK_U64(r.dev.caps, 0x4);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_U64(r.dev.reserved, 0x80000);

	/* the host rewrites the slices after detection: the balloon uses the
	 * values loaded last; active and caps stay as detected */
	deballoon_and_reload(&r, page, sizeof(page));

	/* strict refusal via the device: nothing reserved, reason kept */
	setup(&r, SMALL_G, SMALL_M, false, 0x10800, 0x1f800, 0x60000, 0x60000);
	before = vgtb_space_count(&r.sp);
	CHECK_INT(vgtb_device_balloon(&r.dev, S), -22);
	CHECK_INT(r.dev.last_reason, VGTB_REASON_MAPPABLE_BASE_UNALIGNED);
	CHECK_U64(vgtb_space_count(&r.sp), before);
	CHECK_U64(r.dev.reserved, 0);
	CHECK(!r.dev.ballooned);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), 0);
	CHECK_INT(r.dev.last_reason, VGTB_REASON_NONE);
	CHECK_NODES(&r.sp, XN({ 0x00000, 0x10800, U }, { 0x30000, 0x10000, U }, { 0x40000, 0x20000, U },
			      { 0xc0000, 0x40000, U }));
	/* kernel refusal */
	setup(&r, SMALL_G, SMALL_M, false, 0x10000, 0x30001, 0x60000, 0x1000);
	CHECK_INT(vgtb_device_balloon(&r.dev, K), -22);
	CHECK_INT(r.dev.last_reason, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
	CHECK_U64(vgtb_space_count(&r.sp), 0);

	/* out of storage mid-way: capacity 2, four regions */
	{
		struct vgtb_node two[2];

		small(&r, false, &combos[0xf]);
		vgtb_space_init(&r.sp, two, 2, SMALL_G, false);
		CHECK_INT(vgtb_device_balloon(&r.dev, K), -12);
		CHECK_U64(vgtb_space_count(&r.sp), 0);
		CHECK_U64(r.dev.reserved, 0);
	}
}

static void bad_calls(void)
{
	struct rig r;

	small(&r, false, &combos[0xf]);
	CHECK_INT(vgtb_device_init(NULL, &r.sp, 0), -22);
	CHECK_INT(vgtb_device_init(&r.dev, NULL, 0), -22);
	CHECK_INT(vgtb_device_init(&r.dev, &r.sp, SMALL_G + 1), -22);
	CHECK_INT(vgtb_device_init(&r.dev, &r.sp, SMALL_G), 0);
	CHECK_INT(vgtb_device_balloon(NULL, K), -22);
	CHECK_INT(vgtb_device_balloon(&r.dev, (enum vgtb_profile)9), -22);
	CHECK_INT(vgtb_device_deballoon(NULL), -22);
	CHECK_INT(vgtb_device_detect(NULL, NULL, 0), -22);
	CHECK_INT(vgtb_device_detect(&r.dev, NULL, 0x54), -22);
	CHECK_INT(vgtb_device_set_info(&r.dev, NULL), -22);
	CHECK(vgtb_device_slot(&r.dev, 4) == NULL);
	CHECK(vgtb_device_slot(NULL, 0) == NULL);
	CHECK_INT(vgtb_device_check(NULL, NULL), -1);
}

/*
 * The seed picture (impl/README.md): a 4 GiB GGTT, 512 MiB aperture,
 * carved top-down as vGPU3, vGPU2, vGPU1, host in both halves; 128 MiB of
 * aperture and 512 MiB of hidden memory per vGPU. Worked by hand there.
 */
static void seed_picture(void)
{
	const uint64_t g = UINT64_C(0x100000000), m = 0x20000000;

	for (int prof = 0; prof < 2; prof++) {
		struct rig r;

		/* vGPU1: aperture [256M, 384M), hidden [1.5G, 2G) */
		setup(&r, g, m, false, 0x10000000, 0x08000000, 0x60000000, 0x20000000);
		CHECK_INT(vgtb_device_balloon(&r.dev, prof), 0);
		CHECK_NODES(&r.sp, XN({ 0x00000000, 0x10000000, U }, { 0x18000000, 0x08000000, U },
				      { 0x20000000, 0x40000000, U }, { 0x80000000, 0x80000000, U }));
		CHECK_U64(r.dev.reserved, 0xd8000000);

		/* vGPU2: aperture [128M, 256M), hidden [1G, 1.5G) */
		setup(&r, g, m, false, 0x08000000, 0x08000000, 0x40000000, 0x20000000);
		CHECK_INT(vgtb_device_balloon(&r.dev, prof), 0);
		CHECK_NODES(&r.sp, XN({ 0x00000000, 0x08000000, U }, { 0x10000000, 0x10000000, U },
				      { 0x20000000, 0x20000000, U }, { 0x60000000, 0xa0000000, U }));
		CHECK_U64(r.dev.reserved, 0xd8000000);

		/* vGPU3: aperture [0, 128M), hidden [512M, 1G): slots 0 and
		 * 2 absent (the configuration behind the 2019 deballoon bug) */
		setup(&r, g, m, false, 0x00000000, 0x08000000, 0x20000000, 0x20000000);
		CHECK_INT(vgtb_device_balloon(&r.dev, prof), 0);
		CHECK_NODES(&r.sp, XN({ 0x08000000, 0x18000000, U }, { 0x40000000, 0xc0000000, U }));
		CHECK_U64(r.dev.reserved, 0xd8000000);
		CHECK(r.dev.slot[0].node == VGTB_HANDLE_NONE);
		CHECK(r.dev.slot[2].node == VGTB_HANDLE_NONE);
		CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
		CHECK_INT(vgtb_device_deballoon(&r.dev), 0);
		CHECK_U64(vgtb_space_count(&r.sp), 0);
		CHECK_U64(r.dev.reserved, 0);
	}
}

void test_balloon(void)
{
	not_active();
	every_combination();
	failure_at_each_step();
	eviction();
	colour_policy();
	lifecycle();
	bad_calls();
	seed_picture();
}
