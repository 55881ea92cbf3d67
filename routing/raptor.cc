#include "routing/raptor.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "mobility/travel.h"

#if defined(__GNUC__) && defined(__x86_64__)
#define CARVEMATCH_ROUTING_X86 1
#include <immintrin.h>
#else
#define CARVEMATCH_ROUTING_X86 0
#endif

namespace carvematch::routing {
namespace {

using transit::kNoDropoff;
using transit::kNoPickup;

constexpr double kMetersPerDegreeLat = 111320.0;

Seconds SaturatingAdd(Seconds a, Seconds b) {
  const int64_t s = static_cast<int64_t>(a) + b;
  if (s >= kUnreachable) return kUnreachable;
  if (s <= std::numeric_limits<Seconds>::min()) return std::numeric_limits<Seconds>::min() + 1;
  return static_cast<Seconds>(s);
}

inline bool TestBit(const std::vector<uint64_t>& bits, size_t i) {
  return (bits[i >> 6] >> (i & 63)) & 1;
}
inline void SetBit(std::vector<uint64_t>* bits, size_t i) {
  (*bits)[i >> 6] |= uint64_t{1} << (i & 63);
}

const char* ModeName(transit::RouteMode mode) {
  switch (mode) {
    case transit::RouteMode::kTram:
      return "tram";
    case transit::RouteMode::kMetro:
      return "metro";
    case transit::RouteMode::kRail:
      return "train";
    case transit::RouteMode::kBus:
      return "bus";
    case transit::RouteMode::kFerry:
      return "ferry";
    case transit::RouteMode::kOther:
      break;
  }
  return "line";
}

std::string Minutes(Seconds s) { return absl::StrCat((s + 59) / 60, " min"); }

// The footpath relaxation's test for packed footpaths[0, count) (count <= 64) from a ride
// arriving at `a`: bit k of the result is set when t = a + duration is below `limit` and
// below foot_key[target]. Scalar here; eight at a time with AVX2 below.
uint64_t WalkCandidatesScalar(const uint32_t* packed, uint32_t count, int64_t a, int64_t limit,
                              const Seconds* foot_key) {
  uint64_t mask = 0;
  for (uint32_t k = 0; k < count; ++k) {
    const int64_t t = a + (packed[k] & internal::kPackedDurationMask);
    const StopIndex to = packed[k] >> internal::kPackedDurationBits;
    mask |= static_cast<uint64_t>(t < limit && t < foot_key[to]) << k;
  }
  return mask;
}

#if CARVEMATCH_ROUTING_X86
// Needs a + kPackedDurationMask to fit an int32 (the caller checks).
__attribute__((target("avx2"))) uint64_t WalkCandidatesAvx2(const uint32_t* packed, uint32_t count,
                                                            int32_t a, int32_t limit,
                                                            const Seconds* foot_key) {
  const __m256i va = _mm256_set1_epi32(a);
  const __m256i vlimit = _mm256_set1_epi32(limit);
  const __m256i vmask = _mm256_set1_epi32(static_cast<int>(internal::kPackedDurationMask));
  uint64_t mask = 0;
  uint32_t k = 0;
  for (; k + 8 <= count; k += 8) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed + k));
    const __m256i t = _mm256_add_epi32(va, _mm256_and_si256(v, vmask));
    const __m256i to = _mm256_srli_epi32(v, internal::kPackedDurationBits);
    const __m256i key = _mm256_i32gather_epi32(foot_key, to, 4);
    // t < limit and t < key.
    const __m256i ok = _mm256_and_si256(_mm256_cmpgt_epi32(vlimit, t), _mm256_cmpgt_epi32(key, t));
    const uint32_t bits = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(ok)));
    mask |= static_cast<uint64_t>(bits) << k;
  }
  if (k < count) {
    // The last 1-7: masked loads (lanes past the end read nothing and test false).
    const __m256i lanes = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count - k)),
                                             _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const __m256i v = _mm256_maskload_epi32(reinterpret_cast<const int*>(packed + k), lanes);
    const __m256i t = _mm256_add_epi32(va, _mm256_and_si256(v, vmask));
    const __m256i to = _mm256_srli_epi32(v, internal::kPackedDurationBits);
    const __m256i key = _mm256_mask_i32gather_epi32(_mm256_setzero_si256(), foot_key, to, lanes, 4);
    const __m256i ok = _mm256_and_si256(
        lanes, _mm256_and_si256(_mm256_cmpgt_epi32(vlimit, t), _mm256_cmpgt_epi32(key, t)));
    const uint32_t bits = static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(ok)));
    mask |= static_cast<uint64_t>(bits) << k;
  }
  return mask;
}

// AVX2 unless the CPU lacks it or CARVEMATCH_ROUTING_PORTABLE is set (the tests run the
// portable path that way too).
bool UseAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && std::getenv("CARVEMATCH_ROUTING_PORTABLE") == nullptr;
}
#endif  // CARVEMATCH_ROUTING_X86

}  // namespace

// ---------------------------------------------------------------------------------------
// Dates and clock.

Day DateOfWeekday(Day week_start, int weekday) {
  const int want = ((weekday % 7) + 7) % 7;
  return week_start + (want - transit::WeekdayOf(week_start) + 7) % 7;
}

Day DateOfWeekday(Day week_start, Weekday weekday) {
  return DateOfWeekday(week_start, DayIndex(weekday));
}

std::string FormatClock(Seconds t) {
  const int64_t day = (t >= 0 ? t : static_cast<int64_t>(t) - kSecondsPerDay + 1) / kSecondsPerDay;
  const int64_t in_day = static_cast<int64_t>(t) - day * kSecondsPerDay;
  std::string out = absl::StrFormat("%02d:%02d", in_day / 3600, (in_day / 60) % 60);
  if (day != 0) absl::StrAppend(&out, day > 0 ? " (+" : " (", day, ")");
  return out;
}

// ---------------------------------------------------------------------------------------
// Access.

Seconds AccessOptions::SecondsFor(double meters) const {
  const double mps = speed_kmh / 3.6;
  if (!(mps > 0)) return kUnreachable;
  return static_cast<Seconds>(std::ceil(meters * detour_factor / mps - 1e-9));
}

StopGrid::StopGrid(const std::vector<transit::Stop>& stops, double cell_meters) {
  points_.reserve(stops.size());
  for (const transit::Stop& s : stops) points_.push_back(s.point);
  if (stops.empty()) return;
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  for (const GeoPoint& p : points_) {
    min_lat = std::min(min_lat, p.lat);
    max_lat = std::max(max_lat, p.lat);
    min_lon = std::min(min_lon, p.lon);
    max_lon = std::max(max_lon, p.lon);
  }
  const double mid_lat = (min_lat + max_lat) / 2;
  const double cos_lat = std::max(0.01, std::cos(mid_lat * M_PI / 180));
  cell_meters = std::max(cell_meters, 1.0);
  // Coarser cells when the stops are spread so widely that the grid would get far more
  // cells than stops.
  const double max_cells = std::max<double>(1 << 16, 4.0 * static_cast<double>(stops.size()));
  for (;;) {
    cell_lat_ = cell_meters / kMetersPerDegreeLat;
    cell_lon_ = cell_meters / (kMetersPerDegreeLat * cos_lat);
    const double rows = std::floor((max_lat - min_lat) / cell_lat_) + 1;
    const double cols = std::floor((max_lon - min_lon) / cell_lon_) + 1;
    if (rows * cols <= max_cells) {
      rows_ = static_cast<int>(rows);
      cols_ = static_cast<int>(cols);
      break;
    }
    cell_meters *= 2;
  }
  lat0_ = min_lat;
  lon0_ = min_lon;
  const size_t cells = static_cast<size_t>(rows_) * cols_;
  cell_offsets_.assign(cells + 1, 0);
  std::vector<uint32_t> cell_of(points_.size());
  for (size_t i = 0; i < points_.size(); ++i) {
    const int r = std::min(rows_ - 1, static_cast<int>((points_[i].lat - lat0_) / cell_lat_));
    const int c = std::min(cols_ - 1, static_cast<int>((points_[i].lon - lon0_) / cell_lon_));
    cell_of[i] = static_cast<uint32_t>(r) * cols_ + c;
    ++cell_offsets_[cell_of[i] + 1];
  }
  for (size_t c = 0; c < cells; ++c) cell_offsets_[c + 1] += cell_offsets_[c];
  cell_stops_.resize(points_.size());
  std::vector<uint32_t> fill(cell_offsets_.begin(), cell_offsets_.end() - 1);
  for (size_t i = 0; i < points_.size(); ++i) {
    cell_stops_[fill[cell_of[i]]++] = static_cast<StopIndex>(i);
  }
}

void StopGrid::Within(GeoPoint p, double radius_meters,
                      std::vector<std::pair<StopIndex, double>>* out) const {
  if (points_.empty() || !(radius_meters >= 0)) return;
  const double dlat = radius_meters / kMetersPerDegreeLat;
  const double cos_lat =
      std::max(0.01, std::cos(std::min(89.0, std::fabs(p.lat) + dlat) * M_PI / 180));
  const double dlon = radius_meters / (kMetersPerDegreeLat * cos_lat);
  const int r0 = std::max(0, static_cast<int>(std::floor((p.lat - dlat - lat0_) / cell_lat_)));
  const int r1 =
      std::min(rows_ - 1, static_cast<int>(std::floor((p.lat + dlat - lat0_) / cell_lat_)));
  const int c0 = std::max(0, static_cast<int>(std::floor((p.lon - dlon - lon0_) / cell_lon_)));
  const int c1 =
      std::min(cols_ - 1, static_cast<int>(std::floor((p.lon + dlon - lon0_) / cell_lon_)));
  const size_t first = out->size();
  for (int r = r0; r <= r1; ++r) {
    for (int c = c0; c <= c1; ++c) {
      const size_t cell = static_cast<size_t>(r) * cols_ + c;
      for (uint32_t k = cell_offsets_[cell]; k < cell_offsets_[cell + 1]; ++k) {
        const StopIndex s = cell_stops_[k];
        const double meters = HaversineKm(p, points_[s]) * 1000.0;
        if (meters <= radius_meters) out->emplace_back(s, meters);
      }
    }
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
}

size_t StopGrid::MemoryBytes() const {
  return cell_offsets_.capacity() * sizeof(uint32_t) + cell_stops_.capacity() * sizeof(StopIndex) +
         points_.capacity() * sizeof(GeoPoint);
}

// ---------------------------------------------------------------------------------------
// The network.

namespace {

void FillRouteSpans(const transit::Timetable& t, internal::Layout* layout) {
  layout->routes.resize(t.routes.size());
  for (size_t r = 0; r < t.routes.size(); ++r) {
    const transit::Route& route = t.routes[r];
    internal::RouteSpan& span = layout->routes[r];
    span.first_route_stop = route.first_route_stop;
    span.num_stops = route.num_stops;
    span.first_trip = route.first_trip;
    span.num_trips = route.num_trips;
    span.first_stop_time = route.first_stop_time;
    Seconds lo = kUnreachable, hi = std::numeric_limits<Seconds>::min();
    const size_t count = static_cast<size_t>(route.num_trips) * route.num_stops;
    for (size_t k = 0; k < count; ++k) {
      const Seconds d = layout->stop_times[route.first_stop_time + k].departure;
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    span.min_departure = count > 0 ? lo : 0;
    span.max_departure = count > 0 ? hi : -1;
  }
  layout->departures_by_position.resize(t.stop_times.size());
  for (const transit::Route& route : t.routes) {
    for (uint32_t k = 0; k < route.num_trips; ++k) {
      for (uint32_t i = 0; i < route.num_stops; ++i) {
        layout->departures_by_position[route.first_stop_time + i * route.num_trips + k] =
            layout->stop_times[route.first_stop_time + k * route.num_stops + i].departure;
      }
    }
  }
}

// The footpaths again in 4 bytes each (Layout::packed_footpaths) when every target and
// duration fits; otherwise none.
void PackFootpaths(size_t num_stops, internal::Layout* layout) {
  layout->packed_footpaths.clear();
  const size_t count = layout->own_footpaths.size();
  if (num_stops > (size_t{1} << (32 - internal::kPackedDurationBits))) return;
  for (const transit::Footpath& f : layout->own_footpaths) {
    if (f.duration < 0 || static_cast<uint32_t>(f.duration) > internal::kPackedDurationMask) return;
  }
  layout->packed_footpaths.resize(count);
  for (size_t k = 0; k < count; ++k) {
    const transit::Footpath& f = layout->own_footpaths[k];
    layout->packed_footpaths[k] =
        (f.to << internal::kPackedDurationBits) | static_cast<uint32_t>(f.duration);
  }
}

// The index of (x, y) along a Hilbert curve over a 2^16 x 2^16 grid.
uint64_t HilbertIndex(uint32_t x, uint32_t y) {
  uint64_t d = 0;
  for (uint32_t half = 1u << 15; half > 0; half >>= 1) {
    const uint32_t rx = (x & half) ? 1 : 0;
    const uint32_t ry = (y & half) ? 1 : 0;
    d += static_cast<uint64_t>(half) * half * ((3 * rx) ^ ry);
    if (ry == 0) {
      if (rx == 1) {
        x = (half - 1) - (x & (half - 1));
        y = (half - 1) - (y & (half - 1));
      }
      std::swap(x, y);
    }
  }
  return d;
}

// Stops ordered along a Hilbert curve over their coordinates (ties by index): the stops
// of a route and the ends of a footpath get nearby numbers, so a query's label reads and
// writes stay within few cache lines.
std::vector<StopIndex> HilbertOrder(const std::vector<transit::Stop>& stops) {
  std::vector<StopIndex> order(stops.size());
  for (size_t i = 0; i < stops.size(); ++i) order[i] = static_cast<StopIndex>(i);
  if (stops.empty()) return order;
  double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
  for (const transit::Stop& s : stops) {
    min_lat = std::min(min_lat, s.point.lat);
    max_lat = std::max(max_lat, s.point.lat);
    min_lon = std::min(min_lon, s.point.lon);
    max_lon = std::max(max_lon, s.point.lon);
  }
  const double span = std::max({max_lat - min_lat, max_lon - min_lon, 1e-9});
  auto cell = [&](double v, double lo) {
    const double c = (v - lo) / span * 65535.0;
    return static_cast<uint32_t>(std::clamp(c, 0.0, 65535.0));
  };
  std::vector<uint64_t> key(stops.size());
  for (size_t i = 0; i < stops.size(); ++i) {
    key[i] = HilbertIndex(cell(stops[i].point.lon, min_lon), cell(stops[i].point.lat, min_lat));
  }
  std::sort(order.begin(), order.end(),
            [&](StopIndex a, StopIndex b) { return key[a] != key[b] ? key[a] < key[b] : a < b; });
  return order;
}

}  // namespace

TransitNetwork::TransitNetwork(const transit::Timetable& timetable, NetworkOptions options)
    : timetable_(timetable), options_(options), grid_(timetable.stops, options.grid_cell_meters) {
  const transit::Timetable& t = timetable_;
  const size_t n = t.num_stops();
  to_external_ = HilbertOrder(t.stops);
  to_internal_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) to_internal_[to_external_[i]] = static_cast<StopIndex>(i);

  // Forward: the timetable's routes, trips, flags and stop times; stops renumbered.
  internal::Layout& f = forward_;
  f.sign = 1;
  f.own_route_stops.resize(t.route_stops.size());
  for (size_t k = 0; k < t.route_stops.size(); ++k) {
    f.own_route_stops[k] = to_internal_[t.route_stops[k]];
  }
  f.own_stop_route_offsets.assign(n + 1, 0);
  f.own_footpath_offsets.assign(n + 1, 0);
  f.own_stop_routes.reserve(t.stop_routes.size());
  f.own_footpaths.reserve(t.footpaths.size());
  for (size_t i = 0; i < n; ++i) {
    const StopIndex e = to_external_[i];
    if (!t.stop_route_offsets.empty()) {
      for (uint32_t k = t.stop_route_offsets[e]; k < t.stop_route_offsets[e + 1]; ++k) {
        f.own_stop_routes.push_back(t.stop_routes[k]);
      }
    }
    if (!t.footpath_offsets.empty()) {
      for (uint32_t k = t.footpath_offsets[e]; k < t.footpath_offsets[e + 1]; ++k) {
        f.own_footpaths.push_back({to_internal_[t.footpaths[k].to], t.footpaths[k].duration});
      }
    }
    f.own_stop_route_offsets[i + 1] = static_cast<uint32_t>(f.own_stop_routes.size());
    f.own_footpath_offsets[i + 1] = static_cast<uint32_t>(f.own_footpaths.size());
  }
  f.route_stops = f.own_route_stops.data();
  f.route_stop_flags = t.route_stop_flags.data();
  f.stop_times = t.stop_times.data();
  f.stop_route_offsets = f.own_stop_route_offsets.data();
  f.stop_routes = f.own_stop_routes.data();
  f.footpath_offsets = f.own_footpath_offsets.data();
  f.footpaths = f.own_footpaths.data();
  f.trip_service.resize(t.trips.size());
  for (size_t k = 0; k < t.trips.size(); ++k) f.trip_service[k] = t.trips[k].service;
  FillRouteSpans(t, &f);

  // Backward: time-reversed copy of the forward layout.
  internal::Layout& b = backward_;
  b.sign = -1;
  b.own_route_stops.resize(t.route_stops.size());
  b.own_route_stop_flags.resize(t.route_stop_flags.size());
  b.own_stop_times.resize(t.stop_times.size());
  b.trip_service.resize(t.trips.size());
  for (const transit::Route& route : t.routes) {
    const uint32_t ns = route.num_stops, nt = route.num_trips;
    for (uint32_t i = 0; i < ns; ++i) {
      const uint32_t o = route.first_route_stop + (ns - 1 - i);
      b.own_route_stops[route.first_route_stop + i] = f.own_route_stops[o];
      const uint8_t fl = t.route_stop_flags[o];
      b.own_route_stop_flags[route.first_route_stop + i] = static_cast<uint8_t>(
          ((fl & kNoPickup) ? kNoDropoff : 0) | ((fl & kNoDropoff) ? kNoPickup : 0));
    }
    for (uint32_t k = 0; k < nt; ++k) {
      const uint32_t ok = nt - 1 - k;
      b.trip_service[route.first_trip + k] = t.trips[route.first_trip + ok].service;
      for (uint32_t i = 0; i < ns; ++i) {
        const transit::StopTime& st = t.stop_times[route.first_stop_time + ok * ns + (ns - 1 - i)];
        b.own_stop_times[route.first_stop_time + k * ns + i] =
            transit::StopTime{-st.departure, -st.arrival};
      }
    }
  }
  b.own_stop_route_offsets = f.own_stop_route_offsets;
  b.own_stop_routes = f.own_stop_routes;
  for (transit::StopRoute& sr : b.own_stop_routes) {
    sr.position = t.routes[sr.route].num_stops - 1 - sr.position;
  }
  // Footpaths reversed: the incoming ones of each stop.
  b.own_footpath_offsets.assign(n + 1, 0);
  for (size_t s = 0; s < n; ++s) {
    for (uint32_t k = f.own_footpath_offsets[s]; k < f.own_footpath_offsets[s + 1]; ++k) {
      ++b.own_footpath_offsets[f.own_footpaths[k].to + 1];
    }
  }
  for (size_t s = 0; s < n; ++s) b.own_footpath_offsets[s + 1] += b.own_footpath_offsets[s];
  b.own_footpaths.resize(b.own_footpath_offsets[n]);
  {
    std::vector<uint32_t> fill(b.own_footpath_offsets.begin(), b.own_footpath_offsets.end() - 1);
    for (size_t s = 0; s < n; ++s) {
      for (uint32_t k = f.own_footpath_offsets[s]; k < f.own_footpath_offsets[s + 1]; ++k) {
        const transit::Footpath& fp = f.own_footpaths[k];
        b.own_footpaths[fill[fp.to]++] = transit::Footpath{static_cast<StopIndex>(s), fp.duration};
      }
    }
  }
  b.route_stops = b.own_route_stops.data();
  b.route_stop_flags = b.own_route_stop_flags.data();
  b.stop_times = b.own_stop_times.data();
  b.stop_route_offsets = b.own_stop_route_offsets.data();
  b.stop_routes = b.own_stop_routes.data();
  b.footpath_offsets = b.own_footpath_offsets.data();
  b.footpaths = b.own_footpaths.data();
  PackFootpaths(n, &f);
  PackFootpaths(n, &b);
  FillRouteSpans(t, &b);
}

std::vector<StopSeconds> TransitNetwork::AccessStops(GeoPoint p,
                                                     const AccessOptions& access) const {
  std::vector<std::pair<StopIndex, double>> near;
  grid_.Within(p, access.max_meters, &near);
  std::vector<StopSeconds> out;
  out.reserve(near.size());
  for (const auto& [stop, meters] : near) out.push_back({stop, access.SecondsFor(meters)});
  return out;
}

size_t TransitNetwork::MemoryBytes() const {
  auto layout_bytes = [](const internal::Layout& l) {
    return l.routes.capacity() * sizeof(internal::RouteSpan) +
           l.trip_service.capacity() * sizeof(transit::ServiceIndex) +
           l.departures_by_position.capacity() * sizeof(Seconds) +
           l.own_route_stops.capacity() * sizeof(StopIndex) + l.own_route_stop_flags.capacity() +
           l.own_stop_times.capacity() * sizeof(transit::StopTime) +
           l.own_stop_route_offsets.capacity() * sizeof(uint32_t) +
           l.own_stop_routes.capacity() * sizeof(transit::StopRoute) +
           l.own_footpath_offsets.capacity() * sizeof(uint32_t) +
           l.own_footpaths.capacity() * sizeof(transit::Footpath) +
           l.packed_footpaths.capacity() * sizeof(uint32_t);
  };
  return sizeof(*this) + grid_.MemoryBytes() + layout_bytes(forward_) + layout_bytes(backward_) +
         (to_internal_.capacity() + to_external_.capacity()) * sizeof(StopIndex);
}

// ---------------------------------------------------------------------------------------
// Journeys.

std::string DescribeJourney(const Journey& journey, const transit::Timetable& timetable) {
  auto stop_name = [&](StopIndex s, const char* point) -> std::string {
    if (s == kNoStop || s >= timetable.stops.size()) return point;
    return timetable.stops[s].name;
  };
  std::string out;
  for (const Leg& leg : journey.legs) {
    if (!out.empty()) out += "; ";
    const char* how = leg.access_mode == AccessMode::kBike ? "cycle" : "walk";
    switch (leg.kind) {
      case LegKind::kAccess:
        absl::StrAppend(&out, how, " ", Minutes(leg.arrival - leg.departure), " to ",
                        stop_name(leg.to_stop, "the stop"));
        break;
      case LegKind::kTransfer:
        absl::StrAppend(&out, "walk ", Minutes(leg.arrival - leg.departure), " to ",
                        stop_name(leg.to_stop, "the stop"));
        break;
      case LegKind::kEgress:
        absl::StrAppend(&out, how, " ", Minutes(leg.arrival - leg.departure),
                        " to the destination");
        break;
      case LegKind::kDirect:
        absl::StrAppend(&out, how, " ", Minutes(leg.arrival - leg.departure),
                        " to the destination, leaving at ", FormatClock(leg.departure));
        break;
      case LegKind::kRide:
        absl::StrAppend(&out, ModeName(leg.mode), " ", leg.route_short_name, " at ",
                        FormatClock(leg.departure), " from ", stop_name(leg.from_stop, "?"));
        if (!leg.headsign.empty()) absl::StrAppend(&out, " (to ", leg.headsign, ")");
        absl::StrAppend(&out, ", arrives ", FormatClock(leg.arrival), " at ",
                        stop_name(leg.to_stop, "?"));
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Router: state.

Router::Router(const TransitNetwork& network) : network_(network) {
  num_stops_ = network.timetable().num_stops();
  const size_t words = (num_stops_ + 63) / 64;
  best_.assign(num_stops_, BestLabel{kUnreachable, kUnreachable});
  best_ride_.assign(num_stops_, kUnreachable);
  foot_key_.assign(num_stops_, kUnreachable);
  round_bits_.assign(num_stops_, 0);
  egress_of_.assign(num_stops_, kUnreachable);
  marked_.assign(words, 0);
  next_marked_.assign(words, 0);
  ride_marked_.assign(words, 0);
  ride_of_.assign(num_stops_, 0);
  route_first_pos_.assign(network.timetable().num_routes(), UINT32_MAX);
  route_queue_.reserve(network.timetable().num_routes());
  for (auto& a : service_active_) a.assign(network.timetable().services.size(), 0);
}

size_t Router::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  bytes += labels_.capacity() * sizeof(RoundLabel) + best_.capacity() * sizeof(BestLabel);
  bytes += (best_ride_.capacity() + foot_key_.capacity()) * sizeof(Seconds) +
           round_bits_.capacity() * sizeof(uint32_t);
  bytes += (range_ride_.capacity() + egress_of_.capacity()) * sizeof(Seconds);
  bytes +=
      (marked_.capacity() + next_marked_.capacity() + ride_marked_.capacity()) * sizeof(uint64_t);
  bytes += touched_list_.capacity() * sizeof(StopIndex) + ride_of_.capacity() * sizeof(uint32_t);
  bytes += rides_.capacity() * sizeof(Ride);
  bytes +=
      route_first_pos_.capacity() * sizeof(uint32_t) + route_queue_.capacity() * sizeof(RouteIndex);
  for (const auto& a : service_active_) bytes += a.capacity();
  bytes += range_departures_.capacity() * sizeof(Seconds);
  return bytes;
}

void Router::ResetLabels() {
  constexpr BestLabel kClear{kUnreachable, kUnreachable};
  if (touched_list_.size() * 8 > num_stops_) {
    // Many stops: clearing whole arrays in order beats scattered writes per stop.
    std::fill(best_.begin(), best_.end(), kClear);
    std::fill(best_ride_.begin(), best_ride_.end(), kUnreachable);
    std::fill(foot_key_.begin(), foot_key_.end(), kUnreachable);
    std::fill(round_bits_.begin(), round_bits_.end(), 0);
  } else {
    for (StopIndex s : touched_list_) {
      best_[s] = kClear;
      best_ride_[s] = kUnreachable;
      foot_key_[s] = kUnreachable;
      round_bits_[s] = 0;
    }
  }
  // The round labels are not cleared: outside range queries only the stops' `rounds`
  // bits and the marked bitsets (a boarding label is read only where its stop was marked)
  // say which hold; range queries clear them in Prepare.
  touched_list_.clear();
  for (const StopSeconds& t : targets_) egress_of_[t.stop] = kUnreachable;
  targets_.clear();
  std::fill(next_marked_.begin(), next_marked_.end(), 0);
  std::fill(marked_.begin(), marked_.end(), 0);
  std::fill(ride_marked_.begin(), ride_marked_.end(), 0);
  rides_.clear();
}

void Router::Prepare(const internal::Layout& layout, Day date, int max_transfers, bool range) {
  ResetLabels();
  layout_ = &layout;
  date_ = date;
  range_ = range;
  rounds_ = std::clamp(max_transfers, 0, kMaxTransfers) + 2;
  if (rounds_ > allocated_rounds_) {
    labels_.resize(static_cast<size_t>(rounds_) * num_stops_);
    allocated_rounds_ = rounds_;
  }
  if (range) {
    // Range queries read labels of every round unconditionally (a round's label is the
    // best with at most that many rides, kept across runs).
    const size_t len = static_cast<size_t>(rounds_) * num_stops_;
    std::fill(labels_.begin(), labels_.begin() + static_cast<std::ptrdiff_t>(len),
              RoundLabel{kUnreachable, kUnreachable, 0, 0});
    range_ride_.assign(len, kUnreachable);
  }
  target_bound_ = kUnreachable;
  point_valid_ = false;
  ActivateServices(date);
}

void Router::ActivateServices(Day date) {
  if (date == services_date_) return;
  const auto& services = network_.timetable().services;
  for (int o = 0; o < 3; ++o) {
    for (size_t i = 0; i < services.size(); ++i) {
      service_active_[o][i] = services[i].RunsOn(date + o - 1) ? 1 : 0;
    }
  }
  services_date_ = date;
}

void Router::SetTargets(const std::vector<StopSeconds>& targets) {
  for (const StopSeconds& t : targets) {
    if (t.stop >= num_stops_) continue;
    const StopIndex s = network_.ToInternal(t.stop);
    if (egress_of_[s] == kUnreachable) targets_.push_back({s, t.seconds});
    egress_of_[s] = std::min(egress_of_[s], t.seconds);
  }
}

// Both Improve functions are forced inline: called about 100 000 times per one-to-all
// query from the scans and the footpath relaxation, the calls cost about a tenth of the
// query's instructions.
template <bool kRange>
inline __attribute__((always_inline)) bool Router::ImproveArrival(uint32_t round, StopIndex s,
                                                                  Seconds t, ParentRef parent) {
  const size_t n = num_stops_;
  BestLabel& best = best_[s];
  if constexpr (kRange) {
    RoundLabel* l = labels_.data() + s;
    if (t >= l[round * n].arr) return false;
    // Labels of round k hold the best with at most k rides (round 0, walking, stands
    // apart so that the range's answers have rides).
    const uint32_t last = round == 0 ? 1 : static_cast<uint32_t>(rounds_);
    for (uint32_t k = round; k < last; ++k) {
      if (t >= l[k * n].arr) break;
      l[k * n].arr = t;
      l[k * n].arr_parent = parent;
    }
    best.arr = std::min(best.arr, t);
  } else {
    if (t >= best.arr) return false;
    RoundLabel& l = labels_[round * n + s];
    l.arr = t;
    l.arr_parent = parent;
    best.arr = t;
    foot_key_[s] = std::max(t, best.board);
  }
  round_bits_[s] |= uint32_t{1} << round;
  Touch(s);
  if (!targets_.empty() && !(kRange && round == 0)) {
    const Seconds e = egress_of_[s];
    if (e != kUnreachable) {
      target_bound_ = std::min(target_bound_, SaturatingAdd(t, e));
      limit_ = std::min(limit_, target_bound_);
    }
  }
  return true;
}

template <bool kRange>
inline __attribute__((always_inline)) bool Router::ImproveBoard(uint32_t round, StopIndex s,
                                                                Seconds t, ParentRef parent) {
  const size_t n = num_stops_;
  BestLabel& best = best_[s];
  if constexpr (kRange) {
    RoundLabel* l = labels_.data() + s;
    if (t >= l[round * n].board) return false;
    const uint32_t last = round == 0 ? 1 : static_cast<uint32_t>(rounds_);
    for (uint32_t k = round; k < last; ++k) {
      if (t >= l[k * n].board) break;
      l[k * n].board = t;
      l[k * n].board_parent = parent;
    }
    best.board = std::min(best.board, t);
  } else {
    if (t >= best.board) return false;
    RoundLabel& l = labels_[round * n + s];
    l.board = t;
    l.board_parent = parent;
    best.board = t;
    foot_key_[s] = std::max(best.arr, t);
  }
  Touch(s);
  SetBit(&next_marked_, s);
  return true;
}

void Router::InitSources(const std::vector<StopSeconds>& sources) {
  const internal::Layout& L = *layout_;
  min_source_time_ = kUnreachable;
  for (const StopSeconds& src : sources) min_source_time_ = std::min(min_source_time_, src.seconds);
  limit_ = std::min(target_bound_, SaturatingAdd(min_source_time_, horizon_));
  auto improve = [&](StopIndex s, Seconds t, ParentRef p) {
    if (t >= limit_) return;
    if (range_) {
      ImproveArrival<true>(0, s, t, p);
      if (t < limit_) ImproveBoard<true>(0, s, t, p);
    } else {
      ImproveArrival<false>(0, s, t, p);
      if (t < limit_) ImproveBoard<false>(0, s, t, p);
    }
  };
  for (const StopSeconds& src : sources) {
    if (src.stop >= num_stops_) continue;
    improve(network_.ToInternal(src.stop), src.seconds, MakeRef(kSource, 0));
  }
  for (const StopSeconds& src : sources) {
    if (src.stop >= num_stops_) continue;
    const StopIndex s = network_.ToInternal(src.stop);
    for (uint32_t k = L.footpath_offsets[s]; k < L.footpath_offsets[s + 1]; ++k) {
      const transit::Footpath& f = L.footpaths[k];
      improve(f.to, SaturatingAdd(src.seconds, f.duration), MakeRef(kSourceWalk, s));
    }
  }
}

template <bool kRange>
void Router::ScanRoute(uint32_t round, RouteIndex r, uint32_t first_pos, int day_offset) {
  const internal::Layout& L = *layout_;
  const internal::RouteSpan& R = L.routes[r];
  const Seconds shift = L.sign * day_offset * kSecondsPerDay;
  const uint8_t* active = service_active_[day_offset + 1].data();
  const StopIndex* stops = L.route_stops + R.first_route_stop;
  const uint8_t* flags = L.route_stop_flags + R.first_route_stop;
  const transit::StopTime* rows = L.stop_times + R.first_stop_time;
  const Seconds* departures = L.departures_by_position.data() + R.first_stop_time;
  const uint32_t nt = R.num_trips;
  const transit::ServiceIndex* trip_service = L.trip_service.data() + R.first_trip;
  const uint32_t n = R.num_stops;
  const RoundLabel* prev = labels_.data() + (round - 1) * num_stops_;
  const Seconds mtt = network_.options().min_transfer_seconds;
  // Range queries prune a ride's arrival against the best ride with at most this many
  // rides; single runs against the best of all rounds.
  Seconds* range_ride = kRange ? range_ride_.data() + round * num_stops_ : nullptr;

  int64_t trip = -1;
  const transit::StopTime* row = nullptr;  // the current trip's times (by position)
  // The running trip just before the current one (kNoTrip: none). Every running trip
  // before it leaves no later at any position.
  constexpr uint32_t kNoTrip = UINT32_MAX;
  uint32_t prev_running = kNoTrip;
  const transit::StopTime* prev_row = nullptr;  // its times (by position)
  // The running trip before trip k (kNoTrip: none).
  auto running_before = [&](uint32_t k) {
    while (k > 0 && !active[trip_service[k - 1]]) --k;
    return k > 0 ? k - 1 : kNoTrip;
  };
  Ride ride;
  ride.route = r;
  ride.round = static_cast<uint8_t>(round);
  ride.day_offset = static_cast<int8_t>(day_offset);
  for (uint32_t i = first_pos; i < n; ++i) {
    const StopIndex s = stops[i];
    const uint8_t f = flags[i];
    if (trip >= 0 && !(f & kNoDropoff)) {
      const Seconds a = row[i].arrival + shift;
      if (a < limit_ && (kRange ? a < range_ride[s] : a < best_ride_[s])) {
        // A ride's arrival is kept apart from arrivals on foot: only it may walk on.
        if constexpr (kRange) {
          range_ride[s] = a;
          best_ride_[s] = std::min(best_ride_[s], a);
          for (uint32_t k = round + 1; k < static_cast<uint32_t>(rounds_); ++k) {
            Seconds& later = range_ride_[k * num_stops_ + s];
            if (a >= later) break;
            later = a;
          }
        } else {
          best_ride_[s] = a;
        }
        Touch(s);
        ride.alight_pos = i;
        const uint32_t id = AddRide(ride);
        const ParentRef p = MakeRef(kRide, id);
        ImproveArrival<kRange>(round, s, a, p);
        const Seconds b = SaturatingAdd(a, mtt);
        if (b < limit_) ImproveBoard<kRange>(round, s, b, p);
        ride_of_[s] = id;
        SetBit(&ride_marked_, s);
      }
    }
    if (f & kNoPickup) continue;
    // Only stops marked in the previous round have a boarding label of that round (the
    // bitset is far smaller than the labels, so test it first).
    if (!TestBit(marked_, s)) continue;
    const Seconds b = prev[s].board;
    if (b == kUnreachable) continue;
    const Seconds* column = departures + static_cast<size_t>(i) * nt;
    const int64_t want = static_cast<int64_t>(b) - shift;
    // The earliest running trip that leaves stop i at or after b, if it is earlier than
    // the current one.
    uint32_t lo = 0;
    if (trip >= 0) {
      if (prev_running == kNoTrip) continue;
      const int64_t dep = row[i].departure;
      if (want > dep) continue;
      // Its row is read along the positions like the current trip's (one cache line per
      // eight positions; the column would cost one per position).
      if (prev_row[i].departure < want) continue;
      // Walk back over a few running trips (RAPTOR's trick), then binary search.
      lo = prev_running;
      int steps = 3;
      for (; steps > 0; --steps) {
        const uint32_t before = running_before(lo);
        if (before == kNoTrip || column[before] < want) break;
        lo = before;
      }
      if (steps == 0) {
        uint32_t first = 0, len = lo;
        while (len > 0) {
          const uint32_t half = len / 2;
          if (column[first + half] < want) {
            first += half + 1;
            len -= half + 1;
          } else {
            len = half;
          }
        }
        while (first < lo && !active[trip_service[first]]) ++first;
        lo = first;
      }
    } else {
      uint32_t len = nt;
      while (len > 0) {
        const uint32_t half = len / 2;
        if (column[lo + half] < want) {
          lo += half + 1;
          len -= half + 1;
        } else {
          len = half;
        }
      }
      while (lo < nt && !active[trip_service[lo]]) ++lo;
      if (lo == nt) continue;
    }
    trip = lo;
    prev_running = running_before(lo);
    row = rows + static_cast<size_t>(lo) * n;
    prev_row = prev_running != kNoTrip ? rows + static_cast<size_t>(prev_running) * n : nullptr;
    // The rest of both rows is read next: fetch their cache lines at once.
    for (uint32_t k = i; k < n; k += 8) {
      __builtin_prefetch(row + k);
      if (prev_row != nullptr) __builtin_prefetch(prev_row + k);
    }
    ride.board = R.first_stop_time + static_cast<uint32_t>(lo) * n + i;
  }
}

template <bool kRange>
void Router::RelaxFootpaths(uint32_t round) {
  if (layout_->packed_footpaths.empty()) {
    RelaxFootpathsOf<kRange, false>(round);
  } else {
    RelaxFootpathsOf<kRange, true>(round);
  }
}

template <bool kRange, bool kPacked>
void Router::RelaxFootpathsOf(uint32_t round) {
  const internal::Layout& L = *layout_;
  const size_t n = num_stops_;
  const RoundLabel* keys = labels_.data() + round * n;
  const uint32_t* offsets = L.footpath_offsets;
  const transit::Footpath* footpaths = L.footpaths;
  const uint32_t* packed = L.packed_footpaths.data();
  const Seconds* foot_key = foot_key_.data();
  // In stop order: the footpaths are read front to back, and their ends (numbered by
  // place) are near each other. Ties between equally good walks go to the lowest stop
  // (internal numbering).
  for (size_t w = 0; w < ride_marked_.size(); ++w) {
    uint64_t bits = ride_marked_[w];
    if (bits == 0) continue;
    ride_marked_[w] = 0;
    // Fetch these stops' footpaths first, so that their misses overlap.
    for (uint64_t ahead = bits; ahead != 0; ahead &= ahead - 1) {
      const StopIndex s = static_cast<StopIndex>(w * 64 + __builtin_ctzll(ahead));
      const char* first = kPacked ? reinterpret_cast<const char*>(packed + offsets[s])
                                  : reinterpret_cast<const char*>(footpaths + offsets[s]);
      const char* last = kPacked ? reinterpret_cast<const char*>(packed + offsets[s + 1])
                                 : reinterpret_cast<const char*>(footpaths + offsets[s + 1]);
      for (const char* line = first; line < last; line += 64) __builtin_prefetch(line);
    }
    while (bits != 0) {
      const StopIndex s = static_cast<StopIndex>(w * 64 + __builtin_ctzll(bits));
      bits &= bits - 1;
      // Its ride arrival of this round (the latest improvement), below limit_.
      const int64_t a = kRange ? range_ride_[round * n + s] : best_ride_[s];
      const ParentRef p = MakeRef(kRideWalk, ride_of_[s]);
      int64_t limit = limit_;
      const uint32_t end = offsets[s + 1];
      if constexpr (kPacked && !kRange) {
        // Most footpaths improve nothing: test them in blocks (eight at a time where the
        // CPU has AVX2), then relax the candidates in order, each tested again (an
        // improvement may have lowered the limit).
        for (uint32_t k0 = offsets[s]; k0 < end; k0 += 64) {
          const uint32_t count = std::min<uint32_t>(64, end - k0);
          uint64_t mask;
#if CARVEMATCH_ROUTING_X86
          static const bool avx2 = UseAvx2();
          if (avx2 && a <= std::numeric_limits<int32_t>::max() -
                               static_cast<int64_t>(internal::kPackedDurationMask)) {
            mask = WalkCandidatesAvx2(packed + k0, count, static_cast<int32_t>(a),
                                      static_cast<int32_t>(limit), foot_key);
          } else {
            mask = WalkCandidatesScalar(packed + k0, count, a, limit, foot_key);
          }
#else
          mask = WalkCandidatesScalar(packed + k0, count, a, limit, foot_key);
#endif
          for (; mask != 0; mask &= mask - 1) {
            const uint32_t k = k0 + static_cast<uint32_t>(__builtin_ctzll(mask));
            const StopIndex to = packed[k] >> internal::kPackedDurationBits;
            const int64_t t = a + (packed[k] & internal::kPackedDurationMask);
            if (t >= limit_ || t >= foot_key[to]) continue;
            const Seconds time = static_cast<Seconds>(t);
            ImproveArrival<kRange>(round, to, time, p);
            if (time < limit_) ImproveBoard<kRange>(round, to, time, p);
          }
        }
        continue;
      }
      for (uint32_t k = offsets[s]; k < end; ++k) {
        StopIndex to;
        int64_t t;
        if constexpr (kPacked) {
          to = packed[k] >> internal::kPackedDurationBits;
          t = a + (packed[k] & internal::kPackedDurationMask);
        } else {
          to = footpaths[k].to;
          t = a + footpaths[k].duration;
        }
        if (t >= limit) continue;
        if constexpr (kRange) {
          if (t >= keys[to].arr && t >= keys[to].board) continue;
        } else {
          // (Below the larger of the two best labels: it improves one of them.)
          if (t >= foot_key[to]) continue;
        }
        const Seconds time = static_cast<Seconds>(t);
        ImproveArrival<kRange>(round, to, time, p);
        // (Reaching a target may have lowered the limit.)
        limit = limit_;
        if (t < limit) ImproveBoard<kRange>(round, to, time, p);
      }
    }
  }
}

void Router::RunRounds() {
  if (range_) {
    RunRoundsImpl<true>();
  } else {
    RunRoundsImpl<false>();
  }
}

template <bool kRange>
void Router::RunRoundsImpl() {
  const internal::Layout& L = *layout_;
  const size_t words = marked_.size();
  for (int round = 1; round < rounds_; ++round) {
    marked_.swap(next_marked_);
    bool any = false;
    // Routes are queued in the order of the marked stops (internal numbering).
    for (size_t w = 0; w < words; ++w) {
      uint64_t bits = marked_[w];
      if (bits == 0) continue;
      any = true;
      while (bits != 0) {
        const StopIndex s = static_cast<StopIndex>(w * 64 + __builtin_ctzll(bits));
        bits &= bits - 1;
        for (uint32_t k = L.stop_route_offsets[s]; k < L.stop_route_offsets[s + 1]; ++k) {
          // (A position without pickup is skipped by the scan itself: looking its flag
          // up here would cost a cache miss per pair.)
          const transit::StopRoute& sr = L.stop_routes[k];
          uint32_t& pos = route_first_pos_[sr.route];
          if (pos == UINT32_MAX) route_queue_.push_back(sr.route);
          pos = std::min(pos, sr.position);
        }
      }
    }
    if (!any) break;
    // Which service days can matter: trips whose shifted departures meet
    // [min_source_time_, min_source_time_ + horizon_).
    const int64_t window_lo = min_source_time_;
    const int64_t window_hi = std::min<int64_t>(static_cast<int64_t>(min_source_time_) + horizon_,
                                                static_cast<int64_t>(target_bound_));
    for (size_t q = 0; q < route_queue_.size(); ++q) {
      const RouteIndex r = route_queue_[q];
      if (q + 4 < route_queue_.size()) {
        // A route four places on in the queue (far enough for the fetches to arrive in
        // time): its stops and flags from its first marked position.
        const RouteIndex next = route_queue_[q + 4];
        const internal::RouteSpan& N = L.routes[next];
        const uint32_t at = N.first_route_stop + route_first_pos_[next];
        __builtin_prefetch(L.route_stops + at);
        __builtin_prefetch(L.route_stop_flags + at);
        // Its first boarding binary searches the departures at that position.
        const Seconds* col = L.departures_by_position.data() + N.first_stop_time +
                             static_cast<size_t>(route_first_pos_[next]) * N.num_trips;
        for (uint32_t k = 0; k < N.num_trips && k < 128; k += 16) __builtin_prefetch(col + k);
      }
      const internal::RouteSpan& R = L.routes[r];
      for (int o = -1; o <= 1; ++o) {
        const int64_t shift = static_cast<int64_t>(L.sign) * o * kSecondsPerDay;
        if (R.max_departure + shift < window_lo || R.min_departure + shift >= window_hi) continue;
        ScanRoute<kRange>(static_cast<uint32_t>(round), r, route_first_pos_[r], o);
      }
      route_first_pos_[r] = UINT32_MAX;
    }
    route_queue_.clear();
    std::fill(marked_.begin(), marked_.end(), 0);
    RelaxFootpaths<kRange>(static_cast<uint32_t>(round));
  }
  std::fill(next_marked_.begin(), next_marked_.end(), 0);
}

// ---------------------------------------------------------------------------------------
// Router: stop-level queries.

void Router::EarliestArrivalFromStops(Day date, const std::vector<StopSeconds>& sources,
                                      int max_transfers, const std::vector<StopSeconds>& targets) {
  Prepare(network_.forward(), date, max_transfers, /*range=*/false);
  SetTargets(targets);
  InitSources(sources);
  RunRounds();
}

void Router::LatestDepartureToStops(Day date, const std::vector<StopSeconds>& targets,
                                    int max_transfers, const std::vector<StopSeconds>& sources) {
  Prepare(network_.backward(), date, max_transfers, /*range=*/false);
  SetTargets(sources);
  std::vector<StopSeconds>& negated = egress_buffer_;
  negated.clear();
  for (const StopSeconds& t : targets) {
    if (t.seconds == kNoDeparture) continue;
    negated.push_back({t.stop, -t.seconds});
  }
  InitSources(negated);
  RunRounds();
}

Seconds Router::LayoutArrival(StopIndex stop, int rounds) const {
  if (layout_ == nullptr || stop >= num_stops_) return kUnreachable;
  const StopIndex s = network_.ToInternal(stop);
  rounds = std::min(rounds, rounds_);
  if (range_) return rounds <= 0 ? kUnreachable : labels_[(rounds - 1) * num_stops_ + s].arr;
  if (rounds >= rounds_) return best_[s].arr;
  Seconds best = kUnreachable;
  const uint32_t written = round_bits_[s];
  for (int k = 0; k < rounds; ++k) {
    if (written & (uint32_t{1} << k)) best = std::min(best, labels_[k * num_stops_ + s].arr);
  }
  return best;
}

Seconds Router::ArrivalAt(StopIndex stop) const {
  if (layout_ != &network_.forward()) return kUnreachable;
  return LayoutArrival(stop, rounds_);
}

Seconds Router::ArrivalAt(StopIndex stop, int max_transfers) const {
  if (layout_ != &network_.forward()) return kUnreachable;
  return LayoutArrival(stop, max_transfers + 2);
}

Seconds Router::DepartureFrom(StopIndex stop) const {
  if (layout_ != &network_.backward()) return kNoDeparture;
  const Seconds t = LayoutArrival(stop, rounds_);
  return t == kUnreachable ? kNoDeparture : -t;
}

Seconds Router::DepartureFrom(StopIndex stop, int max_transfers) const {
  if (layout_ != &network_.backward()) return kNoDeparture;
  const Seconds t = LayoutArrival(stop, max_transfers + 2);
  return t == kUnreachable ? kNoDeparture : -t;
}

Seconds Router::FootpathSeconds(StopIndex from, StopIndex to) const {
  const transit::Timetable& t = network_.timetable();
  for (uint32_t k = t.footpath_offsets[from]; k < t.footpath_offsets[from + 1]; ++k) {
    if (t.footpaths[k].to == to) return t.footpaths[k].duration;
  }
  return 0;
}

bool Router::CollectLegs(StopIndex stop, std::vector<RawLeg>* legs, StopIndex* source_stop) const {
  legs->clear();
  if (layout_ == nullptr || stop >= num_stops_) return false;
  const size_t n = num_stops_;
  const Seconds best = LayoutArrival(stop, rounds_);
  if (best == kUnreachable) return false;
  stop = network_.ToInternal(stop);
  int round = range_ ? rounds_ - 1 : 0;
  if (!range_) {
    const uint32_t written = round_bits_[stop];
    while (round < rounds_ &&
           !((written & (uint32_t{1} << round)) && labels_[round * n + stop].arr == best)) {
      ++round;
    }
    if (round == rounds_) return false;
  }
  const internal::Layout& L = *layout_;
  const transit::Timetable& tt = network_.timetable();
  const bool forward = L.sign > 0;
  // Walks and rides in layout order, from `stop` back to the search's source.
  std::vector<RawLeg> found;
  ParentRef p = labels_[round * n + stop].arr_parent;
  StopIndex at = stop;
  for (int guard = 0; guard < 4 * kMaxTransfers + 8; ++guard) {
    const ParentKind kind = KindOf(p);
    if (kind == kNone) return false;
    if (kind == kSource) break;
    if (kind == kSourceWalk) {
      RawLeg w;
      w.from = p & kPayloadMask;
      w.to = at;
      found.push_back(w);
      at = w.from;
      break;
    }
    const Ride& r = rides_[p & kPayloadMask];
    const internal::RouteSpan& R = L.routes[r.route];
    const uint32_t trip = (r.board - R.first_stop_time) / R.num_stops;
    const uint32_t board_pos = (r.board - R.first_stop_time) % R.num_stops;
    const StopIndex board_stop = L.route_stops[R.first_route_stop + board_pos];
    const StopIndex alight_stop = L.route_stops[R.first_route_stop + r.alight_pos];
    if (kind == kRideWalk) {
      RawLeg w;
      w.from = alight_stop;
      w.to = at;
      found.push_back(w);
    }
    RawLeg ride;
    ride.ride = true;
    ride.route = r.route;
    ride.day_offset = r.day_offset;
    if (forward) {
      ride.trip = R.first_trip + trip;
      ride.board_pos = board_pos;
      ride.alight_pos = r.alight_pos;
    } else {
      ride.trip = R.first_trip + (R.num_trips - 1 - trip);
      ride.board_pos = R.num_stops - 1 - r.alight_pos;
      ride.alight_pos = R.num_stops - 1 - board_pos;
    }
    ride.from = board_stop;
    ride.to = alight_stop;
    found.push_back(ride);
    at = board_stop;
    if (r.round == 0) return false;
    p = labels_[(r.round - 1) * n + at].board_parent;
  }
  *source_stop = network_.ToExternal(at);
  // Into the timetable's direction: forward searches found them destination-first.
  if (forward) std::reverse(found.begin(), found.end());
  for (RawLeg& leg : found) {
    if (leg.ride) {
      const transit::Route& route = tt.routes[leg.route];
      leg.from = tt.route_stops[route.first_route_stop + leg.board_pos];
      leg.to = tt.route_stops[route.first_route_stop + leg.alight_pos];
    } else {
      leg.from = network_.ToExternal(leg.from);
      leg.to = network_.ToExternal(leg.to);
      if (!forward) std::swap(leg.from, leg.to);
      leg.walk_seconds = FootpathSeconds(leg.from, leg.to);
    }
  }
  *legs = std::move(found);
  return true;
}

Journey Router::MakeJourney(const std::vector<RawLeg>& raw, Seconds access_seconds,
                            Seconds egress_seconds, const AccessOptions& access,
                            const AccessOptions& egress, bool point_from, bool point_to,
                            bool forward, Seconds anchor) const {
  const transit::Timetable& tt = network_.timetable();
  Journey j;
  std::vector<Leg>& legs = j.legs;
  if (point_from) {
    Leg a;
    a.kind = LegKind::kAccess;
    a.access_mode = access.mode;
    a.to_stop = raw.empty() ? kNoStop : raw.front().from;
    a.arrival = access_seconds;  // duration for now
    legs.push_back(a);
  }
  for (const RawLeg& r : raw) {
    Leg leg;
    if (r.ride) {
      leg.kind = LegKind::kRide;
      const transit::TripInfo& info = tt.trips[r.trip];
      const transit::Route& route = tt.routes[r.route];
      const uint32_t k = r.trip - route.first_trip;
      const Seconds shift = r.day_offset * kSecondsPerDay;
      leg.departure = tt.At(r.route, k, r.board_pos).departure + shift;
      leg.arrival = tt.At(r.route, k, r.alight_pos).arrival + shift;
      leg.trip = r.trip;
      leg.day_offset = r.day_offset;
      leg.route_short_name = info.short_name;
      leg.mode = info.mode;
      leg.headsign = info.headsign;
      ++j.rides;
    } else {
      leg.kind = LegKind::kTransfer;
      leg.arrival = r.walk_seconds;
    }
    leg.from_stop = r.from;
    leg.to_stop = r.to;
    legs.push_back(leg);
  }
  if (point_to) {
    Leg e;
    e.kind = LegKind::kEgress;
    e.access_mode = egress.mode;
    e.from_stop = raw.empty() ? kNoStop : raw.back().to;
    e.arrival = egress_seconds;
    legs.push_back(e);
  }
  // Times: walks before the first ride end at its departure; others start at the
  // previous leg's arrival; without rides everything hangs on the anchor.
  size_t first_ride = legs.size();
  for (size_t i = 0; i < legs.size(); ++i) {
    if (legs[i].kind == LegKind::kRide) {
      first_ride = i;
      break;
    }
  }
  if (first_ride == legs.size()) {
    Seconds total = 0;
    for (const Leg& l : legs) total += l.arrival;
    Seconds t = forward ? anchor : anchor - total;
    for (Leg& l : legs) {
      const Seconds d = l.arrival;
      l.departure = t;
      l.arrival = t + d;
      t = l.arrival;
    }
  } else {
    Seconds t = legs[first_ride].departure;
    for (size_t i = first_ride; i-- > 0;) {
      const Seconds d = legs[i].arrival;
      legs[i].arrival = t;
      legs[i].departure = t - d;
      t = legs[i].departure;
    }
    t = legs[first_ride].arrival;
    for (size_t i = first_ride + 1; i < legs.size(); ++i) {
      if (legs[i].kind == LegKind::kRide) {
        t = legs[i].arrival;
        continue;
      }
      const Seconds d = legs[i].arrival;
      legs[i].departure = t;
      legs[i].arrival = t + d;
      t = legs[i].arrival;
    }
  }
  // A zero-length access or egress (the point is at the stop) is kept: it names the stop.
  if (!legs.empty()) {
    j.departure = legs.front().departure;
    j.arrival = legs.back().arrival;
  } else {
    j.departure = j.arrival = anchor;
  }
  return j;
}

Journey Router::DirectJourney(const AccessOptions& mode, Seconds departure, Seconds seconds) const {
  Journey j;
  Leg leg;
  leg.kind = LegKind::kDirect;
  leg.access_mode = mode.mode;
  leg.departure = departure;
  leg.arrival = departure + seconds;
  j.legs.push_back(leg);
  j.departure = leg.departure;
  j.arrival = leg.arrival;
  return j;
}

std::optional<Journey> Router::JourneyToStop(StopIndex stop) const {
  if (layout_ != &network_.forward()) return std::nullopt;
  std::vector<RawLeg> raw;
  StopIndex source = 0;
  if (!CollectLegs(stop, &raw, &source)) return std::nullopt;
  // Without rides the walk ends at the stop's label (hung backwards from it).
  return MakeJourney(raw, 0, 0, AccessOptions{}, AccessOptions{}, false, false,
                     /*forward=*/false, ArrivalAt(stop));
}

std::optional<Journey> Router::JourneyFromStop(StopIndex stop) const {
  if (layout_ != &network_.backward()) return std::nullopt;
  std::vector<RawLeg> raw;
  StopIndex source = 0;
  if (!CollectLegs(stop, &raw, &source)) return std::nullopt;
  return MakeJourney(raw, 0, 0, AccessOptions{}, AccessOptions{}, false, false,
                     /*forward=*/true, DepartureFrom(stop));
}

// ---------------------------------------------------------------------------------------
// Router: points.

void Router::FindAccess(GeoPoint p, const AccessOptions& options, std::vector<StopSeconds>* out) {
  out->clear();
  near_buffer_.clear();
  network_.grid().Within(p, options.max_meters, &near_buffer_);
  for (const auto& [stop, meters] : near_buffer_) {
    out->push_back({stop, options.SecondsFor(meters)});
  }
}

Seconds Router::SecondsOf(const std::vector<StopSeconds>& sorted, StopIndex stop) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), stop,
                             [](const StopSeconds& a, StopIndex s) { return a.stop < s; });
  return it != sorted.end() && it->stop == stop ? it->seconds : kUnreachable;
}

namespace {
// Seconds of a direct trip with `mode`, or kUnreachable beyond its radius.
Seconds DirectSeconds(GeoPoint a, GeoPoint b, const AccessOptions& mode) {
  const double meters = HaversineKm(a, b) * 1000.0;
  if (meters > mode.max_meters) return kUnreachable;
  return mode.SecondsFor(meters);
}
}  // namespace

void Router::EarliestArrivalsFrom(GeoPoint from, Day date, Seconds departure,
                                  const AccessOptions& access, int max_transfers) {
  FindAccess(from, access, &access_buffer_);
  std::vector<StopSeconds> sources;
  sources.reserve(access_buffer_.size());
  for (const StopSeconds& a : access_buffer_) {
    sources.push_back({a.stop, SaturatingAdd(departure, a.seconds)});
  }
  Prepare(network_.forward(), date, max_transfers, false);
  InitSources(sources);
  RunRounds();
  point_ = from;
  point_time_ = departure;
  point_access_ = access;
  point_valid_ = true;
}

Seconds Router::ArrivalAtPoint(GeoPoint to, const AccessOptions& egress, bool allow_direct) {
  if (!point_valid_ || layout_ != &network_.forward()) return kUnreachable;
  Seconds best = kUnreachable;
  if (allow_direct) {
    best = SaturatingAdd(point_time_, DirectSeconds(point_, to, point_access_));
  }
  FindAccess(to, egress, &egress_buffer_);
  for (const StopSeconds& e : egress_buffer_) {
    best = std::min(best, SaturatingAdd(ArrivalAt(e.stop), e.seconds));
  }
  return best;
}

std::optional<Journey> Router::JourneyToPoint(GeoPoint to, const AccessOptions& egress,
                                              bool allow_direct) {
  if (!point_valid_ || layout_ != &network_.forward()) return std::nullopt;
  const Seconds direct = allow_direct
                             ? SaturatingAdd(point_time_, DirectSeconds(point_, to, point_access_))
                             : kUnreachable;
  FindAccess(to, egress, &egress_buffer_);
  Seconds best = kUnreachable;
  StopSeconds via{kNoStop, 0};
  for (const StopSeconds& e : egress_buffer_) {
    const Seconds t = SaturatingAdd(ArrivalAt(e.stop), e.seconds);
    if (t < best) {
      best = t;
      via = e;
    }
  }
  if (direct != kUnreachable && direct <= best) {
    return DirectJourney(point_access_, point_time_, direct - point_time_);
  }
  if (best == kUnreachable) return std::nullopt;
  std::vector<RawLeg> raw;
  StopIndex source = 0;
  if (!CollectLegs(via.stop, &raw, &source)) return std::nullopt;
  // The access stops were found for point_ when the search ran; recompute the one used.
  std::vector<StopSeconds> access;
  FindAccess(point_, point_access_, &access);
  Journey j = MakeJourney(raw, SecondsOf(access, source), via.seconds, point_access_, egress, true,
                          true, true, point_time_);
  if (raw.empty()) {
    j.legs.front().to_stop = source;
    j.legs.back().from_stop = source;
  }
  return j;
}

void Router::LatestDeparturesTo(GeoPoint to, Day date, Seconds deadline,
                                const AccessOptions& egress, int max_transfers) {
  FindAccess(to, egress, &access_buffer_);
  std::vector<StopSeconds> targets;
  targets.reserve(access_buffer_.size());
  for (const StopSeconds& e : access_buffer_) {
    targets.push_back({e.stop, deadline - e.seconds});
  }
  LatestDepartureToStops(date, targets, max_transfers);
  point_ = to;
  point_time_ = deadline;
  point_access_ = egress;
  point_valid_ = true;
}

Seconds Router::DepartureFromPoint(GeoPoint from, const AccessOptions& access, bool allow_direct) {
  if (!point_valid_ || layout_ != &network_.backward()) return kNoDeparture;
  Seconds best = kNoDeparture;
  if (allow_direct) {
    const Seconds d = DirectSeconds(from, point_, access);
    if (d != kUnreachable) best = point_time_ - d;
  }
  FindAccess(from, access, &egress_buffer_);
  for (const StopSeconds& a : egress_buffer_) {
    const Seconds dep = DepartureFrom(a.stop);
    if (dep != kNoDeparture) best = std::max(best, dep - a.seconds);
  }
  return best;
}

Seconds Router::DepartureVia(const std::vector<StopSeconds>& access) const {
  Seconds best = kNoDeparture;
  for (const StopSeconds& a : access) {
    const Seconds dep = DepartureFrom(a.stop);
    if (dep != kNoDeparture) best = std::max(best, dep - a.seconds);
  }
  return best;
}

Seconds Router::ArrivalVia(const std::vector<StopSeconds>& egress) const {
  Seconds best = kUnreachable;
  for (const StopSeconds& e : egress) {
    best = std::min(best, SaturatingAdd(ArrivalAt(e.stop), e.seconds));
  }
  return best;
}

std::optional<Journey> Router::JourneyFromPoint(GeoPoint from, const AccessOptions& access,
                                                bool allow_direct) {
  if (!point_valid_ || layout_ != &network_.backward()) return std::nullopt;
  Seconds direct = kNoDeparture;
  if (allow_direct) {
    const Seconds d = DirectSeconds(from, point_, access);
    if (d != kUnreachable) direct = point_time_ - d;
  }
  FindAccess(from, access, &egress_buffer_);
  Seconds best = kNoDeparture;
  StopSeconds via{kNoStop, 0};
  for (const StopSeconds& a : egress_buffer_) {
    const Seconds dep = DepartureFrom(a.stop);
    if (dep != kNoDeparture && dep - a.seconds > best) {
      best = dep - a.seconds;
      via = a;
    }
  }
  if (direct != kNoDeparture && direct >= best) {
    return DirectJourney(access, direct, point_time_ - direct);
  }
  if (best == kNoDeparture) return std::nullopt;
  std::vector<RawLeg> raw;
  StopIndex last = 0;
  if (!CollectLegs(via.stop, &raw, &last)) return std::nullopt;
  std::vector<StopSeconds> egress;
  FindAccess(point_, point_access_, &egress);
  Journey j = MakeJourney(raw, via.seconds, SecondsOf(egress, last), access, point_access_, true,
                          true, false, point_time_);
  if (raw.empty()) {
    j.legs.front().to_stop = last;
    j.legs.back().from_stop = last;
  }
  return j;
}

std::optional<Journey> Router::EarliestArrival(const PointQuery& q) {
  FindAccess(q.from, q.access, &access_buffer_);
  std::vector<StopSeconds> egress;
  FindAccess(q.to, q.egress, &egress);
  std::vector<StopSeconds> sources;
  sources.reserve(access_buffer_.size());
  for (const StopSeconds& a : access_buffer_) {
    sources.push_back({a.stop, SaturatingAdd(q.time, a.seconds)});
  }
  Prepare(network_.forward(), q.date, q.max_transfers, false);
  SetTargets(egress);
  InitSources(sources);
  RunRounds();
  point_ = q.from;
  point_time_ = q.time;
  point_access_ = q.access;
  point_valid_ = true;
  return JourneyToPoint(q.to, q.egress, q.allow_direct);
}

std::optional<Journey> Router::LatestDeparture(const PointQuery& q) {
  std::vector<StopSeconds> egress;
  FindAccess(q.to, q.egress, &egress);
  FindAccess(q.from, q.access, &access_buffer_);
  std::vector<StopSeconds> targets;
  targets.reserve(egress.size());
  for (const StopSeconds& e : egress) targets.push_back({e.stop, q.time - e.seconds});
  const std::vector<StopSeconds> prune = access_buffer_;
  LatestDepartureToStops(q.date, targets, q.max_transfers, prune);
  point_ = q.to;
  point_time_ = q.time;
  point_access_ = q.egress;
  point_valid_ = true;
  return JourneyFromPoint(q.from, q.access, q.allow_direct);
}

// ---------------------------------------------------------------------------------------
// Router: range.

void Router::RangeFromStops(Day date, const std::vector<StopSeconds>& sources, Seconds begin,
                            Seconds end, int max_transfers,
                            const std::function<void(Seconds departure)>& after_run) {
  Range(date, sources, {}, begin, end, max_transfers, after_run);
}

void Router::Range(Day date, const std::vector<StopSeconds>& sources,
                   const std::vector<StopSeconds>& targets, Seconds begin, Seconds end,
                   int max_transfers, const std::function<void(Seconds departure)>& after_run) {
  Prepare(network_.forward(), date, max_transfers, /*range=*/true);
  SetTargets(targets);
  const internal::Layout& L = *layout_;
  // Where a trip can be caught at round 0, with the offset from the departure.
  std::vector<StopSeconds> reach;
  for (const StopSeconds& s : sources) {
    if (s.stop >= num_stops_) continue;
    const StopIndex x = network_.ToInternal(s.stop);
    reach.push_back({x, s.seconds});
    for (uint32_t k = L.footpath_offsets[x]; k < L.footpath_offsets[x + 1]; ++k) {
      reach.push_back({L.footpaths[k].to, SaturatingAdd(s.seconds, L.footpaths[k].duration)});
    }
  }
  std::sort(reach.begin(), reach.end(), [](const StopSeconds& a, const StopSeconds& b) {
    return a.stop != b.stop ? a.stop < b.stop : a.seconds < b.seconds;
  });
  range_departures_.clear();
  for (size_t i = 0; i < reach.size(); ++i) {
    if (i > 0 && reach[i].stop == reach[i - 1].stop) continue;
    const StopIndex x = reach[i].stop;
    const Seconds delta = reach[i].seconds;
    for (uint32_t k = L.stop_route_offsets[x]; k < L.stop_route_offsets[x + 1]; ++k) {
      const transit::StopRoute& sr = L.stop_routes[k];
      const internal::RouteSpan& R = L.routes[sr.route];
      if (L.route_stop_flags[R.first_route_stop + sr.position] & kNoPickup) continue;
      for (int o = -1; o <= 1; ++o) {
        const uint8_t* active = service_active_[o + 1].data();
        const int64_t shift = static_cast<int64_t>(o) * kSecondsPerDay;
        for (uint32_t t = 0; t < R.num_trips; ++t) {
          if (!active[L.trip_service[R.first_trip + t]]) continue;
          const int64_t dep =
              L.stop_times[R.first_stop_time + t * R.num_stops + sr.position].departure + shift -
              delta;
          if (dep >= begin && dep <= end) range_departures_.push_back(static_cast<Seconds>(dep));
        }
      }
    }
  }
  std::sort(range_departures_.begin(), range_departures_.end(), std::greater<Seconds>());
  range_departures_.erase(std::unique(range_departures_.begin(), range_departures_.end()),
                          range_departures_.end());
  std::vector<StopSeconds> ready(sources.size());
  for (size_t i = 0; i < range_departures_.size(); ++i) {
    const Seconds t = range_departures_[i];
    for (size_t k = 0; k < sources.size(); ++k) {
      ready[k] = {sources[k].stop, SaturatingAdd(t, sources[k].seconds)};
    }
    InitSources(ready);
    RunRounds();
    if (after_run) after_run(t);
  }
}

std::vector<Journey> Router::RangeQuery(const PointQuery& q, Seconds window_end) {
  std::vector<StopSeconds> access;
  FindAccess(q.from, q.access, &access);
  std::vector<StopSeconds> egress;
  FindAccess(q.to, q.egress, &egress);
  std::vector<Journey> found;
  Seconds last = kUnreachable;
  auto after_run = [&](Seconds t) {
    Seconds best = kUnreachable;
    StopSeconds via{kNoStop, 0};
    for (const StopSeconds& e : egress) {
      const Seconds a = SaturatingAdd(
          labels_[(rounds_ - 1) * num_stops_ + network_.ToInternal(e.stop)].arr, e.seconds);
      if (a < best) {
        best = a;
        via = e;
      }
    }
    if (best >= last) return;
    last = best;
    std::vector<RawLeg> raw;
    StopIndex source = 0;
    if (!CollectLegs(via.stop, &raw, &source)) return;
    found.push_back(MakeJourney(raw, SecondsOf(access, source), via.seconds, q.access, q.egress,
                                true, true, true, t));
  };
  Range(q.date, access, egress, q.time, window_end, q.max_transfers, after_run);
  // Pareto filter by (departure, arrival), latest departure first.
  std::sort(found.begin(), found.end(), [](const Journey& a, const Journey& b) {
    return a.departure != b.departure ? a.departure > b.departure : a.arrival < b.arrival;
  });
  std::vector<Journey> pareto;
  Seconds best_arrival = kUnreachable;
  for (Journey& j : found) {
    if (j.departure < q.time || j.departure > window_end) continue;
    if (j.arrival < best_arrival) {
      best_arrival = j.arrival;
      pareto.push_back(std::move(j));
    }
  }
  std::reverse(pareto.begin(), pareto.end());
  return pareto;
}

}  // namespace carvematch::routing
