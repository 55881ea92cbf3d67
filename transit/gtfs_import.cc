#include "transit/gtfs_import.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mobility/travel.h"
#include "model/status.h"
#include "transit/gtfs_csv.h"

namespace carvematch::transit {

void ImportReport::Merge(const ImportReport& o) {
  feeds += o.feeds;
  agencies += o.agencies;
  stops += o.stops;
  stations += o.stations;
  routes += o.routes;
  trips += o.trips;
  stop_times += o.stop_times;
  services += o.services;
  transfers += o.transfers;
  frequency_trips += o.frequency_trips;
  dropped_trips += o.dropped_trips;
  interpolated_calls += o.interpolated_calls;
  num_warnings += o.num_warnings;
  for (const ImportWarning& w : o.warnings) {
    if (warnings.size() >= kMaxWarnings) break;
    warnings.push_back(w);
  }
}

std::string ImportReport::Summary() const {
  return absl::StrCat(feeds, feeds == 1 ? " feed, " : " feeds, ", agencies, " agencies, ", stops,
                      " stops, ", stations, " stations, ", routes, " routes, ", trips, " trips (",
                      frequency_trips, " from frequencies), ", stop_times, " stop times, ",
                      services, " services, ", transfers, " transfers, ", num_warnings,
                      " warnings");
}

namespace {

constexpr int32_t kNoTime = -1;

struct StopRef {
  enum Kind : uint8_t { kStop, kStation, kOther };
  Kind kind = kStop;
  StopIndex index = 0;   // for kStop
  uint32_t station = 0;  // for kStation: into Importer::station_platforms_
  int location_type = 0;
};

struct RouteRow {
  std::string id;  // unprefixed
  std::string short_name;
  RouteMode mode = RouteMode::kBus;
};

struct TripRow {
  std::string id;  // unprefixed
  uint32_t route = 0;
  ServiceIndex service = 0;
  std::string headsign;
  int line = 0;
};

struct RawCall {
  uint32_t trip;
  uint32_t sequence;
  int32_t arrival;
  int32_t departure;
  StopIndex stop;
  uint8_t flags;
  int32_t line;
};

struct Frequency {
  Seconds start;
  Seconds end;
  Seconds headway;
  int line;
};

RouteMode ModeOf(int64_t route_type) {
  switch (route_type) {
    case 0:
    case 5:  // cable tram
      return RouteMode::kTram;
    case 1:
    case 12:  // monorail
      return RouteMode::kMetro;
    case 2:
      return RouteMode::kRail;
    case 3:
    case 11:  // trolleybus
      return RouteMode::kBus;
    case 4:
      return RouteMode::kFerry;
    default:
      break;
  }
  // Extended route types (Google's "Extended GTFS Route Types").
  if (route_type >= 100 && route_type < 200) return RouteMode::kRail;
  if (route_type >= 200 && route_type < 300) return RouteMode::kBus;  // coach
  if (route_type >= 400 && route_type < 500) return RouteMode::kMetro;
  if (route_type >= 700 && route_type < 800) return RouteMode::kBus;
  if (route_type >= 800 && route_type < 900) return RouteMode::kBus;  // trolleybus
  if (route_type >= 900 && route_type < 1000) return RouteMode::kTram;
  if (route_type >= 1000 && route_type < 1100) return RouteMode::kFerry;
  if (route_type == 1200) return RouteMode::kFerry;
  return RouteMode::kOther;
}

bool ValidFeedName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

class Importer {
 public:
  Importer(const FeedSource& source, const std::string& name, TimetableBuilder& builder)
      : source_(source), name_(name), builder_(builder) {}

  absl::StatusOr<ImportReport> Run() {
    if (!ValidFeedName(name_)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "feed name '", name_, "' must be 1 to 64 characters of letters, digits, '_' or '-'"));
    }
    for (const FeedInfo& f : builder_.feeds()) {
      if (f.name == name_) {
        return absl::InvalidArgumentError(
            absl::StrCat("feed name '", name_, "' is already loaded in this timetable"));
      }
    }
    for (const char* file :
         {"agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"}) {
      if (!source_.Has(file)) return MissingFile(file);
    }
    if (!source_.Has("calendar.txt") && !source_.Has("calendar_dates.txt")) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_.path(), ": required file calendar.txt or calendar_dates.txt is missing"));
    }
    report_.feeds = 1;
    RETURN_IF_ERROR(ReadAgencies());
    RETURN_IF_ERROR(ReadStops());
    RETURN_IF_ERROR(ReadRoutes());
    RETURN_IF_ERROR(ReadCalendars());
    RETURN_IF_ERROR(ReadTrips());
    RETURN_IF_ERROR(ReadStopTimes());
    RETURN_IF_ERROR(ReadFrequencies());
    RETURN_IF_ERROR(EmitTrips());
    RETURN_IF_ERROR(ReadTransfers());
    RETURN_IF_ERROR(ConnectPlatforms());
    builder_.AddFeed(std::move(feed_));
    return std::move(report_);
  }

 private:
  absl::Status MissingFile(const std::string& file) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_.path(), ": required file ", file, " is missing"));
  }

  void Warn(const std::string& file, int line, std::string message) {
    ++report_.num_warnings;
    if (report_.warnings.size() < ImportReport::kMaxWarnings) {
      report_.warnings.push_back(ImportWarning{file, line, std::move(message)});
    }
  }

  std::string Prefixed(absl::string_view id) const { return absl::StrCat(name_, ":", id); }

  absl::StatusOr<CsvReader> OpenCsv(const std::string& file, std::string* content) {
    ASSIGN_OR_RETURN(*content, source_.Read(file));
    CsvReader csv(file, *content);
    RETURN_IF_ERROR(csv.ReadHeader());
    return csv;
  }

  // Visits each record of `file` with `fn(csv)`.
  template <typename Fn>
  absl::Status ForEachRow(CsvReader& csv, Fn fn) {
    while (true) {
      ASSIGN_OR_RETURN(bool more, csv.Next());
      if (!more) return absl::OkStatus();
      RETURN_IF_ERROR(fn(csv));
    }
  }

  absl::Status ReadAgencies() {
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("agency.txt", &content));
    ASSIGN_OR_RETURN(const int name_col, csv.RequiredColumn("agency_name"));
    feed_.name = name_;
    return ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      ASSIGN_OR_RETURN(std::string agency, c.RequiredString(name_col, "agency_name"));
      feed_.agencies.push_back(std::move(agency));
      ++report_.agencies;
      return absl::OkStatus();
    });
  }

  absl::Status ReadStops() {
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("stops.txt", &content));
    ASSIGN_OR_RETURN(const int id_col, csv.RequiredColumn("stop_id"));
    const int name_col = csv.Column("stop_name");
    ASSIGN_OR_RETURN(const int lat_col, csv.RequiredColumn("stop_lat"));
    ASSIGN_OR_RETURN(const int lon_col, csv.RequiredColumn("stop_lon"));
    const int type_col = csv.Column("location_type");
    const int parent_col = csv.Column("parent_station");
    struct Pending {
      std::string id;
      std::string parent;
      int line;
    };
    std::vector<Pending> platforms;  // stops and boarding areas with a parent station
    std::vector<Pending> boarding_areas;
    RETURN_IF_ERROR(ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      ASSIGN_OR_RETURN(std::string id, c.RequiredString(id_col, "stop_id"));
      ASSIGN_OR_RETURN(std::optional<int64_t> type, c.Int(type_col, "location_type"));
      const int location_type = static_cast<int>(type.value_or(0));
      if (location_type < 0 || location_type > 4) {
        return c.FieldError("location_type",
                            absl::StrCat("'", location_type, "' is not a location type 0..4"));
      }
      if (stops_.contains(id)) {
        Warn("stops.txt", c.line(), absl::StrCat("duplicate stop_id '", id, "'; first row kept"));
        return absl::OkStatus();
      }
      StopRef ref;
      ref.location_type = location_type;
      const std::string parent(c.Field(parent_col));
      if (location_type == 0 || location_type == 1) {
        ASSIGN_OR_RETURN(double lat, c.RequiredDouble(lat_col, "stop_lat"));
        ASSIGN_OR_RETURN(double lon, c.RequiredDouble(lon_col, "stop_lon"));
        if (lat < -90 || lat > 90) {
          return c.FieldError(
              "stop_lat", absl::StrCat("'", c.Field(lat_col), "' is not a latitude in [-90, 90]"));
        }
        if (lon < -180 || lon > 180) {
          return c.FieldError("stop_lon", absl::StrCat("'", c.Field(lon_col),
                                                       "' is not a longitude in [-180, 180]"));
        }
        if (location_type == 0) {
          ref.kind = StopRef::kStop;
          ref.index = builder_.AddStop(
              Stop{Prefixed(id), std::string(c.Field(name_col)), GeoPoint{lat, lon}});
          ++report_.stops;
          if (!parent.empty()) platforms.push_back(Pending{id, parent, c.line()});
        } else {
          ref.kind = StopRef::kStation;
          ref.station = static_cast<uint32_t>(station_platforms_.size());
          station_platforms_.emplace_back();
          ++report_.stations;
        }
      } else {
        ref.kind = StopRef::kOther;  // entrances, generic nodes, boarding areas
        if (location_type == 4) boarding_areas.push_back(Pending{id, parent, c.line()});
      }
      stops_.emplace(std::move(id), ref);
      return absl::OkStatus();
    }));
    for (const Pending& p : platforms) {
      auto it = stops_.find(p.parent);
      if (it == stops_.end() || it->second.kind != StopRef::kStation) {
        Warn("stops.txt", p.line,
             absl::StrCat("stop '", p.id, "': parent_station '", p.parent,
                          "' is not a station (location_type 1) of this feed; ignored"));
        continue;
      }
      station_platforms_[it->second.station].push_back(stops_.at(p.id).index);
    }
    // A boarding area stands for its platform.
    for (const Pending& p : boarding_areas) {
      auto it = stops_.find(p.parent);
      if (it == stops_.end() || it->second.kind != StopRef::kStop) {
        Warn("stops.txt", p.line,
             absl::StrCat("boarding area '", p.id, "': parent_station '", p.parent,
                          "' is not a platform of this feed; ignored"));
        continue;
      }
      StopRef& ba = stops_.at(p.id);
      ba.kind = StopRef::kStop;
      ba.index = it->second.index;
    }
    return absl::OkStatus();
  }

  // Platforms of one station are connected by walking (at least the minimum transfer
  // time) unless transfers.txt says otherwise; large stations are left to the
  // generated footpaths.
  absl::Status ConnectPlatforms() {
    for (const std::vector<StopIndex>& platforms_of : station_platforms_) {
      if (platforms_of.size() < 2 || platforms_of.size() > 40) continue;
      for (StopIndex a : platforms_of) {
        for (StopIndex b : platforms_of) {
          if (a == b || transfer_pairs_.contains((uint64_t{a} << 32) | b)) continue;
          RETURN_IF_ERROR(builder_.AddFootpath(a, b, kWalkingTime));
        }
      }
    }
    return absl::OkStatus();
  }

  // A stop_id from stop_times or transfers: a stop or platform (kStop), or for
  // transfers also a station (all its platforms).
  absl::StatusOr<std::vector<StopIndex>> ResolveStop(const CsvReader& c, int col,
                                                     absl::string_view field, bool allow_station) {
    const absl::string_view id = c.Field(col);
    if (id.empty()) return c.FieldError(field, "required value is empty");
    auto it = stops_.find(id);
    if (it == stops_.end()) {
      return c.FieldError(field, absl::StrCat("unknown stop '", id, "' (not in stops.txt)"));
    }
    if (it->second.kind == StopRef::kStop) return std::vector<StopIndex>{it->second.index};
    if (it->second.kind == StopRef::kStation && allow_station) {
      return station_platforms_[it->second.station];
    }
    return c.FieldError(field,
                        absl::StrCat("stop '", id, "' has location_type ", it->second.location_type,
                                     "; vehicles only call at stops and platforms"));
  }

  absl::Status ReadRoutes() {
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("routes.txt", &content));
    ASSIGN_OR_RETURN(const int id_col, csv.RequiredColumn("route_id"));
    ASSIGN_OR_RETURN(const int type_col, csv.RequiredColumn("route_type"));
    const int short_col = csv.Column("route_short_name");
    const int long_col = csv.Column("route_long_name");
    return ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      ASSIGN_OR_RETURN(std::string id, c.RequiredString(id_col, "route_id"));
      ASSIGN_OR_RETURN(int64_t type, c.RequiredInt(type_col, "route_type"));
      if (type < 0) return c.FieldError("route_type", "must not be negative");
      if (route_index_.contains(id)) {
        Warn("routes.txt", c.line(), absl::StrCat("duplicate route_id '", id, "'; first row kept"));
        return absl::OkStatus();
      }
      RouteRow r;
      r.id = id;
      r.short_name = std::string(c.Field(short_col));
      if (r.short_name.empty()) r.short_name = std::string(c.Field(long_col));
      r.mode = ModeOf(type);
      route_index_.emplace(std::move(id), static_cast<uint32_t>(routes_.size()));
      routes_.push_back(std::move(r));
      ++report_.routes;
      return absl::OkStatus();
    });
  }

  absl::Status ReadCalendars() {
    std::vector<ServiceCalendar> calendars;
    absl::flat_hash_map<std::string, uint32_t> index;
    if (source_.Has("calendar.txt")) {
      std::string content;
      ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("calendar.txt", &content));
      ASSIGN_OR_RETURN(const int id_col, csv.RequiredColumn("service_id"));
      static const char* kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                    "friday", "saturday", "sunday"};
      int day_cols[7];
      for (int d = 0; d < 7; ++d) {
        ASSIGN_OR_RETURN(day_cols[d], csv.RequiredColumn(kDays[d]));
      }
      ASSIGN_OR_RETURN(const int start_col, csv.RequiredColumn("start_date"));
      ASSIGN_OR_RETURN(const int end_col, csv.RequiredColumn("end_date"));
      RETURN_IF_ERROR(ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
        ASSIGN_OR_RETURN(std::string id, c.RequiredString(id_col, "service_id"));
        uint8_t mask = 0;
        for (int d = 0; d < 7; ++d) {
          ASSIGN_OR_RETURN(int64_t v, c.RequiredInt(day_cols[d], kDays[d]));
          if (v != 0 && v != 1) {
            return c.FieldError(kDays[d], absl::StrCat("'", v, "' is not 0 or 1"));
          }
          if (v == 1) mask |= static_cast<uint8_t>(1u << d);
        }
        ASSIGN_OR_RETURN(Day from, c.RequiredDate(start_col, "start_date"));
        ASSIGN_OR_RETURN(Day to, c.RequiredDate(end_col, "end_date"));
        if (to < from) return c.FieldError("end_date", "is before start_date");
        // "Until further notice" calendars (20991231) are common and cost a few kB of bits;
        // beyond two centuries the date is taken for a typo.
        if (to - from > 200 * 366) {
          return c.FieldError("end_date", "more than 200 years after start_date");
        }
        if (index.contains(id)) {
          Warn("calendar.txt", c.line(),
               absl::StrCat("duplicate service_id '", id, "'; first row kept"));
          return absl::OkStatus();
        }
        index.emplace(id, static_cast<uint32_t>(calendars.size()));
        calendars.push_back(ServiceCalendar::Weekly(Prefixed(id), from, to, mask));
        return absl::OkStatus();
      }));
    }
    if (source_.Has("calendar_dates.txt")) {
      std::string content;
      ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("calendar_dates.txt", &content));
      ASSIGN_OR_RETURN(const int id_col, csv.RequiredColumn("service_id"));
      ASSIGN_OR_RETURN(const int date_col, csv.RequiredColumn("date"));
      ASSIGN_OR_RETURN(const int type_col, csv.RequiredColumn("exception_type"));
      RETURN_IF_ERROR(ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
        ASSIGN_OR_RETURN(std::string id, c.RequiredString(id_col, "service_id"));
        ASSIGN_OR_RETURN(Day day, c.RequiredDate(date_col, "date"));
        ASSIGN_OR_RETURN(int64_t type, c.RequiredInt(type_col, "exception_type"));
        if (type != 1 && type != 2) {
          return c.FieldError("exception_type", absl::StrCat("'", type, "' is not 1 or 2"));
        }
        auto it = index.find(id);
        if (it == index.end()) {
          ServiceCalendar s;
          s.id = Prefixed(id);
          it = index.emplace(id, static_cast<uint32_t>(calendars.size())).first;
          calendars.push_back(std::move(s));
        }
        if (type == 1) {
          calendars[it->second].Add(day);
        } else {
          calendars[it->second].Remove(day);
        }
        return absl::OkStatus();
      }));
    }
    bool any_day = false;
    for (size_t i = 0; i < calendars.size(); ++i) {
      Day first = 0, last = 0;
      if (calendars[i].Span(&first, &last)) {
        if (!any_day || first < feed_.first_day) feed_.first_day = first;
        if (!any_day || last > feed_.last_day) feed_.last_day = last;
        any_day = true;
      }
    }
    const size_t base = builder_.num_services();
    for (const auto& [id, i] : index) services_.emplace(id, static_cast<ServiceIndex>(base + i));
    for (ServiceCalendar& s : calendars) builder_.AddService(std::move(s));
    report_.services = calendars.size();
    return absl::OkStatus();
  }

  absl::Status ReadTrips() {
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("trips.txt", &content));
    ASSIGN_OR_RETURN(const int route_col, csv.RequiredColumn("route_id"));
    ASSIGN_OR_RETURN(const int service_col, csv.RequiredColumn("service_id"));
    ASSIGN_OR_RETURN(const int id_col, csv.RequiredColumn("trip_id"));
    const int headsign_col = csv.Column("trip_headsign");
    return ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      ASSIGN_OR_RETURN(std::string id, c.RequiredString(id_col, "trip_id"));
      const absl::string_view route = c.Field(route_col);
      auto r = route_index_.find(route);
      if (r == route_index_.end()) {
        if (route.empty()) return c.FieldError("route_id", "required value is empty");
        return c.FieldError("route_id",
                            absl::StrCat("unknown route '", route, "' (not in routes.txt)"));
      }
      const absl::string_view service = c.Field(service_col);
      auto s = services_.find(service);
      if (s == services_.end()) {
        if (service.empty()) return c.FieldError("service_id", "required value is empty");
        return c.FieldError("service_id",
                            absl::StrCat("unknown service '", service,
                                         "' (not in calendar.txt or calendar_dates.txt)"));
      }
      if (trip_index_.contains(id)) {
        Warn("trips.txt", c.line(), absl::StrCat("duplicate trip_id '", id, "'; first row kept"));
        return absl::OkStatus();
      }
      trip_index_.emplace(id, static_cast<uint32_t>(trips_.size()));
      trips_.push_back(TripRow{std::move(id), r->second, s->second,
                               std::string(c.Field(headsign_col)), c.line()});
      return absl::OkStatus();
    });
  }

  absl::Status ReadStopTimes() {
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("stop_times.txt", &content));
    ASSIGN_OR_RETURN(const int trip_col, csv.RequiredColumn("trip_id"));
    ASSIGN_OR_RETURN(const int stop_col, csv.RequiredColumn("stop_id"));
    ASSIGN_OR_RETURN(const int seq_col, csv.RequiredColumn("stop_sequence"));
    ASSIGN_OR_RETURN(const int arr_col, csv.RequiredColumn("arrival_time"));
    ASSIGN_OR_RETURN(const int dep_col, csv.RequiredColumn("departure_time"));
    const int pickup_col = csv.Column("pickup_type");
    const int dropoff_col = csv.Column("drop_off_type");
    std::vector<int64_t> last_sequence(trips_.size(), -1);
    std::vector<int> unsorted_line(trips_.size(), 0);
    calls_.reserve(content.size() / 40);
    RETURN_IF_ERROR(ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      const absl::string_view trip = c.Field(trip_col);
      auto t = trip_index_.find(trip);
      if (t == trip_index_.end()) {
        if (trip.empty()) return c.FieldError("trip_id", "required value is empty");
        return c.FieldError("trip_id",
                            absl::StrCat("unknown trip '", trip, "' (not in trips.txt)"));
      }
      StopIndex stop = 0;
      const absl::string_view stop_id = c.Field(stop_col);
      auto found = stops_.find(stop_id);
      if (found != stops_.end() && found->second.kind == StopRef::kStop) {
        stop = found->second.index;
      } else {
        // Unknown, empty or not a stop: ResolveStop says which.
        ASSIGN_OR_RETURN(std::vector<StopIndex> resolved,
                         ResolveStop(c, stop_col, "stop_id", /*allow_station=*/false));
        stop = resolved[0];
      }
      ASSIGN_OR_RETURN(int64_t seq, c.RequiredInt(seq_col, "stop_sequence"));
      if (seq < 0 || seq > UINT32_MAX) {
        return c.FieldError("stop_sequence", absl::StrCat("'", seq, "' is out of range"));
      }
      ASSIGN_OR_RETURN(std::optional<Seconds> arr, c.Time(arr_col, "arrival_time"));
      ASSIGN_OR_RETURN(std::optional<Seconds> dep, c.Time(dep_col, "departure_time"));
      ASSIGN_OR_RETURN(std::optional<int64_t> pickup, c.Int(pickup_col, "pickup_type"));
      ASSIGN_OR_RETURN(std::optional<int64_t> dropoff, c.Int(dropoff_col, "drop_off_type"));
      if (pickup.value_or(0) < 0 || pickup.value_or(0) > 3) {
        return c.FieldError("pickup_type", absl::StrCat("'", *pickup, "' is not 0..3"));
      }
      if (dropoff.value_or(0) < 0 || dropoff.value_or(0) > 3) {
        return c.FieldError("drop_off_type", absl::StrCat("'", *dropoff, "' is not 0..3"));
      }
      const uint32_t ti = t->second;
      if (seq <= last_sequence[ti] && unsorted_line[ti] == 0) unsorted_line[ti] = c.line();
      last_sequence[ti] = std::max(last_sequence[ti], seq);
      RawCall call;
      call.trip = ti;
      call.sequence = static_cast<uint32_t>(seq);
      call.arrival = arr.value_or(kNoTime);
      call.departure = dep.value_or(kNoTime);
      call.stop = stop;
      call.flags = static_cast<uint8_t>((pickup.value_or(0) == 1 ? kNoPickup : 0) |
                                        (dropoff.value_or(0) == 1 ? kNoDropoff : 0));
      call.line = c.line();
      calls_.push_back(call);
      return absl::OkStatus();
    }));
    for (size_t ti = 0; ti < trips_.size(); ++ti) {
      if (unsorted_line[ti] != 0) {
        Warn("stop_times.txt", unsorted_line[ti],
             absl::StrCat("trip '", trips_[ti].id,
                          "': stop_times not in stop_sequence order; sorted"));
      }
    }
    std::stable_sort(calls_.begin(), calls_.end(), [](const RawCall& a, const RawCall& b) {
      return a.trip != b.trip ? a.trip < b.trip : a.sequence < b.sequence;
    });
    for (size_t i = 1; i < calls_.size(); ++i) {
      if (calls_[i].trip == calls_[i - 1].trip && calls_[i].sequence == calls_[i - 1].sequence) {
        return absl::InvalidArgumentError(
            absl::StrCat("stop_times.txt:", std::max(calls_[i].line, calls_[i - 1].line),
                         ": field stop_sequence: trip '", trips_[calls_[i].trip].id,
                         "' has stop_sequence ", calls_[i].sequence, " twice (also on line ",
                         std::min(calls_[i].line, calls_[i - 1].line), ")"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status ReadFrequencies() {
    if (!source_.Has("frequencies.txt")) return absl::OkStatus();
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("frequencies.txt", &content));
    ASSIGN_OR_RETURN(const int trip_col, csv.RequiredColumn("trip_id"));
    ASSIGN_OR_RETURN(const int start_col, csv.RequiredColumn("start_time"));
    ASSIGN_OR_RETURN(const int end_col, csv.RequiredColumn("end_time"));
    ASSIGN_OR_RETURN(const int headway_col, csv.RequiredColumn("headway_secs"));
    const int exact_col = csv.Column("exact_times");
    return ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      const absl::string_view trip = c.Field(trip_col);
      auto t = trip_index_.find(trip);
      if (t == trip_index_.end()) {
        if (trip.empty()) return c.FieldError("trip_id", "required value is empty");
        return c.FieldError("trip_id",
                            absl::StrCat("unknown trip '", trip, "' (not in trips.txt)"));
      }
      ASSIGN_OR_RETURN(Seconds start, c.RequiredTime(start_col, "start_time"));
      ASSIGN_OR_RETURN(Seconds end, c.RequiredTime(end_col, "end_time"));
      ASSIGN_OR_RETURN(int64_t headway, c.RequiredInt(headway_col, "headway_secs"));
      ASSIGN_OR_RETURN(std::optional<int64_t> exact, c.Int(exact_col, "exact_times"));
      if (headway <= 0 || headway > 24 * 3600) {
        return c.FieldError("headway_secs", absl::StrCat("'", headway, "' is not in 1..86400"));
      }
      if (end < start) return c.FieldError("end_time", "is before start_time");
      if (exact.value_or(0) != 0 && exact.value_or(0) != 1) {
        return c.FieldError("exact_times", absl::StrCat("'", *exact, "' is not 0 or 1"));
      }
      frequencies_[t->second].push_back(
          Frequency{start, end, static_cast<Seconds>(headway), c.line()});
      return absl::OkStatus();
    });
  }

  // Fills missing times of one trip's calls [begin, end) and checks their order.
  absl::Status CompleteTimes(size_t begin, size_t end, const TripRow& trip,
                             std::vector<TripStop>* out) {
    const size_t n = end - begin;
    RawCall* c = &calls_[begin];
    auto error = [&](const RawCall& call, const char* field, const std::string& what) {
      return absl::InvalidArgumentError(
          absl::StrCat("stop_times.txt:", call.line, ": field ", field, ": ", what));
    };
    int copied_line = 0;
    for (size_t i = 0; i < n; ++i) {
      const bool has_arr = c[i].arrival != kNoTime, has_dep = c[i].departure != kNoTime;
      if (has_arr != has_dep) {
        if (copied_line == 0) copied_line = c[i].line;
        if (has_arr) c[i].departure = c[i].arrival;
        if (has_dep) c[i].arrival = c[i].departure;
      }
    }
    if (copied_line != 0) {
      Warn("stop_times.txt", copied_line,
           absl::StrCat("trip '", trip.id,
                        "': a call has only an arrival or only a departure time; the other "
                        "was copied"));
    }
    if (c[0].departure == kNoTime) {
      return error(c[0], "departure_time",
                   absl::StrCat("the first call of trip '", trip.id, "' has no time"));
    }
    if (c[n - 1].arrival == kNoTime) {
      return error(c[n - 1], "arrival_time",
                   absl::StrCat("the last call of trip '", trip.id, "' has no time"));
    }
    // Interpolate untimed runs by the straight-line distance along the stops.
    int interpolated_line = 0;
    for (size_t i = 1; i < n;) {
      if (c[i].arrival != kNoTime) {
        ++i;
        continue;
      }
      size_t j = i;
      while (c[j].arrival == kNoTime) ++j;  // the last call is timed
      std::vector<double> cumulative(j - i + 2, 0.0);
      for (size_t k = i; k <= j; ++k) {
        cumulative[k - i + 1] = cumulative[k - i] + HaversineKm(builder_.stop(c[k - 1].stop).point,
                                                                builder_.stop(c[k].stop).point);
      }
      const double total = cumulative.back();
      const Seconds t0 = c[i - 1].departure, t1 = c[j].arrival;
      for (size_t k = i; k < j; ++k) {
        const double f = total > 0
                             ? cumulative[k - i + 1] / total
                             : static_cast<double>(k - i + 1) / static_cast<double>(j - i + 1);
        const Seconds t = t0 + static_cast<Seconds>(std::lround(f * (t1 - t0)));
        c[k].arrival = c[k].departure = t;
        ++report_.interpolated_calls;
      }
      if (interpolated_line == 0) interpolated_line = c[i].line;
      i = j + 1;
    }
    if (interpolated_line != 0) {
      Warn("stop_times.txt", interpolated_line,
           absl::StrCat("trip '", trip.id,
                        "': calls without times; interpolated by distance between the timed "
                        "calls around them"));
    }
    out->clear();
    for (size_t i = 0; i < n; ++i) {
      if (c[i].departure < c[i].arrival) {
        return error(c[i], "departure_time",
                     absl::StrCat("'", FormatGtfsTime(c[i].departure), "' is before arrival_time '",
                                  FormatGtfsTime(c[i].arrival), "' (trip '", trip.id, "')"));
      }
      if (i > 0 && c[i].arrival < c[i - 1].departure) {
        return error(c[i], "arrival_time",
                     absl::StrCat("'", FormatGtfsTime(c[i].arrival), "' is before the departure ",
                                  FormatGtfsTime(c[i - 1].departure),
                                  " from the previous stop of trip '", trip.id, "'"));
      }
      out->push_back(TripStop{c[i].stop, c[i].arrival, c[i].departure,
                              (c[i].flags & kNoPickup) != 0, (c[i].flags & kNoDropoff) != 0});
    }
    return absl::OkStatus();
  }

  absl::Status EmitTrips() {
    std::vector<TripStop> stops;
    std::vector<bool> has_calls(trips_.size(), false);
    for (size_t begin = 0; begin < calls_.size();) {
      size_t end = begin;
      while (end < calls_.size() && calls_[end].trip == calls_[begin].trip) ++end;
      const uint32_t ti = calls_[begin].trip;
      const TripRow& trip = trips_[ti];
      has_calls[ti] = true;
      if (end - begin < 2) {
        Warn("stop_times.txt", calls_[begin].line,
             absl::StrCat("trip '", trip.id, "' has only one call; dropped"));
        ++report_.dropped_trips;
        begin = end;
        continue;
      }
      RETURN_IF_ERROR(CompleteTimes(begin, end, trip, &stops));
      const RouteRow& route = routes_[trip.route];
      TripInfo info{Prefixed(trip.id), Prefixed(route.id), route.short_name,
                    route.mode,        trip.service,       trip.headsign};
      auto freq = frequencies_.find(ti);
      if (freq == frequencies_.end()) {
        RETURN_IF_ERROR(builder_.AddTrip(std::move(info), stops));
        ++report_.trips;
        report_.stop_times += stops.size();
      } else {
        // The trip's times are a template: its offsets from the first departure repeat
        // at start_time, start_time + headway, ... before end_time.
        const Seconds origin = stops[0].departure;
        std::vector<TripStop> shifted = stops;
        for (const Frequency& f : freq->second) {
          for (Seconds start = f.start; start < f.end; start += f.headway) {
            for (size_t k = 0; k < stops.size(); ++k) {
              shifted[k].arrival = stops[k].arrival - origin + start;
              shifted[k].departure = stops[k].departure - origin + start;
            }
            TripInfo copy = info;
            copy.trip_id = absl::StrCat(info.trip_id, "@", FormatGtfsTime(start));
            RETURN_IF_ERROR(builder_.AddTrip(std::move(copy), shifted));
            ++report_.trips;
            ++report_.frequency_trips;
            report_.stop_times += shifted.size();
          }
        }
      }
      begin = end;
    }
    for (size_t ti = 0; ti < trips_.size(); ++ti) {
      if (!has_calls[ti]) {
        Warn("trips.txt", trips_[ti].line,
             absl::StrCat("trip '", trips_[ti].id, "' has no stop_times; dropped"));
        ++report_.dropped_trips;
      }
    }
    calls_.clear();
    calls_.shrink_to_fit();
    return absl::OkStatus();
  }

  absl::Status ReadTransfers() {
    if (!source_.Has("transfers.txt")) {
      Warn("transfers.txt", 0,
           "no transfers.txt; footpaths are generated between nearby stops when the timetable "
           "is built");
      return absl::OkStatus();
    }
    std::string content;
    ASSIGN_OR_RETURN(CsvReader csv, OpenCsv("transfers.txt", &content));
    ASSIGN_OR_RETURN(const int from_col, csv.RequiredColumn("from_stop_id"));
    ASSIGN_OR_RETURN(const int to_col, csv.RequiredColumn("to_stop_id"));
    ASSIGN_OR_RETURN(const int type_col, csv.RequiredColumn("transfer_type"));
    const int time_col = csv.Column("min_transfer_time");
    const int specific_cols[] = {csv.Column("from_trip_id"), csv.Column("to_trip_id"),
                                 csv.Column("from_route_id"), csv.Column("to_route_id")};
    return ForEachRow(csv, [&](CsvReader& c) -> absl::Status {
      ASSIGN_OR_RETURN(std::optional<int64_t> type, c.Int(type_col, "transfer_type"));
      const int64_t t = type.value_or(0);
      if (t < 0 || t > 5) {
        return c.FieldError("transfer_type", absl::StrCat("'", t, "' is not 0..5"));
      }
      for (int col : specific_cols) {
        if (!c.Field(col).empty()) {
          Warn("transfers.txt", c.line(),
               "trip- or route-specific transfer; only stop-to-stop transfers are used, skipped");
          return absl::OkStatus();
        }
      }
      if (t == 4 || t == 5) {
        Warn("transfers.txt", c.line(), "in-seat transfer (type 4 or 5) without trips; skipped");
        return absl::OkStatus();
      }
      ASSIGN_OR_RETURN(std::vector<StopIndex> from,
                       ResolveStop(c, from_col, "from_stop_id", /*allow_station=*/true));
      ASSIGN_OR_RETURN(std::vector<StopIndex> to,
                       ResolveStop(c, to_col, "to_stop_id", /*allow_station=*/true));
      ASSIGN_OR_RETURN(std::optional<int64_t> min_time, c.Int(time_col, "min_transfer_time"));
      if (min_time.has_value() && (*min_time < 0 || *min_time > 24 * 3600)) {
        return c.FieldError("min_transfer_time", absl::StrCat("'", *min_time, "' is not 0..86400"));
      }
      if (t == 2 && !min_time.has_value()) {
        Warn("transfers.txt", c.line(),
             "transfer_type 2 without min_transfer_time; the walking time is used");
      }
      for (StopIndex a : from) {
        for (StopIndex b : to) {
          if (a == b) continue;  // the same stop: the router's minimum transfer time applies
          transfer_pairs_.insert((uint64_t{a} << 32) | b);
          if (t == 3) {
            RETURN_IF_ERROR(builder_.ForbidFootpath(a, b));
          } else {
            RETURN_IF_ERROR(builder_.AddFootpath(
                a, b, min_time.has_value() ? static_cast<Seconds>(*min_time) : kWalkingTime));
          }
          ++report_.transfers;
        }
      }
      return absl::OkStatus();
    });
  }

  const FeedSource& source_;
  const std::string name_;
  TimetableBuilder& builder_;
  ImportReport report_;
  FeedInfo feed_;

  absl::flat_hash_map<std::string, StopRef> stops_;
  std::vector<std::vector<StopIndex>> station_platforms_;
  absl::flat_hash_set<uint64_t> transfer_pairs_;  // (from << 32 | to) named in transfers.txt
  absl::flat_hash_map<std::string, uint32_t> route_index_;
  std::vector<RouteRow> routes_;
  absl::flat_hash_map<std::string, ServiceIndex> services_;
  absl::flat_hash_map<std::string, uint32_t> trip_index_;
  std::vector<TripRow> trips_;
  std::vector<RawCall> calls_;
  absl::flat_hash_map<uint32_t, std::vector<Frequency>> frequencies_;
};

}  // namespace

absl::StatusOr<ImportReport> ImportGtfs(const FeedSource& source, const std::string& feed_name,
                                        TimetableBuilder& builder) {
  Importer importer(source, feed_name, builder);
  return importer.Run();
}

absl::StatusOr<ImportReport> ImportGtfs(const std::string& path, const std::string& feed_name,
                                        TimetableBuilder& builder) {
  ASSIGN_OR_RETURN(FeedSource source, FeedSource::Open(path));
  return ImportGtfs(source, feed_name, builder);
}

}  // namespace carvematch::transit
