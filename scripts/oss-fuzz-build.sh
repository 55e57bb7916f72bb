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
#
# Requirements in the image: python3 (standard library), cmake >= 3.18, make.

PROJECT=${VGTFUZZ_PROJECT:-$SRC/vgtfuzz}
cd "$PROJECT"

# Max input length the decoder reads is 1034 bytes (harness/format.def: page 0x54, header, two
# devices with 16 pre nodes each, 40 ops of 16 bytes); the rest of a longer input is ignored.
MAX_LEN=1100

build_target() {	# build_target NAME KERNEL [CMAKE_TARGET [SEED_DIRS]]
  local name=$1 kernel=$2 target=${3:-vgtfuzz_balloon} seeds=${4:-"corpus/seeds corpus/regressions"} lifted bdir d
  lifted=$(python3 scripts/vgtfuzz lift --kernel "$kernel")
  bdir="$WORK/vgtfuzz-$name"
  # No CMAKE_BUILD_TYPE and every vgtfuzz option at its default: $CFLAGS alone decides.
  cmake -S "$PROJECT" -B "$bdir" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_BUILD_TYPE= \
    -DVGTFUZZ_ENGINE=none -DVGTFUZZ_SANITIZE=OFF -DVGTFUZZ_M32=OFF -DVGTFUZZ_COVERAGE=OFF \
    -DVGTFUZZ_KERNEL_PROFILE=release -DVGTFUZZ_KERNEL_DIR="$lifted" \
    -DVGTFUZZ_LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE"
  cmake --build "$bdir" --target "$target" -j "$(nproc)"
  cp "$bdir/harness/$target" "$OUT/$name"

  cp dictionaries/vgtfuzz.dict "$OUT/$name.dict"
  printf '[libfuzzer]\ndict = %s.dict\nmax_len = %d\n' "$name" "$MAX_LEN" > "$OUT/$name.options"
  # The target's committed corpus, flat (file names are distinct across its directories).
  rm -f "$OUT/${name}_seed_corpus.zip"
  # shellcheck disable=SC2086
  python3 -m zipfile -c "$OUT/${name}_seed_corpus.zip" $(for d in $seeds; do echo "$d"/*; done)
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
