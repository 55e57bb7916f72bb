/* The target: decode -> every module -> oracles -> verdict (see target.h). */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
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

/* A kernel BUG() ends the test case. An accepted one (a known finding) jumps back to the target
 * so fuzzing goes on: every structure the lifted code touched is reset by the next input. */
static jmp_buf bug_return;
static bool bug_return_armed;
static struct vgtf_finding bug_finding;

static void kernel_bug(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');
	struct vgtf_finding *f = &bug_finding;

	f->cls = VGTF_SIG_KERNEL_BUG;
	f->op = -1;
	snprintf(f->sig, sizeof(f->sig), "kernel-bug/%s/%s:%d", vgtf_current_op, base ? base + 1 : file, line);
	snprintf(f->detail, sizeof(f->detail), "kernel BUG at %s:%d: %s (during %s)", file, line, cond,
		 vgtf_current_op);
	f->accepted = vgtf_accepted(f->sig);
	if (bug_return_armed && (f->accepted || !abort_on_bug))
		longjmp(bug_return, 1);
	fprintf(stderr, "VGTFUZZ-SIGNATURE: %s\n%s\n", f->sig, f->detail);
	fflush(stderr);
	abort_class(VGTF_SIG_KERNEL_BUG);
}

void kgtt_set_bug_hook(void (*hook)(const char *file, int line, const char *cond));

void vgtf_target_init(void)
{
	const char *env = getenv("VGTFUZZ_SHOW_ACCEPTED");

	show_accepted = env && *env && strcmp(env, "0") != 0;
	env = getenv("VGTFUZZ_KEEP_GOING");
	keep_going = env && *env && strcmp(env, "0") != 0;
	env = getenv("VGTFUZZ_TARGET");
	if (env && strcmp(env, "drm_mm") == 0)
		target_id = VGTF_TARGET_DRM_MM;
	kgtt_set_bug_hook(kernel_bug);
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
	if (setjmp(bug_return)) {
		bug_return_armed = false;
		*f = bug_finding;
		return true;
	}
	bug_return_armed = true;
	for (size_t m = 0; m < N_MODULES; m++) {
		vgtf_run(modules[m], &scenario, &traces[m]);
		t[m] = &traces[m];
	}
	bug_return_armed = false;
	vgtf_current_op = "setup";
	return vgtf_check(&scenario, t, N_MODULES, f);
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
