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
} reviewed[] = {
#define VGTF_STRICT(reason, why) { reason, why },
#include "strict.def"
#undef VGTF_STRICT
};

static const char *review(const char *reason)
{
	for (size_t i = 0; i < sizeof(reviewed) / sizeof(reviewed[0]); i++)
		if (strcmp(reviewed[i].reason, reason) == 0)
			return reviewed[i].why;
	return NULL;
}

/* Is a refusal for `reason` reviewed? Looked up by name once per reason and remembered: the check
 * runs on every input that balloons. */
static bool reviewed_reason(enum vgtb_reason reason)
{
	static signed char known[64]; /* 0: not looked up yet, 1: reviewed, -1: not */

	if ((unsigned)reason >= sizeof(known))
		return review(vgtb_reason_str(reason)) != NULL;
	if (!known[reason])
		known[reason] = review(vgtb_reason_str(reason)) ? 1 : -1;
	return known[reason] > 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The four slice fields of each device's page as the ops go by: the scenario's page, then every
 * host write to one of them (4-aligned writes of 4 bytes replace a field whole). What
 * vgtf_page_at() gives, for these fields, without rebuilding the page at every balloon. */
struct slices {
	uint32_t mappable_base, mappable_size, unmappable_base, unmappable_size;
};

static void host_write(struct slices *s, const struct vgtf_op *op)
{
	switch (op->offset) {
	case VGTF_PAGE_OFF_mappable_base:
		s->mappable_base = (uint32_t)op->value;
		break;
	case VGTF_PAGE_OFF_mappable_size:
		s->mappable_size = (uint32_t)op->value;
		break;
	case VGTF_PAGE_OFF_unmappable_base:
		s->unmappable_base = (uint32_t)op->value;
		break;
	case VGTF_PAGE_OFF_unmappable_size:
		s->unmappable_size = (uint32_t)op->value;
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
	struct slices page[VGTF_MAX_DEVS];

	if (sizeof(unsigned long) < 8)
		return false;
	for (unsigned int d = 0; d < VGTF_MAX_DEVS; d++)
		page[d] = (struct slices){ le32(sc->page + VGTF_PAGE_OFF_mappable_base),
					   le32(sc->page + VGTF_PAGE_OFF_mappable_size),
					   le32(sc->page + VGTF_PAGE_OFF_unmappable_base),
					   le32(sc->page + VGTF_PAGE_OFF_unmappable_size) };
	for (int i = 0; i < (int)sc->n_ops; i++) {
		const struct vgtf_op *op = &sc->ops[i];
		const struct vgtf_op_obs *o = &kernel->op[i];
		struct vgtb_pvinfo info;
		struct vgtb_geometry geo = { sc->dev[op->dev].total, sc->dev[op->dev].mappable_end };
		struct vgtb_plan plan;
		const char *reason;
		bool refused;

		if (op->kind == VGTF_OP_HOST_WRITE)
			host_write(&page[op->dev], op);
		if (op->kind != VGTF_OP_BALLOON || o->status != VGTF_RAN || !active_before(kernel, i, op->dev, depth))
			continue;
		memset(&info, 0, sizeof(info));
		info.mappable_base = page[op->dev].mappable_base;
		info.mappable_size = page[op->dev].mappable_size;
		info.unmappable_base = page[op->dev].unmappable_base;
		info.unmappable_size = page[op->dev].unmappable_size;
		vgtb_plan_make(&info, &geo, VGTB_PROFILE_STRICT, &plan);
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
		if (!reviewed_reason(plan.reason))
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
