// Bulk ranking: P participants x V vacancies, top-k both ways, in one fused pass.
//
// RankAll gives, for every participant, its best `top_k_per_participant` vacancies and,
// for every vacancy, its best `top_k_per_vacancy` participants, ordered exactly as the
// Matcher orders (tier, then score descending, then id ascending) and with exactly the
// tiers and scores Matcher::Explain gives for those pairs. The P x V score matrix is
// never materialised, and most pairs are settled without being looked at one by one:
//
//   1. Vacancies are bucketed by site in a grid: cells of about 1.5 km (at most
//      `vacancy_block` vacancies each) inside groups of 8 x 8 cells; participants are
//      taken in the Morton order of their homes, `participant_block` at a time per
//      worker thread.
//   2. Per participant, a straight-line lower bound on the distance to a group's or a
//      cell's box (TravelLowerBound: no mode, company transport, carpool or leased
//      e-bike can bridge it) settles all its pairs as BLOCKED by the commute at once.
//   3. Within reach, per pair: the static blockers in a compact form (CertainlyBlocked:
//      Dutch, licences, capacities, exclusions, hours, childcare days, availability),
//      then the skill coverage from the participant's best credit per need column
//      (a dense per-thread array, gathered per requirement), a score bound, the full
//      static check (pair_core.h), and a second bound with the commute's best case.
//   4. The pairs that can still enter the participant's or the vacancy's heap are
//      completed exactly (travel times, childcare timing, flexible start), best bound
//      first, and pushed into both bounded heaps (matcher/topk.h).
//   5. With BLOCKED pairs included, a second pass scores the far pairs (commute 0
//      points, so no travel time is needed) only for the participants and vacancies
//      whose lists can still take a BLOCKED pair after the first pass.
// Each worker owns the heaps of its participants and its own per-vacancy heaps, merged
// at the end. Pruning only skips pairs that cannot be in a final top-k, and the order
// is a strict total order, so the result does not depend on the thread count or
// scheduling.
//
// Example usage:
//   BatchRankOptions options;
//   options.top_k_per_participant = 10;
//   options.top_k_per_vacancy = 10;
//   options.progress = [](int64_t done, int64_t total) { return !cancelled; };
//   ASSIGN_OR_RETURN(BatchRankResult r, RankAll(matcher, participants, vacancies, options));
//   for (const RankedVacancy& v : r.for_participant[0]) { ... vacancies[v.vacancy] ... }
#ifndef CARVEMATCH_MATCHER_BATCH_RANKER_H_
#define CARVEMATCH_MATCHER_BATCH_RANKER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/commute_bound.h"
#include "matcher/matcher.h"
#include "mobility/travel.h"

namespace carvematch {

struct BatchRankOptions {
  int top_k_per_participant = 10;  // >= 0; 0 leaves the per-participant lists empty
  int top_k_per_vacancy = 10;      // >= 0
  bool include_blocked = true;     // false: BLOCKED pairs are never returned
  int threads = 2;                 // >= 1 worker threads (the calling thread is one)
  int participant_block = 64;      // participants per work unit, >= 1
  int vacancy_block = 32;          // at most this many vacancies per grid cell, >= 1
  // Called after each work unit with the pairs done so far (monotonic, the last call
  // has done == total; with BLOCKED pairs included each pass counts for half). Calls
  // come from the worker threads but never concurrently.
  // Returning false cancels: RankAll stops after the work units in progress and returns
  // absl::CancelledError.
  std::function<bool(int64_t done_pairs, int64_t total_pairs)> progress;
  // Travel-time bounds for the matcher's estimator. When unset and the estimator is a
  // TravelModel (exactly, not a subclass), TravelLowerBound::Of(it) is used; otherwise every pair
  // that may enter a top-k is completed with the estimator (exact either way, slower).
  std::optional<TravelLowerBound> travel_bound;
};

struct RankedVacancy {
  int vacancy = -1;  // index into the `vacancies` argument
  Tier tier = Tier::kUnspecified;
  double score = 0;
};

struct RankedParticipant {
  int participant = -1;  // index into the `participants` argument
  Tier tier = Tier::kUnspecified;
  double score = 0;
};

struct BatchRankStats {
  int64_t pairs = 0;            // P x V
  int64_t static_checks = 0;    // pairs whose static part was computed
  int64_t settled_far = 0;      // pairs whose commute was certainly blocked by the bound
  int64_t settled_by_cell = 0;  // of these, settled with their whole cell of vacancies
  int64_t completed = 0;        // pairs completed with travel times
  int64_t bounded_out = 0;      // pairs within reach skipped by their score bound alone
  int64_t static_blocked = 0;   // pairs within reach rejected by a static blocker first
  // With BLOCKED pairs: the participants and vacancies whose lists could still take a
  // BLOCKED pair after the first pass (the second pass scores far pairs for them).
  int64_t open_participants = 0;
  int64_t open_vacancies = 0;
  int need_columns = 0;  // K
};

struct BatchRankResult {
  // for_participant[p]: at most top_k_per_participant vacancies, best first.
  std::vector<std::vector<RankedVacancy>> for_participant;
  // for_vacancy[v]: at most top_k_per_vacancy participants, best first.
  std::vector<std::vector<RankedParticipant>> for_vacancy;
  BatchRankStats stats;
};

// Ranks all participants against all vacancies with the matcher's SkillCredit,
// TravelTimeEstimator and parameters.
// - Order per list: tier (fits, with accommodations, blocked), score descending, then
//   the other side's id ascending (equal ids: the lower index first).
// - Exact: tiers and scores equal Matcher::Explain on each returned pair; the lists
//   equal the top-k of sorting all pairs (tests/matcher/batch_ranker_test.cc).
// - Deterministic, whatever `threads` is.
// - InvalidArgument for a null participant, a context without vacancy or employer, or
//   an option out of range; FailedPrecondition when a vacancy's site is not among its
//   employer's sites; Cancelled when the progress callback returns false.
// The matcher and all inputs must stay unchanged during the call.
absl::StatusOr<BatchRankResult> RankAll(const Matcher& matcher,
                                        const std::vector<const Participant*>& participants,
                                        const std::vector<VacancyContext>& vacancies,
                                        const BatchRankOptions& options);

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_BATCH_RANKER_H_
