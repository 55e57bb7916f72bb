"""Crash reports and signatures: the one place that reads what a crashing process printed.

The replayer's verdicts come as JSON (`vgtfuzz-standalone --json`, docs/interfaces.md); only a
process that dies leaves text: our own `VGTFUZZ-SIGNATURE:` line (a finding aborts), a sanitizer
report (ASan, UBSan, LeakSanitizer), libFuzzer's report around it, or an AFL++ crash file name.
parse() turns any of them into one dict, tested against tests/report/*.txt (inputs from real runs)
and their expected *.json (as syzkaller's pkg/report does):

    {"kind":      "vgtfuzz" | "asan" | "ubsan" | "lsan" | "libfuzzer" | null,
     "type":      what happened ("SEGV", "heap-use-after-free", "deadly-signal", "timeout", ...),
     "signature": stable across inputs and builds (no addresses, no paths), or null: nothing found,
     "title":     the report's first line, for a person,
     "frames":    the first stack's functions, innermost first,
     "where":     "file.c:line" of the first frame with a source position, or null,
     "artifact":  the file libFuzzer wrote the input to, or null}

Signatures: ours as printed (`class/op/field[/module]`, `kernel-bug/op/file:line`);
`asan/<type>/<function>`, `ubsan/<file>:<line>/<check>`, `lsan/leak/<function>`,
`libfuzzer/<type>` when no sanitizer said more.
"""
import json
import os
import re

SIGNATURE_LINE = "VGTFUZZ-SIGNATURE: "

_ASAN = re.compile(r"==\d+==\s*ERROR: AddressSanitizer: ([\w-]+)")
_LSAN = re.compile(r"==\d+==\s*ERROR: LeakSanitizer: detected memory leaks")
_UBSAN = re.compile(r"([^\s:]+):(\d+):\d+: runtime error: (.*)")
_LIBFUZZER = re.compile(r"==\d+==\s*ERROR: libFuzzer: ([\w-]+(?: [\w-]+)*)")
_FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (\S+)(?: (\S+))?")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")
_AFL_NAME = re.compile(r"id:(\d+),(?:sig:(\d+),)?")
# The sanitizer's and libc's own frames (interceptors, abort, raise, the allocator), never the culprit.
_RUNTIME = re.compile(r"(__interceptor_|__asan_|__sanitizer|__ubsan|__lsan|_?_?libc|raise$|abort$|"
                      r"malloc$|calloc$|realloc$|free$|operator)")

# UBSan's message -> its check name (-fsanitize=<check>), for the signature.
_UBSAN_CHECKS = (
    ("signed integer overflow", "signed-integer-overflow"),
    ("unsigned integer overflow", "unsigned-integer-overflow"),
    ("shift exponent", "shift-exponent"),
    ("left shift", "shift-base"),
    ("division by zero", "integer-divide-by-zero"),
    ("null pointer", "null"),
    ("misaligned address", "alignment"),
    ("out of bounds", "bounds"),
    ("implicit conversion", "implicit-conversion"),
    ("load of value", "load-invalid-value"),
    ("applying non-zero offset", "pointer-overflow"),
    ("pointer index expression", "pointer-overflow"),
)


def _ubsan_check(message):
    fallback = re.sub(r"[^a-z0-9]+", "-", message.split(":")[0].lower()).strip("-") or "unknown"
    return next((check for needle, check in _UBSAN_CHECKS if needle in message), fallback)


def _frames(lines, start):
    """The functions of the first stack at or after lines[start] (innermost first), and where the
    first of them with a source position is ("file.c:line")."""
    funcs, where, seen = [], None, False
    for line in lines[start:]:
        m = _FRAME.match(line)
        if not m:
            if seen:
                break
            continue
        seen = True
        funcs.append(m.group(2))
        if where is None and m.group(3) and re.search(r"\.[ch]:\d+", m.group(3)):
            f, ln = m.group(3).split(":")[:2]
            where = "%s:%s" % (os.path.basename(f), ln)
    return funcs, where


def _ours(funcs):
    """The first frame that is not the sanitizer's or libc's own (its interceptors, abort, raise)."""
    return next((f for f in funcs if not _RUNTIME.match(f)), funcs[0] if funcs else "?")


def parse(text):
    """Parse what a crashing process printed (stderr, or libFuzzer's combined log)."""
    lines = text.splitlines()
    art = _ARTIFACT.search(text)
    out = {"kind": None, "type": None, "signature": None, "title": None, "frames": [], "where": None,
           "artifact": art.group(1) if art else None}
    for i, line in enumerate(lines):
        if line.startswith(SIGNATURE_LINE):
            sig = line[len(SIGNATURE_LINE):].strip()
            detail = lines[i + 1] if i + 1 < len(lines) else ""
            out.update(kind="vgtfuzz", type=sig.split("/")[0], signature=sig, title=detail.strip() or sig)
            return out
    for i, line in enumerate(lines):
        m = _ASAN.search(line)
        if m:
            funcs, where = _frames(lines, i + 1)
            out.update(kind="asan", type=m.group(1), title=line[line.index("ERROR"):].strip(),
                       frames=funcs, where=where, signature="asan/%s/%s" % (m.group(1), _ours(funcs)))
            return out
        m = _UBSAN.search(line)
        if m:
            check = _ubsan_check(m.group(3))
            where = "%s:%s" % (os.path.basename(m.group(1)), m.group(2))   # UBSan's own position, not a frame's
            out.update(kind="ubsan", type=check, title=m.group(3).strip(), frames=_frames(lines, i + 1)[0],
                       where=where, signature="ubsan/%s/%s" % (where, check))
            return out
        if _LSAN.search(line):
            funcs, where = _frames(lines, i + 1)
            out.update(kind="lsan", type="leak", title="LeakSanitizer: detected memory leaks", frames=funcs,
                       where=where, signature="lsan/leak/%s" % _ours(funcs))
            return out
    for i, line in enumerate(lines):
        m = _LIBFUZZER.search(line)
        if m:
            kind = re.sub(r" after \d+ seconds?$", "", m.group(1)).replace(" ", "-")
            kind = "oom" if kind.startswith("out-of-memory") else kind
            funcs, where = _frames(lines, i + 1)
            out.update(kind="libfuzzer", type=kind, title=line[line.index("ERROR"):].strip(), frames=funcs,
                       where=where, signature="libfuzzer/%s" % kind)
            return out
    return out


def signature(text):
    """parse(text)'s signature, or None."""
    return parse(text)["signature"]


def crash_starts(line):
    """Does this line of a libFuzzer log begin a crash report (ours, a sanitizer's, libFuzzer's)?"""
    return line.startswith(SIGNATURE_LINE) or bool(_ASAN.search(line) or _LSAN.search(line) or
                                                   _UBSAN.search(line) or _LIBFUZZER.search(line))


def afl_crash(name):
    """An AFL++ crash file's name -> {"id", "signal"} ("id:000003,sig:06,src:..." -> 3, 6), or None.
    AFL++ writes no report of its own: the crash is replayed for its signature."""
    m = _AFL_NAME.match(os.path.basename(name))
    return {"id": int(m.group(1)), "signal": int(m.group(2)) if m.group(2) else None} if m else None


def replayer_lines(stdout):
    """The objects of the replayer's JSON lines (`--json`); a line cut short by a crash is dropped."""
    out = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                break
    return out
