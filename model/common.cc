#include "model/common.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace carvematch {

std::string_view WeekdayName(Weekday d) {
  switch (d) {
    case Weekday::kMonday:
      return "Monday";
    case Weekday::kTuesday:
      return "Tuesday";
    case Weekday::kWednesday:
      return "Wednesday";
    case Weekday::kThursday:
      return "Thursday";
    case Weekday::kFriday:
      return "Friday";
    case Weekday::kSaturday:
      return "Saturday";
    case Weekday::kSunday:
      return "Sunday";
    case Weekday::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view TransportModeName(TransportMode m) {
  switch (m) {
    case TransportMode::kWalk:
      return "walk";
    case TransportMode::kBike:
      return "bike";
    case TransportMode::kEBike:
      return "e-bike";
    case TransportMode::kMoped:
      return "moped";
    case TransportMode::kCar:
      return "car";
    case TransportMode::kPublicTransport:
      return "public transport";
    case TransportMode::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view EvidenceSourceName(EvidenceSource s) {
  switch (s) {
    case EvidenceSource::kDiploma:
      return "diploma";
    case EvidenceSource::kWork:
      return "work";
    case EvidenceSource::kVolunteering:
      return "volunteering";
    case EvidenceSource::kCare:
      return "care for family";
    case EvidenceSource::kYouthWork:
      return "youth work";
    case EvidenceSource::kHobby:
      return "hobby";
    case EvidenceSource::kWorkshopObservation:
      return "workshop observation";
    case EvidenceSource::kTraining:
      return "training";
    case EvidenceSource::kPartialCertificate:
      return "partial certificate";
    case EvidenceSource::kForeignDiploma:
      return "foreign diploma";
    case EvidenceSource::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view TargetOutcomeName(TargetOutcome t) {
  switch (t) {
    case TargetOutcome::kPaidJob:
      return "paid job";
    case TargetOutcome::kTempWork:
      return "temp work";
    case TargetOutcome::kIbo:
      return "IBO (training on the job)";
    case TargetOutcome::kInternship:
      return "internship";
    case TargetOutcome::kVolunteering:
      return "volunteering";
    case TargetOutcome::kWijkwerken:
      return "wijkwerken";
    case TargetOutcome::kArticle60:
      return "article 60";
    case TargetOutcome::kSocialEconomy:
      return "social economy";
    case TargetOutcome::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view ContractTypeName(ContractType c) {
  switch (c) {
    case ContractType::kDay:
      return "day contract";
    case ContractType::kTemp:
      return "temp";
    case ContractType::kFixedTerm:
      return "fixed term";
    case ContractType::kOpenEnded:
      return "open-ended";
    case ContractType::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view AccommodationName(Accommodation a) {
  switch (a) {
    case Accommodation::kLanguageCoaching:
      return "language coaching on the floor";
    case Accommodation::kMentor:
      return "mentor";
    case Accommodation::kFlexibleStart:
      return "flexible start";
    case Accommodation::kCompanyTransport:
      return "company transport";
    case Accommodation::kCarpool:
      return "carpool";
    case Accommodation::kBikeLease:
      return "bike lease";
    case Accommodation::kChildcareSupport:
      return "childcare support";
    case Accommodation::kWorkplaceLearning:
      return "workplace learning";
    case Accommodation::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view TimeOfDayName(TimeOfDay t) {
  switch (t) {
    case TimeOfDay::kDay:
      return "day";
    case TimeOfDay::kEarly:
      return "early";
    case TimeOfDay::kLate:
      return "late";
    case TimeOfDay::kNight:
      return "night";
    case TimeOfDay::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view DiplomaLevelName(DiplomaLevel d) {
  switch (d) {
    case DiplomaLevel::kNone:
      return "none";
    case DiplomaLevel::kPrimary:
      return "primary school";
    case DiplomaLevel::kLowerSecondary:
      return "lower secondary";
    case DiplomaLevel::kSecondary:
      return "secondary";
    case DiplomaLevel::kBachelor:
      return "bachelor";
    case DiplomaLevel::kMaster:
      return "master";
    case DiplomaLevel::kUnspecified:
      break;
  }
  return "unspecified";
}

std::string_view LanguageSkillName(LanguageSkill s) {
  switch (s) {
    case LanguageSkill::kListening:
      return "listening";
    case LanguageSkill::kReading:
      return "reading";
    case LanguageSkill::kSpeaking:
      return "speaking";
    case LanguageSkill::kWriting:
      return "writing";
  }
  return "unknown";
}

std::string_view CefrName(CefrLevel l) {
  switch (l) {
    case CefrLevel::kNone:
      return "none";
    case CefrLevel::kA1:
      return "A1";
    case CefrLevel::kA2:
      return "A2";
    case CefrLevel::kB1:
      return "B1";
    case CefrLevel::kB2:
      return "B2";
    case CefrLevel::kC1:
      return "C1";
    case CefrLevel::kC2:
      return "C2";
  }
  return "unknown";
}

absl::StatusOr<CefrLevel> ParseLanguageLevel(std::string_view text) {
  // Debian's abseil is built as C++14, so absl::string_view is not std::string_view.
  absl::string_view view(text.data(), text.size());
  std::string t = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(view));
  if (t.empty() || t == "NONE" || t == "0") return CefrLevel::kNone;
  static constexpr std::pair<const char*, CefrLevel> kNames[] = {
      {"A1", CefrLevel::kA1},
      {"A2", CefrLevel::kA2},
      {"B1", CefrLevel::kB1},
      {"B2", CefrLevel::kB2},
      {"C1", CefrLevel::kC1},
      {"C2", CefrLevel::kC2},
      // Flemish adult-education levels (richtgraden), conventional mapping.
      {"1.1", CefrLevel::kA1},
      {"1.2", CefrLevel::kA2},
      {"2", CefrLevel::kB1},
      {"3", CefrLevel::kB2},
      {"4", CefrLevel::kC1}};
  for (const auto& [name, level] : kNames) {
    if (t == name) return level;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown language level \"", view,
                   "\": use CEFR A1..C2 or the Flemish levels 1.1, 1.2, 2, 3, 4"));
}

bool LanguageLevels::any() const {
  for (CefrLevel l : levels) {
    if (l != CefrLevel::kNone) return true;
  }
  return false;
}

std::string FormatMinutes(int minutes) {
  int day = minutes / 1440;
  int m = minutes % 1440;
  std::string s = absl::StrFormat("%02d:%02d", m / 60, m % 60);
  if (day > 0) absl::StrAppend(&s, "+", day, "d");
  return s;
}

}  // namespace carvematch
