/*
 * The oracle-free kernel-only target: the benchmark's yardstick (bench --throughput). The same
 * decoder, scenario and runner as the real target, driving the kernel module alone to
 * VGTF_RESULTS: no production module, no observation, no oracles. The real target's exec/s as a
 * fraction of this one's is what the harness costs on top of running the kernel code at all.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "target.h"

static struct vgtf_scenario scenario;
static struct vgtf_trace trace;
static enum vgtf_target target_id = VGTF_TARGET_BALLOON;
static jmp_buf stop_here;

/* A kernel BUG or a hazard ends the input's run, as in the real target (which then reports it). */
static void kernel_bug(const char *file, int line, const char *cond)
{
	(void)file;
	(void)line;
	(void)cond;
	longjmp(stop_here, 1);
}

static void kernel_hazard(const char *why)
{
	(void)why;
	longjmp(stop_here, 1);
}

void vgtf_target_init(void)
{
	const char *env = getenv("VGTFUZZ_TARGET");

	if (env && strcmp(env, "drm_mm") == 0)
		target_id = VGTF_TARGET_DRM_MM;
	vgtf_module_kernel.set_hooks(kernel_bug, kernel_hazard);
}

void vgtf_target_select(enum vgtf_target target)
{
	if (target < VGTF_TARGETS)
		target_id = target;
}

int vgtf_target_run(const uint8_t *data, size_t size)
{
	vgtf_decode_target(target_id, data, size, &scenario);
	if (setjmp(stop_here) == 0)
		vgtf_run(&vgtf_module_kernel, &scenario, &trace, VGTF_RESULTS);
	return 0;
}
