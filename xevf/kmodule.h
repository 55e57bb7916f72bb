/* The lifted kernel's side of the xevf target, as the harness sees it (plain C): implemented by
 * extracted/compat/testing/xevf/xevf_glue.h inside the lifted translation unit. */
#ifndef XEVF_KMODULE_H
#define XEVF_KMODULE_H
#include <stdint.h>

struct xevf_kcfg {
	uint64_t start, size, rq_start, rq_size, wopcm;
	uint8_t shape[4]; /* start, size, re-query start, re-query size */
};

#define XEVF_MAX_HOLES 8
#define XEVF_MAX_NODES 128
enum xevf_ptr_state { XEVF_PTR_NULL, XEVF_PTR_LIVE, XEVF_PTR_ERR, XEVF_PTR_DANGLING };

struct xevf_kview {
	int online; /* the GGTT is initialised (probe succeeded, no fini yet) */
	uint64_t ggtt_start; /* 7.x: ggtt->start (node address base); 6.12: 0 */
	uint64_t mm_start, mm_size; /* the drm_mm's range (offsets) */
	uint64_t cfg_base, cfg_size; /* the stored KLV values */
	int nholes; /* free ranges, as GGTT addresses [lo, hi) */
	uint64_t hole_lo[XEVF_MAX_HOLES], hole_hi[XEVF_MAX_HOLES];
	int balloon_state[2]; /* 6.12 only */
	uint64_t balloon_lo[2], balloon_hi[2];
	int nnodes; /* the driver's live nodes */
	uint64_t node_addr[XEVF_MAX_NODES], node_size[XEVF_MAX_NODES];
};

const char *xevf_k_era(void);
const char *xevf_k_version(void);
void xevf_k_setup(const struct xevf_kcfg *cfg, uintptr_t gsm_base);
int xevf_k_probe(void);
int xevf_k_alloc(uint64_t size, uint64_t align, unsigned int mode, uint64_t *addr);
int xevf_k_free(unsigned int which);
int xevf_k_requery(int back);
void xevf_k_fini(void);
void xevf_k_view(struct xevf_kview *v);
#endif
