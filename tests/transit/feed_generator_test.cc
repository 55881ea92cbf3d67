#include "transit/feed_generator.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mobility/travel.h"
#include "transit/gtfs_import.h"
#include "transit/timetable.h"

namespace carvematch::transit {
namespace {

std::string TempDir(const std::string& name) {
  std::filesystem::path p = std::filesystem::temp_directory_path() /
                            ("carvematch_gen_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

const std::string& File(const GeneratedFeed& f, const std::string& name) {
  for (const auto& [n, content] : f.files) {
    if (n == name) return content;
  }
  static const std::string kEmpty;
  ADD_FAILURE() << "no " << name;
  return kEmpty;
}

FeedGeneratorOptions Small() {
  FeedGeneratorOptions o;
  o.seed = 7;
  o.num_towns = 8;
  o.num_bus_lines = 12;
  o.num_train_lines = 1;
  o.train_stops = 4;
  o.num_days = 14;
  return o;
}

struct Imported {
  ImportReport report;
  Timetable timetable;
};

Imported Import(const GeneratedFeed& feed, const std::string& name) {
  const std::string dir = TempDir(name);
  EXPECT_TRUE(WriteFeed(feed, dir + "/feed.zip").ok());
  TimetableBuilder b;
  absl::StatusOr<ImportReport> r = ImportGtfs(dir + "/feed.zip", "g", b);
  EXPECT_TRUE(r.ok()) << r.status();
  absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
  EXPECT_TRUE(t.ok()) << t.status();
  std::filesystem::remove_all(dir);
  return Imported{*r, *std::move(t)};
}

TEST(FeedGeneratorTest, DeterministicBySeed) {
  absl::StatusOr<GeneratedFeed> a = GenerateFeed(Small());
  absl::StatusOr<GeneratedFeed> b = GenerateFeed(Small());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->files.size(), b->files.size());
  for (size_t i = 0; i < a->files.size(); ++i) {
    EXPECT_EQ(a->files[i].first, b->files[i].first);
    EXPECT_EQ(a->files[i].second, b->files[i].second) << a->files[i].first;
  }
  FeedGeneratorOptions other = Small();
  other.seed = 8;
  absl::StatusOr<GeneratedFeed> c = GenerateFeed(other);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(File(*a, "stops.txt"), File(*c, "stops.txt"));
}

TEST(FeedGeneratorTest, ImportsCleanlyWithTheAnnouncedCounts) {
  absl::StatusOr<GeneratedFeed> feed = GenerateFeed(Small());
  ASSERT_TRUE(feed.ok());
  Imported g = Import(*feed, "counts");
  EXPECT_EQ(g.report.stops, feed->stops);
  EXPECT_EQ(g.report.routes, feed->lines);
  EXPECT_EQ(g.report.trips, feed->trips);
  EXPECT_EQ(g.report.stop_times, feed->stop_times);
  EXPECT_EQ(g.report.services, 3u);
  // The only warning: no transfers.txt (footpaths are generated).
  ASSERT_EQ(g.report.num_warnings, 1u);
  EXPECT_EQ(g.report.warnings[0].file, "transfers.txt");
  EXPECT_GT(g.timetable.footpaths.size(), 0u);
  EXPECT_EQ(feed->lines, 13u);  // 12 buses and a train
  EXPECT_GT(feed->trips, 500u);
}

TEST(FeedGeneratorTest, RealisticShapeOfTheTimetable) {
  FeedGeneratorOptions o = Small();
  o.num_bus_lines = 30;
  o.night_fraction = 1.0;  // every non-rural line runs after midnight
  o.no_sunday_fraction = 1.0;
  absl::StatusOr<GeneratedFeed> feed = GenerateFeed(o);
  ASSERT_TRUE(feed.ok());
  Imported g = Import(*feed, "shape");
  const Timetable& t = g.timetable;
  std::map<std::string, Seconds> first_weekday_departure;  // per GTFS route
  bool after_midnight = false, train = false;
  std::set<std::string> sunday_routes, routes;
  for (RouteIndex r = 0; r < t.num_routes(); ++r) {
    const Route& route = t.routes[r];
    for (uint32_t k = 0; k < route.num_trips; ++k) {
      const TripInfo& info = t.trips[route.first_trip + k];
      routes.insert(info.route_id);
      const std::string& service = t.services[info.service].id;
      const Seconds dep = t.At(r, k, 0).departure;
      if (service == "g:SU") sunday_routes.insert(info.route_id);
      if (service == "g:WD") {
        auto [it, inserted] = first_weekday_departure.try_emplace(info.route_id, dep);
        if (!inserted) it->second = std::min(it->second, dep);
      }
      after_midnight |= t.At(r, k, route.num_stops - 1).arrival > 24 * 3600;
      if (info.mode == RouteMode::kRail) {
        train = true;
        EXPECT_LE(route.num_stops, 4u);
        // Fast: at least 50 km/h in a straight line between the ends.
        const double km =
            HaversineKm(t.stops[t.route_stops[route.first_route_stop]].point,
                        t.stops[t.route_stops[route.first_route_stop + route.num_stops - 1]].point);
        const double hours = (t.At(r, k, route.num_stops - 1).arrival - dep) / 3600.0;
        EXPECT_GT(km / hours, 50.0);
      }
    }
  }
  EXPECT_TRUE(after_midnight);
  EXPECT_TRUE(train);
  // Frequent lines keep Sunday service, the others lose it here.
  EXPECT_LT(sunday_routes.size(), routes.size());
  // Some lines start after 06:00 on weekdays (a 06:00 shift start is missed).
  int late_starters = 0, early_starters = 0;
  for (const auto& [route, dep] : first_weekday_departure) {
    late_starters += dep > 6 * 3600 && dep <= 7 * 3600;
    early_starters += dep < 6 * 3600;
    EXPECT_GE(dep, 5 * 3600) << route;
  }
  EXPECT_GT(late_starters, 0);
  EXPECT_GT(early_starters, 0);
  // Stops along bus lines are 80 m to about a kilometre apart.
  for (RouteIndex r = 0; r < t.num_routes(); ++r) {
    const Route& route = t.routes[r];
    if (t.trips[route.first_trip].mode != RouteMode::kBus) continue;
    for (uint32_t p = 1; p < route.num_stops; ++p) {
      const double m = HaversineKm(t.stops[t.route_stops[route.first_route_stop + p - 1]].point,
                                   t.stops[t.route_stops[route.first_route_stop + p]].point) *
                       1000;
      EXPECT_GT(m, o.stop_merge_meters * 0.5);
      EXPECT_LT(m, 2 * o.max_stop_spacing_m);
    }
  }
}

TEST(FeedGeneratorTest, TownsAroundGivenCentresAndHolidays) {
  FeedGeneratorOptions o = Small();
  o.num_train_lines = 0;
  o.centres = {{"Gent", {51.0543, 3.7174}, 5},
               {"Aalst", {50.9378, 4.0403}, 3},
               {"Wetteren", {51.0050, 3.8830}, 1}};
  o.first_day = DayFromCivil(2026, 11, 2);
  o.holidays = {DayFromCivil(2026, 11, 11), DayFromCivil(2026, 11, 14)};  // Wed, and a Sat
  absl::StatusOr<GeneratedFeed> feed = GenerateFeed(o);
  ASSERT_TRUE(feed.ok());
  EXPECT_EQ(File(*feed, "calendar_dates.txt"),
            "service_id,date,exception_type\nWD,20261111,2\nSU,20261111,1\n");
  Imported g = Import(*feed, "centres");
  for (const Stop& s : g.timetable.stops) {
    double nearest = 1e9;
    for (const TownCentre& c : o.centres)
      nearest = std::min(nearest, HaversineKm(s.point, c.point));
    EXPECT_LT(nearest, 12.0) << s.id;
  }
  const ServiceCalendar* wd = nullptr;
  for (const ServiceCalendar& s : g.timetable.services) {
    if (s.id == "g:WD") wd = &s;
  }
  ASSERT_NE(wd, nullptr);
  EXPECT_FALSE(wd->RunsOn(DayFromCivil(2026, 11, 11)));
  EXPECT_TRUE(wd->RunsOn(DayFromCivil(2026, 11, 12)));
}

TEST(FeedGeneratorTest, AroundRealMunicipalities) {
  // The demo's kind of call: real centres, villages around them.
  const std::vector<TownCentre> centres = {{"Gent", {51.0543, 3.7174}, 6},
                                           {"Aalst", {50.9378, 4.0403}, 3},
                                           {"Dendermonde", {51.0286, 4.1010}, 2},
                                           {"Wetteren", {51.0050, 3.8830}, 1.5}};
  FeedGeneratorOptions o = FeedGeneratorOptions::AroundCentres(centres);
  EXPECT_EQ(o.villages_per_centre, 2);
  absl::StatusOr<GeneratedFeed> feed = GenerateFeed(o);
  ASSERT_TRUE(feed.ok()) << feed.status();
  Imported g = Import(*feed, "around");
  bool train = false;
  for (const TripInfo& t : g.timetable.trips) train |= t.mode == RouteMode::kRail;
  EXPECT_TRUE(train);
  // Stops near every centre, and some 2 km or more away from all of them (villages).
  size_t far_from_centres = 0;
  for (const TownCentre& c : centres) {
    double nearest = 1e9;
    for (const Stop& s : g.timetable.stops)
      nearest = std::min(nearest, HaversineKm(s.point, c.point));
    EXPECT_LT(nearest, 0.3) << c.name;
  }
  for (const Stop& s : g.timetable.stops) {
    double nearest = 1e9;
    for (const TownCentre& c : centres) nearest = std::min(nearest, HaversineKm(s.point, c.point));
    far_from_centres += nearest > 2.0;
  }
  EXPECT_GT(far_from_centres, 0u);
  EXPECT_GT(g.timetable.num_routes(), 2 * centres.size());
}

TEST(FeedGeneratorTest, DirectoryOutputAndInvalidOptions) {
  absl::StatusOr<GeneratedFeed> feed = GenerateFeed(Small());
  ASSERT_TRUE(feed.ok());
  const std::string dir = TempDir("dir");
  ASSERT_TRUE(WriteFeed(*feed, dir + "/feed").ok());
  EXPECT_TRUE(std::filesystem::exists(dir + "/feed/stop_times.txt"));
  TimetableBuilder b;
  EXPECT_TRUE(ImportGtfs(dir + "/feed", "d", b).ok());
  std::filesystem::remove_all(dir);

  FeedGeneratorOptions bad = Small();
  bad.num_towns = 1;
  EXPECT_EQ(GenerateFeed(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = Small();
  bad.max_stop_spacing_m = 100;
  EXPECT_EQ(GenerateFeed(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = Small();
  bad.frequent_fraction = 0.8;
  bad.rural_fraction = 0.5;
  EXPECT_EQ(GenerateFeed(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = Small();
  bad.centres = {{"Gent", {51.0543, 3.7174}, 1}};  // one town, no villages
  EXPECT_EQ(GenerateFeed(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad.villages_per_centre = 1;
  EXPECT_TRUE(GenerateFeed(bad).ok());
  bad = Small();
  bad.headway_scale = 0;
  EXPECT_EQ(GenerateFeed(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carvematch::transit
