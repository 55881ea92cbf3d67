#include "kernels/dense_topk.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "absl/strings/str_cat.h"
#include "kernels/dense_microkernel.h"
#include "kernels/topk.h"

namespace carvematch::kernels {
namespace {

using internal::DenseMicroKernel;

// An uninitialised float array aligned to a 64-byte cache line (and so to any vector).
// Arrays of 2 MB or more are aligned to 2 MB and, on Linux, offered transparent huge
// pages: first-touch page faults are slow under some hypervisors (a 10 MB packed database
// in 4 KB pages cost about 25 ms of faults on the benchmark VM), and fewer pages also
// means fewer TLB misses while the micro-kernel streams the database.
class AlignedFloats {
 public:
  explicit AlignedFloats(size_t count)
      : bytes_(std::max<size_t>(count, 1) * sizeof(float)),
        alignment_(bytes_ >= kHugePage ? kHugePage : 64),
        data_(static_cast<float*>(::operator new[](bytes_, std::align_val_t{alignment_}))) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (alignment_ == kHugePage) {
      // Advice only: without THP support the array simply stays in small pages.
      madvise(data_, bytes_ / kHugePage * kHugePage, MADV_HUGEPAGE);
    }
#endif
  }
  ~AlignedFloats() { ::operator delete[](data_, std::align_val_t{alignment_}); }
  AlignedFloats(const AlignedFloats&) = delete;
  AlignedFloats& operator=(const AlignedFloats&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }

 private:
  static constexpr size_t kHugePage = size_t{2} << 20;
  size_t bytes_;
  size_t alignment_;
  float* data_;
};

// Packs rows [first, first + width) of a row-major `rows` x d matrix into a d x width
// panel: panel[c * width + l] = matrix[first + l][c]; rows past the end are zeros.
// Precondition: width <= 64. Writes the panel in order and reads the rows as `width`
// parallel streams, each cache line of a row serving 16 dimensions.
void PackPanel(const float* matrix, int64_t rows, int64_t d, int64_t first, int width,
               float* panel) {
  const int present = static_cast<int>(std::clamp<int64_t>(rows - first, 0, width));
  const float* row[64];
  for (int l = 0; l < present; ++l) row[l] = matrix + (first + l) * d;
  for (int64_t c0 = 0; c0 < d; c0 += 16) {
    // One cache line of every row per step; fetch the lines two steps ahead.
    if (c0 + 32 < d) {
      for (int l = 0; l < present; ++l) __builtin_prefetch(row[l] + c0 + 32);
    }
    const int64_t c1 = std::min<int64_t>(c0 + 16, d);
    for (int64_t c = c0; c < c1; ++c) {
      float* out = panel + c * width;
      for (int l = 0; l < present; ++l) out[l] = row[l][c];
      for (int l = present; l < width; ++l) out[l] = 0.0f;
    }
  }
}

int64_t RoundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

struct Problem {
  const float* queries;
  int64_t n;
  int64_t m;
  int64_t d;
  int k;
  int64_t query_tile;
  int64_t database_tile_panels;  // database tile, in panels of kernel.cols rows
  DenseMicroKernel kernel;
  const float* packed_database;  // ceil(m / kernel.cols) panels of d x kernel.cols
  float* scores;
  int64_t* ids;
};

// Processes query tiles taken from `next_tile` until none is left.
void Worker(const Problem& p, std::atomic<int64_t>& next_tile) {
  const int rows_per_panel = p.kernel.rows;
  const int cols = p.kernel.cols;
  const int64_t max_query_panels = (p.query_tile + rows_per_panel - 1) / rows_per_panel;
  const int64_t database_panels = (p.m + cols - 1) / cols;
  const int64_t num_tiles = (p.n + p.query_tile - 1) / p.query_tile;

  AlignedFloats packed_queries(static_cast<size_t>(max_query_panels * rows_per_panel * p.d));
  AlignedFloats block(static_cast<size_t>(rows_per_panel * cols));
  std::vector<uint64_t> masks(static_cast<size_t>(rows_per_panel));
  std::vector<float> thresholds(static_cast<size_t>(max_query_panels * rows_per_panel));
  std::vector<TopKHeap> heaps(static_cast<size_t>(p.query_tile), TopKHeap(p.k));

  for (int64_t tile = next_tile.fetch_add(1); tile < num_tiles; tile = next_tile.fetch_add(1)) {
    const int64_t q0 = tile * p.query_tile;
    const int64_t rows = std::min(p.query_tile, p.n - q0);
    const int64_t query_panels = (rows + rows_per_panel - 1) / rows_per_panel;
    const float* tile_queries = p.queries + q0 * p.d;
    for (int64_t qp = 0; qp < query_panels; ++qp) {
      PackPanel(tile_queries, rows, p.d, qp * rows_per_panel, rows_per_panel,
                packed_queries.data() + qp * rows_per_panel * p.d);
    }
    for (int64_t i = 0; i < rows; ++i) {
      heaps[static_cast<size_t>(i)].Reset();
      thresholds[static_cast<size_t>(i)] = heaps[static_cast<size_t>(i)].threshold();
    }
    // Padding rows of the last panel: no score reaches +infinity's mask bit unless it is
    // +infinity itself, and the fold below ignores these rows anyway.
    std::fill(thresholds.begin() + rows, thresholds.end(), std::numeric_limits<float>::infinity());

    for (int64_t t0 = 0; t0 < database_panels; t0 += p.database_tile_panels) {
      const int64_t t1 = std::min(t0 + p.database_tile_panels, database_panels);
      for (int64_t qp = 0; qp < query_panels; ++qp) {
        const float* a = packed_queries.data() + qp * rows_per_panel * p.d;
        const int64_t row0 = qp * rows_per_panel;
        const int panel_rows = static_cast<int>(std::min<int64_t>(rows_per_panel, rows - row0));
        float* panel_thresholds = thresholds.data() + row0;
        for (int64_t dp = t0; dp < t1; ++dp) {
          p.kernel.fn(a, p.packed_database + dp * p.d * cols, p.d, panel_thresholds, block.data(),
                      masks.data());
          const int64_t j0 = dp * cols;
          const int64_t valid = std::min<int64_t>(cols, p.m - j0);
          const uint64_t valid_mask = valid >= 64 ? ~uint64_t{0} : (uint64_t{1} << valid) - 1;
          for (int r = 0; r < panel_rows; ++r) {
            uint64_t mask = masks[static_cast<size_t>(r)] & valid_mask;
            if (mask == 0) continue;
            TopKHeap& heap = heaps[static_cast<size_t>(row0 + r)];
            const float* scores = block.data() + r * cols;
            while (mask != 0) {
              const int l = __builtin_ctzll(mask);
              mask &= mask - 1;
              heap.Push(scores[l], j0 + l);
            }
            panel_thresholds[r] = heap.threshold();
          }
        }
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

// Runs fn(worker) for worker = 0 .. workers-1 on as many threads, worker 0 on the calling
// thread; nothing when workers < 1.
template <typename Fn>
void RunOnThreads(int64_t workers, const Fn& fn) {
  if (workers < 1) return;
  std::vector<std::thread> helpers;
  helpers.reserve(static_cast<size_t>(std::max<int64_t>(workers - 1, 0)));
  for (int64_t w = 1; w < workers; ++w) helpers.emplace_back([&fn, w] { fn(w); });
  fn(0);
  for (std::thread& helper : helpers) helper.join();
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
  if (!DenseTopKPathSupported(options.path)) {
    return absl::FailedPreconditionError(
        absl::StrCat("this CPU does not support the ", DenseTopKPathName(options.path), " path"));
  }
  if (n == 0) return absl::OkStatus();

  const DenseMicroKernel kernel = internal::GetDenseMicroKernel(options.path);
  const int cols = kernel.cols;
  const int64_t database_panels = (m + cols - 1) / cols;

  // Pack the whole database once, shared by all query tiles and threads.
  AlignedFloats packed_database(static_cast<size_t>(database_panels * cols * d));
  const int64_t pack_workers = std::min<int64_t>(options.num_threads, database_panels);
  RunOnThreads(pack_workers, [&](int64_t w) {
    const int64_t first = database_panels * w / pack_workers;
    const int64_t last = database_panels * (w + 1) / pack_workers;
    for (int64_t panel = first; panel < last; ++panel) {
      PackPanel(database, m, d, panel * cols, cols, packed_database.data() + panel * cols * d);
    }
  });

  const Problem problem{queries,
                        n,
                        m,
                        d,
                        k,
                        std::min(RoundUp(options.query_tile, kernel.rows), n),
                        (options.database_tile + cols - 1) / cols,
                        kernel,
                        packed_database.data(),
                        scores,
                        ids};
  const int64_t num_tiles = (n + problem.query_tile - 1) / problem.query_tile;
  std::atomic<int64_t> next_tile{0};
  RunOnThreads(std::min<int64_t>(options.num_threads, num_tiles),
               [&](int64_t) { Worker(problem, next_tile); });
  return absl::OkStatus();
}

}  // namespace carvematch::kernels
