/*
 * The eviction scan: which nodes to evict so that a request fits, the way
 * i915_gem_evict_something() drives the kernel's scan API (first pass only).
 *
 * The kernel unlinks each scanned node from its node list, so the hole a
 * scanned node sits in grows to span its scanned neighbours; when that grown
 * hole first fits the request, the scan stops, and the nodes that overlap
 * the chosen range are evicted. The model marks scanned nodes in place
 * (vgtb_node.scanned) and finds the grown hole by stepping over marked
 * neighbours; nothing else changes until the scan has decided.
 */
#include "space_internal.h"

/* i915 never scans pinned objects; colour -1 nodes are not objects at all. */
static bool skipped(const struct vgtb_node *n)
{
	return n->pinned || n->color == VGTB_COLOR_UNEVICTABLE;
}

static void unmark_all(struct vgtb_space *sp)
{
	for (size_t i = 0; i < sp->count; i++)
		sp->nodes[i].scanned = false;
}

/* Every handle names a node, none twice; nothing is changed either way. */
static int check_lru(struct vgtb_space *sp, const vgtb_handle *lru, size_t n)
{
	int err = 0;

	for (size_t k = 0; k < n && !err; k++) {
		size_t i = lru[k] == VGTB_HANDLE_NONE ? SIZE_MAX : vgtb_index_of(sp, lru[k]);

		if (i == SIZE_MAX)
			err = -VGTB_ENOENT;
		else if (sp->nodes[i].scanned)
			err = -VGTB_EINVAL;
		else
			sp->nodes[i].scanned = true;
	}
	unmark_all(sp);
	return err;
}

/*
 * Node i has just been marked. Its grown hole runs from the nearest
 * unmarked node below (or address 0) to the nearest unmarked node above (or
 * total); those two neighbours decide the colour guards.
 */
static bool scan_hole_fits(const struct vgtb_space *sp, size_t i, const struct vgtb_insert_req *req, uint64_t *lo,
			   uint64_t *hi, uint64_t *at)
{
	const struct vgtb_node *below = NULL, *above = NULL;
	size_t j;
	uint64_t cs, ce;

	for (j = i; j > 0 && sp->nodes[j - 1].scanned; j--)
		;
	if (j > 0)
		below = &sp->nodes[j - 1];
	for (j = i + 1; j < sp->count && sp->nodes[j].scanned; j++)
		;
	if (j < sp->count)
		above = &sp->nodes[j];
	*lo = below ? below->start + below->size : 0;
	*hi = above ? above->start : sp->total;
	cs = *lo;
	ce = *hi;
	vgtb_color_adjust(sp, below, above, req->color, &cs, &ce);
	return vgtb_fit(cs, ce, req, at);
}

/*
 * With the colour policy, the hole around [hs, he) may still lack a guard
 * page on either side. The lower neighbour is looked at first; each one in
 * the way must be an evictable object. 0 when nothing more is in the way.
 */
static int evict_for_guards(struct vgtb_space *sp, vgtb_color color, uint64_t hs, uint64_t he)
{
	while (sp->color_policy) {
		size_t g = 0, victim;
		uint64_t lo, hi;

		while (g <= sp->count && !(vgtb_gap_lo(sp, g) <= hs && vgtb_gap_hi(sp, g) >= he))
			g++;
		if (g > sp->count)
			return 0; /* unreachable: the range was just freed */
		lo = vgtb_gap_lo(sp, g);
		hi = vgtb_gap_hi(sp, g);
		vgtb_gap_adjust(sp, g, color, &lo, &hi);
		if (lo > hs)
			victim = g - 1; /* lo moves only for a real node */
		else if (hi < he)
			victim = g; /* g == count: the end of the space */
		else
			return 0;
		if (victim == sp->count || skipped(&sp->nodes[victim]))
			return -VGTB_ENOSPC;
		vgtb_evict_at(sp, victim);
	}
	return 0;
}

int vgtb_space_evict_scan(struct vgtb_space *sp, const struct vgtb_insert_req *req, const vgtb_handle *lru, size_t n)
{
	uint64_t lo = 0, hi = 0, hs = 0, he;
	size_t k, found = SIZE_MAX;
	int err;

	if (!sp || !req || (!lru && n > 0))
		return -VGTB_EINVAL;
	if (!vgtb_req_valid(req))
		return -VGTB_EINVAL;
	err = check_lru(sp, lru, n);
	if (err)
		return err;
	/* The kernel only asserts these; nothing can fit, so nothing goes. */
	if (req->size == 0 || req->range_end - req->range_start < req->size)
		return -VGTB_ENOSPC;

	for (k = 0; k < n; k++) {
		size_t i = vgtb_index_of(sp, lru[k]);

		if (skipped(&sp->nodes[i]))
			continue;
		sp->nodes[i].scanned = true;
		if (scan_hole_fits(sp, i, req, &lo, &hi, &hs)) {
			found = k;
			break;
		}
	}
	unmark_all(sp);
	if (found == SIZE_MAX)
		return -VGTB_ENOSPC;
	he = hs + req->size;
	/*
	 * Accepted only thanks to a guard-page end that wrapped below 0: the
	 * range reaches into a live node. The kernel asserts here in debug
	 * builds and goes on with a broken range otherwise.
	 */
	if (hs < lo || he > hi)
		return -VGTB_EOVERFLOW;

	/*
	 * i915 prepends each scanned object to its eviction list and unbinds
	 * in list order: the victims go newest-scanned first.
	 */
	for (k = found + 1; k-- > 0;) {
		size_t i = vgtb_index_of(sp, lru[k]);
		const struct vgtb_node *v = &sp->nodes[i];

		if (!skipped(v) && v->start < he && v->start + v->size > hs)
			vgtb_evict_at(sp, i);
	}
	return evict_for_guards(sp, req->color, hs, he);
}
