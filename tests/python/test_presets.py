"""CMakePresets.json drives every build the front door makes: CMake accepts the file, every matrix
row has configure, build, test and workflow presets, and the front door's engine/sanitizer words
land on the preset that builds what they say."""
import os
import re
import subprocess
import unittest

from common import ROOT
from vgtfuzzlib import build, testsuite, trees


class Presets(unittest.TestCase):
    def test_cmake_accepts_the_presets(self):
        p = subprocess.run(["cmake", "--list-presets=all"], cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        self.assertEqual(p.returncode, 0, p.stdout)
        for name in ("gcc", "asan", "libfuzzer-asan", "afl-cmplog", "coverage", "oss-fuzz"):
            self.assertIn('"%s"' % name, p.stdout)

    def test_every_matrix_row_has_all_four_presets(self):
        for kind in ("configurePresets", "buildPresets", "testPresets"):
            names = build.preset_names(kind)
            for kernel, preset, why in testsuite.MATRIX:
                self.assertIn(preset, names, "%s row %s/%s" % (kind, kernel, preset))
        workflows = {w["name"] for w in build._load_presets()["workflowPresets"]}
        self.assertLessEqual({r[1] for r in testsuite.MATRIX}, workflows)

    def test_words_pick_the_preset_that_builds_them(self):
        cases = [({}, {"CMAKE_C_COMPILER": "gcc"}),
                 ({"sanitize": True}, {"CMAKE_C_COMPILER": "clang", "VGTFUZZ_SANITIZE": "ON"}),
                 ({"engine": "libfuzzer"}, {"VGTFUZZ_ENGINE": "libfuzzer"}),
                 ({"engine": "libfuzzer", "sanitize": True}, {"VGTFUZZ_ENGINE": "libfuzzer", "VGTFUZZ_SANITIZE": "ON"}),
                 ({"engine": "afl", "cmplog": True}, {"VGTFUZZ_ENGINE": "afl", "VGTFUZZ_AFL_CMPLOG": "ON"}),
                 ({"coverage": True}, {"CMAKE_C_COMPILER": "clang", "VGTFUZZ_COVERAGE": "ON"})]
        for words, want in cases:
            cfg = build.Config("/nonexistent/lift", **words)
            cache = build.preset_cache(cfg.preset)
            for k, v in want.items():
                self.assertEqual(cache.get(k), v, "%s -> %s: %s" % (words, cfg.preset, k))
            self.assertEqual(cfg.defines, {}, words)

    def test_what_a_preset_lacks_goes_on_top(self):
        cfg = build.Config("/x/6.12-abc", engine="libfuzzer", sanitize=True, m32=True, profile="debug")
        self.assertEqual(cfg.preset, "libfuzzer-asan")
        self.assertEqual(cfg.defines, {"VGTFUZZ_M32": "ON", "VGTFUZZ_KERNEL_PROFILE": "debug"})
        self.assertEqual(cfg.name, "6.12-abc-libfuzzer-asan-debug-i386")
        self.assertEqual(build.Config("/x/6.12-abc", preset="gcc-i386", m32=True).name, "6.12-abc-gcc-i386")

    def test_oss_fuzz_preset_builds_what_the_script_builds(self):
        """The oss-fuzz build preset's targets are the cmake targets scripts/oss-fuzz-build.sh
        builds (its build_target calls, their default, and build_xevf's)."""
        with open(os.path.join(ROOT, "scripts", "oss-fuzz-build.sh")) as f:
            sh = f.read()
        default = re.search(r"target=\$\{3:-(vgtfuzz_\w+)\}", sh)
        self.assertIsNotNone(default, "build_target's default cmake target not found")
        script = {default.group(1)} | set(re.findall(r"^\s*build_target \S+ \S+ (vgtfuzz_\w+)", sh, re.M)) \
            | set(re.findall(r"--target (vgtfuzz_\w+)", sh))
        preset = next(p for p in build._load_presets()["buildPresets"] if p["name"] == "oss-fuzz")
        self.assertEqual(sorted(preset["targets"]), sorted(script))
        self.assertIn("vgtfuzz_xevf", script)

    def test_xevf_rows_run_the_xevf_corpus_replay(self):
        """The XEVF_ROWS are rows of the matrix on 64-bit presets, and the configuration the suite
        makes for each set-up one registers ctest's xevf-corpus-replay (configured in a scratch
        build directory; nothing is built)."""
        presets = {(k, p) for k, p, _ in testsuite.MATRIX}
        self.assertTrue(testsuite.XEVF_ROWS)
        self.assertLessEqual(testsuite.XEVF_ROWS, presets)
        self.assertIn(("6.12", "gcc"), testsuite.XEVF_ROWS)
        import tempfile
        from vgtfuzzlib import extract
        from vgtfuzzlib.common import UsageError
        tried = 0
        for kernel, preset in sorted(testsuite.XEVF_ROWS):
            self.assertNotEqual(build.preset_cache(preset).get("VGTFUZZ_M32"), "ON", preset)
            try:
                trees.resolve(kernel, download=False)
            except UsageError as e:
                print("skipping the xevf row %s/%s: %s" % (kernel, preset, e))
                continue
            with tempfile.TemporaryDirectory(prefix="vgtfuzz-xevf-row-") as scratch:
                os.environ["VGTFUZZ_BUILD_DIR"] = scratch
                try:
                    cfg, era = testsuite.row_config(kernel, preset, extract.lift_kernel(kernel))
                    bdir = cfg.dir
                    build.configure(cfg, bdir)
                finally:
                    del os.environ["VGTFUZZ_BUILD_DIR"]
                self.assertTrue(bdir.startswith(scratch), bdir)
                listed = subprocess.run(["ctest", "--test-dir", bdir, "-N"], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True).stdout
            self.assertIn("xevf-corpus-replay", listed, "%s/%s" % (kernel, preset))
            self.assertTrue(era, kernel)
            tried += 1
        self.assertGreater(tried, 0, "no xevf row's tree is set up")


if __name__ == "__main__":
    unittest.main()
