#include "mobility/travel.h"

#include <cmath>
#include <optional>
#include <random>

#include "gtest/gtest.h"

namespace carvematch {
namespace {

// Real Flemish coordinates (city centres and stations).
constexpr GeoPoint kGent{51.0543, 3.7174};
constexpr GeoPoint kAalst{50.9378, 4.0403};
constexpr GeoPoint kAntwerpen{51.2194, 4.4025};
constexpr GeoPoint kGentSintPieters{51.0357, 3.7108};
constexpr GeoPoint kGentKorenmarkt{51.0545, 3.7213};
constexpr GeoPoint kGentDampoort{51.0561, 3.7403};

const WeeklySpan kDayShift{Weekday::kTuesday, 9 * 60, 17 * 60};

int MinutesOrDie(const TravelModel& m, TransportMode mode, GeoPoint a, GeoPoint b) {
  std::optional<int> minutes = m.Minutes(mode, a, b, kDayShift, TripLeg::kToShift);
  EXPECT_TRUE(minutes.has_value()) << TransportModeName(mode);
  return minutes.value_or(-1);
}

TEST(HaversineTest, KnownDistances) {
  // Gent - Aalst is about 26 km as the crow flies, Gent - Antwerpen about 50 km.
  EXPECT_NEAR(HaversineKm(kGent, kAalst), 26.0, 0.5);
  EXPECT_NEAR(HaversineKm(kGent, kAntwerpen), 50.5, 1.0);
  EXPECT_DOUBLE_EQ(HaversineKm(kGent, kGent), 0.0);
  EXPECT_NEAR(HaversineKm(kGent, kAalst), HaversineKm(kAalst, kGent), 1e-9);
}

// TravelModel::Minutes keeps the last distance for a pair of points in either order,
// which is only exact when the distance is symmetric to the last bit.
TEST(HaversineTest, SymmetricBitForBit) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> lat(50.6, 51.4), lon(2.5, 5.9);
  for (int i = 0; i < 100000; ++i) {
    const GeoPoint a{lat(rng), lon(rng)}, b{lat(rng), lon(rng)};
    ASSERT_EQ(HaversineKm(a, b), HaversineKm(b, a)) << i;
  }
}

// The answers do not depend on what was asked before (the distance kept per thread).
TEST(TravelModelTest, AnswersDoNotDependOnTheOrderOfQuestions) {
  TravelModel m;
  const int gent_aalst = MinutesOrDie(m, TransportMode::kBike, kGent, kAalst);
  const int gent_antwerpen = MinutesOrDie(m, TransportMode::kBike, kGent, kAntwerpen);
  EXPECT_EQ(MinutesOrDie(m, TransportMode::kBike, kAalst, kGent), gent_aalst);
  EXPECT_EQ(MinutesOrDie(m, TransportMode::kBike, kGent, kAalst), gent_aalst);
  EXPECT_EQ(MinutesOrDie(m, TransportMode::kBike, kGent, kAntwerpen), gent_antwerpen);
  EXPECT_NE(gent_aalst, gent_antwerpen);
}

TEST(TravelModelTest, GentAalstPlausibleRangesPerMode) {
  TravelModel model;
  int walk = MinutesOrDie(model, TransportMode::kWalk, kGent, kAalst);
  int bike = MinutesOrDie(model, TransportMode::kBike, kGent, kAalst);
  int ebike = MinutesOrDie(model, TransportMode::kEBike, kGent, kAalst);
  int car = MinutesOrDie(model, TransportMode::kCar, kGent, kAalst);
  int pt = MinutesOrDie(model, TransportMode::kPublicTransport, kGent, kAalst);
  EXPECT_GT(walk, 360);  // more than six hours on foot
  EXPECT_GT(bike, 100);
  EXPECT_LT(bike, 160);
  EXPECT_GT(ebike, 80);
  EXPECT_LT(ebike, 110);
  EXPECT_GT(car, 40);
  EXPECT_LT(car, 80);
  EXPECT_GT(pt, 80);
  EXPECT_LT(pt, 140);
}

TEST(TravelModelTest, ModeOrdering) {
  TravelModel model;
  int walk = MinutesOrDie(model, TransportMode::kWalk, kGent, kAntwerpen);
  int bike = MinutesOrDie(model, TransportMode::kBike, kGent, kAntwerpen);
  int ebike = MinutesOrDie(model, TransportMode::kEBike, kGent, kAntwerpen);
  int moped = MinutesOrDie(model, TransportMode::kMoped, kGent, kAntwerpen);
  int car = MinutesOrDie(model, TransportMode::kCar, kGent, kAntwerpen);
  int pt = MinutesOrDie(model, TransportMode::kPublicTransport, kGent, kAntwerpen);
  EXPECT_GT(walk, bike);
  EXPECT_GT(bike, ebike);
  EXPECT_GT(ebike, moped);
  EXPECT_GT(moped, car);
  EXPECT_GT(bike, pt);
  EXPECT_GT(pt, car);
}

TEST(TravelModelTest, ShortTripsWithinGent) {
  TravelModel model;
  // Sint-Pieters station to the Korenmarkt: about 2.2 km.
  int bike = MinutesOrDie(model, TransportMode::kBike, kGentSintPieters, kGentKorenmarkt);
  int pt = MinutesOrDie(model, TransportMode::kPublicTransport, kGentSintPieters, kGentKorenmarkt);
  int walk = MinutesOrDie(model, TransportMode::kWalk, kGentSintPieters, kGentKorenmarkt);
  EXPECT_GE(bike, 8);
  EXPECT_LE(bike, 14);
  EXPECT_LT(bike, pt);  // the 10 minutes to the stop dominate a short trip
  EXPECT_GE(walk, 25);
  EXPECT_LE(walk, 40);
  // Korenmarkt to Dampoort (about 1.3 km): parking makes the car slower than the bike.
  EXPECT_LT(MinutesOrDie(model, TransportMode::kBike, kGentKorenmarkt, kGentDampoort),
            MinutesOrDie(model, TransportMode::kCar, kGentKorenmarkt, kGentDampoort));
}

TEST(TravelModelTest, ExactFormulaWithOverheadAndRoundingUp) {
  TravelModelParams params;
  params.car = {60.0, 1.0, 5};
  TravelModel model(params);
  double km = HaversineKm(kGent, kAalst);
  int expected = 5 + static_cast<int>(std::ceil(km));  // 60 km/h: one minute per km
  EXPECT_EQ(MinutesOrDie(model, TransportMode::kCar, kGent, kAalst), expected);
  // Zero distance costs only the overhead.
  EXPECT_EQ(MinutesOrDie(model, TransportMode::kCar, kGent, kGent), 5);
}

TEST(TravelModelTest, UnspecifiedModeHasNoAnswer) {
  TravelModel model;
  EXPECT_FALSE(
      model.Minutes(TransportMode::kUnspecified, kGent, kAalst, kDayShift, TripLeg::kToShift)
          .has_value());
}

TEST(TravelModelTest, PublicTransportRespectsServiceHours) {
  TravelModel model;
  // Korenmarkt - Sint-Pieters: 10 min overhead + a few minutes of riding.
  WeeklySpan early{Weekday::kMonday, 5 * 60, 13 * 60};  // must leave before 05:00
  WeeklySpan morning{Weekday::kMonday, 6 * 60, 14 * 60};
  WeeklySpan late{Weekday::kMonday, 14 * 60, 22 * 60};
  WeeklySpan night{Weekday::kMonday, 22 * 60, 30 * 60};  // ends 06:00 next day
  WeeklySpan until_midnight{Weekday::kMonday, 16 * 60, 24 * 60};
  auto pt = [&](const WeeklySpan& s, TripLeg leg) {
    return model.Minutes(TransportMode::kPublicTransport, kGentSintPieters, kGentKorenmarkt, s,
                         leg);
  };
  EXPECT_FALSE(pt(early, TripLeg::kToShift).has_value());
  EXPECT_TRUE(pt(morning, TripLeg::kToShift).has_value());
  EXPECT_TRUE(pt(late, TripLeg::kFromShift).has_value());
  EXPECT_TRUE(pt(night, TripLeg::kToShift).has_value());
  EXPECT_TRUE(pt(night, TripLeg::kFromShift).has_value());  // 06:00: buses run again
  EXPECT_FALSE(pt(until_midnight, TripLeg::kFromShift).has_value());
  // Cycling does not care about the hour.
  EXPECT_TRUE(model
                  .Minutes(TransportMode::kBike, kGentSintPieters, kGentKorenmarkt, early,
                           TripLeg::kToShift)
                  .has_value());
}

}  // namespace
}  // namespace carvematch
