"""extracted/manifest.json: the one list of what is lifted from a kernel tree."""
import json
import os

from .common import ROOT

PATH = os.path.join(ROOT, "extracted", "manifest.json")


def load():
    with open(PATH) as f:
        return json.load(f)


def eras(m=None):
    return (m or load())["eras"]["list"]


def tree_paths():
    """Every path the extractor may read from a tree (for unpacking just those from a tarball)."""
    m = load()
    paths = ["Makefile"] + m["files"] + m["kunit"]["files"] + m["kunit"]["optional"]
    for fn in m["functions"]:
        paths += fn["from"]
    for mac in m["macros"]:
        paths += mac["search"]
    for era in eras(m):
        paths += [rel for rel, _ in era["probes"]]
    host = m.get("host", {})
    paths += [rel for rel, _ in host.get("probes", [])] + host.get("files", [])
    for item in host.get("functions", []) + host.get("tables", []) + host.get("macros", []):
        paths += item.get("from", []) + item.get("search", [])
    seen, out = set(), []
    for p in paths:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
