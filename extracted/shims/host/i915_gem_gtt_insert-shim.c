/* i915_gem_gtt_insert() and the random_offset() it calls, lifted alone out of i915_gem_gtt.c, and
 * the host's own copy of i915_gem_gtt_reserve() (the guest's is built against the guest's structures). */
#include "i915_drv.h"
#include "fragments/host/random_offset.c"
#include "fragments/i915_gem_gtt_reserve.c"
#include "fragments/host/i915_gem_gtt_insert.c"
