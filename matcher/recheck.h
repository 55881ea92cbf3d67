// The second pass of a two-pass bulk ranking: the exact matcher re-scores the pairs a
// first pass proposed.
//
// With a public-transport timetable the bulk path's first pass (RankAll over the
// zone-to-site matrix, commute/zone_matrix.h) answers public transport for a zone's
// representative point at a quarter-hour band, so its tiers and scores can be off for
// the pairs it returns. RecheckRanking takes that first result, re-scores every pair in
// it with `exact` (per vacancy, one RankAll over its proposed participants that keeps
// them all: the numeric path, whose tiers and scores equal Matcher::Explain's), and
// re-sorts each list in the matcher's order (tier, score descending, the other side's id
// ascending, index), keeping the best `top_k_*`. BLOCKED pairs are dropped when
// `include_blocked` is false.
//
// What it guarantees: every returned tier and score is the exact matcher's, and each
// list is the exact top-k *of the first pass's candidates*. A pair the first pass did not
// propose is not seen: ask the first pass for more than k (BulkRank asks for 2k) so that
// the pairs the approximation undervalued still come through.
//
// Pairs are evaluated grouped by site, so an estimator that answers many homes from one
// search per site (commute/anchored_travel.h) runs one search per site and shift rather
// than one per pair, on `threads` threads.
//
// Example usage:
//   options.top_k_per_participant = 2 * k;  // first pass
//   ASSIGN_OR_RETURN(BatchRankResult first, RankAll(fast, people, jobs, options));
//   RecheckOptions r;  r.top_k_per_participant = k;  r.top_k_per_vacancy = k;
//   ASSIGN_OR_RETURN(BatchRankResult exact_lists, RecheckRanking(exact, people, jobs, first, r));
#ifndef CARVEMATCH_MATCHER_RECHECK_H_
#define CARVEMATCH_MATCHER_RECHECK_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "matcher/batch_ranker.h"
#include "matcher/matcher.h"

namespace carvematch {

struct RecheckOptions {
  int top_k_per_participant = 10;  // >= 0
  int top_k_per_vacancy = 10;      // >= 0
  bool include_blocked = true;
  int threads = 2;  // >= 1 (the calling thread is one)
  // Called now and then from the worker threads (never concurrently) with the pairs
  // re-scored so far and in all; returning false cancels (absl::CancelledError).
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct RecheckStats {
  int64_t pairs = 0;    // distinct pairs re-scored
  int64_t changed = 0;  // of these, with another tier or score than the first pass gave
};

// `participants` and `vacancies` are the ones `first` was ranked over. InvalidArgument
// for an option out of range or an index of `first` outside them; the errors of
// RankAll; Cancelled when `progress` returns false. `stats` may be null.
absl::StatusOr<BatchRankResult> RecheckRanking(const Matcher& exact,
                                               const std::vector<const Participant*>& participants,
                                               const std::vector<VacancyContext>& vacancies,
                                               const BatchRankResult& first,
                                               const RecheckOptions& options,
                                               RecheckStats* stats = nullptr);

}  // namespace carvematch

#endif  // CARVEMATCH_MATCHER_RECHECK_H_
