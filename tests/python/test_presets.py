"""CMakePresets.json drives every build the front door makes: CMake accepts the file, every matrix
row has configure, build, test and workflow presets, and the front door's engine/sanitizer words
land on the preset that builds what they say."""
import subprocess
import unittest

from common import ROOT
from vgtfuzzlib import build, testsuite


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


if __name__ == "__main__":
    unittest.main()
