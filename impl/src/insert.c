/*
 * Insertion by search: which holes the kernel tries, in which order, for
 * each mode, and where in the first suitable one the node goes.
 *
 * The model keeps no search trees. Each mode's order is a rule over the
 * holes (address, size, age), and the next candidate is found by a scan of
 * the gaps for the nearest one after the previous candidate in that order.
 * That costs O(holes) per candidate; the first candidate usually fits.
 */
#include "space_internal.h"

/* Where a walk through the candidates stands. */
struct cursor {
	bool started;
	size_t g; /* LOW/HIGH: the last gap tried                     */
	uint64_t size; /* BEST: the last candidate's size ...              */
	uint64_t age; /* BEST, EVICT: ... and age                         */
};

static uint64_t gap_size(const struct vgtb_space *sp, size_t g)
{
	return vgtb_gap_hi(sp, g) - vgtb_gap_lo(sp, g);
}

/*
 * BEST's order: size ascending, and among equal sizes the newest first
 * (the kernel's size tree keeps equal sizes in insertion order and walks it
 * from the small end backwards). Ages are unique, so this is a total order.
 */
static bool best_before(uint64_t s1, uint64_t a1, uint64_t s2, uint64_t a2)
{
	return s1 < s2 || (s1 == s2 && a1 > a2);
}

/*
 * The next candidate after *c, or false. Every mode skips empty gaps. LOW
 * and HIGH visit every hole, small ones too (see the wrap note below); BEST
 * visits only holes of at least `size`; EVICT visits every hole, newest
 * first, whatever its size.
 */
static bool next_candidate(const struct vgtb_space *sp, enum vgtb_insert_mode mode, uint64_t size, struct cursor *c,
			   size_t *out)
{
	size_t gaps = sp->count + 1, pick = SIZE_MAX;

	switch (mode) {
	case VGTB_INSERT_LOW:
	case VGTB_INSERT_HIGH:
		for (size_t k = c->started ? c->g + 1 : 0; k < gaps; k++) {
			size_t g = mode == VGTB_INSERT_HIGH ? gaps - 1 - k : k;

			if (gap_size(sp, g)) {
				/* c->g counts steps, not gaps, for HIGH. */
				c->g = k;
				pick = g;
				break;
			}
		}
		break;
	case VGTB_INSERT_BEST:
		for (size_t g = 0; g < gaps; g++) {
			uint64_t s = gap_size(sp, g), a = vgtb_gap_age(sp, g);

			if (!s || s < size)
				continue;
			if (c->started && !best_before(c->size, c->age, s, a))
				continue;
			if (pick == SIZE_MAX || best_before(s, a, gap_size(sp, pick), vgtb_gap_age(sp, pick)))
				pick = g;
		}
		break;
	case VGTB_INSERT_EVICT:
		for (size_t g = 0; g < gaps; g++) {
			uint64_t a = vgtb_gap_age(sp, g);

			if (!a || (c->started && a >= c->age))
				continue;
			if (pick == SIZE_MAX || a > vgtb_gap_age(sp, pick))
				pick = g;
		}
		break;
	}
	if (pick == SIZE_MAX)
		return false;
	c->started = true;
	c->size = gap_size(sp, pick);
	c->age = vgtb_gap_age(sp, pick);
	*out = pick;
	return true;
}

/*
 * DRM_MM_INSERT_ONCE for LOW and HIGH. The kernel's first hole is wherever
 * its address-tree descent towards range_start (LOW) or range_end (HIGH)
 * stops, which depends on the tree's shape, not on a rule. The model takes
 * the hole that descent aims for: the lowest hole of at least `size` that
 * ends after range_start (LOW), or the highest one that starts before
 * range_end (HIGH). The kernel may land elsewhere; see the header.
 */
static bool once_low_high(const struct vgtb_space *sp, const struct vgtb_insert_req *req, size_t *out)
{
	size_t gaps = sp->count + 1;

	for (size_t k = 0; k < gaps; k++) {
		bool high = req->mode == VGTB_INSERT_HIGH;
		size_t g = high ? gaps - 1 - k : k;
		uint64_t s = gap_size(sp, g);

		if (!s || s < req->size)
			continue;
		if (high ? vgtb_gap_lo(sp, g) < req->range_end : vgtb_gap_hi(sp, g) > req->range_start) {
			*out = g;
			return true;
		}
	}
	return false;
}

static bool some_hole_fits(const struct vgtb_space *sp, uint64_t size)
{
	for (size_t g = 0; g <= sp->count; g++)
		if (gap_size(sp, g) >= size) /* size > 0: no empty gap passes */
			return true;
	return false;
}

/*
 * Try gap g: 1 placed, 0 does not fit, or a negative error. The kernel
 * tests raw holes against colour-adjusted bounds; a bound that wrapped can
 * accept a node that overlaps a neighbour, which the kernel would then
 * insert, corrupting itself. The model refuses that with -EOVERFLOW.
 */
static int try_gap(struct vgtb_space *sp, size_t g, const struct vgtb_insert_req *req, vgtb_handle *out)
{
	uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g);
	uint64_t cs = lo, ce = hi, at;
	vgtb_handle h;

	vgtb_gap_adjust(sp, g, req->color, &cs, &ce);
	if (!vgtb_fit(cs, ce, req, &at))
		return 0;
	if (at < lo || at > hi || hi - at < req->size)
		return -VGTB_EOVERFLOW;
	h = vgtb_place(sp, g, at, req->size, req->color, req->flags);
	if (out)
		*out = h;
	return 1;
}

/*
 * Would gap g, a real (non-empty) hole overlapping the request's range,
 * take the node only because its colour-adjusted bounds wrapped (try_gap's
 * -EOVERFLOW)?
 */
static bool gap_wraps(const struct vgtb_space *sp, size_t g, const struct vgtb_insert_req *req)
{
	uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g);
	uint64_t cs = lo, ce = hi, at;

	if (lo == hi || hi <= req->range_start || lo >= req->range_end)
		return false;
	vgtb_gap_adjust(sp, g, req->color, &cs, &ce);
	return vgtb_fit(cs, ce, req, &at) && (at < lo || at > hi || hi - at < req->size);
}

int vgtb_space_insert(struct vgtb_space *sp, const struct vgtb_insert_req *req, vgtb_handle *out)
{
	struct cursor c = { false, 0, 0, 0 };
	size_t g;
	bool more;

	if (!sp || !req)
		return -VGTB_EINVAL;
	if (!vgtb_req_valid(req))
		return -VGTB_EINVAL;
	if (sp->count >= sp->capacity)
		return -VGTB_ENOMEM;
	if (req->size == 0 || req->range_end - req->range_start < req->size)
		return -VGTB_ENOSPC;

	/* No hole large enough at all: the kernel gives up before searching. */
	if (!some_hole_fits(sp, req->size))
		return -VGTB_ENOSPC;

	/*
	 * LOW and HIGH try every hole, small ones included: the kernel's
	 * tree walk skips some small holes and visits others, depending on
	 * the tree's shape. For a small hole the fit test rejects the
	 * request anyway, unless the hole's guard-page end wrapped; then the
	 * kernel may or may not corrupt itself, and trying it here turns
	 * that "may" into -EOVERFLOW.
	 */
	if (req->once && (req->mode == VGTB_INSERT_LOW || req->mode == VGTB_INSERT_HIGH)) {
		/*
		 * The kernel's ONCE descent stops at the hole its tree's shape
		 * picks, small ones included: a hole in the range whose guard
		 * end wraps is the same "may" as above, whichever hole this
		 * model would take.
		 */
		for (g = 0; g <= sp->count; g++)
			if (gap_wraps(sp, g, req))
				return -VGTB_EOVERFLOW;
		more = once_low_high(sp, req, &g);
	} else
		more = next_candidate(sp, req->mode, req->size, &c, &g);
	while (more) {
		int r;

		/* Past the range in the direction of travel: nothing left. */
		if (req->mode == VGTB_INSERT_LOW && vgtb_gap_lo(sp, g) >= req->range_end)
			break;
		if (req->mode == VGTB_INSERT_HIGH && vgtb_gap_hi(sp, g) <= req->range_start)
			break;
		r = try_gap(sp, g, req, out);
		if (r)
			return r < 0 ? r : 0;
		more = !req->once && next_candidate(sp, req->mode, req->size, &c, &g);
	}
	return -VGTB_ENOSPC;
}
