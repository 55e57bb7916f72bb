"""The xevf target's seed corpus (corpus/xevf), generated deterministically.

Real shapes: what the PF hands a VF (xe_gt_sriov_pf_config.c, read for the rules, not copied): the
PF's GGTT spans [WOPCM, GUC_GGTT_TOP); fair provisioning gives each of n VFs
rounddown_pow_of_two(ALIGN_DOWN(GUC_GGTT_TOP, 512 MiB) / n) (56 MiB past 56 VFs), sizes rounded up
to the PF's alignment (4 KiB, or 64 KiB on dGPUs needing 64K pages); the PF inserts each VF's
node top-down (drm_mm HIGH), below its own reserved spare (64 MiB). WOPCM is 2, 4 or 8 MiB
(xe_wopcm.c). A migration moves a VF to another VF's slot of the same size.
Edges: the 7.x wrap pairs, empty, unaligned, below WOPCM, past GUC_GGTT_TOP, a re-query that changes
the size or only the start, every reply shape, and allocation churn.
"""
import os
import pathlib
import sys

from .common import atomic_write, say
from . import xevf_format as xf

TOP = 0xFEE00000
SPARE = 64 << 20
SHAREABLE = TOP & ~((512 << 20) - 1)


def _pow2_floor(n):
    return 1 << (n.bit_length() - 1)


def pf_slots(num_vfs, align):
    """(start, size) of each VF as a fresh PF provisions them fairly: top-down below its spare, the
    first start aligned down and each next one a (rounded-up, so aligned) size lower."""
    size = (56 << 20) if num_vfs > 56 else _pow2_floor(SHAREABLE // num_vfs)
    size = (size + align - 1) // align * align
    first = (TOP - SPARE - size) // align * align
    return [(first - i * size, size) for i in range(num_vfs)]


CHURN = ["probe", {"alloc": {"pages": 1}}, {"alloc": {"pages": 16, "align_code": 5}},
         {"alloc": {"pages": 4, "mode": 1}}, {"free": {"index": 0}}, {"alloc": {"pages": 2, "mode": 2}}]


def specs():
    out = []
    for wopcm in (2 << 20, 4 << 20, 8 << 20):
        for n, align in ((1, 4096), (2, 4096), (4, 65536), (7, 4096), (16, 4096), (63, 65536)):
            slots = pf_slots(n, align)
            if slots[-1][0] < wopcm:
                continue
            first, last = slots[0], slots[-1]
            out.append(("pf-%dvf-%dk-wopcm%dm" % (n, align >> 10, wopcm >> 20),
                        {"ggtt_start": last[0], "ggtt_size": last[1], "requery_start": first[0],
                         "requery_size": first[1], "wopcm": wopcm,
                         "ops": CHURN + [{"requery": {}}, {"alloc": {"pages": 3}}, {"requery": {"back": True}},
                                         "fini"]}))
    w = 4 << 20
    vf = pf_slots(4, 4096)[1]
    edges = {
        "wrap-2p63": ((1 << 63), (1 << 63) + (1 << 20), {}),
        "wrap-wopcm-2p64m1m": (w, (1 << 64) - (1 << 20), {}),
        "wrap-top-exact": (TOP, (1 << 64) - TOP + TOP, {}),
        "empty": (vf[0], 0, {}),
        "unaligned-start": (vf[0] + 1, vf[1], {}),
        "unaligned-size": (vf[0], vf[1] - 1, {}),
        "below-wopcm": (w - 4096, vf[1], {}),
        "at-wopcm": (w, vf[1], {}),
        "to-top": (TOP - vf[1], vf[1], {}),
        "past-top": (TOP - vf[1] + 4096, vf[1], {}),
        "whole": (w, TOP - w, {}),
        "requery-size-change": (vf[0], vf[1], {"requery_start": vf[0], "requery_size": vf[1] * 2}),
        "requery-start-only": (vf[0], vf[1], {"requery_start": vf[0] - vf[1], "requery_size": vf[1]}),
        "requery-start-wrap": (vf[0], vf[1], {"requery_start": (1 << 64) - vf[1] + (1 << 20), "requery_size": vf[1]}),
        "requery-past-top": (vf[0], vf[1], {"requery_start": TOP - vf[1] + (16 << 20), "requery_size": vf[1]}),
    }
    for name, (start, size, extra) in edges.items():
        spec = {"ggtt_start": start % (1 << 64), "ggtt_size": size % (1 << 64), "wopcm": w,
                "requery_start": start % (1 << 64), "requery_size": size % (1 << 64),
                "ops": CHURN + [{"requery": {}}, {"alloc": {"pages": 1}}, {"alloc": {"pages": 1, "mode": 1}}, "fini"]}
        spec.update(extra)
        out.append(("edge-" + name, spec))
    for status in ("retry", "busy", "failure"):
        for field in ("shape_start", "shape_size", "shape_rq_size"):
            out.append(("reply-%s-%s" % (status, field[6:]),
                        {"ggtt_start": vf[0], "ggtt_size": vf[1], "requery_start": vf[0], "requery_size": vf[1],
                         "wopcm": w, field: xf.shape(status), "ops": ["probe", {"requery": {}}, "fini"]}))
    for label, sh in (("mbz", xf.shape(0, mbz=True)), ("len1", xf.shape(0, length=1)),
                      ("len3", xf.shape(0, length=3)), ("len0", xf.shape(0, length=0))):
        out.append(("reply-%s-size" % label, {"ggtt_start": vf[0], "ggtt_size": vf[1], "wopcm": w,
                                              "shape_size": sh, "ops": ["probe", "fini"]}))
    out.append(("default-script", {"ggtt_start": vf[0], "ggtt_size": vf[1], "wopcm": w}))
    return out


def regressions():
    """Minimal reproducers of the reviewed findings (reports/findings.md), one per item: the header
    and the fewest ops that show it (corpus/xevf-regressions)."""
    w = 4 << 20
    vf = pf_slots(4, 4096)[1]
    return [
        # 7.x: the u64 wrap in xe_ggtt_init_early()'s guard
        ("wrap-2p63-plus-1m", {"ggtt_start": 1 << 63, "ggtt_size": (1 << 63) + (1 << 20), "wopcm": w,
                               "ops": ["probe", {"alloc": {"pages": 1}}]}),
        ("wrap-wopcm-2p64-minus-1m", {"ggtt_start": w, "ggtt_size": (1 << 64) - (1 << 20), "wopcm": w,
                                      "ops": ["probe", {"alloc": {"pages": 1}}]}),
        ("wrap-gsm-oob-low-alloc", {"ggtt_start": 1 << 63, "ggtt_size": (1 << 63) + (1 << 20), "wopcm": w,
                                    "ops": ["probe", {"alloc": {"pages": 1, "mode": 1}}]}),
        # 7.x: migration to a start past GUC_GGTT_TOP (shift checked by debug asserts only)
        ("requery-shift-past-top", {"ggtt_start": vf[0], "ggtt_size": vf[1], "wopcm": w,
                                    "requery_start": TOP - vf[1] + (16 << 20), "requery_size": vf[1],
                                    "ops": ["probe", "requery", {"alloc": {"pages": 1}}]}),
        # 7.x: migrated to a start whose range ends at 2^64: removing the top node clears PTEs
        # through the whole wrapped address space (xe_ggtt_clear's `start < end` never fails)
        ("requery-wrap-clear-runaway", {"ggtt_start": vf[0], "ggtt_size": vf[1], "wopcm": w,
                                        "requery_start": (1 << 64) - vf[1], "requery_size": vf[1],
                                        "ops": ["probe", "requery", {"alloc": {"pages": 1}}, {"free": {}}]}),
        # 6.12: WARN on a refusal (start past GUC_GGTT_TOP)
        ("warn-on-refusal", {"ggtt_start": TOP, "ggtt_size": vf[1], "wopcm": w, "ops": ["probe"]}),
        # 6.12 (and 7.x): unaligned start accepted
        ("unaligned-accepted", {"ggtt_start": vf[0] + 1, "ggtt_size": vf[1], "wopcm": w, "ops": ["probe"]}),
        # 6.12: a re-query that changes only the start; the balloons keep the old range
        ("requery-start-only-stale", {"ggtt_start": vf[0], "ggtt_size": vf[1], "wopcm": w,
                                      "requery_start": vf[0] - vf[1], "requery_size": vf[1],
                                      "ops": ["probe", "requery", {"alloc": {"pages": 1}}]}),
        # 6.12: the second balloon fails; the first one's pointer is left dangling
        ("second-balloon-fails-dangling", {"ggtt_start": vf[0], "ggtt_size": TOP, "wopcm": w, "ops": ["probe"]}),
    ]


def write(outdir, check=False, which=None):
    """Write the generated test cases (`which`: specs or regressions) into `outdir`, removing any
    other file there; with `check`, only say whether `outdir` holds exactly them (exit 0 or 1)."""
    want = {name: xf.encode(spec) for name, spec in (which or specs)()}
    have = {p.name: p.read_bytes() for p in pathlib.Path(outdir).iterdir()} if os.path.isdir(outdir) else {}
    if check:
        bad = sorted(n for n in set(want) | set(have) if want.get(n) != have.get(n))
        if bad:
            print("%s differs from the generator (%s): run `scripts/vgtfuzz corpus seeds %s --target xevf`"
                  % (outdir, ", ".join(bad[:5]), outdir), file=sys.stderr)
            return 1
        say("%s: %d xevf test cases, as generated" % (outdir, len(want)))
        return 0
    os.makedirs(outdir, exist_ok=True)
    for name in set(have) - set(want):
        os.remove(os.path.join(outdir, name))
    for name, data in want.items():
        atomic_write(os.path.join(outdir, name), data)
    say("%s: wrote %d xevf seeds" % (outdir, len(want)))
    return 0
