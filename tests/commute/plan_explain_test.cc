// The estimator extensions of mobility/travel.h (trip plans, straight-line lower
// bounds) and how the matcher's commute item uses them, with a hand-written estimator.
#include <optional>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "matcher/commute_bound.h"
#include "matcher/matcher.h"
#include "mobility/travel.h"
#include "tests/matcher/fakes.h"

namespace carvematch {
namespace {

// One bus line between 'Station' (home) and 'Zone Nord' (the site), 35 min a ride:
// towards the site at hh:12 from 06:12 to 22:12, back at hh:05 from 06:05 to 23:05.
// Only public transport; door = stop.
class BusLineTravel : public TravelTimeEstimator {
 public:
  static constexpr int kRide = 35;

  std::optional<int> Minutes(TransportMode mode, GeoPoint from, GeoPoint to,
                             const WeeklySpan& shift, TripLeg leg) const override {
    std::optional<TripPlan> plan = Plan(mode, from, to, shift, leg, 24 * 60);
    if (!plan) return std::nullopt;
    if (leg == TripLeg::kToShift) {
      if (plan->arrive_minute > shift.start_minute) return std::nullopt;
      return shift.start_minute - plan->depart_minute;
    }
    return plan->arrive_minute - shift.end_minute;
  }

  std::optional<TripPlan> Plan(TransportMode mode, GeoPoint from, GeoPoint to,
                               const WeeklySpan& shift, TripLeg leg,
                               int max_minutes) const override {
    (void)from, (void)to;
    if (mode != TransportMode::kPublicTransport) return std::nullopt;
    if (leg == TripLeg::kToShift) {
      std::optional<int> on_time, first;
      for (int h = 6; h <= 22; ++h) {
        const int dep = h * 60 + 12;
        if (dep < shift.start_minute - max_minutes) continue;
        if (!first) first = dep;
        if (dep + kRide <= shift.start_minute) on_time = dep;
      }
      const std::optional<int> dep = on_time ? on_time : first;
      if (!dep) return std::nullopt;
      return Ride(*dep, "Station", "Zone Nord");
    }
    for (int h = 6; h <= 23; ++h) {
      const int dep = h * 60 + 5;
      if (dep >= shift.end_minute) return Ride(dep, "Zone Nord", "Station");
    }
    return std::nullopt;
  }

  std::optional<ModeLowerBound> LowerBound(TransportMode mode) const override {
    if (mode != TransportMode::kPublicTransport) return std::nullopt;
    return ModeLowerBound{3, 0.5};
  }

 private:
  static TripPlan Ride(int dep, const std::string& board, const std::string& alight) {
    TripPlan plan;
    plan.depart_minute = dep;
    plan.arrive_minute = dep + kRide;
    plan.legs.push_back({LegMode::kBus, "36", board, dep, alight, dep + kRide});
    return plan;
  }
};

class CommutePlanTest : public ::testing::Test {
 protected:
  CommutePlanTest() : matcher_(credit_, travel_) {
    employer_.id = "e-1";
    employer_.sector = "N81";
    employer_.sites = {{"s-1", "warehouse", {At(20), "Gent", "9000"}}};
  }

  static Vacancy Job(int start_minute) {
    Vacancy v;
    v.id = "v-1";
    v.employer_id = "e-1";
    v.site_id = "s-1";
    v.title = "order picker";
    v.hours_per_week = 38;
    v.shifts.push_back({Weekday::kMonday, start_minute, start_minute + 8 * 60});
    Task t;
    t.id = "t-1";
    t.description = "pick orders";
    t.hours_per_week = 38;
    v.tasks = {t};
    return v;
  }

  static Participant Rider() {
    Participant p;
    p.id = "p-1";
    p.home = {At(0), "Gent", "9000"};
    p.transport_modes = {TransportMode::kPublicTransport};
    p.max_commute_minutes = 60;
    return p;
  }

  const ExplanationItem& Commute(const Vacancy& v) {
    absl::StatusOr<MatchResult> r = matcher_.Explain(Rider(), {&v, &employer_, nullptr});
    EXPECT_TRUE(r.ok()) << r.status();
    result_ = r.ok() ? *r : MatchResult{};
    for (const ExplanationItem& i : result_.items) {
      if (i.criterion == "commute") return i;
    }
    ADD_FAILURE() << "no commute item";
    static const ExplanationItem kNone;
    return kNone;
  }

  FakeSkillCredit credit_;
  BusLineTravel travel_;
  Matcher matcher_;
  Employer employer_;
  MatchResult result_;
};

TEST_F(CommutePlanTest, LateBusIsExplainedWithItsTimes) {
  // The first bus leaves 06:12 and arrives 06:47; the shift starts 06:30.
  const ExplanationItem& item = Commute(Job(6 * 60 + 30));
  EXPECT_EQ(item.status, ItemStatus::kBlocker);
  EXPECT_NE(item.message.find("by public transport on Monday: bus 36 at 06:12 from 'Station', "
                              "arrives 06:47, shift starts 06:30: 17 min late"),
            std::string::npos)
      << item.message;
  // The vacancy offers no flexible start: nothing is said about one.
  EXPECT_EQ(item.message.find("flexible"), std::string::npos) << item.message;
}

TEST_F(CommutePlanTest, FlexibleStartThatWouldWork) {
  Vacancy v = Job(6 * 60 + 30);
  v.accommodations.push_back(Accommodation::kFlexibleStart);
  const ExplanationItem& item = Commute(v);
  // 06:50 is the smallest move (steps of 5 min) at which the 06:12 bus is on time.
  EXPECT_NE(item.message.find("17 min late; works with a flexible start of 06:50"),
            std::string::npos)
      << item.message;
  // Text only: the status stays the batch kernel's.
  EXPECT_EQ(item.status, ItemStatus::kBlocker);
}

TEST_F(CommutePlanTest, FlexibleStartThatDoesNotHelp) {
  // A 05:00 start: the first bus arrives 06:47, 107 min late; a move of at most 60 min
  // does not reach it.
  Vacancy v = Job(5 * 60);
  v.accommodations.push_back(Accommodation::kFlexibleStart);
  const ExplanationItem& item = Commute(v);
  EXPECT_NE(item.message.find("arrives 06:47, shift starts 05:00: 107 min late; a flexible "
                              "start (up to 60 min either way) does not help"),
            std::string::npos)
      << item.message;
}

TEST_F(CommutePlanTest, TooEarlyBusSaysHowLongTheTripTakes) {
  // A 60-minute limit and a 09:40 start: the 09:12 bus arrives 09:47 (late); the 08:12
  // bus is on time but leaves 88 min before the start, beyond the limit.
  const ExplanationItem& item = Commute(Job(9 * 60 + 40));
  EXPECT_EQ(item.status, ItemStatus::kBlocker);
  EXPECT_NE(item.message.find("public transport 88 min"), std::string::npos) << item.message;
  EXPECT_NE(item.message.find("bus 36 at 09:12 from 'Station', arrives 09:47, shift starts "
                              "09:40: 7 min late"),
            std::string::npos)
      << item.message;
}

TEST_F(CommutePlanTest, UsedTripIsTheLongestLeg) {
  // 08:00-16:00: there 07:12 -> 07:47 (48 min door to door), back 16:05 -> 16:40 (40).
  const ExplanationItem& item = Commute(Job(8 * 60));
  EXPECT_EQ(item.status, ItemStatus::kOk);
  EXPECT_EQ(item.message,
            "public transport 48 min to the site (max 60): Monday bus 36 at 07:12 from "
            "'Station', arrives 07:47, shift starts 08:00: 13 min early");
  EXPECT_EQ(result_.commute_minutes, 48);
}

TEST_F(CommutePlanTest, UsedTripOnTheWayBack) {
  // 08:50-16:50: there 08:12 -> 08:47 (38 min), back 17:05 -> 17:40 (50 min).
  const ExplanationItem& item = Commute(Job(8 * 60 + 50));
  EXPECT_EQ(item.status, ItemStatus::kOk);
  EXPECT_NE(item.message.find(": Monday shift ends 16:50, bus 36 at 17:05 from 'Zone Nord', "
                              "home 17:40"),
            std::string::npos)
      << item.message;
}

TEST(TravelModelBoundTest, ExactTypeHasTheGeometricBoundSubclassNone) {
  TravelModel model;
  class Derived : public TravelModel {};
  Derived derived;
  for (int m = 1; m <= kTransportModeCount; ++m) {
    const TransportMode mode = static_cast<TransportMode>(m);
    std::optional<ModeLowerBound> b = model.LowerBound(mode);
    ASSERT_TRUE(b.has_value()) << m;
    const ModeParams& p = model.ParamsFor(mode);
    EXPECT_DOUBLE_EQ(b->overhead_minutes, p.overhead_minutes);
    EXPECT_DOUBLE_EQ(b->minutes_per_km, p.detour_factor / p.speed_kmh * 60.0);
    EXPECT_FALSE(derived.LowerBound(mode).has_value()) << m;
  }
  EXPECT_FALSE(model.LowerBound(TransportMode::kUnspecified).has_value());
  EXPECT_FALSE(model
                   .Plan(TransportMode::kPublicTransport, {51, 4}, {51.1, 4},
                         {Weekday::kMonday, 480, 960}, TripLeg::kToShift, 60)
                   .has_value());
}

TEST(TravelModelBoundTest, BoundHoldsForEveryAnswer) {
  TravelModel model;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> lat(50.6, 51.4), lon(2.5, 5.9);
  for (int i = 0; i < 2000; ++i) {
    const GeoPoint a{lat(rng), lon(rng)}, b{lat(rng), lon(rng)};
    const double km = HaversineKm(a, b);
    for (int m = 1; m <= kTransportModeCount; ++m) {
      const TransportMode mode = static_cast<TransportMode>(m);
      const ModeLowerBound lb = *model.LowerBound(mode);
      std::optional<int> minutes =
          model.Minutes(mode, a, b, {Weekday::kMonday, 9 * 60, 17 * 60}, TripLeg::kToShift);
      if (minutes) {
        EXPECT_GE(*minutes, lb.overhead_minutes + lb.minutes_per_km * km - 1e-9);
      }
    }
  }
}

TEST(TravelLowerBoundForTest, UsesTheEstimatorsOwnBounds) {
  BusLineTravel bus;
  std::optional<TravelLowerBound> b = TravelLowerBoundFor(bus);
  ASSERT_TRUE(b.has_value());
  const size_t pt = static_cast<size_t>(TransportMode::kPublicTransport);
  EXPECT_DOUBLE_EQ(b->overhead_minutes[pt], 3);
  EXPECT_DOUBLE_EQ(b->minutes_per_km[pt], 0.5);
  // Modes without a bound of their own are bounded by 0 minutes (always true).
  const size_t car = static_cast<size_t>(TransportMode::kCar);
  EXPECT_DOUBLE_EQ(b->overhead_minutes[car], 0);
  EXPECT_DOUBLE_EQ(b->minutes_per_km[car], 0);
}

TEST(TravelLowerBoundForTest, NoneWithoutBoundsAndExactForTravelModel) {
  FakeTravel fake;  // states no bound
  EXPECT_FALSE(TravelLowerBoundFor(fake).has_value());
  TravelModel model;
  std::optional<TravelLowerBound> b = TravelLowerBoundFor(model);
  ASSERT_TRUE(b.has_value());
  const TravelLowerBound want = TravelLowerBound::Of(model);
  EXPECT_EQ(b->overhead_minutes, want.overhead_minutes);
  EXPECT_EQ(b->minutes_per_km, want.minutes_per_km);
}

}  // namespace
}  // namespace carvematch
