/*
 * The xevf target's test environment (declared in extracted/compat/testing/xevf/xevf_env.h):
 * the GSM model that records every PTE index, debug-assert events, tracked allocations and the
 * managed release actions. The kernel log, WARN and BUG sinks are extracted/kevents.c's, shared
 * with the balloon target.
 */
#include <stdlib.h>
#include <string.h>

#include "xevf_env.h"

struct xevf_env xevf_env;

void xevf_env_reset(uintptr_t gsm_base)
{
	void (*runaway)(void) = xevf_env.runaway;

	for (int i = 0; i < xevf_env.nlive; i++)
		free(xevf_env.live[i]);
	memset(&xevf_env, 0, sizeof(xevf_env));
	memset(&vgtfuzz_kevents, 0, sizeof(vgtfuzz_kevents));
	xevf_env.gsm_base = gsm_base;
	xevf_env.runaway = runaway;
}

void xevf_env_op_begin(void)
{
	xevf_env.op_writes = 0;
}

void *xevf_kzalloc(unsigned long n)
{
	void *p = calloc(1, n ? n : 1);

	if (p && xevf_env.nlive < XEVF_MAX_ALLOCS)
		xevf_env.live[xevf_env.nlive++] = p;
	else if (p)
		xevf_env.untracked++;
	return p;
}

void xevf_kfree(const void *p)
{
	if (!p)
		return;
	for (int i = 0; i < xevf_env.nlive; i++)
		if (xevf_env.live[i] == p) {
			xevf_env.live[i] = xevf_env.live[--xevf_env.nlive];
			break;
		}
	free((void *)p);
}

int xevf_alloc_live(const void *p)
{
	for (int i = 0; i < xevf_env.nlive; i++)
		if (xevf_env.live[i] == p)
			return 1;
	return 0;
}

void xevf_debug_assert(int ok, const char *cond, const char *file, int line)
{
	if (ok)
		return;
	vgtfuzz_kernel_location(&file, &line);
	xevf_env.asserts++;
	xevf_env.last_assert = cond;
	xevf_env.last_assert_file = file;
	xevf_env.last_assert_line = line;
	vgtfuzz_klog(4, "xe debug assert (not built in production) at %s:%d: %s\n", file, line, cond);
}

int xevf_add_action(void (*fn)(void), int drmm, void *arg)
{
	if (xevf_env.nactions == XEVF_MAX_ACTIONS)
		return -12; /* -ENOMEM: the kernel's or_reset variant runs nothing then, nor do we */
	xevf_env.actions[xevf_env.nactions].fn = fn;
	xevf_env.actions[xevf_env.nactions].drmm = drmm;
	xevf_env.actions[xevf_env.nactions].arg = arg;
	xevf_env.nactions++;
	return 0;
}

void xevf_gsm_writeq(uint64_t v, uintptr_t addr)
{
	uint64_t index = (uint64_t)(addr - xevf_env.gsm_base) / 8u;

	(void)v;
	if (++xevf_env.pte_writes > XEVF_PTE_BUDGET && xevf_env.runaway)
		xevf_env.runaway();
	if (xevf_env.op_writes < 8)
		xevf_env.op_log[xevf_env.op_writes] = index;
	if (!xevf_env.op_writes || index < xevf_env.op_min)
		xevf_env.op_min = index;
	if (!xevf_env.op_writes || index > xevf_env.op_max)
		xevf_env.op_max = index;
	xevf_env.op_writes++;
	if (index >= XEVF_GSM_ENTRIES) {
		if (!xevf_env.pte_outside_gsm)
			xevf_env.first_oob_index = index;
		xevf_env.pte_outside_gsm++;
	}
	if (index < xevf_env.vf_lo || index >= xevf_env.vf_hi) {
		if (!xevf_env.pte_outside_vf)
			xevf_env.first_bad_index = index;
		xevf_env.pte_outside_vf++;
	}
}

uint64_t xevf_gsm_readq(uintptr_t addr)
{
	(void)addr;
	xevf_env.pte_reads++;
	return 0;
}

int xevf_queue_work(void)
{
	xevf_env.queued_work++;
	return 1;
}
