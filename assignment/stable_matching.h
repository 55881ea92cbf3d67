// Stable mode: when both sides rank, deferred acceptance (Gale & Shapley 1962) with
// capacities, participant-proposing, many-to-many with responsive preferences: a
// participant holds at most `proposals_per_participant` vacancies, a vacancy at most
// `capacity` participants.
//
// A pair (p, v) blocks a set of placements when p and v are not placed together, each
// finds the other acceptable, p holds fewer than its limit or prefers v to one it holds,
// and v holds fewer than its capacity or prefers p to one it holds. Deferred acceptance
// leaves no blocking pair (and gives every participant the best stable outcome);
// CountBlockingPairs checks any set of placements.
//
// Preferences: by default derived from the candidate edges (DerivePreferences):
// participants rank their eligible vacancies by tier (FITS first), score descending,
// vacancy index ascending; vacancies rank their eligible participants the same way with
// participant index as the last key. Given lists replace them (e.g. an employer's own
// priorities); a pair is acceptable only when it is in both lists.
//
// Example usage:
//   ASSIGN_OR_RETURN(Preferences prefs, DerivePreferences(problem, options));
//   prefs.vacancy[3] = {12, 4, 9};                  // employer 3's own priority list
//   ASSIGN_OR_RETURN(StableResult r, DeferredAcceptance(problem, prefs, options));
//   // r.blocking_pairs == 0
#ifndef CARVEMATCH_ASSIGNMENT_STABLE_MATCHING_H_
#define CARVEMATCH_ASSIGNMENT_STABLE_MATCHING_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "assignment/assignment.h"

namespace carvematch {

struct Preferences {
  std::vector<std::vector<int>> participant;  // size P: vacancy indices, best first
  std::vector<std::vector<int>> vacancy;      // size V: participant indices, best first
};

// Preferences from the eligible edges of the problem (see above); the options decide
// eligibility (allow_accommodations). InvalidArgument as ValidateAssignment.
absl::StatusOr<Preferences> DerivePreferences(const AssignmentProblem& problem,
                                              const AssignmentOptions& options);

struct StableResult {
  std::vector<Placement> placements;  // by participant, then vacancy; weight 0 and the
                                      // score and tier of the edge when there is one
  int assigned_participants = 0;
  std::vector<UnassignedParticipant> unassigned;  // reason as in Assign()
  FairnessReport fairness;
  int64_t proposals = 0;       // proposals made
  int64_t blocking_pairs = 0;  // CountBlockingPairs of the result (0 by the theorem)
};

// Deferred acceptance. Uses problem.participants, problem.capacity, the edges (for the
// scores and tiers reported and the unassigned reasons) and
// options.proposals_per_participant and options.progress (called per 1024 participants
// processed in the initial round and at the end).
// - Deterministic: participants propose in index order.
// - InvalidArgument for a malformed problem or preference list ("preferences.vacancy[3][1]"
//   out of range or repeated); Cancelled from the progress callback.
absl::StatusOr<StableResult> DeferredAcceptance(const AssignmentProblem& problem,
                                                const Preferences& preferences,
                                                const AssignmentOptions& options);

// The number of blocking pairs of `placements` under the preferences (see above);
// placements must respect the limits. O(sum of list lengths + placements).
int64_t CountBlockingPairs(const AssignmentProblem& problem, const Preferences& preferences,
                           const std::vector<Placement>& placements, int proposals_per_participant);

}  // namespace carvematch

#endif  // CARVEMATCH_ASSIGNMENT_STABLE_MATCHING_H_
