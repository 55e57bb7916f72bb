/*
 * kind: customised-for-testing. The test environment the compat headers report into.
 *
 * Kernel WARNs are counted (and the last one remembered) so the harness can compare them;
 * BUG()s call a hook that must not return (default: print and abort). The kernel log is
 * discarded unless VGTFUZZ_KLOG is set in the environment.
 */
#ifndef VGTFUZZ_KENV_H
#define VGTFUZZ_KENV_H

struct vgtfuzz_kevents {
	unsigned int warns;
	unsigned int evictions;
	const char *last_warn_file;
	int last_warn_line;
	const char *last_warn_cond;
};
extern struct vgtfuzz_kevents vgtfuzz_kevents;

/* Set by a harness that wants its own crash signature; must not return. */
typedef void (*vgtfuzz_bug_hook_fn)(const char *file, int line, const char *cond);
extern vgtfuzz_bug_hook_fn vgtfuzz_bug_hook;

/* A lifted file's or fragment's __FILE__ and __LINE__ turned into the kernel tree's file and line. */
void vgtfuzz_kernel_location(const char **file, int *line);
int vgtfuzz_kernel_warn(const char *file, int line, const char *cond);
__attribute__((__noreturn__)) void vgtfuzz_kernel_bug(const char *file, int line, const char *cond);
__attribute__((__format__(printf, 2, 3))) void vgtfuzz_klog(int level, const char *fmt, ...);
#endif
