/* The oracles (see oracle.h). The first finding in op order wins; within an op the order is:
 * hazard, kernel WARN, structure, differential, cleanup, specification. */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "oracle.h"
#include "policy.h"

const char *const vgtf_sig_names[VGTF_SIG_COUNT] = {
#define VGTF_SIG(id, name, doc) name,
#include "signatures.def"
#undef VGTF_SIG
};

const char *const vgtf_op_names[VGTF_OP_KINDS] = {
#define VGTF_OPKIND(name, ENUM, value, args, doc) [VGTF_OP_##ENUM] = #name,
#include "format.def"
};

/* The op's name in signatures: an ALLOC also names its mode (and ONCE), so that findings of
 * different modes are different buckets and the accepted table can tell them apart. */
static const char *op_label(const struct vgtf_op *o)
{
	/* [once][mode]: constant strings, so no formatting on the per-op path. */
	static const char *const alloc[2][4] = {
		{ "alloc", "alloc_high", "alloc_best", "alloc_evict" },
		{ "alloc_once", "alloc_high_once", "alloc_best_once", "alloc_evict_once" },
	};

	if (o->kind != VGTF_OP_ALLOC)
		return vgtf_op_names[o->kind];
	return alloc[o->once][o->mode & 3];
}

static const struct {
	const char *pattern, *reason;
} accepted[] = {
#define VGTF_ACCEPT(pattern, reason) { pattern, reason },
#include "accepted.def"
#undef VGTF_ACCEPT
};

static bool found(struct vgtf_finding *f, enum vgtf_sig_class cls, int op, const char *opname, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static bool found(struct vgtf_finding *f, enum vgtf_sig_class cls, int op, const char *opname, const char *field,
		  const char *fmt, ...)
{
	va_list ap;

	f->cls = cls;
	f->op = op;
	snprintf(f->sig, sizeof(f->sig), "%s/%s/%s", vgtf_sig_names[cls], opname, field);
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	f->accepted = vgtf_accepted(f->sig);
	return true;
}

const char *vgtf_accepted(const char *sig)
{
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		if (fnmatch(accepted[i].pattern, sig, 0) == 0)
			return accepted[i].reason;
	return NULL;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void vgtf_page_at(const struct vgtf_scenario *sc, unsigned int dev, int upto, uint8_t *page)
{
	memcpy(page, sc->page, VGTF_PAGE_SIZE);
	for (int i = 0; i <= upto && i < (int)sc->n_ops; i++) {
		const struct vgtf_op *op = &sc->ops[i];

		if (op->kind == VGTF_OP_HOST_WRITE && op->dev == dev)
			for (int b = 0; b < 4; b++)
				page[op->offset + b] = (uint8_t)(op->value >> (8 * b));
	}
}

static const struct vgtf_dev_obs *before(const struct vgtf_trace *t, int op, unsigned int dev)
{
	return op == 0 ? &t->setup[dev] : &t->op[op - 1].dev[dev];
}

static bool same_range(const struct vgtf_range *a, const struct vgtf_range *b)
{
	return a->start == b->start && a->size == b->size && a->color == b->color;
}

static bool contains(const struct vgtf_range *set, uint32_t n, const struct vgtf_range *r)
{
	for (uint32_t i = 0; i < n && i < VGTF_MAX_NODES; i++)
		if (same_range(&set[i], r))
			return true;
	return false;
}

static const char *fmt_range(char *buf, size_t len, const struct vgtf_range *r)
{
	snprintf(buf, len, "[0x%" PRIx64 " +0x%" PRIx64 " colour %" PRId64 "]", r->start, r->size, r->color);
	return buf;
}

/* Compare two device observations; describe the first difference. */
static bool diff_dev(struct vgtf_finding *f, int op, const char *opname, unsigned int dev, const struct vgtf_trace *a,
		     const struct vgtf_dev_obs *x, const struct vgtf_trace *b, const struct vgtf_dev_obs *y)
{
	char r1[80], r2[80];
	uint32_t n;

	if (x->active != y->active)
		return found(f, VGTF_SIG_DIFF, op, opname, "active", "device %u active: %s %d, %s %d", dev, a->module,
			     x->active, b->module, y->active);
	if (x->caps != y->caps)
		return found(f, VGTF_SIG_DIFF, op, opname, "caps", "device %u caps: %s 0x%x, %s 0x%x", dev, a->module,
			     x->caps, b->module, y->caps);
	n = x->n_nodes < y->n_nodes ? x->n_nodes : y->n_nodes;
	for (uint32_t i = 0; i < n && i < VGTF_MAX_NODES; i++)
		if (!same_range(&x->nodes[i], &y->nodes[i]))
			return found(f, VGTF_SIG_DIFF, op, opname, "nodes", "device %u node %u: %s %s, %s %s", dev, i,
				     a->module, fmt_range(r1, sizeof(r1), &x->nodes[i]), b->module,
				     fmt_range(r2, sizeof(r2), &y->nodes[i]));
	if (x->n_nodes != y->n_nodes)
		return found(f, VGTF_SIG_DIFF, op, opname, "nodes", "device %u node count: %s %u, %s %u", dev,
			     a->module, x->n_nodes, b->module, y->n_nodes);
	if (x->reserved != y->reserved)
		return found(f, VGTF_SIG_DIFF, op, opname, "reserved",
			     "device %u reserved: %s 0x%" PRIx64 ", %s 0x%" PRIx64, dev, a->module, x->reserved,
			     b->module, y->reserved);
	n = x->n_holes < y->n_holes ? x->n_holes : y->n_holes;
	for (uint32_t i = 0; i < n && i < VGTF_MAX_HOLES; i++)
		if (!same_range(&x->holes[i], &y->holes[i]))
			return found(f, VGTF_SIG_DIFF, op, opname, "holes", "device %u hole %u: %s %s, %s %s", dev, i,
				     a->module, fmt_range(r1, sizeof(r1), &x->holes[i]), b->module,
				     fmt_range(r2, sizeof(r2), &y->holes[i]));
	if (x->n_holes != y->n_holes)
		return found(f, VGTF_SIG_DIFF, op, opname, "holes", "device %u hole count: %s %u, %s %u", dev,
			     a->module, x->n_holes, b->module, y->n_holes);
	/* The hole stack's order decides EVICT mode and BEST's choice among equal sizes. */
	for (uint32_t i = 0; i < x->n_stack && i < y->n_stack && i < VGTF_MAX_HOLES; i++)
		if (x->stack[i] != y->stack[i])
			return found(f, VGTF_SIG_DIFF, op, opname, "hole-stack",
				     "device %u hole stack entry %u (0 = newest): %s hole at 0x%" PRIx64
				     ", %s hole at 0x%" PRIx64,
				     dev, i, a->module, x->stack[i], b->module, y->stack[i]);
	if (x->n_stack != y->n_stack)
		return found(f, VGTF_SIG_DIFF, op, opname, "hole-stack", "device %u hole stack: %s %u, %s %u", dev,
			     a->module, x->n_stack, b->module, y->n_stack);
	return false;
}

static bool check_structure(struct vgtf_finding *f, int op, const char *opname, unsigned int dev,
			    const struct vgtf_trace *t, const struct vgtf_dev_obs *o)
{
	if (o->structure_ok)
		return false;
	return found(f, VGTF_SIG_STRUCTURE, op, opname, t->module, "device %u, %s: %s", dev, t->module,
		     o->structure_why);
}

/* Nodes present after `op` on `dev` that were not there before it. */
static uint32_t added(const struct vgtf_trace *t, int op, unsigned int dev, struct vgtf_range *out)
{
	const struct vgtf_dev_obs *b = before(t, op, dev), *a = &t->op[op].dev[dev];
	uint32_t n = 0;

	for (uint32_t i = 0; i < a->n_nodes && i < VGTF_MAX_NODES; i++)
		if (!contains(b->nodes, b->n_nodes, &a->nodes[i]))
			out[n++] = a->nodes[i];
	return n;
}

/* Cleanup: deballoon gives back exactly what the last successful balloon took; a failed
 * balloon adds nothing and leaves the counter alone (evictions it made stay made, as in the
 * kernel: they are not a trace of the balloon's own). */
static bool check_cleanup(struct vgtf_finding *f, const struct vgtf_scenario *sc, int op, const struct vgtf_trace *t)
{
	const struct vgtf_op *o = &sc->ops[op];
	const struct vgtf_op_obs *ob = &t->op[op];
	const struct vgtf_dev_obs *pre = before(t, op, o->dev), *post = &ob->dev[o->dev];
	const char *field = t->module;
	char r1[80];

	if (o->kind == VGTF_OP_BALLOON && ob->ret != 0) {
		struct vgtf_range add[VGTF_MAX_NODES];

		if (added(t, op, o->dev, add))
			return found(f, VGTF_SIG_CLEANUP, op, "balloon", field, "%s: failed balloon (%d) left node %s",
				     t->module, ob->ret, fmt_range(r1, sizeof(r1), &add[0]));
		if (post->reserved != pre->reserved)
			return found(f, VGTF_SIG_CLEANUP, op, "balloon", field,
				     "%s: failed balloon (%d) moved reserved 0x%" PRIx64 " -> 0x%" PRIx64, t->module,
				     ob->ret, pre->reserved, post->reserved);
	}
	if (o->kind == VGTF_OP_DEBALLOON && post->active) {
		struct vgtf_range took[VGTF_MAX_NODES];
		uint32_t n_took = 0;
		int j;
		uint64_t reserved_before = 0;

		for (j = op - 1; j >= 0; j--)
			if (sc->ops[j].dev == o->dev && t->op[j].status == VGTF_RAN &&
			    (sc->ops[j].kind == VGTF_OP_BALLOON || sc->ops[j].kind == VGTF_OP_DEBALLOON))
				break;
		if (j < 0 || sc->ops[j].kind != VGTF_OP_BALLOON || t->op[j].ret != 0)
			return false;
		n_took = added(t, j, o->dev, took);
		reserved_before = before(t, j, o->dev)->reserved;
		for (uint32_t i = 0; i < post->n_nodes && i < VGTF_MAX_NODES; i++)
			if (contains(took, n_took, &post->nodes[i]))
				return found(f, VGTF_SIG_CLEANUP, op, "deballoon", field,
					     "%s: deballoon left balloon node %s", t->module,
					     fmt_range(r1, sizeof(r1), &post->nodes[i]));
		for (uint32_t i = 0; i < pre->n_nodes && i < VGTF_MAX_NODES; i++)
			if (!contains(took, n_took, &pre->nodes[i]) &&
			    !contains(post->nodes, post->n_nodes, &pre->nodes[i]))
				return found(f, VGTF_SIG_CLEANUP, op, "deballoon", field,
					     "%s: deballoon removed node %s, which the balloon did not add", t->module,
					     fmt_range(r1, sizeof(r1), &pre->nodes[i]));
		if (post->reserved != reserved_before)
			return found(f, VGTF_SIG_CLEANUP, op, "deballoon", field,
				     "%s: reserved 0x%" PRIx64 " after deballoon, 0x%" PRIx64 " before the balloon",
				     t->module, post->reserved, reserved_before);
	}
	return false;
}

/* Is [start, start+size) inside the union of the guest's slices? (64-bit sums: no wrap.) The
 * slices are [mb, me) and [ub, ue); where they meet or overlap, the union is one range. */
static bool in_slices(const uint8_t *page, uint64_t start, uint64_t size)
{
	uint64_t mb = get32(page + VGTF_PAGE_OFF_mappable_base), me = mb + get32(page + VGTF_PAGE_OFF_mappable_size);
	uint64_t ub = get32(page + VGTF_PAGE_OFF_unmappable_base),
		 ue = ub + get32(page + VGTF_PAGE_OFF_unmappable_size);
	uint64_t end = start + size;

	if ((start >= mb && end <= me) || (start >= ub && end <= ue))
		return true;
	if (me >= ub && ue >= mb) /* touching or overlapping: one range */
		return start >= (mb < ub ? mb : ub) && end <= (me > ue ? me : ue);
	return false;
}

/* Specification: after a successful balloon every free byte lies in the guest's slices and no
 * balloon node covers a byte of them; a driver allocation lands in the slices. */
static bool check_spec(struct vgtf_finding *f, const struct vgtf_scenario *sc, int op, const struct vgtf_trace *t,
		       const int *balloon_at)
{
	const struct vgtf_op *o = &sc->ops[op];
	const struct vgtf_op_obs *ob = &t->op[op];
	const struct vgtf_dev_obs *post = &ob->dev[o->dev];
	uint8_t page[VGTF_PAGE_SIZE];
	char r1[80];

	if (ob->ret != 0 || !post->active)
		return false;
	if (o->kind == VGTF_OP_BALLOON) {
		vgtf_page_at(sc, o->dev, op, page);
		struct vgtf_range add[VGTF_MAX_NODES];
		uint32_t n = added(t, op, o->dev, add);
		uint64_t mb = get32(page + VGTF_PAGE_OFF_mappable_base),
			 me = mb + get32(page + VGTF_PAGE_OFF_mappable_size);
		uint64_t ub = get32(page + VGTF_PAGE_OFF_unmappable_base),
			 ue = ub + get32(page + VGTF_PAGE_OFF_unmappable_size);

		for (uint32_t i = 0; i < post->n_holes && i < VGTF_MAX_HOLES; i++)
			if (!in_slices(page, post->holes[i].start, post->holes[i].size))
				return found(f, VGTF_SIG_SPEC, op, "balloon", "free-outside-slices",
					     "%s: free range %s is outside the guest's slices", t->module,
					     fmt_range(r1, sizeof(r1), &post->holes[i]));
		for (uint32_t i = 0; i < n; i++) {
			uint64_t s = add[i].start, e = add[i].start + add[i].size;

			if ((s < me && e > mb && me > mb) || (s < ue && e > ub && ue > ub))
				return found(f, VGTF_SIG_SPEC, op, "balloon", "ballooned-slice",
					     "%s: balloon node %s covers part of the guest's own slices", t->module,
					     fmt_range(r1, sizeof(r1), &add[i]));
		}
	}
	/* An allocation answers to the slices the device ballooned around, whatever the host has
	 * written into the page since. */
	if ((o->kind != VGTF_OP_ALLOC && o->kind != VGTF_OP_EVICT && o->kind != VGTF_OP_RESERVE) ||
	    balloon_at[o->dev] < 0)
		return false;
	vgtf_page_at(sc, o->dev, balloon_at[o->dev], page);
	if (!in_slices(page, ob->alloc_start, o->size))
		return found(f, VGTF_SIG_SPEC, op, "alloc", "outside-slices",
			     "%s: allocation at 0x%" PRIx64 " +0x%" PRIx64 " is outside the guest's slices", t->module,
			     ob->alloc_start, o->size);
	return false;
}

/* Policy: an ALLOC lands where its mode says, given the holes just before it (policy.h). */
static bool check_policy(struct vgtf_finding *f, const struct vgtf_scenario *sc, int op, const char *opname,
			 const struct vgtf_trace *t)
{
	const struct vgtf_op *o = &sc->ops[op];
	const struct vgtf_op_obs *ob = &t->op[op];
	const char *why;
	char buf[160];

	if (o->kind != VGTF_OP_ALLOC || ob->warns)
		return false;
	why = vgtf_policy_violation(o, sc->dev[o->dev].color_adjust, before(t, op, o->dev), ob->ret, ob->alloc_start,
				    buf, sizeof(buf));
	return why && found(f, VGTF_SIG_POLICY, op, opname, t->module, "%s: %s", t->module, why);
}

static bool check_setup(const struct vgtf_scenario *sc, const struct vgtf_trace *const *t, unsigned int n,
			struct vgtf_finding *f)
{
	for (unsigned int d = 0; d < sc->n_devs; d++) {
		for (unsigned int m = 0; m < n; m++)
			if (check_structure(f, -1, "setup", d, t[m], &t[m]->setup[d]))
				return true;
		for (unsigned int m = 1; m < n; m++) {
			for (unsigned int i = 0; i < sc->dev[d].n_pre; i++)
				if (t[0]->pre_ret[d][i] != t[m]->pre_ret[d][i])
					return found(f, VGTF_SIG_DIFF, -1, "setup", "ret",
						     "device %u pre-existing node %u: %s %d, %s %d", d, i, t[0]->module,
						     t[0]->pre_ret[d][i], t[m]->module, t[m]->pre_ret[d][i]);
			if (diff_dev(f, -1, "setup", d, t[0], &t[0]->setup[d], t[m], &t[m]->setup[d]))
				return true;
		}
	}
	return false;
}

/* Would the kernel's unsigned long lose a value of this op's scenario on this build? */
bool vgtf_word_size_matters(const struct vgtf_scenario *sc, int op)
{
	const uint64_t ulong_max = (unsigned long)-1;
	uint8_t page[VGTF_PAGE_SIZE];

	if (ulong_max == UINT64_MAX)
		return false;
	for (unsigned int d = 0; d < sc->n_devs; d++) {
		vgtf_page_at(sc, d, op, page);
		if (sc->dev[d].total > ulong_max ||
		    (uint64_t)get32(page + VGTF_PAGE_OFF_mappable_base) + get32(page + VGTF_PAGE_OFF_mappable_size) >
			    ulong_max ||
		    (uint64_t)get32(page + VGTF_PAGE_OFF_unmappable_base) +
				    get32(page + VGTF_PAGE_OFF_unmappable_size) >
			    ulong_max)
			return true;
	}
	return false;
}

static bool check_ops(const struct vgtf_scenario *sc, const struct vgtf_trace *const *t, unsigned int n, int alone_from,
		      struct vgtf_finding *f);

bool vgtf_summaries_agree(const struct vgtf_scenario *sc, const struct vgtf_trace *const *t, unsigned int n,
			  int *first_difference)
{
	struct vgtf_finding scratch;

	*first_difference = -2; /* not a plain difference: a stop, a WARN or a broken structure */
	for (unsigned int m = 0; m < n; m++) {
		if (t[m]->stopped)
			return false;
		for (unsigned int i = 0; i < sc->n_ops; i++)
			if (t[m]->op[i].warns)
				return false;
		for (unsigned int d = 0; d < sc->n_devs; d++)
			if (!t[m]->end[d].structure_ok)
				return false;
	}
	for (unsigned int m = 1; m < n; m++) {
		const struct vgtf_trace *a = t[0], *b = t[m];

		*first_difference = -1;
		for (unsigned int d = 0; d < sc->n_devs; d++) {
			for (unsigned int i = 0; i < sc->dev[d].n_pre; i++)
				if (a->pre_ret[d][i] != b->pre_ret[d][i])
					return false;
			if (!vgtf_same_sum(&a->setup_sum[d], &b->setup_sum[d]))
				return false;
		}
		for (unsigned int i = 0; i < sc->n_ops; i++) {
			const struct vgtf_op_obs *x = &a->op[i], *y = &b->op[i];

			*first_difference = (int)i;
			if (x->status != y->status || x->ret != y->ret ||
			    (x->ret == 0 && x->alloc_start != y->alloc_start))
				return false;
			for (unsigned int d = 0; d < sc->n_devs; d++)
				if (!vgtf_same_sum(&x->sum[d], &y->sum[d]))
					return false;
		}
		*first_difference = (int)sc->n_ops;
		for (unsigned int d = 0; d < sc->n_devs; d++)
			if (diff_dev(&scratch, (int)sc->n_ops, "end", d, a, &a->end[d], b, &b->end[d]))
				return false;
	}
	return true;
}

bool vgtf_check(const struct vgtf_scenario *sc, const struct vgtf_trace *const *t, unsigned int n,
		struct vgtf_finding *f)
{
	char rest[sizeof(f->sig)], detail[sizeof(f->detail)];

	if (!check_setup(sc, t, n, f) && !check_ops(sc, t, n, INT32_MAX, f))
		return false;
	/* An accepted divergence ends the comparison, not the kernel's own oracles: from that op
	 * on, the kernel is still checked alone (structure, WARNs, policy, cleanup, spec). */
	if (f->accepted && f->cls == VGTF_SIG_DIFF && f->op >= 0) {
		struct vgtf_finding g;

		if (check_ops(sc, t, n, f->op, &g) && !g.accepted)
			*f = g;
	}
	/* On a 32-bit build, a divergence in a scenario the kernel's unsigned long cannot hold is
	 * the word-size finding, whatever field shows it first. */
	if (f->cls != VGTF_SIG_HAZARD && f->cls != VGTF_SIG_KERNEL_BUG && vgtf_word_size_matters(sc, f->op)) {
		snprintf(rest, sizeof(rest), "%s", strchr(f->sig, '/') + 1);
		memcpy(detail, f->detail, sizeof(detail));
		found(f, VGTF_SIG_I386, f->op, rest, "", "%s", detail);
		f->sig[strlen(f->sig) - 1] = '\0'; /* no empty trailing field */
	}
	return true;
}

/* Every op in order; from op `alone_from` on, only the first module (the kernel) is checked. */
static bool check_ops(const struct vgtf_scenario *sc, const struct vgtf_trace *const *t, unsigned int n_all,
		      int alone_from, struct vgtf_finding *f)
{
	int balloon_at[VGTF_MAX_DEVS]; /* the op of each device's standing balloon, or -1 */

	for (unsigned int d = 0; d < VGTF_MAX_DEVS; d++)
		balloon_at[d] = -1;

	for (int i = 0; i < (int)sc->n_ops; i++) {
		const struct vgtf_op *o = &sc->ops[i];
		const char *opname = op_label(o);
		unsigned int n = i >= alone_from ? 1 : n_all;

		/* A hazard in any module explains everything else at this op: check them first. */
		for (unsigned int m = 0; m < n; m++)
			if (t[m]->stopped && t[m]->stop_op == i && !t[m]->stop_broken) {
				char tag[32];
				size_t len = strcspn(t[m]->stop_why, ":");

				snprintf(tag, sizeof(tag), "%.*s", (int)(len < sizeof(tag) ? len : sizeof(tag) - 1),
					 t[m]->stop_why);
				return found(f, VGTF_SIG_HAZARD, i, opname, tag, "%s: %s", t[m]->module,
					     t[m]->stop_why);
			}
		for (unsigned int m = 0; m < n; m++) {
			const struct vgtf_op_obs *ob = &t[m]->op[i];

			if (ob->warns)
				return found(f, VGTF_SIG_KERNEL_WARN, i, opname, t[m]->module,
					     "%s: %u WARN(s) during %s", t[m]->module, ob->warns, opname);
			for (unsigned int d = 0; d < sc->n_devs; d++)
				if (check_structure(f, i, opname, d, t[m], &ob->dev[d]))
					return true;
			if (t[m]->stopped && t[m]->stop_op == i && t[m]->stop_broken)
				return found(f, VGTF_SIG_STRUCTURE, i, opname, t[m]->module, "device %u, %s: %s",
					     o->dev, t[m]->module, t[m]->stop_why);
		}
		for (unsigned int m = 1; m < n; m++) {
			const struct vgtf_op_obs *x = &t[0]->op[i], *y = &t[m]->op[i];

			if (x->status != y->status)
				return found(f, VGTF_SIG_DIFF, i, opname, "status", "op %d: %s status %d, %s status %d",
					     i, t[0]->module, x->status, t[m]->module, y->status);
			if (x->ret != y->ret)
				return found(f, VGTF_SIG_DIFF, i, opname, "ret",
					     "op %d (%s dev %u): %s returned %d, %s %d", i, opname, o->dev,
					     t[0]->module, x->ret, t[m]->module, y->ret);
			if ((o->kind == VGTF_OP_ALLOC || o->kind == VGTF_OP_EVICT) && x->ret == 0 &&
			    x->alloc_start != y->alloc_start)
				return found(f, VGTF_SIG_DIFF, i, opname, "placement",
					     "op %d: %s placed at 0x%" PRIx64 ", %s at 0x%" PRIx64, i, t[0]->module,
					     x->alloc_start, t[m]->module, y->alloc_start);
			for (unsigned int d = 0; d < sc->n_devs; d++)
				if (diff_dev(f, i, opname, d, t[0], &x->dev[d], t[m], &y->dev[d]))
					return true;
		}
		for (unsigned int m = 0; m < n; m++) {
			if (t[m]->op[i].status != VGTF_RAN)
				continue;
			if (check_cleanup(f, sc, i, t[m]) || check_spec(f, sc, i, t[m], balloon_at) ||
			    check_policy(f, sc, i, opname, t[m]))
				return true;
		}
		if (t[0]->op[i].status == VGTF_RAN) {
			if (o->kind == VGTF_OP_BALLOON)
				balloon_at[o->dev] = t[0]->op[i].ret == 0 && t[0]->op[i].dev[o->dev].active ? i : -1;
			if (o->kind == VGTF_OP_DEBALLOON)
				balloon_at[o->dev] = -1;
		}
	}
	return false;
}
