"""`vgtfuzz lift --kernel DIR --check`: what a tree needs that the compat layer lacks, on one screen.

It detects the API era, lifts the tree, lists the annotation macros the extractor absorbed, then
compiles every lifted translation unit and our kgtt/kenv against the compat headers with
`gcc -fsyntax-only` (the build's own commands, release and debug profiles) and sorts the compiler's complaints:
missing headers, unknown identifiers (a function or macro the compat layer lacks), changed prototypes, and the rest.
Exit 0 when nothing is lacking, 1 when something is, 2 when the tree cannot be lifted at all.
"""
import json
import os
import re
import shlex
import subprocess
import tempfile

from .common import ROOT, UsageError, say
from . import build, extract, manifest, trees

EXTRACTED = os.path.join(ROOT, "extracted")
MAX_ITEMS = 6
# The release and debug profiles: CONFIG_DRM_DEBUG_MM and I915_DEBUG_GEM compile in more code.
PROFILES = ("release", "debug")

CATEGORIES = [
    ("missing headers", re.compile(r"fatal error: (\S+): No such file or directory")),
    ("unknown identifiers (functions or macros the compat layer lacks)",
     re.compile(r"implicit declaration of function [‘'](\w+)[’']|[‘'](\w+)[’'] undeclared|"
                r"unknown type name [‘'](\w+)[’']|expected .* before [‘'](\w+)[’']")),
    ("changed prototypes or structures",
     re.compile(r"conflicting types for [‘'](\w+)[’']|too (?:many|few) arguments to function [‘'](\w+)[’']|"
                r"has no member named [‘'](\w+)[’']|incompatible (?:type|pointer type).*[‘'](\w+)[’']")),
]


def units(lifted, scratch):
    """(directory, compiler arguments) of every C file under extracted/ (the lifted code's shims and
    our kgtt, kenv, host_env, kunit runners) that the build compiles for this lift, in each profile,
    from the compile_commands.json of a CMake configuration in `scratch`: the build's own flags and
    include paths, nothing copied."""
    out = []
    for profile in PROFILES:
        cfg = build.Config(lifted, compiler="gcc", profile=profile)
        bdir = os.path.join(scratch, cfg.name)
        build.configure(cfg, bdir)
        with open(os.path.join(bdir, "compile_commands.json")) as f:
            for e in json.load(f):
                if e["file"].startswith(EXTRACTED + os.sep):
                    args = shlex.split(e["command"])
                    i = args.index("-o")
                    out.append((e["directory"], [a for a in args[:i] + args[i + 2:] if a != "-c"]))
    return out


def compile_errors(lifted, commands, empty):
    """[(file:line, message)] of gcc's errors over `commands` (units()). A missing header stops gcc
    at once: it is reported, then stood in for by an empty one in `empty` so that the rest is seen too."""
    seen, errors, first = set(), [], {}
    os.makedirs(empty, exist_ok=True)
    for _ in range(8):
        errors = _compile_round(commands, lifted, empty)
        for where, m in errors:
            if "No such file" in m:
                first.setdefault(re.search(r"fatal error: (\S+):", m).group(1), where)
        new = set(first) - seen     # missing this round and not stood in for yet
        if not new:
            break
        for h in new:
            path = os.path.join(empty, h.strip('"<>'))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").close()
        seen |= new
    return [(first[h], "fatal error: %s: No such file or directory" % h) for h in sorted(seen)] + errors


def _compile_round(commands, lifted, empty):
    errors = []
    for directory, args in commands:
        p = subprocess.run(args[:-1] + ["-fsyntax-only", "-fmax-errors=200", "-idirafter", empty, args[-1]],
                           cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in p.stdout.splitlines():
            m = re.match(r"(.+?):(\d+):(?:\d+:)? ((?:fatal )?error: .*)", line)
            if m:
                where = os.path.relpath(m.group(1), lifted if m.group(1).startswith(lifted) else ROOT)
                errors.append(("%s:%s" % (where, m.group(2)), m.group(3)))
    return errors


def classify(errors):
    """{category: {name: first place}} and the rest [(place, message)]."""
    found = {c: {} for c, _ in CATEGORIES}
    other = []
    for where, msg in errors:
        for cat, rx in CATEGORIES:
            m = rx.search(msg)
            if m:
                name = next(g for g in m.groups() if g)
                found[cat].setdefault(name, where)
                break
        else:
            if msg not in [o[1] for o in other]:
                other.append((where, msg))
    return found, other


def _items(d):
    names = list(d.items())
    text = ", ".join("%s (%s)" % (n, w) for n, w in names[:MAX_ITEMS])
    if len(names) > MAX_ITEMS:
        text += ", and %d more" % (len(names) - MAX_ITEMS)
    return text


def run_check(kernel):
    tree = trees.resolve(kernel)
    version = trees.kernel_version(tree)
    m = manifest.load()
    say("vgtfuzz lift --check: %s (%s)" % (tree, version))
    try:
        era = extract.detect_era(tree, m)
        lifted = extract.lift(tree)
    except UsageError as e:
        say("  cannot lift: %s" % e)
        raise UsageError("the tree cannot be lifted as it is (above)")
    rec = extract.record(lifted)
    say("  API era: %s" % era["name"])
    say("  lifted: %s" % os.path.relpath(lifted, ROOT))
    if rec.get("kunit_missing"):
        say("  no drm_mm tests in the tree: %s" % ", ".join(rec["kunit_missing"]))
    absorbed = rec.get("absorbed_annotations") or []
    say("  annotation macros absorbed as empty: %s" % (", ".join(absorbed) or "none"))
    if rec.get("host_refused"):
        say("  GVT-g host side (gvt target) not lifted: %s" % rec["host_refused"])
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-check-") as scratch:
        commands = units(lifted, scratch)
        errors = compile_errors(lifted, commands, os.path.join(scratch, "empty"))
    found, other = classify(errors)
    gaps = sum(len(v) for v in found.values()) + len(other)
    n_units = len({args[-1] for _, args in commands})
    say("  compile check (gcc -fsyntax-only, %d units, release and debug profiles, the build's flags): %s"
        % (n_units, "clean" if not gaps else "%d error(s)" % len(errors)))
    for cat, _ in CATEGORIES:
        if found[cat]:
            say("    %s: %s" % (cat, _items(found[cat])))
    for where, msg in other[:MAX_ITEMS]:
        say("    other: %s: %s" % (where, msg[:140]))
    if len(other) > MAX_ITEMS:
        say("    other: and %d more" % (len(other) - MAX_ITEMS))
    if gaps:
        say("  verdict: the compat layer lacks what is listed above (compat/semantics for kernel primitives, "
            "compat/stubs for no-ops, compat/testing for test-world stand-ins)")
        return 1
    say("  verdict: the compat layer covers this tree")
    return 0
