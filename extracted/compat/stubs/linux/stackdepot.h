/* kind: stub. See stacktrace.h: handles are always 0. */
#ifndef VGTFUZZ_LINUX_STACKDEPOT_H
#define VGTFUZZ_LINUX_STACKDEPOT_H
#include <linux/types.h>
typedef u32 depot_stack_handle_t;
static inline void stack_depot_init(void)
{
}
static inline depot_stack_handle_t stack_depot_save(unsigned long *entries, unsigned int n, gfp_t gfp)
{
	(void)entries;
	(void)n;
	(void)gfp;
	return 0;
}
static inline int stack_depot_snprint(depot_stack_handle_t h, char *buf, size_t size, int spaces)
{
	(void)h;
	(void)spaces;
	if (size)
		buf[0] = '\0';
	return 0;
}
/* Before 5.17 callers fetched the entries and printed them themselves: there are none. */
static inline unsigned int stack_depot_fetch(depot_stack_handle_t h, unsigned long **entries)
{
	(void)h;
	*entries = NULL;
	return 0;
}
#endif
