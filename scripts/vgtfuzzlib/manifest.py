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
    host = m.get("host", {})
    paths = (["Makefile"] + m["files"] + m["kunit"]["files"] + m["kunit"]["optional"]
             + [p for fn in m["functions"] for p in fn["from"]]
             + [p for mac in m["macros"] for p in mac["search"]]
             + [rel for era in eras(m) for rel, _ in era["probes"]]
             + [rel for rel, _ in host.get("probes", [])] + host.get("files", [])
             + [p for item in host.get("functions", []) + host.get("tables", []) + host.get("macros", [])
                for p in item.get("from", []) + item.get("search", [])])
    return list(dict.fromkeys(paths))     # each once, in first-seen order
