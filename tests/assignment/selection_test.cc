// assignment/selection.h: each criterion of the participant and vacancy selections on
// its own (kept and dropped), and the waiting months of the anti-creaming objective.
#include "assignment/selection.h"

#include <vector>

#include "assignment/assignment.h"
#include "assignment/barriers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;

constexpr CalendarDay kToday{2026, 11, 23};

Participant Person(const std::string& id) {
  Participant p;
  p.id = id;
  p.organisation_id = "org-a";
  p.home.municipality = "Aalst";
  p.home.postal_code = "9300";
  p.transport_modes = {TransportMode::kCar};
  p.licences = {"B"};
  p.dutch.at(LanguageSkill::kListening) = CefrLevel::kB1;
  p.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB1;
  return p;
}

TEST(SelectionTest, EmptySelectionKeepsEveryone) {
  EXPECT_TRUE(Selects(ParticipantSelection(), Person("p"), kToday));
  Vacancy v;
  Employer e;
  Site s;
  EXPECT_TRUE(Selects(VacancySelection(), v, e, s));
}

TEST(SelectionTest, Area) {
  Location gent{{51.05, 3.72}, "Gent", "9000"};
  Location aalst{{50.94, 4.04}, "Aalst", "9300"};
  AreaSelection area;
  area.municipalities = {"GENT", "Lokeren"};
  EXPECT_TRUE(area.Matches(gent));  // case-insensitive
  EXPECT_FALSE(area.Matches(aalst));
  area.municipalities.clear();
  area.postal_code_prefixes = {"93"};
  EXPECT_TRUE(area.Matches(aalst));
  EXPECT_FALSE(area.Matches(gent));
  area.municipalities = {"Gent"};  // both lists must match
  EXPECT_FALSE(area.Matches(aalst));
  EXPECT_FALSE(area.Matches(gent));
}

TEST(SelectionTest, ParticipantCriteria) {
  ParticipantSelection s;
  Participant p = Person("p");
  s.organisation_id = "org-b";
  EXPECT_FALSE(Selects(s, p, kToday));
  s.organisation_id = "org-a";
  EXPECT_TRUE(Selects(s, p, kToday));

  s.home.municipalities = {"Zele"};
  EXPECT_FALSE(Selects(s, p, kToday));
  s.home.municipalities = {"aalst"};
  EXPECT_TRUE(Selects(s, p, kToday));

  s.target_outcomes = {TargetOutcome::kInternship};
  EXPECT_TRUE(Selects(s, p, kToday));  // no targets: open to all
  p.target_outcomes = {TargetOutcome::kPaidJob};
  EXPECT_FALSE(Selects(s, p, kToday));
  p.target_outcomes = {TargetOutcome::kPaidJob, TargetOutcome::kInternship};
  EXPECT_TRUE(Selects(s, p, kToday));

  ASSERT_EQ(CountBarriers(p).count, 0);
  s.max_barriers = 0;
  EXPECT_TRUE(Selects(s, p, kToday));
  p.capacities.night_work = false;  // one barrier
  p.capacities.digital_tools = 0;   // two
  ASSERT_EQ(CountBarriers(p).count, 2);
  EXPECT_FALSE(Selects(s, p, kToday));
  s.max_barriers = 2;
  EXPECT_TRUE(Selects(s, p, kToday));

  s.min_waiting_months = 12;
  EXPECT_FALSE(Selects(s, p, kToday));  // unknown waiting time
  p.job_seeker_since = CalendarDay{2025, 11, 24};
  EXPECT_FALSE(Selects(s, p, kToday));  // 11 months and 30 days
  p.job_seeker_since = CalendarDay{2025, 11, 23};
  EXPECT_TRUE(Selects(s, p, kToday));  // 12 months
}

TEST(SelectionTest, VacancyCriteria) {
  Employer e;
  e.id = "emp-1";
  e.sector = "Q86";
  Site site{"main", "Hospital", {{51.05, 3.72}, "Gent", "9000"}};
  Vacancy v;
  v.employer_id = "emp-1";
  v.contract_type = ContractType::kOpenEnded;
  v.outcome = TargetOutcome::kPaidJob;
  v.capacity = 3;

  VacancySelection s;
  s.sector_prefixes = {"C", "Q8"};
  EXPECT_TRUE(Selects(s, v, e, site));
  s.sector_prefixes = {"Q87"};
  EXPECT_FALSE(Selects(s, v, e, site));
  s.sector_prefixes.clear();

  s.employer_ids = {"emp-2"};
  EXPECT_FALSE(Selects(s, v, e, site));
  s.employer_ids = {"emp-2", "emp-1"};
  EXPECT_TRUE(Selects(s, v, e, site));

  s.site.postal_code_prefixes = {"93"};
  EXPECT_FALSE(Selects(s, v, e, site));
  s.site.postal_code_prefixes = {"90"};
  EXPECT_TRUE(Selects(s, v, e, site));

  s.contract_types = {ContractType::kTemp};
  EXPECT_FALSE(Selects(s, v, e, site));
  s.contract_types = {ContractType::kTemp, ContractType::kOpenEnded};
  EXPECT_TRUE(Selects(s, v, e, site));

  s.outcomes = {TargetOutcome::kInternship};
  EXPECT_FALSE(Selects(s, v, e, site));
  s.outcomes = {TargetOutcome::kPaidJob};
  EXPECT_TRUE(Selects(s, v, e, site));

  s.carved_only = true;
  EXPECT_FALSE(Selects(s, v, e, site));
  v.carved_from = {"v-origin"};
  EXPECT_TRUE(Selects(s, v, e, site));

  s.min_places = 4;
  EXPECT_FALSE(Selects(s, v, e, site));
  s.min_places = 3;
  EXPECT_TRUE(Selects(s, v, e, site));
}

TEST(SelectionTest, WaitingMonthsFeedTheObjective) {
  Participant strong = Person("p-strong");
  Participant waiting = Person("p-waiting");
  strong.job_seeker_since = CalendarDay{2026, 10, 1};   // 1 month
  waiting.job_seeker_since = CalendarDay{2024, 11, 1};  // 24 months
  Participant unknown = Person("p-unknown");
  EXPECT_EQ(WaitingMonths(unknown, kToday), std::nullopt);
  EXPECT_EQ(WaitingMonths(waiting, kToday), 24);
  EXPECT_THAT(WaitingMonthsOf({&strong, &waiting, &unknown}, kToday), ElementsAre(1, 24, 0));

  // One place, two people with the same barriers; the stronger score wins the plain
  // optimum, the long wait wins the anti-creaming one (0.5 x (24 - 1) > 80 - 72).
  AssignmentProblem problem;
  problem.participants = 2;
  problem.capacity = {1};
  problem.edges = {{0, 0, 80, Tier::kFits}, {1, 0, 72, Tier::kFits}};
  problem.barriers = {1, 1};
  problem.waiting_months = WaitingMonthsOf({&strong, &waiting}, kToday);
  AssignmentOptions options;
  options.objective = Objective::kAntiCreaming;
  absl::StatusOr<ObjectiveComparison> c = CompareObjectives(problem, options);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(c->quality.placements, ElementsAre(Placement{0, 0}));
  EXPECT_THAT(c->anti_creaming.placements, ElementsAre(Placement{1, 0}));
  // Earlier, when both had waited as long, the score decides again.
  problem.waiting_months = WaitingMonthsOf({&strong, &waiting}, CalendarDay{2024, 11, 30});
  ASSERT_THAT(problem.waiting_months, ElementsAre(0, 0));
  absl::StatusOr<AssignmentResult> r = Assign(problem, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->placements, ElementsAre(Placement{0, 0}));
}

}  // namespace
}  // namespace carvematch
