#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/common.h"
#include "model/status.h"
#include "model/validation.h"
#include "model/week.h"

namespace carvematch {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Not;

class FakeCatalog : public ConceptCatalog {
 public:
  bool HasSkill(std::string_view uri) const override { return uri.rfind("esco:s/", 0) == 0; }
  bool HasOccupation(std::string_view uri) const override { return uri.rfind("esco:o/", 0) == 0; }
};

Participant ValidParticipant() {
  Participant p;
  p.id = "p-1";
  p.organisation_id = "org-a";
  p.home = {{51.05, 3.72}, "Gent", "9000"};
  p.transport_modes = {TransportMode::kBike};
  p.skills = {{"esco:s/cooking", 2, EvidenceSource::kCare, ""}};
  return p;
}

TEST(LanguageLevelTest, AcceptsCefrAndFlemishLevels) {
  EXPECT_EQ(*ParseLanguageLevel("A2"), CefrLevel::kA2);
  EXPECT_EQ(*ParseLanguageLevel(" b1 "), CefrLevel::kB1);
  EXPECT_EQ(*ParseLanguageLevel("1.1"), CefrLevel::kA1);
  EXPECT_EQ(*ParseLanguageLevel("1.2"), CefrLevel::kA2);
  EXPECT_EQ(*ParseLanguageLevel("2"), CefrLevel::kB1);
  EXPECT_EQ(*ParseLanguageLevel("4"), CefrLevel::kC1);
  EXPECT_EQ(*ParseLanguageLevel(""), CefrLevel::kNone);
  EXPECT_EQ(ParseLanguageLevel("B3").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FormatMinutesTest, FormatsClockAndNextDay) {
  EXPECT_EQ(FormatMinutes(6 * 60 + 5), "06:05");
  EXPECT_EQ(FormatMinutes(1440 + 120), "02:00+1d");
}

TEST(WeekMaskTest, SpanCoversTouchedQuarters) {
  WeekMask m = WeekMask::FromSpan({Weekday::kMonday, 6 * 60, 7 * 60 + 5});
  EXPECT_EQ(m.Count(), 5);  // 06:00-07:15 touched: 5 quarters
  EXPECT_TRUE(m.Test(24));
  EXPECT_FALSE(m.Test(23));
}

TEST(WeekMaskTest, SundayNightWrapsToMonday) {
  WeekMask m = WeekMask::FromSpan({Weekday::kSunday, 22 * 60, 26 * 60});
  EXPECT_EQ(m.Count(), 16);
  EXPECT_TRUE(m.Test(0));                     // Monday 00:00
  EXPECT_TRUE(m.Test(kQuartersPerWeek - 1));  // Sunday 23:45
}

TEST(WeekMaskTest, WithinAndComplement) {
  WeekMask avail = WeekMask::FromSpan({Weekday::kTuesday, 8 * 60, 16 * 60});
  WeekMask shift = WeekMask::FromSpan({Weekday::kTuesday, 9 * 60, 13 * 60});
  WeekMask early = WeekMask::FromSpan({Weekday::kTuesday, 6 * 60, 13 * 60});
  EXPECT_TRUE(shift.Within(avail));
  EXPECT_FALSE(early.Within(avail));
  EXPECT_EQ((~avail).Count() + avail.Count(), kQuartersPerWeek);
  EXPECT_EQ(WeekMask::Full().Count(), kQuartersPerWeek);
}

TEST(ValidationTest, AcceptsValidParticipant) {
  EXPECT_TRUE(ValidateParticipant(ValidParticipant(), FakeCatalog()).ok());
}

TEST(ValidationTest, ReportsEveryOffendingFieldWithItsPath) {
  Participant p = ValidParticipant();
  p.home.point.lat = 123;
  p.skills.push_back({"esco:s/unknown-but-prefixed", 7, EvidenceSource::kWork, ""});
  p.skills.push_back({"http://nope", 1, EvidenceSource::kWork, ""});
  p.availability.push_back({Weekday::kMonday, 600, 540});
  absl::Status s = ValidateParticipant(p, FakeCatalog());
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> v = ViolationsOf(s);
  EXPECT_THAT(v, Contains(Field(&FieldViolation::field, "participant.home.point.lat")));
  EXPECT_THAT(v, Contains(Field(&FieldViolation::field, "participant.skills[1].level")));
  EXPECT_THAT(v, Contains(Field(&FieldViolation::field, "participant.skills[2].skill_uri")));
  EXPECT_THAT(v, Contains(Field(&FieldViolation::field, "participant.availability[0].end_minute")));
  EXPECT_THAT(v, Not(Contains(Field(&FieldViolation::field, "participant.skills[0].level"))));
}

TEST(ValidationTest, VacancyTaskHoursAndSite) {
  Employer e;
  e.id = "e-1";
  e.organisation_id = "org-e";
  e.display_name = "Bakery";
  e.sites = {{"main", "Main", {{51.2, 4.4}, "Antwerpen", ""}}};
  ASSERT_TRUE(ValidateEmployer(e).ok());
  Vacancy v;
  v.id = "v-1";
  v.employer_id = "e-1";
  v.site_id = "elsewhere";
  v.title = "Line worker";
  v.shifts = {{Weekday::kMonday, 360, 840}};
  v.hours_per_week = 20;
  v.contract_type = ContractType::kTemp;
  v.tasks = {{"t1", "pack", 15, {}, {}, 0, false, "", "", TimeOfDay::kEarly, true, false, 0},
             {"t2", "clean", 10, {}, {}, 0, false, "", "", TimeOfDay::kDay, true, false, 0}};
  std::vector<FieldViolation> errors = ViolationsOf(ValidateVacancy(v, e, FakeCatalog()));
  EXPECT_THAT(errors, Contains(Field(&FieldViolation::field, "vacancy.site_id")));
  EXPECT_THAT(errors, Contains(Field(&FieldViolation::field, "vacancy.tasks")));
  v.site_id = "main";
  v.hours_per_week = 25;
  EXPECT_THAT(ViolationsOf(ValidateVacancy(v, e, FakeCatalog())), IsEmpty());
}

TEST(ValidationTest, VacancyCarvedFromNamesOtherDistinctVacancies) {
  Employer e;
  e.id = "e-1";
  e.organisation_id = "org-e";
  e.display_name = "Hospital";
  e.sites = {{"main", "Main", {{51.2, 4.4}, "Aalst", ""}}};
  Vacancy v;
  v.id = "v-1-carve-1";
  v.employer_id = "e-1";
  v.site_id = "main";
  v.title = "Logistics assistant";
  v.shifts = {{Weekday::kMonday, 420, 900}};
  v.hours_per_week = 20;
  v.contract_type = ContractType::kOpenEnded;
  v.carved_from = {"v-1", "v-2"};
  EXPECT_THAT(ViolationsOf(ValidateVacancy(v, e, FakeCatalog())), IsEmpty());
  v.carved_from = {"v-1", "V 2", "v-1-carve-1", "v-1"};
  std::vector<FieldViolation> errors = ViolationsOf(ValidateVacancy(v, e, FakeCatalog()));
  std::vector<std::string> fields;
  for (const FieldViolation& f : errors) fields.push_back(f.field);
  EXPECT_THAT(fields, ElementsAre("vacancy.carved_from[1]", "vacancy.carved_from[2]",
                                  "vacancy.carved_from[3]"));
}

TEST(IdTest, AcceptsOnlyLowercaseDashIds) {
  EXPECT_TRUE(IsValidId("p-0001"));
  EXPECT_FALSE(IsValidId(""));
  EXPECT_FALSE(IsValidId("-x"));
  EXPECT_FALSE(IsValidId("P1"));
  EXPECT_FALSE(IsValidId("a/b"));
}

}  // namespace
}  // namespace carvematch
