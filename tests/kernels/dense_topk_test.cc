#include "kernels/dense_topk.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace carvematch::kernels {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

struct Result {
  std::vector<float> scores;
  std::vector<int64_t> ids;
};

Result Search(const std::vector<float>& q, int64_t n, const std::vector<float>& x, int64_t m,
              int64_t d, int k, const DenseTopKOptions& options) {
  Result r{std::vector<float>(static_cast<size_t>(n * k)),
           std::vector<int64_t>(static_cast<size_t>(n * k))};
  absl::Status status =
      DenseTopK(q.data(), n, x.data(), m, d, k, options, r.scores.data(), r.ids.data());
  EXPECT_TRUE(status.ok()) << status;
  return r;
}

// Exact scores in double precision, all n x m of them.
std::vector<double> BruteScores(const std::vector<float>& q, int64_t n, const std::vector<float>& x,
                                int64_t m, int64_t d) {
  std::vector<double> s(static_cast<size_t>(n * m));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < m; ++j) {
      double sum = 0;
      for (int64_t c = 0; c < d; ++c) {
        sum += static_cast<double>(q[static_cast<size_t>(i * d + c)]) *
               static_cast<double>(x[static_cast<size_t>(j * d + c)]);
      }
      s[static_cast<size_t>(i * m + j)] = sum;
    }
  }
  return s;
}

// Brute-force top-k ids of query i: descending score, then ascending id.
std::vector<int64_t> BruteTopK(const std::vector<double>& s, int64_t i, int64_t m, int k) {
  std::vector<int64_t> order(static_cast<size_t>(m));
  std::iota(order.begin(), order.end(), int64_t{0});
  const double* row = s.data() + i * m;
  std::stable_sort(order.begin(), order.end(),
                   [row](int64_t a, int64_t b) { return row[a] > row[b]; });
  order.resize(static_cast<size_t>(std::min<int64_t>(k, m)));
  return order;
}

std::vector<float> SmallIntegers(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> value(-2, 2);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& f : v) f = static_cast<float>(value(rng));
  return v;
}

std::vector<float> Gaussian(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> value(0.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& f : v) f = value(rng);
  return v;
}

// Integer-valued inputs make every float score exact, and with d = 5 and values in
// [-2, 2] most scores are tied, so ids and scores must equal the brute force exactly.
TEST(DenseTopKTest, ExactWithManyTiesAcrossTileBoundaries) {
  const int64_t n = 37, m = 203, d = 5;
  const int k = 10;
  const std::vector<float> q = SmallIntegers(n * d, 1);
  const std::vector<float> x = SmallIntegers(m * d, 2);
  const std::vector<double> brute = BruteScores(q, n, x, m, d);
  for (const DenseTopKOptions& options :
       {DenseTopKOptions{1, 8, 50}, DenseTopKOptions{2, 5, 17}, DenseTopKOptions{}}) {
    const Result r = Search(q, n, x, m, d, k, options);
    for (int64_t i = 0; i < n; ++i) {
      const std::vector<int64_t> expected = BruteTopK(brute, i, m, k);
      for (int rank = 0; rank < k; ++rank) {
        const size_t at = static_cast<size_t>(i * k + rank);
        ASSERT_EQ(r.ids[at], expected[static_cast<size_t>(rank)])
            << "query " << i << " rank " << rank << " tiles " << options.query_tile << "x"
            << options.database_tile;
        EXPECT_EQ(r.scores[at], static_cast<float>(brute[static_cast<size_t>(i * m + r.ids[at])]));
      }
    }
  }
}

// Real-valued inputs: every returned score is the true score of its id (within float
// rounding), rows are sorted, and the ids equal the brute force wherever the true scores
// at that rank are not within rounding of each other.
TEST(DenseTopKTest, MatchesBruteForceOnGaussianData) {
  const int64_t n = 300, m = 2100, d = 96;
  const int k = 10;
  const std::vector<float> q = Gaussian(n * d, 3);
  const std::vector<float> x = Gaussian(m * d, 4);
  const std::vector<double> brute = BruteScores(q, n, x, m, d);
  const Result r = Search(q, n, x, m, d, k, DenseTopKOptions{});
  const double tolerance = 1e-4;
  int id_mismatches = 0;
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<int64_t> expected = BruteTopK(brute, i, m, k);
    for (int rank = 0; rank < k; ++rank) {
      const size_t at = static_cast<size_t>(i * k + rank);
      const double true_score = brute[static_cast<size_t>(i * m + r.ids[at])];
      EXPECT_NEAR(r.scores[at], true_score, tolerance);
      if (rank > 0) {
        EXPECT_GE(r.scores[at - 1], r.scores[at]);
      }
      const int64_t want = expected[static_cast<size_t>(rank)];
      if (r.ids[at] != want) {
        ++id_mismatches;
        EXPECT_NEAR(true_score, brute[static_cast<size_t>(i * m + want)], tolerance)
            << "query " << i << " rank " << rank;
      }
    }
  }
  EXPECT_LE(id_mismatches, 4);  // only near-ties may swap, two ranks per swap
}

TEST(DenseTopKTest, KLargerThanMPadsWithMinusOne) {
  const int64_t n = 3, m = 4, d = 2;
  const std::vector<float> q = {1, 0, 0, 1, -1, -1};
  const std::vector<float> x = {1, 1, 2, 0, 0, 3, -1, -1};
  const Result r = Search(q, n, x, m, d, 6, DenseTopKOptions{});
  // Query (1, 0): scores 1, 2, 0, -1.
  EXPECT_EQ(std::vector<int64_t>(r.ids.begin(), r.ids.begin() + 6),
            (std::vector<int64_t>{1, 0, 2, 3, -1, -1}));
  EXPECT_EQ(std::vector<float>(r.scores.begin(), r.scores.begin() + 6),
            (std::vector<float>{2, 1, 0, -1, -kInf, -kInf}));
  // Query (-1, -1): scores -2, -2, -3, 2; the tie -2 goes to the lower id.
  EXPECT_EQ(std::vector<int64_t>(r.ids.begin() + 12, r.ids.end()),
            (std::vector<int64_t>{3, 0, 1, 2, -1, -1}));
}

TEST(DenseTopKTest, EmptyDatabaseGivesOnlyPadding) {
  const std::vector<float> q = {1, 2};
  const Result r = Search(q, 1, {}, 0, 2, 3, DenseTopKOptions{});
  EXPECT_EQ(r.ids, (std::vector<int64_t>{-1, -1, -1}));
  EXPECT_EQ(r.scores, (std::vector<float>{-kInf, -kInf, -kInf}));
}

TEST(DenseTopKTest, NoQueriesIsAValidEmptySearch) {
  const std::vector<float> x = {1, 2};
  EXPECT_TRUE(DenseTopK(nullptr, 0, x.data(), 1, 2, 5, DenseTopKOptions{}, nullptr, nullptr).ok());
}

TEST(DenseTopKTest, OneTwoAndThreeThreadsGiveIdenticalResults) {
  const int64_t n = 700, m = 1500, d = 64;
  const int k = 7;
  const std::vector<float> q = Gaussian(n * d, 5);
  const std::vector<float> x = Gaussian(m * d, 6);
  DenseTopKOptions options;
  options.query_tile = 64;  // 11 tiles, the last one partial
  options.num_threads = 1;
  const Result one = Search(q, n, x, m, d, k, options);
  options.num_threads = 2;
  const Result two = Search(q, n, x, m, d, k, options);
  options.num_threads = 3;
  const Result three = Search(q, n, x, m, d, k, options);
  EXPECT_EQ(one.ids, two.ids);
  EXPECT_EQ(one.scores, two.scores);
  EXPECT_EQ(one.ids, three.ids);
  EXPECT_EQ(one.scores, three.scores);
}

TEST(DenseTopKTest, InvalidArgumentsAreRejected) {
  const std::vector<float> v(8, 1.0f);
  std::vector<float> s(8);
  std::vector<int64_t> ids(8);
  const DenseTopKOptions ok_options;
  auto code = [&](int64_t n, int64_t m, int64_t d, int k, const DenseTopKOptions& o) {
    return DenseTopK(v.data(), n, v.data(), m, d, k, o, s.data(), ids.data()).code();
  };
  EXPECT_EQ(code(-1, 2, 2, 1, ok_options), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, -1, 2, 1, ok_options), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, 2, 0, 1, ok_options), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, 2, 2, 0, ok_options), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, 2, 2, 1, DenseTopKOptions{0, 256, 1024}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, 2, 2, 1, DenseTopKOptions{2, 0, 1024}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, 2, 2, 1, DenseTopKOptions{2, 256, 0}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DenseTopK(nullptr, 2, v.data(), 2, 2, 1, ok_options, s.data(), ids.data()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DenseTopK(v.data(), 2, nullptr, 2, 2, 1, ok_options, s.data(), ids.data()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DenseTopK(v.data(), 2, v.data(), 2, 2, 1, ok_options, nullptr, ids.data()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(2, 2, 2, 1, ok_options), absl::StatusCode::kOk);
}

}  // namespace
}  // namespace carvematch::kernels
