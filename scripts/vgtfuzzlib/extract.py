"""The extractor: lift the manifest's files, functions and macros from a kernel tree, verbatim.

Output: extracted/lifted/<version>-<digest>/ with the lifted files at their kernel paths, the lifted
functions and macros under fragments/, and LIFTED.json (kernel version, era, every file's sha256 and
provenance). Kernel text is copied byte for byte; our own words live only in LIFTED.json and the
include guard of fragments/macros.h.
"""
import hashlib
import json
import os
import re
import shutil

from .common import LIFTED, UsageError
from . import annotations, manifest, trees


def _read(tree, rel):
    try:
        with open(os.path.join(tree, rel), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _probe(tree, rel, rx):
    """(line number, line text) of the first match of rx in the tree's file, or None."""
    data = _read(tree, rel)
    if data is None:
        return None
    text = data.decode("utf-8", "replace")
    m = re.search(rx, text)
    if not m:
        return None
    line = text.count("\n", 0, m.start()) + 1
    return line, text.splitlines()[line - 1].strip()


def detect_era(tree, m):
    """The tree's API era (a manifest entry); refuse an unsupported or mixed one with one line that
    names the era found and the file and line that decided it. Runs before any missing-file check."""
    eras = manifest.eras(m)
    supported = ", ".join(e["name"] for e in eras if e["supported"])
    hits = {}   # era name -> {file: (line, text)}
    for era in eras:
        hits[era["name"]] = {rel: _probe(tree, rel, rx) for rel, rx in era["probes"].items()}
    for era in eras:
        got = hits[era["name"]]
        if all(got.values()):
            if era["supported"]:
                return era
            # The probe no other era shares is the one that decided.
            rel = next((r for r in got if not any(e is not era and e["probes"].get(r) == era["probes"][r]
                                                   for e in eras)), next(iter(got)))
            line, text = got[rel]
            raise UsageError("kernel tree %s is of API era '%s' (decided by %s:%d: %s), which vgtfuzz does not "
                             "support (supported: %s)" % (tree, era["name"], rel, line, text, supported))
    # No era holds: name the first two files whose probes speak for different eras.
    seen = []   # (era name, file, line, text)
    for era in eras:
        for rel, hit in hits[era["name"]].items():
            # A probe that every era shares (drm_mm.h's allocated bit) decides nothing.
            if hit and not any(e is not era and e["probes"].get(rel) == era["probes"][rel] for e in eras):
                seen.append((era["name"], rel, hit[0], hit[1]))
    for a in seen:
        for b in seen:
            if a[0] != b[0] and a[1] != b[1]:
                raise UsageError("kernel tree %s mixes API eras: %s:%d is of '%s' (%s) but %s:%d is of '%s' (%s)"
                                 % (tree, a[1], a[2], a[0], a[3], b[1], b[2], b[0], b[3]))
    if seen:
        a = seen[0]
        raise UsageError("kernel tree %s: %s:%d looks like API era '%s' (%s) but the era's other probes fail "
                         "(supported: %s)" % (tree, a[1], a[2], a[0], a[3], supported))
    missing = [rel for rel in eras[0]["probes"] if _read(tree, rel) is None]
    if missing:
        raise UsageError("kernel tree %s lacks %s: not a tree with the i915 GVT-g guest code" % (tree, missing[0]))
    raise UsageError("kernel tree %s matches no known API era of the balloon code (supported: %s)" % (tree, supported))


def check_era(tree, m):
    return detect_era(tree, m)["name"]


def find_function(text, name):
    """(start, end) byte offsets of the definition of `name` in C source `text`, or None.

    The definition starts at the beginning of the line that begins its declaration and ends at the
    brace closing its body. Prototypes (a `;` before any `{`) are skipped.
    """
    for m in re.finditer(r"^[A-Za-z_][^\n;{}()]*\b%s\(" % re.escape(name), text, re.M):
        depth, i = 0, m.end() - 1
        while i < len(text):  # skip the parameter list
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        rest = re.match(r"\s*\{", text[i + 1:])
        if not rest:
            continue
        j = i + 1 + rest.end() - 1
        depth = 0
        while j < len(text):
            c = text[j]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return m.start(), j + 1
            j += 1
    return None


def find_macro(text, name):
    """The whole `#define name ...` (with continuation lines), or None."""
    m = re.search(r"^#\s*define\s+%s\b(?:[^\n]*\\\n)*[^\n]*$" % re.escape(name), text, re.M)
    return m.group(0) if m else None


def era_header(era):
    lines = ["/* Generated by the vgtfuzz extractor: the tree's API era, for the compat headers. */",
             "#ifndef VGTFUZZ_LIFTED_ERA_H", "#define VGTFUZZ_LIFTED_ERA_H",
             "#define VGTFUZZ_ERA_NAME \"%s\"" % era["name"]]
    lines += ["#define %s 1" % d for d in era.get("defines", [])]
    return ("\n".join(lines + ["#endif", ""])).encode()


def lift(tree):
    """Lift `tree` into extracted/lifted/<id>/ (reusing an identical earlier lift). Returns the dir."""
    m = manifest.load()
    version = trees.kernel_version(tree)
    era_entry = detect_era(tree, m)
    era = era_entry["name"]
    may_lack = set(era_entry.get("may_lack", []))
    for rel in m["files"]:
        if rel not in may_lack and _read(tree, rel) is None:
            raise UsageError("kernel tree %s lacks %s, which the manifest lifts (API era '%s')" % (tree, rel, era))
    for fn in m["functions"]:
        if not any(_read(tree, rel) is not None for rel in fn["from"]):
            raise UsageError("kernel tree %s lacks %s, which the manifest lifts %s() from"
                             % (tree, " and ".join(fn["from"]), fn["name"]))

    out = {}      # relative path in the lifted dir -> bytes
    prov = {}     # relative path -> where it came from
    for rel in m["files"]:
        data = _read(tree, rel)
        if data is not None:
            out[rel] = data
            prov[rel] = rel
    kunit_missing = []
    alternatives = {rel: alt for alt in m["kunit"].get("alternatives", []) for rel in alt}
    for rel in m["kunit"]["files"]:
        data = _read(tree, rel)
        if data is None:
            if not any(_read(tree, a) is not None for a in alternatives.get(rel, [])):
                kunit_missing.append(rel)
        else:
            out[rel] = data
            prov[rel] = rel
    for rel in m["kunit"]["optional"]:
        data = _read(tree, rel)
        if data is not None:
            out[rel] = data
            prov[rel] = rel
    for fn in m["functions"]:
        for src in fn["from"]:
            data = _read(tree, src)
            text = data.decode("utf-8", "surrogateescape") if data is not None else ""
            span = find_function(text, fn["name"])
            if span:
                break
        else:
            raise UsageError("kernel tree %s: no definition of %s() in %s" % (tree, fn["name"], " or ".join(fn["from"])))
        rel = "fragments/%s.c" % fn["name"]
        out[rel] = text[span[0]:span[1]].encode("utf-8", "surrogateescape") + b"\n"
        first = text.count("\n", 0, span[0]) + 1
        prov[rel] = "%s:%d-%d" % (src, first, first + text.count("\n", span[0], span[1]))
    lines = ["/* Generated by the vgtfuzz extractor: macro definitions lifted verbatim (see LIFTED.json). */",
             "#ifndef VGTFUZZ_LIFTED_MACROS_H", "#define VGTFUZZ_LIFTED_MACROS_H"]
    mac_prov = []
    for mac in m["macros"]:
        for rel in mac["search"]:
            data = _read(tree, rel)
            found = data and find_macro(data.decode("utf-8", "replace"), mac["name"])
            if found:
                lines.append(found)
                mac_prov.append("%s from %s" % (mac["name"], rel))
                break
        else:
            raise UsageError("kernel tree %s: no #define %s in %s" % (tree, mac["name"], ", ".join(mac["search"])))
    out["fragments/macros.h"] = ("\n".join(lines + ["#endif", ""])).encode()
    prov["fragments/macros.h"] = "; ".join(mac_prov)
    out["fragments/vgtfuzz_era.h"] = era_header(era_entry)
    prov["fragments/vgtfuzz_era.h"] = "vgtfuzz: the API era's defines (manifest.json)"
    absorbed, absorbed_where = annotations.scan(out)
    out["fragments/vgtfuzz_annotations.h"] = annotations.header(absorbed)
    prov["fragments/vgtfuzz_annotations.h"] = "vgtfuzz: annotation macros the compat layer does not know, absorbed " \
        "as empty (%s)" % (", ".join(sorted(absorbed)) or "none")

    sums = {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(out.items())}
    digest = hashlib.sha256(json.dumps(sums, sort_keys=True).encode()).hexdigest()[:10]
    ident = "%s-%s" % (version, digest)
    record = {"id": ident, "kernel_version": version, "era": era, "tree": os.path.abspath(tree),
              "kunit_missing": kunit_missing, "absorbed_annotations": ["%s (%s)" % (n, ", ".join(absorbed_where[n][:2])) for n in sorted(absorbed)],
              "files": {rel: {"sha256": sums[rel], "from": prov[rel]} for rel in sorted(out)}}
    dest = os.path.join(LIFTED, ident)
    try:
        with open(os.path.join(dest, "LIFTED.json")) as f:
            if json.load(f)["files"] == record["files"]:
                return dest
    except (OSError, ValueError, KeyError):
        pass
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, data in out.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    with open(os.path.join(tmp, "LIFTED.json"), "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)
    return dest


def lift_kernel(kernel, download=False):
    """--kernel value -> lifted directory."""
    return lift(trees.resolve(kernel, download=download))
