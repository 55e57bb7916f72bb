"""The xevf test-case byte format, from xevf/format.def (standard library only).

format.def is the one description: this module parses its rows (xevf/decode.c #includes the same
file). tests/python/test_xevf_format.py checks the two decoders agree on thousands of inputs.

    decode(data) -> dict         the scenario (what xevf/dump prints, plus nothing else)
    encode(spec) -> bytes        from {"ggtt_start": .., "ggtt_size": .., ..., "ops": [...]}
    describe(scenario) -> str    a human rendering

An op in a spec is ["alloc", a, b, c] or {"alloc": {"pages": 1, "align_code": 0, "mode": 0,
"range_mib": 0}}, {"free": {"index": 0}}, {"requery": {"back": false}}, "probe", "fini".
"""
import os
import re
import struct

from .common import ROOT
from .testcase import FormatError, parse_num   # one line each, as for the balloon target's specs

FORMAT_DEF = os.path.join(ROOT, "xevf", "format.def")


def _rows(text, kind):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return [[a.strip() for a in m.group(1).split(",") if a.strip()]
            for m in re.finditer(r"\bXEVF_%s\(([^\"]*?),?\s*((?:\"[^\"]*\"\s*)+)\)" % kind, text)]


def load(path=FORMAT_DEF):
    with open(path) as f:
        text = f.read()
    consts = {a[0]: int(a[1], 0) for a in _rows(text, "CONST")}
    fields = [(a[0], int(a[1], 0), int(a[2], 0)) for a in _rows(text, "FIELD")]
    ops = sorted(((a[0], int(a[1], 0)) for a in _rows(text, "OP")), key=lambda r: r[1])
    if not fields or not ops or "HEADER_LEN" not in consts:
        raise FormatError("%s: no XEVF_FIELD/XEVF_OP/XEVF_CONST rows found" % path)
    return consts, fields, [n for n, _ in ops]


CONSTS, FIELDS, OPS = load()


def decode(data):
    data = bytes(data)
    # A field or op cut short by the end of the input reads as zero bytes (as xevf/decode.c).
    sc = {name: int.from_bytes(data[off:off + width], "little") for name, off, width in FIELDS}
    sc["wopcm"] = (sc["wopcm_code"] % 8 + 1) << 20
    head, oplen = CONSTS["HEADER_LEN"], CONSTS["OP_LEN"]
    recs = (struct.unpack_from("<BBHI", data[off:off + oplen] + bytes(oplen))
            for off in range(head, min(len(data), head + CONSTS["MAX_OPS"] * oplen), oplen))
    sc["ops"] = [[OPS[kind % len(OPS)], a, b, c] for kind, a, b, c in recs] or \
        [["probe", 0, 0, 0], ["alloc", 0, 0, 0], ["fini", 0, 0, 0]]
    return sc


def shape(status=0, mbz=False, length=2):
    """A reply-shape byte from its parts (format.def, REPLY SHAPE)."""
    st = {"success": 0, "retry": 1, "busy": 2, "failure": 3}.get(status, status)
    return (st & 3) | (4 if mbz else 0) | (((length ^ 2) & 7) << 3)


def _op(o):
    if isinstance(o, str):
        o = [o, 0, 0, 0]
    if isinstance(o, dict):
        (name, args), = o.items()
        args = args or {}
        if name == "alloc":
            pages = parse_num(args.get("pages", 1), "alloc pages")
            if not 1 <= pages <= 4096:
                raise FormatError("alloc pages %d outside 1..4096" % pages)
            a = (args.get("align_code", 0) & 7) | ((args.get("mode", 0) & 3) << 3)
            o = ["alloc", a, parse_num(args.get("range_mib", 0), "alloc range_mib"), pages - 1]
        elif name == "free":
            o = ["free", 0, parse_num(args.get("index", 0), "free index"), 0]
        elif name == "requery":
            o = ["requery", 1 if args.get("back") else 0, 0, 0]
        else:
            o = [name, 0, 0, 0]
    if o[0] not in OPS:
        raise FormatError("unknown op %r (ops: %s)" % (o[0], ", ".join(OPS)))
    return struct.pack("<BBHI", OPS.index(o[0]), o[1] & 0xff, o[2] & 0xffff, o[3] & 0xffffffff)


def encode(spec):
    bad = set(spec) - {n for n, _, _ in FIELDS} - {"ops", "comment", "wopcm"}
    if bad:
        raise FormatError("unknown key(s) in xevf spec: %s" % ", ".join(sorted(bad)))
    hdr = bytearray(CONSTS["HEADER_LEN"])
    vals = {}
    if "wopcm" in spec:
        w = parse_num(spec["wopcm"], "wopcm")
        if w % (1 << 20) or not 1 <= w >> 20 <= 8:
            raise FormatError("wopcm %#x is not 1..8 MiB in whole MiB" % w)
        vals["wopcm_code"] = (w >> 20) - 1
    for n, off, width in FIELDS:
        v = parse_num(spec[n], n) if n in spec else vals.get(n, 0)
        if not 0 <= v < 1 << (8 * width):
            raise FormatError("%s = %#x does not fit %d bytes" % (n, v, width))
        hdr[off:off + width] = v.to_bytes(width, "little")
    ops = spec.get("ops", [])
    if len(ops) > CONSTS["MAX_OPS"]:
        raise FormatError("%d ops: at most %d" % (len(ops), CONSTS["MAX_OPS"]))
    return bytes(hdr) + b"".join(_op(o) for o in ops)


def describe(sc):
    def sh(b):
        st = ["success", "retry", "busy", "FAILURE"][b & 3]
        return "%s%s len=%d" % (st, " MBZ" if b & 4 else "", ((b >> 3) & 7) ^ 2)
    lines = ["GuC KLVs: start=%#x size=%#x (end %#x%s)" % (
        sc["ggtt_start"], sc["ggtt_size"], (sc["ggtt_start"] + sc["ggtt_size"]) % (1 << 64),
        ", WRAPS" if sc["ggtt_start"] + sc["ggtt_size"] >= 1 << 64 else ""),
        "re-query:  start=%#x size=%#x" % (sc["requery_start"], sc["requery_size"]),
        "replies:   start[%s] size[%s] rq-start[%s] rq-size[%s]" % (
            sh(sc["shape_start"]), sh(sc["shape_size"]), sh(sc["shape_rq_start"]), sh(sc["shape_rq_size"])),
        "WOPCM:     %#x" % sc["wopcm"], "ops:"]
    for name, a, b, c in sc["ops"]:
        if name == "alloc":
            al = (4096 << ((a & 7) - 1)) if a & 7 else 0
            lines.append("  alloc %d pages align %#x mode %s%s" % (
                (c & 0xfff) + 1, al, ["HIGH(driver)", "LOW", "BEST", "EVICT"][(a >> 3) & 3],
                " below %d MiB" % b if b else ""))
        elif name == "free":
            lines.append("  free node #%d (mod live)" % b)
        elif name == "requery":
            lines.append("  requery (%s pair)" % ("original" if a & 1 else "re-query"))
        else:
            lines.append("  " + name)
    return "\n".join(lines)
