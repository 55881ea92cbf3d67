// The public-transport timetable in the compact form the RAPTOR router scans.
//
// A `Timetable` is built once (from one or more GTFS feeds, or directly in tests) by a
// `TimetableBuilder` and is then immutable and shared by every query thread. Its layout
// follows RAPTOR (Delling, Pajor, Werneck, "Round-Based Public Transit Routing", 2012):
// trips that visit the same stop sequence form one *route*; a route's trips are sorted
// by departure and never overtake each other, so "the earliest trip a passenger can
// catch at stop i of the route" is a search along one sorted column. All per-route and
// per-stop lists are stored flat (offset + count into one shared vector) so a scan
// walks contiguous memory.
//
// Times are seconds since the *service day's* midnight (GTFS: noon minus 12 h) and may
// exceed 24:00:00: a trip of Monday's service that leaves at 25:10:00 runs on
// Tuesday at 01:10. Days are counted since 1970-01-01 (day 0 was a Thursday).
//
// Example usage:
//   TimetableBuilder b;
//   StopIndex a = b.AddStop({"f:A", "Station", {51.05, 3.72}});
//   StopIndex c = b.AddStop({"f:C", "Zone Nord", {51.08, 3.75}});
//   ServiceIndex weekdays = b.AddService(ServiceCalendar::Weekly("f:wd", from, to, 0x1f));
//   b.AddTrip({"f:t1", "f:36", "36", RouteMode::kBus, weekdays, ""},
//             {{a, 6 * 3600 + 720, 6 * 3600 + 720}, {c, 6 * 3600 + 2820, 6 * 3600 + 2820}});
//   absl::StatusOr<Timetable> t = std::move(b).Build(FootpathOptions{});
#ifndef CARVEMATCH_TRANSIT_TIMETABLE_H_
#define CARVEMATCH_TRANSIT_TIMETABLE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "model/common.h"

namespace carvematch::transit {

using StopIndex = uint32_t;
using RouteIndex = uint32_t;
using TripIndex = uint32_t;     // index into Timetable::trips (grouped by route)
using ServiceIndex = uint32_t;  // index into Timetable::services
using Seconds = int32_t;        // seconds since the service day's midnight
using Day = int32_t;            // days since 1970-01-01

inline constexpr Seconds kUnreachable = INT32_MAX;

// Calendar helpers: the day number of a civil date (proleptic Gregorian, any year), the
// date of a day number, and the weekday of a day (0 = Monday .. 6 = Sunday).
Day DayFromCivil(int year, int month, int day);
void CivilFromDay(Day day, int* year, int* month, int* day_of_month);
int WeekdayOf(Day day);

// The GTFS route_type families the router tells apart (for explanations and for a
// per-mode choice later on); extended GTFS types are mapped to the nearest family.
enum class RouteMode : uint8_t { kTram = 0, kMetro, kRail, kBus, kFerry, kOther };

struct Stop {
  std::string id;    // "<feed>:<stop_id>", unique over all loaded feeds
  std::string name;  // stop_name, for explanations
  GeoPoint point;
};

// When a service runs: a weekly pattern between two dates plus explicit exceptions
// (GTFS calendar.txt + calendar_dates.txt), flattened to one bit per day.
struct ServiceCalendar {
  std::string id;                  // "<feed>:<service_id>"
  Day first_day = 0;               // day of bit 0
  std::vector<uint64_t> day_bits;  // bit d set = runs on first_day + d

  bool RunsOn(Day day) const;
  // A service that runs on the weekdays in `weekday_mask` (bit 0 = Monday .. bit 6 =
  // Sunday) from `from` to `to`, both inclusive.
  static ServiceCalendar Weekly(std::string id, Day from, Day to, uint8_t weekday_mask);
  void Add(Day day);     // calendar_dates exception_type 1
  void Remove(Day day);  // calendar_dates exception_type 2
  // Days the service runs on (for reports and tests).
  int CountDays() const;
  // First and last day it runs; false when it never runs.
  bool Span(Day* first, Day* last) const;
};

// What a trip is to a passenger; shared by the trips of one GTFS route.
struct TripInfo {
  std::string trip_id;     // "<feed>:<trip_id>"
  std::string route_id;    // "<feed>:<route_id>"
  std::string short_name;  // route_short_name ("36"), or route_long_name when empty
  RouteMode mode = RouteMode::kBus;
  ServiceIndex service = 0;
  std::string headsign;
};

// One call of a trip at a stop, as given to the builder.
struct TripStop {
  StopIndex stop = 0;
  Seconds arrival = 0;
  Seconds departure = 0;
  bool no_pickup = false;   // GTFS pickup_type 1
  bool no_dropoff = false;  // GTFS drop_off_type 1
};

struct StopTime {
  Seconds arrival = 0;
  Seconds departure = 0;
};

// A walking connection between two stops (GTFS transfers.txt min_transfer_time, or
// generated from the distance between nearby stops).
struct Footpath {
  StopIndex to = 0;
  Seconds duration = 0;
};

// A RAPTOR route: trips with the same stop sequence and pickup/drop-off pattern, sorted
// by departure at the first stop; no trip overtakes another at any stop.
struct Route {
  uint32_t first_route_stop = 0;  // into Timetable::route_stops / route_stop_flags
  uint32_t num_stops = 0;
  uint32_t first_trip = 0;  // into Timetable::trips; the route's trips are contiguous
  uint32_t num_trips = 0;
  // Into Timetable::stop_times: trip k of the route (0-based) at stop position i is
  // stop_times[first_stop_time + k * num_stops + i].
  uint32_t first_stop_time = 0;
};

// Flags per route stop.
inline constexpr uint8_t kNoPickup = 1;
inline constexpr uint8_t kNoDropoff = 2;

// The (route, position) pairs at which a stop is served.
struct StopRoute {
  RouteIndex route = 0;
  uint32_t position = 0;
};

struct FeedInfo {
  std::string name;  // the prefix of every id from this feed
  std::vector<std::string> agencies;
  Day first_day = 0;  // first and last day any of the feed's services runs
  Day last_day = 0;
};

struct Timetable {
  std::vector<FeedInfo> feeds;
  std::vector<Stop> stops;
  std::vector<ServiceCalendar> services;
  std::vector<Route> routes;
  std::vector<StopIndex> route_stops;     // per route, its stops in order
  std::vector<uint8_t> route_stop_flags;  // parallel to route_stops
  std::vector<TripInfo> trips;            // grouped by route, sorted within a route
  std::vector<StopTime> stop_times;       // see Route::first_stop_time
  // CSR: the routes serving stop s are stop_routes[stop_route_offsets[s] ..
  // stop_route_offsets[s + 1]); the same for footpaths (the stop itself not included).
  std::vector<uint32_t> stop_route_offsets;
  std::vector<StopRoute> stop_routes;
  std::vector<uint32_t> footpath_offsets;
  std::vector<Footpath> footpaths;

  size_t num_stops() const { return stops.size(); }
  size_t num_routes() const { return routes.size(); }
  const StopTime& At(RouteIndex r, uint32_t trip_in_route, uint32_t position) const {
    const Route& route = routes[r];
    return stop_times[route.first_stop_time + trip_in_route * route.num_stops + position];
  }
  // Bytes held by the vectors (for import reports and benchmarks).
  size_t MemoryBytes() const;
};

// How footpaths between stops are completed at build time.
struct FootpathOptions {
  // Stops closer than this (straight line) get a walking footpath when the feed gives
  // none between them; 0 disables generation.
  double max_walk_meters = 400;
  double walk_speed_kmh = 4.8;
  double detour_factor = 1.3;
  // Minimum time for a transfer at the same stop or between two stops of a feed's
  // transfers.txt without min_transfer_time.
  Seconds min_transfer_seconds = 60;
  // Footpaths made by chaining others (the transitive closure) are kept when their total
  // duration is at most this; direct footpaths are always kept. Unbounded closure would
  // join whole towns through chains of stops 300 m apart, so the closure is exact for
  // every pair whose shortest walk through stops is within this bound.
  Seconds max_closure_seconds = 600;
};

// AddFootpath duration meaning "the walking time from the distance, at least
// FootpathOptions::min_transfer_seconds" (transfers.txt without min_transfer_time).
inline constexpr Seconds kWalkingTime = -1;

// Builds a Timetable: stops, services and trips in any order; Build() groups trips into
// routes, sorts them, splits routes whose trips overtake, builds the stop -> route index
// and completes footpaths (transitively closed, as RAPTOR's footpath step assumes).
class TimetableBuilder {
 public:
  void AddFeed(FeedInfo feed);
  StopIndex AddStop(Stop stop);
  ServiceIndex AddService(ServiceCalendar service);
  // A trip's calls in travel order (at least two, times non-decreasing); errors name
  // the trip id and the offending call.
  absl::Status AddTrip(TripInfo info, std::vector<TripStop> calls);
  // A footpath from transfers.txt (one direction); `duration` >= 0 or kWalkingTime. It
  // replaces a generated footpath between the same stops; of several, the shortest wins.
  absl::Status AddFootpath(StopIndex from, StopIndex to, Seconds duration);
  // No transfer from `from` to `to` (transfers.txt transfer_type 3): no footpath is
  // generated or composed between them (an explicit AddFootpath still wins).
  absl::Status ForbidFootpath(StopIndex from, StopIndex to);

  const std::vector<FeedInfo>& feeds() const { return feeds_; }
  size_t num_stops() const { return stops_.size(); }
  size_t num_services() const { return services_.size(); }
  size_t num_trips() const { return trips_.size(); }
  const Stop& stop(StopIndex s) const { return stops_[s]; }
  const ServiceCalendar& service(ServiceIndex s) const { return services_[s]; }

  absl::StatusOr<Timetable> Build(const FootpathOptions& options) &&;

 private:
  struct PendingTrip {
    TripInfo info;
    std::vector<TripStop> calls;
  };
  std::vector<FeedInfo> feeds_;
  std::vector<Stop> stops_;
  std::vector<ServiceCalendar> services_;
  std::vector<PendingTrip> trips_;
  struct PendingFootpath {
    StopIndex from;
    StopIndex to;
    Seconds duration;
  };
  std::vector<PendingFootpath> footpaths_;
  std::vector<std::pair<StopIndex, StopIndex>> forbidden_;
};

}  // namespace carvematch::transit

#endif  // CARVEMATCH_TRANSIT_TIMETABLE_H_
