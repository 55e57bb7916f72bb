"""A failed build says whose code does not compile: a file of ours is "our code does not build:
FILE:LINE: first error"; a lifted kernel file is "kernel K does not build against the compat layer
(FILE:LINE: ...)" with the drift check to run. Real builds of one library each, in a --build-dir of
their own (the checkout's build/ and extracted/lifted/ are not touched)."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from common import ROOT
from vgtfuzzlib import manifest, trees, variant

# Builds one configuration through the front door's build_or_one_line and prints the one line it
# raises (or "built").
BUILD = ("import sys; sys.path.insert(0, %r)\n"
         "from vgtfuzzlib import build, cli, extract\n"
         "from vgtfuzzlib.common import UsageError\n"
         "tree, extra, target = sys.argv[1:4]\n"
         "cfg = build.Config(extract.lift(tree), preset='gcc',\n"
         "                   defines={'VGTFUZZ_EXTRA_SOURCES': extra} if extra else {})\n"
         "try:\n"
         "    cli.build_or_one_line(cfg, 'K', targets=[target])\n"
         "    print('built')\n"
         "except UsageError as e:\n"
         "    print(e)\n" % os.path.join(ROOT, "scripts"))


class BuildErrors(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="vgtfuzz-builderr-")
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        try:
            self.tree = trees.resolve("6.12", download=False)
        except Exception as e:  # noqa: BLE001 (any set-up problem: say why and skip)
            self.skipTest("kernel 6.12 is not set up (%s)" % e)

    def build(self, tree, extra, target):
        p = subprocess.run([sys.executable, "-c", BUILD, tree, extra, target], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=600,
                           env=dict(os.environ, VGTFUZZ_BUILD_DIR=self.root))
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stdout)
        return lines[0]

    def test_our_file_is_blamed_on_us(self):
        broken = os.path.join(self.root, "broken_of_ours.c")
        with open(broken, "w") as f:
            f.write("/* a file of ours with a typo */\nint vgtfuzz_ok;\nint vgtfuzz_broken = ;\n")
        line = self.build(self.tree, broken, "kgtt")
        self.assertTrue(line.startswith("our code does not build: %s:3: " % broken), line)
        self.assertIn("expected expression", line)
        self.assertNotIn("compat layer", line)

    def test_lifted_file_is_blamed_on_the_compat_layer(self):
        tree = os.path.join(self.root, "tree")
        variant.copy_tree(self.tree, tree)
        self.assertIn("drivers/gpu/drm/drm_mm.c", manifest.tree_paths())
        path = os.path.join(tree, "drivers/gpu/drm/drm_mm.c")
        with open(path) as f:
            n = len(f.read().splitlines())
        with open(path, "a") as f:
            f.write("int vgtfuzz_broken = vgtfuzz_not_declared_anywhere;\n")
        line = self.build(tree, "", "kernel_lifted")
        self.assertTrue(line.startswith("kernel K does not build against the compat layer "
                                        "(drivers/gpu/drm/drm_mm.c:%d: " % (n + 1)), line)
        self.assertIn("vgtfuzz_not_declared_anywhere", line)
        self.assertIn("lift --kernel K --check", line)


if __name__ == "__main__":
    unittest.main()
