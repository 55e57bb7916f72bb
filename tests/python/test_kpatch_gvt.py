"""`vgtfuzz kpatch` regression-tests the GVT-g host side (docs/gvt.md): a tree where
i915_unreserve_fence() forgets to give a vGPU's fence back (the suite's host-fence-not-returned bug,
written plain) is a patch to gt/intel_ggtt_fencing.c only, so kpatch fuzzes the gvt target, and the
committed gvt seeds already show the change (exit 1). About 40 s with builds cached."""
import os
import shutil
import tempfile
import unittest

from common import vgtfuzz


class KPatchGvt(unittest.TestCase):
    def test_a_host_fence_patch_is_a_behaviour_change(self):
        work = tempfile.mkdtemp(prefix="vgtfuzz-kpatch-gvt-")
        try:
            tree = os.path.join(work, "tree")
            p = vgtfuzz("bugs", "tree", "--plain", "host-fence-not-returned", tree)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            out = os.path.join(work, "out")
            p = vgtfuzz("kpatch", "--patched", tree, "--kernel", "6.12", "--time", "10", "--out", out)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("lifted files the patch changes: fragments/host/i915_unreserve_fence.c", p.stdout)
            self.assertRegex(p.stdout, r"CHANGED .*fence-conservation")
            self.assertIn("(gvt target)", open(os.path.join(out, "report.md")).read())
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
