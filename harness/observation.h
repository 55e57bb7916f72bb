/*
 * What a module reports: after the set-up and after every op, the state of every device.
 * Both modules fill the same structures, so the oracles compare them field by field.
 */
#ifndef VGTFUZZ_OBSERVATION_H
#define VGTFUZZ_OBSERVATION_H
#include "scenario.h"

#define VGTF_MAX_NODES (VGTF_MAX_PRE + 4 + VGTF_MAX_OPS + 2)
#define VGTF_MAX_HOLES (VGTF_MAX_NODES + 1)
#define VGTF_WHY_LEN 120

struct vgtf_range {
	uint64_t start, size;
	int64_t color;		/* nodes: the colour (-1 unevictable); holes: 0 */
};

/* One device, at one moment. */
struct vgtf_dev_obs {
	bool active;
	uint32_t caps;
	uint64_t reserved;	/* ggtt->vm.reserved */
	uint32_t n_nodes, n_holes;	/* true counts; arrays hold the first VGTF_MAX_* */
	struct vgtf_range nodes[VGTF_MAX_NODES];
	struct vgtf_range holes[VGTF_MAX_HOLES];
	uint32_t n_stack;	/* the hole stack: hole starts, most recently added first */
	uint64_t stack[VGTF_MAX_HOLES];
	bool structure_ok;	/* the module's own invariant walk */
	char structure_why[VGTF_WHY_LEN];
};

enum vgtf_op_status {
	VGTF_RAN,
	VGTF_SKIPPED_CONTRACT,	/* the driver never does this (balloon twice on one device) */
	VGTF_NOT_RUN,		/* an earlier op stopped the run (see trace.stop_why) */
};

struct vgtf_op_obs {
	uint8_t status;		/* enum vgtf_op_status */
	int ret;		/* the op's return value (0 for void ops) */
	uint64_t alloc_start;	/* ALLOC, EVICT, RESERVE: where the node landed */
	uint32_t warns;		/* kernel WARNs during this op */
	uint32_t evictions;	/* objects evicted during this op */
	struct vgtf_dev_obs dev[VGTF_MAX_DEVS];
};

struct vgtf_trace {
	const char *module;
	int pre_ret[VGTF_MAX_DEVS][VGTF_MAX_PRE];	/* each pre-existing node's reservation */
	struct vgtf_dev_obs setup[VGTF_MAX_DEVS];	/* after the pre-existing nodes */
	struct vgtf_op_obs op[VGTF_MAX_OPS];
	bool stopped;					/* a hazard ended the run early */
	int stop_op;					/* at this op */
	char stop_why[VGTF_WHY_LEN];			/* "tag: explanation" */
};
#endif
