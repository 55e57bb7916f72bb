/*
 * The summaries' node hash, in one place for the two sides that compute it: the kernel glue
 * (kgtt.c, straight from drm_mm's node list) and the harness (harness/observation.h, for the
 * production module and for full observations).
 */
#ifndef VGTFUZZ_NODE_HASH_H
#define VGTFUZZ_NODE_HASH_H
#include <stdint.h>

/* One node into a summary's hash (64-bit FNV-1a over the three words). */
static inline uint64_t vgtf_hash_node(uint64_t h, uint64_t start, uint64_t size, int64_t color)
{
	const uint64_t w[3] = { start, size, (uint64_t)color };

	for (int i = 0; i < 3; i++) {
		h ^= w[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
#define VGTF_HASH_SEED 0xcbf29ce484222325ull
#endif
