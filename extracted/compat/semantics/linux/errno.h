/* kind: copied-semantics. Linux errno numbers are the same in userspace: take the UAPI ones.
 * (glibc's <errno.h> includes <linux/errno.h>, which is this file on our include path.) */
#ifndef VGTFUZZ_LINUX_ERRNO_H
#define VGTFUZZ_LINUX_ERRNO_H
#include <asm/errno.h>
#endif
