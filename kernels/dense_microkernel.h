// Internal to kernels/dense_topk.cc: the register-blocked micro-kernels of DenseTopK, one
// per instruction set, and the run-time check of what the CPU supports.
//
// A micro-kernel computes a rows x cols block of inner products over the full depth d >= 1
// from two packed panels:
//   a    d x rows floats, a[c * rows + r] = query r, dimension c   (a packed query panel)
//   b    d x cols floats, b[c * cols + l] = database row l, dimension c
// and writes
//   out    rows x cols floats, row-major: out[r * cols + l] = sum_c a[c, r] * b[c, l]
//   masks  rows words: bit l of masks[r] is set iff out[r * cols + l] >= thresholds[r]
//          (an ordered comparison: a NaN score never sets its bit)
// Each score is accumulated in its own register lane in order c = 0 .. d-1, starting
// from +0: with fused multiply-adds in the AVX2 and AVX-512 kernels (bitwise identical
// to each other), with a rounded product then an add in the portable one.
//
// The kernels' fixed-size loops carry `#pragma GCC unroll`: the accumulators stay in
// registers only when those loops are fully unrolled, which GCC 12 does not do by itself
// at -O2 (the default RelWithDebInfo build).
//
// Every kernel function is defined with internal linkage and compiled only for its own
// instruction set (GCC/Clang target attributes), so nothing is compiled twice under
// different flags.
#ifndef CARVEMATCH_KERNELS_DENSE_MICROKERNEL_H_
#define CARVEMATCH_KERNELS_DENSE_MICROKERNEL_H_

#include <cstdint>

#include "kernels/dense_topk.h"

namespace carvematch::kernels::internal {

using DenseMicroKernelFn = void (*)(const float* a, const float* b, int64_t d,
                                    const float* thresholds, float* out, uint64_t* masks);

struct DenseMicroKernel {
  DenseTopKPath path = DenseTopKPath::kPortable;
  int rows = 0;  // query rows per call (the packed query panel's width)
  int cols = 0;  // database rows per call (the packed database panel's width), <= 64
  DenseMicroKernelFn fn = nullptr;
};

// The kernel of `path` (kAuto: of DenseTopKBestPath()). Its fn is null when the path is
// not compiled into this binary (kAvx2 and kAvx512 exist only on x86 with GCC/Clang); it
// is non-null but must not be called when the CPU lacks the instructions
// (DenseTopKPathSupported).
DenseMicroKernel GetDenseMicroKernel(DenseTopKPath path);

}  // namespace carvematch::kernels::internal

#endif  // CARVEMATCH_KERNELS_DENSE_MICROKERNEL_H_
