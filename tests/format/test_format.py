#!/usr/bin/env python3
"""The test-case format, described once in harness/format.def: the harness's decoder (decode.c, run
as vgtfuzz-decode, which every Python tool decodes through) against hand-worked decodings and
against scripts/vgtfuzzlib/testcase.py's encoder, which refuses any value the decoder would change,
so encode(decode(x)) must decode to decode(x) for every input. VGTFUZZ_DECODE names the
vgtfuzz-decode binary; without it the test FAILS (it would otherwise build one).

    VGTFUZZ_DECODE=build/<config>/vgtfuzz-decode python3 tests/format/test_format.py
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")
sys.path.insert(0, SCRIPTS)

from vgtfuzzlib import corpus, testcase as tc  # noqa: E402

SEEDS_DIR = os.path.join(ROOT, "corpus", "seeds")
PAGE_NAMES = ["magic", "version_major", "version_minor", "vgt_id", "vgt_caps", "mappable_base",
              "mappable_size", "unmappable_base", "unmappable_size", "fence_num"]


def setUpModule():
    path = os.environ.get("VGTFUZZ_DECODE")
    if not path:
        raise AssertionError("VGTFUZZ_DECODE is not set (path of the vgtfuzz-decode binary)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise AssertionError("VGTFUZZ_DECODE=%s: no such executable" % path)


def assertRoundTrips(test, scs, target="balloon"):
    """Every decoded scenario is a spec that encodes to bytes decoding to it again."""
    again = tc.decode_all([tc.encode(sc) for sc in scs], target)
    bad = [(json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True)) for a, b in zip(scs, again) if a != b]
    test.assertEqual(len(again), len(scs))
    test.assertFalse(bad, "%d of %d scenarios do not survive encode -> decode; first:\n  %s\n  %s"
                     % ((len(bad), len(scs)) + (bad[0] if bad else ("", ""))))


def structured(rng):
    """A random input that reaches deep into the trailer: plausible page, small trailer values."""
    page = bytearray(rng.randrange(256) for _ in range(tc.PREFIX))
    if rng.random() < 0.7:
        page[0:8] = tc.VGT_MAGIC.to_bytes(8, "little")
        page[8:10] = rng.choice([0, 1, 1, 1, 2]).to_bytes(2, "little")
    out = bytearray(page)
    small = [0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 0xff]
    for _ in range(rng.randrange(0, 120)):
        r = rng.random()
        if r < 0.6:
            out.append(rng.choice(small))
        elif r < 0.8:
            out += rng.choice([0x100000, 0x80000, 0x20000, 0x10000, 0x8000,
                              1, 0, 0x1ffff, 0x100001]).to_bytes(4, "little")
        else:
            out.append(rng.randrange(256))
    return bytes(out[:rng.randrange(len(out) + 1)] if rng.random() < 0.3 else out)


class FormatDef(unittest.TestCase):
    def test_page_rows_tile_the_prefix_at_real_offsets(self):
        off = 0
        for row in tc.PAGE_FIELDS:
            self.assertEqual(row["offset"], off, row["name"])
            off += row["width"]
        self.assertEqual(off, tc.PREFIX)
        self.assertEqual(tc.PREFIX, 0x54)
        real = {"magic": 0, "version_major": 8, "version_minor": 0xa, "vgt_id": 0xc, "vgt_caps": 0x10,
                "mappable_base": 0x40, "mappable_size": 0x44, "unmappable_base": 0x48,
                "unmappable_size": 0x4c, "fence_num": 0x50}
        for name in PAGE_NAMES:
            self.assertEqual(tc.PAGE_BY_NAME[name]["offset"], real[name], name)

    def test_constants_match_scenario_h(self):
        with open(os.path.join(ROOT, "harness", "scenario.h")) as f:
            text = f.read()
        for name in ("PAGE_SIZE", "MAX_DEVS", "MAX_PRE", "MAX_OPS"):
            m = re.search(r"#define VGTF_%s\s+(\w+)" % name, text)
            self.assertTrue(m, name)
            self.assertEqual(int(m.group(1), 0), tc.CONST[name], name)
        enum = re.search(r"enum vgtf_op_kind \{(.*?)\}", text, re.S).group(1)
        names = re.findall(r"VGTF_OP_(\w+)", enum)
        self.assertEqual(names[-1], "KINDS")
        self.assertEqual(len(names) - 1, tc.CONST["OP_KINDS"])
        for row in tc.OPKINDS:
            self.assertEqual(names.index(row["enum"]), row["value"], row["name"])

    def test_every_row_documented(self):
        for rows in tc.ROWS.values():
            for row in rows:
                self.assertTrue(row["doc"].strip(), row)
        for rec, rows in tc.FIELDS.items():
            for row in rows:
                self.assertIn(row["width"], (1, 2, 4), "%s.%s" % (rec, row["name"]))
        self.assertEqual([r["value"] for r in tc.PREKINDS], list(range(len(tc.PREKINDS))))


class Decoding(unittest.TestCase):
    def ref(self, **kw):
        spec = {"page": dict(corpus.REF_PAGE), "devices": [dict(corpus.REF_GEO)]}
        spec.update(kw)
        return spec

    def test_default_script_one_and_two_devices(self):
        sc = tc.decode(b"")
        self.assertEqual([list(o)[0] for o in sc["ops"]], ["detect", "balloon", "alloc", "deballoon"])
        self.assertEqual(sc["ops"][2]["alloc"], {"dev": 0, "size": "0x1000", "alignment": "0x0",
                                                 "range_start": "0x0", "range_end": "0x100000000",
                                                 "mode": "low", "once": False, "retry": False, "color": 0})
        two = tc.decode(tc.encode({"devices": [{}, {"total": "2G"}]}))
        self.assertEqual([(list(o)[0], list(o.values())[0]["dev"]) for o in two["ops"]],
                         [(n, d) for d in (0, 1) for n in ("detect", "balloon", "alloc", "deballoon")])
        self.assertEqual(two["ops"][6]["alloc"]["range_end"], "0x80000000")
        self.assertEqual(tc.decode(tc.encode(self.ref(ops=[])))["ops"], [])

    def test_short_inputs_take_defaults(self):
        full = tc.encode(self.ref(devices=[{"total": "2G", "mappable_end": "256M"}]))
        cut = tc.decode(full[:tc.PREFIX + 3])  # ends inside total
        self.assertEqual(cut["devices"][0]["total"], "0x100000000")
        self.assertEqual(cut["devices"][0]["mappable_end"], "0x20000000")
        cut = tc.decode(full[:tc.PREFIX + 5])  # total present, mappable_end absent
        self.assertEqual(cut["devices"][0]["total"], "0x80000000")
        self.assertEqual(cut["devices"][0]["mappable_end"], "0x20000000")
        self.assertEqual(tc.decode(full[:4])["page"]["magic"], "0x76544776")  # bytewise fill
        self.assertEqual(tc.decode(full[:0x44])["page"]["mappable_base"], "0x8000000")
        self.assertEqual(tc.decode(full[:0x43])["page"]["mappable_base"], "0x0")
        # A record exists only if its first byte is there: cutting the script shortens it.
        ops = ["detect", "balloon", {"alloc": {"size": "8K"}}, "deballoon"]
        data = tc.encode(self.ref(ops=ops))
        self.assertEqual(len(tc.decode(data[:-2])["ops"]), 3)
        partial = tc.decode(data[:-4])["ops"]  # inside the ALLOC flags/range_end
        self.assertEqual(partial[2]["alloc"]["size"], "0x2000")
        self.assertEqual(partial[2]["alloc"]["range_end"], "0x100000000")

    def test_normalisations(self):
        P = tc.PREFIX
        base = bytearray(tc.encode(self.ref(ops=[])))
        # total 0 -> 4 GiB, > 4 GiB -> 4 GiB; mappable_end > total -> total
        b = bytearray(base)
        b[P + 1:P + 5] = (0x200000).to_bytes(4, "little")
        b[P + 5:P + 9] = (0x300000).to_bytes(4, "little")
        dev = tc.decode(bytes(b))["devices"][0]
        self.assertEqual((dev["total"], dev["mappable_end"]), ("0x100000000", "0x100000000"))
        b[P + 1:P + 5] = (16).to_bytes(4, "little")  # 64 KiB GGTT
        b[P + 5:P + 9] = bytes(4)
        dev = tc.decode(bytes(b))["devices"][0]
        self.assertEqual((dev["total"], dev["mappable_end"]), ("0x10000", "0x10000"))
        # pre nodes: start mod total, size clamped, overlaps dropped, count mod 7
        b = bytearray(base[:P + 11])
        b[P + 10] = 7 + 3
        b += (0x100000 + 5).to_bytes(4, "little") + (0).to_bytes(4, "little") + b"\x04"
        b += (0xFFFFF).to_bytes(4, "little") + (9).to_bytes(4, "little") + b"\x02"
        b += (5).to_bytes(4, "little") + (1).to_bytes(4, "little") + b"\x00"
        pre = tc.decode(bytes(b))["devices"][0]["pre"]
        self.assertEqual(pre, [{"start": "0x5000", "size": "0x1000", "kind": "unevictable", "color": -1,
                                "pinned": False},
                               {"start": "0xfffff000", "size": "0x1000", "kind": "pinned", "color": 0, "pinned": True}])
        # ALLOC: size 0 -> 1 page, alignment codes, swapped range, colour and HIGH bits
        b = bytearray(base)
        b[-1] = 2
        b += b"\x03\x07" + bytes(4) + b"\x01" + (9).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"\x03"
        b += b"\x03\x00" + (1).to_bytes(4, "little") + b"\xff" + bytes(8) + b"\x00"
        a1, a2 = [o["alloc"] for o in tc.decode(bytes(b))["ops"]]
        self.assertEqual(a1, {"dev": 0, "size": "0x1000", "alignment": "0x1000", "range_start": "0x3000",
                              "range_end": "0x9000", "mode": "high", "once": False, "retry": False,
                              "color": 1})
        self.assertEqual(a2["alignment"], "0x100000000")
        # HOST_WRITE offset mask; op kind and dev modulo
        b = bytearray(base)
        b[-1] = 1
        b += b"\x0c\x05" + (0x1047).to_bytes(2, "little") + (0xdeadbeef).to_bytes(4, "little")
        self.assertEqual(tc.decode(bytes(b))["ops"], [
                         {"host_write": {"dev": 0, "offset": "0x44", "value": "0xdeadbeef"}}])

    def test_color_adjust_conflicts_dropped(self):
        def pre(nodes, ca=True):
            data = bytearray(tc.encode({"devices": [{"total": "1M", "color_adjust": ca}]}))
            data[tc.PREFIX + 10] = len(nodes)
            for s, z, k in nodes:
                data += s.to_bytes(4, "little") + z.to_bytes(4, "little") + bytes([k])
            data.append(0)  # op_count
            return [(int(n["start"], 16) // 4096, n["kind"]) for n in tc.decode(bytes(data))["devices"][0]["pre"]]
        # 256 pages. Touching nodes of different colours, colour != -1 ending at total.
        self.assertEqual(pre([(0, 1, 1), (1, 1, 3), (1, 1, 2), (255, 1, 1), (255, 1, 0)]),
                         [(0, "evictable"), (1, "pinned"), (255, "unevictable")])
        self.assertEqual(len(pre([(0, 1, 1), (1, 1, 3), (255, 1, 1)], ca=False)), 3)

    def test_errors_are_format_errors(self):
        for bad in ({"bogus": 1}, {"page": {"magic": "zz"}}, {"devices": []}, {"ops": ["fly"]},
                    {"devices": [{"total": "5G"}]}, {"devices": [{"total": "1000"}]},
                    {"ops": [{"alloc": {"alignment": "3K"}}]}, {"ops": [{"detect": {"dev": 1}}]},
                    {"ops": [{"host_write": {"offset": 2}}]}, {"mappable_base": "5G"},
                    {"devices": [{"pre": [{"start": 0}, {"start": 0}]}]},
                    {"ops": [{"alloc": {"range_start": "2G", "range_end": "1G"}}]}, [1, 2],
                    {"target": {"a": 1}}, {"target": ["drm_mm"]}):
            with self.assertRaises(tc.FormatError, msg=repr(bad)):
                tc.encode(bad)


class RoundTrip(unittest.TestCase):
    """Thousands of inputs through the decoder, and their scenarios through the encoder and back."""

    @classmethod
    def setUpClass(cls):
        rng = random.Random(20240611)
        inputs = [bytes(rng.randrange(256) for _ in range(rng.randrange(201))) for _ in range(2000)]
        inputs += [structured(rng) for _ in range(1500)]
        cls.seeds = corpus.all_seeds()
        for _, data in cls.seeds:
            inputs += [data[:n] for n in range(len(data) + 1)]
        if os.path.isdir(SEEDS_DIR):
            for name in sorted(os.listdir(SEEDS_DIR)):
                with open(os.path.join(SEEDS_DIR, name), "rb") as f:
                    inputs.append(f.read())
        cls.inputs = inputs
        cls.c_results = tc.decode_all(inputs)

    def test_every_input_decodes_and_round_trips(self):
        self.assertEqual(len(self.c_results), len(self.inputs))
        assertRoundTrips(self, self.c_results)

    def test_inputs_reach_every_feature(self):
        seen = set()
        for sc in self.c_results:
            seen.add("devs%d" % len(sc["devices"]))
            for d in sc["devices"]:
                seen.update("pre-" + n["kind"] for n in d["pre"])
                if d["color_adjust"]:
                    seen.add("color_adjust")
            for op in sc["ops"]:
                (name, a), = op.items()
                seen.add("op-" + name)
                if "mode" in a:
                    seen.add("%s-%s" % (name, a["mode"]))
                    seen.update("%s-%s" % (name, k) for k in ("once", "retry") if a[k])
            if not sc["ops"]:
                seen.add("no-ops")
        want = {"devs1", "devs2", "color_adjust", "no-ops", "alloc-once", "alloc-retry"} | \
            {"alloc-" + m for m in tc.MODES} | {"evict-high", "evict-best", "reserve-low"} | \
            {"pre-" + k["name"] for k in tc.PREKINDS} | {"op-" + o for o in tc.TARGETS["balloon"]["ops"]}
        self.assertEqual(want - seen, set())

    def test_drm_mm_target(self):
        rng = random.Random(7)
        inputs = [bytes(rng.randrange(256) for _ in range(rng.randrange(300))) for _ in range(800)]
        inputs += [structured(rng)[tc.PREFIX:] for _ in range(600)]
        for _, data in corpus.all_seeds("drm_mm"):
            inputs += [data[:n] for n in range(0, len(data) + 1, 17)] + [data]
        scs = tc.decode_all(inputs, "drm_mm")
        for data, c in zip(inputs, scs):
            self.assertEqual(len(c["devices"]), 1)
            self.assertTrue(all(list(o)[0] in ("alloc", "free", "evict", "reserve") for o in c["ops"]), data.hex())
        assertRoundTrips(self, scs, "drm_mm")

    def test_gvt_target(self):
        rng = random.Random(13)
        inputs = [bytes(rng.randrange(256) for _ in range(rng.randrange(200))) for _ in range(800)]
        for _, data in corpus.all_seeds("gvt"):
            inputs += [data[:n] for n in range(0, len(data) + 1, 7)] + [data]
        scs = tc.decode_all(inputs, "gvt")
        for data, c in zip(inputs, scs):
            self.assertEqual(len(c["devices"]), 1)
            self.assertTrue(all(list(o)[0] in ("create", "destroy", "boot", "fence_num") for o in c["ops"]), data.hex())
        assertRoundTrips(self, scs, "gvt")

    def test_seeds_round_trip_and_are_small(self):
        self.assertTrue(30 <= len(self.seeds) <= 80, len(self.seeds))
        def num(v): return v if isinstance(v, bool) or v in tc.MODES else tc.parse_num(v, "x")  # noqa: E731
        for name, spec in corpus.seed_specs():
            data = tc.encode(spec)
            self.assertLess(len(data), 200, name)
            sc = tc.decode(data)
            if "truncate" in spec:
                continue
            # encode -> decode keeps every value the spec states ...
            page = dict(spec.get("page", {}))
            for k, v in page.items():
                want = tc.VGT_MAGIC if v == "VGT_MAGIC" else num(v)
                self.assertEqual(num(sc["page"][k]), want, "%s: page.%s" % (name, k))
            for want, got in zip(spec.get("devices", []), sc["devices"]):
                for k, v in want.items():
                    if k == "pre":
                        self.assertEqual([(num(n["start"]), num(n.get("size", 4096)), n["kind"]) for n in v],
                                         [(num(n["start"]), num(n["size"]), n["kind"]) for n in got["pre"]], name)
                    else:
                        self.assertEqual(num(got[k]), num(v), "%s: devices.%s" % (name, k))
            if "ops" in spec:
                self.assertEqual(len(sc["ops"]), len(spec["ops"]), name)
                for want, got in zip(spec["ops"], sc["ops"]):
                    want = {want: {}} if isinstance(want, str) else want
                    (wn, wa), = want.items()
                    (gn, ga), = got.items()
                    self.assertEqual(wn, gn, name)
                    for k, v in wa.items():
                        if k == "offset" and v in tc.PAGE_BY_NAME:
                            v = tc.PAGE_BY_NAME[v]["offset"]
                        self.assertEqual(num(ga[k]), num(v), "%s: %s.%s" % (name, wn, k))
            # ... and the decoded scenario is a spec that encodes to itself
            again = tc.encode(sc)
            self.assertEqual(tc.decode(again), sc, name)
            self.assertEqual(tc.encode(tc.decode(again)), again, name)

    def assertCommitted(self, d, want):
        """Directory `d` holds exactly the generated (name, bytes) seeds `want`."""
        self.assertTrue(os.path.isdir(d), d)
        self.assertEqual(sorted(os.listdir(d)), sorted(n for n, _ in want))
        for name, data in want:
            with open(os.path.join(d, name), "rb") as f:
                self.assertEqual(f.read(), data, name)

    def test_committed_seeds_match_the_generator(self):
        self.assertCommitted(SEEDS_DIR, self.seeds)

    def test_committed_drm_mm_seeds_match_the_generator(self):
        self.assertCommitted(os.path.join(ROOT, "corpus", "drm_mm"), corpus.all_seeds("drm_mm"))

    def test_committed_gvt_seeds_match_the_generator(self):
        self.assertCommitted(os.path.join(ROOT, "corpus", "gvt"), corpus.all_seeds("gvt"))


class Tools(unittest.TestCase):
    def run_corpus(self, *args):
        return subprocess.run([os.path.join(SCRIPTS, "vgtfuzz"), "corpus"] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_errors_are_one_line_exit_2(self):
        with tempfile.TemporaryDirectory() as d:
            cases = {"malformed.json": "{\"page\": ", "unknown.json": "{\"devices\": [{\"totl\": 1}]}",
                     "badop.json": "{\"ops\": [{\"alloc\": {\"size\": \"3K\"}}]}"}
            for name, text in cases.items():
                p = os.path.join(d, name)
                with open(p, "w") as f:
                    f.write(text)
                r = self.run_corpus("encode", p, os.path.join(d, "out"))
                self.assertEqual(r.returncode, 2, name)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
                self.assertNotIn("Traceback", r.stderr)
            r = self.run_corpus("decode", os.path.join(d, "missing"))
            self.assertEqual((r.returncode, len(r.stderr.strip().splitlines())), (2, 1), r.stderr)
            r = self.run_corpus("bogus")
            self.assertEqual((r.returncode, len(r.stderr.strip().splitlines())), (2, 1), r.stderr)

    def test_encode_decode_cli(self):
        with tempfile.TemporaryDirectory() as d:
            spec = os.path.join(d, "in.json")
            with open(spec, "w") as f:
                json.dump({"page": {"magic": "VGT_MAGIC", "version_major": 1, "mappable_base": "128M"},
                           "devices": [{"total": "2G"}], "ops": ["detect", "balloon"]}, f)
            out = os.path.join(d, "case")
            self.assertEqual(self.run_corpus("encode", spec, out).returncode, 0)
            r = self.run_corpus("decode", out, "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            sc = json.loads(r.stdout)
            self.assertEqual(sc["devices"][0]["total"], "0x80000000")
            r = self.run_corpus("decode", out)
            self.assertIn("VGT_MAGIC", r.stdout)
            self.assertIn("balloon", r.stdout)

    def test_dictionary_parses(self):
        path = os.path.join(ROOT, "dictionaries", "vgtfuzz.dict")
        entries = {}
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                m = re.fullmatch(r'([A-Za-z_][A-Za-z0-9_]*)="((?:\\x[0-9a-f]{2})+)"', line)
                self.assertTrue(m, "line %d: %s" % (n, line))
                entries[m.group(1)] = bytes.fromhex(m.group(2).replace("\\x", ""))
        self.assertEqual(entries["magic"], tc.VGT_MAGIC.to_bytes(8, "little"))
        self.assertEqual(len(set(entries.values())), len(entries), "duplicate dictionary values")


if __name__ == "__main__":
    unittest.main()
