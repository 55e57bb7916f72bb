"""Kernel trees: Debian's linux-source packages (fetched into the cache) or any checkout on disk.

`--kernel 6.12|6.1` names a Debian package tree; anything else is a directory.
Only the paths the manifest needs are unpacked from the package's tarball.
"""
import glob
import hashlib
import json
import os
import shutil
import subprocess

from .common import UsageError, cache_dir, note, run
from . import manifest

DEBIAN_TREES = {"6.12": "linux-source-6.12", "6.1": "linux-source-6.1"}
DEFAULT_KERNEL = "6.12"


def _deb_dir():
    d = os.path.join(cache_dir(), "debs")
    os.makedirs(d, exist_ok=True)
    return d


def cached_deb(pkg):
    """The newest cached .deb of `pkg`, or None."""
    debs = sorted(glob.glob(os.path.join(_deb_dir(), pkg + "_*.deb")))
    return debs[-1] if debs else None


def fetch_deb(pkg):
    """apt-get download `pkg` into the cache unless a copy is there already. Returns its path."""
    deb = cached_deb(pkg)
    if deb:
        return deb
    if not shutil.which("apt-get"):
        raise UsageError("no apt-get here to download %s: pass --kernel DIR with a kernel checkout" % pkg)
    note("downloading %s (about 150 MB) into %s" % (pkg, _deb_dir()))
    p = subprocess.run(["apt-get", "download", "-q", pkg], cwd=_deb_dir(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deb = cached_deb(pkg)
    if p.returncode != 0 or not deb:
        raise UsageError("apt-get download %s failed (run `apt-get update` first, or pass --kernel DIR): %s"
                         % (pkg, (p.stdout or "").strip().splitlines()[-1:] or ""))
    return deb


def _unpack_deb_tree(pkg, deb, dest):
    """Unpack just the manifest's paths from the package's kernel tarball into `dest`."""
    prefix = pkg + "/"
    wanted = [prefix + p for p in manifest.tree_paths()]
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    tarball = "./usr/src/%s.tar.xz" % pkg
    note("unpacking %d kernel files from %s" % (len(wanted), os.path.basename(deb)))
    dpkg = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
    inner = subprocess.Popen(["tar", "-xO", tarball], stdin=dpkg.stdout, stdout=subprocess.PIPE)
    dpkg.stdout.close()
    # Optional paths may be missing from a tree: tar then exits 2 having unpacked the rest.
    untar = subprocess.run(["tar", "-xJ", "-C", tmp, "--ignore-failed-read"] + wanted,
                           stdin=inner.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    inner.stdout.close()
    inner.wait()
    dpkg.wait()
    src = os.path.join(tmp, pkg)
    if dpkg.returncode != 0 or inner.returncode != 0 or not os.path.isdir(src):
        raise UsageError("could not unpack %s from %s (%s); delete it and run setup again"
                         % (tarball, deb, untar.stderr.strip().splitlines()[-1:] or "no detail"))
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(src, dest)
    shutil.rmtree(tmp, ignore_errors=True)


def debian_tree(version, download=True):
    """The unpacked tree of Debian's linux-source-<version>, fetching it when allowed."""
    pkg = DEBIAN_TREES[version]
    deb = cached_deb(pkg)
    if not deb:
        if not download:
            raise UsageError("kernel %s is not set up: run `scripts/vgtfuzz setup` (or pass --kernel DIR)" % version)
        deb = fetch_deb(pkg)
    dest = os.path.join(cache_dir(), "trees", pkg)
    stamp_path = os.path.join(dest, ".vgtfuzz-stamp")
    stamp = {"deb": os.path.basename(deb),
             "paths": hashlib.sha256("\n".join(manifest.tree_paths()).encode()).hexdigest()}
    try:
        with open(stamp_path) as f:
            if json.load(f) == stamp:
                return dest
    except (OSError, ValueError):
        pass
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    _unpack_deb_tree(pkg, deb, dest)
    with open(stamp_path, "w") as f:
        json.dump(stamp, f)
    return dest


def resolve(kernel, download=False):
    """Map a --kernel value to a tree directory."""
    if kernel in DEBIAN_TREES:
        return debian_tree(kernel, download=download)
    path = os.path.abspath(os.path.expanduser(kernel))
    if not os.path.isdir(path):
        raise UsageError("--kernel %s: neither %s nor an existing directory" % (kernel, "|".join(DEBIAN_TREES)))
    if not os.path.isfile(os.path.join(path, "Makefile")):
        raise UsageError("--kernel %s: no Makefile at the top, not a kernel tree" % kernel)
    return path


def kernel_version(tree):
    """VERSION.PATCHLEVEL.SUBLEVEL[EXTRAVERSION] from the tree's top Makefile."""
    fields = {}
    try:
        with open(os.path.join(tree, "Makefile")) as f:
            for line in f:
                k, sep, v = line.partition("=")
                if sep and k.strip() in ("VERSION", "PATCHLEVEL", "SUBLEVEL", "EXTRAVERSION"):
                    fields.setdefault(k.strip(), v.strip())
                if len(fields) == 4:
                    break
    except OSError as e:
        raise UsageError("cannot read %s/Makefile: %s" % (tree, e.strerror))
    if "VERSION" not in fields or "PATCHLEVEL" not in fields:
        raise UsageError("%s/Makefile has no VERSION/PATCHLEVEL: not a kernel tree" % tree)
    return "%s.%s.%s%s" % (fields["VERSION"], fields["PATCHLEVEL"], fields.get("SUBLEVEL", "0"),
                           fields.get("EXTRAVERSION", ""))
