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
from . import build, extract, report, testcase

OP_STATUS = {0: "ran", 1: "skipped (driver contract)", 2: "not run"}
ROWS = 32   # picture height


def standalone(kernel, sanitize=True, profile="release", m32=False):
    lifted = extract.lift_kernel(kernel)
    cfg = build.Config(lifted, compiler="clang" if sanitize else "gcc", sanitize=sanitize,
                       profile=profile, m32=m32)
    bdir = build.build(cfg, targets=["vgtfuzz-standalone"])
    return os.path.join(bdir, "harness", "vgtfuzz-standalone")


def replay_inputs(exe, files, target=None, env=None, timeout=None):
    """Replay `files` with the standalone replayer's JSON lines (docs/interfaces.md), as few
    processes as the inputs allow: a process that dies (a sanitizer, a kernel BUG that aborts)
    is blamed on the first input it wrote no line for, and the rest go to a new process.
    target None: $VGTFUZZ_TARGET (read by the replayer itself). Yields per input
    {"input", "result": the replayer's object or None, "signature", "accepted", "report": the
    dead process's stderr or ""}; signature None when clean."""
    files = list(files)
    while files:
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
            return
        if p.returncode == 2 and "usage:" in p.stderr:
            raise UsageError("the replayer %s wrote no JSON for %s (exit %d: %s): rebuild it (`scripts/vgtfuzz "
                             "build`)" % (exe, files[len(lines)], p.returncode, p.stderr.strip()[-200:]))
        dead = files[len(lines)]
        yield {"input": dead, "result": None, "accepted": None, "report": p.stderr,
               "signature": report.signature(p.stderr) or "crash/exit-%d" % p.returncode}
        files = files[len(lines) + 1:]


def run_json(exe, path, target=None):
    """One input: (the replayer's object or None when the process died, its signature or None,
    the dead process's stderr)."""
    r = next(replay_inputs(exe, [path], target))
    return r["result"], r["signature"], r["report"]


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
            cell = "done (void)" if o["ret"] is None else "ret %d" % o["ret"]
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
