/*
 * kind: customised-for-testing. The world the lifted Xe VF GGTT functions run in (xevf target),
 * included before the fragments (-include). Our own declarations of the xe structures, holding
 * only the members the lifted functions touch; the GuC is a fake MMIO mailbox answering from the
 * test case (xevf_glue.h); PTE writes (writeq into the GSM) go to a bounds-checked model that
 * records every index (xevf/env.c); kzalloc/kfree are tracked so a dangling node pointer is seen.
 * xe_gt_assert/xe_tile_assert are CONFIG_DRM_XE_DEBUG-only in the kernel: here they are recorded
 * (an event the oracle reads), never fatal, exactly as a production build ignores them.
 */
#ifndef XEVF_KERNEL_H
#define XEVF_KERNEL_H
#include <stdint.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/bitfield.h>
#include <linux/sizes.h>
#include <drm/drm_mm.h>
#include "xevf_env.h"
#include "xevf_era.h"
#include "xevf_macros.h"
#include "abi/guc_actions_sriov_abi.h"
#include "abi/guc_communication_mmio_abi.h"
#include "abi/guc_klvs_abi.h"
#include "abi/guc_messages_abi.h"
#include "xe_guc_hxg_helpers.h"

#ifndef ENXIO
#define ENXIO 6
#endif
#ifndef EREMCHG
#define EREMCHG 78
#endif
#ifndef ENODATA
#define ENODATA 61
#endif
#ifndef EPROTO
#define EPROTO 71
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75
#endif
#ifndef ERANGE
#define ERANGE 34
#endif

/* Tracked allocations (dangling-pointer oracle). */
#undef kzalloc
#define kzalloc(n, gfp) xevf_kzalloc(n)
#undef kzalloc_obj
#define kzalloc_obj(T, ...) ((__typeof__(T) *)xevf_kzalloc(sizeof(T)))
#define kfree(p) xevf_kfree(p)
#define GFP_NOFS 0u

struct drm_device {
	void *dev;
};
struct pci_dev {
	int unused;
};
#define to_pci_dev(d) ((struct pci_dev *)(d))
struct work_struct {
	int unused;
};
struct workqueue_struct {
	int unused;
};
#define INIT_WORK(w, f) ((void)(w))
#define WQ_MEM_RECLAIM 0
#define WQ_PERCPU 0
#define alloc_workqueue(name, flags, max) (&xevf_wq)
#define destroy_workqueue(wq) ((void)(wq))
#define drain_workqueue(wq) ((void)(wq))
#define queue_work(wq, w) xevf_queue_work()
extern struct workqueue_struct xevf_wq;
#define mutex_destroy(m) ((void)(m))
#define guard(type) xevf_guard_##type
#define xevf_guard_mutex(m) ((void)(m))
#define scoped_guard(type, m) for (int xevf_once_ = ((void)(m), 1); xevf_once_; xevf_once_ = 0)

struct xe_bo {
	int unused;
};
enum xe_cache_level { XE_CACHE_NONE, XE_CACHE_WT, XE_CACHE_WB, XE_CACHE_NONE_COMPRESSION, __XE_CACHE_LEVEL_COUNT };

struct xe_device {
	struct drm_device drm;
	struct {
		u32 graphics_verx100;
		bool is_dgfx;
		u32 vram_flags;
	} info;
	struct {
		u16 idx[__XE_CACHE_LEVEL_COUNT];
	} pat;
	bool sriov_vf;
	u32 wopcm;
};
#define XE_VRAM_FLAGS_NEED64K BIT(0)

struct xe_gt_sriov_vf_selfconfig {
	u64 ggtt_base;
	u64 ggtt_size;
	u64 lmem_size;
	u16 num_ctxs;
	u16 num_dbs;
};
struct xe_tile_sriov_vf_selfconfig {
	u64 ggtt_base;
	u64 ggtt_size;
	u64 lmem_size;
};
struct xe_guc {
	int unused;
};
struct xe_uc {
	struct xe_guc guc;
};
struct xe_tile;
struct xe_gt {
	struct xe_tile *tile;
	struct xe_uc uc;
	bool media;
	struct {
		struct {
			struct xe_gt_sriov_vf_selfconfig self_config;
		} vf;
	} sriov;
};
struct xe_ggtt;
struct xe_ggtt_node;
struct xe_tile {
	struct xe_device *xe;
	struct xe_gt *primary_gt, *media_gt;
	struct {
		struct xe_ggtt *ggtt;
	} mem;
	struct {
		void *regs;
	} mmio;
	struct {
		struct {
			struct xe_ggtt_node *ggtt_balloon[2];
			struct xe_tile_sriov_vf_selfconfig self_config;
		} vf;
	} sriov;
};
struct xe_ggtt_pt_ops {
	u64 (*pte_encode_bo)(struct xe_bo *bo, u64 bo_offset, u16 pat_index);
	u64 (*pte_encode_flags)(struct xe_bo *bo, u16 pat_index);
	void (*ggtt_set_pte)(struct xe_ggtt *ggtt, u64 addr, u64 pte);
	u64 (*ggtt_get_pte)(struct xe_ggtt *ggtt, u64 addr);
};
#define XE_GGTT_FLAGS_64K BIT(0)
#define XE_GGTT_FLAGS_ONLINE BIT(1)
struct xe_ggtt {
	struct xe_tile *tile;
	u64 start;
	u64 size;
	unsigned int flags;
	struct xe_bo *scratch;
	struct mutex lock;
	u64 __iomem *gsm;
	const struct xe_ggtt_pt_ops *pt_ops;
	struct drm_mm mm;
	unsigned int access_count;
	struct workqueue_struct *wq;
};
struct xe_ggtt_node {
	struct xe_ggtt *ggtt;
	struct drm_mm_node base;
	struct work_struct delayed_removal_work;
	bool invalidate_on_remove;
};

#define gt_to_tile(gt) ((gt)->tile)
#define gt_to_xe(gt) ((gt)->tile->xe)
#define tile_to_xe(tile) ((tile)->xe)
#define guc_to_gt(g) container_of(g, struct xe_gt, uc.guc)
#define xe_tile_get_gt(tile, id) ((tile)->primary_gt)
#define xe_gt_is_media_type(gt) ((gt)->media)
#define IS_SRIOV_VF(xe) ((xe)->sriov_vf)
#define IS_DGFX(xe) ((xe)->info.is_dgfx)
#define GRAPHICS_VERx100(xe) ((xe)->info.graphics_verx100)
#define XE_WA(gt, id) 0
#define XE_GT_WA(gt, id) 0
#define xe_wopcm_size(xe) ((xe)->wopcm)
#define xe_cache_pat_idx(xe, c) ((xe)->pat.idx[c])
static inline u64 xe_bo_addr(struct xe_bo *bo, u64 off, u64 sz)
{
	(void)bo;
	(void)sz;
	return off;
}

/* Debug-only asserts: recorded, not fatal (see the top). */
#define xe_gt_assert(gt, cond) xevf_debug_assert(!!(cond), #cond, __FILE__, __LINE__)
#define xe_tile_assert(tile, cond) xevf_debug_assert(!!(cond), #cond, __FILE__, __LINE__)
#define xe_gt_WARN(gt, cond, ...) WARN(cond, __VA_ARGS__)
#define xe_gt_WARN_ON(gt, cond) WARN_ON(cond)
#define xe_gt_sriov_err(gt, ...) vgtfuzz_klog(3, __VA_ARGS__)
#define xe_gt_sriov_dbg(gt, ...) vgtfuzz_klog(7, __VA_ARGS__)
#define xe_gt_sriov_dbg_verbose(gt, ...) vgtfuzz_klog(7, __VA_ARGS__)
#define xe_tile_err(tile, ...) vgtfuzz_klog(3, __VA_ARGS__)
#undef drm_err
#define drm_err(drm, ...) vgtfuzz_klog(3, __VA_ARGS__)

/* Managed release actions, run by the fini op in reverse (drmm and devm alike). */
#define drmm_add_action_or_reset(drm, fn, arg) xevf_add_action((void (*)(void))(fn), 1, (arg))
#define devm_add_action_or_reset(dev, fn, arg) xevf_add_action((void (*)(void))(fn), 0, (arg))
#define xe_pm_runtime_get_if_active(xe) 1
#define xe_pm_runtime_put(xe) ((void)(xe))

/* The GSM: PTE writes go to the model (never dereferenced). */
#define writeq(v, addr) xevf_gsm_writeq((v), (uintptr_t)(addr))
#define readq(addr) xevf_gsm_readq((uintptr_t)(addr))

/* The GuC MMIO mailbox, answering from the test case (xevf_glue.h). */
int xe_guc_mmio_send_recv(struct xe_guc *guc, const u32 *request, u32 len, u32 *response_buf);

/* xe_ggtt.c's statics that the lifted functions call but are not lifted: no-ops here. */
static inline unsigned int probe_gsm_size(struct pci_dev *pdev)
{
	(void)pdev;
	return SZ_8M;
}
static inline void primelockdep(struct xe_ggtt *ggtt)
{
	(void)ggtt;
}
static inline void xe_ggtt_invalidate(struct xe_ggtt *ggtt)
{
	(void)ggtt;
}
static inline void xe_ggtt_dump_node(struct xe_ggtt *ggtt, const struct drm_mm_node *node, const char *desc)
{
	(void)ggtt;
	(void)node;
	(void)desc;
}

/* Prototypes of the lifted functions (the xe headers' declarations, in our words). */
static void xe_ggtt_set_pte(struct xe_ggtt *ggtt, u64 addr, u64 pte);
static void xe_ggtt_clear(struct xe_ggtt *ggtt, u64 start, u64 size);
static void ggtt_fini_early(struct drm_device *drm, void *arg);
static void dev_fini_ggtt(void *arg);
static void ggtt_node_remove(struct xe_ggtt_node *node);
void xe_ggtt_node_remove(struct xe_ggtt_node *node, bool invalidate);
int xe_ggtt_init_early(struct xe_ggtt *ggtt);
static int guc_action_query_single_klv(struct xe_guc *guc, u32 key, u32 *value, u32 value_len);
static int guc_action_query_single_klv64(struct xe_guc *guc, u32 key, u64 *value64);
static int vf_get_ggtt_info(struct xe_gt *gt);
#ifdef XEVF_ERA_BALLOON
struct xe_ggtt_node *xe_ggtt_node_init(struct xe_ggtt *ggtt);
void xe_ggtt_node_fini(struct xe_ggtt_node *node);
int xe_ggtt_node_insert_balloon(struct xe_ggtt_node *node, u64 start, u64 end);
void xe_ggtt_node_remove_balloon(struct xe_ggtt_node *node);
int xe_ggtt_node_insert_locked(struct xe_ggtt_node *node, u32 size, u32 align, u32 mm_flags);
int xe_ggtt_node_insert(struct xe_ggtt_node *node, u32 size, u32 align);
bool xe_ggtt_node_allocated(const struct xe_ggtt_node *node);
int xe_gt_sriov_vf_prepare_ggtt(struct xe_gt *gt);
static struct xe_ggtt_node *vf_balloon_ggtt_node(struct xe_ggtt *ggtt, u64 start, u64 end);
static int vf_balloon_ggtt(struct xe_gt *gt);
static void deballoon_ggtt(struct drm_device *drm, void *arg);
#endif
#ifdef XEVF_ERA_BASE
u64 xe_tile_sriov_vf_ggtt(struct xe_tile *tile);
void xe_tile_sriov_vf_ggtt_store(struct xe_tile *tile, u64 ggtt_size);
u64 xe_tile_sriov_vf_ggtt_base(struct xe_tile *tile);
void xe_tile_sriov_vf_ggtt_base_store(struct xe_tile *tile, u64 ggtt_base);
u64 xe_ggtt_start(struct xe_ggtt *ggtt);
u64 xe_ggtt_size(struct xe_ggtt *ggtt);
static void __xe_ggtt_init_early(struct xe_ggtt *ggtt, u64 start, u64 size);
static void ggtt_node_fini(struct xe_ggtt_node *node);
void xe_ggtt_shift_nodes(struct xe_ggtt *ggtt, u64 new_start);
static int xe_ggtt_insert_node_locked(struct xe_ggtt_node *node, u32 size, u32 align, u32 mm_flags);
static struct xe_ggtt_node *ggtt_node_init(struct xe_ggtt *ggtt);
struct xe_ggtt_node *xe_ggtt_insert_node(struct xe_ggtt *ggtt, u32 size, u32 align);
u64 xe_ggtt_node_addr(const struct xe_ggtt_node *node);
u64 xe_ggtt_node_size(const struct xe_ggtt_node *node);
#endif

/* The platform's page-table ops (xe_ggtt.c's tables, in our words: only the PTE writer is used). */
static const struct xe_ggtt_pt_ops xelp_pt_ops = { .ggtt_set_pte = xe_ggtt_set_pte };
static const struct xe_ggtt_pt_ops xelpg_pt_ops = { .ggtt_set_pte = xe_ggtt_set_pte };
static const struct xe_ggtt_pt_ops xelpg_pt_wa_ops = { .ggtt_set_pte = xe_ggtt_set_pte };
#endif
