#include "assignment/barriers.h"

#include "assignment/assignment.h"
#include "gtest/gtest.h"
#include "matcher/batch_ranker.h"
#include "matcher/testing/synthetic.h"
#include "mobility/travel.h"

namespace carvematch {
namespace {

Participant Unburdened() {
  Participant p;
  p.transport_modes = {TransportMode::kCar, TransportMode::kBike};
  p.licences = {"B"};
  p.max_commute_minutes = 45;
  p.dutch.levels = {CefrLevel::kB1, CefrLevel::kB1, CefrLevel::kB1, CefrLevel::kA2};
  return p;
}

TEST(BarriersTest, NoneForAnUnburdenedProfile) {
  const BarrierProfile b = CountBarriers(Unburdened());
  EXPECT_EQ(b.count, 0);
  EXPECT_EQ(b.bits, 0u);
}

TEST(BarriersTest, EachBarrierCountsOnce) {
  Participant p = Unburdened();
  p.childcare.push_back(Childcare{});
  p.childcare.push_back(Childcare{});  // two arrangements: still one barrier
  EXPECT_EQ(CountBarriers(p).count, 1);
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kChildcare));

  p = Unburdened();
  p.licences.clear();  // a car but no licence B
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kNoCar));
  p = Unburdened();
  p.transport_modes = {TransportMode::kPublicTransport};
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kNoCar));

  p = Unburdened();
  p.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA1;  // below 1.2
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kDutch));
  p = Unburdened();
  p.dutch.at(LanguageSkill::kWriting) = CefrLevel::kNone;  // written only: not counted
  EXPECT_EQ(CountBarriers(p).count, 0);

  p = Unburdened();
  p.max_commute_minutes = 29;
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kShortCommute));
  p.max_commute_minutes = 30;
  EXPECT_FALSE(CountBarriers(p).Has(Barrier::kShortCommute));

  p = Unburdened();
  p.capacities.max_lift_kg = 10;
  p.capacities.night_work = false;
  EXPECT_EQ(CountBarriers(p).count, 1);
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kCapacityLimits));

  p = Unburdened();
  p.capacities.digital_tools = 0;
  EXPECT_TRUE(CountBarriers(p).Has(Barrier::kNoDigitalTools));
}

TEST(BarriersTest, AllSix) {
  Participant p;
  p.childcare.push_back(Childcare{});
  p.max_commute_minutes = 20;
  p.capacities.working_alone = false;
  p.capacities.digital_tools = 0;
  const BarrierProfile b = CountBarriers(p);
  EXPECT_EQ(b.count, kBarrierKinds);
  EXPECT_EQ(BarrierName(Barrier::kDutch), "dutch_below_a2");
}

TEST(ProblemFromRankingTest, EdgesCapacitiesAndBarriersFromRankAll) {
  SyntheticParams params;
  params.towns = 1;
  const SyntheticInstance inst = MakeSyntheticInstance(150, 40, /*seed=*/77, params);
  TravelModel travel;
  Matcher matcher(*inst.credit, travel);
  BatchRankOptions rank_options;
  rank_options.top_k_per_participant = 8;
  rank_options.top_k_per_vacancy = 0;
  rank_options.threads = 1;
  absl::StatusOr<BatchRankResult> ranking =
      RankAll(matcher, inst.participant_ptrs, inst.contexts, rank_options);
  ASSERT_TRUE(ranking.ok()) << ranking.status();
  absl::StatusOr<AssignmentProblem> problem =
      ProblemFromRanking(*ranking, inst.participant_ptrs, inst.contexts);
  ASSERT_TRUE(problem.ok()) << problem.status();
  ASSERT_EQ(problem->participants, 150);
  ASSERT_EQ(problem->capacity.size(), 40u);
  for (size_t v = 0; v < 40; ++v) EXPECT_EQ(problem->capacity[v], inst.vacancies[v].capacity);
  for (size_t p = 0; p < 150; ++p) {
    EXPECT_EQ(problem->barriers[p], CountBarriers(inst.participants[p]).count);
  }
  size_t edges = 0;
  for (const auto& list : ranking->for_participant) edges += list.size();
  EXPECT_EQ(problem->edges.size(), edges);
  absl::StatusOr<AssignmentResult> r = Assign(*problem, AssignmentOptions{});
  ASSERT_TRUE(r.ok()) << r.status();
  for (const Placement& pl : r->placements) {
    EXPECT_NE(pl.tier, Tier::kBlocked);
    // The placed pair's score is the matcher's.
    absl::StatusOr<MatchResult> m =
        matcher.Explain(inst.participants[static_cast<size_t>(pl.participant)],
                        inst.contexts[static_cast<size_t>(pl.vacancy)]);
    ASSERT_TRUE(m.ok());
    EXPECT_DOUBLE_EQ(m->score, pl.score);
    EXPECT_EQ(m->tier, pl.tier);
  }
  EXPECT_GT(r->assigned_participants, 0);
}

}  // namespace
}  // namespace carvematch
