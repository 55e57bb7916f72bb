"""`vgtfuzz replay FILE...`: explain a test case to a person, from the replayer's JSON.

For each file: the decoded scenario; every op with each module's result side by side (void ops,
detect, deballoon and host_write, say "done": they return nothing), the nodes of the op's device
before and after it, and for a balloon the page its own device read and what it reserved; the
verdict; then a picture of each device's GGTT drawn to scale (one character is a fixed slice of
the address space; pre-existing, ballooned and allocated nodes drawn apart; the guest's slices
marked in the margin and named once). `--png DIR` also draws each picture with gnuplot. With
--m32 the i386 replayer runs, so the nodes shown are what the 32-bit kernel did. A process that
dies (a sanitizer, a kernel BUG) is shown with its report's signature. Exit 1 when any file has an
unaccepted finding.
"""
import os
import shutil
import subprocess

from .common import UsageError, note, say
from . import build, extract, report, testcase

OP_STATUS = {1: "skipped (driver contract)", 2: "not run"}
ALLOCATING = ("alloc", "evict", "reserve")
ROWS, COLS = 32, 64     # the text picture: ROWS x COLS cells, each total / (ROWS * COLS) bytes
MARK = {"pre": "o", "balloon": "/", "alloc": "#"}
NAME = {"pre": "pre-existing", "balloon": "ballooned", "alloc": "allocated by the script"}
PNG_COLOUR = {"pre": "#808080", "balloon": "#4a90d9", "alloc": "#d9534f"}
BATCH = 500     # inputs per replayer process: a corpus of any size stays within the argument limit


def standalone(kernel, sanitize=True, profile="release", m32=False):
    lifted = extract.lift_kernel(kernel)
    cfg = build.Config(lifted, compiler="clang" if sanitize else "gcc", sanitize=sanitize,
                       profile=profile, m32=m32)
    return os.path.join(build.build(cfg, targets=["vgtfuzz-standalone"]), "harness", "vgtfuzz-standalone")


def replay_inputs(exe, files, target=None, env=None, timeout=None):
    """Replay `files` with the standalone replayer's JSON lines (docs/interfaces.md), as few
    processes as the inputs allow: a process that dies (a sanitizer, a kernel BUG that aborts)
    is blamed on the first input it wrote no line for, and the rest go to a new process.
    target None: $VGTFUZZ_TARGET (read by the replayer itself). Yields per input
    {"input", "result": the replayer's object or None, "signature", "accepted", "report": the
    dead process's stderr or ""}; signature None when clean."""
    pending = list(files)
    while pending:
        files = pending[:BATCH]
        p = subprocess.run([exe] + (["--target", target] if target else []) + ["--json"] + files,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                           env=env, timeout=timeout)
        lines = report.replayer_lines(p.stdout)
        for res in lines:
            if res["verdict"] == "error":
                raise UsageError("the replayer cannot read %s: %s" % (res["input"], res["error"]))
            f = res["finding"]
            sig = f and f["signature"]
            if res["verdict"] == "nondeterministic":
                first = res.get("first_run")
                sig = "nondeterministic/%s/%s" % (first["signature"] if first else "clean", sig or "clean")
            yield {"input": res["input"], "result": res, "signature": sig,
                   "accepted": f["accepted"] if f and res["verdict"] != "nondeterministic" else None,
                   "report": ""}
        if len(lines) == len(files):
            pending = pending[len(files):]
            continue
        if p.returncode == 2 and "usage:" in p.stderr:
            raise UsageError("the replayer %s wrote no JSON for %s (exit %d: %s): rebuild it (`scripts/vgtfuzz "
                             "build`)" % (exe, files[len(lines)], p.returncode, p.stderr.strip()[-200:]))
        dead = files[len(lines)]
        yield {"input": dead, "result": None, "accepted": None, "report": p.stderr,
               "signature": report.signature(p.stderr) or "crash/exit-%d" % p.returncode}
        pending = pending[len(lines) + 1:]


def run_json(exe, path, target=None):
    """One input: (the replayer's object or None when the process died, its signature or None,
    the dead process's stderr)."""
    r = next(replay_inputs(exe, [path], target))
    return r["result"], r["signature"], r["report"]


def _hx(v):
    return "0x%x" % v


def _num(v):
    return int(v, 0) if isinstance(v, str) else v


class Kinds:
    """Which nodes are pre-existing (the scenario's), ballooned (added by a balloon op, colour -1)
    or allocated (anything else the script added), per module and device."""

    def __init__(self, sc, mod):
        self.pre = [{(_num(n["start"]), _num(n["size"]), n["color"]) for n in d["pre"]} for d in sc["devices"]]
        self.balloon = [set() for _ in sc["devices"]]
        before = mod["setup"]
        for op, o in zip(sc["ops"], mod["ops"]):
            if testcase.op_kind(op) == "balloon" and o["status"] == 0:
                for d, (a, b) in enumerate(zip(before, o["dev"])):
                    old = {tuple(n) for n in a["nodes"]}
                    self.balloon[d] |= {tuple(n) for n in b["nodes"] if tuple(n) not in old and n[2] == -1}
            if o["status"] != 2:
                before = o["dev"]

    def of(self, dev, node):
        """node: a (start, size, colour) tuple."""
        return "pre" if node in self.pre[dev] else "balloon" if node in self.balloon[dev] else "alloc"


def _nodes(nodes, kinds, dev):
    return " ".join("[%s+%s %s%s]" % (_hx(s), testcase.human(z), MARK[kinds.of(dev, (s, z, c))],
                                      "" if c in (-1, 0) else " c%d" % c)
                    for s, z, c in nodes) or "(none)"


def _slices(page):
    """The guest's two slices named by a page: [(name, start, end)], empty ones left out."""
    return [(name, _num(page[b]), _num(page[b]) + _num(page[s]))
            for name, b, s in (("mappable slice", "mappable_base", "mappable_size"),
                               ("hidden slice", "unmappable_base", "unmappable_size")) if _num(page[s])]


def _human0(n):
    return testcase.human(n) if n else "0"


def _op_cell(kind, o, dev, why, bug):
    """One module's result of one op; `why`: the module's stop reason if it stopped at this op."""
    if o["status"]:
        return "stopped before it: %s" % why if why else OP_STATUS.get(o["status"], "?")
    d = o["dev"][dev]
    if why:     # a BUG's whole message is the verdict's; the trace keeps only its start
        return "%s (reserved %s)" % ("kernel BUG: see the verdict" if bug and why.startswith("kernel BUG")
                                     else "stopped: " + why, _human0(d["reserved"]))
    cell = "done (void)" if o["ret"] is None else "ret %d" % o["ret"]
    if kind in ALLOCATING and o["ret"] == 0:
        cell += " at %s" % _hx(o["alloc_start"])
    cell += "".join(", %d %s" % (o[k], what) for k, what in (("evictions", "evicted"), ("warns", "WARN")) if o[k])
    return cell + ", reserved %s" % _human0(d["reserved"])


def op_table(res):
    """Every op: each module's result, then the nodes of its device before and after it (once
    when the modules agree), and for a balloon the page it read and what it reserved."""
    sc, mods = res["scenario"], res["modules"]
    f = res["finding"]
    kinds = [Kinds(sc, m) for m in mods]
    read = {p["op"]: p for p in res.get("pages_read", [])}
    bug = bool(f and f["signature"].startswith("kernel-bug/"))
    L = []
    before = [m["setup"] for m in mods]
    for i, op in enumerate(sc["ops"]):
        kind, dev = testcase.op_kind(op), testcase.op_args(op)["dev"]
        cells = [_op_cell(kind, m["ops"][i], dev, m["stopped"] if m["stop_op"] == i else "", bug) for m in mods]
        L.append("%2d. %s" % (i, testcase.op_summary(op)))
        L.append("       %s" % ("all modules: " + cells[0] if len(set(cells)) == 1 else
                                " | ".join("%s: %s" % (m["name"], c) for m, c in zip(mods, cells))))
        if i in read:
            L.append("       page dev %d read: %s" % (dev, "; ".join(
                "%s [%s, %s)" % (n, _hx(a), _hx(b)) for n, a, b in _slices(read[i]["page"])) or "no slices"))
        after = [m["ops"][i]["dev"] if m["ops"][i]["status"] != 2 else b for m, b in zip(mods, before)]
        for d in range(len(sc["devices"])):
            if d != dev and all(a[d]["nodes"] == b[d]["nodes"] for a, b in zip(before, after)):
                continue
            views = {when: [_nodes(st[d]["nodes"], k, d) for st, k in zip(states, kinds)]
                     for when, states in (("before", before), ("after", after))}
            if views["before"] == views["after"]:
                views = {"before = after": views["before"]}
            for when, v in views.items():
                if len(set(v)) == 1:
                    L.append("       dev %d nodes %s: %s" % (d, when, v[0]))
                else:
                    L += ["       dev %d nodes %s, %s: %s" % (d, when, m["name"], x) for m, x in zip(mods, v)]
            if kind == "balloon" and d == dev:
                got = {}
                for m, k in zip(mods, kinds):
                    o = m["ops"][i]
                    if o["status"] == 0 and o["ret"] == 0 and m["stop_op"] != i:
                        got[m["name"]] = " ".join("[%s, %s)" % (_hx(s), _hx(s + z)) for s, z, c in o["dev"][d]["nodes"]
                                                  if k.of(d, (s, z, c)) == "balloon") or "nothing"
                if got and len(set(got.values())) == 1 and len(got) == len(mods):
                    L.append("       ballooned: %s" % next(iter(got.values())))
                else:
                    L += ["       %s ballooned: %s" % kv for kv in got.items()]
        before = after
    return "\n".join(L)


def _cells(total, nodes, kinds, dev):
    """ROWS x COLS characters; a cell shows the node that covers most of it, '.' when no node
    touches it. A node that no cell would show (smaller than a cell, beside a larger one) takes
    the cell of its start: every node is visible."""
    n = ROWS * COLS
    flat, best, won = ["."] * n, [0] * n, [None] * n
    for s, z, c in nodes:
        for cell in range(s * n // total, min(n - 1, (s + z - 1) * n // total) + 1):
            cover = min((cell + 1) * total // n, s + z) - max(cell * total // n, s)
            if cover > best[cell]:
                flat[cell], best[cell], won[cell] = MARK[kinds.of(dev, (s, z, c))], cover, (s, z, c)
    shown = set(won)
    for s, z, c in nodes:
        if (s, z, c) not in shown:
            flat[min(n - 1, s * n // total)] = MARK[kinds.of(dev, (s, z, c))]
    return ["".join(flat[r * COLS:(r + 1) * COLS]) for r in range(ROWS)]


def picture(sc, dev, state, kinds, page, title):
    """Device `dev`'s GGTT as text, to scale. `page`: the page its last balloon read (None for the
    drm_mm target, which has no page: no slices, no aperture)."""
    geo = sc["devices"][dev]
    total, mend = _num(geo["total"]), _num(geo["mappable_end"])
    step = total / ROWS
    L = ["%s: GGTT %s, one character = %s" % (title, testcase.human(total), testcase.human(total // (ROWS * COLS))),
         "  " + "  ".join("%s %s" % (MARK[k], NAME[k]) for k in MARK if page or k != "balloon") + "  . free"]
    notes = {}
    slices = _slices(page) if page else []
    if page:
        L[1] += "  margin: A mappable slice, H hidden slice"
        for name, a, b in slices:
            notes.setdefault(min(ROWS - 1, int(a // step)), []).append("%s [%s, %s) %s starts" % (
                name, _hx(a), _hx(b), testcase.human(b - a)))
        notes.setdefault(min(ROWS - 1, int(mend // step)), []).append("mappable_end %s (aperture below)" % _hx(mend))
    for r, row in enumerate(_cells(total, state["nodes"], kinds, dev)):
        lo, hi = int(r * step), int((r + 1) * step)
        margin = "".join(("A" if n.startswith("mappable") else "H") if a < hi and b > lo else " "
                         for n, a, b in slices) if page else ""
        L.append("%12s |%s|%-2s %s" % (_hx(lo), row, margin, "; ".join(notes.get(r, []))))
    L.append("%12s" % _hx(total))
    return "\n".join(L)


def png(sc, pictures, path):
    """The pictures with gnuplot: one band per device, nodes by kind, slices outlined above.
    Returns False (and says why) when gnuplot is missing or fails."""
    if not shutil.which("gnuplot"):
        note("gnuplot not found: no PNG (run `scripts/vgtfuzz setup`)")
        return False
    cmds = []   # objects without a tag: gnuplot gives each the lowest unused one
    xmax = max(_num(d["total"]) for d in sc["devices"]) / (1 << 20)
    for band, (dev, state, kinds, page, title) in enumerate(pictures):
        y = len(pictures) - 1 - band
        # To scale, but never narrower than a thousandth of the axis (a 4 KiB node shows).
        cmds += ["set object rect from %f,%f to %f,%f fc rgb '%s' fs solid 1.0 noborder" % (
            s / (1 << 20), y + 0.1, max((s + z) / (1 << 20), s / (1 << 20) + xmax / 1000), y + 0.6,
            PNG_COLOUR[kinds.of(dev, (s, z, c))]) for s, z, c in state["nodes"]]
        cmds += ["set object rect from %f,%f to %f,%f fs empty border rgb '%s'" % (
            a / (1 << 20), y + 0.65, b / (1 << 20), y + 0.8, "#2e7d32" if name.startswith("mappable") else "#6a1b9a")
            for name, a, b in (_slices(page) if page else [])]
        if page:
            mend = _num(sc["devices"][dev]["mappable_end"]) / (1 << 20)
            cmds.append("set arrow from %f,%f to %f,%f nohead dt 2" % (mend, y, mend, y + 0.9))
        cmds.append("set label '%s' at 0,%f font ',9'" % (title.replace("'", ""), y + 0.9))
    keys = ", ".join("NaN with boxes fc rgb '%s' fs solid title '%s'" % (PNG_COLOUR[k], NAME[k]) for k in MARK)
    if any(p[3] for p in pictures):
        keys += (", NaN with boxes fs empty lc rgb '#2e7d32' title 'mappable slice (the page)', NaN with boxes "
                 "fs empty lc rgb '#6a1b9a' title 'hidden slice (the page)', NaN with lines dt 2 lc rgb 'black' "
                 "title 'mappable\\_end'")
    script = ["set terminal png size 1000,%d" % (160 + 120 * len(pictures)), "set output '%s'" % path,
              "set xrange [0:%f]" % xmax, "set yrange [0:%f]" % (len(pictures) + 0.2), "unset ytics",
              "set xlabel 'GGTT address (MiB)'", "set key outside bottom"] + cmds + ["plot " + keys]
    p = subprocess.run(["gnuplot"], input="\n".join(script), text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        note("gnuplot failed: %s" % p.stderr.strip().splitlines()[-1:])
        return False
    return True


def _state_at(mod, moment, dev):
    """A module's state of `dev` after op `moment` (-1: the set-up; an op it did not run: the
    last one before it that it ran)."""
    return next((o["dev"][dev] for o in reversed(mod["ops"][:moment + 1]) if o["status"] != 2), mod["setup"][dev])


def pictures_of(res):
    """For each device, the reference module's GGTT at the interesting moment: where it stopped;
    else just before the device's last deballoon of a successful balloon (the ballooned GGTT with
    what the script put in it); else after its last op. Another module whose nodes differ at that
    moment is drawn too. Returns [(dev, state, kinds, page, title)]."""
    sc, mods = res["scenario"], res["modules"]
    ref = mods[0]
    read = {p["op"]: p["page"] for p in res.get("pages_read", [])}
    out = []
    for d in range(len(sc["devices"])):
        page = sc["page"] if sc["target"] == "balloon" else None
        last = (-1, "after set-up", page)
        held, ballooned = None, False
        for i, (op, o) in enumerate(zip(sc["ops"], ref["ops"])):
            kind = testcase.op_kind(op)
            if ref["stopped"] and ref["stop_op"] == i:
                if o["status"] == 0:
                    last, held = (i, "where op %d (%s) stopped" % (i, kind), page), None
                break
            if o["status"] != 0 or testcase.op_args(op)["dev"] != d:
                continue
            if kind == "deballoon" and ballooned:
                held, ballooned = (last[0], "before op %d (deballoon)" % i, page), False
            if kind == "balloon":
                page = read.get(i, page)
                ballooned = o["ret"] == 0
            last = (i, "after op %d (%s)" % (i, kind), page)
        moment, when, page = held if held and not ballooned else last
        state = _state_at(ref, moment, d)
        for m in mods:
            other = _state_at(m, moment, d)
            if m is ref or other["nodes"] != state["nodes"]:
                out.append((d, other, Kinds(sc, m), page, "device %d %s, as the %s module left it%s"
                            % (d, when, m["name"], "" if m is ref else " (it differs)")))
    return out


def _bar(ranges, total, width=96):
    """One GGTT row to scale: '.' free, each range drawn with its own letter."""
    row = ["."] * width
    for start, size, ch in ranges:
        a = start * width // total
        for x in range(a, min(max(a + 1, (start + size) * width // total), width)):
            row[x] = ch
    return "|" + "".join(row) + "|"


def explain_gvt(sc, res):
    """The gvt target: after each op the host's GGTT (host ranges '#', vGPU n's GM 'n') and each booted
    guest's view ('n' usable, '~' ballooned), to scale, as the kernel's intel_vgt_balloon() doc draws them."""
    g = res["gvt"]
    total, M = g["total"], g["mappable_end"]
    say("\nhost GGTT %s, aperture %s, %d vGPU types offered; '#' the host's own ranges, digits the vGPUs' GM, "
        "'~' ballooned in a guest" % (testcase.human(total), testcase.human(M), g["types"]))
    for st in g["steps"]:
        if st["op"] < 0:
            op = "setup"
        else:
            o = sc["ops"][st["op"]]
            a = testcase.op_args(o)
            op = "%d %s %s" % (st["op"], testcase.op_kind(o), a["value"] if "value" in a else "#%d" % a.get("index", 0))
        ranges = [(r[0], r[1], str(v["id"] % 10)) for v in st["vgpus"] for r in (v["low"], v["high"])]
        owned = {(s, z) for s, z, _ in ranges}
        # The host's own ranges first: a vGPU's GM drawn over them wins a shared column.
        ranges = [(s, z, "#") for s, z in st["host"] if (s, z) not in owned] + ranges
        say("\n%-28s ret %-4d host   %s" % (op[:28], st["ret"], _bar(ranges, total)))
        for v in st["vgpus"]:
            gm = "vGPU %d: type %d, GM [%s +%s] [%s +%s], fences %s" % (
                v["id"], v["type"], hex(v["low"][0]), testcase.human(v["low"][1]), hex(v["high"][0]),
                testcase.human(v["high"][1]), ",".join(map(str, v["fences"])))
            if v["guest"] is None:
                say("%-37s %s; guest not booted" % ("", gm))
                continue
            ranges = [(0, total, "~")] + [(s, z, str(v["id"] % 10)) for s, z in v["guest"]]
            say("%-37s guest%d %s  %s" % ("", v["id"], _bar(ranges, total), gm))
    f = res["finding"]
    if f:
        say("\nverdict: %s%s\n  %s" % (f["signature"], " (accepted)" if f["accepted"] else "", f["detail"]))
        return not f["accepted"]
    say("\nverdict: clean (isolation, conservation, page, instance rule and fence grant hold after every op)")
    return False


def explain(exe, path, target=None, m32=False, png_dir=None):
    with open(path, "rb") as f:
        data = f.read()
    res, sig, err = run_json(exe, path, target)
    say("=" * 100)
    say("%s (%d bytes)%s" % (path, len(data), ", i386 build" if m32 else ""))
    if res is None:
        say("\nverdict: %s (the process died)" % sig)
        say("\n".join(err.strip().splitlines()[-12:]))
        return True
    if "gvt" in res:
        return explain_gvt(testcase.decode(data, "gvt"), res)
    sc = res["scenario"]
    say(testcase.describe(sc))
    say("\n" + op_table(res))
    f = res["finding"]
    if res["verdict"] == "nondeterministic":
        say("\nverdict: NONDETERMINISTIC: %s" % sig)
    elif f:
        say("\nverdict: %s%s" % (f["signature"], " (accepted)" if f["accepted"] else ""))
        say("first divergence (op %d): %s" % (f["op"], f["detail"]))
        if f["accepted"]:
            say("accepted because: %s" % f["accepted"])
    else:
        say("\nverdict: clean (every oracle holds)")
    pics = pictures_of(res)
    for pic in pics:
        say("\n" + picture(sc, *pic))
    if png_dir:
        os.makedirs(png_dir, exist_ok=True)
        out = os.path.join(png_dir, os.path.basename(path) + ".png")
        if png(sc, pics, out):
            say("\npicture: %s" % out)
    return bool(res["verdict"] == "nondeterministic" or f and not f["accepted"])


def test_cases(paths):
    """FILE... with each DIR replaced by the files in it (sorted); unreadable ones refused up front."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            inside = sorted(os.path.join(path, n) for n in os.listdir(path)
                            if not n.startswith(".") and os.path.isfile(os.path.join(path, n)))
            if not inside:
                raise UsageError("%s: a directory with no test case in it" % path)
            files += inside
        elif os.path.isfile(path):
            files.append(path)
        else:
            raise UsageError("no such test case: %s" % path)
    for path in files:
        if not os.access(path, os.R_OK):
            raise UsageError("cannot read the test case %s (permission denied): check its permissions" % path)
    return files


def run_replay(args):
    files = test_cases(args.files)
    exe = standalone(args.kernel, sanitize=not args.plain, profile=args.profile, m32=args.m32)
    bad = [explain(exe, path, args.target, m32=args.m32, png_dir=getattr(args, "png", None)) for path in files]
    return 1 if any(bad) else 0
