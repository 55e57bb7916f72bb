/* kind: copied-semantics. Bitmaps as arrays of unsigned long, bit n in word n / BITS_PER_LONG. */
#ifndef VGTFUZZ_LINUX_BITMAP_H
#define VGTFUZZ_LINUX_BITMAP_H
#include <stdio.h>
#include <string.h>
#include <linux/bitops.h>
#include <linux/math.h>
#include <linux/slab.h>
#include <linux/types.h>

#define BITS_TO_LONGS(nbits) DIV_ROUND_UP(nbits, BITS_PER_LONG)
/* Bytes to hold nbits, in whole longs. */
#define bitmap_size(nbits) (BITS_TO_LONGS(nbits) * sizeof(unsigned long))

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, bitmap_size(nbits));
}

/* Sets bits [0, nbits); the rest of the last word is left clear. */
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	unsigned int tail = nbits % BITS_PER_LONG;

	memset(dst, 0xff, bitmap_size(nbits));
	if (tail)
		dst[nbits / BITS_PER_LONG] = (1UL << tail) - 1;
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, bitmap_size(nbits));
}

/* The first set bit at or after offset, or size when there is none. */
static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	for (; offset < size; offset++)
		if (test_bit((long)offset, addr))
			return offset;
	return size;
}
#define find_first_bit(addr, size) find_next_bit((addr), (size), 0)

/* The last set bit below size, or size when there is none. */
static inline unsigned long find_last_bit(const unsigned long *addr, unsigned long size)
{
	unsigned long i = size;

	while (i--)
		if (test_bit((long)i, addr))
			return i;
	return size;
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size, unsigned long offset)
{
	for (; offset < size; offset++)
		if (!test_bit((long)offset, addr))
			return offset;
	return size;
}
#define find_first_zero_bit(addr, size) find_next_zero_bit((addr), (size), 0)

static inline unsigned long *bitmap_alloc(unsigned int nbits, gfp_t gfp)
{
	return kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), gfp);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t gfp)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), gfp);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

/* Text form for a debug dump: ranges ("0-3,7") when list, else hex words, most significant first. */
static inline int bitmap_print_to_pagebuf(bool list, char *buf, const unsigned long *maskp, int nbits)
{
	const size_t cap = 4096;
	size_t len = 0;
	int i;

	buf[0] = '\0';
	if (list) {
		for (i = 0; i < nbits; i++) {
			int j = i;

			if (!test_bit(i, maskp))
				continue;
			while (j + 1 < nbits && test_bit(j + 1, maskp))
				j++;
			len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, j > i ? "%s%d-%d" : "%s%d",
						len ? "," : "", i, j);
			i = j;
		}
	} else {
		for (i = (int)BITS_TO_LONGS(nbits) - 1; i >= 0; i--)
			len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%0*lx", (int)(2 * sizeof(long)),
						maskp[i]);
	}
	len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "\n");
	return (int)(len < cap ? len : cap - 1);
}
#endif
