"""`vgtfuzz kpatch`: the 2019 bug given back as a patch is reported (exit 1, the crash at
deballoon, a reproducer), a comment-only patch to drm_mm.c is "no behaviour change" (exit 0), a
patch to nothing lifted is said so (exit 0), and a patch that does not apply is one line (exit 2).
The patches are made at run time with `diff -u` from copies of the cached 6.12 tree; no kernel
text is in this file (the 2019 edit is the bug suite's spec)."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from common import tree_copy, vgtfuzz
from vgtfuzzlib import bugs

MM = "drivers/gpu/drm/drm_mm.c"


def kpatch(*args):
    return vgtfuzz("kpatch", *args)


def make_patch(base, edited, out):
    p = subprocess.run(["diff", "-ruN", os.path.basename(base), os.path.basename(edited)], cwd=os.path.dirname(base),
                       stdout=subprocess.PIPE, text=True)
    assert p.returncode == 1 and p.stdout, "diff found no change"
    with open(out, "w") as f:
        f.write(p.stdout)
    return out


class KPatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="vgtfuzz-kpatch-")
        cls.base = os.path.join(cls.work, "a")
        shutil.move(tree_copy("6.12"), cls.base)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work)

    def edited(self, name):
        d = os.path.join(self.work, name)
        shutil.copytree(self.base, d)
        return d

    def test_2019_bug_is_reported(self):
        tree = self.edited("bug2019")
        bugs.apply_bug(tree, bugs.select(["deballoon-2019-unallocated-node"])[0], plain=True)
        patch = make_patch(self.base, tree, os.path.join(self.work, "bug2019.patch"))
        out = os.path.join(self.work, "out-bug2019")
        p = kpatch(patch, "--time", "10", "--out", out)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("lifted files the patch changes: drivers/gpu/drm/i915/i915_vgpu.c", p.stdout)
        changed = [l for l in p.stdout.splitlines() if l.startswith("CHANGED")]
        self.assertTrue(changed, p.stdout)
        # Clean before, a crash in drm_mm_remove_node() from the deballoon after.
        self.assertTrue(any("clean -> CRASH" in l for l in changed), p.stdout)
        self.assertRegex(p.stdout, r"after:  CRASH .* in .*drm_mm_remove_node")
        m = re.search(r"committed corpus: (\d+) inputs replayed on both trees, (\d+) changed", p.stdout)
        self.assertTrue(m and int(m.group(2)) > 0, p.stdout)
        with open(os.path.join(out, "report.md")) as f:
            report = f.read()
        self.assertIn("CRASH", report)
        repro = re.search(r"scripts/vgtfuzz replay (\S+) --kernel 6\.12", report).group(1)
        self.assertTrue(os.path.isfile(repro), report)

    def test_comment_only_patch_changes_nothing(self):
        tree = self.edited("comment")
        path = os.path.join(tree, MM)
        with open(path) as f:
            text = f.read()
        text, n = re.subn(r"(?m)^/\*\*$", "/**\n * vgtfuzz test: a comment-only edit.", text, count=3)
        self.assertEqual(n, 3)
        with open(path, "w") as f:
            f.write(text)
        patch = make_patch(self.base, tree, os.path.join(self.work, "comment.patch"))
        p = kpatch(patch, "--time", "10", "--out", os.path.join(self.work, "out-comment"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("lifted files the patch changes: %s" % MM, p.stdout)
        self.assertIn("no behaviour change", p.stdout)
        self.assertNotIn("CHANGED", p.stdout)

    def test_patch_outside_the_lifted_code(self):
        tree = self.edited("nolift")
        os.makedirs(os.path.join(tree, "Documentation"))
        with open(os.path.join(tree, "Documentation", "vgtfuzz.txt"), "w") as f:
            f.write("not lifted\n")
        patch = make_patch(self.base, tree, os.path.join(self.work, "nolift.patch"))
        p = kpatch(patch, "--time", "10", "--out", os.path.join(self.work, "out-nolift"))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("the patch touches none of the lifted code", p.stdout)

    def test_patch_that_does_not_apply(self):
        tree = self.edited("noapply")
        bugs.apply_bug(tree, bugs.select(["check-mappable-end-ge"])[0], plain=True)
        patch = make_patch(self.base, tree, os.path.join(self.work, "noapply.patch"))
        with open(patch) as f:
            text = f.read()
        with open(patch, "w") as f:   # the line it removes is not in the tree
            f.write(re.sub(r"(?m)^-(?!--)", "-vgtfuzz ", text, count=1))
        p = kpatch(patch, "--out", os.path.join(self.work, "out-noapply"))
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        err = [l for l in p.stderr.splitlines() if l.strip()]
        self.assertEqual(len(err), 1, p.stderr)
        self.assertIn("does not apply", err[0])


if __name__ == "__main__":
    unittest.main()
