#!/usr/bin/env python3
"""The xevf target end to end on the Debian trees (docs/xevf.md): the generated corpora are as
committed; each reviewed finding's reproducer shows its signature on the era it belongs to and
not on the other; the committed seeds replay with no unaccepted finding; a tree without Xe VF
code is refused in one line. Needs `scripts/vgtfuzz setup` (6.12 and newest); says so otherwise."""
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
VGTFUZZ = os.path.join(ROOT, "scripts", "vgtfuzz")
REGS = os.path.join(ROOT, "corpus", "xevf-regressions")

from vgtfuzzlib import trees, xevf, xevf_corpus  # noqa: E402


def have(kernel):
    try:
        trees.resolve(kernel)
        return True
    except Exception as e:  # noqa: BLE001 - any set-up failure means: not available here
        print("skip %s: %s" % (kernel, e), file=sys.stderr)
        return False


def replay(kernel, *paths):
    binary = xevf.binary(kernel, "gcc")[0]
    p = subprocess.run([binary] + list(paths), capture_output=True, text=True)
    return p.returncode, p.stdout


def sigs(text):
    return {line.split()[1].rstrip(":") for line in text.splitlines()
            if line.startswith(("FINDING ", "accepted "))}


class XevfCorpora(unittest.TestCase):
    def test_generated_corpora_match(self):
        for d, which in ((os.path.join(ROOT, "corpus", "xevf"), xevf_corpus.specs), (REGS, xevf_corpus.regressions)):
            self.assertEqual(xevf_corpus.write(d, check=True, which=which), 0)

    def test_pf_slots_are_abi_valid(self):
        for n in (1, 2, 4, 7, 16, 63):
            for start, size in xevf_corpus.pf_slots(n, 4096):
                self.assertEqual(start % 4096, 0)
                self.assertLessEqual(start + size, 0xFEE00000)


@unittest.skipUnless(have("6.12") and have("newest"), "6.12 or newest not set up (scripts/vgtfuzz setup)")
class XevfFindings(unittest.TestCase):
    # What each reproducer must show, by era; and what it must not.
    EXPECT = {
        "wrap-2p63-plus-1m": ({"xevf/accept-wrap/base-7.x/probe", "xevf/node-outside/base-7.x/after-accept-wrap"},
                              {"xevf/warn-refusal/balloon-6.12/probe"}),
        "wrap-wopcm-2p64-minus-1m": ({"xevf/accept-wrap/base-7.x/probe",
                                      "xevf/pte-outside-vf/base-7.x/after-accept-wrap"},
                                     {"xevf/warn-refusal/balloon-6.12/probe"}),
        "wrap-gsm-oob-low-alloc": ({"xevf/gsm-oob/base-7.x/after-accept-wrap"}, set()),
        "requery-shift-past-top": ({"xevf/accept-outside/base-7.x/requery"},
                                   {"xevf/accept-outside/balloon-6.12/requery"}),
        "warn-on-refusal": (set(), {"xevf/warn-refusal/balloon-6.12/probe"}),
        "unaligned-accepted": ({"xevf/accept-unaligned/base-7.x/probe"}, {"xevf/accept-unaligned/balloon-6.12/probe"}),
        "requery-start-only-stale": (set(), {"xevf/stale/balloon-6.12/balloon",
                                             "xevf/node-outside/balloon-6.12/after-stale"}),
        "second-balloon-fails-dangling": (set(), {"xevf/dangling/balloon-6.12/balloon0"}),
    }

    def test_reproducers(self):
        for kernel, idx in (("newest", 0), ("6.12", 1)):
            for name, expect in self.EXPECT.items():
                rc, out = replay(kernel, os.path.join(REGS, name))
                self.assertEqual(rc, 0, "%s on %s: an unaccepted finding\n%s" % (name, kernel, out))
                self.assertTrue(expect[idx] <= sigs(out), "%s on %s: want %s, got %s" % (
                    name, kernel, sorted(expect[idx]), sorted(sigs(out))))
                other = expect[1 - idx]
                self.assertFalse(other & sigs(out), "%s on %s shows the other era's %s" % (name, kernel, other))

    def test_valid_pf_shape_is_clean_on_newest(self):
        rc, out = replay("newest", os.path.join(ROOT, "corpus", "xevf", "pf-4vf-64k-wopcm4m"))
        self.assertEqual((rc, sigs(out)), (0, set()), out)

    def test_eras_differential(self):
        p = subprocess.run([VGTFUZZ, "replay", "--target", "xevf", "--eras", REGS], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[4:8]]
                for line in p.stdout.splitlines() if line.startswith("| ") and not line.startswith("| case")}
        # 6.12, the 2025 check, newest, the model
        self.assertEqual(rows.get("wrap-2p63-plus-1m"), ["refuse (-28)", "refuse", "accept", "refuse"], p.stdout)
        self.assertEqual(rows.get("wrap-wopcm-2p64-minus-1m"), ["refuse (-28)", "refuse", "accept", "refuse"], p.stdout)
        self.assertNotIn("requery-start-only-stale", rows)     # a valid first probe: all agree

    def test_json_says_what_the_text_says(self):
        # The machine interface (--json, docs/xevf.md) and the text a person reads agree, input by
        # input, on every committed input of both eras: the findings, accepted or not, and the trace.
        files = xevf.input_files([os.path.join(ROOT, "corpus", "xevf"), REGS])
        for kernel in ("6.12", "newest"):
            exe = xevf.binary(kernel, "gcc")[0]
            lines = subprocess.run([exe, "--json"] + files, capture_output=True, text=True).stdout.splitlines()
            self.assertEqual(len(lines), len(files))
            for f, line in zip(files, lines):
                rec = json.loads(line)
                rc, text = replay(kernel, f)
                self.assertEqual(rec["input"], f)
                self.assertEqual({x["signature"] for x in rec["findings"]}, sigs(text), f)
                self.assertEqual({x["signature"] for x in rec["findings"] if x["accepted"] is None},
                                 {line.split()[1].rstrip(":") for line in text.splitlines()
                                  if line.startswith("FINDING ")}, f)
                self.assertEqual(rec["verdict"] == "finding", rc == 1, f)
                self.assertIn(rec["trace"], text, f)

    def test_seeds_replay_clean(self):
        for kernel in ("6.12", "newest"):
            rc, out = replay(kernel, "--quiet", os.path.join(ROOT, "corpus", "xevf"))
            self.assertEqual(rc, 0, out[-2000:])
            self.assertIn("0 with unaccepted findings", out)


class XevfRefusal(unittest.TestCase):
    @unittest.skipUnless(have("6.1"), "6.1 not set up")
    def test_tree_without_xe_vf_is_one_line(self):
        p = subprocess.run([VGTFUZZ, "replay", "--target", "xevf", "--kernel", "6.1",
                            os.path.join(ROOT, "corpus", "xevf", "default-script")], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertIn("no Xe SR-IOV VF code", p.stderr)


if __name__ == "__main__":
    unittest.main()
