// A generated regional feed (towns around East Flanders, villages, a train line)
// imported through GTFS, shared by the commute and service tests.
#ifndef CARVEMATCH_TESTS_COMMUTE_REGIONAL_FEED_H_
#define CARVEMATCH_TESTS_COMMUTE_REGIONAL_FEED_H_

#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "transit/feed_generator.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"

namespace carvematch::commute {

// Service from Monday 2026-11-23 for three weeks.
inline transit::Timetable RegionalFeed(uint64_t seed = 11) {
  transit::FeedGeneratorOptions o;
  o.seed = seed;
  o.num_towns = 8;
  o.num_bus_lines = 14;
  o.num_train_lines = 1;
  o.train_stops = 4;
  o.first_day = transit::DayFromCivil(2026, 11, 23);
  o.num_days = 21;
  absl::StatusOr<transit::GeneratedFeed> feed = transit::GenerateFeed(o);
  EXPECT_TRUE(feed.ok()) << feed.status();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("carvematch_regional_" + std::to_string(::getpid()) + "_" + std::to_string(seed));
  std::filesystem::create_directories(dir);
  const std::string zip = (dir / "feed.zip").string();
  EXPECT_TRUE(transit::WriteFeed(*feed, zip).ok());
  transit::TimetableBuilder b;
  absl::StatusOr<transit::ImportReport> r = transit::ImportGtfs(zip, "g", b);
  EXPECT_TRUE(r.ok()) << r.status();
  std::filesystem::remove_all(dir);
  absl::StatusOr<transit::Timetable> t = std::move(b).Build(transit::FootpathOptions{});
  EXPECT_TRUE(t.ok()) << t.status();
  return std::move(*t);
}

}  // namespace carvematch::commute

#endif  // CARVEMATCH_TESTS_COMMUTE_REGIONAL_FEED_H_
