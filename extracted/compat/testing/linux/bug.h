/*
 * kind: customised-for-testing. WARN is recorded as an event the caller can read; BUG stops the
 * run through vgtfuzz_kernel_bug(). The _ONCE variants fire every time: a fuzzer runs many inputs
 * in one process, and "once per boot" would make an input's events depend on the ones before it.
 */
#ifndef VGTFUZZ_LINUX_BUG_H
#define VGTFUZZ_LINUX_BUG_H
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include "vgtfuzz_kenv.h"
#include <linux/kernel.h>

#define BUG() vgtfuzz_kernel_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond)                                                                 \
	do {                                                                         \
		if (unlikely(cond))                                                  \
			vgtfuzz_kernel_bug(__FILE__, __LINE__, "BUG_ON(" #cond ")"); \
	} while (0)
#define WARN_ON(cond)                                                   \
	({                                                              \
		int _w = !!(cond);                                      \
		if (unlikely(_w))                                       \
			vgtfuzz_kernel_warn(__FILE__, __LINE__, #cond); \
		unlikely(_w);                                           \
	})
#define WARN(cond, ...)                                                 \
	({                                                              \
		int _w = !!(cond);                                      \
		if (unlikely(_w)) {                                     \
			vgtfuzz_kernel_warn(__FILE__, __LINE__, #cond); \
			vgtfuzz_klog(4, __VA_ARGS__);                   \
		}                                                       \
		unlikely(_w);                                           \
	})
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN_ONCE(cond, ...) WARN(cond, __VA_ARGS__)
#endif
