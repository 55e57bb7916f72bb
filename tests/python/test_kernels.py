"""Every supported kernel: era detection first (one line naming the era, file and line), the drift
check, the generic annotation absorber, `newest` and bad --kernel values, each as the README runs it."""
import os
import shutil
import unittest

from common import edit, tree_copy, trees, vgtfuzz


def set_up(name):
    try:
        trees.resolve(name)
        return True
    except Exception:  # noqa: BLE001 - any reason it cannot be resolved means: not set up
        return False


class Eras(unittest.TestCase):
    def assertOneLineError(self, p, *patterns):
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        for rx in patterns:
            self.assertRegex(lines[0], rx)

    def test_4x_tree_era_before_missing_files(self):
        """A 4.x-style tree (drm_device balloon, no gt/intel_ggtt.c) is named by its era, not by a missing file."""
        tree = tree_copy()
        try:
            edit(tree, "drivers/gpu/drm/i915/i915_vgpu.c", "int intel_vgt_balloon(struct i915_ggtt *ggtt)",
                 "int intel_vgt_balloon(struct drm_device *dev)")
            edit(tree, "drivers/gpu/drm/i915/i915_vgpu.c", "i915_gem_gtt_reserve(&ggtt->vm, NULL,",
                 "drm_mm_reserve_node(&ggtt->base.mm,")
            os.remove(os.path.join(tree, "drivers/gpu/drm/i915/gt/intel_ggtt.c"))
            self.assertOneLineError(vgtfuzz("lift", "--kernel", tree), r"API era 'drm_device \(4\.1-4\.9\)'",
                                    r"drivers/gpu/drm/i915/i915_vgpu\.c:\d+: int intel_vgt_balloon\(struct drm_device",
                                    "does not support")
        finally:
            shutil.rmtree(tree)

    def test_mixed_tree(self):
        """A 6.12 tree with an older i915_vgpu.c (the 5.x call of i915_gem_gtt_reserve, no ww)."""
        tree = tree_copy()
        try:
            if set_up("5.10"):
                shutil.copy(os.path.join(trees.resolve("5.10"), "drivers/gpu/drm/i915/i915_vgpu.c"),
                            os.path.join(tree, "drivers/gpu/drm/i915/i915_vgpu.c"))
            else:
                edit(tree, "drivers/gpu/drm/i915/i915_vgpu.c", "i915_gem_gtt_reserve(&ggtt->vm, NULL, node,",
                     "i915_gem_gtt_reserve(&ggtt->vm, node,")
            p = vgtfuzz("lift", "--kernel", tree)
            self.assertOneLineError(p, "mixes API eras", r"i915_vgpu\.c:\d+ is of 'i915_ggtt without ww",
                                    r"i915_gem_gtt\.c:\d+ is of 'i915_ggtt \+ ww")
        finally:
            shutil.rmtree(tree)

    def test_no_gvt_code(self):
        tree = tree_copy()
        try:
            os.remove(os.path.join(tree, "drivers/gpu/drm/i915/i915_vgpu.c"))
            self.assertOneLineError(vgtfuzz("lift", "--kernel", tree), "lacks drivers/gpu/drm/i915/i915_vgpu.c")
        finally:
            shutil.rmtree(tree)


class Names(unittest.TestCase):
    def test_all_is_for_setup_only(self):
        p = vgtfuzz("kunit", "--kernel", "all")
        self.assertEqual(p.returncode, 2)
        self.assertIn("only `setup` takes it", p.stderr)

    def test_setup_unknown_name(self):
        p = vgtfuzz("setup", "--kernel", "4.19")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("one of 5.10, 6.1, 6.12, 7.2, newest or all", p.stderr)

    def test_debian_version_order(self):
        k = trees.version_key
        self.assertLess(k("7.3~rc7-1~exp1"), k("7.3-1"))
        self.assertLess(k("7.3~rc7-1~exp1"), k("7.3~rc8-1~exp1"))
        self.assertLess(k("5.10.259-1"), k("5.10.262-1"))
        self.assertLess(k("6.12.9-1"), k("6.12.117-1~deb12u1"))


class Drift(unittest.TestCase):
    def test_check_newest_is_clean(self):
        if not set_up("newest"):
            self.skipTest("kernel newest is not set up (scripts/vgtfuzz setup --kernel newest)")
        p = vgtfuzz("lift", "--kernel", "newest", "--check")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("the compat layer covers this tree", p.stdout)
        self.assertLessEqual(len(p.stdout.splitlines()), 24)

    def test_check_lists_what_is_lacking_and_absorbs_annotations(self):
        """A new annotation is absorbed and the build goes on; a new header and helper are listed."""
        tree = tree_copy()
        try:
            edit(tree, "include/linux/list.h", "static inline void INIT_LIST_HEAD(struct list_head *list)\n",
                 "static inline void INIT_LIST_HEAD(struct list_head *list)\n\t__vgtfuzz_test_annotation(list)\n")
            edit(tree, "drivers/gpu/drm/drm_mm.c", "#include <linux/slab.h>\n",
                 "#include <linux/slab.h>\n#include <linux/vgtfuzz_test_new_header.h>\n")
            edit(tree, "drivers/gpu/drm/drm_mm.c", "void drm_mm_takedown(struct drm_mm *mm)\n{\n",
                 "void drm_mm_takedown(struct drm_mm *mm)\n{\n\tvgtfuzz_test_new_helper(mm);\n")
            p = vgtfuzz("lift", "--kernel", tree, "--check")
            self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
            self.assertRegex(p.stdout, r"absorbed as empty: __vgtfuzz_test_annotation \(include/linux/list\.h:\d+\)")
            self.assertRegex(
                p.stdout, r"missing headers: linux/vgtfuzz_test_new_header\.h \(drivers/gpu/drm/drm_mm\.c:\d+\)")
            self.assertRegex(
                p.stdout, r"unknown identifiers.*vgtfuzz_test_new_helper \(drivers/gpu/drm/drm_mm\.c:\d+\)")
            self.assertLessEqual(len(p.stdout.splitlines()), 24)
        finally:
            shutil.rmtree(tree)


class TestNeeds(unittest.TestCase):
    def test_kunit_of_a_test_needing_what_is_missing(self):
        """A tree whose drm_mm test includes a header the tree lacks: one line, the drift check named."""
        tree = tree_copy()
        try:
            edit(tree, "drivers/gpu/drm/tests/drm_mm_test.c", "#include <drm/drm_mm.h>\n",
                 "#include <drm/drm_mm.h>\n#include \"../lib/drm_random.h\"\n")
            p = vgtfuzz("kunit", "--kernel", tree)
            self.assertEqual(p.returncode, 2, p.stderr)
            err = [l for l in p.stderr.splitlines() if "error" in l]
            self.assertEqual(len(err), 1, p.stderr)
            self.assertIn("does not build against the compat layer (drivers/gpu/drm/tests/drm_mm_test.c:", err[0])
            self.assertIn("lift --kernel %s --check" % tree, err[0])
        finally:
            shutil.rmtree(tree)


class Newest(unittest.TestCase):
    def test_kunit_newest_as_the_readme_runs_it(self):
        """`scripts/vgtfuzz kunit --kernel newest --sanitize --filter align32`: the case in both suites
        (the tree's own and 6.1's), one closing line; the suite's newest row has built it already."""
        if not set_up("newest"):
            self.skipTest("kernel newest is not set up (scripts/vgtfuzz setup --kernel newest)")
        p = vgtfuzz("kunit", "--kernel", "newest", "--sanitize", "--filter", "align32")
        self.assertEqual(p.returncode, 0, p.stdout[-3000:] + p.stderr)
        self.assertIn("# kunit_drm_mm_61: 6.1's 19-case drm_mm suite", p.stdout)
        self.assertEqual(p.stdout.strip().splitlines()[-1], "2 passed, 0 failed")


if __name__ == "__main__":
    unittest.main()
