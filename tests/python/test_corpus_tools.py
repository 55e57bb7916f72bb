"""The corpus tools through the front door: minimise keeps the signature; bad input is one line."""
import os
import tempfile
import unittest

from common import ROOT, vgtfuzz


class CorpusTools(unittest.TestCase):
    def test_minimize_keeps_the_signature(self):
        src = os.path.join(ROOT, "corpus", "regressions", "guard-wrap-alloc-overlaps-balloon-node")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "min")
            # a path relative to where the user stands (libFuzzer runs in a scratch directory)
            p = vgtfuzz("corpus", "minimize", os.path.relpath(src, ROOT), "-o", out, cwd=ROOT)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("still hazard/alloc/guard-wrap", p.stdout)
            self.assertLess(os.path.getsize(out), os.path.getsize(src))
            p = vgtfuzz("replay", out)
            self.assertIn("verdict: hazard/alloc/guard-wrap (accepted)", p.stdout)

    def test_minimize_refuses_a_clean_case(self):
        src = os.path.join(ROOT, "corpus", "seeds", "real-g4g-m512-type4-vgpu1of3")
        p = vgtfuzz("corpus", "minimize", src, "-o", os.devnull)
        self.assertEqual(p.returncode, 2)
        self.assertIn("shows no finding", p.stderr)

    def test_encode_rejects_unknown_field(self):
        with tempfile.TemporaryDirectory() as tmp:
            spec = os.path.join(tmp, "bad.json")
            with open(spec, "w") as f:
                f.write('{"page": {"bogus": 1}}')
            p = vgtfuzz("corpus", "encode", spec, os.path.join(tmp, "out"))
            self.assertEqual(p.returncode, 2)
            self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
            self.assertIn("unknown field 'bogus'", p.stderr)

    def test_seeds_match_the_generator(self):
        p = vgtfuzz("corpus", "seeds", os.path.join(ROOT, "corpus", "seeds"), "--check")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
