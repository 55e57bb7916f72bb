/* kind: stub. CONFIG_DRM_DEBUG_MM records allocation stacks; we record none. */
#ifndef VGTFUZZ_LINUX_STACKTRACE_H
#define VGTFUZZ_LINUX_STACKTRACE_H
#include <stddef.h>
static inline unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skip)
{
	(void)store;
	(void)size;
	(void)skip;
	return 0;
}
static inline int stack_trace_snprint(char *buf, size_t size, const unsigned long *entries, unsigned int nr_entries,
				      int spaces)
{
	(void)entries;
	(void)nr_entries;
	(void)spaces;
	if (size)
		buf[0] = '\0';
	return 0;
}
#endif
