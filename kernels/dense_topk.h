// Exact maximum-inner-product top-k search over dense float vectors: for each query row
// q_i, the k database rows x_j with the largest <q_i, x_j>.
//
// The n x m score matrix is never materialised. The queries are cut into fixed tiles of
// `query_tile` rows and the database into tiles of `database_tile` rows; one tile product
// (query_tile x database_tile scores, an Eigen GEMM on row-major maps of the inputs) is
// computed at a time into a per-thread buffer and immediately folded into one bounded
// top-k heap per query (kernels/topk.h). Query tiles are shared out to `num_threads`
// std::threads.
//
// Speed depends on the instruction set Eigen is compiled for: build with
// -DCARVEMATCH_NATIVE=ON to compile this library with -O3 -march=native (AVX2/AVX-512 GEMM
// kernels, not portable to older CPUs). docs/performance.md has the measured figures.
//
// Example usage:
//   std::vector<float> scores(n * k);
//   std::vector<int64_t> ids(n * k);
//   absl::Status status = DenseTopK(queries.data(), n, database.data(), m, d, k,
//                                   DenseTopKOptions{}, scores.data(), ids.data());
//   // scores[i * k + r], ids[i * k + r]: the r-th best database row for query i.
#ifndef CARVEMATCH_KERNELS_DENSE_TOPK_H_
#define CARVEMATCH_KERNELS_DENSE_TOPK_H_

#include <cstdint>

#include "absl/status/status.h"

namespace carvematch::kernels {

struct DenseTopKOptions {
  // Worker threads (>= 1); 1 runs on the calling thread.
  int num_threads = 2;
  // Rows of the query and database tiles (>= 1). Results do not depend on num_threads;
  // scores may differ in the last float bits between different tile sizes because the
  // GEMM blocking (and so the summation order) follows the tile shape.
  int64_t query_tile = 256;
  int64_t database_tile = 1024;
};

// Top-k maximum inner product search.
//
// Inputs (all row-major, densely packed):
//   queries   n x d floats (row i is query i); may be null when n == 0
//   database  m x d floats (row j is database vector j); may be null when m == 0
// Outputs (row-major, n x k, caller-allocated; may be null when n == 0):
//   scores    scores[i * k + r] = <q_i, x_j> of the r-th best j for query i
//   ids       ids[i * k + r] = that j
//
// - Each row is best first: descending score, ties broken by the lower database index.
//   The result is exact up to float rounding of the scores themselves: every pair is
//   scored, nothing is approximated or pruned unless it provably cannot enter.
// - When k > m, the last k - m entries of every row are padding: id -1, score -infinity.
// - Deterministic: the same inputs and tile sizes give the same output for any
//   num_threads.
// - Scores that are NaN (from NaN or overflowing inputs) are never returned.
// - Returns InvalidArgument when n, m < 0, d < 1, k < 1, an option is < 1, or a needed
//   pointer is null. n == 0 is a valid empty search.
absl::Status DenseTopK(const float* queries, int64_t n, const float* database, int64_t m, int64_t d,
                       int k, const DenseTopKOptions& options, float* scores, int64_t* ids);

// The instruction set Eigen's kernels were compiled for in this library, e.g.
// "AVX512, FMA, AVX2, AVX, SSE2" (Eigen::SimdInstructionSetsInUse()).
const char* DenseTopKInstructionSets();

}  // namespace carvematch::kernels

#endif  // CARVEMATCH_KERNELS_DENSE_TOPK_H_
