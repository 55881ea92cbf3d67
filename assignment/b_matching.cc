#include "assignment/b_matching.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {
namespace {

constexpr int64_t kMaxWeight = int64_t{1} << 40;

// The solver's state: flow on the network described in the header, with potentials.
class Solver {
 public:
  explicit Solver(const BMatchingGraph& g)
      : g_(g),
        n_left_(g.left),
        sink_(g.left + g.right),
        node_(static_cast<size_t>(g.left + g.right + 1)),
        chosen_(static_cast<size_t>(g.edge_begin[static_cast<size_t>(g.left)]), 0),
        edge_left_(chosen_.size(), 0),
        used_(static_cast<size_t>(g.right), 0),
        assigned_(static_cast<size_t>(g.right)) {
    for (int l = 0; l < n_left_; ++l) {
      for (int64_t e = Begin(l); e < End(l); ++e) edge_left_[static_cast<size_t>(e)] = l;
    }
    // Shortest distances on the empty flow (a DAG): left 0, right min(0, -max weight in),
    // sink the minimum of all; every arc then has a non-negative reduced cost.
    for (size_t e = 0; e < chosen_.size(); ++e) {
      int64_t& p = node_[static_cast<size_t>(n_left_ + g_.edge_right[e])].pot;
      p = std::min(p, -g_.edge_weight[e]);
    }
    int64_t sink_pot = 0;
    for (int r = 0; r < g_.right; ++r) sink_pot = std::min(sink_pot, node_[RightNode(r)].pot);
    node_[static_cast<size_t>(sink_)].pot = sink_pot;
  }

  absl::StatusOr<BMatchingSolution> Run(const BMatchingOptions& options) {
    const int every = std::max(1, options.progress_every);
    // Left nodes with the heaviest best edge first (ties by index): later, weaker
    // candidates then meet potentials that already price the places, and their
    // searches end sooner. Any order gives an optimum.
    std::vector<std::pair<int64_t, int>> order;
    order.reserve(static_cast<size_t>(n_left_));
    for (int l = 0; l < n_left_; ++l) {
      int64_t best = -1;
      for (int64_t e = Begin(l); e < End(l); ++e) {
        best = std::max(best, g_.edge_weight[static_cast<size_t>(e)]);
      }
      order.push_back({-best, l});
    }
    std::sort(order.begin(), order.end());
    for (int k = 0; k < n_left_; ++k) {
      const int l = order[static_cast<size_t>(k)].second;
      const int limit = g_.left_limit[static_cast<size_t>(l)];
      for (int unit = 0; unit < limit; ++unit) {
        // A unit that stays unmatched leaves the residual graph as it was, so the
        // next unit of the same left node would take the same direct path: stop.
        if (!Augment(l)) break;
      }
      if (options.progress && ((k + 1) % every == 0 || k + 1 == n_left_)) {
        if (!options.progress(k + 1, n_left_)) {
          return absl::CancelledError(
              absl::StrCat("assignment cancelled after ", k + 1, " of ", n_left_, " participants"));
        }
      }
    }
    if (options.progress && n_left_ == 0 && !options.progress(0, 0)) {
      return absl::CancelledError("assignment cancelled");
    }
    BMatchingSolution s;
    s.chosen.assign(chosen_.size(), false);
    for (size_t e = 0; e < chosen_.size(); ++e) {
      if (chosen_[e]) {
        s.chosen[e] = true;
        s.total_weight += g_.edge_weight[e];
        ++s.matched_edges;
      }
    }
    s.stats = stats_;
    return s;
  }

 private:
  int64_t Begin(int l) const { return g_.edge_begin[static_cast<size_t>(l)]; }
  int64_t End(int l) const { return g_.edge_begin[static_cast<size_t>(l) + 1]; }
  size_t RightNode(int r) const { return static_cast<size_t>(n_left_ + r); }

  // Arcs that cannot beat the sink's tentative distance are skipped: a node reached
  // through them would not be settled before the sink (and one settled at the sink's
  // distance gets no potential change), so the result is the same with fewer pushes.
  void Relax(int node, int64_t d, int64_t pred) {
    const size_t u = static_cast<size_t>(node);
    if (d >= sink_bound_) return;
    if (node == sink_) sink_bound_ = d;
    NodeState& x = node_[u];
    if (x.done == epoch_) return;
    if (x.seen != epoch_ || d < x.dist) {
      x.seen = epoch_;
      x.dist = d;
      x.pred = pred;
      heap_.push_back({d, node});
      std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
    }
  }

  // One Dijkstra from left node `s` to the sink and the augmentation along the path.
  // Returns false when the unit stays unmatched (the direct arc to the sink won).
  bool Augment(int s) {
    ++epoch_;
    ++stats_.augmentations;
    settled_.clear();
    heap_.clear();
    sink_bound_ = std::numeric_limits<int64_t>::max();
    Relax(s, 0, -1);
    int64_t sink_dist = 0;
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
      const auto [d, node] = heap_.back();
      heap_.pop_back();
      const size_t u = static_cast<size_t>(node);
      NodeState& x = node_[u];
      if (x.done == epoch_ || d != x.dist) continue;
      x.done = epoch_;
      settled_.push_back(node);
      ++stats_.settled_nodes;
      if (node == sink_) {
        sink_dist = d;
        break;
      }
      const int64_t pu = x.pot;
      if (node < n_left_) {
        // "This unit (or a unit of an earlier match) stays unmatched"; first, as a bound.
        Relax(sink_, d + pu - node_[static_cast<size_t>(sink_)].pot, node);
        for (int64_t e = Begin(node); e < End(node); ++e) {
          const size_t ue = static_cast<size_t>(e);
          if (chosen_[ue]) continue;
          const int r = n_left_ + g_.edge_right[ue];
          ++stats_.relaxed_arcs;
          Relax(r, d - g_.edge_weight[ue] + pu - node_[static_cast<size_t>(r)].pot, e);
        }
      } else {
        const size_t r = u - static_cast<size_t>(n_left_);
        if (used_[r] < g_.right_capacity[r]) {
          Relax(sink_, d + pu - node_[static_cast<size_t>(sink_)].pot, node);
        }
        for (const int64_t e : assigned_[r]) {
          const int l = edge_left_[static_cast<size_t>(e)];
          ++stats_.relaxed_arcs;
          Relax(l,
                d + g_.edge_weight[static_cast<size_t>(e)] + pu - node_[static_cast<size_t>(l)].pot,
                e);
        }
      }
    }
    // Potentials: settled nodes move by dist - sink_dist (<= 0), the others stay; all
    // reduced costs remain non-negative and those on the path become 0.
    for (const int node : settled_) {
      const size_t u = static_cast<size_t>(node);
      node_[u].pot += node_[u].dist - sink_dist;
    }
    const int64_t last = node_[static_cast<size_t>(sink_)].pred;
    if (last == s) return false;
    int node = static_cast<int>(last);
    if (node >= n_left_) ++used_[static_cast<size_t>(node - n_left_)];
    bool moved = false;
    while (node != s) {
      const int64_t e = node_[static_cast<size_t>(node)].pred;
      const size_t ue = static_cast<size_t>(e);
      if (node >= n_left_) {
        // Forward arc left -> right: the edge is chosen.
        chosen_[ue] = 1;
        assigned_[static_cast<size_t>(node - n_left_)].push_back(e);
        node = edge_left_[ue];
      } else {
        // Reverse arc right -> left: the edge is given up.
        moved = true;
        chosen_[ue] = 0;
        const int r = g_.edge_right[ue];
        std::vector<int64_t>& list = assigned_[static_cast<size_t>(r)];
        list.erase(std::find(list.begin(), list.end(), e));
        node = n_left_ + r;
      }
    }
    stats_.reassignments += moved;
    return true;
  }

  const BMatchingGraph& g_;
  const int n_left_;
  const int sink_;
  // Everything a relaxation touches of one node, in one cache line.
  struct NodeState {
    int64_t pot = 0;
    int64_t dist = 0;
    int64_t pred = -1;  // right: forward edge; left: reverse edge; sink: node
    uint32_t seen = 0;  // epoch of the run that reached the node
    uint32_t done = 0;  // epoch of the run that settled it
  };
  std::vector<NodeState> node_;
  uint32_t epoch_ = 0;
  int64_t sink_bound_ = 0;  // the sink's tentative distance in the current run
  std::vector<uint8_t> chosen_;
  std::vector<int> edge_left_;
  std::vector<int> used_;
  std::vector<std::vector<int64_t>> assigned_;  // chosen edges per right node
  std::vector<int> settled_;
  std::vector<std::pair<int64_t, int>> heap_;  // min-heap on (distance, node)
  BMatchingStats stats_;
};

}  // namespace

absl::Status ValidateBMatchingGraph(const BMatchingGraph& g) {
  if (g.left < 0) return InvalidField("left", "must be >= 0");
  if (g.right < 0) return InvalidField("right", "must be >= 0");
  if (g.left_limit.size() != static_cast<size_t>(g.left)) {
    return InvalidField("left_limit", absl::StrCat("has ", g.left_limit.size(),
                                                   " entries, expected left = ", g.left));
  }
  if (g.right_capacity.size() != static_cast<size_t>(g.right)) {
    return InvalidField("right_capacity", absl::StrCat("has ", g.right_capacity.size(),
                                                       " entries, expected right = ", g.right));
  }
  for (size_t i = 0; i < g.left_limit.size(); ++i) {
    if (g.left_limit[i] < 0) return InvalidField(absl::StrCat("left_limit[", i, "]"), "is < 0");
  }
  for (size_t i = 0; i < g.right_capacity.size(); ++i) {
    if (g.right_capacity[i] < 0) {
      return InvalidField(absl::StrCat("right_capacity[", i, "]"), "is < 0");
    }
  }
  if (g.edge_begin.size() != static_cast<size_t>(g.left) + 1 || g.edge_begin[0] != 0) {
    return InvalidField("edge_begin", "must have left + 1 entries starting with 0");
  }
  for (size_t i = 1; i < g.edge_begin.size(); ++i) {
    if (g.edge_begin[i] < g.edge_begin[i - 1]) {
      return InvalidField(absl::StrCat("edge_begin[", i, "]"), "decreases");
    }
  }
  const size_t m = static_cast<size_t>(g.edge_begin.back());
  if (g.edge_right.size() != m) {
    return InvalidField("edge_right", "size differs from edge_begin[left]");
  }
  if (g.edge_weight.size() != m) {
    return InvalidField("edge_weight", "size differs from edge_begin[left]");
  }
  std::vector<int64_t> last_seen(static_cast<size_t>(g.right), -1);
  for (int l = 0; l < g.left; ++l) {
    for (int64_t e = g.edge_begin[static_cast<size_t>(l)];
         e < g.edge_begin[static_cast<size_t>(l) + 1]; ++e) {
      const size_t ue = static_cast<size_t>(e);
      const int r = g.edge_right[ue];
      if (r < 0 || r >= g.right) {
        return InvalidField(absl::StrCat("edge_right[", e, "]"),
                            absl::StrCat("is ", r, ", outside [0, ", g.right, ")"));
      }
      if (last_seen[static_cast<size_t>(r)] == l) {
        return InvalidField(absl::StrCat("edge_right[", e, "]"),
                            absl::StrCat("repeats right node ", r, " for left node ", l));
      }
      last_seen[static_cast<size_t>(r)] = l;
      if (g.edge_weight[ue] < 0 || g.edge_weight[ue] > kMaxWeight) {
        return InvalidField(absl::StrCat("edge_weight[", e, "]"), "must be in [0, 2^40]");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<BMatchingSolution> SolveBMatching(const BMatchingGraph& graph,
                                                 const BMatchingOptions& options) {
  RETURN_IF_ERROR(ValidateBMatchingGraph(graph));
  int64_t left_units = 0;
  int64_t right_units = 0;
  for (const int x : graph.left_limit) left_units += x;
  for (const int x : graph.right_capacity) right_units += x;
  if (!options.transpose_when_scarce || right_units >= left_units) {
    Solver solver(graph);
    return solver.Run(options);
  }
  // Fewer places than slots: the problem is symmetric, so augment from the scarcer side
  // (one Dijkstra per place instead of one per slot) on the transposed graph.
  BMatchingGraph t;
  t.left = graph.right;
  t.right = graph.left;
  t.left_limit = graph.right_capacity;
  t.right_capacity = graph.left_limit;
  const size_t m = graph.edge_right.size();
  t.edge_begin.assign(static_cast<size_t>(t.left) + 1, 0);
  for (const int r : graph.edge_right) ++t.edge_begin[static_cast<size_t>(r) + 1];
  for (size_t r = 0; r < static_cast<size_t>(t.left); ++r) t.edge_begin[r + 1] += t.edge_begin[r];
  t.edge_right.resize(m);
  t.edge_weight.resize(m);
  std::vector<int64_t> position(m);  // original edge -> transposed edge
  std::vector<int64_t> fill(t.edge_begin.begin(), t.edge_begin.end() - 1);
  for (int l = 0; l < graph.left; ++l) {
    for (int64_t e = graph.edge_begin[static_cast<size_t>(l)];
         e < graph.edge_begin[static_cast<size_t>(l) + 1]; ++e) {
      const size_t ue = static_cast<size_t>(e);
      const int64_t slot = fill[static_cast<size_t>(graph.edge_right[ue])]++;
      t.edge_right[static_cast<size_t>(slot)] = l;
      t.edge_weight[static_cast<size_t>(slot)] = graph.edge_weight[ue];
      position[ue] = slot;
    }
  }
  Solver solver(t);
  ASSIGN_OR_RETURN(BMatchingSolution ts, solver.Run(options));
  BMatchingSolution s;
  s.chosen.resize(m);
  for (size_t e = 0; e < m; ++e) s.chosen[e] = ts.chosen[static_cast<size_t>(position[e])];
  s.total_weight = ts.total_weight;
  s.matched_edges = ts.matched_edges;
  s.stats = ts.stats;
  return s;
}

}  // namespace carvematch
