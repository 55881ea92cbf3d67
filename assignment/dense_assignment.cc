#include "assignment/dense_assignment.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {
namespace {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
constexpr int32_t kMaxAbsWeight = int32_t{1} << 30;

// Minimisation on cost(i, j) = -weight(i, j). Invariant (from the first augmentation
// on): every assigned row i has cost(i, x[i]) - v[x[i]] <= cost(i, j) - v[j] for all j.
class DenseSolver {
 public:
  DenseSolver(int rows, int cols, const std::vector<int32_t>& w)
      : n_(rows),
        m_(cols),
        w_(w),
        x_(static_cast<size_t>(rows), -1),
        y_(static_cast<size_t>(cols), -1),
        v_(static_cast<size_t>(cols), 0) {}

  absl::StatusOr<DenseAssignment> Run(const DenseAssignmentOptions& options) {
    if (options.reductions && n_ == m_ && n_ >= 2) {
      ColumnReduction();
      AugmentingRowReduction();
    }
    std::vector<int> free_rows;
    for (int i = 0; i < n_; ++i) {
      if (x_[static_cast<size_t>(i)] < 0) free_rows.push_back(i);
    }
    const int64_t settled_first = n_ - static_cast<int64_t>(free_rows.size());
    if (options.progress && !options.progress(settled_first, n_)) {
      return absl::CancelledError("assignment cancelled after the reductions");
    }
    d_.assign(static_cast<size_t>(m_), 0);
    pred_.assign(static_cast<size_t>(m_), 0);
    col_.assign(static_cast<size_t>(m_), 0);
    for (size_t k = 0; k < free_rows.size(); ++k) {
      AugmentFrom(free_rows[k]);
      if (options.progress && ((k + 1) % 64 == 0 || k + 1 == free_rows.size()) &&
          !options.progress(settled_first + static_cast<int64_t>(k) + 1, n_)) {
        return absl::CancelledError(absl::StrCat("assignment cancelled after ",
                                                 settled_first + static_cast<int64_t>(k) + 1,
                                                 " of ", n_, " rows"));
      }
    }
    DenseAssignment a;
    a.column_of_row = x_;
    a.rows_augmented = static_cast<int>(free_rows.size());
    for (int i = 0; i < n_; ++i) a.total_weight += W(i, x_[static_cast<size_t>(i)]);
    return a;
  }

 private:
  int64_t W(int i, int j) const {
    return w_[static_cast<size_t>(i) * static_cast<size_t>(m_) + static_cast<size_t>(j)];
  }
  int64_t Cost(int i, int j) const { return -W(i, j); }
  const int32_t* Row(int i) const {
    return w_.data() + static_cast<size_t>(i) * static_cast<size_t>(m_);
  }

  // Column reduction: v[j] = min_i cost(i, j); a column goes to its minimising row when
  // that row has none yet (columns taken in decreasing index, rows ties to the lowest).
  // Then reduction transfer: a row with exactly one column lowers that column's dual
  // to the row's second-best reduced cost.
  void ColumnReduction() {
    std::vector<int64_t> best(static_cast<size_t>(m_), kInf);
    std::vector<int> arg(static_cast<size_t>(m_), 0);
    for (int i = 0; i < n_; ++i) {
      const int32_t* row = Row(i);
      for (int j = 0; j < m_; ++j) {
        const int64_t c = -static_cast<int64_t>(row[j]);
        if (c < best[static_cast<size_t>(j)]) {
          best[static_cast<size_t>(j)] = c;
          arg[static_cast<size_t>(j)] = i;
        }
      }
    }
    std::vector<int> matches(static_cast<size_t>(n_), 0);
    for (int j = m_ - 1; j >= 0; --j) {
      const size_t uj = static_cast<size_t>(j);
      v_[uj] = best[uj];
      const int i = arg[uj];
      if (++matches[static_cast<size_t>(i)] == 1) {
        x_[static_cast<size_t>(i)] = j;
        y_[uj] = i;
      }
    }
    for (int i = 0; i < n_; ++i) {
      if (matches[static_cast<size_t>(i)] != 1) continue;
      const int j1 = x_[static_cast<size_t>(i)];
      int64_t second = kInf;
      const int32_t* row = Row(i);
      for (int j = 0; j < m_; ++j) {
        if (j == j1) continue;
        second = std::min(second, -static_cast<int64_t>(row[j]) - v_[static_cast<size_t>(j)]);
      }
      v_[static_cast<size_t>(j1)] -= second;
    }
  }

  // Two rounds of augmenting row reduction (an auction-like pass): a free row takes its
  // best column, lowering that column's dual to the row's second-best reduced cost, and
  // the row it displaces is processed next. Bounded so that long price wars end in the
  // shortest augmenting path phase instead.
  void AugmentingRowReduction() {
    std::vector<int> free_rows;
    for (int i = 0; i < n_; ++i) {
      if (x_[static_cast<size_t>(i)] < 0) free_rows.push_back(i);
    }
    int64_t budget = 4 * static_cast<int64_t>(n_) + 16;
    for (int round = 0; round < 2 && budget > 0; ++round) {
      const size_t previous = free_rows.size();
      size_t k = 0;
      size_t kept = 0;
      while (k < previous && budget-- > 0) {
        const int i = free_rows[k++];
        const int32_t* row = Row(i);
        int64_t umin = -static_cast<int64_t>(row[0]) - v_[0];
        int j1 = 0;
        int64_t usub = kInf;
        int j2 = -1;
        for (int j = 1; j < m_; ++j) {
          const int64_t h = -static_cast<int64_t>(row[j]) - v_[static_cast<size_t>(j)];
          if (h < usub) {
            if (h >= umin) {
              usub = h;
              j2 = j;
            } else {
              usub = umin;
              umin = h;
              j2 = j1;
              j1 = j;
            }
          }
        }
        int i0 = y_[static_cast<size_t>(j1)];
        const bool strict = umin < usub;
        if (strict) {
          v_[static_cast<size_t>(j1)] -= usub - umin;
        } else if (i0 >= 0) {
          j1 = j2;
          i0 = y_[static_cast<size_t>(j2)];
        }
        x_[static_cast<size_t>(i)] = j1;
        y_[static_cast<size_t>(j1)] = i;
        if (i0 >= 0) {
          x_[static_cast<size_t>(i0)] = -1;
          if (strict) {
            free_rows[--k] = i0;
          } else {
            free_rows[kept++] = i0;
          }
        }
      }
      // Rows not reached within the budget stay free as well.
      for (; k < previous; ++k) free_rows[kept++] = free_rows[k];
      free_rows.resize(kept);
    }
  }

  // Dijkstra over the columns from free row f on reduced costs; stops at the first
  // free column at minimal distance, updates the duals of the scanned columns and flips
  // the path.
  void AugmentFrom(int f) {
    const int32_t* frow = Row(f);
    for (int j = 0; j < m_; ++j) {
      const size_t uj = static_cast<size_t>(j);
      d_[uj] = -static_cast<int64_t>(frow[j]) - v_[uj];
      pred_[uj] = f;
      col_[uj] = j;
    }
    size_t low = 0;  // col_[0, low): scanned
    size_t up = 0;   // col_[low, up): at the current minimum, to scan
    const size_t m = static_cast<size_t>(m_);
    int end = -1;
    int64_t mind = 0;
    while (end < 0) {
      if (low == up) {
        mind = kInf;
        for (size_t k = up; k < m; ++k) {
          const int j = col_[k];
          const int64_t h = d_[static_cast<size_t>(j)];
          if (h <= mind) {
            if (h < mind) {
              up = low;
              mind = h;
            }
            col_[k] = col_[up];
            col_[up++] = j;
          }
        }
        for (size_t k = low; k < up; ++k) {
          if (y_[static_cast<size_t>(col_[k])] < 0) {
            end = col_[k];
            break;
          }
        }
        if (end >= 0) break;
      }
      const int j1 = col_[low++];
      const int i = y_[static_cast<size_t>(j1)];
      const int32_t* row = Row(i);
      const int64_t h0 = -static_cast<int64_t>(row[j1]) - v_[static_cast<size_t>(j1)] - mind;
      for (size_t k = up; k < m; ++k) {
        const int j = col_[k];
        const size_t uj = static_cast<size_t>(j);
        const int64_t h = -static_cast<int64_t>(row[j]) - v_[uj] - h0;
        if (h < d_[uj]) {
          d_[uj] = h;
          pred_[uj] = i;
          if (h == mind) {
            if (y_[uj] < 0) {
              end = j;
              break;
            }
            col_[k] = col_[up];
            col_[up++] = j;
          }
        }
      }
    }
    for (size_t k = 0; k < low; ++k) {
      const size_t j = static_cast<size_t>(col_[k]);
      v_[j] += d_[j] - mind;
    }
    int j = end;
    while (true) {
      const int i = pred_[static_cast<size_t>(j)];
      y_[static_cast<size_t>(j)] = i;
      std::swap(j, x_[static_cast<size_t>(i)]);
      if (i == f) break;
    }
  }

  const int n_;
  const int m_;
  const std::vector<int32_t>& w_;
  std::vector<int> x_;  // column of row
  std::vector<int> y_;  // row of column
  std::vector<int64_t> v_;
  std::vector<int64_t> d_;
  std::vector<int> pred_;
  std::vector<int> col_;
};

}  // namespace

absl::StatusOr<DenseAssignment> SolveDenseAssignment(int rows, int cols,
                                                     const std::vector<int32_t>& weight,
                                                     const DenseAssignmentOptions& options) {
  if (rows < 0) return InvalidField("rows", "must be >= 0");
  if (cols < rows) {
    return InvalidField("cols", absl::StrCat("is ", cols, ", must be >= rows (", rows,
                                             "); transpose a tall matrix"));
  }
  if (weight.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols)) {
    return InvalidField("weight",
                        absl::StrCat("has ", weight.size(), " entries, expected rows x cols = ",
                                     static_cast<int64_t>(rows) * cols));
  }
  for (size_t k = 0; k < weight.size(); ++k) {
    if (weight[k] < -kMaxAbsWeight || weight[k] > kMaxAbsWeight) {
      return InvalidField(absl::StrCat("weight[", k, "]"), "must be in [-2^30, 2^30]");
    }
  }
  DenseSolver solver(rows, cols, weight);
  return solver.Run(options);
}

}  // namespace carvematch
