/*
 * Per-device ballooning: detection, apply a plan with unwind, deballoon.
 */
#include "vgtballoon.h"

#include <string.h>

int vgtb_device_init(struct vgtb_device *dev, struct vgtb_space *space, uint64_t mappable_end)
{
	if (!dev || !space || mappable_end > space->total)
		return -VGTB_EINVAL;
	memset(dev, 0, sizeof(*dev));
	dev->space = space;
	dev->mappable_end = mappable_end;
	dev->last_reason = VGTB_REASON_NONE;
	return 0;
}

int vgtb_device_set_info(struct vgtb_device *dev, const struct vgtb_pvinfo *info)
{
	if (!dev || !info)
		return -VGTB_EINVAL;
	/* Detection only switches a device on: a page that is not a vGPU's
	 * leaves it as it was (the kernel never clears vgpu.active). */
	if (!vgtb_pvinfo_is_vgpu(info))
		return 0;
	dev->info = *info;
	dev->active = true;
	dev->caps = info->vgt_caps;
	return 0;
}

int vgtb_device_detect(struct vgtb_device *dev, const void *page, size_t len)
{
	struct vgtb_pvinfo info;
	int err;

	if (!dev)
		return -VGTB_EINVAL;
	err = vgtb_pvinfo_decode(page, len, &info);
	if (err)
		return err;
	return vgtb_device_set_info(dev, &info);
}

int vgtb_device_load_slices(struct vgtb_device *dev, const void *page, size_t len)
{
	struct vgtb_pvinfo info;
	int err;

	if (!dev)
		return -VGTB_EINVAL;
	err = vgtb_pvinfo_decode(page, len, &info);
	if (err)
		return err;
	dev->info.mappable_base = info.mappable_base;
	dev->info.mappable_size = info.mappable_size;
	dev->info.unmappable_base = info.unmappable_base;
	dev->info.unmappable_size = info.unmappable_size;
	return 0;
}

/* Release one slot; a node that is already gone costs nothing. */
static void release_slot(struct vgtb_device *dev, unsigned i)
{
	struct vgtb_slot *s = &dev->slot[i];

	if (s->node == VGTB_HANDLE_NONE)
		return;
	if (vgtb_space_remove(dev->space, s->node) == 0)
		dev->reserved -= s->size;
	s->node = VGTB_HANDLE_NONE;
	s->start = 0;
	s->size = 0;
}

int vgtb_device_balloon(struct vgtb_device *dev, enum vgtb_profile profile)
{
	struct vgtb_geometry geo;
	struct vgtb_plan plan;
	int err;

	if (!dev || !dev->space)
		return -VGTB_EINVAL;
	if (profile != VGTB_PROFILE_KERNEL && profile != VGTB_PROFILE_STRICT)
		return -VGTB_EINVAL;
	if (!dev->active)
		return 0;
	if (dev->ballooned)
		return -VGTB_EBUSY;

	geo.total = dev->space->total;
	geo.mappable_end = dev->mappable_end;
	err = vgtb_plan_make(&dev->info, &geo, profile, &plan);
	dev->last_reason = plan.reason;
	if (err)
		return err;

	for (unsigned k = 0; k < plan.count; k++) {
		const struct vgtb_region *r = &plan.region[k];
		struct vgtb_slot *s = &dev->slot[r->slot];
		vgtb_handle h;

		/* Balloons are not driver objects: colour -1, never evicted. */
		err = vgtb_space_reserve(dev->space, r->start, r->size, VGTB_COLOR_UNEVICTABLE, VGTB_RESERVE_EVICT, &h);
		if (err) {
			/* Undo the regions already made, newest first. */
			while (k-- > 0)
				release_slot(dev, plan.region[k].slot);
			return err;
		}
		s->node = h;
		s->start = r->start;
		s->size = r->size;
		dev->reserved += r->size;
	}
	dev->ballooned = true;
	return 0;
}

int vgtb_device_deballoon(struct vgtb_device *dev)
{
	if (!dev)
		return -VGTB_EINVAL;
	if (!dev->active)
		return 0;
	for (unsigned i = 0; i < VGTB_SLOTS; i++)
		release_slot(dev, i);
	dev->ballooned = false;
	return 0;
}

const struct vgtb_slot *vgtb_device_slot(const struct vgtb_device *dev, unsigned i)
{
	return dev && i < VGTB_SLOTS ? &dev->slot[i] : NULL;
}

static int broken(const char **why, const char *what)
{
	if (why)
		*why = what;
	return -1;
}

int vgtb_device_check(const struct vgtb_device *dev, const char **why)
{
	if (!dev || !dev->space)
		return broken(why, "device or space is NULL");
	for (unsigned i = 0; i < VGTB_SLOTS; i++) {
		const struct vgtb_slot *s = &dev->slot[i];
		const struct vgtb_node *n;

		if (s->node == VGTB_HANDLE_NONE)
			continue;
		if (!dev->ballooned)
			return broken(why, "slot held while not ballooned");
		n = vgtb_space_find(dev->space, s->node);
		if (!n)
			return broken(why, "slot node missing from space");
		if (n->start != s->start || n->size != s->size)
			return broken(why, "slot range differs from its node");
		if (n->color != VGTB_COLOR_UNEVICTABLE)
			return broken(why, "slot node is evictable");
	}
	return 0;
}
