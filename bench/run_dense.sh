#!/bin/sh
# Dense proxy benchmark, both sides in one go (issue 3, benchmark 2; docs/performance.md).
#
#   bench/run_dense.sh [BUILD_DIR] [extra dense_topk_bench flags, e.g. --n=20000 --m=5000]
#
# BUILD_DIR (default /tmp/build-dense) must hold bench/dense_topk_bench, configured with
# -DCARVEMATCH_BENCH=ON (a Release build; the kernel picks AVX-512/AVX2 at run time). The engine
# writes its inputs and top-k to a temporary directory; bench/dense_reference.py then runs
# FAISS and numpy on the same data, checks the top-k and prints the side-by-side table.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${1:-/tmp/build-dense}
[ $# -gt 0 ] && shift
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-3}

. "$HERE/openblas_env.sh"

OUT=$(mktemp -d /tmp/dense-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
"$BUILD_DIR/bench/dense_topk_bench" --threads="$THREADS" --repeats="$REPEATS" --out_dir="$OUT" "$@"
echo
/usr/bin/python3 "$HERE/dense_reference.py" "$OUT" --repeats="$REPEATS" --threads="$THREADS"
