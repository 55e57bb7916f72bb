/* Planning: every validation rule on both sides, the 16 combinations. */
#include "check.h"
#include "combos.h"

#define K VGTB_PROFILE_KERNEL
#define S VGTB_PROFILE_STRICT

static struct vgtb_plan plan_of(uint32_t mb, uint32_t ms, uint32_t ub, uint32_t us, uint64_t g, uint64_t m,
				enum vgtb_profile profile)
{
	struct vgtb_pvinfo v = { .magic = VGTB_PVINFO_MAGIC, .version_major = 1 };
	struct vgtb_geometry geo = { .total = g, .mappable_end = m };
	struct vgtb_plan p;

	v.mappable_base = mb;
	v.mappable_size = ms;
	v.unmappable_base = ub;
	v.unmappable_size = us;
	vgtb_plan_make(&v, &geo, profile, &p);
	return p;
}

/* Refused with -EINVAL and this reason. */
#define CHECK_REFUSED(p, why)                 \
	do {                                  \
		CHECK_INT((p).err, -22);      \
		CHECK_INT((p).reason, (why)); \
		CHECK_U64((p).count, 0);      \
	} while (0)

#define CHECK_REGION(p, k, slot_, start_, size_)        \
	do {                                            \
		CHECK_U64((p).region[k].slot, slot_);   \
		CHECK_U64((p).region[k].start, start_); \
		CHECK_U64((p).region[k].size, size_);   \
	} while (0)

/* The kernel's three checks, each on both sides of its boundary. */
static void kernel_checks(void)
{
	const uint64_t g = SMALL_G, m = SMALL_M;
	struct vgtb_plan p;

	for (int prof = 0; prof < 2; prof++) {
		/* mappable end == M: fine, slot 0 only. */
		p = plan_of(0x10000, 0x30000, 0x40000, 0xc0000, g, m, prof);
		CHECK_INT(p.err, 0);
		CHECK_U64(p.count, 1);
		CHECK_REGION(p, 0, 0, 0x0, 0x10000);
		/* mappable end == M + 1 */
		p = plan_of(0x10000, 0x30001, 0x40000, 0xc0000, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
		/* mappable base past M with size 0: end == base > M */
		p = plan_of(0x50000, 0, 0x60000, 0x10000, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
		/* unmappable base == M - 1 */
		p = plan_of(0x10000, 0x10000, 0x3ffff, 0x10000, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_BASE_IN_APERTURE);
		/* unmappable base 0 (inside the aperture) */
		p = plan_of(0x10000, 0x10000, 0, 0x10000, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_BASE_IN_APERTURE);
		/* unmappable end == G + 1 */
		p = plan_of(0x10000, 0x30000, 0x40000, 0xc0001, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_END_PAST_TOTAL);
		/* unmappable end == G: fine */
		p = plan_of(0x0, 0x40000, 0x80000, 0x80000, g, m, prof);
		CHECK_INT(p.err, 0);
		CHECK_U64(p.count, 1);
		CHECK_REGION(p, 0, 2, 0x40000, 0x40000);
		/* the first failing check wins: all three fail */
		p = plan_of(0x40000, 0x1000, 0x1000, 0x200000, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
		p = plan_of(0x0, 0x1000, 0x1000, 0x200000, g, m, prof);
		CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_BASE_IN_APERTURE);
	}
}

/* What the kernel accepts and STRICT refuses, with the accepting side. */
static void strict_rules(void)
{
	const uint64_t g = SMALL_G, m = SMALL_M;
	struct vgtb_plan p;

	/* mappable end == M - 1: a one-byte balloon [0x3ffff, 0x40000) */
	p = plan_of(0x10000, 0x2ffff, 0x40000, 0xc0000, g, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 2);
	CHECK_REGION(p, 0, 0, 0x0, 0x10000);
	CHECK_REGION(p, 1, 1, 0x3ffff, 0x1);
	p = plan_of(0x10000, 0x2ffff, 0x40000, 0xc0000, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_SIZE_UNALIGNED);

	/* mappable base 1 (0 is "no balloon below"): [0, 1) */
	p = plan_of(0x1, 0x3ffff, 0x40000, 0xc0000, g, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 1);
	CHECK_REGION(p, 0, 0, 0x0, 0x1);
	p = plan_of(0x1, 0x3ffff, 0x40000, 0xc0000, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_BASE_UNALIGNED);
	/* base 0x1000 is aligned, size 0x3f000 too: accepted */
	p = plan_of(0x1000, 0x3f000, 0x40000, 0xc0000, g, m, S);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 1);
	CHECK_REGION(p, 0, 0, 0x0, 0x1000);

	/* unmappable base == M + 1: [M, M + 1) */
	p = plan_of(0x0, 0x40000, 0x40001, 0xbffff, g, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 1);
	CHECK_REGION(p, 0, 2, 0x40000, 0x1);
	p = plan_of(0x0, 0x40000, 0x40001, 0xbffff, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_BASE_UNALIGNED);

	/* unmappable end == G - 1: [G - 1, G) */
	p = plan_of(0x0, 0x40000, 0x40000, 0xbffff, g, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 1);
	CHECK_REGION(p, 0, 3, 0xfffff, 0x1);
	p = plan_of(0x0, 0x40000, 0x40000, 0xbffff, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_SIZE_UNALIGNED);

	/* empty mappable slice: the kernel balloons the whole aperture */
	p = plan_of(0x10000, 0, 0x40000, 0xc0000, g, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 2);
	CHECK_REGION(p, 0, 0, 0x0, 0x10000);
	CHECK_REGION(p, 1, 1, 0x10000, 0x30000);
	p = plan_of(0x10000, 0, 0x40000, 0xc0000, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_EMPTY);
	p = plan_of(0x10000, 0x1000, 0x40000, 0xc0000, g, m, S);
	CHECK_INT(p.err, 0);

	/* empty unmappable slice: the whole hidden range is ballooned */
	p = plan_of(0x0, 0x40000, 0x80000, 0, g, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 2);
	CHECK_REGION(p, 0, 2, 0x40000, 0x40000);
	CHECK_REGION(p, 1, 3, 0x80000, 0x80000);
	p = plan_of(0x0, 0x40000, 0x80000, 0, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_EMPTY);
	p = plan_of(0x0, 0x40000, 0x80000, 0x1000, g, m, S);
	CHECK_INT(p.err, 0);

	/* unaligned geometry: M = 0x40800 */
	p = plan_of(0x10000, 0x10000, 0x50000, 0x10000, g, 0x40800, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 4);
	CHECK_REGION(p, 0, 2, 0x40800, 0xf800);
	CHECK_REGION(p, 1, 3, 0x60000, 0xa0000);
	CHECK_REGION(p, 2, 0, 0x0, 0x10000);
	CHECK_REGION(p, 3, 1, 0x20000, 0x20800);
	p = plan_of(0x10000, 0x10000, 0x50000, 0x10000, g, 0x40800, S);
	CHECK_REFUSED(p, VGTB_REASON_GEOMETRY_UNALIGNED);
	p = plan_of(0x10000, 0x10000, 0x50000, 0x10000, 0x100800, m, S);
	CHECK_REFUSED(p, VGTB_REASON_GEOMETRY_UNALIGNED);
	p = plan_of(0x10000, 0x10000, 0x50000, 0x10000, 0x101000, 0x41000, S);
	CHECK_INT(p.err, 0);
	/* the kernel's checks come before the alignment rules */
	p = plan_of(0x10001, 0x40000, 0x40000, 0x1000, g, m, S);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
}

/* Sums past 2^32: G = 4 GiB / 8 GiB, M = 512 MiB. */
static void strict_overflow(void)
{
	const uint64_t g4 = UINT64_C(0x100000000), g8 = UINT64_C(0x200000000);
	const uint64_t m = 0x20000000;
	struct vgtb_plan p;

	/* hidden slice ending exactly at 4 GiB: fine in both */
	p = plan_of(0x0, 0x20000000, 0xfffff000, 0x1000, g4, m, S);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 1);
	CHECK_REGION(p, 0, 2, 0x20000000, 0xdffff000);
	/* ... one page more: end 0x100001000 */
	p = plan_of(0x0, 0x20000000, 0xfffff000, 0x2000, g4, m, K);
	CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_END_PAST_TOTAL);
	p = plan_of(0x0, 0x20000000, 0xfffff000, 0x2000, g4, m, S);
	CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_OVERFLOWS_32);
	/* with G = 8 GiB the 64-bit kernel accepts it */
	p = plan_of(0x0, 0x20000000, 0xfffff000, 0x2000, g8, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 2);
	CHECK_REGION(p, 0, 2, 0x20000000, 0xdffff000);
	CHECK_REGION(p, 1, 3, UINT64_C(0x100001000), UINT64_C(0xfffff000));
	p = plan_of(0x0, 0x20000000, 0xfffff000, 0x2000, g8, m, S);
	CHECK_REFUSED(p, VGTB_REASON_UNMAPPABLE_OVERFLOWS_32);
	p = plan_of(0x0, 0x20000000, 0xfffff000, 0x1000, g8, m, S);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 2);
	CHECK_REGION(p, 1, 3, UINT64_C(0x100000000), UINT64_C(0x100000000));
	/* both u32 at maximum */
	p = plan_of(0x0, 0x20000000, 0xffffffff, 0xffffffff, g8, m, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 2);
	CHECK_REGION(p, 1, 3, UINT64_C(0x1fffffffe), UINT64_C(0x2));

	/* mappable: on 64-bit the range check refuses; strict names why */
	p = plan_of(0xfffff000, 0x2000, 0x20000000, 0x1000, g4, m, K);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
	p = plan_of(0xfffff000, 0x2000, 0x20000000, 0x1000, g4, m, S);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_OVERFLOWS_32);
	p = plan_of(0xfffff000, 0x1000, 0x20000000, 0x1000, g4, m, S);
	CHECK_REFUSED(p, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
}

static void bad_calls(void)
{
	struct vgtb_pvinfo v = { .magic = VGTB_PVINFO_MAGIC, .version_major = 1 };
	struct vgtb_geometry geo = { .total = SMALL_G, .mappable_end = SMALL_M };
	struct vgtb_plan p;

	CHECK_INT(vgtb_plan_make(&v, &geo, K, NULL), -22);
	CHECK_INT(vgtb_plan_make(NULL, &geo, K, &p), -22);
	CHECK_INT(p.reason, VGTB_REASON_BAD_ARGUMENT);
	CHECK_INT(vgtb_plan_make(&v, NULL, K, &p), -22);
	CHECK_INT(vgtb_plan_make(&v, &geo, (enum vgtb_profile)7, &p), -22);
	CHECK_INT(p.reason, VGTB_REASON_BAD_ARGUMENT);

	p = plan_of(0, 0, 0, 0, 0, 0, K);
	CHECK_REFUSED(p, VGTB_REASON_BAD_GEOMETRY);
	p = plan_of(0, 0, 0x2000, 0, 0x1000, 0x2000, K);
	CHECK_REFUSED(p, VGTB_REASON_BAD_GEOMETRY);
	p = plan_of(0, 0, 0, 0, UINT64_C(0x4000000000000001), 0, K);
	CHECK_REFUSED(p, VGTB_REASON_BAD_GEOMETRY);
	/* total == VGTB_TOTAL_MAX is the largest valid one */
	p = plan_of(0, 0, 0, 0, UINT64_C(0x4000000000000000), 0, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 1);
	CHECK_REGION(p, 0, 3, 0x0, UINT64_C(0x4000000000000000));
	/* M == 0 and M == G: legal geometries */
	p = plan_of(0, 0, 0, 0x100000, SMALL_G, 0, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 0);
	p = plan_of(0, 0x100000, 0x100000, 0, SMALL_G, SMALL_G, K);
	CHECK_INT(p.err, 0);
	CHECK_U64(p.count, 0);
}

static void all_combinations(void)
{
	for (int prof = 0; prof < 2; prof++) {
		for (unsigned c = 0; c < 16; c++) {
			const struct combo *x = &combos[c];
			/* Plan order: slots 2, 3, 0, 1. */
			static const unsigned order[4] = { 2, 3, 0, 1 };
			struct vgtb_plan p = plan_of(x->mb, x->ms, x->ub, x->us, SMALL_G, SMALL_M, prof);
			unsigned k = 0;
			uint64_t sum = 0;

			CHECK_INT(p.err, 0);
			CHECK_INT(p.reason, VGTB_REASON_NONE);
			for (unsigned o = 0; o < 4; o++) {
				unsigned s = order[o];

				if (!(x->mask & (1u << s)))
					continue;
				CHECK_REGION(p, k, s, combo_region[s].start, combo_region[s].size);
				sum += p.region[k].size;
				k++;
			}
			CHECK_U64(p.count, k);
			CHECK_U64(sum, x->reserved);
		}
	}
}

static void reason_names(void)
{
	CHECK(vgtb_reason_str(VGTB_REASON_NONE)[0] == 'n');
	for (int r = 0; r < VGTB_REASON_COUNT; r++) {
		const char *a = vgtb_reason_str((enum vgtb_reason)r);

		CHECK(a != NULL);
		for (int q = 0; q < r; q++) {
			const char *b = vgtb_reason_str((enum vgtb_reason)q);
			int same = 1;

			for (size_t i = 0; same && (a[i] || b[i]); i++)
				same = a[i] == b[i];
			CHECK(!same);
		}
	}
	CHECK(vgtb_reason_str(VGTB_REASON_COUNT) != NULL);
	CHECK(vgtb_reason_is_strict(VGTB_REASON_MAPPABLE_EMPTY));
	CHECK(vgtb_reason_is_strict(VGTB_REASON_UNMAPPABLE_OVERFLOWS_32));
	CHECK(!vgtb_reason_is_strict(VGTB_REASON_UNMAPPABLE_END_PAST_TOTAL));
	CHECK(!vgtb_reason_is_strict(VGTB_REASON_BAD_GEOMETRY));
	CHECK(!vgtb_reason_is_strict(VGTB_REASON_NONE));
}

void test_plan(void)
{
	kernel_checks();
	strict_rules();
	strict_overflow();
	bad_calls();
	all_combinations();
	reason_names();
}
