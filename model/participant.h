// A participant: a person supported by a coach, described only by what matters for
// work — a talent profile and the constraints of their life. By design there is no
// field for a name, nationality, religion, gender, diagnosis, criminal record or photo:
// needs are functional capacities ("no lifting over 10 kg"), never diagnoses.
#ifndef CARVEMATCH_MODEL_PARTICIPANT_H_
#define CARVEMATCH_MODEL_PARTICIPANT_H_

#include <array>
#include <optional>
#include <string>
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
  int64_t create_time_unix = 0;  // set by the store
  int64_t update_time_unix = 0;

  bool HasMode(TransportMode m) const;
  bool HasLicence(const std::string& category) const;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_PARTICIPANT_H_
