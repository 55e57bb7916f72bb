/* The production module: impl/'s vgtballoon library in its kernel profile. */
#include <string.h>

#include "module.h"
#include "vgtballoon.h"

/* An object the script bound (pre-existing or placed by an op), as the driver tracks it. */
struct prod_obj {
	vgtb_handle handle;
	uint64_t bound_at; /* bind order: the bound list, least recent first */
	vgtb_color color;
};

struct prod_dev {
	bool ready;
	struct vgtb_space space;
	struct vgtb_node storage[VGTF_MAX_NODES + 2];
	struct vgtb_device dev;
	struct vgtb_evict_log log;
	/* The page the library reads: the scenario's (which outlives the run) until the first host
	 * write to this device copies it into `page` (most inputs never write: no 4 KiB copy). */
	const uint8_t *view;
	uint8_t page[VGTF_PAGE_SIZE];
	struct prod_obj objs[VGTF_MAX_NODES];
	size_t n_objs;
	uint64_t binds;
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
	err = vgtb_space_init(&p->space, p->storage, sizeof(p->storage) / sizeof(p->storage[0]), geom->total,
			      geom->color_adjust);
	if (!err)
		err = vgtb_device_init(&p->dev, &p->space, geom->mappable_end);
	p->log = (struct vgtb_evict_log){ NULL, 0, 0 };
	vgtb_space_set_evict_log(&p->space, &p->log);
	p->view = page;
	p->n_objs = 0;
	p->binds = 0;
	p->ready = err == 0;
	return err;
}

static int bound(struct prod_dev *p, int err, vgtb_handle h, vgtb_color color)
{
	if (!err && p->n_objs < sizeof(p->objs) / sizeof(p->objs[0]))
		p->objs[p->n_objs++] = (struct prod_obj){ h, ++p->binds, color };
	return err;
}

/* The handles of the space's nodes, in address order: one call per node into the library, the
 * rest is the adapter's own bookkeeping (lookups per object would call it per object per node). */
static size_t handles_by_address(const struct prod_dev *p, vgtb_handle *out)
{
	size_t n;
	const struct vgtb_node *nodes = vgtb_space_nodes(&p->space, &n);

	for (size_t i = 0; i < n; i++)
		out[i] = nodes[i].handle;
	return n;
}

static bool has_handle(const vgtb_handle *set, size_t n, vgtb_handle h)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == h)
			return true;
	return false;
}

/* Forget objects an eviction (or a free) took away. */
static void prune(struct prod_dev *p)
{
	vgtb_handle live[sizeof(p->storage) / sizeof(p->storage[0])];
	size_t n = handles_by_address(p, live), k = 0;

	for (size_t i = 0; i < p->n_objs; i++)
		if (has_handle(live, n, p->objs[i].handle))
			p->objs[k++] = p->objs[i];
	p->n_objs = k;
}

static int p_reserve(unsigned int dev, const struct vgtf_pre_node *pre)
{
	struct prod_dev *p = get(dev);
	vgtb_handle h = VGTB_HANDLE_NONE;
	int err;

	if (!p)
		return -VGTB_EINVAL;
	/* drm_mm_reserve_node(): an exact-address reservation, no eviction. */
	err = vgtb_space_reserve(&p->space, pre->start, pre->size, pre->color, pre->pinned ? VGTB_NODE_PINNED : 0, &h);
	return bound(p, err, h, pre->color);
}

static void p_detect(unsigned int dev)
{
	struct prod_dev *p = get(dev);

	if (p)
		vgtb_device_detect(&p->dev, p->view, VGTF_PAGE_SIZE);
}

static int p_balloon(unsigned int dev)
{
	struct prod_dev *p = get(dev);

	if (!p)
		return -VGTB_EINVAL;
	/* The kernel reads the slice registers when it balloons, not when it detects. */
	vgtb_device_load_slices(&p->dev, p->view, VGTF_PAGE_SIZE);
	return vgtb_device_balloon(&p->dev, VGTB_PROFILE_KERNEL);
}

static void p_deballoon(unsigned int dev)
{
	struct prod_dev *p = get(dev);

	if (p)
		vgtb_device_deballoon(&p->dev);
}

static struct vgtb_insert_req req_of(const struct vgtf_op *op, enum vgtb_insert_mode mode)
{
	return (struct vgtb_insert_req){
		.size = op->size,
		.alignment = op->alignment,
		.color = op->color,
		.flags = 0,
		.range_start = op->range_start,
		.range_end = op->range_end,
		.mode = mode,
		.once = op->once,
	};
}

static const enum vgtb_insert_mode modes[] = {
	[VGTF_INSERT_LOW] = VGTB_INSERT_LOW,
	[VGTF_INSERT_HIGH] = VGTB_INSERT_HIGH,
	[VGTF_INSERT_BEST] = VGTB_INSERT_BEST,
	[VGTF_INSERT_EVICT] = VGTB_INSERT_EVICT,
};

static int insert(struct prod_dev *p, const struct vgtb_insert_req *req, uint64_t *start)
{
	vgtb_handle h = VGTB_HANDLE_NONE;
	int err = vgtb_space_insert(&p->space, req, &h);

	if (!err)
		*start = vgtb_space_find(&p->space, h)->start;
	return bound(p, err, h, req->color);
}

static int p_alloc(unsigned int dev, const struct vgtf_op *op, uint64_t *start)
{
	struct prod_dev *p = get(dev);
	struct vgtb_insert_req req;
	int err;

	if (!p)
		return -VGTB_EINVAL;
	req = req_of(op, modes[op->mode & 3]);
	err = insert(p, &req, start);
	/* i915_gem_gtt_insert(): after a ONCE attempt found no room, one in BEST mode. */
	if (err == -VGTB_ENOSPC && op->once && op->retry) {
		req = req_of(op, VGTB_INSERT_BEST);
		req.once = false;
		err = insert(p, &req, start);
	}
	return err;
}

static int p_evict(unsigned int dev, const struct vgtf_op *op, uint64_t *start)
{
	struct prod_dev *p = get(dev);
	vgtb_handle lru[VGTF_MAX_NODES];
	struct vgtb_insert_req req;
	uint64_t align, lo, hi;
	size_t n = 0;
	int err;

	if (!p)
		return -VGTB_EINVAL;
	/* i915_gem_gtt_insert(): a range the node cannot fit in, even aligned, is -ENOSPC; its
	 * alignment is at least a GTT page, and one page or less means none. */
	align = op->alignment > VGTB_PAGE_SIZE ? op->alignment : VGTB_PAGE_SIZE;
	if (op->range_start >= op->range_end || op->size > op->range_end - op->range_start)
		return -VGTB_ENOSPC;
	lo = ((op->range_start - 1) | (align - 1)) + 1;
	hi = (op->range_end - op->size) & ~(align - 1);
	if (lo > hi)
		return -VGTB_ENOSPC;
	/* The scan looks at the top of a hole in HIGH mode, at the bottom otherwise. */
	req = req_of(op, op->mode == VGTF_INSERT_HIGH ? VGTB_INSERT_HIGH :
			 op->mode == VGTF_INSERT_LOW  ? VGTB_INSERT_LOW :
							VGTB_INSERT_BEST);
	req.once = false;
	if (req.alignment <= VGTB_PAGE_SIZE)
		req.alignment = 0;
	/* The bound list, least recently bound first; unevictable reservations are not on it. */
	prune(p);
	for (size_t i = 0; i < p->n_objs; i++)
		if (p->objs[i].color != VGTB_COLOR_UNEVICTABLE)
			lru[n++] = p->objs[i].handle;
	err = vgtb_space_evict_scan(&p->space, &req, lru, n);
	prune(p);
	if (err)
		return err;
	req.mode = VGTB_INSERT_EVICT;
	return insert(p, &req, start);
}

static int p_reserve_at(unsigned int dev, const struct vgtf_op *op)
{
	struct prod_dev *p = get(dev);
	vgtb_handle h = VGTB_HANDLE_NONE;
	int err;

	if (!p)
		return -VGTB_EINVAL;
	/* i915_gem_gtt_reserve(): reserve, evicting what is in the way, and try once more. */
	err = vgtb_space_reserve(&p->space, op->range_start, op->size, op->color, VGTB_RESERVE_EVICT, &h);
	prune(p);
	return bound(p, err, h, op->color);
}

/* Unbind object number `index`, modulo the objects bound, in address order. */
static int p_free(unsigned int dev, unsigned int index)
{
	struct prod_dev *p = get(dev);
	vgtb_handle live[sizeof(p->storage) / sizeof(p->storage[0])];
	size_t n;

	if (!p)
		return -VGTB_EINVAL;
	prune(p);
	if (!p->n_objs)
		return -VGTB_ENOENT;
	index %= (unsigned int)p->n_objs;
	/* The index-th object in address order (balloon nodes are not objects). */
	n = handles_by_address(p, live);
	for (size_t i = 0; i < n; i++) {
		vgtb_handle h = live[i];
		bool obj = false;

		for (size_t j = 0; j < p->n_objs && !obj; j++)
			obj = p->objs[j].handle == h;
		if (obj && index-- == 0)
			return vgtb_space_remove(&p->space, h);
	}
	return -VGTB_ENOENT; /* not reached: every object is a node of the space */
}

static void p_host_write(unsigned int dev, uint16_t offset, uint32_t value)
{
	struct prod_dev *p = get(dev);

	if (!p || offset % 4 || offset > VGTF_PAGE_SIZE - 4)
		return;
	if (p->view != p->page) {
		memcpy(p->page, p->view, VGTF_PAGE_SIZE);
		p->view = p->page;
	}
	for (int b = 0; b < 4; b++)
		p->page[offset + b] = (uint8_t)(value >> (8 * b));
}

static void p_observe(unsigned int dev, struct vgtf_dev_obs *out)
{
	struct prod_dev *p = get(dev);
	const char *why = NULL;
	struct vgtb_hole hole;
	const struct vgtb_node *nodes;
	uint64_t ages[VGTF_MAX_HOLES];
	bool taken[VGTF_MAX_HOLES] = { false };
	size_t n, cursor = 0;

	/* Every field is written below (no memset of the whole observation, once per op per
	 * device: the arrays are read only up to their counts). */
	out->structure_ok = true;
	out->structure_why[0] = '\0';
	out->n_nodes = out->n_holes = out->n_stack = 0;
	if (!p) {
		out->active = false;
		out->caps = 0;
		out->reserved = 0;
		return;
	}
	out->active = p->dev.active;
	out->caps = p->dev.caps;
	out->reserved = p->dev.reserved;
	nodes = vgtb_space_nodes(&p->space, &n);
	out->n_nodes = (uint32_t)n;
	for (size_t i = 0; i < n && i < VGTF_MAX_NODES; i++)
		out->nodes[i] = (struct vgtf_range){ nodes[i].start, nodes[i].size, nodes[i].color };
	for (n = 0; vgtb_space_next_hole(&p->space, &cursor, &hole); n++)
		if (n < VGTF_MAX_HOLES) {
			out->holes[n] = (struct vgtf_range){ hole.start, hole.size, 0 };
			ages[n] = hole.age;
		}
	out->n_holes = (uint32_t)n;
	/* The hole stack: holes by age, most recently added first. */
	out->n_stack = out->n_holes;
	for (uint32_t k = 0; k < out->n_stack && k < VGTF_MAX_HOLES; k++) {
		size_t newest = VGTF_MAX_HOLES;

		for (size_t i = 0; i < n && i < VGTF_MAX_HOLES; i++)
			if (!taken[i] && (newest == VGTF_MAX_HOLES || ages[i] > ages[newest]))
				newest = i;
		out->stack[k] = out->holes[newest].start;
		taken[newest] = true;
	}
	if (vgtb_space_check(&p->space, &why) || vgtb_device_check(&p->dev, &why)) {
		out->structure_ok = false;
		strncpy(out->structure_why, why ? why : "?", sizeof(out->structure_why) - 1);
		out->structure_why[sizeof(out->structure_why) - 1] = '\0';
	}
}

static void p_summarize(unsigned int dev, struct vgtf_dev_sum *out)
{
	struct prod_dev *p = get(dev);
	const struct vgtb_node *nodes;
	size_t n;

	if (!p) {
		*out = (struct vgtf_dev_sum){ .nodes_hash = VGTF_HASH_SEED };
		return;
	}
	out->nodes_hash = VGTF_HASH_SEED;
	out->active = p->dev.active;
	out->caps = p->dev.caps;
	out->reserved = p->dev.reserved;
	nodes = vgtb_space_nodes(&p->space, &n);
	out->n_nodes = (uint32_t)n;
	for (size_t i = 0; i < n && i < VGTF_MAX_NODES; i++)
		out->nodes_hash = vgtf_hash_node(out->nodes_hash, nodes[i].start, nodes[i].size, nodes[i].color);
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
	.evict = p_evict,
	.reserve_at = p_reserve_at,
	.free_obj = p_free,
	.host_write = p_host_write,
	.observe = p_observe,
	.summarize = p_summarize,
	.warns = p_warns,
	.evictions = p_evictions,
	.hazard = NULL,
	.undefined = p_undefined,
};
