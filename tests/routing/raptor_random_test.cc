// Randomised tests: the router against the time-expanded reference (forward, with and
// without a transfer bound, point to point), the backward search against brute force over
// forward queries, and the range query against repeated forward queries.
#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "mobility/travel.h"
#include "routing/raptor.h"
#include "tests/routing/random_feed.h"
#include "tests/routing/reference.h"

namespace carvematch::routing {
namespace {

using testing::MakeRandomFeed;
using testing::RandomFeed;
using testing::ReferenceEarliestArrival;

constexpr int kSeeds = 300;
constexpr Seconds kLongHorizon = 4 * kSecondsPerDay;

NetworkOptions OptionsFor(const RandomFeed& feed) {
  NetworkOptions o;
  o.min_transfer_seconds = feed.ref.min_transfer_seconds;
  return o;
}

// Checks that `j` is a journey the rules allow, from `sources` (stop, ready time), ending
// at `stop` at `arrival`, with at most `max_rides` rides.
void ExpectValidJourney(const Journey& j, const transit::Timetable& t, Day date, Seconds mtt,
                        const std::vector<StopSeconds>& sources, StopIndex stop, Seconds arrival,
                        int max_rides) {
  EXPECT_EQ(j.arrival, arrival);
  EXPECT_LE(j.rides, max_rides);
  StopIndex at = kNoStop;
  Seconds time = 0;
  bool last_was_ride = false;
  if (j.legs.empty()) {
    bool is_source = false;
    for (const StopSeconds& s : sources) is_source |= s.stop == stop && s.seconds == arrival;
    EXPECT_TRUE(is_source);
    return;
  }
  const StopIndex first = j.legs.front().from_stop;
  bool found = false;
  for (const StopSeconds& s : sources) {
    if (s.stop == first && s.seconds <= j.legs.front().departure) found = true;
  }
  EXPECT_TRUE(found) << "first leg does not start at a source in time";
  at = first;
  time = j.legs.front().departure;
  int walks_in_a_row = 0;
  for (const Leg& leg : j.legs) {
    EXPECT_EQ(leg.from_stop, at);
    if (leg.kind == LegKind::kRide) {
      const Seconds ready = last_was_ride ? time + mtt : time;
      EXPECT_GE(leg.departure, ready);
      const transit::Route* route = nullptr;
      for (const transit::Route& r : t.routes) {
        if (leg.trip >= r.first_trip && leg.trip < r.first_trip + r.num_trips) route = &r;
      }
      EXPECT_NE(route, nullptr);
      if (route == nullptr) return;
      const uint32_t k = leg.trip - route->first_trip;
      EXPECT_TRUE(t.services[t.trips[leg.trip].service].RunsOn(date + leg.day_offset));
      bool board_ok = false, alight_ok = false;
      for (uint32_t i = 0; i < route->num_stops; ++i) {
        const uint32_t rs = route->first_route_stop + i;
        const transit::StopTime& st =
            t.stop_times[route->first_stop_time + k * route->num_stops + i];
        const Seconds shift = leg.day_offset * kSecondsPerDay;
        if (t.route_stops[rs] == leg.from_stop && st.departure + shift == leg.departure &&
            !(t.route_stop_flags[rs] & transit::kNoPickup)) {
          board_ok = true;
        }
        if (board_ok && t.route_stops[rs] == leg.to_stop && st.arrival + shift == leg.arrival &&
            !(t.route_stop_flags[rs] & transit::kNoDropoff)) {
          alight_ok = true;
        }
      }
      EXPECT_TRUE(board_ok && alight_ok) << "ride does not match its trip";
      last_was_ride = true;
      walks_in_a_row = 0;
    } else {
      EXPECT_GE(leg.departure, time);
      bool path = false;
      for (uint32_t k = t.footpath_offsets[leg.from_stop];
           k < t.footpath_offsets[leg.from_stop + 1]; ++k) {
        if (t.footpaths[k].to == leg.to_stop &&
            t.footpaths[k].duration == leg.arrival - leg.departure) {
          path = true;
        }
      }
      EXPECT_TRUE(path) << "walk is not a footpath";
      EXPECT_EQ(++walks_in_a_row, 1) << "footpaths are not chained";
      last_was_ride = false;
    }
    at = leg.to_stop;
    time = leg.arrival;
  }
  EXPECT_EQ(at, stop);
}

TEST(RaptorRandomTest, ForwardAgreesWithTimeExpandedDijkstra) {
  int compared = 0, reachable = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const RandomFeed feed = MakeRandomFeed(seed);
    const TransitNetwork network(feed.timetable, OptionsFor(feed));
    Router router(network);
    router.set_horizon(kLongHorizon);
    std::mt19937 rng(seed * 7919);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int n = static_cast<int>(feed.ref.num_stops);
    for (int q = 0; q < 3; ++q) {
      const Day date = feed.first_day + uniform(-1, 14);
      std::vector<StopSeconds> sources;
      for (int k = uniform(1, 2); k > 0; --k) {
        sources.push_back({static_cast<StopIndex>(uniform(0, n - 1)), uniform(0, 28 * 60) * 60});
      }
      const std::vector<Seconds> expected =
          ReferenceEarliestArrival(feed.ref, date, sources, kMaxTransfers + 1);
      router.EarliestArrivalFromStops(date, sources, kMaxTransfers);
      for (int s = 0; s < n; ++s) {
        ASSERT_EQ(router.ArrivalAt(s), expected[s]) << "stop " << s << " query " << q;
        ++compared;
        if (expected[s] == kUnreachable) {
          EXPECT_FALSE(router.JourneyToStop(s).has_value());
          continue;
        }
        ++reachable;
        const std::optional<Journey> j = router.JourneyToStop(s);
        ASSERT_TRUE(j.has_value());
        ExpectValidJourney(*j, feed.timetable, date, feed.ref.min_transfer_seconds, sources, s,
                           expected[s], kMaxTransfers + 1);
      }
      // Per transfer bound: from the same labels, and from a bounded query.
      for (int k = -1; k <= 2; ++k) {
        const std::vector<Seconds> bounded =
            ReferenceEarliestArrival(feed.ref, date, sources, k + 1);
        router.EarliestArrivalFromStops(date, sources, kMaxTransfers);
        for (int s = 0; s < n; ++s) {
          ASSERT_EQ(router.ArrivalAt(s, k), bounded[s]) << "stop " << s << " k " << k;
        }
        if (k < 0) continue;
        router.EarliestArrivalFromStops(date, sources, k);
        for (int s = 0; s < n; ++s) {
          ASSERT_EQ(router.ArrivalAt(s), bounded[s]) << "stop " << s << " bound " << k;
          if (bounded[s] != kUnreachable) {
            const std::optional<Journey> j = router.JourneyToStop(s);
            ASSERT_TRUE(j.has_value());
            ExpectValidJourney(*j, feed.timetable, date, feed.ref.min_transfer_seconds, sources, s,
                               bounded[s], k + 1);
          }
        }
      }
      // Target pruning keeps the target exact.
      const StopIndex target = static_cast<StopIndex>(uniform(0, n - 1));
      router.EarliestArrivalFromStops(date, sources, kMaxTransfers, {{target, 0}});
      ASSERT_EQ(router.ArrivalAt(target), expected[target]);
    }
  }
  EXPECT_GT(reachable, compared / 10);  // the feeds are not trivially disconnected
}

TEST(RaptorRandomTest, PointQueriesAgreeWithReference) {
  for (int seed = 1; seed <= kSeeds / 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const RandomFeed feed = MakeRandomFeed(1000 + seed);
    const TransitNetwork network(feed.timetable, OptionsFor(feed));
    Router router(network);
    router.set_horizon(kLongHorizon);
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (int q = 0; q < 4; ++q) {
      PointQuery pq;
      pq.from = {51.0 + 0.001 * uniform(0, 300), 3.7 + 0.001 * uniform(0, 300)};
      pq.to = {51.0 + 0.001 * uniform(0, 300), 3.7 + 0.001 * uniform(0, 300)};
      pq.date = feed.first_day + uniform(0, 13);
      pq.time = uniform(4 * 60, 26 * 60) * 60;
      pq.access = AccessOptions::Walk(1500);
      pq.egress = q % 2 == 0 ? AccessOptions::Walk(1500) : AccessOptions::Bike(2500);
      pq.max_transfers = kMaxTransfers;
      const std::vector<StopSeconds> access = network.AccessStops(pq.from, pq.access);
      const std::vector<StopSeconds> egress = network.AccessStops(pq.to, pq.egress);
      std::vector<StopSeconds> sources;
      for (const StopSeconds& a : access) sources.push_back({a.stop, pq.time + a.seconds});
      const std::vector<Seconds> ref =
          ReferenceEarliestArrival(feed.ref, pq.date, sources, kMaxTransfers + 1);
      Seconds expected = kUnreachable;
      for (const StopSeconds& e : egress) {
        if (ref[e.stop] != kUnreachable) expected = std::min(expected, ref[e.stop] + e.seconds);
      }
      const double meters = HaversineKm(pq.from, pq.to) * 1000;
      if (meters <= pq.access.max_meters) {
        expected = std::min(expected, pq.time + pq.access.SecondsFor(meters));
      }
      const std::optional<Journey> j = router.EarliestArrival(pq);
      if (expected == kUnreachable) {
        EXPECT_FALSE(j.has_value());
        continue;
      }
      ASSERT_TRUE(j.has_value());
      EXPECT_EQ(j->arrival, expected);
      EXPECT_GE(j->departure, pq.time);
      ASSERT_FALSE(j->legs.empty());
      // Backward from the found arrival: leaving no earlier than the forward journey did.
      PointQuery back = pq;
      back.time = j->arrival;
      const std::optional<Journey> b = router.LatestDeparture(back);
      ASSERT_TRUE(b.has_value());
      EXPECT_LE(b->arrival, j->arrival);
      EXPECT_GE(b->departure, j->departure);
      // And leaving at that latest departure still arrives by the deadline.
      PointQuery again = pq;
      again.time = b->departure;
      const std::optional<Journey> f = router.EarliestArrival(again);
      ASSERT_TRUE(f.has_value());
      EXPECT_LE(f->arrival, back.time);
    }
  }
}

// Latest departure from `from` reaching `target` by `deadline`, by trying every
// candidate departure time (each departure event there or one footpath away, and the
// pure walk) with forward queries, latest first.
Seconds BruteForceLatestDeparture(Router& router, const transit::Timetable& t, Day date,
                                  StopIndex from, StopIndex target, Seconds deadline,
                                  int max_transfers) {
  std::vector<std::pair<StopIndex, Seconds>> reach = {{from, 0}};
  for (uint32_t k = t.footpath_offsets[from]; k < t.footpath_offsets[from + 1]; ++k) {
    reach.push_back({t.footpaths[k].to, t.footpaths[k].duration});
  }
  std::vector<Seconds> candidates;
  for (const auto& [x, walk] : reach) {
    if (x == target) candidates.push_back(deadline - walk);
    for (const transit::Route& r : t.routes) {
      for (uint32_t i = 0; i < r.num_stops; ++i) {
        if (t.route_stops[r.first_route_stop + i] != x) continue;
        for (uint32_t k = 0; k < r.num_trips; ++k) {
          for (int o = -1; o <= 1; ++o) {
            candidates.push_back(t.stop_times[r.first_stop_time + k * r.num_stops + i].departure +
                                 o * kSecondsPerDay - walk);
          }
        }
      }
    }
  }
  std::sort(candidates.begin(), candidates.end(), std::greater<Seconds>());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (Seconds c : candidates) {
    if (c > deadline) continue;
    router.EarliestArrivalFromStops(date, {{from, c}}, max_transfers);
    if (router.ArrivalAt(target) <= deadline) return c;
  }
  return kNoDeparture;
}

TEST(RaptorRandomTest, BackwardAgreesWithBruteForce) {
  int found = 0;
  for (int seed = 1; seed <= kSeeds / 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const RandomFeed feed = MakeRandomFeed(2000 + seed);
    const TransitNetwork network(feed.timetable, OptionsFor(feed));
    Router backward(network);
    Router forward(network);
    backward.set_horizon(kLongHorizon);
    forward.set_horizon(kLongHorizon);
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int n = static_cast<int>(feed.ref.num_stops);
    for (int q = 0; q < 2; ++q) {
      const Day date = feed.first_day + uniform(0, 13);
      const StopIndex target = static_cast<StopIndex>(uniform(0, n - 1));
      const Seconds deadline = uniform(5 * 60, 29 * 60) * 60;
      const int k = q == 0 ? kMaxTransfers : uniform(0, 2);
      backward.LatestDepartureToStops(date, {{target, deadline}}, k);
      for (int s = 0; s < n; ++s) {
        const Seconds expected =
            BruteForceLatestDeparture(forward, feed.timetable, date, s, target, deadline, k);
        ASSERT_EQ(backward.DepartureFrom(s), expected) << "stop " << s << " bound " << k;
        if (expected == kNoDeparture) continue;
        ++found;
        const std::optional<Journey> j = backward.JourneyFromStop(s);
        ASSERT_TRUE(j.has_value());
        EXPECT_EQ(j->departure, expected);
        EXPECT_LE(j->arrival, deadline);
        EXPECT_LE(j->rides, k + 1);
        if (!j->legs.empty()) {
          EXPECT_EQ(j->legs.front().from_stop, static_cast<StopIndex>(s));
          EXPECT_EQ(j->legs.back().to_stop, target);
        }
      }
    }
  }
  EXPECT_GT(found, 0);
}

TEST(RaptorRandomTest, RangeAgreesWithRepeatedForwardQueries) {
  int checked = 0;
  for (int seed = 1; seed <= kSeeds / 3; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    const RandomFeed feed = MakeRandomFeed(3000 + seed);
    const TransitNetwork network(feed.timetable, OptionsFor(feed));
    Router range(network);
    Router forward(network);
    range.set_horizon(kLongHorizon);
    forward.set_horizon(kLongHorizon);
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int n = static_cast<int>(feed.ref.num_stops);
    const Day date = feed.first_day + uniform(0, 13);
    std::vector<StopSeconds> access;
    for (int k = uniform(1, 2); k > 0; --k) {
      access.push_back({static_cast<StopIndex>(uniform(0, n - 1)), uniform(0, 10) * 60});
    }
    const Seconds begin = uniform(4 * 60, 24 * 60) * 60;
    const Seconds end = begin + uniform(30, 180) * 60;
    const int k = seed % 2 == 0 ? kMaxTransfers : 1;
    std::map<Seconds, std::vector<Seconds>> runs;  // departure -> arrivals (rides >= 1)
    range.RangeFromStops(date, access, begin, end, k, [&](Seconds t) {
      std::vector<Seconds>& a = runs[t];
      for (int s = 0; s < n; ++s) a.push_back(range.ArrivalAt(s));
      EXPECT_GE(t, begin);
      EXPECT_LE(t, end);
    });
    auto ready_at = [&](Seconds t) {
      std::vector<StopSeconds> sources;
      for (const StopSeconds& a : access) sources.push_back({a.stop, t + a.seconds});
      return sources;
    };
    forward.EarliestArrivalFromStops(date, ready_at(end + 1), k);
    std::vector<Seconds> after_end(n);
    for (int s = 0; s < n; ++s) after_end[s] = forward.ArrivalAt(s);
    std::vector<Seconds> times;
    for (Seconds t = begin; t <= end; t += 300) times.push_back(t);
    for (const auto& [t, unused] : runs) times.push_back(t);
    for (Seconds t : times) {
      forward.EarliestArrivalFromStops(date, ready_at(t), k);
      auto it = runs.lower_bound(t);
      for (int s = 0; s < n; ++s) {
        const Seconds walk = forward.ArrivalAt(s, -1);
        const Seconds ranged = it == runs.end() ? kUnreachable : it->second[s];
        const Seconds got = std::min(walk, ranged);
        const Seconds truth = forward.ArrivalAt(s);
        ASSERT_GE(got, truth) << "stop " << s << " t " << t;
        if (truth < after_end[s]) {
          ASSERT_EQ(got, truth) << "stop " << s << " t " << t;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace carvematch::routing
