#!/bin/sh
# Dense assignment benchmark, both sides in one go (issue 6; docs/performance.md).
#
#   bench/assignment/run_dense.sh [BUILD_DIR] [extra dense_assignment_bench flags]
#
# BUILD_DIR (default /tmp/build-release) must hold bench/assignment/dense_assignment_bench
# from a Release build with -DCARVEMATCH_BENCH=ON. The engine writes the matrices and its
# figures to a temporary directory; dense_reference.py then runs scipy on the same data,
# checks the optimum and prints the side-by-side table.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${1:-/tmp/build-release}
[ $# -gt 0 ] && shift
REPEATS=${REPEATS:-1}
OUT=$(mktemp -d /tmp/dense-assignment.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
echo "load before: $(cat /proc/loadavg)"
"$BUILD_DIR/bench/assignment/dense_assignment_bench" --repeats="$REPEATS" --out_dir="$OUT" "$@"
echo
/usr/bin/python3 "$HERE/dense_reference.py" "$OUT" --repeats="$REPEATS"
echo "load after: $(cat /proc/loadavg)"
