// The combinatorial core of job carving: choose at most `max_bundles` disjoint bundles
// of movable tasks that maximise the sum of the bundles' scores. Plain numbers only (no
// vacancies, no matcher): jobcarving/carving.h builds the instance, tests compare the
// solvers, the benchmark measures them.
//
// A bundle B (a set of tasks) is feasible when
//   - min_hours <= hours(B) <= max_hours (sum of the tasks' weekly hours, +-1e-9);
//   - its times of day can be one schedule: all within {day, early}, or within
//     {day, late}, or all night (kUnspecified counts as day);
//   - at least one of its tasks is done alongside colleagues (no isolated job);
//   - it is not in the forbidden list.
// Its score is
//   weight_now x |N(B)| + weight_with_accommodations x (|A(B)| - |N(B)|) + sum of task values
// where, over the pool's participants,
//   N(B) = AND over tasks of fit_now bits, AND the hours of B acceptable (HoursAcceptable);
//   A(B) = AND over tasks of fit_any bits, AND the hours of B acceptable.
// (A participant fits a bundle when they fit each of its tasks and its hours: the
// matcher's checks are maxima / unions over tasks, so this equals the matcher on the
// bundle for tasks of one vacancy; see docs/jobcarving.md.)
//
// Solvers:
//   - SolveExact (at most kMaxExactTasks tasks): memoised recursion over subsets. The
//     lowest remaining task either stays or is in a bundle whose lowest task it is;
//     bundles are enumerated once (depth-first, pruned by max_hours) with their scores,
//     best-first per lowest task; g1[mask] (the best single bundle inside mask, a
//     subset-max transform) bounds what the remaining bundles can add, so a candidate is
//     skipped only when it cannot beat the best so far. Exact.
//   - SolveHeuristic (any size): several starts (bundles grown up to full time, or up
//     to an even share of the movable hours for 2..max_bundles bundles). In each:
//     greedy construction (best bundle grown task by task from each of up to
//     `heuristic_seeds` seeds), repeated up to max_bundles times; local search (move a
//     task between bundles / in or out, swap two tasks) until no move improves; then
//     large-neighbourhood search: each bundle and each pair of bundles is re-solved
//     exactly together with the staying tasks of highest value (at most
//     `neighbourhood` tasks; one more bundle may appear while the plan has fewer than
//     max_bundles), followed by local search, until nothing improves.
//   - SolveBruteForce (tests only, at most 12 tasks): every assignment of tasks to
//     {stay, bundle 1..max_bundles}.
// All are deterministic: ties keep the first candidate in a fixed order (tasks by index;
// the "stays" option first; bundles by score descending, then by mask).
//
// Example usage:
//   OptInstance inst;
//   inst.pool_size = 200;
//   inst.tasks.push_back({.hours = 4, .value = 2.0, ...});  // fit bits per task
//   inst.rules = {.min_hours = 12.67, .max_hours = 38, .max_bundles = 2};
//   OptSolution best = inst.tasks.size() <= kMaxExactTasks ? SolveExact(inst)
//                                                          : SolveHeuristic(inst);
#ifndef CARVEMATCH_JOBCARVING_BUNDLE_OPTIMIZER_H_
#define CARVEMATCH_JOBCARVING_BUNDLE_OPTIMIZER_H_

#include <cstdint>
#include <vector>

#include "model/common.h"

namespace carvematch {

inline constexpr int kMaxExactTasks = 22;
// Tasks in one exact sub-problem of the heuristic's large-neighbourhood step.
inline constexpr int kDefaultNeighbourhood = 12;

struct OptTask {
  double hours = 0;
  TimeOfDay time_of_day = TimeOfDay::kDay;
  bool alongside_colleagues = true;
  double value = 0;  // the additive part of the score (freed hours, cost difference)
  // Participant bitsets, (pool_size + 63) / 64 words each, bit p = participant p.
  std::vector<uint64_t> fit_now;  // fits this task now (tier FITS, skills ready)
  std::vector<uint64_t> fit_any;  // fits now or with accommodations (superset of fit_now)
};

struct OptParticipantHours {
  double min_hours = 0;
  double max_hours = 38;
};

struct OptRules {
  double min_hours = 38.0 / 3;
  double max_hours = 38;
  int max_bundles = 2;  // >= 1
  double weight_now = 1;
  double weight_with_accommodations = 0.5;
  double hours_blocker_fraction = 0.25;  // MatcherParams::hours_blocker_fraction
};

struct OptInstance {
  std::vector<OptTask> tasks;
  int pool_size = 0;
  std::vector<OptParticipantHours> hours;  // one per participant
  OptRules rules;
  // Bundles (task index lists, any order) that count as infeasible.
  std::vector<std::vector<int>> forbidden;
};

struct OptSolution {
  double value = 0;
  // Disjoint bundles, each sorted ascending, ordered by their lowest task.
  std::vector<std::vector<int>> bundles;
  int64_t bundles_evaluated = 0;  // score evaluations (for the benchmark)
};

// A bundle's figures under the rules (whatever its feasibility).
struct BundleFigures {
  bool feasible = false;
  double hours = 0;
  int fit_now = 0;
  int fit_with_accommodations = 0;
  double score = 0;
};
BundleFigures EvaluateBundle(const OptInstance& inst, const std::vector<int>& tasks);

// True when the times of day can be one schedule (see above).
bool CompatibleTimes(const std::vector<TimeOfDay>& times);

// Sum of the bundles' scores; -infinity when a bundle is infeasible, bundles overlap or
// there are more than max_bundles.
double PlanValue(const OptInstance& inst, const std::vector<std::vector<int>>& bundles);

OptSolution SolveExact(const OptInstance& inst);  // tasks.size() <= kMaxExactTasks
// `neighbourhood`: the size of the exact sub-problems of the large-neighbourhood step
// (0 or 1 turns it off; at most kMaxExactTasks).
OptSolution SolveHeuristic(const OptInstance& inst, int heuristic_seeds = 48,
                           int neighbourhood = kDefaultNeighbourhood);
OptSolution SolveBruteForce(const OptInstance& inst);  // tasks.size() <= 12

// The best plan and alternatives, at most max_plans (>= 1): plan 1 is the optimum
// (exact: SolveExact, else SolveHeuristic); then, for each bundle of plan 1, the
// optimum with that bundle forbidden. Distinct plans, alternatives best first (stable).
// An empty first plan means nothing is feasible; then it is the only plan returned.
// The exact solver enumerates the bundles once for all of them.
// bundles_evaluated of each plan counts that plan's own evaluations.
std::vector<OptSolution> SolvePlans(const OptInstance& inst, int max_plans, bool exact,
                                    int heuristic_seeds = 48,
                                    int neighbourhood = kDefaultNeighbourhood);

}  // namespace carvematch

#endif  // CARVEMATCH_JOBCARVING_BUNDLE_OPTIMIZER_H_
