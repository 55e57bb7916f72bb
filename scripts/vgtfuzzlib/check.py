"""`vgtfuzz lift --kernel DIR --check`: what a tree needs that the compat layer lacks, on one screen.

It detects the API era, lifts the tree, lists the annotation macros the extractor absorbed, then
compiles every lifted translation unit and our kgtt/kenv against the compat headers with
`gcc -fsyntax-only` (the lifted code's flags, release and debug profiles) and sorts the compiler's complaints:
missing headers, unknown identifiers (a function or macro the compat layer lacks), changed prototypes, and the rest.
Exit 0 when nothing is lacking, 1 when something is, 2 when the tree cannot be lifted at all.
"""
import os
import re
import shutil
import subprocess

from .common import ROOT, UsageError, say
from . import extract, manifest, trees

EXTRACTED = os.path.join(ROOT, "extracted")
COMPAT_ROOTS = [os.path.join(EXTRACTED, "compat", r) for r in ("testing", "stubs", "semantics")]
KERNEL_FLAGS = ["-std=gnu11", "-fno-strict-aliasing", "-fno-common", "-Wno-format",
                "-Werror=implicit-function-declaration", "-Werror=implicit-int", "-Werror=int-conversion",
                "-Werror=incompatible-pointer-types", "-fmax-errors=200"]
MAX_ITEMS = 6
# The release and debug profiles: CONFIG_DRM_DEBUG_MM and I915_DEBUG_GEM compile in more code.
PROFILES = [[], ["-DCONFIG_DRM_DEBUG_MM", "-DCONFIG_DRM_I915_DEBUG_GEM"]]

CATEGORIES = [
    ("missing headers", re.compile(r"fatal error: (\S+): No such file or directory")),
    ("unknown identifiers (functions or macros the compat layer lacks)",
     re.compile(r"implicit declaration of function [‘'](\w+)[’']|[‘'](\w+)[’'] undeclared|"
                r"unknown type name [‘'](\w+)[’']|expected .* before [‘'](\w+)[’']")),
    ("changed prototypes or structures",
     re.compile(r"conflicting types for [‘'](\w+)[’']|too (?:many|few) arguments to function [‘'](\w+)[’']|"
                r"has no member named [‘'](\w+)[’']|incompatible (?:type|pointer type).*[‘'](\w+)[’']")),
]


def _units(lifted):
    """(source, extra include dirs, defines) of every translation unit the build would compile."""
    shims = os.path.join(EXTRACTED, "shims")
    units = [os.path.join(shims, s) for s in ("drm_mm-shim.c", "rbtree-shim.c", "i915_vgpu-shim.c",
                                              "i915_gem_gtt_reserve-shim.c", "intel_ggtt-shim.c")]
    if os.path.exists(os.path.join(lifted, "drivers/gpu/drm/tests/drm_mm_test.c")):
        units.append(os.path.join(shims, "drm_mm_test-shim.c"))
    elif os.path.exists(os.path.join(lifted, "drivers/gpu/drm/selftests/test-drm_mm.c")):
        units.append(os.path.join(shims, "drm_mm_selftests-shim.c"))
    if os.path.exists(os.path.join(lifted, "lib/math/prime_numbers.c")):
        units.append(os.path.join(shims, "prime_numbers-shim.c"))
    if os.path.exists(os.path.join(lifted, "drivers/gpu/drm/lib/drm_random.c")):
        units.append(os.path.join(shims, "drm_random-shim.c"))
    units += [os.path.join(EXTRACTED, "kgtt.c"), os.path.join(EXTRACTED, "kenv.c")]
    return units


HOST_COMPAT = os.path.join(EXTRACTED, "compat", "host")


def _host_units(lifted):
    """The GVT-g host side's units (docs/gvt.md), compiled with compat/host first; none when the
    tree's host code was not lifted (LIFTED.json host_refused)."""
    if not os.path.exists(os.path.join(lifted, "fragments", "host_macros.h")):
        return []
    shims = os.path.join(EXTRACTED, "shims", "host")
    return sorted(os.path.join(shims, s) for s in os.listdir(shims) if s.endswith("-shim.c")) + \
        [os.path.join(EXTRACTED, "host_env.c")]


def compile_errors(lifted):
    """[(file:line, message)] of gcc's errors over every unit. A missing header stops gcc at once:
    it is reported, then stood in for by an empty one so that the rest is seen too."""
    import tempfile
    with tempfile.TemporaryDirectory(prefix="vgtfuzz-check-") as empty:
        seen, errors, first = set(), [], {}
        for _ in range(8):
            errors = _compile_round(lifted, empty)
            missing = set()
            for where, m in errors:
                if "No such file" in m:
                    h = re.search(r"fatal error: (\S+):", m).group(1)
                    missing.add(h)
                    first.setdefault(h, where)
            for h in missing - seen:
                path = os.path.join(empty, h.strip('"<>'))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "w").close()
            if not missing - seen:
                break
            seen |= missing
        return [(first[h], "fatal error: %s: No such file or directory" % h) for h in sorted(seen)] + errors


def _compile_round(lifted, empty):
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        raise UsageError("no gcc here for the compile check: run `scripts/vgtfuzz setup`")
    incs = []
    for d in COMPAT_ROOTS + [lifted]:
        incs += ["-I", d]
    for d in ("include", "fragments", "drivers/gpu/drm/i915"):
        incs += ["-isystem", os.path.join(lifted, d)]
    incs += ["-idirafter", empty]
    errors = []
    host = set(_host_units(lifted))
    for unit, profile in [(u, p) for u in _units(lifted) + sorted(host) for p in PROFILES]:
        first = ["-I", HOST_COMPAT] if unit in host else []
        p = subprocess.run([cc, "-fsyntax-only"] + KERNEL_FLAGS + profile + first + incs + [unit],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in p.stdout.splitlines():
            m = re.match(r"(.+?):(\d+):(?:\d+:)? (?:fatal )?error: (.*)", line)
            if m:
                where = os.path.relpath(m.group(1), lifted) if m.group(1).startswith(lifted) else \
                    os.path.relpath(m.group(1), ROOT)
                errors.append(("%s:%s" % (where, m.group(2)), line[line.index(
                    "error:") - (6 if "fatal error" in line else 0):]))
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
    units = _units(lifted) + _host_units(lifted)
    if rec.get("host_refused"):
        say("  GVT-g host side (gvt target) not lifted: %s" % rec["host_refused"])
    errors = compile_errors(lifted)
    found, other = classify(errors)
    gaps = sum(len(v) for v in found.values()) + len(other)
    say("  compile check (gcc -fsyntax-only, %d units, release and debug profiles, the lifted code's flags): %s"
        % (len(units), "clean" if not gaps else "%d error(s)" % len(errors)))
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
