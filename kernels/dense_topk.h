// Exact maximum-inner-product top-k search over dense float vectors: for each query row
// q_i, the k database rows x_j with the largest <q_i, x_j>.
//
// The n x m score matrix is never materialised. The database is packed once into panels
// of a few rows, interleaved by dimension (the layout the register-blocked micro-kernel
// streams); query tiles of `query_tile` rows are packed the same way and shared out to
// `num_threads` std::threads. For each query tile, every database tile of
// `database_tile` rows (sized to stay in the L2 cache) is multiplied micro-tile by
// micro-tile (a few query rows x a few database rows, the whole depth d in registers),
// and each micro-tile is folded into one bounded top-k heap per query (kernels/topk.h)
// right away: the micro-kernel compares its scores with each query's current heap
// threshold, so only scores that can enter reach the heap.
//
// The micro-kernel is chosen at run time from what the CPU supports (no compiler flags
// needed; the portable build runs AVX-512 code on an AVX-512 machine):
//   kAvx512    16-float vectors, needs AVX-512F
//   kAvx2      8-float vectors, needs AVX2 and FMA
//   kPortable  4-float GNU vectors, any CPU (SSE2 on x86-64)
// Each is a function compiled for its instruction set inside one translation unit; no
// template or inline function is compiled for two instruction sets, so the binary has no
// ODR hazard. DenseTopKOptions::path forces one (tests and benchmarks).
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

// The micro-kernel implementations (see the file comment).
enum class DenseTopKPath {
  kAuto = 0,  // the best one the CPU supports: kAvx512, else kAvx2, else kPortable
  kPortable,
  kAvx2,
  kAvx512,
};

struct DenseTopKOptions {
  // Worker threads (>= 1); 1 runs on the calling thread.
  int num_threads = 2;
  // Rows of a query tile (>= 1): the unit of work handed to a thread; each thread keeps
  // query_tile heaps of k entries. Rounded up to a multiple of the micro-kernel's row
  // block (12 for kAvx512, 6 for kAvx2 and kPortable), so that only the last tile of
  // the queries computes padding rows.
  int64_t query_tile = 256;
  // Rows of a database tile (>= 1), rounded up to a multiple of the micro-kernel's panel
  // width (32 for kAvx512, 16 for kAvx2, 8 for kPortable). The default keeps a 512-d
  // tile (about 0.5 MB) in a 1 MB L2 cache.
  int64_t database_tile = 256;
  DenseTopKPath path = DenseTopKPath::kAuto;
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
// - Every score is summed over the dimensions in order c = 0 .. d-1 in its own
//   accumulator, whatever the tiling. So for one path the output is bitwise identical
//   for any num_threads, query_tile and database_tile (deterministic).
// - Float rounding across paths: kAvx512 and kAvx2 both compute each score as the same
//   chain of fused multiply-adds, so they return bitwise identical results. kPortable
//   rounds each product before adding it, so its scores can differ from theirs in the
//   last bits, and where two rows' true scores are that close (near-ties) their order,
//   or which of them makes the k-th place, can differ. Exact ties (equal float scores)
//   are always broken by the lower index.
// - When k > m, the last k - m entries of every row are padding: id -1, score -infinity.
// - Scores that are NaN (from NaN or overflowing inputs) are never returned.
// - Memory: a packed copy of the database (m rounded up to the panel width, x d floats)
//   for the duration of the call, plus per thread one packed query tile and its heaps.
// - Returns InvalidArgument when n, m < 0, d < 1, k < 1, an option is < 1, or a needed
//   pointer is null; FailedPrecondition when options.path names a path this CPU does not
//   support (DenseTopKPathSupported). n == 0 is a valid empty search.
absl::Status DenseTopK(const float* queries, int64_t n, const float* database, int64_t m, int64_t d,
                       int k, const DenseTopKOptions& options, float* scores, int64_t* ids);

// Whether this CPU (and OS) can run `path`; always true for kAuto and kPortable.
bool DenseTopKPathSupported(DenseTopKPath path);

// The path kAuto runs on this CPU (never kAuto).
DenseTopKPath DenseTopKBestPath();

// A short name with the instruction set, e.g. "AVX512F" or "AVX2+FMA" or
// "portable (SSE2 on x86-64)"; for kAuto the name of DenseTopKBestPath().
const char* DenseTopKPathName(DenseTopKPath path);

}  // namespace carvematch::kernels

#endif  // CARVEMATCH_KERNELS_DENSE_TOPK_H_
