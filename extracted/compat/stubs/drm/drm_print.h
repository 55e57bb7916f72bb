/* kind: stub. DRM logging goes to the kernel-log sink of the test environment (quiet by default). */
#ifndef VGTFUZZ_DRM_PRINT_H
#define VGTFUZZ_DRM_PRINT_H
#include <linux/types.h>
#include <linux/printk.h>

struct drm_printer {
	void (*printfn)(struct drm_printer *p, const char *fmt, ...);
	void *arg;
	const char *prefix;
};
struct drm_device;
enum drm_debug_category {
	DRM_UT_CORE,
	DRM_UT_DRIVER,
	DRM_UT_KMS,
	DRM_UT_PRIME,
	DRM_UT_ATOMIC,
	DRM_UT_VBL,
	DRM_UT_STATE,
	DRM_UT_LEASE,
	DRM_UT_DP,
	DRM_UT_DRMRES,
};
/* A printer for drm_printf(), which sends everything to the log sink anyway. */
static inline struct drm_printer drm_dbg_printer(struct drm_device *drm, enum drm_debug_category category,
						 const char *prefix)
{
	struct drm_printer p = { .printfn = NULL, .arg = NULL, .prefix = prefix };

	(void)drm;
	(void)category;
	return p;
}
/* Its name and signature before 6.5. */
static inline struct drm_printer drm_debug_printer(const char *prefix)
{
	return drm_dbg_printer(NULL, DRM_UT_CORE, prefix);
}
#define drm_printf(p, ...) ((void)(p), vgtfuzz_klog(7, __VA_ARGS__))
#define drm_err(drm, ...) ((void)(drm), vgtfuzz_klog(3, __VA_ARGS__))
#define drm_warn(drm, ...) ((void)(drm), vgtfuzz_klog(4, __VA_ARGS__))
#define drm_info(drm, ...) ((void)(drm), vgtfuzz_klog(6, __VA_ARGS__))
#define drm_notice(drm, ...) ((void)(drm), vgtfuzz_klog(5, __VA_ARGS__))
#define drm_dbg(drm, ...) ((void)(drm), vgtfuzz_klog(7, __VA_ARGS__))
#define DRM_ERROR(...) vgtfuzz_klog(3, __VA_ARGS__)
#define DRM_DEBUG(...) vgtfuzz_klog(7, __VA_ARGS__)
#define DRM_INFO(...) vgtfuzz_klog(6, __VA_ARGS__)
#endif
