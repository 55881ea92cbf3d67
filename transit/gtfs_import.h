// Importing a GTFS feed (a .zip or a directory of .txt files) into a TimetableBuilder.
//
// Reads agency, stops, routes, trips, stop_times, calendar and/or calendar_dates, and
// when present transfers and frequencies. Every id is prefixed with the feed's name
// ("delijn:1234") so several feeds (De Lijn buses and NMBS trains) load into one
// builder side by side.
//
// What is repaired (with a warning naming file and line in the report):
//   - stop_times not sorted by stop_sequence within a trip: sorted;
//   - a call with only an arrival or only a departure time: the other is copied;
//   - intermediate calls without times: interpolated by straight-line distance;
//   - trips with fewer than two calls (or none): dropped;
//   - duplicate stop, route, trip or calendar ids: the first row wins;
//   - no transfers.txt: footpaths are generated from stop distances at Build();
//   - transfers the stop-to-stop model cannot hold (trip- or route-specific, in-seat):
//     skipped.
// What is refused (kInvalidArgument "<file>:<line>: field <name>: ..."):
//   - a missing required file or required column; an unparsable time, date or number;
//   - a reference to an unknown stop, route, trip or service (named in the message);
//   - a trip whose times run backwards, or whose first or last call has no time;
//   - a feed name that is empty, has characters other than [A-Za-z0-9_-], or was
//     already imported into the builder.
// A path that does not exist is kNotFound. After an error the builder holds part of
// the feed and must be discarded.
//
// Example usage:
//   TimetableBuilder builder;
//   ASSIGN_OR_RETURN(ImportReport bus, ImportGtfs("delijn.zip", "delijn", builder));
//   ASSIGN_OR_RETURN(ImportReport rail, ImportGtfs("nmbs.zip", "nmbs", builder));
//   ASSIGN_OR_RETURN(Timetable t, std::move(builder).Build(FootpathOptions{}));
#ifndef CARVEMATCH_TRANSIT_GTFS_IMPORT_H_
#define CARVEMATCH_TRANSIT_GTFS_IMPORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "transit/feed_source.h"
#include "transit/timetable.h"

namespace carvematch::transit {

struct ImportWarning {
  std::string file;  // "stop_times.txt"
  int line = 0;      // 0 when the warning concerns the whole file
  std::string message;
};

struct ImportReport {
  size_t feeds = 0;
  size_t agencies = 0;
  size_t stops = 0;     // stops and platforms added to the builder
  size_t stations = 0;  // location_type 1 rows (not stops themselves)
  size_t routes = 0;    // GTFS routes (RAPTOR routes are made at Build())
  size_t trips = 0;     // trips added, including those expanded from frequencies
  size_t stop_times = 0;
  size_t services = 0;
  size_t transfers = 0;                 // footpaths and forbidden transfers from transfers.txt
  size_t frequency_trips = 0;           // of `trips`, expanded from frequencies.txt
  size_t dropped_trips = 0;             // fewer than two calls
  size_t interpolated_calls = 0;        // intermediate calls given times by distance
  size_t num_warnings = 0;              // all warnings, also those not kept below
  std::vector<ImportWarning> warnings;  // the first kMaxWarnings
  static constexpr size_t kMaxWarnings = 1000;

  // Adds another feed's report (counts summed, warnings appended up to the cap).
  void Merge(const ImportReport& other);
  // One line of counts, e.g. "1 feed, 2 agencies, 30000 stops, ... 3 warnings".
  std::string Summary() const;
};

// Imports the feed at `path` (a .zip or a directory) under `feed_name`.
absl::StatusOr<ImportReport> ImportGtfs(const std::string& path, const std::string& feed_name,
                                        TimetableBuilder& builder);
// The same from an opened source.
absl::StatusOr<ImportReport> ImportGtfs(const FeedSource& source, const std::string& feed_name,
                                        TimetableBuilder& builder);

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_GTFS_IMPORT_H_
