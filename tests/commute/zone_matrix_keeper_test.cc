#include "commute/zone_matrix_keeper.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "commute/transit_travel.h"
#include "gtest/gtest.h"
#include "routing/raptor.h"
#include "tests/commute/bus_line.h"

namespace carvematch::commute {
namespace {

constexpr GeoPoint kFarAway{51.2300, 3.9000};  // 20 km from the line

class ZoneMatrixKeeperTest : public ::testing::Test {
 protected:
  ZoneMatrixKeeperTest()
      : timetable_(BusLine()), network_(timetable_), exact_(network_, TravelModel(), Options()) {
    SiteShifts nord;
    nord.id = "e-1/s-1";
    nord.point = kZoneNord;
    nord.shifts = {{Weekday::kMonday, 8 * 60, 16 * 60}};
    request_.inputs.sites = {nord};
    request_.inputs.points = {kStation};
  }

  static TransitTravelOptions Options() {
    TransitTravelOptions o;
    o.week_start = transit::DayFromCivil(2026, 11, 30);
    return o;
  }

  std::unique_ptr<ZoneMatrixKeeper> MakeKeeper() {
    return std::make_unique<ZoneMatrixKeeper>(
        exact_,
        [this] {
          std::lock_guard<std::mutex> lock(mu_);
          return request_;
        },
        [this](const ZoneMatrix& m, const std::string& key) {
          std::lock_guard<std::mutex> lock(mu_);
          saved_.push_back({key, m.stats().sites});
        });
  }

  void Change(const std::function<void(MatrixRequest*)>& f) {
    std::lock_guard<std::mutex> lock(mu_);
    f(&request_);
  }

  transit::Timetable timetable_;
  routing::TransitNetwork network_;
  TransitTravel exact_;
  std::mutex mu_;
  MatrixRequest request_;
  std::vector<std::pair<std::string, size_t>> saved_;
};

TEST_F(ZoneMatrixKeeperTest, BuildsOnceAndKeepsItWhileNothingChanges) {
  auto keeper = MakeKeeper();
  EXPECT_EQ(keeper->Current(), nullptr);  // nothing yet: the first call starts a build
  ASSERT_TRUE(keeper->WaitIdle().ok());
  std::shared_ptr<const ZoneMatrixTravel> first = keeper->Current();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->matrix().stats().sites, 1u);
  const WeeklySpan monday{Weekday::kMonday, 8 * 60, 16 * 60};
  // Bus 36 at 07:12, arrives 07:47 (the zone's point is the station itself).
  EXPECT_EQ(first->Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, monday,
                           TripLeg::kToShift),
            exact_.Minutes(TransportMode::kPublicTransport, kStation, kZoneNord, monday,
                           TripLeg::kToShift));
  ASSERT_TRUE(keeper->WaitIdle().ok());
  EXPECT_EQ(keeper->Current(), first);
  EXPECT_EQ(keeper->stats().rebuilds_started, 1);
  EXPECT_EQ(keeper->stats().rebuilds_installed, 1);
  ASSERT_EQ(saved_.size(), 1u);
  EXPECT_EQ(saved_[0].first, SiteSetKey(request_.inputs.sites, request_.options));
}

TEST_F(ZoneMatrixKeeperTest, ANewSiteOrShiftRebuildsInTheBackground) {
  auto keeper = MakeKeeper();
  ASSERT_TRUE(keeper->WaitIdle().ok());
  keeper->Current();
  ASSERT_TRUE(keeper->WaitIdle().ok());
  std::shared_ptr<const ZoneMatrixTravel> before = keeper->Current();
  ASSERT_NE(before, nullptr);
  Change([](MatrixRequest* r) {
    SiteShifts station;
    station.id = "e-2/s-1";
    station.point = kStation;
    station.shifts = {{Weekday::kTuesday, 17 * 60, 21 * 60}};
    r->inputs.sites.push_back(station);
    r->inputs.points.push_back(kZoneNord);
  });
  // Until the new matrix is installed the old one answers (and stays alive).
  std::shared_ptr<const ZoneMatrixTravel> during = keeper->Current();
  ASSERT_TRUE(keeper->WaitIdle().ok());
  std::shared_ptr<const ZoneMatrixTravel> after = keeper->Current();
  EXPECT_EQ(during, before);
  ASSERT_NE(after, before);
  EXPECT_EQ(after->matrix().stats().sites, 2u);
  EXPECT_EQ(before->matrix().stats().sites, 1u);
  int minutes = 0;
  EXPECT_EQ(after->matrix().Lookup(kStation, kZoneNord, {Weekday::kTuesday, 17 * 60, 21 * 60},
                                   TripLeg::kToShift, &minutes),
            ZoneMatrix::Answer::kMinutes);
  EXPECT_EQ(before->matrix().Lookup(kStation, kZoneNord, {Weekday::kTuesday, 17 * 60, 21 * 60},
                                    TripLeg::kToShift, &minutes),
            ZoneMatrix::Answer::kUnknown);
  ASSERT_EQ(saved_.size(), 2u);
  EXPECT_EQ(saved_[1].second, 2u);
  // Another shift at a known site changes its bands: rebuilt too.
  Change([](MatrixRequest* r) {
    r->inputs.sites[0].shifts.push_back({Weekday::kSaturday, 600, 900});
  });
  keeper->Current();
  ASSERT_TRUE(keeper->WaitIdle().ok());
  EXPECT_NE(keeper->Current(), after);
  EXPECT_EQ(keeper->stats().rebuilds_installed, 3);  // the first build and two changes
}

TEST_F(ZoneMatrixKeeperTest, AHomeInANewZoneRebuildsAndAFailedBuildKeepsTheOldMatrix) {
  auto keeper = MakeKeeper();
  keeper->Current();
  ASSERT_TRUE(keeper->WaitIdle().ok());
  std::shared_ptr<const ZoneMatrixTravel> before = keeper->Current();
  ASSERT_NE(before, nullptr);
  EXPECT_LT(before->matrix().ZoneOf(kFarAway), 0);
  Change([](MatrixRequest* r) { r->inputs.points.push_back(kFarAway); });
  keeper->Current();
  ASSERT_TRUE(keeper->WaitIdle().ok());
  std::shared_ptr<const ZoneMatrixTravel> after = keeper->Current();
  ASSERT_NE(after, before);
  EXPECT_GE(after->matrix().ZoneOf(kFarAway), 0);
  // Options out of range: the rebuild fails, the matrix in use stays.
  Change([](MatrixRequest* r) { r->options.band_minutes = 0; });
  keeper->Current();
  const absl::Status failed = keeper->WaitIdle();
  EXPECT_EQ(failed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(keeper->stats().rebuilds_installed, 2);
  std::shared_ptr<const ZoneMatrixTravel> still = keeper->Current();
  EXPECT_EQ(still, after);
  keeper->WaitIdle().IgnoreError();
}

TEST_F(ZoneMatrixKeeperTest, InstalledMatrixIsUsedWhileItIsCurrent) {
  auto keeper = MakeKeeper();
  absl::StatusOr<ZoneMatrix> m =
      ZoneMatrix::Build(exact_, request_.inputs.points, request_.inputs.sites, request_.options);
  ASSERT_TRUE(m.ok());
  keeper->Install(*std::move(m), SiteSetKey(request_.inputs.sites, request_.options));
  std::shared_ptr<const ZoneMatrixTravel> installed = keeper->Current();
  ASSERT_NE(installed, nullptr);
  ASSERT_TRUE(keeper->WaitIdle().ok());
  EXPECT_EQ(keeper->Current(), installed);
  EXPECT_EQ(keeper->stats().rebuilds_started, 0);
  EXPECT_TRUE(saved_.empty());
}

}  // namespace
}  // namespace carvematch::commute
