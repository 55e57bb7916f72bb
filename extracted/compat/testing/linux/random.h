/*
 * kind: customised-for-testing. Randomness, made reproducible.
 *
 * prandom_*_state() is a pseudo-random generator over a caller-owned state, as in the kernel, but
 * it is our own generator (a SplitMix64 step), not the kernel's: a given seed does not reproduce
 * the numbers an in-kernel run would draw. The get_random_*() family, the kernel's entropy source,
 * draws from vgtfuzz_get_random_u64(), which the test environment supplies: extracted/kunit_main.c
 * derives it from its --seed option, so every run with the same seed sees the same numbers.
 */
#ifndef VGTFUZZ_LINUX_RANDOM_H
#define VGTFUZZ_LINUX_RANDOM_H
#include <linux/types.h>

struct rnd_state {
	u64 x;
};

static inline u64 vgtfuzz_splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	state->x = seed;
}

static inline u32 prandom_u32_state(struct rnd_state *state)
{
	return (u32)(vgtfuzz_splitmix64(&state->x) >> 32);
}

static inline void prandom_bytes_state(struct rnd_state *state, void *buf, size_t nbytes)
{
	u8 *p = buf;

	while (nbytes) {
		u64 v = vgtfuzz_splitmix64(&state->x);
		size_t n = nbytes < sizeof(v) ? nbytes : sizeof(v);

		for (size_t i = 0; i < n; i++, v >>= 8)
			*p++ = (u8)v;
		nbytes -= n;
	}
}

/* The environment's source (see above). */
u64 vgtfuzz_get_random_u64(void);

static inline u64 get_random_u64(void)
{
	return vgtfuzz_get_random_u64();
}
static inline u32 get_random_u32(void)
{
	return (u32)(vgtfuzz_get_random_u64() >> 32);
}
static inline u16 get_random_u16(void)
{
	return (u16)(vgtfuzz_get_random_u64() >> 48);
}
static inline u8 get_random_u8(void)
{
	return (u8)(vgtfuzz_get_random_u64() >> 56);
}
static inline u32 get_random_int(void)
{
	return get_random_u32();
} /* its name before 6.2 */
static inline unsigned long get_random_long(void)
{
	return (unsigned long)vgtfuzz_get_random_u64();
}

/* Uniform in [0, ceil) by the multiply-high method (ceil 0 gives 0). */
static inline u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

static inline u32 get_random_u32_inclusive(u32 floor, u32 ceil)
{
	return floor + get_random_u32_below(ceil - floor + 1);
}

static inline void get_random_bytes(void *buf, size_t nbytes)
{
	u8 *p = buf;

	while (nbytes) {
		u64 v = vgtfuzz_get_random_u64();
		size_t n = nbytes < sizeof(v) ? nbytes : sizeof(v);

		for (size_t i = 0; i < n; i++, v >>= 8)
			*p++ = (u8)v;
		nbytes -= n;
	}
}
#endif
