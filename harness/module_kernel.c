/* The reference module: the lifted kernel code, through kgtt. */
#include "kgtt.h"
#include "module.h"

static void k_reset(void)
{
	kgtt_reset();
}

static int k_init_dev(unsigned int dev, const struct vgtf_device *geom, const uint8_t *page)
{
	int err = kgtt_init(dev, geom->total, geom->mappable_end, geom->color_adjust);

	kgtt_set_page(dev, page, VGTF_PAGE_SIZE);
	return err;
}

static int k_reserve(unsigned int dev, const struct vgtf_pre_node *pre)
{
	return kgtt_reserve(dev, pre->start, pre->size, pre->color, pre->pinned);
}

static int k_balloon(unsigned int dev)
{
	return kgtt_balloon(dev);
}

_Static_assert((int)KGTT_LOW == VGTF_INSERT_LOW && (int)KGTT_HIGH == VGTF_INSERT_HIGH &&
		       (int)KGTT_BEST == VGTF_INSERT_BEST && (int)KGTT_EVICT == VGTF_INSERT_EVICT,
	       "kgtt's modes are the scenario's");

static struct kgtt_req req_of(const struct vgtf_op *op)
{
	return (struct kgtt_req){
		.size = op->size,
		.alignment = op->alignment,
		.color = op->color,
		.range_start = op->range_start,
		.range_end = op->range_end,
		.mode = (enum kgtt_mode)op->mode,
		.once = op->once,
		.retry = op->retry,
	};
}

static int k_alloc(unsigned int dev, const struct vgtf_op *op, uint64_t *start)
{
	struct kgtt_req r = req_of(op);

	return kgtt_insert(dev, &r, start);
}

static int k_evict(unsigned int dev, const struct vgtf_op *op, uint64_t *start)
{
	struct kgtt_req r = req_of(op);

	return kgtt_evict(dev, &r, start);
}

static int k_reserve_at(unsigned int dev, const struct vgtf_op *op)
{
	return kgtt_reserve_at(dev, op->range_start, op->size, op->color);
}

static void k_host_write(unsigned int dev, uint16_t offset, uint32_t value)
{
	kgtt_host_write(dev, offset, value);
}

static void k_observe(unsigned int dev, struct vgtf_dev_obs *out)
{
	struct kgtt_range r[VGTF_MAX_HOLES];
	size_t n;

	out->active = kgtt_active(dev);
	out->caps = kgtt_caps(dev);
	out->reserved = kgtt_reserved(dev);
	n = kgtt_nodes(dev, r, VGTF_MAX_NODES);
	out->n_nodes = (uint32_t)n;
	for (size_t i = 0; i < n && i < VGTF_MAX_NODES; i++)
		out->nodes[i] = (struct vgtf_range){ r[i].start, r[i].size, r[i].color };
	n = kgtt_holes(dev, r, VGTF_MAX_HOLES);
	out->n_holes = (uint32_t)n;
	for (size_t i = 0; i < n && i < VGTF_MAX_HOLES; i++)
		out->holes[i] = (struct vgtf_range){ r[i].start, r[i].size, 0 };
	n = kgtt_hole_stack(dev, out->stack, VGTF_MAX_HOLES);
	out->n_stack = (uint32_t)n;
	out->structure_ok = kgtt_check(dev, out->structure_why, sizeof(out->structure_why)) == 0;
	if (out->structure_ok)
		out->structure_why[0] = '\0';
}

static void k_summarize(unsigned int dev, struct vgtf_dev_sum *out)
{
	out->active = kgtt_active(dev);
	out->caps = kgtt_caps(dev);
	out->reserved = kgtt_reserved(dev);
	out->n_nodes = (uint32_t)kgtt_nodes_hash(dev, VGTF_MAX_NODES, &out->nodes_hash);
}

static const char *k_hazard(const struct vgtf_op *op)
{
	/* Deballoon would tear down another device's balloon through this device's counter (they
	 * share bl_info). A balloon that would relink another device's node is stopped where it
	 * would touch it (extracted/shims/i915_gem_gtt_reserve-shim.c). */
	if (op->kind == VGTF_OP_DEBALLOON)
		return kgtt_balloon_hazard(op->dev);
	return NULL;
}

const struct vgtf_module vgtf_module_kernel = {
	.name = "kernel",
	.reset = k_reset,
	.init_dev = k_init_dev,
	.reserve = k_reserve,
	.detect = kgtt_detect,
	.balloon = k_balloon,
	.deballoon = kgtt_deballoon,
	.alloc = k_alloc,
	.evict = k_evict,
	.reserve_at = k_reserve_at,
	.free_obj = kgtt_free,
	.host_write = k_host_write,
	.observe = k_observe,
	.summarize = k_summarize,
	.warns = kgtt_warns,
	.evictions = kgtt_evictions,
	.hazard = k_hazard,
	.set_hooks = kgtt_set_hooks,
	.broken = kgtt_broken,
};
