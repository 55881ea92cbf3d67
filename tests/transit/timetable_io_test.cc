#include "transit/timetable_io.h"

#include <random>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"

namespace carvematch::transit {
namespace {

using ::testing::HasSubstr;

Timetable Village() {
  TimetableBuilder b;
  absl::StatusOr<ImportReport> r = ImportGtfs("tests/transit/feeds/village", "v", b);
  EXPECT_TRUE(r.ok()) << r.status();
  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  EXPECT_TRUE(t.ok()) << t.status();
  return *std::move(t);
}

// A random timetable with a few hundred trips, several services and footpaths.
Timetable Random(unsigned seed) {
  std::mt19937 rng(seed);
  TimetableBuilder b;
  b.AddFeed(FeedInfo{"x", {"Agency A", "Agency B"}, 20000, 20100});
  for (int i = 0; i < 60; ++i) {
    b.AddStop({"x:s" + std::to_string(i),
               "Stop \"" + std::to_string(i) + "\"",
               {51.0 + (rng() % 1000) * 1e-4, 3.7 + (rng() % 1000) * 1e-4}});
  }
  for (int s = 0; s < 3; ++s) {
    ServiceCalendar c = ServiceCalendar::Weekly("x:svc" + std::to_string(s), 20000, 20200,
                                                static_cast<uint8_t>(0x1f << s));
    c.Remove(20003);
    b.AddService(std::move(c));
  }
  for (int i = 0; i < 300; ++i) {
    std::vector<TripStop> calls;
    Seconds t = static_cast<Seconds>(5 * 3600 + rng() % (20 * 3600));
    const int start = static_cast<int>(rng() % 10);
    for (int k = 0; k < 5; ++k) {
      calls.push_back({static_cast<StopIndex>(start * 5 + k), t, t + 20, k == 0, k == 4});
      t += 20 + static_cast<Seconds>(rng() % 600);
    }
    EXPECT_TRUE(b.AddTrip({"x:t" + std::to_string(i), "x:r" + std::to_string(start),
                           std::to_string(start), static_cast<RouteMode>(start % 6),
                           static_cast<ServiceIndex>(i % 3), i % 2 ? "Noord" : ""},
                          calls)
                    .ok());
  }
  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  EXPECT_TRUE(t.ok());
  return *std::move(t);
}

void ExpectEqual(const Timetable& a, const Timetable& b) {
  ASSERT_EQ(a.feeds.size(), b.feeds.size());
  for (size_t i = 0; i < a.feeds.size(); ++i) {
    EXPECT_EQ(a.feeds[i].name, b.feeds[i].name);
    EXPECT_EQ(a.feeds[i].agencies, b.feeds[i].agencies);
    EXPECT_EQ(a.feeds[i].first_day, b.feeds[i].first_day);
    EXPECT_EQ(a.feeds[i].last_day, b.feeds[i].last_day);
  }
  ASSERT_EQ(a.stops.size(), b.stops.size());
  for (size_t i = 0; i < a.stops.size(); ++i) {
    EXPECT_EQ(a.stops[i].id, b.stops[i].id);
    EXPECT_EQ(a.stops[i].name, b.stops[i].name);
    EXPECT_EQ(a.stops[i].point.lat, b.stops[i].point.lat);
    EXPECT_EQ(a.stops[i].point.lon, b.stops[i].point.lon);
  }
  ASSERT_EQ(a.services.size(), b.services.size());
  for (size_t i = 0; i < a.services.size(); ++i) {
    EXPECT_EQ(a.services[i].id, b.services[i].id);
    EXPECT_EQ(a.services[i].first_day, b.services[i].first_day);
    EXPECT_EQ(a.services[i].day_bits, b.services[i].day_bits);
  }
  ASSERT_EQ(a.trips.size(), b.trips.size());
  for (size_t i = 0; i < a.trips.size(); ++i) {
    EXPECT_EQ(a.trips[i].trip_id, b.trips[i].trip_id);
    EXPECT_EQ(a.trips[i].route_id, b.trips[i].route_id);
    EXPECT_EQ(a.trips[i].short_name, b.trips[i].short_name);
    EXPECT_EQ(a.trips[i].mode, b.trips[i].mode);
    EXPECT_EQ(a.trips[i].service, b.trips[i].service);
    EXPECT_EQ(a.trips[i].headsign, b.trips[i].headsign);
  }
  ASSERT_EQ(a.routes.size(), b.routes.size());
  for (size_t i = 0; i < a.routes.size(); ++i) {
    EXPECT_EQ(a.routes[i].first_route_stop, b.routes[i].first_route_stop);
    EXPECT_EQ(a.routes[i].num_stops, b.routes[i].num_stops);
    EXPECT_EQ(a.routes[i].first_trip, b.routes[i].first_trip);
    EXPECT_EQ(a.routes[i].num_trips, b.routes[i].num_trips);
    EXPECT_EQ(a.routes[i].first_stop_time, b.routes[i].first_stop_time);
  }
  EXPECT_EQ(a.route_stops, b.route_stops);
  EXPECT_EQ(a.route_stop_flags, b.route_stop_flags);
  ASSERT_EQ(a.stop_times.size(), b.stop_times.size());
  for (size_t i = 0; i < a.stop_times.size(); ++i) {
    EXPECT_EQ(a.stop_times[i].arrival, b.stop_times[i].arrival);
    EXPECT_EQ(a.stop_times[i].departure, b.stop_times[i].departure);
  }
  EXPECT_EQ(a.stop_route_offsets, b.stop_route_offsets);
  ASSERT_EQ(a.stop_routes.size(), b.stop_routes.size());
  for (size_t i = 0; i < a.stop_routes.size(); ++i) {
    EXPECT_EQ(a.stop_routes[i].route, b.stop_routes[i].route);
    EXPECT_EQ(a.stop_routes[i].position, b.stop_routes[i].position);
  }
  EXPECT_EQ(a.footpath_offsets, b.footpath_offsets);
  ASSERT_EQ(a.footpaths.size(), b.footpaths.size());
  for (size_t i = 0; i < a.footpaths.size(); ++i) {
    EXPECT_EQ(a.footpaths[i].to, b.footpaths[i].to);
    EXPECT_EQ(a.footpaths[i].duration, b.footpaths[i].duration);
  }
}

TEST(TimetableIoTest, RoundTripVillage) {
  const Timetable t = Village();
  const std::string blob = Serialize(t);
  EXPECT_EQ(blob.substr(0, 4), "CMTT");
  absl::StatusOr<Timetable> back = Deserialize(blob);
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectEqual(t, *back);
  EXPECT_EQ(Serialize(*back), blob);
}

TEST(TimetableIoTest, RoundTripRandomAndEmpty) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const Timetable t = Random(seed);
    EXPECT_GT(t.footpaths.size(), 0u);
    absl::StatusOr<Timetable> back = Deserialize(Serialize(t));
    ASSERT_TRUE(back.ok()) << back.status();
    ExpectEqual(t, *back);
  }
  Timetable empty;
  absl::StatusOr<Timetable> back = Deserialize(Serialize(empty));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->num_stops(), 0u);
  absl::StatusOr<Timetable> built = TimetableBuilder().Build(FootpathOptions{});
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(Deserialize(Serialize(*built)).ok());
}

TEST(TimetableIoTest, EveryTruncationIsRefused) {
  const std::string blob = Serialize(Village());
  for (size_t n = 0; n < blob.size(); ++n) {
    absl::StatusOr<Timetable> t = Deserialize(absl::string_view(blob).substr(0, n));
    ASSERT_FALSE(t.ok()) << n;
    if (n >= 4) {
      EXPECT_EQ(t.status().code(), absl::StatusCode::kDataLoss) << n;
    } else {
      EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << n;
    }
  }
  absl::StatusOr<Timetable> longer = Deserialize(blob + "x");
  EXPECT_EQ(longer.status().code(), absl::StatusCode::kDataLoss);
}

TEST(TimetableIoTest, CorruptionIsRefused) {
  const std::string blob = Serialize(Random(4));
  std::mt19937 rng(5);
  for (int i = 0; i < 200; ++i) {
    std::string bad = blob;
    const size_t at = 20 + rng() % (bad.size() - 20);  // inside the payload
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    absl::StatusOr<Timetable> t = Deserialize(bad);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kDataLoss) << at;
    EXPECT_THAT(t.status().message(), HasSubstr("checksum"));
  }
  std::string magic = blob;
  magic[0] = 'X';
  EXPECT_EQ(Deserialize(magic).status().code(), absl::StatusCode::kInvalidArgument);
  std::string version = blob;
  version[4] = 9;
  absl::StatusOr<Timetable> v = Deserialize(version);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(v.status().message(), HasSubstr("version 9"));
}

TEST(TimetableIoTest, InconsistentStructureIsRefusedEvenWithAValidChecksum) {
  Timetable t = Village();
  t.route_stops[0] = static_cast<StopIndex>(t.stops.size() + 5);
  absl::StatusOr<Timetable> a = Deserialize(Serialize(t));
  EXPECT_EQ(a.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(a.status().message(), HasSubstr("route stop"));

  Timetable u = Village();
  u.routes[0].num_trips += 1;
  EXPECT_EQ(Deserialize(Serialize(u)).status().code(), absl::StatusCode::kDataLoss);

  Timetable w = Village();
  w.footpath_offsets[1] = w.footpath_offsets[2] + 1;
  EXPECT_EQ(Deserialize(Serialize(w)).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(ValidateTimetable(Village()).ok());
}

}  // namespace
}  // namespace carvematch::transit
