#!/bin/sh
# Full-pass benchmark, both sides in one go (issue 3, benchmark 1; docs/performance.md).
#
#   bench/run_full_pass.sh [BUILD_DIR] [extra full_pass_bench flags, e.g. --n=500 --m=200]
#
# BUILD_DIR (default /tmp/build-fullpass) must hold bench/full_pass_bench, configured with
# -DCARVEMATCH_BENCH=ON (Release). The engine's RankAll runs on a synthetic population
# (20k x 5k, seed 7 by default; the complete population) and writes the
# features and its top-10 to a temporary directory; bench/full_pass_reference.py then
# recomputes the scoring with numpy/scipy, checks the top-10 and prints the table.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${1:-/tmp/build-fullpass}
[ $# -gt 0 ] && shift
THREADS=${THREADS:-2}
REPEATS=${REPEATS:-3}
REF_REPEATS=${REF_REPEATS:-1}

. "$HERE/openblas_env.sh"

OUT=$(mktemp -d /tmp/full-pass-bench.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
"$BUILD_DIR/bench/full_pass_bench" --threads="$THREADS" --repeats="$REPEATS" --out_dir="$OUT" "$@"
echo
/usr/bin/python3 "$HERE/full_pass_reference.py" "$OUT" --repeats="$REF_REPEATS"
