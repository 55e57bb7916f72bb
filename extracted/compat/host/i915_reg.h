/* kind: stub. The fence registers aperture_gm.c names are lifted into host_macros.h; nothing else is needed. */
#ifndef VGTFUZZ_HOST_I915_REG_H
#define VGTFUZZ_HOST_I915_REG_H
#include "host_macros.h"
#endif
