/*
 * Shared by the address-space sources; not part of the public API.
 *
 * The model: nodes[0..count) sorted by start, never overlapping, all inside
 * [0, total). "Gap g" (0 <= g <= count) is the free range between node g-1
 * and node g, where node -1 stands for address 0 and node `count` for
 * `total`. A hole is a non-empty gap. Inserting into gap g puts the new node
 * at array index g, which keeps the array sorted.
 *
 * Hole ages: the owner of gap g is node g-1 (the space itself for gap 0, the
 * kernel's "head node"). Whenever the kernel would (re)insert that hole in
 * its hole lists, the owner takes the next value of age_clock; while the gap
 * is empty its age is 0. Ages are the only history the model keeps: they
 * order the kernel's hole stack and break ties in its size-ordered tree.
 */
#ifndef VGTB_SPACE_INTERNAL_H
#define VGTB_SPACE_INTERNAL_H

#include "vgtballoon.h"

static inline uint64_t vgtb_node_end(const struct vgtb_node *n)
{
	return n->start + n->size;
}

uint64_t vgtb_gap_lo(const struct vgtb_space *sp, size_t g);
uint64_t vgtb_gap_hi(const struct vgtb_space *sp, size_t g);

/* Age of gap g's hole (0 when the gap is empty). */
uint64_t vgtb_gap_age(const struct vgtb_space *sp, size_t g);

/*
 * Shrink [*lo, *hi) for a node of `color` under the colour policy, given the
 * nodes just below and above the range (NULL: address 0 below, the end of
 * the space above). Plain u64 arithmetic that may wrap, exactly as the
 * kernel computes it; callers detect a wrapped result by checking their
 * placement against the real bounds.
 */
void vgtb_color_adjust(const struct vgtb_space *sp, const struct vgtb_node *below, const struct vgtb_node *above,
		       vgtb_color color, uint64_t *lo, uint64_t *hi);
/* The same for gap g, whose neighbours are nodes g-1 and g. */
void vgtb_gap_adjust(const struct vgtb_space *sp, size_t g, vgtb_color color, uint64_t *lo, uint64_t *hi);

/*
 * The kernel's per-hole fit test (fit.c): in the colour-adjusted bounds
 * [cs, ce), clipped to the request's range, where does the node start?
 * HIGH takes the top; an unaligned start is rounded down (HIGH) or up (every
 * other mode) and the result re-tested. false if it does not fit.
 */
bool vgtb_fit(uint64_t cs, uint64_t ce, const struct vgtb_insert_req *req, uint64_t *at);

/* Put a new node into gap g (caller checked capacity and fit). */
vgtb_handle vgtb_place(struct vgtb_space *sp, size_t g, uint64_t start, uint64_t size, vgtb_color color,
		       unsigned flags);

/* Drop the node at array index i. */
void vgtb_remove_at(struct vgtb_space *sp, size_t i);

/* Array index of the node with that handle, or SIZE_MAX. */
size_t vgtb_index_of(const struct vgtb_space *sp, vgtb_handle handle);

/* Record an eviction in the space's log (if any), then remove node i. */
void vgtb_evict_at(struct vgtb_space *sp, size_t i);

/* A request every insertion policy can take: a known mode, an ordered range. */
static inline bool vgtb_req_valid(const struct vgtb_insert_req *req)
{
	return (req->mode == VGTB_INSERT_LOW || req->mode == VGTB_INSERT_HIGH || req->mode == VGTB_INSERT_BEST ||
		req->mode == VGTB_INSERT_EVICT) &&
	       req->range_start <= req->range_end;
}

#endif
