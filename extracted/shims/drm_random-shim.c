/* What the kernel's own headers bring drm_random.c by way of its includes. */
#include <linux/export.h>
#include "drivers/gpu/drm/lib/drm_random.c"
