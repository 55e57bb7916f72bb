/* The target: decode -> every module -> oracles -> verdict (see target.h). */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "explain_json.h"
#include "gvt_target.h"
#include "module.h"
#include "quiet_rerun.h"
#include "strict_check.h"
#include "target.h"

static const struct vgtf_module *const modules[] = {
#define VGTF_MODULE(id) &vgtf_module_##id,
#include "modules.def"
#undef VGTF_MODULE
};
#define N_MODULES (sizeof(modules) / sizeof(modules[0]))

/* Test-case state lives here, not on the stack or heap: nothing is allocated per input. */
static struct vgtf_scenario scenario;
static struct vgtf_trace traces[N_MODULES];
static bool show_accepted;
static bool keep_going; /* VGTFUZZ_KEEP_GOING: findings do not abort (kpatch's exploration) */
static enum vgtf_target target_id = VGTF_TARGET_BALLOON;
static bool always_full; /* VGTFUZZ_FULL: no fast path (every input observed op by op) */
static bool abort_on_bug = true; /* false while explaining: report the BUG, do not die */

/* One function per class, never inlined, so a crash's stack names its class. */
#define VGTF_SIG(id, name, doc)                                               \
	static __attribute__((noinline, noreturn)) void vgtf_abort_##id(void) \
	{                                                                     \
		abort();                                                      \
	}
#include "signatures.def"
#undef VGTF_SIG

static __attribute__((noreturn)) void abort_class(enum vgtf_sig_class cls)
{
	switch (cls) {
#define VGTF_SIG(id, name, doc) \
	case VGTF_SIG_##id:     \
		vgtf_abort_##id();
#include "signatures.def"
#undef VGTF_SIG
	default:
		abort();
	}
}

/* A kernel BUG() ends that module's run at the op that hit it. An accepted one (a known finding), or
 * any one while explaining, jumps back here: the module's trace keeps every op before the BUG and
 * the state the kernel reached at it, the later ops are "not run", and the other modules still run
 * (their traces are the comparison a person reads). Every structure the lifted code touched is
 * reset by the next input. */
static jmp_buf bug_return;
static bool bug_return_armed;
static struct vgtf_finding bug_finding;
static bool bug_hit;
static size_t cur_module; /* static: survives the longjmp */

/* An op's status before its module reaches it: the op a BUG interrupts is the last one that is not
 * (run.c sets each op's status before it runs the op). */
#define OP_UNREACHED 0xffu

/* The op module `cur_module` is running, by name: "setup" before the first. */
static const char *current_op(void)
{
	if (target_id == VGTF_TARGET_GVT)
		return vgtf_gvt_current_op();
	int op = traces[cur_module].cur_op;

	return op >= 0 && op < (int)scenario.n_ops ? vgtf_op_names[scenario.ops[op].kind] : "setup";
}

static void kernel_bug(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');
	struct vgtf_finding *f = &bug_finding;
	const char *opname = current_op();
	char key[256];

	f->cls = VGTF_SIG_KERNEL_BUG;
	f->op = -1;
	/* The kernel file and line a developer looks up (kenv.c maps lifted fragments back). */
	snprintf(f->sig, sizeof(f->sig), "kernel-bug/%s/%s:%d", opname, base ? base + 1 : file, line);
	/* On a 32-bit build, a BUG in a scenario the kernel's unsigned long cannot hold is the
	 * word-size finding, as a divergence there is (oracle.c's vgtf_check()): a debug kernel's
	 * range checks see the wrapped sums first. */
	if (vgtf_word_size_matters(&scenario, traces[cur_module].cur_op)) {
		f->cls = VGTF_SIG_I386;
		snprintf(f->sig, sizeof(f->sig), "i386/%s/kernel-bug:%s:%d", opname, base ? base + 1 : file, line);
	}
	snprintf(f->detail, sizeof(f->detail), "kernel BUG at %s:%d: %s (during %s)", file, line, cond, opname);
	/* accepted.def may name the condition too: "<signature>: <condition>". */
	snprintf(key, sizeof(key), "%.95s: %.150s", f->sig, cond);
	f->accepted = vgtf_accepted(key) ? vgtf_accepted(key) : vgtf_accepted(f->sig);
	if (bug_return_armed && (f->accepted || !abort_on_bug))
		longjmp(bug_return, 1);
	fprintf(stderr, "VGTFUZZ-SIGNATURE: %s\n%s\n", f->sig, f->detail);
	fflush(stderr);
	abort_class(VGTF_SIG_KERNEL_BUG);
}

static void kernel_hazard(const char *why);

void vgtf_target_init(void)
{
	const char *env = getenv("VGTFUZZ_SHOW_ACCEPTED");

	show_accepted = env && *env && strcmp(env, "0") != 0;
	env = getenv("VGTFUZZ_KEEP_GOING");
	keep_going = env && *env && strcmp(env, "0") != 0;
	env = getenv("VGTFUZZ_TARGET");
	if (env && strcmp(env, "drm_mm") == 0)
		target_id = VGTF_TARGET_DRM_MM;
	if (env && strcmp(env, "gvt") == 0)
		target_id = VGTF_TARGET_GVT;
	env = getenv("VGTFUZZ_FULL");
	always_full = env && *env && strcmp(env, "0") != 0;
	for (size_t m = 0; m < N_MODULES; m++)
		if (modules[m]->set_hooks)
			modules[m]->set_hooks(kernel_bug, kernel_hazard);
}

/* The lifted kernel code is about to corrupt memory (extracted/kenv.c): this module's run stops
 * there; the oracles report the hazard at that op (its trace is "stopped"). */
static char hazard_why[sizeof(((struct vgtf_trace *)0)->stop_why)];

static void kernel_hazard(const char *why)
{
	if (!bug_return_armed)
		return; /* kenv.c aborts */
	snprintf(hazard_why, sizeof(hazard_why), "%s", why);
	longjmp(bug_return, 2);
}

/* After a BUG or a hazard in module m: the op it interrupted gets the state the module reached
 * there, the later ops are not run. Returns that op (-1: the set-up). */
static int finish_stopped(const struct vgtf_module *m, struct vgtf_trace *t, const char *why, enum vgtf_depth depth)
{
	int at = -1;

	for (unsigned int i = 0; i < scenario.n_ops; i++)
		if (t->op[i].status != OP_UNREACHED)
			at = (int)i;
	for (unsigned int i = 0; i < scenario.n_ops; i++) {
		struct vgtf_op_obs *o = &t->op[i];

		if (o->status != OP_UNREACHED)
			continue;
		o->status = VGTF_NOT_RUN;
		o->ret = 0;
		o->alloc_start = 0;
		o->warns = 0;
		o->evictions = 0;
		if (depth == VGTF_FULL)
			memset(o->dev, 0, sizeof(o->dev[0]) * scenario.n_devs);
	}
	if (depth != VGTF_FULL) {
		/* The fast path's verdict on a stopped run is "look again": nothing to observe. */
	} else if (at >= 0) {
		t->op[at].status = VGTF_RAN;
		t->op[at].ret = 0;
		t->op[at].alloc_start = 0;
		for (unsigned int d = 0; d < scenario.n_devs; d++)
			m->observe(d, &t->op[at].dev[d]);
	} else {
		for (unsigned int d = 0; d < scenario.n_devs; d++)
			m->observe(d, &t->setup[d]);
	}
	t->module = m->name;
	t->stopped = true;
	t->stop_broken = false;
	t->stop_op = at;
	snprintf(t->stop_why, sizeof(t->stop_why), "%s", why);
	return at;
}

void vgtf_target_select(enum vgtf_target target)
{
	if (target < VGTF_TARGETS)
		target_id = target;
}

/* Run every module on the decoded scenario to `depth`. True when a kernel BUG stopped one (its
 * finding is in bug_finding). */
static enum vgtf_depth cur_depth;

/* How many ops the modules after the kernel run (verdict() may stop them early); static, as
 * run_modules() keeps no locals live across its setjmp. */
static unsigned int all_ops, others_ops;

static bool run_modules(enum vgtf_depth depth)
{
	cur_depth = depth;
	all_ops = scenario.n_ops;
	bug_hit = false;
	/* No locals live across the setjmp: cur_module and the traces are static. */
	for (cur_module = 0; cur_module < N_MODULES; cur_module++) {
		/* A kernel that stopped sends the input down the full path whatever the others do:
		 * on the fast path they need not run (modules.def lists the kernel first). */
		if (depth == VGTF_SUMMARY && cur_module > 0 && traces[0].stopped)
			break;
		/* Traces are not cleared between inputs (run.c writes every field of each op it
		 * reaches); only the ops' status marks which ones it reached. The pre-existing
		 * nodes' results are small: cleared, so a BUG during set-up shows none stale. */
		scenario.n_ops = cur_module > 0 && others_ops < all_ops ? others_ops : all_ops;
		memset(traces[cur_module].pre_ret, 0, sizeof(traces[cur_module].pre_ret));
		for (unsigned int i = 0; i < scenario.n_ops; i++)
			traces[cur_module].op[i].status = OP_UNREACHED;
		switch (setjmp(bug_return)) {
		case 1: /* a kernel BUG */
			bug_return_armed = false;
			bug_finding.op =
				finish_stopped(modules[cur_module], &traces[cur_module], bug_finding.detail, cur_depth);
			bug_hit = true;
			break;
		case 2: /* a hazard */
			bug_return_armed = false;
			finish_stopped(modules[cur_module], &traces[cur_module], hazard_why, cur_depth);
			break;
		default:
			bug_return_armed = true;
			vgtf_run(modules[cur_module], &scenario, &traces[cur_module], cur_depth);
			bug_return_armed = false;
			break;
		}
	}
	scenario.n_ops = all_ops;
	return bug_hit;
}

/* The verdict on the decoded scenario: true and `f` filled on a finding. The fast path runs every
 * module to VGTF_SUMMARY; only when that shows any difference (or a stop, a WARN, a broken
 * structure) does the input run again, observed op by op, through every oracle: the finding and
 * its first divergence are then exactly what the full run alone reports. */
static bool verdict(bool fast, struct vgtf_finding *f)
{
	const struct vgtf_trace *t[N_MODULES];
	unsigned int n_ops = scenario.n_ops;
	bool hit;
	int first = -2;

	for (size_t m = 0; m < N_MODULES; m++)
		t[m] = &traces[m];
	others_ops = n_ops;
	/* The strict profile against the kernel, once everything else holds (harness/strict_check.c):
	 * it reads only the kernel's results and whether each device was active, which the summaries
	 * carry too. */
	if (fast && !run_modules(VGTF_SUMMARY) && vgtf_summaries_agree(&scenario, t, N_MODULES, &first))
		return target_id == VGTF_TARGET_BALLOON && vgtf_strict_check(&scenario, t[0], VGTF_SUMMARY, f);
	/* The full run goes only as far as the verdict can look (oracle.c's check_ops):
	 *  - the kernel stopped at op E (a hazard, a BUG, a broken structure): every oracle's verdict
	 *    is reached by op E, since the kernel is checked at every op and its stop ends the
	 *    comparison, so no module need go past it;
	 *  - the modules' results or summaries first differ at op K (nothing stopped, WARNed or
	 *    broke): the full comparison finds its first divergence at K or before, and from there
	 *    on only the kernel is checked (an accepted divergence), so the others stop after K. */
	if (fast && traces[0].stopped)
		scenario.n_ops = (unsigned int)(traces[0].stop_op + 1);
	else if (fast && first >= -1 && first < (int)n_ops)
		others_ops = (unsigned int)(first + 1);
	if (fast) /* the fuzzer learns from the fast pass alone (quiet_rerun.h) */
		vgtf_quiet_begin();
	hit = run_modules(VGTF_FULL);
	if (fast)
		vgtf_quiet_end();
	if (hit) {
		*f = bug_finding;
	} else {
		hit = vgtf_check(&scenario, t, N_MODULES, f) ||
		      (target_id == VGTF_TARGET_BALLOON && vgtf_strict_check(&scenario, t[0], VGTF_FULL, f));
	}
	scenario.n_ops = n_ops;
	others_ops = n_ops;
	return hit;
}

static bool run_all(const uint8_t *data, size_t size, bool fast, struct vgtf_finding *f)
{
	vgtf_decode_target(target_id, data, size, &scenario);
	if (target_id == VGTF_TARGET_GVT) /* the end-to-end target has its own runner */
		return vgtf_gvt_run(&scenario, f, NULL);
	return verdict(fast, f);
}

int vgtf_target_verdict(const uint8_t *data, size_t size, bool fast, struct vgtf_finding *f)
{
	bool hit;

	abort_on_bug = false;
	hit = run_all(data, size, fast, f);
	abort_on_bug = true;
	return hit;
}

int vgtf_target_run(const uint8_t *data, size_t size)
{
	struct vgtf_finding f;

	abort_on_bug = !keep_going;
	if (!run_all(data, size, !always_full, &f) || (f.accepted && !show_accepted) || keep_going)
		return 0;
	fprintf(stderr, "VGTFUZZ-SIGNATURE: %s\n", f.sig);
	fprintf(stderr, "first divergence: %s%s%s\n", f.detail, f.accepted ? "\naccepted: " : "",
		f.accepted ? f.accepted : "");
	fflush(stderr);
	abort_class(f.cls);
}

int vgtf_target_explain(const uint8_t *data, size_t size, FILE *o, struct vgtf_finding *f)
{
	bool hit;

	if (target_id == VGTF_TARGET_GVT) {
		vgtf_decode_target(target_id, data, size, &scenario);
		hit = vgtf_gvt_run(&scenario, f, o);
		if (o) { /* vgtf_gvt_run() wrote {"gvt":{...}; the verdict closes the object */
			fprintf(o, ",\"finding\":");
			vgtf_finding_json(o, hit ? f : NULL);
			fputc('}', o);
		}
		return hit;
	}
	abort_on_bug = false;
	hit = run_all(data, size, false, f);
	abort_on_bug = true;

	if (o) {
		const struct vgtf_trace *t[N_MODULES];

		for (size_t m = 0; m < N_MODULES; m++)
			t[m] = &traces[m];
		vgtf_explain_json(o, &scenario, t, N_MODULES, hit ? f : NULL);
	}
	return hit;
}
