#include "transit/timetable.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "mobility/travel.h"

namespace carvematch::transit {

// ---------------------------------------------------------------------------------------
// Calendar.

// Days since 1970-01-01 of a civil date (H. Hinnant's "days_from_civil" algorithm).
Day DayFromCivil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDay(Day day, int* year, int* month, int* day_of_month) {
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  *year = yoe + era * 400 + (m <= 2 ? 1 : 0);
  *month = m;
  *day_of_month = d;
}

int WeekdayOf(Day day) {
  // Day 0 (1970-01-01) was a Thursday, index 3 when Monday is 0.
  return static_cast<int>(((static_cast<int64_t>(day) + 3) % 7 + 7) % 7);
}

bool ServiceCalendar::RunsOn(Day day) const {
  if (day < first_day) return false;
  const int64_t d = static_cast<int64_t>(day) - first_day;
  const size_t word = static_cast<size_t>(d / 64);
  if (word >= day_bits.size()) return false;
  return (day_bits[word] >> (d % 64)) & 1;
}

ServiceCalendar ServiceCalendar::Weekly(std::string id, Day from, Day to, uint8_t weekday_mask) {
  ServiceCalendar c;
  c.id = std::move(id);
  c.first_day = from;
  if (to < from) return c;
  const int64_t n = static_cast<int64_t>(to) - from + 1;
  c.day_bits.assign(static_cast<size_t>((n + 63) / 64), 0);
  for (int64_t d = 0; d < n; ++d) {
    if ((weekday_mask >> WeekdayOf(static_cast<Day>(from + d))) & 1) {
      c.day_bits[static_cast<size_t>(d / 64)] |= uint64_t{1} << (d % 64);
    }
  }
  return c;
}

void ServiceCalendar::Add(Day day) {
  if (day_bits.empty()) {
    first_day = day;
    day_bits.assign(1, 0);
  } else if (day < first_day) {
    // Shift so that bit 0 is `day`, rounded to whole words to keep the shift simple.
    const int64_t missing = static_cast<int64_t>(first_day) - day;
    const size_t words = static_cast<size_t>((missing + 63) / 64);
    const Day new_first = static_cast<Day>(first_day - static_cast<int64_t>(words) * 64);
    day_bits.insert(day_bits.begin(), words, 0);
    first_day = new_first;
  }
  const int64_t d = static_cast<int64_t>(day) - first_day;
  const size_t word = static_cast<size_t>(d / 64);
  if (word >= day_bits.size()) day_bits.resize(word + 1, 0);
  day_bits[word] |= uint64_t{1} << (d % 64);
}

void ServiceCalendar::Remove(Day day) {
  if (day < first_day) return;
  const int64_t d = static_cast<int64_t>(day) - first_day;
  const size_t word = static_cast<size_t>(d / 64);
  if (word >= day_bits.size()) return;
  day_bits[word] &= ~(uint64_t{1} << (d % 64));
}

int ServiceCalendar::CountDays() const {
  int n = 0;
  for (uint64_t w : day_bits) n += __builtin_popcountll(w);
  return n;
}

bool ServiceCalendar::Span(Day* first, Day* last) const {
  bool found = false;
  for (size_t w = 0; w < day_bits.size(); ++w) {
    if (day_bits[w] == 0) continue;
    const Day lo =
        static_cast<Day>(first_day + static_cast<int64_t>(w) * 64 + __builtin_ctzll(day_bits[w]));
    const Day hi = static_cast<Day>(first_day + static_cast<int64_t>(w) * 64 + 63 -
                                    __builtin_clzll(day_bits[w]));
    if (!found) *first = lo;
    *last = hi;
    found = true;
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// Timetable.

namespace {

template <typename T>
size_t VectorBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

size_t StringBytes(const std::string& s) {
  // Short strings live inside the std::string object itself.
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

}  // namespace

size_t Timetable::MemoryBytes() const {
  size_t bytes = sizeof(Timetable);
  bytes += VectorBytes(feeds);
  for (const FeedInfo& f : feeds) {
    bytes += StringBytes(f.name) + VectorBytes(f.agencies);
    for (const std::string& a : f.agencies) bytes += StringBytes(a);
  }
  bytes += VectorBytes(stops);
  for (const Stop& s : stops) bytes += StringBytes(s.id) + StringBytes(s.name);
  bytes += VectorBytes(services);
  for (const ServiceCalendar& s : services) bytes += StringBytes(s.id) + VectorBytes(s.day_bits);
  bytes += VectorBytes(routes) + VectorBytes(route_stops) + VectorBytes(route_stop_flags);
  bytes += VectorBytes(trips);
  for (const TripInfo& t : trips) {
    bytes += StringBytes(t.trip_id) + StringBytes(t.route_id) + StringBytes(t.short_name) +
             StringBytes(t.headsign);
  }
  bytes += VectorBytes(stop_times) + VectorBytes(stop_route_offsets) + VectorBytes(stop_routes) +
           VectorBytes(footpath_offsets) + VectorBytes(footpaths);
  return bytes;
}

// ---------------------------------------------------------------------------------------
// Builder.

void TimetableBuilder::AddFeed(FeedInfo feed) { feeds_.push_back(std::move(feed)); }

StopIndex TimetableBuilder::AddStop(Stop stop) {
  stops_.push_back(std::move(stop));
  return static_cast<StopIndex>(stops_.size() - 1);
}

ServiceIndex TimetableBuilder::AddService(ServiceCalendar service) {
  services_.push_back(std::move(service));
  return static_cast<ServiceIndex>(services_.size() - 1);
}

namespace {

std::string FormatTime(Seconds t) {
  const char* sign = t < 0 ? "-" : "";
  const int64_t a = std::abs(static_cast<int64_t>(t));
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%s%02lld:%02lld:%02lld", sign, static_cast<long long>(a / 3600),
                static_cast<long long>(a / 60 % 60), static_cast<long long>(a % 60));
  return buf;
}

}  // namespace

absl::Status TimetableBuilder::AddTrip(TripInfo info, std::vector<TripStop> calls) {
  const std::string where = absl::StrCat("trip '", info.trip_id, "'");
  if (calls.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": has ", calls.size(), " call(s); a trip needs at least 2"));
  }
  if (info.service >= services_.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": service ", info.service, " out of range (", services_.size(), " services)"));
  }
  for (size_t i = 0; i < calls.size(); ++i) {
    const TripStop& c = calls[i];
    const std::string call = absl::StrCat(where, " call ", i);
    if (c.stop >= stops_.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(call, ": stop ", c.stop, " out of range (", stops_.size(), " stops)"));
    }
    if (c.arrival < 0 || c.departure < 0) {
      return absl::InvalidArgumentError(absl::StrCat(call, ": negative time"));
    }
    if (c.departure < c.arrival) {
      return absl::InvalidArgumentError(absl::StrCat(call, ": departure ", FormatTime(c.departure),
                                                     " before arrival ", FormatTime(c.arrival)));
    }
    if (i > 0 && c.arrival < calls[i - 1].departure) {
      return absl::InvalidArgumentError(
          absl::StrCat(call, ": arrival ", FormatTime(c.arrival), " before the departure ",
                       FormatTime(calls[i - 1].departure), " of call ", i - 1));
    }
  }
  trips_.push_back(PendingTrip{std::move(info), std::move(calls)});
  return absl::OkStatus();
}

absl::Status TimetableBuilder::AddFootpath(StopIndex from, StopIndex to, Seconds duration) {
  if (from >= stops_.size() || to >= stops_.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "footpath ", from, " -> ", to, ": stop out of range (", stops_.size(), " stops)"));
  }
  if (from == to) {
    return absl::InvalidArgumentError(
        absl::StrCat("footpath from stop '", stops_[from].id, "' to itself"));
  }
  if (duration < 0 && duration != kWalkingTime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "footpath '", stops_[from].id, "' -> '", stops_[to].id, "': negative duration ", duration));
  }
  footpaths_.push_back(PendingFootpath{from, to, duration});
  return absl::OkStatus();
}

absl::Status TimetableBuilder::ForbidFootpath(StopIndex from, StopIndex to) {
  if (from >= stops_.size() || to >= stops_.size()) {
    return absl::InvalidArgumentError(absl::StrCat("forbidden transfer ", from, " -> ", to,
                                                   ": stop out of range (", stops_.size(),
                                                   " stops)"));
  }
  if (from != to) forbidden_.emplace_back(from, to);
  return absl::OkStatus();
}

namespace {

uint64_t PairKey(StopIndex a, StopIndex b) { return (uint64_t{a} << 32) | b; }

// True when trip `b` never runs ahead of trip `a`: at every stop it arrives and departs
// no earlier. Routes keep their trips in this order (RAPTOR's FIFO property).
bool NotEarlier(const std::vector<TripStop>& a, const std::vector<TripStop>& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (b[i].arrival < a[i].arrival || b[i].departure < a[i].departure) return false;
  }
  return true;
}

Seconds WalkSeconds(double meters, const FootpathOptions& o) {
  const double speed_ms = o.walk_speed_kmh / 3.6;
  return static_cast<Seconds>(std::ceil(meters * o.detour_factor / speed_ms));
}

// Footpaths between all stops closer than `max_walk_meters`, found through a grid of
// cells at least that wide, so each stop looks at its own and the 8 neighbouring cells.
void GenerateFootpaths(const std::vector<Stop>& stops, const FootpathOptions& o,
                       absl::flat_hash_map<uint64_t, Seconds>* edges) {
  if (o.max_walk_meters <= 0 || stops.size() < 2) return;
  double max_abs_lat = 0;
  for (const Stop& s : stops) max_abs_lat = std::max(max_abs_lat, std::abs(s.point.lat));
  max_abs_lat = std::min(max_abs_lat, 89.0);
  constexpr double kMetersPerDegree = 111320.0;
  // A little margin so that rounding never hides a pair right at the limit.
  const double lat_cell = o.max_walk_meters * 1.01 / kMetersPerDegree;
  const double lon_cell =
      o.max_walk_meters * 1.01 / (kMetersPerDegree * std::cos(max_abs_lat * M_PI / 180.0));
  auto cell_of = [&](const GeoPoint& p) {
    const int64_t cy = static_cast<int64_t>(std::floor(p.lat / lat_cell));
    const int64_t cx = static_cast<int64_t>(std::floor(p.lon / lon_cell));
    return std::pair<int64_t, int64_t>(cy, cx);
  };
  auto key_of = [](int64_t cy, int64_t cx) {
    return (static_cast<uint64_t>(cy) << 32) ^ (static_cast<uint64_t>(cx) & 0xffffffffu);
  };
  // Stops sorted by cell; each cell maps to its range in `order`.
  std::vector<std::pair<uint64_t, StopIndex>> keyed(stops.size());
  for (size_t i = 0; i < stops.size(); ++i) {
    auto [cy, cx] = cell_of(stops[i].point);
    keyed[i] = {key_of(cy, cx), static_cast<StopIndex>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  absl::flat_hash_map<uint64_t, std::pair<uint32_t, uint32_t>> cells;
  for (uint32_t i = 0; i < keyed.size();) {
    uint32_t j = i;
    while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
    cells[keyed[i].first] = {i, j};
    i = j;
  }
  for (size_t a = 0; a < stops.size(); ++a) {
    auto [cy, cx] = cell_of(stops[a].point);
    for (int64_t dy = -1; dy <= 1; ++dy) {
      for (int64_t dx = -1; dx <= 1; ++dx) {
        auto it = cells.find(key_of(cy + dy, cx + dx));
        if (it == cells.end()) continue;
        for (uint32_t k = it->second.first; k < it->second.second; ++k) {
          const StopIndex b = keyed[k].second;
          if (b == a) continue;
          const double meters = HaversineKm(stops[a].point, stops[b].point) * 1000.0;
          if (meters > o.max_walk_meters) continue;
          const Seconds t = std::max(WalkSeconds(meters, o), o.min_transfer_seconds);
          (*edges)[PairKey(static_cast<StopIndex>(a), b)] = t;
        }
      }
    }
  }
}

}  // namespace

absl::StatusOr<Timetable> TimetableBuilder::Build(const FootpathOptions& options) && {
  if (options.max_walk_meters < 0 || !(options.walk_speed_kmh > 0) ||
      !(options.detour_factor >= 1.0) || options.min_transfer_seconds < 0 ||
      options.max_closure_seconds < 0) {
    return absl::InvalidArgumentError(
        "footpath options: max_walk_meters, min_transfer_seconds and max_closure_seconds must "
        "not be negative, walk_speed_kmh must be positive and detour_factor at least 1");
  }
  Timetable t;
  t.feeds = std::move(feeds_);
  t.stops = std::move(stops_);
  t.services = std::move(services_);
  const size_t num_stops = t.stops.size();

  if (num_stops >= (uint32_t{1} << 30)) {
    return absl::InvalidArgumentError("more than 2^30 stops");
  }

  // 1. Group trips by stop sequence and pickup/drop-off pattern (first seen first).
  absl::flat_hash_map<std::vector<uint32_t>, uint32_t> group_of;
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t i = 0; i < trips_.size(); ++i) {
    const std::vector<TripStop>& calls = trips_[i].calls;
    std::vector<uint32_t> key(calls.size());
    for (size_t k = 0; k < calls.size(); ++k) {
      key[k] = (calls[k].stop << 2) | (calls[k].no_pickup ? kNoPickup : 0) |
               (calls[k].no_dropoff ? kNoDropoff : 0);
    }
    auto [it, inserted] = group_of.try_emplace(std::move(key), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(i);
  }

  {
    size_t total_calls = 0;
    for (const PendingTrip& p : trips_) total_calls += p.calls.size();
    t.stop_times.reserve(total_calls);
    t.trips.reserve(trips_.size());
  }

  // 2. Per group: sort by times (departure at the first stop first), then split into
  // routes whose trips never overtake: each trip joins the first route whose last trip
  // it does not overtake (first fit; trips arrive in departure order).
  for (const std::vector<uint32_t>& group : groups) {
    std::vector<uint32_t> order = group;
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      const std::vector<TripStop>& a = trips_[x].calls;
      const std::vector<TripStop>& b = trips_[y].calls;
      if (a[0].departure != b[0].departure) return a[0].departure < b[0].departure;
      for (size_t k = 0; k < a.size(); ++k) {
        if (a[k].arrival != b[k].arrival) return a[k].arrival < b[k].arrival;
        if (a[k].departure != b[k].departure) return a[k].departure < b[k].departure;
      }
      return trips_[x].info.trip_id < trips_[y].info.trip_id;
    });
    std::vector<std::vector<uint32_t>> parts;
    for (uint32_t trip : order) {
      bool placed = false;
      for (std::vector<uint32_t>& part : parts) {
        if (NotEarlier(trips_[part.back()].calls, trips_[trip].calls)) {
          part.push_back(trip);
          placed = true;
          break;
        }
      }
      if (!placed) parts.push_back({trip});
    }
    for (const std::vector<uint32_t>& part : parts) {
      const std::vector<TripStop>& first = trips_[part[0]].calls;
      Route r;
      r.first_route_stop = static_cast<uint32_t>(t.route_stops.size());
      r.num_stops = static_cast<uint32_t>(first.size());
      r.first_trip = static_cast<uint32_t>(t.trips.size());
      r.num_trips = static_cast<uint32_t>(part.size());
      r.first_stop_time = static_cast<uint32_t>(t.stop_times.size());
      if (t.stop_times.size() + part.size() * first.size() > UINT32_MAX) {
        return absl::ResourceExhaustedError("more than 2^32 stop times");
      }
      for (const TripStop& c : first) {
        t.route_stops.push_back(c.stop);
        t.route_stop_flags.push_back(
            static_cast<uint8_t>((c.no_pickup ? kNoPickup : 0) | (c.no_dropoff ? kNoDropoff : 0)));
      }
      for (uint32_t trip : part) {
        for (const TripStop& c : trips_[trip].calls) {
          t.stop_times.push_back(StopTime{c.arrival, c.departure});
        }
        t.trips.push_back(std::move(trips_[trip].info));
      }
      t.routes.push_back(r);
    }
  }
  trips_.clear();
  trips_.shrink_to_fit();

  // 3. Stop -> (route, position), CSR in stop order, routes ascending within a stop.
  t.stop_route_offsets.assign(num_stops + 1, 0);
  for (StopIndex s : t.route_stops) ++t.stop_route_offsets[s + 1];
  for (size_t s = 0; s < num_stops; ++s) t.stop_route_offsets[s + 1] += t.stop_route_offsets[s];
  t.stop_routes.resize(t.route_stops.size());
  {
    std::vector<uint32_t> fill(t.stop_route_offsets.begin(), t.stop_route_offsets.end() - 1);
    for (RouteIndex r = 0; r < t.routes.size(); ++r) {
      const Route& route = t.routes[r];
      for (uint32_t p = 0; p < route.num_stops; ++p) {
        const StopIndex s = t.route_stops[route.first_route_stop + p];
        t.stop_routes[fill[s]++] = StopRoute{r, p};
      }
    }
  }

  // 4. Footpaths: generated ones, replaced by explicit ones, minus forbidden pairs; then
  // closed under composition (bounded Dijkstra from every stop).
  absl::flat_hash_map<uint64_t, Seconds> edges;
  GenerateFootpaths(t.stops, options, &edges);
  absl::flat_hash_set<uint64_t> forbidden;
  for (const auto& [from, to] : forbidden_) forbidden.insert(PairKey(from, to));
  for (uint64_t key : forbidden) edges.erase(key);
  {
    absl::flat_hash_map<uint64_t, Seconds> explicit_edges;
    for (const PendingFootpath& f : footpaths_) {
      Seconds d = f.duration;
      if (d == kWalkingTime) {
        const double meters = HaversineKm(t.stops[f.from].point, t.stops[f.to].point) * 1000.0;
        d = std::max(WalkSeconds(meters, options), options.min_transfer_seconds);
      }
      auto [it, inserted] = explicit_edges.try_emplace(PairKey(f.from, f.to), d);
      if (!inserted) it->second = std::min(it->second, d);
    }
    for (const auto& [key, d] : explicit_edges) {
      edges[key] = d;
      forbidden.erase(key);
    }
  }
  footpaths_.clear();
  forbidden_.clear();

  // Direct edges as CSR (sorted for determinism).
  std::vector<std::pair<uint64_t, Seconds>> direct(edges.begin(), edges.end());
  std::sort(direct.begin(), direct.end());
  std::vector<uint32_t> adj_offsets(num_stops + 1, 0);
  std::vector<Footpath> adj(direct.size());
  for (const auto& [key, d] : direct) ++adj_offsets[(key >> 32) + 1];
  for (size_t s = 0; s < num_stops; ++s) adj_offsets[s + 1] += adj_offsets[s];
  for (size_t i = 0; i < direct.size(); ++i) {
    adj[i] = Footpath{static_cast<StopIndex>(direct[i].first & 0xffffffffu), direct[i].second};
  }

  t.footpath_offsets.assign(num_stops + 1, 0);
  std::vector<Seconds> dist(num_stops, kUnreachable);
  std::vector<StopIndex> touched;
  using Item = std::pair<Seconds, StopIndex>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  std::vector<Footpath> out;
  for (StopIndex s = 0; s < num_stops; ++s) {
    if (adj_offsets[s] == adj_offsets[s + 1]) {
      t.footpath_offsets[s + 1] = static_cast<uint32_t>(t.footpaths.size());
      continue;
    }
    // Dijkstra over footpaths from s, bounded by max_closure_seconds for chains.
    dist[s] = 0;
    touched.push_back(s);
    heap.push({0, s});
    while (!heap.empty()) {
      auto [d, u] = heap.top();
      heap.pop();
      if (d > dist[u]) continue;
      for (uint32_t k = adj_offsets[u]; k < adj_offsets[u + 1]; ++k) {
        const Footpath& e = adj[k];
        const int64_t nd = static_cast<int64_t>(d) + e.duration;
        if (u != s && nd > options.max_closure_seconds) continue;
        if (nd < dist[e.to]) {
          if (dist[e.to] == kUnreachable) touched.push_back(e.to);
          dist[e.to] = static_cast<Seconds>(nd);
          heap.push({dist[e.to], e.to});
        }
      }
    }
    out.clear();
    for (StopIndex v : touched) {
      if (v != s && !forbidden.contains(PairKey(s, v))) out.push_back(Footpath{v, dist[v]});
      dist[v] = kUnreachable;
    }
    touched.clear();
    std::sort(out.begin(), out.end(), [](const Footpath& a, const Footpath& b) {
      return a.duration != b.duration ? a.duration < b.duration : a.to < b.to;
    });
    t.footpaths.insert(t.footpaths.end(), out.begin(), out.end());
    t.footpath_offsets[s + 1] = static_cast<uint32_t>(t.footpaths.size());
  }
  return t;
}

}  // namespace carvematch::transit
