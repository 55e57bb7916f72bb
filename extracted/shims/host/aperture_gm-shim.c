#include "drivers/gpu/drm/i915/gvt/aperture_gm.c"
