/* The lifted kernel behind the xevf vtable (kmodule.h's functions, in the lifted unit). */
#include "module.h"

/* The GSM model's base address: never dereferenced (PTE writes are intercepted). */
static char gsm_anchor[16];

static void setup(const struct xevf_kcfg *cfg)
{
	xevf_k_setup(cfg, (uintptr_t)gsm_anchor);
}

static void view(struct xevf_kview *v)
{
	xevf_k_view(v);
}

const struct xevf_module xevf_module_kernel = {
	.name = "kernel",
	.setup = setup,
	.probe = xevf_k_probe,
	.alloc = xevf_k_alloc,
	.free = xevf_k_free,
	.requery = xevf_k_requery,
	.fini = xevf_k_fini,
	.view = view,
};
