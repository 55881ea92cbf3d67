#include "transit/timetable.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mobility/travel.h"

namespace carvematch::transit {
namespace {

using ::testing::HasSubstr;

constexpr Seconds H(int h, int m = 0) { return h * 3600 + m * 60; }

TEST(CalendarTest, CivilDatesAndWeekdays) {
  EXPECT_EQ(DayFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(WeekdayOf(0), 3);  // Thursday
  const Day d = DayFromCivil(2026, 11, 23);
  EXPECT_EQ(WeekdayOf(d), 0);                                          // a Monday
  EXPECT_EQ(DayFromCivil(2024, 3, 1) - DayFromCivil(2024, 2, 28), 2);  // leap year
  EXPECT_EQ(DayFromCivil(2023, 3, 1) - DayFromCivil(2023, 2, 28), 1);
  int y, m, dd;
  CivilFromDay(d, &y, &m, &dd);
  EXPECT_EQ(y, 2026);
  EXPECT_EQ(m, 11);
  EXPECT_EQ(dd, 23);
  EXPECT_EQ(WeekdayOf(-1), 2);  // 1969-12-31 was a Wednesday
  for (Day x = -800; x < 80000; x += 37) {
    CivilFromDay(x, &y, &m, &dd);
    EXPECT_EQ(DayFromCivil(y, m, dd), x);
  }
}

TEST(CalendarTest, WeeklyAddRemove) {
  const Day monday = DayFromCivil(2026, 11, 23);
  ServiceCalendar c = ServiceCalendar::Weekly("f:wd", monday, monday + 99, 0x1f);
  EXPECT_TRUE(c.RunsOn(monday));
  EXPECT_TRUE(c.RunsOn(monday + 4));   // Friday
  EXPECT_FALSE(c.RunsOn(monday + 5));  // Saturday
  EXPECT_FALSE(c.RunsOn(monday + 6));  // Sunday
  EXPECT_TRUE(c.RunsOn(monday + 98));  // Friday of week 15
  EXPECT_FALSE(c.RunsOn(monday + 105));
  EXPECT_FALSE(c.RunsOn(monday - 7));
  EXPECT_EQ(c.CountDays(), 5 * 14 + 2);  // 14 full weeks, then Monday +98 and Tuesday +99
  c.Remove(monday + 2);
  EXPECT_FALSE(c.RunsOn(monday + 2));
  c.Add(monday + 6);  // an extra Sunday
  EXPECT_TRUE(c.RunsOn(monday + 6));
  c.Add(monday - 200);  // before the range: the bits shift
  EXPECT_TRUE(c.RunsOn(monday - 200));
  EXPECT_TRUE(c.RunsOn(monday));
  EXPECT_FALSE(c.RunsOn(monday + 2));
  EXPECT_TRUE(c.RunsOn(monday + 6));
  c.Add(monday + 400);  // after the range
  EXPECT_TRUE(c.RunsOn(monday + 400));
  Day first = 0, last = 0;
  ASSERT_TRUE(c.Span(&first, &last));
  EXPECT_EQ(first, monday - 200);
  EXPECT_EQ(last, monday + 400);

  ServiceCalendar only_dates;
  only_dates.Add(monday + 3);
  EXPECT_TRUE(only_dates.RunsOn(monday + 3));
  EXPECT_FALSE(only_dates.RunsOn(monday + 2));
  only_dates.Remove(monday + 3);
  EXPECT_FALSE(only_dates.Span(&first, &last));
}

class BuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Day monday = DayFromCivil(2026, 11, 23);
    service_ = b_.AddService(ServiceCalendar::Weekly("f:wd", monday, monday + 30, 0x1f));
    // Four stops 2 km apart on a line (no generated footpaths between them).
    for (int i = 0; i < 4; ++i) {
      s_[i] = b_.AddStop(
          {"f:S" + std::to_string(i), "Stop " + std::to_string(i), {51.0 + 0.018 * i, 3.7}});
    }
  }
  TripInfo Info(const std::string& id) {
    return TripInfo{id, "f:r1", "36", RouteMode::kBus, service_, ""};
  }
  // A trip over stops `stops` leaving at `dep`, `per_hop` seconds between stops.
  absl::Status Trip(const std::string& id, std::vector<int> stops, Seconds dep, Seconds per_hop) {
    std::vector<TripStop> calls;
    for (size_t i = 0; i < stops.size(); ++i) {
      const Seconds t = dep + static_cast<Seconds>(i) * per_hop;
      calls.push_back({s_[stops[i]], t, t});
    }
    return b_.AddTrip(Info(id), calls);
  }
  FootpathOptions NoWalk() {
    FootpathOptions o;
    o.max_walk_meters = 0;
    return o;
  }

  TimetableBuilder b_;
  ServiceIndex service_ = 0;
  StopIndex s_[4] = {};
};

TEST_F(BuilderTest, GroupsTripsBySequenceAndSortsByDeparture) {
  ASSERT_TRUE(Trip("f:late", {0, 1, 2}, H(8), 600).ok());
  ASSERT_TRUE(Trip("f:early", {0, 1, 2}, H(6, 12), 600).ok());
  ASSERT_TRUE(Trip("f:other", {2, 1, 0}, H(7), 600).ok());
  ASSERT_TRUE(Trip("f:mid", {0, 1, 2}, H(7), 600).ok());
  // Same stops but no pickup at the last stop: its own route.
  std::vector<TripStop> calls = {
      {s_[0], H(9), H(9)}, {s_[1], H(9, 10), H(9, 10)}, {s_[2], H(9, 20), H(9, 20), true, false}};
  ASSERT_TRUE(b_.AddTrip(Info("f:flags"), calls).ok());
  absl::StatusOr<Timetable> t = std::move(b_).Build(NoWalk());
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->num_routes(), 3u);
  const Route& r0 = t->routes[0];
  EXPECT_EQ(r0.num_stops, 3u);
  ASSERT_EQ(r0.num_trips, 3u);
  EXPECT_EQ(t->trips[r0.first_trip].trip_id, "f:early");
  EXPECT_EQ(t->trips[r0.first_trip + 1].trip_id, "f:mid");
  EXPECT_EQ(t->trips[r0.first_trip + 2].trip_id, "f:late");
  EXPECT_EQ(t->At(0, 0, 0).departure, H(6, 12));
  EXPECT_EQ(t->At(0, 1, 2).arrival, H(7, 20));
  EXPECT_EQ(t->At(0, 2, 1).departure, H(8, 10));
  EXPECT_EQ(t->route_stops[r0.first_route_stop + 0], s_[0]);
  EXPECT_EQ(t->route_stops[r0.first_route_stop + 2], s_[2]);
  const Route& r1 = t->routes[1];
  EXPECT_EQ(t->trips[r1.first_trip].trip_id, "f:other");
  EXPECT_EQ(t->route_stops[r1.first_route_stop], s_[2]);
  const Route& r2 = t->routes[2];
  EXPECT_EQ(t->trips[r2.first_trip].trip_id, "f:flags");
  EXPECT_EQ(t->route_stop_flags[r2.first_route_stop + 2], kNoPickup);
  EXPECT_EQ(t->route_stop_flags[r0.first_route_stop + 2], 0);
  EXPECT_EQ(t->stop_times.size(), 5u * 3u);
}

TEST_F(BuilderTest, OvertakingTripsSplitIntoRoutes) {
  // A slow trip leaves first and is overtaken by an express at stop 3.
  ASSERT_TRUE(Trip("f:slow", {0, 1, 2, 3}, H(7), 900).ok());
  ASSERT_TRUE(Trip("f:express", {0, 1, 2, 3}, H(7, 5), 300).ok());
  ASSERT_TRUE(Trip("f:slow2", {0, 1, 2, 3}, H(8), 900).ok());
  ASSERT_TRUE(Trip("f:express2", {0, 1, 2, 3}, H(8, 5), 300).ok());
  absl::StatusOr<Timetable> t = std::move(b_).Build(NoWalk());
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->num_routes(), 2u);
  std::set<std::string> r0, r1;
  for (uint32_t k = 0; k < t->routes[0].num_trips; ++k) {
    r0.insert(t->trips[t->routes[0].first_trip + k].trip_id);
  }
  for (uint32_t k = 0; k < t->routes[1].num_trips; ++k) {
    r1.insert(t->trips[t->routes[1].first_trip + k].trip_id);
  }
  EXPECT_EQ(r0, (std::set<std::string>{"f:slow", "f:slow2"}));
  EXPECT_EQ(r1, (std::set<std::string>{"f:express", "f:express2"}));
  // FIFO within every route at every stop.
  for (RouteIndex r = 0; r < t->num_routes(); ++r) {
    for (uint32_t k = 1; k < t->routes[r].num_trips; ++k) {
      for (uint32_t p = 0; p < t->routes[r].num_stops; ++p) {
        EXPECT_LE(t->At(r, k - 1, p).arrival, t->At(r, k, p).arrival);
        EXPECT_LE(t->At(r, k - 1, p).departure, t->At(r, k, p).departure);
      }
    }
  }
  // Stop 0 is served by both routes at position 0.
  const Timetable& tt = *t;
  ASSERT_EQ(tt.stop_route_offsets[s_[0] + 1] - tt.stop_route_offsets[s_[0]], 2u);
}

TEST_F(BuilderTest, RandomTripsKeepFifoAndCsrConsistent) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> dep(H(5), H(23));
  std::uniform_int_distribution<int> hop(120, 900);
  const std::vector<std::vector<int>> patterns = {{0, 1, 2, 3}, {3, 2, 1, 0}, {0, 2, 3}, {1, 3}};
  size_t added = 0;
  for (int i = 0; i < 300; ++i) {
    const std::vector<int>& p = patterns[i % patterns.size()];
    std::vector<TripStop> calls;
    Seconds t = dep(rng);
    for (size_t k = 0; k < p.size(); ++k) {
      if (k > 0) t += hop(rng);
      calls.push_back({s_[p[k]], t, t + (k % 2 ? 30 : 0)});
      t = calls.back().departure;
    }
    ASSERT_TRUE(b_.AddTrip(Info("f:t" + std::to_string(i)), calls).ok());
    added += calls.size();
  }
  absl::StatusOr<Timetable> t = std::move(b_).Build(NoWalk());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->trips.size(), 300u);
  EXPECT_EQ(t->stop_times.size(), added);
  EXPECT_GT(t->num_routes(), patterns.size());  // random hop times force splits
  std::set<std::string> ids;
  uint32_t next_trip = 0, next_stop_time = 0, next_route_stop = 0;
  for (RouteIndex r = 0; r < t->num_routes(); ++r) {
    const Route& route = t->routes[r];
    EXPECT_EQ(route.first_trip, next_trip);
    EXPECT_EQ(route.first_stop_time, next_stop_time);
    EXPECT_EQ(route.first_route_stop, next_route_stop);
    next_trip += route.num_trips;
    next_stop_time += route.num_trips * route.num_stops;
    next_route_stop += route.num_stops;
    for (uint32_t k = 0; k < route.num_trips; ++k) {
      ids.insert(t->trips[route.first_trip + k].trip_id);
      for (uint32_t p = 0; p < route.num_stops; ++p) {
        EXPECT_LE(t->At(r, k, p).arrival, t->At(r, k, p).departure);
        if (k > 0) {
          EXPECT_LE(t->At(r, k - 1, p).arrival, t->At(r, k, p).arrival);
          EXPECT_LE(t->At(r, k - 1, p).departure, t->At(r, k, p).departure);
        }
      }
    }
    // Every (route, position) appears in the stop's CSR list.
    for (uint32_t p = 0; p < route.num_stops; ++p) {
      const StopIndex s = t->route_stops[route.first_route_stop + p];
      bool found = false;
      for (uint32_t i = t->stop_route_offsets[s]; i < t->stop_route_offsets[s + 1]; ++i) {
        found |= t->stop_routes[i].route == r && t->stop_routes[i].position == p;
      }
      EXPECT_TRUE(found) << "route " << r << " position " << p;
    }
  }
  EXPECT_EQ(ids.size(), 300u);
  ASSERT_EQ(t->stop_route_offsets.size(), t->num_stops() + 1);
  EXPECT_EQ(t->stop_route_offsets.back(), t->stop_routes.size());
  EXPECT_EQ(t->stop_routes.size(), t->route_stops.size());
  for (StopIndex s = 0; s < t->num_stops(); ++s) {
    for (uint32_t i = t->stop_route_offsets[s]; i < t->stop_route_offsets[s + 1]; ++i) {
      const StopRoute& sr = t->stop_routes[i];
      EXPECT_EQ(t->route_stops[t->routes[sr.route].first_route_stop + sr.position], s);
    }
  }
  EXPECT_GT(t->MemoryBytes(), t->stop_times.size() * sizeof(StopTime));
}

TEST_F(BuilderTest, ValidationErrorsNameTripAndCall) {
  absl::Status one = Trip("f:single", {0}, H(7), 60);
  EXPECT_EQ(one.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(one.message(), HasSubstr("f:single"));

  std::vector<TripStop> backwards = {
      {s_[0], H(7), H(7)}, {s_[1], H(7, 10), H(7, 10)}, {s_[2], H(7, 5), H(7, 5)}};
  absl::Status b = b_.AddTrip(Info("f:back"), backwards);
  EXPECT_EQ(b.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(b.message(), HasSubstr("trip 'f:back' call 2"));
  EXPECT_THAT(b.message(), HasSubstr("07:05:00"));

  std::vector<TripStop> dwell = {{s_[0], H(7), H(7)}, {s_[1], H(7, 10), H(7, 9)}};
  absl::Status d = b_.AddTrip(Info("f:dwell"), dwell);
  EXPECT_EQ(d.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.message(), HasSubstr("trip 'f:dwell' call 1"));

  std::vector<TripStop> bad_stop = {{s_[0], H(7), H(7)}, {99, H(7, 10), H(7, 10)}};
  absl::Status s = b_.AddTrip(Info("f:nostop"), bad_stop);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("trip 'f:nostop' call 1: stop 99"));

  TripInfo no_service = Info("f:nosvc");
  no_service.service = 5;
  absl::Status sv = b_.AddTrip(no_service, {{s_[0], H(7), H(7)}, {s_[1], H(8), H(8)}});
  EXPECT_EQ(sv.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(sv.message(), HasSubstr("f:nosvc"));

  EXPECT_EQ(b_.AddFootpath(s_[0], s_[0], 60).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b_.AddFootpath(s_[0], 77, 60).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b_.AddFootpath(s_[0], s_[1], -5).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(b_.ForbidFootpath(s_[0], 77).code(), absl::StatusCode::kInvalidArgument);

  FootpathOptions bad;
  bad.walk_speed_kmh = 0;
  EXPECT_EQ(std::move(b_).Build(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

// Footpath set of stop s as (to -> duration).
std::map<StopIndex, Seconds> PathsFrom(const Timetable& t, StopIndex s) {
  std::map<StopIndex, Seconds> m;
  for (uint32_t i = t.footpath_offsets[s]; i < t.footpath_offsets[s + 1]; ++i) {
    m[t.footpaths[i].to] = t.footpaths[i].duration;
  }
  return m;
}

TEST(FootpathTest, GeneratedWithinRadiusExplicitWinsAndForbidden) {
  TimetableBuilder b;
  // a, b 100 m apart; c 300 m north of a; d 1 km away; e 50 m from a (forbidden a -> e).
  const GeoPoint base{51.05, 3.72};
  const double deg_per_m = 1.0 / 111195.0;  // on the 6371 km sphere
  StopIndex a = b.AddStop({"f:a", "a", base});
  StopIndex bb = b.AddStop({"f:b", "b", {base.lat + 100 * deg_per_m, base.lon}});
  StopIndex c = b.AddStop({"f:c", "c", {base.lat + 300 * deg_per_m, base.lon}});
  StopIndex d = b.AddStop({"f:d", "d", {base.lat - 1000 * deg_per_m, base.lon}});
  StopIndex e = b.AddStop({"f:e", "e", {base.lat - 50 * deg_per_m, base.lon}});
  ASSERT_TRUE(b.AddFootpath(a, c, 30).ok());  // the feed says 30 s (shorter than walking)
  ASSERT_TRUE(b.ForbidFootpath(a, e).ok());
  FootpathOptions o;
  o.max_closure_seconds = 0;  // no chains: the direct footpaths only
  absl::StatusOr<Timetable> t = std::move(b).Build(o);
  ASSERT_TRUE(t.ok()) << t.status();
  std::map<StopIndex, Seconds> from_a = PathsFrom(*t, a);
  EXPECT_EQ(from_a.count(d), 0u);
  EXPECT_EQ(from_a.count(e), 0u);  // forbidden
  EXPECT_EQ(from_a.at(c), 30);     // explicit replaces the generated 300 m walk
  // 100 m * 1.3 / (4.8 km/h) = 97.5 s -> 98 s.
  EXPECT_EQ(from_a.at(bb), 98);
  // 50 m walk is shorter than the minimum transfer time.
  EXPECT_EQ(PathsFrom(*t, e).at(a), 60);
  // c -> a is generated (the explicit one is one-way): 300 m -> 292.5 s -> 293 s.
  EXPECT_EQ(PathsFrom(*t, c).at(a), 293);
  EXPECT_TRUE(PathsFrom(*t, d).empty());
  EXPECT_EQ(t->footpath_offsets.size(), t->num_stops() + 1);
}

TEST(FootpathTest, TransitiveClosureTakesShortestChain) {
  TimetableBuilder b;
  std::vector<StopIndex> s;
  for (int i = 0; i < 5; ++i) {
    s.push_back(b.AddStop({"f:" + std::to_string(i), "", {50.0 + i * 0.1, 4.0}}));  // 11 km apart
  }
  ASSERT_TRUE(b.AddFootpath(s[0], s[1], 100).ok());
  ASSERT_TRUE(b.AddFootpath(s[1], s[2], 100).ok());
  ASSERT_TRUE(b.AddFootpath(s[0], s[2], 500).ok());  // slower than the chain
  ASSERT_TRUE(b.AddFootpath(s[2], s[3], 800).ok());  // chain 0->3 would be 1000 > 900
  ASSERT_TRUE(b.AddFootpath(s[3], s[4], kWalkingTime).ok());
  FootpathOptions o;
  o.max_closure_seconds = 900;
  absl::StatusOr<Timetable> t = std::move(b).Build(o);
  ASSERT_TRUE(t.ok()) << t.status();
  std::map<StopIndex, Seconds> from0 = PathsFrom(*t, s[0]);
  EXPECT_EQ(from0.at(s[1]), 100);
  EXPECT_EQ(from0.at(s[2]), 200);  // via 1
  EXPECT_EQ(from0.count(s[3]), 0u);
  EXPECT_EQ(PathsFrom(*t, s[1]).at(s[3]), 900);    // exactly the bound
  EXPECT_EQ(PathsFrom(*t, s[2]).at(s[3]), 800);    // direct is kept whatever its length
  EXPECT_GT(PathsFrom(*t, s[3]).at(s[4]), 10000);  // 11 km of walking time
  EXPECT_TRUE(PathsFrom(*t, s[4]).empty());
}

TEST(FootpathTest, GeneratedFootpathsAreClosedWithinBound) {
  // Random stops in a 3 km square: every footpath of a chain a -> b -> c that fits in
  // the closure bound must appear as a direct footpath a -> c no longer than the chain.
  TimetableBuilder b;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0, 0.027);
  for (int i = 0; i < 400; ++i) {
    b.AddStop({"f:" + std::to_string(i), "", {51.0 + u(rng), 4.0 + u(rng) * 1.6}});
  }
  FootpathOptions o;
  o.max_walk_meters = 300;
  o.max_closure_seconds = 600;
  absl::StatusOr<Timetable> t = std::move(b).Build(o);
  ASSERT_TRUE(t.ok());
  size_t total = 0;
  for (StopIndex a = 0; a < t->num_stops(); ++a) {
    std::map<StopIndex, Seconds> from_a = PathsFrom(*t, a);
    total += from_a.size();
    for (const auto& [mid, d1] : from_a) {
      for (const auto& [c, d2] : PathsFrom(*t, mid)) {
        if (c == a || d1 + d2 > o.max_closure_seconds) continue;
        ASSERT_TRUE(from_a.count(c)) << a << " -> " << mid << " -> " << c;
        EXPECT_LE(from_a.at(c), d1 + d2);
      }
    }
    for (const auto& [c, d] : from_a) {
      const double m = HaversineKm(t->stops[a].point, t->stops[c].point) * 1000;
      // Nothing farther than 600 s of walking: 600 s * 4.8 km/h / 1.3 = 615.4 m.
      EXPECT_LE(m, 615.5);
      EXPECT_GE(d, 60);
    }
  }
  EXPECT_GT(total, 400u);
}

TEST(FootpathTest, ThirtyThousandStopsUseTheGrid) {
  // A 30k-stop region; an O(n^2) pass would take seconds. Checked for the count only
  // against a brute-force count on a sample (no timing assertion).
  TimetableBuilder b;
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> lat(50.7, 51.5), lon(2.5, 5.9);
  std::vector<GeoPoint> pts;
  for (int i = 0; i < 30000; ++i) {
    pts.push_back({lat(rng), lon(rng)});
    b.AddStop({"f:" + std::to_string(i), "", pts.back()});
  }
  FootpathOptions o;
  o.max_closure_seconds = 0;
  absl::StatusOr<Timetable> t = std::move(b).Build(o);
  ASSERT_TRUE(t.ok());
  for (StopIndex a = 0; a < 300; ++a) {
    size_t expected = 0;
    for (StopIndex c = 0; c < pts.size(); ++c) {
      if (c != a && HaversineKm(pts[a], pts[c]) * 1000 <= o.max_walk_meters) ++expected;
    }
    EXPECT_EQ(t->footpath_offsets[a + 1] - t->footpath_offsets[a], expected) << a;
  }
}

}  // namespace
}  // namespace carvematch::transit
