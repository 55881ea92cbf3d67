// Hand-built timetables with known answers: a weekday network without Sunday service, a
// night bus after midnight, a missed transfer, a footpath transfer, calls without pickup
// or drop-off, the transfer bound, backward and range queries, points and explanations.
#include "routing/raptor.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mobility/travel.h"
#include "transit/timetable.h"

namespace carvematch::routing {
namespace {

using ::testing::HasSubstr;

constexpr Seconds H(int h, int m) { return h * 3600 + m * 60; }

// Stops (no generated footpaths; one explicit pair B <-> B2 of 120 s):
//   A Station, B Market, C Zone Nord, D Depot, B2 Market platform 2, E Hospital.
// Weekday service (Mon-Fri) 2026-11-16 .. 2026-11-29:
//   bus 36:  A 06:12 -> B 06:30 -> C 06:47, and A 07:12 -> B 07:30 -> C 07:47
//   bus 5:   B 06:30 -> D 06:50, and B 06:45 -> D 07:05
//   tram 2:  B2 06:33 -> E 06:50
//   N1:      A 25:10 -> C 25:40 (a night bus of the weekday service, after midnight)
//   X:       A 08:00 -> B 08:10 (no pickup, no drop-off) -> C 08:20
enum : StopIndex { kA = 0, kB, kC, kD, kB2, kE };

const Day kMonday = transit::DayFromCivil(2026, 11, 23);
const Day kTuesday = kMonday + 1;
const Day kSaturday = kMonday + 5;
const Day kSunday = kMonday + 6;

const GeoPoint kHome{50.9973, 3.7};  // about 300 m south of A
const GeoPoint kSite{51.0218, 3.7};  // about 200 m north of C

transit::Timetable MakeTimetable() {
  transit::TimetableBuilder b;
  b.AddFeed({"t", {"De Test"}, kMonday - 7, kMonday + 6});
  b.AddStop({"t:A", "Station", {51.000, 3.700}});
  b.AddStop({"t:B", "Market", {51.010, 3.700}});
  b.AddStop({"t:C", "Zone Nord", {51.020, 3.700}});
  b.AddStop({"t:D", "Depot", {51.010, 3.720}});
  b.AddStop({"t:B2", "Market platform 2", {51.0105, 3.700}});
  b.AddStop({"t:E", "Hospital", {51.030, 3.720}});
  const transit::ServiceIndex wd =
      b.AddService(transit::ServiceCalendar::Weekly("t:wd", kMonday - 7, kMonday + 6, 0x1f));
  auto trip = [&](const std::string& id, const std::string& line, transit::RouteMode mode,
                  std::vector<transit::TripStop> calls) {
    EXPECT_TRUE(b.AddTrip({"t:" + id, "t:" + line, line, mode, wd, "to the end"}, calls).ok());
  };
  using transit::RouteMode;
  trip("36a", "36", RouteMode::kBus,
       {{kA, H(6, 12), H(6, 12)}, {kB, H(6, 30), H(6, 30)}, {kC, H(6, 47), H(6, 47)}});
  trip("36b", "36", RouteMode::kBus,
       {{kA, H(7, 12), H(7, 12)}, {kB, H(7, 30), H(7, 30)}, {kC, H(7, 47), H(7, 47)}});
  trip("5a", "5", RouteMode::kBus, {{kB, H(6, 30), H(6, 30)}, {kD, H(6, 50), H(6, 50)}});
  trip("5b", "5", RouteMode::kBus, {{kB, H(6, 45), H(6, 45)}, {kD, H(7, 5), H(7, 5)}});
  trip("2a", "2", RouteMode::kTram, {{kB2, H(6, 33), H(6, 33)}, {kE, H(6, 50), H(6, 50)}});
  trip("n1", "N1", RouteMode::kBus, {{kA, H(25, 10), H(25, 10)}, {kC, H(25, 40), H(25, 40)}});
  trip("x", "X", RouteMode::kBus,
       {{kA, H(8, 0), H(8, 0)},
        {kB, H(8, 10), H(8, 10), /*no_pickup=*/true, /*no_dropoff=*/true},
        {kC, H(8, 20), H(8, 20)}});
  EXPECT_TRUE(b.AddFootpath(kB, kB2, 120).ok());
  EXPECT_TRUE(b.AddFootpath(kB2, kB, 120).ok());
  transit::FootpathOptions options;
  options.max_walk_meters = 0;
  options.min_transfer_seconds = 60;
  absl::StatusOr<transit::Timetable> t = std::move(b).Build(options);
  EXPECT_TRUE(t.ok()) << t.status();
  return std::move(t).value();
}

class RaptorTest : public ::testing::Test {
 protected:
  RaptorTest() : timetable_(MakeTimetable()), network_(timetable_), router_(network_) {}

  Seconds Arrival(Day date, StopIndex from, Seconds at, StopIndex to,
                  int max_transfers = kDefaultMaxTransfers) {
    router_.EarliestArrivalFromStops(date, {{from, at}}, max_transfers);
    return router_.ArrivalAt(to);
  }

  transit::Timetable timetable_;
  TransitNetwork network_;
  Router router_;
};

TEST_F(RaptorTest, WeekdayMorningRide) {
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kC), H(6, 47));
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 13), kC), H(7, 47));
  const std::optional<Journey> j = router_.JourneyToStop(kC);
  ASSERT_TRUE(j.has_value());
  ASSERT_EQ(j->legs.size(), 1u);
  const Leg& ride = j->legs[0];
  EXPECT_EQ(ride.kind, LegKind::kRide);
  EXPECT_EQ(ride.route_short_name, "36");
  EXPECT_EQ(ride.from_stop, kA);
  EXPECT_EQ(ride.to_stop, kC);
  EXPECT_EQ(ride.departure, H(7, 12));
  EXPECT_EQ(ride.arrival, H(7, 47));
  EXPECT_EQ(ride.day_offset, 0);
  EXPECT_EQ(j->rides, 1);
}

TEST_F(RaptorTest, NoSundayService) {
  EXPECT_EQ(Arrival(kSunday, kA, H(6, 0), kC), kUnreachable);
  EXPECT_FALSE(router_.JourneyToStop(kC).has_value());
  EXPECT_EQ(Arrival(kSaturday, kA, H(6, 0), kC), kUnreachable);
  // The source itself is reached at its own time.
  EXPECT_EQ(router_.ArrivalAt(kA), H(6, 0));
}

TEST_F(RaptorTest, NightBusOfThePreviousServiceDay) {
  // Monday's N1 at 25:10 runs on Tuesday at 01:10.
  EXPECT_EQ(Arrival(kTuesday, kA, H(0, 50), kC), H(1, 40));
  const std::optional<Journey> j = router_.JourneyToStop(kC);
  ASSERT_TRUE(j.has_value());
  ASSERT_EQ(j->legs.size(), 1u);
  EXPECT_EQ(j->legs[0].route_short_name, "N1");
  EXPECT_EQ(j->legs[0].day_offset, -1);
  EXPECT_EQ(j->legs[0].departure, H(1, 10));
  // Saturday 01:10 is Friday's service: runs. Sunday 01:10 would be Saturday's: no.
  EXPECT_EQ(Arrival(kSaturday, kA, H(0, 50), kC), H(1, 40));
  EXPECT_EQ(Arrival(kSunday, kA, H(0, 50), kC), kUnreachable);
  // The same bus seen from Monday's frame, late in the evening.
  EXPECT_EQ(Arrival(kMonday, kA, H(23, 0), kC), H(25, 40));
}

TEST_F(RaptorTest, MissedTransferNeedsTheChangeTime) {
  // Bus 36 reaches B at 06:30, the 06:30 bus 5 leaves then: with 60 s to change it is
  // missed, and the 06:45 one arrives at 07:05.
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kD), H(7, 5));
  const std::optional<Journey> j = router_.JourneyToStop(kD);
  ASSERT_TRUE(j.has_value());
  ASSERT_EQ(j->legs.size(), 2u);
  EXPECT_EQ(j->legs[1].departure, H(6, 45));
  EXPECT_EQ(j->rides, 2);
  // Without a change time the 06:30 connection holds.
  NetworkOptions options;
  options.min_transfer_seconds = 0;
  TransitNetwork instant(timetable_, options);
  Router router(instant);
  router.EarliestArrivalFromStops(kMonday, {{kA, H(6, 0)}}, 3);
  EXPECT_EQ(router.ArrivalAt(kD), H(6, 50));
  // Starting at B (no ride before) needs no change time either.
  EXPECT_EQ(Arrival(kMonday, kB, H(6, 30), kD), H(6, 50));
}

TEST_F(RaptorTest, FootpathTransfer) {
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kE), H(6, 50));
  EXPECT_EQ(router_.ArrivalAt(kB2), H(6, 32));  // 06:30 + 120 s on foot
  const std::optional<Journey> j = router_.JourneyToStop(kE);
  ASSERT_TRUE(j.has_value());
  ASSERT_EQ(j->legs.size(), 3u);
  EXPECT_EQ(j->legs[0].kind, LegKind::kRide);
  EXPECT_EQ(j->legs[1].kind, LegKind::kTransfer);
  EXPECT_EQ(j->legs[1].from_stop, kB);
  EXPECT_EQ(j->legs[1].to_stop, kB2);
  EXPECT_EQ(j->legs[1].departure, H(6, 30));
  EXPECT_EQ(j->legs[1].arrival, H(6, 32));
  EXPECT_EQ(j->legs[2].route_short_name, "2");
  EXPECT_EQ(j->legs[2].mode, transit::RouteMode::kTram);
  // The transfer bound: two rides are one transfer.
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kE, /*max_transfers=*/0), kUnreachable);
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kE, /*max_transfers=*/1), H(6, 50));
  EXPECT_EQ(router_.ArrivalAt(kE, 0), kUnreachable);
  EXPECT_EQ(router_.ArrivalAt(kE, 1), H(6, 50));
}

TEST_F(RaptorTest, NoPickupNoDropoff) {
  // X passes B without stopping for passengers.
  EXPECT_EQ(Arrival(kMonday, kA, H(7, 50), kC), H(8, 20));
  EXPECT_EQ(router_.ArrivalAt(kB), kUnreachable);
  EXPECT_EQ(Arrival(kMonday, kB, H(8, 5), kC), kUnreachable);
}

TEST_F(RaptorTest, TargetPruningKeepsTheTarget) {
  router_.EarliestArrivalFromStops(kMonday, {{kA, H(6, 0)}}, 5, {{kC, 0}});
  EXPECT_EQ(router_.ArrivalAt(kC), H(6, 47));
}

TEST_F(RaptorTest, LatestDeparture) {
  router_.LatestDepartureToStops(kMonday, {{kC, H(7, 0)}}, 5);
  EXPECT_EQ(router_.DepartureFrom(kA), H(6, 12));
  EXPECT_EQ(router_.DepartureFrom(kB), H(6, 30));
  EXPECT_EQ(router_.DepartureFrom(kC), H(7, 0));
  EXPECT_EQ(router_.DepartureFrom(kD), kNoDeparture);
  const std::optional<Journey> j = router_.JourneyFromStop(kA);
  ASSERT_TRUE(j.has_value());
  ASSERT_EQ(j->legs.size(), 1u);
  EXPECT_EQ(j->legs[0].from_stop, kA);
  EXPECT_EQ(j->legs[0].to_stop, kC);
  EXPECT_EQ(j->departure, H(6, 12));
  EXPECT_EQ(j->arrival, H(6, 47));
  // One minute too early for the 06:47 arrival.
  router_.LatestDepartureToStops(kMonday, {{kC, H(6, 46)}}, 5);
  EXPECT_EQ(router_.DepartureFrom(kA), kNoDeparture);
  // Through the footpath and the tram; with the change time at B for bus 5.
  router_.LatestDepartureToStops(kMonday, {{kE, H(7, 0)}, {kD, H(7, 10)}}, 5);
  EXPECT_EQ(router_.DepartureFrom(kA), H(6, 12));
  EXPECT_EQ(router_.DepartureFrom(kB2), H(6, 43));  // walk to B for the 06:45 bus 5
  EXPECT_EQ(router_.DepartureFrom(kB), H(6, 45));
  EXPECT_EQ(router_.DepartureFrom(kA, 0), kNoDeparture);
  // After midnight: Tuesday 02:00 at C is Monday's N1.
  router_.LatestDepartureToStops(kTuesday, {{kC, H(2, 0)}}, 5);
  EXPECT_EQ(router_.DepartureFrom(kA), H(1, 10));
  const std::optional<Journey> night = router_.JourneyFromStop(kA);
  ASSERT_TRUE(night.has_value());
  EXPECT_EQ(night->legs[0].day_offset, -1);
  EXPECT_EQ(night->legs[0].route_short_name, "N1");
}

TEST_F(RaptorTest, PointToPoint) {
  const AccessOptions walk = AccessOptions::Walk(1000);
  const Seconds access = walk.SecondsFor(HaversineKm(kHome, {51.000, 3.700}) * 1000);
  const Seconds egress = walk.SecondsFor(HaversineKm({51.020, 3.700}, kSite) * 1000);
  PointQuery q;
  q.from = kHome;
  q.to = kSite;
  q.date = kMonday;
  q.time = H(6, 0);
  const std::optional<Journey> j = router_.EarliestArrival(q);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->arrival, H(6, 47) + egress);
  EXPECT_EQ(j->departure, H(6, 12) - access);
  ASSERT_EQ(j->legs.size(), 3u);
  EXPECT_EQ(j->legs[0].kind, LegKind::kAccess);
  EXPECT_EQ(j->legs[0].to_stop, kA);
  EXPECT_EQ(j->legs[2].kind, LegKind::kEgress);
  EXPECT_EQ(j->legs[2].from_stop, kC);
  const std::string text = DescribeJourney(*j, timetable_);
  EXPECT_THAT(text, HasSubstr("bus 36 at 06:12 from Station"));
  EXPECT_THAT(text, HasSubstr("arrives 06:47 at Zone Nord"));
  EXPECT_THAT(text, HasSubstr("walk 5 min to Station"));

  // Latest departure for a 07:00 start.
  q.time = H(7, 0);
  const std::optional<Journey> back = router_.LatestDeparture(q);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->departure, H(6, 12) - access);
  EXPECT_EQ(back->arrival, H(6, 47) + egress);
  // The same from one backward search for the site, then read per origin.
  router_.LatestDeparturesTo(kSite, kMonday, H(7, 0), walk, 5);
  EXPECT_EQ(router_.DepartureFromPoint(kHome, walk), H(6, 12) - access);
  EXPECT_EQ(router_.DepartureVia(network_.AccessStops(kHome, walk)), H(6, 12) - access);
  EXPECT_EQ(router_.DepartureVia({}), kNoDeparture);
  const std::optional<Journey> again = router_.JourneyFromPoint(kHome, walk);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->departure, back->departure);
  // A site next door is reached on foot, without public transport.
  EXPECT_EQ(router_.DepartureFromPoint({51.0228, 3.7}, walk),
            H(7, 0) - walk.SecondsFor(HaversineKm({51.0228, 3.7}, kSite) * 1000));
  // Without the direct walk it goes through stop C (walk there, then on to the site).
  EXPECT_LT(router_.DepartureFromPoint({51.0228, 3.7}, walk, /*allow_direct=*/false),
            router_.DepartureFromPoint({51.0228, 3.7}, walk));
  // Sunday: nothing.
  q.date = kSunday;
  EXPECT_FALSE(router_.LatestDeparture(q).has_value());
  EXPECT_FALSE(router_.EarliestArrival(q).has_value());
}

TEST_F(RaptorTest, ManyDestinationsFromOneSearch) {
  const AccessOptions walk = AccessOptions::Walk(1000);
  router_.EarliestArrivalsFrom(kHome, kMonday, H(6, 0), walk, 5);
  const Seconds egress = walk.SecondsFor(HaversineKm({51.020, 3.700}, kSite) * 1000);
  EXPECT_EQ(router_.ArrivalAtPoint(kSite, walk), H(6, 47) + egress);
  EXPECT_EQ(router_.ArrivalVia(network_.AccessStops(kSite, walk)), H(6, 47) + egress);
  const std::optional<Journey> j = router_.JourneyToPoint(kSite, walk);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->rides, 1);
  EXPECT_EQ(router_.ArrivalAtPoint({40.0, 3.0}, walk), kUnreachable);
  EXPECT_FALSE(router_.JourneyToPoint({40.0, 3.0}, walk).has_value());
}

TEST_F(RaptorTest, BikeAccessReachesFartherStops) {
  const GeoPoint far_home{50.985, 3.700};  // 1.7 km south of A
  PointQuery q;
  q.from = far_home;
  q.to = kSite;
  q.date = kMonday;
  q.time = H(6, 0);
  q.allow_direct = false;
  EXPECT_FALSE(router_.EarliestArrival(q).has_value());
  q.access = AccessOptions::Bike(3000);
  const std::optional<Journey> j = router_.EarliestArrival(q);
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->legs.front().access_mode, AccessMode::kBike);
  EXPECT_THAT(DescribeJourney(*j, timetable_), HasSubstr("cycle"));
}

TEST_F(RaptorTest, RangeQueryListsEveryUsefulDeparture) {
  const AccessOptions walk = AccessOptions::Walk(1000);
  const Seconds access = walk.SecondsFor(HaversineKm(kHome, {51.000, 3.700}) * 1000);
  const Seconds egress = walk.SecondsFor(HaversineKm({51.020, 3.700}, kSite) * 1000);
  PointQuery q;
  q.from = kHome;
  q.to = kSite;
  q.date = kMonday;
  q.time = H(6, 0);
  const std::vector<Journey> journeys = router_.RangeQuery(q, H(8, 0));
  ASSERT_EQ(journeys.size(), 3u);
  EXPECT_EQ(journeys[0].departure, H(6, 12) - access);
  EXPECT_EQ(journeys[0].arrival, H(6, 47) + egress);
  EXPECT_EQ(journeys[1].departure, H(7, 12) - access);
  EXPECT_EQ(journeys[1].arrival, H(7, 47) + egress);
  EXPECT_EQ(journeys[2].departure, H(8, 0) - access);
  EXPECT_EQ(journeys[2].arrival, H(8, 20) + egress);
  EXPECT_EQ(journeys[2].legs[1].route_short_name, "X");
  // A window that ends before 07:12 - access keeps only the first.
  EXPECT_EQ(router_.RangeQuery(q, H(7, 0)).size(), 1u);
  // Stop level: one run per departure time, latest first.
  std::vector<Seconds> runs;
  router_.RangeFromStops(kMonday, {{kA, 0}}, H(6, 0), H(8, 0), 5,
                         [&](Seconds t) { runs.push_back(t); });
  EXPECT_EQ(runs, (std::vector<Seconds>{H(8, 0), H(7, 12), H(6, 12)}));
}

TEST_F(RaptorTest, HorizonBoundsTheSearch) {
  router_.set_horizon(30 * 60);
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kC), kUnreachable);  // 47 min away
  router_.set_horizon(kDefaultHorizon);
  EXPECT_EQ(Arrival(kMonday, kA, H(6, 0), kC), H(6, 47));
}

TEST(RouterEdgeTest, EmptyTimetable) {
  transit::TimetableBuilder b;
  absl::StatusOr<transit::Timetable> t = std::move(b).Build(transit::FootpathOptions{});
  ASSERT_TRUE(t.ok()) << t.status();
  const TransitNetwork network(*t);
  Router router(network);
  PointQuery q;
  q.from = kHome;
  q.to = kSite;
  q.allow_direct = false;
  EXPECT_FALSE(router.EarliestArrival(q).has_value());
  EXPECT_FALSE(router.LatestDeparture(q).has_value());
  EXPECT_TRUE(router.RangeQuery(q, H(2, 0)).empty());
  // Walking is still possible.
  q.allow_direct = true;
  q.access = AccessOptions::Walk(5000);
  const std::optional<Journey> walk = router.EarliestArrival(q);
  ASSERT_TRUE(walk.has_value());
  ASSERT_EQ(walk->legs.size(), 1u);
  EXPECT_EQ(walk->legs[0].kind, LegKind::kDirect);
  EXPECT_EQ(walk->rides, 0);
}

TEST_F(RaptorTest, QueriesDoNotLeakIntoEachOther) {
  // A broad query, then a narrow one: the second sees nothing of the first.
  router_.EarliestArrivalFromStops(kMonday, {{kA, H(6, 0)}}, 5);
  ASSERT_EQ(router_.ArrivalAt(kE), H(6, 50));
  router_.EarliestArrivalFromStops(kMonday, {{kD, H(6, 0)}}, 5);
  EXPECT_EQ(router_.ArrivalAt(kE), kUnreachable);
  EXPECT_EQ(router_.ArrivalAt(kA), kUnreachable);
  EXPECT_EQ(router_.ArrivalAt(kD), H(6, 0));
  // Backward state is not read as forward state and vice versa.
  EXPECT_EQ(router_.DepartureFrom(kD), kNoDeparture);
  router_.LatestDepartureToStops(kMonday, {{kC, H(7, 0)}}, 5);
  EXPECT_EQ(router_.ArrivalAt(kC), kUnreachable);
  EXPECT_FALSE(router_.JourneyToStop(kC).has_value());
}

TEST(DatesTest, DateOfWeekday) {
  const Day monday = transit::DayFromCivil(2026, 11, 16);
  EXPECT_EQ(transit::WeekdayOf(monday), 0);
  EXPECT_EQ(DateOfWeekday(monday, 0), monday);
  EXPECT_EQ(DateOfWeekday(monday, 6), transit::DayFromCivil(2026, 11, 22));
  EXPECT_EQ(DateOfWeekday(monday + 2, 0), transit::DayFromCivil(2026, 11, 23));
  EXPECT_EQ(DateOfWeekday(monday + 2, 2), monday + 2);
  EXPECT_EQ(DateOfWeekday(monday, Weekday::kFriday), monday + 4);
  EXPECT_EQ(DateOfWeekday(monday, 7), monday);  // modulo 7
}

TEST(DatesTest, FormatClock) {
  EXPECT_EQ(FormatClock(H(6, 12)), "06:12");
  EXPECT_EQ(FormatClock(H(25, 10)), "01:10 (+1)");
  EXPECT_EQ(FormatClock(-600), "23:50 (-1)");
  EXPECT_EQ(FormatClock(0), "00:00");
}

TEST(StopGridTest, WithinMatchesBruteForce) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> lat(50.7, 51.4), lon(2.6, 5.9);
  std::vector<transit::Stop> stops;
  for (int i = 0; i < 3000; ++i) stops.push_back({"s", "s", {lat(rng), lon(rng)}});
  const StopGrid grid(stops, 250);
  for (int q = 0; q < 200; ++q) {
    const GeoPoint p{lat(rng), lon(rng)};
    const double radius = 500.0 + 50.0 * q;
    std::vector<std::pair<StopIndex, double>> got;
    grid.Within(p, radius, &got);
    std::vector<StopIndex> expected;
    for (size_t i = 0; i < stops.size(); ++i) {
      if (HaversineKm(p, stops[i].point) * 1000 <= radius) expected.push_back(i);
    }
    ASSERT_EQ(got.size(), expected.size()) << "query " << q;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].first, expected[i]);
  }
}

TEST(AccessOptionsTest, SecondsFor) {
  EXPECT_EQ(AccessOptions::Walk().SecondsFor(0), 0);
  // 1000 m x 1.3 at 4.8 km/h = 975 s.
  EXPECT_EQ(AccessOptions::Walk().SecondsFor(1000), 975);
  // 3000 m x 1.25 at 15 km/h = 900 s.
  EXPECT_EQ(AccessOptions::Bike().SecondsFor(3000), 900);
}

}  // namespace
}  // namespace carvematch::routing
