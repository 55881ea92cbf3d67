#include "storage/json_codec.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/status.h"
#include "tests/storage/test_data.h"
#include "tests/storage/test_equal.h"

namespace carvematch {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_data::ExpectSame;
using testing_data::FullEmployer;
using testing_data::FullParticipant;
using testing_data::FullVacancy;

// Encodes, prints, parses and decodes: the path a stored document takes.
template <typename T>
T ThroughText(const T& value) {
  std::string text = json(value).dump();
  absl::StatusOr<json> parsed = ParseJson(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<T> back = FromJson<T>(*parsed);
  EXPECT_TRUE(back.ok()) << back.status();
  return back.ok() ? *back : T{};
}

TEST(JsonCodecTest, ParticipantRoundTripsEveryField) {
  Participant p = FullParticipant("p-1", "org-a");
  p.create_time_unix = 1700000000;
  p.update_time_unix = 1700000123;
  Participant back = ThroughText(p);
  ExpectSame(p, back);
}

TEST(JsonCodecTest, ParticipantDefaultsRoundTrip) {
  Participant p;  // unset optional, empty lists, default enums
  Participant back = ThroughText(p);
  ExpectSame(p, back);
  EXPECT_FALSE(back.capacities.max_lift_kg.has_value());
}

TEST(JsonCodecTest, EmployerRoundTripsEveryField) {
  Employer e = FullEmployer("e-1", "org-a");
  e.create_time_unix = 5;
  e.update_time_unix = 6;
  ExpectSame(e, ThroughText(e));
}

TEST(JsonCodecTest, VacancyRoundTripsEveryField) {
  Vacancy v = FullVacancy("v-1", "e-1");
  v.create_time_unix = 7;
  v.update_time_unix = 8;
  ExpectSame(v, ThroughText(v));
}

TEST(JsonCodecTest, DoublesRoundTripExactly) {
  Participant p;
  p.home.point = {0.1 + 0.2, 1.0 / 3.0};
  p.max_hours_per_week = 38.000000000000007;
  Participant back = ThroughText(p);
  EXPECT_EQ(back.home.point.lat, 0.1 + 0.2);
  EXPECT_EQ(back.home.point.lon, 1.0 / 3.0);
  EXPECT_EQ(back.max_hours_per_week, 38.000000000000007);
}

TEST(JsonCodecTest, EnumsAreWrittenAsTokens) {
  json j = FullParticipant("p-1", "org-a");
  EXPECT_EQ(j["transport_modes"], json::array({"bike", "public_transport"}));
  EXPECT_EQ(j["skills"][0]["source"], "care");
  EXPECT_EQ(j["dutch"]["listening"], "B1");
  EXPECT_EQ(j["dutch"]["writing"], "A1");
  EXPECT_EQ(j["capacities"]["max_lift_kg"], 10);
  json v = FullVacancy("v-1", "e-1");
  EXPECT_EQ(v["contract_type"], "fixed_term");
  EXPECT_EQ(v["status"], "closed");
  EXPECT_EQ(v["tasks"][1]["time_of_day"], "night");
  EXPECT_EQ(EnumToken(Accommodation::kBikeLease), "bike_lease");
}

TEST(JsonCodecTest, DecodingAcceptsNumbersAndFlemishLevels) {
  json j = {{"id", "p-2"},
            {"transport_modes", {6, "car"}},
            {"dutch", {{"listening", "1.2"}, {"speaking", 4}}},
            {"other_languages", {{{"code", "fr"}, {"level", "b2"}}}},
            {"capacities", {{"max_lift_kg", nullptr}}}};
  absl::StatusOr<Participant> p = FromJson<Participant>(j);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->transport_modes,
              ElementsAre(TransportMode::kPublicTransport, TransportMode::kCar));
  EXPECT_EQ(p->dutch.get(LanguageSkill::kListening), CefrLevel::kA2);
  EXPECT_EQ(p->dutch.get(LanguageSkill::kSpeaking), CefrLevel::kB2);
  EXPECT_EQ(p->other_languages[0].level, CefrLevel::kB2);
  EXPECT_FALSE(p->capacities.max_lift_kg.has_value());
  // Absent keys keep the defaults of the struct.
  EXPECT_EQ(p->max_commute_minutes, 45);
  EXPECT_EQ(p->max_hours_per_week, 38);
  EXPECT_TRUE(p->capacities.night_work);
}

void ExpectViolation(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  std::vector<FieldViolation> violations = ViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field, field);
}

TEST(JsonCodecTest, UnknownFieldIsRejectedWithItsPath) {
  json j = FullParticipant("p-1", "org-a");
  j["skills"][1]["levle"] = 3;
  ExpectViolation(FromJson<Participant>(j).status(), "participant.skills[1].levle");
}

TEST(JsonCodecTest, WrongTypeIsRejectedWithItsPath) {
  json j = FullVacancy("v-1", "e-1");
  j["tasks"][0]["hours_per_week"] = "eight";
  absl::Status s = FromJson<Vacancy>(j).status();
  ExpectViolation(s, "vacancy.tasks[0].hours_per_week");
  EXPECT_THAT(std::string(s.message()), HasSubstr("expected a number"));
}

TEST(JsonCodecTest, UnknownEnumTokenIsRejected) {
  json j = FullVacancy("v-1", "e-1");
  j["accommodations"][1] = "free_lunch";
  ExpectViolation(FromJson<Vacancy>(j).status(), "vacancy.accommodations[1]");
  j = FullVacancy("v-1", "e-1");
  j["status"] = 17;
  ExpectViolation(FromJson<Vacancy>(j).status(), "vacancy.status");
}

TEST(JsonCodecTest, IntegerRangeAndFractionsAreChecked) {
  json j = {{"max_commute_minutes", 1e3}};
  ExpectViolation(FromJson<Participant>(j).status(), "participant.max_commute_minutes");
  j = {{"max_commute_minutes", 4294967296LL}};
  ExpectViolation(FromJson<Participant>(j).status(), "participant.max_commute_minutes");
}

TEST(JsonCodecTest, RootMustBeAnObjectAndRootNameIsConfigurable) {
  ExpectViolation(FromJson<Employer>(json::array()).status(), "employer");
  json j = {{"sites", {{{"id", 3}}}}};
  ExpectViolation(FromJson<Employer>(j, "employers[4]").status(), "employers[4].sites[0].id");
}

TEST(JsonCodecTest, ParseJsonReportsSyntaxErrors) {
  absl::StatusOr<json> bad = ParseJson("{\"id\": ");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<json> good = ParseJson("{\"id\": \"p\"}");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ((*good)["id"], "p");
}

}  // namespace
}  // namespace carvematch
