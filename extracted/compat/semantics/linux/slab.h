/* kind: copied-semantics. Kernel allocators on top of malloc (so ASan sees every object). */
#ifndef VGTFUZZ_LINUX_SLAB_H
#define VGTFUZZ_LINUX_SLAB_H
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include <linux/overflow.h>
#define GFP_KERNEL 0u
#define GFP_ATOMIC 0u
#define __GFP_NOWARN 0u
#define GFP_NOWAIT 0u
#define __GFP_ZERO 0x100u
static inline void *kmalloc(size_t n, gfp_t gfp)
{
	return (gfp & __GFP_ZERO) ? calloc(1, n ? n : 1) : malloc(n ? n : 1);
}
static inline void *kzalloc(size_t n, gfp_t gfp)
{
	(void)gfp;
	return calloc(1, n ? n : 1);
}
static inline void *kmalloc_array(size_t n, size_t sz, gfp_t gfp)
{
	size_t bytes;
	if (check_mul_overflow(n, sz, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}
static inline void *kcalloc(size_t n, size_t sz, gfp_t gfp)
{
	return kmalloc_array(n, sz, gfp | __GFP_ZERO);
}
static inline void kfree(const void *p)
{
	free((void *)p);
}
/* 7.x typed allocation: one or COUNT objects of a type or of an expression's type (the optional
 * gfp argument changes nothing here). */
#define kmalloc_obj(T, ...) ((__typeof__(T) *)kmalloc_array(1, sizeof(T), GFP_KERNEL))
#define kmalloc_objs(T, n, ...) ((__typeof__(T) *)kmalloc_array((n), sizeof(T), GFP_KERNEL))
#define kzalloc_obj(T, ...) ((__typeof__(T) *)kcalloc(1, sizeof(T), GFP_KERNEL))
#define kzalloc_objs(T, n, ...) ((__typeof__(T) *)kcalloc((n), sizeof(T), GFP_KERNEL))
#define kvmalloc_obj kmalloc_obj
#define kvmalloc_objs kmalloc_objs
#define kvzalloc_obj kzalloc_obj
#define kvzalloc_objs kzalloc_objs
#define kvmalloc_array kmalloc_array
#define kvcalloc kcalloc
#define kvfree kfree
#endif
