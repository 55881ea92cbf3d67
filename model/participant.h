// A participant: a person supported by a coach, described only by what matters for
// work — a talent profile and the constraints of their life. By design there is no
// field for a name, nationality, religion, gender, diagnosis, criminal record or photo:
// needs are functional capacities ("no lifting over 10 kg"), never diagnoses.
#ifndef CARVEMATCH_MODEL_PARTICIPANT_H_
#define CARVEMATCH_MODEL_PARTICIPANT_H_

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/common.h"

namespace carvematch {

// One skill of the talent profile and where the evidence for it comes from: all
// experience counts (volunteering, care for family, youth work, hobbies, ...).
struct SkillClaim {
  std::string skill_uri;  // ESCO skill URI
  int level = 1;          // 0..4
  EvidenceSource source = EvidenceSource::kUnspecified;
  std::string note;  // free text about the evidence ("cooked for a youth camp")
};

struct OtherLanguage {
  std::string code;  // ISO 639-1 ("fr", "ar", "en")
  CefrLevel level = CefrLevel::kNone;
};

// A childcare arrangement: where the child is brought and when it is open. A
// weekday without an entry is a day the care is closed.
struct Childcare {
  std::string label;  // "school + after-school care"
  Location location;
  std::vector<WeeklySpan> opening_hours;
};

// What a person can do, as functional limits (never a diagnosis). Unset = no limit.
struct FunctionalCapacities {
  std::optional<int> max_lift_kg;
  bool prolonged_standing = true;
  bool night_work = true;
  bool customer_contact = true;
  bool working_alone = true;
  int digital_tools = 2;  // 0 (none) .. 4 (expert)
};

struct ConsentSettings {
  // Employers may see the anonymous candidate card (skills, fit, accommodations).
  bool share_anonymous_card = false;
  // Contact is made through the coach until the participant agrees to more.
  bool share_with_employers_after_match = false;
};

// A calendar day (proleptic Gregorian, no time zone): "the 3rd of March 2025".
struct CalendarDay {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31 (up to the month's length)

  bool operator==(const CalendarDay& o) const {
    return year == o.year && month == o.month && day == o.day;
  }
  bool operator<(const CalendarDay& o) const {
    if (year != o.year) return year < o.year;
    if (month != o.month) return month < o.month;
    return day < o.day;
  }
};

// Days in `month` (1..12) of `year`; 0 for a month out of range.
inline int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

inline bool IsValidCalendarDay(const CalendarDay& d) {
  return d.year >= 1 && d.year <= 9999 && d.day >= 1 && d.day <= DaysInMonth(d.year, d.month);
}

// "YYYY-MM-DD" (ISO 8601, exactly 10 characters); nullopt when malformed or not a
// real day ("2025-02-30").
inline std::optional<CalendarDay> ParseCalendarDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t from, size_t count, int* out) {
    int v = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  CalendarDay d;
  if (!number(0, 4, &d.year) || !number(5, 2, &d.month) || !number(8, 2, &d.day)) {
    return std::nullopt;
  }
  if (!IsValidCalendarDay(d)) return std::nullopt;
  return d;
}

// "YYYY-MM-DD".
inline std::string FormatCalendarDay(const CalendarDay& d) {
  std::string out(10, '0');
  auto put = [&](size_t at, size_t count, int v) {
    for (size_t i = 0; i < count; ++i) {
      out[at + count - 1 - i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, 4, d.year);
  out[4] = '-';
  put(5, 2, d.month);
  out[7] = '-';
  put(8, 2, d.day);
  return out;
}

// The UTC day of a point in time (days since 1970-01-01 to the civil date; the
// algorithm of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
inline CalendarDay CalendarDayOf(std::chrono::system_clock::time_point t) {
  const int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  int64_t days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
  days += 719468;  // shift the epoch to 0000-03-01
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;                                    // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // March = 0
  CalendarDay d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2 ? 1 : 0));
  return d;
}

// Whole months from `from` to `to` (0 when `to` is not later): 2025-01-31 to
// 2025-02-28 is 0 months, to 2025-03-01 is 1.
inline int WholeMonthsBetween(const CalendarDay& from, const CalendarDay& to) {
  int months = (to.year - from.year) * 12 + (to.month - from.month);
  if (to.day < from.day) --months;
  return months > 0 ? months : 0;
}

struct Participant {
  std::string id;               // "p-..." chosen by the client or generated
  std::string organisation_id;  // the coaching organisation that owns the record
  Location home;
  std::vector<TransportMode> transport_modes;
  std::vector<std::string> licences;  // driving licence categories: "B", "AM", "C"
  int max_commute_minutes = 45;
  std::vector<WeeklySpan> availability;
  std::vector<Childcare> childcare;
  double min_hours_per_week = 0;
  double max_hours_per_week = 38;
  std::vector<SkillClaim> skills;
  LanguageLevels dutch;
  std::vector<OtherLanguage> other_languages;
  FunctionalCapacities capacities;
  std::vector<std::string> exclusions;      // work settings to avoid: "private_homes"
  std::vector<std::string> wanted_sectors;  // sector codes, see Employer::sector
  std::vector<std::string> avoided_sectors;
  std::vector<std::string> wanted_occupations;   // ESCO occupation URIs
  std::vector<std::string> avoided_occupations;  // ESCO occupation URIs
  std::vector<TargetOutcome> target_outcomes;
  ConsentSettings consent;
  // Registered as a job seeker since this day (the public employment service's
  // registration date); unknown when unset. Not in the future. Feeds the waiting time of
  // the anti-creaming objective (docs/assignment.md).
  std::optional<CalendarDay> job_seeker_since;
  int64_t create_time_unix = 0;  // set by the store
  int64_t update_time_unix = 0;

  bool HasMode(TransportMode m) const;
  bool HasLicence(const std::string& category) const;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_PARTICIPANT_H_
