// Assignment for agencies: who goes where, for many participants and many vacancies
// with a number of places each, exactly optimal, and without "creaming" (serving only
// the strongest profiles). docs/assignment.md has the full description.
//
// The problem is sparse: candidate edges (participant, vacancy, match score, tier), for
// instance each participant's top-k from RankAll (matcher/batch_ranker.h; see
// ProblemFromRanking). A participant takes at most `proposals_per_participant` distinct
// vacancies, a vacancy at most `capacity` participants. Eligible edges: tier FITS, and
// FITS_WITH_ACCOMMODATIONS when allowed; BLOCKED edges are never assigned.
//
// Objective (exact, on integers): maximise the sum of the edge weights
//   weight = round(1000 x (score + bonus)) + 1      (units of 1/1000 score point)
// where bonus is 0 for Objective::kMatchQuality and, for Objective::kAntiCreaming,
//   bonus = per_barrier x min(barriers, max_barriers)
//         + per_waiting_month x min(waiting_months, max_waiting_months).
// The +1 makes every eligible pair worth something, so a participant stays unassigned
// only when no eligible vacancy has a place left in the optimum ("outcompeted") or when
// there is no eligible vacancy at all. With `maximize_assigned_first`, the number of
// assignments is maximised first and the weight second (lexicographic).
//
// Example usage:
//   AssignmentProblem problem;
//   problem.participants = 2;
//   problem.capacity = {1};                       // one vacancy, one place
//   problem.edges = {{0, 0, 80.0, Tier::kFits}, {1, 0, 70.0, Tier::kFits}};
//   problem.barriers = {0, 3};
//   AssignmentOptions options;
//   options.objective = Objective::kAntiCreaming;  // 70 + 3 x 6 > 80
//   ASSIGN_OR_RETURN(AssignmentResult r, Assign(problem, options));
//   // r.placements == {{1, 0, 70.0, Tier::kFits, 88001}}, r.unassigned[0].reason ==
//   // UnassignedReason::kOutcompeted, r.fairness.groups[...] per barrier count.
//   ASSIGN_OR_RETURN(ObjectiveComparison c, CompareObjectives(problem, options));
//
// Outcomes are not errors: nobody assignable is a normal, empty answer. Only malformed
// input (InvalidArgument naming the field, e.g. "edges[3].vacancy") or a cancellation
// through the progress callback (Cancelled) is an error.
#ifndef CARVEMATCH_ASSIGNMENT_ASSIGNMENT_H_
#define CARVEMATCH_ASSIGNMENT_ASSIGNMENT_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "assignment/b_matching.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"
#include "model/participant.h"

namespace carvematch {

// One candidate pair. Indices are into the problem's participants and vacancies.
struct CandidateEdge {
  int participant = -1;
  int vacancy = -1;
  double score = 0;  // the match score, 0..100
  Tier tier = Tier::kUnspecified;
};

struct AssignmentProblem {
  int participants = 0;              // P
  std::vector<int> capacity;         // per vacancy (V = size), each >= 1
  std::vector<CandidateEdge> edges;  // any order; at most one per pair
  // Per participant (size P), or empty for all 0: barrier counts (CountBarriers) for
  // the fairness report and the anti-creaming bonus, each 0..kBarrierKinds.
  std::vector<int> barriers;
  // Per participant (size P), or empty: months since registration as a job seeker,
  // >= 0 (WaitingMonthsOf in assignment/selection.h, from Participant::job_seeker_since).
  std::vector<int> waiting_months;

  int vacancies() const { return static_cast<int>(capacity.size()); }
};

enum class Objective : int { kMatchQuality = 0, kAntiCreaming };
std::string_view ObjectiveName(Objective o);  // "match_quality", "anti_creaming"

// The anti-creaming bonus, in score points added to every eligible edge of a person.
// The barrier defaults are calibrated on the synthetic 100k population
// (docs/assignment.md "Calibration": the smallest weight per barrier, on a 0.5 grid,
// at which people with 3+ barriers get at least 4/5 of their proportional share of the
// placements, no group with fewer barriers falls below 4/5 of the overall assigned
// share, and at most 3 % of the match score is given up).
struct AntiCreamingWeights {
  double per_barrier = 6;          // >= 0
  int max_barriers = 6;            // barriers above this add nothing more, >= 0
  double per_waiting_month = 0.5;  // >= 0 (only with waiting_months)
  int max_waiting_months = 24;     // >= 0
};

struct AssignmentOptions {
  bool allow_accommodations = true;   // FITS_WITH_ACCOMMODATIONS edges are eligible
  int proposals_per_participant = 1;  // >= 1: at most this many distinct vacancies each
  Objective objective = Objective::kMatchQuality;
  AntiCreamingWeights anti_creaming;
  bool maximize_assigned_first = false;  // lexicographic: count, then weight
  // Progress (monotonic; the last call has done == total), about 100 calls. The unit is
  // participants processed, or vacancies when the places add up to fewer than the
  // proposal slots (the solver then works from the vacancy side; `total` tells).
  // Returning false stops with absl::CancelledError; deadlines are checked here too.
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct Placement {
  int participant = -1;
  int vacancy = -1;
  double score = 0;
  Tier tier = Tier::kUnspecified;
  int64_t weight = 0;  // the objective weight of the edge (see the header comment)
  bool operator==(const Placement& o) const {
    return participant == o.participant && vacancy == o.vacancy;
  }
};

enum class UnassignedReason : int {
  kUnspecified = 0,
  kNoFeasibleVacancy,  // no eligible edge (none, BLOCKED, or accommodations not allowed)
  kOutcompeted,        // eligible vacancies exist, their places went to others
};
std::string_view UnassignedReasonName(UnassignedReason r);  // "no_feasible_vacancy", ...

struct UnassignedParticipant {
  int participant = -1;
  UnassignedReason reason = UnassignedReason::kUnspecified;
  int eligible_vacancies = 0;  // eligible edges of the participant
};

// Participants with the same number of barriers, compared with the whole pool.
struct FairnessGroup {
  int barriers = 0;
  int pool = 0;                   // participants with this many barriers
  int with_eligible_vacancy = 0;  // of these, with at least one eligible edge
  int assigned = 0;               // of these, with at least one placement
  double assigned_share = 0;      // assigned / pool (0 when pool is 0)
  double pool_share = 0;          // pool / all participants
  double share_of_assigned = 0;   // assigned / all assigned participants
  // share_of_assigned / pool_share: 1 is proportional, below 1 under-served.
  double representation = 0;
};

struct FairnessReport {
  std::vector<FairnessGroup> groups;  // by barriers ascending; only counts present
  int pool = 0;
  int assigned = 0;
  double assigned_share = 0;
};

struct AssignmentResult {
  std::vector<Placement> placements;              // by participant, then vacancy, ascending
  int64_t objective = 0;                          // sum of placement weights
  double total_score = 0;                         // sum of placement scores (no bonus)
  int assigned_participants = 0;                  // participants with at least one placement
  std::vector<UnassignedParticipant> unassigned;  // by participant ascending
  FairnessReport fairness;
  BMatchingStats solver_stats;  // assignment/b_matching.h
};

// The weight of one eligible edge under the options (see the header comment); 0 for an
// edge that is not eligible. The same formula Assign() uses.
int64_t EdgeWeight(const AssignmentProblem& problem, const CandidateEdge& edge,
                   const AssignmentOptions& options);
bool IsEligible(Tier tier, const AssignmentOptions& options);

// Checks the problem and options; InvalidArgument naming the field ("capacity[2]",
// "edges[7].score", "barriers", "options.proposals_per_participant", ...).
absl::Status ValidateAssignment(const AssignmentProblem& problem, const AssignmentOptions& options);

// The exact optimum (assignment/b_matching.h).
// - Capacities, per-participant limits and eligibility always hold.
// - Deterministic: the same problem (including edge order) gives the same placements.
// - InvalidArgument for malformed input, Cancelled from the progress callback.
absl::StatusOr<AssignmentResult> Assign(const AssignmentProblem& problem,
                                        const AssignmentOptions& options);

// The fairness report of any set of placements (the result's own is filled already).
FairnessReport MakeFairnessReport(const AssignmentProblem& problem,
                                  const AssignmentOptions& options,
                                  const std::vector<Placement>& placements);

// Both objectives on the same problem, side by side.
struct GroupComparison {
  int barriers = 0;
  int pool = 0;
  int assigned_quality = 0;        // under kMatchQuality
  int assigned_anti_creaming = 0;  // under kAntiCreaming
  double share_quality = 0;
  double share_anti_creaming = 0;
};

struct ObjectiveComparison {
  AssignmentResult quality;             // options with objective = kMatchQuality
  AssignmentResult anti_creaming;       // options with objective = kAntiCreaming
  std::vector<GroupComparison> groups;  // by barriers ascending
  // Match quality given up for fairness: quality.total_score - anti_creaming.total_score
  // (>= 0 up to the +1 unit per placement).
  double score_cost = 0;
};

// Runs Assign() twice (options.objective is overridden); the progress callback sees
// the first run as 0..total and the second as total..2 x total.
absl::StatusOr<ObjectiveComparison> CompareObjectives(const AssignmentProblem& problem,
                                                      const AssignmentOptions& options);

// Builds a problem from RankAll's per-participant lists: one edge per ranked pair
// (BLOCKED ones included; Assign never uses them), capacities from
// vacancies[v].vacancy->capacity, barriers from CountBarriers. participants and
// vacancies must be the arguments RankAll was called with.
absl::StatusOr<AssignmentProblem> ProblemFromRanking(
    const BatchRankResult& ranking, const std::vector<const Participant*>& participants,
    const std::vector<VacancyContext>& vacancies);

}  // namespace carvematch

#endif  // CARVEMATCH_ASSIGNMENT_ASSIGNMENT_H_
