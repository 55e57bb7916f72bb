"""The injected-bug suite (tests/bugs/): every bug is detected, the unmutated control is not,
and a spec that no longer matches fails with one line naming the bug."""
import os
import shutil
import sys
import time
import unittest

import common  # noqa: F401  (puts scripts/ on sys.path)
from vgtfuzzlib import bugs, trees


class BugSuite(unittest.TestCase):
    def test_every_bug_detected(self):
        t0 = time.time()
        # The seeds should catch every bug; a miss gets a short libFuzzer run before it fails.
        results = bugs.run_suite(time_budget=10, progress=False)
        report = bugs.table(results) + "\n" + bugs.summary(results)
        sys.stderr.write("\n%s\n(bug suite: %.0f s)\n" % (report, time.time() - t0))
        self.assertGreaterEqual(len(results), 16, report)
        self.assertEqual(results[0]["name"], bugs.CONTROL)
        failed = [r["name"] for r in results if not bugs.passed(r)]
        self.assertEqual(failed, [], report)
        for r in results[1:]:
            self.assertTrue(r["reached"] and r["triggered"], "%s: detected but not triggered?\n%s"
                            % (r["name"], report))

    def test_stale_spec_is_one_line(self):
        bug = bugs.select(["check-mappable-end-ge"])[0]
        tree = bugs.mutant_tree(bug, trees.DEFAULT_KERNEL, plain=True)
        try:
            with open(os.path.join(tree, bug["file"])) as f:
                self.assertNotIn("VGTFUZZ_BUG", f.read())
            with self.assertRaises(bugs.BugSpecError) as cm:
                bugs.apply_bug(tree, bug)      # the comparison is already `>=`: no match
            msg = str(cm.exception)
            self.assertIn("check-mappable-end-ge", msg)
            self.assertIn("matches 0 times", msg)
            self.assertNotIn("\n", msg)
        finally:
            shutil.rmtree(tree)


if __name__ == "__main__":
    unittest.main()
