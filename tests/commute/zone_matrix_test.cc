#include "commute/zone_matrix.h"

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "commute/transit_travel.h"
#include "gtest/gtest.h"
#include "routing/raptor.h"
#include "tests/commute/bus_line.h"

namespace carvematch::commute {
namespace {

// 300 m south of the station: the same 1 km cell.
constexpr GeoPoint kNearStation{51.0473, 3.7200};
// 20 km away, no stop within walking distance.
constexpr GeoPoint kFarAway{51.2300, 3.9000};

class ZoneMatrixTest : public ::testing::Test {
 protected:
  ZoneMatrixTest()
      : timetable_(BusLine()), network_(timetable_), exact_(network_, TravelModel(), Options()) {}

  static TransitTravelOptions Options() {
    TransitTravelOptions o;
    o.week_start = transit::DayFromCivil(2026, 11, 30);
    return o;
  }

  static std::vector<SiteShifts> Sites() {
    SiteShifts nord;
    nord.id = "e-1/s-1";
    nord.point = kZoneNord;
    nord.shifts = {{Weekday::kMonday, 8 * 60, 16 * 60},
                   {Weekday::kTuesday, 8 * 60 + 5, 16 * 60 + 5},
                   {Weekday::kMonday, 6 * 60 + 30, 14 * 60 + 30},
                   {Weekday::kSaturday, 8 * 60, 16 * 60}};
    return {nord};
  }

  ZoneMatrix Build(int threads = 1) {
    ZoneMatrixOptions o;
    o.threads = threads;
    absl::StatusOr<ZoneMatrix> m =
        ZoneMatrix::Build(exact_, {kStation, kNearStation, kFarAway}, Sites(), o);
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? std::move(*m) : ZoneMatrix();
  }

  std::optional<int> Exact(GeoPoint home, const WeeklySpan& s, TripLeg leg) {
    return leg == TripLeg::kToShift
               ? exact_.Minutes(TransportMode::kPublicTransport, home, kZoneNord, s, leg)
               : exact_.Minutes(TransportMode::kPublicTransport, kZoneNord, home, s, leg);
  }

  transit::Timetable timetable_;
  routing::TransitNetwork network_;
  TransitTravel exact_;
};

TEST_F(ZoneMatrixTest, ZonesRowsAndAnswers) {
  ZoneMatrix m = Build();
  EXPECT_EQ(m.stats().zones, 2u);  // the station and its neighbour share a cell
  EXPECT_EQ(m.stats().sites, 1u);
  // Bands: weekday there 06:30, 08:00 (08:05 rounds down), back 14:30, 16:00, 16:15
  // (16:05 rounds up); Saturday there 08:00, back 16:00.
  EXPECT_EQ(m.stats().rows, 7u);
  EXPECT_EQ(m.ZoneOf(kStation), m.ZoneOf(kNearStation));
  EXPECT_GE(m.ZoneOf(kFarAway), 0);
  EXPECT_LT(m.ZoneOf({50.0, 5.0}), 0);

  ZoneMatrixTravel fast(m, exact_);
  const WeeklySpan eight{Weekday::kMonday, 8 * 60, 16 * 60};
  // The zone's point is the mean of the station and its neighbour: its walk to the stop
  // lies between theirs.
  std::optional<int> there =
      fast.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, eight, TripLeg::kToShift);
  ASSERT_TRUE(there.has_value());
  EXPECT_GE(*there, *Exact(kStation, eight, TripLeg::kToShift));
  EXPECT_LE(*there, *Exact(kNearStation, eight, TripLeg::kToShift));
  // Tuesday 08:05: the 08:00 band plus 5 min of rounding, which is the exact answer too
  // (the 07:12 bus).
  const WeeklySpan tue{Weekday::kTuesday, 8 * 60 + 5, 16 * 60 + 5};
  std::optional<int> rounded =
      fast.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, tue, TripLeg::kToShift);
  ASSERT_TRUE(rounded.has_value());
  EXPECT_EQ(*rounded, *there + 5);
  // Back at 16:05 rounds up to 16:15: leaving then catches the 17:05 (as exactly).
  std::optional<int> back =
      fast.Minutes(TransportMode::kPublicTransport, kZoneNord, kStation, tue, TripLeg::kFromShift);
  ASSERT_TRUE(back.has_value());
  EXPECT_GE(*back, *Exact(kStation, tue, TripLeg::kFromShift));
  // The first bus arrives 06:47: no trip for a 06:30 start; none on Saturday; none from
  // far away.
  int minutes = 0;
  EXPECT_EQ(m.Lookup(kZoneNord, kStation, {Weekday::kMonday, 6 * 60 + 30, 14 * 60 + 30},
                     TripLeg::kToShift, &minutes),
            ZoneMatrix::Answer::kNoTrip);
  EXPECT_EQ(m.Lookup(kZoneNord, kStation, {Weekday::kSaturday, 8 * 60, 16 * 60}, TripLeg::kToShift,
                     &minutes),
            ZoneMatrix::Answer::kNoTrip);
  EXPECT_EQ(m.Lookup(kZoneNord, kFarAway, eight, TripLeg::kToShift, &minutes),
            ZoneMatrix::Answer::kNoTrip);
  EXPECT_EQ(
      fast.Minutes(TransportMode::kPublicTransport, kFarAway, kZoneNord, eight, TripLeg::kToShift),
      std::nullopt);
}

TEST_F(ZoneMatrixTest, AnswersAreTheExactOnesForTheZonesPointPlusRounding) {
  ZoneMatrix m = Build();
  // The zone's point is the mean of its two points; weekdays are read on the Tuesday.
  const GeoPoint mean{(kStation.lat + kNearStation.lat) / 2, (kStation.lon + kNearStation.lon) / 2};
  auto exact_tuesday = [&](int minute, TripLeg leg) {
    return *Exact(mean, {Weekday::kTuesday, minute, minute}, leg);
  };
  int there = -1, back = -1;
  // Band-aligned: Monday 08:00-16:00.
  const WeeklySpan aligned{Weekday::kMonday, 8 * 60, 16 * 60};
  ASSERT_EQ(m.Lookup(kZoneNord, kNearStation, aligned, TripLeg::kToShift, &there),
            ZoneMatrix::Answer::kMinutes);
  EXPECT_EQ(there, exact_tuesday(8 * 60, TripLeg::kToShift));
  ASSERT_EQ(m.Lookup(kZoneNord, kNearStation, aligned, TripLeg::kFromShift, &back),
            ZoneMatrix::Answer::kMinutes);
  EXPECT_EQ(back, exact_tuesday(16 * 60, TripLeg::kFromShift));
  // Tuesday 08:05-16:05: the 08:00 band + 5 min there, the 16:15 band + 10 min back.
  const WeeklySpan off{Weekday::kTuesday, 8 * 60 + 5, 16 * 60 + 5};
  ASSERT_EQ(m.Lookup(kZoneNord, kNearStation, off, TripLeg::kToShift, &there),
            ZoneMatrix::Answer::kMinutes);
  EXPECT_EQ(there, exact_tuesday(8 * 60, TripLeg::kToShift) + 5);
  ASSERT_EQ(m.Lookup(kZoneNord, kNearStation, off, TripLeg::kFromShift, &back),
            ZoneMatrix::Answer::kMinutes);
  EXPECT_EQ(back, exact_tuesday(16 * 60 + 15, TripLeg::kFromShift) + 10);
}

TEST_F(ZoneMatrixTest, UnknownSiteZoneOrBandAsksTheExactRouter) {
  ZoneMatrix m = Build();
  ZoneMatrixTravel fast(m, exact_);
  int minutes = 0;
  // A band nobody asked for (Wednesday 09:00 start rounds to an unbuilt 09:00 band).
  const WeeklySpan nine{Weekday::kWednesday, 9 * 60, 17 * 60};
  EXPECT_EQ(m.Lookup(kZoneNord, kStation, nine, TripLeg::kToShift, &minutes),
            ZoneMatrix::Answer::kUnknown);
  EXPECT_EQ(
      fast.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, nine, TripLeg::kToShift),
      Exact(kStation, nine, TripLeg::kToShift));
  // A site the matrix does not know: the station as a workplace.
  const WeeklySpan eight{Weekday::kMonday, 8 * 60 + 50, 16 * 60 + 50};
  EXPECT_EQ(m.Lookup(kStation, kZoneNord, eight, TripLeg::kToShift, &minutes),
            ZoneMatrix::Answer::kUnknown);
  EXPECT_EQ(
      fast.Minutes(TransportMode::kPublicTransport, kZoneNord, kStation, eight, TripLeg::kToShift),
      exact_.Minutes(TransportMode::kPublicTransport, kZoneNord, kStation, eight,
                     TripLeg::kToShift));
  // Other modes are the geometric model's.
  EXPECT_EQ(
      fast.Minutes(TransportMode::kBike, kStation, kZoneNord, eight, TripLeg::kToShift),
      TravelModel().Minutes(TransportMode::kBike, kStation, kZoneNord, eight, TripLeg::kToShift));
}

TEST_F(ZoneMatrixTest, LowerBoundHoldsForMatrixAnswers) {
  ZoneMatrix m = Build();
  ZoneMatrixTravel fast(m, exact_);
  std::optional<ModeLowerBound> b = fast.LowerBound(TransportMode::kPublicTransport);
  ASSERT_TRUE(b.has_value());
  EXPECT_LT(b->overhead_minutes,
            exact_.LowerBound(TransportMode::kPublicTransport)->overhead_minutes);
  const std::vector<SiteShifts> sites = Sites();  // not a temporary: the loop reads into it
  for (const GeoPoint& home : {kStation, kNearStation, kFarAway}) {
    for (const WeeklySpan& s : sites.front().shifts) {
      for (TripLeg leg : {TripLeg::kToShift, TripLeg::kFromShift}) {
        const GeoPoint from = leg == TripLeg::kToShift ? home : kZoneNord;
        const GeoPoint to = leg == TripLeg::kToShift ? kZoneNord : home;
        std::optional<int> got = fast.Minutes(TransportMode::kPublicTransport, from, to, s, leg);
        if (got) {
          EXPECT_GE(*got, b->overhead_minutes + b->minutes_per_km * HaversineKm(from, to));
        }
      }
    }
  }
}

TEST_F(ZoneMatrixTest, SerializeRoundTripAndThreadsAgree) {
  ZoneMatrix m = Build();
  const std::string blob = m.Serialize();
  EXPECT_EQ(Build(/*threads=*/3).Serialize(), blob);
  absl::StatusOr<ZoneMatrix> back = ZoneMatrix::Deserialize(blob);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->Serialize(), blob);
  EXPECT_EQ(back->stats().entries, m.stats().entries);
  int a = -1, b = -2;
  const WeeklySpan s{Weekday::kMonday, 8 * 60, 16 * 60};
  EXPECT_EQ(m.Lookup(kZoneNord, kStation, s, TripLeg::kToShift, &a),
            back->Lookup(kZoneNord, kStation, s, TripLeg::kToShift, &b));
  EXPECT_EQ(a, b);
  // Corrupt blobs.
  EXPECT_EQ(ZoneMatrix::Deserialize("nonsense").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ZoneMatrix::Deserialize(blob.substr(0, blob.size() - 3)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string bad = blob;
  bad[4] = 9;  // format version
  EXPECT_EQ(ZoneMatrix::Deserialize(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ZoneMatrixTest, SiteSetKeyFollowsSitesAndBands) {
  ZoneMatrixOptions o;
  std::vector<SiteShifts> sites = Sites();
  SiteShifts other{"e-2/s-1", kStation, {}};
  sites.push_back(other);
  const std::string key = SiteSetKey(sites, o);
  std::vector<SiteShifts> reordered = {sites[1], sites[0]};
  EXPECT_EQ(SiteSetKey(reordered, o), key);
  std::vector<SiteShifts> moved = sites;
  moved[1].point.lat += 0.001;
  EXPECT_NE(SiteSetKey(moved, o), key);
  std::vector<SiteShifts> reshifted = sites;
  reshifted[0].shifts[0].start_minute = 7 * 60;
  EXPECT_NE(SiteSetKey(reshifted, o), key);
  // A shift in the same bands changes nothing (08:05 and 08:10 both round to 08:00 there
  // and to 16:15 back).
  std::vector<SiteShifts> same_band = sites;
  same_band[0].shifts[1] = {Weekday::kTuesday, 8 * 60 + 10, 16 * 60 + 10};
  EXPECT_EQ(SiteSetKey(same_band, o), key);
  ZoneMatrixOptions coarser = o;
  coarser.cell_km = 2;
  EXPECT_NE(SiteSetKey(sites, coarser), key);
}

TEST(MatrixInputsTest, HomesCareLocationsAndSitesWithTheirShifts) {
  Participant a;
  a.home.point = kStation;
  Childcare care;
  care.location.point = kNearStation;
  a.childcare = {care};
  Participant b;
  b.home.point = kFarAway;
  Employer e;
  e.id = "e-1";
  e.sites = {{"s-1", "warehouse", {kZoneNord, "Gent", "9000"}}};
  Vacancy early, none, elsewhere;
  early.site_id = none.site_id = "s-1";
  early.shifts = {{Weekday::kMonday, 6 * 60, 14 * 60}};
  elsewhere.site_id = "s-9";  // not a site of the employer: left out
  const MatrixInputs in =
      InputsOf({&a, &b}, {{&early, &e}, {&none, &e}, {&elsewhere, &e}, {&early, nullptr}});
  ASSERT_EQ(in.points.size(), 3u);
  EXPECT_EQ(in.points[1].lat, kNearStation.lat);
  ASSERT_EQ(in.sites.size(), 1u);
  EXPECT_EQ(in.sites[0].id, "e-1/s-1");
  EXPECT_EQ(in.sites[0].point.lat, kZoneNord.lat);
  // The early shift and the default Monday 09:00-17:00 of the vacancy without shifts.
  ASSERT_EQ(in.sites[0].shifts.size(), 2u);
  EXPECT_EQ(in.sites[0].shifts[1].start_minute, 9 * 60);
}

TEST(MatrixInputsTest, AFlexibleStartAddsTheMovedShiftsTheMatcherAsksAbout) {
  Employer e;
  e.id = "e-1";
  e.sites = {{"s-1", "warehouse", {kZoneNord, "Gent", "9000"}}};
  Vacancy flexible;
  flexible.site_id = "s-1";
  flexible.shifts = {{Weekday::kMonday, 30, 8 * 60 + 30}};  // 00:30-08:30
  flexible.accommodations = {Accommodation::kFlexibleStart};
  const MatrixInputs in = InputsOf({}, {{&flexible, &e}}, /*flexible_start_minutes=*/60);
  ASSERT_EQ(in.sites.size(), 1u);
  // The shift, then moves of -30..+60 min in 5-minute steps (starts before midnight left
  // out): 6 earlier, 12 later.
  const std::vector<WeeklySpan>& shifts = in.sites[0].shifts;
  ASSERT_EQ(shifts.size(), 1u + 6u + 12u);
  int earliest = 24 * 60, latest = 0;
  for (const WeeklySpan& w : shifts) {
    EXPECT_EQ(w.end_minute - w.start_minute, 8 * 60);
    earliest = std::min(earliest, w.start_minute);
    latest = std::max(latest, w.start_minute);
  }
  EXPECT_EQ(earliest, 0);
  EXPECT_EQ(latest, 90);
  // The moved shifts are part of the site set: without them the key differs.
  ZoneMatrixOptions o;
  const std::string with_moves = SiteSetKey(in.sites, o);
  MatrixInputs fixed = InputsOf({}, {{&flexible, &e}}, /*flexible_start_minutes=*/0);
  ASSERT_EQ(fixed.sites[0].shifts.size(), 1u);
  EXPECT_NE(SiteSetKey(fixed.sites, o), with_moves);
}

TEST_F(ZoneMatrixTest, BadOptionsAreInvalidArgument) {
  ZoneMatrixOptions o;
  o.max_minutes = 300;
  EXPECT_EQ(ZoneMatrix::Build(exact_, {kStation}, Sites(), o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = ZoneMatrixOptions();
  o.band_minutes = 0;
  EXPECT_EQ(ZoneMatrix::Build(exact_, {kStation}, Sites(), o).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carvematch::commute
