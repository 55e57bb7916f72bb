#!/bin/bash -eu
# ClusterFuzzLite build script for vgtfuzz. The logic is the project's own, shared with OSS-Fuzz
# (oss-fuzz/build.sh): scripts/oss-fuzz-build.sh in the project tree at $SRC/vgtfuzz.
exec bash -eux "$SRC/vgtfuzz/scripts/oss-fuzz-build.sh"
