#include "commute/anchored_travel.h"

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "commute/transit_travel.h"
#include "gtest/gtest.h"
#include "routing/raptor.h"
#include "tests/commute/bus_line.h"
#include "tests/commute/regional_feed.h"

namespace carvematch::commute {
namespace {

TransitTravelOptions Options() {
  TransitTravelOptions o;
  o.week_start = transit::DayFromCivil(2026, 11, 30);
  return o;
}

GeoPoint Jitter(GeoPoint p, double meters, std::mt19937& rng) {
  std::uniform_real_distribution<double> d(-meters, meters);
  return {p.lat + d(rng) / 111200.0, p.lon + d(rng) / 70000.0};
}

TEST(AnchoredTransitTravelTest, SameMinutesAsTheExactRouterOnRandomCommutes) {
  const transit::Timetable timetable = RegionalFeed();
  const routing::TransitNetwork network(timetable);
  const TransitTravel exact(network, TravelModel(), Options());
  // A small cache, so that searches are evicted and run again.
  const AnchoredTransitTravel anchored(exact, 3);
  std::mt19937 rng(5);
  std::uniform_int_distribution<size_t> any_stop(0, timetable.stops.size() - 1);
  std::uniform_int_distribution<int> any_day(1, 7);
  std::uniform_int_distribution<int> any_quarter(4 * 4, 23 * 4);
  int compared = 0, found = 0, direct = 0;
  for (int site = 0; site < 12; ++site) {
    const GeoPoint workplace = Jitter(timetable.stops[any_stop(rng)].point, 600, rng);
    for (int shift_no = 0; shift_no < 3; ++shift_no) {
      const int start = any_quarter(rng) * 15;
      const WeeklySpan shift{static_cast<Weekday>(any_day(rng)), start, start + 8 * 60};
      for (int home_no = 0; home_no < 25; ++home_no) {
        // Homes near the site (a walk may be the whole trip) and anywhere.
        const GeoPoint home = home_no < 5 ? Jitter(workplace, 900, rng)
                                          : Jitter(timetable.stops[any_stop(rng)].point, 900, rng);
        for (TripLeg leg : {TripLeg::kToShift, TripLeg::kFromShift}) {
          const GeoPoint from = leg == TripLeg::kToShift ? home : workplace;
          const GeoPoint to = leg == TripLeg::kToShift ? workplace : home;
          const std::optional<int> want =
              exact.Minutes(TransportMode::kPublicTransport, from, to, shift, leg);
          const std::optional<int> got =
              anchored.Minutes(TransportMode::kPublicTransport, from, to, shift, leg);
          ASSERT_EQ(want, got) << "site " << site << " shift " << shift_no << " home " << home_no
                               << " leg " << static_cast<int>(leg);
          ++compared;
          found += want.has_value();
          direct += want.has_value() && HaversineKm(from, to) < 1.0;
        }
      }
    }
  }
  EXPECT_EQ(compared, 12 * 3 * 25 * 2);
  // The comparison covered both kinds of answer.
  EXPECT_GT(found, compared / 5);
  EXPECT_LT(found, compared);
  EXPECT_GT(direct, 0);
  const AnchoredTransitTravel::Stats stats = anchored.stats();
  EXPECT_LE(stats.kept, 3u);
  // Per (site, shift, leg) one search: 12 x 3 x 2 (two shifts may coincide).
  EXPECT_LE(stats.searches, 72u);
  EXPECT_GE(stats.searches, 60u);
  // Each key's first question went to the point query, the second ran its search.
  EXPECT_EQ(stats.point_queries, stats.searches);
}

TEST(AnchoredTransitTravelTest, OneSearchPerSiteShiftAndLegWhateverTheHomes) {
  const transit::Timetable timetable = BusLine();
  const routing::TransitNetwork network(timetable);
  const TransitTravel exact(network, TravelModel(), Options());
  const AnchoredTransitTravel anchored(exact);
  const WeeklySpan monday{Weekday::kMonday, 8 * 60, 16 * 60};
  std::mt19937 rng(3);
  for (int i = 0; i < 20; ++i) {
    const GeoPoint home = Jitter(kStation, 500, rng);
    // Bus 36 leaves the station at 07:12 and arrives at 07:47; the walk to the stop adds.
    const std::optional<int> there = anchored.Minutes(TransportMode::kPublicTransport, home,
                                                      kZoneNord, monday, TripLeg::kToShift);
    ASSERT_TRUE(there.has_value());
    EXPECT_GE(*there, 48);
    EXPECT_EQ(there, exact.Minutes(TransportMode::kPublicTransport, home, kZoneNord, monday,
                                   TripLeg::kToShift));
    // Back: the 16:05 bus arrives at 16:40.
    const std::optional<int> back = anchored.Minutes(TransportMode::kPublicTransport, kZoneNord,
                                                     home, monday, TripLeg::kFromShift);
    ASSERT_TRUE(back.has_value());
    EXPECT_GE(*back, 40);
    EXPECT_EQ(back, exact.Minutes(TransportMode::kPublicTransport, kZoneNord, home, monday,
                                  TripLeg::kFromShift));
  }
  // Per leg: the first home by a point query, the second runs the search, 18 read it.
  AnchoredTransitTravel::Stats stats = anchored.stats();
  EXPECT_EQ(stats.point_queries, 2u);
  EXPECT_EQ(stats.searches, 2u);
  EXPECT_EQ(stats.hits, 36u);
  // Sunday: no bus (a point query, then a search), and the stop is too far to walk.
  const WeeklySpan sunday{Weekday::kSunday, 8 * 60, 16 * 60};
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(anchored.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, sunday,
                               TripLeg::kToShift),
              std::nullopt);
  }
  // Another mode is the geometric model's, no search.
  EXPECT_EQ(anchored.Minutes(TransportMode::kBike, kStation, kZoneNord, monday, TripLeg::kToShift),
            exact.Minutes(TransportMode::kBike, kStation, kZoneNord, monday, TripLeg::kToShift));
  EXPECT_EQ(anchored.stats().searches, 3u);
  // An unspecified weekday has no date: no answer, as the exact estimator.
  EXPECT_EQ(anchored.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, WeeklySpan{},
                             TripLeg::kToShift),
            std::nullopt);
}

}  // namespace
}  // namespace carvematch::commute
