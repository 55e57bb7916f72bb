/*
 * kind: customised-for-testing. drm_mm_replace_node() for trees that dropped it (6.12 and later), so
 * that 6.1's drm_mm KUnit suite, whose replace test calls it, runs against their drm_mm. Ours,
 * written from the helper's documented contract: `new` takes over `old`'s place (range, colour and
 * links in the node list, the interval tree and, when a hole follows it, the hole lists and trees),
 * `old` ends unallocated. It only touches drm_mm_node members that the tree's own drm_mm.h declares.
 */
#ifndef VGTFUZZ_DRM_MM_REPLACE_NODE_H
#define VGTFUZZ_DRM_MM_REPLACE_NODE_H
#include <linux/list.h>
#include <linux/rbtree.h>
#include <drm/drm_mm.h>

static inline void drm_mm_replace_node(struct drm_mm_node *old, struct drm_mm_node *new)
{
	struct drm_mm *owner = old->mm;
	bool hole_after = drm_mm_hole_follows(old);

	/* Same range, colour, cached hole size and tree bookkeeping; then each link moves over. */
	*new = *old;
	__set_bit(DRM_MM_NODE_ALLOCATED_BIT, &new->flags);
	list_replace(&old->node_list, &new->node_list);
	rb_replace_node_cached(&old->rb, &new->rb, &owner->interval_tree);
	if (hole_after) {
		list_replace(&old->hole_stack, &new->hole_stack);
		rb_replace_node_cached(&old->rb_hole_size, &new->rb_hole_size, &owner->holes_size);
		rb_replace_node(&old->rb_hole_addr, &new->rb_hole_addr, &owner->holes_addr);
	}
	__clear_bit(DRM_MM_NODE_ALLOCATED_BIT, &old->flags);
}
#endif
