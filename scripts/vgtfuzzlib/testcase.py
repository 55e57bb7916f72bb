"""The vgtfuzz test-case byte format, from harness/format.def (standard library only).

format.def is the one description of the format: this module parses its rows (the C decoder
#includes the same file) to encode. Decoding is the harness's own decoder's job (harness/decode.c,
run as vgtfuzz-decode): one decoder, so the tools and the fuzz target cannot disagree about an
input. tests/format/test_format.py checks that what this module encodes decodes to what it meant.

    decode(data: bytes) -> dict     the scenario, JSON-able, addresses as "0x.." strings
    encode(spec: dict) -> bytes     from a JSON spec (the decoded dict is itself a valid spec)
    describe(scenario: dict) -> str a human rendering of decode()'s result

A JSON spec (every key optional; unknown keys are an error):
    {"comment": "...",                        ignored
     "format_version": 1,                     the header byte (any 0..255 decodes as current)
     "page": {"magic": "VGT_MAGIC", "version_major": 1, "vgt_caps": "0x1c",
              "mappable_base": "128M", "mappable_size": "128M",
              "unmappable_base": "1G", "unmappable_size": "512M", "fence_num": 4,
              "rsv1": "hex bytes"},           page fields may also sit at the top level
     "devices": [{"total": "4G", "mappable_end": "512M", "color_adjust": false,
                  "pre": [{"start": "64M", "size": "4K", "kind": "pinned"}]}],   1 or 2
     "ops": ["detect", "balloon", {"alloc": {"dev": 0, "size": "4K", "alignment": "2M",
              "range_start": 0, "range_end": "512M", "high": true, "color": 1}},
             {"host_write": {"offset": "mappable_size", "value": "0x10000000"}}, "deballoon"],
     "truncate": 90}                          cut the encoded bytes to this length
Numbers: ints, "0x..", decimal strings, or K/M/G/T suffixes ("512M", "4G", "0x10K").
The trailer is written only if format_version, devices or ops is given; without "ops" the input
ends before op_count, so the decoder runs the default script. Encoding is exact: a value the
decoder would change (clamp, wrap, drop, swap) is refused with a FormatError naming it.
"""
import functools
import json
import os
import re
import subprocess
import tempfile

from .common import UsageError

FORMAT_DEF = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))),
                          "harness", "format.def")


class FormatError(UsageError, ValueError):
    """A spec that cannot be encoded, or a broken format.def: one line, for the user (exit 2)."""


# ---------------------------------------------------------------------------------------------
# format.def parsing

_ROW_ARGS = {
    "VGTF_CONST": ("name", "value", "doc"),
    "VGTF_CONST64": ("name", "value", "doc"),
    "VGTF_PAGE": ("name", "offset", "width", "show", "doc"),
    "VGTF_BIT": ("record", "field", "name", "bit", "doc"),
    "VGTF_PREKIND": ("name", "value", "color", "pinned", "doc"),
    "VGTF_OPKIND": ("name", "enum", "value", "args", "doc"),
    "VGTF_DEFAULT_OP": ("name", "doc"),
    "VGTF_TARGET": ("name", "value", "page_prefix", "max_devs", "doc"),
    "VGTF_TARGET_OP": ("target", "op", "doc"),
}
RECORDS = ("HEADER", "DEVICE", "PRE", "SCRIPT", "OP", "ALLOC", "HOST_WRITE", "FREE")
for _r in RECORDS:
    _ROW_ARGS["VGTF_" + _r] = ("name", "width", "def", "norm", "doc")


# A row: NAME(arg, ...) with each argument a number, a name or adjacent string literals.
_ROW = re.compile(r"\s*(\w+)\s*\(")
_ARG = re.compile(r'''\s*(?:(?P<str>(?:"(?:[^"\\\n]|\\.)*"\s*)+)|(?P<num>-?(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*)
                        |(?P<id>[A-Za-z_]\w*))\s*(?P<end>[,)])''', re.X)
_STR = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_NOT_ROWS = re.compile(r"/\*.*?\*/|//[^\n]*|^[ \t]*#[^\n]*", re.S | re.M)     # comments, the preprocessor's lines


def parse_format_def(path=FORMAT_DEF):
    """The rows of format.def: {"VGTF_PAGE": [{"name": .., "offset": .., ...}, ...], ...}."""
    with open(path, encoding="utf-8") as f:     # what is not a row becomes its newlines (line numbers stay)
        text = _NOT_ROWS.sub(lambda m: "\n" * m.group(0).count("\n"), f.read())
    rows = {k: [] for k in _ROW_ARGS}
    pos = 0
    while True:
        pos = len(text) - len(text[pos:].lstrip())
        if pos == len(text):
            return rows
        line = text.count("\n", 0, pos) + 1
        m = _ROW.match(text, pos)
        if not m or m.group(1) not in _ROW_ARGS:
            raise FormatError("format.def:%d: unexpected %r" % (line, text[pos:].split()[0][:20]))
        args, pos = [], m.end()
        while True:
            a = _ARG.match(text, pos)
            if not a:
                raise FormatError("format.def:%d: an argument of %s must be a number, a name or strings"
                                  % (line, m.group(1)))
            pos = a.end()
            if a.group("str"):
                args.append("".join(bytes(v, "utf-8").decode("unicode_escape") for v in _STR.findall(a.group("str"))))
            else:
                args.append(int(a.group("num").rstrip("uUlL"), 0) if a.group("num") else a.group("id"))
            if a.group("end") == ")":
                break
        names = _ROW_ARGS[m.group(1)]
        if len(args) != len(names):
            raise FormatError("format.def:%d: %s takes %d arguments" % (line, m.group(1), len(names)))
        rows[m.group(1)].append(dict(zip(names, args)))


ROWS = parse_format_def()
CONST = {r["name"]: r["value"] for r in ROWS["VGTF_CONST"] + ROWS["VGTF_CONST64"]}
PAGE_FIELDS = ROWS["VGTF_PAGE"]
PAGE_BY_NAME = {r["name"]: r for r in PAGE_FIELDS}
FIELDS = {r: ROWS["VGTF_" + r] for r in RECORDS}
BITS = {(r["record"], r["name"]): 1 << r["bit"] for r in ROWS["VGTF_BIT"]}
PREKINDS = sorted(ROWS["VGTF_PREKIND"], key=lambda r: r["value"])
PREKIND_BY = {**{r["name"]: r for r in PREKINDS}, **dict(enumerate(PREKINDS))}   # a pre node's kind: name or value
OPKINDS = sorted(ROWS["VGTF_OPKIND"], key=lambda r: r["value"])
OPKIND_BY_NAME = {r["name"]: r for r in OPKINDS}
TARGETS = {r["name"]: dict(r, ops=[o["op"] for o in ROWS["VGTF_TARGET_OP"] if o["target"] == r["name"]])
           for r in ROWS["VGTF_TARGET"]}
DEFAULT_TARGET = "balloon"


def current_target(target=None):
    """The target to decode for: the one given, else $VGTFUZZ_TARGET (which the C harness reads
    too), else balloon."""
    return target or os.environ.get("VGTFUZZ_TARGET") or DEFAULT_TARGET


MODES = ("low", "high", "best", "evict")  # ALLOC flags bit0 | bit2 << 1

PAGE = CONST["GTT_PAGE"]
PREFIX = CONST["PAGE_PREFIX"]
VGT_MAGIC = CONST["VGT_MAGIC"]


# ---------------------------------------------------------------------------------------------
# decoding: the harness's own decoder (harness/decode.c), as the program vgtfuzz-decode

@functools.cache
def _decoder():
    """$VGTFUZZ_DECODE (the test suite's build), else vgtfuzz-decode built without a kernel."""
    from . import build
    return os.environ.get("VGTFUZZ_DECODE") or os.path.join(
        build.build(build.Config(None, preset="gcc"), targets=["vgtfuzz-decode"]), "vgtfuzz-decode")


def decode_all(blobs, target=None):
    """The scenario dict of each byte string, as harness/decode.c decodes it ("0x.." strings for
    addresses), at most 500 inputs a process (any corpus fits the argument limit)."""
    target = current_target(target)
    if target not in TARGETS:
        raise FormatError("unknown target %r (known: %s)" % (target, ", ".join(TARGETS)))
    out = []
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-decode-") as d:
        paths = [os.path.join(d, str(i)) for i in range(len(blobs))]
        for path, data in zip(paths, blobs):
            with open(path, "wb") as f:
                f.write(data)
        for i in range(0, len(paths), 500):
            p = subprocess.run([_decoder(), "--target", target] + paths[i:i + 500], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if p.returncode != 0:
                raise FormatError((p.stderr.strip().splitlines() or ["vgtfuzz-decode exited %d" % p.returncode])[0])
            out += [json.loads(line) for line in p.stdout.splitlines()]
    return out


def decode(data, target=None):
    """The scenario of one byte string (exactly what harness/decode.c builds)."""
    return decode_all([data], target)[0]


def _hex(v):
    return "0x%x" % v


# ---------------------------------------------------------------------------------------------
# encoding

_NUM = re.compile(r"^(0x[0-9a-f]+|[0-9]+)\s*([kmgt]?)(?:i?b)?$", re.I)
_SUFFIX = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_num(v, what):
    """An int from an int, "0x..", a decimal string or a K/M/G/T-suffixed string."""
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise FormatError("%s: expected a number, got %r" % (what, v))
    if isinstance(v, str):
        m = _NUM.match(v.strip().replace("_", ""))
        if not m:
            raise FormatError("%s: not a number: %r" % (what, v))
        v = int(m.group(1), 0) * _SUFFIX[m.group(2).lower()]
    if v < 0:
        raise FormatError("%s: negative: %d" % (what, v))
    return v


def _bool(v, what):
    if v in (0, 1):     # True and False too (they equal 1 and 0)
        return bool(v)
    raise FormatError("%s: expected true or false, got %r" % (what, v))


def _keys(d, allowed, what):
    if not isinstance(d, dict):
        raise FormatError("%s: expected an object, got %r" % (what, d))
    for k in d:
        if k not in allowed:
            raise FormatError("%s: unknown field %r (known: %s)" % (what, k, ", ".join(allowed)))


def _uint(v, width, what):
    v = parse_num(v, what)
    if v >> (8 * width):
        raise FormatError("%s: %s does not fit in %d bytes" % (what, _hex(v), width))
    return v


def _pages(v, what, lo=0, hi=0xFFFFFFFF):
    b = parse_num(v, what)
    if b % PAGE:
        raise FormatError("%s: %s is not a multiple of 4 KiB" % (what, _hex(b)))
    p = b // PAGE
    if not lo <= p <= hi:
        raise FormatError("%s: %s is outside [%s, %s]" % (what, _hex(b), _hex(lo * PAGE), _hex(hi * PAGE)))
    return p


def _put(out, record, raw):
    for row in FIELDS[record]:
        out += raw[row["name"]].to_bytes(row["width"], "little")


def _encode_page(spec):
    page = bytearray(PREFIX)
    vals = {k: v for k, v in spec.items() if k in PAGE_BY_NAME}
    sub = spec.get("page", {})
    _keys(sub, list(PAGE_BY_NAME), "page")
    for k, v in sub.items():
        if k in vals:
            raise FormatError("page field %r given twice (top level and in \"page\")" % k)
        vals[k] = v
    for k, v in vals.items():
        row = PAGE_BY_NAME[k]
        if row["show"] == "bytes":
            if not isinstance(v, str):
                raise FormatError("%s: expected a hex string" % k)
            try:
                b = bytes.fromhex(v)
            except ValueError:
                raise FormatError("%s: not hex bytes: %r" % (k, v)) from None
            if len(b) > row["width"]:
                raise FormatError("%s: %d bytes, at most %d" % (k, len(b), row["width"]))
        else:
            v = VGT_MAGIC if (k, v) == ("magic", "VGT_MAGIC") else v
            b = _uint(v, row["width"], k).to_bytes(row["width"], "little")
        page[row["offset"]:row["offset"] + len(b)] = b
    return page


def _encode_device(out, spec, idx, second):
    what = "devices[%d]" % idx
    _keys(spec, ["total", "mappable_end", "color_adjust", "pre"], what)
    total_p = _pages(spec["total"], what + ".total", 1, CONST["MAX_TOTAL_PAGES"]) if "total" in spec else 0
    total = (total_p or CONST["DEFAULT_TOTAL_PAGES"]) * PAGE
    map_p = _pages(spec["mappable_end"], what + ".mappable_end", 1, total // PAGE) if "mappable_end" in spec else 0
    color_adjust = _bool(spec.get("color_adjust", False), what + ".color_adjust")
    flags = sum(BITS[("DEVICE", b)] for b, on in (("color_adjust", color_adjust), ("second_device", second)) if on)
    pre = spec.get("pre", [])
    if not isinstance(pre, list) or len(pre) > CONST["MAX_PRE"]:
        raise FormatError("%s.pre: a list of at most %d nodes" % (what, CONST["MAX_PRE"]))
    _put(out, "DEVICE", {"total": total_p, "mappable_end": map_p, "flags": flags, "pre_count": len(pre)})
    kept = []   # (start, end, colour) of the nodes before this one
    for j, node in enumerate(pre):
        w = "%s.pre[%d]" % (what, j)
        _keys(node, ["start", "size", "kind", "color", "pinned"], w)
        start_p = _pages(node.get("start", 0), w + ".start", 0, total // PAGE - 1)
        size_p = _pages(node.get("size", PAGE), w + ".size", 1, total // PAGE - start_p)
        kind = node.get("kind", 0)
        if isinstance(kind, bool) or not isinstance(kind, (int, str)) or kind not in PREKIND_BY:
            raise FormatError("%s.kind: one of %s" % (w, ", ".join(k["name"] for k in PREKINDS)))
        kind = PREKIND_BY[kind]
        if "color" in node and node["color"] != kind["color"] or \
           "pinned" in node and node["pinned"] != bool(kind["pinned"]):
            raise FormatError("%s: color/pinned disagree with kind %r" % (w, kind["name"]))
        # The decoder drops a node that overlaps one before it, or with color_adjust touches one of
        # another colour or has a colour other than -1 and ends at total.
        s, e, c = start_p * PAGE, (start_p + size_p) * PAGE, kind["color"]
        if any(s < qe and qs < e or color_adjust and qc != c and (qe == s or e == qs) for qs, qe, qc in kept) or \
           color_adjust and c != -1 and e == total:
            raise FormatError("%s: overlaps or touches (color_adjust) another node; the decoder would drop it" % w)
        kept.append((s, e, c))
        _put(out, "PRE", {"start": start_p, "size": size_p, "kind": kind["value"]})
    return total


def _encode_op(out, op, idx, totals, target):
    what = "ops[%d]" % idx
    if isinstance(op, str):
        op = {op: None}
    if not isinstance(op, dict) or len(op) != 1:
        raise FormatError("%s: expected \"detect\" or {\"alloc\": {...}}, got %r" % (what, op))
    (name, args), = op.items()
    args = {} if args is None else args
    offered = TARGETS[target]["ops"]
    if name not in offered:
        raise FormatError("%s: unknown op %r for target %s (known: %s)" % (what, name, target, ", ".join(offered)))
    kind = OPKIND_BY_NAME[name]
    what += "." + name
    allowed = {"none": ["dev"],
               "ALLOC": ["dev", "size", "alignment", "range_start", "range_end", "mode", "once", "retry", "color"],
               "HOST_WRITE": ["dev", "offset", "value"], "FREE": ["dev", "index"]}[kind["args"]]
    _keys(args, allowed, what)
    dev = parse_num(args.get("dev", 0), what + ".dev")
    if dev >= len(totals):
        raise FormatError("%s.dev: %d, but there are %d device(s)" % (what, dev, len(totals)))
    _put(out, "OP", {"kind": offered.index(name), "dev": dev})
    total = totals[dev]
    if kind["args"] == "ALLOC":
        size_p = _pages(args.get("size", PAGE), what + ".size", 1)
        al = parse_num(args.get("alignment", 0), what + ".alignment")
        code = (al // PAGE).bit_length()    # the decoder's align_code: 2^(code-1) pages, 0 for none
        if al % PAGE or al & (al - 1) or code > CONST["MAX_ALIGN_CODE"]:
            raise FormatError("%s.alignment: 0 or a power of two from 4K to 4G, got %s" % (what, _hex(al)))
        lo_p = _pages(args.get("range_start", 0), what + ".range_start")
        hi_p = _pages(args["range_end"], what + ".range_end", 1) if "range_end" in args else 0
        if lo_p * PAGE > (hi_p * PAGE if hi_p else total):
            raise FormatError("%s: range_start above range_end; the decoder would swap them" % what)
        mode = args.get("mode", "low")
        if mode not in MODES:
            raise FormatError("%s.mode: one of %s, got %r" % (what, ", ".join(MODES), mode))
        bits = {"high": MODES.index(mode) & 1, "best": MODES.index(mode) & 2,
                "once": _bool(args.get("once", False), what + ".once"),
                "retry": _bool(args.get("retry", False), what + ".retry"), "color": args.get("color", 0)}
        if bits["color"] not in (0, 1) or isinstance(bits["color"], bool):
            raise FormatError("%s.color: 0 or 1, got %r" % (what, bits["color"]))
        flags = sum(BITS[("ALLOC", b)] for b, on in bits.items() if on)
        _put(out, "ALLOC", {"size": size_p, "alignment": code, "range_start": lo_p, "range_end": hi_p, "flags": flags})
    elif kind["args"] == "HOST_WRITE":
        off = args.get("offset", 0)
        if isinstance(off, str) and off in PAGE_BY_NAME:
            off = PAGE_BY_NAME[off]["offset"]
        off = parse_num(off, what + ".offset")
        if off & ~CONST["OFFSET_MASK"]:
            raise FormatError("%s.offset: %s is not 4-aligned inside the page" % (what, _hex(off)))
        _put(out, "HOST_WRITE", {"offset": off, "value": _uint(args.get("value", 0), 4, what + ".value")})
    elif kind["args"] == "FREE":
        _put(out, "FREE", {"index": _uint(args.get("index", 0), 1, what + ".index")})


TOP_KEYS = ["comment", "target", "format_version", "page", "devices", "ops", "truncate"]


def encode(spec):
    """Encode a JSON spec (see the module doc) into test-case bytes."""
    _keys(spec, TOP_KEYS + list(PAGE_BY_NAME), "test case")
    target = spec.get("target", DEFAULT_TARGET)
    if not isinstance(target, str) or target not in TARGETS:    # a dict or list is unhashable
        raise FormatError("target: one of %s, got %r" % (", ".join(TARGETS), target))
    out = _encode_page(spec)
    if not TARGETS[target]["page_prefix"]:
        if any(out):
            raise FormatError("target %s has no page: drop the page fields" % target)
        out = bytearray()
    if any(k in spec for k in ("format_version", "devices", "ops")):
        out += bytes([_uint(spec.get("format_version", CONST["FORMAT_VERSION"]), 1, "format_version")])
        devs = spec.get("devices", [{}])
        max_devs = TARGETS[target]["max_devs"]
        if not isinstance(devs, list) or not 1 <= len(devs) <= max_devs:
            raise FormatError("devices: a list of 1 to %d devices" % max_devs)
        totals = [_encode_device(out, d, i, i == 0 and len(devs) > 1) for i, d in enumerate(devs)]
        if "ops" in spec:
            ops = spec["ops"]
            if not isinstance(ops, list) or len(ops) > CONST["MAX_OPS"]:
                raise FormatError("ops: a list of at most %d ops" % CONST["MAX_OPS"])
            _put(out, "SCRIPT", {"op_count": len(ops)})
            for i, op in enumerate(ops):
                _encode_op(out, op, i, totals, target)
    if "truncate" in spec:
        out = out[:parse_num(spec["truncate"], "truncate")]
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# describing

def human(n):
    """4 GiB, 512 MiB, 8 KiB, or 0x... for sizes that are not whole units."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n and n % (1 << shift) == 0:
            return "%d %s" % (n >> shift, unit)
    return _hex(n)


# The vgt_caps bits, from format.def's VGTF_BIT(PAGE, vgt_caps, ...) rows.
_CAPS = {r["bit"]: r["name"].replace("_", "-") for r in ROWS["VGTF_BIT"]
         if (r["record"], r["field"]) == ("PAGE", "vgt_caps")}


def _num(v):
    return int(v, 16) if isinstance(v, str) else v


def op_kind(op):
    """The name of a decoded op ({"alloc": {...}} -> "alloc")."""
    return next(iter(op))


def op_args(op):
    """The arguments of a decoded op, "dev" included."""
    return next(iter(op.values()))


def op_summary(op):
    """One line for a decoded op: "alloc dev 0 size 4 KiB, align none, [0x0, 0x100000000), LOW, colour 0"."""
    name, a = op_kind(op), op_args(op)
    line = "%s dev %d" % (name, a["dev"])
    if name in ("alloc", "evict", "reserve"):
        al = _num(a["alignment"])
        where = "at %s" % a["range_start"] if name == "reserve" else "[%s, %s), %s%s%s" % (
            a["range_start"], a["range_end"], a["mode"].upper(), "|ONCE" if a["once"] else "",
            " (retry BEST)" if a["retry"] else "")
        line += " size %s, align %s, %s, colour %d" % (
            human(_num(a["size"])), human(al) if al else "none", where, a["color"])
    elif name == "free":
        line += " object #%d (modulo the objects present, address order)" % a["index"]
    elif name == "create":     # the gvt target (docs/gvt.md): the host's ops, no device
        return "create a vGPU of type #%d (modulo the types offered)" % a["index"]
    elif name in ("destroy", "boot"):
        return "%s live vGPU #%d (modulo the live ones, id order)" % (name, a["index"])
    elif name == "fence_num":
        return "fence_num = %d in the lowest-id live vGPU's page (a lying host)" % _num(a["value"])
    elif name == "host_write":
        off = _num(a["offset"])
        field = [r["name"] for r in PAGE_FIELDS if r["offset"] <= off < r["offset"] + r["width"]]
        line += " page[%s]%s = %s" % (a["offset"], " (%s)" % field[0] if field else "", a["value"])
    return line


def describe(sc):
    """A human rendering of decode()'s result."""
    p = sc["page"]
    if not TARGETS[sc.get("target", DEFAULT_TARGET)]["page_prefix"]:
        L = ["target %s: no vgt_if page, one GGTT" % sc["target"]]
    else:
        L = ["vgt_if page (first %#x bytes from the input, the rest zero):" % PREFIX]

        def row(name, text):
            L.append("  0x%03x %-15s %s" % (PAGE_BY_NAME[name]["offset"], name, text))
        row("magic", p["magic"] + ("  VGT_MAGIC" if _num(p["magic"]) == VGT_MAGIC else "  (not VGT_MAGIC)"))
        row("version_major", "%d (minor %d)" % (p["version_major"], p["version_minor"]))
        row("vgt_id", "%d" % p["vgt_id"])
        caps = _num(p["vgt_caps"])
        rest = caps & ~sum(1 << b for b in _CAPS)    # bits format.def does not name, as a number
        names = [n for b, n in sorted(_CAPS.items()) if caps & (1 << b)] + ([_hex(rest)] if rest else [])
        row("vgt_caps", "%s  %s" % (p["vgt_caps"], " ".join(names) or "none"))
        if p["rsv1"]:
            row("rsv1", p["rsv1"])
        for bk, sk in (("mappable_base", "mappable_size"), ("unmappable_base", "unmappable_size")):
            b, s = _num(p[bk]), _num(p[sk])
            notes = ["not page-aligned"] if b % PAGE or s % PAGE else []
            if b + s > 0xFFFFFFFF:
                notes.append("end wraps to %s in a 32-bit unsigned long" % _hex((b + s) & 0xFFFFFFFF))
            row(bk, "%-10s size %-10s -> [%s, %s) %s%s" % (
                p[bk], p[sk], _hex(b), _hex(b + s), human(s) if s else "empty",
                ("  [" + "; ".join(notes) + "]") if notes else ""))
        row("fence_num", "%d" % p["fence_num"])
    for d, dev in enumerate(sc["devices"]):
        total, M = _num(dev["total"]), _num(dev["mappable_end"])
        L.append("device %d: GGTT [0, %s) %s, mappable_end %s (%s), color_adjust %s%s" % (
            d, dev["total"], human(total), dev["mappable_end"], human(M),
            "on" if dev["color_adjust"] else "off", ", page: a copy of device 0's" if d else ""))
        if total > 0xFFFFFFFF:
            L.append("  the total does not fit a 32-bit unsigned long: on i386 ggtt_end = total truncates to %s"
                     % _hex(total & 0xFFFFFFFF))
        for n in dev["pre"]:
            s, z = _num(n["start"]), _num(n["size"])
            L.append("  pre-existing node [%s, %s) %s, %s (colour %d%s)" % (
                n["start"], _hex(s + z), human(z), n["kind"], n["color"], ", pinned" if n["pinned"] else ""))
        if not dev["pre"]:
            L.append("  no pre-existing nodes")
    L.append("ops (numbered from 0, as findings count them):" if sc["ops"] else "ops: none")
    for i, op in enumerate(sc["ops"]):
        L.append("  %2d. %s" % (i, op_summary(op)))
    return "\n".join(L)
