#include "kernels/dense_microkernel.h"

#include <cstdint>
#include <cstring>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define CARVEMATCH_DENSE_X86 1
#include <immintrin.h>
#else
#define CARVEMATCH_DENSE_X86 0
#endif

namespace carvematch::kernels::internal {
namespace {

// ---------------------------------------------------------------------------------------
// Portable: GNU vectors of 4 floats (SSE2 on x86-64; whatever the target has elsewhere).
// 6 query rows x 8 database rows = 12 accumulators, which with the 2 database vectors and a
// broadcast fits the 16 SSE registers.

typedef float Float4 __attribute__((vector_size(16)));

constexpr int kPortableRows = 6;
constexpr int kPortableVectors = 2;
constexpr int kPortableCols = 4 * kPortableVectors;

void PortableKernel(const float* a, const float* b, int64_t d, const float* thresholds, float* out,
                    uint64_t* masks) {
  Float4 acc[kPortableRows][kPortableVectors];
#pragma GCC unroll 16
  for (int r = 0; r < kPortableRows; ++r) {
#pragma GCC unroll 16
    for (int v = 0; v < kPortableVectors; ++v) acc[r][v] = Float4{0.0f, 0.0f, 0.0f, 0.0f};
  }
  // d >= 1; a do-while keeps GCC from mirroring the accumulators on the stack.
  int64_t c = 0;
  do {
    Float4 bv[kPortableVectors];
#pragma GCC unroll 16
    for (int v = 0; v < kPortableVectors; ++v) std::memcpy(&bv[v], b + 4 * v, sizeof(Float4));
#pragma GCC unroll 16
    for (int r = 0; r < kPortableRows; ++r) {
      const Float4 av = Float4{a[r], a[r], a[r], a[r]};
#pragma GCC unroll 16
      for (int v = 0; v < kPortableVectors; ++v) acc[r][v] += av * bv[v];
    }
    a += kPortableRows;
    b += kPortableCols;
  } while (++c < d);
#pragma GCC unroll 16
  for (int r = 0; r < kPortableRows; ++r) {
    float* row = out + r * kPortableCols;
#pragma GCC unroll 16
    for (int v = 0; v < kPortableVectors; ++v) {
      const Float4 sums = acc[r][v];  // a copy, so that acc itself is never addressed
      std::memcpy(row + 4 * v, &sums, sizeof(Float4));
    }
    uint64_t mask = 0;
#pragma GCC unroll 16
    for (int l = 0; l < kPortableCols; ++l) {
      if (row[l] >= thresholds[r]) mask |= uint64_t{1} << l;
    }
    masks[r] = mask;
  }
}

#if CARVEMATCH_DENSE_X86

// ---------------------------------------------------------------------------------------
// AVX2 + FMA: 6 query rows x 16 database rows (2 ymm) = 12 accumulators of the 16 ymm
// registers, the classic 6x16 block.

constexpr int kAvx2Rows = 6;
constexpr int kAvx2Vectors = 2;
constexpr int kAvx2Cols = 8 * kAvx2Vectors;

__attribute__((target("avx2,fma"))) void Avx2Kernel(const float* a, const float* b, int64_t d,
                                                    const float* thresholds, float* out,
                                                    uint64_t* masks) {
  __m256 acc[kAvx2Rows][kAvx2Vectors];
#pragma GCC unroll 16
  for (int r = 0; r < kAvx2Rows; ++r) {
#pragma GCC unroll 16
    for (int v = 0; v < kAvx2Vectors; ++v) acc[r][v] = _mm256_setzero_ps();
  }
  // d >= 1; a do-while keeps GCC from mirroring the accumulators on the stack.
  int64_t c = 0;
  do {
    __m256 bv[kAvx2Vectors];
#pragma GCC unroll 16
    for (int v = 0; v < kAvx2Vectors; ++v) bv[v] = _mm256_loadu_ps(b + 8 * v);
#pragma GCC unroll 16
    for (int r = 0; r < kAvx2Rows; ++r) {
      const __m256 av = _mm256_broadcast_ss(a + r);
#pragma GCC unroll 16
      for (int v = 0; v < kAvx2Vectors; ++v) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
    }
    a += kAvx2Rows;
    b += kAvx2Cols;
  } while (++c < d);
#pragma GCC unroll 16
  for (int r = 0; r < kAvx2Rows; ++r) {
    const __m256 threshold = _mm256_broadcast_ss(thresholds + r);
    uint64_t mask = 0;
#pragma GCC unroll 16
    for (int v = 0; v < kAvx2Vectors; ++v) {
      _mm256_storeu_ps(out + r * kAvx2Cols + 8 * v, acc[r][v]);
      const int bits = _mm256_movemask_ps(_mm256_cmp_ps(acc[r][v], threshold, _CMP_GE_OQ));
      mask |= static_cast<uint64_t>(static_cast<unsigned>(bits)) << (8 * v);
    }
    masks[r] = mask;
  }
}

// ---------------------------------------------------------------------------------------
// AVX-512F: 12 query rows x 32 database rows (2 zmm) = 24 accumulators of the 32 zmm
// registers. Per dimension: 2 vector loads and 12 broadcasts for 24 FMAs.

constexpr int kAvx512Rows = 12;
constexpr int kAvx512Vectors = 2;
constexpr int kAvx512Cols = 16 * kAvx512Vectors;

__attribute__((target("avx512f"))) void Avx512Kernel(const float* a, const float* b, int64_t d,
                                                     const float* thresholds, float* out,
                                                     uint64_t* masks) {
  __m512 acc[kAvx512Rows][kAvx512Vectors];
#pragma GCC unroll 16
  for (int r = 0; r < kAvx512Rows; ++r) {
#pragma GCC unroll 16
    for (int v = 0; v < kAvx512Vectors; ++v) acc[r][v] = _mm512_setzero_ps();
  }
  // d >= 1; a do-while keeps GCC from mirroring the accumulators on the stack.
  int64_t c = 0;
  do {
    __m512 bv[kAvx512Vectors];
#pragma GCC unroll 16
    for (int v = 0; v < kAvx512Vectors; ++v) bv[v] = _mm512_loadu_ps(b + 16 * v);
#pragma GCC unroll 16
    for (int r = 0; r < kAvx512Rows; ++r) {
      const __m512 av = _mm512_set1_ps(a[r]);
#pragma GCC unroll 16
      for (int v = 0; v < kAvx512Vectors; ++v) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
    }
    a += kAvx512Rows;
    b += kAvx512Cols;
  } while (++c < d);
#pragma GCC unroll 16
  for (int r = 0; r < kAvx512Rows; ++r) {
    const __m512 threshold = _mm512_set1_ps(thresholds[r]);
    uint64_t mask = 0;
#pragma GCC unroll 16
    for (int v = 0; v < kAvx512Vectors; ++v) {
      _mm512_storeu_ps(out + r * kAvx512Cols + 16 * v, acc[r][v]);
      const __mmask16 bits = _mm512_cmp_ps_mask(acc[r][v], threshold, _CMP_GE_OQ);
      mask |= static_cast<uint64_t>(bits) << (16 * v);
    }
    masks[r] = mask;
  }
}

bool CpuHasAvx2Fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// GCC's and Clang's __builtin_cpu_supports also check (XGETBV) that the OS saves the
// AVX-512 registers.
bool CpuHasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

#endif  // CARVEMATCH_DENSE_X86

}  // namespace

DenseMicroKernel GetDenseMicroKernel(DenseTopKPath path) {
  if (path == DenseTopKPath::kAuto) path = DenseTopKBestPath();
  switch (path) {
#if CARVEMATCH_DENSE_X86
    case DenseTopKPath::kAvx512:
      return {path, kAvx512Rows, kAvx512Cols, &Avx512Kernel};
    case DenseTopKPath::kAvx2:
      return {path, kAvx2Rows, kAvx2Cols, &Avx2Kernel};
#else
    case DenseTopKPath::kAvx512:
      return {path, 12, 32, nullptr};
    case DenseTopKPath::kAvx2:
      return {path, 6, 16, nullptr};
#endif
    default:
      return {DenseTopKPath::kPortable, kPortableRows, kPortableCols, &PortableKernel};
  }
}

}  // namespace carvematch::kernels::internal

namespace carvematch::kernels {

bool DenseTopKPathSupported(DenseTopKPath path) {
  switch (path) {
    case DenseTopKPath::kAuto:
    case DenseTopKPath::kPortable:
      return true;
#if CARVEMATCH_DENSE_X86
    case DenseTopKPath::kAvx2: {
      static const bool supported = internal::CpuHasAvx2Fma();
      return supported;
    }
    case DenseTopKPath::kAvx512: {
      static const bool supported = internal::CpuHasAvx512();
      return supported;
    }
#endif
    default:
      return false;
  }
}

DenseTopKPath DenseTopKBestPath() {
  if (DenseTopKPathSupported(DenseTopKPath::kAvx512)) return DenseTopKPath::kAvx512;
  if (DenseTopKPathSupported(DenseTopKPath::kAvx2)) return DenseTopKPath::kAvx2;
  return DenseTopKPath::kPortable;
}

const char* DenseTopKPathName(DenseTopKPath path) {
  if (path == DenseTopKPath::kAuto) path = DenseTopKBestPath();
  switch (path) {
    case DenseTopKPath::kAvx512:
      return "AVX512F";
    case DenseTopKPath::kAvx2:
      return "AVX2+FMA";
    default:
#if CARVEMATCH_DENSE_X86
      return "portable (SSE2 on x86-64)";
#else
      return "portable (GNU vectors)";
#endif
  }
}

}  // namespace carvematch::kernels
