#include "assignment/assignment.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "tests/assignment/test_util.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using testing_util::Enumerate;
using testing_util::RandomProblem;

// Limits, eligibility and the objective of a result, checked from scratch.
void ExpectConsistent(const AssignmentProblem& problem, const AssignmentOptions& options,
                      const AssignmentResult& r) {
  std::map<std::pair<int, int>, const CandidateEdge*> edge;
  for (const CandidateEdge& e : problem.edges) edge[{e.participant, e.vacancy}] = &e;
  std::vector<int> pc(static_cast<size_t>(problem.participants), 0);
  std::vector<int> vc(problem.capacity.size(), 0);
  std::set<std::pair<int, int>> seen;
  int64_t objective = 0;
  for (const Placement& pl : r.placements) {
    ASSERT_TRUE(seen.insert({pl.participant, pl.vacancy}).second) << "pair placed twice";
    const auto it = edge.find({pl.participant, pl.vacancy});
    ASSERT_NE(it, edge.end()) << "placement without a candidate edge";
    EXPECT_TRUE(IsEligible(it->second->tier, options))
        << "tier " << TierName(it->second->tier) << " assigned";
    EXPECT_NE(it->second->tier, Tier::kBlocked);
    EXPECT_EQ(pl.weight, EdgeWeight(problem, *it->second, options));
    objective += pl.weight;
    ++pc[static_cast<size_t>(pl.participant)];
    ++vc[static_cast<size_t>(pl.vacancy)];
  }
  for (int c : pc) EXPECT_LE(c, options.proposals_per_participant);
  for (size_t v = 0; v < vc.size(); ++v) EXPECT_LE(vc[v], problem.capacity[v]);
  EXPECT_EQ(objective, r.objective);
  int assigned = 0;
  for (int c : pc) assigned += c > 0;
  EXPECT_EQ(assigned, r.assigned_participants);
  EXPECT_EQ(static_cast<size_t>(problem.participants - assigned), r.unassigned.size());
}

TEST(AssignTest, OptimalAgainstBruteForceOnTinyRandomInstances) {
  int checked = 0;
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    const int np = 2 + static_cast<int>(seed % 4);
    const int nv = 1 + static_cast<int>(seed % 3);
    AssignmentProblem problem = RandomProblem(np, nv, 0.7, 2, seed);
    AssignmentOptions options;
    options.proposals_per_participant = 1 + static_cast<int>(seed % 2);
    options.allow_accommodations = seed % 3 != 0;
    options.objective = seed % 4 == 0 ? Objective::kAntiCreaming : Objective::kMatchQuality;
    if (problem.edges.size() > 16) continue;
    absl::StatusOr<AssignmentResult> r = Assign(problem, options);
    ASSERT_TRUE(r.ok()) << r.status();
    ExpectConsistent(problem, options, *r);
    EXPECT_EQ(r->objective, Enumerate(problem, options).best_weight) << "seed " << seed;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(AssignTest, MaximizeAssignedFirstIsLexicographic) {
  for (uint32_t seed = 200; seed < 300; ++seed) {
    AssignmentProblem problem = RandomProblem(4, 3, 0.6, 1, seed);
    if (problem.edges.size() > 14) continue;
    AssignmentOptions options;
    options.maximize_assigned_first = true;
    absl::StatusOr<AssignmentResult> r = Assign(problem, options);
    ASSERT_TRUE(r.ok()) << r.status();
    ExpectConsistent(problem, options, *r);
    const testing_util::BruteForce b = Enumerate(problem, options);
    EXPECT_EQ(static_cast<int>(r->placements.size()), b.max_count) << "seed " << seed;
    EXPECT_EQ(r->objective, b.best_lex_weight) << "seed " << seed;
  }
}

TEST(AssignTest, CountFirstTakesTheBiggerMatching) {
  // p0 fits v0 (90) and v1 (10); p1 fits v0 only (60). Weight alone: p0-v0 (90) beats
  // p0-v1 + p1-v0 (70); counting first takes the two placements.
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {1, 1};
  problem.edges = {{0, 0, 90, Tier::kFits}, {0, 1, 10, Tier::kFits}, {1, 0, 60, Tier::kFits}};
  AssignmentOptions options;
  absl::StatusOr<AssignmentResult> plain = Assign(problem, options);
  ASSERT_TRUE(plain.ok());
  EXPECT_THAT(plain->placements, ElementsAre(Placement{0, 0}));
  options.maximize_assigned_first = true;
  absl::StatusOr<AssignmentResult> count = Assign(problem, options);
  ASSERT_TRUE(count.ok());
  EXPECT_THAT(count->placements, ElementsAre(Placement{0, 1}, Placement{1, 0}));
  EXPECT_EQ(count->objective, 10001 + 60001);
}

TEST(AssignTest, LargerRandomInstancesRespectLimitsAndAreDeterministic) {
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    AssignmentProblem problem = RandomProblem(300, 40, 0.1, 5, seed);
    AssignmentOptions options;
    options.proposals_per_participant = 1 + static_cast<int>(seed % 3);
    absl::StatusOr<AssignmentResult> a = Assign(problem, options);
    absl::StatusOr<AssignmentResult> b = Assign(problem, options);
    ASSERT_TRUE(a.ok() && b.ok());
    ExpectConsistent(problem, options, *a);
    EXPECT_EQ(a->placements, b->placements);
    EXPECT_EQ(a->objective, b->objective);
  }
}

TEST(AssignTest, BlockedAndDisallowedAccommodationsNeverAssigned) {
  AssignmentProblem problem;
  problem.participants = 3;
  problem.capacity = {5, 5};
  problem.edges = {{0, 0, 99, Tier::kBlocked},
                   {1, 0, 95, Tier::kFitsWithAccommodations},
                   {1, 1, 5, Tier::kFits},
                   {2, 1, 50, Tier::kFits}};
  AssignmentOptions options;
  options.allow_accommodations = false;
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->placements, ElementsAre(Placement{1, 1}, Placement{2, 1}));
  ASSERT_EQ(r->unassigned.size(), 1u);
  EXPECT_EQ(r->unassigned[0].participant, 0);
  EXPECT_EQ(r->unassigned[0].reason, UnassignedReason::kNoFeasibleVacancy);
  EXPECT_EQ(r->unassigned[0].eligible_vacancies, 0);

  options.allow_accommodations = true;
  r = Assign(problem, options);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->placements, ElementsAre(Placement{1, 0}, Placement{2, 1}));
  EXPECT_EQ(r->placements[0].tier, Tier::kFitsWithAccommodations);
  EXPECT_EQ(r->objective, 95001 + 50001);
}

TEST(AssignTest, OutcompetedVersusNoFeasibleVacancy) {
  AssignmentProblem problem;
  problem.participants = 4;
  problem.capacity = {2};
  problem.edges = {{0, 0, 80, Tier::kFits}, {1, 0, 70, Tier::kFits}, {2, 0, 60, Tier::kFits}};
  absl::StatusOr<AssignmentResult> r = Assign(problem, AssignmentOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->placements, ElementsAre(Placement{0, 0}, Placement{1, 0}));
  EXPECT_THAT(
      r->unassigned,
      ElementsAre(
          AllOf(Field(&UnassignedParticipant::participant, 2),
                Field(&UnassignedParticipant::reason, UnassignedReason::kOutcompeted),
                Field(&UnassignedParticipant::eligible_vacancies, 1)),
          AllOf(Field(&UnassignedParticipant::participant, 3),
                Field(&UnassignedParticipant::reason, UnassignedReason::kNoFeasibleVacancy))));
  EXPECT_DOUBLE_EQ(r->total_score, 150);
}

TEST(AssignTest, ZeroScoreEligiblePairIsStillAssignedWhenThereIsRoom) {
  AssignmentProblem problem;
  problem.participants = 1;
  problem.capacity = {1};
  problem.edges = {{0, 0, 0, Tier::kFits}};
  absl::StatusOr<AssignmentResult> r = Assign(problem, AssignmentOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->placements, ElementsAre(Placement{0, 0}));
  EXPECT_EQ(r->objective, 1);
}

TEST(AssignTest, ProposalsPerParticipantGiveDistinctVacancies) {
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {3, 3, 3};
  for (int p = 0; p < 2; ++p) {
    for (int v = 0; v < 3; ++v) problem.edges.push_back({p, v, 50.0 + v, Tier::kFits});
  }
  AssignmentOptions options;
  options.proposals_per_participant = 2;
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->placements,
              ElementsAre(Placement{0, 1}, Placement{0, 2}, Placement{1, 1}, Placement{1, 2}));
  EXPECT_EQ(r->assigned_participants, 2);
}

// A constructed instance where the plain optimum creams: every vacancy has a strong
// (0-barrier) and a weaker (3-barrier) applicant, and the strong ones score 15 higher.
AssignmentProblem CreamingInstance() {
  AssignmentProblem problem;
  const int vacancies = 10;
  problem.participants = 2 * vacancies;
  problem.capacity.assign(vacancies, 1);
  for (int v = 0; v < vacancies; ++v) {
    problem.edges.push_back({2 * v, v, 80.0, Tier::kFits});
    problem.edges.push_back({2 * v + 1, v, 65.0, Tier::kFits});
    problem.barriers.push_back(0);
    problem.barriers.push_back(3);
  }
  // Half of the strong participants also fit a second vacancy.
  for (int v = 0; v < vacancies / 2; ++v) {
    problem.edges.push_back({2 * v, v + vacancies / 2, 60.0, Tier::kFits});
  }
  return problem;
}

TEST(AssignTest, AntiCreamingRaisesTheHighBarrierShare) {
  const AssignmentProblem problem = CreamingInstance();
  AssignmentOptions options;
  options.anti_creaming.per_barrier = 10;
  absl::StatusOr<ObjectiveComparison> c = CompareObjectives(problem, options);
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->groups.size(), 2u);
  EXPECT_EQ(c->groups[1].barriers, 3);
  EXPECT_EQ(c->groups[1].pool, 10);
  EXPECT_EQ(c->groups[1].assigned_quality, 0);
  EXPECT_EQ(c->groups[1].assigned_anti_creaming, 10);
  EXPECT_DOUBLE_EQ(c->groups[1].share_quality, 0.0);
  EXPECT_DOUBLE_EQ(c->groups[1].share_anti_creaming, 1.0);
  EXPECT_EQ(c->groups[0].assigned_quality, 10);
  EXPECT_EQ(c->groups[0].assigned_anti_creaming, 0);
  EXPECT_DOUBLE_EQ(c->score_cost, 800.0 - 650.0);
  // The fairness report of the plain optimum shows the creaming.
  const FairnessReport& f = c->quality.fairness;
  EXPECT_EQ(f.pool, 20);
  EXPECT_EQ(f.assigned, 10);
  EXPECT_DOUBLE_EQ(f.groups[1].representation, 0.0);
  EXPECT_DOUBLE_EQ(f.groups[0].representation, 2.0);
  EXPECT_EQ(f.groups[1].with_eligible_vacancy, 10);
  // Every high-barrier participant outcompeted in the plain optimum.
  for (const UnassignedParticipant& u : c->quality.unassigned) {
    EXPECT_EQ(u.participant % 2, 1);
    EXPECT_EQ(u.reason, UnassignedReason::kOutcompeted);
  }
}

// The header's example with the calibrated defaults (6 points per barrier, all six
// barriers counted): 70 + 3 x 6 beats 80; a fifth and sixth barrier still count.
TEST(AssignTest, DefaultAntiCreamingWeights) {
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {1};
  problem.edges = {{0, 0, 80.0, Tier::kFits}, {1, 0, 70.0, Tier::kFits}};
  problem.barriers = {0, 3};
  AssignmentOptions options;
  options.objective = Objective::kAntiCreaming;
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_THAT(r->placements, ElementsAre(Placement{1, 0}));
  EXPECT_EQ(r->placements[0].weight, 88001);
  ASSERT_EQ(r->unassigned.size(), 1u);
  EXPECT_EQ(r->unassigned[0].reason, UnassignedReason::kOutcompeted);
  // 4 vs 6 barriers: 50 + 24 < 40 + 36.
  problem.edges = {{0, 0, 50.0, Tier::kFits}, {1, 0, 40.0, Tier::kFits}};
  problem.barriers = {4, 6};
  r = Assign(problem, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->placements, ElementsAre(Placement{1, 0}));
  EXPECT_EQ(r->objective, 76001);
}

TEST(AssignTest, WaitingTimeBonusBreaksTheTie) {
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {1};
  problem.edges = {{0, 0, 70, Tier::kFits}, {1, 0, 68, Tier::kFits}};
  problem.waiting_months = {0, 12};
  AssignmentOptions options;
  options.objective = Objective::kAntiCreaming;
  options.anti_creaming.per_waiting_month = 0.5;
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->placements, ElementsAre(Placement{1, 0}));
  EXPECT_EQ(r->objective, 74001);
  options.objective = Objective::kMatchQuality;
  r = Assign(problem, options);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->placements, ElementsAre(Placement{0, 0}));
}

TEST(AssignTest, InvalidInputNamesTheField) {
  struct Case {
    std::function<void(AssignmentProblem&, AssignmentOptions&)> mutate;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](AssignmentProblem& p, AssignmentOptions&) { p.capacity[1] = 0; }, "capacity[1]"},
      {[](AssignmentProblem& p, AssignmentOptions&) { p.edges[2].vacancy = 7; },
       "edges[2].vacancy"},
      {[](AssignmentProblem& p, AssignmentOptions&) { p.edges[0].participant = -1; },
       "edges[0].participant"},
      {[](AssignmentProblem& p, AssignmentOptions&) { p.edges[1].score = 101; }, "edges[1].score"},
      {[](AssignmentProblem& p, AssignmentOptions&) { p.edges[1].tier = Tier::kUnspecified; },
       "edges[1].tier"},
      {[](AssignmentProblem& p, AssignmentOptions&) { p.edges.push_back(p.edges[0]); }, "edges[3]"},
      {[](AssignmentProblem& p, AssignmentOptions&) { p.barriers = {1}; }, "barriers"},
      {[](AssignmentProblem& p, AssignmentOptions&) {
         p.barriers = {1, 9};
       },
       "barriers[1]"},
      {[](AssignmentProblem& p, AssignmentOptions&) {
         p.waiting_months = {-1, 0};
       },
       "waiting_months[0]"},
      {[](AssignmentProblem&, AssignmentOptions& o) { o.proposals_per_participant = 0; },
       "options.proposals_per_participant"},
      {[](AssignmentProblem&, AssignmentOptions& o) { o.anti_creaming.per_barrier = -1; },
       "options.anti_creaming.per_barrier"},
  };
  for (const Case& c : cases) {
    AssignmentProblem problem;
    problem.participants = 2;
    problem.capacity = {1, 2};
    problem.edges = {{0, 0, 50, Tier::kFits}, {1, 0, 40, Tier::kFits}, {1, 1, 30, Tier::kFits}};
    AssignmentOptions options;
    c.mutate(problem, options);
    absl::StatusOr<AssignmentResult> r = Assign(problem, options);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    const std::vector<FieldViolation> v = ViolationsOf(r.status());
    ASSERT_FALSE(v.empty()) << c.field;
    EXPECT_EQ(v[0].field, c.field) << r.status();
  }
}

TEST(AssignTest, ProgressCancelsWithCancelledError) {
  AssignmentProblem problem = RandomProblem(3000, 50, 0.02, 3, 9);
  AssignmentOptions options;
  int64_t calls = 0;
  int64_t last_done = -1;
  // 3000 participants, at most 150 places: the solver works from the vacancy side.
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 50);
    EXPECT_GT(done, last_done);
    last_done = done;
    return ++calls < 2;
  };
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 2);

  // Uncancelled: the last call reports done == total.
  options.progress = [&](int64_t done, int64_t total) {
    last_done = done;
    return total >= 0;
  };
  r = Assign(problem, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(last_done, 50);

  // Plenty of places: participants are the unit.
  problem.capacity.assign(50, 100);
  last_done = -1;
  calls = 0;
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 3000);
    EXPECT_GT(done, last_done);
    last_done = done;
    return ++calls < 3;
  };
  r = Assign(problem, options);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 3);
}

TEST(AssignTest, EmptyProblemsAreNormalAnswers) {
  AssignmentProblem problem;
  problem.participants = 3;
  absl::StatusOr<AssignmentResult> r = Assign(problem, AssignmentOptions{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->placements.empty());
  EXPECT_EQ(r->unassigned.size(), 3u);
  EXPECT_EQ(r->fairness.assigned_share, 0.0);
}

}  // namespace
}  // namespace carvematch
