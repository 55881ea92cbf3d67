#include "matcher/matcher.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/matcher/fakes.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kCook[] = "esco:s/cook";
constexpr char kPrepareMeals[] = "esco:s/prepare-meals";
constexpr char kCleanKitchen[] = "esco:s/clean-kitchen";
constexpr char kForklift[] = "esco:s/operate-forklift";

class MatcherTest : public ::testing::Test {
 protected:
  MatcherTest() : matcher_(credit_, travel_) {}

  void SetUp() override {
    credit_.AddSkill(kCook, "cook");
    credit_.AddSkill(kPrepareMeals, "prepare meals");
    credit_.AddSkill(kCleanKitchen, "clean kitchen");
    credit_.AddSkill(kForklift, "operate forklift");
    credit_.Relate(kCook, kPrepareMeals, 0.6f);

    employer_.id = "e-1";
    employer_.sector = "Q86";
    employer_.sites = {{"s-1", "kitchen", {At(10), "Gent", "9000"}}};
  }

  // A kitchen job on weekdays 08:00-16:00, 38 h, one task needing 'prepare meals'.
  static Vacancy KitchenJob(const std::string& id) {
    Vacancy v;
    v.id = id;
    v.employer_id = "e-1";
    v.site_id = "s-1";
    v.title = "kitchen help";
    v.hours_per_week = 38;
    for (Weekday d : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                      Weekday::kFriday}) {
      v.shifts.push_back({d, 8 * 60, 16 * 60});
    }
    Task t;
    t.id = "t-1";
    t.description = "prepare meals";
    t.hours_per_week = 38;
    t.skills = {{kPrepareMeals, 2, true}};
    v.tasks = {t};
    return v;
  }

  // Lives 10 bike minutes from the site, cycles, can prepare meals.
  static Participant Cyclist(const std::string& id) {
    Participant p;
    p.id = id;
    p.home = {At(0), "Gent", "9000"};
    p.transport_modes = {TransportMode::kBike};
    p.max_commute_minutes = 45;
    p.skills = {{kPrepareMeals, 2, EvidenceSource::kWork, ""}};
    return p;
  }

  static Childcare AfterSchoolCare(int opens, int closes, double bike_minutes_from_home) {
    Childcare c;
    c.label = "after-school care";
    c.location = {At(bike_minutes_from_home), "Gent", "9000"};
    for (Weekday d : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                      Weekday::kFriday}) {
      c.opening_hours.push_back({d, opens, closes});
    }
    return c;
  }

  MatchResult Explain(const Participant& p, const Vacancy& v) {
    absl::StatusOr<MatchResult> r = matcher_.Explain(p, {&v, &employer_, nullptr});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : MatchResult{};
  }

  static const ExplanationItem* Item(const MatchResult& r, const std::string& criterion,
                                     ItemStatus status) {
    for (const ExplanationItem& i : r.items) {
      if (i.criterion == criterion && i.status == status) return &i;
    }
    return nullptr;
  }

  FakeSkillCredit credit_;
  FakeTravel travel_;
  Matcher matcher_;
  Employer employer_;
};

TEST_F(MatcherTest, PlainFit) {
  MatchResult r = Explain(Cyclist("p-1"), KitchenJob("v-1"));
  EXPECT_EQ(r.tier, Tier::kFits);
  EXPECT_THAT(r.accommodations, IsEmpty());
  EXPECT_EQ(r.commute_mode, TransportMode::kBike);
  EXPECT_EQ(r.commute_minutes, 10);
  EXPECT_FLOAT_EQ(r.coverage_essential, 1.0f);
  EXPECT_FLOAT_EQ(r.coverage_optional, 1.0f);  // no optional requirement
  // skills 50 + commute 15 * (1 - 10/45) + language 15 + hours 10 + preferences 3 + 4.
  EXPECT_NEAR(r.score, 50 + 15 * (1 - 10.0 / 45) + 15 + 10 + 7, 1e-6);
  for (const ExplanationItem& i : r.items) EXPECT_EQ(i.status, ItemStatus::kOk) << i.criterion;
}

TEST_F(MatcherTest, SingleParentWhoseChildcareOpensAfterTheShiftStartsIsBlocked) {
  Participant p = Cyclist("p-1");
  p.childcare = {AfterSchoolCare(7 * 60, 18 * 60, 35)};  // 25 min from the site by bike
  Vacancy v = KitchenJob("v-1");
  for (WeeklySpan& s : v.shifts) s = {s.day, 6 * 60, 14 * 60};
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* care = Item(r, "childcare", ItemStatus::kBlocker);
  ASSERT_NE(care, nullptr);
  EXPECT_THAT(care->message, HasSubstr("shift starts 06:00"));
  EXPECT_THAT(care->message, HasSubstr("'after-school care' opens 07:00 and is 25 min away"));
  EXPECT_THAT(care->message, HasSubstr("Monday, Tuesday, Wednesday, Thursday, Friday"));

  // A flexible start of at most 60 minutes cannot bridge the 85 minutes needed.
  v.accommodations = {Accommodation::kFlexibleStart};
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  ASSERT_NE(Item(r, "childcare", ItemStatus::kBlocker), nullptr);
  EXPECT_EQ(Item(r, "childcare", ItemStatus::kBlocker)->accommodation, Accommodation::kUnspecified);
}

TEST_F(MatcherTest, FlexibleStartBridgesAChildcareGapUpToAnHour) {
  Participant p = Cyclist("p-1");
  p.childcare = {AfterSchoolCare(7 * 60, 18 * 60, 35)};
  Vacancy v = KitchenJob("v-1");
  for (WeeklySpan& s : v.shifts) s = {s.day, 7 * 60, 15 * 60};

  MatchResult without = Explain(p, v);
  EXPECT_EQ(without.tier, Tier::kBlocked);
  const ExplanationItem* blocker = Item(without, "childcare", ItemStatus::kBlocker);
  ASSERT_NE(blocker, nullptr);
  EXPECT_EQ(blocker->accommodation, Accommodation::kFlexibleStart);  // would unblock it
  EXPECT_THAT(blocker->message, HasSubstr("a flexible start at 07:25 would fit"));

  v.accommodations = {Accommodation::kFlexibleStart};
  MatchResult with = Explain(p, v);
  EXPECT_EQ(with.tier, Tier::kFitsWithAccommodations);
  EXPECT_THAT(with.accommodations, ElementsAre(Accommodation::kFlexibleStart));
  const ExplanationItem* gap = Item(with, "childcare", ItemStatus::kGap);
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->accommodation, Accommodation::kFlexibleStart);
  EXPECT_THAT(gap->message, HasSubstr("shift starts 07:00"));
  EXPECT_THAT(gap->message, HasSubstr("a flexible start at 07:25 fits"));
}

TEST_F(MatcherTest, PickUpAfterTheShiftCounts) {
  Participant p = Cyclist("p-1");
  p.childcare = {AfterSchoolCare(7 * 60, 16 * 60 + 15, 35)};  // closes 16:15, 25 min away
  MatchResult r = Explain(p, KitchenJob("v-1"));              // shift ends 16:00
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* care = Item(r, "childcare", ItemStatus::kBlocker);
  ASSERT_NE(care, nullptr);
  EXPECT_THAT(care->message, HasSubstr("shift ends 16:00"));
  EXPECT_THAT(care->message, HasSubstr("closes 16:15"));
  // Working 07:50-15:50 leaves the 25 minutes to reach the care before it closes.
  EXPECT_THAT(care->message, HasSubstr("a flexible start at 07:50 would fit"));
}

TEST_F(MatcherTest, NoChildcareOnSaturdayUnlessTheEmployerSupportsChildcare) {
  Participant p = Cyclist("p-1");
  p.childcare = {AfterSchoolCare(7 * 60, 18 * 60, 12)};
  Vacancy v = KitchenJob("v-1");
  v.shifts.push_back({Weekday::kSaturday, 9 * 60, 13 * 60});
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* care = Item(r, "childcare", ItemStatus::kBlocker);
  ASSERT_NE(care, nullptr);
  EXPECT_THAT(care->message, HasSubstr("Saturday: no childcare arrangement is open that day"));
  EXPECT_EQ(care->accommodation, Accommodation::kChildcareSupport);

  v.accommodations = {Accommodation::kChildcareSupport};
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFitsWithAccommodations);
  EXPECT_THAT(r.accommodations, ElementsAre(Accommodation::kChildcareSupport));
}

TEST_F(MatcherTest, SeveralArrangementsTogetherCoverTheDay) {
  // School until 12:30 on Wednesday, then a separate Wednesday-afternoon care until
  // 18:00 at the same place: together they cover an 08:00-16:00 shift.
  Participant p = Cyclist("p-1");
  Childcare school = AfterSchoolCare(7 * 60, 18 * 60, 12);
  school.label = "school";
  for (WeeklySpan& o : school.opening_hours) {
    if (o.day == Weekday::kWednesday) o.end_minute = 12 * 60 + 30;
  }
  Childcare wednesday = AfterSchoolCare(12 * 60 + 30, 18 * 60, 12);
  wednesday.label = "Wednesday afternoon care";
  wednesday.opening_hours = {{Weekday::kWednesday, 12 * 60 + 30, 18 * 60}};
  p.childcare = {school, wednesday};
  Vacancy v = KitchenJob("v-1");  // 08:00-16:00, Monday to Friday
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFits);
  EXPECT_NE(Item(r, "childcare", ItemStatus::kOk), nullptr);

  // Without the afternoon care, Wednesday is not covered after 12:30.
  p.childcare = {school};
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* care = Item(r, "childcare", ItemStatus::kBlocker);
  ASSERT_NE(care, nullptr);
  EXPECT_THAT(care->message, HasSubstr("Wednesday: shift ends 16:00, 'school' closes 12:30"));

  // A gap between two arrangements is named.
  Childcare late = wednesday;
  late.opening_hours = {{Weekday::kWednesday, 13 * 60 + 30, 18 * 60}};
  p.childcare = {school, late};
  r = Explain(p, v);
  care = Item(r, "childcare", ItemStatus::kBlocker);
  ASSERT_NE(care, nullptr);
  EXPECT_THAT(care->message, HasSubstr("no childcare from 12:30 on Wednesday"));
}

TEST_F(MatcherTest, ShiftOutsideAvailabilityBlocks) {
  Participant p = Cyclist("p-1");
  for (Weekday d : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                    Weekday::kFriday}) {
    p.availability.push_back({d, 9 * 60, 17 * 60});
  }
  Vacancy v = KitchenJob("v-1");  // 08:00-16:00
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* s = Item(r, "schedule", ItemStatus::kBlocker);
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(s->message, HasSubstr("shift 08:00-16:00 is outside the availability "
                                    "(available 09:00-17:00)"));
  v.accommodations = {Accommodation::kFlexibleStart};
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFitsWithAccommodations);
  ASSERT_NE(Item(r, "schedule", ItemStatus::kGap), nullptr);
  EXPECT_THAT(Item(r, "schedule", ItemStatus::kGap)->message,
              HasSubstr("a flexible start at 09:00 fits"));
}

TEST_F(MatcherTest, NewcomerDutchA1AgainstTaskNeedingA2) {
  Participant p = Cyclist("p-1");
  p.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA1;
  p.dutch.at(LanguageSkill::kListening) = CefrLevel::kA2;
  Vacancy v = KitchenJob("v-1");
  v.tasks[0].dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
  v.tasks[0].dutch.at(LanguageSkill::kListening) = CefrLevel::kA2;
  v.stated.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB2;  // the text asks too much

  v.accommodations = {Accommodation::kLanguageCoaching};
  MatchResult with = Explain(p, v);
  EXPECT_EQ(with.tier, Tier::kFitsWithAccommodations);
  EXPECT_THAT(with.accommodations, ElementsAre(Accommodation::kLanguageCoaching));
  const ExplanationItem* speaking = Item(with, "dutch_speaking", ItemStatus::kGap);
  ASSERT_NE(speaking, nullptr);
  EXPECT_EQ(speaking->accommodation, Accommodation::kLanguageCoaching);
  EXPECT_THAT(speaking->message, HasSubstr("Dutch speaking A1, tasks need A2"));
  EXPECT_THAT(speaking->message, HasSubstr("the vacancy text asks B2"));
  EXPECT_THAT(speaking->message, HasSubstr("employer offers language coaching on the floor"));
  EXPECT_NE(Item(with, "dutch_listening", ItemStatus::kOk), nullptr);
  EXPECT_NEAR(with.parts.language, 15.0 * 3.5 / 4, 1e-9);

  v.accommodations.clear();
  MatchResult without = Explain(p, v);
  EXPECT_EQ(without.tier, Tier::kBlocked);
  const ExplanationItem* blocker = Item(without, "dutch_speaking", ItemStatus::kBlocker);
  ASSERT_NE(blocker, nullptr);
  EXPECT_EQ(blocker->accommodation, Accommodation::kLanguageCoaching);
}

TEST_F(MatcherTest, DutchTwoLevelsShortBlocksEvenWithCoaching) {
  Participant p = Cyclist("p-1");
  p.dutch.at(LanguageSkill::kReading) = CefrLevel::kA1;
  Vacancy v = KitchenJob("v-1");
  v.tasks[0].dutch.at(LanguageSkill::kReading) = CefrLevel::kB1;
  v.accommodations = {Accommodation::kLanguageCoaching};
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  ASSERT_NE(Item(r, "dutch_reading", ItemStatus::kBlocker), nullptr);
  EXPECT_THAT(Item(r, "dutch_reading", ItemStatus::kBlocker)->message, HasSubstr("2 levels apart"));
}

TEST_F(MatcherTest, StatedDutchAboveWhatTasksNeedDoesNotBlock) {
  Participant p = Cyclist("p-1");
  p.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
  Vacancy v = KitchenJob("v-1");
  v.stated.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB2;
  v.tasks[0].dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
  EXPECT_EQ(Explain(p, v).tier, Tier::kFits);
}

TEST_F(MatcherTest, CyclistWithoutLicenceAgainstTaskNeedingLicenceB) {
  Participant p = Cyclist("p-1");
  Vacancy v = KitchenJob("v-1");
  Task delivery;
  delivery.id = "t-2";
  delivery.description = "deliver meals";
  delivery.licence = "B";
  v.tasks.push_back(delivery);
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* licence = Item(r, "licence", ItemStatus::kBlocker);
  ASSERT_NE(licence, nullptr);
  EXPECT_THAT(licence->message, HasSubstr("'deliver meals' needs driving licence B"));
  p.licences = {"B"};
  EXPECT_EQ(Explain(p, v).tier, Tier::kFits);
}

TEST_F(MatcherTest, RelatedSkillEarnsPartialCreditWithItsSource) {
  Participant p = Cyclist("p-1");
  p.skills = {{kCook, 2, EvidenceSource::kCare, "cooks for five"}};
  MatchResult r = Explain(p, KitchenJob("v-1"));
  EXPECT_NEAR(r.coverage_essential, 0.6f, 1e-6);
  ASSERT_EQ(r.credits.size(), 1u);
  const SkillCreditNote& note = r.credits[0];
  EXPECT_EQ(note.need_uri, kPrepareMeals);
  EXPECT_EQ(note.have_uri, kCook);
  EXPECT_EQ(note.source, EvidenceSource::kCare);
  EXPECT_EQ(note.relation, "essential related skill");
  EXPECT_FLOAT_EQ(note.credit, 0.6f);
  EXPECT_FLOAT_EQ(note.level_factor, 1.0f);
  EXPECT_EQ(note.message, "care for family: 'cook' credits 'prepare meals' 0.6");
  EXPECT_NEAR(r.parts.skills, 50 * (0.8 * 0.6 + 0.2 * 1.0), 1e-5);
  const ExplanationItem* skills = Item(r, "skills", ItemStatus::kOk);
  ASSERT_NE(skills, nullptr);
  EXPECT_THAT(skills->message, HasSubstr("care for family: 'cook' credits 'prepare meals' 0.6"));

  // A lower level halves the credit: level 1 of 2.
  p.skills[0].level = 1;
  r = Explain(p, KitchenJob("v-1"));
  EXPECT_NEAR(r.coverage_essential, 0.3f, 1e-6);
  EXPECT_EQ(r.credits[0].message,
            "care for family: 'cook' credits 'prepare meals' 0.3 (level 1 of 2 needed)");
  const ExplanationItem* gap = Item(r, "skills", ItemStatus::kGap);
  ASSERT_NE(gap, nullptr);
  EXPECT_THAT(gap->message, HasSubstr("missing 'prepare meals' (level 2)"));
  EXPECT_EQ(r.tier, Tier::kFits);  // a skill gap lowers the score, it does not block
}

TEST_F(MatcherTest, HoursOutsideTheWantedRange) {
  Participant p = Cyclist("p-1");
  Vacancy v = KitchenJob("v-1");
  p.max_hours_per_week = 32;  // 38 is 18.75% above: a gap
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFits);
  ASSERT_NE(Item(r, "hours", ItemStatus::kGap), nullptr);
  EXPECT_NEAR(r.parts.hours, 10 * (1 - 0.1875 / 0.25), 1e-9);
  p.max_hours_per_week = 30;  // 26.7% above: blocked
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  ASSERT_NE(Item(r, "hours", ItemStatus::kBlocker), nullptr);
  EXPECT_DOUBLE_EQ(r.parts.hours, 0);
  p.min_hours_per_week = 20;
  p.max_hours_per_week = 38;
  EXPECT_DOUBLE_EQ(Explain(p, v).parts.hours, 10);
}

TEST_F(MatcherTest, CommuteModesNeedLicencesAndAccommodationsBridgeDistance) {
  Participant p = Cyclist("p-1");
  p.home = {At(-50), "Aalst", "9300"};                              // 60 bike minutes from the site
  p.transport_modes = {TransportMode::kBike, TransportMode::kCar};  // no licence B
  Vacancy v = KitchenJob("v-1");
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  const ExplanationItem* blocker = Item(r, "commute", ItemStatus::kBlocker);
  ASSERT_NE(blocker, nullptr);
  EXPECT_THAT(blocker->message, HasSubstr("bike 60 min"));
  EXPECT_THAT(blocker->message, ::testing::Not(HasSubstr("car")));
  // Company transport (about 35 min by car) would unblock it, if offered.
  EXPECT_EQ(blocker->accommodation, Accommodation::kCompanyTransport);

  v.accommodations = {Accommodation::kBikeLease};
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFitsWithAccommodations);
  EXPECT_EQ(r.commute_mode, TransportMode::kEBike);
  EXPECT_EQ(r.commute_minutes, 45);

  p.licences = {"B"};  // now the own car takes 0.5 x 60 + 5 = 35 min
  r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFits);
  EXPECT_EQ(r.commute_mode, TransportMode::kCar);
  EXPECT_EQ(r.commute_minutes, 35);
}

TEST_F(MatcherTest, CompanyTransportWithTheRealTravelModel) {
  TravelModel travel;
  Matcher matcher(credit_, travel);
  Employer employer = employer_;
  employer.sites[0].location.point = {50.9378, 4.0403};  // Aalst
  Participant p = Cyclist("p-1");
  p.home.point = {51.0543, 3.7174};  // Gent, about 26 km away
  Vacancy v = KitchenJob("v-1");
  absl::StatusOr<MatchResult> r = matcher.Explain(p, {&v, &employer, nullptr});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tier, Tier::kBlocked);
  EXPECT_FALSE(r->commute_mode.has_value());
  v.accommodations = {Accommodation::kCompanyTransport};
  r = matcher.Explain(p, {&v, &employer, nullptr});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->tier, Tier::kFitsWithAccommodations);
  EXPECT_THAT(r->accommodations, ElementsAre(Accommodation::kCompanyTransport));
  EXPECT_FALSE(r->commute_mode.has_value());
  EXPECT_GT(r->commute_minutes, 40);
}

TEST_F(MatcherTest, CapacitiesAndExclusionsBlock) {
  Participant p = Cyclist("p-1");
  p.capacities.max_lift_kg = 10;
  p.capacities.night_work = false;
  p.exclusions = {"cold_storage"};
  Vacancy v = KitchenJob("v-1");
  v.tasks[0].lift_kg = 25;
  v.work_settings = {"cold_storage"};
  v.shifts = {{Weekday::kMonday, 20 * 60, 28 * 60}};
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kBlocked);
  EXPECT_NE(Item(r, "lifting", ItemStatus::kBlocker), nullptr);
  EXPECT_NE(Item(r, "night_work", ItemStatus::kBlocker), nullptr);
  EXPECT_NE(Item(r, "exclusions", ItemStatus::kBlocker), nullptr);
  EXPECT_THAT(Item(r, "lifting", ItemStatus::kBlocker)->message, HasSubstr("25 kg"));
}

TEST_F(MatcherTest, DigitalToolsOneLevelShortWithWorkplaceLearning) {
  Participant p = Cyclist("p-1");
  p.capacities.digital_tools = 1;
  Vacancy v = KitchenJob("v-1");
  v.tasks[0].digital_tools = 2;
  EXPECT_EQ(Explain(p, v).tier, Tier::kBlocked);
  v.accommodations = {Accommodation::kWorkplaceLearning};
  MatchResult r = Explain(p, v);
  EXPECT_EQ(r.tier, Tier::kFitsWithAccommodations);
  EXPECT_THAT(r.accommodations, ElementsAre(Accommodation::kWorkplaceLearning));
}

TEST_F(MatcherTest, PreferencesAndOutcome) {
  Participant p = Cyclist("p-1");
  Vacancy v = KitchenJob("v-1");
  p.wanted_sectors = {"Q"};  // prefix of Q86
  EXPECT_DOUBLE_EQ(Explain(p, v).parts.preferences, 10);
  p.wanted_sectors = {"C10"};
  EXPECT_DOUBLE_EQ(Explain(p, v).parts.preferences, 4);
  p.avoided_sectors = {"Q86"};
  MatchResult r = Explain(p, v);
  EXPECT_DOUBLE_EQ(r.parts.penalty, 25);
  EXPECT_NE(Item(r, "preferences", ItemStatus::kGap), nullptr);
  p.avoided_sectors.clear();
  p.wanted_sectors.clear();
  p.target_outcomes = {TargetOutcome::kVolunteering};
  r = Explain(p, v);
  ASSERT_NE(Item(r, "outcome", ItemStatus::kGap), nullptr);
  EXPECT_DOUBLE_EQ(r.parts.preferences, 3);
}

TEST_F(MatcherTest, RankVacanciesOrdersByTierScoreThenId) {
  Participant p = Cyclist("p-1");
  Vacancy fits_b = KitchenJob("v-b");
  Vacancy fits_a = KitchenJob("v-a");  // identical to v-b: the id decides
  Vacancy weaker = KitchenJob("v-0");  // needs a skill the participant lacks
  weaker.tasks[0].skills.push_back({kForklift, 1, true});
  Vacancy accommodated = KitchenJob("v-acc");
  accommodated.tasks[0].dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA1;
  accommodated.accommodations = {Accommodation::kLanguageCoaching};
  Vacancy blocked = KitchenJob("v-00");
  blocked.tasks[0].licence = "C";
  std::vector<VacancyContext> contexts = {{&blocked, &employer_, nullptr},
                                          {&fits_b, &employer_, nullptr},
                                          {&accommodated, &employer_, nullptr},
                                          {&weaker, &employer_, nullptr},
                                          {&fits_a, &employer_, nullptr}};
  MatchOptions options;
  absl::StatusOr<std::vector<MatchResult>> ranked = matcher_.RankVacancies(p, contexts, options);
  ASSERT_TRUE(ranked.ok()) << ranked.status();
  std::vector<std::string> ids;
  for (const MatchResult& r : *ranked) ids.push_back(r.vacancy_id);
  EXPECT_THAT(ids, ElementsAre("v-a", "v-b", "v-0", "v-acc", "v-00"));
  EXPECT_GT((*ranked)[1].score, (*ranked)[2].score);

  // The same order whatever the input order.
  std::reverse(contexts.begin(), contexts.end());
  absl::StatusOr<std::vector<MatchResult>> again = matcher_.RankVacancies(p, contexts, options);
  ASSERT_TRUE(again.ok());
  std::vector<std::string> ids_again;
  for (const MatchResult& r : *again) ids_again.push_back(r.vacancy_id);
  EXPECT_EQ(ids, ids_again);

  options.include_blocked = false;
  options.limit = 2;
  ranked = matcher_.RankVacancies(p, contexts, options);
  ASSERT_TRUE(ranked.ok());
  ASSERT_EQ(ranked->size(), 2u);
  EXPECT_EQ((*ranked)[0].vacancy_id, "v-a");
  options.limit = 0;
  ranked = matcher_.RankVacancies(p, contexts, options);
  ASSERT_TRUE(ranked.ok());
  EXPECT_EQ(ranked->size(), 4u);
}

TEST_F(MatcherTest, RankParticipantsOrdersAndAgreesWithExplain) {
  Vacancy v = KitchenJob("v-1");
  v.tasks[0].skills.push_back({kCleanKitchen, 1, false});
  Participant full = Cyclist("p-full");
  full.skills.push_back({kCleanKitchen, 1, EvidenceSource::kVolunteering, ""});
  Participant related = Cyclist("p-related");
  related.skills = {{kCook, 2, EvidenceSource::kCare, ""}};
  Participant same_as_full = full;
  same_as_full.id = "p-again";
  Participant far = Cyclist("p-far");
  far.home.point = At(-100);
  std::vector<const Participant*> people = {&far, &related, &full, &same_as_full};
  absl::StatusOr<std::vector<MatchResult>> ranked =
      matcher_.RankParticipants({&v, &employer_, nullptr}, people, MatchOptions{});
  ASSERT_TRUE(ranked.ok()) << ranked.status();
  std::vector<std::string> ids;
  for (const MatchResult& r : *ranked) ids.push_back(r.participant_id);
  EXPECT_THAT(ids, ElementsAre("p-again", "p-full", "p-related", "p-far"));
  EXPECT_EQ(ranked->back().tier, Tier::kBlocked);
  // The matrix path (many participants) gives the same numbers as the single pair.
  for (const MatchResult& r : *ranked) {
    const Participant* p = *std::find_if(people.begin(), people.end(), [&](const Participant* x) {
      return x->id == r.participant_id;
    });
    MatchResult single = Explain(*p, v);
    EXPECT_FLOAT_EQ(r.coverage_essential, single.coverage_essential) << r.participant_id;
    EXPECT_FLOAT_EQ(r.coverage_optional, single.coverage_optional) << r.participant_id;
    EXPECT_DOUBLE_EQ(r.score, single.score) << r.participant_id;
  }
  EXPECT_FLOAT_EQ((*ranked)[2].coverage_essential, 0.6f);
  EXPECT_FLOAT_EQ((*ranked)[2].coverage_optional, 0.0f);
}

TEST_F(MatcherTest, InvalidContextsAreErrors) {
  Participant p = Cyclist("p-1");
  Vacancy v = KitchenJob("v-1");
  EXPECT_EQ(matcher_.RankVacancies(p, {{&v, nullptr, nullptr}}, MatchOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      matcher_.RankVacancies(p, {{nullptr, &employer_, nullptr}}, MatchOptions{}).status().code(),
      absl::StatusCode::kInvalidArgument);
  v.site_id = "s-missing";
  EXPECT_EQ(matcher_.Explain(p, {&v, &employer_, nullptr}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  Vacancy ok = KitchenJob("v-2");
  EXPECT_EQ(matcher_.RankParticipants({&ok, &employer_, nullptr}, {&p, nullptr}, MatchOptions{})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<MatchResult>> none = matcher_.RankVacancies(p, {}, MatchOptions{});
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, IsEmpty());
}

}  // namespace
}  // namespace carvematch
