/*
 * The production model of an Xe SR-IOV VF's GGTT, written from the ABI's rules and not from the
 * kernel's code (docs/xevf.md): the GuC's reply must be a well-formed single-KLV response
 * (success, MBZ clear, exactly the value's dwords); the VF's range [start, start + size) must be
 * non-empty, 4 KiB aligned, inside [WOPCM, GUC_GGTT_TOP) with no wrap; a re-query may move the
 * start (migration) but never change the size, and the new range obeys the same rules; after
 * that every node sits at its old offset from the new start. Allocation succeeds exactly when an
 * aligned placement fits in the free part of the VF's range; where the node goes is the driver's
 * choice, so the model checks the kernel's address and adopts it.
 */
#include <errno.h>
#include <string.h>

#include "module.h"

#define XEVF_PAGE 4096u
#define XEVF_GUC_GGTT_TOP 0xFEE00000ull /* the GuC's top of GGTT (GuC ABI) */
#ifndef ENODATA
#define ENODATA 61
#endif
#ifndef EREMCHG
#define EREMCHG 78
#endif
#ifndef EPROTO
#define EPROTO 71
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif

static struct {
	struct xevf_kcfg cfg;
	int online;
	uint64_t start, size;
	unsigned int nnodes;
	uint64_t addr[XEVF_MAX_NODES], len[XEVF_MAX_NODES];
} M;

enum xevf_cfg_verdict xevf_model_judge(uint64_t start, uint64_t size, uint64_t wopcm)
{
	if (!size)
		return XEVF_CFG_EMPTY;
	if (start % XEVF_PAGE || size % XEVF_PAGE)
		return XEVF_CFG_UNALIGNED;
	if (start < wopcm)
		return XEVF_CFG_BELOW_WOPCM;
	if (start + size < start)
		return XEVF_CFG_WRAPS;
	if (start > XEVF_GUC_GGTT_TOP || size > XEVF_GUC_GGTT_TOP - start)
		return XEVF_CFG_ABOVE_TOP;
	return XEVF_CFG_OK;
}

const char *xevf_cfg_verdict_name(enum xevf_cfg_verdict v)
{
	static const char *const names[] = { "ok", "empty", "unaligned", "below-wopcm", "wraps", "above-top" };

	return names[v];
}

/* One single-KLV query's outcome from its reply shape (format.def, REPLY SHAPE). */
static int query(uint8_t shape)
{
	unsigned int length = ((shape >> 3) & 7u) ^ 2u;

	if ((shape & 3) == 3)
		return -ENXIO;
	if (shape & 4)
		return -EPROTO;
	if (length > 2)
		return -EOVERFLOW;
	if (length < 2)
		return -ENODATA;
	return 0;
}

static void setup(const struct xevf_kcfg *cfg)
{
	memset(&M, 0, sizeof(M));
	M.cfg = *cfg;
}

static int verdict_errno(enum xevf_cfg_verdict v)
{
	return v == XEVF_CFG_OK ? 0 : v == XEVF_CFG_EMPTY ? -ENODATA : -ERANGE;
}

static int probe(void)
{
	int err;

	if (M.online)
		return 0;
	if ((err = query(M.cfg.shape[0])) || (err = query(M.cfg.shape[1])))
		return err;
	err = verdict_errno(xevf_model_judge(M.cfg.start, M.cfg.size, M.cfg.wopcm));
	if (err)
		return err;
	M.online = 1;
	M.start = M.cfg.start;
	M.size = M.cfg.size;
	return 0;
}

static int fits(uint64_t lo, uint64_t hi, uint64_t size, uint64_t align)
{
	uint64_t a = lo;

	if (align && a % align) {
		a += align - a % align;
		if (a < lo)
			return 0;
	}
	return a <= hi && hi - a >= size;
}

static int alloc(uint64_t size, uint64_t align, unsigned int mode, uint64_t *addr)
{
	uint64_t lo = M.start, end = M.start + M.size;

	(void)mode; /* every drm_mm mode without ONCE finds any hole that fits */
	(void)addr;
	if (!M.online || M.nnodes == XEVF_MAX_NODES)
		return -ENODEV;
	/* Walk the free gaps between the adopted nodes in address order. */
	for (;;) {
		uint64_t next = end, next_end = end;

		for (unsigned int i = 0; i < M.nnodes; i++)
			if (M.addr[i] >= lo && M.addr[i] < next) {
				next = M.addr[i];
				next_end = M.addr[i] + M.len[i];
			}
		if (fits(lo, next, size, align))
			return 0;
		if (next == end)
			return -ENOSPC;
		lo = next_end;
	}
}

int xevf_model_adopt(uint64_t addr, uint64_t size)
{
	if (M.nnodes == XEVF_MAX_NODES)
		return -ENOSPC;
	M.addr[M.nnodes] = addr;
	M.len[M.nnodes] = size;
	M.nnodes++;
	return 0;
}

static int model_free(unsigned int which)
{
	if (!M.online || !M.nnodes)
		return -ENOENT;
	/* The runner frees the same node on both sides: it passes the model's index. */
	which %= M.nnodes;
	M.addr[which] = M.addr[M.nnodes - 1];
	M.len[which] = M.len[M.nnodes - 1];
	M.nnodes--;
	return 0;
}

static int requery(int back)
{
	uint64_t start = back ? M.cfg.start : M.cfg.rq_start, size = back ? M.cfg.size : M.cfg.rq_size;
	int err;

	if (!M.online)
		return -ENODEV;
	if ((err = query(M.cfg.shape[2])) || (err = query(M.cfg.shape[3])))
		return err;
	if (!size)
		return -ENODATA;
	if (size != M.size)
		return -EREMCHG;
	err = verdict_errno(xevf_model_judge(start, size, M.cfg.wopcm));
	if (err)
		return err;
	for (unsigned int i = 0; i < M.nnodes; i++)
		M.addr[i] = M.addr[i] - M.start + start;
	M.start = start;
	return 0;
}

static void fini(void)
{
	M.online = 0;
	M.nnodes = 0;
}

static void view(struct xevf_kview *v)
{
	memset(v, 0, sizeof(*v));
	v->online = M.online;
	v->cfg_base = M.start;
	v->cfg_size = M.size;
	if (M.online) {
		v->nholes = 1;
		v->hole_lo[0] = M.start;
		v->hole_hi[0] = M.start + M.size;
	}
	v->nnodes = (int)M.nnodes;
	for (unsigned int i = 0; i < M.nnodes; i++) {
		v->node_addr[i] = M.addr[i];
		v->node_size[i] = M.len[i];
	}
}

const struct xevf_module xevf_module_production = {
	.name = "production",
	.setup = setup,
	.probe = probe,
	.alloc = alloc,
	.free = model_free,
	.requery = requery,
	.fini = fini,
	.view = view,
};
