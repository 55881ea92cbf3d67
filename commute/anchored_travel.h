// Public transport for many commuters to the same site: one one-to-all search per
// (site, date, time, leg) answers every origin, instead of one router query per pair.
//
// Every commute the matcher asks has the workplace at one end, at a fixed time: the way
// there arrives at the site by the shift's start, the way back leaves it at the shift's
// end. AnchoredTransitTravel runs, for the first such question about a (site, weekday of
// the reference week, minute, leg), one search anchored at the site (a backward
// latest-departure search for the way there, a forward earliest-arrival search for the
// way back) with the exact estimator's network, reference week, access and transfer
// bound, and keeps its per-stop labels. Any home or childcare location is then read from
// the labels through its access stops (plus the direct walk), at the cost of a grid
// lookup. The first question about a (site, date, time, leg) is answered by the exact
// estimator's point query, the search runs at the second: one participant ranked
// against many sites (RankVacancies, ExplainMatch) costs what it costs without the cache.
//
// The answers are exactly TransitTravel's (the same searches; a point query only prunes
// the search to its origin), which tests/commute/anchored_travel_test.cc checks on random
// points of a generated regional feed. So a matcher over this estimator is the exact
// matcher, only faster when many participants are asked about one site: RankParticipants,
// the re-check of BulkRank's and Assign's candidate pairs.
//
// The cache holds the labels of at most `max_searches` searches (4 bytes per stop each:
// 120 KB for a 30 000-stop network), least recently used out first. Thread-safe: a
// search runs outside the lock on a router borrowed from the exact estimator; two
// threads asking the same new key at once may both search (same result, kept once).
// Other modes, plans (explanations) and lower bounds are the exact estimator's.
//
// Example usage:
//   TransitTravel exact(network, TravelModel(), options);
//   AnchoredTransitTravel anchored(exact);
//   Matcher matcher(credit, anchored);  // same answers as Matcher(credit, exact)
#ifndef CARVEMATCH_COMMUTE_ANCHORED_TRAVEL_H_
#define CARVEMATCH_COMMUTE_ANCHORED_TRAVEL_H_

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "commute/transit_travel.h"
#include "mobility/travel.h"
#include "model/common.h"
#include "routing/raptor.h"

namespace carvematch::commute {

class AnchoredTransitTravel : public TravelTimeEstimator {
 public:
  struct Stats {
    uint64_t point_queries = 0;  // first questions about a key, asked to the exact router
    uint64_t searches = 0;       // one-to-all searches run
    uint64_t hits = 0;           // questions answered from kept labels
    size_t kept = 0;             // searches kept now
  };

  // `exact` must outlive this estimator. max_searches >= 1.
  explicit AnchoredTransitTravel(const TransitTravel& exact, size_t max_searches = 128);
  ~AnchoredTransitTravel() override;

  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override;
  bool SameAtAllTimes(TransportMode mode) const override { return exact_.SameAtAllTimes(mode); }
  std::optional<TripPlan> Plan(TransportMode mode, GeoPoint from, GeoPoint to,
                               const WeeklySpan& shift, TripLeg leg,
                               int max_minutes) const override {
    return exact_.Plan(mode, from, to, shift, leg, max_minutes);
  }
  std::optional<ModeLowerBound> LowerBound(TransportMode mode) const override {
    return exact_.LowerBound(mode);
  }

  const TransitTravel& exact() const { return exact_; }
  Stats stats() const;

 private:
  struct Key {
    double lat = 0;
    double lon = 0;
    transit::Day date = 0;
    routing::Seconds time = 0;
    bool forward = false;
    bool operator==(const Key& o) const {
      return lat == o.lat && lon == o.lon && date == o.date && time == o.time &&
             forward == o.forward;
    }
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.lat, k.lon, k.date, k.time, k.forward);
    }
  };
  // Per stop (timetable order): the latest departure (backward) or the earliest
  // arrival (forward) of the search.
  using Labels = std::vector<routing::Seconds>;
  using Entry = std::pair<Key, std::shared_ptr<const Labels>>;

  // The labels of `key`'s search (run now when needed); null for the first question
  // about the key, which the caller asks to the exact estimator.
  std::shared_ptr<const Labels> Search(const Key& key, GeoPoint anchor) const;

  // Keys asked once (forgotten all at once beyond this many).
  static constexpr size_t kMaxAskedOnce = 1 << 16;

  const TransitTravel& exact_;
  const size_t max_searches_;
  mutable std::mutex mu_;
  mutable std::list<Entry> lru_;  // most recently used first
  mutable absl::flat_hash_map<Key, std::list<Entry>::iterator> by_key_;
  mutable absl::flat_hash_set<Key> asked_once_;
  mutable Stats stats_;
};

}  // namespace carvematch::commute

#endif  // CARVEMATCH_COMMUTE_ANCHORED_TRAVEL_H_
