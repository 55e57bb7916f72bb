#!/usr/bin/env python3
"""The xevf injected-bug suite's specs still apply: each expression matches exactly once inside
its function of the tree it names (tests/bugs/xevf_suite.py). Seconds; the detection itself is
`scripts/vgtfuzz bugs run --target xevf` (minutes: reports/xevf-bugs.md)."""
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from vgtfuzzlib import trees, xevf_bugs  # noqa: E402


def have(kernel):
    try:
        trees.resolve(kernel)
        return True
    except Exception as e:  # noqa: BLE001
        print("skip %s: %s" % (kernel, e), file=sys.stderr)
        return False


@unittest.skipUnless(have("6.12") and have("newest"), "6.12 or newest not set up (scripts/vgtfuzz setup)")
class XevfBugSpecs(unittest.TestCase):
    def test_every_bug_applies_once_and_changes_its_file(self):
        bugs = xevf_bugs.load()
        self.assertGreaterEqual(len(bugs), 8)
        self.assertEqual(len({b["name"] for b in bugs}), len(bugs))
        tmp = tempfile.mkdtemp(prefix="xevf-bugspec-")
        try:
            for bug in bugs:
                dest = xevf_bugs.mutant_tree(bug, os.path.join(tmp, bug["name"]))
                with open(os.path.join(dest, bug["file"]), "rb") as a:
                    mutated = a.read()
                orig = os.path.join(xevf_bugs.xevf_lift._xe_tree(trees.resolve(bug["kernel"])), bug["file"])
                with open(orig, "rb") as b:
                    self.assertNotEqual(mutated, b.read(), bug["name"])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _patch(self, tmp, bug, mutate, name):
        """A unified diff (a/ b/ paths) from the tree's file to `mutate`(its text)."""
        orig = os.path.join(xevf_bugs.xevf_lift._xe_tree(trees.resolve(bug["kernel"])), bug["file"])
        with open(orig, encoding="utf-8", errors="surrogateescape") as f:
            a = f.read()
        b = mutate(a)
        diff = difflib.unified_diff(a.splitlines(True), b.splitlines(True), "a/" + bug["file"], "b/" + bug["file"])
        path = os.path.join(tmp, name + ".patch")
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.writelines(diff)
        return path

    def test_kpatch_reports_a_bug_and_not_a_comment(self):
        bug = next(b for b in xevf_bugs.load() if b["name"] == "guard-wopcm-le")
        tmp = tempfile.mkdtemp(prefix="xevf-kpatch-")
        try:
            mut = xevf_bugs.mutant_tree(bug, os.path.join(tmp, "tree"))
            with open(os.path.join(mut, bug["file"]), encoding="utf-8", errors="surrogateescape") as f:
                mutated = f.read()
            buggy = self._patch(tmp, bug, lambda a: mutated, "buggy")
            comment = self._patch(
                tmp, bug,
                lambda a: a.replace(" * xe_ggtt_init_early - Early GGTT initialization",
                                    " * xe_ggtt_init_early - Early GGTT initialization (a comment)", 1),
                "comment")
            vg = os.path.join(ROOT, "scripts", "vgtfuzz")
            for patch, want_rc, want in ((buggy, 1, "edge-at-wopcm"), (comment, 0, "no behaviour change")):
                p = subprocess.run([vg, "kpatch", "--target", "xevf", patch, "--kernel", "newest", "--time", "0",
                                    "--out", os.path.join(tmp, "out-" + str(want_rc))], capture_output=True, text=True)
                self.assertEqual(p.returncode, want_rc, p.stdout + p.stderr)
                self.assertIn(want, p.stdout)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
