"""The xevf target's injected-bug suite (scripts/vgtfuzzlib/xevf_bugs.py; docs/xevf.md).

Same rules as tests/bugs/suite.py: each bug is a mutation SPEC of our own (file of the kernel
tree, the function whose body the search is limited to, a regular expression that must match
exactly once there, and its replacement), never kernel text. `kernel` says which tree the bug is
injected into (6.12 for the balloon era, newest for the base era).
"""

GGTT = "drivers/gpu/drm/xe/xe_ggtt.c"
VF = "drivers/gpu/drm/xe/xe_gt_sriov_vf.c"

BUGS = [
    # --- 7.x (newest): the init guard, the query, the base ------------------------------------
    {"name": "guard-wopcm-le", "kernel": "newest", "file": GGTT, "function": "xe_ggtt_init_early",
     "pattern": r"ggtt_start\s*<\s*wopcm", "replace": "ggtt_start <= wopcm",
     "description": "`<` became `<=`: a VF whose range starts right at the WOPCM (a valid, common "
                    "first slot) is refused with -ERANGE and the VF fails to probe."},
    {"name": "guard-top-ge", "kernel": "newest", "file": GGTT, "function": "xe_ggtt_init_early",
     "pattern": r"ggtt_start \+ ggtt_size > GUC_GGTT_TOP\)", "replace": "ggtt_start + ggtt_size >= GUC_GGTT_TOP)",
     "description": "`>` became `>=`: a range ending exactly at GUC_GGTT_TOP (the PF's last slot) is refused."},
    {"name": "query-no-empty-check", "kernel": "newest", "file": VF, "function": "vf_get_ggtt_info",
     "pattern": r"if \(!size\)\n\s*return -ENODATA;", "replace": "",
     "description": "The size-0 check is dropped: a VF told it has no GGTT brings up an empty one."},
    {"name": "query-resize-allowed", "kernel": "newest", "file": VF, "function": "vf_get_ggtt_info",
     "pattern": r"if \(ggtt_size != size\) \{", "replace": "if (0 && ggtt_size != size) {",
     "description": "The re-query's size-change check is lost: after migration a different size is "
                    "silently taken, while drm_mm still spans the old size."},
    {"name": "klv-overflow-ignored", "kernel": "newest", "file": VF, "function": "guc_action_query_single_klv",
     "pattern": r"if \(unlikely\(length > value_len\)\)", "replace": "if (unlikely(length > value_len + 1))",
     "description": "Off by one in the reply-length check: a 3-dword answer to a 2-dword KLV is taken."},
    {"name": "klv-mbz-ignored", "kernel": "newest", "file": VF, "function": "guc_action_query_single_klv",
     "pattern": r"if \(unlikely\(FIELD_GET\(VF2GUC_QUERY_SINGLE_KLV_RESPONSE_MSG_0_MBZ, response\[0\]\)\)\)",
     "replace": "if (0)",
     "description": "The MBZ check is dropped: a reply with reserved bits set is trusted."},
    {"name": "node-addr-no-base", "kernel": "newest", "file": GGTT, "function": "xe_ggtt_node_addr",
     "pattern": r"node->base\.start \+ READ_ONCE\(node->ggtt->start\)", "replace": "node->base.start",
     "description": "A node's address forgets the VF's base: every object's GGTT address (and PTE) is "
                    "its offset, somewhere below the VF's slice."},
    {"name": "shift-lost", "kernel": "newest", "file": GGTT, "function": "xe_ggtt_shift_nodes",
     "pattern": r"WRITE_ONCE\(ggtt->start, new_start\);", "replace": ";",
     "description": "The post-migration base shift is lost: nodes keep their pre-migration addresses."},
    {"name": "init-mm-short", "kernel": "newest", "file": GGTT, "function": "__xe_ggtt_init_early",
     "pattern": r"drm_mm_init\(&ggtt->mm, 0, size\);", "replace": "drm_mm_init(&ggtt->mm, 0, size - SZ_4K);",
     "description": "drm_mm covers one page less than the VF owns (an off-by-one in the size)."},
    # --- 6.12: the balloons ----------------------------------------------------------------------
    {"name": "balloon0-end-off", "kernel": "6.12", "file": VF, "function": "vf_balloon_ggtt",
     "pattern": r"end = config->ggtt_base;", "replace": "end = config->ggtt_base + SZ_4K;",
     "description": "The low balloon reaches one page into the VF's range."},
    {"name": "balloon1-start-off", "kernel": "6.12", "file": VF, "function": "vf_balloon_ggtt",
     "pattern": r"start = config->ggtt_base \+ config->ggtt_size;",
     "replace": "start = config->ggtt_base + config->ggtt_size + SZ_4K;",
     "description": "The high balloon starts one page late: the VF may allocate a page it does not own."},
    {"name": "deballoon-skips-high", "kernel": "6.12", "file": VF, "function": "deballoon_ggtt",
     "pattern": r"xe_ggtt_node_remove_balloon\(tile->sriov\.vf\.ggtt_balloon\[1\]\);", "replace": ";",
     "description": "Deballoon forgets the high balloon: its node and memory leak at unbind and "
                    "drm_mm_takedown() WARNs."},
]
