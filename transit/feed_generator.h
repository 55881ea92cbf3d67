// A deterministic generator of synthetic regional GTFS feeds, for tests, benchmarks and
// the demo region (which has no real feed in the repository).
//
// Towns are placed around given centres (real municipality coordinates can be passed)
// or at random in a box. Bus lines run from a town to a nearby town (sometimes through
// a third), or across one large town; stops every 400-800 m along the way, shared with
// other lines where they come within `stop_merge_meters` (so town centres become
// transfer hubs). Each line has a frequency class (frequent, regular, rural) that sets
// its headways per time of day, its first departure (some at 06:12, so a 06:00 shift
// start is missed) and its last; some lines run after midnight (times past 24:00:00),
// some have no Sunday service, rural ones no evening service. Optional train lines
// call at a few large towns at high speed. Services: weekdays (WD), Saturday (SA) and
// Sunday (SU) over `num_days` from `first_day`, holidays moved from WD to SU through
// calendar_dates.txt.
//
// Deterministic: the same options (seed included) always give byte-identical files,
// on every platform (own random generator, no std distributions).
//
// Example usage:
//   FeedGeneratorOptions o = FeedGeneratorOptions::LondonLike();
//   ASSIGN_OR_RETURN(GeneratedFeed feed, GenerateFeed(o));
//   RETURN_IF_ERROR(WriteFeed(feed, "/tmp/london.zip"));  // or a directory path
#ifndef CARVEMATCH_TRANSIT_FEED_GENERATOR_H_
#define CARVEMATCH_TRANSIT_FEED_GENERATOR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/common.h"
#include "transit/timetable.h"

namespace carvematch::transit {

struct TownCentre {
  std::string name;
  GeoPoint point;
  double weight = 1.0;  // relative size: more lines start here, more stops around it
};

struct FeedGeneratorOptions {
  uint64_t seed = 1;
  std::string agency_name = "Synthetic Regional Transport";

  // Towns: the given centres, each with `villages_per_centre` smaller villages 2-8 km
  // around it; or else `num_towns` at random in [area_min, area_max] with random weights.
  std::vector<TownCentre> centres;
  int villages_per_centre = 0;
  int num_towns = 20;
  GeoPoint area_min{50.85, 3.55};
  GeoPoint area_max{51.15, 4.10};

  int num_bus_lines = 40;
  double min_stop_spacing_m = 400;
  double max_stop_spacing_m = 800;
  double stop_merge_meters = 120;  // a new stop this close to an existing one reuses it
  double max_line_km = 25;         // town-to-town lines connect towns at most this far apart
  double bus_speed_kmh = 22;       // average including dwell, off peak
  double peak_slowdown = 1.15;     // run times in the peaks are this much longer

  // Headways are multiplied by this (2 = half the trips).
  double headway_scale = 1.0;
  double frequent_fraction = 0.25;  // lines of the frequent class
  double rural_fraction = 0.35;     // lines of the rural class (the rest are regular)
  double no_sunday_fraction = 0.3;  // of the non-frequent lines
  double night_fraction = 0.15;     // lines with trips after midnight (weekdays, Saturday)

  int num_train_lines = 0;
  int train_stops = 6;  // towns called at per train line (at most the number of towns)
  double train_speed_kmh = 90;

  Day first_day = 0;  // 0: 2026-11-02 (a Monday)
  int num_days = 60;
  std::vector<Day> holidays;  // weekdays run the Sunday timetable

  // About 20k stops, 2.2k RAPTOR routes and 130k trips around London.
  static FeedGeneratorOptions LondonLike();
  // About 30k stops over Flanders, like the regional bus network, with a few trains.
  static FeedGeneratorOptions FlemishBusLike();
  // A regional feed around real municipalities (the demo region): two villages per
  // centre, about three bus lines per town, a train line when there are four or more
  // centres.
  static FeedGeneratorOptions AroundCentres(std::vector<TownCentre> centres);
};

struct GeneratedFeed {
  std::vector<std::pair<std::string, std::string>> files;  // file name -> CSV content
  size_t stops = 0;
  size_t lines = 0;  // GTFS routes
  size_t trips = 0;
  size_t stop_times = 0;
};

// kInvalidArgument when the options are inconsistent (no towns, spacing, fractions).
absl::StatusOr<GeneratedFeed> GenerateFeed(const FeedGeneratorOptions& options);

// Writes the feed as a zip when `path` ends in ".zip", else as a directory.
absl::Status WriteFeed(const GeneratedFeed& feed, const std::string& path);

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_FEED_GENERATOR_H_
