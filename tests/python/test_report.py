"""The machine interface: report.py against the golden crash reports in tests/report/, and the
replayer's JSON lines (docs/interfaces.md) against the Python decoder and the format's void ops."""
import glob
import json
import os
import subprocess
import unittest

import common
from vgtfuzzlib import replay, report, testcase, trees

GOLDEN = os.path.join(common.ROOT, "tests", "report")


class Golden(unittest.TestCase):
    def test_every_report_parses_as_written_down(self):
        inputs = sorted(glob.glob(os.path.join(GOLDEN, "*.txt")))
        self.assertGreaterEqual(len(inputs), 5)
        for txt in inputs:
            want_path = txt[:-4] + ".json"
            self.assertTrue(os.path.exists(want_path), "%s has no expected .json" % txt)
            with open(txt, errors="replace") as f, open(want_path) as g:
                got, want = report.parse(f.read()), json.load(g)
            self.assertEqual(got, want, os.path.basename(txt))

    def test_no_expectation_without_its_input(self):
        for js in glob.glob(os.path.join(GOLDEN, "*.json")):
            self.assertTrue(os.path.exists(js[:-5] + ".txt"), js)

    def test_afl_crash_names(self):
        self.assertEqual(report.afl_crash("id:000003,sig:06,src:000001,time:1234,execs:99,op:havoc,rep:2"),
                         {"id": 3, "signal": 6})
        self.assertEqual(report.afl_crash("crashes/id:000000,src:000002,time:5,op:flip1,pos:3"),
                         {"id": 0, "signal": None})
        self.assertIsNone(report.afl_crash("README.txt"))

    def test_a_line_cut_by_a_crash_is_dropped(self):
        self.assertEqual(report.replayer_lines('{"input": "a"}\n{"input": "b", "sc'), [{"input": "a"}])


class ReplayerJson(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.exe = replay.standalone(trees.DEFAULT_KERNEL)

    def lines(self, *args):
        p = subprocess.run([self.exe, "--json"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        return report.replayer_lines(p.stdout)

    def test_one_line_per_input_in_name_order_with_the_decoded_scenario(self):
        for target, d in (("balloon", os.path.join(common.ROOT, "corpus", "seeds")),
                          ("drm_mm", os.path.join(common.ROOT, "corpus", "drm_mm"))):
            names = sorted(n for n in os.listdir(d) if not n.startswith("."))
            got = self.lines("--target", target, d)
            self.assertEqual([os.path.basename(r["input"]) for r in got], names)
            blobs = []
            for r in got:
                with open(r["input"], "rb") as f:
                    blobs.append(f.read())
            # the input's own scenario, as vgtfuzz-decode decodes the same bytes for the same target
            self.assertEqual([r["scenario"] for r in got], testcase.decode_all(blobs, target))
            for r in got:
                self.assertIn(r["verdict"], ("clean", "accepted", "finding", "nondeterministic"))
                self.assertEqual(len(r["modules"]), 2)
                for m in r["modules"]:
                    self.assertEqual(len(m["ops"]), len(r["scenario"]["ops"]))

    def test_void_ops_have_no_result_and_balloons_name_their_page(self):
        seed = os.path.join(common.ROOT, "corpus", "seeds", "hostwrite-makes-a-vgpu")
        r, = self.lines(seed)
        kinds = [testcase.op_kind(o) for o in r["scenario"]["ops"]]
        for m in r["modules"]:
            for kind, o in zip(kinds, m["ops"]):
                if kind in ("detect", "deballoon", "host_write"):
                    self.assertIsNone(o["ret"], kind)
                elif o["status"] == 0:
                    self.assertIsInstance(o["ret"], int, kind)
        read = {p["op"]: p for p in r["pages_read"]}
        self.assertEqual(sorted(read), [i for i, k in enumerate(kinds) if k in ("detect", "balloon")])
        first_balloon = kinds.index("balloon")
        writes = [o["host_write"] for o in r["scenario"]["ops"][:first_balloon] if "host_write" in o]
        self.assertTrue(writes, "the seed writes the page before it balloons")
        # The host's writes before the balloon show in the page it read, not in the input's page.
        self.assertNotEqual(read[first_balloon]["page"], r["scenario"]["page"])
        self.assertEqual(read[first_balloon]["page"]["magic"], "0x4776544776544776")

    def test_real_seeds_balloon_cleanly(self):
        # The seeds made from real GVT-g pages (corpus.py) balloon with 0 in both modules.
        seeds = os.path.join(common.ROOT, "corpus", "seeds")
        real = sorted(os.path.join(seeds, n) for n in os.listdir(seeds) if n.startswith("real-"))
        self.assertTrue(real)
        for r in self.lines(*real):
            kinds = [testcase.op_kind(o) for o in r["scenario"]["ops"]]
            i = kinds.index("balloon")
            for m in r["modules"]:
                self.assertEqual((m["ops"][i]["status"], m["ops"][i]["ret"]), (0, 0), (r["input"], m["name"]))


class BlameTheDeadInput(unittest.TestCase):
    """replay_inputs(): a replayer that dies is blamed on the first input it wrote no line for,
    and the inputs after it are replayed by a new process. The replayer here is a stand-in script
    that dies on any input named 'bad' with a real report from tests/report/."""

    def test_crash_in_the_middle(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "replayer")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\nshift\nfor a in \"$@\"; do\n"
                        "  case \"$a\" in *bad) cat '%s' >&2; exit 1;; esac\n"
                        "  printf '{\"input\":\"%%s\",\"verdict\":\"clean\",\"finding\":null}\\n' \"$a\"\n"
                        "done\n" % os.path.join(GOLDEN, "ubsan-null-member-access.txt"))
            os.chmod(fake, 0o755)
            got = [(r["input"], r["signature"]) for r in replay.replay_inputs(fake, ["a", "bad", "c", "bad", "e"])]
        self.assertEqual(got, [("a", None), ("bad", "ubsan/drm_mm.c:640/null"), ("c", None),
                               ("bad", "ubsan/drm_mm.c:640/null"), ("e", None)])
