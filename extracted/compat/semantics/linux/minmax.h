/* kind: copied-semantics. min/max with the kernel's single evaluation (not its strict type checks). */
#ifndef VGTFUZZ_LINUX_MINMAX_H
#define VGTFUZZ_LINUX_MINMAX_H
#define min(x, y)                          \
	({                                 \
		__typeof__(x) _mn1 = (x);  \
		__typeof__(y) _mn2 = (y);  \
		_mn1 < _mn2 ? _mn1 : _mn2; \
	})
#define max(x, y)                          \
	({                                 \
		__typeof__(x) _mx1 = (x);  \
		__typeof__(y) _mx2 = (y);  \
		_mx1 > _mx2 ? _mx1 : _mx2; \
	})
#define min_t(t, x, y)                     \
	({                                 \
		t _mt1 = (x);              \
		t _mt2 = (y);              \
		_mt1 < _mt2 ? _mt1 : _mt2; \
	})
#define max_t(t, x, y)                     \
	({                                 \
		t _xt1 = (x);              \
		t _xt2 = (y);              \
		_xt1 > _xt2 ? _xt1 : _xt2; \
	})
#define min3(x, y, z) min((__typeof__(x))min(x, y), z)
#define max3(x, y, z) max((__typeof__(x))max(x, y), z)
#define clamp(v, lo, hi) min((__typeof__(v))max(v, lo), hi)
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)
#define swap(a, b)                       \
	do {                             \
		__typeof__(a) _sw = (a); \
		(a) = (b);               \
		(b) = _sw;               \
	} while (0)
#endif
