// Value types shared by participants, employers and vacancies: places, times,
// language levels and the enumerations of the domain glossary (../DESIGN.md).
// Plain data: no I/O, no protobuf. Invariants are checked by model/validation.h.
#ifndef CARVEMATCH_MODEL_COMMON_H_
#define CARVEMATCH_MODEL_COMMON_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace carvematch {

// Enumerations mirror the API's enums value for value (UNSPECIFIED = 0), so the
// service layer converts with a checked cast.

enum class Weekday : int {
  kUnspecified = 0,
  kMonday,
  kTuesday,
  kWednesday,
  kThursday,
  kFriday,
  kSaturday,
  kSunday
};
inline constexpr int kDaysPerWeek = 7;
// 0 for Monday .. 6 for Sunday; the weekday must not be kUnspecified.
inline int DayIndex(Weekday d) { return static_cast<int>(d) - 1; }
std::string_view WeekdayName(Weekday d);

enum class TransportMode : int {
  kUnspecified = 0,
  kWalk,
  kBike,
  kEBike,
  kMoped,
  kCar,
  kPublicTransport
};
inline constexpr int kTransportModeCount = 6;
std::string_view TransportModeName(TransportMode m);

enum class EvidenceSource : int {
  kUnspecified = 0,
  kDiploma,
  kWork,
  kVolunteering,
  kCare,
  kYouthWork,
  kHobby,
  kWorkshopObservation,
  kTraining,
  kPartialCertificate,
  kForeignDiploma
};
std::string_view EvidenceSourceName(EvidenceSource s);

enum class TargetOutcome : int {
  kUnspecified = 0,
  kPaidJob,
  kTempWork,
  kIbo,
  kInternship,
  kVolunteering,
  kWijkwerken,
  kArticle60,
  kSocialEconomy
};
std::string_view TargetOutcomeName(TargetOutcome t);

enum class ContractType : int { kUnspecified = 0, kDay, kTemp, kFixedTerm, kOpenEnded };
std::string_view ContractTypeName(ContractType c);

enum class Accommodation : int {
  kUnspecified = 0,
  kLanguageCoaching,
  kMentor,
  kFlexibleStart,
  kCompanyTransport,
  kCarpool,
  kBikeLease,
  kChildcareSupport,
  kWorkplaceLearning
};
std::string_view AccommodationName(Accommodation a);

enum class TimeOfDay : int { kUnspecified = 0, kDay, kEarly, kLate, kNight };
std::string_view TimeOfDayName(TimeOfDay t);

enum class DiplomaLevel : int {
  kUnspecified = 0,
  kNone,
  kPrimary,
  kLowerSecondary,
  kSecondary,
  kBachelor,
  kMaster
};
std::string_view DiplomaLevelName(DiplomaLevel d);

// The four language skills; the index into LanguageLevels::levels.
enum class LanguageSkill : int { kListening = 0, kReading, kSpeaking, kWriting };
inline constexpr int kLanguageSkillCount = 4;
std::string_view LanguageSkillName(LanguageSkill s);

// CEFR levels as small integers: 0 = none, 1 = A1 ... 6 = C2.
enum class CefrLevel : int8_t { kNone = 0, kA1, kA2, kB1, kB2, kC1, kC2 };
std::string_view CefrName(CefrLevel l);
// Accepts CEFR ("A2", "b1") and the Flemish adult-education levels with the
// conventional mapping 1.1 = A1, 1.2 = A2, 2 = B1, 3 = B2, 4 = C1; "" and "none" are kNone.
absl::StatusOr<CefrLevel> ParseLanguageLevel(std::string_view text);

// A level per language skill (listening, reading, speaking, writing).
struct LanguageLevels {
  std::array<CefrLevel, kLanguageSkillCount> levels{};
  CefrLevel get(LanguageSkill s) const { return levels[static_cast<int>(s)]; }
  CefrLevel& at(LanguageSkill s) { return levels[static_cast<int>(s)]; }
  bool any() const;
  bool operator==(const LanguageLevels& o) const { return levels == o.levels; }
};

struct GeoPoint {
  double lat = 0;  // degrees, WGS84
  double lon = 0;
};

struct Location {
  GeoPoint point;
  std::string municipality;
  std::string postal_code;
};

// A span inside one week, in minutes since Monday 00:00 would lose the reader; the
// API speaks of a weekday and minutes since that day's midnight instead.
// end_minute may exceed 1440 for a span running past midnight (at most 24 h long).
struct WeeklySpan {
  Weekday day = Weekday::kUnspecified;
  int start_minute = 0;
  int end_minute = 0;
};

// A skill with a level 0..4 (0 = aware, 4 = expert), the unit of a talent profile
// and of a requirement.
struct SkillLevel {
  std::string skill_uri;  // ESCO skill URI
  int level = 1;
};

// "HH:MM" for minutes since midnight (wrapping past 24 h as "+1d").
std::string FormatMinutes(int minutes);

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_COMMON_H_
