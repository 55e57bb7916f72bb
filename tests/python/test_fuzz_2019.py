"""Issue 4's proof: the real 2019 bug put back into a copy of a tree is found by `vgtfuzz fuzz
--kernel DIR` within its budget. (Upstream fix 4776f3529d6b restored the early return in
vgt_deballoon_space(); deleting it makes deballoon remove never-inserted nodes.)"""
import json
import os
import re
import shutil
import tempfile
import unittest

from common import edit, tree_copy, vgtfuzz


class Bug2019(unittest.TestCase):
    def test_found_within_the_budget(self):
        tree = tree_copy("6.12")
        work = tempfile.mkdtemp(prefix="vgtfuzz-2019-")
        try:
            edit(tree, "drivers/gpu/drm/i915/i915_vgpu.c",
                 "\tif (!drm_mm_node_allocated(node))\n\t\treturn;\n", "")
            # Found within the 20 s budget (exit 1); no wall-clock threshold inside it, which a loaded
            # machine would break.
            p = vgtfuzz("fuzz", "--kernel", tree, "--time", "20", "--out", os.path.join(work, "out"),
                        "--report-dir", work, "--no-coverage")
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            findings = []
            for d in sorted(os.listdir(os.path.join(work, "out", "findings"))):
                with open(os.path.join(work, "out", "findings", d, "finding.json")) as f:
                    findings.append(json.load(f))
            self.assertTrue(findings, p.stdout)
            # The crash is the kernel's: deballoon hands drm_mm_remove_node() a node that was never
            # inserted, and drm_mm.c's first use of the node's unset list pointers faults.
            sigs = [f["signature"] for f in findings]
            self.assertTrue(any(re.match(r"(ubsan|asan)/drm_mm\.c:\d+/", s) for s in sigs), sigs)
            self.assertFalse([f for f in findings if f["accepted"]], findings)
        finally:
            shutil.rmtree(tree)
            shutil.rmtree(work)


if __name__ == "__main__":
    unittest.main()
