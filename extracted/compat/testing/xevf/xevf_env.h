/*
 * kind: customised-for-testing. The test environment the xevf compat prelude reports into
 * (implemented in xevf/env.c, plain C): the GSM model, debug-assert events, tracked allocations,
 * managed release actions. Kernel WARN/BUG/log are vgtfuzz_kenv.h's, shared with the balloon target.
 */
#ifndef XEVF_ENV_H
#define XEVF_ENV_H
#include <stdint.h>
#include "vgtfuzz_kenv.h"

#define XEVF_GSM_BYTES (8u << 20) /* the VF's GSM mapping: 8 MiB of 8-byte PTEs */
#define XEVF_GSM_ENTRIES (XEVF_GSM_BYTES / 8u)
#define XEVF_MAX_ACTIONS 8
#define XEVF_MAX_ALLOCS 512
/* More PTE writes in one test case than its ops can legitimately make (64 ops x 4096 pages x
 * map or clear: 2^18): the kernel is looping through the address space; the runner stops it. */
#define XEVF_PTE_BUDGET (1u << 19)

struct xevf_env {
	/* GSM model: PTE index = (written address - gsm_base) / 8. */
	uintptr_t gsm_base;
	uint64_t vf_lo, vf_hi; /* indices the VF owns: [start >> 12, (start + size) >> 12) */
	uint64_t pte_writes, pte_outside_vf, pte_outside_gsm;
	uint64_t first_bad_index; /* the first index outside the VF's slice */
	uint64_t first_oob_index; /* the first index past the GSM */
	uint64_t pte_reads;
	/* this op's writes (the runner resets them per op): count, lowest and highest index, the
	 * first few indices in order */
	uint64_t op_writes, op_min, op_max, op_log[8];
	void (*runaway)(void); /* called (must not return) when the budget is spent */
	/* debug asserts (CONFIG_DRM_XE_DEBUG) that would have fired */
	unsigned int asserts;
	const char *last_assert, *last_assert_file;
	int last_assert_line;
	/* managed release actions */
	struct {
		void (*fn)(void);
		int drmm;
		void *arg;
	} actions[XEVF_MAX_ACTIONS];
	int nactions;
	unsigned int queued_work;
	/* tracked allocations */
	void *live[XEVF_MAX_ALLOCS];
	int nlive;
	unsigned int untracked; /* more live allocations than the table holds */
};
extern struct xevf_env xevf_env;

void xevf_env_reset(uintptr_t gsm_base);
void xevf_env_op_begin(void);
void *xevf_kzalloc(unsigned long n);
void xevf_kfree(const void *p);
int xevf_alloc_live(const void *p);
void xevf_debug_assert(int ok, const char *cond, const char *file, int line);
int xevf_add_action(void (*fn)(void), int drmm, void *arg);
void xevf_gsm_writeq(uint64_t v, uintptr_t addr);
uint64_t xevf_gsm_readq(uintptr_t addr);
int xevf_queue_work(void);
#endif
