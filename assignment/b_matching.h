// Exact maximum-weight bipartite b-matching on a sparse graph with integer weights: the
// solver under Assign() (assignment/assignment.h), usable on its own.
//
// Left nodes (participants) 0..left-1 each take at most `left_limit[l]` edges, right
// nodes (vacancies) 0..right-1 at most `right_capacity[r]` edges, and every edge is
// used at most once (so a left node gets distinct right nodes). The solver maximises
// the total weight of the chosen edges; nobody has to be matched.
//
// Method: successive shortest paths on the min-cost flow network
//   source-less, one unit of supply per left slot; left -> right (cost -weight, cap 1),
//   right -> sink (cost 0, cap capacity), left -> sink (cost 0: "stays unmatched"),
// with Dijkstra on reduced costs (node potentials, int64) started from one left node at
// a time and stopped as soon as the sink is settled (the Jonker-Volgenant early exit:
// only the nodes closer than the sink get new potentials); arcs that cannot beat the
// sink's tentative distance are not pushed. Every augmentation keeps the
// reduced costs non-negative, so after the last one the flow is a min-cost flow: the
// matching is optimal, exactly, because all arithmetic is on integers.
// Cost: one Dijkstra per unit of the scarcer side (left slots, or right places when
// there are fewer of them: the instance is then transposed) over the part of the graph
// closer than the sink; memory O(left + right + edges).
//
// Example usage:
//   BMatchingGraph g;
//   g.left = 2; g.right = 1;
//   g.left_limit = {1, 1};
//   g.right_capacity = {1};
//   g.edge_begin = {0, 1, 2};           // CSR: edges of left l are [begin[l], begin[l+1])
//   g.edge_right = {0, 0};
//   g.edge_weight = {5, 7};
//   ASSIGN_OR_RETURN(BMatchingSolution s, SolveBMatching(g, {}));
//   // s.chosen == {false, true}, s.total_weight == 7
#ifndef CARVEMATCH_ASSIGNMENT_B_MATCHING_H_
#define CARVEMATCH_ASSIGNMENT_B_MATCHING_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"

namespace carvematch {

// The graph in compressed sparse row form, by left node.
struct BMatchingGraph {
  int left = 0;
  int right = 0;
  std::vector<int> left_limit;       // size left, each >= 0
  std::vector<int> right_capacity;   // size right, each >= 0
  std::vector<int64_t> edge_begin;   // size left + 1, non-decreasing, [0] = 0
  std::vector<int> edge_right;       // size edge_begin[left]; no duplicates per left node
  std::vector<int64_t> edge_weight;  // same size; each in [0, 2^40]
};

struct BMatchingOptions {
  // Called every `progress_every` left nodes and once at the end with the left nodes
  // done; returning false stops the solver with absl::CancelledError (use it for
  // deadlines too).
  // `total` is the number of nodes on the side the solver works from (see
  // transpose_when_scarce).
  std::function<bool(int64_t done, int64_t total)> progress;
  int progress_every = 1024;  // >= 1
  // When the right capacities add up to less than the left limits, solve the transposed
  // instance (the problem is symmetric): one Dijkstra per right unit instead of one per
  // left unit. The optimum value is the same; which optimum is returned may differ.
  bool transpose_when_scarce = true;
};

struct BMatchingStats {
  int64_t augmentations = 0;  // Dijkstra runs (one per left slot)
  int64_t settled_nodes = 0;  // nodes settled over all Dijkstra runs
  int64_t relaxed_arcs = 0;   // arcs looked at over all runs
  int64_t reassignments = 0;  // augmenting paths that moved an earlier match
};

struct BMatchingSolution {
  std::vector<bool> chosen;  // per edge, CSR order
  int64_t total_weight = 0;
  int64_t matched_edges = 0;
  BMatchingStats stats;
};

// Solves the instance exactly.
// - Deterministic: the same graph always gives the same solution (left nodes are
//   processed by their heaviest edge, descending, then by index; heap ties are broken
//   by node index).
// - Ties between optimal solutions are resolved by that order; nothing else is promised.
// - InvalidArgument (naming the field, e.g. "edge_right[12]") for a malformed graph;
//   Cancelled when the progress callback returns false.
absl::StatusOr<BMatchingSolution> SolveBMatching(const BMatchingGraph& graph,
                                                 const BMatchingOptions& options);

// Checks the graph's shape (sizes, ranges, CSR order, duplicate edges per left node).
absl::Status ValidateBMatchingGraph(const BMatchingGraph& graph);

}  // namespace carvematch

#endif  // CARVEMATCH_ASSIGNMENT_B_MATCHING_H_
