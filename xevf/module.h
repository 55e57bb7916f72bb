/*
 * One implementation of the Xe VF's GGTT behind a small vtable (as harness/module.h is for the
 * balloon target): the lifted kernel (module_kernel.c) and the production model of the ABI's
 * rules (module_production.c). run.c drives both through a scenario and compares.
 */
#ifndef XEVF_MODULE_H
#define XEVF_MODULE_H
#include <stdint.h>

#include "kmodule.h"

struct xevf_module {
	const char *name;
	void (*setup)(const struct xevf_kcfg *cfg);
	int (*probe)(void);
	int (*alloc)(uint64_t size, uint64_t align, unsigned int mode, uint64_t *addr);
	int (*free)(unsigned int which);
	int (*requery)(int back);
	void (*fini)(void);
	void (*view)(struct xevf_kview *v);
};

extern const struct xevf_module xevf_module_kernel;
extern const struct xevf_module xevf_module_production;

/* The production model's verdict on a configuration (what the ABI allows), for the oracles. */
enum xevf_cfg_verdict {
	XEVF_CFG_OK,
	XEVF_CFG_EMPTY, /* size 0 */
	XEVF_CFG_UNALIGNED, /* start or size not 4 KiB aligned */
	XEVF_CFG_BELOW_WOPCM, /* start below the WOPCM */
	XEVF_CFG_WRAPS, /* start + size wraps in u64 */
	XEVF_CFG_ABOVE_TOP, /* start + size above GUC_GGTT_TOP */
};
enum xevf_cfg_verdict xevf_model_judge(uint64_t start, uint64_t size, uint64_t wopcm);
const char *xevf_cfg_verdict_name(enum xevf_cfg_verdict v);
/* Nodes the model has adopted (placement is the kernel's choice: the model checks, then keeps it). */
int xevf_model_adopt(uint64_t addr, uint64_t size);
#endif
