#include "drivers/gpu/drm/drm_mm.c"
