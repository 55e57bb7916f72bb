/* i915_gem_gtt_reserve(), lifted alone out of i915_gem_gtt.c. */
#include "i915_drv.h"
#include "fragments/i915_gem_gtt_reserve.c"
