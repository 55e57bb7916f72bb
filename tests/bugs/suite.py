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
APERTURE = "drivers/gpu/drm/i915/gvt/aperture_gm.c"
GVT_VGPU = "drivers/gpu/drm/i915/gvt/vgpu.c"
FENCING = "drivers/gpu/drm/i915/gt/intel_ggtt_fencing.c"

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

    # --- drm_mm in depth: search order, trees, modes, the eviction scan (target drm_mm) --------
    {"name": "mm-best-ties-oldest",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "insert_hole_size",
     "pattern": r"if \(x > rb_to_hole_size\(rb\)\)",
     "replace": "if (VGTFUZZ_BUG_MUTANT(x > rb_to_hole_size(rb), x >= rb_to_hole_size(rb)))",
     "description":
         "Hole-size tree order: a hole of a size already in the tree goes before the others "
         "instead of after them, so BEST mode takes the oldest of equal holes, not the newest "
         "(the one whose neighbours were just touched and are hottest in the caches)."},
    {"name": "mm-best-exact-fit-skipped",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "best_hole",
     "pattern": r"if \(size <= node->hole_size\)",
     "replace": "if (VGTFUZZ_BUG_MUTANT(size <= node->hole_size, size < node->hole_size))",
     "description":
         "best_hole() wants a hole strictly larger than the node: an exact fit is passed over and "
         "BEST fragments the next larger hole (or fails when the exact fit was the only one)."},
    {"name": "mm-subtree-max-not-raised",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "insert_hole_addr",
     "pattern": r"if \(parent->subtree_max_hole < subtree_max_hole\)\s*parent->subtree_max_hole = subtree_max_hole;",
     "replace": "if (!VGTFUZZ_BUG_TRIGGERED(parent->subtree_max_hole < subtree_max_hole))\n"
                "\t\t\tparent->subtree_max_hole = parent->subtree_max_hole;",
     "description":
         "Augmented maxima: inserting a hole no longer raises the cached largest hole of the "
         "ancestors it passes. LOW/HIGH searches then prune subtrees that do hold a hole large "
         "enough, and report -ENOSPC or place the node too high or too low."},
    {"name": "mm-usable-subtree-strict",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "usable_hole_addr",
     "pattern": r"subtree_max_hole >= size",
     "replace": "subtree_max_hole >= "
                "VGTFUZZ_BUG_MUTANT(size, size + (rb_hole_addr_to_node(rb)->subtree_max_hole == size))",
     "description":
         "Next-hole iteration: a subtree whose largest hole is exactly the node's size counts as "
         "unusable, so LOW and HIGH walk past exact fits (and reserve_node, which searches with "
         "size 0, is unaffected)."},
    {"name": "mm-best-rounds-down",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_insert_node_in_range",
     "pattern": r"if \(mode != DRM_MM_INSERT_HIGH\)\s*adj_start \+= alignment;",
     "replace": "if (VGTFUZZ_BUG_MUTANT(mode != DRM_MM_INSERT_HIGH, mode == DRM_MM_INSERT_LOW))\n"
                "\t\t\t\t\tadj_start += alignment;",
     "description":
         "Alignment rounding per mode: only LOW rounds an unaligned start up; BEST and EVICT round "
         "it down, below the hole, and the re-test then throws away every hole that is not "
         "already aligned at its start."},
    {"name": "mm-range-end-not-clamped",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_insert_node_in_range",
     "pattern": r"adj_end = min\(col_end, range_end\);",
     "replace": "adj_end = VGTFUZZ_BUG_MUTANT(min(col_end, range_end), col_end);",
     "description":
         "Range clamping: the end of the requested range is ignored, so a node asked for below "
         "range_end (the mappable aperture, say) can land above it."},
    {"name": "mm-once-ignored",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_insert_node_in_range",
     "pattern": r"hole = once \? NULL : next_hole\(mm, hole, size, mode\)",
     "replace": "hole = VGTFUZZ_BUG_TRIGGERED(once) ? next_hole(mm, hole, size, mode) : "
                "next_hole(mm, hole, size, mode)",
     "description":
         "DRM_MM_INSERT_ONCE is ignored: a ONCE insert goes on to the following holes instead of "
         "failing, so i915's PIN_HIGH (HIGH|ONCE) never falls back to its BEST retry."},
    {"name": "mm-hole-stack-fifo",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "add_hole",
     "pattern": r"list_add\(&node->hole_stack, &mm->hole_stack\);",
     "replace": "if (VGTFUZZ_BUG_TRIGGERED(!list_empty(&mm->hole_stack)))\n"
                "\t\tlist_add_tail(&node->hole_stack, &mm->hole_stack);\n"
                "\telse\n\t\tlist_add(&node->hole_stack, &mm->hole_stack);",
     "description":
         "The hole stack becomes a queue: a new hole goes to the back, so EVICT mode (the insert "
         "after an eviction scan) takes the oldest hole instead of the one just evicted."},
    {"name": "mm-insert-holes-readded-swapped",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_insert_node_in_range",
     "pattern": r"if \(adj_start > hole_start\)\s*add_hole\(hole\);\s*"
                r"if \(adj_start \+ size < hole_end\)\s*add_hole\(node\);",
     "replace": "if (VGTFUZZ_BUG_TRIGGERED(adj_start > hole_start && adj_start + size < hole_end)) {\n"
                "\t\t\tadd_hole(node);\n\t\t\tadd_hole(hole);\n\t\t} else {\n"
                "\t\t\tif (adj_start > hole_start)\n\t\t\t\tadd_hole(hole);\n"
                "\t\t\tif (adj_start + size < hole_end)\n\t\t\t\tadd_hole(node);\n\t\t}",
     "description":
         "Remove/re-add of holes: when an insert splits a hole in two, the part above the node is "
         "added before the part below it, so the hole stack (EVICT mode) and BEST's choice among "
         "equal sizes see them in the wrong order."},
    {"name": "mm-scan-straddler-kept",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_scan_remove_block",
     "pattern": r"return \(node->start \+ node->size > scan->hit_start &&\s*node->start < scan->hit_end\);",
     "replace": "return VGTFUZZ_BUG_MUTANT(node->start + node->size > scan->hit_start && node->start < scan->hit_end,\n"
                "\t\tnode->start >= scan->hit_start && node->start < scan->hit_end);",
     "description":
         "Scan bookkeeping: a scanned node that begins below the hole found and reaches into it is "
         "not marked for eviction, so i915 evicts too little and its insert in EVICT mode fails or "
         "lands elsewhere."},
    {"name": "mm-color-evict-upper-lost",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_scan_color_evict",
     "pattern": r"if \(hole_end < scan->hit_end\)\s*return list_next_entry\(hole, node_list\);",
     "replace": "if (VGTFUZZ_BUG_TRIGGERED(hole_end < scan->hit_end))\n\t\treturn NULL;",
     "description":
         "Colour eviction: the neighbour above the hole found is never named for eviction although "
         "its colour leaves no room for the guard page; with i915_ggtt_color_adjust the insert "
         "after the scan then fails."},
    {"name": "mm-scan-high-aims-low",
     "area": "drm_mm", "target": "drm_mm",
     "file": MM, "function": "drm_mm_scan_add_block",
     "pattern": r"if \(scan->mode == DRM_MM_INSERT_HIGH\)\s*adj_start = adj_end - scan->size;",
     "replace": "if (VGTFUZZ_BUG_TRIGGERED(scan->mode == DRM_MM_INSERT_HIGH && "
                "adj_start != adj_end - scan->size) && 0)\n"
                "\t\tadj_start = adj_end - scan->size;",
     "description":
         "The scan's mode is ignored: a HIGH scan (i915's PIN_HIGH eviction) aims at the bottom of "
         "each candidate hole, so it evicts the low objects of a hole where the node belongs at the "
         "top."},

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

    # --- the GVT-g host side and the fences (target gvt: docs/gvt.md) ------------------------
    {"name": "host-low-gm-pin-high",
     "area": "host carving", "target": "gvt",
     "file": APERTURE, "function": "alloc_gm",
     "pattern": r"flags = (PIN_MAPPABLE);",
     "replace": r"flags = VGTFUZZ_BUG_MUTANT(\1, PIN_HIGH);",
     "description":
         "The aperture slice is allocated with PIN_HIGH instead of PIN_MAPPABLE: vGPUs fill the "
         "aperture from the top, the host's own objects lose the space they expect above the "
         "error-capture pages and every vGPU's aperture base changes."},
    {"name": "host-hidden-range-from-zero",
     "area": "host carving", "target": "gvt",
     "file": APERTURE, "function": "alloc_gm",
     "pattern": r"start = ALIGN\((gvt_hidden_gmadr_base)\(gvt\), I915_GTT_PAGE_SIZE\);",
     "replace": r"start = ALIGN(VGTFUZZ_BUG_MUTANT(\1(gvt), gvt_aperture_gmadr_base(gvt)), I915_GTT_PAGE_SIZE);",
     "description":
         "The hidden slice's search range starts at 0 instead of the end of the aperture. PIN_HIGH "
         "still puts it at the top, until a host range near the top makes the HIGH|ONCE try fail: "
         "the BEST retry then takes the smallest hole, which may be inside the aperture."},
    {"name": "host-free-keeps-hidden",
     "area": "host release", "target": "gvt",
     "file": APERTURE, "function": "free_vgpu_gm",
     "pattern": r"(drm_mm_remove_node\(&vgpu->gm\.high_gm_node\);)",
     "replace": r"if (!VGTFUZZ_BUG_TRIGGERED(1)) \1",
     "description":
         "Destroying a vGPU gives back its aperture slice but not its hidden slice: the host GGTT "
         "leaks 384 MiB to 2 GiB per destroyed vGPU and later creates fail."},
    {"name": "host-budget-without-host-share",
     "area": "instance rule", "target": "gvt",
     "file": APERTURE, "function": "alloc_resource",
     "pattern": r"max = (gvt_aperture_sz\(gvt\) - HOST_LOW_GM_SIZE);",
     "replace": r"max = VGTFUZZ_BUG_MUTANT(\1, gvt_aperture_sz(gvt));",
     "description":
         "The aperture budget forgets the host's 128 MiB share: more vGPUs than the type's "
         "instance count are created, and they eat the aperture the host needs for itself."},
    {"name": "host-fence-accounting-leak",
     "area": "fence accounting", "target": "gvt",
     "file": APERTURE, "function": "free_resource",
     "pattern": r"(gvt->fence\.vgpu_allocated_fence_num -= vgpu_fence_sz\(vgpu\);)",
     "replace": r"if (!VGTFUZZ_BUG_TRIGGERED(vgpu_fence_sz(vgpu) != 0)) \1",
     "description":
         "Destroying a vGPU does not give its fences back to the accounting (the registers "
         "themselves are unreserved): the fence budget shrinks with every destroy until creates "
         "fail although fences are free."},
    {"name": "host-fence-not-returned",
     "area": "fence accounting", "target": "gvt",
     "file": FENCING, "function": "i915_unreserve_fence",
     "pattern": r"(list_add\(&fence->link, &ggtt->fence_list\);)",
     "replace": r"if (!VGTFUZZ_BUG_TRIGGERED(1)) \1",
     "description":
         "i915_unreserve_fence() forgets to put the fence back on the host's list: every destroyed "
         "vGPU loses the host four fence registers for good."},
    {"name": "pvinfo-hidden-size-is-aperture",
     "area": "page fields", "target": "gvt",
     "file": GVT_VGPU, "function": "populate_pvinfo_page",
     "pattern": r"(vgtif_reg\(avail_rs\.nonmappable_gmadr\.size\)\) =\s*)(vgpu_hidden_sz)\(vgpu\);",
     "replace": r"\1VGTFUZZ_BUG_MUTANT(\2(vgpu), vgpu_aperture_sz(vgpu));",
     "description":
         "Copy and paste in populate_pvinfo_page(): the hidden slice's size is written as the "
         "aperture slice's. The guest balloons all but a fraction of its own hidden GM away."},
    {"name": "pvinfo-fence-num-plus-one",
     "area": "page fields", "target": "gvt",
     "file": GVT_VGPU, "function": "populate_pvinfo_page",
     "pattern": r"(vgtif_reg\(avail_rs\.fence_num\)\) = )(vgpu_fence_sz\(vgpu\));",
     "replace": r"\1VGTFUZZ_BUG_MUTANT(\2, \2 + 1);",
     "description":
         "The page advertises one fence more than the host reserved: the guest programs a fence "
         "register that belongs to the host or to another vGPU."},
    {"name": "guest-fences-one-extra",
     "area": "fence consumer", "target": "gvt",
     "file": FENCING, "function": "intel_ggtt_init_fences",
     "pattern": r"(num_fences = )(intel_uncore_read\(uncore,\s*vgtif_reg\(avail_rs\.fence_num\)\));",
     "replace": r"\1VGTFUZZ_BUG_MUTANT(\2, \2 + 1);",
     "description":
         "The guest sets up one fence more than its page grants (an off-by-one in a loop bound, "
         "say): it clears a fence register it was never given."},
]
