/* kind: stub. drm_mm.h includes it for nothing the balloon uses. */
