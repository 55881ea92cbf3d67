// JSON encoding of the domain types (model/): the storage format of the SQLite
// repository (one JSON document per resource) and a convenient import format for the
// command line.
//
// The encoding:
//   - field names are the C++ member names, which are the API's snake_case names;
//   - enums are lower-case snake_case tokens ("public_transport", "fixed_term",
//     "unspecified"); decoding also accepts the enum's integer value;
//   - CEFR levels are "none", "A1" .. "C2"; decoding also accepts the Flemish levels
//     ("1.2") and the integers 0..6;
//   - LanguageLevels is an object {"listening", "reading", "speaking", "writing"};
//   - an unset std::optional is JSON null (or an absent key);
//   - doubles are written with enough digits to round-trip exactly.
// Encoding then decoding gives back an equal value, field for field.
//
// Decoding is strict about what is present and lenient about what is absent: an
// unknown key or a value of the wrong type is InvalidArgument carrying a field
// violation with the path ("participant.skills[2].level"); an absent key keeps the
// member's default.
//
// Example usage:
//   nlohmann::json j = participant;                        // to_json
//   ASSIGN_OR_RETURN(Participant back, FromJson<Participant>(j));
//   ASSIGN_OR_RETURN(nlohmann::json doc, ParseJson(file_text));
#ifndef CARVEMATCH_STORAGE_JSON_CODEC_H_
#define CARVEMATCH_STORAGE_JSON_CODEC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "model/common.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"
#include "nlohmann/json.hpp"

namespace carvematch {

// nlohmann::json's ADL hooks: `nlohmann::json j = value;` works for each of these.
void to_json(nlohmann::json& j, const LanguageLevels& v);
void to_json(nlohmann::json& j, const GeoPoint& v);
void to_json(nlohmann::json& j, const Location& v);
void to_json(nlohmann::json& j, const WeeklySpan& v);
void to_json(nlohmann::json& j, const SkillLevel& v);
void to_json(nlohmann::json& j, const SkillClaim& v);
void to_json(nlohmann::json& j, const OtherLanguage& v);
void to_json(nlohmann::json& j, const Childcare& v);
void to_json(nlohmann::json& j, const FunctionalCapacities& v);
void to_json(nlohmann::json& j, const ConsentSettings& v);
void to_json(nlohmann::json& j, const Participant& v);
void to_json(nlohmann::json& j, const Site& v);
void to_json(nlohmann::json& j, const Employer& v);
void to_json(nlohmann::json& j, const SkillRequirement& v);
void to_json(nlohmann::json& j, const Task& v);
void to_json(nlohmann::json& j, const StatedRequirements& v);
void to_json(nlohmann::json& j, const Vacancy& v);

// Decodes `j` into a T. Defined for every type that has a to_json above. `root` is the
// first segment of the field paths in errors; empty means the type's snake_case name
// ("participant", "vacancy", ...). Never throws.
template <typename T>
absl::StatusOr<T> FromJson(const nlohmann::json& j, const std::string& root = "");

// Parses JSON text; InvalidArgument with the byte offset on a syntax error. Never throws.
absl::StatusOr<nlohmann::json> ParseJson(std::string_view text);

// The enum tokens used by the encoding ("public_transport"), for messages and tools.
std::string_view EnumToken(Weekday v);
std::string_view EnumToken(TransportMode v);
std::string_view EnumToken(EvidenceSource v);
std::string_view EnumToken(TargetOutcome v);
std::string_view EnumToken(ContractType v);
std::string_view EnumToken(Accommodation v);
std::string_view EnumToken(TimeOfDay v);
std::string_view EnumToken(DiplomaLevel v);
std::string_view EnumToken(VacancyStatus v);

}  // namespace carvematch

#endif  // CARVEMATCH_STORAGE_JSON_CODEC_H_
