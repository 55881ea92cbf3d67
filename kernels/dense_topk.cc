#include "kernels/dense_topk.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <thread>
#include <vector>

#include "Eigen/Core"
#include "absl/strings/str_cat.h"
#include "kernels/topk.h"

namespace carvematch::kernels {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Scores in a chunk whose maximum is below the heap threshold cannot enter the heap; the
// chunk maximum is a vectorised reduction, so most of a tile row is skipped cheaply once
// the heap is full.
constexpr int64_t kChunk = 16;

// Folds one row of tile scores (database rows first_id .. first_id + count) into a heap.
void FoldRow(const float* row, int64_t count, int64_t first_id, TopKHeap& heap) {
  float threshold = heap.threshold();
  int64_t j = 0;
  for (; j + kChunk <= count; j += kChunk) {
    const float chunk_max = Eigen::Map<const Eigen::Array<float, kChunk, 1>>(row + j).maxCoeff();
    if (chunk_max < threshold) continue;
    for (int64_t c = j; c < j + kChunk; ++c) {
      if (!(row[c] < threshold)) {
        heap.Push(row[c], first_id + c);
        threshold = heap.threshold();
      }
    }
  }
  for (; j < count; ++j) {
    if (!(row[j] < threshold)) {
      heap.Push(row[j], first_id + j);
      threshold = heap.threshold();
    }
  }
}

struct Problem {
  const float* queries;
  int64_t n;
  const float* database;
  int64_t m;
  int64_t d;
  int k;
  int64_t query_tile;
  int64_t database_tile;
  float* scores;
  int64_t* ids;
};

// Processes query tiles taken from `next_tile` until none is left.
void Worker(const Problem& p, std::atomic<int64_t>& next_tile) {
  const int64_t num_tiles = (p.n + p.query_tile - 1) / p.query_tile;
  std::vector<float> buffer(static_cast<size_t>(p.query_tile * std::min(p.database_tile, p.m)));
  std::vector<TopKHeap> heaps(static_cast<size_t>(p.query_tile), TopKHeap(p.k));
  for (int64_t tile = next_tile.fetch_add(1); tile < num_tiles; tile = next_tile.fetch_add(1)) {
    const int64_t q0 = tile * p.query_tile;
    const int64_t rows = std::min(p.query_tile, p.n - q0);
    for (int64_t i = 0; i < rows; ++i) heaps[static_cast<size_t>(i)].Reset();
    Eigen::Map<const RowMajorMatrix> q_block(p.queries + q0 * p.d, rows, p.d);
    for (int64_t x0 = 0; x0 < p.m; x0 += p.database_tile) {
      const int64_t cols = std::min(p.database_tile, p.m - x0);
      Eigen::Map<const RowMajorMatrix> x_block(p.database + x0 * p.d, cols, p.d);
      Eigen::Map<RowMajorMatrix> tile_scores(buffer.data(), rows, cols);
      tile_scores.noalias() = q_block * x_block.transpose();
      for (int64_t i = 0; i < rows; ++i) {
        FoldRow(buffer.data() + i * cols, cols, x0, heaps[static_cast<size_t>(i)]);
      }
    }
    for (int64_t i = 0; i < rows; ++i) {
      TopKHeap& heap = heaps[static_cast<size_t>(i)];
      float* out_scores = p.scores + (q0 + i) * p.k;
      int64_t* out_ids = p.ids + (q0 + i) * p.k;
      const int kept = heap.size();
      heap.ExtractSorted(out_scores, out_ids);
      std::fill(out_scores + kept, out_scores + p.k, -std::numeric_limits<float>::infinity());
      std::fill(out_ids + kept, out_ids + p.k, int64_t{-1});
    }
  }
}

}  // namespace

absl::Status DenseTopK(const float* queries, int64_t n, const float* database, int64_t m, int64_t d,
                       int k, const DenseTopKOptions& options, float* scores, int64_t* ids) {
  if (n < 0 || m < 0) {
    return absl::InvalidArgumentError(absl::StrCat("n and m must be >= 0, got n=", n, " m=", m));
  }
  if (d < 1) return absl::InvalidArgumentError(absl::StrCat("d must be >= 1, got ", d));
  if (k < 1) return absl::InvalidArgumentError(absl::StrCat("k must be >= 1, got ", k));
  if (options.num_threads < 1 || options.query_tile < 1 || options.database_tile < 1) {
    return absl::InvalidArgumentError("num_threads, query_tile and database_tile must be >= 1");
  }
  if (n > 0 && (queries == nullptr || scores == nullptr || ids == nullptr)) {
    return absl::InvalidArgumentError("queries, scores and ids must not be null when n > 0");
  }
  if (m > 0 && database == nullptr) {
    return absl::InvalidArgumentError("database must not be null when m > 0");
  }
  if (n == 0) return absl::OkStatus();

  const Problem problem{
      queries, n,  database, m, d, k, std::min(options.query_tile, n), options.database_tile,
      scores,  ids};
  const int64_t num_tiles = (n + problem.query_tile - 1) / problem.query_tile;
  const int64_t num_workers = std::min<int64_t>(options.num_threads, num_tiles);
  std::atomic<int64_t> next_tile{0};
  std::vector<std::thread> helpers;
  helpers.reserve(static_cast<size_t>(num_workers - 1));
  for (int64_t w = 1; w < num_workers; ++w) {
    helpers.emplace_back([&problem, &next_tile] { Worker(problem, next_tile); });
  }
  Worker(problem, next_tile);
  for (std::thread& helper : helpers) helper.join();
  return absl::OkStatus();
}

const char* DenseTopKInstructionSets() { return Eigen::SimdInstructionSetsInUse(); }

}  // namespace carvematch::kernels
