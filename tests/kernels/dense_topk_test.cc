#include "kernels/dense_topk.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
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

// Every path this CPU can run, portable first.
std::vector<DenseTopKPath> SupportedPaths() {
  std::vector<DenseTopKPath> paths;
  for (DenseTopKPath path :
       {DenseTopKPath::kPortable, DenseTopKPath::kAvx2, DenseTopKPath::kAvx512}) {
    if (DenseTopKPathSupported(path)) paths.push_back(path);
  }
  return paths;
}

DenseTopKOptions Options(DenseTopKPath path, int threads = 2, int64_t query_tile = 256,
                         int64_t database_tile = 256) {
  DenseTopKOptions options;
  options.path = path;
  options.num_threads = threads;
  options.query_tile = query_tile;
  options.database_tile = database_tile;
  return options;
}

std::string Describe(const DenseTopKOptions& o) {
  return std::string(DenseTopKPathName(o.path)) + " threads " + std::to_string(o.num_threads) +
         " tiles " + std::to_string(o.query_tile) + "x" + std::to_string(o.database_tile);
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

// Checks ids and scores against the brute force exactly (inputs whose float scores are
// exact), including the padding when k > m.
void ExpectExact(const Result& r, const std::vector<double>& brute, int64_t n, int64_t m, int k,
                 const std::string& what) {
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<int64_t> expected = BruteTopK(brute, i, m, k);
    for (int rank = 0; rank < k; ++rank) {
      const size_t at = static_cast<size_t>(i * k + rank);
      if (rank < static_cast<int>(expected.size())) {
        ASSERT_EQ(r.ids[at], expected[static_cast<size_t>(rank)])
            << what << ": query " << i << " rank " << rank;
        ASSERT_EQ(r.scores[at], static_cast<float>(brute[static_cast<size_t>(i * m + r.ids[at])]))
            << what << ": query " << i << " rank " << rank;
      } else {
        ASSERT_EQ(r.ids[at], -1) << what << ": query " << i << " rank " << rank;
        ASSERT_EQ(r.scores[at], -kInf) << what << ": query " << i << " rank " << rank;
      }
    }
  }
}

TEST(DenseTopKPathTest, BestPathIsSupportedAndNamed) {
  EXPECT_TRUE(DenseTopKPathSupported(DenseTopKPath::kAuto));
  EXPECT_TRUE(DenseTopKPathSupported(DenseTopKPath::kPortable));
  const DenseTopKPath best = DenseTopKBestPath();
  EXPECT_NE(best, DenseTopKPath::kAuto);
  EXPECT_TRUE(DenseTopKPathSupported(best));
  EXPECT_STREQ(DenseTopKPathName(DenseTopKPath::kAuto), DenseTopKPathName(best));
  // The best path is the widest one supported.
  if (DenseTopKPathSupported(DenseTopKPath::kAvx512)) {
    EXPECT_EQ(best, DenseTopKPath::kAvx512);
  } else if (DenseTopKPathSupported(DenseTopKPath::kAvx2)) {
    EXPECT_EQ(best, DenseTopKPath::kAvx2);
  } else {
    EXPECT_EQ(best, DenseTopKPath::kPortable);
  }
  EXPECT_STREQ(DenseTopKPathName(DenseTopKPath::kAvx512), "AVX512F");
  EXPECT_STREQ(DenseTopKPathName(DenseTopKPath::kAvx2), "AVX2+FMA");
}

// A forced path runs when the CPU supports it and is refused with FailedPrecondition when
// it does not (on an AVX-512 machine only the first branch is exercised).
TEST(DenseTopKPathTest, ForcedPathRunsOnlyWhenSupported) {
  const std::vector<float> v = {1, 2, 3, 4};
  std::vector<float> s(2);
  std::vector<int64_t> ids(2);
  for (DenseTopKPath path : {DenseTopKPath::kAuto, DenseTopKPath::kPortable, DenseTopKPath::kAvx2,
                             DenseTopKPath::kAvx512}) {
    const absl::Status status =
        DenseTopK(v.data(), 2, v.data(), 2, 2, 1, Options(path), s.data(), ids.data());
    if (DenseTopKPathSupported(path)) {
      ASSERT_TRUE(status.ok()) << status;
      EXPECT_EQ(ids, (std::vector<int64_t>{1, 1}));
      EXPECT_EQ(s, (std::vector<float>{11, 25}));
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    }
  }
}

// Integer-valued inputs make every float score exact on every path, and with d = 5 and
// values in [-2, 2] most scores are tied, so ids and scores must equal the brute force
// exactly, for odd sizes and tiles that are no multiple of the kernels' blocks.
TEST(DenseTopKTest, ExactWithManyTiesOnEveryPathAndTiling) {
  const int64_t n = 37, m = 203, d = 5;
  const int k = 10;
  const std::vector<float> q = SmallIntegers(n * d, 1);
  const std::vector<float> x = SmallIntegers(m * d, 2);
  const std::vector<double> brute = BruteScores(q, n, x, m, d);
  for (DenseTopKPath path : SupportedPaths()) {
    for (const DenseTopKOptions& options :
         {Options(path, 1, 8, 50), Options(path, 2, 5, 17), Options(path, 3, 1, 1),
          Options(path, 2, 256, 256), Options(path, 2, 13, 1000)}) {
      const Result r = Search(q, n, x, m, d, k, options);
      ExpectExact(r, brute, n, m, k, Describe(options));
    }
  }
}

// Every score ties: the k lowest ids win, in id order, however the database is split.
TEST(DenseTopKTest, AllScoresTiedGivesLowestIds) {
  const int64_t n = 9, m = 100, d = 3;
  const int k = 10;
  const std::vector<float> q(static_cast<size_t>(n * d), 1.0f);
  const std::vector<float> x(static_cast<size_t>(m * d), 0.5f);
  std::vector<int64_t> want(static_cast<size_t>(k));
  std::iota(want.begin(), want.end(), int64_t{0});
  for (DenseTopKPath path : SupportedPaths()) {
    for (int64_t database_tile : {1, 7, 256}) {
      const DenseTopKOptions options = Options(path, 2, 4, database_tile);
      const Result r = Search(q, n, x, m, d, k, options);
      for (int64_t i = 0; i < n; ++i) {
        EXPECT_EQ(std::vector<int64_t>(r.ids.begin() + i * k, r.ids.begin() + (i + 1) * k), want)
            << Describe(options) << " query " << i;
        EXPECT_EQ(r.scores[static_cast<size_t>(i * k)], 1.5f);
      }
    }
  }
}

// Real-valued inputs: every returned score is the true score of its id (within float
// rounding), rows are sorted, and the ids equal the brute force wherever the true scores
// at that rank are not within rounding of each other. k = 40 is larger than every
// kernel's database panel, d = 97 is odd.
TEST(DenseTopKTest, MatchesBruteForceOnGaussianDataOnEveryPath) {
  const int64_t n = 131, m = 2100, d = 97;
  const std::vector<float> q = Gaussian(n * d, 3);
  const std::vector<float> x = Gaussian(m * d, 4);
  const std::vector<double> brute = BruteScores(q, n, x, m, d);
  const double tolerance = 1e-4;
  for (DenseTopKPath path : SupportedPaths()) {
    for (int k : {1, 10, 40}) {
      const Result r = Search(q, n, x, m, d, k, Options(path));
      int id_mismatches = 0;
      for (int64_t i = 0; i < n; ++i) {
        const std::vector<int64_t> expected = BruteTopK(brute, i, m, k);
        for (int rank = 0; rank < k; ++rank) {
          const size_t at = static_cast<size_t>(i * k + rank);
          ASSERT_GE(r.ids[at], 0);
          ASSERT_LT(r.ids[at], m);
          const double true_score = brute[static_cast<size_t>(i * m + r.ids[at])];
          EXPECT_NEAR(r.scores[at], true_score, tolerance);
          if (rank > 0) {
            EXPECT_GE(r.scores[at - 1], r.scores[at]);
          }
          const int64_t want = expected[static_cast<size_t>(rank)];
          if (r.ids[at] != want) {
            ++id_mismatches;
            EXPECT_NEAR(true_score, brute[static_cast<size_t>(i * m + want)], tolerance)
                << DenseTopKPathName(path) << " k " << k << " query " << i << " rank " << rank;
          }
        }
      }
      EXPECT_LE(id_mismatches, 6) << DenseTopKPathName(path) << " k " << k;
    }
  }
}

TEST(DenseTopKTest, KLargerThanMPadsWithMinusOne) {
  const int64_t n = 3, m = 4, d = 2;
  const std::vector<float> q = {1, 0, 0, 1, -1, -1};
  const std::vector<float> x = {1, 1, 2, 0, 0, 3, -1, -1};
  for (DenseTopKPath path : SupportedPaths()) {
    const Result r = Search(q, n, x, m, d, 6, Options(path));
    // Query (1, 0): scores 1, 2, 0, -1.
    EXPECT_EQ(std::vector<int64_t>(r.ids.begin(), r.ids.begin() + 6),
              (std::vector<int64_t>{1, 0, 2, 3, -1, -1}));
    EXPECT_EQ(std::vector<float>(r.scores.begin(), r.scores.begin() + 6),
              (std::vector<float>{2, 1, 0, -1, -kInf, -kInf}));
    // Query (-1, -1): scores -2, -2, -3, 2; the tie -2 goes to the lower id.
    EXPECT_EQ(std::vector<int64_t>(r.ids.begin() + 12, r.ids.end()),
              (std::vector<int64_t>{3, 0, 1, 2, -1, -1}));
  }
}

// k > m with m larger than one database panel but not a multiple of it.
TEST(DenseTopKTest, KLargerThanMAcrossPanels) {
  const int64_t n = 14, m = 45, d = 7;
  const int k = 50;
  const std::vector<float> q = SmallIntegers(n * d, 7);
  const std::vector<float> x = SmallIntegers(m * d, 8);
  const std::vector<double> brute = BruteScores(q, n, x, m, d);
  for (DenseTopKPath path : SupportedPaths()) {
    const DenseTopKOptions options = Options(path, 2, 5, 20);
    ExpectExact(Search(q, n, x, m, d, k, options), brute, n, m, k, Describe(options));
  }
}

// A k far above m only pads (the heaps must not reserve k entries each up front).
TEST(DenseTopKTest, HugeKWithASmallDatabase) {
  const int64_t n = 12, m = 3, d = 1;
  const int k = 100000;
  std::vector<float> q(static_cast<size_t>(n), 1.0f);
  const std::vector<float> x = {1, 3, 2};
  for (DenseTopKPath path : SupportedPaths()) {
    const Result r = Search(q, n, x, m, d, k, Options(path));
    for (int64_t i = 0; i < n; ++i) {
      const auto row = r.ids.begin() + i * k;
      EXPECT_EQ(std::vector<int64_t>(row, row + 3), (std::vector<int64_t>{1, 2, 0}));
      EXPECT_EQ(std::count(row + 3, row + k, int64_t{-1}), k - 3);
    }
  }
}

TEST(DenseTopKTest, EmptyDatabaseGivesOnlyPadding) {
  const std::vector<float> q = {1, 2};
  for (DenseTopKPath path : SupportedPaths()) {
    const Result r = Search(q, 1, {}, 0, 2, 3, Options(path));
    EXPECT_EQ(r.ids, (std::vector<int64_t>{-1, -1, -1}));
    EXPECT_EQ(r.scores, (std::vector<float>{-kInf, -kInf, -kInf}));
  }
}

TEST(DenseTopKTest, NoQueriesIsAValidEmptySearch) {
  const std::vector<float> x = {1, 2};
  for (DenseTopKPath path : SupportedPaths()) {
    EXPECT_TRUE(DenseTopK(nullptr, 0, x.data(), 1, 2, 5, Options(path), nullptr, nullptr).ok());
  }
}

// NaN scores are never returned: a NaN database row is skipped, and a NaN query gets
// only padding.
TEST(DenseTopKTest, NaNScoresAreNeverReturned) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const int64_t m = 40, d = 2;
  std::vector<float> x(static_cast<size_t>(m * d), 0.0f);
  for (int64_t j = 0; j < m; ++j) x[static_cast<size_t>(j * d)] = static_cast<float>(j);
  x[static_cast<size_t>(39 * d + 1)] = nan;  // the best row by its first coordinate
  x[static_cast<size_t>(17 * d)] = nan;
  const std::vector<float> q = {1, 0, nan, 1};
  for (DenseTopKPath path : SupportedPaths()) {
    const Result r = Search(q, 2, x, m, d, 3, Options(path));
    EXPECT_EQ(std::vector<int64_t>(r.ids.begin(), r.ids.begin() + 3),
              (std::vector<int64_t>{38, 37, 36}))
        << DenseTopKPathName(path);
    EXPECT_EQ(std::vector<int64_t>(r.ids.begin() + 3, r.ids.end()),
              (std::vector<int64_t>{-1, -1, -1}))
        << DenseTopKPathName(path);
  }
}

// For one path the output is bitwise identical whatever the thread count and tiling.
TEST(DenseTopKTest, ThreadsAndTilesGiveBitwiseIdenticalResults) {
  const int64_t n = 700, m = 1500, d = 64;
  const int k = 7;
  const std::vector<float> q = Gaussian(n * d, 5);
  const std::vector<float> x = Gaussian(m * d, 6);
  for (DenseTopKPath path : SupportedPaths()) {
    const Result reference = Search(q, n, x, m, d, k, Options(path, 1, 256, 256));
    for (const DenseTopKOptions& options :
         {Options(path, 2, 256, 256), Options(path, 3, 256, 256), Options(path, 2, 64, 100),
          Options(path, 3, 13, 1), Options(path, 1, 1000, 5000)}) {
      const Result r = Search(q, n, x, m, d, k, options);
      EXPECT_EQ(r.ids, reference.ids) << Describe(options);
      EXPECT_EQ(r.scores, reference.scores) << Describe(options);
    }
  }
}

// The AVX2 and AVX-512 kernels compute the same fused multiply-add chains, so their
// results are bitwise identical; the portable one agrees within rounding.
TEST(DenseTopKTest, PathsAgree) {
  const int64_t n = 200, m = 900, d = 129;
  const int k = 10;
  const std::vector<float> q = Gaussian(n * d, 9);
  const std::vector<float> x = Gaussian(m * d, 10);
  const Result portable = Search(q, n, x, m, d, k, Options(DenseTopKPath::kPortable));
  const Result best = Search(q, n, x, m, d, k, Options(DenseTopKPath::kAuto));
  if (DenseTopKPathSupported(DenseTopKPath::kAvx2) &&
      DenseTopKPathSupported(DenseTopKPath::kAvx512)) {
    const Result avx2 = Search(q, n, x, m, d, k, Options(DenseTopKPath::kAvx2));
    const Result avx512 = Search(q, n, x, m, d, k, Options(DenseTopKPath::kAvx512));
    EXPECT_EQ(avx2.ids, avx512.ids);
    EXPECT_EQ(avx2.scores, avx512.scores);
  }
  int differing_ids = 0;
  for (size_t at = 0; at < portable.ids.size(); ++at) {
    EXPECT_NEAR(portable.scores[at], best.scores[at], 1e-4);
    if (portable.ids[at] != best.ids[at]) ++differing_ids;
  }
  EXPECT_LE(differing_ids, 6);
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
