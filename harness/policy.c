/*
 * The placement-policy oracle (see policy.h): does a node land where drm_mm's insert mode says
 * it must, given the free space just before the op? Written from the mode's definition, not from
 * either implementation, and fed only the observations both modules already report.
 */
#include <inttypes.h>
#include <stdio.h>

#include "policy.h"

#define GTT_PAGE 4096u

struct fit {
	bool ok;
	uint64_t at;
};

/* The node below hole h and the node above it, as colours (-1 for the end of the GGTT, which
 * drm_mm's head node stands for). `has_below` is false at address 0: no guard page there. */
static void neighbours(const struct vgtf_dev_obs *b, const struct vgtf_range *h, bool *has_below, int64_t *below,
		       int64_t *above)
{
	*has_below = false;
	*below = -1;
	*above = -1;
	for (uint32_t i = 0; i < b->n_nodes && i < VGTF_MAX_NODES; i++) {
		if (b->nodes[i].start + b->nodes[i].size == h->start) {
			*has_below = true;
			*below = b->nodes[i].color;
		}
		if (b->nodes[i].start == h->start + h->size)
			*above = b->nodes[i].color;
	}
}

/*
 * Where a request goes inside hole h, by drm_mm's rule for one hole: the colour guards shrink
 * it, the range clips it, HIGH takes the top, an unaligned start rounds down (HIGH) or up, and
 * what is left must still hold the node. Holes smaller than the node are never candidates (the
 * kernel's trees skip them), and a result outside the hole (a wrapped guard) is no fit.
 */
static struct fit fit(const struct vgtf_op *op, bool color_adjust, const struct vgtf_dev_obs *b,
		      const struct vgtf_range *h)
{
	struct fit r = { false, 0 };
	uint64_t lo = h->start, hi = h->start + h->size, as, ae;
	bool has_below;
	int64_t below, above;

	if (h->size < op->size)
		return r;
	if (color_adjust) {
		neighbours(b, h, &has_below, &below, &above);
		if (has_below && below != op->color)
			lo += GTT_PAGE;
		if (above != op->color)
			hi -= GTT_PAGE;
		if (hi <= lo)
			return r;
	}
	as = lo > op->range_start ? lo : op->range_start;
	ae = hi < op->range_end ? hi : op->range_end;
	if (ae <= as || ae - as < op->size)
		return r;
	if (op->mode == VGTF_INSERT_HIGH)
		as = ae - op->size;
	if (op->alignment > 1 && as % op->alignment) {
		as -= as % op->alignment;
		if (op->mode != VGTF_INSERT_HIGH)
			as += op->alignment;
		if (as < lo || as < op->range_start || as > ae || ae - as < op->size)
			return r;
	}
	r.ok = as >= h->start && as + op->size <= h->start + h->size;
	r.at = as;
	return r;
}

/* Position of hole h in the hole stack (0 = most recently added). */
static uint32_t age_rank(const struct vgtf_dev_obs *b, const struct vgtf_range *h)
{
	for (uint32_t i = 0; i < b->n_stack && i < VGTF_MAX_HOLES; i++)
		if (b->stack[i] == h->start)
			return i;
	return UINT32_MAX;
}

/* Does mode `mode` try hole x before hole y? */
static bool before(uint8_t mode, const struct vgtf_dev_obs *b, const struct vgtf_range *x, const struct vgtf_range *y)
{
	switch (mode) {
	case VGTF_INSERT_HIGH:
		return x->start > y->start;
	case VGTF_INSERT_BEST:
		if (x->size != y->size)
			return x->size < y->size;
		return age_rank(b, x) < age_rank(b, y);
	case VGTF_INSERT_EVICT:
		return age_rank(b, x) < age_rank(b, y);
	case VGTF_INSERT_LOW:
	default:
		return x->start < y->start;
	}
}

/* The hole the mode takes, or -1: the first in the mode's order where the node fits; with ONCE
 * only the very first candidate (a hole at least as large as the node for BEST; the top of the
 * stack, whatever its size, for EVICT). */
static int chosen(const struct vgtf_op *op, uint8_t mode, bool once, bool color_adjust, const struct vgtf_dev_obs *b,
		  struct fit *where)
{
	int best = -1;
	struct vgtf_op o = *op;

	o.mode = mode;
	for (uint32_t i = 0; i < b->n_holes && i < VGTF_MAX_HOLES; i++) {
		const struct vgtf_range *h = &b->holes[i];
		struct fit f;

		if (once && mode == VGTF_INSERT_BEST && h->size < op->size)
			continue;
		if (!once) {
			f = fit(&o, color_adjust, b, h);
			if (!f.ok)
				continue;
		}
		if (best < 0 || before(mode, b, h, &b->holes[best]))
			best = (int)i;
	}
	if (best < 0)
		return -1;
	*where = fit(&o, color_adjust, b, &b->holes[best]);
	return where->ok ? best : -1;
}

const char *vgtf_policy_violation(const struct vgtf_op *op, bool color_adjust, const struct vgtf_dev_obs *b, int ret,
				  uint64_t start, char *buf, size_t len)
{
	struct fit want = { false, 0 }, again = { false, 0 };
	int h, h2 = -1;

	/* ONCE in LOW/HIGH mode starts wherever drm_mm's address-tree descent stops: that depends
	 * on the tree's shape, not on a rule, so only the placement's own arithmetic is checked. */
	if (op->once && (op->mode == VGTF_INSERT_LOW || op->mode == VGTF_INSERT_HIGH)) {
		if (ret)
			return NULL;
		for (uint32_t i = 0; i < b->n_holes && i < VGTF_MAX_HOLES; i++) {
			struct fit f = fit(op, color_adjust, b, &b->holes[i]);

			if (f.ok && f.at == start)
				return NULL;
		}
		if (op->retry && chosen(op, VGTF_INSERT_BEST, false, color_adjust, b, &again) >= 0 && again.at == start)
			return NULL;
		snprintf(buf, len, "placed at 0x%" PRIx64 ", which no hole's rule for this request gives", start);
		return buf;
	}
	h = chosen(op, op->mode, op->once, color_adjust, b, &want);
	if (h < 0 && op->once && op->retry)
		h2 = chosen(op, VGTF_INSERT_BEST, false, color_adjust, b, &again);
	if (ret == 0) {
		if (h >= 0 && want.at == start)
			return NULL;
		if (h2 >= 0 && again.at == start)
			return NULL;
		if (h < 0 && h2 < 0)
			snprintf(buf, len, "placed at 0x%" PRIx64 " although no hole the mode may take fits", start);
		else
			snprintf(buf, len, "placed at 0x%" PRIx64 ", the mode's choice is 0x%" PRIx64, start,
				 h >= 0 ? want.at : again.at);
		return buf;
	}
	if (ret == -28 /* -ENOSPC */ && (h >= 0 || h2 >= 0)) {
		snprintf(buf, len, "-ENOSPC although the mode's choice 0x%" PRIx64 " fits",
			 h >= 0 ? want.at : again.at);
		return buf;
	}
	return NULL;
}
