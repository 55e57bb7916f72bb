/* kind: semantics. FIELD_PREP/FIELD_GET: a value placed in, or taken out of, the bits of a
 * contiguous constant mask (shift by the mask's lowest set bit). First used by the xevf target. */
#ifndef XEVF_LINUX_BITFIELD_H
#define XEVF_LINUX_BITFIELD_H
#include <linux/bits.h>
#define __xevf_mask_shift(mask) __builtin_ctzll((unsigned long long)(mask))
#define FIELD_PREP(mask, val) \
	((__typeof__(mask))(((unsigned long long)(val) << __xevf_mask_shift(mask)) & (unsigned long long)(mask)))
#define FIELD_GET(mask, reg) \
	((__typeof__(mask))(((unsigned long long)(reg) & (unsigned long long)(mask)) >> __xevf_mask_shift(mask)))
#define FIELD_MAX(mask) ((__typeof__(mask))((mask) >> __xevf_mask_shift(mask)))
#endif
