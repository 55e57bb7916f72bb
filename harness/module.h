/*
 * One implementation of the balloon behind a small vtable. The runner (run.c) drives a module
 * through a scenario, applying the driver's contract once for every module; modules.def lists
 * them. Adding an implementation is one file and one row.
 */
#ifndef VGTFUZZ_MODULE_H
#define VGTFUZZ_MODULE_H
#include "observation.h"

struct vgtf_module {
	const char *name;
	/* A fresh world: no device, no leftover state from the previous test case. */
	void (*reset)(void);
	/* GGTT of `dev` per `geom` (pre-existing nodes are added by `reserve`), page loaded. */
	int (*init_dev)(unsigned int dev, const struct vgtf_device *geom, const uint8_t *page);
	int (*reserve)(unsigned int dev, const struct vgtf_pre_node *pre);
	void (*detect)(unsigned int dev);
	int (*balloon)(unsigned int dev);
	void (*deballoon)(unsigned int dev);
	/* ALLOC: an insert by the op's mode; EVICT: i915's eviction scan, then an EVICT insert;
	 * RESERVE: i915_gem_gtt_reserve() at op->range_start. *start: where the node landed. */
	int (*alloc)(unsigned int dev, const struct vgtf_op *op, uint64_t *start);
	int (*evict)(unsigned int dev, const struct vgtf_op *op, uint64_t *start);
	int (*reserve_at)(unsigned int dev, const struct vgtf_op *op);
	/* Unbind object number `index` (modulo the objects bound, in address order; balloon nodes
	 * are not objects). -ENOENT when there is none. */
	int (*free_obj)(unsigned int dev, unsigned int index);
	void (*host_write)(unsigned int dev, uint16_t offset, uint32_t value);
	/* Fill `out` with the device's state, its own invariant walk included. */
	void (*observe)(unsigned int dev, struct vgtf_dev_obs *out);
	/* The same in short (observation.h): what the fast path compares after every op. */
	void (*summarize)(unsigned int dev, struct vgtf_dev_sum *out);
	/* Kernel events since reset (0 where a module has none). */
	unsigned int (*warns)(void);
	unsigned int (*evictions)(void);
	/* NULL, or why running `op` now would take the module outside what it can survive
	 * (the kernel module: a bl_info node linked into another device's GGTT). */
	const char *(*hazard)(const struct vgtf_op *op);
	/* NULL, or why the result `ret` of `op` marks an outcome the module declines to model
	 * (production: the kernel's behaviour there is undefined), so comparing stops there. */
	const char *(*undefined)(const struct vgtf_op *op, int ret);
	/* NULL, or why the module's own state on `dev` is past repair after an op (the kernel
	 * module: drm_mm's node list overlaps itself). The run stops there, before a later op
	 * walks a structure that no longer ends; the oracles report a structure finding at it. */
	const char *(*broken)(unsigned int dev);
	/* NULL, or where the module reports a kernel BUG() (the hook must not return) and a hazard
	 * (the hook may return: the module then aborts). target.c installs its own. */
	void (*set_hooks)(void (*bug)(const char *file, int line, const char *cond), void (*hazard)(const char *why));
};

#define VGTF_MODULE(id) extern const struct vgtf_module vgtf_module_##id;
#include "modules.def"
#undef VGTF_MODULE

/* How much of a module's state the runner records. */
enum vgtf_depth {
	VGTF_RESULTS, /* the ops' results only: the kernel-only yardstick (target_kernel_only.c) */
	VGTF_SUMMARY, /* + a summary of every device after each op, full observation at the end */
	VGTF_FULL, /* + every device fully observed after the set-up and after each op */
};

/* Run `sc` on `m`, filling `t` to `depth`. */
void vgtf_run(const struct vgtf_module *m, const struct vgtf_scenario *sc, struct vgtf_trace *t, enum vgtf_depth depth);
#endif
