/* PV-info decoding and the detection rule. */
#include <string.h>

#include "check.h"

/*
 * A page prefix written byte by byte: magic "vGTvGTvG" stored little-endian,
 * version 1.0, id 7, caps 0x14, slices and fence count with distinct bytes
 * so that a wrong offset or byte order shows.
 */
static const unsigned char page[0x54] = {
	[0x00] = 0x76, 0x47, 0x54, 0x76, 0x47, 0x54, 0x76, 0x47, /* magic */
	[0x08] = 0x01, 0x00, /* version_major 1  */
	[0x0a] = 0x02, 0x00, /* version_minor 2  */
	[0x0c] = 0x07, 0x00, 0x00, 0x00, /* vgt_id 7        */
	[0x10] = 0x14, 0x00, 0x00, 0x00, /* caps 0x14       */
	[0x40] = 0x00, 0x10, 0x00, 0x10, /* 0x10001000      */
	[0x44] = 0x00, 0x00, 0x00, 0x08, /* 0x08000000      */
	[0x48] = 0x01, 0x02, 0x03, 0x84, /* 0x84030201      */
	[0x4c] = 0xf0, 0xde, 0xbc, 0x0a, /* 0x0abcdef0      */
	[0x50] = 0x20, 0x00, 0x00, 0x00, /* fence_num 32    */
};

static void decode_fields(void)
{
	struct vgtb_pvinfo v;

	CHECK_INT(vgtb_pvinfo_decode(page, sizeof(page), &v), 0);
	CHECK_U64(v.magic, 0x4776544776544776u);
	CHECK_U64(v.version_major, 1);
	CHECK_U64(v.version_minor, 2);
	CHECK_U64(v.vgt_id, 7);
	CHECK_U64(v.vgt_caps, 0x14);
	CHECK_U64(v.mappable_base, 0x10001000u);
	CHECK_U64(v.mappable_size, 0x08000000u);
	CHECK_U64(v.unmappable_base, 0x84030201u);
	CHECK_U64(v.unmappable_size, 0x0abcdef0u);
	CHECK_U64(v.fence_num, 32);
	CHECK(vgtb_pvinfo_is_vgpu(&v));
}

static void decode_unaligned_buffer(void)
{
	/* The same bytes at an odd address must decode the same. */
	unsigned char buf[0x54 + 3];
	struct vgtb_pvinfo v;

	memcpy(buf + 3, page, sizeof(page));
	CHECK_INT(vgtb_pvinfo_decode(buf + 3, sizeof(page), &v), 0);
	CHECK_U64(v.unmappable_base, 0x84030201u);
	CHECK_U64(v.fence_num, 32);
}

static void decode_lengths(void)
{
	struct vgtb_pvinfo v = { .vgt_id = 99 };

	/* 0x53 bytes: fence_num's last byte is missing. */
	CHECK_INT(vgtb_pvinfo_decode(page, 0x53, &v), -61);
	CHECK_U64(v.vgt_id, 99); /* untouched on error */
	CHECK_INT(vgtb_pvinfo_decode(page, 0, &v), -61);
	CHECK_INT(vgtb_pvinfo_decode(page, 0x54, &v), 0);
	CHECK_INT(vgtb_pvinfo_decode(NULL, 0x54, &v), -22);
	CHECK_INT(vgtb_pvinfo_decode(page, 0x54, NULL), -22);
}

static void encode_roundtrip(void)
{
	unsigned char buf[0x60];
	struct vgtb_pvinfo v, w;

	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(vgtb_pvinfo_decode(page, sizeof(page), &v), 0);
	CHECK_INT(vgtb_pvinfo_encode(&v, buf, sizeof(buf)), 0);
	/* Field bytes land at their offsets, LE; the gaps are untouched. */
	CHECK_U64(buf[0x00], 0x76);
	CHECK_U64(buf[0x07], 0x47);
	CHECK_U64(buf[0x48], 0x01);
	CHECK_U64(buf[0x4b], 0x84);
	CHECK_U64(buf[0x14], 0xee);
	CHECK_U64(buf[0x3f], 0xee);
	CHECK_U64(buf[0x54], 0xee);
	CHECK_INT(vgtb_pvinfo_decode(buf, sizeof(buf), &w), 0);
	CHECK_U64(w.magic, 0x4776544776544776u);
	CHECK_U64(w.version_minor, 2);
	CHECK_U64(w.vgt_caps, 0x14);
	CHECK_U64(w.mappable_base, 0x10001000u);
	CHECK_U64(w.unmappable_size, 0x0abcdef0u);
	CHECK_U64(w.fence_num, 32);
	CHECK_INT(vgtb_pvinfo_encode(&v, buf, 0x53), -61);
	CHECK_INT(vgtb_pvinfo_encode(NULL, buf, sizeof(buf)), -22);
}

static void detection_rule(void)
{
	struct vgtb_pvinfo v = { .magic = 0x4776544776544776u };

	v.version_major = 0;
	CHECK(!vgtb_pvinfo_is_vgpu(&v));
	v.version_major = 1;
	CHECK(vgtb_pvinfo_is_vgpu(&v));
	v.version_major = 2; /* a newer major is accepted */
	CHECK(vgtb_pvinfo_is_vgpu(&v));
	v.version_major = 0xffff;
	CHECK(vgtb_pvinfo_is_vgpu(&v));
	v.version_minor = 0xffff; /* the minor never matters */
	CHECK(vgtb_pvinfo_is_vgpu(&v));
	v.magic = 0x4776544776544777u; /* one bit off */
	CHECK(!vgtb_pvinfo_is_vgpu(&v));
	v.magic = 0x7647547647547647u; /* byte-swapped */
	CHECK(!vgtb_pvinfo_is_vgpu(&v));
	CHECK(!vgtb_pvinfo_is_vgpu(NULL));
}

void test_pvinfo(void)
{
	decode_fields();
	decode_unaligned_buffer();
	decode_lengths();
	encode_roundtrip();
	detection_rule();
}
