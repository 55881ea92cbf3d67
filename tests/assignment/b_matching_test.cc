#include "assignment/b_matching.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "model/status.h"

namespace carvematch {
namespace {

BMatchingGraph RandomGraph(std::mt19937& rng, int left, int right, double density, int max_limit,
                           int max_cap, int64_t max_weight) {
  std::uniform_real_distribution<double> unit(0, 1);
  BMatchingGraph g;
  g.left = left;
  g.right = right;
  for (int l = 0; l < left; ++l) g.left_limit.push_back(static_cast<int>(rng() % (max_limit + 1)));
  for (int r = 0; r < right; ++r) {
    g.right_capacity.push_back(static_cast<int>(rng() % (max_cap + 1)));
  }
  g.edge_begin.push_back(0);
  for (int l = 0; l < left; ++l) {
    for (int r = right - 1; r >= 0; --r) {  // right nodes in decreasing order: any order works
      if (unit(rng) >= density) continue;
      g.edge_right.push_back(r);
      g.edge_weight.push_back(static_cast<int64_t>(rng() % static_cast<uint64_t>(max_weight + 1)));
    }
    g.edge_begin.push_back(static_cast<int64_t>(g.edge_right.size()));
  }
  return g;
}

int64_t BruteForceWeight(const BMatchingGraph& g) {
  const size_t m = g.edge_right.size();
  int64_t best = 0;
  std::vector<int> lc(static_cast<size_t>(g.left));
  std::vector<int> rc(static_cast<size_t>(g.right));
  for (uint32_t mask = 0; mask < (1u << m); ++mask) {
    std::fill(lc.begin(), lc.end(), 0);
    std::fill(rc.begin(), rc.end(), 0);
    int64_t w = 0;
    bool ok = true;
    for (int l = 0; l < g.left && ok; ++l) {
      for (int64_t e = g.edge_begin[static_cast<size_t>(l)];
           e < g.edge_begin[static_cast<size_t>(l) + 1] && ok; ++e) {
        if (!((mask >> e) & 1u)) continue;
        const size_t r = static_cast<size_t>(g.edge_right[static_cast<size_t>(e)]);
        ok = ++lc[static_cast<size_t>(l)] <= g.left_limit[static_cast<size_t>(l)] &&
             ++rc[r] <= g.right_capacity[r];
        w += g.edge_weight[static_cast<size_t>(e)];
      }
    }
    if (ok) best = std::max(best, w);
  }
  return best;
}

TEST(BMatchingTest, AllBMatchingsEnumeratedOnTinyRandomGraphs) {
  std::mt19937 rng(2024);
  int checked = 0;
  while (checked < 400) {
    const int left = 1 + static_cast<int>(rng() % 5);
    const int right = 1 + static_cast<int>(rng() % 4);
    BMatchingGraph g = RandomGraph(rng, left, right, 0.6, 3, 3, checked % 2 ? 9 : 1000);
    if (g.edge_right.size() > 14) continue;
    BMatchingOptions options;
    options.transpose_when_scarce = checked % 3 != 0;  // both directions
    absl::StatusOr<BMatchingSolution> s = SolveBMatching(g, options);
    ASSERT_TRUE(s.ok()) << s.status();
    // Limits hold and the reported weight is the chosen edges' weight.
    std::vector<int> lc(static_cast<size_t>(left), 0);
    std::vector<int> rc(static_cast<size_t>(right), 0);
    int64_t w = 0;
    for (int l = 0; l < left; ++l) {
      for (int64_t e = g.edge_begin[static_cast<size_t>(l)];
           e < g.edge_begin[static_cast<size_t>(l) + 1]; ++e) {
        if (!s->chosen[static_cast<size_t>(e)]) continue;
        ++lc[static_cast<size_t>(l)];
        ++rc[static_cast<size_t>(g.edge_right[static_cast<size_t>(e)])];
        w += g.edge_weight[static_cast<size_t>(e)];
      }
    }
    for (int l = 0; l < left; ++l)
      EXPECT_LE(lc[static_cast<size_t>(l)], g.left_limit[static_cast<size_t>(l)]);
    for (int r = 0; r < right; ++r) {
      EXPECT_LE(rc[static_cast<size_t>(r)], g.right_capacity[static_cast<size_t>(r)]);
    }
    EXPECT_EQ(w, s->total_weight);
    EXPECT_EQ(s->total_weight, BruteForceWeight(g)) << "graph " << checked;
    ++checked;
  }
}

TEST(BMatchingTest, BothDirectionsGiveTheSameOptimum) {
  std::mt19937 rng(99);
  int transposed = 0;
  for (int trial = 0; trial < 60; ++trial) {
    BMatchingGraph g = RandomGraph(rng, 80, 20, 0.2, 2, trial % 2 ? 2 : 12, 100000);
    BMatchingOptions direct;
    direct.transpose_when_scarce = false;
    absl::StatusOr<BMatchingSolution> a = SolveBMatching(g, direct);
    absl::StatusOr<BMatchingSolution> b = SolveBMatching(g, BMatchingOptions{});
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->total_weight, b->total_weight) << "trial " << trial;
    int64_t w = 0;
    for (size_t e = 0; e < b->chosen.size(); ++e) w += b->chosen[e] ? g.edge_weight[e] : 0;
    EXPECT_EQ(w, b->total_weight);
    transposed += b->stats.augmentations != a->stats.augmentations;
  }
  EXPECT_GT(transposed, 0);
}

TEST(BMatchingTest, ReassignsWhenALaterNodeNeedsThePlace) {
  // l0 takes r0 first (10 > 9); l1 only fits r0 (8): the optimum moves l0 to r1.
  BMatchingGraph g;
  g.left = 2;
  g.right = 2;
  g.left_limit = {1, 1};
  g.right_capacity = {1, 1};
  g.edge_begin = {0, 2, 3};
  g.edge_right = {0, 1, 0};
  g.edge_weight = {10, 9, 8};
  absl::StatusOr<BMatchingSolution> s = SolveBMatching(g, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->chosen, (std::vector<bool>{false, true, true}));
  EXPECT_EQ(s->total_weight, 17);
  EXPECT_EQ(s->stats.reassignments, 1);
}

TEST(BMatchingTest, InvalidGraphNamesTheField) {
  BMatchingGraph g;
  g.left = 1;
  g.right = 2;
  g.left_limit = {1};
  g.right_capacity = {1, 1};
  g.edge_begin = {0, 2};
  g.edge_right = {1, 1};
  g.edge_weight = {3, 4};
  absl::StatusOr<BMatchingSolution> s = SolveBMatching(g, {});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(s.status()).at(0).field, "edge_right[1]");
  g.edge_right = {0, 2};
  s = SolveBMatching(g, {});
  EXPECT_EQ(ViolationsOf(s.status()).at(0).field, "edge_right[1]");
  g.edge_right = {0, 1};
  g.edge_weight = {3, -4};
  s = SolveBMatching(g, {});
  EXPECT_EQ(ViolationsOf(s.status()).at(0).field, "edge_weight[1]");
  g.edge_weight = {3, 4};
  g.right_capacity = {1, -1};
  s = SolveBMatching(g, {});
  EXPECT_EQ(ViolationsOf(s.status()).at(0).field, "right_capacity[1]");
  g.right_capacity = {1};
  s = SolveBMatching(g, {});
  EXPECT_EQ(ViolationsOf(s.status()).at(0).field, "right_capacity");
}

}  // namespace
}  // namespace carvematch
