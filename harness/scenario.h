/*
 * A decoded test case: what both implementations are given. The byte format that produces it is
 * described once, in harness/format.def (the C decoder and scripts/vgtfuzzlib/testcase.py's
 * encoder both follow that table).
 */
#ifndef VGTFUZZ_SCENARIO_H
#define VGTFUZZ_SCENARIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGTF_PAGE_SIZE 4096 /* the vgt_if page */
#define VGTF_MAX_DEVS 2
#define VGTF_MAX_PRE 16 /* nodes already in a GGTT before ballooning, per device */
#define VGTF_MAX_OPS 40

/* Where each vgt_if field sits in the page: VGTF_PAGE_OFF_<name>, from format.def's VGTF_PAGE rows. */
enum vgtf_page_offset {
#define VGTF_PAGE(name, offset, width, show, doc) VGTF_PAGE_OFF_##name = offset,
#include "format.def"
};

enum vgtf_op_kind {
	VGTF_OP_DETECT, /* intel_vgpu_detect() */
	VGTF_OP_BALLOON, /* intel_vgt_balloon() */
	VGTF_OP_DEBALLOON, /* intel_vgt_deballoon() */
	VGTF_OP_ALLOC, /* a driver allocation: drm_mm_insert_node_in_range() */
	VGTF_OP_HOST_WRITE, /* the host rewrites one u32 of the device's page */
	VGTF_OP_FREE, /* drm_mm_remove_node() of an object */
	VGTF_OP_EVICT, /* i915's eviction scan, then an insert in EVICT mode */
	VGTF_OP_RESERVE, /* i915_gem_gtt_reserve() at a fixed offset, evicting */
	VGTF_OP_CREATE, /* gvt target: the host creates a vGPU (harness/gvt_target.c) */
	VGTF_OP_DESTROY, /* gvt target: the host destroys a vGPU */
	VGTF_OP_BOOT, /* gvt target: a vGPU's guest detects and balloons */
	VGTF_OP_FENCE_NUM, /* gvt target: the host rewrites a page's fence_num */
	VGTF_OP_KINDS
};

/* The fuzz targets sharing this format (format.def VGTF_TARGET rows). */
enum vgtf_target {
	VGTF_TARGET_BALLOON, /* the GVT-g balloon: page, devices, every op */
	VGTF_TARGET_DRM_MM, /* drm_mm alone: no page, one GGTT, allocator ops only */
	VGTF_TARGET_GVT, /* end to end: the lifted host and its guests (docs/gvt.md) */
	VGTF_TARGETS
};

/* drm_mm's insert modes (enum drm_mm_insert_mode without the ONCE bit). */
enum vgtf_insert_mode {
	VGTF_INSERT_LOW,
	VGTF_INSERT_HIGH,
	VGTF_INSERT_BEST,
	VGTF_INSERT_EVICT,
};

struct vgtf_pre_node { /* an object bound before ballooning */
	uint64_t start, size;
	int64_t color; /* -1: unevictable (not a vma) */
	bool pinned;
};

struct vgtf_op {
	uint8_t kind; /* enum vgtf_op_kind */
	uint8_t dev; /* < VGTF_MAX_DEVS */
	/* ALLOC, EVICT, RESERVE (the offset is range_start) */
	uint64_t size, alignment, range_start, range_end;
	int64_t color;
	uint8_t mode; /* enum vgtf_insert_mode */
	bool once; /* DRM_MM_INSERT_ONCE */
	bool retry; /* after a ONCE -ENOSPC, again in BEST mode (i915_gem_gtt_insert) */
	/* FREE */
	uint8_t index; /* the object, modulo the objects present, in address order */
	/* HOST_WRITE */
	uint16_t offset; /* byte offset in the page, 4-aligned, < VGTF_PAGE_SIZE */
	uint32_t value;
};

struct vgtf_device {
	uint64_t total; /* ggtt->vm.total, > 0 */
	uint64_t mappable_end; /* ggtt->mappable_end, <= total */
	bool color_adjust; /* i915_ggtt_color_adjust installed (!LLC parts) */
	unsigned int n_pre;
	struct vgtf_pre_node pre[VGTF_MAX_PRE];
};

struct vgtf_scenario {
	uint8_t target; /* enum vgtf_target */
	uint8_t format_version;
	uint8_t page[VGTF_PAGE_SIZE]; /* device 0's page; device 1 starts with a copy */
	unsigned int n_devs; /* 1 or 2 */
	struct vgtf_device dev[VGTF_MAX_DEVS];
	unsigned int n_ops;
	struct vgtf_op ops[VGTF_MAX_OPS];
};

/* Decode any byte string into a scenario for `target` (never fails, never reads past `len`). */
void vgtf_decode_target(enum vgtf_target target, const uint8_t *data, size_t len, struct vgtf_scenario *out);

/* The balloon target's decoder. */
void vgtf_decode(const uint8_t *data, size_t len, struct vgtf_scenario *out);
#endif
