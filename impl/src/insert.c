/*
 * Insertion by search: the lowest or highest place in a range where a node
 * of a given size, alignment and colour fits.
 */
#include "space_internal.h"

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Where in gap g the node would go, following the kernel's arithmetic step
 * by step (u64, wrap-around included). Returns false if it does not fit.
 */
static bool place_in_gap(const struct vgtb_space *sp, size_t g,
			 const struct vgtb_insert_req *req, uint64_t align,
			 uint64_t *at)
{
	uint64_t cs = vgtb_gap_lo(sp, g), ce = vgtb_gap_hi(sp, g);
	uint64_t as, ae, size = req->size;
	bool high = req->mode == VGTB_INSERT_HIGH;

	vgtb_gap_adjust(sp, g, req->color, &cs, &ce);
	as = max_u64(cs, req->range_start);
	ae = min_u64(ce, req->range_end);
	if (ae <= as || ae - as < size)
		return false;
	if (high)
		as = ae - size;
	if (align) {
		uint64_t rem = as % align;

		if (rem) {
			/* Round down for HIGH, up for LOW; then re-test. */
			as -= rem;
			if (!high)
				as += align;
			if (as < max_u64(cs, req->range_start) ||
			    min_u64(ce, req->range_end) - as < size)
				return false;
			if (ae <= as || ae - as < size)
				return false;
		}
	}
	*at = as;
	return true;
}

static bool some_hole_fits(const struct vgtb_space *sp, uint64_t size)
{
	for (size_t g = 0; g <= sp->count; g++) {
		uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g);

		if (hi > lo && hi - lo >= size)
			return true;
	}
	return false;
}

int vgtb_space_insert(struct vgtb_space *sp, const struct vgtb_insert_req *req,
		      vgtb_handle *out)
{
	bool high;
	uint64_t align;
	size_t gaps;

	if (!sp || !req)
		return -VGTB_EINVAL;
	if (req->mode != VGTB_INSERT_LOW && req->mode != VGTB_INSERT_HIGH)
		return -VGTB_EINVAL;
	if (req->range_start > req->range_end)
		return -VGTB_EINVAL;
	if (sp->count >= sp->capacity)
		return -VGTB_ENOMEM;
	if (req->size == 0 || req->range_end - req->range_start < req->size)
		return -VGTB_ENOSPC;

	/* No hole large enough at all: the kernel gives up before searching. */
	if (!some_hole_fits(sp, req->size))
		return -VGTB_ENOSPC;

	high = req->mode == VGTB_INSERT_HIGH;
	align = req->alignment <= 1 ? 0 : req->alignment;
	gaps = sp->count + 1;
	/*
	 * Every hole is tried, small ones included: the kernel's tree walk
	 * skips some small holes and visits others, depending on the tree's
	 * shape. For a small hole the arithmetic below rejects the request
	 * anyway, unless the hole's guard-page end wrapped; then the kernel
	 * may or may not corrupt itself, and trying it here turns that
	 * "may" into -EOVERFLOW.
	 */
	for (size_t k = 0; k < gaps; k++) {
		size_t g = high ? gaps - 1 - k : k;
		uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g), at;
		vgtb_handle h;

		if (hi <= lo)
			continue;
		/* Past the range in the direction of travel: nothing left. */
		if (!high && lo >= req->range_end)
			break;
		if (high && hi <= req->range_start)
			break;
		if (!place_in_gap(sp, g, req, align, &at))
			continue;
		/* Accepted only thanks to a wrapped bound: would overlap. */
		if (at < lo || at > hi || hi - at < req->size)
			return -VGTB_EOVERFLOW;
		h = vgtb_place(sp, g, at, req->size, req->color, req->flags);
		if (out)
			*out = h;
		return 0;
	}
	return -VGTB_ENOSPC;
}
