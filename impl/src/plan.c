/*
 * Planning: from the guest's two slices and the GGTT geometry to the list of
 * ranges to balloon, or a refusal with a reason. Pure: no state, no I/O.
 */
#include "vgtballoon.h"

#define TOP_OF_32BIT (UINT64_C(1) << 32)

static bool page_aligned(uint64_t v)
{
	return (v & (VGTB_PAGE_SIZE - 1)) == 0;
}

static int refuse(struct vgtb_plan *out, enum vgtb_reason reason)
{
	out->err = -VGTB_EINVAL;
	out->reason = reason;
	out->count = 0;
	return out->err;
}

static void add_region(struct vgtb_plan *out, unsigned slot, uint64_t start, uint64_t end)
{
	struct vgtb_region *r = &out->region[out->count++];

	r->slot = slot;
	r->start = start;
	r->size = end - start;
}

/*
 * Strict rule checked before the kernel's: a sum past 2^32 cannot come from a
 * correct host, and on a 32-bit kernel it wraps before the range checks see
 * it, so the overflow is the root cause to report.
 */
static enum vgtb_reason strict_overflow(uint64_t mend, uint64_t uend)
{
	if (mend > TOP_OF_32BIT)
		return VGTB_REASON_MAPPABLE_OVERFLOWS_32;
	if (uend > TOP_OF_32BIT)
		return VGTB_REASON_UNMAPPABLE_OVERFLOWS_32;
	return VGTB_REASON_NONE;
}

/* Strict rules checked after the kernel's: the kernel accepts all of these. */
static enum vgtb_reason strict_shape(const struct vgtb_pvinfo *v, const struct vgtb_geometry *geo)
{
	if (!page_aligned(geo->mappable_end) || !page_aligned(geo->total))
		return VGTB_REASON_GEOMETRY_UNALIGNED;
	if (!page_aligned(v->mappable_base))
		return VGTB_REASON_MAPPABLE_BASE_UNALIGNED;
	if (!page_aligned(v->mappable_size))
		return VGTB_REASON_MAPPABLE_SIZE_UNALIGNED;
	if (!page_aligned(v->unmappable_base))
		return VGTB_REASON_UNMAPPABLE_BASE_UNALIGNED;
	if (!page_aligned(v->unmappable_size))
		return VGTB_REASON_UNMAPPABLE_SIZE_UNALIGNED;
	if (v->mappable_size == 0)
		return VGTB_REASON_MAPPABLE_EMPTY;
	if (v->unmappable_size == 0)
		return VGTB_REASON_UNMAPPABLE_EMPTY;
	return VGTB_REASON_NONE;
}

int vgtb_plan_make(const struct vgtb_pvinfo *info, const struct vgtb_geometry *geo, enum vgtb_profile profile,
		   struct vgtb_plan *out)
{
	uint64_t m, g, mbase, mend, ubase, uend;

	if (!out)
		return -VGTB_EINVAL;
	if (!info || !geo || (profile != VGTB_PROFILE_KERNEL && profile != VGTB_PROFILE_STRICT))
		return refuse(out, VGTB_REASON_BAD_ARGUMENT);
	m = geo->mappable_end;
	g = geo->total;
	if (g == 0 || g > VGTB_TOTAL_MAX || m > g)
		return refuse(out, VGTB_REASON_BAD_GEOMETRY);

	/* Widened before adding: the sums are exact, as on a 64-bit kernel. */
	mbase = info->mappable_base;
	mend = mbase + info->mappable_size;
	ubase = info->unmappable_base;
	uend = ubase + info->unmappable_size;

	if (profile == VGTB_PROFILE_STRICT) {
		enum vgtb_reason r = strict_overflow(mend, uend);

		if (r != VGTB_REASON_NONE)
			return refuse(out, r);
	}

	/* The kernel's three checks, in its order. */
	if (mend > m)
		return refuse(out, VGTB_REASON_MAPPABLE_END_PAST_APERTURE);
	if (ubase < m)
		return refuse(out, VGTB_REASON_UNMAPPABLE_BASE_IN_APERTURE);
	if (uend > g)
		return refuse(out, VGTB_REASON_UNMAPPABLE_END_PAST_TOTAL);

	if (profile == VGTB_PROFILE_STRICT) {
		enum vgtb_reason r = strict_shape(info, geo);

		if (r != VGTB_REASON_NONE)
			return refuse(out, r);
	}

	out->err = 0;
	out->reason = VGTB_REASON_NONE;
	out->count = 0;
	/*
	 * The kernel's order: the unmappable side first, then the mappable
	 * side, each lower range before the upper. The checks above make every
	 * range below non-empty and confine it to its half of the GGTT.
	 */
	if (ubase > m)
		add_region(out, VGTB_SLOT_BELOW_UNMAPPABLE, m, ubase);
	if (uend < g)
		add_region(out, VGTB_SLOT_ABOVE_UNMAPPABLE, uend, g);
	if (mbase != 0)
		add_region(out, VGTB_SLOT_BELOW_MAPPABLE, 0, mbase);
	if (mend < m)
		add_region(out, VGTB_SLOT_ABOVE_MAPPABLE, mend, m);
	return 0;
}

const char *vgtb_reason_str(enum vgtb_reason reason)
{
	switch (reason) {
	case VGTB_REASON_NONE:
		return "none";
	case VGTB_REASON_BAD_ARGUMENT:
		return "bad-argument";
	case VGTB_REASON_BAD_GEOMETRY:
		return "bad-geometry";
	case VGTB_REASON_MAPPABLE_END_PAST_APERTURE:
		return "mappable-end-past-aperture";
	case VGTB_REASON_UNMAPPABLE_BASE_IN_APERTURE:
		return "unmappable-base-in-aperture";
	case VGTB_REASON_UNMAPPABLE_END_PAST_TOTAL:
		return "unmappable-end-past-total";
	case VGTB_REASON_GEOMETRY_UNALIGNED:
		return "geometry-unaligned";
	case VGTB_REASON_MAPPABLE_OVERFLOWS_32:
		return "mappable-overflows-32";
	case VGTB_REASON_UNMAPPABLE_OVERFLOWS_32:
		return "unmappable-overflows-32";
	case VGTB_REASON_MAPPABLE_BASE_UNALIGNED:
		return "mappable-base-unaligned";
	case VGTB_REASON_MAPPABLE_SIZE_UNALIGNED:
		return "mappable-size-unaligned";
	case VGTB_REASON_UNMAPPABLE_BASE_UNALIGNED:
		return "unmappable-base-unaligned";
	case VGTB_REASON_UNMAPPABLE_SIZE_UNALIGNED:
		return "unmappable-size-unaligned";
	case VGTB_REASON_MAPPABLE_EMPTY:
		return "mappable-empty";
	case VGTB_REASON_UNMAPPABLE_EMPTY:
		return "unmappable-empty";
	case VGTB_REASON_COUNT:
		break;
	}
	return "unknown";
}

bool vgtb_reason_is_strict(enum vgtb_reason reason)
{
	switch (reason) {
	case VGTB_REASON_MAPPABLE_OVERFLOWS_32:
	case VGTB_REASON_UNMAPPABLE_OVERFLOWS_32:
	case VGTB_REASON_GEOMETRY_UNALIGNED:
	case VGTB_REASON_MAPPABLE_BASE_UNALIGNED:
	case VGTB_REASON_MAPPABLE_SIZE_UNALIGNED:
	case VGTB_REASON_UNMAPPABLE_BASE_UNALIGNED:
	case VGTB_REASON_UNMAPPABLE_SIZE_UNALIGNED:
	case VGTB_REASON_MAPPABLE_EMPTY:
	case VGTB_REASON_UNMAPPABLE_EMPTY:
		return true;
	default:
		return false;
	}
}
