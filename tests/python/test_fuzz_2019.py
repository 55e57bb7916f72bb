"""Issue 4's proof: the real 2019 bug put back into a copy of a tree is found by `vgtfuzz fuzz
--kernel DIR` within seconds. (Upstream fix 4776f3529d6b restored the early return in
vgt_deballoon_space(); deleting it makes deballoon remove never-inserted nodes.)"""
import os
import shutil
import tempfile
import unittest

from common import edit, tree_copy, vgtfuzz


class Bug2019(unittest.TestCase):
    def test_found_within_seconds(self):
        tree = tree_copy("6.12")
        work = tempfile.mkdtemp(prefix="vgtfuzz-2019-")
        try:
            edit(tree, "drivers/gpu/drm/i915/i915_vgpu.c",
                 "\tif (!drm_mm_node_allocated(node))\n\t\treturn;\n", "")
            p = vgtfuzz("fuzz", "--kernel", tree, "--time", "20", "--out", os.path.join(work, "out"),
                        "--report-dir", work, "--no-coverage")
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("FINDING", p.stdout)
            first = [l for l in p.stdout.splitlines() if l.startswith("first crash after")]
            self.assertTrue(first, p.stdout)
            self.assertLess(float(first[0].split()[3]), 10.0, p.stdout)
            # The crash is the kernel's: deballoon removing a node that was never inserted.
            decoded = []
            for d in os.listdir(os.path.join(work, "out", "findings")):
                with open(os.path.join(work, "out", "findings", d, "finding.json")) as f:
                    decoded.append(f.read())
            self.assertTrue(any("SEGV" in s or "deballoon" in s or "list_del" in s for s in decoded), decoded)
        finally:
            shutil.rmtree(tree)
            shutil.rmtree(work)


if __name__ == "__main__":
    unittest.main()
