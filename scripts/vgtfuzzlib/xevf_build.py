"""Build the xevf target's binaries for one kernel tree (no CMake: a dozen files, one compiler
call each, into <build root>/xevf/<lift id>-<flavour>/).

Flavours: `gcc` (plain replayer), `asan` (clang ASan+UBSan replayer), `libfuzzer` (clang,
-fsanitize=fuzzer,address,undefined), `coverage` (clang source-based coverage replayer).
The lifted units (the xe fragments, drm_mm.c, rbtree.c) get the kernel's flags; ours get
-std=c11 -Wall -Wextra -Werror. UBSan's pointer-overflow check is off in the lifted xe unit only:
the kernel's own `&ggtt->gsm[addr >> XE_PTE_SHIFT]` with a wrapped address is exactly the bug the
GSM model records by index, and the address is never dereferenced.
"""
import hashlib
import os
import shutil

from .common import ROOT, UsageError, build_root, run
from . import xevf_lift

OURS = ["decode.c", "env.c", "run.c", "module_kernel.c", "module_production.c"]
KERNEL_CFLAGS = ["-std=gnu11", "-fno-strict-aliasing", "-fno-common", "-Wno-format", "-w",
                 "-Werror=implicit-function-declaration", "-Werror=implicit-int", "-Werror=int-conversion",
                 "-Werror=incompatible-pointer-types"]
OWN_CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror"]
FLAVOURS = {
    "gcc": ("gcc", ["-O1", "-g"], []),
    "asan": ("clang", ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined"],
             ["-fsanitize=address,undefined"]),
    "libfuzzer": ("clang", ["-O1", "-g", "-fsanitize=fuzzer-no-link,address,undefined",
                            "-fno-sanitize-recover=undefined"], ["-fsanitize=fuzzer,address,undefined"]),
    "coverage": ("clang", ["-O0", "-g", "-fprofile-instr-generate", "-fcoverage-mapping"],
                 ["-fprofile-instr-generate"]),
}


def oss_fuzz_flavour():
    """OSS-Fuzz's base-builder contract: $CC, $CFLAGS, $LIB_FUZZING_ENGINE decide everything."""
    for v in ("CC", "CFLAGS", "LIB_FUZZING_ENGINE"):
        if v not in os.environ:
            raise UsageError("$%s is not set: the oss-fuzz flavour runs inside OSS-Fuzz's build (or "
                             "`scripts/vgtfuzz oss-fuzz-build`)" % v)
    cflags = os.environ["CFLAGS"].split()
    return os.environ["CC"], cflags, cflags + os.environ["LIB_FUZZING_ENGINE"].split()


def build(kernel, flavour="gcc"):
    """(binary path, xevf lift dir, era). libfuzzer and oss-fuzz -> the fuzzer; others -> the replayer."""
    if flavour == "oss-fuzz":
        cc, cflags, ldflags = oss_fuzz_flavour()
    elif flavour not in FLAVOURS:
        raise UsageError("unknown xevf build flavour %s (%s)" % (flavour, ", ".join(FLAVOURS)))
    else:
        cc, cflags, ldflags = FLAVOURS[flavour]
    if not shutil.which(cc.split()[0]):
        raise UsageError("%s is not installed: run `scripts/vgtfuzz setup`" % cc)
    xl, base, era = xevf_lift.lift_kernel(kernel)
    own = [os.path.join(ROOT, "xevf", f) for f in OURS]
    fuzzer = flavour in ("libfuzzer", "oss-fuzz")
    driver = os.path.join(ROOT, "xevf", "driver_libfuzzer.c" if fuzzer else "driver_replay.c")
    compat = os.path.join(ROOT, "extracted", "compat")
    inc_compat = ["-I" + os.path.join(compat, "testing", "xevf"), "-I" + os.path.join(ROOT, "xevf"),
                  "-I" + os.path.join(compat, "testing"), "-I" + os.path.join(compat, "stubs"),
                  "-I" + os.path.join(compat, "semantics")]
    inc_lifted = ["-I" + base, "-isystem", os.path.join(base, "include"), "-isystem", os.path.join(base, "fragments"),
                  "-isystem", os.path.join(base, "drivers/gpu/drm/i915"),
                  "-isystem", os.path.join(xl, "fragments"), "-isystem", os.path.join(xl, "drivers/gpu/drm/xe")]
    sources = own + [driver] + [os.path.join(ROOT, "extracted", "shims", s) for s in
                                ("xevf-shim.c", "drm_mm-shim.c", "rbtree-shim.c")]
    stamp = hashlib.sha256()
    for p in sources + [os.path.join(ROOT, "xevf", n) for n in os.listdir(os.path.join(ROOT, "xevf"))] + \
            [os.path.join(compat, "testing", "xevf", n) for n in ("xevf_kernel.h", "xevf_glue.h", "xevf_env.h")]:
        if os.path.isfile(p):
            with open(p, "rb") as f:
                stamp.update(p.encode() + f.read())
    stamp.update(repr((cc, cflags, ldflags, xl, base)).encode())
    with open(os.path.realpath(__file__), "rb") as f:     # the build logic itself
        stamp.update(f.read())
    out = os.path.join(build_root(), "xevf", "%s-%s" % (os.path.basename(xl), flavour))
    binary = os.path.join(out, "xevf-fuzz" if fuzzer else "xevf-replay")
    stamp_path = os.path.join(out, "stamp")
    digest = stamp.hexdigest()
    try:
        with open(stamp_path) as f:
            if f.read() == digest and os.path.exists(binary):
                return binary, xl, era
    except OSError:
        pass
    os.makedirs(out, exist_ok=True)
    objs = []
    for src in sources:
        obj = os.path.join(out, os.path.basename(src) + ".o")
        name = os.path.basename(src)
        if name == "xevf-shim.c":
            flags = KERNEL_CFLAGS + inc_compat + inc_lifted + ["-include", "xevf_kernel.h"]
            if flavour == "coverage":   # clang maps no coverage for system headers: the fragments as -I
                frag = os.path.join(xl, "fragments")
                flags = ["-I" + frag] + [f for i, f in enumerate(flags)
                                         if f != frag and not (f == "-isystem" and flags[i + 1] == frag)]
            if "undefined" in " ".join(cflags):
                flags = flags + ["-fno-sanitize=pointer-overflow"]
        elif name.endswith("-shim.c"):
            flags = KERNEL_CFLAGS + inc_compat[2:] + inc_lifted
        else:
            flags = OWN_CFLAGS + inc_compat + ["-isystem", os.path.join(xl, "fragments")]
        run([cc] + cflags + flags + ["-c", src, "-o", obj], quiet=True)
        objs.append(obj)
    run([cc] + ldflags + objs + ["-o", binary], quiet=True)
    with open(stamp_path, "w") as f:
        f.write(digest)
    return binary, xl, era


def main(argv):
    """python3 -m vgtfuzzlib.xevf_build KERNEL OUT_BINARY: the oss-fuzz flavour, copied to OUT_BINARY
    (scripts/oss-fuzz-build.sh). Exit 2 with one line on a set-up problem."""
    import sys
    if len(argv) != 2:
        print("usage: xevf_build KERNEL OUT_BINARY", file=sys.stderr)
        return 2
    try:
        binary = build(argv[0], "oss-fuzz")[0]
    except UsageError as e:
        print("vgtfuzz: %s" % e, file=sys.stderr)
        return 2
    shutil.copy(binary, argv[1])
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
