"""`vgtfuzz corpus {encode,decode,seeds,minimize,merge}`.

    encode IN.json OUT      a JSON test-case spec (see testcase.py) -> test-case bytes
    decode FILE... [--json] print each test case readably, or as the decoded JSON
    seeds OUTDIR [--check]  write the seed corpus (or check OUTDIR holds exactly it)

Errors (unreadable or malformed JSON, unknown fields, values the format cannot carry) are one
line on stderr and exit status 2.
"""
import json
import os
import pathlib
import sys

from . import testcase as tc
from .common import atomic_write, opt

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
CAPS = 0x1c  # full PPGTT | HWSP emulation | huge GTT, as GVT's populate_pvinfo_page writes

# ---------------------------------------------------------------------------------------------
# Real GVT-g configurations, carved the way the host does it (facts from gvt/aperture_gm.c,
# gvt/vgpu.c and gvt/gvt.h, 6.12):
#  - vGPU types (low = aperture slice, high = hidden slice): "8" 64M/384M, "4" 128M/512M,
#    "2" 256M/1024M, "1" 512M/2048M; each vGPU also gets 4 fences.
#  - The host keeps HOST_LOW_GM_SIZE 128M of the aperture and HOST_HIGH_GM_SIZE 384M of the
#    hidden range out of the vGPU budget. A type exists only if (M - 128M) / low >= 1 (the list
#    stops at the first that does not fit); instances = min((M-128M)/low, (G-M-384M)/high).
#  - Slices are drm_mm nodes on the host GGTT: the aperture slice is inserted LOW (lowest free
#    hole in [0, M)), the hidden slice HIGHEST in [M, G), both page-aligned; so consecutive vGPUs
#    sit side by side upwards from the bottom of the aperture and downwards from G.
#  - vGPU ids start at 1 (IDLE_VGPU_IDR + 1). The guest sees the host's G and M.
# Assumption (the only one): what the host itself has bound at the bottom of the aperture when
# the vGPUs are created is modelled as 6.12's 2-page error-capture reservation at 0 (8 KiB);
# real hosts with a desktop bind more there, which only moves every aperture base up.

VGPU_TYPES = [("8", 64 * MiB, 384 * MiB), ("4", 128 * MiB, 512 * MiB),
              ("2", 256 * MiB, 1024 * MiB), ("1", 512 * MiB, 2048 * MiB)]
HOST_LOW, HOST_HIGH, HOST_BOTTOM = 128 * MiB, 384 * MiB, 8 * KiB


def gvt_types(gtt, Mp):
    """[(type name, low, high, instances)] the host offers for a GGTT of G with aperture Mp."""
    out = []
    for name, low, high in VGPU_TYPES:
        if (Mp - HOST_LOW) // low == 0:
            break
        out.append((name, low, high, min((Mp - HOST_LOW) // low, (gtt - Mp - HOST_HIGH) // high)))
    return out


def gvt_carve(gtt, Mp, vgpus):
    """Pages for vGPUs created in order; vgpus = [(low, high), ...]."""
    pages, lo, hi = [], HOST_BOTTOM, gtt
    for i, (low, high) in enumerate(vgpus):
        hi -= high
        pages.append({"magic": "VGT_MAGIC", "version_major": 1, "version_minor": 0, "vgt_id": i + 1,
                      "vgt_caps": hex(CAPS), "mappable_base": hex(lo), "mappable_size": hex(low),
                      "unmappable_base": hex(hi), "unmappable_size": hex(high), "fence_num": 4})
        lo += low
    return pages


def real_seeds():
    for gtt in (2 * GiB, 4 * GiB):
        for Mp in (256 * MiB, 512 * MiB):
            geo = {"total": hex(gtt), "mappable_end": hex(Mp)}
            for name, low, high, n in gvt_types(gtt, Mp):
                pages = gvt_carve(gtt, Mp, [(low, high)] * n)
                for i in sorted({0, n - 1}):
                    yield ("real-g%dg-m%d-type%s-vgpu%dof%d" % (gtt >> 30, Mp >> 20, name, i + 1, n),
                           {"page": pages[i], "devices": [geo]})
    # A mixed host: one type "2" then one type "4" on 4G/512M (uses the whole 384M budget).
    gtt, Mp = 4 * GiB, 512 * MiB
    for i, pg in enumerate(gvt_carve(gtt, Mp, [(256 * MiB, 1024 * MiB), (128 * MiB, 512 * MiB)])):
        yield ("real-g4g-m512-mixed-type2-type4-vgpu%d" % (i + 1),
               {"page": pg, "devices": [{"total": hex(gtt), "mappable_end": hex(Mp)}]})


# ---------------------------------------------------------------------------------------------
# Edge cases around one reference vGPU on a 4 GiB GGTT with a 512 MiB aperture. Its slices
# leave all four balloon regions non-empty:
#   space[0] [0, 128M)  mappable [128M, 256M)  space[1] [256M, 512M)
#   space[2] [512M, 1G) unmappable [1G, 1.5G)  space[3] [1.5G, 4G)
# The kernel reserves them in the order 2, 3, 0, 1 and unwinds in reverse.
REF_PAGE = {"magic": "VGT_MAGIC", "version_major": 1, "version_minor": 0, "vgt_id": 1, "vgt_caps": hex(CAPS),
            "mappable_base": "128M", "mappable_size": "128M", "unmappable_base": "1G",
            "unmappable_size": "512M", "fence_num": 4}
REF_GEO = {"total": "4G", "mappable_end": "512M"}
G2_GEO = {"total": "2G", "mappable_end": "512M"}
REGION_MID = {0: 64 * MiB, 1: 384 * MiB, 2: 768 * MiB, 3: 2 * GiB}


def page(**kw):
    return dict(REF_PAGE, **kw)


def case(pg=None, geo=None, **kw):
    """The reference vGPU's spec with another page or geometry, and ops, truncate, ... as given."""
    return dict({"page": pg or dict(REF_PAGE), "devices": [dict(geo or REF_GEO)]}, **kw)


def alloc(**kw):
    return {"alloc": kw}


def host_write(offset, value, dev=0):
    return {"host_write": {"dev": dev, "offset": offset, "value": value}}


def edge_seeds():
    # Each balloon region absent (and all of them), empty slices.
    yield ("region-absent-space0-mappable-base-0", case(page(mappable_base=0)))
    yield ("region-absent-space1-mappable-end-at-M", case(page(mappable_base="384M")))
    yield ("region-absent-space2-unmappable-base-at-M", case(page(unmappable_base="512M")))
    yield ("region-absent-space3-unmappable-end-at-G", case(page(unmappable_base="3584M")))
    yield ("region-absent-all-slices-cover-ggtt", case(page(mappable_base=0, mappable_size="512M",
                                                            unmappable_base="512M", unmappable_size="3584M")))
    yield ("region-empty-mappable-slice", case(page(mappable_size=0)))
    yield ("region-empty-both-slices-avail-rs-zero", case(page(mappable_base=0, mappable_size=0,
                                                               unmappable_base=0, unmappable_size=0)))
    # Validation boundaries, the failing side (the passing sides are the region-absent seeds).
    yield ("bound-mappable-end-M-plus-4k-einval",
           case(page(mappable_base="384M", mappable_size=hex(128 * MiB + 4 * KiB))))
    yield ("bound-unmappable-base-M-minus-4k-einval", case(page(unmappable_base=hex(512 * MiB - 4 * KiB))))
    yield ("bound-unmappable-end-G-plus-4k-einval-4g",
           case(page(unmappable_base="3584M", unmappable_size=hex(512 * MiB + 4 * KiB))))
    yield ("bound-unmappable-end-at-G-2g", case(page(unmappable_base="1536M"), G2_GEO))
    yield ("bound-unmappable-end-G-plus-4k-einval-2g",
           case(page(unmappable_base="1536M", unmappable_size=hex(512 * MiB + 4 * KiB)), G2_GEO))
    # Not a vGPU, and the version rule.
    yield ("not-vgpu-empty-input", {"truncate": 0})
    yield ("not-vgpu-magic-only", {"magic": "VGT_MAGIC", "truncate": 8})
    yield ("not-vgpu-magic-off-by-one-bit", case(page(magic=hex(tc.VGT_MAGIC ^ 1))))
    yield ("version-major-0-not-vgpu", case(page(version_major=0)))
    yield ("version-major-2-accepted", case(page(version_major=2, version_minor=0xffff)))
    # Unaligned values (a debug kernel BUGs, a production one accepts them).
    yield ("unaligned-mappable-base", case(page(mappable_base=hex(128 * MiB + 0x800))))
    yield ("unaligned-unmappable-size", case(page(unmappable_size=hex(512 * MiB - 1))))
    # 32-bit unsigned long wrap: base + size overflows on i386 only.
    yield ("wrap32-unmappable-base-fffff000-2g",
           case(page(unmappable_base="0xfffff000", unmappable_size="0x2000"), G2_GEO))
    yield ("wrap32-unmappable-base-fffff000-4g", case(page(unmappable_base="0xfffff000", unmappable_size="0x2000")))
    yield ("wrap32-mappable-base-fffff000-2g", case(page(mappable_base="0xfffff000", mappable_size="0x2000"), G2_GEO))
    # A node already bound in each balloon region, of each kind: -ENOSPC (unevictable, pinned)
    # at region 2, 3, 0, 1 = every unwind label; eviction (evictable).
    for region in (2, 3, 0, 1):
        for kind in ("unevictable", "evictable", "pinned"):
            geo = dict(REF_GEO, pre=[{"start": hex(REGION_MID[region]), "size": "4K", "kind": kind}])
            yield ("pre-space%d-%s" % (region, kind), case(geo=geo))
    yield ("pre-in-own-slices-untouched", case(geo=dict(REF_GEO, pre=[
        {"start": "128M", "size": "64K", "kind": "unevictable"}, {"start": "1G", "size": "2M", "kind": "pinned"}])))
    yield ("pre-straddles-mappable-end-evictable", case(geo=dict(REF_GEO, pre=[
        {"start": hex(256 * MiB - 4 * KiB), "size": "8K", "kind": "evictable"}])))
    yield ("pre-six-evictable-spread", case(geo=dict(REF_GEO, pre=[
        {"start": 0, "size": "4K", "kind": "evictable"},
        {"start": hex(128 * MiB - 4 * KiB), "size": "4K", "kind": "evictable"},
        {"start": "300M", "size": "1M", "kind": "evictable_color1"},
        {"start": "512M", "size": "4K", "kind": "evictable"},
        {"start": "2G", "size": "16M", "kind": "evictable"},
        {"start": hex(4 * GiB - 4 * KiB), "size": "4K", "kind": "evictable"}])))
    # color_adjust (!LLC): guard pages between colours and before the end of the GGTT.
    yield ("coloradj-ref", case(geo=dict(REF_GEO, color_adjust=True)))
    yield ("coloradj-pre-color1-touching-space1", case(geo=dict(REF_GEO, color_adjust=True, pre=[
        {"start": hex(256 * MiB - 4 * KiB), "size": "4K", "kind": "evictable_color1"}])))
    yield ("coloradj-alloc-color1-high", case(geo=dict(REF_GEO, color_adjust=True), ops=[
        "detect", "balloon", alloc(size="4K", mode="high", color=1), alloc(size="4K", color=1),
        alloc(size="4K", color=0), "deballoon"]))
    # Two devices (the kernel's bl_info is one static for both).
    yield ("two-dev-default-script", {"page": dict(REF_PAGE), "devices": [dict(REF_GEO), dict(REF_GEO)]})
    yield ("two-dev-interleaved", {"page": dict(REF_PAGE), "devices": [dict(REF_GEO), dict(REF_GEO)], "ops": [
        "detect", {"detect": {"dev": 1}}, "balloon", {"balloon": {"dev": 1}},
        {"deballoon": {"dev": 1}}, "deballoon"]})
    yield ("two-dev-different-geometry", {"page": dict(REF_PAGE),
           "devices": [dict(REF_GEO), {"total": "2G", "mappable_end": "256M"}]})
    # Balloon life cycles.
    yield ("cycle-balloon-deballoon-balloon", case(ops=["detect", "balloon", "deballoon", "balloon", "deballoon"]))
    yield ("cycle-deballoon-without-balloon", case(page(unmappable_base="3584M"), ops=["detect", "deballoon"]))
    yield ("cycle-failed-balloon-then-deballoon", case(
        geo=dict(REF_GEO, pre=[{"start": "384M", "size": "4K", "kind": "unevictable"}]),
        ops=["detect", "balloon", "deballoon"]))
    yield ("cycle-no-detect-balloon", case(ops=["balloon", "deballoon"]))
    # The host rewriting the page between ops.
    yield ("hostwrite-mappable-size-while-ballooned", case(ops=[
        "detect", "balloon", host_write("mappable_size", "256M"), "deballoon", "balloon", "deballoon"]))
    yield ("hostwrite-magic-cleared-before-detect", case(ops=[
        host_write("magic", 0), "detect", "balloon", "deballoon"]))
    yield ("hostwrite-makes-a-vgpu", {"devices": [dict(REF_GEO)], "ops": [
        host_write(0x0, hex(tc.VGT_MAGIC & 0xFFFFFFFF)), host_write(0x4, hex(tc.VGT_MAGIC >> 32)),
        host_write(0x8, 1), host_write("mappable_base", "128M"), host_write("mappable_size", "128M"),
        host_write("unmappable_base", "1G"), host_write("unmappable_size", "512M"),
        "detect", "balloon", alloc(size="4K", mode="high"), "deballoon"]})
    # Driver allocations after ballooning.
    yield ("alloc-high-lands-at-top-of-hidden-slice",
           case(ops=["detect", "balloon", alloc(size="4K", mode="high"), "deballoon"]))
    yield ("alloc-2m-aligned-in-aperture", case(ops=["detect", "balloon",
           alloc(size="1M", alignment="2M", range_end="512M"), "deballoon"]))
    yield ("alloc-too-big-enospc", case(ops=["detect", "balloon", alloc(size="1G"), "deballoon"]))
    yield ("alloc-before-balloon", case(ops=["detect", alloc(size="4K"),
           alloc(size="4K", mode="high"), "balloon", "deballoon"]))
    # The byte format's own edges.
    yield ("format-page-only-no-trailer", {"page": dict(REF_PAGE)})
    yield ("format-ends-inside-total", case(truncate=tc.PREFIX + 3))
    yield ("format-explicit-empty-script", case(ops=[]))
    yield ("format-version-byte-0", case(format_version=0))


def allocator_seeds():
    """The balloon target's seeds for the allocator ops: churn inside the guest's slices."""
    churn = [alloc(size="64K"), alloc(size="64K", mode="best"), alloc(size="1M", mode="high"),
             {"free": {"index": 1}}, alloc(size="32K", mode="evict"), {"free": {"index": 0}},
             alloc(size="128K", mode="high", once=True, retry=True)]
    yield ("churn-in-slices-every-mode", case(ops=["detect", "balloon"] + churn + ["deballoon"]))
    yield ("evict-scan-refuses-balloon-nodes", case(ops=[
        "detect", "balloon", alloc(size="128M", range_end="512M"), alloc(size="4K", range_end="512M"),
        {"evict": {"size": "256M", "range_end": "512M"}}, "deballoon"]))
    yield ("reserve-over-balloon-enospc", case(ops=[
        "detect", "balloon", {"reserve": {"size": "4K", "range_start": "4K"}}, "deballoon"]))
    yield ("free-pre-existing-after-balloon", case(
        geo=dict(REF_GEO, pre=[{"start": "200M", "size": "64K", "kind": "evictable"}]),
        ops=["detect", "balloon", {"free": {"index": 0}}, alloc(size="64K", mode="best"), "deballoon"]))


def seed_specs():
    """[(file name, JSON spec)] of the seed corpus."""
    return [*real_seeds(), *edge_seeds(), *allocator_seeds()]


# ---------------------------------------------------------------------------------------------
# The drm_mm target's seeds (corpus/drm_mm): small GGTTs that fragment within a few dozen ops, in
# every insert mode, with the eviction scan and fixed-offset reservations. Hand-made shapes first,
# then deterministic random churn (a fixed seed per file: regenerating gives the same bytes).

def _dm(pages, ops, pre=(), color_adjust=False):
    dev = {"total": pages * 4 * KiB, "mappable_end": pages * 4 * KiB // 2, "color_adjust": color_adjust,
           "pre": [{"start": "%dK" % (4 * s), "size": "%dK" % (4 * z), "kind": k} for s, z, k in pre]}
    return {"target": "drm_mm", "devices": [dev], "ops": ops}


def _a(pages, mode="low", **kw):
    return {"alloc": dict(kw, size="%dK" % (4 * pages), mode=mode)}


def _free(i):
    return {"free": {"index": i}}


def drm_mm_shaped():
    # Holes of equal size opened in a known order: BEST takes the newest, EVICT the stack's top.
    ladder = [_a(2) for _ in range(8)] + [_free(6), _free(4), _free(2), _free(0)]
    for mode in ("low", "high", "best", "evict"):
        yield ("ties-%s" % mode, _dm(64, ladder + [_a(2, mode), _a(1, mode), _a(2, mode), _a(3, mode)]))
        yield ("ties-%s-once" % mode, _dm(64, ladder + [_a(2, mode, once=True), _a(3, mode, once=True, retry=True)]))
    # Holes of many sizes, then requests that fit only some of them.
    steps = [_a(z) for z in (1, 3, 1, 5, 1, 2, 1, 4, 1, 6, 1)] + [_free(9), _free(7), _free(5), _free(3), _free(1)]
    for mode in ("low", "high", "best", "evict"):
        yield ("sizes-%s" % mode, _dm(128, steps + [_a(z, mode) for z in (4, 2, 5, 1, 3)]))
        yield ("sizes-%s-aligned" % mode, _dm(128, steps + [_a(z, mode, alignment="%dK" % (4 * al))
                                                            for z, al in ((2, 2), (1, 4), (3, 8), (1, 16))]))
        yield ("sizes-%s-range" % mode, _dm(128, steps + [_a(2, mode, range_start="40K", range_end="200K"),
                                                          _a(1, mode, range_start="100K", range_end="300K")]))
    # Eviction: a full GGTT of small objects, then the scan for a larger node in each mode.
    full = [_a(1) for _ in range(30)]
    for mode in ("low", "high", "best"):
        yield ("scan-%s" % mode, _dm(32, full + [{"evict": {"size": "16K", "mode": mode}},
                                                 {"evict": {"size": "8K", "alignment": "16K", "mode": mode}}]))
    yield ("scan-range", _dm(32, full + [{"evict": {"size": "8K", "range_start": "40K", "range_end": "80K"}}]))
    yield ("scan-pinned-blocks", _dm(32, full[:20], pre=[(i, 1, "pinned") for i in range(20, 32, 2)]))
    yield ("scan-colour", _dm(32, [_a(1, color=i % 2) for i in range(24)] +
                              [{"evict": {"size": "12K", "color": 1}}, {"evict": {"size": "4K", "mode": "high"}}],
                              color_adjust=True))
    yield ("scan-unevictable-neighbour", _dm(32, full[:14] + [{"evict": {"size": "20K", "color": 1}}],
                                             pre=[(16, 1, "unevictable")], color_adjust=True))
    # Fixed-offset reservations over objects (evict_for_node), colour guards, pinned refusal.
    yield ("reserve-evicts", _dm(32, full[:16] + [{"reserve": {"size": "12K", "range_start": "8K"}},
                                                  {"reserve": {"size": "4K", "range_start": "100K"}}]))
    yield ("reserve-pinned", _dm(32, [{"reserve": {"size": "8K", "range_start": "0"}}],
                                 pre=[(1, 1, "pinned")]))
    yield ("reserve-colour", _dm(32, [_a(1, color=1), _a(1), {"reserve": {"size": "4K", "range_start": "8K"}}],
                                 color_adjust=True))
    # Colour guards in every mode.
    for mode in ("low", "high", "best", "evict"):
        yield ("colour-%s" % mode, _dm(64, [_a(1, mode, color=i % 2) for i in range(10)] + [_free(3), _free(5)] +
                                       [_a(1, mode, color=1), _a(2, mode)], color_adjust=True))


def drm_mm_churn(n=40):
    """Random alloc/free churn in small GGTTs, one fixed seed per file."""
    import random
    for k in range(n):
        r = random.Random(1000 + k)
        pages = r.choice((32, 48, 64, 96, 128, 256, 1024, 4096))
        coloured = r.random() < 0.25
        pre, at = [], 0
        for _ in range(r.randint(0, 6)):
            at += r.randint(1 if coloured else 0, 6)
            size = r.randint(1, 3)
            if at + size >= pages:
                break
            pre.append((at, size, r.choice(("evictable", "evictable", "pinned", "unevictable"))))
            at += size
        ops = []
        for _ in range(r.randint(12, 36)):
            roll = r.random()
            if roll < 0.3:
                ops.append(_free(r.randint(0, 20)))
            elif roll < 0.4:
                ops.append({"evict": {"size": "%dK" % (4 * r.randint(1, 8)),
                                      "mode": r.choice(("low", "high", "best"))}})
            elif roll < 0.45:
                ops.append({"reserve": {"size": "%dK" % (4 * r.randint(1, 4)),
                                        "range_start": "%dK" % (4 * r.randint(0, pages - 5))}})
            else:
                kw = {}
                if r.random() < 0.2:
                    kw["alignment"] = "%dK" % (4 << r.randint(0, 3))
                if r.random() < 0.2:
                    kw["range_start"] = "%dK" % (4 * r.randint(0, pages // 2))
                once = r.random() < 0.15
                ops.append(_a(r.randint(1, 4), r.choice(("low", "high", "best", "evict")), once=once,
                              retry=once and r.random() < 0.5, **kw))
        yield ("churn-%02d-%dp" % (k, pages), _dm(pages, ops, pre, color_adjust=coloured))


def drm_mm_specs():
    return [*drm_mm_shaped(), *drm_mm_churn()]


# ---------------------------------------------------------------------------------------------
# The gvt target's seeds (corpus/gvt): real host geometries and reserved ranges, every offered type
# created up to one past its instance limit (every instance index and the refusal), guests booted,
# create/destroy orders. Host reserved ranges (device 0's pre-existing nodes): 6.1 reserves one
# error-capture page at 0, 6.12 two; a host with a firmware framebuffer at 0 has the error capture
# right above it. Type i's slices: VGPU_TYPES; instances per gvt_types().

HOSTS = {
    "6.1": [(0, 4 * KiB)],
    "6.12": [(0, 8 * KiB)],
    "fb8m": [(0, 8 * MiB), (8 * MiB, 8 * KiB)],
    "fb32m": [(0, 32 * MiB), (32 * MiB, 8 * KiB)],
}
GEOMETRIES = [(4 * GiB, 512 * MiB), (4 * GiB, 1 * GiB), (2 * GiB, 256 * MiB)]


def _gvt(total, M, reserved, ops):
    """A gvt spec: the host's reserved (start, size) ranges as device 0's pre-existing nodes, and
    ops as (kind, argument): a vGPU index, or for fence_num the value the host writes."""
    dev = {"total": total, "mappable_end": M,
           "pre": [{"start": "%dK" % (s // KiB), "size": "%dK" % (z // KiB), "kind": "unevictable"}
                   for s, z in reserved]}
    return {"target": "gvt", "devices": [dev],
            "ops": [{kind: {"value" if kind == "fence_num" else "index": arg}} for kind, arg in ops]}


def gvt_specs():
    for total, M in GEOMETRIES:
        geo = "%dg-%dm" % (total // GiB, M // MiB)
        types = gvt_types(total, M)
        for host, reserved in HOSTS.items():
            for t, (name, low, high, inst) in enumerate(types):
                n = min(inst + 1, 8)
                ops = [("create", t)] * n + [("boot", k) for k in range(min(inst, 7))] + [("destroy", 0)] * n
                yield ("type%s-%s-%s-x%d" % (name, host, geo, n), _gvt(total, M, reserved, ops))
        # Create/destroy orders on the 6.12 host: mixed types, the middle one first, re-create into
        # the hole, every guest booted, then everything destroyed newest first.
        if len(types) >= 3:
            mixed = [("create", 0), ("create", 1), ("create", 0), ("boot", 0), ("boot", 1), ("boot", 2)]
            yield ("three-vgpus-6.12-%s" % geo, _gvt(total, M, HOSTS["6.12"], mixed))
            churn = mixed + [("destroy", 1), ("create", 0), ("create", 2), ("boot", 1), ("boot", 3)] + \
                [("destroy", 9)] * 4
            yield ("churn-6.12-%s" % geo, _gvt(total, M, HOSTS["6.12"], churn))
            yield ("churn-fb8m-%s" % geo, _gvt(total, M, HOSTS["fb8m"], churn))
            rev = [("create", t) for t in range(len(types))] + [("destroy", 9 - k) for k in range(len(types))]
            yield ("reverse-6.1-%s" % geo, _gvt(total, M, HOSTS["6.1"], rev + [("create", 0), ("boot", 0)]))
    # A host that lies about fence_num (reports/findings.md): the guest's intel_ggtt_init_fences()
    # programs what the page says, past the 32 fence registers too; 2^31 and ~0 turn negative.
    for v in (0, 1, 4, 32, 33, 1 << 31, 0xffffffff, 100000):
        yield ("fence-num-%d" % v, _gvt(4 * GiB, 512 * MiB, HOSTS["6.12"],
                                        [("create", 0), ("fence_num", v), ("boot", 0)]))
    # A host range just below the top of the GGTT: PIN_HIGH's HIGH|ONCE stops at the hole above it,
    # too small, and i915_gem_gtt_insert()'s BEST retry puts the hidden slice at the bottom of the
    # hidden range, right after the aperture slice (one guest range).
    yield ("toprange-6.12-4g-512m", _gvt(4 * GiB, 512 * MiB, [(3840 * MiB, 9 * MiB)] + HOSTS["6.12"],
                                         [("create", 1), ("boot", 0), ("create", 0), ("boot", 1)]))
    # A host holding more of its aperture than its 128 MiB share: the budget allows a 256 MiB
    # slice, no hole holds it; i915_gem_gtt_insert() then tries its random-offset reservation and
    # the eviction before -ENOSPC (accepted: instance-rule-no-room).
    yield ("noroom-6.12-4g-512m", _gvt(4 * GiB, 512 * MiB, [(0, 300 * MiB)],
                                       [("create", 2), ("create", 0), ("boot", 0)]))


SEED_SETS = {"balloon": seed_specs, "drm_mm": drm_mm_specs, "gvt": gvt_specs}


def all_seeds(target="balloon"):
    """[(file name, bytes)] of the seed corpus of a target."""
    seeds = list(SEED_SETS[target]())
    assert len(dict(seeds)) == len(seeds), "duplicate seed names"
    return [(n, tc.encode(s)) for n, s in seeds]


# ---------------------------------------------------------------------------------------------
# commands (`vgtfuzz corpus VERB`: the table at the end, which the front door reads)

def _load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as e:
        raise tc.FormatError("%s: malformed JSON at line %d column %d: %s" % (path, e.lineno, e.colno, e.msg)) from None
    except UnicodeDecodeError as e:
        raise tc.FormatError("%s: not UTF-8 text (byte 0x%02x at offset %d): save it as UTF-8 JSON"
                             % (path, e.object[e.start], e.start)) from None
    except RecursionError:
        raise tc.FormatError("%s: JSON nested too deeply" % path) from None
    except ValueError as e:    # e.g. an integer of thousands of digits
        raise tc.FormatError("%s: %s" % (path, _value_error(e))) from None


def _value_error(e):
    msg = str(e).splitlines()[0] if str(e) else type(e).__name__
    if "digits" in msg:
        return "a number of thousands of digits: no test-case field holds more than 8 bytes (use hex, or K/M/G)"
    return msg


def cmd_encode(a):
    try:
        spec = _load_json(a.input)
        if isinstance(spec, dict) and any(k.startswith(("ggtt_", "requery_")) for k in spec):
            from . import xevf_format      # an xevf spec (docs/xevf.md): its own format, the same FormatError
            data = xevf_format.encode(spec)
        else:
            data = tc.encode(spec)
    except RecursionError:
        raise tc.FormatError("%s: JSON nested too deeply" % a.input) from None
    except tc.FormatError:
        raise
    except ValueError as e:     # a number of thousands of digits, and the like
        raise tc.FormatError(_value_error(e)) from None
    if os.path.isdir(a.output):
        raise tc.FormatError("%s is a directory: give a file name for the test case" % a.output)
    # Through a temporary name and a rename: a failed write leaves no (valid, different) test case.
    atomic_write(a.output, data)
    print("%s: %d bytes" % (a.output, len(data)))
    return 0


def cmd_decode(a):
    blobs = [pathlib.Path(path).read_bytes() for path in a.files]
    fmt = tc
    if a.target == "xevf":
        from . import xevf_format as fmt
        scs = [fmt.decode(data) for data in blobs]
    else:
        scs = tc.decode_all(blobs, a.target)
    for i, (path, sc) in enumerate(zip(a.files, scs)):
        if not a.json and len(a.files) > 1:
            print(("\n" if i else "") + "== " + path)
        print(json.dumps(sc, indent=2) if a.json else fmt.describe(sc))
    return 0


def cmd_seeds(a):
    if a.target == "xevf":
        from . import xevf_corpus
        # corpus/xevf-regressions holds the reviewed findings' minimal reproducers
        regs = os.path.basename(os.path.normpath(a.outdir)) == "xevf-regressions"
        return xevf_corpus.write(a.outdir, check=a.check, which=xevf_corpus.regressions if regs else xevf_corpus.specs)
    seeds = all_seeds(a.target)
    if a.check:
        want = dict(seeds)
        have = {f.name: f.read_bytes() for f in pathlib.Path(a.outdir).iterdir()} if os.path.isdir(a.outdir) else {}
        diff = sorted(set(want) ^ set(have)) + sorted(n for n in want if n in have and want[n] != have[n])
        if diff:
            print("seeds differ from the generator: %s" % ", ".join(diff), file=sys.stderr)
            return 1
        print("%s: %d seeds, as generated" % (a.outdir, len(seeds)))
        return 0
    os.makedirs(a.outdir, exist_ok=True)
    for name, data in seeds:
        atomic_write(os.path.join(a.outdir, name), data)
    print("%s: %d seeds (largest %d bytes)" % (a.outdir, len(seeds), max(len(d) for _, d in seeds)))
    return 0


def _engine(verb):
    """minimize and merge need a build of the harness (corpus_engine.py)."""
    def run(a):
        from . import corpus_engine
        return getattr(corpus_engine, "cmd_" + verb)(a)
    return run


KERNEL = opt("--kernel", default="6.12", help="kernel tree (as for vgtfuzz fuzz)")
# verb -> (help, function, options), for the front door (cli.COMMANDS)
VERBS = {
    "encode": ("JSON spec -> test case bytes", cmd_encode, [
        opt("input", metavar="IN.json"), opt("output", metavar="OUT")]),
    "decode": ("print test cases readably (or as JSON)", cmd_decode, [
        opt("files", metavar="FILE", nargs="+"),
        opt("--json", action="store_true", help="the decoded scenario as JSON (a valid encode input)"),
        opt("--target", choices=sorted(tc.TARGETS) + ["xevf"],
            help="the fuzz target the files were made for (default $VGTFUZZ_TARGET or balloon)")]),
    "seeds": ("write the seed corpus", cmd_seeds, [
        opt("outdir", metavar="OUTDIR"),
        opt("--check", action="store_true", help="only check OUTDIR holds exactly the generated seeds"),
        opt("--target", choices=sorted(SEED_SETS) + ["xevf"], default="balloon",
            help="whose seeds: balloon (corpus/seeds), drm_mm (corpus/drm_mm), gvt (corpus/gvt) or xevf "
            "(corpus/xevf)")]),
    "minimize": ("shrink a test case while it keeps its signature", _engine("minimize"), [
        opt("file", metavar="FILE"), opt("-o", "--output", help="where the result goes (default FILE.min)"), KERNEL,
        opt("--profile", choices=["release", "debug"], default="release"), opt("--m32", action="store_true")]),
    "merge": ("merge corpora into OUTDIR keeping only inputs that add coverage", _engine("merge"), [
        opt("output", metavar="OUTDIR"), opt("inputs", metavar="INDIR", nargs="+"), KERNEL]),
}
