/*
 * The per-hole fit test shared by every insertion mode and by the eviction
 * scan: the kernel applies the same arithmetic in both places, so the model
 * keeps one copy of it.
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

bool vgtb_fit(uint64_t cs, uint64_t ce, const struct vgtb_insert_req *req, uint64_t *at)
{
	uint64_t size = req->size, align = req->alignment <= 1 ? 0 : req->alignment;
	uint64_t as = max_u64(cs, req->range_start);
	uint64_t ae = min_u64(ce, req->range_end);
	bool high = req->mode == VGTB_INSERT_HIGH;

	/* u64 throughout, wrap-around included: callers check the result. */
	if (ae <= as || ae - as < size)
		return false;
	if (high)
		as = ae - size;
	if (align) {
		uint64_t rem = as % align;

		/*
		 * Only an unaligned start moves: down for HIGH, up for all
		 * other modes. Both directions are then re-tested against
		 * the clipped bounds.
		 */
		if (rem) {
			as -= rem;
			if (!high)
				as += align;
			if (as < max_u64(cs, req->range_start) || min_u64(ce, req->range_end) - as < size)
				return false;
			if (ae <= as || ae - as < size)
				return false;
		}
	}
	*at = as;
	return true;
}
