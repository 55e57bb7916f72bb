#!/usr/bin/env python3
"""The xevf injected-bug suite's specs still apply: each expression matches exactly once inside
its function of the tree it names (tests/bugs/xevf_suite.py). Seconds; the detection itself is
`scripts/vgtfuzz bugs run --target xevf` (minutes: reports/xevf-bugs.md)."""
import os
import shutil
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


if __name__ == "__main__":
    unittest.main()
