/*
 * A decoded test case: what both implementations are given. The byte format that produces it is
 * described once, in harness/format.def (the C decoder and scripts/vgtfuzzlib/testcase.py both
 * follow that table).
 */
#ifndef VGTFUZZ_SCENARIO_H
#define VGTFUZZ_SCENARIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGTF_PAGE_SIZE 4096	/* the vgt_if page */
#define VGTF_MAX_DEVS 2
#define VGTF_MAX_PRE 6		/* nodes already in a GGTT before ballooning, per device */
#define VGTF_MAX_OPS 12

enum vgtf_op_kind {
	VGTF_OP_DETECT,		/* intel_vgpu_detect() */
	VGTF_OP_BALLOON,	/* intel_vgt_balloon() */
	VGTF_OP_DEBALLOON,	/* intel_vgt_deballoon() */
	VGTF_OP_ALLOC,		/* a driver allocation: drm_mm_insert_node_in_range() */
	VGTF_OP_HOST_WRITE,	/* the host rewrites one u32 of the device's page */
	VGTF_OP_KINDS
};

struct vgtf_pre_node {		/* an object bound before ballooning */
	uint64_t start, size;
	int64_t color;		/* -1: unevictable (not a vma) */
	bool pinned;
};

struct vgtf_op {
	uint8_t kind;		/* enum vgtf_op_kind */
	uint8_t dev;		/* < VGTF_MAX_DEVS */
	/* ALLOC */
	uint64_t size, alignment, range_start, range_end;
	int64_t color;
	bool high;		/* DRM_MM_INSERT_HIGH, else LOW */
	/* HOST_WRITE */
	uint16_t offset;	/* byte offset in the page, 4-aligned, < VGTF_PAGE_SIZE */
	uint32_t value;
};

struct vgtf_device {
	uint64_t total;		/* ggtt->vm.total, > 0 */
	uint64_t mappable_end;	/* ggtt->mappable_end, <= total */
	bool color_adjust;	/* i915_ggtt_color_adjust installed (!LLC parts) */
	unsigned int n_pre;
	struct vgtf_pre_node pre[VGTF_MAX_PRE];
};

struct vgtf_scenario {
	uint8_t format_version;
	uint8_t page[VGTF_PAGE_SIZE];	/* device 0's page; device 1 starts with a copy */
	unsigned int n_devs;		/* 1 or 2 */
	struct vgtf_device dev[VGTF_MAX_DEVS];
	unsigned int n_ops;
	struct vgtf_op ops[VGTF_MAX_OPS];
};

/* Decode any byte string into a scenario (never fails, never reads past `len`). */
void vgtf_decode(const uint8_t *data, size_t len, struct vgtf_scenario *out);
#endif
