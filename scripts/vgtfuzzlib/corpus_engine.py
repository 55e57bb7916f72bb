"""Corpus tools that need a build of the harness: minimise a finding keeping its signature, and
merge (cmin) corpora by coverage with libFuzzer's -merge."""
import os
import shutil
import subprocess
import tempfile

from .common import UsageError, note, say
from . import build, extract, replay


def _signature(exe, path):
    res, sig, _ = replay.run_json(exe, path)
    if res is not None:
        return res["finding"]["signature"] if res["finding"] else None
    return sig


def minimize(exe, data, want, scratch):
    """Shrink `data` while the replayer still reports signature `want`: remove chunks (halving
    their size down to single bytes), then zero bytes (simpler values). Returns (bytes, tries)."""
    path = os.path.join(scratch, "candidate")
    tries = 0

    def keeps(candidate):
        nonlocal tries
        tries += 1
        with open(path, "wb") as f:
            f.write(candidate)
        return _signature(exe, path) == want

    chunk = max(1, len(data) // 2)
    while chunk >= 1:
        i, shrunk = 0, False
        while i < len(data):
            candidate = data[:i] + data[i + chunk:]
            if candidate != data and keeps(candidate):
                data, shrunk = candidate, True
            else:
                i += chunk
        if not shrunk:
            chunk //= 2
    for i in range(len(data)):
        if data[i] and keeps(data[:i] + b"\0" + data[i + 1:]):
            data = data[:i] + b"\0" + data[i + 1:]
    return data, tries


def cmd_minimize(a):
    exe = replay.standalone(a.kernel, sanitize=True, profile=a.profile, m32=a.m32)
    with open(a.file, "rb") as f:
        data = f.read()
    scratch = tempfile.mkdtemp(prefix="vgtfuzz-min-")
    try:
        want = _signature(exe, a.file)
        if want is None:
            raise UsageError("%s shows no finding: nothing to minimise" % a.file)
        small, tries = minimize(exe, data, want, scratch)
    finally:
        shutil.rmtree(scratch)
    out = a.output or a.file + ".min"
    with open(out, "wb") as f:
        f.write(small)
    say("%s: %d -> %d bytes in %d runs, still %s" % (out, len(data), len(small), tries, want))
    return 0


def cmd_merge(a):
    lifted = extract.lift_kernel(a.kernel)
    cfg = build.Config(lifted, engine="libfuzzer")
    exe = os.path.join(build.build(cfg, targets=["vgtfuzz-libfuzzer"]), "harness", "vgtfuzz-libfuzzer")
    for d in a.inputs:
        if not os.path.isdir(d):
            raise UsageError("no such corpus directory: %s" % d)
    os.makedirs(a.output, exist_ok=True)
    before = len(os.listdir(a.output))
    note("merging %s into %s by coverage" % (", ".join(a.inputs), a.output))
    # Accepted findings are not crashes; an unaccepted one would stop the merge, so say which.
    p = subprocess.run([exe, "-merge=1", a.output] + a.inputs, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise UsageError("libFuzzer -merge failed (an input with an unaccepted finding?): %s"
                         % (p.stdout.strip().splitlines()[-1:] or ["no output"])[0])
    say("%s: %d -> %d inputs" % (a.output, before, len(os.listdir(a.output))))
    return 0
