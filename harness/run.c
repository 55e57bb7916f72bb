/* Drive one module through a scenario, recording what it did (see module.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

static void stop(struct vgtf_trace *t, int op, const char *why)
{
	t->stopped = true;
	t->stop_op = op;
	strncpy(t->stop_why, why, sizeof(t->stop_why) - 1);
	t->stop_why[sizeof(t->stop_why) - 1] = '\0';
}

/* An op the run never reached: nothing observed (the oracles compare these too). */
static void not_run(struct vgtf_op_obs *o, unsigned int n_devs, enum vgtf_depth depth)
{
	o->status = VGTF_NOT_RUN;
	if (depth == VGTF_FULL)
		memset(o->dev, 0, sizeof(o->dev[0]) * n_devs);
	else if (depth == VGTF_SUMMARY)
		memset(o->sum, 0, sizeof(o->sum[0]) * n_devs);
}

/* The contract the fast path rests on (observation.h): a module's summary is what its full
 * observation of the same state implies. Checked wherever the full run observes (the reruns, every
 * replay and corpus test): a module whose two read-backs drifted apart would otherwise only send
 * every input down the slow path, or keep a stale observation of a device that changed. */
static void check_summary(const struct vgtf_module *m, unsigned int dev, const struct vgtf_dev_obs *o)
{
	struct vgtf_dev_sum now, implied = vgtf_summary_of(o);

	m->summarize(dev, &now);
	if (vgtf_same_sum(&now, &implied))
		return;
	fprintf(stderr, "vgtfuzz: harness defect: %s's summary of device %u is not what its observation implies\n",
		m->name, dev);
	abort();
}

/* An observation's used part (the arrays hold n_* entries; the oracles read no further). */
static void copy_obs(struct vgtf_dev_obs *to, const struct vgtf_dev_obs *from)
{
	uint32_t nn = from->n_nodes < VGTF_MAX_NODES ? from->n_nodes : VGTF_MAX_NODES;
	uint32_t nh = from->n_holes < VGTF_MAX_HOLES ? from->n_holes : VGTF_MAX_HOLES;
	uint32_t ns = from->n_stack < VGTF_MAX_HOLES ? from->n_stack : VGTF_MAX_HOLES;

	to->active = from->active;
	to->caps = from->caps;
	to->reserved = from->reserved;
	to->n_nodes = from->n_nodes;
	to->n_holes = from->n_holes;
	to->n_stack = from->n_stack;
	memcpy(to->nodes, from->nodes, nn * sizeof(to->nodes[0]));
	memcpy(to->holes, from->holes, nh * sizeof(to->holes[0]));
	memcpy(to->stack, from->stack, ns * sizeof(to->stack[0]));
	to->structure_ok = from->structure_ok;
	memcpy(to->structure_why, from->structure_why, sizeof(to->structure_why));
}

/*
 * Record every device's state after the set-up (op_dev < 0) or an op on device op_dev, as deep as
 * `depth` asks. In full, a device the op did not name whose summary (active, caps, reserved, the
 * node list) is what its previous observation shows is as it was: the previous observation is
 * copied instead of walked again. Only drm_mm calls on a device's own drm_mm change its holes,
 * hole stack and trees, and every one that touches another device's drm_mm (the shared bl_info)
 * links or unlinks a node there, which its summary shows; the op's own device is always walked.
 */
static void record(const struct vgtf_module *m, const struct vgtf_scenario *sc, enum vgtf_depth depth, int op_dev,
		   const struct vgtf_dev_obs *prev, struct vgtf_dev_obs *obs, struct vgtf_dev_sum *sum)
{
	for (unsigned int d = 0; d < sc->n_devs; d++)
		if (depth == VGTF_FULL) {
			if (prev && (int)d != op_dev) {
				struct vgtf_dev_sum now, then = vgtf_summary_of(&prev[d]);

				m->summarize(d, &now);
				if (vgtf_same_sum(&now, &then)) {
					copy_obs(&obs[d], &prev[d]);
					continue;
				}
			}
			m->observe(d, &obs[d]);
			check_summary(m, d, &obs[d]);
		} else if (depth == VGTF_SUMMARY) {
			m->summarize(d, &sum[d]);
		}
}

/* Is device `dev` ballooned after a balloon op that returned 0? */
static bool active_after(const struct vgtf_module *m, enum vgtf_depth depth, const struct vgtf_op_obs *o,
			 unsigned int dev)
{
	struct vgtf_dev_sum s;

	if (depth == VGTF_FULL)
		return o->dev[dev].active;
	if (depth == VGTF_SUMMARY)
		return o->sum[dev].active;
	m->summarize(dev, &s);
	return s.active;
}

void vgtf_run(const struct vgtf_module *m, const struct vgtf_scenario *sc, struct vgtf_trace *t, enum vgtf_depth depth)
{
	bool ballooned[VGTF_MAX_DEVS] = { false };

	t->module = m->name;
	t->stopped = false;
	t->stop_broken = false;
	t->stop_op = -1;
	t->stop_why[0] = '\0';
	t->cur_op = -1;
	m->reset();
	for (unsigned int d = 0; d < sc->n_devs; d++) {
		const struct vgtf_device *dev = &sc->dev[d];

		m->init_dev(d, dev, sc->page);
		for (unsigned int i = 0; i < dev->n_pre; i++)
			t->pre_ret[d][i] = m->reserve(d, &dev->pre[i]);
	}
	record(m, sc, depth, -1, NULL, t->setup, t->setup_sum);

	for (unsigned int i = 0; i < sc->n_ops; i++) {
		const struct vgtf_op *op = &sc->ops[i];
		struct vgtf_op_obs *o = &t->op[i];
		unsigned int warns = m->warns(), evictions = m->evictions();
		const char *hazard;

		/* Every field of the op's record is written here or by record(): the target does
		 * not clear traces between inputs (they are large; most inputs are short). */
		o->ret = 0;
		o->alloc_start = 0;
		o->warns = 0;
		o->evictions = 0;
		o->status = VGTF_RAN;
		if (t->stopped) {
			not_run(o, sc->n_devs, depth);
			continue;
		}
		/* The driver balloons a device once per probe: a second balloon without a
		 * deballoon in between is outside its contract, for every module alike. */
		if (op->kind == VGTF_OP_BALLOON && ballooned[op->dev]) {
			o->status = VGTF_SKIPPED_CONTRACT;
			record(m, sc, depth, (int)op->dev, i ? t->op[i - 1].dev : t->setup, o->dev, o->sum);
			continue;
		}
		/* i915_vma_insert() refuses a fixed offset past the end of the address space
		 * (-EINVAL) before i915_gem_gtt_reserve() is reached: never asked of it. */
		if (op->kind == VGTF_OP_RESERVE && (op->range_start >= sc->dev[op->dev].total ||
						    op->size > sc->dev[op->dev].total - op->range_start)) {
			o->status = VGTF_SKIPPED_CONTRACT;
			record(m, sc, depth, (int)op->dev, i ? t->op[i - 1].dev : t->setup, o->dev, o->sum);
			continue;
		}
		hazard = m->hazard ? m->hazard(op) : NULL;
		if (hazard) {
			stop(t, (int)i, hazard);
			not_run(o, sc->n_devs, depth);
			continue;
		}
		t->cur_op = (int)i;
		switch (op->kind) {
		case VGTF_OP_DETECT:
			m->detect(op->dev);
			break;
		case VGTF_OP_BALLOON:
			o->ret = m->balloon(op->dev);
			break;
		case VGTF_OP_DEBALLOON:
			m->deballoon(op->dev);
			break;
		case VGTF_OP_ALLOC:
			o->ret = m->alloc(op->dev, op, &o->alloc_start);
			break;
		case VGTF_OP_HOST_WRITE:
			m->host_write(op->dev, op->offset, op->value);
			break;
		case VGTF_OP_FREE:
			o->ret = m->free_obj(op->dev, op->index);
			break;
		case VGTF_OP_EVICT:
			o->ret = m->evict(op->dev, op, &o->alloc_start);
			break;
		case VGTF_OP_RESERVE:
			o->ret = m->reserve_at(op->dev, op);
			if (!o->ret)
				o->alloc_start = op->range_start;
			break;
		case VGTF_OP_CREATE:
		case VGTF_OP_DESTROY:
		case VGTF_OP_BOOT:
		case VGTF_OP_FENCE_NUM:
			break; /* the gvt target's ops never reach the modules (harness/gvt_target.c) */
		}
		o->warns = m->warns() - warns;
		o->evictions = m->evictions() - evictions;
		record(m, sc, depth, (int)op->dev, i ? t->op[i - 1].dev : t->setup, o->dev, o->sum);
		hazard = m->undefined ? m->undefined(op, o->ret) : NULL;
		if (hazard)
			stop(t, (int)i, hazard);
		if (!t->stopped && m->broken && (hazard = m->broken(op->dev)) != NULL) {
			stop(t, (int)i, hazard);
			t->stop_broken = true;
		}
		if (op->kind == VGTF_OP_BALLOON)
			ballooned[op->dev] = o->ret == 0 && active_after(m, depth, o, op->dev);
		if (op->kind == VGTF_OP_DEBALLOON)
			ballooned[op->dev] = false;
	}
	t->cur_op = (int)sc->n_ops;
	if (depth == VGTF_SUMMARY)
		for (unsigned int d = 0; d < sc->n_devs; d++)
			m->observe(d, &t->end[d]);
}
