/* kind: stub. DRM logging goes to the kernel-log sink of the test environment (quiet by default). */
#ifndef VGTFUZZ_DRM_PRINT_H
#define VGTFUZZ_DRM_PRINT_H
#include <linux/printk.h>

struct drm_printer {
	void (*printfn)(struct drm_printer *p, const char *fmt, ...);
	void *arg;
	const char *prefix;
};
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
