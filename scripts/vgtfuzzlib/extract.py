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

from .common import CHECKOUT_LIFTED, Lock, UsageError, lifted_root
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

    def shared(era, probe):
        return any(e is not era and list(probe) in [list(q) for q in e["probes"]] for e in eras)

    # era name -> [(file, hit or None, probe shared with another era)]
    hits = {era["name"]: [(rel, _probe(tree, rel, rx), shared(era, (rel, rx))) for rel, rx in era["probes"]]
            for era in eras}
    for era in eras:
        got = hits[era["name"]]
        if all(hit for _, hit, _ in got):
            if era["supported"]:
                return era
            # The probe no other era shares is the one that decided.
            rel, (line, text), _ = next((g for g in got if not g[2]), got[0])
            raise UsageError("kernel tree %s is of API era '%s' (decided by %s:%d: %s), which vgtfuzz does not "
                             "support (supported: %s)" % (tree, era["name"], rel, line, text, supported))
    for rel in dict.fromkeys(rel for era in eras for rel, _ in era["probes"]):
        if _read(tree, rel) is None:
            raise UsageError("kernel tree %s lacks %s: not a tree with the i915 GVT-g guest code" % (tree, rel))
    # No era holds: name two files whose own probes speak for different eras.
    seen = [(era["name"], rel, hit[0], hit[1]) for era in eras for rel, hit, is_shared in hits[era["name"]]
            if hit and not is_shared]
    for a in seen:
        for b in seen:
            if a[0] != b[0] and a[1] != b[1]:
                raise UsageError("kernel tree %s mixes API eras: %s:%d is of '%s' (%s) but %s:%d is of '%s' (%s)"
                                 % (tree, a[1], a[2], a[0], a[3], b[1], b[2], b[0], b[3]))
    if seen:
        a = seen[0]
        raise UsageError("kernel tree %s: %s:%d looks like API era '%s' (%s) but the era's other probes fail "
                         "(supported: %s)" % (tree, a[1], a[2], a[0], a[3], supported))
    raise UsageError("kernel tree %s matches no known API era of the balloon code (supported: %s)" % (tree, supported))


_BODY = re.compile(r"\s*\{")


def find_function(text, name):
    """(start, end) byte offsets of the definition of `name` in C source `text`, or None.

    The definition starts at the beginning of the line that begins its declaration and ends at the
    brace closing its body. Prototypes (a `;` before any `{`) are skipped.
    """
    for m in re.finditer(r"^[A-Za-z_][^\n;{}()]*\b%s\(" % re.escape(name), text, re.M):
        params_end = annotations.matching(text, m.end() - 1)
        body = params_end and _BODY.match(text, params_end)
        end = body and annotations.matching(text, body.end() - 1)
        if end:
            return m.start(), end
    return None


def find_table(text, name):
    """(start, end) of a file-scope array definition `... name[] = { ... };`, or None."""
    m = re.search(r"^[A-Za-z_][^\n;{}()]*\b%s\[\]\s*=\s*\{" % re.escape(name), text, re.M)
    close = m and annotations.matching(text, m.end() - 1)
    end = text.find(";", close) if close else -1
    return (m.start(), end + 1) if m and end >= 0 else None


def find_macro(text, name):
    """The whole `#define name ...` (with continuation lines), or None."""
    m = re.search(r"^#\s*define\s+%s\b(?:[^\n]*\\\n)*[^\n]*$" % re.escape(name), text, re.M)
    return m.group(0) if m else None


def _lift_fragments(tree, items, sub, out, prov, origins, find=find_function):
    """Each item's definition, from the first of its "from" files that has one, into
    fragments/<sub><name>.c; LookupError names the first that none has."""
    for fn in items:
        for src in fn["from"]:
            data = _read(tree, src)
            text = data.decode("utf-8", "surrogateescape") if data is not None else ""
            span = find(text, fn["name"])
            if span:
                break
        else:
            raise LookupError("no definition of %s%s in %s" % (fn["name"], "()" if find is find_function else "",
                                                               " or ".join(fn["from"])))
        rel = "fragments/%s%s.c" % (sub, fn["name"])
        out[rel] = text[span[0]:span[1]].encode("utf-8", "surrogateescape") + b"\n"
        first = text.count("\n", 0, span[0]) + 1
        prov[rel] = "%s:%d-%d" % (src, first, first + text.count("\n", span[0], span[1]))
        origins.append('VGTFUZZ_FRAGMENT("%s%s", "%s", %d)' % (sub, fn["name"], src, first))


def _header(what, body, guard=None):
    """A header we generate: a comment saying what it holds, then the lines of `body` (inside an
    include guard when given)."""
    lines = ["/* Generated by the vgtfuzz extractor: %s */" % what]
    lines += (["#ifndef " + guard, "#define " + guard] + body + ["#endif"]) if guard else body
    return "\n".join(lines + [""]).encode()


def _macros_header(tree, macros, what, guard):
    """(a header of each macro's whole #define, lifted verbatim from the first of its "search"
    files that has one, its provenance); LookupError names the first that none has."""
    lines, found = [], []
    for mac in macros:
        for rel in mac["search"]:
            data = _read(tree, rel)
            text = data and find_macro(data.decode("utf-8", "replace"), mac["name"])
            if text:
                lines.append(text)
                found.append("%s from %s" % (mac["name"], rel))
                break
        else:
            raise LookupError("no #define %s in %s" % (mac["name"], ", ".join(mac["search"])))
    return _header("%s lifted verbatim (see LIFTED.json)." % what, lines, guard), "; ".join(found)


def lift_host(tree, host, out, prov, origins):
    """The GVT-g host side (manifest "host"), into `out`; None, or why this tree's host code is refused
    (the gvt target then says so in one line and is not built). The guest lift never depends on it."""
    for rel, rx in host.get("probes", []):
        if _probe(tree, rel, rx) is None:
            return ("%s does not match /%s/: the host code is of an era the gvt target does not support "
                    "(supported: 5.17 and later, intel_vgpu_config)" % (rel, rx))
    for rel in host.get("files", []):
        data = _read(tree, rel)
        if data is None:
            return "the tree lacks %s" % rel
        out[rel] = data
        prov[rel] = rel
    try:
        _lift_fragments(tree, host.get("functions", []), "host/", out, prov, origins)
        _lift_fragments(tree, host.get("tables", []), "host/", out, prov, origins, find=find_table)
        out["fragments/host_macros.h"], prov["fragments/host_macros.h"] = _macros_header(
            tree, host.get("macros", []), "the host side's macros,", "VGTFUZZ_LIFTED_HOST_MACROS_H")
    except LookupError as e:
        return str(e)
    return None


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
    kunit_missing = []
    alternatives = {rel: alt for alt in m["kunit"].get("alternatives", []) for rel in alt}
    for rel in m["files"] + m["kunit"]["files"] + m["kunit"]["optional"]:
        data = _read(tree, rel)
        if data is not None:
            out[rel] = data
        elif rel in m["kunit"]["files"] and not any(_read(tree, a) is not None for a in alternatives.get(rel, [])):
            kunit_missing.append(rel)
    prov = {rel: rel for rel in out}     # relative path -> where it came from
    origins = []  # where each fragment starts in its kernel file, for BUG and WARN locations
    try:
        _lift_fragments(tree, m["functions"], "", out, prov, origins)
        out["fragments/macros.h"], prov["fragments/macros.h"] = _macros_header(
            tree, m["macros"], "macro definitions", "VGTFUZZ_LIFTED_MACROS_H")
    except LookupError as e:
        raise UsageError("kernel tree %s: %s" % (tree, e)) from None
    host = ({}, {}, [])     # its files, provenance and origins: kept only when the whole host side lifts
    host_refused = lift_host(tree, m["host"], *host) if "host" in m else "no host section"
    if not host_refused:
        out.update(host[0])
        prov.update(host[1])
        origins += host[2]
    era_defines = ['#define VGTFUZZ_ERA_NAME "%s"' % era] + ["#define %s 1" % d for d in era_entry.get("defines", [])]
    out["fragments/vgtfuzz_era.h"] = _header("the tree's API era, for the compat headers.", era_defines,
                                             "VGTFUZZ_LIFTED_ERA_H")
    prov["fragments/vgtfuzz_era.h"] = "vgtfuzz: the API era's defines (manifest.json)"
    absorbed, absorbed_where = annotations.scan(out)
    out["fragments/vgtfuzz_annotations.h"] = annotations.header(absorbed)
    prov["fragments/vgtfuzz_annotations.h"] = "vgtfuzz: annotation macros the compat layer does not know, absorbed " \
        "as empty (%s)" % (", ".join(sorted(absorbed)) or "none")
    out["fragments/vgtfuzz_origins.h"] = _header("each lifted fragment's kernel file and first line.", origins)
    prov["fragments/vgtfuzz_origins.h"] = "generated: the fragments' origins"

    sums = {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(out.items())}
    digest = hashlib.sha256(json.dumps(sums, sort_keys=True).encode()).hexdigest()[:10]
    ident = "%s-%s" % (version, digest)
    record = {"id": ident, "kernel_version": version, "era": era, "tree": os.path.abspath(tree),
              "kunit_missing": kunit_missing, "host_refused": host_refused,
              "absorbed_annotations": ["%s (%s)" % (n, ", ".join(absorbed_where[n][:2])) for n in sorted(absorbed)],
              "files": {rel: {"sha256": sums[rel], "from": prov[rel]} for rel in sorted(out)}}
    for root in dict.fromkeys((lifted_root(), CHECKOUT_LIFTED)):
        if _same_lift(os.path.join(root, ident), record):
            return os.path.join(root, ident)
    dest = os.path.join(lifted_root(), ident)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with Lock(dest + ".lock", "lift %s" % dest, wait=True):
        if _same_lift(dest, record):    # another vgtfuzz lifted it while we waited
            return dest
        tmp = "%s.tmp-%d" % (dest, os.getpid())
        shutil.rmtree(tmp, ignore_errors=True)
        try:
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
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dest


def record(lifted):
    """The lift's LIFTED.json."""
    try:
        with open(os.path.join(lifted, "LIFTED.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        raise UsageError("%s has no readable LIFTED.json: run `scripts/vgtfuzz lift` again" % lifted) from None


def host_refused(lifted):
    """None when the lift has the host side, else why not (LIFTED.json host_refused)."""
    try:
        return record(lifted).get("host_refused")
    except UsageError:
        return "no readable LIFTED.json"


def require_host(lifted):
    """The gvt target needs the host side lifted: one line saying why this tree's is not."""
    rec = record(lifted)
    if rec.get("host_refused"):
        raise UsageError("the gvt target cannot run on kernel %s: %s" %
                         (rec.get("kernel_version"), rec["host_refused"]))


def _same_lift(dest, rec):
    try:
        return record(dest)["files"] == rec["files"]
    except (UsageError, KeyError):
        return False


def lift_kernel(kernel, download=False):
    """--kernel value -> lifted directory."""
    return lift(trees.resolve(kernel, download=download))
