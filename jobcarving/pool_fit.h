// Who in a participant pool "fits" a vacancy, as the job-carving module counts it.
//
// The requirement review and the carving optimiser both count pool participants who
// could start in a (derived) vacancy. "Fits" is decided by the matcher:
//   - the matcher's tier (matcher/pair_core.h, the numeric core that
//     Matcher::RankParticipants ranks with; it equals Matcher::Explain's tier) is FITS
//     ("fits now") or FITS_WITH_ACCOMMODATIONS ("fits with the offered
//     accommodations"); BLOCKED does not fit;
//   - and the participant is "skill-ready": every essential skill requirement of every
//     task is credited at least FitRule::skill_credit_floor (default 0.5, the
//     matcher's own "missing" threshold MatcherParams::missing_below) at that task's
//     level, with the matcher's credits (ComputeBestCredit: same skill or a related
//     one, times min(1, have / need)). The matcher never blocks on skills (a gap lowers
//     the score), so without this rule a stated skill level could never exclude anyone.
//
// Example usage:
//   PoolFit fit(matcher, pool, FitRule{});
//   ASSIGN_OR_RETURN(std::vector<std::vector<Fit>> f, fit.Evaluate({{&v, &employer, nullptr}}));
//   int fitting = CountFit(f[0]);  // f[v][p] for vacancies[v] x pool[p]
#ifndef CARVEMATCH_JOBCARVING_POOL_FIT_H_
#define CARVEMATCH_JOBCARVING_POOL_FIT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "matcher/matcher.h"
#include "model/participant.h"
#include "model/vacancy.h"

namespace carvematch {

struct FitRule {
  // An essential skill requirement of a task counts as met when the participant's best
  // credit for it (credit x level factor, 0..1) is at least this. In [0, 1].
  float skill_credit_floor = 0.5f;
};

// Ordered best first.
enum class Fit : int { kNow = 0, kWithAccommodations, kNo };

// Number of kNow / kWithAccommodations entries.
struct FitCounts {
  int now = 0;
  int with_accommodations = 0;
  int total() const { return now + with_accommodations; }
};
FitCounts CountFit(const std::vector<Fit>& fits);

// The matcher's hours rule (docs/matching.md): `hours` > 0 a week is acceptable (OK or a
// gap) for a participant wanting [min_hours, max_hours] when it lies inside, or outside by
// at most `blocker_fraction` (relative to min_hours below, to max(max_hours, 1) above).
// The same arithmetic as the matcher's hours check, so the two agree exactly.
bool HoursAcceptable(double min_hours, double max_hours, double hours, double blocker_fraction);

class PoolFit {
 public:
  // `matcher` and the participants must outlive this object; participants are not null.
  PoolFit(const Matcher& matcher, std::vector<const Participant*> pool, FitRule rule = {});

  // Fit of every participant for every vacancy: result[v][p] for vacancies[v] and
  // pool[p]. InvalidArgument / FailedPrecondition as Matcher::RankParticipants (a
  // context without vacancy or employer; a site the employer does not have).
  // Deterministic and thread-safe.
  absl::StatusOr<std::vector<std::vector<Fit>>> Evaluate(
      const std::vector<VacancyContext>& vacancies) const;

  // The matcher's tier only (result[v][p]); the skill rule is not applied.
  absl::StatusOr<std::vector<std::vector<Tier>>> Tiers(
      const std::vector<VacancyContext>& vacancies) const;

  // Skill readiness only (result[v][p]): every essential skill requirement of every
  // task of vacancies[v] is credited at least the floor.
  std::vector<std::vector<bool>> SkillReady(const std::vector<const Vacancy*>& vacancies) const;

  const std::vector<const Participant*>& pool() const { return pool_; }
  const Matcher& matcher() const { return matcher_; }
  const FitRule& rule() const { return rule_; }

 private:
  const Matcher& matcher_;
  std::vector<const Participant*> pool_;
  FitRule rule_;
};

}  // namespace carvematch

#endif  // CARVEMATCH_JOBCARVING_POOL_FIT_H_
