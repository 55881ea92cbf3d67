// A one-line timetable with known answers, shared by the commute tests.
#ifndef CARVEMATCH_TESTS_COMMUTE_BUS_LINE_H_
#define CARVEMATCH_TESTS_COMMUTE_BUS_LINE_H_

#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "routing/raptor.h"
#include "transit/timetable.h"

namespace carvematch::commute {

using transit::Day;

inline constexpr GeoPoint kStation{51.0500, 3.7200};
inline constexpr GeoPoint kZoneNord{51.0800, 3.7500};

// Bus 36 on weekdays of 2026: Station -> Zone Nord at hh:12 (06:12-22:12), back at hh:05
// (06:05-23:05), 35 min a ride.
inline transit::Timetable BusLine() {
  transit::TimetableBuilder b;
  const Day from = transit::DayFromCivil(2026, 1, 1);
  const Day to = transit::DayFromCivil(2026, 12, 31);
  b.AddFeed({"f", {"De Lijn"}, from, to});
  const transit::StopIndex station = b.AddStop({"f:1", "Station", kStation});
  const transit::StopIndex nord = b.AddStop({"f:2", "Zone Nord", kZoneNord});
  const transit::ServiceIndex wd =
      b.AddService(transit::ServiceCalendar::Weekly("f:wd", from, to, 0x1f));
  for (int h = 6; h <= 23; ++h) {
    if (h <= 22) {
      const int dep = h * 3600 + 12 * 60;
      EXPECT_TRUE(b.AddTrip({absl::StrCat("f:out", h), "f:36", "36", transit::RouteMode::kBus, wd,
                             "Zone Nord"},
                            {{station, dep, dep}, {nord, dep + 35 * 60, dep + 35 * 60}})
                      .ok());
    }
    const int dep = h * 3600 + 5 * 60;
    EXPECT_TRUE(
        b.AddTrip({absl::StrCat("f:in", h), "f:36", "36", transit::RouteMode::kBus, wd, "Station"},
                  {{nord, dep, dep}, {station, dep + 35 * 60, dep + 35 * 60}})
            .ok());
  }
  absl::StatusOr<transit::Timetable> t = std::move(b).Build(transit::FootpathOptions{});
  EXPECT_TRUE(t.ok()) << t.status();
  return std::move(*t);
}

}  // namespace carvematch::commute

#endif  // CARVEMATCH_TESTS_COMMUTE_BUS_LINE_H_
