"""`vgtfuzz kpatch` sees a real upstream drm_mm fix: 18ece75d7d74 ("drm/mm: fix hole size
comparison", 5.8) given back. Both trees are the cached 6.12 tree with the 5.8-era hole-address
walk put in (tests/history/drm_mm_58.py, our own words): the baseline with the fix, the patched
tree without it. The patch touches drm_mm.c only, so kpatch fuzzes the drm_mm target; it must
report a behaviour change (exit 1) within its fuzzing budget, and name the drm_mm target.

The budget here is 60 s, half of kpatch's default of 120 s: a pass is therefore also a pass at
the default. (Measured: 3-6 changed inputs per 30-60 s run.)"""
import os
import shutil
import sys
import tempfile
import unittest

from common import ROOT, tree_copy, vgtfuzz

sys.path.insert(0, os.path.join(ROOT, "tests", "history"))
import drm_mm_58  # noqa: E402


class KPatchDrmMm(unittest.TestCase):
    def test_18ece75d7d74_revert_is_a_behaviour_change(self):
        work = tempfile.mkdtemp(prefix="vgtfuzz-kpatch-58-")
        try:
            base = tree_copy("6.12")
            pre, post = os.path.join(work, "pre-fix"), os.path.join(work, "post-fix")
            drm_mm_58.make(base, pre, "pre")
            drm_mm_58.make(base, post, "post")
            shutil.rmtree(base, ignore_errors=True)
            out = os.path.join(work, "out")
            p = vgtfuzz("kpatch", "--patched", pre, "--kernel", post, "--time", "60", "--out", out, timeout=900)
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertIn("lifted files the patch changes: drivers/gpu/drm/drm_mm.c", p.stdout)
            self.assertIn("drm_mm target", open(os.path.join(out, "report.md")).read())
            self.assertRegex(p.stdout, r"CHANGED ")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def test_the_walk_rewrite_needs_its_anchor(self):
        with self.assertRaises(ValueError):
            drm_mm_58.rewrite("no hole walk here\n", "pre")


if __name__ == "__main__":
    unittest.main()
