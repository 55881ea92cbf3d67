# Sourced by the bench/run_*.sh drivers: picks OPENBLAS_CORETYPE for the reference side.
#
# OpenBLAS 0.3.21 (Debian 12) does not know AMD family 26 (Zen 5) and falls back to its
# Haswell (AVX2) kernels. On a CPU with AVX-512 (avx512f/bw) the SkylakeX kernels fit best;
# docs/performance.md has the comparison. The choice is made from the CPU flags and replaces
# an OPENBLAS_CORETYPE inherited from the environment (this machine exports Haswell); set
# BENCH_OPENBLAS_CORETYPE to force one (SKYLAKEX, COOPERLAKE, ZEN, HASWELL).
# Expects THREADS to be set.
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
