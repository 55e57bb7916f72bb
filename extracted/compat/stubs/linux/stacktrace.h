/* kind: stub. CONFIG_DRM_DEBUG_MM records allocation stacks; we record none. */
#ifndef VGTFUZZ_LINUX_STACKTRACE_H
#define VGTFUZZ_LINUX_STACKTRACE_H
static inline unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skip)
{
	(void)store; (void)size; (void)skip;
	return 0;
}
#endif
