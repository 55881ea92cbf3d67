#include "tests/storage/test_data.h"

#include "absl/strings/str_cat.h"

namespace carvematch {
namespace testing_data {

Participant FullParticipant(const std::string& id, const std::string& organisation_id) {
  Participant p;
  p.id = id;
  p.organisation_id = organisation_id;
  p.home = {{51.0543422, 3.7174243}, "Gent", "9000"};
  p.transport_modes = {TransportMode::kBike, TransportMode::kPublicTransport};
  p.licences = {"AM", "B"};
  p.max_commute_minutes = 50;
  p.availability = {{Weekday::kMonday, 8 * 60, 16 * 60}, {Weekday::kSunday, 22 * 60, 30 * 60}};
  p.childcare = {{"school + after-school care",
                  {{51.06, 3.73}, "Gent", "9000"},
                  {{Weekday::kWednesday, 7 * 60 + 30, 12 * 60}}}};
  p.min_hours_per_week = 19.5;
  p.max_hours_per_week = 30.25;
  p.skills = {{"esco:s/cooking", 3, EvidenceSource::kCare, "cooked for a youth camp \"Chiro\""},
              {"esco:s/cleaning", 2, EvidenceSource::kVolunteering, "ü ñ 漢字"}};
  p.dutch.at(LanguageSkill::kListening) = CefrLevel::kB1;
  p.dutch.at(LanguageSkill::kReading) = CefrLevel::kA2;
  p.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kA2;
  p.dutch.at(LanguageSkill::kWriting) = CefrLevel::kA1;
  p.other_languages = {{"ar", CefrLevel::kC2}, {"fr", CefrLevel::kB2}};
  p.capacities.max_lift_kg = 10;
  p.capacities.prolonged_standing = false;
  p.capacities.night_work = false;
  p.capacities.customer_contact = false;
  p.capacities.working_alone = false;
  p.capacities.digital_tools = 3;
  p.exclusions = {"private_homes"};
  p.wanted_sectors = {"Q86", "I56"};
  p.avoided_sectors = {"C10"};
  p.wanted_occupations = {"esco:o/cook"};
  p.avoided_occupations = {"esco:o/butcher"};
  p.target_outcomes = {TargetOutcome::kPaidJob, TargetOutcome::kArticle60};
  p.consent.share_anonymous_card = true;
  p.consent.share_with_employers_after_match = true;
  p.create_time_unix = 0;
  p.update_time_unix = 0;
  return p;
}

Employer FullEmployer(const std::string& id, const std::string& organisation_id) {
  Employer e;
  e.id = id;
  e.organisation_id = organisation_id;
  e.display_name = "AZ Sint-Jan";
  e.sector = "Q86";
  e.sites = {{"main", "Campus Brugge", {{51.2, 3.2}, "Brugge", "8000"}},
             {"north", "Campus Oostende", {{51.22, 2.92}, "Oostende", "8400"}}};
  return e;
}

Vacancy FullVacancy(const std::string& id, const std::string& employer_id) {
  Vacancy v;
  v.id = id;
  v.employer_id = employer_id;
  v.site_id = "main";
  v.title = "Zorgkundige";
  v.occupation_uri = "esco:o/nurse-assistant";
  v.shifts = {{Weekday::kTuesday, 6 * 60, 14 * 60}, {Weekday::kFriday, 14 * 60, 22 * 60}};
  v.hours_per_week = 30.4;
  v.contract_type = ContractType::kFixedTerm;
  v.outcome = TargetOutcome::kIbo;
  v.predictable_schedule = false;
  v.stated.diploma = DiplomaLevel::kSecondary;
  v.stated.dutch.at(LanguageSkill::kSpeaking) = CefrLevel::kB2;
  v.stated.licences = {"B"};
  v.stated.experience_years = 2;
  v.stated.skills = {{"esco:s/patient-care", 2, true}, {"esco:s/excel", 1, false}};
  Task t;
  t.id = "t1";
  t.description = "restock the ward";
  t.hours_per_week = 8.5;
  t.skills = {{"esco:s/logistics", 1, false}};
  t.dutch.at(LanguageSkill::kReading) = CefrLevel::kA2;
  t.lift_kg = 15;
  t.prolonged_standing = true;
  t.licence = "B";
  t.reserved_to_qualification = "registered nurse";
  t.time_of_day = TimeOfDay::kEarly;
  t.alongside_colleagues = false;
  t.customer_contact = true;
  t.digital_tools = 2;
  v.tasks = {t, t};
  v.tasks[1].id = "t2";
  v.tasks[1].time_of_day = TimeOfDay::kNight;
  v.accommodations = {Accommodation::kLanguageCoaching, Accommodation::kBikeLease};
  v.work_settings = {"cold_storage"};
  v.capacity = 3;
  v.hourly_cost_eur = 31.07;
  v.status = VacancyStatus::kClosed;
  v.carved_from = {"v-origin-a", "v-origin-b"};
  return v;
}

EscoRelease SmallRelease(int n) {
  EscoRelease r;
  r.version = "v1.1.1";
  for (int i = 0; i < n; ++i) {
    std::string s = absl::StrCat("http://data.europa.eu/esco/skill/s", i);
    std::string o = absl::StrCat("http://data.europa.eu/esco/occupation/o", i);
    r.skills.push_back(
        {s, absl::StrCat("skill ", i), i % 2 ? "knowledge" : "skill/competence", "cross-sector"});
    r.occupations.push_back({o, absl::StrCat("occupation ", i), absl::StrCat(1000 + i)});
    r.occupation_skills.push_back({o, s, i % 3 != 0});
    r.skill_relations.push_back(
        {s, absl::StrCat("http://data.europa.eu/esco/skill/s", n - 1 - i), i % 2 == 0});
    r.broader.push_back({s, "http://data.europa.eu/esco/skill/group"});
  }
  return r;
}

}  // namespace testing_data
}  // namespace carvematch
