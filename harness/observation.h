/*
 * What a module reports: after the set-up and after every op, the state of every device.
 * Both modules fill the same structures, so the oracles compare them field by field.
 */
#ifndef VGTFUZZ_OBSERVATION_H
#define VGTFUZZ_OBSERVATION_H
#include "node_hash.h" /* vgtf_hash_node(), in extracted/: kgtt.c hashes the kernel's nodes too */
#include "scenario.h"

#define VGTF_MAX_NODES (VGTF_MAX_PRE + 4 + VGTF_MAX_OPS + 2)
#define VGTF_MAX_HOLES (VGTF_MAX_NODES + 1)
#define VGTF_WHY_LEN 120

struct vgtf_range {
	uint64_t start, size;
	int64_t color; /* nodes: the colour (-1 unevictable); holes: 0 */
};

/* One device, at one moment. */
struct vgtf_dev_obs {
	bool active;
	uint32_t caps;
	uint64_t reserved; /* ggtt->vm.reserved */
	uint32_t n_nodes, n_holes; /* true counts; arrays hold the first VGTF_MAX_* */
	struct vgtf_range nodes[VGTF_MAX_NODES];
	struct vgtf_range holes[VGTF_MAX_HOLES];
	uint32_t n_stack; /* the hole stack: hole starts, most recently added first */
	uint64_t stack[VGTF_MAX_HOLES];
	bool structure_ok; /* the module's own invariant walk */
	char structure_why[VGTF_WHY_LEN];
};

/* A device in a few words, for the fast path (run.c's VGTF_SUMMARY): taken after the set-up and
 * every op, on every device, much cheaper than the full observation. Two modules whose summaries
 * agree at every op and whose full observations agree at the end are compared in full only when
 * they do not (target.c re-runs the input then). */
struct vgtf_dev_sum {
	bool active;
	uint32_t caps;
	uint64_t reserved;
	uint32_t n_nodes;
	uint64_t nodes_hash; /* vgtf_hash_node() over the nodes in address order */
};

/* Two summaries of the same state (run.c keeps an observation by it, oracle.c compares modules). */
static inline bool vgtf_same_sum(const struct vgtf_dev_sum *a, const struct vgtf_dev_sum *b)
{
	return a->active == b->active && a->caps == b->caps && a->reserved == b->reserved && a->n_nodes == b->n_nodes &&
	       a->nodes_hash == b->nodes_hash;
}

/* The summary a full observation implies: what summarize() gives for the same state. */
static inline struct vgtf_dev_sum vgtf_summary_of(const struct vgtf_dev_obs *o)
{
	struct vgtf_dev_sum s = { .active = o->active,
				  .caps = o->caps,
				  .reserved = o->reserved,
				  .n_nodes = o->n_nodes,
				  .nodes_hash = VGTF_HASH_SEED };

	for (uint32_t i = 0; i < o->n_nodes && i < VGTF_MAX_NODES; i++)
		s.nodes_hash = vgtf_hash_node(s.nodes_hash, o->nodes[i].start, o->nodes[i].size, o->nodes[i].color);
	return s;
}

enum vgtf_op_status {
	VGTF_RAN,
	VGTF_SKIPPED_CONTRACT, /* the driver never does this (balloon twice on one device) */
	VGTF_NOT_RUN, /* an earlier op stopped the run (see trace.stop_why) */
};

struct vgtf_op_obs {
	uint8_t status; /* enum vgtf_op_status */
	int ret; /* the op's return value (0 for void ops) */
	uint64_t alloc_start; /* ALLOC, EVICT, RESERVE: where the node landed */
	uint32_t warns; /* kernel WARNs during this op */
	uint32_t evictions; /* objects evicted during this op */
	struct vgtf_dev_obs dev[VGTF_MAX_DEVS]; /* VGTF_FULL only */
	struct vgtf_dev_sum sum[VGTF_MAX_DEVS]; /* VGTF_SUMMARY only */
};

struct vgtf_trace {
	const char *module;
	int pre_ret[VGTF_MAX_DEVS][VGTF_MAX_PRE]; /* each pre-existing node's reservation */
	struct vgtf_dev_obs setup[VGTF_MAX_DEVS]; /* after the pre-existing nodes */
	struct vgtf_dev_sum setup_sum[VGTF_MAX_DEVS]; /* VGTF_SUMMARY: the set-up in short */
	struct vgtf_op_obs op[VGTF_MAX_OPS];
	struct vgtf_dev_obs end[VGTF_MAX_DEVS]; /* VGTF_SUMMARY: every device after the last op */
	int cur_op; /* the op running, -1 in the set-up */
	bool stopped; /* a hazard ended the run early */
	bool stop_broken; /* ... or the module's state broke (module.h) */
	int stop_op; /* at this op */
	char stop_why[VGTF_WHY_LEN]; /* "tag: explanation" */
};
#endif
