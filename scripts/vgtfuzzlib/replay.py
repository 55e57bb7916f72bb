"""`vgtfuzz replay FILE...`: explain a test case to a person.

For each file: the decoded scenario, every op with each module's result side by side, the first
divergence, and a picture of each device's GGTT drawn to scale in the seed's style. The verdict
comes from the standalone replayer (`--json`); a kernel BUG or a sanitizer report (the process
dies) is shown with its signature line. Exit 1 when any file has an unaccepted finding.
"""
import json
import os
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


def run_json(exe, path):
    """(result dict or None, signature line or None, stderr tail)."""
    p = subprocess.run([exe, "--json", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sig = None
    for line in p.stderr.splitlines():
        if line.startswith("VGTFUZZ-SIGNATURE: "):
            sig = line.split(": ", 1)[1]
    if p.returncode in (0, 1) and p.stdout.strip():
        return json.loads(p.stdout), sig, p.stderr
    if sig is None:
        for line in p.stderr.splitlines():
            if "ERROR: AddressSanitizer" in line or "runtime error" in line:
                sig = "sanitizer/" + line.split("ERROR: AddressSanitizer: ")[-1].split(" ")[0]
                break
    return None, sig or "crash/exit-%d" % p.returncode, p.stderr


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
    lines = ["%s (GGTT %s, aperture %s)" % (title, testcase.human(total), testcase.human(mend))]
    for r in range(ROWS):
        lo, hi = r * step, min(total, (r + 1) * step)
        cell = " "
        for s, z, c in obs["nodes"]:
            if s < hi and s + z > lo:
                cell = "/" if c == -1 else "#"
                break
        mine = (lo < mb + ms and hi > mb and ms) or (lo < ub + us and hi > ub and us)
        part = "aperture" if lo < mend else "hidden  "
        edge = "=" if lo < mend <= hi - 1 or (lo == mend and r) else "-"
        lines.append("%12s %s |%s| %s" % (_hx(lo), part, cell * 24, "<- guest slice" if mine else ""))
        if edge == "=":
            lines.append("%12s %s +%s+" % ("", " " * 8, "=" * 24))
    lines.append("%12s +%s+" % (_hx(total), "-" * 24))
    return "\n".join(lines)


def explain(exe, path):
    with open(path, "rb") as f:
        data = f.read()
    sc = testcase.decode(data)
    say("=" * 100)
    say("%s (%d bytes)" % (path, len(data)))
    say(testcase.describe(sc))
    res, sig, err = run_json(exe, path)
    if res is None:
        say("\nverdict: %s (the process died)" % sig)
        say("\n".join(err.strip().splitlines()[-12:]))
        return True
    mods = res["modules"]
    names = [m["name"] for m in mods]
    say("\n%-4s %-22s " % ("op", "what") + " | ".join("%-34s" % n for n in names))
    for i, op in enumerate(sc["ops"]):
        kind = testcase.op_kind(op)
        cells = []
        for m in mods:
            o = m["ops"][i]
            cell = OP_STATUS[o["status"]] if o["status"] else "ret %d" % o["ret"]
            if kind == "alloc" and o["status"] == 0 and o["ret"] == 0:
                cell += " at %s" % _hx(o["alloc_start"])
            if o["evictions"]:
                cell += ", %d evicted" % o["evictions"]
            if o["warns"]:
                cell += ", %d WARN" % o["warns"]
            d = o["dev"][testcase.op_args(op)["dev"]]
            cell += ", reserved %s" % testcase.human(d["reserved"])
            cells.append("%-34s" % cell)
        say("%-4d %-22s " % (i, testcase.op_summary(op)) + " | ".join(cells))
        ref = mods[0]["ops"][i]["dev"]
        for m in mods[1:]:
            for d, (a, b) in enumerate(zip(ref, m["ops"][i]["dev"])):
                if a["nodes"] != b["nodes"]:
                    say("     dev %d nodes  %s: %s" % (d, names[0], _nodes(a)))
                    say("     dev %d nodes  %s: %s" % (d, m["name"], _nodes(b)))
    f = res["finding"]
    if f:
        say("\nverdict: %s%s" % (f["signature"], " (accepted)" if f["accepted"] else ""))
        say("first divergence (op %d): %s" % (f["op"], f["detail"]))
        if f["accepted"]:
            say("accepted because: %s" % f["accepted"])
    else:
        say("\nverdict: clean (every oracle holds)")
    for d, dev in enumerate(sc["devices"]):
        last = mods[0]["setup"][d]
        for o in mods[0]["ops"]:
            if o["status"] == 0:
                last = o["dev"][d]
        # The guest slices marked are the decoded page's (before any host write).
        say("")
        say(picture(dev, sc["page"], last,
                    "device %d after the last op, as the kernel left it" % d))
    return bool(f and not f["accepted"])


def run_replay(args):
    exe = standalone(args.kernel, sanitize=not args.plain, profile=args.profile, m32=args.m32)
    bad = False
    for path in args.files:
        if not os.path.isfile(path):
            raise UsageError("no such test case: %s" % path)
    for path in args.files:
        bad |= explain(exe, path)
    return 1 if bad else 0
