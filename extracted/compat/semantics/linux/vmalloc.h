/* kind: copied-semantics. vmalloc is malloc here. */
#ifndef VGTFUZZ_LINUX_VMALLOC_H
#define VGTFUZZ_LINUX_VMALLOC_H
#include <linux/slab.h>
static inline void *vmalloc(unsigned long n)
{
	return malloc(n ? n : 1);
}
static inline void *vzalloc(unsigned long n)
{
	return calloc(1, n ? n : 1);
}
static inline void *vmalloc_array(size_t n, size_t sz)
{
	return kmalloc_array(n, sz, 0);
}
static inline void vfree(const void *p)
{
	free((void *)p);
}
#endif
