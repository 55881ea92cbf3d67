// What-if questions on one participant x vacancy pair, answered exactly by evaluating
// the pair again with the matcher:
//   - ExplainWhatIf: the pair under hypothetical changes ("gets an e-bike", "reaches
//     Dutch A2 speaking", "the employer offers a flexible start");
//   - SmallestUnblockingSet: for a blocked pair, the fewest accommodations the employer
//     does not offer yet that would make it fit.
//
// Example usage:
//   Hypothesis h;
//   h.add_transport_modes = {TransportMode::kEBike};
//   ASSIGN_OR_RETURN(MatchResult after, ExplainWhatIf(matcher, participant, context, h));
#ifndef CARVEMATCH_MATCHER_WHAT_IF_H_
#define CARVEMATCH_MATCHER_WHAT_IF_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/matcher.h"

namespace carvematch {

struct Hypothesis {
  std::vector<TransportMode> add_transport_modes;
  std::vector<std::string> add_licences;
  // Levels that replace the participant's where they are not kNone.
  LanguageLevels dutch;
  int max_commute_minutes = 0;  // 0 = unchanged
  std::vector<Accommodation> add_accommodations;

  bool empty() const;
};

// The participant and vacancy with the hypothesis applied (inputs are not changed).
Participant ApplyHypothesis(const Participant& p, const Hypothesis& h);
Vacancy ApplyHypothesis(const Vacancy& v, const Hypothesis& h);

absl::StatusOr<MatchResult> ExplainWhatIf(const Matcher& matcher, const Participant& p,
                                          const VacancyContext& context, const Hypothesis& h);

// For a pair that is BLOCKED: the smallest set of accommodations, among those the
// vacancy does not offer yet, whose offer makes the pair fit (with accommodations).
// - nullopt when the pair is not blocked, or when no set unblocks it (even all of them).
// - Smallest first; among sets of one size the first in enum order. Deterministic.
// - Offering an accommodation never makes a pair worse, so when all of them together
//   do not unblock, no subset does: one evaluation answers "none exists".
absl::StatusOr<std::optional<std::vector<Accommodation>>> SmallestUnblockingSet(
    const Matcher& matcher, const Participant& p, const VacancyContext& context);

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_WHAT_IF_H_
