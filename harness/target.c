/* The target: decode -> every module -> oracles -> verdict (see target.h). */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "gvt_target.h"
#include "module.h"
#include "strict_check.h"
#include "target.h"

const char *vgtf_current_op = "setup";

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
static bool keep_going;	/* VGTFUZZ_KEEP_GOING: findings do not abort (kpatch's exploration) */
static enum vgtf_target target_id = VGTF_TARGET_BALLOON;
static bool abort_on_bug = true;	/* false while explaining: report the BUG, do not die */

/* One function per class, never inlined, so a crash's stack names its class. */
#define VGTF_SIG(id, name, doc) \
	static __attribute__((noinline, noreturn)) void vgtf_abort_##id(void) { abort(); }
#include "signatures.def"
#undef VGTF_SIG

static __attribute__((noreturn)) void abort_class(enum vgtf_sig_class cls)
{
	switch (cls) {
#define VGTF_SIG(id, name, doc) case VGTF_SIG_##id: vgtf_abort_##id();
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
static size_t cur_module;		/* static: survives the longjmp */

/* An op's status before its module reaches it: the op a BUG interrupts is the last one that is not
 * (run.c sets each op's status before it runs the op). */
#define OP_UNREACHED 0xffu

static void kernel_bug(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');
	struct vgtf_finding *f = &bug_finding;
	char key[256];

	f->cls = VGTF_SIG_KERNEL_BUG;
	f->op = -1;
	/* The kernel file and line a developer looks up (kenv.c maps lifted fragments back). */
	snprintf(f->sig, sizeof(f->sig), "kernel-bug/%s/%s:%d", vgtf_current_op, base ? base + 1 : file, line);
	snprintf(f->detail, sizeof(f->detail), "kernel BUG at %s:%d: %s (during %s)", file, line, cond,
		 vgtf_current_op);
	/* accepted.def may name the condition too: "<signature>: <condition>". */
	snprintf(key, sizeof(key), "%.95s: %.150s", f->sig, cond);
	f->accepted = vgtf_accepted(key) ? vgtf_accepted(key) : vgtf_accepted(f->sig);
	if (bug_return_armed && (f->accepted || !abort_on_bug))
		longjmp(bug_return, 1);
	fprintf(stderr, "VGTFUZZ-SIGNATURE: %s\n%s\n", f->sig, f->detail);
	fflush(stderr);
	abort_class(VGTF_SIG_KERNEL_BUG);
}

void kgtt_set_bug_hook(void (*hook)(const char *file, int line, const char *cond));
extern void (*vgtfuzz_hazard_hook)(const char *why);
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
	kgtt_set_bug_hook(kernel_bug);
	vgtfuzz_hazard_hook = kernel_hazard;
}

/* The lifted kernel code is about to corrupt memory (extracted/kenv.c): this module's run stops
 * there; the oracles report the hazard at that op (its trace is "stopped"). */
static char hazard_why[sizeof(((struct vgtf_trace *)0)->stop_why)];

static void kernel_hazard(const char *why)
{
	if (!bug_return_armed)
		return;		/* kenv.c aborts */
	snprintf(hazard_why, sizeof(hazard_why), "%s", why);
	longjmp(bug_return, 2);
}

/* After a BUG or a hazard in module m: the op it interrupted gets the state the module reached
 * there, the later ops are not run. Returns that op (-1: the set-up). */
static int finish_stopped(const struct vgtf_module *m, struct vgtf_trace *t, const char *why)
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
		memset(o->dev, 0, sizeof(o->dev[0]) * scenario.n_devs);
	}
	if (at >= 0) {
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
	t->stop_op = at;
	snprintf(t->stop_why, sizeof(t->stop_why), "%s", why);
	return at;
}

void vgtf_target_select(enum vgtf_target target)
{
	if (target < VGTF_TARGETS)
		target_id = target;
}

static bool run_all(const uint8_t *data, size_t size, struct vgtf_finding *f)
{
	const struct vgtf_trace *t[N_MODULES];

	vgtf_decode_target(target_id, data, size, &scenario);
	if (target_id == VGTF_TARGET_GVT)	/* the end-to-end target has its own runner */
		return vgtf_gvt_run(&scenario, f, NULL);
	bug_hit = false;
	for (cur_module = 0; cur_module < N_MODULES; cur_module++) {
		struct vgtf_trace *tr = &traces[cur_module];

		/* Traces are not cleared between inputs (run.c writes every field of each op it
		 * reaches); only the ops' status marks which ones it reached. The pre-existing
		 * nodes' results are small: cleared, so a BUG during set-up shows none stale. */
		memset(tr->pre_ret, 0, sizeof(tr->pre_ret));
		for (unsigned int i = 0; i < scenario.n_ops; i++)
			tr->op[i].status = OP_UNREACHED;
		switch (setjmp(bug_return)) {
		case 1:		/* a kernel BUG */
			bug_return_armed = false;
			tr = &traces[cur_module];
			bug_finding.op = finish_stopped(modules[cur_module], tr, bug_finding.detail);
			bug_hit = true;
			break;
		case 2:		/* a hazard */
			bug_return_armed = false;
			tr = &traces[cur_module];
			finish_stopped(modules[cur_module], tr, hazard_why);
			break;
		default:
			bug_return_armed = true;
			vgtf_run(modules[cur_module], &scenario, tr);
			bug_return_armed = false;
			break;
		}
		t[cur_module] = tr;
		vgtf_current_op = "setup";
	}
	if (bug_hit) {
		*f = bug_finding;
		return true;
	}
	if (vgtf_check(&scenario, t, N_MODULES, f))
		return true;
	/* The strict profile against the kernel, once everything else holds (harness/strict_check.c). */
	return target_id == VGTF_TARGET_BALLOON && vgtf_strict_check(&scenario, t[0], f);
}

int vgtf_target_run(const uint8_t *data, size_t size)
{
	struct vgtf_finding f;

	abort_on_bug = !keep_going;
	if (!run_all(data, size, &f) || (f.accepted && !show_accepted) || keep_going)
		return 0;
	fprintf(stderr, "VGTFUZZ-SIGNATURE: %s\n", f.sig);
	fprintf(stderr, "first divergence: %s%s%s\n", f.detail, f.accepted ? "\naccepted: " : "",
		f.accepted ? f.accepted : "");
	fflush(stderr);
	abort_class(f.cls);
}

/* --- JSON for the replayer --- */

static void json_ranges(FILE *o, const struct vgtf_range *r, uint32_t n, uint32_t cap)
{
	fputc('[', o);
	for (uint32_t i = 0; i < n && i < cap; i++)
		fprintf(o, "%s[%llu,%llu,%lld]", i ? "," : "", (unsigned long long)r[i].start,
			(unsigned long long)r[i].size, (long long)r[i].color);
	fputc(']', o);
}

static void json_dev(FILE *o, const struct vgtf_dev_obs *d)
{
	fprintf(o, "{\"active\":%s,\"caps\":%u,\"reserved\":%llu,\"structure\":\"%s\",\"nodes\":",
		d->active ? "true" : "false", d->caps, (unsigned long long)d->reserved,
		d->structure_ok ? "ok" : d->structure_why);
	json_ranges(o, d->nodes, d->n_nodes, VGTF_MAX_NODES);
	fprintf(o, ",\"holes\":");
	json_ranges(o, d->holes, d->n_holes, VGTF_MAX_HOLES);
	fprintf(o, ",\"stack\":[");
	for (uint32_t i = 0; i < d->n_stack && i < VGTF_MAX_HOLES; i++)
		fprintf(o, "%s%llu", i ? "," : "", (unsigned long long)d->stack[i]);
	fprintf(o, "]}");
}

static void json_str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(o, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(o, "\\u%04x", *s);
		else
			fputc(*s, o);
	fputc('"', o);
}

int vgtf_target_explain(const uint8_t *data, size_t size, FILE *o, struct vgtf_finding *f)
{
	bool hit;

	if (target_id == VGTF_TARGET_GVT) {
		vgtf_decode_target(target_id, data, size, &scenario);
		hit = vgtf_gvt_run(&scenario, f, o);
		if (o) {
			fprintf(o, ",\"finding\":");
			if (hit) {
				fprintf(o, "{\"signature\":");
				json_str(o, f->sig);
				fprintf(o, ",\"op\":%d,\"detail\":", f->op);
				json_str(o, f->detail);
				fprintf(o, ",\"accepted\":");
				if (f->accepted)
					json_str(o, f->accepted);
				else
					fprintf(o, "null");
				fputc('}', o);
			} else {
				fprintf(o, "null");
			}
			fprintf(o, "}\n");
		}
		return hit;
	}
	abort_on_bug = false;
	hit = run_all(data, size, f);
	abort_on_bug = true;

	if (!o)
		return hit;
	fprintf(o, "{\"modules\":[");
	for (size_t m = 0; m < N_MODULES; m++) {
		const struct vgtf_trace *t = &traces[m];

		fprintf(o, "%s{\"name\":\"%s\",\"stopped\":", m ? "," : "", t->module);
		json_str(o, t->stopped ? t->stop_why : "");
		fprintf(o, ",\"pre_ret\":[");
		for (unsigned int d = 0; d < scenario.n_devs; d++) {
			fprintf(o, "%s[", d ? "," : "");
			for (unsigned int i = 0; i < scenario.dev[d].n_pre; i++)
				fprintf(o, "%s%d", i ? "," : "", t->pre_ret[d][i]);
			fputc(']', o);
		}
		fprintf(o, "],\"setup\":[");
		for (unsigned int d = 0; d < scenario.n_devs; d++) {
			fprintf(o, "%s", d ? "," : "");
			json_dev(o, &t->setup[d]);
		}
		fprintf(o, "],\"ops\":[");
		for (unsigned int i = 0; i < scenario.n_ops; i++) {
			const struct vgtf_op_obs *ob = &t->op[i];

			fprintf(o, "%s{\"status\":%u,\"ret\":%d,\"alloc_start\":%llu,\"warns\":%u,\"evictions\":%u,\"dev\":[",
				i ? "," : "", ob->status, ob->ret, (unsigned long long)ob->alloc_start, ob->warns,
				ob->evictions);
			for (unsigned int d = 0; d < scenario.n_devs; d++) {
				fprintf(o, "%s", d ? "," : "");
				json_dev(o, &ob->dev[d]);
			}
			fprintf(o, "]}");
		}
		fprintf(o, "]}");
	}
	fprintf(o, "],\"finding\":");
	if (hit) {
		fprintf(o, "{\"signature\":");
		json_str(o, f->sig);
		fprintf(o, ",\"op\":%d,\"detail\":", f->op);
		json_str(o, f->detail);
		fprintf(o, ",\"accepted\":");
		if (f->accepted)
			json_str(o, f->accepted);
		else
			fprintf(o, "null");
		fputc('}', o);
	} else {
		fprintf(o, "null");
	}
	fprintf(o, "}\n");
	return hit;
}
