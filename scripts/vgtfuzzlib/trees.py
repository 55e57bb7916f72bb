"""Kernel trees: Debian's linux-source packages (fetched into the cache) or any checkout on disk.

`--kernel` takes a name of DEBIAN_TREES (5.10, 6.1, 6.12, 7.2), `newest` (the highest
linux-source-* in Debian's experimental or sid when `setup` last ran), or a directory.

bookworm's packages come through the system's apt (`apt-get download`). The other suites come through
a private apt configuration under the cache (its own sources list, state, lists and archives; the
system's sources are never read for packages nor changed): it reuses the mirror the system's
sources name. apt checks every download against the signed Release file's hashes; we record the
sha256 beside the .deb and check that dpkg-deb can read it. Only the paths the manifest needs are
unpacked from the package's tarball.
"""
import functools
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
from urllib.parse import urlsplit

from .common import UsageError, cache_dir, note
from . import manifest

# name -> (package, suite). Suite None: the system's apt (bookworm) serves it; the others, the
# private apt (PRIVATE_SUITES).
DEBIAN_TREES = {
    "5.10": ("linux-source-5.10", "bullseye-security"),
    "6.1": ("linux-source-6.1", None),
    "6.12": ("linux-source-6.12", None),
    "7.2": ("linux-source-7.2", "sid"),
}
NEWEST = "newest"
NEWEST_SUITES = ("experimental", "sid")
ALL = "all"
NAMES = list(DEBIAN_TREES) + [NEWEST]
DEFAULT_KERNEL = "6.12"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
DEFAULT_MIRROR = "http://deb.debian.org/"


def _dpkg_cmp(a, b):
    for op, result in (("lt", -1), ("gt", 1)):
        if subprocess.run(["dpkg", "--compare-versions", a, op, b]).returncode == 0:
            return result
    return 0


# A sort key for Debian version strings, in dpkg's own order (Debian Policy 5.6.12).
version_key = functools.cmp_to_key(_dpkg_cmp)


# --- The cache of .deb files. ---

def _deb_dir():
    d = os.path.join(cache_dir(), "debs")
    os.makedirs(d, exist_ok=True)
    return d


def _deb_version(path):
    # pkg_version_arch.deb, with apt's %3a for ':'
    return os.path.basename(path).split("_")[1].replace("%3a", ":")


def cached_deb(pkg, version=None):
    """The cached .deb of `pkg` (that version, or the highest), or None."""
    debs = [d for d in glob.glob(os.path.join(_deb_dir(), pkg + "_*.deb"))
            if version is None or _deb_version(d) == version]
    return max(debs, key=lambda d: version_key(_deb_version(d))) if debs else None


def verify_deb(deb, sha256=None):
    """Check a downloaded package once: its sha256 (apt's, when known) and that dpkg-deb reads it.
    Records the check beside it (X.deb.sha256); a later call only compares size and time."""
    side = deb + ".sha256"
    st = os.stat(deb)
    stamp = "%d %d" % (st.st_size, int(st.st_mtime))
    try:
        with open(side) as f:
            words = f.read().split()
        if len(words) == 3 and " ".join(words[1:]) == stamp and (sha256 is None or words[0] == sha256):
            return
    except OSError:
        pass
    with open(deb, "rb") as f:
        h = hashlib.file_digest(f, "sha256")
    if sha256 and h.hexdigest() != sha256:
        os.remove(deb)
        raise UsageError("%s does not match apt's sha256 (deleted it): run setup again" % deb)
    p = subprocess.run(["dpkg-deb", "--info", deb], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise UsageError("%s is not a readable Debian package (%s): delete it and run setup again"
                         % (deb, (p.stderr.strip().splitlines() or ["dpkg-deb failed"])[-1]))
    with open(side, "w") as f:
        f.write("%s %s\n" % (h.hexdigest(), stamp))


# --- The private apt. ---

def system_mirrors():
    """{"debian": URI, "debian-security": URI} named by the system's enabled apt sources (as apt reads them)."""
    uris = subprocess.run(["apt-get", "indextargets", "--format", "$(REPO_URI)"], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout.split()
    found = {}
    for uri in uris:
        archive = urlsplit(uri).path.rstrip("/").rpartition("/")[2]
        if archive in ("debian", "debian-security") and uri.startswith(("http://", "https://")):
            found.setdefault(archive, uri.rstrip("/"))   # the first source naming it
    found.setdefault("debian", DEFAULT_MIRROR + "debian")
    if "debian-security" not in found:
        u = urlsplit(found["debian"])
        found["debian-security"] = "%s://%s/debian-security" % (u.scheme, u.netloc)
    return found


def _apt_dir():
    return os.path.join(cache_dir(), "apt")


def _apt_options():
    d = _apt_dir()
    return ["-o", "Dir::Etc::SourceList=" + os.path.join(d, "sources.list"),
            "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", "Dir::Etc::Preferences=/dev/null", "-o", "Dir::Etc::PreferencesParts=/dev/null",
            "-o", "Dir::State=" + os.path.join(d, "state"),
            "-o", "Dir::State::status=" + os.path.join(d, "state", "status"),
            "-o", "Dir::Cache=" + os.path.join(d, "cache"),
            "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none"]


def _write_apt_config(suites):
    d = _apt_dir()
    for sub in ("state/lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    open(os.path.join(d, "state", "status"), "a").close()     # apt wants a dpkg status file, even an empty one
    mirrors = system_mirrors()
    signed = " [signed-by=%s]" % KEYRING if os.path.exists(KEYRING) else ""
    lines = ["# Written by vgtfuzz setup: a private apt configuration, never the system's."]
    lines += ["deb%s %s %s main" % (signed, mirrors[archive], suite) for suite, archive in suites]
    with open(os.path.join(d, "sources.list"), "w") as f:
        f.write("\n".join(lines) + "\n")


# Every suite the private apt serves, with its archive: one update covers them all.
PRIVATE_SUITES = [("bullseye-security", "debian-security"), ("sid", "debian"), ("experimental", "debian")]


@functools.cache    # a failed update raises, so it is not cached and the next call tries again
def _private_apt():
    """The private apt's options, after one `apt-get update` per run."""
    if not shutil.which("apt-get"):
        raise UsageError("no apt-get here to download Debian's kernel sources: "
                         "pass --kernel DIR with a kernel checkout")
    _write_apt_config(PRIVATE_SUITES)
    p = subprocess.run(["apt-get"] + _apt_options() + ["update", "-q"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    bad = [l for l in p.stdout.splitlines() if l.startswith(("E:", "Err:", "W: Failed"))]
    if p.returncode != 0 or bad:
        raise UsageError("apt-get update of Debian's %s failed: %s"
                         % (", ".join(s for s, _ in PRIVATE_SUITES),
                            (bad or p.stdout.strip().splitlines() or ["?"])[-1]))
    return _apt_options()


def _apt_cache(opts, *args):
    """apt-cache's output with these options (its errors ignored: an unknown package is just not listed)."""
    return subprocess.run(["apt-cache"] + opts + list(args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True).stdout


def _apt_show(opts, pkgs):
    """[(package, version, sha256 or None)] that `apt-cache show` with these options knows of `pkgs`."""
    found = []
    for stanza in _apt_cache(opts, "show", *pkgs).split("\n\n"):
        f = dict(re.findall(r"^(Package|Version|SHA256):\s*(\S+)", stanza, re.M))
        if "Package" in f and "Version" in f:
            found.append((f["Package"], f["Version"], f.get("SHA256")))
    return found


@functools.cache
def _private_catalogue():
    """{package: [(version, sha256, suite)]} of every linux-source-X.Y the private apt offers, from
    one `apt-cache search`, one `show` and one `madison` (each reads the large sid lists: once a run)."""
    opts = _private_apt()
    found = _apt_cache(opts, "search", "--names-only", r"^linux-source-[0-9.]+$")
    pkgs = sorted({line.split(" ", 1)[0] for line in found.splitlines() if line.strip()})
    cat = {}
    if pkgs:
        sha = {(pk, v): h for pk, v, h in _apt_show(opts, pkgs)}
        for line in _apt_cache(opts, "madison", *pkgs).splitlines():
            cols = [c.strip() for c in line.split("|")]
            if len(cols) == 3 and len(cols[2].split()) > 1:
                suite = cols[2].split()[1].split("/")[0]
                cat.setdefault(cols[0], []).append((cols[1], sha.get((cols[0], cols[1])), suite))
    return cat


def _download(opts, pkg, version, sha256):
    """apt-get download pkg=version into the cache (via a scratch directory). Returns the path."""
    tmp = os.path.join(_deb_dir(), ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    note("downloading %s %s (about 150 MB) into %s" % (pkg, version, _deb_dir()))
    p = subprocess.run(["apt-get"] + opts + ["download", "-q", "%s=%s" % (pkg, version)], cwd=tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    got = glob.glob(os.path.join(tmp, pkg + "_*.deb"))
    if p.returncode != 0 or len(got) != 1:
        shutil.rmtree(tmp, ignore_errors=True)
        raise UsageError("apt-get download %s=%s failed: %s"
                         % (pkg, version, (p.stdout or "").strip().splitlines()[-1:] or "no detail"))
    verify_deb(got[0], sha256)
    dest = os.path.join(_deb_dir(), os.path.basename(got[0]))
    os.replace(got[0] + ".sha256", dest + ".sha256")
    os.replace(got[0], dest)
    shutil.rmtree(tmp, ignore_errors=True)
    return dest


def fetch_deb(pkg, suite=None):
    """The newest `pkg` from `suite` (None: the system's apt) into the cache, unless it is there."""
    if suite is None:
        if not shutil.which("apt-get"):
            raise UsageError("no apt-get here to download %s: pass --kernel DIR with a kernel checkout" % pkg)
        opts = []
        known = [(v, h) for _, v, h in _apt_show(opts, [pkg])]
        if not known and os.geteuid() == 0:
            subprocess.run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            known = [(v, h) for _, v, h in _apt_show(opts, [pkg])]
        if not known:
            deb = cached_deb(pkg)
            if deb:
                return deb
            raise UsageError("the system's apt knows no package %s: run `apt-get update` (as root), "
                             "or pass --kernel DIR" % pkg)
    else:
        opts = _private_apt()
        known = [(v, h) for v, h, su in _private_catalogue().get(pkg, []) if su == suite]
        if not known:
            raise UsageError("Debian suite %s has no package %s" % (suite, pkg))
    version, sha = max(known, key=lambda vs: version_key(vs[0]))
    return _cached_or_download(opts, pkg, version, sha)


def _cached_or_download(opts, pkg, version, sha):
    deb = cached_deb(pkg, version)
    if deb:
        verify_deb(deb, sha)
        return deb
    return _download(opts, pkg, version, sha)


def _newest_record():
    return os.path.join(cache_dir(), "newest.json")


def setup_newest():
    """`setup --kernel newest`: the highest linux-source-X.Y in experimental or sid, downloaded and
    recorded as what `newest` names from now on."""
    opts = _private_apt()
    offers = [(pkg, version, sha, suite) for pkg, offered in _private_catalogue().items()
              for version, sha, suite in offered if suite in NEWEST_SUITES]
    if not offers:
        raise UsageError("Debian's %s offer no linux-source-* package" % " and ".join(NEWEST_SUITES))
    pkg, version, sha, suite = max(offers, key=lambda o: version_key(o[1]))
    deb = _cached_or_download(opts, pkg, version, sha)
    with open(_newest_record(), "w") as f:
        json.dump({"package": pkg, "version": version, "suite": suite, "deb": os.path.basename(deb)}, f)
        f.write("\n")
    return deb


def newest():
    """(package, deb path) that `newest` names, as the last `setup --kernel newest` recorded."""
    try:
        with open(_newest_record()) as f:
            rec = json.load(f)
        deb = os.path.join(_deb_dir(), rec["deb"])
        if os.path.isfile(deb):
            return rec["package"], deb
    except (OSError, ValueError, KeyError):
        pass
    raise UsageError("kernel newest is not set up: run `scripts/vgtfuzz setup --kernel newest`")


def newest_name():
    """The X.Y that `newest` names now, or None when it is not set up."""
    try:
        return newest()[0][len("linux-source-"):]
    except UsageError:
        return None


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


def _tree_from_deb(pkg, deb):
    """The package's tree, unpacked once into the cache; again only when the .deb changes or the
    manifest wants a path the last unpacking did not try."""
    dest = os.path.join(cache_dir(), "kernel-trees", pkg)
    stamp_path = os.path.join(dest, ".vgtfuzz-stamp")
    wanted = manifest.tree_paths()
    try:
        with open(stamp_path) as f:
            stamp = json.load(f)
        if stamp.get("deb") == os.path.basename(deb) and set(wanted) <= set(stamp.get("paths", [])):
            return dest
    except (OSError, ValueError, AttributeError):
        pass
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    _unpack_deb_tree(pkg, deb, dest)
    with open(stamp_path, "w") as f:
        json.dump({"deb": os.path.basename(deb), "paths": wanted}, f)
    return dest


def debian_tree(name, download=True):
    """The unpacked tree that a name of DEBIAN_TREES or `newest` stands for, fetching it when allowed."""
    if name == NEWEST:
        if download:
            setup_newest()
        return _tree_from_deb(*newest())
    pkg, suite = DEBIAN_TREES[name]
    deb = fetch_deb(pkg, suite) if download else cached_deb(pkg)
    if not deb:
        raise UsageError("kernel %s is not set up: run `scripts/vgtfuzz setup --kernel %s` (or pass --kernel DIR)"
                         % (name, name))
    return _tree_from_deb(pkg, deb)


def expand(names):
    """Setup's --kernel values with `all` expanded, each once (setup checks them)."""
    return list(dict.fromkeys(k for n in names for k in (NAMES if n == ALL else [n])))


def resolve(kernel, download=False):
    """Map a --kernel value to a tree directory."""
    if kernel in DEBIAN_TREES or kernel == NEWEST:
        return debian_tree(kernel, download=download)
    if kernel == ALL:
        raise UsageError("--kernel all names several trees: only `setup` takes it; pick one of %s or a DIR"
                         % ", ".join(NAMES))
    if re.fullmatch(r"\d+\.\d+", kernel) and kernel == newest_name():
        return debian_tree(NEWEST, download=download)
    path = os.path.abspath(os.path.expanduser(kernel))
    if not os.path.isdir(path):
        raise UsageError("--kernel %s: neither one of %s nor an existing directory" % (kernel, "|".join(NAMES)))
    if not os.path.isfile(os.path.join(path, "Makefile")):
        raise UsageError("--kernel %s: no Makefile at the top, not a kernel tree" % kernel)
    return path


def kernel_version(tree):
    """VERSION.PATCHLEVEL.SUBLEVEL[EXTRAVERSION] from the tree's top Makefile."""
    try:
        with open(os.path.join(tree, "Makefile"), errors="replace") as f:
            text = f.read()
    except OSError as e:
        raise UsageError("cannot read %s/Makefile: %s" % (tree, e.strerror))
    fields = {}
    for k, v in re.findall(r"^[ \t]*(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)[ \t]*=(.*)", text, re.M):
        fields.setdefault(k, v.strip())
    if "VERSION" not in fields or "PATCHLEVEL" not in fields:
        raise UsageError("%s/Makefile has no VERSION/PATCHLEVEL: not a kernel tree" % tree)
    return "%s.%s.%s%s" % (fields["VERSION"], fields["PATCHLEVEL"], fields.get("SUBLEVEL", "0"),
                           fields.get("EXTRAVERSION", ""))
