"""The front door's bad-input paths: one line on stderr, exit 2, never a traceback."""
import os
import shutil
import unittest

from common import edit, tree_copy, vgtfuzz


class BadInput(unittest.TestCase):
    def assertOneLineError(self, p, *words):
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        self.assertNotIn("Traceback", p.stderr)
        for w in words:
            self.assertIn(w, lines[0])

    def test_unknown_subcommand(self):
        self.assertOneLineError(vgtfuzz("frobnicate"), "invalid choice")

    def test_wrong_flag(self):
        self.assertOneLineError(vgtfuzz("fuzz", "--engine", "honggfuzz"), "invalid choice")

    def test_build_dir_without_a_directory(self):
        # (an empty --build-dir= once put every build into the current directory)
        for args in (["--build-dir="], ["--build-dir"], ["--build-dir=", "lift"]):
            self.assertOneLineError(vgtfuzz(*args), "--build-dir needs a directory")

    def test_kernel_not_a_directory(self):
        self.assertOneLineError(vgtfuzz("lift", "--kernel", "/nonexistent/linux"), "/nonexistent/linux")

    def test_replay_missing_file(self):
        self.assertOneLineError(vgtfuzz("replay", "/nonexistent/crash-1"), "no such test case")

    def test_tree_lacking_a_manifest_file(self):
        tree = tree_copy()
        try:
            os.remove(os.path.join(tree, "drivers/gpu/drm/drm_mm.c"))
            self.assertOneLineError(vgtfuzz("lift", "--kernel", tree), "lacks drivers/gpu/drm/drm_mm.c", tree)
        finally:
            shutil.rmtree(tree)

    def test_unsupported_era_drm_device(self):
        tree = tree_copy()
        try:
            edit(tree, "drivers/gpu/drm/i915/i915_vgpu.c", "int intel_vgt_balloon(struct i915_ggtt *ggtt)",
                 "int intel_vgt_balloon(struct drm_device *dev)")
            self.assertOneLineError(vgtfuzz("lift", "--kernel", tree), "drm_device (4.1-4.9)", "supported:")
        finally:
            shutil.rmtree(tree)

    def test_unsupported_era_allocated_field(self):
        tree = tree_copy()
        try:
            edit(tree, "include/drm/drm_mm.h", "#define DRM_MM_NODE_ALLOCATED_BIT\t0", "\tunsigned allocated : 1;")
            self.assertOneLineError(vgtfuzz("lift", "--kernel", tree), "allocated field", "supported:")
        finally:
            shutil.rmtree(tree)

    def test_lift_is_verbatim(self):
        """Every lifted file is byte-identical to the tree's (fragments: a slice of it)."""
        import json
        p = vgtfuzz("lift", "--kernel", "6.12")
        self.assertEqual(p.returncode, 0, p.stderr)
        lifted = p.stdout.strip()
        with open(os.path.join(lifted, "LIFTED.json")) as f:
            rec = json.load(f)
        for rel, info in rec["files"].items():
            with open(os.path.join(lifted, rel), "rb") as f:
                data = f.read()
            src = info["from"].split(":")[0]
            if rel.startswith("fragments/"):
                if rel.endswith(".c"):
                    with open(os.path.join(rec["tree"], src), "rb") as f:
                        self.assertIn(data.rstrip(b"\n"), f.read(), rel)
                continue
            with open(os.path.join(rec["tree"], src), "rb") as f:
                self.assertEqual(data, f.read(), rel)


if __name__ == "__main__":
    unittest.main()
