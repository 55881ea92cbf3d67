#include "services/convert.h"

#include "model/status.h"

namespace carvematch {
namespace {

template <typename Enum, typename ProtoEnum>
Enum Cast(ProtoEnum e) {
  return static_cast<Enum>(static_cast<int>(e));
}

template <typename ProtoEnum, typename Enum>
ProtoEnum ToProtoEnum(Enum e) {
  return static_cast<ProtoEnum>(static_cast<int>(e));
}

Location LocationFromProto(const v1::Location& l) {
  Location out;
  out.point = {l.point().lat(), l.point().lon()};
  out.municipality = l.municipality();
  out.postal_code = l.postal_code();
  return out;
}

WeeklySpan SpanFromProto(const v1::WeeklySpan& s) {
  return {Cast<Weekday>(s.day()), s.start_minute(), s.end_minute()};
}

std::vector<WeeklySpan> SpansFromProto(
    const google::protobuf::RepeatedPtrField<v1::WeeklySpan>& spans) {
  std::vector<WeeklySpan> out;
  out.reserve(spans.size());
  for (const v1::WeeklySpan& s : spans) out.push_back(SpanFromProto(s));
  return out;
}

void SpansToProto(const std::vector<WeeklySpan>& spans,
                  google::protobuf::RepeatedPtrField<v1::WeeklySpan>* out) {
  for (const WeeklySpan& s : spans) {
    v1::WeeklySpan* p = out->Add();
    p->set_day(ToProtoEnum<v1::Weekday>(s.day));
    p->set_start_minute(s.start_minute);
    p->set_end_minute(s.end_minute);
  }
}

// The text form wins when set; it accepts CEFR and the Flemish levels.
LanguageLevels LanguageFromProto(const v1::LanguageLevels& l, ViolationCollector& c,
                                 const std::string& field) {
  LanguageLevels out;
  const std::pair<v1::CefrLevel, const std::string*> per_skill[kLanguageSkillCount] = {
      {l.listening(), &l.listening_text()},
      {l.reading(), &l.reading_text()},
      {l.speaking(), &l.speaking_text()},
      {l.writing(), &l.writing_text()}};
  for (int s = 0; s < kLanguageSkillCount; ++s) {
    const auto& [level, text] = per_skill[s];
    if (text->empty()) {
      out.levels[s] = static_cast<CefrLevel>(static_cast<int>(level));
      continue;
    }
    absl::StatusOr<CefrLevel> parsed = ParseLanguageLevel(*text);
    if (parsed.ok()) {
      out.levels[s] = *parsed;
    } else {
      c.Add(field + "." + std::string(LanguageSkillName(static_cast<LanguageSkill>(s))) + "_text",
            std::string(parsed.status().message()));
    }
  }
  return out;
}

std::vector<SkillRequirement> RequirementsFromProto(
    const google::protobuf::RepeatedPtrField<v1::SkillRequirement>& skills) {
  std::vector<SkillRequirement> out;
  for (const v1::SkillRequirement& s : skills) {
    out.push_back({s.skill_uri(), s.level(), s.essential()});
  }
  return out;
}

void RequirementsToProto(const std::vector<SkillRequirement>& skills,
                         google::protobuf::RepeatedPtrField<v1::SkillRequirement>* out) {
  for (const SkillRequirement& s : skills) {
    v1::SkillRequirement* p = out->Add();
    p->set_skill_uri(s.skill_uri);
    p->set_level(s.level);
    p->set_essential(s.essential);
  }
}

}  // namespace

v1::Location LocationToProto(const Location& l) {
  v1::Location out;
  out.mutable_point()->set_lat(l.point.lat);
  out.mutable_point()->set_lon(l.point.lon);
  out.set_municipality(l.municipality);
  out.set_postal_code(l.postal_code);
  return out;
}

v1::LanguageLevels LanguageToProto(const LanguageLevels& l) {
  v1::LanguageLevels out;
  auto level = [&](LanguageSkill s) {
    return static_cast<v1::CefrLevel>(static_cast<int>(l.get(s)));
  };
  out.set_listening(level(LanguageSkill::kListening));
  out.set_reading(level(LanguageSkill::kReading));
  out.set_speaking(level(LanguageSkill::kSpeaking));
  out.set_writing(level(LanguageSkill::kWriting));
  return out;
}

Participant ParticipantFromProto(const v1::Participant& p, std::vector<FieldViolation>* violations,
                                 const std::string& root) {
  ViolationCollector c(root);
  Participant out;
  out.id = p.id();
  out.organisation_id = p.organisation_id();
  out.home = LocationFromProto(p.home());
  for (int m : p.transport_modes()) out.transport_modes.push_back(static_cast<TransportMode>(m));
  out.licences.assign(p.licences().begin(), p.licences().end());
  out.max_commute_minutes = p.max_commute_minutes() > 0 ? p.max_commute_minutes() : 45;
  out.availability = SpansFromProto(p.availability());
  for (const v1::Childcare& cc : p.childcare()) {
    out.childcare.push_back(
        {cc.label(), LocationFromProto(cc.location()), SpansFromProto(cc.opening_hours())});
  }
  out.min_hours_per_week = p.min_hours_per_week();
  out.max_hours_per_week = p.max_hours_per_week() > 0 ? p.max_hours_per_week() : 38;
  for (const v1::SkillClaim& s : p.skills()) {
    out.skills.push_back(
        {s.skill_uri(), s.level(), static_cast<EvidenceSource>(s.source()), s.note()});
  }
  out.dutch = LanguageFromProto(p.dutch(), c, "dutch");
  for (const v1::OtherLanguage& l : p.other_languages()) {
    out.other_languages.push_back({l.code(), static_cast<CefrLevel>(static_cast<int>(l.level()))});
  }
  const v1::FunctionalCapacities& cap = p.capacities();
  if (cap.has_max_lift_kg()) out.capacities.max_lift_kg = cap.max_lift_kg();
  out.capacities.prolonged_standing = !cap.no_prolonged_standing();
  out.capacities.night_work = !cap.no_night_work();
  out.capacities.customer_contact = !cap.no_customer_contact();
  out.capacities.working_alone = !cap.no_working_alone();
  out.capacities.digital_tools = cap.has_digital_tools() ? cap.digital_tools() : 2;
  out.exclusions.assign(p.exclusions().begin(), p.exclusions().end());
  out.wanted_sectors.assign(p.wanted_sectors().begin(), p.wanted_sectors().end());
  out.avoided_sectors.assign(p.avoided_sectors().begin(), p.avoided_sectors().end());
  out.wanted_occupations.assign(p.wanted_occupations().begin(), p.wanted_occupations().end());
  out.avoided_occupations.assign(p.avoided_occupations().begin(), p.avoided_occupations().end());
  for (int t : p.target_outcomes()) out.target_outcomes.push_back(static_cast<TargetOutcome>(t));
  out.consent.share_anonymous_card = p.consent().share_anonymous_card();
  out.consent.share_with_employers_after_match = p.consent().share_with_employers_after_match();
  if (!p.job_seeker_since().empty()) {
    out.job_seeker_since = ParseCalendarDay(p.job_seeker_since());
    if (!out.job_seeker_since) {
      c.Add("job_seeker_since", "\"" + p.job_seeker_since() + "\" is not a day as YYYY-MM-DD");
    }
  }
  out.create_time_unix = p.create_time().seconds();
  out.update_time_unix = p.update_time().seconds();
  violations->insert(violations->end(), c.violations().begin(), c.violations().end());
  return out;
}

v1::Participant ParticipantToProto(const Participant& p) {
  v1::Participant out;
  out.set_id(p.id);
  out.set_organisation_id(p.organisation_id);
  *out.mutable_home() = LocationToProto(p.home);
  for (TransportMode m : p.transport_modes) {
    out.add_transport_modes(ToProtoEnum<v1::TransportMode>(m));
  }
  for (const std::string& l : p.licences) out.add_licences(l);
  out.set_max_commute_minutes(p.max_commute_minutes);
  SpansToProto(p.availability, out.mutable_availability());
  for (const Childcare& cc : p.childcare) {
    v1::Childcare* pc = out.add_childcare();
    pc->set_label(cc.label);
    *pc->mutable_location() = LocationToProto(cc.location);
    SpansToProto(cc.opening_hours, pc->mutable_opening_hours());
  }
  out.set_min_hours_per_week(p.min_hours_per_week);
  out.set_max_hours_per_week(p.max_hours_per_week);
  for (const SkillClaim& s : p.skills) {
    v1::SkillClaim* ps = out.add_skills();
    ps->set_skill_uri(s.skill_uri);
    ps->set_level(s.level);
    ps->set_source(ToProtoEnum<v1::EvidenceSource>(s.source));
    ps->set_note(s.note);
  }
  *out.mutable_dutch() = LanguageToProto(p.dutch);
  for (const OtherLanguage& l : p.other_languages) {
    v1::OtherLanguage* pl = out.add_other_languages();
    pl->set_code(l.code);
    pl->set_level(static_cast<v1::CefrLevel>(static_cast<int>(l.level)));
  }
  v1::FunctionalCapacities* cap = out.mutable_capacities();
  if (p.capacities.max_lift_kg) cap->set_max_lift_kg(*p.capacities.max_lift_kg);
  cap->set_no_prolonged_standing(!p.capacities.prolonged_standing);
  cap->set_no_night_work(!p.capacities.night_work);
  cap->set_no_customer_contact(!p.capacities.customer_contact);
  cap->set_no_working_alone(!p.capacities.working_alone);
  cap->set_digital_tools(p.capacities.digital_tools);
  for (const std::string& s : p.exclusions) out.add_exclusions(s);
  for (const std::string& s : p.wanted_sectors) out.add_wanted_sectors(s);
  for (const std::string& s : p.avoided_sectors) out.add_avoided_sectors(s);
  for (const std::string& s : p.wanted_occupations) out.add_wanted_occupations(s);
  for (const std::string& s : p.avoided_occupations) out.add_avoided_occupations(s);
  for (TargetOutcome t : p.target_outcomes) {
    out.add_target_outcomes(ToProtoEnum<v1::TargetOutcome>(t));
  }
  out.mutable_consent()->set_share_anonymous_card(p.consent.share_anonymous_card);
  out.mutable_consent()->set_share_with_employers_after_match(
      p.consent.share_with_employers_after_match);
  if (p.job_seeker_since) out.set_job_seeker_since(FormatCalendarDay(*p.job_seeker_since));
  if (p.create_time_unix > 0) out.mutable_create_time()->set_seconds(p.create_time_unix);
  if (p.update_time_unix > 0) out.mutable_update_time()->set_seconds(p.update_time_unix);
  return out;
}

Employer EmployerFromProto(const v1::Employer& e) {
  Employer out;
  out.id = e.id();
  out.organisation_id = e.organisation_id();
  out.display_name = e.display_name();
  out.sector = e.sector();
  for (const v1::Site& s : e.sites()) {
    out.sites.push_back({s.id(), s.name(), LocationFromProto(s.location())});
  }
  out.create_time_unix = e.create_time().seconds();
  out.update_time_unix = e.update_time().seconds();
  return out;
}

v1::Employer EmployerToProto(const Employer& e) {
  v1::Employer out;
  out.set_id(e.id);
  out.set_organisation_id(e.organisation_id);
  out.set_display_name(e.display_name);
  out.set_sector(e.sector);
  for (const Site& s : e.sites) {
    v1::Site* ps = out.add_sites();
    ps->set_id(s.id);
    ps->set_name(s.name);
    *ps->mutable_location() = LocationToProto(s.location);
  }
  if (e.create_time_unix > 0) out.mutable_create_time()->set_seconds(e.create_time_unix);
  if (e.update_time_unix > 0) out.mutable_update_time()->set_seconds(e.update_time_unix);
  return out;
}

Vacancy VacancyFromProto(const v1::Vacancy& v, std::vector<FieldViolation>* violations,
                         const std::string& root) {
  ViolationCollector c(root);
  Vacancy out;
  out.id = v.id();
  out.employer_id = v.employer_id();
  out.site_id = v.site_id();
  out.title = v.title();
  out.occupation_uri = v.occupation_uri();
  out.shifts = SpansFromProto(v.shifts());
  out.hours_per_week = v.hours_per_week();
  out.contract_type = Cast<ContractType>(v.contract_type());
  out.outcome = v.outcome() == v1::TARGET_OUTCOME_UNSPECIFIED ? TargetOutcome::kPaidJob
                                                              : Cast<TargetOutcome>(v.outcome());
  out.predictable_schedule = !v.unpredictable_schedule();
  const v1::StatedRequirements& st = v.stated();
  out.stated.diploma = Cast<DiplomaLevel>(st.diploma());
  out.stated.dutch = LanguageFromProto(st.dutch(), c, "stated.dutch");
  out.stated.licences.assign(st.licences().begin(), st.licences().end());
  out.stated.experience_years = st.experience_years();
  out.stated.skills = RequirementsFromProto(st.skills());
  for (int i = 0; i < v.tasks_size(); ++i) {
    const v1::Task& t = v.tasks(i);
    Task task;
    task.id = t.id();
    task.description = t.description();
    task.hours_per_week = t.hours_per_week();
    task.skills = RequirementsFromProto(t.skills());
    task.dutch = LanguageFromProto(t.dutch(), c, "tasks[" + std::to_string(i) + "].dutch");
    task.lift_kg = t.lift_kg();
    task.prolonged_standing = t.prolonged_standing();
    task.licence = t.licence();
    task.reserved_to_qualification = t.reserved_to_qualification();
    task.time_of_day = t.time_of_day() == v1::TIME_OF_DAY_UNSPECIFIED
                           ? TimeOfDay::kDay
                           : Cast<TimeOfDay>(t.time_of_day());
    task.alongside_colleagues = !t.has_alongside_colleagues() || t.alongside_colleagues();
    task.customer_contact = t.customer_contact();
    task.digital_tools = t.digital_tools();
    out.tasks.push_back(std::move(task));
  }
  for (int a : v.accommodations()) out.accommodations.push_back(static_cast<Accommodation>(a));
  out.work_settings.assign(v.work_settings().begin(), v.work_settings().end());
  out.capacity = v.capacity() > 0 ? v.capacity() : 1;
  out.hourly_cost_eur = v.hourly_cost_eur();
  out.status = v.status() == v1::VACANCY_STATUS_UNSPECIFIED ? VacancyStatus::kOpen
                                                            : Cast<VacancyStatus>(v.status());
  out.carved_from.assign(v.carved_from().begin(), v.carved_from().end());
  out.create_time_unix = v.create_time().seconds();
  out.update_time_unix = v.update_time().seconds();
  violations->insert(violations->end(), c.violations().begin(), c.violations().end());
  return out;
}

v1::Vacancy VacancyToProto(const Vacancy& v) {
  v1::Vacancy out;
  out.set_id(v.id);
  out.set_employer_id(v.employer_id);
  out.set_site_id(v.site_id);
  out.set_title(v.title);
  out.set_occupation_uri(v.occupation_uri);
  SpansToProto(v.shifts, out.mutable_shifts());
  out.set_hours_per_week(v.hours_per_week);
  out.set_contract_type(ToProtoEnum<v1::ContractType>(v.contract_type));
  out.set_outcome(ToProtoEnum<v1::TargetOutcome>(v.outcome));
  out.set_unpredictable_schedule(!v.predictable_schedule);
  v1::StatedRequirements* st = out.mutable_stated();
  st->set_diploma(ToProtoEnum<v1::DiplomaLevel>(v.stated.diploma));
  *st->mutable_dutch() = LanguageToProto(v.stated.dutch);
  for (const std::string& l : v.stated.licences) st->add_licences(l);
  st->set_experience_years(v.stated.experience_years);
  RequirementsToProto(v.stated.skills, st->mutable_skills());
  for (const Task& t : v.tasks) {
    v1::Task* pt = out.add_tasks();
    pt->set_id(t.id);
    pt->set_description(t.description);
    pt->set_hours_per_week(t.hours_per_week);
    RequirementsToProto(t.skills, pt->mutable_skills());
    *pt->mutable_dutch() = LanguageToProto(t.dutch);
    pt->set_lift_kg(t.lift_kg);
    pt->set_prolonged_standing(t.prolonged_standing);
    pt->set_licence(t.licence);
    pt->set_reserved_to_qualification(t.reserved_to_qualification);
    pt->set_time_of_day(ToProtoEnum<v1::TimeOfDay>(t.time_of_day));
    pt->set_alongside_colleagues(t.alongside_colleagues);
    pt->set_customer_contact(t.customer_contact);
    pt->set_digital_tools(t.digital_tools);
  }
  for (Accommodation a : v.accommodations) {
    out.add_accommodations(ToProtoEnum<v1::Accommodation>(a));
  }
  for (const std::string& s : v.work_settings) out.add_work_settings(s);
  out.set_capacity(v.capacity);
  out.set_hourly_cost_eur(v.hourly_cost_eur);
  out.set_status(ToProtoEnum<v1::VacancyStatus>(v.status));
  for (const std::string& origin : v.carved_from) out.add_carved_from(origin);
  if (v.create_time_unix > 0) out.mutable_create_time()->set_seconds(v.create_time_unix);
  if (v.update_time_unix > 0) out.mutable_update_time()->set_seconds(v.update_time_unix);
  return out;
}

}  // namespace carvematch
