#!/bin/bash -eu
# OSS-Fuzz build script for vgtfuzz. The logic is the project's own, shared with ClusterFuzzLite
# (.clusterfuzzlite/build.sh): scripts/oss-fuzz-build.sh in the project tree at $SRC/vgtfuzz.
exec bash -eux "$SRC/vgtfuzz/scripts/oss-fuzz-build.sh"
