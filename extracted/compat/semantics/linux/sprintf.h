/* kind: copied-semantics. Kernel string formatting on top of the C library's. */
#ifndef VGTFUZZ_LINUX_SPRINTF_H
#define VGTFUZZ_LINUX_SPRINTF_H
#include <stdarg.h>
#include <stdio.h>
#include <linux/compiler_types.h>
#include <linux/slab.h>

/* A kmalloc'ed formatted string (kfree it), or NULL. */
__printf(2, 0) static inline char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list again;
	char *s;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return NULL;
	s = kmalloc((size_t)n + 1, gfp);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

__printf(2, 3) static inline char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return s;
}

/* Like vsnprintf, but returns what was written (without the NUL), not what was wanted. */
__printf(3, 0) static inline int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n < 0 || !size)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}

__printf(3, 4) static inline int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
#endif
