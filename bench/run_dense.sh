#!/bin/sh
# Dense proxy benchmark, both sides in one go (issue 3, benchmark 2; docs/performance.md).
#
#   bench/run_dense.sh [BUILD_DIR] [extra dense_topk_bench flags, e.g. --n=20000 --m=5000]
#
# BUILD_DIR (default /tmp/build-dense-native) must hold bench/dense_topk_bench, configured
# with -DCARVEMATCH_BENCH=ON (and -DCARVEMATCH_NATIVE=ON for the fast kernel). The engine
# writes its inputs and top-k to a temporary directory; bench/dense_reference.py then runs
# FAISS and numpy on the same data, checks the top-k and prints the side-by-side table.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${1:-/tmp/build-dense-native}
[ $# -gt 0 ] && shift
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-3}

# OpenBLAS 0.3.21 (Debian 12) does not know AMD family 26 (Zen 5) and falls back to its
# Haswell (AVX2) kernels. The CPU has AVX-512 (avx512f/bw/dq/vl), so the SkylakeX kernels
# fit best; docs/performance.md has the comparison. The choice is made from the CPU flags
# and replaces an OPENBLAS_CORETYPE inherited from the environment (this machine exports
# Haswell); set BENCH_OPENBLAS_CORETYPE to force one (SKYLAKEX, COOPERLAKE, ZEN, HASWELL).
if [ -n "${BENCH_OPENBLAS_CORETYPE:-}" ]; then
  OPENBLAS_CORETYPE=$BENCH_OPENBLAS_CORETYPE
elif grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo; then
  OPENBLAS_CORETYPE=SKYLAKEX
elif grep -qw avx2 /proc/cpuinfo; then
  if grep -q AuthenticAMD /proc/cpuinfo; then OPENBLAS_CORETYPE=ZEN; else OPENBLAS_CORETYPE=HASWELL; fi
else
  OPENBLAS_CORETYPE=PRESCOTT
fi
export OPENBLAS_CORETYPE
export OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS

OUT=$(mktemp -d /tmp/dense-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
"$BUILD_DIR/bench/dense_topk_bench" --threads="$THREADS" --repeats="$REPEATS" --out_dir="$OUT" "$@"
echo
/usr/bin/python3 "$HERE/dense_reference.py" "$OUT" --repeats="$REPEATS" --threads="$THREADS"
