// Conversion between API messages and domain types, and field-mask merging.
#include "services/convert.h"

#include <optional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "services/field_mask.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

v1::Participant FullParticipant() {
  v1::Participant p;
  p.set_id("p-1");
  p.set_organisation_id("org-a");
  p.mutable_home()->mutable_point()->set_lat(51.0543);
  p.mutable_home()->mutable_point()->set_lon(3.7174);
  p.mutable_home()->set_municipality("Gent");
  p.add_transport_modes(v1::E_BIKE);
  p.add_transport_modes(v1::PUBLIC_TRANSPORT);
  p.add_licences("AM");
  p.set_max_commute_minutes(35);
  v1::WeeklySpan* a = p.add_availability();
  a->set_day(v1::WEDNESDAY);
  a->set_start_minute(8 * 60 + 30);
  a->set_end_minute(12 * 60 + 30);
  v1::Childcare* c = p.add_childcare();
  c->set_label("school");
  c->mutable_location()->mutable_point()->set_lat(51.05);
  c->mutable_location()->mutable_point()->set_lon(3.72);
  *c->add_opening_hours() = *a;
  p.set_min_hours_per_week(12);
  p.set_max_hours_per_week(24);
  v1::SkillClaim* s = p.add_skills();
  s->set_skill_uri("http://data.europa.eu/esco/skill/x");
  s->set_level(3);
  s->set_source(v1::YOUTH_WORK);
  s->set_note("leads a scouts group");
  p.mutable_dutch()->set_listening(v1::B1);
  p.mutable_dutch()->set_writing(v1::A1);
  v1::OtherLanguage* l = p.add_other_languages();
  l->set_code("ar");
  l->set_level(v1::C2);
  p.mutable_capacities()->set_max_lift_kg(10);
  p.mutable_capacities()->set_no_night_work(true);
  p.mutable_capacities()->set_digital_tools(1);
  p.add_exclusions("private_homes");
  p.add_wanted_sectors("Q86");
  p.add_avoided_sectors("C10");
  p.add_target_outcomes(v1::WIJKWERKEN);
  p.mutable_consent()->set_share_anonymous_card(true);
  return p;
}

TEST(ConvertTest, ParticipantRoundTripKeepsEveryField) {
  v1::Participant in = FullParticipant();
  std::vector<FieldViolation> violations;
  std::optional<Participant> domain = ParticipantFromProto(in, &violations);
  EXPECT_THAT(violations, testing::IsEmpty());
  EXPECT_EQ(domain->capacities.max_lift_kg, 10);
  EXPECT_FALSE(domain->capacities.night_work);
  EXPECT_TRUE(domain->capacities.prolonged_standing);
  EXPECT_EQ(domain->dutch.get(LanguageSkill::kListening), CefrLevel::kB1);
  EXPECT_EQ(domain->skills[0].source, EvidenceSource::kYouthWork);
  EXPECT_EQ(domain->target_outcomes[0], TargetOutcome::kWijkwerken);
  v1::Participant out = ParticipantToProto(*domain);
  EXPECT_EQ(out.SerializeAsString(), in.SerializeAsString()) << out.DebugString();
}

TEST(ConvertTest, FlemishLevelTextIsReadAndBadTextNamesTheField) {
  v1::Participant in = FullParticipant();
  in.mutable_dutch()->set_speaking_text("1.2");
  in.mutable_dutch()->set_reading_text("2");
  std::vector<FieldViolation> violations;
  Participant domain = ParticipantFromProto(in, &violations);
  EXPECT_THAT(violations, testing::IsEmpty());
  EXPECT_EQ(domain.dutch.get(LanguageSkill::kSpeaking), CefrLevel::kA2);
  EXPECT_EQ(domain.dutch.get(LanguageSkill::kReading), CefrLevel::kB1);

  in.mutable_dutch()->set_speaking_text("fluent");
  domain = ParticipantFromProto(in, &violations);
  EXPECT_EQ(domain.dutch.get(LanguageSkill::kSpeaking), CefrLevel::kNone);
  EXPECT_THAT(violations,
              ElementsAre(Field(&FieldViolation::field, "participant.dutch.speaking_text")));
}

TEST(ConvertTest, VacancyDefaultsAndTaskFlags) {
  v1::Vacancy in;
  in.set_id("v-1");
  v1::Task* t = in.add_tasks();
  t->set_id("t");
  t->set_hours_per_week(4);
  t->mutable_dutch()->set_reading_text("1.1");
  std::vector<FieldViolation> violations;
  std::optional<Vacancy> v = VacancyFromProto(in, &violations);
  EXPECT_THAT(violations, testing::IsEmpty());
  EXPECT_EQ(v->status, VacancyStatus::kOpen);
  EXPECT_EQ(v->outcome, TargetOutcome::kPaidJob);
  EXPECT_EQ(v->capacity, 1);
  EXPECT_TRUE(v->tasks[0].alongside_colleagues);  // unset means alongside colleagues
  EXPECT_EQ(v->tasks[0].time_of_day, TimeOfDay::kDay);
  EXPECT_EQ(v->tasks[0].dutch.get(LanguageSkill::kReading), CefrLevel::kA1);
  t->set_alongside_colleagues(false);
  EXPECT_FALSE(VacancyFromProto(in, &violations).tasks[0].alongside_colleagues);
  t->mutable_dutch()->set_reading_text("Z9");
  VacancyFromProto(in, &violations);
  EXPECT_THAT(violations,
              ElementsAre(Field(&FieldViolation::field, "vacancy.tasks[0].dutch.reading_text")));
}

TEST(FieldMaskTest, MergesNamedPathsAndProtectsImmutableFields) {
  v1::Participant stored = FullParticipant();
  v1::Participant update;
  update.set_id("p-1");
  update.mutable_home()->set_municipality("Aalst");
  update.set_max_hours_per_week(30);
  google::protobuf::FieldMask mask;
  mask.add_paths("home.municipality");
  mask.add_paths("max_hours_per_week");
  mask.add_paths("licences");  // repeated field replaced by the (empty) update
  ASSERT_TRUE(ApplyFieldMask(update, mask, {"id", "organisation_id"}, &stored).ok());
  EXPECT_EQ(stored.home().municipality(), "Aalst");
  EXPECT_DOUBLE_EQ(stored.home().point().lat(), 51.0543);  // sibling kept
  EXPECT_EQ(stored.max_hours_per_week(), 30);
  EXPECT_TRUE(stored.licences().empty());
  EXPECT_EQ(stored.skills_size(), 1);

  google::protobuf::FieldMask bad;
  bad.add_paths("max_hours_per_week");
  bad.add_paths("organisation_id");
  bad.add_paths("no_such_field");
  absl::Status status = ApplyFieldMask(update, bad, {"id", "organisation_id"}, &stored);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationsOf(status),
              ElementsAre(Field(&FieldViolation::field, "update_mask.paths[1]"),
                          Field(&FieldViolation::field, "update_mask.paths[2]")));
}

TEST(FieldMaskTest, EmptyMaskReplacesAllButImmutableFields) {
  v1::Participant stored = FullParticipant();
  v1::Participant update;
  update.set_id("p-other");
  update.set_organisation_id("org-evil");
  update.set_max_commute_minutes(20);
  ASSERT_TRUE(ApplyFieldMask(update, {}, {"id", "organisation_id"}, &stored).ok());
  EXPECT_EQ(stored.id(), "p-1");
  EXPECT_EQ(stored.organisation_id(), "org-a");
  EXPECT_EQ(stored.max_commute_minutes(), 20);
  EXPECT_TRUE(stored.skills().empty());
}

}  // namespace
}  // namespace carvematch
