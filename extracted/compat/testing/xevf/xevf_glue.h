/*
 * kind: customised-for-testing. Included last in the lifted translation unit (after the
 * fragments, by the generated fragments/xevf_fragments.c): the fake GuC MMIO mailbox, the
 * device/tile/GT/GGTT objects, and xevf/kmodule.h's functions, which call the lifted functions
 * the way the driver does (probe: query then xe_ggtt_init_early; alloc: insert then write the
 * node's PTEs like xe_ggtt_map_bo; free: xe_ggtt_node_remove; fini: remove every node, then the
 * managed release actions). Era differences are the two #ifdef blocks.
 */
#include "kmodule.h"

static struct xe_device xevf_dev;
static struct xe_tile xevf_tile;
static struct xe_gt xevf_gt;
static struct xe_ggtt xevf_ggtt;
static struct xevf_kcfg xevf_cfg;
static struct xe_ggtt_node *xevf_nodes[XEVF_MAX_NODES];
static unsigned int xevf_nnodes;
static int xevf_reply_set; /* 0 first query, 1 re-query pair, 2 original pair again */
static int xevf_online;
struct workqueue_struct xevf_wq;
static char xevf_regs_anchor;

const char *xevf_k_era(void)
{
	return XEVF_ERA_NAME;
}
const char *xevf_k_version(void)
{
	return XEVF_KERNEL_VERSION;
}

/* The GuC answers VF2GUC_QUERY_SINGLE_KLV from the test case, shaped as it says. */
int xe_guc_mmio_send_recv(struct xe_guc *guc, const u32 *request, u32 len, u32 *response)
{
	u32 action = FIELD_GET(GUC_HXG_REQUEST_MSG_0_ACTION, request[0]);
	u32 key = len > 1 ? FIELD_GET(VF2GUC_QUERY_SINGLE_KLV_REQUEST_MSG_1_KEY, request[1]) : 0;
	int requery = xevf_reply_set != 0;
	u64 value;
	u8 shape;

	(void)guc;
	if (action != GUC_ACTION_VF2GUC_QUERY_SINGLE_KLV)
		return -ENXIO;
	if (key == GUC_KLV_VF_CFG_GGTT_START_KEY) {
		value = xevf_reply_set == 1 ? xevf_cfg.rq_start : xevf_cfg.start;
		shape = xevf_cfg.shape[requery ? 2 : 0];
	} else if (key == GUC_KLV_VF_CFG_GGTT_SIZE_KEY) {
		value = xevf_reply_set == 1 ? xevf_cfg.rq_size : xevf_cfg.size;
		shape = xevf_cfg.shape[requery ? 3 : 1];
	} else {
		return -ENXIO;
	}
	/* RETRY and BUSY: the mailbox polls again and gets the answer (xe_guc_mmio_send_recv's
	 * loop); FAILURE: the request fails. */
	if ((shape & 3) == 3)
		return -ENXIO;
	memset(response, 0, GUC_MAX_MMIO_MSG_LEN * sizeof(u32));
	response[0] = FIELD_PREP(GUC_HXG_MSG_0_ORIGIN, GUC_HXG_ORIGIN_GUC) |
		      FIELD_PREP(GUC_HXG_MSG_0_TYPE, GUC_HXG_TYPE_RESPONSE_SUCCESS) |
		      FIELD_PREP(VF2GUC_QUERY_SINGLE_KLV_RESPONSE_MSG_0_LENGTH, ((shape >> 3) & 7) ^ 2);
	if (shape & 4)
		response[0] |= VF2GUC_QUERY_SINGLE_KLV_RESPONSE_MSG_0_MBZ;
	response[1] = FIELD_PREP(VF2GUC_QUERY_SINGLE_KLV_RESPONSE_MSG_1_VALUE32, (u32)value);
	response[2] = FIELD_PREP(VF2GUC_QUERY_SINGLE_KLV_RESPONSE_MSG_2_VALUE64, (u32)(value >> 32));
	return FIELD_GET(GUC_HXG_RESPONSE_MSG_0_DATA0, response[0]);
}

static void xevf_set_slice(u64 start, u64 size)
{
	/* The PTE indices the VF was told it owns; a wrapping range owns up to the end of the
	 * address space only (the GSM model counts everything else as outside). */
	xevf_env.vf_lo = start >> XE_PTE_SHIFT;
	xevf_env.vf_hi = start + size < start ? (~0ULL >> XE_PTE_SHIFT) + 1 : (start + size) >> XE_PTE_SHIFT;
}

void xevf_k_setup(const struct xevf_kcfg *cfg, uintptr_t gsm_base)
{
	xevf_env_reset(gsm_base);
	memset(&xevf_dev, 0, sizeof(xevf_dev));
	memset(&xevf_tile, 0, sizeof(xevf_tile));
	memset(&xevf_gt, 0, sizeof(xevf_gt));
	memset(&xevf_ggtt, 0, sizeof(xevf_ggtt));
	memset(xevf_nodes, 0, sizeof(xevf_nodes));
	xevf_nnodes = 0;
	xevf_online = 0;
	xevf_reply_set = 0;
	xevf_cfg = *cfg;
	xevf_dev.sriov_vf = true;
	xevf_dev.wopcm = (u32)cfg->wopcm;
	xevf_dev.info.graphics_verx100 = 1270; /* MTL-class: GMD_ID, no WA ops chosen (XE_WA is 0) */
	xevf_tile.xe = &xevf_dev;
	xevf_tile.primary_gt = &xevf_gt;
	xevf_tile.mem.ggtt = &xevf_ggtt;
	/* gsm = regs + 8 MiB: regs sits 8 MiB below the GSM model's base (never dereferenced). */
	xevf_tile.mmio.regs = (void *)(gsm_base - SZ_8M);
	(void)xevf_regs_anchor;
	xevf_gt.tile = &xevf_tile;
	xevf_ggtt.tile = &xevf_tile;
	xevf_set_slice(cfg->start, cfg->size);
}

static void xevf_release(void)
{
	for (int pass = 0; pass < 2; pass++) /* devm at unbind, then drmm at release */
		for (int i = xevf_env.nactions - 1; i >= 0; i--) {
			if (xevf_env.actions[i].drmm != pass)
				continue;
			if (pass)
				((void (*)(struct drm_device *, void *))xevf_env.actions[i].fn)(
					&xevf_dev.drm, xevf_env.actions[i].arg);
			else
				((void (*)(void *))xevf_env.actions[i].fn)(xevf_env.actions[i].arg);
		}
	xevf_env.nactions = 0;
	xevf_online = 0;
}

int xevf_k_probe(void)
{
	int err;

	if (xevf_online)
		return 0;
	xevf_reply_set = 0;
	err = vf_get_ggtt_info(&xevf_gt);
	if (!err)
		err = xe_ggtt_init_early(&xevf_ggtt);
	if (err) {
		xevf_release(); /* a failed probe unwinds the managed actions */
		return err;
	}
	xevf_online = 1;
	return 0;
}

static u64 xevf_node_address(struct xe_ggtt_node *node)
{
#ifdef XEVF_ERA_BASE
	return xe_ggtt_node_addr(node);
#else
	return node->base.start;
#endif
}

int xevf_k_alloc(uint64_t size, uint64_t align, unsigned int mode, uint64_t *addr)
{
	static const enum drm_mm_insert_mode modes[4] = { DRM_MM_INSERT_HIGH, DRM_MM_INSERT_LOW, DRM_MM_INSERT_BEST,
							  DRM_MM_INSERT_EVICT };
	struct xe_ggtt_node *node;
	int err;

	if (!xevf_online || xevf_nnodes == XEVF_MAX_NODES)
		return -ENODEV;
#ifdef XEVF_ERA_BASE
	if (mode == 0) {
		node = xe_ggtt_insert_node(&xevf_ggtt, (u32)size, (u32)align);
		err = IS_ERR(node) ? (int)PTR_ERR(node) : 0;
	} else {
		node = ggtt_node_init(&xevf_ggtt);
		if (IS_ERR(node))
			return (int)PTR_ERR(node);
		err = xe_ggtt_insert_node_locked(node, (u32)size, (u32)align, modes[mode & 3]);
		if (err)
			ggtt_node_fini(node);
	}
#else
	node = xe_ggtt_node_init(&xevf_ggtt);
	if (IS_ERR(node))
		return (int)PTR_ERR(node);
	if (mode == 0)
		err = xe_ggtt_node_insert(node, (u32)size, (u32)align);
	else
		err = xe_ggtt_node_insert_locked(node, (u32)size, (u32)align, modes[mode & 3]);
	if (err)
		xe_ggtt_node_fini(node);
#endif
	if (err)
		return err;
	xevf_nodes[xevf_nnodes++] = node;
	*addr = xevf_node_address(node);
	/* Map it as xe_ggtt_map_bo does: one PTE per 4 KiB page at the node's address. */
	for (u64 off = 0; off < node->base.size; off += XE_PAGE_SIZE)
		xevf_ggtt.pt_ops->ggtt_set_pte(&xevf_ggtt, *addr + off, 0x1 | (off << 0));
	return 0;
}

int xevf_k_free(unsigned int which)
{
	struct xe_ggtt_node *node;

	if (!xevf_online || !xevf_nnodes)
		return -ENOENT;
	which %= xevf_nnodes;
	node = xevf_nodes[which];
	xevf_nodes[which] = xevf_nodes[--xevf_nnodes];
	xe_ggtt_node_remove(node, false);
	return 0;
}

int xevf_k_requery(int back)
{
	int err;

	if (!xevf_online)
		return -ENODEV;
	xevf_reply_set = back ? 2 : 1;
	err = vf_get_ggtt_info(&xevf_gt);
	if (!err) {
		if (back)
			xevf_set_slice(xevf_cfg.start, xevf_cfg.size);
		else
			xevf_set_slice(xevf_cfg.rq_start, xevf_cfg.rq_size);
	}
	return err;
}

void xevf_k_fini(void)
{
	while (xevf_nnodes)
		xe_ggtt_node_remove(xevf_nodes[--xevf_nnodes], false);
	xevf_release();
}

void xevf_k_view(struct xevf_kview *v)
{
	struct drm_mm_node *hole;
	u64 hs, he;

	memset(v, 0, sizeof(*v));
	v->online = xevf_online;
#ifdef XEVF_ERA_BASE
	v->ggtt_start = xevf_ggtt.start;
	v->cfg_base = xevf_tile.sriov.vf.self_config.ggtt_base;
	v->cfg_size = xevf_tile.sriov.vf.self_config.ggtt_size;
#else
	v->cfg_base = xevf_gt.sriov.vf.self_config.ggtt_base;
	v->cfg_size = xevf_gt.sriov.vf.self_config.ggtt_size;
	for (int i = 0; i < 2; i++) {
		struct xe_ggtt_node *b = xevf_tile.sriov.vf.ggtt_balloon[i];

		if (!b)
			v->balloon_state[i] = XEVF_PTR_NULL;
		else if (IS_ERR(b))
			v->balloon_state[i] = XEVF_PTR_ERR;
		else if (!xevf_alloc_live(b))
			v->balloon_state[i] = XEVF_PTR_DANGLING;
		else {
			v->balloon_state[i] = XEVF_PTR_LIVE;
			v->balloon_lo[i] = b->base.start;
			v->balloon_hi[i] = b->base.start + b->base.size;
		}
	}
#endif
	if (!xevf_online)
		return;
	v->mm_start = xevf_ggtt.mm.head_node.start + xevf_ggtt.mm.head_node.size;
	v->mm_size = -xevf_ggtt.mm.head_node.size;
	drm_mm_for_each_hole(hole, &xevf_ggtt.mm, hs, he) {
		if (v->nholes == XEVF_MAX_HOLES)
			break;
		v->hole_lo[v->nholes] = v->ggtt_start + hs;
		v->hole_hi[v->nholes] = v->ggtt_start + he;
		v->nholes++;
	}
	for (unsigned int i = 0; i < xevf_nnodes; i++) {
		v->node_addr[v->nnodes] = xevf_node_address(xevf_nodes[i]);
		v->node_size[v->nnodes] = xevf_nodes[i]->base.size;
		v->nnodes++;
	}
}
