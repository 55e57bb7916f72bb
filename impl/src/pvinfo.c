/*
 * PV-info page: explicit little-endian decoding.
 *
 * The page is device memory published by the host, so it is treated as an
 * untrusted byte string: each field is assembled byte by byte from its
 * documented offset. No struct is laid over the buffer, which would depend
 * on the compiler's packing, the host's endianness and the buffer's
 * alignment.
 */
#include "vgtballoon.h"

static uint64_t get_le(const unsigned char *p, unsigned width)
{
	uint64_t v = 0;

	/* Most significant byte first, so each step shifts in the next lower. */
	for (unsigned i = width; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static void put_le(unsigned char *p, unsigned width, uint64_t v)
{
	for (unsigned i = 0; i < width; i++) {
		p[i] = (unsigned char)(v & 0xffu);
		v >>= 8;
	}
}

int vgtb_pvinfo_decode(const void *buf, size_t len, struct vgtb_pvinfo *out)
{
	const unsigned char *p = buf;
	struct vgtb_pvinfo v;

	if (!buf || !out)
		return -VGTB_EINVAL;
	/* One length check covers every field: all end before MIN_LEN. */
	if (len < VGTB_PVINFO_MIN_LEN)
		return -VGTB_ENODATA;

	v.magic = get_le(p + VGTB_PVINFO_OFF_MAGIC, 8);
	v.version_major = (uint16_t)get_le(p + VGTB_PVINFO_OFF_VERSION_MAJOR, 2);
	v.version_minor = (uint16_t)get_le(p + VGTB_PVINFO_OFF_VERSION_MINOR, 2);
	v.vgt_id = (uint32_t)get_le(p + VGTB_PVINFO_OFF_VGT_ID, 4);
	v.vgt_caps = (uint32_t)get_le(p + VGTB_PVINFO_OFF_VGT_CAPS, 4);
	v.mappable_base = (uint32_t)get_le(p + VGTB_PVINFO_OFF_MAPPABLE_BASE, 4);
	v.mappable_size = (uint32_t)get_le(p + VGTB_PVINFO_OFF_MAPPABLE_SIZE, 4);
	v.unmappable_base = (uint32_t)get_le(p + VGTB_PVINFO_OFF_UNMAPPABLE_BASE, 4);
	v.unmappable_size = (uint32_t)get_le(p + VGTB_PVINFO_OFF_UNMAPPABLE_SIZE, 4);
	v.fence_num = (uint32_t)get_le(p + VGTB_PVINFO_OFF_FENCE_NUM, 4);

	/* Commit only after every read, so an error never leaves half a result. */
	*out = v;
	return 0;
}

int vgtb_pvinfo_encode(const struct vgtb_pvinfo *info, void *buf, size_t len)
{
	unsigned char *p = buf;

	if (!info || !buf)
		return -VGTB_EINVAL;
	if (len < VGTB_PVINFO_MIN_LEN)
		return -VGTB_ENODATA;

	put_le(p + VGTB_PVINFO_OFF_MAGIC, 8, info->magic);
	put_le(p + VGTB_PVINFO_OFF_VERSION_MAJOR, 2, info->version_major);
	put_le(p + VGTB_PVINFO_OFF_VERSION_MINOR, 2, info->version_minor);
	put_le(p + VGTB_PVINFO_OFF_VGT_ID, 4, info->vgt_id);
	put_le(p + VGTB_PVINFO_OFF_VGT_CAPS, 4, info->vgt_caps);
	put_le(p + VGTB_PVINFO_OFF_MAPPABLE_BASE, 4, info->mappable_base);
	put_le(p + VGTB_PVINFO_OFF_MAPPABLE_SIZE, 4, info->mappable_size);
	put_le(p + VGTB_PVINFO_OFF_UNMAPPABLE_BASE, 4, info->unmappable_base);
	put_le(p + VGTB_PVINFO_OFF_UNMAPPABLE_SIZE, 4, info->unmappable_size);
	put_le(p + VGTB_PVINFO_OFF_FENCE_NUM, 4, info->fence_num);
	return 0;
}

bool vgtb_pvinfo_is_vgpu(const struct vgtb_pvinfo *info)
{
	/*
	 * Only the major version gates: minor revisions are compatible by
	 * definition, and the kernel has accepted any newer major since 4.12.
	 */
	return info && info->magic == VGTB_PVINFO_MAGIC && info->version_major >= 1;
}
