#include "assignment/stable_matching.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "tests/assignment/test_util.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using testing_util::RandomProblem;

TEST(StableMatchingTest, ZeroBlockingPairsOnRandomInstances) {
  int64_t optimum_blocking = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    const AssignmentProblem problem = RandomProblem(40 + static_cast<int>(seed), 12, 0.3, 4, seed);
    AssignmentOptions options;
    options.proposals_per_participant = 1 + static_cast<int>(seed % 3);
    options.allow_accommodations = seed % 2 == 0;
    absl::StatusOr<Preferences> prefs = DerivePreferences(problem, options);
    ASSERT_TRUE(prefs.ok()) << prefs.status();
    absl::StatusOr<StableResult> r = DeferredAcceptance(problem, *prefs, options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->blocking_pairs, 0) << "seed " << seed;
    EXPECT_EQ(CountBlockingPairs(problem, *prefs, r->placements, options.proposals_per_participant),
              0);
    // Limits hold, and only eligible pairs are placed.
    std::vector<int> pc(static_cast<size_t>(problem.participants), 0);
    std::vector<int> vc(problem.capacity.size(), 0);
    for (const Placement& pl : r->placements) {
      ++pc[static_cast<size_t>(pl.participant)];
      ++vc[static_cast<size_t>(pl.vacancy)];
      EXPECT_TRUE(IsEligible(pl.tier, options));
    }
    for (int c : pc) EXPECT_LE(c, options.proposals_per_participant);
    for (size_t v = 0; v < vc.size(); ++v) EXPECT_LE(vc[v], problem.capacity[v]);
    // The optimum of Assign is usually not stable: the counter must see that.
    absl::StatusOr<AssignmentResult> optimum = Assign(problem, options);
    ASSERT_TRUE(optimum.ok());
    optimum_blocking +=
        CountBlockingPairs(problem, *prefs, optimum->placements, options.proposals_per_participant);
  }
  EXPECT_GT(optimum_blocking, 0);
}

TEST(StableMatchingTest, CountBlockingPairsFindsAnUnstablePair) {
  // Both like each other best, but p0 is placed at v1 and v0 holds p1.
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {1, 1};
  problem.edges = {{0, 0, 90, Tier::kFits},
                   {0, 1, 50, Tier::kFits},
                   {1, 0, 40, Tier::kFits},
                   {1, 1, 30, Tier::kFits}};
  absl::StatusOr<Preferences> prefs = DerivePreferences(problem, AssignmentOptions{});
  ASSERT_TRUE(prefs.ok());
  EXPECT_THAT(prefs->participant[0], ElementsAre(0, 1));
  EXPECT_THAT(prefs->vacancy[0], ElementsAre(0, 1));
  const std::vector<Placement> unstable = {{0, 1}, {1, 0}};
  EXPECT_EQ(CountBlockingPairs(problem, *prefs, unstable, 1), 1);
  const std::vector<Placement> empty;
  EXPECT_EQ(CountBlockingPairs(problem, *prefs, empty, 1), 4);
  absl::StatusOr<StableResult> r = DeferredAcceptance(problem, *prefs, AssignmentOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->placements, ElementsAre(Placement{0, 0}, Placement{1, 1}));
  EXPECT_EQ(r->blocking_pairs, 0);
}

TEST(StableMatchingTest, GivenVacancyPrioritiesDecide) {
  // v0 (one place) is everyone's first choice; its own list puts p2 first.
  AssignmentProblem problem;
  problem.participants = 3;
  problem.capacity = {1, 2};
  for (int p = 0; p < 3; ++p) {
    problem.edges.push_back({p, 0, 90.0 - p, Tier::kFits});
    problem.edges.push_back({p, 1, 50.0, Tier::kFits});
  }
  absl::StatusOr<Preferences> prefs = DerivePreferences(problem, AssignmentOptions{});
  ASSERT_TRUE(prefs.ok());
  prefs->vacancy[0] = {2, 0};  // p1 is not acceptable to v0
  absl::StatusOr<StableResult> r = DeferredAcceptance(problem, *prefs, AssignmentOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->placements, ElementsAre(Placement{0, 1}, Placement{1, 1}, Placement{2, 0}));
  EXPECT_EQ(r->blocking_pairs, 0);
  EXPECT_EQ(r->assigned_participants, 3);
}

TEST(StableMatchingTest, InvalidPreferenceListsNameTheField) {
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {1};
  problem.edges = {{0, 0, 90, Tier::kFits}};
  Preferences prefs;
  prefs.participant = {{0}, {}};
  prefs.vacancy = {{0, 5}};
  absl::StatusOr<StableResult> r = DeferredAcceptance(problem, prefs, AssignmentOptions{});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(r.status()).at(0).field, "preferences.vacancy[0][1]");
  prefs.vacancy = {{0}};
  prefs.participant = {{0, 0}, {}};
  r = DeferredAcceptance(problem, prefs, AssignmentOptions{});
  EXPECT_EQ(ViolationsOf(r.status()).at(0).field, "preferences.participant[0][1]");
  prefs.participant = {{0}};
  r = DeferredAcceptance(problem, prefs, AssignmentOptions{});
  EXPECT_EQ(ViolationsOf(r.status()).at(0).field, "preferences.participant");
}

TEST(StableMatchingTest, ProgressCancels) {
  const AssignmentProblem problem = RandomProblem(3000, 20, 0.05, 3, 4);
  absl::StatusOr<Preferences> prefs = DerivePreferences(problem, AssignmentOptions{});
  ASSERT_TRUE(prefs.ok());
  AssignmentOptions options;
  options.progress = [](int64_t done, int64_t) { return done < 2048; };
  absl::StatusOr<StableResult> r = DeferredAcceptance(problem, *prefs, options);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace carvematch
