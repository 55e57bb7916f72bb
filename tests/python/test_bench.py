"""`vgtfuzz bench --throughput` keeps its contract: it runs both yardstick targets end to end and
its last line is exactly the one a script reads. (A smoke test of the measurement, not a timing:
the figures themselves are the benchmark's business, never asserted here.)"""
import re
import shutil
import tempfile
import unittest

from common import vgtfuzz


class Throughput(unittest.TestCase):
    def test_last_line_and_report(self):
        out = tempfile.mkdtemp(prefix="vgtfuzz-bench-test-")
        try:
            p = vgtfuzz("bench", "--throughput", "--runs", "3000", "--rounds", "1", "--kpatch-seconds", "0",
                        "--report-dir", out, timeout=900)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            last = p.stdout.strip().splitlines()[-1]
            self.assertRegex(last, r"^throughput: \d+% of the oracle-free kernel-only target \(plain\), "
                                   r"\d+% \(ASan\+UBSan\)$")
            with open(re.search(r"report: (\S+)", p.stdout).group(1)) as f:
                report = f.read()
            for row in ("| plain | balloon |", "| plain | drm_mm |", "| ASan+UBSan | balloon |"):
                self.assertIn(row, report)
        finally:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
