"""One verdict under every engine: the standalone replayer, the libFuzzer target and the AFL++
target give the same signature line for the same file, each run twice in a row (no state leaks
between runs). Accepted findings are shown (VGTFUZZ_SHOW_ACCEPTED=1) so they count too."""
import os
import subprocess
import unittest

from common import ROOT, vgtfuzz
from vgtfuzzlib import report

CASES = sorted(os.path.join(ROOT, "corpus", "regressions", f)
               for f in os.listdir(os.path.join(ROOT, "corpus", "regressions")))
CASES += sorted(os.path.join(ROOT, "corpus", "seeds", f)
                for f in os.listdir(os.path.join(ROOT, "corpus", "seeds")))[::8]


def built(*flags):
    p = vgtfuzz("build", *flags)
    if p.returncode != 0:
        raise AssertionError("build %s failed: %s" % (" ".join(flags), p.stderr))
    return p.stdout.strip()


def signature(cmd):
    env = dict(os.environ, VGTFUZZ_SHOW_ACCEPTED="1")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    return report.signature(p.stderr) or ("clean" if p.returncode == 0 else "died %d" % p.returncode)


class EnginesAgree(unittest.TestCase):
    def test_same_signature_everywhere(self):
        standalone = os.path.join(built("--cc", "clang", "--sanitize"), "harness", "vgtfuzz-standalone")
        libfuzzer = os.path.join(built("--engine", "libfuzzer", "--sanitize"), "harness", "vgtfuzz-libfuzzer")
        afl = os.path.join(built("--engine", "afl"), "harness", "vgtfuzz-afl")
        seen = set()
        for case in CASES:
            runs = {}
            for name, cmd in (("standalone", [standalone, "--crash", case]),
                              ("libfuzzer", [libfuzzer, case]), ("afl", [afl, case])):
                runs[name] = (signature(cmd), signature(cmd))
            verdicts = {v for pair in runs.values() for v in pair}
            self.assertEqual(len(verdicts), 1, "%s: %s" % (os.path.basename(case), runs))
            seen |= verdicts
        # The cases must exercise both outcomes, or this test proves little.
        self.assertIn("clean", seen)
        self.assertTrue(any(v.startswith("hazard/") for v in seen), seen)


if __name__ == "__main__":
    unittest.main()
