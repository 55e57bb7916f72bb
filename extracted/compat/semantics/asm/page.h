/* kind: copied-semantics. The page size of the x86 kernels we lift from. */
#ifndef VGTFUZZ_ASM_PAGE_H
#define VGTFUZZ_ASM_PAGE_H
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#endif
