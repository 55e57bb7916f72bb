#!/usr/bin/env python3
"""The xevf format, described once in xevf/format.def, decoded twice: xevf/decode.c (through
xevf/dump.c, compiled here with the system's cc) and scripts/vgtfuzzlib/xevf_format.py must agree
on every input: random bytes of every length, the committed seeds, and encoded specs."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from vgtfuzzlib import xevf_format as xf  # noqa: E402


class XevfFormatCrosscheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="xevf-format-")
        cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
        if not cc:
            raise unittest.SkipTest("no C compiler on PATH: cannot build xevf/dump.c")
        cls.dump = os.path.join(cls.tmp, "xevf-dump")
        subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", cls.dump,
                        os.path.join(ROOT, "xevf", "dump.c"), os.path.join(ROOT, "xevf", "decode.c")],
                       check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def c_decode(self, blobs):
        paths = []
        for i, b in enumerate(blobs):
            p = os.path.join(self.tmp, "in%05d" % i)
            with open(p, "wb") as f:
                f.write(b)
            paths.append(p)
        out = []
        for k in range(0, len(paths), 500):
            r = subprocess.run([self.dump] + paths[k:k + 500], check=True, capture_output=True, text=True)
            out += [json.loads(line) for line in r.stdout.splitlines()]
        return out

    def check(self, blobs):
        for blob, got in zip(blobs, self.c_decode(blobs)):
            want = xf.decode(blob)
            self.assertEqual(got, want, "decoders disagree on %s" % blob.hex())

    def test_random_inputs(self):
        rng = random.Random(15)
        blobs = [bytes(rng.randrange(256) for _ in range(n)) for n in range(0, 120)]
        blobs += [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 700))) for _ in range(1500)]
        self.check(blobs)

    def test_encoded_specs_round_trip(self):
        spec = {"ggtt_start": (1 << 63), "ggtt_size": (1 << 63) + (1 << 20),
                "shape_size": xf.shape("retry", mbz=True, length=3), "wopcm": "4M",
                "ops": ["probe", {"alloc": {"pages": 4096, "align_code": 7, "mode": 3, "range_mib": 65535}},
                        {"free": {"index": 9}}, {"requery": {"back": True}}, "fini"]}
        blob = xf.encode(spec)
        sc = xf.decode(blob)
        self.assertEqual(sc["ggtt_size"], (1 << 63) + (1 << 20))
        self.assertEqual(sc["wopcm"], 4 << 20)
        self.assertEqual(sc["ops"][1], ["alloc", 7 | (3 << 3), 65535, 4095])
        self.assertEqual(sc["shape_size"] & 3, 1)
        self.check([blob, blob[:-3], blob[:41], blob[:7]])

    def test_seeds(self):
        d = os.path.join(ROOT, "corpus", "xevf")
        if not os.path.isdir(d):
            self.skipTest("no corpus/xevf yet")
        blobs = []
        for n in sorted(os.listdir(d)):
            with open(os.path.join(d, n), "rb") as f:
                blobs.append(f.read())
        self.assertTrue(blobs, "corpus/xevf is empty")
        self.check(blobs)

    def test_bad_specs_refused(self):
        for bad in ({"ggtt_start": 1 << 64}, {"nope": 1}, {"ops": [{"alloc": {"pages": 0}}]},
                    {"wopcm": "3K"}, {"ops": ["dance"]}):
            with self.assertRaises(xf.FormatError):
                xf.encode(bad)


if __name__ == "__main__":
    unittest.main()
