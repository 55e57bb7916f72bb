/* kind: customised-for-testing. printk and pr_* go to the test environment's log sink. */
#ifndef VGTFUZZ_LINUX_PRINTK_H
#define VGTFUZZ_LINUX_PRINTK_H
#include "vgtfuzz_kenv.h"
#define KERN_EMERG ""
#define KERN_ERR ""
#define KERN_WARNING ""
#define KERN_NOTICE ""
#define KERN_INFO ""
#define KERN_DEBUG ""
#define KERN_CONT ""
#define printk(...) vgtfuzz_klog(6, __VA_ARGS__)
#define pr_err(...) vgtfuzz_klog(3, __VA_ARGS__)
#define pr_warn(...) vgtfuzz_klog(4, __VA_ARGS__)
#define pr_notice(...) vgtfuzz_klog(5, __VA_ARGS__)
#define pr_info(...) vgtfuzz_klog(6, __VA_ARGS__)
#define pr_debug(...) vgtfuzz_klog(7, __VA_ARGS__)
#define pr_cont(...) vgtfuzz_klog(6, __VA_ARGS__)
#endif
