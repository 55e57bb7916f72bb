/* The production module: impl/'s vgtballoon library in its kernel profile. */
#include <string.h>

#include "module.h"
#include "vgtballoon.h"

struct prod_dev {
	bool ready;
	struct vgtb_space space;
	struct vgtb_node storage[VGTF_MAX_NODES + 2];
	struct vgtb_device dev;
	struct vgtb_evict_log log;
	uint8_t page[VGTF_PAGE_SIZE];
};

static struct prod_dev devs[VGTF_MAX_DEVS];

static struct prod_dev *get(unsigned int dev)
{
	return dev < VGTF_MAX_DEVS && devs[dev].ready ? &devs[dev] : NULL;
}

static void p_reset(void)
{
	for (unsigned int d = 0; d < VGTF_MAX_DEVS; d++)
		devs[d].ready = false;
}

static int p_init_dev(unsigned int dev, const struct vgtf_device *geom, const uint8_t *page)
{
	struct prod_dev *p;
	int err;

	if (dev >= VGTF_MAX_DEVS)
		return -VGTB_EINVAL;
	p = &devs[dev];
	err = vgtb_space_init(&p->space, p->storage, sizeof(p->storage) / sizeof(p->storage[0]),
			      geom->total, geom->color_adjust);
	if (!err)
		err = vgtb_device_init(&p->dev, &p->space, geom->mappable_end);
	p->log = (struct vgtb_evict_log){ NULL, 0, 0 };
	vgtb_space_set_evict_log(&p->space, &p->log);
	memcpy(p->page, page, VGTF_PAGE_SIZE);
	p->ready = err == 0;
	return err;
}

static int p_reserve(unsigned int dev, const struct vgtf_pre_node *pre)
{
	struct prod_dev *p = get(dev);

	if (!p)
		return -VGTB_EINVAL;
	/* drm_mm_reserve_node(): an exact-address reservation, no eviction. */
	return vgtb_space_reserve(&p->space, pre->start, pre->size, pre->color,
				  pre->pinned ? VGTB_NODE_PINNED : 0, NULL);
}

static void p_detect(unsigned int dev)
{
	struct prod_dev *p = get(dev);

	if (p)
		vgtb_device_detect(&p->dev, p->page, sizeof(p->page));
}

static int p_balloon(unsigned int dev)
{
	struct prod_dev *p = get(dev);

	if (!p)
		return -VGTB_EINVAL;
	/* The kernel reads the slice registers when it balloons, not when it detects. */
	vgtb_device_load_slices(&p->dev, p->page, sizeof(p->page));
	return vgtb_device_balloon(&p->dev, VGTB_PROFILE_KERNEL);
}

static void p_deballoon(unsigned int dev)
{
	struct prod_dev *p = get(dev);

	if (p)
		vgtb_device_deballoon(&p->dev);
}

static int p_alloc(unsigned int dev, const struct vgtf_op *op, uint64_t *start)
{
	struct prod_dev *p = get(dev);
	struct vgtb_insert_req req;
	vgtb_handle h;
	int err;

	if (!p)
		return -VGTB_EINVAL;
	req = (struct vgtb_insert_req){
		.size = op->size, .alignment = op->alignment, .color = op->color, .flags = 0,
		.range_start = op->range_start, .range_end = op->range_end,
		.mode = op->high ? VGTB_INSERT_HIGH : VGTB_INSERT_LOW,
	};
	err = vgtb_space_insert(&p->space, &req, &h);
	if (!err)
		*start = vgtb_space_find(&p->space, h)->start;
	return err;
}

static void p_host_write(unsigned int dev, uint16_t offset, uint32_t value)
{
	struct prod_dev *p = get(dev);

	if (!p || offset % 4 || offset > VGTF_PAGE_SIZE - 4)
		return;
	for (int b = 0; b < 4; b++)
		p->page[offset + b] = (uint8_t)(value >> (8 * b));
}

static void p_observe(unsigned int dev, struct vgtf_dev_obs *out)
{
	struct prod_dev *p = get(dev);
	const char *why = NULL;
	struct vgtb_hole hole;
	size_t n, cursor = 0;

	memset(out, 0, sizeof(*out));
	out->structure_ok = true;
	if (!p)
		return;
	out->active = p->dev.active;
	out->caps = p->dev.caps;
	out->reserved = p->dev.reserved;
	n = vgtb_space_count(&p->space);
	out->n_nodes = (uint32_t)n;
	for (size_t i = 0; i < n && i < VGTF_MAX_NODES; i++) {
		const struct vgtb_node *node = vgtb_space_node(&p->space, i);

		out->nodes[i] = (struct vgtf_range){ node->start, node->size, node->color };
	}
	for (n = 0; vgtb_space_next_hole(&p->space, &cursor, &hole); n++)
		if (n < VGTF_MAX_HOLES)
			out->holes[n] = (struct vgtf_range){ hole.start, hole.size, 0 };
	out->n_holes = (uint32_t)n;
	if (vgtb_space_check(&p->space, &why) || vgtb_device_check(&p->dev, &why)) {
		out->structure_ok = false;
		strncpy(out->structure_why, why ? why : "?", sizeof(out->structure_why) - 1);
	}
}

static unsigned int p_warns(void)
{
	return 0;
}

static unsigned int p_evictions(void)
{
	unsigned int n = 0;

	for (unsigned int d = 0; d < VGTF_MAX_DEVS; d++)
		if (devs[d].ready)
			n += (unsigned int)devs[d].log.count;
	return n;
}

static const char *p_undefined(const struct vgtf_op *op, int ret)
{
	(void)op;
	if (ret == -VGTB_EOVERFLOW)
		return "guard-wrap: a colour guard page wraps below 0 beside an unaligned node; "
		       "kernel outcome undefined";
	return NULL;
}

const struct vgtf_module vgtf_module_production = {
	.name = "production",
	.reset = p_reset,
	.init_dev = p_init_dev,
	.reserve = p_reserve,
	.detect = p_detect,
	.balloon = p_balloon,
	.deballoon = p_deballoon,
	.alloc = p_alloc,
	.host_write = p_host_write,
	.observe = p_observe,
	.warns = p_warns,
	.evictions = p_evictions,
	.hazard = NULL,
	.undefined = p_undefined,
};
