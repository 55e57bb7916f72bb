/*
 * Eviction for a fixed-address reservation: all or nothing.
 */
#include "space_internal.h"

static bool overlaps(const struct vgtb_node *n, uint64_t lo, uint64_t hi)
{
	return n->start < hi && vgtb_node_end(n) > lo;
}

/*
 * Under the colour policy a node of the target's own colour that merely
 * touches the target needs no guard page, so it may stay.
 */
static bool harmless_neighbour(const struct vgtb_space *sp, const struct vgtb_node *n, uint64_t start, uint64_t end,
			       vgtb_color color)
{
	if (!sp->color_policy || n->color != color)
		return false;
	return vgtb_node_end(n) == start || n->start == end;
}

static bool doomed(const struct vgtb_space *sp, const struct vgtb_node *n, uint64_t lo, uint64_t hi, uint64_t start,
		   uint64_t end, vgtb_color color)
{
	return overlaps(n, lo, hi) && !harmless_neighbour(sp, n, start, end, color);
}

void vgtb_evict_at(struct vgtb_space *sp, size_t i)
{
	struct vgtb_evict_log *log = sp->evict_log;

	if (log) {
		if (log->count < log->capacity && log->entries)
			log->entries[log->count] = sp->nodes[i];
		log->count++;
	}
	vgtb_remove_at(sp, i);
}

int vgtb_space_evict_for(struct vgtb_space *sp, uint64_t start, uint64_t size, vgtb_color color)
{
	uint64_t end = start + size;
	uint64_t lo = start, hi = end;
	size_t i;

	if (!sp)
		return -VGTB_EINVAL;
	/*
	 * Widen by a page each way to reach neighbours that would sit flush
	 * against the new node. Plain u64 arithmetic, as the kernel does it:
	 * an unaligned start below one page wraps lo so that no node matches.
	 */
	if (sp->color_policy) {
		if (lo != 0)
			lo -= VGTB_PAGE_SIZE;
		hi += VGTB_PAGE_SIZE;
	}

	/* First pass decides; nothing is removed unless every node may go. */
	for (i = 0; i < sp->count; i++) {
		const struct vgtb_node *n = &sp->nodes[i];

		if (!overlaps(n, lo, hi))
			continue;
		if (n->color == VGTB_COLOR_UNEVICTABLE)
			return -VGTB_ENOSPC;
		if (harmless_neighbour(sp, n, start, end, color))
			continue;
		if (n->pinned)
			return -VGTB_ENOSPC;
	}
	/* The end of the GGTT is an unevictable neighbour too. */
	if (sp->total < hi)
		return -VGTB_ENOSPC;

	/*
	 * Every overlapping node is now either a harmless neighbour or
	 * evictable. They go one at a time in descending address order, as
	 * i915 unbinds them (see the header for when the order shows: each
	 * removal re-ages the hole below its victim).
	 */
	for (i = sp->count; i-- > 0;)
		if (doomed(sp, &sp->nodes[i], lo, hi, start, end, color))
			vgtb_evict_at(sp, i);
	return 0;
}
