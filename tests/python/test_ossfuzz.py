"""The OSS-Fuzz / ClusterFuzzLite build: `vgtfuzz oss-fuzz-build` as the README writes it runs
oss-fuzz/build.sh in the emulated base-builder environment (address, libFuzzer, x86_64), twice in a
row, its build checks pass, and $OUT holds
what ClusterFuzz picks up: the target, its .dict, .options and a seed corpus zip with every seed and
regression."""
import configparser
import os
import unittest
import zipfile

from common import ROOT, vgtfuzz
from vgtfuzzlib.common import build_root

TARGET = "vgtfuzz_balloon"


# The README's command, exactly (issue 11: it once passed only with --out/--work outside the checkout).
README_COMMAND = ["oss-fuzz-build", "--sanitizer", "address", "--engine", "libfuzzer", "--arch", "x86_64"]


class OssFuzzBuild(unittest.TestCase):
    def test_readme_command_twice_in_a_row(self):
        with open(os.path.join(ROOT, "README.md")) as f:
            self.assertIn("\n  scripts/vgtfuzz %s\n" % " ".join(README_COMMAND), f.read())
        for run in (1, 2):
            p = vgtfuzz(*README_COMMAND, timeout=600)
            self.assertEqual(p.returncode, 0, "run %d: %s%s" % (run, p.stdout, p.stderr))
            self.assertIn(" 0 failed", p.stdout.strip().splitlines()[-1])
        out = os.path.join(build_root(), "oss-fuzz", "address-libfuzzer-x86_64", "out")
        exe = os.path.join(out, TARGET)
        self.assertTrue(os.path.isfile(exe) and os.access(exe, os.X_OK), os.listdir(out))
        with open(os.path.join(out, TARGET + ".dict"), "rb") as a, \
                open(os.path.join(ROOT, "dictionaries", "vgtfuzz.dict"), "rb") as b:
            self.assertEqual(a.read(), b.read())
        opts = configparser.ConfigParser()
        opts.read(os.path.join(out, TARGET + ".options"))
        self.assertEqual(opts["libfuzzer"]["dict"], TARGET + ".dict")
        self.assertGreater(int(opts["libfuzzer"]["max_len"]), 0)

        with zipfile.ZipFile(os.path.join(out, TARGET + "_seed_corpus.zip")) as z:
            names = set(z.namelist())
            for d in ("seeds", "regressions"):
                src = os.path.join(ROOT, "corpus", d)
                for n in os.listdir(src):
                    self.assertIn(n, names, "corpus/%s/%s missing from the seed corpus zip" % (d, n))
                    with open(os.path.join(src, n), "rb") as f:
                        self.assertEqual(z.read(n), f.read(), n)

    def test_afl_i386_is_a_setup_error(self):
        p = vgtfuzz("oss-fuzz-build", "--engine", "afl", "--arch", "i386")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("i386", p.stderr)


if __name__ == "__main__":
    unittest.main()
