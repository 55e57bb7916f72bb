"""The ground-truth bug suite: realistic mistakes injected into the lifted kernel code.

Each bug is a mutation SPEC, not a diff: kernel source text is never committed, so a bug names
the file of the kernel tree it changes (for a lifted fragment: the source file the function is
lifted from), optionally the function whose body the search is limited to, a regular expression
of our own that must match exactly once there, and a replacement (a `re` template: \\1 and
friends refer to the expression's groups). The replacement wraps the mutated code in the
canaries of extracted/compat/testing/vgtfuzz_bugs.h, so a run records whether the buggy code was
REACHED and whether it TRIGGERED (computed something other than the original would have):

    VGTFUZZ_BUG_MUTANT(original, mutant)   an expression changed: triggered when they differ
    VGTFUZZ_BUG_TRIGGERED(condition)       a statement dropped or redirected: triggered when
                                           the statement would have mattered

`scripts/vgtfuzzlib/bugs.py` applies a bug to a copy of a kernel tree, lifts it, builds it and
checks the harness detects it (`vgtfuzz bugs list`, `vgtfuzz bugs run [NAME...]`).
"""

VGPU = "drivers/gpu/drm/i915/i915_vgpu.c"
GTT = "drivers/gpu/drm/i915/i915_gem_gtt.c"
GGTT = "drivers/gpu/drm/i915/gt/intel_ggtt.c"
VMA_H = "drivers/gpu/drm/i915/i915_vma.h"
MM = "drivers/gpu/drm/drm_mm.c"

BUGS = [
    # --- detection -------------------------------------------------------------------------
    {"name": "detect-version-exact",
     "area": "validation",
     "file": VGPU, "function": "intel_vgpu_detect",
     "pattern": r"\b(version_major)\s*<\s*(VGT_VERSION_MAJOR)\b",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 < \2, \1 != \2)",
     "description":
         "Detection demands exactly interface version 1 instead of at least 1 (as the 4.1-4.10 "
         "kernels did). A host advertising a newer major version is no longer recognised: the "
         "guest thinks it runs on bare metal and never balloons, so its allocator hands out the "
         "whole GGTT, other vGPUs' slices included."},

    # --- the three validation comparisons ------------------------------------------------------
    {"name": "check-mappable-end-ge",
     "area": "validation",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\b(mappable_end)\s*>\s*(ggtt->mappable_end)",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 > \2, \1 >= \2)",
     "description":
         "`>` became `>=` in the aperture check: a guest slice that ends exactly at the end of the "
         "aperture (the last vGPU's, or a guest owning the whole aperture) is refused with "
         "-EINVAL and the driver fails to load."},
    {"name": "check-unmappable-base-le",
     "area": "validation",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\b(unmappable_base)\s*<\s*(ggtt->mappable_end)",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 < \2, \1 <= \2)",
     "description":
         "`<` became `<=` in the hidden-range check: a hidden slice starting right at the end of "
         "the aperture is refused with -EINVAL."},
    {"name": "check-unmappable-end-ge",
     "area": "validation",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\b(unmappable_end)\s*>\s*(ggtt_end)",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 > \2, \1 >= \2)",
     "description":
         "`>` became `>=` in the top-of-GGTT check: a hidden slice ending exactly at the end of "
         "the GGTT (GVT-g gives the first vGPU exactly that) is refused with -EINVAL."},

    # --- the four regions ----------------------------------------------------------------------
    {"name": "region-space3-skipped",
     "area": "regions",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\bif \((unmappable_end)\s*<\s*(ggtt_end)\)",
     "replace": r"if (VGTFUZZ_BUG_MUTANT(\1 < \2, 0))",
     "description":
         "The region above the guest's hidden slice, [unmappable_end, total), is never "
         "ballooned (a refactor that assumed the hidden slice always reaches the end of the "
         "GGTT). The guest's allocator may then place objects in other vGPUs' address space."},
    {"name": "region-space1-guard-copied",
     "area": "regions",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\bif \((mappable_end)\s*<\s*(ggtt->mappable_end)\)",
     "replace": r"if (VGTFUZZ_BUG_MUTANT(\1 < \2, mappable_base != 0))",
     "description":
         "Copy and paste: the fourth region [mappable_end, aperture end) is guarded by the third "
         "region's condition (`if (mappable_base)`). A guest slice that ends exactly at the end "
         "of the aperture asks vgt_balloon_space() for an empty range, gets -EINVAL, and the "
         "whole balloon unwinds; a slice at address 0 skips the region it needs."},
    {"name": "region-space2-wrong-end",
     "area": "regions",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"(&bl_info\.space\[2\],\s*ggtt->mappable_end,\s*)(unmappable_base)\b",
     "replace": r"\1VGTFUZZ_BUG_MUTANT(\2, unmappable_end)",
     "description":
         "Wrong range for one region: space[2] runs from the end of the aperture to the END of "
         "the guest's hidden slice instead of its base, so the balloon swallows the guest's own "
         "hidden slice and the guest has no unmappable memory left."},

    # --- the unwind chain ----------------------------------------------------------------------
    {"name": "unwind-wrong-label",
     "area": "unwind",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"goto err_upon_unmappable;",
     "replace": r"{ (void)VGTFUZZ_BUG_TRIGGERED(drm_mm_node_allocated(&bl_info.space[2]) || "
                r"drm_mm_node_allocated(&bl_info.space[3])); goto err; }",
     "description":
         "When the reservation of space[0] fails, the code jumps to the last label instead of "
         "the one that gives back space[3] and space[2]: a failed balloon leaves two regions "
         "reserved and `reserved` counting them."},
    {"name": "unwind-missing-deballoon",
     "area": "unwind",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"(err_below_mappable:)\s*vgt_deballoon_space\(ggtt,\s*&bl_info\.space\[0\]\);",
     "replace": r"\1\n\t(void)VGTFUZZ_BUG_TRIGGERED(drm_mm_node_allocated(&bl_info.space[0]));",
     "description":
         "The first step of the unwind (give back space[0]) is missing: when space[1] cannot be "
         "reserved, space[0] stays in the GGTT after the failed balloon."},

    # --- the reserved counter ------------------------------------------------------------------
    {"name": "reserved-not-added",
     "area": "reserved",
     "file": VGPU, "function": "vgt_balloon_space",
     "pattern": r"\bggtt->vm\.reserved \+= (size);",
     "replace": r"(void)VGTFUZZ_BUG_TRIGGERED(\1 != 0);",
     "description":
         "vgt_balloon_space() no longer adds the reserved range to `ggtt->vm.reserved`: the "
         "driver's notion of usable GGTT space is wrong by the whole balloon, and the deballoon "
         "then subtracts what was never added (the counter wraps)."},
    {"name": "reserved-added-on-failure",
     "area": "reserved",
     "file": VGPU, "function": "vgt_balloon_space",
     "pattern": r"\bif \(!(ret)\)",
     "replace": r"if (VGTFUZZ_BUG_MUTANT(!\1, 1))",
     "description":
         "The counter is updated whether or not the reservation succeeded: a failed balloon "
         "leaves `reserved` too high by the region that could not be reserved."},
    {"name": "reserved-deballoon-wrong-sign",
     "area": "reserved",
     "file": VGPU, "function": "vgt_deballoon_space",
     "pattern": r"\b(ggtt->vm\.reserved) -= (node->size);",
     "replace": r"(void)VGTFUZZ_BUG_TRIGGERED(\2 != 0), \1 += \2;",
     "description":
         "Wrong sign: giving a region back ADDS its size to `reserved`, so after a deballoon "
         "(or an unwind) the counter is twice the balloon instead of zero."},

    # --- deballoon -----------------------------------------------------------------------------
    {"name": "deballoon-2019-unallocated-node",
     "area": "deballoon",
     "file": VGPU, "function": "vgt_deballoon_space",
     "pattern": r"\bif \(!drm_mm_node_allocated\((node)\)\)\s*return;",
     "replace": r"(void)VGTFUZZ_BUG_TRIGGERED(!drm_mm_node_allocated(\1));",
     "description":
         "The real bug of 4.13-5.2 (fixed by \"drm/i915: Don't deballoon unused ggtt drm_mm_node "
         "in linux guest\", 4776f3529d6b, Aug 2019): without the early return for a node that "
         "was never reserved, deballoon calls drm_mm_remove_node() on it whenever one of the four "
         "regions was empty (very common) or a balloon failed: a NULL dereference at module "
         "unload."},
    {"name": "deballoon-skips-space3",
     "area": "deballoon",
     "file": VGPU, "function": "intel_vgt_deballoon",
     "pattern": r"for \((i) = 0; \1 < (4);",
     "replace": r"for (\1 = 0; VGTFUZZ_BUG_MUTANT(\1 < \2, \1 < 3);",
     "description":
         "Off by one in the deballoon loop: slots 0..2 are given back and space[3] (the top of the "
         "hidden range) stays reserved after teardown; the next balloon then fails because the "
         "range is taken."},

    # --- word size -----------------------------------------------------------------------------
    {"name": "u32-mappable-end-sum",
     "area": "word-size",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\b(mappable_end) = (mappable_base) \+ (mappable_size);",
     "replace": r"\1 = VGTFUZZ_BUG_MUTANT(\2 + \3, (u32)(\2 + \3));",
     "description":
         "The aperture slice's end is computed in 32 bits (the registers are u32, so the sum "
         "looks harmless): base 0xfffff000 + size 0x2000 wraps to 0x1000, passes the checks, and "
         "the balloon reserves the wrong ranges instead of refusing the page."},
    {"name": "u32-ggtt-end",
     "area": "word-size",
     "file": VGPU, "function": "intel_vgt_balloon",
     "pattern": r"\b(ggtt_end) = (ggtt->vm\.total);",
     "replace": r"\1 = VGTFUZZ_BUG_MUTANT(\2, (u32)\2);",
     "description":
         "The GGTT end is narrowed to 32 bits: a 4 GiB GGTT (the common GVT-g geometry) becomes 0 "
         "and every balloon on it fails -EINVAL, as on an i386 kernel (findings.md #2), now on "
         "64-bit too."},

    # --- i915_gem_gtt_reserve ------------------------------------------------------------------
    {"name": "gtt-reserve-no-retry",
     "area": "gtt-reserve",
     "file": GTT, "function": "i915_gem_gtt_reserve",
     "pattern": r"\bif \((err) == 0\)\s*\1 = drm_mm_reserve_node\(&vm->mm, node\);",
     "replace": r"(void)VGTFUZZ_BUG_TRIGGERED(\1 == 0);",
     "description":
         "After a successful eviction the reservation is not retried: i915_gem_gtt_reserve() "
         "returns 0 with the node never inserted. The balloon reports success and counts the "
         "region in `reserved`, but the region is not reserved."},
    {"name": "gtt-reserve-noevict-inverted",
     "area": "gtt-reserve",
     "file": GTT, "function": "i915_gem_gtt_reserve",
     "pattern": r"\bif \((flags) & (PIN_NOEVICT)\)",
     "replace": r"if (VGTFUZZ_BUG_MUTANT(!!(\1 & \2), !(\1 & \2)))",
     "description":
         "The PIN_NOEVICT test is inverted: callers that allow eviction (the balloon passes flags "
         "0) get -ENOSPC when an evictable object is bound in a balloon region, instead of "
         "having it evicted."},

    # --- drm_mm --------------------------------------------------------------------------------
    {"name": "mm-reserve-overflow-check-field",
     "area": "drm_mm",
     "file": MM, "function": "drm_mm_reserve_node",
     "pattern": r"\b(end) <= (node->)start\b",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 <= \2start, \1 <= \2size)",
     "description":
         "drm_mm_reserve_node()'s zero-size/wrap test (`end <= start`) compares the end with the "
         "node's size instead of its start: it now fires for every node at address 0, so "
         "reserving space[0] = [0, mappable_base) fails -ENOSPC. (The `<=` -> `<` mutant of the "
         "same test is equivalent for the harness: no caller can pass a zero size, see "
         "tests/bugs/README.md.)"},
    {"name": "mm-reserve-exact-fit-refused",
     "area": "drm_mm",
     "file": MM, "function": "drm_mm_reserve_node",
     "pattern": r"\b(adj_end) < (end)\)",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 < \2, \1 <= \2))",
     "description":
         "Boundary in the hole test: a range that ends exactly at the end of its hole is refused "
         "(`<` became `<=`), so the region that reaches the end of the GGTT cannot be reserved."},
    {"name": "mm-reserve-hole-after-lost",
     "area": "drm_mm",
     "file": MM, "function": "drm_mm_reserve_node",
     "pattern": r"\bif \((end) < (hole_end)\)",
     "replace": r"if (VGTFUZZ_BUG_MUTANT(\1 < \2, 0))",
     "description":
         "Hole bookkeeping on reserve: the free space after a newly reserved node is not "
         "registered as a hole. It vanishes from both hole trees (allocations there fail) while "
         "the node list still shows the gap."},
    {"name": "mm-remove-hole-lost",
     "area": "drm_mm",
     "file": MM, "function": "drm_mm_remove_node",
     "pattern": r"\bif \(drm_mm_hole_follows\((prev_node)\)\)\s*rm_hole\(\1\);\s*add_hole\(\1\);",
     "replace": "if (!VGTFUZZ_BUG_TRIGGERED(!drm_mm_hole_follows(\\1))) {\n"
                "\t\trm_hole(\\1);\n\t\tadd_hole(\\1);\n\t}",
     "description":
         "Hole bookkeeping on remove: the freed range is merged into the previous node's hole "
         "only when that node already had one. Removing a node that abutted its predecessor (a "
         "node at address 0, whose predecessor is the head) frees space that never becomes a "
         "hole."},

    # --- colour --------------------------------------------------------------------------------
    {"name": "color-end-guard-lost",
     "area": "colour",
     "file": GGTT, "function": "i915_ggtt_color_adjust",
     "pattern": r"\bif \((node->color) != (color)\)",
     "replace": r"if (VGTFUZZ_BUG_MUTANT(\1 != \2, 0))",
     "description":
         "i915_ggtt_color_adjust() drops the guard page before a following node of another colour "
         "(and before the end of the GGTT): on !LLC parts an object may sit right against a "
         "balloon node, and prefetches cross into another vGPU's range."},
    {"name": "color-differs-unallocated",
     "area": "colour",
     "file": VMA_H, "function": "i915_node_color_differs",
     "pattern": r"\b(drm_mm_node_allocated\(node\)) && ([^;]+);",
     "replace": r"VGTFUZZ_BUG_MUTANT(\1 && \2, \2);",
     "description":
         "i915_node_color_differs() forgets that the head node is not an allocated node: its "
         "colour (-1) now counts, so every hole starting at address 0 loses its first page for "
         "objects of colour 0 and an allocation that belongs at 0 lands 4 KiB higher."},
]
