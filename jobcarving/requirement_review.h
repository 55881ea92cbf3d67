// Requirement review: which of a vacancy's stated requirements the work really needs
// from day one, which can be learned on the job, which no task needs, and which only a
// small share of the hours needs — with, for each, how many participants of a pool it
// keeps out and how many more would fit if it were lowered to what the tasks need.
//
// Reviewed requirements (one item each, in this order):
//   diploma; Dutch as a whole (key "dutch", when two or more language skills are
//   reviewed: the most demanding class of its skills, counts with all of them dropped /
//   lowered together); Dutch per language skill (listening, reading, speaking, writing)
//   where the text or a task asks a level; each stated driving licence; years of experience; each
//   stated skill; the digital-tools level the tasks imply; weekend availability (shifts
//   on Saturday or Sunday); early availability (a shift starting before
//   ReviewOptions::early_start_minute).
//
// Classification (docs/jobcarving.md), first rule that applies:
//   NICE_TO_HAVE        no task needs it;
//   TRAINABLE           needed, and learnable on the job with the support the vacancy
//                       offers: Dutch one level below the need with language coaching
//                       (dutch_months_per_level), a skill or digital level one below the
//                       need (need <= max_learnable_skill_level) with workplace learning
//                       or a mentor (skill_months_per_level / digital_months_per_level),
//                       experience when no task needs a skill above level 2 and workplace
//                       learning or a mentor is offered;
//   ALTERNATIVE_EXISTS  the tasks that need it above some lower level hold at most
//                       alternative_max_share of the task hours and none is legally
//                       reserved: moving them (or an accommodation) lowers or removes it;
//   ESSENTIAL           otherwise: the named tasks need it from day one.
//
// Pool counts, decided by the matcher (jobcarving/pool_fit.h). The matcher scores
// people against what the TASKS need, so "as stated" is a derived vacancy: the vacancy
// plus one zero-hour pseudo task "stated requirements" carrying the stated Dutch
// levels, stated skills and one stated licence (one pseudo task per further licence).
// The matcher takes maxima and unions over tasks, so this vacancy asks
// max(stated, tasks) everywhere and nothing else changes. For each requirement R:
//   fit_as_stated   fits the "as stated" vacancy;
//   excluded        fits it with R dropped entirely (pseudo task and tasks) minus
//                   fit_as_stated: the people R alone keeps out;
//   fit_if_lowered  fits it with R lowered to what the tasks need (for
//                   ALTERNATIVE_EXISTS: to the level left after moving the named tasks;
//                   NICE_TO_HAVE: dropped);
//   more_if_lowered = fit_if_lowered - fit_as_stated.
// The participant model has no diploma level and no years of experience, so those two
// items carry counts_known = false.
//
// Example usage:
//   ReviewOptions options;
//   ASSIGN_OR_RETURN(RequirementReview review,
//                    ReviewRequirements(matcher, {&vacancy, &employer, nullptr}, pool, options));
//   for (const RequirementReviewItem& item : review.items) std::cout << item.sentence << "\n";
//   // "Dutch speaking B2 (Flemish level 3) is not needed from day one ... at A2, 17 more fit."
#ifndef CARVEMATCH_JOBCARVING_REQUIREMENT_REVIEW_H_
#define CARVEMATCH_JOBCARVING_REQUIREMENT_REVIEW_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "jobcarving/pool_fit.h"
#include "matcher/matcher.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// Values mirror an API enum (UNSPECIFIED = 0).
enum class RequirementClass : int {
  kUnspecified = 0,
  kEssential,
  kTrainable,
  kNiceToHave,
  kAlternativeExists
};
std::string_view RequirementClassName(RequirementClass c);  // "essential", ...

enum class RequirementKind : int {
  kUnspecified = 0,
  kDiploma,
  kDutch,
  kLicence,
  kExperience,
  kSkill,
  kDigitalTools,
  kWeekendAvailability,
  kEarlyAvailability
};
std::string_view RequirementKindName(RequirementKind k);  // "diploma", "dutch", ...

struct ReviewOptions {
  // ALTERNATIVE_EXISTS when the tasks needing a requirement (above a lower level) hold
  // at most this share of the task hours. (0, 1).
  double alternative_max_share = 0.15;
  int dutch_months_per_level = 6;     // one CEFR level with coaching on the floor; >= 1
  int skill_months_per_level = 3;     // one skill level with workplace learning; >= 1
  int digital_months_per_level = 2;   // one digital-tools level; >= 1
  int max_learnable_skill_level = 2;  // 0..4: higher needs are not learned on the job
  int early_start_minute = 7 * 60;    // a shift starting before this is "early"; 0..1440
  FitRule fit;
};

struct PoolCounts {
  bool counts_known = true;  // false: the participant model cannot tell (diploma, experience)
  int pool_size = 0;
  int fit_as_stated = 0;
  int excluded = 0;
  int fit_if_lowered = 0;
  int more_if_lowered = 0;
};

struct RequirementReviewItem {
  RequirementKind kind = RequirementKind::kUnspecified;
  // Stable key: "diploma", "dutch", "dutch_speaking", "licence_B", "experience",
  // "skill:<uri>", "digital_tools", "weekend_availability", "early_availability".
  std::string key;
  std::string label;   // "Dutch speaking", "driving licence B", "skill 'stock shelves'"
  std::string stated;  // as written: "B2 (Flemish level 3)", "3 years", "bachelor", "level 3"
  std::string needed;  // what the tasks need: "A2 (Flemish level 1.2)", "none", ...
  // Levels as small integers (CEFR 0..6, skill/digital 0..4, years, diploma enum, 0/1
  // for licences and availability).
  int stated_level = 0;
  int needed_level = 0;
  int lowered_level = 0;  // the level fit_if_lowered was counted at
  RequirementClass classification = RequirementClass::kUnspecified;
  // ESSENTIAL / TRAINABLE: the tasks needing it at the needed level;
  // ALTERNATIVE_EXISTS: the tasks to move. Task ids, vacancy order.
  std::vector<std::string> task_ids;
  double task_hours = 0;   // their weekly hours
  double total_hours = 0;  // all tasks' weekly hours
  // TRAINABLE: how long and with what support.
  int training_months = 0;
  Accommodation support = Accommodation::kUnspecified;
  PoolCounts pool;
  std::string sentence;  // one readable English sentence (two for pool counts)
};

struct RequirementReview {
  std::string vacancy_id;
  int pool_size = 0;
  int fit_as_stated = 0;  // fit the vacancy as stated
  int fit_as_needed = 0;  // fit the vacancy as its tasks need it (the matcher's view)
  std::vector<RequirementReviewItem> items;
};

// Reviews `vacancy` against `pool` (participants not null).
// - InvalidArgument naming the field ("options.alternative_max_share", "pool[2]",
//   "vacancy.vacancy") for bad input; FailedPrecondition when the vacancy's site is not
//   among its employer's sites.
// - Deterministic; thread-safe for a thread-safe matcher.
absl::StatusOr<RequirementReview> ReviewRequirements(const Matcher& matcher,
                                                     const VacancyContext& vacancy,
                                                     const std::vector<const Participant*>& pool,
                                                     const ReviewOptions& options = {});

// "A2 (Flemish level 1.2)"; "none" for kNone; C2 has no Flemish level.
std::string LanguageLevelText(CefrLevel level);

}  // namespace carvematch

#endif  // CARVEMATCH_JOBCARVING_REQUIREMENT_REVIEW_H_
