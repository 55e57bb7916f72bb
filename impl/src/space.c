/*
 * Address space: storage, gaps, removal, iteration and the self-check.
 * Placement policies live in reserve.c, insert.c and evict.c.
 */
#include "space_internal.h"

#include <string.h>

int vgtb_space_init(struct vgtb_space *sp, struct vgtb_node *storage, size_t capacity, uint64_t total,
		    bool color_policy)
{
	if (!sp || (!storage && capacity > 0))
		return -VGTB_EINVAL;
	if (total == 0 || total > VGTB_TOTAL_MAX)
		return -VGTB_EINVAL;
	sp->nodes = storage;
	sp->capacity = capacity;
	sp->count = 0;
	sp->total = total;
	sp->color_policy = color_policy;
	sp->next_handle = 1;
	sp->evict_log = NULL;
	/* The kernel's init adds the one hole [0, total): the first age. */
	sp->age_clock = 1;
	sp->head_hole_age = 1;
	return 0;
}

void vgtb_space_set_evict_log(struct vgtb_space *sp, struct vgtb_evict_log *log)
{
	if (sp)
		sp->evict_log = log;
}

uint64_t vgtb_gap_lo(const struct vgtb_space *sp, size_t g)
{
	return g == 0 ? 0 : vgtb_node_end(&sp->nodes[g - 1]);
}

uint64_t vgtb_gap_hi(const struct vgtb_space *sp, size_t g)
{
	return g == sp->count ? sp->total : sp->nodes[g].start;
}

static uint64_t *gap_age_slot(struct vgtb_space *sp, size_t g)
{
	return g == 0 ? &sp->head_hole_age : &sp->nodes[g - 1].hole_age;
}

uint64_t vgtb_gap_age(const struct vgtb_space *sp, size_t g)
{
	return g == 0 ? sp->head_hole_age : sp->nodes[g - 1].hole_age;
}

/* The kernel (re)adds gap g's hole to its lists: it becomes the newest. */
static void hole_added(struct vgtb_space *sp, size_t g)
{
	*gap_age_slot(sp, g) = ++sp->age_clock;
}

void vgtb_color_adjust(const struct vgtb_space *sp, const struct vgtb_node *below, const struct vgtb_node *above,
		       vgtb_color color, uint64_t *lo, uint64_t *hi)
{
	if (!sp->color_policy)
		return;
	/* Address 0 has no neighbour below it that could need a guard page. */
	if (below && below->color != color)
		*lo += VGTB_PAGE_SIZE;
	/*
	 * The end of the GGTT behaves like a neighbour of colour -1, so that
	 * nothing else ends flush with it (hardware may prefetch past the
	 * last page).
	 */
	if ((above ? above->color : VGTB_COLOR_UNEVICTABLE) != color)
		*hi -= VGTB_PAGE_SIZE;
}

void vgtb_gap_adjust(const struct vgtb_space *sp, size_t g, vgtb_color color, uint64_t *lo, uint64_t *hi)
{
	vgtb_color_adjust(sp, g > 0 ? &sp->nodes[g - 1] : NULL, g < sp->count ? &sp->nodes[g] : NULL, color, lo, hi);
}

vgtb_handle vgtb_place(struct vgtb_space *sp, size_t g, uint64_t start, uint64_t size, vgtb_color color, unsigned flags)
{
	uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g);
	struct vgtb_node *n = &sp->nodes[g];

	memmove(n + 1, n, (sp->count - g) * sizeof(*n));
	n->start = start;
	n->size = size;
	n->color = color;
	n->pinned = (flags & VGTB_NODE_PINNED) != 0;
	n->handle = sp->next_handle++;
	n->hole_age = 0;
	n->scanned = false;
	sp->count++;
	/*
	 * The hole is taken out of the kernel's lists; what is left of it
	 * below the node goes back first, then the part above the node (now
	 * gap g + 1, owned by the new node). Either part may be empty.
	 */
	*gap_age_slot(sp, g) = 0;
	if (start > lo)
		hole_added(sp, g);
	if (start + size < hi)
		hole_added(sp, g + 1);
	return n->handle;
}

void vgtb_remove_at(struct vgtb_space *sp, size_t i)
{
	struct vgtb_node *n = &sp->nodes[i];

	memmove(n, n + 1, (sp->count - i - 1) * sizeof(*n));
	sp->count--;
	/*
	 * The node's own hole goes, and the predecessor's hole (if it had
	 * one) is taken out and re-added grown: gap i is the merged gap and
	 * is never empty, since the node had a size.
	 */
	hole_added(sp, i);
}

size_t vgtb_index_of(const struct vgtb_space *sp, vgtb_handle handle)
{
	for (size_t i = 0; i < sp->count; i++)
		if (sp->nodes[i].handle == handle)
			return i;
	return SIZE_MAX;
}

int vgtb_space_remove(struct vgtb_space *sp, vgtb_handle handle)
{
	size_t i;

	if (!sp)
		return -VGTB_EINVAL;
	i = handle == VGTB_HANDLE_NONE ? SIZE_MAX : vgtb_index_of(sp, handle);
	if (i == SIZE_MAX)
		return -VGTB_ENOENT;
	vgtb_remove_at(sp, i);
	return 0;
}

const struct vgtb_node *vgtb_space_find(const struct vgtb_space *sp, vgtb_handle handle)
{
	size_t i;

	if (!sp || handle == VGTB_HANDLE_NONE)
		return NULL;
	i = vgtb_index_of(sp, handle);
	return i == SIZE_MAX ? NULL : &sp->nodes[i];
}

size_t vgtb_space_count(const struct vgtb_space *sp)
{
	return sp ? sp->count : 0;
}

const struct vgtb_node *vgtb_space_node(const struct vgtb_space *sp, size_t index)
{
	return sp && index < sp->count ? &sp->nodes[index] : NULL;
}

const struct vgtb_node *vgtb_space_nodes(const struct vgtb_space *sp, size_t *count)
{
	*count = sp ? sp->count : 0;
	return sp ? sp->nodes : NULL;
}

bool vgtb_space_next_hole(const struct vgtb_space *sp, size_t *cursor, struct vgtb_hole *out)
{
	if (!sp || !cursor || !out)
		return false;
	/* The cursor is the next gap to look at; empty gaps are not holes. */
	while (*cursor <= sp->count) {
		size_t g = (*cursor)++;
		uint64_t lo = vgtb_gap_lo(sp, g), hi = vgtb_gap_hi(sp, g);

		if (hi > lo) {
			out->start = lo;
			out->size = hi - lo;
			out->age = vgtb_gap_age(sp, g);
			return true;
		}
	}
	return false;
}

size_t vgtb_space_hole_count(const struct vgtb_space *sp)
{
	size_t cursor = 0, n = 0;
	struct vgtb_hole h;

	while (vgtb_space_next_hole(sp, &cursor, &h))
		n++;
	return n;
}

static int broken(const char **why, const char *what)
{
	if (why)
		*why = what;
	return -1;
}

int vgtb_space_check(const struct vgtb_space *sp, const char **why)
{
	if (!sp)
		return broken(why, "space is NULL");
	if (sp->total == 0 || sp->total > VGTB_TOTAL_MAX)
		return broken(why, "total out of range");
	if (sp->count > sp->capacity)
		return broken(why, "count exceeds capacity");
	if (sp->count > 0 && !sp->nodes)
		return broken(why, "nodes without storage");
	/* Gap 0 belongs to the space; gap i + 1 to node i. */
	if ((vgtb_gap_age(sp, 0) == 0) != (vgtb_gap_hi(sp, 0) == 0))
		return broken(why, "hole age and gap disagree");
	if (sp->head_hole_age > sp->age_clock)
		return broken(why, "hole age from the future");
	for (size_t i = 0; i < sp->count; i++) {
		const struct vgtb_node *n = &sp->nodes[i];
		uint64_t age = n->hole_age;

		if (n->size == 0)
			return broken(why, "empty node");
		if (vgtb_node_end(n) < n->start || vgtb_node_end(n) > sp->total)
			return broken(why, "node beyond total");
		if (i > 0 && vgtb_node_end(&sp->nodes[i - 1]) > n->start)
			return broken(why, "nodes overlap or out of order");
		if (n->handle == VGTB_HANDLE_NONE || n->handle >= sp->next_handle)
			return broken(why, "handle out of range");
		if (n->scanned)
			return broken(why, "node left marked by a scan");
		if ((age == 0) != (vgtb_gap_hi(sp, i + 1) == vgtb_node_end(n)))
			return broken(why, "hole age and gap disagree");
		if (age > sp->age_clock)
			return broken(why, "hole age from the future");
		if (age && age == sp->head_hole_age)
			return broken(why, "two holes of one age");
		/* One pass for both pairwise rules keeps the check O(n^2). */
		for (size_t j = 0; j < i; j++) {
			if (sp->nodes[j].handle == n->handle)
				return broken(why, "duplicate handle");
			if (age && sp->nodes[j].hole_age == age)
				return broken(why, "two holes of one age");
		}
	}
	if (sp->evict_log && sp->evict_log->capacity > 0 && !sp->evict_log->entries)
		return broken(why, "evict log without entries");
	return 0;
}
