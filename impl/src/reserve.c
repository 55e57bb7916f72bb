/*
 * Reservation at a fixed address, optionally evicting what is in the way.
 */
#include "space_internal.h"

/* Index of the first node starting at or after addr (binary search). */
static size_t first_at_or_after(const struct vgtb_space *sp, uint64_t addr)
{
	size_t lo = 0, hi = sp->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sp->nodes[mid].start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool nonempty(const struct vgtb_space *sp, size_t g)
{
	return vgtb_gap_hi(sp, g) > vgtb_gap_lo(sp, g);
}

/*
 * Would the colour-adjusted bounds of gap g accept [start, end)? This is the
 * kernel's acceptance test, wrapped arithmetic included.
 */
static bool adjusted_fit(const struct vgtb_space *sp, size_t g, vgtb_color color, uint64_t start, uint64_t end)
{
	uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g);

	vgtb_gap_adjust(sp, g, color, &lo, &hi);
	return lo <= start && hi >= end;
}

static int reserve_once(struct vgtb_space *sp, uint64_t start, uint64_t size, vgtb_color color, unsigned flags,
			vgtb_handle *out)
{
	uint64_t end = start + size;
	vgtb_handle h;
	size_t g;

	/* Zero size and u64 wrap-around both land here. */
	if (end <= start)
		return -VGTB_ENOSPC;

	/*
	 * The only hole that can contain start is gap g. Its end counts as
	 * inside (start == hole end): the kernel's lookup treats it so, and
	 * the fit test then fails for any non-empty node anyway.
	 */
	g = first_at_or_after(sp, start);
	if (nonempty(sp, g) && vgtb_gap_lo(sp, g) <= start && start <= vgtb_gap_hi(sp, g)) {
		if (!adjusted_fit(sp, g, color, start, end))
			return -VGTB_ENOSPC;
		/* Accepted only thanks to a wrapped end: would overlap. */
		if (end > vgtb_gap_hi(sp, g))
			return -VGTB_EOVERFLOW;
		h = vgtb_place(sp, g, start, size, color, flags);
		if (out)
			*out = h;
		return 0;
	}

	/*
	 * start is in no hole. The kernel then tests the nearest hole below or
	 * above start, whichever its search tree ends on. The one above always
	 * fails (its start is past ours); the one below fails unless its end
	 * wrapped, in which case the kernel would corrupt itself.
	 */
	for (size_t p = g + 1; p-- > 0;) {
		if (nonempty(sp, p) && vgtb_gap_hi(sp, p) < start) {
			if (adjusted_fit(sp, p, color, start, end))
				return -VGTB_EOVERFLOW;
			break;
		}
	}
	return -VGTB_ENOSPC;
}

int vgtb_space_reserve(struct vgtb_space *sp, uint64_t start, uint64_t size, vgtb_color color, unsigned flags,
		       vgtb_handle *out)
{
	int err;

	if (!sp)
		return -VGTB_EINVAL;
	/* Up front, so that running out of storage never has side effects. */
	if (sp->count >= sp->capacity)
		return -VGTB_ENOMEM;

	err = reserve_once(sp, start, size, color, flags, out);
	if (err != -VGTB_ENOSPC || !(flags & VGTB_RESERVE_EVICT))
		return err;
	err = vgtb_space_evict_for(sp, start, size, color);
	if (err == 0)
		err = reserve_once(sp, start, size, color, flags, out);
	return err;
}
