/*
 * The placement-policy oracle: whether an ALLOC op's outcome is one its drm_mm insert mode
 * allows, judged from the device's observation just before the op (holes in address order, the
 * hole stack, the nodes and their colours). LOW takes the lowest hole where the node fits, HIGH
 * the highest (the top of it), BEST the smallest hole at least as large as the node (the most
 * recently added among equal sizes) then larger ones, EVICT the hole stack's order; ONCE tries
 * only the first candidate; `retry` then tries BEST. -ENOSPC is allowed only when no candidate
 * fits.
 */
#ifndef VGTFUZZ_POLICY_H
#define VGTFUZZ_POLICY_H
#include <stddef.h>

#include "observation.h"

/* NULL when the outcome (`ret`, and `start` when ret is 0) is allowed; else a description of the
 * violation, written into buf. */
const char *vgtf_policy_violation(const struct vgtf_op *op, bool color_adjust, const struct vgtf_dev_obs *before,
				  int ret, uint64_t start, char *buf, size_t len);
#endif
