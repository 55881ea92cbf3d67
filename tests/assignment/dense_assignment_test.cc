#include "assignment/dense_assignment.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "assignment/b_matching.h"
#include "gtest/gtest.h"
#include "model/status.h"

namespace carvematch {
namespace {

void ExpectPermutationWithWeight(int rows, int cols, const std::vector<int32_t>& w,
                                 const DenseAssignment& a) {
  ASSERT_EQ(a.column_of_row.size(), static_cast<size_t>(rows));
  std::set<int> cols_used(a.column_of_row.begin(), a.column_of_row.end());
  EXPECT_EQ(cols_used.size(), static_cast<size_t>(rows));
  int64_t total = 0;
  for (int r = 0; r < rows; ++r) {
    const int c = a.column_of_row[static_cast<size_t>(r)];
    ASSERT_GE(c, 0);
    ASSERT_LT(c, cols);
    total += w[static_cast<size_t>(r * cols + c)];
  }
  EXPECT_EQ(total, a.total_weight);
}

struct Fixture {
  std::string name;
  int rows = 0;
  int cols = 0;
  int64_t optimum = 0;
  std::vector<int32_t> weight;
};

// tests/assignment/data/dense_lsa_fixture.txt: optima by scipy's linear_sum_assignment.
std::vector<Fixture> ReadFixtures() {
  std::ifstream in("tests/assignment/data/dense_lsa_fixture.txt");
  std::vector<Fixture> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream header(line);
    std::string word;
    Fixture f;
    header >> word >> f.name >> f.rows >> f.cols >> f.optimum;
    if (word != "matrix") {
      ADD_FAILURE() << "unexpected line: " << line;
      return out;
    }
    for (int r = 0; r < f.rows; ++r) {
      std::getline(in, line);
      std::istringstream row(line);
      int32_t x;
      while (row >> x) f.weight.push_back(x);
    }
    EXPECT_EQ(f.weight.size(), static_cast<size_t>(f.rows) * static_cast<size_t>(f.cols)) << f.name;
    out.push_back(std::move(f));
  }
  return out;
}

TEST(DenseAssignmentTest, MatchesScipyLinearSumAssignment) {
  const std::vector<Fixture> fixtures = ReadFixtures();
  ASSERT_EQ(fixtures.size(), 8u) << "run from the repository root";
  for (const Fixture& f : fixtures) {
    for (const bool reductions : {true, false}) {
      DenseAssignmentOptions options;
      options.reductions = reductions;
      absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(f.rows, f.cols, f.weight, options);
      ASSERT_TRUE(a.ok()) << a.status();
      ExpectPermutationWithWeight(f.rows, f.cols, f.weight, *a);
      EXPECT_EQ(a->total_weight, f.optimum) << f.name << " reductions " << reductions;
    }
  }
}

TEST(DenseAssignmentTest, BruteForceOnSmallSquares) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + trial % 7;
    const int range = trial % 3 == 0 ? 3 : 1000;
    std::vector<int32_t> w(static_cast<size_t>(n * n));
    for (int32_t& x : w) x = static_cast<int32_t>(rng() % range) - (trial % 5 == 0 ? range / 2 : 0);
    std::vector<int> perm(static_cast<size_t>(n));
    std::iota(perm.begin(), perm.end(), 0);
    int64_t best = INT64_MIN;
    do {
      int64_t s = 0;
      for (int r = 0; r < n; ++r) s += w[static_cast<size_t>(r * n + perm[static_cast<size_t>(r)])];
      best = std::max(best, s);
    } while (std::next_permutation(perm.begin(), perm.end()));
    absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(n, n, w, {});
    ASSERT_TRUE(a.ok());
    ExpectPermutationWithWeight(n, n, w, *a);
    EXPECT_EQ(a->total_weight, best) << "trial " << trial;
  }
}

TEST(DenseAssignmentTest, AgreesWithTheSparseSolverOnCompleteGraphs) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 30 + trial;
    std::vector<int32_t> w(static_cast<size_t>(n * n));
    for (int32_t& x : w) x = static_cast<int32_t>(rng() % 100000);
    BMatchingGraph g;
    g.left = n;
    g.right = n;
    g.left_limit.assign(static_cast<size_t>(n), 1);
    g.right_capacity.assign(static_cast<size_t>(n), 1);
    g.edge_begin.push_back(0);
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < n; ++c) {
        g.edge_right.push_back(c);
        g.edge_weight.push_back(w[static_cast<size_t>(r * n + c)]);
      }
      g.edge_begin.push_back(static_cast<int64_t>(g.edge_right.size()));
    }
    absl::StatusOr<BMatchingSolution> s = SolveBMatching(g, {});
    absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(n, n, w, {});
    ASSERT_TRUE(s.ok() && a.ok());
    EXPECT_EQ(s->total_weight, a->total_weight) << "n " << n;
    EXPECT_EQ(s->matched_edges, n);
  }
}

TEST(DenseAssignmentTest, InvalidInputNamesTheField) {
  absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(3, 2, std::vector<int32_t>(6, 1), {});
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(a.status()).at(0).field, "cols");
  a = SolveDenseAssignment(2, 2, std::vector<int32_t>(3, 1), {});
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(a.status()).at(0).field, "weight");
  a = SolveDenseAssignment(1, 2, {0, (1 << 30) + 1}, {});
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(a.status()).at(0).field, "weight[1]");
  a = SolveDenseAssignment(0, 0, {}, {});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->column_of_row.empty());
}

TEST(DenseAssignmentTest, ProgressCancels) {
  std::vector<int32_t> w(200 * 200);
  std::mt19937 rng(3);
  for (int32_t& x : w) x = static_cast<int32_t>(rng() % 1000);
  DenseAssignmentOptions options;
  options.reductions = false;
  int calls = 0;
  options.progress = [&calls](int64_t, int64_t total) {
    EXPECT_EQ(total, 200);
    return ++calls < 3;
  };
  absl::StatusOr<DenseAssignment> a = SolveDenseAssignment(200, 200, w, options);
  EXPECT_EQ(a.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace carvematch
