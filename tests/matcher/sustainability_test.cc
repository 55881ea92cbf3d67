// Sustainability: contract type, schedule predictability and "aim not too low".
#include <algorithm>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "matcher/matcher.h"
#include "matcher/pair_core.h"
#include "tests/matcher/fakes.h"

namespace carvematch {
namespace {

using ::testing::HasSubstr;

constexpr char kClean[] = "esco:s/clean-rooms";
constexpr char kNurse[] = "esco:s/nursing-care";

class SustainabilityTest : public ::testing::Test {
 protected:
  SustainabilityTest() : matcher_(credit_, travel_) {}

  void SetUp() override {
    credit_.AddSkill(kClean, "clean rooms");
    credit_.AddSkill(kNurse, "nursing care");
    employer_.id = "e-1";
    employer_.sector = "N81";
    employer_.sites = {{"s-1", "hotel", {At(10), "Gent", "9000"}}};
  }

  // Cleaning rooms at level `need`, weekdays 09:00-13:00, 20 h.
  static Vacancy Cleaning(int need) {
    Vacancy v;
    v.id = "v-1";
    v.employer_id = "e-1";
    v.site_id = "s-1";
    v.hours_per_week = 20;
    v.shifts = {{Weekday::kMonday, 9 * 60, 13 * 60}};
    Task t;
    t.id = "t-1";
    t.description = "clean rooms";
    t.hours_per_week = 20;
    t.skills = {{kClean, need, true}};
    v.tasks = {t};
    return v;
  }

  static Participant Person(int clean_level, int nurse_level, EvidenceSource nurse_source) {
    Participant p;
    p.id = "p-1";
    p.home = {At(0), "Gent", "9000"};
    p.transport_modes = {TransportMode::kBike};
    p.skills = {{kClean, clean_level, EvidenceSource::kCare, ""}};
    if (nurse_level > 0) p.skills.push_back({kNurse, nurse_level, nurse_source, ""});
    return p;
  }

  MatchResult Explain(const Participant& p, const Vacancy& v) {
    absl::StatusOr<MatchResult> r = matcher_.Explain(p, {&v, &employer_, nullptr});
    EXPECT_TRUE(r.ok()) << r.status();
    return *r;
  }

  static const ExplanationItem* Item(const MatchResult& r, const std::string& criterion) {
    auto it = std::find_if(r.items.begin(), r.items.end(),
                           [&](const ExplanationItem& i) { return i.criterion == criterion; });
    return it == r.items.end() ? nullptr : &*it;
  }

  FakeSkillCredit credit_;
  FakeTravel travel_;
  Matcher matcher_;
  Employer employer_;
};

TEST_F(SustainabilityTest, ContractTypeRaisesOrLowersTheScore) {
  const Participant p = Person(1, 0, EvidenceSource::kWork);
  Vacancy v = Cleaning(1);
  const MatchResult unspecified = Explain(p, v);
  EXPECT_DOUBLE_EQ(unspecified.parts.sustainability, 0);
  EXPECT_EQ(Item(unspecified, "contract"), nullptr);

  v.contract_type = ContractType::kOpenEnded;
  const MatchResult open_ended = Explain(p, v);
  EXPECT_DOUBLE_EQ(open_ended.parts.sustainability, 3);
  ASSERT_NE(Item(open_ended, "contract"), nullptr);
  EXPECT_EQ(Item(open_ended, "contract")->status, ItemStatus::kOk);

  v.contract_type = ContractType::kDay;
  const MatchResult day = Explain(p, v);
  EXPECT_DOUBLE_EQ(day.parts.sustainability, -4);
  EXPECT_EQ(Item(day, "contract")->status, ItemStatus::kGap);
  EXPECT_THAT(Item(day, "contract")->message, HasSubstr("day contract"));
  EXPECT_EQ(day.tier, Tier::kFits);  // it lowers the score, it does not block
  EXPECT_NEAR(open_ended.score - day.score, 7, 1e-9);

  v.contract_type = ContractType::kFixedTerm;
  EXPECT_DOUBLE_EQ(Explain(p, v).parts.sustainability, 1);
  v.contract_type = ContractType::kTemp;
  EXPECT_DOUBLE_EQ(Explain(p, v).parts.sustainability, -2);
}

TEST_F(SustainabilityTest, UnpredictableScheduleLowersTheScore) {
  const Participant p = Person(1, 0, EvidenceSource::kWork);
  Vacancy v = Cleaning(1);
  v.contract_type = ContractType::kOpenEnded;
  v.predictable_schedule = false;
  const MatchResult r = Explain(p, v);
  EXPECT_DOUBLE_EQ(r.parts.sustainability, 3 - 3);
  ASSERT_NE(Item(r, "predictability"), nullptr);
  EXPECT_EQ(Item(r, "predictability")->status, ItemStatus::kGap);
  EXPECT_EQ(r.tier, Tier::kFits);
}

TEST_F(SustainabilityTest, AimNotTooLowFlagsAJobFarBelowADemonstratedLevel) {
  // A nurse with a level-4 diploma, in a level-1 cleaning job: 4 - 1 >= 2.
  const MatchResult r = Explain(Person(1, 4, EvidenceSource::kDiploma), Cleaning(1));
  const ExplanationItem* level = Item(r, "level");
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(level->status, ItemStatus::kGap);
  EXPECT_EQ(level->accommodation, Accommodation::kUnspecified);
  EXPECT_THAT(level->message, HasSubstr("aim not too low"));
  EXPECT_THAT(level->message, HasSubstr("'nursing care'"));
  EXPECT_DOUBLE_EQ(r.parts.sustainability, -5);
  EXPECT_EQ(r.tier, Tier::kFits);  // a flag, not a blocker
  // A foreign diploma counts as well (it is evidence, recognised or not).
  EXPECT_NE(Item(Explain(Person(1, 4, EvidenceSource::kForeignDiploma), Cleaning(1)), "level"),
            nullptr);
}

TEST_F(SustainabilityTest, AimNotTooLowNeedsDemonstratedEvidenceAndAWideGap) {
  // A level from a hobby is not a demonstrated professional level.
  EXPECT_EQ(Item(Explain(Person(1, 4, EvidenceSource::kHobby), Cleaning(1)), "level"), nullptr);
  // Level 3 of work against a level-2 job: one level apart.
  EXPECT_EQ(Item(Explain(Person(2, 3, EvidenceSource::kWork), Cleaning(2)), "level"), nullptr);
  // Level 2 at most: never flagged, even against level 0 needs.
  EXPECT_EQ(Item(Explain(Person(2, 2, EvidenceSource::kWork), Cleaning(0)), "level"), nullptr);
  // Level 3 of work against a level-1 job: exactly two levels apart, flagged.
  EXPECT_NE(Item(Explain(Person(1, 3, EvidenceSource::kWork), Cleaning(1)), "level"), nullptr);
}

TEST(AimsTooLowTest, MeanOverRequirements) {
  EXPECT_TRUE(AimsTooLow(4, 1 + 2, 2));   // 4 - 1.5 = 2.5
  EXPECT_FALSE(AimsTooLow(4, 2 + 3, 2));  // 4 - 2.5 = 1.5
  EXPECT_TRUE(AimsTooLow(3, 1, 1));       // exactly 2
  EXPECT_FALSE(AimsTooLow(2, 0, 1));      // demonstrated level below 3
  EXPECT_FALSE(AimsTooLow(4, 0, 0));      // no requirements: nothing to judge
}

}  // namespace
}  // namespace carvematch
