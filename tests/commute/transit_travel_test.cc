#include "commute/transit_travel.h"

#include <atomic>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "matcher/commute_bound.h"
#include "matcher/matcher.h"
#include "routing/raptor.h"
#include "tests/commute/bus_line.h"
#include "tests/matcher/fakes.h"
#include "transit/timetable.h"

namespace carvematch::commute {
namespace {

class TransitTravelTest : public ::testing::Test {
 protected:
  TransitTravelTest()
      : timetable_(BusLine()), network_(timetable_), travel_(network_, TravelModel(), Options()) {}

  TransitTravelOptions Options() {
    TransitTravelOptions o;
    o.week_start = ReferenceWeekStart(timetable_, transit::DayFromCivil(2026, 11, 25));
    return o;
  }

  std::optional<int> To(int start_minute, Weekday day = Weekday::kMonday) {
    return travel_.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord,
                           {day, start_minute, start_minute + 480}, TripLeg::kToShift);
  }
  std::optional<int> Back(int end_minute, Weekday day = Weekday::kMonday) {
    return travel_.Minutes(TransportMode::kPublicTransport, kZoneNord, kStation,
                           {day, end_minute - 480, end_minute}, TripLeg::kFromShift);
  }

  transit::Timetable timetable_;
  routing::TransitNetwork network_;
  TransitTravel travel_;
};

TEST_F(TransitTravelTest, ReferenceWeekIsTheFirstFullWeekOnOrAfterTheDate) {
  // 2026-11-25 is a Wednesday: the week starts Monday 2026-11-30.
  EXPECT_EQ(travel_.options().week_start, transit::DayFromCivil(2026, 11, 30));
  EXPECT_EQ(transit::WeekdayOf(travel_.DateOf(Weekday::kMonday)), 0);
  EXPECT_EQ(travel_.DateOf(Weekday::kSunday), transit::DayFromCivil(2026, 12, 6));
  // A date after the feed: the first full week of the feed (from Monday 2026-01-05).
  EXPECT_EQ(ReferenceWeekStart(timetable_, transit::DayFromCivil(2027, 3, 1)),
            transit::DayFromCivil(2026, 1, 5));
  // The last full week inside the feed ends Sunday 2026-12-27.
  EXPECT_EQ(ReferenceWeekStart(timetable_, transit::DayFromCivil(2026, 12, 22)),
            transit::DayFromCivil(2026, 1, 5));
  EXPECT_EQ(ReferenceWeekStart(timetable_, transit::DayFromCivil(2026, 12, 21)),
            transit::DayFromCivil(2026, 12, 21));
}

TEST_F(TransitTravelTest, LatestDepartureThereEarliestArrivalBack) {
  EXPECT_EQ(To(8 * 60), 48);                 // 07:12 -> 07:47, shift 08:00
  EXPECT_EQ(To(7 * 60 + 47), 35);            // exactly on time
  EXPECT_EQ(To(6 * 60 + 30), std::nullopt);  // the first bus arrives 06:47
  EXPECT_EQ(Back(16 * 60), 40);              // 16:05 -> 16:40
  EXPECT_EQ(Back(16 * 60 + 6), 94);          // waits for 17:05 -> 17:40
  EXPECT_EQ(Back(23 * 60 + 30), std::nullopt);
  // No service at the weekend.
  EXPECT_EQ(To(8 * 60, Weekday::kSaturday), std::nullopt);
  EXPECT_FALSE(travel_.SameAtAllTimes(TransportMode::kPublicTransport));
}

TEST_F(TransitTravelTest, OtherModesAreTheTravelModel) {
  TravelModel model;
  const WeeklySpan s{Weekday::kSaturday, 3 * 60, 11 * 60};
  for (TransportMode m : {TransportMode::kWalk, TransportMode::kBike, TransportMode::kCar}) {
    EXPECT_EQ(travel_.Minutes(m, kStation, kZoneNord, s, TripLeg::kToShift),
              model.Minutes(m, kStation, kZoneNord, s, TripLeg::kToShift));
    EXPECT_TRUE(travel_.SameAtAllTimes(m));
    EXPECT_FALSE(travel_.Plan(m, kStation, kZoneNord, s, TripLeg::kToShift, 60).has_value());
    ASSERT_TRUE(travel_.LowerBound(m).has_value());
    EXPECT_DOUBLE_EQ(travel_.LowerBound(m)->minutes_per_km, model.LowerBound(m)->minutes_per_km);
  }
}

TEST_F(TransitTravelTest, PlanOnTimeLateAndBack) {
  const WeeklySpan early{Weekday::kMonday, 6 * 60 + 30, 14 * 60 + 30};
  std::optional<TripPlan> late = travel_.Plan(TransportMode::kPublicTransport, kStation, kZoneNord,
                                              early, TripLeg::kToShift, 60);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->arrive_minute, 6 * 60 + 47);
  ASSERT_EQ(late->legs.size(), 1u);  // the points are the stops: no walking
  EXPECT_EQ(late->legs[0].mode, LegMode::kBus);
  EXPECT_EQ(late->legs[0].line, "36");
  EXPECT_EQ(late->legs[0].board_stop, "Station");
  EXPECT_EQ(late->legs[0].board_minute, 6 * 60 + 12);
  EXPECT_EQ(late->legs[0].alight_stop, "Zone Nord");

  const WeeklySpan eight{Weekday::kMonday, 8 * 60, 16 * 60};
  std::optional<TripPlan> on_time = travel_.Plan(TransportMode::kPublicTransport, kStation,
                                                 kZoneNord, eight, TripLeg::kToShift, 60);
  ASSERT_TRUE(on_time.has_value());
  EXPECT_EQ(on_time->depart_minute, 7 * 60 + 12);
  EXPECT_EQ(8 * 60 - on_time->depart_minute, *To(8 * 60));
  // With a 30-minute limit the on-time bus leaves too early: the first one after 07:30
  // (08:12) is shown, 47 min late.
  std::optional<TripPlan> limited = travel_.Plan(TransportMode::kPublicTransport, kStation,
                                                 kZoneNord, eight, TripLeg::kToShift, 30);
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->arrive_minute, 8 * 60 + 47);

  std::optional<TripPlan> back = travel_.Plan(TransportMode::kPublicTransport, kZoneNord, kStation,
                                              eight, TripLeg::kFromShift, 60);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->legs.front().board_stop, "Zone Nord");
  EXPECT_EQ(back->arrive_minute - 16 * 60, *Back(16 * 60));
}

TEST_F(TransitTravelTest, WalkingAccessIsPartOfThePlan) {
  // 300 m south of the station: a walk, then the bus.
  const GeoPoint home{kStation.lat - 0.0027, kStation.lon};
  const WeeklySpan s{Weekday::kTuesday, 8 * 60, 16 * 60};
  std::optional<TripPlan> plan =
      travel_.Plan(TransportMode::kPublicTransport, home, kZoneNord, s, TripLeg::kToShift, 90);
  ASSERT_TRUE(plan.has_value());
  ASSERT_GE(plan->legs.size(), 2u);
  EXPECT_EQ(plan->legs.front().mode, LegMode::kWalk);
  EXPECT_EQ(plan->legs.front().alight_stop, "Station");
  EXPECT_LT(plan->depart_minute, 7 * 60 + 12);
  std::optional<int> minutes =
      travel_.Minutes(TransportMode::kPublicTransport, home, kZoneNord, s, TripLeg::kToShift);
  ASSERT_TRUE(minutes.has_value());
  EXPECT_EQ(*minutes, 8 * 60 - plan->depart_minute);
}

TEST_F(TransitTravelTest, LowerBoundHoldsForEveryAnswer) {
  std::optional<ModeLowerBound> b = travel_.LowerBound(TransportMode::kPublicTransport);
  ASSERT_TRUE(b.has_value());
  EXPECT_GT(b->minutes_per_km, 0);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> lat(51.04, 51.09), lon(3.71, 3.76);
  int answered = 0;
  for (int i = 0; i < 300; ++i) {
    const GeoPoint a{lat(rng), lon(rng)}, c{lat(rng), lon(rng)};
    const WeeklySpan s{Weekday::kWednesday, 6 * 60 + 5 * (i % 150), 6 * 60 + 5 * (i % 150) + 480};
    for (TripLeg leg : {TripLeg::kToShift, TripLeg::kFromShift}) {
      std::optional<int> m = travel_.Minutes(TransportMode::kPublicTransport, a, c, s, leg);
      if (!m) continue;
      ++answered;
      EXPECT_GE(*m, b->overhead_minutes + b->minutes_per_km * HaversineKm(a, c) - 1e-6);
    }
  }
  EXPECT_GT(answered, 50);
  // And the matcher's batch kernel gets it through TravelLowerBoundFor.
  std::optional<TravelLowerBound> tb = TravelLowerBoundFor(travel_);
  ASSERT_TRUE(tb.has_value());
  EXPECT_DOUBLE_EQ(tb->minutes_per_km[static_cast<size_t>(TransportMode::kPublicTransport)],
                   b->minutes_per_km);
}

TEST_F(TransitTravelTest, FreeKilometresCoverRoundedTimes) {
  // One line at one speed: the fastest trip average is that speed and no sub-ride is
  // faster, so no kilometre is free.
  const TimetableSpeed speed = FastestSpeeds(timetable_, 1.0);
  const double km = HaversineKm(kStation, kZoneNord);
  EXPECT_NEAR(speed.max_kmh, km / (35.0 / 60.0), 1e-9);
  EXPECT_NEAR(speed.free_km_per_ride, 0.0, 1e-9);
}

TEST_F(TransitTravelTest, SameAnswersFromManyThreads) {
  std::vector<std::optional<int>> want;
  for (int i = 0; i < 40; ++i) want.push_back(To(6 * 60 + 20 * i));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 40; ++i) {
          if (To(6 * 60 + 20 * i) != want[static_cast<size_t>(i)]) ++mismatches;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(TransitTravelTest, MatcherExplainsTheLateBus) {
  FakeSkillCredit credit;
  Matcher matcher(credit, travel_);
  Employer e;
  e.id = "e-1";
  e.sector = "N81";
  e.sites = {{"s-1", "warehouse", {kZoneNord, "Gent", "9000"}}};
  Vacancy v;
  v.id = "v-1";
  v.employer_id = "e-1";
  v.site_id = "s-1";
  v.title = "order picker";
  v.hours_per_week = 38;
  v.shifts = {{Weekday::kMonday, 6 * 60 + 30, 14 * 60 + 30}};
  v.accommodations = {Accommodation::kFlexibleStart};
  Task task;
  task.id = "t-1";
  task.description = "pick orders";
  task.hours_per_week = 38;
  v.tasks = {task};
  Participant p;
  p.id = "p-1";
  p.home = {kStation, "Gent", "9000"};
  p.transport_modes = {TransportMode::kPublicTransport};
  p.max_commute_minutes = 60;
  absl::StatusOr<MatchResult> r = matcher.Explain(p, {&v, &e, nullptr});
  ASSERT_TRUE(r.ok()) << r.status();
  const ExplanationItem* commute = nullptr;
  for (const ExplanationItem& i : r->items) {
    if (i.criterion == "commute") commute = &i;
  }
  ASSERT_NE(commute, nullptr);
  EXPECT_EQ(commute->status, ItemStatus::kBlocker);
  EXPECT_NE(commute->message.find("bus 36 at 06:12 from 'Station', arrives 06:47, shift starts "
                                  "06:30: 17 min late; works with a flexible start of 06:50"),
            std::string::npos)
      << commute->message;
}

}  // namespace
}  // namespace carvematch::commute
