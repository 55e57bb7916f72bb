/* kind: stub. */
#ifndef VGTFUZZ_LINUX_MODULE_H
#define VGTFUZZ_LINUX_MODULE_H
#include <linux/export.h>
#include <linux/moduleparam.h>
/* No module loading: entry points still compile (and count as used) but nothing calls them. */
#define module_init(fn) static int (*const vgtfuzz_module_init_fn)(void) __attribute__((__unused__)) = (fn)
#define module_exit(fn) static void (*const vgtfuzz_module_exit_fn)(void) __attribute__((__unused__)) = (fn)
#endif
