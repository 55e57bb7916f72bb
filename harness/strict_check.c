/*
 * The strict profile in the differential (issue 13 item 5). impl/'s plan in VGTB_PROFILE_STRICT is
 * checked against the lifted kernel at every balloon the kernel really evaluated (an active vGPU),
 * from the page as it stood then:
 *   - strict accepts: the kernel must not have refused the page (-EINVAL);
 *   - strict refuses by one of the kernel's own rules: the kernel must have refused (-EINVAL);
 *   - strict refuses by a strict rule: the rule must be in strict.def (reviewed), and unless it is
 *     an overflow rule (checked before the kernel's, so saying nothing about them) the kernel must
 *     have accepted the page.
 * The kernel's 32-bit arithmetic is the word-size finding, not the strict profile's: an i386 build
 * skips this check.
 */
#include <stdio.h>
#include <string.h>

#include "strict_check.h"
#include "vgtballoon.h"

static const struct {
	const char *reason, *why;
} rows[] = {
#define VGTF_STRICT(reason, why) { reason, why },
#include "strict.def"
#undef VGTF_STRICT
};

/* Is a refusal for `reason` a row of strict.def? Looked up by name once per reason and remembered:
 * the check runs on every input that balloons. */
static bool reviewed(enum vgtb_reason reason)
{
	static signed char known[64]; /* 0: not looked up yet, 1: a row, -1: not */
	const char *name;
	bool listed = false;

	if ((unsigned)reason < sizeof(known) && known[reason])
		return known[reason] > 0;
	name = vgtb_reason_str(reason);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]) && !listed; i++)
		listed = strcmp(rows[i].reason, name) == 0;
	if ((unsigned)reason < sizeof(known))
		known[reason] = listed ? 1 : -1;
	return listed;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A host write to one of the page's four slice fields (4-aligned writes of 4 bytes replace a field
 * whole): what vgtf_page_at() would show for them, without rebuilding the page at every balloon. */
static void host_write(struct vgtb_pvinfo *info, const struct vgtf_op *op)
{
	switch (op->offset) {
	case VGTF_PAGE_OFF_mappable_base:
		info->mappable_base = (uint32_t)op->value;
		break;
	case VGTF_PAGE_OFF_mappable_size:
		info->mappable_size = (uint32_t)op->value;
		break;
	case VGTF_PAGE_OFF_unmappable_base:
		info->unmappable_base = (uint32_t)op->value;
		break;
	case VGTF_PAGE_OFF_unmappable_size:
		info->unmappable_size = (uint32_t)op->value;
		break;
	default:
		break;
	}
}

static bool finding(struct vgtf_finding *f, int op, const char *field, const char *detail, const char *reason)
{
	f->cls = VGTF_SIG_STRICT;
	f->op = op;
	snprintf(f->sig, sizeof(f->sig), "%s/balloon/%s", vgtf_sig_names[VGTF_SIG_STRICT], field);
	snprintf(f->detail, sizeof(f->detail), "op %d: %s (strict: %s)", op, detail, reason);
	f->accepted = vgtf_accepted(f->sig);
	return true;
}

/* Was device `dev` an active vGPU before op `i`, in a trace recorded to `depth` (module.h)? */
static bool active_before(const struct vgtf_trace *t, int i, unsigned int dev, enum vgtf_depth depth)
{
	if (depth == VGTF_SUMMARY)
		return i ? t->op[i - 1].sum[dev].active : t->setup_sum[dev].active;
	return i ? t->op[i - 1].dev[dev].active : t->setup[dev].active;
}

bool vgtf_strict_check(const struct vgtf_scenario *sc, const struct vgtf_trace *kernel, enum vgtf_depth depth,
		       struct vgtf_finding *f)
{
	/* Each device's slices as the ops go: the scenario's page, then the host's writes. The plan
	 * reads only these four fields. */
	struct vgtb_pvinfo info[VGTF_MAX_DEVS];

	if (sizeof(unsigned long) < 8)
		return false;
	memset(info, 0, sizeof(info));
	for (unsigned int d = 0; d < VGTF_MAX_DEVS; d++) {
		info[d].mappable_base = le32(sc->page + VGTF_PAGE_OFF_mappable_base);
		info[d].mappable_size = le32(sc->page + VGTF_PAGE_OFF_mappable_size);
		info[d].unmappable_base = le32(sc->page + VGTF_PAGE_OFF_unmappable_base);
		info[d].unmappable_size = le32(sc->page + VGTF_PAGE_OFF_unmappable_size);
	}
	for (int i = 0; i < (int)sc->n_ops; i++) {
		const struct vgtf_op *op = &sc->ops[i];
		const struct vgtf_op_obs *o = &kernel->op[i];
		struct vgtb_geometry geo = { sc->dev[op->dev].total, sc->dev[op->dev].mappable_end };
		struct vgtb_plan plan;
		const char *reason;
		bool refused;

		if (op->kind == VGTF_OP_HOST_WRITE)
			host_write(&info[op->dev], op);
		if (op->kind != VGTF_OP_BALLOON || o->status != VGTF_RAN || !active_before(kernel, i, op->dev, depth))
			continue;
		vgtb_plan_make(&info[op->dev], &geo, VGTB_PROFILE_STRICT, &plan);
		reason = vgtb_reason_str(plan.reason);
		refused = o->ret == -22; /* -EINVAL: the kernel's page checks */
		if (!plan.err) {
			if (refused)
				return finding(f, i, "accepts-kernel-refusal",
					       "the kernel refused the page with -EINVAL, "
					       "strict accepts it",
					       reason);
			continue;
		}
		if (!vgtb_reason_is_strict(plan.reason)) {
			if (!refused)
				return finding(f, i, "kernel-rule-not-applied",
					       "strict refuses by one of the kernel's own "
					       "rules, the kernel accepted the page",
					       reason);
			continue;
		}
		if (!reviewed(plan.reason))
			return finding(f, i, "unreviewed-refusal", "strict refuses by a rule strict.def does not list",
				       reason);
		if (refused && plan.reason != VGTB_REASON_MAPPABLE_OVERFLOWS_32 &&
		    plan.reason != VGTB_REASON_UNMAPPABLE_OVERFLOWS_32)
			return finding(f, i, "strict-rule-hides-kernel-refusal",
				       "strict names a strict rule first, "
				       "but the kernel refused the page by its own",
				       reason);
	}
	return false;
}
