#!/bin/bash -eu
# The one build logic for OSS-Fuzz (oss-fuzz/build.sh) and ClusterFuzzLite (.clusterfuzzlite/build.sh),
# which only call this. It follows the base-builder contract: the compiler, every compile flag and
# the engine come from $CC, $CFLAGS and $LIB_FUZZING_ENGINE (no sanitizer flag is named here);
# scratch goes to $WORK; $OUT receives, per fuzz target, the binary, <target>.dict, <target>.options
# and <target>_seed_corpus.zip. `scripts/vgtfuzz oss-fuzz-build` runs it outside Docker.
#
# Kernel trees (the kernel's own code is lifted from a tree at build time, never committed):
#   vgtfuzz_balloon     6.12: $SRC/linux if present, else Debian's linux-source-6.12
#                       (`scripts/vgtfuzz setup --kernel 6.12` puts it into ~/.cache/vgtfuzz)
#   vgtfuzz_balloon_61  6.1:  $SRC/linux-6.1 if present, else Debian's linux-source-6.1 if set up;
#                       skipped (with a note) when neither is there
#   vgtfuzz_drm_mm      the same 6.12 tree's drm_mm alone (format.def's drm_mm target,
#                       docs/drm_mm.md): seeds corpus/drm_mm
#   vgtfuzz_gvt         the same 6.12 tree's GVT-g host and its guests end to end (format.def's gvt
#                       target, docs/gvt.md): seeds corpus/gvt
#   vgtfuzz_xevf        the Xe SR-IOV VF's GGTT (xevf/format.def, docs/xevf.md) on the same 6.12
#                       tree; vgtfuzz_xevf_newest on Debian's newest (7.x base era) when set up.
#                       Seeds corpus/xevf and corpus/xevf-regressions, dictionary dictionaries/xevf.dict
#
# Requirements in the image: python3 (standard library), cmake >= 3.25 (CMakePresets.json), make.

PROJECT=${VGTFUZZ_PROJECT:-$SRC/vgtfuzz}
cd "$PROJECT"

# Max input length the decoder reads is 1034 bytes (harness/format.def: page 0x54, header, two
# devices with 16 pre nodes each, 40 ops of 16 bytes); the rest of a longer input is ignored.
MAX_LEN=1100

build_target() {	# build_target NAME KERNEL [CMAKE_TARGET [SEED_DIRS]]
  local name=$1 kernel=$2 target=${3:-vgtfuzz_balloon} seeds=${4:-"corpus/seeds corpus/regressions"} lifted bdir
  lifted=$(python3 scripts/vgtfuzz lift --kernel "$kernel")
  bdir="$WORK/vgtfuzz-$name"
  # CMakePresets.json's oss-fuzz preset: $CC, $CFLAGS and $LIB_FUZZING_ENGINE alone decide.
  cmake --preset oss-fuzz -S "$PROJECT" -B "$bdir" -DVGTFUZZ_KERNEL_DIR="$lifted"
  cmake --build "$bdir" --target "$target" -j "$(nproc)"
  cp "$bdir/harness/$target" "$OUT/$name"

  cp dictionaries/vgtfuzz.dict "$OUT/$name.dict"
  printf '[libfuzzer]\ndict = %s.dict\nmax_len = %d\n' "$name" "$MAX_LEN" > "$OUT/$name.options"
  # The target's committed corpus, flat (file names are distinct across its directories).
  rm -f "$OUT/${name}_seed_corpus.zip"
  local files=() dir
  for dir in $seeds; do files+=("$dir"/*); done
  python3 -m zipfile -c "$OUT/${name}_seed_corpus.zip" "${files[@]}"
}

if [ -f "$SRC/linux/Makefile" ]; then
  build_target vgtfuzz_balloon "$SRC/linux"
  build_target vgtfuzz_drm_mm "$SRC/linux" vgtfuzz_drm_mm corpus/drm_mm
  build_target vgtfuzz_gvt "$SRC/linux" vgtfuzz_gvt corpus/gvt
else
  build_target vgtfuzz_balloon 6.12
  build_target vgtfuzz_drm_mm 6.12 vgtfuzz_drm_mm corpus/drm_mm
  build_target vgtfuzz_gvt 6.12 vgtfuzz_gvt corpus/gvt
fi

if [ -f "$SRC/linux-6.1/Makefile" ]; then
  build_target vgtfuzz_balloon_61 "$SRC/linux-6.1"
elif python3 scripts/vgtfuzz lift --kernel 6.1 >/dev/null 2>&1; then
  build_target vgtfuzz_balloon_61 6.1
else
  echo "vgtfuzz: no 6.1 tree (\$SRC/linux-6.1 or Debian's linux-source-6.1): vgtfuzz_balloon_61 not built"
fi

# The xevf target (docs/xevf.md): its own format, dictionary and corpora; the same preset, with the
# tree's xevf lift beside its balloon lift.
XEVF_MAX_LEN=552	# xevf/format.def: 40-byte header + 64 ops of 8 bytes
build_xevf() {	# build_xevf NAME KERNEL
  local name=$1 kernel=$2 lifts bdir="$WORK/vgtfuzz-$1"
  lifts=$(cd scripts && python3 -m vgtfuzzlib.xevf_lift "$kernel")	# "<xevf lift> <balloon lift>"
  cmake --preset oss-fuzz -S "$PROJECT" -B "$bdir" -DVGTFUZZ_XEVF_DIR="${lifts% *}" -DVGTFUZZ_KERNEL_DIR="${lifts#* }"
  cmake --build "$bdir" --target vgtfuzz_xevf -j "$(nproc)"
  cp "$bdir/xevf/vgtfuzz_xevf" "$OUT/$name"
  cp dictionaries/xevf.dict "$OUT/$name.dict"
  printf '[libfuzzer]\ndict = %s.dict\nmax_len = %d\n' "$name" "$XEVF_MAX_LEN" > "$OUT/$name.options"
  rm -f "$OUT/${name}_seed_corpus.zip"
  python3 -m zipfile -c "$OUT/${name}_seed_corpus.zip" corpus/xevf/* corpus/xevf-regressions/*
}
if [ -f "$SRC/linux/Makefile" ]; then
  build_xevf vgtfuzz_xevf "$SRC/linux"
else
  build_xevf vgtfuzz_xevf 6.12
fi
if python3 scripts/vgtfuzz lift --kernel newest >/dev/null 2>&1; then
  build_xevf vgtfuzz_xevf_newest newest
else
  echo "vgtfuzz: no newest tree set up: vgtfuzz_xevf_newest not built"
fi
