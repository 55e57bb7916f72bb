"""`vgtfuzz replay`'s explanation: the picture is to scale and tells node kinds apart, void ops
say so, each device's balloon is explained from its own page (host writes included), the drm_mm
target has no page vocabulary, and the PNG is drawn."""
import os
import shutil
import tempfile
import unittest

import common
from vgtfuzzlib import replay, testcase, trees

G, M = 4 << 30, 512 << 20


def dev_state(nodes):
    return {"active": True, "caps": 0, "reserved": 0, "structure": "ok", "nodes": nodes, "holes": [], "stack": []}


def result(target, devices, ops, traces, pages_read=()):
    """A replayer object (docs/interfaces.md) with one module, for the picture's own tests."""
    sc = {"target": target, "format_version": 1, "page": testcase.decode(b"")["page"],
          "devices": devices, "ops": ops}
    return {"input": "x", "verdict": "clean", "scenario": sc, "pages_read": list(pages_read), "finding": None,
            "modules": [{"name": "kernel", "stopped": "", "stop_op": -1, "pre_ret": [[]],
                         "setup": [dev_state([])] * len(devices),
                         "ops": [{"status": 0, "ret": r, "alloc_start": 0, "warns": 0, "evictions": 0,
                                  "dev": [dev_state(n)]} for r, n in traces]}]}


PAGE = dict(testcase.decode(b"")["page"], magic="0x4776544776544776", version_major=1,
            mappable_base="0x8000000", mappable_size="0x8000000",
            unmappable_base="0x40000000", unmappable_size="0x20000000")


class Picture(unittest.TestCase):
    def balloon_case(self):
        pre = {"start": "0x18000000", "size": "0x1000", "kind": "unevictable", "color": -1, "pinned": False}
        dev = {"total": hex(G), "mappable_end": hex(M), "color_adjust": False, "pre": [pre]}
        balloon = [[0, 0x8000000, -1], [0x10000000, 0x8000000, -1], [0x18000000, 0x1000, -1],
                   [0x18001000, 0x7fff000, -1], [0x20000000, 0x20000000, -1], [0x60000000, 0xa0000000, -1]]
        alloc = sorted(balloon + [[0x5ffff000, 0x1000, 0]])
        ops = [{"detect": {"dev": 0}}, {"balloon": {"dev": 0}},
               {"alloc": {"dev": 0, "size": "0x1000", "alignment": "0x0", "range_start": "0x0",
                          "range_end": hex(G), "mode": "high", "once": False, "retry": False, "color": 0}}]
        before = [[0x18000000, 0x1000, -1]]
        res = result("balloon", [dev], ops, [(None, before), (0, balloon), (0, alloc)],
                     [{"op": 0, "dev": 0, "page": PAGE}, {"op": 1, "dev": 0, "page": PAGE}])
        res["modules"][0]["setup"] = [dev_state(before)]
        return res

    def test_to_scale_and_kinds_apart(self):
        res = self.balloon_case()
        (d, state, kinds, page, title), = replay.pictures_of(res)
        text = replay.picture(res["scenario"], d, state, kinds, page, title)
        rows = [line.split("|")[1] for line in text.splitlines() if line.count("|") >= 2]
        self.assertEqual(len(rows), replay.ROWS)
        cells = "".join(rows)
        self.assertEqual(len(cells), replay.ROWS * replay.COLS)
        # 2 MiB a cell: the 4 KiB unevictable pre-existing node is one 'o' (inside ballooned
        # space, not drawn as a balloon); the 4 KiB allocation one '#' in the last cell of the
        # hidden slice; the slices (128 + 512 MiB) are 320 cells, all free but that one.
        self.assertEqual(cells.count("o"), 1)
        self.assertEqual(cells.count("#"), 1)
        self.assertEqual(cells.index("#"), 0x60000000 // (2 << 20) - 1)
        self.assertEqual(cells.count("."), (128 + 512) // 2 - 1)
        self.assertEqual(cells.count("/"), 2048 - 320 - 1)
        self.assertEqual(cells.index("o"), 0x18000000 // (2 << 20))
        # Sub-row precision: the mappable slice starts at cell 64 (row 1, column 0), ends at 128.
        self.assertEqual(rows[1], "." * 64)
        self.assertEqual(rows[0], "/" * 64)
        # Each slice named once, the margin marks every row it covers.
        self.assertEqual(text.count("mappable slice ["), 1)
        self.assertEqual(text.count("hidden slice ["), 1)
        margins = [line.split("|")[2] for line in text.splitlines() if line.count("|") >= 2]
        self.assertEqual(sum(1 for m in margins if m.startswith(" H")), 4)
        self.assertEqual(sum(1 for m in margins if m.startswith("A")), 1)

    def test_void_ops_and_before_after(self):
        table = replay.op_table(self.balloon_case())
        self.assertIn(" 0. detect dev 0\n       all modules: done (void)", table)
        self.assertNotIn("ret 0, reserved 0\n       page", table.split(" 1. ")[0])
        self.assertIn("dev 0 nodes before = after: [0x18000000+4 KiB o]", table)
        self.assertIn("dev 0 nodes after: [0x0+128 MiB /]", table)
        self.assertIn("ballooned: [0x0, 0x8000000) [0x10000000, 0x18000000) [0x18001000, 0x20000000)", table)

    def test_drm_mm_has_no_page_vocabulary(self):
        dev = {"total": "0x20000", "mappable_end": "0x10000", "color_adjust": False, "pre": []}
        ops = [{"alloc": {"dev": 0, "size": "0x1000", "alignment": "0x0", "range_start": "0x0",
                          "range_end": "0x20000", "mode": "low", "once": False, "retry": False, "color": 0}}]
        res = result("drm_mm", [dev], ops, [(0, [[0, 0x1000, 0]])])
        (d, state, kinds, page, title), = replay.pictures_of(res)
        text = replay.picture(res["scenario"], d, state, kinds, page, title)
        for word in ("aperture", "hidden", "mappable", "ballooned", "slice"):
            self.assertNotIn(word, text)
        cells = "".join(line.split("|")[1] for line in text.splitlines() if line.count("|") >= 2)
        self.assertEqual(cells.count("#"), 64)     # 4 KiB of 128 KiB: 1/32 of 2048 cells

    def test_png(self):
        if not shutil.which("gnuplot"):
            self.skipTest("gnuplot is not installed (scripts/vgtfuzz setup installs it)")
        res = self.balloon_case()
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "x.png")
            self.assertTrue(replay.png(res["scenario"], replay.pictures_of(res), out))
            with open(out, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


class RealReplay(unittest.TestCase):
    """Through the replayer: device 1's balloon is explained from device 1's page."""

    def test_each_device_its_own_page(self):
        spec = {"page": {"magic": "VGT_MAGIC", "version_major": 1, "mappable_base": "128M", "mappable_size": "128M",
                         "unmappable_base": "1G", "unmappable_size": "512M"},
                "devices": [{}, {}],
                "ops": [{"host_write": {"dev": 1, "offset": "mappable_size", "value": "0x4000000"}},
                        {"detect": {"dev": 0}}, {"detect": {"dev": 1}}, {"balloon": {"dev": 0}},
                        {"balloon": {"dev": 1}}]}
        exe = replay.standalone(trees.DEFAULT_KERNEL)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "two-pages")
            with open(path, "wb") as f:
                f.write(testcase.encode(spec))
            res, _, _ = replay.run_json(exe, path)
        table = replay.op_table(res)
        b0 = table.split(" 3. balloon dev 0")[1].split(" 4. ")[0]
        b1 = table.split(" 4. balloon dev 1")[1]
        self.assertIn("page dev 0 read: mappable slice [0x8000000, 0x10000000)", b0)
        self.assertIn("page dev 1 read: mappable slice [0x8000000, 0xc000000)", b1)
        # The balloon of device 1 reserved around its own, smaller slice.
        self.assertIn("[0xc000000, 0x20000000)", b1)
        self.assertIn(" 0. host_write dev 1", table)
        self.assertIn("done (void)", table.split(" 1. ")[0])

    def test_front_door_replays_both_targets(self):
        with tempfile.TemporaryDirectory() as d:
            seed = os.path.join(common.ROOT, "corpus", "seeds", "pre-space1-unevictable")
            p = common.vgtfuzz("replay", "--png", d, seed)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("[0x18000000+4 KiB o]", p.stdout)
            q = common.vgtfuzz("replay", "--target", "drm_mm",
                               os.path.join(common.ROOT, "corpus", "drm_mm", "churn-01-32p"))
            self.assertEqual(q.returncode, 0, q.stderr)
            self.assertNotIn("aperture", q.stdout)
            if shutil.which("gnuplot"):
                self.assertTrue(os.path.exists(os.path.join(d, "pre-space1-unevictable.png")))
