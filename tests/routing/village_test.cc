// End to end: the hand-made GTFS feed tests/transit/feeds/village (its README gives the
// known answers) imported with transit::ImportGtfs, then routed.
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "routing/raptor.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"

namespace carvematch::routing {
namespace {

using ::testing::HasSubstr;

constexpr Seconds H(int h, int m) { return h * 3600 + m * 60; }

class VillageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    transit::TimetableBuilder builder;
    absl::StatusOr<transit::ImportReport> report =
        transit::ImportGtfs("tests/transit/feeds/village", "v", builder);
    ASSERT_TRUE(report.ok()) << report.status();
    absl::StatusOr<transit::Timetable> t = std::move(builder).Build(transit::FootpathOptions{});
    ASSERT_TRUE(t.ok()) << t.status();
    timetable_ = new transit::Timetable(std::move(t).value());
  }
  static void TearDownTestSuite() {
    delete timetable_;
    timetable_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(timetable_, nullptr); }

  static StopIndex Stop(const std::string& id) {
    for (StopIndex s = 0; s < timetable_->num_stops(); ++s) {
      if (timetable_->stops[s].id == "v:" + id) return s;
    }
    ADD_FAILURE() << "no stop " << id;
    return 0;
  }

  Seconds Arrival(Day date, const std::string& from, Seconds at, const std::string& to) {
    router_.EarliestArrivalFromStops(date, {{Stop(from), at}}, kDefaultMaxTransfers);
    return router_.ArrivalAt(Stop(to));
  }

  static transit::Timetable* timetable_;
  TransitNetwork network_{*timetable_};
  Router router_{network_};
};

transit::Timetable* VillageTest::timetable_ = nullptr;

const Day kMonday = transit::DayFromCivil(2026, 11, 23);

TEST_F(VillageTest, FirstBusMissesASixOClockStart) {
  EXPECT_EQ(Arrival(kMonday, "STA", H(6, 0), "ZNO"), H(6, 47));
  const std::optional<Journey> j = router_.JourneyToStop(Stop("ZNO"));
  ASSERT_TRUE(j.has_value());
  const std::string text = DescribeJourney(*j, *timetable_);
  EXPECT_THAT(text, HasSubstr("bus 36 at 06:12 from Station perron A"));
  EXPECT_THAT(text, HasSubstr("arrives 06:47 at Zone Nord"));
  // The latest departure for a 07:00 start is that same bus.
  router_.LatestDepartureToStops(kMonday, {{Stop("ZNO"), H(7, 0)}}, kDefaultMaxTransfers);
  EXPECT_EQ(router_.DepartureFrom(Stop("STA")), H(6, 12));
}

TEST_F(VillageTest, NoSundayBus) {
  EXPECT_EQ(Arrival(transit::DayFromCivil(2026, 11, 29), "STA", H(6, 0), "ZNO"), kUnreachable);
  // Christmas (a Friday) runs no weekday service.
  EXPECT_EQ(Arrival(transit::DayFromCivil(2026, 12, 25), "STA", H(6, 0), "ZNO"), kUnreachable);
}

TEST_F(VillageTest, MissedTransferAtTheMarket) {
  EXPECT_EQ(Arrival(kMonday, "KRK", H(6, 0), "ZNO"), H(7, 17));
  const std::optional<Journey> j = router_.JourneyToStop(Stop("ZNO"));
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->rides, 2);
}

TEST_F(VillageTest, NightBusAfterMidnight) {
  EXPECT_EQ(Arrival(kMonday + 1, "STA", H(0, 30), "ZNO"), H(1, 5));
  EXPECT_EQ(Arrival(transit::DayFromCivil(2026, 11, 28), "STA", H(0, 30), "ZNO"), H(1, 5));
  EXPECT_EQ(Arrival(kMonday, "STA", H(0, 30), "ZNO"), H(6, 47));  // first bus of the day
}

}  // namespace
}  // namespace carvematch::routing
