// Job carving: split one vacancy, or the open vacancies of one site, into the tasks the
// qualified roles keep and new, more accessible jobs made of the others, with hours,
// money and the number of pool participants who could start in each new job.
//
// Steps (docs/jobcarving.md has the rules and defaults):
//   1. Classify tasks: a task legally reserved to a qualification, or needing a skill
//      above CarveOptions::max_learnable_skill_level (not learnable on the job), stays
//      with its role; the others are movable.
//   2. Evaluate, with the matcher, which pool participants fit each movable task (a
//      derived one-task vacancy with the origin's shifts, site and work settings and the
//      site's accommodations, hours left out) and which accept which weekly hours.
//   3. Search at most max_new_jobs disjoint bundles of movable tasks (a bundle is a real
//      job: min_bundle_hours..full_time_hours, times of day that can be one schedule,
//      at least one task alongside colleagues) maximising the sum over bundles of
//        weights.fit_now x participants who fit now
//      + weights.fit_with_accommodations x participants who fit with the accommodations
//      + weights.freed_qualified_hour x hours/week moved off qualified roles
//      + weights.yearly_saving_per_keur x yearly cost difference / 1000 EUR.
//      Exact (jobcarving/bundle_optimizer.h) for up to exact_max_tasks movable tasks, a
//      heuristic above (greedy, local search, exact re-solves of small neighbourhoods).
//   4. Report the best plan and alternatives (the best plan without one bundle of the
//      best plan, for each of its bundles; distinct, best first), each bundle as a
//      ready-to-publish Vacancy, with counts and top candidates from
//      Matcher::RankParticipants on that vacancy.
//
// Example usage:
//   CarveRequest request;
//   request.employer = &employer;
//   request.vacancies = {&nurse_a, &nurse_b};        // one site
//   request.pool = pool;                             // const Participant*
//   request.options.max_new_jobs = 1;
//   ASSIGN_OR_RETURN(CarvingResult result, Carve(matcher, request));
//   for (const CarvingProposal& p : result.proposals) { ... p.bundles[0].vacancy ... }
//
// Outcomes are not errors: no movable task, or no feasible bundle, gives an empty
// `proposals` list. Only invalid input is an error (InvalidArgument naming the field,
// e.g. "options.full_time_hours"; FailedPrecondition for a site the employer lacks).
// Deterministic: the same request gives the same result (ties broken by task order).
#ifndef CARVEMATCH_JOBCARVING_CARVING_H_
#define CARVEMATCH_JOBCARVING_CARVING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "jobcarving/pool_fit.h"
#include "matcher/matcher.h"
#include "model/employer.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

// Weights of the objective (all >= 0). Units: per participant, per hour/week, per
// 1000 EUR/year.
struct CarveObjectiveWeights {
  double fit_now = 1.0;
  double fit_with_accommodations = 0.5;
  double freed_qualified_hour = 0.5;
  double yearly_saving_per_keur = 0.1;
};

struct CarveOptions {
  double full_time_hours = 38;  // (0, 60]; a bundle has at most this many hours
  // A bundle has at least this many hours; 0 = full_time_hours / 3 (the Belgian
  // part-time minimum). In [0, full_time_hours].
  double min_bundle_hours = 0;
  int max_new_jobs = 2;  // 1..10 bundles per plan
  // Hourly employer cost of the qualified roles; 0 = each vacancy's hourly_cost_eur.
  double qualified_hourly_cost_eur = 0;
  double elementary_hourly_cost_eur = 27;  // of the new jobs; >= 0
  // Weeks a year the cost difference counts (hourly costs are full employer costs per
  // paid hour, so 52). (0, 53].
  double weeks_per_year = 52;
  // Tasks needing a skill above this level stay (0..4).
  int max_learnable_skill_level = 2;
  // A bundle with less than this share of its hours alongside colleagues gets a
  // warning (one with none is not a job). [0, 1].
  double min_colleague_share = 0.5;
  int proposals = 3;       // at most this many plans; >= 1
  int top_candidates = 5;  // participant ids per bundle; >= 0
  // Exact optimiser up to this many movable tasks (0..22), heuristic above.
  int exact_max_tasks = 20;
  int heuristic_seeds = 48;  // >= 1
  // Accommodations the new jobs offer besides those the input vacancies offer.
  std::vector<Accommodation> offered_accommodations;
  CarveObjectiveWeights weights;
  FitRule fit;
};

struct CarveRequest {
  const Employer* employer = nullptr;
  std::vector<const Vacancy*> vacancies;  // at least one, all at one site of `employer`
  std::vector<const Participant*> pool;   // may be empty (counts are then 0)
  CarveOptions options;
};

enum class TaskDisposition : int { kUnspecified = 0, kStays, kMovable };

struct TaskClassification {
  std::string vacancy_id;
  std::string task_id;
  TaskDisposition disposition = TaskDisposition::kUnspecified;
  std::string reason;  // "legally reserved to registered nurse", "needs skill level 3", ...
};

// What a set of tasks needs: maxima and unions over the tasks.
struct RequirementLevels {
  LanguageLevels dutch;
  std::vector<std::string> licences;        // sorted
  std::vector<std::string> qualifications;  // reserved_to_qualification, sorted
  int max_skill_level = 0;                  // highest essential skill level (0..4)
  int digital_tools = 0;
  int lift_kg = 0;
  bool prolonged_standing = false;
  bool customer_contact = false;
  std::vector<TimeOfDay> times_of_day;  // distinct, enum order
};
RequirementLevels LevelsOf(const std::vector<const Task*>& tasks);

struct MovedTask {
  std::string vacancy_id;  // the role it comes from
  std::string task_id;
  std::string description;
  double hours_per_week = 0;
};

struct BundleProposal {
  std::vector<MovedTask> tasks;  // in input order (vacancy, then task)
  double hours_per_week = 0;
  double freed_qualified_hours = 0;       // hours/week taken off the qualified roles
  double yearly_cost_difference_eur = 0;  // sum of hours x (qualified - elementary) x weeks
  RequirementLevels before;    // what the roles the tasks come from need (all their tasks)
  RequirementLevels after;     // what the bundle needs
  double colleague_share = 0;  // share of the hours alongside colleagues
  // From Matcher::RankParticipants on `vacancy` plus the skill rule (FitRule).
  int fits_now = 0;
  int fits_with_accommodations = 0;
  // Of those, how many fit none of the input vacancies as they are today.
  int fits_new = 0;
  std::vector<std::string> top_candidate_ids;  // best first (matcher order)
  double objective = 0;  // this bundle's share of the objective (optimiser's figures)
  std::vector<std::string> warnings;
  // The bundle as a vacancy: id "<first origin id>-carve-<n>", the tasks with their
  // hours, shifts = the origin vacancies' shifts (deduplicated), the site's
  // accommodations, stated requirements = what the tasks need, hourly cost = the
  // elementary cost, contract type of the first origin. Ready for PublishBundle.
  Vacancy vacancy;
};

// How a qualified role changes.
struct RoleChange {
  std::string vacancy_id;
  double hours_before = 0;  // the vacancy's hours (sum of task hours if it has none)
  double hours_after = 0;
  std::vector<std::string> moved_task_ids;
  RequirementLevels before;
  RequirementLevels after;
  Vacancy after_vacancy;  // the vacancy without the moved tasks, hours reduced
};

struct CarvingProposal {
  double objective = 0;  // optimiser value of the plan
  std::vector<BundleProposal> bundles;
  std::vector<RoleChange> roles;  // only the roles that lose tasks, input order
  double freed_qualified_hours = 0;
  double yearly_cost_difference_eur = 0;
  std::vector<std::string> warnings;  // plan-level: roles left below their own minimum
};

struct CarvingResult {
  std::vector<TaskClassification> tasks;  // every task, input order
  int movable_tasks = 0;
  int pool_size = 0;
  bool exact = false;  // the first proposal is the proven optimum
  int64_t bundles_evaluated = 0;
  std::vector<CarvingProposal> proposals;  // best first; empty when nothing is feasible
};

// Checks a request; InvalidArgument with one FieldViolation per problem (field paths
// "options.max_new_jobs", "vacancies[1].site_id", "pool[3]", ...).
absl::Status ValidateCarveRequest(const CarveRequest& request);

// See the file comment. Thread-safe for a thread-safe matcher.
absl::StatusOr<CarvingResult> Carve(const Matcher& matcher, const CarveRequest& request);

}  // namespace carvematch

#endif  // CARVEMATCH_JOBCARVING_CARVING_H_
