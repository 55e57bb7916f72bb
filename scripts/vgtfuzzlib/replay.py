"""`vgtfuzz replay FILE...`: explain a test case to a person.

For each file: the decoded scenario, every op with each module's result side by side, the first
divergence, and a picture of each device's GGTT drawn to scale in the seed's style. The verdict
comes from the standalone replayer (`--json`); a kernel BUG or a sanitizer report (the process
dies) is shown with its signature line. Exit 1 when any file has an unaccepted finding.
"""
import json
import os
import re
import subprocess

from .common import UsageError, say
from . import build, extract, testcase

OP_STATUS = {0: "ran", 1: "skipped (driver contract)", 2: "not run"}
ROWS = 32   # picture height


def standalone(kernel, sanitize=True, profile="release", m32=False):
    lifted = extract.lift_kernel(kernel)
    cfg = build.Config(lifted, compiler="clang" if sanitize else "gcc", sanitize=sanitize,
                       profile=profile, m32=m32)
    bdir = build.build(cfg, targets=["vgtfuzz-standalone"])
    return os.path.join(bdir, "harness", "vgtfuzz-standalone")


def run_json(exe, path, target=None):
    """(result dict or None, signature line or None, stderr tail). target None: $VGTFUZZ_TARGET
    (read by the replayer itself), else balloon."""
    p = subprocess.run([exe] + (["--target", target] if target else []) + ["--json", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sig = None
    for line in p.stderr.splitlines():
        if line.startswith("VGTFUZZ-SIGNATURE: "):
            sig = line.split(": ", 1)[1]
    if p.returncode in (0, 1) and p.stdout.strip():
        try:
            return json.loads(p.stdout), sig, p.stderr
        except ValueError:
            raise UsageError("the replayer %s wrote JSON that does not parse for %s: rebuild it "
                             "(`scripts/vgtfuzz build`)" % (exe, path)) from None
    return None, sig or sanitizer_signature(p.stderr) or "crash/exit-%d" % p.returncode, p.stderr


def sanitizer_signature(stderr):
    """A stable signature for a sanitizer report: kind and where (function or file:line), with no
    paths or addresses in it."""
    for line in stderr.splitlines():
        m = re.search(r"([\w.-]+):(\d+):\d+: runtime error: (\w+(?: \w+)?)", line)
        if m:
            return "ubsan/%s:%s/%s" % (m.group(1), m.group(2), m.group(3).replace(" ", "-"))
        m = re.search(r"ERROR: AddressSanitizer: ([\w-]+)", line)
        if m:
            kind = m.group(1)
            frame = re.search(r"#\d+ 0x[0-9a-f]+ in (\w+)", stderr[stderr.index(line):])
            return "asan/%s/%s" % (kind, frame.group(1) if frame else "?")
    return None


def _hx(v):
    return "0x%x" % v


def _nodes(dev):
    return " ".join("[%s+%s%s]" % (_hx(s), testcase.human(z), "" if c == -1 else " c%d" % c)
                    for s, z, c in dev["nodes"]) or "(empty)"


def picture(sc_dev, page, obs, title):
    """The GGTT from 0 to total, ROWS lines to scale: '/' ballooned (colour -1 nodes), '#' other
    nodes, ' ' free; the aperture/hidden boundary and the guest's own slices are marked."""
    total, mend = sc_dev["total"], sc_dev["mappable_end"]
    total = int(total, 0) if isinstance(total, str) else total
    mend = int(mend, 0) if isinstance(mend, str) else mend
    num = lambda k: int(page[k], 0) if isinstance(page[k], str) else page[k]
    mb, ms, ub, us = num("mappable_base"), num("mappable_size"), num("unmappable_base"), num("unmappable_size")
    step = max(1, total // ROWS)
    lines = ["%s (GGTT %s, aperture %s; '/' ballooned, '#' other nodes, ' ' free)"
             % (title, testcase.human(total), testcase.human(mend))]
    for r in range(ROWS):
        lo, hi = r * step, min(total, (r + 1) * step)
        if r and lo >= mend > lo - step:
            lines.append("%12s %s +%s+ mappable_end %s" % ("", " " * 8, "=" * 24, _hx(mend)))
        cell = " "
        for s, z, c in obs["nodes"]:
            if s < hi and s + z > lo:
                cell = "/" if c == -1 else "#"
                break
        mine = (lo < mb + ms and hi > mb and ms) or (lo < ub + us and hi > ub and us)
        part = "aperture" if lo < mend else "hidden  "
        lines.append("%12s %s |%s| %s" % (_hx(lo), part, cell * 24, "<- guest slice" if mine else ""))
    lines.append("%12s +%s+" % (_hx(total), "-" * 24))
    return "\n".join(lines)


def _bar(ranges, total, width=96, fill=None):
    """One GGTT row to scale: '.' free, each range drawn with its own letter (or `fill`)."""
    row = ["."] * width
    for k, (start, size, ch) in enumerate(ranges):
        a = start * width // total
        b = max(a + 1, (start + size) * width // total)
        for x in range(a, min(b, width)):
            row[x] = fill or ch
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
        owned = set()
        ranges = []
        for v in st["vgpus"]:
            for r in (v["low"], v["high"]):
                ranges.append((r[0], r[1], str(v["id"] % 10)))
                owned.add((r[0], r[1]))
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


def explain(exe, path, target=None):
    with open(path, "rb") as f:
        data = f.read()
    sc = testcase.decode(data, target)
    say("=" * 100)
    say("%s (%d bytes)" % (path, len(data)))
    say(testcase.describe(sc))
    res, sig, err = run_json(exe, path, target)
    if res is None:
        say("\nverdict: %s (the process died)" % sig)
        say("\n".join(err.strip().splitlines()[-12:]))
        return True
    if "gvt" in res:
        return explain_gvt(sc, res)
    mods = res["modules"]
    names = [m["name"] or "?" for m in mods]
    f = res["finding"]
    # The op where a module's run stopped (a kernel BUG, or a hazard the harness stopped it at).
    stop_op = f["op"] if f and f["signature"].split("/")[0] in ("kernel-bug", "hazard") else None
    say("\n%-4s %-22s " % ("op", "what") + " | ".join("%-34s" % n for n in names))
    for i, op in enumerate(sc["ops"]):
        kind = testcase.op_kind(op)
        cells = []
        for m in mods:
            o = m["ops"][i]
            stopped_here = stop_op == i and m["stopped"]
            if o["status"]:
                cells.append("%-34s" % ("stopped: hazard" if stopped_here else OP_STATUS.get(o["status"], "?")))
                continue
            if stopped_here:
                d = o["dev"][testcase.op_args(op)["dev"]]
                cells.append("%-34s" % ("%s, reserved %s" % ("kernel BUG" if f["signature"].startswith("kernel-bug/")
                                                               else "stopped: hazard", testcase.human(d["reserved"]))))
                continue
            cell = "ret %d" % o["ret"]
            if kind in ("alloc", "evict", "reserve") and o["status"] == 0 and o["ret"] == 0:
                cell += " at %s" % _hx(o["alloc_start"])
            if o["evictions"]:
                cell += ", %d evicted" % o["evictions"]
            if o["warns"]:
                cell += ", %d WARN" % o["warns"]
            d = o["dev"][testcase.op_args(op)["dev"]]
            cell += ", reserved %s" % testcase.human(d["reserved"])
            cells.append("%-34s" % cell)
        say("%-4d %-22s " % (i, testcase.op_summary(op)) + " | ".join(cells))
        ref = mods[0]["ops"][i]
        for m in mods[1:]:
            if ref["status"] or m["ops"][i]["status"]:
                continue
            for d, (a, b) in enumerate(zip(ref["dev"], m["ops"][i]["dev"])):
                if a["nodes"] != b["nodes"]:
                    say("     dev %d nodes  %s: %s" % (d, names[0], _nodes(a)))
                    say("     dev %d nodes  %s: %s" % (d, m["name"], _nodes(b)))
    if f:
        say("\nverdict: %s%s" % (f["signature"], " (accepted)" if f["accepted"] else ""))
        say("first divergence (op %d): %s" % (f["op"], f["detail"]))
        if f["accepted"]:
            say("accepted because: %s" % f["accepted"])
    else:
        say("\nverdict: clean (every oracle holds)")
    for d, dev in enumerate(sc["devices"]):
        # Draw the state after the device's last successful balloon (the interesting one), else
        # after the last op that ran.
        state, when = mods[0]["setup"][d], "after set-up"
        for i, o in enumerate(mods[0]["ops"]):
            op = sc["ops"][i]
            if i == stop_op and o["status"] == 0 and mods[0]["stopped"]:
                state, when = o["dev"][d], "where op %d (%s) stopped" % (i, testcase.op_kind(op))
                break
            if o["status"] == 0 and testcase.op_args(op)["dev"] == d:
                if testcase.op_kind(op) == "balloon" and o["ret"] == 0:
                    state, when = o["dev"][d], "after op %d (balloon)" % i
                    break
                state, when = o["dev"][d], "after op %d" % i
        say("")
        say(picture(dev, sc["page"], state, "device %d %s, as the kernel left it" % (d, when)))
    return bool(f and not f["accepted"])


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
    bad = False
    for path in files:
        bad |= explain(exe, path, args.target)
    return 1 if bad else 0
