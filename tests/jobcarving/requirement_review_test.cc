#include "jobcarving/requirement_review.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "tests/jobcarving/test_fixtures.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace testing_fixtures;  // NOLINT

constexpr char kS1[] = "skill:shelves";

class ReviewTest : public ::testing::Test {
 protected:
  ReviewTest() : matcher_(credit_, travel_) {
    credit_.AddSkill(kS1, "stock shelves");
    employer_ = MakeEmployer();
    // 37 h: a 30 h task needing speaking A2 and the skill at level 1, a 5 h task needing
    // reading B1, a 2 h task needing licence B.
    vacancy_.id = "v-1";
    vacancy_.employer_id = "e-1";
    vacancy_.site_id = "site-1";
    vacancy_.title = "Shop assistant";
    vacancy_.hours_per_week = 37;
    vacancy_.shifts = Weekdays(8 * 60, 16 * 60);
    Task a = MakeTask("shelves", 30, {{kS1, 1, true}});
    a.description = "Fill the shelves";
    a.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
    Task b = MakeTask("labels", 5, {});
    b.description = "Read delivery notes";
    b.dutch.at(LanguageSkill::kReading) = CefrLevel::kB1;
    Task c = MakeTask("van", 2, {});
    c.description = "Drive to the depot";
    c.licence = "B";
    vacancy_.tasks = {a, b, c};
    vacancy_.stated.diploma = DiplomaLevel::kSecondary;
    vacancy_.stated.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB2;
    vacancy_.stated.dutch.at(LanguageSkill::kReading) = CefrLevel::kB1;
    vacancy_.stated.licences = {"B", "C"};
    vacancy_.stated.experience_years = 2;
    vacancy_.stated.skills = {{kS1, 3, true}};

    // Each participant fails exactly one stated requirement (except the first and last).
    auto base = [&](const std::string& id) {
      Participant p = MakeParticipant(id);
      p.dutch = Dutch(CefrLevel::kB1, CefrLevel::kB1, CefrLevel::kB2, CefrLevel::kA2);
      p.licences = {"B", "C"};
      p.skills = {{kS1, 3, EvidenceSource::kWork, ""}};
      return p;
    };
    people_.push_back(base("p-all"));
    people_.push_back(base("p-speak"));
    people_.back().dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
    people_.push_back(base("p-speak-low"));
    people_.back().dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA1;
    people_.push_back(base("p-no-c"));
    people_.back().licences = {"B"};
    people_.push_back(base("p-no-b"));
    people_.back().licences = {"C"};
    people_.push_back(base("p-skill"));
    people_.back().skills[0].level = 1;
    people_.push_back(base("p-read"));
    people_.back().dutch.at(LanguageSkill::kReading) = CefrLevel::kA2;
    people_.push_back(base("p-far"));
    people_.back().home.point.lat = kSiteLat + 1.0;
    for (const Participant& p : people_) pool_.push_back(&p);
  }

  RequirementReview Review(const ReviewOptions& options = {}) {
    absl::StatusOr<RequirementReview> r =
        ReviewRequirements(matcher_, {&vacancy_, &employer_, nullptr}, pool_, options);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : RequirementReview{};
  }

  FakeSkillCredit credit_;
  FakeTravel travel_;
  Matcher matcher_;
  Employer employer_;
  Vacancy vacancy_;
  std::vector<Participant> people_;
  std::vector<const Participant*> pool_;
};

std::map<std::string, RequirementReviewItem> ByKey(const RequirementReview& r) {
  std::map<std::string, RequirementReviewItem> m;
  for (const RequirementReviewItem& i : r.items) m[i.key] = i;
  return m;
}

TEST_F(ReviewTest, ItemsInOrder) {
  const RequirementReview r = Review();
  std::vector<std::string> keys;
  for (const RequirementReviewItem& i : r.items) keys.push_back(i.key);
  EXPECT_THAT(keys, ElementsAre("diploma", "dutch", "dutch_reading", "dutch_speaking", "licence_B",
                                "licence_C", "experience", std::string("skill:") + kS1));
  EXPECT_EQ(r.pool_size, 8);
  EXPECT_EQ(r.fit_as_stated, 1);  // p-all
  // The tasks' view: p-all, p-speak, p-no-c, p-skill.
  EXPECT_EQ(r.fit_as_needed, 4);
}

TEST_F(ReviewTest, ClassesTasksAndPoolCounts) {
  auto items = ByKey(Review());

  const RequirementReviewItem& diploma = items.at("diploma");
  EXPECT_EQ(diploma.classification, RequirementClass::kNiceToHave);
  EXPECT_FALSE(diploma.pool.counts_known);
  EXPECT_THAT(diploma.sentence, HasSubstr("no diploma level"));

  const RequirementReviewItem& speaking = items.at("dutch_speaking");
  EXPECT_EQ(speaking.classification, RequirementClass::kEssential);
  EXPECT_THAT(speaking.task_ids, ElementsAre("shelves"));
  EXPECT_EQ(speaking.stated_level, static_cast<int>(CefrLevel::kB2));
  EXPECT_EQ(speaking.needed_level, static_cast<int>(CefrLevel::kA2));
  EXPECT_EQ(speaking.lowered_level, static_cast<int>(CefrLevel::kA2));
  EXPECT_EQ(speaking.pool.fit_as_stated, 1);
  EXPECT_EQ(speaking.pool.excluded, 2);        // p-speak, p-speak-low
  EXPECT_EQ(speaking.pool.fit_if_lowered, 2);  // + p-speak (A1 is still two short... of A2: one)
  EXPECT_EQ(speaking.pool.more_if_lowered, 1);
  EXPECT_EQ(speaking.sentence,
            "Dutch speaking (B2 (Flemish level 3)) is essential: 'Fill the shelves' (30 h) needs "
            "A2 (Flemish level 1.2) from day one. The text asks B2 (Flemish level 3); the tasks "
            "need A2 (Flemish level 1.2). In the pool of 8, it keeps out 2 participants who meet "
            "everything else; at A2 (what the tasks need), 1 more would fit.");

  // Dutch as a whole: dropping all of it lets p-speak, p-speak-low and p-read in; at the
  // levels after the per-skill review (speaking A2, reading moved away) p-speak and p-read.
  const RequirementReviewItem& dutch = items.at("dutch");
  EXPECT_EQ(dutch.classification, RequirementClass::kEssential);
  EXPECT_EQ(dutch.pool.excluded, 3);
  EXPECT_EQ(dutch.pool.fit_if_lowered, 3);
  EXPECT_EQ(dutch.pool.more_if_lowered, 2);
  EXPECT_EQ(dutch.sentence,
            "Dutch as a whole (the text asks reading B1 (Flemish level 2), speaking B2 (Flemish "
            "level 3); the tasks need B1 (Flemish level 2) reading, A2 (Flemish level 1.2) "
            "speaking) is essential. In the pool of 8, it keeps out 3 participants who meet "
            "everything else; with each skill lowered as below, 2 more would fit.");

  const RequirementReviewItem& reading = items.at("dutch_reading");
  EXPECT_EQ(reading.classification, RequirementClass::kAlternativeExists);
  EXPECT_THAT(reading.task_ids, ElementsAre("labels"));
  EXPECT_DOUBLE_EQ(reading.task_hours, 5);
  EXPECT_EQ(reading.lowered_level, 0);
  EXPECT_EQ(reading.pool.excluded, 1);
  EXPECT_EQ(reading.pool.more_if_lowered, 1);
  EXPECT_THAT(reading.sentence,
              HasSubstr("only 'Read delivery notes' (5 h) needs it (5 of 37 h, 14%)"));

  const RequirementReviewItem& b = items.at("licence_B");
  EXPECT_EQ(b.classification, RequirementClass::kAlternativeExists);
  EXPECT_THAT(b.task_ids, ElementsAre("van"));
  EXPECT_EQ(b.pool.excluded, 1);
  EXPECT_EQ(b.pool.more_if_lowered, 1);
  EXPECT_THAT(b.sentence, HasSubstr("to a colleague removes it"));

  const RequirementReviewItem& c = items.at("licence_C");
  EXPECT_EQ(c.classification, RequirementClass::kNiceToHave);
  EXPECT_TRUE(c.task_ids.empty());
  EXPECT_EQ(c.pool.excluded, 1);
  EXPECT_EQ(c.pool.more_if_lowered, 1);
  EXPECT_EQ(c.sentence,
            "Driving licence C (C) is nice to have: no task needs it. In the pool of 8, it keeps "
            "out 1 participant who meets everything else; without it, 1 more would fit.");

  const RequirementReviewItem& experience = items.at("experience");
  EXPECT_EQ(experience.classification, RequirementClass::kNiceToHave);
  EXPECT_FALSE(experience.pool.counts_known);

  const RequirementReviewItem& skill = items.at(std::string("skill:") + kS1);
  EXPECT_EQ(skill.classification, RequirementClass::kEssential);
  EXPECT_EQ(skill.stated_level, 3);
  EXPECT_EQ(skill.needed_level, 1);
  EXPECT_EQ(skill.pool.excluded, 1);  // p-skill: level 1 of 3 is credited 0.33 < 0.5
  EXPECT_EQ(skill.pool.more_if_lowered, 1);
  EXPECT_THAT(skill.label, HasSubstr("stock shelves"));
}

TEST_F(ReviewTest, TrainableWithCoachingAndWorkplaceLearning) {
  vacancy_.accommodations = {Accommodation::kLanguageCoaching, Accommodation::kWorkplaceLearning};
  auto items = ByKey(Review());
  const RequirementReviewItem& speaking = items.at("dutch_speaking");
  EXPECT_EQ(speaking.classification, RequirementClass::kTrainable);
  EXPECT_EQ(speaking.training_months, 6);
  EXPECT_EQ(speaking.support, Accommodation::kLanguageCoaching);
  EXPECT_THAT(speaking.sentence, HasSubstr("about 6 months with the offered"));
  // With coaching, A1 speakers are one level short of A2: they fit with accommodations.
  EXPECT_EQ(speaking.pool.fit_if_lowered - speaking.pool.fit_as_stated, 2);
  const RequirementReviewItem& skill = items.at(std::string("skill:") + kS1);
  EXPECT_EQ(skill.classification, RequirementClass::kTrainable);
  EXPECT_EQ(skill.support, Accommodation::kWorkplaceLearning);
  EXPECT_EQ(skill.training_months, 3);
  // Licences are not learned on the job.
  EXPECT_EQ(items.at("licence_B").classification, RequirementClass::kAlternativeExists);
}

TEST_F(ReviewTest, DiplomaEssentialForReservedTasksAndExperienceForExpertSkills) {
  vacancy_.tasks[0].reserved_to_qualification = "registered nurse";
  vacancy_.tasks[0].skills[0].level = 3;
  auto items = ByKey(Review());
  EXPECT_EQ(items.at("diploma").classification, RequirementClass::kEssential);
  EXPECT_THAT(items.at("diploma").task_ids, ElementsAre("shelves"));
  EXPECT_THAT(items.at("diploma").needed, HasSubstr("registered nurse"));
  EXPECT_EQ(items.at("experience").classification, RequirementClass::kEssential);
  EXPECT_THAT(items.at("experience").task_ids, ElementsAre("shelves"));
}

TEST_F(ReviewTest, WeekendAndEarlyAvailability) {
  // Seven early shifts of 8 h for 37 h: weekdays alone give 40 h; one small early task.
  vacancy_.shifts.clear();
  for (int d = 1; d <= 7; ++d)
    vacancy_.shifts.push_back({static_cast<Weekday>(d), 6 * 60, 14 * 60});
  vacancy_.tasks[2].time_of_day = TimeOfDay::kEarly;  // the 2 h task
  people_.clear();
  pool_.clear();
  Participant weekdays = MakeParticipant("p-weekdays");  // 05:00-17:00 on weekdays only
  for (int d = 1; d <= 5; ++d)
    weekdays.availability.push_back({static_cast<Weekday>(d), 5 * 60, 17 * 60});
  Participant late = MakeParticipant("p-late");  // every day, from 07:00
  for (int d = 1; d <= 7; ++d)
    late.availability.push_back({static_cast<Weekday>(d), 7 * 60, 17 * 60});
  for (Participant* p : {&weekdays, &late}) {
    p->dutch = Dutch(CefrLevel::kB1, CefrLevel::kB1, CefrLevel::kB2, CefrLevel::kA2);
    p->licences = {"B", "C"};
    p->skills = {{kS1, 3, EvidenceSource::kWork, ""}};
  }
  people_ = {weekdays, late};
  for (const Participant& p : people_) pool_.push_back(&p);
  auto items = ByKey(Review());
  const RequirementReviewItem& weekend = items.at("weekend_availability");
  EXPECT_EQ(weekend.classification, RequirementClass::kAlternativeExists);
  EXPECT_EQ(weekend.pool.excluded, 1);  // p-weekdays
  EXPECT_EQ(weekend.pool.more_if_lowered, 1);
  const RequirementReviewItem& early = items.at("early_availability");
  EXPECT_EQ(early.classification, RequirementClass::kAlternativeExists);
  EXPECT_THAT(early.task_ids, ElementsAre("van"));
  EXPECT_EQ(early.pool.excluded, 1);  // p-late
  EXPECT_THAT(early.stated, HasSubstr("06:00"));
  // Without weekend shifts and with a 07:00 start both would fit, but each one alone
  // does not open the job to the other person.
  EXPECT_EQ(items.at("dutch_speaking").pool.fit_as_stated, 0);
}

TEST_F(ReviewTest, Deterministic) {
  const RequirementReview a = Review();
  const RequirementReview b = Review();
  ASSERT_EQ(a.items.size(), b.items.size());
  for (size_t i = 0; i < a.items.size(); ++i) {
    EXPECT_EQ(a.items[i].sentence, b.items[i].sentence);
    EXPECT_EQ(a.items[i].pool.fit_if_lowered, b.items[i].pool.fit_if_lowered);
  }
}

TEST_F(ReviewTest, EmptyPoolCountsZero) {
  pool_.clear();
  auto items = ByKey(Review());
  const RequirementReviewItem& speaking = items.at("dutch_speaking");
  EXPECT_TRUE(speaking.pool.counts_known);
  EXPECT_EQ(speaking.pool.pool_size, 0);
  EXPECT_EQ(speaking.pool.excluded, 0);
  EXPECT_EQ(speaking.classification, RequirementClass::kEssential);  // classes need no pool
}

TEST_F(ReviewTest, InvalidInputNamesTheField) {
  ReviewOptions options;
  options.alternative_max_share = 1.5;
  absl::StatusOr<RequirementReview> r =
      ReviewRequirements(matcher_, {&vacancy_, &employer_, nullptr}, pool_, options);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(r.status()).at(0).field, "options.alternative_max_share");
  std::vector<const Participant*> bad = {nullptr};
  r = ReviewRequirements(matcher_, {&vacancy_, &employer_, nullptr}, bad, {});
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolationsOf(r.status()).at(0).field, "pool[0]");
  vacancy_.site_id = "nowhere";
  r = ReviewRequirements(matcher_, {&vacancy_, &employer_, nullptr}, pool_, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LanguageLevelTextTest, FlemishNames) {
  EXPECT_EQ(LanguageLevelText(CefrLevel::kA1), "A1 (Flemish level 1.1)");
  EXPECT_EQ(LanguageLevelText(CefrLevel::kB2), "B2 (Flemish level 3)");
  EXPECT_EQ(LanguageLevelText(CefrLevel::kC2), "C2");
  EXPECT_EQ(LanguageLevelText(CefrLevel::kNone), "none");
}

}  // namespace
}  // namespace carvematch
