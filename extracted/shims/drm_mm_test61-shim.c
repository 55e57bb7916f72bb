/*
 * 6.1's drm_mm KUnit suite (19 cases; drivers/gpu/drm/tests/drm_mm_test.c of the 6.1 lift, copied
 * into the build directory by CMake) against this tree's drm_mm. What it needs and the tree lacks
 * comes from compat/testing: our drm_random (lib/drm_random.h) and, when the tree's drm_mm.h no
 * longer declares it, our drm_mm_replace_node().
 */
#include <linux/bitmap.h>
#include <linux/sprintf.h>
#include <drm/drm_mm.h>
#ifndef VGTFUZZ_TREE_HAS_DRM_MM_REPLACE_NODE
#include "vgtfuzz_drm_mm_replace_node.h"
#endif
#include "kunit61/drm_mm_test.c"
