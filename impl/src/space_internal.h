/*
 * Shared by the address-space sources; not part of the public API.
 *
 * The model: nodes[0..count) sorted by start, never overlapping, all inside
 * [0, total). "Gap g" (0 <= g <= count) is the free range between node g-1
 * and node g, where node -1 stands for address 0 and node `count` for
 * `total`. A hole is a non-empty gap. Inserting into gap g puts the new node
 * at array index g, which keeps the array sorted.
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

/*
 * Shrink [*lo, *hi) of gap g for a node of `color` under the colour policy.
 * Plain u64 arithmetic that may wrap, exactly as the kernel computes it;
 * callers detect a wrapped result by checking their placement against the
 * real gap.
 */
void vgtb_gap_adjust(const struct vgtb_space *sp, size_t g, vgtb_color color,
		     uint64_t *lo, uint64_t *hi);

/* Put a new node into gap g (caller checked capacity and fit). */
vgtb_handle vgtb_place(struct vgtb_space *sp, size_t g, uint64_t start,
		       uint64_t size, vgtb_color color, unsigned flags);

/* Drop the node at array index i. */
void vgtb_remove_at(struct vgtb_space *sp, size_t i);

#endif
