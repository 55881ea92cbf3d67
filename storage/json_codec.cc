#include "storage/json_codec.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {
namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------
// Enum tokens. Each table lists every enumerator once; the token of kUnspecified is
// "unspecified".

template <typename E>
struct EnumEntry {
  E value;
  const char* token;
};

constexpr EnumEntry<Weekday> kWeekdays[] = {
    {Weekday::kUnspecified, "unspecified"}, {Weekday::kMonday, "monday"},
    {Weekday::kTuesday, "tuesday"},         {Weekday::kWednesday, "wednesday"},
    {Weekday::kThursday, "thursday"},       {Weekday::kFriday, "friday"},
    {Weekday::kSaturday, "saturday"},       {Weekday::kSunday, "sunday"}};

constexpr EnumEntry<TransportMode> kTransportModes[] = {
    {TransportMode::kUnspecified, "unspecified"},
    {TransportMode::kWalk, "walk"},
    {TransportMode::kBike, "bike"},
    {TransportMode::kEBike, "e_bike"},
    {TransportMode::kMoped, "moped"},
    {TransportMode::kCar, "car"},
    {TransportMode::kPublicTransport, "public_transport"}};

constexpr EnumEntry<EvidenceSource> kEvidenceSources[] = {
    {EvidenceSource::kUnspecified, "unspecified"},
    {EvidenceSource::kDiploma, "diploma"},
    {EvidenceSource::kWork, "work"},
    {EvidenceSource::kVolunteering, "volunteering"},
    {EvidenceSource::kCare, "care"},
    {EvidenceSource::kYouthWork, "youth_work"},
    {EvidenceSource::kHobby, "hobby"},
    {EvidenceSource::kWorkshopObservation, "workshop_observation"},
    {EvidenceSource::kTraining, "training"},
    {EvidenceSource::kPartialCertificate, "partial_certificate"},
    {EvidenceSource::kForeignDiploma, "foreign_diploma"}};

constexpr EnumEntry<TargetOutcome> kTargetOutcomes[] = {
    {TargetOutcome::kUnspecified, "unspecified"},
    {TargetOutcome::kPaidJob, "paid_job"},
    {TargetOutcome::kTempWork, "temp_work"},
    {TargetOutcome::kIbo, "ibo"},
    {TargetOutcome::kInternship, "internship"},
    {TargetOutcome::kVolunteering, "volunteering"},
    {TargetOutcome::kWijkwerken, "wijkwerken"},
    {TargetOutcome::kArticle60, "article_60"},
    {TargetOutcome::kSocialEconomy, "social_economy"}};

constexpr EnumEntry<ContractType> kContractTypes[] = {{ContractType::kUnspecified, "unspecified"},
                                                      {ContractType::kDay, "day"},
                                                      {ContractType::kTemp, "temp"},
                                                      {ContractType::kFixedTerm, "fixed_term"},
                                                      {ContractType::kOpenEnded, "open_ended"}};

constexpr EnumEntry<Accommodation> kAccommodations[] = {
    {Accommodation::kUnspecified, "unspecified"},
    {Accommodation::kLanguageCoaching, "language_coaching"},
    {Accommodation::kMentor, "mentor"},
    {Accommodation::kFlexibleStart, "flexible_start"},
    {Accommodation::kCompanyTransport, "company_transport"},
    {Accommodation::kCarpool, "carpool"},
    {Accommodation::kBikeLease, "bike_lease"},
    {Accommodation::kChildcareSupport, "childcare_support"},
    {Accommodation::kWorkplaceLearning, "workplace_learning"}};

constexpr EnumEntry<TimeOfDay> kTimesOfDay[] = {{TimeOfDay::kUnspecified, "unspecified"},
                                                {TimeOfDay::kDay, "day"},
                                                {TimeOfDay::kEarly, "early"},
                                                {TimeOfDay::kLate, "late"},
                                                {TimeOfDay::kNight, "night"}};

constexpr EnumEntry<DiplomaLevel> kDiplomaLevels[] = {
    {DiplomaLevel::kUnspecified, "unspecified"},
    {DiplomaLevel::kNone, "none"},
    {DiplomaLevel::kPrimary, "primary"},
    {DiplomaLevel::kLowerSecondary, "lower_secondary"},
    {DiplomaLevel::kSecondary, "secondary"},
    {DiplomaLevel::kBachelor, "bachelor"},
    {DiplomaLevel::kMaster, "master"}};

constexpr EnumEntry<VacancyStatus> kVacancyStatuses[] = {
    {VacancyStatus::kUnspecified, "unspecified"},
    {VacancyStatus::kOpen, "open"},
    {VacancyStatus::kClosed, "closed"}};

template <typename E, size_t N>
std::string_view TokenOf(const EnumEntry<E> (&table)[N], E v) {
  for (const auto& e : table) {
    if (e.value == v) return e.token;
  }
  return "unknown";
}

// ---------------------------------------------------------------------------
// Decoding. Errors are thrown as DecodeError inside this file only and turned into
// an InvalidArgument status by FromJson.

struct DecodeError {
  std::string path;
  std::string message;
};

class Decoder {
 public:
  explicit Decoder(std::string root) : path_(std::move(root)) {}

  // Runs `fn` with `segment` appended to the path ("name" or "[3]").
  template <typename Fn>
  void Nested(const std::string& segment, Fn&& fn) {
    size_t saved = path_.size();
    if (!path_.empty() && !segment.empty() && segment.front() != '[') path_ += '.';
    path_ += segment;
    fn();
    path_.resize(saved);
  }

  [[noreturn]] void Fail(std::string message) const {
    throw DecodeError{path_, std::move(message)};
  }

 private:
  std::string path_;
};

const char* TypeName(const json& j) { return j.type_name(); }

void Decode(Decoder& d, const json& j, bool* out) {
  if (!j.is_boolean()) d.Fail(absl::StrCat("expected a boolean, got ", TypeName(j)));
  *out = j.get<bool>();
}

template <typename Int>
void DecodeInteger(Decoder& d, const json& j, Int* out) {
  if (j.is_number_unsigned()) {
    uint64_t v = j.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<Int>::max())) d.Fail("integer out of range");
    *out = static_cast<Int>(v);
    return;
  }
  if (!j.is_number_integer()) d.Fail(absl::StrCat("expected an integer, got ", TypeName(j)));
  int64_t v = j.get<int64_t>();
  if (v < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
      v > static_cast<int64_t>(std::numeric_limits<Int>::max())) {
    d.Fail("integer out of range");
  }
  *out = static_cast<Int>(v);
}

void Decode(Decoder& d, const json& j, int* out) { DecodeInteger(d, j, out); }
void Decode(Decoder& d, const json& j, int64_t* out) { DecodeInteger(d, j, out); }

void Decode(Decoder& d, const json& j, double* out) {
  if (!j.is_number()) d.Fail(absl::StrCat("expected a number, got ", TypeName(j)));
  *out = j.get<double>();
}

void Decode(Decoder& d, const json& j, std::string* out) {
  if (!j.is_string()) d.Fail(absl::StrCat("expected a string, got ", TypeName(j)));
  *out = j.get<std::string>();
}

// A day as "YYYY-MM-DD".
void Decode(Decoder& d, const json& j, CalendarDay* out) {
  if (!j.is_string()) d.Fail(absl::StrCat("expected a day \"YYYY-MM-DD\", got ", TypeName(j)));
  std::optional<CalendarDay> day = ParseCalendarDay(j.get_ref<const std::string&>());
  if (!day) {
    d.Fail(absl::StrCat("\"", j.get_ref<const std::string&>(), "\" is not a YYYY-MM-DD day"));
  }
  *out = *day;
}

template <typename E, size_t N>
void DecodeEnum(Decoder& d, const json& j, const EnumEntry<E> (&table)[N], E* out) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    for (const auto& e : table) {
      if (s == e.token) {
        *out = e.value;
        return;
      }
    }
    std::string allowed;
    for (const auto& e : table) absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", e.token);
    d.Fail(absl::StrCat("unknown value \"", s, "\"; expected one of ", allowed));
  }
  if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    for (const auto& e : table) {
      if (static_cast<int64_t>(e.value) == v) {
        *out = e.value;
        return;
      }
    }
    d.Fail(absl::StrCat("unknown enum value ", v));
  }
  d.Fail(absl::StrCat("expected an enum name or number, got ", TypeName(j)));
}

void Decode(Decoder& d, const json& j, Weekday* out) { DecodeEnum(d, j, kWeekdays, out); }
void Decode(Decoder& d, const json& j, TransportMode* out) {
  DecodeEnum(d, j, kTransportModes, out);
}
void Decode(Decoder& d, const json& j, EvidenceSource* out) {
  DecodeEnum(d, j, kEvidenceSources, out);
}
void Decode(Decoder& d, const json& j, TargetOutcome* out) {
  DecodeEnum(d, j, kTargetOutcomes, out);
}
void Decode(Decoder& d, const json& j, ContractType* out) { DecodeEnum(d, j, kContractTypes, out); }
void Decode(Decoder& d, const json& j, Accommodation* out) {
  DecodeEnum(d, j, kAccommodations, out);
}
void Decode(Decoder& d, const json& j, TimeOfDay* out) { DecodeEnum(d, j, kTimesOfDay, out); }
void Decode(Decoder& d, const json& j, DiplomaLevel* out) { DecodeEnum(d, j, kDiplomaLevels, out); }
void Decode(Decoder& d, const json& j, VacancyStatus* out) {
  DecodeEnum(d, j, kVacancyStatuses, out);
}

void Decode(Decoder& d, const json& j, CefrLevel* out) {
  if (j.is_string()) {
    absl::StatusOr<CefrLevel> level = ParseLanguageLevel(j.get_ref<const std::string&>());
    if (!level.ok()) d.Fail(std::string(level.status().message()));
    *out = *level;
    return;
  }
  if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v < 0 || v > static_cast<int64_t>(CefrLevel::kC2)) d.Fail("CEFR level out of range 0..6");
    *out = static_cast<CefrLevel>(v);
    return;
  }
  d.Fail(absl::StrCat("expected a language level, got ", TypeName(j)));
}

template <typename T>
void Decode(Decoder& d, const json& j, std::optional<T>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  T value{};
  Decode(d, j, &value);
  *out = std::move(value);
}

template <typename T>
void Decode(Decoder& d, const json& j, std::vector<T>* out) {
  if (!j.is_array()) d.Fail(absl::StrCat("expected an array, got ", TypeName(j)));
  out->clear();
  out->reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    T value{};
    d.Nested(absl::StrCat("[", i, "]"), [&] { Decode(d, j[i], &value); });
    out->push_back(std::move(value));
  }
}

// Reads the members of one JSON object; Finish() rejects keys nobody asked for.
class ObjectReader {
 public:
  ObjectReader(Decoder& d, const json& j) : d_(d), j_(j) {
    if (!j.is_object()) d.Fail(absl::StrCat("expected an object, got ", TypeName(j)));
  }

  template <typename T>
  ObjectReader& Field(const char* key, T* out) {
    known_.push_back(key);
    auto it = j_.find(key);
    if (it != j_.end()) d_.Nested(key, [&] { Decode(d_, *it, out); });
    return *this;
  }

  void Finish() {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      bool found = false;
      for (const char* k : known_) {
        if (it.key() == k) {
          found = true;
          break;
        }
      }
      if (!found) d_.Nested(it.key(), [&] { d_.Fail("unknown field"); });
    }
  }

 private:
  Decoder& d_;
  const json& j_;
  std::vector<const char*> known_;
};

void Decode(Decoder& d, const json& j, LanguageLevels* out) {
  ObjectReader r(d, j);
  r.Field("listening", &out->at(LanguageSkill::kListening))
      .Field("reading", &out->at(LanguageSkill::kReading))
      .Field("speaking", &out->at(LanguageSkill::kSpeaking))
      .Field("writing", &out->at(LanguageSkill::kWriting));
  r.Finish();
}

void Decode(Decoder& d, const json& j, GeoPoint* out) {
  ObjectReader r(d, j);
  r.Field("lat", &out->lat).Field("lon", &out->lon);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Location* out) {
  ObjectReader r(d, j);
  r.Field("point", &out->point)
      .Field("municipality", &out->municipality)
      .Field("postal_code", &out->postal_code);
  r.Finish();
}

void Decode(Decoder& d, const json& j, WeeklySpan* out) {
  ObjectReader r(d, j);
  r.Field("day", &out->day)
      .Field("start_minute", &out->start_minute)
      .Field("end_minute", &out->end_minute);
  r.Finish();
}

void Decode(Decoder& d, const json& j, SkillLevel* out) {
  ObjectReader r(d, j);
  r.Field("skill_uri", &out->skill_uri).Field("level", &out->level);
  r.Finish();
}

void Decode(Decoder& d, const json& j, SkillClaim* out) {
  ObjectReader r(d, j);
  r.Field("skill_uri", &out->skill_uri)
      .Field("level", &out->level)
      .Field("source", &out->source)
      .Field("note", &out->note);
  r.Finish();
}

void Decode(Decoder& d, const json& j, OtherLanguage* out) {
  ObjectReader r(d, j);
  r.Field("code", &out->code).Field("level", &out->level);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Childcare* out) {
  ObjectReader r(d, j);
  r.Field("label", &out->label)
      .Field("location", &out->location)
      .Field("opening_hours", &out->opening_hours);
  r.Finish();
}

void Decode(Decoder& d, const json& j, FunctionalCapacities* out) {
  ObjectReader r(d, j);
  r.Field("max_lift_kg", &out->max_lift_kg)
      .Field("prolonged_standing", &out->prolonged_standing)
      .Field("night_work", &out->night_work)
      .Field("customer_contact", &out->customer_contact)
      .Field("working_alone", &out->working_alone)
      .Field("digital_tools", &out->digital_tools);
  r.Finish();
}

void Decode(Decoder& d, const json& j, ConsentSettings* out) {
  ObjectReader r(d, j);
  r.Field("share_anonymous_card", &out->share_anonymous_card)
      .Field("share_with_employers_after_match", &out->share_with_employers_after_match);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Participant* out) {
  ObjectReader r(d, j);
  r.Field("id", &out->id)
      .Field("organisation_id", &out->organisation_id)
      .Field("home", &out->home)
      .Field("transport_modes", &out->transport_modes)
      .Field("licences", &out->licences)
      .Field("max_commute_minutes", &out->max_commute_minutes)
      .Field("availability", &out->availability)
      .Field("childcare", &out->childcare)
      .Field("min_hours_per_week", &out->min_hours_per_week)
      .Field("max_hours_per_week", &out->max_hours_per_week)
      .Field("skills", &out->skills)
      .Field("dutch", &out->dutch)
      .Field("other_languages", &out->other_languages)
      .Field("capacities", &out->capacities)
      .Field("exclusions", &out->exclusions)
      .Field("wanted_sectors", &out->wanted_sectors)
      .Field("avoided_sectors", &out->avoided_sectors)
      .Field("wanted_occupations", &out->wanted_occupations)
      .Field("avoided_occupations", &out->avoided_occupations)
      .Field("target_outcomes", &out->target_outcomes)
      .Field("consent", &out->consent)
      .Field("job_seeker_since", &out->job_seeker_since)
      .Field("create_time_unix", &out->create_time_unix)
      .Field("update_time_unix", &out->update_time_unix);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Site* out) {
  ObjectReader r(d, j);
  r.Field("id", &out->id).Field("name", &out->name).Field("location", &out->location);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Employer* out) {
  ObjectReader r(d, j);
  r.Field("id", &out->id)
      .Field("organisation_id", &out->organisation_id)
      .Field("display_name", &out->display_name)
      .Field("sector", &out->sector)
      .Field("sites", &out->sites)
      .Field("create_time_unix", &out->create_time_unix)
      .Field("update_time_unix", &out->update_time_unix);
  r.Finish();
}

void Decode(Decoder& d, const json& j, SkillRequirement* out) {
  ObjectReader r(d, j);
  r.Field("skill_uri", &out->skill_uri)
      .Field("level", &out->level)
      .Field("essential", &out->essential);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Task* out) {
  ObjectReader r(d, j);
  r.Field("id", &out->id)
      .Field("description", &out->description)
      .Field("hours_per_week", &out->hours_per_week)
      .Field("skills", &out->skills)
      .Field("dutch", &out->dutch)
      .Field("lift_kg", &out->lift_kg)
      .Field("prolonged_standing", &out->prolonged_standing)
      .Field("licence", &out->licence)
      .Field("reserved_to_qualification", &out->reserved_to_qualification)
      .Field("time_of_day", &out->time_of_day)
      .Field("alongside_colleagues", &out->alongside_colleagues)
      .Field("customer_contact", &out->customer_contact)
      .Field("digital_tools", &out->digital_tools);
  r.Finish();
}

void Decode(Decoder& d, const json& j, StatedRequirements* out) {
  ObjectReader r(d, j);
  r.Field("diploma", &out->diploma)
      .Field("dutch", &out->dutch)
      .Field("licences", &out->licences)
      .Field("experience_years", &out->experience_years)
      .Field("skills", &out->skills);
  r.Finish();
}

void Decode(Decoder& d, const json& j, Vacancy* out) {
  ObjectReader r(d, j);
  r.Field("id", &out->id)
      .Field("employer_id", &out->employer_id)
      .Field("site_id", &out->site_id)
      .Field("title", &out->title)
      .Field("occupation_uri", &out->occupation_uri)
      .Field("shifts", &out->shifts)
      .Field("hours_per_week", &out->hours_per_week)
      .Field("contract_type", &out->contract_type)
      .Field("outcome", &out->outcome)
      .Field("predictable_schedule", &out->predictable_schedule)
      .Field("stated", &out->stated)
      .Field("tasks", &out->tasks)
      .Field("accommodations", &out->accommodations)
      .Field("work_settings", &out->work_settings)
      .Field("capacity", &out->capacity)
      .Field("hourly_cost_eur", &out->hourly_cost_eur)
      .Field("status", &out->status)
      .Field("carved_from", &out->carved_from)
      .Field("create_time_unix", &out->create_time_unix)
      .Field("update_time_unix", &out->update_time_unix);
  r.Finish();
}

template <typename T>
const char* RootName();
template <>
const char* RootName<LanguageLevels>() {
  return "language_levels";
}
template <>
const char* RootName<GeoPoint>() {
  return "point";
}
template <>
const char* RootName<Location>() {
  return "location";
}
template <>
const char* RootName<WeeklySpan>() {
  return "span";
}
template <>
const char* RootName<SkillLevel>() {
  return "skill";
}
template <>
const char* RootName<SkillClaim>() {
  return "skill";
}
template <>
const char* RootName<OtherLanguage>() {
  return "language";
}
template <>
const char* RootName<Childcare>() {
  return "childcare";
}
template <>
const char* RootName<FunctionalCapacities>() {
  return "capacities";
}
template <>
const char* RootName<ConsentSettings>() {
  return "consent";
}
template <>
const char* RootName<Participant>() {
  return "participant";
}
template <>
const char* RootName<Site>() {
  return "site";
}
template <>
const char* RootName<Employer>() {
  return "employer";
}
template <>
const char* RootName<SkillRequirement>() {
  return "requirement";
}
template <>
const char* RootName<Task>() {
  return "task";
}
template <>
const char* RootName<StatedRequirements>() {
  return "stated";
}
template <>
const char* RootName<Vacancy>() {
  return "vacancy";
}

// Encodes an enum as its token.
template <typename E, size_t N>
json EnumJson(const EnumEntry<E> (&table)[N], E v) {
  return json(std::string(TokenOf(table, v)));
}

template <typename E, size_t N>
json EnumArray(const EnumEntry<E> (&table)[N], const std::vector<E>& values) {
  json a = json::array();
  for (E v : values) a.push_back(EnumJson(table, v));
  return a;
}

json CefrJson(CefrLevel l) { return json(std::string(CefrName(l))); }

template <typename T>
json OptionalJson(const std::optional<T>& v) {
  return v.has_value() ? json(*v) : json(nullptr);
}

}  // namespace

// ---------------------------------------------------------------------------
// Encoding.

void to_json(json& j, const LanguageLevels& v) {
  j = json{{"listening", CefrJson(v.get(LanguageSkill::kListening))},
           {"reading", CefrJson(v.get(LanguageSkill::kReading))},
           {"speaking", CefrJson(v.get(LanguageSkill::kSpeaking))},
           {"writing", CefrJson(v.get(LanguageSkill::kWriting))}};
}

void to_json(json& j, const GeoPoint& v) { j = json{{"lat", v.lat}, {"lon", v.lon}}; }

void to_json(json& j, const Location& v) {
  j = json{{"point", v.point}, {"municipality", v.municipality}, {"postal_code", v.postal_code}};
}

void to_json(json& j, const WeeklySpan& v) {
  j = json{{"day", EnumJson(kWeekdays, v.day)},
           {"start_minute", v.start_minute},
           {"end_minute", v.end_minute}};
}

void to_json(json& j, const SkillLevel& v) {
  j = json{{"skill_uri", v.skill_uri}, {"level", v.level}};
}

void to_json(json& j, const SkillClaim& v) {
  j = json{{"skill_uri", v.skill_uri},
           {"level", v.level},
           {"source", EnumJson(kEvidenceSources, v.source)},
           {"note", v.note}};
}

void to_json(json& j, const OtherLanguage& v) {
  j = json{{"code", v.code}, {"level", CefrJson(v.level)}};
}

void to_json(json& j, const Childcare& v) {
  j = json{{"label", v.label}, {"location", v.location}, {"opening_hours", v.opening_hours}};
}

void to_json(json& j, const FunctionalCapacities& v) {
  j = json{{"max_lift_kg", OptionalJson(v.max_lift_kg)},
           {"prolonged_standing", v.prolonged_standing},
           {"night_work", v.night_work},
           {"customer_contact", v.customer_contact},
           {"working_alone", v.working_alone},
           {"digital_tools", v.digital_tools}};
}

void to_json(json& j, const ConsentSettings& v) {
  j = json{{"share_anonymous_card", v.share_anonymous_card},
           {"share_with_employers_after_match", v.share_with_employers_after_match}};
}

void to_json(json& j, const Participant& v) {
  j = json{{"id", v.id},
           {"organisation_id", v.organisation_id},
           {"home", v.home},
           {"transport_modes", EnumArray(kTransportModes, v.transport_modes)},
           {"licences", v.licences},
           {"max_commute_minutes", v.max_commute_minutes},
           {"availability", v.availability},
           {"childcare", v.childcare},
           {"min_hours_per_week", v.min_hours_per_week},
           {"max_hours_per_week", v.max_hours_per_week},
           {"skills", v.skills},
           {"dutch", v.dutch},
           {"other_languages", v.other_languages},
           {"capacities", v.capacities},
           {"exclusions", v.exclusions},
           {"wanted_sectors", v.wanted_sectors},
           {"avoided_sectors", v.avoided_sectors},
           {"wanted_occupations", v.wanted_occupations},
           {"avoided_occupations", v.avoided_occupations},
           {"target_outcomes", EnumArray(kTargetOutcomes, v.target_outcomes)},
           {"consent", v.consent},
           {"create_time_unix", v.create_time_unix},
           {"update_time_unix", v.update_time_unix}};
  // Only when known: documents of participants without it stay as they were.
  if (v.job_seeker_since) j["job_seeker_since"] = FormatCalendarDay(*v.job_seeker_since);
}

void to_json(json& j, const Site& v) {
  j = json{{"id", v.id}, {"name", v.name}, {"location", v.location}};
}

void to_json(json& j, const Employer& v) {
  j = json{{"id", v.id},
           {"organisation_id", v.organisation_id},
           {"display_name", v.display_name},
           {"sector", v.sector},
           {"sites", v.sites},
           {"create_time_unix", v.create_time_unix},
           {"update_time_unix", v.update_time_unix}};
}

void to_json(json& j, const SkillRequirement& v) {
  j = json{{"skill_uri", v.skill_uri}, {"level", v.level}, {"essential", v.essential}};
}

void to_json(json& j, const Task& v) {
  j = json{{"id", v.id},
           {"description", v.description},
           {"hours_per_week", v.hours_per_week},
           {"skills", v.skills},
           {"dutch", v.dutch},
           {"lift_kg", v.lift_kg},
           {"prolonged_standing", v.prolonged_standing},
           {"licence", v.licence},
           {"reserved_to_qualification", v.reserved_to_qualification},
           {"time_of_day", EnumJson(kTimesOfDay, v.time_of_day)},
           {"alongside_colleagues", v.alongside_colleagues},
           {"customer_contact", v.customer_contact},
           {"digital_tools", v.digital_tools}};
}

void to_json(json& j, const StatedRequirements& v) {
  j = json{{"diploma", EnumJson(kDiplomaLevels, v.diploma)},
           {"dutch", v.dutch},
           {"licences", v.licences},
           {"experience_years", v.experience_years},
           {"skills", v.skills}};
}

void to_json(json& j, const Vacancy& v) {
  j = json{{"id", v.id},
           {"employer_id", v.employer_id},
           {"site_id", v.site_id},
           {"title", v.title},
           {"occupation_uri", v.occupation_uri},
           {"shifts", v.shifts},
           {"hours_per_week", v.hours_per_week},
           {"contract_type", EnumJson(kContractTypes, v.contract_type)},
           {"outcome", EnumJson(kTargetOutcomes, v.outcome)},
           {"predictable_schedule", v.predictable_schedule},
           {"stated", v.stated},
           {"tasks", v.tasks},
           {"accommodations", EnumArray(kAccommodations, v.accommodations)},
           {"work_settings", v.work_settings},
           {"capacity", v.capacity},
           {"hourly_cost_eur", v.hourly_cost_eur},
           {"status", EnumJson(kVacancyStatuses, v.status)},
           {"create_time_unix", v.create_time_unix},
           {"update_time_unix", v.update_time_unix}};
  // Written only for carved jobs, so other vacancies' documents stay as they were.
  if (!v.carved_from.empty()) j["carved_from"] = v.carved_from;
}

// ---------------------------------------------------------------------------

template <typename T>
absl::StatusOr<T> FromJson(const json& j, const std::string& root) {
  T out{};
  Decoder d(root.empty() ? RootName<T>() : root);
  try {
    Decode(d, j, &out);
  } catch (const DecodeError& e) {
    return InvalidField(e.path, e.message);
  } catch (const json::exception& e) {
    // Not expected: every access above checks the type first.
    return absl::InvalidArgumentError(absl::StrCat("malformed JSON: ", e.what()));
  }
  return out;
}

template absl::StatusOr<LanguageLevels> FromJson(const json&, const std::string&);
template absl::StatusOr<GeoPoint> FromJson(const json&, const std::string&);
template absl::StatusOr<Location> FromJson(const json&, const std::string&);
template absl::StatusOr<WeeklySpan> FromJson(const json&, const std::string&);
template absl::StatusOr<SkillLevel> FromJson(const json&, const std::string&);
template absl::StatusOr<SkillClaim> FromJson(const json&, const std::string&);
template absl::StatusOr<OtherLanguage> FromJson(const json&, const std::string&);
template absl::StatusOr<Childcare> FromJson(const json&, const std::string&);
template absl::StatusOr<FunctionalCapacities> FromJson(const json&, const std::string&);
template absl::StatusOr<ConsentSettings> FromJson(const json&, const std::string&);
template absl::StatusOr<Participant> FromJson(const json&, const std::string&);
template absl::StatusOr<Site> FromJson(const json&, const std::string&);
template absl::StatusOr<Employer> FromJson(const json&, const std::string&);
template absl::StatusOr<SkillRequirement> FromJson(const json&, const std::string&);
template absl::StatusOr<Task> FromJson(const json&, const std::string&);
template absl::StatusOr<StatedRequirements> FromJson(const json&, const std::string&);
template absl::StatusOr<Vacancy> FromJson(const json&, const std::string&);

absl::StatusOr<json> ParseJson(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Parse again with exceptions to learn where the error is; the exception stays here.
    try {
      json again = json::parse(text.begin(), text.end());
      (void)again;
    } catch (const json::parse_error& e) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid JSON at byte ", e.byte, ": ", e.what()));
    }
    return absl::InvalidArgumentError("invalid JSON");
  }
  return j;
}

std::string_view EnumToken(Weekday v) { return TokenOf(kWeekdays, v); }
std::string_view EnumToken(TransportMode v) { return TokenOf(kTransportModes, v); }
std::string_view EnumToken(EvidenceSource v) { return TokenOf(kEvidenceSources, v); }
std::string_view EnumToken(TargetOutcome v) { return TokenOf(kTargetOutcomes, v); }
std::string_view EnumToken(ContractType v) { return TokenOf(kContractTypes, v); }
std::string_view EnumToken(Accommodation v) { return TokenOf(kAccommodations, v); }
std::string_view EnumToken(TimeOfDay v) { return TokenOf(kTimesOfDay, v); }
std::string_view EnumToken(DiplomaLevel v) { return TokenOf(kDiplomaLevels, v); }
std::string_view EnumToken(VacancyStatus v) { return TokenOf(kVacancyStatuses, v); }

}  // namespace carvematch
