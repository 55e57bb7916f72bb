/*
 * kind: customised-for-testing. Our own drm_random for running an older tree's drm_mm KUnit suite
 * (6.1's drm_mm_test.c, which includes "../lib/drm_random.h") against a newer tree that no longer
 * has the helper. Written from its documented behaviour, not copied: a seeded per-test generator
 * (DRM_RND_STATE), a random permutation of 0..count-1 (drm_random_order, NULL when out of memory)
 * and an in-place shuffle of one (drm_random_reorder). The sequences differ from the kernel's; the
 * tests only need them to be permutations, reproducible from the seed.
 *
 * Found through the include path as <dir>/../lib/drm_random.h, with compat/testing/kunit as <dir>
 * (extracted/CMakeLists.txt, target kunit_drm_mm_61).
 */
#ifndef VGTFUZZ_DRM_RANDOM_H
#define VGTFUZZ_DRM_RANDOM_H
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/types.h>

#define DRM_RND_STATE_INITIALIZER(seed__)                     \
	({                                                    \
		struct rnd_state vgtfuzz_rnd__;               \
		prandom_seed_state(&vgtfuzz_rnd__, (seed__)); \
		vgtfuzz_rnd__;                                \
	})
#define DRM_RND_STATE(name__, seed__) struct rnd_state name__ = DRM_RND_STATE_INITIALIZER(seed__)

/* A draw in [0, bound): the high half of a 32x32-bit product. */
static inline u32 drm_prandom_u32_max_state(u32 bound, struct rnd_state *state)
{
	return (u32)(((u64)prandom_u32_state(state) * bound) >> 32);
}

/* Shuffle: every slot, front to back, trades places with a slot drawn from the whole array. */
static inline void drm_random_reorder(unsigned int *order, unsigned int count, struct rnd_state *state)
{
	unsigned int slot, other, kept;

	for (slot = 0; slot < count; slot++) {
		other = drm_prandom_u32_max_state(count, state);
		kept = order[other];
		order[other] = order[slot];
		order[slot] = kept;
	}
}

static inline unsigned int *drm_random_order(unsigned int count, struct rnd_state *state)
{
	unsigned int *order = kmalloc_array(count, sizeof(*order), GFP_KERNEL);
	unsigned int k;

	if (!order)
		return NULL;
	for (k = 0; k < count; k++)
		order[k] = k;
	drm_random_reorder(order, count, state);
	return order;
}
#endif
