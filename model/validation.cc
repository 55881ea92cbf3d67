#include "model/validation.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "model/status.h"

namespace carvematch {
namespace {

constexpr double kMaxHoursPerWeek = 60;  // a week of work, not a week of life

std::string Index(int i) { return absl::StrCat("[", i, "]"); }

bool ValidEnum(int value, int max) { return value >= 1 && value <= max; }

void CheckLocation(ViolationCollector& c, const Location& loc, const std::string& field,
                   bool require_municipality) {
  ViolationCollector::Scope scope(c, field);
  if (!std::isfinite(loc.point.lat) || loc.point.lat < -90 || loc.point.lat > 90) {
    c.Add("point.lat", absl::StrCat("latitude ", loc.point.lat, " is outside -90..90"));
  }
  if (!std::isfinite(loc.point.lon) || loc.point.lon < -180 || loc.point.lon > 180) {
    c.Add("point.lon", absl::StrCat("longitude ", loc.point.lon, " is outside -180..180"));
  }
  if (loc.point.lat == 0 && loc.point.lon == 0) {
    c.Add("point", "location is missing (lat and lon are both 0)");
  }
  if (require_municipality && loc.municipality.empty()) {
    c.Add("municipality", "municipality is required");
  }
}

void CheckSpan(ViolationCollector& c, const WeeklySpan& s) {
  if (!ValidEnum(static_cast<int>(s.day), 7)) c.Add("day", "weekday is required (MONDAY..SUNDAY)");
  if (s.start_minute < 0 || s.start_minute >= 1440) {
    c.Add("start_minute", absl::StrCat("start ", s.start_minute, " is outside 0..1439"));
  }
  if (s.end_minute <= s.start_minute) {
    c.Add("end_minute",
          absl::StrCat("ends at ", FormatMinutes(s.end_minute), " before it starts at ",
                       FormatMinutes(s.start_minute), " (a span past midnight ends after 1440)"));
  } else if (s.end_minute - s.start_minute > 1440) {
    c.Add("end_minute", "a span lasts at most 24 hours");
  }
}

void CheckSpans(ViolationCollector& c, const std::vector<WeeklySpan>& spans,
                const std::string& field) {
  for (size_t i = 0; i < spans.size(); ++i) {
    ViolationCollector::Scope scope(c, field + Index(i));
    CheckSpan(c, spans[i]);
  }
}

void CheckLanguage(ViolationCollector& c, const LanguageLevels& l, const std::string& field) {
  ViolationCollector::Scope scope(c, field);
  for (int s = 0; s < kLanguageSkillCount; ++s) {
    int v = static_cast<int>(l.levels[s]);
    if (v < 0 || v > 6) {
      c.Add(std::string(LanguageSkillName(static_cast<LanguageSkill>(s))),
            absl::StrCat("level ", v, " is outside none..C2"));
    }
  }
}

void CheckSkillLevel(ViolationCollector& c, int level) {
  if (level < 0 || level > 4) c.Add("level", absl::StrCat("level ", level, " is outside 0..4"));
}

void CheckSkillUri(ViolationCollector& c, const std::string& uri, const ConceptCatalog& catalog) {
  if (uri.empty()) {
    c.Add("skill_uri", "ESCO skill URI is required");
  } else if (!catalog.HasSkill(uri)) {
    c.Add("skill_uri", absl::StrCat("unknown ESCO skill \"", uri, "\""));
  }
}

void CheckId(ViolationCollector& c, const std::string& id, const std::string& field) {
  if (!IsValidId(id)) {
    c.Add(field, absl::StrCat("\"", id, "\" is not a valid id (1-63 of a-z, 0-9, '-')"));
  }
}

void CheckRequirements(ViolationCollector& c, const std::vector<SkillRequirement>& skills,
                       const ConceptCatalog& catalog) {
  for (size_t i = 0; i < skills.size(); ++i) {
    ViolationCollector::Scope scope(c, "skills" + Index(i));
    CheckSkillUri(c, skills[i].skill_uri, catalog);
    CheckSkillLevel(c, skills[i].level);
  }
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-') return false;
  for (char ch : id) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
    if (!ok) return false;
  }
  return true;
}

absl::Status ValidateParticipant(const Participant& p, const ConceptCatalog& catalog,
                                 const std::string& root) {
  ViolationCollector c(root);
  CheckId(c, p.id, "id");
  if (p.organisation_id.empty()) c.Add("organisation_id", "organisation is required");
  CheckLocation(c, p.home, "home", /*require_municipality=*/true);
  if (p.transport_modes.empty()) {
    c.Add("transport_modes", "at least one transport mode is required (WALK counts)");
  }
  for (size_t i = 0; i < p.transport_modes.size(); ++i) {
    if (!ValidEnum(static_cast<int>(p.transport_modes[i]), kTransportModeCount)) {
      c.Add("transport_modes" + Index(i), "unknown transport mode");
    }
  }
  for (size_t i = 0; i < p.licences.size(); ++i) {
    if (p.licences[i].empty() || p.licences[i].size() > 3) {
      c.Add("licences" + Index(i), "licence category like \"B\", \"AM\" or \"C1\" expected");
    }
  }
  if (p.max_commute_minutes < 0 || p.max_commute_minutes > 240) {
    c.Add("max_commute_minutes", absl::StrCat(p.max_commute_minutes, " minutes is outside 0..240"));
  }
  CheckSpans(c, p.availability, "availability");
  for (size_t i = 0; i < p.childcare.size(); ++i) {
    ViolationCollector::Scope scope(c, "childcare" + Index(i));
    CheckLocation(c, p.childcare[i].location, "location", /*require_municipality=*/false);
    CheckSpans(c, p.childcare[i].opening_hours, "opening_hours");
  }
  if (p.min_hours_per_week < 0 || p.min_hours_per_week > kMaxHoursPerWeek) {
    c.Add("min_hours_per_week", absl::StrCat(p.min_hours_per_week, " is outside 0..60"));
  }
  if (p.max_hours_per_week <= 0 || p.max_hours_per_week > kMaxHoursPerWeek) {
    c.Add("max_hours_per_week", absl::StrCat(p.max_hours_per_week, " is outside 0 (excl.)..60"));
  } else if (p.max_hours_per_week < p.min_hours_per_week) {
    c.Add("max_hours_per_week", "is below min_hours_per_week");
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < p.skills.size(); ++i) {
    ViolationCollector::Scope scope(c, "skills" + Index(i));
    CheckSkillUri(c, p.skills[i].skill_uri, catalog);
    CheckSkillLevel(c, p.skills[i].level);
    if (!ValidEnum(static_cast<int>(p.skills[i].source), 10)) {
      c.Add("source", "evidence source is required (diploma, work, volunteering, care, ...)");
    }
    if (!p.skills[i].skill_uri.empty() && !seen.insert(p.skills[i].skill_uri).second) {
      c.Add("skill_uri", "skill listed twice; keep the entry with the best evidence");
    }
  }
  CheckLanguage(c, p.dutch, "dutch");
  for (size_t i = 0; i < p.other_languages.size(); ++i) {
    if (p.other_languages[i].code.size() != 2) {
      c.Add("other_languages" + Index(i) + ".code", "ISO 639-1 code (two letters) expected");
    }
  }
  if (p.capacities.max_lift_kg &&
      (*p.capacities.max_lift_kg < 0 || *p.capacities.max_lift_kg > 100)) {
    c.Add("capacities.max_lift_kg", "outside 0..100 kg");
  }
  if (p.capacities.digital_tools < 0 || p.capacities.digital_tools > 4) {
    c.Add("capacities.digital_tools", "outside 0..4");
  }
  for (size_t i = 0; i < p.wanted_occupations.size(); ++i) {
    if (!catalog.HasOccupation(p.wanted_occupations[i])) {
      c.Add("wanted_occupations" + Index(i), "unknown ESCO occupation");
    }
  }
  for (size_t i = 0; i < p.avoided_occupations.size(); ++i) {
    if (!catalog.HasOccupation(p.avoided_occupations[i])) {
      c.Add("avoided_occupations" + Index(i), "unknown ESCO occupation");
    }
  }
  for (size_t i = 0; i < p.target_outcomes.size(); ++i) {
    if (!ValidEnum(static_cast<int>(p.target_outcomes[i]), 8)) {
      c.Add("target_outcomes" + Index(i), "unknown target outcome");
    }
  }
  if (p.job_seeker_since) {
    if (!IsValidCalendarDay(*p.job_seeker_since)) {
      c.Add("job_seeker_since", "not a day of the calendar");
    } else if (CalendarDayOf(std::chrono::system_clock::now() + std::chrono::hours(14)) <
               *p.job_seeker_since) {
      // Today in the easternmost time zone (UTC+14) is the latest day allowed.
      c.Add("job_seeker_since",
            absl::StrCat(FormatCalendarDay(*p.job_seeker_since), " is in the future"));
    }
  }
  return c.Finish("invalid participant");
}

absl::Status ValidateEmployer(const Employer& e, const std::string& root) {
  ViolationCollector c(root);
  CheckId(c, e.id, "id");
  if (e.organisation_id.empty()) c.Add("organisation_id", "organisation is required");
  if (e.display_name.empty()) c.Add("display_name", "display name is required");
  if (e.sites.empty()) c.Add("sites", "an employer needs at least one site");
  std::set<std::string> ids;
  for (size_t i = 0; i < e.sites.size(); ++i) {
    ViolationCollector::Scope scope(c, "sites" + Index(i));
    CheckId(c, e.sites[i].id, "id");
    if (!ids.insert(e.sites[i].id).second) c.Add("id", "site id used twice");
    CheckLocation(c, e.sites[i].location, "location", /*require_municipality=*/true);
  }
  return c.Finish("invalid employer");
}

absl::Status ValidateVacancy(const Vacancy& v, const Employer& employer,
                             const ConceptCatalog& catalog, const std::string& root) {
  ViolationCollector c(root);
  CheckId(c, v.id, "id");
  if (v.employer_id != employer.id) c.Add("employer_id", "does not name the employer");
  if (employer.FindSite(v.site_id) == nullptr) {
    c.Add("site_id",
          absl::StrCat("employer \"", employer.id, "\" has no site \"", v.site_id, "\""));
  }
  if (v.title.empty()) c.Add("title", "title is required");
  if (!v.occupation_uri.empty() && !catalog.HasOccupation(v.occupation_uri)) {
    c.Add("occupation_uri", absl::StrCat("unknown ESCO occupation \"", v.occupation_uri, "\""));
  }
  if (v.shifts.empty()) c.Add("shifts", "at least one shift is required");
  CheckSpans(c, v.shifts, "shifts");
  if (v.hours_per_week <= 0 || v.hours_per_week > kMaxHoursPerWeek) {
    c.Add("hours_per_week", absl::StrCat(v.hours_per_week, " is outside 0 (excl.)..60"));
  }
  if (!ValidEnum(static_cast<int>(v.contract_type), 4)) {
    c.Add("contract_type", "contract type is required (DAY, TEMP, FIXED_TERM, OPEN_ENDED)");
  }
  if (!ValidEnum(static_cast<int>(v.outcome), 8)) c.Add("outcome", "unknown outcome");
  {
    ViolationCollector::Scope scope(c, "stated");
    CheckLanguage(c, v.stated.dutch, "dutch");
    if (v.stated.experience_years < 0 || v.stated.experience_years > 40) {
      c.Add("experience_years", "outside 0..40");
    }
    CheckRequirements(c, v.stated.skills, catalog);
  }
  std::set<std::string> task_ids;
  double task_hours = 0;
  for (size_t i = 0; i < v.tasks.size(); ++i) {
    const Task& t = v.tasks[i];
    ViolationCollector::Scope scope(c, "tasks" + Index(i));
    CheckId(c, t.id, "id");
    if (!t.id.empty() && !task_ids.insert(t.id).second) c.Add("id", "task id used twice");
    if (t.hours_per_week <= 0 || t.hours_per_week > kMaxHoursPerWeek) {
      c.Add("hours_per_week", absl::StrCat(t.hours_per_week, " is outside 0 (excl.)..60"));
    }
    task_hours += t.hours_per_week;
    CheckRequirements(c, t.skills, catalog);
    CheckLanguage(c, t.dutch, "dutch");
    if (t.lift_kg < 0 || t.lift_kg > 100) c.Add("lift_kg", "outside 0..100 kg");
    if (t.digital_tools < 0 || t.digital_tools > 4) c.Add("digital_tools", "outside 0..4");
    if (!ValidEnum(static_cast<int>(t.time_of_day), 4)) c.Add("time_of_day", "unknown");
  }
  if (!v.tasks.empty() && task_hours > v.hours_per_week + 0.01) {
    c.Add("tasks", absl::StrCat("tasks add up to ", task_hours, " h, more than the ",
                                v.hours_per_week, " h of the vacancy"));
  }
  for (size_t i = 0; i < v.accommodations.size(); ++i) {
    if (!ValidEnum(static_cast<int>(v.accommodations[i]), 8)) {
      c.Add("accommodations" + Index(i), "unknown accommodation");
    }
  }
  if (v.capacity < 1 || v.capacity > 10000) c.Add("capacity", "outside 1..10000");
  if (v.hourly_cost_eur < 0) c.Add("hourly_cost_eur", "must not be negative");
  std::set<std::string> origins;
  for (size_t i = 0; i < v.carved_from.size(); ++i) {
    const std::string& origin = v.carved_from[i];
    if (!IsValidId(origin)) {
      c.Add("carved_from" + Index(i), "not a vacancy id");
    } else if (origin == v.id) {
      c.Add("carved_from" + Index(i), "a vacancy cannot be carved from itself");
    } else if (!origins.insert(origin).second) {
      c.Add("carved_from" + Index(i), "appears twice");
    }
  }
  return c.Finish("invalid vacancy");
}

}  // namespace carvematch
