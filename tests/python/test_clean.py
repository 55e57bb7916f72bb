"""`vgtfuzz clean`: a bug variant's build and lift go, the lift a configuration uses stays (unless
--lifts), every build goes with --builds. Real lifts and real CMake build directories, in a
--build-dir of their own (the checkout's build/ and extracted/lifted/ are not touched)."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from common import ROOT, vgtfuzz
from vgtfuzzlib import manifest, trees, variant


class Clean(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="vgtfuzz-clean-")
        self.trees = tempfile.mkdtemp(prefix="vgtfuzz-clean-trees-")
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        self.addCleanup(shutil.rmtree, self.trees, ignore_errors=True)

    def front(self, *args):
        p = vgtfuzz("--build-dir", self.root, *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def lift_variant(self, name):
        """A lift of its own in --build-dir, as the bug suite makes one per bug: the 6.12 tree with
        one added comment."""
        tree = os.path.join(self.trees, name)
        variant.copy_tree(trees.resolve("6.12"), tree)
        self.assertIn("drivers/gpu/drm/drm_mm.c", manifest.tree_paths())
        with open(os.path.join(tree, "drivers/gpu/drm/drm_mm.c"), "a") as f:
            f.write("/* vgtfuzz clean test: %s */\n" % name)
        return tree

    def test_prunes_what_no_build_uses(self):
        used, bug = self.lift_variant("used"), self.lift_variant("bug")
        # A configuration on the lift `used`; a bug variant (its own build) on the lift `bug`.
        code = ("import sys; sys.path.insert(0, %r)\n"
                "from vgtfuzzlib import build, extract, variant\n"
                "used, bug = extract.lift(%r), extract.lift(%r)\n"
                "cfg = build.Config(used, preset='gcc')\n"
                "build.build(cfg, targets=['vgtfuzz-standalone'])\n"
                "variant.quick_build(cfg, bug, variant.variant_dir('bugs', bug, cfg, 'standalone'))\n"
                "print(used, bug, cfg.dir)\n" % (os.path.join(ROOT, "scripts"), used, bug))
        p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, VGTFUZZ_BUILD_DIR=self.root), timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        used_lift, bug_lift, configured = p.stdout.split()
        for d in (used_lift, bug_lift, configured):
            self.assertTrue(d.startswith(self.root + os.sep), d)
        bugs_dir = os.path.join(self.root, "bugs")
        variants = [d for d in os.listdir(bugs_dir) if d.startswith(os.path.basename(bug_lift))]
        self.assertTrue(variants, os.listdir(bugs_dir))

        out = self.front("clean", "--dry-run")
        self.assertIn("would remove " + bug_lift, out)
        self.assertNotIn(used_lift, out)
        self.assertNotIn(configured, out)
        self.assertTrue(os.path.isdir(bug_lift), "--dry-run removed something")

        out = self.front("clean")
        self.assertFalse(os.path.exists(bug_lift), out)
        self.assertEqual(os.listdir(bugs_dir), [], out)
        self.assertTrue(os.path.isdir(used_lift), out)
        self.assertTrue(os.path.isdir(configured), out)

        self.front("clean", "--lifts")
        self.assertFalse(os.path.exists(used_lift))
        self.assertTrue(os.path.isdir(configured))

        os.makedirs(os.path.join(self.root, "oss-fuzz", "address-libfuzzer-x86_64"))   # not a CMake build
        self.front("clean", "--builds")
        self.assertFalse(os.path.exists(configured))
        self.assertFalse(os.path.exists(bugs_dir))
        self.assertEqual(os.listdir(self.root), ["lifted"])

    def test_keeps_the_xevf_lift_a_configuration_uses(self):
        """A configuration of the xevf target names its lift only as VGTFUZZ_XEVF_DIR (the balloon
        lift of the same tree is its VGTFUZZ_KERNEL_DIR): the default clean keeps both, --lifts
        removes both."""
        code = ("import sys; sys.path.insert(0, %r)\n"
                "from vgtfuzzlib import build, xevf_lift\n"
                "xl, base, era = xevf_lift.lift_kernel('6.12')\n"
                "cfg = build.Config(base, preset='gcc', defines={'VGTFUZZ_XEVF_DIR': xl})\n"
                "build.configure(cfg, cfg.dir)\n"
                "print(xl, base, cfg.dir)\n" % os.path.join(ROOT, "scripts"))
        p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, VGTFUZZ_BUILD_DIR=self.root), timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        xevf_lift, base_lift, configured = p.stdout.split()
        for d in (xevf_lift, configured):
            self.assertTrue(d.startswith(self.root + os.sep), d)
        # The balloon lift may be the checkout's own (extract.lift reuses an identical one there):
        # then it is outside this --build-dir, and clean must not touch it either way.
        base_here = base_lift.startswith(self.root + os.sep)
        with open(os.path.join(configured, "CMakeCache.txt")) as f:
            self.assertIn("VGTFUZZ_XEVF_DIR:PATH=" + xevf_lift, f.read())

        out = self.front("clean")
        self.assertTrue(os.path.isdir(xevf_lift), out)
        self.assertTrue(os.path.isdir(base_lift), out)
        self.assertNotIn(xevf_lift, out)

        out = self.front("clean", "--lifts")
        self.assertFalse(os.path.exists(xevf_lift), out)
        self.assertEqual(os.path.exists(base_lift), not base_here, out)
        self.assertTrue(os.path.isdir(configured), out)


if __name__ == "__main__":
    unittest.main()
