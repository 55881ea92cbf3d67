// A vacancy as the employer wrote it, with the tasks it consists of. The stated
// requirements are what the text asks; the tasks say what the work needs. The
// matcher compares people with what the tasks need (the requirement review of the
// job-carving module shows the difference to the employer).
#ifndef CARVEMATCH_MODEL_VACANCY_H_
#define CARVEMATCH_MODEL_VACANCY_H_

#include <string>
#include <vector>

#include "model/common.h"

namespace carvematch {

struct SkillRequirement {
  std::string skill_uri;  // ESCO skill URI
  int level = 1;          // 0..4
  bool essential = true;  // false = optional
};

struct Task {
  std::string id;  // unique within the vacancy
  std::string description;
  double hours_per_week = 0;
  std::vector<SkillRequirement> skills;
  LanguageLevels dutch;  // what this task needs per language skill
  int lift_kg = 0;       // heaviest regular lift
  bool prolonged_standing = false;
  std::string licence;                    // a driving licence category the task needs, or ""
  std::string reserved_to_qualification;  // legally reserved ("registered nurse"), or ""
  TimeOfDay time_of_day = TimeOfDay::kDay;
  bool alongside_colleagues = true;
  bool customer_contact = false;
  int digital_tools = 0;  // 0..4
};

// What the vacancy text demands, as written.
struct StatedRequirements {
  DiplomaLevel diploma = DiplomaLevel::kUnspecified;
  LanguageLevels dutch;
  std::vector<std::string> licences;
  int experience_years = 0;
  std::vector<SkillRequirement> skills;
};

enum class VacancyStatus : int { kUnspecified = 0, kOpen, kClosed };

struct Vacancy {
  std::string id;
  std::string employer_id;
  std::string site_id;
  std::string title;
  std::string occupation_uri;  // ESCO occupation URI
  std::vector<WeeklySpan> shifts;
  double hours_per_week = 0;
  ContractType contract_type = ContractType::kUnspecified;
  TargetOutcome outcome = TargetOutcome::kPaidJob;  // a paid job, an internship spot, ...
  bool predictable_schedule = true;                 // false: rotating or on-call rosters
  StatedRequirements stated;
  std::vector<Task> tasks;
  std::vector<Accommodation> accommodations;
  std::vector<std::string> work_settings;  // "private_homes", "outdoor", "cold_storage"
  int capacity = 1;
  double hourly_cost_eur = 0;
  VacancyStatus status = VacancyStatus::kOpen;
  // For a job carved out of other vacancies (CarvingService.PublishBundle): the ids of
  // the vacancies its tasks came from, in the order given; empty otherwise.
  std::vector<std::string> carved_from;
  int64_t create_time_unix = 0;
  int64_t update_time_unix = 0;

  bool Offers(Accommodation a) const;
};

}  // namespace carvematch

#endif  // CARVEMATCH_MODEL_VACANCY_H_
