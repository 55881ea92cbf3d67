// Participant::job_seeker_since (the waiting time of the anti-creaming objective): the
// calendar helpers of model/participant.h, validation (field path, not in the future),
// the JSON codec, and a round trip through a real SQLite file, including documents
// written before the field existed.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/participant.h"
#include "model/status.h"
#include "model/validation.h"
#include "storage/json_codec.h"
#include "storage/sqlite_repository.h"

namespace carvematch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Accepts every URI: these tests are about one date field.
class AnyConcept : public ConceptCatalog {
 public:
  bool HasSkill(std::string_view) const override { return true; }
  bool HasOccupation(std::string_view) const override { return true; }
};

Participant ValidParticipant(const std::string& id) {
  Participant p;
  p.id = id;
  p.organisation_id = "org-a";
  p.home.point = {50.9378, 4.0403};
  p.home.municipality = "Aalst";
  p.home.postal_code = "9300";
  p.transport_modes = {TransportMode::kBike};
  return p;
}

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : ViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

std::chrono::system_clock::time_point At(int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

TEST(CalendarDayTest, ParseAndFormat) {
  std::optional<CalendarDay> d = ParseCalendarDay("2024-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (CalendarDay{2024, 2, 29}));
  EXPECT_EQ(FormatCalendarDay(*d), "2024-02-29");
  EXPECT_EQ(FormatCalendarDay({987, 3, 5}), "0987-03-05");
  EXPECT_FALSE(ParseCalendarDay("2023-02-29"));  // not a leap year
  EXPECT_FALSE(ParseCalendarDay("2100-02-29"));  // century, not a leap year
  EXPECT_TRUE(ParseCalendarDay("2000-02-29"));   // 400th year is
  EXPECT_FALSE(ParseCalendarDay("2024-13-01"));
  EXPECT_FALSE(ParseCalendarDay("2024-04-31"));
  EXPECT_FALSE(ParseCalendarDay("2024-4-01"));
  EXPECT_FALSE(ParseCalendarDay("2024-04-01T00:00"));
  EXPECT_FALSE(ParseCalendarDay("2024/04/01"));
  EXPECT_FALSE(ParseCalendarDay(""));
}

TEST(CalendarDayTest, DayOfATimePoint) {
  EXPECT_EQ(CalendarDayOf(At(0)), (CalendarDay{1970, 1, 1}));
  EXPECT_EQ(CalendarDayOf(At(-1)), (CalendarDay{1969, 12, 31}));
  EXPECT_EQ(CalendarDayOf(At(951782400)), (CalendarDay{2000, 2, 29}));    // 00:00 UTC
  EXPECT_EQ(CalendarDayOf(At(1795478399)), (CalendarDay{2026, 11, 23}));  // 23:59:59
  EXPECT_EQ(CalendarDayOf(At(1795478400)), (CalendarDay{2026, 11, 24}));  // midnight
  EXPECT_EQ(CalendarDayOf(At(4107542400)), (CalendarDay{2100, 3, 1}));    // no 2100-02-29
}

TEST(CalendarDayTest, WholeMonths) {
  EXPECT_EQ(WholeMonthsBetween({2025, 1, 15}, {2025, 2, 14}), 0);
  EXPECT_EQ(WholeMonthsBetween({2025, 1, 15}, {2025, 2, 15}), 1);
  EXPECT_EQ(WholeMonthsBetween({2025, 1, 31}, {2025, 2, 28}), 0);
  EXPECT_EQ(WholeMonthsBetween({2025, 1, 31}, {2025, 3, 1}), 1);
  EXPECT_EQ(WholeMonthsBetween({2023, 11, 23}, {2026, 11, 23}), 36);
  EXPECT_EQ(WholeMonthsBetween({2026, 11, 23}, {2025, 1, 1}), 0);  // not later: 0
}

TEST(JobSeekerSinceTest, ValidationNamesTheField) {
  AnyConcept catalog;
  Participant p = ValidParticipant("p-1");
  ASSERT_TRUE(ValidateParticipant(p, catalog).ok());  // unknown is fine
  p.job_seeker_since = CalendarDay{2024, 3, 5};
  EXPECT_TRUE(ValidateParticipant(p, catalog).ok());
  p.job_seeker_since = CalendarDayOf(std::chrono::system_clock::now() - std::chrono::hours(24));
  EXPECT_TRUE(ValidateParticipant(p, catalog).ok());  // yesterday

  p.job_seeker_since = CalendarDay{2999, 1, 1};
  absl::Status s = ValidateParticipant(p, catalog);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(s), ElementsAre("participant.job_seeker_since"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("future"));

  // A week from now is after today in every time zone.
  p.job_seeker_since = CalendarDayOf(std::chrono::system_clock::now() + std::chrono::hours(24 * 7));
  EXPECT_THAT(Fields(ValidateParticipant(p, catalog)), ElementsAre("participant.job_seeker_since"));

  p.job_seeker_since = CalendarDay{2023, 2, 29};  // set directly, not through a parser
  EXPECT_THAT(Fields(ValidateParticipant(p, catalog)), ElementsAre("participant.job_seeker_since"));
}

TEST(JobSeekerSinceTest, JsonCodec) {
  Participant p = ValidParticipant("p-1");
  nlohmann::json unset = p;
  EXPECT_FALSE(unset.contains("job_seeker_since"));  // absent, as documents before it
  p.job_seeker_since = CalendarDay{2024, 3, 5};
  nlohmann::json j = p;
  EXPECT_EQ(j.at("job_seeker_since"), "2024-03-05");
  absl::StatusOr<Participant> back = FromJson<Participant>(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->job_seeker_since, (CalendarDay{2024, 3, 5}));

  absl::StatusOr<Participant> old = FromJson<Participant>(unset);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_FALSE(old->job_seeker_since.has_value());
  j["job_seeker_since"] = nullptr;
  ASSERT_TRUE(FromJson<Participant>(j).ok());
  EXPECT_FALSE(FromJson<Participant>(j)->job_seeker_since.has_value());

  j["job_seeker_since"] = "2024-02-30";
  absl::StatusOr<Participant> bad = FromJson<Participant>(j);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(bad.status()), ElementsAre("participant.job_seeker_since"));
  j["job_seeker_since"] = 20240305;
  EXPECT_THAT(Fields(FromJson<Participant>(j).status()),
              ElementsAre("participant.job_seeker_since"));
}

// The stored document of one participant, read with a separate raw connection.
std::string RawDoc(const std::string& path, const std::string& id) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::string doc;
  if (sqlite3_prepare_v2(db, "SELECT doc FROM participants WHERE id = ?", -1, &st, nullptr) ==
      SQLITE_OK) {
    sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
      doc = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return doc;
}

void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(JobSeekerSinceTest, SqliteRoundTripAndOldDocuments) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("carvematch-job-seeker-since-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "store.db").string();
  {
    auto repo = SqliteRepository::Open(path);
    ASSERT_TRUE(repo.ok()) << repo.status();
    ASSERT_TRUE((*repo)->EnsureOrganisation("org-a").ok());
    Participant waiting = ValidParticipant("p-waiting");
    waiting.job_seeker_since = CalendarDay{2023, 11, 2};
    ASSERT_TRUE((*repo)->CreateParticipant(waiting).ok());
    ASSERT_TRUE((*repo)->CreateParticipant(ValidParticipant("p-unknown")).ok());
    ASSERT_TRUE((*repo)->CreateParticipant(ValidParticipant("p-old")).ok());
  }
  EXPECT_THAT(RawDoc(path, "p-waiting"), HasSubstr("\"job_seeker_since\":\"2023-11-02\""));
  EXPECT_THAT(RawDoc(path, "p-unknown"), ::testing::Not(HasSubstr("job_seeker_since")));
  // A document as written before the field existed, edited into the file: no key at
  // all (the codec rejects unknown keys, so this is the only old shape).
  RawExec(path,
          "UPDATE participants SET doc = json_remove(doc, '$.job_seeker_since') "
          "WHERE id = 'p-old'");
  ASSERT_THAT(RawDoc(path, "p-old"), ::testing::Not(HasSubstr("job_seeker_since")));

  auto reopened = SqliteRepository::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  absl::StatusOr<Participant> waiting = (*reopened)->GetParticipant("p-waiting");
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->job_seeker_since, (CalendarDay{2023, 11, 2}));
  absl::StatusOr<Participant> unknown = (*reopened)->GetParticipant("p-unknown");
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->job_seeker_since.has_value());
  absl::StatusOr<Participant> old = (*reopened)->GetParticipant("p-old");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_FALSE(old->job_seeker_since.has_value());

  // Updating sets and clears it.
  absl::StatusOr<Participant> updated =
      (*reopened)->UpdateParticipant("p-old", [](Participant& p) -> absl::Status {
        p.job_seeker_since = CalendarDay{2025, 6, 30};
        return absl::OkStatus();
      });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ((*reopened)->GetParticipant("p-old")->job_seeker_since, (CalendarDay{2025, 6, 30}));
  ASSERT_TRUE((*reopened)
                  ->UpdateParticipant("p-old",
                                      [](Participant& p) -> absl::Status {
                                        p.job_seeker_since.reset();
                                        return absl::OkStatus();
                                      })
                  .ok());
  EXPECT_FALSE((*reopened)->GetParticipant("p-old")->job_seeker_since.has_value());
  reopened->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace carvematch
