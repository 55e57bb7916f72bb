"""The gvt target end to end through the front door (docs/gvt.md): the committed seeds replay with
every oracle holding (the three fence_num seeds that show finding 6 and the no-room seed of finding 7 are accepted),
a tree whose host code is of an unsupported era is refused in one line, and a host-side bug and a fence bug are
detected from the seeds. About a minute with the builds cached."""
import unittest

import os

from common import ROOT, vgtfuzz
from vgtfuzzlib import trees


class Gvt(unittest.TestCase):
    def test_seeds_replay_clean_on_6_12_and_6_1(self):
        for k in ("6.12", "6.1"):
            p = vgtfuzz("replay", "--target", "gvt", os.path.join(ROOT, "corpus", "gvt"), "--kernel", k)
            self.assertEqual(p.returncode, 0, p.stdout[-3000:] + p.stderr)
            self.assertEqual(p.stdout.count("verdict: clean"), 50, k)
            self.assertEqual(p.stdout.count("(accepted)"), 4, k)

    def test_5_10_is_refused_in_one_line(self):
        try:
            trees.resolve("5.10")
        except Exception as e:   # noqa: BLE001
            self.skipTest("kernel 5.10 is not set up (%s)" % e)
        p = vgtfuzz("fuzz", "--target", "gvt", "--kernel", "5.10", "--time", "5", "--no-coverage")
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("cannot run on kernel 5.10", p.stderr)

    def test_a_host_bug_and_a_fence_bug_are_detected(self):
        p = vgtfuzz("bugs", "run", "--time", "0", "host-free-keeps-hidden", "guest-fences-one-extra")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("e2e/destroy/host-nodes", p.stdout)
        self.assertIn("e2e/boot/fence-count", p.stdout)


if __name__ == "__main__":
    unittest.main()
