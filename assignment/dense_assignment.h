// Exact one-to-one assignment on a dense weight matrix (the linear assignment problem),
// for square or wide instances: every row gets exactly one column, every column at most
// one row, and the total weight is maximal. With non-negative weights this is also a
// maximum-weight matching of the complete bipartite graph.
//
// Method: Jonker & Volgenant (1987), "A shortest augmenting path algorithm for dense
// and sparse linear assignment problems": column reduction, reduction transfer and two
// rounds of augmenting row reduction (square instances only), then one shortest
// augmenting path per row still free, on reduced costs with column duals. Costs are the
// negated weights in int64, so the optimum is exact. O(n^2 m) worst case; on random
// instances most rows are settled by the reductions.
//
// Example usage:
//   // 2 x 2, row-major: row 0 = {3, 1}, row 1 = {2, 2}.
//   std::vector<int32_t> w = {3, 1, 2, 2};
//   ASSIGN_OR_RETURN(DenseAssignment a, SolveDenseAssignment(2, 2, w, {}));
//   // a.column_of_row == {0, 1}, a.total_weight == 5
#ifndef CARVEMATCH_ASSIGNMENT_DENSE_ASSIGNMENT_H_
#define CARVEMATCH_ASSIGNMENT_DENSE_ASSIGNMENT_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"

namespace carvematch {

struct DenseAssignmentOptions {
  // Called after the reductions and then every 64 augmented rows with (rows settled,
  // rows); returning false stops with absl::CancelledError.
  std::function<bool(int64_t done, int64_t total)> progress;
  // false: skip the reductions and augment every row from scratch (the plain shortest
  // augmenting path method; for tests and benchmarks).
  bool reductions = true;
};

struct DenseAssignment {
  std::vector<int> column_of_row;  // size rows, a column index each, all distinct
  int64_t total_weight = 0;
  int rows_augmented = 0;  // rows left to shortest augmenting paths after the reductions
};

// Solves max sum weight[r * cols + column_of_row[r]].
// - `weight` is row-major, rows x cols, each entry in [-2^30, 2^30].
// - Requires 0 <= rows <= cols (transpose a tall matrix first).
// - Deterministic: the same matrix always gives the same assignment.
// - InvalidArgument naming "rows", "cols" or "weight" for a malformed input; Cancelled
//   when the progress callback returns false.
absl::StatusOr<DenseAssignment> SolveDenseAssignment(int rows, int cols,
                                                     const std::vector<int32_t>& weight,
                                                     const DenseAssignmentOptions& options);

}  // namespace carvematch

#endif  // CARVEMATCH_ASSIGNMENT_DENSE_ASSIGNMENT_H_
