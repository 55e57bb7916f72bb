/* What the kernel's own headers bring drm_mm_test.c by way of its includes. */
#include <linux/bitmap.h>
#include <linux/sprintf.h>
#include "drivers/gpu/drm/tests/drm_mm_test.c"
