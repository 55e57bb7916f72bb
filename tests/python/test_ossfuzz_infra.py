"""`vgtfuzz oss-fuzz-build` takes OSS-Fuzz's values where the real ones can be read: sanitizer and
coverage flags from base-builder's environment, bad_build_check's thresholds from the script itself
($OSS_FUZZ_BAD_BUILD_CHECK); the committed snapshot only when neither is there."""
import os
import tempfile
import unittest
from unittest import mock

import common  # noqa: F401  (puts scripts/ on sys.path)
from vgtfuzzlib import ossfuzz


class InfraValues(unittest.TestCase):
    def test_environment_and_script_win_over_the_snapshot(self):
        with tempfile.NamedTemporaryFile("w", suffix="bad_build_check", delete=False) as f:
            f.write("#!/bin/bash\nMIN_NUMBER_OF_RUNS=7\n  THRESHOLD_FOR_NUMBER_OF_EDGES=250\n"
                    "ASAN_CALLS_THRESHOLD_FOR_ASAN_BUILD=$SOMETHING\n")
        self.addCleanup(os.unlink, f.name)
        env = {"OSS_FUZZ_BAD_BUILD_CHECK": f.name, "SANITIZER_FLAGS_address": "-fsanitize=address -fnew-flag",
               "COVERAGE_FLAGS": "-fsanitize=fuzzer-no-link -fnew-cov"}
        with mock.patch.dict(os.environ, env), mock.patch.object(ossfuzz, "BAD_BUILD_CHECK_PATHS", ()):
            san, cov, th, source = ossfuzz.infra_values("address", "libfuzzer")
            built = ossfuzz.builder_env("address", "libfuzzer", "x86_64", "/s", "/w", "/o")
        self.assertEqual(source, f.name)
        self.assertEqual(san, "-fsanitize=address -fnew-flag")
        self.assertEqual(cov, "-fsanitize=fuzzer-no-link -fnew-cov")
        self.assertEqual(th["MIN_NUMBER_OF_RUNS"], 7)
        self.assertEqual(th["THRESHOLD_FOR_NUMBER_OF_EDGES"], 250)
        # Not a number in the script: the snapshot's value stays.
        self.assertEqual(th["ASAN_CALLS_THRESHOLD_FOR_ASAN_BUILD"],
                         ossfuzz.THRESHOLDS["ASAN_CALLS_THRESHOLD_FOR_ASAN_BUILD"])
        self.assertIn("-fnew-flag", built["CFLAGS"])
        self.assertIn("-fnew-cov", built["CFLAGS"])

    def test_snapshot_without_infra(self):
        clean = {k: v for k, v in os.environ.items()
                 if k not in ("OSS_FUZZ_BAD_BUILD_CHECK", "SANITIZER_FLAGS_address", "COVERAGE_FLAGS")}
        with mock.patch.dict(os.environ, clean, clear=True), mock.patch.object(ossfuzz, "BAD_BUILD_CHECK_PATHS", ()):
            san, cov, th, source = ossfuzz.infra_values("address", "libfuzzer")
        self.assertEqual(source, "snapshot")
        self.assertEqual(san, ossfuzz.SANITIZER_FLAGS["address"])
        self.assertEqual(th["THRESHOLD_FOR_NUMBER_OF_EDGES"], ossfuzz.THRESHOLDS["THRESHOLD_FOR_NUMBER_OF_EDGES"])


if __name__ == "__main__":
    unittest.main()
