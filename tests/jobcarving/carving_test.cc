#include "jobcarving/carving.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "jobcarving/requirement_review.h"
#include "jobcarving/testing/carving_scenario.h"
#include "model/status.h"
#include "tests/jobcarving/test_fixtures.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using namespace testing_fixtures;  // NOLINT

// The nurse ward of the demo: 24 h of reserved nursing, 14 h of elementary ward work.
Vacancy NurseVacancy(const std::string& id, double restock, double beds, double meals,
                     double transport) {
  Vacancy v;
  v.id = id;
  v.employer_id = "e-1";
  v.site_id = "site-1";
  v.title = "Nurse " + id;
  v.shifts = Weekdays(7 * 60, 15 * 60);
  v.contract_type = ContractType::kOpenEnded;
  v.hourly_cost_eur = 52;
  v.accommodations = {Accommodation::kMentor};
  Task care = MakeTask("nursing-care", 20, {{"skill:nursing", 3, true}});
  care.reserved_to_qualification = "registered nurse";
  care.dutch = Dutch(CefrLevel::kB2, CefrLevel::kB2, CefrLevel::kB2, CefrLevel::kB2);
  care.customer_contact = true;
  Task meds = MakeTask("medication", 4, {{"skill:medication", 3, true}});
  meds.reserved_to_qualification = "registered nurse";
  meds.dutch = Dutch(CefrLevel::kB2, CefrLevel::kB2, CefrLevel::kB2, CefrLevel::kB1);
  Task r = MakeTask("restock", restock, {{"skill:stock", 1, true}});
  r.dutch = Dutch(CefrLevel::kA2, CefrLevel::kA1, CefrLevel::kA1, CefrLevel::kNone);
  r.lift_kg = 10;
  Task b = MakeTask("bed-making", beds, {{"skill:beds", 1, true}});
  b.dutch = Dutch(CefrLevel::kA2, CefrLevel::kNone, CefrLevel::kA1, CefrLevel::kNone);
  Task m = MakeTask("meal-rounds", meals, {{"skill:meals", 1, true}});
  m.dutch = Dutch(CefrLevel::kA2, CefrLevel::kA1, CefrLevel::kA2, CefrLevel::kNone);
  m.customer_contact = true;
  Task t = MakeTask("patient-transport", transport, {{"skill:transport", 1, true}});
  t.dutch = Dutch(CefrLevel::kA2, CefrLevel::kA1, CefrLevel::kA2, CefrLevel::kNone);
  v.tasks = {care, meds, r, b, m, t};
  v.hours_per_week = 24 + restock + beds + meals + transport;
  v.stated.diploma = DiplomaLevel::kBachelor;
  v.stated.dutch = Dutch(CefrLevel::kB2, CefrLevel::kB2, CefrLevel::kB2, CefrLevel::kB2);
  return v;
}

class CarvingTest : public ::testing::Test {
 protected:
  CarvingTest() : matcher_(credit_, travel_) {
    for (const char* s : {"skill:nursing", "skill:medication", "skill:stock", "skill:beds",
                          "skill:meals", "skill:transport", "skill:picking", "skill:driving"}) {
      credit_.AddSkill(s, s);
    }
    employer_ = MakeEmployer();
    // Three people ready for the ward's elementary work (A2 Dutch, the four skills),
    // one of them lifting at most 5 kg; a nurse; one person far away.
    for (int i = 0; i < 3; ++i) {
      Participant p = MakeParticipant("p-ward-" + std::to_string(i));
      p.dutch = Dutch(CefrLevel::kA2, CefrLevel::kA1, CefrLevel::kA2, CefrLevel::kNone);
      for (const char* s :
           {"skill:stock", "skill:beds", "skill:meals", "skill:transport", "skill:picking"}) {
        p.skills.push_back({s, 1, EvidenceSource::kVolunteering, ""});
      }
      people_.push_back(p);
    }
    people_[2].capacities.max_lift_kg = 5;
    Participant nurse = MakeParticipant("p-nurse");
    nurse.dutch = Dutch(CefrLevel::kC1, CefrLevel::kC1, CefrLevel::kC1, CefrLevel::kB2);
    for (const char* s : {"skill:nursing", "skill:medication", "skill:stock", "skill:beds",
                          "skill:meals", "skill:transport"}) {
      nurse.skills.push_back({s, 3, EvidenceSource::kDiploma, ""});
    }
    people_.push_back(nurse);
    Participant far = people_[0];
    far.id = "p-far";
    far.home.point.lat = kSiteLat + 1;
    people_.push_back(far);
    for (const Participant& p : people_) pool_.push_back(&p);
  }

  absl::StatusOr<CarvingResult> Run(std::vector<const Vacancy*> vacancies, CarveOptions options) {
    CarveRequest r;
    r.employer = &employer_;
    r.vacancies = std::move(vacancies);
    r.pool = pool_;
    r.options = std::move(options);
    return Carve(matcher_, r);
  }

  FakeSkillCredit credit_;
  FakeTravel travel_;
  Matcher matcher_;
  Employer employer_;
  std::vector<Participant> people_;
  std::vector<const Participant*> pool_;
};

TEST_F(CarvingTest, NurseWardGivesALogisticsAssistantJob) {
  const Vacancy nurse = NurseVacancy("v-nurse", 3, 4.5, 3, 3.5);
  absl::StatusOr<CarvingResult> r = Run({&nurse}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->tasks.size(), 6u);
  EXPECT_EQ(r->tasks[0].disposition, TaskDisposition::kStays);
  EXPECT_THAT(r->tasks[0].reason, HasSubstr("registered nurse"));
  EXPECT_EQ(r->tasks[1].disposition, TaskDisposition::kStays);
  for (size_t i = 2; i < 6; ++i) EXPECT_EQ(r->tasks[i].disposition, TaskDisposition::kMovable);
  EXPECT_EQ(r->movable_tasks, 4);
  EXPECT_TRUE(r->exact);
  // 14 movable hours and a 12.67 h minimum: the only real job takes all four tasks.
  ASSERT_EQ(r->proposals.size(), 1u);
  const CarvingProposal& p = r->proposals[0];
  ASSERT_EQ(p.bundles.size(), 1u);
  const BundleProposal& b = p.bundles[0];
  std::vector<std::string> ids;
  for (const MovedTask& t : b.tasks) {
    ids.push_back(t.task_id);
    EXPECT_EQ(t.vacancy_id, "v-nurse");
  }
  EXPECT_THAT(ids, ElementsAre("restock", "bed-making", "meal-rounds", "patient-transport"));
  EXPECT_DOUBLE_EQ(b.hours_per_week, 14);
  EXPECT_DOUBLE_EQ(b.freed_qualified_hours, 14);
  EXPECT_DOUBLE_EQ(b.yearly_cost_difference_eur, 14 * (52.0 - 27.0) * 52);
  EXPECT_EQ(b.before.dutch.get(LanguageSkill::kSpeaking), CefrLevel::kB2);
  EXPECT_EQ(b.after.dutch.get(LanguageSkill::kSpeaking), CefrLevel::kA2);
  EXPECT_EQ(b.after.dutch.get(LanguageSkill::kWriting), CefrLevel::kNone);
  EXPECT_EQ(b.before.max_skill_level, 3);
  EXPECT_EQ(b.after.max_skill_level, 1);
  EXPECT_TRUE(b.after.qualifications.empty());
  // Two ward-ready people fit (the third cannot lift 10 kg); the nurse fits too.
  EXPECT_EQ(b.fits_now + b.fits_with_accommodations, 3);
  EXPECT_THAT(b.top_candidate_ids, UnorderedElementsAre("p-ward-0", "p-ward-1", "p-nurse"));
  EXPECT_EQ(b.fits_new, 2);  // only the nurse fits the nurse vacancy as it is
  // The optimiser's figures for the bundle equal the matcher's counts on the bundle
  // vacancy: the decomposition over tasks is exact for one vacancy.
  const CarveObjectiveWeights w;
  EXPECT_NEAR(b.objective,
              w.fit_now * b.fits_now + w.fit_with_accommodations * b.fits_with_accommodations +
                  w.freed_qualified_hour * 14 +
                  w.yearly_saving_per_keur * b.yearly_cost_difference_eur / 1000,
              1e-9);
  // The bundle as a vacancy.
  EXPECT_DOUBLE_EQ(b.vacancy.hours_per_week, 14);
  EXPECT_EQ(b.vacancy.site_id, "site-1");
  EXPECT_EQ(b.vacancy.tasks.size(), 4u);
  EXPECT_EQ(b.vacancy.stated.dutch, b.after.dutch);
  EXPECT_DOUBLE_EQ(b.vacancy.hourly_cost_eur, 27);
  EXPECT_EQ(b.vacancy.shifts.size(), 5u);
  // The nurse role keeps 24 h.
  ASSERT_EQ(p.roles.size(), 1u);
  EXPECT_DOUBLE_EQ(p.roles[0].hours_before, 38);
  EXPECT_DOUBLE_EQ(p.roles[0].hours_after, 24);
  EXPECT_EQ(p.roles[0].after_vacancy.tasks.size(), 2u);
  EXPECT_DOUBLE_EQ(p.roles[0].after_vacancy.hours_per_week, 24);
  EXPECT_TRUE(p.warnings.empty());
}

TEST_F(CarvingTest, SiteWithTwoWardsCombinesTheirTasks) {
  const Vacancy a = NurseVacancy("v-nurse-a", 3, 4.5, 3, 3.5);
  const Vacancy b = NurseVacancy("v-nurse-b", 2, 4, 3, 2.5);
  CarveOptions options;
  options.max_new_jobs = 2;
  absl::StatusOr<CarvingResult> r = Run({&a, &b}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->movable_tasks, 8);
  ASSERT_FALSE(r->proposals.empty());
  const CarvingProposal& p = r->proposals[0];
  std::set<std::string> origins;
  double hours = 0;
  for (const BundleProposal& bundle : p.bundles) {
    EXPECT_GE(bundle.hours_per_week, 38.0 / 3 - 1e-9);
    EXPECT_LE(bundle.hours_per_week, 38 + 1e-9);
    for (const MovedTask& t : bundle.tasks) origins.insert(t.vacancy_id);
    hours += bundle.hours_per_week;
  }
  EXPECT_THAT(origins, UnorderedElementsAre("v-nurse-a", "v-nurse-b"));
  // Same shifts in both wards: the optimiser's counts are the matcher's, no warning.
  const CarveObjectiveWeights w;
  for (const BundleProposal& bundle : p.bundles) {
    EXPECT_NEAR(bundle.objective,
                w.fit_now * bundle.fits_now +
                    w.fit_with_accommodations * bundle.fits_with_accommodations +
                    w.freed_qualified_hour * bundle.hours_per_week +
                    w.yearly_saving_per_keur * bundle.yearly_cost_difference_eur / 1000,
                1e-9);
    EXPECT_TRUE(bundle.warnings.empty());
  }
  EXPECT_EQ(p.roles.size(), 2u);
  EXPECT_NEAR(p.freed_qualified_hours, hours, 1e-9);
  // Proposals are best first.
  for (size_t i = 1; i < r->proposals.size(); ++i) {
    EXPECT_LE(r->proposals[i].objective, r->proposals[0].objective + 1e-9);
  }
}

TEST_F(CarvingTest, OrderPickerLicenceTaskStaysWhenNobodyHasTheLicence) {
  Vacancy v;
  v.id = "v-picker";
  v.employer_id = "e-1";
  v.site_id = "site-1";
  v.title = "Order picker";
  v.shifts = Weekdays(6 * 60, 14 * 60);
  v.hours_per_week = 38;
  v.hourly_cost_eur = 34;
  v.stated.licences = {"B"};
  auto task = [](const std::string& id, double h, TimeOfDay tod) {
    Task t = MakeTask(id, h, {{"skill:picking", 1, true}});
    t.dutch.at(LanguageSkill::kListening) = CefrLevel::kA2;
    t.time_of_day = tod;
    return t;
  };
  Task van = task("van-to-depot", 2, TimeOfDay::kDay);
  van.licence = "B";
  van.alongside_colleagues = false;
  v.tasks = {task("picking", 20, TimeOfDay::kEarly), task("receiving", 6, TimeOfDay::kEarly),
             task("pallets", 6, TimeOfDay::kEarly), task("housekeeping", 4, TimeOfDay::kEarly),
             van};
  absl::StatusOr<CarvingResult> r = Run({&v}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->movable_tasks, 5);
  ASSERT_FALSE(r->proposals.empty());
  for (const BundleProposal& b : r->proposals[0].bundles) {
    for (const MovedTask& t : b.tasks) EXPECT_NE(t.task_id, "van-to-depot");
    EXPECT_TRUE(b.after.licences.empty());
    EXPECT_GT(b.fits_now + b.fits_with_accommodations, 0);
  }
  for (const CarvingProposal& p : r->proposals) {
    for (const RoleChange& role : p.roles) {
      if (role.hours_after < 38.0 / 3) {
        ASSERT_FALSE(p.warnings.empty());
        EXPECT_THAT(p.warnings[0], HasSubstr("below the minimum"));
      }
    }
  }
  // Once everybody holds licence B, the van task can move with the others.
  for (Participant& p : people_) p.licences = {"B"};
  r = Run({&v}, {});
  ASSERT_TRUE(r.ok());
  bool van_moves = false;
  for (const CarvingProposal& p : r->proposals) {
    for (const BundleProposal& b : p.bundles) {
      for (const MovedTask& t : b.tasks) van_moves = van_moves || t.task_id == "van-to-depot";
    }
  }
  EXPECT_TRUE(van_moves);
  // The review of the same vacancy: licence B is needed by one 2 h task only.
  absl::StatusOr<RequirementReview> review =
      ReviewRequirements(matcher_, {&v, &employer_, nullptr}, pool_, {});
  ASSERT_TRUE(review.ok());
  ASSERT_FALSE(review->items.empty());
  bool found = false;
  for (const RequirementReviewItem& item : review->items) {
    if (item.key != "licence_B") continue;
    found = true;
    EXPECT_EQ(item.classification, RequirementClass::kAlternativeExists);
    EXPECT_THAT(item.task_ids, ElementsAre("van-to-depot"));
  }
  EXPECT_TRUE(found);
}

TEST_F(CarvingTest, NothingMovableIsAnEmptyAnswer) {
  Vacancy v = NurseVacancy("v-nurse", 3, 4.5, 3, 3.5);
  v.tasks.resize(2);
  absl::StatusOr<CarvingResult> r = Run({&v}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->movable_tasks, 0);
  EXPECT_TRUE(r->proposals.empty());
}

TEST_F(CarvingTest, OptionAndInputErrorsNameTheField) {
  const Vacancy v = NurseVacancy("v-nurse", 3, 4.5, 3, 3.5);
  auto field_of = [&](CarveOptions o, std::vector<const Vacancy*> vs) {
    absl::StatusOr<CarvingResult> r = Run(std::move(vs), std::move(o));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    std::vector<FieldViolation> violations = ViolationsOf(r.status());
    return violations.empty() ? std::string() : violations[0].field;
  };
  CarveOptions o;
  o.full_time_hours = 0;
  EXPECT_EQ(field_of(o, {&v}), "options.full_time_hours");
  o = {};
  o.min_bundle_hours = 50;
  EXPECT_EQ(field_of(o, {&v}), "options.min_bundle_hours");
  o = {};
  o.max_new_jobs = 0;
  EXPECT_EQ(field_of(o, {&v}), "options.max_new_jobs");
  o = {};
  o.elementary_hourly_cost_eur = -1;
  EXPECT_EQ(field_of(o, {&v}), "options.elementary_hourly_cost_eur");
  o = {};
  o.weights.fit_now = -1;
  EXPECT_EQ(field_of(o, {&v}), "options.weights.fit_now");
  o = {};
  o.exact_max_tasks = 30;
  EXPECT_EQ(field_of(o, {&v}), "options.exact_max_tasks");
  o = {};
  o.fit.skill_credit_floor = 2;
  EXPECT_EQ(field_of(o, {&v}), "options.fit.skill_credit_floor");
  EXPECT_EQ(field_of({}, {}), "vacancies");
  Vacancy elsewhere = NurseVacancy("v-other", 3, 4.5, 3, 3.5);
  elsewhere.site_id = "site-2";
  EXPECT_EQ(field_of({}, {&v, &elsewhere}), "vacancies[1].site_id");
  Vacancy dup = v;
  dup.id = "v-dup";
  dup.tasks[3].id = "restock";
  EXPECT_EQ(field_of({}, {&dup}), "vacancies[0].tasks[3].id");
  pool_.push_back(nullptr);
  EXPECT_EQ(field_of({}, {&v}), "pool[5]");
  pool_.pop_back();
  Vacancy nowhere = v;
  nowhere.site_id = "nowhere";
  EXPECT_EQ(Run({&nowhere}, {}).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A synthetic scenario: the optimiser's counts equal the matcher's on every proposed
// bundle, the result is deterministic, and the heuristic never beats the exact plan.
TEST(CarvingScenarioTest, DeterministicExactAndConsistentWithTheMatcher) {
  CarvingScenarioParams params;
  params.pool = 150;
  params.tasks = 22;
  const CarvingScenario s = MakeCarvingScenario(params, 11);
  CarveRequest request = s.Request();
  request.options.max_new_jobs = 2;
  absl::StatusOr<CarvingResult> a = Carve(*s.matcher, request);
  absl::StatusOr<CarvingResult> b = Carve(*s.matcher, request);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok());
  ASSERT_LE(a->movable_tasks, 20);
  EXPECT_TRUE(a->exact);
  ASSERT_FALSE(a->proposals.empty());
  ASSERT_EQ(a->proposals.size(), b->proposals.size());
  int fitting = 0;
  for (size_t i = 0; i < a->proposals.size(); ++i) {
    EXPECT_EQ(a->proposals[i].objective, b->proposals[i].objective);
    ASSERT_EQ(a->proposals[i].bundles.size(), b->proposals[i].bundles.size());
    for (size_t j = 0; j < a->proposals[i].bundles.size(); ++j) {
      const BundleProposal& x = a->proposals[i].bundles[j];
      const BundleProposal& y = b->proposals[i].bundles[j];
      ASSERT_EQ(x.tasks.size(), y.tasks.size());
      for (size_t k = 0; k < x.tasks.size(); ++k) EXPECT_EQ(x.tasks[k].task_id, y.tasks[k].task_id);
      EXPECT_EQ(x.top_candidate_ids, y.top_candidate_ids);
      const CarveObjectiveWeights w;
      EXPECT_NEAR(x.objective,
                  w.fit_now * x.fits_now + w.fit_with_accommodations * x.fits_with_accommodations +
                      w.freed_qualified_hour * x.hours_per_week +
                      w.yearly_saving_per_keur * x.yearly_cost_difference_eur / 1000,
                  1e-6);
      fitting += x.fits_now + x.fits_with_accommodations;
    }
  }
  EXPECT_GT(fitting, 0);                // the scenario is not degenerate
  request.options.exact_max_tasks = 0;  // the heuristic
  absl::StatusOr<CarvingResult> h = Carve(*s.matcher, request);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->exact);
  ASSERT_FALSE(h->proposals.empty());
  EXPECT_LE(h->proposals[0].objective, a->proposals[0].objective + 1e-9);
}

}  // namespace
}  // namespace carvematch
